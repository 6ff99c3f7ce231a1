/* An index spread over shards, local and served by xapian-tcpsrv (Xapian's
 * remote backend on loopback), answers exactly as the single index does. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

static char *single, *sharded, *remote_stub, *one_remote_stub;
static pid_t servers[2];

static void build_indexes(void)
{
    char *dir = tu_tempdir(), *cmd;
    single = tu_printf("%s/single", dir);
    sharded = tu_printf("%s/sharded", dir);
    cmd = tu_printf("bin/indexer --db %s corpus tests/data >/dev/null && bin/indexer --db %s --shards 2 corpus tests/data >/dev/null",
             single, sharded);
    ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
    free(cmd);
    char *stub = tu_printf("%s/remote.stub", dir);
    one_remote_stub = tu_printf("%s/one-remote.stub", dir);
    FILE *f = fopen(stub, "w");
    FILE *one = fopen(one_remote_stub, "w");
    for (int i = 0; i < 2; i++) {
        char shard[512];
        snprintf(shard, sizeof shard, "%s/gen-1/shard-%d", sharded, i);
        int port = tu_xapian_serve(shard, &servers[i]);
        fprintf(f, "remote 127.0.0.1:%d\n", port);
        if (i == 0)
            fprintf(one, "remote 127.0.0.1:%d\n", port);
    }
    fclose(f);
    fclose(one);
    remote_stub = stub;
}

static void stop_servers(void)
{
    for (int i = 0; i < 2; i++)
        tu_xapian_stop(servers[i]);
    free(single);
    free(sharded);
    free(remote_stub);
    free(one_remote_stub);
}

static int compare_lines(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The answer as comparable text: total, facets, and hits ordered by score
 * (rounded: sums over shards may differ in the last bits), then id —
 * equal scores have no order of their own. */
static char *describe_with(tc_index_t *index, const char *db, const tc_query_t *q)
{
    tc_results_t *r = NULL;
    ck_assert_msg(tc_search(&r, index, q) == TC_STATUS_SUCCESS, "%s: %s", db, tc_index_last_error(index));
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    fprintf(f, "total %zu\n", r->total);
    const tc_facet_t *facets[] = { &r->issuer, &r->year, &r->doc_type };
    for (int k = 0; k < 3; k++)
        for (size_t i = 0; i < facets[k]->count; i++)
            fprintf(f, "facet %d %s %zu\n", k, facets[k]->values[i].value, facets[k]->values[i].count);
    char **lines = calloc(r->n_hits + 1, sizeof *lines);
    for (size_t i = 0; i < r->n_hits; i++)
        ck_assert_int_ge(asprintf(&lines[i], "%012.6f %s %s %zu", 1000000 - r->hits[i].score, r->hits[i].doc->id,
                                  r->hits[i].snippet ? r->hits[i].snippet : "", r->hits[i].also_in.count), 0);
    qsort(lines, r->n_hits, sizeof *lines, compare_lines);
    for (size_t i = 0; i < r->n_hits; i++) {
        fprintf(f, "%s\n", lines[i]);
        free(lines[i]);
    }
    free(lines);
    fclose(f);
    tc_results_free(r);
    return out;
}

static char *describe(const char *db, const tc_query_t *q)
{
    tc_index_t *index = NULL;
    ck_assert_msg(tc_index_open(&index, db, TC_INDEX_READ) == TC_STATUS_SUCCESS, "%s: %s", db, tc_index_last_error(index));
    char *out = describe_with(index, db, q);
    tc_index_close(index);
    return out;
}

/* Asserts a == b, naming the first line that differs. */
static void expect_same(size_t query, const char *kind, const char *got, const char *expected)
{
    size_t line = 1, at = 0;
    while (got[at] && got[at] == expected[at]) {
        if (got[at] == '\n')
            line++;
        at++;
    }
    ck_assert_msg(got[at] == expected[at], "query %zu, %s shards differ at line %zu: \"%.80s\" vs \"%.80s\"", query, kind,
                  line, got + at, expected + at);
}

START_TEST(test_same_answers)
{
    const tc_query_t queries[] = {
        { .words = "sáng tạo", .limit = 50 },
        { .words = "doi moi sang tao", .limit = 3 },
        { .words = "\"chuyển đổi số\"", .limit = 50 },
        { .words = "1471/UBND-KGVX", .limit = 50 },
        { .issuer = "UBND", .limit = 50 },
        { .year = "2023..2025", .limit = 50 },
        { .theme = "hành động đột phá", .limit = 50 },
        { .deadline_from = "2026-05-01", .deadline_to = "2026-05-31", .limit = 50 },
        { .words = "báo cáo", .sort = TC_SORT_DATE, .offset = 2, .limit = 3 },
        /* Ascending: remote shards take no key maker. */
        { .words = "báo cáo", .sort = TC_SORT_DATE_ASC, .offset = 2, .limit = 3 },
        { .issuer = "UBND", .offset = 1, .limit = 2 },
        { .words = "khongco", .limit = 10 },
    };
    for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
        char *expected = describe(single, &queries[i]);
        char *local = describe(sharded, &queries[i]);
        char *remote = describe(remote_stub, &queries[i]);
        expect_same(i, "local", local, expected);
        expect_same(i, "remote", remote, expected);
        free(expected);
        free(local);
        free(remote);
    }
}
END_TEST

/* A lone shard served remotely is one database, as a local one is, but
 * the server runs only the match spies Xapian knows: from its second
 * search on, when a local handle counts from columns, the remote one must
 * fall back and answer the same. */
START_TEST(test_one_remote_shard)
{
    char *shard = tu_printf("%s/gen-1/shard-0", sharded);
    const tc_query_t queries[] = {
        { .words = "sáng tạo", .limit = 50 },
        { .words = "ubnd", .limit = 5 },
        { .year = "2020..2030", .limit = 50 },
    };
    tc_index_t *local = NULL, *remote = NULL;
    ck_assert_int_eq(tc_index_open(&local, shard, TC_INDEX_READ), TC_STATUS_SUCCESS);
    ck_assert_int_eq(tc_index_open(&remote, one_remote_stub, TC_INDEX_READ), TC_STATUS_SUCCESS);
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
            char *expected = describe_with(local, shard, &queries[i]);
            char *answer = describe_with(remote, one_remote_stub, &queries[i]);
            ck_assert_msg(strstr(expected, "facet 0 "), "query %zu counts no issuer", i);
            expect_same(i, "one remote", answer, expected);
            free(expected);
            free(answer);
        }
    tc_index_close(local);
    tc_index_close(remote);
    free(shard);
}
END_TEST

START_TEST(test_links_and_suggestions_across_shards)
{
    const char *dbs[] = { sharded, remote_stub };
    for (int k = 0; k < 2; k++) {
        tc_index_t *index = NULL;
        tc_doc_page_t *page = NULL;
        ck_assert_int_eq(tc_index_open(&index, dbs[k], TC_INDEX_READ), TC_STATUS_SUCCESS);
        ck_assert_int_eq(tc_doc_page_get(&page, index, "ubnd-angiang-1471", TC_ACCESS_PUBLIC), TC_STATUS_SUCCESS);
        ck_assert_str_eq(page->reference_ids[0], "bkhcn-2341");
        ck_assert_uint_eq(page->n_cited_by, 1);
        ck_assert_str_eq(page->cited_by[0]->id, "000_8085305a3db06b59");
        tc_doc_page_free(page);
        tc_suggestions_t s;
        ck_assert_int_eq(tc_suggest(&s, index, "lai", 10, TC_ACCESS_PUBLIC), TC_STATUS_SUCCESS);
        ck_assert_uint_eq(s.issuers.count, 2);
        tc_suggestions_clear(&s);
        size_t count = 0;
        ck_assert_int_eq(tc_index_doc_count(&count, index), TC_STATUS_SUCCESS);
        ck_assert_uint_eq(count, 8);
        tc_index_close(index);
    }
}
END_TEST

/* A health check's revision on shards: the sum of theirs, raised by an
 * update (Xapian gives none for several databases); remote shards: 0. */
START_TEST(test_revision_of_shards)
{
    unsigned long before = 0, after = 0, remote = 1;
    tc_index_t *index = NULL;
    char *own = tu_printf("%s/own-shards", tu_tempdir()), *cmd = tu_printf("bin/indexer --db %s --shards 2 corpus >/dev/null", own);
    ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
    free(cmd);
    ck_assert_int_eq(tc_index_open(&index, own, TC_INDEX_READ), TC_STATUS_SUCCESS);
    ck_assert_int_eq(tc_index_revision(&before, index), TC_STATUS_SUCCESS);
    ck_assert_uint_gt(before, 0);
    tc_index_close(index);
    cmd = tu_printf("bin/indexer --db %s corpus tests/data >/dev/null", own);
    ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
    free(cmd);
    ck_assert_int_eq(tc_index_open(&index, own, TC_INDEX_READ), TC_STATUS_SUCCESS);
    ck_assert_int_eq(tc_index_revision(&after, index), TC_STATUS_SUCCESS);
    ck_assert_uint_gt(after, before);
    tc_index_close(index);
    ck_assert_int_eq(tc_index_open(&index, remote_stub, TC_INDEX_READ), TC_STATUS_SUCCESS);
    ck_assert_int_eq(tc_index_revision(&remote, index), TC_STATUS_SUCCESS);
    ck_assert_uint_eq(remote, 0);
    tc_index_close(index);
    free(own);
}
END_TEST

START_TEST(test_shard_count_is_kept)
{
    char *out = NULL, *err = NULL, *cmd = tu_printf("bin/indexer --db %s --shards 3 corpus", sharded);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 2);
    char *expected = tu_printf("indexer: index %s has 2 shards; to change that, rebuild it with --rebuild --shards 3\n", sharded);
    ck_assert_str_eq(err, expected);
    free(expected);
    free(out);
    free(err);
    free(cmd);
    cmd = tu_printf("bin/indexer --db %s corpus tests/data", sharded);
    ck_assert_int_eq(tu_run(cmd, &out, NULL), 0);
    expected = tu_printf("added 0, updated 0, removed 0, unchanged 8, rejected 0; the index at %s holds 8 dispatches\n", sharded);
    ck_assert_str_eq(out, expected);
    free(expected);
    free(out);
    free(cmd);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("shards");
    TCase *tc = tcase_create("shards");
    tcase_set_timeout(tc, 120);
    tcase_add_unchecked_fixture(tc, build_indexes, stop_servers);
    tcase_add_test(tc, test_same_answers);
    tcase_add_test(tc, test_one_remote_shard);
    tcase_add_test(tc, test_links_and_suggestions_across_shards);
    tcase_add_test(tc, test_shard_count_is_kept);
    tcase_add_test(tc, test_revision_of_shards);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
