/* support.h — support tickets (DESIGN.md §1, "a person who answers"):
 * students, hosts and preceptors open tickets (a category, an urgency, a
 * subject and a description, optionally about one of their applications);
 * each has a due time for the first response and for resolution (urgent:
 * ROUNDS_TICKET_URGENT_RESPONSE_MINUTES, 120; normal: one business day,
 * ROUNDS_TICKET_NORMAL_RESPONSE_HOURS of Monday-to-Friday time, 24), the
 * queue sorts by due time and shows breaches, and the jobs escalate to all
 * staff by email when a due time passes (once across instances). Safety is
 * always urgent and also emails ROUNDS_ONCALL_EMAIL. Every reply, status
 * change and assignment is an event of the ticket and audited.
 *
 * Who sees a ticket: its requester, the student's coach, its assignee and
 * staff; anyone else gets 404. */
#ifndef ROUNDS_DOMAIN_SUPPORT_H
#define ROUNDS_DOMAIN_SUPPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/errors.h"
#include "store/support.h"

struct support_settings {
    int64_t urgent_response_minutes;  /* 120 */
    int64_t normal_response_hours;    /* 24 business hours: one business day */
    int64_t urgent_resolve_hours;     /* 24 */
    int64_t normal_resolve_hours;     /* 72 business hours: three business days */
    const char *oncall_email;         /* NULL: none */
};
/* The defaults above. */
void support_defaults(struct support_settings *s);
/* Set once before serving (copied). */
void support_configure(const struct support_settings *s);

/* start + seconds counted on Monday-to-Friday time only (UTC); a start on a
 * weekend counts from the next Monday 00:00. Pure. */
int64_t support_add_business_seconds(int64_t start, int64_t seconds);
/* The due times of a ticket opened at now. */
void support_due_times(bool urgent, int64_t now, int64_t *response_due, int64_t *resolve_due);

struct ticket_input {
    const char *category, *urgency, *subject, *body, *application_id; /* application_id may be NULL */
};
/* Opens a ticket: 400 naming a malformed field (control characters, empty),
 * 413 naming subject or body over their limits, 404 for an application the
 * user may not see. The student's coach is told and assigned. */
int ticket_open(struct db_conn *conn, struct arena *arena, const struct store_user *user, const struct ticket_input *in,
                struct store_ticket *out, struct error *err);
/* Inside a transaction: a ticket for a student's check-in (the system opens it
 * as the student, assigned to their coach). */
int ticket_open_for_check_in(struct db_conn *conn, struct arena *arena, const struct store_user *student,
                             const char *application_id, const char *subject, const char *body,
                             struct store_ticket *out);

/* A ticket as the user sees it, with its events (404 when they may not). */
struct ticket_view {
    struct store_ticket ticket;
    struct store_ticket_event *events;
    size_t event_count;
    bool response_breached, resolve_breached;
    bool viewer_supports; /* staff, the coach or the assignee: they answer */
};
int ticket_load(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *id,
                struct ticket_view *out, struct error *err);
/* A reply: the first by someone other than the requester is the first
 * response; a supporter's reply leaves the ticket pending (waiting for the
 * requester), the requester's reopens it. 409 on a resolved ticket. */
int ticket_reply(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *id,
                 const char *body, struct error *err);
/* "resolve" (any viewer), "reopen" (any viewer of a resolved ticket),
 * "assign" (staff; assignee_id a coach or staff member, else 422). */
int ticket_act(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *id,
               const char *action, const char *assignee_id, struct error *err);

/* The queue the user sees: staff every ticket, a coach their students' and
 * their own assignments, anyone else the tickets they opened. */
int ticket_queue(struct db_conn *conn, struct arena *arena, const struct store_user *user, bool include_resolved,
                 struct store_ticket **out, size_t *count, struct error *err);
/* Whether a ticket's due times have passed (now). */
bool ticket_response_breached(const struct store_ticket *t, int64_t now);
bool ticket_resolve_breached(const struct store_ticket *t, int64_t now);

/* Response-time figures over the tickets opened in the last `days` days. */
struct ticket_figures {
    int64_t tickets, responded, within_target;
    int64_t median_seconds, p90_seconds; /* of first responses; -1 when none */
};
int ticket_figures(struct db_conn *conn, struct arena *arena, int64_t days, struct ticket_figures *out);
/* Nearest-rank percentile (0 < pct ≤ 100) of sorted values; -1 when n is 0. Pure. */
int64_t support_percentile(const int64_t *sorted, size_t n, int pct);

/* A required text of at most max characters: 413 naming field with too_long
 * above it, 400 naming field when empty or with control characters. */
int support_check_text(const char *value, const char *field, size_t max, const char *too_long, bool multiline,
                       struct error *err);

/* The jobs: escalates every ticket whose due time passed to all staff by
 * email, once across instances; *escalated is how many emails went out. */
int tickets_escalate(struct db_conn *conn, struct arena *arena, int *escalated);

#endif
