/* Dates: "10/5/2026", "25 tháng 5 năm 2023", their ISO form, and the
 * dispatch's own place and date ("Lai Châu, ngày 20 tháng 4 năm 2026"). */
#include <string.h>

#include "base/dates.h"
#include "record/parse/parse.h"

/* Years a dispatch or a date in it may have: wider than any real one, narrow
 * enough that "1471" or "3000" in a number is not read as a year. */
#define YEAR_MIN 1900
#define YEAR_MAX 2100
/* A two-digit year ("10/5/26") is this century's. */
#define TWO_DIGIT_YEAR_BASE 2000

static int fix_year(int y, size_t digits)
{
    if (digits == 2)
        return TWO_DIGIT_YEAR_BASE + y;
    return y;
}

/* A date at f[i]: "10/5/2026", "10-5-2026", "10.5.2026", "10/5",
 * "25 tháng 5 năm 2023", "25 tháng 5".  Returns its end or NPOS. */
size_t ps_parse_date(const char *f, size_t n, size_t i, ymd_t *out)
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
        size_t e = fm(f, n, k, voc_thang);
        if (e == NPOS)
            return NPOS;
        e = skip_sp(f, n, e);
        e = read_uint(f, n, e, 2, &m);
        if (e == NPOS)
            return NPOS;
        j = e;
        k = skip_sp(f, n, e);
        e = fm(f, n, k, voc_nam);
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

char *ps_iso(ctx_t *c, int y, int m, int d)
{
    char b[16];
    size_t n = 0;
    if (!y)
        return NULL;
    if (y < 0 || y > 9999 || m < 0 || m > 99 || d < 0 || d > 99)
        return NULL; /* ps_parse_date and ps_find_place_date never give these */
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

/* A full date, the year defaulting to the dispatch's. */
char *ps_iso_full(ctx_t *c, ymd_t dt)
{
    int y = dt.y ? dt.y : c->year;
    if (!y || !tc_date_valid(y, dt.m, dt.d))
        return NULL;
    return ps_iso(c, y, dt.m, dt.d);
}

/* Capitalised words of a place name before "ngày": "Bà Rịa - Vũng Tàu"
 * has four, its dash aside; one more allows for a longer name. */
#define PLACE_MAX_WORDS 5

/* A day or month written by hand into the printed blank, which OCR reads
 * as specks: "ngày 2Ÿ tháng 11", "ngày Êˆ@_ tháng 11", "tháng t:Ì năm
 * 2014" on scans.  At most this many bytes of folded text between the
 * blank's start and the word after it. */
#define HANDWRITTEN_BLANK_BYTES 6

/* Where `word` ("tháng", "năm") ends when it comes within
 * HANDWRITTEN_BLANK_BYTES after f[j], at a word's start; NPOS otherwise. */
static size_t after_blank(const char *f, size_t n, size_t j, const char *word)
{
    for (size_t k = j + 1; k < n && k <= j + HANDWRITTEN_BLANK_BYTES; k++) {
        size_t e;
        if (!is_alnum_b(f[k - 1]) && (e = fm(f, n, k, word)) != NPOS)
            return e;
    }
    return NPOS;
}

/* Is there a comma (the place's) before f[i], spaces aside? */
static int after_comma(const char *f, size_t i)
{
    while (i > 0 && f[i - 1] == ' ')
        i--;
    return i > 0 && f[i - 1] == ',';
}

/* "ngày" at a word's start, also glued to the day after it as OCR reads a
 * day written by hand, to figures ("Hà Nội, ngày82tháng 4 năm 2026") or,
 * after the place's comma, to anything ("Kiên Giang, ngàyÁ*ƒ tháng 10");
 * NPOS when there is none from f[from]. */
static size_t find_ngay(const char *f, size_t n, size_t from, size_t *end)
{
    size_t len = strlen(voc_ngay);
    for (size_t i = from; i + len <= n; i++) {
        const char *hit = memchr(f + i, voc_ngay[0], n - i);
        if (!hit)
            break;
        i = (size_t)(hit - f);
        size_t e = i + len;
        if (e <= n && memcmp(f + i, voc_ngay, len) == 0 && wstart(f, i) &&
            (e == n || !is_alnum_b(f[e]) || is_dig(f[e]) || after_comma(f, i))) {
            *end = e;
            return i;
        }
    }
    return NPOS;
}

/* "<Place>, ngày [d] tháng [m] năm yyyy" in line i, from byte `from`;
 * *year_line is the line that holds the year: i, or the next when the
 * line wrapped before it. */
int ps_find_place_date(ctx_t *c, size_t i, size_t from, ymd_t *dt, size_t *pa, size_t *pb, size_t *year_line)
{
    const char *s = LS(c, i);
    size_t n = LN(c, i), fn, e;
    const char *f = fold_line(c, i, &fn);
    for (size_t k = 0; (k = find_ngay(f, fn, k, &e)) != NPOS; k = e) {
        int d = 0, m = 0, y = 0;
        size_t j = skip_sp(f, fn, e), t, at_line = i;
        ymd_t num;
        int placed = after_comma(f, k);
        if (placed && (t = ps_parse_date(f, fn, j, &num)) != NPOS && num.y &&
            (t >= fn || !is_alnum_b(f[t]))) {
            /* "Hà Nội, ngày 05/6/2025": the date in figures, after the
             * place and its comma (a date cited in a sentence has none). */
            d = num.d;
            m = num.m;
            y = num.y;
        } else {
            /* A day or month OCR could not read is unknown: the date
             * keeps what was printed (2016-11, 2014).  Only after the
             * place and its comma: a date cited in a sentence ("Việt Nam
             * ngày l6 tháng 6 năm 2010") is no dispatch's. */
            if ((t = read_uint(f, fn, j, 2, &d)) != NPOS)
                j = skip_sp(f, fn, t);
            if ((t = fm(f, fn, j, voc_thang)) == NPOS) {
                if (!placed || (t = after_blank(f, fn, j, voc_thang)) == NPOS)
                    continue;
                d = 0;
            }
            j = skip_sp(f, fn, t);
            if ((t = read_uint(f, fn, j, 2, &m)) != NPOS)
                j = skip_sp(f, fn, t);
            if ((t = fm(f, fn, j, voc_nam)) == NPOS) {
                if (!placed || (t = after_blank(f, fn, j, voc_nam)) == NPOS)
                    continue;
                d = m = 0;
            }
            j = skip_sp(f, fn, t);
            if (j >= fn && i + 1 < c->n_lines) {
                /* The line wrapped before its year, which starts the
                 * next: a PDF's narrow header column ("Thành phố Hồ Chí
                 * Minh, ngày 29 tháng 11 năm" / "2019"). */
                const char *next = LS(c, i + 1);
                size_t next_n = LN(c, i + 1), at = skip_sp(next, next_n, 0);
                if ((t = read_uint(next, next_n, at, 4, &y)) == NPOS || t - at != 4 || y < YEAR_MIN ||
                    y > YEAR_MAX || (t < next_n && is_alnum_b(next[t])))
                    continue;
                at_line = i + 1;
            } else if ((t = read_uint(f, fn, j, 4, &y)) == NPOS || t - j != 4 || y < YEAR_MIN || y > YEAR_MAX)
                continue;
        }
        if (m > 12)
            continue;
        if (d && (!m || !tc_date_valid(y, m, d)))
            d = 0;
        /* The place: the capitalised words before "ngày". */
        size_t ob = c->lmap[k];
        if (ob < from)
            continue;
        size_t b = ob;
        ps_rstrip(s, from, &b, ",");
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
            if (ps_case_at(s, n, ws) != 'U' || has_digit(s + ws, we - ws))
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
        *year_line = at_line;
        return 1;
    }
    return 0;
}
