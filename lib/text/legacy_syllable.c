/* Is this word a Vietnamese syllable?
 *
 * A Vietnamese word is one syllable: an optional onset (b, ch, ngh, qu ...),
 * a vowel nucleus (a, iê, uyê ...), an optional coda (c ch m n ng nh p t,
 * or the semivowels i y o u) and at most one tone, written on the nucleus.
 * A few rules of the writing system make the test sharper without leaving
 * out real words: some nuclei need a coda (â, ă, iê, uô, ươ ...) and some
 * take none (ia, ua, ưa); the semivowel codas and ch/nh follow only
 * certain nuclei; a syllable ending in c, ch, p or t has the sắc or nặng
 * tone; gh and ngh come only before e, ê, i.
 *
 * Misread bytes break these rules almost at once: a symbol inside a word,
 * a foreign letter, a tone on a consonant, two tones, a vowel run that no
 * syllable has.  legacy.c counts the valid words of each reading. */
#include "text/legacy.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "text/fold.h"

/* Letter codes, in the order of ALPHABET; 0 is "no letter". */
enum {
    L_A = 1, L_AW, L_AA, L_B, L_C, L_D, L_DD, L_E, L_EE, L_G, L_H, L_I, L_K, L_L, L_M,
    L_N, L_O, L_OO, L_OW, L_P, L_Q, L_R, L_S, L_T, L_U, L_UW, L_V, L_X, L_Y
};

enum { T_NONE = 0, T_SAC, T_HUYEN, T_HOI, T_NGA, T_NANG };

static const char ALPHABET[] = "a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y";
static const char ALPHABET_UPPER[] = "A Ă Â B C D Đ E Ê G H I K L M N O Ô Ơ P Q R S T U Ư V X Y";

/* Each vowel in its six tones: none, sắc, huyền, hỏi, ngã, nặng. */
static const char *const VOWEL_ROWS[] = {
    "aáàảãạ", "ăắằẳẵặ", "âấầẩẫậ", "eéèẻẽẹ", "êếềểễệ", "iíìỉĩị", "oóòỏõọ", "ôốồổỗộ",
    "ơớờởỡợ", "uúùủũụ", "ưứừửữự", "yýỳỷỹỵ", "AÁÀẢÃẠ", "ĂẮẰẲẴẶ", "ÂẤẦẨẪẬ", "EÉÈẺẼẸ",
    "ÊẾỀỂỄỆ", "IÍÌỈĨỊ", "OÓÒỎÕỌ", "ÔỐỒỔỖỘ", "ƠỚỜỞỠỢ", "UÚÙỦŨỤ", "ƯỨỪỬỮỰ", "YÝỲỶỸỴ",
};

static const char ONSETS[] =
    "b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x";

/* Nuclei, each with what it asks of the coda. */
enum { CODA_ANY = 0, CODA_NEEDED, CODA_NONE };
static const struct {
    const char *spelling;
    int coda;
} NUCLEI[] = {
    { "a", CODA_ANY },     { "ă", CODA_NEEDED }, { "â", CODA_NEEDED }, { "e", CODA_ANY },
    { "ê", CODA_ANY },     { "i", CODA_ANY },    { "o", CODA_ANY },    { "ô", CODA_ANY },
    { "ơ", CODA_ANY },     { "u", CODA_ANY },    { "ư", CODA_ANY },    { "y", CODA_ANY },
    { "ia", CODA_NONE },   { "iê", CODA_NEEDED }, { "yê", CODA_NEEDED }, { "ua", CODA_NONE },
    { "uô", CODA_NEEDED }, { "ưa", CODA_NONE },  { "ươ", CODA_NEEDED }, { "oa", CODA_ANY },
    { "oă", CODA_NEEDED }, { "oe", CODA_ANY },   { "oo", CODA_NEEDED }, { "uâ", CODA_NEEDED },
    { "uê", CODA_ANY },    { "uy", CODA_ANY },   { "uơ", CODA_NONE },  { "uyê", CODA_NEEDED },
    { "uya", CODA_NONE },
};
#define N_NUCLEI (sizeof NUCLEI / sizeof *NUCLEI)

/* Codas, with the nuclei they may follow (NULL: any that takes a coda). */
static const struct {
    const char *spelling;
    const char *after;
    int stop; /* a stop: the tone is sắc or nặng */
} CODAS[] = {
    { "c", NULL, 1 },
    { "ch", "a ê i oa uê uy", 1 },
    { "m", NULL, 0 },
    { "n", NULL, 0 },
    { "ng", NULL, 0 },
    { "nh", "a ê i oa uê uy", 0 },
    { "p", NULL, 1 },
    { "t", NULL, 1 },
    { "i", "a o ô ơ u ư uô ươ oa", 0 },
    { "y", "a â oa uâ", 0 },
    { "o", "a e oa oe", 0 },
    { "u", "a â ê i ư iê yê ươ uy", 0 },
};
#define N_CODAS (sizeof CODAS / sizeof *CODAS)

/* The most frequent syllables of official writing: they break ties between
 * readings that are equally valid (a two-word file can be). */
static const char COMMON[] =
    "của và các có không được cho là trong với những người này đã năm ngày tháng theo tại "
    "về số công văn ban nhân dân tỉnh thành phố huyện xã phường sở ủy hội đồng quyết định "
    "nghị thông tư chính phủ bộ trưởng kế hoạch báo cáo thực hiện đề đơn vị cơ quan việc "
    "quản lý phát triển kinh tế xây dựng nhà nước cấp đến từ một trên để khi đó sẽ cần "
    "phải đảm bảo tổ chức lực lượng chỉ đạo trường học giáo dục y dịch vụ hành thời gian "
    "địa bàn trình kiểm tra giám sát nội dung hướng dẫn tài liệu kết quả ngành liên chủ "
    "tịch phó đốc phòng trung ương quốc gia việt nam an toàn mới sáng tạo đổi chuyển hóa "
    "khoa nghệ môi đất đai sản xuất nông nghiệp lao động vốn ngân sách đầu dự án chương "
    "giải pháp tăng cường khai kịp tình hình tiếp nhận gửi như sau căn cứ luật điều khoản "
    "bản hồ sơ thủ tục cá doanh tuyên truyền phối hợp trách nhiệm tham mưu chí kính vệ "
    "ninh quân sự chống mật khẩn";

#define KEY_SPACE (1u << 15) /* three letters of five bits */

static uint8_t letter_of[0x1F00]; /* code | tone << 5; 0: not a Vietnamese letter */
static uint8_t onset_id[KEY_SPACE];
static uint8_t nucleus_id[KEY_SPACE]; /* 1 + index in NUCLEI */
static uint8_t coda_id[KEY_SPACE];    /* 1 + index in CODAS */
static uint32_t coda_after[N_CODAS];  /* bit i: NUCLEI[i] may come before it (all: ~0) */
static uint8_t onset_gh, onset_ngh;
static uint64_t *common_keys;
static size_t n_common;
static pthread_once_t syllable_once = PTHREAD_ONCE_INIT;

static uint32_t key_of(const uint8_t *letters, size_t n)
{
    uint32_t key = 0;
    for (size_t i = 0; i < n; i++)
        key = key << 5 | letters[i];
    return key;
}

/* The letter codes of a plain (toneless, lower case) spelling; 0 when it
 * is not one, or longer than max. */
static size_t spell(uint8_t *letters, size_t max, const char *s, size_t len)
{
    size_t n = 0, i = 0;
    while (i < len) {
        uint32_t cp = tc_utf8_next(s, len, &i);
        if (cp >= sizeof letter_of || !letter_of[cp] || n == max)
            return 0;
        letters[n++] = letter_of[cp] & 31;
    }
    return n;
}

/* Calls fn on each space-separated item of list. */
typedef void item_fn(const char *item, size_t len, size_t index, void *data);

static void each_item(const char *list, item_fn *fn, void *data)
{
    size_t index = 0;
    while (*list) {
        size_t len = strcspn(list, " ");
        if (len)
            fn(list, len, index++, data);
        list += len;
        list += strspn(list, " ");
    }
}

static void add_letter(const char *item, size_t len, size_t index, void *data)
{
    size_t i = 0;
    uint32_t cp = tc_utf8_next(item, len, &i);
    (void)data;
    if (cp < sizeof letter_of)
        letter_of[cp] = (uint8_t)(index + 1);
}

static void add_onset(const char *item, size_t len, size_t index, void *data)
{
    uint8_t letters[3];
    size_t n = spell(letters, 3, item, len);
    (void)data;
    if (n)
        onset_id[key_of(letters, n)] = (uint8_t)(index + 1);
    if (len == 2 && memcmp(item, "gh", 2) == 0)
        onset_gh = (uint8_t)(index + 1);
    if (len == 3 && memcmp(item, "ngh", 3) == 0)
        onset_ngh = (uint8_t)(index + 1);
}

static void allow_after(const char *item, size_t len, size_t index, void *data)
{
    uint8_t letters[3];
    size_t n = spell(letters, 3, item, len);
    uint32_t *mask = data;
    (void)index;
    if (n && nucleus_id[key_of(letters, n)])
        *mask |= 1u << (nucleus_id[key_of(letters, n)] - 1);
}

/* The key of a whole syllable with its tone: five bits a letter, then the
 * tone, so that hoà and hòa are one syllable. */
static uint64_t syllable_key(const uint8_t *letters, size_t n, int tone)
{
    uint64_t key = 0;
    for (size_t i = 0; i < n; i++)
        key = key << 5 | letters[i];
    return key << 3 | (uint64_t)tone;
}

static int compare_keys(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void scan_put(tc_syl_scan_t *scan, uint32_t cp);

static void add_common(const char *item, size_t len, size_t index, void *data)
{
    tc_syl_scan_t scan;
    (void)index;
    (void)data;
    memset(&scan, 0, sizeof scan);
    size_t i = 0;
    while (i < len)
        scan_put(&scan, tc_utf8_next(item, len, &i));
    int tone = 0;
    for (size_t k = 0; k < scan.n && k < TC_SYL_MAX_LETTERS; k++)
        if (scan.tone[k])
            tone = scan.tone[k];
    if (common_keys && scan.in_word && !scan.bad)
        common_keys[n_common++] = syllable_key(scan.letter, scan.n, tone);
}

static void syllable_init(void)
{
    each_item(ALPHABET, add_letter, NULL);
    each_item(ALPHABET_UPPER, add_letter, NULL);
    for (size_t row = 0; row < sizeof VOWEL_ROWS / sizeof *VOWEL_ROWS; row++) {
        const char *s = VOWEL_ROWS[row];
        size_t len = strlen(s), i = 0;
        uint32_t plain = tc_utf8_next(s, len, &i);
        uint8_t code = letter_of[plain];
        for (int tone = 1; tone <= T_NANG && i < len; tone++) {
            uint32_t cp = tc_utf8_next(s, len, &i);
            if (cp < sizeof letter_of)
                letter_of[cp] = (uint8_t)(code | tone << 5);
        }
    }
    each_item(ONSETS, add_onset, NULL);
    for (size_t k = 0; k < N_NUCLEI; k++) {
        uint8_t letters[3];
        size_t n = spell(letters, 3, NUCLEI[k].spelling, strlen(NUCLEI[k].spelling));
        if (n)
            nucleus_id[key_of(letters, n)] = (uint8_t)(k + 1);
    }
    for (size_t k = 0; k < N_CODAS; k++) {
        uint8_t letters[2];
        size_t n = spell(letters, 2, CODAS[k].spelling, strlen(CODAS[k].spelling));
        if (n)
            coda_id[key_of(letters, n)] = (uint8_t)(k + 1);
        coda_after[k] = ~0u;
        if (CODAS[k].after) {
            coda_after[k] = 0;
            each_item(CODAS[k].after, allow_after, &coda_after[k]);
        }
    }
    /* The common syllables last: reading them needs everything above. */
    size_t count = 1;
    for (const char *p = COMMON; *p; p++)
        count += *p == ' ';
    common_keys = malloc(count * sizeof *common_keys);
    if (common_keys) {
        each_item(COMMON, add_common, NULL);
        qsort(common_keys, n_common, sizeof *common_keys, compare_keys);
    }
}

static int is_vowel(uint8_t code)
{
    switch (code) {
    case L_A: case L_AW: case L_AA: case L_E: case L_EE: case L_I:
    case L_O: case L_OO: case L_OW: case L_U: case L_UW: case L_Y:
        return 1;
    default:
        return 0;
    }
}

/* Non-zero when letters (with one tone at most, at tone_at) parse as
 * onset + nucleus + coda under the rules above. */
static int parse_syllable(const uint8_t *letters, size_t n, int tone, size_t tone_at)
{
    if (n == 0 || n > 7)
        return 0;
    for (size_t o = 0; o <= 3 && o < n; o++) {
        uint8_t onset = o ? onset_id[key_of(letters, o)] : 0;
        if (o && !onset)
            continue;
        for (size_t c = 0; c <= 2 && o + c < n; c++) {
            uint8_t coda = c ? coda_id[key_of(letters + n - c, c)] : 0;
            if (c && !coda)
                continue;
            size_t m = n - o - c;
            if (m > 3)
                continue;
            uint8_t nucleus = nucleus_id[key_of(letters + o, m)];
            if (!nucleus)
                continue;
            int wants = NUCLEI[nucleus - 1].coda;
            if ((wants == CODA_NEEDED && !coda) || (wants == CODA_NONE && coda))
                continue;
            if (coda && !(coda_after[coda - 1] & (1u << (nucleus - 1))))
                continue;
            if (coda && CODAS[coda - 1].stop && tone != T_SAC && tone != T_NANG)
                continue;
            if (tone && (tone_at < o || tone_at >= n - c))
                continue;
            if (onset && (onset == onset_gh || onset == onset_ngh) && letters[o] != L_E &&
                letters[o] != L_EE && letters[o] != L_I)
                continue;
            return 1;
        }
    }
    return 0;
}

static int is_common(uint64_t key)
{
    size_t lo = 0, hi = n_common;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (common_keys[mid] == key)
            return 1;
        if (common_keys[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static void end_word(tc_syl_scan_t *scan)
{
    scan->score.words++;
    if (!scan->bad && scan->n <= TC_SYL_MAX_LETTERS) {
        int tone = 0, tones = 0;
        size_t tone_at = 0;
        for (size_t i = 0; i < scan->n; i++) {
            if (scan->tone[i]) {
                tone = scan->tone[i];
                tone_at = i;
                tones++;
            }
        }
        if (tones <= 1 && parse_syllable(scan->letter, scan->n, tone, tone_at)) {
            scan->score.valid++;
            if (is_common(syllable_key(scan->letter, scan->n, tone)))
                scan->score.common++;
        }
    }
    scan->in_word = 0;
    scan->bad = 0;
    scan->n = 0;
}

/* Spaces, punctuation and digits end a word; they are not part of one. */
static int is_separator(uint32_t cp)
{
    if (cp < 0x80) {
        if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))
            return 0; /* f, j, w, z: foreign letters */
        return (cp >= 0x20 && cp < 0x7F) || (cp >= '\t' && cp <= '\r');
    }
    return cp == 0x00A0 || cp == 0x00AB || cp == 0x00BB || (cp >= 0x2000 && cp <= 0x206F) ||
           cp == 0x3000 || cp == 0xFEFF;
}

/* Puts a combining mark on the last letter; 0 when it cannot go there. */
static int apply_mark(uint8_t *letter, uint8_t *tone, uint32_t mark)
{
    int t = 0;
    switch (mark) {
    case 0x0301: case 0x0341: t = T_SAC; break;
    case 0x0300: case 0x0340: t = T_HUYEN; break;
    case 0x0309: t = T_HOI; break;
    case 0x0303: t = T_NGA; break;
    case 0x0323: t = T_NANG; break;
    case 0x0302: /* circumflex */
        switch (*letter) {
        case L_A: *letter = L_AA; return 1;
        case L_E: *letter = L_EE; return 1;
        case L_O: *letter = L_OO; return 1;
        default: return 0;
        }
    case 0x0306: /* breve */
        if (*letter != L_A)
            return 0;
        *letter = L_AW;
        return 1;
    case 0x031B: /* horn */
        switch (*letter) {
        case L_O: *letter = L_OW; return 1;
        case L_U: *letter = L_UW; return 1;
        default: return 0;
        }
    default:
        return 0;
    }
    if (*tone || !is_vowel(*letter))
        return 0;
    *tone = (uint8_t)t;
    return 1;
}

static void scan_put(tc_syl_scan_t *scan, uint32_t cp)
{
    uint8_t entry = cp < sizeof letter_of ? letter_of[cp] : 0;
    if (entry) {
        scan->in_word = 1;
        if (scan->n < TC_SYL_MAX_LETTERS) {
            scan->letter[scan->n] = entry & 31;
            scan->tone[scan->n] = entry >> 5;
            scan->n++;
        } else {
            scan->bad = 1;
        }
    } else if (cp >= 0x0300 && cp <= 0x036F) {
        if (!scan->in_word || scan->n == 0 || scan->bad ||
            !apply_mark(&scan->letter[scan->n - 1], &scan->tone[scan->n - 1], cp))
            scan->bad = 1;
        scan->in_word = 1;
    } else if (is_separator(cp)) {
        if (scan->in_word)
            end_word(scan);
    } else { /* a symbol, a control character, a foreign letter */
        scan->in_word = 1;
        scan->bad = 1;
    }
}

void tc_syl_scan_init(tc_syl_scan_t *scan)
{
    pthread_once(&syllable_once, syllable_init);
    memset(scan, 0, sizeof *scan);
}

void tc_syl_scan_put(tc_syl_scan_t *scan, uint32_t cp)
{
    scan_put(scan, cp);
}

void tc_syl_scan_finish(tc_syl_scan_t *scan)
{
    if (scan->in_word)
        end_word(scan);
}

int tc_vi_syllable(const char *word, size_t len)
{
    tc_syl_scan_t scan;
    tc_syl_scan_init(&scan);
    size_t i = 0;
    while (i < len)
        tc_syl_scan_put(&scan, tc_utf8_next(word, len, &i));
    tc_syl_scan_finish(&scan);
    return scan.score.words == 1 && scan.score.valid == 1;
}
