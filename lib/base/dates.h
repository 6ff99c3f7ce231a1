/* Calendar arithmetic on plain y/m/d triples (proleptic Gregorian). */
#ifndef TC_DATES_H
#define TC_DATES_H

int tc_days_in_month(int year, int month);
/* Non-zero when y-m-d is a real day (year 1000..9999). */
int tc_date_valid(int year, int month, int day);
/* What is wrong with a date a user typed (0: nothing). */
typedef enum {
    TC_DATE_OK = 0,
    TC_DATE_NOT_A_DATE,    /* not one of the forms below */
    TC_DATE_NO_SUCH_YEAR,  /* before 1000 */
    TC_DATE_NO_SUCH_MONTH, /* *month is not 1..12 */
    TC_DATE_NO_SUCH_DAY,   /* *day is not in *month of *year */
} tc_date_problem_t;

/* Reads a date a user typed: "2026-05-10", "2026-05", "2026", and day
 * first as Vietnamese write it, "10/5/2026", "10/05/2026", "5/2026".
 * A partial date stands for its first day, or its last day when `as_end`.
 * Only ASCII digits count (no sign, no space).  On a problem other than
 * TC_DATE_NOT_A_DATE, *year, *month and *day hold what was read, for the
 * message. */
tc_date_problem_t tc_date_check(const char *s, int as_end, int *year, int *month, int *day);
/* The same, 0 for a date, -1 for anything else (*year, *month and *day
 * then untouched). */
int tc_date_read(const char *s, int as_end, int *year, int *month, int *day);

#endif
