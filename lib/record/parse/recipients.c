/* The recipients: "Kính gửi:" and the line or the list after it. */
#include <stdlib.h>
#include <string.h>

#include "record/parse/parse.h"

static void push_items(ctx_t *c, tc_strlist_t *list, const char *s, size_t n)
{
    size_t a = 0;
    while (a <= n && !c->oom) {
        size_t b = a;
        while (b < n && s[b] != ';')
            b++;
        size_t x = a, y = b;
        ps_trim(s, &x, &y);
        /* "Kính gửi: - Bộ ...; - Ủy ban ...": each item's own dash. */
        x += ps_list_marker(s + x, y - x);
        ps_trim(s, &x, &y);
        ps_rstrip(s, x, &y, ";.,/");
        if (y > x && list->count < MAX_ITEMS) {
            char *item = ps_dup_clean(c, s + x, y - x);
            if (item && tc_strlist_push(list, item, strlen(item)) < 0)
                c->oom = 1;
            free(item);
        }
        a = b + 1;
    }
}

/* A line under "Kính gửi:" with no bullet is its one recipient when it is
 * this short ("Ủy ban nhân dân các huyện, thành phố"); a longer one is the
 * body's first sentence. */
#define LONE_RECIPIENT_MAX_CHARS 80

/* Does line s of n bytes open another recipient, with no bullet: a short
 * line that starts as one does and is no sentence? */
static int opens_recipient(ctx_t *c, size_t i, const char *s, size_t n)
{
    if (c->lines[i].nchars > LONE_RECIPIENT_MAX_CHARS || (n && s[n - 1] == '.'))
        return 0;
    int opener = 0;
    for (size_t k = 0; k < VOC_RECIPIENT_OPENERS && !opener; k++) {
        size_t len = strlen(voc_recipient_openers[k]);
        opener = n > len && memcmp(s, voc_recipient_openers[k], len) == 0;
    }
    if (!opener)
        return 0;
    size_t fn, e;
    const char *f = fold_line(c, i, &fn);
    for (size_t k = 0; k < VOC_BODY_VERBS; k++)
        if (ps_ffind(f, fn, 0, voc_body_verbs[k], &e) != NPOS)
            return 0;
    return 1;
}

void ps_read_recipients(ctx_t *c)
{
    tc_strlist_t entries = { 0, NULL };
    tc_buf_t cur = TC_BUF_INIT;
    size_t fn, e;
    if (c->kg == NPOS)
        return;
    const char *f = fold_line(c, c->kg, &fn);
    e = fm(f, fn, 0, voc_kinh_gui);
    size_t off = ps_after_label(c, f, fn, e);
    int have = 0, inline_text = off < LN(c, c->kg);
    if (inline_text) {
        put(c, &cur, LS(c, c->kg) + off, LN(c, c->kg) - off);
        have = 1;
    }
    int first = 1;
    tc_buf_t kb = TC_BUF_INIT;
    for (size_t i = c->kg + 1; i < c->n_lines && !c->oom; i++) {
        if (c->lines[i].blank)
            continue;
        /* A PDF's header read column after column puts the right one
         * (motto, place and date) after "Kính gửi:" of the left: no
         * recipient. */
        if (i == c->dl || i == c->dl_year || ps_is_motto_key(ps_line_key(c, i, &kb)))
            continue;
        const char *s = LS(c, i);
        size_t n = LN(c, i), m = ps_bullet(s, n);
        if (m) {
            if (have && tc_strlist_push(&entries, cur.data, cur.len) < 0)
                c->oom = 1;
            tc_buf_reset(&cur);
            put(c, &cur, s + m, n - m);
            have = 1;
        } else if (have && cur.len && !strchr(".:", cur.data[cur.len - 1]) && opens_recipient(c, i, s, n)) {
            if (tc_strlist_push(&entries, cur.data, cur.len) < 0)
                c->oom = 1;
            tc_buf_reset(&cur);
            put(c, &cur, s, n);
        } else if (have && ps_case_at(s, n, 0) == 'L') {
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
    tc_buf_free(&kb);
}
