/* libFuzzer harness for the query language: tc_qparse, and tc_search (with
 * its JSON, iCalendar and text answers, suggestions and document pages) on
 * a small index of corpus/ built once at start-up.  The input split at NUL
 * bytes is words, issuer, theme, year, deadline_from, deadline_to,
 * doc_type.  The code path and its invariants are fz_query() in targets.c.
 *
 * The corpus is $TRACUU_FUZZ_CORPUS, else ./corpus, else corpus/ two
 * folders above the harness (build/fuzz/query -> corpus/).  The index goes
 * into a fresh folder under $TMPDIR, removed at exit. */
#include <ftw.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "targets.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char work_dir[4096];

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void at_exit(void)
{
    fz_query_fini();
    if (*work_dir)
        nftw(work_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    char corpus[4096] = "corpus";
    const char *env = getenv("TRACUU_FUZZ_CORPUS");
    if (env && *env) {
        snprintf(corpus, sizeof corpus, "%s", env);
    } else if (!is_dir(corpus) && argv && *argv && **argv) {
        const char *self = (*argv)[0], *slash = strrchr(self, '/');
        snprintf(corpus, sizeof corpus, "%.*s/../../corpus", slash ? (int)(slash - self) : 1, slash ? self : ".");
    }
    const char *tmp = getenv("TMPDIR");
    snprintf(work_dir, sizeof work_dir, "%s/tracuu-fuzz-query-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(work_dir)) {
        perror(work_dir);
        exit(1);
    }
    atexit(at_exit);
    if (fz_query_init(corpus, work_dir) != 0) {
        fprintf(stderr, "fuzz_query: no index; give the corpus folder in TRACUU_FUZZ_CORPUS\n");
        exit(1);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_query(data, size);
    return 0;
}
