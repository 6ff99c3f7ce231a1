/* searchd's routes: HTTP requests to lib/ calls. */
#ifndef SEARCHD_HANDLER_H
#define SEARCHD_HANDLER_H

#include <microhttpd.h>

#include "auth.h"
#include "proxy.h"
#include "tracuu.h"

typedef struct {
    const char *db_path;
    const char *public_host; /* host:port for absolute URLs when the request has no usable Host */
    tc_access_t anonymous;   /* what a caller who did not sign in may see */
    tc_users_t *users;       /* who may sign in (none when empty) */
    int audit_queries;       /* the audit log keeps what was searched */
    const char *base_path;   /* "" or the prefix the page is served under ("/tracuu"), see searchd_base_path */
    searchd_proxies_t proxies;  /* --trusted-proxy: peers whose X-Forwarded-* and X-Remote-User headers count */
    const char *cors_origin;    /* --cors-origin: Access-Control-Allow-Origin of the API, or NULL */
    size_t count_bound;      /* a search's count bound unless it asks for another (count_bound=, exact=1) */
} searchd_config_t;

/* Puts fresh in config->users once no request is reading the list, and
 * returns the list it replaces (the caller frees it): SIGHUP reads the
 * password file again. */
tc_users_t *searchd_users_swap(searchd_config_t *config, tc_users_t *fresh);

/* MHD_OPTION_URI_LOG_CALLBACK: starts a request's state, before
 * libmicrohttpd parses its query (and refuses to, past MAX_PARAMETERS). */
void *searchd_request_begins(void *cls, const char *uri, struct MHD_Connection *connection);

/* MHD access handler; cls is the searchd_config_t.  Answers on its first
 * call, as soon as the headers are in. */
enum MHD_Result searchd_handle(void *cls, struct MHD_Connection *connection, const char *url, const char *method,
                               const char *version, const char *upload_data, size_t *upload_data_size,
                               void **req_cls);

/* MHD completion callback: logs the request and frees its state. */
/* Requests begun and not yet answered (a stop waits for them). */
unsigned searchd_requests_in_flight(void);
void searchd_request_done(void *cls, struct MHD_Connection *connection, void **req_cls,
                          enum MHD_RequestTerminationCode code);

/* Closes this thread's index handle (call from each worker at exit, or
 * rely on the thread-exit destructor). */
void searchd_handler_init(void);

#endif
