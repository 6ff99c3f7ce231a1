/* libFuzzer harness: tc_tokenize and tc_tokenize_folded must give what
 * tc_tokenize_reference gives.  The code path is fz_tokenize() in targets.c. */
#include <stddef.h>
#include <stdint.h>

#include "targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_tokenize(data, size);
    return 0;
}
