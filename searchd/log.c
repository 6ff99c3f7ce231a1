/* searchd's logs (log.h). */
#include "log.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* systemd sets JOURNAL_STREAM when stderr is the journal, which then reads
 * a "<N>" opening a line as its priority (sd-daemon(3)). */
static int to_journal(void)
{
    return getenv("JOURNAL_STREAM") != NULL;
}

void searchd_vlog(int priority, const char *format, va_list args)
{
    char *message = NULL;
    if (vasprintf(&message, format, args) < 0)
        return;
    size_t len = strlen(message);
    while (len && message[len - 1] == '\n')
        message[--len] = '\0';
    if (to_journal())
        fprintf(stderr, "<%d>searchd: %s\n", priority, message);
    else
        fprintf(stderr, "searchd: %s\n", message);
    free(message);
}

void searchd_log(int priority, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    searchd_vlog(priority, format, args);
    va_end(args);
}

static pthread_mutex_t access_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *access_file; /* NULL: stderr */
static char *access_path;

int searchd_access_log_open(const char *path)
{
    if (!path)
        return 0;
    FILE *f = fopen(path, "a");
    if (!f)
        return -1;
    setvbuf(f, NULL, _IOLBF, 0);
    char *copy = strdup(path);
    pthread_mutex_lock(&access_lock);
    access_file = f;
    free(access_path);
    access_path = copy;
    pthread_mutex_unlock(&access_lock);
    return 0;
}

int searchd_access_log_reopen(void)
{
    pthread_mutex_lock(&access_lock);
    int rc = 0;
    if (access_path) {
        FILE *f = fopen(access_path, "a");
        if (f) {
            setvbuf(f, NULL, _IOLBF, 0);
            fclose(access_file);
            access_file = f;
        } else {
            rc = -1;
        }
    }
    pthread_mutex_unlock(&access_lock);
    return rc;
}

void searchd_access_log_write(const char *line)
{
    pthread_mutex_lock(&access_lock);
    FILE *out = access_file ? access_file : stderr;
    if (!access_file && to_journal())
        fprintf(out, "<%d>%s\n", LOG_INFO, line);
    else
        fprintf(out, "%s\n", line);
    pthread_mutex_unlock(&access_lock);
}
