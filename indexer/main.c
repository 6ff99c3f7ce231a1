/* indexer: dispatch files and folders -> the search index.
 *
 *   indexer --db DIR [--rebuild] [--wait] [--quiet] [--max-size BYTES] [--jobs N] [--shards N]
 *           [--writers N] [--follow-links] [--new-filesystem] [--max-removals N|P%]
 *           [--ocr auto|always|never] [--ocr-time-limit SECONDS] PATH...
 *   indexer --parse [--db DIR] FILE...   print each parsed record as one JSON line (with
 *                                        --db, OCR readings come from DIR's cache too)
 *   indexer --version
 *
 * --db and the PATHs may come from the configuration file instead (index =,
 * archive =; see tc_config_read): a flag or a PATH given wins.
 *
 * Exit status: 0 all files went in, 1 some were rejected, 2 could not run or
 * refused to change the index (a folder not there, too many removals). */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tracuu.h"

typedef struct {
    int bar;       /* draw a progress bar on stderr */
    int bar_drawn; /* a bar is on screen and must be cleared before a message */
    const tc_update_t *update; /* for the pages OCR has read */
    struct timespec start, last;
} console_t;

static double seconds_since(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static void print_report(void *arg, const char *message)
{
    console_t *console = arg;
    if (console->bar_drawn) {
        fputs("\r\033[K", stderr);
        console->bar_drawn = 0;
    }
    fprintf(stderr, "indexer: %s\n", message);
}

static void print_progress(void *arg, size_t done, size_t total)
{
    console_t *console = arg;
    if (!console->bar || (done < total && seconds_since(&console->last) < 0.2))
        return;
    clock_gettime(CLOCK_MONOTONIC, &console->last);
    double elapsed = seconds_since(&console->start);
    double rate = elapsed > 0 ? (double)done / elapsed : 0;
    double eta = rate > 0 ? (double)(total - done) / rate : 0;
    int width = 30, filled = total ? (int)((double)width * (double)done / (double)total) : width;
    fprintf(stderr, "\r[%.*s%*s] %zu/%zu files  %.0f/s  ETA %d:%02d", filled,
            "==============================", width - filled, "", done, total, rate, (int)eta / 60, (int)eta % 60);
    size_t ocr_pages = tc_update_ocr_pages(console->update);
    if (ocr_pages)
        fprintf(stderr, "  OCR %zu page%s", ocr_pages, ocr_pages == 1 ? "" : "s");
    console->bar_drawn = 1;
    if (done == total) {
        fputs("\r\033[K", stderr);
        console->bar_drawn = 0;
    }
}

static void print_warning(void *arg, const char *message)
{
    (void)arg;
    fprintf(stderr, "indexer: warning: %s\n", message);
}

static int parse_files(int argc, char **argv, const tc_load_options_t *options, const tc_config_t *config)
{
    int rejected = 0;
    for (int i = 0; i < argc; i++) {
        char *id = tc_id_of_file(argv[i]), *message = NULL;
        tc_doc_t *doc = NULL;
        tc_status_t status =
            id ? tc_doc_load_with(&doc, argv[i], id, options, &message) : TC_STATUS_OUT_OF_MEMORY;
        if (status == TC_STATUS_SUCCESS) {
            tc_access_rules_apply(doc, config->access_rules, config->n_access_rules);
            char *json = tc_doc_to_json(doc, 0);
            if (json)
                puts(json);
            free(json);
        } else {
            fprintf(stderr, "indexer: rejected %s\n", message ? message : tc_status_to_string(status));
            rejected++;
        }
        tc_doc_free(doc);
        free(message);
        free(id);
    }
    return rejected ? 1 : 0;
}

static void usage(FILE *out)
{
    fputs("usage: indexer --db DIR [options] PATH...   index dispatches (.txt, .txt.gz; folders recursively)\n"
          "       indexer --parse [--db DIR] FILE...   print each parsed record as one JSON line\n"
          "  --db DIR          the index; with --parse, whose OCR cache to take readings from (never\n"
          "                    written): scans it holds cost no OCR\n"
          "  --rebuild         build a complete new index beside the live one and swap it in\n"
          "  --wait            wait for another indexer on the same index instead of exiting\n"
          "  --quiet           print only warnings and errors (for cron)\n"
          "  --max-size BYTES  reject files larger than this, or gzip data expanding to more\n"
          "                    (default and most 20971520; K, M suffixes)\n"
          "  --jobs N          threads reading and preparing files (default: one per core)\n"
          "  --shards N        spread the index over N databases (a new index, or with --rebuild)\n"
          "  --writers N       threads writing a rebuild in parts (default: a third of the cores, at least 2)\n"
          "  --follow-links    follow symbolic links to anywhere (default: only to inside the folders given)\n"
          "  --new-filesystem  accept folders on another filesystem than at the last run (moved, remounted)\n"
          "  --max-removals N|P%  how many dispatches a run may remove, or a rebuild hold fewer than the\n"
          "                    live index (default: 5%, at least 20); beyond, it changes nothing\n"
          "  --ocr auto|always|never  which PDF pages OCR reads (Tesseract, Vietnamese): auto (default)\n"
          "                    scanned pages and pages whose text layer is garbage, keeping the better\n"
          "                    reading; always every page; never none (scans are rejected)\n"
          "  --ocr-time-limit SECONDS  OCR time a file may take, all its pages (default 600)\n"
          "  --version         print the version and exit\n"
          "Without --db or PATH, the index and archive of the configuration file are used\n"
          "(TRACUU_CONFIG, else " TC_CONFIG_PATH ").\n"
          "Without --rebuild, an update: unchanged files are skipped, changed ones re-indexed,\n"
          "and dispatches whose files are gone from the folders given are removed.\n"
          "A folder that is missing, empty, unreadable or on another filesystem than at the last\n"
          "run (a share not mounted?) stops the run before it changes anything (exit status 2).\n",
          out);
}

/* Bounds of the numeric options: more threads than this gain nothing on
 * any machine the indexer is meant for; more shards than this would be
 * more databases than a search should open. */
#define MAX_JOBS 64
#define MAX_SHARDS 256
/* A day: no single dispatch needs more OCR time than that. */
#define MAX_OCR_SECONDS 86400

/* A count from 1 to max for option; -1 (said on stderr) when it is not. */
static int read_bounded(unsigned *out, const char *option, const char *value, size_t max)
{
    size_t n = 0;
    if (tc_parse_count(&n, value, 1, max) < 0) {
        fprintf(stderr, "indexer: %s: \"%s\" is not a number from 1 to %zu\n", option, value, max);
        return -1;
    }
    *out = (unsigned)n;
    return 0;
}

static int read_size(size_t *out, const char *value)
{
    char *end = NULL;
    unsigned long long n = strtoull(value, &end, 10);
    if (end == value || value[0] == '-')
        return -1;
    if (*end == 'K' || *end == 'k')
        n *= 1000, end++;
    else if (*end == 'M' || *end == 'm')
        n *= 1000 * 1000, end++;
    if (*end || n == 0)
        return -1;
    *out = (size_t)n;
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        { "db", required_argument, NULL, 'd' },     { "parse", no_argument, NULL, 'p' },
        { "rebuild", no_argument, NULL, 'r' },      { "wait", no_argument, NULL, 'w' },
        { "quiet", no_argument, NULL, 'q' },        { "max-size", required_argument, NULL, 'm' },
        { "jobs", required_argument, NULL, 'j' },   { "shards", required_argument, NULL, 's' },
        { "writers", required_argument, NULL, 'W' }, { "follow-links", no_argument, NULL, 'L' },
        { "new-filesystem", no_argument, NULL, 'N' }, { "max-removals", required_argument, NULL, 'R' },
        { "ocr", required_argument, NULL, 'O' },    { "ocr-time-limit", required_argument, NULL, 'T' },
        { "help", no_argument, NULL, 'h' },         { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    const char *db = NULL;
    int parse_only = 0, quiet = 0, opt;
    unsigned flags = 0;
    console_t console = { 0 };
    tc_update_hooks_t hooks = { .report = print_report, .progress = print_progress, .arg = &console };
    while ((opt = getopt_long(argc, argv, "d:hq", options, NULL)) != -1) {
        switch (opt) {
        case 'd': db = optarg; break;
        case 'p': parse_only = 1; break;
        case 'r': flags |= TC_UPDATE_REBUILD; break;
        case 'w': flags |= TC_UPDATE_WAIT; break;
        case 'L': flags |= TC_UPDATE_FOLLOW_LINKS; break;
        case 'N': flags |= TC_UPDATE_NEW_FILESYSTEM; break;
        case 'R': {
            char *end = NULL;
            unsigned long long n = strtoull(optarg, &end, 10);
            int share = end != optarg && *end == '%';
            if (end == optarg || optarg[0] == '-' || *(end + share) || (share && n > 100)) {
                fprintf(stderr, "indexer: --max-removals: \"%s\" is not a number of dispatches (e.g. 500) "
                                "or a percentage of them (e.g. 10%%)\n", optarg);
                return 2;
            }
            hooks.removals_kind = share ? TC_REMOVALS_SHARE : TC_REMOVALS_COUNT;
            hooks.removals_limit = (size_t)n;
            break;
        }
        case 'q': quiet = 1; break;
        case 'm':
            if (read_size(&hooks.max_file_bytes, optarg) < 0) {
                fprintf(stderr, "indexer: --max-size: \"%s\" is not a size in bytes (e.g. 20000000 or 20M)\n", optarg);
                return 2;
            }
            if (hooks.max_file_bytes > TC_MAX_FILE_BYTES) {
                fprintf(stderr, "indexer: --max-size: at most %u bytes (20 MiB), the largest file the decoder reads\n",
                        TC_MAX_FILE_BYTES);
                return 2;
            }
            break;
        case 'j':
            if (read_bounded(&hooks.jobs, "--jobs", optarg, MAX_JOBS) < 0)
                return 2;
            break;
        case 's':
            if (read_bounded(&hooks.shards, "--shards", optarg, MAX_SHARDS) < 0)
                return 2;
            break;
        case 'W':
            if (read_bounded(&hooks.writers, "--writers", optarg, TC_MAX_WRITERS) < 0)
                return 2;
            break;
        case 'O':
            if (strcmp(optarg, "auto") == 0) {
                hooks.ocr = TC_OCR_AUTO;
            } else if (strcmp(optarg, "always") == 0) {
                hooks.ocr = TC_OCR_ALWAYS;
            } else if (strcmp(optarg, "never") == 0) {
                hooks.ocr = TC_OCR_NEVER;
            } else {
                fprintf(stderr, "indexer: --ocr: \"%s\" is not auto, always or never\n", optarg);
                return 2;
            }
            break;
        case 'T':
            if (read_bounded(&hooks.ocr_seconds, "--ocr-time-limit", optarg, MAX_OCR_SECONDS) < 0)
                return 2;
            break;
        case 'h': usage(stdout); return 0;
        case 'V': printf("tracuu-index (tracuu) %s\n", TC_VERSION); return 0;
        default: usage(stderr); return 2;
        }
    }
    /* What the command line leaves out comes from the configuration file. */
    tc_config_t config = { 0 };
    char **paths = argv + optind;
    int n_paths = argc - optind;
    /* --parse too: the access a record shows is the configuration's. */
    char *message = NULL;
    if (tc_config_read(&config, &message) != TC_STATUS_SUCCESS) {
        fprintf(stderr, "indexer: %s\n", message ? message : "cannot read the configuration");
        free(message);
        return 2;
    }
    hooks.access_rules = config.access_rules;
    hooks.n_access_rules = config.n_access_rules;
    if (!parse_only) {
        if (!db)
            db = config.index;
        if (n_paths == 0 && config.n_archive) {
            paths = config.archive;
            n_paths = (int)config.n_archive;
        }
    }
    if (n_paths == 0 || (!db && !parse_only)) {
        fprintf(stderr, "indexer: %s\n", n_paths == 0 ? "no file or folder to index" : "--db DIR is required");
        usage(stderr);
        tc_config_free(&config);
        return 2;
    }
    if (parse_only) {
        /* With --db, the index's OCR readings, read and never written:
         * another indexer may be updating it. */
        struct stat st;
        const char *why = !db                   ? NULL
                          : stat(db, &st) != 0    ? strerror(errno)
                          : !S_ISDIR(st.st_mode) ? "not a folder"
                                                  : NULL;
        if (why) {
            fprintf(stderr, "indexer: --db %s: %s\n", db, why);
            tc_config_free(&config);
            return 2;
        }
        char *cache = NULL;
        if (db && asprintf(&cache, "%s/" TC_OCR_CACHE, db) < 0) {
            fputs("indexer: out of memory\n", stderr);
            tc_config_free(&config);
            return 2;
        }
        tc_load_options_t load = { .max_bytes = hooks.max_file_bytes, .ocr = hooks.ocr,
                                   .ocr_seconds = hooks.ocr_seconds, .ocr_cache = cache,
                                   .ocr_cache_read_only = 1, .warn = print_warning };
        int rc = parse_files(argc - optind, argv + optind, &load, &config);
        free(cache);
        tc_config_free(&config);
        return rc;
    }

    /* Past a file size limit (ulimit -f) a write fails with EFBIG, which
     * the run reports and cleans up after, rather than killing it. */
    signal(SIGXFSZ, SIG_IGN);
    console.bar = !quiet && isatty(STDERR_FILENO);
    clock_gettime(CLOCK_MONOTONIC, &console.start);
    tc_update_t *update = NULL;
    tc_update_counts_t counts = { 0 };
    tc_status_t status = tc_update_begin(&update, db, flags, &hooks);
    console.update = update;
    for (int i = 0; i < n_paths && status == TC_STATUS_SUCCESS; i++)
        status = tc_update_add(update, paths[i]);
    if (status == TC_STATUS_SUCCESS)
        status = tc_update_finish(update, &counts);
    if (status != TC_STATUS_SUCCESS) {
        print_report(&console, tc_update_last_error(update));
        tc_update_free(update);
        tc_config_free(&config);
        return 2;
    }
    tc_update_free(update);

    size_t total = 0;
    tc_index_t *index = NULL;
    if (tc_index_open(&index, db, TC_INDEX_READ) == TC_STATUS_SUCCESS)
        tc_index_doc_count(&total, index);
    tc_index_close(index);
    if (!quiet)
        printf("added %zu, updated %zu, removed %zu, unchanged %zu, rejected %zu; "
               "the index at %s holds %zu dispatches\n",
               counts.added, counts.updated, counts.removed, counts.unchanged, counts.rejected, db, total);
    if (!quiet && counts.ocr_pages)
        printf("OCR read %zu page%s\n", counts.ocr_pages, counts.ocr_pages == 1 ? "" : "s");
    if (!quiet && counts.ocr_pruned)
        printf("removed %zu OCR reading%s of files gone or changed\n", counts.ocr_pruned,
               counts.ocr_pruned == 1 ? "" : "s");
    tc_config_free(&config);
    return counts.rejected ? 1 : 0;
}
