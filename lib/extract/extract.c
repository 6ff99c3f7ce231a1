/* Which format a file is in, by its first bytes, and its text from the
 * reader of that format.  gzip is looked through: a .pdf.gz is a PDF. */
#include "extract/extract.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <zip.h>
#include <zlib.h>

#include "base/buf.h"

/* Enough of the start to tell every format apart: "%PDF-", "PK\3\4",
 * OLE2's eight bytes, "{\rtf", images' signatures, and an HTML page's
 * <html> tag behind its doctype and the comments Word puts first. */
#define SNIFF_BYTES 1024

const char *tc_format_name(tc_format_t format)
{
    switch (format) {
    case TC_FORMAT_PDF: return "pdf";
    case TC_FORMAT_DOCX: return "docx";
    case TC_FORMAT_ODT: return "odt";
    case TC_FORMAT_DOC: return "doc";
    case TC_FORMAT_RTF: return "rtf";
    case TC_FORMAT_HTML: return "html";
    default: return "txt";
    }
}

/* Whole (gunzipped) file in memory, up to max_bytes. */
static tc_status_t read_whole(char **out, size_t *out_len, const char *path, size_t max_bytes, char **message)
{
    gzFile in = gzopen(path, "rb");
    if (!in) {
        *message = tc_strdup_printf("%s: %s", path, strerror(errno ? errno : EIO));
        return TC_STATUS_FILE_ERROR;
    }
    tc_buf_t data = TC_BUF_INIT;
    tc_status_t status = TC_STATUS_SUCCESS;
    for (;;) {
        if (tc_buf_reserve(&data, 65536) < 0) {
            status = TC_STATUS_OUT_OF_MEMORY;
            break;
        }
        int n = gzread(in, data.data + data.len, 65536);
        if (n < 0) {
            *message = tc_strdup_printf("%s: corrupt gzip data", path);
            status = TC_STATUS_BAD_INPUT;
            break;
        }
        if (n == 0)
            break;
        data.len += (size_t)n;
        if (data.len > max_bytes) {
            *message = tc_strdup_printf("%s: larger than %zu bytes once gunzipped", path, max_bytes);
            status = TC_STATUS_BAD_INPUT;
            break;
        }
    }
    gzclose(in);
    if (status != TC_STATUS_SUCCESS) {
        tc_buf_free(&data);
        return status;
    }
    *out_len = data.len;
    *out = data.data ? data.data : malloc(1);
    return *out ? TC_STATUS_SUCCESS : TC_STATUS_OUT_OF_MEMORY;
}

/* Every ZIP archive ends with this record; fewer bytes are not one. */
#define ZIP_END_RECORD_BYTES 22

/* A ZIP archive is DOCX when it has word/document.xml, ODT when its
 * mimetype entry names an OpenDocument text and it has content.xml. */
static tc_format_t zip_kind(const char *path, off_t size, char **message)
{
    unsigned char head[2] = { 0 };
    FILE *raw = fopen(path, "rb");
    size_t n = raw ? fread(head, 1, sizeof head, raw) : 0;
    if (raw)
        fclose(raw);
    if (n == 2 && head[0] == 0x1F && head[1] == 0x8B)
        return TC_FORMAT_DOCX; /* gzipped: tc_extract_file looks inside */
    if (size < ZIP_END_RECORD_BYTES)
        return TC_FORMAT_TEXT; /* a few bytes that happen to start so: the decoder names them */
    int error = 0;
    zip_t *zip = zip_open(path, ZIP_RDONLY, &error);
    if (!zip) {
        *message = tc_strdup_printf("%s: truncated or corrupt ZIP archive", path);
        return TC_FORMAT_REJECTED;
    }
    tc_format_t kind = TC_FORMAT_REJECTED;
    if (zip_name_locate(zip, "word/document.xml", 0) >= 0) {
        kind = TC_FORMAT_DOCX;
    } else if (zip_name_locate(zip, "content.xml", 0) >= 0 && zip_name_locate(zip, "mimetype", 0) >= 0) {
        kind = TC_FORMAT_ODT;
    }
    zip_close(zip);
    if (kind == TC_FORMAT_REJECTED)
        *message = tc_strdup_printf("%s: ZIP archive that is neither DOCX nor ODT", path);
    return kind;
}

/* A web page: after a byte order mark and white space, markup that has
 * an <html> tag within the first bytes. */
static int looks_like_html(const unsigned char *head, size_t n)
{
    size_t at = 0;
    if (n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0)
        at = 3;
    while (at < n && (head[at] == ' ' || head[at] == '\t' || head[at] == '\r' || head[at] == '\n'))
        at++;
    if (at >= n || head[at] != '<')
        return 0;
    for (; at + 5 <= n; at++)
        if (head[at] == '<' && strncasecmp((const char *)head + at + 1, "html", 4) == 0)
            return 1;
    return 0;
}

static tc_format_t image(const char *path, const char *kind, char **message)
{
    *message = tc_strdup_printf("%s: a %s image, not a document", path, kind);
    return TC_FORMAT_REJECTED;
}

tc_format_t tc_extract_sniff(const char *path, char **message)
{
    /* What is not a regular file (a FIFO would block the open) is the
     * decoder's to reject, with its reason. */
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return TC_FORMAT_TEXT;
    gzFile in = gzopen(path, "rb");
    if (!in)
        return TC_FORMAT_TEXT;
    /* One byte more than looked at: the NUL that ends the HTML search. */
    unsigned char head[SNIFF_BYTES + 1] = { 0 };
    int n = gzread(in, head, SNIFF_BYTES);
    gzclose(in);
    if (n < 4)
        return TC_FORMAT_TEXT;
    if (memcmp(head, "%PDF", 4) == 0)
        return TC_FORMAT_PDF;
    if (memcmp(head, "PK\3\4", 4) == 0)
        return zip_kind(path, st.st_size, message);
    if (n >= 8 && memcmp(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
        return TC_FORMAT_DOC;
    if (n >= 5 && memcmp(head, "{\\rtf", 5) == 0)
        return TC_FORMAT_RTF;
    /* Scanned pages kept as pictures: no text until they are read by OCR. */
    if (head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
        return image(path, "JPEG", message);
    if (memcmp(head, "\x89PNG", 4) == 0)
        return image(path, "PNG", message);
    if (memcmp(head, "II*\0", 4) == 0 || memcmp(head, "MM\0*", 4) == 0)
        return image(path, "TIFF", message);
    if (memcmp(head, "GIF8", 4) == 0)
        return image(path, "GIF", message);
    if (looks_like_html(head, (size_t)n))
        return TC_FORMAT_HTML;
    return TC_FORMAT_TEXT;
}

tc_status_t tc_extract_file(char **out, size_t *out_len, const char *path, tc_format_t format, size_t max_bytes,
                            char **message)
{
    return tc_extract_file_ocr(out, out_len, path, format, max_bytes, NULL, NULL, message);
}

tc_status_t tc_extract_file_ocr(char **out, size_t *out_len, const char *path, tc_format_t format,
                                size_t max_bytes, const tc_ocr_options_t *ocr, tc_pdf_reading_t *reading,
                                char **message)
{
    char *bytes = NULL;
    size_t len = 0;
    *out = NULL;
    *out_len = 0;
    tc_status_t status = read_whole(&bytes, &len, path, max_bytes, message);
    if (status != TC_STATUS_SUCCESS)
        return status;
    /* A gzipped ZIP was not looked into by tc_extract_sniff. */
    if (format == TC_FORMAT_DOCX && len >= 4 && memcmp(bytes, "PK\3\4", 4) == 0) {
        zip_error_t error;
        zip_error_init(&error);
        zip_source_t *source = zip_source_buffer_create(bytes, len, 0, &error);
        zip_t *zip = source ? zip_open_from_source(source, ZIP_RDONLY, &error) : NULL;
        if (zip) {
            if (zip_name_locate(zip, "word/document.xml", 0) < 0 && zip_name_locate(zip, "content.xml", 0) >= 0)
                format = TC_FORMAT_ODT;
            zip_close(zip);
        } else if (source) {
            zip_source_free(source);
        }
        zip_error_fini(&error);
    }
    switch (format) {
    case TC_FORMAT_PDF: status = tc_extract_pdf_ocr(out, out_len, bytes, len, path, ocr, reading, message); break;
    case TC_FORMAT_DOCX: status = tc_extract_docx(out, out_len, bytes, len, path, max_bytes, message); break;
    case TC_FORMAT_ODT: status = tc_extract_odt(out, out_len, bytes, len, path, max_bytes, message); break;
    case TC_FORMAT_DOC:
    case TC_FORMAT_RTF: status = tc_extract_doc(out, out_len, bytes, len, path, max_bytes, message); break;
    case TC_FORMAT_HTML: status = tc_extract_html(out, out_len, bytes, len, path, message); break;
    default: status = TC_STATUS_INVALID_ARGUMENT; break;
    }
    free(bytes);
    return status;
}

tc_status_t tc_extract_reject(char **message, const char *name, const char *why)
{
    tc_say(message, "%s: %s", name, why ? why : "out of memory");
    return TC_STATUS_BAD_INPUT;
}
