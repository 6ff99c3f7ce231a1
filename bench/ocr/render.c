/* render PDF DPI OUTDIR: each page of PDF as OUTDIR/page-NNN.pgm, rendered
 * in grey at DPI exactly as the indexer renders it for OCR, so that the
 * tesseract command can be timed on the same images (bench/ocr/run). */
#include <stdio.h>
#include <stdlib.h>

#include "base/buf.h"
#include "extract/extract.h"

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: render PDF DPI OUTDIR\n");
        return 2;
    }
    FILE *in = fopen(argv[1], "rb");
    tc_buf_t bytes = TC_BUF_INIT;
    char chunk[65536];
    size_t n;
    while (in && (n = fread(chunk, 1, sizeof chunk, in)) > 0)
        if (tc_buf_append(&bytes, chunk, n) < 0)
            return 2;
    if (!in || !bytes.len) {
        fprintf(stderr, "render: %s: cannot read\n", argv[1]);
        return 2;
    }
    fclose(in);
    int pages = 0;
    for (int page = 0;; page++) {
        unsigned char *gray = NULL;
        int width = 0, height = 0, dpi = atoi(argv[2]);
        char *message = NULL;
        if (tc_pdf_page_gray(&gray, &width, &height, &dpi, bytes.data, bytes.len, page, &message) !=
            TC_STATUS_SUCCESS) {
            free(message);
            break;
        }
        char path[4096];
        snprintf(path, sizeof path, "%s/page-%03d.pgm", argv[3], page + 1);
        FILE *out = fopen(path, "wb");
        if (!out)
            return 2;
        fprintf(out, "P5\n%d %d\n255\n", width, height);
        fwrite(gray, 1, (size_t)width * (size_t)height, out);
        fclose(out);
        free(gray);
        pages++;
    }
    printf("%d\n", pages);
    tc_buf_free(&bytes);
    return pages > 0 ? 0 : 1;
}
