/* The settings files' common shape (the configuration, the password file):
 * one setting a line, blank lines and '#' comments passed over. */
#ifndef TC_LINES_H
#define TC_LINES_H
#include "tracuu.h"

/* Calls take(ctx, line_no, line) with each line of path that is not blank
 * or a comment, without its end of line (line may be changed).  take
 * returns 0 to go on, or -1 to stop, having set *message.  Returns
 * TC_STATUS_FILE_ERROR ("path: reason" in *message) when the file cannot be
 * read, TC_STATUS_BAD_INPUT when take stopped it. */
tc_status_t tc_read_lines(const char *path, int (*take)(void *ctx, unsigned line_no, char *line), void *ctx,
                          char **message);
#endif
