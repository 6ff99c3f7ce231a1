/* libFuzzer harness for the document readers: PDF, DOCX, ODT and HTML.
 * The code path and its invariants are fz_extract() in targets.c. */
#include <stddef.h>
#include <stdint.h>

#include "targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_extract(data, size);
    return 0;
}
