/* A set of strings that numbers its members in the order they came:
 * file ids seen in a run, copies terms, the usual forms of words. */
#ifndef TC_STRSET_H
#define TC_STRSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char **keys; /* by number; borrowed: they must outlive the set */
    size_t count, keys_cap;
    size_t *slots; /* open addressing: number + 1, 0 when free */
    size_t cap;
} tc_strset_t;

/* s's number, or -1 when it is not in the set. */
long tc_strset_find(const tc_strset_t *set, const char *s);
/* s's number, adding s (not copied) when new; -1 when out of memory. */
long tc_strset_add(tc_strset_t *set, const char *s);
void tc_strset_free(tc_strset_t *set);

/* FNV-1a of s: stable across runs (shards are chosen by it). */
uint64_t tc_hash_string(const char *s);

#endif
