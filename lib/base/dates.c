#include "base/dates.h"

#include <stdio.h>
#include <string.h>

int tc_days_in_month(int year, int month)
{
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
        return 29;
    return days[month - 1];
}

int tc_date_valid(int year, int month, int day)
{
    return year >= 1000 && year <= 9999 && day >= 1 && day <= tc_days_in_month(year, month);
}

/* Reads up to `max` ASCII digits (at least one) at *s into *out,
 * moving *s past them; -1 when there is no digit. */
static int read_digits(const char **s, int max, int *out)
{
    int n = 0, value = 0;
    while (n < max && **s >= '0' && **s <= '9') {
        value = value * 10 + (**s - '0');
        (*s)++;
        n++;
    }
    *out = value;
    return n ? n : -1;
}

tc_date_problem_t tc_date_check(const char *s, int as_end, int *year, int *month, int *day)
{
    int y = 0, m = 0, d = 0, a = 0, b = 0, c = 0;
    const char *p = s;
    int n1 = read_digits(&p, 4, &a);
    if (n1 == 4 && *p == '-') {
        /* YYYY-MM or YYYY-MM-DD */
        p++;
        if (read_digits(&p, 2, &b) < 0)
            return TC_DATE_NOT_A_DATE;
        y = a;
        m = b;
        d = -1;
        if (*p == '-') {
            p++;
            if (read_digits(&p, 2, &c) < 0)
                return TC_DATE_NOT_A_DATE;
            d = c;
        }
    } else if (n1 == 4 && !*p) {
        y = a;
        m = as_end ? 12 : 1;
        d = as_end ? 31 : 1;
    } else if (n1 > 0 && n1 <= 2 && *p == '/') {
        /* D/M/YYYY or M/YYYY, day first as Vietnamese write it */
        p++;
        int n2 = read_digits(&p, 4, &b);
        if (n2 == 4 && !*p) {
            m = a;
            y = b;
            d = -1;
        } else if (n2 > 0 && n2 <= 2 && *p == '/') {
            p++;
            if (read_digits(&p, 4, &c) != 4)
                return TC_DATE_NOT_A_DATE;
            d = a;
            m = b;
            y = c;
        } else {
            return TC_DATE_NOT_A_DATE;
        }
    } else {
        return TC_DATE_NOT_A_DATE;
    }
    if (*p)
        return TC_DATE_NOT_A_DATE;
    *year = y;
    *month = m;
    *day = d;
    if (y < 1000)
        return TC_DATE_NO_SUCH_YEAR;
    if (m < 1 || m > 12)
        return TC_DATE_NO_SUCH_MONTH;
    if (d < 0) /* a month: its first or last day */
        *day = d = as_end ? tc_days_in_month(y, m) : 1;
    if (!tc_date_valid(y, m, d))
        return TC_DATE_NO_SUCH_DAY;
    return TC_DATE_OK;
}

int tc_date_read(const char *s, int as_end, int *year, int *month, int *day)
{
    int y, m, d;
    if (tc_date_check(s, as_end, &y, &m, &d) != TC_DATE_OK)
        return -1;
    *year = y;
    *month = m;
    *day = d;
    return 0;
}
