/* The record's JSON form, from one table of its fields: what indexer
 * --parse prints, what the serializer shows, and what the index stores. */
#include "record/json.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

json_t *tc_json_string_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *tc_json_strlist(const tc_strlist_t *list)
{
    json_t *array = json_array();
    for (size_t i = 0; i < list->count; i++)
        json_array_append_new(array, json_string(list->items[i]));
    return array;
}

/* The record's fields in JSON order, written down once for both
 * directions: plain strings by offset, the rest by kind. */
typedef enum {
    FIELD_STRING,
    FIELD_YEAR,
    FIELD_PAGES,
    FIELD_LIST,
    FIELD_DEADLINES,
    FIELD_PERIOD,
    FIELD_REFERENCES,
    FIELD_ACCESS,
    FIELD_COUNT /* an int, left out when 0: what OCR read of a PDF */
} field_kind_t;

static const struct {
    const char *name;
    field_kind_t kind;
    size_t offset;
} doc_fields[] = {
    { "id", FIELD_STRING, offsetof(tc_doc_t, id) },
    { "path", FIELD_STRING, offsetof(tc_doc_t, path) },
    { "issuer", FIELD_STRING, offsetof(tc_doc_t, issuer) },
    { "issuer_parent", FIELD_STRING, offsetof(tc_doc_t, issuer_parent) },
    { "place", FIELD_STRING, offsetof(tc_doc_t, place) },
    { "number", FIELD_STRING, offsetof(tc_doc_t, number) },
    { "symbol", FIELD_STRING, offsetof(tc_doc_t, symbol) },
    { "date", FIELD_STRING, offsetof(tc_doc_t, date) },
    { "year", FIELD_YEAR, 0 },
    { "doc_type", FIELD_STRING, offsetof(tc_doc_t, doc_type) },
    { "subject", FIELD_STRING, offsetof(tc_doc_t, subject) },
    { "recipients", FIELD_LIST, offsetof(tc_doc_t, recipients) },
    { "themes", FIELD_LIST, offsetof(tc_doc_t, themes) },
    { "slogans", FIELD_LIST, offsetof(tc_doc_t, slogans) },
    { "deadlines", FIELD_DEADLINES, 0 },
    { "period", FIELD_PERIOD, 0 },
    { "references", FIELD_REFERENCES, 0 },
    { "signer", FIELD_STRING, offsetof(tc_doc_t, signer) },
    { "signer_title", FIELD_STRING, offsetof(tc_doc_t, signer_title) },
    { "signer_authority", FIELD_STRING, offsetof(tc_doc_t, signer_authority) },
    { "urgency", FIELD_STRING, offsetof(tc_doc_t, urgency) },
    { "secrecy", FIELD_STRING, offsetof(tc_doc_t, secrecy) },
    { "circulation", FIELD_STRING, offsetof(tc_doc_t, circulation) },
    { "access", FIELD_ACCESS, 0 },
    { "missing", FIELD_LIST, offsetof(tc_doc_t, missing) },
    { "source_encoding", FIELD_STRING, offsetof(tc_doc_t, source_encoding) },
    { "source_format", FIELD_STRING, offsetof(tc_doc_t, source_format) },
    { "pages", FIELD_PAGES, 0 },
    { "ocr_pages", FIELD_COUNT, offsetof(tc_doc_t, ocr_pages) },
    { "ocr_confidence", FIELD_COUNT, offsetof(tc_doc_t, ocr_confidence) },
    { "text", FIELD_STRING, offsetof(tc_doc_t, text) },
};

#define FIELD(doc, type, i) ((type *)((char *)(doc) + doc_fields[i].offset))

static json_t *field_json(const tc_doc_t *doc, size_t i)
{
    switch (doc_fields[i].kind) {
    case FIELD_STRING:
        return tc_json_string_or_null(*FIELD(doc, char *const, i));
    case FIELD_YEAR:
        return doc->year ? json_integer(doc->year) : json_null();
    case FIELD_PAGES:
        return doc->pages ? json_integer(doc->pages) : json_null();
    case FIELD_LIST:
        return tc_json_strlist(FIELD(doc, const tc_strlist_t, i));
    case FIELD_DEADLINES: {
        json_t *deadlines = json_array();
        for (size_t k = 0; k < doc->n_deadlines; k++)
            json_array_append_new(deadlines, json_pack("{s:s?, s:s?}", "date", doc->deadlines[k].date, "text",
                                                       doc->deadlines[k].text));
        return deadlines;
    }
    case FIELD_PERIOD:
        return doc->period_from || doc->period_to
                   ? json_pack("{s:s?, s:s?}", "from", doc->period_from, "to", doc->period_to)
                   : json_null();
    case FIELD_REFERENCES: {
        json_t *references = json_array();
        for (size_t k = 0; k < doc->n_references; k++) {
            const tc_reference_t *r = &doc->references[k];
            json_array_append_new(references, json_pack("{s:s?, s:s?, s:s?, s:s?}", "type", r->type, "number",
                                                        r->number, "date", r->date, "issuer", r->issuer));
        }
        return references;
    }
    case FIELD_ACCESS:
        return json_string(tc_access_name(doc->access));
    case FIELD_COUNT:
        return json_integer(*FIELD(doc, const int, i));
    }
    return json_null();
}

json_t *tc_doc_json(const tc_doc_t *doc, int include_text)
{
    json_t *o = json_object();
    for (size_t i = 0; i < sizeof doc_fields / sizeof *doc_fields; i++)
        if ((include_text || strcmp(doc_fields[i].name, "text") != 0) &&
            (doc_fields[i].kind != FIELD_COUNT || *FIELD(doc, const int, i) != 0))
            json_object_set_new(o, doc_fields[i].name, field_json(doc, i));
    return o;
}

static char *dup_string(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? strdup(s) : NULL;
}

static void strlist_from_json(tc_strlist_t *list, json_t *array)
{
    size_t i;
    json_t *item;
    json_array_foreach(array, i, item)
    {
        const char *s = json_string_value(item);
        if (s)
            tc_strlist_push(list, s, strlen(s));
    }
}

tc_status_t tc_doc_from_json(tc_doc_t **out, const char *json, size_t len)
{
    json_error_t error;
    *out = NULL;
    json_t *o = json_loadb(json, len, 0, &error);
    if (!json_is_object(o)) {
        json_decref(o);
        return TC_STATUS_BAD_INPUT;
    }
    tc_doc_t *doc = tc_doc_new();
    if (!doc) {
        json_decref(o);
        return TC_STATUS_OUT_OF_MEMORY;
    }
    for (size_t i = 0; i < sizeof doc_fields / sizeof *doc_fields; i++) {
        json_t *value = json_object_get(o, doc_fields[i].name);
        switch (doc_fields[i].kind) {
        case FIELD_STRING:
            *FIELD(doc, char *, i) = dup_string(o, doc_fields[i].name);
            break;
        case FIELD_YEAR:
            doc->year = (int)json_integer_value(value);
            break;
        case FIELD_PAGES:
            doc->pages = (int)json_integer_value(value);
            break;
        case FIELD_COUNT:
            *FIELD(doc, int, i) = (int)json_integer_value(value);
            break;
        case FIELD_LIST:
            strlist_from_json(FIELD(doc, tc_strlist_t, i), value);
            break;
        case FIELD_DEADLINES: {
            size_t n = json_array_size(value);
            if (n && (doc->deadlines = calloc(n, sizeof *doc->deadlines))) {
                doc->n_deadlines = n;
                for (size_t k = 0; k < n; k++) {
                    json_t *d = json_array_get(value, k);
                    doc->deadlines[k].date = dup_string(d, "date");
                    doc->deadlines[k].text = dup_string(d, "text");
                }
            }
            break;
        }
        case FIELD_PERIOD:
            if (json_is_object(value)) {
                doc->period_from = dup_string(value, "from");
                doc->period_to = dup_string(value, "to");
            }
            break;
        case FIELD_REFERENCES: {
            size_t n = json_array_size(value);
            if (n && (doc->references = calloc(n, sizeof *doc->references))) {
                doc->n_references = n;
                for (size_t k = 0; k < n; k++) {
                    json_t *r = json_array_get(value, k);
                    doc->references[k].type = dup_string(r, "type");
                    doc->references[k].number = dup_string(r, "number");
                    doc->references[k].date = dup_string(r, "date");
                    doc->references[k].issuer = dup_string(r, "issuer");
                }
            }
            break;
        }
        case FIELD_ACCESS:
            /* A level this program does not know is kept from everyone
             * but the highest. */
            if (tc_access_from_name(&doc->access, json_string_value(value)) < 0)
                doc->access = TC_ACCESS_TUYET_MAT;
            break;
        }
    }
    json_decref(o);
    *out = doc;
    return TC_STATUS_SUCCESS;
}

char *tc_json_dump(json_t *value)
{
    char *s = json_dumps(value, JSON_COMPACT);
    json_decref(value);
    return s;
}

char *tc_doc_to_json(const tc_doc_t *doc, int include_text)
{
    return doc ? tc_json_dump(tc_doc_json(doc, include_text)) : NULL;
}
