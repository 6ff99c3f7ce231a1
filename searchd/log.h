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

/* The audit log, "nhật ký truy cập": who opened, exported or searched
 * what.  Appended to path (made with mode 0640), never rewritten; SIGHUP
 * opens it again.  0, or -1 with errno. */
int searchd_audit_open(const char *path);
int searchd_audit_reopen(void);
/* One line: time (UTC, ISO 8601), user ("-": anonymous), address, action,
 * detail, tab-separated; a tab, a control character or a byte that is
 * not UTF-8 in a field is written as '?', so that no field can forge
 * another or a line.  Nothing when no audit log is open. */
void searchd_audit(const char *user, const char *address, const char *action, const char *detail);
int searchd_audit_is_open(void);

#endif
