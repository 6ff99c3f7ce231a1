/* The signature: the signer's title ("Phó Giám đốc"), the authority signed
 * for ("KT. Giám đốc") and the signer's name. */
#include <stdlib.h>
#include <string.h>

#include "text/fold.h"
#include "record/orgs.h"
#include "record/parse/parse.h"

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
    size_t fn;
    prefix[0] = '\0';
    if (!n || ps_count_cps(s, n) > SIG_LINE_MAX_CHARS || !ps_case_at(s, n, 0) || ps_fold_into(c, &c->tmp, s, n) < 0)
        return SIG_NONE;
    const char *f = c->tmp.f.data;
    fn = c->tmp.f.len;
    size_t p = 0;
    for (size_t k = 0; k < VOC_SIG_PREFIXES; k++) {
        const char *pre = voc_sig_prefixes[k];
        size_t L = strlen(pre);
        int slash = pre[1] == '/';
        if (fn > L && strncmp(f, pre, L) == 0 && (f[L] == '.' || (slash && f[L] == ' '))) {
            p = skip_sp(f, fn, f[L] == '.' ? L + 1 : L);
            for (size_t x = 0; x < L; x++)
                prefix[x] = pre[x] == '/' ? '/' : (char)(pre[x] - 'a' + 'A');
            prefix[L] = slash ? '\0' : '.';
            prefix[L + 1] = '\0';
            break;
        }
    }
    size_t off = c->tmp.map[p];
    tc_buf_t kb = TC_BUF_INIT;
    ps_key_into(c, &kb, f + p, fn - p);
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
    char *key = ps_key_of(c, s, n);
    size_t w = 0;
    const char *t = key ? tc_title_match(key, &w) : NULL;
    tc_buf_t b = TC_BUF_INIT;
    char *res = NULL;
    put(c, &b, "", 0);
    if (t) {
        puts_(c, &b, t);
        /* The words after the title, as an org name. */
        word_t ws[MAX_WORDS];
        size_t nw = ps_split_words(s, n, ws, MAX_WORDS), seen = 0, from = nw;
        for (size_t i = 0; i < nw; i++) {
            char *k = ps_key_of(c, ws[i].s, ws[i].len);
            if (k && *k)
                seen += 1 + (size_t)(strchr(k, ' ') != NULL);
            free(k);
            if (seen >= w) {
                from = i + 1;
                break;
            }
        }
        char *rk = from < nw ? ps_key_of(c, ws[from].s, (size_t)(s + n - ws[from].s)) : NULL;
        for (size_t x = 0; rk && x < VOC_TITLE_ORDINALS; x++)
            if (strcmp(rk, voc_title_ordinals[x].folded) == 0) {
                put(c, &b, " ", 1);
                puts_(c, &b, voc_title_ordinals[x].exact);
                from = nw;
            }
        free(rk);
        if (from < nw) {
            org_name_t o;
            ps_render_org(c, ws[from].s, (size_t)(s + n - ws[from].s), &o);
            char *joined = o.name ? ps_org_join(c, &o, o.locality) : NULL;
            if (joined) {
                put(c, &b, " ", 1);
                puts_(c, &b, joined);
            }
            free(joined);
            ps_org_name_free(&o);
        }
    } else {
        org_name_t o;
        ps_render_org(c, s, n, &o);
        char *joined = o.name ? ps_org_join(c, &o, o.locality) : NULL;
        if (joined)
            puts_(c, &b, joined);
        free(joined);
        ps_org_name_free(&o);
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

/* Whether s[0..n) holds one of the bytes in set. */
static int strpbrk_n(const char *s, size_t n, const char *set)
{
    for (size_t k = 0; k < n; k++)
        if (strchr(set, s[k]))
            return 1;
    return 0;
}

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
    size_t nw = ps_split_words(s, n, w, NAME_SPLIT_WORDS);
    if (nw < NAME_MIN_WORDS || nw > NAME_MAX_WORDS)
        return 0;
    for (size_t k = 0; k < nw; k++)
        if (ps_case_at(w[k].s, w[k].len, 0) != 'U')
            return 0;
    return 1;
}

/* Sets doc->signer to the name s[0..n), an ALL-CAPS one capitalised. */
static void set_signer(ctx_t *c, const char *s, size_t n)
{
    if (tc_is_all_caps(s, n)) {
        tc_buf_t b = TC_BUF_INIT;
        word_t w[NAME_SPLIT_WORDS];
        size_t nw = ps_split_words(s, n, w, NAME_SPLIT_WORDS);
        put(c, &b, "", 0);
        for (size_t k = 0; k < nw; k++)
            ps_put_word(c, &b, w[k].s, w[k].len, WORD_CAPITALISED);
        if (!c->oom)
            c->doc->signer = tc_buf_steal(&b);
        tc_buf_free(&b);
    } else {
        ps_set_field(c, &c->doc->signer, s, n);
    }
}

/* Whether s[0..n) is a title and nothing else: "PHÓ CHỦ TỊCH". */
static int whole_title(ctx_t *c, const char *s, size_t n)
{
    char *key = ps_key_of(c, s, n);
    size_t w = 0, nkw = key && *key ? 1 : 0;
    const char *t = key ? tc_title_match(key, &w) : NULL;
    for (size_t x = 0; key && key[x]; x++)
        nkw += key[x] == ' ';
    free(key);
    return t && w == nkw;
}

/* Whether folded line i starts, past table and list marks, with "Nơi nhận". */
static int is_noi_nhan_line(ctx_t *c, size_t i)
{
    size_t fn;
    const char *f = fold_line(c, i, &fn);
    size_t k = 0;
    while (k < fn && (f[k] == '|' || f[k] == '*' || f[k] == '_' || is_sp(f[k])))
        k++;
    return fm(f, fn, k, voc_noi_nhan) != NPOS;
}

/* A words of a signature cell longer than this is not read. */
#define SIG_CELL_MAX_WORDS 40

/* The signature set beside the list of recipients in one row of a table
 * flattened by a scraper or a DOCX extractor, its lines run together in one
 * cell: "| Nơi nhận: - Như trên; … | KT. CHỦ TỊCH PHÓ CHỦ TỊCH (Đã ký)
 * Lâm Hải Giang |".  The cell is read as the block would be: an authority
 * ("KT. CHỦ TỊCH"), the title, the ALL-CAPS words that make one whole title
 * at the end of the capitals ("PHÓ CHỦ TỊCH"), then anything in brackets or
 * in lower case ("(Đã ký)", "Để báo cáo") and the name, the capitalised
 * words that end the cell.  Returns 1 when it set the signer. */
static int read_signature_cell(ctx_t *c, const char *s, size_t n)
{
    while (n && is_sp(s[n - 1]))
        n--;
    while (n && is_sp(*s))
        s++, n--;
    word_t w[SIG_CELL_MAX_WORDS + 1];
    size_t nw = ps_split_words(s, n, w, SIG_CELL_MAX_WORDS + 1);
    if (nw < NAME_MIN_WORDS + 1 || nw > SIG_CELL_MAX_WORDS)
        return 0;
    /* The name: capitalised words, not in capitals, at the end. */
    size_t nm = nw;
    while (nm > 0 && nw - nm < NAME_MAX_WORDS && ps_case_at(w[nm - 1].s, w[nm - 1].len, 0) == 'U' &&
           !tc_is_all_caps(w[nm - 1].s, w[nm - 1].len) && !has_digit(w[nm - 1].s, w[nm - 1].len) &&
           !strpbrk_n(w[nm - 1].s, w[nm - 1].len, ":;,()[]/\"!?"))
        nm--;
    if (nw - nm < NAME_MIN_WORDS || nm == 0)
        return 0;
    /* The capitals from the start of the cell. */
    size_t ce = 0;
    while (ce < nm && tc_is_all_caps(w[ce].s, w[ce].len) && ps_case_at(w[ce].s, w[ce].len, 0) == 'U')
        ce++;
    if (!ce)
        return 0;
    const char *cend = w[ce - 1].s + w[ce - 1].len;
    /* Between the capitals and the name no more capitals: only notes
     * such as "(Đã ký)" or "Để báo cáo". */
    for (size_t k = ce; k < nm; k++)
        if (tc_is_all_caps(w[k].s, w[k].len) && ps_case_at(w[k].s, w[k].len, 0) == 'U' && w[k].len > 1)
            return 0;
    size_t tw = NPOS;
    for (size_t k = 0; k < ce && tw == NPOS; k++)
        if (whole_title(c, w[k].s, (size_t)(cend - w[k].s)))
            tw = k;
    if (tw == NPOS)
        return 0;
    tc_doc_t *doc = c->doc;
    doc->signer_title = render_title(c, w[tw].s, (size_t)(cend - w[tw].s));
    if (tw > 0) {
        size_t rest;
        char pre[SIG_PREFIX_SIZE];
        size_t an = (size_t)(w[tw - 1].s + w[tw - 1].len - s);
        if (sig_text(c, s, an, &rest, pre) == SIG_AUTHORITY) {
            char *title = render_title(c, s + rest, an - rest);
            if (title)
                doc->signer_authority = ps_join_sp(c, pre, title);
            free(title);
        }
    }
    set_signer(c, w[nm].s, (size_t)(s + n - w[nm].s));
    return doc->signer != NULL;
}

/* Whether s[0..n) starts, past marks, with "Nơi nhận". */
static int is_noi_nhan_text(ctx_t *c, const char *s, size_t n)
{
    if (ps_fold_into(c, &c->tmp, s, n) < 0)
        return 0;
    const char *f = c->tmp.f.data;
    size_t fn = c->tmp.f.len, k = 0;
    while (k < fn && (f[k] == '|' || f[k] == '*' || f[k] == '_' || is_sp(f[k])))
        k++;
    return fm(f, fn, k, voc_noi_nhan) != NPOS;
}

/* The cell of a flattened table row that ends at or before *end: its
 * bytes [*begin, *end) with the separators and blanks around it left out;
 * 0 when there is none. */
static int previous_cell(const char *s, size_t *begin, size_t *end)
{
    size_t e = *end;
    while (e && (is_sp(s[e - 1]) || s[e - 1] == '|'))
        e--;
    size_t b = e;
    while (b && s[b - 1] != '|')
        b--;
    *begin = b;
    *end = e;
    return b < e;
}

/* Table rows holding "Nơi nhận" in one cell and the signature in another,
 * after it or, where the columns came out the other way, before it. */
static int read_signature_row(ctx_t *c)
{
    for (size_t i = c->n_lines; i-- > c->body && !c->oom;) {
        const char *s = LS(c, i);
        size_t n = LN(c, i);
        if (c->lines[i].blank || s[0] != '|')
            continue;
        /* The cells, last first. */
        size_t e = n, b = 0, cells = 0, list = 0;
        while (e > 1 && !c->oom) {
            if (!previous_cell(s, &b, &e))
                break;
            cells++;
            if (is_noi_nhan_text(c, s + b, e - b))
                list = 1;
            e = b;
        }
        if (!list || cells < 2)
            continue;
        for (e = n; e > 1 && !c->oom;) {
            if (!previous_cell(s, &b, &e))
                break;
            if (!is_noi_nhan_text(c, s + b, e - b)) {
                if (read_signature_cell(c, s + b, e - b))
                    return 1;
                free(c->doc->signer_title);
                free(c->doc->signer_authority);
                c->doc->signer_title = c->doc->signer_authority = NULL;
            }
            e = b;
        }
    }
    return 0;
}

/* Non-blank lines after "Nơi nhận:" searched for the name under the
 * signature, when the list of recipients comes before it. */
#define SIG_AFTER_NOI_NHAN 30

/* Where the search up for the signature starts.  A signature followed by an
 * annex ("PHỤ LỤC", tables, a regulation) is many lines from the end: when a
 * name under a title follows "Nơi nhận" (else the body's closing "./."),
 * the block ends at that name. */
static size_t name_after(ctx_t *c, size_t a);

/* Whether line i ends the text of the dispatch with "./.", as the body's
 * last sentence does ("chịu trách nhiệm thi hành Quyết định này./."). */
static int ends_body(ctx_t *c, size_t i)
{
    const char *s = LS(c, i);
    size_t n = LN(c, i);
    while (n && (is_sp(s[n - 1]) || s[n - 1] == '*' || s[n - 1] == '_'))
        n--;
    return n >= 3 && memcmp(s + n - 3, "./.", 3) == 0;
}

static size_t signature_end(ctx_t *c)
{
    size_t a = NPOS, b = NPOS;
    for (size_t i = c->body; i < c->n_lines && a == NPOS; i++)
        if (!c->lines[i].blank && is_noi_nhan_line(c, i))
            a = i;
    for (size_t i = c->body; i < c->n_lines && b == NPOS; i++)
        if (!c->lines[i].blank && ends_body(c, i))
            b = i;
    size_t e = a != NPOS ? name_after(c, a) : NPOS;
    if (e == NPOS && b != NPOS)
        e = name_after(c, b);
    return e != NPOS ? e : c->n_lines;
}

/* After line a ("Nơi nhận:", or the body's last line), the end of the
 * first name under a title; NPOS when none comes soon. */
static size_t name_after(ctx_t *c, size_t a)
{
    size_t seen = 0, prev = NPOS;
    for (size_t i = a + 1; i < c->n_lines && seen < SIG_AFTER_NOI_NHAN && !c->oom; i++) {
        if (c->lines[i].blank)
            continue;
        seen++;
        size_t st, r;
        char pre[SIG_PREFIX_SIZE];
        if (prev != NPOS && is_name_line(c, i) && sig_line(c, i, 0, &st, &r, pre) == SIG_NONE &&
            sig_line(c, prev, 0, &st, &r, pre) != SIG_NONE) {
            /* Not the second line of a title or authority cut in two
             * ("TM. ỦY BAN" / "NHÂN DÂN" / "KT. CHỦ TỊCH"). */
            size_t nx = i + 1;
            while (nx < c->n_lines && c->lines[nx].blank)
                nx++;
            if (nx >= c->n_lines || sig_line(c, nx, 0, &st, &r, pre) == SIG_NONE)
                return i + 1;
        }
        prev = i;
    }
    return NPOS;
}

void ps_read_signer(ctx_t *c)
{
    size_t t = NPOS, start = 0, rest = 0, fn;
    char prefix[SIG_PREFIX_SIZE];
    sig_kind_t kind = SIG_NONE;
    int pass;
    if (read_signature_row(c) || c->oom)
        return;
    size_t end = signature_end(c);
    /* Whole title lines first; then titles at the end of merged lines. */
    for (pass = 0; pass < 2 && t == NPOS && !c->oom; pass++) {
        size_t nb = 0;
        for (size_t i = end; i-- > c->body && nb < SIG_SEARCH_LINES && !c->oom;) {
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
            doc->signer_authority = ps_join_sp(c, prefix, doc->signer_title);
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
                    doc->signer_authority = ps_join_sp(c, pre, title);
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
        if (s[0] == '(' || s[0] == '[' || fm(f, fn, 0, voc_da_ky) != NPOS || fm(f, fn, 0, voc_ky_ten) != NPOS ||
            fm(f, fn, 0, voc_noi_nhan) != NPOS || ps_bullet(s, n))
            continue;
        if (!is_name_line(c, i))
            break;
        /* Under an authority the next line in capitals is the title, one
         * the list of titles lacks ("TM. TIỂU BAN" / "TRƯỞNG TIỂU BAN"),
         * not the name. */
        if (kind == SIG_AUTHORITY && seen == 1 && tc_is_all_caps(s, n))
            continue;
        set_signer(c, s, n);
        break;
    }
}
