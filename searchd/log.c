/* searchd's logs (log.h). */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tracuu.h"

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

static int audit_fd = -1;
static char *audit_path;
static pthread_mutex_t audit_lock = PTHREAD_MUTEX_INITIALIZER;

static int open_audit_file(const char *path)
{
    return open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
}

int searchd_audit_open(const char *path)
{
    if (!path)
        return 0;
    int fd = open_audit_file(path);
    if (fd < 0)
        return -1;
    pthread_mutex_lock(&audit_lock);
    audit_fd = fd;
    free(audit_path);
    audit_path = strdup(path);
    pthread_mutex_unlock(&audit_lock);
    return 0;
}

int searchd_audit_reopen(void)
{
    int rc = 0;
    pthread_mutex_lock(&audit_lock);
    if (audit_path) {
        int fd = open_audit_file(audit_path);
        if (fd >= 0) {
            close(audit_fd);
            audit_fd = fd;
        } else {
            rc = -1;
        }
    }
    pthread_mutex_unlock(&audit_lock);
    return rc;
}

int searchd_audit_is_open(void)
{
    return audit_fd >= 0;
}

static void put_field(FILE *out, const char *text)
{
    if (!text || !*text) {
        fputc('-', out);
        return;
    }
    for (const char *p = text; *p;) {
        size_t n = tc_utf8_char_length(p);
        if (n == 1 && ((unsigned char)*p < 0x20 || *p == 0x7f))
            n = 0;
        if (n) {
            fwrite(p, 1, n, out);
            p += n;
        } else {
            fputc('?', out);
            p++;
        }
    }
}

void searchd_audit(const char *user, const char *address, const char *action, const char *detail)
{
    if (audit_fd < 0)
        return;
    char when[32];
    time_t now = time(NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &utc);
    char *line = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&line, &len);
    if (!out)
        return;
    fputs(when, out);
    const char *fields[] = { user, address, action, detail };
    for (size_t i = 0; i < 4; i++) {
        fputc('\t', out);
        put_field(out, fields[i]);
    }
    fputc('\n', out);
    if (fclose(out) == 0) {
        /* One write of the whole line: appends of concurrent workers never
         * interleave inside a line. */
        pthread_mutex_lock(&audit_lock);
        if (write(audit_fd, line, len) != (ssize_t)len)
            searchd_log(LOG_ERR, "audit log %s: %s", audit_path ? audit_path : "?", strerror(errno));
        pthread_mutex_unlock(&audit_lock);
    }
    free(line);
}
