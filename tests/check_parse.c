/* Parsing dispatches into records: the five seed dispatches field by field,
 * date and deadline phrasings, header variants built inline, and input that
 * has no structure at all. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/orgs.h"
#include "tracuu.h"

/* ------------------------------------------------------------------ */
/* Helpers.                                                             */

#define ck_str(actual, expected) check_str(#actual, (actual), (expected))

static void check_str(const char *what, const char *actual, const char *expected)
{
    if (!expected) {
        ck_assert_msg(actual == NULL, "%s = \"%s\", expected NULL", what, actual);
        return;
    }
    ck_assert_msg(actual != NULL, "%s = NULL, expected \"%s\"", what, expected);
    ck_assert_msg(strcmp(actual, expected) == 0, "%s = \"%s\", expected \"%s\"", what, actual, expected);
}

static void check_list(const char *what, const tc_strlist_t *list, const char *const *expected, size_t n)
{
    ck_assert_msg(list->count == n, "%s: %zu items, expected %zu", what, list->count, n);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(strcmp(list->items[i], expected[i]) == 0, "%s[%zu] = \"%s\", expected \"%s\"", what, i,
                      list->items[i], expected[i]);
}

#define ck_list(list, ...)                                                                          \
    do {                                                                                            \
        static const char *const expected_[] = { __VA_ARGS__ };                                    \
        check_list(#list, &(list), expected_, sizeof expected_ / sizeof *expected_);               \
    } while (0)

static void check_ref(const tc_doc_t *doc, size_t i, const char *type, const char *number, const char *date,
                      const char *issuer)
{
    ck_assert_msg(i < doc->n_references, "reference %zu missing (%zu found)", i, doc->n_references);
    const tc_reference_t *r = &doc->references[i];
    check_str("reference type", r->type, type);
    check_str("reference number", r->number, number);
    check_str("reference date", r->date, date);
    check_str("reference issuer", r->issuer, issuer);
}

static void check_deadline(const tc_doc_t *doc, size_t i, const char *date, const char *text)
{
    ck_assert_msg(i < doc->n_deadlines, "deadline %zu missing (%zu found)", i, doc->n_deadlines);
    check_str("deadline date", doc->deadlines[i].date, date);
    check_str("deadline text", doc->deadlines[i].text, text);
}

static void check_contains(const tc_doc_t *doc, const char *needle)
{
    ck_assert_ptr_nonnull(doc->text);
    ck_assert_msg(strstr(doc->text, needle) != NULL, "text lacks \"%s\"", needle);
}

static void check_lacks(const tc_doc_t *doc, const char *needle)
{
    ck_assert_ptr_nonnull(doc->text);
    ck_assert_msg(strstr(doc->text, needle) == NULL, "text has \"%s\"", needle);
}

static tc_doc_t *parse(const char *text)
{
    tc_doc_t *doc = NULL;
    ck_assert_int_eq(tc_doc_parse(&doc, text, strlen(text)), TC_STATUS_SUCCESS);
    ck_assert_ptr_nonnull(doc);
    ck_assert_ptr_nonnull(doc->text);
    return doc;
}

/* Every cleaned text: no markdown, no trailing spaces, no runs of blank
 * lines, no leading or trailing blank lines. */
static void check_clean_text(const tc_doc_t *doc)
{
    check_lacks(doc, "**");
    check_lacks(doc, " \n");
    check_lacks(doc, "\n\n\n");
    check_lacks(doc, "\n#");
    size_t n = strlen(doc->text);
    ck_assert(n > 0);
    ck_assert(doc->text[0] != '\n' && doc->text[n - 1] != '\n' && doc->text[n - 1] != ' ');
}

/* ------------------------------------------------------------------ */
/* The seed dispatches.                                                 */

static tc_doc_t *seeds[5];
static const char *const seed_files[5] = {
    "corpus/000_8085305a3db06b59.txt", "corpus/001_17e1e73a82d28e15.txt", "corpus/002_265e7d34e41c1dcc.txt",
    "corpus/003_7150dcc81a02de69.txt", "corpus/004_9daa15f6c42ddd15.txt",
};

static void seeds_setup(void)
{
    for (size_t i = 0; i < 5; i++) {
        char *msg = NULL;
        char id[64];
        snprintf(id, sizeof id, "%.*s", (int)(strlen(seed_files[i]) - strlen("corpus/") - strlen(".txt")),
                 seed_files[i] + strlen("corpus/"));
        tc_status_t st = tc_doc_load(&seeds[i], seed_files[i], id, &msg);
        ck_assert_msg(st == TC_STATUS_SUCCESS, "%s: %s", seed_files[i], msg ? msg : "?");
        free(msg);
    }
}

static void seeds_teardown(void)
{
    for (size_t i = 0; i < 5; i++) {
        tc_doc_free(seeds[i]);
        seeds[i] = NULL;
    }
}

START_TEST(test_seed_000)
{
    const tc_doc_t *d = seeds[0];
    ck_str(d->id, "000_8085305a3db06b59");
    ck_str(d->path, "corpus/000_8085305a3db06b59.txt");
    ck_str(d->issuer, "Ban Quản lý Khu kinh tế tỉnh An Giang");
    ck_str(d->issuer_parent, NULL);
    ck_str(d->place, "An Giang");
    ck_str(d->number, NULL);
    ck_str(d->symbol, "BQLKKT-VP");
    ck_str(d->date, "2026-04");
    ck_assert_int_eq(d->year, 2026);
    ck_str(d->doc_type, "Công văn");
    ck_str(d->subject, "hoạt động hưởng ứng Ngày Sáng tạo và Đổi mới sáng tạo thế giới 21/4 năm 2026");
    ck_list(d->recipients, "Trưởng các phòng chuyên môn, nghiệp vụ", "Thủ trưởng các đơn vị trực thuộc Ban");
    ck_assert_int_eq(d->themes.count, 0);
    ck_assert_int_eq(d->slogans.count, 0);
    ck_assert_int_eq(d->n_deadlines, 1);
    check_deadline(d, 0, "2026-05-10",
                   "Giao các phòng, đơn vị trực thuộc báo cáo kết quả triển khai thực hiện gửi về Văn phòng "
                   "trước ngày 10/5/2026 để tổng hợp.");
    ck_str(d->period_from, "2026-04-15");
    ck_str(d->period_to, "2026-04-26");
    ck_assert_int_eq(d->n_references, 1);
    check_ref(d, 0, "Công văn", "1471/UBND-KGVX", "2026-04-21", "Ủy ban nhân dân tỉnh");
    ck_str(d->signer, "Nguyễn Hữu Sương");
    ck_str(d->signer_title, "Phó Trưởng ban");
    ck_str(d->signer_authority, "KT. Trưởng ban");
    ck_str(d->urgency, NULL);
    ck_str(d->secrecy, NULL);
    check_clean_text(d);
    /* Wrapped across a blank line, joined; bold marks gone. */
    check_contains(d, "khen thưởng tập thể, cá nhân có thành tích xuất sắc");
    check_contains(d, "gửi về Văn phòng trước ngày 10/5/2026 để tổng hợp.");
    check_contains(d, "Ngày Sáng tạo và Đổi mới sáng tạo thế giới 21/4 năm 2026\n\nKính gửi:");
    check_contains(d, "KT. TRƯỞNG BAN\nPHÓ TRƯỞNG BAN\n\nNguyễn Hữu Sương");
}
END_TEST

START_TEST(test_seed_001)
{
    const tc_doc_t *d = seeds[1];
    ck_str(d->issuer, "Sở Khoa học và Công nghệ tỉnh Lai Châu");
    ck_str(d->issuer_parent, NULL);
    ck_str(d->place, "Lai Châu");
    ck_str(d->number, NULL);
    ck_str(d->symbol, "SKHCN-QL");
    ck_str(d->date, "2026");
    ck_assert_int_eq(d->year, 2026);
    ck_str(d->doc_type, "Công văn");
    ck_str(d->subject, "hưởng ứng Ngày Sáng tạo và Đổi mới sáng tạo thế giới 21/4 năm 2026");
    ck_list(d->recipients, "Mặt trận tổ quốc tỉnh Lai Châu", "Các sở, ban, ngành", "UBND các Xã, Phường");
    ck_list(d->themes, "Đổi mới sáng tạo - Hành động đột phá, lan tỏa kết quả",
            "Đổi mới sáng tạo - Chuyển đổi nhanh hơn, mạnh mẽ hơn để biến ý tưởng thành giá trị, khát vọng "
            "thành hiện thực");
    ck_list(d->slogans, "Nhiệt liệt chào mừng Ngày Sáng tạo và Đổi mới sáng tạo thế giới - 21/4/2026");
    ck_assert_int_eq(d->n_deadlines, 1);
    check_deadline(d, 0, "2026-05-10",
                   "Sở Khoa học và Công nghệ trân trọng đề nghị Quý Cơ quan tổ chức thực hiện và báo cáo kết "
                   "quả thực hiện về Sở Khoa học và Công nghệ trước ngày 10/5/2026 để tổng hợp báo cáo Bộ Khoa "
                   "học và Công nghệ.");
    ck_str(d->period_from, "2026-04-18");
    ck_str(d->period_to, "2026-04-26");
    ck_assert_int_eq(d->n_references, 1);
    check_ref(d, 0, "Công văn", "2341/BKHCN-ĐMST", "2026-04-16", "Bộ Khoa học và Công nghệ");
    ck_str(d->signer, "Bùi Thị Lệ Dung");
    ck_str(d->signer_title, "Phó Giám đốc");
    ck_str(d->signer_authority, "KT. Giám đốc");
    ck_str(d->urgency, NULL);
    ck_str(d->secrecy, NULL);
    check_clean_text(d);
    check_contains(d, "V/v hưởng ứng Ngày Sáng tạo và Đổi mới sáng tạo thế giới 21/4 năm 2026\n\nLai Châu");
}
END_TEST

START_TEST(test_seed_002)
{
    const tc_doc_t *d = seeds[2];
    ck_str(d->issuer, "Ủy ban nhân dân huyện Chi Lăng");
    ck_str(d->issuer_parent, NULL);
    ck_str(d->place, "Chi Lăng");
    ck_str(d->number, NULL);
    ck_str(d->symbol, "UBND-KTHT");
    ck_str(d->date, "2024-04");
    ck_assert_int_eq(d->year, 2024);
    ck_str(d->doc_type, "Công văn");
    ck_str(d->subject, "triển khai thực hiện hưởng ứng Ngày Sáng tạo và Đổi mới sáng tạo thế giới năm 2024 trên "
                       "địa bàn huyện Chi Lăng");
    ck_list(d->recipients,
            "Các cơ quan, ban ngành, tổ chức chính trị xã hội, các đơn vị sự nghiệp trên địa bàn huyện",
            "UBND các xã, thị trấn");
    ck_assert_int_eq(d->themes.count, 0);
    ck_list(d->slogans,
            "Phát triển khoa học, công nghệ và đổi mới sáng tạo - khơi dậy khát vọng, kiến tạo tương lai",
            "Khoa học, công nghệ và đổi mới sáng tạo - nâng cao tiềm lực và vị thế quốc gia",
            "Đổi mới sáng tạo và sở hữu trí tuệ vì tương lai tốt đẹp hơn", "Đổi mới sáng tạo - Khơi nguồn tri thức",
            "Đổi mới sáng tạo - Nền tảng thúc đẩy phát triển quốc gia hiện đại",
            "Đổi mới sáng tạo - Nâng cao giá trị cuộc sống");
    ck_assert_int_eq(d->n_deadlines, 0);
    ck_str(d->period_from, NULL);
    ck_str(d->period_to, NULL);
    /* Two spellings of one dispatch, same date: one reference. */
    ck_assert_int_eq(d->n_references, 1);
    check_ref(d, 0, "Công văn", "389/SKHCN-QLCN&ĐMST", "2024-04-19", "Sở Khoa học và Công nghệ tỉnh Lạng Sơn");
    ck_str(d->signer, "Phùng Văn Nghĩa");
    ck_str(d->signer_title, "Phó Chủ tịch");
    ck_str(d->signer_authority, "KT. Chủ tịch");
    ck_str(d->urgency, NULL);
    ck_str(d->secrecy, NULL);
    check_clean_text(d);
    check_contains(d, "treo Pano, áp phích, biểu ngữ");
    check_contains(d, "ỦY BAN NHÂN DÂN\nHUYỆN CHI LĂNG\n\nCỘNG HÒA");
    check_contains(d, "\nNơi nhận:\n");
}
END_TEST

START_TEST(test_seed_003)
{
    const tc_doc_t *d = seeds[3];
    ck_str(d->issuer, "Ủy ban nhân dân xã Bình Thành");
    ck_str(d->issuer_parent, NULL);
    ck_str(d->place, "Bình Thành");
    ck_str(d->number, NULL);
    ck_str(d->symbol, "UBND-VHXH");
    ck_str(d->date, "2026-04");
    ck_assert_int_eq(d->year, 2026);
    ck_str(d->doc_type, "Công văn");
    ck_str(d->subject, "tổ chức các hoạt động hưởng ứng, chào mừng Ngày Sáng tạo và Đổi mới sáng tạo thế giới "
                       "(21/4) năm 2026");
    ck_list(d->recipients, "Các cơ quan, đơn vị, doanh nghiệp, các xóm trên địa bàn xã");
    ck_list(d->themes, "Đổi mới sáng tạo - Hành động đột phá, lan tỏa kết quả",
            "Đổi mới sáng tạo - Chuyển đổi nhanh hơn, mạnh mẽ hơn để biến ý tưởng thành giá trị, khát vọng "
            "thành hiện thực");
    ck_list(d->slogans, "Nhiệt liệt chào mừng Ngày Sáng tạo và Đổi mới sáng tạo thế giới - 21/4/2026");
    ck_assert_int_eq(d->n_deadlines, 2);
    check_deadline(d, 0, "2026-05-03", "Gửi báo cáo kết quả thực hiện về UBND xã chậm nhất ngày 03/5/2026.");
    check_deadline(d, 1, "2026-05-05",
                   "Tổng hợp kết quả, tham mưu UBND xã báo cáo kết quả về Sở Khoa học và Công nghệ tỉnh Thái "
                   "Nguyên trước ngày 05/5/2026 để tổng hợp báo cáo Bộ Khoa học và Công nghệ và UBND tỉnh Thái "
                   "Nguyên theo quy định.");
    ck_str(d->period_from, "2026-04-18");
    ck_str(d->period_to, "2026-04-25");
    ck_assert_int_eq(d->n_references, 4);
    check_ref(d, 0, "Công văn", "4059/UBND-KGVX", "2026-04-17", "UBND tỉnh Thái Nguyên");
    check_ref(d, 1, "Công văn", "1132/SKHCN-QLCN", "2026-04-17", "Sở Khoa học và Công nghệ tỉnh Thái Nguyên");
    check_ref(d, 2, "Kế hoạch", "69/KH-UBND", "2026-03-25", "UBND xã Bình Thành");
    check_ref(d, 3, "Nghị quyết", "57-NQ/TW", "2024-12-22", "Bộ Chính trị");
    ck_str(d->signer, "Âu Văn Đước");
    ck_str(d->signer_title, "Phó Chủ tịch");
    ck_str(d->signer_authority, "KT. Chủ tịch");
    ck_str(d->urgency, NULL);
    ck_str(d->secrecy, NULL);
    check_clean_text(d);
    check_lacks(d, "*");
    check_lacks(d, "#");
    check_contains(d, "vai trò của sáng tạo trong đời sống. Vận động Nhân dân");
    check_contains(d, "\n1.2. Khẩu hiệu\n");
    check_contains(d, "\nBình Thành, ngày tháng 4 năm 2026\n");
    check_contains(d, "\nNơi nhận:\n");
}
END_TEST

START_TEST(test_seed_004)
{
    const tc_doc_t *d = seeds[4];
    ck_str(d->issuer, "Sở Khoa học và Công nghệ tỉnh Lai Châu");
    ck_str(d->issuer_parent, "Ủy ban nhân dân tỉnh Lai Châu");
    ck_str(d->place, "Lai Châu");
    ck_str(d->number, NULL);
    ck_str(d->symbol, "SKHCN-VP");
    ck_str(d->date, "2023-04");
    ck_assert_int_eq(d->year, 2023);
    ck_str(d->doc_type, "Công văn");
    ck_str(d->subject, "tổ chức các hoạt động hưởng ứng Ngày Đổi mới sáng tạo thế giới năm 2023");
    ck_list(d->recipients, "Các Sở, ban, ngành, đoàn thể tỉnh", "UBND các huyện, thành phố");
    ck_assert_int_eq(d->themes.count, 0);
    ck_assert_int_eq(d->slogans.count, 0);
    ck_assert_int_eq(d->n_deadlines, 1);
    check_deadline(d, 0, "2023-05-25",
                   "Báo cáo kết quả tổ chức các hoạt động hưởng ứng Ngày Đổi mới sáng tạo thế giới năm 2023 về "
                   "Sở Khoa học và Công nghệ trước ngày 25/5/2023 để tổng hợp báo cáo Uỷ ban nhân dân tỉnh, Bộ "
                   "Khoa học và Công nghệ.");
    ck_str(d->period_from, NULL);
    ck_str(d->period_to, NULL);
    ck_assert_int_eq(d->n_references, 2);
    check_ref(d, 0, "Công văn", "1062/BKHCN-ƯDPTCN", "2023-04-14", "Bộ Khoa học và Công nghệ");
    check_ref(d, 1, "Công văn", "1383/UBND-VX", "2023-04-17", "UBND tỉnh");
    ck_str(d->signer, "Trần Văn Tuấn");
    ck_str(d->signer_title, "Phó Giám đốc");
    ck_str(d->signer_authority, "KT. Giám đốc");
    ck_str(d->urgency, NULL);
    ck_str(d->secrecy, NULL);
    check_clean_text(d);
    /* Hard-wrapped PDF text: the wraps are mended, the header stays apart. */
    check_contains(d, "1062/BKHCN-ƯDPTCN");
    check_lacks(d, "BKHCN-\n");
    check_contains(d, "trước ngày 25/5/2023 để tổng hợp báo cáo");
    check_contains(d, "của Bộ Khoa học và Công nghệ về việc hưởng ứng Ngày Đổi mới sáng tạo thế giới năm 2023 và "
                      "chỉ đạo của UBND tỉnh");
    check_contains(d, "thế giới năm 2023.\n\nNgày 21 tháng 4");
    check_contains(d, "V/v tổ chức các hoạt động hưởng ứng Ngày\n\nĐổi mới sáng tạo thế giới năm 2023\n\nKính gửi:");
    check_contains(d, "\n\nThực hiện Công văn số");
}
END_TEST

/* ------------------------------------------------------------------ */
/* Dates and deadlines.                                                 */

/* A minimal dispatch of the given year around one body sentence. */
static tc_doc_t *parse_sentence(const char *sentence, int year)
{
    char text[2048];
    snprintf(text, sizeof text,
             "Số: 12/UBND-VP\nHà Nội, ngày 02 tháng 01 năm %d\n\nV/v thử nghiệm\n\nKính gửi: Các đơn vị.\n\n"
             "%s\n\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n",
             year, sentence);
    return parse(text);
}

static const struct {
    const char *sentence;
    int year;
    const char *date; /* NULL: no deadline */
} deadline_cases[] = {
    { "Các đơn vị gửi báo cáo trước ngày 10/5/2026 để tổng hợp.", 2026, "2026-05-10" },
    { "CÁC ĐƠN VỊ GỬI BÁO CÁO TRƯỚC NGÀY 10/5/2026.", 2026, "2026-05-10" },
    { "Cac don vi gui bao cao truoc ngay 10/5/2026.", 2026, "2026-05-10" },
    { "Gửi báo cáo trước ngày 10/5 để tổng hợp.", 2026, "2026-05-10" },
    { "Gửi báo cáo trước ngày 10/5 để tổng hợp.", 2024, "2024-05-10" },
    { "Gửi kết quả chậm nhất ngày 03/5/2026.", 2026, "2026-05-03" },
    { "Gửi kết quả chậm nhất là ngày 3/5/2026.", 2026, "2026-05-03" },
    { "Báo cáo trước ngày 25 tháng 5 năm 2023 để tổng hợp.", 2023, "2023-05-25" },
    { "Báo cáo trước ngày 25 tháng 5 để tổng hợp.", 2023, "2023-05-25" },
    { "Hạn cuối ngày 15/6/2025.", 2025, "2025-06-15" },
    { "Hồ sơ gửi trước 17 giờ 00 ngày 20/3/2025 qua bưu điện.", 2025, "2025-03-20" },
    { "Hồ sơ gửi trước 17h00 ngày 20/3/2025.", 2025, "2025-03-20" },
    { "Hồ sơ gửi trước 16 giờ 30 phút chiều ngày 20/3/2025.", 2025, "2025-03-20" },
    { "Báo cáo gửi không muộn hơn ngày 30/6/2025.", 2025, "2025-06-30" },
    { "Hạn chót nộp hồ sơ là ngày 10/5/2025.", 2025, "2025-05-10" },
    { "HẠN CHÓT: 10/5/2025.", 2025, "2025-05-10" },
    { "Báo cáo trước ngày 10-5-2026.", 2026, "2026-05-10" },
    { "Báo cáo trước ngày 10.5.2026.", 2026, "2026-05-10" },
    { "Báo cáo trước ngày 10/5/26.", 2026, "2026-05-10" },
    /* A whole month, quarter or year after a directive: due by its end. */
    { "Các đơn vị báo cáo kết quả thực hiện trong tháng 12 năm 2026.", 2026, "2026-12" },
    { "Hoàn thành trong tháng 3/2026.", 2026, "2026-03" },
    { "Báo cáo Thủ tướng Chính phủ kết quả thực hiện trong Quý I năm 2027.", 2026, "2027-03-31" },
    { "Hoàn thành trong quý 3/2026.", 2026, "2026-09-30" },
    { "Bộ Xây dựng sớm bàn giao trong năm 2026 dự án nạo vét luồng tàu.", 2026, "2026" },
    /* Not deadlines. */
    { "Trong năm 2026, toàn tỉnh đã tổ chức 12 hội nghị.", 2026, NULL },
    { "Tỉnh đã báo cáo kết quả trong tháng 12 năm 2025.", 2026, NULL },
    { "Báo cáo trong tháng 13 năm 2026.", 2026, NULL },
    { "Định kỳ báo cáo kết quả thực hiện trước ngày 20/11 hằng năm.", 2026, NULL },
    { "Đất ở được sử dụng trước ngày 01 tháng 7 năm 2004 được cấp giấy chứng nhận.", 2026, NULL },
    { "Thời gian thực hiện: Từ ngày 15/4/2026 đến hết ngày 26/4/2026.", 2026, NULL },
    { "Ngày 21 tháng 4 hằng năm là Ngày Sáng tạo thế giới.", 2026, NULL },
    { "Thực hiện Công văn số 1471/UBND-KGVX ngày 21/4/2026 của UBND tỉnh.", 2026, NULL },
    { "Báo cáo trước ngày 31/2/2026.", 2026, NULL },
    { "Báo cáo trước ngày 10/13/2026.", 2026, NULL },
    { "Trước mắt, các đơn vị tập trung tuyên truyền.", 2026, NULL },
};

START_TEST(test_deadline_table)
{
    for (size_t i = 0; i < sizeof deadline_cases / sizeof *deadline_cases; i++) {
        tc_doc_t *d = parse_sentence(deadline_cases[i].sentence, deadline_cases[i].year);
        ck_assert_int_eq(d->year, deadline_cases[i].year);
        if (!deadline_cases[i].date) {
            ck_assert_msg(d->n_deadlines == 0, "\"%s\": unexpected deadline %s", deadline_cases[i].sentence,
                          d->n_deadlines ? d->deadlines[0].date : "");
        } else {
            ck_assert_msg(d->n_deadlines == 1, "\"%s\": %zu deadlines", deadline_cases[i].sentence, d->n_deadlines);
            ck_assert_msg(strcmp(d->deadlines[0].date, deadline_cases[i].date) == 0, "\"%s\": %s, expected %s",
                          deadline_cases[i].sentence, d->deadlines[0].date, deadline_cases[i].date);
            ck_assert_msg(strcmp(d->deadlines[0].text, deadline_cases[i].sentence) == 0, "\"%s\": text \"%s\"",
                          deadline_cases[i].sentence, d->deadlines[0].text);
        }
        tc_doc_free(d);
    }
}
END_TEST

START_TEST(test_deadline_sentences)
{
    /* Two sentences, two list items, one repeated date; sorted by date. */
    tc_doc_t *d = parse_sentence("7. Giao Văn phòng tổng hợp trước ngày 20/5/2026. Các phòng báo cáo về Văn phòng "
                                 "trước ngày 10/5/2026 để tổng hợp.\n\n- Nhắc lại: hạn chót ngày 20/5/2026.",
                                 2026);
    ck_assert_int_eq(d->n_deadlines, 2);
    check_deadline(d, 0, "2026-05-10", "Các phòng báo cáo về Văn phòng trước ngày 10/5/2026 để tổng hợp.");
    check_deadline(d, 1, "2026-05-20", "Giao Văn phòng tổng hợp trước ngày 20/5/2026.");
    tc_doc_free(d);

    /* No year anywhere: a year-less date cannot be placed. */
    d = parse("Các đơn vị báo cáo trước ngày 10/5.\n");
    ck_assert_int_eq(d->year, 0);
    ck_assert_int_eq(d->n_deadlines, 0);
    tc_doc_free(d);
}
END_TEST

/* A day without a year is the next such day from the dispatch's date; a
 * cited document's date is in the past and keeps the dispatch's year. */
START_TEST(test_deadline_next_year)
{
    tc_doc_t *d = parse("Số: 12/UBND-VP\nHà Nội, ngày 20 tháng 12 năm 2025\n\nV/v thử nghiệm\n\n"
                        "Kính gửi: Các đơn vị.\n\nThực hiện Công văn số 5/SYT-NVY ngày 3/3 của Sở Y tế, các đơn vị "
                        "báo cáo trước ngày 15/1. Văn phòng tổng hợp trước ngày 25/12. Các phòng gửi danh sách "
                        "trước ngày 20/12.\n");
    ck_assert_int_eq(d->n_deadlines, 3);
    check_deadline(d, 0, "2025-12-20", "Các phòng gửi danh sách trước ngày 20/12.");
    check_deadline(d, 1, "2025-12-25", "Văn phòng tổng hợp trước ngày 25/12.");
    check_deadline(d, 2, "2026-01-15",
                   "Thực hiện Công văn số 5/SYT-NVY ngày 3/3 của Sở Y tế, các đơn vị báo cáo trước ngày 15/1.");
    check_ref(d, 0, "Công văn", "5/SYT-NVY", "2025-03-03", "Sở Y tế");
    tc_doc_free(d);

    /* A draft without the day: only an earlier month is in the past. */
    d = parse("Số: 12/UBND-VP\nHà Nội, ngày    tháng 12 năm 2025\n\nV/v thử nghiệm\n\nKính gửi: Các đơn vị.\n\n"
              "Báo cáo trước ngày 10/12. Gửi kết quả trước ngày 5/11.\n");
    ck_assert_int_eq(d->n_deadlines, 2);
    check_deadline(d, 0, "2025-12-10", "Báo cáo trước ngày 10/12.");
    check_deadline(d, 1, "2026-11-05", "Gửi kết quả trước ngày 5/11.");
    tc_doc_free(d);
}
END_TEST

static const struct {
    const char *line;
    const char *date;
    int year;
} header_date_cases[] = {
    { "Hà Nội, ngày 05 tháng 3 năm 2025", "2025-03-05", 2025 },
    { "Hà Nội, ngày 5 tháng 03 năm 2025", "2025-03-05", 2025 },
    { "An Giang, ngày tháng 4 năm 2026", "2026-04", 2026 },
    { "Lai Châu, ngày tháng năm 2026", "2026", 2026 },
    { "Lai Châu, ngày       tháng 4 năm 2023", "2023-04", 2023 },
    { "*Bình Thành, ngày tháng 4 năm 2026*", "2026-04", 2026 },
    { "HÀ NỘI, NGÀY 31 THÁNG 12 NĂM 2024", "2024-12-31", 2024 },
    { "Ha Noi, ngay 1 thang 2 nam 2024", "2024-02-01", 2024 },
    { "Hà Nội, ngày 31 tháng 2 năm 2025", "2025-02", 2025 },
    /* Scans: OCR's reading of a day or month written by hand into the
     * blank, specks glued to the words around it or not. */
    { "An Giang, ngày 2Ÿ tháng 11 năm 2016", "2016-11", 2016 },
    { "Quảng Ngãi, ngày Êˆ@_ tháng 11 năm 2024", "2024-11", 2024 },
    { "Hà Nội, ngày82tháng 4 năm 2026", "2026-04", 2026 },
    { "Kiên Giang, ngàyÁ*ƒ tháng 10 năm 2017", "2017-10", 2017 },
    { "Tp. Hồ Chí Minh, ngày (3 tháng t:Ì năm 2014", "2014", 2014 },
};

/* The header of the Prime Minister's decision as OCR reads its scan: the
 * columns on one line, the number and the day written by hand. */
START_TEST(test_scanned_header)
{
    static const char header[] = "THỦ TƯỚNG CHÍNH PHỦ  CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                                 "Độc lập - Tự do - Hạnh phúc\nSố: ƑĐ + /QĐ- TTg\n";
    static const char body[] = "QUYẾT ĐỊNH\nVề việc ban hành Kế hoạch hành động quốc gia\nTHỦ TƯỚNG CHÍNH PHỦ\n"
                               "Căn cứ Luật Ngân hàng Nhà nước Việt Nam ngày l6 tháng 6 năm 2010;\n";
    char text[1024];
    snprintf(text, sizeof text, "%sHà Nội, ngày82tháng 4 năm 2026\n%s", header, body);
    tc_doc_t *d = parse(text);
    ck_assert_ptr_null(d->number);
    check_str("symbol", d->symbol, "QĐ-TTg");
    check_str("date", d->date, "2026-04");
    check_str("issuer", d->issuer, "Thủ tướng Chính phủ");
    tc_doc_free(d);
    /* Without its place and date, the date a sentence cites with a
     * damaged day is not the dispatch's. */
    snprintf(text, sizeof text, "%s%s", header, body);
    d = parse(text);
    ck_assert_ptr_null(d->date);
    tc_doc_free(d);
    /* A hyphen OCR spaced out, the number read as a figure too few. */
    d = parse("KHOA HỆ THỐNG THÔNG TIN\nSô : 0 /TB - HTTT\nTp. Hồ Chí Minh, ngày 3 tháng 1 năm 2014\nTHÔNG BÁO\n"
              "Kế hoạch bảo vệ\n");
    check_str("number", d->number, "0");
    check_str("symbol", d->symbol, "TB-HTTT");
    tc_doc_free(d);
    /* A hyphen's continuation is a code: a place's name is not. */
    d = parse("UBND TỈNH AN GIANG\nSố: 12/QĐ- Hà Nội, ngày 22 tháng 4 năm 2026\nQUYẾT ĐỊNH\nVề việc thử\n");
    check_str("symbol", d->symbol, "QĐ-");
    tc_doc_free(d);
}
END_TEST

/* Headers with no number: a programme a university issues, its title
 * running on with its subject, whose bodies stand above the motto (or
 * beside it, on a flattened row); a draft's companion table, dated; a
 * type of Nghị định 30's list without a code of its own. */
#define PROGRAMME_TITLE "CHƯƠNG TRÌNH ĐÀO TẠO\nTên chương trình: Công nghệ thông tin\n1. MỤC TIÊU ĐÀO TẠO\n"
#define VINH_LONG_HEADER \
    "UBND TỈNH VĨNH LONG\nSỞ NỘI VỤ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nVĩnh Long, ngày 09 tháng 6 năm 2026\n"

START_TEST(test_header_without_number)
{
    static const char *const cases[][4] = {
        /* text, issuer, its parent, type */
        { "BỘ GIÁO DỤC VÀ ĐÀO TẠO\nTRƯỜNG ĐẠI HỌC KIÊN GIANG\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
          "Độc lập - Tự do - Hạnh phúc\n" PROGRAMME_TITLE,
          "Trường Đại học Kiên Giang", "Bộ Giáo dục và Đào tạo", "Chương trình" },
        { "ỦY BAN NHÂN DÂN  CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH LAI CHÂU  Độc lập - Tự do - Hạnh phúc\n"
          PROGRAMME_TITLE,
          "Ủy ban nhân dân tỉnh Lai Châu", NULL, "Chương trình" },
        { VINH_LONG_HEADER "BẢNG SO SÁNH THUYẾT MINH\nNỘI DUNG DỰ THẢO NGHỊ QUYẾT\nĐiều 1. Phạm vi.\n",
          "Sở Nội vụ tỉnh Vĩnh Long", "Ủy ban nhân dân tỉnh Vĩnh Long", "Bảng so sánh" },
        { VINH_LONG_HEADER "HỢP ĐỒNG\nCung cấp dịch vụ\nĐiều 1. Phạm vi.\n", "Sở Nội vụ tỉnh Vĩnh Long",
          "Ủy ban nhân dân tỉnh Vĩnh Long", "Hợp đồng" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        tc_doc_t *d = parse(cases[i][0]);
        check_str("issuer", d->issuer, cases[i][1]);
        check_str("issuer_parent", d->issuer_parent, cases[i][2]);
        check_str("doc_type", d->doc_type, cases[i][3]);
        tc_doc_free(d);
    }
}
END_TEST

START_TEST(test_header_dates)
{
    for (size_t i = 0; i < sizeof header_date_cases / sizeof *header_date_cases; i++) {
        char text[512];
        snprintf(text, sizeof text, "Số: 7/UBND-VP\n%s\n\nV/v thử\n\nKính gửi: Các đơn vị.\n\nNội dung.\n",
                 header_date_cases[i].line);
        tc_doc_t *d = parse(text);
        ck_assert_msg(d->date && strcmp(d->date, header_date_cases[i].date) == 0, "\"%s\": date %s, expected %s",
                      header_date_cases[i].line, d->date ? d->date : "NULL", header_date_cases[i].date);
        ck_assert_int_eq(d->year, header_date_cases[i].year);
        ck_assert_ptr_nonnull(d->place);
        tc_doc_free(d);
    }
}
END_TEST

static const struct {
    const char *sentence;
    const char *from, *to;
} period_cases[] = {
    { "Thời gian: Từ ngày 15/4/2026 đến hết ngày 26/4/2026.", "2026-04-15", "2026-04-26" },
    { "Trong thời gian từ ngày 18 tháng 4 năm 2026 đến hết ngày 26 tháng 4 năm 2026;", "2026-04-18", "2026-04-26" },
    { "Từ ngày 1/6/2025 đến ngày 30/6/2025", "2025-06-01", "2025-06-30" },
    { "Từ ngày 15/4 đến ngày 26/4/2025.", "2025-04-15", "2025-04-26" },
    { "TỪ NGÀY 15/4/2025 ĐẾN HẾT NGÀY 20/4/2025", "2025-04-15", "2025-04-20" },
    { "Từ ngày 08 đến ngày 10 tháng 12 năm 2025.", "2025-12-08", "2025-12-10" },
    { "Thời gian dự kiến: từ ngày 11/9/2025 đến hết năm 2025.", "2025-09-11", "2025-12-31" },
    /* A campaign's rounds listed together: their span. */
    { "- Đợt 01: từ ngày 20/11/2025 đến ngày 03/12/2025;\n- Đợt 02: từ ngày 08 đến ngày 10 tháng 12 năm 2025.",
      "2025-11-20", "2025-12-10" },
    /* A past event a report tells of; a plan's steps far apart: none. */
    { "Giải đã diễn ra từ ngày 04/3/2024 đến ngày 14/5/2024.", NULL, NULL },
    { "Bước một: từ ngày 01/2/2025 đến ngày 10/2/2025.\n\nCác đơn vị giới thiệu.\n\nBan Thường trực tổng hợp."
      "\n\nBước hai: từ ngày 17/2/2025 đến ngày 25/2/2025.",
      NULL, NULL },
    { "Không có thời gian.", NULL, NULL },
};

START_TEST(test_period_table)
{
    for (size_t i = 0; i < sizeof period_cases / sizeof *period_cases; i++) {
        tc_doc_t *d = parse_sentence(period_cases[i].sentence, 2025);
        check_str(period_cases[i].sentence, d->period_from, period_cases[i].from);
        check_str(period_cases[i].sentence, d->period_to, period_cases[i].to);
        ck_assert_int_eq(d->n_deadlines, 0);
        tc_doc_free(d);
    }
}
END_TEST

/* ------------------------------------------------------------------ */
/* Headers and signatures built inline.                                 */

START_TEST(test_titled_plan)
{
    tc_doc_t *d = parse("ỦY BAN NHÂN DÂN\n"
                        "THÀNH PHỐ HÀ NỘI\n"
                        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                        "Độc lập - Tự do - Hạnh phúc\n"
                        "---------------\n"
                        "Số: 69/KH-UBND\n"
                        "Hà Nội, ngày 05 tháng 3 năm 2025\n"
                        "\n"
                        "KẾ HOẠCH\n"
                        "Tổ chức các hoạt động hưởng ứng Ngày Sáng tạo\n"
                        "và Đổi mới sáng tạo thế giới năm 2025\n"
                        "\n"
                        "Thực hiện Chỉ thị số 12/CT-TTg ngày 10/2/2025 của Thủ tướng Chính phủ, Ủy ban nhân dân "
                        "Thành phố ban hành Kế hoạch như sau:\n"
                        "\n"
                        "I. MỤC ĐÍCH\n"
                        "\n"
                        "Các đơn vị báo cáo kết quả TRƯỚC NGÀY 10/5.\n"
                        "\n"
                        "TM. ỦY BAN NHÂN DÂN\n"
                        "CHỦ TỊCH\n"
                        "\n"
                        "(Đã ký)\n"
                        "\n"
                        "Trần Văn Bình\n");
    ck_str(d->issuer, "Ủy ban nhân dân thành phố Hà Nội");
    ck_str(d->issuer_parent, NULL);
    ck_str(d->place, "Hà Nội");
    ck_str(d->number, "69");
    ck_str(d->symbol, "KH-UBND");
    ck_str(d->date, "2025-03-05");
    ck_assert_int_eq(d->year, 2025);
    ck_str(d->doc_type, "Kế hoạch");
    ck_str(d->subject, "Tổ chức các hoạt động hưởng ứng Ngày Sáng tạo và Đổi mới sáng tạo thế giới năm 2025");
    ck_assert_int_eq(d->recipients.count, 0);
    ck_assert_int_eq(d->n_deadlines, 1);
    check_deadline(d, 0, "2025-05-10", "Các đơn vị báo cáo kết quả TRƯỚC NGÀY 10/5.");
    ck_assert_int_eq(d->n_references, 1);
    check_ref(d, 0, "Chỉ thị", "12/CT-TTg", "2025-02-10", "Thủ tướng Chính phủ");
    ck_str(d->signer, "Trần Văn Bình");
    ck_str(d->signer_title, "Chủ tịch");
    ck_str(d->signer_authority, "TM. Ủy ban nhân dân");
    ck_str(d->urgency, NULL);
    ck_str(d->secrecy, NULL);
    check_lacks(d, "-----");
    tc_doc_free(d);
}
END_TEST

/* Under a title, "Về việc ..." opens the subject as "V/v" does; in PDF
 * text the subject goes on across blank lines, but the full-width line
 * after it is the body. */
/* The place as the document writes it: a dashed name whole, the tone
 * where the document put it; a province or centrally-run city by its name,
 * one spelling however the date line writes it. */
START_TEST(test_place_as_written)
{
    static const struct {
        const char *line, *place;
    } cases[] = {
        { "Bà Rịa - Vũng Tàu, ngày 2 tháng 5 năm 2025", "Bà Rịa - Vũng Tàu" },
        { "Bà Rịa – Vũng Tàu, ngày 2 tháng 5 năm 2025", "Bà Rịa - Vũng Tàu" },
        { "TP. Hồ Chí Minh, ngày 2 tháng 5 năm 2025", "Hồ Chí Minh" },
        { "Thành phố Hồ Chí Minh, ngày 2 tháng 5 năm 2025", "Hồ Chí Minh" },
        { "Khánh Hoà, ngày 2 tháng 5 năm 2025", "Khánh Hòa" },
        { "Phú Thuỷ, ngày 25 tháng 11 năm 2023", "Phú Thuỷ" },
        { "Phú Thủy, ngày 25 tháng 11 năm 2023", "Phú Thủy" },
        { "Độc lập - Tự do - Hạnh phúc - Hà Nội, ngày 2 tháng 5 năm 2025", "Hà Nội" },
        { "Số: 3/UBND - Chi Lăng, ngày 2 tháng 5 năm 2025", "Chi Lăng" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char text[512];
        snprintf(text, sizeof text, "%s\n\nV/v thử\n\nKính gửi: Các đơn vị.\n\nNội dung.\n", cases[i].line);
        tc_doc_t *d = parse(text);
        check_str(cases[i].line, d->place, cases[i].place);
        tc_doc_free(d);
    }
}
END_TEST

START_TEST(test_titled_subject)
{
    tc_doc_t *d = parse("UBND TỈNH BẮC GIANG\nSỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN\n\nSố: 3419/QĐ-SNN\n\n"
                        "Bắc Giang, ngày 24 tháng 01 năm 2022\n\nQUYẾT ĐỊNH\n\n"
                        "Về việc phê duyệt Kế hoạch chủ động phòng, chống\ndịch bệnh mùa hè năm 2022\n\n"
                        "GIÁM ĐỐC SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN\n\n"
                        "Căn cứ Công văn số 5409/BYT-KCB ngày 26/12/2021 của Bộ Y tế;\n");
    ck_str(d->doc_type, "Quyết định");
    ck_str(d->subject, "phê duyệt Kế hoạch chủ động phòng, chống dịch bệnh mùa hè năm 2022");
    tc_doc_free(d);

    d = parse("UBND TỈNH CÀ MAU \n\nSỞ NỘI VỤ \n\nSố: 78/KH-SNV \n\nCà Mau, ngày 17 tháng 3 năm 2017 \n\n"
              "KẾ HOẠCH \n\n"
              "Bảo đảm cung ứng vắc xin trong Chương trình tiêm chủng mở rộng năm 2017 \n \n"
              "Thời gian gần đây, số ca mắc bệnh sởi, ho gà có xu hướng gia tăng tại một số \n\n"
              "địa phương, chủ yếu ở trẻ chưa được tiêm chủng hoặc tiêm chưa đủ mũi. Tỷ lệ \n\n"
              "tiêm chủng đầy đủ cho trẻ dưới một tuổi trên địa bàn tỉnh chưa đạt chỉ tiêu đề \n\n"
              "ra, một số vùng khó khăn còn tồn tại vùng lõm tiêm chủng. \n\n"
              "Nhằm triển khai thực hiện kịp thời, hiệu quả các nhiệm vụ được giao, bảo đảm \n\n"
              "đúng tiến độ, chất lượng, Sở Nội vụ đề nghị các cơ quan, đơn vị quan tâm thực \n\n"
              "hiện một số nội dung sau. \n\n1. Rà soát đối tượng tiêm chủng trên địa bàn. \n\n"
              "2. Báo cáo kết quả về Sở Nội vụ để tổng hợp. \n");
    ck_str(d->doc_type, "Kế hoạch");
    ck_str(d->subject, "Bảo đảm cung ứng vắc xin trong Chương trình tiêm chủng mở rộng năm 2017");
    tc_doc_free(d);
}
END_TEST

/* The subject stops where the title block stops: at the issuing
 * authority, the legal grounds, the end of the capitals; the title's type
 * wins over a V/v line under it. */
START_TEST(test_title_block)
{
    /* Scraped markdown: the subject's lines, a blank line, the authority. */
    tc_doc_t *d = parse("Số: 2813/QĐ-UBND\n\nĐồng Nai, ngày 20 tháng 11 năm 2025\n\n**QUYẾT ĐỊNH**\n\nVỀ\n"
                        "VIỆC THÔNG QUA PHƯƠNG ÁN ĐƠN GIẢN HÓA THỦ TỤC HÀNH CHÍNH CẤP XÃ LĨNH VỰC NÔNG\n"
                        "NGHIỆP VÀ MÔI TRƯỜNG\n\n**CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH**\n\n"
                        "*Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;*\n");
    ck_str(d->doc_type, "Quyết định");
    ck_str(d->subject, "THÔNG QUA PHƯƠNG ÁN ĐƠN GIẢN HÓA THỦ TỤC HÀNH CHÍNH CẤP XÃ LĨNH VỰC NÔNG NGHIỆP VÀ MÔI TRƯỜNG");
    tc_doc_free(d);

    /* PDF text without blank lines: the authority before its grounds. */
    d = parse("Số: 2500/QĐ-TTg\nHà Nội, ngày 17 tháng 11 năm 2025\nQUYẾT ĐỊNH\n"
              "BAN HÀNH DANH MỤC BÍ MẬT NHÀ NƯỚC LĨNH VỰC TỔ CHỨC, CÁN BỘ,\nLAO ĐỘNG VÀ XÃ HỘI\n"
              "THỦ TƯỚNG CHÍNH PHỦ\nCăn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025;\n");
    ck_str(d->subject, "BAN HÀNH DANH MỤC BÍ MẬT NHÀ NƯỚC LĨNH VỰC TỔ CHỨC, CÁN BỘ, LAO ĐỘNG VÀ XÃ HỘI");
    tc_doc_free(d);

    /* A plan's subject in capitals, straight into the first paragraph. */
    d = parse("Số: 1026/KH-UBND\n\nNghệ An, ngày 26 tháng 11 năm 2025\n\nKẾ HOẠCH\n\nTRIỂN KHAI THỰC HIỆN\n"
              "CHỈ THỊ SỐ 32/CT-TTG VỀ BẢO VỆ BÍ MẬT NHÀ NƯỚC\n\n"
              "Thực hiện Chỉ thị số 32/CT-TTg ngày 21/10/2025 của Thủ tướng Chính phủ, UBND tỉnh\n"
              "ban hành Kế hoạch triển khai thực hiện như sau:\n");
    ck_str(d->doc_type, "Kế hoạch");
    ck_str(d->subject, "TRIỂN KHAI THỰC HIỆN CHỈ THỊ SỐ 32/CT-TTG VỀ BẢO VỆ BÍ MẬT NHÀ NƯỚC");
    tc_doc_free(d);

    /* A V/v line under a title: the title says the type. */
    d = parse("Số: 0129/KH-UBND\n\nĐắk Lắk, ngày 21 tháng 11 năm 2025\n\n**KẾ HOẠCH**\n\n"
              "V/V HỖ TRỢ NHU YẾU PHẨM KHẨN CẤP CHO NHÂN DÂN\nBỊ ẢNH HƯỞNG MƯA LŨ\n\nCăn cứ Nghị định số\n"
              "200/2023/NĐ-CP ngày 28/12/2023 của Chính phủ;\n");
    ck_str(d->doc_type, "Kế hoạch");
    ck_str(d->subject, "HỖ TRỢ NHU YẾU PHẨM KHẨN CẤP CHO NHÂN DÂN BỊ ẢNH HƯỞNG MƯA LŨ");
    tc_doc_free(d);

    /* A subject naming the country is no motto. */
    d = parse("Số: 1625/QĐ-UBND\n\nThạch An, ngày 6 tháng 7 năm 2015\n\nQUYẾT ĐỊNH\n\n"
              "Ban hành Kế hoạch hưởng ứng Ngày Pháp luật nước\nCộng hòa xã hội chủ nghĩa Việt Nam năm 2015\n\n"
              "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN THẠCH AN\n\nCăn cứ Luật Tổ chức chính quyền địa phương;\n");
    ck_str(d->subject, "Ban hành Kế hoạch hưởng ứng Ngày Pháp luật nước Cộng hòa xã hội chủ nghĩa Việt Nam năm 2015");
    tc_doc_free(d);

    /* A paragraph a line (DOCX): short lines across blank lines, then the
     * body's first paragraph. */
    d = parse("Số: 526 BC/TWĐTN\n\nHà Nội, ngày 7 tháng 8 năm 2017\n\nBÁO CÁO\n\nKết quả phối hợp hoạt động\n\n"
              "giữa ngành Giáo dục với Đoàn TNCS Hồ Chí Minh\n\nNăm học 2016 – 2017\n\n\n\n"
              "Thực hiện Chương trình phối hợp số 861/CTr ngày 28/11/2016 giữa ngành Giáo dục với Đoàn TNCS Hồ "
              "Chí Minh năm học 2016 – 2017, hai ngành đã triển khai các nội dung sau.\n");
    ck_str(d->doc_type, "Báo cáo");
    ck_str(d->subject, "Kết quả phối hợp hoạt động giữa ngành Giáo dục với Đoàn TNCS Hồ Chí Minh Năm học 2016 – 2017");
    tc_doc_free(d);

    /* PDF text without blank lines: a subject in normal case, then the
     * body's first paragraph; a line ending on "và" goes on. */
    d = parse("Số: 173/KH-UBND\nHà Nội, ngày 28 tháng 4 năm 2026\nKẾ HOẠCH\nTổ chức Festival Thăng Long - Hà Nội và\n"
              "Lễ hội Xuân năm 2026\nThực hiện Nghị quyết số 02-NQ/TW ngày 17/3/2026 của Bộ Chính trị về Xây\n"
              "dựng và phát triển Thủ đô, UBND Thành phố ban hành Kế hoạch như sau:\n");
    ck_str(d->subject, "Tổ chức Festival Thăng Long - Hà Nội và Lễ hội Xuân năm 2026");
    tc_doc_free(d);

    /* A law: its title, its name, the grounds. */
    d = parse("QUỐC HỘI\n--------\nLuật số: 72/2020/QH14\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\nLUẬT\n\n"
              "BẢO VỆ MÔI TRƯỜNG\n\nCăn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\n");
    ck_str(d->doc_type, "Luật");
    ck_str(d->subject, "BẢO VỆ MÔI TRƯỜNG");
    tc_doc_free(d);

    /* A title with a number of its own. */
    d = parse("Số: 03 TB/TWĐTN\n\nHà Nội, ngày 26 tháng 12 năm 2022\n\nTHÔNG BÁO SỐ 01\n"
              "Cuộc thi nhảy “Lead with Lof dance festival” năm 2022\n\n\n"
              "Thực hiện Kế hoạch số 580 KH/TWĐTN ngày 28 tháng 10 năm 2022 của Ban Bí thư Trung ương Đoàn về "
              "việc tổ chức Chương trình, Ban tổ chức đã nhận được 167 bài dự thi.\n");
    ck_str(d->doc_type, "Thông báo");
    ck_str(d->subject, "Cuộc thi nhảy “Lead with Lof dance festival” năm 2022");
    tc_doc_free(d);
}
END_TEST

/* A công văn's V/v line in quotes, or in the number's cell of a flattened
 * header table; a symbol opening with the body's code. */
START_TEST(test_vv_forms)
{
    tc_doc_t *d = parse("BAN CHẤP HÀNH TRUNG ƯƠNG\n\nSố:             CV/TWĐTNBTC\n“V/v triệu tập Hội nghị cán bộ chủ chốt\n"
                        "của Đoàn TNCS Hồ Chí Minh”\n\nĐOÀN TNCS HỒ CHÍ MINH\n\nHà Nội, ngày 1 tháng 10 năm 2022\n\n"
                        "Kính gửi: Các đồng chí Ủy viên Ban Chấp hành\n");
    ck_str(d->doc_type, "Công văn");
    ck_str(d->subject, "triệu tập Hội nghị cán bộ chủ chốt của Đoàn TNCS Hồ Chí Minh");
    tc_doc_free(d);

    d = parse("| BỘ Y TẾ | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n|---|---|\n"
              "| Số: 2638/BYT-KHTC V/v xây dựng dự toán năm 2020 | Hà Nội, ngày 03 tháng 7 năm 2019 |\n\n"
              "Kính gửi: Sở Y tế các tỉnh\n");
    ck_str(d->doc_type, "Công văn");
    ck_str(d->subject, "xây dựng dự toán năm 2020");
    tc_doc_free(d);

    d = parse("Số: 12/UBND-VP\n\nHà Nội, ngày 3 tháng 7 năm 2019\n\nKính gửi: Sở Y tế\n");
    ck_str(d->doc_type, "Công văn");
    ck_str(d->subject, NULL);
    tc_doc_free(d);

    /* The label written out in full. */
    d = parse("Số: 12/UBND-VP\nVề việc: góp ý dự thảo quy chế\n\nHà Nội, ngày 3 tháng 7 năm 2019\n\n"
              "Kính gửi: Sở Y tế\n");
    ck_str(d->doc_type, "Công văn");
    ck_str(d->subject, "góp ý dự thảo quy chế");
    tc_doc_free(d);
}
END_TEST

/* The main fields not found are named, in their order. */
START_TEST(test_missing)
{
    /* The seeds leave their numbers blank, as copies before signing do. */
    for (size_t i = 0; i < 5; i++)
        ck_list(seeds[i]->missing, "number");

    tc_doc_t *d = parse("");
    ck_list(d->missing, "issuer", "number", "symbol", "date", "doc_type", "subject", "signer");
    tc_doc_free(d);

    d = parse("Số: 12/UBND-VP\n\nHà Nội, ngày 3 tháng 7 năm 2019\n\nKính gửi: Sở Y tế\n");
    ck_list(d->missing, "subject", "signer");
    tc_doc_free(d);
}
END_TEST

/* Who may see a dispatch, from the marks of its header: secrecy first,
 * then circulation, as offices write them. */
START_TEST(test_access_from_marks)
{
    const struct {
        const char *mark;
        const char *secrecy, *circulation;
        tc_access_t access;
    } cases[] = {
        { "", NULL, NULL, TC_ACCESS_PUBLIC },
        { "LƯU HÀNH NỘI BỘ\n", NULL, "Lưu hành nội bộ", TC_ACCESS_STAFF },
        { "(Lưu hành nội bộ)\n", NULL, "Lưu hành nội bộ", TC_ACCESS_STAFF },
        { "TÀI LIỆU LƯU HÀNH NỘI BỘ\n", NULL, "Lưu hành nội bộ", TC_ACCESS_STAFF },
        { "Tài liệu nội bộ\n", NULL, "Lưu hành nội bộ", TC_ACCESS_STAFF },
        { "XEM XONG TRẢ LẠI\n", NULL, "Xem xong trả lại", TC_ACCESS_STAFF },
        { "MẬT\nXEM XONG TRẢ LẠI\n", "Mật", "Xem xong trả lại", TC_ACCESS_MAT },
        { "Độ mật: Tối mật\n", "Tối mật", NULL, TC_ACCESS_TOI_MAT },
        { "TUYỆT MẬT\n", "Tuyệt mật", NULL, TC_ACCESS_TUYET_MAT },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *text = NULL;
        ck_assert_int_ge(asprintf(&text,
                                  "UBND TỈNH LAI CHÂU\nSỞ NỘI VỤ\n%sSố: 7/SNV-VP\nLai Châu, ngày 2 tháng 3 năm 2026\n"
                                  "V/v rà soát biên chế\nKính gửi: Các sở, ngành.\n\nĐề nghị rà soát.\n",
                                  cases[i].mark),
                         0);
        tc_doc_t *d = parse(text);
        ck_str(d->secrecy, cases[i].secrecy);
        ck_str(d->circulation, cases[i].circulation);
        ck_assert_msg(d->access == cases[i].access, "\"%s\": access %s", cases[i].mark, tc_access_name(d->access));
        ck_str(d->subject, "rà soát biên chế");
        tc_doc_free(d);
        free(text);
    }
    /* A sentence of the body that speaks of internal circulation is no mark. */
    tc_doc_t *d = parse("SỞ NỘI VỤ\nSố: 7/SNV-VP\nV/v quy chế\nKính gửi: Các phòng.\n\n"
                        "Quy chế này lưu hành nội bộ trong cơ quan.\n");
    ck_str(d->circulation, NULL);
    ck_assert_int_eq(d->access, TC_ACCESS_PUBLIC);
    tc_doc_free(d);
}
END_TEST

START_TEST(test_urgent_secret)
{
    tc_doc_t *d = parse("UBND TỈNH LAI CHÂU\n"
                        "SỞ Y TẾ\n"
                        "MẬT\n"
                        "Số: 12/SYT-NVY\n"
                        "HỎA TỐC\n"
                        "Lai Châu, ngày 1 tháng 6 năm 2025\n"
                        "V/v phòng, chống dịch bệnh\n"
                        "Kính gửi: Trung tâm Y tế các huyện; Bệnh viện Đa khoa tỉnh.\n"
                        "\n"
                        "Đề nghị các đơn vị triển khai ngay. Hạn chót nộp báo cáo là ngày 15/6/2025.\n"
                        "\n"
                        "GIÁM ĐỐC\n"
                        "\n"
                        "NGUYỄN THỊ HỒNG VÂN\n");
    ck_str(d->urgency, "Hỏa tốc");
    ck_str(d->secrecy, "Mật");
    ck_str(d->issuer, "Sở Y tế tỉnh Lai Châu");
    ck_str(d->issuer_parent, "Ủy ban nhân dân tỉnh Lai Châu");
    ck_str(d->number, "12");
    ck_str(d->symbol, "SYT-NVY");
    ck_str(d->date, "2025-06-01");
    ck_str(d->doc_type, "Công văn");
    ck_str(d->subject, "phòng, chống dịch bệnh");
    ck_list(d->recipients, "Trung tâm Y tế các huyện", "Bệnh viện Đa khoa tỉnh");
    ck_assert_int_eq(d->n_deadlines, 1);
    check_deadline(d, 0, "2025-06-15", "Hạn chót nộp báo cáo là ngày 15/6/2025.");
    /* An ALL-CAPS name, and a title with no authority line. */
    ck_str(d->signer, "Nguyễn Thị Hồng Vân");
    ck_str(d->signer_title, "Giám đốc");
    ck_str(d->signer_authority, NULL);
    tc_doc_free(d);

    /* The same words inside sentences are no marks. */
    d = parse("Số: 1/UBND\nV/v khẩn trương triển khai\nKính gửi: Các xã.\n\nViệc này cần làm khẩn, hỏa tốc.\n");
    ck_str(d->urgency, NULL);
    ck_str(d->secrecy, NULL);
    tc_doc_free(d);

    d = parse("Số: 1/UBND\nĐộ khẩn: Thượng khẩn\nĐộ mật: Tối mật\nV/v x\nKính gửi: Các xã.\n\nNội dung.\n");
    ck_str(d->urgency, "Thượng khẩn");
    ck_str(d->secrecy, "Tối mật");
    tc_doc_free(d);
}
END_TEST

START_TEST(test_signatures)
{
    /* Signature before the Nơi nhận list, with other authorities. */
    tc_doc_t *d = parse("Số: 5/STC-VP\nV/v x\nKính gửi: Các sở.\n\nNội dung./.\n\n"
                        "TL. GIÁM ĐỐC\nCHÁNH VĂN PHÒNG\n\nLê Minh Đức\n\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n");
    ck_str(d->signer, "Lê Minh Đức");
    ck_str(d->signer_title, "Chánh Văn phòng");
    ck_str(d->signer_authority, "TL. Giám đốc");
    tc_doc_free(d);

    d = parse("Số: 5/BKHCN-VP\nV/v x\nKính gửi: Các sở.\n\nNội dung./.\n\nNơi nhận:\n- Như trên;\n\n"
              "KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n\n**Hoàng Minh**\n");
    ck_str(d->signer, "Hoàng Minh");
    ck_str(d->signer_title, "Thứ trưởng");
    ck_str(d->signer_authority, "KT. Bộ trưởng");
    ck_str(d->issuer, "Bộ Khoa học và Công nghệ");
    tc_doc_free(d);

    /* Two-column PDF: the signature merged into the Nơi nhận list. */
    d = parse("Số: 5/SYT-VP\nV/v x\nKính gửi: Các đơn vị.\n\nNội dung./.\n\nNơi nhận: KT. GIÁM ĐỐC\n"
              "- Như trên; PHÓ GIÁM ĐỐC\n- Lưu: VT.\n\nTrần Văn Tuấn\n");
    ck_str(d->signer, "Trần Văn Tuấn");
    ck_str(d->signer_title, "Phó Giám đốc");
    ck_str(d->signer_authority, "KT. Giám đốc");
    tc_doc_free(d);

    /* Party style. */
    d = parse("ĐẢNG BỘ TỈNH THÁI NGUYÊN\nĐẢNG ỦY XÃ BÌNH THÀNH\n*\nĐẢNG CỘNG SẢN VIỆT NAM\n\nSố: 15-TB/ĐU\n"
              "Bình Thành, ngày 3 tháng 4 năm 2025\n\nTHÔNG BÁO\nKết luận của Ban Thường vụ Đảng ủy\n\n"
              "Ngày 1/4/2025, Ban Thường vụ họp.\n\nT/M BAN THƯỜNG VỤ\nBÍ THƯ\n\nHoàng Văn Nam\n");
    ck_str(d->issuer, "Đảng ủy xã Bình Thành");
    ck_str(d->issuer_parent, "Đảng bộ tỉnh Thái Nguyên");
    ck_str(d->number, "15");
    ck_str(d->symbol, "TB/ĐU");
    ck_str(d->doc_type, "Thông báo");
    ck_str(d->subject, "Kết luận của Ban Thường vụ Đảng ủy");
    ck_str(d->signer, "Hoàng Văn Nam");
    ck_str(d->signer_title, "Bí thư");
    ck_str(d->signer_authority, "T/M Ban Thường vụ");
    tc_doc_free(d);

    /* A title line but no name after it. */
    d = parse("Số: 5/UBND\nV/v x\nKính gửi: Các xã.\n\nNội dung./.\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n");
    ck_str(d->signer, NULL);
    ck_str(d->signer_title, "Phó Chủ tịch");
    ck_str(d->signer_authority, "KT. Chủ tịch");
    tc_doc_free(d);
}
END_TEST

static const struct {
    const char *header; /* lines before "Số:" */
    const char *place;
    const char *symbol;
    const char *issuer, *parent;
} issuer_cases[] = {
    /* A Party committee takes its place's name; its departments, and any
     * body's office, are named by their committee. */
    { "TỈNH ỦY QUẢNG NINH\nBAN TUYÊN GIÁO\n", "Hạ Long", "HD-BTGTU", "Ban Tuyên giáo Tỉnh ủy Quảng Ninh",
      "Tỉnh ủy Quảng Ninh" },
    { "HUYỆN ỦY THANH SƠN\nVĂN PHÒNG\n", "Thanh Sơn", "VPHU", "Văn phòng Huyện ủy Thanh Sơn", "Huyện ủy Thanh Sơn" },
    { "BAN CHẤP HÀNH TRUNG ƯƠNG\nVĂN PHÒNG ĐẢNG CỘNG SẢN VIỆT NAM\n", "Hà Nội", "HD/VPTW",
      "Văn phòng Trung ương Đảng", "Ban Chấp hành Trung ương" },
    { "BAN CHẤP HÀNH TRUNG ƯƠNG\nBAN TUYÊN GIÁO\n", "Hà Nội", "HD/BTGTW", "Ban Tuyên giáo Trung ương",
      "Ban Chấp hành Trung ương" },
    { "UBND TỈNH LAI CHÂU\nVĂN PHÒNG\n", "Lai Châu", "VP-TH", "Văn phòng Ủy ban nhân dân tỉnh Lai Châu",
      "Ủy ban nhân dân tỉnh Lai Châu" },
    { "ỦY BAN NHÂN DÂN\nHUYỆN CHI LĂNG\n", "Chi Lăng", "UBND-VP", "Ủy ban nhân dân huyện Chi Lăng", NULL },
    /* A name wrapped by a narrow PDF column where its next line opens
     * with a word that alone would open a body ("Hội", "Phòng"). */
    { "UBND TỈNH ĐẮK NÔNG\nSỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ\nHỘI\n", "Đắk Nông", "SLĐTBXH",
      "Sở Lao động - Thương binh và Xã hội tỉnh Đắk Nông", "Ủy ban nhân dân tỉnh Đắk Nông" },
    { "UBND THÀNH PHỐ HẢI PHÒNG\nSỞ NỘI VỤ THÀNH PHỐ HẢI\nPHÒNG\n", "Hải Phòng", "SNV-TCBC",
      "Sở Nội vụ thành phố Hải Phòng", "Ủy ban nhân dân thành phố Hải Phòng" },
    /* A department of a committee, on the line after it, is no wrap. */
    { "UBND HUYỆN CHI LĂNG\nPHÒNG GIÁO DỤC VÀ ĐÀO TẠO\n", "Chi Lăng", "PGDĐT",
      "Phòng Giáo dục và Đào tạo huyện Chi Lăng", "Ủy ban nhân dân huyện Chi Lăng" },
    { "UBND TỈNH LAI CHÂU CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSỞ KHOA HỌC VÀ CÔNG NGHỆ Độc lập - Tự do - Hạnh "
      "phúc\n",
      "Lai Châu", "SKHCN-VP", "Sở Khoa học và Công nghệ tỉnh Lai Châu", "Ủy ban nhân dân tỉnh Lai Châu" },
    { "UBND TỈNH AN GIANG\nBAN QUẢN LÝ KHU KINH TẾ\n", "An Giang", "BQLKKT-VP", "Ban Quản lý Khu kinh tế tỉnh An Giang",
      "Ủy ban nhân dân tỉnh An Giang" },
    { "UBND HUYỆN CHI LĂNG\nPHÒNG VĂN HÓA VÀ THÔNG TIN\n", "Chi Lăng", "VHTT", "Phòng Văn hóa và Thông tin huyện Chi Lăng",
      "Ủy ban nhân dân huyện Chi Lăng" },
    { "SỞ GIÁO DỤC VÀ ĐÀO TẠO\nTỈNH THÁI NGUYÊN\n", "Thái Nguyên", "SGDĐT-VP",
      "Sở Giáo dục và Đào tạo tỉnh Thái Nguyên", NULL },
    { "UBND TỈNH LẠNG SƠN\nSỞ Y TẾ\nCHI CỤC AN TOÀN VỆ SINH THỰC PHẨM\n", "Lạng Sơn", "CCATVSTP",
      "Chi cục An toàn vệ sinh thực phẩm tỉnh Lạng Sơn", "Sở Y tế tỉnh Lạng Sơn" },
    { "BỘ KHOA HỌC VÀ CÔNG NGHỆ\n", "Hà Nội", "BKHCN-ĐMST", "Bộ Khoa học và Công nghệ", NULL },
    { "UỶ BAN NHÂN DÂN\nQUẬN BA ĐÌNH\n", "Ba Đình", "UBND-VP", "Ủy ban nhân dân quận Ba Đình", NULL },
    { "UBND TỈNH BÀ RỊA - VŨNG TÀU\nSỞ Y TẾ\n", "Bà Rịa - Vũng Tàu", "SYT-NVY", "Sở Y tế tỉnh Bà Rịa - Vũng Tàu",
      "Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu" },
    /* A name in normal case wrapped mid-phrase. */
    { "UBND tỉnh Hải Dương\nSở Lao động - Thương binh\nvà Xã hội\n", "Hải Dương", "SLĐTBXH-NCC",
      "Sở Lao động - Thương binh và Xã hội tỉnh Hải Dương", "Ủy ban nhân dân tỉnh Hải Dương" },
    { "Bộ Nông nghiệp\nvà Phát triển nông thôn\n", "Hà Nội", "KH-BNN", "Bộ Nông nghiệp và Phát triển nông thôn",
      NULL },
    /* A scan of a signed dispatch: OCR glued the signer's stamp's time to
     * the header's lines. */
    { "ỦY BAN NHÂN DÂN  CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM +07:00\nTỈNH QUẢNG NGÃI  Độc lập - Tự do - Hạnh phúc\n",
      "Quảng Ngãi", "BC-UBND", "Ủy ban nhân dân tỉnh Quảng Ngãi", NULL },
    { "SỞ Y TẾ 26.11.2024 13:45:56 +07:00\nTỈNH KIÊN GIANG\n", "Kiên Giang", "TB-SYT", "Sở Y tế tỉnh Kiên Giang", NULL },
    /* A province's name inside a body's, cased as the place, and no
     * locality after it. */
    { "UBND TỈNH AN GIANG\nTRƯỜNG ĐẠI HỌC AN GIANG\n", "An Giang", "QĐ-ĐHAG", "Trường Đại học An Giang",
      "Ủy ban nhân dân tỉnh An Giang" },
    { "UBND TỈNH BÀ RỊA - VŨNG TÀU\nTRƯỜNG CAO ĐẲNG BÀ RỊA - VŨNG TÀU\n", "Vũng Tàu", "QĐ-CĐ",
      "Trường Cao đẳng Bà Rịa - Vũng Tàu", "Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu" },
    /* A ministry's department is known by the ministry; a general
     * department, or a department with a locality, alone. */
    { "BỘ GIÁO DỤC VÀ ĐÀO TẠO\nCỤC QUẢN LÝ CHẤT LƯỢNG\n", "Hà Nội", "QLCL-KĐCLGD",
      "Cục Quản lý chất lượng Bộ Giáo dục và Đào tạo", "Bộ Giáo dục và Đào tạo" },
    { "BỘ TÀI CHÍNH\nTỔNG CỤC THUẾ\n", "Hà Nội", "TCT-TTHT", "Tổng cục Thuế", "Bộ Tài chính" },
    { "TỔNG CỤC THUẾ\nCỤC THUẾ TỈNH LAI CHÂU\n", "Lai Châu", "CT-TTHT", "Cục Thuế tỉnh Lai Châu", "Tổng cục Thuế" },
    /* A body alone, placed by the place line. */
    { "SỞ Y TẾ\n", "Lai Châu", "SYT-NVY", "Sở Y tế tỉnh Lai Châu", NULL },
    { "SỞ Y TẾ\n", "Bà Rịa - Vũng Tàu", "SYT-NVY", "Sở Y tế tỉnh Bà Rịa - Vũng Tàu", NULL },
    /* No header: from the symbol and the place. */
    { "", "An Giang", "BQLKKT-VP", "Ban Quản lý Khu kinh tế tỉnh An Giang", NULL },
    { "", "Lai Châu", "SKHCN-QL", "Sở Khoa học và Công nghệ tỉnh Lai Châu", NULL },
    { "", "Hà Nội", "SGDĐT-GDTrH", "Sở Giáo dục và Đào tạo thành phố Hà Nội", NULL },
    { "", "Thái Nguyên", "KH-UBND", "Ủy ban nhân dân tỉnh Thái Nguyên", NULL },
    { "", "Hà Nội", "BKHCN-VP", "Bộ Khoa học và Công nghệ", NULL },
    { "", "Chi Lăng", "UBND-KTHT", "Ủy ban nhân dân huyện Chi Lăng", NULL }, /* "huyện Chi Lăng" in the body */
    /* Ministries' own codes. */
    { "", "Hà Nội", "BNN-TY", "Bộ Nông nghiệp và Phát triển nông thôn", NULL },
    { "", "Hà Nội", "LĐTBXH-ATLĐ", "Bộ Lao động - Thương binh và Xã hội", NULL },
    { "", "Hải Dương", "SNN-VP", "Sở Nông nghiệp và Phát triển nông thôn tỉnh Hải Dương", NULL },
    { "", "Hà Nội", "XYZ-VP", NULL, NULL },
};

START_TEST(test_issuer_table)
{
    for (size_t i = 0; i < sizeof issuer_cases / sizeof *issuer_cases; i++) {
        char text[1024];
        snprintf(text, sizeof text,
                 "%s\nSố: 3/%s\n%s, ngày 2 tháng 5 năm 2025\n\nV/v thử\n\nKính gửi: Các đơn vị.\n\n"
                 "Đề nghị các đơn vị trên địa bàn huyện Chi Lăng thực hiện.\n",
                 issuer_cases[i].header, issuer_cases[i].symbol, issuer_cases[i].place);
        tc_doc_t *d = parse(text);
        check_str(issuer_cases[i].header, d->issuer, issuer_cases[i].issuer);
        check_str(issuer_cases[i].header, d->issuer_parent, issuer_cases[i].parent);
        check_str("place", d->place, issuer_cases[i].place);
        tc_doc_free(d);
    }
}
END_TEST

/* An act whose header OCR lost (a DOCX made from a scan): the authority
 * line above its grounds names the issuer, or its head with the title
 * before the body's name. */
START_TEST(test_authority_line)
{
    static const char *const cases[][2] = {
        { "HIỆU TRƯỞNG TRƯỜNG ĐẠI HỌC AN GIANG", "Trường Đại học An Giang" },
        { "TRƯỞNG BAN BAN DÂN TỘC TỈNH TUYÊN QUANG", "Ban Dân tộc tỉnh Tuyên Quang" },
        { "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH AN GIANG", "Ủy ban nhân dân tỉnh An Giang" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char text[512];
        snprintf(text, sizeof text, "Số: 144/QĐ-XYZ\nQUYẾT ĐỊNH\nVề việc ban hành quy định\n%s\nCăn cứ Luật;\n",
                 cases[i][0]);
        tc_doc_t *d = parse(text);
        check_str(cases[i][0], d->issuer, cases[i][1]);
        tc_doc_free(d);
    }
}
END_TEST

START_TEST(test_recipients_and_quotes)
{
    tc_doc_t *d = parse("Số: 2/UBND-VX\nV/v x\n\nKính gửi:\n\n- Sở Y tế;\n+ Sở Giáo dục và Đào tạo;\n"
                        "- Ủy ban nhân dân các huyện, thành phố; Ban Quản lý Khu kinh tế./.\n\n"
                        "Thực hiện Chương trình “Chuyển đổi số” của tỉnh, đề nghị như sau:\n\n"
                        "a) Chủ đề năm nay:\n\n“Chủ đề một”;\n\n- “Chủ đề hai”.\n\n"
                        "b) Khẩu hiệu: “Khẩu hiệu một”; “Khẩu hiệu hai”.\n\n"
                        "c) Nội dung khác.\n\n“Không phải khẩu hiệu”\n\n"
                        "Khẩu hiệu:\n\n“Chưa đóng ngoặc\n\n“Sau dòng hỏng”\n");
    ck_list(d->recipients, "Sở Y tế", "Sở Giáo dục và Đào tạo", "Ủy ban nhân dân các huyện, thành phố",
            "Ban Quản lý Khu kinh tế");
    ck_list(d->themes, "Chủ đề một", "Chủ đề hai");
    ck_list(d->slogans, "Khẩu hiệu một", "Khẩu hiệu hai");
    tc_doc_free(d);
    /* Without bullets, one under the other as a PDF gives them; the body's
     * first sentence, which starts as a recipient does, is none. */
    d = parse("Số: 3/TWĐTN-VP\nV/v y\n\nKính gửi:  Ban Thường vụ các tỉnh, thành đoàn, đoàn trực thuộc\n\n"
              "Ban Thư ký Hội liên hiệp thanh niên các tỉnh, thành phố\n\n"
              "Ban Bí thư Trung ương Đoàn đề nghị các tỉnh, thành đoàn triển khai\nngay các nội dung sau.\n");
    ck_list(d->recipients, "Ban Thường vụ các tỉnh, thành đoàn, đoàn trực thuộc",
            "Ban Thư ký Hội liên hiệp thanh niên các tỉnh, thành phố");
    tc_doc_free(d);
}
END_TEST

START_TEST(test_references)
{
    tc_doc_t *d = parse_sentence(
        "Căn cứ Luật số 93/2025/QH15; Căn cứ Nghị định số 12/2024/NĐ-CP ngày 5 tháng 2 năm 2024 của Chính phủ "
        "quy định chi tiết; thực hiện Quyết định số 150/QĐ-UBND ngày 10/1/2025 của UBND tỉnh Lai Châu, Thông "
        "báo số 7/TB-VP của Văn phòng UBND tỉnh (kèm theo) và Công văn số 99/SYT-NVY ngày 3/3 của Sở Y tế gửi "
        "các đơn vị. Nhắc lại Quyết định số 150/QĐ-UBND của UBND tỉnh Lai Châu.",
        2025);
    ck_assert_int_eq(d->n_references, 5);
    check_ref(d, 0, "Luật", "93/2025/QH15", NULL, NULL);
    check_ref(d, 1, "Nghị định", "12/2024/NĐ-CP", "2024-02-05", "Chính phủ");
    check_ref(d, 2, "Quyết định", "150/QĐ-UBND", "2025-01-10", "UBND tỉnh Lai Châu");
    check_ref(d, 3, "Thông báo", "7/TB-VP", NULL, "Văn phòng UBND tỉnh");
    check_ref(d, 4, "Công văn", "99/SYT-NVY", "2025-03-03", "Sở Y tế");
    tc_doc_free(d);

    /* Issuers that contain stop words folded ("Tài chính", "Chợ Mới", "Đà Nẵng"). */
    d = parse_sentence("Thực hiện Công văn số 5/BTC-HCSN ngày 1/2/2025 của Bộ Tài chính về việc A; Công văn số "
                       "6/UBND ngày 2/2/2025 của UBND huyện Chợ Mới; Công văn số 7/UBND của UBND thành phố Đà "
                       "Nẵng.",
                       2025);
    ck_assert_int_eq(d->n_references, 3);
    check_ref(d, 0, "Công văn", "5/BTC-HCSN", "2025-02-01", "Bộ Tài chính");
    check_ref(d, 1, "Công văn", "6/UBND", "2025-02-02", "UBND huyện Chợ Mới");
    check_ref(d, 2, "Công văn", "7/UBND", NULL, "UBND thành phố Đà Nẵng");
    tc_doc_free(d);

    /* A hyphen typed with spaces before the issuing body's abbreviation is
     * the number's; before anything else, a dash. */
    d = parse_sentence("Thực hiện Thông tư số 21/2025/TT - BNV ngày 12/10/2025 và Kế hoạch số 12/KH-UBND - kế "
                       "hoạch năm 2025.",
                       2025);
    ck_assert_int_eq(d->n_references, 2);
    check_ref(d, 0, "Thông tư", "21/2025/TT - BNV", "2025-10-12", NULL);
    check_ref(d, 1, "Kế hoạch", "12/KH-UBND", NULL, NULL);
    tc_doc_free(d);
}
END_TEST

/* Laws cited by name ("Luật <tên> số ..."), and citations without "số". */
START_TEST(test_references_named_and_bare)
{
    tc_doc_t *d = parse_sentence(
        "Căn cứ Luật Phòng, chống bệnh truyền nhiễm số 03/2007/QH12 ngày 21/11/2007; Luật Ban hành văn bản quy "
        "phạm pháp luật số 80/2015/QH13; thực hiện Công văn 6187/BYT-VP ngày 20/9/2023 của Bộ Y tế, Nghị "
        "quyết 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị; Công văn 4585/UBND-KGVX, ngày "
        "19/8/2021 của Ủy ban nhân dân tỉnh.",
        2025);
    ck_assert_int_eq(d->n_references, 5);
    check_ref(d, 0, "Luật", "03/2007/QH12", "2007-11-21", NULL);
    check_ref(d, 1, "Luật", "80/2015/QH13", NULL, NULL);
    check_ref(d, 2, "Công văn", "6187/BYT-VP", "2023-09-20", "Bộ Y tế");
    check_ref(d, 3, "Nghị quyết", "57-NQ/TW", "2024-12-22", "Bộ Chính trị");
    check_ref(d, 4, "Công văn", "4585/UBND-KGVX", "2021-08-19", "Ủy ban nhân dân tỉnh");
    tc_doc_free(d);

    /* None of these is a citation: a bare year or day after a type word, a
     * count, a law named in passing without a number, and "số" after a
     * name that is no act. */
    d = parse_sentence("Kế hoạch 2024 và Chương trình 21/4 năm nay; trong tổng số 45/120 hồ sơ; theo Luật Đầu "
                       "tư công năm 2019; Ngày Pháp luật Việt Nam, tổng số 12/KH trường hợp.",
                       2025);
    ck_assert_int_eq(d->n_references, 0);
    tc_doc_free(d);
}
END_TEST

START_TEST(test_text_cleaning)
{
    tc_doc_t *d = parse("# Tiêu đề\n\n## **1. Mục một**   \n\n*In nghiêng* và **đậm** và ***cả hai***.  \n\n\n\n"
                        "Dòng bị ngắt\n\ngiữa câu.\n\n_____\n\n1. Mục\n\na) Ý một;\n");
    ck_str(d->text, "Tiêu đề\n\n1. Mục một\n\nIn nghiêng và đậm và cả hai.\n\nDòng bị ngắt giữa câu.\n\n1. "
                    "Mục\n\na) Ý một;");
    tc_doc_free(d);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Degenerate input.                                                    */

START_TEST(test_degenerate)
{
    tc_doc_t *d = NULL;
    ck_assert_int_eq(tc_doc_parse(NULL, "x", 1), TC_STATUS_INVALID_ARGUMENT);
    ck_assert_int_eq(tc_doc_parse(&d, NULL, 5), TC_STATUS_INVALID_ARGUMENT);
    ck_assert_ptr_null(d);

    ck_assert_int_eq(tc_doc_parse(&d, NULL, 0), TC_STATUS_SUCCESS);
    ck_str(d->text, "");
    tc_doc_free(d);

    d = parse("");
    ck_str(d->text, "");
    ck_str(d->issuer, NULL);
    ck_str(d->date, NULL);
    ck_assert_int_eq(d->year, 0);
    ck_assert_int_eq(d->n_references + d->n_deadlines + d->recipients.count, 0);
    tc_doc_free(d);

    d = parse("**");
    ck_str(d->text, "");
    tc_doc_free(d);

    d = parse("**\n***\n\n*\n## \n");
    ck_str(d->text, "");
    tc_doc_free(d);

    d = parse("Kính gửi: “Các đơn vị\n\nChủ đề:\n\n- “Đổi mới sáng tạo\n\nKhẩu hiệu: “\n");
    ck_assert_int_eq(d->themes.count, 0);
    ck_assert_int_eq(d->slogans.count, 0);
    tc_doc_free(d);

    /* Embedded NUL and invalid bytes. */
    d = NULL;
    ck_assert_int_eq(tc_doc_parse(&d, "Số: 1\0/UB\xff\xfeND\nabc", 17), TC_STATUS_SUCCESS);
    ck_assert_ptr_nonnull(d->text);
    tc_doc_free(d);
}
END_TEST

static char *repeat(const char *unit, size_t total)
{
    size_t ul = strlen(unit), n = 0;
    char *s = malloc(total + ul + 1);
    ck_assert_ptr_nonnull(s);
    while (n < total) {
        memcpy(s + n, unit, ul);
        n += ul;
    }
    s[n] = '\0';
    return s;
}

START_TEST(test_huge_lines)
{
    static const char *const units[] = {
        "Đổi mới sáng tạo ",
        "trước ngày 1/1/2026. ",
        "Công văn số 1/UBND ngày 1/1/2026 của UBND tỉnh ",
        "*a **b “c ",
        "V/v ",
        "\n",
        "Kính gửi: - a; ",
        "của của tại Công văn số 1 ",
    };
    for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
        char *s = repeat(units[i], 200 * 1024);
        tc_doc_t *d = NULL;
        ck_assert_int_eq(tc_doc_parse(&d, s, strlen(s)), TC_STATUS_SUCCESS);
        ck_assert_ptr_nonnull(d->text);
        ck_assert(d->n_deadlines <= 1 && d->n_references <= 1);
        tc_doc_free(d);
        free(s);
    }
}
END_TEST

/* ------------------------------------------------------------------ */
/* The abbreviation table the query side uses.                          */

static const struct {
    const char *word, *expansion;
} abbrev_cases[] = {
    { "ubnd", "Ủy ban nhân dân" },
    { "hdnd", "Hội đồng nhân dân" },
    { "kh&cn", "Khoa học và Công nghệ" },
    { "khcn", "Khoa học và Công nghệ" },
    { "skhcn", "Sở Khoa học và Công nghệ" },
    { "gd&dt", "Giáo dục và Đào tạo" },
    { "sgddt", "Sở Giáo dục và Đào tạo" },
    { "syt", "Sở Y tế" },
    { "bqlkkt", "Ban Quản lý Khu kinh tế" },
    { "bkhcn", "Bộ Khoa học và Công nghệ" },
    { "bnn", "Bộ Nông nghiệp và Phát triển nông thôn" },
    { "ldtbxh", "Lao động - Thương binh và Xã hội" },
    { "bldtbxh", "Bộ Lao động - Thương binh và Xã hội" },
    { "tp", "thành phố" },
    { "xyz", NULL },
    { "", NULL },
};

START_TEST(test_abbrev_expand)
{
    for (size_t i = 0; i < sizeof abbrev_cases / sizeof *abbrev_cases; i++)
        check_str(abbrev_cases[i].word, tc_abbrev_expand(abbrev_cases[i].word), abbrev_cases[i].expansion);
    ck_assert_ptr_null(tc_abbrev_expand(NULL));
    int city = 0;
    check_str("province", tc_province_lookup("ho chi minh", &city), "Hồ Chí Minh");
    ck_assert_int_eq(city, 1);
    check_str("province", tc_province_lookup("lai chau", &city), "Lai Châu");
    ck_assert_int_eq(city, 0);
    size_t n = 0;
    tc_doc_types(&n);
    ck_assert(n > 10);
    check_str("doc type", tc_doc_type_by_code("qd")->name, "Quyết định");
    check_str("doc type", tc_doc_type_by_key("ke hoach")->name, "Kế hoạch");
}
END_TEST

/* ------------------------------------------------------------------ */

static Suite *parse_suite(void)
{
    Suite *s = suite_create("parse");

    TCase *tc = tcase_create("seeds");
    tcase_add_unchecked_fixture(tc, seeds_setup, seeds_teardown);
    tcase_add_test(tc, test_seed_000);
    tcase_add_test(tc, test_seed_001);
    tcase_add_test(tc, test_seed_002);
    tcase_add_test(tc, test_seed_003);
    tcase_add_test(tc, test_seed_004);
    tcase_add_test(tc, test_missing);
    suite_add_tcase(s, tc);

    tc = tcase_create("dates");
    tcase_add_test(tc, test_deadline_table);
    tcase_add_test(tc, test_deadline_sentences);
    tcase_add_test(tc, test_deadline_next_year);
    tcase_add_test(tc, test_header_dates);
    tcase_add_test(tc, test_scanned_header);
    tcase_add_test(tc, test_authority_line);
    tcase_add_test(tc, test_header_without_number);
    tcase_add_test(tc, test_period_table);
    suite_add_tcase(s, tc);

    tc = tcase_create("header");
    tcase_add_test(tc, test_titled_plan);
    tcase_add_test(tc, test_titled_subject);
    tcase_add_test(tc, test_title_block);
    tcase_add_test(tc, test_vv_forms);
    tcase_add_test(tc, test_place_as_written);
    tcase_add_test(tc, test_urgent_secret);
    tcase_add_test(tc, test_signatures);
    tcase_add_test(tc, test_issuer_table);
    tcase_add_test(tc, test_recipients_and_quotes);
    tcase_add_test(tc, test_references);
    tcase_add_test(tc, test_references_named_and_bare);
    tcase_add_test(tc, test_text_cleaning);
    tcase_add_test(tc, test_abbrev_expand);
    suite_add_tcase(s, tc);

    tc = tcase_create("degenerate");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_degenerate);
    tcase_add_test(tc, test_huge_lines);
    tcase_add_test(tc, test_access_from_marks);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(parse_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed != 0;
}
