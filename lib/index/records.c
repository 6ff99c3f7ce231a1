/* Records as the index stores them: the record's JSON and its text,
 * packed with a dictionary trained on records (zstd). */
#include "index/records.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zdict.h>
#include <zstd.h>

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
/* zstd's level: bench/RESULTS.md measured 1, 3 and 6 with a trained
 * dictionary; 3 packed smallest but for 6, which took several times as
 * long, and fastest of the three. */
#define PACK_LEVEL 3

int tc_data_dict_train(tc_buf_t *dict, const char *samples, const size_t *sizes, unsigned n, size_t max)
{
    size_t total = 0;
    for (unsigned i = 0; i < n; i++)
        total += sizes[i];
    dict->len = 0;
    if (!n || !total || tc_buf_reserve(dict, max) < 0)
        return -1;
    size_t made = ZDICT_trainFromBuffer(dict->data, max, samples, sizes, n);
    if (ZDICT_isError(made)) {
        /* Too few samples to train on (zdict wants more than a handful):
         * the samples as they are (zstd takes raw content as a
         * dictionary), made one with an id and entropy tables by zdict,
         * so that records name it as they name a trained one. */
        size_t content = total < max ? total : max;
        made = ZDICT_finalizeDictionary(dict->data, max, samples + total - content, content, samples, sizes, n,
                                        (ZDICT_params_t){ .compressionLevel = PACK_LEVEL });
    }
    if (ZDICT_isError(made) || ZSTD_getDictID_fromDict(dict->data, made) == 0)
        return -1;
    dict->len = made;
    dict->data[made] = '\0';
    return 0;
}

struct tc_data_dict {
    ZSTD_CDict *cdict;
};

tc_data_dict_t *tc_data_dict_new(const char *dict, size_t dict_len)
{
    if (!dict || ZSTD_getDictID_fromDict(dict, dict_len) == 0)
        return NULL;
    tc_data_dict_t *d = malloc(sizeof *d);
    if (!d)
        return NULL;
    if (!(d->cdict = ZSTD_createCDict(dict, dict_len, PACK_LEVEL))) {
        free(d);
        return NULL;
    }
    return d;
}

void tc_data_dict_free(tc_data_dict_t *dict)
{
    if (!dict)
        return;
    ZSTD_freeCDict(dict->cdict);
    free(dict);
}

/* The dictionaries this process reads with, newest first, told apart by
 * their ids (zdict's, a hash of their content); a long-running server
 * meets one per rebuild, so only the newest few are kept.  A reader holds
 * a reference while it unpacks, so that one dropped from the list in the
 * meantime is freed after it. */
#define MAX_DICTS 8

typedef struct {
    unsigned id;
    ZSTD_DDict *ddict;
    unsigned refs; /* the list's, and each reader's */
} reader_dict_t;

static reader_dict_t *dicts[MAX_DICTS];
static size_t n_dicts;
static pthread_mutex_t dicts_lock = PTHREAD_MUTEX_INITIALIZER;

/* Drops a reference (under dicts_lock). */
static void dict_unref(reader_dict_t *d)
{
    if (--d->refs == 0) {
        ZSTD_freeDDict(d->ddict);
        free(d);
    }
}

/* Where the dictionary of that id is in dicts, n_dicts when it is not
 * there; with dicts_lock held. */
static size_t dict_at(unsigned id)
{
    size_t i = 0;
    while (i < n_dicts && dicts[i]->id != id)
        i++;
    return i;
}

int tc_data_dict_register(const char *dict, size_t dict_len)
{
    unsigned id = dict ? ZSTD_getDictID_fromDict(dict, dict_len) : 0;
    if (!id)
        return -1;
    pthread_mutex_lock(&dicts_lock);
    int known = dict_at(id) < n_dicts;
    pthread_mutex_unlock(&dicts_lock);
    if (known)
        return 0;
    /* Made outside the lock: it reads the whole dictionary. */
    reader_dict_t *d = malloc(sizeof *d);
    if (!d || !(d->ddict = ZSTD_createDDict(dict, dict_len))) {
        free(d);
        return -1;
    }
    d->id = id;
    d->refs = 1;
    pthread_mutex_lock(&dicts_lock);
    if (dict_at(id) < n_dicts) { /* another thread was quicker */
        dict_unref(d);
    } else {
        if (n_dicts == MAX_DICTS)
            dict_unref(dicts[--n_dicts]);
        memmove(&dicts[1], &dicts[0], n_dicts * sizeof *dicts);
        dicts[0] = d;
        n_dicts++;
    }
    pthread_mutex_unlock(&dicts_lock);
    return 0;
}

/* The registered dictionary of that id, with a reference; NULL if none. */
static reader_dict_t *dict_acquire(unsigned id)
{
    reader_dict_t *found = NULL;
    pthread_mutex_lock(&dicts_lock);
    size_t i = dict_at(id);
    if (i < n_dicts) {
        found = dicts[i];
        found->refs++;
    }
    pthread_mutex_unlock(&dicts_lock);
    return found;
}

static void dict_release(reader_dict_t *d)
{
    pthread_mutex_lock(&dicts_lock);
    dict_unref(d);
    pthread_mutex_unlock(&dicts_lock);
}

/* Per thread, a compression and a decompression context: made once, they
 * keep their tables from record to record. */
typedef struct {
    ZSTD_CCtx *cctx;
    ZSTD_DCtx *dctx;
} contexts_t;

static _Thread_local contexts_t *contexts;

static void drop_contexts(void *arg)
{
    contexts_t *c = arg;
    ZSTD_freeCCtx(c->cctx);
    ZSTD_freeDCtx(c->dctx);
    free(c);
}

static pthread_key_t contexts_key;
static pthread_once_t contexts_once = PTHREAD_ONCE_INIT;

static void make_contexts_key(void)
{
    pthread_key_create(&contexts_key, drop_contexts);
}

/* This thread's contexts; NULL when out of memory. */
static contexts_t *thread_contexts(void)
{
    contexts_t *c = contexts;
    if (!c) {
        pthread_once(&contexts_once, make_contexts_key);
        if (!(c = calloc(1, sizeof *c)))
            return NULL;
        contexts = c;
        pthread_setspecific(contexts_key, c);
    }
    return c;
}

/* Records are packed with a checksum (4 bytes), so that a damaged one is
 * refused rather than read wrong: zstd, unlike zlib, checks nothing
 * otherwise.  zstd sets it on a context only (ZSTD_compress2), not on
 * ZSTD_compress_usingCDict, which packs alike. */
static ZSTD_CCtx *thread_cctx(void)
{
    contexts_t *c = thread_contexts();
    if (c && !c->cctx && (c->cctx = ZSTD_createCCtx()) &&
        ZSTD_isError(ZSTD_CCtx_setParameter(c->cctx, ZSTD_c_checksumFlag, 1))) {
        ZSTD_freeCCtx(c->cctx);
        c->cctx = NULL;
    }
    return c ? c->cctx : NULL;
}

static ZSTD_DCtx *thread_dctx(void)
{
    contexts_t *c = thread_contexts();
    if (c && !c->dctx)
        c->dctx = ZSTD_createDCtx();
    return c ? c->dctx : NULL;
}

char *tc_doc_to_data_packed(const tc_doc_t *doc, const tc_data_dict_t *dict, size_t *len)
{
    size_t plain_len = 0;
    char *plain = tc_doc_to_data(doc, &plain_len);
    if (!plain || !dict || plain_len > UINT32_MAX)
        return plain;
    ZSTD_CCtx *cctx = thread_cctx();
    size_t bound = ZSTD_compressBound(plain_len);
    unsigned char *out = cctx ? malloc(PACKED_HEADER + bound) : NULL;
    size_t packed = out ? ZSTD_CCtx_refCDict(cctx, dict->cdict) : 0;
    if (out && !ZSTD_isError(packed))
        packed = ZSTD_compress2(cctx, out + PACKED_HEADER, bound, plain, plain_len);
    free(plain);
    if (!out || ZSTD_isError(packed)) {
        free(out);
        return NULL;
    }
    out[0] = PACKED_MARK;
    for (int i = 0; i < 4; i++)
        out[1 + i] = (unsigned char)(plain_len >> (8 * i));
    *len = PACKED_HEADER + packed;
    return (char *)out;
}

/* A packed record unpacked (malloc'd, *out_len bytes), or NULL when it is
 * damaged, its dictionary unknown or memory ran out. */
static char *unpack(const char *data, size_t len, size_t *out_len)
{
    if (len < PACKED_HEADER)
        return NULL;
    size_t plain_len = 0;
    for (int i = 0; i < 4; i++)
        plain_len |= (size_t)(unsigned char)data[1 + i] << (8 * i);
    const char *in = data + PACKED_HEADER;
    size_t in_len = len - PACKED_HEADER;
    /* The frame says its size too: a damaged length allocates nothing. */
    unsigned long long said = ZSTD_getFrameContentSize(in, in_len);
    unsigned id = ZSTD_getDictID_fromFrame(in, in_len);
    if (said != plain_len || !id)
        return NULL;
    ZSTD_DCtx *dctx = thread_dctx();
    reader_dict_t *dict = dctx ? dict_acquire(id) : NULL;
    char *plain = dict ? malloc(plain_len + 1) : NULL;
    size_t got = plain ? ZSTD_decompress_usingDDict(dctx, plain, plain_len, in, in_len, dict->ddict) : 0;
    if (dict)
        dict_release(dict);
    if (!plain || ZSTD_isError(got) || got != plain_len) {
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
