/* A short excerpt of a dispatch's own (accented) text around the words a
 * query matched, with the matches marked as byte spans. */
#ifndef TC_SNIPPET_H
#define TC_SNIPPET_H

#include "base/buf.h"

/* folded_terms: the query's folded words.  Picks the window of about
 * max_bytes holding the most distinct query words; with no terms, the
 * beginning of the body.  "…" marks a cut at either end. */
tc_status_t tc_snippet(char **out, tc_span_t **spans, size_t *n_spans, const char *text, size_t len,
                       const tc_strlist_t *folded_terms, size_t max_bytes);

#endif
