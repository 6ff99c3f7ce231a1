/* What every reader of the dispatch parser shares: tests on characters,
 * memory and strings (a failure is recorded in ctx->oom), name keys, and
 * matching on folded text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text/fold.h"
#include "record/parse/parse.h"

/* ------------------------------------------------------------------ */
/* Characters.                                                        */

const unsigned char ps_alnum_table[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1,
    ['9'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1,
    ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1,
    ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1,
    ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
    ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
};

/* Latin letters, which is where Vietnamese lives. */
int ps_is_letter_cp(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    return (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x1E00 && cp <= 0x1EFF);
}

/* 'U' or 'L' for an upper- or lower-case letter at s[i], 0 otherwise. */
int ps_case_at(const char *s, size_t len, size_t i)
{
    if (i >= len)
        return 0;
    size_t j = i;
    uint32_t cp = tc_utf8_next(s, len, &j);
    if (!ps_is_letter_cp(cp))
        return 0;
    if (cp < 0x80)
        return (cp >= 'A' && cp <= 'Z') ? 'U' : 'L';
    return tc_is_all_caps(s + i, j - i) ? 'U' : 'L';
}

size_t ps_count_cps(const char *s, size_t len)
{
    /* len less the continuation bytes (10xxxxxx), eight bytes at a time. */
    size_t cont = 0, i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        uint64_t t = (x & ~(x << 1) & 0x8080808080808080ull) >> 7; /* 1 per such byte */
        cont += (size_t)((t * 0x0101010101010101ull) >> 56);
    }
    for (; i < len; i++)
        cont += ((unsigned char)s[i] & 0xC0) == 0x80;
    return len - cont;
}

void ps_trim(const char *s, size_t *a, size_t *b)
{
    while (*a < *b && is_sp(s[*a]))
        (*a)++;
    while (*b > *a && is_sp(s[*b - 1]))
        (*b)--;
}

/* Drops trailing characters found in `chars` (ASCII) and spaces. */
void ps_rstrip(const char *s, size_t a, size_t *b, const char *chars)
{
    while (*b > a && (is_sp(s[*b - 1]) || strchr(chars, s[*b - 1])))
        (*b)--;
}

size_t ps_lead_digits(const char *s)
{
    size_t n = 0;
    while (is_dig(s[n]))
        n++;
    return n;
}

/* ------------------------------------------------------------------ */
/* Memory and strings: failures are recorded in ctx->oom.             */

void *ps_xrealloc(ctx_t *c, void *p, size_t n, size_t size)
{
    if (n && size > ((size_t)-1) / n) {
        c->oom = 1;
        return NULL;
    }
    void *q = realloc(p, n && size ? n * size : 1);
    if (!q)
        c->oom = 1;
    return q;
}

/* Appends s[0..len) with runs of whitespace made one space. */
void ps_put_collapsed(ctx_t *c, tc_buf_t *b, const char *s, size_t len)
{
    /* A space is written only for whitespace read: never longer than s. */
    if (tc_buf_reserve(b, len) < 0) {
        c->oom = 1;
        return;
    }
    char *d = b->data;
    size_t o = b->len;
    int space = 0;
    for (size_t i = 0; i < len; i++) {
        if (is_sp(s[i]) || s[i] == '\n') {
            space = 1;
            continue;
        }
        if (space && o && d[o - 1] != ' ')
            d[o++] = ' ';
        space = 0;
        d[o++] = s[i];
    }
    b->len = o;
    d[o] = '\0';
}

/* A trimmed, whitespace-collapsed copy; NULL when empty or out of memory. */
char *ps_dup_clean(ctx_t *c, const char *s, size_t len)
{
    tc_buf_t b = TC_BUF_INIT;
    ps_put_collapsed(c, &b, s, len);
    while (b.len && b.data[b.len - 1] == ' ')
        b.data[--b.len] = '\0';
    if (!b.len || c->oom) {
        tc_buf_free(&b);
        return NULL;
    }
    return tc_buf_steal(&b);
}

void ps_set_field(ctx_t *c, char **field, const char *s, size_t len)
{
    if (*field)
        return;
    *field = ps_dup_clean(c, s, len);
}

char *ps_xstrdup(ctx_t *c, const char *s)
{
    char *d = tc_strndup(s, strlen(s));
    if (!d)
        c->oom = 1;
    return d;
}

/* a, sep and b in one fresh string; NULL with c->oom set when out of memory. */
char *ps_join3(ctx_t *c, const char *a, size_t alen, const char *sep, const char *b, size_t blen)
{
    size_t sl = strlen(sep);
    char *s = malloc(alen + sl + blen + 1);
    if (!s) {
        c->oom = 1;
        return NULL;
    }
    memcpy(s, a, alen);
    memcpy(s + alen, sep, sl);
    memcpy(s + alen + sl, b, blen);
    s[alen + sl + blen] = '\0';
    return s;
}

/* "a b" */
char *ps_join_sp(ctx_t *c, const char *a, const char *b)
{
    return ps_join3(c, a, strlen(a), " ", b, strlen(b));
}

/* ------------------------------------------------------------------ */
/* Folding and name keys.                                             */

int ps_fold_into(ctx_t *c, fold_t *fo, const char *s, size_t len)
{
    tc_buf_reset(&fo->f);
    if (tc_buf_append(&fo->f, "", 0) < 0 || tc_fold_append(&fo->f, s, len, &fo->map, &fo->cap) < 0) {
        c->oom = 1;
        return -1;
    }
    return 0;
}

void ps_fold_free(fold_t *fo)
{
    tc_buf_free(&fo->f);
    free(fo->map);
    fo->map = NULL;
    fo->cap = 0;
}

/* The name key of folded text (see orgs.h): [a-z0-9&] words, one space. */
void ps_key_into(ctx_t *c, tc_buf_t *out, const char *f, size_t n)
{
    tc_buf_reset(out);
    if (tc_buf_reserve(out, n) < 0) {
        c->oom = 1;
        return;
    }
    char *d = out->data;
    size_t o = 0;
    int space = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = f[i];
        if (is_alnum_b(ch) || ch == '&') {
            if (space && o)
                d[o++] = ' ';
            space = 0;
            d[o++] = ch;
        } else {
            space = 1;
        }
    }
    out->len = o;
    d[o] = '\0';
}

/* Name key of original text. */
char *ps_key_of(ctx_t *c, const char *s, size_t len)
{
    tc_buf_t *f = &c->kfold, k = TC_BUF_INIT;
    char *res = NULL;
    tc_buf_reset(f);
    if (tc_fold_append(f, s, len, NULL, NULL) < 0) {
        c->oom = 1;
        return NULL;
    }
    ps_key_into(c, &k, f->data, f->len);
    if (!c->oom)
        res = tc_buf_steal(&k);
    tc_buf_free(&k);
    return res;
}

int ps_key_has_words(const char *key, const char *words)
{
    size_t wl = strlen(words);
    for (const char *p = key; (p = strstr(p, words)) != NULL; p++)
        if ((p == key || p[-1] == ' ') && (p[wl] == '\0' || p[wl] == ' '))
            return 1;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Matching on folded text.                                           */

size_t ps_ffind(const char *f, size_t n, size_t from, const char *pat, size_t *end)
{
    for (size_t i = from; i < n; i++) {
        const char *hit = memchr(f + i, pat[0], n - i);
        if (!hit)
            break;
        i = (size_t)(hit - f);
        size_t e = fmw(f, n, i, pat);
        if (e != NPOS) {
            if (end)
                *end = e;
            return i;
        }
    }
    return NPOS;
}

/* Is the original text of folded [i, e) in paragraph k the word(s)
 * `exact` (lower case, with diacritics)?  Text written without any
 * diacritics matches on the folded form alone. */
int ps_span_is(ctx_t *c, size_t k, size_t i, size_t e, const char *exact)
{
    size_t a = orig(c, k, i), b = orig(c, k, e);
    const char *s = c->text.data;
    if (!tc_has_marks(s + a, b - a))
        return 1;
    char *low = tc_lower(s + a, b - a);
    if (!low) {
        c->oom = 1;
        return 0;
    }
    char *clean = ps_dup_clean(c, low, strlen(low));
    int same = clean && strcmp(clean, exact) == 0;
    free(clean);
    free(low);
    return same;
}
