/* The header block, read line by line down to "Kính gửi": the lines of
 * the number, of the place and date, of "V/v" and of a title, and the
 * urgency and secrecy marks.  Without a place and date there, one set above
 * the signature is looked for. */
#include <stdlib.h>
#include <string.h>

#include "text/fold.h"
#include "record/orgs.h"
#include "record/parse/parse.h"

/* Non-blank lines searched for the header marks.  A header (bodies,
 * motto, number, place and date, subject, urgency) takes well under forty
 * even when extraction puts every cell of its two-column table on a line
 * of its own; the search stops there so as not to read on into a body that
 * has no "Kính gửi". */
#define HEADER_LINES 40

int ps_is_motto_key(const char *key)
{
    return ps_key_has_words(key, voc_cong_hoa) ||
           strncmp(key, voc_doc_lap_tu_do, strlen(voc_doc_lap_tu_do)) == 0 ||
           ps_key_has_words(key, voc_doc_lap_tu_do_hanh_phuc);
}

/* The key of a mark past its label, if any: "do khan thuong khan" ->
 * "thuong khan". */
static const char *mark_of(const char *key)
{
    const char *k = key;
    if (strncmp(k, voc_do_khan, strlen(voc_do_khan)) == 0)
        k += strlen(voc_do_khan);
    else if (strncmp(k, voc_do_mat, strlen(voc_do_mat)) == 0)
        k += strlen(voc_do_mat);
    return k;
}

/* Urgency, secrecy and circulation marks standing alone. */
static int read_marks(ctx_t *c, const char *key)
{
    const char *k = mark_of(key);
    for (size_t i = 0; i < VOC_MARKS; i++) {
        if (strcmp(k, voc_marks[i].key) != 0)
            continue;
        char **field = voc_marks[i].field == MARK_SECRECY       ? &c->doc->secrecy
                       : voc_marks[i].field == MARK_CIRCULATION ? &c->doc->circulation
                                                                : &c->doc->urgency;
        if (!*field)
            *field = ps_xstrdup(c, voc_marks[i].name);
        if (voc_marks[i].level > c->marked_level)
            c->marked_level = voc_marks[i].level;
        return 1;
    }
    return 0;
}

int ps_is_mark_key(const char *key)
{
    const char *k = mark_of(key);
    for (size_t i = 0; i < VOC_MARKS; i++)
        if (strcmp(k, voc_marks[i].key) == 0)
            return 1;
    return 0;
}

/* A province or a centrally-run city as the place is its name, spelt as
 * the province is ("TP. Hồ Chí Minh" and "Thành phố Hồ Chí Minh" are "Hồ
 * Chí Minh", "Khánh Hoà" of the old tone placement "Khánh Hòa"), so that
 * one place is one facet value whoever typed the date line. */
static void place_as_province(ctx_t *c)
{
    char *key = ps_key_of(c, c->doc->place, strlen(c->doc->place));
    if (!key)
        return;
    const char *k = key;
    for (size_t i = 0; i < VOC_PLACE_PREFIXES; i++)
        if (strncmp(k, voc_place_prefixes[i], strlen(voc_place_prefixes[i])) == 0)
            k += strlen(voc_place_prefixes[i]);
    int city = 0;
    const char *province = tc_province_lookup(k, &city);
    char *name = province ? ps_xstrdup(c, province) : NULL;
    if (name) {
        free(c->doc->place);
        c->doc->place = name;
    }
    free(key);
}

/* Line i holds the dispatch's place, [pa, pb), and its date. */
static void set_place_date(ctx_t *c, size_t i, size_t pa, size_t pb, ymd_t dt, size_t year_line)
{
    c->dl = i;
    c->place_start = pa;
    c->dl_year = year_line != i ? year_line : NPOS;
    ps_set_field(c, &c->doc->place, LS(c, i) + pa, pb - pa);
    if (c->doc->place)
        place_as_province(c);
    c->doc->date = ps_iso(c, dt.y, dt.m, dt.d);
    c->doc->year = c->year = dt.y;
    c->month = dt.m;
    c->day = dt.d;
}

/* The longest line that can be a place and date standing above the
 * signature: "Thành phố Hồ Chí Minh, ngày 20 tháng 12 năm 2026" is under
 * fifty code points; a longer line with a date in it is a sentence. */
#define LATE_DATE_LINE_MAX_CHARS 60

void ps_find_marks(ctx_t *c)
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
        if (c->kg == NPOS && (e = fm(f, fn, 0, voc_kinh_gui)) != NPOS) {
            c->kg = i;
            break;
        }
        size_t after;
        if (c->so == NPOS && ps_is_so_line(c, i, &after)) {
            c->so = i;
            ps_read_number(c, i, after);
        }
        f = fold_line(c, i, &fn);
        if (c->vv == NPOS && (e = fm(f, fn, 0, voc_vv)) != NPOS)
            c->vv = i;
        size_t pa, pb, yl;
        if (c->dl == NPOS && ps_find_place_date(c, i, i == c->so ? c->sym_end : 0, &dt, &pa, &pb, &yl))
            set_place_date(c, i, pa, pb, dt, yl);
        const char *key = ps_line_key(c, i, &kb);
        if (c->title == NPOS && c->vv == NPOS && tc_is_all_caps(LS(c, i), LN(c, i))) {
            const tc_doc_type_t *t = tc_doc_type_by_key(key);
            if (t && (t->flags & TC_DOCTYPE_TITLE))
                c->title = i;
        }
        read_marks(c, key);
    }
    tc_buf_free(&kb);
    /* The place and date after "Kính gửi", a short line standing alone:
     * within the header's lines, where a PDF's header read column after
     * column puts "Kính gửi:" (short, under the left column) before the
     * right column's place and date; further on, opening its line, where
     * some put them above the signature. */
    size_t seen = c->kg != NPOS ? nb : 0; /* non-blank lines from the top */
    for (size_t i = c->kg != NPOS ? c->kg + 1 : 0; c->dl == NPOS && i < c->n_lines && !c->oom; i++) {
        if (c->lines[i].blank)
            continue;
        seen++;
        size_t pa, pb, yl;
        if (c->lines[i].nchars > LATE_DATE_LINE_MAX_CHARS || !ps_find_place_date(c, i, 0, &dt, &pa, &pb, &yl) ||
            (pa && seen > HEADER_LINES))
            continue;
        set_place_date(c, i, pa, pb, dt, yl);
    }
    /* An act without a place and date line: the date it was adopted on,
     * from the last line saying so of the act itself ("... này được ...
     * thông qua ngày 16 tháng 6 năm 2025"); the laws it cites say it of
     * themselves in their own words ("Luật ... được Quốc hội thông qua"). */
    for (size_t i = c->n_lines; c->dl == NPOS && !c->doc->date && i-- > 0 && !c->oom;) {
        if (c->lines[i].blank)
            continue;
        const char *f = fold_line(c, i, &fn);
        const char *nd = memmem(f, fn, voc_nay_duoc, strlen(voc_nay_duoc));
        const char *tq = nd ? memmem(nd, fn - (size_t)(nd - f), voc_thong_qua_ngay, strlen(voc_thong_qua_ngay)) : NULL;
        if (!tq)
            continue;
        size_t at = skip_sp(f, fn, (size_t)(tq - f) + strlen(voc_thong_qua_ngay));
        if (ps_parse_date(f, fn, at, &dt) == NPOS || !dt.y)
            continue;
        c->doc->date = ps_iso(c, dt.y, dt.m, dt.d);
        c->doc->year = c->year = dt.y;
        c->month = dt.m;
        c->day = dt.d;
        break;
    }
}
