/* Bodies' names in normal case: "SỞ KH&CN TỈNH LAI CHÂU" becomes "Sở Khoa
 * học và Công nghệ" with the locality "tỉnh Lai Châu".  The issuer and the
 * signer's title are written with these. */
#include <stdlib.h>
#include <string.h>

#include "text/fold.h"
#include "record/orgs.h"
#include "record/parse/parse.h"

/* Appends one word, a space first unless at the start or after one. */
void ps_put_word(ctx_t *c, tc_buf_t *b, const char *w, size_t n, word_case_t mode)
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
        /* The syllable after an apostrophe too, as the Central Highlands'
         * names are written: "M'DRẮK" is "M'Drắk", "IA H'DRAI" "Ia H'Drai". */
        char *apostrophe = low ? strchr(low, '\'') : NULL;
        if (apostrophe && apostrophe[1]) {
            char *rest = strdup(apostrophe + 1), *capped = rest ? tc_capitalize_first(rest) : NULL;
            char *joined = capped ? tc_strdup_printf("%.*s%s", (int)(apostrophe + 1 - low), low, capped) : NULL;
            if (!capped)
                free(rest);
            free(capped);
            free(low);
            low = joined;
        }
    }
    if (!low) {
        c->oom = 1;
        return;
    }
    puts_(c, b, low);
    free(low);
}

size_t ps_skip_words(const char *s, size_t n, size_t words)
{
    size_t i = 0;
    while (i < n && is_sp(s[i]))
        i++;
    for (size_t w = 0; w < words && i < n; w++) {
        while (i < n && !is_sp(s[i]))
            i++;
        while (i < n && is_sp(s[i]))
            i++;
    }
    return i;
}

size_t ps_split_words(const char *s, size_t n, word_t *w, size_t max)
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
    for (size_t p = 0; p < sizeof pairs / sizeof *pairs; p++) {
        char *at;
        while ((at = strstr(s, pairs[p].from)) != NULL)
            memcpy(at, pairs[p].to, 4); /* both are four bytes */
    }
    return s;
}

/* The province the words w[0..n) name, in its canonical spelling; NULL
 * when they name none. */
static const char *province_of(ctx_t *c, const word_t *w, size_t n)
{
    tc_buf_t raw = TC_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (i)
            put(c, &raw, " ", 1);
        put(c, &raw, w[i].s, w[i].len);
    }
    char *key = raw.data ? ps_key_of(c, raw.data, raw.len) : NULL;
    int city;
    const char *prov = key ? tc_province_lookup(key, &city) : NULL;
    free(key);
    tc_buf_free(&raw);
    return prov;
}

/* Place words: a province's canonical spelling, else Title Case when the
 * words are ALL CAPS, else as written. */
static void put_place(ctx_t *c, tc_buf_t *b, const word_t *w, size_t n, int caps)
{
    const char *prov = province_of(c, w, n);
    if (prov) {
        if (b->len)
            put(c, b, " ", 1);
        puts_(c, b, prov);
    } else {
        for (size_t i = 0; i < n; i++)
            ps_put_word(c, b, w[i].s, w[i].len, caps ? WORD_CAPITALISED : WORD_AS_WRITTEN);
    }
}

/* Words read for a province's name: its four ("Bà Rịa - Vũng Tàu" keys
 * as four) and a dash. */
#define PROVINCE_NAME_MAX_WORDS 5

/* How many of the words w[0..n) make a province's name, the longest;
 * 0 when they do not start one.  A dash standing alone has no key word. */
static size_t province_words(ctx_t *c, const word_t *w, size_t n)
{
    tc_buf_t raw = TC_BUF_INIT;
    for (size_t i = 0; i < n && i < PROVINCE_NAME_MAX_WORDS; i++) {
        if (i)
            put(c, &raw, " ", 1);
        put(c, &raw, w[i].s, w[i].len);
    }
    char *key = raw.data ? ps_key_of(c, raw.data, raw.len) : NULL;
    size_t key_words = 0, taken = 0;
    if (key && tc_province_match(key, &key_words))
        for (size_t seen = 0; taken < n && seen < key_words; taken++)
            seen += !(w[taken].len == 1 && w[taken].s[0] == '-');
    free(key);
    tc_buf_free(&raw);
    return taken;
}

static int is_place_committee(const char *org_word)
{
    for (size_t i = 0; i < VOC_PLACE_COMMITTEES; i++)
        if (strcmp(org_word, voc_place_committees[i]) == 0)
            return 1;
    return 0;
}

void ps_render_org(ctx_t *c, const char *s, size_t n, org_name_t *out)
{
    word_t raw[MAX_WORDS], ew[MAX_WORDS * 2];
    size_t kw2ew[MAX_WORDS * 4], kwoff[MAX_WORDS * 4];
    size_t nraw = ps_split_words(s, n, raw, MAX_WORDS), new = 0, nk = 0;
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
            new += ps_split_words(exp, strlen(exp), ew + new, MAX_WORDS * 2 - new);
        else if (new < MAX_WORDS * 2)
            ew[new++] = raw[i];
    }
    /* The key, word by word, remembering which word each key word is. */
    put(c, &K, "", 0);
    for (size_t e = 0; e < new && !c->oom; e++) {
        char *k = ps_key_of(c, ew[e].s, ew[e].len);
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
    size_t loc_k = NPOS, lw = 0, xl = strlen(voc_xa_hoi);
    const char *loc = NULL;
    for (size_t k = known ? m : ow ? ow : 1; k < nk; k++) {
        const char *tail = K.data + kwoff[k];
        loc = tc_locality_word_match(tail, &lw);
        if (!loc || k + lw >= nk || (strncmp(tail, voc_xa_hoi, xl) == 0 && (tail[xl] == ' ' || !tail[xl]))) {
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
            ps_put_word(c, &nb, ew[e].s, ew[e].len, caps ? WORD_LOWER : WORD_AS_WRITTEN);
        out->local = local;
    } else if (oword && is_place_committee(oword)) {
        /* The rest is the place's name, cased as places are. */
        puts_(c, &nb, oword);
        size_t pe = kw2ew[ow - 1] + 1;
        put_place(c, &nb, ew + pe, name_e > pe ? name_e - pe : 0, caps);
    } else if (oword) {
        puts_(c, &nb, oword);
        int cap_next = 1;
        for (size_t e = kw2ew[ow - 1] + 1; e < name_e; e++) {
            /* A province's name in a body's, cased as the place:
             * "TRƯỜNG ĐẠI HỌC AN GIANG" is "Trường Đại học An Giang". */
            size_t place = caps ? province_words(c, ew + e, name_e - e) : 0;
            if (place) {
                put_place(c, &nb, ew + e, place, caps);
                e += place - 1;
                cap_next = 0;
                continue;
            }
            ps_put_word(c, &nb, ew[e].s, ew[e].len,
                     caps ? (cap_next ? WORD_CAPITALISED : WORD_LOWER) : WORD_AS_WRITTEN);
            cap_next = ew[e].len == 1 && ew[e].s[0] == '-';
        }
        out->local = strcmp(oword, voc_bo) && strcmp(oword, voc_tong_cuc) && strcmp(oword, voc_cuc);
    } else {
        for (size_t e = 0; e < name_e; e++)
            ps_put_word(c, &nb, ew[e].s, ew[e].len,
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

void ps_org_name_free(org_name_t *o)
{
    free(o->name);
    free(o->locality);
    o->name = o->locality = NULL;
}

/* Does name already end with the place the locality names ("Trường Đại
 * học An Giang" under "UBND TỈNH AN GIANG": "tỉnh An Giang")? */
static int names_its_place(ctx_t *c, const char *name, const char *locality)
{
    char *key = ps_key_of(c, locality, strlen(locality));
    size_t words = 0;
    int named = 0;
    if (key && tc_locality_word_match(key, &words) && words) {
        const char *place = locality;
        for (size_t w = 0; w < words && place; w++)
            if ((place = strchr(place, ' ')) != NULL)
                place++;
        size_t nl = strlen(name), pl = place ? strlen(place) : 0;
        named = pl && nl > pl && name[nl - pl - 1] == ' ' && strcmp(name + nl - pl, place) == 0;
    }
    free(key);
    return named;
}

char *ps_org_join(ctx_t *c, const org_name_t *o, const char *locality)
{
    if (locality && !names_its_place(c, o->name, locality))
        return ps_join_sp(c, o->name, locality);
    char *s = tc_strndup(o->name, strlen(o->name));
    if (!s)
        c->oom = 1;
    return s;
}
