/* Text from outside (a URL, a command line) checked before the library
 * takes it: jansson, ICU and Xapian all want UTF-8. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tracuu.h"

/* Length of the well-formed UTF-8 character at s (1 to 4), or 0 when the
 * bytes there are not one: a stray continuation byte, an overlong form,
 * a surrogate, past U+10FFFF or cut short.  These are jansson's rules, so
 * text that passes is text it will encode. */
size_t tc_utf8_char_length(const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    unsigned char lead = s[0];
    size_t len;
    unsigned long code, least;
    if (lead < 0x80)
        return 1;
    if (lead >= 0xC2 && lead <= 0xDF) {
        len = 2, code = lead & 0x1F, least = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
        len = 3, code = lead & 0x0F, least = 0x800;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        len = 4, code = lead & 0x07, least = 0x10000;
    } else {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) /* also stops at the terminating NUL */
            return 0;
        code = (code << 6) | (s[i] & 0x3F);
    }
    if (code < least || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
        return 0;
    return len;
}

int tc_is_utf8(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p;) {
        size_t n = tc_utf8_char_length((const char *)p);
        if (!n)
            return 0;
        p += n;
    }
    return 1;
}

/* text as a message may show it: its characters as they are, each byte
 * that belongs to none as \xNN, and when it would pass max_bytes, cut
 * between characters with an ellipsis.  malloc'd; NULL when out of memory. */
char *tc_printable(const char *text, size_t max_bytes)
{
    char *out = NULL;
    size_t out_len = 0, shown = 0;
    FILE *f = open_memstream(&out, &out_len);
    if (!f)
        return NULL;
    for (const unsigned char *p = (const unsigned char *)text; *p;) {
        size_t n = tc_utf8_char_length((const char *)p);
        size_t width = n ? n : strlen("\\xff");
        if (shown + width > max_bytes) {
            fputs("…", f);
            break;
        }
        if (n)
            fwrite(p, 1, n, f);
        else
            fprintf(f, "\\x%02x", *p);
        shown += width;
        p += n ? n : 1;
    }
    if (fclose(f) != 0) {
        free(out);
        return NULL;
    }
    return out;
}
