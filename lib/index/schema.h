/* The index schema, written down once: term prefixes and value slots.
 *
 * Following Omega's conventions: "Q" is the unique id term, custom
 * prefixes start with "X", and every prefixed term is lower case (folded)
 * or digits, so no ":" separator is needed.
 *
 *   (none)  folded word of the text, issuer and subject, with positions
 *   XE      exact (tone-canonical) form of a word that has marks, unless
 *           it is the word's usual form (forms.h); no positions: ranks
 *           the accented words of a query; see fold.h
 *   XU      folded word a document has only in forms other than its
 *           usual one (boolean): "has chức" is "chuc" AND NOT "XUchuc"
 *   XZ      pad: wdf = the number of words without an XE term, so that
 *           document lengths count two terms a word either way
 *   XI      folded word of issuer, issuer_parent or place (filter)
 *   XH      folded word of a theme, slogan or the subject, with positions
 *           (theme filter is a phrase of these)
 *   XT      folded document type, words joined by one space ("cong van")
 *   XY      year of the dispatch ("XY2026")
 *   XDY XDM XDD  year, month, day of a deadline ("XDM202605"): a deadline
 *           range becomes an OR of as few of these as cover it
 *   XN      the dispatch's own number and symbol, folded words joined by
 *           one space ("XN1471 ubnd kgvx"): finds a cited dispatch
 *   XR      the same for each document it cites: finds who cites it
 *   XF      the folder a dispatch was found under (its real path, or a hash
 *           of it when long): an update removes what is gone from it
 *   XK      number, symbol and date together: copies of one dispatch
 *   XO      the file's key in the OCR cache (its SHA-256, hex: "XO3f0a..."),
 *           when its pages were looked up there: an update keeps the
 *           readings of the files the index holds and removes the others
 *   XA      a level that may see the dispatch ("XAmat"): its own access
 *           level and each one above it, so that a Mật dispatch has
 *           XAmat, XAtoi-mat and XAtuyet-mat.  Every search is filtered by
 *           the one term of its caller's level (tc_access_query): a
 *           dispatch above it does not exist for that search.  (An OR of
 *           the levels below the caller's cost searches at the highest
 *           level up to half their time again.)
 *   XBLANK  the only term of the blank document that a database with
 *           gaps in its docids holds, which keeps Xapian from reading a
 *           term every dispatch has from the all-documents list
 *           (xapian_wrap.cc says why); not a dispatch
 *
 * Metadata (not terms) keeps completions: for every issuer, theme and
 * slogan, and every word it has, the key TC_SUGGEST_* + folded words from
 * that word on + "\x1f" + all its folded words maps to its display form.
 */
#ifndef TC_SCHEMA_H
#define TC_SCHEMA_H

#define TC_PREFIX_ID "Q"
#define TC_PREFIX_EXACT "XE"
#define TC_PREFIX_UNUSUAL "XU"
#define TC_PREFIX_PAD "XZ"
#define TC_PREFIX_ISSUER "XI"
#define TC_PREFIX_THEME "XH"
#define TC_PREFIX_TYPE "XT"
#define TC_PREFIX_YEAR "XY"
#define TC_PREFIX_DEADLINE_YEAR "XDY"
#define TC_PREFIX_DEADLINE_MONTH "XDM"
#define TC_PREFIX_DEADLINE_DAY "XDD"
#define TC_PREFIX_NUMBER "XN"
#define TC_PREFIX_CITES "XR"
#define TC_PREFIX_FOLDER "XF"
#define TC_PREFIX_DUPLICATE "XK"
#define TC_PREFIX_ACCESS "XA"
#define TC_PREFIX_OCR_KEY "XO"

#define TC_SUGGEST_ISSUER "suggest:i:"
#define TC_SUGGEST_THEME "suggest:t:"

enum {
    TC_SLOT_DATE = 0,     /* ISO date, possibly partial: sorts by date */
    TC_SLOT_ISSUER = 1,   /* issuer as displayed: facet */
    TC_SLOT_YEAR = 2,     /* "2026": facet */
    TC_SLOT_DOC_TYPE = 3, /* "Công văn": facet */
    TC_SLOT_SOURCE = 4,   /* "size mtime" of the file: unchanged files are skipped */
    TC_SLOT_ID = 5,       /* the id, cheap to read while pruning */
    TC_SLOT_DUPLICATE = 6, /* as XK: results collapse copies of one dispatch */
    TC_SLOT_DEADLINE = 7   /* the earliest day a deadline falls due, "2026-05-10": sorts by deadline */
};

/* What the stored records and terms look like; bumped whenever an older
 * index could not be read correctly.  A reader refuses any other. */
#define TC_FORMAT_KEY "tracuu:format"
#define TC_FORMAT_VERSION "8"
/* Metadata: the dictionary records are packed with (records.h; zstd's,
 * binary), trained once on records of the first dispatches indexed.  Every shard
 * holds it, so that each database can be read on its own. */
#define TC_DICT_KEY "tracuu:dict"
/* Metadata: the table of usual forms (forms.h), made and kept as the
 * dictionary is. */
#define TC_FORMS_KEY "tracuu:forms"
/* Metadata: "1" once the index holds two copies of one dispatch. */
#define TC_COPIES_KEY "tracuu:copies"
/* Metadata: this prefix + a folder's key (XF) -> the device (st_dev, in
 * decimal) the folder was on at the last run, written by every run: a
 * share that is not mounted leaves its mount point on another one. */
#define TC_ROOT_DEVICE_KEY "tracuu:root-device:"

/* Terms longer than this are not indexed: Xapian refuses terms over 245
 * bytes, and nothing a person types is that long. */
#define TC_MAX_TERM_BYTES 120

/* Gap left between separately indexed fields so that phrases never match
 * across them. */
#define TC_FIELD_POSITION_GAP 100

#endif
