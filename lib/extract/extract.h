/* From a file as offices keep it to the bytes of its text: the format is
 * recognised by content (magic bytes), not by the file's name; PDF, DOCX,
 * ODT, Word 97-2003, RTF and HTML give their text as UTF-8, anything else
 * is left to the decoder (text/decode.h), which reads plain text in its
 * encodings. */
#ifndef TC_EXTRACT_H
#define TC_EXTRACT_H

#include <stddef.h>

#include "tracuu.h"

typedef enum {
    TC_FORMAT_TEXT, /* plain text, gzipped or not: for the decoder */
    TC_FORMAT_PDF,
    TC_FORMAT_DOCX,
    TC_FORMAT_ODT,
    TC_FORMAT_DOC,  /* Word 97-2003: an OLE2 compound file */
    TC_FORMAT_RTF,
    TC_FORMAT_HTML, /* a web page, as Word saves one under a .doc name */
    TC_FORMAT_REJECTED /* recognised, and not a document: *message says what */
} tc_format_t;

/* The record's source_format for a format: "txt", "pdf", "docx", "odt",
 * "doc", "rtf", "html". */
const char *tc_format_name(tc_format_t format);

/* A file refused: *message (when message is not NULL) reads "name: why"
 * ("out of memory" when why is NULL); returns TC_STATUS_BAD_INPUT. */
tc_status_t tc_extract_reject(char **message, const char *name, const char *why);
/* What path holds, looking at its first bytes (through gzip).  A file
 * that cannot be opened is TC_FORMAT_TEXT: the decoder names why. */
tc_format_t tc_extract_sniff(const char *path, char **message);

/* The text of a file of any format but TC_FORMAT_TEXT (gzipped or not) as UTF-8 in *out
 * (malloc'd, not NUL-terminated).  max_bytes caps the file once gunzipped
 * and what its parts decompress to.  On failure *message reads
 * "PATH: reason" ("f.pdf: encrypted PDF"). */
tc_status_t tc_extract_file(char **out, size_t *out_len, const char *path, tc_format_t format, size_t max_bytes,
                            char **message);

/* The number of pages a DOCX or ODT file states in its metadata (Word's
 * and LibreOffice's count when they last saved it); 0 when it states
 * none, or for another format (a PDF's pages are its reader's to count). */
int tc_extract_pages(const char *path, tc_format_t format);

/* The same for bytes in memory; `name` is used in messages. */
tc_status_t tc_extract_docx(char **out, size_t *out_len, const char *bytes, size_t len, const char *name,
                            size_t max_bytes, char **message);
tc_status_t tc_extract_odt(char **out, size_t *out_len, const char *bytes, size_t len, const char *name,
                           size_t max_bytes, char **message);
tc_status_t tc_extract_pdf(char **out, size_t *out_len, const char *bytes, size_t len, const char *name,
                           char **message);

/* Word 97-2003 or RTF through the catdoc program (convert.c), run without
 * a shell, with a time limit and its output capped at max_bytes. */
tc_status_t tc_extract_doc(char **out, size_t *out_len, const char *bytes, size_t len, const char *name,
                           size_t max_bytes, char **message);
tc_status_t tc_extract_html(char **out, size_t *out_len, const char *bytes, size_t len, const char *name,
                            char **message);

/* ---- scanned pages (pdf.c reads them with ocr.c) ---------------------- */

/* A page with fewer letters than this in its text layer is a scan: a
 * scanned page carrying only its signature stamp's text has 100-150. */
#define TC_MIN_LETTERS_OF_A_PAGE 200

typedef struct {
    tc_ocr_mode_t mode;
    /* Readings kept by the file's content hash, KEY.ocr (KEY: its SHA-256,
     * hex); a reading used is touched, so that its time says when a file
     * last needed it.  NULL: none. */
    const char *cache_dir;
    int cache_read_only;   /* readings taken from cache_dir, never written there */
    double seconds;        /* OCR time for the whole file; 0: TC_OCR_SECONDS */
    /* The share (0 to 1) of a UTF-8 reading's words that are Vietnamese
     * syllables, or a negative value when it has too few words to tell.
     * Given by the caller: the syllables are known to text/, a stage
     * above this one.  NULL: a text layer is never judged garbage. */
    double (*vietnamese_share)(const char *utf8, size_t len);
    /* Told, when a file is read all the same, of the pages OCR failed on
     * (an engine's error, a page that cannot be rendered, the time limit):
     * "name: page 3: why; its text layer is kept".  NULL: not told. */
    void (*warn)(void *arg, const char *message);
    void *warn_arg;
} tc_ocr_options_t;

/* A reading in the OCR cache is the file <key>.ocr, its key the SHA-256
 * of the file read, in hex. */
#define TC_OCR_KEY_LEN 64
/* Whether a file name of the OCR cache is a reading's. */
int tc_ocr_cache_is_reading(const char *name);

/* How a PDF was read. */
typedef struct {
    int pages;
    int ocr_pages;      /* pages whose reading is Tesseract's */
    int ocr_confidence; /* their mean confidence, 0-100 */
    int cached_pages;   /* of the pages OCR read, those taken from the cache */
    char cache_key[TC_OCR_KEY_LEN + 1]; /* the file's key in the OCR cache when its pages were looked up
                           there, else "" */
} tc_pdf_reading_t;

/* tc_extract_file and tc_extract_pdf with OCR of the scanned pages (and,
 * with TC_OCR_ALWAYS or a garbage text layer, of the others, keeping the
 * better reading of each).  A page OCR fails on keeps its text layer, or
 * gives nothing, and ocr->warn is told; the file is refused only when no
 * page gives text.  ocr NULL: no OCR, as TC_OCR_NEVER.  reading may be
 * NULL; it is filled for a PDF. */
tc_status_t tc_extract_file_ocr(char **out, size_t *out_len, const char *path, tc_format_t format,
                                size_t max_bytes, const tc_ocr_options_t *ocr, tc_pdf_reading_t *reading,
                                char **message);
tc_status_t tc_extract_pdf_ocr(char **out, size_t *out_len, const char *bytes, size_t len, const char *name,
                               const tc_ocr_options_t *ocr, tc_pdf_reading_t *reading, char **message);

/* Page `page` (from 0) of a PDF rendered in grey as OCR sees it, at dpi
 * (lowered for a huge page: *dpi says what was used): 8-bit, 0 black,
 * width bytes a row, malloc'd in *gray.  For measuring OCR against the
 * tesseract command on the same images (bench/ocr). */
tc_status_t tc_pdf_page_gray(unsigned char **gray, int *width, int *height, int *dpi, const char *bytes,
                             size_t len, int page, char **message);

#endif
