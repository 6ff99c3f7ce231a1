/* Case and diacritic folding for Vietnamese, on ICU.
 *
 * Two forms of a word are used for matching:
 *  - folded: lower case, every diacritic removed, đ -> d ("Đổi" -> "doi").
 *    A query without diacritics matches on this form.
 *  - exact: lower case with vowel marks (â ă ê ô ơ ư, đ) kept and the tone
 *    moved to the end of the syllable as its combining mark, so that old and
 *    new tone placement give the same form ("hoà" and "hòa" both become
 *    "hoa" + U+0300).  A query with diacritics ranks on this form.
 * Input must be NFC (tc_nfc() makes it so); NFD leftovers are handled too.
 */
#ifndef TC_FOLD_H
#define TC_FOLD_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

/* Decodes the code point at s[*i] and advances *i; invalid bytes come back
 * as U+FFFD, one byte at a time. */
uint32_t tc_utf8_next(const char *s, size_t len, size_t *i);

/* tc_utf8_next with the well-formed two- and three-byte sequences, where
 * the Vietnamese letters live, decoded inline; the same answers. */
static inline uint32_t tc_utf8_next_fast(const char *s, size_t len, size_t *i)
{
    const unsigned char *u = (const unsigned char *)s + *i;
    size_t left = len - *i;
    if (left >= 2 && u[0] >= 0xC2 && u[0] <= 0xDF && (u[1] & 0xC0) == 0x80) {
        *i += 2;
        return ((uint32_t)(u[0] & 0x1F) << 6) | (u[1] & 0x3F);
    }
    if (left >= 3 && ((u[0] >= 0xE1 && u[0] <= 0xEC) || u[0] == 0xEE || u[0] == 0xEF) &&
        (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80) {
        *i += 3;
        return ((uint32_t)(u[0] & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
    }
    if (left && u[0] < 0x80) {
        *i += 1;
        return u[0];
    }
    return tc_utf8_next(s, len, i);
}

/* NFC-normalises s into a fresh string. */
tc_status_t tc_nfc(char **out, size_t *out_len, const char *s, size_t len);

/* Appends the folded form of s to out.  When map is non-NULL it also
 * appends, for every byte written, the offset in s of the character that
 * produced it (so a match in the folded text maps back to the original). */
int tc_fold_append(tc_buf_t *out, const char *s, size_t len, size_t **map, size_t *map_cap);
/* The folded form of s, malloc'd. */
char *tc_fold(const char *s, size_t len);
/* The exact (tone-canonical) form of one word, appended to out. */
int tc_fold_exact_append(tc_buf_t *out, const char *word, size_t len);
/* For the tokenizer: one word given as UTF-16 (decoded from UTF-8 with
 * invalid sequences as U+FFFD).  Appends its folded form and a NUL to out
 * and sets *accented as tc_has_marks() would (when accented is non-NULL).
 * When exact is non-NULL, *exact becomes the offset in out of its exact
 * form: appended after the folded one (with its NUL) when the word has
 * marks, else the folded form itself, which is then the same string. */
int tc_fold_word16(tc_buf_t *out, const uint16_t *w, size_t n, size_t *exact, unsigned *accented);
/* Non-zero when s has any Vietnamese mark or đ, i.e. its exact form says
 * more than its folded form. */
int tc_has_marks(const char *s, size_t len);

/* Case mapping that keeps diacritics ("ỦY BAN" -> "ủy ban"). malloc'd. */
char *tc_lower(const char *s, size_t len);
/* Upper-cases the first letter of the malloc'd string s.  Returns the new
 * string and frees s; returns NULL and leaves s alone when out of memory. */
char *tc_capitalize_first(char *s);
/* Non-zero when s has letters and none of them is lower case. */
int tc_is_all_caps(const char *s, size_t len);

#endif
