/* Reading page images with Tesseract (its C API, Debian's "vie" data).
 *
 * Engines are costly to start (the Vietnamese model is read from disk)
 * and one engine reads one page at a time, so they are kept in one pool
 * for the process: as many as there are cores (TC_OCR_MAX_ENGINES at
 * most), created when first needed, reused by every file.  Taking an
 * engine waits while all are busy, which also keeps OCR to one page per
 * core whatever the number of threads asking. */
#ifndef TC_OCR_H
#define TC_OCR_H

#include <stddef.h>

#include "tracuu.h"

/* Beyond this many engines, memory (about 100 MB each with the
 * Vietnamese model) grows faster than any machine meant for the indexer
 * has cores to use them. */
#define TC_OCR_MAX_ENGINES 32

/* How many pages the pool reads at once: the cores, at most
 * TC_OCR_MAX_ENGINES. */
unsigned tc_ocr_engines(void);

/* Where a character stands on the page image, in pixels from its top
 * left corner. */
typedef struct {
    double x1, y1, x2, y2;
} tc_ocr_box_t;

/* The text of an 8-bit grey page image (0 black, 255 white; stride bytes
 * a row) scanned at dpi, as UTF-8 in *text (malloc'd, NUL-terminated):
 * Tesseract's words, a space between two of a line, a newline after each
 * line; in *boxes (malloc'd) one box for each character of it, a word's
 * box shared out evenly among its letters, a space's the gap it fills.
 * Tesseract's mean word confidence (0-100) in *confidence.  Gives up
 * after `seconds` (TC_STATUS_BAD_INPUT, "OCR time limit").  On failure
 * *message says why (malloc'd). */
tc_status_t tc_ocr_read(char **text, tc_ocr_box_t **boxes, size_t *n_boxes, int *confidence,
                        const unsigned char *gray, int width, int height, int stride, int dpi, double seconds,
                        char **message);

/* Pages read by OCR since the process started (not those taken from a
 * cache): what a run's statistics count. */
unsigned long tc_ocr_pages_read(void);

#endif
