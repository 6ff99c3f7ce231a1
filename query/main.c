/* query: search the index from the shell.
 *
 * --db may come from the configuration file instead (index =); the flag wins.
 *
 * Exit status: 0 something matched, 1 nothing did, 2 error. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tracuu.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: query --db DIR [--issuer S] [--year Y] [--theme S] [--type S]\n"
          "             [--deadline-from DATE] [--deadline-to DATE] [--date-from DATE] [--date-to DATE]\n"
          "             [--due overdue|soon] [--due-days N] [--sort relevance|date|date_asc|deadline|deadline_desc]\n"
          "             [--limit N] [--offset N] [--facet-values N] [--count-bound N | --exact]\n"
          "             [--json | --format csv|jsonl]\n"
          "             [--level public|staff|mat|toi-mat|tuyet-mat] [--as-typed] [WORDS...]\n"
          "WORDS may hold \"phrases\", -exclusions and inline filters:\n"
          "  issuer:\"sở y tế\" year:2026 theme:\"chuyển đổi số\" type:\"kế hoạch\"\n"
          "  deadline:2026-05-01..2026-05-10 date:2025-01..2025-06\n"
          "--as-typed: the words as typed, not corrected when they find nothing.\n"
          "--level: the dispatches searched, those of that access level and below (public\n"
          "by default); who may run query at all is who may read the index's files.\n"
          "The total and the facets are exact up to --count-bound matches (default %d),\n"
          "estimated past it (\"about 68,000\"); --exact counts every match. --format\n"
          "always writes every match.\n"
          "Without --db, the index of the configuration file is used (TRACUU_CONFIG,\n"
          "else " TC_CONFIG_PATH "). query --version prints the version.\n",
          TC_COUNT_BOUND);
}

/* The most --limit, --offset, --facet-values and --count-bound take. */
#define MAX_COUNT 1000000

static int read_count(size_t *out, const char *option, const char *value)
{
    if (tc_parse_count(out, value, 0, MAX_COUNT) < 0) {
        fprintf(stderr, "query: %s: \"%s\" is not a count (0 to %d)\n", option, value, MAX_COUNT);
        return -1;
    }
    return 0;
}

/* The options a value follows ("--db DIR", "-d DIR"). */
static int takes_value(const char *arg, const struct option *options)
{
    if (strcmp(arg, "-d") == 0)
        return 1;
    if (strncmp(arg, "--", 2) != 0 || strchr(arg, '='))
        return 0;
    for (const struct option *o = options; o->name; o++)
        if (strcmp(arg + 2, o->name) == 0)
            return o->has_arg == required_argument;
    return 0;
}

/* Puts the options before the words, so that getopt reads only them:
 * once a word has come, an argument with one '-' is an exclusion of the
 * query ("sáng -huyện"), not an option ("-dân" is no "--db ân"); long
 * options still count anywhere, and everything after "--" is words.
 * Returns where the words start; *argc becomes the count of arguments
 * kept ("--" is not one of them). */
static int options_first(int *argc_inout, char **argv, const struct option *options)
{
    int argc = *argc_inout;
    char **words = calloc((size_t)argc + 1, sizeof *words);
    if (!words)
        return -1;
    int n_options = 1, n_words = 0, seen_word = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--") == 0) {
            while (++i < argc)
                words[n_words++] = argv[i];
            break;
        }
        int option = arg[0] == '-' && arg[1] && (strncmp(arg, "--", 2) == 0 || !seen_word);
        if (!option) {
            words[n_words++] = argv[i];
            seen_word = 1;
            continue;
        }
        argv[n_options++] = argv[i];
        if (takes_value(arg, options) && i + 1 < argc)
            argv[n_options++] = argv[++i];
    }
    memcpy(argv + n_options, words, (size_t)n_words * sizeof *words);
    free(words);
    *argc_inout = n_options + n_words;
    argv[*argc_inout] = NULL;
    return n_options;
}

/* Values one of --issuer, --type, --year may be given: far more than a
 * person picks at once. */
#define MAX_FACET_CHOICES 64

int main(int argc, char **argv)
{
    static const struct option options[] = {
        { "db", required_argument, NULL, 'd' },
        { "issuer", required_argument, NULL, 'i' },
        { "year", required_argument, NULL, 'y' },
        { "theme", required_argument, NULL, 't' },
        { "type", required_argument, NULL, 'T' },
        { "deadline-from", required_argument, NULL, 'f' },
        { "deadline-to", required_argument, NULL, 'u' },
        { "date-from", required_argument, NULL, 'a' },
        { "date-to", required_argument, NULL, 'b' },
        { "due", required_argument, NULL, 'D' },
        { "due-days", required_argument, NULL, 'N' },
        { "sort", required_argument, NULL, 's' },
        { "limit", required_argument, NULL, 'l' },
        { "offset", required_argument, NULL, 'o' },
        { "facet-values", required_argument, NULL, 'F' },
        { "count-bound", required_argument, NULL, 'C' },
        { "exact", no_argument, NULL, 'E' },
        { "json", no_argument, NULL, 'j' },
        { "format", required_argument, NULL, 'X' },
        { "level", required_argument, NULL, 'L' },
        { "as-typed", no_argument, NULL, 'W' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    tc_query_t query = TC_QUERY_INIT;
    const char *db = NULL;
    int json = 0, opt, export = -1; /* --format: every match, not a page */
    int first_word = options_first(&argc, argv, options);
    if (first_word < 0)
        return 2;
    /* --issuer, --type and --year given more than once: any of their
     * values (OR), as the page's facets choose several. */
    static const char *repeated[3][MAX_FACET_CHOICES + 1]; /* NULL-terminated */
    size_t n_repeated[3] = { 0, 0, 0 };
    /* '+': the options end where the words begin. */
    while ((opt = getopt_long(first_word, argv, "+d:h", options, NULL)) != -1) {
        switch (opt) {
        case 'd': db = optarg; break;
        case 'i':
            if (n_repeated[0] == MAX_FACET_CHOICES) {
                fprintf(stderr, "query: --issuer: more than %d values\n", MAX_FACET_CHOICES);
                return 2;
            }
            repeated[0][n_repeated[0]++] = optarg;
            break;
        case 'y':
            if (n_repeated[2] == MAX_FACET_CHOICES) {
                fprintf(stderr, "query: --year: more than %d values\n", MAX_FACET_CHOICES);
                return 2;
            }
            repeated[2][n_repeated[2]++] = optarg;
            break;
        case 't': query.theme = optarg; break;
        case 'T':
            if (n_repeated[1] == MAX_FACET_CHOICES) {
                fprintf(stderr, "query: --type: more than %d values\n", MAX_FACET_CHOICES);
                return 2;
            }
            repeated[1][n_repeated[1]++] = optarg;
            break;
        case 'f': query.deadline_from = optarg; break;
        case 'u': query.deadline_to = optarg; break;
        case 'a': query.date_from = optarg; break;
        case 'b': query.date_to = optarg; break;
        case 'D': query.due = optarg; break;
        case 'N':
            if (read_count(&query.due_days, "--due-days", optarg) < 0)
                return 2;
            break;
        case 'j': json = 1; break;
        case 'L':
            if (tc_access_from_name(&query.level, optarg) < 0) {
                fprintf(stderr, "query: --level: \"%s\" is not a level (%s)\n", optarg, TC_ACCESS_NAMES);
                return 2;
            }
            break;
        case 'X':
            if (strcmp(optarg, "csv") == 0) {
                export = TC_EXPORT_CSV;
            } else if (strcmp(optarg, "jsonl") == 0) {
                export = TC_EXPORT_JSONL;
            } else {
                fprintf(stderr, "query: --format: \"%s\" is not csv or jsonl\n", optarg);
                return 2;
            }
            break;
        case 'W': query.as_typed = 1; break;
        case 's':
            if (tc_sort_from_name(&query.sort, optarg) < 0) {
                fprintf(stderr, "query: --sort: \"%s\" is not " TC_SORT_NAMES "\n", optarg);
                return 2;
            }
            break;
        case 'l':
            if (read_count(&query.limit, "--limit", optarg) < 0)
                return 2;
            break;
        case 'o':
            if (read_count(&query.offset, "--offset", optarg) < 0)
                return 2;
            break;
        case 'F':
            if (read_count(&query.facet_values, "--facet-values", optarg) < 0)
                return 2;
            break;
        case 'C':
            if (tc_parse_count(&query.count_bound, optarg, 1, MAX_COUNT) < 0) {
                fprintf(stderr, "query: --count-bound: \"%s\" is not a count (1 to %d)\n", optarg, MAX_COUNT);
                return 2;
            }
            break;
        case 'E': query.exact = 1; break;
        case 'h': usage(stdout); return 0;
        case 'V': printf("tracuu-query (tracuu) %s\n", TC_VERSION); return 0;
        default: usage(stderr); return 2;
        }
    }
    tc_config_t config = { 0 };
    char *message = NULL;
    if (tc_config_read(&config, &message) != TC_STATUS_SUCCESS) {
        fprintf(stderr, "query: %s\n", message ? message : "cannot read the configuration");
        free(message);
        return 2;
    }
    if (!db)
        db = config.index;
    if (!db) {
        fputs("query: --db DIR is required\n", stderr);
        usage(stderr);
        tc_config_free(&config);
        return 2;
    }

    /* The words are the rest of the command line, as one query text. */
    size_t words_len = 0;
    for (int i = first_word; i < argc; i++)
        words_len += strlen(argv[i]) + 1;
    char *words = calloc(1, words_len + 1);
    if (!words) {
        tc_config_free(&config);
        return 2;
    }
    for (int i = first_word; i < argc; i++) {
        if (i > first_word)
            strcat(words, " ");
        strcat(words, argv[i]);
    }
    query.words = words;
    const char **singles[3] = { &query.issuer, &query.doc_type, &query.year };
    const char *const **lists[3] = { &query.issuer_any, &query.doc_type_any, &query.year_any };
    for (size_t i = 0; i < 3; i++) {
        if (n_repeated[i] == 1)
            *singles[i] = repeated[i][0];
        else if (n_repeated[i] > 1)
            *lists[i] = repeated[i];
    }

    tc_index_t *index = NULL;
    tc_results_t *results = NULL;
    int exit_code = 2;
    tc_status_t status = tc_index_open(&index, db, TC_INDEX_READ);
    if (status == TC_STATUS_SUCCESS && export >= 0) {
        size_t rows = 0;
        status = tc_export(stdout, index, &query, (tc_export_format_t)export, &rows);
        if (status == TC_STATUS_SUCCESS && (fflush(stdout) != 0 || ferror(stdout)))
            status = TC_STATUS_FILE_ERROR;
        if (status == TC_STATUS_FILE_ERROR)
            fprintf(stderr, "query: cannot write the answer: %s\n", strerror(errno));
        else if (status != TC_STATUS_SUCCESS)
            fprintf(stderr, "query: %s: %s\n", tc_status_to_string(status), tc_index_last_error(index));
        tc_index_close(index);
        free(words);
        tc_config_free(&config);
        return status != TC_STATUS_SUCCESS ? 2 : rows ? 0 : 1;
    }
    if (status == TC_STATUS_SUCCESS)
        status = tc_search(&results, index, &query);
    if (status != TC_STATUS_SUCCESS) {
        fprintf(stderr, "query: %s: %s\n", tc_status_to_string(status), tc_index_last_error(index));
    } else {
        tc_results_print_correction(stderr, results);
        if (json) {
            char *out = tc_results_to_json(results);
            if (out)
                puts(out);
            free(out);
        } else {
            tc_results_print_text(stdout, results, isatty(STDOUT_FILENO) && !getenv("NO_COLOR"));
        }
        exit_code = results->total ? 0 : 1;
        /* A full disk or a closed pipe: the answer did not get through. */
        if (fflush(stdout) != 0 || ferror(stdout)) {
            fprintf(stderr, "query: cannot write the answer: %s\n", strerror(errno));
            exit_code = 2;
        }
    }
    tc_results_free(results);
    tc_index_close(index);
    free(words);
    tc_config_free(&config);
    return exit_code;
}
