/* The code paths the fuzz harnesses drive, and the invariants they check
 * (see targets.h).  Plain C11 against lib/'s headers: it builds with clang
 * for libFuzzer and, through tests/check_fuzz_regressions.c, with the
 * project's normal flags. */
#include "targets.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/dates.h"
#include "extract/extract.h"
#include "text/decode.h"
#include "text/fold.h"
#include "search/qparse.h"
#include "index/records.h"
#include "text/tokenize.h"
#include "tracuu.h"

void (*fz_failure_hook)(const char *message);

static void fz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void fz_fail(const char *fmt, ...)
{
    char message[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    if (fz_failure_hook)
        fz_failure_hook(message);
    fprintf(stderr, "fuzz invariant failed: %s\n", message);
    abort();
}

/* ------------------------------------------------------------------ */
/* UTF-8, checked here independently of ICU and of lib/.               */

/* Offset of the first byte that does not start a well-formed sequence
 * (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF), or
 * len when s is valid. */
static size_t utf8_invalid_at(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned c = p[i];
        size_t n;
        uint32_t cp, min;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            n = 1, cp = c & 0x1F, min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2, cp = c & 0x0F, min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3, cp = c & 0x07, min = 0x10000;
        } else {
            return i;
        }
        if (len - i <= n)
            return i;
        for (size_t k = 1; k <= n; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                return i;
            cp = cp << 6 | (p[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += n + 1;
    }
    return len;
}

/* The code point at s[*i] of valid UTF-8; advances *i. */
static uint32_t next_cp(const char *s, size_t *i)
{
    const unsigned char *p = (const unsigned char *)s + *i;
    if (p[0] < 0x80) {
        *i += 1;
        return p[0];
    }
    if ((p[0] & 0xE0) == 0xC0) {
        *i += 2;
        return (uint32_t)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
    }
    if ((p[0] & 0xF0) == 0xE0) {
        *i += 3;
        return (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
    }
    *i += 4;
    return (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3F) << 12 | (uint32_t)(p[2] & 0x3F) << 6 |
           (p[3] & 0x3F);
}

static int is_continuation(char c)
{
    return ((unsigned char)c & 0xC0) == 0x80;
}

static void check_utf8(const char *what, const char *s, size_t len)
{
    size_t at = utf8_invalid_at(s, len);
    if (at < len)
        fz_fail("%s: invalid UTF-8 at byte %zu of %zu (0x%02X)", what, at, len, (unsigned char)s[at]);
}

/* A NUL-terminated field of a record, when set. */
static void check_utf8_str(const char *what, const char *s)
{
    if (s)
        check_utf8(what, s, strlen(s));
}

/* s made valid: every byte that does not start a well-formed sequence
 * becomes U+FFFD, and NUL becomes a space (decoded text never has NUL). */
static char *make_valid(const char *s, size_t len, size_t *out_len)
{
    tc_buf_t buf = TC_BUF_INIT;
    if (tc_buf_append(&buf, "", 0) < 0)
        return NULL;
    size_t i = 0;
    while (i < len) {
        size_t bad = i + utf8_invalid_at(s + i, len - i);
        if (tc_buf_append(&buf, s + i, bad - i) < 0 ||
            (bad < len && tc_buf_append(&buf, "\xEF\xBF\xBD", 3) < 0)) {
            tc_buf_free(&buf);
            return NULL;
        }
        i = bad < len ? bad + 1 : len;
    }
    for (size_t k = 0; k < buf.len; k++)
        if (buf.data[k] == '\0')
            buf.data[k] = ' ';
    *out_len = buf.len;
    return tc_buf_steal(&buf);
}

/* Folded forms: lower case, no diacritics. */
static void check_folded(const char *what, const char *s, size_t len)
{
    check_utf8(what, s, len);
    size_t i = 0;
    while (i < len) {
        size_t at = i;
        uint32_t cp = next_cp(s, &i);
        if (cp >= 'A' && cp <= 'Z')
            fz_fail("%s: upper-case '%c' at byte %zu of the folded form", what, (char)cp, at);
        if (cp >= 0x0300 && cp <= 0x036F)
            fz_fail("%s: combining mark U+%04X at byte %zu of the folded form", what, (unsigned)cp, at);
    }
}

static int is_nfc(const char *s, size_t len)
{
    char *again = NULL;
    size_t again_len = 0;
    tc_status_t status = tc_nfc(&again, &again_len, s, len);
    if (status == TC_STATUS_OUT_OF_MEMORY)
        return 1;
    if (status != TC_STATUS_SUCCESS)
        fz_fail("tc_nfc failed (%s) on valid UTF-8 of %zu bytes", tc_status_to_string(status), len);
    int same = again_len == len && memcmp(again, s, len) == 0;
    free(again);
    return same;
}

/* ------------------------------------------------------------------ */
/* Decoding.                                                            */

static const char *const known_encodings[] = { "UTF-8", "windows-1258", "TCVN3", "VISCII", "VNI-Windows" };

static void check_decoded(const char *call, const char *name, tc_status_t status, char *out, size_t len,
                          const char *encoding, char *message)
{
    if (status == TC_STATUS_SUCCESS) {
        if (!out)
            fz_fail("%s: success without text", call);
        if (message)
            fz_fail("%s: success with a message \"%s\"", call, message);
        if (out[len] != '\0')
            fz_fail("%s: text of %zu bytes is not NUL-terminated", call, len);
        if (memchr(out, '\0', len))
            fz_fail("%s: NUL byte at %zu in the decoded text", call, (size_t)((char *)memchr(out, '\0', len) - out));
        if (memchr(out, '\r', len))
            fz_fail("%s: CR left at %zu in the decoded text", call, (size_t)((char *)memchr(out, '\r', len) - out));
        check_utf8(call, out, len);
        if (!is_nfc(out, len))
            fz_fail("%s: the decoded text (%zu bytes) is not NFC", call, len);
        int known = 0;
        for (size_t i = 0; encoding && i < sizeof known_encodings / sizeof *known_encodings; i++)
            known |= strcmp(encoding, known_encodings[i]) == 0;
        if (!known)
            fz_fail("%s: unknown encoding name \"%s\"", call, encoding ? encoding : "(null)");
    } else {
        if (status >= TC_STATUS_LAST_STATUS)
            fz_fail("%s: status %d out of range", call, (int)status);
        if (!message || !*message)
            fz_fail("%s: failed (%s) without a message", call, tc_status_to_string(status));
        if (strncmp(message, name, strlen(name)) != 0)
            fz_fail("%s: message \"%s\" does not name the input \"%s\"", call, message, name);
        if (out)
            fz_fail("%s: failed (%s) but left text behind", call, tc_status_to_string(status));
    }
}

/* Valid UTF-8 without NUL, with something besides blanks after a BOM:
 * a file the decoder must accept as it is. */
static int is_plain_text(const char *s, size_t len)
{
    if (memchr(s, '\0', len) || utf8_invalid_at(s, len) < len)
        return 0;
    size_t i = len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    for (; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return 1;
    return 0;
}

/* gzip input goes through tc_decode_file, from a file in memory. */
static void decode_gzip(const char *bytes, size_t size)
{
    int fd = memfd_create("fuzz.txt.gz", MFD_CLOEXEC);
    if (fd < 0)
        return;
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(fd, bytes + done, size - done);
        if (n <= 0) {
            close(fd);
            return;
        }
        done += (size_t)n;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    char *out = NULL, *message = NULL;
    size_t len = 0;
    const char *encoding = NULL;
    tc_status_t status = tc_decode_file(&out, &len, &encoding, path, &message);
    check_decoded("tc_decode_file", path, status, out, len, encoding, message);
    free(out);
    free(message);
    close(fd);
}

void fz_decode(const uint8_t *data, size_t size)
{
    const char *bytes = (const char *)data;
    char *out = NULL, *message = NULL;
    size_t len = 0;
    const char *encoding = NULL;
    tc_status_t status = tc_decode_bytes(&out, &len, &encoding, bytes, size, "fuzz", &message);
    check_decoded("tc_decode_bytes", "fuzz", status, out, len, encoding, message);
    if (status != TC_STATUS_OUT_OF_MEMORY && is_plain_text(bytes, size)) {
        if (status != TC_STATUS_SUCCESS)
            fz_fail("tc_decode_bytes rejected valid UTF-8 text: %s", message);
        if (strcmp(encoding, "UTF-8") != 0)
            fz_fail("tc_decode_bytes read valid UTF-8 text as %s", encoding);
    }
    free(out);
    free(message);
    if (size >= 2 && data[0] == 0x1F && data[1] == 0x8B)
        decode_gzip(bytes, size);
}

/* ------------------------------------------------------------------ */
/* Document readers.                                                    */

/* One reader's answer: text that decodes, or a message.  The text is
 * what the library underneath gave (libxml2 passes some bytes of a page
 * that is not UTF-8 through as they are); the decoder after it is what
 * makes it UTF-8 or rejects it, as tc_doc_load does. */
static void check_extracted(const char *call, tc_status_t status, char *out, size_t len, char *message)
{
    if (status == TC_STATUS_SUCCESS) {
        if (!out)
            fz_fail("%s: success without text", call);
        char *text = NULL, *why = NULL;
        size_t text_len = 0;
        const char *encoding = NULL;
        tc_status_t decoded = tc_decode_extracted(&text, &text_len, &encoding, out, len, "fuzz", &why);
        check_decoded("tc_decode_extracted", "fuzz", decoded, text, text_len, encoding, why);
        free(text);
        free(why);
    } else {
        if (!message || strncmp(message, "fuzz: ", 6) != 0)
            fz_fail("%s: failed (%s) with message \"%s\", not naming the input", call,
                    tc_status_to_string(status), message ? message : "(null)");
        if (out)
            fz_fail("%s: failed (%s) but left text behind", call, tc_status_to_string(status));
    }
    free(out);
    free(message);
}

/* What a document's parts may inflate to here: small, so that a zip bomb
 * is met in a few milliseconds. */
#define FZ_EXTRACT_MAX_BYTES (1u << 20)

void fz_extract(const uint8_t *data, size_t size)
{
    const char *bytes = (const char *)data;
    char *out = NULL, *message = NULL;
    size_t len = 0;
    if (size >= 4 && memcmp(bytes, "%PDF", 4) == 0) {
        tc_status_t status = tc_extract_pdf(&out, &len, bytes, size, "fuzz", &message);
        check_extracted("tc_extract_pdf", status, out, len, message);
    } else if (size >= 2 && memcmp(bytes, "PK", 2) == 0) {
        tc_status_t status = tc_extract_docx(&out, &len, bytes, size, "fuzz", FZ_EXTRACT_MAX_BYTES, &message);
        check_extracted("tc_extract_docx", status, out, len, message);
        out = message = NULL;
        status = tc_extract_odt(&out, &len, bytes, size, "fuzz", FZ_EXTRACT_MAX_BYTES, &message);
        check_extracted("tc_extract_odt", status, out, len, message);
    } else {
        tc_status_t status = tc_extract_html(&out, &len, bytes, size, "fuzz", &message);
        check_extracted("tc_extract_html", status, out, len, message);
    }
}

/* ------------------------------------------------------------------ */
/* Parsing.                                                             */

/* "yyyy-mm-dd", and with partial, also "yyyy-mm" and "yyyy"; a real date. */
static void check_iso(const char *what, const char *s, int partial)
{
    if (!s)
        return;
    size_t n = strlen(s);
    int ok = (n == 10 || (partial && (n == 7 || n == 4)));
    for (size_t i = 0; ok && i < n; i++)
        ok = (i == 4 || i == 7) ? s[i] == '-' : (s[i] >= '0' && s[i] <= '9');
    if (ok) {
        int y = atoi(s), m = n >= 7 ? atoi(s + 5) : 1, d = n == 10 ? atoi(s + 8) : 1;
        ok = tc_date_valid(y, m, d);
    }
    if (!ok)
        fz_fail("%s: \"%s\" is not an ISO date%s", what, s, partial ? " (possibly partial)" : "");
}

static void check_list(const char *what, const tc_strlist_t *list)
{
    if (list->count && !list->items)
        fz_fail("%s: %zu items and no array", what, list->count);
    for (size_t i = 0; i < list->count; i++) {
        if (!list->items[i])
            fz_fail("%s[%zu] is NULL", what, i);
        check_utf8_str(what, list->items[i]);
    }
}

static void check_doc(const tc_doc_t *doc)
{
    const struct {
        const char *name, *value;
    } fields[] = {
        { "issuer", doc->issuer },
        { "issuer_parent", doc->issuer_parent },
        { "place", doc->place },
        { "number", doc->number },
        { "symbol", doc->symbol },
        { "date", doc->date },
        { "doc_type", doc->doc_type },
        { "subject", doc->subject },
        { "period_from", doc->period_from },
        { "period_to", doc->period_to },
        { "signer", doc->signer },
        { "signer_title", doc->signer_title },
        { "signer_authority", doc->signer_authority },
        { "urgency", doc->urgency },
        { "secrecy", doc->secrecy },
        { "text", doc->text },
    };
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        check_utf8_str(fields[i].name, fields[i].value);
    check_list("recipients", &doc->recipients);
    check_list("themes", &doc->themes);
    check_list("slogans", &doc->slogans);
    check_iso("date", doc->date, 1);
    check_iso("period.from", doc->period_from, 1);
    check_iso("period.to", doc->period_to, 1);
    if (doc->n_deadlines && !doc->deadlines)
        fz_fail("%zu deadlines and no array", doc->n_deadlines);
    for (size_t i = 0; i < doc->n_deadlines; i++) {
        const tc_deadline_t *d = &doc->deadlines[i];
        if (!d->date)
            fz_fail("deadline %zu has no date", i);
        check_iso("deadline date", d->date, 0);
        check_utf8_str("deadline text", d->text);
        if (i && strcmp(doc->deadlines[i - 1].date, d->date) > 0)
            fz_fail("deadlines not sorted: %s before %s", doc->deadlines[i - 1].date, d->date);
    }
    if (doc->n_references && !doc->references)
        fz_fail("%zu references and no array", doc->n_references);
    for (size_t i = 0; i < doc->n_references; i++) {
        const tc_reference_t *r = &doc->references[i];
        check_utf8_str("reference type", r->type);
        check_utf8_str("reference number", r->number);
        check_utf8_str("reference issuer", r->issuer);
        check_iso("reference date", r->date, 1);
    }
}

/* The JSON of a record holds every field, as the record has it. */
static void check_doc_json(const tc_doc_t *doc, const char *json, int include_text)
{
    json_error_t error;
    json_t *o = json_loads(json, 0, &error);
    if (!json_is_object(o))
        fz_fail("tc_doc_to_json: not a JSON object (%s at %d): %.200s", error.text, error.position, json);
    static const char *const keys[] = { "id", "path", "issuer", "issuer_parent", "place", "number",
                                        "symbol", "date", "year", "doc_type", "subject", "recipients",
                                        "themes", "slogans", "deadlines", "period", "references", "signer",
                                        "signer_title", "signer_authority", "urgency", "secrecy",
                                        "source_encoding" };
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        if (!json_object_get(o, keys[i]))
            fz_fail("tc_doc_to_json: field \"%s\" missing", keys[i]);
    const struct {
        const char *key;
        size_t count;
    } arrays[] = { { "recipients", doc->recipients.count }, { "themes", doc->themes.count },
                   { "slogans", doc->slogans.count },       { "deadlines", doc->n_deadlines },
                   { "references", doc->n_references } };
    for (size_t i = 0; i < sizeof arrays / sizeof *arrays; i++) {
        size_t n = json_array_size(json_object_get(o, arrays[i].key));
        if (n != arrays[i].count)
            fz_fail("tc_doc_to_json: \"%s\" has %zu items, the record %zu", arrays[i].key, n, arrays[i].count);
    }
    if (include_text) {
        const char *text = json_string_value(json_object_get(o, "text"));
        if ((text == NULL) != (doc->text == NULL) || (text && strcmp(text, doc->text) != 0))
            fz_fail("tc_doc_to_json: \"text\" differs from the record's text");
    }
    json_decref(o);
}

void fz_parse(const uint8_t *data, size_t size)
{
    char *text = NULL, *message = NULL;
    size_t len = 0;
    const char *encoding = NULL;
    if (tc_decode_bytes(&text, &len, &encoding, (const char *)data, size, "fuzz", &message) != TC_STATUS_SUCCESS) {
        free(message);
        return;
    }
    tc_doc_t *doc = NULL;
    tc_status_t status = tc_doc_parse(&doc, text, len);
    free(text);
    if (status == TC_STATUS_OUT_OF_MEMORY)
        return;
    if (status != TC_STATUS_SUCCESS || !doc)
        fz_fail("tc_doc_parse failed (%s) on decoded text", tc_status_to_string(status));
    /* What tc_doc_load adds. */
    free(doc->id);
    free(doc->path);
    free(doc->source_encoding);
    doc->id = strdup("fuzz");
    doc->path = strdup("fuzz.txt");
    doc->source_encoding = strdup(encoding);
    check_doc(doc);

    char *json = tc_doc_to_json(doc, 1);
    if (!json)
        fz_fail("tc_doc_to_json returned NULL");
    check_doc_json(doc, json, 1);
    free(json);

    /* The index stores the record as data and reads it back for hits. */
    size_t data_len = 0;
    char *stored = tc_doc_to_data(doc, &data_len);
    if (!stored)
        fz_fail("tc_doc_to_data returned NULL");
    tc_doc_t *back = NULL;
    const char *back_text = NULL;
    size_t back_text_len = 0;
    status = tc_doc_from_data(&back, stored, data_len, &back_text, &back_text_len);
    if (status != TC_STATUS_SUCCESS)
        fz_fail("tc_doc_from_data failed (%s) on tc_doc_to_data's output", tc_status_to_string(status));
    size_t doc_text_len = doc->text ? strlen(doc->text) : 0;
    if (back_text_len != doc_text_len || memcmp(back_text, doc->text ? doc->text : "", doc_text_len) != 0)
        fz_fail("the text stored by tc_doc_to_data does not come back the same");
    char *a = tc_doc_to_json(doc, 0), *b = tc_doc_to_json(back, 0);
    if (!a || !b || strcmp(a, b) != 0)
        fz_fail("record changed through tc_doc_to_data / tc_doc_from_data:\n%.500s\n%.500s", a ? a : "(null)",
                b ? b : "(null)");
    free(a);
    free(b);
    tc_doc_free(back);
    free(stored);

    /* The same packed with a dictionary, as an index with one stores it
     * (made once: of one sample, the sample as it is). */
    static const char sample[] = "{\"id\":\"\",\"issuer\":\"Ủy ban nhân dân tỉnh\",\"deadlines\":[],"
                                 "\"references\":[]}\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc";
    static tc_data_dict_t *packer;
    if (!packer) {
        size_t sample_len = sizeof sample - 1;
        tc_buf_t dict = TC_BUF_INIT;
        if (tc_data_dict_train(&dict, sample, &sample_len, 1, 4096) < 0 ||
            tc_data_dict_register(dict.data, dict.len) < 0 || !(packer = tc_data_dict_new(dict.data, dict.len)))
            fz_fail("cannot make a record dictionary");
        tc_buf_free(&dict);
    }
    if (!(stored = tc_doc_to_data_packed(doc, packer, &data_len)))
        fz_fail("tc_doc_to_data_packed returned NULL");
    status = tc_doc_from_data(&back, stored, data_len, &back_text, &back_text_len);
    if (status != TC_STATUS_SUCCESS)
        fz_fail("tc_doc_from_data failed (%s) on tc_doc_to_data_packed's output", tc_status_to_string(status));
    if (back_text_len != doc_text_len || memcmp(back_text, doc->text ? doc->text : "", doc_text_len) != 0)
        fz_fail("the text stored by tc_doc_to_data_packed does not come back the same");
    a = tc_doc_to_json(doc, 0);
    b = tc_doc_to_json(back, 0);
    if (!a || !b || strcmp(a, b) != 0)
        fz_fail("record changed through tc_doc_to_data_packed / tc_doc_from_data:\n%.500s\n%.500s",
                a ? a : "(null)", b ? b : "(null)");
    free(a);
    free(b);
    tc_doc_free(back);
    free(stored);
    tc_doc_free(doc);
}

/* ------------------------------------------------------------------ */
/* Folding and tokenizing.                                             */

static void check_no_ascii_upper(const char *what, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] >= 'A' && s[i] <= 'Z')
            fz_fail("%s: upper-case '%c' at byte %zu", what, s[i], i);
}

/* A tc_buf_t keeps its NUL inside what it allocated: len < cap.  (Without
 * AddressSanitizer this is how a write past the end shows.) */
static void check_buf(const char *what, const tc_buf_t *b)
{
    if (b->data && b->len >= b->cap)
        fz_fail("%s: %zu bytes and the NUL in a buffer of %zu: written past its end", what, b->len, b->cap);
}

/* tc_fold_append without a map, into a fresh buffer. */
static void check_fold_append(const char *what, const char *s, size_t len)
{
    tc_buf_t out = TC_BUF_INIT;
    if (tc_fold_append(&out, s, len, NULL, NULL) == 0) {
        check_buf(what, &out);
        if (out.data)
            check_folded(what, out.data, out.len);
    }
    tc_buf_free(&out);
}

static void check_fold_with_map(const char *s, size_t len)
{
    tc_buf_t out = TC_BUF_INIT;
    size_t *map = NULL, cap = 0;
    if (tc_buf_append(&out, "", 0) < 0)
        return;
    if (tc_fold_append(&out, s, len, &map, &cap) < 0) {
        tc_buf_free(&out);
        free(map);
        return;
    }
    check_buf("tc_fold_append (with map)", &out);
    check_folded("tc_fold_append", out.data, out.len);
    char *plain = tc_fold(s, len);
    if (plain && (strlen(plain) != out.len || memcmp(plain, out.data, out.len) != 0))
        fz_fail("tc_fold and tc_fold_append disagree");
    free(plain);
    if (!map || cap < out.len + 1)
        fz_fail("tc_fold_append: map of %zu for %zu bytes", cap, out.len);
    if (map[out.len] != len)
        fz_fail("tc_fold_append: map[end] = %zu, expected %zu", map[out.len], len);
    for (size_t b = 0; b < out.len; b++) {
        if (map[b] >= len)
            fz_fail("tc_fold_append: map[%zu] = %zu, past the input (%zu)", b, map[b], len);
        if (b && map[b] < map[b - 1])
            fz_fail("tc_fold_append: map goes back at %zu (%zu < %zu)", b, map[b], map[b - 1]);
    }
    free(map);
    tc_buf_free(&out);
}

static void check_tokens(const char *text, size_t len, const tc_tokens_t *toks, int folded_only)
{
    const char *call = folded_only ? "tc_tokenize_folded" : "tc_tokenize";
    check_buf(call, &toks->strings);
    for (size_t i = 0; i < toks->count; i++) {
        const tc_token_t *t = &toks->tokens[i];
        if (t->start >= t->end || t->end > len)
            fz_fail("%s: token %zu spans [%zu, %zu) of %zu bytes", call, i, t->start, t->end, len);
        if (i && t->start < toks->tokens[i - 1].end)
            fz_fail("%s: token %zu starts at %zu, before token %zu ends (%zu)", call, i, t->start, i - 1,
                    toks->tokens[i - 1].end);
        if (is_continuation(text[t->start]) || (t->end < len && is_continuation(text[t->end])))
            fz_fail("%s: token %zu [%zu, %zu) cuts a character", call, i, t->start, t->end);
        if (t->folded >= toks->strings.len || t->exact >= toks->strings.len)
            fz_fail("%s: token %zu forms at %zu/%zu, past the strings (%zu)", call, i, t->folded, t->exact,
                    toks->strings.len);
        if (i == 0 && t->glued)
            fz_fail("%s: the first token is glued", call);
        const char *folded = TC_TOKEN_FOLDED(toks, i), *exact = TC_TOKEN_EXACT(toks, i);
        check_folded(call, folded, strlen(folded));
        char *alone = tc_fold(text + t->start, t->end - t->start);
        if (alone && strcmp(alone, folded) != 0)
            fz_fail("%s: token %zu folds to \"%s\", its span alone to \"%s\"", call, i, folded, alone);
        free(alone);
        if (folded_only) {
            if (*exact || t->accented)
                fz_fail("%s: token %zu has an exact form or accent", call, i);
            continue;
        }
        check_utf8("exact form", exact, strlen(exact));
        check_no_ascii_upper("exact form", exact, strlen(exact));
        tc_buf_t e = TC_BUF_INIT;
        if (tc_buf_append(&e, "", 0) == 0 && tc_fold_exact_append(&e, text + t->start, t->end - t->start) == 0 &&
            strcmp(e.data, exact) != 0)
            fz_fail("%s: token %zu's exact form differs from tc_fold_exact_append of its span", call, i);
        tc_buf_free(&e);
        if (t->accented != (tc_has_marks(text + t->start, t->end - t->start) != 0))
            fz_fail("%s: token %zu accented=%u disagrees with tc_has_marks", call, i, (unsigned)t->accented);
    }
}

/* Everything on text of the form the library is given: valid UTF-8. */
static void fold_valid(const char *text, size_t len)
{
    check_fold_append("tc_fold_append", text, len);
    check_fold_with_map(text, len);

    tc_tokens_t toks = { 0 }, folded = { 0 };
    tc_status_t status = tc_tokenize(&toks, text, len);
    if (status == TC_STATUS_SUCCESS) {
        check_tokens(text, len, &toks, 0);
    } else if (status != TC_STATUS_OUT_OF_MEMORY) {
        fz_fail("tc_tokenize failed (%s) on valid UTF-8", tc_status_to_string(status));
    }
    status = tc_tokenize_folded(&folded, text, len);
    if (status == TC_STATUS_SUCCESS) {
        check_tokens(text, len, &folded, 1);
        if (toks.count && folded.count != toks.count)
            fz_fail("tc_tokenize_folded found %zu tokens, tc_tokenize %zu", folded.count, toks.count);
        for (size_t i = 0; i < folded.count && i < toks.count; i++)
            if (folded.tokens[i].start != toks.tokens[i].start || folded.tokens[i].end != toks.tokens[i].end ||
                folded.tokens[i].glued != toks.tokens[i].glued)
                fz_fail("tc_tokenize_folded and tc_tokenize disagree on token %zu", i);
    }
    /* tc_fold_words: the folded tokens joined by spaces (text up to a NUL). */
    char *words = tc_fold_words(text);
    if (words) {
        check_folded("tc_fold_words", words, strlen(words));
        if (strlen(text) == len && toks.count) {
            tc_buf_t joined = TC_BUF_INIT;
            int rc = tc_buf_append(&joined, "", 0);
            for (size_t i = 0; i < toks.count && rc == 0; i++)
                rc = (i ? tc_buf_putc(&joined, ' ') : 0) || tc_buf_puts(&joined, TC_TOKEN_FOLDED(&toks, i));
            if (rc == 0 && strcmp(joined.data, words) != 0)
                fz_fail("tc_fold_words is not the folded tokens joined by spaces");
            tc_buf_free(&joined);
        }
        free(words);
    }
    tc_tokens_free(&toks);
    tc_tokens_free(&folded);

    char *lower = tc_lower(text, len);
    if (lower) {
        check_utf8("tc_lower", lower, strlen(lower));
        check_no_ascii_upper("tc_lower", lower, strlen(lower));
        free(lower);
    }
    char *copy = tc_strndup(text, len);
    if (copy) {
        char *capital = tc_capitalize_first(copy);
        if (capital) {
            check_utf8("tc_capitalize_first", capital, strlen(capital));
            free(capital);
        } else {
            free(copy);
        }
    }
    (void)tc_is_all_caps(text, len);

    char *nfc = NULL;
    size_t nfc_len = 0;
    status = tc_nfc(&nfc, &nfc_len, text, len);
    if (status == TC_STATUS_SUCCESS) {
        check_utf8("tc_nfc", nfc, nfc_len);
        if (!is_nfc(nfc, nfc_len))
            fz_fail("tc_nfc is not idempotent");
        /* The words a text is found by do not depend on its normal form
         * (queries are folded as typed, documents after tc_nfc). */
        char *a = tc_fold_words(text), *b = tc_fold_words(nfc);
        if (a && b && strcmp(a, b) != 0)
            fz_fail("the folded words of the text and of its NFC form differ: \"%.200s\" vs \"%.200s\"", a, b);
        free(a);
        free(b);
    } else if (status != TC_STATUS_OUT_OF_MEMORY) {
        fz_fail("tc_nfc failed (%s) on valid UTF-8", tc_status_to_string(status));
    }
    free(nfc);
}

void fz_fold(const uint8_t *data, size_t size)
{
    const char *raw = (const char *)data;
    /* The raw bytes: invalid sequences read as U+FFFD, never a crash. */
    check_fold_append("tc_fold_append (raw bytes)", raw, size);
    char *folded = tc_fold(raw, size);
    if (folded) {
        check_folded("tc_fold (raw bytes)", folded, strlen(folded));
        free(folded);
    }
    tc_buf_t exact = TC_BUF_INIT;
    if (tc_buf_append(&exact, "", 0) == 0 && tc_fold_exact_append(&exact, raw, size) == 0) {
        check_buf("tc_fold_exact_append (raw bytes)", &exact);
        check_utf8("tc_fold_exact_append (raw bytes)", exact.data, exact.len);
    }
    tc_buf_free(&exact);
    (void)tc_has_marks(raw, size);

    size_t len = 0;
    char *text = make_valid(raw, size, &len);
    if (!text)
        return;
    fold_valid(text, len);
    free(text);
}

/* ------------------------------------------------------------------ */
/* The tokenizer against its reference.                                */

static void same_tokens(const char *text, size_t len, int folded_only)
{
    tc_tokens_t got = { 0 }, want = { 0 };
    tc_status_t s1 = folded_only ? tc_tokenize_folded(&got, text, len) : tc_tokenize(&got, text, len);
    tc_status_t s2 = tc_tokenize_reference(&want, text, len, folded_only);
    const char *call = folded_only ? "tc_tokenize_folded" : "tc_tokenize";
    if (s1 == TC_STATUS_OUT_OF_MEMORY || s2 == TC_STATUS_OUT_OF_MEMORY)
        goto done;
    if (s1 != s2)
        fz_fail("%s: status %s, reference %s", call, tc_status_to_string(s1), tc_status_to_string(s2));
    if (got.count != want.count)
        fz_fail("%s: %zu tokens, reference %zu", call, got.count, want.count);
    for (size_t i = 0; i < got.count; i++) {
        const tc_token_t *g = &got.tokens[i], *w = &want.tokens[i];
        if (g->start != w->start || g->end != w->end)
            fz_fail("%s: token %zu spans [%zu, %zu), reference [%zu, %zu)", call, i, g->start, g->end, w->start,
                    w->end);
        if (g->glued != w->glued || g->accented != w->accented)
            fz_fail("%s: token %zu glued %u accented %u, reference %u %u", call, i, (unsigned)g->glued,
                    (unsigned)g->accented, (unsigned)w->glued, (unsigned)w->accented);
        if (strcmp(TC_TOKEN_FOLDED(&got, i), TC_TOKEN_FOLDED(&want, i)) != 0)
            fz_fail("%s: token %zu folds to \"%s\", reference \"%s\"", call, i, TC_TOKEN_FOLDED(&got, i),
                    TC_TOKEN_FOLDED(&want, i));
        if (strcmp(TC_TOKEN_EXACT(&got, i), TC_TOKEN_EXACT(&want, i)) != 0)
            fz_fail("%s: token %zu's exact form \"%s\", reference \"%s\"", call, i, TC_TOKEN_EXACT(&got, i),
                    TC_TOKEN_EXACT(&want, i));
    }
done:
    tc_tokens_free(&got);
    tc_tokens_free(&want);
}

void fz_tokenize(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    for (int folded_only = 0; folded_only <= 1; folded_only++) {
        same_tokens(text, size, folded_only);
        /* Starting inside a character or a word. */
        same_tokens(text + size / 2, size - size / 2, folded_only);
    }
}

/* ------------------------------------------------------------------ */
/* The query language and search.                                       */

static tc_index_t *query_index;
static FILE *null_out;

int fz_query_init(const char *corpus_dir, const char *work_dir)
{
    char *path = tc_strdup_printf("%s/index", work_dir);
    tc_index_t *index = NULL;
    if (!path || tc_index_open(&index, path, TC_INDEX_WRITE) != TC_STATUS_SUCCESS) {
        fprintf(stderr, "fuzz: cannot create an index in %s: %s\n", work_dir, tc_index_last_error(index));
        tc_index_close(index);
        free(path);
        return -1;
    }
    struct dirent **names = NULL;
    int n = scandir(corpus_dir, &names, NULL, alphasort), added = 0;
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        size_t nlen = strlen(name);
        size_t cut = nlen > 4 && strcmp(name + nlen - 4, ".txt") == 0         ? 4
                     : nlen > 7 && strcmp(name + nlen - 7, ".txt.gz") == 0 ? 7
                                                                              : 0;
        if (cut) {
            char *file = tc_strdup_printf("%s/%s", corpus_dir, name);
            char *id = tc_strndup(name, nlen - cut), *message = NULL;
            tc_doc_t *doc = NULL;
            if (file && id && tc_doc_load(&doc, file, id, &message) == TC_STATUS_SUCCESS &&
                tc_index_add(index, doc) == TC_STATUS_SUCCESS)
                added++;
            else
                fprintf(stderr, "fuzz: %s not indexed: %s %s\n", name, message ? message : "",
                        tc_index_last_error(index));
            tc_doc_free(doc);
            free(message);
            free(id);
            free(file);
        }
        free(names[i]);
    }
    free(names);
    tc_status_t status = tc_index_commit(index);
    tc_index_close(index);
    if (n < 0 || !added || status != TC_STATUS_SUCCESS) {
        fprintf(stderr, "fuzz: no index of %s could be built\n", corpus_dir);
        free(path);
        return -1;
    }
    status = tc_index_open(&query_index, path, TC_INDEX_READ);
    if (status != TC_STATUS_SUCCESS) {
        fprintf(stderr, "fuzz: cannot open %s: %s\n", path, tc_index_last_error(query_index));
        tc_index_close(query_index);
        query_index = NULL;
        free(path);
        return -1;
    }
    free(path);
    if (!null_out)
        null_out = fopen("/dev/null", "w");
    return 0;
}

void fz_query_fini(void)
{
    tc_index_close(query_index);
    query_index = NULL;
    if (null_out)
        fclose(null_out);
    null_out = NULL;
}

static void check_json(const char *call, const char *json)
{
    if (!json)
        fz_fail("%s returned NULL", call);
    json_error_t error;
    json_t *v = json_loads(json, 0, &error);
    if (!v)
        fz_fail("%s: not JSON (%s at %d): %.300s", call, error.text, error.position, json);
    json_decref(v);
}

static void check_results(const tc_results_t *r, const tc_query_t *q)
{
    if (r->n_hits > q->limit || r->n_hits > r->total)
        fz_fail("tc_search: %zu hits for limit %zu and total %zu", r->n_hits, q->limit, r->total);
    for (size_t i = 0; i < r->n_hits; i++) {
        const tc_hit_t *h = &r->hits[i];
        if (!h->doc)
            fz_fail("tc_search: hit %zu has no record", i);
        if (!h->snippet) {
            if (h->n_highlights)
                fz_fail("tc_search: hit %zu has highlights and no snippet", i);
            continue;
        }
        size_t len = strlen(h->snippet);
        check_utf8("snippet", h->snippet, len);
        for (size_t k = 0; k < h->n_highlights; k++) {
            const tc_span_t *s = &h->highlights[k];
            if (s->start >= s->end || s->end > len)
                fz_fail("tc_search: hit %zu highlight [%zu, %zu) outside its snippet of %zu bytes", i, s->start,
                        s->end, len);
            if (k && s->start < h->highlights[k - 1].end)
                fz_fail("tc_search: hit %zu highlights overlap or go back at %zu", i, k);
            if (is_continuation(h->snippet[s->start]) || (s->end < len && is_continuation(h->snippet[s->end])))
                fz_fail("tc_search: hit %zu highlight [%zu, %zu) cuts a character", i, s->start, s->end);
        }
    }
}

/* The feed holds every deadline of the hits inside the range the search
 * read from deadline_from / deadline_to (all of them without a range). */
static void check_ical(const tc_results_t *r, const char *from, const char *to, const char *ical)
{
    char lo[32] = "0000-00-00", hi[32] = "9999-99-99";
    if ((from && *from) || (to && *to)) {
        tc_qparsed_t range;
        memset(&range, 0, sizeof range);
        char *message = NULL;
        tc_status_t status = tc_qparse_deadline(&range, from, to, &message);
        free(message);
        if (status != TC_STATUS_SUCCESS || range.n_deadlines != 1) {
            tc_qparsed_free(&range);
            return;
        }
        const tc_date_range_t *d = &range.deadlines[0];
        snprintf(lo, sizeof lo, "%04d-%02d-%02d", d->from[0], d->from[1], d->from[2]);
        snprintf(hi, sizeof hi, "%04d-%02d-%02d", d->to[0], d->to[1], d->to[2]);
        tc_qparsed_free(&range);
    }
    size_t expected = 0, events = 0;
    for (size_t i = 0; i < r->n_hits; i++)
        for (size_t k = 0; k < r->hits[i].doc->n_deadlines; k++) {
            const char *date = r->hits[i].doc->deadlines[k].date;
            expected += date && strcmp(date, lo) >= 0 && strcmp(date, hi) <= 0;
        }
    for (const char *p = ical; (p = strstr(p, "\nBEGIN:VEVENT")) != NULL; p++)
        events++;
    if (events != expected)
        fz_fail("tc_results_to_ical: %zu events for the %zu deadlines of the hits in %s..%s "
                "(deadline_from \"%s\", deadline_to \"%s\")",
                events, expected, lo, hi, from ? from : "(null)", to ? to : "(null)");
}

/* Splits data (copied, NUL-terminated) at NUL bytes into up to n fields;
 * fields past the end stay NULL. */
static char *split_fields(const uint8_t *data, size_t size, const char **fields, size_t n)
{
    char *copy = malloc(size + 1);
    if (!copy)
        return NULL;
    memcpy(copy, data, size);
    copy[size] = '\0';
    for (size_t i = 0; i < n; i++)
        fields[i] = NULL;
    size_t at = 0;
    for (size_t i = 0; i < n && at <= size; i++) {
        fields[i] = copy + at;
        at += strlen(copy + at) + 1;
    }
    return copy;
}

static void query_parse(const char *words, const char *const *fields)
{
    tc_qparsed_t q;
    memset(&q, 0, sizeof q);
    char *message = NULL;
    tc_status_t status = tc_qparse(&q, words, &message);
    if (status == TC_STATUS_BAD_QUERY && (!message || !*message))
        fz_fail("tc_qparse: bad query without a message");
    if (status == TC_STATUS_SUCCESS) {
        if (message)
            fz_fail("tc_qparse: success with a message \"%s\"", message);
        /* Valid input is never cut inside a character. */
        int valid = utf8_invalid_at(words, strlen(words)) == strlen(words);
        for (size_t i = 0; i < q.n_words; i++) {
            if (!q.words[i].text)
                fz_fail("tc_qparse: word %zu is NULL", i);
            if (valid)
                check_utf8_str("query word", q.words[i].text);
        }
        for (size_t i = 0; i < q.n_deadlines; i++) {
            const tc_date_range_t *r = &q.deadlines[i];
            if (!tc_date_valid(r->from[0], r->from[1], r->from[2]) || !tc_date_valid(r->to[0], r->to[1], r->to[2]))
                fz_fail("tc_qparse: deadline range %zu holds an invalid date", i);
        }
    }
    free(message);
    message = NULL;
    /* The explicit fields through the same checks. */
    static const char *const names[] = { "issuer", "theme", "year", NULL, NULL, "type" };
    for (size_t i = 0; i < 6 && status != TC_STATUS_OUT_OF_MEMORY; i++) {
        const char *value = fields[i + 1];
        if (!names[i] || !value)
            continue;
        status = tc_qparse_filter(&q, names[i], value, &message);
        if (status == TC_STATUS_BAD_QUERY && (!message || !*message))
            fz_fail("tc_qparse_filter(%s): bad query without a message", names[i]);
        free(message);
        message = NULL;
    }
    if (fields[4] || fields[5]) {
        status = tc_qparse_deadline(&q, fields[4], fields[5], &message);
        if (status == TC_STATUS_BAD_QUERY && (!message || !*message))
            fz_fail("tc_qparse_deadline: bad query without a message");
        free(message);
    }
    tc_qparsed_free(&q);
}

void fz_query(const uint8_t *data, size_t size)
{
    /* words, issuer, theme, year, deadline_from, deadline_to, doc_type */
    const char *fields[7];
    char *copy = split_fields(data, size, fields, 7);
    if (!copy)
        return;
    query_parse(fields[0], fields);
    if (!query_index) {
        free(copy);
        return;
    }

    tc_query_t q;
    memset(&q, 0, sizeof q);
    q.words = fields[0];
    q.issuer = fields[1];
    q.theme = fields[2];
    q.year = fields[3];
    q.deadline_from = fields[4];
    q.deadline_to = fields[5];
    q.doc_type = fields[6];
    q.sort = size % 2 ? TC_SORT_DATE : TC_SORT_RELEVANCE;
    q.offset = size % 3 == 2 ? 1 : 0;
    q.limit = 10;
    tc_results_t *results = NULL;
    tc_status_t status = tc_search(&results, query_index, &q);
    if (status == TC_STATUS_BAD_QUERY && !*tc_index_last_error(query_index))
        fz_fail("tc_search: TC_STATUS_BAD_QUERY with an empty tc_index_last_error()");
    if (status == TC_STATUS_SUCCESS) {
        if (!results)
            fz_fail("tc_search: success without results");
        check_results(results, &q);
        char *json = tc_results_to_json(results);
        check_json("tc_results_to_json", json);
        free(json);
        char *ical = tc_results_to_ical(results, q.deadline_from, q.deadline_to, "http://localhost/");
        if (!ical)
            fz_fail("tc_results_to_ical returned NULL");
        check_utf8("tc_results_to_ical", ical, strlen(ical));
        check_ical(results, q.deadline_from, q.deadline_to, ical);
        free(ical);
        if (null_out)
            tc_results_print_text(null_out, results, (int)(size % 2));
    } else if (results) {
        fz_fail("tc_search failed (%s) but returned results", tc_status_to_string(status));
    }
    tc_results_free(results);

    tc_suggestions_t suggestions;
    if (tc_suggest(&suggestions, query_index, fields[0], 5, (tc_access_t)(size % TC_ACCESS_LEVELS)) == TC_STATUS_SUCCESS) {
        check_list("suggested issuers", &suggestions.issuers);
        check_list("suggested themes", &suggestions.themes);
        char *json = tc_suggestions_to_json(&suggestions);
        check_json("tc_suggestions_to_json", json);
        free(json);
    }
    tc_suggestions_clear(&suggestions);

    tc_doc_page_t *page = NULL;
    status = tc_doc_page_get(&page, query_index, fields[0], (tc_access_t)(size % TC_ACCESS_LEVELS));
    if (status == TC_STATUS_SUCCESS) {
        char *json = tc_doc_page_to_json(page);
        check_json("tc_doc_page_to_json", json);
        free(json);
    }
    tc_doc_page_free(page);
    free(copy);
}
