/* Decoding: UTF-8 kept as it is, the Vietnamese legacy encodings found and
 * converted, and the files that are not text turned away with the reason. */
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "text/decode.h"
#include "text/legacy.h"
#include "testutil.h"

/* Every tone, đ/Đ, every vowel mark, upper case with tones, old and new
 * tone placement, the long onsets and rhymes. */
static const char PARAGRAPH[] =
    "Đổi mới sáng tạo là động lực phát triển; Ủy ban nhân dân tỉnh Lai Châu đề nghị các cơ "
    "quan báo cáo trước ngày 10/5/2026.\n"
    "Những kết quả đạt được sẽ được tổng hợp, gửi về Sở Khoa học và Công nghệ để theo dõi, "
    "hướng dẫn kỹ thuật và giữ vững tiến độ.\n"
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM - Độc lập - Tự do - Hạnh phúc\n"
    "Quyết định này có hiệu lực kể từ ngày ký. Ở các xã vùng sâu, khuyến khích thuỷ lợi, "
    "hoà giải, chuyện khuya, nghiêng ngả, ươm mầm, khoảng cách, ưu tiên, ĐỒNG Ý, Ỷ LẠI, "
    "Ữ, ỨNG PHÓ, ẮT HẲN, TRẺ KHOẺ, ĐẢM BẢO AN TOÀN.\n";

static char *message;

static void reset(void)
{
    free(message);
    message = NULL;
}

/* bytes of utf8 in the iconv encoding `to`, malloc'd. */
static char *iconv_encode(const char *to, const char *utf8, size_t *out_len)
{
    iconv_t cd = iconv_open(to, "UTF-8");
    ck_assert_msg(cd != (iconv_t)-1, "iconv cannot write %s", to);
    size_t in_left = strlen(utf8), cap = in_left * 2 + 16, out_left = cap;
    char *out = malloc(cap), *in = (char *)utf8, *p = out;
    ck_assert_msg(iconv(cd, &in, &in_left, &p, &out_left) != (size_t)-1,
                  "iconv to %s failed at \"%.20s\"", to, in);
    ck_assert(iconv(cd, NULL, NULL, &p, &out_left) != (size_t)-1);
    iconv_close(cd);
    *out_len = cap - out_left;
    return out;
}

/* VNI-Windows, written from the published layout (VNI's own tables, as in
 * every Vietnamese keyboard driver): a letter is its base letter plus the
 * bytes of its marks; a few letters have bytes of their own.  The upper
 * case bytes are the lower case ones minus 0x20. */
static const struct {
    const char *row;      /* the letter in its six tones: none, sắc, huyền, hỏi, ngã, nặng */
    const char *base;     /* what is written first ("" when the tone byte is the letter) */
    const char *tones[6]; /* the bytes after it */
} VNI_ROWS[] = {
    { "aáàảãạ", "a", { "", "\xF9", "\xF8", "\xFB", "\xF5", "\xEF" } },
    { "âấầẩẫậ", "a", { "\xE2", "\xE1", "\xE0", "\xE5", "\xE3", "\xE4" } },
    { "ăắằẳẵặ", "a", { "\xEA", "\xE9", "\xE8", "\xFA", "\xFC", "\xEB" } },
    { "eéèẻẽẹ", "e", { "", "\xF9", "\xF8", "\xFB", "\xF5", "\xEF" } },
    { "êếềểễệ", "e", { "\xE2", "\xE1", "\xE0", "\xE5", "\xE3", "\xE4" } },
    { "oóòỏõọ", "o", { "", "\xF9", "\xF8", "\xFB", "\xF5", "\xEF" } },
    { "ôốồổỗộ", "o", { "\xE2", "\xE1", "\xE0", "\xE5", "\xE3", "\xE4" } },
    { "ơớờởỡợ", "\xF4", { "", "\xF9", "\xF8", "\xFB", "\xF5", "\xEF" } },
    { "uúùủũụ", "u", { "", "\xF9", "\xF8", "\xFB", "\xF5", "\xEF" } },
    { "ưứừửữự", "\xF6", { "", "\xF9", "\xF8", "\xFB", "\xF5", "\xEF" } },
    { "iíìỉĩị", "", { "i", "\xED", "\xEC", "\xE6", "\xF3", "\xF2" } },
    { "yýỳỷỹỵ", "y", { "", "\xF9", "\xF8", "\xFB", "\xF5", "\xEE" } },
    { "AÁÀẢÃẠ", "A", { "", "\xD9", "\xD8", "\xDB", "\xD5", "\xCF" } },
    { "ÂẤẦẨẪẬ", "A", { "\xC2", "\xC1", "\xC0", "\xC5", "\xC3", "\xC4" } },
    { "ĂẮẰẲẴẶ", "A", { "\xCA", "\xC9", "\xC8", "\xDA", "\xDC", "\xCB" } },
    { "EÉÈẺẼẸ", "E", { "", "\xD9", "\xD8", "\xDB", "\xD5", "\xCF" } },
    { "ÊẾỀỂỄỆ", "E", { "\xC2", "\xC1", "\xC0", "\xC5", "\xC3", "\xC4" } },
    { "OÓÒỎÕỌ", "O", { "", "\xD9", "\xD8", "\xDB", "\xD5", "\xCF" } },
    { "ÔỐỒỔỖỘ", "O", { "\xC2", "\xC1", "\xC0", "\xC5", "\xC3", "\xC4" } },
    { "ƠỚỜỞỠỢ", "\xD4", { "", "\xD9", "\xD8", "\xDB", "\xD5", "\xCF" } },
    { "UÚÙỦŨỤ", "U", { "", "\xD9", "\xD8", "\xDB", "\xD5", "\xCF" } },
    { "ƯỨỪỬỮỰ", "\xD6", { "", "\xD9", "\xD8", "\xDB", "\xD5", "\xCF" } },
    { "IÍÌỈĨỊ", "", { "I", "\xCD", "\xCC", "\xC6", "\xD3", "\xD2" } },
    { "YÝỲỶỸỴ", "Y", { "", "\xD9", "\xD8", "\xDB", "\xD5", "\xCE" } },
    { "đ", "\xF1", { "" } },
    { "Đ", "\xD1", { "" } },
};

/* The length of the UTF-8 character at s. */
static size_t char_len(const char *s)
{
    unsigned char c = (unsigned char)*s;
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

static char *vni_encode(const char *utf8, size_t *out_len)
{
    size_t cap = strlen(utf8) * 2 + 1, n = 0;
    char *out = malloc(cap);
    for (const char *s = utf8; *s;) {
        size_t len = char_len(s);
        int found = 0;
        for (size_t r = 0; r < sizeof VNI_ROWS / sizeof *VNI_ROWS && !found; r++) {
            const char *row = VNI_ROWS[r].row;
            for (int tone = 0; *row && !found; tone++, row += char_len(row)) {
                if (char_len(row) != len || memcmp(row, s, len) != 0)
                    continue;
                n += (size_t)sprintf(out + n, "%s%s", VNI_ROWS[r].base, VNI_ROWS[r].tones[tone]);
                found = 1;
            }
        }
        if (!found) {
            ck_assert_msg(len == 1, "no VNI form for \"%.*s\"", (int)len, s);
            out[n++] = *s;
        }
        s += len;
    }
    out[n] = '\0';
    *out_len = n;
    return out;
}

/* Decodes bytes and checks the text and the encoding named. */
static void assert_decodes(const char *bytes, size_t len, const char *text, const char *encoding)
{
    char *out = NULL;
    size_t out_len = 0;
    const char *found = NULL;
    reset();
    tc_status_t status = tc_decode_bytes(&out, &out_len, &found, bytes, len, "t.txt", &message);
    ck_assert_msg(status == TC_STATUS_SUCCESS, "expected %s, got: %s", encoding, message);
    ck_assert_ptr_null(message);
    ck_assert_str_eq(found, encoding);
    ck_assert_str_eq(out, text);
    ck_assert_uint_eq(out_len, strlen(text));
    free(out);
}

/* Decodes bytes and checks the rejection message and status. */
static void assert_rejects(const char *bytes, size_t len, const char *expected)
{
    char *out = (char *)"untouched";
    const char *found = NULL;
    reset();
    tc_status_t status = tc_decode_bytes(&out, NULL, &found, bytes, len, "t.txt", &message);
    ck_assert_int_eq(status, TC_STATUS_BAD_INPUT);
    ck_assert_ptr_null(out);
    ck_assert_ptr_nonnull(message);
    ck_assert_str_eq(message, expected);
}

#define NOT_VIETNAMESE \
    "t.txt: not UTF-8, and not a Vietnamese legacy encoding (windows-1258, TCVN3, VISCII, " \
    "VNI-Windows) either"

START_TEST(test_utf8_stays_utf8)
{
    assert_decodes(PARAGRAPH, strlen(PARAGRAPH), PARAGRAPH, "UTF-8");
    assert_decodes("plain ASCII, 1471/UBND-KGVX\n", 28, "plain ASCII, 1471/UBND-KGVX\n", "UTF-8");
    /* U+FFFD written out is valid UTF-8. */
    assert_decodes("a \xEF\xBF\xBD b", 7, "a \xEF\xBF\xBD b", "UTF-8");
}
END_TEST

START_TEST(test_bom_and_line_ends)
{
    const char *in = "\xEF\xBB\xBF" "dòng một\r\ndòng hai\rdòng ba\r\n\r\n";
    assert_decodes(in, strlen(in), "dòng một\ndòng hai\ndòng ba\n\n", "UTF-8");
}
END_TEST

START_TEST(test_nfd_becomes_nfc)
{
    /* Việt with the dot below before the circumflex; Đổi mới decomposed. */
    const char *in = "Vie\xCC\xA3\xCC\x82t Nam: \xC4\x90o\xCC\x82\xCC\x89i mo\xCC\x9B\xCC\x81i";
    assert_decodes(in, strlen(in), "Việt Nam: Đổi mới", "UTF-8");
}
END_TEST

/* Đ's look-alikes, as a windows-1252 keyboard types them and as
 * Tesseract reads a scan's Đ (doubled too), are Đ; Đ doubled on its own
 * is an abbreviation's and stays. */
START_TEST(test_d_look_alikes)
{
    static const char *const cases[][2] = {
        { "Số: 707/QĐÐ-TTg", "Số: 707/QĐ-TTg" },
        { "Công văn số 87/HĐÐĐND-KTNS", "Công văn số 87/HĐND-KTNS" },
        { "Số: ƑÐ + /QÐ- TTg", "Số: ƑĐ + /QĐ- TTg" },
        { "TRƯỜNG ÐẠI HỌC Ɖà Lạt", "TRƯỜNG ĐẠI HỌC Đà Lạt" },
        { "ðại ɖiện, ðồng ý: đð", "đại điện, đồng ý: đ" },
        { "Đoàn ĐĐBQH tỉnh", "Đoàn ĐĐBQH tỉnh" },
        { "Ðđ đĐ", "Đđ đĐ" },
        { "ending in Ð", "ending in Đ" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        assert_decodes(cases[i][0], strlen(cases[i][0]), cases[i][1], "UTF-8");
}
END_TEST

/* The paragraph written in each encoding by a converter we do not use for
 * reading it (glibc for windows-1258, our own writer for VNI). */
START_TEST(test_paragraph_in_every_encoding)
{
    static const struct {
        const char *iconv_name, *encoding;
    } cases[] = {
        { "CP1258", "windows-1258" },
        { "TCVN5712-1", "TCVN3" },
        { "VISCII", "VISCII" },
        { NULL, "VNI-Windows" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t len = 0;
        char *bytes = cases[i].iconv_name ? iconv_encode(cases[i].iconv_name, PARAGRAPH, &len)
                                          : vni_encode(PARAGRAPH, &len);
        ck_assert_ptr_null(memchr(bytes, '\0', len));
        assert_decodes(bytes, len, PARAGRAPH, cases[i].encoding);

        /* Clearly: nearly every word valid, every other reading far behind. */
        tc_legacy_t found;
        tc_legacy_score_t scores[TC_LEGACY_COUNT];
        ck_assert_int_eq(tc_legacy_detect(&found, scores, bytes, len), TC_STATUS_SUCCESS);
        ck_assert_str_eq(tc_legacy_name(found), cases[i].encoding);
        for (int k = 0; k < TC_LEGACY_COUNT; k++) {
            double share = (double)scores[k].valid / (double)scores[k].words;
            if (k == (int)found)
                ck_assert_msg(share > 0.95, "%s: %.3f", tc_legacy_name(found), share);
            else
                ck_assert_msg(share < 0.6, "%s read as %s: %.3f", cases[i].encoding,
                              tc_legacy_name((tc_legacy_t)k), share);
        }

        /* With Windows line ends too. */
        char *crlf = malloc(len * 2 + 1);
        size_t n = 0;
        for (size_t k = 0; k < len; k++) {
            if (bytes[k] == '\n')
                crlf[n++] = '\r';
            crlf[n++] = bytes[k];
        }
        assert_decodes(crlf, n, PARAGRAPH, cases[i].encoding);
        free(crlf);
        free(bytes);
    }
}
END_TEST

/* Text typed by hand from the published tables, not by a converter. */
START_TEST(test_known_legacy_text)
{
    /* TCVN3 (ABC, .VnTime): seen on a Latin-1 screen as
     * "Céng hoµ x· héi chñ nghÜa ViÖt Nam / §éc lËp - Tù do - H¹nh phóc". */
    const char *tcvn3 = "C\xE9ng ho\xB5 x\xB7 h\xE9i ch\xF1 ngh\xDC" "a Vi\xD6t Nam\r\n"
                        "\xA7\xE9" "c l\xCBp - T\xF9 do - H\xB9nh ph\xF3" "c\r\n"
                        "\xA7\xE6i m\xEDi s\xB8ng t\xB9o l\xB5 \xAE\xE9ng l\xF9" "c\r\n";
    assert_decodes(tcvn3, strlen(tcvn3),
                   "Cộng hoà xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc\n"
                   "Đổi mới sáng tạo là động lực\n",
                   "TCVN3");

    /* VNI-Windows: "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam". */
    const char *vni = "Co\xE4ng ho\xF8" "a xa\xF5 ho\xE4i chu\xFB ngh\xF3" "a Vie\xE4t Nam\r\n"
                      "\xD1o\xE4" "c la\xE4p - T\xF6\xEF do - Ha\xEFnh phu\xF9" "c\r\n";
    assert_decodes(vni, strlen(vni),
                   "Cộng hòa xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc\n",
                   "VNI-Windows");
    const char *vni_caps = "CO\xC4NG HO\xD8" "A XA\xD5 HO\xC4I CHU\xDB NGH\xD3" "A VIE\xC4T NAM";
    assert_decodes(vni_caps, strlen(vni_caps), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "VNI-Windows");

    /* windows-1258: tones as combining bytes after the letter. */
    const char *cp1258 =
        "\xD0\xF4\xD2i m\xF5\xECi s\xE1ng ta\xF2o, C\xF4ng ngh\xEA\xF2 Vi\xEA\xF2t Nam";
    assert_decodes(cp1258, strlen(cp1258), "Đổi mới sáng tạo, Công nghệ Việt Nam", "windows-1258");

    /* VISCII: one byte a letter. */
    const char *viscii = "\xD0\xB1i m\xBEi s\xE1ng t\xD5o, C\xF4ng ngh\xAE Vi\xAEt Nam";
    assert_decodes(viscii, strlen(viscii), "Đổi mới sáng tạo, Công nghệ Việt Nam", "VISCII");
}
END_TEST

/* "Công văn" typed in Latin-1 is C\xF4ng v\xE3n: windows-1258 reads it as
 * Công văn, TCVN3 as Cụng vón, VISCII as Công vãn, all valid syllables;
 * the common syllables decide. */
/* A reader's UTF-8 text: TCVN3 and VNI kept as the windows-1252
 * characters of their fonts' bytes are read in those encodings; Unicode
 * Vietnamese, and text that is windows-1252 but not Vietnamese, stay. */
static void assert_extracted(const char *utf8, const char *expected, const char *expected_encoding)
{
    char *out = NULL, *why = NULL;
    size_t len = 0;
    const char *encoding = NULL;
    ck_assert_int_eq(tc_decode_extracted(&out, &len, &encoding, utf8, strlen(utf8), "t.docx", &why),
                     TC_STATUS_SUCCESS);
    ck_assert_str_eq(out, expected);
    ck_assert_str_eq(encoding, expected_encoding);
    free(out);
}

START_TEST(test_extracted_legacy_fonts)
{
    assert_extracted("Céng hoµ x· héi chñ nghÜa ViÖt Nam\n§éc lËp - Tù do - H¹nh phóc\n",
                     "Cộng hoà xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc\n", "TCVN3");
    assert_extracted("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam\nÑoäc laäp - Töï do - Haïnh phuùc\n",
                     "Cộng hòa xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc\n", "VNI-Windows");
    assert_extracted("Cộng hòa xã hội chủ nghĩa Việt Nam\n", "Cộng hòa xã hội chủ nghĩa Việt Nam\n", "UTF-8");
    assert_extracted("Résumé of the café’s menu – “entrées”\n", "Résumé of the café’s menu – “entrées”\n", "UTF-8");
}
END_TEST

START_TEST(test_latin1_cong_van)
{
    tc_legacy_score_t scores[TC_LEGACY_COUNT];
    tc_legacy_t found;
    ck_assert_int_eq(tc_legacy_detect(&found, scores, "C\xF4ng v\xE3n", 8), TC_STATUS_SUCCESS);
    ck_assert_uint_eq(scores[TC_LEGACY_WINDOWS_1258].valid, 2);
    ck_assert_uint_eq(scores[TC_LEGACY_TCVN3].valid, 2);
    ck_assert_uint_eq(scores[TC_LEGACY_VISCII].valid, 2);
    assert_decodes("C\xF4ng v\xE3n", 8, "Công văn", "windows-1258");
}
END_TEST

START_TEST(test_rejections)
{
    assert_rejects("", 0, "t.txt: empty file");
    assert_rejects(" \r\n\t\n", 5, "t.txt: empty file");
    assert_rejects("\xEF\xBB\xBF\r\n", 5, "t.txt: empty file");
    assert_rejects("PK\x03\x04\0\0data", 10, "t.txt: binary file (NUL byte at offset 4)");
    /* A NUL after legacy text is still binary. */
    assert_rejects("C\xF4ng v\xE3n\0", 9, "t.txt: binary file (NUL byte at offset 8)");

    /* Bytes without NULs but without sense. */
    char noise[4096];
    unsigned state = 12345;
    for (size_t i = 0; i < sizeof noise; i++) {
        state = state * 1103515245u + 12345u;
        noise[i] = (char)(1 + (state >> 16) % 255);
    }
    assert_rejects(noise, sizeof noise, NOT_VIETNAMESE);

    /* Other languages in Latin-1. */
    const char *german = "Gr\xFC\xDF" "e aus M\xFCnchen! Die sch\xF6ne Stra\xDF" "e f\xFChrt \xFC"
                         "ber die Br\xFC" "cke zum B\xE4" "cker.";
    assert_rejects(german, strlen(german), NOT_VIETNAMESE);
    const char *french = "Les \xE9l\xE8ves \xE9tudient \xE0 l'\xE9" "cole fran\xE7" "aise "
                         "pr\xE8s de la rivi\xE8re. O\xF9 est la biblioth\xE8que ?";
    assert_rejects(french, strlen(french), NOT_VIETNAMESE);
    const char *english = "Price list: tea 2 \xA3, coffee 3 \xA3. Please pay at the counter.";
    assert_rejects(english, strlen(english), NOT_VIETNAMESE);
    /* UTF-8 Vietnamese cut in the middle of a letter reads as nothing. */
    const char *cut = "Ủy ban nhân dân tỉnh Lai Ch\xC3 u đề nghị các cơ quan báo cáo";
    assert_rejects(cut, strlen(cut), NOT_VIETNAMESE);
    reset();
}
END_TEST

static const struct {
    const char *word;
    int valid;
} syllables[] = {
    { "nghiêng", 1 }, { "Đổi", 1 },   { "người", 1 }, { "khuya", 1 }, { "quốc", 1 },
    { "giữ", 1 },     { "gì", 1 },    { "thuỷ", 1 },  { "thủy", 1 },  { "hoà", 1 },
    { "hòa", 1 },     { "khuỷu", 1 }, { "oằn", 1 },   { "ươm", 1 },   { "VIỆT", 1 },
    { "Vie\xCC\xA3\xCC\x82t", 1 },    { "chuyện", 1 }, { "ngoèo", 1 }, { "a", 1 },
    { "UBND", 0 },    { "string", 0 }, { "càc", 0 },  { "tiê", 0 },   { "ghá", 0 },
    { "fax", 0 },     { "hóá", 0 },   { "muố", 0 },   { "tuôỉ", 0 },  { "ch", 0 },
    { "Vi\xC2\xBEt", 0 },             { "ñoäc", 0 },  { "caf\xC3\xA9", 0 }, { "ăn", 1 },
    { "ăi", 0 },      { "eu", 0 },    { "", 0 },      { "hai ba", 0 },
};

START_TEST(test_syllable_table)
{
    for (size_t i = 0; i < sizeof syllables / sizeof *syllables; i++) {
        const char *word = syllables[i].word;
        ck_assert_msg(tc_vi_syllable(word, strlen(word)) == syllables[i].valid, "\"%s\" should be %s",
                      word, syllables[i].valid ? "valid" : "invalid");
    }
}
END_TEST

static char *write_gz(const char *dir, const char *name, const char *bytes, size_t len)
{
    char *path = NULL;
    ck_assert_int_ge(asprintf(&path, "%s/%s", dir, name), 0);
    gzFile gz = gzopen(path, "wb");
    ck_assert_ptr_nonnull(gz);
    size_t done = 0;
    while (done < len) {
        unsigned chunk = len - done > (1u << 20) ? (1u << 20) : (unsigned)(len - done);
        ck_assert_int_eq(gzwrite(gz, bytes + done, chunk), (int)chunk);
        done += chunk;
    }
    ck_assert_int_eq(gzclose(gz), Z_OK);
    return path;
}

START_TEST(test_files_and_gzip)
{
    char *dir = tu_tempdir(), *out = NULL, *cmd = NULL;
    const char *found = NULL;

    char *path = write_gz(dir, "utf8.txt.gz", PARAGRAPH, strlen(PARAGRAPH));
    reset();
    ck_assert_int_eq(tc_decode_file(&out, NULL, &found, path, &message), TC_STATUS_SUCCESS);
    ck_assert_str_eq(out, PARAGRAPH);
    ck_assert_str_eq(found, "UTF-8");
    free(out);

    size_t len;
    char *tcvn3 = iconv_encode("TCVN5712-1", PARAGRAPH, &len);
    char *legacy = write_gz(dir, "tcvn3.txt.gz", tcvn3, len);
    ck_assert_int_eq(tc_decode_file(&out, NULL, &found, legacy, &message), TC_STATUS_SUCCESS);
    ck_assert_str_eq(out, PARAGRAPH);
    ck_assert_str_eq(found, "TCVN3");
    free(out);
    free(tcvn3);

    /* A truncated gzip stream. */
    ck_assert_int_ge(asprintf(&cmd, "head -c 20 %s > %s/cut.txt.gz", path, dir), 0);
    ck_assert_int_eq(tu_run(cmd, NULL, NULL), 0);
    free(cmd);
    char *cut = NULL, *expected = NULL;
    ck_assert_int_ge(asprintf(&cut, "%s/cut.txt.gz", dir), 0);
    ck_assert_int_eq(tc_decode_file(&out, NULL, &found, cut, &message), TC_STATUS_BAD_INPUT);
    ck_assert_int_ge(
        asprintf(&expected, "%s: corrupt or truncated gzip data (unexpected end of file)", cut), 0);
    ck_assert_str_eq(message, expected);
    free(expected);
    reset();

    /* Over 20 MB once unpacked. */
    size_t big = 20u * 1024u * 1024u + 1;
    char *letters = malloc(big);
    memset(letters, 'a', big);
    char *huge = write_gz(dir, "huge.txt.gz", letters, big);
    free(letters);
    ck_assert_int_eq(tc_decode_file(&out, NULL, &found, huge, &message), TC_STATUS_BAD_INPUT);
    ck_assert_int_ge(
        asprintf(&expected, "%s: gzip data expanding to over 20971520 bytes, the limit for a dispatch", huge), 0);
    ck_assert_str_eq(message, expected);
    free(expected);
    reset();

    free(cut);
    free(huge);
    free(legacy);
    free(path);
}
END_TEST

/* The limit holds for what gzip data expands to, not only for its size
 * on disk; what is not a regular file is turned away, not waited on. */
START_TEST(test_limits_and_special_files)
{
    char *dir = tu_tempdir(), *expected = NULL;
    const char *found = NULL;
    char *out = NULL;
    size_t big = 100000;
    char *letters = malloc(big);
    memset(letters, 'a', big);
    char *bomb = write_gz(dir, "bomb.txt.gz", letters, big), *plain = NULL;
    free(letters);
    struct stat st;
    ck_assert_int_eq(stat(bomb, &st), 0);
    ck_assert_int_lt(st.st_size, 1000); /* small on disk */
    reset();
    ck_assert_int_eq(tc_decode_file_limited(&out, NULL, &found, bomb, 1000, &message), TC_STATUS_BAD_INPUT);
    ck_assert_int_ge(asprintf(&expected, "%s: gzip data expanding to over 1000 bytes, the limit for a dispatch", bomb), 0);
    ck_assert_str_eq(message, expected);
    ck_assert_ptr_null(out);
    free(expected);
    reset();
    ck_assert_int_eq(tc_decode_file_limited(&out, NULL, &found, bomb, big, &message), TC_STATUS_SUCCESS);
    free(out);

    ck_assert_int_ge(asprintf(&plain, "%s/plain.txt", dir), 0);
    FILE *f = fopen(plain, "w");
    fputs(PARAGRAPH, f);
    fclose(f);
    ck_assert_int_eq(tc_decode_file_limited(&out, NULL, &found, plain, 100, &message), TC_STATUS_BAD_INPUT);
    ck_assert_int_ge(asprintf(&expected, "%s: file of %zu bytes, over the 100-byte limit for a dispatch", plain,
                              strlen(PARAGRAPH)), 0);
    ck_assert_str_eq(message, expected);
    free(expected);
    reset();

    /* Opening a FIFO to read would wait for a writer: the alarm fails the
     * test if it does. */
    char *fifo = NULL;
    ck_assert_int_ge(asprintf(&fifo, "%s/pipe.txt", dir), 0);
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    alarm(10);
    ck_assert_int_eq(tc_decode_file(&out, NULL, &found, fifo, &message), TC_STATUS_BAD_INPUT);
    alarm(0);
    ck_assert_int_ge(asprintf(&expected, "%s: not a regular file (a FIFO)", fifo), 0);
    ck_assert_str_eq(message, expected);
    free(expected);
    reset();
    ck_assert_int_eq(tc_decode_file(&out, NULL, &found, "/dev/zero", &message), TC_STATUS_BAD_INPUT);
    ck_assert_str_eq(message, "/dev/zero: not a regular file (a character device)");
    reset();
    ck_assert_int_eq(tc_decode_file(&out, NULL, &found, dir, &message), TC_STATUS_BAD_INPUT);
    ck_assert_int_ge(asprintf(&expected, "%s: not a regular file (a folder)", dir), 0);
    ck_assert_str_eq(message, expected);
    free(expected);
    reset();
    free(fifo);
    free(plain);
    free(bomb);
}
END_TEST

/* The paragraph repeated on one line of n bytes at most, ending on a space. */
static char *one_line(size_t n, size_t *len)
{
    char *line = malloc(n + 1);
    size_t plen = strlen(PARAGRAPH), at = 0;
    while (at + plen <= n) {
        memcpy(line + at, PARAGRAPH, plen);
        at += plen;
    }
    for (size_t i = 0; i < at; i++)
        if (line[i] == '\n')
            line[i] = ' ';
    line[at] = '\0';
    *len = at;
    return line;
}

static double cpu_seconds(void)
{
    return (double)clock() / CLOCKS_PER_SEC;
}

START_TEST(test_five_megabytes_on_one_line)
{
    size_t len;
    char *line = one_line(5u * 1024u * 1024u, &len);
    char *out = NULL;
    size_t out_len = 0;
    const char *found = NULL;
    reset();
    double start = cpu_seconds();
    ck_assert_int_eq(tc_decode_bytes(&out, &out_len, &found, line, len, "big.txt", &message),
                     TC_STATUS_SUCCESS);
    double took = cpu_seconds() - start;
    ck_assert_str_eq(found, "UTF-8");
    ck_assert_uint_eq(out_len, len);
    ck_assert(memcmp(out, line, len) == 0);
    ck_assert_msg(took < 1.0, "5 MB of UTF-8 took %.2f s", took);
    free(out);

    /* The same line in windows-1258, the slowest to read: every reading is
     * scored, then the text is converted and composed. */
    size_t legacy_len;
    char *legacy = iconv_encode("CP1258", line, &legacy_len);
    start = cpu_seconds();
    ck_assert_int_eq(
        tc_decode_bytes(&out, &out_len, &found, legacy, legacy_len, "big.txt", &message),
        TC_STATUS_SUCCESS);
    took = cpu_seconds() - start;
    ck_assert_str_eq(found, "windows-1258");
    ck_assert_uint_eq(out_len, len);
    ck_assert(memcmp(out, line, len) == 0);
    ck_assert_msg(took < 1.0, "5 MB of windows-1258 took %.2f s", took);
    free(out);
    free(legacy);
    free(line);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("decode");
    TCase *tc = tcase_create("decode");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_utf8_stays_utf8);
    tcase_add_test(tc, test_bom_and_line_ends);
    tcase_add_test(tc, test_nfd_becomes_nfc);
    tcase_add_test(tc, test_d_look_alikes);
    tcase_add_test(tc, test_paragraph_in_every_encoding);
    tcase_add_test(tc, test_known_legacy_text);
    tcase_add_test(tc, test_latin1_cong_van);
    tcase_add_test(tc, test_extracted_legacy_fonts);
    tcase_add_test(tc, test_rejections);
    tcase_add_test(tc, test_syllable_table);
    tcase_add_test(tc, test_files_and_gzip);
    tcase_add_test(tc, test_five_megabytes_on_one_line);
    tcase_add_test(tc, test_limits_and_special_files);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
