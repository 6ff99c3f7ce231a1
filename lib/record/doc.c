/* The dispatch record: creation and freeing. */
#include <stdlib.h>

#include "base/buf.h"
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
                         &doc->signer_authority, &doc->urgency, &doc->secrecy, &doc->circulation, &doc->text,
                         &doc->source_encoding, &doc->source_format, &doc->ocr_cache_key };
    for (size_t i = 0; i < sizeof strings / sizeof *strings; i++)
        free(*strings[i]);
    tc_strlist_clear(&doc->recipients);
    tc_strlist_clear(&doc->themes);
    tc_strlist_clear(&doc->slogans);
    tc_strlist_clear(&doc->missing);
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
