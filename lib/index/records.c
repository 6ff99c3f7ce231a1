/* Records as the index stores them: the record's JSON and its text,
 * packed with a preset dictionary (zlib). */
#include "index/records.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "record/json.h"

char *tc_doc_to_data(const tc_doc_t *doc, size_t *len)
{
    char *json = tc_doc_to_json(doc, 0);
    if (!json)
        return NULL;
    /* Appended, not printf'd: a dispatch's text is kilobytes, which
     * vsnprintf walks twice (a fifth of the cost of packing a record). */
    const char *text = doc->text ? doc->text : "";
    size_t json_len = strlen(json), text_len = strlen(text);
    tc_buf_t data = TC_BUF_INIT;
    int rc = tc_buf_reserve(&data, json_len + 1 + text_len) < 0 || tc_buf_append(&data, json, json_len) < 0 ||
             tc_buf_putc(&data, '\n') < 0 || tc_buf_append(&data, text, text_len) < 0;
    free(json);
    if (rc) {
        tc_buf_free(&data);
        return NULL;
    }
    *len = data.len;
    return tc_buf_steal(&data);
}

/* ---- packed records ------------------------------------------------- */

#define PACKED_MARK '\0' /* a plain record starts with '{' */
#define PACKED_HEADER 5

/* The dictionaries this process has seen, newest first; a long-running
 * server meets one per rebuild, so only the newest few are kept. */
#define MAX_DICTS 8

static struct {
    uLong id;
    char *bytes;
    size_t len;
} dicts[MAX_DICTS];
static size_t n_dicts;
static pthread_mutex_t dicts_lock = PTHREAD_MUTEX_INITIALIZER;

static uLong dict_id(const char *dict, size_t len)
{
    return adler32(adler32(0L, Z_NULL, 0), (const Bytef *)dict, (uInt)len);
}

int tc_data_dict_register(const char *dict, size_t dict_len)
{
    if (!dict || !dict_len)
        return 0;
    uLong id = dict_id(dict, dict_len);
    int rc = 0;
    pthread_mutex_lock(&dicts_lock);
    size_t i = 0;
    while (i < n_dicts && !(dicts[i].id == id && dicts[i].len == dict_len && memcmp(dicts[i].bytes, dict, dict_len) == 0))
        i++;
    if (i == n_dicts) {
        char *copy = malloc(dict_len);
        if (!copy) {
            rc = -1;
        } else {
            memcpy(copy, dict, dict_len);
            if (n_dicts == MAX_DICTS)
                free(dicts[--n_dicts].bytes);
            memmove(&dicts[1], &dicts[0], n_dicts * sizeof *dicts);
            dicts[0].id = id;
            dicts[0].bytes = copy;
            dicts[0].len = dict_len;
            n_dicts++;
        }
    }
    pthread_mutex_unlock(&dicts_lock);
    return rc;
}

int tc_data_dict_sample(tc_buf_t *dict, const char *record, size_t len, size_t max)
{
    const size_t side = 2048;
    if (dict->len >= max)
        return 0;
    size_t room = max - dict->len, head = len < side ? len : side;
    if (head > room)
        head = room;
    size_t start = dict->len;
    if (tc_buf_append(dict, record, head) < 0)
        return -1;
    room -= head;
    if (len > head) {
        size_t tail = len - head < side ? len - head : side;
        if (tail > room)
            tail = room;
        if (tc_buf_append(dict, record + len - tail, tail) < 0)
            return -1;
    }
    /* Kept in metadata as a string: no zero byte. */
    for (size_t i = start; i < dict->len; i++)
        if (!dict->data[i])
            dict->data[i] = ' ';
    return 0;
}

/* Per thread, a deflate stream primed with the dictionary, and an inflate
 * stream that has read a record's header and been given its dictionary:
 * each record starts from a copy of one, which costs much less than
 * setting the dictionary again (deflate hashes all of it, inflate sums it
 * to check its id: 140k instructions for every hit shown). */
#define KEPT_BLOCKS 8
/* A zlib stream's header with a dictionary: CMF, FLG and the dictionary's id. */
#define ZLIB_DICT_HEADER 6

typedef struct {
    z_stream primed;
    int ready;
    char *dict; /* a copy of what it is primed with */
    size_t dict_len;
    z_stream inflate_primed;
    int inflate_ready;
    unsigned char inflate_header[ZLIB_DICT_HEADER]; /* what inflate_primed read */
    /* Blocks of the streams copied, kept for the next copy: freeing some
     * 256 kB per record made the allocator hand pages back and fault
     * them in again. */
    struct {
        void *block;
        size_t size;
    } kept[KEPT_BLOCKS];
} primed_streams_t;

static voidpf kept_alloc(voidpf opaque, uInt items, uInt size)
{
    primed_streams_t *d = opaque;
    size_t bytes = (size_t)items * size;
    for (int i = 0; i < KEPT_BLOCKS; i++)
        if (d->kept[i].block && d->kept[i].size == bytes) {
            void *block = d->kept[i].block;
            d->kept[i].block = NULL;
            return block;
        }
    void *block = malloc(bytes + sizeof(size_t));
    if (!block)
        return Z_NULL;
    *(size_t *)block = bytes;
    return (char *)block + sizeof(size_t);
}

static void kept_free(voidpf opaque, voidpf address)
{
    primed_streams_t *d = opaque;
    void *block = (char *)address - sizeof(size_t);
    for (int i = 0; i < KEPT_BLOCKS; i++)
        if (!d->kept[i].block) {
            d->kept[i].block = address;
            d->kept[i].size = *(size_t *)block;
            return;
        }
    free(block);
}

static _Thread_local primed_streams_t *streams;

static void drop_streams(void *arg)
{
    primed_streams_t *d = arg;
    if (d->ready)
        deflateEnd(&d->primed);
    if (d->inflate_ready)
        inflateEnd(&d->inflate_primed);
    free(d->dict);
    for (int i = 0; i < KEPT_BLOCKS; i++)
        if (d->kept[i].block)
            free((char *)d->kept[i].block - sizeof(size_t));
    free(d);
}

static pthread_key_t streams_key;
static pthread_once_t streams_once = PTHREAD_ONCE_INIT;

static void make_streams_key(void)
{
    pthread_key_create(&streams_key, drop_streams);
}

/* This thread's primed streams; NULL when out of memory. */
static primed_streams_t *thread_streams(void)
{
    primed_streams_t *d = streams;
    if (!d) {
        pthread_once(&streams_once, make_streams_key);
        if (!(d = calloc(1, sizeof *d)))
            return NULL;
        streams = d;
        pthread_setspecific(streams_key, d);
    }
    return d;
}

/* A fresh stream in *z, ready to deflate a record with dict; 0 or -1. */
static int start_deflate(z_stream *z, const char *dict, size_t dict_len)
{
    primed_streams_t *d = thread_streams();
    if (!d)
        return -1;
    if (!d->ready || d->dict_len != dict_len || memcmp(d->dict, dict, dict_len) != 0) {
        if (d->ready)
            deflateEnd(&d->primed);
        d->ready = 0;
        free(d->dict);
        d->dict_len = 0;
        memset(&d->primed, 0, sizeof d->primed);
        d->primed.zalloc = kept_alloc;
        d->primed.zfree = kept_free;
        d->primed.opaque = d;
        if (!(d->dict = malloc(dict_len)) || deflateInit(&d->primed, Z_DEFAULT_COMPRESSION) != Z_OK)
            return -1;
        d->ready = 1;
        if (deflateSetDictionary(&d->primed, (const Bytef *)dict, (uInt)dict_len) != Z_OK)
            return -1;
        memcpy(d->dict, dict, dict_len);
        d->dict_len = dict_len;
    }
    memset(z, 0, sizeof *z);
    return deflateCopy(z, &d->primed) == Z_OK ? 0 : -1;
}

char *tc_doc_to_data_packed(const tc_doc_t *doc, const char *dict, size_t dict_len, size_t *len)
{
    size_t plain_len = 0;
    char *plain = tc_doc_to_data(doc, &plain_len);
    if (!plain || !dict || !dict_len || plain_len > UINT32_MAX)
        return plain;
    z_stream z;
    if (start_deflate(&z, dict, dict_len) < 0) {
        free(plain);
        return NULL;
    }
    uLong bound = deflateBound(&z, (uLong)plain_len);
    unsigned char *out = malloc(PACKED_HEADER + bound);
    int rc = Z_MEM_ERROR;
    if (out) {
        out[0] = PACKED_MARK;
        for (int i = 0; i < 4; i++)
            out[1 + i] = (unsigned char)(plain_len >> (8 * i));
        z.next_in = (Bytef *)plain;
        z.avail_in = (uInt)plain_len;
        z.next_out = out + PACKED_HEADER;
        z.avail_out = (uInt)bound;
        rc = deflate(&z, Z_FINISH);
        *len = PACKED_HEADER + z.total_out;
    }
    deflateEnd(&z);
    free(plain);
    if (rc != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    return (char *)out;
}

/* A fresh stream in *z that has read the header and dictionary of the
 * zlib stream starting at in (len bytes), ready for what follows them;
 * 0, or -1 when the header is not one with a dictionary this process
 * knows, or memory ran out. */
static int start_inflate(z_stream *z, const unsigned char *in, size_t len)
{
    primed_streams_t *d = thread_streams();
    if (!d || len < ZLIB_DICT_HEADER)
        return -1;
    if (!d->inflate_ready || memcmp(d->inflate_header, in, ZLIB_DICT_HEADER) != 0) {
        if (d->inflate_ready)
            inflateEnd(&d->inflate_primed);
        d->inflate_ready = 0;
        z_stream *p = &d->inflate_primed;
        memset(p, 0, sizeof *p);
        p->zalloc = kept_alloc;
        p->zfree = kept_free;
        p->opaque = d;
        if (inflateInit(p) != Z_OK)
            return -1;
        unsigned char none;
        p->next_in = (Bytef *)in;
        p->avail_in = ZLIB_DICT_HEADER;
        p->next_out = &none;
        p->avail_out = 1;
        int rc = inflate(p, Z_NO_FLUSH);
        if (rc == Z_NEED_DICT) {
            rc = Z_DATA_ERROR;
            pthread_mutex_lock(&dicts_lock);
            for (size_t i = 0; i < n_dicts; i++)
                if (dicts[i].id == p->adler) {
                    rc = inflateSetDictionary(p, (const Bytef *)dicts[i].bytes, (uInt)dicts[i].len);
                    break;
                }
            pthread_mutex_unlock(&dicts_lock);
        }
        if (rc != Z_OK) {
            inflateEnd(p);
            return -1;
        }
        d->inflate_ready = 1;
        memcpy(d->inflate_header, in, ZLIB_DICT_HEADER);
    }
    memset(z, 0, sizeof *z);
    return inflateCopy(z, &d->inflate_primed) == Z_OK ? 0 : -1;
}

/* A packed record inflated (malloc'd, *out_len bytes), or NULL when it is
 * damaged, its dictionary unknown or memory ran out. */
static char *unpack(const char *data, size_t len, size_t *out_len)
{
    if (len < PACKED_HEADER)
        return NULL;
    size_t plain_len = 0;
    for (int i = 0; i < 4; i++)
        plain_len |= (size_t)(unsigned char)data[1 + i] << (8 * i);
    const unsigned char *in = (const unsigned char *)data + PACKED_HEADER;
    size_t in_len = len - PACKED_HEADER;
    char *plain = malloc(plain_len + 1);
    z_stream z;
    if (!plain || start_inflate(&z, in, in_len) < 0) {
        free(plain);
        return NULL;
    }
    z.next_in = (Bytef *)(in + ZLIB_DICT_HEADER);
    z.avail_in = (uInt)(in_len - ZLIB_DICT_HEADER);
    z.next_out = (Bytef *)plain;
    z.avail_out = (uInt)plain_len;
    int ok = inflate(&z, Z_FINISH) == Z_STREAM_END && z.total_out == plain_len;
    inflateEnd(&z);
    if (!ok) {
        free(plain);
        return NULL;
    }
    plain[plain_len] = '\0';
    *out_len = plain_len;
    return plain;
}

static tc_status_t from_plain(tc_doc_t **out, const char *data, size_t len, const char **text, size_t *text_len)
{
    const char *newline = memchr(data, '\n', len);
    size_t json_len = newline ? (size_t)(newline - data) : len;
    tc_status_t status = tc_doc_from_json(out, data, json_len);
    *text = newline ? newline + 1 : data + len;
    *text_len = newline ? len - json_len - 1 : 0;
    return status;
}

tc_status_t tc_doc_from_data(tc_doc_t **out, const char *data, size_t len, const char **text, size_t *text_len)
{
    const char *t;
    size_t t_len;
    if (!len || data[0] != PACKED_MARK) {
        tc_status_t status = from_plain(out, data, len, &t, &t_len);
        if (text) {
            *text = t;
            *text_len = t_len;
        }
        return status;
    }
    *out = NULL;
    size_t plain_len = 0;
    char *plain = unpack(data, len, &plain_len);
    if (!plain)
        return TC_STATUS_BAD_INPUT;
    tc_status_t status = from_plain(out, plain, plain_len, &t, &t_len);
    if (status == TC_STATUS_SUCCESS) {
        /* The text moves to the front of the buffer, which the record keeps. */
        memmove(plain, t, t_len);
        plain[t_len] = '\0';
        free((*out)->text);
        (*out)->text = plain;
        plain = NULL;
        if (text) {
            *text = (*out)->text;
            *text_len = t_len;
        }
    }
    free(plain);
    return status;
}
