/* Who a request comes from: client addresses, and the bound on wrong
 * passwords from one address. */
#ifndef SEARCHD_AUTH_H
#define SEARCHD_AUTH_H

#include <stddef.h>
#include <sys/socket.h>
#include <time.h>

/* An IP address as 16 bytes, IPv4 as IPv4-mapped IPv6, so that a client
 * reaching an IPv6 socket as ::ffff:10.0.0.1 is 10.0.0.1. */
typedef struct {
    unsigned char bytes[16];
} searchd_address_t;

/* 0, or -1 when text is not a numeric IPv4 or IPv6 address. */
int searchd_address_parse(searchd_address_t *out, const char *text);
/* The same for a socket's peer; -1 when it is neither IPv4 nor IPv6. */
int searchd_address_of_peer(searchd_address_t *out, const struct sockaddr *peer);
/* The address as inet_ntop writes it, an IPv4-mapped one as IPv4
 * ("10.0.0.1"), into out (size bytes, INET6_ADDRSTRLEN will do). */
void searchd_address_format(const searchd_address_t *address, char *out, size_t size);
/* 127.0.0.0/8 or ::1: this machine. */
int searchd_address_is_loopback(const searchd_address_t *address);
int searchd_address_equal(const searchd_address_t *a, const searchd_address_t *b);

/* Wrong passwords from one address: past SIGNIN_FAILURES within
 * SIGNIN_WINDOW_SECONDS, its sign-ins are refused until the window ends.
 * Thread-safe. */
/* Seconds until address may try again, 0 when it may now. */
unsigned searchd_signin_wait(const searchd_address_t *address, time_t now);
void searchd_signin_failed(const searchd_address_t *address, time_t now);

#endif
