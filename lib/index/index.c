/* From a dispatch record to a Xapian document (see schema.h for the terms). */
#include "index/index.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/dates.h"
#include "text/fold.h"
#include "index/records.h"
#include "index/schema.h"
#include "text/tokenize.h"

tc_status_t tc_index_fail(tc_index_t *index, tc_status_t status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    char *message = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (message)
        vsnprintf(message, (size_t)n + 1, fmt, ap);
    va_end(ap);
    if (message) {
        free(index->error);
        index->error = message;
    }
    return status;
}

int tc_term_append(tc_buf_t *out, const char *prefix, const char *folded)
{
    tc_buf_reset(out);
    return tc_buf_puts(out, prefix) < 0 || tc_buf_puts(out, folded) < 0 ? -1 : 0;
}

/* The identity of what a path opens: the stub file of a layout folder (a
 * rebuild renames a new one into place), else the folder itself. */
static int index_identity(const char *path, dev_t *dev, ino_t *ino)
{
    struct stat st;
    char *stub = tc_strdup_printf("%s/%s", path, TC_LAYOUT_STUB);
    int found = stub && stat(stub, &st) == 0;
    free(stub);
    if (!found && stat(path, &st) != 0)
        return -1;
    *dev = st.st_dev;
    *ino = st.st_ino;
    return 0;
}

int tc_layout_write_stub(const char *dir, unsigned generation, unsigned shards)
{
    char *tmp = tc_strdup_printf("%s/%s.tmp", dir, TC_LAYOUT_STUB);
    char *stub = tc_strdup_printf("%s/%s", dir, TC_LAYOUT_STUB);
    int rc = -1;
    FILE *f = tmp && stub ? fopen(tmp, "w") : NULL;
    if (f) {
        /* Written aside and renamed: a reader sees the old stub or the new. */
        int ok = 1;
        if (shards <= 1)
            ok = fprintf(f, "glass " TC_LAYOUT_GENERATION "\n", generation) > 0;
        for (unsigned i = 0; shards > 1 && i < shards && ok; i++)
            ok = fprintf(f, "glass " TC_LAYOUT_GENERATION "/" TC_LAYOUT_SHARD "\n", generation, i) > 0;
        ok = ok && fflush(f) == 0 && fsync(fileno(f)) == 0;
        ok = fclose(f) == 0 && ok;
        rc = ok && rename(tmp, stub) == 0 ? 0 : -1;
        if (rc == 0) {
            int dfd = open(dir, O_RDONLY | O_DIRECTORY);
            if (dfd >= 0) {
                fsync(dfd);
                close(dfd);
            }
        }
    }
    free(tmp);
    free(stub);
    return rc;
}

/* Reads dir's stub: the generation its first line names, and how many
 * databases it lists. */
static void read_stub(const char *dir, unsigned *generation, unsigned *shards)
{
    char *stub = tc_strdup_printf("%s/%s", dir, TC_LAYOUT_STUB);
    FILE *f = stub ? fopen(stub, "r") : NULL;
    char line[512];
    *generation = *shards = 0;
    while (f && fgets(line, sizeof line, f)) {
        if (line[0] == '\n' || line[0] == '#')
            continue;
        if (!*shards && sscanf(line, "glass " TC_LAYOUT_GENERATION, generation) != 1)
            *generation = 0;
        (*shards)++;
    }
    if (f)
        fclose(f);
    free(stub);
}

unsigned tc_layout_generation(const char *dir)
{
    unsigned generation, shards;
    read_stub(dir, &generation, &shards);
    return generation;
}

unsigned tc_layout_shards(const char *dir)
{
    unsigned generation, shards;
    read_stub(dir, &generation, &shards);
    return shards;
}

/* A new index is a folder holding generation 1 and a stub naming it. */
static tc_status_t layout_create(tc_index_t *index, const char *path)
{
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        return tc_index_fail(index, TC_STATUS_FILE_ERROR, "cannot create index %s: %s", path, strerror(errno));
    char *first = tc_strdup_printf("%s/" TC_LAYOUT_GENERATION, path, 1u);
    if (!first)
        return tc_index_fail(index, TC_STATUS_OUT_OF_MEMORY, "out of memory");
    xw_db_t *db = NULL;
    tc_status_t status = xw_db_open(&db, first, 1);
    if (status == TC_STATUS_SUCCESS)
        status = xw_db_commit(db);
    if (status != TC_STATUS_SUCCESS)
        tc_index_fail(index, status, "cannot create index %s: %s", path, xw_db_error(db));
    xw_db_close(db);
    free(first);
    if (status == TC_STATUS_SUCCESS && tc_layout_write_stub(path, 1, 1) < 0)
        status = tc_index_fail(index, TC_STATUS_FILE_ERROR, "cannot create index %s: %s", path, strerror(errno));
    return status;
}

/* True when path is missing or an empty folder: a place for a new index. */
static int is_new_place(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return errno == ENOENT;
    struct dirent *e;
    int empty = 1;
    while (empty && (e = readdir(d)))
        empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
                strcmp(e->d_name, TC_LAYOUT_LOCK) == 0;
    closedir(d);
    return empty;
}

/* Sets metadata key to value; a failure is said on the handle. */
static tc_status_t write_metadata(tc_index_t *index, const char *key, const char *value)
{
    tc_status_t status = xw_db_set_metadata(index->db, key, value);
    if (status != TC_STATUS_SUCCESS)
        tc_index_fail(index, status, "cannot write to index %s: %s", index->path, xw_db_error(index->db));
    return status;
}

/* Reader and writer refuse an index of another format (an empty one is
 * fine) instead of answering wrongly, or adding records beside ones it
 * cannot read; a writer then stamps the format. */
static tc_status_t check_format(tc_index_t *index, const char *path, tc_index_mode_t mode)
{
    char *format = NULL;
    size_t count = 0;
    tc_status_t status = xw_db_get_metadata(index->db, TC_FORMAT_KEY, &format);
    if (status == TC_STATUS_SUCCESS)
        status = xw_db_doc_count(index->db, &count);
    if (status != TC_STATUS_SUCCESS)
        status = tc_index_fail(index, status, "cannot read index %s: %s", path, xw_db_error(index->db));
    else if (count > 0 && strcmp(format, TC_FORMAT_VERSION) != 0)
        status = tc_index_fail(index, TC_STATUS_NO_INDEX,
                               "index %s was built by another version of the indexer (format %s, not %s); "
                               "rebuild it with: indexer --db %s --rebuild FOLDER",
                               path, *format ? format : "1", TC_FORMAT_VERSION, path);
    else if (mode == TC_INDEX_WRITE)
        status = write_metadata(index, TC_FORMAT_KEY, TC_FORMAT_VERSION);
    free(format);
    return status;
}

/* Takes dict (dict_len bytes) as the index's record dictionary: makes the
 * records packed with it readable, and a writer packs with it. */
static tc_status_t take_dict(tc_index_t *index, char *dict, size_t dict_len)
{
    tc_data_dict_t *packer = NULL;
    if (tc_data_dict_register(dict, dict_len) < 0 ||
        (index->mode == TC_INDEX_WRITE && !(packer = tc_data_dict_new(dict, dict_len)))) {
        free(dict);
        return TC_STATUS_BAD_INPUT;
    }
    tc_data_dict_free(index->packer);
    free(index->dict);
    index->packer = packer;
    index->dict = dict;
    index->dict_len = dict_len;
    return TC_STATUS_SUCCESS;
}

/* Takes the index's dictionary and table of usual forms, if it has them,
 * and makes the records it packed readable. */
static tc_status_t load_model(tc_index_t *index)
{
    char *dict = NULL, *forms = NULL;
    size_t dict_len = 0;
    tc_status_t status = xw_db_get_metadata_bytes(index->db, TC_DICT_KEY, &dict, &dict_len);
    if (status == TC_STATUS_SUCCESS)
        status = xw_db_get_metadata(index->db, TC_FORMS_KEY, &forms);
    /* A generation without a table (too few files to choose one) drops
     * the table of the generation before. */
    if (status == TC_STATUS_SUCCESS && !(index->forms && strcmp(index->forms->text, forms) == 0)) {
        tc_forms_t *table = *forms ? tc_forms_new(forms) : NULL;
        if (table || !*forms) {
            tc_forms_free(index->forms);
            index->forms = table;
        } else {
            status = TC_STATUS_OUT_OF_MEMORY;
        }
    }
    free(forms);
    if (status != TC_STATUS_SUCCESS || !dict_len ||
        (index->dict && index->dict_len == dict_len && memcmp(index->dict, dict, dict_len) == 0)) {
        free(dict);
        return status;
    }
    return take_dict(index, dict, dict_len);
}

tc_status_t tc_index_set_forms(tc_index_t *index, const char *text)
{
    tc_forms_t *table = *text ? tc_forms_new(text) : NULL;
    if (*text && !table)
        return tc_index_fail(index, TC_STATUS_OUT_OF_MEMORY, "cannot read the table of usual forms");
    tc_status_t status = write_metadata(index, TC_FORMS_KEY, text);
    if (status != TC_STATUS_SUCCESS) {
        tc_forms_free(table);
        return status;
    }
    tc_forms_free(index->forms);
    index->forms = table;
    return status;
}

/* The dictionary is taken (checked, made readable) before it is written:
 * an index never holds one its next open would refuse. */
tc_status_t tc_index_set_dict(tc_index_t *index, const char *dict, size_t dict_len)
{
    char *copy = tc_strndup(dict, dict_len);
    if (!copy)
        return tc_index_fail(index, TC_STATUS_OUT_OF_MEMORY, "out of memory");
    tc_status_t status = take_dict(index, copy, dict_len);
    if (status != TC_STATUS_SUCCESS)
        return tc_index_fail(index, status, "cannot set the record dictionary");
    status = xw_db_set_metadata_bytes(index->db, TC_DICT_KEY, dict, dict_len);
    if (status != TC_STATUS_SUCCESS)
        return tc_index_fail(index, status, "cannot write to index %s: %s", index->path, xw_db_error(index->db));
    return status;
}

tc_status_t tc_index_open_plain(tc_index_t **out, const char *path, tc_index_mode_t mode, int plain)
{
    *out = NULL;
    if (!path)
        return TC_STATUS_INVALID_ARGUMENT;
    tc_index_t *index = calloc(1, sizeof *index);
    if (!index)
        return TC_STATUS_OUT_OF_MEMORY;
    index->mode = mode;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    index->search_threads = cores < 1 ? 1 : cores > TC_MAX_SEARCH_THREADS ? TC_MAX_SEARCH_THREADS : (unsigned)cores;
    index->error = strdup("");
    index->path = strdup(path);
    *out = index;
    if (!index->error || !index->path)
        return TC_STATUS_OUT_OF_MEMORY;

    struct stat st;
    if (mode == TC_INDEX_READ && stat(path, &st) != 0)
        return tc_index_fail(index, TC_STATUS_NO_INDEX,
                             "no index at %s (build one with: indexer --db %s FOLDER)", path, path);
    tc_status_t status = TC_STATUS_SUCCESS;
    if (mode == TC_INDEX_WRITE && !plain && is_new_place(path))
        status = layout_create(index, path);
    if (status != TC_STATUS_SUCCESS)
        return status;
    status = xw_db_open(&index->db, path, mode == TC_INDEX_WRITE);
    if (status == TC_STATUS_SUCCESS && (status = check_format(index, path, mode)) != TC_STATUS_SUCCESS) {
        xw_db_close(index->db); /* check_format said why */
        index->db = NULL;
        return status;
    }
    if (status == TC_STATUS_SUCCESS && (status = load_model(index)) == TC_STATUS_BAD_INPUT) {
        tc_index_fail(index, status, "cannot read index %s: its record dictionary is damaged", path);
        xw_db_close(index->db);
        index->db = NULL;
        return status;
    }
    if (status != TC_STATUS_SUCCESS)
        tc_index_fail(index, status, "cannot read index %s: %s", path, xw_db_error(index->db));
    switch (status) {
    case TC_STATUS_SUCCESS:
        index_identity(path, &index->dev, &index->ino);
        return status;
    case TC_STATUS_NO_INDEX:
        tc_index_fail(index, status, "no usable index at %s (%s)", path, xw_db_error(index->db));
        break;
    case TC_STATUS_INDEX_LOCKED:
        tc_index_fail(index, status, "index %s is locked by another indexer (%s)", path, xw_db_error(index->db));
        break;
    default:
        tc_index_fail(index, status, "cannot open index %s: %s", path,
                      index->db ? xw_db_error(index->db) : tc_status_to_string(status));
        break;
    }
    /* A handle that failed to open holds nothing; tc_index_refresh() may
     * open it later. */
    xw_db_close(index->db);
    index->db = NULL;
    return status;
}

tc_status_t tc_index_open(tc_index_t **out, const char *path, tc_index_mode_t mode)
{
    return tc_index_open_plain(out, path, mode, 0);
}

void tc_index_close(tc_index_t *index)
{
    if (!index)
        return;
    xw_db_close(index->db);
    free(index->path);
    free(index->error);
    free(index->dict);
    tc_data_dict_free(index->packer);
    tc_forms_free(index->forms);
    free(index);
}

const char *tc_index_last_error(const tc_index_t *index)
{
    return index && index->error ? index->error : "";
}

tc_status_t tc_index_set_search_threads(tc_index_t *index, unsigned threads)
{
    if (!index || threads < 1 || threads > TC_MAX_SEARCH_THREADS)
        return TC_STATUS_INVALID_ARGUMENT;
    index->search_threads = threads;
    return TC_STATUS_SUCCESS;
}

/* How the words of a field go into the index. */
typedef enum {
    WORDS_TEXT,       /* folded postings, plus exact forms as plain terms */
    WORDS_POSITIONAL, /* prefixed folded postings (phrase filters) */
    WORDS_BOOLEAN,    /* prefixed folded boolean terms (word filters) */
} words_mode_t;

/* What a document's text has of the words with a usual form. */
typedef struct {
    const tc_forms_t *forms; /* NULL: no usual forms */
    unsigned char *seen;     /* by form number: WORD_SEEN | USUAL_SEEN */
} usual_seen_t;
#define WORD_SEEN 1
#define USUAL_SEEN 2

/* A text is tokenized a slice at a time: the tokens of a whole text take
 * about 60 bytes a word and its UTF-16 copy 10 bytes a unit, so a 20 MB
 * dispatch (3.5M words) held 207 MB of tokens and 165 MB of copies at once
 * (heaptrack), and the indexer peaked at 437 MB (/usr/bin/time -v); two of
 * them prepared at once, 687 MB.  In slices of 256 kB these stay under
 * 5 MB, which a thread keeps for the next text (tokenize.c lets go of
 * copies over a million units).  A slice ends after a line end, or else
 * before an ASCII letter or digit following a space: ICU breaks words
 * there whatever surrounds it, so the words are those of the whole text. */
#define TOKENIZE_SLICE_BYTES (256u * 1024u)

/* Where the slice of text starting at from ends (at most len). */
static size_t slice_end(const char *text, size_t from, size_t len)
{
    if (len - from <= TOKENIZE_SLICE_BYTES)
        return len;
    size_t limit = from + TOKENIZE_SLICE_BYTES;
    for (size_t i = limit; i > from + TOKENIZE_SLICE_BYTES / 2; i--)
        if (text[i - 1] == '\n')
            return i;
    for (size_t i = limit; i > from + 1; i--) {
        unsigned char next = (unsigned char)text[i];
        if (text[i - 1] == ' ' && next < 0x80 && (('0' <= next && next <= '9') || ('a' <= (next | 0x20) && (next | 0x20) <= 'z')))
            return i;
    }
    return len; /* no safe place: the rest in one piece */
}

/* Adds the words of one slice (see index_words); *unmarked counts the
 * words that get no exact term. */
static int index_tokens(xw_doc_t *xdoc, const tc_tokens_t *toks, words_mode_t mode, const char *prefix,
                        unsigned *position, tc_buf_t *term, usual_seen_t *usual, unsigned *unmarked)
{
    int rc = 0;
    size_t prefix_len = strlen(prefix);
    /* Counted in locals: through the pointers, every word would load and
     * store them around the calls to Xapian. */
    unsigned last = position ? *position : 0, words_unmarked = 0;
    for (size_t i = 0; i < toks->count && rc == 0; i++) {
        const char *folded = TC_TOKEN_FOLDED(toks, i);
        unsigned pos = mode == WORDS_BOOLEAN ? 0 : ++last;
        words_unmarked += mode == WORDS_TEXT && !toks->tokens[i].accented;
        size_t folded_len = strlen(folded);
        if (!folded_len || folded_len > TC_MAX_TERM_BYTES)
            continue;
        /* tc_term_append, without measuring the strings again. */
        tc_buf_reset(term);
        if (tc_buf_append(term, prefix, prefix_len) < 0 || tc_buf_append(term, folded, folded_len) < 0)
            continue;
        switch (mode) {
        case WORDS_TEXT: {
            /* Exact forms only where they say more than the folded one and
             * its usual form. */
            rc = xw_doc_add_posting(xdoc, term->data, pos) < 0;
            long form = tc_forms_find(usual->forms, folded);
            const char *exact = TC_TOKEN_EXACT(toks, i);
            if (form >= 0) {
                usual->seen[form] |= WORD_SEEN;
                if (toks->tokens[i].accented && strcmp(exact, usual->forms->usual[form]) == 0) {
                    usual->seen[form] |= USUAL_SEEN;
                    words_unmarked++;
                    break;
                }
            }
            if (rc == 0 && toks->tokens[i].accented) {
                tc_buf_reset(term);
                rc = tc_buf_append(term, TC_PREFIX_EXACT, sizeof TC_PREFIX_EXACT - 1) < 0 ||
                     tc_buf_append(term, exact, strlen(exact)) < 0 || xw_doc_add_term(xdoc, term->data, 1) < 0;
            }
            break;
        }
        case WORDS_POSITIONAL:
            rc = xw_doc_add_posting(xdoc, term->data, pos) < 0;
            break;
        case WORDS_BOOLEAN:
            rc = xw_doc_add_boolean_term(xdoc, term->data) < 0;
            break;
        }
    }
    if (position)
        *position = last;
    *unmarked += words_unmarked;
    return rc;
}

/* Adds the words of text under prefix ("" for WORDS_TEXT, which notes in
 * usual what it saw); positional modes number them from *position on and
 * leave a gap after the field. */
static int index_words(xw_doc_t *xdoc, const char *text, words_mode_t mode, const char *prefix,
                       unsigned *position, tc_buf_t *term, usual_seen_t *usual)
{
    if (!text)
        return 0;
    tc_tokens_t toks = { 0 };
    int rc = 0;
    unsigned unmarked = 0;
    size_t len = strlen(text);
    for (size_t from = 0, to; from < len && rc == 0; from = to) {
        to = slice_end(text, from, len);
        tc_tokens_free(&toks);
        rc = tc_tokenize(&toks, text + from, to - from) != TC_STATUS_SUCCESS ||
             index_tokens(xdoc, &toks, mode, prefix, position, term, usual, &unmarked);
    }
    if (mode != WORDS_BOOLEAN)
        *position += TC_FIELD_POSITION_GAP;
    /* Words without marks or in their usual form have no exact term; the
     * pad term stands in for them, so that a document's length (which BM25
     * divides by) does not depend on which of its words have one. */
    if (rc == 0 && unmarked && (tc_term_append(term, TC_PREFIX_PAD, "") < 0 || xw_doc_add_term(xdoc, term->data, unmarked) < 0))
        rc = -1;
    tc_tokens_free(&toks);
    return rc ? -1 : 0;
}

char *tc_number_key(const char *number, const char *symbol)
{
    tc_buf_t whole = TC_BUF_INIT;
    if (!number || !*number)
        return NULL;
    if (tc_buf_puts(&whole, number) < 0 || (symbol && (tc_buf_putc(&whole, '/') < 0 || tc_buf_puts(&whole, symbol) < 0))) {
        tc_buf_free(&whole);
        return NULL;
    }
    char *key = tc_fold_words(whole.data);
    tc_buf_free(&whole);
    return key;
}

static int index_number_term(xw_doc_t *xdoc, const char *prefix, const char *number, const char *symbol,
                             tc_buf_t *term)
{
    char *key = tc_number_key(number, symbol);
    int rc = key && *key && strlen(key) <= TC_MAX_TERM_BYTES &&
             (tc_term_append(term, prefix, key) < 0 || xw_doc_add_boolean_term(xdoc, term->data) < 0);
    free(key);
    return rc ? -1 : 0;
}

/* Copies of one dispatch share number, symbol and date: this key (NULL
 * when the dispatch has no number or date, or memory ran out). */
static char *duplicate_key(const tc_doc_t *doc)
{
    if (!doc->number || !doc->date)
        return NULL;
    char *number = tc_number_key(doc->number, doc->symbol);
    char *key = number ? tc_strdup_printf("%s %s", number, doc->date) : NULL;
    free(number);
    if (key && strlen(key) > TC_MAX_TERM_BYTES) {
        free(key);
        key = NULL;
    }
    return key;
}

static int index_duplicate_key(xw_doc_t *xdoc, const tc_doc_t *doc, tc_buf_t *term)
{
    if (!doc->number || !doc->date)
        return 0;
    char *key = duplicate_key(doc);
    int rc = !key || (
                      (tc_term_append(term, TC_PREFIX_DUPLICATE, key) < 0 ||
                       xw_doc_add_boolean_term(xdoc, term->data) < 0 ||
                       xw_doc_set_value(xdoc, TC_SLOT_DUPLICATE, key) < 0));
    free(key);
    return rc ? -1 : 0;
}

/* A deadline's year, month and day terms, for the day it falls due (a
 * whole month or year, "2025-12", is due by its last day: tc_date_read). */
static int index_deadline(xw_doc_t *xdoc, int y, int m, int d, tc_buf_t *term)
{
    char digits[9];
    snprintf(digits, sizeof digits, "%04d%02d%02d", y, m, d);
    const char *prefixes[] = { TC_PREFIX_DEADLINE_YEAR, TC_PREFIX_DEADLINE_MONTH, TC_PREFIX_DEADLINE_DAY };
    const size_t lengths[] = { 4, 6, 8 };
    for (int k = 0; k < 3; k++) {
        tc_buf_reset(term);
        if (tc_buf_puts(term, prefixes[k]) < 0 || tc_buf_append(term, digits, lengths[k]) < 0 ||
            xw_doc_add_boolean_term(xdoc, term->data) < 0)
            return -1;
    }
    return 0;
}

/* Free text: the body, then issuer and its parent (which header-less
 * dispatches do not print but users search for). */
#define TEXT_FIELDS(doc) { (doc)->text, (doc)->issuer, (doc)->issuer_parent }

tc_status_t tc_index_sample_forms(tc_forms_sample_t *sample, const tc_doc_t *doc)
{
    const char *fields[] = TEXT_FIELDS(doc);
    tc_status_t status = TC_STATUS_SUCCESS;
    tc_forms_sample_next_doc(sample);
    for (size_t i = 0; i < sizeof fields / sizeof *fields && status == TC_STATUS_SUCCESS; i++) {
        size_t len = fields[i] ? strlen(fields[i]) : 0;
        for (size_t from = 0, to; from < len && status == TC_STATUS_SUCCESS; from = to) {
            tc_tokens_t toks = { 0 };
            to = slice_end(fields[i], from, len);
            if ((status = tc_tokenize(&toks, fields[i] + from, to - from)) == TC_STATUS_SUCCESS)
                tc_forms_sample_add(sample, &toks);
            tc_tokens_free(&toks);
        }
    }
    return status == TC_STATUS_SUCCESS && sample->failed ? TC_STATUS_OUT_OF_MEMORY : status;
}

static int index_text(xw_doc_t *xdoc, const tc_doc_t *doc, const tc_forms_t *forms, unsigned *position,
                      tc_buf_t *term)
{
    /* A table always has a form (an empty one is no table). */
    usual_seen_t usual = { forms, NULL };
    if (forms && !(usual.seen = calloc(forms->folded.count, 1)))
        return -1;
    const char *fields[] = TEXT_FIELDS(doc);
    int rc = 0;
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        rc |= index_words(xdoc, fields[i], WORDS_TEXT, "", position, term, &usual);
    for (size_t form = 0; usual.forms && form < forms->folded.count && rc == 0; form++)
        if (usual.seen[form] == WORD_SEEN)
            rc = tc_term_append(term, TC_PREFIX_UNUSUAL, forms->folded.keys[form]) < 0 ||
                 xw_doc_add_boolean_term(xdoc, term->data) < 0;
    free(usual.seen);
    return rc ? -1 : 0;
}

static int index_metadata(xw_doc_t *xdoc, const tc_doc_t *doc, const tc_forms_t *forms, tc_buf_t *term)
{
    unsigned position = 0;
    int rc = index_text(xdoc, doc, forms, &position, term);

    const char *issuer_fields[] = { doc->issuer, doc->issuer_parent, doc->place };
    for (size_t i = 0; i < 3; i++)
        rc |= index_words(xdoc, issuer_fields[i], WORDS_BOOLEAN, TC_PREFIX_ISSUER, NULL, term, NULL);

    unsigned theme_position = 0;
    for (size_t i = 0; i < doc->themes.count; i++)
        rc |= index_words(xdoc, doc->themes.items[i], WORDS_POSITIONAL, TC_PREFIX_THEME, &theme_position, term, NULL);
    for (size_t i = 0; i < doc->slogans.count; i++)
        rc |= index_words(xdoc, doc->slogans.items[i], WORDS_POSITIONAL, TC_PREFIX_THEME, &theme_position, term, NULL);
    rc |= index_words(xdoc, doc->subject, WORDS_POSITIONAL, TC_PREFIX_THEME, &theme_position, term, NULL);

    if (doc->doc_type) {
        char *type = tc_fold_words(doc->doc_type);
        rc |= !type || tc_term_append(term, TC_PREFIX_TYPE, type) < 0 ||
              xw_doc_add_boolean_term(xdoc, term->data) < 0;
        free(type);
        rc |= xw_doc_set_value(xdoc, TC_SLOT_DOC_TYPE, doc->doc_type);
    }
    if (doc->year > 0) {
        char year[16];
        snprintf(year, sizeof year, "%d", doc->year);
        rc |= tc_term_append(term, TC_PREFIX_YEAR, year) < 0 ||
              xw_doc_add_boolean_term(xdoc, term->data) < 0;
        rc |= xw_doc_set_value(xdoc, TC_SLOT_YEAR, year);
    }
    char first_due[16] = "";
    for (size_t i = 0; i < doc->n_deadlines; i++) {
        int y, m, d;
        char due[16];
        if (!doc->deadlines[i].date || tc_date_read(doc->deadlines[i].date, 1, &y, &m, &d) < 0)
            continue;
        rc |= index_deadline(xdoc, y, m, d, term);
        snprintf(due, sizeof due, "%04d-%02d-%02d", y, m, d);
        if (!*first_due || strcmp(due, first_due) < 0)
            memcpy(first_due, due, sizeof due);
    }
    if (*first_due)
        rc |= xw_doc_set_value(xdoc, TC_SLOT_DEADLINE, first_due);
    rc |= index_number_term(xdoc, TC_PREFIX_NUMBER, doc->number, doc->symbol, term);
    rc |= index_duplicate_key(xdoc, doc, term);
    for (size_t i = 0; i < doc->n_references; i++)
        rc |= index_number_term(xdoc, TC_PREFIX_CITES, doc->references[i].number, NULL, term);
    /* A term for each level that may see it: the filter of a caller's
     * level is then one term, not an OR of the levels below it. */
    for (unsigned level = doc->access; level < TC_ACCESS_LEVELS; level++)
        rc |= tc_term_append(term, TC_PREFIX_ACCESS, tc_access_name(level)) < 0 ||
              xw_doc_add_boolean_term(xdoc, term->data) < 0;
    if (doc->date)
        rc |= xw_doc_set_value(xdoc, TC_SLOT_DATE, doc->date);
    if (doc->issuer)
        rc |= xw_doc_set_value(xdoc, TC_SLOT_ISSUER, doc->issuer);
    return rc ? -1 : 0;
}

/* Completion keys for one display string (see schema.h): one per word,
 * so that typing any word of "Sở Y tế tỉnh Lai Châu" offers it. */
static tc_status_t add_suggestion(tc_index_t *index, const char *kind, const char *display, tc_buf_t *key)
{
    char *words = display ? tc_fold_words(display) : NULL;
    tc_status_t status = TC_STATUS_SUCCESS;
    if (!words)
        return display ? TC_STATUS_OUT_OF_MEMORY : status;
    for (const char *from = words; *from && status == TC_STATUS_SUCCESS;) {
        tc_buf_reset(key);
        if (tc_buf_puts(key, kind) < 0 || tc_buf_puts(key, from) < 0 || tc_buf_putc(key, '\x1f') < 0 ||
            tc_buf_puts(key, words) < 0) {
            status = TC_STATUS_OUT_OF_MEMORY;
            break;
        }
        if (key->len <= TC_MAX_TERM_BYTES * 2)
            status = xw_db_set_metadata(index->db, key->data, display);
        const char *space = strchr(from, ' ');
        from = space ? space + 1 : from + strlen(from);
    }
    free(words);
    return status;
}

static tc_status_t add_suggestions(tc_index_t *index, const tc_doc_t *doc, tc_buf_t *key)
{
    tc_status_t status = add_suggestion(index, TC_SUGGEST_ISSUER, doc->issuer, key);
    for (size_t i = 0; i < doc->themes.count && status == TC_STATUS_SUCCESS; i++)
        status = add_suggestion(index, TC_SUGGEST_THEME, doc->themes.items[i], key);
    for (size_t i = 0; i < doc->slogans.count && status == TC_STATUS_SUCCESS; i++)
        status = add_suggestion(index, TC_SUGGEST_THEME, doc->slogans.items[i], key);
    return status;
}

tc_status_t tc_index_add(tc_index_t *index, const tc_doc_t *doc)
{
    return tc_index_add_from(index, doc, NULL, NULL);
}

struct tc_prepared {
    xw_doc_t *xdoc;
    char *id_term;
    char *copies_term; /* the duplicate-key term, or NULL */
    const tc_doc_t *doc; /* borrowed: for the completions written with it */
};

tc_status_t tc_index_prepare(tc_prepared_t **out, const tc_doc_t *doc, const char *source, const char *folder,
                             const tc_index_t *model, char **message)
{
    *out = NULL;
    *message = NULL;
    if (!doc || !doc->id)
        return TC_STATUS_INVALID_ARGUMENT;
    if (strlen(doc->id) + 1 > 240) {
        *message = tc_strdup_printf("%s: id longer than 240 bytes", doc->id);
        return TC_STATUS_BAD_INPUT;
    }
    tc_status_t status = TC_STATUS_OUT_OF_MEMORY;
    tc_buf_t term = TC_BUF_INIT;
    char *data = NULL;
    tc_prepared_t *p = calloc(1, sizeof *p);
    if (!p || !(p->xdoc = xw_doc_new()))
        goto done;
    p->doc = doc;
    if (index_metadata(p->xdoc, doc, model ? model->forms : NULL, &term) < 0) {
        status = TC_STATUS_BAD_INPUT;
        *message = tc_strdup_printf("%s: cannot make index terms", doc->id);
        goto done;
    }
    size_t data_len = 0;
    data = model && model->packer ? tc_doc_to_data_packed(doc, model->packer, &data_len)
                                    : tc_doc_to_data(doc, &data_len);
    if (!data || xw_doc_set_data(p->xdoc, data, data_len) < 0)
        goto done;
    if ((source && xw_doc_set_value(p->xdoc, TC_SLOT_SOURCE, source) < 0) ||
        xw_doc_set_value(p->xdoc, TC_SLOT_ID, doc->id) < 0 ||
        (folder && (tc_term_append(&term, TC_PREFIX_FOLDER, folder) < 0 ||
                    xw_doc_add_boolean_term(p->xdoc, term.data) < 0)))
        goto done;
    if (doc->ocr_cache_key && (tc_term_append(&term, TC_PREFIX_OCR_KEY, doc->ocr_cache_key) < 0 ||
                               xw_doc_add_boolean_term(p->xdoc, term.data) < 0))
        goto done;
    if (tc_term_append(&term, TC_PREFIX_ID, doc->id) < 0 || xw_doc_add_boolean_term(p->xdoc, term.data) < 0 ||
        !(p->id_term = strdup(term.data)))
        goto done;
    char *key = duplicate_key(doc);
    if (key && (tc_term_append(&term, TC_PREFIX_DUPLICATE, key) < 0 || !(p->copies_term = strdup(term.data)))) {
        free(key);
        goto done;
    }
    free(key);
    *out = p;
    p = NULL;
    status = TC_STATUS_SUCCESS;
done:
    tc_prepared_free(p);
    free(data);
    tc_buf_free(&term);
    return status;
}

void tc_prepared_free(tc_prepared_t *p)
{
    if (!p)
        return;
    xw_doc_free(p->xdoc);
    free(p->id_term);
    free(p->copies_term);
    free(p);
}

tc_status_t tc_index_mark_copies(tc_index_t *meta)
{
    return xw_db_set_metadata(meta->db, TC_COPIES_KEY, "1");
}

int tc_index_has_copies(tc_index_t *index)
{
    char *flag = NULL;
    int has = xw_db_get_metadata(index->db, TC_COPIES_KEY, &flag) == TC_STATUS_SUCCESS && flag && *flag == '1';
    free(flag);
    return has;
}

/* fresh: add without looking for an earlier version; count_copies: look
 * for another copy in index (a writer of one part of a rebuild cannot see
 * the other parts, so its caller watches for copies instead). */
static tc_status_t index_write(tc_index_t *index, tc_index_t *meta, const tc_prepared_t *p, int fresh,
                               int count_copies)
{
    if (!index || !meta || !p)
        return TC_STATUS_INVALID_ARGUMENT;
    if (index->mode != TC_INDEX_WRITE)
        return tc_index_fail(index, TC_STATUS_INVALID_ARGUMENT, "index opened read-only");
    tc_buf_t key = TC_BUF_INIT;
    tc_status_t status = fresh ? xw_db_add(index->db, p->xdoc) : xw_db_replace(index->db, p->id_term, p->xdoc);
    size_t copies = 0;
    if (status == TC_STATUS_SUCCESS && count_copies && p->copies_term &&
        (status = xw_db_term_count(index->db, p->copies_term, &copies)) == TC_STATUS_SUCCESS && copies > 1)
        status = tc_index_mark_copies(meta);
    if (status == TC_STATUS_SUCCESS && (status = add_suggestions(meta, p->doc, &key)) != TC_STATUS_SUCCESS)
        index = meta; /* the failure is meta's to tell */
    tc_buf_free(&key);
    if (status == TC_STATUS_OUT_OF_MEMORY)
        return tc_index_fail(index, status, "out of memory");
    if (status != TC_STATUS_SUCCESS)
        tc_index_fail(index, status, "%s: %s", p->doc->id, xw_db_error(index->db));
    return status;
}

tc_status_t tc_index_write(tc_index_t *index, tc_index_t *meta, const tc_prepared_t *p)
{
    return index_write(index, meta, p, 0, 1);
}

tc_status_t tc_index_write_new(tc_index_t *index, tc_index_t *meta, const tc_prepared_t *p)
{
    return index_write(index, meta, p, 1, 1);
}

tc_status_t tc_index_write_part(tc_index_t *index, tc_index_t *meta, const tc_prepared_t *p)
{
    return index_write(index, meta, p, 1, 0);
}

const char *tc_prepared_copies_term(const tc_prepared_t *p)
{
    return p ? p->copies_term : NULL;
}

tc_status_t tc_index_add_from(tc_index_t *index, const tc_doc_t *doc, const char *source, const char *folder)
{
    if (!index || !doc || !doc->id)
        return TC_STATUS_INVALID_ARGUMENT;
    tc_prepared_t *p = NULL;
    char *message = NULL;
    tc_status_t status = tc_index_prepare(&p, doc, source, folder, index, &message);
    if (status == TC_STATUS_SUCCESS)
        status = tc_index_write(index, index, p);
    else
        tc_index_fail(index, status, "%s", message ? message : tc_status_to_string(status));
    free(message);
    tc_prepared_free(p);
    return status;
}

tc_status_t tc_index_commit(tc_index_t *index)
{
    if (!index)
        return TC_STATUS_INVALID_ARGUMENT;
    tc_status_t status = xw_db_commit(index->db);
    if (status != TC_STATUS_SUCCESS)
        return tc_index_fail(index, status, "cannot commit: %s", xw_db_error(index->db));
    return status;
}

tc_status_t tc_index_doc_count(size_t *out, tc_index_t *index)
{
    if (!index || !out)
        return TC_STATUS_INVALID_ARGUMENT;
    tc_status_t status = xw_db_doc_count(index->db, out);
    if (status != TC_STATUS_SUCCESS)
        return tc_index_fail(index, status, "%s", xw_db_error(index->db));
    return status;
}

tc_status_t tc_index_visible_count(size_t *out, tc_index_t *index, tc_access_t level)
{
    if (!index || !out)
        return TC_STATUS_INVALID_ARGUMENT;
    if (!index->db)
        return tc_index_fail(index, TC_STATUS_NO_INDEX, "the index is not open");
    /* Each dispatch holds the term of every level that may see it: the
     * term's frequency is the count, read without walking its postings. */
    tc_buf_t term = TC_BUF_INIT;
    tc_status_t status = (unsigned)level >= TC_ACCESS_LEVELS ? TC_STATUS_INVALID_ARGUMENT
                         : tc_term_append(&term, TC_PREFIX_ACCESS, tc_access_name(level)) < 0
                             ? TC_STATUS_OUT_OF_MEMORY
                             : xw_db_term_count(index->db, term.data, out);
    tc_buf_free(&term);
    if (status != TC_STATUS_SUCCESS)
        return tc_index_fail(index, status, "%s", status == TC_STATUS_OUT_OF_MEMORY ? "out of memory"
                                                                                     : xw_db_error(index->db));
    return status;
}

tc_status_t tc_index_refresh(tc_index_t *index)
{
    if (!index)
        return TC_STATUS_INVALID_ARGUMENT;
    dev_t dev;
    ino_t ino;
    if (index_identity(index->path, &dev, &ino) != 0)
        return tc_index_fail(index, TC_STATUS_NO_INDEX,
                             "no index at %s (build one with: indexer --db %s FOLDER)", index->path, index->path);
    if (index->db && dev == index->dev && ino == index->ino) {
        /* The dictionary (110 KB of metadata) is read again only when a
         * commit came: searchd refreshes before every request. */
        int changed = 0;
        tc_status_t status = xw_db_reopen(index->db, &changed);
        if (status == TC_STATUS_SUCCESS && changed)
            status = load_model(index);
        if (status != TC_STATUS_SUCCESS)
            return tc_index_fail(index, status, "cannot reopen %s: %s", index->path, xw_db_error(index->db));
        return status;
    }
    /* A new index stands at the path (or the last open failed): open it
     * beside the old handle and switch only once it opened. */
    xw_db_t *fresh = NULL;
    tc_status_t status = xw_db_open(&fresh, index->path, index->mode == TC_INDEX_WRITE);
    if (status != TC_STATUS_SUCCESS) {
        tc_index_fail(index, status, "cannot open index %s: %s", index->path, xw_db_error(fresh));
        xw_db_close(fresh);
        return status;
    }
    xw_db_close(index->db);
    index->db = fresh;
    index->dev = dev;
    index->ino = ino;
    status = load_model(index);
    if (status != TC_STATUS_SUCCESS)
        return tc_index_fail(index, status, "cannot read index %s: %s", index->path, xw_db_error(index->db));
    return TC_STATUS_SUCCESS;
}

tc_status_t tc_index_revision(unsigned long *out, tc_index_t *index)
{
    if (!index || !out || !index->db)
        return TC_STATUS_INVALID_ARGUMENT;
    unsigned generation = 0, shards = 0;
    read_stub(index->path, &generation, &shards);
    if (generation && shards > 1) {
        /* Xapian has no one revision for several databases: the shards'
         * sum, which a commit to any of them raises. */
        unsigned long sum = 0;
        for (unsigned s = 0; s < shards; s++) {
            char *path = tc_strdup_printf("%s/" TC_LAYOUT_GENERATION "/" TC_LAYOUT_SHARD, index->path, generation, s);
            xw_db_t *shard = NULL;
            unsigned long revision = 0;
            tc_status_t status = path ? xw_db_open(&shard, path, 0) : TC_STATUS_OUT_OF_MEMORY;
            if (status == TC_STATUS_SUCCESS)
                status = xw_db_revision(shard, &revision);
            xw_db_close(shard);
            free(path);
            if (status != TC_STATUS_SUCCESS)
                return tc_index_fail(index, status, "cannot read shard %u of index %s", s, index->path);
            sum += revision;
        }
        *out = sum;
        return TC_STATUS_SUCCESS;
    }
    tc_status_t status = xw_db_revision(index->db, out);
    if (status != TC_STATUS_SUCCESS)
        return tc_index_fail(index, status, "%s", xw_db_error(index->db));
    return status;
}

xw_query_t *tc_access_query(tc_access_t level)
{
    if ((unsigned)level >= TC_ACCESS_LEVELS)
        level = TC_ACCESS_PUBLIC; /* a caller out of range sees the least */
    tc_buf_t term = TC_BUF_INIT;
    xw_query_t *q = tc_term_append(&term, TC_PREFIX_ACCESS, tc_access_name(level)) < 0 ? NULL
                                                                                      : xw_query_term(term.data, 1);
    tc_buf_free(&term);
    return q;
}

xw_query_t *tc_access_restrict(xw_query_t *query, tc_access_t level)
{
    if (!query)
        return NULL;
    return xw_query_combine(XW_OP_FILTER, (xw_query_t *[]){ query, tc_access_query(level) }, 2);
}
