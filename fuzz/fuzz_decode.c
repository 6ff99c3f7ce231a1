/* libFuzzer harness for the decoder: tc_decode_bytes, and tc_decode_file for gzip input.
 * The code path and its invariants are fz_decode() in targets.c. */
#include <stddef.h>
#include <stdint.h>

#include "targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_decode(data, size);
    return 0;
}
