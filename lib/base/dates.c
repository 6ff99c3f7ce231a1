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

int tc_date_read(const char *s, int as_end, int *year, int *month, int *day)
{
    int y = 0, m = 0, d = 0, used = 0;
    size_t len = strlen(s);
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &used) == 3 && (size_t)used == len) {
    } else if (sscanf(s, "%2d/%2d/%4d%n", &d, &m, &y, &used) == 3 && (size_t)used == len) {
    } else if (sscanf(s, "%4d-%2d%n", &y, &m, &used) == 2 && (size_t)used == len) {
        d = as_end ? tc_days_in_month(y, m) : 1;
    } else if (len == 4 && sscanf(s, "%4d%n", &y, &used) == 1 && used == 4) {
        m = as_end ? 12 : 1;
        d = as_end ? 31 : 1;
    } else {
        return -1;
    }
    if (!tc_date_valid(y, m, d))
        return -1;
    *year = y;
    *month = m;
    *day = d;
    return 0;
}
