/* Every dispatch a search matches, for a spreadsheet (CSV) or a program
 * (JSON Lines): what a clerk hands on, not a page of ten. */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "record/json.h"

/* Hits read at a time: the most one search returns. */
#define EXPORT_PAGE 1000

/* Excel takes a CSV file for its local code page unless it opens with a
 * byte order mark; with it, Vietnamese reads right. */
static const char UTF8_BOM[] = "\xEF\xBB\xBF";

/* One CSV field, quoted by libcsv, and its separator. */
static int csv_field(FILE *out, const char *value, int last)
{
    const char *v = value ? value : "";
    return csv_fwrite(out, v, strlen(v)) != 0 || fputc(last ? '\n' : ',', out) == EOF ? -1 : 0;
}

static int csv_row(FILE *out, const tc_doc_t *d)
{
    tc_buf_t number = TC_BUF_INIT, deadlines = TC_BUF_INIT;
    int failed = 0;
    if (d->number || d->symbol)
        failed = tc_buf_puts(&number, d->number ? d->number : "") < 0 ||
                 (d->symbol && (tc_buf_putc(&number, '/') < 0 || tc_buf_puts(&number, d->symbol) < 0));
    for (size_t i = 0; i < d->n_deadlines && !failed; i++)
        failed = (i && tc_buf_puts(&deadlines, "; ") < 0) || tc_buf_puts(&deadlines, d->deadlines[i].date) < 0;
    const char *fields[] = { d->id, number.data, d->date, d->issuer, d->doc_type, d->subject, deadlines.data,
                             d->path };
    size_t n = sizeof fields / sizeof *fields;
    for (size_t i = 0; i < n && !failed; i++)
        failed = csv_field(out, fields[i], i + 1 == n) < 0;
    tc_buf_free(&number);
    tc_buf_free(&deadlines);
    return failed ? -1 : 0;
}

struct tc_export {
    tc_index_t *index;
    tc_query_t page; /* the query, at the offset of the next page */
    tc_export_format_t format;
    int started, done;
    size_t rows;
    void (*exported)(const tc_doc_t *doc, void *arg); /* told of each row written, or NULL */
    void *arg;
};

tc_status_t tc_export_begin(tc_export_t **out, tc_index_t *index, const tc_query_t *query, tc_export_format_t format)
{
    *out = NULL;
    if (!index || !query)
        return TC_STATUS_INVALID_ARGUMENT;
    tc_export_t *e = calloc(1, sizeof *e);
    if (!e)
        return TC_STATUS_OUT_OF_MEMORY;
    e->index = index;
    e->page = *query;
    e->page.offset = 0;
    e->page.limit = EXPORT_PAGE;
    e->page.without_snippets = 1;
    e->page.exact = 1; /* the last page is known by the total */
    e->format = format;
    *out = e;
    return TC_STATUS_SUCCESS;
}

tc_status_t tc_export_next(tc_export_t *e, FILE *out, int *done)
{
    *done = e->done;
    if (e->done)
        return TC_STATUS_SUCCESS;
    if (!e->started && e->format == TC_EXPORT_CSV) {
        static const char *const header[] = { "id", "number", "date", "issuer", "type", "subject", "deadlines",
                                              "path" };
        if (fputs(UTF8_BOM, out) == EOF)
            return TC_STATUS_FILE_ERROR;
        for (size_t i = 0; i < sizeof header / sizeof *header; i++)
            if (csv_field(out, header[i], i + 1 == sizeof header / sizeof *header) < 0)
                return TC_STATUS_FILE_ERROR;
    }
    e->started = 1;
    tc_results_t *r = NULL;
    tc_status_t status = tc_search(&r, e->index, &e->page);
    if (status != TC_STATUS_SUCCESS)
        return status;
    int failed = 0;
    for (size_t i = 0; i < r->n_hits && !failed; i++) {
        if (e->format == TC_EXPORT_CSV) {
            failed = csv_row(out, r->hits[i].doc) < 0;
        } else {
            char *json = tc_doc_to_json(r->hits[i].doc, 0);
            failed = !json || fputs(json, out) == EOF || fputc('\n', out) == EOF;
            free(json);
        }
        e->rows += !failed;
        if (!failed && e->exported)
            e->exported(r->hits[i].doc, e->arg);
    }
    size_t shown = r->n_hits, total = r->total;
    tc_results_free(r);
    if (failed)
        return TC_STATUS_FILE_ERROR;
    if (shown < EXPORT_PAGE || e->page.offset + shown >= total)
        e->done = 1;
    e->page.offset += EXPORT_PAGE;
    *done = e->done;
    return TC_STATUS_SUCCESS;
}

void tc_export_on_row(tc_export_t *e, void (*exported)(const tc_doc_t *doc, void *arg), void *arg)
{
    e->exported = exported;
    e->arg = arg;
}

size_t tc_export_rows(const tc_export_t *e)
{
    return e ? e->rows : 0;
}

void tc_export_free(tc_export_t *e)
{
    free(e);
}

tc_status_t tc_export(FILE *out, tc_index_t *index, const tc_query_t *query, tc_export_format_t format, size_t *rows)
{
    *rows = 0;
    tc_export_t *e = NULL;
    tc_status_t status = tc_export_begin(&e, index, query, format);
    for (int done = 0; status == TC_STATUS_SUCCESS && !done;)
        status = tc_export_next(e, out, &done);
    *rows = tc_export_rows(e);
    tc_export_free(e);
    return status;
}
