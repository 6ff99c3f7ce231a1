/* The one serializer of answers: search results, document pages,
 * suggestions and errors as JSON (jansson), and results as text for a
 * person at a terminal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/json.h"

static json_t *facet_json(const tc_facet_t *facet)
{
    json_t *array = json_array();
    for (size_t i = 0; i < facet->count; i++)
        json_array_append_new(array, json_pack("{s:s, s:I}", "value", facet->values[i].value,
                                               "count", (json_int_t)facet->values[i].count));
    return array;
}

char *tc_results_to_json(const tc_results_t *results)
{
    json_t *hits = json_array();
    for (size_t i = 0; i < results->n_hits; i++) {
        const tc_hit_t *hit = &results->hits[i];
        json_t *o = tc_doc_json(hit->doc, 0);
        json_object_set_new(o, "snippet", tc_json_string_or_null(hit->snippet));
        json_t *spans = json_array();
        for (size_t h = 0; h < hit->n_highlights; h++)
            json_array_append_new(spans, json_pack("[I, I]", (json_int_t)hit->highlights[h].start,
                                                   (json_int_t)hit->highlights[h].end));
        json_object_set_new(o, "highlights", spans);
        json_object_set_new(o, "also_in", tc_json_strlist(&hit->also_in));
        json_object_set_new(o, "score", json_real(hit->score));
        json_array_append_new(hits, o);
    }
    json_t *facets = json_pack("{s:o, s:o, s:o}", "issuer", facet_json(&results->issuer), "year",
                               facet_json(&results->year), "doc_type", facet_json(&results->doc_type));
    json_t *distinct = json_pack("{s:I, s:I, s:I}", "issuer", (json_int_t)results->issuer.distinct, "year",
                                 (json_int_t)results->year.distinct, "doc_type", (json_int_t)results->doc_type.distinct);
    json_t *number_in_archive = results->number_in_archive < 0 ? json_null() : json_boolean(results->number_in_archive);
    json_t *without = json_array();
    for (size_t i = 0; i < results->n_without; i++)
        json_array_append_new(without, json_pack("{s:s, s:I, s:b}", "part", results->without[i].part, "total",
                                                 (json_int_t)results->without[i].total, "total_exact",
                                                 results->without[i].total_exact));
    json_t *answer = json_pack("{s:I, s:b, s:I, s:I, s:b, s:b, s:o, s:o, s:s?, s:b, s:I, s:I, s:o, s:o, s:o}",
                               "total", (json_int_t)results->total, "total_exact", results->total_exact,
                               "total_lower", (json_int_t)results->total_lower, "total_upper",
                               (json_int_t)results->total_upper, "facets_exact", results->facets_exact, "partial",
                               results->partial, "number_in_archive", number_in_archive, "without", without,
                               "suggestion", results->suggestion, "corrected", results->corrected, "offset",
                               (json_int_t)results->offset, "limit", (json_int_t)results->limit, "results", hits,
                               "facets", facets, "facets_distinct", distinct);
    return tc_json_dump(answer);
}

/* An estimate as a person reads it: two significant digits, thousands
 * apart with commas ("about 68,000" for 68,324), more would claim a
 * precision the estimate has not.  Writes into buf. */
static const char *about(char *buf, size_t size, size_t estimate)
{
    size_t unit = 1;
    while (estimate / unit >= 100)
        unit *= 10;
    size_t rounded = (estimate + unit / 2) / unit * unit;
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%zu", rounded);
    size_t at = 0;
    for (int i = 0; i < n && at + 2 < size; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            buf[at++] = ',';
        buf[at++] = digits[i];
    }
    buf[at] = '\0';
    return buf;
}

#define ANSI_MATCH "\033[1;33m"
#define ANSI_DIM "\033[2m"
#define ANSI_BOLD "\033[1m"
#define ANSI_RESET "\033[0m"

void tc_results_print_correction(FILE *out, const tc_results_t *results)
{
    if (results->corrected)
        fprintf(out, "nothing matched the words typed; showing the results for: %s\n", results->suggestion);
    else if (results->suggestion)
        fprintf(out, "did you mean: %s\n", results->suggestion);
}

void tc_results_print_text(FILE *out, const tc_results_t *results, int color)
{
    const char *bold = color ? ANSI_BOLD : "", *dim = color ? ANSI_DIM : "",
               *reset = color ? ANSI_RESET : "";
    if (results->partial)
        fprintf(out, "the search stopped at its time limit: what follows is from the dispatches it looked at\n");
    if (results->number_in_archive == 0)
        fprintf(out, "no dispatch of the archive has that number as its own%s\n",
                results->n_hits ? "; these mention it" : "");
    char shown[40];
    if (results->n_hits && !results->total_exact && !results->partial)
        fprintf(out, "%zu-%zu of about %s dispatches\n\n", results->offset + 1, results->offset + results->n_hits,
                about(shown, sizeof shown, results->total));
    else if (results->n_hits)
        fprintf(out, "%zu-%zu of %s%zu dispatches\n\n", results->offset + 1, results->offset + results->n_hits,
                results->partial ? "at least " : "", results->total);
    else if (results->partial)
        fprintf(out, "no dispatch found before then\n");
    else
        fprintf(out, "no dispatch matches (%zu in all)\n", results->total);
    for (size_t i = 0; i < results->n_without; i++) {
        const tc_without_t *w = &results->without[i];
        if (w->total_exact)
            fprintf(out, "without %s: %zu dispatch%s\n", w->part, w->total, w->total == 1 ? "" : "es");
        else
            fprintf(out, "without %s: about %s dispatches\n", w->part, about(shown, sizeof shown, w->total));
    }
    for (size_t i = 0; i < results->n_hits; i++) {
        const tc_hit_t *hit = &results->hits[i];
        const tc_doc_t *d = hit->doc;
        fprintf(out, "%s%zu.%s %s  %s%s%s%s  %s\n", bold, results->offset + i + 1, reset,
                d->date ? d->date : "----", d->number ? d->number : "", d->symbol ? "/" : "",
                d->symbol ? d->symbol : "", d->number || d->symbol ? "" : "(no number)",
                d->issuer ? d->issuer : "(issuer unknown)");
        if (d->subject)
            fprintf(out, "   %s%s%s\n", bold, d->subject, reset);
        for (size_t k = 0; k < d->n_deadlines; k++)
            fprintf(out, "   %sdeadline %s%s\n", dim, d->deadlines[k].date, reset);
        for (size_t k = 0; k < hit->also_in.count; k++)
            fprintf(out, "   %salso in %s%s\n", dim, hit->also_in.items[k], reset);
        if (hit->snippet && *hit->snippet) {
            fputs("   ", out);
            size_t at = 0;
            for (size_t h = 0; h < hit->n_highlights; h++) {
                const tc_span_t *s = &hit->highlights[h];
                fwrite(hit->snippet + at, 1, s->start - at, out);
                fputs(color ? ANSI_MATCH : "", out);
                fwrite(hit->snippet + s->start, 1, s->end - s->start, out);
                fputs(reset, out);
                at = s->end;
            }
            fprintf(out, "%s\n", hit->snippet + at);
        }
        fprintf(out, "   %s%s%s\n\n", dim, d->id ? d->id : "", reset);
    }
}

char *tc_doc_page_to_json(const tc_doc_page_t *page)
{
    json_t *o = tc_doc_json(page->doc, 1);
    json_t *references = json_object_get(o, "references");
    /* id: the cited dispatch when one fits; candidates: every one that
     * fits (several: the reference cannot tell them apart); in_archive:
     * whether any does. */
    for (size_t i = 0; i < page->doc->n_references; i++) {
        json_t *reference = json_array_get(references, i);
        json_object_set_new(reference, "id", tc_json_string_or_null(page->reference_ids[i]));
        json_object_set_new(reference, "candidates", tc_json_strlist(&page->reference_candidates[i]));
        json_object_set_new(reference, "in_archive", json_boolean(page->reference_candidates[i].count > 0));
    }
    json_t *cited_by = json_array();
    for (size_t i = 0; i < page->n_cited_by; i++) {
        const tc_doc_t *d = page->cited_by[i];
        json_array_append_new(cited_by, json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}", "id", d->id, "number",
                                                  d->number, "symbol", d->symbol, "date", d->date, "issuer",
                                                  d->issuer, "subject", d->subject));
    }
    json_object_set_new(o, "cited_by", cited_by);
    return tc_json_dump(o);
}

char *tc_suggestions_to_json(const tc_suggestions_t *suggestions)
{
    return tc_json_dump(json_pack("{s:o, s:o}", "issuers", tc_json_strlist(&suggestions->issuers), "themes",
                          tc_json_strlist(&suggestions->themes)));
}

char *tc_health_to_json(unsigned long revision, size_t documents)
{
    return tc_json_dump(json_pack("{s:s, s:I, s:I}", "status", "ok", "revision", (json_int_t)revision, "documents",
                                  (json_int_t)documents));
}

char *tc_whoami_to_json(const char *user, tc_access_t level)
{
    return tc_json_dump(json_pack("{s:s?, s:s}", "user", user, "level", tc_access_name(level)));
}

char *tc_error_to_json(const char *error, const char *message)
{
    json_t *o = json_pack("{s:s}", "error", error ? error : "error");
    if (o && message && json_object_set_new(o, "message", json_string(message)) < 0) {
        json_decref(o);
        o = NULL;
    }
    return tc_json_dump(o);
}
