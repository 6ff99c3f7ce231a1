/* A dispatch from its file: its text taken out of its format (extract/),
 * decoded (text/), then parsed into its record; and the id a file's name
 * gives it, reversible to the name. */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "extract/extract.h"
#include "text/decode.h"
#include "text/fold.h"
#include "text/legacy.h"
#include "tracuu.h"

/* Whether bytes [at, end) that tc_utf8_next read are a character, not
 * an ill-formed sequence (which it reads as U+FFFD too). */
static int read_a_character(const char *s, size_t at, size_t end, uint32_t cp)
{
    return cp != 0xFFFD || (end - at == 3 && memcmp(s + at, "\xEF\xBF\xBD", 3) == 0);
}

char *tc_id_from_name(const char *name, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    tc_buf_t id = TC_BUF_INIT;
    int rc = tc_buf_reserve(&id, len);
    for (size_t i = 0; i < len && rc == 0;) {
        size_t at = i;
        uint32_t cp = tc_utf8_next(name, len, &i);
        if (cp != '%' && read_a_character(name, at, i, cp)) {
            rc = tc_buf_append(&id, name + at, i - at);
            continue;
        }
        for (size_t k = at; k < i && rc == 0; k++) {
            unsigned char byte = (unsigned char)name[k];
            char escape[3] = { '%', hex[byte >> 4], hex[byte & 15] };
            rc = tc_buf_append(&id, escape, 3);
        }
    }
    if (rc == 0)
        rc = tc_buf_append(&id, "", 0);
    if (rc) {
        tc_buf_free(&id);
        return NULL;
    }
    return tc_buf_steal(&id);
}

static int hex_value(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

char *tc_name_from_id(const char *id)
{
    size_t len = strlen(id), n = 0;
    char *name = malloc(len + 1);
    if (!name)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        int high, low;
        if (id[i] == '%' && i + 2 < len && (high = hex_value(id[i + 1])) >= 0 && (low = hex_value(id[i + 2])) >= 0) {
            name[n++] = (char)(high << 4 | low);
            i += 2;
        } else {
            name[n++] = id[i];
        }
    }
    name[n] = '\0';
    return name;
}

/* A path as the record shows it: as it is when it is UTF-8, else written
 * as ids are (tc_id_from_name), so that it can be shown at all. */
static char *path_for_record(const char *path)
{
    size_t len = strlen(path);
    for (size_t i = 0; i < len;) {
        size_t at = i;
        uint32_t cp = tc_utf8_next(path, len, &i);
        if (!read_a_character(path, at, i, cp))
            return tc_id_from_name(path, len);
    }
    return strdup(path);
}

tc_status_t tc_doc_load(tc_doc_t **out, const char *path, const char *id, char **message)
{
    return tc_doc_load_limited(out, path, id, TC_MAX_FILE_BYTES, message);
}

tc_status_t tc_doc_load_limited(tc_doc_t **out, const char *path, const char *id, size_t max_bytes, char **message)
{
    tc_load_options_t options = { .max_bytes = max_bytes, .ocr = TC_OCR_AUTO };
    return tc_doc_load_with(out, path, id, &options, message);
}

/* Fewer words than this are too few to tell a garbage text layer from a
 * page of names and numbers. */
#define MIN_WORDS_TO_JUDGE 30

/* Whether a PDF page's text layer is garbage, and which of two readings
 * is better, is told by the share of its words that are Vietnamese
 * syllables: the syllables are text/'s (legacy.h), a stage above
 * extract/, so the extractor is handed this from here. */
static double vietnamese_share(const char *utf8, size_t len)
{
    tc_syl_scan_t scan;
    tc_syl_scan_init(&scan);
    for (size_t i = 0; i < len;)
        tc_syl_scan_put(&scan, tc_utf8_next(utf8, len, &i));
    tc_syl_scan_finish(&scan);
    if (scan.score.words < MIN_WORDS_TO_JUDGE)
        return -1;
    return (double)scan.score.valid / (double)scan.score.words;
}

tc_status_t tc_doc_load_with(tc_doc_t **out, const char *path, const char *id, const tc_load_options_t *options,
                             char **message)
{
    static const tc_load_options_t defaults = { .ocr = TC_OCR_AUTO };
    if (!options)
        options = &defaults;
    size_t max_bytes = options->max_bytes;
    tc_ocr_options_t ocr = { .mode = options->ocr, .cache_dir = options->ocr_cache,
                             .cache_read_only = options->ocr_cache_read_only,
                             .seconds = options->ocr_seconds, .vietnamese_share = vietnamese_share,
                             .warn = options->warn, .warn_arg = options->warn_arg };
    tc_pdf_reading_t reading = { 0, 0, 0, 0, "" };
    char *text = NULL;
    size_t len = 0;
    tc_doc_t *doc = NULL;
    *out = NULL;
    if (message)
        *message = NULL;
    if (!path || !id)
        return TC_STATUS_INVALID_ARGUMENT;
    const char *encoding = NULL;
    char *why = NULL;
    tc_format_t format = tc_extract_sniff(path, &why);
    tc_status_t status;
    if (format == TC_FORMAT_REJECTED) {
        status = TC_STATUS_BAD_INPUT;
    } else if (format == TC_FORMAT_TEXT) {
        status = tc_decode_file_limited(&text, &len, &encoding, path, max_bytes, &why);
    } else {
        /* The decoder still makes the extracted UTF-8 NFC, and names a
         * document whose text is empty. */
        char *extracted = NULL;
        size_t extracted_len = 0;
        size_t limit = max_bytes == 0 || max_bytes > TC_MAX_FILE_BYTES ? TC_MAX_FILE_BYTES : max_bytes;
        status = tc_extract_file_ocr(&extracted, &extracted_len, path, format, limit, &ocr, &reading, &why);
        if (status == TC_STATUS_SUCCESS)
            status = tc_decode_extracted(&text, &len, &encoding, extracted, extracted_len, path, &why);
        free(extracted);
    }
    if (status != TC_STATUS_SUCCESS) {
        if (message)
            *message = why;
        else
            free(why);
        return status;
    }
    free(why);
    status = tc_doc_parse(&doc, text, len);
    free(text);
    if (status != TC_STATUS_SUCCESS) {
        if (message)
            *message = tc_strdup_printf("%s: %s", path, tc_status_to_string(status));
        return status;
    }
    doc->id = strdup(id);
    doc->path = path_for_record(path);
    doc->source_encoding = strdup(encoding ? encoding : "UTF-8");
    doc->source_format = strdup(tc_format_name(format));
    /* A PDF's pages are counted by its reader; DOCX and ODT state theirs. */
    doc->pages = reading.pages ? reading.pages : tc_extract_pages(path, format);
    doc->ocr_pages = reading.ocr_pages;
    doc->ocr_confidence = reading.ocr_confidence;
    doc->ocr_cache_key = *reading.cache_key ? strdup(reading.cache_key) : NULL;
    if (!doc->id || !doc->path || !doc->source_encoding || !doc->source_format ||
        (*reading.cache_key && !doc->ocr_cache_key)) {
        tc_doc_free(doc);
        return TC_STATUS_OUT_OF_MEMORY;
    }
    *out = doc;
    return TC_STATUS_SUCCESS;
}

const char *tc_dispatch_suffix(const char *name)
{
    /* Longest first: ".txt.gz" before ".txt".  The name only says which
     * files to read; what a file is, is read from its content. */
    static const char *const suffixes[] = { ".txt.gz", ".pdf.gz", ".docx.gz", ".odt.gz", ".doc.gz", ".rtf.gz",
                                            ".txt",    ".pdf",    ".docx",    ".odt",    ".doc",    ".rtf" };
    size_t len = strlen(name);
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        size_t n = strlen(suffixes[i]);
        if (len > n && strcmp(name + len - n, suffixes[i]) == 0)
            return name + len - n;
    }
    return NULL;
}

char *tc_id_of_file(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *suffix = tc_dispatch_suffix(base);
    return tc_id_from_name(base, suffix ? (size_t)(suffix - base) : strlen(base));
}
