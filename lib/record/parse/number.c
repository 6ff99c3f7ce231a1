/* The number and symbol: "Số: 1471/UBND-KGVX", "Số 15-TB/ĐU". */

#include <string.h>

#include "text/fold.h"
#include "record/parse/parse.h"

/* "Số: 1471/UBND-KGVX": sets *after to the offset after "Số:". */
int ps_is_so_line(ctx_t *c, size_t i, size_t *after)
{
    size_t fn;
    const char *f = fold_line(c, i, &fn);
    size_t e = fm(f, fn, 0, voc_so);
    if (e == NPOS)
        return 0;
    size_t k = skip_sp(f, fn, e);
    if (k < fn && f[k] == ':') {
        *after = c->lmap[k + 1];
        return 1;
    }
    if (k > e && k < fn && (is_dig(f[k]) || f[k] == '/'))
        for (size_t t = k; t < fn && f[t] != ' '; t++)
            if (f[t] == '/') {
                *after = c->lmap[k];
                return 1;
            }
    return 0;
}

char *ps_symbol_code(ctx_t *c, const char **code, size_t *len)
{
    const char *sym = c->doc->symbol;
    size_t y = ps_lead_digits(sym);
    if (y && sym[y] == '/')
        sym += y + 1;
    size_t d1 = strcspn(sym, "-/");
    char *f0 = tc_fold(sym, d1);
    if (!f0)
        c->oom = 1;
    *code = sym;
    *len = d1;
    return f0;
}

/* The end of a run of upper-case letters at s[p] ("KH", "CV", "TB"), p
 * when there is none. */
static size_t upper_run(const char *s, size_t n, size_t p)
{
    while (p < n && ps_case_at(s, n, p) == 'U') {
        size_t j = p;
        tc_utf8_next(s, n, &j);
        p = j;
    }
    return p;
}

/* Upper-case letters a code opens with before a lower-case one: the
 * Prime Minister's "TTg", a ministry department's "GDTrH"; a word of a
 * sentence ("Hà Nội") has one. */
#define CODE_UPPER_BEFORE_LOWER 2

/* s[a, b) holds a code: letters (upper-case but for the above), digits,
 * '-' and '/'. */
static int is_code(const char *s, size_t n, size_t a, size_t b)
{
    if (a >= b || ps_case_at(s, n, a) != 'U')
        return 0;
    size_t letters = 0;
    for (size_t i = a; i < b;) {
        if (s[i] == '-' || s[i] == '/' || is_dig(s[i])) {
            i++;
            continue;
        }
        int letter_case = ps_case_at(s, n, i);
        if (letter_case != 'U' && (letter_case != 'L' || letters < CODE_UPPER_BEFORE_LOWER))
            return 0;
        letters++;
        tc_utf8_next(s, n, &i);
    }
    return 1;
}

/* The piece of s (no spaces in it) after the spaces at s[from]: its
 * start, its end in *end. */
static size_t piece_after(const char *s, size_t n, size_t from, size_t *end)
{
    size_t start = from;
    while (start < n && is_sp(s[start]))
        start++;
    size_t e = start;
    while (e < n && !is_sp(s[e]))
        e++;
    *end = e;
    return start;
}

/* The end of a symbol that goes on past a space: "/HD- MTTQ-BTT", cut
 * after its hyphen by a PDF's justified line, "/TB - HTTT", its hyphen
 * spaced out by OCR, or "/U B ND-VP", its letters spaced out; b when it
 * does not go on. */
static size_t mend_symbol(const char *s, size_t n, size_t a, size_t b)
{
    size_t last = a; /* where the last piece starts */
    while (b > a && b < n && is_sp(s[b])) {
        size_t e, r = piece_after(s, n, b, &e);
        if (e == r + 1 && s[r] == '-' && s[b - 1] != '-') {
            /* A hyphen alone: the code after it goes on. */
            size_t e2, r2 = piece_after(s, n, e, &e2);
            if (!is_code(s, n, r2, e2))
                break;
            last = r2;
            b = e2;
            continue;
        }
        size_t one = last;
        if (one < b)
            tc_utf8_next(s, n, &one);
        int spaced = one == b && ps_case_at(s, n, last) == 'U'; /* a lone letter */
        if (!(s[b - 1] == '-' || spaced) || !is_code(s, n, r, e))
            break;
        last = r;
        b = e;
    }
    return b;
}

/* OCR's reading of a handwritten number: at most JUNK_PIECES pieces of at
 * most JUNK_CHARS characters, no digit among them (a digit read is a
 * number, however damaged: "ổ0"). */
#define JUNK_PIECES 3
#define JUNK_CHARS 3

static int is_junk(const char *s, size_t a, size_t b)
{
    return b > a && ps_count_cps(s + a, b - a) <= JUNK_CHARS && !has_digit(s + a, b - a);
}

void ps_read_number(ctx_t *c, size_t i, size_t p)
{
    const char *s = LS(c, i);
    size_t n = LN(c, i);
    while (p < n && is_sp(s[p]))
        p++;
    size_t q = p;
    while (q < n && s[q] != '/' && !is_sp(s[q]))
        q++;
    size_t r = q;
    while (r < n && is_sp(s[r]))
        r++;
    size_t d = 0;
    while (p + d < q && is_dig(s[p + d]))
        d++;
    /* A number written by hand into the printed blank, which OCR reads as
     * specks and letters: "Số: ƑĐ + /QĐ- TTg" (the Prime Minister's 707).
     * Up to JUNK_PIECES short pieces without a digit before the slash are
     * the blank's: no number, the symbol after them. */
    if (!d && r < n && s[r] != '/' && is_junk(s, p, q)) {
        size_t end = r, next = r;
        for (int piece = 1; piece < JUNK_PIECES && next < n && s[next] != '/'; piece++) {
            piece_after(s, n, next, &end);
            if (!is_junk(s, next, end))
                break;
            size_t its_end;
            next = piece_after(s, n, end, &its_end);
        }
        if (next < n && s[next] == '/') {
            q = end;
            r = next;
        }
    }
    /* The hyphen between number and type lost, or a space in its place:
     * "337KH/TWĐTNMTTN", "6129 CV/TWĐTNVP" (the Youth Union's and some
     * Party bodies' numbering): the number is the digits, the symbol runs
     * from the type's letters. */
    size_t t = NPOS;
    int more = q + 1 < n && !is_sp(s[q + 1]); /* a code after the slash */
    if (!d && p < q && s[q] == '/' && more && upper_run(s, n, p) == q) {
        /* A draft's blank number before a type and a slash: "Số:
         * CV/TWĐTNĐKTHTN" is no number, symbol CV/TWĐTNĐKTHTN. */
        size_t b = q;
        while (b < n && !is_sp(s[b]))
            b++;
        c->sym_end = b;
        ps_rstrip(s, p, &b, ".,;:");
        ps_set_field(c, &c->doc->symbol, s + p, b - p);
        return;
    }
    if (d && p + d < q && s[q] == '/' && more && upper_run(s, n, p + d) == q)
        t = p + d;
    else if (d && p + d == q && r > q && r < n) {
        size_t u = upper_run(s, n, r);
        if (u > r && u + 1 < n && s[u] == '/' && !is_sp(s[u + 1]))
            t = r;
    }
    if (t != NPOS) {
        size_t b = t;
        while (b < n && !is_sp(s[b]))
            b++;
        c->sym_end = b;
        ps_rstrip(s, t, &b, ".,;:");
        ps_set_field(c, &c->doc->number, s + p, d);
        ps_set_field(c, &c->doc->symbol, s + t, b - t);
        return;
    }
    c->sym_end = q;
    if (r < n && s[r] == '/') {
        size_t a = r + 1, b = a;
        while (b < n && !is_sp(s[b]))
            b++;
        b = mend_symbol(s, n, a, b);
        c->sym_end = b;
        ps_rstrip(s, a, &b, ".,;:");
        if (d && p + d + 1 < q && s[p + d] == '-') {
            /* Party style "15-TB/ĐU": number 15, symbol TB/ĐU. */
            ps_set_field(c, &c->doc->number, s + p, d);
            if (!c->doc->symbol)
                c->doc->symbol = ps_join3(c, s + p + d + 1, q - p - d - 1, "/", s + a, b - a);
            return;
        }
        if (has_digit(s + p, q - p))
            ps_set_field(c, &c->doc->number, s + p, q - p);
        if (b > a && !memchr(s + a, ' ', b - a)) {
            ps_set_field(c, &c->doc->symbol, s + a, b - a);
        } else if (b > a) {
            /* "HD- MTTQ-BTT": the symbol without the space a justified
             * line put in it. */
            tc_buf_t tb = TC_BUF_INIT;
            for (size_t x = a; x < b; x++)
                if (!is_sp(s[x]))
                    put(c, &tb, s + x, 1);
            if (tb.len)
                ps_set_field(c, &c->doc->symbol, tb.data, tb.len);
            tc_buf_free(&tb);
        }
    } else if (has_digit(s + p, q - p)) {
        size_t b = q;
        ps_rstrip(s, p, &b, ".,;:");
        ps_set_field(c, &c->doc->number, s + p, b - p);
    }
}
