/* applications.h — the application / booking state machine (DESIGN.md §3):
 * one table of (from, action, to, who may take it); every other move is
 * refused. Seats are taken on entering a seat-taking state and freed on
 * leaving one, in the same transaction as the status change. Each move is
 * recorded in the application's history and the audit trail, and tells the
 * people who must act next (in the app and by email through the outbox). */
#ifndef ROUNDS_DOMAIN_APPLICATIONS_H
#define ROUNDS_DOMAIN_APPLICATIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/vocabulary.h"
#include "lib/arena.h"
#include "domain/refunds.h"
#include "lib/errors.h"
#include "store/applications.h"

/* The actions a client may ask for (POST /applications/{id}/{action}). */
extern const char *const application_actions[];

/* The application's status (its text as stored, parsed). */
enum application_status application_status_of(const struct store_application *a);
/* Held, booked, cleared, in progress and completed take a seat of the block. */
bool application_status_takes_seat(enum application_status status);
/* Waiting for (or refused by) the student's school: hidden from the host (home approval). */
bool application_awaits_school(const struct store_application *a);
/* Whether the user decides for the student's school on this application (its
 * coordinators, staff) while it waits for that decision. */
bool application_school_side(const struct store_application *a, const struct store_user *user);
/* Held, booked, cleared and in progress: a rotation that is on. */
bool application_status_is_active(enum application_status status);
/* Draft, submitted, waiting for the school, under review and offered: the
 * student has not accepted a seat yet (what booking takes still lies ahead). */
bool application_status_before_acceptance(enum application_status status);
/* True when the action exists at all (for 404 vs 409). */
bool application_action_known(const char *action);
/* What the viewer can do next, as a sentence, or NULL. */
const char *application_next_step(const struct store_application *a, bool viewer_is_student);

/* The calendar's rule for an action on an application with these dates
 * (YYYY-MM-DD) and today: `start` and `no_show` from the first day, `complete`
 * after the last day. ERR_NONE when the dates allow it, else
 * ERR_ROTATION_NOT_STARTED / ERR_ROTATION_NOT_ENDED. */
enum error_code application_date_rule(const char *action, const char *start, const char *end, const char *today);
/* Whether staff may override the calendar's rule for action (start, complete). */
bool application_date_overridable(const char *action);

/* Whether user may take action now, on the student's side (as_student) or
 * the host's side (host, preceptor, staff) — from the transition table. */
bool application_may(const struct store_application *a, const struct store_user *user, const char *action,
                     bool as_student);

/* Whether user may see the application (its student, its host's
 * coordinators, its preceptor, the student's coach, staff). */
bool application_visible_to(const struct store_application *a, const struct store_user *user);
/* Whether user acts for the host on it (its host's coordinators, its
 * preceptor, staff). */
bool application_host_side(const struct store_application *a, const struct store_user *user);

/* Loads the application user may see (application_visible_to): 0 with *out;
 * -1 with err 404 not_found when it does not exist (or id is NULL) or is not
 * theirs to see, or 503 unavailable. Seeing another's is written to the audit
 * trail as "forbidden", with purpose naming what was asked ("read"). */
int application_get_visible(struct db_conn *conn, struct arena *arena, const char *id, const struct store_user *user,
                            const char *purpose, struct store_application *out, struct error *err);

/* Every problem of an application's fields as typed: block_id (required),
 * then statement (optional text, at most STATEMENT_MAX_CHARS); each a 400
 * naming its field. */
enum { APPLICATION_FORM_FIELDS = 2 };
size_t application_form_problems(const char *block_id, const char *statement, struct error *errors, size_t capacity);

/* Submits an application for a block after the checks (422 naming what is
 * wrong), attaching the student's wallet documents in the same transaction
 * (422 naming document_ids when one is not a current document of theirs;
 * NULL, 0 for none). On success out is the new application. */
int application_submit(struct db_conn *conn, struct arena *arena, const struct store_user *student,
                       const char *block_id, const char *statement, const char *const *document_ids,
                       size_t document_count, struct store_application *out, struct error *err);

/* Takes action on the application as user (NULL user = the system, for
 * expiry). 404 when the user may not see it, 409 invalid_transition /
 * block_full / hold_expired otherwise refused; `clear` is refused with 409
 * not_compliant (naming the first requirement not met) until every
 * onboarding requirement is ok (domain/documents.h). On success out is the
 * application after the move. */
int application_transition(struct db_conn *conn, struct arena *arena, const char *application_id,
                           const char *action, const struct store_user *user, const char *note,
                           struct store_application *out, struct error *err);
/* The same, where staff may override the calendar (start before the first
 * day, complete before the last day has passed) with a reason, kept in the
 * history and the audit trail: 400 validation_failed naming override_reason
 * when it is empty or the action has no date rule, 403 forbidden when the
 * user is not staff. override_reason NULL: no override (409
 * rotation_not_started / rotation_not_ended when the dates refuse it). */
int application_transition_override(struct db_conn *conn, struct arena *arena, const char *application_id,
                                    const char *action, const struct store_user *user, const char *note,
                                    const char *override_reason, struct store_application *out, struct error *err);

/* application_transition for a cancellation whose refund cause is given:
 * staff name cannot_happen or visa_refused (domain/refunds.h); otherwise the
 * student's own cancellation is the student's, the host side's the host's. */
int application_cancel_or_move(struct db_conn *conn, struct arena *arena, const char *application_id,
                               const char *action, const struct store_user *user, const char *note,
                               enum refund_cause cause, struct store_application *out, struct error *err);
/* Both: a cancellation's refund cause and a staff override of the calendar. */
int application_move(struct db_conn *conn, struct arena *arena, const char *application_id, const char *action,
                     const struct store_user *user, const char *note, enum refund_cause cause,
                     const char *override_reason, struct store_application *out, struct error *err);
/* The move inside the caller's transaction (a payment that books a held seat):
 * a db_status; DB_CONSTRAINT with err set when the move is refused. */
int application_transition_in_tx(struct db_conn *conn, struct arena *arena, const char *application_id,
                                 const char *action, const struct store_user *user, const char *note,
                                 struct store_application *out, struct error *err);

/* Tells the host's coordinators and the preceptor (in the app and by email). */
void application_notify_host(struct db_conn *conn, struct arena *arena, const struct store_application *a,
                             const char *kind, const char *title, const char *link, int64_t now);

/* Expires offers and holds whose time has passed (the sweeper); returns how
 * many moved. Safe to run in several instances at once. */
int application_expire_due(struct db_conn *conn, struct arena *arena, int *moved);

#endif
