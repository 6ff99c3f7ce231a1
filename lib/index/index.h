/* The index handle, shared by index.c and search.c only. */
#ifndef TC_INDEX_H
#define TC_INDEX_H

#include "base/buf.h"
#include "index/forms.h"
#include "index/records.h"
#include "tracuu.h"
#include "index/xapian_wrap.h"

#include <sys/types.h>

struct tc_index {
    xw_db_t *db;
    tc_index_mode_t mode;
    char *path;
    dev_t dev; /* identity of the folder opened, to notice it being replaced */
    ino_t ino;
    char *error; /* last failure, "" when none */
    char *dict;  /* TC_DICT_KEY (dict_len bytes, any of them zero), or NULL: records are stored plain */
    size_t dict_len;
    tc_data_dict_t *packer; /* dict ready to pack with, for a writer */
    tc_forms_t *forms; /* TC_FORMS_KEY, or NULL: every marked form has an exact term */
    unsigned search_threads; /* tc_index_set_search_threads */
};

/* On disk, an index is a folder holding generations of a Xapian database
 * (gen-1, gen-2, ...) and a stub file naming the live one, which Xapian
 * opens when it opens the folder.  A rebuild fills a new generation and
 * renames a new stub into place: readers move over atomically. */
#define TC_LAYOUT_STUB "XAPIANDB"
#define TC_LAYOUT_GENERATION "gen-%u"
#define TC_LAYOUT_LOCK "indexer.lock"

/* Opens path itself as the database when plain (a generation being
 * built), else as an index folder (created in the layout when new). */
tc_status_t tc_index_open_plain(tc_index_t **out, const char *path, tc_index_mode_t mode, int plain);
/* The live generation named by dir's stub; 0 when there is no stub. */
unsigned tc_layout_generation(const char *dir);
/* How many shards the stub lists (0 when there is no stub).  A sharded
 * generation holds gen-N/shard-0, gen-N/shard-1, ...; a stub listing
 * several databases is opened by Xapian as one. */
unsigned tc_layout_shards(const char *dir);
#define TC_LAYOUT_SHARD "shard-%u"
/* Atomically points dir's stub at a generation of `shards` shards (1: the
 * generation folder is the database); 0 or -1 (errno). */
int tc_layout_write_stub(const char *dir, unsigned generation, unsigned shards);

/* The one filter of what a caller at level may see: the documents whose
 * access term (TC_PREFIX_ACCESS) is that level's or one below.  A query,
 * not a match decider, so that it runs on every shard, remote ones
 * (xapian-tcpsrv) too.  NULL when out of memory. */
xw_query_t *tc_access_query(tc_access_t level);
/* query restricted to what level may see (takes query; NULL stays NULL). */
xw_query_t *tc_access_restrict(xw_query_t *query, tc_access_t level);

/* tc_index_add, also recording where the file came from: source is its
 * "size mtime" signature, folder the key of the folder it was found in
 * (NULL for a file named directly). */
tc_status_t tc_index_add_from(tc_index_t *index, const tc_doc_t *doc, const char *source, const char *folder);

/* Indexing in two steps, so that the costly one runs on many threads:
 * preparing turns a record into a Xapian document (no index needed, any
 * thread); writing puts it into the index (the index's one thread).  doc
 * must live until the prepared document is written. */
typedef struct tc_prepared tc_prepared_t;
/* The document follows model's record dictionary and usual forms, where
 * it has them (model may be NULL: records plain, every form exact). */
tc_status_t tc_index_prepare(tc_prepared_t **out, const tc_doc_t *doc, const char *source, const char *folder,
                             const tc_index_t *model, char **message);
/* Stores dict in the index's metadata and packs the records prepared with
 * this index as model from then on. */
tc_status_t tc_index_set_dict(tc_index_t *index, const char *dict, size_t dict_len);
/* Stores the table of usual forms (forms.h) in the index's metadata and
 * indexes the documents prepared with this index as model by it. */
tc_status_t tc_index_set_forms(tc_index_t *index, const char *text);
/* Adds the words a document is searched by (what the table is about) to a
 * sample, as one document. */
tc_status_t tc_index_sample_forms(tc_forms_sample_t *sample, const tc_doc_t *doc);
/* Writes the document into index and its completions into meta (the
 * first shard, where readers of a sharded index look for them). */
tc_status_t tc_index_write(tc_index_t *index, tc_index_t *meta, const tc_prepared_t *prepared);
/* The same into an index being built from nothing: no earlier version is
 * looked for. */
tc_status_t tc_index_write_new(tc_index_t *index, tc_index_t *meta, const tc_prepared_t *prepared);
/* The same into one part of an index built by several writers at once,
 * without looking for copies (no part sees the others): the caller
 * watches tc_prepared_copies_term() and marks copies itself. */
tc_status_t tc_index_write_part(tc_index_t *index, tc_index_t *meta, const tc_prepared_t *prepared);
/* The term copies of this dispatch share, or NULL when it has none. */
const char *tc_prepared_copies_term(const tc_prepared_t *prepared);
void tc_prepared_free(tc_prepared_t *prepared);

/* Copies of one dispatch cost a collapse in every search; an index says
 * whether it holds any (set once a second copy is written, never unset). */
tc_status_t tc_index_mark_copies(tc_index_t *meta);
int tc_index_has_copies(tc_index_t *index);

/* Records a failure on the handle; returns status for tail calls. */
tc_status_t tc_index_fail(tc_index_t *index, tc_status_t status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Appends to out the prefixed term for one folded string ("XI" + "lai"). */
int tc_term_append(tc_buf_t *out, const char *prefix, const char *folded);

/* The records of the dispatches holding `term` that level may see,
 * without their text: the oldest `limit` of them (undated ones first), so
 * that which are kept does not depend on the order the index holds them. */
tc_status_t tc_search_term(tc_doc_t ***out, size_t *n_out, tc_index_t *index, const char *term, size_t limit,
                           tc_access_t level);
/* The Xapian queries tc_search would run for query (ranked, counted and
 * rescoring, one a line), described by Xapian: what a search costs follows
 * from what it is built of.  malloc'd into *out. */
tc_status_t tc_search_describe(char **out, tc_index_t *index, const tc_query_t *query);

/* The key of a dispatch number ("1471/UBND-KGVX" -> "1471 ubnd kgvx"),
 * malloc'd; the same for a dispatch's own number and a cited one. */
char *tc_number_key(const char *number, const char *symbol);

#endif
