/* The dispatch record: creation, freeing and loading from a file. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "decode.h"
#include "tracuu.h"

tc_doc_t *tc_doc_new(void)
{
    return calloc(1, sizeof(tc_doc_t));
}

void tc_doc_free(tc_doc_t *doc)
{
    if (!doc)
        return;
    char **strings[] = { &doc->id, &doc->path, &doc->issuer, &doc->issuer_parent, &doc->place,
                         &doc->number, &doc->symbol, &doc->date, &doc->doc_type, &doc->subject,
                         &doc->period_from, &doc->period_to, &doc->signer, &doc->signer_title,
                         &doc->signer_authority, &doc->urgency, &doc->secrecy, &doc->text,
                         &doc->source_encoding };
    for (size_t i = 0; i < sizeof strings / sizeof *strings; i++)
        free(*strings[i]);
    tc_strlist_clear(&doc->recipients);
    tc_strlist_clear(&doc->themes);
    tc_strlist_clear(&doc->slogans);
    for (size_t i = 0; i < doc->n_deadlines; i++) {
        free(doc->deadlines[i].date);
        free(doc->deadlines[i].text);
    }
    free(doc->deadlines);
    for (size_t i = 0; i < doc->n_references; i++) {
        free(doc->references[i].type);
        free(doc->references[i].number);
        free(doc->references[i].date);
        free(doc->references[i].issuer);
    }
    free(doc->references);
    free(doc);
}

tc_status_t tc_doc_load(tc_doc_t **out, const char *path, const char *id, char **message)
{
    return tc_doc_load_limited(out, path, id, TC_MAX_FILE_BYTES, message);
}

tc_status_t tc_doc_load_limited(tc_doc_t **out, const char *path, const char *id, size_t max_bytes, char **message)
{
    char *text = NULL;
    size_t len = 0;
    tc_doc_t *doc = NULL;
    *out = NULL;
    if (message)
        *message = NULL;
    if (!path || !id)
        return TC_STATUS_INVALID_ARGUMENT;
    const char *encoding = NULL;
    tc_status_t status = tc_decode_file_limited(&text, &len, &encoding, path, max_bytes, message);
    if (status != TC_STATUS_SUCCESS)
        return status;
    status = tc_doc_parse(&doc, text, len);
    free(text);
    if (status != TC_STATUS_SUCCESS) {
        if (message)
            *message = tc_strdup_printf("%s: %s", path, tc_status_to_string(status));
        return status;
    }
    doc->id = strdup(id);
    doc->path = strdup(path);
    doc->source_encoding = strdup(encoding ? encoding : "UTF-8");
    if (!doc->id || !doc->path || !doc->source_encoding) {
        tc_doc_free(doc);
        return TC_STATUS_OUT_OF_MEMORY;
    }
    *out = doc;
    return TC_STATUS_SUCCESS;
}
