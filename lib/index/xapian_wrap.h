/* A C interface over Xapian: the only door between lib/ and C++.
 *
 * Opaque handles; no C++ type and no exception crosses it.  Every function
 * that can fail returns tc_status_t; functions on a database keep the
 * failure's description on the handle (xw_db_error).  Query constructors
 * return NULL when memory runs out and take ownership of their
 * sub-queries, so a NULL anywhere in a tree comes out as NULL at the top. */
#ifndef TC_XAPIAN_WRAP_H
#define TC_XAPIAN_WRAP_H

#include <stddef.h>

#include "tracuu.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct xw_db xw_db_t;
typedef struct xw_doc xw_doc_t;
typedef struct xw_query xw_query_t;

/* On failure *out is still set (when memory allowed) so that the caller
 * can read xw_db_error(); close it all the same. */
tc_status_t xw_db_open(xw_db_t **out, const char *path, int writable);
void xw_db_close(xw_db_t *db);
const char *xw_db_error(const xw_db_t *db);

/* Moves a reader to the newest committed revision; *changed (may be NULL)
 * says whether there was a newer one. */
tc_status_t xw_db_reopen(xw_db_t *db, int *changed);
tc_status_t xw_db_revision(xw_db_t *db, unsigned long *out);

/* User metadata: key/value strings stored beside the documents. */
tc_status_t xw_db_set_metadata(xw_db_t *db, const char *key, const char *value);
/* The value of key (malloc'd; "" when unset). */
tc_status_t xw_db_get_metadata(xw_db_t *db, const char *key, char **out);
/* The same for values that may hold any byte, zero included: *out
 * (malloc'd, *len bytes and a terminating zero; "" when unset). */
tc_status_t xw_db_set_metadata_bytes(xw_db_t *db, const char *key, const char *value, size_t len);
tc_status_t xw_db_get_metadata_bytes(xw_db_t *db, const char *key, char **out, size_t *len);
/* Calls fn with the value of every key starting with prefix, in key
 * order, until fn returns non-zero. */
tc_status_t xw_db_metadata_scan(xw_db_t *db, const char *prefix, int (*fn)(const char *value, void *arg),
                                void *arg);

/* The value in slot of the document indexed by unique_term (malloc'd into
 * *out), or *out NULL when there is no such document. */
tc_status_t xw_db_value_by_term(xw_db_t *db, const char *unique_term, unsigned slot, char **out);
/* Deletes every document holding term for which keep(value in slot) is 0;
 * *removed counts them. */
tc_status_t xw_db_delete_unless(xw_db_t *db, const char *term, unsigned slot,
                                int (*keep)(const char *value, void *arg), void *arg, size_t *removed);
/* How many documents xw_db_delete_unless would delete (a reader will do). */
tc_status_t xw_db_count_unless(xw_db_t *db, const char *term, unsigned slot,
                               int (*keep)(const char *value, void *arg), void *arg, size_t *count);
/* *has: whether any term starts with prefix. */
tc_status_t xw_db_has_term_prefix(xw_db_t *db, const char *prefix, int *has);

tc_status_t xw_db_replace(xw_db_t *db, const char *unique_term, const xw_doc_t *doc);
/* Adds without looking for an earlier version: for a database being built. */
tc_status_t xw_db_add(xw_db_t *db, const xw_doc_t *doc);
/* Writes a compacted copy of the n databases at from, merged, to a new one
 * at to, in blocks of block_size bytes (a power of two from 2048 to 65536);
 * *message (malloc'd) says why not.  Documents are renumbered in the order
 * of from (one database keeps its numbers), and user metadata keeps the
 * value of the last database holding a key (as if they had been written
 * in that order). */
tc_status_t xw_compact_many(const char *const *from, size_t n, const char *to, unsigned block_size, char **message);
tc_status_t xw_db_commit(xw_db_t *db);
/* How many dispatches: the blank document each database holds is left out. */
tc_status_t xw_db_doc_count(xw_db_t *db, size_t *out);
/* How many documents match query: exactly when fewer than at_least (0:
 * every one counted), else Xapian's estimate after at_least of them, and
 * *exact (may be NULL) says which.  at_least 1 asks only whether any does. */
tc_status_t xw_db_count(xw_db_t *db, const xw_query_t *query, size_t at_least, size_t *out, int *exact);
/* How many documents hold term (pending changes included for a writer). */
tc_status_t xw_db_term_count(xw_db_t *db, const char *term, size_t *out);
/* The data of the document indexed by unique_term into *out (malloc'd);
 * TC_STATUS_SUCCESS with *out NULL when there is no such document. */
tc_status_t xw_db_data_by_term(xw_db_t *db, const char *unique_term, char **out, size_t *out_len);

xw_doc_t *xw_doc_new(void);
void xw_doc_free(xw_doc_t *doc);
/* Each returns 0, or -1 when the term was refused or memory ran out. */
int xw_doc_add_posting(xw_doc_t *doc, const char *term, unsigned position);
int xw_doc_add_term(xw_doc_t *doc, const char *term, unsigned wdf_increment);
int xw_doc_add_boolean_term(xw_doc_t *doc, const char *term);
int xw_doc_set_value(xw_doc_t *doc, unsigned slot, const char *value);
int xw_doc_set_data(xw_doc_t *doc, const char *data, size_t len);

typedef enum {
    XW_OP_AND,
    XW_OP_OR,
    XW_OP_AND_NOT,   /* the first, without any of the others */
    XW_OP_AND_MAYBE, /* the first, weighted up by any of the others */
    XW_OP_FILTER,    /* the first, restricted to the others, which add no weight */
    XW_OP_PHRASE,    /* the sub-queries in order, adjacent */
} xw_op_t;

xw_query_t *xw_query_term(const char *term, unsigned wqf);
xw_query_t *xw_query_match_all(void);
xw_query_t *xw_query_match_nothing(void);
/* The documents whose value in slot lies in [low, high], as strings. */
xw_query_t *xw_query_value_range(unsigned slot, const char *low, const char *high);
/* Every term that starts with prefix (Xapian's wildcard), unweighted. */
xw_query_t *xw_query_prefix(const char *prefix);
/* The documents of query, each weighing exactly weight (Xapian's
 * FixedWeightPostingSource, which remote shards know too). */
xw_query_t *xw_query_fixed_weight(xw_query_t *query, double weight);
xw_query_t *xw_query_combine(xw_op_t op, xw_query_t **subs, size_t n);
xw_query_t *xw_query_scale(xw_query_t *query, double factor);
/* A second handle on the same query (NULL stays NULL). */
xw_query_t *xw_query_copy(const xw_query_t *query);
/* Xapian's description of query (malloc'd); NULL when out of memory. */
char *xw_query_describe(const xw_query_t *query);
void xw_query_free(xw_query_t *query);

typedef struct {
    double score;
    char *data;
    size_t data_len;
    /* With a collapse slot, the match's value in it ("" when none); other
     * matches with that value were left out.  How many is not given:
     * Xapian's count of them is only a lower bound (0 for those it skipped
     * as unable to outrank the one kept). */
    char *collapse_value;
} xw_match_t;

typedef struct {
    char *value;
    size_t count;
} xw_count_t;

typedef struct {
    xw_count_t *counts; /* the most frequent values, by count descending, then value */
    size_t n;
    size_t distinct; /* values counted in all */
} xw_counts_t;

typedef struct {
    size_t total; /* exact, unless partial or !total_exact */
    /* 0 when the count stopped at xw_search_t's count_bound: total is then
     * an estimate, the facet counts too, and the number of matching
     * documents lies from total_lower to total_upper.  Exact totals have
     * the three equal. */
    int total_exact;
    size_t total_lower, total_upper;
    int facets_exact; /* 0: the facet counts are estimated from a sample (also when the total is exact) */
    /* The time limit stopped a pass: the matches, the total and the
     * facets come from the documents looked at before it. */
    int partial;
    xw_match_t *matches;
    size_t n_matches;
    xw_counts_t *facets; /* one per requested slot */
    size_t n_facets;
} xw_mset_t;

typedef struct {
    size_t offset, limit;
    int sort_slot;     /* < 0: by relevance; else by this value, then relevance */
    int sort_ascending; /* by sort_slot's value ascending (else descending); either way the
                           documents without one come last */
    int collapse_slot; /* >= 0: one match per distinct non-empty value of this slot */
    const unsigned *facet_slots;
    size_t n_facets;
    size_t facet_values; /* values kept per facet, the most frequent */
    /* When set, the total and the facets come from this query instead,
     * matched without weights: the same documents, fewer things to
     * compute (no boosts). */
    const xw_query_t *count_query;
    /* When set (and sorting by relevance), the best rescore_window
     * matches are weighted up by this query, which is tried on them
     * alone: positional boosts cost a position check per document, too
     * much to run over every match.  A document is named to it by its
     * unique term, unique_prefix + its value in unique_slot. */
    const xw_query_t *rescore_query;
    size_t rescore_window;
    unsigned unique_slot;
    const char *unique_prefix;
    /* Threads counting a count_query's matches, the caller's included:
     * above 1, helpers with handles of their own count slices of the
     * documents while the caller ranks (a local database of one shard). */
    unsigned count_threads;
    /* With a count_query: 0 counts every match; else past this many
     * matches the total and the facets are estimated from a sample of
     * about as many, taken evenly over the database (xw_mset_t's
     * total_exact), on the caller's thread. */
    size_t count_bound;
    /* Seconds the ranked and counting passes of a query checking word
     * positions may look at documents; 0: no limit.  Past it they stop
     * (see xw_mset_t's partial).  Not for remote shards. */
    double time_limit;
} xw_search_t;

/* Runs query.  Counts the values of each facet slot over every match
 * (exactly), or over a sample past count_bound. */
tc_status_t xw_db_search(xw_mset_t **out, xw_db_t *db, const xw_query_t *query, const xw_search_t *how);
/* How many searches on this handle had their count split between threads. */
unsigned long xw_db_split_searches(const xw_db_t *db);
void xw_mset_free(xw_mset_t *mset);

#ifdef __cplusplus
}
#endif

#endif
