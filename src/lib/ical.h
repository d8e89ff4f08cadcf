/* ical.h — writing iCalendar (RFC 5545) into a capped buffer: a VCALENDAR
 * of all-day VEVENTs, each with a stable UID and a DTSTAMP; TEXT values
 * escaped (backslash, semicolon, comma, line breaks as \n) and every content
 * line folded at 75 octets (never inside a UTF-8 sequence), lines ending in
 * CRLF. The one writer of the calendar feed. */
#ifndef ROUNDS_LIB_ICAL_H
#define ROUNDS_LIB_ICAL_H

#include <stdint.h>

#include "lib/buf.h"

/* Octets of a content line before it is folded (RFC 5545 §3.1). */
#define ICAL_LINE_OCTETS 75

/* BEGIN:VCALENDAR with VERSION, PRODID and the calendar's name (X-WR-CALNAME). */
void ical_begin(struct buf *b, const char *name);
void ical_end(struct buf *b);

/* One all-day event from start to end (YYYY-MM-DD, both included: DTEND is
 * the day after end). uid must be stable across changes of the event;
 * stamp is the instant written as DTSTAMP; description and location may be
 * NULL. Dates that are not YYYY-MM-DD write no event. */
struct ical_event {
    const char *uid, *summary, *description, *location, *start, *end;
    int64_t stamp;
};
void ical_all_day_event(struct buf *b, const struct ical_event *e);

/* One content line "NAME:value" (value escaped as TEXT when text is true),
 * folded and ended with CRLF. */
void ical_line(struct buf *b, const char *name, const char *value, int text);

#endif
