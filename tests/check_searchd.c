/* searchd end to end: the real daemon on a free loopback port over a real
 * index of corpus/ and tests/data/, driven over HTTP with libcurl. */
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <libical/ical.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "testutil.h"

static char *db, *base, *err_log;
static int daemon_pid;

static void start_daemon(void)
{
    char *dir = tu_tempdir(), *cmd = NULL;
    ck_assert_int_ge(asprintf(&db, "%s/index", dir), 0);
    ck_assert_int_ge(asprintf(&err_log, "%s/searchd.log", dir), 0);
    ck_assert_int_ge(asprintf(&cmd, "bin/indexer --db %s corpus tests/data", db), 0);
    ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
    free(cmd);
    base = tu_searchd_start(db, err_log, &daemon_pid);
}

static void stop_daemon(void)
{
    ck_assert_int_eq(tu_searchd_stop(daemon_pid), 0);
    free(base);
    free(db);
    free(err_log);
}

/* GET base+path; asserts the status; returns the body as JSON. */
static json_t *get_json(const char *path, long status)
{
    char *url = NULL;
    tu_response_t r;
    ck_assert_int_ge(asprintf(&url, "%s%s", base, path), 0);
    tu_http(&r, "GET", url, NULL);
    /* Cut: Check refuses messages past a few kilobytes. */
    ck_assert_msg(r.status == status, "%.200s: status %ld, expected %ld: %.*s", path, r.status, status,
                  (int)(r.len < 500 ? r.len : 500), r.body);
    char *type = tu_header(&r, "Content-Type");
    ck_assert_str_eq(type, "application/json; charset=utf-8");
    json_error_t error;
    json_t *value = json_loadb(r.body, r.len, 0, &error);
    ck_assert_msg(value != NULL, "%.200s: not JSON: %s", path, error.text);
    free(type);
    free(url);
    tu_response_free(&r);
    return value;
}

/* An error answer: the English `error` for programs and a Vietnamese
 * `message` for people, and nothing else.  A message with no
 * translation falls back to a general sentence: no message here may. */
#define LONG_210 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
                 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static void expect_error(const char *path, long status, const char *message)
{
    json_t *body = get_json(path, status);
    ck_assert_str_eq(json_string_value(json_object_get(body, "error")), message);
    const char *vietnamese = json_string_value(json_object_get(body, "message"));
    ck_assert_ptr_nonnull(vietnamese);
    ck_assert_msg(strcmp(vietnamese, "Yêu cầu không hợp lệ.") != 0 && strcmp(vietnamese, "Không tìm thấy.") != 0 &&
                      !strstr(vietnamese, "): Yêu cầu không hợp lệ."),
                  "%s: no Vietnamese for \"%s\" (got \"%s\")", path, message, vietnamese);
    ck_assert_int_eq(json_object_size(body), 2);
    json_decref(body);
}

/* The same, with the exact Vietnamese. */
static void expect_error_vi(const char *path, long status, const char *message, const char *vietnamese)
{
    expect_error(path, status, message);
    json_t *body = get_json(path, status);
    ck_assert_str_eq(json_string_value(json_object_get(body, "message")), vietnamese);
    json_decref(body);
}

/* The ids of results, in order, comma separated. */
static char *ids_of(json_t *answer)
{
    char *out = calloc(1, 4096);
    size_t i;
    json_t *hit;
    json_array_foreach(json_object_get(answer, "results"), i, hit)
    {
        if (i)
            strcat(out, ",");
        strncat(out, json_string_value(json_object_get(hit, "id")), 100);
    }
    return out;
}

START_TEST(test_search_and_filters)
{
    /* "did you mean", offered beside the answer to the words as typed */
    json_t *typo = get_json("/api/search?q=sang+tai", 200);
    ck_assert_str_eq(json_string_value(json_object_get(typo, "suggestion")), "sang tao");
    ck_assert(json_is_false(json_object_get(typo, "corrected")));
    ck_assert_int_eq(json_integer_value(json_object_get(typo, "total")), 5);
    json_decref(typo);
    /* A facet given several values: any of them */
    json_t *any_year = get_json("/api/search?year=2025&year=2024", 200);
    char *got = ids_of(any_year);
    ck_assert_str_eq(got, "002_265e7d34e41c1dcc,syt-laichau-kehoach");
    free(got);
    json_decref(any_year);
    expect_error("/api/search?year=2025&year=20x4", 400, "year: \"20x4\" is not a year (expected 2026 or 2023..2026)");
    expect_error("/api/search?issuer=a&issuer=%FF", 400, "issuer: \"\\xff\" is not valid UTF-8");
    json_t *a = get_json("/api/search?q=doi+moi+sang+tao&per_page=50", 200);
    ck_assert_int_eq(json_integer_value(json_object_get(a, "total")), 7);
    ck_assert_int_eq(json_integer_value(json_object_get(a, "limit")), 50);
    json_t *first = json_array_get(json_object_get(a, "results"), 0);
    ck_assert(json_is_string(json_object_get(first, "snippet")));
    ck_assert(json_is_array(json_object_get(first, "highlights")));
    ck_assert(json_is_real(json_object_get(first, "score")));
    ck_assert_ptr_null(json_object_get(first, "text"));
    ck_assert_uint_eq(json_array_size(json_object_get(json_object_get(a, "facets"), "year")), 3);
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(a, "facets_distinct"), "year")), 3);
    json_decref(a);

    a = get_json("/api/search?q=doi+moi+sang+tao&facet_values=1", 200);
    json_t *years = json_object_get(json_object_get(a, "facets"), "year");
    ck_assert_uint_eq(json_array_size(years), 1);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(years, 0), "value")), "2026");
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(a, "facets_distinct"), "year")), 3);
    json_decref(a);

    a = get_json("/api/search?issuer=UBND%20t%E1%BB%89nh%20An%20Giang", 200);
    char *ids = ids_of(a);
    ck_assert_str_eq(ids, "ubnd-angiang-1471");
    free(ids);
    json_decref(a);

    a = get_json("/api/search?doc_type=K%E1%BA%BF+ho%E1%BA%A1ch", 200);
    ids = ids_of(a);
    ck_assert_str_eq(ids, "syt-laichau-kehoach");
    free(ids);
    json_decref(a);

    a = get_json("/api/search?deadline_from=2026-05-06&deadline_to=2026-05-09", 200);
    ids = ids_of(a);
    ck_assert_str_eq(ids, "ubnd-angiang-1471");
    free(ids);
    json_decref(a);

    a = get_json("/api/search?year=2023..2024&sort=date", 200);
    ids = ids_of(a);
    ck_assert_str_eq(ids, "002_265e7d34e41c1dcc,004_9daa15f6c42ddd15");
    free(ids);
    json_decref(a);

    a = get_json("/api/search?q=theme:%22chuy%E1%BB%83n%20%C4%91%E1%BB%95i%20s%E1%BB%91%22", 200);
    ids = ids_of(a);
    ck_assert_str_eq(ids, "syt-laichau-kehoach");
    free(ids);
    json_decref(a);
}
END_TEST

START_TEST(test_paging)
{
    json_t *a = get_json("/api/search?sort=date&page=2&per_page=3", 200);
    ck_assert_int_eq(json_integer_value(json_object_get(a, "total")), 8);
    ck_assert_int_eq(json_integer_value(json_object_get(a, "offset")), 3);
    ck_assert_int_eq(json_integer_value(json_object_get(a, "limit")), 3);
    ck_assert_uint_eq(json_array_size(json_object_get(a, "results")), 3);
    json_decref(a);
    a = get_json("/api/search?page=1000", 200);
    ck_assert_uint_eq(json_array_size(json_object_get(a, "results")), 0);
    json_decref(a);
}
END_TEST

/* The API and `query --json` are one code path: same bytes for the same question. */
START_TEST(test_api_equals_cli)
{
    char *url = NULL, *cmd = NULL, *out = NULL;
    tu_response_t r;
    ck_assert_int_ge(asprintf(&url, "%s/api/search?q=s%%C3%%A1ng+t%%E1%%BA%%A1o&issuer=SKHCN&per_page=5", base), 0);
    tu_http(&r, "GET", url, NULL);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_ge(asprintf(&cmd, "bin/query --db %s --json --limit 5 --issuer SKHCN 'sáng tạo'", db), 0);
    ck_assert_int_eq(tu_run(cmd, &out, NULL), 0);
    ck_assert_uint_eq(strlen(out), r.len + 1);
    ck_assert(memcmp(out, r.body, r.len) == 0);
    free(out);
    free(cmd);
    free(url);
    tu_response_free(&r);
}
END_TEST

START_TEST(test_bad_requests)
{
    expect_error("/api/search?page=0", 400, "page: \"0\" is out of range (1 to 1000)");
    expect_error("/api/search?page=abc", 400, "page: \"abc\" is out of range (1 to 1000)");
    expect_error("/api/search?per_page=500", 400, "per_page: \"500\" is out of range (1 to 100)");
    expect_error("/api/search?facet_values=0", 400, "facet_values: \"0\" is out of range (1 to 1000)");
    expect_error("/api/search?as_typed=yes", 400, "as_typed: \"yes\" is out of range (0 to 1)");
    expect_error("/api/search?count_bound=0", 400, "count_bound: \"0\" is out of range (1 to 1000000000)");
    expect_error("/api/search?exact=yes", 400, "exact: \"yes\" is out of range (0 to 1)");
    expect_error("/api/search?sort=newest", 400, "sort: \"newest\" is not relevance, date, date_asc, deadline or deadline_desc");
    expect_error_vi("/api/search?deadline_from=2026-13-01", 400,
                    "deadline_from: \"2026-13-01\" is not a date (there is no month 13)",
                    "Hạn từ ngày (deadline_from): “2026-13-01” không phải là ngày (không có tháng 13).");
    expect_error_vi("/api/search?deadline_to=30/02/2026", 400,
                    "deadline_to: \"30/02/2026\" is not a date (02/2026 has 28 days)",
                    "Hạn đến ngày (deadline_to): “30/02/2026” không phải là ngày (tháng 02/2026 chỉ có 28 ngày).");
    expect_error_vi("/api/search?date_from=mai", 400,
                    "date_from: \"mai\" is not a date (expected DD/MM/YYYY or YYYY-MM-DD)",
                    "Ban hành từ ngày (date_from): “mai” không phải là ngày (hãy nhập theo dạng ngày/tháng/năm, ví dụ "
                    "01/05/2026).");
    expect_error("/api/search?date_from=01/05/0999", 400,
                 "date_from: \"01/05/0999\" is not a date (the year must be 1000 to 9999)");
    expect_error("/api/search?deadline_from=2026-05-10&deadline_to=01/05/2026", 400,
                 "deadline: the range 2026-05-10..01/05/2026 ends before it starts");
    expect_error("/api/search?due=later", 400, "due: \"later\" is not overdue or soon");
    expect_error("/api/search?due=soon&due_days=1000", 400, "due_days: \"1000\" is out of range (1 to 366)");
    expect_error("/api/search?issuer=%FF", 400, "issuer: \"\\xff\" is not valid UTF-8");
    expect_error("/api/search?q=issuer:", 400, "issuer: needs a value");
    expect_error("/api/search?q=year:2026..2020", 400, "year: \"2026..2020\" ends before it starts");
    expect_error("/api/search?year=999", 400, "year: \"999\" is out of range (1000..9999)");
    expect_error("/api/suggest?q=" LONG_210, 400, "q: longer than 200 bytes");
    expect_error("/api/search?issuer=" LONG_210, 400, "issuer: longer than 200 bytes");
    expect_error("/api/search?year=abc", 400, "year: \"abc\" is not a year (expected 2026 or 2023..2026)");
    char path[1200] = "/api/search?q=";
    memset(path + strlen(path), 'a', 1001);
    expect_error_vi(path, 400,
                    "q: the query is 1001 bytes long, over the limit of 1000 (a letter with Vietnamese marks takes 2 "
                    "or 3 bytes)",
                    "Từ khóa (q): câu tìm kiếm dài 1001 byte, quá giới hạn 1000 byte (mỗi chữ có dấu tiếng Việt chiếm "
                    "2 hoặc 3 byte); hãy rút gọn câu tìm kiếm.");
    expect_error_vi("/api/doc/nope", 404, "no dispatch with id \"nope\"", "Không có văn bản nào mang mã “nope” trong kho.");
    expect_error("/api/nothing", 404, "no such API");
    expect_error("/etc/passwd", 404, "no such page");
    expect_error("/../../etc/passwd", 404, "no such page");

    char *url = NULL;
    tu_response_t r;
    ck_assert_int_ge(asprintf(&url, "%s/api/search", base), 0);
    tu_http(&r, "POST", url, NULL);
    ck_assert_int_eq(r.status, 405);
    char *allow = tu_header(&r, "Allow");
    ck_assert_str_eq(allow, "GET, HEAD");
    free(allow);
    tu_response_free(&r);
    free(url);
}
END_TEST

START_TEST(test_document_and_links)
{
    json_t *d = get_json("/api/doc/ubnd-angiang-1471", 200);
    ck_assert_str_eq(json_string_value(json_object_get(d, "issuer")), "Ủy ban nhân dân tỉnh An Giang");
    ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(d, "text")), "Trần Thị Mai"));
    json_t *ref = json_array_get(json_object_get(d, "references"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(ref, "number")), "2341/BKHCN-ĐMST");
    ck_assert_str_eq(json_string_value(json_object_get(ref, "id")), "bkhcn-2341");
    json_t *cited_by = json_object_get(d, "cited_by");
    ck_assert_uint_eq(json_array_size(cited_by), 1);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(cited_by, 0), "id")), "000_8085305a3db06b59");
    json_decref(d);

    /* A reference to a dispatch outside the archive has no id. */
    d = get_json("/api/doc/003_7150dcc81a02de69", 200);
    ref = json_array_get(json_object_get(d, "references"), 0);
    ck_assert(json_is_null(json_object_get(ref, "id")));
    json_decref(d);

    /* Text from a dispatch is data in JSON, never markup. */
    d = get_json("/api/doc/syt-laichau-kehoach", 200);
    ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(d, "text")), "<script>alert(\"x\")</script>"));
    ck_assert_str_eq(json_string_value(json_object_get(d, "urgency")), "Hỏa tốc");
    json_decref(d);
}
END_TEST

START_TEST(test_suggest_and_health)
{
    json_t *s = get_json("/api/suggest?q=lai", 200);
    json_t *issuers = json_object_get(s, "issuers");
    ck_assert_uint_eq(json_array_size(issuers), 2);
    ck_assert_str_eq(json_string_value(json_array_get(issuers, 0)), "Sở Khoa học và Công nghệ tỉnh Lai Châu");
    ck_assert_str_eq(json_string_value(json_array_get(issuers, 1)), "Sở Y tế tỉnh Lai Châu");
    json_decref(s);
    s = get_json("/api/suggest?q=khoi+ngu", 200);
    ck_assert_uint_eq(json_array_size(json_object_get(s, "themes")), 1);
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(s, "themes"), 0)),
                     "Đổi mới sáng tạo - Khơi nguồn tri thức");
    json_decref(s);
    json_t *h = get_json("/healthz", 200);
    ck_assert_str_eq(json_string_value(json_object_get(h, "status")), "ok");
    ck_assert_int_eq(json_integer_value(json_object_get(h, "documents")), 8);
    ck_assert_int_ge(json_integer_value(json_object_get(h, "revision")), 1);
    json_decref(h);
}
END_TEST

START_TEST(test_gzip)
{
    char *url = NULL;
    tu_response_t plain, packed;
    ck_assert_int_ge(asprintf(&url, "%s/api/search?q=sang+tao", base), 0);
    tu_http(&plain, "GET", url, NULL);
    tu_http(&packed, "GET", url, "Accept-Encoding: gzip, deflate");
    char *encoding = tu_header(&packed, "Content-Encoding");
    ck_assert_str_eq(encoding, "gzip");
    ck_assert_ptr_null(tu_header(&plain, "Content-Encoding"));
    ck_assert_uint_lt(packed.len, plain.len);
    /* Inflated, it is the same answer. */
    unsigned char *inflated = malloc(plain.len + 1);
    z_stream z = { 0 };
    ck_assert_int_eq(inflateInit2(&z, 16 + MAX_WBITS), Z_OK);
    z.next_in = (unsigned char *)packed.body;
    z.avail_in = (uInt)packed.len;
    z.next_out = inflated;
    z.avail_out = (uInt)plain.len + 1;
    ck_assert_int_eq(inflate(&z, Z_FINISH), Z_STREAM_END);
    ck_assert_uint_eq(z.total_out, plain.len);
    ck_assert(memcmp(inflated, plain.body, plain.len) == 0);
    inflateEnd(&z);
    free(inflated);
    free(encoding);
    tu_response_free(&plain);
    tu_response_free(&packed);
    /* Accept-Encoding read with its weights: q=0 refuses a coding, "*"
     * stands for those not named. */
    const struct {
        const char *header;
        int gzipped;
    } cases[] = { { "Accept-Encoding: gzip;q=0", 0 },          { "Accept-Encoding: gzip; q=0.0, br", 0 },
                  { "Accept-Encoding: br, *;q=0.5", 1 },       { "Accept-Encoding: *;q=0", 0 },
                  { "Accept-Encoding: identity", 0 },          { "Accept-Encoding: deflate, gzip;q=0.8", 1 },
                  { "Accept-Encoding: GZIP;Q=1", 1 },          { "Accept-Encoding: *, gzip;q=0", 0 } };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        tu_response_t r;
        tu_http(&r, "GET", url, cases[i].header);
        char *got = tu_header(&r, "Content-Encoding");
        ck_assert_msg((got != NULL) == cases[i].gzipped, "%s: Content-Encoding %s", cases[i].header,
                      got ? got : "none");
        free(got);
        tu_response_free(&r);
    }
    free(url);
}
END_TEST

/* Every match as a CSV file a spreadsheet opens in Vietnamese. */
/* The file the indexer read, by id: its bytes, its type and its name. */
START_TEST(test_original_file)
{
    char *url = NULL, *expected = NULL;
    size_t expected_len = 0;
    tu_response_t r;
    ck_assert_int_ge(asprintf(&url, "%s/api/doc/ubnd-angiang-1471/original", base), 0);
    tu_http(&r, "GET", url, NULL);
    ck_assert_int_eq(r.status, 200);
    char *type = tu_header(&r, "Content-Type"), *disposition = tu_header(&r, "Content-Disposition");
    ck_assert_str_eq(type, "text/plain; charset=utf-8");
    ck_assert_str_eq(disposition, "attachment; filename=\"ubnd-angiang-1471.txt\"; "
                                  "filename*=UTF-8''ubnd-angiang-1471.txt");
    FILE *f = fopen("tests/data/ubnd-angiang-1471.txt", "rb");
    ck_assert_ptr_nonnull(f);
    FILE *copy = open_memstream(&expected, &expected_len);
    for (int c; (c = fgetc(f)) != EOF;)
        fputc(c, copy);
    fclose(f);
    fclose(copy);
    ck_assert_uint_eq(r.len, expected_len);
    ck_assert_mem_eq(r.body, expected, expected_len);
    free(expected);
    free(type);
    free(disposition);
    free(url);
    tu_response_free(&r);
    /* Only ids name files: no id, no file, whatever the path looks like. */
    expect_error("/api/doc/nope/original", 404, "no dispatch with id \"nope/original\"");
    expect_error("/api/doc/..%2F..%2Fetc%2Fpasswd/original", 404,
                 "no dispatch with id \"../../etc/passwd/original\"");
}
END_TEST

/* A .doc with a Vietnamese name, served as Word's; gone from the disk
 * since it was indexed, a 404 that says so. */
START_TEST(test_original_word_file_and_gone)
{
    char *dir = tu_tempdir(), *cmd = NULL, *index = NULL, *log = NULL, *url = NULL;
    ck_assert_int_ge(asprintf(&cmd, "mkdir -p %s/in && cp tests/realformats/cv1935-dhct-2013.doc "
                                    "'%s/in/Công văn 1935.doc' && bin/indexer --db %s/index %s/in",
                              dir, dir, dir, dir), 0);
    ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
    free(cmd);
    ck_assert_int_ge(asprintf(&index, "%s/index", dir), 0);
    ck_assert_int_ge(asprintf(&log, "%s/searchd.log", dir), 0);
    int pid = 0;
    char *home = tu_searchd_start(index, log, &pid);
    ck_assert_int_ge(asprintf(&url, "%s/api/doc/C%%C3%%B4ng%%20v%%C4%%83n%%201935/original", home), 0);
    tu_response_t r;
    tu_http(&r, "GET", url, NULL);
    ck_assert_int_eq(r.status, 200);
    char *type = tu_header(&r, "Content-Type"), *disposition = tu_header(&r, "Content-Disposition");
    ck_assert_str_eq(type, "application/msword");
    ck_assert_str_eq(disposition, "attachment; filename=\"C__ng v__n 1935.doc\"; "
                                  "filename*=UTF-8''C%C3%B4ng%20v%C4%83n%201935.doc");
    ck_assert_uint_eq(r.len, 61440);
    ck_assert_mem_eq(r.body, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
    free(type);
    free(disposition);
    tu_response_free(&r);

    ck_assert_int_ge(asprintf(&cmd, "rm '%s/in/Công văn 1935.doc'", dir), 0);
    ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
    free(cmd);
    tu_http(&r, "GET", url, NULL);
    ck_assert_int_eq(r.status, 404);
    ck_assert_str_eq(r.body, "{\"error\":\"the original file of this dispatch is no longer on the server\",\"message\":"
                             "\"Tệp gốc của văn bản này không còn trên máy chủ.\"}");
    tu_response_free(&r);
    ck_assert_int_eq(tu_searchd_stop(pid), 0);
    free(home);
    free(url);
    free(index);
    free(log);
}
END_TEST

/* The count bound: a request's count_bound= and exact=1, searchd's
 * --count-bound and the configuration's count-bound, and the CSV export,
 * which counts every match whatever the bound. */
static void expect_counts(const char *server, const char *path, long total, int total_exact, long lower, long upper,
                          int facets_exact)
{
    char *url = NULL;
    tu_response_t r;
    ck_assert_int_ge(asprintf(&url, "%s%s", server, path), 0);
    tu_http(&r, "GET", url, NULL);
    ck_assert_int_eq(r.status, 200);
    json_t *a = json_loadb(r.body, r.len, 0, NULL);
    ck_assert_ptr_nonnull(a);
    ck_assert_msg(json_integer_value(json_object_get(a, "total")) == total, "%s: total %lld, not %ld", path,
                  (long long)json_integer_value(json_object_get(a, "total")), total);
    ck_assert_msg(json_is_true(json_object_get(a, "total_exact")) == total_exact, "%s: total_exact", path);
    ck_assert_msg(json_integer_value(json_object_get(a, "total_lower")) == lower, "%s: total_lower %lld, not %ld", path,
                  (long long)json_integer_value(json_object_get(a, "total_lower")), lower);
    ck_assert_msg(json_integer_value(json_object_get(a, "total_upper")) == upper, "%s: total_upper %lld, not %ld", path,
                  (long long)json_integer_value(json_object_get(a, "total_upper")), upper);
    ck_assert_msg(json_is_true(json_object_get(a, "facets_exact")) == facets_exact, "%s: facets_exact", path);
    json_decref(a);
    tu_response_free(&r);
    free(url);
}

START_TEST(test_count_bound)
{
    /* Seven dispatches hold the phrase; past a bound of 1 the phrase pass
     * stops at the second, a sample of the documents after it meets one
     * more, and the words are in seven. */
    const char *phrase = "/api/search?q=%22doi+moi+sang+tao%22";
    char *path = NULL;
    expect_counts(base, phrase, 7, 1, 7, 7, 1);
    ck_assert_int_ge(asprintf(&path, "%s&count_bound=1", phrase), 0);
    expect_counts(base, path, 7, 0, 3, 7, 0);
    free(path);
    ck_assert_int_ge(asprintf(&path, "%s&count_bound=1&exact=1", phrase), 0);
    expect_counts(base, path, 7, 1, 7, 7, 1);
    free(path);

    /* searchd's own bound, from the flag, then from the configuration;
     * a request may ask for more. */
    char *dir = tu_tempdir(), *conf = NULL, *log = NULL;
    ck_assert_int_ge(asprintf(&conf, "%s/bound.conf", dir), 0);
    ck_assert_int_ge(asprintf(&log, "%s/searchd.log", dir), 0);
    FILE *f = fopen(conf, "w");
    ck_assert_ptr_nonnull(f);
    fputs("count-bound = 1\n", f);
    fclose(f);
    const char *const flag[] = { "--count-bound", "1", NULL };
    for (int from_file = 0; from_file < 2; from_file++) {
        int pid = 0;
        if (from_file)
            setenv("TRACUU_CONFIG", conf, 1);
        char *server = tu_searchd_start_with(db, log, &pid, from_file ? NULL : flag);
        setenv("TRACUU_CONFIG", "/dev/null", 1);
        expect_counts(server, phrase, 7, 0, 3, 7, 0);
        ck_assert_int_ge(asprintf(&path, "%s&count_bound=7", phrase), 0);
        expect_counts(server, path, 7, 1, 7, 7, 1);
        free(path);
        /* The export writes all seven. */
        char *url = NULL;
        tu_response_t r;
        ck_assert_int_ge(asprintf(&url, "%s/api/search.csv?q=%%22doi+moi+sang+tao%%22&count_bound=1", server), 0);
        tu_http(&r, "GET", url, NULL);
        ck_assert_int_eq(r.status, 200);
        size_t lines = 0;
        for (size_t i = 0; i < r.len; i++)
            lines += r.body[i] == '\n';
        ck_assert_uint_eq(lines, 1 + 7);
        tu_response_free(&r);
        free(url);
        ck_assert_int_eq(tu_searchd_stop(pid), 0);
        free(server);
    }
    /* A bound that is no count stops searchd at once. */
    char *cmd = NULL, *out = NULL, *err = NULL;
    ck_assert_int_ge(asprintf(&cmd, "bin/searchd --db %s --count-bound 0", db), 0);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 2);
    ck_assert_ptr_nonnull(strstr(err, "--count-bound: \"0\" is not a number from 1 to 1000000000"));
    free(cmd), free(out), free(err), free(conf), free(log);
}
END_TEST

START_TEST(test_csv_export)
{
    char *url = NULL;
    tu_response_t r;
    ck_assert_int_ge(asprintf(&url, "%s/api/search.csv?q=sang+tao&per_page=1&page=2", base), 0);
    tu_http(&r, "GET", url, NULL);
    ck_assert_int_eq(r.status, 200);
    char *type = tu_header(&r, "Content-Type"), *disposition = tu_header(&r, "Content-Disposition");
    ck_assert_str_eq(type, "text/csv; charset=utf-8");
    ck_assert_str_eq(disposition, "attachment; filename=\"cong-van.csv\"");
    ck_assert_mem_eq(r.body, "\xEF\xBB\xBF\"id\",", 8);
    /* Sent as it is made: chunked, no length known beforehand. */
    char *chunked = tu_header(&r, "Transfer-Encoding");
    ck_assert_str_eq(chunked ? chunked : "-", "chunked");
    ck_assert_ptr_null(tu_header(&r, "Content-Length"));
    free(chunked);
    size_t lines = 0;
    for (size_t i = 0; i < r.len; i++)
        lines += r.body[i] == '\n';
    /* page and per_page do not cut it: the header and every match. */
    tu_response_t all;
    char *search = NULL;
    ck_assert_int_ge(asprintf(&search, "%s/api/search?q=sang+tao", base), 0);
    tu_http(&all, "GET", search, NULL);
    json_t *answer = json_loadb(all.body, all.len, 0, NULL);
    ck_assert_uint_eq(lines, 1 + (size_t)json_integer_value(json_object_get(answer, "total")));
    json_decref(answer);
    tu_response_free(&all);
    free(search);
    free(type);
    free(disposition);
    tu_response_free(&r);
    free(url);
}
END_TEST

/* An export of several pages (1,000 hits each) is sent whole, page after
 * page, byte for byte what the CLI writes for the same search. */
START_TEST(test_csv_export_of_several_pages)
{
    enum { DISPATCHES = 2300 }; /* three pages, the last one short */
    char *generated = tu_generated_index(DISPATCHES, 5), *log = NULL, *url = NULL, *cmd = NULL, *cli = NULL;
    ck_assert_int_ge(asprintf(&log, "%s.pages", err_log), 0);
    int pid = 0;
    /* Every dispatch, the generated secret and internal ones too. */
    static const char *const everything[] = { "--anonymous", "tuyet-mat", NULL };
    char *here = tu_searchd_start_with(generated, log, &pid, everything);
    ck_assert_int_ge(asprintf(&url, "%s/api/search.csv", here), 0);
    tu_response_t r;
    tu_http(&r, "GET", url, NULL);
    ck_assert_int_eq(r.status, 200);
    size_t lines = 0;
    for (size_t i = 0; i < r.len; i++)
        lines += r.body[i] == '\n';
    ck_assert_uint_eq(lines, 1 + DISPATCHES);
    ck_assert_int_ge(asprintf(&cmd, "bin/query --db %s --level tuyet-mat --format csv", generated), 0);
    ck_assert_int_eq(tu_run(cmd, &cli, NULL), 0);
    ck_assert_uint_eq(r.len, strlen(cli));
    ck_assert(memcmp(r.body, cli, r.len) == 0);
    tu_response_free(&r);
    ck_assert_int_eq(tu_searchd_stop(pid), 0);
    free(cli);
    free(cmd);
    free(url);
    free(here);
    free(log);
    free(generated);
}
END_TEST

START_TEST(test_icalendar_feed)
{
    char *url = NULL;
    tu_response_t r;
    ck_assert_int_ge(asprintf(&url, "%s/api/deadlines.ics?deadline_from=2026-05-01&deadline_to=2026-05-09", base), 0);
    tu_http(&r, "GET", url, NULL);
    ck_assert_int_eq(r.status, 200);
    char *type = tu_header(&r, "Content-Type");
    ck_assert_str_eq(type, "text/calendar; charset=utf-8");
    char *text = strndup(r.body, r.len);
    icalcomponent *calendar = icalparser_parse_string(text);
    ck_assert_ptr_nonnull(calendar);
    ck_assert_int_eq(icalcomponent_isa(calendar), ICAL_VCALENDAR_COMPONENT);
    /* 003: 2026-05-03 and 2026-05-05; ubnd-angiang-1471: 2026-05-08 (000/001's 05-10 is outside). */
    const char *expected[][2] = { { "20260503", "003_7150dcc81a02de69/2026-05-03@tracuu" },
                                  { "20260505", "003_7150dcc81a02de69/2026-05-05@tracuu" },
                                  { "20260508", "ubnd-angiang-1471/2026-05-08@tracuu" } };
    int n = 0, found[3] = { 0 };
    for (icalcomponent *e = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT); e;
         e = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)) {
        n++;
        const char *start = icaltime_as_ical_string(icalcomponent_get_dtstart(e));
        for (int i = 0; i < 3; i++)
            if (strcmp(icalcomponent_get_uid(e), expected[i][1]) == 0) {
                ck_assert_str_eq(start, expected[i][0]);
                found[i] = 1;
            }
        if (strcmp(icalcomponent_get_uid(e), expected[2][1]) == 0) {
            ck_assert_str_eq(icalcomponent_get_summary(e), "Hạn: 1471/UBND-KGVX — tổ chức hoạt động hưởng ứng Ngày "
                                                           "Sáng tạo và Đổi mới sáng tạo thế giới 21/4 năm 2026");
            ck_assert_ptr_nonnull(strstr(icalcomponent_get_description(e), "trước ngày 08/5/2026"));
            /* A reminder at 8:00 the day before. */
            icalcomponent *alarm = icalcomponent_get_first_component(e, ICAL_VALARM_COMPONENT);
            ck_assert_ptr_nonnull(alarm);
            icalproperty *trigger = icalcomponent_get_first_property(alarm, ICAL_TRIGGER_PROPERTY);
            ck_assert_int_eq(icaldurationtype_as_int(icalproperty_get_trigger(trigger).duration), -16 * 3600);
            /* The dispatch's page, one click from the calendar. */
            icalproperty *link = icalcomponent_get_first_property(e, ICAL_URL_PROPERTY);
            ck_assert_ptr_nonnull(link);
            char *page = NULL;
            ck_assert_int_ge(asprintf(&page, "%s/?doc=ubnd-angiang-1471", base), 0);
            ck_assert_str_eq(icalproperty_get_url(link), page);
            free(page);
        }
    }
    ck_assert_int_eq(n, 3);
    ck_assert(found[0] && found[1] && found[2]);
    icalcomponent_free(calendar);
    free(text);
    free(type);
    tu_response_free(&r);
    free(url);
}
END_TEST

START_TEST(test_opensearch_and_assets)
{
    char *url = NULL;
    tu_response_t r;
    ck_assert_int_ge(asprintf(&url, "%s/opensearch.xml", base), 0);
    tu_http(&r, "GET", url, NULL);
    ck_assert_int_eq(r.status, 200);
    char *type = tu_header(&r, "Content-Type"), *expected = NULL;
    ck_assert_str_eq(type, "application/opensearchdescription+xml; charset=utf-8");
    ck_assert_int_ge(asprintf(&expected, "template=\"%s/?q={searchTerms}\"", base), 0);
    ck_assert_ptr_nonnull(memmem(r.body, r.len, expected, strlen(expected)));
    free(expected);
    free(type);
    tu_response_free(&r);
    free(url);

    ck_assert_int_ge(asprintf(&url, "%s/", base), 0);
    tu_http(&r, "GET", url, NULL);
    ck_assert_int_eq(r.status, 200);
    type = tu_header(&r, "Content-Type");
    ck_assert_str_eq(type, "text/html; charset=utf-8");
    char *etag = tu_header(&r, "ETag"), *cache = tu_header(&r, "Cache-Control");
    ck_assert_ptr_nonnull(etag);
    ck_assert_str_eq(cache, "no-cache");
    ck_assert_ptr_nonnull(memmem(r.body, r.len, "<html", 5));
    tu_response_free(&r);
    char *if_none = NULL;
    ck_assert_int_ge(asprintf(&if_none, "If-None-Match: %s", etag), 0);
    tu_http(&r, "GET", url, if_none);
    ck_assert_int_eq(r.status, 304);
    tu_response_free(&r);
    /* Weak tags, lists and "*" name it too; another tag does not. */
    const char *const matching[] = { "If-None-Match: W/%s", "If-None-Match: \"other\", %s", "If-None-Match: *%.0s" };
    for (size_t i = 0; i < 3; i++) {
        char *header = NULL;
        ck_assert_int_ge(asprintf(&header, matching[i], etag), 0);
        tu_http(&r, "GET", url, header);
        ck_assert_msg(r.status == 304, "%s: %ld", header, r.status);
        tu_response_free(&r);
        free(header);
    }
    tu_http(&r, "GET", url, "If-None-Match: \"other\"");
    ck_assert_int_eq(r.status, 200);
    tu_response_free(&r);
    free(url);
    free(cache);
    free(type);
    free(etag);
    free(if_none);

    ck_assert_int_ge(asprintf(&url, "%s/app.js", base), 0);
    tu_http(&r, "GET", url, "Accept-Encoding: gzip");
    ck_assert_int_eq(r.status, 200);
    cache = tu_header(&r, "Cache-Control");
    ck_assert_str_eq(cache, "public, max-age=3600");
    free(cache);
    tu_response_free(&r);
    free(url);
}
END_TEST

START_TEST(test_new_revisions_without_restart)
{
    char *dir = tu_tempdir(), *cmd = NULL;
    ck_assert_int_ge(asprintf(&cmd, "mkdir -p %s/more && printf 'Số: 12/TB-SNV\\nV/v lịch tiếp công dân tháng chín\\n' > %s/more/tb.txt && bin/indexer --db %s %s/more",
                              dir, dir, db, dir), 0);
    ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
    free(cmd);
    json_t *a = get_json("/api/search?q=%22ti%E1%BA%BFp+c%C3%B4ng+d%C3%A2n%22", 200);
    char *ids = ids_of(a);
    ck_assert_str_eq(ids, "tb");
    free(ids);
    json_decref(a);
    json_t *h = get_json("/healthz", 200);
    ck_assert_int_eq(json_integer_value(json_object_get(h, "documents")), 9);
    json_decref(h);
}
END_TEST

/* Text that is not UTF-8, which jansson refuses to encode, used to go
 * unanswered.  Each parameter the API reads now gets its 400, naming it as
 * the URL spells it, with the stray bytes shown escaped. */
START_TEST(test_invalid_utf8_is_answered)
{
    static const struct {
        const char *path, *message;
    } cases[] = {
        { "/api/doc/%FF", "id: \"\\xff\" is not valid UTF-8" },
        { "/api/doc/ubnd%C3", "id: \"ubnd\\xc3\" is not valid UTF-8" },
        { "/api/search?year=%FF", "year: \"\\xff\" is not valid UTF-8" },
        { "/api/search?deadline_from=2026-%FF-01", "deadline_from: \"2026-\\xff-01\" is not valid UTF-8" },
        { "/api/search?deadline_to=%C0%AF", "deadline_to: \"\\xc0\\xaf\" is not valid UTF-8" },     /* overlong "/" */
        { "/api/search?sort=date%ED%A0%80", "sort: \"date\\xed\\xa0\\x80\" is not valid UTF-8" }, /* a surrogate */
        { "/api/search?page=1%FF", "page: \"1\\xff\" is not valid UTF-8" },
        /* past U+10FFFF */
        { "/api/search?per_page=%F4%90%80%80", "per_page: \"\\xf4\\x90\\x80\\x80\" is not valid UTF-8" },
        { "/api/search?facet_values=%FF", "facet_values: \"\\xff\" is not valid UTF-8" },
        { "/api/search?q=s%E1%BAng", "q: \"s\\xe1\\xbang\" is not valid UTF-8" }, /* a character cut short */
        { "/api/search?issuer=%FF", "issuer: \"\\xff\" is not valid UTF-8" },
        { "/api/search?theme=%FF", "theme: \"\\xff\" is not valid UTF-8" },
        { "/api/search?doc_type=%FF", "doc_type: \"\\xff\" is not valid UTF-8" },
        { "/api/deadlines.ics?year=%FF", "year: \"\\xff\" is not valid UTF-8" },
        { "/api/suggest?q=%FF", "q: \"\\xff\" is not valid UTF-8" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        expect_error(cases[i].path, 400, cases[i].message);
}
END_TEST

/* A value shown in a message is cut at 40 bytes, between characters, with
 * an ellipsis: cut inside one, the message was not UTF-8 and went unsent. */
START_TEST(test_messages_cut_between_characters)
{
    expect_error("/api/search?sort=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa%E1%BA%BF", 400,
                 "sort: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…\" is not relevance, date, date_asc, deadline or deadline_desc");
    char path[256] = "/api/search?page=";
    for (int i = 0; i < 15; i++)
        strcat(path, "%E1%BA%BF");
    expect_error(path, 400, "page: \"ếếếếếếếếếếếếế…\" is out of range (1 to 1000)");
    strcpy(path, "/api/search?per_page=");
    for (int i = 0; i < 20; i++)
        strcat(path, "%FF");
    expect_error(path, 400, "per_page: \"\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff…\" is not valid UTF-8");
    expect_error("/api/search?year=%E1%BA%BF", 400, "year: \"ế\" is not a year (expected 2026 or 2023..2026)");
}
END_TEST

static int port_of(const char *url)
{
    return atoi(strrchr(url, ':') + 1);
}

/* A TCP connection to the daemon from source, an address of the loopback
 * range, which stands for a client of its own. */
static int connect_from(const char *source)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_ge(fd, 0);
    struct sockaddr_in from = { .sin_family = AF_INET };
    struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port_of(base)) };
    ck_assert_int_eq(inet_pton(AF_INET, source, &from.sin_addr), 1);
    ck_assert_int_eq(inet_pton(AF_INET, "127.0.0.1", &to.sin_addr), 1);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&from, sizeof from), 0);
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&to, sizeof to), 0);
    return fd;
}

/* SIGTERM with a browser's idle keep-alive connection open: the daemon
 * stops with the requests in flight, not with the idle connection's
 * timeout (30 s; the stop used to wait for it up to its 10 s bound), and
 * a new daemon takes the port at once. */
START_TEST(test_stop_with_an_idle_connection)
{
    char *log = NULL;
    ck_assert_int_ge(asprintf(&log, "%s.stop", err_log), 0);
    int pid = 0;
    char *url = tu_searchd_start(db, log, &pid);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port_of(url)) };
    ck_assert_int_eq(inet_pton(AF_INET, "127.0.0.1", &to.sin_addr), 1);
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&to, sizeof to), 0);
    static const char request[] = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    ck_assert_int_eq(send(fd, request, strlen(request), MSG_NOSIGNAL), (ssize_t)strlen(request));
    char reply[512];
    ck_assert_int_gt(recv(fd, reply, sizeof reply, 0), 0); /* answered; the connection stays open */
    struct timespec asked, stopped;
    clock_gettime(CLOCK_MONOTONIC, &asked);
    ck_assert_int_eq(tu_searchd_stop(pid), 0);
    clock_gettime(CLOCK_MONOTONIC, &stopped);
    /* Far below the drain bound the bug ran into, whatever the machine. */
    ck_assert_int_lt(stopped.tv_sec - asked.tv_sec, 5);
    close(fd);
    /* The same port, at once. */
    char port[16], *again_log = NULL;
    snprintf(port, sizeof port, "%d", port_of(url));
    ck_assert_int_ge(asprintf(&again_log, "%s.again", err_log), 0);
    const char *const options[] = { "--port", port, NULL };
    char *again = tu_searchd_start_with(db, again_log, &pid, options);
    ck_assert_str_eq(again, url);
    ck_assert_int_eq(tu_searchd_stop(pid), 0);
    free(again);
    free(again_log);
    free(url);
    free(log);
}
END_TEST

/* The request log in the Combined Log Format, to a file that SIGHUP
 * opens again after logrotate moved it; what a client sends cannot end a
 * field or forge a line. */
START_TEST(test_access_log_and_reopen)
{
    char *path = NULL, *moved = NULL, *log = NULL, *url = NULL;
    ck_assert_int_ge(asprintf(&path, "%s.access", err_log), 0);
    ck_assert_int_ge(asprintf(&moved, "%s.access.1", err_log), 0);
    ck_assert_int_ge(asprintf(&log, "%s.reopen", err_log), 0);
    const char *const options[] = { "--access-log", path, NULL };
    int pid = 0;
    char *base_here = tu_searchd_start_with(db, log, &pid, options);
    tu_response_t r;
    ck_assert_int_ge(asprintf(&url, "%s/healthz?x=1", base_here), 0);
    tu_http(&r, "GET", url, "User-Agent: tester \"q\"\x01");
    ck_assert_int_eq(r.status, 200);
    size_t body = r.len;
    tu_response_free(&r);
    /* The line is written once the request is complete, which can come
     * after the client has its answer: wait for it before moving the file. */
    free(tu_wait_for_line(path, "GET /healthz?x=1"));
    ck_assert_int_eq(rename(path, moved), 0);
    ck_assert_int_eq(kill(pid, SIGHUP), 0);
    /* The reopen happens on the daemon's next turn; a request after it
     * lands in the new file (bounded wait, no timing asserted). */
    char *fresh = NULL;
    for (int tries = 0; tries < 100 && !(fresh && strstr(fresh, "GET /healthz")); tries++) {
        free(fresh);
        tu_http(&r, "GET", url, NULL);
        tu_response_free(&r);
        fresh = tu_read_file(path);
        if (!(fresh && strstr(fresh, "GET /healthz")))
            usleep(50 * 1000);
    }
    ck_assert_ptr_nonnull(fresh);
    ck_assert_int_eq(tu_searchd_stop(pid), 0);
    char *old = tu_read_file(moved), *expected = NULL;
    ck_assert_ptr_nonnull(old);
    ck_assert_int_eq(strncmp(old, "127.0.0.1 - - [", 15), 0);
    ck_assert_int_ge(asprintf(&expected, "] \"GET /healthz?x=1 HTTP/1.1\" 200 %zu \"-\" \"tester \\x22q\\x22\\x01\" ", body), 0);
    ck_assert_msg(strstr(old, expected) != NULL, "%s", old);
    ck_assert_ptr_nonnull(strstr(fresh, "\"GET /healthz?x=1 HTTP/1.1\" 200 "));
    char *errors = tu_read_file(log);
    ck_assert_ptr_null(strstr(errors, "GET /healthz")); /* requests go to the access log only */
    free(errors);
    free(expected);
    free(old);
    free(fresh);
    free(url);
    free(base_here);
    free(log);
    free(moved);
    free(path);
}
END_TEST

/* Sends request whole from source and reads until the server closes;
 * the reply is malloc'd and NUL-terminated. */
static char *raw_exchange(const char *source, const char *request)
{
    enum { READ_WAIT_MS = 5000, MAX_READS = 1000 };
    int fd = connect_from(source);
    ck_assert_int_eq(send(fd, request, strlen(request), MSG_NOSIGNAL), (ssize_t)strlen(request));
    char *reply = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&reply, &len);
    for (int reads = 0; reads < MAX_READS; reads++) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        if (poll(&p, 1, READ_WAIT_MS) != 1)
            break;
        char chunk[4096];
        ssize_t n = recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0)
            break;
        fwrite(chunk, 1, (size_t)n, out);
    }
    fclose(out);
    close(fd);
    return reply;
}

/* Whether the daemon has closed fd, on which it is never to answer. */
static int closed_by_server(int fd)
{
    char byte;
    ssize_t n = recv(fd, &byte, 1, MSG_DONTWAIT | MSG_PEEK);
    ck_assert_msg(n <= 0, "answered a request whose headers never ended");
    return n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
}

/* Hundreds of parameters used to exhaust libmicrohttpd's memory for the
 * connection, which then neither answered nor closed for 30 s. */
START_TEST(test_too_many_parameters)
{
    char *path = malloc(16 * 1024), *request = NULL;
    strcpy(path, "/api/search?q=sang+tao");
    for (int i = 1; i < 64; i++)
        sprintf(path + strlen(path), "&utm_%d=x", i);
    json_t *a = get_json(path, 200); /* 64: the most there may be */
    ck_assert_int_eq(json_integer_value(json_object_get(a, "total")), 7);
    json_decref(a);
    strcat(path, "&utm_64=x");
    expect_error(path, 400, "too many parameters (at most 64)");

    strcpy(path, "/api/search?q=x");
    for (int i = 1; i < 500; i++)
        sprintf(path + strlen(path), "&p%d=%d", i, i);
    expect_error(path, 400, "too many parameters (at most 64)");
    /* Exactly one answer, then the connection is closed. */
    ck_assert_int_ge(asprintf(&request, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", path), 0);
    char *reply = raw_exchange("127.0.0.1", request);
    ck_assert_uint_eq(tu_count(reply, "HTTP/1."), 1);
    ck_assert_ptr_nonnull(strstr(reply, "HTTP/1.1 400 "));
    ck_assert_ptr_nonnull(strstr(reply, "\r\n\r\n{\"error\":\"too many parameters (at most 64)\",\"message\":\"Yêu cầu có "
                                        "quá nhiều tham số (tối đa 64).\"}"));
    free(reply);
    free(request);

    strcpy(path, "/api/search?");
    memset(path + strlen(path), '&', 5000);
    path[12 + 5000] = '\0';
    expect_error(path, 400, "too many parameters (at most 64)");
    free(path);
}
END_TEST

/* Slow clients: each holds a connection by sending a header byte now and
 * then.  They get no more than --max-per-address connections each, the
 * daemon keeps answering everyone else, and every slow connection is
 * closed once --header-timeout has passed, bytes or no bytes. */
START_TEST(test_slow_clients_do_not_starve_others)
{
    enum {
        ADDRESSES = 3,               /* slow clients, from 127.0.0.2 on */
        PER_ADDRESS = 4,             /* --max-per-address */
        TRIED_PER_ADDRESS = 6,       /* connections each slow client tries to open */
        HEADER_SECONDS = 4,          /* --header-timeout */
        REFUSAL_WAIT_MS = 3000,      /* refusals come at once; this leaves a loaded machine
                                        time, still within HEADER_SECONDS */
        CLOSE_SLACK_SECONDS = 10,    /* past the bound, for the daemon to close them */
        STEP_MS = 100,               /* between the bytes of a slow client */
    };
    char *log = NULL;
    ck_assert_int_ge(asprintf(&log, "%s/slow.log", tu_tempdir()), 0);
    static const char *const options[] = { "--header-timeout", "4", "--max-per-address", "4", NULL };
    int pid = 0;
    char *fast_base = tu_searchd_start_with(db, log, &pid, options), *saved_base = base;
    base = fast_base;

    struct timespec opened, now;
    clock_gettime(CLOCK_MONOTONIC, &opened);
    int fds[ADDRESSES][TRIED_PER_ADDRESS], closed[ADDRESSES][TRIED_PER_ADDRESS] = { { 0 } };
    static const char slow_start[] = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
    for (int a = 0; a < ADDRESSES; a++)
        for (int i = 0; i < TRIED_PER_ADDRESS; i++) {
            char source[INET_ADDRSTRLEN + 8]; /* room for any int, so the compiler sees no cut */
            snprintf(source, sizeof source, "127.0.0.%d", 2 + a);
            fds[a][i] = connect_from(source);
            (void)send(fds[a][i], slow_start, strlen(slow_start), MSG_NOSIGNAL); /* refused ones may be gone */
        }

    /* Past the limit, an address's connections are closed at once. */
    int refused = 0;
    for (int waited = 0; refused < ADDRESSES * (TRIED_PER_ADDRESS - PER_ADDRESS) && waited < REFUSAL_WAIT_MS;
         waited += 20) {
        usleep(20 * 1000);
        refused = 0;
        for (int a = 0; a < ADDRESSES; a++)
            for (int i = 0; i < TRIED_PER_ADDRESS; i++)
                refused += closed[a][i] = closed[a][i] || closed_by_server(fds[a][i]);
    }
    for (int a = 0; a < ADDRESSES; a++) {
        int open = 0;
        for (int i = 0; i < TRIED_PER_ADDRESS; i++)
            open += !closed[a][i];
        ck_assert_msg(open == PER_ADDRESS, "127.0.0.%d holds %d connections, not %d", 2 + a, open, PER_ADDRESS);
    }

    /* Everyone else is answered while the slow connections are held. */
    json_t *h = get_json("/healthz", 200);
    ck_assert_str_eq(json_string_value(json_object_get(h, "status")), "ok");
    json_decref(h);
    for (int a = 0; a < ADDRESSES; a++)
        for (int i = 0; i < TRIED_PER_ADDRESS; i++)
            ck_assert(closed[a][i] || !closed_by_server(fds[a][i]));

    /* A byte every STEP_MS would keep libmicrohttpd's idle timeout from
     * ever firing; the header bound closes them all the same. */
    int still_open = ADDRESSES * PER_ADDRESS;
    double closed_at[ADDRESSES][TRIED_PER_ADDRESS] = { { 0 } };
    for (int steps = 0; still_open > 0 && steps < (HEADER_SECONDS + CLOSE_SLACK_SECONDS) * 1000 / STEP_MS; steps++) {
        usleep(STEP_MS * 1000);
        clock_gettime(CLOCK_MONOTONIC, &now);
        double elapsed = (double)(now.tv_sec - opened.tv_sec) + (double)(now.tv_nsec - opened.tv_nsec) / 1e9;
        for (int a = 0; a < ADDRESSES; a++)
            for (int i = 0; i < TRIED_PER_ADDRESS; i++) {
                if (closed[a][i])
                    continue;
                if (closed_by_server(fds[a][i])) {
                    closed[a][i] = 1;
                    closed_at[a][i] = elapsed;
                    still_open--;
                } else {
                    (void)send(fds[a][i], "a", 1, MSG_NOSIGNAL);
                }
            }
    }
    ck_assert_int_eq(still_open, 0);
    for (int a = 0; a < ADDRESSES; a++)
        for (int i = 0; i < TRIED_PER_ADDRESS; i++) {
            ck_assert(closed_at[a][i] == 0 || closed_at[a][i] >= HEADER_SECONDS);
            close(fds[a][i]);
        }

    /* Their addresses may connect again once the daemon has let go of the
     * slow connections, which follows their closing closely. */
    char *reply = NULL;
    for (int tries = 0; tries < 50; tries++) {
        free(reply);
        reply = raw_exchange("127.0.0.2", "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        if (strncmp(reply, "HTTP/1.1 200 ", 13) == 0)
            break;
        usleep(20 * 1000);
    }
    ck_assert_msg(strncmp(reply, "HTTP/1.1 200 ", 13) == 0, "127.0.0.2 got: %s", reply);
    free(reply);

    base = saved_base;
    free(fast_base);
    ck_assert_int_eq(tu_searchd_stop(pid), 0);
    char *written = tu_read_file(log);
    ck_assert_ptr_nonnull(strstr(written, "searchd: up to "));
    ck_assert_ptr_nonnull(strstr(written, " connections, 4 from one address, headers within 4 s\n"));
    ck_assert_ptr_nonnull(strstr(written, "did not send a request's headers within 4 s\n"));
    /* Refusals are summed up, not logged one by one. */
    ck_assert_ptr_nonnull(strstr(written, " refused over the limits (per address or in all)\n"));
    ck_assert_ptr_null(strstr(written, "reached connection limit"));
    free(written);
    free(log);
}
END_TEST

/* One request through "a proxy": the answer, with the headers given
 * (several separated by "\n"). */
static void through(tu_response_t *r, const char *daemon_url, const char *path, const char *headers)
{
    char *url = NULL;
    ck_assert_int_ge(asprintf(&url, "%s%s", daemon_url, path), 0);
    tu_http(r, "GET", url, headers);
    free(url);
}

static void expect_in_body(const tu_response_t *r, const char *wanted)
{
    ck_assert_msg(memmem(r->body, r->len, wanted, strlen(wanted)) != NULL, "\"%s\" not in \"%.*s\"", wanted,
                  (int)r->len, r->body);
}

#define FORWARDED "X-Forwarded-Proto: https\nX-Forwarded-Host: congvan.example\nX-Forwarded-Prefix: /vanthu\n" \
                  "X-Forwarded-For: 198.51.100.1, ::ffff:203.0.113.9"

/* Behind a reverse proxy under /tracuu: the prefix passed on or stripped,
 * /tracuu redirected to /tracuu/, the forwarded headers believed from
 * --trusted-proxy only (in the access log too), the API readable from
 * --cors-origin.  An address is the same however spelled: the proxy named
 * IPv4-mapped, the client forwarded so and logged as IPv4. */
START_TEST(test_behind_a_proxy)
{
    char *log = NULL, *access = NULL, *expected = NULL;
    ck_assert_int_ge(asprintf(&log, "%s.proxy", err_log), 0);
    ck_assert_int_ge(asprintf(&access, "%s.proxy.access", err_log), 0);
    const char *const options[] = { "--base-path", "/tracuu/", "--trusted-proxy", "10.9.9.9, ::ffff:127.0.0.1",
                                    "--cors-origin", "https://intranet.example", "--access-log", access, NULL };
    int pid = 0;
    char *here = tu_searchd_start_with(db, log, &pid, options);
    tu_response_t r;

    through(&r, here, "/tracuu?q=s%C3%A1ng", NULL);
    ck_assert_int_eq(r.status, 301);
    char *location = tu_header(&r, "Location");
    ck_assert_str_eq(location, "/tracuu/?q=s%C3%A1ng");
    free(location);
    tu_response_free(&r);
    static const char *const pages[] = { "/tracuu/", "/", "/tracuu/app.js", "/app.js" };
    for (size_t i = 0; i < 4; i++) {
        through(&r, here, pages[i], NULL);
        ck_assert_int_eq(r.status, 200);
        tu_response_free(&r);
    }
    /* The same search with the prefix and without (a proxy that strips it). */
    json_t *with = NULL, *without = NULL;
    through(&r, here, "/tracuu/api/search?q=doi+moi+sang+tao", NULL);
    ck_assert_int_eq(r.status, 200);
    with = json_loadb(r.body, r.len, 0, NULL);
    char *cors = tu_header(&r, "Access-Control-Allow-Origin");
    ck_assert_str_eq(cors, "https://intranet.example");
    free(cors);
    tu_response_free(&r);
    through(&r, here, "/api/search?q=doi+moi+sang+tao", NULL);
    without = json_loadb(r.body, r.len, 0, NULL);
    tu_response_free(&r);
    ck_assert_int_eq(json_integer_value(json_object_get(with, "total")), 7);
    ck_assert(json_equal(with, without));
    json_decref(with);
    json_decref(without);
    /* The page is not the API: no CORS there. */
    through(&r, here, "/tracuu/", NULL);
    ck_assert_ptr_null(tu_header(&r, "Access-Control-Allow-Origin"));
    tu_response_free(&r);

    /* From a trusted proxy: its scheme, host and prefix. */
    through(&r, here, "/tracuu/opensearch.xml", FORWARDED);
    expect_in_body(&r, "template=\"https://congvan.example/vanthu/?q={searchTerms}\"");
    tu_response_free(&r);
    through(&r, here, "/tracuu/api/deadlines.ics?q=1471", FORWARDED);
    expect_in_body(&r, "URL:https://congvan.example/vanthu/?doc=ubnd-angiang-1471\r\n");
    tu_response_free(&r);
    /* Without forwarded headers: the Host and --base-path. */
    through(&r, here, "/opensearch.xml", NULL);
    ck_assert_int_ge(asprintf(&expected, "template=\"%s/tracuu/?q={searchTerms}\"", here), 0);
    expect_in_body(&r, expected);
    free(expected);
    tu_response_free(&r);
    ck_assert_int_eq(tu_searchd_stop(pid), 0);
    char *logged = tu_read_file(access);
    ck_assert_ptr_nonnull(logged);
    /* the right-most address the trusted proxy did not add itself */
    ck_assert_msg(strstr(logged, "\n203.0.113.9 - - [") && strstr(logged, "\"GET /tracuu/opensearch.xml HTTP/1.1\" 200"),
                  "%s", logged);
    ck_assert_ptr_null(strstr(logged, "198.51.100.1"));
    free(logged);
    free(here);

    /* The same headers from a peer not named by --trusted-proxy are the
     * client's own words: ignored. */
    const char *const untrusting[] = { "--base-path", "/tracuu", "--trusted-proxy", "10.9.9.9", "--access-log",
                                       access, NULL };
    unlink(access);
    here = tu_searchd_start_with(db, log, &pid, untrusting);
    through(&r, here, "/tracuu/opensearch.xml", FORWARDED);
    ck_assert_int_ge(asprintf(&expected, "template=\"%s/tracuu/?q={searchTerms}\"", here), 0);
    expect_in_body(&r, expected);
    free(expected);
    ck_assert_ptr_null(tu_header(&r, "Access-Control-Allow-Origin"));
    tu_response_free(&r);
    through(&r, here, "/tracuu/api/search?q=x", NULL);
    ck_assert_ptr_null(tu_header(&r, "Access-Control-Allow-Origin")); /* no --cors-origin, no CORS */
    tu_response_free(&r);
    ck_assert_int_eq(tu_searchd_stop(pid), 0);
    logged = tu_read_file(access);
    ck_assert_msg(strncmp(logged, "127.0.0.1 - - [", 15) == 0 && !strstr(logged, "203.0.113.9"), "%s", logged);
    free(logged);
    free(here);

    /* Options that cannot be right stop the daemon at once. */
    char *out = NULL, *err = NULL, *cmd = NULL;
    ck_assert_int_ge(asprintf(&cmd, "bin/searchd --db %s --port 0 --trusted-proxy proxy.lan", db), 0);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 2);
    ck_assert_str_eq(err, "searchd: --trusted-proxy: \"proxy.lan\" is not an IP address\n");
    free(out);
    free(err);
    free(cmd);
    ck_assert_int_ge(asprintf(&cmd, "bin/searchd --db %s --port 0 --base-path '/a b'", db), 0);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 2);
    ck_assert_str_eq(err, "searchd: --base-path: \"/a b\" is not a path (letters, digits and -._~/, at most 100 bytes)\n");
    free(out);
    free(err);
    free(cmd);
    free(log);
    free(access);
}
END_TEST

START_TEST(test_no_index_is_503_and_logs)
{
    char *missing = NULL, *log = NULL, *expected = NULL;
    ck_assert_int_ge(asprintf(&missing, "%s/none", tu_tempdir()), 0);
    ck_assert_int_ge(asprintf(&log, "%s/none.log", tu_tempdir()), 0);
    int pid = 0;
    char *url = tu_searchd_start(missing, log, &pid), *full = NULL;
    ck_assert_int_ge(asprintf(&full, "%s/api/search?q=x", url), 0);
    tu_response_t r;
    tu_http(&r, "GET", full, NULL);
    ck_assert_int_eq(r.status, 503);
    /* The folder is this server's business: the client is told what to do,
     * the log where. */
    static const char body[] = "{\"error\":\"no index to search yet (build one with the indexer)\",\"message\":\"Chưa có "
                               "chỉ mục để tìm kiếm: người quản trị cần chạy chương trình lập chỉ mục.\"}";
    ck_assert_uint_eq(r.len, strlen(body));
    ck_assert(memcmp(r.body, body, r.len) == 0);
    tu_response_free(&r);
    ck_assert_int_eq(tu_searchd_stop(pid), 0);
    char *written = tu_read_file(log);
    ck_assert_int_ge(asprintf(&expected,
                              "searchd: GET /api/search: no index at %s (build one with: indexer --db %s FOLDER)\n",
                              missing, missing), 0);
    ck_assert_ptr_nonnull(strstr(written, expected));
    ck_assert_ptr_nonnull(strstr(written, "\"GET /api/search?q=x HTTP/1.1\" 503 "));
    ck_assert_ptr_nonnull(strstr(written, "searchd: stopped\n"));
    free(written);
    free(expected);
    free(full);
    free(url);
    free(log);
    free(missing);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("searchd");
    TCase *api = tcase_create("api");
    tcase_set_timeout(api, 60);
    tcase_add_unchecked_fixture(api, start_daemon, stop_daemon);
    tcase_add_test(api, test_search_and_filters);
    tcase_add_test(api, test_paging);
    tcase_add_test(api, test_api_equals_cli);
    tcase_add_test(api, test_bad_requests);
    tcase_add_test(api, test_document_and_links);
    tcase_add_test(api, test_suggest_and_health);
    tcase_add_test(api, test_gzip);
    tcase_add_test(api, test_icalendar_feed);
    tcase_add_test(api, test_csv_export);
    tcase_add_test(api, test_original_file);
    tcase_add_test(api, test_original_word_file_and_gone);
    tcase_add_test(api, test_csv_export_of_several_pages);
    tcase_add_test(api, test_count_bound);
    tcase_add_test(api, test_opensearch_and_assets);
    tcase_add_test(api, test_new_revisions_without_restart);
    suite_add_tcase(s, api);
    TCase *hostile = tcase_create("hostile clients");
    tcase_set_timeout(hostile, 60);
    tcase_add_unchecked_fixture(hostile, start_daemon, stop_daemon);
    tcase_add_test(hostile, test_invalid_utf8_is_answered);
    tcase_add_test(hostile, test_messages_cut_between_characters);
    tcase_add_test(hostile, test_too_many_parameters);
    tcase_add_test(hostile, test_slow_clients_do_not_starve_others);
    tcase_add_test(hostile, test_stop_with_an_idle_connection);
    tcase_add_test(hostile, test_access_log_and_reopen);
    tcase_add_test(hostile, test_behind_a_proxy);
    suite_add_tcase(s, hostile);
    TCase *lifecycle = tcase_create("lifecycle");
    tcase_set_timeout(lifecycle, 60);
    tcase_add_test(lifecycle, test_no_index_is_503_and_logs);
    suite_add_tcase(s, lifecycle);
    return tu_run_suite(s);
}
