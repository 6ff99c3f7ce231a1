/* Helpers shared by the Check suites: temporary folders, running the real
 * programs, and an index of the bundled corpus built once per suite. */
#ifndef TC_TESTUTIL_H
#define TC_TESTUTIL_H

#include <check.h>

#include "tracuu.h"

/* A fresh empty folder under $TMPDIR, removed by tu_cleanup(). */
char *tu_tempdir(void);
/* Runs a shell command; returns its exit code and fills *out / *err
 * (malloc'd) with what it printed. */
int tu_run(const char *command, char **out, char **err);
/* The whole file, malloc'd; NULL when unreadable. */
char *tu_read_file(const char *path);
/* Path of an index of corpus/ built with the library (built on first use). */
const char *tu_corpus_index(void);
/* Removes every folder tu_tempdir() made. */
void tu_cleanup(void);
/* Runs the suite, prints Check's summary, returns the exit code for main. */
int tu_run_suite(Suite *suite);

#endif
