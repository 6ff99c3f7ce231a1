/* DOCX and ODT: the document's XML part read from the ZIP archive with
 * libzip and walked with libxml2's streaming reader, so a large document
 * is never held as a tree.  Paragraphs and table cells each end a line,
 * in document order; field codes, anchors and shape positions are not
 * text and are left out. */
#include "extract/extract.h"

#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "base/buf.h"

/* An archive of more entries than a document ever has is not one. */
#define MAX_ZIP_ENTRIES 10000

typedef struct {
    zip_file_t *file;
    size_t read, cap; /* what was decompressed, and the most allowed */
    int over;
} capped_entry_t;

/* libxml2's input callback: decompressed bytes are counted as they come,
 * whatever the archive's directory claims (a zip bomb lies there). */
static int read_capped(void *context, char *buffer, int len)
{
    capped_entry_t *entry = context;
    zip_int64_t n = zip_fread(entry->file, buffer, (zip_uint64_t)len);
    if (n < 0)
        return -1;
    entry->read += (size_t)n;
    if (entry->read > entry->cap) {
        entry->over = 1;
        return -1;
    }
    return (int)n;
}

static int close_nothing(void *context)
{
    (void)context;
    return 0;
}

typedef enum { DIALECT_DOCX, DIALECT_ODT } dialect_t;

static int named(const char *node, const char *name)
{
    return strcmp(node, name) == 0;
}

/* Ends the current line unless it is empty already. */
static int end_line(tc_buf_t *text)
{
    if (text->len == 0 || text->data[text->len - 1] == '\n')
        return 0;
    return tc_buf_putc(text, '\n');
}

/* Walks the XML; returns 0, or -1 when the XML is malformed. */
static int walk(xmlTextReaderPtr reader, dialect_t dialect, tc_buf_t *text)
{
    int in_text = 0;      /* depth inside w:t (DOCX) */
    int skip_depth = -1;  /* inside a subtree that is not text: its depth */
    int odt_in_para = 0;  /* depth of text:p/text:h nesting (ODT) */
    int rc;
    while ((rc = xmlTextReaderRead(reader)) == 1) {
        int type = xmlTextReaderNodeType(reader);
        int depth = xmlTextReaderDepth(reader);
        if (skip_depth >= 0) {
            if (type == XML_READER_TYPE_END_ELEMENT && depth == skip_depth)
                skip_depth = -1;
            continue;
        }
        int empty = xmlTextReaderIsEmptyElement(reader);
        /* The element's name, asked for once: libxml2 looks "prefix:name"
         * up in its dictionary at every call, and an element is compared
         * with up to eight names: asked at each comparison, it was a
         * quarter of extracting a DOCX's text (bench/extract-cost). */
        const char *node = "";
        if (type == XML_READER_TYPE_ELEMENT || type == XML_READER_TYPE_END_ELEMENT) {
            node = (const char *)xmlTextReaderConstName(reader);
            if (!node)
                return -2;
        }
        if (type == XML_READER_TYPE_ELEMENT) {
            if (dialect == DIALECT_DOCX) {
                /* A text box comes twice: as DrawingML (mc:Choice) and as
                 * VML (mc:Fallback); the fallback is skipped.  Field codes
                 * (w:instrText) and deleted text are not read at all. */
                if ((named(node, "mc:Fallback") || named(node, "w:instrText") || named(node, "w:delText")) &&
                    !empty)
                    skip_depth = depth;
                else if (named(node, "w:t") && !empty)
                    in_text = 1;
                else if (named(node, "w:tab"))
                    tc_buf_putc(text, '\t');
                else if (named(node, "w:br") || named(node, "w:cr"))
                    tc_buf_putc(text, '\n');
            } else {
                if ((named(node, "office:annotation") || named(node, "text:note-citation") ||
                     named(node, "text:tracked-changes")) &&
                    !empty)
                    skip_depth = depth;
                else if ((named(node, "text:p") || named(node, "text:h")) && !empty)
                    odt_in_para++;
                else if (named(node, "text:s")) {
                    xmlChar *count = xmlTextReaderGetAttribute(reader, (const xmlChar *)"text:c");
                    int n = count ? atoi((const char *)count) : 1;
                    xmlFree(count);
                    for (int i = 0; i < n && i < 1000; i++)
                        tc_buf_putc(text, ' ');
                } else if (named(node, "text:tab"))
                    tc_buf_putc(text, '\t');
                else if (named(node, "text:line-break"))
                    tc_buf_putc(text, '\n');
                else if ((named(node, "text:p") || named(node, "text:h")) && empty)
                    end_line(text);
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (dialect == DIALECT_DOCX) {
                if (named(node, "w:t"))
                    in_text = 0;
                else if (named(node, "w:p") || named(node, "w:tc"))
                    end_line(text);
            } else {
                if (named(node, "text:p") || named(node, "text:h")) {
                    odt_in_para--;
                    end_line(text);
                } else if (named(node, "table:table-cell")) {
                    end_line(text);
                }
            }
        } else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                   type == XML_READER_TYPE_CDATA) {
            if ((dialect == DIALECT_DOCX && in_text) || (dialect == DIALECT_ODT && odt_in_para > 0)) {
                const char *value = (const char *)xmlTextReaderConstValue(reader);
                if (value && tc_buf_puts(text, value) < 0)
                    return -2;
            }
        }
    }
    return rc == 0 ? 0 : -1;
}

/* libxml2 sets up its globals once, before threads use it. */
static pthread_once_t libxml_once = PTHREAD_ONCE_INIT;

static void init_libxml(void)
{
    xmlInitParser();
}

static tc_status_t extract_zip_xml(char **out, size_t *out_len, const char *bytes, size_t len, const char *name,
                                   size_t max_bytes, char **message, const char *part, dialect_t dialect)
{
    pthread_once(&libxml_once, init_libxml);
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t *source = zip_source_buffer_create(bytes, len, 0, &error);
    zip_t *zip = source ? zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error) : NULL;
    zip_error_fini(&error);
    if (!zip) {
        if (source)
            zip_source_free(source);
        return tc_extract_reject(message, name, "truncated or corrupt ZIP archive");
    }
    tc_status_t status = TC_STATUS_SUCCESS;
    zip_int64_t entries = zip_get_num_entries(zip, 0);
    zip_int64_t index = zip_name_locate(zip, part, 0);
    zip_file_t *file = NULL;
    if (entries > MAX_ZIP_ENTRIES) {
        status = tc_extract_reject(message, name, "ZIP archive of too many entries");
    } else if (index < 0) {
        char *why = tc_strdup_printf("%s without %s", dialect == DIALECT_DOCX ? "DOCX" : "ODT", part);
        status = tc_extract_reject(message, name, why ? why : "no document part");
        free(why);
    } else if (!(file = zip_fopen_index(zip, (zip_uint64_t)index, 0))) {
        status = tc_extract_reject(message, name, zip_strerror(zip));
    }
    if (status != TC_STATUS_SUCCESS) {
        zip_close(zip);
        return status;
    }
    capped_entry_t entry = { file, 0, max_bytes, 0 };
    xmlTextReaderPtr reader = xmlReaderForIO(read_capped, close_nothing, &entry, part, NULL,
                                             XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    tc_buf_t text = TC_BUF_INIT;
    int rc = reader ? walk(reader, dialect, &text) : -2;
    if (reader)
        xmlFreeTextReader(reader);
    zip_fclose(file);
    zip_close(zip);
    if (entry.over) {
        char *why = tc_strdup_printf("%s decompresses to more than %zu bytes", part, max_bytes);
        status = tc_extract_reject(message, name, why ? why : "decompresses too far");
        free(why);
    } else if (rc == -2) {
        status = TC_STATUS_OUT_OF_MEMORY;
    } else if (rc < 0) {
        char *why = tc_strdup_printf("corrupt %s (%s is not well-formed XML)",
                                     dialect == DIALECT_DOCX ? "DOCX" : "ODT", part);
        status = tc_extract_reject(message, name, why ? why : "corrupt XML");
        free(why);
    }
    if (status != TC_STATUS_SUCCESS) {
        tc_buf_free(&text);
        return status;
    }
    end_line(&text);
    *out_len = text.len;
    *out = text.data ? text.data : calloc(1, 1);
    return *out ? TC_STATUS_SUCCESS : TC_STATUS_OUT_OF_MEMORY;
}

tc_status_t tc_extract_docx(char **out, size_t *out_len, const char *bytes, size_t len, const char *name,
                            size_t max_bytes, char **message)
{
    return extract_zip_xml(out, out_len, bytes, len, name, max_bytes, message, "word/document.xml", DIALECT_DOCX);
}

tc_status_t tc_extract_odt(char **out, size_t *out_len, const char *bytes, size_t len, const char *name,
                           size_t max_bytes, char **message)
{
    return extract_zip_xml(out, out_len, bytes, len, name, max_bytes, message, "content.xml", DIALECT_ODT);
}

/* A document's metadata part is a few kilobytes; one larger is not read. */
#define MAX_METADATA_BYTES (1u << 20)
/* More pages than this is not a count a word processor wrote. */
#define MAX_PAGE_COUNT 1000000

/* The page count the metadata part states: the text of DOCX's <Pages>,
 * ODT's meta:page-count attribute; 0 when it states none. */
static int read_page_count(zip_t *zip, const char *part, dialect_t dialect)
{
    zip_int64_t index = zip_name_locate(zip, part, 0);
    zip_file_t *file = index >= 0 ? zip_fopen_index(zip, (zip_uint64_t)index, 0) : NULL;
    if (!file)
        return 0;
    capped_entry_t entry = { file, 0, MAX_METADATA_BYTES, 0 };
    xmlTextReaderPtr reader = xmlReaderForIO(read_capped, close_nothing, &entry, part, NULL,
                                             XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    long pages = 0;
    int in_pages = 0;
    while (reader && pages == 0 && xmlTextReaderRead(reader) == 1) {
        int type = xmlTextReaderNodeType(reader);
        const char *local = (const char *)xmlTextReaderConstLocalName(reader);
        if (type == XML_READER_TYPE_ELEMENT && dialect == DIALECT_DOCX) {
            in_pages = strcmp(local, "Pages") == 0;
        } else if (type == XML_READER_TYPE_ELEMENT && strcmp(local, "document-statistic") == 0) {
            xmlChar *count = xmlTextReaderGetAttribute(reader, (const xmlChar *)"meta:page-count");
            pages = count ? strtol((const char *)count, NULL, 10) : 0;
            xmlFree(count);
        } else if (type == XML_READER_TYPE_TEXT && in_pages) {
            pages = strtol((const char *)xmlTextReaderConstValue(reader), NULL, 10);
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            in_pages = 0;
        }
    }
    if (reader)
        xmlFreeTextReader(reader);
    zip_fclose(file);
    return pages > 0 && pages <= MAX_PAGE_COUNT ? (int)pages : 0;
}

int tc_extract_pages(const char *path, tc_format_t format)
{
    if (format != TC_FORMAT_DOCX && format != TC_FORMAT_ODT)
        return 0;
    pthread_once(&libxml_once, init_libxml);
    int error = 0;
    zip_t *zip = zip_open(path, ZIP_RDONLY, &error);
    if (!zip)
        return 0; /* gzipped, or gone since: the count is only not known */
    int pages = format == TC_FORMAT_DOCX ? read_page_count(zip, "docProps/app.xml", DIALECT_DOCX)
                                         : read_page_count(zip, "meta.xml", DIALECT_ODT);
    zip_close(zip);
    return pages;
}
