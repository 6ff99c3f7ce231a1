/* Growable byte buffers: the one way lib/ builds strings. */
#include "base/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tc_buf_reserve(tc_buf_t *buf, size_t extra)
{
    if (buf->len + extra + 1 <= buf->cap)
        return 0;
    size_t cap = buf->cap ? buf->cap : 64;
    while (cap < buf->len + extra + 1) {
        if (cap > ((size_t)-1) / 2)
            return -1;
        cap *= 2;
    }
    char *data = realloc(buf->data, cap);
    if (!data)
        return -1;
    buf->data = data;
    buf->cap = cap;
    return 0;
}

static int buf_vprintf(tc_buf_t *buf, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0 || tc_buf_reserve(buf, (size_t)n) < 0)
        return -1;
    vsnprintf(buf->data + buf->len, (size_t)n + 1, fmt, ap);
    buf->len += (size_t)n;
    return 0;
}

int tc_buf_printf(tc_buf_t *buf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = buf_vprintf(buf, fmt, ap);
    va_end(ap);
    return rc;
}

char *tc_buf_steal(tc_buf_t *buf)
{
    char *data = buf->data;
    if (!data)
        data = calloc(1, 1);
    buf->data = NULL;
    buf->len = buf->cap = 0;
    return data;
}

void tc_buf_free(tc_buf_t *buf)
{
    free(buf->data);
    buf->data = NULL;
    buf->len = buf->cap = 0;
}

char *tc_strndup(const char *s, size_t len)
{
    char *copy = malloc(len + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

void tc_say(char **message, const char *fmt, ...)
{
    if (!message)
        return;
    va_list args;
    va_start(args, fmt);
    if (vasprintf(message, fmt, args) < 0)
        *message = NULL;
    va_end(args);
}

char *tc_strdup_printf(const char *fmt, ...)
{
    tc_buf_t buf = TC_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    int rc = buf_vprintf(&buf, fmt, ap);
    va_end(ap);
    if (rc < 0) {
        tc_buf_free(&buf);
        return NULL;
    }
    return tc_buf_steal(&buf);
}

void *tc_grow(void *items, size_t count, size_t *cap, size_t size, size_t first_cap)
{
    if (count < *cap)
        return items;
    size_t grown_cap = *cap ? *cap * 2 : first_cap;
    if (grown_cap < *cap || (size && grown_cap > (size_t)-1 / size))
        return NULL;
    void *grown = realloc(items, grown_cap * size);
    if (grown)
        *cap = grown_cap;
    return grown;
}

int tc_strlist_push(tc_strlist_t *list, const char *s, size_t len)
{
    char *copy = tc_strndup(s, len);
    if (!copy)
        return -1;
    char **items = realloc(list->items, (list->count + 1) * sizeof *items);
    if (!items) {
        free(copy);
        return -1;
    }
    items[list->count++] = copy;
    list->items = items;
    return 0;
}

void tc_strlist_clear(tc_strlist_t *list)
{
    for (size_t i = 0; i < list->count; i++)
        free(list->items[i]);
    free(list->items);
    list->items = NULL;
    list->count = 0;
}
