/* Client addresses, and the bound on wrong passwords from each. */
#include "auth.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <string.h>

/* Wrong passwords an address may send in a window before it must wait
 * for the window's end: a person mistyping tries a few times, a guesser
 * thousands, and with a hash costing tens of milliseconds a guesser
 * unbounded would also cost the server a core. */
#define SIGNIN_FAILURES 5
#define SIGNIN_WINDOW_SECONDS 300
/* Addresses remembered at once; past it the one whose window started
 * first is forgotten.  Sign-in is from loopback only (or behind a proxy
 * that does its own), so a few are ever seen. */
#define SIGNIN_ADDRESSES 256

static const unsigned char v4_mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

int searchd_address_of_peer(searchd_address_t *out, const struct sockaddr *peer)
{
    memset(out, 0, sizeof *out);
    if (peer && peer->sa_family == AF_INET) {
        memcpy(out->bytes, v4_mapped, sizeof v4_mapped);
        memcpy(out->bytes + 12, &((const struct sockaddr_in *)(const void *)peer)->sin_addr, 4);
        return 0;
    }
    if (peer && peer->sa_family == AF_INET6) {
        memcpy(out->bytes, &((const struct sockaddr_in6 *)(const void *)peer)->sin6_addr, 16);
        return 0;
    }
    return -1;
}

int searchd_address_parse(searchd_address_t *out, const char *text)
{
    struct in_addr v4;
    memset(out, 0, sizeof *out);
    if (inet_pton(AF_INET, text, &v4) == 1) {
        memcpy(out->bytes, v4_mapped, sizeof v4_mapped);
        memcpy(out->bytes + 12, &v4, 4);
        return 0;
    }
    return inet_pton(AF_INET6, text, out->bytes) == 1 ? 0 : -1;
}


void searchd_address_format(const searchd_address_t *a, char *out, size_t size)
{
    int v4 = memcmp(a->bytes, v4_mapped, sizeof v4_mapped) == 0;
    if (!inet_ntop(v4 ? AF_INET : AF_INET6, v4 ? a->bytes + 12 : a->bytes, out, (socklen_t)size) && size)
        out[0] = '\0';
}

int searchd_address_is_loopback(const searchd_address_t *a)
{
    static const unsigned char v6_loopback[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
    return (memcmp(a->bytes, v4_mapped, sizeof v4_mapped) == 0 && a->bytes[12] == 127) ||
           memcmp(a->bytes, v6_loopback, 16) == 0;
}

int searchd_address_equal(const searchd_address_t *a, const searchd_address_t *b)
{
    return memcmp(a->bytes, b->bytes, sizeof a->bytes) == 0;
}

static struct {
    searchd_address_t address;
    time_t window_start;
    unsigned failures;
} failed[SIGNIN_ADDRESSES];
static size_t n_failed;
static pthread_mutex_t failed_lock = PTHREAD_MUTEX_INITIALIZER;

/* The slot of address, or -1; failed_lock held. */
static long slot_of(const searchd_address_t *address, time_t now)
{
    for (size_t i = 0; i < n_failed; i++)
        if (searchd_address_equal(&failed[i].address, address)) {
            if (now - failed[i].window_start >= SIGNIN_WINDOW_SECONDS) {
                failed[i].window_start = now; /* a new window */
                failed[i].failures = 0;
            }
            return (long)i;
        }
    return -1;
}

unsigned searchd_signin_wait(const searchd_address_t *address, time_t now)
{
    pthread_mutex_lock(&failed_lock);
    long i = slot_of(address, now);
    unsigned wait = i >= 0 && failed[i].failures >= SIGNIN_FAILURES
                        ? (unsigned)(failed[i].window_start + SIGNIN_WINDOW_SECONDS - now)
                        : 0;
    pthread_mutex_unlock(&failed_lock);
    return wait;
}

void searchd_signin_failed(const searchd_address_t *address, time_t now)
{
    pthread_mutex_lock(&failed_lock);
    long i = slot_of(address, now);
    if (i < 0) {
        if (n_failed < SIGNIN_ADDRESSES) {
            i = (long)n_failed++;
        } else {
            i = 0;
            for (size_t k = 1; k < n_failed; k++)
                if (failed[k].window_start < failed[i].window_start)
                    i = (long)k;
        }
        failed[i].address = *address;
        failed[i].window_start = now;
        failed[i].failures = 0;
    }
    failed[i].failures++;
    pthread_mutex_unlock(&failed_lock);
}
