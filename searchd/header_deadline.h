/* Slow clients: each request's headers must arrive within a fixed time of
 * the connection opening or of its previous answer, however the client
 * spaces its bytes.  libmicrohttpd's own timeout restarts with every byte
 * received, so a client sending a byte now and then would hold a
 * connection for ever; enough of them and nobody else is served. */
#ifndef SEARCHD_HEADER_DEADLINE_H
#define SEARCHD_HEADER_DEADLINE_H

#include <stddef.h>

#include <microhttpd.h>

/* Sets the time allowed; call once before the daemon starts. */
void header_deadline_init(unsigned seconds);

/* MHD_OPTION_NOTIFY_CONNECTION callback: a connection's clock starts when
 * it opens and its record goes when it closes. */
void header_deadline_track(void *cls, struct MHD_Connection *connection, void **socket_context,
                           enum MHD_ConnectionNotificationCode code);

/* The request's headers are all in: the deadline no longer applies. */
void header_deadline_met(struct MHD_Connection *connection);

/* An answer went out and the connection stays open: the next request's
 * headers are due from now. */
void header_deadline_restart(struct MHD_Connection *connection);

/* Closes every connection past its deadline; returns how many.  Safe to
 * call from any thread while the daemon runs. */
size_t header_deadline_enforce(void);

#endif
