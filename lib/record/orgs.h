/* Tables of Vietnamese public bodies and the words around them: the
 * abbreviations used in document symbols and typed in queries, the names of
 * bodies in their canonical case, the provinces, signature titles and
 * document types.  Lookups are plain C; nothing here allocates.
 *
 * Keys are folded (tc_fold: lower case, no diacritics, đ -> d).  A "name
 * key" is a folded name with every character other than a-z, 0-9 and '&'
 * turned into a word break and words separated by single spaces
 * ("Sở Lao động - Thương binh và Xã hội" -> "so lao dong thuong binh va xa hoi").
 * All returned strings are static, UTF-8 NFC. */
#ifndef TC_ORGS_H
#define TC_ORGS_H

#include <stddef.h>

typedef enum {
    TC_ABBREV_ORG = 1,     /* a local body, named with a locality ("Sở Y tế") */
    TC_ABBREV_ORG_CENTRAL, /* a national body ("Bộ Y tế") */
    TC_ABBREV_PART,        /* part of a name ("Khoa học và Công nghệ") */
    TC_ABBREV_LOCALITY     /* a locality word ("thành phố") */
} tc_abbrev_kind_t;

/* The normal-case expansion of an abbreviation as typed, keyed by its folded
 * form without whitespace: "ubnd" -> "Ủy ban nhân dân", "kh&cn" and "khcn" ->
 * "Khoa học và Công nghệ", "skhcn" -> "Sở Khoa học và Công nghệ", "gd&dt" ->
 * "Giáo dục và Đào tạo", "syt" -> "Sở Y tế", "tp" -> "thành phố".  NULL when
 * the word is no known abbreviation.  The same table serves the parser's
 * reading of symbols ("SKHCN-VP") and header words ("UBND TỈNH ..."). */
const char *tc_abbrev_expand(const char *folded_word);
/* The same for the first len bytes of folded; *kind (when non-NULL) says
 * what the expansion is. */
const char *tc_abbrev_lookup(const char *folded, size_t len, tc_abbrev_kind_t *kind);

/* The longest known body whose name key is a whole-word prefix of `key`
 * ("so khoa hoc va cong nghe tinh lai chau" -> "Sở Khoa học và Công nghệ").
 * *words gets the number of key words it covers; *local is non-zero for a
 * body that belongs to a province, district or commune and so is named with
 * its locality.  NULL when none. */
const char *tc_org_name_match(const char *key, size_t *words, int *local);

/* The org word opening `key` ("chi cuc thuy loi" -> "Chi cục"), in its
 * canonical case; *words as above.  These are the words that start an org
 * line in a header: Ủy ban nhân dân, UBND, Sở, Bộ, Ban, Cục, Chi cục, ... */
const char *tc_org_word_match(const char *key, size_t *words);

/* A locality word opening `key` ("thanh pho ha noi" -> "thành phố"), in
 * lower case; *words as above.  Locality words: tỉnh, thành phố, huyện,
 * quận, thị xã, xã, phường, thị trấn, and the abbreviation tp. */
const char *tc_locality_word_match(const char *key, size_t *words);

/* A province or centrally-run city, by its name key ("lai chau",
 * "ba ria vung tau"): the 63 provinces before 2025 and the names after the
 * 2025 merger.  Returns the canonical spelling ("Lai Châu") and sets
 * *is_city for the centrally-run cities (thành phố Hà Nội, ...). */
const char *tc_province_lookup(const char *key, int *is_city);
/* The province whose key is the longest whole-word prefix of key ("lai
 * chau ..."), its number of words in *words; NULL when none is. */
const char *tc_province_match(const char *key, size_t *words);

/* A signature title opening `key` ("pho giam doc" -> "Phó Giám đốc"), the
 * longest one; *words as above.  NULL when none. */
const char *tc_title_match(const char *key, size_t *words);

/* Document types. */
enum {
    TC_DOCTYPE_TITLE = 1, /* stands as a title line: "KẾ HOẠCH" */
    TC_DOCTYPE_REF = 2    /* cited as "<Type> số <number>" */
};

typedef struct {
    const char *key;  /* name key: "ke hoach" */
    const char *name; /* "Kế hoạch" */
    const char *code; /* folded symbol code: "kh"; NULL when none */
    int flags;
} tc_doc_type_t;

/* The whole table; *count gets its length. */
const tc_doc_type_t *tc_doc_types(size_t *count);
/* By name key ("quyet dinh"), or NULL. */
/* The type standing as a title whose name opens key and more words follow
 * ("chuong trinh dao tao"), the longest; NULL when none does. */
const tc_doc_type_t *tc_doc_type_opening(const char *key);
const tc_doc_type_t *tc_doc_type_by_key(const char *key);
/* By the folded code of a symbol ("qd" for "QĐ"), or NULL. */
const tc_doc_type_t *tc_doc_type_by_code(const char *folded_code);

#endif
