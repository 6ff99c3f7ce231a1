/* Words of a text, by ICU's word break rules.
 *
 * Vietnamese writes one syllable per space-separated word, which the root
 * rules split correctly; numbers and symbols split at "/" and "-", so
 * "1471/UBND-KGVX" gives three glued tokens at consecutive positions and is
 * found however the user types it. */
#include "tokenize.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include "fold.h"

/* Opening a break iterator loads rules, so each thread keeps one, closed
 * when the thread ends, with the UTF-16 copy of the text it reads (ICU
 * breaks UTF-16 faster than UTF-8 through a UText) and where each UTF-16
 * unit came from in the UTF-8. */
typedef struct {
    UBreakIterator *bi;
    UChar *units;
    size_t *from; /* byte offset of each unit, and the length after the last */
    size_t cap;   /* units and from have room for cap units (+1 in from) */
} word_break_t;

static pthread_key_t word_break_key;
static pthread_once_t word_break_once = PTHREAD_ONCE_INIT;

static void close_word_break(void *p)
{
    word_break_t *wb = p;
    ubrk_close(wb->bi);
    free(wb->units);
    free(wb->from);
    free(wb);
}

static void make_word_break_key(void)
{
    pthread_key_create(&word_break_key, close_word_break);
}

static UBreakIterator *open_word_break(void)
{
    UErrorCode err = U_ZERO_ERROR;
    UBreakIterator *bi = ubrk_open(UBRK_WORD, "vi", NULL, 0, &err);
    if (U_FAILURE(err))
        return NULL;
    return bi;
}

static word_break_t *word_break(void)
{
    pthread_once(&word_break_once, make_word_break_key);
    word_break_t *wb = pthread_getspecific(word_break_key);
    if (!wb) {
        if (!(wb = calloc(1, sizeof *wb)))
            return NULL;
        if (!(wb->bi = open_word_break()) || pthread_setspecific(word_break_key, wb) != 0) {
            ubrk_close(wb->bi);
            free(wb);
            return NULL;
        }
    }
    return wb;
}

static int gap_is_glue(const char *text, size_t from, size_t to)
{
    if (to - from > 2)
        return 0;
    for (size_t i = from; i < to; i++)
        if (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r' ||
            text[i] == '(' || text[i] == ')' || text[i] == ',' || text[i] == ';')
            return 0;
    return 1;
}

static tc_token_t *token_slot(tc_tokens_t *toks, size_t *cap)
{
    if (toks->count == *cap) {
        size_t grown_cap = *cap ? *cap * 2 : 64;
        tc_token_t *grown = realloc(toks->tokens, grown_cap * sizeof *grown);
        if (!grown)
            return NULL;
        toks->tokens = grown;
        *cap = grown_cap;
    }
    return &toks->tokens[toks->count];
}

/* Whether ICU breaks text with cp the same over UTF-16 as over a UTF-8
 * UText.  Not so for the scripts it breaks with dictionaries (Thai, Lao,
 * Khmer, Myanmar, CJK): their engines count in native indexes, and a
 * Myanmar word cut short at the end of the text splits differently in
 * UTF-8.  So only the scripts of dispatches are let through: everything
 * below Thai (Latin, combining marks, Greek, Cyrillic, ... Sinhala), Latin
 * Extended Additional to the symbols before Glagolitic (Vietnamese
 * letters, punctuation, currency, arrows, shapes), and U+FEFF / U+FFFD. */
static inline int breaks_alike(uint32_t cp)
{
    return cp < 0x0E00 || (cp >= 0x1E00 && cp < 0x2C00) || cp == 0xFEFF || cp == 0xFFFD;
}

/* Copies text into wb->units as UTF-16, each invalid sequence as one
 * U+FFFD (as ICU's UTF-8 UText reads it), noting where each unit came
 * from; returns the number of units, -1 when out of memory, or -2 when
 * the text has a character outside breaks_alike(). */
static int64_t to_utf16(word_break_t *wb, const char *text, size_t len)
{
    if (!wb->from || wb->cap < len) {
        size_t cap = len < 1024 ? 1024 : len;
        UChar *units = realloc(wb->units, cap * sizeof *units);
        if (units)
            wb->units = units;
        size_t *from = realloc(wb->from, (cap + 1) * sizeof *from);
        if (from)
            wb->from = from;
        if (!units || !from)
            return -1;
        wb->cap = cap;
    }
    UChar *u = wb->units;
    size_t *from = wb->from;
    size_t i = 0, n = 0;
    while (i < len) {
        unsigned char c = (unsigned char)text[i];
        if (c < 0x80) {
            u[n] = c;
            from[n++] = i++;
            continue;
        }
        size_t at = i;
        /* As tc_utf8_next: an invalid sequence reads as one U+FFFD. */
        UChar32 decoded;
        int32_t pos = (int32_t)i;
        U8_NEXT((const uint8_t *)text, pos, (int32_t)len, decoded);
        i = (size_t)pos;
        uint32_t cp = decoded < 0 ? 0xFFFD : (uint32_t)decoded;
        if (!breaks_alike(cp))
            return -2;
        if (cp < 0x10000) {
            u[n] = (UChar)cp;
            from[n++] = at;
        } else {
            u[n] = U16_LEAD(cp);
            from[n++] = at;
            u[n] = U16_TRAIL(cp);
            from[n++] = at;
        }
    }
    from[n] = len;
    return (int64_t)n;
}

static tc_status_t tokenize_utext(UBreakIterator *bi, tc_tokens_t *out, const char *text, size_t len,
                                  int folded_only);

static tc_status_t tokenize(tc_tokens_t *out, const char *text, size_t len, int folded_only)
{
    size_t cap = out->count;
    word_break_t *wb = word_break();
    if (!wb)
        return TC_STATUS_ICU;
    if (len > INT64_MAX)
        return TC_STATUS_INVALID_ARGUMENT;
    /* Past INT32_MAX units ICU's UTF-16 offsets would not do. */
    int64_t n = len > INT32_MAX ? -2 : to_utf16(wb, text, len);
    if (n == -2)
        return tokenize_utext(wb->bi, out, text, len, folded_only);
    if (n < 0)
        return TC_STATUS_OUT_OF_MEMORY;
    UErrorCode err = U_ZERO_ERROR;
    ubrk_setText(wb->bi, wb->units, (int32_t)n, &err);
    if (U_FAILURE(err))
        return TC_STATUS_ICU;

    const UChar *units = wb->units;
    const size_t *from = wb->from;
    int32_t start = ubrk_first(wb->bi);
    for (int32_t end = ubrk_next(wb->bi); end != UBRK_DONE; start = end, end = ubrk_next(wb->bi)) {
        if (ubrk_getRuleStatus(wb->bi) < UBRK_WORD_NONE_LIMIT)
            continue;
        tc_token_t *tok = token_slot(out, &cap);
        if (!tok)
            return TC_STATUS_OUT_OF_MEMORY;
        unsigned accented = 0;
        tok->start = from[start];
        tok->end = from[end];
        tok->folded = out->strings.len;
        if (tc_fold_word16(&out->strings, units + start, (size_t)(end - start), folded_only ? NULL : &tok->exact,
                           folded_only ? NULL : &accented) < 0)
            return TC_STATUS_OUT_OF_MEMORY;
        if (folded_only)
            tok->exact = out->strings.len - 1; /* the "" after the folded form */
        tok->accented = accented;
        tok->glued = out->count > 0 && gap_is_glue(text, out->tokens[out->count - 1].end, tok->start);
        out->count++;
    }
    return TC_STATUS_SUCCESS;
}

/* The tokenizer as it was first written, on a UTF-8 UText and the UTF-8
 * folding functions: slower, and kept only as the reference the faster
 * one must agree with, token by token (tests/check_fold.c, fuzz). */
static void reference_push(tc_tokens_t *toks, const char *text, size_t start, size_t end, size_t *cap,
                           int folded_only, int *failed)
{
    tc_token_t *tok = token_slot(toks, cap);
    if (!tok) {
        *failed = 1;
        return;
    }
    tok->start = start;
    tok->end = end;
    tok->folded = toks->strings.len;
    if (tc_fold_append(&toks->strings, text + start, end - start, NULL, NULL) < 0 ||
        tc_buf_putc(&toks->strings, '\0') < 0) {
        *failed = 1;
        return;
    }
    if (folded_only) {
        tok->exact = toks->strings.len - 1;
        tok->accented = 0;
    } else {
        tok->exact = toks->strings.len;
        if (tc_fold_exact_append(&toks->strings, text + start, end - start) < 0 ||
            tc_buf_putc(&toks->strings, '\0') < 0) {
            *failed = 1;
            return;
        }
        tok->accented = tc_has_marks(text + start, end - start) != 0;
    }
    tok->glued = toks->count > 0 && gap_is_glue(text, toks->tokens[toks->count - 1].end, start);
    toks->count++;
}

static tc_status_t tokenize_utext(UBreakIterator *bi, tc_tokens_t *out, const char *text, size_t len,
                                  int folded_only)
{
    tc_status_t status = TC_STATUS_ICU;
    UErrorCode err = U_ZERO_ERROR;
    size_t cap = out->count;
    UText *ut = utext_openUTF8(NULL, text, (int64_t)len, &err);
    if (U_FAILURE(err))
        goto done;
    ubrk_setUText(bi, ut, &err);
    if (U_FAILURE(err))
        goto done;
    status = TC_STATUS_SUCCESS;
    int failed = 0;
    int32_t start = ubrk_first(bi);
    for (int32_t end = ubrk_next(bi); end != UBRK_DONE && !failed; start = end, end = ubrk_next(bi))
        if (ubrk_getRuleStatus(bi) >= UBRK_WORD_NONE_LIMIT)
            reference_push(out, text, (size_t)start, (size_t)end, &cap, folded_only, &failed);
    if (failed)
        status = TC_STATUS_OUT_OF_MEMORY;
done:
    {
        /* Detach the iterator from the text before the UText goes away. */
        static const UChar empty[1] = { 0 };
        UErrorCode ignored = U_ZERO_ERROR;
        ubrk_setText(bi, empty, 0, &ignored);
    }
    utext_close(ut);
    return status;
}

tc_status_t tc_tokenize_reference(tc_tokens_t *out, const char *text, size_t len, int folded_only)
{
    if (len > INT64_MAX)
        return TC_STATUS_INVALID_ARGUMENT;
    UBreakIterator *bi = open_word_break();
    if (!bi)
        return TC_STATUS_ICU;
    tc_status_t status = tokenize_utext(bi, out, text, len, folded_only);
    ubrk_close(bi);
    return status;
}

tc_status_t tc_tokenize(tc_tokens_t *out, const char *text, size_t len)
{
    return tokenize(out, text, len, 0);
}

tc_status_t tc_tokenize_folded(tc_tokens_t *out, const char *text, size_t len)
{
    return tokenize(out, text, len, 1);
}

void tc_tokens_free(tc_tokens_t *toks)
{
    if (!toks)
        return;
    free(toks->tokens);
    tc_buf_free(&toks->strings);
    memset(toks, 0, sizeof *toks);
}

/* "công văn" -> "cong van": the folded words joined by single spaces. */
char *tc_fold_words(const char *text)
{
    tc_tokens_t toks = { 0 };
    tc_buf_t out = TC_BUF_INIT;
    if (tc_tokenize(&toks, text, strlen(text)) != TC_STATUS_SUCCESS) {
        tc_tokens_free(&toks);
        return NULL;
    }
    int rc = tc_buf_append(&out, "", 0);
    for (size_t i = 0; i < toks.count && rc == 0; i++)
        rc = (i ? tc_buf_putc(&out, ' ') : 0) || tc_buf_puts(&out, TC_TOKEN_FOLDED(&toks, i));
    tc_tokens_free(&toks);
    if (rc) {
        tc_buf_free(&out);
        return NULL;
    }
    return tc_buf_steal(&out);
}

