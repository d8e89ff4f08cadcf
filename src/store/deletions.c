/* deletions.c — account deletion requests and the erasure's statements; see
 * deletions.h. */
#include "store/deletions.h"

#include <string.h>

#include "store/util.h"

#define DELETION_SELECT                                                                                                \
    "SELECT r.id, r.user_id, r.state, r.completed_by, r.requested_at, r.due_at, COALESCE(r.cancelled_at, 0),"          \
    " COALESCE(r.completed_at, 0), u.name, u.email FROM deletion_requests r JOIN users u ON u.id = r.user_id "

static void read_request(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_deletion_request *r = item;
    r->id = store_column_dup(arena, st, 0);
    r->user_id = store_column_dup(arena, st, 1);
    r->state = store_column_dup(arena, st, 2);
    r->completed_by = store_column_dup(arena, st, 3);
    r->requested_at = db_column_int(st, 4);
    r->due_at = db_column_int(st, 5);
    r->cancelled_at = db_column_int(st, 6);
    r->completed_at = db_column_int(st, 7);
    r->user_name = store_column_dup(arena, st, 8);
    r->user_email = store_column_dup(arena, st, 9);
}

static int read_one(struct arena *arena, struct db_stmt *st, struct store_deletion_request *out)
{
    int rc = db_step(st);
    if (rc == DB_ROW) {
        read_request(arena, st, out);
        if (out->id == NULL || out->user_email == NULL)
            rc = DB_ERROR;
    }
    db_reset(st);
    return rc;
}

static int read_many(struct arena *arena, struct db_stmt *st, struct store_deletion_request **out, size_t *count)
{
    return store_read_rows(arena, st, read_request, sizeof(**out), (void **)out, count);
}

int store_deletion_request_insert(struct db_conn *conn, const struct store_deletion_request *r)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO deletion_requests (id, user_id, state, requested_at, due_at)"
                                          " VALUES ($1, $2, 'pending', $3, $4)");
    db_bind_text(st, 1, r->id);
    db_bind_text(st, 2, r->user_id);
    db_bind_int(st, 3, r->requested_at);
    db_bind_int(st, 4, r->due_at);
    return store_run(st);
}

int store_deletion_request_get(struct db_conn *conn, struct arena *arena, const char *id,
                               struct store_deletion_request *out)
{
    struct db_stmt *st = db_prepare(conn, DELETION_SELECT "WHERE r.id = $1");
    db_bind_text(st, 1, id);
    return read_one(arena, st, out);
}

int store_deletion_request_latest(struct db_conn *conn, struct arena *arena, const char *user_id,
                                  struct store_deletion_request *out)
{
    struct db_stmt *st = db_prepare(conn, DELETION_SELECT "WHERE r.user_id = $1 ORDER BY r.requested_at DESC, r.id DESC"
                                                          " LIMIT 1");
    db_bind_text(st, 1, user_id);
    return read_one(arena, st, out);
}

int store_deletion_request_cancel(struct db_conn *conn, const char *user_id, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE deletion_requests SET state = 'cancelled', cancelled_at = $2"
                                          " WHERE user_id = $1 AND state = 'pending'");
    db_bind_text(st, 1, user_id);
    db_bind_int(st, 2, now);
    return store_change_any(st);
}

int store_deletion_request_complete(struct db_conn *conn, const char *id, const char *completed_by, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE deletion_requests SET state = 'completed', completed_at = $2,"
                                          " completed_by = $3 WHERE id = $1 AND state = 'pending'");
    db_bind_text(st, 1, id);
    db_bind_int(st, 2, now);
    db_bind_text(st, 3, completed_by);
    return store_change_any(st);
}

int store_deletion_requests_list(struct db_conn *conn, struct arena *arena, const char *state, int limit,
                                 struct store_deletion_request **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, DELETION_SELECT "WHERE r.state = $1 ORDER BY"
                                                          " CASE WHEN r.state = 'pending' THEN r.due_at ELSE -r.requested_at END,"
                                                          " r.id LIMIT $2");
    db_bind_text(st, 1, state);
    db_bind_int(st, 2, limit);
    return read_many(arena, st, out, count);
}

int store_deletion_requests_page(struct db_conn *conn, struct arena *arena, const char *state, int64_t after_key,
                                 const char *after_id, int limit, struct store_deletion_request **out, size_t *count)
{
    struct db_stmt *st = db_prepare(
        conn, DELETION_SELECT "WHERE r.state = $1 AND (CAST($2 AS TEXT) IS NULL"
                              " OR CASE WHEN r.state = 'pending' THEN r.due_at ELSE -r.requested_at END > $3"
                              " OR (CASE WHEN r.state = 'pending' THEN r.due_at ELSE -r.requested_at END = $3"
                              " AND r.id > $2))"
                              " ORDER BY CASE WHEN r.state = 'pending' THEN r.due_at ELSE -r.requested_at END,"
                              " r.id LIMIT $4");
    db_bind_text(st, 1, state);
    db_bind_text(st, 2, after_id);
    db_bind_int(st, 3, after_key);
    db_bind_int(st, 4, limit);
    return read_many(arena, st, out, count);
}

int store_deletion_requests_due(struct db_conn *conn, struct arena *arena, int64_t now, int limit,
                                struct store_deletion_request **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, DELETION_SELECT "WHERE r.state = 'pending' AND r.due_at <= $1"
                                                          " ORDER BY r.due_at, r.id LIMIT $2");
    db_bind_int(st, 1, now);
    db_bind_int(st, 2, limit);
    return read_many(arena, st, out, count);
}

int store_deletion_obstacles(struct db_conn *conn, const char *user_id, struct store_deletion_obstacles *out)
{
    struct db_stmt *st = db_prepare(
        conn, "SELECT (SELECT COUNT(*) FROM applications WHERE student_id = $1"
              " AND status IN ('held', 'booked', 'cleared', 'in_progress')),"
              " (SELECT COUNT(*) FROM refunds f JOIN applications a ON a.id = f.application_id"
              " WHERE a.student_id = $1 AND f.status = 'owed'),"
              " (SELECT COUNT(*) FROM checkouts c JOIN applications a ON a.id = c.application_id"
              " WHERE a.student_id = $1 AND c.status = 'open')");
    db_bind_text(st, 1, user_id);
    int rc = db_step(st);
    memset(out, 0, sizeof(*out));
    if (rc == DB_ROW) {
        out->seats = db_column_int(st, 0);
        out->refunds_owed = db_column_int(st, 1);
        out->checkouts_open = db_column_int(st, 2);
    }
    db_reset(st);
    return rc == DB_ROW ? DB_OK : rc;
}

int store_erasure_blobs(struct db_conn *conn, struct arena *arena, const char *user_id, const char ***out,
                        size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT blob FROM documents WHERE student_id = $1"
                                          " UNION SELECT f.blob FROM letter_files f JOIN letters l ON l.id = f.letter_id"
                                          " WHERE l.student_id = $1");
    db_bind_text(st, 1, user_id);
    int rc = store_read_ids(arena, st, out, count);
    for (size_t i = 0; rc == DB_OK && i < *count; i++) {
        if ((*out)[i] == NULL) /* out of memory: the column is NOT NULL */
            rc = DB_ERROR;
    }
    return rc;
}

/* The erasure's statements that take the user's id ($1) and, when with_now,
 * the time ($2). Order matters where a row refers to another. */
struct erase_step {
    const char *sql;
    bool with_now;
};

static const struct erase_step erase_steps[] = {
    /* signing in, in every form */
    {"DELETE FROM sessions WHERE user_id = $1", false},
    {"DELETE FROM login_challenges WHERE user_id = $1", false},
    {"DELETE FROM two_factor WHERE user_id = $1", false},
    {"DELETE FROM recovery_codes WHERE user_id = $1", false},
    {"DELETE FROM password_resets WHERE user_id = $1", false},
    {"DELETE FROM email_confirmations WHERE user_id = $1", false},
    {"DELETE FROM calendar_feeds WHERE user_id = $1", false},
    {"DELETE FROM memberships WHERE user_id = $1", false},
    /* documents: the rows stay (applications list them), marked erased; the files go after commit */
    {"UPDATE documents SET erased_at = $2, deleted_at = COALESCE(deleted_at, $2), file_name = '', issued_on = NULL,"
     " expires_on = NULL, reject_reason = '', updated_at = $2 WHERE student_id = $1",
     true},
    /* letters: readable by no one; the author's invitation links stop working */
    {"DELETE FROM letter_tokens WHERE letter_id IN (SELECT id FROM letters WHERE student_id = $1)", false},
    {"DELETE FROM letter_files WHERE letter_id IN (SELECT id FROM letters WHERE student_id = $1)", false},
    {"UPDATE letters SET erased_at = $2, token_used_at = COALESCE(token_used_at, $2), updated_at = $2"
     " WHERE student_id = $1",
     true},
    /* what the student wrote or chose */
    {"UPDATE applications SET statement = '' WHERE student_id = $1", false},
    {"UPDATE visa_letters SET passport_name = '', passport_number = '', nationality = '', consulate_city = '',"
     " updated_at = $2 WHERE student_id = $1",
     true},
    {"UPDATE reviews SET author_label = 'Former student' WHERE student_id = $1", false},
    {"DELETE FROM alert_unsubscribes WHERE saved_search_id IN (SELECT id FROM saved_searches WHERE student_id = $1)",
     false},
    {"DELETE FROM saved_searches WHERE student_id = $1", false},
    {"DELETE FROM favourites WHERE student_id = $1", false},
    {"UPDATE waitlist SET status = 'left', updated_at = $2 WHERE student_id = $1 AND status = 'waiting'", true},
    {"DELETE FROM notifications WHERE user_id = $1", false},
    {"UPDATE school_students SET status = 'left', updated_at = $2 WHERE student_id = $1"
     " AND status IN ('requested', 'active')",
     true},
};

/* Replaces the person's name and email wherever they were written into text
 * that stays: the audit's details, unsent mail to them (dropped). */
static int erase_words(struct db_conn *conn, const struct store_user *user, const char *pseudonym_name,
                       const char *pseudonym_email)
{
    struct db_stmt *st = db_prepare(conn, "DELETE FROM outbox WHERE to_address = $1 AND sent_at IS NULL");
    db_bind_text(st, 1, user->email);
    int rc = store_run(st);
    if (rc != DB_OK)
        return rc;
    /* serves: school_invitation_holds_by_email — what schools held for the address goes with it */
    st = db_prepare(conn, "DELETE FROM school_invitation_holds WHERE email = $1");
    db_bind_text(st, 1, user->email);
    if ((rc = store_run(st)) != DB_OK)
        return rc;
    st = db_prepare(conn, "UPDATE audit_events SET detail = REPLACE(REPLACE(detail, $1, $2), $3, $4)"
                          " WHERE (actor_id = $5 OR object_id = $5) AND detail <> ''"
                          " AND (detail LIKE '%' || $1 || '%' OR detail LIKE '%' || $3 || '%')");
    db_bind_text(st, 1, user->email);
    db_bind_text(st, 2, pseudonym_email);
    db_bind_text(st, 3, user->name);
    db_bind_text(st, 4, pseudonym_name);
    db_bind_text(st, 5, user->id);
    rc = store_run(st);
    if (rc != DB_OK)
        return rc;
    st = db_prepare(conn, "UPDATE preceptors SET email = $2 WHERE user_id = $1");
    db_bind_text(st, 1, user->id);
    db_bind_text(st, 2, pseudonym_email);
    return store_run(st);
}

int store_user_erase(struct db_conn *conn, const struct store_user *user, const char *pseudonym_name,
                     const char *pseudonym_email, int64_t now)
{
    int rc = DB_OK;
    for (size_t i = 0; rc == DB_OK && i < sizeof(erase_steps) / sizeof(erase_steps[0]); i++) {
        struct db_stmt *st = db_prepare(conn, erase_steps[i].sql);
        db_bind_text(st, 1, user->id);
        if (erase_steps[i].with_now)
            db_bind_int(st, 2, now);
        rc = store_run(st);
    }
    if (rc == DB_OK)
        rc = erase_words(conn, user, pseudonym_name, pseudonym_email);
    if (rc != DB_OK)
        return rc;
    struct db_stmt *st =
        db_prepare(conn, "UPDATE users SET name = $2, email = $3, password_hash = '', school = NULL, country = NULL,"
                         " status = NULL, graduation_year = NULL, visa_kind = NULL, step1 = NULL, step2ck_score = NULL,"
                         " ecfmg_status = NULL, english_proof = NULL, email_confirmed_at = NULL, time_zone = NULL,"
                         " erased_at = $4"
                         " WHERE id = $1 AND erased_at IS NULL");
    db_bind_text(st, 1, user->id);
    db_bind_text(st, 2, pseudonym_name);
    db_bind_text(st, 3, pseudonym_email);
    db_bind_int(st, 4, now);
    return store_run(st);
}
