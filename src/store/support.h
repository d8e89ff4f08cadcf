/* support.h — the store's side of support during the rotation: weekly
 * check-ins and support tickets (with their events, due times and the
 * escalations claimed once across instances). */
#ifndef ROUNDS_STORE_SUPPORT_H
#define ROUNDS_STORE_SUPPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* ---- check-ins ---- */

struct store_check_in {
    const char *id, *application_id, *student_id, *week_start, *activities, *ticket_id;
    int64_t score, created_at;
    bool needs_help;
};
/* DB_CONSTRAINT when the rotation has a check-in for that week already. */
int store_check_in_insert(struct db_conn *conn, const struct store_check_in *c);
int store_check_in_set_ticket(struct db_conn *conn, const char *id, const char *ticket_id);
/* A rotation's check-ins, newest week first. */
int store_check_ins_of_application(struct db_conn *conn, struct arena *arena, const char *application_id,
                                   struct store_check_in **out, size_t *count);

/* ---- tickets ---- */

struct store_ticket {
    const char *id, *requester_id, *requester_name, *student_id, *application_id;
    const char *category, *urgency, *subject, *body, *status, *assignee_id, *assignee_name;
    int64_t response_due_at, resolve_due_at; /* instants */
    int64_t first_response_at, resolved_at, response_escalated_at, resolve_escalated_at; /* 0: not yet */
    int64_t created_at, updated_at;
};
struct store_ticket_event {
    const char *id, *ticket_id, *actor_id, *actor_name, *kind, *body;
    int64_t created_at;
};

int store_ticket_insert(struct db_conn *conn, const struct store_ticket *t);
/* DB_ROW / DB_DONE. */
int store_ticket_get(struct db_conn *conn, struct arena *arena, const char *id, struct store_ticket *out);
/* id: sortable by time (crypto_sortable_id); actor_id NULL: the system. */
int store_ticket_event_add(struct db_conn *conn, const char *id, const char *ticket_id, const char *actor_id,
                           const char *kind, const char *body, int64_t now);
/* A ticket's events, oldest first. */
int store_ticket_events(struct db_conn *conn, struct arena *arena, const char *ticket_id,
                        struct store_ticket_event **out, size_t *count);
/* Records the first response (only the first counts). */
int store_ticket_first_response(struct db_conn *conn, const char *id, int64_t now);
/* Moves the status only from `from`: DB_OK, or DB_DONE when it moved meanwhile. */
int store_ticket_set_status(struct db_conn *conn, const char *id, const char *from, const char *to, int64_t now);
int store_ticket_assign(struct db_conn *conn, const char *id, const char *assignee_id, int64_t now);

/* Whose tickets a queue holds. */
enum store_ticket_scope {
    TICKETS_ALL,       /* staff */
    TICKETS_COACH,     /* the coach's students' tickets and those assigned to them */
    TICKETS_REQUESTER, /* the tickets the user opened */
};
/* The queue, by the next due time (first response while none, then
 * resolution); resolved tickets only when include_resolved. */
int store_tickets_queue(struct db_conn *conn, struct arena *arena, enum store_ticket_scope scope, const char *user_id,
                        bool include_resolved, int limit, struct store_ticket **out, size_t *count);

/* Which due time an escalation is about. */
enum store_ticket_due { TICKET_DUE_RESPONSE, TICKET_DUE_RESOLVE };
/* Ids of tickets whose due time has passed without an escalation yet. */
int store_tickets_overdue(struct db_conn *conn, struct arena *arena, enum store_ticket_due which, int64_t now,
                          int limit, const char ***ids, size_t *count);
/* Claims the escalation: DB_OK when this call did (send it), DB_DONE when any instance did before. */
int store_ticket_claim_escalation(struct db_conn *conn, const char *id, enum store_ticket_due which, int64_t now);

/* For response-time figures: each ticket created since `since`. */
struct store_ticket_timing {
    int64_t created_at, first_response_at, response_due_at; /* first_response_at 0: none yet */
};
int store_ticket_timings(struct db_conn *conn, struct arena *arena, int64_t since, struct store_ticket_timing **out,
                         size_t *count);

/* Every user with a role (escalations go to all staff). */
struct store_person {
    const char *id, *name, *email;
};
int store_users_with_role(struct db_conn *conn, struct arena *arena, const char *role, struct store_person **out,
                          size_t *count);

/* ---- the coach's dashboard ---- */

/* Per student of the coach: open tickets and the latest check-in. */
struct store_student_support {
    const char *student_id;
    int64_t open_tickets;
    int64_t last_check_in_at, last_score; /* 0: none */
    bool last_help;
};
int store_coach_support(struct db_conn *conn, struct arena *arena, const char *coach_id,
                        struct store_student_support **out, size_t *count);

#endif
