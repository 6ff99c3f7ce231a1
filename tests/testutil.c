#include "testutil.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

char *tu_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    ck_assert_int_ge(vasprintf(&s, fmt, ap), 0);
    va_end(ap);
    return s;
}

static char **made;
static size_t n_made;

char *tu_tempdir(void)
{
    const char *tmp = getenv("TMPDIR");
    char *dir = NULL;
    if (asprintf(&dir, "%s/tracuu-test-XXXXXX", tmp && *tmp ? tmp : "/tmp") < 0 || !mkdtemp(dir)) {
        perror("mkdtemp");
        abort();
    }
    char **grown = realloc(made, (n_made + 1) * sizeof *made);
    if (!grown)
        abort();
    made = grown;
    made[n_made++] = dir;
    return dir;
}

char *tu_read_file_len(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *data = NULL;
    FILE *mem = open_memstream(&data, len);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        fwrite(chunk, 1, n, mem);
    fclose(mem);
    fclose(f);
    return data;
}

char *tu_read_file(const char *path)
{
    size_t len = 0;
    return tu_read_file_len(path, &len);
}

/* How long tu_wait_for_line waits, in steps of WAIT_STEP_MS. */
#define WAIT_STEPS 200
#define WAIT_STEP_MS 50

char *tu_wait_for_line(const char *path, const char *text)
{
    char *seen = NULL;
    for (int step = 0; step < WAIT_STEPS; step++) {
        free(seen);
        seen = tu_read_file(path);
        if (seen && strstr(seen, text))
            return seen;
        usleep(WAIT_STEP_MS * 1000);
    }
    ck_abort_msg("%s: no \"%s\" after %d s: %s", path, text, WAIT_STEPS * WAIT_STEP_MS / 1000, seen ? seen : "(no file)");
    return NULL;
}

int tu_run(const char *command, char **out, char **err)
{
    char *dir = tu_tempdir();
    char *full = NULL;
    if (asprintf(&full, "(%s) >%s/out 2>%s/err </dev/null", command, dir, dir) < 0)
        abort();
    int status = system(full);
    free(full);
    char *path = NULL;
    if (out) {
        if (asprintf(&path, "%s/out", dir) < 0)
            abort();
        *out = tu_read_file(path);
        free(path);
    }
    if (err) {
        if (asprintf(&path, "%s/err", dir) < 0)
            abort();
        *err = tu_read_file(path);
        free(path);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

char *tu_run_clean(const char *command)
{
    char *out = NULL, *err = NULL;
    int code = tu_run(command, &out, &err);
    ck_assert_msg(code == 0 && err && !*err, "%s: exit %d, stderr: %s", command, code, err);
    free(err);
    return out;
}

const char *tu_corpus_index(void)
{
    static char *path;
    if (path)
        return path;
    char *dir = tu_tempdir();
    if (asprintf(&path, "%s/index", dir) < 0)
        abort();
    tc_index_t *index = NULL;
    if (tc_index_open(&index, path, TC_INDEX_WRITE) != TC_STATUS_SUCCESS) {
        fprintf(stderr, "cannot create %s: %s\n", path, tc_index_last_error(index));
        abort();
    }
    static const char *const seeds[] = { "000_8085305a3db06b59", "001_17e1e73a82d28e15",
                                         "002_265e7d34e41c1dcc", "003_7150dcc81a02de69",
                                         "004_9daa15f6c42ddd15" };
    for (size_t i = 0; i < sizeof seeds / sizeof *seeds; i++) {
        char *file = NULL, *message = NULL;
        tc_doc_t *doc = NULL;
        if (asprintf(&file, "corpus/%s.txt", seeds[i]) < 0 ||
            tc_doc_load(&doc, file, seeds[i], &message) != TC_STATUS_SUCCESS ||
            tc_index_add(index, doc) != TC_STATUS_SUCCESS) {
            fprintf(stderr, "cannot index %s: %s %s\n", seeds[i], message ? message : "",
                    tc_index_last_error(index));
            abort();
        }
        tc_doc_free(doc);
        free(file);
    }
    if (tc_index_commit(index) != TC_STATUS_SUCCESS)
        abort();
    tc_index_close(index);
    return path;
}

void tu_cleanup(void)
{
    for (size_t i = 0; i < n_made; i++) {
        char *cmd = NULL;
        if (asprintf(&cmd, "rm -rf '%s'", made[i]) >= 0 && system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", made[i]);
        free(cmd);
        free(made[i]);
    }
    free(made);
    made = NULL;
    n_made = 0;
}

int tu_run_suite(Suite *suite)
{
    /* The programs the tests run read no configuration but what a test
     * gives them (TRACUU_CONFIG=... on its command line): an installation's
     * /etc/tracuu/tracuu.conf on this machine changes nothing. */
    setenv("TRACUU_CONFIG", "/dev/null", 1);
    SRunner *runner = srunner_create(suite);
    /* No fork: one process keeps the index built by tu_corpus_index(). */
    srunner_set_fork_status(runner, CK_NOFORK);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    tu_cleanup();
    return failed ? 1 : 0;
}

char *tu_searchd_start(const char *db, const char *err_path, int *pid)
{
    return tu_searchd_start_with(db, err_path, pid, NULL);
}

char *tu_searchd_start_with(const char *db, const char *err_path, int *pid, const char *const *options)
{
    enum { FIXED_ARGS = 7, MAX_OPTIONS = 16 };
    const char *argv[FIXED_ARGS + MAX_OPTIONS + 1] = { "searchd", "--db", db, "--port", "0", "--threads", "2" };
    size_t argc = FIXED_ARGS;
    for (size_t i = 0; options && options[i]; i++) {
        if (i == MAX_OPTIONS)
            abort();
        argv[argc++] = options[i];
    }
    argv[argc] = NULL;
    int out[2];
    if (pipe(out) != 0)
        abort();
    pid_t child = fork();
    if (child < 0)
        abort();
    if (child == 0) {
        dup2(out[1], STDOUT_FILENO);
        close(out[0]);
        close(out[1]);
        if (err_path && !freopen(err_path, "w", stderr))
            _exit(127);
        execv("bin/searchd", (char *const *)argv);
        _exit(127);
    }
    close(out[1]);
    FILE *f = fdopen(out[0], "r");
    char line[256] = "";
    if (!fgets(line, sizeof line, f)) {
        fprintf(stderr, "searchd did not start\n");
        abort();
    }
    fclose(f);
    line[strcspn(line, "\n")] = '\0';
    const char *prefix = "listening on ";
    if (strncmp(line, prefix, strlen(prefix)) != 0) {
        fprintf(stderr, "searchd said: %s\n", line);
        abort();
    }
    *pid = child;
    return strdup(line + strlen(prefix));
}

int tu_searchd_stop(int pid)
{
    int status = 0;
    kill(pid, SIGTERM);
    if (waitpid(pid, &status, 0) < 0)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static size_t collect(char *data, size_t size, size_t n, void *arg)
{
    FILE *f = arg;
    return fwrite(data, size, n, f) * size;
}

void tu_http(tu_response_t *out, const char *method, const char *url, const char *header)
{
    memset(out, 0, sizeof *out);
    CURL *curl = curl_easy_init();
    size_t header_len = 0;
    FILE *body = open_memstream(&out->body, &out->len);
    FILE *headers = open_memstream(&out->headers, &header_len);
    struct curl_slist *list = NULL;
    for (const char *h = header; h && *h;) { /* one header a line */
        size_t len = strcspn(h, "\n");
        char *one = strndup(h, len);
        if (one)
            list = curl_slist_append(list, one);
        free(one);
        h += len + (h[len] == '\n');
    }
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, body);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, headers);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
    if (list)
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    CURLcode rc = curl_easy_perform(curl);
    fclose(body);
    fclose(headers);
    if (rc != CURLE_OK)
        out->status = -1;
    else
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out->status);
    curl_slist_free_all(list);
    curl_easy_cleanup(curl);
}

void tu_response_free(tu_response_t *r)
{
    free(r->body);
    free(r->headers);
    memset(r, 0, sizeof *r);
}

char *tu_header(const tu_response_t *r, const char *name)
{
    size_t n = strlen(name);
    for (const char *line = r->headers; line && *line;) {
        const char *end = strchr(line, '\n');
        if (strncasecmp(line, name, n) == 0 && line[n] == ':') {
            const char *v = line + n + 1;
            while (*v == ' ')
                v++;
            size_t len = (size_t)((end ? end : v + strlen(v)) - v);
            while (len && (v[len - 1] == '\r' || v[len - 1] == '\n'))
                len--;
            return strndup(v, len);
        }
        line = end ? end + 1 : NULL;
    }
    return NULL;
}

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof addr;
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
    close(fd);
    return ntohs(addr.sin_port);
}

static void wait_for_port(int port)
{
    for (int tries = 0; tries < 100; tries++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                                    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        int ok = connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0;
        close(fd);
        if (ok)
            return;
        usleep(50 * 1000);
    }
    ck_abort_msg("xapian-tcpsrv on port %d did not start", port);
}

int tu_xapian_serve(const char *db, pid_t *pid)
{
    int port = free_port();
    char portname[16];
    snprintf(portname, sizeof portname, "%d", port);
    *pid = fork();
    if (*pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM); /* never outlive the test */
        setpgid(0, 0); /* its SIGTERM handler signals its whole process group */
        if (!freopen("/dev/null", "w", stdout))
            _exit(127);
        execlp("xapian-tcpsrv", "xapian-tcpsrv", "--interface", "127.0.0.1", "--port", portname, db, (char *)NULL);
        _exit(127);
    }
    wait_for_port(port);
    return port;
}

/* Two writers on any machine: a new index is written in parts, and the
 * order of its documents (which samples past a count bound follow)
 * depends on how many. */
char *tu_generated_index(unsigned n, unsigned seed)
{
    char *dir = tu_tempdir(), *cmd = NULL, *db = NULL;
    ck_assert_int_ge(asprintf(&db, "%s/index", dir), 0);
    ck_assert_int_ge(asprintf(&cmd,
                              "bench/gen-corpus --out %s/corpus --n %u --seed %u >/dev/null 2>&1 && "
                              "bin/indexer --quiet --writers 2 --db %s %s/corpus",
                              dir, n, seed, db, dir),
                     0);
    ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
    free(cmd);
    return db;
}

/* How long xapian-tcpsrv has to end after SIGTERM: its handler, which
 * signals its process group, was once seen never to return (the server
 * stayed with SIGTERM blocked and the suite waited forever). */
#define XAPIAN_STOP_SECONDS 5

void tu_xapian_stop(pid_t pid)
{
    kill(pid, SIGTERM);
    for (int waited = 0; waited < XAPIAN_STOP_SECONDS * 20; waited++) {
        if (waitpid(pid, NULL, WNOHANG) == pid)
            return;
        usleep(50 * 1000);
    }
    kill(-pid, SIGKILL); /* the server and the connections it forked */
    waitpid(pid, NULL, 0);
}

size_t tu_count(const char *text, const char *part)
{
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, part)); p += strlen(part))
        n++;
    return n;
}
