/* searchd: the archive in a browser and over a JSON API.
 *
 *   searchd --db DIR [--bind 127.0.0.1] [--port 8080] [--threads N]
 *           [--header-timeout SECONDS] [--max-per-address N] [--count-bound N]
 *
 * Prints "listening on http://ADDR:PORT" once it accepts connections (with
 * --port 0 the system picks the port), logs one line per request to stderr,
 * and stops cleanly on SIGTERM or SIGINT, letting requests in flight end.
 * --db, --bind, --port and --count-bound may come from the configuration
 * file instead (index =, bind =, port =, count_bound =); a flag wins. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "handler.h"
#include "log.h"
#include "header_deadline.h"
#include "tracuu.h"

#define DRAIN_SECONDS 10
/* Seconds a connection has to send a request's headers, from opening or
 * from its previous answer, however it spaces its bytes.  Headers are a
 * few hundred bytes, a packet or two even over a poor mobile link: ten
 * seconds is far more than that takes, and a connection held by a slow
 * client is freed six times a minute. */
#define DEFAULT_HEADER_SECONDS 10
/* Connections from one address at once.  A browser opens up to six; 64
 * leaves room for an office behind one NAT address, and one address can
 * hold no more than a small share of MAX_CONNECTIONS.  Behind a reverse
 * proxy every client has the proxy's address: raise it there (0: no limit). */
#define DEFAULT_PER_ADDRESS 64
/* Seconds without progress after which libmicrohttpd drops a connection
 * that is being sent an answer (idle ones meet the header bound first). */
#define IDLE_TIMEOUT_SECONDS 30
/* Connections at once, when the descriptor limit allows.  Each costs at
 * most libmicrohttpd's 32 KiB of buffers (320 MiB in all), and with the
 * header bound, keeping them all busy takes a thousand new connections a
 * second from 157 addresses or more. */
#define MAX_CONNECTIONS 10000
/* Descriptors kept from connections: each worker's index keeps its
 * database files open (about seven a shard: this is room for eight
 * shards), plus stdio, the listening socket and libmicrohttpd's own. */
#define FDS_PER_WORKER 64
#define FDS_FOR_THE_REST 64
/* How often connections past the header bound are looked for, and so how
 * long at most one outlives it; a look finds the due ones at once. */
#define SWEEP_MILLISECONDS 200

static void usage(FILE *out)
{
    fprintf(out, "usage: searchd --db DIR [--bind ADDRESS] [--port PORT] [--threads N]\n"
          "               [--header-timeout SECONDS] [--max-per-address N] [--access-log FILE]\n"
          "               [--base-path PATH] [--trusted-proxy ADDRESSES] [--cors-origin ORIGIN]\n"
          "               [--anonymous LEVEL] [--users FILE] [--audit-log FILE] [--audit-queries yes|no]\n"
          "               [--count-bound N]\n"
          "  --bind             address to listen on (default 127.0.0.1: this machine only)\n"
          "  --port             TCP port (default 8080; 0 picks a free one)\n"
          "  --threads          worker threads (default: the number of cores)\n"
          "  --header-timeout   seconds a connection has to send a request's headers (default 10)\n"
          "  --max-per-address  connections from one client address at once (default 64; 0: no limit)\n"
          "  --access-log       append the request log (Combined Log Format) to FILE, reopened on\n"
          "                     SIGHUP (default: stderr)\n"
          "  --base-path PATH   the path prefix a reverse proxy serves the page under (/tracuu);\n"
          "                     requests with or without it are answered\n"
          "  --trusted-proxy ADDRESSES  reverse proxies (IP addresses, comma separated, or the option\n"
          "                     repeated) whose X-Forwarded-For, -Proto, -Host and -Prefix and\n"
          "                     X-Remote-User (the user signed in) count; from any other\n"
          "                     address those headers are ignored\n"
          "  --cors-origin ORIGIN  let pages from ORIGIN (or *) read the API (Access-Control-Allow-Origin)\n"
          "  --anonymous        the access level of a caller who did not sign in: public (the\n"
          "                     default), staff, mat, toi-mat or tuyet-mat\n"
          "  --users            the password file of who may sign in (tracuu-passwd), read again\n"
          "                     on SIGHUP; HTTP Basic is accepted from this machine only: searchd has no TLS\n"
          "  --audit-log        append who opened, exported or searched what to FILE\n"
          "  --audit-queries    yes (the default) or no: whether the audit log keeps what was searched\n"
          "  --count-bound      matches a search counts exactly before it estimates its total and\n"
          "                     facets (default %d; a request may ask count_bound=N or exact=1)\n"
          "  --version          print the version and exit\n"
          "Without --db, --bind, --port or --count-bound, those of the configuration file are used\n"
          "(TRACUU_CONFIG, else " TC_CONFIG_PATH ").\n",
          TC_COUNT_BOUND);
}

/* libmicrohttpd gives up on conditions it cannot recover from; say which
 * before the abort, so that the log explains the exit. */
static void report_panic(void *cls, const char *file, unsigned int line, const char *reason)
{
    (void)cls;
    searchd_log(LOG_ERR, "libmicrohttpd gave up at %s:%u: %s", file ? file : "?", line, reason ? reason : "?");
    abort();
}

static int read_number(long *out, const char *option, const char *value, long min, long max)
{
    char *end = NULL;
    errno = 0;
    long n = strtol(value, &end, 10);
    if (!*value || *end || errno || n < min || n > max) {
        searchd_log(LOG_ERR, "%s: \"%s\" is not a number from %ld to %ld", option, value, min, max);
        return -1;
    }
    *out = n;
    return 0;
}

/* Raises the soft descriptor limit as far as MAX_CONNECTIONS needs and the
 * hard limit allows; returns how many connections then fit. */
static unsigned connection_limit(long threads)
{
    rlim_t reserved = FDS_FOR_THE_REST + (rlim_t)threads * FDS_PER_WORKER, wanted = reserved + MAX_CONNECTIONS;
    struct rlimit fds;
    if (getrlimit(RLIMIT_NOFILE, &fds) != 0)
        return MAX_CONNECTIONS; /* cannot tell: libmicrohttpd refuses what does not fit */
    if (fds.rlim_cur != RLIM_INFINITY && fds.rlim_cur < wanted) {
        fds.rlim_cur = fds.rlim_max != RLIM_INFINITY && fds.rlim_max < wanted ? fds.rlim_max : wanted;
        if (setrlimit(RLIMIT_NOFILE, &fds) != 0)
            getrlimit(RLIMIT_NOFILE, &fds);
    }
    if (fds.rlim_cur == RLIM_INFINITY || fds.rlim_cur >= wanted)
        return MAX_CONNECTIONS;
    /* libmicrohttpd shares the limit among the workers: one each at least. */
    if (fds.rlim_cur < reserved + (rlim_t)threads)
        return (unsigned)threads;
    return (unsigned)(fds.rlim_cur - reserved);
}

/* libmicrohttpd's messages that come once a connection, as often as a
 * client likes: counted, and summed up by enforce_limits(), so that a
 * client retrying in a loop cannot flood the log. */
static const struct {
    const char *says, *summary;
} counted_messages[] = {
    { "reached connection limit", "refused over the limits (per address or in all)" },
    { "closed by remote side with incomplete request", "closed with a request half sent" },
};
#define N_COUNTED (sizeof counted_messages / sizeof *counted_messages)
static atomic_size_t counts_since_report[N_COUNTED];

static void log_from_libmicrohttpd(void *cls, const char *format, va_list args)
{
    (void)cls;
    for (size_t i = 0; i < N_COUNTED; i++)
        if (strstr(format, counted_messages[i].says)) {
            atomic_fetch_add(&counts_since_report[i], 1);
            return;
        }
    searchd_vlog(LOG_ERR, format, args);
}

/* Closes the connections past the header bound; logs that and the
 * counted messages since the last call. */
static void enforce_limits(long header_seconds)
{
    size_t closed = header_deadline_enforce();
    if (closed)
        searchd_log(LOG_INFO, "closed %zu connection%s that did not send a request's headers within %ld s",
                closed, closed == 1 ? "" : "s", header_seconds);
    for (size_t i = 0; i < N_COUNTED; i++) {
        size_t n = atomic_exchange(&counts_since_report[i], 0);
        if (n)
            searchd_log(LOG_INFO, "%zu connection%s %s", n, n == 1 ? "" : "s", counted_messages[i].summary);
    }
}

/* --trusted-proxy's addresses, freed at exit whichever way it comes. */
static searchd_proxies_t proxies;

static void free_proxies(void)
{
    searchd_proxies_free(&proxies);
}

/* The users of the password file at path (NULL: none), their decoy hash
 * made before the workers share the list; NULL, said with after_error
 * following the reason, when the file cannot be read.  Both at startup
 * and on SIGHUP. */
static tc_users_t *read_users(const char *path, const char *after_error)
{
    tc_users_t *users = NULL;
    char *message = NULL;
    if (tc_users_read(&users, path, &message) != TC_STATUS_SUCCESS) {
        searchd_log(LOG_ERR, "--users: %s%s", message ? message : "cannot read the password file", after_error);
        free(message);
        tc_users_free(users);
        return NULL;
    }
    tc_access_t ignored;
    tc_users_check(users, "", "", &ignored); /* makes the decoy hash before the workers share the list */
    return users;
}

/* SIGHUP: the password file read again (tracuu-passwd changed it), in
 * place of the list requests check against; a file that cannot be read
 * leaves the list as it was, and says so. */
static void reload_users(searchd_config_t *config, const char *path)
{
    tc_users_t *fresh = read_users(path, "; still using the users read before");
    if (!fresh)
        return;
    tc_users_free(searchd_users_swap(config, fresh));
    searchd_log(LOG_INFO, "read the users of %s again", path);
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        { "db", required_argument, NULL, 'd' },      { "bind", required_argument, NULL, 'b' },
        { "port", required_argument, NULL, 'p' },    { "threads", required_argument, NULL, 't' },
        { "header-timeout", required_argument, NULL, 'H' },
        { "max-per-address", required_argument, NULL, 'a' },
        { "access-log", required_argument, NULL, 'L' },
        { "base-path", required_argument, NULL, 'B' },
        { "trusted-proxy", required_argument, NULL, 'T' },
        { "cors-origin", required_argument, NULL, 'C' },
        { "anonymous", required_argument, NULL, 'A' },
        { "users", required_argument, NULL, 'U' },
        { "audit-log", required_argument, NULL, 'G' },
        { "audit-queries", required_argument, NULL, 'Q' },
        { "count-bound", required_argument, NULL, 'K' },
        { "help", no_argument, NULL, 'h' },          { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    long header_seconds = DEFAULT_HEADER_SECONDS, per_address = DEFAULT_PER_ADDRESS;
    const char *db = NULL, *bind_address = NULL, *port_text = NULL, *access_log = NULL, *anonymous = NULL;
    const char *users_path = NULL, *audit_log = NULL, *audit_queries = NULL;
    const char *base_path = NULL, *cors_origin = NULL;
    char *message = NULL;
    atexit(free_proxies);
    const char *count_bound_text = NULL;
    long port = 8080, threads = sysconf(_SC_NPROCESSORS_ONLN);
    if (threads < 1)
        threads = 1;
    int opt;
    while ((opt = getopt_long(argc, argv, "d:h", options, NULL)) != -1) {
        switch (opt) {
        case 'd': db = optarg; break;
        case 'b': bind_address = optarg; break;
        case 'p': port_text = optarg; break;
        case 't':
            if (read_number(&threads, "--threads", optarg, 1, 256) < 0)
                return 2;
            break;
        case 'H':
            if (read_number(&header_seconds, "--header-timeout", optarg, 1, 3600) < 0)
                return 2;
            break;
        case 'a':
            if (read_number(&per_address, "--max-per-address", optarg, 0, MAX_CONNECTIONS) < 0)
                return 2;
            break;
        case 'L': access_log = optarg; break;
        case 'A': anonymous = optarg; break;
        case 'U': users_path = optarg; break;
        case 'G': audit_log = optarg; break;
        case 'Q': audit_queries = optarg; break;
        case 'B': base_path = optarg; break;
        case 'C': cors_origin = optarg; break;
        case 'T':
            if (searchd_proxies_add(&proxies, optarg, &message) < 0) {
                searchd_log(LOG_ERR, "--trusted-proxy: %s", message ? message : "out of memory");
                free(message);
                return 2;
            }
            break;
        case 'K': count_bound_text = optarg; break;
        case 'h': usage(stdout); return 0;
        case 'V': printf("tracuu-searchd (tracuu) %s\n", TC_VERSION); return 0;
        default: usage(stderr); return 2;
        }
    }
    /* Flags first, then the configuration file, then the defaults. */
    static tc_config_t file_config; /* lives as long as the server */
    if (tc_config_read(&file_config, &message) != TC_STATUS_SUCCESS) {
        searchd_log(LOG_ERR, "%s", message ? message : "cannot read the configuration");
        free(message);
        return 2;
    }
    if (!db)
        db = file_config.index;
    if (!bind_address)
        bind_address = file_config.bind ? file_config.bind : "127.0.0.1";
    if (port_text) {
        if (read_number(&port, "--port", port_text, 0, 65535) < 0)
            return 2;
    } else if (file_config.port) {
        port = atol(file_config.port); /* checked by the configuration's reader */
    }
    if (!base_path)
        base_path = file_config.base_path;
    if (!cors_origin)
        cors_origin = file_config.cors_origin;
    int proxies_from_flags = proxies.n > 0;
    for (size_t i = 0; !proxies_from_flags && i < file_config.n_trusted_proxies; i++)
        if (searchd_proxies_add(&proxies, file_config.trusted_proxies[i], &message) < 0) {
            searchd_log(LOG_ERR, "%s: trusted-proxy: %s", file_config.path, message ? message : "out of memory");
            free(message);
            return 2;
        }
    char base[128];
    if (searchd_base_path(base, sizeof base, base_path) < 0) {
        searchd_log(LOG_ERR, "--base-path: \"%s\" is not a path (letters, digits and -._~/, at most 100 bytes)",
                    base_path);
        return 2;
    }
    if (cors_origin && (!*cors_origin || strpbrk(cors_origin, "\r\n"))) {
        searchd_log(LOG_ERR, "--cors-origin: \"%s\" is not an origin (https://host, or *)", cors_origin);
        return 2;
    }
    tc_access_t anonymous_level = TC_ACCESS_PUBLIC;
    if (!anonymous)
        anonymous = file_config.anonymous; /* checked by the configuration's reader */
    if (anonymous && tc_access_from_name(&anonymous_level, anonymous) < 0) {
        searchd_log(LOG_ERR, "--anonymous: \"%s\" is not a level (%s)", anonymous, TC_ACCESS_NAMES);
        return 2;
    }
    if (!users_path)
        users_path = file_config.users;
    if (!audit_log)
        audit_log = file_config.audit_log;
    if (!audit_queries)
        audit_queries = file_config.audit_queries;
    if (audit_queries && strcmp(audit_queries, "yes") != 0 && strcmp(audit_queries, "no") != 0) {
        searchd_log(LOG_ERR, "--audit-queries: \"%s\" is not yes or no", audit_queries);
        return 2;
    }
    static tc_users_t *users;
    if (!(users = read_users(users_path, "")))
        return 2;
    size_t count_bound = TC_COUNT_BOUND;
    if (!count_bound_text)
        count_bound_text = file_config.count_bound; /* checked by the configuration's reader */
    if (count_bound_text && tc_parse_count(&count_bound, count_bound_text, 1, TC_MAX_COUNT_BOUND) < 0) {
        searchd_log(LOG_ERR, "--count-bound: \"%s\" is not a number from 1 to %d", count_bound_text,
                    TC_MAX_COUNT_BOUND);
        return 2;
    }
    if (!db || optind != argc) {
        fputs(db ? "searchd: unexpected argument\n" : "searchd: --db DIR is required\n", stderr);
        usage(stderr);
        return 2;
    }

    struct addrinfo hints = { .ai_flags = AI_NUMERICHOST | AI_PASSIVE, .ai_socktype = SOCK_STREAM };
    struct addrinfo *address = NULL;
    int gai = getaddrinfo(bind_address, NULL, &hints, &address);
    if (gai != 0) {
        searchd_log(LOG_ERR, "--bind: \"%s\" is not an IP address (%s)", bind_address, gai_strerror(gai));
        return 2;
    }
    if (address->ai_family == AF_INET6)
        ((struct sockaddr_in6 *)address->ai_addr)->sin6_port = htons((uint16_t)port);
    else
        ((struct sockaddr_in *)address->ai_addr)->sin_port = htons((uint16_t)port);

    /* Say at once whether there is an index; serve 503 until there is. */
    tc_index_t *probe = NULL;
    size_t documents = 0;
    if (tc_index_open(&probe, db, TC_INDEX_READ) != TC_STATUS_SUCCESS ||
        tc_index_doc_count(&documents, probe) != TC_STATUS_SUCCESS)
        searchd_log(LOG_WARNING, "warning: %s; answering 503 until it exists", tc_index_last_error(probe));
    tc_index_close(probe);

    if (searchd_access_log_open(access_log) < 0) {
        searchd_log(LOG_ERR, "--access-log: cannot open %s: %s", access_log, strerror(errno));
        return 2;
    }
    if (searchd_audit_open(audit_log) < 0) {
        searchd_log(LOG_ERR, "--audit-log: cannot open %s: %s", audit_log, strerror(errno));
        return 2;
    }

    /* Workers inherit this mask, so only sigwait below sees the signals;
     * SIGHUP reopens the access log (after logrotate moved it). */
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    signal(SIGPIPE, SIG_IGN);

    MHD_set_panic_func(report_panic, NULL);
    searchd_handler_init();
    header_deadline_init((unsigned)header_seconds);
    unsigned max_connections = connection_limit(threads);
    searchd_config_t config = { .db_path = db,
                                .public_host = NULL,
                                .base_path = base,
                                .proxies = proxies,
                                .cors_origin = cors_origin,
                                .anonymous = anonymous_level,
                                .users = users,
                                .audit_queries = !audit_queries || strcmp(audit_queries, "yes") == 0,
                                .count_bound = count_bound };
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    if (address->ai_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    /* The logger comes first, to have libmicrohttpd's every message. */
    struct MHD_Daemon *daemon = MHD_start_daemon(
        flags, (uint16_t)port, NULL, NULL, searchd_handle, &config, MHD_OPTION_EXTERNAL_LOGGER, log_from_libmicrohttpd,
        NULL, MHD_OPTION_SOCK_ADDR, address->ai_addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads, MHD_OPTION_URI_LOG_CALLBACK, searchd_request_begins, NULL,
        MHD_OPTION_NOTIFY_COMPLETED, searchd_request_done, NULL, MHD_OPTION_NOTIFY_CONNECTION, header_deadline_track,
        NULL, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_TIMEOUT_SECONDS, MHD_OPTION_CONNECTION_LIMIT,
        max_connections, MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)per_address, MHD_OPTION_END);
    if (!daemon) {
        searchd_log(LOG_ERR, "cannot listen on %s port %ld: %s", bind_address, port,
                errno ? strerror(errno) : "libmicrohttpd refused to start");
        freeaddrinfo(address);
        return 2;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    unsigned actual_port = info ? info->port : (unsigned)port;
    char host[128];
    snprintf(host, sizeof host, address->ai_family == AF_INET6 ? "[%s]:%u" : "%s:%u", bind_address, actual_port);
    config.public_host = host;
    freeaddrinfo(address);
    printf("listening on http://%s\n", host);
    fflush(stdout);
    searchd_log(LOG_INFO, "serving %s with %ld threads (%zu dispatches)", db, threads, documents);
    searchd_log(LOG_INFO, "up to %u connections, %ld from one address, headers within %ld s", max_connections,
            per_address, header_seconds);
    if (max_connections < MAX_CONNECTIONS)
        searchd_log(LOG_WARNING, "warning: the descriptor limit allows %u connections, not %d", max_connections,
                MAX_CONNECTIONS);

    /* Waits for a stop signal, closing slow connections meanwhile. */
    const struct timespec sweep = { 0, SWEEP_MILLISECONDS * 1000L * 1000L };
    int sig;
    while ((sig = sigtimedwait(&stop_signals, NULL, &sweep)) < 0 || sig == SIGHUP) {
        if (sig == SIGHUP && searchd_access_log_reopen() < 0)
            searchd_log(LOG_ERR, "--access-log: cannot open %s again: %s; still writing to the old file", access_log,
                        strerror(errno));
        if (sig == SIGHUP && searchd_audit_reopen() < 0)
            searchd_log(LOG_ERR, "--audit-log: cannot open %s again: %s; still writing to the old file", audit_log,
                        strerror(errno));
        if (sig == SIGHUP && users_path)
            reload_users(&config, users_path);
        enforce_limits(header_seconds);
    }
    searchd_log(LOG_INFO, "%s, finishing requests in flight", sig == SIGINT ? "interrupted" : "terminated");

    /* Stop accepting, let the requests in flight finish, then stop: the
     * connections kept alive with nothing asked are closed with the
     * daemon, so that a stop takes as long as the slowest answer, not a
     * browser's idle keep-alive.  The listening socket is ours after
     * quiescing; it is closed only after the daemon is gone, so its number
     * cannot be reused under MHD meanwhile. */
    MHD_socket listener = MHD_quiesce_daemon(daemon);
    struct timespec deadline, now;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += DRAIN_SECONDS;
    for (;;) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (searchd_requests_in_flight() == 0 || now.tv_sec > deadline.tv_sec)
            break;
        enforce_limits(header_seconds);
        nanosleep(&(struct timespec){ 0, 20 * 1000 * 1000 }, NULL);
    }
    MHD_stop_daemon(daemon);
    if (listener != MHD_INVALID_SOCKET)
        close(listener);
    searchd_log(LOG_INFO, "stopped");
    tc_users_free(config.users);
    return 0;
}
