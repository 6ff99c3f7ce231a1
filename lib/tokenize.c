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

#include "fold.h"

/* Opening a break iterator loads rules, so each thread keeps one, closed
 * when the thread ends. */
static pthread_key_t word_break_key;
static pthread_once_t word_break_once = PTHREAD_ONCE_INIT;

static void close_word_break(void *bi)
{
    ubrk_close(bi);
}

static void make_word_break_key(void)
{
    pthread_key_create(&word_break_key, close_word_break);
}

static UBreakIterator *word_break(void)
{
    pthread_once(&word_break_once, make_word_break_key);
    UBreakIterator *bi = pthread_getspecific(word_break_key);
    if (!bi) {
        UErrorCode err = U_ZERO_ERROR;
        bi = ubrk_open(UBRK_WORD, "vi", NULL, 0, &err);
        if (U_FAILURE(err))
            return NULL;
        pthread_setspecific(word_break_key, bi);
    }
    return bi;
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

static int tokens_push(tc_tokens_t *toks, const char *text, size_t start, size_t end,
                       size_t *cap, int folded_only)
{
    if (toks->count == *cap) {
        size_t grown_cap = *cap ? *cap * 2 : 64;
        tc_token_t *grown = realloc(toks->tokens, grown_cap * sizeof *grown);
        if (!grown)
            return -1;
        toks->tokens = grown;
        *cap = grown_cap;
    }
    tc_token_t *tok = &toks->tokens[toks->count];
    tok->start = start;
    tok->end = end;
    tok->folded = toks->strings.len;
    if (tc_fold_append(&toks->strings, text + start, end - start, NULL, NULL) < 0 ||
        tc_buf_putc(&toks->strings, '\0') < 0)
        return -1;
    if (folded_only) {
        tok->exact = tok->folded + (toks->strings.len - 1 - tok->folded); /* the "" after it */
        tok->accented = 0;
    } else {
        tok->exact = toks->strings.len;
        if (tc_fold_exact_append(&toks->strings, text + start, end - start) < 0 ||
            tc_buf_putc(&toks->strings, '\0') < 0)
            return -1;
        tok->accented = tc_has_marks(text + start, end - start) != 0;
    }
    tok->glued = toks->count > 0 && gap_is_glue(text, toks->tokens[toks->count - 1].end, start);
    toks->count++;
    return 0;
}

static tc_status_t tokenize(tc_tokens_t *out, const char *text, size_t len, int folded_only)
{
    tc_status_t status = TC_STATUS_ICU;
    UErrorCode err = U_ZERO_ERROR;
    UText *ut = NULL;
    size_t cap = out->count;
    UBreakIterator *bi = word_break();
    if (!bi)
        return TC_STATUS_ICU;
    if (len > INT64_MAX)
        return TC_STATUS_INVALID_ARGUMENT;
    ut = utext_openUTF8(NULL, text, (int64_t)len, &err);
    if (U_FAILURE(err))
        goto done;
    ubrk_setUText(bi, ut, &err);
    if (U_FAILURE(err))
        goto done;

    status = TC_STATUS_SUCCESS;
    int32_t start = ubrk_first(bi);
    for (int32_t end = ubrk_next(bi); end != UBRK_DONE; start = end, end = ubrk_next(bi)) {
        if (ubrk_getRuleStatus(bi) < UBRK_WORD_NONE_LIMIT)
            continue;
        if (tokens_push(out, text, (size_t)start, (size_t)end, &cap, folded_only) < 0) {
            status = TC_STATUS_OUT_OF_MEMORY;
            break;
        }
    }
done:
    if (bi) {
        /* Detach the iterator from the text before the UText goes away. */
        static const UChar empty[1] = { 0 };
        UErrorCode ignored = U_ZERO_ERROR;
        ubrk_setText(bi, empty, 0, &ignored);
    }
    utext_close(ut);
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

