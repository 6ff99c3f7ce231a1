/* The query language a person types: words, "quoted phrases", -exclusions
 * and inline filters (issuer:"sở y tế" year:2026 theme:"chuyển đổi số"
 * type:"kế hoạch" deadline:2026-05-01..2026-05-10 date:2025-01..2025-06). */
#ifndef TC_QPARSE_H
#define TC_QPARSE_H

#include "base/buf.h"

typedef struct {
    char *text;
    unsigned phrase : 1;  /* quoted: an exact phrase */
    unsigned negated : 1; /* prefixed with '-' */
} tc_qword_t;

typedef struct {
    int from[3], to[3]; /* y m d, inclusive */
} tc_date_range_t;

typedef struct {
    tc_qword_t *words;
    size_t n_words;
    tc_strlist_t issuers, themes, doc_types; /* each must match */
    int year_from, year_to;                  /* 0: unbounded */
    tc_date_range_t *deadlines;              /* each must hold a deadline */
    size_t n_deadlines;
    tc_date_range_t *dates;                  /* the date of issue must be in each */
    size_t n_dates;
    tc_strlist_t issuer_any, doc_type_any;   /* one of each list must match */
    int (*year_any)[2];                      /* the year must be in one of these ranges */
    size_t n_year_any;
} tc_qparsed_t;

/* Longest query text accepted, in bytes. */
#define TC_MAX_QUERY_BYTES 1000

/* Parses input into *out (zeroed first by the caller).  On
 * TC_STATUS_BAD_QUERY *message names the filter and the reason. */
tc_status_t tc_qparse(tc_qparsed_t *out, const char *input, char **message);

/* Adds one filter given outside the text ("issuer", "theme", "type",
 * "year", "deadline"); value uses the inline syntax. */
tc_status_t tc_qparse_filter(tc_qparsed_t *out, const char *field, const char *value, char **message);

/* Values of one facet ("issuer", "type", "year"; NULL-terminated) of
 * which a dispatch must have any. */
tc_status_t tc_qparse_any(tc_qparsed_t *out, const char *field, const char *const *values, char **message);

/* A deadline range from separate ends, either of which may be NULL. */
tc_status_t tc_qparse_deadline(tc_qparsed_t *out, const char *from, const char *to, char **message);
/* The same for the date of issue. */
tc_status_t tc_qparse_date(tc_qparsed_t *out, const char *from, const char *to, char **message);

void tc_qparsed_free(tc_qparsed_t *q);

#endif
