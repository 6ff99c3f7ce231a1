/* libFuzzer harness for folding and tokenizing: tc_fold, tc_fold_exact_append, tc_tokenize.
 * The code path and its invariants are fz_fold() in targets.c. */
#include <stddef.h>
#include <stdint.h>

#include "targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_fold(data, size);
    return 0;
}
