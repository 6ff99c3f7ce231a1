/* Citation links on an archive where many issuers and years share one
 * number and symbol, as every UBND's ".../KH-UBND" does: a reference links
 * to the dispatch whose number, date and issuer (named or implied) fit,
 * offers every candidate when several do, and says when none is in the
 * archive; "cited by" follows the same rule.  The real bin/indexer builds
 * the index from crafted dispatches. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static char *db;

/* One dispatch: the issuer's header lines, number, place and date, type
 * and subject, then a body (which may cite others). */
static void write_dispatch(const char *dir, const char *id, const char *header, const char *number,
                           const char *place_date, const char *title, const char *body)
{
    char *path = NULL;
    ck_assert_int_ge(asprintf(&path, "%s/%s.txt", dir, id), 0);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "%s\n\nSố: %s\n\n%s\n\n%s\n\n%s\n\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n\nCHỦ TỊCH\n\nNguyễn Văn An\n",
            header, number, place_date, title, body);
    fclose(f);
    free(path);
}

static void build_archive(void)
{
    char *dir = tu_tempdir(), *src = NULL, *cmd = NULL;
    ck_assert_int_ge(asprintf(&src, "%s/src", dir), 0);
    ck_assert_int_ge(asprintf(&db, "%s/index", dir), 0);
    ck_assert_int_ge(asprintf(&cmd, "mkdir -p %s", src), 0);
    ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
    free(cmd);
    /* Four plans numbered 74/KH-UBND: two provinces on one day, another
     * province later, the first province again two years on. */
    write_dispatch(src, "plan-laichau-2014", "ỦY BAN NHÂN DÂN\nTỈNH LAI CHÂU", "74/KH-UBND",
                   "Lai Châu, ngày 24 tháng 11 năm 2014", "KẾ HOẠCH\nPhát triển thương mại điện tử năm 2015",
                   "Ủy ban nhân dân tỉnh ban hành kế hoạch phát triển thương mại điện tử.");
    write_dispatch(src, "plan-binhthuan-2014", "ỦY BAN NHÂN DÂN\nTỈNH BÌNH THUẬN", "74/KH-UBND",
                   "Bình Thuận, ngày 24 tháng 11 năm 2014", "KẾ HOẠCH\nPhòng, chống dịch bệnh mùa đông",
                   "Ủy ban nhân dân tỉnh ban hành kế hoạch phòng, chống dịch bệnh.");
    write_dispatch(src, "plan-daknong-2025", "ỦY BAN NHÂN DÂN\nTỈNH ĐẮK NÔNG", "74/KH-UBND",
                   "Đắk Nông, ngày 10 tháng 3 năm 2025", "KẾ HOẠCH\nChuyển đổi số năm 2025",
                   "Ủy ban nhân dân tỉnh ban hành kế hoạch chuyển đổi số.");
    write_dispatch(src, "plan-laichau-2016", "ỦY BAN NHÂN DÂN\nTỈNH LAI CHÂU", "74/KH-UBND",
                   "Lai Châu, ngày 5 tháng 4 năm 2016", "KẾ HOẠCH\nCải cách hành chính năm 2016",
                   "Ủy ban nhân dân tỉnh ban hành kế hoạch cải cách hành chính.");
    /* "của UBND tỉnh" in a Lai Châu letter: UBND tỉnh Lai Châu. */
    write_dispatch(src, "letter-laichau", "UBND TỈNH LAI CHÂU\nSỞ CÔNG THƯƠNG", "120/SCT-QLTM\nV/v thương mại điện tử",
                   "Lai Châu, ngày 10 tháng 3 năm 2015", "Kính gửi: Các phòng chuyên môn thuộc Sở.",
                   "Thực hiện Kế hoạch số 74/KH-UBND ngày 24/11/2014 của UBND tỉnh về phát triển thương mại điện "
                   "tử, Sở Công Thương đề nghị các phòng triển khai.");
    /* No issuer named, in a Bình Thuận letter: that province's. */
    write_dispatch(src, "letter-binhthuan", "UBND TỈNH BÌNH THUẬN\nSỞ Y TẾ", "88/SYT-NVY\nV/v phòng chống dịch",
                   "Bình Thuận, ngày 2 tháng 12 năm 2014", "Kính gửi: Các bệnh viện trong tỉnh.",
                   "Thực hiện Kế hoạch số 74/KH-UBND ngày 24/11/2014, Sở Y tế đề nghị các đơn vị triển khai.");
    /* A ministry citing the number alone: any of the four. */
    write_dispatch(src, "letter-ministry", "BỘ CÔNG THƯƠNG", "501/BCT-TMĐT\nV/v tổng hợp kế hoạch",
                   "Hà Nội, ngày 15 tháng 6 năm 2025", "Kính gửi: Ủy ban nhân dân các tỉnh.",
                   "Bộ Công Thương đã nhận Kế hoạch số 74/KH-UBND và đề nghị các tỉnh báo cáo.");
    /* A date no plan of the archive has. */
    write_dispatch(src, "letter-missing", "UBND TỈNH LAI CHÂU\nSỞ TÀI CHÍNH", "45/STC-NS\nV/v kinh phí",
                   "Lai Châu, ngày 3 tháng 3 năm 2020", "Kính gửi: Các đơn vị dự toán.",
                   "Căn cứ Kế hoạch số 74/KH-UBND ngày 01/02/2020 của UBND tỉnh Lai Châu, Sở Tài chính hướng dẫn.");
    /* A number no dispatch of the archive carries, only mentioned. */
    write_dispatch(src, "letter-mention", "UBND TỈNH LAI CHÂU\nSỞ NỘI VỤ", "12/SNV-TCBC\nV/v biên chế",
                   "Lai Châu, ngày 8 tháng 8 năm 2019", "Kính gửi: Các sở, ban, ngành.",
                   "Thực hiện Quyết định số 999/QĐ-UBND ngày 01/7/2019 của UBND tỉnh, Sở Nội vụ đề nghị.");
    ck_assert_int_ge(asprintf(&cmd, "bin/indexer --quiet --db %s %s", db, src), 0);
    char *out = NULL, *err = NULL;
    ck_assert_msg(tu_run(cmd, &out, &err) == 0, "%s: %s", cmd, err);
    free(out);
    free(err);
    free(cmd);
    free(src);
}

/* "id1 id2 ..." of the candidates of the dispatch's only reference, and
 * the id it links to ("-" for none). */
static char *reference_of(tc_index_t *index, const char *id)
{
    tc_doc_page_t *page = NULL;
    ck_assert_int_eq(tc_doc_page_get(&page, index, id, TC_ACCESS_PUBLIC), TC_STATUS_SUCCESS);
    ck_assert_uint_eq(page->doc->n_references, 1);
    ck_assert_str_eq(page->doc->references[0].number, "74/KH-UBND");
    char *out = strdup(page->reference_ids[0] ? page->reference_ids[0] : "-");
    for (size_t i = 0; i < page->reference_candidates[0].count; i++) {
        char *longer = NULL;
        ck_assert_int_ge(asprintf(&longer, "%s %s", out, page->reference_candidates[0].items[i]), 0);
        free(out);
        out = longer;
    }
    tc_doc_page_free(page);
    return out;
}

static char *cited_by(tc_index_t *index, const char *id)
{
    tc_doc_page_t *page = NULL;
    ck_assert_int_eq(tc_doc_page_get(&page, index, id, TC_ACCESS_PUBLIC), TC_STATUS_SUCCESS);
    char *out = strdup("");
    for (size_t i = 0; i < page->n_cited_by; i++) {
        char *longer = NULL;
        ck_assert_int_ge(asprintf(&longer, "%s%s%s", out, i ? " " : "", page->cited_by[i]->id), 0);
        free(out);
        out = longer;
    }
    tc_doc_page_free(page);
    return out;
}

static void expect(char *got, const char *want)
{
    ck_assert_str_eq(got, want);
    free(got);
}

START_TEST(test_references_link_to_the_dispatch_they_name)
{
    tc_index_t *index = NULL;
    ck_assert_int_eq(tc_index_open(&index, db, TC_INDEX_READ), TC_STATUS_SUCCESS);
    expect(reference_of(index, "letter-laichau"), "plan-laichau-2014 plan-laichau-2014");
    expect(reference_of(index, "letter-binhthuan"), "plan-binhthuan-2014 plan-binhthuan-2014");
    /* Several fit: no link, every one a candidate (oldest first). */
    char *ministry = reference_of(index, "letter-ministry");
    ck_assert_str_eq(ministry, "- plan-binhthuan-2014 plan-laichau-2014 plan-laichau-2016 plan-daknong-2025");
    free(ministry);
    expect(reference_of(index, "letter-missing"), "-");
    tc_index_close(index);
}
END_TEST

START_TEST(test_cited_by_follows_the_same_rule)
{
    tc_index_t *index = NULL;
    ck_assert_int_eq(tc_index_open(&index, db, TC_INDEX_READ), TC_STATUS_SUCCESS);
    expect(cited_by(index, "plan-laichau-2014"), "letter-laichau letter-ministry");
    expect(cited_by(index, "plan-binhthuan-2014"), "letter-binhthuan letter-ministry");
    expect(cited_by(index, "plan-daknong-2025"), "letter-ministry");
    expect(cited_by(index, "plan-laichau-2016"), "letter-ministry");
    tc_index_close(index);
}
END_TEST

START_TEST(test_the_api_says_which_and_whether)
{
    /* The page's JSON: id when one fits, every candidate, in_archive. */
    tc_index_t *index = NULL;
    tc_doc_page_t *page = NULL;
    ck_assert_int_eq(tc_index_open(&index, db, TC_INDEX_READ), TC_STATUS_SUCCESS);
    ck_assert_int_eq(tc_doc_page_get(&page, index, "letter-missing", TC_ACCESS_PUBLIC), TC_STATUS_SUCCESS);
    char *json = tc_doc_page_to_json(page);
    ck_assert_ptr_nonnull(strstr(json, "\"id\":null,\"candidates\":[],\"in_archive\":false"));
    free(json);
    tc_doc_page_free(page);
    ck_assert_int_eq(tc_doc_page_get(&page, index, "letter-laichau", TC_ACCESS_PUBLIC), TC_STATUS_SUCCESS);
    json = tc_doc_page_to_json(page);
    ck_assert_ptr_nonnull(
        strstr(json, "\"id\":\"plan-laichau-2014\",\"candidates\":[\"plan-laichau-2014\"],\"in_archive\":true"));
    free(json);
    tc_doc_page_free(page);
    tc_index_close(index);
}
END_TEST

/* The ids of a search's hits in order, and whether the number typed is
 * some dispatch's own. */
static char *ranked(tc_index_t *index, const char *words, int *in_archive)
{
    tc_query_t q = TC_QUERY_INIT;
    q.words = words;
    tc_results_t *r = NULL;
    ck_assert_int_eq(tc_search(&r, index, &q), TC_STATUS_SUCCESS);
    char *out = strdup("");
    for (size_t i = 0; i < r->n_hits; i++) {
        char *longer = NULL;
        ck_assert_int_ge(asprintf(&longer, "%s%s%s", out, i ? " " : "", r->hits[i].doc->id), 0);
        free(out);
        out = longer;
    }
    *in_archive = r->number_in_archive;
    tc_results_free(r);
    return out;
}

START_TEST(test_a_number_finds_its_dispatch_first)
{
    tc_index_t *index = NULL;
    ck_assert_int_eq(tc_index_open(&index, db, TC_INDEX_READ), TC_STATUS_SUCCESS);
    int in_archive = -1;
    /* The four plans numbered 74 before the letters that cite them. */
    const char *typed[] = { "74/KH-UBND", "74", "số 74", "so 74 kh ubnd" };
    for (size_t i = 0; i < sizeof typed / sizeof *typed; i++) {
        char *got = ranked(index, typed[i], &in_archive);
        ck_assert_msg(strncmp(got, "plan-", 5) == 0 && strstr(got, "letter-") > strstr(got, "plan-laichau-2016") &&
                          strstr(got, "plan-binhthuan-2014") && strstr(got, "plan-daknong-2025") &&
                          strstr(got, "plan-laichau-2014") < strstr(got, "letter-"),
                      "%s: %s", typed[i], got);
        ck_assert_int_eq(in_archive, 1);
        free(got);
    }
    expect(ranked(index, "120", &in_archive), "letter-laichau");
    ck_assert_int_eq(in_archive, 1);
    expect(ranked(index, "45/STC-NS", &in_archive), "letter-missing");
    ck_assert_int_eq(in_archive, 1);
    /* A number no dispatch carries: said, and those mentioning it listed. */
    expect(ranked(index, "999/QĐ-UBND", &in_archive), "letter-mention");
    ck_assert_int_eq(in_archive, 0);
    char *words = ranked(index, "thương mại điện tử", &in_archive);
    ck_assert_int_eq(in_archive, -1);
    free(words);
    tc_index_close(index);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("links");
    TCase *tc = tcase_create("links");
    tcase_set_timeout(tc, 60);
    tcase_add_unchecked_fixture(tc, build_archive, NULL);
    tcase_add_test(tc, test_references_link_to_the_dispatch_they_name);
    tcase_add_test(tc, test_cited_by_follows_the_same_rule);
    tcase_add_test(tc, test_the_api_says_which_and_whether);
    tcase_add_test(tc, test_a_number_finds_its_dispatch_first);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
