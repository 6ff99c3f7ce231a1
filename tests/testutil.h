/* Helpers shared by the Check suites: temporary folders, running the real
 * programs, and an index of the bundled corpus built once per suite. */
#ifndef TC_TESTUTIL_H
#define TC_TESTUTIL_H

#include <check.h>
#include <sys/types.h>

#include "tracuu.h"

/* printf into a fresh string (malloc'd); aborts the test when out of memory. */
char *tu_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A fresh empty folder under $TMPDIR, removed by tu_cleanup(). */
char *tu_tempdir(void);
/* Runs a shell command; returns its exit code and fills *out / *err
 * (malloc'd) with what it printed. */
int tu_run(const char *command, char **out, char **err);
/* Runs command, which must exit 0 and write nothing on stderr; what it
 * printed on stdout (malloc'd). */
char *tu_run_clean(const char *command);
/* The whole file, malloc'd; NULL when unreadable. */
char *tu_read_file(const char *path);
/* The same, for files that may hold NULs: their length in *len. */
char *tu_read_file_len(const char *path, size_t *len);
/* The file's text once it holds `text` (malloc'd); fails the test after a
 * few seconds without it.  For what a daemon writes when it gets to it. */
char *tu_wait_for_line(const char *path, const char *text);
/* An index (path malloc'd) of n dispatches made by bench/gen-corpus with
 * seed, built by bin/indexer in a fresh folder. */
char *tu_generated_index(unsigned n, unsigned seed);
/* Path of an index of corpus/ built with the library (built on first use). */
const char *tu_corpus_index(void);
/* Starts bin/searchd on a free loopback port over db; returns its base URL
 * ("http://127.0.0.1:PORT", malloc'd) and its pid; stderr goes to err_path. */
char *tu_searchd_start(const char *db, const char *err_path, int *pid);
/* The same with more options for searchd: a NULL-terminated list, or NULL. */
char *tu_searchd_start_with(const char *db, const char *err_path, int *pid, const char *const *options);
/* SIGTERM, then waits; returns the exit status (128 + signal if killed). */
int tu_searchd_stop(int pid);

typedef struct {
    long status;
    char *body; /* as received (still gzip-compressed if it was) */
    size_t len;
    char *headers; /* the raw response header block */
} tu_response_t;

/* An HTTP request with libcurl; header may be NULL ("Name: value"
 * otherwise, several separated by "\n"). */
void tu_http(tu_response_t *out, const char *method, const char *url, const char *header);
void tu_response_free(tu_response_t *r);
/* The value of a response header (case-insensitive name), malloc'd or NULL. */
char *tu_header(const tu_response_t *r, const char *name);

/* Serves the database at db with xapian-tcpsrv (Xapian's remote backend)
 * on a free loopback port, which it returns once the server listens; the
 * server dies with the test. */
int tu_xapian_serve(const char *db, pid_t *pid);
/* Stops a server tu_xapian_serve started, and waits for it. */
void tu_xapian_stop(pid_t pid);
/* How many times part stands in text (not overlapping). */
size_t tu_count(const char *text, const char *part);

/* Removes every folder tu_tempdir() made. */
void tu_cleanup(void);
/* Runs the suite, prints Check's summary, returns the exit code for main. */
int tu_run_suite(Suite *suite);

#endif
