/* The number and the day a signed dispatch was issued, stamped in its
 * signature fields.
 *
 * Under Nghị định 30/2020 a dispatch is signed in a PDF, and the clerk who
 * issues it signs again where the number and the day go: the signing tool
 * draws "173" on the blank of "Số: /KH-UBND" and "28", "4" on those of
 * "ngày tháng năm 2026", each the appearance of a signature field.
 * poppler's text of a page leaves fields out, so the record had neither
 * number nor date.  The page is drawn, fields and all, into a PDF in
 * memory (cairo's PDF surface keeps text as text) and its glyphs compared
 * with the page's own: a glyph the page lacks was drawn by a field.  A
 * field that adds a few digits filled a blank and its glyphs are kept;
 * the others are the signers' stamps (organisation, e-mail, time, "Ký
 * bởi"), no part of the dispatch's text, and theirs are left out. */
#include "extract/stamps.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A stamp that fills a blank adds the number or a day or a month: a few
 * digits.  Anything longer, or with letters, is a signer's stamp. */
#define FILLED_BLANK_MAX_DIGITS 6
/* Drawn again through cairo, a glyph of the page keeps its place to a
 * fraction of a point; this much apart it is another glyph. */
#define SAME_PLACE_POINTS 1.5

typedef struct {
    gunichar ch;
    double x, y; /* centre */
} glyph_t;

static cairo_status_t append_to(void *closure, const unsigned char *data, unsigned int length)
{
    g_byte_array_append(closure, data, length);
    return CAIRO_STATUS_SUCCESS;
}

static int by_y(const void *a, const void *b)
{
    double d = ((const glyph_t *)a)->y - ((const glyph_t *)b)->y;
    return d < 0 ? -1 : d > 0;
}

/* The page's glyphs with their centres, sorted top to bottom; NULL when
 * its text and its rectangles do not match. */
static glyph_t *glyphs_of(PopplerPage *page, size_t *count)
{
    char *text = poppler_page_get_text(page);
    PopplerRectangle *rects = NULL;
    guint n = 0;
    glyph_t *glyphs = NULL;
    if (text && poppler_page_get_text_layout(page, &rects, &n) && (guint)g_utf8_strlen(text, -1) == n) {
        glyphs = g_new(glyph_t, n ? n : 1);
        const char *p = text;
        for (guint i = 0; i < n; i++, p = g_utf8_next_char(p))
            glyphs[i] = (glyph_t){ g_utf8_get_char(p), (rects[i].x1 + rects[i].x2) / 2, (rects[i].y1 + rects[i].y2) / 2 };
        qsort(glyphs, n, sizeof *glyphs, by_y);
        *count = n;
    }
    g_free(rects);
    g_free(text);
    return glyphs;
}

/* Whether the page has glyph ch at (x, y); each of its glyphs answers
 * once (`used`). */
static int page_has(const glyph_t *glyphs, size_t n, char *used, gunichar ch, double x, double y)
{
    size_t lo = 0, hi = n;
    while (lo < hi) { /* the first glyph at y - SAME_PLACE_POINTS or below */
        size_t mid = (lo + hi) / 2;
        if (glyphs[mid].y < y - SAME_PLACE_POINTS)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < n && glyphs[i].y <= y + SAME_PLACE_POINTS; i++)
        if (!used[i] && glyphs[i].ch == ch && fabs(glyphs[i].x - x) <= SAME_PLACE_POINTS) {
            used[i] = 1;
            return 1;
        }
    return 0;
}

typedef struct {
    PopplerRectangle area; /* top-down, as the text's rectangles */
    size_t digits, other;  /* what the field adds */
} field_t;

static field_t *field_at(field_t *fields, size_t n, double x, double y)
{
    for (size_t i = 0; i < n; i++)
        if (x >= fields[i].area.x1 && x <= fields[i].area.x2 && y >= fields[i].area.y1 && y <= fields[i].area.y2)
            return &fields[i];
    return NULL;
}

static int fills_a_blank(const field_t *field)
{
    return field && !field->other && field->digits > 0 && field->digits <= FILLED_BLANK_MAX_DIGITS;
}

/* The page drawn with its fields into a one-page PDF in memory; NULL when
 * cairo or poppler cannot. */
static PopplerDocument *drawn_with_fields(PopplerPage *page)
{
    double width, height;
    poppler_page_get_size(page, &width, &height);
    GByteArray *pdf = g_byte_array_new();
    cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(append_to, pdf, width, height);
    cairo_t *cr = cairo_create(surface);
    poppler_page_render_for_printing(page, cr); /* printing draws the fields */
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    int failed = cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(surface);
    GBytes *bytes = g_byte_array_free_to_bytes(pdf);
    PopplerDocument *document = failed ? NULL : poppler_document_new_from_bytes(bytes, NULL, NULL);
    g_bytes_unref(bytes);
    return document;
}

int tc_stamped_text(PopplerPage *page, char **text_out, PopplerRectangle **rects_out, guint *n_out)
{
    double height, width;
    poppler_page_get_size(page, &width, &height);
    GList *mapping = poppler_page_get_form_field_mapping(page);
    size_t n_fields = 0;
    for (GList *l = mapping; l; l = l->next)
        n_fields += poppler_form_field_get_field_type(((PopplerFormFieldMapping *)l->data)->field) ==
                    POPPLER_FORM_FIELD_SIGNATURE;
    if (!n_fields) {
        poppler_page_free_form_field_mapping(mapping);
        return 0;
    }
    field_t *fields = g_new0(field_t, n_fields);
    n_fields = 0;
    for (GList *l = mapping; l; l = l->next) {
        PopplerFormFieldMapping *m = l->data;
        if (poppler_form_field_get_field_type(m->field) == POPPLER_FORM_FIELD_SIGNATURE)
            /* The mapping's area counts from the page's foot. */
            fields[n_fields++].area = (PopplerRectangle){ m->area.x1, height - m->area.y2, m->area.x2, height - m->area.y1 };
    }
    poppler_page_free_form_field_mapping(mapping);

    int done = 0;
    size_t n_own = 0;
    glyph_t *own = glyphs_of(page, &n_own);
    PopplerDocument *document = own ? drawn_with_fields(page) : NULL;
    PopplerPage *drawn = document ? poppler_document_get_page(document, 0) : NULL;
    char *text = drawn ? poppler_page_get_text(drawn) : NULL;
    PopplerRectangle *rects = NULL;
    guint n = 0;
    if (text && poppler_page_get_text_layout(drawn, &rects, &n) && (guint)g_utf8_strlen(text, -1) == n) {
        /* Which glyphs a field added, and what each field adds. */
        char *used = g_new0(char, n_own ? n_own : 1), *added = g_new0(char, n ? n : 1);
        const char *p = text;
        for (guint i = 0; i < n; i++, p = g_utf8_next_char(p)) {
            gunichar ch = g_utf8_get_char(p);
            double x = (rects[i].x1 + rects[i].x2) / 2, y = (rects[i].y1 + rects[i].y2) / 2;
            if (g_unichar_isspace(ch) || page_has(own, n_own, used, ch, x, y))
                continue;
            field_t *field = field_at(fields, n_fields, x, y);
            if (!field)
                continue; /* drawn a little apart, not by a field: the page's own */
            added[i] = 1;
            if (ch >= '0' && ch <= '9')
                field->digits++;
            else
                field->other++;
        }
        /* The text without the signers' stamps' glyphs. */
        GString *kept = g_string_sized_new(strlen(text));
        PopplerRectangle *kept_rects = g_new(PopplerRectangle, n ? n : 1);
        guint n_kept = 0;
        p = text;
        for (guint i = 0; i < n; i++, p = g_utf8_next_char(p)) {
            double x = (rects[i].x1 + rects[i].x2) / 2, y = (rects[i].y1 + rects[i].y2) / 2;
            if (added[i] && !fills_a_blank(field_at(fields, n_fields, x, y)))
                continue;
            g_string_append_len(kept, p, g_utf8_next_char(p) - p);
            kept_rects[n_kept++] = rects[i];
        }
        *text_out = g_string_free(kept, FALSE);
        *rects_out = kept_rects;
        *n_out = n_kept;
        done = 1;
        g_free(used);
        g_free(added);
    }
    g_free(rects);
    g_free(text);
    if (drawn)
        g_object_unref(drawn);
    if (document)
        g_object_unref(document);
    g_free(own);
    g_free(fields);
    return done;
}
