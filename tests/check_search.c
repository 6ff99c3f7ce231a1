/* Searching end to end through lib/: the bundled corpus, plus small
 * fixtures written for one behaviour each (accents, tone placement,
 * adjacency, NFD). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "text/fold.h"
#include "text/tokenize.h"
#include "index/forms.h"
#include "index/index.h"
#include "index/schema.h"
#include "index/xapian_wrap.h"
#include "search/qparse.h"
#include "testutil.h"
#include "base/buf.h"

/* The ids of the hits, sorted, comma separated ("" for none). */
static char *hit_set(const tc_results_t *r)
{
    char *ids[64];
    size_t n = r->n_hits < 64 ? r->n_hits : 64;
    for (size_t i = 0; i < n; i++)
        ids[i] = r->hits[i].doc->id;
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(ids[j - 1], ids[j]) > 0; j--) {
            char *t = ids[j];
            ids[j] = ids[j - 1];
            ids[j - 1] = t;
        }
    char *out = calloc(1, 64 * 64);
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(out, ",");
        strncat(out, ids[i], 60);
    }
    return out;
}

static tc_results_t *search(const char *db, tc_query_t q)
{
    tc_index_t *index = NULL;
    tc_results_t *r = NULL;
    if (!q.limit)
        q.limit = 50;
    ck_assert_int_eq(tc_index_open(&index, db, TC_INDEX_READ), TC_STATUS_SUCCESS);
    tc_status_t status = tc_search(&r, index, &q);
    ck_assert_msg(status == TC_STATUS_SUCCESS, "search \"%s\": %s", q.words ? q.words : "",
                  tc_index_last_error(index));
    tc_index_close(index);
    return r;
}

/* Asserts the set of seeds (by their 3-digit prefix) a query finds. */
static void expect_seeds(tc_query_t q, const char *expected)
{
    tc_results_t *r = search(tu_corpus_index(), q);
    char *got = hit_set(r);
    /* Shorten "000_8085305a3db06b59" to "000" for readable expectations. */
    char shortened[256] = "";
    for (char *tok = strtok(got, ","); tok; tok = strtok(NULL, ",")) {
        if (*shortened)
            strcat(shortened, ",");
        strncat(shortened, tok, 3);
    }
    ck_assert_msg(strcmp(shortened, expected) == 0, "query words=\"%s\" issuer=\"%s\" theme=\"%s\": got {%s}, expected {%s}",
                  q.words ? q.words : "", q.issuer ? q.issuer : "", q.theme ? q.theme : "", shortened, expected);
    ck_assert_uint_eq(r->total, r->n_hits);
    free(got);
    tc_results_free(r);
}

#define Q(...) ((tc_query_t){ __VA_ARGS__ })

/* Abbreviations in the search box, as in issuer:: "khcn", "kh&cn" and the
 * name spelled out are one; "skhcn" = "skh&cn" in a symbol; a type's code
 * ("cv", "kh") is that type. */
START_TEST(test_abbreviations_in_the_search_box)
{
    /* The two Lai Châu letters of the Sở KH&CN rank first. */
    tc_results_t *r = search(tu_corpus_index(), Q(.words = "so khcn ngay sang tao"));
    ck_assert_uint_ge(r->n_hits, 2);
    ck_assert_str_eq(r->hits[0].doc->issuer, "Sở Khoa học và Công nghệ tỉnh Lai Châu");
    ck_assert_str_eq(r->hits[1].doc->issuer, "Sở Khoa học và Công nghệ tỉnh Lai Châu");
    tc_results_free(r);
    expect_seeds(Q(.words = "so kh&cn ngay sang tao"), "000,001,002,003,004");
    /* Printed "SKHCN-QL", typed with the ampersand. */
    expect_seeds(Q(.words = "SKH&CN-QL"), "001");
    expect_seeds(Q(.words = "SKHCN-QL"), "001");
    /* Every seed is a công văn; "cv" is that type. */
    expect_seeds(Q(.words = "cv"), "000,001,002,003,004");
    /* "UBND" finds the seeds that spell it out (000, 002, 003, 004) and
     * the one that writes only "UBND" (001). */
    expect_seeds(Q(.words = "uy ban nhan dan"), "000,002,003,004");
    expect_seeds(Q(.words = "ubnd"), "000,001,002,003,004");
}
END_TEST

static void expect_bad_query(tc_query_t q, const char *message);

/* Nothing matches: the answer names each part without which something
 * would, with that total; a part that alone empties nothing is not named. */
START_TEST(test_an_empty_answer_says_what_emptied_it)
{
    tc_results_t *r = search(tu_corpus_index(), Q(.words = "sáng tạo xyzzy year:2026"));
    ck_assert_uint_eq(r->total, 0);
    ck_assert_uint_eq(r->n_without, 1);
    ck_assert_str_eq(r->without[0].part, "xyzzy");
    ck_assert_uint_eq(r->without[0].total, 3);
    ck_assert(r->without[0].total_exact);
    tc_results_free(r);
    r = search(tu_corpus_index(), Q(.words = "\"sáng tạo\" year:2019", .issuer = "Lai Châu"));
    ck_assert_uint_eq(r->total, 0);
    ck_assert_uint_eq(r->n_without, 1);
    ck_assert_str_eq(r->without[0].part, "year:2019");
    ck_assert_uint_eq(r->without[0].total, 2);
    tc_results_free(r);
    /* Words that find dispatches, emptied by a filter: the filter is
     * named and the words are not "corrected" into others that fit it. */
    r = search(tu_corpus_index(), Q(.words = "chi lăng", .year = "2026"));
    ck_assert_uint_eq(r->total, 0);
    ck_assert(!r->corrected && !r->suggestion);
    int year_named = 0;
    for (size_t i = 0; i < r->n_without; i++)
        year_named |= strcmp(r->without[i].part, "year:2026") == 0 && r->without[i].total > 0;
    ck_assert(year_named);
    tc_results_free(r);
    /* Two parts each empty it: neither alone is named. */
    r = search(tu_corpus_index(), Q(.words = "xyzzy plugh"));
    ck_assert_uint_eq(r->n_without, 0);
    tc_results_free(r);
    /* Something matches: nothing to say. */
    r = search(tu_corpus_index(), Q(.words = "sáng tạo"));
    ck_assert_uint_eq(r->n_without, 0);
    tc_results_free(r);
}
END_TEST

/* Did you mean: a query that finds nothing is corrected from the
 * archive's own words (a letter swapped, missing, extra or wrong; Telex
 * or VNI typed with the input method off), shown and said so. */
START_TEST(test_typos_are_corrected_from_the_archive)
{
    struct {
        const char *typed, *corrected;
    } cases[] = { { "ngya sang tao", "ngay sang tao" },          { "sangs taoj", "sang tao" },
                  { "chuyeenr ddooir soos", "chuyen doi so" },   { "chuye63n d9o63i so61", "chuyen doi so" },
                  { "doi moi sangg tao", "doi moi sang tao" },   { "doi moi sag tao", "doi moi sang tao" } };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        tc_results_t *r = search(tu_corpus_index(), Q(.words = cases[i].typed));
        ck_assert_msg(r->corrected && r->suggestion && strcmp(r->suggestion, cases[i].corrected) == 0,
                      "%s: corrected %d to %s", cases[i].typed, r->corrected, r->suggestion ? r->suggestion : "-");
        tc_results_t *right = search(tu_corpus_index(), Q(.words = cases[i].corrected));
        ck_assert_uint_eq(r->total, right->total);
        ck_assert_uint_gt(r->total, 0);
        tc_results_free(right);
        tc_results_free(r);
    }
    /* Words the archive has are left as typed; nothing near: nothing said. */
    tc_results_t *r = search(tu_corpus_index(), Q(.words = "sáng tạo"));
    ck_assert(!r->corrected && !r->suggestion);
    tc_results_free(r);
    r = search(tu_corpus_index(), Q(.words = "xyzzy"));
    ck_assert(!r->corrected && !r->suggestion && r->total == 0);
    tc_results_free(r);
    /* A typo that makes another real word finds something ("tai" is in
     * every dispatch), but the words never stand side by side as typed:
     * offered, not applied, the answer the typed words'. */
    tc_results_t *typed = search(tu_corpus_index(), Q(.words = "sang tai"));
    tc_results_t *meant = search(tu_corpus_index(), Q(.words = "sang tao"));
    ck_assert_str_eq(typed->suggestion ? typed->suggestion : "-", "sang tao");
    ck_assert_int_eq(typed->corrected, 0);
    ck_assert_uint_eq(typed->total, 5);
    ck_assert_uint_eq(meant->total, 5);
    ck_assert_ptr_null(meant->suggestion);
    tc_results_free(typed);
    tc_results_free(meant);
    r = search(tu_corpus_index(), Q(.words = "doi moi sang tai"));
    ck_assert_str_eq(r->suggestion ? r->suggestion : "-", "doi moi sang tao");
    tc_results_free(r);
    /* Typed with its marks, a word is taken as meant. */
    r = search(tu_corpus_index(), Q(.words = "sáng tại"));
    ck_assert_ptr_null(r->suggestion);
    tc_results_free(r);
}
END_TEST

/* A dispatch asking for a report by the date `days` from today. */
static void write_due_dispatch(const char *dir, const char *name, int days)
{
    time_t when = time(NULL) + (time_t)days * 24 * 3600;
    struct tm t;
    localtime_r(&when, &t);
    char *path = NULL;
    ck_assert_int_ge(asprintf(&path, "%s/%s.txt", dir, name), 0);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "ỦY BAN NHÂN DÂN\nTỈNH LAI CHÂU\n\nSố: %d/UBND-VP\nV/v báo cáo\n\nLai Châu, ngày 2 tháng 1 năm 2025\n\n"
               "Kính gửi: Các sở, ngành.\n\nĐề nghị các đơn vị gửi báo cáo trước ngày %d/%d/%d.\n\nNơi nhận:\n- Lưu: VT.\n",
            100 + days, t.tm_mday, t.tm_mon + 1, t.tm_year + 1900);
    fclose(f);
    free(path);
}

/* The deadline views, relative to today: past, within the next days. */
START_TEST(test_due_views)
{
    char *dir = tu_tempdir(), *cmd = NULL, *db = NULL;
    ck_assert_int_ge(asprintf(&db, "%s/index", dir), 0);
    write_due_dispatch(dir, "past", -3);
    write_due_dispatch(dir, "today", 0);
    write_due_dispatch(dir, "soon", 5);
    write_due_dispatch(dir, "later", 30);
    ck_assert_int_ge(asprintf(&cmd, "bin/indexer --quiet --db %s %s", db, dir), 0);
    ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
    free(cmd);
    struct {
        tc_query_t q;
        const char *ids;
    } views[] = { { Q(.due = "overdue"), "past" },
                  { Q(.due = "soon"), "soon,today" },
                  { Q(.due = "soon", .due_days = 60), "later,soon,today" },
                  { Q(.due = "soon", .due_days = 1), "today" } };
    for (size_t i = 0; i < sizeof views / sizeof *views; i++) {
        tc_results_t *r = search(db, views[i].q);
        char *got = hit_set(r);
        ck_assert_msg(strcmp(got, views[i].ids) == 0, "due=%s days=%zu: {%s}", views[i].q.due, views[i].q.due_days,
                      got);
        free(got);
        tc_results_free(r);
    }
    free(db);
    expect_bad_query(Q(.due = "later"), "due: \"later\" is not overdue or soon");
}
END_TEST

/* A deadline that is a whole month or quarter ("báo cáo trong tháng 12 năm
 * 2026") is due by its last day: filtered as that day, and an event on that
 * day in the calendar feed. */
START_TEST(test_deadline_of_a_whole_month)
{
    char *dir = tu_tempdir(), *db = tu_printf("%s/index", dir);
    const char *bodies[][2] = {
        { "month", "Đề nghị các đơn vị báo cáo kết quả thực hiện trong tháng 12 năm 2026." },
        { "quarter", "Đề nghị các đơn vị hoàn thành trong Quý I năm 2027." },
    };
    for (size_t i = 0; i < 2; i++) {
        char *path = tu_printf("%s/%s.txt", dir, bodies[i][0]);
        FILE *f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fprintf(f, "ỦY BAN NHÂN DÂN\nTỈNH LAI CHÂU\n\nSố: %zu/UBND-VP\nV/v báo cáo\n\nLai Châu, ngày 2 tháng 11 năm "
                   "2026\n\nKính gửi: Các sở, ngành.\n\n%s\n\nNơi nhận:\n- Lưu: VT.\n",
                10 + i, bodies[i][1]);
        fclose(f);
        free(path);
    }
    char *cmd = tu_printf("bin/indexer --quiet --db %s %s", db, dir);
    ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
    free(cmd);
    struct {
        tc_query_t q;
        const char *ids;
    } ranges[] = { { Q(.deadline_from = "2026-12-31", .deadline_to = "2026-12-31"), "month" },
                   { Q(.deadline_from = "2026-12-01", .deadline_to = "2026-12-30"), "" },
                   { Q(.words = "deadline:2027-03"), "quarter" },
                   { Q(.words = "deadline:2026..2027"), "month,quarter" } };
    for (size_t i = 0; i < sizeof ranges / sizeof *ranges; i++) {
        tc_results_t *r = search(db, ranges[i].q);
        char *got = hit_set(r);
        ck_assert_msg(strcmp(got, ranges[i].ids) == 0, "range %zu: {%s}, expected {%s}", i, got, ranges[i].ids);
        free(got);
        if (i == 3) {
            char *ics = tc_results_to_ical(r, "2026-12-31", "2026-12-31", NULL);
            ck_assert_ptr_nonnull(ics);
            ck_assert_ptr_nonnull(strstr(ics, "DTSTART;VALUE=DATE:20261231"));
            ck_assert_ptr_null(strstr(ics, "20270331"));
            free(ics);
        }
        tc_results_free(r);
    }
    free(db);
}
END_TEST

/* The hits' ids in their order, comma separated (malloc'd). */
static char *hit_order(const tc_results_t *r)
{
    tc_buf_t ids = TC_BUF_INIT;
    for (size_t i = 0; i < r->n_hits; i++)
        ck_assert_int_ge(tc_buf_puts(&ids, i ? "," : "") | tc_buf_puts(&ids, r->hits[i].doc->id), 0);
    return ids.data ? ids.data : strdup("");
}

/* Sorted by the earliest deadline either way, and by date either way;
 * a dispatch without one comes last both ways.  A whole month counts as
 * its last day. */
START_TEST(test_sort_by_deadline_and_date_both_ways)
{
    char *dir = tu_tempdir(), *db = tu_printf("%s/index", dir);
    const char *dispatches[][3] = {
        /* id, date line, body */
        { "may", "ngày 2 tháng 3 năm 2026", "Các đơn vị gửi báo cáo trước ngày 10/5/2026." },
        { "december", "ngày 5 tháng 3 năm 2026", "Các đơn vị báo cáo kết quả trong tháng 12 năm 2026." },
        { "none", "ngày 4 tháng 3 năm 2026", "Các đơn vị tuyên truyền rộng rãi." },
        { "march", "ngày 1 tháng 3 năm 2026", "Các đơn vị gửi báo cáo trước ngày 20/3/2026, chậm nhất ngày 30/11/2026." },
        { "undated", "ngày     tháng     năm", "Các đơn vị gửi báo cáo trước ngày 15/6/2026." },
    };
    for (size_t i = 0; i < sizeof dispatches / sizeof *dispatches; i++) {
        char *path = tu_printf("%s/%s.txt", dir, dispatches[i][0]);
        FILE *f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fprintf(f, "ỦY BAN NHÂN DÂN\nTỈNH LAI CHÂU\n\nSố: %zu/UBND-VP\nV/v triển khai\n\nLai Châu, %s\n\n"
                   "Kính gửi: Các sở, ngành.\n\n%s\n\nNơi nhận:\n- Lưu: VT.\n",
                20 + i, dispatches[i][1], dispatches[i][2]);
        fclose(f);
        free(path);
    }
    char *cmd = tu_printf("bin/indexer --quiet --db %s %s", db, dir);
    ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
    free(cmd);
    static const struct {
        const char *sort, *order;
    } cases[] = {
        { "deadline", "march,may,undated,december,none" },
        { "deadline_desc", "december,undated,may,march,none" },
        { "date", "december,none,may,march,undated" },
        { "date_asc", "march,may,none,december,undated" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        tc_query_t q = TC_QUERY_INIT;
        q.words = "đơn vị";
        ck_assert_int_eq(tc_sort_from_name(&q.sort, cases[i].sort), 0);
        tc_results_t *r = search(db, q);
        char *got = hit_order(r);
        ck_assert_msg(strcmp(got, cases[i].order) == 0, "sort=%s: %s, expected %s", cases[i].sort, got,
                      cases[i].order);
        free(got);
        tc_results_free(r);
    }
    tc_sort_t sort;
    ck_assert_int_eq(tc_sort_from_name(&sort, "soonest"), -1);
    free(db);
}
END_TEST

/* A number printed glued to its symbol ("Số: 526BC/TWĐTNTNTH", the Đoàn's
 * old letters) is one token of the text: the dispatch is found by its
 * number, bare or with the start of its symbol, before one citing it. */
START_TEST(test_number_glued_to_its_symbol)
{
    char *dir = tu_tempdir(), *db = tu_printf("%s/index", dir);
    const char *texts[][2] = {
        { "own", "BAN CHẤP HÀNH TRUNG ƯƠNG\nĐOÀN TNCS HỒ CHÍ MINH\nSố: 526BC/TWĐTNTNTH\n\nHà Nội, ngày 07 tháng 8 "
                 "năm 2017\n\nBÁO CÁO\nKết quả phối hợp hoạt động năm học 2016 – 2017\n\nNăm học vừa qua các cấp bộ "
                 "Đoàn đã phối hợp tốt.\n" },
        { "citing", "BAN CHẤP HÀNH TRUNG ƯƠNG\nĐOÀN TNCS HỒ CHÍ MINH\nSố: 530-CV/TWĐTN\n\nHà Nội, ngày 10 tháng 8 "
                    "năm 2017\n\nV/v triển khai\n\nThực hiện Báo cáo số 526 BC/TWĐTNTNTH ngày 07/8/2017, đề nghị "
                    "các tỉnh đoàn triển khai.\n" },
    };
    for (size_t i = 0; i < 2; i++) {
        char *path = tu_printf("%s/%s.txt", dir, texts[i][0]);
        FILE *f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fputs(texts[i][1], f);
        fclose(f);
        free(path);
    }
    char *cmd = tu_printf("bin/indexer --quiet --db %s %s", db, dir);
    ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
    free(cmd);
    const char *typed[] = { "526", "526/BC", "526 BC", "so 526" };
    for (size_t i = 0; i < sizeof typed / sizeof *typed; i++) {
        tc_results_t *r = search(db, Q(.words = typed[i]));
        ck_assert_msg(r->n_hits >= 1 && strcmp(r->hits[0].doc->id, "own") == 0, "\"%s\": first %s", typed[i],
                      r->n_hits ? r->hits[0].doc->id : "(none)");
        ck_assert_int_eq(r->number_in_archive, 1);
        tc_results_free(r);
    }
    free(db);
}
END_TEST

/* The date of issue within a range; a dispatch dated only by month or
 * year is in a range that holds that whole month or year. */
START_TEST(test_date_of_issue_range)
{
    expect_seeds(Q(.date_from = "2026-01-01"), "000,001,003");
    expect_seeds(Q(.date_from = "2026-04"), "000,003");
    expect_seeds(Q(.date_to = "2024-12-31"), "002,004");
    expect_seeds(Q(.words = "date:2024..2025"), "002");
    expect_seeds(Q(.words = "date:2023-04 sáng tạo"), "004");
    expect_seeds(Q(.date_from = "2023-01", .date_to = "2024-06"), "002,004");
    expect_bad_query(Q(.date_from = "2026-13"), "date_from: \"2026-13\" is not a date (there is no month 13)");
    /* day first, as Vietnamese write dates; a month alone as 4/2026 */
    expect_seeds(Q(.date_from = "01/01/2026"), "000,001,003");
    expect_seeds(Q(.date_from = "1/4/2026"), "000,003");
    expect_seeds(Q(.date_from = "4/2026"), "000,003");
    expect_seeds(Q(.date_to = "31/12/2024"), "002,004");
    expect_bad_query(Q(.date_to = "29/02/2025"), "date_to: \"29/02/2025\" is not a date (02/2025 has 28 days)");
    expect_bad_query(Q(.date_to = "1/13/2025"), "date_to: \"1/13/2025\" is not a date (there is no month 13)");
    expect_bad_query(Q(.date_to = "01/05/26"), "date_to: \"01/05/26\" is not a date (expected DD/MM/YYYY or YYYY-MM-DD)");
    expect_bad_query(Q(.date_to = " 1/5/2026"), "date_to: \" 1/5/2026\" is not a date (expected DD/MM/YYYY or YYYY-MM-DD)");
    expect_bad_query(Q(.date_to = "01/05/0999"), "date_to: \"01/05/0999\" is not a date (the year must be 1000 to 9999)");
    expect_bad_query(Q(.words = "date:2026..2025"), "date: the range 2026..2025 ends before it starts");
}
END_TEST

START_TEST(test_words_with_and_without_accents)
{
    expect_seeds(Q(.words = "đổi mới sáng tạo"), "000,001,002,003,004");
    expect_seeds(Q(.words = "doi moi sang tao"), "000,001,002,003,004");
    expect_seeds(Q(.words = "ĐỔI MỚI SÁNG TẠO"), "000,001,002,003,004");
    expect_seeds(Q(.words = "Chi Lăng"), "002");
    expect_seeds(Q(.words = "chi lang"), "002");
    expect_seeds(Q(.words = "Bình Thành"), "003");
    expect_seeds(Q(.words = "Nguyễn Hữu Sương"), "000");
    expect_seeds(Q(.words = "\"văn hoá\""), "000,001,002,003"); /* old tone placement finds văn hóa */
    expect_seeds(Q(.words = "văn hoá"), "000,001,002,003,004"); /* 004: Công văn ... CỘNG HÒA */
    expect_seeds(Q(.words = "zzzz"), "");
}
END_TEST

START_TEST(test_phrases_and_exclusions)
{
    expect_seeds(Q(.words = "\"hành động đột phá\""), "001,003");
    expect_seeds(Q(.words = "\"hanh dong dot pha\""), "001,003");
    expect_seeds(Q(.words = "\"đột phá hành động\""), "");
    expect_seeds(Q(.words = "sáng tạo -\"lai châu\""), "000,002,003");
    expect_seeds(Q(.words = "sáng tạo -lai"), "000,003"); /* 002: "tương lai" */
}
END_TEST

START_TEST(test_document_numbers)
{
    expect_seeds(Q(.words = "1471/UBND-KGVX"), "000");
    expect_seeds(Q(.words = "1471 UBND KGVX"), "000");
    expect_seeds(Q(.words = "1471/ubnd-kgvx"), "000");
    expect_seeds(Q(.words = "57-NQ/TW"), "003");
    expect_seeds(Q(.words = "389/SKHCN-QLCN&DMST"), "002");
    expect_seeds(Q(.words = "389/SKHCN-QLCN&ĐMST"), "002");
    expect_seeds(Q(.words = "1062/BKHCN-ƯDPTCN"), "004"); /* split by a hard wrap in the file */
    expect_seeds(Q(.words = "21/4/2026"), "000,001,003");
}
END_TEST

START_TEST(test_issuer_filter)
{
    expect_seeds(Q(.issuer = "Sở Khoa học và Công nghệ tỉnh Lai Châu"), "001,004");
    expect_seeds(Q(.issuer = "so khoa hoc lai chau"), "001,004");
    expect_seeds(Q(.issuer = "SKHCN"), "001,004");
    expect_seeds(Q(.issuer = "Sở KH&CN Lai Châu"), "001,004");
    expect_seeds(Q(.issuer = "UBND"), "002,003,004"); /* 004 through its parent */
    expect_seeds(Q(.issuer = "UBND huyện Chi Lăng"), "002");
    expect_seeds(Q(.issuer = "an giang"), "000");
    expect_seeds(Q(.words = "issuer:\"sở khoa học\" sáng tạo"), "001,004");
    expect_seeds(Q(.issuer = "sở y tế"), "");
}
END_TEST

START_TEST(test_year_type_theme_filters)
{
    expect_seeds(Q(.year = "2026"), "000,001,003");
    expect_seeds(Q(.year = "2023..2024"), "002,004");
    expect_seeds(Q(.year = "..2023"), "004");
    expect_seeds(Q(.words = "year:2024"), "002");
    expect_seeds(Q(.doc_type = "công văn", .year = "2023"), "004");
    expect_seeds(Q(.words = "type:\"cong van\" year:2026"), "000,001,003");
    expect_seeds(Q(.doc_type = "kế hoạch"), "");
    expect_seeds(Q(.theme = "hành động đột phá"), "001,003");
    expect_seeds(Q(.theme = "khơi nguồn tri thức"), "002");
    expect_seeds(Q(.words = "theme:\"nhiệt liệt chào mừng\""), "001,003");
    expect_seeds(Q(.theme = "đột phá hành động"), "");
}
END_TEST

START_TEST(test_deadline_filter)
{
    expect_seeds(Q(.deadline_from = "2026-05-01", .deadline_to = "2026-05-10"), "000,001,003");
    expect_seeds(Q(.deadline_from = "2026-05-10", .deadline_to = "2026-05-10"), "000,001");
    expect_seeds(Q(.deadline_from = "2026-05-04", .deadline_to = "2026-05-09"), "003");
    expect_seeds(Q(.deadline_from = "2026-05-11"), "");
    expect_seeds(Q(.deadline_to = "2023-12-31"), "004");
    expect_seeds(Q(.deadline_to = "2023-05-24"), "");
    expect_seeds(Q(.deadline_from = "2023-05-25", .deadline_to = "2023-05-25"), "004");
    expect_seeds(Q(.words = "deadline:2026-05"), "000,001,003");
    expect_seeds(Q(.words = "deadline:2026-05-03..2026-05-03"), "003");
    expect_seeds(Q(.words = "deadline:..2024-01-01 sáng tạo"), "004");
    expect_seeds(Q(.words = "deadline:2020..2030"), "000,001,003,004");
}
END_TEST

/* Two answers are the same JSON; else says where they part (an answer is
 * too long for a message of its own). */
static void expect_same_json(const char *got, const char *expected, const char *words)
{
    size_t at = 0;
    while (got[at] && got[at] == expected[at])
        at++;
    ck_assert_msg(got[at] == expected[at], "\"%s\": answers part at byte %zu: \"%.60s\" instead of \"%.60s\"",
                  words, at, got + at, expected + at);
}

/* One handle counts facets with Xapian's spies at its first search of a
 * revision and from columns read once after: the same answers. */
START_TEST(test_facets_agree_from_one_handle)
{
    tc_index_t *index = NULL;
    ck_assert_int_eq(tc_index_open(&index, tu_corpus_index(), TC_INDEX_READ), TC_STATUS_SUCCESS);
    const char *queries[] = { "sáng tạo", "", "ubnd", "báo cáo" };
    char *first[4] = { 0 };
    for (int pass = 0; pass < 3; pass++)
        for (size_t i = 0; i < 4; i++) {
            tc_results_t *r = NULL;
            tc_query_t q = { .words = queries[i], .limit = 3 };
            ck_assert_int_eq(tc_search(&r, index, &q), TC_STATUS_SUCCESS);
            char *json = tc_results_to_json(r);
            if (!first[i])
                first[i] = json;
            else {
                expect_same_json(json, first[i], queries[i]);
                free(json);
            }
            tc_results_free(r);
        }
    for (size_t i = 0; i < 4; i++)
        free(first[i]);
    tc_index_close(index);
}
END_TEST

/* A count split between threads (slices of the documents counted by
 * helpers with handles of their own while the caller ranks) answers as one
 * thread does: totals, every facet, copies collapsed, pages, date order. */
START_TEST(test_split_count_agrees)
{
    char *db = tu_generated_index(300, 7);
    const unsigned threads[] = { 1, 2, 3 };
    tc_index_t *handles[3];
    for (size_t h = 0; h < 3; h++) {
        ck_assert_int_eq(tc_index_open(&handles[h], db, TC_INDEX_READ), TC_STATUS_SUCCESS);
        ck_assert_int_eq(tc_index_set_search_threads(handles[h], threads[h]), TC_STATUS_SUCCESS);
    }
    const tc_query_t queries[] = {
        Q(.words = "báo cáo"),
        Q(.words = "bao cao", .offset = 10),
        Q(.words = "\"tổ chức thực hiện\""),
        Q(.words = "chuyen doi so -\"kế hoạch\""),
        Q(.words = "ubnd", .year = "2024..2026"),
        Q(.words = "sở", .sort = TC_SORT_DATE, .facet_values = 100),
        Q(.words = "deadline:2025-01-01..2026-12-31"),
    };
    size_t n_queries = sizeof queries / sizeof *queries;
    size_t matched = 0;
    /* The columns a split count reads are made at a handle's second search:
     * every search but the first splits. */
    for (int pass = 0; pass < 3; pass++)
        for (size_t i = 0; i < n_queries; i++) {
            char *answers[3];
            for (size_t h = 0; h < 3; h++) {
                tc_results_t *r = NULL;
                tc_query_t q = queries[i];
                q.limit = 10;
                ck_assert_int_eq(tc_search(&r, handles[h], &q), TC_STATUS_SUCCESS);
                if (h == 0 && pass == 0)
                    matched += r->total;
                answers[h] = tc_results_to_json(r);
                tc_results_free(r);
            }
            for (size_t h = 1; h < 3; h++)
                expect_same_json(answers[h], answers[0], queries[i].words);
            for (size_t h = 0; h < 3; h++)
                free(answers[h]);
        }
    ck_assert_uint_gt(matched, 300); /* the queries find plenty to count */
    ck_assert_uint_eq(xw_db_split_searches(handles[0]->db), 0);
    ck_assert_uint_eq(xw_db_split_searches(handles[1]->db), 3 * n_queries - 1);
    ck_assert_uint_eq(xw_db_split_searches(handles[2]->db), 3 * n_queries - 1);
    for (size_t h = 0; h < 3; h++)
        tc_index_close(handles[h]);
    ck_assert_int_eq(tc_index_set_search_threads(NULL, 2), TC_STATUS_INVALID_ARGUMENT);
    free(db);
}
END_TEST

/* The answer of a long-lived handle with a split count against a fresh
 * handle counting alone, for a few queries. */
static void expect_same_as_fresh(tc_index_t *handle, const char *db)
{
    tc_index_t *fresh = NULL;
    ck_assert_int_eq(tc_index_open(&fresh, db, TC_INDEX_READ), TC_STATUS_SUCCESS);
    ck_assert_int_eq(tc_index_set_search_threads(fresh, 1), TC_STATUS_SUCCESS);
    const char *queries[] = { "báo cáo", "\"tổ chức thực hiện\"", "ubnd year:2020..2026" };
    for (size_t i = 0; i < 3; i++) {
        char *answers[2];
        tc_index_t *both[2] = { handle, fresh };
        for (size_t h = 0; h < 2; h++) {
            tc_results_t *r = NULL;
            tc_query_t q = { .words = queries[i], .limit = 5 };
            ck_assert_int_eq(tc_search(&r, both[h], &q), TC_STATUS_SUCCESS);
            answers[h] = tc_results_to_json(r);
            tc_results_free(r);
        }
        expect_same_json(answers[0], answers[1], queries[i]);
        free(answers[0]);
        free(answers[1]);
    }
    tc_index_close(fresh);
}

/* Runs the indexer command (and frees it), then moves handle on to what
 * it wrote. */
static void index_and_refresh(tc_index_t *handle, char *command, size_t expected_docs)
{
    ck_assert_int_eq(tu_run(command, NULL, NULL), 0);
    free(command);
    size_t docs = 0;
    ck_assert_int_eq(tc_index_refresh(handle), TC_STATUS_SUCCESS);
    ck_assert_int_eq(tc_index_doc_count(&docs, handle), TC_STATUS_SUCCESS);
    ck_assert_uint_eq(docs, expected_docs);
}

/* The helpers that count part of a search read the revision their caller
 * reads: after an update and after a rebuild swapped in, a refreshed
 * handle still splits its count and answers as a fresh one. */
START_TEST(test_split_count_follows_updates)
{
    char *dir = tu_tempdir(), *cmd = NULL, *db = NULL;
    ck_assert_int_ge(asprintf(&db, "%s/index", dir), 0);
    ck_assert_int_ge(asprintf(&cmd, "bench/gen-corpus --out %s/a --n 200 --seed 7 >/dev/null 2>&1 && "
                                    "bench/gen-corpus --out %s/b --n 100 --seed 8 >/dev/null 2>&1 && "
                                    "bin/indexer --quiet --db %s %s/a",
                              dir, dir, db, dir),
                     0);
    ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
    free(cmd);
    tc_index_t *handle = NULL;
    ck_assert_int_eq(tc_index_open(&handle, db, TC_INDEX_READ), TC_STATUS_SUCCESS);
    ck_assert_int_eq(tc_index_set_search_threads(handle, 2), TC_STATUS_SUCCESS);
    expect_same_as_fresh(handle, db);
    unsigned long splits = xw_db_split_searches(handle->db);
    ck_assert_uint_gt(splits, 0);

    /* An update commits a new revision; the handle moves to it. */
    ck_assert_int_ge(asprintf(&cmd, "bin/indexer --quiet --db %s %s/a %s/b", db, dir, dir), 0);
    index_and_refresh(handle, cmd, 300);
    expect_same_as_fresh(handle, db);
    ck_assert_uint_gt(xw_db_split_searches(handle->db), splits);

    /* A rebuild swaps in another database at the path (a third as large:
     * the indexer is told that many may go). */
    ck_assert_int_ge(asprintf(&cmd, "bin/indexer --quiet --rebuild --max-removals 200 --db %s %s/b", db, dir), 0);
    index_and_refresh(handle, cmd, 100);
    expect_same_as_fresh(handle, db);
    ck_assert_uint_gt(xw_db_split_searches(handle->db), 0);
    tc_index_close(handle);
    free(db);
}
END_TEST

START_TEST(test_facets_are_exact)
{
    tc_results_t *r = search(tu_corpus_index(), Q(.words = "sáng tạo", .limit = 1));
    ck_assert_uint_eq(r->total, 5);
    ck_assert_uint_eq(r->n_hits, 1);
    ck_assert_uint_eq(r->year.count, 3);
    ck_assert_str_eq(r->year.values[0].value, "2026");
    ck_assert_uint_eq(r->year.values[0].count, 3);
    ck_assert_str_eq(r->year.values[1].value, "2023");
    ck_assert_uint_eq(r->year.values[1].count, 1);
    ck_assert_str_eq(r->year.values[2].value, "2024");
    ck_assert_uint_eq(r->doc_type.count, 1);
    ck_assert_str_eq(r->doc_type.values[0].value, "Công văn");
    ck_assert_uint_eq(r->doc_type.values[0].count, 5);
    ck_assert_uint_eq(r->issuer.count, 4);
    ck_assert_uint_eq(r->issuer.distinct, 4);
    ck_assert_str_eq(r->issuer.values[0].value, "Sở Khoa học và Công nghệ tỉnh Lai Châu");
    ck_assert_uint_eq(r->issuer.values[0].count, 2);
    tc_results_free(r);

    /* Only the most frequent values are kept; the counts stay exact. */
    r = search(tu_corpus_index(), Q(.words = "sáng tạo", .limit = 1, .facet_values = 2));
    ck_assert_uint_eq(r->year.count, 2);
    ck_assert_uint_eq(r->year.distinct, 3);
    ck_assert_str_eq(r->year.values[0].value, "2026");
    ck_assert_uint_eq(r->year.values[0].count, 3);
    ck_assert_str_eq(r->year.values[1].value, "2023");
    ck_assert_uint_eq(r->issuer.count, 2);
    ck_assert_uint_eq(r->issuer.distinct, 4);
    ck_assert_uint_eq(r->issuer.values[0].count, 2);
    ck_assert_uint_eq(r->doc_type.count, 1);
    ck_assert_uint_eq(r->doc_type.distinct, 1);
    tc_results_free(r);
}
END_TEST

/* Nothing typed, filters alone: the archive's order, by id, though an
 * index written in parts holds its documents in another. */
START_TEST(test_browsing_in_the_archive_order)
{
    char *db = tu_generated_index(300, 7);
    tc_index_t *index = NULL;
    ck_assert_int_eq(tc_index_open(&index, db, TC_INDEX_READ), TC_STATUS_SUCCESS);
    const tc_query_t browse[] = { Q(.level = TC_ACCESS_TUYET_MAT, .limit = 40),
                                  Q(.level = TC_ACCESS_TUYET_MAT, .issuer = "Ủy ban nhân dân", .limit = 40),
                                  Q(.level = TC_ACCESS_TUYET_MAT, .limit = 40, .offset = 100) };
    for (size_t q = 0; q < sizeof browse / sizeof *browse; q++) {
        tc_results_t *r = NULL;
        ck_assert_int_eq(tc_search(&r, index, &browse[q]), TC_STATUS_SUCCESS);
        ck_assert_uint_gt(r->n_hits, 10);
        for (size_t i = 1; i < r->n_hits; i++)
            ck_assert_msg(strcmp(r->hits[i - 1].doc->id, r->hits[i].doc->id) < 0, "query %zu: %s before %s", q,
                          r->hits[i - 1].doc->id, r->hits[i].doc->id);
        tc_results_free(r);
    }
    tc_index_close(index);
    free(db);
}
END_TEST

/* Past a count bound the total and the facets are estimated, between the
 * bounds Xapian proves, and flagged; exact=1, a bound above the total and
 * the export count every match.  On 300 generated dispatches, all seen (indexed in
 * file order, so the same sample every run), with small bounds. */
START_TEST(test_count_bound_estimates_and_says_so)
{
    char *db = tu_generated_index(300, 7);
    tc_index_t *index = NULL;
    ck_assert_int_eq(tc_index_open(&index, db, TC_INDEX_READ), TC_STATUS_SUCCESS);
    const char *phrase = "\"tổ chức thực hiện\"";
    tc_results_t *exact = NULL, *wide = NULL;
    ck_assert_int_eq(tc_search(&exact, index, &Q(.level = TC_ACCESS_TUYET_MAT, .words = phrase, .limit = 10, .count_bound = 3, .exact = 1)),
                     TC_STATUS_SUCCESS);
    ck_assert_uint_eq(exact->total, 204);
    ck_assert(exact->total_exact && exact->facets_exact);
    ck_assert_uint_eq(exact->total_lower, 204);
    ck_assert_uint_eq(exact->total_upper, 204);
    /* A bound above the total counts it whole, as exact=1 does. */
    ck_assert_int_eq(tc_search(&wide, index, &Q(.level = TC_ACCESS_TUYET_MAT, .words = phrase, .limit = 10, .count_bound = 205)), TC_STATUS_SUCCESS);
    char *exact_json = tc_results_to_json(exact), *wide_json = tc_results_to_json(wide);
    expect_same_json(wide_json, exact_json, phrase);
    /* Past a bound of 100, the rate of the first matches says the count
     * ends within three bounds: it is finished exactly. */
    tc_results_t *near = NULL;
    ck_assert_int_eq(tc_search(&near, index, &Q(.level = TC_ACCESS_TUYET_MAT, .words = phrase, .limit = 10, .count_bound = 100)), TC_STATUS_SUCCESS);
    char *near_json = tc_results_to_json(near);
    expect_same_json(near_json, exact_json, phrase);
    free(near_json);
    tc_results_free(near);
    ck_assert_ptr_nonnull(strstr(exact_json, "\"total\":204,\"total_exact\":true,\"total_lower\":204,"
                                             "\"total_upper\":204,\"facets_exact\":true"));
    /* The first search of a handle counts from the documents, later ones
     * from columns: the same sample, the same answer. */
    char *answers[2];
    for (int pass = 0; pass < 2; pass++) {
        tc_results_t *r = NULL;
        ck_assert_int_eq(tc_search(&r, index, &Q(.level = TC_ACCESS_TUYET_MAT, .words = phrase, .limit = 10, .count_bound = 50)), TC_STATUS_SUCCESS);
        ck_assert(!r->total_exact && !r->facets_exact && !r->partial);
        /* The first pass stopped at the 51st match, a sample of the
         * documents after it found 55 more; the words are in 283. */
        ck_assert_uint_eq(r->total_lower, 106);
        ck_assert_uint_eq(r->total_upper, 283);
        ck_assert_uint_eq(r->total, 196);
        ck_assert_uint_le(r->total_lower, exact->total);
        ck_assert_uint_ge(r->total_upper, exact->total);
        /* The page is the same: only counting stopped early. */
        ck_assert_uint_eq(r->n_hits, exact->n_hits);
        for (size_t i = 0; i < r->n_hits; i++)
            ck_assert_str_eq(r->hits[i].doc->id, exact->hits[i].doc->id);
        /* No facet count says more than the total. */
        size_t in_years = 0;
        for (size_t i = 0; i < r->year.count; i++)
            in_years += r->year.values[i].count;
        ck_assert_uint_le(in_years, r->total);
        ck_assert_uint_gt(in_years, 0);
        answers[pass] = tc_results_to_json(r);
        tc_results_free(r);
    }
    expect_same_json(answers[1], answers[0], phrase);
    ck_assert_ptr_nonnull(strstr(answers[0], "\"total\":196,\"total_exact\":false,\"total_lower\":106,"
                                             "\"total_upper\":283,\"facets_exact\":false"));
    /* One word: Xapian knows how many hold it, so the total stays exact
     * while its facets come from the sample. */
    tc_results_t *word = NULL;
    ck_assert_int_eq(tc_search(&word, index, &Q(.level = TC_ACCESS_TUYET_MAT, .words = "sở", .limit = 10, .count_bound = 50)), TC_STATUS_SUCCESS);
    ck_assert(word->total_exact && !word->facets_exact);
    ck_assert_uint_eq(word->total, 300);
    /* Each value's count is the share of its documents in the sample that
     * match times its documents: every dispatch has the word, so the
     * count of each value the sample met is the exact one (an issuer of a
     * few dispatches may be missed). */
    tc_results_t *word_exact = NULL;
    ck_assert_int_eq(tc_search(&word_exact, index, &Q(.level = TC_ACCESS_TUYET_MAT, .words = "sở", .limit = 10, .exact = 1)),
                     TC_STATUS_SUCCESS);
    const tc_facet_t *estimated_facets[] = { &word->issuer, &word->year, &word->doc_type };
    const tc_facet_t *exact_facets[] = { &word_exact->issuer, &word_exact->year, &word_exact->doc_type };
    size_t compared = 0;
    for (size_t f = 0; f < 3; f++)
        for (size_t i = 0; i < estimated_facets[f]->count; i++)
            for (size_t j = 0; j < exact_facets[f]->count; j++)
                if (strcmp(estimated_facets[f]->values[i].value, exact_facets[f]->values[j].value) == 0) {
                    ck_assert_msg(estimated_facets[f]->values[i].count == exact_facets[f]->values[j].count,
                                  "%s: %zu estimated, %zu exact", exact_facets[f]->values[j].value,
                                  (size_t)estimated_facets[f]->values[i].count, (size_t)exact_facets[f]->values[j].count);
                    compared++;
                }
    ck_assert_uint_gt(compared, 10);
    tc_results_free(word_exact);
    tc_results_free(word);
    /* What emptied a search is counted up to the bound too: past it, an
     * estimate, said so; exact=1 counts every match. */
    for (int exact_asked = 0; exact_asked < 2; exact_asked++) {
        tc_results_t *emptied = NULL;
        ck_assert_int_eq(tc_search(&emptied, index,
                                   &Q(.level = TC_ACCESS_TUYET_MAT, .words = "\"tổ chức thực hiện\" xyzzy", .limit = 10,
                                      .count_bound = 50, .exact = exact_asked)),
                         TC_STATUS_SUCCESS);
        ck_assert_uint_eq(emptied->total, 0);
        ck_assert_uint_eq(emptied->n_without, 1);
        ck_assert_str_eq(emptied->without[0].part, "xyzzy");
        ck_assert_int_eq(emptied->without[0].total_exact, exact_asked);
        if (exact_asked)
            ck_assert_uint_eq(emptied->without[0].total, 204);
        else
            ck_assert_uint_gt(emptied->without[0].total, 50);
        tc_results_free(emptied);
    }
    /* The export writes every match, whatever the bound. */
    char *csv = NULL;
    size_t csv_len = 0, rows = 0;
    FILE *out = open_memstream(&csv, &csv_len);
    ck_assert_int_eq(tc_export(out, index, &Q(.level = TC_ACCESS_TUYET_MAT, .words = phrase, .count_bound = 3), TC_EXPORT_CSV, &rows),
                     TC_STATUS_SUCCESS);
    fclose(out);
    ck_assert_uint_eq(rows, 204);
    size_t lines = 0;
    for (const char *p = csv; *p; p++)
        lines += *p == '\n';
    ck_assert_uint_eq(lines, 1 + 204);
    free(csv);
    free(answers[0]);
    free(answers[1]);
    free(exact_json);
    free(wide_json);
    tc_results_free(exact);
    tc_results_free(wide);
    tc_index_close(index);
    free(db);
}
END_TEST

/* An estimated total reads as a person says it: two significant digits,
 * thousands apart with commas. */
START_TEST(test_estimated_total_reads_about)
{
    const struct {
        size_t total;
        int exact;
        const char *first_line;
    } cases[] = {
        { 68324, 0, "1-1 of about 68,000 dispatches\n" },
        { 1250000, 0, "1-1 of about 1,300,000 dispatches\n" },
        { 10450, 0, "1-1 of about 10,000 dispatches\n" },
        { 10550, 0, "1-1 of about 11,000 dispatches\n" },
        { 7, 0, "1-1 of about 7 dispatches\n" },
        { 68324, 1, "1-1 of 68324 dispatches\n" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        tc_doc_t doc = { 0 };
        tc_hit_t hit = { .doc = &doc };
        tc_results_t r = { .total = cases[i].total, .total_exact = cases[i].exact, .number_in_archive = -1,
                           .limit = 10, .hits = &hit, .n_hits = 1 };
        char *text = NULL;
        size_t text_len = 0;
        FILE *out = open_memstream(&text, &text_len);
        tc_results_print_text(out, &r, 0);
        fclose(out);
        const char *newline = strchr(text, '\n');
        ck_assert_ptr_nonnull(newline);
        ck_assert_msg(strncmp(text, cases[i].first_line, strlen(cases[i].first_line)) == 0, "%zu: got %.*s", cases[i].total,
                      (int)(newline - text + 1), text);
        free(text);
    }
}
END_TEST

START_TEST(test_sort_by_date_and_paging)
{
    tc_results_t *r = search(tu_corpus_index(), Q(.sort = TC_SORT_DATE));
    ck_assert_uint_eq(r->n_hits, 5);
    /* "2026-04" (000, 003), then "2026" (001: no month), 2024-04, 2023-04 */
    ck_assert_str_eq(r->hits[2].doc->id, "001_17e1e73a82d28e15");
    ck_assert_str_eq(r->hits[3].doc->id, "002_265e7d34e41c1dcc");
    ck_assert_str_eq(r->hits[4].doc->id, "004_9daa15f6c42ddd15");
    tc_results_free(r);
    r = search(tu_corpus_index(), Q(.sort = TC_SORT_DATE, .offset = 3, .limit = 10));
    ck_assert_uint_eq(r->total, 5);
    ck_assert_uint_eq(r->n_hits, 2);
    ck_assert_str_eq(r->hits[0].doc->id, "002_265e7d34e41c1dcc");
    tc_results_free(r);
}
END_TEST

START_TEST(test_snippet_highlights_match_the_words)
{
    tc_results_t *r = search(tu_corpus_index(), Q(.words = "chậm nhất báo cáo Bình Thành"));
    ck_assert_uint_ge(r->n_hits, 1);
    const tc_hit_t *hit = &r->hits[0];
    ck_assert_str_eq(hit->doc->id, "003_7150dcc81a02de69");
    ck_assert_uint_ge(hit->n_highlights, 2);
    for (size_t i = 0; i < hit->n_highlights; i++) {
        const tc_span_t *s = &hit->highlights[i];
        ck_assert_uint_lt(s->start, s->end);
        ck_assert_uint_le(s->end, strlen(hit->snippet));
        char *word = tc_fold(hit->snippet + s->start, s->end - s->start);
        ck_assert_msg(strstr(" cham nhat bao cao binh thanh ", word) != NULL, "highlighted \"%s\"", word);
        free(word);
    }
    ck_assert_ptr_null(hit->doc->text);
    tc_results_free(r);
}
END_TEST

/* ---- fixtures ---------------------------------------------------- */

static const struct {
    const char *id, *text;
} fixtures[] = {
    { "bao-hook", "Công tác bảo vệ môi trường năm nay." },
    { "bao-acute", "Công tác báo cáo môi trường năm nay." },
    { "dong-council", "Hội đồng xã họp phiên thường kỳ." },
    { "dong-river", "Dòng sông xã chảy qua thường kỳ." },
    { "thuy-old", "Công trình thuỷ lợi của xã được nâng cấp." },
    { "thuy-plain", "Cong trinh thuy loi cua xa duoc nang cap." },
    { "adjacent", "Kế hoạch chuyển đổi số của tỉnh trong giai đoạn mới." },
    { "scattered", "Kế hoạch chuyển giao, đổi mới, số liệu của tỉnh." }, /* shorter */
    /* "Hội nghị tổng kết công tác." decomposed (NFD), as Windows-1258 era tools wrote it */
    { "nfd", "Ho\xCC\xA3\xCC\x82i nghi\xCC\xA3 to\xCC\x82\xCC\x89ng ke\xCC\x82\xCC\x81t co\xCC\x82ng ta\xCC\x81"
             "c." },
};

/* The fixtures are indexed twice: with every marked form as an exact term,
 * and with some of them as usual forms (forms.h), which must rank alike. */
static const char *const usual_words[] = { "báo", "đồng", "thủy", "lợi", "chuyển", "số" };

static char *usual_forms_table(void)
{
    tc_buf_t table = TC_BUF_INIT;
    for (size_t i = 0; i < sizeof usual_words / sizeof *usual_words; i++) {
        char *folded = tc_fold(usual_words[i], strlen(usual_words[i]));
        ck_assert(tc_buf_puts(&table, folded) == 0 && tc_buf_putc(&table, '\t') == 0 &&
                  tc_fold_exact_append(&table, usual_words[i], strlen(usual_words[i])) == 0 &&
                  tc_buf_putc(&table, '\n') == 0);
        free(folded);
    }
    return tc_buf_steal(&table);
}

static const char *fixture_index_with(int usual_forms)
{
    static char *paths[2];
    char **path = &paths[usual_forms != 0];
    if (*path)
        return *path;
    if (asprintf(path, "%s/fixtures%s", tu_tempdir(), usual_forms ? "-usual" : "") < 0)
        abort();
    tc_index_t *index = NULL;
    ck_assert_int_eq(tc_index_open(&index, *path, TC_INDEX_WRITE), TC_STATUS_SUCCESS);
    if (usual_forms) {
        char *table = usual_forms_table();
        ck_assert_int_eq(tc_index_set_forms(index, table), TC_STATUS_SUCCESS);
        free(table);
    }
    for (size_t i = 0; i < sizeof fixtures / sizeof *fixtures; i++) {
        char *nfc = NULL;
        tc_doc_t *doc = NULL;
        ck_assert_int_eq(tc_nfc(&nfc, NULL, fixtures[i].text, strlen(fixtures[i].text)), TC_STATUS_SUCCESS);
        ck_assert_int_eq(tc_doc_parse(&doc, nfc, strlen(nfc)), TC_STATUS_SUCCESS);
        doc->id = strdup(fixtures[i].id);
        ck_assert_int_eq(tc_index_add(index, doc), TC_STATUS_SUCCESS);
        tc_doc_free(doc);
        free(nfc);
    }
    ck_assert_int_eq(tc_index_commit(index), TC_STATUS_SUCCESS);
    tc_index_close(index);
    return *path;
}

static const char *fixture_index(void)
{
    return fixture_index_with(0);
}

/* Asserts the ranked ids of a fixture query ("a>b" strictly higher,
 * "a=b" equal scores, "a,b" any order), with and without usual forms. */
static void expect_ranking(const char *words, const char *first, const char *second, int strictly)
{
    for (int usual_forms = 0; usual_forms < 2; usual_forms++) {
        tc_results_t *r = search(fixture_index_with(usual_forms), Q(.words = words));
        ck_assert_msg(r->n_hits == 2, "\"%s\": %zu hits", words, r->n_hits);
        if (strictly) {
            ck_assert_msg(strcmp(r->hits[0].doc->id, first) == 0, "\"%s\" (usual forms %d): %s ranked first", words,
                          usual_forms, r->hits[0].doc->id);
            ck_assert_str_eq(r->hits[1].doc->id, second);
            ck_assert_msg(r->hits[0].score > r->hits[1].score, "\"%s\" (usual forms %d): equal scores", words,
                          usual_forms);
        } else {
            ck_assert_msg(r->hits[0].score == r->hits[1].score, "\"%s\" (usual forms %d): %s %.4f vs %s %.4f", words,
                          usual_forms, r->hits[0].doc->id, r->hits[0].score, r->hits[1].doc->id, r->hits[1].score);
            char *set = hit_set(r);
            char expected[128];
            snprintf(expected, sizeof expected, "%s,%s", strcmp(first, second) < 0 ? first : second,
                     strcmp(first, second) < 0 ? second : first);
            ck_assert_str_eq(set, expected);
            free(set);
        }
        tc_results_free(r);
    }
}

/* The ids of the fixtures holding term, sorted, comma separated. */
static char *fixtures_with_term(const char *db, const char *term)
{
    tc_index_t *index = NULL;
    tc_doc_t **docs = NULL;
    size_t n = 0;
    ck_assert_int_eq(tc_index_open(&index, db, TC_INDEX_READ), TC_STATUS_SUCCESS);
    ck_assert_int_eq(tc_search_term(&docs, &n, index, term, 50, TC_ACCESS_PUBLIC), TC_STATUS_SUCCESS);
    tc_buf_t ids = TC_BUF_INIT;
    ck_assert_int_eq(tc_buf_append(&ids, "", 0), 0);
    for (size_t i = 0; i < n; i++) {
        ck_assert(tc_buf_puts(&ids, i ? "," : "") == 0 && tc_buf_puts(&ids, docs[i]->id) == 0);
        tc_doc_free(docs[i]);
    }
    free(docs);
    tc_index_close(index);
    return tc_buf_steal(&ids);
}

static void expect_term(const char *db, const char *prefix, const char *word, const char *expected)
{
    tc_buf_t term = TC_BUF_INIT;
    ck_assert(tc_buf_puts(&term, prefix) == 0);
    if (strcmp(prefix, TC_PREFIX_EXACT) == 0) {
        ck_assert_int_eq(tc_fold_exact_append(&term, word, strlen(word)), 0);
    } else {
        char *folded = tc_fold(word, strlen(word));
        ck_assert_int_eq(tc_buf_puts(&term, folded), 0);
        free(folded);
    }
    char *got = fixtures_with_term(db, term.data);
    ck_assert_msg(strcmp(got, expected) == 0, "%s%s: {%s}, expected {%s}", prefix, word, got, expected);
    free(got);
    tc_buf_free(&term);
}

/* A usual form has no exact term; documents with the word only in other
 * forms are marked instead.  Without a table, every marked form has one. */
START_TEST(test_usual_forms_are_implied)
{
    const char *usual = fixture_index_with(1), *plain = fixture_index_with(0);
    expect_term(usual, TC_PREFIX_EXACT, "báo", "");
    expect_term(usual, TC_PREFIX_EXACT, "bảo", "bao-hook");
    expect_term(usual, TC_PREFIX_UNUSUAL, "bao", "bao-hook");
    expect_term(usual, TC_PREFIX_UNUSUAL, "thuy", "thuy-plain");
    expect_term(usual, TC_PREFIX_UNUSUAL, "dong", "dong-river");
    expect_term(usual, TC_PREFIX_EXACT, "dòng", "dong-river");
    expect_term(plain, TC_PREFIX_EXACT, "báo", "bao-acute");
    expect_term(plain, TC_PREFIX_UNUSUAL, "bao", "");
}
END_TEST

/* The table a sample suggests: forms held by more than half the sampled
 * documents with the word, and by at least TC_FORMS_MIN_DOCS of them. */
START_TEST(test_usual_forms_from_a_sample)
{
    const char *texts[] = {
        "Báo cáo về hội đồng.", "Báo cáo kết quả.", "Gửi báo cáo; Dòng sông.", "Cơn bão số 3; dòng chảy.",
    };
    tc_forms_sample_t sample = { 0 };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        tc_tokens_t toks = { 0 };
        ck_assert_int_eq(tc_tokenize(&toks, texts[i], strlen(texts[i])), TC_STATUS_SUCCESS);
        tc_forms_sample_next_doc(&sample);
        tc_forms_sample_add(&sample, &toks);
        tc_tokens_free(&toks);
    }
    char *table = tc_forms_sample_choose(&sample);
    /* báo: 3 of 4; cáo: 3 of 3; dòng 2 of 3 but under the minimum; đồng 1. */
    tc_buf_t expected = TC_BUF_INIT;
    const char *words[][2] = { { "bao", "báo" }, { "cao", "cáo" } };
    for (size_t i = 0; i < 2; i++)
        ck_assert(tc_buf_puts(&expected, words[i][0]) == 0 && tc_buf_putc(&expected, '\t') == 0 &&
                  tc_fold_exact_append(&expected, words[i][1], strlen(words[i][1])) == 0 &&
                  tc_buf_putc(&expected, '\n') == 0);
    ck_assert_str_eq(table, expected.data);
    tc_forms_t *forms = tc_forms_new(table);
    ck_assert_ptr_nonnull(forms);
    ck_assert_int_eq(tc_forms_find(forms, "cao"), 1);
    ck_assert_int_eq(tc_forms_find(forms, "dong"), -1);
    ck_assert_ptr_null(tc_forms_new("bao\n"));
    tc_forms_free(forms);
    free(table);
    tc_buf_free(&expected);
    tc_forms_sample_free(&sample);
}
END_TEST

START_TEST(test_accents_rank_but_do_not_filter)
{
    expect_ranking("bảo", "bao-hook", "bao-acute", 1);
    expect_ranking("báo", "bao-acute", "bao-hook", 1);
    expect_ranking("bao", "bao-hook", "bao-acute", 0);
    expect_ranking("đồng", "dong-council", "dong-river", 1);
    expect_ranking("dòng", "dong-river", "dong-council", 1);
    expect_ranking("dong", "dong-council", "dong-river", 0);
}
END_TEST

START_TEST(test_tone_placement_is_one_form)
{
    /* thuỷ (old) and thủy (new) both rank the accented document first. */
    expect_ranking("thủy lợi", "thuy-old", "thuy-plain", 1);
    expect_ranking("thuỷ lợi", "thuy-old", "thuy-plain", 1);
    expect_ranking("THỦY LỢI", "thuy-old", "thuy-plain", 1);
    expect_ranking("thuy loi", "thuy-old", "thuy-plain", 0);
}
END_TEST

START_TEST(test_adjacent_syllables_rank_first)
{
    expect_ranking("chuyển đổi số", "adjacent", "scattered", 1);
    expect_ranking("chuyen doi so", "adjacent", "scattered", 1);
    tc_results_t *r = search(fixture_index(), Q(.words = "\"chuyển đổi số\""));
    ck_assert_uint_eq(r->n_hits, 1);
    ck_assert_str_eq(r->hits[0].doc->id, "adjacent");
    tc_results_free(r);
}
END_TEST

/* Adjacency boosts reorder only the best matches by words alone (search.c's
 * RESCORE_WINDOW); pages must still add up to one listing in score order,
 * across the window's edge too. */
START_TEST(test_pages_agree_across_the_rescored_window)
{
    char *path = NULL;
    ck_assert_int_ge(asprintf(&path, "%s/window", tu_tempdir()), 0);
    tc_index_t *index = NULL;
    ck_assert_int_eq(tc_index_open(&index, path, TC_INDEX_WRITE), TC_STATUS_SUCCESS);
    for (int i = 0; i < 160; i++) {
        char text[4096] = "", id[32];
        /* Every fifth has the words together; the filler spreads the scores. */
        strcat(text, i % 5 ? "Kế hoạch chuyển giao, đổi mới, số liệu." : "Kế hoạch chuyển đổi số.");
        for (int k = 0; k < i % 37; k++)
            strcat(text, " Các đơn vị phối hợp.");
        snprintf(id, sizeof id, "w%03d", i);
        tc_doc_t *doc = NULL;
        ck_assert_int_eq(tc_doc_parse(&doc, text, strlen(text)), TC_STATUS_SUCCESS);
        doc->id = strdup(id);
        ck_assert_int_eq(tc_index_add(index, doc), TC_STATUS_SUCCESS);
        tc_doc_free(doc);
    }
    ck_assert_int_eq(tc_index_commit(index), TC_STATUS_SUCCESS);
    tc_index_close(index);

    tc_results_t *all = search(path, Q(.words = "chuyen doi so", .limit = 160));
    ck_assert_uint_eq(all->total, 160);
    ck_assert_uint_eq(all->n_hits, 160);
    for (size_t i = 1; i < all->n_hits; i++)
        ck_assert_msg(all->hits[i - 1].score >= all->hits[i].score, "hit %zu outranks hit %zu", i, i - 1);
    ck_assert_msg(atoi(all->hits[0].doc->id + 1) % 5 == 0, "%s ranked first without the words together",
                  all->hits[0].doc->id);
    for (size_t offset = 0; offset < 160; offset += 7) {
        tc_results_t *page = search(path, Q(.words = "chuyen doi so", .offset = offset, .limit = 7));
        for (size_t i = 0; i < page->n_hits; i++)
            ck_assert_msg(strcmp(page->hits[i].doc->id, all->hits[offset + i].doc->id) == 0,
                          "page at %zu: hit %zu is %s, the whole listing has %s", offset, i, page->hits[i].doc->id,
                          all->hits[offset + i].doc->id);
        tc_results_free(page);
    }
    tc_results_free(all);
    free(path);
}
END_TEST

START_TEST(test_nfd_text_is_found)
{
    tc_results_t *r = search(fixture_index(), Q(.words = "hội nghị tổng kết"));
    ck_assert_uint_eq(r->n_hits, 1);
    ck_assert_str_eq(r->hits[0].doc->id, "nfd");
    ck_assert_ptr_nonnull(strstr(r->hits[0].snippet, "Hội nghị tổng kết"));
    tc_results_free(r);
}
END_TEST


/* ---- copies of one dispatch -------------------------------------- */

/* The files of a corpus, each with its copies key (index.c's: number key,
 * space, date; NULL when the dispatch has no number or no date). */
typedef struct {
    char *path, *key;
} corpus_file_t;

static size_t corpus_files(corpus_file_t **out, const char *root)
{
    char *cmd = NULL, line[4096];
    ck_assert_int_ge(asprintf(&cmd, "find %s -type f -name '*.txt*' | sort", root), 0);
    FILE *found = popen(cmd, "r");
    ck_assert_ptr_nonnull(found);
    corpus_file_t *files = NULL;
    size_t n = 0;
    while (fgets(line, sizeof line, found)) {
        line[strcspn(line, "\n")] = '\0';
        tc_doc_t *doc = NULL;
        char *message = NULL;
        ck_assert_int_eq(tc_doc_load(&doc, line, "file", &message), TC_STATUS_SUCCESS);
        files = realloc(files, (n + 1) * sizeof *files);
        files[n].path = strdup(line);
        files[n].key = NULL;
        char *number = doc->number && doc->date ? tc_number_key(doc->number, doc->symbol) : NULL;
        if (number && asprintf(&files[n].key, "%s %s", number, doc->date) >= 0 &&
            strlen(files[n].key) > TC_MAX_TERM_BYTES) {
            free(files[n].key);
            files[n].key = NULL;
        }
        free(number);
        tc_doc_free(doc);
        n++;
    }
    ck_assert_int_eq(pclose(found), 0);
    free(cmd);
    *out = files;
    return n;
}

/* The paths a hit at path must list under also_in: the other files with
 * its key, sorted ("" for none), comma separated. */
static char *expected_also_in(const corpus_file_t *files, size_t n, const char *path)
{
    const char *key = NULL;
    for (size_t i = 0; i < n && !key; i++)
        if (strcmp(files[i].path, path) == 0)
            key = files[i].key ? files[i].key : "";
    ck_assert_msg(key != NULL, "%s is no file of the corpus", path);
    char *out = calloc(1, 1);
    for (size_t i = 0; i < n && *key; i++) /* files are in path order */
        if (files[i].key && strcmp(files[i].key, key) == 0 && strcmp(files[i].path, path) != 0) {
            char *longer = NULL;
            ck_assert_int_ge(asprintf(&longer, "%s%s%s", out, *out ? "," : "", files[i].path), 0);
            free(out);
            out = longer;
        }
    return out;
}

static char *listed_also_in(const tc_hit_t *hit)
{
    char *out = calloc(1, 1);
    for (size_t i = 0; i < hit->also_in.count; i++) {
        char *longer = NULL;
        ck_assert_int_ge(asprintf(&longer, "%s%s%s", out, *out ? "," : "", hit->also_in.items[i]), 0);
        free(out);
        out = longer;
    }
    return out;
}

/* Checks the also_in of every hit of a search; returns how many paths
 * they name, and (when total is given) the search's total, asserting that
 * the page held every match. */
static size_t expect_also_in(const char *db, tc_query_t q, const corpus_file_t *files, size_t n, size_t *total)
{
    tc_results_t *r = search(db, q);
    size_t named = 0;
    for (size_t h = 0; h < r->n_hits; h++) {
        char *expected = expected_also_in(files, n, r->hits[h].doc->path), *listed = listed_also_in(&r->hits[h]);
        ck_assert_msg(strcmp(listed, expected) == 0, "\"%s\" %s, offset %zu: %s lists {%s}, not {%s}", q.words,
                      q.sort == TC_SORT_DATE ? "by date" : "by relevance", q.offset, r->hits[h].doc->path, listed,
                      expected);
        named += r->hits[h].also_in.count;
        free(expected);
        free(listed);
    }
    if (total) {
        ck_assert_uint_eq(r->n_hits, r->total);
        *total = r->total;
    }
    tc_results_free(r);
    return named;
}

/* Results show one copy of a dispatch and name the others under also_in:
 * every one of them, in path order, whatever the order of the results and
 * the page, for words (ranked by adjacency in the rescored window too) as
 * for filters alone, where every match weighs the same and Xapian counted
 * none of the copies it collapsed. */
START_TEST(test_copies_are_named_in_every_order)
{
    char *dir = tu_tempdir(), *cmd = NULL, *db = NULL, *root = NULL;
    ck_assert_int_ge(asprintf(&db, "%s/index", dir), 0);
    ck_assert_int_ge(asprintf(&root, "%s/corpus", dir), 0);
    ck_assert_int_ge(asprintf(&cmd, "bench/gen-corpus --out %s --n 300 --seed 7 --quiet >/dev/null 2>&1", root), 0);
    ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
    free(cmd);
    /* Copies of 12 dispatches with a number and a date, 4 of them twice. */
    corpus_file_t *files = NULL;
    size_t n = corpus_files(&files, root), copied = 0;
    tc_buf_t copy = TC_BUF_INIT;
    tc_buf_printf(&copy, "mkdir -p %s/zz-copies", root);
    for (size_t i = 0; i < n && copied < 12; i += 7)
        if (files[i].key) {
            const char *name = strrchr(files[i].path, '/') + 1;
            tc_buf_printf(&copy, " && cp %s %s/zz-copies/copy-%s", files[i].path, root, name);
            if (copied++ < 4)
                tc_buf_printf(&copy, " && cp %s %s/zz-copies/again-%s", files[i].path, root, name);
        }
    ck_assert_uint_eq(copied, 12);
    ck_assert_int_eq(tu_run(copy.data, NULL, NULL), 0);
    tc_buf_free(&copy);
    for (size_t i = 0; i < n; i++) {
        free(files[i].path);
        free(files[i].key);
    }
    free(files);
    n = corpus_files(&files, root);
    ck_assert_uint_eq(n, 316);
    ck_assert_int_ge(asprintf(&cmd, "bin/indexer --quiet --db %s %s", db, root), 0);
    ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
    free(cmd);

    const char *queries[] = { "", "year:2025", "ubnd", "ủy ban nhân dân tỉnh" };
    const tc_sort_t orders[] = { TC_SORT_RELEVANCE, TC_SORT_DATE };
    for (size_t q = 0; q < sizeof queries / sizeof *queries; q++)
        for (size_t o = 0; o < 2; o++) {
            /* The whole listing on one page, then in pages of 10. */
            /* The generated corpus has secret dispatches: a reader who
             * may see them all sees every copy. */
            size_t total = 0, named = expect_also_in(db, Q(.words = queries[q], .sort = orders[o], .limit = 1000,
                                                           .level = TC_ACCESS_TUYET_MAT),
                                                     files, n, &total);
            ck_assert_msg(named > 0, "\"%s\": no copy to name", queries[q]);
            for (size_t offset = 0; offset < total; offset += 10)
                expect_also_in(db, Q(.words = queries[q], .sort = orders[o], .offset = offset, .limit = 10,
                                     .level = TC_ACCESS_TUYET_MAT),
                               files, n, NULL);
        }
    /* Everything: each of the 16 copies is named by the one shown. */
    tc_results_t *r = search(db, Q(.words = "", .limit = 1000, .level = TC_ACCESS_TUYET_MAT));
    size_t named = 0;
    for (size_t h = 0; h < r->n_hits; h++)
        named += r->hits[h].also_in.count;
    ck_assert_uint_ge(named, 16);
    ck_assert_uint_eq(r->total, 316 - named);
    tc_results_free(r);
    for (size_t i = 0; i < n; i++) {
        free(files[i].path);
        free(files[i].key);
    }
    free(files);
    free(root);
    free(db);
}
END_TEST

/* ---- bounds on a query's work ------------------------------------ */

/* The queries a search of the bundled corpus runs, described by Xapian. */
static char *described(tc_query_t q)
{
    tc_index_t *index = NULL;
    char *description = NULL;
    ck_assert_int_eq(tc_index_open(&index, tu_corpus_index(), TC_INDEX_READ), TC_STATUS_SUCCESS);
    tc_status_t status = tc_search_describe(&description, index, &q);
    ck_assert_msg(status == TC_STATUS_SUCCESS, "\"%s\": %s", q.words ? q.words : "", tc_index_last_error(index));
    tc_index_close(index);
    return description;
}

/* The answer of the bundled corpus, as JSON. */
static char *answer(tc_query_t q)
{
    tc_results_t *r = search(tu_corpus_index(), q);
    char *json = tc_results_to_json(r);
    tc_results_free(r);
    return json;
}

/* A query repeating what another says once is built as that one: the same
 * Xapian queries (so the same work), the same answer. */
static void expect_built_as(tc_query_t repeated, tc_query_t once)
{
    char *got = described(repeated), *expected = described(once);
    if (strcmp(got, expected) != 0)
        fprintf(stderr, "\"%s\" is built as\n%s\ninstead of\n%s\n", repeated.words, got, expected);
    ck_assert_msg(strcmp(got, expected) == 0, "\"%.80s\" is built otherwise (see stderr)", repeated.words);
    free(got);
    free(expected);
    got = answer(repeated);
    expected = answer(once);
    expect_same_json(got, expected, repeated.words);
    free(got);
    free(expected);
}

/* The same, for what a query matches and counts: the ranked and counted
 * queries (not the boosts tried on the best matches). */
static void expect_matched_as(tc_query_t repeated, tc_query_t once)
{
    char *got = described(repeated), *expected = described(once);
    *strstr(got, "\nrescore: ") = '\0';
    *strstr(expected, "\nrescore: ") = '\0';
    ck_assert_msg(strcmp(got, expected) == 0, "\"%.40s...\" is built as\n%.400s\ninstead of\n%.400s", repeated.words, got,
                  expected);
    free(got);
    free(expected);
    tc_results_t *r = search(tu_corpus_index(), repeated), *r1 = search(tu_corpus_index(), once);
    ck_assert_uint_eq(r->total, r1->total);
    char *ids = hit_set(r), *ids1 = hit_set(r1);
    ck_assert_str_eq(ids, ids1);
    free(ids);
    free(ids1);
    tc_results_free(r);
    tc_results_free(r1);
}

/* words repeated (space-separated) as often as the query's length allows:
 * the crafted query that once cost a phrase check per copy. */
static char *repeated_to_the_limit(const char *words)
{
    static char query[TC_MAX_QUERY_BYTES + 1];
    query[0] = '\0';
    while (strlen(query) + 1 + strlen(words) <= TC_MAX_QUERY_BYTES) {
        if (query[0])
            strcat(query, " ");
        strcat(query, words);
    }
    return query;
}

START_TEST(test_repeats_are_built_once)
{
    const char *phrase = "\"hành động đột phá\"";
    char *repeated = repeated_to_the_limit(phrase);
    ck_assert_uint_gt(strlen(repeated), TC_MAX_QUERY_BYTES - 30); /* 40 copies */
    expect_built_as(Q(.words = repeated), Q(.words = phrase));
    tc_results_t *r = search(tu_corpus_index(), Q(.words = repeated));
    ck_assert_uint_eq(r->total, 2); /* seeds 001 and 003, as test_phrases_and_exclusions */
    tc_results_free(r);

    /* Written another way, folded the same: one phrase, boosted once. */
    expect_built_as(Q(.words = "\"hành động đột phá\" \"HÀNH ĐỘNG ĐỘT PHÁ\""), Q(.words = phrase));
    expect_built_as(Q(.words = "\"hanh dong dot pha\" \"hanh   dong dot pha\""), Q(.words = "\"hanh dong dot pha\""));
    expect_built_as(Q(.words = "-\"lai châu\" sáng tạo -\"lai châu\""), Q(.words = "sáng tạo -\"lai châu\""));
    /* Unquoted words keep their order for the adjacency boosts of the best
     * matches, repeats included; what is matched and counted is built once. */
    expect_matched_as(Q(.words = repeated_to_the_limit("1471/UBND-KGVX")), Q(.words = "1471/UBND-KGVX"));
    expect_matched_as(Q(.words = repeated_to_the_limit("sáng tạo")), Q(.words = "sáng tạo"));
    /* Filters, inline or given apart. */
    expect_built_as(Q(.words = "theme:\"hành động đột phá\" theme:\"hành động đột phá\"", .theme = "hành động đột phá"),
                    Q(.theme = "hành động đột phá"));
    expect_built_as(Q(.words = "issuer:skhcn issuer:skhcn deadline:2026-05 deadline:2026-05"),
                    Q(.issuer = "skhcn", .deadline_from = "2026-05-01", .deadline_to = "2026-05-31"));
}
END_TEST

START_TEST(test_query_work_is_capped)
{
    const char *eight = "\"a b\" \"c d\" \"e g\" \"h i\" \"k l\" \"m n\" \"o p\" \"q r\"";
    tc_results_t *r = search(tu_corpus_index(), Q(.words = eight));
    ck_assert_uint_eq(r->total, 0);
    tc_results_free(r);
    char nine[256];
    snprintf(nine, sizeof nine, "%s \"s t\"", eight);
    expect_bad_query(Q(.words = nine), "q: more than 8 different phrases in one query");
    /* Words joined by punctuation are a phrase each. */
    expect_bad_query(Q(.words = "1/a 2/a 3/a 4/a 5/a 6/a 7/a 8/a 9/a"), "q: more than 8 different phrases in one query");
    /* Repeats count once. */
    snprintf(nine, sizeof nine, "%s \"a b\" \"A  B\" \"q r\"", eight);
    r = search(tu_corpus_index(), Q(.words = nine));
    ck_assert_uint_eq(r->total, 0);
    tc_results_free(r);
    snprintf(nine, sizeof nine, "%s -\"c d\"", eight); /* excluding a phrase is checking it too */
    expect_bad_query(Q(.words = nine), "q: more than 8 different phrases in one query");

    /* 64 different words (consonant + vowel syllables), then 65. */
    static const char *consonants[] = { "b", "c", "d", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t" };
    static const char *vowels[] = { "a", "e", "i", "o", "u" };
    char words[512] = "";
    for (size_t n = 0; n < 65; n++) {
        if (n == 64) {
            r = search(tu_corpus_index(), Q(.words = words));
            tc_results_free(r);
        }
        strcat(words, n ? " " : "");
        strcat(words, consonants[n / 5]);
        strcat(words, vowels[n % 5]);
    }
    expect_bad_query(Q(.words = words), "q: more than 64 different words in one query");
    char *repeated = repeated_to_the_limit("ba be bi bo bu");
    r = search(tu_corpus_index(), Q(.words = repeated));
    tc_results_free(r);
}
END_TEST

/* A search that checks word positions answers, past its time limit, with
 * what it found, and says so; within it, or with none, the answer is the
 * exact one.  Words alone cost a posting per match and are not stopped.
 * The limits here are an instant, which every pass outlasts, and a minute,
 * which none does: no timing is asserted. */
START_TEST(test_time_limit_stops_and_says_so)
{
    char *db = tu_generated_index(300, 7);
    const unsigned threads[] = { 1, 2 };
    const tc_query_t queries[] = { Q(.words = "\"báo cáo\""), Q(.words = "\"tổ chức thực hiện\" -\"kế hoạch\""),
                                   Q(.words = "\"ủy ban\" year:2020..2026", .sort = TC_SORT_DATE),
                                   Q(.words = "báo cáo"), Q(.words = "") };
    const size_t positional = 3; /* the first three */
    for (size_t t = 0; t < 2; t++) {
        tc_index_t *index = NULL;
        ck_assert_int_eq(tc_index_open(&index, db, TC_INDEX_READ), TC_STATUS_SUCCESS);
        ck_assert_int_eq(tc_index_set_search_threads(index, threads[t]), TC_STATUS_SUCCESS);
        /* Twice over: a handle's first search and the ones counting from columns. */
        for (size_t pass = 0; pass < 2 * sizeof queries / sizeof *queries; pass++) {
            tc_query_t q = queries[pass % (sizeof queries / sizeof *queries)];
            q.limit = 10;
            tc_results_t *exact = NULL, *unlimited = NULL, *stopped = NULL;
            ck_assert_int_eq(tc_search(&exact, index, &q), TC_STATUS_SUCCESS);
            q.time_limit = 60;
            ck_assert_int_eq(tc_search(&unlimited, index, &q), TC_STATUS_SUCCESS);
            q.time_limit = 1e-9;
            ck_assert_int_eq(tc_search(&stopped, index, &q), TC_STATUS_SUCCESS);
            ck_assert_msg(!exact->partial && !unlimited->partial, "\"%s\": partial within the limit", q.words);
            ck_assert_uint_gt(exact->total, 20); /* something to stop short of */
            char *a = tc_results_to_json(exact), *b = tc_results_to_json(unlimited), *c = tc_results_to_json(stopped);
            expect_same_json(b, a, q.words);
            ck_assert_ptr_nonnull(strstr(a, "\"partial\":false"));
            if (pass % (sizeof queries / sizeof *queries) < positional) {
                ck_assert_msg(stopped->partial, "\"%s\" (%u threads): not stopped", q.words, threads[t]);
                ck_assert_ptr_nonnull(strstr(c, "\"partial\":true"));
                ck_assert_uint_lt(stopped->total, exact->total);
                ck_assert_uint_le(stopped->n_hits, exact->n_hits);
                ck_assert_uint_le(stopped->offset + stopped->n_hits, stopped->total);
                char *text = NULL;
                size_t text_len = 0;
                FILE *out = open_memstream(&text, &text_len);
                tc_results_print_text(out, stopped, 0);
                fclose(out);
                ck_assert_msg(strncmp(text, "the search stopped at its time limit: ", 38) == 0, "text: %.80s", text);
                free(text);
            } else {
                expect_same_json(c, a, q.words);
            }
            free(a);
            free(b);
            free(c);
            tc_results_free(exact);
            tc_results_free(unlimited);
            tc_results_free(stopped);
        }
        tc_index_close(index);
    }
    free(db);
}
END_TEST

/* ---- errors ------------------------------------------------------ */

static void expect_bad_query(tc_query_t q, const char *message)
{
    tc_index_t *index = NULL;
    tc_results_t *r = NULL;
    if (!q.limit)
        q.limit = 10;
    ck_assert_int_eq(tc_index_open(&index, tu_corpus_index(), TC_INDEX_READ), TC_STATUS_SUCCESS);
    ck_assert_int_eq(tc_search(&r, index, &q), TC_STATUS_BAD_QUERY);
    ck_assert_ptr_null(r);
    ck_assert_str_eq(tc_index_last_error(index), message);
    tc_index_close(index);
}

/* Several values of one facet: any of them (OR), and still AND with the
 * other filters; an empty answer names the group as one part. */
START_TEST(test_several_values_of_a_facet)
{
    static const char *const old_years[] = { "2024", "2023", NULL };
    static const char *const years_with_2026[] = { "2024", "2026", NULL };
    static const char *const two_districts[] = { "Chi Lăng", "Bình Thành", NULL };
    static const char *const two_places[] = { "Lai Châu", "Chi Lăng", NULL };
    static const char *const two_types[] = { "Công văn", "Kế hoạch", NULL };
    expect_seeds(Q(.year_any = old_years), "002,004");
    expect_seeds(Q(.words = "sang tao", .year_any = years_with_2026), "000,001,002,003");
    expect_seeds(Q(.issuer_any = two_districts), "002,003");
    expect_seeds(Q(.issuer_any = two_places, .year = "2023"), "004");
    expect_seeds(Q(.doc_type_any = two_types), "000,001,002,003,004");
    expect_seeds(Q(.issuer_any = two_districts, .year_any = old_years), "002");
    tc_results_t *r = search(tu_corpus_index(), Q(.year_any = old_years, .issuer = "Bình Thành"));
    ck_assert_uint_eq(r->total, 0);
    ck_assert_uint_eq(r->n_without, 2);
    ck_assert_str_eq(r->without[0].part, "issuer:\"Bình Thành\"");
    ck_assert_uint_eq(r->without[0].total, 2);
    ck_assert_str_eq(r->without[1].part, "year:2024|2023");
    ck_assert_uint_eq(r->without[1].total, 1);
    tc_results_free(r);
    static const char *const bad_years[] = { "2024", "20x6", NULL };
    expect_bad_query(Q(.year_any = bad_years), "year: \"20x6\" is not a year (expected 2026 or 2023..2026)");
}
END_TEST

START_TEST(test_bad_queries_name_the_problem)
{
    expect_bad_query(Q(.year = "20x6"), "year: \"20x6\" is not a year (expected 2026 or 2023..2026)");
    expect_bad_query(Q(.words = "year:2026..2020"), "year: \"2026..2020\" ends before it starts");
    expect_bad_query(Q(.words = "year:4294969322"), "year: \"4294969322\" is not a year (expected 2026 or 2023..2026)");
    expect_bad_query(Q(.year = "-2026"), "year: \"-2026\" is not a year (expected 2026 or 2023..2026)");
    expect_bad_query(Q(.year = "999"), "year: \"999\" is out of range (1000..9999)");
    expect_bad_query(Q(.deadline_from = "2026-13-01"),
                     "deadline_from: \"2026-13-01\" is not a date (there is no month 13)");
    expect_bad_query(Q(.deadline_to = "mai"), "deadline_to: \"mai\" is not a date (expected DD/MM/YYYY or YYYY-MM-DD)");
    expect_bad_query(Q(.words = "deadline:30/02/2026"), "deadline_from: \"30/02/2026\" is not a date (02/2026 has 28 days)");
    expect_bad_query(Q(.words = "deadline:2026-05-10..2026-05-01"),
                     "deadline: the range 2026-05-10..2026-05-01 ends before it starts");
    expect_bad_query(Q(.words = "issuer:"), "issuer: needs a value");
    expect_bad_query(Q(.words = "x", .limit = 5000), "limit: 5000 is more than 1000");
    char long_query[1100];
    memset(long_query, 'a', sizeof long_query - 1);
    long_query[sizeof long_query - 1] = '\0';
    expect_bad_query(Q(.words = long_query), "q: the query is 1099 bytes long, over the limit of 1000 (a letter with "
                                             "Vietnamese marks takes 2 or 3 bytes)");
}
END_TEST

START_TEST(test_missing_index)
{
    tc_index_t *index = NULL;
    char *path = NULL;
    ck_assert_int_ge(asprintf(&path, "%s/none", tu_tempdir()), 0);
    ck_assert_int_eq(tc_index_open(&index, path, TC_INDEX_READ), TC_STATUS_NO_INDEX);
    char expected[512];
    snprintf(expected, sizeof expected, "no index at %s (build one with: indexer --db %s FOLDER)", path, path);
    ck_assert_str_eq(tc_index_last_error(index), expected);
    tc_index_close(index);
    free(path);
    tc_index_close(NULL);
    tc_results_free(NULL);
    tc_results_t *none = NULL;
    ck_assert_int_eq(tc_search(&none, NULL, NULL), TC_STATUS_INVALID_ARGUMENT);
}
END_TEST

START_TEST(test_index_of_another_format_is_refused)
{
    /* A database with a document but no format stamp, as an older indexer
     * left it: its records would be misread, so it is refused. */
    char *path = NULL, *expected = NULL;
    ck_assert_int_ge(asprintf(&path, "%s/old", tu_tempdir()), 0);
    xw_db_t *db = NULL;
    ck_assert_int_eq(xw_db_open(&db, path, 1), TC_STATUS_SUCCESS);
    xw_doc_t *doc = xw_doc_new();
    ck_assert_int_eq(xw_doc_set_data(doc, "{}", 2), 0);
    ck_assert_int_eq(xw_db_replace(db, "Qold", doc), TC_STATUS_SUCCESS);
    ck_assert_int_eq(xw_db_commit(db), TC_STATUS_SUCCESS);
    xw_doc_free(doc);
    xw_db_close(db);
    tc_index_t *index = NULL;
    ck_assert_int_eq(tc_index_open(&index, path, TC_INDEX_READ), TC_STATUS_NO_INDEX);
    ck_assert_int_ge(asprintf(&expected, "index %s was built by another version of the indexer (format 1, not " TC_FORMAT_VERSION "); "
                                         "rebuild it with: indexer --db %s --rebuild FOLDER", path, path), 0);
    ck_assert_str_eq(tc_index_last_error(index), expected);
    tc_index_close(index);
    /* Nor does an update add records beside the ones it cannot read, or
     * stamp it with its own format. */
    ck_assert_int_eq(tc_index_open(&index, path, TC_INDEX_WRITE), TC_STATUS_NO_INDEX);
    ck_assert_str_eq(tc_index_last_error(index), expected);
    tc_index_close(index);
    ck_assert_int_eq(tc_index_open(&index, path, TC_INDEX_READ), TC_STATUS_NO_INDEX);
    tc_index_close(index);
    free(expected);
    free(path);
}
END_TEST

START_TEST(test_reindexing_replaces)
{
    char *path = NULL;
    ck_assert_int_ge(asprintf(&path, "%s/again", tu_tempdir()), 0);
    for (int round = 0; round < 2; round++) {
        tc_index_t *index = NULL;
        ck_assert_int_eq(tc_index_open(&index, path, TC_INDEX_WRITE), TC_STATUS_SUCCESS);
        tc_doc_t *doc = NULL;
        char *message = NULL;
        ck_assert_int_eq(tc_doc_load(&doc, "corpus/002_265e7d34e41c1dcc.txt", "002", &message), TC_STATUS_SUCCESS);
        ck_assert_int_eq(tc_index_add(index, doc), TC_STATUS_SUCCESS);
        ck_assert_int_eq(tc_index_commit(index), TC_STATUS_SUCCESS);
        size_t count = 0;
        ck_assert_int_eq(tc_index_doc_count(&count, index), TC_STATUS_SUCCESS);
        ck_assert_uint_eq(count, 1);
        tc_doc_free(doc);
        tc_index_close(index);
    }
    free(path);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("search");
    TCase *corpus = tcase_create("corpus");
    tcase_add_test(corpus, test_words_with_and_without_accents);
    tcase_add_test(corpus, test_abbreviations_in_the_search_box);
    tcase_add_test(corpus, test_date_of_issue_range);
    tcase_add_test(corpus, test_an_empty_answer_says_what_emptied_it);
    tcase_add_test(corpus, test_due_views);
    tcase_add_test(corpus, test_typos_are_corrected_from_the_archive);
    tcase_add_test(corpus, test_several_values_of_a_facet);
    tcase_add_test(corpus, test_phrases_and_exclusions);
    tcase_add_test(corpus, test_facets_agree_from_one_handle);
    tcase_add_test(corpus, test_document_numbers);
    tcase_add_test(corpus, test_issuer_filter);
    tcase_add_test(corpus, test_year_type_theme_filters);
    tcase_add_test(corpus, test_deadline_filter);
    tcase_add_test(corpus, test_deadline_of_a_whole_month);
    tcase_add_test(corpus, test_number_glued_to_its_symbol);
    tcase_add_test(corpus, test_sort_by_deadline_and_date_both_ways);
    tcase_add_test(corpus, test_facets_are_exact);
    tcase_add_test(corpus, test_split_count_agrees);
    tcase_add_test(corpus, test_split_count_follows_updates);
    tcase_add_test(corpus, test_count_bound_estimates_and_says_so);
    tcase_add_test(corpus, test_browsing_in_the_archive_order);
    tcase_add_test(corpus, test_estimated_total_reads_about);
    tcase_add_test(corpus, test_sort_by_date_and_paging);
    tcase_add_test(corpus, test_snippet_highlights_match_the_words);
    suite_add_tcase(s, corpus);
    TCase *ranking = tcase_create("ranking");
    tcase_add_test(ranking, test_accents_rank_but_do_not_filter);
    tcase_add_test(ranking, test_tone_placement_is_one_form);
    tcase_add_test(ranking, test_adjacent_syllables_rank_first);
    tcase_add_test(ranking, test_pages_agree_across_the_rescored_window);
    tcase_add_test(ranking, test_nfd_text_is_found);
    tcase_add_test(ranking, test_usual_forms_are_implied);
    tcase_add_test(ranking, test_usual_forms_from_a_sample);
    suite_add_tcase(s, ranking);
    TCase *copies = tcase_create("copies");
    tcase_add_test(copies, test_copies_are_named_in_every_order);
    tcase_set_timeout(copies, 60);
    suite_add_tcase(s, copies);
    TCase *bounds = tcase_create("bounds");
    tcase_add_test(bounds, test_repeats_are_built_once);
    tcase_add_test(bounds, test_query_work_is_capped);
    tcase_add_test(bounds, test_time_limit_stops_and_says_so);
    suite_add_tcase(s, bounds);
    TCase *errors = tcase_create("errors");
    tcase_add_test(errors, test_bad_queries_name_the_problem);
    tcase_add_test(errors, test_missing_index);
    tcase_add_test(errors, test_reindexing_replaces);
    tcase_add_test(errors, test_index_of_another_format_is_refused);
    suite_add_tcase(s, errors);
    return tu_run_suite(s);
}
