/* Folding and tokenizing: the table-driven cases that decide what matches. */
#include <stdlib.h>
#include <string.h>

#include "fold.h"
#include "testutil.h"
#include "tokenize.h"

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
    { "mới", "mời", 0 },     { "ư", "u", 0 },        { "thuỷ", "thuy", 0 },
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
    suite_add_tcase(s, tt);
    return tu_run_suite(s);
}
