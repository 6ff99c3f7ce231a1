/* Golden files: every dispatch under tests/corpora/ is parsed with
 * `bin/indexer --parse` and its record compared with tests/expected/<id>.json.
 * A mismatch prints a unified diff, so that a change in what the parser finds
 * on real documents is seen, and reviewed, line by line.
 *
 *   build/tests/check_golden            compare (run by make check)
 *   build/tests/check_golden --update   rewrite the expected files (make golden-update)
 *
 * The expected files are the records pretty-printed by jansson, two spaces
 * of indent, keys in the order the indexer prints them: one field, or one
 * item of a list, per line, which keeps diffs short and readable. */
#include <glob.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#define CORPORA "tests/corpora"
#define EXPECTED "tests/expected"

static glob_t corpus_files;
static glob_t expected_files;

/* The id the indexer gives a file named directly: its base name without
 * .txt or .txt.gz. */
static char *id_of(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(base);
    static const char *const suffixes[] = { ".txt.gz", ".txt", ".json" };
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        size_t n = strlen(suffixes[i]);
        if (len > n && strcmp(base + len - n, suffixes[i]) == 0) {
            len -= n;
            break;
        }
    }
    return strndup(base, len);
}

static char *expected_path(const char *id)
{
    char *path = NULL;
    if (asprintf(&path, "%s/%s.json", EXPECTED, id) < 0)
        abort();
    return path;
}

/* The record of one file in the expected files' layout; NULL (with *why
 * set, malloc'd) when the indexer fails or prints something else than one
 * JSON record. */
static char *parsed_record(const char *path, char **why)
{
    char *cmd = NULL, *out = NULL, *err = NULL, *pretty = NULL;
    *why = NULL;
    if (asprintf(&cmd, "bin/indexer --parse '%s'", path) < 0)
        abort();
    int code = tu_run(cmd, &out, &err);
    json_error_t error;
    json_t *record = code == 0 && out ? json_loads(out, 0, &error) : NULL;
    if (code != 0) {
        if (asprintf(why, "`%s` exited with %d: %s", cmd, code, err ? err : "") < 0)
            abort();
    } else if (!record) {
        if (asprintf(why, "`%s` printed no JSON record (%s): %.200s", cmd, error.text, out ? out : "") < 0)
            abort();
    } else {
        char *text = json_dumps(record, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        if (!text || asprintf(&pretty, "%s\n", text) < 0)
            abort();
        free(text);
    }
    json_decref(record);
    free(cmd);
    free(out);
    free(err);
    return pretty;
}

static int write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t len = strlen(text);
    int ok = fwrite(text, 1, len, f) == len;
    return (fclose(f) == 0 && ok) ? 0 : -1;
}

/* Prints `diff -u` of the expected file against what was parsed. */
static void print_diff(const char *expected, const char *id, const char *corpus_path, const char *actual)
{
    char *parsed = NULL, *cmd = NULL;
    if (asprintf(&parsed, "%s/%s.json", tu_tempdir(), id) < 0)
        abort();
    if (write_text(parsed, actual) != 0) {
        printf("%s: cannot write %s\n", id, parsed);
        free(parsed);
        return;
    }
    if (asprintf(&cmd, "diff -u --label '%s' --label 'bin/indexer --parse %s' '%s' '%s'", expected, corpus_path,
                 expected, parsed) < 0)
        abort();
    fflush(stdout);
    /* diff exits 1 when the files differ: that is the expected case here. */
    if (system(cmd) == -1)
        printf("%s: cannot run diff\n", id);
    fflush(stdout);
    free(cmd);
    free(parsed);
}

START_TEST(test_record_matches_expected)
{
    const char *corpus_path = corpus_files.gl_pathv[_i];
    char *id = id_of(corpus_path), *expected = expected_path(id), *why = NULL;
    char *actual = parsed_record(corpus_path, &why);
    char *wanted = tu_read_file(expected);
    int same = actual && wanted && strcmp(actual, wanted) == 0;
    if (actual && wanted && !same)
        print_diff(expected, id, corpus_path, actual);
    if (!same) {
        char *message = NULL;
        if (asprintf(&message, "%s: %s", corpus_path,
                     !actual   ? why
                     : !wanted ? "no expected record; run `make golden-update` and review the new file"
                               : "the parsed record differs from the expected one (diff above); if the change "
                                 "is intended, run `make golden-update` and commit the reviewed diff") < 0)
            abort();
        free(id);
        free(expected);
        free(why);
        free(actual);
        free(wanted);
        ck_abort_msg("%s", message);
    }
    free(id);
    free(expected);
    free(actual);
    free(wanted);
}
END_TEST

/* Non-zero when a dispatch of the corpus has this id. */
static int has_dispatch(const char *id)
{
    int found = 0;
    for (size_t c = 0; c < corpus_files.gl_pathc && !found; c++) {
        char *corpus_id = id_of(corpus_files.gl_pathv[c]);
        found = strcmp(id, corpus_id) == 0;
        free(corpus_id);
    }
    return found;
}

/* An expected file without its dispatch would silently stop being checked. */
START_TEST(test_no_expected_file_without_dispatch)
{
    for (size_t e = 0; e < expected_files.gl_pathc; e++) {
        char *id = id_of(expected_files.gl_pathv[e]);
        int found = has_dispatch(id);
        free(id);
        ck_assert_msg(found, "%s has no dispatch under %s/; run `make golden-update` to remove it",
                      expected_files.gl_pathv[e], CORPORA);
    }
}
END_TEST

/* Two dispatches with one id would share, and fight over, one expected file. */
START_TEST(test_ids_are_unique)
{
    ck_assert_msg(corpus_files.gl_pathc > 0, "no dispatch under %s/", CORPORA);
    for (size_t a = 0; a < corpus_files.gl_pathc; a++)
        for (size_t b = a + 1; b < corpus_files.gl_pathc; b++) {
            char *id_a = id_of(corpus_files.gl_pathv[a]), *id_b = id_of(corpus_files.gl_pathv[b]);
            int clash = strcmp(id_a, id_b) == 0;
            free(id_a);
            free(id_b);
            ck_assert_msg(!clash, "%s and %s have the same id", corpus_files.gl_pathv[a], corpus_files.gl_pathv[b]);
        }
}
END_TEST

static void find_files(void)
{
    /* Sorted by glob: the order of the output does not depend on the file system. */
    glob(CORPORA "/*/*.txt", 0, NULL, &corpus_files);
    glob(CORPORA "/*/*.txt.gz", GLOB_APPEND, NULL, &corpus_files);
    glob(EXPECTED "/*.json", 0, NULL, &expected_files);
}

/* Rewrites every expected file that differs from today's record, and
 * removes those whose dispatch is gone. */
static int update(void)
{
    int failures = 0, written = 0, removed = 0, unchanged = 0;
    for (size_t c = 0; c < corpus_files.gl_pathc; c++) {
        const char *corpus_path = corpus_files.gl_pathv[c];
        char *id = id_of(corpus_path), *expected = expected_path(id), *why = NULL;
        char *actual = parsed_record(corpus_path, &why), *wanted = tu_read_file(expected);
        if (!actual) {
            fprintf(stderr, "%s: %s\n", corpus_path, why);
            failures++;
        } else if (!wanted || strcmp(actual, wanted) != 0) {
            if (write_text(expected, actual) != 0) {
                perror(expected);
                failures++;
            } else {
                printf("%s %s\n", wanted ? "updated" : "added", expected);
                written++;
            }
        } else {
            unchanged++;
        }
        free(id);
        free(expected);
        free(why);
        free(actual);
        free(wanted);
    }
    for (size_t e = 0; e < expected_files.gl_pathc; e++) {
        char *id = id_of(expected_files.gl_pathv[e]);
        int found = has_dispatch(id);
        if (!found) {
            if (unlink(expected_files.gl_pathv[e]) == 0) {
                printf("removed %s\n", expected_files.gl_pathv[e]);
                removed++;
            } else {
                perror(expected_files.gl_pathv[e]);
                failures++;
            }
        }
        free(id);
    }
    printf("%zu dispatches: %d expected files written, %d removed, %d unchanged%s\n", corpus_files.gl_pathc, written,
           removed, unchanged, failures ? "; some failed (above)" : "");
    tu_cleanup();
    return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
    find_files();
    int status;
    if (argc == 2 && strcmp(argv[1], "--update") == 0) {
        status = update();
    } else if (argc == 1) {
        Suite *s = suite_create("golden");
        TCase *tc = tcase_create("records");
        tcase_add_test(tc, test_ids_are_unique);
        tcase_add_test(tc, test_no_expected_file_without_dispatch);
        tcase_add_loop_test(tc, test_record_matches_expected, 0, (int)corpus_files.gl_pathc);
        suite_add_tcase(s, tc);
        status = tu_run_suite(s);
    } else {
        fprintf(stderr, "usage: %s [--update]\n", argv[0]);
        status = 2;
    }
    globfree(&corpus_files);
    globfree(&expected_files);
    return status;
}
