#include "tracuu.h"

const char *tc_status_to_string(tc_status_t status)
{
    switch (status) {
    case TC_STATUS_SUCCESS: return "success";
    case TC_STATUS_OUT_OF_MEMORY: return "out of memory";
    case TC_STATUS_INVALID_ARGUMENT: return "invalid argument";
    case TC_STATUS_FILE_ERROR: return "cannot read file";
    case TC_STATUS_BAD_INPUT: return "not a usable dispatch";
    case TC_STATUS_NO_INDEX: return "no index";
    case TC_STATUS_INDEX_LOCKED: return "index locked";
    case TC_STATUS_BAD_QUERY: return "bad query";
    case TC_STATUS_XAPIAN: return "index error";
    case TC_STATUS_ICU: return "text processing error";
    case TC_STATUS_NOT_FOUND: return "not found";
    case TC_STATUS_LAST_STATUS: break;
    }
    return "unknown status";
}
