/* Searching: the parsed query becomes a Xapian query tree built through the
 * wrapper's constructors, with every word folded exactly as the index
 * folded it; then hits are read back as records with snippets. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/dates.h"
#include "base/strset.h"
#include "text/fold.h"
#include "text/tokenize.h"
#include "record/orgs.h"
#include "index/forms.h"
#include "index/index.h"
#include "index/records.h"
#include "index/schema.h"
#include "search/qparse.h"
#include "search/snippet.h"
#include "search/spelling.h"

/* Ranking weights, set against the seed corpus: adjacency of the typed
 * syllables and exact accents must outweigh term-frequency differences. */
#define ADJACENCY_BOOST 3.0
#define EXACT_BOOST 1.5
/* The weight a dispatch gains for carrying the number typed as its own
 * ("1471", "1471/UBND-KGVX"): above anything words can give (a word's
 * BM25 weight stays under about 25 at a million dispatches, and a query
 * holds at most MAX_WORDS of them with their boosts), so the dispatch
 * itself comes before those that cite it. */
#define OWN_NUMBER_BOOST 10000.0
/* Window boosts (adjacency, common accents) reorder this many of the best
 * matches by words alone. */
#define RESCORE_WINDOW 100
#define WINDOW_ACCENT_DOCS 20000
#define SNIPPET_BYTES 240
#define MAX_LIMIT 1000
/* Of a value refused, what a message shows back. */
#define SHOWN_TEXT_BYTES 60
/* The most distinct phrases (quoted, or words joined like 1471/UBND-KGVX)
 * and single words one query may hold.  Every document holding all of a
 * query's words has each phrase's positions checked: at 100k dispatches a
 * phrase of common words that most of them pass adds about 0.1 s, so 8
 * keep the worst query near 1 s, and no one types more.  Words cost a
 * posting list each, far less: 64 leave room for a pasted subject line. */
#define MAX_PHRASES 8
#define MAX_WORDS 64
/* Years outside this window hold no dispatch; open-ended ranges stop here. */
#define FIRST_YEAR 1900
#define LAST_YEAR 2199

/* A growable list of sub-queries. */
typedef struct {
    xw_query_t **items;
    size_t n, cap;
    int failed;
} qlist_t;

static void qlist_push(qlist_t *list, xw_query_t *q)
{
    if (!q) {
        list->failed = 1;
        return;
    }
    xw_query_t **grown = tc_grow(list->items, list->n, &list->cap, sizeof *grown, 8);
    if (!grown) {
        xw_query_free(q);
        list->failed = 1;
        return;
    }
    list->items = grown;
    list->items[list->n++] = q;
}

/* Combines and empties the list; NULL when it was empty or failed. */
static xw_query_t *qlist_combine(qlist_t *list, xw_op_t op)
{
    xw_query_t *q = NULL;
    if (list->failed) {
        for (size_t i = 0; i < list->n; i++)
            xw_query_free(list->items[i]);
    } else if (list->n == 1) {
        q = list->items[0];
    } else if (list->n > 1) {
        q = xw_query_combine(op, list->items, list->n);
    }
    free(list->items);
    memset(list, 0, sizeof *list);
    return q;
}

static xw_query_t *prefixed_term(const char *prefix, const char *folded)
{
    tc_buf_t term = TC_BUF_INIT;
    xw_query_t *q = tc_term_append(&term, prefix, folded) < 0 ? NULL : xw_query_term(term.data, 1);
    tc_buf_free(&term);
    return q;
}

/* Phrase of toks[from..to) under prefix ("" for the text). */
static xw_query_t *phrase_of(const tc_tokens_t *toks, size_t from, size_t to, const char *prefix)
{
    if (to - from == 1)
        return prefixed_term(prefix, TC_TOKEN_FOLDED(toks, from));
    qlist_t parts = { 0 };
    for (size_t i = from; i < to; i++)
        qlist_push(&parts, prefixed_term(prefix, TC_TOKEN_FOLDED(toks, i)));
    return qlist_combine(&parts, XW_OP_PHRASE);
}

typedef struct {
    qlist_t required, excluded, filters;
    qlist_t match_boosts;  /* weigh every match: accents as typed, where rare */
    qlist_t window_boosts; /* tried on the best matches only: adjacency, common accents */
    xw_db_t *db;           /* for term frequencies */
    tc_access_t level;     /* what the caller may see: every query run is restricted to it */
    const tc_forms_t *forms; /* the index's usual forms, or NULL */
    tc_strlist_t highlight; /* folded words to mark in snippets */
    int accented;           /* the user typed diacritics */
    qlist_t own_numbers;    /* the dispatches carrying a number typed (add_own_number_boost) */
    /* What a dispatch must match, part by part as the user typed them (a
     * word or glued group, a phrase, a filter), with their text: when
     * nothing matches, the answer says which part emptied it. */
    qlist_t parts;
    tc_strlist_t part_labels;
    tc_buf_t part_is_filter; /* a byte a part: 1 for a filter (issuer:, year: ...) */
    int emptied_by_filter;   /* without one of its filters the search finds something */
    /* A key for every sub-query added (keys malloc'd, owned here): a word
     * or phrase typed twice adds nothing to what matches, but each copy
     * of a phrase would have its positions checked again in every
     * candidate, so repeats are built once. */
    tc_strset_t added;
    size_t n_phrases, n_words; /* distinct text parts, required or excluded */
} builder_t;

static void builder_free(builder_t *b)
{
    qlist_t *lists[] = { &b->required, &b->match_boosts, &b->window_boosts, &b->excluded, &b->filters,
                         &b->own_numbers, &b->parts };
    for (size_t i = 0; i < sizeof lists / sizeof *lists; i++) {
        lists[i]->failed = 1;
        qlist_combine(lists[i], XW_OP_AND);
    }
    tc_strlist_clear(&b->highlight);
    tc_strlist_clear(&b->part_labels);
    tc_buf_free(&b->part_is_filter);
    for (size_t i = 0; i < b->added.count; i++)
        free((char *)b->added.keys[i]);
    tc_strset_free(&b->added);
}

/* What the sub-queries of a build are keyed by in builder_t's `added`. */
typedef enum {
    PART_REQUIRED = 'R', /* words or a phrase of the text */
    PART_EXCLUDED = 'X',
    PART_ADJACENT = 'A', /* boost: words standing together */
    PART_EXACT = 'E'     /* boost: a word with the accents typed */
} part_t;

/* Non-zero the first time the sub-query `part` of toks[from..to) (their
 * folded forms; for PART_EXACT the exact one) is asked for; 0 when it was
 * added before, or when memory ran out (the build then fails). */
static int first_time(builder_t *b, part_t part, const tc_tokens_t *toks, size_t from, size_t to)
{
    tc_buf_t key = TC_BUF_INIT;
    int rc = tc_buf_putc(&key, (char)part);
    for (size_t i = from; i < to && rc == 0; i++)
        rc = (i > from && tc_buf_putc(&key, ' ') < 0) ||
             tc_buf_puts(&key, part == PART_EXACT ? TC_TOKEN_EXACT(toks, i) : TC_TOKEN_FOLDED(toks, i)) < 0;
    if (rc == 0 && tc_strset_find(&b->added, key.data) >= 0) {
        tc_buf_free(&key);
        return 0;
    }
    char *owned = rc == 0 ? tc_buf_steal(&key) : NULL;
    if (!owned || tc_strset_add(&b->added, owned) < 0) {
        free(owned);
        tc_buf_free(&key);
        b->required.failed = 1;
        return 0;
    }
    if (part == PART_REQUIRED || part == PART_EXCLUDED)
        *(to - from > 1 ? &b->n_phrases : &b->n_words) += 1;
    return 1;
}

static void remember_terms(builder_t *b, const tc_tokens_t *toks)
{
    for (size_t i = 0; i < toks->count; i++) {
        const char *folded = TC_TOKEN_FOLDED(toks, i);
        int known = 0;
        for (size_t k = 0; k < b->highlight.count && !known; k++)
            known = strcmp(b->highlight.items[k], folded) == 0;
        if (!known && tc_strlist_push(&b->highlight, folded, strlen(folded)) < 0)
            b->required.failed = 1;
    }
}

/* Non-zero when toks[i] is typed in its word's usual form (forms.h),
 * which has no exact term. */
static int typed_in_usual_form(const builder_t *b, const tc_tokens_t *toks, size_t i)
{
    long form = tc_forms_find(b->forms, TC_TOKEN_FOLDED(toks, i));
    return form >= 0 && strcmp(b->forms->usual[form], TC_TOKEN_EXACT(toks, i)) == 0;
}

/* The documents holding toks[i] as typed: its exact term, or for a usual
 * form the folded word without the marker of other forms. */
static xw_query_t *exact_query(const builder_t *b, const tc_tokens_t *toks, size_t i)
{
    const char *folded = TC_TOKEN_FOLDED(toks, i);
    if (!typed_in_usual_form(b, toks, i))
        return prefixed_term(TC_PREFIX_EXACT, TC_TOKEN_EXACT(toks, i));
    xw_query_t *parts[] = { prefixed_term("", folded), prefixed_term(TC_PREFIX_UNUSUAL, folded) };
    return xw_query_combine(XW_OP_AND_NOT, parts, 2);
}

/* How many documents hold toks[i] as typed (see exact_query); 0 when
 * unknown. */
static size_t exact_count(const builder_t *b, const tc_tokens_t *toks, size_t i)
{
    const char *folded = TC_TOKEN_FOLDED(toks, i);
    int usual = typed_in_usual_form(b, toks, i);
    tc_buf_t term = TC_BUF_INIT;
    size_t with = 0, without = 0;
    const char *counted = usual ? folded : TC_TOKEN_EXACT(toks, i);
    if (tc_term_append(&term, usual ? TC_PREFIX_UNUSUAL : TC_PREFIX_EXACT, counted) < 0 ||
        xw_db_term_count(b->db, term.data, usual ? &without : &with) != TC_STATUS_SUCCESS ||
        (usual && xw_db_term_count(b->db, folded, &with) != TC_STATUS_SUCCESS))
        with = without = 0;
    tc_buf_free(&term);
    return with > without ? with - without : 0;
}

/* Non-zero when an accent boost is better tried on the window: when most
 * documents with the folded word have it as typed, the best matches by
 * folded words hold plenty of them, and weighing only those ranks the
 * same first page for less.  Weighing every match costs about 400
 * instructions per document holding the exact form ("kế", in 59k of 100k
 * dispatches, doubled the cost of ranking), the window a fixed cost
 * whatever the word; below WINDOW_ACCENT_DOCS documents (measured at 100k:
 * 5,000 and 20,000 did alike) weighing every match is as cheap.  A rare
 * form ("bão" among "bao") might be missing from the window. */
static int accent_is_common(builder_t *b, const tc_tokens_t *toks, size_t i)
{
    size_t folded = 0, exact = exact_count(b, toks, i);
    return exact >= WINDOW_ACCENT_DOCS &&
           xw_db_term_count(b->db, TC_TOKEN_FOLDED(toks, i), &folded) == TC_STATUS_SUCCESS && exact * 2 >= folded;
}

static void add_exact_boosts(builder_t *b, const tc_tokens_t *toks)
{
    if (!b->accented)
        return;
    /* Only words typed with marks: unmarked forms are not indexed exactly. */
    for (size_t i = 0; i < toks->count; i++)
        if (toks->tokens[i].accented && first_time(b, PART_EXACT, toks, i, i + 1))
            qlist_push(accent_is_common(b, toks, i) ? &b->window_boosts : &b->match_boosts,
                       xw_query_scale(exact_query(b, toks, i), EXACT_BOOST));
}

/* Records the parts list gained since it held `before` as one part the
 * user typed, shown as label. */
static void label_new_parts(builder_t *b, const qlist_t *list, size_t before, const char *label, size_t label_len)
{
    if (list->failed || list->n <= before)
        return;
    qlist_t copies = { 0 };
    for (size_t i = before; i < list->n; i++)
        qlist_push(&copies, xw_query_copy(list->items[i]));
    qlist_push(&b->parts, qlist_combine(&copies, XW_OP_AND));
    if (!b->parts.failed && (tc_strlist_push(&b->part_labels, label, label_len) < 0 ||
                             tc_buf_putc(&b->part_is_filter, list == &b->filters) < 0))
        b->parts.failed = 1;
}

/* Phrase of words (folded), or the one word. */
static xw_query_t *phrase_of_words(const tc_strlist_t *words)
{
    if (words->count == 1)
        return prefixed_term("", words->items[0]);
    qlist_t parts = { 0 };
    for (size_t i = 0; i < words->count; i++)
        qlist_push(&parts, prefixed_term("", words->items[i]));
    return qlist_combine(&parts, XW_OP_PHRASE);
}

/* The words of toks[from..to) as typed (folded). */
static int words_of(tc_strlist_t *out, const tc_tokens_t *toks, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (tc_strlist_push(out, TC_TOKEN_FOLDED(toks, i), strlen(TC_TOKEN_FOLDED(toks, i))) < 0)
            return -1;
    return 0;
}

/* The expansion of "a&b" when a and b make a known abbreviation written
 * with an ampersand ("kh" "cn" -> Khoa học và Công nghệ); else NULL. */
static const char *ampersand_abbrev(const char *a, size_t a_len, const char *b)
{
    char *key = tc_strdup_printf("%.*s&%s", (int)a_len, a, b);
    const char *expansion = key ? tc_abbrev_expand(key) : NULL;
    free(key);
    return expansion;
}

/* The same words as offices also spell them: an abbreviation written with
 * an ampersand is one token typed without it and two with it ("SKHCN" and
 * "SKH&CN" in "3352/SKH&CN-TĐC"), so each form gets the other's tokens.
 * Digits are left as they are. */
static int respelled(tc_strlist_t *out, const tc_strlist_t *words)
{
    for (size_t i = 0; i < words->count; i++) {
        const char *w = words->items[i];
        size_t len = strlen(w);
        if (i + 1 < words->count && ampersand_abbrev(w, len, words->items[i + 1])) {
            char *joined = tc_strdup_printf("%s%s", w, words->items[i + 1]);
            int rc = joined ? tc_strlist_push(out, joined, strlen(joined)) : -1;
            free(joined);
            if (rc < 0)
                return -1;
            i++;
            continue;
        }
        size_t split = 0;
        for (size_t k = 1; k < len && !split && strspn(w, "0123456789") < len; k++)
            if (ampersand_abbrev(w, k, w + k))
                split = k;
        if (split ? tc_strlist_push(out, w, split) < 0 || tc_strlist_push(out, w + split, len - split) < 0
                  : tc_strlist_push(out, w, len) < 0)
            return -1;
    }
    return 0;
}

static int same_words(const tc_strlist_t *a, const tc_strlist_t *b)
{
    if (a->count != b->count)
        return 0;
    for (size_t i = 0; i < a->count; i++)
        if (strcmp(a->items[i], b->items[i]) != 0)
            return 0;
    return 1;
}

/* A dispatch number opens the words: digits only. */
static int opens_with_number(const tc_strlist_t *words)
{
    const char *t = words->count ? words->items[0] : "";
    return *t && strspn(t, "0123456789") == strlen(t);
}

/* Words opening with a number ("1471", "1471 ubnd kgvx"): the dispatches
 * carrying it as their own rank first.  A bare number is any symbol's, and
 * a number with the start of a symbol ("526/BC") any symbol's that starts
 * so (the XN terms hold number and symbol).  Returns those dispatches (a
 * query the caller owns, NULL when the words are no number): they match
 * the words even when their text does not hold them apart, as
 * "Số: 526BC/TWĐTNTNTH" in the Đoàn's old letters does not. */
static xw_query_t *add_own_number_boost(builder_t *b, const tc_strlist_t *words)
{
    if (!opens_with_number(words))
        return NULL;
    tc_buf_t key = TC_BUF_INIT;
    int failed = tc_buf_puts(&key, TC_PREFIX_NUMBER) < 0;
    for (size_t i = 0; i < words->count && !failed; i++)
        failed = (i > 0 && tc_buf_putc(&key, ' ') < 0) || tc_buf_puts(&key, words->items[i]) < 0;
    xw_query_t *carriers = NULL;
    if (!failed) {
        xw_query_t *whole = xw_query_term(key.data, 1);
        failed = tc_buf_putc(&key, ' ') < 0;
        carriers = failed ? NULL : xw_query_combine(XW_OP_OR, (xw_query_t *[]){ whole, xw_query_prefix(key.data) }, 2);
        if (failed)
            xw_query_free(whole);
    }
    tc_buf_free(&key);
    xw_query_t *matched = xw_query_copy(carriers);
    qlist_push(&b->own_numbers, xw_query_copy(carriers));
    qlist_push(&b->match_boosts, xw_query_fixed_weight(carriers, OWN_NUMBER_BOOST));
    return matched;
}

/* What a group of glued tokens typed in the search box matches: its
 * words, or as offices also write them: an abbreviation spelled out
 * ("khcn", "kh&cn" -> "Khoa học và Công nghệ", "ubnd" -> "Ủy ban nhân
 * dân"), respelled with or without its ampersand, and a type's code as
 * that type ("cv" -> công văn, "qđ" -> quyết định, "kh" -> kế hoạch). */
static xw_query_t *typed_group(builder_t *b, const tc_tokens_t *toks, size_t from, size_t to)
{
    tc_strlist_t words = { 0 }, other = { 0 };
    qlist_t forms = { 0 };
    if (words_of(&words, toks, from, to) < 0 || respelled(&other, &words) < 0)
        forms.failed = 1;
    qlist_push(&forms, phrase_of(toks, from, to, ""));
    xw_query_t *own = add_own_number_boost(b, &words);
    if (own)
        qlist_push(&forms, own);
    if (!forms.failed && !same_words(&words, &other)) {
        qlist_push(&forms, phrase_of_words(&other));
        if ((own = add_own_number_boost(b, &other)) != NULL)
            qlist_push(&forms, own);
    }
    /* One word, typed or once respelled: its expansion, or its type. */
    const tc_strlist_t *lists[] = { &words, &other };
    for (size_t l = 0; l < 2 && !forms.failed; l++) {
        if (lists[l]->count != 1 || (l == 1 && same_words(&words, &other)))
            continue;
        const char *word = lists[l]->items[0];
        const char *expansion = tc_abbrev_expand(word);
        tc_doc_type_t const *type = tc_doc_type_by_code(word);
        if (expansion) {
            tc_tokens_t spelled = { 0 };
            if (tc_tokenize(&spelled, expansion, strlen(expansion)) != TC_STATUS_SUCCESS)
                forms.failed = 1;
            else if (spelled.count)
                qlist_push(&forms, phrase_of(&spelled, 0, spelled.count, ""));
            tc_tokens_free(&spelled);
        }
        if (type)
            qlist_push(&forms, prefixed_term(TC_PREFIX_TYPE, type->key));
    }
    tc_strlist_clear(&words);
    tc_strlist_clear(&other);
    return qlist_combine(&forms, XW_OP_OR);
}

/* Unquoted words: every group of glued tokens ("1471/UBND-KGVX") must
 * match as a phrase; neighbouring words standing together rank higher. */
static tc_status_t add_free_words(builder_t *b, const char *text)
{
    tc_tokens_t toks = { 0 };
    tc_status_t status = tc_tokenize(&toks, text, strlen(text));
    if (status != TC_STATUS_SUCCESS) {
        tc_tokens_free(&toks);
        return status;
    }
    size_t group_start = 0;
    for (size_t i = 0; i < toks.count; i++) {
        int group_ends = i + 1 == toks.count || !toks.tokens[i + 1].glued;
        if (!group_ends)
            continue;
        if (first_time(b, PART_REQUIRED, &toks, group_start, i + 1)) {
            size_t before = b->required.n;
            qlist_push(&b->required, typed_group(b, &toks, group_start, i + 1));
            label_new_parts(b, &b->required, before, text + toks.tokens[group_start].start,
                            toks.tokens[i].end - toks.tokens[group_start].start);
        }
        /* bigram across the gap between two words */
        if (group_start > 0 && first_time(b, PART_ADJACENT, &toks, group_start - 1, group_start + 1))
            qlist_push(&b->window_boosts, xw_query_scale(phrase_of(&toks, group_start - 1, group_start + 1, ""),
                                                         ADJACENCY_BOOST));
        group_start = i + 1;
    }
    if (toks.count >= 3 && first_time(b, PART_ADJACENT, &toks, 0, toks.count))
        qlist_push(&b->window_boosts, xw_query_scale(phrase_of(&toks, 0, toks.count, ""), ADJACENCY_BOOST));
    add_exact_boosts(b, &toks);
    remember_terms(b, &toks);
    tc_tokens_free(&toks);
    return TC_STATUS_SUCCESS;
}

static tc_status_t add_phrase(builder_t *b, const char *text, int negated)
{
    tc_tokens_t toks = { 0 };
    tc_status_t status = tc_tokenize(&toks, text, strlen(text));
    if (status == TC_STATUS_SUCCESS && toks.count &&
        first_time(b, negated ? PART_EXCLUDED : PART_REQUIRED, &toks, 0, toks.count)) {
        size_t before = b->required.n;
        qlist_push(negated ? &b->excluded : &b->required, phrase_of(&toks, 0, toks.count, ""));
        char *quoted = negated ? NULL : tc_strdup_printf("\"%s\"", text);
        if (quoted)
            label_new_parts(b, &b->required, before, quoted, strlen(quoted));
        free(quoted);
        if (!negated) {
            add_exact_boosts(b, &toks);
            remember_terms(b, &toks);
        }
    }
    tc_tokens_free(&toks);
    return status;
}

/* Issuer words, with abbreviations ("UBND", "KH&CN", "SKHCN") spelled out. */
static tc_status_t add_issuer_filter(builder_t *b, const char *value)
{
    tc_buf_t expanded = TC_BUF_INIT;
    const char *s = value;
    int rc = tc_buf_append(&expanded, "", 0);
    while (*s && rc == 0) {
        while (*s == ' ')
            s++;
        const char *start = s;
        while (*s && *s != ' ')
            s++;
        if (s == start)
            break;
        char *folded = tc_fold(start, (size_t)(s - start));
        const char *expansion = folded ? tc_abbrev_expand(folded) : NULL;
        rc = tc_buf_putc(&expanded, ' ') ||
             (expansion ? tc_buf_puts(&expanded, expansion) : tc_buf_append(&expanded, start, (size_t)(s - start)));
        free(folded);
    }
    tc_tokens_t toks = { 0 };
    tc_status_t status = rc ? TC_STATUS_OUT_OF_MEMORY : tc_tokenize(&toks, expanded.data, expanded.len);
    if (status == TC_STATUS_SUCCESS) {
        qlist_t words = { 0 };
        for (size_t i = 0; i < toks.count; i++)
            qlist_push(&words, prefixed_term(TC_PREFIX_ISSUER, TC_TOKEN_FOLDED(&toks, i)));
        xw_query_t *q = qlist_combine(&words, XW_OP_AND);
        qlist_push(&b->filters, q ? q : xw_query_match_all());
    }
    tc_tokens_free(&toks);
    tc_buf_free(&expanded);
    return status;
}

static tc_status_t add_theme_filter(builder_t *b, const char *value)
{
    tc_tokens_t toks = { 0 };
    tc_status_t status = tc_tokenize(&toks, value, strlen(value));
    if (status == TC_STATUS_SUCCESS)
        qlist_push(&b->filters, toks.count ? phrase_of(&toks, 0, toks.count, TC_PREFIX_THEME)
                                           : xw_query_match_all());
    tc_tokens_free(&toks);
    return status;
}

static void add_type_filter(builder_t *b, const char *value)
{
    char *type = tc_fold_words(value);
    qlist_push(&b->filters, type ? prefixed_term(TC_PREFIX_TYPE, type) : NULL);
    free(type);
}

static void add_year_filter(builder_t *b, int from, int to)
{
    char year[16];
    qlist_t years = { 0 };
    for (int y = from; y <= to; y++) {
        snprintf(year, sizeof year, "%04d", y);
        qlist_push(&years, prefixed_term(TC_PREFIX_YEAR, year));
    }
    xw_query_t *q = qlist_combine(&years, XW_OP_OR);
    qlist_push(&b->filters, q ? q : xw_query_match_nothing());
}

/* The fewest year, month and day terms that cover [from, to]. */
/* The date of issue within r.  Dates are stored as ISO text, partial when
 * the dispatch leaves the day or month blank ("2025-04"), so ends are
 * compared as text: a range opening on the 1st opens at the month (and on
 * 1 January at the year), so that a dispatch of "2025-04" is in April. */
static void add_date_filter(builder_t *b, const tc_date_range_t *r)
{
    char low[16], high[16];
    if (r->from[2] != 1)
        snprintf(low, sizeof low, "%04d-%02d-%02d", r->from[0], r->from[1], r->from[2]);
    else if (r->from[1] != 1)
        snprintf(low, sizeof low, "%04d-%02d", r->from[0], r->from[1]);
    else
        snprintf(low, sizeof low, "%04d", r->from[0]);
    snprintf(high, sizeof high, "%04d-%02d-%02d", r->to[0], r->to[1], r->to[2]);
    qlist_push(&b->filters, xw_query_value_range(TC_SLOT_DATE, low, high));
}

static void add_deadline_filter(builder_t *b, const tc_date_range_t *r)
{
    qlist_t terms = { 0 };
    int y = r->from[0], m = r->from[1], d = r->from[2];
    long end = r->to[0] * 10000L + r->to[1] * 100 + r->to[2];
    if (y < FIRST_YEAR) {
        y = FIRST_YEAR;
        m = d = 1;
    }
    if (end > LAST_YEAR * 10000L + 1231)
        end = LAST_YEAR * 10000L + 1231;
    char key[32];
    while (y * 10000L + m * 100 + d <= end && !terms.failed) {
        if (m == 1 && d == 1 && y * 10000L + 1231 <= end) {
            snprintf(key, sizeof key, "%04d", y);
            qlist_push(&terms, prefixed_term(TC_PREFIX_DEADLINE_YEAR, key));
            y++;
        } else if (d == 1 && y * 10000L + m * 100 + tc_days_in_month(y, m) <= end) {
            snprintf(key, sizeof key, "%04d%02d", y, m);
            qlist_push(&terms, prefixed_term(TC_PREFIX_DEADLINE_MONTH, key));
            if (++m > 12) {
                m = 1;
                y++;
            }
        } else {
            snprintf(key, sizeof key, "%04d%02d%02d", y, m, d);
            qlist_push(&terms, prefixed_term(TC_PREFIX_DEADLINE_DAY, key));
            if (++d > tc_days_in_month(y, m)) {
                d = 1;
                if (++m > 12) {
                    m = 1;
                    y++;
                }
            }
        }
    }
    xw_query_t *q = qlist_combine(&terms, XW_OP_OR);
    qlist_push(&b->filters, q ? q : xw_query_match_nothing());
}

/* The three queries of a search: ranked, counted, and the window boosts
 * that reorder the best ranked matches (rescore, NULL when there are none). */
typedef struct {
    xw_query_t *ranked, *counted, *rescore;
} built_query_t;

static void built_query_free(built_query_t *built)
{
    xw_query_free(built->ranked);
    xw_query_free(built->counted);
    xw_query_free(built->rescore);
    memset(built, 0, sizeof *built);
}

/* The filters added since the list held `before`, made one that any of
 * them passes (OR), and recorded as the part labelled as *label says,
 * which is emptied for the next. */
static void any_of_new_filters(builder_t *b, size_t before, tc_buf_t *label)
{
    if (!b->filters.failed && b->filters.n > before + 1) {
        qlist_t any = { 0 };
        for (size_t i = before; i < b->filters.n; i++)
            qlist_push(&any, b->filters.items[i]);
        b->filters.n = before;
        qlist_push(&b->filters, qlist_combine(&any, XW_OP_OR));
    }
    if (label->data)
        label_new_parts(b, &b->filters, before, label->data, label->len);
    tc_buf_reset(label);
}

/* On TC_STATUS_BAD_QUERY *message (malloc'd) says why. */
static tc_status_t build_query(built_query_t *out, builder_t *b, const tc_qparsed_t *q, char **message)
{
    tc_status_t status = TC_STATUS_SUCCESS;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < q->n_words; i++)
        if (!q->words[i].negated && tc_has_marks(q->words[i].text, strlen(q->words[i].text)))
            b->accented = 1;

    /* Consecutive unquoted words are read together, for adjacency. */
    tc_buf_t run = TC_BUF_INIT;
    for (size_t i = 0; i <= q->n_words && status == TC_STATUS_SUCCESS; i++) {
        const tc_qword_t *w = i < q->n_words ? &q->words[i] : NULL;
        if (w && !w->phrase && !w->negated) {
            if ((run.len && tc_buf_putc(&run, ' ') < 0) || tc_buf_puts(&run, w->text) < 0)
                status = TC_STATUS_OUT_OF_MEMORY;
            continue;
        }
        if (run.len) {
            status = add_free_words(b, run.data);
            tc_buf_reset(&run);
        }
        if (w && status == TC_STATUS_SUCCESS)
            status = add_phrase(b, w->text, w->negated);
    }
    tc_buf_free(&run);
    if (status == TC_STATUS_SUCCESS && (b->n_phrases > MAX_PHRASES || b->n_words > MAX_WORDS)) {
        *message = b->n_phrases > MAX_PHRASES
                       ? tc_strdup_printf("q: more than %d different phrases in one query", MAX_PHRASES)
                       : tc_strdup_printf("q: more than %d different words in one query", MAX_WORDS);
        return TC_STATUS_BAD_QUERY;
    }

    /* Each filter is a part of its own, labelled as typed inline. */
    char *label = NULL;
    size_t before = 0;
#define FILTER_PART(add, ...)                                                                                        \
    do {                                                                                                             \
        before = b->filters.n;                                                                                       \
        add;                                                                                                         \
        if ((label = tc_strdup_printf(__VA_ARGS__)))                                                                 \
            label_new_parts(b, &b->filters, before, label, strlen(label));                                           \
        free(label);                                                                                                 \
    } while (0)
    for (size_t i = 0; i < q->issuers.count && status == TC_STATUS_SUCCESS; i++)
        FILTER_PART(status = add_issuer_filter(b, q->issuers.items[i]), "issuer:\"%s\"", q->issuers.items[i]);
    for (size_t i = 0; i < q->themes.count && status == TC_STATUS_SUCCESS; i++)
        FILTER_PART(status = add_theme_filter(b, q->themes.items[i]), "theme:\"%s\"", q->themes.items[i]);
    for (size_t i = 0; i < q->doc_types.count; i++)
        FILTER_PART(add_type_filter(b, q->doc_types.items[i]), "type:\"%s\"", q->doc_types.items[i]);
    int year_from = q->year_from > FIRST_YEAR ? q->year_from : FIRST_YEAR;
    int year_to = q->year_to && q->year_to < LAST_YEAR ? q->year_to : LAST_YEAR;
    if (q->year_from || q->year_to) {
        if (year_from == year_to)
            FILTER_PART(add_year_filter(b, year_from, year_to), "year:%d", year_from);
        else
            FILTER_PART(add_year_filter(b, year_from, year_to), "year:%d..%d", year_from, year_to);
    }
    for (size_t i = 0; i < q->n_deadlines; i++)
        FILTER_PART(add_deadline_filter(b, &q->deadlines[i]), "deadline:%04d-%02d-%02d..%04d-%02d-%02d",
                    q->deadlines[i].from[0], q->deadlines[i].from[1], q->deadlines[i].from[2], q->deadlines[i].to[0],
                    q->deadlines[i].to[1], q->deadlines[i].to[2]);
    for (size_t i = 0; i < q->n_dates; i++)
        FILTER_PART(add_date_filter(b, &q->dates[i]), "date:%04d-%02d-%02d..%04d-%02d-%02d", q->dates[i].from[0],
                    q->dates[i].from[1], q->dates[i].from[2], q->dates[i].to[0], q->dates[i].to[1],
                    q->dates[i].to[2]);
#undef FILTER_PART
    /* Several values of one facet: one filter that any of them passes. */
    tc_buf_t any_label = TC_BUF_INIT;
    if (status == TC_STATUS_SUCCESS && q->issuer_any.count) {
        before = b->filters.n;
        for (size_t i = 0; i < q->issuer_any.count && status == TC_STATUS_SUCCESS; i++) {
            status = add_issuer_filter(b, q->issuer_any.items[i]);
            if (tc_buf_puts(&any_label, i ? "|\"" : "issuer:\"") < 0 || tc_buf_puts(&any_label, q->issuer_any.items[i]) < 0 ||
                tc_buf_putc(&any_label, '"') < 0)
                status = TC_STATUS_OUT_OF_MEMORY;
        }
        any_of_new_filters(b, before, &any_label);
    }
    if (status == TC_STATUS_SUCCESS && q->doc_type_any.count) {
        before = b->filters.n;
        for (size_t i = 0; i < q->doc_type_any.count && status == TC_STATUS_SUCCESS; i++) {
            add_type_filter(b, q->doc_type_any.items[i]);
            if (tc_buf_puts(&any_label, i ? "|\"" : "type:\"") < 0 || tc_buf_puts(&any_label, q->doc_type_any.items[i]) < 0 ||
                tc_buf_putc(&any_label, '"') < 0)
                status = TC_STATUS_OUT_OF_MEMORY;
        }
        any_of_new_filters(b, before, &any_label);
    }
    if (status == TC_STATUS_SUCCESS && q->n_year_any) {
        before = b->filters.n;
        for (size_t i = 0; i < q->n_year_any && status == TC_STATUS_SUCCESS; i++) {
            int from = q->year_any[i][0] > FIRST_YEAR ? q->year_any[i][0] : FIRST_YEAR;
            int to = q->year_any[i][1] && q->year_any[i][1] < LAST_YEAR ? q->year_any[i][1] : LAST_YEAR;
            add_year_filter(b, from, to);
            char *one = from == to ? tc_strdup_printf("%s%d", i ? "|" : "year:", from)
                                   : tc_strdup_printf("%s%d..%d", i ? "|" : "year:", from, to);
            if (!one || tc_buf_puts(&any_label, one) < 0)
                status = TC_STATUS_OUT_OF_MEMORY;
            free(one);
        }
        any_of_new_filters(b, before, &any_label);
    }
    tc_buf_free(&any_label);
    if (status != TC_STATUS_SUCCESS)
        return status;

    int failed = b->required.failed || b->match_boosts.failed || b->window_boosts.failed ||
                 b->excluded.failed || b->filters.failed;
    xw_query_t *required = qlist_combine(&b->required, XW_OP_AND);
    if (!required && !failed)
        required = xw_query_match_all();
    xw_query_t *match_boosts = qlist_combine(&b->match_boosts, XW_OP_OR);
    xw_query_t *window_boosts = qlist_combine(&b->window_boosts, XW_OP_OR);
    xw_query_t *excluded = qlist_combine(&b->excluded, XW_OP_OR);
    xw_query_t *filters = qlist_combine(&b->filters, XW_OP_AND);
    /* Ranked: required, weighted up by the boosts for every match.
     * Counted: the same documents without the boosts, which never change
     * what matches. */
    xw_query_t *query = match_boosts ? xw_query_combine(XW_OP_AND_MAYBE,
                                                        (xw_query_t *[]){ xw_query_copy(required), match_boosts }, 2)
                                     : xw_query_copy(required);
    xw_query_t *counted = required;
    if (excluded) {
        query = xw_query_combine(XW_OP_AND_NOT, (xw_query_t *[]){ query, xw_query_copy(excluded) }, 2);
        counted = xw_query_combine(XW_OP_AND_NOT, (xw_query_t *[]){ counted, excluded }, 2);
    }
    if (filters) {
        query = xw_query_combine(XW_OP_FILTER, (xw_query_t *[]){ query, xw_query_copy(filters) }, 2);
        counted = xw_query_combine(XW_OP_FILTER, (xw_query_t *[]){ counted, filters }, 2);
    }
    /* A dispatch above the caller's level does not exist for this search:
     * no hit, no count, no facet value. */
    out->ranked = tc_access_restrict(query, b->level);
    out->counted = tc_access_restrict(counted, b->level);
    out->rescore = window_boosts;
    if (failed || !query || !counted) {
        built_query_free(out);
        return TC_STATUS_OUT_OF_MEMORY;
    }
    return TC_STATUS_SUCCESS;
}

/* The deadline views, relative to today (the server's local date):
 * "overdue", a deadline already passed; "soon", one from today to
 * due_days ahead. */
static tc_status_t add_due(tc_qparsed_t *parsed, const tc_query_t *query, char **message)
{
    size_t days = query->due_days ? query->due_days : TC_DUE_SOON_DAYS;
    if (days > TC_MAX_DUE_DAYS) {
        *message = tc_strdup_printf("due_days: %zu is more than %d", days, TC_MAX_DUE_DAYS);
        return TC_STATUS_BAD_QUERY;
    }
    time_t now = time(NULL);
    struct tm today, edge;
    localtime_r(&now, &today);
    char from[16], to[16];
    if (strcmp(query->due, "overdue") == 0) {
        edge = today;
        edge.tm_mday -= 1;
        mktime(&edge);
        strftime(to, sizeof to, "%Y-%m-%d", &edge);
        return tc_qparse_deadline(parsed, NULL, to, message);
    }
    if (strcmp(query->due, "soon") == 0) {
        edge = today;
        edge.tm_mday += (int)days;
        mktime(&edge);
        strftime(from, sizeof from, "%Y-%m-%d", &today);
        strftime(to, sizeof to, "%Y-%m-%d", &edge);
        return tc_qparse_deadline(parsed, from, to, message);
    }
    *message = tc_strdup_printf("due: \"%s\" is not overdue or soon", query->due);
    return TC_STATUS_BAD_QUERY;
}

static tc_status_t parse_request(tc_qparsed_t *parsed, const tc_query_t *query, char **message)
{
    tc_status_t status = tc_qparse(parsed, query->words, message);
    struct {
        const char *field, *value;
    } explicit_filters[] = {
        { "issuer", query->issuer }, { "theme", query->theme }, { "type", query->doc_type }, { "year", query->year }
    };
    for (size_t i = 0; i < 4 && status == TC_STATUS_SUCCESS; i++)
        if (explicit_filters[i].value && *explicit_filters[i].value)
            status = tc_qparse_filter(parsed, explicit_filters[i].field, explicit_filters[i].value, message);
    if (status == TC_STATUS_SUCCESS && ((query->deadline_from && *query->deadline_from) ||
                                        (query->deadline_to && *query->deadline_to)))
        status = tc_qparse_deadline(parsed, query->deadline_from, query->deadline_to, message);
    if (status == TC_STATUS_SUCCESS && ((query->date_from && *query->date_from) || (query->date_to && *query->date_to)))
        status = tc_qparse_date(parsed, query->date_from, query->date_to, message);
    if (status == TC_STATUS_SUCCESS && query->due && *query->due)
        status = add_due(parsed, query, message);
    if (status == TC_STATUS_SUCCESS && query->issuer_any)
        status = tc_qparse_any(parsed, "issuer", query->issuer_any, message);
    if (status == TC_STATUS_SUCCESS && query->doc_type_any)
        status = tc_qparse_any(parsed, "type", query->doc_type_any, message);
    if (status == TC_STATUS_SUCCESS && query->year_any)
        status = tc_qparse_any(parsed, "year", query->year_any, message);
    return status;
}

static void facet_from(tc_facet_t *facet, const xw_counts_t *counts)
{
    size_t n = counts->n;
    facet->distinct = counts->distinct;
    facet->values = calloc(n + 1, sizeof *facet->values);
    if (!facet->values)
        return;
    for (size_t i = 0; i < n; i++) {
        facet->values[i].value = counts->counts[i].value;
        facet->values[i].count = counts->counts[i].count;
        counts->counts[i].value = NULL; /* moved */
    }
    facet->count = n;
}

static int compare_paths(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The paths of the other copies of hit's dispatch (key: its copies key, ""
 * when it has none), in path order.  Whether there are any is the key's
 * document count, one lookup: the search that collapsed them cannot say,
 * since Xapian skips copies that cannot outrank the one it keeps without
 * counting them (in relevance order every copy of a filter-only query, and
 * of any query at scale). */
static tc_status_t also_in(tc_hit_t *hit, tc_index_t *index, const char *key, tc_access_t level)
{
    tc_buf_t term = TC_BUF_INIT;
    tc_doc_t **copies = NULL;
    size_t n = 0, holding = 0;
    if (!*key)
        return TC_STATUS_SUCCESS;
    if (tc_term_append(&term, TC_PREFIX_DUPLICATE, key) < 0)
        return TC_STATUS_OUT_OF_MEMORY;
    tc_status_t status = xw_db_term_count(index->db, term.data, &holding);
    if (status != TC_STATUS_SUCCESS)
        tc_index_fail(index, status, "search failed: %s", xw_db_error(index->db));
    else if (holding > 1)
        status = tc_search_term(&copies, &n, index, term.data, MAX_LIMIT, level);
    for (size_t i = 0; i < n; i++) {
        if (status == TC_STATUS_SUCCESS && copies[i]->path && strcmp(copies[i]->id, hit->doc->id) != 0 &&
            tc_strlist_push(&hit->also_in, copies[i]->path, strlen(copies[i]->path)) < 0)
            status = TC_STATUS_OUT_OF_MEMORY;
        tc_doc_free(copies[i]);
    }
    free(copies);
    tc_buf_free(&term);
    if (hit->also_in.count > 1)
        qsort(hit->also_in.items, hit->also_in.count, sizeof *hit->also_in.items, compare_paths);
    return status;
}

/* Parses and builds what query asks of index; on failure the handle's
 * last error says why. */
static tc_status_t prepare_query(built_query_t *built, builder_t *builder, tc_qparsed_t *parsed, tc_index_t *index,
                                 const tc_query_t *query)
{
    char *message = NULL;
    tc_status_t status = parse_request(parsed, query, &message);
    if (status == TC_STATUS_SUCCESS)
        status = build_query(built, builder, parsed, &message);
    if (status == TC_STATUS_BAD_QUERY)
        tc_index_fail(index, status, "%s", message ? message : "bad query");
    else if (status != TC_STATUS_SUCCESS)
        tc_index_fail(index, status, "cannot build the query: %s", tc_status_to_string(status));
    free(message);
    return status;
}

/* Matches counted exactly before an estimate: 0 for every one. */
static size_t count_bound_of(const tc_query_t *query)
{
    return query->exact ? 0 : query->count_bound ? query->count_bound : TC_COUNT_BOUND;
}

/* Fills results->without: for a query of several parts that nothing
 * matches, the parts without which something would.  A count each, of
 * the parts left (their boolean form: no weights, no positions but the
 * phrases'), exact up to count_bound (0: every match), estimated past it:
 * "điều kiện -ngày" counted every dispatch with "điều kiện", 140 ms at
 * 100k, to say how many dropping "-ngày" would find. */
static tc_status_t find_what_emptied(tc_results_t *results, builder_t *b, tc_index_t *index, size_t count_bound)
{
    size_t n = b->parts.n;
    if (n < 2 || b->parts.failed)
        return TC_STATUS_SUCCESS;
    if (!(results->without = calloc(n, sizeof *results->without)))
        return TC_STATUS_OUT_OF_MEMORY;
    for (size_t skip = 0; skip < n; skip++) {
        qlist_t others = { 0 };
        for (size_t i = 0; i < n; i++)
            if (i != skip)
                qlist_push(&others, xw_query_copy(b->parts.items[i]));
        xw_query_t *rest = tc_access_restrict(qlist_combine(&others, XW_OP_AND), b->level);
        size_t total = 0;
        int exact = 1;
        tc_status_t status = rest ? xw_db_count(index->db, rest, count_bound, &total, &exact) : TC_STATUS_OUT_OF_MEMORY;
        xw_query_free(rest);
        if (status != TC_STATUS_SUCCESS)
            return tc_index_fail(index, status, "search failed: %s", xw_db_error(index->db));
        if (!total)
            continue;
        if (b->part_is_filter.data[skip])
            b->emptied_by_filter = 1;
        tc_without_t *w = &results->without[results->n_without];
        if (!(w->part = strdup(b->part_labels.items[skip])))
            return TC_STATUS_OUT_OF_MEMORY;
        w->total = total;
        w->total_exact = exact;
        results->n_without++;
    }
    return TC_STATUS_SUCCESS;
}

/* Searches running in this process (searchd's workers): a search's helper
 * threads take only the cores the others leave, so that under load no
 * core counts for two searches at once. */
static atomic_uint searches_running;

int tc_sort_from_name(tc_sort_t *out, const char *name)
{
    static const struct {
        const char *name;
        tc_sort_t sort;
    } sorts[] = { { "relevance", TC_SORT_RELEVANCE },
                  { "date", TC_SORT_DATE },
                  { "date_asc", TC_SORT_DATE_ASC },
                  { "deadline", TC_SORT_DEADLINE },
                  { "deadline_desc", TC_SORT_DEADLINE_DESC } };
    for (size_t i = 0; name && i < sizeof sorts / sizeof *sorts; i++)
        if (strcmp(name, sorts[i].name) == 0) {
            *out = sorts[i].sort;
            return 0;
        }
    return -1;
}

static tc_status_t search_with(tc_results_t **out, tc_index_t *index, const tc_query_t *query, int may_correct);

tc_status_t tc_search(tc_results_t **out, tc_index_t *index, const tc_query_t *query)
{
    return search_with(out, index, query, !query || !query->as_typed);
}

/* The totals of a correction's candidates and a suggestion's are only
 * compared with one another and with the typed words': exact up to this
 * many, estimated past it.  Counted whole, "điều kiện -ngày" (nothing
 * found, every word known) spent 45 ms at 100k dispatches on its
 * candidates' totals, of 45,000 matches each. */
#define CANDIDATE_COUNT_BOUND 1000

/* How many dispatches the query would find with `words` instead. */
static size_t total_with_words(tc_index_t *index, const tc_query_t *query, const char *words)
{
    tc_query_t q = *query;
    q.words = words;
    q.offset = 0;
    q.limit = 0;
    q.without_snippets = 1;
    q.count_bound = CANDIDATE_COUNT_BOUND;
    q.exact = 0;
    tc_results_t *r = NULL;
    size_t total = search_with(&r, index, &q, 0) == TC_STATUS_SUCCESS ? r->total : 0;
    tc_results_free(r);
    return total;
}

/* words with the n bytes at `at` replaced by with (malloc'd). */
static char *replaced(const char *words, size_t at, size_t n, const char *with)
{
    return tc_strdup_printf("%.*s%s%s", (int)at, words, with, words + at + n);
}

/* The typed words a correction may change: unquoted, not excluded, not a
 * filter, at most this many (each is tried with its candidates). */
#define MAX_CORRECTED_WORDS 8
/* Candidates tried for a word: the most frequent words of the index near it. */
#define CANDIDATES_A_WORD 5

/* For a query that found nothing: the words corrected from the archive's
 * vocabulary so that it finds something ("did you mean").  First every
 * word the index lacks, each by its most frequent candidate together
 * (Telex typed whole: "chuyeenr ddooir soos"); else one word at a time,
 * the candidate that finds most ("phong chong thien tia").  NULL when
 * nothing better is found.  malloc'd. */
static char *correction(tc_index_t *index, const tc_query_t *query)
{
    const char *words = query->words;
    struct {
        size_t at, len;
        char *folded;
        char *candidates[CANDIDATES_A_WORD]; /* looked up once, most frequent first */
        size_t n_candidates;
    } typed[MAX_CORRECTED_WORDS];
    size_t n = 0;
    for (const char *p = words; *p && n < MAX_CORRECTED_WORDS;) {
        p += strspn(p, " \t");
        size_t len = strcspn(p, " \t");
        if (!len)
            break;
        int plain = *p != '-' && *p != '"' && !memchr(p, ':', len) && !memchr(p, '"', len);
        char *piece = plain ? tc_strndup(p, len) : NULL;
        char *folded = piece ? tc_fold_words(piece) : NULL;
        free(piece);
        if (folded && *folded && !strchr(folded, ' ') && strlen(folded) <= TC_SPELLING_LONGEST_WORD) {
            typed[n].at = (size_t)(p - words);
            typed[n].len = len;
            typed[n].folded = folded;
            typed[n].n_candidates = 0;
            n++;
        } else {
            free(folded);
        }
        p += len;
    }
    char *best = NULL;
    size_t best_total = 0, n_unknown = 0;
    int unknown[MAX_CORRECTED_WORDS] = { 0 };
    /* Lacking in what the caller may see: a word only dispatches above
     * their level have must be corrected as any other missing word, so
     * that the answer does not change with it. */
    for (size_t i = 0; i < n; i++) {
        size_t freq = 0;
        xw_query_t *seen = tc_access_restrict(xw_query_term(typed[i].folded, 1), query->level);
        unknown[i] = seen && xw_db_count(index->db, seen, 1, &freq, NULL) == TC_STATUS_SUCCESS && !freq;
        xw_query_free(seen);
        n_unknown += (size_t)unknown[i];
        /* Both ways below try a missing word's candidates: looked up once. */
        if (unknown[i])
            typed[i].n_candidates =
                tc_spelling_candidates(index, typed[i].folded, typed[i].candidates, CANDIDATES_A_WORD);
    }
    /* Several words the archive lacks: each by its likeliest candidate,
     * all at once. */
    char *all = n_unknown > 1 ? strdup(words) : NULL;
    int changed = 0;
    for (size_t i = n; i-- > 0 && all;) {
        if (!unknown[i])
            continue;
        if (typed[i].n_candidates) {
            char *next = replaced(all, typed[i].at, typed[i].len, typed[i].candidates[0]);
            free(all);
            all = next;
            changed = 1;
        }
    }
    if (all && changed && (best_total = total_with_words(index, query, all)) > 0) {
        best = all;
        all = NULL;
    }
    free(all);
    /* Else one word at a time, those the archive lacks first: the
     * candidate that finds most. */
    for (size_t pass = 0; pass < 2 && !best_total; pass++)
    for (size_t i = 0; i < n && !best_total; i++) {
        if (unknown[i] != (pass == 0))
            continue;
        if (!unknown[i])
            typed[i].n_candidates =
                tc_spelling_candidates(index, typed[i].folded, typed[i].candidates, CANDIDATES_A_WORD);
        char **candidates = typed[i].candidates;
        size_t k = typed[i].n_candidates, best_together = 0;
        for (size_t c = 0; c < k; c++) {
            char *words_c = replaced(words, typed[i].at, typed[i].len, candidates[c]);
            size_t total = words_c ? total_with_words(index, query, words_c) : 0;
            /* As many either way: the one that stands with its neighbours
             * as typed ("sang tao", not "sau tao") wins. */
            size_t together = 0;
            if (total && total >= best_total) {
                char *phrase = tc_strdup_printf("\"%s\"", words_c);
                together = phrase ? total_with_words(index, query, phrase) : 0;
                free(phrase);
            }
            if (total > best_total || (total && total == best_total && together > best_together)) {
                best_together = together;
                free(best);
                best = words_c;
                best_total = total;
            } else {
                free(words_c);
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        free(typed[i].folded);
        for (size_t c = 0; c < typed[i].n_candidates; c++)
            free(typed[i].candidates[c]);
    }
    return best;
}

/* A query that finds this few may hold a typo that made another real
 * word ("sang tai" for "sang tao"): worth a look for a suggestion.  Past
 * it the typed words are taken as meant, and no search pays the look. */
#define FEW_FOR_A_SUGGESTION 20

/* For a query of plain words that found something, but never with the
 * words side by side as typed: the words with one of them changed to a
 * neighbour from the archive's vocabulary so that they stand side by side
 * in at least as many dispatches as the typed words find ("did you mean",
 * offered, not applied).  NULL when there is none.  malloc'd. */
static char *suggestion_beside(tc_index_t *index, const tc_query_t *query, size_t typed_total)
{
    const char *words = query->words;
    if (strpbrk(words, "\"-:") || !strchr(words, ' ') || typed_total > FEW_FOR_A_SUGGESTION)
        return NULL;
    char *phrase = tc_strdup_printf("\"%s\"", words);
    size_t together = phrase ? total_with_words(index, query, phrase) : 1;
    free(phrase);
    if (together)
        return NULL; /* the words stand together as typed: meant so */
    char *best = NULL;
    size_t best_total = typed_total, best_together = 0, tried = 0;
    /* As many words as a correction tries: a pasted subject line offered
     * nothing better than its first words would. */
    for (const char *p = words; *p && tried++ < MAX_CORRECTED_WORDS;) {
        p += strspn(p, " \t");
        size_t len = strcspn(p, " \t");
        if (!len)
            break;
        /* A word typed with its marks was typed with care: left as is. */
        char *piece = tc_has_marks(p, len) ? NULL : tc_strndup(p, len);
        char *folded = piece ? tc_fold_words(piece) : NULL;
        free(piece);
        char *candidates[CANDIDATES_A_WORD];
        size_t k = folded && *folded && strlen(folded) <= TC_SPELLING_LONGEST_WORD
                       ? tc_spelling_candidates(index, folded, candidates, CANDIDATES_A_WORD)
                       : 0;
        free(folded);
        for (size_t c = 0; c < k; c++) {
            char *words_c = replaced(words, (size_t)(p - words), len, candidates[c]);
            char *phrase_c = words_c ? tc_strdup_printf("\"%s\"", words_c) : NULL;
            size_t together_c = phrase_c ? total_with_words(index, query, phrase_c) : 0;
            size_t total_c = together_c >= typed_total ? total_with_words(index, query, words_c) : 0;
            free(phrase_c);
            /* Side by side in at least as many dispatches as the typed
             * words are found in at all: a word the archive writes with
             * these neighbours, not a chance neighbour. */
            if (together_c >= typed_total &&
                (together_c > best_together || (together_c == best_together && total_c > best_total))) {
                free(best);
                best = words_c;
                best_together = together_c;
                best_total = total_c;
            } else {
                free(words_c);
            }
            free(candidates[c]);
        }
        p += len;
    }
    return best;
}

static tc_status_t search_with(tc_results_t **out, tc_index_t *index, const tc_query_t *query, int may_correct)
{
    *out = NULL;
    if (!index || !query)
        return TC_STATUS_INVALID_ARGUMENT;
    if (!index->db)
        return tc_index_fail(index, TC_STATUS_NO_INDEX, "the index is not open");
    if (query->limit > MAX_LIMIT)
        return tc_index_fail(index, TC_STATUS_BAD_QUERY, "limit: %zu is more than %d", query->limit, MAX_LIMIT);
    /* Bytes that are no text would fold to nothing and match everything. */
    const struct {
        const char *name, *value;
    } texts[] = { { "words", query->words },       { "issuer", query->issuer },
                  { "theme", query->theme },       { "doc_type", query->doc_type },
                  { "year", query->year },         { "deadline_from", query->deadline_from },
                  { "deadline_to", query->deadline_to }, { "date_from", query->date_from },
                  { "date_to", query->date_to },   { "due", query->due } };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        if (texts[i].value && !tc_is_utf8(texts[i].value)) {
            char *shown = tc_printable(texts[i].value, SHOWN_TEXT_BYTES);
            tc_index_fail(index, TC_STATUS_BAD_QUERY, "%s: \"%s\" is not valid UTF-8", texts[i].name,
                          shown ? shown : "");
            free(shown);
            return TC_STATUS_BAD_QUERY;
        }
    if (query->facet_values > TC_MAX_FACET_VALUES)
        return tc_index_fail(index, TC_STATUS_BAD_QUERY, "facet_values: %zu is more than %d", query->facet_values,
                             TC_MAX_FACET_VALUES);

    tc_qparsed_t parsed = { 0 };
    builder_t builder = { .db = index->db, .forms = index->forms, .level = query->level };
    built_query_t built = { 0 };
    xw_mset_t *mset = NULL;
    tc_results_t *results = NULL;

    tc_status_t status = prepare_query(&built, &builder, &parsed, index, query);
    if (status != TC_STATUS_SUCCESS)
        goto done;

    static const unsigned facet_slots[] = { TC_SLOT_ISSUER, TC_SLOT_YEAR, TC_SLOT_DOC_TYPE };
    double time_limit = query->time_limit < 0 ? 0 : query->time_limit ? query->time_limit : TC_TIME_LIMIT;
    unsigned others = atomic_fetch_add(&searches_running, 1);
    /* Nothing typed to rank by (the home page, filters alone): the
     * archive's order, by id, not the order the index holds its
     * documents in, which a rebuild's parts interleave. */
    int browsing = query->sort == TC_SORT_RELEVANCE && builder.n_words + builder.n_phrases == 0;
    /* Copies of one dispatch (same number, symbol, date) come back as one. */
    const xw_search_t how = { .offset = query->offset,
                              .limit = query->limit,
                              .sort_slot = browsing ? TC_SLOT_ID
                                           : query->sort == TC_SORT_DATE || query->sort == TC_SORT_DATE_ASC ? TC_SLOT_DATE
                                           : query->sort == TC_SORT_DEADLINE || query->sort == TC_SORT_DEADLINE_DESC
                                               ? TC_SLOT_DEADLINE
                                               : -1,
                              .sort_ascending = browsing || query->sort == TC_SORT_DATE_ASC || query->sort == TC_SORT_DEADLINE,
                              .collapse_slot = tc_index_has_copies(index) ? TC_SLOT_DUPLICATE : -1,
                              .facet_slots = facet_slots,
                              .n_facets = 3,
                              .facet_values = query->facet_values ? query->facet_values : TC_FACET_VALUES,
                              .count_query = built.counted,
                              .rescore_query = built.rescore,
                              .rescore_window = RESCORE_WINDOW,
                              .unique_slot = TC_SLOT_ID,
                              .unique_prefix = TC_PREFIX_ID,
                              .count_threads = others < index->search_threads ? index->search_threads - others : 1,
                              .count_bound = count_bound_of(query),
                              .time_limit = time_limit };
    status = xw_db_search(&mset, index->db, built.ranked, &how);
    atomic_fetch_sub(&searches_running, 1);
    if (status != TC_STATUS_SUCCESS) {
        tc_index_fail(index, status, "search failed: %s", xw_db_error(index->db));
        goto done;
    }

    status = TC_STATUS_OUT_OF_MEMORY;
    results = calloc(1, sizeof *results);
    if (!results || !(results->hits = calloc(mset->n_matches + 1, sizeof *results->hits)))
        goto done;
    results->total = mset->total;
    results->total_exact = mset->total_exact;
    results->total_lower = mset->total_lower;
    results->total_upper = mset->total_upper;
    results->facets_exact = mset->facets_exact;
    results->partial = mset->partial;
    results->offset = query->offset;
    results->limit = query->limit;
    for (size_t i = 0; i < mset->n_matches; i++) {
        tc_hit_t *hit = &results->hits[results->n_hits];
        const char *text = NULL;
        size_t text_len = 0;
        status = tc_doc_from_data(&hit->doc, mset->matches[i].data, mset->matches[i].data_len, &text, &text_len);
        if (status != TC_STATUS_SUCCESS) {
            tc_index_fail(index, status, "a stored record is damaged; rebuild the index");
            goto done;
        }
        results->n_hits++;
        hit->score = mset->matches[i].score;
        if (mset->matches[i].collapse_value &&
            (status = also_in(hit, index, mset->matches[i].collapse_value, query->level)) != TC_STATUS_SUCCESS)
            goto done;
        /* Search answers carry a snippet, not the full text. */
        if (query->without_snippets)
            continue;
        status = tc_snippet(&hit->snippet, &hit->highlights, &hit->n_highlights, text, text_len,
                            &builder.highlight, SNIPPET_BYTES);
        if (status != TC_STATUS_SUCCESS)
            goto done;
    }
    /* A number typed that no dispatch carries as its own: the answer says
     * so, and what it lists are the dispatches that mention it. */
    results->number_in_archive = -1;
    if (builder.own_numbers.n) {
        size_t carriers = 0;
        xw_query_t *any = tc_access_restrict(qlist_combine(&builder.own_numbers, XW_OP_OR), query->level);
        status = any ? xw_db_count(index->db, any, 1, &carriers, NULL) : TC_STATUS_OUT_OF_MEMORY;
        xw_query_free(any);
        if (status != TC_STATUS_SUCCESS) {
            tc_index_fail(index, status, "search failed: %s", xw_db_error(index->db));
            goto done;
        }
        results->number_in_archive = carriers > 0;
    }
    if (results->total == 0 && !results->partial &&
        (status = find_what_emptied(results, &builder, index, how.count_bound)) != TC_STATUS_SUCCESS)
        goto done;
    facet_from(&results->issuer, &mset->facets[0]);
    facet_from(&results->year, &mset->facets[1]);
    facet_from(&results->doc_type, &mset->facets[2]);
    /* Nothing found: the words as the archive spells them, shown instead
     * and said so, when they find something; not when the words find
     * dispatches and a filter emptied the search ("chi lang" in a year
     * without one), which results->without names. */
    if (may_correct && results->total == 0 && !results->partial && query->words && *query->words &&
        !builder.emptied_by_filter) {
        char *fixed_words = correction(index, query);
        tc_results_t *fixed = NULL;
        tc_query_t fixed_query = *query;
        fixed_query.words = fixed_words;
        if (fixed_words && search_with(&fixed, index, &fixed_query, 0) == TC_STATUS_SUCCESS && fixed->total) {
            fixed->suggestion = fixed_words;
            fixed_words = NULL;
            fixed->corrected = 1;
            tc_results_free(results);
            results = fixed;
            fixed = NULL;
        }
        tc_results_free(fixed);
        free(fixed_words);
    } else if (may_correct && results->total > 0 && !results->partial && query->words && *query->words) {
        /* Found something, but maybe not what was meant: offered. */
        results->suggestion = suggestion_beside(index, query, results->total);
    }
    *out = results;
    results = NULL;
    status = TC_STATUS_SUCCESS;
done:
    if (status == TC_STATUS_OUT_OF_MEMORY)
        tc_index_fail(index, status, "out of memory");
    tc_results_free(results);
    xw_mset_free(mset);
    built_query_free(&built);
    builder_free(&builder);
    tc_qparsed_free(&parsed);
    return status;
}

tc_status_t tc_search_describe(char **out, tc_index_t *index, const tc_query_t *query)
{
    *out = NULL;
    if (!index || !index->db || !query)
        return TC_STATUS_INVALID_ARGUMENT;
    tc_qparsed_t parsed = { 0 };
    builder_t builder = { .db = index->db, .forms = index->forms, .level = query->level };
    built_query_t built = { 0 };
    tc_status_t status = prepare_query(&built, &builder, &parsed, index, query);
    if (status == TC_STATUS_SUCCESS) {
        char *ranked = xw_query_describe(built.ranked), *counted = xw_query_describe(built.counted);
        char *rescore = built.rescore ? xw_query_describe(built.rescore) : strdup("none");
        *out = ranked && counted && rescore
                   ? tc_strdup_printf("ranked: %s\ncounted: %s\nrescore: %s", ranked, counted, rescore)
                   : NULL;
        status = *out ? TC_STATUS_SUCCESS : tc_index_fail(index, TC_STATUS_OUT_OF_MEMORY, "out of memory");
        free(ranked);
        free(counted);
        free(rescore);
    }
    built_query_free(&built);
    builder_free(&builder);
    tc_qparsed_free(&parsed);
    return status;
}

static void facet_free(tc_facet_t *facet)
{
    for (size_t i = 0; i < facet->count; i++)
        free(facet->values[i].value);
    free(facet->values);
}

void tc_results_free(tc_results_t *results)
{
    if (!results)
        return;
    for (size_t i = 0; i < results->n_hits; i++) {
        tc_doc_free(results->hits[i].doc);
        free(results->hits[i].snippet);
        free(results->hits[i].highlights);
        tc_strlist_clear(&results->hits[i].also_in);
    }
    free(results->hits);
    for (size_t i = 0; i < results->n_without; i++)
        free(results->without[i].part);
    free(results->without);
    free(results->suggestion);
    facet_free(&results->issuer);
    facet_free(&results->year);
    facet_free(&results->doc_type);
    free(results);
}

tc_status_t tc_search_term(tc_doc_t ***out, size_t *n_out, tc_index_t *index, const char *term, size_t limit,
                           tc_access_t level)
{
    *out = NULL;
    *n_out = 0;
    xw_mset_t *mset = NULL;
    xw_query_t *q = tc_access_restrict(xw_query_term(term, 1), level);
    if (!q)
        return tc_index_fail(index, TC_STATUS_OUT_OF_MEMORY, "out of memory");
    const xw_search_t how = { .limit = limit, .sort_slot = TC_SLOT_DATE, .sort_ascending = 1, .collapse_slot = -1 };
    tc_status_t status = xw_db_search(&mset, index->db, q, &how);
    xw_query_free(q);
    if (status != TC_STATUS_SUCCESS)
        return tc_index_fail(index, status, "search failed: %s", xw_db_error(index->db));
    tc_doc_t **docs = calloc(mset->n_matches + 1, sizeof *docs);
    size_t n = 0;
    status = docs ? TC_STATUS_SUCCESS : TC_STATUS_OUT_OF_MEMORY;
    for (size_t i = 0; i < mset->n_matches && status == TC_STATUS_SUCCESS; i++) {
        status = tc_doc_from_data(&docs[n], mset->matches[i].data, mset->matches[i].data_len, NULL, NULL);
        if (status == TC_STATUS_SUCCESS)
            n++;
    }
    xw_mset_free(mset);
    if (status != TC_STATUS_SUCCESS) {
        for (size_t i = 0; i < n; i++)
            tc_doc_free(docs[i]);
        free(docs);
        return tc_index_fail(index, status, "a stored record is damaged; rebuild the index");
    }
    *out = docs;
    *n_out = n;
    return TC_STATUS_SUCCESS;
}
