#include "index/forms.h"

#include <stdlib.h>
#include <string.h>

tc_forms_t *tc_forms_new(const char *text)
{
    tc_forms_t *forms = calloc(1, sizeof *forms);
    if (!forms || !(forms->text = strdup(text)) || !(forms->strings = strdup(text))) {
        tc_forms_free(forms);
        return NULL;
    }
    size_t lines = 0;
    for (const char *s = text; *s; s++)
        lines += *s == '\n';
    if (lines && !(forms->usual = malloc(lines * sizeof *forms->usual))) {
        tc_forms_free(forms);
        return NULL;
    }
    for (char *line = forms->strings; *line;) {
        char *tab = strchr(line, '\t'), *end = strchr(line, '\n');
        long number = -1;
        if (!tab || !end || tab > end || tab == line || end == tab + 1) {
            tc_forms_free(forms);
            return NULL;
        }
        *tab = *end = '\0';
        if ((number = tc_strset_add(&forms->folded, line)) < 0) {
            tc_forms_free(forms);
            return NULL;
        }
        forms->usual[number] = tab + 1;
        line = end + 1;
    }
    return forms;
}

void tc_forms_free(tc_forms_t *forms)
{
    if (!forms)
        return;
    tc_strset_free(&forms->folded);
    free(forms->usual);
    free(forms->strings);
    free(forms->text);
    free(forms);
}

void tc_forms_sample_next_doc(tc_forms_sample_t *sample)
{
    sample->n_docs++;
}

/* Counts the current document for key (copied when new). */
static void count_key(tc_forms_sample_t *sample, const char *key)
{
    long number = tc_strset_find(&sample->keys, key);
    if (number < 0) {
        char *copy = strdup(key);
        if (!copy || (number = tc_strset_add(&sample->keys, copy)) < 0) {
            free(copy);
            sample->failed = 1;
            return;
        }
        if ((size_t)number >= sample->cap) {
            size_t cap = sample->cap ? sample->cap * 2 : 1024;
            size_t *docs = realloc(sample->docs, cap * sizeof *docs);
            if (docs)
                sample->docs = docs;
            size_t *last = docs ? realloc(sample->last_doc, cap * sizeof *last) : NULL;
            if (!last) {
                sample->failed = 1;
                return;
            }
            sample->last_doc = last;
            sample->cap = cap;
        }
        sample->docs[number] = 0;
        sample->last_doc[number] = 0;
    }
    if (sample->last_doc[number] != sample->n_docs) {
        sample->last_doc[number] = sample->n_docs;
        sample->docs[number]++;
    }
}

void tc_forms_sample_add(tc_forms_sample_t *sample, const tc_tokens_t *toks)
{
    for (size_t i = 0; i < toks->count && !sample->failed; i++) {
        const char *folded = TC_TOKEN_FOLDED(toks, i);
        count_key(sample, folded);
        if (!toks->tokens[i].accented)
            continue;
        tc_buf_reset(&sample->key);
        if (tc_buf_puts(&sample->key, folded) < 0 || tc_buf_putc(&sample->key, '\t') < 0 ||
            tc_buf_puts(&sample->key, TC_TOKEN_EXACT(toks, i)) < 0)
            sample->failed = 1;
        else
            count_key(sample, sample->key.data);
    }
}

char *tc_forms_sample_choose(const tc_forms_sample_t *sample)
{
    if (sample->failed)
        return NULL;
    tc_buf_t text = TC_BUF_INIT;
    if (tc_buf_append(&text, "", 0) < 0)
        return NULL;
    tc_buf_t folded = TC_BUF_INIT;
    for (size_t n = 0; n < sample->keys.count; n++) {
        const char *key = sample->keys.keys[n], *tab = strchr(key, '\t');
        if (!tab || sample->docs[n] < TC_FORMS_MIN_DOCS)
            continue;
        tc_buf_reset(&folded);
        if (tc_buf_append(&folded, key, (size_t)(tab - key)) < 0) {
            tc_buf_free(&text);
            break;
        }
        long word = tc_strset_find(&sample->keys, folded.data);
        /* More than half: at most one form of a word is usual. */
        if (word >= 0 && sample->docs[n] * 2 > sample->docs[word] &&
            (tc_buf_puts(&text, key) < 0 || tc_buf_putc(&text, '\n') < 0)) {
            tc_buf_free(&text);
            break;
        }
    }
    tc_buf_free(&folded);
    return text.data ? tc_buf_steal(&text) : NULL;
}

void tc_forms_sample_free(tc_forms_sample_t *sample)
{
    for (size_t n = 0; n < sample->keys.count; n++)
        free((char *)sample->keys.keys[n]);
    tc_strset_free(&sample->keys);
    free(sample->docs);
    free(sample->last_doc);
    tc_buf_free(&sample->key);
    memset(sample, 0, sizeof *sample);
}
