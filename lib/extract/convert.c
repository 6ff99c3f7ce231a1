/* Word 97-2003 (.doc) and RTF through catdoc, run as a child process.
 *
 * catdoc was chosen over antiword by measuring both on real .doc files
 * (bench/RESULTS.md): it reads the page headers too, keeps table cells on
 * their own lines instead of drawing them with '|', and reads RTF as well.
 *
 * The child gets the document on its standard input from an anonymous
 * memory file (seekable, as an OLE2 reader needs), and no shell: the
 * arguments are passed as they are.  It has a time limit and an output
 * limit; what it says on stderr becomes the error message. */
#include "extract/extract.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"

#define DOC_CONVERTER "catdoc"
/* catdoc read each real .doc measured (up to 21 pages, 220 kB) in a few
 * milliseconds: a hundred times that size is still well under a second.
 * A child still running after this long, even on a loaded machine, is
 * stuck on a hostile file. */
#define CONVERTER_SECONDS 10
/* Of what the converter says on stderr, this much is kept for the
 * message: its first line is the reason, the rest repeats it. */
#define CONVERTER_STDERR_BYTES 1024
/* The most read from a pipe at a time. */
#define PIPE_CHUNK 65536

extern char **environ;

/* An anonymous file holding bytes, at offset 0; -1 on failure. */
static int memory_file(const char *bytes, size_t len)
{
    int fd = memfd_create("tracuu-document", MFD_CLOEXEC);
    if (fd < 0)
        return -1;
    for (size_t done = 0; done < len;) {
        ssize_t n = write(fd, bytes + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            close(fd);
            return -1;
        }
        done += (size_t)n;
    }
    if (lseek(fd, 0, SEEK_SET) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The first line of what the converter wrote on stderr; NULL when it
 * said nothing. */
static char *first_line(const tc_buf_t *err)
{
    if (err->len == 0 || err->data[0] == '\n')
        return NULL;
    size_t n = strcspn(err->data, "\n");
    return tc_strndup(err->data, n);
}

typedef enum { CHILD_DONE, CHILD_TOO_SLOW, CHILD_TOO_LONG, CHILD_NO_MEMORY } child_end_t;

/* Reads the child's stdout and stderr until both close, the time runs out
 * or stdout passes max_bytes. */
static child_end_t drain(int out_fd, int err_fd, tc_buf_t *out, tc_buf_t *err, size_t max_bytes)
{
    long long deadline = now_ms() + CONVERTER_SECONDS * 1000LL;
    struct pollfd fds[2] = { { out_fd, POLLIN, 0 }, { err_fd, POLLIN, 0 } };
    char chunk[PIPE_CHUNK];
    while (fds[0].fd >= 0 || fds[1].fd >= 0) {
        long long left = deadline - now_ms();
        if (left <= 0)
            return CHILD_TOO_SLOW;
        int ready = poll(fds, 2, (int)left);
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready <= 0)
            return ready == 0 ? CHILD_TOO_SLOW : CHILD_DONE;
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !fds[i].revents)
                continue;
            ssize_t n = read(fds[i].fd, chunk, sizeof chunk);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                fds[i].fd = -1;
                continue;
            }
            if (i == 0) {
                if (out->len + (size_t)n > max_bytes)
                    return CHILD_TOO_LONG;
                if (tc_buf_append(out, chunk, (size_t)n) < 0)
                    return CHILD_NO_MEMORY;
            } else if (err->len < CONVERTER_STDERR_BYTES) {
                size_t keep = (size_t)n < CONVERTER_STDERR_BYTES - err->len ? (size_t)n
                                                                            : CONVERTER_STDERR_BYTES - err->len;
                if (tc_buf_append(err, chunk, keep) < 0)
                    return CHILD_NO_MEMORY;
            }
        }
    }
    return CHILD_DONE;
}

tc_status_t tc_extract_doc(char **out, size_t *out_len, const char *bytes, size_t len, const char *name,
                           size_t max_bytes, char **message)
{
    *out = NULL;
    *out_len = 0;
    /* -w: a paragraph on one line (no wrapping at 72 columns, which would
     * cut a header's lines); -d utf-8: the text as UTF-8. */
    char *const argv[] = { DOC_CONVERTER, "-w", "-d", "utf-8", NULL };
    int input = memory_file(bytes, len);
    if (input < 0)
        return tc_extract_reject(message, name, "cannot hand the document to " DOC_CONVERTER);
    int out_pipe[2] = { -1, -1 }, err_pipe[2] = { -1, -1 };
    if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
        int saved = errno;
        close(input);
        if (out_pipe[0] >= 0) {
            close(out_pipe[0]);
            close(out_pipe[1]);
        }
        return tc_extract_reject(message, name, strerror(saved));
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, input, STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
    pid_t pid;
    int spawned = posix_spawnp(&pid, DOC_CONVERTER, &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(input);
    close(out_pipe[1]);
    close(err_pipe[1]);
    if (spawned != 0) {
        close(out_pipe[0]);
        close(err_pipe[0]);
        if (spawned == ENOENT)
            return tc_extract_reject(message, name, "cannot read Word 97-2003 or RTF: " DOC_CONVERTER
                                         " is not installed (Debian: apt-get install " DOC_CONVERTER ")");
        char *why = tc_strdup_printf("cannot run %s: %s", DOC_CONVERTER, strerror(spawned));
        tc_status_t status = tc_extract_reject(message, name, why);
        free(why);
        return status;
    }
    tc_buf_t text = TC_BUF_INIT, err = TC_BUF_INIT;
    child_end_t end = drain(out_pipe[0], err_pipe[0], &text, &err, max_bytes);
    close(out_pipe[0]);
    close(err_pipe[0]);
    if (end != CHILD_DONE)
        kill(pid, SIGKILL);
    int wstatus = 0;
    while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
        ;
    tc_status_t status = TC_STATUS_SUCCESS;
    char *why = NULL;
    if (end == CHILD_NO_MEMORY) {
        status = TC_STATUS_OUT_OF_MEMORY;
    } else if (end == CHILD_TOO_SLOW) {
        why = tc_strdup_printf("%s took more than %d seconds", DOC_CONVERTER, CONVERTER_SECONDS);
    } else if (end == CHILD_TOO_LONG) {
        why = tc_strdup_printf("its text is longer than %zu bytes", max_bytes);
    } else if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
        char *said = first_line(&err);
        if (said)
            why = tc_strdup_printf("%s cannot read it (%s)", DOC_CONVERTER, said);
        else
            why = tc_strdup_printf("%s cannot read it (exit status %d)", DOC_CONVERTER,
                                   WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus));
        free(said);
    }
    tc_buf_free(&err);
    if (why || status != TC_STATUS_SUCCESS) {
        tc_buf_free(&text);
        if (why) {
            status = tc_extract_reject(message, name, why);
            free(why);
        }
        return status;
    }
    *out_len = text.len;
    *out = text.data ? text.data : calloc(1, 1);
    return *out ? TC_STATUS_SUCCESS : TC_STATUS_OUT_OF_MEMORY;
}
