/* Removals on an archive of thousands: after a nightly update that removed
 * dispatches, every kind of query answers exactly as it does on a fresh
 * rebuild of the same files, on one database and on shards (local, and
 * served by Xapian's remote backend), counted on one thread and split
 * over two.  The real bin/indexer builds the indexes. */
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "testutil.h"

/* Enough dispatches that Xapian keeps each common word's postings, and
 * the list of every document, in several chunks: the removal bug showed
 * only past the first chunk, and never on the five seeds. */
#define ARCHIVE_DISPATCHES 2000
/* Removed ones, spread over the archive (first, last and in between):
 * under the indexer's guard of 5% of the archive. */
#define REMOVED_EVERY 97

static char *updated, *updated_shards, *rebuilt, *remote_stub;
static pid_t servers[2];

static void run_ok(const char *cmd)
{
    char *out = NULL, *err = NULL;
    int code = tu_run(cmd, &out, &err);
    ck_assert_msg(code == 0, "%s: exit %d\n%s%s", cmd, code, out, err);
    free(out);
    free(err);
}

/* Indexes the archive, removes every REMOVED_EVERY-th file and the last,
 * updates, and rebuilds the same files into a third index. */
static void build_indexes(void)
{
    char *dir = tu_tempdir();
    updated = tu_printf("%s/updated", dir);
    updated_shards = tu_printf("%s/updated-shards", dir);
    rebuilt = tu_printf("%s/rebuilt", dir);
    char *cmd = tu_printf("bench/gen-corpus --out %s/src --n %d --seed 12 --quiet && "
                   "bin/indexer --quiet --db %s %s/src && bin/indexer --quiet --db %s --shards 2 %s/src",
                   dir, ARCHIVE_DISPATCHES, updated, dir, updated_shards, dir);
    run_ok(cmd);
    free(cmd);
    cmd = tu_printf("find %s/src -name '*.txt' | sort | awk 'NR %% %d == 1' | xargs rm && "
             "find %s/src -name '*.txt' | sort | tail -n 1 | xargs rm",
             dir, REMOVED_EVERY, dir);
    run_ok(cmd);
    free(cmd);
    cmd = tu_printf("bin/indexer --quiet --db %s %s/src && bin/indexer --quiet --db %s %s/src && "
             "bin/indexer --quiet --db %s --rebuild %s/src",
             updated, dir, updated_shards, dir, rebuilt, dir);
    run_ok(cmd);
    free(cmd);
    /* The updated shards served by Xapian's remote backend, as a stub. */
    remote_stub = tu_printf("%s/remote.stub", dir);
    FILE *stub = fopen(remote_stub, "w");
    ck_assert_ptr_nonnull(stub);
    for (int i = 0; i < 2; i++) {
        char *shard = tu_printf("%s/gen-1/shard-%d", updated_shards, i);
        fprintf(stub, "remote 127.0.0.1:%d\n", tu_xapian_serve(shard, &servers[i]));
        free(shard);
    }
    fclose(stub);
}

static void stop_servers(void)
{
    for (int i = 0; i < 2; i++)
        tu_xapian_stop(servers[i]);
}

static int strcmp_ptr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Hits a page: the most a search may return at once. */
#define PAGE 1000

/* An answer reduced to what cannot depend on docids or on the table of
 * usual forms (sampled anew by a rebuild, it moves accented words'
 * scores): the total, the facets, and the sorted ids of the matches with
 * their other copies: all of them by date, read page by page; by
 * relevance those of the first page when it holds every match (past it,
 * equal scores may fall either side of the page's end). */
static char *answer(tc_index_t *index, const char *words, tc_sort_t sort)
{
    char **rows = calloc(ARCHIVE_DISPATCHES + 1, sizeof *rows);
    size_t n_rows = 0, total = 0;
    char *facet_text = NULL;
    for (size_t offset = 0; offset == 0 || (sort == TC_SORT_DATE && offset < total); offset += PAGE) {
        tc_query_t q = { .words = words, .sort = sort, .offset = offset, .limit = PAGE, .without_snippets = 1 };
        tc_results_t *r = NULL;
        tc_status_t status = tc_search(&r, index, &q);
        ck_assert_msg(status == TC_STATUS_SUCCESS, "%s: %s", words, tc_index_last_error(index));
        total = r->total;
        ck_assert_uint_le(n_rows + r->n_hits, ARCHIVE_DISPATCHES);
        for (size_t i = 0; i < r->n_hits && (sort == TC_SORT_DATE || total <= PAGE); i++) {
            json_t *copies = json_array();
            for (size_t c = 0; c < r->hits[i].also_in.count; c++)
                json_array_append_new(copies, json_string(r->hits[i].also_in.items[c]));
            json_t *row = json_pack("[so]", r->hits[i].doc->id, copies);
            rows[n_rows++] = json_dumps(row, JSON_COMPACT);
            json_decref(row);
        }
        if (offset == 0) {
            json_t *counted = json_array();
            tc_facet_t *facets[] = { &r->issuer, &r->year, &r->doc_type };
            for (int f = 0; f < 3; f++)
                for (size_t v = 0; v < facets[f]->count; v++)
                    json_array_append_new(counted, json_pack("[isi]", f, facets[f]->values[v].value,
                                                             (int)facets[f]->values[v].count));
            facet_text = json_dumps(counted, JSON_COMPACT);
            json_decref(counted);
        }
        tc_results_free(r);
    }
    qsort(rows, n_rows, sizeof *rows, strcmp_ptr);
    char *out = tu_printf("total %zu; facets %s; hits", total, facet_text);
    for (size_t i = 0; i < n_rows; i++) {
        char *longer = tu_printf("%s %s", out, rows[i]);
        free(out);
        free(rows[i]);
        out = longer;
    }
    free(rows);
    free(facet_text);
    return out;
}

/* Single words held by every dispatch (the shape that broke), rarer
 * words, phrases, exclusions, every filter, and filters alone. */
static const char *const queries[] = {
    "ngày",
    "số",
    "ngay",
    "công văn",
    "sáng tạo",
    "\"tổ chức thực hiện\"",
    "\"ủy ban nhân dân\"",
    "ngày -sáng",
    "sáng -ngày",
    "ngày issuer:UBND",
    "issuer:\"sở y tế\"",
    "year:2024",
    "year:2020..2025 ngày",
    "type:\"kế hoạch\"",
    "type:\"công văn\" ngày",
    "deadline:2025-01..2026-12",
    "theme:\"chuyển đổi số\"",
    "year:2000..2100",
};

START_TEST(test_removals_answer_as_a_rebuild)
{
    tc_index_t *want = NULL;
    ck_assert_int_eq(tc_index_open(&want, rebuilt, TC_INDEX_READ), TC_STATUS_SUCCESS);
    const char *paths[] = { updated, updated_shards, remote_stub };
    size_t n_removed = 0, n_after = 0;
    ck_assert_int_eq(tc_index_doc_count(&n_after, want), TC_STATUS_SUCCESS);
    n_removed = ARCHIVE_DISPATCHES - n_after;
    ck_assert_uint_ge(n_removed, ARCHIVE_DISPATCHES / REMOVED_EVERY);
    for (size_t p = 0; p < sizeof paths / sizeof *paths; p++) {
        /* Remote shards count with Xapian's own spies, on one thread,
         * from the first search on: one way to try. */
        int remote = paths[p] == remote_stub;
        for (unsigned threads = 1; threads <= (remote ? 1u : 2u); threads++) {
            tc_index_t *got = NULL;
            ck_assert_int_eq(tc_index_open(&got, paths[p], TC_INDEX_READ), TC_STATUS_SUCCESS);
            ck_assert_int_eq(tc_index_set_search_threads(got, threads), TC_STATUS_SUCCESS);
            ck_assert_int_eq(tc_index_set_search_threads(want, threads), TC_STATUS_SUCCESS);
            size_t count = 0;
            ck_assert_int_eq(tc_index_doc_count(&count, got), TC_STATUS_SUCCESS);
            ck_assert_uint_eq(count, n_after);
            /* Twice each: a handle's first search of a revision counts from
             * the documents, later ones from cached columns. */
            for (int pass = 0; pass < (remote ? 1 : 2); pass++)
                for (size_t i = 0; i < sizeof queries / sizeof *queries; i++)
                    for (tc_sort_t sort = TC_SORT_RELEVANCE; sort <= TC_SORT_DATE; sort++) {
                        char *expected = answer(want, queries[i], sort);
                        char *actual = answer(got, queries[i], sort);
                        size_t at = 0;
                        while (expected[at] && expected[at] == actual[at])
                            at++;
                        size_t from = at > 150 ? at - 150 : 0;
                        ck_assert_msg(!expected[at] && !actual[at],
                                      "%s (%s, %u threads, pass %d) differs at byte %zu:\n%.300s\n%.300s", queries[i],
                                      paths[p], threads, pass, at, expected + from, actual + from);
                        free(expected);
                        free(actual);
                    }
            tc_index_close(got);
        }
    }
    tc_index_close(want);
}
END_TEST

START_TEST(test_the_command_line_after_removals)
{
    /* What the bug report ran: a common word after a removal. */
    char *cmd = tu_printf("bin/query --db %s --limit 1 ngày", updated), *out = NULL, *err = NULL;
    int code = tu_run(cmd, &out, &err);
    ck_assert_msg(code == 0, "%s: exit %d: %s", cmd, code, err);
    ck_assert_ptr_nonnull(strstr(out, "dispatches"));
    free(out);
    free(err);
    free(cmd);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("removals");
    TCase *tc = tcase_create("removals");
    tcase_set_timeout(tc, 300);
    tcase_add_unchecked_fixture(tc, build_indexes, stop_servers);
    tcase_add_test(tc, test_removals_answer_as_a_rebuild);
    tcase_add_test(tc, test_the_command_line_after_removals);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
