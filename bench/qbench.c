/* qbench: in-process query latency through lib/ (the path bin/query and
 * searchd take), without a process start per query.
 *
 *   qbench --db DIR --queries FILE [--repeat K] [--limit N] [--warmup K]
 *          [--no-snippets] [--render] [--slowest N] [--totals FILE] [--threads N]
 *          [--level LEVEL] [--count-bound N | --exact] [--no-time-limit]
 *   qbench --db DIR --queries FILE --estimates [--count-bound N]
 *
 * Opens the index once, runs every query of FILE (one per line in the inline
 * syntax: words, "phrases", issuer:"…" year:… theme:"…" deadline:A..B;
 * blank lines and lines starting with '#' are skipped) --warmup times
 * untimed, then K times timed (the whole set per pass, in file order), and
 * prints one JSON object: percentiles of the latency of one tc_search (plus
 * tc_results_to_json with --render, plus tc_results_free) in milliseconds.
 * --totals writes "total<TAB>median ms<TAB>query" per query, for comparing
 * engines query by query.
 * --threads N sets the threads one search may use (default: the library's).
 * --level searches as a caller of that access level (public by default,
 * as searchd's anonymous callers; tuyet-mat sees every dispatch).
 * --slowest N adds the N queries with the highest median to the JSON.
 * --count-bound N and --exact are tc_query_t's count_bound and exact.
 * --no-time-limit lets phrase searches run to the end: under valgrind,
 * fifty times slower, they would stop at TC_TIME_LIMIT after work that
 * varies from run to run.
 * --estimates runs every query once bounded and once exact, and prints
 * how far the estimated totals and facets are from the exact ones: the
 * mean relative error of the estimated totals, and of the counts of the
 * top TOP_VALUES values of each facet (an exact value missing from the
 * estimated list counts as 0, an error of 100%). */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tracuu.h"

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of a sorted array. */
static double percentile(const double *sorted, size_t n, double p)
{
    if (n == 0)
        return 0;
    size_t rank = (size_t)(p / 100.0 * (double)n + 0.999999);
    if (rank < 1)
        rank = 1;
    if (rank > n)
        rank = n;
    return sorted[rank - 1];
}

static char **read_queries(const char *path, size_t *n_out)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char **queries = NULL, *line = NULL;
    size_t n = 0, cap = 0, line_cap = 0;
    ssize_t len;
    while ((len = getline(&line, &line_cap, f)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0 || line[0] == '#')
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 256;
            char **grown = realloc(queries, cap * sizeof *grown);
            if (!grown)
                exit(2);
            queries = grown;
        }
        queries[n++] = strdup(line);
    }
    free(line);
    fclose(f);
    *n_out = n;
    return queries;
}

typedef struct {
    size_t query;
    double median;
} slow_t;

/* The values of each facet whose estimated counts are checked: what a
 * reader of the facet list looks at first. */
#define TOP_VALUES 5

/* The relative error of the estimated count of exact's first TOP_VALUES
 * values, added to *sum, each counted in *n. */
static void facet_errors(const tc_facet_t *exact, const tc_facet_t *estimated, double *sum, size_t *n, double *worst)
{
    for (size_t i = 0; i < exact->count && i < TOP_VALUES; i++) {
        size_t found = 0;
        for (size_t k = 0; k < estimated->count; k++)
            if (strcmp(estimated->values[k].value, exact->values[i].value) == 0)
                found = estimated->values[k].count;
        double truth = (double)exact->values[i].count;
        double error = (found > truth ? (double)found - truth : truth - (double)found) / truth;
        *sum += error;
        *n += 1;
        if (error > *worst)
            *worst = error;
    }
}

/* --estimates: see the top of the file. */
static int estimates(tc_index_t *index, char **queries, size_t n_queries, size_t count_bound)
{
    size_t estimated_totals = 0, estimated_facets = 0, n_values[3] = { 0 };
    double total_error = 0, worst_total = 0, value_error[3] = { 0 }, worst_value[3] = { 0 };
    static const char *const names[3] = { "issuer", "year", "doc_type" };
    for (size_t i = 0; i < n_queries; i++) {
        tc_query_t bounded = { .words = queries[i], .limit = 10, .without_snippets = 1, .count_bound = count_bound };
        tc_query_t exact = bounded;
        exact.exact = 1;
        tc_results_t *b = NULL, *e = NULL;
        if (tc_search(&b, index, &bounded) != TC_STATUS_SUCCESS || tc_search(&e, index, &exact) != TC_STATUS_SUCCESS) {
            fprintf(stderr, "qbench: %s: %s\n", queries[i], tc_index_last_error(index));
            tc_results_free(b);
            continue;
        }
        if (!b->total_exact && e->total) {
            double error = fabs((double)b->total - (double)e->total) / (double)e->total;
            estimated_totals++;
            total_error += error;
            worst_total = error > worst_total ? error : worst_total;
        }
        if (!b->facets_exact) {
            estimated_facets++;
            facet_errors(&e->issuer, &b->issuer, &value_error[0], &n_values[0], &worst_value[0]);
            facet_errors(&e->year, &b->year, &value_error[1], &n_values[1], &worst_value[1]);
            facet_errors(&e->doc_type, &b->doc_type, &value_error[2], &n_values[2], &worst_value[2]);
        }
        tc_results_free(b);
        tc_results_free(e);
    }
    double all_error = 0;
    size_t all_values = 0;
    json_t *facets = json_object();
    for (size_t f = 0; f < 3; f++) {
        all_error += value_error[f];
        all_values += n_values[f];
        json_object_set_new(facets, names[f],
                            json_pack("{s:I, s:f, s:f}", "values", (json_int_t)n_values[f], "mean_relative_error",
                                      n_values[f] ? value_error[f] / (double)n_values[f] : 0.0, "worst", worst_value[f]));
    }
    json_t *report = json_pack(
        "{s:I, s:I, s:I, s:I, s:f, s:f, s:I, s:f, s:o}", "queries", (json_int_t)n_queries, "count_bound",
        (json_int_t)(count_bound ? count_bound : TC_COUNT_BOUND), "estimated_totals", (json_int_t)estimated_totals,
        "estimated_facets", (json_int_t)estimated_facets, "total_mean_relative_error",
        estimated_totals ? total_error / (double)estimated_totals : 0.0, "total_worst", worst_total, "facet_values",
        (json_int_t)all_values, "facet_mean_relative_error", all_values ? all_error / (double)all_values : 0.0,
        "facets", facets);
    if (!report || json_dumpf(report, stdout, JSON_COMPACT | JSON_REAL_PRECISION(6)) < 0)
        return 2;
    putchar('\n');
    json_decref(report);
    return 0;
}

static int cmp_slow(const void *a, const void *b)
{
    double x = ((const slow_t *)a)->median, y = ((const slow_t *)b)->median;
    return (x < y) - (x > y);
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        { "db", required_argument, NULL, 'd' },      { "queries", required_argument, NULL, 'q' },
        { "repeat", required_argument, NULL, 'r' },  { "limit", required_argument, NULL, 'l' },
        { "warmup", required_argument, NULL, 'w' },  { "no-snippets", no_argument, NULL, 'n' },
        { "render", no_argument, NULL, 'j' },        { "slowest", required_argument, NULL, 's' },
        { "totals", required_argument, NULL, 't' },  { "threads", required_argument, NULL, 'T' },
        { "count-bound", required_argument, NULL, 'C' }, { "exact", no_argument, NULL, 'E' },
        { "estimates", no_argument, NULL, 'A' },     { "no-time-limit", no_argument, NULL, 'N' },
        { "help", no_argument, NULL, 'h' },
        { "level", required_argument, NULL, 'L' },
        { NULL, 0, NULL, 0 },
    };
    tc_access_t level = TC_ACCESS_PUBLIC;
    const char *db = NULL, *queries_path = NULL, *totals_path = NULL;
    long repeat = 5, limit = 10, warmup = 1, slowest = 0, threads = 0, count_bound = 0;
    int no_snippets = 0, render = 0, exact = 0, compare = 0, unlimited = 0, opt;
    while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (opt) {
        case 'd': db = optarg; break;
        case 'q': queries_path = optarg; break;
        case 'r': repeat = strtol(optarg, NULL, 10); break;
        case 'l': limit = strtol(optarg, NULL, 10); break;
        case 'w': warmup = strtol(optarg, NULL, 10); break;
        case 'n': no_snippets = 1; break;
        case 'j': render = 1; break;
        case 's': slowest = strtol(optarg, NULL, 10); break;
        case 't': totals_path = optarg; break;
        case 'T': threads = strtol(optarg, NULL, 10); break;
        case 'L':
            if (tc_access_from_name(&level, optarg) < 0) {
                fprintf(stderr, "qbench: --level: \"%s\" is not a level (%s)\n", optarg, TC_ACCESS_NAMES);
                return 2;
            }
            break;
        case 'C': count_bound = strtol(optarg, NULL, 10); break;
        case 'E': exact = 1; break;
        case 'A': compare = 1; break;
        case 'N': unlimited = 1; break;
        case 'h':
            puts("usage: qbench --db DIR --queries FILE [--repeat K] [--limit N] [--warmup K]\n"
                 "              [--no-snippets] [--render] [--slowest N] [--totals FILE]\n"
                 "              [--threads N] [--level LEVEL] [--count-bound N | --exact] [--no-time-limit]\n"
                 "       qbench --db DIR --queries FILE --estimates [--count-bound N]");
            return 0;
        default: return 2;
        }
    }
    if (!db || !queries_path || repeat < 1 || limit < 1 || warmup < 0 || slowest < 0 || count_bound < 0) {
        fputs("qbench: --db and --queries are required; --repeat and --limit at least 1\n", stderr);
        return 2;
    }
    size_t n_queries = 0;
    char **queries = read_queries(queries_path, &n_queries);
    if (!queries || n_queries == 0) {
        fprintf(stderr, "qbench: no queries read from %s\n", queries_path);
        return 2;
    }

    double t0 = now_ms();
    tc_index_t *index = NULL;
    tc_status_t status = tc_index_open(&index, db, TC_INDEX_READ);
    if (status != TC_STATUS_SUCCESS) {
        fprintf(stderr, "qbench: cannot open %s: %s (%s)\n", db, tc_status_to_string(status),
                index ? tc_index_last_error(index) : "");
        tc_index_close(index);
        return 2;
    }
    double open_ms = now_ms() - t0;
    if (threads && tc_index_set_search_threads(index, (unsigned)threads) != TC_STATUS_SUCCESS) {
        fprintf(stderr, "qbench: --threads %ld: from 1 to %d\n", threads, TC_MAX_SEARCH_THREADS);
        return 2;
    }
    size_t docs = 0;
    tc_index_doc_count(&docs, index);
    if (compare) {
        int rc = estimates(index, queries, n_queries, (size_t)count_bound);
        tc_index_close(index);
        return rc;
    }

    size_t runs = (size_t)repeat * n_queries;
    double *lat = malloc(runs * sizeof *lat);    /* by pass, then query */
    size_t *totals = calloc(n_queries, sizeof *totals);
    int *failed = calloc(n_queries, sizeof *failed);
    if (!lat || !totals || !failed)
        return 2;
    size_t errors = 0;
    double wall0 = 0;
    for (long pass = -warmup; pass < repeat; pass++) {
        if (pass == 0)
            wall0 = now_ms();
        for (size_t i = 0; i < n_queries; i++) {
            tc_query_t query = { .words = queries[i], .limit = (size_t)limit, .without_snippets = no_snippets,
                                 .level = level,
                                 .count_bound = (size_t)count_bound, .exact = exact,
                                 .time_limit = unlimited ? -1 : 0 };
            double start = now_ms();
            tc_results_t *results = NULL;
            status = tc_search(&results, index, &query);
            if (status == TC_STATUS_SUCCESS && render)
                free(tc_results_to_json(results));
            size_t total = results ? results->total : 0;
            tc_results_free(results);
            double elapsed = now_ms() - start;
            if (pass >= 0)
                lat[(size_t)pass * n_queries + i] = elapsed;
            if (status != TC_STATUS_SUCCESS) {
                if (!failed[i] && pass == -warmup)
                    fprintf(stderr, "qbench: %s: %s: %s\n", queries[i], tc_status_to_string(status),
                            tc_index_last_error(index));
                failed[i] = 1;
                if (pass >= 0)
                    errors++;
            }
            totals[i] = total;
        }
    }
    double wall = now_ms() - wall0;

    /* each query's median over the passes */
    double *median = malloc(n_queries * sizeof *median), *mine = malloc((size_t)repeat * sizeof *mine);
    if (!median || !mine)
        return 2;
    for (size_t i = 0; i < n_queries; i++) {
        for (long pass = 0; pass < repeat; pass++)
            mine[pass] = lat[(size_t)pass * n_queries + i];
        qsort(mine, (size_t)repeat, sizeof *mine, cmp_double);
        median[i] = mine[repeat / 2];
    }
    free(mine);
    slow_t *slow = NULL;
    if (slowest > 0) {
        slow = malloc(n_queries * sizeof *slow);
        if (!slow)
            return 2;
        for (size_t i = 0; i < n_queries; i++)
            slow[i] = (slow_t){ i, median[i] };
        qsort(slow, n_queries, sizeof *slow, cmp_slow);
        if ((size_t)slowest > n_queries)
            slowest = (long)n_queries;
    }

    double *sorted = malloc(runs * sizeof *sorted);
    memcpy(sorted, lat, runs * sizeof *sorted);
    qsort(sorted, runs, sizeof *sorted, cmp_double);
    double sum = 0;
    for (size_t i = 0; i < runs; i++)
        sum += sorted[i];
    size_t zero = 0;
    for (size_t i = 0; i < n_queries; i++)
        zero += totals[i] == 0;

    json_t *report = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:b, s:b, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:I, s:I}",
                               "engine", "tracuu", "docs", (json_int_t)docs, "queries", (json_int_t)n_queries,
                               "repeat", (json_int_t)repeat, "runs", (json_int_t)runs, "limit", (json_int_t)limit,
                               "snippets", !no_snippets, "render", render, "open_ms", open_ms,
                               "p50_ms", percentile(sorted, runs, 50), "p95_ms", percentile(sorted, runs, 95),
                               "p99_ms", percentile(sorted, runs, 99), "mean_ms", sum / (double)runs,
                               "max_ms", sorted[runs - 1], "qps_one_thread", wall > 0 ? (double)runs / (wall / 1e3) : 0.0,
                               "errors", (json_int_t)errors, "zero_hit_queries", (json_int_t)zero);
    if (report && slow) {
        json_t *list = json_array();
        for (long k = 0; k < slowest; k++)
            json_array_append_new(list, json_pack("{s:f, s:I, s:s}", "median_ms", slow[k].median, "total",
                                                  (json_int_t)totals[slow[k].query], "query", queries[slow[k].query]));
        json_object_set_new(report, "slowest", list);
    }
    if (!report || json_dumpf(report, stdout, JSON_COMPACT | JSON_REAL_PRECISION(6)) < 0) {
        fprintf(stderr, "qbench: cannot write the report\n");
        return 2;
    }
    putchar('\n');
    json_decref(report);

    if (totals_path) {
        FILE *f = fopen(totals_path, "w");
        if (!f) {
            fprintf(stderr, "qbench: cannot write %s\n", totals_path);
            return 2;
        }
        for (size_t i = 0; i < n_queries; i++) {
            if (failed[i])
                fprintf(f, "error\t%.4f\t%s\n", median[i], queries[i]);
            else
                fprintf(f, "%zu\t%.4f\t%s\n", totals[i], median[i], queries[i]);
        }
        fclose(f);
    }

    tc_index_close(index);
    for (size_t i = 0; i < n_queries; i++)
        free(queries[i]);
    free(queries);
    free(lat);
    free(sorted);
    free(totals);
    free(failed);
    free(slow);
    free(median);
    return errors ? 1 : 0;
}
