/* JSON form of records, shared by the serializer and the index (which
 * stores each record as its JSON document data). */
#ifndef TC_RENDER_H
#define TC_RENDER_H

#include <jansson.h>

#include "tracuu.h"

json_t *tc_doc_json(const tc_doc_t *doc, int include_text);
tc_status_t tc_doc_from_json(tc_doc_t **out, const char *json, size_t len);

/* A record as the index stores it: its JSON without the text, a newline
 * (never inside compact JSON), then the text as it is, so that reading a
 * hit does not unescape a whole dispatch.  malloc'd. */
char *tc_doc_to_data(const tc_doc_t *doc, size_t *len);
/* The reverse; *text and *text_len (when non-NULL) point into data. */
tc_status_t tc_doc_from_data(tc_doc_t **out, const char *data, size_t len, const char **text, size_t *text_len);

#endif
