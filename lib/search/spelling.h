/* "Did you mean": corrections of a word from the words of the index. */
#ifndef TC_SEARCH_SPELLING_H
#define TC_SEARCH_SPELLING_H

#include <stddef.h>

#include "tracuu.h"

/* Longer words are no syllable and are not corrected: a Vietnamese
 * syllable has at most 7 letters ("nghiêng"), Telex adds 3. */
#define TC_SPELLING_LONGEST_WORD 12

/* The folded word as it reads once the Telex or VNI marks of a word typed
 * with the input method off are undone ("chuyeenr", "chuye63n" ->
 * "chuyen"); NULL when there is none to undo.  malloc'd. */
char *tc_spelling_without_ime(const char *folded);

/* Up to max words of the index near the folded word (undone Telex or VNI,
 * one letter too many, missing, wrong, or two swapped), the most frequent
 * first, into out (malloc'd each); returns how many. */
size_t tc_spelling_candidates(tc_index_t *index, const char *folded, char **out, size_t max);

#endif
