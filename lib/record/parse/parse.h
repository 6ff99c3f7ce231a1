/* The dispatch parser's own header: what the files of lib/record/parse/
 * share.  The entry point, tc_doc_parse, is declared in tracuu.h.
 *
 * One file a family of fields, in the order tc_doc_parse reads them:
 *   lines.c       the text cut into cleaned, folded lines; hard wrap
 *   header.c      the header block: where each mark stands; urgency, secrecy
 *   number.c      number and symbol
 *   date.c        dates; the dispatch's place and date
 *   subject.c     subject and document type
 *   text.c        the lines joined into paragraphs: doc->text
 *   recipients.c  recipients
 *   themes.c      themes and slogans
 *   deadlines.c   period and deadlines
 *   references.c  the documents cited
 *   signer.c      signer, title and authority
 *   issuer.c      issuer and the body above it
 *   names.c       bodies' names in normal case (for issuer and signer)
 *   common.c      characters, memory, strings, keys, matching on folded text
 *   vocabulary.c  every word the readers look for: labels, triggers, prefixes
 *   parse.c       tc_doc_parse
 *
 * Functions shared between the files are named ps_* and the vocabulary
 * voc_*; the small static inline helpers below keep their short names.  Nothing here fails but for
 * memory, which every helper records in ctx->oom. */
#ifndef TC_RECORD_PARSE_H
#define TC_RECORD_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/buf.h"
#include "tracuu.h"

/* No position: what a search returns when it finds nothing. */
#define NPOS ((size_t)-1)

/* Items kept in one list (recipients, themes, slogans): far past what a
 * real dispatch holds, the cap guards against pathological input. */
#define MAX_ITEMS 200

/* Words of one body's name or title line: a name with its locality has a
 * dozen or so. */
#define MAX_WORDS 64

/* A line at least this share of the wrap width is a full line of
 * hard-wrapped text: it ends where the page's column ended, not where its
 * sentence did.  A quarter short of the width allows for the words that did
 * not fit. */
#define FULL_LINE_SHARE 0.75

typedef struct {
    size_t off, len;   /* in ctx->lbuf */
    size_t foff, flen; /* its folded form, in ctx->lfold */
    size_t nchars;     /* code points */
    int blank;
} line_t;

typedef struct {
    size_t start, len;   /* in ctx->text */
    size_t fstart, flen; /* in ctx->ftext */
    size_t first, last;  /* lines */
} para_t;

typedef struct {
    tc_buf_t f;
    size_t *map;
    size_t cap;
} fold_t;

typedef struct {
    int y, m, d; /* 0 when not given */
} ymd_t;

typedef struct {
    const char *s;
    size_t len;
} word_t;

/* How ps_put_word writes a word. */
typedef enum {
    WORD_AS_WRITTEN,
    WORD_LOWER,      /* "ban" */
    WORD_CAPITALISED /* "Ban" */
} word_case_t;

typedef struct {
    char *name;     /* "Sở Khoa học và Công nghệ" */
    char *locality; /* "tỉnh Lai Châu", NULL when none */
    int local;      /* takes a locality */
} org_name_t;

typedef struct {
    tc_doc_t *doc;
    int oom;

    tc_buf_t lbuf;
    line_t *lines;
    size_t n_lines;
    tc_buf_t lfold;      /* every line folded once, one after another */
    size_t *lfmap;       /* offsets relative to each line's start */
    size_t lfcap;
    const size_t *lmap;  /* the map of the line fold_line gave last */

    tc_buf_t scratch[2];   /* clean_line's work */
    unsigned char *drop;   /* strip_markdown's work */
    size_t drop_cap;

    tc_buf_t text;
    para_t *paras;
    size_t n_paras;
    tc_buf_t ftext; /* the paragraphs folded, one per line */
    size_t *fmap;   /* offsets relative to each paragraph's start */
    size_t fcap;

    fold_t tmp;      /* scratch for one line at a time */
    tc_buf_t kfold;  /* ps_key_of's scratch */

    int hard;    /* hard-wrapped (PDF) text */
    double wrap; /* its wrap width in code points */

    /* Header marks, as line indices (NPOS when absent). */
    size_t so, dl, vv, kg, title;
    size_t dl_year; /* the line the date's year wrapped onto, or NPOS */
    size_t subject_end;  /* last line of the subject */
    size_t body;         /* first body line: header lines never join it */
    size_t join_from;    /* first line that may be joined as hard-wrapped */
    size_t sym_end;      /* in line so: end of the symbol */
    size_t place_start;  /* in line dl: where the place starts */
    size_t period_f0, period_f1; /* the period's span in ftext */
    int year;
    tc_access_t marked_level; /* the highest a mark read gives (voc_marks' levels) */
    int month, day; /* the dispatch's, 0 when not given */
    const char *type_name; /* the type the title or the V/v line says (subject.c) */
} ctx_t;

/* ------------------------------------------------------------------ */
/* Small helpers, inline in every file.                               */

static inline int is_sp(char ch)
{
    return ch == ' ' || ch == '\t';
}

static inline int is_dig(char ch)
{
    return ch >= '0' && ch <= '9';
}

/* Non-zero for ASCII letters and digits (common.c). */
extern const unsigned char ps_alnum_table[256];

/* ASCII letters and digits. */
static inline int is_alnum_b(char ch)
{
    return ps_alnum_table[(unsigned char)ch];
}

/* The start of the code point before s[i]. */
static inline size_t prev_cp(const char *s, size_t i)
{
    if (i == 0)
        return 0;
    size_t j = i - 1;
    while (j > 0 && ((unsigned char)s[j] & 0xC0) == 0x80)
        j--;
    return j;
}

static inline int has_digit(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (is_dig(s[i]))
            return 1;
    return 0;
}

static inline int wstart(const char *f, size_t i)
{
    return i == 0 || !is_alnum_b(f[i - 1]);
}

static inline size_t skip_sp(const char *f, size_t n, size_t i)
{
    while (i < n && f[i] == ' ')
        i++;
    return i;
}

/* Appends s[0..len) to b. */
static inline void put(ctx_t *c, tc_buf_t *b, const char *s, size_t len)
{
    if (b->len + len < b->cap) { /* the common case, without a call */
        memcpy(b->data + b->len, s, len);
        b->len += len;
        b->data[b->len] = '\0';
        return;
    }
    if (tc_buf_append(b, s, len) < 0)
        c->oom = 1;
}

/* put for a C string (the underscore: stdio has a puts). */
static inline void puts_(ctx_t *c, tc_buf_t *b, const char *s)
{
    put(c, b, s, strlen(s));
}

/* The first capacity of the growing arrays (lines, paragraphs): a short
 * dispatch's lines fit in it. */
#define GROW_FIRST 64

/* arr with room for one more element past n (doubling *cap), or NULL
 * with c->oom set; arr stays valid then. */
static inline void *grow(ctx_t *c, void *arr, size_t n, size_t *cap, size_t size)
{
    void *grown = tc_grow(arr, n, cap, size, GROW_FIRST);
    if (!grown)
        c->oom = 1;
    return grown;
}

/* Line i's text and length. */
static inline const char *LS(const ctx_t *c, size_t i)
{
    return c->lbuf.data + c->lines[i].off;
}

static inline size_t LN(const ctx_t *c, size_t i)
{
    return c->lines[i].len;
}

/* The folded text of line i; c->lmap takes its offsets back to the line. */
static inline const char *fold_line(ctx_t *c, size_t i, size_t *fn)
{
    *fn = c->lines[i].flen;
    c->lmap = c->lfmap + c->lines[i].foff;
    return c->lfold.data + c->lines[i].foff;
}

/* Text offset of the folded offset j inside paragraph k. */
static inline size_t orig(const ctx_t *c, size_t k, size_t j)
{
    return c->paras[k].start + c->fmap[j];
}

/* ------------------------------------------------------------------ */
/* Matching on folded text: the end of a match, or NPOS.              */

/* Matches pat at f[i]; a space in pat matches one or more spaces.  A pattern
 * ending in a letter or digit must end a word.  Returns the end or NPOS. */
static inline size_t fm(const char *f, size_t n, size_t i, const char *pat)
{
    const char *p = pat;
    for (; *p; p++) {
        if (*p == ' ') {
            if (i >= n || f[i] != ' ')
                return NPOS;
            while (i < n && f[i] == ' ')
                i++;
        } else {
            if (i >= n || f[i] != *p)
                return NPOS;
            i++;
        }
    }
    if (p > pat && is_alnum_b(p[-1]) && i < n && is_alnum_b(f[i]))
        return NPOS;
    return i;
}

/* fm at a word start. */
static inline size_t fmw(const char *f, size_t n, size_t i, const char *pat)
{
    if (is_alnum_b(pat[0]) && !wstart(f, i))
        return NPOS;
    return fm(f, n, i, pat);
}

/* A number of at most maxd digits at f[i] and not followed by another
 * digit; *val gets its value. */
static inline size_t read_uint(const char *f, size_t n, size_t i, int maxd, int *val)
{
    int v = 0, d = 0;
    while (i < n && is_dig(f[i]) && d < maxd) {
        v = v * 10 + (f[i] - '0');
        i++;
        d++;
    }
    if (!d || (i < n && is_dig(f[i])))
        return NPOS;
    *val = v;
    return i;
}

/* ------------------------------------------------------------------ */
/* common.c: characters.                                              */

int ps_is_letter_cp(uint32_t cp);
/* 'U' or 'L' for an upper- or lower-case letter at s[i], 0 otherwise. */
int ps_case_at(const char *s, size_t len, size_t i);
size_t ps_count_cps(const char *s, size_t len);
/* Moves *a and *b inward past spaces and tabs. */
void ps_trim(const char *s, size_t *a, size_t *b);
/* Moves *b back past spaces and the ASCII characters in `chars`. */
void ps_rstrip(const char *s, size_t a, size_t *b, const char *chars);
/* The number of digits s starts with. */
size_t ps_lead_digits(const char *s);

/* common.c: memory and strings.  A failure sets ctx->oom. */

void *ps_xrealloc(ctx_t *c, void *p, size_t n, size_t size);
/* Appends s[0..len) with runs of whitespace made one space. */
void ps_put_collapsed(ctx_t *c, tc_buf_t *b, const char *s, size_t len);
/* A trimmed, whitespace-collapsed copy; NULL when empty. */
char *ps_dup_clean(ctx_t *c, const char *s, size_t len);
/* Sets *field to ps_dup_clean(s) unless it is set already. */
void ps_set_field(ctx_t *c, char **field, const char *s, size_t len);
char *ps_xstrdup(ctx_t *c, const char *s);
/* a, sep and b in one fresh string; ps_join_sp: "a b". */
char *ps_join3(ctx_t *c, const char *a, size_t alen, const char *sep, const char *b, size_t blen);
char *ps_join_sp(ctx_t *c, const char *a, const char *b);

/* common.c: folding and name keys (orgs.h says what a name key is). */

/* s folded into fo, with its offset map; -1 when out of memory. */
int ps_fold_into(ctx_t *c, fold_t *fo, const char *s, size_t len);
void ps_fold_free(fold_t *fo);
/* The name key of folded text into out; of original text, malloc'd. */
void ps_key_into(ctx_t *c, tc_buf_t *out, const char *f, size_t n);
char *ps_key_of(ctx_t *c, const char *s, size_t len);
/* Do the whole words `words` stand in `key`? */
int ps_key_has_words(const char *key, const char *words);

/* common.c: matching on folded text (and fm, fmw, read_uint above). */

/* The first fmw match of pat from f[from]: its start; *end gets its end. */
size_t ps_ffind(const char *f, size_t n, size_t from, const char *pat, size_t *end);
/* Is folded [i, e) of paragraph k the word(s) `exact` in the original? */
int ps_span_is(ctx_t *c, size_t k, size_t i, size_t e, const char *exact);

/* ------------------------------------------------------------------ */
/* lines.c                                                            */

/* Cuts the text into c->lines, cleaned, and folds each line. */
void ps_split_lines(ctx_t *c, const char *text, size_t len);
/* Sets c->hard and c->wrap for hard-wrapped text. */
void ps_detect_hard_wrap(ctx_t *c);
/* The list marker opening s, its spaces included: its length, 0 if none. */
size_t ps_list_marker(const char *s, size_t len);
/* ps_list_marker for a bullet ("- ", "+ ", "• "), 0 for other markers. */
size_t ps_bullet(const char *s, size_t n);
/* Does the line end a sentence? */
int ps_ends_terminal(const char *s, size_t len);
/* Where the text after a label ending at folded e (and a colon) starts. */
size_t ps_after_label(ctx_t *c, const char *f, size_t fn, size_t e);
/* Line i's name key, in kb. */
const char *ps_line_key(ctx_t *c, size_t i, tc_buf_t *kb);

/* ------------------------------------------------------------------ */
/* The readers: each sets its fields of c->doc.                       */

/* header.c: c->so, dl, vv, kg, title, and the fields on those lines. */
void ps_find_marks(ctx_t *c);
/* Is the name key the national motto's, or an urgency or secrecy mark's? */
int ps_is_motto_key(const char *key);
int ps_is_mark_key(const char *key);

/* number.c */
int ps_is_so_line(ctx_t *c, size_t i, size_t *after);
void ps_read_number(ctx_t *c, size_t i, size_t p);
/* The first code of doc->symbol, past a year ("2024/QĐ-UBND": "QĐ"), folded
 * and malloc'd, NULL when out of memory; *code and *len: where it is in
 * the symbol.  doc->symbol must be set. */
char *ps_symbol_code(ctx_t *c, const char **code, size_t *len);

/* date.c */
size_t ps_parse_date(const char *f, size_t n, size_t i, ymd_t *out);
/* "yyyy", "yyyy-mm" or "yyyy-mm-dd"; NULL without a year. */
char *ps_iso(ctx_t *c, int y, int m, int d);
/* A full date, the year defaulting to the dispatch's; NULL when invalid. */
char *ps_iso_full(ctx_t *c, ymd_t dt);
int ps_find_place_date(ctx_t *c, size_t i, size_t from, ymd_t *dt, size_t *pa, size_t *pb, size_t *year_line);

/* subject.c */
void ps_read_header_subject(ctx_t *c);
void ps_read_doc_type(ctx_t *c);

/* text.c: the paragraphs, c->text and c->ftext; the readers below it
 * search them. */
void ps_build_text(ctx_t *c);

/* recipients.c */
void ps_read_recipients(ctx_t *c);

/* themes.c: themes and slogans. */
void ps_read_quotes(ctx_t *c);

/* deadlines.c */
void ps_read_period(ctx_t *c);
void ps_read_deadlines(ctx_t *c);

/* references.c */
void ps_read_references(ctx_t *c);

/* signer.c */
void ps_read_signer(ctx_t *c);

/* issuer.c */
void ps_read_issuer(ctx_t *c);

/* ------------------------------------------------------------------ */
/* vocabulary.c: the words the parser looks for (see there).          */
/* A table's length is its VOC_ constant, which vocabulary.c checks.  */

extern const char voc_so[], voc_vv[], voc_ve_viec[], voc_can_cu[], voc_kinh_gui[];
extern const char voc_cong_hoa[], voc_viet_nam[], voc_doc_lap[], voc_doc_lap_tu_do[],
    voc_doc_lap_tu_do_hanh_phuc[], voc_hanh_phuc[], voc_dang_cong_san[];
enum { VOC_MOTTO_LETTERS = 2 };
extern const char *const voc_motto_letters[];

/* An urgency, a secrecy or a circulation mark. */
typedef enum { MARK_URGENCY, MARK_SECRECY, MARK_CIRCULATION } mark_field_t;
typedef struct {
    const char *key;    /* its name key: "thuong khan" */
    const char *name;   /* as written into the record: "Thượng khẩn" */
    mark_field_t field; /* doc->urgency, doc->secrecy or doc->circulation */
    tc_access_t level;  /* who may see a dispatch so marked, at least */
} voc_mark_t;
enum { VOC_MARKS = 12 };
extern const voc_mark_t voc_marks[];
extern const char voc_do_khan[], voc_do_mat[];

extern const char voc_ngay[], voc_thang[], voc_nam[];
extern const char voc_nay_duoc[], voc_thong_qua_ngay[];
extern const char voc_cong_van[];
/* What follows a title block: the legal grounds, the issuing authority. */
enum { VOC_GROUNDS = 3, VOC_AUTHORITIES = 12, VOC_BODY_OPENERS = 8, VOC_OPEN_ENDS = 9 };

extern const char *const voc_grounds[];
extern const char *const voc_authorities[];
extern const char *const voc_body_openers[];
enum { VOC_RECIPIENT_OPENERS = 31, VOC_BODY_VERBS = 7 };
extern const char *const voc_recipient_openers[], *const voc_body_verbs[];
extern const char voc_chu_de[], voc_khau_hieu[];
extern const char *const voc_chu_de_words[2], *const voc_khau_hieu_words[2];

extern const char voc_tu_ngay[], voc_den[], voc_het[];
typedef struct {
    const char *pat; /* folded */
    int loose;       /* other words may come before the date */
} voc_trigger_t;
enum { VOC_DEADLINE_TRIGGERS = 7, VOC_DEADLINE_FILLERS = 8, VOC_DAY_PARTS = 4, VOC_RECURRENCES = 4 };
extern const voc_trigger_t voc_deadline_triggers[];
extern const char *const voc_recurrences[];
enum { VOC_DIRECTIVES = 7 };
extern const char voc_trong[], voc_quy[];
extern const char *const voc_quarter_numerals[4];
extern const char *const voc_directives[];
extern const char *const voc_deadline_fillers[];
extern const char voc_gio[], voc_phut[];
extern const char *const voc_day_parts[];

/* A word folded, and as it must be written (lower case, with diacritics). */
typedef struct {
    const char *folded, *exact;
} voc_word_t;
extern const voc_word_t voc_cua, voc_tai;
/* Words a subject's line cannot end on (subject.c). */
extern const voc_word_t voc_open_ends[];
enum { VOC_NAMED_ACTS = 2, VOC_ISSUER_STOPS = 27 };
extern const char *const voc_named_acts[];
extern const voc_word_t voc_issuer_stops[];
enum { VOC_ANNEX_OF = 2 };
extern const char *const voc_annex_of[];
extern const char voc_va[];

extern const char voc_bo[], voc_tong_cuc[], voc_cuc[], voc_xa_hoi[], voc_bo_code[];
enum { VOC_UNION_LINES = 2 };
extern const char voc_ban_chap_hanh[], voc_union_name[], voc_doan[], voc_chu_tich[], voc_chu_tich_name[];
extern const char *const voc_union_lines[];
enum { VOC_PLACE_COMMITTEES = 5, VOC_COMMITTEE_DEPARTMENTS = 3 };
extern const char *const voc_place_committees[], *const voc_committee_departments[];
extern const char voc_central_committee[], voc_central[], voc_office_key[], voc_central_office[];
enum { VOC_PLACE_PREFIXES = 3, VOC_PLACE_LEVELS = 9 };
extern const char *const voc_place_prefixes[];
extern const char voc_city[], voc_province[];
extern const char *const voc_place_levels[];

enum { VOC_SIG_PREFIXES = 8 };
extern const char *const voc_sig_prefixes[];
extern const char voc_da_ky[], voc_ky_ten[], voc_noi_nhan[];
enum { VOC_TITLE_ORDINALS = 3 };
extern const voc_word_t voc_title_ordinals[];

/* ------------------------------------------------------------------ */
/* names.c                                                            */

/* Appends one word, a space first unless at the start or after one. */
void ps_put_word(ctx_t *c, tc_buf_t *b, const char *w, size_t n, word_case_t mode);
/* Cuts s at spaces into at most max words; returns how many. */
size_t ps_split_words(const char *s, size_t n, word_t *w, size_t max);
/* The offset in s[0..n) past its first `words` words and the spaces after
 * them. */
size_t ps_skip_words(const char *s, size_t n, size_t words);
/* A body's name as written -> its name and locality in normal case. */
void ps_render_org(ctx_t *c, const char *s, size_t n, org_name_t *out);
void ps_org_name_free(org_name_t *o);
/* "<name> <locality>", or the name alone when locality is NULL. */
char *ps_org_join(ctx_t *c, const org_name_t *o, const char *locality);

#endif
