/* libFuzzer harness for the dispatch parser: decode, tc_doc_parse, tc_doc_to_json.
 * The code path and its invariants are fz_parse() in targets.c. */
#include <stddef.h>
#include <stdint.h>

#include "targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_parse(data, size);
    return 0;
}
