/* rotation_calendar.h — the rotation moves by the calendar (DESIGN.md §3),
 * run by the jobs thread of every instance:
 *
 *   cleared → in_progress on the first day;
 *   in_progress → completed once the last day has passed and the preceptor
 *     has confirmed the hours (at least one confirmed day, none waiting);
 *     staff may close a rotation themselves with the `complete` action;
 *   a rotation whose first day comes while it is only booked (not cleared)
 *     does not start: its coach and host are alerted, once;
 *   when the last day has passed, the preceptor is reminded once to confirm
 *     the hours, and the student to log any missing days.
 *
 * Moves are conditional updates and notices are claimed by a primary key, so
 * any number of instances can run this at once without doing anything twice. */
#ifndef ROUNDS_DOMAIN_ROTATION_CALENDAR_H
#define ROUNDS_DOMAIN_ROTATION_CALENDAR_H

#include "lib/arena.h"
#include "store/db.h"

struct rotation_calendar_report {
    int started, completed, not_cleared_alerts, hours_reminders;
};

/* One round: returns DB_OK, or the store's status when the database failed. */
int rotation_calendar_run(struct db_conn *conn, struct arena *arena, struct rotation_calendar_report *report);

#endif
