#include "base/strset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

uint64_t tc_hash_string(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* The slot holding s, or the free slot where it belongs. */
static size_t slot_of(const tc_strset_t *set, const char *s)
{
    size_t i = tc_hash_string(s) & (set->cap - 1);
    while (set->slots[i] && strcmp(set->keys[set->slots[i] - 1], s) != 0)
        i = (i + 1) & (set->cap - 1);
    return i;
}

long tc_strset_find(const tc_strset_t *set, const char *s)
{
    if (!set->cap)
        return -1;
    size_t number = set->slots[slot_of(set, s)];
    return number ? (long)number - 1 : -1;
}

static int grow(tc_strset_t *set)
{
    size_t cap = set->cap ? set->cap * 2 : 64;
    size_t *slots = calloc(cap, sizeof *slots);
    const char **keys = realloc(set->keys, cap / 2 * sizeof *keys);
    if (!slots || !keys) {
        free(slots);
        if (keys)
            set->keys = keys;
        return -1;
    }
    free(set->slots);
    set->slots = slots;
    set->keys = keys;
    set->cap = cap;
    set->keys_cap = cap / 2;
    for (size_t n = 0; n < set->count; n++)
        set->slots[slot_of(set, set->keys[n])] = n + 1;
    return 0;
}

long tc_strset_add(tc_strset_t *set, const char *s)
{
    if (set->cap) {
        size_t number = set->slots[slot_of(set, s)];
        if (number)
            return (long)number - 1;
    }
    /* At most half full, so that probes stay short. */
    if (set->count + 1 > set->keys_cap && grow(set) < 0)
        return -1;
    set->keys[set->count] = s;
    set->slots[slot_of(set, s)] = ++set->count;
    return (long)set->count - 1;
}

void tc_strset_free(tc_strset_t *set)
{
    free(set->keys);
    free(set->slots);
    memset(set, 0, sizeof *set);
}
