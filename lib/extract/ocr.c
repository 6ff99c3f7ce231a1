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

/* Debian's Vietnamese model (tesseract-ocr-vie); Latin letters and
 * digits, all a dispatch holds, are in it, and adding "eng" made the
 * pages slower without reading them better. */
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
 * with them and the tesseract command, one process per core with
 * OMP_THREAD_LIMIT=1, 0.33.  The environment is read when libgomp loads,
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

tc_status_t tc_ocr_read(char **text, int *confidence, const unsigned char *gray, int width, int height, int stride,
                        int dpi, double seconds, char **message)
{
    *text = NULL;
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
        char *utf8 = TessBaseAPIGetUTF8Text(api);
        *confidence = TessBaseAPIMeanTextConf(api);
        *text = strdup(utf8 ? utf8 : "");
        TessDeleteText(utf8);
        if (!*text)
            status = TC_STATUS_OUT_OF_MEMORY;
        else
            atomic_fetch_add(&pages_read, 1);
    }
    give_back(api);
    return status;
}
