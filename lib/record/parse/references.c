/* The documents the dispatch cites: "Công văn số 1471/UBND-KGVX ngày
 * 21/4/2026 của Ủy ban nhân dân tỉnh", "Luật ... số 03/2007/QH12". */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "record/orgs.h"
#include "record/parse/parse.h"

/* References kept: far past the few a dispatch cites, the cap guards
 * against pathological input. */
#define MAX_REFS 500

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
    static const char punct[] = ",;()[]:\"\n";
    const char *f = c->ftext.data;
    size_t words = 0, end = i;
    for (;;) {
        i = skip_sp(f, n, i);
        if (i >= n || strchr(punct, f[i]) || f[i] == '.' || is_quote_byte_at(f, n, i) ||
            words >= CITED_ISSUER_MAX_WORDS)
            break;
        int stop = 0;
        for (size_t s = 0; s < VOC_ISSUER_STOPS && !stop; s++) {
            size_t e = fmw(f, n, i, voc_issuer_stops[s].folded);
            stop = e != NPOS && ps_span_is(c, k, i, e, voc_issuer_stops[s].exact);
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

/* Whether one of a and b starts the other, white space and ASCII case
 * aside: "3380/QĐ- TTPVHCC" and "3380/QĐ-TTPVHCC" are one number. */
static int unspaced_prefix_equal(const char *a, const char *b)
{
    for (;;) {
        while (*a && is_sp(*a))
            a++;
        while (*b && is_sp(*b))
            b++;
        if (!*a || !*b)
            return 1;
        if (tolower((unsigned char)*a++) != tolower((unsigned char)*b++))
            return 0;
    }
}

static void add_reference(ctx_t *c, const char *type, const char *num, size_t numlen, char *date,
                          const char *iss, size_t isslen)
{
    tc_doc_t *doc = c->doc;
    /* As printed, spaces and all ("71/NQ -CP", "46 - CT/TW"): what a clerk
     * copies from the letter.  Links and searches compare its folded words,
     * where the spaces make no difference. */
    char *number = ps_dup_clean(c, num, numlen);
    char *issuer = NULL;
    if (iss) {
        size_t a = 0, b = isslen;
        ps_trim(iss, &a, &b);
        ps_rstrip(iss, a, &b, ".,;:-");
        issuer = b > a ? ps_dup_clean(c, iss + a, b - a) : NULL;
    }
    if (!number) {
        free(date);
        free(issuer);
        return;
    }
    size_t ld = ps_lead_digits(number);
    for (size_t i = 0; i < doc->n_references; i++) {
        tc_reference_t *r = &doc->references[i];
        /* One document cited twice, on one date, spelt two ways
         * ("389/SKHCN-QLCN" and "389/SKH-CN-QLCN"); undated, only when one
         * number starts the other but for case ("1471/UBND", "32/CT-TTG" of
         * an ALL-CAPS subject): not two laws of one number and other years
         * ("16/2017/QH14" and "16/2023/QH15"). */
        int same_day = r->date && date && strcmp(r->date, date) == 0;
        if (strcmp(r->type, type) != 0 || ps_lead_digits(r->number) != ld || memcmp(r->number, number, ld) != 0 ||
            (!same_day && !unspaced_prefix_equal(r->number, number)))
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
                             ? ps_xrealloc(c, doc->references, doc->n_references + 1, sizeof *nr)
                             : NULL;
    char *t = nr ? ps_xstrdup(c, type) : NULL;
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

/* Does a body's abbreviation start at f[i] ("bnv" of "TT - BNV")? */
static int org_code_at(const char *f, size_t i, size_t fe)
{
    size_t e = i;
    while (e < fe && is_alnum_b(f[e]))
        e++;
    tc_abbrev_kind_t kind = 0;
    return e > i && (e == fe || !strchr("/-&._", f[e])) && tc_abbrev_lookup(f + i, e - i, &kind) &&
           (kind == TC_ABBREV_ORG || kind == TC_ABBREV_ORG_CENTRAL);
}

/* The end of a document number starting at f[ns]: "1471/UBND-KGVX",
 * "03/2007/QH12", "57-NQ/TW". */
static size_t number_end(const char *f, size_t ns, size_t fe)
{
    size_t ne = ns;
    for (;;) {
        while (ne < fe && (is_alnum_b(f[ne]) || strchr("/-&._", f[ne])))
            ne++;
        /* A space PDF layout leaves on one side of a hyphen: "71/NQ -CP",
         * "164/BC- BKTNS" (spaced on both sides it is a dash). */
        if (ne + 2 < fe && f[ne] == ' ' && ne > ns && f[ne - 1] == '-' && f[ne + 1] != '-' && is_alnum_b(f[ne + 1]))
            ne++;
        else if (ne + 2 < fe && f[ne] == ' ' && f[ne + 1] == '-' && is_alnum_b(f[ne + 2]) && ne > ns &&
                 f[ne - 1] != '-')
            ne += 2;
        /* Spaced on both sides before the issuing body's abbreviation, a
         * hyphen typed with spaces: "Thông tư số 21/2025/TT - BNV ngày". */
        else if (ne + 3 < fe && f[ne] == ' ' && f[ne + 1] == '-' && f[ne + 2] == ' ' && ne > ns &&
                 is_alnum_b(f[ne - 1]) && org_code_at(f, ne + 3, fe))
            ne += 3;
        else
            break;
    }
    while (ne > ns && strchr(".-/&_", f[ne - 1]))
        ne--;
    return ne;
}

/* Where key (L bytes) starts when it ends at folded offset te, after fs, a
 * space in it matching a run of spaces ("Kế  hoạch" of justified PDF
 * text); NPOS when it does not. */
static size_t key_ends_at(const char *f, size_t fs, size_t te, const char *key, size_t L)
{
    size_t q = te;
    for (size_t x = L; x-- > 0;) {
        if (q <= fs)
            return NPOS;
        if (key[x] == ' ') {
            if (f[q - 1] != ' ')
                return NPOS;
            while (q > fs && f[q - 1] == ' ')
                q--;
        } else if (f[--q] != key[x]) {
            return NPOS;
        }
    }
    return q;
}

/* The longest reference type whose key ends at folded offset te (after
 * fs), as a word; *ts gets where it starts. */
static const tc_doc_type_t *type_before(const char *f, size_t fs, size_t te, size_t *ts)
{
    size_t ntypes;
    const tc_doc_type_t *types = tc_doc_types(&ntypes), *type = NULL;
    for (size_t t = 0; t < ntypes; t++) {
        size_t L = strlen(types[t].key);
        if (!(types[t].flags & TC_DOCTYPE_REF) || te - fs < L)
            continue;
        size_t st = key_ends_at(f, fs, te, types[t].key, L);
        if (st != NPOS && wstart(f, st) && (!type || st < *ts)) {
            type = &types[t];
            *ts = st;
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
    const char *f = c->ftext.data, *s = c->text.data;
    size_t fs = c->paras[k].fstart, words = 0, q;
    for (q = te; q-- > fs && words <= ACT_NAME_MAX_WORDS;) {
        if (strchr(";.():\n\"", f[q]) || is_quote_byte_at(f, te, q))
            return NULL;
        if (!wstart(f, q) || !is_alnum_b(f[q]))
            continue;
        words++;
        for (size_t a = 0; a < VOC_NAMED_ACTS; a++) {
            if (fm(f, te, q, voc_named_acts[a]) == NPOS ||
                ps_case_at(s, c->paras[k].start + c->paras[k].len, orig(c, k, q)) != 'U')
                continue;
            *ts = q;
            return tc_doc_type_by_key(voc_named_acts[a]);
        }
    }
    /* The clause reaches back to the paragraph's start: the type may end
     * the line before, which the capital of the name kept apart ("Căn cứ
     * Luật" / "Tổ chức chính quyền địa phương số 72/2025/QH15"). */
    if (k == 0 || words > ACT_NAME_MAX_WORDS)
        return NULL;
    size_t pfs = c->paras[k - 1].fstart, pfe = pfs + c->paras[k - 1].flen;
    for (size_t a = 0; a < VOC_NAMED_ACTS; a++) {
        size_t st = key_ends_at(f, pfs, pfe, voc_named_acts[a], strlen(voc_named_acts[a]));
        if (st != NPOS && wstart(f, st) &&
            ps_case_at(s, c->paras[k - 1].start + c->paras[k - 1].len, orig(c, k - 1, st)) == 'U') {
            *ts = fs;
            return tc_doc_type_by_key(voc_named_acts[a]);
        }
    }
    return NULL;
}

/* Whether the type at folded offset ts of paragraph k opens an annex's
 * subtitle, "(Ban hành kèm theo <Type> số ...)": the document itself. */
static int annex_subtitle(ctx_t *c, size_t k, size_t ts)
{
    const char *f = c->ftext.data;
    size_t fs = c->paras[k].fstart, fe = fs + c->paras[k].flen, p = fs;
    while (p < fe && (f[p] == '(' || f[p] == '*' || f[p] == '_' || f[p] == ' '))
        p++;
    for (size_t a = 0; a < VOC_ANNEX_OF; a++) {
        size_t e = fm(f, fe, p, voc_annex_of[a]);
        if (e != NPOS && skip_sp(f, fe, e) == ts)
            return 1;
    }
    return 0;
}

/* Bytes of folded text searched back from "tại" for the "của" that opens
 * the issuer ("của <issuer> tại <Type> số ..."): a long name and its
 * locality. */
#define CITED_ISSUER_WINDOW 120

/* The reference whose number starts at folded offset ns of paragraph k,
 * of `type` named at ts: [,] [ngày <date>] [,] [của <issuer>].  Returns
 * the number's end. */
static size_t cite(ctx_t *c, size_t k, const tc_doc_type_t *type, size_t ts, size_t ns, size_t *tail)
{
    const char *f = c->ftext.data, *s = c->text.data;
    size_t fs = c->paras[k].fstart, fe = fs + c->paras[k].flen;
    size_t ne = number_end(f, ns, fe);
    /* Digits alone are no document's number: "THÔNG BÁO SỐ 01", the
     * series number of a notice, not a citation. */
    int symbol = 0;
    for (size_t x = ns; x < ne && !symbol; x++)
        symbol = !is_dig(f[x]);
    *tail = ne;
    if (!symbol || annex_subtitle(c, k, ts))
        return ne;
    size_t p = skip_sp(f, fe, ne), t;
    if (p < fe && f[p] == ',')
        p = skip_sp(f, fe, p + 1);
    ymd_t dt;
    char *date = NULL;
    if ((t = fmw(f, fe, p, voc_ngay)) != NPOS) {
        size_t d = ps_parse_date(f, fe, skip_sp(f, fe, t), &dt);
        if (d != NPOS) {
            date = ps_iso_full(c, dt);
            p = d;
        }
    }
    p = skip_sp(f, fe, p);
    if (p < fe && f[p] == ',')
        p = skip_sp(f, fe, p + 1);
    size_t ia = NPOS, ib = NPOS;
    if ((t = fmw(f, fe, p, voc_cua.folded)) != NPOS && ps_span_is(c, k, p, t, voc_cua.exact)) {
        ia = skip_sp(f, fe, t);
        ib = issuer_end(c, k, ia, fe);
    } else {
        /* "của <X> tại <Type> số ..." */
        size_t b = ts, tl = strlen(voc_tai.folded);
        while (b > fs && f[b - 1] == ' ')
            b--;
        if (b >= fs + tl && memcmp(f + b - tl, voc_tai.folded, tl) == 0 && wstart(f, b - tl) &&
            ps_span_is(c, k, b - tl, b, voc_tai.exact)) {
            size_t xe = b - tl;
            while (xe > fs && f[xe - 1] == ' ')
                xe--;
            size_t lim = xe > fs + CITED_ISSUER_WINDOW ? xe - CITED_ISSUER_WINDOW : fs;
            for (size_t q = xe; q-- > lim;) {
                if (strchr(",;()[].:\n", f[q]))
                    break;
                size_t ce = fmw(f, xe, q, voc_cua.folded);
                if (ce != NPOS && ps_span_is(c, k, q, ce, voc_cua.exact)) {
                    ia = skip_sp(f, fe, ce);
                    ib = xe;
                    break;
                }
            }
        }
    }
    const char *iss = NULL;
    size_t isslen = 0;
    *tail = p;
    if (ia != NPOS && ib > ia && ib > p)
        *tail = ib;
    if (ia != NPOS && ib > ia) {
        iss = s + orig(c, k, ia);
        isslen = orig(c, k, ib) - orig(c, k, ia);
    }
    add_reference(c, type->name, s + orig(c, k, ns), orig(c, k, ne) - orig(c, k, ns), date, iss, isslen);
    return ne;
}

/* Whether a and b are one number but for white space ("46 - CT/TW"). */
static int same_unspaced(const char *a, size_t an, const char *b, size_t bn)
{
    size_t i = 0, j = 0;
    for (;;) {
        while (i < an && is_sp(a[i]))
            i++;
        while (j < bn && is_sp(b[j]))
            j++;
        if (i == an || j == bn)
            return i == an && j == bn;
        if (a[i++] != b[j++])
            return 0;
    }
}

/* "Số:" lines a header holds: one, two or three for a joint dispatch;
 * past this many the rest is no header's. */
#define MAX_HEADER_NUMBERS 8

typedef struct {
    const char *f; /* folded, in the lines' store */
    size_t len;
} folded_span_t;

/* The numbers after "Số:" on the header's lines (before "Kính gửi" or
 * the body), folded: *n of them into out. */
static void header_numbers(ctx_t *c, folded_span_t *out, size_t *n)
{
    size_t end = c->kg != NPOS ? c->kg : c->body, fn, e;
    *n = 0;
    for (size_t i = 0; i < end && i < c->n_lines && *n < MAX_HEADER_NUMBERS; i++) {
        const char *f = fold_line(c, i, &fn);
        for (size_t j = 0; *n < MAX_HEADER_NUMBERS && (j = ps_ffind(f, fn, j, voc_so, &e)) != NPOS; j = e) {
            e = skip_sp(f, fn, e);
            if (e >= fn || f[e] != ':')
                continue;
            size_t ns = skip_sp(f, fn, e + 1), ne = number_end(f, ns, fn);
            if (ne > ns)
                out[(*n)++] = (folded_span_t){ f + ns, ne - ns };
        }
    }
}

/* The dispatch's own number, which its annexes, its footer and a scraper's
 * page title repeat ("Kèm theo Quyết định số 2813/QĐ-UBND"), is no
 * reference: those equal to the header's number and symbol are dropped,
 * or to the number after "Số:" on a line of the header, when the header's
 * layout kept its number from being read. */
static void drop_own_number(ctx_t *c)
{
    tc_doc_t *doc = c->doc;
    size_t ln = doc->number ? strlen(doc->number) : 0, ls = doc->symbol ? strlen(doc->symbol) : 0, kept = 0;
    folded_span_t headers[MAX_HEADER_NUMBERS];
    size_t n_headers = 0;
    if (doc->n_references)
        header_numbers(c, headers, &n_headers);
    for (size_t i = 0; i < doc->n_references && !c->oom; i++) {
        tc_reference_t *r = &doc->references[i];
        size_t rn = strlen(r->number);
        int own = doc->number && doc->symbol && rn > ln && same_unspaced(r->number, ln, doc->number, ln) &&
                  r->number[ln] == '/' && same_unspaced(r->number + ln + 1, rn - ln - 1, doc->symbol, ls);
        if (!own && n_headers && ps_fold_into(c, &c->tmp, r->number, rn) == 0)
            for (size_t h = 0; h < n_headers && !own; h++)
                own = same_unspaced(headers[h].f, headers[h].len, c->tmp.f.data, c->tmp.f.len);
        if (own) {
            free(r->type);
            free(r->number);
            free(r->date);
            free(r->issuer);
        } else {
            doc->references[kept++] = *r;
        }
    }
    doc->n_references = kept;
}

/* Words between a type and "số" passed over as its qualifier: "Báo cáo
 * thẩm tra số", "Chương trình hành động số", "Quy chế phối hợp số". */
#define TYPE_QUALIFIER_MAX_WORDS 3
/* The same with the issuer between: "các Quyết định của Thủ tướng Chính
 * phủ số 142/2008/QĐ-TTg". */
#define TYPE_ISSUER_MAX_WORDS 10

/* A capitalised reference type a few words before folded offset te of
 * paragraph k, its qualifier between ("Báo cáo thẩm tra"): the nearest. */
static const tc_doc_type_t *qualified_type_before(ctx_t *c, size_t k, size_t te, size_t *ts)
{
    const char *f = c->ftext.data, *s = c->text.data;
    size_t fs = c->paras[k].fstart, words = 0, ntypes;
    int issuer = 0;
    const tc_doc_type_t *types = tc_doc_types(&ntypes);
    for (size_t q = te; q-- > fs && words <= TYPE_ISSUER_MAX_WORDS;) {
        if (strchr(";,.():\n\"", f[q]) || is_quote_byte_at(f, te, q))
            break;
        if (!wstart(f, q) || !is_alnum_b(f[q]))
            continue;
        words++;
        size_t ce = fm(f, te, q, voc_cua.folded);
        if (ce != NPOS && ps_span_is(c, k, q, ce, voc_cua.exact))
            issuer = 1;
        if (words > TYPE_QUALIFIER_MAX_WORDS + 1 && !issuer) /* + the type's first word */
            continue;
        if (ps_case_at(s, c->paras[k].start + c->paras[k].len, orig(c, k, q)) != 'U')
            continue;
        const tc_doc_type_t *best = NULL;
        size_t bl = 0;
        for (size_t t = 0; t < ntypes; t++) {
            size_t L = strlen(types[t].key);
            if ((types[t].flags & TC_DOCTYPE_REF) && L > bl && fm(f, te, q, types[t].key) != NPOS) {
                best = &types[t];
                bl = L;
            }
        }
        if (best) {
            *ts = q;
            return best;
        }
    }
    return NULL;
}

/* Whether only a list's separators stand in f[a..b): ",", ";", ":", "và"
 * and spaces.  "Quyết định số 36/QĐ-TTg ...; số 1569/QĐ-TTg ... và số
 * 1668/QĐ-TTg", "Tờ trình số 421/TTr-STC ngày ..., 501/TTr-STC". */
static int list_separator(const char *f, size_t a, size_t b)
{
    /* A citation's end takes the comma after its date. */
    size_t q = a;
    while (q > 0 && f[q - 1] == ' ')
        q--;
    int any = q > 0 && (f[q - 1] == ',' || f[q - 1] == ';');
    for (size_t i = a; i < b;) {
        if (f[i] == ' ') {
            i++;
        } else if (f[i] == ',' || f[i] == ';' || f[i] == ':') {
            any = 1;
            i++;
        } else if (fm(f, b, i, voc_va) != NPOS && wstart(f, i)) {
            any = 1;
            i = fm(f, b, i, voc_va);
        } else {
            return 0;
        }
    }
    return any;
}

/* "<Type> số <number>", "Luật <name> số <number>", and "<Type> <number>"
 * where the number has a symbol ("Công văn 6187/BVHTTDL-VP"): a bare
 * number after a type word ("Kế hoạch 2024", "ngày 21/4") is none. */
void ps_read_references(ctx_t *c)
{
    const char *f = c->ftext.data;
    const tc_doc_type_t *carry_type = NULL;
    size_t carry_tail = NPOS;
    for (size_t k = 0; k < c->n_paras && !c->oom; k++) {
        size_t fs = c->paras[k].fstart, fe = fs + c->paras[k].flen;
        size_t next_s = fs, next_slash = fs; /* where the next 's' and '/' are, once looked for */
        int look_s = 1, look_slash = 1;
        /* The last citation of the paragraph: its type and where it ends,
         * for the numbers listed after it. */
        const tc_doc_type_t *last_type = NULL;
        size_t last_tail = fs;
        /* A paragraph that starts with digits goes on from a wrapped line:
         * the list of the one before goes on in it, past the date its
         * last citation left there ("số 007/CĐ-UBND ngày" / "17/11/2025,
         * số 008/CĐ-UBND"). */
        if (carry_type && fs < fe && is_dig(f[fs])) {
            last_type = carry_type;
            last_tail = carry_tail;
            if (last_tail == NPOS) {
                ymd_t dt;
                size_t d = ps_parse_date(f, fe, fs, &dt);
                last_tail = d != NPOS ? d : fs;
            }
        }
        carry_type = NULL;
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
                /* The word "so" (fm(f, fe, j, voc_so) spelt out: 's' is common). */
                /* Also glued to its digits, as markdown's bold left it
                 * ("Tờ trình số**347** /TTr-CP" without the space). */
                if (j + 1 >= fe || f[j + 1] != 'o' || (j + 2 < fe && is_alnum_b(f[j + 2]) && !is_dig(f[j + 2])) ||
                    !wstart(f, j))
                    continue;
                size_t e = j + 2;
                ns = skip_sp(f, fe, e);
                if (ns < fe && f[ns] == ':')
                    ns = skip_sp(f, fe, ns + 1);
                /* "Căn cứ Nghị định số" at a line's end, the number at the
                 * next one's start: a hard wrap the joining kept apart. */
                size_t kn = k, nfe = fe;
                if (ns >= fe && k + 1 < c->n_paras) {
                    nfe = c->paras[k + 1].fstart + c->paras[k + 1].flen;
                    size_t n2 = skip_sp(f, nfe, c->paras[k + 1].fstart);
                    if (n2 < nfe && is_dig(f[n2])) {
                        kn = k + 1;
                        ns = n2;
                    }
                }
                if (ns >= nfe || !is_dig(f[ns]))
                    continue;
                te = j;
                while (te > fs && f[te - 1] == ' ')
                    te--;
                if (te == j)
                    continue;
                size_t ne = number_end(f, ns, nfe);
                int slash = memchr(f + ns, '/', ne - ns) != NULL;
                type = type_before(f, fs, te, &ts);
                if (!type && slash)
                    type = named_act_before(c, k, te, &ts);
                if (!type && slash)
                    type = qualified_type_before(c, k, te, &ts);
                /* "các Quyết định: số 36/QĐ-TTg" and the "số" after it. */
                if (!type && slash && te > fs && f[te - 1] == ':') {
                    size_t tc = te - 1;
                    while (tc > fs && f[tc - 1] == ' ')
                        tc--;
                    type = type_before(f, fs, tc, &ts);
                }
                /* "số" right after a list's "," ";" or "và", however long
                 * the item before it: "số 1569/QĐ-TTg ngày ... về việc phê
                 * duyệt ..., tầm nhìn đến năm 2050 và số 1668/QĐ-TTg". */
                size_t sep = te;
                if (sep >= fs + 2 && fm(f, te, sep - 2, voc_va) == te && wstart(f, sep - 2))
                    sep -= 2;
                if (!type && slash && last_type &&
                    (list_separator(f, last_tail, te) || (sep < te && list_separator(f, sep, te)) ||
                     (te > fs && (f[te - 1] == ',' || f[te - 1] == ';')))) {
                    type = last_type;
                    ts = te;
                }
                if (type && kn != k) {
                    size_t tail;
                    cite(c, kn, type, c->paras[kn].fstart, ns, &tail);
                    last_type = NULL;
                    carry_type = type;
                    carry_tail = tail;
                    break;
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
                if (!type && last_type && list_separator(f, last_tail, ns)) {
                    type = last_type;
                    ts = ns;
                }
            }
            if (!type)
                continue;
            size_t tail;
            size_t ne = cite(c, k, type, ts, ns, &tail);
            last_type = type;
            last_tail = tail;
            j = ne > j ? ne - 1 : j;
        }
        /* The last citation ends the paragraph but for "ngày", its date
         * on the next line. */
        if (last_type) {
            size_t q = skip_sp(f, fe, last_tail), e = fmw(f, fe, q, voc_ngay);
            if (q >= fe || (e != NPOS && skip_sp(f, fe, e) >= fe)) {
                carry_type = last_type;
                carry_tail = NPOS;
            }
        }
    }
    drop_own_number(c);
}
