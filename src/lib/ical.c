/* ical.c — the iCalendar writer; see ical.h. */
#include "lib/ical.h"

#include <string.h>

#include "lib/clock.h"
#include "lib/json_spec.h"

/* Appends one unfolded line's octets, folding before ICAL_LINE_OCTETS:
 * CRLF and a space, never between the bytes of one UTF-8 character. */
static void fold_into(struct buf *b, const char *line, size_t len)
{
    size_t used = 0; /* octets on the current physical line */
    size_t i = 0;
    while (i < len) {
        size_t n = 1;
        unsigned char c = (unsigned char)line[i];
        if (c >= 0xF0)
            n = 4;
        else if (c >= 0xE0)
            n = 3;
        else if (c >= 0xC0)
            n = 2;
        if (i + n > len)
            n = len - i;
        if (used + n > ICAL_LINE_OCTETS) {
            buf_append(b, "\r\n ", 3);
            used = 1;
        }
        buf_append(b, line + i, n);
        used += n;
        i += n;
    }
    buf_append(b, "\r\n", 2);
}

/* TEXT escaping (RFC 5545 §3.3.11); CR dropped, LF as \n, other controls as spaces. */
static void escape_into(struct buf *out, const char *value)
{
    for (const char *p = value; *p != '\0'; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '\\' || c == ';' || c == ',') {
            buf_append_char(out, '\\');
            buf_append_char(out, (char)c);
        } else if (c == '\n') {
            buf_append(out, "\\n", 2);
        } else if (c == '\r') {
            continue;
        } else if (c < 0x20 || c == 0x7F) {
            buf_append_char(out, ' ');
        } else {
            buf_append_char(out, (char)c);
        }
    }
}

void ical_line(struct buf *b, const char *name, const char *value, int text)
{
    struct buf line;
    size_t cap = strlen(name) + 2 + (value != NULL ? strlen(value) * 2 : 0) + 1;
    buf_init(&line, b->arena, cap);
    buf_append_str(&line, name);
    buf_append_char(&line, ':');
    if (value != NULL && text)
        escape_into(&line, value);
    else if (value != NULL)
        buf_append_str(&line, value);
    if (!buf_ok(&line)) {
        b->overflow = true;
        return;
    }
    fold_into(b, line.data, line.len);
}

void ical_begin(struct buf *b, const char *name)
{
    ical_line(b, "BEGIN", "VCALENDAR", 0);
    ical_line(b, "VERSION", "2.0", 0);
    ical_line(b, "PRODID", "-//Rounds//Rotation calendar//EN", 0);
    ical_line(b, "CALSCALE", "GREGORIAN", 0);
    ical_line(b, "METHOD", "PUBLISH", 0);
    ical_line(b, "X-WR-CALNAME", name, 1);
}

void ical_end(struct buf *b)
{
    ical_line(b, "END", "VCALENDAR", 0);
}

/* YYYY-MM-DD → YYYYMMDD; false when it is not such a date. */
static int basic_date(const char *date, char out[9])
{
    if (date == NULL || !json_date_valid(date))
        return 0;
    memcpy(out, date, 4);
    memcpy(out + 4, date + 5, 2);
    memcpy(out + 6, date + 8, 2);
    out[8] = '\0';
    return 1;
}

void ical_all_day_event(struct buf *b, const struct ical_event *e)
{
    char start[9], end[9], after[11], stamp[17];
    if (!basic_date(e->start, start) || !basic_date(e->end, end))
        return;
    clock_date_from_days(clock_days_from_date(e->end) + 1, after);
    if (!basic_date(after, end))
        return;
    int64_t t = e->stamp > 0 ? e->stamp : 0;
    char date[11];
    clock_date_from_days((int32_t)(t / 86400), date);
    int64_t s = t % 86400;
    memcpy(stamp, date, 4);
    memcpy(stamp + 4, date + 5, 2);
    memcpy(stamp + 6, date + 8, 2);
    stamp[8] = 'T';
    stamp[9] = (char)('0' + s / 36000);
    stamp[10] = (char)('0' + s / 3600 % 10);
    stamp[11] = (char)('0' + s % 3600 / 600);
    stamp[12] = (char)('0' + s % 3600 / 60 % 10);
    stamp[13] = (char)('0' + s % 60 / 10);
    stamp[14] = (char)('0' + s % 10);
    stamp[15] = 'Z';
    stamp[16] = '\0';
    ical_line(b, "BEGIN", "VEVENT", 0);
    ical_line(b, "UID", e->uid, 1);
    ical_line(b, "DTSTAMP", stamp, 0);
    ical_line(b, "DTSTART;VALUE=DATE", start, 0);
    ical_line(b, "DTEND;VALUE=DATE", end, 0);
    ical_line(b, "SUMMARY", e->summary, 1);
    if (e->description != NULL && e->description[0] != '\0')
        ical_line(b, "DESCRIPTION", e->description, 1);
    if (e->location != NULL && e->location[0] != '\0')
        ical_line(b, "LOCATION", e->location, 1);
    ical_line(b, "TRANSP", "TRANSPARENT", 0);
    ical_line(b, "END", "VEVENT", 0);
}
