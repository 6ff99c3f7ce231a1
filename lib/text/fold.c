/* Vietnamese folding on ICU.
 *
 * Folding runs for every word of every document, so instead of calling the
 * normalizer per word we ask ICU once, at first use, what each code point
 * below U+2100 (Latin, its extensions, combining marks, Greek, Cyrillic,
 * Latin Extended Additional, where the Vietnamese letters live, and the
 * general punctuation of quotes and dashes) lowers and
 * decomposes to, and keep the answer in a table. */
#include "text/fold.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#define TABLE_SIZE 0x2100

typedef struct {
    uint32_t folded; /* 0: the code point folds to nothing (a combining mark) */
    uint32_t base;   /* lower case with vowel marks, tone removed; 0: nothing */
    uint32_t tone;   /* the tone's combining mark, or 0 */
} fold_entry_t;

static fold_entry_t fold_table[TABLE_SIZE];
static pthread_once_t fold_once = PTHREAD_ONCE_INIT;

/* The same table as the tokenizer reads it: each folded form already in
 * UTF-8, and whether the character carries a mark (tc_has_marks). */
typedef struct {
    char bytes[4]; /* the folded form; len of them are used */
    char base[4];  /* the exact form's letter (base_len bytes) */
    uint8_t len, base_len;
    uint8_t marks;
    uint8_t tone; /* the tone's mark minus U+02FF, or 0 */
    uint8_t plain; /* neither a combining mark nor without a base: no composing */
} fold8_t;

static fold8_t fold8_table[TABLE_SIZE];
static void fold8_table_init(void);

static int is_tone_mark(uint32_t cp)
{
    return cp == 0x0300 || cp == 0x0301 || cp == 0x0303 || cp == 0x0309 || cp == 0x0323;
}

static void fold_entry_compute(fold_entry_t *e, UChar32 c, const UNormalizer2 *nfd,
                               const UNormalizer2 *nfc)
{
    UChar32 lower = u_tolower(c);
    e->folded = e->base = (uint32_t)lower;
    e->tone = 0;
    /* đ has no decomposition: the classic miss.  ð and ɖ are đ drawn
     * alike (decode.c reads them so in documents; a query may carry one
     * copied from elsewhere). */
    if (lower == 0x0111 || lower == 0x00F0 || lower == 0x0256) {
        e->folded = 'd';
        e->base = 0x0111;
        return;
    }
    if (u_charType(c) == U_NON_SPACING_MARK) {
        e->folded = 0;
        if (is_tone_mark((uint32_t)c)) {
            e->base = 0;
            e->tone = (uint32_t)c;
        }
        return;
    }
    UChar decomposition[16];
    UErrorCode err = U_ZERO_ERROR;
    int32_t n = unorm2_getDecomposition(nfd, lower, decomposition, 16, &err);
    if (U_FAILURE(err) || n <= 0)
        return;
    int32_t i = 0;
    UChar32 first;
    U16_NEXT(decomposition, i, n, first);
    UChar32 base = first;
    while (i < n) {
        UChar32 mark;
        U16_NEXT(decomposition, i, n, mark);
        if (u_charType(mark) != U_NON_SPACING_MARK)
            return; /* not letter + marks (e.g. compatibility forms): leave as is */
        if (is_tone_mark((uint32_t)mark)) {
            e->tone = (uint32_t)mark;
        } else {
            UChar32 composed = unorm2_composePair(nfc, base, mark);
            if (composed >= 0)
                base = composed;
        }
    }
    e->folded = (uint32_t)first;
    e->base = (uint32_t)base;
}

static void fold_table_init(void)
{
    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&err);
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&err);
    for (UChar32 c = 0; c < TABLE_SIZE; c++) {
        if (U_FAILURE(err)) {
            fold_table[c].folded = fold_table[c].base = (uint32_t)c;
            fold_table[c].tone = 0;
        } else {
            fold_entry_compute(&fold_table[c], c, nfd, nfc);
        }
    }
    fold8_table_init();
}

/* Code points past the table (symbols, CJK, compatibility letters such as
 * the Angstrom sign) are rare in dispatches: asked of ICU each time. */
static fold_entry_t fold_compute_outside(uint32_t cp)
{
    fold_entry_t e;
    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&err);
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&err);
    if (U_FAILURE(err)) {
        uint32_t lower = (uint32_t)u_tolower((UChar32)cp);
        return (fold_entry_t){ lower, lower, 0 };
    }
    fold_entry_compute(&e, (UChar32)cp, nfd, nfc);
    return e;
}

/* The entry of cp once the table is made (fold_table_ready()). */
static inline fold_entry_t fold_entry(uint32_t cp)
{
    if (cp < 0x80) {
        uint32_t lower = (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
        return (fold_entry_t){ lower, lower, 0 };
    }
    if (cp < TABLE_SIZE)
        return fold_table[cp];
    return fold_compute_outside(cp);
}

static inline void fold_table_ready(void)
{
    pthread_once(&fold_once, fold_table_init);
}

static fold_entry_t fold_lookup(uint32_t cp)
{
    if (cp >= 0x80)
        fold_table_ready();
    return fold_entry(cp);
}

/* Decodes the code point at s[*i] (no further than len) and advances *i:
 * an invalid sequence reads as one U+FFFD, as ICU reads it. */
static inline uint32_t utf8_decode(const char *s, size_t len, size_t *i)
{
    unsigned char first = (unsigned char)s[*i];
    if (first < 0x80) {
        (*i)++;
        return first;
    }
    UChar32 c;
    int32_t pos = 0;
    size_t remaining = len - *i;
    int32_t length = remaining > INT32_MAX ? INT32_MAX : (int32_t)remaining;
    U8_NEXT((const uint8_t *)s + *i, pos, length, c);
    *i += (size_t)pos;
    return c < 0 ? 0xFFFD : (uint32_t)c;
}

uint32_t tc_utf8_next(const char *s, size_t len, size_t *i)
{
    return utf8_decode(s, len, i);
}

/* Writes the UTF-8 encoding of cp (U+FFFD for what is not a scalar value)
 * at p, which has room for 4 bytes; returns the bytes written. */
static inline size_t utf8_write(char *p, uint32_t cp)
{
    unsigned char *u = (unsigned char *)p;
    if (cp < 0x80) {
        u[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        u[0] = (unsigned char)(0xC0 | (cp >> 6));
        u[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x10000) {
        u[0] = (unsigned char)(0xE0 | (cp >> 12));
        u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    u[0] = (unsigned char)(0xF0 | (cp >> 18));
    u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    u[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

static void fold8_table_init(void)
{
    for (uint32_t c = 0; c < TABLE_SIZE; c++) {
        fold_entry_t e = fold_entry(c);
        fold8_t *f = &fold8_table[c];
        f->len = e.folded ? (uint8_t)utf8_write(f->bytes, e.folded) : 0;
        f->marks = c >= 0x80 && (e.tone || e.base != e.folded);
        f->plain = e.folded != 0 && e.base != 0 && (e.tone == 0 || (e.tone >= 0x300 && e.tone < 0x3FF));
        f->base_len = f->plain ? (uint8_t)utf8_write(f->base, e.base) : 0;
        f->tone = f->plain && e.tone ? (uint8_t)(e.tone - 0x2FF) : 0;
    }
}

/* Appends the UTF-8 encoding of cp; 0 or -1 as tc_buf_append. */
static inline int utf8_put(tc_buf_t *buf, uint32_t cp)
{
    if (buf->cap - buf->len < 5 && tc_buf_reserve(buf, 4) < 0)
        return -1;
    buf->len += utf8_write(buf->data + buf->len, cp);
    buf->data[buf->len] = '\0';
    return 0;
}

tc_status_t tc_nfc(char **out, size_t *out_len, const char *s, size_t len)
{
    tc_status_t status = TC_STATUS_ICU;
    UChar *utf16 = NULL, *normalized = NULL;
    char *result = NULL;
    UErrorCode err = U_ZERO_ERROR;
    *out = NULL;
    if (len > INT32_MAX / 2)
        return TC_STATUS_INVALID_ARGUMENT;

    size_t ascii = 0;
    while (ascii < len && (unsigned char)s[ascii] < 0x80)
        ascii++;
    if (ascii == len) { /* nothing to compose */
        if (!(*out = tc_strndup(s, len)))
            return TC_STATUS_OUT_OF_MEMORY;
        if (out_len)
            *out_len = len;
        return TC_STATUS_SUCCESS;
    }

    const UNormalizer2 *nfc = unorm2_getNFCInstance(&err);
    if (U_FAILURE(err))
        goto done;
    /* UTF-8 never takes fewer bytes than UTF-16 units. */
    int32_t n16 = 0;
    status = TC_STATUS_OUT_OF_MEMORY;
    if (!(utf16 = malloc((len + 1) * sizeof *utf16)))
        goto done;
    status = TC_STATUS_ICU;
    u_strFromUTF8(utf16, (int32_t)len + 1, &n16, s, (int32_t)len, &err);
    if (U_FAILURE(err))
        goto done;

    /* Text that is NFC already (nearly all of it) stays as it is: the
     * conversion above proved it valid UTF-8, which is what the round
     * trip through the normalizer would give back. */
    if (unorm2_quickCheck(nfc, utf16, n16, &err) == UNORM_YES && U_SUCCESS(err)) {
        status = TC_STATUS_OUT_OF_MEMORY;
        if (!(result = tc_strndup(s, len)))
            goto done;
        *out = result;
        result = NULL;
        if (out_len)
            *out_len = len;
        status = TC_STATUS_SUCCESS;
        goto done;
    }
    err = U_ZERO_ERROR;

    int32_t nn = unorm2_normalize(nfc, utf16, n16, NULL, 0, &err);
    if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err))
        goto done;
    err = U_ZERO_ERROR;
    status = TC_STATUS_OUT_OF_MEMORY;
    if (!(normalized = malloc(((size_t)nn + 1) * sizeof *normalized)))
        goto done;
    status = TC_STATUS_ICU;
    unorm2_normalize(nfc, utf16, n16, normalized, nn + 1, &err);
    if (U_FAILURE(err))
        goto done;

    int32_t n8 = 0;
    u_strToUTF8(NULL, 0, &n8, normalized, nn, &err);
    if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err))
        goto done;
    err = U_ZERO_ERROR;
    status = TC_STATUS_OUT_OF_MEMORY;
    if (!(result = malloc((size_t)n8 + 1)))
        goto done;
    status = TC_STATUS_ICU;
    u_strToUTF8(result, n8 + 1, NULL, normalized, nn, &err);
    if (U_FAILURE(err))
        goto done;

    *out = result;
    result = NULL;
    if (out_len)
        *out_len = (size_t)n8;
    status = TC_STATUS_SUCCESS;
done:
    free(result);
    free(normalized);
    free(utf16);
    return status;
}

/* Makes room for the map entries up to index `last`. */
static int map_room(size_t **map, size_t *map_cap, size_t last)
{
    if (*map_cap > last)
        return 0;
    size_t cap = *map_cap * 2 > last + 1 ? *map_cap * 2 : last + 1;
    size_t *grown = realloc(*map, cap * sizeof *grown);
    if (!grown)
        return -1;
    *map = grown;
    *map_cap = cap;
    return 0;
}

static inline unsigned char ascii_lower(unsigned char c)
{
    return (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
}

int tc_fold_append(tc_buf_t *out, const char *s, size_t len, size_t **map, size_t *map_cap)
{
    size_t i = 0;
    fold_table_ready();
    if (!map) {
        /* The common case, without the offset map: ASCII stays a byte copy.
         * Room is kept for the rest of s byte for byte plus one character,
         * so only a character that folds to more bytes than it had (an
         * invalid byte becomes U+FFFD) ever needs the buffer to grow. */
        if (len > ((size_t)-1) / 2 || tc_buf_reserve(out, len + 4) < 0)
            return -1;
        char *p = out->data + out->len;
        while (i < len) {
            unsigned char c = (unsigned char)s[i];
            if (c < 0x80) {
                *p++ = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
                i++;
                continue;
            }
            fold_entry_t e = fold_entry(utf8_decode(s, len, &i));
            if (!e.folded)
                continue;
            if ((size_t)(out->data + out->cap - p) < len - i + 5) {
                out->len = (size_t)(p - out->data);
                if (tc_buf_reserve(out, len - i + 4) < 0)
                    return -1;
                p = out->data + out->len;
            }
            p += utf8_write(p, e.folded);
        }
        out->len = (size_t)(p - out->data);
        out->data[out->len] = '\0';
        return 0;
    }
    /* With the offset map: every output byte records where its character
     * started.  Room for len bytes and len map entries at once, since
     * ASCII stays one byte and the Vietnamese letters shrink; the buffer's
     * fields live in locals, as stores through data may alias them. */
    if (tc_buf_reserve(out, len) < 0 || map_room(map, map_cap, out->len + len) < 0)
        return -1;
    size_t *m = *map, mcap = *map_cap;
    char *d = out->data;
    size_t o = out->len, cap = out->cap;
    while (i < len) {
        if ((unsigned char)s[i] < 0x80) {
            /* A run of ASCII: room for the rest of s at once, then copy. */
            size_t need = o + (len - i);
            if (need + 1 > cap || need >= mcap) {
                out->len = o;
                if (tc_buf_reserve(out, len - i) < 0 || map_room(map, map_cap, need) < 0)
                    return -1;
                d = out->data;
                cap = out->cap;
                m = *map;
                mcap = *map_cap;
            }
            do {
                m[o] = i;
                d[o++] = (char)ascii_lower((unsigned char)s[i]);
                i++;
            } while (i < len && (unsigned char)s[i] < 0x80);
            continue;
        }
        size_t at = i;
        uint32_t folded = fold_entry(utf8_decode(s, len, &i)).folded;
        if (!folded)
            continue;
        size_t before = o;
        if (folded < 0x80 && o + 2 <= cap) {
            d[o++] = (char)folded;
        } else {
            out->len = o;
            d[o] = '\0';
            if (utf8_put(out, folded) < 0)
                return -1;
            d = out->data;
            o = out->len;
            cap = out->cap;
        }
        if (o >= mcap) {
            if (map_room(map, map_cap, o) < 0)
                return -1;
            m = *map;
            mcap = *map_cap;
        }
        for (size_t x = before; x < o; x++)
            m[x] = at;
    }
    out->len = o;
    d[o] = '\0';
    if (map_room(map, map_cap, o) < 0)
        return -1;
    (*map)[o] = len;
    return 0;
}

char *tc_fold(const char *s, size_t len)
{
    tc_buf_t buf = TC_BUF_INIT;
    if (tc_fold_append(&buf, s, len, NULL, NULL) < 0) {
        tc_buf_free(&buf);
        return NULL;
    }
    return tc_buf_steal(&buf);
}

/* An exact form built one code point at a time, whatever the input's
 * encoding: the letters' bases, a lone vowel mark left by NFD input
 * composed into the letter before it, and the tones last, so that where
 * they were printed (hoà / hòa) no longer matters. */
typedef struct {
    uint32_t tones[4], pending;
    size_t n_tones;
} exact_form_t;

/* Takes the next code point's entry; returns the code point now complete
 * (to be written), or 0. */
static inline uint32_t exact_form_feed(exact_form_t *x, fold_entry_t e)
{
    if (e.tone && x->n_tones < 4)
        x->tones[x->n_tones++] = e.tone;
    if (!e.base)
        return 0;
    if (x->pending && !e.folded) {
        UErrorCode err = U_ZERO_ERROR;
        UChar32 composed = unorm2_composePair(unorm2_getNFCInstance(&err), (UChar32)x->pending, (UChar32)e.base);
        if (U_SUCCESS(err) && composed >= 0) {
            x->pending = (uint32_t)composed;
            return 0;
        }
    }
    uint32_t done = x->pending;
    x->pending = e.base;
    return done;
}

int tc_fold_exact_append(tc_buf_t *out, const char *word, size_t len)
{
    exact_form_t x = { .pending = 0 };
    size_t i = 0;
    fold_table_ready();
    while (i < len) {
        uint32_t done = exact_form_feed(&x, fold_entry(utf8_decode(word, len, &i)));
        if (done && utf8_put(out, done) < 0)
            return -1;
    }
    if (x.pending && utf8_put(out, x.pending) < 0)
        return -1;
    for (size_t t = 0; t < x.n_tones; t++)
        if (utf8_put(out, x.tones[t]) < 0)
            return -1;
    return 0;
}

/* The code point of w[*k] (a pair of surrogates is one; a lone one, which
 * never comes out of valid decoding, reads as U+FFFD); advances *k. */
static inline uint32_t utf16_decode(const uint16_t *w, size_t n, size_t *k)
{
    uint32_t u = w[(*k)++];
    if (u < 0xD800 || u > 0xDFFF)
        return u;
    if (u <= 0xDBFF && *k < n && w[*k] >= 0xDC00 && w[*k] <= 0xDFFF)
        return 0x10000 + ((u - 0xD800) << 10) + (w[(*k)++] - 0xDC00);
    return 0xFFFD;
}

/* tc_fold_exact_append over UTF-16: the same steps, the same result.
 * Each unit gives at most one 4-byte character (a pair of units one), and
 * there are at most four tones of 2 bytes, so out gets room for all of it
 * at once. */
static int fold_exact16(tc_buf_t *out, const uint16_t *w, size_t n)
{
    exact_form_t x = { .pending = 0 };
    size_t k = 0;
    if (out->cap - out->len < 4 * n + 10 && (n > ((size_t)-1) / 8 || tc_buf_reserve(out, 4 * n + 9) < 0))
        return -1;
    char *p = out->data + out->len;
    while (k < n) {
        uint32_t done = exact_form_feed(&x, fold_entry(utf16_decode(w, n, &k)));
        if (done)
            p += utf8_write(p, done);
    }
    if (x.pending)
        p += utf8_write(p, x.pending);
    for (size_t t = 0; t < x.n_tones; t++)
        p += utf8_write(p, x.tones[t]);
    *p = '\0';
    out->len = (size_t)(p - out->data);
    return 0;
}

/* fold_exact16 for the common word, all of whose units are in the table
 * and none a combining mark: nothing composes, so the exact form is the
 * letters' bases and then the tones.  Appends it and its NUL and returns
 * 0, or returns 1 (out unchanged) for fold_exact16 to do it; -1 when out
 * of memory. */
static int fold_exact16_plain(tc_buf_t *out, const uint16_t *w, size_t n)
{
    if (out->cap - out->len < 4 * n + 16 && (n > ((size_t)-1) / 8 || tc_buf_reserve(out, 4 * n + 15) < 0))
        return -1;
    char *p = out->data + out->len;
    uint32_t tones[4];
    size_t n_tones = 0;
    for (size_t k = 0; k < n; k++) {
        if (w[k] >= TABLE_SIZE || !fold8_table[w[k]].plain)
            return 1;
        const fold8_t *f = &fold8_table[w[k]];
        memcpy(p, f->base, 4);
        p += f->base_len;
        if (f->tone && n_tones < 4)
            tones[n_tones++] = 0x2FF + (uint32_t)f->tone;
    }
    for (size_t t = 0; t < n_tones; t++)
        p += utf8_write(p, tones[t]);
    *p++ = '\0';
    out->len = (size_t)(p - out->data);
    *p = '\0';
    return 0;
}

int tc_fold_word16(tc_buf_t *out, const uint16_t *w, size_t n, size_t *exact, unsigned *accented)
{
    fold_table_ready();
    /* Room for 3 bytes a unit (no character of the table folds to more;
     * the 4-byte copies below may write past the character) and the NULs;
     * characters past the table check as they go. */
    if (out->cap - out->len < 3 * n + 8 && (n > ((size_t)-1) / 4 || tc_buf_reserve(out, 3 * n + 7) < 0))
        return -1;
    size_t folded = out->len;
    char *p = out->data + out->len;
    unsigned marks = 0;
    size_t k = 0;
    while (k < n) {
        uint32_t u = w[k];
        if (u < TABLE_SIZE) {
            const fold8_t *f = &fold8_table[u];
            memcpy(p, f->bytes, 4);
            p += f->len;
            marks |= f->marks;
            k++;
            continue;
        }
        fold_entry_t e = fold_entry(utf16_decode(w, n, &k));
        marks |= e.tone || e.base != e.folded;
        if (!e.folded)
            continue;
        if ((size_t)(out->data + out->cap - p) < 3 * (n - k) + 8) {
            out->len = (size_t)(p - out->data);
            if (tc_buf_reserve(out, 3 * (n - k) + 7) < 0)
                return -1;
            p = out->data + out->len;
        }
        p += utf8_write(p, e.folded);
    }
    *p++ = '\0';
    out->len = (size_t)(p - out->data);
    *p = '\0';
    if (accented)
        *accented = marks;
    if (!exact)
        return 0;
    if (!marks) {
        /* Without marks the exact form is the folded one: share it. */
        *exact = folded;
        return 0;
    }
    *exact = out->len;
    if (fold_exact16_plain(out, w, n) == 0)
        return 0;
    if (fold_exact16(out, w, n) < 0 || tc_buf_putc(out, '\0') < 0)
        return -1;
    return 0;
}

int tc_has_marks(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint32_t cp = utf8_decode(s, len, &i);
        if (cp < 0x80)
            continue;
        fold_entry_t e = fold_lookup(cp);
        if (e.tone || e.base != e.folded)
            return 1;
    }
    return 0;
}

char *tc_lower(const char *s, size_t len)
{
    tc_buf_t buf = TC_BUF_INIT;
    size_t i = 0;
    if (tc_buf_append(&buf, "", 0) < 0)
        return NULL;
    while (i < len) {
        uint32_t cp = tc_utf8_next(s, len, &i);
        if (utf8_put(&buf, (uint32_t)u_tolower((UChar32)cp)) < 0) {
            tc_buf_free(&buf);
            return NULL;
        }
    }
    return tc_buf_steal(&buf);
}

char *tc_capitalize_first(char *s)
{
    size_t len = strlen(s), i = 0;
    while (i < len) {
        size_t at = i;
        uint32_t cp = tc_utf8_next(s, len, &i);
        if (!u_isalpha((UChar32)cp))
            continue;
        tc_buf_t buf = TC_BUF_INIT;
        if (tc_buf_append(&buf, s, at) < 0 || utf8_put(&buf, (uint32_t)u_toupper((UChar32)cp)) < 0 ||
            tc_buf_append(&buf, s + i, len - i) < 0) {
            tc_buf_free(&buf);
            return NULL;
        }
        free(s);
        return tc_buf_steal(&buf);
    }
    return s;
}

int tc_is_all_caps(const char *s, size_t len)
{
    int letters = 0;
    size_t i = 0;
    while (i < len) {
        UChar32 cp = (UChar32)tc_utf8_next(s, len, &i);
        if (u_islower(cp))
            return 0;
        if (u_isalpha(cp))
            letters = 1;
    }
    return letters;
}
