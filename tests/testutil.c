#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char *made[64];
static size_t n_made;

char *tu_tempdir(void)
{
    const char *tmp = getenv("TMPDIR");
    char *dir = NULL;
    if (asprintf(&dir, "%s/tracuu-test-XXXXXX", tmp && *tmp ? tmp : "/tmp") < 0 || !mkdtemp(dir)) {
        perror("mkdtemp");
        abort();
    }
    if (n_made < sizeof made / sizeof *made)
        made[n_made++] = dir;
    return dir;
}

char *tu_read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *data = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&data, &len);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        fwrite(chunk, 1, n, mem);
    fclose(mem);
    fclose(f);
    return data;
}

int tu_run(const char *command, char **out, char **err)
{
    char *dir = tu_tempdir();
    char *full = NULL;
    if (asprintf(&full, "(%s) >%s/out 2>%s/err </dev/null", command, dir, dir) < 0)
        abort();
    int status = system(full);
    free(full);
    char *path = NULL;
    if (out) {
        if (asprintf(&path, "%s/out", dir) < 0)
            abort();
        *out = tu_read_file(path);
        free(path);
    }
    if (err) {
        if (asprintf(&path, "%s/err", dir) < 0)
            abort();
        *err = tu_read_file(path);
        free(path);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

const char *tu_corpus_index(void)
{
    static char *path;
    if (path)
        return path;
    char *dir = tu_tempdir();
    if (asprintf(&path, "%s/index", dir) < 0)
        abort();
    tc_index_t *index = NULL;
    if (tc_index_open(&index, path, TC_INDEX_WRITE) != TC_STATUS_SUCCESS) {
        fprintf(stderr, "cannot create %s: %s\n", path, tc_index_last_error(index));
        abort();
    }
    static const char *const seeds[] = { "000_8085305a3db06b59", "001_17e1e73a82d28e15",
                                         "002_265e7d34e41c1dcc", "003_7150dcc81a02de69",
                                         "004_9daa15f6c42ddd15" };
    for (size_t i = 0; i < sizeof seeds / sizeof *seeds; i++) {
        char *file = NULL, *message = NULL;
        tc_doc_t *doc = NULL;
        if (asprintf(&file, "corpus/%s.txt", seeds[i]) < 0 ||
            tc_doc_load(&doc, file, seeds[i], &message) != TC_STATUS_SUCCESS ||
            tc_index_add(index, doc) != TC_STATUS_SUCCESS) {
            fprintf(stderr, "cannot index %s: %s %s\n", seeds[i], message ? message : "",
                    tc_index_last_error(index));
            abort();
        }
        tc_doc_free(doc);
        free(file);
    }
    if (tc_index_commit(index) != TC_STATUS_SUCCESS)
        abort();
    tc_index_close(index);
    return path;
}

void tu_cleanup(void)
{
    for (size_t i = 0; i < n_made; i++) {
        char *cmd = NULL;
        if (asprintf(&cmd, "rm -rf '%s'", made[i]) >= 0 && system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", made[i]);
        free(cmd);
        free(made[i]);
    }
    n_made = 0;
}

int tu_run_suite(Suite *suite)
{
    SRunner *runner = srunner_create(suite);
    /* No fork: one process keeps the index built by tu_corpus_index(). */
    srunner_set_fork_status(runner, CK_NOFORK);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    tu_cleanup();
    return failed ? 1 : 0;
}
