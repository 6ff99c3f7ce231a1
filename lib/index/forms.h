/* Usual forms.  Most words of an archive are written one way: "chuc" is
 * "chức" in nearly every dispatch that has it.  Such a form needs no exact
 * term (XE) of its own; a document instead gets a marker (XU + folded word)
 * when it has the folded word only in other forms, so that "has chức" is
 * "chuc AND NOT XUchuc", exactly as before, while most exact terms are
 * never written (at 100k generated dispatches: 5.4M exact postings and
 * 1.9M markers instead of 20.5M exact postings).
 *
 * The table is chosen from a sample of the documents of a new index, kept
 * in its metadata (every shard holds it) and kept by rebuilds, as the
 * record dictionary is: documents indexed at any time agree with it.  A
 * table that fits an archive badly costs markers, never answers. */
#ifndef TC_FORMS_H
#define TC_FORMS_H

#include <stddef.h>

#include "base/strset.h"
#include "text/tokenize.h"

typedef struct {
    char *text;         /* as stored: "folded\tusual\n" lines */
    char *strings;      /* the same with separators made NULs */
    tc_strset_t folded; /* folded word -> number */
    const char **usual; /* by number */
} tc_forms_t;

/* Reads a table as stored; NULL when out of memory or text is malformed. */
tc_forms_t *tc_forms_new(const char *text);
void tc_forms_free(tc_forms_t *forms);
/* The number of folded's usual form, or -1 when it has none. */
static inline long tc_forms_find(const tc_forms_t *forms, const char *folded)
{
    return forms ? tc_strset_find(&forms->folded, folded) : -1;
}

/* Choosing a table: documents are added one at a time, each as one or
 * more token lists. */
typedef struct {
    tc_strset_t keys;    /* folded words, and "folded\texact" pairs */
    size_t *docs;        /* by key number: documents holding it */
    size_t *last_doc;    /* by key number: the last document counted */
    size_t cap, n_docs;
    tc_buf_t key;
    int failed;
} tc_forms_sample_t;

void tc_forms_sample_next_doc(tc_forms_sample_t *sample);
void tc_forms_sample_add(tc_forms_sample_t *sample, const tc_tokens_t *toks);
/* The table the sample suggests, as stored (malloc'd, possibly ""); NULL
 * when out of memory.  A form is usual when more than half the sampled
 * documents holding its folded word hold it, and at least
 * TC_FORMS_MIN_DOCS do. */
#define TC_FORMS_MIN_DOCS 3
char *tc_forms_sample_choose(const tc_forms_sample_t *sample);
void tc_forms_sample_free(tc_forms_sample_t *sample);

#endif
