/* Inputs kept from fuzzing (tests/fuzz-regressions/), run without libFuzzer
 * through the very code path of the harness they are for: fuzz/targets.c,
 * included below, which checks the harness's invariants.  Each must go
 * through without a crash and without breaking an invariant (and, under
 * make check-asan, without a leak or a sanitizer report).
 *
 * A file's name says its harness: decode-NAME, parse-NAME, fold-NAME, tokenize-NAME,
 * query-NAME (for query, NUL bytes separate words, issuer, theme, year,
 * deadline_from, deadline_to, doc_type).  A crash found by `make fuzz` is
 * minimized (fuzz/run minimize HARNESS FILE) and added here under such a
 * name; the folder also holds small inputs that reach the corners of each
 * harness, so that every code path is run even when nothing was found. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "../fuzz/targets.c"

#define REGRESSIONS "tests/fuzz-regressions"

static char **files;
static size_t n_files;
static const char *current; /* the file being run, for failure messages */
static int query_ready;     /* 0 not yet, 1 index built, -1 could not be */

static const char *const harnesses[] = { "decode", "parse", "fold", "query", "tokenize", "extract" };

static void on_failure(const char *message)
{
    ck_abort_msg("%s: %s", current, message);
}

/* The whole file, which may hold NUL bytes; *len gets its size. */
static uint8_t *read_bytes(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    tc_buf_t buf = TC_BUF_INIT;
    char chunk[8192];
    size_t n;
    ck_assert_int_eq(tc_buf_append(&buf, "", 0), 0);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        ck_assert_int_eq(tc_buf_append(&buf, chunk, n), 0);
    fclose(f);
    *len = buf.len;
    return (uint8_t *)tc_buf_steal(&buf);
}

static size_t harness_of(const char *name)
{
    for (size_t h = 0; h < sizeof harnesses / sizeof *harnesses; h++) {
        size_t n = strlen(harnesses[h]);
        if (strncmp(name, harnesses[h], n) == 0 && name[n] == '-')
            return h;
    }
    return (size_t)-1;
}

START_TEST(test_input)
{
    const char *name = files[_i];
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", REGRESSIONS, name);
    size_t len = 0;
    uint8_t *data = read_bytes(path, &len);
    current = name;
    fz_failure_hook = on_failure;
    switch (harness_of(name)) {
    case 0:
        fz_decode(data, len);
        break;
    case 1:
        fz_parse(data, len);
        break;
    case 2:
        fz_fold(data, len);
        break;
    case 3:
        if (!query_ready)
            query_ready = fz_query_init("corpus", tu_tempdir()) == 0 ? 1 : -1;
        ck_assert_msg(query_ready == 1, "no index of corpus/ to run %s on", name);
        fz_query(data, len);
        break;
    case 4:
        fz_tokenize(data, len);
        break;
    case 5:
        fz_extract(data, len);
        break;
    default:
        ck_abort_msg("%s: the name does not start with a harness (decode-, parse-, fold-, query-, tokenize-, extract-)",
                     name);
    }
    free(data);
}
END_TEST

/* The folder is never empty for a harness: each code path is run. */
START_TEST(test_every_harness_has_inputs)
{
    for (size_t h = 0; h < sizeof harnesses / sizeof *harnesses; h++) {
        size_t n = 0;
        for (size_t i = 0; i < n_files; i++)
            n += harness_of(files[i]) == h;
        ck_assert_msg(n > 0, "no input for the %s harness in %s", harnesses[h], REGRESSIONS);
    }
}
END_TEST

static void close_index(void)
{
    fz_query_fini();
}

static int visible(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

int main(void)
{
    struct dirent **entries = NULL;
    int n = scandir(REGRESSIONS, &entries, visible, alphasort);
    if (n < 0) {
        perror(REGRESSIONS);
        n = 0;
    }
    files = calloc((size_t)n + 1, sizeof *files);
    for (int i = 0; i < n; i++) {
        files[n_files++] = strdup(entries[i]->d_name);
        free(entries[i]);
    }
    free(entries);

    Suite *s = suite_create("fuzz-regressions");
    TCase *tc = tcase_create("inputs");
    tcase_add_unchecked_fixture(tc, NULL, close_index);
    tcase_add_test(tc, test_every_harness_has_inputs);
    tcase_add_loop_test(tc, test_input, 0, (int)n_files);
    suite_add_tcase(s, tc);
    int rc = tu_run_suite(s);
    for (size_t i = 0; i < n_files; i++)
        free(files[i]);
    free(files);
    return rc;
}
