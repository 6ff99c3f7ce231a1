/* searchd's routes.  Every answer comes from lib/ and its one JSON
 * serializer; nothing here knows about Xapian or ICU, and no part of a
 * URL is ever opened as a file (the page is compiled in). */
#include "handler.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "assets.h"
#include "header_deadline.h"
#include "log.h"
#include "messages.h"
#include "tracuu.h"

#define MAX_PARAM_BYTES 200
/* Parameters a request may carry.  The API reads eleven; the rest leaves
 * room for what links pick up on the way (utm_source and the like) while
 * staying far below the few hundred at which libmicrohttpd's per-connection
 * memory (32 KiB) runs out, after which it neither answers nor closes. */
#define MAX_PARAMETERS 64
/* Bytes of a client's value shown back in an error: enough to recognise
 * it, short enough that a long value does not bury the reason. */
#define MAX_SHOWN_BYTES 40
#define MAX_PAGE 1000
#define MAX_PER_PAGE 100
#define SUGGESTIONS 10
#define ICAL_LIMIT 1000
#define GZIP_MIN_BYTES 512

/* The realm a browser asks a password for. */
#define REALM "tracuu"

typedef struct {
    struct timespec start;
    time_t arrived;          /* for the access log's time */
    char method[8];
    char *url;
    char *request_uri;       /* as requested, the query string with it (access log) */
    char version[16];
    char client[64];         /* the client's address, as text (access log, audit) */
    searchd_address_t client_address; /* the same, parsed once: meaningful when client_known */
    int client_known;        /* the peer was IPv4 or IPv6 (else client is "-") */
    char *referer, *agent;
    size_t bytes;            /* of the body sent */
    unsigned status;
    int headers_in;          /* searchd_handle has been called */
    int too_many_parameters; /* the query was cut before libmicrohttpd parsed it */
    tc_access_t level;       /* what the caller may see: every search of the request is held to it */
    char *user;              /* who signed in, or NULL */
    int via_proxy;           /* the peer is a trusted proxy: its X-Forwarded-* headers count */
    const char *cors_origin; /* an API answer's Access-Control-Allow-Origin, or NULL */
    struct stream *stream;   /* an answer sent as it is made, whose bytes the log counts */
    const char **repeated[3]; /* the values of a repeated issuer, doc_type, year (read_repeated) */
} request_t;

/* Xapian handles are not shared between threads: each worker opens its
 * own and closes it when the thread ends. */
static pthread_key_t index_key;
static pthread_once_t index_key_once = PTHREAD_ONCE_INIT;

static void close_thread_index(void *index)
{
    tc_index_close(index);
}

static void make_index_key(void)
{
    pthread_key_create(&index_key, close_thread_index);
}

void searchd_handler_init(void)
{
    pthread_once(&index_key_once, make_index_key);
}

/* This thread's index, brought to the newest committed revision. */
static tc_status_t thread_index(tc_index_t **out, const searchd_config_t *config)
{
    searchd_handler_init();
    tc_index_t *index = pthread_getspecific(index_key);
    tc_status_t status;
    if (!index) {
        status = tc_index_open(&index, config->db_path, TC_INDEX_READ);
        if (!index)
            return status;
        pthread_setspecific(index_key, index);
    } else {
        status = tc_index_refresh(index);
    }
    *out = index;
    return status;
}

/* ---- text from clients ------------------------------------------- */

static char *value_message(const char *name, const char *value, const char *reason)
{
    char *shown = tc_printable(value, MAX_SHOWN_BYTES), *message = NULL;
    if (!shown || asprintf(&message, "%s: \"%s\" %s", name, shown, reason) < 0)
        message = NULL;
    free(shown);
    return message;
}

/* ---- responses ---------------------------------------------------- */

/* The weight an Accept-Encoding element gives its coding: its q value
 * (RFC 9110 12.4.2: 0 to 1, 1 when not given), -1 when malformed. */
static double coding_weight(const char *params, size_t len)
{
    for (size_t i = 0; i < len;) {
        while (i < len && (params[i] == ';' || params[i] == ' ' || params[i] == '\t'))
            i++;
        if (i + 2 <= len && (params[i] == 'q' || params[i] == 'Q') && params[i + 1] == '=') {
            char value[8];
            size_t n = 0;
            for (i += 2; i < len && params[i] != ';' && n + 1 < sizeof value; i++)
                value[n++] = params[i];
            value[n] = '\0';
            char *end = NULL;
            double q = strtod(value, &end);
            return end != value && q >= 0 && q <= 1 ? q : -1;
        }
        while (i < len && params[i] != ';')
            i++;
    }
    return 1;
}

/* Whether the client takes gzip: "gzip" (or "x-gzip"), or "*" when gzip
 * is not named, with a weight above 0 ("gzip;q=0" refuses it). */
static int accepts_gzip(struct MHD_Connection *c)
{
    const char *accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING);
    double gzip = -1, any = -1;
    for (const char *p = accept; p && *p;) {
        size_t len = strcspn(p, ",");
        size_t skip = strspn(p, " \t"), name = strcspn(p + skip, ";, \t");
        double q = coding_weight(p + skip + name, len - skip - name);
        if ((name == 4 && strncasecmp(p + skip, "gzip", 4) == 0) || (name == 6 && strncasecmp(p + skip, "x-gzip", 6) == 0))
            gzip = q;
        else if (name == 1 && p[skip] == '*')
            any = q;
        p += len + (p[len] == ',');
    }
    return gzip > 0 || (gzip < 0 && any > 0);
}

static int compressible(const char *type)
{
    return strncmp(type, "text/", 5) == 0 || strstr(type, "json") || strstr(type, "xml") ||
           strstr(type, "javascript") || strstr(type, "svg");
}

/* gzip-compresses body into a malloc'd buffer; NULL when zlib fails. */
static unsigned char *gzip(const void *body, size_t len, size_t *out_len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    size_t cap = deflateBound(&z, (uLong)len);
    unsigned char *out = malloc(cap);
    if (out) {
        z.next_in = (Bytef *)body;
        z.avail_in = (uInt)len;
        z.next_out = out;
        z.avail_out = (uInt)cap;
        if (deflate(&z, Z_FINISH) == Z_STREAM_END) {
            *out_len = z.total_out;
        } else {
            free(out);
            out = NULL;
        }
    }
    deflateEnd(&z);
    return out;
}

static void add_headers(struct MHD_Response *response, const request_t *req, unsigned status, const char *type,
                        const char *cache_control, const char *etag, int gzipped);

/* Queues body (malloc'd, taken over when owned, else static) as the answer. */
static enum MHD_Result respond(struct MHD_Connection *c, request_t *req, unsigned status, const char *type,
                               void *body, size_t len, int owned, const char *cache_control, const char *etag)
{
    struct MHD_Response *response;
    int gzipped = 0;
    if (len >= GZIP_MIN_BYTES && compressible(type) && accepts_gzip(c)) {
        size_t packed_len = 0;
        unsigned char *packed = gzip(body, len, &packed_len);
        if (packed) {
            if (owned)
                free(body);
            body = packed;
            len = packed_len;
            owned = 1;
            gzipped = 1;
        }
    }
    response = MHD_create_response_from_buffer(len, body, owned ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!response) {
        if (owned)
            free(body);
        return MHD_NO;
    }
    add_headers(response, req, status, type, cache_control, etag, gzipped);
    req->status = status;
    req->bytes = len;
    enum MHD_Result queued = MHD_queue_response(c, status, response);
    MHD_destroy_response(response);
    return queued;
}

/* The headers of every answer of ours. */
static void add_headers(struct MHD_Response *response, const request_t *req, unsigned status, const char *type,
                        const char *cache_control, const char *etag, int gzipped)
{
    MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(response, MHD_HTTP_HEADER_CACHE_CONTROL, cache_control);
    MHD_add_response_header(response, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
    MHD_add_response_header(response, "X-Content-Type-Options", "nosniff");
    if (gzipped)
        MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
    if (etag)
        MHD_add_response_header(response, MHD_HTTP_HEADER_ETAG, etag);
    if (strncmp(type, "text/html", 9) == 0)
        MHD_add_response_header(response, "Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(response, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    /* An export is a file to keep, whatever opened it. */
    if (strncmp(type, "text/csv", 8) == 0)
        MHD_add_response_header(response, "Content-Disposition", "attachment; filename=\"cong-van.csv\"");
    if (req->cors_origin)
        MHD_add_response_header(response, MHD_HTTP_HEADER_ACCESS_CONTROL_ALLOW_ORIGIN, req->cors_origin);
}

static enum MHD_Result send_json(struct MHD_Connection *c, request_t *req, unsigned status, char *json)
{
    return respond(c, req, status, "application/json; charset=utf-8", json, strlen(json), 1, "no-cache", NULL);
}

/* {"error": message, "message": the same in Vietnamese}.  Every byte of
 * the message that is not UTF-8 is shown escaped, so that jansson, which
 * refuses such text, always has something to encode and the client
 * always gets its answer. */
static enum MHD_Result respond_error(struct MHD_Connection *c, request_t *req, unsigned status, const char *message)
{
    char *shown = tc_printable(message, SIZE_MAX);
    char *vietnamese = searchd_message_vi(shown ? shown : message, status);
    char *json = tc_error_to_json(shown ? shown : message, vietnamese);
    free(vietnamese);
    free(shown);
    if (!json)
        return MHD_NO;
    return send_json(c, req, status, json);
}

/* 400 saying message, which is malloc'd and freed here; NULL (out of
 * memory) says fallback instead. */
static enum MHD_Result respond_bad_request(struct MHD_Connection *c, request_t *req, char *message,
                                           const char *fallback)
{
    enum MHD_Result r = respond_error(c, req, MHD_HTTP_BAD_REQUEST, message ? message : fallback);
    free(message);
    return r;
}

/* json is NULL only when the serializer ran out of memory. */
static enum MHD_Result respond_json(struct MHD_Connection *c, request_t *req, unsigned status, char *json)
{
    if (!json)
        return respond_error(c, req, MHD_HTTP_INTERNAL_SERVER_ERROR, INTERNAL_ERROR_MESSAGE);
    return send_json(c, req, status, json);
}

static unsigned http_status_of(tc_status_t status)
{
    switch (status) {
    case TC_STATUS_BAD_QUERY: return MHD_HTTP_BAD_REQUEST;
    case TC_STATUS_NOT_FOUND: return MHD_HTTP_NOT_FOUND;
    case TC_STATUS_NO_INDEX: return MHD_HTTP_SERVICE_UNAVAILABLE;
    default: return MHD_HTTP_INTERNAL_SERVER_ERROR;
    }
}

static enum MHD_Result respond_lib_error(struct MHD_Connection *c, request_t *req, tc_status_t status,
                                         tc_index_t *index)
{
    const char *detail = tc_index_last_error(index);
    if (!*detail)
        detail = tc_status_to_string(status);
    unsigned http_status = http_status_of(status);
    if (http_status < 500) /* about the request: the client's to read */
        return respond_error(c, req, http_status, detail);
    /* About this server, its folders and files: the log's to keep. */
    searchd_log(LOG_ERR, "%s %s: %s", req->method, req->url ? req->url : "?", detail);
    return respond_error(c, req, http_status,
                         http_status == MHD_HTTP_SERVICE_UNAVAILABLE ? NO_INDEX_MESSAGE : INTERNAL_ERROR_MESSAGE);
}

/* ---- parameters --------------------------------------------------- */

static const char *param(struct MHD_Connection *c, const char *name)
{
    const char *value = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
    return value && *value ? value : NULL;
}

/* Reads a whole number in [min, max]; 0 on success, else *message says why. */
static int count_param(size_t *out, struct MHD_Connection *c, const char *name, size_t min, size_t max,
                       char **message)
{
    const char *value = param(c, name);
    if (!value)
        return 0;
    if (tc_parse_count(out, value, min, max) < 0) {
        char reason[64];
        snprintf(reason, sizeof reason, "is out of range (%zu to %zu)", min, max);
        *message = value_message(name, value, reason);
        return -1;
    }
    return 0;
}

/* 0 when each of the named parameters that is present is UTF-8, the only
 * text the library takes; else -1 with *message naming the first that is
 * not. */
static int check_utf8(struct MHD_Connection *c, const char *const *names, size_t n_names, char **message)
{
    for (size_t i = 0; i < n_names; i++) {
        const char *value = param(c, names[i]);
        if (value && !tc_is_utf8(value)) {
            *message = value_message(names[i], value, "is not valid UTF-8");
            return -1;
        }
    }
    return 0;
}

/* Fills a query from the request's parameters; on a bad one returns -1
 * with *message naming it. */
/* The values a facet parameter is given ("issuer=A&issuer=B"). */
typedef struct {
    const char *name;
    const char **values; /* NULL-terminated */
    size_t n;
    int failed;
} repeated_t;

static enum MHD_Result collect_repeated(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    repeated_t *r = cls;
    if (!key || strcmp(key, r->name) != 0 || !value || !*value)
        return MHD_YES;
    const char **grown = realloc(r->values, (r->n + 2) * sizeof *grown);
    if (!grown) {
        r->failed = 1;
        return MHD_NO;
    }
    r->values = grown;
    r->values[r->n++] = value;
    r->values[r->n] = NULL;
    return MHD_YES;
}

/* Several values of issuer, doc_type or year: any of them (OR), as
 * q->*_any, whose lists the request keeps until it is done.  -1 with
 * *message on a value that is not UTF-8 or too long. */
static int read_repeated(tc_query_t *q, struct MHD_Connection *c, request_t *req, char **message)
{
    static const char *const names[] = { "issuer", "doc_type", "year" };
    const char *const **slots[] = { &q->issuer_any, &q->doc_type_any, &q->year_any };
    const char **singles[] = { &q->issuer, &q->doc_type, &q->year };
    for (size_t i = 0; i < 3; i++) {
        repeated_t r = { .name = names[i] };
        MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_repeated, &r);
        if (r.failed) {
            free(r.values);
            *message = strdup("out of memory");
            return -1;
        }
        for (size_t k = 0; k < r.n; k++) {
            if (!tc_is_utf8(r.values[k]) || strlen(r.values[k]) > MAX_PARAM_BYTES) {
                *message = tc_is_utf8(r.values[k]) ? NULL : value_message(names[i], r.values[k], "is not valid UTF-8");
                if (!*message && asprintf(message, "%s: longer than %d bytes", names[i], MAX_PARAM_BYTES) < 0)
                    *message = NULL;
                free(r.values);
                return -1;
            }
        }
        if (r.n < 2) {
            free(r.values);
            continue;
        }
        *slots[i] = r.values;
        *singles[i] = NULL;
        req->repeated[i] = r.values;
    }
    return 0;
}

static int read_query(tc_query_t *q, struct MHD_Connection *c, request_t *req, const searchd_config_t *config,
                      char **message)
{
    static const char *const read_here[] = {
        "q", "issuer", "theme", "doc_type", "year", "deadline_from", "deadline_to", "date_from", "date_to", "due",
        "due_days",
        "sort", "page", "per_page", "facet_values", "as_typed", "count_bound", "exact",
    };
    if (check_utf8(c, read_here, sizeof read_here / sizeof *read_here, message) < 0)
        return -1;
    static const char *const text_params[] = { "issuer", "theme", "doc_type", "year", "deadline_from", "deadline_to",
                                               "date_from", "date_to", "due" };
    for (size_t i = 0; i < sizeof text_params / sizeof *text_params; i++) {
        const char *value = param(c, text_params[i]);
        if (value && strlen(value) > MAX_PARAM_BYTES) {
            if (asprintf(message, "%s: longer than %d bytes", text_params[i], MAX_PARAM_BYTES) < 0)
                *message = NULL;
            return -1;
        }
    }
    *q = (tc_query_t)TC_QUERY_INIT;
    q->words = param(c, "q");
    q->issuer = param(c, "issuer");
    q->theme = param(c, "theme");
    q->doc_type = param(c, "doc_type");
    q->year = param(c, "year");
    q->deadline_from = param(c, "deadline_from");
    q->deadline_to = param(c, "deadline_to");
    q->date_from = param(c, "date_from");
    q->date_to = param(c, "date_to");
    q->due = param(c, "due");
    const char *sort = param(c, "sort");
    if (sort && tc_sort_from_name(&q->sort, sort) < 0) {
        *message = value_message("sort", sort, "is not " TC_SORT_NAMES);
        return -1;
    }
    size_t page = 1, per_page = TC_DEFAULT_LIMIT, exact = 0, as_typed = 0;
    q->count_bound = config->count_bound;
    if (count_param(&page, c, "page", 1, MAX_PAGE, message) < 0 ||
        count_param(&q->count_bound, c, "count_bound", 1, TC_MAX_COUNT_BOUND, message) < 0 ||
        count_param(&exact, c, "exact", 0, 1, message) < 0 || count_param(&as_typed, c, "as_typed", 0, 1, message) < 0 ||
        count_param(&per_page, c, "per_page", 1, MAX_PER_PAGE, message) < 0 ||
        count_param(&q->facet_values, c, "facet_values", 1, TC_MAX_FACET_VALUES, message) < 0 ||
        count_param(&q->due_days, c, "due_days", 1, TC_MAX_DUE_DAYS, message) < 0)
        return -1;
    q->exact = (int)exact;
    q->as_typed = (int)as_typed;
    q->offset = (page - 1) * per_page;
    q->limit = per_page;
    return read_repeated(q, c, req, message);
}

/* ---- the audit log ------------------------------------------------- */

/* A search in the audit log: its query string, or "-" when the
 * configuration keeps queries out of it. */
static void audit_search(const request_t *req, const searchd_config_t *config, const char *action)
{
    if (!searchd_audit_is_open())
        return;
    const char *query = req->request_uri ? strchr(req->request_uri, '?') : NULL;
    searchd_audit(req->user, req->client, action, config->audit_queries && query ? query + 1 : NULL);
}

static void audit_exported(const tc_doc_t *doc, void *arg)
{
    const request_t *req = arg;
    searchd_audit(req->user, req->client, "export", doc->id);
}

/* ---- who is asking -------------------------------------------------- */

/* 401 asking the browser for a user name and password, with body
 * (malloc'd, taken over; NULL: out of memory) of type; a browser drops
 * credentials it had cached for the realm when they get this answer. */
static enum MHD_Result respond_challenge(struct MHD_Connection *c, request_t *req, const char *type, char *body)
{
    if (!body)
        return MHD_NO;
    size_t len = strlen(body);
    struct MHD_Response *response = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (!response) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(response, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    MHD_add_response_header(response, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                            "Basic realm=\"" REALM "\", charset=\"UTF-8\"");
    req->status = MHD_HTTP_UNAUTHORIZED;
    req->bytes = len;
    enum MHD_Result queued = MHD_queue_response(c, MHD_HTTP_UNAUTHORIZED, response);
    MHD_destroy_response(response);
    return queued;
}

static enum MHD_Result respond_sign_in(struct MHD_Connection *c, request_t *req, const char *message)
{
    char *vietnamese = searchd_message_vi(message, MHD_HTTP_UNAUTHORIZED);
    char *json = tc_error_to_json(message, vietnamese);
    free(vietnamese);
    return respond_challenge(c, req, "application/json; charset=utf-8", json);
}

/* Signing out of HTTP Basic is the browser's: an answer refusing the
 * credentials it sent makes it forget them (it may ask for others: a
 * Cancel then shows this page). */
#define SIGNED_OUT_PAGE                                                                                              \
    "<!doctype html>\n<html lang=\"vi\"><meta charset=\"utf-8\"><title>Đã đăng xuất</title>\n"                     \
    "<p>Đã đăng xuất. Nếu trình duyệt hỏi mật khẩu, hãy bấm Hủy.</p>\n<p><a href=\"./\">Về trang tra cứu</a></p>\n"

static enum MHD_Result route_signout(struct MHD_Connection *c, request_t *req)
{
    return respond_challenge(c, req, "text/html; charset=utf-8", strdup(SIGNED_OUT_PAGE));
}

/* The password file's users: requests read them under the shared lock,
 * SIGHUP puts a list read again in their place under the exclusive one. */
static pthread_rwlock_t users_lock = PTHREAD_RWLOCK_INITIALIZER;

tc_users_t *searchd_users_swap(searchd_config_t *config, tc_users_t *fresh)
{
    pthread_rwlock_wrlock(&users_lock);
    tc_users_t *old = config->users;
    config->users = fresh;
    pthread_rwlock_unlock(&users_lock);
    return old;
}

/* Sets req->user and req->level: a user a trusted proxy names in
 * X-Remote-User, one who signed in with HTTP Basic from this machine, or
 * nobody (the anonymous level).  0 to go on, or -1 with *answered set
 * when the request was answered (refused) here. */
static int identify(struct MHD_Connection *c, request_t *req, const searchd_config_t *config,
                    enum MHD_Result *answered)
{
    req->level = config->anonymous;
    /* Believed from a --trusted-proxy peer (req->via_proxy); from anyone
     * else the header is a forgery, and ignored. */
    const char *proxied = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Remote-User");
    if (proxied && req->via_proxy) {
        tc_access_t level;
        pthread_rwlock_rdlock(&users_lock);
        int known = tc_users_level(config->users, proxied, &level);
        pthread_rwlock_unlock(&users_lock);
        if (known < 0) {
            char *message = value_message("X-Remote-User", proxied, "is not a user of this server");
            *answered = respond_error(c, req, MHD_HTTP_FORBIDDEN, message ? message : "unknown user");
            free(message);
            return -1;
        }
        req->user = strdup(proxied);
        req->level = level;
        return 0;
    }
    const char *authorization = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!authorization || strncasecmp(authorization, "Basic ", 6) != 0)
        return 0;
    if (!req->client_known || !searchd_address_is_loopback(&req->client_address)) {
        *answered = respond_error(c, req, MHD_HTTP_FORBIDDEN, BASIC_NEEDS_LOOPBACK_MESSAGE);
        return -1;
    }
    time_t now = time(NULL);
    unsigned wait = searchd_signin_wait(&req->client_address, now);
    if (wait) {
        char message[160];
        snprintf(message, sizeof message, "too many wrong passwords from this address; try again in %u s", wait);
        *answered = respond_error(c, req, MHD_HTTP_TOO_MANY_REQUESTS, message);
        return -1;
    }
    char *password = NULL;
    char *name = MHD_basic_auth_get_username_password(c, &password);
    tc_access_t level = TC_ACCESS_PUBLIC;
    pthread_rwlock_rdlock(&users_lock);
    int right = name && password && tc_users_check(config->users, name, password, &level);
    pthread_rwlock_unlock(&users_lock);
    if (password) {
        explicit_bzero(password, strlen(password));
        MHD_free(password);
    }
    if (!right) {
        searchd_signin_failed(&req->client_address, now);
        if (name)
            MHD_free(name);
        *answered = respond_sign_in(c, req, WRONG_PASSWORD_MESSAGE);
        return -1;
    }
    req->user = strdup(name);
    req->level = level;
    MHD_free(name);
    return 0;
}

/* {user, level}: who the page is shown to (user null: nobody signed in). */
static enum MHD_Result route_whoami(struct MHD_Connection *c, request_t *req)
{
    return respond_json(c, req, MHD_HTTP_OK, tc_whoami_to_json(req->user, req->level));
}

/* The browser asks for a password here (the page's sign-in link), and
 * goes back to the page once it has one. */
static enum MHD_Result route_signin(struct MHD_Connection *c, request_t *req)
{
    if (req->user) {
        struct MHD_Response *response = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        if (!response)
            return MHD_NO;
        /* Relative: the page's own place, under a proxy's prefix too. */
        MHD_add_response_header(response, MHD_HTTP_HEADER_LOCATION, "./");
        MHD_add_response_header(response, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
        req->status = MHD_HTTP_SEE_OTHER;
        enum MHD_Result queued = MHD_queue_response(c, MHD_HTTP_SEE_OTHER, response);
        MHD_destroy_response(response);
        return queued;
    }
    if (!req->client_known || !searchd_address_is_loopback(&req->client_address))
        return respond_error(c, req, MHD_HTTP_FORBIDDEN, BASIC_NEEDS_LOOPBACK_MESSAGE);
    return respond_sign_in(c, req, SIGN_IN_MESSAGE);
}

/* ---- routes --------------------------------------------------------- */

static enum MHD_Result route_search(struct MHD_Connection *c, request_t *req, const searchd_config_t *config,
                                    int as_ical)
{
    tc_query_t q;
    char *message = NULL;
    if (read_query(&q, c, req, config, &message) < 0)
        return respond_bad_request(c, req, message, "bad parameter");
    tc_index_t *index = NULL;
    tc_results_t *results = NULL;
    tc_status_t status = thread_index(&index, config);
    if (status == TC_STATUS_SUCCESS) {
        if (as_ical) {
            q.offset = 0;
            q.limit = ICAL_LIMIT;
            q.without_snippets = 1;
        }
        q.level = req->level;
        status = tc_search(&results, index, &q);
    }
    if (status != TC_STATUS_SUCCESS)
        return respond_lib_error(c, req, status, index);
    audit_search(req, config, as_ical ? "calendar-search" : "search");
    if (as_ical) /* each dispatch the feed shows */
        for (size_t i = 0; i < results->n_hits; i++)
            searchd_audit(req->user, req->client, "calendar", results->hits[i].doc->id);
    enum MHD_Result r;
    if (as_ical) {
        char page[512];
        searchd_public_url(page, sizeof page, c, req->via_proxy, config->public_host, config->base_path);
        char *ical = tc_results_to_ical(results, q.deadline_from, q.deadline_to, page);
        r = ical ? respond(c, req, MHD_HTTP_OK, "text/calendar; charset=utf-8", ical, strlen(ical), 1, "no-cache", NULL)
                 : respond_error(c, req, MHD_HTTP_INTERNAL_SERVER_ERROR, INTERNAL_ERROR_MESSAGE);
    } else {
        r = respond_json(c, req, MHD_HTTP_OK, tc_results_to_json(results));
    }
    tc_results_free(results);
    return r;
}

/* An export sent as it is made, a page of hits (1,000 rows) at a time,
 * so that an archive of any size is never held in memory whole.  It has
 * an index handle of its own: the worker's searches in between refresh
 * theirs to newer revisions, and the pages of one export must come from
 * one.  Held by the response, which reads it, and by the request, which
 * logs its bytes; the last to let go frees it. */
struct stream {
    atomic_int holders;
    tc_index_t *index;
    tc_export_t *cursor;
    char *part; /* made and not yet all sent */
    size_t part_len, part_sent;
    int done;
    atomic_size_t bytes;
};

/* Bytes handed to libmicrohttpd at a time (its buffer for the answer). */
#define STREAM_BLOCK (64 * 1024)

static void stream_release(void *cls)
{
    struct stream *st = cls;
    if (!st || atomic_fetch_sub(&st->holders, 1) != 1)
        return;
    tc_export_free(st->cursor);
    tc_index_close(st->index);
    free(st->part);
    free(st);
}

/* The next page of the export into st->part. */
static tc_status_t stream_fill(struct stream *st)
{
    free(st->part);
    st->part = NULL;
    st->part_len = st->part_sent = 0;
    FILE *out = open_memstream(&st->part, &st->part_len);
    if (!out)
        return TC_STATUS_OUT_OF_MEMORY;
    tc_status_t status = tc_export_next(st->cursor, out, &st->done);
    if (fclose(out) != 0 && status == TC_STATUS_SUCCESS)
        status = TC_STATUS_OUT_OF_MEMORY;
    return status;
}

static ssize_t stream_read(void *cls, uint64_t position, char *buffer, size_t max)
{
    (void)position;
    struct stream *st = cls;
    while (st->part_sent == st->part_len) {
        if (st->done)
            return MHD_CONTENT_READER_END_OF_STREAM;
        tc_status_t status = stream_fill(st);
        if (status != TC_STATUS_SUCCESS) {
            /* The status line is gone: all that is left is to cut the
             * answer short, which the client sees as a broken download. */
            searchd_log(LOG_ERR, "export cut after %zu rows: %s", tc_export_rows(st->cursor),
                        *tc_index_last_error(st->index) ? tc_index_last_error(st->index) : tc_status_to_string(status));
            return MHD_CONTENT_READER_END_WITH_ERROR;
        }
    }
    size_t n = st->part_len - st->part_sent < max ? st->part_len - st->part_sent : max;
    memcpy(buffer, st->part + st->part_sent, n);
    st->part_sent += n;
    atomic_fetch_add(&st->bytes, n);
    return (ssize_t)n;
}

/* Every dispatch the search matches as CSV (tc_export), page and
 * per_page aside, sent as it is made.  The first page is made before the
 * answer is queued, so that a bad query or a missing index still get
 * their status. */
static enum MHD_Result route_export(struct MHD_Connection *c, request_t *req, const searchd_config_t *config)
{
    tc_query_t q;
    char *message = NULL;
    if (read_query(&q, c, req, config, &message) < 0)
        return respond_bad_request(c, req, message, "bad parameter");
    struct stream *st = calloc(1, sizeof *st);
    if (!st)
        return respond_error(c, req, MHD_HTTP_INTERNAL_SERVER_ERROR, INTERNAL_ERROR_MESSAGE);
    atomic_init(&st->holders, 1);
    q.level = req->level;
    tc_status_t status = tc_index_open(&st->index, config->db_path, TC_INDEX_READ);
    if (status == TC_STATUS_SUCCESS) {
        audit_search(req, config, "export-search");
        status = tc_export_begin(&st->cursor, st->index, &q, TC_EXPORT_CSV);
    }
    if (status == TC_STATUS_SUCCESS) {
        /* One audit line a row sent; the request outlives its answer. */
        tc_export_on_row(st->cursor, audit_exported, req);
        status = stream_fill(st);
    }
    if (status != TC_STATUS_SUCCESS) {
        enum MHD_Result r = respond_lib_error(c, req, status, st->index);
        stream_release(st);
        return r;
    }
    struct MHD_Response *response =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, STREAM_BLOCK, stream_read, st, stream_release);
    if (!response) {
        stream_release(st);
        return MHD_NO;
    }
    add_headers(response, req, MHD_HTTP_OK, "text/csv; charset=utf-8", "no-cache", NULL, 0);
    atomic_fetch_add(&st->holders, 1); /* the request's hold, for the log */
    req->stream = st;
    req->status = MHD_HTTP_OK;
    enum MHD_Result queued = MHD_queue_response(c, MHD_HTTP_OK, response);
    MHD_destroy_response(response);
    return queued;
}

static enum MHD_Result route_doc(struct MHD_Connection *c, request_t *req, const searchd_config_t *config,
                                 const char *id)
{
    if (!*id || strlen(id) > MAX_PARAM_BYTES)
        return respond_error(c, req, MHD_HTTP_NOT_FOUND, "no dispatch with that id");
    if (!tc_is_utf8(id))
        return respond_bad_request(c, req, value_message("id", id, "is not valid UTF-8"), "id: not valid UTF-8");
    tc_index_t *index = NULL;
    tc_doc_page_t *page = NULL;
    tc_status_t status = thread_index(&index, config);
    if (status == TC_STATUS_SUCCESS)
        status = tc_doc_page_get(&page, index, id, req->level);
    if (status != TC_STATUS_SUCCESS)
        return respond_lib_error(c, req, status, index);
    searchd_audit(req->user, req->client, "open", page->doc->id);
    enum MHD_Result r = respond_json(c, req, MHD_HTTP_OK, tc_doc_page_to_json(page));
    tc_doc_page_free(page);
    return r;
}

/* The Content-Type of an original file, by what the indexer found it to
 * be; a gzipped original is sent as the gzip file it is. */
static const char *original_type(const tc_doc_t *doc, int gzipped)
{
    static const struct {
        const char *format, *type;
    } types[] = {
        { "pdf", "application/pdf" },
        { "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
        { "odt", "application/vnd.oasis.opendocument.text" },
        { "doc", "application/msword" },
        { "rtf", "application/rtf" },
        { "html", "text/html" },
    };
    if (gzipped)
        return "application/gzip";
    for (size_t i = 0; doc->source_format && i < sizeof types / sizeof *types; i++)
        if (strcmp(doc->source_format, types[i].format) == 0)
            return types[i].type;
    /* Plain text: the charset is named only when it is one a browser knows. */
    return doc->source_encoding && strcmp(doc->source_encoding, "UTF-8") != 0 ? "text/plain"
                                                                             : "text/plain; charset=utf-8";
}

/* Content-Disposition for a file of that name (RFC 6266): an ASCII
 * fallback for old clients, and the name itself percent-encoded in
 * UTF-8.  malloc'd. */
static char *attachment_header(const char *name)
{
    size_t len = strlen(name);
    char *ascii = malloc(len + 1), *encoded = malloc(3 * len + 1);
    char *header = NULL;
    if (ascii && encoded) {
        size_t e = 0;
        for (size_t i = 0; i < len; i++) {
            unsigned char b = (unsigned char)name[i];
            ascii[i] = b < 0x20 || b >= 0x7F || b == '"' || b == '\\' ? '_' : (char)b;
            if (isalnum(b) || strchr("!#$&+-.^_`|~", b))
                encoded[e++] = (char)b;
            else
                e += (size_t)sprintf(encoded + e, "%%%02X", b);
        }
        ascii[len] = '\0';
        encoded[e] = '\0';
        if (asprintf(&header, "attachment; filename=\"%s\"; filename*=UTF-8''%s", ascii, encoded) < 0)
            header = NULL;
    }
    free(ascii);
    free(encoded);
    return header;
}

/* The file the indexer read for a dispatch, looked up by id alone through
 * the same lookup as /api/doc/{id} (what may not be shown there cannot be
 * downloaded here): the URL never names a path. */
static enum MHD_Result route_original(struct MHD_Connection *c, request_t *req, tc_doc_page_t *page)
{
    const tc_doc_t *doc = page->doc;
    int fd = doc->path ? open(doc->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK) : -1;
    struct stat st;
    if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
        close(fd);
        fd = -1;
    }
    if (fd < 0) {
        tc_doc_page_free(page);
        return respond_error(c, req, MHD_HTTP_NOT_FOUND, "the original file of this dispatch is no longer on the server");
    }
    searchd_audit(req->user, req->client, "original", doc->id);
    unsigned char magic[2] = { 0 };
    int gzipped = pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
    const char *base = strrchr(doc->path, '/');
    char *disposition = attachment_header(base ? base + 1 : doc->path);
    const char *type = original_type(doc, gzipped);
    tc_doc_page_free(page);
    struct MHD_Response *response = disposition ? MHD_create_response_from_fd((uint64_t)st.st_size, fd) : NULL;
    if (!response) {
        close(fd);
        free(disposition);
        return MHD_NO;
    }
    MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(response, "Content-Disposition", disposition);
    MHD_add_response_header(response, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    MHD_add_response_header(response, "X-Content-Type-Options", "nosniff");
    /* An HTML original is the office's file, not this site's page: never
     * run as part of it. */
    MHD_add_response_header(response, "Content-Security-Policy", "sandbox");
    free(disposition);
    req->status = MHD_HTTP_OK;
    req->bytes = (size_t)st.st_size;
    enum MHD_Result queued = MHD_queue_response(c, MHD_HTTP_OK, response);
    MHD_destroy_response(response);
    return queued;
}

/* /api/doc/{id}/original: the original of dispatch {id}; the id of a
 * dispatch that is itself named ".../original" still reaches
 * /api/doc/{id}. */
static enum MHD_Result route_doc_or_original(struct MHD_Connection *c, request_t *req,
                                             const searchd_config_t *config, const char *rest)
{
    static const char suffix[] = "/original";
    size_t len = strlen(rest), n = sizeof suffix - 1;
    if (len <= n || strcmp(rest + len - n, suffix) != 0 || len - n > MAX_PARAM_BYTES)
        return route_doc(c, req, config, rest);
    char *id = strndup(rest, len - n);
    if (!id)
        return MHD_NO;
    tc_index_t *index = NULL;
    tc_doc_page_t *page = NULL;
    tc_status_t status = tc_is_utf8(id) ? thread_index(&index, config) : TC_STATUS_NOT_FOUND;
    if (status == TC_STATUS_SUCCESS)
        status = tc_doc_page_get(&page, index, id, req->level);
    free(id);
    if (status == TC_STATUS_NOT_FOUND)
        return route_doc(c, req, config, rest);
    if (status != TC_STATUS_SUCCESS)
        return respond_lib_error(c, req, status, index);
    return route_original(c, req, page);
}

static enum MHD_Result route_suggest(struct MHD_Connection *c, request_t *req, const searchd_config_t *config)
{
    static const char *const read_here[] = { "q" };
    char *message = NULL;
    if (check_utf8(c, read_here, 1, &message) < 0)
        return respond_bad_request(c, req, message, "q: not valid UTF-8");
    const char *typed = param(c, "q");
    if (typed && strlen(typed) > MAX_PARAM_BYTES)
        return respond_error(c, req, MHD_HTTP_BAD_REQUEST, "q: longer than 200 bytes");
    tc_index_t *index = NULL;
    tc_suggestions_t suggestions = { 0 };
    tc_status_t status = thread_index(&index, config);
    if (status == TC_STATUS_SUCCESS)
        status = tc_suggest(&suggestions, index, typed ? typed : "", SUGGESTIONS, req->level);
    if (status != TC_STATUS_SUCCESS)
        return respond_lib_error(c, req, status, index);
    enum MHD_Result r = respond_json(c, req, MHD_HTTP_OK, tc_suggestions_to_json(&suggestions));
    tc_suggestions_clear(&suggestions);
    return r;
}

static enum MHD_Result route_health(struct MHD_Connection *c, request_t *req, const searchd_config_t *config)
{
    tc_index_t *index = NULL;
    unsigned long revision = 0;
    size_t documents = 0;
    tc_status_t status = thread_index(&index, config);
    if (status == TC_STATUS_SUCCESS)
        status = tc_index_revision(&revision, index);
    if (status == TC_STATUS_SUCCESS)
        status = tc_index_visible_count(&documents, index, req->level);
    if (status != TC_STATUS_SUCCESS)
        return respond_lib_error(c, req, status, index);
    char *body = tc_health_to_json(revision, documents);
    if (!body)
        return MHD_NO;
    return respond_json(c, req, MHD_HTTP_OK, body);
}

static enum MHD_Result route_opensearch(struct MHD_Connection *c, request_t *req, const searchd_config_t *config)
{
    char page[512];
    searchd_public_url(page, sizeof page, c, req->via_proxy, config->public_host, config->base_path);
    char *body = NULL;
    if (asprintf(&body,
                 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<OpenSearchDescription xmlns=\"http://a9.com/-/spec/opensearch/1.1/\">\n"
                 "  <ShortName>Tra cứu công văn</ShortName>\n"
                 "  <Description>Tìm công văn theo nội dung, cơ quan ban hành, năm, chủ đề và hạn</Description>\n"
                 "  <InputEncoding>UTF-8</InputEncoding>\n"
                 "  <Language>vi</Language>\n"
                 "  <Url type=\"text/html\" method=\"get\" template=\"%s?q={searchTerms}\"/>\n"
                 "  <Url type=\"application/json\" method=\"get\" "
                 "template=\"%sapi/search?q={searchTerms}&amp;page={startPage?}\"/>\n"
                 "</OpenSearchDescription>\n",
                 page, page) < 0)
        return MHD_NO;
    return respond(c, req, MHD_HTTP_OK, "application/opensearchdescription+xml; charset=utf-8", body, strlen(body), 1,
                   "public, max-age=3600", NULL);
}

/* Whether an If-None-Match value names etag: "*", or a list of entity
 * tags, weak ones (W/"...") compared weakly as RFC 9110 13.1.2 asks. */
static int etag_listed(const char *if_none_match, const char *etag)
{
    size_t etag_len = strlen(etag);
    for (const char *p = if_none_match; *p;) {
        p += strspn(p, " \t,");
        if (*p == '*')
            return 1;
        if (strncmp(p, "W/", 2) == 0)
            p += 2;
        if (*p != '"')
            return 0; /* malformed: nothing matches */
        const char *close = strchr(p + 1, '"');
        if (!close)
            return 0;
        if ((size_t)(close + 1 - p) == etag_len && strncmp(p, etag, etag_len) == 0)
            return 1;
        p = close + 1;
    }
    return 0;
}

static enum MHD_Result route_asset(struct MHD_Connection *c, request_t *req, const char *url)
{
    const char *path = strcmp(url, "/") == 0 ? "/index.html" : url;
    for (size_t i = 0; i < searchd_n_assets; i++) {
        const searchd_asset_t *a = &searchd_assets[i];
        if (strcmp(a->path, path) != 0)
            continue;
        const char *if_none = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
        if (if_none && etag_listed(if_none, a->etag))
            return respond(c, req, MHD_HTTP_NOT_MODIFIED, a->content_type, (void *)"", 0, 0, "no-cache", a->etag);
        /* The page itself is revalidated each time; its assets for an hour. */
        return respond(c, req, MHD_HTTP_OK, a->content_type, (void *)a->data, a->size, 0,
                       strcmp(path, "/index.html") == 0 ? "no-cache" : "public, max-age=3600", a->etag);
    }
    return respond_error(c, req, MHD_HTTP_NOT_FOUND, "no such page");
}

/* BASE without its slash: 301 to BASE/, the query kept, as a relative
 * reference (RFC 9110 10.2.2) so that a proxy's scheme and host stay. */
static enum MHD_Result redirect_to_base(struct MHD_Connection *c, request_t *req, const searchd_config_t *config)
{
    const char *query = req->request_uri ? strchr(req->request_uri, '?') : NULL;
    char *location = NULL;
    if (asprintf(&location, "%s/%s", config->base_path, query ? query : "") < 0)
        return MHD_NO;
    struct MHD_Response *response = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!response) {
        free(location);
        return MHD_NO;
    }
    MHD_add_response_header(response, MHD_HTTP_HEADER_LOCATION, location);
    free(location);
    req->status = MHD_HTTP_MOVED_PERMANENTLY;
    req->bytes = 0;
    enum MHD_Result queued = MHD_queue_response(c, MHD_HTTP_MOVED_PERMANENTLY, response);
    MHD_destroy_response(response);
    return queued;
}

/* Whether a body follows the request's headers. */
static int announces_body(struct MHD_Connection *c)
{
    const char *length = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    return MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING) ||
           (length && strspn(length, "0") != strlen(length));
}

/* Requests begun and not yet done: a stop waits for these, not for
 * connections kept alive with nothing asked. */
static atomic_uint requests_in_flight;

unsigned searchd_requests_in_flight(void)
{
    return atomic_load(&requests_in_flight);
}

static request_t *new_request(void)
{
    request_t *req = calloc(1, sizeof *req);
    if (!req)
        return NULL;
    clock_gettime(CLOCK_MONOTONIC, &req->start);
    req->arrived = time(NULL);
    atomic_fetch_add(&requests_in_flight, 1);
    return req;
}

void *searchd_request_begins(void *cls, const char *uri, struct MHD_Connection *connection)
{
    (void)cls;
    (void)connection;
    request_t *req = new_request();
    if (!req)
        return NULL;
    req->request_uri = strdup(uri); /* before the query is cut below, as the client sent it */
    char *query = (char *)strchr(uri, '?'); /* libmicrohttpd's own buffer: see below */
    if (query) {
        size_t parameters = 1;
        for (const char *p = query + 1; *p; p++)
            parameters += *p == '&';
        if (parameters > MAX_PARAMETERS) {
            /* libmicrohttpd splits the query into parameters right after
             * this call, in memory that runs out at a few hundred of them
             * and leaves the connection hanging.  This callback is where
             * its manual has "the URI (including the options)" processed
             * before it is parsed: ended here, the query leaves nothing to
             * split and searchd_handle answers 400. */
            query[1] = '\0';
            req->too_many_parameters = 1;
        }
    }
    return req;
}

enum MHD_Result searchd_handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                               const char *version, const char *upload_data, size_t *upload_data_size,
                               void **req_cls)
{
    (void)version;
    (void)upload_data;
    const searchd_config_t *config = cls;
    request_t *req = *req_cls;
    if (!req) { /* searchd_request_begins ran out of memory */
        if (!(req = new_request()))
            return MHD_NO;
        *req_cls = req;
    }
    if (!req->headers_in) { /* the first call: the headers are all in */
        req->headers_in = 1;
        header_deadline_met(c);
        snprintf(req->method, sizeof req->method, "%s", method);
        snprintf(req->version, sizeof req->version, "%s", version ? version : "");
        const char *referer = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_REFERER);
        const char *agent = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_USER_AGENT);
        req->referer = referer ? strdup(referer) : NULL;
        req->agent = agent ? strdup(agent) : NULL;
        const union MHD_ConnectionInfo *peer = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        req->client_known = peer && searchd_address_of_peer(&req->client_address, peer->client_addr) == 0;
        if (req->client_known)
            searchd_address_format(&req->client_address, req->client, sizeof req->client);
        else
            snprintf(req->client, sizeof req->client, "-");
        /* Behind a trusted proxy the client is the one it forwards for,
         * in the access log too. */
        if (req->client_known && searchd_proxies_trust(&config->proxies, &req->client_address)) {
            req->via_proxy = 1;
            searchd_forwarded_client(&config->proxies, c, &req->client_address, req->client, sizeof req->client);
        }
        /* Logged later: control characters from the URL must not forge lines. */
        if ((req->url = strdup(url)))
            for (char *p = req->url; *p; p++)
                if ((unsigned char)*p < 0x20 || *p == 0x7f)
                    *p = '?';
        /* An answer queued now makes libmicrohttpd close the connection
         * after it, so it waits for the next call, unless a body follows:
         * none is ever needed, and answered now, its body is skipped and
         * cannot hold the connection however slowly it comes. */
        if (!announces_body(c))
            return MHD_YES;
    } else if (*upload_data_size) { /* not reached: a body is answered before it */
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (req->too_many_parameters) {
        char message[64];
        snprintf(message, sizeof message, "too many parameters (at most %d)", MAX_PARAMETERS);
        return respond_error(c, req, MHD_HTTP_BAD_REQUEST, message);
    }
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
        return respond_error(c, req, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD are served");
    enum MHD_Result answered;
    if (identify(c, req, config, &answered) < 0)
        return answered;

    /* Under --base-path the page is at BASE/; a proxy may pass the prefix
     * on or strip it, and either way the same page answers. */
    size_t base_len = strlen(config->base_path);
    if (base_len && strncmp(url, config->base_path, base_len) == 0) {
        if (!url[base_len])
            return redirect_to_base(c, req, config);
        if (url[base_len] == '/')
            url += base_len;
    }
    if (strncmp(url, "/api/", 5) == 0)
        req->cors_origin = config->cors_origin;

    if (strcmp(url, "/api/search") == 0)
        return route_search(c, req, config, 0);
    if (strcmp(url, "/api/deadlines.ics") == 0)
        return route_search(c, req, config, 1);
    if (strcmp(url, "/api/search.csv") == 0)
        return route_export(c, req, config);
    if (strncmp(url, "/api/doc/", 9) == 0)
        return route_doc_or_original(c, req, config, url + 9);
    if (strcmp(url, "/api/suggest") == 0)
        return route_suggest(c, req, config);
    if (strcmp(url, "/healthz") == 0)
        return route_health(c, req, config);
    if (strcmp(url, "/api/whoami") == 0)
        return route_whoami(c, req);
    if (strcmp(url, "/signin") == 0)
        return route_signin(c, req);
    if (strcmp(url, "/signout") == 0)
        return route_signout(c, req);
    if (strcmp(url, "/opensearch.xml") == 0)
        return route_opensearch(c, req, config);
    if (strncmp(url, "/api/", 5) == 0)
        return respond_error(c, req, MHD_HTTP_NOT_FOUND, "no such API");
    return route_asset(c, req, url);
}

/* Appends text to out as the access log quotes it: a quote, a backslash,
 * a control character or a byte that is not UTF-8 as \xhh, so that no
 * client can end the field or forge a line. */
static void put_quoted(FILE *out, const char *text)
{
    for (const char *p = text ? text : "-"; *p;) {
        size_t n = tc_utf8_char_length(p);
        if (n == 1 && (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20 || *p == 0x7f))
            n = 0;
        if (n) {
            fwrite(p, 1, n, out);
            p += n;
        } else {
            fprintf(out, "\\x%02x", (unsigned char)*p++);
        }
    }
}

/* One line of the Combined Log Format (client, time, request line with
 * its query string, status, body bytes, referer, user agent), then the
 * time taken, which tools reading the format ignore. */
static void log_access(const request_t *req, int completed)
{
    char *line = NULL, when[40];
    size_t len = 0;
    struct tm local;
    localtime_r(&req->arrived, &local);
    strftime(when, sizeof when, "%d/%b/%Y:%H:%M:%S %z", &local);
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double ms = (double)(now.tv_sec - req->start.tv_sec) * 1e3 + (double)(now.tv_nsec - req->start.tv_nsec) / 1e6;
    FILE *out = open_memstream(&line, &len);
    if (!out)
        return;
    /* The user field: who signed in (names hold no space: tc_user_name_ok). */
    fprintf(out, "%s - %s [%s] \"", req->client[0] ? req->client : "-", req->user ? req->user : "-", when);
    put_quoted(out, req->method);
    fputc(' ', out);
    put_quoted(out, req->request_uri ? req->request_uri : req->url);
    fputc(' ', out);
    put_quoted(out, req->version);
    fprintf(out, "\" %u %zu \"", req->status, req->bytes);
    put_quoted(out, req->referer);
    fputs("\" \"", out);
    put_quoted(out, req->agent);
    fprintf(out, "\" %.1fms%s", ms, completed ? "" : " aborted");
    if (fclose(out) == 0)
        searchd_access_log_write(line);
    free(line);
}

void searchd_request_done(void *cls, struct MHD_Connection *connection, void **req_cls,
                          enum MHD_RequestTerminationCode code)
{
    (void)cls;
    if (code == MHD_REQUEST_TERMINATED_COMPLETED_OK)
        header_deadline_restart(connection); /* the next request's headers, if the connection is kept */
    request_t *req = *req_cls;
    if (!req)
        return;
    *req_cls = NULL;
    atomic_fetch_sub(&requests_in_flight, 1);
    if (req->stream) {
        req->bytes = atomic_load(&req->stream->bytes);
        stream_release(req->stream);
    }
    /* Answered by libmicrohttpd itself, or not at all: nothing to log. */
    if (req->headers_in)
        log_access(req, code == MHD_REQUEST_TERMINATED_COMPLETED_OK);
    for (size_t i = 0; i < 3; i++)
        free(req->repeated[i]);
    free(req->url);
    free(req->user);
    free(req->request_uri);
    free(req->referer);
    free(req->agent);
    free(req);
}
