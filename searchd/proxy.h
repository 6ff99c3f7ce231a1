/* searchd behind a reverse proxy: which peers are proxies to believe, the
 * client they forward for, and the public URL the client used. */
#ifndef SEARCHD_PROXY_H
#define SEARCHD_PROXY_H

#include <microhttpd.h>
#include <stddef.h>

#include "auth.h"

typedef struct {
    searchd_address_t *addresses;
    size_t n;
} searchd_proxies_t;

/* Adds the addresses of `list` (separated by commas or spaces) to
 * proxies.  0, or -1 with *message (malloc'd) naming the one that is not
 * an IP address. */
int searchd_proxies_add(searchd_proxies_t *proxies, const char *list, char **message);

/* Frees what proxies holds and empties it. */
void searchd_proxies_free(searchd_proxies_t *proxies);

/* Whether address is one of proxies. */
int searchd_proxies_trust(const searchd_proxies_t *proxies, const searchd_address_t *address);

/* The client a trusted peer forwards for: the right-most address of
 * X-Forwarded-For that is not itself a trusted proxy (the ones left of
 * it are the client's to write, and may be forged).  Each hop is parsed
 * once; the walk stops at one that is not an address.  Sets *client to
 * it, writes it as searchd_address_format does to text (size bytes) and
 * returns 1; 0 (client and text untouched) when the header is absent or
 * malformed. */
int searchd_forwarded_client(const searchd_proxies_t *proxies, struct MHD_Connection *c, searchd_address_t *client,
                             char *text, size_t size);

/* The URL the client used to reach the page, "https://host/prefix/",
 * into out (size bytes).  X-Forwarded-Proto, -Host and -Prefix count only
 * from a trusted peer; otherwise http, the Host header (when a plain
 * host[:port]; else fallback_host) and base_path. */
void searchd_public_url(char *out, size_t size, struct MHD_Connection *c, int peer_trusted,
                        const char *fallback_host, const char *base_path);

/* A --base-path as searchd keeps it: "" for none, else "/a/b" (a leading
 * slash, none at the end).  -1 when it holds anything but the letters,
 * digits and "-._~/" a path segment needs. */
int searchd_base_path(char *out, size_t size, const char *given);

#endif
