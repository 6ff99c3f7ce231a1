/* The configuration file (lib/base/config.c) and how the programs take
 * it: flags > the TRACUU_CONFIG file > /etc/tracuu/tracuu.conf > defaults;
 * and every program's --version. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static char *write_config(const char *name, const char *text)
{
    char *path = NULL;
    ck_assert_int_ge(asprintf(&path, "%s/%s", tu_tempdir(), name), 0);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    return path;
}

START_TEST(test_reads_keys)
{
    char *path = write_config("good.conf", "# a comment\n\n  index = /var/lib/tracuu/index  \n"
                                           "archive=/srv/a\narchive = /srv/b c\r\nbind = ::1\nport = 8081\nport = 8082\n"
                                           "base-path = /tracuu\ntrusted-proxy = 10.0.0.1, 10.0.0.2\n"
                                           "trusted-proxy = ::1\ncors-origin = https://intranet.example\ncount-bound = 500\n");
    tc_config_t config;
    char *message = NULL;
    ck_assert_int_eq(tc_config_read_file(&config, path, &message), TC_STATUS_SUCCESS);
    ck_assert_ptr_null(message);
    ck_assert_str_eq(config.index, "/var/lib/tracuu/index");
    ck_assert_uint_eq(config.n_archive, 2);
    ck_assert_str_eq(config.archive[0], "/srv/a");
    ck_assert_str_eq(config.archive[1], "/srv/b c");
    ck_assert_str_eq(config.bind, "::1");
    ck_assert_str_eq(config.port, "8082"); /* the last line setting a key wins */
    ck_assert_str_eq(config.base_path, "/tracuu");
    ck_assert_uint_eq(config.n_trusted_proxies, 2); /* a line each; searchd splits the lists */
    ck_assert_str_eq(config.trusted_proxies[0], "10.0.0.1, 10.0.0.2");
    ck_assert_str_eq(config.trusted_proxies[1], "::1");
    ck_assert_str_eq(config.cors_origin, "https://intranet.example");
    ck_assert_str_eq(config.count_bound, "500");
    ck_assert_str_eq(config.path, path);
    tc_config_free(&config);
    ck_assert_ptr_null(config.index);
    free(path);
}
END_TEST

static void expect_error(const char *text, const char *expected_after_path)
{
    char *path = write_config("bad.conf", text), *expected = NULL;
    ck_assert_int_ge(asprintf(&expected, "%s:%s", path, expected_after_path), 0);
    tc_config_t config;
    char *message = NULL;
    ck_assert_int_ne(tc_config_read_file(&config, path, &message), TC_STATUS_SUCCESS);
    ck_assert_ptr_nonnull(message);
    ck_assert_str_eq(message, expected);
    ck_assert_ptr_null(config.index);
    free(message);
    free(expected);
    free(path);
}

/* Access rules and the keys of who may see what add up or take the last
 * value as the others do. */
START_TEST(test_access_keys)
{
    char *path = write_config("access.conf", "access = mat /srv/congvan/mat/\naccess = staff  *-noi-bo.txt \n"
                                             "anonymous = staff\nusers = /etc/tracuu/users\n"
                                             "trusted-proxy = 10.0.0.1\ntrusted-proxy = ::1\n"
                                             "audit-log = /var/log/tracuu/audit.log\naudit-queries = no\n");
    tc_config_t config;
    char *message = NULL;
    ck_assert_int_eq(tc_config_read_file(&config, path, &message), TC_STATUS_SUCCESS);
    ck_assert_uint_eq(config.n_access_rules, 2);
    ck_assert_int_eq(config.access_rules[0].level, TC_ACCESS_MAT);
    ck_assert_str_eq(config.access_rules[0].pattern, "/srv/congvan/mat/");
    ck_assert_int_eq(config.access_rules[1].level, TC_ACCESS_STAFF);
    ck_assert_str_eq(config.access_rules[1].pattern, "*-noi-bo.txt");
    ck_assert_str_eq(config.anonymous, "staff");
    ck_assert_str_eq(config.users, "/etc/tracuu/users");
    ck_assert_uint_eq(config.n_trusted_proxies, 2);
    ck_assert_str_eq(config.trusted_proxies[1], "::1");
    ck_assert_str_eq(config.audit_log, "/var/log/tracuu/audit.log");
    ck_assert_str_eq(config.audit_queries, "no");
    /* Folders, paths and names. */
    ck_assert_int_eq(tc_access_rules_level(config.access_rules, 2, "/srv/congvan/mat/a/b.txt"), TC_ACCESS_MAT);
    ck_assert_int_eq(tc_access_rules_level(config.access_rules, 2, "/srv/congvan/matx.txt"), TC_ACCESS_PUBLIC);
    ck_assert_int_eq(tc_access_rules_level(config.access_rules, 2, "x/quy-che-noi-bo.txt"), TC_ACCESS_STAFF);
    ck_assert_int_eq(tc_access_rules_level(config.access_rules, 2, "/srv/congvan/mat/quy-che-noi-bo.txt"),
                     TC_ACCESS_MAT);
    tc_config_free(&config);
    free(path);
}
END_TEST

START_TEST(test_errors_name_file_line_and_key)
{
    expect_error("index = /x\nport = 80a\n", "2: port: \"80a\" is not a port number (0 to 65535)");
    expect_error("port = 65536\n", "1: port: \"65536\" is not a port number (0 to 65535)");
    expect_error("count-bound = 0\n", "1: count-bound: \"0\" is not a count (1 to 1000000000)");
    expect_error("count-bound = 10k\n", "1: count-bound: \"10k\" is not a count (1 to 1000000000)");
    expect_error("# c\nindx = /x\n", "2: indx: unknown key (the keys are index, archive, bind, port, base-path, "
                                       "trusted-proxy, cors-origin, access, anonymous, users, audit-log, audit-queries, "
                                       "count-bound)");
    expect_error("index /x\n", "1: \"index /x\" is not \"key = value\"");
    expect_error("\nbind =\n", "2: bind: no value");
    expect_error(" = 3\n", "1: a value without a key");
    expect_error("access = secret /srv/mat/\n",
                 "1: access: \"secret\" is not a level (public, staff, mat, toi-mat, tuyet-mat)");
    expect_error("\naccess = mat\n", "2: access: no folder or file pattern after the level");
    expect_error("anonymous = everyone\n",
                 "1: anonymous: \"everyone\" is not a level (public, staff, mat, toi-mat, tuyet-mat)");
    expect_error("audit-queries = maybe\n", "1: audit-queries: \"maybe\" is not yes or no");
    tc_config_t config;
    char *message = NULL;
    ck_assert_int_eq(tc_config_read_file(&config, "/nonexistent/tracuu.conf", &message), TC_STATUS_FILE_ERROR);
    ck_assert_str_eq(message, "/nonexistent/tracuu.conf: No such file or directory");
    free(message);
}
END_TEST

START_TEST(test_programs_take_the_file_and_flags_win)
{
    const char *db = tu_corpus_index();
    char *dir = tu_tempdir(), *conf = NULL, *cmd = NULL, *out = NULL, *err = NULL;
    ck_assert_int_ge(asprintf(&conf, "index = %s\n", db), 0);
    char *path = write_config("query.conf", conf);
    /* The index comes from the file named by TRACUU_CONFIG. */
    ck_assert_int_ge(asprintf(&cmd, "TRACUU_CONFIG=%s bin/query --json --limit 1 sáng tạo", path), 0);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 0);
    ck_assert_ptr_nonnull(strstr(out, "\"total\""));
    free(cmd), free(out), free(err);
    /* --db wins over the file. */
    ck_assert_int_ge(asprintf(&cmd, "TRACUU_CONFIG=%s bin/query --db %s/none sáng tạo", path, dir), 0);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 2);
    ck_assert_ptr_nonnull(strstr(err, "none"));
    free(cmd), free(out), free(err);
    /* The indexer takes the index and the archive from the file. */
    free(conf);
    ck_assert_int_ge(asprintf(&conf, "index = %s/from-conf\narchive = corpus\n", dir), 0);
    char *ipath = write_config("indexer.conf", conf);
    ck_assert_int_ge(asprintf(&cmd, "TRACUU_CONFIG=%s bin/indexer", ipath), 0);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 0);
    ck_assert_ptr_nonnull(strstr(out, "added 5,"));
    ck_assert_ptr_nonnull(strstr(out, "from-conf holds 5 dispatches"));
    free(cmd), free(out), free(err);
    /* A path on the command line replaces the archive of the file. */
    ck_assert_int_ge(asprintf(&cmd, "TRACUU_CONFIG=%s bin/indexer --db %s/flag tests/data", ipath, dir), 0);
    ck_assert_int_le(tu_run(cmd, &out, &err), 1);
    ck_assert_ptr_nonnull(strstr(out, "flag holds"));
    ck_assert_ptr_null(strstr(out, "added 5,"));
    free(cmd), free(out), free(err);
    /* A file named by TRACUU_CONFIG must exist; a broken one stops every program. */
    ck_assert_int_ge(asprintf(&cmd, "TRACUU_CONFIG=%s/missing.conf bin/query x", dir), 0);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 2);
    ck_assert_ptr_nonnull(strstr(err, "query: "));
    ck_assert_ptr_nonnull(strstr(err, "missing.conf: No such file or directory"));
    free(cmd), free(out), free(err);
    char *bad = write_config("bad-port.conf", "port = http\n");
    ck_assert_int_ge(asprintf(&cmd, "TRACUU_CONFIG=%s bin/searchd --db %s", bad, db), 0);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 2);
    ck_assert_ptr_nonnull(strstr(err, "searchd: "));
    ck_assert_ptr_nonnull(strstr(err, "bad-port.conf:1: port: \"http\" is not a port number"));
    free(cmd), free(out), free(err);
    free(conf), free(path), free(ipath), free(bad);
}
END_TEST

START_TEST(test_searchd_port_precedence)
{
    /* port from the file; --port wins over it. */
    const char *db = tu_corpus_index();
    char *dir = tu_tempdir(), *cmd = NULL, *out = NULL, *err = NULL;
    char *path = write_config("searchd.conf", "bind = 127.0.0.1\nport = 0\n");
    /* Stopped once it says where it listens (at most 20 s, for a loaded machine). */
    ck_assert_int_ge(asprintf(&cmd, "TRACUU_CONFIG=%s bin/searchd --db %s >%s/out 2>&1 & pid=$!; "
                              "for i in $(seq 200); do grep -q listening %s/out && break; sleep 0.1; done; "
                              "kill -INT $pid; wait $pid", path, db, dir, dir), 0);
    tu_run(cmd, &out, &err);
    free(cmd), free(out), free(err);
    ck_assert_int_ge(asprintf(&cmd, "%s/out", dir), 0);
    char *log = tu_read_file(cmd);
    ck_assert_ptr_nonnull(strstr(log, "listening on http://127.0.0.1:"));
    ck_assert_ptr_null(strstr(log, "127.0.0.1:0\n"));
    free(log), free(cmd);
    ck_assert_int_ge(asprintf(&cmd, "TRACUU_CONFIG=%s bin/searchd --db %s --port 70000", path, db), 0);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 2);
    ck_assert_ptr_nonnull(strstr(err, "--port: \"70000\""));
    free(cmd), free(out), free(err), free(path);
}
END_TEST

START_TEST(test_version)
{
    static const char *const programs[][2] = {
        { "bin/indexer", "tracuu-index" }, { "bin/query", "tracuu-query" }, { "bin/searchd", "tracuu-searchd" },
    };
    char *version = tu_read_file("VERSION");
    ck_assert_ptr_nonnull(version);
    version[strcspn(version, "\n")] = '\0';
    for (size_t i = 0; i < 3; i++) {
        char *cmd = NULL, *out = NULL, *err = NULL, *expected = NULL;
        ck_assert_int_ge(asprintf(&cmd, "%s --version", programs[i][0]), 0);
        ck_assert_int_ge(asprintf(&expected, "%s (tracuu) %s\n", programs[i][1], version), 0);
        ck_assert_int_eq(tu_run(cmd, &out, &err), 0);
        ck_assert_str_eq(out, expected);
        free(cmd), free(out), free(err), free(expected);
    }
    free(version);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("config");
    TCase *file = tcase_create("file");
    tcase_add_test(file, test_reads_keys);
    tcase_add_test(file, test_errors_name_file_line_and_key);
    tcase_add_test(file, test_access_keys);
    suite_add_tcase(s, file);
    TCase *programs = tcase_create("programs");
    tcase_set_timeout(programs, 60);
    tcase_add_test(programs, test_programs_take_the_file_and_flags_win);
    tcase_add_test(programs, test_searchd_port_precedence);
    tcase_add_test(programs, test_version);
    suite_add_tcase(s, programs);
    return tu_run_suite(s);
}
