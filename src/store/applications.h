/* applications.h — the store's side of applications, their history, seats,
 * idempotency keys, notifications, the email outbox and the audit trail. */
#ifndef ROUNDS_STORE_APPLICATIONS_H
#define ROUNDS_STORE_APPLICATIONS_H

#include "domain/vocabulary.h"
#include "store/store.h"

struct store_application {
    const char *id, *student_id, *block_id, *offering_id, *organization_id, *status, *statement;
    int64_t offer_expires_at, hold_expires_at; /* 0 when unset */
    int64_t created_at, updated_at;
    bool seat_reserved;         /* offered by a match round: its seat is kept until accepted or lapsed */
    const char *match_round_id; /* the round that placed it, or NULL */
    const char *home_school_id; /* the school that must release it to the host (home approval), or NULL */
    /* Joined for reading. */
    const char *student_name, *student_email, *offering_title, *host_name, *preceptor_user_id, *preceptor_name;
    const char *block_start, *block_end;
    int64_t offer_expiry_days, hold_expiry_days;
    const char *coach_id, *coach_name; /* the student's coach, or NULL */
};

struct store_application_event {
    const char *action, *from_status, *to_status, *actor_id, *actor_role, *note, *actor_name;
    int64_t at;
};

struct store_application_filter {
    const char *student_id;        /* the student's own */
    const char *organization_ids;  /* comma-separated host organisations (coordinators) */
    const char *preceptor_user_id; /* offerings the user precepts */
    const char *coach_user_id;     /* the students the user coaches */
    bool all;                      /* staff */
    const char *home_school_id;    /* applications waiting for (or refused by) this school's approval */
    const char *status, *offering_id, *block_id;
    const char *after_id;          /* cursor: applications are listed newest id first */
    int limit;
};

int store_application_insert(struct db_conn *conn, const struct store_application *a);
/* DB_ROW with the joined fields, or DB_DONE. */
int store_application_get(struct db_conn *conn, struct arena *arena, const char *id, struct store_application *out);
int store_applications_list(struct db_conn *conn, struct arena *arena, const struct store_application_filter *f,
                            struct store_application **out, size_t *count);
/* Moves from `from` to `to` only if the status is still `from` (DB_OK), else
 * DB_DONE: someone else moved it first. Sets the expiry columns as given (0 = NULL). */
int store_application_move(struct db_conn *conn, const char *id, const char *from, const char *to,
                           int64_t offer_expires_at, int64_t hold_expires_at, int64_t now);
int store_application_event_add(struct db_conn *conn, const char *application_id, const char *action,
                                const char *from, const char *to, const char *actor_id, const char *actor_role,
                                const char *note, int64_t now);
int store_application_events(struct db_conn *conn, struct arena *arena, const char *application_id,
                             struct store_application_event **out, size_t *count);
/* The student's applications whose status is one of `statuses`
 * (comma-separated) and, when ending_from is not NULL, whose block ends on or
 * after it; newest first, at most 200, with the joined fields. */
int store_student_applications(struct db_conn *conn, struct arena *arena, const char *student_id,
                               const char *statuses, const char *ending_from, struct store_application **out,
                               size_t *count);
/* The student's applications in seat-taking states whose block overlaps [start, end]. */
int store_student_booked_overlap(struct db_conn *conn, const char *student_id, const char *start, const char *end,
                                 bool *overlaps);
/* Whether the student has an active application for the block. */
int store_student_active_on_block(struct db_conn *conn, const char *student_id, const char *block_id, bool *active);
/* Ids of applications whose offer (or hold) expired before now, at most limit. */
int store_applications_expired(struct db_conn *conn, struct arena *arena, int64_t now, int limit, const char ***ids,
                               size_t *count);

/* Members of an organisation with a role (to notify host coordinators). */
struct store_member {
    const char *user_id, *email, *name;
};
int store_organization_members(struct db_conn *conn, struct arena *arena, const char *organization_id,
                               const char *role, struct store_member **out, size_t *count);

/* Seats: take one only if one is free — neither taken nor reserved by a
 * match round — (DB_OK), else DB_DONE (the block is full). */
int store_block_take_seat(struct db_conn *conn, const char *block_id);
int store_block_free_seat(struct db_conn *conn, const char *block_id);
/* Clears an application's kept seat (DB_OK), DB_DONE when it kept none. */
int store_application_release_reservation(struct db_conn *conn, const char *id);
int store_offering_expiry_days(struct db_conn *conn, const char *offering_id, int64_t *offer_days,
                               int64_t *hold_days);

/* Idempotency keys. Claim inserts an in-progress row (DB_OK), or finds the
 * key used before (DB_CONSTRAINT: *stored filled; status 0 = still running). */
struct store_idempotent_reply {
    const char *request_hash, *body;
    int64_t status;
};
int store_idempotency_claim(struct db_conn *conn, struct arena *arena, const char *user_id, const char *key,
                            const char *request_hash, int64_t now, struct store_idempotent_reply *stored);
int store_idempotency_finish(struct db_conn *conn, const char *user_id, const char *key, int status,
                             const char *body);
int store_idempotency_forget(struct db_conn *conn, const char *user_id, const char *key);
int store_idempotency_prune(struct db_conn *conn, int64_t before);

/* Notifications in the app. */
struct store_notification {
    const char *id, *kind, *title, *link;
    int64_t created_at, read_at;
    int64_t notice_count; /* the notices it stands for (1, or more once grouped) */
};
/* Adds one more notice to the user's newest unread notification of kind
 * created after since: it takes the new title and link and moves to now.
 * DB_OK when grouped, DB_DONE when there is none to join. */
int store_notification_group(struct db_conn *conn, const char *user_id, const char *kind, const char *title,
                             const char *link, int64_t since, int64_t now);
/* One of the user's notifications: DB_ROW, or DB_DONE when it is not theirs. */
int store_notification_get(struct db_conn *conn, struct arena *arena, const char *user_id, const char *id,
                           struct store_notification *out);
/* Marks every unread notification of the user read; *marked: how many. */
int store_notifications_read_all(struct db_conn *conn, const char *user_id, int64_t now, int64_t *marked);
int store_notification_add(struct db_conn *conn, const char *id, const char *user_id, const char *kind,
                           const char *title, const char *link, int64_t now);
int store_notifications_list(struct db_conn *conn, struct arena *arena, const char *user_id, int limit,
                             struct store_notification **out, size_t *count, int64_t *unread);
/* The user's notifications newest first, a page at a time: those before
 * (before_created, before_id), or from the newest when before_id is NULL; at most limit. */
int store_notifications_page(struct db_conn *conn, struct arena *arena, const char *user_id, int64_t before_created,
                             const char *before_id, int limit, struct store_notification **out, size_t *count);
/* How many of the user's notifications are unread (for the pages' header). */
int store_notifications_unread(struct db_conn *conn, const char *user_id, int64_t *unread);
/* DB_OK, or DB_DONE when it is not the user's notification. */
int store_notification_read(struct db_conn *conn, const char *user_id, const char *id, int64_t now);

/* The email outbox. */
/* An email waits in the outbox with its address and body until it is
 * delivered or finally fails; then both are cleared and only what the audit
 * needs stays: the kind, the subject, a hash of the address, the times and
 * the outcome. Live invitation links (tokens) are only ever in a body
 * waiting to be sent. */
struct store_mail {
    const char *id, *to_address, *subject, *body;
    int64_t attempts;
};
int store_outbox_add(struct db_conn *conn, const char *id, const char *to, const char *kind, const char *subject,
                     const char *body, int64_t now);
/* Claims one due mail for lease_seconds (DB_ROW), or DB_DONE when none is due. */
int store_outbox_claim(struct db_conn *conn, struct arena *arena, int64_t now, int64_t lease_seconds,
                       struct store_mail *out);
/* Delivered: the body and the address are cleared, to_hash kept. */
int store_outbox_sent(struct db_conn *conn, const char *id, const char *to_hash, int64_t now);
/* Not delivered this time: tried again at next_attempt_at. */
int store_outbox_failed(struct db_conn *conn, const char *id, int64_t next_attempt_at, const char *error);
/* Finally failed (no more attempts): cleared like a delivered mail. */
int store_outbox_gave_up(struct db_conn *conn, const char *id, const char *to_hash, const char *error, int64_t now);
/* Delivered or failed mail that still has its address (written before
 * addresses were cleared): at most limit, to clear with
 * store_outbox_scrub(). */
int store_outbox_unscrubbed(struct db_conn *conn, struct arena *arena, int limit, struct store_mail **out,
                            size_t *count);
int store_outbox_scrub(struct db_conn *conn, const char *id, const char *to_hash);

/* The audit trail (append-only). */
struct store_audit_event {
    int64_t id, at;
    const char *actor_id, *action, *object_type, *object_id, *detail;
};
/* Writes one event; the action and the object's kind are stored by their
 * names in domain/vocabulary.h (AUDIT_ACTION_TABLE, AUDIT_OBJECT_TABLE), the
 * only place they are spelt. DB_ERROR, written nowhere, for a value outside
 * the tables. */
int store_audit_add(struct db_conn *conn, const char *actor_id, enum audit_action action, enum audit_object object,
                    const char *object_id, const char *detail, int64_t now);
/* The events of a statement selecting id, at, actor_id, action, object_type,
 * object_id, detail, into the arena (the statement stepped and reset). */
int store_audit_read_events(struct db_stmt *st, struct arena *arena, struct store_audit_event **out, size_t *count);
/* Newest first; before_id 0 = from the newest. action/actor_id NULL = any. */
int store_audit_list(struct db_conn *conn, struct arena *arena, const char *action, const char *actor_id,
                     int64_t before_id, int limit, struct store_audit_event **out, size_t *count);

#endif
