/* Themes and slogans: the quoted items under a label such as "Chủ đề:" or
 * "Khẩu hiệu tuyên truyền:". */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text/fold.h"
#include "record/parse/parse.h"

/* Is the code point at s[i] one of the opening / closing quotes? Returns its
 * byte length, 0 when not. */
static inline size_t open_quote_at(const char *s, size_t len, size_t i, uint32_t *close)
{
    size_t j = i;
    if (i >= len)
        return 0;
    unsigned char b = (unsigned char)s[i];
    if (b != '"' && b != 0xE2 && b != 0xC2) /* the lead bytes of the quotes below */
        return 0;
    uint32_t cp = tc_utf8_next_fast(s, len, &j);
    switch (cp) {
    case 0x201C: *close = 0x201D; break; /* “ ” */
    case '"': *close = '"'; break;
    case 0x00AB: *close = 0x00BB; break; /* « » */
    case 0x201E: *close = 0x201D; break; /* „ ” */
    default: return 0;
    }
    return j - i;
}

/* Quoted items read from one paragraph: more than any list of slogans. */
#define MAX_QUOTES 32

/* Parses s as one or more quoted items separated by punctuation, pushing
 * them to list when non-NULL.  Returns the number of items, 0 when s is
 * not made of quotes alone. */
static size_t quote_items(ctx_t *c, const char *s, size_t n, tc_strlist_t *list)
{
    size_t spans[MAX_QUOTES][2], count = 0, i = 0;
    for (;;) {
        while (i < n && (is_sp(s[i]) || strchr(".,;:-", s[i])))
            i++;
        if (i >= n)
            break;
        uint32_t close;
        size_t ql = open_quote_at(s, n, i, &close);
        if (!ql || count == MAX_QUOTES)
            return 0;
        size_t a = i + ql, j = a, b = NPOS;
        while (j < n) {
            size_t at = j;
            uint32_t cp = tc_utf8_next(s, n, &j);
            if (cp == close) {
                b = at;
                break;
            }
        }
        if (b == NPOS)
            return 0; /* unbalanced */
        spans[count][0] = a;
        spans[count][1] = b;
        count++;
        i = j;
    }
    for (size_t k = 0; k < count && list && !c->oom; k++) {
        size_t a = spans[k][0], b = spans[k][1];
        ps_trim(s, &a, &b);
        ps_rstrip(s, a, &b, ".");
        if (b <= a || list->count >= MAX_ITEMS)
            continue;
        char *item = ps_dup_clean(c, s + a, b - a);
        int dup = 0;
        for (size_t x = 0; item && x < list->count; x++)
            dup |= strcmp(list->items[x], item) == 0;
        if (item && !dup && tc_strlist_push(list, item, strlen(item)) < 0)
            c->oom = 1;
        free(item);
    }
    return count;
}

enum { Q_NONE = 0, Q_THEME = 1, Q_SLOGAN = 2, Q_BOTH = 3 };

/* Code points before the colon of a theme or slogan label: "Một số khẩu
 * hiệu tuyên truyền hưởng ứng" is under fifty; a longer run is a sentence
 * that mentions them. */
#define LABEL_MAX_CHARS 60

/* A label about themes or slogans: "a) Chủ đề:", "1.2. Khẩu hiệu",
 * "Một số khẩu hiệu tuyên truyền:", "b) Khẩu hiệu: “...”".  *rest gets the
 * offset of an inline quote (or n). */
static int label_kind(ctx_t *c, const char *s, size_t n, size_t *rest)
{
    tc_buf_t kb = TC_BUF_INIT;
    size_t h = 0, cps = 0;
    uint32_t close;
    while (h < n && s[h] != ':' && !open_quote_at(s, n, h, &close)) {
        if (((unsigned char)s[h] & 0xC0) != 0x80 && ++cps > LABEL_MAX_CHARS)
            return Q_NONE; /* too long for a label */
        h++;
    }
    size_t after = h;
    if (after < n && s[after] == ':')
        after++;
    while (after < n && is_sp(s[after]))
        after++;
    if (after < n && !quote_items(c, s + after, n - after, NULL))
        return Q_NONE; /* "Chủ đề: text..." is a sentence, not a label */
    if (h == n && n && (s[n - 1] == '.' || s[n - 1] == ';'))
        return Q_NONE;
    int kind = Q_NONE;
    if (ps_fold_into(c, &c->tmp, s, h) == 0) {
        ps_key_into(c, &kb, c->tmp.f.data, c->tmp.f.len);
        if (kb.data && ps_key_has_words(kb.data, voc_chu_de))
            kind |= Q_THEME;
        if (kb.data && ps_key_has_words(kb.data, voc_khau_hieu))
            kind |= Q_SLOGAN;
    }
    tc_buf_free(&kb);
    *rest = after;
    return kind;
}

static int is_key_byte(char ch)
{
    return is_alnum_b(ch) || ch == '&';
}

/* Do the words w1 w2 follow each other in folded text f, as they would in
 * its name key (ps_key_into)? */
static int folded_has_words(const char *f, size_t n, const char *w1, const char *w2)
{
    size_t l1 = strlen(w1), l2 = strlen(w2);
    for (size_t i = 0; i + l1 <= n; i++) {
        if (f[i] != w1[0] || memcmp(f + i, w1, l1) != 0 || (i && is_key_byte(f[i - 1])))
            continue;
        size_t j = i + l1;
        if (j >= n || is_key_byte(f[j]))
            continue;
        while (j < n && !is_key_byte(f[j]))
            j++;
        if (j + l2 <= n && memcmp(f + j, w2, l2) == 0 && (j + l2 == n || !is_key_byte(f[j + l2])))
            return 1;
    }
    return 0;
}

/* Could s be a label (label_kind)?  A quick test to rule most paragraphs
 * out: a label is at most 60 code points and a colon, or is followed by
 * quotes only, so that s ends with a closing quote and punctuation. */
static int may_be_label(const char *s, size_t n)
{
    /* (four bytes at most a code point) */
    if (n <= LABEL_MAX_CHARS + 1 || (n <= 4 * (LABEL_MAX_CHARS + 1) && ps_count_cps(s, n) <= LABEL_MAX_CHARS + 1))
        return 1;
    while (n && (is_sp(s[n - 1]) || strchr(".,;:-", s[n - 1])))
        n--;
    if (n && s[n - 1] == '"')
        return 1;
    size_t i = prev_cp(s, n), j = i;
    uint32_t cp = n ? tc_utf8_next_fast(s, n, &j) : 0;
    return cp == 0x201D || cp == 0x00BB;
}

void ps_read_quotes(ctx_t *c)
{
    int ctx = Q_NONE;
    for (size_t k = 0; k < c->n_paras && !c->oom; k++) {
        if (c->paras[k].first < c->body)
            continue;
        const char *s = c->text.data + c->paras[k].start;
        size_t n = c->paras[k].len, m = ps_list_marker(s, n);
        tc_strlist_t *target = ctx == Q_THEME ? &c->doc->themes : ctx == Q_SLOGAN ? &c->doc->slogans : NULL;
        if (quote_items(c, s + m, n - m, NULL)) {
            if (target)
                quote_items(c, s + m, n - m, target);
            continue;
        }
        size_t rest;
        const char *f = c->ftext.data + c->paras[k].fstart;
        size_t fn = c->paras[k].flen;
        int kind = Q_NONE;
        /* The label's key words are in the paragraph's folded text too. */
        if (may_be_label(s + m, n - m) &&
            (folded_has_words(f, fn, voc_chu_de_words[0], voc_chu_de_words[1]) ||
             folded_has_words(f, fn, voc_khau_hieu_words[0], voc_khau_hieu_words[1])))
            kind = label_kind(c, s + m, n - m, &rest);
        if (kind) {
            ctx = kind;
            target = ctx == Q_THEME ? &c->doc->themes : ctx == Q_SLOGAN ? &c->doc->slogans : NULL;
            if (target && rest < n - m)
                quote_items(c, s + m + rest, n - m - rest, target);
            continue;
        }
        ctx = Q_NONE;
    }
}
