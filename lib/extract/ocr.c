/* The pool of Tesseract engines, and one page read with one of them. */
#include "extract/ocr.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <tesseract/capi.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"

/* Debian's Vietnamese model (tesseract-ocr-vie): its alphabet holds the
 * Latin letters and digits of a dispatch as well. */
#define OCR_LANGUAGE "vie"

static struct {
    pthread_mutex_t lock;
    pthread_cond_t freed;
    TessBaseAPI *idle[TC_OCR_MAX_ENGINES];
    unsigned n_idle, n_created;
    int broken; /* an engine could not start: none will */
} pool = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, { NULL }, 0, 0, 0 };

static atomic_ulong pages_read;

/* Tesseract runs parts of a page on OpenMP threads of its own (asking for
 * four).  With a page per core read at once, those threads only fight
 * over the cores: measured on two cores, the indexer read 0.20 pages/s
 * with them, 0.36 without.  The environment is read when libgomp loads,
 * before main; a zero here, which libgomp keeps for the calling thread,
 * makes every parallel region Tesseract opens a team of one.  Declared
 * here, not by <omp.h>: clang has that header only with libomp-dev. */
extern void omp_set_max_active_levels(int max_levels);

unsigned tc_ocr_engines(void)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (cores < 1)
        return 1;
    return cores > TC_OCR_MAX_ENGINES ? TC_OCR_MAX_ENGINES : (unsigned)cores;
}

unsigned long tc_ocr_pages_read(void)
{
    return atomic_load(&pages_read);
}

/* At exit, the engines go before Tesseract's own shared data, which
 * otherwise complains on stderr of their still holding it (engines busy
 * at exit, in another thread, are left). */
static void end_engines(void)
{
    pthread_mutex_lock(&pool.lock);
    while (pool.n_idle > 0)
        TessBaseAPIDelete(pool.idle[--pool.n_idle]);
    pthread_mutex_unlock(&pool.lock);
}

/* An engine, waiting for one while all are busy; NULL when Tesseract or
 * its Vietnamese data is missing. */
static TessBaseAPI *take_engine(void)
{
    TessBaseAPI *api = NULL;
    pthread_mutex_lock(&pool.lock);
    while (!pool.broken && pool.n_idle == 0 && pool.n_created >= tc_ocr_engines())
        pthread_cond_wait(&pool.freed, &pool.lock);
    if (pool.n_idle > 0) {
        api = pool.idle[--pool.n_idle];
    } else if (!pool.broken) {
        pool.n_created++; /* reserved before the slow start, outside the lock */
        pthread_mutex_unlock(&pool.lock);
        api = TessBaseAPICreate();
        if (api && TessBaseAPIInit3(api, NULL, OCR_LANGUAGE) != 0) {
            TessBaseAPIDelete(api);
            api = NULL;
        }
        /* Tesseract says what it could not read of a page ("Image too
         * small to scale!!", "Line cannot be recognized!!") on stderr,
         * among the indexer's own messages, which name files; a speck on
         * a scan is not worth a line there. */
        if (api)
            TessBaseAPISetVariable(api, "debug_file", "/dev/null");
        /* The page's layout found as the tesseract command finds it: the
         * library's default reads a page as one block of text, columns and
         * the specks of a scan's edges run together. */
        if (api)
            TessBaseAPISetPageSegMode(api, PSM_AUTO);
        pthread_mutex_lock(&pool.lock);
        /* Registered after Tesseract's first start has made its shared
         * data, so that it runs first at exit. */
        static int ending_registered;
        if (api && !ending_registered)
            ending_registered = atexit(end_engines) == 0;
        if (!api) {
            pool.n_created--;
            pool.broken = 1;
            pthread_cond_broadcast(&pool.freed);
        }
    }
    pthread_mutex_unlock(&pool.lock);
    return api;
}

static void give_back(TessBaseAPI *api)
{
    TessBaseAPIClear(api);
    pthread_mutex_lock(&pool.lock);
    pool.idle[pool.n_idle++] = api;
    pthread_cond_signal(&pool.freed);
    pthread_mutex_unlock(&pool.lock);
}

typedef struct {
    tc_buf_t text;
    tc_ocr_box_t *boxes;
    size_t n_boxes, cap_boxes;
} reading_t;

/* Appends bytes holding `chars` characters, their boxes shared out
 * evenly over box from left to right.  0, or -1 out of memory. */
static int put_chars(reading_t *r, const char *bytes, size_t len, size_t chars, tc_ocr_box_t box)
{
    tc_ocr_box_t *grown = tc_grow(r->boxes, r->n_boxes + chars, &r->cap_boxes, sizeof *grown, 4096);
    if (!grown || tc_buf_append(&r->text, bytes, len) < 0)
        return -1;
    r->boxes = grown;
    double step = (box.x2 - box.x1) / (double)chars;
    for (size_t k = 0; k < chars; k++)
        r->boxes[r->n_boxes++] = (tc_ocr_box_t){ box.x1 + step * (double)k, box.y1, box.x1 + step * (double)(k + 1),
                                                 box.y2 };
    return 0;
}

static size_t count_chars(const char *utf8)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)utf8; *p; p++)
        n += (*p & 0xC0) != 0x80;
    return n;
}

/* The words Tesseract read, with their boxes, line by line. */
static int read_words(reading_t *r, TessBaseAPI *api)
{
    TessResultIterator *it = TessBaseAPIGetIterator(api);
    if (!it)
        return 0; /* nothing on the page */
    const TessPageIterator *page = TessResultIteratorGetPageIterator(it);
    int rc = 0, line_open = 0;
    tc_ocr_box_t last = { 0, 0, 0, 0 };
    do {
        char *word = TessResultIteratorGetUTF8Text(it, RIL_WORD);
        int left, top, right, bottom;
        /* A picture's region comes as a word of spaces boxing the whole
         * picture: one segment spanning many lines, it would hide the
         * header's columns. */
        int blank = !word || word[strspn(word, " \t\n")] == '\0';
        if (!blank && TessPageIteratorBoundingBox(page, RIL_WORD, &left, &top, &right, &bottom)) {
            tc_ocr_box_t box = { left, top, right, bottom };
            if (line_open)
                rc = put_chars(r, " ", 1, 1, (tc_ocr_box_t){ last.x2, top, left > last.x2 ? left : last.x2, bottom });
            if (rc == 0)
                rc = put_chars(r, word, strlen(word), count_chars(word), box);
            last = box;
            line_open = 1;
        }
        TessDeleteText(word);
        if (rc == 0 && line_open && TessPageIteratorIsAtFinalElement(page, RIL_TEXTLINE, RIL_WORD)) {
            rc = put_chars(r, "\n", 1, 1, last);
            line_open = 0;
        }
    } while (rc == 0 && TessResultIteratorNext(it, RIL_WORD));
    if (rc == 0 && line_open)
        rc = put_chars(r, "\n", 1, 1, last);
    TessResultIteratorDelete(it);
    return rc;
}

tc_status_t tc_ocr_read(char **text, tc_ocr_box_t **boxes, size_t *n_boxes, int *confidence,
                        const unsigned char *gray, int width, int height, int stride, int dpi, double seconds,
                        char **message)
{
    *text = NULL;
    *boxes = NULL;
    *n_boxes = 0;
    *confidence = 0;
    if (seconds <= 0) {
        *message = strdup("OCR time limit reached");
        return TC_STATUS_BAD_INPUT;
    }
    TessBaseAPI *api = take_engine();
    if (!api) {
        *message = strdup("OCR not available: Tesseract could not load its Vietnamese data "
                          "(Debian package tesseract-ocr-vie)");
        return TC_STATUS_FILE_ERROR;
    }
    omp_set_max_active_levels(0);
    TessBaseAPISetImage(api, gray, width, height, 1, stride);
    TessBaseAPISetSourceResolution(api, dpi);
    ETEXT_DESC *monitor = TessMonitorCreate();
    TessMonitorSetDeadlineMSecs(monitor, seconds * 1000 > 2e9 ? 2000000000 : (int)(seconds * 1000));
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    /* Past its deadline Tesseract stops early and fails. */
    int rc = monitor ? TessBaseAPIRecognize(api, monitor) : -1;
    clock_gettime(CLOCK_MONOTONIC, &end);
    TessMonitorDelete(monitor);
    double spent = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
    tc_status_t status = TC_STATUS_SUCCESS;
    if (rc != 0 || spent > seconds) {
        *message = strdup(spent > seconds ? "OCR time limit reached" : "Tesseract could not read the page");
        status = TC_STATUS_BAD_INPUT;
    } else {
        reading_t reading = { TC_BUF_INIT, NULL, 0, 0 };
        *confidence = TessBaseAPIMeanTextConf(api);
        if (read_words(&reading, api) < 0 || tc_buf_append(&reading.text, "", 0) < 0) {
            tc_buf_free(&reading.text);
            free(reading.boxes);
            status = TC_STATUS_OUT_OF_MEMORY;
        } else {
            *text = tc_buf_steal(&reading.text);
            *boxes = reading.boxes;
            *n_boxes = reading.n_boxes;
            atomic_fetch_add(&pages_read, 1);
        }
    }
    give_back(api);
    return status;
}
