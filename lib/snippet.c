/* Snippets: the same tokenizer and fold as the index, so what matched is
 * what gets highlighted, in the text as the dispatch wrote it. */
#include "snippet.h"

#include <stdlib.h>
#include <string.h>

#include "tokenize.h"

#define ELLIPSIS "\xE2\x80\xA6"
#define MAX_TERMS 64

/* Index of the query term the token matches, or -1. */
static int term_of(const tc_tokens_t *toks, size_t i, const tc_strlist_t *terms)
{
    const char *folded = TC_TOKEN_FOLDED(toks, i);
    for (size_t t = 0; t < terms->count && t < MAX_TERMS; t++)
        if (strcmp(folded, terms->items[t]) == 0)
            return (int)t;
    return -1;
}

/* Non-zero when the gap between two words ends a sentence or a line. */
static int breaks_sentence(const char *text, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (text[i] == '.' || text[i] == '\n' || text[i] == ':' || text[i] == ';' || text[i] == '!' || text[i] == '?')
            return 1;
    return 0;
}

/* Appends s with every run of white space as one space; map[i] receives
 * the output offset of s[i] (map has len + 1 entries). */
static int append_flat(tc_buf_t *out, const char *s, size_t len, size_t *map)
{
    int in_space = 0;
    for (size_t i = 0; i < len; i++) {
        int space = s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r';
        if (map)
            map[i] = out->len;
        if (space && in_space)
            continue;
        in_space = space;
        if (tc_buf_putc(out, space ? ' ' : s[i]) < 0)
            return -1;
    }
    if (map)
        map[len] = out->len;
    return 0;
}

tc_status_t tc_snippet(char **out, tc_span_t **spans, size_t *n_spans, const char *text, size_t len,
                       const tc_strlist_t *terms, size_t max_bytes)
{
    *out = NULL;
    *spans = NULL;
    *n_spans = 0;
    if (!text) {
        text = "";
        len = 0;
    }
    tc_tokens_t toks = { 0 };
    tc_status_t status = tc_tokenize_folded(&toks, text, len);
    if (status != TC_STATUS_SUCCESS) {
        tc_tokens_free(&toks);
        return status;
    }

    int *match = calloc(toks.count + 1, sizeof *match);
    if (!match) {
        tc_tokens_free(&toks);
        return TC_STATUS_OUT_OF_MEMORY;
    }
    for (size_t i = 0; i < toks.count; i++)
        match[i] = terms && terms->count ? term_of(&toks, i, terms) : -1;

    /* Slide a window of tokens spanning at most max_bytes; score it by
     * distinct terms first, then by matches. */
    size_t best_first = 0, best_score = 0;
    unsigned seen[MAX_TERMS] = { 0 };
    size_t distinct = 0, matches = 0, first = 0;
    for (size_t last = 0; last < toks.count; last++) {
        if (match[last] >= 0) {
            if (seen[match[last]]++ == 0)
                distinct++;
            matches++;
        }
        while (toks.tokens[last].end - toks.tokens[first].start > max_bytes) {
            if (match[first] >= 0) {
                if (--seen[match[first]] == 0)
                    distinct--;
                matches--;
            }
            first++;
        }
        size_t score = distinct * 1000 + matches;
        if (score > best_score) {
            best_score = score;
            best_first = first;
        }
    }
    /* Start a little before the window's first match, so it is read in
     * context. */
    if (best_score) {
        while (match[best_first] < 0)
            best_first++;
        size_t lead = best_first, sentence = (size_t)-1;
        while (lead > 0 && toks.tokens[best_first].start - toks.tokens[lead - 1].start < max_bytes / 4) {
            if (sentence == (size_t)-1 && breaks_sentence(text, toks.tokens[lead - 1].end, toks.tokens[lead].start))
                sentence = lead;
            lead--;
        }
        if (sentence == (size_t)-1 && (lead == 0 || breaks_sentence(text, toks.tokens[lead - 1].end,
                                                                     toks.tokens[lead].start)))
            sentence = lead;
        /* Prefer to open on a sentence; else a few words of lead-in. */
        best_first = sentence != (size_t)-1 ? sentence : lead;
    }

    tc_buf_t buf = TC_BUF_INIT;
    tc_span_t *marks = NULL;
    size_t *map = NULL;
    size_t n_marks = 0;
    status = TC_STATUS_OUT_OF_MEMORY;
    if (toks.count == 0) {
        size_t n = len < max_bytes ? len : max_bytes;
        while (n < len && ((unsigned char)text[n] & 0xC0) == 0x80)
            n--;
        if (append_flat(&buf, text, n, NULL) < 0)
            goto done;
    } else {
        size_t from = toks.tokens[best_first].start;
        size_t last = best_first;
        while (last + 1 < toks.count && toks.tokens[last + 1].end - from <= max_bytes)
            last++;
        size_t to = toks.tokens[last].end;
        /* Keep closing punctuation that belongs to the last word. */
        while (to < len && (text[to] == '.' || text[to] == ',' || text[to] == ')' || text[to] == ';'))
            to++;
        if (from > 0 && tc_buf_puts(&buf, ELLIPSIS " ") < 0)
            goto done;
        if (!(map = malloc((to - from + 1) * sizeof *map)) ||
            append_flat(&buf, text + from, to - from, map) < 0)
            goto done;
        if (to < len && tc_buf_puts(&buf, " " ELLIPSIS) < 0)
            goto done;
        for (size_t i = best_first; i <= last; i++) {
            if (match[i] < 0)
                continue;
            tc_span_t *grown = realloc(marks, (n_marks + 1) * sizeof *grown);
            if (!grown)
                goto done;
            marks = grown;
            marks[n_marks].start = map[toks.tokens[i].start - from];
            marks[n_marks].end = map[toks.tokens[i].end - from];
            n_marks++;
        }
    }
    *out = tc_buf_steal(&buf);
    *spans = marks;
    *n_spans = n_marks;
    marks = NULL;
    status = *out ? TC_STATUS_SUCCESS : TC_STATUS_OUT_OF_MEMORY;
done:
    free(map);
    free(marks);
    tc_buf_free(&buf);
    free(match);
    tc_tokens_free(&toks);
    return status;
}
