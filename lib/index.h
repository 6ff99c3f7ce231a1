/* The index handle, shared by index.c and search.c only. */
#ifndef TC_INDEX_H
#define TC_INDEX_H

#include "buf.h"
#include "tracuu.h"
#include "xapian_wrap.h"

struct tc_index {
    xw_db_t *db;
    tc_index_mode_t mode;
    char *error; /* last failure, "" when none */
};

/* Records a failure on the handle; returns status for tail calls. */
tc_status_t tc_index_fail(tc_index_t *index, tc_status_t status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Appends to out the prefixed term for one folded string ("XI" + "lai"). */
int tc_term_append(tc_buf_t *out, const char *prefix, const char *folded);

#endif
