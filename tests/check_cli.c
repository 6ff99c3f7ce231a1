/* The real programs, as a user runs them: bin/indexer and bin/query on a
 * real index, with their exit codes and messages. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "testutil.h"

static char *index_dir;

/* Builds an index of corpus/ with bin/indexer once. */
static const char *cli_index(void)
{
    if (index_dir)
        return index_dir;
    char *cmd = NULL, *out = NULL, *err = NULL;
    ck_assert_int_ge(asprintf(&index_dir, "%s/index", tu_tempdir()), 0);
    ck_assert_int_ge(asprintf(&cmd, "bin/indexer --db %s corpus", index_dir), 0);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 0);
    free(cmd);
    free(out);
    free(err);
    return index_dir;
}

static int run_query(const char *args, char **out, char **err)
{
    char *cmd = NULL;
    ck_assert_int_ge(asprintf(&cmd, "bin/query --db %s %s", cli_index(), args), 0);
    int code = tu_run(cmd, out, err);
    free(cmd);
    return code;
}

static void write_file(const char *path, const char *bytes, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(bytes, 1, len, f), len);
    fclose(f);
}

START_TEST(test_indexer_summary_and_idempotence)
{
    char *dir = tu_tempdir(), *cmd = NULL, *out = NULL, *err = NULL, *expected = NULL;
    ck_assert_int_ge(asprintf(&cmd, "bin/indexer --db %s/db corpus", dir), 0);
    for (int round = 0; round < 2; round++) {
        ck_assert_int_ge(asprintf(&expected, "added %d, updated 0, removed 0, unchanged %d, rejected 0; "
                                  "the index at %s/db holds 5 dispatches\n", round ? 0 : 5, round ? 5 : 0, dir), 0);
        ck_assert_int_eq(tu_run(cmd, &out, &err), 0);
        ck_assert_str_eq(out, expected);
        ck_assert_str_eq(err, "");
        free(out);
        free(err);
        free(expected);
    }
    free(cmd);
}
END_TEST

START_TEST(test_indexer_rejects_bad_files_and_keeps_the_rest)
{
    char *dir = tu_tempdir(), *path = NULL, *cmd = NULL, *out = NULL, *err = NULL, *expected = NULL;
    ck_assert_int_ge(asprintf(&path, "%s/in", dir), 0);
    ck_assert_int_ge(asprintf(&cmd, "mkdir -p %s/sub && cp corpus/000_8085305a3db06b59.txt %s/sub/good.txt", path, path), 0);
    ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
    free(cmd);

    char *file = NULL;
    ck_assert_int_ge(asprintf(&file, "%s/empty.txt", path), 0);
    write_file(file, "", 0);
    free(file);
    ck_assert_int_ge(asprintf(&file, "%s/binary.txt", path), 0);
    write_file(file, "PK\x03\x04\0\0data", 10);
    free(file);
    ck_assert_int_ge(asprintf(&file, "%s/latin1.txt", path), 0); /* German in latin-1: no Vietnamese reading */
    write_file(file, "Gr\xFC\xDF" "e aus M\xFCnchen", 17);
    free(file);
    ck_assert_int_ge(asprintf(&file, "%s/old.txt", path), 0); /* "Công văn" in windows-1258 */
    write_file(file, "C\xF4ng v\xE3n", 8);
    free(file);
    ck_assert_int_ge(asprintf(&file, "%s/notes.md", path), 0); /* not a dispatch: ignored */
    write_file(file, "x", 1);
    free(file);
    /* A gzip file: indexed; a truncated one: rejected. */
    ck_assert_int_ge(asprintf(&file, "%s/packed.txt.gz", path), 0);
    gzFile gz = gzopen(file, "wb");
    const char *packed = "\xEF\xBB\xBFS\xE1\xBB\x9F Y t\xE1\xBA\xBF\r\nV/v ti\xC3\xAAm ch\xE1\xBB\xA7ng\r\n";
    gzwrite(gz, packed, (unsigned)strlen(packed));
    gzclose(gz);
    free(file);
    ck_assert_int_ge(asprintf(&cmd, "head -c 20 %s/packed.txt.gz > %s/cut.txt.gz", path, path), 0);
    ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
    free(cmd);

    ck_assert_int_ge(asprintf(&cmd, "bin/indexer --db %s/db %s", dir, path), 0);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 1);
    ck_assert_int_ge(asprintf(&expected,
                              "indexer: rejected %s/binary.txt: binary file (NUL byte at offset 4)\n"
                              "indexer: rejected %s/cut.txt.gz: corrupt or truncated gzip data (unexpected end of file)\n"
                              "indexer: rejected %s/empty.txt: empty file\n"
                              "indexer: rejected %s/latin1.txt: not UTF-8, and not a Vietnamese legacy encoding "
                              "(windows-1258, TCVN3, VISCII, VNI-Windows) either\n",
                              path, path, path, path),
                     0);
    ck_assert_str_eq(err, expected);
    free(expected);
    ck_assert_int_ge(asprintf(&expected, "added 3, updated 0, removed 0, unchanged 0, rejected 4; "
                              "the index at %s/db holds 3 dispatches\n", dir), 0);
    ck_assert_str_eq(out, expected);
    free(expected);
    free(out);
    free(err);
    free(cmd);

    /* Ids are relative to the folder given, without the suffix. */
    ck_assert_int_ge(asprintf(&cmd, "bin/query --db %s/db --json 'tiêm chủng'", dir), 0);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 0);
    ck_assert_ptr_nonnull(strstr(out, "\"id\":\"packed\""));
    free(out);
    free(err);
    free(cmd);
    ck_assert_int_ge(asprintf(&cmd, "bin/query --db %s/db --json 'công văn'", dir), 0);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 0);
    ck_assert_ptr_nonnull(strstr(out, "\"id\":\"old\""));
    ck_assert_ptr_nonnull(strstr(out, "\"source_encoding\":\"windows-1258\""));
    free(out);
    free(err);
    free(cmd);
    ck_assert_int_ge(asprintf(&cmd, "bin/query --db %s/db --json 1471", dir), 0);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 0);
    ck_assert_ptr_nonnull(strstr(out, "\"id\":\"sub/good\""));
    free(out);
    free(err);
    free(cmd);
    free(path);
}
END_TEST

START_TEST(test_indexer_usage_errors)
{
    char *out = NULL, *err = NULL;
    ck_assert_int_eq(tu_run("bin/indexer corpus", &out, &err), 2);
    ck_assert_ptr_nonnull(strstr(err, "indexer: --db DIR is required\n"));
    free(out);
    free(err);
    ck_assert_int_eq(tu_run("bin/indexer --db /tmp/x", &out, &err), 2);
    ck_assert_ptr_nonnull(strstr(err, "indexer: no file or folder to index\n"));
    free(out);
    free(err);
    ck_assert_int_eq(tu_run("bin/indexer --db /tmp/x --max-size 30M corpus", &out, &err), 2);
    ck_assert_str_eq(err, "indexer: --max-size: at most 20971520 bytes (20 MiB), the largest file the decoder reads\n");
    free(out);
    free(err);
    ck_assert_int_eq(tu_run("bin/indexer --bogus", &out, &err), 2);
    ck_assert_ptr_nonnull(strstr(err, "unrecognized option '--bogus'"));
    free(out);
    free(err);
    ck_assert_int_eq(tu_run("bin/indexer --db /proc/no-such-place/db corpus", &out, &err), 2);
    ck_assert_str_eq(err, "indexer: cannot create index /proc/no-such-place/db: No such file or directory\n");
    free(out);
    free(err);
    char *cmd = NULL;
    ck_assert_int_ge(asprintf(&cmd, "bin/indexer --db %s/db corpus/none.txt", tu_tempdir()), 0);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 1);
    ck_assert_str_eq(err, "indexer: rejected corpus/none.txt: No such file or directory\n");
    free(cmd);
    free(out);
    free(err);
}
END_TEST

START_TEST(test_indexer_parse_prints_records)
{
    char *out = NULL, *err = NULL;
    ck_assert_int_eq(tu_run("bin/indexer --parse corpus/004_9daa15f6c42ddd15.txt corpus/002_265e7d34e41c1dcc.txt", &out, &err), 0);
    ck_assert_str_eq(err, "");
    char *second = strchr(out, '\n');
    ck_assert_ptr_nonnull(second);
    json_error_t error;
    json_t *rec = json_loadb(out, (size_t)(second - out), 0, &error);
    ck_assert_ptr_nonnull(rec);
    ck_assert_str_eq(json_string_value(json_object_get(rec, "id")), "004_9daa15f6c42ddd15");
    ck_assert_str_eq(json_string_value(json_object_get(rec, "issuer")), "Sở Khoa học và Công nghệ tỉnh Lai Châu");
    ck_assert_str_eq(json_string_value(json_object_get(rec, "issuer_parent")), "Ủy ban nhân dân tỉnh Lai Châu");
    ck_assert_int_eq(json_integer_value(json_object_get(rec, "year")), 2023);
    ck_assert_ptr_null(json_object_get(rec, "text"));
    json_decref(rec);
    rec = json_loads(second + 1, 0, &error);
    ck_assert_ptr_nonnull(rec);
    ck_assert_str_eq(json_string_value(json_object_get(rec, "issuer")), "Ủy ban nhân dân huyện Chi Lăng");
    json_decref(rec);
    free(out);
    free(err);
}
END_TEST

/* A FIFO blocked indexer --parse for ever, and --max-size held for the
 * size on disk only: gzip data of a few hundred bytes expanding to a
 * megabyte went in under --max-size 100K. */
START_TEST(test_indexer_refuses_fifos_and_gzip_bombs)
{
    char *dir = tu_tempdir(), *cmd = NULL, *out = NULL, *err = NULL, *expected = NULL;
    ck_assert_int_ge(asprintf(&cmd, "mkfifo %s/pipe.txt", dir), 0);
    ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
    free(cmd);
    ck_assert_int_ge(asprintf(&cmd, "timeout 20 bin/indexer --parse %s/pipe.txt corpus/000_8085305a3db06b59.txt", dir), 0);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 1);
    ck_assert_int_ge(asprintf(&expected, "indexer: rejected %s/pipe.txt: not a regular file (a FIFO)\n", dir), 0);
    ck_assert_str_eq(err, expected);
    ck_assert_ptr_nonnull(strstr(out, "\"id\":\"000_8085305a3db06b59\""));
    free(expected);
    free(out);
    free(err);
    free(cmd);

    ck_assert_int_ge(asprintf(&cmd, "mkdir %s/in && cp corpus/000_8085305a3db06b59.txt %s/in/ && "
                                    "head -c 1000000 /dev/zero | tr '\\000' 'a' | gzip > %s/in/bomb.txt.gz && "
                                    "test $(stat -c %%s %s/in/bomb.txt.gz) -lt 100000",
                              dir, dir, dir, dir), 0);
    ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
    free(cmd);
    ck_assert_int_ge(asprintf(&cmd, "bin/indexer --db %s/db --max-size 100K %s/in", dir, dir), 0);
    ck_assert_int_eq(tu_run(cmd, &out, &err), 1);
    ck_assert_int_ge(asprintf(&expected, "indexer: rejected %s/in/bomb.txt.gz: gzip data expanding to over 100000 "
                                         "bytes, the limit for a dispatch\n", dir), 0);
    ck_assert_str_eq(err, expected);
    free(expected);
    ck_assert_int_ge(asprintf(&expected, "added 1, updated 0, removed 0, unchanged 0, rejected 1; "
                                         "the index at %s/db holds 1 dispatches\n", dir), 0);
    ck_assert_str_eq(out, expected);
    free(expected);
    free(out);
    free(err);
    free(cmd);
}
END_TEST

START_TEST(test_query_text_output)
{
    char *out = NULL, *err = NULL;
    ck_assert_int_eq(run_query("--issuer 'UBND huyện Chi Lăng' sáng tạo", &out, &err), 0);
    ck_assert_str_eq(err, "");
    ck_assert_ptr_nonnull(strstr(out, "1-1 of 1 dispatches\n\n1. 2024-04  /UBND-KTHT  Ủy ban nhân dân huyện Chi Lăng\n"));
    ck_assert_ptr_nonnull(strstr(out, "   triển khai thực hiện hưởng ứng Ngày Sáng tạo và Đổi mới sáng tạo thế giới năm 2024 trên địa bàn huyện Chi Lăng\n"));
    ck_assert_ptr_nonnull(strstr(out, "   002_265e7d34e41c1dcc\n"));
    ck_assert_ptr_null(strstr(out, "\033[")); /* no colour when not on a terminal */
    free(out);
    free(err);
    /* a facet option given twice: any of its values */
    ck_assert_int_eq(run_query("--year 2024 --year 2023", &out, &err), 0);
    ck_assert_ptr_nonnull(strstr(out, "1-2 of 2 dispatches\n"));
    ck_assert_ptr_nonnull(strstr(out, "002_265e7d34e41c1dcc\n"));
    ck_assert_ptr_nonnull(strstr(out, "004_9daa15f6c42ddd15\n"));
    free(out);
    free(err);
    /* the typed words find something, but were likely meant otherwise: a
     * line on stderr beside the answer */
    ck_assert_int_eq(run_query("sang tai", &out, &err), 0);
    ck_assert_str_eq(err, "did you mean: sang tao\n");
    ck_assert_int_eq(strncmp(out, "1-5 of 5 dispatches\n", 20), 0);
    free(out);
    free(err);
    ck_assert_int_eq(run_query("deadline:2026-05-03..2026-05-05", &out, &err), 0);
    ck_assert_ptr_nonnull(strstr(out, "   deadline 2026-05-03\n   deadline 2026-05-05\n"));
    free(out);
    free(err);
    /* Past the count bound the total is an estimate, and says so; the
     * phrase pass stops at its second match of five. */
    ck_assert_int_eq(run_query("--count-bound 1 '\"sáng tạo\"'", &out, &err), 0);
    ck_assert_str_eq(err, "");
    ck_assert_msg(strncmp(out, "1-5 of about 5 dispatches\n\n", 27) == 0, "%.60s", out);
    free(out);
    free(err);
    ck_assert_int_eq(run_query("--count-bound 1 --exact '\"sáng tạo\"'", &out, &err), 0);
    ck_assert_msg(strncmp(out, "1-5 of 5 dispatches\n\n", 21) == 0, "%.60s", out);
    free(out);
    free(err);
    ck_assert_int_eq(run_query("--count-bound 0 x", &out, &err), 2);
    ck_assert_str_eq(err, "query: --count-bound: \"0\" is not a count (1 to 1000000)\n");
    free(out);
    free(err);
}
END_TEST

START_TEST(test_query_json_output)
{
    char *out = NULL, *err = NULL;
    ck_assert_int_eq(run_query("--json --limit 2 --year 2026 'sang tao'", &out, &err), 0);
    json_error_t error;
    json_t *doc = json_loads(out, 0, &error);
    ck_assert_msg(doc != NULL, "not JSON: %s", error.text);
    ck_assert_int_eq(json_integer_value(json_object_get(doc, "total")), 3);
    ck_assert_int_eq(json_integer_value(json_object_get(doc, "offset")), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(doc, "limit")), 2);
    json_t *results = json_object_get(doc, "results");
    ck_assert_uint_eq(json_array_size(results), 2);
    json_t *first = json_array_get(results, 0);
    const char *snippet = json_string_value(json_object_get(first, "snippet"));
    ck_assert_ptr_nonnull(snippet);
    ck_assert_ptr_null(strchr(snippet, '<')); /* never HTML */
    json_t *spans = json_object_get(first, "highlights");
    ck_assert_uint_ge(json_array_size(spans), 2);
    json_t *span = json_array_get(spans, 0);
    size_t start = (size_t)json_integer_value(json_array_get(span, 0));
    size_t end = (size_t)json_integer_value(json_array_get(span, 1));
    ck_assert(end > start && end <= strlen(snippet));
    ck_assert(strncmp(snippet + start, "sáng", end - start) == 0 || strncmp(snippet + start, "Sáng", end - start) == 0);
    ck_assert(json_is_real(json_object_get(first, "score")));
    ck_assert(json_is_array(json_object_get(first, "deadlines")));
    json_t *years = json_object_get(json_object_get(doc, "facets"), "year");
    ck_assert_uint_eq(json_array_size(years), 1);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(years, 0), "value")), "2026");
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(years, 0), "count")), 3);
    json_decref(doc);
    free(out);
    free(err);
}
END_TEST

START_TEST(test_query_exit_codes_and_messages)
{
    char *out = NULL, *err = NULL;
    ck_assert_int_eq(run_query("khongcotu", &out, &err), 1);
    ck_assert_str_eq(out, "no dispatch matches (0 in all)\n");
    free(out);
    free(err);
    ck_assert_int_eq(run_query("--deadline-from 2026-02-30 x", &out, &err), 2);
    ck_assert_str_eq(err, "query: bad query: deadline_from: \"2026-02-30\" is not a date (02/2026 has 28 days)\n");
    free(out);
    free(err);
    ck_assert_int_eq(run_query("--deadline-to 31/4/2026 x", &out, &err), 2);
    ck_assert_str_eq(err, "query: bad query: deadline_to: \"31/4/2026\" is not a date (04/2026 has 30 days)\n");
    free(out);
    free(err);
    ck_assert_int_eq(run_query("--date-from 21.4.2026 x", &out, &err), 2);
    ck_assert_str_eq(err, "query: bad query: date_from: \"21.4.2026\" is not a date (expected DD/MM/YYYY or YYYY-MM-DD)\n");
    free(out);
    free(err);
    ck_assert_int_eq(run_query("--sort newest x", &out, &err), 2);
    ck_assert_str_eq(err, "query: --sort: \"newest\" is not relevance, date, date_asc, deadline or deadline_desc\n");
    free(out);
    free(err);
    ck_assert_int_eq(run_query("--limit ten x", &out, &err), 2);
    ck_assert_str_eq(err, "query: --limit: \"ten\" is not a count (0 to 1000000)\n");
    free(out);
    free(err);
    ck_assert_int_eq(run_query("--colour x", &out, &err), 2);
    ck_assert_ptr_nonnull(strstr(err, "unrecognized option '--colour'"));
    free(out);
    free(err);
    ck_assert_int_eq(tu_run("bin/query --db /nonexistent/index x", &out, &err), 2);
    ck_assert_str_eq(err, "query: no index: no index at /nonexistent/index (build one with: indexer --db /nonexistent/index FOLDER)\n");
    free(out);
    free(err);
    ck_assert_int_eq(tu_run("bin/query x", &out, &err), 2);
    ck_assert_ptr_nonnull(strstr(err, "query: --db DIR is required\n"));
    free(out);
    free(err);
}
END_TEST

/* The total a query's JSON answer gives. */
static long json_total(const char *args)
{
    char *out = NULL, *all = NULL;
    ck_assert_int_ge(asprintf(&all, "--json %s", args), 0);
    int code = run_query(all, &out, NULL);
    ck_assert_msg(code == 0 || code == 1, "%s: exit %d", all, code);
    json_t *answer = json_loads(out, 0, NULL);
    ck_assert_ptr_nonnull(answer);
    long total = (long)json_integer_value(json_object_get(answer, "total"));
    json_decref(answer);
    free(out);
    free(all);
    return total;
}

START_TEST(test_query_words_options_and_bad_bytes)
{
    /* After a word, "-word" excludes it: "-dân" is no "-d ân". */
    long all = json_total("sáng"), without = json_total("sáng -huyện");
    ck_assert_int_gt(all, without);
    ck_assert_int_eq(json_total("sáng -dân"), json_total("-- sáng -dân"));
    /* After "--" the words are read once, not the last one twice. */
    char *said = NULL;
    ck_assert_int_eq(run_query("--json -- sáng taoo", &said, NULL), 0);
    json_t *answer = json_loads(said, 0, NULL);
    ck_assert_ptr_nonnull(answer);
    ck_assert_str_eq(json_string_value(json_object_get(answer, "suggestion")), "sáng tao");
    json_decref(answer);
    free(said);
    /* --as-typed: the words as typed, found nowhere, and said so */
    char *typed_err = NULL;
    ck_assert_int_eq(run_query("--json --as-typed -- sáng taoo", &said, &typed_err), 1);
    answer = json_loads(said, 0, NULL);
    ck_assert_ptr_nonnull(answer);
    ck_assert(json_is_null(json_object_get(answer, "suggestion")));
    ck_assert(json_is_false(json_object_get(answer, "corrected")));
    ck_assert_int_eq(json_integer_value(json_object_get(answer, "total")), 0);
    ck_assert_str_eq(typed_err, "");
    json_decref(answer);
    free(said);
    free(typed_err);
    ck_assert_int_eq(json_total("sáng -huyện"), json_total("'sáng -huyện'"));
    /* Long options still count after the words. */
    ck_assert_int_eq(json_total("sáng --year 2026"), json_total("--year 2026 sáng"));
    /* Bytes that are not UTF-8: an error naming them, not every dispatch. */
    char *out = NULL, *err = NULL;
    ck_assert_int_eq(run_query("$(printf 's\\341ng \\377')", &out, &err), 2);
    ck_assert_str_eq(err, "query: bad query: words: \"s\\xe1ng \\xff\" is not valid UTF-8\n");
    free(out);
    free(err);
    /* An answer that cannot be written fails. */
    ck_assert_int_eq(run_query("ngày > /dev/full", &out, &err), 2);
    ck_assert_str_eq(err, "query: cannot write the answer: No space left on device\n");
    free(out);
    free(err);
}
END_TEST

/* Every match, for a spreadsheet or a program: no page, no cap. */
START_TEST(test_query_exports_every_match)
{
    char *out = NULL, *err = NULL;
    ck_assert_int_eq(run_query("--format csv --limit 1 sáng tạo", &out, &err), 0);
    static const char header[] = "\xEF\xBB\xBF\"id\",\"number\",\"date\",\"issuer\",\"type\",\"subject\",\"deadlines\","
                                 "\"path\"\n";
    ck_assert_mem_eq(out, header, strlen(header));
    size_t lines = 0;
    for (const char *p = out; *p; p++)
        lines += *p == '\n';
    ck_assert_uint_eq(lines, 1 + (size_t)json_total("sáng tạo"));
    ck_assert_ptr_nonnull(strstr(out, "\"Sở Khoa học và Công nghệ tỉnh Lai Châu\",\"Công văn\""));
    free(out);
    free(err);
    /* Whatever the bound: every match. */
    ck_assert_int_eq(run_query("--format csv --count-bound 1 '\"sáng tạo\"'", &out, &err), 0);
    lines = 0;
    for (const char *p = out; *p; p++)
        lines += *p == '\n';
    ck_assert_uint_eq(lines, 1 + 5);
    free(out);
    free(err);
    ck_assert_int_eq(run_query("--format jsonl sáng tạo", &out, &err), 0);
    lines = 0;
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n"), lines++) {
        json_t *record = json_loads(line, 0, NULL);
        ck_assert_ptr_nonnull(json_object_get(record, "issuer"));
        json_decref(record);
    }
    ck_assert_uint_eq(lines, (size_t)json_total("sáng tạo"));
    free(out);
    free(err);
    ck_assert_int_eq(run_query("--format xml sáng", &out, &err), 2);
    ck_assert_str_eq(err, "query: --format: \"xml\" is not csv or jsonl\n");
    free(out);
    free(err);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cli");
    TCase *indexer = tcase_create("indexer");
    tcase_set_timeout(indexer, 60);
    tcase_add_test(indexer, test_indexer_summary_and_idempotence);
    tcase_add_test(indexer, test_indexer_rejects_bad_files_and_keeps_the_rest);
    tcase_add_test(indexer, test_indexer_usage_errors);
    tcase_add_test(indexer, test_indexer_parse_prints_records);
    tcase_add_test(indexer, test_indexer_refuses_fifos_and_gzip_bombs);
    suite_add_tcase(s, indexer);
    TCase *query = tcase_create("query");
    tcase_set_timeout(query, 60);
    tcase_add_test(query, test_query_text_output);
    tcase_add_test(query, test_query_json_output);
    tcase_add_test(query, test_query_exit_codes_and_messages);
    tcase_add_test(query, test_query_words_options_and_bad_bytes);
    tcase_add_test(query, test_query_exports_every_match);
    suite_add_tcase(s, query);
    return tu_run_suite(s);
}
