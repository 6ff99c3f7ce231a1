/* The record's JSON form (jansson), shared by the serializer and by the
 * index's stored records. */
#ifndef TC_RECORD_JSON_H
#define TC_RECORD_JSON_H

#include <jansson.h>

#include "tracuu.h"

json_t *tc_doc_json(const tc_doc_t *doc, int include_text);
tc_status_t tc_doc_from_json(tc_doc_t **out, const char *json, size_t len);

/* A string, or null for NULL. */
json_t *tc_json_string_or_null(const char *s);
json_t *tc_json_strlist(const tc_strlist_t *list);
/* value as compact text (malloc'd), and value released. */
char *tc_json_dump(json_t *value);

#endif
