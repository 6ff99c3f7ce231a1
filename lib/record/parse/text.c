/* The lines joined into paragraphs, mending the wraps of PDF and DOCX
 * extraction: the cleaned text (doc->text) and its folded form, which the
 * readers of the body search. */
#include <stdint.h>
#include <string.h>

#include "text/fold.h"
#include "record/parse/parse.h"

/* How line q goes on from line p. */
typedef enum {
    JOIN_APART, /* keep apart: q starts a paragraph */
    JOIN_SPACE, /* join with a space */
    JOIN_AS_IS  /* join as is: a word cut by "-" */
} join_t;

static join_t join_mode(ctx_t *c, size_t p, size_t q)
{
    if (p < c->body && q >= c->body)
        return JOIN_APART;
    const char *P = LS(c, p), *Q = LS(c, q);
    size_t pn = LN(c, p), qn = LN(c, q);
    if (pn >= 2 && P[pn - 1] == '-') {
        size_t i = prev_cp(P, pn - 1), j = i, k = 0;
        uint32_t before = tc_utf8_next(P, pn, &j);
        uint32_t next = tc_utf8_next(Q, qn, &k);
        if (ps_is_letter_cp(before) && (ps_is_letter_cp(next) || (next < 0x80 && is_dig((char)next))))
            return JOIN_AS_IS;
    }
    int wide = c->hard && p >= c->join_from && (double)c->lines[p].nchars >= FULL_LINE_SHARE * c->wrap;
    if (ps_list_marker(Q, qn))
        return JOIN_APART;
    if (ps_ends_terminal(P, pn))
        /* In PDF text a full line ending in ";" then lower case is a wrap. */
        return wide && P[pn - 1] == ';' && ps_case_at(Q, qn, 0) == 'L' ? JOIN_SPACE : JOIN_APART;
    return ps_case_at(Q, qn, 0) == 'L' || wide ? JOIN_SPACE : JOIN_APART;
}

/* Appends line i to the text and its folded form to the folded text; a
 * space first when `space`.  Folding goes code point by code point, so a
 * paragraph's folded text is its lines' folded texts joined the same way. */
static void put_line(ctx_t *c, size_t i, int space)
{
    const para_t *p = &c->paras[c->n_paras - 1];
    const line_t *l = &c->lines[i];
    size_t need = c->ftext.len + l->flen + 2;
    if (need > c->fcap) {
        size_t cap = c->fcap * 2 > need ? c->fcap * 2 : need;
        size_t *grown = ps_xrealloc(c, c->fmap, cap, sizeof *grown);
        if (!grown)
            return;
        c->fmap = grown;
        c->fcap = cap;
    }
    if (space) {
        c->fmap[c->ftext.len] = c->text.len - p->start;
        put(c, &c->text, " ", 1);
        put(c, &c->ftext, " ", 1);
    }
    size_t rel = c->text.len - p->start, x = 0, n = l->flen;
    const size_t *restrict lm = c->lfmap + l->foff;
    size_t *restrict fm_ = c->fmap + c->ftext.len;
    for (; x + 4 <= n; x += 4) {
        fm_[x] = rel + lm[x];
        fm_[x + 1] = rel + lm[x + 1];
        fm_[x + 2] = rel + lm[x + 2];
        fm_[x + 3] = rel + lm[x + 3];
    }
    for (; x < n; x++)
        fm_[x] = rel + lm[x];
    put(c, &c->text, LS(c, i), LN(c, i));
    put(c, &c->ftext, c->lfold.data + l->foff, l->flen);
}

/* Closes the last paragraph: its lengths, the map's end entry, the "\n". */
static void end_para(ctx_t *c)
{
    para_t *p = &c->paras[c->n_paras - 1];
    p->len = c->text.len - p->start;
    p->flen = c->ftext.len - p->fstart;
    c->fmap[c->ftext.len] = p->len; /* put_line left room for it */
    put(c, &c->ftext, "\n", 1);
}

void ps_build_text(ctx_t *c)
{
    size_t cap = 0, prev = NPOS;
    int gap = 0;
    put(c, &c->text, "", 0);
    put(c, &c->ftext, "", 0);
    /* The folded text is the folded lines, a space or a "\n" where they
     * had their "\n": room for it and its map at once. */
    if (tc_buf_reserve(&c->text, c->lbuf.len + c->n_lines) < 0 || tc_buf_reserve(&c->ftext, c->lfold.len) < 0 ||
        !(c->fmap = ps_xrealloc(c, c->fmap, c->lfold.len + 2, sizeof *c->fmap)))
        c->oom = 1;
    else
        c->fcap = c->lfold.len + 2;
    for (size_t i = 0; i < c->n_lines && !c->oom; i++) {
        if (c->lines[i].blank) {
            if (prev != NPOS)
                gap = 1;
            continue;
        }
        if (prev != NPOS) {
            join_t mode = join_mode(c, prev, i);
            if (mode != JOIN_APART) {
                put_line(c, i, mode == JOIN_SPACE);
                c->paras[c->n_paras - 1].last = i;
                prev = i;
                gap = 0;
                continue;
            }
            end_para(c);
            puts_(c, &c->text, gap ? "\n\n" : "\n");
        }
        para_t *paras = grow(c, c->paras, c->n_paras, &cap, sizeof *paras);
        if (!paras)
            return;
        c->paras = paras;
        para_t *p = &c->paras[c->n_paras++];
        memset(p, 0, sizeof *p);
        p->start = c->text.len;
        p->fstart = c->ftext.len;
        p->first = p->last = i;
        put_line(c, i, 0);
        prev = i;
        gap = 0;
    }
    if (c->n_paras && !c->oom)
        end_para(c);
}
