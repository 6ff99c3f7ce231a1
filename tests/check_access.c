/* Who may see what: an archive of public, internal and secret dispatches
 * (tests/corpora/access), one of them secret only by the folder it is in,
 * searched at every level through the library, over shards local and
 * served by xapian-tcpsrv, from the command line and over HTTP.  A
 * dispatch above the caller's level must not show in any answer. */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <jansson.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "testutil.h"

static char *dir, *archive, *config_path, *single, *sharded, *remote_stub;
static pid_t servers[2];

static void build_indexes(void)
{
    dir = tu_tempdir();
    archive = tu_printf("%s/archive", dir);
    single = tu_printf("%s/single", dir);
    sharded = tu_printf("%s/sharded", dir);
    remote_stub = tu_printf("%s/remote.stub", dir);
    config_path = tu_printf("%s/tracuu.conf", dir);
    /* The folder luu-tru/ holds a dispatch without a mark that the office
     * keeps secret: the configuration says so. */
    FILE *f = fopen(config_path, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "access = mat %s/luu-tru/\n", archive);
    fclose(f);
    char *cmd = tu_printf("mkdir -p %s/luu-tru && cd tests/corpora/access && "
                          "cp cv-cong-khai.txt cv-noi-bo.txt cv-mat.txt cv-toi-mat.txt %s/ && "
                          "cp cv-luu-tru.txt %s/luu-tru/ && cd - >/dev/null && "
                          "TRACUU_CONFIG=%s bin/indexer --quiet --db %s %s && "
                          "TRACUU_CONFIG=%s bin/indexer --quiet --shards 2 --db %s %s",
                          archive, archive, archive, config_path, single, archive, config_path, sharded, archive);
    ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
    free(cmd);
    f = fopen(remote_stub, "w");
    ck_assert_ptr_nonnull(f);
    for (int i = 0; i < 2; i++) {
        char *shard = tu_printf("%s/gen-1/shard-%d", sharded, i);
        fprintf(f, "remote 127.0.0.1:%d\n", tu_xapian_serve(shard, &servers[i]));
        free(shard);
    }
    fclose(f);
}

static void stop_servers(void)
{
    for (int i = 0; i < 2; i++)
        tu_xapian_stop(servers[i]);
}

/* What each level sees, of everything. */
static const struct {
    tc_access_t level;
    const char *ids;
    const char *issuers; /* the issuer facet: value=count, by count */
} visible[] = {
    { TC_ACCESS_PUBLIC, "cv-cong-khai", "Ủy ban nhân dân tỉnh Lai Châu=1" },
    { TC_ACCESS_STAFF, "cv-cong-khai cv-noi-bo", "Ủy ban nhân dân tỉnh Lai Châu=2" },
    { TC_ACCESS_MAT, "cv-cong-khai cv-mat cv-noi-bo luu-tru/cv-luu-tru",
      "Ủy ban nhân dân tỉnh Lai Châu=3 Sở Ngoại vụ tỉnh Lai Châu=1" },
    { TC_ACCESS_TOI_MAT, "cv-cong-khai cv-mat cv-noi-bo cv-toi-mat luu-tru/cv-luu-tru",
      "Ủy ban nhân dân tỉnh Lai Châu=4 Sở Ngoại vụ tỉnh Lai Châu=1" },
    { TC_ACCESS_TUYET_MAT, "cv-cong-khai cv-mat cv-noi-bo cv-toi-mat luu-tru/cv-luu-tru",
      "Ủy ban nhân dân tỉnh Lai Châu=4 Sở Ngoại vụ tỉnh Lai Châu=1" },
};
#define N_LEVELS (sizeof visible / sizeof *visible)

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The ids of the hits, sorted, one space between. */
static char *hit_ids(const tc_results_t *r)
{
    const char **ids = calloc(r->n_hits + 1, sizeof *ids);
    for (size_t i = 0; i < r->n_hits; i++)
        ids[i] = r->hits[i].doc->id;
    qsort(ids, r->n_hits, sizeof *ids, compare_strings);
    tc_buf_t out = TC_BUF_INIT;
    tc_buf_append(&out, "", 0);
    for (size_t i = 0; i < r->n_hits; i++)
        tc_buf_printf(&out, "%s%s", i ? " " : "", ids[i]);
    free(ids);
    return tc_buf_steal(&out);
}

static char *facet_text(const tc_facet_t *facet)
{
    tc_buf_t out = TC_BUF_INIT;
    tc_buf_append(&out, "", 0);
    for (size_t i = 0; i < facet->count; i++)
        tc_buf_printf(&out, "%s%s=%zu", i ? " " : "", facet->values[i].value, facet->values[i].count);
    return tc_buf_steal(&out);
}

static tc_results_t *search_at(tc_index_t *index, const char *db, tc_query_t q)
{
    tc_results_t *r = NULL;
    ck_assert_msg(tc_search(&r, index, &q) == TC_STATUS_SUCCESS, "%s: %s", db, tc_index_last_error(index));
    return r;
}

static const char *const *databases(void)
{
    static const char *dbs[3];
    dbs[0] = single;
    dbs[1] = sharded;
    dbs[2] = remote_stub;
    return dbs;
}

/* Everything, at each level, on one index, on local shards and on remote
 * ones: exactly the dispatches of that level and below, in the hits, the
 * total, the facets and the count of documents. */
START_TEST(test_each_level_sees_exactly_its_own)
{
    for (size_t d = 0; d < 3; d++) {
        const char *db = databases()[d];
        tc_index_t *index = NULL;
        ck_assert_int_eq(tc_index_open(&index, db, TC_INDEX_READ), TC_STATUS_SUCCESS);
        for (size_t l = 0; l < N_LEVELS; l++) {
            tc_results_t *r = search_at(index, db, (tc_query_t){ .limit = 50, .level = visible[l].level });
            char *ids = hit_ids(r), *issuers = facet_text(&r->issuer);
            ck_assert_msg(strcmp(ids, visible[l].ids) == 0, "%s at %s: {%s}", db, tc_access_name(visible[l].level),
                          ids);
            ck_assert_msg(strcmp(issuers, visible[l].issuers) == 0, "%s at %s: issuers %s", db,
                          tc_access_name(visible[l].level), issuers);
            size_t expected = 1;
            for (const char *p = visible[l].ids; (p = strchr(p, ' ')); p++)
                expected++;
            ck_assert_uint_eq(r->total, expected);
            ck_assert_uint_eq(r->year.count, 1);
            ck_assert_uint_eq(r->year.values[0].count, expected);
            size_t count = 0;
            ck_assert_int_eq(tc_index_visible_count(&count, index, visible[l].level), TC_STATUS_SUCCESS);
            ck_assert_uint_eq(count, expected);
            free(ids);
            free(issuers);
            tc_results_free(r);
        }
        size_t all = 0;
        ck_assert_int_eq(tc_index_doc_count(&all, index), TC_STATUS_SUCCESS);
        ck_assert_uint_eq(all, 5);
        tc_index_close(index);
    }
}
END_TEST

/* The secret dispatch's number, its words and its issuer find nothing at
 * the public level: no hit, no "in the archive", no correction, no part
 * said to match on its own; at its level they find it. */
START_TEST(test_secret_words_find_nothing_below_it)
{
    const char *words[] = { "300/SNgV-LS", "300", "\"mật danh Hoa Sen Vàng\"", "hoa sen vang", "Hoa Sen Vnàg",
                            "issuer:\"Sở Ngoại vụ\"", "phương án đón đoàn khách quốc tế", "ngoại vụ chuyển đổi số" };
    for (size_t d = 0; d < 3; d++) {
        const char *db = databases()[d];
        tc_index_t *index = NULL;
        ck_assert_int_eq(tc_index_open(&index, db, TC_INDEX_READ), TC_STATUS_SUCCESS);
        for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
            tc_results_t *r = search_at(index, db, (tc_query_t){ .words = words[w], .limit = 10 });
            ck_assert_msg(r->total == 0 && r->n_hits == 0, "%s: \"%s\" found %zu at public", db, words[w], r->total);
            ck_assert_msg(!r->suggestion, "%s: \"%s\" corrected to \"%s\"", db, words[w], r->suggestion);
            ck_assert_msg(r->n_without == 0, "%s: \"%s\" matches without \"%s\"", db, words[w],
                          r->n_without ? r->without[0].part : "");
            ck_assert_uint_eq(r->issuer.count, 0);
            ck_assert_int_ne(r->number_in_archive, 1);
            tc_results_free(r);
        }
        /* At its level, each of them finds it (the typo by correction). */
        for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
            tc_results_t *r = search_at(index, db, (tc_query_t){ .words = words[w], .limit = 10, .level = TC_ACCESS_MAT });
            char *ids = hit_ids(r);
            ck_assert_msg(strcmp(ids, "cv-mat") == 0, "%s: \"%s\" at mat: {%s}", db, words[w], ids);
            free(ids);
            tc_results_free(r);
        }
        tc_results_t *r = search_at(index, db, (tc_query_t){ .words = "300/SNgV-LS", .limit = 10, .level = TC_ACCESS_MAT });
        ck_assert_int_eq(r->number_in_archive, 1);
        tc_results_free(r);
        /* The dispatch itself shown from the public one cites nothing: the
         * number "100/UBND-VP" is the public one's, found at any level. */
        r = search_at(index, db, (tc_query_t){ .words = "100/UBND-VP", .limit = 10 });
        char *ids = hit_ids(r);
        ck_assert_str_eq(ids, "cv-cong-khai");
        free(ids);
        tc_results_free(r);
        tc_index_close(index);
    }
}
END_TEST

/* A page: the secret dispatch is "not found", as an id no dispatch has;
 * the public one it cites lists it under cited_by only at its level. */
START_TEST(test_doc_pages_and_citations)
{
    for (size_t d = 0; d < 3; d++) {
        const char *db = databases()[d];
        tc_index_t *index = NULL;
        tc_doc_page_t *page = NULL;
        ck_assert_int_eq(tc_index_open(&index, db, TC_INDEX_READ), TC_STATUS_SUCCESS);
        ck_assert_int_eq(tc_doc_page_get(&page, index, "cv-mat", TC_ACCESS_STAFF), TC_STATUS_NOT_FOUND);
        ck_assert_str_eq(tc_index_last_error(index), "no dispatch with id \"cv-mat\"");
        ck_assert_int_eq(tc_doc_page_get(&page, index, "cv-khong-co", TC_ACCESS_STAFF), TC_STATUS_NOT_FOUND);
        ck_assert_str_eq(tc_index_last_error(index), "no dispatch with id \"cv-khong-co\"");
        ck_assert_int_eq(tc_doc_page_get(&page, index, "luu-tru/cv-luu-tru", TC_ACCESS_STAFF), TC_STATUS_NOT_FOUND);
        ck_assert_int_eq(tc_doc_page_get(&page, index, "cv-toi-mat", TC_ACCESS_MAT), TC_STATUS_NOT_FOUND);

        ck_assert_int_eq(tc_doc_page_get(&page, index, "cv-cong-khai", TC_ACCESS_PUBLIC), TC_STATUS_SUCCESS);
        ck_assert_uint_eq(page->n_cited_by, 0);
        tc_doc_page_free(page);
        ck_assert_int_eq(tc_doc_page_get(&page, index, "cv-cong-khai", TC_ACCESS_MAT), TC_STATUS_SUCCESS);
        ck_assert_uint_eq(page->n_cited_by, 1);
        ck_assert_str_eq(page->cited_by[0]->id, "cv-mat");
        tc_doc_page_free(page);

        ck_assert_int_eq(tc_doc_page_get(&page, index, "cv-mat", TC_ACCESS_MAT), TC_STATUS_SUCCESS);
        ck_assert_int_eq(page->doc->access, TC_ACCESS_MAT);
        ck_assert_str_eq(page->doc->secrecy, "Mật");
        ck_assert_str_eq(page->reference_ids[0], "cv-cong-khai");
        tc_doc_page_free(page);
        ck_assert_int_eq(tc_doc_page_get(&page, index, "luu-tru/cv-luu-tru", TC_ACCESS_MAT), TC_STATUS_SUCCESS);
        ck_assert_int_eq(page->doc->access, TC_ACCESS_MAT);
        ck_assert_ptr_null(page->doc->secrecy);
        tc_doc_page_free(page);
        ck_assert_int_eq(tc_doc_page_get(&page, index, "cv-noi-bo", TC_ACCESS_STAFF), TC_STATUS_SUCCESS);
        ck_assert_int_eq(page->doc->access, TC_ACCESS_STAFF);
        ck_assert_str_eq(page->doc->circulation, "Lưu hành nội bộ");
        tc_doc_page_free(page);
        tc_index_close(index);
    }
}
END_TEST

static char *joined(const tc_strlist_t *list)
{
    tc_buf_t out = TC_BUF_INIT;
    tc_buf_append(&out, "", 0);
    for (size_t i = 0; i < list->count; i++)
        tc_buf_printf(&out, "%s%s", i ? "|" : "", list->items[i]);
    return tc_buf_steal(&out);
}

/* Completions of an issuer only secret dispatches have are not offered
 * below their level. */
START_TEST(test_suggestions_hold_to_the_level)
{
    const struct {
        const char *typed;
        tc_access_t level;
        const char *issuers;
    } cases[] = {
        { "ngoai", TC_ACCESS_PUBLIC, "" },
        { "ngoại v", TC_ACCESS_STAFF, "" },
        { "ngoai", TC_ACCESS_MAT, "Sở Ngoại vụ tỉnh Lai Châu" },
        { "so ngoai vu", TC_ACCESS_TUYET_MAT, "Sở Ngoại vụ tỉnh Lai Châu" },
        { "lai", TC_ACCESS_PUBLIC, "Ủy ban nhân dân tỉnh Lai Châu" },
    };
    for (size_t d = 0; d < 3; d++) {
        const char *db = databases()[d];
        tc_index_t *index = NULL;
        ck_assert_int_eq(tc_index_open(&index, db, TC_INDEX_READ), TC_STATUS_SUCCESS);
        for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
            tc_suggestions_t s;
            ck_assert_int_eq(tc_suggest(&s, index, cases[i].typed, 10, cases[i].level), TC_STATUS_SUCCESS);
            char *issuers = joined(&s.issuers);
            ck_assert_msg(strcmp(issuers, cases[i].issuers) == 0, "%s: \"%s\" at %s: %s", db, cases[i].typed,
                          tc_access_name(cases[i].level), issuers);
            free(issuers);
            tc_suggestions_clear(&s);
        }
        tc_index_close(index);
    }
}
END_TEST

/* An export holds the rows of the caller's level only. */
START_TEST(test_export_holds_to_the_level)
{
    tc_index_t *index = NULL;
    ck_assert_int_eq(tc_index_open(&index, remote_stub, TC_INDEX_READ), TC_STATUS_SUCCESS);
    const size_t rows_at[] = { 1, 2, 4, 5, 5 };
    for (size_t l = 0; l < N_LEVELS; l++) {
        char *text = NULL;
        size_t len = 0, rows = 0;
        FILE *out = open_memstream(&text, &len);
        tc_query_t q = { .words = "lai chau", .level = visible[l].level };
        ck_assert_int_eq(tc_export(out, index, &q, TC_EXPORT_JSONL, &rows), TC_STATUS_SUCCESS);
        fclose(out);
        ck_assert_uint_eq(rows, rows_at[l]);
        ck_assert_int_eq(strstr(text, "\"cv-mat\"") != NULL, visible[l].level >= TC_ACCESS_MAT);
        free(text);
    }
    tc_index_close(index);
}
END_TEST

/* The command line: --level, its errors, and the record's access from the
 * indexer, with the configuration's folder rule. */
START_TEST(test_command_line)
{
    char *out = NULL, *err = NULL;
    char *cmd = tu_printf("bin/query --db %s --format jsonl lai chau", single);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 0);
    ck_assert_ptr_nonnull(strstr(out, "\"id\":\"cv-cong-khai\""));
    ck_assert_ptr_null(strstr(out, "\"id\":\"cv-noi-bo\""));
    free(cmd), free(out), free(err);
    cmd = tu_printf("bin/query --db %s --level toi-mat --json 'bảo vệ mục tiêu trọng yếu'", single);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 0);
    ck_assert_ptr_nonnull(strstr(out, "\"id\":\"cv-toi-mat\""));
    free(cmd), free(out), free(err);
    cmd = tu_printf("bin/query --db %s --level mat 'bảo vệ mục tiêu trọng yếu'", single);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 1);
    free(cmd), free(out), free(err);
    cmd = tu_printf("bin/query --db %s --level secret x", single);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 2);
    ck_assert_str_eq(err, "query: --level: \"secret\" is not a level (public, staff, mat, toi-mat, tuyet-mat)\n");
    free(cmd), free(out), free(err);
    /* The record of a file in the secret folder, with and without the rule. */
    cmd = tu_printf("TRACUU_CONFIG=%s bin/indexer --parse %s/luu-tru/cv-luu-tru.txt %s/cv-noi-bo.txt", config_path,
                    archive, archive);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 0);
    ck_assert_ptr_nonnull(strstr(out, "\"id\":\"cv-luu-tru\""));
    ck_assert_ptr_nonnull(strstr(out, "\"circulation\":null,\"access\":\"mat\""));
    ck_assert_ptr_nonnull(strstr(out, "\"circulation\":\"Lưu hành nội bộ\",\"access\":\"staff\""));
    free(cmd), free(out), free(err);
    cmd = tu_printf("bin/indexer --parse %s/luu-tru/cv-luu-tru.txt", archive);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 0);
    ck_assert_ptr_nonnull(strstr(out, "\"access\":\"public\""));
    free(cmd), free(out), free(err);
}
END_TEST

/* A rule added later re-reads the files it names at the next update, and
 * the dispatch is no longer public. */
START_TEST(test_new_rule_applies_at_the_next_update)
{
    char *db = tu_printf("%s/later", dir), *conf = tu_printf("%s/later.conf", dir);
    char *out = NULL, *err = NULL;
    char *cmd = tu_printf("bin/indexer --db %s %s", db, archive);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 0);
    ck_assert_ptr_nonnull(strstr(out, "added 5,"));
    free(out), free(err);
    tc_index_t *index = NULL;
    size_t count = 0;
    ck_assert_int_eq(tc_index_open(&index, db, TC_INDEX_READ), TC_STATUS_SUCCESS);
    ck_assert_int_eq(tc_index_visible_count(&count, index, TC_ACCESS_PUBLIC), TC_STATUS_SUCCESS);
    ck_assert_uint_eq(count, 2); /* cv-cong-khai, and cv-luu-tru without the rule */
    FILE *f = fopen(conf, "w");
    fprintf(f, "access = staff cv-cong-*.txt\n");
    fclose(f);
    free(cmd);
    cmd = tu_printf("TRACUU_CONFIG=%s bin/indexer --db %s %s", conf, db, archive);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 0);
    ck_assert_ptr_nonnull(strstr(out, "added 0, updated 1, removed 0, unchanged 4, rejected 0;"));
    free(out), free(err);
    ck_assert_int_eq(tc_index_refresh(index), TC_STATUS_SUCCESS);
    ck_assert_int_eq(tc_index_visible_count(&count, index, TC_ACCESS_PUBLIC), TC_STATUS_SUCCESS);
    ck_assert_uint_eq(count, 1);
    ck_assert_int_eq(tc_index_visible_count(&count, index, TC_ACCESS_STAFF), TC_STATUS_SUCCESS);
    ck_assert_uint_eq(count, 3);
    tc_index_close(index);
    free(cmd), free(db), free(conf);
}
END_TEST

/* The password tool writes lines searchd reads; the library checks
 * passwords against them, yescrypt and bcrypt. */
START_TEST(test_password_tool)
{
    char *users = tu_printf("%s/users", dir), *conf = tu_printf("%s/users.conf", dir);
    char *out = NULL, *err = NULL, *cmd = NULL;
    cmd = tu_printf("printf 'mật khẩu 1\\n' | bin/passwd --file %s --level mat lan && "
                    "printf 'other\\n' | bin/passwd --file %s --method bcrypt minh && stat -c %%a %s",
                    users, users, users);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 0);
    ck_assert_str_eq(out, "added lan (mat)\nadded minh (public)\n640\n");
    free(cmd), free(out), free(err);
    char *text = tu_read_file(users);
    ck_assert_int_eq(strncmp(text, "lan:$y$", 7), 0);
    ck_assert_ptr_nonnull(strstr(text, ":mat\nminh:$2b$11$"));
    ck_assert_int_eq(strcmp(text + strlen(text) - 8, ":public\n"), 0);
    free(text);

    tc_users_t *list = NULL;
    char *message = NULL;
    tc_access_t level = TC_ACCESS_PUBLIC;
    ck_assert_int_eq(tc_users_read(&list, users, &message), TC_STATUS_SUCCESS);
    ck_assert_int_eq(tc_users_check(list, "lan", "mật khẩu 1", &level), 1);
    ck_assert_int_eq(level, TC_ACCESS_MAT);
    ck_assert_int_eq(tc_users_check(list, "minh", "other", &level), 1);
    ck_assert_int_eq(level, TC_ACCESS_PUBLIC);
    ck_assert_int_eq(tc_users_check(list, "lan", "mật khẩu", &level), 0);
    ck_assert_int_eq(tc_users_check(list, "lan", "", &level), 0);
    ck_assert_int_eq(tc_users_check(list, "ai", "mật khẩu 1", &level), 0);
    tc_users_free(list);

    /* A new password keeps the level; --level changes it; the file comes
     * from the configuration's users key too. */
    FILE *f = fopen(conf, "w");
    fprintf(f, "users = %s\n", users);
    fclose(f);
    cmd = tu_printf("printf 'mới\\n' | TRACUU_CONFIG=%s bin/passwd lan && "
                    "printf 'x\\n' | TRACUU_CONFIG=%s bin/passwd --level staff minh && "
                    "TRACUU_CONFIG=%s bin/passwd --delete minh",
                    conf, conf, conf);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 0);
    ck_assert_str_eq(out, "changed lan (mat)\nchanged minh (staff)\nremoved minh\n");
    free(cmd), free(out), free(err);
    ck_assert_int_eq(tc_users_read(&list, users, &message), TC_STATUS_SUCCESS);
    ck_assert_int_eq(tc_users_check(list, "lan", "mới", &level), 1);
    ck_assert_int_eq(tc_users_check(list, "lan", "mật khẩu 1", &level), 0);
    ck_assert_int_eq(tc_users_level(list, "minh", &level), -1);
    tc_users_free(list);

    /* Errors say what, and change nothing. */
    const struct {
        const char *args, *error;
    } bad[] = {
        { "--level secret lan", "passwd: --level: \"secret\" is not a level (public, staff, mat, toi-mat, tuyet-mat)\n" },
        { "'a:b'", "passwd: \"a:b\" is not a user name (1 to 64 bytes of UTF-8, no space or ':')\n" },
        { "--method md5 lan", "passwd: --method: \"md5\" is not yescrypt or bcrypt\n" },
        { "--delete minh", NULL },
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        cmd = tu_printf("bin/passwd --file %s %s </dev/null", users, bad[i].args); /* refused before reading */
        ck_assert_int_eq(tu_run(cmd, &out, &err), 2);
        char *expected = bad[i].error ? strdup(bad[i].error) : tu_printf("passwd: %s: no user minh\n", users);
        ck_assert_str_eq(err, expected);
        free(expected);
        free(cmd), free(out), free(err);
    }
    cmd = tu_printf("printf '' | bin/passwd --file %s lan", users);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 2);
    ck_assert_str_eq(err, "passwd: no password given\n");
    free(cmd), free(out), free(err);

    /* A file searchd would refuse is named with its line. */
    f = fopen(users, "a");
    fprintf(f, "hoa:plain-text:staff\n");
    fclose(f);
    ck_assert_int_eq(tc_users_read(&list, users, &message), TC_STATUS_BAD_INPUT);
    char *expected = tu_printf("%s:2: hoa: the hash is not one libcrypt made with yescrypt or bcrypt", users);
    ck_assert_str_eq(message, expected);
    free(expected);
    free(message);
    tc_users_free(list);
    free(users), free(conf);
}
END_TEST

/* GET base + path: the status and the body (malloc'd into *body). */
static long http_get(const char *base, const char *path, char **body)
{
    char *url = tu_printf("%s%s", base, path);
    tu_response_t r;
    tu_http(&r, "GET", url, NULL);
    free(url);
    *body = strndup(r.body ? r.body : "", r.len);
    long status = r.status;
    tu_response_free(&r);
    return status;
}

/* searchd, for a caller who did not sign in, at public (the default) and
 * with --anonymous mat: every endpoint.  (On one database: /healthz reads
 * the revision, which Xapian gives only for one.  The library calls each
 * endpoint makes are tested on remote shards above.) */
START_TEST(test_http_endpoints_hold_to_the_level)
{
    const struct {
        const char *anonymous;
        size_t total;
        const char *issuers_for_ngoai;
    } cases[] = {
        { NULL, 1, "[]" },
        { "mat", 4, "[\"Sở Ngoại vụ tỉnh Lai Châu\"]" },
    };
    for (size_t k = 0; k < 2; k++) {
        char *log = tu_printf("%s/searchd-%zu.log", dir, k);
        const char *options[] = { "--anonymous", cases[k].anonymous, NULL };
        int pid = 0;
        char *base = tu_searchd_start_with(single, log, &pid, cases[k].anonymous ? options : NULL);
        char *body = NULL;
        ck_assert_int_eq(http_get(base, "/api/search?q=lai+chau&per_page=50", &body), 200);
        json_t *answer = json_loads(body, 0, NULL);
        ck_assert_uint_eq(json_integer_value(json_object_get(answer, "total")), cases[k].total);
        ck_assert_uint_eq(json_array_size(json_object_get(answer, "results")), cases[k].total);
        json_decref(answer);
        free(body);

        ck_assert_int_eq(http_get(base, "/api/search.csv?q=lai+chau", &body), 200);
        ck_assert_uint_eq(tu_count(body, "\n"), 1 + cases[k].total); /* the header row, then one a dispatch */
        ck_assert_int_eq(strstr(body, "300/SNgV-LS") != NULL, cases[k].anonymous != NULL);
        free(body);

        ck_assert_int_eq(http_get(base, "/api/deadlines.ics?q=lai+chau", &body), 200);
        ck_assert_uint_eq(tu_count(body, "BEGIN:VEVENT"), cases[k].total);
        free(body);

        /* The secret dispatch's page: what an id no dispatch has gets. */
        char *unknown = NULL;
        ck_assert_int_eq(http_get(base, "/api/doc/cv-khong-co", &unknown), 404);
        ck_assert_str_eq(unknown, "{\"error\":\"no dispatch with id \\\"cv-khong-co\\\"\",\"message\":\"Không có văn bản nào mang mã “cv-khong-co” trong kho.\"}");
        ck_assert_int_eq(http_get(base, "/api/doc/cv-mat", &body), cases[k].anonymous ? 200 : 404);
        if (!cases[k].anonymous)
            ck_assert_str_eq(body, "{\"error\":\"no dispatch with id \\\"cv-mat\\\"\",\"message\":\"Không có văn bản nào mang mã “cv-mat” trong kho.\"}");
        free(unknown);
        free(body);

        ck_assert_int_eq(http_get(base, "/api/doc/cv-cong-khai", &body), 200);
        answer = json_loads(body, 0, NULL);
        ck_assert_uint_eq(json_array_size(json_object_get(answer, "cited_by")), cases[k].anonymous ? 1 : 0);
        json_decref(answer);
        free(body);

        ck_assert_int_eq(http_get(base, "/api/suggest?q=ngoai", &body), 200);
        answer = json_loads(body, 0, NULL);
        char *issuers = json_dumps(json_object_get(answer, "issuers"), JSON_COMPACT | JSON_ENSURE_ASCII * 0);
        ck_assert_str_eq(issuers, cases[k].issuers_for_ngoai);
        free(issuers);
        json_decref(answer);
        free(body);

        ck_assert_int_eq(http_get(base, "/healthz", &body), 200);
        answer = json_loads(body, 0, NULL);
        ck_assert_uint_eq(json_integer_value(json_object_get(answer, "documents")), cases[k].total);
        json_decref(answer);
        free(body);

        ck_assert_int_eq(tu_searchd_stop(pid), 0);
        free(base);
        free(log);
    }
}
END_TEST

/* GET base + path as user:password (NULL: none), with an extra header
 * (NULL: none). */
static tu_response_t get_as(const char *base, const char *path, const char *credentials, const char *header)
{
    char *url = credentials ? tu_printf("http://%s@%s%s", credentials, base + strlen("http://"), path)
                            : tu_printf("%s%s", base, path);
    tu_response_t r;
    tu_http(&r, "GET", url, header);
    free(url);
    return r;
}

/* How the refusal of a password from another machine begins. */
#define BASIC_NEEDS_LOOPBACK_TEXT "sign-in with a password is accepted only from this machine"

static void expect_answer(const char *base, const char *path, const char *credentials, const char *header,
                          long status, const char *body)
{
    tu_response_t r = get_as(base, path, credentials, header);
    ck_assert_msg(r.status == status, "%s as %s: %ld, not %ld: %.*s", path, credentials ? credentials : "nobody",
                  r.status, status, (int)r.len, r.body);
    if (body)
        ck_assert_msg(r.len == strlen(body) && memcmp(r.body, body, r.len) == 0, "%s as %s: %.*s", path,
                      credentials ? credentials : "nobody", (int)r.len, r.body);
    tu_response_free(&r);
}

static long total_as(const char *base, const char *credentials, const char *header)
{
    tu_response_t r = get_as(base, "/api/search?q=lai+chau", credentials, header);
    ck_assert_int_eq(r.status, 200);
    json_t *answer = json_loadb(r.body, r.len, 0, NULL);
    long total = (long)json_integer_value(json_object_get(answer, "total"));
    json_decref(answer);
    tu_response_free(&r);
    return total;
}

/* The audit log without its times: "user address action detail" lines. */
static char *audit_lines(const char *path)
{
    char *text = tu_read_file(path);
    ck_assert_ptr_nonnull(text);
    tc_buf_t out = TC_BUF_INIT;
    tc_buf_append(&out, "", 0);
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char *tab = strchr(line, '\t');
        ck_assert_ptr_nonnull(tab);
        ck_assert_uint_eq((size_t)(tab - line), strlen("2026-12-04T18:40:04Z"));
        tc_buf_printf(&out, "%s\n", tab + 1);
    }
    free(text);
    return tc_buf_steal(&out);
}

/* Signing in: HTTP Basic from this machine with the password file's
 * users (yescrypt and bcrypt), wrong passwords bounded, X-Remote-User
 * believed from a trusted proxy only, and the audit log of it all. */
START_TEST(test_sign_in_proxy_and_audit_log)
{
    char *users = tu_printf("%s/searchd-users", dir), *audit = tu_printf("%s/audit.log", dir);
    char *log = tu_printf("%s/searchd-signin.log", dir);
    char *cmd = tu_printf("printf 'mật khẩu\\n' | bin/passwd --file %s --level mat lan >/dev/null && "
                          "printf 'other\\n' | bin/passwd --file %s --level staff --method bcrypt minh >/dev/null && "
                          "printf 'x\\n' | bin/passwd --file %s --level tuyet-mat admin >/dev/null",
                          users, users, users);
    ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
    free(cmd);
    /* The proxy trusted is not this machine: its X-Remote-User is forged. */
    const char *options[] = { "--users", users, "--trusted-proxy", "192.0.2.200", "--audit-log", audit, NULL };
    int pid = 0;
    char *base = tu_searchd_start_with(single, log, &pid, options);
    expect_answer(base, "/api/whoami", NULL, NULL, 200, "{\"user\":null,\"level\":\"public\"}");
    expect_answer(base, "/api/whoami", "lan:m%E1%BA%ADt%20kh%E1%BA%A9u", NULL, 200,
                  "{\"user\":\"lan\",\"level\":\"mat\"}");
    expect_answer(base, "/api/whoami", "minh:other", NULL, 200, "{\"user\":\"minh\",\"level\":\"staff\"}");
    expect_answer(base, "/api/whoami", NULL, "X-Remote-User: admin", 200, "{\"user\":null,\"level\":\"public\"}");
    ck_assert_int_eq(total_as(base, NULL, "X-Remote-User: admin"), 1);
    ck_assert_int_eq(total_as(base, "minh:other", NULL), 2);
    expect_answer(base, "/api/doc/cv-mat", "minh:other", NULL, 404, "{\"error\":\"no dispatch with id \\\"cv-mat\\\"\",\"message\":\"Không có văn bản nào mang mã “cv-mat” trong kho.\"}");
    expect_answer(base, "/api/doc/cv-mat", "lan:m%E1%BA%ADt%20kh%E1%BA%A9u", NULL, 200, NULL);
    /* The original file: its level's, and below it what an unknown id's gets. */
    expect_answer(base, "/api/doc/cv-mat/original", "lan:m%E1%BA%ADt%20kh%E1%BA%A9u", NULL, 200, NULL);
    expect_answer(base, "/api/doc/cv-mat/original", "minh:other", NULL, 404,
                  "{\"error\":\"no dispatch with id \\\"cv-mat/original\\\"\",\"message\":\"Không có văn bản nào mang mã “cv-mat/original” trong kho.\"}");
    expect_answer(base, "/api/doc/cv-khong-co/original", "minh:other", NULL, 404,
                  "{\"error\":\"no dispatch with id \\\"cv-khong-co/original\\\"\",\"message\":\"Không có văn bản nào mang mã “cv-khong-co/original” trong kho.\"}");
    expect_answer(base, "/api/search.csv?q=ngay+hoi", "minh:other", NULL, 200, NULL);
    /* The sign-in link asks for a password, and goes back once given one. */
    tu_response_t r = get_as(base, "/signin", NULL, NULL);
    ck_assert_int_eq(r.status, 401);
    char *asked = tu_header(&r, "WWW-Authenticate");
    ck_assert_str_eq(asked, "Basic realm=\"tracuu\", charset=\"UTF-8\"");
    free(asked);
    tu_response_free(&r);
    r = get_as(base, "/signin", "minh:other", NULL);
    ck_assert_int_eq(r.status, 303);
    char *location = tu_header(&r, "Location");
    ck_assert_str_eq(location, "./"); /* relative: under a proxy's prefix too */
    free(location);
    tu_response_free(&r);
    /* Signing out refuses the credentials, so that the browser forgets
     * them, and says so in a page. */
    r = get_as(base, "/signout", "minh:other", NULL);
    ck_assert_int_eq(r.status, 401);
    asked = tu_header(&r, "WWW-Authenticate");
    char *type = tu_header(&r, "Content-Type");
    ck_assert_str_eq(asked, "Basic realm=\"tracuu\", charset=\"UTF-8\"");
    ck_assert_str_eq(type, "text/html; charset=utf-8");
    ck_assert_ptr_nonnull(strstr(r.body, "<p>Đã đăng xuất."));
    free(asked);
    free(type);
    tu_response_free(&r);
    /* Wrong passwords: 401 asking again, an unknown user the same; past
     * five, the address waits, with the right password too. */
    const char *wrong[] = { "lan:mat", "lan:", "ai:x", "minh:Other", "admin:y" };
    for (size_t i = 0; i < 5; i++)
        expect_answer(base, "/api/whoami", wrong[i], NULL, 401, "{\"error\":\"wrong user name or password\",\"message\":\"Tên đăng nhập hoặc mật khẩu không đúng.\"}");
    r = get_as(base, "/api/whoami", "minh:other", NULL);
    ck_assert_int_eq(r.status, 429);
    ck_assert_int_eq(strncmp(r.body, "{\"error\":\"too many wrong passwords from this address; try again in ", 67), 0);
    tu_response_free(&r);
    expect_answer(base, "/api/whoami", NULL, NULL, 200, "{\"user\":null,\"level\":\"public\"}");
    ck_assert_int_eq(tu_searchd_stop(pid), 0);
    free(base);

    /* The request log names who signed in, in the Combined Log Format's
     * user field. */
    char *requests = tu_read_file(log);
    ck_assert_ptr_nonnull(strstr(requests, "127.0.0.1 - lan ["));
    ck_assert_ptr_nonnull(strstr(requests, "127.0.0.1 - minh ["));
    ck_assert_ptr_nonnull(strstr(requests, "127.0.0.1 - - ["));
    free(requests);

    char *lines = audit_lines(audit);
    ck_assert_str_eq(lines, "-\t127.0.0.1\tsearch\tq=lai+chau\n"
                            "minh\t127.0.0.1\tsearch\tq=lai+chau\n"
                            "lan\t127.0.0.1\topen\tcv-mat\n"
                            "lan\t127.0.0.1\toriginal\tcv-mat\n"
                            "minh\t127.0.0.1\texport-search\tq=ngay+hoi\n"
                            "minh\t127.0.0.1\texport\tcv-cong-khai\n"
                            "minh\t127.0.0.1\texport\tcv-noi-bo\n");
    free(lines);

    /* This machine as the trusted proxy: its X-Remote-User is the user,
     * who must be listed; searches logged without what was searched. */
    unlink(audit);
    const char *proxied[] = { "--users", users, "--trusted-proxy", "127.0.0.1", "--audit-log", audit,
                              "--audit-queries", "no", NULL };
    base = tu_searchd_start_with(single, log, &pid, proxied);
    expect_answer(base, "/api/whoami", NULL, "X-Remote-User: admin", 200,
                  "{\"user\":\"admin\",\"level\":\"tuyet-mat\"}");
    ck_assert_int_eq(total_as(base, NULL, "X-Remote-User: admin"), 5);
    expect_answer(base, "/api/whoami", NULL, "X-Remote-User: ai", 403,
                  "{\"error\":\"X-Remote-User: \\\"ai\\\" is not a user of this server\",\"message\":\"Người dùng “ai” không có trong danh sách của máy chủ.\"}");
    expect_answer(base, "/api/deadlines.ics?q=muc+tieu+trong+yeu", NULL, "X-Remote-User: admin", 200, NULL);
    ck_assert_int_eq(tu_searchd_stop(pid), 0);
    free(base);
    lines = audit_lines(audit);
    ck_assert_str_eq(lines, "admin\t127.0.0.1\tsearch\t-\n"
                            "admin\t127.0.0.1\tcalendar-search\t-\n"
                            "admin\t127.0.0.1\tcalendar\tcv-toi-mat\n");
    free(lines);
    free(users), free(audit), free(log);
}
END_TEST

/* An IPv4 address of this machine that is not loopback, or "" when it
 * has none. */
static void outside_address(char out[INET_ADDRSTRLEN])
{
    struct ifaddrs *all = NULL;
    out[0] = '\0';
    if (getifaddrs(&all) != 0)
        return;
    for (struct ifaddrs *i = all; i && !out[0]; i = i->ifa_next)
        if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET) {
            struct in_addr a = ((struct sockaddr_in *)i->ifa_addr)->sin_addr;
            if ((ntohl(a.s_addr) >> 24) != 127)
                inet_ntop(AF_INET, &a, out, INET_ADDRSTRLEN);
        }
    freeifaddrs(all);
}

/* A password from another machine would cross the network in the clear:
 * refused with a reason, the right one too.  (Reached through an address
 * of this machine's own that is not loopback, as another host's would.) */
/* The same refusal for a client a trusted proxy forwards for: its address
 * is not this machine's, whatever the proxy's is.  Runs wherever loopback
 * does. */
START_TEST(test_password_refused_for_a_forwarded_client)
{
    char *users = tu_printf("%s/forwarded-users", dir), *log = tu_printf("%s/searchd-forwarded.log", dir);
    char *cmd = tu_printf("printf 'pw\\n' | bin/passwd --file %s --level mat lan >/dev/null", users);
    ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
    const char *options[] = { "--users", users, "--trusted-proxy", "127.0.0.1", NULL };
    int pid = 0;
    char *base = tu_searchd_start_with(single, log, &pid, options);
    tu_response_t r = get_as(base, "/api/whoami", "lan:pw", "X-Forwarded-For: 192.0.2.7");
    ck_assert_int_eq(r.status, 403);
    ck_assert_msg(strstr(r.body, "\"error\":\"" BASIC_NEEDS_LOOPBACK_TEXT) != NULL, "%.*s", (int)r.len, r.body);
    tu_response_free(&r);
    /* From this machine itself the same password signs in. */
    expect_answer(base, "/api/whoami", "lan:pw", NULL, 200, "{\"user\":\"lan\",\"level\":\"mat\"}");
    ck_assert_int_eq(tu_searchd_stop(pid), 0);
    free(base), free(cmd), free(users), free(log);
}
END_TEST

/* SIGHUP reads the password file again: a password changed with
 * tracuu-passwd counts at once, a user deleted is gone; a file that
 * cannot be read leaves the users as they were. */
START_TEST(test_users_read_again_on_sighup)
{
    char *users = tu_printf("%s/reloaded-users", dir), *log = tu_printf("%s/searchd-reloaded.log", dir);
    char *cmd = tu_printf("printf 'old\\n' | bin/passwd --file %s --level mat lan >/dev/null && "
                          "printf 'pw\\n' | bin/passwd --file %s --level staff minh >/dev/null",
                          users, users);
    ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
    free(cmd);
    const char *options[] = { "--users", users, NULL };
    int pid = 0;
    char *base = tu_searchd_start_with(single, log, &pid, options);
    expect_answer(base, "/api/whoami", "lan:old", NULL, 200, "{\"user\":\"lan\",\"level\":\"mat\"}");
    cmd = tu_printf("printf 'new\\n' | bin/passwd --file %s lan >/dev/null && bin/passwd --file %s --delete minh",
                    users, users);
    ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
    free(cmd);
    /* Not before the signal. */
    expect_answer(base, "/api/whoami", "lan:old", NULL, 200, "{\"user\":\"lan\",\"level\":\"mat\"}");
    ck_assert_int_eq(kill(pid, SIGHUP), 0);
    char *said = tu_wait_for_line(log, "read the users of ");
    free(said);
    expect_answer(base, "/api/whoami", "lan:new", NULL, 200, "{\"user\":\"lan\",\"level\":\"mat\"}");
    expect_answer(base, "/api/whoami", "minh:pw", NULL, 401, NULL);
    /* A file that cannot be read: the users as they were, and said so. */
    cmd = tu_printf("mv %s %s.gone", users, users);
    ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
    free(cmd);
    ck_assert_int_eq(kill(pid, SIGHUP), 0);
    said = tu_wait_for_line(log, "still using the users read before");
    free(said);
    expect_answer(base, "/api/whoami", "lan:new", NULL, 200, "{\"user\":\"lan\",\"level\":\"mat\"}");
    ck_assert_int_eq(tu_searchd_stop(pid), 0);
    free(base), free(users), free(log);
}
END_TEST

START_TEST(test_password_refused_beyond_loopback)
{
    char address[INET_ADDRSTRLEN];
    outside_address(address);
    if (!address[0]) { /* no interface but loopback: nothing to reach from outside (said, not hidden) */
        fprintf(stderr, "test_password_refused_beyond_loopback: no address but loopback here; the refusal is "
                        "checked through a proxy (test_password_refused_for_a_forwarded_client)\n");
        return;
    }
    char *users = tu_printf("%s/outside-users", dir), *log = tu_printf("%s/searchd-outside.log", dir);
    char *cmd = tu_printf("printf 'pw\\n' | bin/passwd --file %s --level mat lan >/dev/null", users);
    ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
    const char *options[] = { "--users", users, "--bind", "0.0.0.0", NULL };
    int pid = 0;
    char *listening = tu_searchd_start_with(single, log, &pid, options);
    char *base = tu_printf("http://%s%s", address, strrchr(listening, ':'));
    expect_answer(base, "/api/whoami", "lan:pw", NULL, 403,
                  "{\"error\":\"sign-in with a password is accepted only from this machine: searchd has no TLS, and a "
                  "password sent over the network would travel in the clear (sign in through the office's HTTPS "
                  "proxy instead)\",\"message\":\"Chỉ đăng nhập bằng mật khẩu được từ chính máy chủ: máy chủ không "
                  "mã hóa đường truyền (TLS), mật khẩu gửi qua mạng có thể bị đọc trộm. Hãy đăng nhập qua cổng HTTPS "
                  "của cơ quan.\"}");
    expect_answer(base, "/signin", NULL, NULL, 403, NULL);
    expect_answer(base, "/api/whoami", NULL, NULL, 200, "{\"user\":null,\"level\":\"public\"}");
    ck_assert_int_eq(tu_searchd_stop(pid), 0);
    free(listening), free(base), free(cmd), free(users), free(log);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("access");
    TCase *tc = tcase_create("levels");
    tcase_set_timeout(tc, 120);
    tcase_add_unchecked_fixture(tc, build_indexes, stop_servers);
    tcase_add_test(tc, test_each_level_sees_exactly_its_own);
    tcase_add_test(tc, test_secret_words_find_nothing_below_it);
    tcase_add_test(tc, test_doc_pages_and_citations);
    tcase_add_test(tc, test_suggestions_hold_to_the_level);
    tcase_add_test(tc, test_export_holds_to_the_level);
    tcase_add_test(tc, test_command_line);
    tcase_add_test(tc, test_new_rule_applies_at_the_next_update);
    tcase_add_test(tc, test_http_endpoints_hold_to_the_level);
    tcase_add_test(tc, test_password_tool);
    tcase_add_test(tc, test_sign_in_proxy_and_audit_log);
    tcase_add_test(tc, test_password_refused_beyond_loopback);
    tcase_add_test(tc, test_password_refused_for_a_forwarded_client);
    tcase_add_test(tc, test_users_read_again_on_sighup);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
