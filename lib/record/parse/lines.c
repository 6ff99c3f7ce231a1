/* The text cut into cleaned lines (markdown residue, control and invisible
 * characters and rules gone), each folded once, and what the readers ask of
 * a line: its list marker, whether it ends a sentence, its folded text and
 * name key.  Also whether the text is hard-wrapped (PDF). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text/fold.h"
#include "record/parse/parse.h"

static int is_close_quote_cp(uint32_t cp)
{
    return cp == 0x201D || cp == '"' || cp == 0x00BB || cp == 0x2019 || cp == '\'';
}

/* Markdown's heading levels: "#" to "######"; seven marks are text. */
#define MD_HEADING_LEVELS 6
/* Marks that make a line a rule ("___", "---", "***"), as in markdown; a
 * line of fewer is residue only when it holds nothing else. */
#define RULE_MIN_MARKS 3

/* Removes markdown residue from one trimmed line. */
static void strip_markdown(ctx_t *c, tc_buf_t *out, const char *t, size_t a, size_t b)
{
    /* Leading #...###### heading marks. */
    size_t k = 0;
    while (a + k < b && t[a + k] == '#' && k < MD_HEADING_LEVELS + 1)
        k++;
    if (k >= 1 && k <= MD_HEADING_LEVELS && (a + k == b || is_sp(t[a + k]) || t[a + k] == '*')) {
        a += k;
        while (a < b && is_sp(t[a]))
            a++;
    }
    size_t n = b - a;
    if (!memchr(t + a, '*', n) && !memchr(t + a, '\\', n)) {
        put(c, out, t + a, n); /* nothing to drop */
        return;
    }
    /* Decide which bytes to drop. */
    if (n > c->drop_cap) {
        unsigned char *grown = realloc(c->drop, n);
        if (!grown) {
            c->oom = 1;
            return;
        }
        c->drop = grown;
        c->drop_cap = n;
    }
    unsigned char *drop = c->drop;
    if (n)
        memset(drop, 0, n);
    size_t open = NPOS;
    for (size_t i = a; i < b; i++) {
        char ch = t[i];
        if (ch == '\\' && i + 1 < b && strchr("*_#-.[]()!+`>\\", t[i + 1])) {
            drop[i - a] = 1;
            i++; /* the escaped character stays, as text */
            continue;
        }
        if (ch != '*')
            continue;
        size_t r = i;
        while (r < b && t[r] == '*')
            r++;
        if (r - i >= 2) { /* ** and *** */
            for (size_t x = i; x < r; x++)
                drop[x - a] = 1;
            i = r - 1;
            continue;
        }
        /* A single star: italics when it pairs up. */
        char before = i > a ? t[i - 1] : ' ';
        char after = i + 1 < b ? t[i + 1] : ' ';
        int at_end = i + 1 == b;
        int opener = !is_sp(after) && !at_end && (i == a || is_sp(before) || before == '(');
        int closer = i > a && !is_sp(before) && (at_end || is_sp(after) || strchr(".,;:!?)", after));
        if (open != NPOS && closer) {
            drop[open - a] = drop[i - a] = 1;
            open = NPOS;
        } else if (opener) {
            open = i;
        } else if (closer && at_end) {
            drop[i - a] = 1;
        }
    }
    if (open == a)
        drop[0] = 1;
    if (tc_buf_reserve(out, n) < 0) {
        c->oom = 1;
        return;
    }
    char *d = out->data + out->len;
    for (size_t i = a; i < b; i++)
        if (!drop[i - a])
            *d++ = t[i];
    out->len = (size_t)(d - out->data);
    *d = '\0';
}

/* One raw line -> one cleaned line appended to out. */
static void clean_line(ctx_t *c, tc_buf_t *out, const char *s, size_t len)
{
    tc_buf_t *t = &c->scratch[0], *u = &c->scratch[1];
    tc_buf_reset(t);
    tc_buf_reset(u);
    /* An invalid byte becomes three: the most any byte can grow. */
    if (len > ((size_t)-1) / 4 || tc_buf_reserve(t, 3 * len) < 0 || tc_buf_reserve(u, len) < 0) {
        c->oom = 1;
        return;
    }
    char *d = t->data;
    for (size_t i = 0; i < len;) {
        unsigned char byte = (unsigned char)s[i];
        if (byte < 0x80) {
            do { /* a run of ASCII, control characters made spaces */
                byte = (unsigned char)s[i];
                *d++ = (unsigned char)(byte - 0x20) < 0x5F ? (char)byte : ' ';
            } while (++i < len && (unsigned char)s[i] < 0x80);
            continue;
        }
        size_t j = i;
        uint32_t cp = tc_utf8_next_fast(s, len, &j);
        if (byte >= 0xC4 && byte != 0xE2 && byte != 0xE3 && byte != 0xEF && cp != 0xFFFD) {
            /* Not one of the spaces, invisibles or invalid bytes below. */
            do
                *d++ = s[i++];
            while (i < j);
            continue;
        }
        if (cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F || cp == 0x3000) {
            *d++ = ' ';
        } else if (cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0xFEFF || cp == 0xAD) {
            ; /* invisible */
        } else if (cp == 0xFFFD && j - i == 1) {
            memcpy(d, "\xEF\xBF\xBD", 3); /* an invalid byte */
            d += 3;
        } else {
            memcpy(d, s + i, j - i);
            d += j - i;
        }
        i = j;
    }
    t->len = (size_t)(d - t->data);
    *d = '\0';
    size_t a = 0, b = t->len;
    ps_trim(t->data, &a, &b);
    strip_markdown(c, u, t->data, a, b);
    if (c->oom)
        return;
    a = 0;
    b = u->len;
    ps_trim(u->data, &a, &b);
    /* Underline residue and rules: "______", "-----", "***". */
    size_t marks = 0, other = 0;
    for (size_t i = a; i < b && !other;) {
        size_t j = i;
        uint32_t cp = tc_utf8_next_fast(u->data, b, &j);
        if (cp == '-' || cp == '_' || cp == '=' || cp == '~' || cp == '*' || cp == 0x2014 || cp == 0x2013)
            marks++;
        else if (cp != ' ')
            other++;
        i = j;
    }
    if (!other && (marks >= RULE_MIN_MARKS || (marks && b - a == marks)))
        a = b;
    put(c, out, u->data + a, b - a);
}

void ps_split_lines(ctx_t *c, const char *text, size_t len)
{
    size_t cap = 0;
    size_t i = 0;
    put(c, &c->lbuf, "", 0);
    while (i <= len && !c->oom) {
        /* The line ends at the first \n, \r or \f. */
        const char *nl = memchr(text + i, '\n', len - i), *other;
        size_t j = nl ? (size_t)(nl - text) : len;
        if ((other = memchr(text + i, '\r', j - i)) != NULL)
            j = (size_t)(other - text);
        if ((other = memchr(text + i, '\f', j - i)) != NULL)
            j = (size_t)(other - text);
        line_t *lines = grow(c, c->lines, c->n_lines, &cap, sizeof *lines);
        if (!lines)
            return;
        c->lines = lines;
        line_t *l = &c->lines[c->n_lines++];
        l->off = c->lbuf.len;
        clean_line(c, &c->lbuf, text + i, j - i);
        l->len = c->lbuf.len - l->off;
        put(c, &c->lbuf, "\0", 1);
        l->blank = l->len == 0;
        if (j >= len)
            break;
        i = j + 1;
    }
    if (c->oom)
        return;
    /* Every line folded once: the header readers match on these, and the
     * paragraphs' folded text is made of them. */
    put(c, &c->lfold, "", 0);
    /* Folding seldom lengthens: room for all of it at once. */
    if (tc_buf_reserve(&c->lfold, c->lbuf.len) < 0 || !(c->lfmap = ps_xrealloc(c, NULL, c->lbuf.len + 1, sizeof *c->lfmap)))
        c->oom = 1;
    else
        c->lfcap = c->lbuf.len + 1;
    for (size_t k = 0; k < c->n_lines && !c->oom; k++) {
        line_t *l = &c->lines[k];
        l->nchars = ps_count_cps(LS(c, k), LN(c, k));
        l->foff = c->lfold.len;
        if (tc_fold_append(&c->lfold, LS(c, k), LN(c, k), &c->lfmap, &c->lfcap) < 0)
            c->oom = 1;
        l->flen = c->lfold.len - l->foff;
        put(c, &c->lfold, "\n", 1);
    }
}

/* Digits of one level of a numbered list marker ("12.", "1.12."): a
 * dispatch's lists do not reach a hundred items, and a longer number opens
 * a sentence ("2026 là năm ..."). */
#define LIST_NUMBER_DIGITS 2
/* Letters of a Roman list marker: "XVIII." is the longest below XX. */
#define LIST_ROMAN_LETTERS 5

static int is_roman(char ch)
{
    return ch == 'I' || ch == 'V' || ch == 'X';
}

/* Length of a list marker opening s ("1. ", "1.1. ", "a) ", "- ", "+ ",
 * "• ", "II. "), its following spaces included; 0 when none. */
size_t ps_list_marker(const char *s, size_t len)
{
    size_t i = 0;
    if (!len)
        return 0;
    if ((s[0] == '-' || s[0] == '+' || s[0] == '*') && len > 1 && is_sp(s[1]))
        i = 1;
    else if (len > 3 && (memcmp(s, "\xE2\x80\xA2", 3) == 0 || memcmp(s, "\xE2\x80\x93", 3) == 0 ||
                         memcmp(s, "\xE2\x80\x94", 3) == 0)) /* • – — */
        i = 3;
    else if (is_dig(s[0])) {
        size_t j = 0;
        for (;;) {
            size_t d = 0;
            while (j < len && is_dig(s[j]) && d < LIST_NUMBER_DIGITS) {
                j++;
                d++;
            }
            if (!d || j >= len)
                return 0;
            if (s[j] == ')') {
                j++;
                break;
            }
            if (s[j] != '.')
                return 0;
            j++;
            if (j < len && is_dig(s[j]))
                continue;
            break;
        }
        i = j;
    } else {
        size_t j = 0;
        if ((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z' && !is_roman(s[0])))
            j = 1;
        else if (len > 2 && (unsigned char)s[0] == 0xC4 && (unsigned char)s[1] == 0x91) /* đ */
            j = 2;
        else {
            while (j < len && j < LIST_ROMAN_LETTERS && is_roman(s[j]))
                j++;
            if (j && (j >= len || s[j] != '.'))
                return 0;
        }
        if (!j || j >= len || (s[j] != ')' && s[j] != '.'))
            return 0;
        i = j + 1;
    }
    if (i >= len || !is_sp(s[i]))
        return 0;
    while (i < len && is_sp(s[i]))
        i++;
    return i;
}

/* Non-zero when the line ends a sentence: . : ; ! ? or a closing quote
 * right after one of those. */
int ps_ends_terminal(const char *s, size_t len)
{
    if (!len)
        return 1;
    size_t i = prev_cp(s, len), j = i;
    uint32_t cp = tc_utf8_next(s, len, &j);
    if (is_close_quote_cp(cp)) {
        if (i == 0)
            return 0;
        j = prev_cp(s, i);
        cp = tc_utf8_next(s, len, &j);
    }
    return cp == '.' || cp == ':' || cp == ';' || cp == '!' || cp == '?';
}

/* Fewer non-blank lines than this say too little about a wrap width. */
#define WRAP_MIN_LINES 8
/* The wrap width is this percentile of the lines' lengths: a paragraph's
 * last line is short and a heading or two may be long, but most lines of
 * wrapped text end near the width. */
#define WRAP_PERCENTILE 0.9
/* Widths, in code points, a page's text column can have: narrower is a list
 * of short lines, wider is text with no wrap of its own (a paragraph a
 * line, as DOCX and HTML give it). */
#define WRAP_MIN 40
#define WRAP_MAX 100
/* A line this many times the width is wider than the column... */
#define WRAP_LONGER 1.3
/* ... and wrapped text has at most one such line in this many. */
#define WRAP_LONGER_ONE_IN 10
/* Full lines ending mid-sentence that show the text is wrapped: one or two
 * could be headings without a full stop. */
#define WRAP_MIN_WRAPPED 3

/* A hard-wrapped text (PDF): most long lines of a similar width, well under
 * ~100 characters, many of them ending mid-sentence. */
void ps_detect_hard_wrap(ctx_t *c)
{
    size_t n = 0, k = 0;
    for (size_t i = 0; i < c->n_lines; i++)
        n += !c->lines[i].blank;
    if (n < WRAP_MIN_LINES)
        return;
    /* The 90th percentile of the lengths, from their counts: anything past
     * 100 is too wide anyway. */
    size_t counts[WRAP_MAX + 2] = { 0 }, want = (size_t)(WRAP_PERCENTILE * (double)(n - 1)), w = WRAP_MAX + 1;
    for (size_t i = 0; i < c->n_lines; i++)
        if (!c->lines[i].blank)
            counts[c->lines[i].nchars < WRAP_MAX + 1 ? c->lines[i].nchars : WRAP_MAX + 1]++;
    for (size_t len = 0; len < WRAP_MAX + 2; len++) {
        k += counts[len];
        if (k > want) {
            w = len;
            break;
        }
    }
    if (w < WRAP_MIN || w > WRAP_MAX)
        return;
    size_t longer = 0, wrapped = 0;
    for (size_t i = 0; i < c->n_lines; i++) {
        const line_t *l = &c->lines[i];
        if (l->blank)
            continue;
        if ((double)l->nchars > w * WRAP_LONGER)
            longer++;
        if ((double)l->nchars >= FULL_LINE_SHARE * w && !ps_ends_terminal(LS(c, i), l->len))
            wrapped++;
    }
    if (longer * WRAP_LONGER_ONE_IN > n || wrapped < WRAP_MIN_WRAPPED)
        return;
    c->hard = 1;
    c->wrap = w;
}

/* Where the text after a label and its colon starts, in the original. */
size_t ps_after_label(ctx_t *c, const char *f, size_t fn, size_t e)
{
    e = skip_sp(f, fn, e);
    if (e < fn && f[e] == ':')
        e = skip_sp(f, fn, e + 1);
    return c->lmap[e];
}

const char *ps_line_key(ctx_t *c, size_t i, tc_buf_t *kb)
{
    size_t fn;
    const char *f = fold_line(c, i, &fn);
    ps_key_into(c, kb, f, fn);
    return kb->data ? kb->data : "";
}

size_t ps_bullet(const char *s, size_t n)
{
    size_t m = ps_list_marker(s, n);
    if (!m)
        return 0;
    if (s[0] == '-' || s[0] == '+' || s[0] == '*' || (unsigned char)s[0] == 0xE2)
        return m;
    return 0;
}
