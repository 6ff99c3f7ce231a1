/* Which format a file is in, by its first bytes, and its text from the
 * reader of that format.  gzip is looked through: a .pdf.gz is a PDF. */
#include "extract/extract.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zip.h>
#include <zlib.h>

#include "base/buf.h"

/* Enough of the start to tell every format apart: "%PDF-", "PK\3\4",
 * JPEG's and PNG's signatures. */
#define SNIFF_BYTES 8

const char *tc_format_name(tc_format_t format)
{
    switch (format) {
    case TC_FORMAT_PDF: return "pdf";
    case TC_FORMAT_DOCX: return "docx";
    case TC_FORMAT_ODT: return "odt";
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
    unsigned char head[SNIFF_BYTES] = { 0 };
    int n = gzread(in, head, sizeof head);
    gzclose(in);
    if (n < 4)
        return TC_FORMAT_TEXT;
    if (memcmp(head, "%PDF", 4) == 0)
        return TC_FORMAT_PDF;
    if (memcmp(head, "PK\3\4", 4) == 0)
        return zip_kind(path, st.st_size, message);
    if (head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF) {
        *message = tc_strdup_printf("%s: a JPEG image, not a document", path);
        return TC_FORMAT_REJECTED;
    }
    if (memcmp(head, "\x89PNG", 4) == 0) {
        *message = tc_strdup_printf("%s: a PNG image, not a document", path);
        return TC_FORMAT_REJECTED;
    }
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
    default: status = TC_STATUS_INVALID_ARGUMENT; break;
    }
    free(bytes);
    return status;
}
