#include "base/lines.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

tc_status_t tc_read_lines(const char *path, int (*take)(void *ctx, unsigned line_no, char *line), void *ctx,
                          char **message)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        tc_say(message, "%s: %s", path, strerror(errno));
        return TC_STATUS_FILE_ERROR;
    }
    char *line = NULL;
    size_t cap = 0;
    unsigned line_no = 0;
    tc_status_t status = TC_STATUS_SUCCESS;
    while (status == TC_STATUS_SUCCESS && getline(&line, &cap, f) >= 0) {
        line_no++;
        line[strcspn(line, "\r\n")] = '\0';
        const char *first = line + strspn(line, " \t");
        if (!*first || *first == '#')
            continue;
        if (take(ctx, line_no, line) < 0)
            status = TC_STATUS_BAD_INPUT;
    }
    if (status == TC_STATUS_SUCCESS && ferror(f)) {
        tc_say(message, "%s: %s", path, strerror(errno));
        status = TC_STATUS_FILE_ERROR;
    }
    free(line);
    fclose(f);
    return status;
}
