/* Files as offices keep them: DOCX, ODT, PDF, RTF and HTML made here (a
 * DOCX and an ODT zipped with libzip from their XML, a PDF drawn with
 * cairo, RTF and HTML written out), a real Word 97-2003 file, files named
 * for a format they are not and gzipped ones, read by bin/indexer --parse
 * and found by bin/query; and the bad ones (a cut ZIP, a zip bomb, a cut
 * .doc, images named .pdf and .doc, an encrypted, a corrupt, a scanned
 * and a 2,000-page PDF) rejected by name and reason while the others go
 * in. */
#include <cairo-pdf.h>
#include <cairo.h>
#include <check.h>
#include <fontconfig/fontconfig.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#include "extract/extract.h"
#include "text/fold.h"
#include "testutil.h"

/* Above TC_MAX_FILE_BYTES (20 MiB) once inflated, a few kB in the archive. */
#define ZIP_BOMB_BYTES (24u * 1024u * 1024u)

static void write_file(const char *path, const void *bytes, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(bytes, 1, len, f), len);
    fclose(f);
}

/* A ZIP at path of n entries (name, content); content_len 0: strlen. */
static void write_zip(const char *path, const char *const *names, const char *const *contents,
                      const size_t *lengths, int n)
{
    int error = 0;
    zip_t *zip = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &error);
    ck_assert_ptr_nonnull(zip);
    for (int i = 0; i < n; i++) {
        size_t len = lengths && lengths[i] ? lengths[i] : strlen(contents[i]);
        zip_source_t *source = zip_source_buffer(zip, contents[i], len, 0);
        ck_assert_ptr_nonnull(source);
        ck_assert_int_ge(zip_file_add(zip, names[i], source, ZIP_FL_ENC_UTF_8), 0);
    }
    ck_assert_int_eq(zip_close(zip), 0);
}

static const char content_types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/word/document.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>";

#define W_P(text) "<w:p><w:r><w:t xml:space=\"preserve\">" text "</w:t></w:r></w:p>"

/* The header as Word makes it: a table of two cells; a page field and a
 * text box (given twice, as DrawingML and as its VML fallback) in the body. */
static const char docx_document[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
    "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
    "xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" "
    "xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" "
    "xmlns:v=\"urn:schemas-microsoft-com:vml\"><w:body>"
    "<w:tbl><w:tr><w:tc>" W_P("ỦY BAN NHÂN DÂN") W_P("TỈNH LAI CHÂU")
    "<w:p><w:r><w:t xml:space=\"preserve\">Số: </w:t></w:r><w:r><w:t>412/UBND-KGVX</w:t></w:r></w:p>"
    W_P("V/v triển khai kho dữ liệu thủy văn") "</w:tc><w:tc>"
    W_P("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") W_P("Độc lập - Tự do - Hạnh phúc")
    W_P("Lai Châu, ngày 15 tháng 3 năm 2026") "</w:tc></w:tr></w:tbl>"
    W_P("Kính gửi: Các sở, ban, ngành tỉnh.")
    "<w:p><w:r><w:t>Ủy ban nhân dân tỉnh đề nghị các đơn vị cập nhật kho dữ liệu thủy văn Nậm Nhùn. Trang </w:t></w:r>"
    "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>"
    "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>"
    "<w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor>"
    "<wp:positionH><wp:posOffset>914400</wp:posOffset></wp:positionH>"
    "<w:txbxContent>" W_P("Ghi chú trong hộp chữ") "</w:txbxContent></wp:anchor></w:drawing></mc:Choice>"
    "<mc:Fallback><w:pict><v:textbox><w:txbxContent>" W_P("Ghi chú trong hộp chữ")
    "</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
    W_P("CHỦ TỊCH") W_P("Lò Văn Mừng") "</w:body></w:document>";

#define T_P(text) "<text:p>" text "</text:p>"

static const char odt_content[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
    "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "
    "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\"><office:body><office:text>"
    "<table:table><table:table-row><table:table-cell>" T_P("BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG")
    T_P("Số: 2207/BNNMT-KHTC") T_P("V/v rà soát hồ chứa nước") "</table:table-cell><table:table-cell>"
    T_P("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") T_P("Độc lập - Tự do - Hạnh phúc")
    T_P("Hà Nội, ngày 02 tháng 4 năm 2026") "</table:table-cell></table:table-row></table:table>"
    T_P("Kính gửi: Ủy ban nhân dân các tỉnh.")
    T_P("Bộ đề nghị rà soát<text:s text:c=\"2\"/>hồ chứa nước Thác Bà trước mùa lũ.")
    T_P("KT. BỘ TRƯỞNG") T_P("THỨ TRƯỞNG") T_P("Trần Thanh Nam")
    "</office:text></office:body></office:document-content>";

/* A dispatch typed in TCVN3 (ABC) fonts, as Word keeps it: each byte of
 * the font is stored as the windows-1252 character of that byte, and the
 * capitals of .VnTimeH with the small letters' bytes ("ñy ban nh©n d©n"
 * is "ủy ban nhân dân"). */
static const char docx_tcvn3_document[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
    "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>"
    W_P("ñy ban nh©n d©n") W_P("tØnh yªn b¸i") W_P("Sè: 255/UBND-NLN") W_P("V/v b¶o vÖ rõng ®Çu nguån")
    W_P("céng hßa x· héi chñ nghÜa viÖt nam") W_P("§éc lËp - Tù do - H¹nh phóc")
    W_P("Yªn B¸i, ngµy 9 th¸ng 6 n¨m 2026") W_P("KÝnh göi: C¸c huyÖn, thÞ x·.")
    W_P("žy ban nh©n d©n tØnh ®Ò nghÞ c¸c ®¬n vÞ t¨ng c\u00ADêng tuÇn tra b¶o vÖ rõng ®Çu nguån "
        "Mï Cang Ch¶i trong mïa kh«.")
    W_P("chñ tÞch") W_P("TrÇn Huy TuÊn") "</w:body></w:document>";

static void make_docx_of(const char *path, const char *document)
{
    const char *names[] = { "[Content_Types].xml", "word/document.xml" };
    const char *contents[] = { content_types, document };
    write_zip(path, names, contents, NULL, 2);
}

static void make_docx(const char *path)
{
    make_docx_of(path, docx_document);
}

/* RTF as word processors write it: every letter past ASCII as \uN?
 * (N its UTF-16 unit, signed; "?" for readers without Unicode). */
static void make_rtf(const char *path, const char *const *lines, size_t n)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs("{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Times New Roman;}}\n", f);
    for (size_t i = 0; i < n; i++) {
        fputs("{\\pard ", f);
        size_t len = strlen(lines[i]);
        for (size_t at = 0; at < len;) {
            uint32_t cp = tc_utf8_next(lines[i], len, &at);
            if (cp < 0x80)
                fputc((int)cp, f);
            else
                fprintf(f, "\\u%d?", cp < 0x8000 ? (int)cp : (int)cp - 0x10000);
        }
        fputs("\\par}\n", f);
    }
    fputs("}\n", f);
    ck_assert_int_eq(fclose(f), 0);
}

static const char *const rtf_lines[] = {
    "ỦY BAN NHÂN DÂN", "TỈNH SƠN LA", "Số: 318/UBND-TH", "V/v kiểm tra đê điều mùa lũ",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Sơn La, ngày 12 tháng 6 năm 2026",
    "Kính gửi: Các huyện, thành phố.",
    "Ủy ban nhân dân tỉnh đề nghị kiểm tra đê điều suối Nậm La trước mùa lũ.", "CHỦ TỊCH", "Hoàng Quốc Khánh",
};

/* A web page saved under a .doc name, as Word's "Save as Web Page" and
 * document systems do: the header in a table, a script that is not text. */
static const char html_as_doc[] =
    "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Công văn</title><style>p{margin:0}</style></head>\n"
    "<body><table><tr><td><p>ỦY BAN NHÂN DÂN</p><p>TỈNH HÀ GIANG</p><p>Số: 77/UBND-VX</p>"
    "<p>V/v bảo vệ rừng phòng hộ</p></td>\n<td><p>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p>"
    "<p>Độc lập - Tự do - Hạnh phúc</p><p>Hà Giang, ngày 3 tháng 7 năm 2026</p></td></tr></table>\n"
    "<p>Kính gửi: Các sở, ngành.</p><p>Ủy ban nhân dân tỉnh đề nghị bảo vệ rừng\nphòng hộ Bắc Mê.</p>"
    "<script>document.write('không phải chữ của văn bản')</script><p>CHỦ TỊCH</p><p>Nguyễn Văn Sơn</p></body></html>\n";

/* LibreOffice's statistics, the page count among them. */
static const char odt_meta[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<office:document-meta xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
    "xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\"><office:meta>"
    "<meta:document-statistic meta:table-count=\"1\" meta:page-count=\"2\" meta:word-count=\"80\"/>"
    "</office:meta></office:document-meta>";

static void make_odt(const char *path)
{
    const char *names[] = { "mimetype", "content.xml", "meta.xml" };
    const char *contents[] = { "application/vnd.oasis.opendocument.text", odt_content, odt_meta };
    write_zip(path, names, contents, NULL, 3);
}

static void show(cairo_t *cr, double x, double y, double size, const char *text)
{
    cairo_set_font_size(cr, size);
    cairo_move_to(cr, x, y);
    cairo_show_text(cr, text);
}

/* A line of text drawn on an A4 page: where, how large, centred on the
 * page (x ignored) or not. */
typedef struct {
    double x, y, size;
    const char *text;
    int centred;
} drawn_line_t;

/* A one-page A4 text PDF of those lines, in DejaVu Sans. */
static void draw_pdf(const char *path, const drawn_line_t *lines, size_t n)
{
    const double width = 595, height = 842;
    cairo_surface_t *surface = cairo_pdf_surface_create(path, width, height);
    cairo_t *cr = cairo_create(surface);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    for (size_t i = 0; i < n; i++) {
        double x = lines[i].x;
        if (lines[i].centred) {
            cairo_text_extents_t extents;
            cairo_set_font_size(cr, lines[i].size);
            cairo_text_extents(cr, lines[i].text, &extents);
            x = (width - extents.width) / 2;
        }
        show(cr, x, lines[i].y, lines[i].size, lines[i].text);
    }
    cairo_show_page(cr);
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
    ck_assert_int_eq(cairo_surface_status(surface), CAIRO_STATUS_SUCCESS);
}

/* The text tc_extract_file gives of the PDF at path is exactly expected. */
static void expect_pdf_text(const char *path, const char *expected)
{
    char *text = NULL, *message = NULL;
    size_t len = 0;
    ck_assert_msg(tc_extract_file(&text, &len, path, TC_FORMAT_PDF, TC_MAX_FILE_BYTES, &message) == TC_STATUS_SUCCESS,
                  "%s", message ? message : path);
    char *got = strndup(text, len); /* the text is not NUL-terminated */
    ck_assert_str_eq(got, expected);
    free(got);
    free(text);
}

/* An A4 dispatch drawn as Word lays it out: the header in two columns
 * (left: issuer, number, V/v; right: quốc hiệu, place and date), lines of
 * the two at the same heights, then the body over the width, and a page
 * number standing alone at the foot. */
static void make_pdf(const char *path, int with_text)
{
    cairo_surface_t *surface = cairo_pdf_surface_create(path, 595, 842);
    cairo_t *cr = cairo_create(surface);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    if (with_text) {
        show(cr, 70, 60, 11, "SỞ Y TẾ TỈNH ĐIỆN BIÊN");
        show(cr, 300, 60, 11, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
        show(cr, 70, 78, 11, "Số: 1583/SYT-NVY");
        show(cr, 320, 78, 11, "Độc lập - Tự do - Hạnh phúc");
        show(cr, 70, 96, 10, "V/v phòng chống sốt xuất huyết");
        show(cr, 320, 100, 10, "Điện Biên, ngày 21 tháng 5 năm 2026");
        show(cr, 200, 140, 11, "Kính gửi: Các bệnh viện tuyến huyện.");
        show(cr, 70, 170, 11, "Sở Y tế đề nghị các đơn vị tăng cường giám sát dịch sốt xuất huyết tại xã Mường Phăng,");
        show(cr, 70, 186, 11, "tổ chức phun hóa chất diệt muỗi và truyền thông cho người dân trong mùa mưa; dùng Ab-");
        show(cr, 70, 202, 11, "ate theo hướng dẫn.");
        show(cr, 400, 240, 11, "GIÁM ĐỐC");
        show(cr, 390, 300, 11, "Nguyễn Văn Hùng");
        show(cr, 290, 800, 10, "1");
    } else {
        cairo_rectangle(cr, 50, 50, 495, 742); /* a scan: a picture, no text */
        cairo_set_source_rgb(cr, 0.8, 0.8, 0.8);
        cairo_fill(cr);
    }
    cairo_show_page(cr);
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
    ck_assert_int_eq(cairo_surface_status(surface), CAIRO_STATUS_SUCCESS);
}

/* A PDF of `pages` pages, a line of text on each. */
static void make_long_pdf(const char *path, int pages)
{
    cairo_surface_t *surface = cairo_pdf_surface_create(path, 595, 842);
    cairo_t *cr = cairo_create(surface);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    for (int i = 0; i < pages; i++) {
        show(cr, 70, 60, 11, "Phụ lục: danh sách các hộ dân được hỗ trợ.");
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
}

/* bin/indexer --parse path: its record as JSON. */
static char *parse(const char *path)
{
    char *cmd = NULL, *out = NULL, *err = NULL;
    ck_assert_int_ge(asprintf(&cmd, "bin/indexer --parse %s", path), 0);
    int code = tu_run(cmd, &out, &err);
    ck_assert_msg(code == 0, "%s: %s", cmd, err);
    free(cmd);
    free(err);
    return out;
}

static void expect_field(const char *json, const char *field)
{
    ck_assert_msg(strstr(json, field) != NULL, "%s not in %s", field, json);
}

START_TEST(test_docx_odt_pdf_parsed)
{
    char *dir = tu_tempdir(), *path = NULL, *json = NULL;

    ck_assert_int_ge(asprintf(&path, "%s/cv412.docx", dir), 0);
    make_docx(path);
    json = parse(path);
    expect_field(json, "\"number\":\"412\"");
    expect_field(json, "\"symbol\":\"UBND-KGVX\"");
    expect_field(json, "\"date\":\"2026-03-15\"");
    expect_field(json, "\"issuer\":\"Ủy ban nhân dân tỉnh Lai Châu\"");
    expect_field(json, "\"source_format\":\"docx\",\"pages\":null}"); /* no docProps/app.xml */
    free(json);
    free(path);

    ck_assert_int_ge(asprintf(&path, "%s/cv2207.odt", dir), 0);
    make_odt(path);
    json = parse(path);
    expect_field(json, "\"number\":\"2207\"");
    expect_field(json, "\"symbol\":\"BNNMT-KHTC\"");
    expect_field(json, "\"date\":\"2026-04-02\"");
    expect_field(json, "\"issuer\":\"Bộ Nông nghiệp và Môi trường\"");
    expect_field(json, "\"source_format\":\"odt\",\"pages\":2}");
    free(json);
    free(path);

    ck_assert_int_ge(asprintf(&path, "%s/cv1583.pdf", dir), 0);
    make_pdf(path, 1);
    json = parse(path);
    expect_field(json, "\"number\":\"1583\"");
    expect_field(json, "\"symbol\":\"SYT-NVY\"");
    expect_field(json, "\"date\":\"2026-05-21\"");
    expect_field(json, "\"issuer\":\"Sở Y tế tỉnh Điện Biên\"");
    expect_field(json, "\"source_format\":\"pdf\"");
    free(json);
    free(path);

    /* RTF and a web page, each saved under a .doc name. */
    ck_assert_int_ge(asprintf(&path, "%s/cv318.doc", dir), 0);
    make_rtf(path, rtf_lines, sizeof rtf_lines / sizeof *rtf_lines);
    json = parse(path);
    expect_field(json, "\"number\":\"318\",\"symbol\":\"UBND-TH\",\"date\":\"2026-06-12\"");
    expect_field(json, "\"issuer\":\"Ủy ban nhân dân tỉnh Sơn La\"");
    expect_field(json, "\"signer\":\"Hoàng Quốc Khánh\"");
    expect_field(json, "\"source_encoding\":\"UTF-8\",\"source_format\":\"rtf\"");
    free(json);
    free(path);

    ck_assert_int_ge(asprintf(&path, "%s/cv77.doc", dir), 0);
    write_file(path, html_as_doc, sizeof html_as_doc - 1);
    json = parse(path);
    expect_field(json, "\"number\":\"77\",\"symbol\":\"UBND-VX\",\"date\":\"2026-07-03\"");
    expect_field(json, "\"issuer\":\"Ủy ban nhân dân tỉnh Hà Giang\"");
    expect_field(json, "\"source_encoding\":\"UTF-8\",\"source_format\":\"html\"");
    expect_field(json, "\"signer\":\"Nguyễn Văn Sơn\"");
    free(json);
    free(path);

    /* TCVN3 inside a DOCX: read as the legacy encoding it is. */
    ck_assert_int_ge(asprintf(&path, "%s/cv255.docx", dir), 0);
    make_docx_of(path, docx_tcvn3_document);
    json = parse(path);
    expect_field(json, "\"number\":\"255\",\"symbol\":\"UBND-NLN\",\"date\":\"2026-06-09\"");
    expect_field(json, "\"source_encoding\":\"TCVN3\",\"source_format\":\"docx\"");
    expect_field(json, "\"issuer\":\"Ủy ban nhân dân tỉnh Yên Bái\"");
    expect_field(json, "\"signer\":\"Trần Huy Tuấn\"");
    free(json);
    free(path);
}
END_TEST

/* The text the parser gets: the header's left column, then its right;
 * the page number gone; a word cut at a line's end joined. */
START_TEST(test_pdf_header_in_two_blocks)
{
    char *dir = tu_tempdir(), *path = NULL, *message = NULL;
    ck_assert_int_ge(asprintf(&path, "%s/cv1583.pdf", dir), 0);
    make_pdf(path, 1);
    ck_assert_int_eq(tc_extract_sniff(path, &message), TC_FORMAT_PDF);
    static const char expected[] =
        "SỞ Y TẾ TỈNH ĐIỆN BIÊN\n"
        "Số: 1583/SYT-NVY\n"
        "V/v phòng chống sốt xuất huyết\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n"
        "Điện Biên, ngày 21 tháng 5 năm 2026\n"
        "Kính gửi: Các bệnh viện tuyến huyện.\n"
        "Sở Y tế đề nghị các đơn vị tăng cường giám sát dịch sốt xuất huyết tại xã Mường Phăng,\n"
        "tổ chức phun hóa chất diệt muỗi và truyền thông cho người dân trong mùa mưa; dùng Abate theo hướng dẫn.\n"
        "GIÁM ĐỐC\n"
        "Nguyễn Văn Hùng\n";
    expect_pdf_text(path, expected);
    free(path);
}
END_TEST

/* The record of a PDF made by `make` under the name given, once its text
 * is `expected` (malloc'd JSON). */
static char *record_of_made_pdf(const char *name, void (*make)(const char *path), const char *expected)
{
    char *path = tu_printf("%s/%s", tu_tempdir(), name);
    make(path);
    expect_pdf_text(path, expected);
    char *json = parse(path);
    free(path);
    return json;
}

/* A header whose narrow columns wrap: the subject's and the date's last
 * word, the year, alone on the next line of each; "Kính gửi:" short under
 * the left column, so that the right column comes after it; a figure
 * alone in the body (a table's cell) and a page number at the foot. */
static void make_wrapped_header_pdf(const char *path)
{
    static const drawn_line_t lines[] = {
        { 70, 60, 11, "ỦY BAN NHÂN DÂN", 0 },
        { 300, 60, 11, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 0 },
        { 60, 76, 11, "THÀNH PHỐ HỒ CHÍ MINH", 0 },
        { 320, 76, 11, "Độc lập - Tự do - Hạnh phúc", 0 },
        { 70, 100, 11, "Số: 4234/UBND-KTN", 0 },
        { 300, 110, 10, "Thành phố Hồ Chí Minh, ngày 29 tháng 11 năm", 0 },
        { 60, 118, 10, "V/v kiểm soát thị trường dịp cuối năm", 0 },
        { 300, 124, 10, "2019", 0 },
        { 60, 132, 10, "2019", 0 },
        { 70, 160, 11, "Kính gửi:", 0 },
        { 150, 176, 11, "- Các cơ quan Trung ương đóng trên địa bàn thành phố;", 0 },
        { 150, 192, 11, "- Các tổ chức chính trị - xã hội thành phố.", 0 },
        { 70, 220, 11, "Số đơn vị đã đăng ký tham gia đợt kiểm tra liên ngành cuối năm:", 0 },
        { 280, 236, 11, "15", 0 },
        { 70, 252, 11, "Đề nghị các đơn vị gửi báo cáo trước ngày 12/12/2019.", 0 },
        { 290, 800, 10, "2", 0 },
    };
    draw_pdf(path, lines, sizeof lines / sizeof *lines);
}

/* A figure alone on its line is a page number only at the page's top or
 * foot: the wrapped years and the table's figure are kept, and the record
 * reads the date across the wrap, the right column not taken for
 * recipients. */
START_TEST(test_pdf_wrapped_header_keeps_its_figures)
{
    static const char expected[] =
        "ỦY BAN NHÂN DÂN\n"
        "THÀNH PHỐ HỒ CHÍ MINH\n"
        "Số: 4234/UBND-KTN\n"
        "V/v kiểm soát thị trường dịp cuối năm\n"
        "2019\n"
        "Kính gửi:\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n"
        "Thành phố Hồ Chí Minh, ngày 29 tháng 11 năm\n"
        "2019\n"
        "- Các cơ quan Trung ương đóng trên địa bàn thành phố;\n"
        "- Các tổ chức chính trị - xã hội thành phố.\n"
        "Số đơn vị đã đăng ký tham gia đợt kiểm tra liên ngành cuối năm:\n"
        "15\n"
        "Đề nghị các đơn vị gửi báo cáo trước ngày 12/12/2019.\n";
    char *json = record_of_made_pdf("cv4234.pdf", make_wrapped_header_pdf, expected);
    expect_field(json, "\"number\":\"4234\",\"symbol\":\"UBND-KTN\",\"date\":\"2019-11-29\"");
    expect_field(json, "\"place\":\"Hồ Chí Minh\"");
    expect_field(json, "\"subject\":\"kiểm soát thị trường dịp cuối năm 2019\"");
    expect_field(json, "\"recipients\":[\"Các cơ quan Trung ương đóng trên địa bàn thành phố\","
                       "\"Các tổ chức chính trị - xã hội thành phố\"]");
    free(json);
}
END_TEST

/* A narrow left column (the gutter right of the page's middle) and a
 * short title centred on the page under the header, which crosses no
 * gutter: the header ends at it. */
static void make_centred_title_pdf(const char *path)
{
    static const drawn_line_t lines[] = {
        { 80, 60, 9, "UBND TỈNH AN GIANG", 0 },
        { 340, 60, 9, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 0 },
        { 60, 74, 9, "SỞ VĂN HÓA, THỂ THAO", 0 },
        { 370, 74, 9, "Độc lập - Tự do - Hạnh phúc", 0 },
        { 80, 88, 9, "VÀ DU LỊCH", 0 },
        { 70, 106, 9, "Số: 214/BC-SVHTTDL", 0 },
        { 350, 106, 9, "An Giang, ngày 09 tháng 02 năm 2019", 0 },
        { 0, 140, 11, "BÁO CÁO", 1 },
        { 0, 156, 11, "Kết quả kiểm tra dịp Tết", 1 },
        { 70, 190, 11, "Thực hiện kế hoạch của Ủy ban nhân dân tỉnh, Sở báo cáo kết quả như sau.", 0 },
        { 70, 206, 11, "Các đoàn kiểm tra đã làm việc tại các cơ sở kinh doanh dịch vụ du lịch, lưu trú", 0 },
        { 70, 222, 11, "và văn hóa trên địa bàn tỉnh trong thời gian trước, trong và sau Tết Nguyên đán.", 0 },
    };
    draw_pdf(path, lines, sizeof lines / sizeof *lines);
}

START_TEST(test_pdf_centred_title_ends_the_header)
{
    static const char expected[] =
        "UBND TỈNH AN GIANG\n"
        "SỞ VĂN HÓA, THỂ THAO\n"
        "VÀ DU LỊCH\n"
        "Số: 214/BC-SVHTTDL\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n"
        "An Giang, ngày 09 tháng 02 năm 2019\n"
        "BÁO CÁO\n"
        "Kết quả kiểm tra dịp Tết\n"
        "Thực hiện kế hoạch của Ủy ban nhân dân tỉnh, Sở báo cáo kết quả như sau.\n"
        "Các đoàn kiểm tra đã làm việc tại các cơ sở kinh doanh dịch vụ du lịch, lưu trú\n"
        "và văn hóa trên địa bàn tỉnh trong thời gian trước, trong và sau Tết Nguyên đán.\n";
    char *json = record_of_made_pdf("bc214.pdf", make_centred_title_pdf, expected);
    expect_field(json, "\"subject\":\"Kết quả kiểm tra dịp Tết\"");
    expect_field(json, "\"doc_type\":\"Báo cáo\"");
    free(json);
}
END_TEST

/* A PDF as a signing tool leaves a dispatch: its page prints "So: /KH-UBND"
 * and "ngay  thang 4 nam 2026" with blanks, and signature fields draw the
 * number and the day on them; one more field is the signer's stamp ("Ky
 * boi: VAN THU ..."), which is no part of the text.  Written object by
 * object, the cross-reference table counted as written. */
/* Writes the next object of a PDF being written to f, noting its offset. */
static void __attribute__((format(printf, 4, 5))) pdf_object(FILE *f, long *offsets, int *count, const char *fmt, ...)
{
    va_list ap;
    offsets[++*count] = ftell(f);
    fprintf(f, "%d 0 obj\n", *count);
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fputs("\nendobj\n", f);
}

static void write_stamped_pdf(const char *path)
{
    static const char page_text[] =
        "BT /F1 11 Tf 60 780 Td (UBND TINH LAI CHAU) Tj 0 -16 Td (So:        /KH-UBND) Tj "
        "280 16 Td (CONG HOA XA HOI CHU NGHIA VIET NAM) Tj 0 -16 Td (Lai Chau, ngay      thang 4 nam 2026) Tj "
        "-280 -40 Td (KE HOACH) Tj 0 -16 Td (Trien khai Ngay hoi sang tao nam 2026) Tj "
        "0 -24 Td (Cac don vi bao cao ket qua truoc ngay 20/5/2026.) Tj "
        "0 -16 Td (Thuc hien Ke hoach so 74/KH-UBND ngay 24/3/2026 cua UBND tinh ve doi moi sang tao,) Tj "
        "0 -16 Td (cac so, ban, nganh va UBND cac huyen to chuc cac hoat dong huong ung Ngay hoi) Tj "
        "0 -16 Td (khoi nghiep doi moi sang tao, tuyen truyen rong rai den can bo va nhan dan.) Tj ET";
    static const char *const fields[][2] = {
        /* Rect (bottom-up), what the field draws */
        { "88 758 130 776", "(173)" },
        { "416 760 436 778", "(28)" },
        { "300 600 560 640", "(Ky boi: VAN THU 08:15)" },
    };
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    long offsets[16];
    int n = 0;
    fputs("%PDF-1.7\n", f);
    pdf_object(f, offsets, &n, "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [6 0 R 8 0 R 10 0 R] /SigFlags 3 >> >>");
    pdf_object(f, offsets, &n, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    pdf_object(f, offsets, &n, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               "/Resources << /Font << /F1 5 0 R >> >> /Annots [6 0 R 8 0 R 10 0 R] >>");
    pdf_object(f, offsets, &n, "<< /Length %zu >>\nstream\n%s\nendstream", strlen(page_text), page_text);
    pdf_object(f, offsets, &n, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
    for (int i = 0; i < 3; i++) {
        char drawn[160];
        int x1, y1, x2, y2, appearance = n + 2; /* the object after the widget */
        snprintf(drawn, sizeof drawn, "BT /F1 11 Tf 2 4 Td %s Tj ET", fields[i][1]);
        ck_assert_int_eq(sscanf(fields[i][0], "%d %d %d %d", &x1, &y1, &x2, &y2), 4);
        pdf_object(f, offsets, &n, "<< /FT /Sig /T (Signature%d) /Type /Annot /Subtype /Widget /F 132 /Rect [%s] "
                   "/P 3 0 R /AP << /N %d 0 R >> >>", i + 1, fields[i][0], appearance);
        pdf_object(f, offsets, &n, "<< /Type /XObject /Subtype /Form /BBox [0 0 %d %d] /Resources << /Font << /F1 5 0 R "
                   ">> >> /Length %zu >>\nstream\n%s\nendstream", x2 - x1, y2 - y1, strlen(drawn), drawn);
    }
    long xref = ftell(f);
    fprintf(f, "xref\n0 %d\n0000000000 65535 f \n", n + 1);
    for (int i = 1; i <= n; i++)
        fprintf(f, "%010ld 00000 n \n", offsets[i]);
    fprintf(f, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%ld\n%%%%EOF\n", n + 1, xref);
    ck_assert_int_eq(fclose(f), 0);
}

START_TEST(test_number_and_day_stamped_by_signature_fields)
{
    char *path = tu_printf("%s/stamped.pdf", tu_tempdir());
    write_stamped_pdf(path);
    char *json = parse(path);
    expect_field(json, "\"number\":\"173\",\"symbol\":\"KH-UBND\",\"date\":\"2026-04-28\"");
    ck_assert_msg(strstr(json, "VAN THU") == NULL && strstr(json, "08:15") == NULL, "the signer's stamp was read: %s",
                  json);
    free(json);
    /* The signer's stamp is no word of the dispatch; the number is. */
    char *db = tu_printf("%s/index", tu_tempdir()), *out = NULL, *err = NULL;
    char *cmd = tu_printf("bin/indexer --quiet --db %s %s && bin/query --db %s -- 173/KH-UBND && "
                          "bin/query --db %s -- 'ky boi van thu'", db, path, db, db);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 0);
    ck_assert_msg(strstr(out, "1-1 of 1 dispatches") && strstr(out, "173/KH-UBND"), "%s", out);
    ck_assert_msg(strstr(err, "nothing matched the words typed"), "the stamp's words found: %s", out);
    free(cmd), free(out), free(err), free(db), free(path);
}
END_TEST

/* Real files (tests/realformats/README.md says where from). */
START_TEST(test_real_files)
{
    char *json = parse("tests/realformats/cv4606-bgddt-2015.pdf");
    expect_field(json, "\"number\":\"4606\"");
    expect_field(json, "\"symbol\":\"BGDĐT-GDTrH\"");
    expect_field(json, "\"date\":\"2015-09-08\"");
    expect_field(json, "\"issuer\":\"Bộ Giáo dục và Đào tạo\"");
    expect_field(json, "\"source_format\":\"pdf\"");
    free(json);
    /* A body without its header: the letter it amends is what it cites. */
    json = parse("tests/realformats/du-thao-btttt-2012.docx");
    expect_field(json, "\"references\":[{\"type\":\"Công văn\",\"number\":\"3364/BTTTT-ƯDCNTT\",\"date\":\"2008-10-17\"");
    /* Its page count, from docProps/app.xml. */
    expect_field(json, "\"source_format\":\"docx\",\"pages\":1}");
    free(json);
    /* Word 97-2003, through catdoc. */
    json = parse("tests/realformats/cv1935-dhct-2013.doc");
    expect_field(json, "\"number\":\"1935\",\"symbol\":\"ĐHCT-KSĐH\",\"date\":\"2013-10-17\"");
    expect_field(json, "\"issuer_parent\":\"Bộ Giáo dục và Đào tạo\"");
    expect_field(json, "\"source_encoding\":\"UTF-8\",\"source_format\":\"doc\",\"pages\":null}");
    free(json);
}
END_TEST

/* PDFs are read on every core, each thread its own document: several
 * threads reading the same PDFs at once read what one thread reads, text
 * (with the signature fields' drawing) and pages drawn for OCR alike.
 * The page drawn is a scan's kind, an image with no text: a font drawn in
 * this process would outlive cairo's reset of its caches at the end. */
#define CONCURRENT_READERS 4
#define CONCURRENT_ROUNDS 3
#define TEXT_PDFS 5

typedef struct {
    char *bytes[TEXT_PDFS];
    size_t len[TEXT_PDFS];
    char *text[TEXT_PDFS];
    size_t text_len[TEXT_PDFS];
    char *scan;
    size_t scan_len;
    uint32_t drawn;
    int differed;
    int reader;
} pdf_readings_t;

/* A scanned page: a grey image with dark bands, as cairo draws it. */
static void make_image_pdf(const char *path)
{
    cairo_surface_t *image = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 300, 400);
    cairo_t *painter = cairo_create(image);
    cairo_set_source_rgb(painter, 0.95, 0.95, 0.9);
    cairo_paint(painter);
    cairo_set_source_rgb(painter, 0.1, 0.1, 0.1);
    for (int row = 0; row < 20; row++)
        cairo_rectangle(painter, 20 + (row % 3) * 10, 20 + row * 18, 200 - (row % 5) * 20, 8);
    cairo_fill(painter);
    cairo_destroy(painter);
    cairo_surface_t *pdf = cairo_pdf_surface_create(path, 595, 842);
    cairo_t *cr = cairo_create(pdf);
    cairo_scale(cr, 595.0 / 300, 842.0 / 400);
    cairo_set_source_surface(cr, image, 0, 0);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_finish(pdf);
    ck_assert_int_eq(cairo_surface_status(pdf), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(pdf);
    cairo_surface_destroy(image);
}

static uint32_t drawn_checksum(const pdf_readings_t *r)
{
    unsigned char *gray = NULL;
    int width = 0, height = 0, dpi = 100;
    char *message = NULL;
    if (tc_pdf_page_gray(&gray, &width, &height, &dpi, r->scan, r->scan_len, 0, &message) != TC_STATUS_SUCCESS) {
        free(message);
        return 0;
    }
    uint32_t sum = 2166136261u; /* FNV-1a */
    for (size_t k = 0; k < (size_t)width * (size_t)height; k++)
        sum = (sum ^ gray[k]) * 16777619u;
    free(gray);
    return sum;
}

static void *read_pdfs(void *arg)
{
    pdf_readings_t *r = arg;
    int differed = 0, reader = __atomic_fetch_add(&r->reader, 1, __ATOMIC_RELAXED);
    for (int round = 0; round < CONCURRENT_ROUNDS; round++)
        for (int k = 0; k < TEXT_PDFS; k++) {
            int i = (k + reader + round) % TEXT_PDFS; /* each reader starts elsewhere */
            char *text = NULL, *message = NULL;
            size_t len = 0;
            tc_status_t status = tc_extract_pdf(&text, &len, r->bytes[i], r->len[i], "concurrent.pdf", &message);
            differed += status != TC_STATUS_SUCCESS || len != r->text_len[i] || memcmp(text, r->text[i], len) != 0;
            differed += drawn_checksum(r) != r->drawn;
            free(text);
            free(message);
        }
    __atomic_fetch_add(&r->differed, differed, __ATOMIC_RELAXED);
    return NULL;
}

/* What the readers found different from one thread's reading; -1 when
 * a file could not be read at all.  Asserts nothing: it runs in a child. */
static int differences_on_several_threads(const char *const *paths, const char *scan_path)
{
    pdf_readings_t r = { .scan = tu_read_file_len(scan_path, &r.scan_len) };
    int differed = -1;
    if (!r.scan || !(r.drawn = drawn_checksum(&r)))
        goto done;
    for (int i = 0; i < TEXT_PDFS; i++) {
        char *message = NULL;
        r.bytes[i] = tu_read_file_len(paths[i], &r.len[i]);
        tc_status_t status = r.bytes[i] ? tc_extract_pdf(&r.text[i], &r.text_len[i], r.bytes[i], r.len[i], paths[i],
                                                         &message)
                                        : TC_STATUS_FILE_ERROR;
        free(message);
        if (status != TC_STATUS_SUCCESS || r.text_len[i] < 100)
            goto done;
    }
    pthread_t readers[CONCURRENT_READERS];
    int started = 0;
    while (started < CONCURRENT_READERS && pthread_create(&readers[started], NULL, read_pdfs, &r) == 0)
        started++;
    for (int t = 0; t < started; t++)
        pthread_join(readers[t], NULL);
    if (started == CONCURRENT_READERS)
        differed = r.differed;
done:
    for (int i = 0; i < TEXT_PDFS; i++)
        free(r.bytes[i]), free(r.text[i]);
    free(r.scan);
    return differed;
}

/* The readers run in a child process: drawing a signature field's fonts
 * leaves them in poppler's process-wide cache (a cache: reading the same
 * PDF 200 times holds the same memory as 20), which cairo's reset of its
 * own caches at the end of this suite would find still in use. */
START_TEST(test_pdfs_read_on_several_threads)
{
    const char *dir = tu_tempdir();
    char *made[4] = { tu_printf("%s/stamped.pdf", dir), tu_printf("%s/wrapped.pdf", dir),
                      tu_printf("%s/centred.pdf", dir), tu_printf("%s/scan.pdf", dir) };
    write_stamped_pdf(made[0]);
    make_wrapped_header_pdf(made[1]);
    make_centred_title_pdf(made[2]);
    make_image_pdf(made[3]);
    const char *paths[TEXT_PDFS] = { "tests/realformats/cv4606-bgddt-2015.pdf",
                                     "tests/realformats/tb-dhdl-2021-ocr-layer.pdf", made[0], made[1], made[2] };
    fflush(NULL);
    pid_t child = fork();
    ck_assert_int_ge(child, 0);
    if (child == 0) {
        int differed = differences_on_several_threads(paths, made[3]);
        _exit(differed < 0 ? 2 : differed > 0);
    }
    int status = 0;
    ck_assert_int_eq(waitpid(child, &status, 0), child);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                  "PDFs read on %d threads: %s", CONCURRENT_READERS,
                  !WIFEXITED(status) ? "the readers crashed"
                  : WEXITSTATUS(status) == 2 ? "a file could not be read"
                                             : "a reading differed from one thread's");
    for (int i = 0; i < 4; i++)
        free(made[i]);
}
END_TEST

/* The converter's limits: its output capped, its absence named. */
START_TEST(test_doc_converter_limits)
{
    FILE *f = fopen("tests/realformats/cv1935-dhct-2013.doc", "rb");
    ck_assert_ptr_nonnull(f);
    static char bytes[65536];
    size_t len = fread(bytes, 1, sizeof bytes, f);
    fclose(f);
    ck_assert_uint_eq(len, 61440);
    char *text = NULL, *message = NULL;
    size_t text_len = 0;
    ck_assert_int_eq(tc_extract_doc(&text, &text_len, bytes, len, "cv.doc", 1000, &message), TC_STATUS_BAD_INPUT);
    ck_assert_ptr_null(text);
    ck_assert_str_eq(message, "cv.doc: its text is longer than 1000 bytes");
    free(message);

    ck_assert_int_eq(tc_extract_doc(&text, &text_len, bytes, len, "cv.doc", TC_MAX_FILE_BYTES, &message),
                     TC_STATUS_SUCCESS);
    ck_assert_uint_eq(text_len, 5574); /* as `catdoc -w -d utf-8` prints it */
    ck_assert_ptr_nonnull(strstr(text, "Số: 1935/ĐHCT-KSĐH"));
    free(text);

    char *path = strdup(getenv("PATH"));
    setenv("PATH", "/nonexistent", 1);
    tc_status_t status = tc_extract_doc(&text, &text_len, bytes, len, "cv.doc", TC_MAX_FILE_BYTES, &message);
    ck_assert_int_eq(status, TC_STATUS_BAD_INPUT);
    ck_assert_str_eq(message, "cv.doc: cannot read Word 97-2003 or RTF: catdoc is not installed "
                              "(Debian: apt-get install catdoc)");
    free(message);

    /* A converter that never ends is stopped at its time limit. */
    char *dir = tu_tempdir(), *fake = NULL;
    ck_assert_int_ge(asprintf(&fake, "%s/catdoc", dir), 0);
    write_file(fake, "#!/bin/sh\nexec /bin/sleep 600\n", 30);
    ck_assert_int_eq(chmod(fake, 0755), 0);
    setenv("PATH", dir, 1);
    time_t start = time(NULL);
    status = tc_extract_doc(&text, &text_len, bytes, len, "cv.doc", TC_MAX_FILE_BYTES, &message);
    time_t took = time(NULL) - start;
    setenv("PATH", path, 1);
    free(path);
    free(fake);
    ck_assert_int_eq(status, TC_STATUS_BAD_INPUT);
    ck_assert_str_eq(message, "cv.doc: catdoc took more than 10 seconds");
    ck_assert_msg(took >= 9 && took <= 30, "stopped after %lld s", (long long)took);
    free(message);
}
END_TEST

/* A minimal PDF whose trailer names the standard security handler with a
 * password that is not the empty one: poppler cannot open it. */
static const char encrypted_pdf[] =
    "%PDF-1.4\n"
    "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
    "4 0 obj << /Filter /Standard /V 1 /R 2 /Length 40 /P -44\n"
    "/O <1122334455667788990011223344556677889900112233445566778899001122>\n"
    "/U <AABBCCDDEEFF00112233445566778899AABBCCDDEEFF00112233445566778899> >> endobj\n"
    "trailer << /Root 1 0 R /Size 5 /Encrypt 4 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> "
    "<0123456789ABCDEF0123456789ABCDEF>] >>\n"
    "%%EOF\n";

START_TEST(test_mixed_folder_indexed_bad_files_named)
{
    char *dir = tu_tempdir(), *in = NULL, *path = NULL, *cmd = NULL, *out = NULL, *err = NULL, *expected = NULL;
    ck_assert_int_ge(asprintf(&in, "%s/in", dir), 0);
    ck_assert_int_ge(asprintf(&cmd, "mkdir -p %s && cp corpus/000_8085305a3db06b59.txt %s/", in, in), 0);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 0);
    free(cmd);
    free(out);
    free(err);

    ck_assert_int_ge(asprintf(&path, "%s/cv412.docx", in), 0);
    make_docx(path);
    free(path);
    ck_assert_int_ge(asprintf(&path, "%s/cv2207.odt", in), 0);
    make_odt(path);
    free(path);
    ck_assert_int_ge(asprintf(&path, "%s/cv1583.pdf", in), 0);
    make_pdf(path, 1);
    free(path);
    /* The same PDF gzipped: a .pdf.gz is read through. */
    ck_assert_int_ge(asprintf(&cmd, "gzip -c %s/cv1583.pdf > %s/nen.pdf.gz", in, in), 0);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 0);
    free(cmd);
    free(out);
    free(err);

    /* Named for what they are not: a Word 97-2003 file named .docx, RTF
     * named .doc, and a gzipped web page named .doc. */
    ck_assert_int_ge(asprintf(&cmd, "cp tests/realformats/cv1935-dhct-2013.doc %s/cv1935.docx", in), 0);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 0);
    free(cmd);
    free(out);
    free(err);
    ck_assert_int_ge(asprintf(&path, "%s/cv318.doc", in), 0);
    make_rtf(path, rtf_lines, sizeof rtf_lines / sizeof *rtf_lines);
    free(path);
    ck_assert_int_ge(asprintf(&path, "%s/cv77.doc", in), 0);
    write_file(path, html_as_doc, sizeof html_as_doc - 1);
    free(path);
    ck_assert_int_ge(asprintf(&cmd, "gzip %s/cv77.doc", in), 0);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 0);
    free(cmd);
    free(out);
    free(err);
    ck_assert_int_ge(asprintf(&path, "%s/cv255.docx", in), 0);
    make_docx_of(path, docx_tcvn3_document);
    free(path);

    /* The bad ones. */
    ck_assert_int_ge(asprintf(&cmd, "head -c 3000 tests/realformats/cv1935-dhct-2013.doc > %s/half.doc", in), 0);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 0);
    free(cmd);
    free(out);
    free(err);
    ck_assert_int_ge(asprintf(&path, "%s/picture.doc", in), 0);
    write_file(path, "\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16);
    free(path);
    ck_assert_int_ge(asprintf(&path, "%s/cut.docx", in), 0);
    make_docx(path);
    ck_assert_int_ge(asprintf(&cmd, "head -c 300 %s > %s.part && mv %s.part %s", path, path, path, path), 0);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 0);
    free(cmd);
    free(out);
    free(err);
    free(path);

    ck_assert_int_ge(asprintf(&path, "%s/bomb.docx", in), 0);
    char *spaces = calloc(1, ZIP_BOMB_BYTES);
    ck_assert_ptr_nonnull(spaces);
    /* Well-formed as far as it goes: empty paragraphs, millions of them. */
    static const char open_tag[] = "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>";
    for (size_t at = 0; at + 6 <= ZIP_BOMB_BYTES; at += 6)
        memcpy(spaces + at, "<w:p/>", 6);
    memcpy(spaces, open_tag, sizeof open_tag - 1);
    const char *bomb_names[] = { "[Content_Types].xml", "word/document.xml" };
    const char *bomb_contents[] = { content_types, spaces };
    const size_t bomb_lengths[] = { 0, ZIP_BOMB_BYTES };
    write_zip(path, bomb_names, bomb_contents, bomb_lengths, 2);
    free(spaces);
    free(path);

    ck_assert_int_ge(asprintf(&path, "%s/photo.pdf", in), 0);
    write_file(path, "\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0", 20);
    free(path);
    ck_assert_int_ge(asprintf(&path, "%s/locked.pdf", in), 0);
    write_file(path, encrypted_pdf, sizeof encrypted_pdf - 1);
    free(path);
    ck_assert_int_ge(asprintf(&path, "%s/broken.pdf", in), 0);
    write_file(path, "%PDF-1.7\n1 0 obj << /Type /Catalog >>\n% the rest was never written\n", 66);
    free(path);
    ck_assert_int_ge(asprintf(&path, "%s/scan.pdf", in), 0);
    make_pdf(path, 0);
    free(path);
    ck_assert_int_ge(asprintf(&path, "%s/huge.pdf", in), 0);
    make_long_pdf(path, 2000);
    free(path);

    ck_assert_int_ge(asprintf(&cmd, "bin/indexer --db %s/db %s", dir, in), 0);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 1);
    ck_assert_int_ge(asprintf(&expected,
                              "indexer: rejected %s/bomb.docx: word/document.xml decompresses to more than 20971520 bytes\n"
                              "indexer: rejected %s/broken.pdf: corrupt PDF\n"
                              "indexer: rejected %s/cut.docx: truncated or corrupt ZIP archive\n"
                              "indexer: rejected %s/half.doc: catdoc cannot read it (Bad BBD entry!)\n"
                              "indexer: rejected %s/huge.pdf: 2000 pages, more than the 1000 a dispatch with its annexes has\n"
                              "indexer: rejected %s/locked.pdf: encrypted PDF\n"
                              "indexer: rejected %s/photo.pdf: a JPEG image, not a document\n"
                              "indexer: rejected %s/picture.doc: a PNG image, not a document\n"
                              "indexer: rejected %s/scan.pdf: no text: neither a text layer nor OCR found any\n",
                              in, in, in, in, in, in, in, in, in),
                     0);
    ck_assert_str_eq(err, expected);
    free(expected);
    /* The scan, a grey picture without text, went through OCR. */
    ck_assert_int_ge(asprintf(&expected, "added 9, updated 0, removed 0, unchanged 0, rejected 9; "
                              "the index at %s/db holds 9 dispatches\nOCR read 1 page\n", dir), 0);
    ck_assert_str_eq(out, expected);
    free(expected);
    free(out);
    free(err);
    free(cmd);

    /* Each found by words typed without accents, and by its number. */
    static const struct {
        const char *query, *id;
    } finds[] = {
        { "kho du lieu thuy van nam nhun", "\"id\":\"cv412\"" },
        { "412/UBND-KGVX", "\"id\":\"cv412\"" },
        { "ho chua nuoc thac ba", "\"id\":\"cv2207\"" },
        { "2207/BNNMT-KHTC", "\"id\":\"cv2207\"" },
        { "sot xuat huyet muong phang", "\"id\":\"cv1583\"" },
        { "1583/SYT-NVY", "\"id\":\"cv1583\"" },
        /* The gzipped copy went in too: a copy of the same dispatch. */
        { "1583/SYT-NVY", "\"also_in\":[\"" },
        { "1583/SYT-NVY", "/nen.pdf.gz\"]" },
        { "trinh tu de nghi ra quyet dinh tieu ban cham chuyen de", "\"id\":\"cv1935\"" },
        { "1935/DHCT-KSDH", "\"id\":\"cv1935\"" },
        { "de dieu suoi nam la", "\"id\":\"cv318\"" },
        { "318/UBND-TH", "\"id\":\"cv318\"" },
        { "rung phong ho bac me", "\"id\":\"cv77\"" },
        { "77/UBND-VX", "\"id\":\"cv77\"" },
        { "tuan tra rung dau nguon mu cang chai", "\"id\":\"cv255\"" },
        { "255/UBND-NLN", "\"id\":\"cv255\"" },
    };
    for (size_t i = 0; i < sizeof finds / sizeof *finds; i++) {
        ck_assert_int_ge(asprintf(&cmd, "bin/query --db %s/db --json '%s'", dir, finds[i].query), 0);
        ck_assert_int_eq(tu_run(cmd, &out, &err), 0);
        ck_assert_msg(strstr(out, finds[i].id) != NULL, "%s: %s not in %s", finds[i].query, finds[i].id, out);
        free(out);
        free(err);
        free(cmd);
    }
    /* A field code's instruction and a text box's second copy are not
     * text; nor is a web page's script. */
    ck_assert_int_ge(asprintf(&cmd, "bin/query --db %s/db --json 'PAGE'", dir), 0);
    tu_run(cmd, &out, &err);
    ck_assert_ptr_null(strstr(out, "\"id\":\"cv412\""));
    free(out);
    free(err);
    free(cmd);
    ck_assert_int_ge(asprintf(&cmd, "bin/query --db %s/db --json 'khong phai chu cua van ban'", dir), 0);
    tu_run(cmd, &out, &err);
    ck_assert_ptr_null(strstr(out, "\"id\":\"cv77\""));
    free(out);
    free(err);
    free(cmd);
    free(in);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("extract");
    TCase *formats = tcase_create("formats");
    tcase_set_timeout(formats, 120);
    tcase_add_test(formats, test_docx_odt_pdf_parsed);
    tcase_add_test(formats, test_pdf_header_in_two_blocks);
    tcase_add_test(formats, test_pdf_wrapped_header_keeps_its_figures);
    tcase_add_test(formats, test_pdf_centred_title_ends_the_header);
    tcase_add_test(formats, test_real_files);
    tcase_add_test(formats, test_number_and_day_stamped_by_signature_fields);
    tcase_add_test(formats, test_pdfs_read_on_several_threads);
    tcase_add_test(formats, test_doc_converter_limits);
    tcase_add_test(formats, test_mixed_folder_indexed_bad_files_named);
    suite_add_tcase(s, formats);
    int failed = tu_run_suite(s);
    /* cairo's and fontconfig's caches, freed so that a leak check sees
     * only the project's own leaks. */
    cairo_debug_reset_static_data();
    FcFini();
    return failed;
}
