/* schools.c — partner schools' students, invitations and settings; see schools.h. */
#include "store/schools.h"
#include "store/util.h"

#include <string.h>

#define LINK_COLUMNS                                                                                          \
    "ss.organization_id, ss.student_id, ss.status, ss.note, COALESCE(ss.graduation_year, 0), ss.created_at,"  \
    " ss.updated_at, u.name, u.email, o.name"
#define LINK_FROM                                                                                             \
    " FROM school_students ss JOIN users u ON u.id = ss.student_id"                                           \
    " JOIN organizations o ON o.id = ss.organization_id "

static void read_link(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_school_student *l = item;
    memset(l, 0, sizeof(*l));
    l->organization_id = store_column_dup(arena, st, 0);
    l->student_id = store_column_dup(arena, st, 1);
    l->status = store_column_dup(arena, st, 2);
    l->note = store_column_dup(arena, st, 3);
    l->graduation_year = db_column_int(st, 4);
    l->created_at = db_column_int(st, 5);
    l->updated_at = db_column_int(st, 6);
    l->student_name = store_column_dup(arena, st, 7);
    l->student_email = store_column_dup(arena, st, 8);
    l->school_name = store_column_dup(arena, st, 9);
}

/* Steps an UPDATE: DB_OK when it changed a row, DB_DONE when none matched. */
static int run_changed(struct db_stmt *st)
{
    return store_change_any(st);
}

int store_school_student_put(struct db_conn *conn, const struct store_school_student *link)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO school_students (organization_id, student_id, status,"
                                          " graduation_year, note, created_at, updated_at)"
                                          " VALUES ($1, $2, $3, $4, $5, $6, $6)"
                                          " ON CONFLICT (organization_id, student_id) DO UPDATE SET"
                                          " status = EXCLUDED.status, note = EXCLUDED.note,"
                                          " graduation_year = COALESCE(EXCLUDED.graduation_year,"
                                          " school_students.graduation_year), updated_at = EXCLUDED.updated_at");
    db_bind_text(st, 1, link->organization_id);
    db_bind_text(st, 2, link->student_id);
    db_bind_text(st, 3, link->status);
    if (link->graduation_year > 0)
        db_bind_int(st, 4, link->graduation_year);
    else
        db_bind_null(st, 4);
    db_bind_text(st, 5, link->note != NULL ? link->note : "");
    db_bind_int(st, 6, link->updated_at);
    return store_run(st);
}

int store_school_student_move(struct db_conn *conn, const char *organization_id, const char *student_id,
                              const char *from, const char *to, const char *note, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE school_students SET status = $4, note = $5, updated_at = $6"
                                          " WHERE organization_id = $1 AND student_id = $2 AND status = $3");
    db_bind_text(st, 1, organization_id);
    db_bind_text(st, 2, student_id);
    db_bind_text(st, 3, from);
    db_bind_text(st, 4, to);
    db_bind_text(st, 5, note != NULL ? note : "");
    db_bind_int(st, 6, now);
    return run_changed(st);
}

int store_school_student_get(struct db_conn *conn, struct arena *arena, const char *organization_id,
                             const char *student_id, struct store_school_student *out)
{
    struct db_stmt *st = db_prepare(conn, "SELECT " LINK_COLUMNS LINK_FROM
                                          "WHERE ss.organization_id = $1 AND ss.student_id = $2");
    db_bind_text(st, 1, organization_id);
    db_bind_text(st, 2, student_id);
    return store_read_one(arena, st, read_link, sizeof(*out), out);
}

/* read_link with the student's application counts (columns 10 and 11). */
static void read_link_counted(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_school_student *l = item;
    read_link(arena, st, l);
    l->applications_active = db_column_int(st, 10);
    l->applications_booked = db_column_int(st, 11);
}

static int read_links(struct arena *arena, struct db_stmt *st, bool counts, struct store_school_student **out,
                      size_t *count)
{
    return store_read_rows(arena, st, counts ? read_link_counted : read_link, sizeof(**out), (void **)out, count);
}

int store_school_students_list(struct db_conn *conn, struct arena *arena, const char *organization_id,
                               const char *status, struct store_school_student **out, size_t *count)
{
    struct db_stmt *st = db_prepare(
        conn, "SELECT " LINK_COLUMNS ","
              " (SELECT COUNT(*) FROM applications a WHERE a.student_id = ss.student_id AND a.status IN"
              " ('home_review', 'submitted', 'under_review', 'offered', 'held')),"
              " (SELECT COUNT(*) FROM applications a WHERE a.student_id = ss.student_id AND a.status IN"
              " ('booked', 'cleared', 'in_progress', 'completed'))" LINK_FROM
              "WHERE ss.organization_id = $1 AND (CAST($2 AS TEXT) = '' OR ss.status = $2) ORDER BY u.name COLLATE \"C\", ss.student_id COLLATE \"C\"");
    db_bind_text(st, 1, organization_id);
    db_bind_text(st, 2, status != NULL ? status : "");
    return read_links(arena, st, true, out, count);
}

int store_student_schools(struct db_conn *conn, struct arena *arena, const char *student_id,
                          struct store_school_student **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT " LINK_COLUMNS LINK_FROM
                                          "WHERE ss.student_id = $1 ORDER BY ss.updated_at DESC, ss.organization_id");
    db_bind_text(st, 1, student_id);
    return read_links(arena, st, false, out, count);
}

/* ---- invitations ---- */

#define INVITATION_COLUMNS                                                                                    \
    "i.id, i.organization_id, i.email, i.name, i.invited_by, COALESCE(i.graduation_year, 0), i.created_at,"   \
    " i.expires_at, COALESCE(i.accepted_at, 0), i.accepted_by, o.name"

static void read_invitation(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_school_invitation *i = item;
    memset(i, 0, sizeof(*i));
    i->id = store_column_dup(arena, st, 0);
    i->organization_id = store_column_dup(arena, st, 1);
    i->email = store_column_dup(arena, st, 2);
    i->name = store_column_dup(arena, st, 3);
    i->invited_by = store_column_dup(arena, st, 4);
    i->graduation_year = db_column_int(st, 5);
    i->created_at = db_column_int(st, 6);
    i->expires_at = db_column_int(st, 7);
    i->accepted_at = db_column_int(st, 8);
    i->accepted_by = store_column_dup(arena, st, 9);
    i->school_name = store_column_dup(arena, st, 10);
}

int store_school_invitation_put(struct db_conn *conn, const struct store_school_invitation *inv, const char *token_hash)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO school_invitations (id, organization_id, email, name,"
                                          " graduation_year, token_hash, invited_by, created_at, expires_at,"
                                          " upload_seq, upload_line)"
                                          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
                                          " ON CONFLICT (organization_id, email) DO UPDATE SET name = EXCLUDED.name,"
                                          " graduation_year = EXCLUDED.graduation_year,"
                                          " token_hash = EXCLUDED.token_hash, invited_by = EXCLUDED.invited_by,"
                                          " created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at,"
                                          " upload_seq = EXCLUDED.upload_seq, upload_line = EXCLUDED.upload_line,"
                                          " accepted_at = NULL, accepted_by = NULL");
    db_bind_text(st, 1, inv->id);
    db_bind_text(st, 2, inv->organization_id);
    db_bind_text(st, 3, inv->email);
    db_bind_text(st, 4, inv->name);
    if (inv->graduation_year > 0)
        db_bind_int(st, 5, inv->graduation_year);
    else
        db_bind_null(st, 5);
    db_bind_text(st, 6, token_hash);
    db_bind_text(st, 7, inv->invited_by);
    db_bind_int(st, 8, inv->created_at);
    db_bind_int(st, 9, inv->expires_at);
    db_bind_int(st, 10, inv->upload_seq);
    db_bind_int(st, 11, inv->upload_line);
    return store_run(st);
}

int store_school_invitation_next_upload(struct db_conn *conn, const char *school_id, int64_t *upload_seq)
{
    /* serves: school_invitations_by_school, and the holds' primary key */
    struct db_stmt *st = db_prepare(conn, "SELECT COALESCE(MAX(seq), 0) + 1 FROM ("
                                          "SELECT MAX(upload_seq) AS seq FROM school_invitations"
                                          " WHERE organization_id = $1 UNION ALL"
                                          " SELECT MAX(upload_seq) FROM school_invitation_holds"
                                          " WHERE organization_id = $1) uploads");
    db_bind_text(st, 1, school_id);
    return store_one_int_required(st, upload_seq);
}

int store_school_lock(struct db_conn *conn, const char *school_id)
{
    /* A write that changes nothing: the row lock is the point. */
    struct db_stmt *st = db_prepare(conn, "UPDATE organizations SET id = id WHERE id = $1");
    db_bind_text(st, 1, school_id);
    return store_change_one(st);
}

int store_school_invites_since(struct db_conn *conn, const char *school_id, int64_t since, int64_t *invited,
                               int64_t *first_at)
{
    /* serves: school_invite_batches_by_school */
    struct db_stmt *st = db_prepare(conn, "SELECT COALESCE(SUM(invited), 0), COALESCE(MIN(created_at), 0)"
                                          " FROM school_invite_batches WHERE organization_id = $1 AND created_at > $2");
    db_bind_text(st, 1, school_id);
    db_bind_int(st, 2, since);
    return store_two_ints(st, invited, first_at);
}

int store_school_invite_batch_add(struct db_conn *conn, const char *id, const char *school_id, int64_t invited,
                                  int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO school_invite_batches (id, organization_id, invited, created_at)"
                                          " VALUES ($1, $2, $3, $4)");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, school_id);
    db_bind_int(st, 3, invited);
    db_bind_int(st, 4, now);
    return store_run(st);
}

int store_school_invitation_by_token(struct db_conn *conn, struct arena *arena, const char *token_hash,
                                     struct store_school_invitation *out)
{
    struct db_stmt *st = db_prepare(conn, "SELECT " INVITATION_COLUMNS " FROM school_invitations i"
                                          " JOIN organizations o ON o.id = i.organization_id WHERE i.token_hash = $1");
    db_bind_text(st, 1, token_hash);
    return store_read_one(arena, st, read_invitation, sizeof(*out), out);
}

int store_school_invitation_accept(struct db_conn *conn, const char *id, const char *user_id, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE school_invitations SET accepted_at = $3, accepted_by = $2"
                                          " WHERE id = $1 AND accepted_at IS NULL");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, user_id);
    db_bind_int(st, 3, now);
    return run_changed(st);
}

static void read_pending_invitation(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_school_invitation *i = item;
    read_invitation(arena, st, i);
    i->upload_seq = db_column_int(st, 11);
    i->upload_line = db_column_int(st, 12);
}

/* Reads the rows of a query selecting INVITATION_COLUMNS, i.upload_seq, i.upload_line. */
static int read_pending(struct arena *arena, struct db_stmt *st, struct store_school_invitation **out, size_t *count)
{
    return store_read_rows(arena, st, read_pending_invitation, sizeof(**out), (void **)out, count);
}

int store_school_invitations_pending(struct db_conn *conn, struct arena *arena, const char *organization_id,
                                     int limit, struct store_school_invitation **out, size_t *count)
{
    /* serves: school_invitations_by_school */
    struct db_stmt *st = db_prepare(conn, "SELECT " INVITATION_COLUMNS ", i.upload_seq, i.upload_line"
                                          " FROM school_invitations i"
                                          " JOIN organizations o ON o.id = i.organization_id"
                                          " WHERE i.organization_id = $1 AND i.accepted_at IS NULL"
                                          " ORDER BY i.upload_seq DESC, i.upload_line, i.id LIMIT $2");
    db_bind_text(st, 1, organization_id);
    db_bind_int(st, 2, limit);
    return read_pending(arena, st, out, count);
}

int store_school_invitations_page(struct db_conn *conn, struct arena *arena, const char *organization_id,
                                  const struct store_school_invitation *after, int limit,
                                  struct store_school_invitation **out, size_t *count)
{
    /* serves: school_invitations_by_school */
    struct db_stmt *st = db_prepare(
        conn, "SELECT " INVITATION_COLUMNS ", i.upload_seq, i.upload_line FROM school_invitations i"
              " JOIN organizations o ON o.id = i.organization_id"
              " WHERE i.organization_id = $1 AND i.accepted_at IS NULL"
              " AND (CAST($2 AS TEXT) IS NULL OR i.upload_seq < $3 OR (i.upload_seq = $3"
              " AND (i.upload_line > $4 OR (i.upload_line = $4 AND i.id > $2))))"
              " ORDER BY i.upload_seq DESC, i.upload_line, i.id LIMIT $5");
    db_bind_text(st, 1, organization_id);
    db_bind_text(st, 2, after != NULL ? after->id : NULL);
    db_bind_int(st, 3, after != NULL ? after->upload_seq : 0);
    db_bind_int(st, 4, after != NULL ? after->upload_line : 0);
    db_bind_int(st, 5, limit);
    return read_pending(arena, st, out, count);
}

/* ---- invitations held for an address not confirmed yet ---- */

#define HOLD_COLUMNS                                                                                          \
    "h.organization_id, h.email, h.name, h.invited_by, COALESCE(h.graduation_year, 0), h.created_at,"          \
    " h.upload_seq, h.upload_line, o.name, h.id"

static void read_hold(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_school_invitation *h = item;
    memset(h, 0, sizeof(*h));
    h->organization_id = store_column_dup(arena, st, 0);
    h->email = store_column_dup(arena, st, 1);
    h->name = store_column_dup(arena, st, 2);
    h->invited_by = store_column_dup(arena, st, 3);
    h->graduation_year = db_column_int(st, 4);
    h->created_at = db_column_int(st, 5);
    h->upload_seq = db_column_int(st, 6);
    h->upload_line = db_column_int(st, 7);
    h->school_name = store_column_dup(arena, st, 8);
    h->id = store_column_dup(arena, st, 9);
}

int store_school_hold_put(struct db_conn *conn, const struct store_school_invitation *hold)
{
    /* serves: the primary key (organization_id, email) */
    struct db_stmt *st = db_prepare(conn, "INSERT INTO school_invitation_holds (organization_id, email, name,"
                                          " graduation_year, invited_by, created_at, upload_seq, upload_line, id)"
                                          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
                                          " ON CONFLICT (organization_id, email) DO UPDATE SET name = EXCLUDED.name,"
                                          " graduation_year = EXCLUDED.graduation_year,"
                                          " invited_by = EXCLUDED.invited_by, created_at = EXCLUDED.created_at,"
                                          " upload_seq = EXCLUDED.upload_seq, upload_line = EXCLUDED.upload_line");
    db_bind_text(st, 1, hold->organization_id);
    db_bind_text(st, 2, hold->email);
    db_bind_text(st, 3, hold->name);
    if (hold->graduation_year > 0)
        db_bind_int(st, 4, hold->graduation_year);
    else
        db_bind_null(st, 4);
    db_bind_text(st, 5, hold->invited_by);
    db_bind_int(st, 6, hold->created_at);
    db_bind_int(st, 7, hold->upload_seq);
    db_bind_int(st, 8, hold->upload_line);
    db_bind_text(st, 9, hold->id);
    return store_run(st);
}

int store_school_holds_of_email(struct db_conn *conn, struct arena *arena, const char *email,
                                struct store_school_invitation **out, size_t *count)
{
    /* serves: school_invitation_holds_by_email */
    struct db_stmt *st = db_prepare(conn, "SELECT " HOLD_COLUMNS " FROM school_invitation_holds h"
                                          " JOIN organizations o ON o.id = h.organization_id"
                                          " WHERE h.email = $1 ORDER BY h.created_at, h.organization_id");
    db_bind_text(st, 1, email);
    return store_read_rows(arena, st, read_hold, sizeof(**out), (void **)out, count);
}

int store_school_holds_page(struct db_conn *conn, struct arena *arena, const char *organization_id,
                            const struct store_school_invitation *after, int limit,
                            struct store_school_invitation **out, size_t *count)
{
    /* serves: the primary key (organization_id, email) */
    struct db_stmt *st = db_prepare(
        conn, "SELECT " HOLD_COLUMNS " FROM school_invitation_holds h"
              " JOIN organizations o ON o.id = h.organization_id"
              " WHERE h.organization_id = $1"
              " AND (CAST($2 AS TEXT) IS NULL OR h.upload_seq < $3 OR (h.upload_seq = $3"
              " AND (h.upload_line > $4 OR (h.upload_line = $4 AND h.id > $2))))"
              " ORDER BY h.upload_seq DESC, h.upload_line, h.id LIMIT $5");
    db_bind_text(st, 1, organization_id);
    db_bind_text(st, 2, after != NULL ? after->id : NULL);
    db_bind_int(st, 3, after != NULL ? after->upload_seq : 0);
    db_bind_int(st, 4, after != NULL ? after->upload_line : 0);
    db_bind_int(st, 5, limit);
    return store_read_rows(arena, st, read_hold, sizeof(**out), (void **)out, count);
}

int store_school_hold_delete(struct db_conn *conn, const char *organization_id, const char *email)
{
    /* serves: the primary key (organization_id, email) */
    struct db_stmt *st =
        db_prepare(conn, "DELETE FROM school_invitation_holds WHERE organization_id = $1 AND email = $2");
    db_bind_text(st, 1, organization_id);
    db_bind_text(st, 2, email);
    return store_run(st);
}

/* ---- the schools themselves ---- */

int store_schools_list(struct db_conn *conn, struct arena *arena, struct store_organization **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT " STORE_ORGANIZATION_COLUMNS " FROM organizations"
                                          " WHERE kind = 'school' ORDER BY name COLLATE \"C\", id COLLATE \"C\"");
    return store_read_rows(arena, st, store_read_organization, sizeof(**out), (void **)out, count);
}

int store_school_home_approval(struct db_conn *conn, const char *organization_id, bool *required)
{
    struct db_stmt *st = db_prepare(conn, "SELECT home_approval FROM school_settings WHERE organization_id = $1");
    db_bind_text(st, 1, organization_id);
    int64_t home_approval;
    int rc = store_one_int(st, &home_approval);
    *required = home_approval != 0;
    return rc == DB_DONE ? DB_OK : rc;
}

int store_school_set_home_approval(struct db_conn *conn, const char *organization_id, bool required, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO school_settings (organization_id, home_approval, updated_at)"
                                          " VALUES ($1, $2, $3) ON CONFLICT (organization_id) DO UPDATE SET"
                                          " home_approval = EXCLUDED.home_approval, updated_at = EXCLUDED.updated_at");
    db_bind_text(st, 1, organization_id);
    db_bind_int(st, 2, required ? 1 : 0);
    db_bind_int(st, 3, now);
    return store_run(st);
}
