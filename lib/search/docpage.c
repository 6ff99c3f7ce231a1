/* One dispatch with its links inside the archive, and completions. */
#include <stdlib.h>
#include <string.h>

#include "index/index.h"
#include "index/records.h"
#include "index/schema.h"
#include "text/tokenize.h"

#define MAX_CITED_BY 100

tc_status_t tc_doc_page_get(tc_doc_page_t **out, tc_index_t *index, const char *id)
{
    *out = NULL;
    if (!index || !id)
        return TC_STATUS_INVALID_ARGUMENT;
    if (!index->db)
        return tc_index_fail(index, TC_STATUS_NO_INDEX, "the index is not open");
    tc_buf_t term = TC_BUF_INIT;
    char *data = NULL, *key = NULL;
    size_t len = 0;
    tc_status_t status = TC_STATUS_OUT_OF_MEMORY;
    tc_doc_page_t *page = calloc(1, sizeof *page);
    if (!page || tc_term_append(&term, TC_PREFIX_ID, id) < 0)
        goto done;
    status = xw_db_data_by_term(index->db, term.data, &data, &len);
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

    /* Each cited number that a dispatch of the archive carries. */
    size_t n_refs = page->doc->n_references;
    status = TC_STATUS_OUT_OF_MEMORY;
    if (!(page->reference_ids = calloc(n_refs + 1, sizeof *page->reference_ids)))
        goto done;
    for (size_t i = 0; i < n_refs; i++) {
        char *ref_key = tc_number_key(page->doc->references[i].number, NULL);
        tc_doc_t **found = NULL;
        size_t n_found = 0;
        status = TC_STATUS_SUCCESS;
        if (ref_key && tc_term_append(&term, TC_PREFIX_NUMBER, ref_key) == 0)
            status = tc_search_term(&found, &n_found, index, term.data, 1);
        free(ref_key);
        if (status != TC_STATUS_SUCCESS)
            goto done;
        if (n_found) {
            page->reference_ids[i] = found[0]->id;
            found[0]->id = NULL;
            tc_doc_free(found[0]);
        }
        free(found);
    }

    status = TC_STATUS_SUCCESS;
    key = tc_number_key(page->doc->number, page->doc->symbol);
    if (key && tc_term_append(&term, TC_PREFIX_CITES, key) == 0)
        status = tc_search_term(&page->cited_by, &page->n_cited_by, index, term.data, MAX_CITED_BY);
done:
    if (status == TC_STATUS_OUT_OF_MEMORY)
        tc_index_fail(index, status, "out of memory");
    if (status == TC_STATUS_SUCCESS)
        *out = page;
    else
        tc_doc_page_free(page);
    free(key);
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
    free(page->reference_ids);
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
} collect_t;

static int collect_distinct(const char *value, void *arg)
{
    collect_t *c = arg;
    for (size_t i = 0; i < c->list->count; i++)
        if (strcmp(c->list->items[i], value) == 0)
            return 0;
    if (tc_strlist_push(c->list, value, strlen(value)) < 0) {
        c->failed = 1;
        return 1;
    }
    return c->list->count >= c->max;
}

tc_status_t tc_suggest(tc_suggestions_t *out, tc_index_t *index, const char *typed, size_t max_each)
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
        collect_t c = { kinds[k].list, max_each, 0 };
        tc_buf_reset(&prefix);
        if (tc_buf_puts(&prefix, kinds[k].kind) < 0 || tc_buf_puts(&prefix, words) < 0) {
            status = tc_index_fail(index, TC_STATUS_OUT_OF_MEMORY, "out of memory");
            break;
        }
        status = xw_db_metadata_scan(index->db, prefix.data, collect_distinct, &c);
        if (status != TC_STATUS_SUCCESS)
            tc_index_fail(index, status, "%s", xw_db_error(index->db));
        else if (c.failed)
            status = tc_index_fail(index, TC_STATUS_OUT_OF_MEMORY, "out of memory");
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
