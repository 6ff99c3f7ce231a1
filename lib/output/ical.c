/* Deadlines as an iCalendar (RFC 5545) feed, written by libical so that
 * escaping and line folding follow the standard. */
#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/dates.h"
#include "tracuu.h"

/* A deadline's reminder: 16 hours before the day begins, 8:00 the day
 * before, when an office opens. */
#define REMINDER_HOURS_BEFORE 16

/* The day a deadline falls due: a whole month or year ("2025-12") is due
 * by its last day. */
static int iso_to_date(const char *iso, struct icaltimetype *out)
{
    int y, m, d;
    if (!iso || tc_date_read(iso, 1, &y, &m, &d) < 0)
        return -1;
    *out = icaltime_null_date();
    out->year = y;
    out->month = m;
    out->day = d;
    return 0;
}

static icalcomponent *deadline_event(const tc_doc_t *doc, const tc_deadline_t *deadline,
                                     struct icaltimetype stamp)
{
    struct icaltimetype day, next;
    if (iso_to_date(deadline->date, &day) < 0)
        return NULL;
    next = day;
    icaltime_adjust(&next, 1, 0, 0, 0);

    char *uid = tc_strdup_printf("%s/%s@tracuu", doc->id ? doc->id : "", deadline->date);
    char *number = doc->number || doc->symbol
                       ? tc_strdup_printf("%s%s%s", doc->number ? doc->number : "", doc->symbol ? "/" : "",
                                          doc->symbol ? doc->symbol : "")
                       : strdup("(chưa có số)");
    /* What a calendar shows in one line: the number and what it is about. */
    char *summary = tc_strdup_printf("Hạn: %s — %s", number ? number : "",
                                     doc->subject ? doc->subject : doc->issuer ? doc->issuer : "");
    char *description = tc_strdup_printf("%s\n\n%s\n\nSố: %s\nCơ quan ban hành: %s\nMã văn bản: %s",
                                         doc->subject ? doc->subject : "", deadline->text ? deadline->text : "",
                                         number ? number : "", doc->issuer ? doc->issuer : "",
                                         doc->id ? doc->id : "");
    icalcomponent *event = NULL;
    if (uid && number && summary && description)
        event = icalcomponent_vanew(ICAL_VEVENT_COMPONENT, icalproperty_new_uid(uid), icalproperty_new_dtstamp(stamp),
                                    icalproperty_new_dtstart(day), icalproperty_new_dtend(next),
                                    icalproperty_new_summary(summary), icalproperty_new_description(description),
                                    icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT), (void *)0);
    if (event) {
        /* A reminder the working day before, at the hour offices open. */
        struct icaltriggertype before = icaltriggertype_from_int(-REMINDER_HOURS_BEFORE * 3600);
        icalcomponent *alarm = icalcomponent_vanew(
            ICAL_VALARM_COMPONENT, icalproperty_new_action(ICAL_ACTION_DISPLAY), icalproperty_new_description(summary),
            icalproperty_new_trigger(before), (void *)0);
        if (alarm)
            icalcomponent_add_component(event, alarm);
    }
    free(uid);
    free(number);
    free(summary);
    free(description);
    return event;
}

char *tc_results_to_ical(const tc_results_t *results, const char *from, const char *to)
{
    icalcomponent *calendar = icalcomponent_vanew(
        ICAL_VCALENDAR_COMPONENT, icalproperty_new_version("2.0"),
        icalproperty_new_prodid("-//tracuu//Han van ban//VI"), icalproperty_new_calscale("GREGORIAN"),
        icalproperty_new_method(ICAL_METHOD_PUBLISH), (void *)0);
    if (!calendar)
        return NULL;
    icalproperty *name = icalproperty_new_x("Hạn văn bản");
    icalproperty_set_x_name(name, "X-WR-CALNAME");
    icalcomponent_add_property(calendar, name);

    /* The range as the search read it: "2026-05" or "10/5/2026" too. */
    char first[16] = "", last[16] = "";
    int y, m, d;
    if (from && *from && tc_date_read(from, 0, &y, &m, &d) == 0)
        snprintf(first, sizeof first, "%04d-%02d-%02d", y, m, d);
    if (to && *to && tc_date_read(to, 1, &y, &m, &d) == 0)
        snprintf(last, sizeof last, "%04d-%02d-%02d", y, m, d);
    from = first;
    to = last;
    struct icaltimetype stamp = icaltime_current_time_with_zone(icaltimezone_get_utc_timezone());
    for (size_t i = 0; i < results->n_hits; i++) {
        const tc_doc_t *doc = results->hits[i].doc;
        for (size_t k = 0; k < doc->n_deadlines; k++) {
            struct icaltimetype due;
            char date[16];
            if (iso_to_date(doc->deadlines[k].date, &due) < 0)
                continue;
            snprintf(date, sizeof date, "%04d-%02d-%02d", due.year, due.month, due.day);
            if ((from && *from && strcmp(date, from) < 0) || (to && *to && strcmp(date, to) > 0))
                continue;
            icalcomponent *event = deadline_event(doc, &doc->deadlines[k], stamp);
            if (event)
                icalcomponent_add_component(calendar, event);
        }
    }
    char *text = icalcomponent_as_ical_string_r(calendar);
    char *copy = text ? strdup(text) : NULL;
    icalmemory_free_buffer(text);
    icalcomponent_free(calendar);
    return copy;
}
