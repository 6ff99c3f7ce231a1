/* The Vietnamese beside each English error.  The English is what the
 * library and the handler say ("deadline_from: \"x\" is not a date
 * (...)"); each row below matches one of its forms, with {} standing for
 * a part carried over (a value, a number), and gives the Vietnamese with
 * {1}, {2}... in their place.  The parameter a message starts with is
 * named as the page labels it, then as the URL spells it. */
#include "messages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tracuu.h"

#define MAX_PARTS 4

static const struct {
    const char *name, *label;
} parameters[] = {
    { "q", "Từ khóa" },
    { "words", "Từ khóa" },
    { "issuer", "Cơ quan ban hành" },
    { "theme", "Chủ đề" },
    { "doc_type", "Loại văn bản" },
    { "type", "Loại văn bản" },
    { "year", "Năm" },
    { "deadline", "Hạn xử lý" },
    { "deadline_from", "Hạn từ ngày" },
    { "deadline_to", "Hạn đến ngày" },
    { "date", "Ngày ban hành" },
    { "date_from", "Ban hành từ ngày" },
    { "date_to", "Ban hành đến ngày" },
    { "due", "Theo hạn" },
    { "due_days", "Số ngày sắp đến hạn" },
    { "sort", "Sắp xếp" },
    { "page", "Trang" },
    { "per_page", "Số kết quả mỗi trang" },
    { "facet_values", "Số giá trị mỗi bộ lọc" },
    { "limit", "Số kết quả" },
    { "as_typed", "Tìm đúng như đã gõ" },
    { "count_bound", "Số văn bản đếm chính xác" },
    { "exact", "Đếm chính xác" },
    { "id", "Mã văn bản" },
};

/* After the parameter's "name: ". */
static const struct {
    const char *english, *vietnamese;
} reasons[] = {
    { "\"{}\" is not a date (expected DD/MM/YYYY or YYYY-MM-DD)",
      "“{1}” không phải là ngày (hãy nhập theo dạng ngày/tháng/năm, ví dụ 01/05/2026)" },
    { "\"{}\" is not a date (there is no month {})", "“{1}” không phải là ngày (không có tháng {2})" },
    { "\"{}\" is not a date ({}/{} has {} days)", "“{1}” không phải là ngày (tháng {2}/{3} chỉ có {4} ngày)" },
    { "\"{}\" is not a date (the year must be 1000 to 9999)", "“{1}” không phải là ngày (năm phải từ 1000 đến 9999)" },
    { "the range {}..{} ends before it starts", "khoảng {1}..{2} có ngày kết thúc trước ngày bắt đầu" },
    { "\"{}\" is not a year (expected 2026 or 2023..2026)",
      "“{1}” không phải là năm (hãy nhập một năm như 2026 hoặc một khoảng như 2023..2026)" },
    { "\"{}\" is not a year or range (expected 2026 or 2023..2026)",
      "“{1}” không phải là năm (hãy nhập một năm như 2026 hoặc một khoảng như 2023..2026)" },
    { "\"{}\" is out of range (1000..9999)", "“{1}” nằm ngoài khoảng cho phép (1000 đến 9999)" },
    { "\"{}\" ends before it starts", "khoảng “{1}” có năm kết thúc trước năm bắt đầu" },
    { "\"{}\" is out of range ({} to {})", "“{1}” nằm ngoài khoảng cho phép ({2} đến {3})" },
    { "\"{}\" is not valid UTF-8", "“{1}” có byte không phải chữ UTF-8" },
    { "\"{}\" is not " TC_SORT_NAMES,
      "“{1}” không phải cách sắp xếp đã biết (relevance, date, date_asc, deadline hoặc deadline_desc)" },
    { "\"{}\" is not overdue or soon", "“{1}” không phải overdue (quá hạn) hoặc soon (sắp đến hạn)" },
    { "{} is more than {}", "{1} vượt quá mức tối đa {2}" },
    { "longer than {} bytes", "dài quá {1} byte" },
    { "needs a value", "cần có giá trị sau dấu hai chấm" },
    { "the query is {} bytes long, over the limit of {} (a letter with Vietnamese marks takes 2 or 3 bytes)",
      "câu tìm kiếm dài {1} byte, quá giới hạn {2} byte (mỗi chữ có dấu tiếng Việt chiếm 2 hoặc 3 byte); "
      "hãy rút gọn câu tìm kiếm" },
    { "more than {} different phrases in one query", "có quá {1} cụm từ trong ngoặc kép khác nhau trong một lần tìm" },
    { "more than {} different words in one query", "có quá {1} từ khác nhau trong một lần tìm" },
};

/* Whole messages, with no parameter in front. */
static const struct {
    const char *english, *vietnamese;
} sentences[] = {
    { "no dispatch with id \"{}\"", "Không có văn bản nào mang mã “{1}” trong kho." },
    { "no dispatch with that id", "Không có văn bản nào mang mã này trong kho." },
    { "the original file of this dispatch is no longer on the server",
      "Tệp gốc của văn bản này không còn trên máy chủ." },
    { "no such page", "Không có trang này." },
    { "no such API", "Không có giao diện lập trình (API) này." },
    { "only GET and HEAD are served", "Máy chủ chỉ nhận yêu cầu GET và HEAD." },
    { "too many parameters (at most {})", "Yêu cầu có quá nhiều tham số (tối đa {1})." },
    { "unknown filter \"{}\"", "Không có bộ lọc “{1}”." },
    { NO_INDEX_MESSAGE,
      "Chưa có chỉ mục để tìm kiếm: người quản trị cần chạy chương trình lập chỉ mục." },
    { BASIC_NEEDS_LOOPBACK_MESSAGE,
      "Chỉ đăng nhập bằng mật khẩu được từ chính máy chủ: máy chủ không mã hóa đường truyền (TLS), mật khẩu gửi "
      "qua mạng có thể bị đọc trộm. Hãy đăng nhập qua cổng HTTPS của cơ quan." },
    { "too many wrong passwords from this address; try again in {} s",
      "Địa chỉ này đã nhập sai mật khẩu quá nhiều lần; hãy thử lại sau {1} giây." },
    { WRONG_PASSWORD_MESSAGE, "Tên đăng nhập hoặc mật khẩu không đúng." },
    { SIGN_IN_MESSAGE, "Hãy đăng nhập để xem các văn bản theo quyền của mình." },
    { "X-Remote-User: \"{}\" is not a user of this server", "Người dùng “{1}” không có trong danh sách của máy chủ." },
    { "unknown user", "Người dùng không có trong danh sách của máy chủ." },
    { INTERNAL_ERROR_MESSAGE,
      "Máy chủ gặp lỗi khi trả lời (chi tiết ghi trong nhật ký của máy chủ)." },
};

/* Whether text matches pattern, {} matching any text (the shortest that
 * lets the rest match); parts[k] and lengths[k] are the k-th such text. */
static int match(const char *pattern, const char *text, const char **parts, size_t *lengths, int k)
{
    for (; *pattern; pattern++, text++) {
        if (pattern[0] == '{' && pattern[1] == '}') {
            if (k >= MAX_PARTS)
                return 0;
            for (const char *end = text;; end++) {
                if (match(pattern + 2, end, parts, lengths, k + 1)) {
                    parts[k] = text;
                    lengths[k] = (size_t)(end - text);
                    return 1;
                }
                if (!*end)
                    return 0;
            }
        }
        if (*pattern != *text)
            return 0;
    }
    return !*text;
}

/* Appends vietnamese to out with {1}..{4} replaced by the parts. */
static void fill(FILE *out, const char *vietnamese, const char *const *parts, const size_t *lengths)
{
    for (const char *p = vietnamese; *p; p++) {
        if (p[0] == '{' && p[1] >= '1' && p[1] < '1' + MAX_PARTS && p[2] == '}') {
            fwrite(parts[p[1] - '1'], 1, lengths[p[1] - '1'], out);
            p += 2;
        } else {
            fputc(*p, out);
        }
    }
}

static const char *general(unsigned http_status)
{
    if (http_status == 404)
        return "Không tìm thấy.";
    if (http_status >= 500)
        return "Máy chủ gặp lỗi khi trả lời.";
    return "Yêu cầu không hợp lệ.";
}

char *searchd_message_vi(const char *error, unsigned http_status)
{
    const char *parts[MAX_PARTS] = { 0 };
    size_t lengths[MAX_PARTS] = { 0 };
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out)
        return NULL;
    const char *label = NULL, *name = NULL, *rest = error;
    size_t name_len = strcspn(error, ":");
    for (size_t i = 0; error[name_len] == ':' && error[name_len + 1] == ' ' && i < sizeof parameters / sizeof *parameters; i++)
        if (strlen(parameters[i].name) == name_len && strncmp(error, parameters[i].name, name_len) == 0) {
            label = parameters[i].label;
            name = parameters[i].name;
            rest = error + name_len + 2;
        }
    int done = 0;
    if (label) {
        for (size_t i = 0; !done && i < sizeof reasons / sizeof *reasons; i++)
            if (match(reasons[i].english, rest, parts, lengths, 0)) {
                fprintf(out, "%s (%s): ", label, name);
                fill(out, reasons[i].vietnamese, parts, lengths);
                fputc('.', out);
                done = 1;
            }
        if (!done) {
            fprintf(out, "%s (%s): %s", label, name, general(http_status));
            done = 1;
        }
    }
    for (size_t i = 0; !done && i < sizeof sentences / sizeof *sentences; i++)
        if (match(sentences[i].english, error, parts, lengths, 0)) {
            fill(out, sentences[i].vietnamese, parts, lengths);
            done = 1;
        }
    if (!done)
        fputs(general(http_status), out);
    if (fclose(out) != 0) {
        free(text);
        return NULL;
    }
    return text;
}
