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
/* The same record deflated with a preset dictionary (zlib's): a zero
 * byte, the length of the plain record (4 bytes, little-endian), then the
 * zlib stream, whose header names the dictionary by its Adler-32.  Stored
 * records are small and alike, so a dictionary of samples of them more
 * than halves them.  NULL when memory ran out or dict is unusable. */
char *tc_doc_to_data_packed(const tc_doc_t *doc, const char *dict, size_t dict_len, size_t *len);
/* Makes records packed with dict readable in this process (a reader
 * registers the dictionary its index stores); 0, or -1 when memory ran
 * out.  Registering one already known is cheap. */
int tc_data_dict_register(const char *dict, size_t dict_len);
/* Samples of records for a dictionary: appends record's beginning and end
 * (where the boilerplate is) to dict, at most max bytes in all. */
int tc_data_dict_sample(tc_buf_t *dict, const char *record, size_t len, size_t max);

/* The reverse of both; *text and *text_len (when non-NULL) point into
 * data, or for a packed record into (*out)->text, which holds its text. */
tc_status_t tc_doc_from_data(tc_doc_t **out, const char *data, size_t len, const char **text, size_t *text_len);

#endif
