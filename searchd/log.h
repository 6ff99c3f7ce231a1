/* searchd's two logs: messages (stderr, with journald's priority prefixes
 * when stderr is the journal) and the access log (Combined Log Format, to
 * stderr or a file that SIGHUP reopens). */
#ifndef SEARCHD_LOG_H
#define SEARCHD_LOG_H

#include <stdarg.h>
#include <syslog.h>

/* A message, "searchd: " and a newline added; priority is syslog's
 * (LOG_ERR, LOG_WARNING, LOG_INFO). */
void searchd_log(int priority, const char *format, ...) __attribute__((format(printf, 2, 3)));
void searchd_vlog(int priority, const char *format, va_list args);

/* Where access lines go: path (appended to), or stderr when NULL; 0, or
 * -1 with errno. */
int searchd_access_log_open(const char *path);
/* Opens the file again (after logrotate moved it); 0, or -1 with errno,
 * the old file kept. */
int searchd_access_log_reopen(void);
/* One line (no newline), written whole. */
void searchd_access_log_write(const char *line);

#endif
