/* schools.h — the store's side of partner schools: their students (the
 * link and its status), invitations by email, settings, and what a school's
 * coordinators read about a linked student. */
#ifndef ROUNDS_STORE_SCHOOLS_H
#define ROUNDS_STORE_SCHOOLS_H

#include "store/store.h"

struct store_school_student {
    const char *organization_id, *student_id, *status, *note;
    int64_t graduation_year; /* 0: unknown */
    int64_t created_at, updated_at;
    /* Joined for reading. */
    const char *student_name, *student_email, *school_name;
    /* Counted for the coordinators' list (0 unless asked for). */
    int64_t applications_active, applications_booked;
};

struct store_school_invitation {
    const char *id, *organization_id, *email, *name, *invited_by;
    int64_t graduation_year, created_at, expires_at, accepted_at;
    int64_t upload_seq, upload_line; /* the school's upload that last sent it, and its line in that file */
    const char *accepted_by, *school_name;
};

/* Inserts or changes the link (status, graduation year when > 0, note). */
int store_school_student_put(struct db_conn *conn, const struct store_school_student *link);
/* Moves the link from status `from` to `to` (DB_OK), DB_DONE when it is not in `from`. */
int store_school_student_move(struct db_conn *conn, const char *organization_id, const char *student_id,
                              const char *from, const char *to, const char *note, int64_t now);
/* DB_ROW / DB_DONE, with the joined names. */
int store_school_student_get(struct db_conn *conn, struct arena *arena, const char *organization_id,
                             const char *student_id, struct store_school_student *out);
/* A school's links with the given status (NULL: all), by student name; with counts of applications. */
int store_school_students_list(struct db_conn *conn, struct arena *arena, const char *organization_id,
                               const char *status, struct store_school_student **out, size_t *count);
/* A student's links (any status), newest first. */
int store_student_schools(struct db_conn *conn, struct arena *arena, const char *student_id,
                          struct store_school_student **out, size_t *count);

/* Inserts the invitation, or for the same school and email refreshes name,
 * year, token, inviter and expiry (and clears an acceptance). */
int store_school_invitation_put(struct db_conn *conn, const struct store_school_invitation *inv, const char *token_hash);
/* The number the school's next upload takes (1 for its first); under
 * store_school_lock. */
int store_school_invitation_next_upload(struct db_conn *conn, const char *school_id, int64_t *upload_seq);
/* Locks the school's row until the transaction ends (uploads of one school
 * counted one after the other); DB_DONE when there is no such organisation. */
int store_school_lock(struct db_conn *conn, const char *school_id);
/* The invitation emails the school's uploads sent since `since`, and when the
 * oldest of those uploads was (0 when none). */
int store_school_invites_since(struct db_conn *conn, const char *school_id, int64_t since, int64_t *invited,
                               int64_t *first_at);
/* Records an upload that sent `invited` emails (at least one). */
int store_school_invite_batch_add(struct db_conn *conn, const char *id, const char *school_id, int64_t invited,
                                  int64_t now);
int store_school_invitation_by_token(struct db_conn *conn, struct arena *arena, const char *token_hash,
                                     struct store_school_invitation *out);
int store_school_invitation_accept(struct db_conn *conn, const char *id, const char *user_id, int64_t now);
/* A school's invitations not yet accepted, the newest upload first and each
 * upload in the order of its lines (at most limit). */
int store_school_invitations_pending(struct db_conn *conn, struct arena *arena, const char *organization_id,
                                     int limit, struct store_school_invitation **out, size_t *count);
/* The same a page at a time: those after `after` (its id, upload_seq and
 * upload_line), or from the first when after is NULL; at most limit. */
int store_school_invitations_page(struct db_conn *conn, struct arena *arena, const char *organization_id,
                                  const struct store_school_invitation *after, int limit,
                                  struct store_school_invitation **out, size_t *count);

/* Invitations held for an address whose account has not confirmed it
 * (school, address, name, year, who uploaded it, when, and where in which
 * upload), in a struct store_school_invitation without token or expiry. */
/* Inserts the hold, or for the same school and address refreshes it (its id kept). */
int store_school_hold_put(struct db_conn *conn, const struct store_school_invitation *hold);
/* The holds for an address (lower-cased), the oldest first, with the school's name. */
int store_school_holds_of_email(struct db_conn *conn, struct arena *arena, const char *email,
                                struct store_school_invitation **out, size_t *count);
/* A school's holds, the newest upload first and each in the order of its
 * lines: those after `after` (its id, upload_seq and upload_line), or from
 * the first when after is NULL; at most limit. */
int store_school_holds_page(struct db_conn *conn, struct arena *arena, const char *organization_id,
                            const struct store_school_invitation *after, int limit,
                            struct store_school_invitation **out, size_t *count);
int store_school_hold_delete(struct db_conn *conn, const char *organization_id, const char *email);

/* Schools (organisations of kind school) by name, for students choosing one. */
int store_schools_list(struct db_conn *conn, struct arena *arena, struct store_organization **out, size_t *count);
/* Whether the school asks for home approval (false when it never said). */
int store_school_home_approval(struct db_conn *conn, const char *organization_id, bool *required);
int store_school_set_home_approval(struct db_conn *conn, const char *organization_id, bool required, int64_t now);

#endif
