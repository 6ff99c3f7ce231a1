/* Reading the 8-bit Vietnamese encodings, and choosing among them.
 *
 * All four are byte-at-a-time: a byte always means the same thing,
 * whatever comes around it (VNI's mark bytes mean "these marks on the
 * letter before"; written out as combining characters they need no
 * context either).  So each encoding is a table of 256 entries, asked of
 * the converters once, and decoding or scoring a file is one pass over
 * its bytes. */
#include "text/legacy.h"

#include <iconv.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/utf16.h>

typedef struct {
    uint16_t cp[2]; /* one character, or one or two combining marks; 0: none */
    uint8_t len;    /* bytes of utf8 */
    char utf8[7];
} legacy_entry_t;

static legacy_entry_t tables[TC_LEGACY_COUNT][256];
static int available[TC_LEGACY_COUNT];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static const char *const NAMES[TC_LEGACY_COUNT] = { "windows-1258", "TCVN3", "VISCII",
                                                    "VNI-Windows" };

/* VNI-Windows: a windows-1252 font whose letters from 0xC0 up were redrawn
 * as Vietnamese marks.  Each accented letter is its base letter followed by
 * one of these bytes ("Vie\xE4t" is Việt, "\xF1" is đ); i, y with some
 * tones, ơ, ư and đ have bytes of their own.  The upper-case byte is the
 * lower-case one minus 0x20.  Published layout (VNI Software, 1987-):
 *     tone      none  sắc   huyền hỏi   ngã   nặng
 *     a, e, o   -     F9    F8    FB    F5    EF
 *     â, ê, ô   E2    E1    E0    E5    E3    E4
 *     ă         EA    E9    E8    FA    FC    EB
 *     i         -     ED    EC    E6    F3    F2   (whole letters: í ì ỉ ĩ ị)
 *     y         -     F9    F8    FB    F5    EE   (EE: the whole letter ỵ)
 *     ơ F4, ư F6 (whole letters, then the tone bytes), đ F1. */
#define CIRC 0x0302
#define BREVE 0x0306
#define SAC 0x0301
#define HUYEN 0x0300
#define HOI 0x0309
#define NGA 0x0303
#define NANG 0x0323

static const struct {
    unsigned char byte;      /* lower-case byte; upper case is byte - 0x20 */
    uint16_t lower, upper;   /* a whole letter, or 0 */
    uint16_t marks[2];       /* or the marks it puts on the letter before */
} VNI_BYTES[] = {
    { 0xF9, 0, 0, { SAC, 0 } },        { 0xF8, 0, 0, { HUYEN, 0 } },
    { 0xFB, 0, 0, { HOI, 0 } },        { 0xF5, 0, 0, { NGA, 0 } },
    { 0xEF, 0, 0, { NANG, 0 } },       { 0xE2, 0, 0, { CIRC, 0 } },
    { 0xE1, 0, 0, { CIRC, SAC } },     { 0xE0, 0, 0, { CIRC, HUYEN } },
    { 0xE5, 0, 0, { CIRC, HOI } },     { 0xE3, 0, 0, { CIRC, NGA } },
    { 0xE4, 0, 0, { CIRC, NANG } },    { 0xEA, 0, 0, { BREVE, 0 } },
    { 0xE9, 0, 0, { BREVE, SAC } },    { 0xE8, 0, 0, { BREVE, HUYEN } },
    { 0xFA, 0, 0, { BREVE, HOI } },    { 0xFC, 0, 0, { BREVE, NGA } },
    { 0xEB, 0, 0, { BREVE, NANG } },   { 0xED, 0x00ED, 0x00CD, { 0, 0 } }, /* í */
    { 0xEC, 0x00EC, 0x00CC, { 0, 0 } }, /* ì */
    { 0xE6, 0x1EC9, 0x1EC8, { 0, 0 } }, /* ỉ */
    { 0xF3, 0x0129, 0x0128, { 0, 0 } }, /* ĩ */
    { 0xF2, 0x1ECB, 0x1ECA, { 0, 0 } }, /* ị */
    { 0xEE, 0x1EF5, 0x1EF4, { 0, 0 } }, /* ỵ */
    { 0xF4, 0x01A1, 0x01A0, { 0, 0 } }, /* ơ */
    { 0xF6, 0x01B0, 0x01AF, { 0, 0 } }, /* ư */
    { 0xF1, 0x0111, 0x0110, { 0, 0 } }, /* đ */
};

static void put_utf8(legacy_entry_t *e, uint32_t cp)
{
    char *p = e->utf8 + e->len;
    if (cp < 0x80) {
        p[0] = (char)cp;
        e->len += 1;
    } else if (cp < 0x800) {
        p[0] = (char)(0xC0 | cp >> 6);
        p[1] = (char)(0x80 | (cp & 0x3F));
        e->len += 2;
    } else {
        p[0] = (char)(0xE0 | cp >> 12);
        p[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        p[2] = (char)(0x80 | (cp & 0x3F));
        e->len += 3;
    }
}

static void set_entry(legacy_entry_t *e, uint16_t first, uint16_t second)
{
    e->cp[0] = first;
    e->cp[1] = second;
    e->len = 0;
    if (first)
        put_utf8(e, first);
    if (second)
        put_utf8(e, second);
}

/* A byte the encoding does not define reads as U+FFFD. */
static int icu_table(legacy_entry_t *table, const char *name)
{
    UErrorCode err = U_ZERO_ERROR;
    UConverter *cnv = ucnv_open(name, &err);
    if (U_FAILURE(err))
        return 0;
    ucnv_setToUCallBack(cnv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &err);
    if (U_FAILURE(err)) {
        ucnv_close(cnv);
        return 0;
    }
    for (int b = 1; b < 256; b++) {
        char in = (char)b;
        UChar u[4];
        err = U_ZERO_ERROR;
        int32_t n = ucnv_toUChars(cnv, u, 4, &in, 1, &err);
        if (U_FAILURE(err) || n != 1 || U16_IS_SURROGATE(u[0]))
            set_entry(&table[b], 0xFFFD, 0);
        else
            set_entry(&table[b], u[0], 0);
    }
    ucnv_close(cnv);
    return 1;
}

static int iconv_table(legacy_entry_t *table, const char *name)
{
    iconv_t cd = iconv_open("UTF-32LE", name);
    if (cd == (iconv_t)-1)
        return 0;
    for (int b = 1; b < 256; b++) {
        char in_byte = (char)b;
        unsigned char out_bytes[16];
        char *in = &in_byte, *out = (char *)out_bytes;
        size_t in_left = 1, out_left = sizeof out_bytes;
        iconv(cd, NULL, NULL, NULL, NULL);
        /* TCVN5712-1 holds a letter back to see whether a mark follows:
         * the second call, with no input, lets it go. */
        if (iconv(cd, &in, &in_left, &out, &out_left) == (size_t)-1 ||
            iconv(cd, NULL, NULL, &out, &out_left) == (size_t)-1 ||
            sizeof out_bytes - out_left != 4) {
            set_entry(&table[b], 0xFFFD, 0);
            continue;
        }
        uint32_t cp = (uint32_t)out_bytes[0] | (uint32_t)out_bytes[1] << 8 |
                      (uint32_t)out_bytes[2] << 16 | (uint32_t)out_bytes[3] << 24;
        set_entry(&table[b], cp > 0xFFFF ? 0xFFFD : (uint16_t)cp, 0);
    }
    iconv_close(cd);
    return 1;
}

static void tables_init(void)
{
    available[TC_LEGACY_WINDOWS_1258] = icu_table(tables[TC_LEGACY_WINDOWS_1258], "windows-1258");
    available[TC_LEGACY_TCVN3] = iconv_table(tables[TC_LEGACY_TCVN3], "TCVN5712-1");
    available[TC_LEGACY_VISCII] = iconv_table(tables[TC_LEGACY_VISCII], "VISCII");
    legacy_entry_t *vni = tables[TC_LEGACY_VNI];
    available[TC_LEGACY_VNI] = icu_table(vni, "windows-1252");
    for (size_t i = 0; i < sizeof VNI_BYTES / sizeof *VNI_BYTES; i++) {
        unsigned char lower = VNI_BYTES[i].byte, upper = (unsigned char)(lower - 0x20);
        if (VNI_BYTES[i].lower) {
            set_entry(&vni[lower], VNI_BYTES[i].lower, 0);
            set_entry(&vni[upper], VNI_BYTES[i].upper, 0);
        } else {
            set_entry(&vni[lower], VNI_BYTES[i].marks[0], VNI_BYTES[i].marks[1]);
            set_entry(&vni[upper], VNI_BYTES[i].marks[0], VNI_BYTES[i].marks[1]);
        }
    }
}

const char *tc_legacy_name(tc_legacy_t encoding)
{
    return (unsigned)encoding < TC_LEGACY_COUNT ? NAMES[encoding] : "unknown";
}

int tc_legacy_available(tc_legacy_t encoding)
{
    pthread_once(&tables_once, tables_init);
    return (unsigned)encoding < TC_LEGACY_COUNT && available[encoding];
}

tc_status_t tc_legacy_decode(char **out, size_t *out_len, tc_legacy_t encoding, const char *bytes,
                             size_t len)
{
    *out = NULL;
    if (!tc_legacy_available(encoding))
        return TC_STATUS_INVALID_ARGUMENT;
    const legacy_entry_t *table = tables[encoding];
    const unsigned char *in = (const unsigned char *)bytes;
    size_t total = 0;
    for (size_t i = 0; i < len; i++)
        total += in[i] ? table[in[i]].len : 1;
    char *text = malloc(total + 1);
    if (!text)
        return TC_STATUS_OUT_OF_MEMORY;
    char *p = text;
    for (size_t i = 0; i < len; i++) {
        if (in[i] == 0) { /* decode.c turns these files away; keep them as they are */
            *p++ = '\0';
            continue;
        }
        const legacy_entry_t *e = &table[in[i]];
        for (uint8_t k = 0; k < e->len; k++)
            *p++ = e->utf8[k];
    }
    *p = '\0';
    *out = text;
    if (out_len)
        *out_len = total;
    return TC_STATUS_SUCCESS;
}

void tc_legacy_score(tc_legacy_score_t *out, tc_legacy_t encoding, const char *bytes, size_t len)
{
    memset(out, 0, sizeof *out);
    if (!tc_legacy_available(encoding))
        return;
    const legacy_entry_t *table = tables[encoding];
    const unsigned char *in = (const unsigned char *)bytes;
    tc_syl_scan_t scan;
    tc_syl_scan_init(&scan);
    for (size_t i = 0; i < len; i++) {
        const legacy_entry_t *e = &table[in[i]];
        tc_syl_scan_put(&scan, e->cp[0]);
        if (e->cp[1])
            tc_syl_scan_put(&scan, e->cp[1]);
    }
    tc_syl_scan_finish(&scan);
    *out = scan.score;
}

/* Compares the two readings: > 0 when a is ahead of b. */
static int compare_scores(const tc_legacy_score_t *a, const tc_legacy_score_t *b)
{
    /* Shares without division: valid_a / words_a against valid_b / words_b. */
    unsigned long long lhs = (unsigned long long)a->valid * b->words;
    unsigned long long rhs = (unsigned long long)b->valid * a->words;
    if (lhs != rhs)
        return lhs > rhs ? 1 : -1;
    if (a->common != b->common)
        return a->common > b->common ? 1 : -1;
    return 0;
}

/* Non-zero when encodings a and b read every byte present the same. */
static int same_reading(tc_legacy_t a, tc_legacy_t b, const unsigned char *present)
{
    for (int byte = 0; byte < 256; byte++)
        if (present[byte] && (tables[a][byte].cp[0] != tables[b][byte].cp[0] ||
                              tables[a][byte].cp[1] != tables[b][byte].cp[1]))
            return 0;
    return 1;
}

tc_status_t tc_legacy_detect(tc_legacy_t *out, tc_legacy_score_t *scores, const char *bytes,
                             size_t len)
{
    tc_legacy_score_t local[TC_LEGACY_COUNT];
    if (!scores)
        scores = local;
    unsigned char present[256] = { 0 };
    for (size_t i = 0; i < len; i++)
        present[(unsigned char)bytes[i]] = 1;

    int best = -1;
    for (int k = 0; k < TC_LEGACY_COUNT; k++) {
        tc_legacy_score(&scores[k], (tc_legacy_t)k, bytes, len);
        if (tc_legacy_available((tc_legacy_t)k) &&
            (best < 0 || compare_scores(&scores[k], &scores[best]) > 0))
            best = k;
    }
    if (best < 0 || scores[best].words == 0 || scores[best].valid * 10 < scores[best].words * 6)
        return TC_STATUS_BAD_INPUT;
    for (int k = 0; k < TC_LEGACY_COUNT; k++) {
        if (k == best || !tc_legacy_available((tc_legacy_t)k) ||
            same_reading((tc_legacy_t)k, (tc_legacy_t)best, present))
            continue;
        if (compare_scores(&scores[best], &scores[k]) <= 0)
            return TC_STATUS_BAD_INPUT; /* a tie with a different text */
    }
    *out = (tc_legacy_t)best;
    return TC_STATUS_SUCCESS;
}
