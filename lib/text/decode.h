/* From bytes on disk to clean text: gzip, BOM, UTF-8 or a Vietnamese legacy
 * encoding, CRLF, NFC. */
#ifndef TC_DECODE_H
#define TC_DECODE_H

#include <stddef.h>

#include "tracuu.h"

/* Reads `path` (gzip-compressed or not) and decodes it.  *encoding gets
 * the name of the encoding the bytes were in, a static string: "UTF-8"
 * (pure ASCII too), or, for bytes that are not UTF-8, the Vietnamese legacy
 * encoding that reads them as Vietnamese: "windows-1258", "TCVN3",
 * "VISCII" or "VNI-Windows".  `*message` names the file and the reason on
 * failure. */
tc_status_t tc_decode_file(char **out, size_t *out_len, const char **encoding, const char *path,
                           char **message);

/* The same, rejecting (TC_STATUS_BAD_INPUT) a file larger than max_bytes,
 * or gzip data expanding to more; 0 or more than TC_MAX_FILE_BYTES means
 * TC_MAX_FILE_BYTES.  Only regular files are read: a FIFO, a device or a
 * folder is rejected without waiting on it. */
tc_status_t tc_decode_file_limited(char **out, size_t *out_len, const char **encoding, const char *path,
                                   size_t max_bytes, char **message);

/* Decodes bytes already in memory; `name` is used in messages. */
tc_status_t tc_decode_bytes(char **out, size_t *out_len, const char **encoding, const char *bytes,
                            size_t len, const char *name, char **message);

/* The same for text a document reader gave as UTF-8 (extract/extract.h).
 * Old DOC and DOCX files set Vietnamese in TCVN3 (.VnTime) or VNI fonts:
 * their letters are stored as the windows-1252 characters of the font's
 * bytes ("C\u00e9ng hoµ").  When every character of the text is one of
 * windows-1252 and those bytes read clearly as a Vietnamese legacy
 * encoding, the text is read so and *encoding names it; otherwise it is
 * the UTF-8 it is. */
tc_status_t tc_decode_extracted(char **out, size_t *out_len, const char **encoding, const char *utf8,
                                size_t len, const char *name, char **message);

#endif
