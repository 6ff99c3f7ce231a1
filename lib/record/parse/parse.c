/* Decoded dispatch text -> tc_doc_t.
 *
 * The text is cut into cleaned lines (markdown residue and stray whitespace
 * gone).  The header, everything before "Kính gửi", is read line by line:
 * the issuing bodies, Số / ký hiệu, place and date, the V/v line or the
 * title, urgency and secrecy marks.  The lines are then joined into
 * paragraphs, mending the wraps of PDF and DOCX extraction, and the
 * paragraphs make doc->text.  The body fields (themes, slogans, deadlines,
 * period, references) are read from the paragraphs, the recipients and the
 * signature from the lines.
 *
 * Labels are matched on the folded form of the text (fold.h: lower case, no
 * diacritics), so "KÍNH GỬI", "Kính gửi" and "kinh gui" are all one, and the
 * offset map of tc_fold_append takes a match back to the original text.
 *
 * Nothing here fails for lack of structure: what cannot be found stays NULL.
 * The only error is running out of memory, which every helper records in
 * ctx->oom and which tc_doc_parse reports at the end. */
#include <stdlib.h>
#include <string.h>

#include "record/parse/parse.h"

/* A record is read from a dispatch's first 2 MiB; the rest of a longer
 * text is kept as it was decoded, after the cleaned part, and its words
 * are indexed all the same.  Reading costs about 20 bytes a byte of text
 * (the lines, their folded forms and two offset maps of 8 bytes a byte):
 * a 20 MB text took 290 MB for the maps alone, 2 MiB takes about 40 MB.
 * Dispatches are a few kB (4.7 on average in bench/), their header is at
 * the top, and what comes past 2 MiB is annexes and tables. */
#define MAX_PARSED_BYTES (2u * 1024u * 1024u)

/* How much of text is read for the record: all of it, or up to a line end
 * (else a character boundary) within MAX_PARSED_BYTES. */
static size_t parsed_length(const char *text, size_t len)
{
    if (len <= MAX_PARSED_BYTES)
        return len;
    for (size_t i = MAX_PARSED_BYTES; i > MAX_PARSED_BYTES / 2; i--)
        if (text[i - 1] == '\n')
            return i;
    size_t i = MAX_PARSED_BYTES;
    while (i > 0 && ((unsigned char)text[i] & 0xC0) == 0x80)
        i--;
    return i;
}

/* The main fields not found, named in doc->missing: a clerk reads "no
 * date found" rather than takes a blank for a dispatch without one. */
static void list_missing(ctx_t *c)
{
    const tc_doc_t *d = c->doc;
    const struct {
        const char *name;
        const char *value;
    } fields[] = {
        { "issuer", d->issuer },     { "number", d->number },     { "symbol", d->symbol }, { "date", d->date },
        { "doc_type", d->doc_type }, { "subject", d->subject }, { "signer", d->signer },
    };
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        if (!fields[i].value && tc_strlist_push(&c->doc->missing, fields[i].name, strlen(fields[i].name)) < 0)
            c->oom = 1;
}

tc_status_t tc_doc_parse(tc_doc_t **out, const char *text, size_t len)
{
    if (!out)
        return TC_STATUS_INVALID_ARGUMENT;
    *out = NULL;
    if (!text && len)
        return TC_STATUS_INVALID_ARGUMENT;
    if (!text)
        text = "";

    ctx_t c;
    memset(&c, 0, sizeof c);
    c.so = c.dl = c.dl_year = c.vv = c.kg = c.title = c.subject_end = NPOS;
    if (!(c.doc = tc_doc_new()))
        return TC_STATUS_OUT_OF_MEMORY;

    size_t parsed = parsed_length(text, len);
    ps_split_lines(&c, text, parsed);
    if (!c.oom)
        ps_detect_hard_wrap(&c);
    if (!c.oom)
        ps_find_marks(&c);
    if (!c.oom)
        ps_read_header_subject(&c);
    if (c.kg != NPOS) {
        c.body = c.kg;
    } else {
        size_t marks[] = { c.so, c.dl, c.subject_end, c.title };
        for (size_t i = 0; i < sizeof marks / sizeof *marks; i++)
            if (marks[i] != NPOS && marks[i] + 1 > c.body)
                c.body = marks[i] + 1;
    }
    c.join_from = c.kg != NPOS ? c.kg + 1 : c.body;
    /* The cleaned text comes first: the readers after it work on it. */
    static void (*const readers[])(ctx_t *) = { ps_build_text,      ps_read_doc_type, ps_read_recipients,
                                                ps_read_quotes,     ps_read_period,   ps_read_deadlines,
                                                ps_read_references, ps_read_signer,   ps_read_issuer };
    for (size_t i = 0; i < sizeof readers / sizeof *readers && !c.oom; i++)
        readers[i](&c);
    if (!c.oom)
        list_missing(&c);
    /* Who may see it, by its own marks (voc_marks: a secrecy mark its
     * level, a circulation mark staff, none the public). */
    c.doc->access = c.marked_level;
    if (!c.oom && parsed < len) {
        /* The rest, as decoded, after the paragraphs read. */
        put(&c, &c.text, "\n", 1);
        put(&c, &c.text, text + parsed, len - parsed);
    }
    if (!c.oom) {
        c.doc->text = tc_buf_steal(&c.text);
        if (!c.doc->text)
            c.oom = 1;
    }

    tc_buf_free(&c.lbuf);
    free(c.lines);
    tc_buf_free(&c.lfold);
    free(c.lfmap);
    tc_buf_free(&c.scratch[0]);
    tc_buf_free(&c.scratch[1]);
    tc_buf_free(&c.kfold);
    free(c.drop);
    tc_buf_free(&c.text);
    free(c.paras);
    tc_buf_free(&c.ftext);
    free(c.fmap);
    ps_fold_free(&c.tmp);
    if (c.oom) {
        tc_doc_free(c.doc);
        return TC_STATUS_OUT_OF_MEMORY;
    }
    *out = c.doc;
    return TC_STATUS_SUCCESS;
}
