/* Reverse proxies: only the addresses named by --trusted-proxy may say who
 * the client is and which URL it used; anyone else's X-Forwarded-* headers
 * are the client's own words and are ignored. */
#include "proxy.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_HOST_BYTES 100
#define MAX_PREFIX_BYTES 100

int searchd_proxies_add(searchd_proxies_t *proxies, const char *list, char **message)
{
    for (const char *p = list; *p;) {
        p += strspn(p, ", \t");
        size_t len = strcspn(p, ", \t");
        if (!len)
            break;
        char given[128];
        searchd_address_t address;
        snprintf(given, sizeof given, "%.*s", (int)len, p);
        p += len;
        if (len >= sizeof given || searchd_address_parse(&address, given) < 0) {
            if (asprintf(message, "\"%s\" is not an IP address", given) < 0)
                *message = NULL;
            return -1;
        }
        searchd_address_t *grown = realloc(proxies->addresses, (proxies->n + 1) * sizeof *grown);
        if (!grown) {
            *message = strdup("out of memory");
            return -1;
        }
        proxies->addresses = grown;
        proxies->addresses[proxies->n++] = address;
    }
    return 0;
}

void searchd_proxies_free(searchd_proxies_t *proxies)
{
    free(proxies->addresses);
    proxies->addresses = NULL;
    proxies->n = 0;
}

int searchd_proxies_trust(const searchd_proxies_t *proxies, const searchd_address_t *address)
{
    for (size_t i = 0; i < proxies->n; i++)
        if (searchd_address_equal(&proxies->addresses[i], address))
            return 1;
    return 0;
}

int searchd_forwarded_client(const searchd_proxies_t *proxies, struct MHD_Connection *c, searchd_address_t *client,
                             char *text, size_t size)
{
    const char *header = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For");
    if (!header)
        return 0;
    /* From the right: each hop appends the address it saw. */
    searchd_address_t found;
    int have = 0;
    for (size_t end = strlen(header); end > 0;) {
        size_t start = end;
        while (start > 0 && header[start - 1] != ',')
            start--;
        char hop[128];
        searchd_address_t address;
        size_t from = start + strspn(header + start, " \t"), len = end - from;
        while (len && (header[from + len - 1] == ' ' || header[from + len - 1] == '\t'))
            len--;
        if (len >= sizeof hop)
            break;
        snprintf(hop, sizeof hop, "%.*s", (int)len, header + from);
        if (searchd_address_parse(&address, hop) < 0)
            break; /* not an address: what is left of it cannot be believed either */
        found = address;
        have = 1;
        if (!searchd_proxies_trust(proxies, &address))
            break;
        end = start ? start - 1 : 0;
    }
    if (!have)
        return 0;
    *client = found;
    /* In the one spelling searchd writes: "::ffff:10.0.0.1" as "10.0.0.1",
     * the form an IPv4 client has on an IPv4 socket. */
    searchd_address_format(&found, text, size);
    return 1;
}

/* Whether value is made only of the characters allowed. */
static int only(const char *value, size_t max, const char *allowed)
{
    if (!value || !*value || strlen(value) > max)
        return 0;
    for (const char *p = value; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr(allowed, *p))
            return 0;
    return 1;
}

int searchd_base_path(char *out, size_t size, const char *given)
{
    if (!given || !*given || strcmp(given, "/") == 0) {
        snprintf(out, size, "%s", "");
        return 0;
    }
    if (!only(given, MAX_PREFIX_BYTES, "-._~/") || strstr(given, "//") || strstr(given, "/../") ||
        strstr(given, "/./"))
        return -1;
    size_t len = strlen(given);
    while (len && given[len - 1] == '/')
        len--;
    snprintf(out, size, "%s%.*s", given[0] == '/' ? "" : "/", (int)len, given);
    return 0;
}

void searchd_public_url(char *out, size_t size, struct MHD_Connection *c, int peer_trusted,
                        const char *fallback_host, const char *base_path)
{
    const char *scheme = "http", *host = NULL;
    char prefix[MAX_PREFIX_BYTES + 2];
    snprintf(prefix, sizeof prefix, "%s", base_path ? base_path : "");
    if (peer_trusted) {
        const char *proto = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-Proto");
        const char *fhost = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-Host");
        const char *fprefix = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-Prefix");
        if (proto && (strcmp(proto, "https") == 0 || strcmp(proto, "http") == 0))
            scheme = proto;
        if (only(fhost, MAX_HOST_BYTES, ".-:[]"))
            host = fhost;
        if (fprefix)
            searchd_base_path(prefix, sizeof prefix, fprefix);
    }
    if (!host) {
        const char *sent = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
        host = only(sent, MAX_HOST_BYTES, ".-:[]") ? sent : fallback_host;
    }
    snprintf(out, size, "%s://%s%s/", scheme, host ? host : "localhost", prefix);
}
