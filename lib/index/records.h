/* Records as the index stores them (the document data of each dispatch). */
#ifndef TC_INDEX_RECORDS_H
#define TC_INDEX_RECORDS_H

#include <stddef.h>

#include "base/buf.h"
#include "tracuu.h"

/* A record as the index stores it: its JSON without the text, a newline
 * (never inside compact JSON), then the text as it is, so that reading a
 * hit does not unescape a whole dispatch.  malloc'd. */
char *tc_doc_to_data(const tc_doc_t *doc, size_t *len);
/* A dictionary made ready to pack records with, shared by every thread
 * that packs (zstd's CDict: read-only once made). */
typedef struct tc_data_dict tc_data_dict_t;
/* Trains a record dictionary into dict (emptied first) of at most max
 * bytes, on n samples (records, sizes[i] bytes each, one after the other
 * in samples); 0, or -1 when there is nothing to train on or memory ran
 * out.  A dictionary in zstd's format, whose id (a hash of its content)
 * the records packed with it carry. */
int tc_data_dict_train(tc_buf_t *dict, const char *samples, const size_t *sizes, unsigned n, size_t max);
/* dict (one tc_data_dict_train made) ready to pack with; NULL when it is
 * not such a dictionary or memory ran out.  The caller frees it with
 * tc_data_dict_free (NULL is harmless). */
tc_data_dict_t *tc_data_dict_new(const char *dict, size_t dict_len);
void tc_data_dict_free(tc_data_dict_t *dict);
/* The same record packed with dict (zstd, level 3): a zero byte, the
 * length of the plain record (4 bytes, little-endian), then the zstd
 * frame, whose header names the dictionary by its id and which ends with
 * a checksum of the record.  Stored records are
 * small and alike, so a dictionary trained on them packs them to about a
 * ninth.  The plain record when dict is NULL; NULL when memory ran out. */
char *tc_doc_to_data_packed(const tc_doc_t *doc, const tc_data_dict_t *dict, size_t *len);
/* Makes records packed with dict readable in this process (a reader
 * registers the dictionary its index stores); 0, or -1 when it is not a
 * dictionary tc_data_dict_train made or memory ran out.  Registering one
 * already known is cheap. */
int tc_data_dict_register(const char *dict, size_t dict_len);

/* The reverse of both; *text and *text_len (when non-NULL) point into
 * data, or for a packed record into (*out)->text, which holds its text. */
tc_status_t tc_doc_from_data(tc_doc_t **out, const char *data, size_t len, const char **text, size_t *text_len);

#endif
