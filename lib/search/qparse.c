/* The query language: splitting what the user typed into words, phrases,
 * exclusions and filters, and checking every filter value. */
#include "search/qparse.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/dates.h"

#define MIN_YEAR 1000

static tc_status_t bad(char **message, const char *fmt, const char *a, const char *b)
{
    if (message)
        *message = tc_strdup_printf(fmt, a, b);
    return TC_STATUS_BAD_QUERY;
}

static tc_status_t push_word(tc_qparsed_t *q, const char *text, size_t len, int phrase, int negated)
{
    tc_qword_t *words = realloc(q->words, (q->n_words + 1) * sizeof *words);
    if (!words)
        return TC_STATUS_OUT_OF_MEMORY;
    q->words = words;
    char *copy = tc_strndup(text, len);
    if (!copy)
        return TC_STATUS_OUT_OF_MEMORY;
    words[q->n_words].text = copy;
    words[q->n_words].phrase = phrase != 0;
    words[q->n_words].negated = negated != 0;
    q->n_words++;
    return TC_STATUS_SUCCESS;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Length of an opening quote at s (" or “), 0 when none. */
static size_t open_quote(const char *s)
{
    if (*s == '"')
        return 1;
    if (strncmp(s, "\xE2\x80\x9C", 3) == 0 || strncmp(s, "\xE2\x80\x9D", 3) == 0)
        return 3;
    return 0;
}

/* Finds the closing quote from s on; *after is past it (or the end). */
static size_t quoted_length(const char *s, const char **after)
{
    const char *end = s;
    while (*end && *end != '"' && strncmp(end, "\xE2\x80\x9D", 3) != 0 &&
           strncmp(end, "\xE2\x80\x9C", 3) != 0)
        end++;
    *after = *end ? end + open_quote(end) : end;
    return (size_t)(end - s);
}

/* A year as 1 to 4 ASCII digits, or 0 (open) when empty; -1 otherwise. */
static int read_year(const char *s, size_t len)
{
    if (len > 4)
        return -1;
    int year = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        year = year * 10 + (s[i] - '0');
    }
    return len ? year : 0;
}

static tc_status_t parse_year(tc_qparsed_t *q, const char *value, char **message)
{
    const char *dots = strstr(value, "..");
    size_t len = strlen(value);
    int from, to;
    if (dots) {
        from = read_year(value, (size_t)(dots - value));
        to = read_year(dots + 2, len - (size_t)(dots + 2 - value));
    } else {
        from = to = len ? read_year(value, len) : -1;
    }
    if (from < 0 || to < 0 || (dots && !from && !to))
        return bad(message, dots ? "year: \"%s\" is not a year or range (expected 2026 or 2023..2026)%s"
                                 : "year: \"%s\" is not a year (expected 2026 or 2023..2026)%s", value, "");
    if ((from && from < MIN_YEAR) || (to && to < MIN_YEAR))
        return bad(message, "year: \"%s\" is out of range (%s)", value, "1000..9999");
    if (from && to && from > to)
        return bad(message, "year: \"%s\" ends before it starts%s", value, "");
    if (from && (!q->year_from || from > q->year_from))
        q->year_from = from;
    if (to && (!q->year_to || to < q->year_to))
        q->year_to = to;
    return TC_STATUS_SUCCESS;
}

/* Reads one end of a date range into ymd; on a problem *message says
 * which parameter (field_end, as the API spells it) and exactly what is
 * wrong. */
static tc_date_problem_t date_problem(char **message, const char *field, const char *end, const char *value,
                                      int as_end, int ymd[3])
{
    int y = 0, m = 0, d = 0;
    tc_date_problem_t problem = tc_date_check(value, as_end, &y, &m, &d);
    char *why = NULL;
    switch (problem) {
    case TC_DATE_OK:
        ymd[0] = y;
        ymd[1] = m;
        ymd[2] = d;
        return problem;
    case TC_DATE_NOT_A_DATE: why = tc_strdup_printf("expected DD/MM/YYYY or YYYY-MM-DD"); break;
    case TC_DATE_NO_SUCH_YEAR: why = tc_strdup_printf("the year must be 1000 to 9999"); break;
    case TC_DATE_NO_SUCH_MONTH: why = tc_strdup_printf("there is no month %d", m); break;
    case TC_DATE_NO_SUCH_DAY: why = tc_strdup_printf("%02d/%d has %d days", m, y, tc_days_in_month(y, m)); break;
    }
    if (message)
        *message = why ? tc_strdup_printf("%s_%s: \"%s\" is not a date (%s)", field, end, value, why) : NULL;
    free(why);
    return problem;
}

/* A range of dates (either end may be NULL or "") added to *list unless
 * it is there already; `field` names the filter in messages ("deadline",
 * "date": the ends are field_from and field_to, as the API spells them). */
static tc_status_t add_date_range(tc_date_range_t **list, size_t *n, const char *field, const char *from,
                                  const char *to, char **message)
{
    tc_date_range_t range = { { 1000, 1, 1 }, { 9999, 12, 31 } };
    if (from && *from && date_problem(message, field, "from", from, 0, range.from) != TC_DATE_OK)
        return TC_STATUS_BAD_QUERY;
    if (to && *to && date_problem(message, field, "to", to, 1, range.to) != TC_DATE_OK)
        return TC_STATUS_BAD_QUERY;
    if (memcmp(range.from, range.to, sizeof range.from) != 0) {
        long a = range.from[0] * 10000L + range.from[1] * 100 + range.from[2];
        long b = range.to[0] * 10000L + range.to[1] * 100 + range.to[2];
        if (a > b) {
            if (message)
                *message = tc_strdup_printf("%s: the range %s..%s ends before it starts", field, from, to);
            return TC_STATUS_BAD_QUERY;
        }
    }
    for (size_t i = 0; i < *n; i++)
        if (memcmp(&(*list)[i], &range, sizeof range) == 0)
            return TC_STATUS_SUCCESS; /* the same range again: nothing more to check */
    tc_date_range_t *grown = realloc(*list, (*n + 1) * sizeof *grown);
    if (!grown)
        return TC_STATUS_OUT_OF_MEMORY;
    *list = grown;
    (*list)[(*n)++] = range;
    return TC_STATUS_SUCCESS;
}

tc_status_t tc_qparse_deadline(tc_qparsed_t *q, const char *from, const char *to, char **message)
{
    return add_date_range(&q->deadlines, &q->n_deadlines, "deadline", from, to, message);
}

tc_status_t tc_qparse_date(tc_qparsed_t *q, const char *from, const char *to, char **message)
{
    return add_date_range(&q->dates, &q->n_dates, "date", from, to, message);
}

/* "FROM..TO" (either end may be empty) or one date, through add. */
static tc_status_t parse_range(tc_qparsed_t *q, const char *value, char **message,
                               tc_status_t (*add)(tc_qparsed_t *, const char *, const char *, char **))
{
    const char *dots = strstr(value, "..");
    if (!dots)
        return add(q, value, value, message);
    char *from = tc_strndup(value, (size_t)(dots - value));
    if (!from)
        return TC_STATUS_OUT_OF_MEMORY;
    tc_status_t status = add(q, from, dots + 2, message);
    free(from);
    return status;
}

/* Adds value to list unless it is there already: a filter repeated
 * narrows nothing further, and a theme is a phrase to check. */
static tc_status_t push_filter(tc_strlist_t *list, const char *value, size_t len)
{
    for (size_t i = 0; i < list->count; i++)
        if (strcmp(list->items[i], value) == 0)
            return TC_STATUS_SUCCESS;
    return tc_strlist_push(list, value, len) ? TC_STATUS_OUT_OF_MEMORY : TC_STATUS_SUCCESS;
}

tc_status_t tc_qparse_filter(tc_qparsed_t *q, const char *field, const char *value, char **message)
{
    size_t len = strlen(value);
    while (len && is_space(value[len - 1]))
        len--;
    while (len && is_space(*value)) {
        value++;
        len--;
    }
    if (!len)
        return bad(message, "%s: needs a value%s", field, "");
    char *v = tc_strndup(value, len);
    if (!v)
        return TC_STATUS_OUT_OF_MEMORY;
    tc_status_t status = TC_STATUS_SUCCESS;
    if (strcasecmp(field, "issuer") == 0)
        status = push_filter(&q->issuers, v, len);
    else if (strcasecmp(field, "theme") == 0)
        status = push_filter(&q->themes, v, len);
    else if (strcasecmp(field, "type") == 0 || strcasecmp(field, "doc_type") == 0)
        status = push_filter(&q->doc_types, v, len);
    else if (strcasecmp(field, "year") == 0)
        status = parse_year(q, v, message);
    else if (strcasecmp(field, "deadline") == 0)
        status = parse_range(q, v, message, tc_qparse_deadline);
    else if (strcasecmp(field, "date") == 0)
        status = parse_range(q, v, message, tc_qparse_date);
    else
        status = bad(message, "unknown filter \"%s\"%s", field, "");
    free(v);
    return status;
}

tc_status_t tc_qparse_any(tc_qparsed_t *q, const char *field, const char *const *values, char **message)
{
    for (const char *const *v = values; v && *v; v++) {
        tc_qparsed_t alone = { 0 };
        tc_status_t status = tc_qparse_filter(&alone, field, *v, message);
        if (status == TC_STATUS_SUCCESS && strcmp(field, "year") == 0) {
            int (*grown)[2] = realloc(q->year_any, (q->n_year_any + 1) * sizeof *grown);
            if (grown) {
                q->year_any = grown;
                q->year_any[q->n_year_any][0] = alone.year_from;
                q->year_any[q->n_year_any++][1] = alone.year_to;
            } else {
                status = TC_STATUS_OUT_OF_MEMORY;
            }
        } else if (status == TC_STATUS_SUCCESS) {
            const tc_strlist_t *from = strcmp(field, "issuer") == 0 ? &alone.issuers : &alone.doc_types;
            tc_strlist_t *to = strcmp(field, "issuer") == 0 ? &q->issuer_any : &q->doc_type_any;
            for (size_t i = 0; i < from->count && status == TC_STATUS_SUCCESS; i++)
                if (push_filter(to, from->items[i], strlen(from->items[i])) != TC_STATUS_SUCCESS)
                    status = TC_STATUS_OUT_OF_MEMORY;
        }
        tc_qparsed_free(&alone);
        if (status != TC_STATUS_SUCCESS)
            return status;
    }
    return TC_STATUS_SUCCESS;
}

/* Length of a known filter name followed by ':' at s, 0 when none. */
static size_t filter_name(const char *s)
{
    static const char *const names[] = { "issuer", "theme", "type", "doc_type", "year", "deadline", "date" };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        size_t n = strlen(names[i]);
        if (strncasecmp(s, names[i], n) == 0 && s[n] == ':')
            return n;
    }
    return 0;
}

tc_status_t tc_qparse(tc_qparsed_t *q, const char *input, char **message)
{
    if (message)
        *message = NULL;
    if (!input)
        return TC_STATUS_SUCCESS;
    if (strlen(input) > TC_MAX_QUERY_BYTES) {
        if (message)
            *message = tc_strdup_printf("q: the query is %zu bytes long, over the limit of %d (a letter with "
                                        "Vietnamese marks takes 2 or 3 bytes)",
                                        strlen(input), TC_MAX_QUERY_BYTES);
        return TC_STATUS_BAD_QUERY;
    }
    const char *s = input;
    tc_status_t status = TC_STATUS_SUCCESS;
    while (status == TC_STATUS_SUCCESS) {
        while (is_space(*s))
            s++;
        if (!*s)
            break;
        int negated = 0;
        if (*s == '-' && s[1] && !is_space(s[1])) {
            negated = 1;
            s++;
        }
        size_t quote = open_quote(s);
        size_t name = negated ? 0 : filter_name(s);
        if (quote) {
            const char *after;
            size_t len = quoted_length(s + quote, &after);
            status = push_word(q, s + quote, len, 1, negated);
            s = after;
        } else if (name) {
            char field[16];
            memcpy(field, s, name);
            field[name] = '\0';
            s += name + 1;
            const char *value = s, *after;
            size_t len, vquote = open_quote(s);
            if (vquote) {
                value = s + vquote;
                len = quoted_length(value, &after);
            } else {
                while (*s && !is_space(*s))
                    s++;
                len = (size_t)(s - value);
                after = s;
            }
            char *v = tc_strndup(value, len);
            if (!v)
                return TC_STATUS_OUT_OF_MEMORY;
            status = tc_qparse_filter(q, field, v, message);
            free(v);
            s = after;
        } else {
            const char *start = s;
            while (*s && !is_space(*s))
                s++;
            status = push_word(q, start, (size_t)(s - start), 0, negated);
        }
    }
    return status;
}

void tc_qparsed_free(tc_qparsed_t *q)
{
    if (!q)
        return;
    for (size_t i = 0; i < q->n_words; i++)
        free(q->words[i].text);
    free(q->words);
    tc_strlist_clear(&q->issuers);
    tc_strlist_clear(&q->themes);
    tc_strlist_clear(&q->doc_types);
    free(q->deadlines);
    free(q->dates);
    tc_strlist_clear(&q->issuer_any);
    tc_strlist_clear(&q->doc_type_any);
    free(q->year_any);
    memset(q, 0, sizeof *q);
}
