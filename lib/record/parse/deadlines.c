/* The period ("từ ngày ... đến ngày ...") and the deadlines ("trước ngày
 * 15/5/2026", "hạn chót nộp hồ sơ là ngày ...") the body sets. */
#include <stdlib.h>
#include <string.h>

#include "base/dates.h"
#include "text/fold.h"
#include "record/parse/parse.h"

/* Deadlines kept: far past the few a dispatch sets, the cap guards against
 * pathological input. */
#define MAX_DEADLINES 500

/* Periods a dispatch may state, read before deciding which is its own:
 * a plan's rounds ("Đợt 01 ... Đợt 02") are a few; past this, what is
 * left unread is no more one span than the rest. */
#define MAX_PERIODS 16
/* Periods in paragraphs at most this far apart are one span's parts: the
 * rounds of a campaign listed one under the other ("- Đợt 01: từ ngày
 * 20/11 đến ngày 03/12; - Đợt 02: từ ngày 04/12 đến ngày 10/12"). */
#define PERIOD_PARTS_GAP 1

typedef struct {
    ymd_t from, to;
    size_t f0, f1, para;
} period_t;

static long ymd_key(ymd_t d)
{
    return d.y * 10000L + d.m * 100 + d.d;
}

/* The paragraph holding folded offset f. */
static size_t para_of(const ctx_t *c, size_t f)
{
    size_t k = 0;
    while (k + 1 < c->n_paras && c->paras[k + 1].fstart <= f)
        k++;
    return k;
}

/* The dispatch's period: the one "từ ngày ... đến ngày ..." it states, or
 * the span of its rounds when they are listed together.  A span that ends
 * before the dispatch is a past event it reports ("Giải ... đã diễn ra từ
 * ngày 04/3/2017 đến ngày 14/5/2017" in an August report), and periods
 * scattered over a plan's steps or activities have no one span: none. */
void ps_read_period(ctx_t *c)
{
    const char *f = c->ftext.data;
    size_t fn = c->ftext.len, e, n = 0;
    period_t found[MAX_PERIODS];
    long issued = c->year && c->month && c->day ? ymd_key((ymd_t){ c->year, c->month, c->day }) : 0;
    for (size_t k = 0; n < MAX_PERIODS && (k = ps_ffind(f, fn, k, voc_tu_ngay, &e)) != NPOS; k = e) {
        ymd_t a = { 0, 0, 0 }, b = { 0, 0, 0 };
        size_t j = ps_parse_date(f, fn, skip_sp(f, fn, e), &a);
        /* The day alone, month and year given once at the end: "từ ngày 08
         * đến ngày 10 tháng 12 năm 2025". */
        if (j == NPOS && (j = read_uint(f, fn, skip_sp(f, fn, e), 2, &a.d)) == NPOS)
            continue;
        j = skip_sp(f, fn, j);
        size_t t = fm(f, fn, j, voc_den);
        if (t == NPOS)
            continue;
        j = skip_sp(f, fn, t);
        if ((t = fm(f, fn, j, voc_het)) != NPOS)
            j = skip_sp(f, fn, t);
        if ((t = fm(f, fn, j, voc_ngay)) != NPOS)
            j = skip_sp(f, fn, t);
        /* To a year's end: "từ ngày 11/9 đến hết năm 2026". */
        if ((t = fm(f, fn, j, voc_nam)) != NPOS && (t = read_uint(f, fn, skip_sp(f, fn, t), 4, &b.y)) != NPOS) {
            b.m = 12;
            b.d = 31;
            j = t;
        } else if ((j = ps_parse_date(f, fn, j, &b)) == NPOS) {
            continue;
        }
        if (!b.y)
            b.y = c->year;
        if (!a.m)
            a.m = b.m;
        if (!a.y)
            a.y = b.y;
        if (!b.y || !tc_date_valid(a.y, a.m, a.d) || !tc_date_valid(b.y, b.m, b.d))
            continue;
        if (issued && ymd_key(b) < issued)
            continue;
        found[n++] = (period_t){ a, b, k, j, para_of(c, k) };
    }
    if (!n)
        return;
    period_t span = found[0];
    for (size_t i = 1; i < n; i++) {
        if (found[i].para > found[i - 1].para + PERIOD_PARTS_GAP)
            return;
        if (ymd_key(found[i].from) < ymd_key(span.from))
            span.from = found[i].from;
        if (ymd_key(found[i].to) > ymd_key(span.to))
            span.to = found[i].to;
        span.f1 = found[i].f1;
    }
    char *from = ps_iso_full(c, span.from), *to = ps_iso_full(c, span.to);
    if (!from || !to) {
        free(from);
        free(to);
        return;
    }
    c->doc->period_from = from;
    c->doc->period_to = to;
    c->period_f0 = span.f0;
    c->period_f1 = span.f1;
}

/* "17 giờ 00", "17h00", "17:00", with "sáng"/"chiều" after. */
static size_t skip_time(const char *f, size_t n, size_t i)
{
    int v;
    size_t j = read_uint(f, n, i, 2, &v), t;
    if (j == NPOS)
        return NPOS;
    j = skip_sp(f, n, j);
    if ((t = fm(f, n, j, voc_gio)) != NPOS)
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
    if ((t = fm(f, n, k, voc_phut)) != NPOS)
        j = t;
    k = skip_sp(f, n, j);
    for (size_t p = 0; p < VOC_DAY_PARTS; p++)
        if ((t = fm(f, n, k, voc_day_parts[p])) != NPOS)
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
    size_t words = 0;
    for (size_t step = 0; step < DEADLINE_MAX_STEPS; step++) {
        i = skip_sp(f, n, i);
        if (i >= n)
            return NPOS;
        size_t e = ps_parse_date(f, n, i, dt);
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
        for (size_t k = 0; k < VOC_DEADLINE_FILLERS && t == NPOS; k++)
            t = fm(f, n, i, voc_deadline_fillers[k]);
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

/* Does the folded sentence [ss, se) say its deadline comes back
 * ("hằng năm", "định kỳ")? */
static int is_recurring(const char *f, size_t ss, size_t se)
{
    size_t e;
    for (size_t r = 0; r < VOC_RECURRENCES; r++)
        if (ps_ffind(f, se, ss, voc_recurrences[r], &e) != NPOS)
            return 1;
    return 0;
}

/* Is dt, a full date, before the dispatch's own date? */
static int before_dispatch(const ctx_t *c, ymd_t dt)
{
    if (!c->year || !c->month || !c->day)
        return 0;
    return dt.y * 10000L + dt.m * 100 + dt.d < c->year * 10000L + c->month * 100 + c->day;
}

/* Adds the deadline `date` (taken) set by the sentence [ss, se) of
 * paragraph k, unless the dispatch has it already. */
static void add_deadline_date(ctx_t *c, size_t k, size_t ss, size_t se, char *date)
{
    tc_doc_t *doc = c->doc;
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
    ps_trim(s, &a, &b);
    a += ps_list_marker(s + a, b - a);
    char *text = ps_dup_clean(c, s + a, b - a);
    tc_deadline_t *nd = ps_xrealloc(c, doc->deadlines, doc->n_deadlines + 1, sizeof *nd);
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

static void add_deadline(ctx_t *c, size_t k, size_t ss, size_t se, ymd_t dt)
{
    /* A day without a year in a sentence that says it recurs ("định kỳ ...
     * trước ngày 30 tháng 11 hàng năm", real plans' reporting duties) is
     * no one deadline: none is indexed rather than this year's. */
    if (!dt.y && is_recurring(c->ftext.data, ss, se))
        return;
    /* A date before the dispatch's own cannot be a deadline it sets: "đất ở
     * trước ngày 01 tháng 7 năm 2004" in a decision's list of cases is a
     * condition of law, "đã báo cáo trước ngày ..." a past event. */
    if (dt.y && dt.m && dt.d && before_dispatch(c, dt))
        return;
    /* A deadline without a year is the next such day from the dispatch's
     * date: "trước ngày 15/1" in a dispatch of 20 December is next year's. */
    if (!dt.y && c->year && c->month &&
        (dt.m < c->month || (dt.m == c->month && c->day && dt.d < c->day)))
        dt.y = c->year + 1;
    char *date = ps_iso_full(c, dt);
    if (date)
        add_deadline_date(c, k, ss, se, date);
}

/* How far before "trong tháng/quý/năm" its directive may stand, in folded
 * bytes: "báo cáo Thủ tướng Chính phủ kết quả thực hiện trong tháng 12"
 * puts nine words (about 50 bytes) between them. */
#define DIRECTIVE_WINDOW 80

/* Is a directive (voc_directives) in the clause before folded offset j,
 * from ss on, at most DIRECTIVE_WINDOW bytes back and after any ';'? */
static int directive_before(const char *f, size_t ss, size_t j)
{
    size_t from = j > ss + DIRECTIVE_WINDOW ? j - DIRECTIVE_WINDOW : ss, e;
    for (size_t p = j; p > from; p--)
        if (f[p - 1] == ';') {
            from = p;
            break;
        }
    for (size_t d = 0; d < VOC_DIRECTIVES; d++)
        if (ps_ffind(f, j, from, voc_directives[d], &e) != NPOS)
            return 1;
    return 0;
}

/* The year after a month or quarter: " năm 2025" or "/2025". */
static size_t period_year(const char *f, size_t n, size_t i, int *year)
{
    size_t t;
    if (i < n && f[i] == '/')
        i++;
    else if ((t = fm(f, n, skip_sp(f, n, i), voc_nam)) != NPOS)
        i = skip_sp(f, n, t);
    else
        return NPOS;
    return read_uint(f, n, i, 4, year);
}

/* A deadline that is a whole month, quarter or year, at folded offset j
 * where "trong" stands: "trong tháng 12 năm 2025" gives "2025-12", "trong
 * Quý I/2026" the quarter's last day "2026-03-31", "trong năm 2025" "2025".
 * NULL when no such period follows. */
static char *period_deadline(ctx_t *c, const char *f, size_t n, size_t j)
{
    size_t i = fm(f, n, j, voc_trong), t;
    int month = 0, quarter = 0, year = 0;
    if (i == NPOS)
        return NULL;
    i = skip_sp(f, n, i);
    if ((t = fm(f, n, i, voc_thang)) != NPOS) {
        if ((t = read_uint(f, n, skip_sp(f, n, t), 2, &month)) == NPOS || month < 1 || month > 12)
            return NULL;
        t = period_year(f, n, t, &year);
    } else if ((t = fm(f, n, i, voc_quy)) != NPOS) {
        size_t q = skip_sp(f, n, t), e;
        t = NPOS;
        for (int r = 0; r < 4 && t == NPOS; r++)
            if ((e = fm(f, n, q, voc_quarter_numerals[r])) != NPOS) {
                quarter = r + 1;
                t = e;
            }
        if (t == NPOS && (t = read_uint(f, n, q, 1, &quarter)) != NPOS && (quarter < 1 || quarter > 4))
            return NULL;
        if (t != NPOS)
            t = period_year(f, n, t, &year);
    } else if ((t = fm(f, n, i, voc_nam)) != NPOS) {
        t = read_uint(f, n, skip_sp(f, n, t), 4, &year);
    }
    if (t == NPOS || year < 1000)
        return NULL;
    if (quarter) {
        month = quarter * 3;
        return ps_iso(c, year, month, tc_days_in_month(year, month));
    }
    return ps_iso(c, year, month, 0);
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
    if (ps_case_at(s, pend, o) == 'L')
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

/* Could a deadline trigger (voc_deadline_triggers) start at f[j]?  Its
 * first two letters and a word start.  f[j + 1] is there: every paragraph
 * ends in "\n". */
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

/* Does a trigger start at f[j], j < n?  The first three letters are
 * compared in place: f[n] is a paragraph's "\n" and f[n + 1] is there
 * too, the next paragraph or the final NUL. */
static inline int trigger_at(const char *f, size_t j, size_t n)
{
    if (!trigger_start(f, j))
        return 0;
    for (size_t t = 0; t < VOC_DEADLINE_TRIGGERS; t++) {
        const char *p = voc_deadline_triggers[t].pat;
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

void ps_read_deadlines(ctx_t *c)
{
    const char *f = c->ftext.data;
    for (size_t k = 0; k < c->n_paras && !c->oom; k++) {
        size_t fs = c->paras[k].fstart, fe = fs + c->paras[k].flen;
        size_t ss = fs;
        /* Most paragraphs have no trigger at all: skip their sentences.  A
         * trigger inside a sentence is one in the paragraph: its letters end
         * before the sentence's final '.'. */
        size_t te;
        int periods = ps_ffind(f, fe, fs, voc_trong, &te) != NPOS;
        if (!periods && !has_trigger(f, fs, fe))
            continue;
        while (ss < fe && !c->oom) {
            /* The sentence [ss, se), the next one from nx. */
            size_t se = fe, nx = fe;
            for (size_t j = ss; j < fe; j++) {
                if ((f[j] == '.' || f[j] == '!' || f[j] == '?') && sentence_end(c, k, j, &se, &nx))
                    break;
                se = nx = fe;
            }
            /* "báo cáo ... trong tháng 12 năm 2025": the period's end
             * must not be before the dispatch (a past year is a report's). */
            for (size_t j = ss; periods && (j = ps_ffind(f, se, j, voc_trong, &te)) != NPOS; j = te) {
                int y, m, d;
                char *date = directive_before(f, ss, j) ? period_deadline(c, f, se, j) : NULL;
                if (date && tc_date_read(date, 1, &y, &m, &d) == 0 && !before_dispatch(c, (ymd_t){ y, m, d }))
                    add_deadline_date(c, k, ss, se, date);
                else
                    free(date);
            }
            for (size_t j = ss; j < se; j++) {
                char ch = f[j];
                if (!trigger_start(f, j))
                    continue;
                for (size_t t = 0; t < VOC_DEADLINE_TRIGGERS; t++) {
                    const voc_trigger_t *tr = &voc_deadline_triggers[t];
                    if (tr->pat[0] != ch || tr->pat[1] != f[j + 1])
                        continue; /* f[se] is at worst the paragraph's "\n" */
                    size_t e = fm(f, se, j, tr->pat), ds;
                    if (e == NPOS)
                        continue;
                    ymd_t dt;
                    size_t de = deadline_date(f, se, e, tr->loose, &dt, &ds);
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
