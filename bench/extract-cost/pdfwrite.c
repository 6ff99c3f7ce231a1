/* pdfwrite < LAYOUT: dispatches drawn as text PDFs (A4, DejaVu Sans, cairo's
 * PDF surface, as a word processor's "Save as PDF" gives them), for
 * bench/extract-cost/run.
 *
 * LAYOUT is read from stdin, one line each, a tag, a tab, then text:
 *   F  path      start the PDF at path (the one before is finished)
 *   L  text      a line of the header's left column (issuer, number, V/v)
 *   R  text      a line of the header's right column (quốc hiệu, place, date)
 *   B  text      a line of the body; empty, a blank line
 *   C  text      a line of the body centred, as a title and the subject
 *                under it are ("KẾ HOẠCH", "Về việc ...")
 * The header's two columns are drawn side by side from the top of the first
 * page, smaller, each line wrapped to its column; the body under the longer column,
 * wrapped to the width between the margins, page after page.  Prints each
 * file's path and page count, a tab between; exit status 1 when cairo failed
 * on a file. */
#include <cairo-pdf.h>
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_WIDTH 595.0  /* A4, points */
#define PAGE_HEIGHT 842.0
#define MARGIN_LEFT 85.0  /* 3 cm, as Nghị định 30 sets a dispatch's */
#define MARGIN_RIGHT 57.0 /* 2 cm */
#define MARGIN_TOP 57.0
#define MARGIN_BOTTOM 57.0
#define FONT_SIZE 11.0
/* The header smaller, as clerks set it to keep the issuer's name and the
 * place and date each on a line of its column (most fit). */
#define HEADER_FONT_SIZE 9.5
#define LINE_HEIGHT (FONT_SIZE * 1.35)
#define GUTTER 20.0
/* The left column is the narrower: the quốc hiệu is the longer line. */
#define LEFT_SHARE 0.42

typedef struct {
    cairo_surface_t *surface;
    cairo_t *cr;
    double y;
    int pages;
} doc_t;

static double text_width(cairo_t *cr, const char *s, size_t len)
{
    char buf[4096];
    if (len >= sizeof buf)
        len = sizeof buf - 1;
    memcpy(buf, s, len);
    buf[len] = 0;
    cairo_text_extents_t e;
    cairo_text_extents(cr, buf, &e);
    return e.x_advance;
}

static void show(cairo_t *cr, double x, double y, const char *s, size_t len)
{
    char buf[4096];
    if (len >= sizeof buf)
        len = sizeof buf - 1;
    memcpy(buf, s, len);
    buf[len] = 0;
    cairo_move_to(cr, x, y);
    cairo_show_text(cr, buf);
}

#define PAGED 1  /* a new page when the body runs past the foot */
#define CENTRED 2 /* each line centred in the width */
/* A centred line of the body is pushed with this byte before it. */
#define CENTRED_MARK '\x01'

/* Draws text from (x, *y) wrapped at width, between words; a word wider
 * than the width is drawn alone on its line.  *y moves down; flags: PAGED
 * (body only), CENTRED. */
static void draw_wrapped(doc_t *doc, double x, double *y, double width, const char *text, int flags)
{
    size_t len = strlen(text), start = 0;
    if (len == 0) {
        *y += LINE_HEIGHT;
        return;
    }
    while (start < len) {
        while (start < len && text[start] == ' ')
            start++;
        if (start >= len)
            break;
        /* The longest run of words from start that fits. */
        size_t fit = start;
        while (fit < len) {
            size_t next = fit;
            while (next < len && text[next] == ' ')
                next++;
            while (next < len && text[next] != ' ')
                next++;
            if (fit > start && text_width(doc->cr, text + start, next - start) > width)
                break;
            fit = next;
        }
        if ((flags & PAGED) && *y > PAGE_HEIGHT - MARGIN_BOTTOM) {
            cairo_show_page(doc->cr);
            doc->pages++;
            *y = MARGIN_TOP + FONT_SIZE;
        }
        double indent = flags & CENTRED ? (width - text_width(doc->cr, text + start, fit - start)) / 2 : 0;
        show(doc->cr, x + (indent > 0 ? indent : 0), *y, text + start, fit - start);
        *y += LINE_HEIGHT;
        start = fit;
    }
}

typedef struct {
    char **items;
    size_t count, cap;
} lines_t;

static void push(lines_t *lines, const char *s)
{
    if (lines->count == lines->cap) {
        lines->cap = lines->cap ? 2 * lines->cap : 16;
        lines->items = realloc(lines->items, lines->cap * sizeof *lines->items);
        if (!lines->items) {
            perror("pdfwrite");
            exit(2);
        }
    }
    lines->items[lines->count++] = strdup(s);
}

static void clear(lines_t *lines)
{
    for (size_t i = 0; i < lines->count; i++)
        free(lines->items[i]);
    lines->count = 0;
}

/* Draws the header and body gathered for one file into path. */
static int write_pdf(const char *path, lines_t *left, lines_t *right, lines_t *body)
{
    doc_t doc = { cairo_pdf_surface_create(path, PAGE_WIDTH, PAGE_HEIGHT), NULL, 0, 1 };
    doc.cr = cairo_create(doc.surface);
    cairo_select_font_face(doc.cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    double usable = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
    double left_width = usable * LEFT_SHARE, right_x = MARGIN_LEFT + left_width + GUTTER;
    double y_left = MARGIN_TOP + FONT_SIZE, y_right = y_left;
    cairo_set_font_size(doc.cr, HEADER_FONT_SIZE);
    for (size_t i = 0; i < left->count; i++)
        draw_wrapped(&doc, MARGIN_LEFT, &y_left, left_width, left->items[i], 0);
    for (size_t i = 0; i < right->count; i++)
        draw_wrapped(&doc, right_x, &y_right, PAGE_WIDTH - MARGIN_RIGHT - right_x, right->items[i], 0);
    cairo_set_font_size(doc.cr, FONT_SIZE);
    double y = (y_left > y_right ? y_left : y_right) + (left->count || right->count ? LINE_HEIGHT : 0);
    for (size_t i = 0; i < body->count; i++) {
        const char *item = body->items[i];
        int centred = item[0] == CENTRED_MARK;
        draw_wrapped(&doc, MARGIN_LEFT, &y, usable, item + centred, PAGED | (centred ? CENTRED : 0));
    }
    cairo_show_page(doc.cr);
    cairo_destroy(doc.cr);
    cairo_surface_finish(doc.surface);
    int ok = cairo_surface_status(doc.surface) == CAIRO_STATUS_SUCCESS;
    if (!ok)
        fprintf(stderr, "pdfwrite: %s: %s\n", path, cairo_status_to_string(cairo_surface_status(doc.surface)));
    cairo_surface_destroy(doc.surface);
    printf("%s\t%d\n", path, doc.pages);
    clear(left);
    clear(right);
    clear(body);
    return ok;
}

int main(void)
{
    lines_t left = { 0 }, right = { 0 }, body = { 0 };
    char *path = NULL, *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int failed = 0;
    while ((n = getline(&line, &cap, stdin)) > 0) {
        if (line[n - 1] == '\n')
            line[--n] = 0;
        if (n < 2 || line[1] != '\t') {
            fprintf(stderr, "pdfwrite: a line without its tag: %s\n", line);
            return 2;
        }
        const char *text = line + 2;
        switch (line[0]) {
        case 'F':
            if (path) {
                failed += !write_pdf(path, &left, &right, &body);
            }
            free(path);
            path = strdup(text);
            break;
        case 'L': push(&left, text); break;
        case 'R': push(&right, text); break;
        case 'B': push(&body, text); break;
        case 'C': {
            char *marked = malloc(strlen(text) + 2);
            if (!marked) {
                perror("pdfwrite");
                return 2;
            }
            marked[0] = CENTRED_MARK;
            strcpy(marked + 1, text);
            push(&body, marked);
            free(marked);
            break;
        }
        default:
            fprintf(stderr, "pdfwrite: unknown tag %c\n", line[0]);
            return 2;
        }
    }
    if (path) {
        failed += !write_pdf(path, &left, &right, &body);
    }
    free(path);
    free(line);
    return failed ? 1 : 0;
}
