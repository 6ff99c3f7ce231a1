/* Words of a text, by ICU's word break rules.
 *
 * Vietnamese writes one syllable per space-separated word, which the root
 * rules split correctly; numbers and symbols split at "/" and "-", so
 * "1471/UBND-KGVX" gives three glued tokens at consecutive positions and is
 * found however the user types it.
 *
 * The text is read once into UTF-16; most of it is then broken here by
 * the same rules (see "Word breaking without the break iterator"), the
 * rest by ICU, and each word is folded straight from its UTF-16 units.
 * tc_tokenize_reference keeps the plain way, to compare against. */
#include "text/tokenize.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include "base/buf.h"
#include "text/fold.h"

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
    tc_token_t *grown = tc_grow(toks->tokens, toks->count, cap, sizeof *grown, 64);
    if (!grown)
        return NULL;
    toks->tokens = grown;
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

/* Word breaking without the break iterator, for the text of dispatches.
 *
 * UAX #29 (which ICU's word rules implement) never joins across a space,
 * tab, CR or LF unless a mark, format character or ZWJ follows it (WB4),
 * and its rules look only at the neighbouring characters, so the text
 * falls into chunks between such separators that break the same alone as
 * in the text.  A chunk made only of the classes below breaks by four
 * rules, done here: letters and digits run together into one word
 * (WB5, WB8-WB10); MidLetter or MidNumLet/Single_Quote between two letters
 * joins them (WB6, WB7); MidNum or MidNumLet/Single_Quote between two
 * digits joins them (WB11, WB12); anything else stands alone and is not a
 * word (WB999).  Any other chunk (other scripts, marks, emoji, "_",
 * letters joined by a MidLetter, which CLDR tailors) goes to ICU, alone.
 * The classes come from ICU's own Word_Break property, and each character
 * is then tried in short contexts against the break iterator, which has
 * the last word.  check_fold and the tokenize fuzz harness compare all
 * this with ICU on whole texts. */
enum {
    K_ICU = 0,   /* the chunk goes to ICU */
    K_LETTER,    /* Word_Break=ALetter below U+0250 or in U+1E00-U+1EFF (Latin) */
    K_DIGIT,     /* ASCII digits */
    K_MIDLETTER, /* Word_Break=MidLetter */
    K_MIDNUMLET, /* Word_Break=MidNumLet or Single_Quote */
    K_MIDNUM,    /* Word_Break=MidNum */
    K_OTHER,     /* Word_Break=Other (or Double_Quote: only Hebrew letters join it), not
                  * pictographic, below U+0250 or in General Punctuation */
    K_SEP,       /* space, tab, LF, CR */
    K_ATTACH,    /* Word_Break=Extend, Format or ZWJ: joins what is before it */
};

#define KIND_TABLE_SIZE 0x2070 /* up to the end of General Punctuation */

static unsigned char kind_table[KIND_TABLE_SIZE];
static pthread_once_t kind_once = PTHREAD_ONCE_INIT;

static inline unsigned kind_in(const unsigned char *table, UChar u)
{
    return u < KIND_TABLE_SIZE ? table[u] : K_ICU;
}

static inline int is_word_kind(unsigned k)
{
    return k == K_LETTER || k == K_DIGIT;
}

/* Whether the MidLetter/MidNum/MidNumLet of kind k joins a word of kind
 * before to one of kind after. */
static inline int mid_joins(unsigned k, unsigned before, unsigned after)
{
    if (before == K_LETTER && after == K_LETTER)
        return k == K_MIDLETTER || k == K_MIDNUMLET;
    if (before == K_DIGIT && after == K_DIGIT)
        return k == K_MIDNUM || k == K_MIDNUMLET;
    return 0;
}

/* Whether the chunk u[from, to) can be broken here rather than by ICU. */
static inline int chunk_is_simple(const unsigned char *table, const UChar *u, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        unsigned k = kind_in(table, u[i]);
        if (k == K_ICU || k == K_ATTACH || k == K_SEP)
            return 0;
        /* Letters joined by a MidLetter: CLDR takes ':' out of MidLetter. */
        if (k == K_MIDLETTER && i > from && i + 1 < to && kind_in(table, u[i - 1]) == K_LETTER &&
            kind_in(table, u[i + 1]) == K_LETTER)
            return 0;
    }
    return 1;
}

/* The next word of the simple chunk from u[*i] to u[to]: 1 with its units
 * in [*start, *end) and *i past it, or 0 when there is none. */
static inline int next_simple_word(const unsigned char *table, const UChar *u, size_t *i, size_t to, size_t *start,
                                   size_t *end)
{
    size_t j = *i;
    while (j < to && !is_word_kind(kind_in(table, u[j])))
        j++;
    if (j == to) {
        *i = j;
        return 0;
    }
    *start = j++;
    while (j < to) {
        unsigned k = kind_in(table, u[j]);
        if (is_word_kind(k))
            j++;
        else if (k != K_OTHER && j + 1 < to && mid_joins(k, kind_in(table, u[j - 1]), kind_in(table, u[j + 1])))
            j += 2; /* the mark and the word character after it */
        else
            break;
    }
    *end = *i = j;
    return 1;
}

/* Whether ICU finds in p the words next_simple_word finds (or p is not
 * simple, so never broken here). */
static int probe_agrees(UBreakIterator *bi, const unsigned char *table, const UChar *p, size_t n)
{
    if (!chunk_is_simple(table, p, 0, n))
        return 1;
    UErrorCode err = U_ZERO_ERROR;
    ubrk_setText(bi, p, (int32_t)n, &err);
    if (U_FAILURE(err))
        return 0;
    size_t i = 0, start, end;
    int32_t from = ubrk_first(bi);
    for (int32_t to = ubrk_next(bi); to != UBRK_DONE; from = to, to = ubrk_next(bi)) {
        if (ubrk_getRuleStatus(bi) < UBRK_WORD_NONE_LIMIT)
            continue;
        if (!next_simple_word(table, p, &i, n, &start, &end) || start != (size_t)from || end != (size_t)to)
            return 0;
    }
    return !next_simple_word(table, p, &i, n, &start, &end);
}

/* The kinds, from ICU's Word_Break property, each then tried in context
 * against ICU's break iterator itself: a character it breaks otherwise
 * (ICU tailors some, such as '@', which it takes as a letter) is left to
 * ICU. */
static void kind_table_init(void)
{
    for (UChar32 c = 0; c < KIND_TABLE_SIZE; c++) {
        int wb = u_getIntPropertyValue(c, UCHAR_WORD_BREAK);
        int latin = c < 0x250 || (c >= 0x1E00 && c < 0x1F00);
        unsigned char k = K_ICU;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            k = K_SEP;
        else if (wb == U_WB_EXTEND || wb == U_WB_FORMAT || wb == U_WB_ZWJ)
            k = K_ATTACH;
        else if (!latin && c < 0x2000)
            k = K_ICU;
        else if (wb == U_WB_ALETTER && latin)
            k = K_LETTER;
        else if (wb == U_WB_NUMERIC && c >= '0' && c <= '9')
            k = K_DIGIT;
        else if (wb == U_WB_MIDLETTER)
            k = K_MIDLETTER;
        else if (wb == U_WB_MIDNUMLET || wb == U_WB_SINGLE_QUOTE)
            k = K_MIDNUMLET;
        else if (wb == U_WB_MIDNUM)
            k = K_MIDNUM;
        else if ((wb == U_WB_OTHER || wb == U_WB_DOUBLE_QUOTE) && !u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC))
            k = K_OTHER;
        kind_table[c] = k;
    }
    UErrorCode err = U_ZERO_ERROR;
    UBreakIterator *bi = ubrk_open(UBRK_WORD, "vi", NULL, 0, &err);
    if (U_FAILURE(err)) {
        memset(kind_table, K_ICU, sizeof kind_table);
        return;
    }
    static const char *const contexts[] = { "X",   "XX",  "aXa", "1X1", "aX1", "1Xa", "Xa",  "aX",  "X1",
                                            "1X",  "a.X", "X.a", "1,X", "X,1", "1.X", "X.1", "a'X", "X'a" };
    for (UChar32 c = 0; c < KIND_TABLE_SIZE; c++) {
        unsigned k = kind_table[c];
        if (k == K_ICU || k == K_SEP || k == K_ATTACH)
            continue;
        for (size_t t = 0; t < sizeof contexts / sizeof *contexts; t++) {
            UChar probe[4];
            size_t n = 0;
            for (const char *x = contexts[t]; *x; x++)
                probe[n++] = *x == 'X' ? (UChar)c : (UChar)*x;
            if (!probe_agrees(bi, kind_table, probe, n)) {
                kind_table[c] = K_ICU;
                break;
            }
        }
    }
    ubrk_close(bi);
}

typedef struct {
    tc_tokens_t *out;
    const char *text;
    const UChar *units;
    const size_t *from;
    size_t cap;
    int folded_only;
} emit_t;

/* Adds the word of units [start, end). */
static int emit(emit_t *e, size_t start, size_t end)
{
    tc_tokens_t *out = e->out;
    tc_token_t *tok = token_slot(out, &e->cap);
    if (!tok)
        return -1;
    unsigned accented = 0;
    tok->start = e->from[start];
    tok->end = e->from[end];
    tok->folded = out->strings.len;
    if (tc_fold_word16(&out->strings, e->units + start, end - start, e->folded_only ? NULL : &tok->exact,
                       e->folded_only ? NULL : &accented) < 0)
        return -1;
    if (e->folded_only)
        tok->exact = out->strings.len - 1; /* the "" after the folded form */
    tok->accented = accented;
    tok->glued = out->count > 0 && gap_is_glue(e->text, out->tokens[out->count - 1].end, tok->start);
    out->count++;
    return 0;
}

/* ICU's words of units [from, to). */
static tc_status_t break_with_icu(emit_t *e, UBreakIterator *bi, size_t from, size_t to)
{
    UErrorCode err = U_ZERO_ERROR;
    ubrk_setText(bi, e->units + from, (int32_t)(to - from), &err);
    if (U_FAILURE(err))
        return TC_STATUS_ICU;
    int32_t start = ubrk_first(bi);
    for (int32_t end = ubrk_next(bi); end != UBRK_DONE; start = end, end = ubrk_next(bi))
        if (ubrk_getRuleStatus(bi) >= UBRK_WORD_NONE_LIMIT && emit(e, from + (size_t)start, from + (size_t)end) < 0)
            return TC_STATUS_OUT_OF_MEMORY;
    return TC_STATUS_SUCCESS;
}

/* Drops the tokens from count on and their strings from strings_len on. */
static void truncate_tokens(tc_tokens_t *out, size_t count, size_t strings_len)
{
    out->count = count;
    out->strings.len = strings_len;
    if (out->strings.data)
        out->strings.data[strings_len] = '\0';
}

static tc_status_t tokenize(tc_tokens_t *out, const char *text, size_t len, int folded_only)
{
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
    pthread_once(&kind_once, kind_table_init);

    emit_t e = { out, text, wb->units, wb->from, out->count, folded_only };
    /* Room for what a text usually gives (a word every six units or so,
     * its forms about as long as the text), to grow less often. */
    size_t want = out->count + (size_t)n / 6 + 16;
    if (e.cap < want) {
        tc_token_t *tokens = realloc(out->tokens, want * sizeof *tokens);
        if (!tokens)
            return TC_STATUS_OUT_OF_MEMORY;
        out->tokens = tokens;
        e.cap = want;
    }
    if (tc_buf_reserve(&out->strings, (folded_only ? 1 : 2) * len + 16) < 0)
        return TC_STATUS_OUT_OF_MEMORY;
    out->strings.data[out->strings.len] = '\0';
    const UChar *u = wb->units;
    const unsigned char *table = kind_table;
    size_t count0 = out->count, strings0 = out->strings.len;
    size_t i = 0, end = (size_t)n;
    while (i < end) {
        unsigned k = kind_in(table, u[i]);
        if (k == K_SEP) {
            i++;
            continue;
        }
        size_t from = i;
        if (from > 0 && k == K_ATTACH) {
            /* A mark joins the separator before it: no chunks here. */
            truncate_tokens(out, count0, strings0);
            return break_with_icu(&e, wb->bi, 0, end);
        }
        /* The chunk's words as next_simple_word finds them, in the same
         * pass that looks for what makes the chunk ICU's after all. */
        size_t chunk_count = out->count, chunk_strings = out->strings.len;
        int simple = 1;
        for (;;) {
            while (i < end && (k = kind_in(table, u[i])) != K_SEP && !is_word_kind(k)) {
                if (k == K_ICU || k == K_ATTACH) {
                    simple = 0;
                    break;
                }
                i++;
            }
            if (!simple || i == end || k == K_SEP)
                break;
            size_t start = i++;
            while (i < end) {
                k = kind_in(table, u[i]);
                if (is_word_kind(k)) {
                    i++;
                    continue;
                }
                if (k != K_OTHER && k != K_SEP && i + 1 < end) {
                    unsigned before = kind_in(table, u[i - 1]), after = kind_in(table, u[i + 1]);
                    if (k == K_MIDLETTER && before == K_LETTER && after == K_LETTER) {
                        simple = 0;
                        break;
                    }
                    if (mid_joins(k, before, after)) {
                        i += 2;
                        continue;
                    }
                }
                break;
            }
            if (!simple)
                break;
            if (emit(&e, start, i) < 0)
                return TC_STATUS_OUT_OF_MEMORY;
        }
        if (simple)
            continue;
        truncate_tokens(out, chunk_count, chunk_strings);
        while (i < end && kind_in(table, u[i]) != K_SEP)
            i++;
        tc_status_t status = break_with_icu(&e, wb->bi, from, i);
        if (status != TC_STATUS_SUCCESS)
            return status;
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

/* tokenize, then lets go of the thread's UTF-16 copy if the text was
 * large (10 bytes a unit), so that one big text does not stay in memory. */
static tc_status_t tokenize_and_trim(tc_tokens_t *out, const char *text, size_t len, int folded_only)
{
    tc_status_t status = tokenize(out, text, len, folded_only);
    word_break_t *wb = pthread_getspecific(word_break_key);
    if (wb && wb->cap > (1u << 20)) {
        static const UChar empty[1] = { 0 };
        UErrorCode ignored = U_ZERO_ERROR;
        ubrk_setText(wb->bi, empty, 0, &ignored); /* nothing may point into the copy */
        free(wb->units);
        free(wb->from);
        wb->units = NULL;
        wb->from = NULL;
        wb->cap = 0;
    }
    return status;
}

tc_status_t tc_tokenize(tc_tokens_t *out, const char *text, size_t len)
{
    return tokenize_and_trim(out, text, len, 0);
}

tc_status_t tc_tokenize_folded(tc_tokens_t *out, const char *text, size_t len)
{
    return tokenize_and_trim(out, text, len, 1);
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

