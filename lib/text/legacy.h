/* The 8-bit Vietnamese encodings of old archives, and how to tell them apart.
 *
 * Internal to lib/: decode.c is the one user (tests call it directly).
 *
 * Each encoding is read through a table of 256 entries, one per byte, built
 * at first use: windows-1258 from ICU's converter, TCVN3 and VISCII from
 * glibc's iconv ("TCVN5712-1", "VISCII"), VNI-Windows from our own table
 * over windows-1252.  A byte gives one character, or (VNI, and the tone
 * bytes of windows-1258 and TCVN3) combining marks for the letter before
 * it; tc_nfc() composes them afterwards.
 *
 * The encoding is chosen by reading the bytes in each and counting how
 * many of the words are Vietnamese syllables (legacy_syllable.c). */
#ifndef TC_LEGACY_H
#define TC_LEGACY_H

#include <stddef.h>
#include <stdint.h>

#include "tracuu.h"

typedef enum {
    TC_LEGACY_WINDOWS_1258 = 0,
    TC_LEGACY_TCVN3,
    TC_LEGACY_VISCII,
    TC_LEGACY_VNI,
    TC_LEGACY_COUNT
} tc_legacy_t;

/* How Vietnamese a reading looks. */
typedef struct {
    size_t words;  /* runs of characters between spaces, punctuation and digits */
    size_t valid;  /* of them, Vietnamese syllables */
    size_t common; /* of those, among the most frequent syllables of official writing */
} tc_legacy_score_t;

/* "windows-1258", "TCVN3", "VISCII", "VNI-Windows": static strings. */
const char *tc_legacy_name(tc_legacy_t encoding);

/* Non-zero when the converter behind `encoding` could be opened. */
int tc_legacy_available(tc_legacy_t encoding);

/* The UTF-8 reading of bytes in `encoding`, malloc'd and NUL-terminated.
 * Marks may come as separate combining characters: run tc_nfc() on the
 * result.  Linear in len.  TC_STATUS_INVALID_ARGUMENT when the encoding is
 * not available. */
tc_status_t tc_legacy_decode(char **out, size_t *out_len, tc_legacy_t encoding, const char *bytes,
                             size_t len);

/* Scores the reading of bytes in `encoding` (all zero when unavailable). */
void tc_legacy_score(tc_legacy_score_t *out, tc_legacy_t encoding, const char *bytes, size_t len);

/* Picks the encoding of bytes that are not UTF-8: the reading with the
 * largest share of valid syllables, provided at least 60% of its words are
 * valid and it is ahead of every reading that differs from it (on equal
 * shares, the one with more common syllables is ahead).  Readings that
 * give the same text for these bytes do not compete; the first in enum
 * order is named.  TC_STATUS_BAD_INPUT when nothing wins.  When `scores`
 * is not NULL it gets the score of every encoding, in enum order. */
tc_status_t tc_legacy_detect(tc_legacy_t *out, tc_legacy_score_t *scores, const char *bytes,
                             size_t len);

/* ------------------------------------------------------------------ */
/* Syllables (legacy_syllable.c).                                      */

#define TC_SYL_MAX_LETTERS 8

/* Feeds characters one at a time and keeps the count of words and of
 * Vietnamese syllables among them: init, put every character, finish;
 * the counts are then in score. */
typedef struct {
    tc_legacy_score_t score;
    uint8_t letter[TC_SYL_MAX_LETTERS]; /* letter codes of the word so far */
    uint8_t tone[TC_SYL_MAX_LETTERS];   /* 0 none, 1 sắc, 2 huyền, 3 hỏi, 4 ngã, 5 nặng */
    size_t n;                           /* letters so far */
    int in_word;
    int bad; /* the word can no longer be a syllable */
} tc_syl_scan_t;

void tc_syl_scan_init(tc_syl_scan_t *scan);
void tc_syl_scan_put(tc_syl_scan_t *scan, uint32_t cp);
void tc_syl_scan_finish(tc_syl_scan_t *scan);

/* Non-zero when the UTF-8 text is exactly one Vietnamese syllable, in any
 * case, NFC or NFD: an optional onset, a vowel nucleus, an optional coda
 * from c ch m n ng nh p t i y o u, at most one tone, on the nucleus. */
int tc_vi_syllable(const char *word, size_t len);

#endif
