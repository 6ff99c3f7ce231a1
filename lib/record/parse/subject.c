/* The subject (the V/v line, or the lines under a title) and the document
 * type. */
#include <stdlib.h>
#include <string.h>

#include "text/fold.h"
#include "record/orgs.h"
#include "record/parse/parse.h"

/* Blank lines a subject may run across: extraction puts blank lines
 * between the wrapped lines of a header cell. */
#define SUBJECT_MAX_GAP 8
/* Lines of a subject: three or four in a header's narrow column; more
 * are the body's. */
#define SUBJECT_MAX_LINES 6
/* A longer line is a paragraph of the body, not a line of a subject (or of
 * a header). */
#define SUBJECT_LINE_MAX_CHARS 150
/* Across a blank line, hard-wrapped text goes on with the subject only on a
 * line this short (and short of a full line): a subject's column is
 * narrower than the page's. */
#define SUBJECT_WRAPPED_MAX_CHARS 90

/* The V/v line or the lines after a title. */
static void read_subject(ctx_t *c, size_t first, size_t off, int titled)
{
    tc_buf_t b = TC_BUF_INIT, kb = TC_BUF_INIT;
    const char *s = LS(c, first);
    size_t end = LN(c, first);
    if (first == c->dl && c->place_start > off)
        end = c->place_start;
    int caps = tc_is_all_caps(s, LN(c, first));
    put(c, &b, s + off, end > off ? end - off : 0);
    size_t last = first, gap = 0, pieces = 1;
    for (size_t i = first + 1; i < c->n_lines && !c->oom; i++) {
        if (c->lines[i].blank) {
            if (++gap > SUBJECT_MAX_GAP)
                break;
            continue;
        }
        if (i == c->kg || i == c->so || i == c->dl || i == c->title || pieces >= SUBJECT_MAX_LINES)
            break;
        s = LS(c, i);
        size_t n = LN(c, i);
        if (ps_list_marker(s, n) || s[0] == '-' || c->lines[i].nchars > SUBJECT_LINE_MAX_CHARS)
            break;
        const char *key = ps_line_key(c, i, &kb);
        if (ps_is_motto_key(key) || ps_is_mark_key(key) || fm(key, strlen(key), 0, voc_kinh_gui) != NPOS ||
            fm(c->lfold.data + c->lines[i].foff, c->lines[i].flen, 0, voc_vv) != NPOS)
            break;
        /* Across a blank line, PDF text goes on with the subject's next
         * line, but not with a full-width line: that is the body's first. */
        if (gap && !((c->hard && c->lines[i].nchars <= SUBJECT_WRAPPED_MAX_CHARS &&
                      (double)c->lines[i].nchars < FULL_LINE_SHARE * c->wrap) ||
                     ps_case_at(s, n, 0) == 'L'))
            break;
        if (titled && ((!caps && tc_is_all_caps(s, n)) || strncmp(key, voc_can_cu, strlen(voc_can_cu)) == 0))
            break;
        if (b.len >= 2 && b.data[b.len - 1] == '-' && !is_sp(b.data[b.len - 2]))
            ;
        else
            put(c, &b, " ", 1);
        put(c, &b, s, n);
        last = i;
        gap = 0;
        pieces++;
    }
    c->subject_end = last;
    if (!c->oom && b.len)
        ps_set_field(c, &c->doc->subject, b.data, b.len);
    tc_buf_free(&b);
    tc_buf_free(&kb);
}

void ps_read_header_subject(ctx_t *c)
{
    size_t fn, e;
    if (c->vv != NPOS) {
        const char *f = fold_line(c, c->vv, &fn);
        e = fm(f, fn, 0, voc_vv);
        read_subject(c, c->vv, ps_after_label(c, f, fn, e), 0);
        return;
    }
    if (c->title == NPOS)
        return;
    c->subject_end = c->title;
    for (size_t i = c->title + 1; i < c->n_lines; i++) {
        if (c->lines[i].blank)
            continue;
        if (i == c->kg || i == c->so || i == c->dl || c->lines[i].nchars > SUBJECT_LINE_MAX_CHARS ||
            ps_list_marker(LS(c, i), LN(c, i)))
            return;
        /* "V/v ..." or, under a title, "Về việc ...": the subject is what
         * follows. */
        const char *f = fold_line(c, i, &fn);
        size_t off = 0;
        if ((e = fm(f, fn, 0, voc_vv)) != NPOS || (e = fm(f, fn, 0, voc_ve_viec)) != NPOS)
            off = ps_after_label(c, f, fn, e);
        read_subject(c, i, off, 1);
        return;
    }
}

/* ------------------------------------------------------------------ */
/* Document type.                                                       */

void ps_read_doc_type(ctx_t *c)
{
    tc_doc_t *doc = c->doc;
    const char *name = NULL;
    if (c->vv != NPOS) {
        name = voc_cong_van;
    } else if (c->title != NPOS) {
        tc_buf_t kb = TC_BUF_INIT;
        const tc_doc_type_t *t = tc_doc_type_by_key(ps_line_key(c, c->title, &kb));
        name = t ? t->name : NULL;
        tc_buf_free(&kb);
    } else if (doc->symbol) {
        const char *sym;
        size_t d1;
        char *f0 = ps_symbol_code(c, &sym, &d1);
        if (!f0)
            return;
        const tc_doc_type_t *t = sym[d1] == '-' || sym[d1] == '/' ? tc_doc_type_by_code(f0) : NULL;
        name = t ? t->name : NULL;
        free(f0);
    }
    if (name)
        doc->doc_type = ps_xstrdup(c, name);
}
