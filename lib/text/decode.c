/* Bytes on disk -> NFC UTF-8 text.
 *
 * zlib's gz* functions read plain files transparently, so one path serves
 * .txt and .txt.gz.  Bytes that are not UTF-8 are read in the Vietnamese
 * encodings of old archives (windows-1258, TCVN3, VISCII, VNI-Windows)
 * when one of them clearly reads as Vietnamese (legacy.c).  Anything that
 * is not text is rejected here with the reason, before the parser sees it. */
#include "text/decode.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unicode/ucnv.h>
#include <unicode/ustring.h>
#include <zlib.h>

#include "base/buf.h"
#include "text/fold.h"
#include "text/legacy.h"


static tc_status_t fail(char **message, tc_status_t status, const char *fmt, const char *name,
                        const char *detail)
{
    if (message)
        *message = tc_strdup_printf(fmt, name, detail);
    return status;
}

/* Offset of the first invalid UTF-8 sequence, or len when there is none. */
static size_t utf8_invalid_at(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t at = i;
        uint32_t cp = tc_utf8_next(s, len, &i);
        if (cp == 0xFFFD && !(i - at == 3 && memcmp(s + at, "\xEF\xBF\xBD", 3) == 0))
            return at;
    }
    return len;
}

/* Line ends and NFC are done a slice at a time: the whole of a 20 MB
 * text took a copy with LF line ends, a UTF-16 copy, ICU's buffer and the
 * result at once, 125 MB (heaptrack); slices of 256 kB take under 2 MB
 * beside the result.  A slice ends before an ASCII byte, where NFC never
 * joins a character to the one before, and never between CR and LF. */
#define NFC_SLICE_BYTES (256u * 1024u)

static size_t nfc_slice_end(const char *bytes, size_t from, size_t len)
{
    if (len - from <= NFC_SLICE_BYTES)
        return len;
    for (size_t i = from + NFC_SLICE_BYTES; i > from + 1; i--)
        if ((unsigned char)bytes[i] < 0x80 && !(bytes[i - 1] == '\r' && bytes[i] == '\n'))
            return i;
    return len; /* no ASCII at all: in one piece */
}

/* Vietnamese has no Ð (U+00D0, the Icelandic eth) nor Ɖ (U+0189, the
 * African D): where one appears it is a Đ drawn alike, typed with a
 * windows-1252 keyboard or font ("ÐẠI HỌC"), or read so by Tesseract's
 * Vietnamese model, which also doubles the letter on scans ("QĐÐ-TTg",
 * "HĐÐĐND", "QÐ- TTg").  A run of Đ and look-alikes holding a look-alike is
 * one Đ; a run of Đ alone stays ("ĐĐBQH").  The same in lower case.  Each
 * of them takes two bytes in UTF-8. */
enum { NOT_D, D_UPPER, D_UPPER_ALIKE, D_LOWER, D_LOWER_ALIKE };

static int d_kind(const char *s, size_t i, size_t len)
{
    if (i + 1 >= len)
        return NOT_D;
    unsigned char lead = (unsigned char)s[i], next = (unsigned char)s[i + 1];
    if (lead == 0xC4 && (next == 0x90 || next == 0x91))
        return next == 0x90 ? D_UPPER : D_LOWER;
    if ((lead == 0xC3 && next == 0x90) || (lead == 0xC6 && next == 0x89))
        return D_UPPER_ALIKE;
    if ((lead == 0xC3 && next == 0xB0) || (lead == 0xC9 && next == 0x96))
        return D_LOWER_ALIKE;
    return NOT_D;
}

/* Copies the run of Đ and look-alikes (or đ) at bytes[i] to out + *n,
 * as one Đ when it holds a look-alike; returns where the run ends. */
static size_t put_d_run(char *out, size_t *n, const char *bytes, size_t i, size_t len)
{
    int first = d_kind(bytes, i, len), upper = first <= D_UPPER_ALIKE, alike = 0;
    size_t end = i;
    for (int kind = first; kind != NOT_D && (kind <= D_UPPER_ALIKE) == upper; kind = d_kind(bytes, end, len)) {
        alike |= kind == D_UPPER_ALIKE || kind == D_LOWER_ALIKE;
        end += 2;
    }
    if (alike) {
        out[(*n)++] = (char)0xC4;
        out[(*n)++] = upper ? (char)0x90 : (char)0x91;
    } else {
        memcpy(out + *n, bytes + i, end - i);
        *n += end - i;
    }
    return end;
}

/* bytes with CRLF and lone CR as LF, Đ's look-alikes as Đ, in NFC, into
 * *out (malloc'd). */
static tc_status_t unix_nfc(char **out, size_t *out_len, const char *bytes, size_t len)
{
    tc_buf_t slice = TC_BUF_INIT, text = TC_BUF_INIT;
    tc_status_t status = TC_STATUS_SUCCESS;
    for (size_t from = 0, to; from < len && status == TC_STATUS_SUCCESS; from = to) {
        to = nfc_slice_end(bytes, from, len);
        tc_buf_reset(&slice);
        if (tc_buf_reserve(&slice, to - from) < 0) {
            status = TC_STATUS_OUT_OF_MEMORY;
            break;
        }
        char *unix_text = slice.data; /* a local: stores through the buffer's own would reload it */
        size_t n = 0;
        for (size_t i = from; i < to; i++) {
            if (bytes[i] == '\r') {
                unix_text[n++] = '\n';
                if (i + 1 < to && bytes[i + 1] == '\n')
                    i++;
            } else if ((unsigned char)bytes[i] >= 0xC3 && (unsigned char)bytes[i] <= 0xC9 &&
                       d_kind(bytes, i, to) != NOT_D) {
                i = put_d_run(unix_text, &n, bytes, i, to) - 1;
            } else {
                unix_text[n++] = bytes[i];
            }
        }
        slice.len = n;
        unix_text[n] = '\0';
        char *normal = NULL;
        size_t normal_len = 0;
        status = tc_nfc(&normal, &normal_len, slice.data, slice.len);
        if (status == TC_STATUS_SUCCESS && from == 0 && to == len) { /* one slice: the text itself */
            *out = normal;
            *out_len = normal_len;
            tc_buf_free(&slice);
            return status;
        }
        if (status == TC_STATUS_SUCCESS && (tc_buf_reserve(&text, len) < 0 || tc_buf_append(&text, normal, normal_len) < 0))
            status = TC_STATUS_OUT_OF_MEMORY;
        free(normal);
    }
    tc_buf_free(&slice);
    if (status == TC_STATUS_SUCCESS && tc_buf_append(&text, "", 0) < 0)
        status = TC_STATUS_OUT_OF_MEMORY;
    if (status == TC_STATUS_SUCCESS) {
        *out_len = text.len;
        *out = tc_buf_steal(&text);
    }
    tc_buf_free(&text);
    return status;
}

tc_status_t tc_decode_bytes(char **out, size_t *out_len, const char **encoding, const char *bytes,
                            size_t len, const char *name, char **message)
{
    *out = NULL;
    if (encoding)
        *encoding = "UTF-8";
    if (message)
        *message = NULL;
    if (len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0) {
        bytes += 3;
        len -= 3;
    }
    size_t content = 0;
    while (content < len && (bytes[content] == ' ' || bytes[content] == '\t' ||
                             bytes[content] == '\r' || bytes[content] == '\n'))
        content++;
    if (content == len)
        return fail(message, TC_STATUS_BAD_INPUT, "%s: %s", name, "empty file");
    const char *nul = memchr(bytes, '\0', len);
    if (nul) {
        char where[64];
        snprintf(where, sizeof where, "binary file (NUL byte at offset %zu)", (size_t)(nul - bytes));
        return fail(message, TC_STATUS_BAD_INPUT, "%s: %s", name, where);
    }
    /* A file that is not UTF-8 is read in the legacy encoding that makes
     * Vietnamese of it, if one clearly does. */
    char *converted = NULL;
    if (utf8_invalid_at(bytes, len) < len) {
        tc_legacy_t legacy;
        if (tc_legacy_detect(&legacy, NULL, bytes, len) != TC_STATUS_SUCCESS)
            return fail(message, TC_STATUS_BAD_INPUT, "%s: %s", name,
                        "not UTF-8, and not a Vietnamese legacy encoding "
                        "(windows-1258, TCVN3, VISCII, VNI-Windows) either");
        tc_status_t status = tc_legacy_decode(&converted, &len, legacy, bytes, len);
        if (status != TC_STATUS_SUCCESS)
            return fail(message, status, "%s: %s", name,
                        status == TC_STATUS_OUT_OF_MEMORY ? "out of memory"
                                                          : "cannot convert from its encoding");
        bytes = converted;
        if (encoding)
            *encoding = tc_legacy_name(legacy);
    }

    size_t n = 0;
    tc_status_t status = unix_nfc(out, &n, bytes, len);
    free(converted);
    if (status != TC_STATUS_SUCCESS)
        return fail(message, status, "%s: %s", name,
                    status == TC_STATUS_OUT_OF_MEMORY ? "out of memory" : "cannot normalise the text to NFC");
    if (out_len)
        *out_len = n;
    return TC_STATUS_SUCCESS;
}

/* The windows-1252 bytes of UTF-8 text (malloc'd in *out), through ICU's
 * converter, when every character has one and at least one is not ASCII;
 * -1 otherwise. */
static int as_windows_1252(char **out, size_t *out_len, const char *utf8, size_t len)
{
    int has_high = 0;
    for (size_t i = 0; i < len && !has_high; i++)
        has_high = (unsigned char)utf8[i] >= 0x80;
    if (!has_high || len > INT32_MAX / 2)
        return -1;
    UErrorCode err = U_ZERO_ERROR;
    int32_t units = 0;
    u_strFromUTF8(NULL, 0, &units, utf8, (int32_t)len, &err);
    if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err))
        return -1;
    UChar *wide = malloc(((size_t)units + 1) * sizeof *wide);
    /* A character takes one byte in windows-1252, and one UTF-16 unit at least. */
    char *bytes = malloc((size_t)units + 1);
    UConverter *cnv = NULL;
    int rc = -1;
    if (!wide || !bytes)
        goto done;
    err = U_ZERO_ERROR;
    u_strFromUTF8(wide, units + 1, NULL, utf8, (int32_t)len, &err);
    if (U_FAILURE(err))
        goto done;
    cnv = ucnv_open("windows-1252", &err);
    if (U_FAILURE(err))
        goto done;
    /* A character windows-1252 lacks stops the conversion: no '?' for it. */
    ucnv_setFromUCallBack(cnv, UCNV_FROM_U_CALLBACK_STOP, NULL, NULL, NULL, &err);
    int32_t n = U_SUCCESS(err) ? ucnv_fromUChars(cnv, bytes, units + 1, wide, units, &err) : 0;
    if (U_FAILURE(err))
        goto done;
    *out = bytes;
    *out_len = (size_t)n;
    bytes = NULL;
    rc = 0;
done:
    if (cnv)
        ucnv_close(cnv);
    free(bytes);
    free(wide);
    return rc;
}

tc_status_t tc_decode_extracted(char **out, size_t *out_len, const char **encoding, const char *utf8,
                                size_t len, const char *name, char **message)
{
    char *bytes = NULL;
    size_t n = 0;
    tc_legacy_t legacy;
    /* windows-1258 shares windows-1252's letters: a reading in it is the
     * text as it is, Unicode already. */
    if (utf8_invalid_at(utf8, len) == len && as_windows_1252(&bytes, &n, utf8, len) == 0 &&
        utf8_invalid_at(bytes, n) < n && tc_legacy_detect(&legacy, NULL, bytes, n) == TC_STATUS_SUCCESS &&
        legacy != TC_LEGACY_WINDOWS_1258) {
        tc_status_t status = tc_decode_bytes(out, out_len, encoding, bytes, n, name, message);
        free(bytes);
        return status;
    }
    free(bytes);
    return tc_decode_bytes(out, out_len, encoding, utf8, len, name, message);
}

/* What a path that is not a regular file is, for the message. */
static const char *file_kind(mode_t mode)
{
    return S_ISDIR(mode)    ? "not a regular file (a folder)"
           : S_ISFIFO(mode) ? "not a regular file (a FIFO)"
           : S_ISSOCK(mode) ? "not a regular file (a socket)"
           : S_ISCHR(mode)  ? "not a regular file (a character device)"
           : S_ISBLK(mode)  ? "not a regular file (a block device)"
                            : "not a regular file";
}

/* zlib's message without the name it puts in front ("<fd:3>: "). */
static const char *zlib_reason(const char *why)
{
    if (strncmp(why, "<fd:", 4) == 0) {
        const char *colon = strstr(why, ">: ");
        if (colon)
            return colon + 3;
    }
    return why;
}

tc_status_t tc_decode_file(char **out, size_t *out_len, const char **encoding, const char *path,
                           char **message)
{
    return tc_decode_file_limited(out, out_len, encoding, path, TC_MAX_FILE_BYTES, message);
}

tc_status_t tc_decode_file_limited(char **out, size_t *out_len, const char **encoding, const char *path,
                                   size_t max_bytes, char **message)
{
    *out = NULL;
    if (message)
        *message = NULL;
    if (!max_bytes || max_bytes > TC_MAX_FILE_BYTES)
        max_bytes = TC_MAX_FILE_BYTES;
    /* Opening a FIFO to read waits for a writer, for ever: open without
     * waiting, and read only regular files. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        tc_status_t status = fail(message, TC_STATUS_FILE_ERROR, "%s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return status;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return fail(message, TC_STATUS_BAD_INPUT, "%s: %s", path, file_kind(st.st_mode));
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0)
        fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    gzFile gz = gzdopen(fd, "rb");
    if (!gz) {
        close(fd);
        return fail(message, TC_STATUS_OUT_OF_MEMORY, "%s: %s", path, "out of memory");
    }
    char limit[128];
    tc_buf_t raw = TC_BUF_INIT;
    tc_status_t status = TC_STATUS_SUCCESS;
    if (gzdirect(gz) && (unsigned long long)st.st_size > max_bytes) {
        snprintf(limit, sizeof limit, "file of %lld bytes, over the %zu-byte limit for a dispatch",
                 (long long)st.st_size, max_bytes);
        status = fail(message, TC_STATUS_BAD_INPUT, "%s: %s", path, limit);
        goto done;
    }
    /* A plain file's size is known: no copies while it is read. */
    if (tc_buf_reserve(&raw, (unsigned long long)st.st_size < max_bytes ? (size_t)st.st_size : max_bytes) < 0) {
        status = fail(message, TC_STATUS_OUT_OF_MEMORY, "%s: %s", path, "out of memory");
        goto done;
    }
    char chunk[65536];
    for (;;) {
        int n = gzread(gz, chunk, sizeof chunk);
        if (n < 0) {
            int errnum = 0;
            const char *why = gzerror(gz, &errnum);
            why = errnum == Z_ERRNO ? strerror(errno) : zlib_reason(why);
            status = fail(message, errnum == Z_ERRNO ? TC_STATUS_FILE_ERROR : TC_STATUS_BAD_INPUT,
                          "%s: corrupt or unreadable gzip data (%s)", path, why);
            goto done;
        }
        if (n == 0)
            break;
        if (raw.len + (size_t)n > max_bytes) {
            /* A file that grew since, or gzip data that expands past the
             * limit, which its size on disk does not tell. */
            if (gzdirect(gz))
                snprintf(limit, sizeof limit, "file of over %zu bytes, the limit for a dispatch", max_bytes);
            else
                snprintf(limit, sizeof limit, "gzip data expanding to over %zu bytes, the limit for a dispatch",
                         max_bytes);
            status = fail(message, TC_STATUS_BAD_INPUT, "%s: %s", path, limit);
            goto done;
        }
        if (tc_buf_append(&raw, chunk, (size_t)n) < 0) {
            status = fail(message, TC_STATUS_OUT_OF_MEMORY, "%s: %s", path, "out of memory");
            goto done;
        }
    }
    {
        /* gzread stops quietly at a truncated stream; gzerror tells. */
        int errnum = 0;
        const char *why = gzerror(gz, &errnum);
        if (errnum != Z_OK && errnum != Z_STREAM_END) {
            status = fail(message, TC_STATUS_BAD_INPUT, "%s: corrupt or truncated gzip data (%s)", path,
                          zlib_reason(why));
            goto done;
        }
    }
    status = tc_decode_bytes(out, out_len, encoding, raw.data ? raw.data : "", raw.len, path, message);
done:
    gzclose(gz); /* closes fd */
    tc_buf_free(&raw);
    return status;
}
