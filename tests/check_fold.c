/* Folding and tokenizing: the table-driven cases that decide what matches. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/decode.h"
#include "text/fold.h"
#include "testutil.h"
#include "text/tokenize.h"

static const struct {
    const char *input, *folded;
} fold_cases[] = {
    { "Đổi mới sáng tạo", "doi moi sang tao" },
    { "ĐỒNG", "dong" },
    { "đ", "d" },
    { "Đ", "d" },
    { "ỦY BAN NHÂN DÂN", "uy ban nhan dan" },
    { "Uỷ ban", "uy ban" },
    { "hoà hòa HOÀ", "hoa hoa hoa" },
    { "thuỷ thủy", "thuy thuy" },
    { "khoẻ khỏe", "khoe khoe" },
    { "người Việt", "nguoi viet" },
    { "ƯDPTCN", "udptcn" },
    { "1471/UBND-KGVX", "1471/ubnd-kgvx" },
    /* NFD input (Windows-1258 style): the marks are separate code points. */
    { "Vie\xCC\xA3\xCC\x82t", "viet" },
    { "đo\xCC\x82\xCC\x80ng", "dong" },
    { "café naïve", "cafe naive" },
    /* Đ's look-alikes, in a query copied from a scan's text. */
    { "QÐ-TTg ðại ɖiện Ɖà", "qd-ttg dai dien da" },
    { "", "" },
};

START_TEST(test_fold_table)
{
    for (size_t i = 0; i < sizeof fold_cases / sizeof *fold_cases; i++) {
        char *folded = tc_fold(fold_cases[i].input, strlen(fold_cases[i].input));
        ck_assert_ptr_nonnull(folded);
        ck_assert_msg(strcmp(folded, fold_cases[i].folded) == 0, "fold(\"%s\") = \"%s\", expected \"%s\"",
                      fold_cases[i].input, folded, fold_cases[i].folded);
        free(folded);
    }
}
END_TEST

static char *exact_of(const char *word)
{
    tc_buf_t buf = TC_BUF_INIT;
    ck_assert_int_eq(tc_buf_append(&buf, "", 0), 0);
    ck_assert_int_eq(tc_fold_exact_append(&buf, word, strlen(word)), 0);
    return tc_buf_steal(&buf);
}

/* Pairs that must share one exact form (old and new tone placement, case,
 * NFD), and pairs that must not (different tones or vowels). */
static const struct {
    const char *a, *b;
    int same;
} exact_cases[] = {
    { "hoà", "hòa", 1 },     { "thuỷ", "thủy", 1 },  { "uỷ", "ủy", 1 },     { "khoẻ", "khỏe", 1 },
    { "hoá", "hóa", 1 },     { "HOÀ", "hòa", 1 },    { "Đồng", "đồng", 1 }, { "o\xCC\x82\xCC\x80", "ồ", 1 },
    { "bảo", "báo", 0 },     { "đồng", "dòng", 0 },  { "đồng", "dồng", 0 }, { "bao", "báo", 0 },
    { "mới", "mời", 0 },     { "ư", "u", 0 },        { "thuỷ", "thuy", 0 },  { "Ðại", "đại", 1 },
};

START_TEST(test_exact_table)
{
    for (size_t i = 0; i < sizeof exact_cases / sizeof *exact_cases; i++) {
        char *a = exact_of(exact_cases[i].a), *b = exact_of(exact_cases[i].b);
        ck_assert_msg((strcmp(a, b) == 0) == exact_cases[i].same, "exact(\"%s\")=\"%s\" vs exact(\"%s\")=\"%s\": expected %s",
                      exact_cases[i].a, a, exact_cases[i].b, b, exact_cases[i].same ? "same" : "different");
        free(a);
        free(b);
    }
}
END_TEST

START_TEST(test_exact_keeps_vowel_marks)
{
    char *e = exact_of("Thủy");
    ck_assert_str_eq(e, "thuy\xCC\x89"); /* tone (hook above) moved to the end */
    free(e);
    e = exact_of("ĐỒNG");
    ck_assert_str_eq(e, "\xC4\x91\xC3\xB4ng\xCC\x80"); /* đông + grave */
    free(e);
}
END_TEST

START_TEST(test_marks_and_case)
{
    ck_assert(tc_has_marks("bảo", strlen("bảo")));
    ck_assert(tc_has_marks("đi", strlen("đi")));
    ck_assert(!tc_has_marks("bao", 3));
    char *lower = tc_lower("ỦY BAN NHÂN DÂN", strlen("ỦY BAN NHÂN DÂN"));
    ck_assert_str_eq(lower, "ủy ban nhân dân");
    lower = tc_capitalize_first(lower);
    ck_assert_str_eq(lower, "Ủy ban nhân dân");
    free(lower);
    ck_assert(tc_is_all_caps("SỞ KHOA HỌC", strlen("SỞ KHOA HỌC")));
    ck_assert(!tc_is_all_caps("Sở Khoa học", strlen("Sở Khoa học")));
    ck_assert(!tc_is_all_caps("2026", 4));
}
END_TEST

START_TEST(test_nfc)
{
    char *out = NULL;
    size_t len = 0;
    const char *nfd = "Vie\xCC\xA3\xCC\x82t";
    ck_assert_int_eq(tc_nfc(&out, &len, nfd, strlen(nfd)), TC_STATUS_SUCCESS);
    ck_assert_str_eq(out, "Việt");
    ck_assert_uint_eq(len, strlen("Việt"));
    free(out);
}
END_TEST

/* Tokens as "folded@start-end", glued ones prefixed with '+'. */
static char *describe_tokens(const char *text)
{
    tc_tokens_t toks = { 0 };
    tc_buf_t out = TC_BUF_INIT;
    ck_assert_int_eq(tc_tokenize(&toks, text, strlen(text)), TC_STATUS_SUCCESS);
    tc_buf_append(&out, "", 0);
    for (size_t i = 0; i < toks.count; i++)
        tc_buf_printf(&out, "%s%s%s@%zu-%zu", i ? " " : "", toks.tokens[i].glued ? "+" : "",
                      TC_TOKEN_FOLDED(&toks, i), toks.tokens[i].start, toks.tokens[i].end);
    tc_tokens_free(&toks);
    return tc_buf_steal(&out);
}

static const struct {
    const char *input, *tokens;
} token_cases[] = {
    { "Đổi mới", "doi@0-6 moi@7-12" },
    { "1471/UBND-KGVX", "1471@0-4 +ubnd@5-9 +kgvx@10-14" },
    { "1471 ubnd kgvx", "1471@0-4 ubnd@5-9 kgvx@10-14" },
    { "57-NQ/TW", "57@0-2 +nq@3-5 +tw@6-8" },
    { "ngày 21/4/2026.", "ngay@0-5 21@6-8 +4@9-10 +2026@11-15" },
    { "KH&CN", "kh@0-2 +cn@3-5" },
    { "(21/4) năm", "21@1-3 +4@4-5 nam@7-11" },
    { "Mục 1.3", "muc@0-5 1.3@6-9" },
    { "- ; ... **", "" },
};

START_TEST(test_tokenize_table)
{
    for (size_t i = 0; i < sizeof token_cases / sizeof *token_cases; i++) {
        char *got = describe_tokens(token_cases[i].input);
        ck_assert_msg(strcmp(got, token_cases[i].tokens) == 0, "tokens(\"%s\") = \"%s\", expected \"%s\"",
                      token_cases[i].input, got, token_cases[i].tokens);
        free(got);
    }
}
END_TEST

START_TEST(test_fold_words)
{
    char *w = tc_fold_words("  Công   VĂN ");
    ck_assert_str_eq(w, "cong van");
    free(w);
}
END_TEST

/* tc_tokenize and tc_tokenize_folded against tc_tokenize_reference, the
 * plain UTF-8 UText tokenizer: the same tokens, offsets, glue, accents and
 * strings, token by token.  Returns the number of tokens compared. */
static size_t compare_with_reference(const char *text, size_t len, const char *what)
{
    size_t compared = 0;
    for (int folded_only = 0; folded_only <= 1; folded_only++) {
        tc_tokens_t got = { 0 }, want = { 0 };
        tc_status_t s1 = folded_only ? tc_tokenize_folded(&got, text, len) : tc_tokenize(&got, text, len);
        tc_status_t s2 = tc_tokenize_reference(&want, text, len, folded_only);
        ck_assert_msg(s1 == s2, "%s: status %d, reference %d", what, (int)s1, (int)s2);
        ck_assert_msg(got.count == want.count, "%s (folded_only=%d): %zu tokens, reference %zu", what, folded_only,
                      got.count, want.count);
        for (size_t i = 0; i < got.count; i++) {
            const tc_token_t *g = &got.tokens[i], *w = &want.tokens[i];
            ck_assert_msg(g->start == w->start && g->end == w->end && g->glued == w->glued &&
                              g->accented == w->accented,
                          "%s (folded_only=%d) token %zu: [%zu,%zu) glued %u accented %u, reference [%zu,%zu) "
                          "glued %u accented %u",
                          what, folded_only, i, g->start, g->end, g->glued, g->accented, w->start, w->end, w->glued,
                          w->accented);
            ck_assert_msg(strcmp(TC_TOKEN_FOLDED(&got, i), TC_TOKEN_FOLDED(&want, i)) == 0,
                          "%s token %zu: folded \"%s\", reference \"%s\"", what, i, TC_TOKEN_FOLDED(&got, i),
                          TC_TOKEN_FOLDED(&want, i));
            ck_assert_msg(strcmp(TC_TOKEN_EXACT(&got, i), TC_TOKEN_EXACT(&want, i)) == 0,
                          "%s token %zu: exact \"%s\", reference \"%s\"", what, i, TC_TOKEN_EXACT(&got, i),
                          TC_TOKEN_EXACT(&want, i));
        }
        compared += got.count;
        tc_tokens_free(&got);
        tc_tokens_free(&want);
    }
    return compared;
}

/* Where UAX #29 and folding have corners: apostrophes, numbers with
 * separators, hyphens, slashes, underscores, emoji and ZWJ sequences,
 * CJK and Thai (dictionary breaking), NFD marks, letters that fold to
 * longer or shorter UTF-8, invalid UTF-8 and NULs. */
static const struct {
    const char *text;
    size_t len; /* 0: strlen */
} edge_cases[] = {
    { "don't l'État it’s rock ’n’ roll 'quoted' \"hai\"", 0 },
    { "1.234,5 1,234.5 3.14 .5 5. 1..2 1,,2 v1.2.3 U.S.A. a.b.c", 0 },
    { "kinh-tế xã-hội 57-NQ/TW -5 5- a--b a—b a–b", 0 },
    { "1471/UBND-KGVX số 1471/UBND-KGVX, ngày 21/4/2026; (21/4)", 0 },
    { "snake_case __init__ _a a_ 1_000 ab_12_cd", 0 },
    { "bkhcn@angiang.gov.vn @an, a@b @1 1@ @@ x@y.z", 0 },
    { "ok 👍 👍🏽 👨‍👩‍👧 🇻🇳🇺🇸 ❤️ #hashtag @user a@b.vn http://x.vn/a?b=1", 0 },
    { "中华人民共和国 日本語のテキスト カタカナ 한국어 문장", 0 },
    { "ภาษาไทยง่ายนิดเดียว สวัสดีครับ ລາວ ខ្មែរ မြန်မာ", 0 },
    { "Vie\xCC\xA3\xCC\x82t Nam đo\xCC\x82\xCC\x80ng o\xCC\x82\xCC\x80 e\xCC\x81\xCC\x81 \xCC\x80" "a", 0 },
    { "a\xE2\x80\x8D" "b a\xE2\x80\x8C" "b \xE2\x80\x8D \xE2\x80\x8Bzw \xC2\xAD" "soft\xC2\xAD" "hy", 0 },
    { "Ⱥ ȺȺ İstanbul Å ﬁ ＡＢＣ１２３ 𝐀𝐁𝐂 ǅ ß ẞ Σς σ", 0 },
    { "ĐỒNG Đổi mới sáng tạo hoà hòa HOÀ thuỷ thủy Ủy ban ƯDPTCN KH&CN", 0 },
    { "\xFF\xFE a\x80" "b \xED\xA0\x80 \xF4\x90\x80\x80 \xC0\xAF \xE1\xBA \xE1\xBAx \xF0\x9F\x91", 0 },
    { "a\0b c\0\0d", 8 },
    { "x² ½ ① Ⅻ $100 100% 10°C 5km² €5 #1 a&b a+b a=b a<b a|b a~b a^b", 0 },
    { "a:b 12:30 a::b a;b a·b a・b ա׳ב א\"ב שלום עולם", 0 },
    { "\t\n\r \n\n  \x0B\x0C\xC2\x85\xE2\x80\xA8\xE2\x80\xA9 end", 0 },
    { "", 0 },
    { "   ", 0 },
    { "a", 0 },
    { "—", 0 },
};

START_TEST(test_tokenize_matches_reference_cases)
{
    for (size_t i = 0; i < sizeof edge_cases / sizeof *edge_cases; i++) {
        const char *t = edge_cases[i].text;
        size_t len = edge_cases[i].len ? edge_cases[i].len : strlen(t);
        char what[64];
        snprintf(what, sizeof what, "edge case %zu", i);
        compare_with_reference(t, len, what);
        /* Every prefix too: cuts inside characters and words. */
        for (size_t cut = 0; cut < len; cut++)
            compare_with_reference(t, cut, what);
    }
}
END_TEST

/* One character of each kind the tokenizer tells apart, and a few it
 * leaves to ICU, in every arrangement of up to three (four for the
 * commonest): whatever the rules look at around a character is there. */
static const char *const kinds_all[] = {
    "a", "\xE1\xBA\xBE" /* Ế */, "1", " ", "\n", "\t", "\r", ".", ",", ";", ":", "'",
    "\xE2\x80\x99" /* ’ */, "\"", "/", "-", "(", "_", "\xCC\x81" /* combining acute */,
    "\xC2\xAD" /* soft hyphen */, "\xE2\x80\x8D" /* ZWJ */, "\xC2\xB7" /* middle dot */,
    "\xC2\xA9" /* © */, "\xE2\x80\xA2" /* • */, "\xD7\x90" /* alef */, "\xE2\x80\x83" /* em space */,
    "\xF0\x9F\x91\x8D" /* emoji */, "\xE4\xB8\xAD" /* CJK */, "\xEF\xBC\x8C" /* fullwidth comma */, "@", "#", "&",
};
static const char *const kinds_common[] = {
    "a", "\xC4\x91", "1", " ", "\n", ".", ",", ";", ":", "'", "/", "-", "\xCC\x81", "@",
};

static size_t arrangements(const char *const *alphabet, size_t n, size_t max_len, tc_buf_t *prefix, size_t depth)
{
    size_t tokens = 0;
    if (depth == max_len)
        return 0;
    for (size_t i = 0; i < n; i++) {
        size_t keep = prefix->len;
        ck_assert_int_eq(tc_buf_puts(prefix, alphabet[i]), 0);
        tokens += compare_with_reference(prefix->data, prefix->len, prefix->data);
        tokens += arrangements(alphabet, n, max_len, prefix, depth + 1);
        prefix->len = keep;
        prefix->data[keep] = '\0';
    }
    return tokens;
}

START_TEST(test_tokenize_matches_reference_arrangements)
{
    tc_buf_t prefix = TC_BUF_INIT;
    ck_assert_int_eq(tc_buf_append(&prefix, "", 0), 0);
    size_t tokens = arrangements(kinds_all, sizeof kinds_all / sizeof *kinds_all, 3, &prefix, 0);
    tokens += arrangements(kinds_common, sizeof kinds_common / sizeof *kinds_common, 4, &prefix, 0);
    tc_buf_free(&prefix);
    ck_assert(tokens > 0);
}
END_TEST

static char *read_bytes(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    tc_buf_t buf = TC_BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        ck_assert_int_eq(tc_buf_append(&buf, chunk, n), 0);
    fclose(f);
    *len = buf.len;
    return tc_buf_steal(&buf);
}

/* A file both as its raw bytes and as decoded (as the indexer reads it). */
static size_t compare_file(const char *path)
{
    size_t len = 0, n = 0;
    char *raw = read_bytes(path, &len);
    ck_assert_msg(raw != NULL, "cannot read %s", path);
    n += compare_with_reference(raw, len, path);
    free(raw);
    char *text = NULL;
    size_t text_len = 0;
    if (tc_decode_file(&text, &text_len, NULL, path, NULL) == TC_STATUS_SUCCESS)
        n += compare_with_reference(text, text_len, path);
    free(text);
    return n;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files under dir (recursively), sorted, appended to list. */
static void list_files(tc_strlist_t *list, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *path = tc_strdup_printf("%s/%s", dir, e->d_name);
        DIR *sub = opendir(path);
        if (sub) {
            closedir(sub);
            list_files(list, path);
        } else {
            tc_strlist_push(list, path, strlen(path));
        }
        free(path);
    }
    closedir(d);
    qsort(list->items, list->count, sizeof *list->items, by_name);
}

/* The seeds, tests/data, and (when TC_TOKENIZE_CORPUS names a folder, such
 * as a corpus made by bench/gen-corpus) its first 200 files. */
START_TEST(test_tokenize_matches_reference_files)
{
    size_t tokens = 0, files = 0;
    const char *dirs[] = { "corpus", "tests/data" };
    for (size_t d = 0; d < 2; d++) {
        tc_strlist_t list = { 0 };
        list_files(&list, dirs[d]);
        ck_assert_msg(list.count > 0, "no files in %s", dirs[d]);
        for (size_t i = 0; i < list.count; i++, files++)
            tokens += compare_file(list.items[i]);
        tc_strlist_clear(&list);
    }
    const char *extra = getenv("TC_TOKENIZE_CORPUS");
    if (extra && *extra) {
        tc_strlist_t list = { 0 };
        list_files(&list, extra);
        ck_assert_msg(list.count > 0, "no files in %s", extra);
        for (size_t i = 0; i < list.count && i < 200; i++, files++)
            tokens += compare_file(list.items[i]);
        tc_strlist_clear(&list);
    }
    fprintf(stderr, "tokenize: %zu files, %zu tokens agree with the reference\n", files, tokens);
    ck_assert(tokens > 1000);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fold");
    TCase *tc = tcase_create("fold");
    tcase_add_test(tc, test_fold_table);
    tcase_add_test(tc, test_exact_table);
    tcase_add_test(tc, test_exact_keeps_vowel_marks);
    tcase_add_test(tc, test_marks_and_case);
    tcase_add_test(tc, test_nfc);
    suite_add_tcase(s, tc);
    TCase *tt = tcase_create("tokenize");
    tcase_add_test(tt, test_tokenize_table);
    tcase_add_test(tt, test_fold_words);
    tcase_add_test(tt, test_tokenize_matches_reference_cases);
    tcase_add_test(tt, test_tokenize_matches_reference_files);
    tcase_add_test(tt, test_tokenize_matches_reference_arrangements);
    tcase_set_timeout(tt, 120);
    suite_add_tcase(s, tt);
    return tu_run_suite(s);
}
