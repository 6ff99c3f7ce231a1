/* The text cut into cleaned lines (markdown residue, control and invisible
 * characters and rules gone), each folded once, and what the readers ask of
 * a line: its list marker, whether it ends a sentence, its folded text and
 * name key.  Also whether the text is hard-wrapped (PDF).
 *
 * The header is mended on the way, as extraction and scrapers cut it apart:
 * a header table's cells a line each, the rules glued to its lines gone, the
 * motto cut over lines put back on one, the place and date and the number
 * wrapped by a narrow cell joined again (repair_header). */
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

static int is_rule_mark(char ch)
{
    return ch == '-' || ch == '_' || ch == '=' || ch == '~';
}

/* Drops a run of at least RULE_MIN_MARKS rule marks, and the spaces by it,
 * from each end of [*a, *b): the rule under a header's body or motto, glued
 * to it when the header table is flattened ("ỦY BAN NHÂN DÂN TỈNH X -------",
 * "------------------ Số: 1661/NQ-UBTVQH15", "Hạnh phúc-----"). */
static void strip_edge_rules(const char *s, size_t *a, size_t *b)
{
    size_t k = *a;
    while (k < *b && is_rule_mark(s[k]))
        k++;
    if (k - *a >= RULE_MIN_MARKS) {
        *a = k;
        while (*a < *b && is_sp(s[*a]))
            (*a)++;
    }
    k = *b;
    while (k > *a && is_rule_mark(s[k - 1]))
        k--;
    if (*b - k >= RULE_MIN_MARKS) {
        *b = k;
        while (*b > *a && is_sp(s[*b - 1]))
            (*b)--;
    }
}

/* A digitally signed dispatch (Nghị định 30) carries its signer's stamp,
 * whose time ends with the UTC offset: "Thời gian ký: 26.11.2024 13:45:56
 * +07:00".  On a scan of it, OCR reads the stamp's pieces onto the
 * header's lines, glued to them ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
 * +07:00"), and an issuer read across the line took them in.  A header
 * line ending in such an offset loses it, and the time and day before it. */
static int is_utc_offset(const char *s, size_t n)
{
    return n == 6 && (s[0] == '+' || s[0] == '-') && is_dig(s[1]) &&
           is_dig(s[2]) && s[3] == ':' && is_dig(s[4]) && is_dig(s[5]);
}

/* "13:45:56", "26.11.2024", "26/11/2024": digits and separators. */
static int is_time_or_day(const char *s, size_t n)
{
    size_t digits = 0, separators = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_dig(s[i]))
            digits++;
        else if (s[i] == ':' || s[i] == '.' || s[i] == '/' || s[i] == '-')
            separators++;
        else
            return 0;
    }
    return digits && separators;
}

static void strip_signing_time(const char *s, size_t a, size_t *b)
{
    size_t k = *b;
    while (k > a && !is_sp(s[k - 1]))
        k--;
    if (!is_utc_offset(s + k, *b - k))
        return;
    size_t end;
    for (;;) {
        end = k;
        while (end > a && is_sp(s[end - 1]))
            end--;
        k = end;
        while (k > a && !is_sp(s[k - 1]))
            k--;
        if (k == end || !is_time_or_day(s + k, end - k))
            break;
    }
    *b = end;
}

/* One raw line -> one cleaned line appended to out; a header line loses the
 * rules at its ends too. */
static void clean_line(ctx_t *c, tc_buf_t *out, const char *s, size_t len, int header)
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
    if (header) {
        strip_signing_time(u->data, a, &b);
        strip_edge_rules(u->data, &a, &b);
    }
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

/* Non-blank lines at the top of a text read as its header by the repairs
 * below, as many as header.c searches for the header marks. */
#define REPAIR_HEADER_LINES 40

/* Backslashes that stand for a line break in a scraped table cell:
 * "BAN CHẤP HÀNH TRUNG ƯƠNG  \\\  Số: 245 KH/TWĐTNBTG", at least this many
 * with spaces around them (one escapes a markdown character). */
#define CELL_BREAK_SLASHES 2
/* The longest HTML line break a scraper leaves in a cell: "<br />". */
#define CELL_BREAK_TAG_MAX 6

/* The end of a cell's line break at t[i], i when there is none there: a
 * run of backslashes, or the HTML "<br>", "<br/>", "<br />" of a table
 * converted to markdown ("ỦY BAN NHÂN DÂN<br>TỈNH LAI CHÂU"). */
static size_t cell_break(const char *t, size_t n, size_t i)
{
    if (t[i] == '<' && i + 3 < n && (t[i + 1] == 'b' || t[i + 1] == 'B') && (t[i + 2] == 'r' || t[i + 2] == 'R')) {
        for (size_t e = i + 3; e < n && e - i < CELL_BREAK_TAG_MAX; e++) {
            if (t[e] == '>')
                return e + 1;
            if (t[e] != ' ' && t[e] != '/')
                break;
        }
        return i;
    }
    size_t e = i;
    while (e < n && t[e] == '\\')
        e++;
    if (e - i < CELL_BREAK_SLASHES || (i > 0 && !is_sp(t[i - 1])) || (e < n && !is_sp(t[e])))
        return i;
    return e;
}

/* Non-blank lines above a header table: a scraper's source line and title
 * heading, a few; a table that opens later is the body's. */
#define HEADER_TABLE_START_LINES 8

/* s[0..n) holds something besides spaces. */
static int has_text(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_sp(s[i]) && s[i] != '\r')
            return 1;
    return 0;
}

/* Appends the cleaned form of s[0..len) as a new line. */
static void add_line(ctx_t *c, size_t *cap, const char *s, size_t len, int header)
{
    line_t *lines = grow(c, c->lines, c->n_lines, cap, sizeof *lines);
    if (!lines)
        return;
    c->lines = lines;
    line_t *l = &c->lines[c->n_lines++];
    l->off = c->lbuf.len;
    clean_line(c, &c->lbuf, s, len, header);
    l->len = c->lbuf.len - l->off;
    put(c, &c->lbuf, "\0", 1);
    l->blank = l->len == 0;
}

/* Line k's folded text into fb, its offsets in the line into *map; its
 * length. */
static size_t fold_tmp(ctx_t *c, size_t k, tc_buf_t *fb, size_t **map, size_t *cap)
{
    tc_buf_reset(fb);
    if (tc_fold_append(fb, LS(c, k), LN(c, k), map, cap) < 0) {
        c->oom = 1;
        return 0;
    }
    return fb->len;
}

/* Line a and line b as one line, a's text, sep, then b's; b made blank. */
static void join_lines(ctx_t *c, size_t a, size_t b, const char *sep)
{
    size_t la = LN(c, a), lb = LN(c, b), ls = strlen(sep);
    if (tc_buf_reserve(&c->lbuf, la + lb + ls + 1) < 0) {
        c->oom = 1;
        return;
    }
    size_t off = c->lbuf.len;
    /* Room reserved: the sources stay where they are. */
    put(c, &c->lbuf, LS(c, a), la);
    put(c, &c->lbuf, sep, ls);
    put(c, &c->lbuf, LS(c, b), lb);
    put(c, &c->lbuf, "\0", 1);
    c->lines[a].off = off;
    c->lines[a].len = la + ls + lb;
    c->lines[b].len = 0;
    c->lines[b].blank = 1;
}

/* Line k's letters and digits, folded, into out (the rest dropped). */
static void line_letters(ctx_t *c, size_t k, tc_buf_t *fb, size_t **map, size_t *cap, tc_buf_t *out)
{
    tc_buf_reset(out);
    size_t fn = fold_tmp(c, k, fb, map, cap);
    for (size_t x = 0; x < fn && !c->oom; x++)
        if (is_alnum_b(fb->data[x]))
            put(c, out, fb->data + x, 1);
}

/* Lines a motto split over extraction puts back: "CỘNG HÒA XÃ" / "HỘI CHỦ
 * NGHĨA VIỆT NAM" is four lines at most. */
#define MOTTO_MAX_LINES 4
/* Lines of the other column that may stand between two pieces of the motto
 * ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA" / "TỈNH LAI CHÂU" / "VIỆT NAM"). */
#define MOTTO_MAX_SKIPPED 1

/* The national motto put back on one line when extraction cut it: two-column
 * headers flattened line by line put "CỘNG HÒA XÃ" / "HỘI CHỦ NGHĨA VIỆT
 * NAM" between the issuer's lines, where it read as part of the issuer.
 * Only lines holding nothing but pieces of the motto are joined (the last
 * may go on with the motto's second line): the motto's words in a sentence
 * ("Ngày Pháp luật nước Cộng hòa xã hội / chủ nghĩa Việt Nam") are text.  A
 * motto on one line stays as it is: the readers know it. */
static void mend_motto(ctx_t *c, size_t first, size_t end)
{
    tc_buf_t fb = TC_BUF_INIT, la = TC_BUF_INIT, lb = TC_BUF_INIT;
    size_t *map = NULL, mcap = 0;
    for (size_t m = 0; m < VOC_MOTTO_LETTERS && !c->oom; m++) {
        const char *pat = voc_motto_letters[m], *next = m + 1 < VOC_MOTTO_LETTERS ? voc_motto_letters[m + 1] : "";
        size_t pl = strlen(pat);
        for (size_t k = first; k < end && !c->oom; k++) {
            if (c->lines[k].blank)
                continue;
            line_letters(c, k, &fb, &map, &mcap, &la);
            if (!la.len || la.len >= pl || memcmp(la.data, pat, la.len) != 0)
                continue;
            size_t pieces[MOTTO_MAX_LINES], np = 0, pos = la.len, skipped = 0;
            pieces[np++] = k;
            for (size_t j = k + 1; j < end && pos < pl && np < MOTTO_MAX_LINES && !c->oom; j++) {
                if (c->lines[j].blank)
                    continue;
                line_letters(c, j, &fb, &map, &mcap, &lb);
                size_t rest = pl - pos;
                if (lb.len && lb.len <= rest && memcmp(lb.data, pat + pos, lb.len) == 0) {
                    pos += lb.len;
                    pieces[np++] = j;
                } else if (lb.len > rest && memcmp(lb.data, pat + pos, rest) == 0 &&
                           strncmp(lb.data + rest, next, lb.len - rest) == 0) {
                    pos = pl; /* "... VIỆT NAM Độc lập - Tự do - Hạnh phúc" */
                    pieces[np++] = j;
                } else if (skipped++ == MOTTO_MAX_SKIPPED) {
                    break;
                }
            }
            if (pos < pl)
                continue;
            for (size_t l = 1; l < np; l++)
                join_lines(c, k, pieces[l], " ");
        }
    }
    free(map);
    tc_buf_free(&fb);
    tc_buf_free(&la);
    tc_buf_free(&lb);
}

/* f ends with the word w, a number after it or not. */
static int ends_with_word(const char *f, size_t n, const char *w)
{
    while (n && f[n - 1] == ' ')
        n--;
    size_t e = n;
    while (e && is_dig(f[e - 1]))
        e--;
    if (e < n)
        while (e && f[e - 1] == ' ')
            e--;
    size_t wl = strlen(w);
    return e >= wl && memcmp(f + e - wl, w, wl) == 0 && wstart(f, e - wl);
}

/* f opens with "<word> <number>". */
static int opens_with_word_number(const char *f, size_t n, const char *w)
{
    size_t e = fm(f, n, 0, w);
    if (e == NPOS)
        return 0;
    e = skip_sp(f, n, e);
    return e < n && is_dig(f[e]);
}

/* How line a, ending as it does, goes on in the line b after it; the
 * separator to join them with, or NULL when b is not its continuation.
 *  - the place and date wrapped by a narrow table cell: "Nghệ An, ngày 26" /
 *    "tháng 11 năm 2025", "Đồng Tháp," / "ngày 19 tháng 11 năm 2025",
 *    "Hà Nội, ngày 28" / "tháng 4" / "năm 2026", "Hà Nội, ngày" / "24 tháng
 *    11 năm 2025", "Lai Châu, ngày 05 tháng" / "6 năm 2025";
 *  - the number on the line under its label, or the symbol under the
 *    number: "Số:" / "137/2025/QĐ-UBND", "Số:173" / "/KH-UBND", "Số: 173/" /
 *    "KH-UBND". */
static const char *continuation(const char *fa, size_t na, const char *fb, size_t nb)
{
    while (na && fa[na - 1] == ' ')
        na--;
    if (na && fa[na - 1] == ',' && opens_with_word_number(fb, nb, voc_ngay))
        return " ";
    /* A date cut after "ngày" or "tháng", its number on either line. */
    const char *words[] = { voc_ngay, voc_thang, voc_nam };
    for (size_t w = 0; w + 1 < sizeof words / sizeof *words; w++) {
        if (!ends_with_word(fa, na, words[w]))
            continue;
        size_t e = 0;
        while (e < nb && is_dig(fb[e]))
            e++;
        if (opens_with_word_number(fb + skip_sp(fb, nb, e), nb - skip_sp(fb, nb, e), words[w + 1]))
            return " ";
    }
    size_t e = fm(fa, na, 0, voc_so), d = 0;
    if (e != NPOS) {
        /* past "Số", its colon and the digits after them: [e, d) */
        e = skip_sp(fa, na, e);
        if (e < na && fa[e] == ':')
            e = skip_sp(fa, na, e + 1);
        for (d = e; d < na && is_dig(fa[d]);)
            d++;
    }
    if (e != NPOS && nb && (is_dig(fb[0]) || fb[0] == '/') && d == na && (d == e || fb[0] == '/'))
        return d == e ? " " : "";
    /* "Số: 173/" / "KH-UBND": cut after the slash. */
    if (e != NPOS && nb && is_alnum_b(fb[0]) && na && fa[na - 1] == '/' && d > e && d + 1 == na &&
        !memchr(fb, ' ', nb))
        return "";
    return NULL;
}

/* The end of the motto m's letters at f, whatever the spaces and marks
 * among them; NULL when f does not go on with them. */
static const char *motto_at(const char *f, const char *m)
{
    for (; *m; f++) {
        if (!*f)
            return NULL;
        if (!is_alnum_b(*f))
            continue;
        if (*f != *m++)
            return NULL;
    }
    return f;
}

/* The folded line f holds the motto's lines and nothing else. */
static int motto_only(const char *f)
{
    size_t m = 0;
    int any = 0;
    while (*f) {
        if (!is_alnum_b(*f)) {
            f++;
            continue;
        }
        const char *e = NULL;
        while (m < VOC_MOTTO_LETTERS && !(e = motto_at(f, voc_motto_letters[m])))
            m++;
        if (!e)
            return 0;
        f = e;
        m++;
        any = 1;
    }
    return any;
}

/* Mends the header that extraction and scrapers cut apart: the motto out,
 * the wrapped place and date and the number under its label put back on
 * one line. */
static void repair_header(ctx_t *c)
{
    size_t end = 0, nb = 0;
    tc_buf_t fb = TC_BUF_INIT;
    size_t *map = NULL, mcap = 0;
    for (; end < c->n_lines && nb < REPAIR_HEADER_LINES && !c->oom; end++) {
        if (c->lines[end].blank)
            continue;
        nb++;
        size_t fn = fold_tmp(c, end, &fb, &map, &mcap);
        if (fm(fb.data, fn, 0, voc_kinh_gui) != NPOS)
            break;
    }
    mend_motto(c, 0, end);
    for (size_t a = 0; a < end && !c->oom; a++) {
        if (c->lines[a].blank)
            continue;
        for (;;) {
            /* The next line, past the other column's motto. */
            size_t b = a + 1;
            char *fbb = NULL;
            for (; b < end && !c->oom; b++) {
                if (c->lines[b].blank)
                    continue;
                free(fbb);
                if (!(fbb = tc_fold(LS(c, b), LN(c, b))))
                    c->oom = 1;
                else if (!motto_only(fbb))
                    break;
            }
            if (b >= end) {
                free(fbb);
                break;
            }
            char *fa = tc_fold(LS(c, a), LN(c, a));
            const char *sep = fa && fbb ? continuation(fa, strlen(fa), fbb, strlen(fbb)) : NULL;
            if (!fa || !fbb)
                c->oom = 1;
            free(fa);
            free(fbb);
            if (!sep)
                break;
            join_lines(c, a, b, sep);
        }
    }
    free(map);
    tc_buf_free(&fb);
}

void ps_split_lines(ctx_t *c, const char *text, size_t len)
{
    size_t cap = 0, nb = 0;
    size_t i = 0;
    enum { TABLE_NONE, TABLE_HEADER, TABLE_OVER } table = TABLE_NONE;
    int after_blank = 0;
    put(c, &c->lbuf, "", 0);
    while (i <= len && !c->oom) {
        /* The line ends at the first \n, \r or \f. */
        const char *nl = memchr(text + i, '\n', len - i), *other;
        size_t j = nl ? (size_t)(nl - text) : len;
        if ((other = memchr(text + i, '\r', j - i)) != NULL)
            j = (size_t)(other - text);
        if ((other = memchr(text + i, '\f', j - i)) != NULL)
            j = (size_t)(other - text);
        int header = nb < REPAIR_HEADER_LINES;
        int row = memchr(text + i, '|', j - i) != NULL;
        if (row && table == TABLE_NONE)
            table = nb < HEADER_TABLE_START_LINES ? TABLE_HEADER : TABLE_OVER;
        else if (!row && table == TABLE_HEADER && after_blank && has_text(text + i, j - i))
            table = TABLE_OVER;
        after_blank = !has_text(text + i, j - i);
        if (header && row && table == TABLE_HEADER) {
            /* A header table flattened by a scraper into "| cell | cell |"
             * rows: a cell a line, as the header's readers expect.  Only
             * the first table, opening the text, is the header's: a table
             * after it is the body's and stays as written. */
            for (size_t a = i; a <= j && !c->oom;) {
                size_t b = a, e;
                while (b < j && text[b] != '|' && (e = cell_break(text, j, b)) == b)
                    b++;
                e = b < j && text[b] != '|' ? cell_break(text, j, b) : b + 1;
                add_line(c, &cap, text + a, b - a, 1);
                nb += !c->oom && !c->lines[c->n_lines - 1].blank;
                a = e;
            }
        } else {
            add_line(c, &cap, text + i, j - i, header);
            nb += !c->oom && !c->lines[c->n_lines - 1].blank;
        }
        if (j >= len)
            break;
        i = j + 1;
    }
    if (!c->oom)
        repair_header(c);
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
