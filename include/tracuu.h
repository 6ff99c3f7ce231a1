/* tracuu: full-text search over Vietnamese government dispatches (công văn).
 *
 * This is the one header the front ends (indexer, query, searchd) include.
 *
 * Conventions:
 *  - Functions that can fail return tc_status_t and put their results
 *    through out-parameters, which come first.
 *  - Objects returned through an out-parameter belong to the caller and
 *    are freed with the matching tc_*_free / tc_*_close.  Passing NULL to
 *    any of those is harmless.
 *  - Where a function has no handle to keep an error on, it takes a
 *    `char **message`: on failure *message is set to a malloc'd sentence
 *    naming what went wrong, which the caller frees.  On success it is NULL.
 *  - All text is UTF-8, NFC.
 */
#ifndef TRACUU_H
#define TRACUU_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    TC_STATUS_SUCCESS = 0,
    TC_STATUS_OUT_OF_MEMORY,
    TC_STATUS_INVALID_ARGUMENT, /* a NULL or malformed argument from the caller */
    TC_STATUS_FILE_ERROR,       /* a file could not be opened or read */
    TC_STATUS_BAD_INPUT,        /* a file was read but is not a usable dispatch */
    TC_STATUS_NO_INDEX,         /* no index at the given path */
    TC_STATUS_INDEX_LOCKED,     /* another writer holds the index */
    TC_STATUS_BAD_QUERY,        /* a query or filter the user typed is malformed */
    TC_STATUS_XAPIAN,           /* any other error reported by Xapian */
    TC_STATUS_ICU,              /* an error reported by ICU */
    TC_STATUS_NOT_FOUND,        /* no document with that id */
    TC_STATUS_LAST_STATUS
} tc_status_t;

/* A short English phrase for the status ("no index"); never NULL. */
const char *tc_status_to_string(tc_status_t status);

/* ------------------------------------------------------------------ */
/* Who may see a dispatch.  Each level sees its own dispatches and      */
/* those of every level below it.                                       */

typedef enum {
    TC_ACCESS_PUBLIC = 0, /* "public": no mark */
    TC_ACCESS_STAFF,      /* "staff": internal circulation ("Lưu hành nội bộ", "Xem xong trả lại") */
    TC_ACCESS_MAT,        /* "mat": Mật (Luật Bảo vệ bí mật nhà nước 2018) */
    TC_ACCESS_TOI_MAT,    /* "toi-mat": Tối mật */
    TC_ACCESS_TUYET_MAT,  /* "tuyet-mat": Tuyệt mật */
    TC_ACCESS_LEVELS
} tc_access_t;

/* The level's name as the command line, the configuration and the record
 * write it ("toi-mat"); "?" for a value out of range. */
const char *tc_access_name(tc_access_t level);
/* 0 with *out set, or -1 when name is none of the levels' names. */
int tc_access_from_name(tc_access_t *out, const char *name);
/* The names, for messages: "public, staff, mat, toi-mat, tuyet-mat". */
#define TC_ACCESS_NAMES "public, staff, mat, toi-mat, tuyet-mat"

/* The configuration's "access = LEVEL PATTERN" lines: the files PATTERN
 * names are at LEVEL at least.  PATTERN ending in '/' is a folder (every
 * file under it); one holding a '/' is a shell pattern (fnmatch) over the
 * file's path, as given and as it really is (realpath); another one over
 * its base name ("*-mat.txt").  A rule only ever raises a level: a mark
 * the dispatch carries is never lowered. */
typedef struct {
    tc_access_t level;
    char *pattern;
} tc_access_rule_t;

/* The highest level the rules give the file at path (TC_ACCESS_PUBLIC when
 * none names it). */
tc_access_t tc_access_rules_level(const tc_access_rule_t *rules, size_t n, const char *path);

/* ------------------------------------------------------------------ */
/* The dispatch record.  A plain struct: every string is malloc'd and   */
/* owned by the record, NULL when the dispatch does not say.            */

typedef struct {
    size_t count;
    char **items;
} tc_strlist_t;

typedef struct {
    char *date; /* ISO yyyy-mm-dd */
    char *text; /* the sentence that sets it */
} tc_deadline_t;

typedef struct {
    char *type;   /* "Công văn", "Nghị quyết", ... */
    char *number; /* "1471/UBND-KGVX" */
    char *date;   /* ISO, possibly partial; NULL when not given */
    char *issuer; /* as written in the citing text; NULL when not given */
} tc_reference_t;

typedef struct {
    char *id;   /* relative path without .txt / .txt.gz (tc_id_from_name) */
    char *path; /* the file as the indexer was given it (escaped as ids are
                   when it is not UTF-8) */

    char *issuer;        /* "Sở Khoa học và Công nghệ tỉnh Lai Châu" */
    char *issuer_parent; /* "Ủy ban nhân dân tỉnh Lai Châu" */
    char *place;         /* "Lai Châu" */
    char *number;        /* "1471"; NULL when left blank */
    char *symbol;        /* "UBND-KGVX" */
    char *date;          /* ISO, partial when day or month is blank: "2026-04" */
    int year;            /* 0 when unknown */
    char *doc_type;      /* "Công văn", "Kế hoạch", ... */
    char *subject;

    tc_strlist_t recipients;
    tc_strlist_t themes;
    tc_strlist_t slogans;

    tc_deadline_t *deadlines; /* sorted by date */
    size_t n_deadlines;

    char *period_from; /* ISO */
    char *period_to;

    tc_reference_t *references;
    size_t n_references;

    char *signer;           /* "Bùi Thị Lệ Dung" */
    char *signer_title;     /* "Phó Giám đốc" */
    char *signer_authority; /* "KT. Giám đốc" */
    char *urgency;          /* "Hỏa tốc" / "Thượng khẩn" / "Khẩn" */
    char *secrecy;          /* "Mật" / "Tối mật" / "Tuyệt mật" */
    char *circulation;      /* "Lưu hành nội bộ" / "Xem xong trả lại": not for the public */
    /* Who may see it: from secrecy and circulation (tc_doc_parse), raised
     * by the configuration's access rules (tc_access_rules_apply). */
    tc_access_t access;
    /* The main fields the parser could not find, by their JSON names, in
     * this order: "issuer", "number", "symbol", "date", "doc_type",
     * "subject", "signer".  Each of those is NULL when listed here: a
     * field not found is left out, never guessed. */
    tc_strlist_t missing;

    char *text; /* the full text, cleaned: markdown residue gone, wrapped lines joined */
    char *source_encoding; /* what the file was written in: "UTF-8", "windows-1258", ... */
    char *source_format;   /* what the file is, by its content: "txt", "pdf", "docx", "odt",
                              "doc", "rtf", "html" */
    int pages;             /* the original's pages, where its format states them; 0: not known */
    int ocr_pages;         /* of a PDF's pages, those read by OCR (scans, garbage text layers) */
    int ocr_confidence;    /* OCR's mean word confidence over those pages, 0-100 */
    /* The file's key in the OCR cache (the SHA-256 of its bytes, hex) when
     * its pages were looked up there, else NULL: not part of the record,
     * the index keeps it as a term, so that an update knows which of the
     * cache's readings are of files it holds. */
    char *ocr_cache_key;
} tc_doc_t;

tc_doc_t *tc_doc_new(void);
void tc_doc_free(tc_doc_t *doc);

/* Raises doc->access to what the access rules give doc->path. */
void tc_access_rules_apply(tc_doc_t *doc, const tc_access_rule_t *rules, size_t n);

/* Reads a dispatch file (.txt or .txt.gz), decodes it and parses it.
 * `id` becomes doc->id; `path` is opened and stored as doc->path. */
tc_status_t tc_doc_load(tc_doc_t **out, const char *path, const char *id, char **message);
/* The same, rejecting (TC_STATUS_BAD_INPUT) a file over max_bytes, or
 * gzip data expanding to more (0: TC_MAX_FILE_BYTES, also the most).  Only
 * regular files are read: a FIFO or a device is rejected, not waited on. */
tc_status_t tc_doc_load_limited(tc_doc_t **out, const char *path, const char *id, size_t max_bytes, char **message);

/* When a PDF's pages are read by OCR (Tesseract, Vietnamese). */
typedef enum {
    TC_OCR_AUTO = 0, /* pages without a text layer, and pages whose text layer is garbage
                        (few Vietnamese syllables): the better of the two readings is kept */
    TC_OCR_ALWAYS,   /* every page, keeping the better reading */
    TC_OCR_NEVER     /* none: a scan is rejected */
} tc_ocr_mode_t;

/* OCR time a file may take by default, in seconds (all its pages): a
 * 100-page scan takes about 200 s on one core at the resolution used; past
 * this it is more likely a book or a broken file than a dispatch. */
#define TC_OCR_SECONDS 600

typedef struct {
    size_t max_bytes;       /* as tc_doc_load_limited's */
    tc_ocr_mode_t ocr;
    unsigned ocr_seconds;   /* OCR time limit for the file; 0: TC_OCR_SECONDS */
    const char *ocr_cache;  /* folder keeping OCR readings by the file's content hash (created
                               when needed); NULL: none */
    int ocr_cache_read_only; /* readings are taken from ocr_cache, never written there */
    /* Told of what did not stop the file from being read: a page OCR
     * failed on ("f.pdf: page 3: OCR time limit of 600 s reached; its text
     * layer is kept").  Called from the loading thread; NULL: not told. */
    void (*warn)(void *arg, const char *message);
    void *warn_arg;
} tc_load_options_t;

/* tc_doc_load_limited with OCR; options NULL: all defaults, no cache.
 * tc_doc_load and tc_doc_load_limited use TC_OCR_AUTO without a cache. */
tc_status_t tc_doc_load_with(tc_doc_t **out, const char *path, const char *id, const tc_load_options_t *options,
                             char **message);

/* A dispatch's id from the name of its file (its path relative to the
 * folder indexed, without .txt / .txt.gz): the name as it is, but for
 * '%', written "%25", and each byte that is not part of UTF-8, written
 * "%XX" (hex, upper case).  Every name has an id that JSON and a URL can
 * carry, and the name comes back from it.  malloc'd; NULL when out of
 * memory. */
char *tc_id_from_name(const char *name, size_t len);
/* The name back from an id: the byte of each "%XX".  malloc'd. */
char *tc_name_from_id(const char *id);
/* The suffix that makes a file's name a dispatch's (".txt", ".txt.gz"), or
 * NULL. */
const char *tc_dispatch_suffix(const char *name);
/* The id of a file named by itself (indexer --parse, a file given to the
 * indexer): its base name without the suffix, as tc_id_from_name writes
 * it.  malloc'd. */
char *tc_id_of_file(const char *path);

/* Parses already decoded UTF-8 (NFC) text into a record.  Never fails for
 * lack of structure: fields that cannot be found stay NULL / empty. */
tc_status_t tc_doc_parse(tc_doc_t **out, const char *text, size_t len);

/* ------------------------------------------------------------------ */
/* JSON: the one serializer used by indexer --parse, query --json and   */
/* the HTTP API.  Strings returned are malloc'd, caller frees.          */

char *tc_doc_to_json(const tc_doc_t *doc, int include_text);

/* ------------------------------------------------------------------ */
/* The index.                                                           */

typedef struct tc_index tc_index_t;

typedef enum { TC_INDEX_READ = 0, TC_INDEX_WRITE = 1 } tc_index_mode_t;

/* Opens (and for TC_INDEX_WRITE creates) the index at `path`.  On failure
 * *out is still set when memory allowed, so tc_index_last_error() can say
 * why; close it all the same. */
tc_status_t tc_index_open(tc_index_t **out, const char *path, tc_index_mode_t mode);
void tc_index_close(tc_index_t *index);

/* The detail of the last failure on this handle; "" when none. Borrowed. */
const char *tc_index_last_error(const tc_index_t *index);

/* Threads one search of this handle may use (its caller's included): the
 * exact count of a large result is split between them while the caller
 * ranks.  Searches running at the same time in the process take their
 * share first: with as many running as threads, each runs alone.
 * Default: one per core, at most TC_MAX_SEARCH_THREADS; 1 keeps every
 * search on its caller's thread. */
#define TC_MAX_SEARCH_THREADS 8
tc_status_t tc_index_set_search_threads(tc_index_t *index, unsigned threads);

/* Adds or replaces the document with doc->id. */
tc_status_t tc_index_add(tc_index_t *index, const tc_doc_t *doc);
tc_status_t tc_index_commit(tc_index_t *index);
tc_status_t tc_index_doc_count(size_t *out, tc_index_t *index);
/* How many of them a caller at level may see. */
tc_status_t tc_index_visible_count(size_t *out, tc_index_t *index, tc_access_t level);

/* Moves a reader to the newest committed revision of the index, also when
 * the folder at its path was replaced by another index.  Searches never see
 * a half-written index: only committed revisions are visible. */
tc_status_t tc_index_refresh(tc_index_t *index);
tc_status_t tc_index_revision(unsigned long *out, tc_index_t *index);

/* ------------------------------------------------------------------ */
/* Bringing an index up to date with folders of dispatch files: what the  */
/* indexer does, safe to repeat, to kill and to run twice at once.       */

typedef struct tc_update tc_update_t;

/* No dispatch comes near this: a larger file (also once gunzipped) is
 * rejected by the decoder, whatever an update allows. */
#define TC_MAX_FILE_BYTES (20u * 1024u * 1024u)

enum {
    TC_UPDATE_REBUILD = 1 << 0,     /* build a whole new index beside the live one, then swap it in */
    TC_UPDATE_WAIT = 1 << 1,        /* wait for another indexer instead of giving up at once */
    TC_UPDATE_FOLLOW_LINKS = 1 << 2,  /* follow symbolic links out of the folders given too */
    TC_UPDATE_NEW_FILESYSTEM = 1 << 3 /* accept a folder on another filesystem than at the last run */
};

/* A run removes at most this share of an index's dispatches (an update
 * those whose files are gone, a rebuild by holding fewer than the live
 * index), and at least TC_REMOVALS_MIN may always go: a folder emptied by
 * accident looks like files deleted, and a night's real deletions are a
 * few.  Beyond, the run changes nothing unless told how many may go. */
#define TC_REMOVALS_PERCENT 5
#define TC_REMOVALS_MIN 20

typedef enum {
    TC_REMOVALS_DEFAULT = 0, /* TC_REMOVALS_PERCENT, at least TC_REMOVALS_MIN */
    TC_REMOVALS_COUNT,       /* at most removals_limit dispatches */
    TC_REMOVALS_SHARE        /* at most removals_limit percent of them */
} tc_removals_kind_t;

/* The most writers a rebuild runs at once (tc_update_hooks_t's writers):
 * a third of the cores write by default, and no machine meant for the
 * indexer has 48. */
#define TC_MAX_WRITERS 16

/* The folder, inside an index's, where updates keep OCR's readings by the
 * file's content hash: a rebuild reads no scan twice. */
#define TC_OCR_CACHE "ocr-cache"

typedef struct {
    size_t added, updated, removed, unchanged, rejected;
    size_t ocr_pages; /* pages read by OCR in this run (not those found in the OCR cache) */
    size_t ocr_pruned; /* readings removed from the OCR cache: of files gone or changed */
} tc_update_counts_t;

typedef struct {
    /* A file that could not be indexed, or a warning; the message names
     * the file and the reason. */
    void (*report)(void *arg, const char *message);
    /* After each file: how many are done of how many found. */
    void (*progress)(void *arg, size_t done, size_t total);
    void *arg;
    size_t max_file_bytes; /* files larger are rejected; 0 (and the most): TC_MAX_FILE_BYTES */
    unsigned jobs;         /* threads reading and preparing files; 0: one per core */
    unsigned shards;       /* databases to spread dispatches over (a new index, or
                              with a rebuild); 0: as the index has, or 1 */
    unsigned writers;      /* with a rebuild, threads writing parts of each shard
                              that the compaction merges; 0: a third of the cores, at least 2 */
    tc_removals_kind_t removals_kind; /* how many dispatches a run may remove */
    size_t removals_limit;
    tc_ocr_mode_t ocr;     /* which PDF pages OCR reads; their readings are kept in the
                              index's folder (ocr-cache/), so no file is read twice */
    unsigned ocr_seconds;  /* OCR time limit per file; 0: TC_OCR_SECONDS */
    /* The configuration's access rules (borrowed; may be NULL): they raise
     * the level of the files they name.  A file whose level by the rules
     * changed since it was indexed is read again. */
    const tc_access_rule_t *access_rules;
    size_t n_access_rules;
} tc_update_hooks_t;

/* Takes the index's lock (TC_STATUS_INDEX_LOCKED, naming the holder, when
 * another indexer has it and TC_UPDATE_WAIT is not set), cleans up what an
 * earlier killed run left, and opens or creates the index at dir.  On
 * failure *out is still set for tc_update_last_error(); free it. */
tc_status_t tc_update_begin(tc_update_t **out, const char *dir, unsigned flags, const tc_update_hooks_t *hooks);
/* Adds a file, or a folder with everything under it (.txt, .txt.gz), to
 * this run.  Files are found and read by tc_update_finish, which follows
 * symbolic links only to what is inside the folders added, unless
 * TC_UPDATE_FOLLOW_LINKS.  A folder that is missing, empty, unreadable, or
 * on another filesystem than at the last run (unless
 * TC_UPDATE_NEW_FILESYSTEM) is refused with TC_STATUS_FILE_ERROR: most
 * likely a share that is not mounted, it must not change the index. */
tc_status_t tc_update_add(tc_update_t *update, const char *path);
/* Indexes what changed (unchanged files are recognised by size and
 * modification time, without reading them), removes the dispatches whose
 * files are gone from the folders added, commits, and with
 * TC_UPDATE_REBUILD swaps the new index in.  Then, and only then, the OCR
 * cache loses the readings of files that the index does not hold and that
 * this run did not need (gone from the archive, or changed).  A file that fails to read
 * keeps its previously indexed version, and so do the files of a folder
 * that cannot be read; a rebuild that could not read what the live index
 * has dispatches from fails with TC_STATUS_FILE_ERROR instead.  So does a
 * run that would remove more dispatches than the hooks allow (a rebuild:
 * hold fewer than the live index by more), changing nothing. */
tc_status_t tc_update_finish(tc_update_t *update, tc_update_counts_t *counts);
const char *tc_update_last_error(const tc_update_t *update);
/* Pages OCR has read so far in this run (for a progress bar: a scan takes
 * seconds a page, a text file milliseconds). */
size_t tc_update_ocr_pages(const tc_update_t *update);
/* Releases the lock; without tc_update_finish nothing of this run becomes
 * visible beyond its last batch (and nothing at all with a rebuild). */
void tc_update_free(tc_update_t *update);

/* ------------------------------------------------------------------ */
/* Searching.                                                           */

/* Relevance; date newest first ("date") or oldest first ("date_asc");
 * the earliest deadline soonest first ("deadline") or latest first
 * ("deadline_desc").  Dispatches without a date or deadline come last. */
typedef enum {
    TC_SORT_RELEVANCE = 0,
    TC_SORT_DATE = 1,
    TC_SORT_DATE_ASC = 2,
    TC_SORT_DEADLINE = 3,
    TC_SORT_DEADLINE_DESC = 4
} tc_sort_t;
#define TC_SORT_NAMES "relevance, date, date_asc, deadline or deadline_desc"

/* The sort orders by the names the command line (--sort) and the API
 * (sort=) take: "relevance", "date".  0, or -1 for another name. */
int tc_sort_from_name(tc_sort_t *out, const char *name);

/* What the user asked for.  `words` may hold inline filters
 * (issuer:"sở y tế" year:2026 deadline:2026-05-01..2026-05-10
 * theme:"chuyển đổi số" type:"kế hoạch"); explicit fields and inline ones
 * must both match.  NULL or "" means no constraint. */
typedef struct {
    const char *words;
    const char *issuer;
    const char *theme;
    const char *doc_type;
    const char *year;          /* "2026" or "2023..2026" */
    const char *deadline_from; /* ISO yyyy-mm-dd, inclusive */
    const char *deadline_to;
    const char *date_from;     /* date of issue, ISO, inclusive: "2025-01" is from 1 January */
    const char *date_to;
    const char *due;           /* "overdue": a deadline before today; "soon": one from
                                  today to due_days ahead (tc_due_from_name) */
    size_t due_days;           /* 0: TC_DUE_SOON_DAYS */
    tc_sort_t sort;
    size_t offset;
    size_t limit;
    int without_snippets; /* for answers that show none (a calendar feed) */
    int as_typed;         /* the words as typed, never corrected nor a correction offered
                             ("search instead for ...") */
    size_t facet_values;  /* values kept per facet, the most frequent; 0: TC_FACET_VALUES */
    double time_limit;    /* seconds a phrase search may look at documents; 0: TC_TIME_LIMIT; below 0: none */
    tc_access_t level;    /* what the caller may see: dispatches above it do not exist for
                             this search (hits, total, facets, corrections); 0: public */
    /* Several values of one facet, any of which a dispatch may have (OR
     * within the facet, AND with the rest, `issuer` and the like
     * included): NULL, or NULL-terminated lists of values as `issuer`,
     * `doc_type` and `year` take them. */
    const char *const *issuer_any;
    const char *const *doc_type_any;
    const char *const *year_any;
    size_t count_bound;   /* matches counted exactly, past which the total is estimated; 0: TC_COUNT_BOUND */
    int exact;            /* count every match, whatever the bound */
} tc_query_t;

/* Totals and facet counts are exact up to this many matches; past it they
 * are estimated from a sample of about as many (tc_results_t's
 * total_exact), as Elasticsearch stops tracking hits at 10,000: at 100k
 * dispatches counting every match was half of a search's instructions, and
 * nearly all of a common phrase's.  A page of ten does not need "68,324"
 * where "about 68,000" says the same. */
#define TC_COUNT_BOUND 10000
/* The largest bound taken: more than any archive holds, as exact as exact. */
#define TC_MAX_COUNT_BOUND 1000000000

/* "Sắp đến hạn": a deadline within this many days from today, unless the
 * query says otherwise: a working week and the weekend, what a clerk
 * plans ahead. */
#define TC_DUE_SOON_DAYS 7
#define TC_MAX_DUE_DAYS 366

/* Hits a page holds unless asked otherwise (--limit, per_page=). */
#define TC_DEFAULT_LIMIT 10
/* A query with nothing asked yet: `tc_query_t q = TC_QUERY_INIT;`. */
#define TC_QUERY_INIT { .limit = TC_DEFAULT_LIMIT }

/* A search that checks word positions (phrases) stops looking at
 * documents after this many seconds and answers with what it found by
 * then, saying so (tc_results_t's partial): one costly query, or many at
 * once, cannot hold a server much longer.  At 100k dispatches the slowest
 * of the benchmark's queries ("tổ chức thực hiện") takes 0.1 s on one
 * core, 0.4 s on a fresh handle, and the worst a query may ask for (8
 * phrases of common words) 0.9 s; larger archives or a loaded machine
 * reach it sooner.  Other searches cost a posting per match and are not
 * stopped. */
#define TC_TIME_LIMIT 1.0

/* A common word matches dispatches of thousands of issuers: an answer
 * lists the most frequent values of each facet, with exact counts, and
 * says how many there were in all. */
#define TC_FACET_VALUES 20
#define TC_MAX_FACET_VALUES 1000

typedef struct {
    size_t start, end; /* [start, end) byte offsets into snippet */
} tc_span_t;

typedef struct {
    tc_doc_t *doc;
    double score;
    char *snippet; /* excerpt of the original accented text */
    tc_span_t *highlights;
    size_t n_highlights;
    tc_strlist_t also_in; /* paths of other copies of this dispatch */
} tc_hit_t;

typedef struct {
    char *value;
    size_t count;
} tc_facet_value_t;

typedef struct {
    tc_facet_value_t *values; /* by count, descending; ties by value */
    size_t count;
    size_t distinct; /* values among the matches, of which the first `count` are kept */
} tc_facet_t;

/* A part of a query that nothing matched as a whole, and how many
 * dispatches match without it. */
typedef struct {
    char *part; /* as typed: a word, "a phrase", issuer:"…", year:2020..2026 … */
    size_t total;
    int total_exact; /* 0: past the count bound, total is an estimate */
} tc_without_t;

typedef struct {
    size_t total; /* exact number of matching documents, unless partial or !total_exact */
    /* 0 when more dispatches matched than the query's count bound: total
     * is then an estimate, and the number lies from total_lower (those
     * seen) to total_upper (those holding the terms); equal to total when
     * exact.  Facet counts are exact when facets_exact, else estimated
     * from a sample of about count_bound matches (scaled to the total).
     * A single word's total is known without counting: exact, while its
     * facets past the bound are estimated.  An index of several shards
     * counts every match. */
    int total_exact;
    size_t total_lower, total_upper;
    int facets_exact;
    /* The time limit stopped the search: the hits, the total and the
     * facet counts come from the documents looked at before it (the
     * counts are then lower bounds). */
    int partial;
    /* For a query holding a dispatch number ("1471", "74/KH-UBND"): 1 when
     * a dispatch of the archive carries it as its own (and ranks first),
     * 0 when none does (the hits mention it); -1 for other queries. */
    int number_in_archive;
    /* When nothing matches a query of several parts: each part without
     * which something would, with that total (what emptied the answer,
     * to offer dropping it). */
    tc_without_t *without;
    size_t n_without;
    /* When the words typed found nothing but the same words as the
     * archive spells them do (a typo, Telex or VNI typed with the input
     * method off): those words, and corrected = 1: the answer is theirs. */
    char *suggestion;
    int corrected;
    size_t offset, limit;
    tc_hit_t *hits;
    size_t n_hits;
    tc_facet_t issuer, year, doc_type;
} tc_results_t;

/* Runs `query`.  On TC_STATUS_BAD_QUERY the handle's last error names the
 * parameter and the reason. */
tc_status_t tc_search(tc_results_t **out, tc_index_t *index, const tc_query_t *query);
void tc_results_free(tc_results_t *results);

/* The search answer as JSON (no full text in the records). */
char *tc_results_to_json(const tc_results_t *results);

/* The search answer for a person; `color` highlights with ANSI escapes. */
void tc_results_print_text(FILE *out, const tc_results_t *results, int color);
/* The words corrected or suggested ("did you mean: ..."), one line, or
 * nothing: query writes it on stderr, beside the answer. */
void tc_results_print_correction(FILE *out, const tc_results_t *results);

/* ------------------------------------------------------------------ */
/* One dispatch with its links inside the archive.                      */

/* A reference names a dispatch of the archive when that dispatch carries
 * its number and symbol, its date (or year, when only that is given)
 * agrees, and its issuer is the one the reference names, or the one it
 * implies: "của UBND tỉnh" in a Lai Châu letter is UBND tỉnh Lai Châu, a
 * reference naming no issuer points inside the citing dispatch's province
 * or at a national body.  Every UBND writes ".../KH-UBND": the number and
 * symbol alone name dispatches of every province and year. */
typedef struct {
    tc_doc_t *doc;         /* the full record, with text */
    char **reference_ids;  /* one per doc->references: the id of the cited
                              dispatch when exactly one dispatch of the
                              archive fits it, else NULL */
    tc_strlist_t *reference_candidates; /* one per doc->references: every
                              dispatch that fits it (none: not in the
                              archive; several: the reference cannot tell) */
    tc_doc_t **cited_by;   /* records (without text) of dispatches whose
                              references fit this one */
    size_t n_cited_by;
} tc_doc_page_t;

/* TC_STATUS_NOT_FOUND when no dispatch has that id, or when it is above
 * level (the same answer: a caller does not learn that it exists); its
 * references resolve, and cited_by lists, only dispatches level may see. */
tc_status_t tc_doc_page_get(tc_doc_page_t **out, tc_index_t *index, const char *id, tc_access_t level);
void tc_doc_page_free(tc_doc_page_t *page);
char *tc_doc_page_to_json(const tc_doc_page_t *page);

/* Completions for what a user is typing: issuers and themes (or slogans)
 * having a word sequence that starts with `typed`, diacritics ignored. */
typedef struct {
    tc_strlist_t issuers;
    tc_strlist_t themes;
} tc_suggestions_t;

/* Only completions that dispatches level may see have are offered. */
tc_status_t tc_suggest(tc_suggestions_t *out, tc_index_t *index, const char *typed, size_t max_each,
                       tc_access_t level);
void tc_suggestions_clear(tc_suggestions_t *suggestions);
char *tc_suggestions_to_json(const tc_suggestions_t *suggestions);

/* {user, level}: who signed in (user null: nobody) and what they see. */
char *tc_whoami_to_json(const char *user, tc_access_t level);

/* {"error": error, "message": message}: the English for programs and
 * logs, the same in the reader's language (left out when NULL). */
char *tc_error_to_json(const char *error, const char *message);

/* {status: "ok", revision, documents}: what a health check reads. */
char *tc_health_to_json(unsigned long revision, size_t documents);

/* Length of the well-formed UTF-8 character at text (1 to 4), or 0 when
 * the bytes there are none (a stray continuation byte, an overlong form,
 * a surrogate, past U+10FFFF, cut short). */
size_t tc_utf8_char_length(const char *text);
/* Non-zero when all of text is well-formed UTF-8. */
int tc_is_utf8(const char *text);
/* text as a message may show it: its characters as they are, each byte
 * that belongs to none as \xNN, cut between characters with an ellipsis
 * past max_bytes.  malloc'd; NULL when out of memory. */
char *tc_printable(const char *text, size_t max_bytes);

/* A whole decimal count from min to max (digits only: no sign, no
 * space); 0, or -1 when text is not one.  The command line's and the
 * API's numeric options read the same way. */
int tc_parse_count(size_t *out, const char *text, size_t min, size_t max);

typedef enum { TC_EXPORT_CSV = 0, TC_EXPORT_JSONL = 1 } tc_export_format_t;

/* Writes every dispatch the query matches (whatever its offset, limit and
 * count bound) to out: CSV (UTF-8 with a byte order mark, a header row, then id,
 * number/symbol, date, issuer, type, subject, deadlines, path), or JSON
 * Lines (one record a line).  *rows gets how many were written. */
tc_status_t tc_export(FILE *out, tc_index_t *index, const tc_query_t *query, tc_export_format_t format, size_t *rows);
/* The same, a part at a time, for an answer sent as it is made: begin,
 * then next until *done; each next writes the header first (CSV), then
 * the rows of one page of hits (1,000).  The query's strings and the
 * index must outlive the export; the index should be one no other search
 * refreshes meanwhile, or the pages can come from different revisions. */
typedef struct tc_export tc_export_t;
tc_status_t tc_export_begin(tc_export_t **out, tc_index_t *index, const tc_query_t *query, tc_export_format_t format);
tc_status_t tc_export_next(tc_export_t *cursor, FILE *out, int *done);
size_t tc_export_rows(const tc_export_t *cursor); /* rows written so far */
/* Calls exported with each dispatch written from now on (who exported
 * which dispatch, for an audit log). */
void tc_export_on_row(tc_export_t *cursor, void (*exported)(const tc_doc_t *doc, void *arg), void *arg);
void tc_export_free(tc_export_t *cursor);

/* An iCalendar (RFC 5545) feed with one all-day event per deadline of the
 * hits; with `from` / `to` (ISO dates, may be NULL) only deadlines inside.
 * With page_url (the search page, "https://host/prefix/"; may be NULL)
 * each event's URL is its dispatch's page, page_url?doc=ID. */
char *tc_results_to_ical(const tc_results_t *results, const char *from, const char *to, const char *page_url);

/* ------------------------------------------------------------------ */
/* The configuration file: what the three programs would otherwise be   */
/* told on every command line.                                          */

/* The file read when TRACUU_CONFIG is not set. */
#define TC_CONFIG_PATH "/etc/tracuu/tracuu.conf"

/* Lines "key = value"; blank lines and lines starting with '#' are
 * ignored, and so is space around the key and the value.  Keys:
 *   index    the index folder (what --db names)
 *   archive  a folder or file to index when the indexer is given none;
 *            one per line, repeated for several
 *   bind     the address searchd listens on
 *   port     searchd's TCP port, 0 to 65535
 *   base-path      the path prefix searchd's page is served under
 *   trusted-proxy  addresses of reverse proxies searchd believes: their
 *                  X-Forwarded-For/-Proto and X-Remote-User headers;
 *                  several on a line (commas or spaces), or the key repeated
 *   cors-origin    Access-Control-Allow-Origin of searchd's API
 *   access   "LEVEL PATTERN": the files PATTERN names are at LEVEL at
 *            least (tc_access_rule_t); one per line, repeated for several
 *   anonymous      the level searchd gives a caller who did not sign in
 *   users          searchd's password file ("user:hash:level" lines)
 *   audit-log      the file searchd appends who opened what to
 *   audit-queries  "yes" or "no": whether that log keeps what was searched
 *   count-bound    searchd's count bound (TC_COUNT_BOUND), 1 to TC_MAX_COUNT_BOUND
 * A key not set is NULL (archive: n_archive 0). */
typedef struct {
    char *index;
    char **archive;
    size_t n_archive;
    char *bind;
    char *port;
    tc_access_rule_t *access_rules;
    size_t n_access_rules;
    char *anonymous;
    char *users;
    char **trusted_proxies;
    size_t n_trusted_proxies;
    char *audit_log;
    char *audit_queries;
    char *base_path;
    char *cors_origin;
    char *count_bound;
    char *path; /* the file read, or NULL when none was */
} tc_config_t;

/* Reads one file into *out (emptied first).  On failure *message says
 * which file, line and key, and why ("F:3: port: \"80a\" is not a port
 * number (0 to 65535)"). */
tc_status_t tc_config_read_file(tc_config_t *out, const char *path, char **message);

/* Reads the configuration the programs use: the file the environment
 * variable TRACUU_CONFIG names when it is set and not empty (it must
 * exist), else TC_CONFIG_PATH when it exists, else none (every key NULL).
 * Flags given to a program then take precedence over what it holds. */
tc_status_t tc_config_read(tc_config_t *out, char **message);

/* Frees what *config holds (not config itself) and empties it. */
void tc_config_free(tc_config_t *config);

/* ------------------------------------------------------------------ */
/* The password file searchd signs users in with: lines                 */
/* "user:hash:level", '#' comments and blank lines ignored.  A hash is  */
/* libcrypt's, yescrypt ("$y$") or bcrypt ("$2b$"), or "!": no password, */
/* the user signs in through a trusted proxy only.                      */

typedef struct tc_users tc_users_t;

/* Reads path (NULL: no file, nobody) into *out, to free with
 * tc_users_free even on failure; *message names the file, the line and
 * what is wrong with it. */
tc_status_t tc_users_read(tc_users_t **out, const char *path, char **message);
void tc_users_free(tc_users_t *users);
/* 0 with *level set, or -1 when the file does not list name. */
int tc_users_level(const tc_users_t *users, const char *name, tc_access_t *level);
/* 1 with *level set when password is name's, else 0.  The hashes are
 * compared in constant time, and an unknown name is checked against a
 * decoy hash, so that the time taken tells nothing.  Safe to call from
 * several threads once the decoy is made (the first call of an unknown
 * name makes it; tc_users_read's caller may call with "" to make it
 * first). */
int tc_users_check(tc_users_t *users, const char *name, const char *password, tc_access_t *level);
/* A fresh hash of password (malloc'd): method "yescrypt" (NULL: the
 * default) or "bcrypt", with libcrypt's default cost and a random salt. */
tc_status_t tc_users_hash(char **out, const char *password, const char *method, char **message);
/* Whether name can be a user's: 1 to 64 bytes of UTF-8, no space, control
 * character or ':'. */
int tc_user_name_ok(const char *name);
/* Sets name's hash and level in the file at path (made, mode 0640, when
 * missing), or removes name when hash is NULL; *existed says whether the
 * file listed it.  The file is replaced whole, by a rename. */
tc_status_t tc_users_update_file(const char *path, const char *name, const char *hash, tc_access_t level,
                                 int *existed, char **message);

#ifdef __cplusplus
}
#endif

#endif
