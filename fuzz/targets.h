/* The code paths the fuzz harnesses drive, and the invariants they check.
 *
 * fuzz/targets.c is shared by the libFuzzer harnesses (fuzz/fuzz_*.c, built
 * with clang by fuzz/fuzz.mk) and by the regression suite
 * (tests/check_fuzz_regressions.c, the normal build), so that an input kept
 * in tests/fuzz-regressions/ runs exactly the code that found it.
 *
 * Each fz_* function takes arbitrary bytes, never crashes on any of them
 * unless the library has a bug, frees all it allocates, and calls
 * fz_fail() when an invariant does not hold. */
#ifndef TC_FUZZ_TARGETS_H
#define TC_FUZZ_TARGETS_H

#include <stddef.h>
#include <stdint.h>

/* Called with a sentence naming the broken invariant.  NULL (the default):
 * print it to stderr and abort(), which libFuzzer reports as a crash.  The
 * regression suite points it at a Check failure.  If it returns, abort(). */
extern void (*fz_failure_hook)(const char *message);

/* tc_decode_bytes (and, for gzip input, tc_decode_file): on success the
 * text is valid UTF-8 without NUL or CR, NFC, and named by a known
 * encoding; valid UTF-8 input always decodes, as "UTF-8"; on failure
 * there is a message naming the input. */
void fz_decode(const uint8_t *data, size_t size);

/* The document readers on the bytes, chosen by their content as the
 * indexer chooses (a PDF by "%PDF", a ZIP by "PK" through both the DOCX
 * and the ODT reader, anything else through the HTML reader), then
 * tc_decode_extracted on what they give, as tc_doc_load does: on success
 * that decodes as fz_decode requires; on failure there is a message
 * naming the input and no text.  Word 97-2003 and RTF are left out: their
 * reader is the catdoc program, whose limits tests/check_extract.c runs. */
void fz_extract(const uint8_t *data, size_t size);

/* Decode, then tc_doc_parse: every string of the record is valid UTF-8,
 * the deadlines are sorted, tc_doc_to_json is JSON that jansson reads back
 * with every field, and the record survives the index's storage format
 * (tc_doc_to_data / tc_doc_from_data, plain and packed) unchanged. */
void fz_parse(const uint8_t *data, size_t size);

/* tc_fold / tc_fold_append / tc_fold_exact_append / tc_tokenize /
 * tc_tokenize_folded / tc_fold_words / tc_lower / tc_nfc on the bytes as
 * they are and made valid UTF-8: buffers are never written past their end
 * (len < cap), folded forms have no upper-case ASCII and no combining mark
 * U+0300..U+036F, the offset map is in bounds and never goes back, token
 * spans are in bounds, increasing and on character boundaries, and agree
 * with folding the span on its own, and a text and its NFC form give the
 * same folded words. */
void fz_fold(const uint8_t *data, size_t size);

/* tc_tokenize and tc_tokenize_folded against tc_tokenize_reference (the
 * plain UTF-8 UText tokenizer) on the bytes as they are and on every
 * second half of them: the same tokens with the same offsets, glue,
 * accents, folded and exact forms, or the same failure. */
void fz_tokenize(const uint8_t *data, size_t size);

/* The query language: tc_qparse on the bytes (up to the first NUL), then
 * tc_search on the index made by fz_query_init with the bytes split at NUL
 * as words, issuer, theme, year, deadline_from, deadline_to, doc_type;
 * then the answer as JSON, iCalendar and text, tc_suggest and
 * tc_doc_page_get.  Any status is fine, but TC_STATUS_BAD_QUERY comes with
 * a message, and answers are well formed (highlights inside their snippet
 * and on character boundaries, JSON that parses, an iCalendar feed holding
 * exactly the hits' deadlines inside deadline_from..deadline_to as the
 * search read them). */
void fz_query(const uint8_t *data, size_t size);

/* Builds the index fz_query searches: every .txt / .txt.gz file of
 * corpus_dir indexed into work_dir/index (work_dir must exist).  Returns
 * 0, or -1 after printing why. */
int fz_query_init(const char *corpus_dir, const char *work_dir);
/* Closes the index (the caller removes work_dir). */
void fz_query_fini(void);

#endif
