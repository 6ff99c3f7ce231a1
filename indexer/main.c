/* indexer: dispatch files and folders -> the search index.
 *
 *   indexer --db DIR PATH...     index .txt / .txt.gz files (folders recursively)
 *   indexer --parse FILE...      print each parsed record as one JSON line
 *
 * Exit status: 0 all files went in, 1 some were rejected, 2 could not run. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tracuu.h"

#define COMMIT_EVERY 1000

typedef struct {
    tc_index_t *index; /* NULL in --parse mode */
    size_t indexed, rejected, pending;
    int fatal;
} run_t;

static const char *dispatch_suffix(const char *name)
{
    static const char *const suffixes[] = { ".txt.gz", ".txt" };
    size_t len = strlen(name);
    for (size_t i = 0; i < 2; i++) {
        size_t n = strlen(suffixes[i]);
        if (len > n && strcmp(name + len - n, suffixes[i]) == 0)
            return name + len - n;
    }
    return NULL;
}

static void reject(run_t *run, const char *path, const char *why)
{
    fprintf(stderr, "indexer: rejected %s: %s\n", path, why);
    run->rejected++;
}

static void process_file(run_t *run, const char *path, const char *id)
{
    tc_doc_t *doc = NULL;
    char *message = NULL;
    tc_status_t status = tc_doc_load(&doc, path, id, &message);
    if (status != TC_STATUS_SUCCESS) {
        /* The message names the file already. */
        fprintf(stderr, "indexer: rejected %s\n", message ? message : tc_status_to_string(status));
        run->rejected++;
        free(message);
        return;
    }
    if (!run->index) {
        char *json = tc_doc_to_json(doc, 0);
        if (json)
            puts(json);
        free(json);
        run->indexed++;
    } else {
        status = tc_index_add(run->index, doc);
        if (status == TC_STATUS_SUCCESS) {
            run->indexed++;
            if (++run->pending >= COMMIT_EVERY) {
                if (tc_index_commit(run->index) != TC_STATUS_SUCCESS) {
                    fprintf(stderr, "indexer: %s\n", tc_index_last_error(run->index));
                    run->fatal = 1;
                }
                run->pending = 0;
            }
        } else if (status == TC_STATUS_BAD_INPUT) {
            reject(run, path, tc_index_last_error(run->index));
        } else {
            fprintf(stderr, "indexer: %s: %s\n", path, tc_index_last_error(run->index));
            run->fatal = 1;
        }
    }
    tc_doc_free(doc);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Walks dir in name order; ids are relative to the folder given. */
static void process_dir(run_t *run, const char *dir, const char *id_prefix)
{
    DIR *d = opendir(dir);
    if (!d) {
        reject(run, dir, strerror(errno));
        return;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *entry;
    while ((entry = readdir(d))) {
        if (entry->d_name[0] == '.')
            continue;
        char **grown = realloc(names, (n + 1) * sizeof *names);
        if (!grown || !(grown[n] = strdup(entry->d_name))) {
            names = grown ? grown : names;
            run->fatal = 1;
            break;
        }
        names = grown;
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof *names, compare_names);
    for (size_t i = 0; i < n && !run->fatal; i++) {
        char *path = NULL, *id = NULL;
        if (asprintf(&path, "%s/%s", dir, names[i]) < 0)
            path = NULL;
        struct stat st;
        if (!path || stat(path, &st) != 0) {
            if (path)
                reject(run, path, strerror(errno));
        } else if (S_ISDIR(st.st_mode)) {
            if (asprintf(&id, "%s%s/", id_prefix, names[i]) >= 0)
                process_dir(run, path, id);
        } else if (dispatch_suffix(names[i])) {
            const char *suffix = dispatch_suffix(names[i]);
            if (asprintf(&id, "%s%.*s", id_prefix, (int)(suffix - names[i]), names[i]) >= 0)
                process_file(run, path, id);
        }
        free(id);
        free(path);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static void process_path(run_t *run, const char *arg)
{
    struct stat st;
    if (stat(arg, &st) != 0) {
        reject(run, arg, strerror(errno));
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        char *dir = strdup(arg);
        size_t len = dir ? strlen(dir) : 0;
        while (len > 1 && dir[len - 1] == '/')
            dir[--len] = '\0';
        if (dir)
            process_dir(run, dir, "");
        free(dir);
        return;
    }
    const char *base = strrchr(arg, '/');
    base = base ? base + 1 : arg;
    const char *suffix = dispatch_suffix(base);
    if (!suffix) {
        reject(run, arg, "not a .txt or .txt.gz file");
        return;
    }
    char *id = strndup(base, (size_t)(suffix - base));
    if (id)
        process_file(run, arg, id);
    free(id);
}

static void usage(FILE *out)
{
    fputs("usage: indexer --db DIR PATH...   index dispatches (.txt, .txt.gz; folders recursively)\n"
          "       indexer --parse FILE...    print each parsed record as one JSON line\n",
          out);
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        { "db", required_argument, NULL, 'd' },
        { "parse", no_argument, NULL, 'p' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *db = NULL;
    int parse_only = 0, opt;
    while ((opt = getopt_long(argc, argv, "d:h", options, NULL)) != -1) {
        switch (opt) {
        case 'd': db = optarg; break;
        case 'p': parse_only = 1; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind == argc || (!db && !parse_only) || (db && parse_only)) {
        fprintf(stderr, "indexer: %s\n", optind == argc ? "no file or folder to index"
                                         : parse_only   ? "--parse and --db do not go together"
                                                        : "--db DIR is required");
        usage(stderr);
        return 2;
    }

    run_t run = { 0 };
    if (db) {
        tc_status_t status = tc_index_open(&run.index, db, TC_INDEX_WRITE);
        if (status != TC_STATUS_SUCCESS) {
            fprintf(stderr, "indexer: %s\n", tc_index_last_error(run.index));
            tc_index_close(run.index);
            return 2;
        }
    }
    for (int i = optind; i < argc && !run.fatal; i++)
        process_path(&run, argv[i]);

    int exit_code = run.fatal ? 2 : run.rejected ? 1 : 0;
    if (run.index) {
        size_t total = 0;
        if (!run.fatal && (tc_index_commit(run.index) != TC_STATUS_SUCCESS ||
                           tc_index_doc_count(&total, run.index) != TC_STATUS_SUCCESS)) {
            fprintf(stderr, "indexer: %s\n", tc_index_last_error(run.index));
            exit_code = 2;
        }
        tc_index_close(run.index);
        printf("indexed %zu, rejected %zu; the index at %s holds %zu dispatches\n", run.indexed,
               run.rejected, db, total);
    } else if (run.rejected) {
        fprintf(stderr, "indexer: parsed %zu, rejected %zu\n", run.indexed, run.rejected);
    }
    return exit_code;
}
