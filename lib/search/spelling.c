/* "Did you mean": words typed with the input method off (Telex, VNI) and
 * one-letter typos, corrected from the archive's own words.  Words are
 * compared folded (no case, no diacritics), as the index holds them. */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "index/index.h"
#include "search/spelling.h"

/* Telex writes a mark by a letter after the vowel ("ee" ê, "aw" ă, "dd" đ)
 * and a tone by a letter after the syllable ("s" sắc, "f" huyền, "r" hỏi,
 * "x" ngã, "j" nặng); VNI by digits.  Folded, a syllable keeps neither,
 * so undoing Telex drops the doubled letter, the "w" and the tone letter,
 * and undoing VNI the digits. */
char *tc_spelling_without_ime(const char *folded)
{
    size_t len = strlen(folded);
    if (len < 2)
        return NULL;
    tc_buf_t out = TC_BUF_INIT;
    int changed = 0, failed = 0;
    int has_digit = strspn(folded, "0123456789") < len && strpbrk(folded, "0123456789") != NULL;
    int has_letter = strpbrk(folded, "abcdefghijklmnopqrstuvwxyz") != NULL;
    if (has_digit && has_letter) {
        /* VNI: letters with digits 1-9 among them ("chuye63n", "d9" đ). */
        for (const char *p = folded; *p && !failed; p++)
            if (*p >= '1' && *p <= '9')
                changed = 1;
            else
                failed = tc_buf_putc(&out, *p) < 0;
        if (strspn(folded, "0123456789") == 0 && strpbrk(folded, "0") != NULL)
            failed = 1; /* a 0 is no VNI mark: a code, not a word */
    } else if (!has_digit) {
        for (size_t i = 0; i < len && !failed; i++) {
            char c = folded[i], next = folded[i + 1];
            /* dd đ, aa â, ee ê, oo ô: one letter */
            if (next == c && strchr("daeo", c)) {
                failed = tc_buf_putc(&out, c) < 0;
                changed = 1;
                i++;
                continue;
            }
            /* aw ă, ow ơ, uw ư, and a lone w for ư */
            if (c == 'w') {
                if (!(i > 0 && strchr("aou", folded[i - 1])))
                    failed = tc_buf_putc(&out, 'u') < 0;
                changed = 1;
                continue;
            }
            /* the tone letter ending the syllable */
            if (i + 1 == len && i >= 2 && strchr("sfrxj", c) && strpbrk(folded, "aeiouy")) {
                changed = 1;
                continue;
            }
            failed = tc_buf_putc(&out, c) < 0;
        }
    }
    if (failed || !changed || !out.len) {
        tc_buf_free(&out);
        return NULL;
    }
    return tc_buf_steal(&out);
}

/* How many dispatches hold the folded word; 0 when none or unknown. */
static size_t frequency(tc_index_t *index, const char *word)
{
    size_t n = 0;
    return xw_db_term_count(index->db, word, &n) == TC_STATUS_SUCCESS ? n : 0;
}

/* Keeps candidate in best[0..*n) (at most max, the most frequent first). */
static void consider(char **best, size_t *freqs, size_t *n, size_t max, const char *candidate, size_t freq)
{
    if (!freq)
        return;
    for (size_t i = 0; i < *n; i++)
        if (strcmp(best[i], candidate) == 0)
            return;
    size_t at = *n;
    while (at > 0 && freqs[at - 1] < freq)
        at--;
    if (at >= max)
        return;
    char *copy = strdup(candidate);
    if (!copy)
        return;
    if (*n == max)
        free(best[--*n]);
    memmove(best + at + 1, best + at, (*n - at) * sizeof *best);
    memmove(freqs + at + 1, freqs + at, (*n - at) * sizeof *freqs);
    best[at] = copy;
    freqs[at] = freq;
    (*n)++;
}

size_t tc_spelling_candidates(tc_index_t *index, const char *folded, char **out, size_t max)
{
    static const char letters[] = "abcdefghijklmnopqrstuvwxyz";
    size_t len = strlen(folded), n = 0;
    size_t *freqs = calloc(max + 1, sizeof *freqs);
    char *edit = malloc(len + 2);
    if (!freqs || !edit || len > TC_SPELLING_LONGEST_WORD) {
        free(freqs);
        free(edit);
        return 0;
    }
    char *unmarked = tc_spelling_without_ime(folded);
    if (unmarked)
        consider(out, freqs, &n, max, unmarked, frequency(index, unmarked));
    free(unmarked);
    for (size_t i = 0; i < len; i++) { /* a letter too many */
        memcpy(edit, folded, i);
        strcpy(edit + i, folded + i + 1);
        consider(out, freqs, &n, max, edit, frequency(index, edit));
    }
    for (size_t i = 0; i + 1 < len; i++) { /* two letters swapped */
        strcpy(edit, folded);
        edit[i] = folded[i + 1];
        edit[i + 1] = folded[i];
        consider(out, freqs, &n, max, edit, frequency(index, edit));
    }
    for (size_t i = 0; i < len; i++) /* a wrong letter */
        for (const char *l = letters; *l; l++) {
            if (*l == folded[i])
                continue;
            strcpy(edit, folded);
            edit[i] = *l;
            consider(out, freqs, &n, max, edit, frequency(index, edit));
        }
    for (size_t i = 0; i <= len; i++) /* a letter missing */
        for (const char *l = letters; *l; l++) {
            memcpy(edit, folded, i);
            edit[i] = *l;
            strcpy(edit + i + 1, folded + i);
            consider(out, freqs, &n, max, edit, frequency(index, edit));
        }
    free(freqs);
    free(edit);
    return n;
}
