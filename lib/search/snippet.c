/* Snippets: the same tokenizer and fold as the index, so what matched is
 * what gets highlighted, in the text as the dispatch wrote it. */
#include "search/snippet.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "text/fold.h"
#include "text/tokenize.h"

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

static int is_word_byte(unsigned char c)
{
    return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

typedef struct {
    size_t at; /* byte offset in the original text */
    int term;
} hit_t;

static int compare_hits(const void *a, const void *b)
{
    const hit_t *x = a, *y = b;
    return x->at < y->at ? -1 : x->at > y->at;
}

/* The part of text worth tokenizing: around the densest cluster of query
 * words, found on the folded text (a table lookup per character) rather
 * than by running the word breaker over the whole dispatch. */
static void choose_region(const char *text, size_t len, const tc_strlist_t *terms, size_t max_bytes, size_t *from,
                          size_t *to)
{
    *from = 0;
    *to = len;
    if (len <= max_bytes * 4)
        return;
    size_t center = 0;
    tc_buf_t folded = TC_BUF_INIT;
    size_t *map = NULL, map_cap = 0;
    hit_t *hits = NULL;
    size_t n_hits = 0, cap_hits = 0;
    if (terms && terms->count && tc_fold_append(&folded, text, len, &map, &map_cap) == 0 && folded.data) {
        for (size_t t = 0; t < terms->count && t < MAX_TERMS; t++) {
            const char *term = terms->items[t];
            size_t n = strlen(term);
            for (const char *p = folded.data; n && (p = memmem(p, folded.len - (size_t)(p - folded.data), term, n));
                 p++) {
                size_t at = (size_t)(p - folded.data);
                if ((at > 0 && is_word_byte((unsigned char)folded.data[at - 1])) ||
                    (at + n < folded.len && is_word_byte((unsigned char)folded.data[at + n])))
                    continue;
                hit_t *grown = tc_grow(hits, n_hits, &cap_hits, sizeof *grown, 64);
                if (!grown)
                    break;
                hits = grown;
                hits[n_hits].at = map[at];
                hits[n_hits++].term = (int)t;
            }
        }
        if (n_hits) /* hits is NULL when nothing matched */
            qsort(hits, n_hits, sizeof *hits, compare_hits);
        /* The window of max_bytes with the most distinct words, then hits. */
        unsigned seen[MAX_TERMS] = { 0 };
        size_t distinct = 0, first = 0, best = 0;
        for (size_t last = 0; last < n_hits; last++) {
            if (seen[hits[last].term]++ == 0)
                distinct++;
            while (hits[last].at - hits[first].at > max_bytes)
                if (--seen[hits[first++].term] == 0)
                    distinct--;
            size_t score = distinct * 1000 + (last - first + 1);
            if (score > best) {
                best = score;
                center = hits[first].at;
            }
        }
    }
    free(hits);
    free(map);
    tc_buf_free(&folded);
    *from = center > max_bytes ? center - max_bytes : 0;
    *to = *from + max_bytes * 3 < len ? *from + max_bytes * 3 : len;
    /* Cut at white space, never inside a character or a word. */
    while (*from > 0 && text[*from - 1] != ' ' && text[*from - 1] != '\n')
        (*from)--;
    while (*to < len && text[*to] != ' ' && text[*to] != '\n')
        (*to)++;
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
    size_t region_from, region_to;
    choose_region(text, len, terms, max_bytes, &region_from, &region_to);
    tc_tokens_t toks = { 0 };
    tc_status_t status = tc_tokenize_folded(&toks, text + region_from, region_to - region_from);
    if (status != TC_STATUS_SUCCESS) {
        tc_tokens_free(&toks);
        return status;
    }
    for (size_t i = 0; i < toks.count; i++) {
        toks.tokens[i].start += region_from;
        toks.tokens[i].end += region_from;
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
