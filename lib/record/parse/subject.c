/* The subject (the V/v line, or the lines under a title) and the document
 * type.
 *
 * Where a dispatch's subject stands (Nghị định 30/2020/NĐ-CP, Phụ lục I):
 * a công văn's is the "V/v ..." line(s) under the number; every other type
 * has a title, the type's name alone on a line ("KẾ HOẠCH", "QUYẾT ĐỊNH"),
 * and under it the subject, in capitals or in normal case, over one to
 * four lines.  What comes after the subject is the body: a decision's or a
 * resolution's issuing authority in capitals ("CHỦ TỊCH ỦY BAN NHÂN DÂN
 * TỈNH", "THỦ TƯỚNG CHÍNH PHỦ"), its legal grounds ("Căn cứ ..."),
 * "Kính gửi", or the first paragraph.  The subject stops where the title
 * block stops. */
#include <stdlib.h>
#include <string.h>

#include "text/fold.h"
#include "record/orgs.h"
#include "record/parse/parse.h"

/* Blank lines a subject may run across: extraction puts blank lines
 * between the wrapped lines of a header cell. */
#define SUBJECT_MAX_GAP 8
/* Lines of a subject: three or four in a header's narrow column; more
 * are the body's. */
#define SUBJECT_MAX_LINES 6
/* A longer line is a paragraph of the body, not a line of a subject (or of
 * a header). */
#define SUBJECT_LINE_MAX_CHARS 150
/* A subject in capitals on one line, as a scraper of a web page leaves it,
 * runs to three hundred code points and more; no paragraph of a body is in
 * capitals. */
#define SUBJECT_CAPS_LINE_MAX_CHARS 500
/* Across a blank line, hard-wrapped text goes on with the subject only on a
 * line this short (and short of a full line): a subject's column is
 * narrower than the page's.  Text with a paragraph a line (DOCX) goes on
 * with a line this short that does not end a sentence: the body's first
 * paragraph is longer. */
#define SUBJECT_WRAPPED_MAX_CHARS 90
/* Non-blank lines after an issuing authority in which its legal grounds
 * ("Căn cứ ...") are looked for: the authority takes one or two (a
 * council's name, then its term and session). */
#define AUTHORITY_GROUNDS_LINES 3

/* ------------------------------------------------------------------ */
/* Lines.                                                               */

/* 'U' for a line in capitals, 'L' for one with a lower-case letter, 0 for
 * one without letters ("2025", "-"). */
static int line_case(ctx_t *c, size_t i)
{
    if (tc_is_all_caps(LS(c, i), LN(c, i)))
        return 'U';
    size_t fn;
    const char *f = fold_line(c, i, &fn);
    for (size_t k = 0; k < fn; k++)
        if (f[k] >= 'a' && f[k] <= 'z')
            return 'L';
    return 0;
}

/* Does the name key open with `words`, whole words? */
static int key_opens(const char *key, const char *words)
{
    size_t n = strlen(words);
    return strncmp(key, words, n) == 0 && (key[n] == '\0' || key[n] == ' ');
}

/* The national motto's lines, standing alone or together: "CỘNG HÒA XÃ
 * HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc".  Not a subject's
 * line that names the country ("... Ngày Pháp luật nước Cộng hòa xã hội
 * chủ nghĩa Việt Nam năm 2026"). */
static int is_motto_line(const char *key)
{
    if (key_opens(key, voc_doc_lap_tu_do) || ps_key_has_words(key, voc_doc_lap_tu_do_hanh_phuc) ||
        strcmp(key, voc_dang_cong_san) == 0)
        return 1;
    if (!key_opens(key, voc_cong_hoa))
        return 0;
    const char *k = key + strlen(voc_cong_hoa);
    k += *k == ' ';
    if (!key_opens(k, voc_viet_nam))
        return 0;
    k += strlen(voc_viet_nam);
    k += *k == ' ';
    return *k == '\0' || key_opens(k, voc_doc_lap);
}

/* A line opening the body after a title block: the legal grounds ("Căn
 * cứ", "Theo đề nghị", "Xét đề nghị"). */
static int is_grounds_key(const char *key)
{
    for (size_t k = 0; k < VOC_GROUNDS; k++)
        if (key_opens(key, voc_grounds[k]))
            return 1;
    return 0;
}

/* A decision's or a resolution's issuing authority, between its title
 * block and its legal grounds: a title of office ("CHỦ TỊCH ...", "GIÁM
 * ĐỐC ...", "THỦ TƯỚNG CHÍNH PHỦ") or a collective body ("HỘI ĐỒNG NHÂN
 * DÂN TỈNH ...", "BAN THƯỜNG TRỰC ..."). */
static int is_authority_key(const char *key)
{
    size_t w;
    if (tc_title_match(key, &w))
        return 1;
    for (size_t k = 0; k < VOC_AUTHORITIES; k++)
        if (key_opens(key, voc_authorities[k]))
            return 1;
    return 0;
}

/* Do the legal grounds follow line i within AUTHORITY_GROUNDS_LINES? */
static int grounds_follow(ctx_t *c, size_t i, tc_buf_t *kb)
{
    size_t seen = 0;
    for (size_t j = i + 1; j < c->n_lines && seen < AUTHORITY_GROUNDS_LINES; j++) {
        if (c->lines[j].blank)
            continue;
        seen++;
        if (is_grounds_key(ps_line_key(c, j, kb)))
            return 1;
    }
    return 0;
}

/* Where the text of line i starts past table residue: a flattened header
 * table leaves its cells' "|" at the ends of a line. */
static size_t past_cell_mark(const char *s, size_t n, size_t a)
{
    while (a < n && (s[a] == '|' || is_sp(s[a])))
        a++;
    return a;
}

/* Where a cell ends: at a "|" between two cells of a flattened header
 * table row ("| Số: 12/UBND V/v ... | Hà Nội, ngày ... |"). */
static size_t cell_end(const char *s, size_t a, size_t b)
{
    const char *bar = memchr(s + a, '|', b - a);
    return bar ? (size_t)(bar - s) : b;
}

/* ------------------------------------------------------------------ */
/* The subject.                                                         */

/* Does the subject so far end on a word no subject ends on ("... và")? */
static int ends_open(const tc_buf_t *b)
{
    for (size_t k = 0; k < VOC_OPEN_ENDS; k++) {
        size_t n = strlen(voc_open_ends[k].exact);
        if (b->len > n && b->data[b->len - n - 1] == ' ' && memcmp(b->data + b->len - n, voc_open_ends[k].exact, n) == 0)
            return 1;
    }
    return 0;
}

/* Does line i go on with the subject read so far (whose case is `caps`,
 * last piece `b`), `gap` blank lines after its last line? */
static int goes_on(ctx_t *c, size_t i, size_t gap, int caps, const tc_buf_t *b, tc_buf_t *kb)
{
    const char *s = LS(c, i);
    size_t n = LN(c, i);
    if (i == c->kg || i == c->so || i == c->dl || i == c->title)
        return 0;
    /* A list item, a table cell, a paragraph. */
    if (ps_list_marker(s, n) || s[0] == '-' || s[0] == '|' || c->lines[i].nchars > SUBJECT_LINE_MAX_CHARS)
        return 0;
    size_t fn;
    const char *f = fold_line(c, i, &fn);
    size_t a = past_cell_mark(f, fn, 0);
    if (fm(f, fn, a, voc_vv) != NPOS)
        return 0;
    const char *key = ps_line_key(c, i, kb);
    if (is_motto_line(key) || ps_is_mark_key(key) || key_opens(key, voc_kinh_gui) || is_grounds_key(key))
        return 0;
    /* "... như sau:", "... trân trọng kính mời:": a body's lead-in; no
     * subject ends with a colon. */
    size_t t = n;
    while (t && is_sp(s[t - 1]))
        t--;
    if (t && s[t - 1] == ':')
        return 0;
    /* A subject in capitals ends where the capitals end; one in normal case
     * at a line in capitals: the authority, a body's name. */
    int lc = line_case(c, i);
    if (lc && caps && lc != caps)
        return 0;
    if (caps == 'U' && is_authority_key(key) && (gap || grounds_follow(c, i, kb)))
        return 0;
    /* A subject in normal case runs on in lower case or with a name; a
     * line opening as a body does is the first paragraph (PDF text without
     * blank lines between the title block and the body). */
    if (caps == 'L')
        for (size_t k = 0; k < VOC_BODY_OPENERS; k++)
            if (n >= strlen(voc_body_openers[k]) && memcmp(s, voc_body_openers[k], strlen(voc_body_openers[k])) == 0)
                return 0;
    /* Text with a paragraph a line: a long line that ends a sentence is a
     * paragraph of the body, blank line before it or not. */
    size_t nc = c->lines[i].nchars;
    if (!c->hard && caps == 'L' && nc > SUBJECT_WRAPPED_MAX_CHARS && ps_ends_terminal(s, n))
        return 0;
    if (ends_open(b))
        return 1;
    /* No paragraph of a body is in capitals: a subject in capitals goes on
     * across blank lines (a line a paragraph, as DOCX extraction leaves a
     * title block) until the authority or a heading. */
    if (!gap || ps_case_at(s, n, 0) == 'L' || (caps == 'U' && lc == 'U'))
        return 1;
    /* Across a blank line: PDF text goes on with the subject's next line,
     * but not with a full-width line, the body's first; text with a
     * paragraph a line with a short line that ends no sentence. */
    if (c->hard)
        return nc <= SUBJECT_WRAPPED_MAX_CHARS && (double)nc < FULL_LINE_SHARE * c->wrap;
    return nc <= SUBJECT_WRAPPED_MAX_CHARS && !ps_ends_terminal(s, n) && !ps_ends_terminal(b->data, b->len);
}

/* The subject from line `first`, byte `off` on. */
static void read_subject(ctx_t *c, size_t first, size_t off)
{
    tc_buf_t b = TC_BUF_INIT, kb = TC_BUF_INIT;
    const char *s = LS(c, first);
    size_t end = LN(c, first);
    if (first == c->dl && c->place_start > off)
        end = c->place_start;
    end = cell_end(s, off, end);
    size_t a = off;
    ps_trim(s, &a, &end);
    int caps = 0;
    if (end > a) {
        caps = tc_is_all_caps(s + a, end - a) ? 'U' : 'L';
        put(c, &b, s + a, end - a);
    }
    size_t last = first, gap = 0, pieces = 1;
    for (size_t i = first + 1; i < c->n_lines && !c->oom && pieces < SUBJECT_MAX_LINES; i++) {
        if (c->lines[i].blank) {
            if (++gap > SUBJECT_MAX_GAP)
                break;
            continue;
        }
        if (!goes_on(c, i, gap, caps, &b, &kb))
            break;
        s = LS(c, i);
        size_t n = cell_end(s, 0, LN(c, i));
        if (!caps && line_case(c, i))
            caps = line_case(c, i);
        if (b.len >= 2 && b.data[b.len - 1] == '-' && !is_sp(b.data[b.len - 2]))
            ;
        else if (b.len)
            put(c, &b, " ", 1);
        put(c, &b, s, n);
        last = i;
        gap = 0;
        pieces++;
    }
    c->subject_end = last;
    /* "VỀ" / "VIỆC ...": a label wrapped apart is the form's, not the
     * subject's. */
    size_t start = 0;
    if (b.len && ps_fold_into(c, &c->tmp, b.data, b.len) == 0) {
        const char *f = c->tmp.f.data;
        size_t fn = c->tmp.f.len, e = fm(f, fn, 0, voc_ve_viec);
        if (e != NPOS) {
            e = skip_sp(f, fn, e);
            if (e < fn && f[e] == ':')
                e = skip_sp(f, fn, e + 1);
            start = e < fn ? c->tmp.map[e] : b.len;
        }
    }
    /* “V/v ...”: the quotes around the V/v line are not the subject's. */
    size_t e = b.len;
    if (e >= 3 && memcmp(b.data + e - 3, "\xE2\x80\x9D", 3) == 0 && !strstr(b.data, "\xE2\x80\x9C"))
        e -= 3;
    else if (e && b.data[e - 1] == '"' && !memchr(b.data, '"', e - 1))
        e--;
    if (!c->oom && e > start)
        ps_set_field(c, &c->doc->subject, b.data + start, e - start);
    tc_buf_free(&b);
    tc_buf_free(&kb);
}

/* ------------------------------------------------------------------ */
/* Where the subject is.                                                */

/* Non-blank lines searched for a V/v line or a title the header reader
 * did not take: as many as it searches (header.c). */
#define SUBJECT_HEADER_LINES 40

/* The "V/v" on line i: where the subject after it starts, or NPOS.  At the
 * line's start, past a quote or a table's "|" ("“V/v ...”", as some put
 * it), or after the number in the same cell of a flattened header table
 * ("| Số: 12/UBND V/v ... |"). */
static size_t vv_on_line(ctx_t *c, size_t i)
{
    size_t fn;
    const char *f = fold_line(c, i, &fn);
    size_t a = past_cell_mark(f, fn, 0);
    while (a < fn && strchr("\"'(", f[a]))
        a++;
    if (fn - a >= 3 && (memcmp(f + a, "\xE2\x80\x9C", 3) == 0 || memcmp(f + a, "\xE2\x80\x98", 3) == 0))
        a += 3;
    size_t e = fm(f, fn, a, voc_vv);
    if (e != NPOS)
        return ps_after_label(c, f, fn, e);
    if (fm(f, fn, past_cell_mark(f, fn, 0), voc_so) == NPOS)
        return NPOS;
    size_t end = cell_end(f, past_cell_mark(f, fn, 0), fn);
    for (size_t k = 1; k < end; k++)
        if (f[k - 1] == ' ' && (e = fm(f, end, k, voc_vv)) != NPOS)
            return ps_after_label(c, f, fn, e);
    return NPOS;
}

/* "Về việc ..." opening line i of a header that has a "Kính gửi" below:
 * where the subject after it starts, or NPOS.  Some offices write the
 * công văn's label out in full; above "Kính gửi" it is no paragraph of a
 * body. */
static size_t ve_viec_on_line(ctx_t *c, size_t i)
{
    if (c->kg == NPOS || i > c->kg)
        return NPOS;
    size_t fn;
    const char *f = fold_line(c, i, &fn);
    size_t e = fm(f, fn, past_cell_mark(f, fn, 0), voc_ve_viec);
    return e != NPOS ? ps_after_label(c, f, fn, e) : NPOS;
}

/* The title on line i: its type, or NULL.  The type's name alone, in
 * capitals ("KẾ HOẠCH"), or with a number of its own ("THÔNG BÁO SỐ 01",
 * as the Party's and the Youth Union's offices number a series; "NGHỊ
 * QUYẾT SỐ 15-NQ/TU"). */
static const tc_doc_type_t *title_on_line(ctx_t *c, size_t i, tc_buf_t *kb)
{
    if (!tc_is_all_caps(LS(c, i), LN(c, i)))
        return NULL;
    const char *key = ps_line_key(c, i, kb);
    const tc_doc_type_t *t = tc_doc_type_by_key(key);
    if (t)
        return t->flags & TC_DOCTYPE_TITLE ? t : NULL;
    const char *so = strstr(key, " so ");
    if (!so || !is_dig(so[4]))
        return NULL;
    char *name = ps_xstrdup(c, key);
    if (!name)
        return NULL;
    name[so - key] = '\0';
    t = tc_doc_type_by_key(name);
    free(name);
    return t && (t->flags & TC_DOCTYPE_TITLE) ? t : NULL;
}

/* A title that runs on with its subject, in capitals: "CHƯƠNG TRÌNH ĐÀO
 * TẠO" (a programme of training, as a university issues one under no
 * number), "QUY CHẾ TUYỂN SINH": the longest type's name opening line i,
 * or NULL. */
static const tc_doc_type_t *run_on_title(ctx_t *c, size_t i, tc_buf_t *kb)
{
    if (!tc_is_all_caps(LS(c, i), LN(c, i)))
        return NULL;
    const char *key = ps_line_key(c, i, kb);
    size_t w = 0;
    if (ps_is_motto_key(key) || tc_org_word_match(key, &w))
        return NULL;
    return tc_doc_type_opening(key);
}

/* The subject under the title on line `title`. */
static void read_titled(ctx_t *c, size_t title)
{
    tc_buf_t kb = TC_BUF_INIT;
    c->subject_end = title;
    for (size_t i = title + 1; i < c->n_lines; i++) {
        if (c->lines[i].blank)
            continue;
        int lc = line_case(c, i);
        size_t max = lc == 'U' ? SUBJECT_CAPS_LINE_MAX_CHARS : SUBJECT_LINE_MAX_CHARS;
        const char *key = ps_line_key(c, i, &kb);
        if (i == c->kg || i == c->so || i == c->dl || c->lines[i].nchars > max ||
            ps_list_marker(LS(c, i), LN(c, i)) || is_grounds_key(key) || key_opens(key, voc_kinh_gui))
            break;
        /* "V/v ..." or, under a title, "Về việc ...": the subject is what
         * follows. */
        size_t fn, e, off = vv_on_line(c, i);
        const char *f = fold_line(c, i, &fn);
        if (off == NPOS)
            off = (e = fm(f, fn, 0, voc_ve_viec)) != NPOS ? ps_after_label(c, f, fn, e) : 0;
        read_subject(c, i, off);
        break;
    }
    tc_buf_free(&kb);
}

void ps_read_header_subject(ctx_t *c)
{
    tc_buf_t kb = TC_BUF_INIT;
    size_t vv = c->vv, title = c->title, nb = 0;
    const tc_doc_type_t *type = NULL;
    if (title != NPOS)
        type = tc_doc_type_by_key(ps_line_key(c, title, &kb));
    /* A V/v line or a title the header's reader passed over. */
    for (size_t i = 0; i < c->n_lines && (vv == NPOS || title == NPOS) && !c->oom; i++) {
        if (c->lines[i].blank)
            continue;
        if (i == c->kg || ++nb > SUBJECT_HEADER_LINES || i == vv || i == title)
            break;
        if (vv == NPOS && (vv_on_line(c, i) != NPOS || ve_viec_on_line(c, i) != NPOS))
            vv = i;
        else if (title == NPOS && (type = title_on_line(c, i, &kb)) != NULL)
            title = i;
    }
    /* Neither a number, a V/v nor a title alone: a title that runs on
     * with its subject gives the type. */
    for (size_t i = 0, seen = 0; title == NPOS && vv == NPOS && c->so == NPOS && i < c->n_lines && !c->oom; i++) {
        if (c->lines[i].blank)
            continue;
        if (i == c->kg || ++seen > SUBJECT_HEADER_LINES)
            break;
        const tc_doc_type_t *run_on = run_on_title(c, i, &kb);
        if (run_on) {
            c->type_name = run_on->name;
            break;
        }
    }
    tc_buf_free(&kb);
    /* The title's type over the V/v's: "KẾ HOẠCH" / "V/v ..." is a plan. */
    if (title != NPOS && (vv == NPOS || title < vv)) {
        c->type_name = type ? type->name : NULL;
        read_titled(c, title);
    } else if (vv != NPOS) {
        c->type_name = voc_cong_van;
        size_t off = vv_on_line(c, vv);
        read_subject(c, vv, off != NPOS ? off : ve_viec_on_line(c, vv));
    }
}

/* ------------------------------------------------------------------ */
/* Document type.                                                       */

/* Is the folded code a body's abbreviation ("ubnd", "ldtbxh", a
 * ministry's without its "B")? */
static int is_org_code(const char *code)
{
    tc_abbrev_kind_t kind = 0;
    if (tc_abbrev_lookup(code, strlen(code), &kind) && (kind == TC_ABBREV_ORG || kind == TC_ABBREV_ORG_CENTRAL))
        return 1;
    size_t bl = strlen(voc_bo_code), n = strlen(code);
    char buf[64];
    if (bl + n >= sizeof buf)
        return 0;
    memcpy(buf, voc_bo_code, bl);
    memcpy(buf + bl, code, n + 1);
    kind = 0;
    return tc_abbrev_lookup(buf, bl + n, &kind) && (kind == TC_ABBREV_ORG || kind == TC_ABBREV_ORG_CENTRAL);
}

void ps_read_doc_type(ctx_t *c)
{
    tc_doc_t *doc = c->doc;
    const char *name = c->type_name;
    if (!name && doc->symbol) {
        /* The symbol's first code names the type: "KH-UBND" a plan,
         * "QĐ-UBND" a decision.  A symbol that opens with the body's own
         * code ("UBND-VP", "LĐTBXH-KHTC") is a công văn's: the form gives
         * it no type code (Nghị định 30/2020/NĐ-CP, Phụ lục III). */
        const char *sym;
        size_t d1;
        char *f0 = ps_symbol_code(c, &sym, &d1);
        if (!f0)
            return;
        if (sym[d1] == '-' || sym[d1] == '/') {
            const tc_doc_type_t *t = tc_doc_type_by_code(f0);
            name = t ? t->name : sym[d1] == '-' && is_org_code(f0) ? voc_cong_van : NULL;
        }
        free(f0);
    }
    if (name)
        doc->doc_type = ps_xstrdup(c, name);
}
