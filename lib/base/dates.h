/* Calendar arithmetic on plain y/m/d triples (proleptic Gregorian). */
#ifndef TC_DATES_H
#define TC_DATES_H

int tc_days_in_month(int year, int month);
/* Non-zero when y-m-d is a real day (year 1000..9999). */
int tc_date_valid(int year, int month, int day);
/* Reads a date a user typed: "2026-05-10", "2026-05", "2026", "10/5/2026".
 * A partial date stands for its first day, or its last day when `as_end`.
 * Returns 0 on success, -1 when s is not a date. */
int tc_date_read(const char *s, int as_end, int *year, int *month, int *day);

#endif
