/* A PDF's text layer through poppler-glib, placed by its glyphs.
 *
 * poppler gives a page's text with one rectangle per character.  Its
 * lines are cut where the gap between two glyphs is wide (a column's
 * gutter), into segments.  A dispatch's first page opens with two
 * columns — issuer, number and V/v on the left; quốc hiệu, place and date
 * on the right — which poppler may interleave line by line; the segments
 * above the first one crossing the gutter are given left column first,
 * then right, so the parser reads two blocks.  Page numbers standing
 * alone are dropped and words hyphenated at a line's end joined. */
#include "extract/extract.h"

#include <ctype.h>
#include <glib.h>
#include <poppler.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

/* A gap between glyphs this many times the line's height cuts the line:
 * a word space is a third of it or less; the gutter of a header is one
 * and more (1.2 between a symbol and the place, date beside it). */
#define GUTTER_GAP_IN_LINE_HEIGHTS 1.0
/* Glyphs whose tops differ by more than this share of a line's height are
 * on different lines. */
#define SAME_LINE_TOLERANCE 0.5
/* A header line may run a little past the gutter measured on the top line
 * (a long symbol under a short issuer); crossing it by less than this
 * share of the page's width on either side is still the header. */
#define GUTTER_OVERRUN_SHARE 0.03
/* A document with fewer letters than this has no text layer worth the
 * name: a scan carrying only its signature stamp's text has 100-150. */
#define MIN_LETTERS_OF_A_TEXT_LAYER 200
/* A dispatch with its annexes (tables, lists of names) runs to a few
 * hundred pages, the longest real one seen 34; a PDF of more than this is
 * a book or a whole box scanned, refused before it holds up the run. */
#define MAX_PDF_PAGES 1000

typedef struct {
    size_t from, to;         /* bytes of the page's text */
    double x1, y1, x2, y2;   /* bounding box */
} segment_t;

typedef struct {
    segment_t *items;
    size_t count, cap;
} segments_t;

static int push_segment(segments_t *list, segment_t segment)
{
    segment_t *grown = tc_grow(list->items, list->count + 1, &list->cap, sizeof *grown, 64);
    if (!grown)
        return -1;
    list->items = grown;
    list->items[list->count++] = segment;
    return 0;
}

/* Splits the page's text into segments by its glyphs' rectangles. */
static int cut_segments(const char *text, const PopplerRectangle *rects, guint n_rects, segments_t *out)
{
    size_t len = strlen(text), at = 0;
    guint k = 0;
    segment_t current = { 0, 0, 0, 0, 0, 0 };
    int open = 0;
    while (at < len && k < n_rects) {
        size_t next = (size_t)(g_utf8_next_char(text + at) - text);
        const PopplerRectangle *r = &rects[k];
        if (text[at] == '\n') {
            if (open && push_segment(out, current) < 0)
                return -1;
            open = 0;
        } else {
            double height = current.y2 - current.y1;
            if (open) {
                int other_line = r->y1 > current.y1 + height * (1 + SAME_LINE_TOLERANCE) ||
                                 r->y2 < current.y1;
                int gutter = r->x1 - current.x2 > height * GUTTER_GAP_IN_LINE_HEIGHTS;
                if (other_line || gutter) {
                    if (push_segment(out, current) < 0)
                        return -1;
                    open = 0;
                }
            }
            if (!open) {
                if (text[at] == ' ') { /* a segment never starts with a space */
                    at = next;
                    k++;
                    continue;
                }
                current = (segment_t){ at, next, r->x1, r->y1, r->x2, r->y2 };
                open = 1;
            } else {
                current.to = next;
                if (text[at] != ' ') {
                    if (r->x2 > current.x2)
                        current.x2 = r->x2;
                    if (r->y2 > current.y2)
                        current.y2 = r->y2;
                    if (r->y1 < current.y1)
                        current.y1 = r->y1;
                }
            }
        }
        at = next;
        k++;
    }
    if (open && push_segment(out, current) < 0)
        return -1;
    return 0;
}

/* A page number alone on its line: "3", "- 3 -", "Trang 3". */
static int is_page_number(const char *s, size_t len)
{
    size_t digits = 0, other = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isdigit(c))
            digits++;
        else if (c != ' ' && c != '-' && c != '\t')
            other++;
    }
    if (len >= 6 && strncmp(s, "Trang ", 6) == 0)
        other -= 5;
    return digits > 0 && digits <= 4 && other == 0;
}

/* Appends a segment as a line; a word cut by a hyphen at the end of the
 * line before is joined to this one's first word. */
static int put_line(tc_buf_t *out, const char *s, size_t len)
{
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len == 0)
        return 0;
    if (out->len >= 2 && out->data[out->len - 1] == '\n' && out->data[out->len - 2] == '-' &&
        (out->len < 3 || isalpha((unsigned char)out->data[out->len - 3]) || (unsigned char)out->data[out->len - 3] >= 0x80) &&
        g_unichar_islower(g_utf8_get_char_validated(s, (gssize)len))) {
        out->len -= 2;
    }
    if (tc_buf_append(out, s, len) < 0 || tc_buf_putc(out, '\n') < 0)
        return -1;
    return 0;
}

static int by_top(const void *a, const void *b)
{
    const segment_t *p = a, *q = b;
    return p->y1 < q->y1 ? -1 : p->y1 > q->y1;
}

static int by_left(const void *a, const void *b)
{
    const segment_t *p = a, *q = b;
    return p->x1 < q->x1 ? -1 : p->x1 > q->x1;
}

/* One column of the header, its segments sorted by top: those on one
 * row (a blank left for the number or the day, "Số:" ... "/KH-UBND")
 * are put back together on one line, left to right. */
static int put_column(tc_buf_t *out, const char *text, segment_t *items, size_t count)
{
    tc_buf_t line = TC_BUF_INIT;
    int rc = 0;
    for (size_t i = 0; i < count && rc == 0;) {
        size_t end = i + 1;
        double middle = (items[i].y1 + items[i].y2) / 2;
        while (end < count && items[end].y1 < middle)
            end++;
        qsort(items + i, end - i, sizeof *items, by_left);
        tc_buf_reset(&line);
        for (size_t k = i; k < end && rc == 0; k++) {
            if (k > i)
                rc = tc_buf_putc(&line, ' ');
            if (rc == 0)
                rc = tc_buf_append(&line, text + items[k].from, items[k].to - items[k].from);
        }
        if (rc == 0 && !is_page_number(line.data, line.len))
            rc = put_line(out, line.data, line.len);
        i = end;
    }
    tc_buf_free(&line);
    return rc;
}

/* Whether another segment stands beside segment i: a header's row holds
 * both columns (a long symbol may reach past the gutter), a body's line or
 * a title is alone on its row. */
static int shares_its_row(const segments_t *segments, size_t i)
{
    const segment_t *s = &segments->items[i];
    double middle = (s->y1 + s->y2) / 2;
    for (size_t k = 0; k < segments->count; k++) {
        const segment_t *o = &segments->items[k];
        if (k != i && o->y1 < middle && o->y2 > middle && (o->x1 >= s->x2 || o->x2 <= s->x1))
            return 1;
    }
    return 0;
}

/* The page's lines into out; the first page's two-column header as two
 * blocks.  Returns the count of letters, or -1 out of memory. */
static long put_page(tc_buf_t *out, PopplerPage *page, int first_page)
{
    char *text = poppler_page_get_text(page);
    PopplerRectangle *rects = NULL;
    guint n_rects = 0;
    long letters = 0;
    if (!text)
        return 0;
    for (const char *p = text; *p; p = g_utf8_next_char(p))
        if (g_unichar_isalpha(g_utf8_get_char(p)))
            letters++;
    segments_t segments = { NULL, 0, 0 };
    int rc = 0;
    if (!poppler_page_get_text_layout(page, &rects, &n_rects) ||
        (size_t)g_utf8_strlen(text, -1) != n_rects) {
        /* Glyphs that do not match the text: the text as poppler orders it. */
        rc = put_line(out, text, strlen(text));
        goto done;
    }
    if (cut_segments(text, rects, n_rects, &segments) < 0) {
        rc = -1;
        goto done;
    }
    double width, height;
    poppler_page_get_size(page, &width, &height);
    double gutter = 0;
    if (first_page && segments.count >= 2) {
        /* The header's top line holds both columns: the issuer's or its
         * parent's name, and CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM. */
        size_t top = 0;
        for (size_t i = 1; i < segments.count; i++)
            if (segments.items[i].y1 < segments.items[top].y1)
                top = i;
        for (size_t i = 0; i < segments.count; i++) {
            const segment_t *s = &segments.items[i];
            if (i != top && s->y1 < segments.items[top].y2 && s->y2 > segments.items[top].y1) {
                const segment_t *left = s->x1 < segments.items[top].x1 ? s : &segments.items[top];
                const segment_t *right = left == s ? &segments.items[top] : s;
                if (right->x1 > left->x2)
                    gutter = right->x1 - 1; /* the quốc hiệu, widest of its column, starts it */
                break;
            }
        }
    }
    if (gutter > 0) {
        /* The header: every segment above the first to cross the gutter. */
        double header_bottom = height;
        for (size_t i = 0; i < segments.count; i++) {
            const segment_t *s = &segments.items[i];
            double overrun = width * GUTTER_OVERRUN_SHARE;
            if (s->x1 < gutter - overrun && s->x2 > gutter + overrun && s->y1 < header_bottom &&
                !shares_its_row(&segments, i))
                header_bottom = s->y1;
        }
        segments_t left = { NULL, 0, 0 }, right = { NULL, 0, 0 }, rest = { NULL, 0, 0 };
        for (size_t i = 0; i < segments.count && rc == 0; i++) {
            const segment_t *s = &segments.items[i];
            segments_t *to = s->y1 >= header_bottom ? &rest : (s->x1 + s->x2) / 2 <= gutter ? &left : &right;
            rc = push_segment(to, *s);
        }
        qsort(left.items, left.count, sizeof *left.items, by_top);
        qsort(right.items, right.count, sizeof *right.items, by_top);
        if (rc == 0)
            rc = put_column(out, text, left.items, left.count);
        if (rc == 0)
            rc = put_column(out, text, right.items, right.count);
        memcpy(segments.items, rest.items, rest.count * sizeof *rest.items);
        segments.count = rest.count;
        free(left.items);
        free(right.items);
        free(rest.items);
    }
    for (size_t i = 0; i < segments.count && rc == 0; i++) {
        const segment_t *s = &segments.items[i];
        if (is_page_number(text + s->from, s->to - s->from))
            continue;
        rc = put_line(out, text + s->from, s->to - s->from);
    }
done:
    free(segments.items);
    g_free(rects);
    g_free(text);
    return rc < 0 ? -1 : letters;
}

static tc_status_t reject(char **message, const char *name, const char *why)
{
    if (message)
        *message = tc_strdup_printf("%s: %s", name, why);
    return TC_STATUS_BAD_INPUT;
}

/* The indexer reads files in several threads; poppler keeps global state
 * (its parameters, font caches) that it does not guard, so one PDF is
 * read at a time. */
static pthread_mutex_t poppler_lock = PTHREAD_MUTEX_INITIALIZER;

static tc_status_t extract_pdf_locked(char **out, size_t *out_len, const char *bytes, size_t len, const char *name,
                                      char **message);

tc_status_t tc_extract_pdf(char **out, size_t *out_len, const char *bytes, size_t len, const char *name,
                           char **message)
{
    pthread_mutex_lock(&poppler_lock);
    tc_status_t status = extract_pdf_locked(out, out_len, bytes, len, name, message);
    pthread_mutex_unlock(&poppler_lock);
    return status;
}

static tc_status_t extract_pdf_locked(char **out, size_t *out_len, const char *bytes, size_t len, const char *name,
                                      char **message)
{
    GError *error = NULL;
    GBytes *data = g_bytes_new_static(bytes, len);
    PopplerDocument *document = poppler_document_new_from_bytes(data, NULL, &error);
    g_bytes_unref(data);
    if (!document) {
        int encrypted = error && error->domain == POPPLER_ERROR && error->code == POPPLER_ERROR_ENCRYPTED;
        g_clear_error(&error);
        return reject(message, name, encrypted ? "encrypted PDF" : "corrupt PDF");
    }
    int pages = poppler_document_get_n_pages(document);
    if (pages > MAX_PDF_PAGES) {
        g_object_unref(document);
        char *why = tc_strdup_printf("%d pages, more than the %d a dispatch with its annexes has", pages,
                                     MAX_PDF_PAGES);
        tc_status_t status = reject(message, name, why ? why : "too many pages");
        free(why);
        return status;
    }
    tc_buf_t text = TC_BUF_INIT;
    long letters = 0;
    tc_status_t status = TC_STATUS_SUCCESS;
    for (int i = 0; i < pages && status == TC_STATUS_SUCCESS; i++) {
        PopplerPage *page = poppler_document_get_page(document, i);
        if (!page)
            continue;
        long n = put_page(&text, page, i == 0);
        g_object_unref(page);
        if (n < 0)
            status = TC_STATUS_OUT_OF_MEMORY;
        else
            letters += n;
    }
    g_object_unref(document);
    if (status == TC_STATUS_SUCCESS && pages == 0)
        status = reject(message, name, "corrupt PDF (no pages)");
    else if (status == TC_STATUS_SUCCESS && letters < MIN_LETTERS_OF_A_TEXT_LAYER)
        status = reject(message, name, "no text layer (scanned; OCR not available)");
    if (status != TC_STATUS_SUCCESS) {
        tc_buf_free(&text);
        return status;
    }
    *out_len = text.len;
    *out = text.data ? text.data : calloc(1, 1);
    return *out ? TC_STATUS_SUCCESS : TC_STATUS_OUT_OF_MEMORY;
}
