/* The connections still waiting for a request's headers, in one queue
 * ordered by deadline: every wait is the same length and a connection
 * joins at the tail when its wait starts, so the expired ones are always
 * at the head and a sweep looks at no other.
 *
 * A connection is closed with shutdown(): libmicrohttpd then sees the end
 * of the stream on its next read and cleans up as for any client that
 * hung up.  The socket stays open until libmicrohttpd has told
 * header_deadline_track() that the connection is gone, which takes the
 * same lock, so the number shut down is never one reused by a newer
 * connection. */
#include "header_deadline.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

typedef struct waiting {
    MHD_socket socket;
    struct timespec due;
    struct waiting *prev, *next;
    int queued;  /* in the queue now */
    int closing; /* shut down here: its next wait would be for nothing */
} waiting_t;

static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static waiting_t *head, *tail;
static time_t allowed_seconds;

void header_deadline_init(unsigned seconds)
{
    allowed_seconds = (time_t)seconds;
}

/* Callers hold queue_lock. */
static void unqueue(waiting_t *w)
{
    if (!w->queued)
        return;
    if (w->prev)
        w->prev->next = w->next;
    else
        head = w->next;
    if (w->next)
        w->next->prev = w->prev;
    else
        tail = w->prev;
    w->prev = w->next = NULL;
    w->queued = 0;
}

/* Callers hold queue_lock; the clock is read under it so that the queue
 * stays in deadline order. */
static void queue_from_now(waiting_t *w)
{
    unqueue(w);
    if (w->closing)
        return;
    clock_gettime(CLOCK_MONOTONIC, &w->due);
    w->due.tv_sec += allowed_seconds;
    w->prev = tail;
    if (tail)
        tail->next = w;
    else
        head = w;
    tail = w;
    w->queued = 1;
}

static waiting_t *record_of(struct MHD_Connection *connection)
{
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info ? info->socket_context : NULL;
}

void header_deadline_track(void *cls, struct MHD_Connection *connection, void **socket_context,
                           enum MHD_ConnectionNotificationCode code)
{
    (void)cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
        if (!info)
            return;
        waiting_t *w = calloc(1, sizeof *w);
        if (!w) {
            /* Untracked, it could be held for ever: refuse it instead. */
            shutdown(info->connect_fd, SHUT_RDWR);
            return;
        }
        w->socket = info->connect_fd;
        pthread_mutex_lock(&queue_lock);
        queue_from_now(w);
        pthread_mutex_unlock(&queue_lock);
        *socket_context = w;
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        waiting_t *w = *socket_context;
        if (!w)
            return;
        pthread_mutex_lock(&queue_lock);
        unqueue(w);
        pthread_mutex_unlock(&queue_lock);
        free(w);
        *socket_context = NULL;
    }
}

void header_deadline_met(struct MHD_Connection *connection)
{
    waiting_t *w = record_of(connection);
    if (!w)
        return;
    pthread_mutex_lock(&queue_lock);
    unqueue(w);
    pthread_mutex_unlock(&queue_lock);
}

void header_deadline_restart(struct MHD_Connection *connection)
{
    waiting_t *w = record_of(connection);
    if (!w)
        return;
    pthread_mutex_lock(&queue_lock);
    queue_from_now(w);
    pthread_mutex_unlock(&queue_lock);
}

static int passed(const struct timespec *due, const struct timespec *now)
{
    return now->tv_sec > due->tv_sec || (now->tv_sec == due->tv_sec && now->tv_nsec >= due->tv_nsec);
}

size_t header_deadline_enforce(void)
{
    size_t closed = 0;
    struct timespec now;
    pthread_mutex_lock(&queue_lock);
    clock_gettime(CLOCK_MONOTONIC, &now);
    while (head && passed(&head->due, &now)) {
        waiting_t *w = head;
        unqueue(w);
        w->closing = 1;
        shutdown(w->socket, SHUT_RDWR);
        closed++;
    }
    pthread_mutex_unlock(&queue_lock);
    return closed;
}
