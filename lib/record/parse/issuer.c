/* The issuer and the body above it, from the header's lines or, in a
 * dispatch without a header, from the symbol's abbreviation and the place,
 * else from the authority line above an act's grounds ("Căn cứ"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/fold.h"
#include "record/orgs.h"
#include "record/parse/parse.h"

/* Bodies stacked in a header: two or three in practice ("ỦY BAN NHÂN DÂN
 * TỈNH ..." / "SỞ ..." / "PHÒNG ..."); more are not read. */
#define MAX_ORGS 8

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
    size_t a = ps_ffind(f, fn, 0, voc_cong_hoa, &e);
    if (a != NPOS) {
        size_t e2, v = fm(f, fn, skip_sp(f, fn, e), voc_viet_nam);
        e2 = v != NPOS ? v : e;
        spans[ns][0] = c->lmap[a];
        spans[ns++][1] = c->lmap[e2];
    }
    a = ps_ffind(f, fn, 0, voc_doc_lap, &e);
    if (a != NPOS) {
        size_t e2, h = ps_ffind(f, fn, e, voc_hanh_phuc, &e2);
        spans[ns][0] = c->lmap[a];
        spans[ns++][1] = h != NPOS && h < e + MOTTO_WINDOW ? c->lmap[e2] : n;
    }
    a = ps_ffind(f, fn, 0, voc_dang_cong_san, &e);
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
        ps_put_collapsed(c, out, b.data + p, q - p);
    }
    tc_buf_free(&b);
}

/* "tỉnh Lai Châu" from the place line, or "<level> <place>" from the body. */
static char *place_locality(ctx_t *c)
{
    tc_doc_t *doc = c->doc;
    if (!doc->place)
        return NULL;
    char *key = ps_key_of(c, doc->place, strlen(doc->place));
    if (!key)
        return NULL;
    const char *k = key;
    for (size_t i = 0; i < VOC_PLACE_PREFIXES; i++)
        if (strncmp(k, voc_place_prefixes[i], strlen(voc_place_prefixes[i])) == 0)
            k += strlen(voc_place_prefixes[i]);
    int city = 0;
    const char *prov = tc_province_lookup(k, &city);
    char *res = NULL;
    if (prov) {
        res = ps_join_sp(c, city ? voc_city : voc_province, prov);
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
    const char *f = c->ftext.data;
    for (size_t p = 0; p < c->n_paras && !res && !c->oom; p++) {
        size_t fs = c->paras[p].fstart, fe = fs + c->paras[p].flen, e;
        for (size_t at = fs; !res && (at = ps_ffind(f, fe, at, fp, &e)) != NPOS; at = e) {
            size_t b = at;
            while (b > fs && f[b - 1] == ' ')
                b--;
            if (b == at)
                continue;
            for (size_t l = 0; l < VOC_PLACE_LEVELS; l++) {
                const char *level = voc_place_levels[l];
                size_t L = strlen(level);
                if (b - fs < L || memcmp(f + b - L, level, L) != 0 || !wstart(f, b - L))
                    continue;
                size_t lk;
                const char *canon = tc_locality_word_match(level, &lk);
                if (!canon || !ps_span_is(c, p, b - L, b, canon))
                    continue;
                res = ps_join_sp(c, canon, doc->place);
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

/* A committee named without its union ("BAN CHẤP HÀNH TRUNG ƯƠNG") whose
 * header names the union on a line of its own, in the right column where the
 * state's dispatches have the national motto ("ĐOÀN TNCS HỒ CHÍ MINH",
 * alone or before the place and date): "Ban Chấp hành Trung ương Đoàn TNCS
 * Hồ Chí Minh". */
/* Does the header name the union on a line of its own? */
static int header_names_union(ctx_t *c, tc_buf_t *kb)
{
    size_t nb = 0;
    for (size_t i = 0; i < c->n_lines && i != c->kg && nb < ISSUER_HEADER_LINES && !c->oom; i++) {
        if (c->lines[i].blank)
            continue;
        nb++;
        const char *key = ps_line_key(c, i, kb);
        for (size_t u = 0; u < VOC_UNION_LINES; u++) {
            size_t ul = strlen(voc_union_lines[u]);
            if (strncmp(key, voc_union_lines[u], ul) == 0 && (!key[ul] || key[ul] == ' '))
                return 1;
        }
    }
    return 0;
}

static void add_union(ctx_t *c, tc_buf_t *kb)
{
    tc_doc_t *doc = c->doc;
    char *k = ps_key_of(c, doc->issuer, strlen(doc->issuer));
    int committee = k && strncmp(k, voc_ban_chap_hanh, strlen(voc_ban_chap_hanh)) == 0 &&
                    !ps_key_has_words(k, voc_doan);
    free(k);
    if (!committee || !header_names_union(c, kb))
        return;
    char *joined = ps_join_sp(c, doc->issuer, voc_union_name);
    if (joined) {
        free(doc->issuer);
        doc->issuer = joined;
    }
}

static int starts_with_words(const char *s, const char *prefix)
{
    size_t n = strlen(prefix);
    return s && strncmp(s, prefix, n) == 0 && (!s[n] || s[n] == ' ');
}

/* A Party committee's department is known by its committee's name: "TỈNH
 * ỦY QUẢNG NINH" / "BAN TUYÊN GIÁO" issues as the "Ban Tuyên giáo Tỉnh ủy
 * Quảng Ninh", "BAN CHẤP HÀNH TRUNG ƯƠNG" / "VĂN PHÒNG" (the Party's, its
 * motto in the right column) as the "Văn phòng Trung ương Đảng".  Any
 * body's office is so named: "Văn phòng Ủy ban nhân dân tỉnh Lai Châu".
 * So is a ministry's department issuing in its own name, with no
 * locality: "BỘ CÔNG AN" / "CỤC CẢNH SÁT PCCC VÀ CNCH" is the "Cục Cảnh
 * sát ... Bộ Công an". */
static void name_department(ctx_t *c, const org_name_t *dept, const char *committee, tc_buf_t *kb)
{
    tc_doc_t *doc = c->doc;
    if (dept->locality || !committee || !doc->issuer)
        return;
    char *dk = ps_key_of(c, dept->name, strlen(dept->name)), *ck = ps_key_of(c, committee, strlen(committee));
    int department = 0, of_place = 0;
    for (size_t i = 0; i < VOC_COMMITTEE_DEPARTMENTS && !department; i++)
        department = starts_with_words(dk, voc_committee_departments[i]);
    for (size_t i = 0; i < VOC_PLACE_COMMITTEES && !of_place; i++) {
        size_t n = strlen(voc_place_committees[i]);
        of_place = strncmp(committee, voc_place_committees[i], n) == 0 && committee[n] == ' ';
    }
    int central = ck && strcmp(ck, voc_central_committee) == 0;
    /* A department's name is no one's alone ("Cục Công nghệ thông tin"
     * is in several ministries); a general department's is. */
    int of_ministry = starts_with_words(committee, voc_bo) && starts_with_words(dept->name, voc_cuc);
    char *named = NULL;
    if (department && of_place)
        named = ps_join_sp(c, dept->name, committee);
    else if (department && central && !header_names_union(c, kb))
        named = starts_with_words(dk, voc_office_key) ? ps_xstrdup(c, voc_central_office)
                                                    : ps_join_sp(c, dept->name, voc_central);
    else if ((dk && strcmp(dk, voc_office_key) == 0) || of_ministry)
        named = ps_join_sp(c, dept->name, committee); /* "Văn phòng Ủy ban nhân dân tỉnh ..." */
    if (named) {
        free(doc->issuer);
        doc->issuer = named;
    }
    free(dk);
    free(ck);
}

/* Lines from the top searched for the grounds ("Căn cứ") of an act: its
 * header, title and subject come before them. */
#define AUTHORITY_SEARCH_LINES 60

/* An act whose header gives no body (a scraper kept only the number, or
 * moved the header table; OCR lost it): the authority line above its
 * grounds names the issuer, "ỦY BAN THƯỜNG VỤ QUỐC HỘI" / "Căn cứ Hiến
 * pháp ...", or its head, whose title goes before the body's name
 * ("HIỆU TRƯỞNG TRƯỜNG ĐẠI HỌC AN GIANG", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH
 * X"). */
static void authority_line(ctx_t *c)
{
    size_t prev = NPOS, nb = 0, fn;
    for (size_t i = 0; i < c->n_lines && nb < AUTHORITY_SEARCH_LINES && !c->oom; i++) {
        if (c->lines[i].blank)
            continue;
        nb++;
        const char *f = fold_line(c, i, &fn);
        if (fm(f, fn, 0, voc_can_cu) == NPOS) {
            prev = i;
            continue;
        }
        if (prev == NPOS || !tc_is_all_caps(LS(c, prev), LN(c, prev)))
            return;
        const char *line = LS(c, prev);
        size_t len = LN(c, prev), w;
        char *k = ps_key_of(c, line, len);
        /* Of a body's name and a title, the longer: "TRƯỞNG BAN" folds as
         * "TRƯỜNG" (a school) does; "THỦ TƯỚNG CHÍNH PHỦ" is a body. */
        size_t org_words = 0;
        if (k && !tc_org_word_match(k, &org_words))
            org_words = 0;
        if (k && tc_title_match(k, &w) && w > org_words) {
            size_t skip = ps_skip_words(line, len, w);
            line += skip;
            len -= skip;
            free(k);
            k = len ? ps_key_of(c, line, len) : NULL;
        }
        if (k && tc_org_word_match(k, &w)) {
            org_name_t on;
            memset(&on, 0, sizeof on);
            ps_render_org(c, line, len, &on);
            if (on.name)
                c->doc->issuer = ps_org_join(c, &on, on.locality);
            ps_org_name_free(&on);
        }
        free(k);
        return;
    }
}

/* The most words of a province's name ("ba ria vung tau"). */
#define PROVINCE_MAX_WORDS 4

/* Do the last words of key and the first of next make a province's name
 * ("... thành phố Hải" / "Phòng")? */
static int province_split(const char *key, const char *next)
{
    size_t len = strlen(key);
    const char *tail = key + len;
    for (size_t before = 1; before < PROVINCE_MAX_WORDS && tail > key; before++) {
        while (tail > key && tail[-1] != ' ')
            tail--;
        char joined[256]; /* a longer next line is cut: a province's words come first */
        size_t words = 0;
        if (snprintf(joined, sizeof joined, "%s %s", tail, next) > 0 && tc_province_match(joined, &words) &&
            words > before)
            return 1;
        while (tail > key && tail[-1] == ' ')
            tail--;
    }
    return 0;
}

/* Does an organisation's name, as gathered so far, end where no name
 * can, so that the next line (its key: next) goes on with it: on "và"
 * (or "và Xã", of "Lao động - Thương binh và Xã hội"), a dash or a comma,
 * or in the middle of a province's name? */
static int ends_open(ctx_t *c, const tc_buf_t *org, const char *next)
{
    size_t n = org->len;
    while (n && org->data[n - 1] == ' ')
        n--;
    if (!n)
        return 0;
    if (org->data[n - 1] == '-' || org->data[n - 1] == ',')
        return 1;
    char *key = ps_key_of(c, org->data, n);
    size_t len = key ? strlen(key) : 0;
    int open = 0;
    static const char *const endings[] = { "va", "va xa" };
    for (size_t i = 0; i < sizeof endings / sizeof *endings && !open; i++) {
        size_t e = strlen(endings[i]);
        open = len >= e && strcmp(key + len - e, endings[i]) == 0 && (len == e || key[len - e - 1] == ' ');
    }
    if (!open && key && next)
        open = province_split(key, next);
    free(key);
    return open;
}

void ps_read_issuer(ctx_t *c)
{
    tc_doc_t *doc = c->doc;
    tc_buf_t orgs[MAX_ORGS], kb = TC_BUF_INIT;
    size_t no = 0, hb = c->so;
    int office_of[MAX_ORGS] = { 0 };
    memset(orgs, 0, sizeof orgs);
    if (hb == NPOS) {
        size_t marks[] = { c->dl, c->vv, c->title, c->kg };
        for (size_t i = 0; i < sizeof marks / sizeof *marks; i++)
            if (marks[i] < hb)
                hb = marks[i];
    }
    if (hb == NPOS) {
        /* No number, date, title or "Kính gửi" (an annex, a programme
         * whose title runs on with its subject, "CHƯƠNG TRÌNH ĐÀO TẠO";
         * a scan whose blanks OCR lost): the bodies above the motto, and
         * beside it on a flattened row. */
        for (size_t i = 0, seen = 0; i < c->n_lines && seen < ISSUER_HEADER_LINES && !c->oom; i++) {
            if (c->lines[i].blank)
                continue;
            seen++;
            if (ps_is_motto_key(ps_line_key(c, i, &kb)))
                hb = i + 1; /* through its second line */
            else if (hb != NPOS)
                break;
        }
    }
    if (hb == NPOS)
        hb = 0;
    size_t nb = 0;
    for (size_t i = 0; i < hb && nb < ISSUER_HEADER_LINES && !c->oom; i++) {
        if (c->lines[i].blank)
            continue;
        nb++;
        if (i == c->title || i == c->vv || i == c->dl || ps_is_mark_key(ps_line_key(c, i, &kb)))
            continue;
        tc_buf_t r = TC_BUF_INIT;
        strip_motto(c, i, &r);
        if (r.len) {
            char *k = ps_key_of(c, r.data, r.len);
            size_t w;
            tc_abbrev_kind_t kind = 0;
            char *first = NULL;
            size_t fl = strcspn(r.data, " ");
            if ((first = tc_fold(r.data, fl)) != NULL)
                tc_abbrev_lookup(first, strlen(first), &kind);
            /* "CHỦ TỊCH ỦY BAN NHÂN DÂN": the chairman's office as issuer. */
            int office = k && strncmp(k, voc_chu_tich, strlen(voc_chu_tich)) == 0 &&
                         tc_org_word_match(k + strlen(voc_chu_tich), &w);
            if (k && no && ends_open(c, &orgs[no - 1], k)) {
                /* The name before it broke off mid-phrase: this line goes
                 * on with it, whatever its first word ("Sở Lao động -
                 * Thương binh và Xã" / "hội", "... thành phố Hải" /
                 * "Phòng", wrapped by a narrow PDF column, where "Hội" and
                 * "Phòng" alone open a body of their own). */
                put(c, &orgs[no - 1], " ", 1);
                put(c, &orgs[no - 1], r.data, r.len);
            } else if (k && (office || tc_org_word_match(k, &w) || kind == TC_ABBREV_ORG || kind == TC_ABBREV_ORG_CENTRAL)) {
                if (no < MAX_ORGS) {
                    /* the body's name past the office's two words */
                    size_t skip = office ? ps_skip_words(r.data, r.len, 2) : 0;
                    office_of[no] = office;
                    put(c, &orgs[no++], r.data + skip, r.len - skip);
                }
            } else if (k && no &&
                       (tc_locality_word_match(k, &w) || tc_is_all_caps(r.data, r.len) || ps_case_at(r.data, r.len, 0) == 'L')) {
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
            ps_render_org(c, orgs[i].data, orgs[i].len, &on[i]);
        org_name_t *iss = &on[no - 1];
        if (iss->name) {
            const char *loc = iss->locality;
            for (size_t i = no - 1; !loc && i-- > 0;)
                loc = on[i].locality;
            char *guess = NULL;
            if (!loc && iss->local && no == 1)
                loc = guess = place_locality(c);
            doc->issuer = ps_org_join(c, iss, loc);
            free(guess);
            if (office_of[no - 1] && doc->issuer) {
                char *o = ps_join_sp(c, voc_chu_tich_name, doc->issuer);
                free(doc->issuer);
                doc->issuer = o;
            }
        }
        if (no >= 2 && on[no - 2].name) {
            const char *loc = on[no - 2].locality;
            for (size_t i = no - 2; !loc && i-- > 0;)
                loc = on[i].locality;
            doc->issuer_parent = ps_org_join(c, &on[no - 2], loc);
            if (!office_of[no - 1])
                name_department(c, &on[no - 1], doc->issuer_parent, &kb);
        }
        for (size_t i = 0; i < no; i++)
            ps_org_name_free(&on[i]);
    }
    for (size_t i = 0; i < MAX_ORGS; i++)
        tc_buf_free(&orgs[i]);
    if (doc->issuer && !c->oom)
        add_union(c, &kb);
    tc_buf_free(&kb);
    if (doc->issuer || c->oom)
        return;
    if (!doc->symbol) {
        authority_line(c);
        return;
    }

    /* No header: the symbol's abbreviation and the place. */
    const char *sym;
    size_t d1;
    char *f0 = ps_symbol_code(c, &sym, &d1);
    if (!f0)
        return;
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
        char *bfp = ps_join3(c, voc_bo_code, strlen(voc_bo_code), "", fp, strlen(fp));
        tc_abbrev_kind_t bkind = 0;
        const char *bexp = bfp ? tc_abbrev_lookup(bfp, strlen(bfp), &bkind) : NULL;
        if (bexp && bkind == TC_ABBREV_ORG_CENTRAL) {
            exp = bexp;
            kind = bkind;
        }
        free(bfp);
    }
    free(fp);
    if (exp && (kind == TC_ABBREV_ORG || kind == TC_ABBREV_ORG_CENTRAL)) {
        char *loc = kind == TC_ABBREV_ORG ? place_locality(c) : NULL;
        doc->issuer = loc ? ps_join_sp(c, exp, loc) : ps_xstrdup(c, exp);
        free(loc);
    }
    if (!doc->issuer && !c->oom)
        authority_line(c);
}
