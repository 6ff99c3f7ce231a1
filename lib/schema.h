/* The index schema, written down once: term prefixes and value slots.
 *
 * Following Omega's conventions: "Q" is the unique id term, custom
 * prefixes start with "X", and every prefixed term is lower case (folded)
 * or digits, so no ":" separator is needed.
 *
 *   (none)  folded word of the text, issuer and subject, with positions
 *   XE      exact (tone-canonical) form of a word, no positions: ranks
 *           accented queries; see fold.h
 *   XI      folded word of issuer, issuer_parent or place (filter)
 *   XH      folded word of a theme, slogan or the subject, with positions
 *           (theme filter is a phrase of these)
 *   XT      folded document type, words joined by one space ("cong van")
 *   XY      year of the dispatch ("XY2026")
 *   XDY XDM XDD  year, month, day of a deadline ("XDM202605"): a deadline
 *           range becomes an OR of as few of these as cover it
 */
#ifndef TC_SCHEMA_H
#define TC_SCHEMA_H

#define TC_PREFIX_ID "Q"
#define TC_PREFIX_EXACT "XE"
#define TC_PREFIX_ISSUER "XI"
#define TC_PREFIX_THEME "XH"
#define TC_PREFIX_TYPE "XT"
#define TC_PREFIX_YEAR "XY"
#define TC_PREFIX_DEADLINE_YEAR "XDY"
#define TC_PREFIX_DEADLINE_MONTH "XDM"
#define TC_PREFIX_DEADLINE_DAY "XDD"

enum {
    TC_SLOT_DATE = 0,     /* ISO date, possibly partial: sorts by date */
    TC_SLOT_ISSUER = 1,   /* issuer as displayed: facet */
    TC_SLOT_YEAR = 2,     /* "2026": facet */
    TC_SLOT_DOC_TYPE = 3, /* "Công văn": facet */
};

/* Terms longer than this are not indexed: Xapian refuses terms over 245
 * bytes, and nothing a person types is that long. */
#define TC_MAX_TERM_BYTES 120

/* Gap left between separately indexed fields so that phrases never match
 * across them. */
#define TC_FIELD_POSITION_GAP 100

#endif
