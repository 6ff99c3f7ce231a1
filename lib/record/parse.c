/* Decoded dispatch text -> tc_doc_t.
 *
 * The text is cut into cleaned lines (markdown residue and stray whitespace
 * gone).  The header, everything before "Kính gửi", is read line by line:
 * the issuing bodies, Số / ký hiệu, place and date, the V/v line or the
 * title, urgency and secrecy marks.  The lines are then joined into
 * paragraphs, mending the wraps of PDF and DOCX extraction, and the
 * paragraphs make doc->text.  The body fields (themes, slogans, deadlines,
 * period, references) are read from the paragraphs, the recipients and the
 * signature from the lines.
 *
 * Labels are matched on the folded form of the text (fold.h: lower case, no
 * diacritics), so "KÍNH GỬI", "Kính gửi" and "kinh gui" are all one, and the
 * offset map of tc_fold_append takes a match back to the original text.
 *
 * Nothing here fails for lack of structure: what cannot be found stays NULL.
 * The only error is running out of memory, which every helper records in
 * ctx->oom and which tc_doc_parse reports at the end. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/dates.h"
#include "text/fold.h"
#include "record/orgs.h"
#include "tracuu.h"

#define NPOS ((size_t)-1)

/* A record is read from a dispatch's first 2 MiB; the rest of a longer
 * text is kept as it was decoded, after the cleaned part, and its words
 * are indexed all the same.  Reading costs about 20 bytes a byte of text
 * (the lines, their folded forms and two offset maps of 8 bytes a byte):
 * a 20 MB text took 290 MB for the maps alone, 2 MiB takes about 40 MB.
 * Dispatches are a few kB (4.7 on average in bench/), their header is at
 * the top, and what comes past 2 MiB is annexes and tables. */
#define MAX_PARSED_BYTES (2u * 1024u * 1024u)

/* Non-blank lines searched for the header marks.  A header (bodies,
 * motto, number, place and date, subject, urgency) takes well under forty
 * even when extraction puts every cell of its two-column table on a line
 * of its own; the search stops there so as not to read on into a body that
 * has no "Kính gửi". */
#define HEADER_LINES 40

/* Caps on what one dispatch may add to its record.  Each is far past what
 * a real dispatch holds (a few references, deadlines and recipients); they
 * guard against pathological input. */
#define MAX_REFS 500      /* references */
#define MAX_DEADLINES 500 /* deadlines */
#define MAX_ITEMS 200     /* recipients, themes or slogans in one list */

/* Bodies stacked in a header: two or three in practice ("ỦY BAN NHÂN DÂN
 * TỈNH ..." / "SỞ ..." / "PHÒNG ..."); more are not read. */
#define MAX_ORGS 8
/* Words of one body's name or title line: a name with its locality has a
 * dozen or so. */
#define MAX_WORDS 64

/* The first capacity of the growing arrays (lines, paragraphs): a short
 * dispatch's lines fit in it. */
#define GROW_FIRST 64

/* Years a dispatch or a date in it may have: wider than any real one, narrow
 * enough that "1471" or "3000" in a number is not read as a year. */
#define YEAR_MIN 1900
#define YEAR_MAX 2100
/* A two-digit year ("10/5/26") is this century's. */
#define TWO_DIGIT_YEAR_BASE 2000

/* A line at least this share of the wrap width is a full line of
 * hard-wrapped text: it ends where the page's column ended, not where its
 * sentence did.  A quarter short of the width allows for the words that did
 * not fit. */
#define FULL_LINE_SHARE 0.75

typedef struct {
    size_t off, len;   /* in ctx->lbuf */
    size_t foff, flen; /* its folded form, in ctx->lfold */
    size_t nchars;     /* code points */
    int blank;
} line_t;

typedef struct {
    size_t start, len;   /* in ctx->text */
    size_t fstart, flen; /* in ctx->ftext */
    size_t first, last;  /* lines */
} para_t;

typedef struct {
    tc_buf_t f;
    size_t *map;
    size_t cap;
} fold_t;

typedef struct {
    int y, m, d; /* 0 when not given */
} ymd_t;

typedef struct {
    const char *s;
    size_t len;
} word_t;

typedef struct {
    tc_doc_t *doc;
    int oom;

    tc_buf_t lbuf;
    line_t *lines;
    size_t n_lines;
    tc_buf_t lfold;      /* every line folded once, one after another */
    size_t *lfmap;       /* offsets relative to each line's start */
    size_t lfcap;
    const size_t *lmap;  /* the map of the line fold_line gave last */

    tc_buf_t scratch[2];   /* clean_line's work */
    unsigned char *drop;   /* strip_markdown's work */
    size_t drop_cap;

    tc_buf_t text;
    para_t *paras;
    size_t n_paras;
    tc_buf_t ftext; /* the paragraphs folded, one per line */
    size_t *fmap;   /* offsets relative to each paragraph's start */
    size_t fcap;

    fold_t tmp;      /* scratch for one line at a time */
    tc_buf_t kfold;  /* key_of's scratch */

    int hard;    /* hard-wrapped (PDF) text */
    double wrap; /* its wrap width in code points */

    /* Header marks, as line indices (NPOS when absent). */
    size_t so, dl, vv, kg, title;
    size_t subject_end;  /* last line of the subject */
    size_t body;         /* first body line: header lines never join it */
    size_t join_from;    /* first line that may be joined as hard-wrapped */
    size_t sym_end;      /* in line so: end of the symbol */
    size_t place_start;  /* in line dl: where the place starts */
    size_t period_f0, period_f1; /* the period's span in ftext */
    int year;
    int month, day; /* the dispatch's, 0 when not given */
} ctx_t;

/* ------------------------------------------------------------------ */
/* Characters.                                                          */

static int is_sp(char ch)
{
    return ch == ' ' || ch == '\t';
}

static int is_dig(char ch)
{
    return ch >= '0' && ch <= '9';
}

static const unsigned char alnum_table[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1,
    ['9'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1,
    ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1,
    ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1,
    ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
    ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
};

/* ASCII letters and digits. */
static inline int is_alnum_b(char ch)
{
    return alnum_table[(unsigned char)ch];
}

/* Latin letters, which is where Vietnamese lives. */
static int is_letter_cp(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    return (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x1E00 && cp <= 0x1EFF);
}

/* 'U' or 'L' for an upper- or lower-case letter at s[i], 0 otherwise. */
static int case_at(const char *s, size_t len, size_t i)
{
    if (i >= len)
        return 0;
    size_t j = i;
    uint32_t cp = tc_utf8_next(s, len, &j);
    if (!is_letter_cp(cp))
        return 0;
    if (cp < 0x80)
        return (cp >= 'A' && cp <= 'Z') ? 'U' : 'L';
    return tc_is_all_caps(s + i, j - i) ? 'U' : 'L';
}

static size_t prev_cp(const char *s, size_t i)
{
    if (i == 0)
        return 0;
    size_t j = i - 1;
    while (j > 0 && ((unsigned char)s[j] & 0xC0) == 0x80)
        j--;
    return j;
}

static size_t count_cps(const char *s, size_t len)
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

static int has_digit(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (is_dig(s[i]))
            return 1;
    return 0;
}

static void trim(const char *s, size_t *a, size_t *b)
{
    while (*a < *b && is_sp(s[*a]))
        (*a)++;
    while (*b > *a && is_sp(s[*b - 1]))
        (*b)--;
}

/* Drops trailing characters found in `chars` (ASCII) and spaces. */
static void rstrip(const char *s, size_t a, size_t *b, const char *chars)
{
    while (*b > a && (is_sp(s[*b - 1]) || strchr(chars, s[*b - 1])))
        (*b)--;
}

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

static int is_close_quote_cp(uint32_t cp)
{
    return cp == 0x201D || cp == '"' || cp == 0x00BB || cp == 0x2019 || cp == '\'';
}

/* ------------------------------------------------------------------ */
/* Memory helpers: failures are recorded in ctx->oom.                   */

static void *xrealloc(ctx_t *c, void *p, size_t n, size_t size)
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

/* arr with room for one more element past n (doubling *cap), or NULL
 * with c->oom set; arr stays valid then. */
static void *grow(ctx_t *c, void *arr, size_t n, size_t *cap, size_t size)
{
    void *grown = tc_grow(arr, n, cap, size, GROW_FIRST);
    if (!grown)
        c->oom = 1;
    return grown;
}

static inline void put(ctx_t *c, tc_buf_t *b, const char *s, size_t len)
{
    if (b->len + len < b->cap) { /* the common case, without a call */
        memcpy(b->data + b->len, s, len);
        b->len += len;
        b->data[b->len] = '\0';
        return;
    }
    if (tc_buf_append(b, s, len) < 0)
        c->oom = 1;
}

static void puts_(ctx_t *c, tc_buf_t *b, const char *s)
{
    put(c, b, s, strlen(s));
}

/* Appends s[0..len) with runs of whitespace made one space. */
static void put_collapsed(ctx_t *c, tc_buf_t *b, const char *s, size_t len)
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
static char *dup_clean(ctx_t *c, const char *s, size_t len)
{
    tc_buf_t b = TC_BUF_INIT;
    put_collapsed(c, &b, s, len);
    while (b.len && b.data[b.len - 1] == ' ')
        b.data[--b.len] = '\0';
    if (!b.len || c->oom) {
        tc_buf_free(&b);
        return NULL;
    }
    return tc_buf_steal(&b);
}

static void set_field(ctx_t *c, char **field, const char *s, size_t len)
{
    if (*field)
        return;
    *field = dup_clean(c, s, len);
}

static char *xstrdup(ctx_t *c, const char *s)
{
    char *d = tc_strndup(s, strlen(s));
    if (!d)
        c->oom = 1;
    return d;
}

static int fold_into(ctx_t *c, fold_t *fo, const char *s, size_t len)
{
    tc_buf_reset(&fo->f);
    if (tc_buf_append(&fo->f, "", 0) < 0 || tc_fold_append(&fo->f, s, len, &fo->map, &fo->cap) < 0) {
        c->oom = 1;
        return -1;
    }
    return 0;
}

static void fold_free(fold_t *fo)
{
    tc_buf_free(&fo->f);
    free(fo->map);
    fo->map = NULL;
    fo->cap = 0;
}

/* The name key of folded text (see orgs.h): [a-z0-9&] words, one space. */
static void key_into(ctx_t *c, tc_buf_t *out, const char *f, size_t n)
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
static char *key_of(ctx_t *c, const char *s, size_t len)
{
    tc_buf_t *f = &c->kfold, k = TC_BUF_INIT;
    char *res = NULL;
    tc_buf_reset(f);
    if (tc_fold_append(f, s, len, NULL, NULL) < 0) {
        c->oom = 1;
        return NULL;
    }
    key_into(c, &k, f->data, f->len);
    if (!c->oom)
        res = tc_buf_steal(&k);
    tc_buf_free(&k);
    return res;
}

/* ------------------------------------------------------------------ */
/* Matching on folded text.                                             */

/* Matches pat at f[i]; a space in pat matches one or more spaces.  A pattern
 * ending in a letter or digit must end a word.  Returns the end or NPOS. */
static size_t fm(const char *f, size_t n, size_t i, const char *pat)
{
    const char *p = pat;
    for (; *p; p++) {
        if (*p == ' ') {
            if (i >= n || f[i] != ' ')
                return NPOS;
            while (i < n && f[i] == ' ')
                i++;
        } else {
            if (i >= n || f[i] != *p)
                return NPOS;
            i++;
        }
    }
    if (p > pat && is_alnum_b(p[-1]) && i < n && is_alnum_b(f[i]))
        return NPOS;
    return i;
}

static int wstart(const char *f, size_t i)
{
    return i == 0 || !is_alnum_b(f[i - 1]);
}

/* fm at a word start. */
static size_t fmw(const char *f, size_t n, size_t i, const char *pat)
{
    if (is_alnum_b(pat[0]) && !wstart(f, i))
        return NPOS;
    return fm(f, n, i, pat);
}

static size_t ffind(const char *f, size_t n, size_t from, const char *pat, size_t *end)
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

static size_t skip_sp(const char *f, size_t n, size_t i)
{
    while (i < n && f[i] == ' ')
        i++;
    return i;
}

static size_t read_uint(const char *f, size_t n, size_t i, int maxd, int *val)
{
    int v = 0, d = 0;
    while (i < n && is_dig(f[i]) && d < maxd) {
        v = v * 10 + (f[i] - '0');
        i++;
        d++;
    }
    if (!d || (i < n && is_dig(f[i])))
        return NPOS;
    *val = v;
    return i;
}

static int fix_year(int y, size_t digits)
{
    if (digits == 2)
        return TWO_DIGIT_YEAR_BASE + y;
    return y;
}

/* A date at f[i]: "10/5/2026", "10-5-2026", "10.5.2026", "10/5",
 * "25 tháng 5 năm 2023", "25 tháng 5".  Returns its end or NPOS. */
static size_t parse_date(const char *f, size_t n, size_t i, ymd_t *out)
{
    int d = 0, m = 0, y = 0;
    size_t j = read_uint(f, n, i, 2, &d);
    if (j == NPOS)
        return NPOS;
    if (j + 1 < n && (f[j] == '/' || f[j] == '-' || f[j] == '.') && is_dig(f[j + 1])) {
        char sep = f[j];
        size_t k = read_uint(f, n, j + 1, 2, &m);
        if (k == NPOS)
            return NPOS;
        if (k + 1 < n && f[k] == sep && is_dig(f[k + 1])) {
            size_t e = read_uint(f, n, k + 1, 4, &y);
            if (e == NPOS || (e - k - 1 != 2 && e - k - 1 != 4))
                return NPOS;
            y = fix_year(y, e - k - 1);
            if (e < n && (f[e] == '/' || f[e] == '-') && e + 1 < n && is_alnum_b(f[e + 1]))
                return NPOS;
            j = e;
        } else {
            if (sep == '.' || sep == '-')
                return NPOS;
            if (k < n && (f[k] == '/' || is_alnum_b(f[k])))
                return NPOS;
            j = k;
        }
    } else {
        size_t k = skip_sp(f, n, j);
        size_t e = fm(f, n, k, "thang");
        if (e == NPOS)
            return NPOS;
        e = skip_sp(f, n, e);
        e = read_uint(f, n, e, 2, &m);
        if (e == NPOS)
            return NPOS;
        j = e;
        k = skip_sp(f, n, e);
        e = fm(f, n, k, "nam");
        if (e != NPOS) {
            e = skip_sp(f, n, e);
            size_t e2 = read_uint(f, n, e, 4, &y);
            if (e2 != NPOS && e2 - e == 4)
                j = e2;
            else
                y = 0;
        }
    }
    if (m < 1 || m > 12 || d < 1 || d > 31)
        return NPOS;
    if (y && !tc_date_valid(y, m, d))
        return NPOS;
    if (y && (y < YEAR_MIN || y > YEAR_MAX))
        return NPOS;
    out->y = y;
    out->m = m;
    out->d = d;
    return j;
}

static char *iso(ctx_t *c, int y, int m, int d)
{
    char b[16];
    size_t n = 0;
    if (!y)
        return NULL;
    if (y < 0 || y > 9999 || m < 0 || m > 99 || d < 0 || d > 99)
        return NULL; /* parse_date and find_place_date never give these */
    b[n++] = (char)('0' + y / 1000);
    b[n++] = (char)('0' + y / 100 % 10);
    b[n++] = (char)('0' + y / 10 % 10);
    b[n++] = (char)('0' + y % 10);
    if (m) {
        b[n++] = '-';
        b[n++] = (char)('0' + m / 10);
        b[n++] = (char)('0' + m % 10);
        if (d) {
            b[n++] = '-';
            b[n++] = (char)('0' + d / 10);
            b[n++] = (char)('0' + d % 10);
        }
    }
    char *s = tc_strndup(b, n);
    if (!s)
        c->oom = 1;
    return s;
}

/* a, sep and b in one fresh string; NULL with c->oom set when out of memory. */
static char *join3(ctx_t *c, const char *a, size_t alen, const char *sep, const char *b, size_t blen)
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
static char *join_sp(ctx_t *c, const char *a, const char *b)
{
    return join3(c, a, strlen(a), " ", b, strlen(b));
}

/* A full date, the year defaulting to the dispatch's. */
static char *iso_full(ctx_t *c, ymd_t dt)
{
    int y = dt.y ? dt.y : c->year;
    if (!y || !tc_date_valid(y, dt.m, dt.d))
        return NULL;
    return iso(c, y, dt.m, dt.d);
}

/* ------------------------------------------------------------------ */
/* Lines.                                                               */

static const char *LS(const ctx_t *c, size_t i)
{
    return c->lbuf.data + c->lines[i].off;
}

static size_t LN(const ctx_t *c, size_t i)
{
    return c->lines[i].len;
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
    trim(t->data, &a, &b);
    strip_markdown(c, u, t->data, a, b);
    if (c->oom)
        return;
    a = 0;
    b = u->len;
    trim(u->data, &a, &b);
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

static void split_lines(ctx_t *c, const char *text, size_t len)
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
    if (tc_buf_reserve(&c->lfold, c->lbuf.len) < 0 || !(c->lfmap = xrealloc(c, NULL, c->lbuf.len + 1, sizeof *c->lfmap)))
        c->oom = 1;
    else
        c->lfcap = c->lbuf.len + 1;
    for (size_t k = 0; k < c->n_lines && !c->oom; k++) {
        line_t *l = &c->lines[k];
        l->nchars = count_cps(LS(c, k), LN(c, k));
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
static size_t list_marker(const char *s, size_t len)
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
static int ends_terminal(const char *s, size_t len)
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
static void detect_hard_wrap(ctx_t *c)
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
        if ((double)l->nchars >= FULL_LINE_SHARE * w && !ends_terminal(LS(c, i), l->len))
            wrapped++;
    }
    if (longer * WRAP_LONGER_ONE_IN > n || wrapped < WRAP_MIN_WRAPPED)
        return;
    c->hard = 1;
    c->wrap = w;
}

/* ------------------------------------------------------------------ */
/* Header marks.                                                        */

/* The folded text of line i; c->lmap takes its offsets back to the line. */
static const char *fold_line(ctx_t *c, size_t i, size_t *fn)
{
    *fn = c->lines[i].flen;
    c->lmap = c->lfmap + c->lines[i].foff;
    return c->lfold.data + c->lines[i].foff;
}

/* Where the text after a label and its colon starts, in the original. */
static size_t after_label(ctx_t *c, const char *f, size_t fn, size_t e)
{
    e = skip_sp(f, fn, e);
    if (e < fn && f[e] == ':')
        e = skip_sp(f, fn, e + 1);
    return c->lmap[e];
}

/* "Số: 1471/UBND-KGVX": sets *after to the offset after "Số:". */
static int is_so_line(ctx_t *c, size_t i, size_t *after)
{
    size_t fn;
    const char *f = fold_line(c, i, &fn);
    size_t e = fm(f, fn, 0, "so");
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

static void read_number(ctx_t *c, size_t i, size_t p)
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
    c->sym_end = q;
    if (r < n && s[r] == '/') {
        size_t a = r + 1, b = a;
        while (b < n && !is_sp(s[b]))
            b++;
        c->sym_end = b;
        rstrip(s, a, &b, ".,;:");
        size_t d = 0;
        while (p + d < q && is_dig(s[p + d]))
            d++;
        if (d && p + d + 1 < q && s[p + d] == '-') {
            /* Party style "15-TB/ĐU": number 15, symbol TB/ĐU. */
            set_field(c, &c->doc->number, s + p, d);
            if (!c->doc->symbol)
                c->doc->symbol = join3(c, s + p + d + 1, q - p - d - 1, "/", s + a, b - a);
            return;
        }
        if (has_digit(s + p, q - p))
            set_field(c, &c->doc->number, s + p, q - p);
        if (b > a)
            set_field(c, &c->doc->symbol, s + a, b - a);
    } else if (has_digit(s + p, q - p)) {
        size_t b = q;
        rstrip(s, p, &b, ".,;:");
        set_field(c, &c->doc->number, s + p, b - p);
    }
}

/* Capitalised words of a place name before "ngày": "Bà Rịa - Vũng Tàu"
 * has four, its dash aside; one more allows for a longer name. */
#define PLACE_MAX_WORDS 5

/* "<Place>, ngày [d] tháng [m] năm yyyy" in line i, from byte `from`. */
static int find_place_date(ctx_t *c, size_t i, size_t from, ymd_t *dt, size_t *pa, size_t *pb)
{
    const char *s = LS(c, i);
    size_t n = LN(c, i), fn, e;
    const char *f = fold_line(c, i, &fn);
    for (size_t k = 0; (k = ffind(f, fn, k, "ngay", &e)) != NPOS; k = e) {
        int d = 0, m = 0, y = 0;
        size_t j = skip_sp(f, fn, e), t;
        if ((t = read_uint(f, fn, j, 2, &d)) != NPOS)
            j = skip_sp(f, fn, t);
        if ((t = fm(f, fn, j, "thang")) == NPOS)
            continue;
        j = skip_sp(f, fn, t);
        if ((t = read_uint(f, fn, j, 2, &m)) != NPOS)
            j = skip_sp(f, fn, t);
        if ((t = fm(f, fn, j, "nam")) == NPOS)
            continue;
        j = skip_sp(f, fn, t);
        if ((t = read_uint(f, fn, j, 4, &y)) == NPOS || t - j != 4 || y < YEAR_MIN || y > YEAR_MAX)
            continue;
        if (m > 12)
            continue;
        if (d && (!m || !tc_date_valid(y, m, d)))
            d = 0;
        /* The place: the capitalised words before "ngày". */
        size_t ob = c->lmap[k];
        if (ob < from)
            continue;
        size_t b = ob;
        rstrip(s, from, &b, ",");
        /* A dash between capitalised words joins one name: "Bà Rịa - Vũng
         * Tàu". */
        size_t start = b, cur = b, words = 0;
        int dash = 0;
        while (words < PLACE_MAX_WORDS) {
            size_t we = cur;
            while (we > from && is_sp(s[we - 1]))
                we--;
            if (we == from)
                break;
            size_t ws = we;
            while (ws > from && !is_sp(s[ws - 1]))
                ws--;
            if (words && !dash && ((we - ws == 1 && s[ws] == '-') || (we - ws == 3 && !memcmp(s + ws, "\xE2\x80\x93", 3)))) {
                dash = 1; /* kept only if a capitalised word comes before it */
                cur = ws;
                continue;
            }
            if (case_at(s, n, ws) != 'U' || has_digit(s + ws, we - ws))
                break;
            start = cur = ws;
            words++;
            dash = dash ? 2 : 0;
        }
        if (!words)
            continue;
        dt->y = y;
        dt->m = m;
        dt->d = d;
        *pa = start;
        *pb = b;
        return 1;
    }
    return 0;
}

static const char *line_key(ctx_t *c, size_t i, tc_buf_t *kb)
{
    size_t fn;
    const char *f = fold_line(c, i, &fn);
    key_into(c, kb, f, fn);
    return kb->data ? kb->data : "";
}

static int key_has_words(const char *key, const char *words)
{
    size_t wl = strlen(words);
    for (const char *p = key; (p = strstr(p, words)) != NULL; p++)
        if ((p == key || p[-1] == ' ') && (p[wl] == '\0' || p[wl] == ' '))
            return 1;
    return 0;
}

static int is_motto_key(const char *key)
{
    return key_has_words(key, "cong hoa xa hoi chu nghia") || strncmp(key, "doc lap tu do", 13) == 0 ||
           key_has_words(key, "doc lap tu do hanh phuc");
}

/* Urgency and secrecy marks standing alone. */
static int read_marks(ctx_t *c, const char *key)
{
    static const struct {
        const char *key, *name;
        int secrecy;
    } marks[] = {
        { "hoa toc", "Hỏa tốc", 0 }, { "thuong khan", "Thượng khẩn", 0 }, { "khan", "Khẩn", 0 },
        { "tuyet mat", "Tuyệt mật", 1 }, { "toi mat", "Tối mật", 1 }, { "mat", "Mật", 1 },
    };
    const char *k = key;
    if (strncmp(k, "do khan ", 8) == 0)
        k += 8;
    else if (strncmp(k, "do mat ", 7) == 0)
        k += 7;
    for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
        if (strcmp(k, marks[i].key) != 0)
            continue;
        char **field = marks[i].secrecy ? &c->doc->secrecy : &c->doc->urgency;
        if (!*field)
            *field = xstrdup(c, marks[i].name);
        return 1;
    }
    return 0;
}

static int is_mark_key(const char *key)
{
    static const char *const keys[] = { "hoa toc", "thuong khan", "khan", "tuyet mat", "toi mat", "mat" };
    const char *k = key;
    if (strncmp(k, "do khan ", 8) == 0)
        k += 8;
    else if (strncmp(k, "do mat ", 7) == 0)
        k += 7;
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        if (strcmp(k, keys[i]) == 0)
            return 1;
    return 0;
}

/* The longest line that can be a place and date standing above the
 * signature: "Thành phố Hồ Chí Minh, ngày 20 tháng 12 năm 2026" is under
 * fifty code points; a longer line with a date in it is a sentence. */
#define LATE_DATE_LINE_MAX_CHARS 60

static void find_marks(ctx_t *c)
{
    tc_buf_t kb = TC_BUF_INIT;
    size_t nb = 0, fn, e;
    ymd_t dt = { 0, 0, 0 };
    for (size_t i = 0; i < c->n_lines && !c->oom; i++) {
        if (c->lines[i].blank)
            continue;
        if (++nb > HEADER_LINES)
            break;
        const char *f = fold_line(c, i, &fn);
        if ((e = fm(f, fn, 0, "kinh gui")) != NPOS) {
            c->kg = i;
            break;
        }
        size_t after;
        if (c->so == NPOS && is_so_line(c, i, &after)) {
            c->so = i;
            read_number(c, i, after);
        }
        f = fold_line(c, i, &fn);
        if (c->vv == NPOS && (e = fm(f, fn, 0, "v/v")) != NPOS)
            c->vv = i;
        size_t pa, pb;
        if (c->dl == NPOS && find_place_date(c, i, i == c->so ? c->sym_end : 0, &dt, &pa, &pb)) {
            c->dl = i;
            c->place_start = pa;
            set_field(c, &c->doc->place, LS(c, i) + pa, pb - pa);
            c->doc->date = iso(c, dt.y, dt.m, dt.d);
            c->doc->year = c->year = dt.y;
            c->month = dt.m;
            c->day = dt.d;
        }
        const char *key = line_key(c, i, &kb);
        if (c->title == NPOS && c->vv == NPOS && tc_is_all_caps(LS(c, i), LN(c, i))) {
            const tc_doc_type_t *t = tc_doc_type_by_key(key);
            if (t && (t->flags & TC_DOCTYPE_TITLE))
                c->title = i;
        }
        read_marks(c, key);
    }
    tc_buf_free(&kb);
    /* Some put the place and date above the signature instead. */
    for (size_t i = c->kg != NPOS ? c->kg + 1 : 0; c->dl == NPOS && i < c->n_lines && !c->oom; i++) {
        size_t pa, pb;
        if (c->lines[i].blank || c->lines[i].nchars > LATE_DATE_LINE_MAX_CHARS ||
            !find_place_date(c, i, 0, &dt, &pa, &pb) || pa)
            continue;
        c->dl = i;
        set_field(c, &c->doc->place, LS(c, i) + pa, pb - pa);
        c->doc->date = iso(c, dt.y, dt.m, dt.d);
        c->doc->year = c->year = dt.y;
        c->month = dt.m;
        c->day = dt.d;
    }
}

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
        if (list_marker(s, n) || s[0] == '-' || c->lines[i].nchars > SUBJECT_LINE_MAX_CHARS)
            break;
        const char *key = line_key(c, i, &kb);
        if (is_motto_key(key) || is_mark_key(key) || fm(key, strlen(key), 0, "kinh gui") != NPOS ||
            fm(c->lfold.data + c->lines[i].foff, c->lines[i].flen, 0, "v/v") != NPOS)
            break;
        /* Across a blank line, PDF text goes on with the subject's next
         * line, but not with a full-width line: that is the body's first. */
        if (gap && !((c->hard && c->lines[i].nchars <= SUBJECT_WRAPPED_MAX_CHARS &&
                      (double)c->lines[i].nchars < FULL_LINE_SHARE * c->wrap) ||
                     case_at(s, n, 0) == 'L'))
            break;
        if (titled && ((!caps && tc_is_all_caps(s, n)) || strncmp(key, "can cu", 6) == 0))
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
        set_field(c, &c->doc->subject, b.data, b.len);
    tc_buf_free(&b);
    tc_buf_free(&kb);
}

static void read_header_subject(ctx_t *c)
{
    size_t fn, e;
    if (c->vv != NPOS) {
        const char *f = fold_line(c, c->vv, &fn);
        e = fm(f, fn, 0, "v/v");
        read_subject(c, c->vv, after_label(c, f, fn, e), 0);
        return;
    }
    if (c->title == NPOS)
        return;
    c->subject_end = c->title;
    for (size_t i = c->title + 1; i < c->n_lines; i++) {
        if (c->lines[i].blank)
            continue;
        if (i == c->kg || i == c->so || i == c->dl || c->lines[i].nchars > SUBJECT_LINE_MAX_CHARS ||
            list_marker(LS(c, i), LN(c, i)))
            return;
        /* "V/v ..." or, under a title, "Về việc ...": the subject is what
         * follows. */
        const char *f = fold_line(c, i, &fn);
        size_t off = 0;
        if ((e = fm(f, fn, 0, "v/v")) != NPOS || (e = fm(f, fn, 0, "ve viec")) != NPOS)
            off = after_label(c, f, fn, e);
        read_subject(c, i, off, 1);
        return;
    }
}

/* ------------------------------------------------------------------ */
/* Paragraphs and the cleaned text.                                     */

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
        if (is_letter_cp(before) && (is_letter_cp(next) || (next < 0x80 && is_dig((char)next))))
            return JOIN_AS_IS;
    }
    int wide = c->hard && p >= c->join_from && (double)c->lines[p].nchars >= FULL_LINE_SHARE * c->wrap;
    if (list_marker(Q, qn))
        return JOIN_APART;
    if (ends_terminal(P, pn))
        /* In PDF text a full line ending in ";" then lower case is a wrap. */
        return wide && P[pn - 1] == ';' && case_at(Q, qn, 0) == 'L' ? JOIN_SPACE : JOIN_APART;
    return case_at(Q, qn, 0) == 'L' || wide ? JOIN_SPACE : JOIN_APART;
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
        size_t *grown = xrealloc(c, c->fmap, cap, sizeof *grown);
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

static void build_text(ctx_t *c)
{
    size_t cap = 0, prev = NPOS;
    int gap = 0;
    put(c, &c->text, "", 0);
    put(c, &c->ftext, "", 0);
    /* The folded text is the folded lines, a space or a "\n" where they
     * had their "\n": room for it and its map at once. */
    if (tc_buf_reserve(&c->text, c->lbuf.len + c->n_lines) < 0 || tc_buf_reserve(&c->ftext, c->lfold.len) < 0 ||
        !(c->fmap = xrealloc(c, c->fmap, c->lfold.len + 2, sizeof *c->fmap)))
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

/* Text offset of the folded offset j inside paragraph k. */
static size_t orig(const ctx_t *c, size_t k, size_t j)
{
    return c->paras[k].start + c->fmap[j];
}

/* ------------------------------------------------------------------ */
/* Recipients.                                                          */

static void push_items(ctx_t *c, tc_strlist_t *list, const char *s, size_t n)
{
    size_t a = 0;
    while (a <= n && !c->oom) {
        size_t b = a;
        while (b < n && s[b] != ';')
            b++;
        size_t x = a, y = b;
        trim(s, &x, &y);
        rstrip(s, x, &y, ";.,/");
        if (y > x && list->count < MAX_ITEMS) {
            char *item = dup_clean(c, s + x, y - x);
            if (item && tc_strlist_push(list, item, strlen(item)) < 0)
                c->oom = 1;
            free(item);
        }
        a = b + 1;
    }
}

static size_t bullet(const char *s, size_t n)
{
    size_t m = list_marker(s, n);
    if (!m)
        return 0;
    if (s[0] == '-' || s[0] == '+' || s[0] == '*' || (unsigned char)s[0] == 0xE2)
        return m;
    return 0;
}

/* A line under "Kính gửi:" with no bullet is its one recipient when it is
 * this short ("Ủy ban nhân dân các huyện, thành phố"); a longer one is the
 * body's first sentence. */
#define LONE_RECIPIENT_MAX_CHARS 80

static void read_recipients(ctx_t *c)
{
    tc_strlist_t entries = { 0, NULL };
    tc_buf_t cur = TC_BUF_INIT;
    size_t fn, e;
    if (c->kg == NPOS)
        return;
    const char *f = fold_line(c, c->kg, &fn);
    e = fm(f, fn, 0, "kinh gui");
    size_t off = after_label(c, f, fn, e);
    int have = 0, inline_text = off < LN(c, c->kg);
    if (inline_text) {
        put(c, &cur, LS(c, c->kg) + off, LN(c, c->kg) - off);
        have = 1;
    }
    int first = 1;
    for (size_t i = c->kg + 1; i < c->n_lines && !c->oom; i++) {
        if (c->lines[i].blank)
            continue;
        const char *s = LS(c, i);
        size_t n = LN(c, i), m = bullet(s, n);
        if (m) {
            if (have && tc_strlist_push(&entries, cur.data, cur.len) < 0)
                c->oom = 1;
            tc_buf_reset(&cur);
            put(c, &cur, s + m, n - m);
            have = 1;
        } else if (have && case_at(s, n, 0) == 'L') {
            put(c, &cur, " ", 1);
            put(c, &cur, s, n);
        } else if (first && !have && c->lines[i].nchars <= LONE_RECIPIENT_MAX_CHARS) {
            put(c, &cur, s, n);
            have = 1;
        } else {
            break;
        }
        first = 0;
        if (entries.count >= MAX_ITEMS)
            break;
    }
    if (have && !c->oom && tc_strlist_push(&entries, cur.data ? cur.data : "", cur.len) < 0)
        c->oom = 1;
    for (size_t k = 0; k < entries.count && !c->oom; k++)
        push_items(c, &c->doc->recipients, entries.items[k], strlen(entries.items[k]));
    tc_strlist_clear(&entries);
    tc_buf_free(&cur);
}

/* ------------------------------------------------------------------ */
/* Themes and slogans.                                                  */

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
        trim(s, &a, &b);
        rstrip(s, a, &b, ".");
        if (b <= a || list->count >= MAX_ITEMS)
            continue;
        char *item = dup_clean(c, s + a, b - a);
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
    if (fold_into(c, &c->tmp, s, h) == 0) {
        key_into(c, &kb, c->tmp.f.data, c->tmp.f.len);
        if (kb.data && key_has_words(kb.data, "chu de"))
            kind |= Q_THEME;
        if (kb.data && key_has_words(kb.data, "khau hieu"))
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
 * its name key (key_into)? */
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
    if (n <= LABEL_MAX_CHARS + 1 || (n <= 4 * (LABEL_MAX_CHARS + 1) && count_cps(s, n) <= LABEL_MAX_CHARS + 1))
        return 1;
    while (n && (is_sp(s[n - 1]) || strchr(".,;:-", s[n - 1])))
        n--;
    if (n && s[n - 1] == '"')
        return 1;
    size_t i = prev_cp(s, n), j = i;
    uint32_t cp = n ? tc_utf8_next_fast(s, n, &j) : 0;
    return cp == 0x201D || cp == 0x00BB;
}

static void read_quotes(ctx_t *c)
{
    int ctx = Q_NONE;
    for (size_t k = 0; k < c->n_paras && !c->oom; k++) {
        if (c->paras[k].first < c->body)
            continue;
        const char *s = c->text.data + c->paras[k].start;
        size_t n = c->paras[k].len, m = list_marker(s, n);
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
            (folded_has_words(f, fn, "chu", "de") || folded_has_words(f, fn, "khau", "hieu")))
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

/* ------------------------------------------------------------------ */
/* Period and deadlines.                                                */

static void read_period(ctx_t *c)
{
    const char *f = c->ftext.data;
    size_t fn = c->ftext.len, e;
    for (size_t k = 0; (k = ffind(f, fn, k, "tu ngay", &e)) != NPOS; k = e) {
        ymd_t a, b;
        size_t j = parse_date(f, fn, skip_sp(f, fn, e), &a);
        if (j == NPOS)
            continue;
        j = skip_sp(f, fn, j);
        size_t t = fm(f, fn, j, "den");
        if (t == NPOS)
            continue;
        j = skip_sp(f, fn, t);
        if ((t = fm(f, fn, j, "het")) != NPOS)
            j = skip_sp(f, fn, t);
        if ((t = fm(f, fn, j, "ngay")) != NPOS)
            j = skip_sp(f, fn, t);
        j = parse_date(f, fn, j, &b);
        if (j == NPOS)
            continue;
        if (!b.y)
            b.y = c->year;
        if (!a.y)
            a.y = b.y;
        char *from = iso_full(c, a), *to = iso_full(c, b);
        if (!from || !to) {
            free(from);
            free(to);
            continue;
        }
        c->doc->period_from = from;
        c->doc->period_to = to;
        c->period_f0 = k;
        c->period_f1 = j;
        return;
    }
}

/* "17 giờ 00", "17h00", "17:00", with "sáng"/"chiều" after. */
static size_t skip_time(const char *f, size_t n, size_t i)
{
    int v;
    size_t j = read_uint(f, n, i, 2, &v), t;
    if (j == NPOS)
        return NPOS;
    j = skip_sp(f, n, j);
    if ((t = fm(f, n, j, "gio")) != NPOS)
        j = t;
    else if (j < n && (f[j] == 'h' || f[j] == ':') && j == i + (v >= 10 ? 2 : 1))
        j++;
    else if (j < n && f[j] == 'h' && (j + 1 >= n || !is_alnum_b(f[j + 1]) || is_dig(f[j + 1])))
        j++;
    else
        return NPOS;
    size_t k = skip_sp(f, n, j);
    if ((t = read_uint(f, n, k, 2, &v)) != NPOS)
        j = t;
    k = skip_sp(f, n, j);
    if ((t = fm(f, n, k, "phut")) != NPOS)
        j = t;
    k = skip_sp(f, n, j);
    static const char *const parts[] = { "sang", "chieu", "trua", "toi" };
    for (size_t p = 0; p < 4; p++)
        if ((t = fm(f, n, k, parts[p])) != NPOS)
            return t;
    return j;
}

/* Steps (a filler, a time, a ':' or ',', a loose word) read after a
 * deadline phrase before giving up on a date: "chậm nhất vào lúc 17 giờ,
 * ngày 15/5" takes five; the rest is room for a loose phrase's words. */
#define DEADLINE_MAX_STEPS 12
/* Other words a loose phrase may have before its date ("hạn chót nộp hồ
 * sơ là ngày ..."): the few words that say what is due. */
#define DEADLINE_LOOSE_WORDS 8

/* After a deadline phrase: fillers, a time, "ngày", then the date.  `loose`
 * lets any few words in between ("hạn chót nộp hồ sơ là ngày ..."). */
static size_t deadline_date(const char *f, size_t n, size_t i, int loose, ymd_t *dt, size_t *dstart)
{
    static const char *const fillers[] = { "ngay", "la", "vao", "truoc", "luc", "hom", "nhat", "cham" };
    size_t words = 0;
    for (size_t step = 0; step < DEADLINE_MAX_STEPS; step++) {
        i = skip_sp(f, n, i);
        if (i >= n)
            return NPOS;
        size_t e = parse_date(f, n, i, dt);
        if (e != NPOS) {
            *dstart = i;
            return e;
        }
        if (f[i] == ':' || f[i] == ',') {
            i++;
            continue;
        }
        if ((e = skip_time(f, n, i)) != NPOS) {
            i = e;
            continue;
        }
        size_t t = NPOS;
        for (size_t k = 0; k < sizeof fillers / sizeof *fillers && t == NPOS; k++)
            t = fm(f, n, i, fillers[k]);
        if (t != NPOS) {
            i = t;
            continue;
        }
        if (loose && words < DEADLINE_LOOSE_WORDS && is_alnum_b(f[i])) {
            while (i < n && is_alnum_b(f[i]))
                i++;
            words++;
            continue;
        }
        return NPOS;
    }
    return NPOS;
}

/* Sorts the deadlines by date, keeping the order of mentions for ties. */
static void sort_deadlines(tc_doc_t *doc)
{
    for (size_t i = 1; i < doc->n_deadlines; i++) {
        tc_deadline_t d = doc->deadlines[i];
        size_t j = i;
        while (j > 0 && strcmp(doc->deadlines[j - 1].date, d.date) > 0) {
            doc->deadlines[j] = doc->deadlines[j - 1];
            j--;
        }
        doc->deadlines[j] = d;
    }
}

static void add_deadline(ctx_t *c, size_t k, size_t ss, size_t se, ymd_t dt)
{
    tc_doc_t *doc = c->doc;
    /* A deadline without a year is the next such day from the dispatch's
     * date: "trước ngày 15/1" in a dispatch of 20 December is next year's. */
    if (!dt.y && c->year && c->month &&
        (dt.m < c->month || (dt.m == c->month && c->day && dt.d < c->day)))
        dt.y = c->year + 1;
    char *date = iso_full(c, dt);
    if (!date)
        return;
    for (size_t i = 0; i < doc->n_deadlines; i++)
        if (strcmp(doc->deadlines[i].date, date) == 0) {
            free(date);
            return;
        }
    if (doc->n_deadlines >= MAX_DEADLINES) {
        free(date);
        return;
    }
    const char *s = c->text.data;
    size_t a = orig(c, k, ss), b = orig(c, k, se);
    trim(s, &a, &b);
    a += list_marker(s + a, b - a);
    char *text = dup_clean(c, s + a, b - a);
    tc_deadline_t *nd = xrealloc(c, doc->deadlines, doc->n_deadlines + 1, sizeof *nd);
    if (!text || !nd) {
        free(date);
        free(text);
        if (nd)
            doc->deadlines = nd;
        return;
    }
    doc->deadlines = nd;
    nd[doc->n_deadlines].date = date;
    nd[doc->n_deadlines].text = text;
    doc->n_deadlines++;
}

/* A full stop after a capitalised word of at most this many letters
 * ("TP.", "KT.") marks an abbreviation, not a sentence end; after "UBND."
 * a sentence ends. */
#define ABBREV_MAX_LETTERS 3

/* Is the '.' (or ! ?) at folded offset j of paragraph k a sentence end?
 * *next gets where the next sentence may start, *end where this one stops. */
static int sentence_end(const ctx_t *c, size_t k, size_t j, size_t *end, size_t *next)
{
    const char *f = c->ftext.data;
    size_t fe = c->paras[k].fstart + c->paras[k].flen;
    *end = j + 1;
    if (f[j] == '.' && j + 2 < fe && f[j + 1] == '/' && f[j + 2] == '.') {
        *next = j + 3;
        return 1;
    }
    if (j + 1 >= fe) {
        *next = fe;
        return 1;
    }
    if (f[j + 1] != ' ')
        return 0;
    size_t i = skip_sp(f, fe, j + 1);
    *next = i;
    if (i >= fe)
        return 1;
    const char *s = c->text.data;
    size_t o = orig(c, k, i), pend = c->paras[k].start + c->paras[k].len;
    if (case_at(s, pend, o) == 'L')
        return 0;
    if (f[j] != '.')
        return 1;
    /* "TP. Hồ Chí Minh", "KT. Giám đốc": a short capitalised abbreviation. */
    size_t w = j;
    while (w > c->paras[k].fstart && is_alnum_b(f[w - 1]) && !is_dig(f[w - 1]))
        w--;
    if (j - w >= 1 && j - w <= ABBREV_MAX_LETTERS) {
        size_t oa = orig(c, k, w), ob = orig(c, k, j);
        if (tc_is_all_caps(s + oa, ob - oa) || j - w == 1)
            return 0;
    }
    return 1;
}

/* Could a deadline trigger (below) start at f[j]?  Its first two letters
 * and a word start.  f[j + 1] is there: every paragraph ends in "\n". */
static inline int trigger_start(const char *f, size_t j)
{
    static const unsigned char first[256] = { ['t'] = 1, ['c'] = 1, ['k'] = 1, ['h'] = 1 };
    char a = f[j];
    if (!first[(unsigned char)a])
        return 0;
    char b = f[j + 1];
    if (!((a == 't' && (b == 'r' || b == 'h')) || (b == 'h' && (a == 'c' || a == 'k')) || (a == 'h' && b == 'a')))
        return 0;
    return wstart(f, j);
}

static const struct {
    const char *pat;
    int loose;
} triggers[] = {
    { "truoc", 0 },   { "cham nhat", 0 }, { "khong muon hon", 0 }, { "han cuoi", 1 },
    { "han chot", 1 }, { "han nop", 1 },   { "thoi han", 1 },
};

/* Does a trigger start at f[j], j < n?  The first three letters are
 * compared in place: f[n] is a paragraph's "\n" and f[n + 1] is there
 * too, the next paragraph or the final NUL. */
static inline int trigger_at(const char *f, size_t j, size_t n)
{
    if (!trigger_start(f, j))
        return 0;
    for (size_t t = 0; t < sizeof triggers / sizeof *triggers; t++) {
        const char *p = triggers[t].pat;
        if (p[0] == f[j] && p[1] == f[j + 1] && p[2] == f[j + 2] && fm(f, n, j, p) != NPOS)
            return 1;
    }
    return 0;
}

/* Does any trigger stand in f[from, n)?  Each has an 'h' first or second
 * ("han", "cham", "khong", "thoi") or an 'r' second ("truoc"): memchr
 * finds those few places. */
static int has_trigger(const char *f, size_t from, size_t n)
{
    const char *q;
    for (size_t p = from; p < n && (q = memchr(f + p, 'h', n - p)) != NULL; p = (size_t)(q - f) + 1) {
        size_t h = (size_t)(q - f);
        if (trigger_at(f, h, n) || (h > from && trigger_at(f, h - 1, n)))
            return 1;
    }
    for (size_t p = from; p < n && (q = memchr(f + p, 'r', n - p)) != NULL; p = (size_t)(q - f) + 1) {
        size_t r = (size_t)(q - f);
        if (r > from && trigger_at(f, r - 1, n))
            return 1;
    }
    return 0;
}

static void read_deadlines(ctx_t *c)
{
    const char *f = c->ftext.data;
    for (size_t k = 0; k < c->n_paras && !c->oom; k++) {
        size_t fs = c->paras[k].fstart, fe = fs + c->paras[k].flen;
        size_t ss = fs;
        /* Most paragraphs have no trigger at all: skip their sentences.  A
         * trigger inside a sentence is one in the paragraph: its letters end
         * before the sentence's final '.'. */
        if (!has_trigger(f, fs, fe))
            continue;
        while (ss < fe && !c->oom) {
            /* The sentence [ss, se), the next one from nx. */
            size_t se = fe, nx = fe;
            for (size_t j = ss; j < fe; j++) {
                if ((f[j] == '.' || f[j] == '!' || f[j] == '?') && sentence_end(c, k, j, &se, &nx))
                    break;
                se = nx = fe;
            }
            for (size_t j = ss; j < se; j++) {
                char ch = f[j];
                if (!trigger_start(f, j))
                    continue;
                for (size_t t = 0; t < sizeof triggers / sizeof *triggers; t++) {
                    if (triggers[t].pat[0] != ch || triggers[t].pat[1] != f[j + 1])
                        continue; /* f[se] is at worst the paragraph's "\n" */
                    size_t e = fm(f, se, j, triggers[t].pat), ds;
                    if (e == NPOS)
                        continue;
                    ymd_t dt;
                    size_t de = deadline_date(f, se, e, triggers[t].loose, &dt, &ds);
                    if (de == NPOS)
                        continue;
                    if (c->doc->period_from && ds >= c->period_f0 && ds < c->period_f1)
                        continue;
                    add_deadline(c, k, ss, se, dt);
                }
            }
            ss = nx > ss ? nx : se + 1;
        }
    }
    sort_deadlines(c->doc);
}

/* ------------------------------------------------------------------ */
/* References.                                                          */

/* Is the original text of folded [i, e) in paragraph k the word(s)
 * `exact` (lower case, with diacritics)?  Text written without any
 * diacritics matches on the folded form alone. */
static int span_is(ctx_t *c, size_t k, size_t i, size_t e, const char *exact)
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
    char *clean = dup_clean(c, low, strlen(low));
    int same = clean && strcmp(clean, exact) == 0;
    free(clean);
    free(low);
    return same;
}

static int is_quote_byte_at(const char *f, size_t n, size_t i)
{
    return (unsigned char)f[i] == 0xE2 && i + 2 < n && (unsigned char)f[i + 1] == 0x80 &&
           ((unsigned char)f[i + 2] == 0x9C || (unsigned char)f[i + 2] == 0x9D);
}

/* Words of a cited document's issuer: "Ủy ban nhân dân tỉnh Bà Rịa - Vũng
 * Tàu" has ten, its dash counted. */
#define CITED_ISSUER_MAX_WORDS 12

/* The end of an issuer name starting at folded offset i of paragraph k. */
static size_t issuer_end(ctx_t *c, size_t k, size_t i, size_t n)
{
    static const struct {
        const char *folded, *exact;
    } stops[] = {
        { "ve", "về" },           { "gui", "gửi" },           { "tai", "tại" },
        { "quy dinh", "quy định" }, { "huong dan", "hướng dẫn" }, { "ban hanh", "ban hành" },
        { "da", "đã" },           { "duoc", "được" },         { "nham", "nhằm" },
        { "theo", "theo" },       { "trong", "trong" },       { "cho", "cho" },
        { "thi", "thì" },         { "de", "để" },             { "de nghi", "đề nghị" },
        { "ngay", "ngày" },       { "va chi dao", "và chỉ đạo" }, { "dong thoi", "đồng thời" },
        { "yeu cau", "yêu cầu" }, { "trien khai", "triển khai" }, { "thuc hien", "thực hiện" },
        { "voi", "với" },         { "tren", "trên" },         { "nay", "này" },
        { "kem theo", "kèm theo" }, { "dang", "đang" },       { "se", "sẽ" },
    };
    static const char punct[] = ",;()[]:\"\n";
    const char *f = c->ftext.data;
    size_t words = 0, end = i;
    for (;;) {
        i = skip_sp(f, n, i);
        if (i >= n || strchr(punct, f[i]) || f[i] == '.' || is_quote_byte_at(f, n, i) ||
            words >= CITED_ISSUER_MAX_WORDS)
            break;
        int stop = 0;
        for (size_t s = 0; s < sizeof stops / sizeof *stops && !stop; s++) {
            size_t e = fmw(f, n, i, stops[s].folded);
            stop = e != NPOS && span_is(c, k, i, e, stops[s].exact);
        }
        if (stop)
            break;
        while (i < n && f[i] != ' ' && !strchr(punct, f[i]) && !is_quote_byte_at(f, n, i)) {
            if (f[i] == '.' && (i + 1 >= n || f[i + 1] == ' ' || f[i + 1] == '/' || f[i + 1] == '\n'))
                break;
            i++;
        }
        end = i;
        words++;
        if (i < n && f[i] != ' ')
            break;
    }
    return end;
}

static size_t lead_digits(const char *s)
{
    size_t n = 0;
    while (is_dig(s[n]))
        n++;
    return n;
}

static void add_reference(ctx_t *c, const char *type, const char *num, size_t numlen, char *date,
                          const char *iss, size_t isslen)
{
    tc_doc_t *doc = c->doc;
    char *number = dup_clean(c, num, numlen);
    char *issuer = NULL;
    if (iss) {
        size_t a = 0, b = isslen;
        trim(iss, &a, &b);
        rstrip(iss, a, &b, ".,;:-");
        issuer = b > a ? dup_clean(c, iss + a, b - a) : NULL;
    }
    if (!number) {
        free(date);
        free(issuer);
        return;
    }
    size_t ld = lead_digits(number);
    for (size_t i = 0; i < doc->n_references; i++) {
        tc_reference_t *r = &doc->references[i];
        if (strcmp(r->type, type) != 0 || lead_digits(r->number) != ld || memcmp(r->number, number, ld) != 0)
            continue;
        if (r->date && date && strcmp(r->date, date) != 0)
            continue;
        if (!r->date) {
            r->date = date;
            date = NULL;
        }
        if (!r->issuer) {
            r->issuer = issuer;
            issuer = NULL;
        }
        free(number);
        free(date);
        free(issuer);
        return;
    }
    tc_reference_t *nr = doc->n_references < MAX_REFS
                             ? xrealloc(c, doc->references, doc->n_references + 1, sizeof *nr)
                             : NULL;
    char *t = nr ? xstrdup(c, type) : NULL;
    if (!nr || !t) {
        free(number);
        free(date);
        free(issuer);
        free(t);
        if (nr)
            doc->references = nr;
        return;
    }
    doc->references = nr;
    nr[doc->n_references].type = t;
    nr[doc->n_references].number = number;
    nr[doc->n_references].date = date;
    nr[doc->n_references].issuer = issuer;
    doc->n_references++;
}

/* The end of a document number starting at f[ns]: "1471/UBND-KGVX",
 * "03/2007/QH12", "57-NQ/TW". */
static size_t number_end(const char *f, size_t ns, size_t fe)
{
    size_t ne = ns;
    while (ne < fe && (is_alnum_b(f[ne]) || strchr("/-&._", f[ne])))
        ne++;
    while (ne > ns && strchr(".-/&_", f[ne - 1]))
        ne--;
    return ne;
}

/* The longest reference type whose key ends at folded offset te (after
 * fs), as a word; *ts gets where it starts. */
static const tc_doc_type_t *type_before(const char *f, size_t fs, size_t te, size_t *ts)
{
    size_t ntypes;
    const tc_doc_type_t *types = tc_doc_types(&ntypes), *type = NULL;
    for (size_t t = 0; t < ntypes; t++) {
        size_t L = strlen(types[t].key);
        if (!(types[t].flags & TC_DOCTYPE_REF) || te - fs < L || (type && L <= te - *ts))
            continue;
        if (memcmp(f + te - L, types[t].key, L) == 0 && wstart(f, te - L)) {
            type = &types[t];
            *ts = te - L;
        }
    }
    return type;
}

/* Words searched back from "số" for the type of a named act: "Luật
 * Phòng, chống tác hại của thuốc lá số ..." takes eight. */
#define ACT_NAME_MAX_WORDS 15

/* A named act: "Luật Phòng, chống bệnh truyền nhiễm số 03/2007/QH12",
 * "Pháp lệnh Phí và lệ phí số ...".  Its name stands between the type and
 * "số", so the type is looked for back from te, within the clause: a few
 * words, no ; . ( ) : in between.  The type must be capitalised, as a
 * name's is ("Luật", not the "pháp luật" of a phrase). */
static const tc_doc_type_t *named_act_before(ctx_t *c, size_t k, size_t te, size_t *ts)
{
    static const char *const acts[] = { "luat", "phap lenh" };
    const char *f = c->ftext.data, *s = c->text.data;
    size_t fs = c->paras[k].fstart, words = 0;
    for (size_t q = te; q-- > fs && words <= ACT_NAME_MAX_WORDS;) {
        if (strchr(";.():\n\"", f[q]) || is_quote_byte_at(f, te, q))
            break;
        if (!wstart(f, q) || !is_alnum_b(f[q]))
            continue;
        words++;
        for (size_t a = 0; a < sizeof acts / sizeof *acts; a++) {
            if (fm(f, te, q, acts[a]) == NPOS || case_at(s, c->paras[k].start + c->paras[k].len, orig(c, k, q)) != 'U')
                continue;
            *ts = q;
            return tc_doc_type_by_key(acts[a]);
        }
    }
    return NULL;
}

/* Bytes of folded text searched back from "tại" for the "của" that opens
 * the issuer ("của <issuer> tại <Type> số ..."): a long name and its
 * locality. */
#define CITED_ISSUER_WINDOW 120

/* The reference whose number starts at folded offset ns of paragraph k,
 * of `type` named at ts: [,] [ngày <date>] [,] [của <issuer>].  Returns
 * the number's end. */
static size_t cite(ctx_t *c, size_t k, const tc_doc_type_t *type, size_t ts, size_t ns)
{
    const char *f = c->ftext.data, *s = c->text.data;
    size_t fs = c->paras[k].fstart, fe = fs + c->paras[k].flen;
    size_t ne = number_end(f, ns, fe);
    size_t p = skip_sp(f, fe, ne), t;
    if (p < fe && f[p] == ',')
        p = skip_sp(f, fe, p + 1);
    ymd_t dt;
    char *date = NULL;
    if ((t = fmw(f, fe, p, "ngay")) != NPOS) {
        size_t d = parse_date(f, fe, skip_sp(f, fe, t), &dt);
        if (d != NPOS) {
            date = iso_full(c, dt);
            p = d;
        }
    }
    p = skip_sp(f, fe, p);
    if (p < fe && f[p] == ',')
        p = skip_sp(f, fe, p + 1);
    size_t ia = NPOS, ib = NPOS;
    if ((t = fmw(f, fe, p, "cua")) != NPOS && span_is(c, k, p, t, "của")) {
        ia = skip_sp(f, fe, t);
        ib = issuer_end(c, k, ia, fe);
    } else {
        /* "của <X> tại <Type> số ..." */
        size_t b = ts;
        while (b > fs && f[b - 1] == ' ')
            b--;
        if (b >= fs + 3 && memcmp(f + b - 3, "tai", 3) == 0 && wstart(f, b - 3) &&
            span_is(c, k, b - 3, b, "tại")) {
            size_t xe = b - 3;
            while (xe > fs && f[xe - 1] == ' ')
                xe--;
            size_t lim = xe > fs + CITED_ISSUER_WINDOW ? xe - CITED_ISSUER_WINDOW : fs;
            for (size_t q = xe; q-- > lim;) {
                if (strchr(",;()[].:\n", f[q]))
                    break;
                size_t ce = fmw(f, xe, q, "cua");
                if (ce != NPOS && span_is(c, k, q, ce, "của")) {
                    ia = skip_sp(f, fe, ce);
                    ib = xe;
                    break;
                }
            }
        }
    }
    const char *iss = NULL;
    size_t isslen = 0;
    if (ia != NPOS && ib > ia) {
        iss = s + orig(c, k, ia);
        isslen = orig(c, k, ib) - orig(c, k, ia);
    }
    add_reference(c, type->name, s + orig(c, k, ns), orig(c, k, ne) - orig(c, k, ns), date, iss, isslen);
    return ne;
}

/* "<Type> số <number>", "Luật <name> số <number>", and "<Type> <number>"
 * where the number has a symbol ("Công văn 6187/BVHTTDL-VP"): a bare
 * number after a type word ("Kế hoạch 2024", "ngày 21/4") is none. */
static void read_references(ctx_t *c)
{
    const char *f = c->ftext.data;
    for (size_t k = 0; k < c->n_paras && !c->oom; k++) {
        size_t fs = c->paras[k].fstart, fe = fs + c->paras[k].flen;
        size_t next_s = fs, next_slash = fs; /* where the next 's' and '/' are, once looked for */
        int look_s = 1, look_slash = 1;
        for (size_t j = fs; j < fe && !c->oom; j++) {
            const char *hit;
            if (look_s || next_s < j) {
                hit = memchr(f + j, 's', fe - j);
                next_s = hit ? (size_t)(hit - f) : fe;
                look_s = 0;
            }
            if (look_slash || next_slash < j) {
                hit = memchr(f + j, '/', fe - j);
                next_slash = hit ? (size_t)(hit - f) : fe;
                look_slash = 0;
            }
            j = next_s < next_slash ? next_s : next_slash;
            if (j >= fe)
                break;
            const tc_doc_type_t *type = NULL;
            size_t ts = 0, ns, te;
            if (j == next_s) {
                look_s = 1;
                /* The word "so" (fm(f, fe, j, "so") spelt out: 's' is common). */
                if (j + 1 >= fe || f[j + 1] != 'o' || (j + 2 < fe && is_alnum_b(f[j + 2])) || !wstart(f, j))
                    continue;
                size_t e = j + 2;
                ns = skip_sp(f, fe, e);
                if (ns < fe && f[ns] == ':')
                    ns = skip_sp(f, fe, ns + 1);
                if (ns >= fe || !is_dig(f[ns]))
                    continue;
                te = j;
                while (te > fs && f[te - 1] == ' ')
                    te--;
                if (te == j)
                    continue;
                type = type_before(f, fs, te, &ts);
                if (!type) {
                    size_t ne = number_end(f, ns, fe);
                    if (memchr(f + ns, '/', ne - ns))
                        type = named_act_before(c, k, te, &ts);
                }
            } else {
                /* A '/' in "<Type> <digits>/<symbol>" or, in the Party's
                 * style, "<Type> <digits>-<code>/<body>" ("57-NQ/TW"). */
                look_slash = 1;
                ns = j;
                while (ns > fs && (is_alnum_b(f[ns - 1]) || f[ns - 1] == '-'))
                    ns--;
                if (ns == j || !is_dig(f[ns]) || !wstart(f, ns))
                    continue;
                te = ns;
                while (te > fs && f[te - 1] == ' ')
                    te--;
                if (te == ns)
                    continue;
                size_t ne = number_end(f, ns, fe), x = j + 1;
                while (x < ne && !(f[x] >= 'a' && f[x] <= 'z'))
                    x++;
                if (x == ne)
                    continue; /* no symbol: a date or a fraction */
                type = type_before(f, fs, te, &ts);
            }
            if (!type)
                continue;
            size_t ne = cite(c, k, type, ts, ns);
            j = ne > j ? ne - 1 : j;
        }
    }
}

/* ------------------------------------------------------------------ */
/* Normal case for ALL-CAPS names.                                      */

/* How put_word writes a word. */
typedef enum {
    WORD_AS_WRITTEN,
    WORD_LOWER,      /* "ban" */
    WORD_CAPITALISED /* "Ban" */
} word_case_t;

/* Appends one word, a space first unless at the start or after one. */
static void put_word(ctx_t *c, tc_buf_t *b, const char *w, size_t n, word_case_t mode)
{
    if (b->len && b->data[b->len - 1] != ' ')
        put(c, b, " ", 1);
    if (mode == WORD_AS_WRITTEN) {
        put(c, b, w, n);
        return;
    }
    char *low = tc_lower(w, n);
    if (low && mode == WORD_CAPITALISED) {
        char *cap = tc_capitalize_first(low);
        if (!cap)
            free(low);
        low = cap;
    }
    if (!low) {
        c->oom = 1;
        return;
    }
    puts_(c, b, low);
    free(low);
}

static size_t split_words(const char *s, size_t n, word_t *w, size_t max)
{
    size_t count = 0, i = 0;
    while (i < n && count < max) {
        while (i < n && is_sp(s[i]))
            i++;
        if (i >= n)
            break;
        size_t j = i;
        while (j < n && !is_sp(s[j]))
            j++;
        w[count].s = s + i;
        w[count].len = j - i;
        count++;
        i = j;
    }
    return count;
}

/* "uỷ" -> "ủy", the new-style tone placement, in place or reallocated. */
static char *new_style_uy(char *s)
{
    static const struct {
        const char *from, *to;
    } pairs[] = {
        { "u\xE1\xBB\xB7", "\xE1\xBB\xA7y" }, /* uỷ -> ủy */
        { "U\xE1\xBB\xB7", "\xE1\xBB\xA6y" }, /* Uỷ -> Ủy */
        { "U\xE1\xBB\xB6", "\xE1\xBB\xA6Y" }, /* UỶ -> ỦY */
    };
    if (!s)
        return s;
    for (size_t p = 0; p < 3; p++) {
        char *at;
        while ((at = strstr(s, pairs[p].from)) != NULL)
            memcpy(at, pairs[p].to, 4); /* both are four bytes */
    }
    return s;
}

typedef struct {
    char *name;     /* "Sở Khoa học và Công nghệ" */
    char *locality; /* "tỉnh Lai Châu", NULL when none */
    int local;      /* takes a locality */
} org_name_t;

/* Place words: a province's canonical spelling, else Title Case when the
 * words are ALL CAPS, else as written. */
static void put_place(ctx_t *c, tc_buf_t *b, const word_t *w, size_t n, int caps)
{
    tc_buf_t raw = TC_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (i)
            put(c, &raw, " ", 1);
        put(c, &raw, w[i].s, w[i].len);
    }
    char *key = raw.data ? key_of(c, raw.data, raw.len) : NULL;
    int city;
    const char *prov = key ? tc_province_lookup(key, &city) : NULL;
    if (prov) {
        if (b->len)
            put(c, b, " ", 1);
        puts_(c, b, prov);
    } else {
        for (size_t i = 0; i < n; i++)
            put_word(c, b, w[i].s, w[i].len, caps ? WORD_CAPITALISED : WORD_AS_WRITTEN);
    }
    free(key);
    tc_buf_free(&raw);
}

static void render_org(ctx_t *c, const char *s, size_t n, org_name_t *out)
{
    word_t raw[MAX_WORDS], ew[MAX_WORDS * 2];
    size_t kw2ew[MAX_WORDS * 4], kwoff[MAX_WORDS * 4];
    size_t nraw = split_words(s, n, raw, MAX_WORDS), new = 0, nk = 0;
    tc_buf_t K = TC_BUF_INIT, nb = TC_BUF_INIT, lb = TC_BUF_INIT;
    int caps = tc_is_all_caps(s, n), unaccented = !tc_has_marks(s, n);
    memset(out, 0, sizeof *out);

    /* Abbreviations spelled out: UBND, KH&CN, TP. */
    for (size_t i = 0; i < nraw && !c->oom; i++) {
        tc_buf_t *f = &c->kfold;
        tc_buf_reset(f);
        tc_abbrev_kind_t kind;
        const char *exp = NULL;
        if (tc_fold_append(f, raw[i].s, raw[i].len, NULL, NULL) < 0)
            c->oom = 1;
        else
            exp = tc_abbrev_lookup(f->data, strlen(f->data), &kind);
        if (exp && tc_is_all_caps(raw[i].s, raw[i].len))
            new += split_words(exp, strlen(exp), ew + new, MAX_WORDS * 2 - new);
        else if (new < MAX_WORDS * 2)
            ew[new++] = raw[i];
    }
    /* The key, word by word, remembering which word each key word is. */
    put(c, &K, "", 0);
    for (size_t e = 0; e < new && !c->oom; e++) {
        char *k = key_of(c, ew[e].s, ew[e].len);
        for (char *p = k; p && *p && nk < MAX_WORDS * 4;) {
            while (*p == ' ')
                p++;
            if (!*p)
                break;
            char *q = p;
            while (*q && *q != ' ')
                q++;
            if (K.len)
                put(c, &K, " ", 1);
            kwoff[nk] = K.len;
            kw2ew[nk++] = e;
            put(c, &K, p, (size_t)(q - p));
            p = q;
        }
        free(k);
    }
    if (c->oom || !nk)
        goto done;

    size_t m = 0, ow = 0;
    int local = 0;
    const char *known = tc_org_name_match(K.data, &m, &local);
    const char *oword = known ? NULL : tc_org_word_match(K.data, &ow);
    /* Where the locality starts. */
    size_t loc_k = NPOS, lw = 0;
    const char *loc = NULL;
    for (size_t k = known ? m : ow ? ow : 1; k < nk; k++) {
        const char *tail = K.data + kwoff[k];
        loc = tc_locality_word_match(tail, &lw);
        if (!loc || k + lw >= nk || (strncmp(tail, "xa hoi", 6) == 0 && (tail[6] == ' ' || !tail[6]))) {
            loc = NULL;
            continue;
        }
        const word_t *w = &ew[kw2ew[k]];
        char *low = tc_lower(w->s, w->len);
        size_t first_len = strcspn(loc, " ");
        int ok = low && (strlen(low) == first_len && memcmp(low, loc, first_len) == 0);
        if (!ok && unaccented)
            ok = 1;
        if (!low)
            c->oom = 1;
        free(low);
        if (ok) {
            loc_k = k;
            break;
        }
        loc = NULL;
    }
    size_t name_e = loc_k != NPOS ? kw2ew[loc_k] : new;

    put(c, &nb, "", 0);
    if (known) {
        puts_(c, &nb, known);
        for (size_t e = kw2ew[m - 1] + 1; e < name_e; e++)
            put_word(c, &nb, ew[e].s, ew[e].len, caps ? WORD_LOWER : WORD_AS_WRITTEN);
        out->local = local;
    } else if (oword) {
        puts_(c, &nb, oword);
        int cap_next = 1;
        for (size_t e = kw2ew[ow - 1] + 1; e < name_e; e++) {
            put_word(c, &nb, ew[e].s, ew[e].len,
                     caps ? (cap_next ? WORD_CAPITALISED : WORD_LOWER) : WORD_AS_WRITTEN);
            cap_next = ew[e].len == 1 && ew[e].s[0] == '-';
        }
        out->local = strcmp(oword, "Bộ") && strcmp(oword, "Tổng cục") && strcmp(oword, "Cục");
    } else {
        for (size_t e = 0; e < name_e; e++)
            put_word(c, &nb, ew[e].s, ew[e].len,
                     caps ? (e == 0 ? WORD_CAPITALISED : WORD_LOWER) : WORD_AS_WRITTEN);
    }
    if (loc_k != NPOS) {
        put(c, &lb, "", 0);
        puts_(c, &lb, loc);
        size_t pe = kw2ew[loc_k + lw - 1] + 1;
        put_place(c, &lb, ew + pe, new - pe, caps);
    }
    if (!c->oom) {
        out->name = new_style_uy(tc_buf_steal(&nb));
        out->locality = lb.data ? tc_buf_steal(&lb) : NULL;
        if (!out->name)
            c->oom = 1;
    }
done:
    tc_buf_free(&K);
    tc_buf_free(&nb);
    tc_buf_free(&lb);
}

static void org_name_free(org_name_t *o)
{
    free(o->name);
    free(o->locality);
    o->name = o->locality = NULL;
}

static char *org_join(ctx_t *c, const org_name_t *o, const char *locality)
{
    if (locality)
        return join_sp(c, o->name, locality);
    char *s = tc_strndup(o->name, strlen(o->name));
    if (!s)
        c->oom = 1;
    return s;
}

/* ------------------------------------------------------------------ */
/* Signature.                                                           */

/* What a line of the signature block is. */
typedef enum {
    SIG_NONE,
    SIG_TITLE,    /* "PHÓ GIÁM ĐỐC" */
    SIG_AUTHORITY /* "KT. GIÁM ĐỐC", "TM. ỦY BAN NHÂN DÂN" */
} sig_kind_t;

/* Room for an authority prefix as written back: "TUQ." and its NUL. */
#define SIG_PREFIX_SIZE 8
/* Code points of a title or authority line: "TM. ỦY BAN NHÂN DÂN THÀNH PHỐ
 * HỒ CHÍ MINH" is under fifty. */
#define SIG_LINE_MAX_CHARS 70
/* A longer line is a paragraph, not a list item with the title at its end. */
#define SIG_MERGED_LINE_MAX_CHARS 150

/* A title line, an authority line or neither.  *rest: after the prefix. */
static sig_kind_t sig_text(ctx_t *c, const char *s, size_t n, size_t *rest, char prefix[SIG_PREFIX_SIZE])
{
    static const char *const prefixes[] = { "tuq", "kt", "tm", "tl", "q", "t/m", "k/t", "t/l" };
    size_t fn;
    prefix[0] = '\0';
    if (!n || count_cps(s, n) > SIG_LINE_MAX_CHARS || !case_at(s, n, 0) || fold_into(c, &c->tmp, s, n) < 0)
        return SIG_NONE;
    const char *f = c->tmp.f.data;
    fn = c->tmp.f.len;
    size_t p = 0;
    for (size_t k = 0; k < sizeof prefixes / sizeof *prefixes; k++) {
        size_t L = strlen(prefixes[k]);
        int slash = prefixes[k][1] == '/';
        if (fn > L && strncmp(f, prefixes[k], L) == 0 && (f[L] == '.' || (slash && f[L] == ' '))) {
            p = skip_sp(f, fn, f[L] == '.' ? L + 1 : L);
            for (size_t x = 0; x < L; x++)
                prefix[x] = prefixes[k][x] == '/' ? '/' : (char)(prefixes[k][x] - 'a' + 'A');
            prefix[L] = slash ? '\0' : '.';
            prefix[L + 1] = '\0';
            break;
        }
    }
    size_t off = c->tmp.map[p];
    tc_buf_t kb = TC_BUF_INIT;
    key_into(c, &kb, f + p, fn - p);
    size_t w = 0;
    const char *t = kb.data ? tc_title_match(kb.data, &w) : NULL;
    size_t nkw = kb.data && kb.len ? 1 : 0;
    for (size_t x = 0; x < kb.len; x++)
        nkw += kb.data[x] == ' ';
    tc_buf_free(&kb);
    int caps = tc_is_all_caps(s, n);
    *rest = off;
    if (prefix[0])
        return (caps || t) && off < n ? SIG_AUTHORITY : SIG_NONE;
    if (t && (caps || nkw == w))
        return SIG_TITLE;
    return SIG_NONE;
}

/* sig_text on line i; with `suffix`, also on an ALL-CAPS tail of the line,
 * which is where a two-column PDF puts the signature ("- Như trên; PHÓ GIÁM
 * ĐỐC").  *start: where the title starts in the line. */
static sig_kind_t sig_line(ctx_t *c, size_t i, int suffix, size_t *start, size_t *rest, char prefix[SIG_PREFIX_SIZE])
{
    const char *s = LS(c, i);
    size_t n = LN(c, i);
    *start = 0;
    if (c->lines[i].blank)
        return SIG_NONE;
    sig_kind_t kind = sig_text(c, s, n, rest, prefix);
    if (kind != SIG_NONE || !suffix || c->lines[i].nchars > SIG_MERGED_LINE_MAX_CHARS)
        return kind;
    for (size_t j = 2; j < n; j++) {
        if (s[j - 1] != ' ' || !(s[j - 2] == ' ' || strchr(";:.,", s[j - 2])) || !tc_is_all_caps(s + j, n - j))
            continue;
        if ((kind = sig_text(c, s + j, n - j, rest, prefix)) != SIG_NONE) {
            *start = j;
            *rest += j;
            return kind;
        }
    }
    return SIG_NONE;
}

/* A title or authority in normal case: "Phó Giám đốc", "Ủy ban nhân dân". */
static char *render_title(ctx_t *c, const char *s, size_t n)
{
    char *key = key_of(c, s, n);
    size_t w = 0;
    const char *t = key ? tc_title_match(key, &w) : NULL;
    tc_buf_t b = TC_BUF_INIT;
    char *res = NULL;
    put(c, &b, "", 0);
    if (t) {
        puts_(c, &b, t);
        /* The words after the title, as an org name. */
        word_t ws[MAX_WORDS];
        size_t nw = split_words(s, n, ws, MAX_WORDS), seen = 0, from = nw;
        for (size_t i = 0; i < nw; i++) {
            char *k = key_of(c, ws[i].s, ws[i].len);
            if (k && *k)
                seen += 1 + (size_t)(strchr(k, ' ') != NULL);
            free(k);
            if (seen >= w) {
                from = i + 1;
                break;
            }
        }
        if (from < nw) {
            org_name_t o;
            render_org(c, ws[from].s, (size_t)(s + n - ws[from].s), &o);
            char *joined = o.name ? org_join(c, &o, o.locality) : NULL;
            if (joined) {
                put(c, &b, " ", 1);
                puts_(c, &b, joined);
            }
            free(joined);
            org_name_free(&o);
        }
    } else {
        org_name_t o;
        render_org(c, s, n, &o);
        char *joined = o.name ? org_join(c, &o, o.locality) : NULL;
        if (joined)
            puts_(c, &b, joined);
        free(joined);
        org_name_free(&o);
    }
    if (!c->oom && b.len)
        res = tc_buf_steal(&b);
    tc_buf_free(&b);
    free(key);
    return res;
}

/* A person's name: two to six words ("Bùi Thị Lệ Dung", "Nguyễn Thị Ngọc
 * Bích Thủy"), at most this many code points. */
#define NAME_MIN_WORDS 2
#define NAME_MAX_WORDS 6
#define NAME_MAX_CHARS 40
/* Words a line is cut into to test it: past NAME_MAX_WORDS, so that a
 * longer line shows as one. */
#define NAME_SPLIT_WORDS 8
/* Non-blank lines searched up from the end for the signer's title: the
 * list of recipients and the notes under the signature come after it. */
#define SIG_SEARCH_LINES 60
/* Non-blank lines searched below the title for the name: "(Đã ký)", a
 * seal's note and a list of recipients set beside it may come first. */
#define SIGNER_NAME_LINES 15

static int is_name_line(ctx_t *c, size_t i)
{
    const char *s = LS(c, i);
    size_t n = LN(c, i);
    if (c->lines[i].nchars > NAME_MAX_CHARS || has_digit(s, n))
        return 0;
    for (size_t k = 0; k < n; k++)
        if (strchr(":;,()[]/\"!?", s[k]))
            return 0;
    word_t w[NAME_SPLIT_WORDS];
    size_t nw = split_words(s, n, w, NAME_SPLIT_WORDS);
    if (nw < NAME_MIN_WORDS || nw > NAME_MAX_WORDS)
        return 0;
    for (size_t k = 0; k < nw; k++)
        if (case_at(w[k].s, w[k].len, 0) != 'U')
            return 0;
    return 1;
}

static void read_signer(ctx_t *c)
{
    size_t t = NPOS, start = 0, rest = 0, fn;
    char prefix[SIG_PREFIX_SIZE];
    sig_kind_t kind = SIG_NONE;
    int pass;
    /* Whole title lines first; then titles at the end of merged lines. */
    for (pass = 0; pass < 2 && t == NPOS && !c->oom; pass++) {
        size_t nb = 0;
        for (size_t i = c->n_lines; i-- > c->body && nb < SIG_SEARCH_LINES && !c->oom;) {
            if (c->lines[i].blank)
                continue;
            nb++;
            if ((kind = sig_line(c, i, pass, &start, &rest, prefix)) != SIG_NONE) {
                t = i;
                break;
            }
        }
    }
    if (t == NPOS || c->oom)
        return;
    pass--;
    tc_doc_t *doc = c->doc;
    doc->signer_title = render_title(c, LS(c, t) + rest, LN(c, t) - rest);
    if (kind == SIG_AUTHORITY) {
        if (doc->signer_title) {
            doc->signer_authority = join_sp(c, prefix, doc->signer_title);
        }
    } else {
        for (size_t u = t; u-- > c->body && !c->oom;) {
            if (c->lines[u].blank)
                continue;
            size_t st, r;
            char pre[SIG_PREFIX_SIZE];
            sig_kind_t k = sig_line(c, u, pass, &st, &r, pre);
            if (k == SIG_NONE)
                break;
            if (k == SIG_AUTHORITY) {
                char *title = render_title(c, LS(c, u) + r, LN(c, u) - r);
                if (title) {
                    doc->signer_authority = join_sp(c, pre, title);
                }
                free(title);
                break;
            }
        }
    }
    /* The name: the next line that is one, past "(Đã ký)" and any list. */
    size_t seen = 0;
    for (size_t i = t + 1; i < c->n_lines && !c->oom && seen < SIGNER_NAME_LINES; i++) {
        if (c->lines[i].blank)
            continue;
        seen++;
        const char *s = LS(c, i);
        size_t n = LN(c, i);
        const char *f = fold_line(c, i, &fn);
        if (s[0] == '(' || s[0] == '[' || fm(f, fn, 0, "da ky") != NPOS || fm(f, fn, 0, "ky ten") != NPOS ||
            fm(f, fn, 0, "noi nhan") != NPOS || bullet(s, n))
            continue;
        if (!is_name_line(c, i))
            break;
        if (tc_is_all_caps(s, n)) {
            tc_buf_t b = TC_BUF_INIT;
            word_t w[NAME_SPLIT_WORDS];
            size_t nw = split_words(s, n, w, NAME_SPLIT_WORDS);
            put(c, &b, "", 0);
            for (size_t k = 0; k < nw; k++)
                put_word(c, &b, w[k].s, w[k].len, WORD_CAPITALISED);
            if (!c->oom)
                doc->signer = tc_buf_steal(&b);
            tc_buf_free(&b);
        } else {
            set_field(c, &doc->signer, s, n);
        }
        break;
    }
}

/* ------------------------------------------------------------------ */
/* Issuer.                                                              */

/* Bytes of folded text after "Độc lập" in which "Hạnh phúc" ends the motto
 * ("độc lập - tự do - hạnh phúc" has eleven between): without it, the motto
 * runs to the end of the line. */
#define MOTTO_WINDOW 40

/* Line i without the national motto; appended to out, trimmed. */
static void strip_motto(ctx_t *c, size_t i, tc_buf_t *out)
{
    const char *s = LS(c, i);
    size_t n = LN(c, i), fn, e, spans[3][2], ns = 0;
    const char *f = fold_line(c, i, &fn);
    size_t a = ffind(f, fn, 0, "cong hoa xa hoi chu nghia", &e);
    if (a != NPOS) {
        size_t e2, v = fm(f, fn, skip_sp(f, fn, e), "viet nam");
        e2 = v != NPOS ? v : e;
        spans[ns][0] = c->lmap[a];
        spans[ns++][1] = c->lmap[e2];
    }
    a = ffind(f, fn, 0, "doc lap", &e);
    if (a != NPOS) {
        size_t e2, h = ffind(f, fn, e, "hanh phuc", &e2);
        spans[ns][0] = c->lmap[a];
        spans[ns++][1] = h != NPOS && h < e + MOTTO_WINDOW ? c->lmap[e2] : n;
    }
    a = ffind(f, fn, 0, "dang cong san viet nam", &e);
    if (a != NPOS) {
        spans[ns][0] = c->lmap[a];
        spans[ns++][1] = c->lmap[e];
    }
    tc_buf_t b = TC_BUF_INIT;
    if (tc_buf_reserve(&b, n) < 0) {
        c->oom = 1;
        return;
    }
    for (size_t x = 0; x < n; x++) {
        int in = 0;
        for (size_t k = 0; k < ns; k++)
            in |= x >= spans[k][0] && x < spans[k][1];
        if (!in)
            b.data[b.len++] = s[x];
    }
    b.data[b.len] = '\0';
    size_t p = 0, q = b.len;
    if (b.data) {
        while (p < q && (is_sp(b.data[p]) || strchr("-_=~", b.data[p])))
            p++;
        while (q > p && (is_sp(b.data[q - 1]) || strchr("-_=~", b.data[q - 1])))
            q--;
        put_collapsed(c, out, b.data + p, q - p);
    }
    tc_buf_free(&b);
}

/* "tỉnh Lai Châu" from the place line, or "<level> <place>" from the body. */
static char *place_locality(ctx_t *c)
{
    tc_doc_t *doc = c->doc;
    if (!doc->place)
        return NULL;
    char *key = key_of(c, doc->place, strlen(doc->place));
    if (!key)
        return NULL;
    const char *k = key;
    static const char *const prefixes[] = { "thanh pho ", "tp ", "tinh " };
    for (size_t i = 0; i < 3; i++)
        if (strncmp(k, prefixes[i], strlen(prefixes[i])) == 0)
            k += strlen(prefixes[i]);
    int city = 0;
    const char *prov = tc_province_lookup(k, &city);
    char *res = NULL;
    if (prov) {
        res = join_sp(c, city ? "thành phố" : "tỉnh", prov);
        free(key);
        return res;
    }
    /* "huyện Chi Lăng", "xã Bình Thành" in the body. */
    char *fp = tc_fold(doc->place, strlen(doc->place));
    if (!fp) {
        c->oom = 1;
        free(key);
        return NULL;
    }
    static const char *const levels[] = { "thanh pho", "thi xa", "thi tran", "huyen", "quan",
                                          "phuong",    "xa",     "dac khu",  "tinh" };
    const char *f = c->ftext.data;
    for (size_t p = 0; p < c->n_paras && !res && !c->oom; p++) {
        size_t fs = c->paras[p].fstart, fe = fs + c->paras[p].flen, e;
        for (size_t at = fs; !res && (at = ffind(f, fe, at, fp, &e)) != NPOS; at = e) {
            size_t b = at;
            while (b > fs && f[b - 1] == ' ')
                b--;
            if (b == at)
                continue;
            for (size_t l = 0; l < sizeof levels / sizeof *levels; l++) {
                size_t L = strlen(levels[l]);
                if (b - fs < L || memcmp(f + b - L, levels[l], L) != 0 || !wstart(f, b - L))
                    continue;
                size_t lk;
                const char *canon = tc_locality_word_match(levels[l], &lk);
                if (!canon || !span_is(c, p, b - L, b, canon))
                    continue;
                res = join_sp(c, canon, doc->place);
                break;
            }
        }
    }
    free(fp);
    free(key);
    return res;
}

/* Non-blank lines of a header read for its bodies: the bodies, the motto
 * beside them and the number take fewer, even with the two columns of the
 * header on lines of their own. */
#define ISSUER_HEADER_LINES 15

static void read_issuer(ctx_t *c)
{
    tc_doc_t *doc = c->doc;
    tc_buf_t orgs[MAX_ORGS], kb = TC_BUF_INIT;
    size_t no = 0, hb = c->so;
    memset(orgs, 0, sizeof orgs);
    if (hb == NPOS) {
        size_t marks[] = { c->dl, c->vv, c->title, c->kg };
        for (size_t i = 0; i < sizeof marks / sizeof *marks; i++)
            if (marks[i] < hb)
                hb = marks[i];
    }
    if (hb == NPOS)
        hb = 0;
    size_t nb = 0;
    for (size_t i = 0; i < hb && nb < ISSUER_HEADER_LINES && !c->oom; i++) {
        if (c->lines[i].blank)
            continue;
        nb++;
        if (i == c->title || i == c->vv || i == c->dl || is_mark_key(line_key(c, i, &kb)))
            continue;
        tc_buf_t r = TC_BUF_INIT;
        strip_motto(c, i, &r);
        if (r.len) {
            char *k = key_of(c, r.data, r.len);
            size_t w;
            tc_abbrev_kind_t kind = 0;
            char *first = NULL;
            size_t fl = strcspn(r.data, " ");
            if ((first = tc_fold(r.data, fl)) != NULL)
                tc_abbrev_lookup(first, strlen(first), &kind);
            if (k && (tc_org_word_match(k, &w) || kind == TC_ABBREV_ORG || kind == TC_ABBREV_ORG_CENTRAL)) {
                if (no < MAX_ORGS)
                    put(c, &orgs[no++], r.data, r.len);
            } else if (k && no &&
                       (tc_locality_word_match(k, &w) || tc_is_all_caps(r.data, r.len) || case_at(r.data, r.len, 0) == 'L')) {
                /* A locality, more of an ALL-CAPS name, or a name wrapped
                 * mid-phrase ("Sở Lao động - Thương binh" / "và Xã hội"). */
                put(c, &orgs[no - 1], " ", 1);
                put(c, &orgs[no - 1], r.data, r.len);
            }
            free(first);
            free(k);
        }
        tc_buf_free(&r);
    }
    if (no && !c->oom) {
        org_name_t on[MAX_ORGS];
        memset(on, 0, sizeof on);
        for (size_t i = 0; i < no; i++)
            render_org(c, orgs[i].data, orgs[i].len, &on[i]);
        org_name_t *iss = &on[no - 1];
        if (iss->name) {
            const char *loc = iss->locality;
            for (size_t i = no - 1; !loc && i-- > 0;)
                loc = on[i].locality;
            char *guess = NULL;
            if (!loc && iss->local && no == 1)
                loc = guess = place_locality(c);
            doc->issuer = org_join(c, iss, loc);
            free(guess);
        }
        if (no >= 2 && on[no - 2].name) {
            const char *loc = on[no - 2].locality;
            for (size_t i = no - 2; !loc && i-- > 0;)
                loc = on[i].locality;
            doc->issuer_parent = org_join(c, &on[no - 2], loc);
        }
        for (size_t i = 0; i < no; i++)
            org_name_free(&on[i]);
    }
    for (size_t i = 0; i < MAX_ORGS; i++)
        tc_buf_free(&orgs[i]);
    tc_buf_free(&kb);
    if (doc->issuer || c->oom || !doc->symbol)
        return;

    /* No header: the symbol's abbreviation and the place. */
    const char *sym = doc->symbol;
    size_t y = lead_digits(sym);
    if (y && sym[y] == '/')
        sym += y + 1;
    size_t d1 = strcspn(sym, "-/");
    char *f0 = tc_fold(sym, d1);
    if (!f0) {
        c->oom = 1;
        return;
    }
    const char *part = sym;
    size_t plen = d1;
    if (tc_doc_type_by_code(f0) && (sym[d1] == '-' || sym[d1] == '/')) {
        part = sym + d1 + 1;
        plen = strcspn(part, "-/");
    }
    free(f0);
    char *fp = tc_fold(part, plen);
    tc_abbrev_kind_t kind = 0;
    const char *exp = fp ? tc_abbrev_lookup(fp, strlen(fp), &kind) : NULL;
    if (!fp)
        c->oom = 1;
    if (exp && kind == TC_ABBREV_PART) {
        /* A ministry may sign with its field alone: "LĐTBXH-ATLĐ" is the
         * Bộ Lao động - Thương binh và Xã hội's. */
        char *bfp = join3(c, "b", 1, "", fp, strlen(fp));
        tc_abbrev_kind_t bkind = 0;
        const char *bexp = bfp ? tc_abbrev_lookup(bfp, strlen(bfp), &bkind) : NULL;
        if (bexp && bkind == TC_ABBREV_ORG_CENTRAL) {
            exp = bexp;
            kind = bkind;
        }
        free(bfp);
    }
    free(fp);
    if (!exp || (kind != TC_ABBREV_ORG && kind != TC_ABBREV_ORG_CENTRAL))
        return;
    char *loc = kind == TC_ABBREV_ORG ? place_locality(c) : NULL;
    doc->issuer = loc ? join_sp(c, exp, loc) : xstrdup(c, exp);
    free(loc);
}

/* ------------------------------------------------------------------ */
/* Document type.                                                       */

static void read_doc_type(ctx_t *c)
{
    tc_doc_t *doc = c->doc;
    const char *name = NULL;
    if (c->vv != NPOS) {
        name = "Công văn";
    } else if (c->title != NPOS) {
        tc_buf_t kb = TC_BUF_INIT;
        const tc_doc_type_t *t = tc_doc_type_by_key(line_key(c, c->title, &kb));
        name = t ? t->name : NULL;
        tc_buf_free(&kb);
    } else if (doc->symbol) {
        const char *sym = doc->symbol;
        size_t y = lead_digits(sym);
        if (y && sym[y] == '/')
            sym += y + 1;
        size_t d1 = strcspn(sym, "-/");
        char *f0 = tc_fold(sym, d1);
        if (!f0) {
            c->oom = 1;
            return;
        }
        const tc_doc_type_t *t = sym[d1] == '-' || sym[d1] == '/' ? tc_doc_type_by_code(f0) : NULL;
        name = t ? t->name : NULL;
        free(f0);
    }
    if (name)
        doc->doc_type = xstrdup(c, name);
}

/* How much of text is read for the record: all of it, or up to a line end
 * (else a character boundary) within MAX_PARSED_BYTES. */
static size_t parsed_length(const char *text, size_t len)
{
    if (len <= MAX_PARSED_BYTES)
        return len;
    for (size_t i = MAX_PARSED_BYTES; i > MAX_PARSED_BYTES / 2; i--)
        if (text[i - 1] == '\n')
            return i;
    size_t i = MAX_PARSED_BYTES;
    while (i > 0 && ((unsigned char)text[i] & 0xC0) == 0x80)
        i--;
    return i;
}

/* ------------------------------------------------------------------ */

tc_status_t tc_doc_parse(tc_doc_t **out, const char *text, size_t len)
{
    if (!out)
        return TC_STATUS_INVALID_ARGUMENT;
    *out = NULL;
    if (!text && len)
        return TC_STATUS_INVALID_ARGUMENT;
    if (!text)
        text = "";

    ctx_t c;
    memset(&c, 0, sizeof c);
    c.so = c.dl = c.vv = c.kg = c.title = c.subject_end = NPOS;
    if (!(c.doc = tc_doc_new()))
        return TC_STATUS_OUT_OF_MEMORY;

    size_t parsed = parsed_length(text, len);
    split_lines(&c, text, parsed);
    if (!c.oom)
        detect_hard_wrap(&c);
    if (!c.oom)
        find_marks(&c);
    if (!c.oom)
        read_header_subject(&c);
    if (c.kg != NPOS) {
        c.body = c.kg;
    } else {
        size_t marks[] = { c.so, c.dl, c.subject_end, c.title };
        for (size_t i = 0; i < sizeof marks / sizeof *marks; i++)
            if (marks[i] != NPOS && marks[i] + 1 > c.body)
                c.body = marks[i] + 1;
    }
    c.join_from = c.kg != NPOS ? c.kg + 1 : c.body;
    /* The cleaned text comes first: the readers after it work on it. */
    static void (*const readers[])(ctx_t *) = { build_text,   read_doc_type,   read_recipients,
                                                read_quotes,  read_period,     read_deadlines,
                                                read_references, read_signer, read_issuer };
    for (size_t i = 0; i < sizeof readers / sizeof *readers && !c.oom; i++)
        readers[i](&c);
    if (!c.oom && parsed < len) {
        /* The rest, as decoded, after the paragraphs read. */
        put(&c, &c.text, "\n", 1);
        put(&c, &c.text, text + parsed, len - parsed);
    }
    if (!c.oom) {
        c.doc->text = tc_buf_steal(&c.text);
        if (!c.doc->text)
            c.oom = 1;
    }

    tc_buf_free(&c.lbuf);
    free(c.lines);
    tc_buf_free(&c.lfold);
    free(c.lfmap);
    tc_buf_free(&c.scratch[0]);
    tc_buf_free(&c.scratch[1]);
    tc_buf_free(&c.kfold);
    free(c.drop);
    tc_buf_free(&c.text);
    free(c.paras);
    tc_buf_free(&c.ftext);
    free(c.fmap);
    fold_free(&c.tmp);
    if (c.oom) {
        tc_doc_free(c.doc);
        return TC_STATUS_OUT_OF_MEMORY;
    }
    *out = c.doc;
    return TC_STATUS_SUCCESS;
}
