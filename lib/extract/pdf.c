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

#include <cairo-pdf.h>
#include <cairo.h>
#include <ctype.h>
#include <fcntl.h>
#include <glib.h>
#include <math.h>
#include <poppler.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/buf.h"
#include "extract/ocr.h"
#include "extract/stamps.h"

/* A gap between glyphs this many times the line's height cuts the line:
 * a word space is a third of it or less; the gutter of a header is one
 * and more (1.2 between a symbol and the place, date beside it). */
#define GUTTER_GAP_IN_LINE_HEIGHTS 1.0
/* Glyphs whose tops differ by more than this share of a line's height are
 * on different lines. */
#define SAME_LINE_TOLERANCE 0.5
/* A page number stands in the page's top or bottom margin, within this
 * share of its height from the edge (A4's 842 pt: 67 pt; real dispatches
 * put it 30-60 pt from the top or the bottom, and their header's lines
 * start below 55 pt, a wrapped date's year below 100 pt). */
#define PAGE_NUMBER_MARGIN_SHARE 0.08
/* A header line may run a little past the gutter measured on the top line
 * (a long symbol under a short issuer); crossing it by less than this
 * share of the page's width on either side is still the header. */
#define GUTTER_OVERRUN_SHARE 0.03
/* A line alone on its row whose middle is within this share of the page's
 * width of the text's middle is centred on the page, as the title under
 * the header is ("THÔNG BÁO", "KẾ HOẠCH"), where the header's lines are
 * centred on their columns, a quarter and seven tenths of the way across.
 * (The text's middle, not the page's: Nghị định 30's margins, 3 cm left
 * and 2 cm right, put a centred title 14 pt right of the page's.) */
#define TEXT_CENTRE_SHARE 0.03
/* The header's top line, issuer or quốc hiệu, has at least this many
 * letters; specks a scan's OCR reads ("|", "II") have fewer. */
#define MIN_LETTERS_OF_A_HEADER_LINE 3
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

/* Takes page numbers off the page's segments: a number alone, the
 * page's first or last line, in its top or bottom margin.  Elsewhere a
 * number alone on a line is text: the year of a date or a subject
 * wrapped in the header's narrow column ("... ngày 29 tháng 11 năm" /
 * "2019"), a cell of a table. */
static void drop_page_numbers(segments_t *segments, const char *text, double height)
{
    if (!segments->count)
        return;
    double top = segments->items[0].y1, bottom = segments->items[0].y2;
    for (size_t i = 1; i < segments->count; i++) {
        top = segments->items[i].y1 < top ? segments->items[i].y1 : top;
        bottom = segments->items[i].y2 > bottom ? segments->items[i].y2 : bottom;
    }
    double margin = height * PAGE_NUMBER_MARGIN_SHARE;
    size_t kept = 0;
    for (size_t i = 0; i < segments->count; i++) {
        const segment_t *s = &segments->items[i];
        int at_top = s->y1 <= top && s->y2 <= margin, at_bottom = s->y2 >= bottom && s->y1 >= height - margin;
        if (!((at_top || at_bottom) && is_page_number(text + s->from, s->to - s->from)))
            segments->items[kept++] = *s;
    }
    segments->count = kept;
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
        if (rc == 0)
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

/* A title's line: words in capitals ("BÁO CÁO"), no figure; a wrapped
 * piece of the header's right column is in lower case or a year. */
static int is_title(const char *text, const segment_t *segment)
{
    size_t letters = 0;
    for (const char *p = text + segment->from; p < text + segment->to; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (g_unichar_isdigit(c) || g_unichar_islower(c))
            return 0;
        letters += g_unichar_isalpha(c) != 0;
    }
    return letters >= MIN_LETTERS_OF_A_HEADER_LINE;
}

/* The page's text layer into out (lay_out).  Returns the count of
 * letters, or -1 out of memory. */
static int lay_out(tc_buf_t *out, const char *text, const PopplerRectangle *rects, guint n_rects, double width,
                   double height, int first_page);

static long put_page(tc_buf_t *out, PopplerPage *page, int first_page)
{
    char *text = NULL;
    PopplerRectangle *rects = NULL;
    guint n_rects = 0;
    long letters = 0;
    /* The first page as its signature fields fill it: the number and the
     * day stamped on the blanks (stamps.c). */
    int stamped = first_page && tc_stamped_text(page, &text, &rects, &n_rects);
    if (!stamped)
        text = poppler_page_get_text(page);
    if (!text)
        return 0;
    for (const char *p = text; *p; p = g_utf8_next_char(p))
        if (g_unichar_isalpha(g_utf8_get_char(p)))
            letters++;
    int rc = 0;
    if ((!stamped && !poppler_page_get_text_layout(page, &rects, &n_rects)) ||
        (size_t)g_utf8_strlen(text, -1) != n_rects) {
        /* Glyphs that do not match the text: the text as poppler orders it. */
        rc = put_line(out, text, strlen(text));
    } else {
        double width, height;
        poppler_page_get_size(page, &width, &height);
        rc = lay_out(out, text, rects, n_rects, width, height, first_page);
    }
    g_free(rects);
    g_free(text);
    return rc < 0 ? -1 : letters;
}

static size_t letters_in(const char *text, const segment_t *segment)
{
    size_t letters = 0;
    for (const char *p = text + segment->from; p < text + segment->to; p = g_utf8_next_char(p))
        letters += g_unichar_isalpha(g_utf8_get_char(p)) != 0;
    return letters;
}

/* The lines of a page's text, one rectangle a character (poppler's glyphs,
 * or OCR's words shared out among their letters), into out; the first
 * page's two-column header as two blocks.  0, or -1 out of memory. */
static int lay_out(tc_buf_t *out, const char *text, const PopplerRectangle *rects, guint n_rects, double width,
                   double height, int first_page)
{
    segments_t segments = { NULL, 0, 0 };
    int rc = 0;
    if (cut_segments(text, rects, n_rects, &segments) < 0) {
        rc = -1;
        goto done;
    }
    drop_page_numbers(&segments, text, height);
    double gutter = 0, top_line_bottom = 0;
    if (first_page && segments.count >= 2) {
        /* The header's top line holds both columns: the issuer's or its
         * parent's name, and CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM.  What
         * stands above it with fewer letters than a word is not text (a
         * scan's specks read by OCR: "|", "_", or a page number). */
        size_t top = segments.count;
        for (size_t i = 0; i < segments.count; i++)
            if (letters_in(text, &segments.items[i]) >= MIN_LETTERS_OF_A_HEADER_LINE &&
                (top == segments.count || segments.items[i].y1 < segments.items[top].y1))
                top = i;
        if (top == segments.count)
            top = 0;
        top_line_bottom = segments.items[top].y2;
        for (size_t i = 0; i < segments.count; i++) {
            const segment_t *s = &segments.items[i];
            if (i != top && s->y1 < segments.items[top].y2 && s->y2 > segments.items[top].y1 &&
                letters_in(text, s) >= MIN_LETTERS_OF_A_HEADER_LINE) {
                const segment_t *left = s->x1 < segments.items[top].x1 ? s : &segments.items[top];
                const segment_t *right = left == s ? &segments.items[top] : s;
                if (right->x1 > left->x2)
                    gutter = right->x1 - 1; /* the quốc hiệu, widest of its column, starts it */
                break;
            }
        }
    }
    if (gutter > 0) {
        /* The header: every segment above the first to cross the gutter,
         * or a title centred on the page under the top line (a short one
         * such as "BÁO CÁO" crosses a gutter right of the page's middle
         * by less than the overrun, or not at all). */
        double header_bottom = height, text_left = width, text_right = 0;
        for (size_t i = 0; i < segments.count; i++) {
            text_left = segments.items[i].x1 < text_left ? segments.items[i].x1 : text_left;
            text_right = segments.items[i].x2 > text_right ? segments.items[i].x2 : text_right;
        }
        double text_middle = (text_left + text_right) / 2;
        for (size_t i = 0; i < segments.count; i++) {
            const segment_t *s = &segments.items[i];
            double overrun = width * GUTTER_OVERRUN_SHARE;
            int crosses = s->x1 < gutter - overrun && s->x2 > gutter + overrun;
            int centred = s->y1 >= top_line_bottom && fabs((s->x1 + s->x2) / 2 - text_middle) <= width * TEXT_CENTRE_SHARE &&
                          is_title(text, s);
            if ((crosses || centred) && s->y1 < header_bottom && !shares_its_row(&segments, i))
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
        rc = put_line(out, text + s->from, s->to - s->from);
    }
done:
    free(segments.items);
    return rc;
}

/* The indexer reads files on every core, each thread its own document.
 * poppler guards its global parameters and font caches itself, but builds
 * a few process-wide things lazily and unguarded on a page's first
 * drawing (the colour management profiles of GfxState, among them), so
 * they are built once, on one thread, before any document is read: by
 * reading and drawing a page of an empty document, in every way a PDF is
 * read here.  A document itself is used by one thread at a time (pages of
 * one document share its output device). */
static pthread_once_t poppler_once = PTHREAD_ONCE_INIT;

/* poppler sets its global parameters up (encodings, name-to-Unicode
 * tables: 4 million instructions, a fifth of reading a two-page dispatch)
 * when a document is opened while none is, and tears them down when the
 * last one is closed, so each PDF read after another paid for both.  The
 * empty document is kept open for the life of the process to keep them. */
static PopplerDocument *kept_open;

static cairo_status_t append_to(void *closure, const unsigned char *data, unsigned int length)
{
    g_byte_array_append(closure, data, length);
    return CAIRO_STATUS_SUCCESS;
}

static void set_poppler_up(void)
{
    GByteArray *pdf = g_byte_array_new();
    cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(append_to, pdf, 1, 1);
    cairo_surface_finish(surface);
    int failed = cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(surface);
    GBytes *bytes = g_byte_array_free_to_bytes(pdf);
    if (!failed)
        kept_open = poppler_document_new_from_bytes(bytes, NULL, NULL); /* NULL: each read pays, as before */
    g_bytes_unref(bytes);
    PopplerPage *page = kept_open ? poppler_document_get_page(kept_open, 0) : NULL;
    if (!page)
        return;
    /* The text and its glyphs, a drawing, a drawing for printing (the
     * signature fields' path, stamps.c): every path taken below. */
    g_free(poppler_page_get_text(page));
    PopplerRectangle *rects = NULL;
    guint n_rects = 0;
    if (poppler_page_get_text_layout(page, &rects, &n_rects))
        g_free(rects);
    cairo_surface_t *image = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
    cairo_t *cr = cairo_create(image);
    poppler_page_render(page, cr);
    poppler_page_render_for_printing(page, cr);
    cairo_destroy(cr);
    cairo_surface_destroy(image);
    g_object_unref(page);
}

tc_status_t tc_extract_pdf(char **out, size_t *out_len, const char *bytes, size_t len, const char *name,
                           char **message)
{
    return tc_extract_pdf_ocr(out, out_len, bytes, len, name, NULL, NULL, message);
}

/* ---- OCR of scanned pages --------------------------------------------- */

/* Pages are rendered for OCR at this resolution.  Measured on 13 pages of
 * five scans of the development set (bench/ocr/run, three runs on two
 * shared cores): at 200, 300 and 400 dpi Tesseract found the same phrases
 * and numbers, reading 5754, 5803 and 5811 words; 400 took 1.5 to 1.9
 * times as long as 300, while 200 took from 19% less to 23% more than 300,
 * within the noise of the machine.  300 reads a few more words than 200
 * at a cost the noise hides; 400 adds too little for its time. */
#define OCR_DPI 300
/* A text layer with a smaller share of Vietnamese syllables among its
 * words is garbage (a scanner's OCR without Vietnamese: "CQNG HOA xA
 * H()I").  Measured page by page on the development files: the two
 * garbage layers scored 0.23-0.49, the 77 pages of ten text PDFs 0.87-1.00
 * (tables and lists of names the lowest). */
#define GARBAGE_LAYER_SHARE 0.7
/* A page bigger than this (a poster, a broken MediaBox) is rendered at a
 * lower resolution to fit: an A3 page at 300 dpi has 17 million pixels. */
#define MAX_PAGE_PIXELS 40000000.0
/* Readings of another renderer, resolution or layout are not reused (the
 * cache keeps pages laid out). */
#define OCR_CACHE_VERSION "tesseract-vie-300dpi-2"

typedef struct {
    tc_buf_t layer;   /* the text layer's reading */
    long layer_letters;
    int wanted;       /* to be read by OCR */
    char *ocr;        /* OCR's reading, when made or cached */
    int confidence;
    int cached;
    char *failed;     /* why OCR could not read it (malloc'd), when it could not */
} page_t;

static long count_letters(const char *s)
{
    long letters = 0;
    for (const char *p = s; *p; p = g_utf8_next_char(p))
        if (g_unichar_isalpha(g_utf8_get_char(p)))
            letters++;
    return letters;
}

/* The page rendered in grey, malloc'd, *stride bytes a row; NULL when out
 * of memory. */
static unsigned char *render_gray(PopplerPage *page, int *dpi, int *width, int *height, int *stride)
{
    double points_wide, points_high;
    poppler_page_get_size(page, &points_wide, &points_high);
    double scale = *dpi / 72.0;
    double pixels = points_wide * scale * points_high * scale;
    if (pixels > MAX_PAGE_PIXELS) {
        scale *= sqrt(MAX_PAGE_PIXELS / pixels);
        *dpi = (int)(scale * 72);
    }
    int w = (int)ceil(points_wide * scale), h = (int)ceil(points_high * scale);
    if (w < 1 || h < 1)
        return NULL;
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surface);
        return NULL;
    }
    cairo_t *cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    poppler_page_render(page, cr);
    cairo_destroy(cr);
    cairo_surface_flush(surface);
    unsigned char *gray = malloc((size_t)w * (size_t)h);
    const unsigned char *rgb = cairo_image_surface_get_data(surface);
    int rgb_stride = cairo_image_surface_get_stride(surface);
    for (int y = 0; gray && y < h; y++) {
        const uint32_t *row = (const uint32_t *)(const void *)(rgb + (size_t)y * (size_t)rgb_stride);
        for (int x = 0; x < w; x++) {
            uint32_t px = row[x];
            unsigned r = (px >> 16) & 255, g = (px >> 8) & 255, b = px & 255;
            gray[(size_t)y * (size_t)w + (size_t)x] = (unsigned char)((r * 299 + g * 587 + b * 114) / 1000);
        }
    }
    cairo_surface_destroy(surface);
    *width = w;
    *height = h;
    *stride = w;
    return gray;
}

tc_status_t tc_pdf_page_gray(unsigned char **gray, int *width, int *height, int *dpi, const char *bytes,
                             size_t len, int page, char **message)
{
    *gray = NULL;
    pthread_once(&poppler_once, set_poppler_up);
    GBytes *data = g_bytes_new_static(bytes, len);
    PopplerDocument *document = poppler_document_new_from_bytes(data, NULL, NULL);
    g_bytes_unref(data);
    PopplerPage *p = document && page >= 0 && page < poppler_document_get_n_pages(document)
                         ? poppler_document_get_page(document, page)
                         : NULL;
    int stride = 0;
    if (p) {
        *gray = render_gray(p, dpi, width, height, &stride);
        g_object_unref(p);
    }
    if (document)
        g_object_unref(document);
    if (!*gray) {
        *message = tc_strdup_printf("page %d: %s", page + 1, p ? "out of memory" : "no such page, or corrupt PDF");
        return p ? TC_STATUS_OUT_OF_MEMORY : TC_STATUS_BAD_INPUT;
    }
    return TC_STATUS_SUCCESS;
}

/* The pages OCR reads, shared by the threads reading them.  A page OCR
 * fails on is marked and the others are still read; only running out of
 * memory stops them all. */
typedef struct {
    PopplerDocument *document;
    page_t *pages;
    int n_pages;
    int next;             /* next page to take */
    double deadline;      /* CLOCK_MONOTONIC seconds */
    double seconds;       /* the file's time limit, for messages */
    tc_status_t status;   /* out of memory, or success */
    int failed_page;      /* where memory ran out */
    pthread_mutex_t lock; /* the fields above */
    pthread_mutex_t document_lock; /* one page of the document drawn at a time */
} ocr_job_t;

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* OCR's reading of page i, laid out as a text layer is, into *text; or
 * why not into *why (malloc'd; NULL with TC_STATUS_OUT_OF_MEMORY). */
static tc_status_t ocr_page(ocr_job_t *job, int i, char **text, int *confidence, char **why)
{
    *text = NULL;
    *why = NULL;
    *confidence = 0;
    /* Past the file's time limit, the page is not even rendered. */
    double seconds = job->deadline - now_seconds();
    if (seconds <= 0) {
        *why = tc_strdup_printf("OCR time limit of %.0f s reached", job->seconds);
        return *why ? TC_STATUS_BAD_INPUT : TC_STATUS_OUT_OF_MEMORY;
    }
    int dpi = OCR_DPI, width = 0, height = 0, stride = 0;
    pthread_mutex_lock(&job->document_lock);
    PopplerPage *page = poppler_document_get_page(job->document, i);
    unsigned char *gray = page ? render_gray(page, &dpi, &width, &height, &stride) : NULL;
    if (page)
        g_object_unref(page);
    pthread_mutex_unlock(&job->document_lock);
    if (!gray) {
        *why = strdup("the page could not be rendered");
        return *why ? TC_STATUS_BAD_INPUT : TC_STATUS_OUT_OF_MEMORY;
    }
    char *words = NULL;
    tc_ocr_box_t *boxes = NULL;
    size_t n_boxes = 0;
    tc_status_t status =
        tc_ocr_read(&words, &boxes, &n_boxes, confidence, gray, width, height, stride, dpi, seconds, why);
    free(gray);
    if (status == TC_STATUS_SUCCESS) {
        /* Laid out as a text layer is: a header's two columns as two
         * blocks (Tesseract may join their lines). */
        PopplerRectangle *rects = n_boxes ? g_try_new(PopplerRectangle, n_boxes) : NULL;
        tc_buf_t laid = TC_BUF_INIT;
        for (size_t k = 0; rects && k < n_boxes; k++)
            rects[k] = (PopplerRectangle){ boxes[k].x1, boxes[k].y1, boxes[k].x2, boxes[k].y2 };
        if (n_boxes && (!rects || lay_out(&laid, words, rects, (guint)n_boxes, width, height, i == 0) < 0 ||
                        tc_buf_append(&laid, "", 0) < 0))
            status = TC_STATUS_OUT_OF_MEMORY;
        *text = status == TC_STATUS_SUCCESS ? (laid.data ? tc_buf_steal(&laid) : strdup("")) : NULL;
        if (status == TC_STATUS_SUCCESS && !*text)
            status = TC_STATUS_OUT_OF_MEMORY;
        tc_buf_free(&laid);
        g_free(rects);
    } else if (status != TC_STATUS_OUT_OF_MEMORY && now_seconds() >= job->deadline) {
        /* Stopped by the file's time limit, whatever Tesseract said. */
        free(*why);
        *why = tc_strdup_printf("OCR time limit of %.0f s reached", job->seconds);
        if (!*why)
            status = TC_STATUS_OUT_OF_MEMORY;
    } else if (status != TC_STATUS_OUT_OF_MEMORY && !*why) {
        *why = strdup(tc_status_to_string(status));
        if (!*why)
            status = TC_STATUS_OUT_OF_MEMORY;
    }
    free(words);
    free(boxes);
    return status;
}

static void *ocr_pages(void *arg)
{
    ocr_job_t *job = arg;
    for (;;) {
        pthread_mutex_lock(&job->lock);
        while (job->next < job->n_pages && (!job->pages[job->next].wanted || job->pages[job->next].ocr))
            job->next++;
        int i = job->status == TC_STATUS_SUCCESS && job->next < job->n_pages ? job->next++ : -1;
        pthread_mutex_unlock(&job->lock);
        if (i < 0)
            break;
        char *text = NULL, *why = NULL;
        int confidence = 0;
        tc_status_t status = ocr_page(job, i, &text, &confidence, &why);
        pthread_mutex_lock(&job->lock);
        if (status == TC_STATUS_SUCCESS) {
            job->pages[i].ocr = text;
            job->pages[i].confidence = confidence;
        } else if (status != TC_STATUS_OUT_OF_MEMORY) {
            job->pages[i].failed = why;
            why = NULL;
        } else if (job->status == TC_STATUS_SUCCESS) {
            job->status = status;
            job->failed_page = i + 1;
        }
        pthread_mutex_unlock(&job->lock);
        free(why);
    }
    return NULL;
}

/* Reads the wanted pages that have no reading yet, on as many threads as
 * the OCR pool has engines; those it cannot read are marked failed.
 * Fails only when memory runs out. */
static tc_status_t ocr_wanted(ocr_job_t *job, int to_read, char **message, const char *name)
{
    unsigned n_threads = tc_ocr_engines();
    if ((int)n_threads > to_read)
        n_threads = (unsigned)to_read;
    pthread_t threads[TC_OCR_MAX_ENGINES];
    unsigned started = 0;
    for (; started + 1 < n_threads; started++)
        if (pthread_create(&threads[started], NULL, ocr_pages, job) != 0)
            break;
    ocr_pages(job); /* this thread reads too */
    for (unsigned k = 0; k < started; k++)
        pthread_join(threads[k], NULL);
    if (job->status != TC_STATUS_SUCCESS)
        tc_say(message, "%s: page %d: %s", name, job->failed_page, tc_status_to_string(job->status));
    return job->status;
}

#define OCR_READING_SUFFIX ".ocr"

int tc_ocr_cache_is_reading(const char *name)
{
    return strlen(name) == TC_OCR_KEY_LEN + strlen(OCR_READING_SUFFIX) &&
           strcmp(name + TC_OCR_KEY_LEN, OCR_READING_SUFFIX) == 0 &&
           strspn(name, "0123456789abcdef") == TC_OCR_KEY_LEN;
}

/* The file's reading in the cache, and its key into key. */
static char *cache_path(const char *cache_dir, const char *bytes, size_t len, char key[TC_OCR_KEY_LEN + 1])
{
    char *hash = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)bytes, len);
    char *path = hash && strlen(hash) == TC_OCR_KEY_LEN
                     ? tc_strdup_printf("%s/%s" OCR_READING_SUFFIX, cache_dir, hash)
                     : NULL;
    if (path)
        memcpy(key, hash, TC_OCR_KEY_LEN + 1);
    g_free(hash);
    return path;
}

static void cache_group(char group[32], int page)
{
    snprintf(group, 32, "page %d", page + 1);
}

/* The readings of the wanted pages the cache holds; the reading is
 * touched (touch): its time is when a file last needed it, which an
 * update that prunes the cache goes by. */
static void cache_load(const char *path, page_t *pages, int n_pages, int touch)
{
    GKeyFile *file = g_key_file_new();
    if (g_key_file_load_from_file(file, path, G_KEY_FILE_NONE, NULL)) {
        if (touch)
            utimensat(AT_FDCWD, path, NULL, 0);
        char *version = g_key_file_get_string(file, "reading", "version", NULL);
        for (int i = 0; version && strcmp(version, OCR_CACHE_VERSION) == 0 && i < n_pages; i++) {
            char group[32];
            cache_group(group, i);
            if (!pages[i].wanted || !g_key_file_has_group(file, group))
                continue;
            char *text = g_key_file_get_string(file, group, "text", NULL);
            if (text) {
                pages[i].ocr = strdup(text);
                pages[i].confidence = g_key_file_get_integer(file, group, "confidence", NULL);
                pages[i].cached = pages[i].ocr != NULL;
            }
            g_free(text);
        }
        g_free(version);
    }
    g_key_file_free(file);
}

/* Keeps every OCR reading of the file, with those cached before (another
 * mode may have read other pages); written whole or not at all. */
static void cache_save(const char *cache_dir, const char *path, page_t *pages, int n_pages)
{
    GKeyFile *file = g_key_file_new();
    g_key_file_load_from_file(file, path, G_KEY_FILE_KEEP_COMMENTS, NULL);
    char *version = g_key_file_get_string(file, "reading", "version", NULL);
    if (!version || strcmp(version, OCR_CACHE_VERSION) != 0) {
        g_key_file_free(file);
        file = g_key_file_new();
    }
    g_free(version);
    g_key_file_set_string(file, "reading", "version", OCR_CACHE_VERSION);
    for (int i = 0; i < n_pages; i++) {
        if (!pages[i].ocr)
            continue;
        char group[32];
        cache_group(group, i);
        g_key_file_set_string(file, group, "text", pages[i].ocr);
        g_key_file_set_integer(file, group, "confidence", pages[i].confidence);
    }
    /* A cache that cannot be written costs time at the next run, nothing
     * more. */
    if (g_mkdir_with_parents(cache_dir, 0755) == 0)
        g_key_file_save_to_file(file, path, NULL);
    g_key_file_free(file);
}

/* Whether the OCR reading of a page is better than its text layer: the
 * layer is kept unless it is (nearly) empty or OCR's has the larger
 * share of Vietnamese syllables. */
static int ocr_is_better(const page_t *page, const tc_ocr_options_t *ocr)
{
    if (page->layer_letters < TC_MIN_LETTERS_OF_A_PAGE)
        return count_letters(page->ocr) > page->layer_letters;
    if (!ocr->vietnamese_share)
        return 0;
    return ocr->vietnamese_share(page->ocr, strlen(page->ocr)) >
           ocr->vietnamese_share(page->layer.data, page->layer.len);
}

static int wants_ocr(const page_t *page, const tc_ocr_options_t *ocr)
{
    if (!ocr || ocr->mode == TC_OCR_NEVER)
        return 0;
    if (ocr->mode == TC_OCR_ALWAYS || page->layer_letters < TC_MIN_LETTERS_OF_A_PAGE)
        return 1;
    if (!ocr->vietnamese_share)
        return 0;
    double share = ocr->vietnamese_share(page->layer.data, page->layer.len);
    return share >= 0 && share < GARBAGE_LAYER_SHARE;
}

/* Tells ocr->warn of the pages OCR failed on, in a file read all the
 * same: a run of neighbouring pages failed for one reason, with the same
 * outcome, in one message ("f.pdf: pages 3-9: OCR time limit of 600 s
 * reached; their text layer is kept"). */
static void warn_failed_pages(const tc_ocr_options_t *ocr, const char *name, const page_t *pages, int n_pages)
{
    for (int i = 0; i < n_pages; i++) {
        if (!pages[i].failed)
            continue;
        int kept = pages[i].layer_letters > 0, last = i;
        while (last + 1 < n_pages && pages[last + 1].failed && strcmp(pages[last + 1].failed, pages[i].failed) == 0 &&
               (pages[last + 1].layer_letters > 0) == kept)
            last++;
        char *said = last == i ? tc_strdup_printf("%s: page %d: %s; %s", name, i + 1, pages[i].failed,
                                                  kept ? "its text layer is kept" : "nothing of it is indexed")
                               : tc_strdup_printf("%s: pages %d-%d: %s; %s", name, i + 1, last + 1, pages[i].failed,
                                                  kept ? "their text layer is kept" : "nothing of them is indexed");
        ocr->warn(ocr->warn_arg, said ? said : "out of memory");
        free(said);
        i = last;
    }
}

tc_status_t tc_extract_pdf_ocr(char **out, size_t *out_len, const char *bytes, size_t len, const char *name,
                               const tc_ocr_options_t *ocr, tc_pdf_reading_t *reading, char **message)
{
    GError *error = NULL;
    tc_pdf_reading_t counts = { 0, 0, 0, 0, "" };
    if (reading)
        *reading = counts;
    pthread_once(&poppler_once, set_poppler_up);
    GBytes *data = g_bytes_new_static(bytes, len);
    PopplerDocument *document = poppler_document_new_from_bytes(data, NULL, &error);
    g_bytes_unref(data);
    if (!document) {
        int encrypted = error && error->domain == POPPLER_ERROR && error->code == POPPLER_ERROR_ENCRYPTED;
        g_clear_error(&error);
        return tc_extract_reject(message, name, encrypted ? "encrypted PDF" : "corrupt PDF");
    }
    int n_pages = poppler_document_get_n_pages(document);
    if (n_pages > MAX_PDF_PAGES) {
        g_object_unref(document);
        char *why = tc_strdup_printf("%d pages, more than the %d a dispatch with its annexes has", n_pages,
                                     MAX_PDF_PAGES);
        tc_status_t status = tc_extract_reject(message, name, why ? why : "too many pages");
        free(why);
        return status;
    }
    page_t *pages = n_pages > 0 ? calloc((size_t)n_pages, sizeof *pages) : NULL;
    tc_status_t status = n_pages > 0 && !pages ? TC_STATUS_OUT_OF_MEMORY : TC_STATUS_SUCCESS;
    for (int i = 0; i < n_pages && status == TC_STATUS_SUCCESS; i++) {
        PopplerPage *page = poppler_document_get_page(document, i);
        if (!page)
            continue;
        long n = put_page(&pages[i].layer, page, i == 0);
        g_object_unref(page);
        if (n < 0)
            status = TC_STATUS_OUT_OF_MEMORY;
        else
            pages[i].layer_letters = n;
    }

    int to_read = 0;
    for (int i = 0; i < n_pages && status == TC_STATUS_SUCCESS; i++) {
        pages[i].wanted = wants_ocr(&pages[i], ocr);
        to_read += pages[i].wanted;
    }
    char *cache = to_read && ocr->cache_dir ? cache_path(ocr->cache_dir, bytes, len, counts.cache_key) : NULL;
    if (cache) {
        cache_load(cache, pages, n_pages, !ocr->cache_read_only);
        for (int i = 0; i < n_pages; i++)
            to_read -= pages[i].cached;
    }
    if (status == TC_STATUS_SUCCESS && to_read > 0) {
        double seconds = ocr->seconds > 0 ? ocr->seconds : TC_OCR_SECONDS;
        ocr_job_t job = { document, pages, n_pages, 0, now_seconds() + seconds, seconds, TC_STATUS_SUCCESS, 0,
                          PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER };
        status = ocr_wanted(&job, to_read, message, name);
        /* What was read is kept, also when other pages failed: the next
         * run reads only those again. */
        int read_now = 0;
        for (int i = 0; i < n_pages; i++)
            read_now += pages[i].ocr && !pages[i].cached;
        if (status == TC_STATUS_SUCCESS && cache && read_now && !ocr->cache_read_only)
            cache_save(ocr->cache_dir, cache, pages, n_pages);
    }
    free(cache);
    g_object_unref(document);

    tc_buf_t text = TC_BUF_INIT;
    long letters = 0, confidence_sum = 0;
    int n_failed = 0, first_failed = -1;
    counts.pages = n_pages;
    for (int i = 0; i < n_pages && status == TC_STATUS_SUCCESS; i++) {
        page_t *page = &pages[i];
        if (page->failed && n_failed++ == 0)
            first_failed = i;
        if (page->ocr && ocr_is_better(page, ocr)) {
            counts.ocr_pages++;
            counts.cached_pages += page->cached;
            confidence_sum += page->confidence;
            letters += count_letters(page->ocr);
            if (tc_buf_puts(&text, page->ocr) < 0)
                status = TC_STATUS_OUT_OF_MEMORY;
        } else {
            /* The text layer, also one judged garbage, when OCR failed:
             * better than nothing of the page. */
            letters += page->layer_letters;
            if (tc_buf_append(&text, page->layer.data ? page->layer.data : "", page->layer.len) < 0)
                status = TC_STATUS_OUT_OF_MEMORY;
        }
    }
    if (status == TC_STATUS_SUCCESS && n_pages == 0) {
        status = tc_extract_reject(message, name, "corrupt PDF (no pages)");
    } else if (status == TC_STATUS_SUCCESS && letters < MIN_LETTERS_OF_A_TEXT_LAYER && n_failed) {
        char *why = n_failed == 1
                        ? tc_strdup_printf("no text layer, and OCR failed at page %d of %d: %s", first_failed + 1,
                                           n_pages, pages[first_failed].failed)
                        : tc_strdup_printf("no text layer, and OCR failed at %d of its %d pages (page %d: %s)",
                                           n_failed, n_pages, first_failed + 1, pages[first_failed].failed);
        status = tc_extract_reject(message, name, why);
        free(why);
    } else if (status == TC_STATUS_SUCCESS && letters < MIN_LETTERS_OF_A_TEXT_LAYER) {
        status = tc_extract_reject(message, name,
                        !ocr || ocr->mode == TC_OCR_NEVER ? "no text layer (a scan, and OCR was not asked for)"
                                                          : "no text: neither a text layer nor OCR found any");
    } else if (status == TC_STATUS_SUCCESS && n_failed && ocr->warn) {
        warn_failed_pages(ocr, name, pages, n_pages);
    }
    for (int i = 0; i < n_pages; i++) {
        tc_buf_free(&pages[i].layer);
        free(pages[i].ocr);
        free(pages[i].failed);
    }
    free(pages);
    if (status != TC_STATUS_SUCCESS) {
        tc_buf_free(&text);
        return status;
    }
    if (counts.ocr_pages)
        counts.ocr_confidence = (int)(confidence_sum / counts.ocr_pages);
    if (reading)
        *reading = counts;
    *out_len = text.len;
    *out = text.data ? text.data : calloc(1, 1);
    return *out ? TC_STATUS_SUCCESS : TC_STATUS_OUT_OF_MEMORY;
}
