/* The one serializer: records and search answers as JSON (jansson) and as
 * text for a person at a terminal. */
#include "render.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "buf.h"

static json_t *string_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *strlist_json(const tc_strlist_t *list)
{
    json_t *array = json_array();
    for (size_t i = 0; i < list->count; i++)
        json_array_append_new(array, json_string(list->items[i]));
    return array;
}

/* The record's fields in JSON order, written down once for both
 * directions: plain strings by offset, the rest by kind. */
typedef enum { FIELD_STRING, FIELD_YEAR, FIELD_LIST, FIELD_DEADLINES, FIELD_PERIOD, FIELD_REFERENCES } field_kind_t;

static const struct {
    const char *name;
    field_kind_t kind;
    size_t offset;
} doc_fields[] = {
    { "id", FIELD_STRING, offsetof(tc_doc_t, id) },
    { "path", FIELD_STRING, offsetof(tc_doc_t, path) },
    { "issuer", FIELD_STRING, offsetof(tc_doc_t, issuer) },
    { "issuer_parent", FIELD_STRING, offsetof(tc_doc_t, issuer_parent) },
    { "place", FIELD_STRING, offsetof(tc_doc_t, place) },
    { "number", FIELD_STRING, offsetof(tc_doc_t, number) },
    { "symbol", FIELD_STRING, offsetof(tc_doc_t, symbol) },
    { "date", FIELD_STRING, offsetof(tc_doc_t, date) },
    { "year", FIELD_YEAR, 0 },
    { "doc_type", FIELD_STRING, offsetof(tc_doc_t, doc_type) },
    { "subject", FIELD_STRING, offsetof(tc_doc_t, subject) },
    { "recipients", FIELD_LIST, offsetof(tc_doc_t, recipients) },
    { "themes", FIELD_LIST, offsetof(tc_doc_t, themes) },
    { "slogans", FIELD_LIST, offsetof(tc_doc_t, slogans) },
    { "deadlines", FIELD_DEADLINES, 0 },
    { "period", FIELD_PERIOD, 0 },
    { "references", FIELD_REFERENCES, 0 },
    { "signer", FIELD_STRING, offsetof(tc_doc_t, signer) },
    { "signer_title", FIELD_STRING, offsetof(tc_doc_t, signer_title) },
    { "signer_authority", FIELD_STRING, offsetof(tc_doc_t, signer_authority) },
    { "urgency", FIELD_STRING, offsetof(tc_doc_t, urgency) },
    { "secrecy", FIELD_STRING, offsetof(tc_doc_t, secrecy) },
    { "source_encoding", FIELD_STRING, offsetof(tc_doc_t, source_encoding) },
    { "text", FIELD_STRING, offsetof(tc_doc_t, text) },
};

#define FIELD(doc, type, i) ((type *)((char *)(doc) + doc_fields[i].offset))

static json_t *field_json(const tc_doc_t *doc, size_t i)
{
    switch (doc_fields[i].kind) {
    case FIELD_STRING:
        return string_or_null(*FIELD(doc, char *const, i));
    case FIELD_YEAR:
        return doc->year ? json_integer(doc->year) : json_null();
    case FIELD_LIST:
        return strlist_json(FIELD(doc, const tc_strlist_t, i));
    case FIELD_DEADLINES: {
        json_t *deadlines = json_array();
        for (size_t k = 0; k < doc->n_deadlines; k++)
            json_array_append_new(deadlines, json_pack("{s:s?, s:s?}", "date", doc->deadlines[k].date, "text",
                                                       doc->deadlines[k].text));
        return deadlines;
    }
    case FIELD_PERIOD:
        return doc->period_from || doc->period_to
                   ? json_pack("{s:s?, s:s?}", "from", doc->period_from, "to", doc->period_to)
                   : json_null();
    case FIELD_REFERENCES: {
        json_t *references = json_array();
        for (size_t k = 0; k < doc->n_references; k++) {
            const tc_reference_t *r = &doc->references[k];
            json_array_append_new(references, json_pack("{s:s?, s:s?, s:s?, s:s?}", "type", r->type, "number",
                                                        r->number, "date", r->date, "issuer", r->issuer));
        }
        return references;
    }
    }
    return json_null();
}

json_t *tc_doc_json(const tc_doc_t *doc, int include_text)
{
    json_t *o = json_object();
    for (size_t i = 0; i < sizeof doc_fields / sizeof *doc_fields; i++)
        if (include_text || strcmp(doc_fields[i].name, "text") != 0)
            json_object_set_new(o, doc_fields[i].name, field_json(doc, i));
    return o;
}

static char *dup_string(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? strdup(s) : NULL;
}

static void strlist_from_json(tc_strlist_t *list, json_t *array)
{
    size_t i;
    json_t *item;
    json_array_foreach(array, i, item)
    {
        const char *s = json_string_value(item);
        if (s)
            tc_strlist_push(list, s, strlen(s));
    }
}

tc_status_t tc_doc_from_json(tc_doc_t **out, const char *json, size_t len)
{
    json_error_t error;
    *out = NULL;
    json_t *o = json_loadb(json, len, 0, &error);
    if (!json_is_object(o)) {
        json_decref(o);
        return TC_STATUS_BAD_INPUT;
    }
    tc_doc_t *doc = tc_doc_new();
    if (!doc) {
        json_decref(o);
        return TC_STATUS_OUT_OF_MEMORY;
    }
    for (size_t i = 0; i < sizeof doc_fields / sizeof *doc_fields; i++) {
        json_t *value = json_object_get(o, doc_fields[i].name);
        switch (doc_fields[i].kind) {
        case FIELD_STRING:
            *FIELD(doc, char *, i) = dup_string(o, doc_fields[i].name);
            break;
        case FIELD_YEAR:
            doc->year = (int)json_integer_value(value);
            break;
        case FIELD_LIST:
            strlist_from_json(FIELD(doc, tc_strlist_t, i), value);
            break;
        case FIELD_DEADLINES: {
            size_t n = json_array_size(value);
            if (n && (doc->deadlines = calloc(n, sizeof *doc->deadlines))) {
                doc->n_deadlines = n;
                for (size_t k = 0; k < n; k++) {
                    json_t *d = json_array_get(value, k);
                    doc->deadlines[k].date = dup_string(d, "date");
                    doc->deadlines[k].text = dup_string(d, "text");
                }
            }
            break;
        }
        case FIELD_PERIOD:
            if (json_is_object(value)) {
                doc->period_from = dup_string(value, "from");
                doc->period_to = dup_string(value, "to");
            }
            break;
        case FIELD_REFERENCES: {
            size_t n = json_array_size(value);
            if (n && (doc->references = calloc(n, sizeof *doc->references))) {
                doc->n_references = n;
                for (size_t k = 0; k < n; k++) {
                    json_t *r = json_array_get(value, k);
                    doc->references[k].type = dup_string(r, "type");
                    doc->references[k].number = dup_string(r, "number");
                    doc->references[k].date = dup_string(r, "date");
                    doc->references[k].issuer = dup_string(r, "issuer");
                }
            }
            break;
        }
        }
    }
    json_decref(o);
    *out = doc;
    return TC_STATUS_SUCCESS;
}

static char *dump(json_t *value)
{
    char *s = json_dumps(value, JSON_COMPACT);
    json_decref(value);
    return s;
}

char *tc_doc_to_json(const tc_doc_t *doc, int include_text)
{
    return doc ? dump(tc_doc_json(doc, include_text)) : NULL;
}

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

static json_t *facet_json(const tc_facet_t *facet)
{
    json_t *array = json_array();
    for (size_t i = 0; i < facet->count; i++)
        json_array_append_new(array, json_pack("{s:s, s:I}", "value", facet->values[i].value,
                                               "count", (json_int_t)facet->values[i].count));
    return array;
}

char *tc_results_to_json(const tc_results_t *results)
{
    json_t *hits = json_array();
    for (size_t i = 0; i < results->n_hits; i++) {
        const tc_hit_t *hit = &results->hits[i];
        json_t *o = tc_doc_json(hit->doc, 0);
        json_object_set_new(o, "snippet", string_or_null(hit->snippet));
        json_t *spans = json_array();
        for (size_t h = 0; h < hit->n_highlights; h++)
            json_array_append_new(spans, json_pack("[I, I]", (json_int_t)hit->highlights[h].start,
                                                   (json_int_t)hit->highlights[h].end));
        json_object_set_new(o, "highlights", spans);
        json_object_set_new(o, "also_in", strlist_json(&hit->also_in));
        json_object_set_new(o, "score", json_real(hit->score));
        json_array_append_new(hits, o);
    }
    json_t *facets = json_pack("{s:o, s:o, s:o}", "issuer", facet_json(&results->issuer), "year",
                               facet_json(&results->year), "doc_type", facet_json(&results->doc_type));
    json_t *distinct = json_pack("{s:I, s:I, s:I}", "issuer", (json_int_t)results->issuer.distinct, "year",
                                 (json_int_t)results->year.distinct, "doc_type", (json_int_t)results->doc_type.distinct);
    return dump(json_pack("{s:I, s:b, s:I, s:I, s:o, s:o, s:o}", "total", (json_int_t)results->total, "partial",
                          results->partial, "offset", (json_int_t)results->offset, "limit",
                          (json_int_t)results->limit, "results", hits, "facets", facets, "facets_distinct", distinct));
}

#define ANSI_MATCH "\033[1;33m"
#define ANSI_DIM "\033[2m"
#define ANSI_BOLD "\033[1m"
#define ANSI_RESET "\033[0m"

void tc_results_print_text(FILE *out, const tc_results_t *results, int color)
{
    const char *bold = color ? ANSI_BOLD : "", *dim = color ? ANSI_DIM : "",
               *reset = color ? ANSI_RESET : "";
    if (results->partial)
        fprintf(out, "the search stopped at its time limit: what follows is from the dispatches it looked at\n");
    if (results->n_hits)
        fprintf(out, "%zu-%zu of %s%zu dispatches\n\n", results->offset + 1, results->offset + results->n_hits,
                results->partial ? "at least " : "", results->total);
    else if (results->partial)
        fprintf(out, "no dispatch found before then\n");
    else
        fprintf(out, "no dispatch matches (%zu in all)\n", results->total);
    for (size_t i = 0; i < results->n_hits; i++) {
        const tc_hit_t *hit = &results->hits[i];
        const tc_doc_t *d = hit->doc;
        fprintf(out, "%s%zu.%s %s  %s%s%s%s  %s\n", bold, results->offset + i + 1, reset,
                d->date ? d->date : "----", d->number ? d->number : "", d->symbol ? "/" : "",
                d->symbol ? d->symbol : "", d->number || d->symbol ? "" : "(no number)",
                d->issuer ? d->issuer : "(issuer unknown)");
        if (d->subject)
            fprintf(out, "   %s%s%s\n", bold, d->subject, reset);
        for (size_t k = 0; k < d->n_deadlines; k++)
            fprintf(out, "   %sdeadline %s%s\n", dim, d->deadlines[k].date, reset);
        for (size_t k = 0; k < hit->also_in.count; k++)
            fprintf(out, "   %salso in %s%s\n", dim, hit->also_in.items[k], reset);
        if (hit->snippet && *hit->snippet) {
            fputs("   ", out);
            size_t at = 0;
            for (size_t h = 0; h < hit->n_highlights; h++) {
                const tc_span_t *s = &hit->highlights[h];
                fwrite(hit->snippet + at, 1, s->start - at, out);
                fputs(color ? ANSI_MATCH : "", out);
                fwrite(hit->snippet + s->start, 1, s->end - s->start, out);
                fputs(reset, out);
                at = s->end;
            }
            fprintf(out, "%s\n", hit->snippet + at);
        }
        fprintf(out, "   %s%s%s\n\n", dim, d->id ? d->id : "", reset);
    }
}

char *tc_doc_page_to_json(const tc_doc_page_t *page)
{
    json_t *o = tc_doc_json(page->doc, 1);
    json_t *references = json_object_get(o, "references");
    for (size_t i = 0; i < page->doc->n_references; i++)
        json_object_set_new(json_array_get(references, i), "id", string_or_null(page->reference_ids[i]));
    json_t *cited_by = json_array();
    for (size_t i = 0; i < page->n_cited_by; i++) {
        const tc_doc_t *d = page->cited_by[i];
        json_array_append_new(cited_by, json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}", "id", d->id, "number",
                                                  d->number, "symbol", d->symbol, "date", d->date, "issuer",
                                                  d->issuer, "subject", d->subject));
    }
    json_object_set_new(o, "cited_by", cited_by);
    return dump(o);
}

char *tc_suggestions_to_json(const tc_suggestions_t *suggestions)
{
    return dump(json_pack("{s:o, s:o}", "issuers", strlist_json(&suggestions->issuers), "themes",
                          strlist_json(&suggestions->themes)));
}

char *tc_error_to_json(const char *message)
{
    return dump(json_pack("{s:s}", "error", message ? message : "error"));
}
