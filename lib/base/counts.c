/* Numbers people type: option values and URL parameters. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

#include "tracuu.h"

int tc_parse_count(size_t *out, const char *text, size_t min, size_t max)
{
    if (!text || !isdigit((unsigned char)text[0]))
        return -1;
    char *end = NULL;
    errno = 0;
    unsigned long long n = strtoull(text, &end, 10);
    if (*end || errno || n < min || n > max)
        return -1;
    *out = (size_t)n;
    return 0;
}
