/* One dispatch with its links inside the archive, and completions. */
#include <stdlib.h>
#include <string.h>

#include "index/index.h"
#include "index/records.h"
#include "index/schema.h"
#include "record/orgs.h"
#include "text/tokenize.h"

/* Dispatches carrying one number and symbol looked at for a reference:
 * every province's UBND may have one, and a few years of each. */
#define MAX_SAME_NUMBER 200
#define MAX_CITED_BY 100

/* The folded words of a body's name with its abbreviations spelled out
 * ("UBND tỉnh" -> "uy ban nhan dan tinh"), one space between words,
 * malloc'd; NULL when memory ran out. */
static char *body_words(const char *name)
{
    if (!name || !*name)
        return strdup("");
    char *folded = tc_fold_words(name);
    if (!folded)
        return NULL;
    tc_buf_t out = TC_BUF_INIT;
    int failed = 0;
    for (char *word = strtok(folded, " "); word && !failed; word = strtok(NULL, " ")) {
        const char *expansion = tc_abbrev_expand(word);
        char *spelled = expansion ? tc_fold_words(expansion) : NULL;
        failed = (expansion && !spelled) || (out.len && tc_buf_putc(&out, ' ') < 0) ||
                 tc_buf_puts(&out, spelled ? spelled : word) < 0;
        free(spelled);
    }
    free(folded);
    if (failed) {
        tc_buf_free(&out);
        return NULL;
    }
    return out.data ? tc_buf_steal(&out) : strdup("");
}

/* Non-zero when the word [w, w + len) is one of the words of `in`. */
static int has_word(const char *in, const char *w, size_t len)
{
    for (const char *p = in; *p; p += strcspn(p, " "), p += *p == ' ')
        if (strcspn(p, " ") == len && strncmp(p, w, len) == 0)
            return 1;
    return 0;
}

/* Non-zero when every word of `words` is a word of `in`. */
static int all_words_in(const char *words, const char *in)
{
    for (const char *w = words; *w; w += strcspn(w, " "), w += *w == ' ')
        if (!has_word(in, w, strcspn(w, " ")))
            return 0;
    return 1;
}

/* Non-zero when the words name a province or centrally-run city. */
static int names_province(const char *words)
{
    /* Province names run to four words ("ba ria vung tau"). */
    enum { LONGEST_PROVINCE_WORDS = 4 };
    for (const char *w = words; *w; w += strcspn(w, " "), w += *w == ' ') {
        const char *end = w;
        for (int n = 0; n < LONGEST_PROVINCE_WORDS && *end; n++) {
            end += strcspn(end, " ");
            char *key = tc_strndup(w, (size_t)(end - w));
            int found = key && tc_province_lookup(key, NULL);
            free(key);
            if (found)
                return 1;
            end += *end == ' ';
        }
    }
    return 0;
}

/* Non-zero when the words are a body's kind and nothing that says which
 * one ("bo", "so", "uy ban nhan dan tinh"): the citing text means its own. */
static int is_bare_body(const char *words)
{
    size_t n = 0;
    if (!tc_org_word_match(words, &n))
        return 0;
    const char *rest = words;
    for (size_t i = 0; i < n && *rest; i++)
        rest += strcspn(rest, " "), rest += *rest == ' ';
    while (*rest) {
        size_t m = 0;
        if (!tc_locality_word_match(rest, &m) || m == 0)
            return 0;
        for (size_t i = 0; i < m && *rest; i++)
            rest += strcspn(rest, " "), rest += *rest == ' ';
    }
    return 1;
}

/* Non-zero when two ISO dates, either partial ("2014", "2014-11"), agree
 * on every part both give. */
static int dates_agree(const char *a, const char *b)
{
    size_t n = strlen(a) < strlen(b) ? strlen(a) : strlen(b);
    return strncmp(a, b, n) == 0;
}

static int same_words(const char *a, const char *b)
{
    char *fa = body_words(a), *fb = body_words(b);
    int same = fa && fb && *fa && strcmp(fa, fb) == 0;
    free(fa);
    free(fb);
    return same;
}

/* Non-zero when the dispatch's issuer (or the body above it) is named
 * with its place: a province's, district's or commune's body. */
static int is_local(const tc_doc_t *doc)
{
    char *place = body_words(doc->place), *issuer = tc_strdup_printf("%s %s", doc->issuer ? doc->issuer : "",
                                                                     doc->issuer_parent ? doc->issuer_parent : "");
    char *words = issuer ? body_words(issuer) : NULL;
    int local = place && words && *place && all_words_in(place, words);
    free(place);
    free(issuer);
    free(words);
    return local;
}

/* The kind of body the words open with ("Bộ", "Ủy ban nhân dân", "Sở"),
 * or NULL. */
static const char *body_kind(const char *words)
{
    size_t n = 0;
    return words ? tc_org_word_match(words, &n) : NULL;
}

/* Whether `cited`, which carries the number of reference `ref` of
 * `citing`, is the dispatch the reference names (see tc_doc_page_t); -1
 * when memory ran out. */
static int reference_fits(const tc_reference_t *ref, const tc_doc_t *citing, const tc_doc_t *cited)
{
    if (ref->date && cited->date && !dates_agree(ref->date, cited->date))
        return 0;
    char *whole = tc_strdup_printf("%s %s %s", cited->issuer ? cited->issuer : "",
                                   cited->issuer_parent ? cited->issuer_parent : "", cited->place ? cited->place : "");
    char *named = body_words(ref->issuer), *has = whole ? body_words(whole) : NULL;
    free(whole);
    int fits = -1;
    if (named && has) {
        fits = all_words_in(named, has);
        /* No province named, by a local body about a local body: the
         * citing dispatch's own province (a body named with its place: a
         * ministry's dispatches carry "Hà Nội, ngày ..." but belong to no
         * province, and may cite any). */
        if (fits && !names_province(named) && cited->place && citing->place && is_local(cited) && is_local(citing))
            fits = same_words(cited->place, citing->place);
        /* "của Bộ", "của UBND tỉnh": the body of that kind the citing
         * dispatch belongs to, when it names one. */
        if (fits && *named && is_bare_body(named)) {
            const char *own[] = { citing->issuer, citing->issuer_parent };
            for (size_t i = 0; i < 2; i++) {
                char *words = body_words(own[i]);
                int same_kind = words && *words && body_kind(words) == body_kind(named);
                free(words);
                if (same_kind) {
                    fits = same_words(own[i], cited->issuer);
                    break;
                }
            }
        }
    }
    free(named);
    free(has);
    return fits;
}

/* Oldest first, undated last, then by id. */
static int compare_by_date(const void *a, const void *b)
{
    const tc_doc_t *x = *(tc_doc_t *const *)a, *y = *(tc_doc_t *const *)b;
    if (!x->date != !y->date)
        return x->date ? -1 : 1;
    int by_date = x->date ? strcmp(x->date, y->date) : 0;
    return by_date ? by_date : strcmp(x->id, y->id);
}

/* The records of the dispatches carrying `number` (a reference's number
 * and symbol, or a dispatch's own) with term prefix `prefix`, in date
 * order: the index's own order depends on how many threads built it. */
static tc_status_t dispatches_with(tc_doc_t ***out, size_t *n, tc_index_t *index, const char *prefix,
                                   const char *number, const char *symbol, size_t limit, tc_access_t level)
{
    *out = NULL;
    *n = 0;
    char *key = tc_number_key(number, symbol);
    tc_buf_t term = TC_BUF_INIT;
    tc_status_t status = TC_STATUS_SUCCESS;
    if (key && tc_term_append(&term, prefix, key) == 0)
        status = tc_search_term(out, n, index, term.data, limit, level);
    if (status == TC_STATUS_SUCCESS && *n > 1)
        qsort(*out, *n, sizeof **out, compare_by_date);
    free(key);
    tc_buf_free(&term);
    return status;
}

static void free_records(tc_doc_t **docs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        tc_doc_free(docs[i]);
    free(docs);
}

/* Fills page->reference_candidates and reference_ids. */
static tc_status_t resolve_references(tc_doc_page_t *page, tc_index_t *index, tc_access_t level)
{
    size_t n_refs = page->doc->n_references;
    if (!(page->reference_ids = calloc(n_refs + 1, sizeof *page->reference_ids)) ||
        !(page->reference_candidates = calloc(n_refs + 1, sizeof *page->reference_candidates)))
        return TC_STATUS_OUT_OF_MEMORY;
    for (size_t i = 0; i < n_refs; i++) {
        const tc_reference_t *ref = &page->doc->references[i];
        tc_doc_t **found = NULL;
        size_t n_found = 0;
        tc_status_t status = dispatches_with(&found, &n_found, index, TC_PREFIX_NUMBER, ref->number, NULL,
                                             MAX_SAME_NUMBER, level);
        for (size_t f = 0; f < n_found && status == TC_STATUS_SUCCESS; f++) {
            int fits = reference_fits(ref, page->doc, found[f]);
            if (fits < 0 || (fits && tc_strlist_push(&page->reference_candidates[i], found[f]->id,
                                                     strlen(found[f]->id)) < 0))
                status = TC_STATUS_OUT_OF_MEMORY;
        }
        free_records(found, n_found);
        if (status != TC_STATUS_SUCCESS)
            return status;
        if (page->reference_candidates[i].count == 1 &&
            !(page->reference_ids[i] = strdup(page->reference_candidates[i].items[0])))
            return TC_STATUS_OUT_OF_MEMORY;
    }
    return TC_STATUS_SUCCESS;
}

/* Fills page->cited_by: the dispatches with a reference that fits this one. */
static tc_status_t find_cited_by(tc_doc_page_t *page, tc_index_t *index, tc_access_t level)
{
    const tc_doc_t *doc = page->doc;
    char *own = tc_number_key(doc->number, doc->symbol);
    if (!own)
        return TC_STATUS_SUCCESS; /* no number (a draft's blank one): nothing cites it by number */
    tc_doc_t **citing = NULL;
    size_t n_citing = 0;
    tc_status_t status = dispatches_with(&citing, &n_citing, index, TC_PREFIX_CITES, doc->number, doc->symbol,
                                         MAX_SAME_NUMBER, level);
    if (status == TC_STATUS_SUCCESS && !(page->cited_by = calloc(n_citing + 1, sizeof *page->cited_by)))
        status = TC_STATUS_OUT_OF_MEMORY;
    for (size_t c = 0; c < n_citing && status == TC_STATUS_SUCCESS; c++) {
        int fits = 0;
        for (size_t r = 0; r < citing[c]->n_references && !fits; r++) {
            char *key = tc_number_key(citing[c]->references[r].number, NULL);
            if (key && strcmp(key, own) == 0)
                fits = reference_fits(&citing[c]->references[r], citing[c], doc);
            free(key);
        }
        if (fits < 0)
            status = TC_STATUS_OUT_OF_MEMORY;
        else if (fits && page->n_cited_by < MAX_CITED_BY) {
            page->cited_by[page->n_cited_by++] = citing[c];
            citing[c] = NULL;
        }
    }
    free(own);
    free_records(citing, n_citing);
    return status;
}

tc_status_t tc_doc_page_get(tc_doc_page_t **out, tc_index_t *index, const char *id, tc_access_t level)
{
    *out = NULL;
    if (!index || !id)
        return TC_STATUS_INVALID_ARGUMENT;
    if (!index->db)
        return tc_index_fail(index, TC_STATUS_NO_INDEX, "the index is not open");
    tc_buf_t term = TC_BUF_INIT;
    char *data = NULL;
    size_t len = 0;
    tc_status_t status = TC_STATUS_OUT_OF_MEMORY;
    tc_doc_page_t *page = calloc(1, sizeof *page);
    if (!page || tc_term_append(&term, TC_PREFIX_ID, id) < 0)
        goto done;
    /* A dispatch above the caller's level is not there for them: the same
     * answer as an id that no dispatch has. */
    size_t visible = 0;
    xw_query_t *seen = tc_access_restrict(xw_query_term(term.data, 1), level);
    status = seen ? xw_db_count(index->db, seen, 1, &visible, NULL) : TC_STATUS_OUT_OF_MEMORY;
    xw_query_free(seen);
    if (status == TC_STATUS_SUCCESS && visible)
        status = xw_db_data_by_term(index->db, term.data, &data, &len);
    if (status == TC_STATUS_OUT_OF_MEMORY)
        goto done;
    if (status != TC_STATUS_SUCCESS) {
        tc_index_fail(index, status, "%s", xw_db_error(index->db));
        goto done;
    }
    if (!data) {
        status = tc_index_fail(index, TC_STATUS_NOT_FOUND, "no dispatch with id \"%s\"", id);
        goto done;
    }
    const char *text = NULL;
    size_t text_len = 0;
    status = tc_doc_from_data(&page->doc, data, len, &text, &text_len);
    /* A packed record holds its text already. */
    if (status == TC_STATUS_SUCCESS && text != page->doc->text && !(page->doc->text = tc_strndup(text, text_len)))
        status = TC_STATUS_OUT_OF_MEMORY;
    if (status != TC_STATUS_SUCCESS) {
        tc_index_fail(index, status, "the stored record of %s is damaged; rebuild the index", id);
        goto done;
    }
    status = resolve_references(page, index, level);
    if (status == TC_STATUS_SUCCESS)
        status = find_cited_by(page, index, level);
done:
    if (status == TC_STATUS_OUT_OF_MEMORY)
        tc_index_fail(index, status, "out of memory");
    if (status == TC_STATUS_SUCCESS)
        *out = page;
    else
        tc_doc_page_free(page);
    free(data);
    tc_buf_free(&term);
    return status;
}

void tc_doc_page_free(tc_doc_page_t *page)
{
    if (!page)
        return;
    if (page->reference_ids && page->doc)
        for (size_t i = 0; i < page->doc->n_references; i++)
            free(page->reference_ids[i]);
    if (page->reference_candidates && page->doc)
        for (size_t i = 0; i < page->doc->n_references; i++)
            tc_strlist_clear(&page->reference_candidates[i]);
    free(page->reference_ids);
    free(page->reference_candidates);
    for (size_t i = 0; i < page->n_cited_by; i++)
        tc_doc_free(page->cited_by[i]);
    free(page->cited_by);
    tc_doc_free(page->doc);
    free(page);
}

typedef struct {
    tc_strlist_t *list;
    size_t max;
    int failed;
    tc_index_t *index;
    const char *kind; /* TC_SUGGEST_ISSUER or TC_SUGGEST_THEME */
    tc_access_t level;
} collect_t;

/* The dispatches a completion stands for: its issuer's (the value shown
 * is the issuer slot's, exactly), or those with its words in a row in
 * their themes, slogans or subject.  NULL when out of memory. */
static xw_query_t *completion_query(const char *kind, const char *value)
{
    if (strcmp(kind, TC_SUGGEST_ISSUER) == 0)
        return xw_query_value_range(TC_SLOT_ISSUER, value, value);
    tc_tokens_t toks = { 0 };
    if (tc_tokenize(&toks, value, strlen(value)) != TC_STATUS_SUCCESS) {
        tc_tokens_free(&toks);
        return NULL;
    }
    xw_query_t **words = calloc(toks.count + 1, sizeof *words);
    tc_buf_t term = TC_BUF_INIT;
    for (size_t i = 0; words && i < toks.count; i++) {
        tc_buf_reset(&term);
        words[i] = tc_term_append(&term, TC_PREFIX_THEME, TC_TOKEN_FOLDED(&toks, i)) < 0
                       ? NULL
                       : xw_query_term(term.data, 1);
    }
    xw_query_t *q = !words          ? NULL
                    : !toks.count   ? xw_query_match_nothing()
                    : toks.count == 1 ? words[0]
                                      : xw_query_combine(XW_OP_PHRASE, words, toks.count);
    free(words);
    tc_buf_free(&term);
    tc_tokens_free(&toks);
    return q;
}

static int collect_distinct(const char *value, void *arg)
{
    collect_t *c = arg;
    for (size_t i = 0; i < c->list->count; i++)
        if (strcmp(c->list->items[i], value) == 0)
            return 0;
    /* A completion only dispatches above the caller's level have is not
     * offered: it would tell that they exist. */
    size_t visible = 0;
    xw_query_t *q = tc_access_restrict(completion_query(c->kind, value), c->level);
    tc_status_t status = q ? xw_db_count(c->index->db, q, 1, &visible, NULL) : TC_STATUS_OUT_OF_MEMORY;
    xw_query_free(q);
    if (status != TC_STATUS_SUCCESS) {
        c->failed = 1;
        return 1;
    }
    if (!visible)
        return 0;
    if (tc_strlist_push(c->list, value, strlen(value)) < 0) {
        c->failed = 1;
        return 1;
    }
    return c->list->count >= c->max;
}

tc_status_t tc_suggest(tc_suggestions_t *out, tc_index_t *index, const char *typed, size_t max_each,
                       tc_access_t level)
{
    memset(out, 0, sizeof *out);
    if (!index || !typed)
        return TC_STATUS_INVALID_ARGUMENT;
    if (!index->db)
        return tc_index_fail(index, TC_STATUS_NO_INDEX, "the index is not open");
    char *words = tc_fold_words(typed);
    if (!words)
        return tc_index_fail(index, TC_STATUS_OUT_OF_MEMORY, "out of memory");
    if (!*words || max_each == 0) {
        free(words);
        return TC_STATUS_SUCCESS;
    }
    /* What is typed last may be half a word: a key prefix finds both. */
    struct {
        const char *kind;
        tc_strlist_t *list;
    } kinds[] = { { TC_SUGGEST_ISSUER, &out->issuers }, { TC_SUGGEST_THEME, &out->themes } };
    tc_status_t status = TC_STATUS_SUCCESS;
    tc_buf_t prefix = TC_BUF_INIT;
    for (size_t k = 0; k < 2 && status == TC_STATUS_SUCCESS; k++) {
        collect_t c = { kinds[k].list, max_each, 0, index, kinds[k].kind, level };
        tc_buf_reset(&prefix);
        if (tc_buf_puts(&prefix, kinds[k].kind) < 0 || tc_buf_puts(&prefix, words) < 0) {
            status = tc_index_fail(index, TC_STATUS_OUT_OF_MEMORY, "out of memory");
            break;
        }
        status = xw_db_metadata_scan(index->db, prefix.data, collect_distinct, &c);
        if (status != TC_STATUS_SUCCESS)
            tc_index_fail(index, status, "%s", xw_db_error(index->db));
        else if (c.failed)
            status = tc_index_fail(index, TC_STATUS_XAPIAN, "completions: %s", *xw_db_error(index->db) ? xw_db_error(index->db) : "out of memory");
    }
    tc_buf_free(&prefix);
    free(words);
    if (status != TC_STATUS_SUCCESS)
        tc_suggestions_clear(out);
    return status;
}

void tc_suggestions_clear(tc_suggestions_t *suggestions)
{
    if (!suggestions)
        return;
    tc_strlist_clear(&suggestions->issuers);
    tc_strlist_clear(&suggestions->themes);
}
