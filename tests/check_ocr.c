/* Scanned PDFs read by OCR: a page drawn here with cairo as a scanner
 * would give it (Vietnamese text rendered to a picture, the picture
 * wrapped in a PDF), and a real scan carrying a scanner's OCR layer made
 * without Vietnamese.  Indexed, found by words typed without accents and
 * by number, with the record's pages and OCR fields; OCR's readings are
 * cached in the index folder, so a rebuild reads no page again.  A page
 * OCR fails on costs that page, not the file. */
#include <cairo-pdf.h>
#include <cairo.h>
#include <check.h>
#include <dirent.h>
#include <fontconfig/fontconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extract/extract.h"
#include "testutil.h"

/* The scanner's resolution: low, as offices scan to keep files small. */
#define SCAN_DPI 200.0

static void show(cairo_t *cr, double x, double y, double size, const char *text)
{
    cairo_set_font_size(cr, size);
    cairo_move_to(cr, x, y);
    cairo_show_text(cr, text);
}

/* The dispatch's text, positions in points scaled by `scale` (pixels a
 * point for a picture, 1 for a PDF's page).  dense: its page filled with
 * lines of text, which takes Tesseract seconds. */
static void draw_dispatch(cairo_t *cr, double scale, int dense)
{
    cairo_save(cr);
    cairo_scale(cr, scale, scale);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    show(cr, 60, 60, 11, "SỞ Y TẾ TỈNH LAI CHÂU");
    show(cr, 300, 60, 11, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    show(cr, 330, 78, 11, "Độc lập - Tự do - Hạnh phúc");
    show(cr, 60, 100, 11, "Số: 157/SYT-NVY");
    show(cr, 330, 100, 11, "Lai Châu, ngày 12 tháng 3 năm 2026");
    show(cr, 60, 118, 10, "V/v tiêm vắc xin phòng bệnh sởi");
    show(cr, 200, 160, 11, "Kính gửi: Các trung tâm y tế huyện.");
    show(cr, 70, 190, 11, "Sở Y tế đề nghị các trung tâm y tế tổ chức tiêm vắc xin phòng bệnh sởi cho trẻ em");
    show(cr, 60, 208, 11, "dưới năm tuổi tại xã Bản Hon, báo cáo kết quả về Sở trước ngày 30 tháng 4 năm 2026.");
    show(cr, 400, 250, 11, "GIÁM ĐỐC");
    show(cr, 385, 310, 11, "Lò Văn Phương");
    for (int line = 0; dense && line < 50; line++)
        show(cr, 60, 340 + line * 9.5, 8,
             "Các trạm y tế xã rà soát danh sách trẻ em chưa tiêm đủ mũi, lập kế hoạch tiêm bù trong tháng 4 năm 2026.");
    cairo_restore(cr);
}

/* An A4 PDF whose pages are as `kinds` says, one letter a page: 's' the
 * dispatch scanned (its text drawn onto a picture, the picture the page's
 * only content: no text layer), 'd' the same densely filled, 't' the
 * dispatch as text (a text layer). */
static void make_pdf_of(const char *path, const char *kinds)
{
    cairo_surface_t *surface = cairo_pdf_surface_create(path, 595, 842);
    cairo_t *cr = cairo_create(surface);
    for (const char *k = kinds; *k; k++) {
        if (*k == 't') {
            draw_dispatch(cr, 1, 0);
        } else {
            int width = (int)(595 * SCAN_DPI / 72), height = (int)(842 * SCAN_DPI / 72);
            cairo_surface_t *picture = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
            cairo_t *pen = cairo_create(picture);
            cairo_set_source_rgb(pen, 1, 1, 1);
            cairo_paint(pen);
            draw_dispatch(pen, SCAN_DPI / 72, *k == 'd');
            cairo_destroy(pen);
            cairo_save(cr);
            cairo_scale(cr, 72 / SCAN_DPI, 72 / SCAN_DPI);
            cairo_set_source_surface(cr, picture, 0, 0);
            cairo_paint(cr);
            cairo_restore(cr);
            cairo_surface_destroy(picture);
        }
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
    ck_assert_int_eq(cairo_surface_status(surface), CAIRO_STATUS_SUCCESS);
}

/* An A4 dispatch scanned, one page. */
static void make_scanned_pdf(const char *path, int dense)
{
    make_pdf_of(path, dense ? "d" : "s");
}

static void expect_field(const char *json, const char *field)
{
    ck_assert_msg(strstr(json, field) != NULL, "%s not in %s", field, json);
}

/* How many readings the OCR cache of the index at db holds. */
static int cached_files(const char *db)
{
    char *path = tu_printf("%s/ocr-cache", db);
    DIR *d = opendir(path);
    free(path);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += strstr(e->d_name, ".ocr") != NULL;
    if (d)
        closedir(d);
    return n;
}

/* Whether the OCR cache of the index at db holds a reading of the file at
 * path (by its SHA-256). */
static int cached(const char *db, const char *path)
{
    char *cmd = tu_printf("sha256sum %s", path);
    char *out = tu_run_clean(cmd);
    out[strcspn(out, " ")] = '\0';
    char *reading = tu_printf("%s/ocr-cache/%s.ocr", db, out);
    int held = access(reading, F_OK) == 0;
    free(reading);
    free(cmd);
    free(out);
    return held;
}

/* Runs cmd, expecting exit status code, exactly `expected` on stdout and
 * exactly `expected_err` on stderr (NULL: anything). */
static void run_expecting_both(const char *cmd, int code, const char *expected, const char *expected_err)
{
    char *out = NULL, *err = NULL;
    if (code == 0 && expected_err && !*expected_err) {
        out = tu_run_clean(cmd);
    } else {
        int got = tu_run(cmd, &out, &err);
        ck_assert_msg(got == code, "%s: exit %d: %s", cmd, got, err);
        if (expected_err)
            ck_assert_str_eq(err, expected_err);
    }
    ck_assert_str_eq(out, expected);
    free(out);
    free(err);
}

/* The same, stderr empty when code is 0. */
static void run_expecting(const char *cmd, int code, const char *expected)
{
    run_expecting_both(cmd, code, expected, code == 0 ? "" : NULL);
}

/* The ids bin/query finds for words, in order, as one string. */
static char *found(const char *db, const char *words)
{
    char *cmd = tu_printf("bin/query --db %s '%s'", db, words), *out = NULL, *err = NULL;
    ck_assert_int_eq(tu_run(cmd, &out, &err), 0);
    free(cmd);
    free(err);
    return out;
}

START_TEST(test_scan_indexed_found_cached)
{
    char *dir = tu_tempdir(), *out = NULL, *err = NULL;
    char *in = tu_printf("%s/in", dir), *db = tu_printf("%s/db", dir);
    char *cmd = NULL;
    ck_assert_int_eq(mkdir(in, 0777), 0);
    char *scan = tu_printf("%s/cv157.pdf", in);
    make_scanned_pdf(scan, 0);

    /* The record, read by OCR. */
    cmd = tu_printf("bin/indexer --parse %s", scan);
    out = tu_run_clean(cmd);
    expect_field(out, "\"issuer\":\"Sở Y tế tỉnh Lai Châu\"");
    expect_field(out, "\"number\":\"157\"");
    expect_field(out, "\"symbol\":\"SYT-NVY\"");
    expect_field(out, "\"date\":\"2026-03-12\"");
    expect_field(out, "\"signer\":\"Lò Văn Phương\"");
    expect_field(out, "\"source_format\":\"pdf\",\"pages\":1,\"ocr_pages\":1,\"ocr_confidence\":");
    int confidence = atoi(strstr(out, "\"ocr_confidence\":") + strlen("\"ocr_confidence\":"));
    ck_assert_msg(confidence >= 80 && confidence <= 100, "confidence %d", confidence);
    free(cmd);
    free(out);

    /* Without OCR, a scan is rejected, with the reason. */
    cmd = tu_printf("bin/indexer --parse --ocr never %s", scan);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 1);
    ck_assert_str_eq(out, "");
    char *expected = tu_printf("indexer: rejected %s: no text layer (a scan, and OCR was not asked for)\n", scan);
    ck_assert_str_eq(err, expected);
    free(expected);
    free(cmd);
    free(out);
    free(err);

    /* Indexed: the page read once, then kept. */
    cmd = tu_printf("bin/indexer --db %s %s", db, in);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 0);
    expected = tu_printf("added 1, updated 0, removed 0, unchanged 0, rejected 0; "
                         "the index at %s holds 1 dispatches\nOCR read 1 page\n", db);
    ck_assert_str_eq(out, expected);
    ck_assert_str_eq(err, "");
    ck_assert_int_eq(cached_files(db), 1);
    free(expected);
    free(cmd);
    free(out);
    free(err);

    /* Found by words without accents and by its number. */
    static const char *const queries[] = { "tiem vac xin phong benh soi", "ban hon", "157/SYT-NVY" };
    for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
        out = found(db, queries[i]);
        ck_assert_msg(strstr(out, "cv157") != NULL, "%s: %s", queries[i], out);
        free(out);
    }

    /* A rebuild, and an update after the file was touched, read no page
     * again: no "OCR read" line. */
    cmd = tu_printf("bin/indexer --db %s --rebuild %s", db, in);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 0);
    expected = tu_printf("added 1, updated 0, removed 0, unchanged 0, rejected 0; "
                         "the index at %s holds 1 dispatches\n", db);
    ck_assert_str_eq(out, expected);
    free(expected);
    free(cmd);
    free(out);
    free(err);
    cmd = tu_printf("touch -d '2026-01-02 03:04:05' %s && bin/indexer --db %s %s", scan, db, in);
    expected = tu_printf("added 0, updated 1, removed 0, unchanged 0, rejected 0; "
                         "the index at %s holds 1 dispatches\n", db);
    run_expecting_both(cmd, 0, expected, NULL);
    ck_assert_int_eq(cached_files(db), 1);
    free(expected);
    free(cmd);
    out = found(db, "157/SYT-NVY");
    ck_assert_msg(strstr(out, "cv157") != NULL, "%s", out);
    free(out);

    free(scan);
    free(db);
    free(in);
}
END_TEST

/* A scan whose text layer is a scanner's OCR without Vietnamese ("CONG
 * HOA xA HOI can NGHiA"): read again by OCR, which reads it better. */
START_TEST(test_garbage_layer_read_again)
{
    char *out = NULL, *err = NULL;
    ck_assert_int_eq(tu_run("bin/indexer --parse --ocr never tests/realformats/tb-dhdl-2021-ocr-layer.pdf", &out, &err),
                     0);
    ck_assert_ptr_null(strstr(out, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
    ck_assert_ptr_null(strstr(out, "\"ocr_pages\""));
    expect_field(out, "\"pages\":2}");
    free(out);
    free(err);

    ck_assert_int_eq(tu_run("bin/indexer --parse tests/realformats/tb-dhdl-2021-ocr-layer.pdf", &out, &err), 0);
    expect_field(out, "\"issuer\":\"Trường Đại học điện lực\"");
    expect_field(out, "\"symbol\":\"TB-ĐHĐL\"");
    expect_field(out, "\"subject\":\"tổ chức đăng ký môn học học kỳ I năm học 2021-2022\"");
    expect_field(out, "\"pages\":2,\"ocr_pages\":2");
    free(out);
    free(err);
}
END_TEST

/* A page that takes Tesseract seconds, given one: a scan of that page
 * alone is rejected, saying so; beside a page with a text layer, the file
 * goes in with that page, and a warning names the page OCR failed on. */
START_TEST(test_time_limit)
{
    char *dir = tu_tempdir(), *out = NULL, *err = NULL;
    char *scan = tu_printf("%s/dense.pdf", dir);
    make_scanned_pdf(scan, 1);
    char *cmd = tu_printf("bin/indexer --parse --ocr-time-limit 1 %s", scan);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 1);
    ck_assert_str_eq(out, "");
    char *expected = tu_printf("indexer: rejected %s: no text layer, and OCR failed at page 1 of 1: "
                               "OCR time limit of 1 s reached\n", scan);
    ck_assert_str_eq(err, expected);
    free(expected);
    free(cmd);
    free(out);
    free(err);
    free(scan);

    char *in = tu_printf("%s/in", dir), *db = tu_printf("%s/db", dir);
    ck_assert_int_eq(mkdir(in, 0777), 0);
    char *mixed = tu_printf("%s/mixed.pdf", in);
    make_pdf_of(mixed, "td");
    char *warning = tu_printf("indexer: warning: %s: page 2: OCR time limit of 1 s reached; "
                              "nothing of it is indexed\n", mixed);
    cmd = tu_printf("bin/indexer --parse --ocr-time-limit 1 %s", mixed);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 0);
    ck_assert_str_eq(err, warning);
    expect_field(out, "\"number\":\"157\"");
    expect_field(out, "\"signer\":\"Lò Văn Phương\"");
    /* No page read by OCR: no ocr_pages. */
    expect_field(out, "\"source_format\":\"pdf\",\"pages\":2}");
    free(cmd);
    free(out);
    free(err);

    /* The indexer says the same, and the file goes in. */
    cmd = tu_printf("bin/indexer --db %s --ocr-time-limit 1 %s", db, in);
    expected = tu_printf("added 1, updated 0, removed 0, unchanged 0, rejected 0; "
                         "the index at %s holds 1 dispatches\n", db);
    run_expecting_both(cmd, 0, expected, warning);
    free(expected);
    free(cmd);
    out = found(db, "157/SYT-NVY");
    ck_assert_msg(strstr(out, "mixed") != NULL, "%s", out);
    free(out);
    free(warning);
    free(mixed);
    free(db);
    free(in);
}
END_TEST

/* What ocr->warn is told, a line each, into a char[1024] (arg). */
static void keep_warning(void *arg, const char *message)
{
    char *kept = arg;
    snprintf(kept + strlen(kept), 1024 - strlen(kept), "%s\n", message);
}

/* A page OCR fails on, read through the library with no time to read:
 * the pages read before (cached) still count as OCR's, the failed page
 * keeps its text layer and is named; a scan with nothing else is refused
 * with the reason. */
START_TEST(test_failed_page_keeps_the_rest)
{
    char *dir = tu_tempdir(), *first = NULL, *text = NULL, *message = NULL;
    char *pdf = tu_printf("%s/st.pdf", dir), *cache = tu_printf("%s/cache", dir);
    make_pdf_of(pdf, "st");
    char warned[1024] = "";
    tc_ocr_options_t ocr = { .mode = TC_OCR_AUTO, .cache_dir = cache, .warn = keep_warning, .warn_arg = warned };
    tc_pdf_reading_t reading;
    size_t first_len = 0, len = 0;

    /* Page 1 read by OCR (and cached), page 2 by its text layer. */
    ck_assert_int_eq(tc_extract_file_ocr(&first, &first_len, pdf, TC_FORMAT_PDF, TC_MAX_FILE_BYTES, &ocr, &reading,
                                         &message), TC_STATUS_SUCCESS);
    ck_assert_int_eq(reading.pages, 2);
    ck_assert_int_eq(reading.ocr_pages, 1);
    ck_assert_int_eq(reading.cached_pages, 0);
    ck_assert_str_eq(warned, "");

    /* Every page asked of OCR, and no time for any: page 1 comes from the
     * cache, page 2 fails and keeps its text layer, so the text is as
     * before. */
    ocr.mode = TC_OCR_ALWAYS;
    ocr.seconds = 1e-9;
    ck_assert_int_eq(tc_extract_file_ocr(&text, &len, pdf, TC_FORMAT_PDF, TC_MAX_FILE_BYTES, &ocr, &reading, &message),
                     TC_STATUS_SUCCESS);
    ck_assert_int_eq(reading.pages, 2);
    ck_assert_int_eq(reading.ocr_pages, 1);
    ck_assert_int_eq(reading.cached_pages, 1);
    char *expected = tu_printf("%s: page 2: OCR time limit of 0 s reached; its text layer is kept\n", pdf);
    ck_assert_str_eq(warned, expected);
    free(expected);
    ck_assert_uint_eq(len, first_len);
    ck_assert(memcmp(text, first, len) == 0);
    free(text);
    free(first);

    /* A scan alone, no cache: nothing to index, refused saying why. */
    char *scan = tu_printf("%s/s.pdf", dir);
    make_pdf_of(scan, "s");
    warned[0] = '\0';
    ocr.mode = TC_OCR_AUTO;
    ocr.cache_dir = NULL;
    text = NULL;
    ck_assert_int_eq(tc_extract_file_ocr(&text, &len, scan, TC_FORMAT_PDF, TC_MAX_FILE_BYTES, &ocr, &reading, &message),
                     TC_STATUS_BAD_INPUT);
    ck_assert_ptr_null(text);
    expected = tu_printf("%s: no text layer, and OCR failed at page 1 of 1: OCR time limit of 0 s reached", scan);
    ck_assert_str_eq(message, expected);
    ck_assert_str_eq(warned, "");
    free(expected);
    free(message);
    free(scan);
    free(cache);
    free(pdf);
}
END_TEST

/* bin/indexer --parse --db takes the readings of the index's OCR cache,
 * never writing there: a scan indexed before is parsed within a time
 * limit its OCR cannot meet, one not indexed is read and not kept. */
START_TEST(test_parse_reads_the_index_cache)
{
    char *dir = tu_tempdir(), *out = NULL, *err = NULL;
    char *in = tu_printf("%s/in", dir), *db = tu_printf("%s/db", dir);
    char *cmd = NULL;
    ck_assert_int_eq(mkdir(in, 0777), 0);
    char *dense = tu_printf("%s/dense.pdf", in), *other = tu_printf("%s/other.pdf", dir);
    make_scanned_pdf(dense, 1);
    make_scanned_pdf(other, 0);
    cmd = tu_printf("bin/indexer --db %s %s", db, in);
    free(tu_run_clean(cmd));
    ck_assert_int_eq(cached_files(db), 1);
    free(cmd);

    /* Read by OCR, it takes seconds (test_time_limit); from the cache,
     * none. */
    cmd = tu_printf("bin/indexer --parse --db %s --ocr-time-limit 1 %s", db, dense);
    out = tu_run_clean(cmd);
    expect_field(out, "\"number\":\"157\"");
    expect_field(out, "\"pages\":1,\"ocr_pages\":1");
    free(cmd);
    free(out);

    /* A scan the index does not hold: read, and the cache left as it was. */
    cmd = tu_printf("bin/indexer --parse --db %s %s", db, other);
    out = tu_run_clean(cmd);
    expect_field(out, "\"pages\":1,\"ocr_pages\":1");
    ck_assert_int_eq(cached_files(db), 1);
    free(cmd);
    free(out);

    /* An index folder that is not there is named. */
    cmd = tu_printf("bin/indexer --parse --db %s/nothing %s", dir, other);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 2);
    char *expected = tu_printf("indexer: --db %s/nothing: No such file or directory\n", dir);
    ck_assert_str_eq(err, expected);
    free(expected);
    free(cmd);
    free(out);
    free(err);
    free(other);
    free(dense);
    free(db);
    free(in);
}
END_TEST

/* The OCR cache keeps the readings of the files the index holds, and
 * loses, once a run went through, those of files removed or changed: a
 * nightly rebuild does not let it grow for ever, and still reads no page
 * again.  A run refused keeps it whole. */
START_TEST(test_cache_pruned)
{
    char *dir = tu_tempdir();
    char *in = tu_printf("%s/in", dir), *db = tu_printf("%s/db", dir);
    char *cmd = NULL;
    ck_assert_int_eq(mkdir(in, 0777), 0);
    char *a = tu_printf("%s/a.pdf", in), *b = tu_printf("%s/b.pdf", in), *c = tu_printf("%s/c.pdf", in);
    char *old_b = tu_printf("%s/old-b.pdf", dir);
    make_pdf_of(a, "s");
    make_pdf_of(b, "ts");
    make_pdf_of(c, "ss");
    cmd = tu_printf("bin/indexer --db %s %s && cp %s %s", db, in, b, old_b);
    char *expected = tu_printf("added 3, updated 0, removed 0, unchanged 0, rejected 0; "
                               "the index at %s holds 3 dispatches\nOCR read 4 pages\n", db);
    run_expecting(cmd, 0, expected);
    free(expected);
    free(cmd);
    ck_assert_int_eq(cached_files(db), 3);

    /* a removed, b changed, c as it was: a's reading and b's old one go,
     * b's new one is made, c's stays though c was not read again. */
    ck_assert_int_eq(unlink(a), 0);
    make_pdf_of(b, "st");
    cmd = tu_printf("touch -d '2026-01-02 03:04:05' %s && bin/indexer --db %s %s", b, db, in);
    expected = tu_printf("added 0, updated 1, removed 1, unchanged 1, rejected 0; "
                         "the index at %s holds 2 dispatches\nOCR read 1 page\n"
                         "removed 2 OCR readings of files gone or changed\n", db);
    run_expecting(cmd, 0, expected);
    free(expected);
    free(cmd);
    ck_assert_int_eq(cached_files(db), 2);
    ck_assert(cached(db, b));
    ck_assert(cached(db, c));
    ck_assert(!cached(db, old_b));

    /* A rebuild of the archive as it is reads no page and keeps both. */
    cmd = tu_printf("bin/indexer --db %s --rebuild %s", db, in);
    expected = tu_printf("added 2, updated 0, removed 0, unchanged 0, rejected 0; "
                         "the index at %s holds 2 dispatches\n", db);
    run_expecting(cmd, 0, expected);
    free(expected);
    free(cmd);
    ck_assert_int_eq(cached_files(db), 2);

    /* An update refused (it would remove dispatches) keeps the readings,
     * and so does a rebuild refused; the next run that goes through
     * removes them. */
    ck_assert_int_eq(unlink(c), 0);
    ck_assert_int_eq(unlink(b), 0);
    make_pdf_of(a, "t");
    cmd = tu_printf("bin/indexer --db %s --max-removals 0 %s", db, in);
    run_expecting(cmd, 2, "");
    free(cmd);
    cmd = tu_printf("bin/indexer --db %s --rebuild --max-removals 0 %s", db, in);
    run_expecting(cmd, 2, "");
    free(cmd);
    ck_assert_int_eq(cached_files(db), 2);
    cmd = tu_printf("bin/indexer --db %s --rebuild %s", db, in);
    expected = tu_printf("added 1, updated 0, removed 0, unchanged 0, rejected 0; "
                         "the index at %s holds 1 dispatches\n"
                         "removed 2 OCR readings of files gone or changed\n", db);
    run_expecting(cmd, 0, expected);
    free(expected);
    free(cmd);
    ck_assert_int_eq(cached_files(db), 0);

    free(old_b);
    free(c);
    free(b);
    free(a);
    free(db);
    free(in);
}
END_TEST

START_TEST(test_bad_options_named)
{
    char *out = NULL, *err = NULL;
    ck_assert_int_eq(tu_run("bin/indexer --parse --ocr sometimes x.pdf", &out, &err), 2);
    ck_assert_str_eq(err, "indexer: --ocr: \"sometimes\" is not auto, always or never\n");
    free(out);
    free(err);
    ck_assert_int_eq(tu_run("bin/indexer --parse --ocr-time-limit 0 x.pdf", &out, &err), 2);
    ck_assert_str_eq(err, "indexer: --ocr-time-limit: \"0\" is not a number from 1 to 86400\n");
    free(out);
    free(err);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ocr");
    TCase *ocr = tcase_create("ocr");
    /* OCR of five pages on a loaded two-core machine. */
    tcase_set_timeout(ocr, 300);
    tcase_add_test(ocr, test_scan_indexed_found_cached);
    tcase_add_test(ocr, test_garbage_layer_read_again);
    tcase_add_test(ocr, test_time_limit);
    tcase_add_test(ocr, test_failed_page_keeps_the_rest);
    tcase_add_test(ocr, test_parse_reads_the_index_cache);
    tcase_add_test(ocr, test_cache_pruned);
    tcase_add_test(ocr, test_bad_options_named);
    suite_add_tcase(s, ocr);
    int failed = tu_run_suite(s);
    /* cairo's and fontconfig's caches, freed so that a leak check sees
     * only the project's own leaks. */
    cairo_debug_reset_static_data();
    FcFini();
    return failed;
}
