/* Splitting text into indexable words (ICU word break, Vietnamese syllables),
 * the same way for documents and for queries. */
#ifndef TC_TOKENIZE_H
#define TC_TOKENIZE_H

#include <stddef.h>

#include "base/buf.h"

typedef struct {
    size_t start, end;     /* [start, end) byte offsets in the text */
    size_t folded;         /* offset of the folded form in tc_tokens_t.strings */
    size_t exact;          /* offset of the exact form in tc_tokens_t.strings */
    unsigned glued : 1;    /* touches the previous token: "1471/UBND" */
    unsigned accented : 1; /* had diacritics or đ */
} tc_token_t;

typedef struct {
    tc_token_t *tokens;
    size_t count;
    tc_buf_t strings; /* NUL-separated folded and exact forms */
} tc_tokens_t;

#define TC_TOKEN_FOLDED(toks, i) ((toks)->strings.data + (toks)->tokens[i].folded)
#define TC_TOKEN_EXACT(toks, i) ((toks)->strings.data + (toks)->tokens[i].exact)

/* Fills *out (which must be zeroed or freed) with the words of text. */
tc_status_t tc_tokenize(tc_tokens_t *out, const char *text, size_t len);
/* The same with only the folded forms (exact is "", accented 0): what
 * snippets need, at a lower cost. */
tc_status_t tc_tokenize_folded(tc_tokens_t *out, const char *text, size_t len);
void tc_tokens_free(tc_tokens_t *toks);

/* The straightforward tokenizer (a UTF-8 UText, folding each word after)
 * that tc_tokenize and tc_tokenize_folded must agree with token for token,
 * offsets and strings alike (exact forms compared as strings: tc_tokenize
 * shares the folded string when they are equal).  For tests; slow. */
tc_status_t tc_tokenize_reference(tc_tokens_t *out, const char *text, size_t len, int folded_only);

/* The folded words of text joined by single spaces ("Công  Văn" -> "cong van"),
 * malloc'd; NULL when out of memory or ICU failed. */
char *tc_fold_words(const char *text);

#endif
