/* JSON form of records, shared by the serializer and the index (which
 * stores each record as its JSON document data). */
#ifndef TC_RENDER_H
#define TC_RENDER_H

#include <jansson.h>

#include "tracuu.h"

json_t *tc_doc_json(const tc_doc_t *doc, int include_text);
tc_status_t tc_doc_from_json(tc_doc_t **out, const char *json, size_t len);

#endif
