/* Growable byte buffers and small string helpers used across lib/.
 * Every append returns 0 on success and -1 when memory ran out; the buffer
 * then keeps what it had.  data is always NUL-terminated once non-NULL. */
#ifndef TC_BUF_H
#define TC_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "tracuu.h"

typedef struct {
    char *data;
    size_t len;
    size_t cap;
} tc_buf_t;

#define TC_BUF_INIT { NULL, 0, 0 }

/* Makes room for extra more bytes (and the NUL); 0 or -1. */
int tc_buf_reserve(tc_buf_t *buf, size_t extra);

/* Inline, as the appends below: they run for every word indexed, and
 * there is nearly always room already. */
static inline int tc_buf_append(tc_buf_t *buf, const char *bytes, size_t len)
{
    if (buf->cap - buf->len <= len && tc_buf_reserve(buf, len) < 0)
        return -1;
    if (len)
        memcpy(buf->data + buf->len, bytes, len);
    buf->len += len;
    buf->data[buf->len] = '\0';
    return 0;
}

static inline int tc_buf_puts(tc_buf_t *buf, const char *str)
{
    return tc_buf_append(buf, str, strlen(str));
}

static inline int tc_buf_putc(tc_buf_t *buf, char c)
{
    if (buf->len + 2 > buf->cap && tc_buf_reserve(buf, 1) < 0)
        return -1;
    buf->data[buf->len++] = c;
    buf->data[buf->len] = '\0';
    return 0;
}
int tc_buf_printf(tc_buf_t *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the contents to the caller ("" when empty) and leaves buf empty. */
char *tc_buf_steal(tc_buf_t *buf);
static inline void tc_buf_reset(tc_buf_t *buf)
{
    buf->len = 0;
    if (buf->data)
        buf->data[0] = '\0';
}
void tc_buf_free(tc_buf_t *buf);

/* items (count of size bytes each, room for *cap), moved if need be to
 * have room for one more: *cap doubles, from first_cap.  NULL when memory
 * runs out; items and *cap are then as they were. */
void *tc_grow(void *items, size_t count, size_t *cap, size_t size, size_t first_cap);

/* malloc'd copy of the first len bytes; NULL when out of memory. */
char *tc_strndup(const char *s, size_t len);
/* printf into a fresh malloc'd string. */
char *tc_strdup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* An error message for the caller to own: *message = the formatted text
 * (NULL when out of memory); nothing when message is NULL. */
void tc_say(char **message, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

int tc_strlist_push(tc_strlist_t *list, const char *s, size_t len);
void tc_strlist_clear(tc_strlist_t *list);

#endif
