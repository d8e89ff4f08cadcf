/* users.c — users, their roles and memberships, and organisations. */
#include <string.h>

#include "store/store.h"
#include "store/util.h"

int store_user_insert(struct db_conn *conn, const struct store_user *user)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO users (id, email, name, password_hash, created_at,"
                                          " email_confirmed_at) VALUES ($1, $2, $3, $4, $5, $6)");
    db_bind_text(st, 1, user->id);
    db_bind_text(st, 2, user->email);
    db_bind_text(st, 3, user->name);
    db_bind_text(st, 4, user->password_hash);
    db_bind_int(st, 5, user->created_at);
    if (user->email_confirmed_at > 0)
        db_bind_int(st, 6, user->email_confirmed_at);
    else
        db_bind_null(st, 6);
    int rc = db_step(st);
    db_reset(st);
    if (rc != DB_DONE)
        return rc;
    st = db_prepare(conn, "INSERT INTO user_roles (user_id, role) VALUES ($1, $2)");
    for (size_t i = 0; i < user->role_count; i++) {
        db_bind_text(st, 1, user->id);
        db_bind_text(st, 2, user->roles[i]);
        rc = db_step(st);
        db_reset(st);
        if (rc != DB_DONE)
            return rc;
    }
    return DB_OK;
}


/* Loads roles and memberships of out->id in one query: role rows have a NULL
 * organisation, membership rows name theirs. */
static int load_roles(struct db_conn *conn, struct arena *arena, struct store_user *out)
{
    struct db_stmt *st = db_prepare(conn, "SELECT role, NULL, NULL, NULL FROM user_roles WHERE user_id = $1"
                                          " UNION ALL SELECT m.role, m.organization_id, o.name, o.kind"
                                          " FROM memberships m JOIN organizations o ON o.id = m.organization_id"
                                          " WHERE m.user_id = $1 ORDER BY 2, 3, 1");
    db_bind_text(st, 1, out->id);
    int rc;
    out->role_count = 0;
    out->membership_count = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        if (db_column_is_null(st, 1)) {
            if (out->role_count < STORE_MAX_ROLES)
                out->roles[out->role_count++] = store_column_dup(arena, st, 0);
            continue;
        }
        if (out->membership_count == STORE_MAX_MEMBERSHIPS)
            continue;
        struct store_membership *m = &out->memberships[out->membership_count++];
        m->role = store_column_dup(arena, st, 0);
        m->organization_id = store_column_dup(arena, st, 1);
        m->organization_name = store_column_dup(arena, st, 2);
        m->organization_kind = store_column_dup(arena, st, 3);
    }
    db_reset(st);
    return rc == DB_DONE ? DB_OK : rc;
}

#define USER_SELECT                                                                                       \
    "SELECT id, email, name, password_hash, created_at, school, country, status, graduation_year,"       \
    " visa_kind, step1, step2ck_score, ecfmg_status, english_proof, email_confirmed_at FROM users "

static void read_user_row(struct arena *arena, struct db_stmt *st, struct store_user *out)
{
    memset(out, 0, sizeof(*out));
    out->id = store_column_dup(arena, st, 0);
    out->email = store_column_dup(arena, st, 1);
    out->name = store_column_dup(arena, st, 2);
    out->password_hash = store_column_dup(arena, st, 3);
    out->created_at = db_column_int(st, 4);
    out->profile.school = store_column_dup(arena, st, 5);
    out->profile.country = store_column_dup(arena, st, 6);
    out->profile.status = store_column_dup(arena, st, 7);
    out->profile.graduation_year = db_column_is_null(st, 8) ? 0 : db_column_int(st, 8);
    out->profile.visa_kind = store_column_dup(arena, st, 9);
    out->profile.step1 = store_column_dup(arena, st, 10);
    out->profile.step2ck_score = db_column_is_null(st, 11) ? -1 : db_column_int(st, 11);
    out->profile.ecfmg_status = store_column_dup(arena, st, 12);
    out->profile.english_proof = store_column_dup(arena, st, 13);
    out->email_confirmed_at = db_column_is_null(st, 14) ? 0 : db_column_int(st, 14);
}

static int find_user(struct db_conn *conn, struct arena *arena, struct db_stmt *st, const char *key,
                     struct store_user *out)
{
    db_bind_text(st, 1, key);
    int rc = db_step(st);
    if (rc == DB_ROW)
        read_user_row(arena, st, out);
    db_reset(st);
    if (rc != DB_ROW)
        return rc;
    rc = load_roles(conn, arena, out);
    return rc == DB_OK ? DB_ROW : rc;
}

/* Adds the role or membership of the row's columns from `first` on (role,
 * organization id, name, kind; a NULL role: none). */
static void add_role_columns(struct arena *arena, struct db_stmt *st, int first, struct store_user *out)
{
    if (db_column_is_null(st, first))
        return;
    if (db_column_is_null(st, first + 1)) {
        if (out->role_count < STORE_MAX_ROLES)
            out->roles[out->role_count++] = store_column_dup(arena, st, first);
        return;
    }
    if (out->membership_count == STORE_MAX_MEMBERSHIPS)
        return;
    struct store_membership *m = &out->memberships[out->membership_count++];
    m->role = store_column_dup(arena, st, first);
    m->organization_id = store_column_dup(arena, st, first + 1);
    m->organization_name = store_column_dup(arena, st, first + 2);
    m->organization_kind = store_column_dup(arena, st, first + 3);
}

static int session_find_user_sqlite(struct db_conn *conn, struct arena *arena, const char *token_hash,
                                    int64_t idle_after, int64_t created_after, struct store_session *session,
                                    struct store_user *user);

/* Every signed-in request runs this: the session, its user and the user's
 * roles and memberships in one round trip (a row per role or membership). */
int store_session_find_user(struct db_conn *conn, struct arena *arena, const char *token_hash, int64_t idle_after,
                            int64_t created_after, struct store_session *session, struct store_user *user)
{
    if (strcmp(db_backend_name(conn), "sqlite") == 0)
        return session_find_user_sqlite(conn, arena, token_hash, idle_after, created_after, session, user);
    /* Two branches, each using the indexes (session by token, roles and
     * memberships by user): the user's roles, then their memberships. */
#define SESSION_USER_COLUMNS                                                                                  \
    "SELECT u.id, u.email, u.name, u.password_hash, u.created_at, u.school, u.country, u.status,"            \
    " u.graduation_year, u.visa_kind, u.step1, u.step2ck_score, u.ecfmg_status, u.english_proof,"            \
    " u.email_confirmed_at, s.csrf_token, s.created_at, s.last_seen_at, s.enrol_second_factor"
#define SESSION_WHERE " WHERE s.token_hash = $1 AND s.last_seen_at > $2 AND s.created_at > $3"
    struct db_stmt *st = db_prepare(conn, SESSION_USER_COLUMNS ", r.role, NULL AS org_id, NULL AS org_name, NULL AS org_kind"
                                          " FROM sessions s JOIN users u ON u.id = s.user_id"
                                          " LEFT JOIN user_roles r ON r.user_id = u.id" SESSION_WHERE
                                          " UNION ALL " SESSION_USER_COLUMNS ", m.role, m.organization_id, o.name, o.kind"
                                          " FROM sessions s JOIN users u ON u.id = s.user_id"
                                          " JOIN memberships m ON m.user_id = u.id"
                                          " JOIN organizations o ON o.id = m.organization_id" SESSION_WHERE
                                          " ORDER BY 21, 22, 20");
    db_bind_text(st, 1, token_hash);
    db_bind_int(st, 2, idle_after);
    db_bind_int(st, 3, created_after);
    int rc, rows = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        if (rows++ == 0) {
            read_user_row(arena, st, user);
            session->user_id = user->id;
            session->csrf_token = store_column_dup(arena, st, 15);
            session->created_at = db_column_int(st, 16);
            session->last_seen_at = db_column_int(st, 17);
            session->enrol_second_factor = db_column_int(st, 18) != 0;
        }
        add_role_columns(arena, st, 19, user);
    }
    db_reset(st);
    if (rc != DB_DONE)
        return rc;
    return rows > 0 ? DB_ROW : DB_DONE;
}

/* The SQLite form of store_session_find_user: one SELECT that looks the
 * session and its user up once (the UNION above does it in each branch),
 * LEFT JOINed with the roles and with the memberships, so a row per (role,
 * membership) pair. Rows come in the order of the indexes it reads (role;
 * organisation, membership role), so nothing is sorted. The roles are the
 * changes of the role column; the memberships are those of the first role's
 * rows. On SQLite every cursor a statement opens is an allocation and a seek
 * from the root: this reads with 8 instead of 12 and costs a fifth less per
 * request (GET /api/v1/me, issue 16). */
static int session_find_user_sqlite(struct db_conn *conn, struct arena *arena, const char *token_hash,
                                    int64_t idle_after, int64_t created_after, struct store_session *session,
                                    struct store_user *user)
{
    struct db_stmt *st = db_prepare(conn, SESSION_USER_COLUMNS ", r.role, m.role, m.organization_id, o.name, o.kind"
                                          " FROM sessions s JOIN users u ON u.id = s.user_id"
                                          " LEFT JOIN user_roles r ON r.user_id = u.id"
                                          " LEFT JOIN memberships m ON m.user_id = u.id"
                                          " LEFT JOIN organizations o ON o.id = m.organization_id" SESSION_WHERE
                                          " ORDER BY 20, 22, 21");
    db_bind_text(st, 1, token_hash);
    db_bind_int(st, 2, idle_after);
    db_bind_int(st, 3, created_after);
    int rc, rows = 0;
    const char *first_role = NULL; /* the first row's role (NULL: the user has none) */
    while ((rc = db_step(st)) == DB_ROW) {
        const char *role = db_column_is_null(st, 19) ? NULL : db_column_text(st, 19);
        if (rows++ == 0) {
            read_user_row(arena, st, user);
            session->user_id = user->id;
            session->csrf_token = store_column_dup(arena, st, 15);
            session->created_at = db_column_int(st, 16);
            session->last_seen_at = db_column_int(st, 17);
            session->enrol_second_factor = db_column_int(st, 18) != 0;
            first_role = role != NULL ? arena_strdup(arena, role) : NULL;
            if (role != NULL && first_role == NULL) {
                rc = DB_ERROR;
                break;
            }
        }
        if (role != NULL && user->role_count < STORE_MAX_ROLES &&
            (user->role_count == 0 || strcmp(user->roles[user->role_count - 1], role) != 0))
            user->roles[user->role_count++] = store_column_dup(arena, st, 19);
        bool first_role_row = role == NULL ? first_role == NULL : first_role != NULL && strcmp(role, first_role) == 0;
        if (first_role_row && !db_column_is_null(st, 21) && user->membership_count < STORE_MAX_MEMBERSHIPS) {
            struct store_membership *m = &user->memberships[user->membership_count++];
            m->role = store_column_dup(arena, st, 20);
            m->organization_id = store_column_dup(arena, st, 21);
            m->organization_name = store_column_dup(arena, st, 22);
            m->organization_kind = store_column_dup(arena, st, 23);
        }
    }
    db_reset(st);
    if (rc != DB_DONE)
        return rc;
    return rows > 0 ? DB_ROW : DB_DONE;
}

int store_user_by_email(struct db_conn *conn, struct arena *arena, const char *email, struct store_user *out)
{
    return find_user(conn, arena, db_prepare(conn, USER_SELECT "WHERE email = $1"), email, out);
}

int store_user_by_id(struct db_conn *conn, struct arena *arena, const char *id, struct store_user *out)
{
    return find_user(conn, arena, db_prepare(conn, USER_SELECT "WHERE id = $1"), id, out);
}

int store_user_set_password_hash(struct db_conn *conn, const char *user_id, const char *password_hash)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE users SET password_hash = $2 WHERE id = $1");
    db_bind_text(st, 1, user_id);
    db_bind_text(st, 2, password_hash);
    int rc = db_step(st);
    db_reset(st);
    return rc == DB_DONE ? DB_OK : rc;
}

int store_user_set_profile(struct db_conn *conn, const char *user_id, const struct store_profile *p)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE users SET school = $2, country = $3, status = $4,"
                                          " graduation_year = $5, visa_kind = $6, step1 = $7, step2ck_score = $8,"
                                          " ecfmg_status = $9, english_proof = $10 WHERE id = $1");
    db_bind_text(st, 1, user_id);
    db_bind_text(st, 2, p->school);
    db_bind_text(st, 3, p->country);
    db_bind_text(st, 4, p->status);
    if (p->graduation_year > 0)
        db_bind_int(st, 5, p->graduation_year);
    else
        db_bind_null(st, 5);
    db_bind_text(st, 6, p->visa_kind);
    db_bind_text(st, 7, p->step1);
    if (p->step2ck_score >= 0)
        db_bind_int(st, 8, p->step2ck_score);
    else
        db_bind_null(st, 8);
    db_bind_text(st, 9, p->ecfmg_status);
    db_bind_text(st, 10, p->english_proof);
    int rc = db_step(st);
    db_reset(st);
    return rc == DB_DONE ? DB_OK : rc;
}

int store_membership_insert(struct db_conn *conn, const char *user_id, const char *organization_id, const char *role)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO memberships (user_id, organization_id, role) VALUES ($1, $2, $3)"
                                          " ON CONFLICT DO NOTHING");
    db_bind_text(st, 1, user_id);
    db_bind_text(st, 2, organization_id);
    db_bind_text(st, 3, role);
    int rc = db_step(st);
    db_reset(st);
    return rc == DB_DONE ? DB_OK : rc;
}

int store_user_add_role(struct db_conn *conn, const char *user_id, const char *role)
{
    struct db_stmt *st =
        db_prepare(conn, "INSERT INTO user_roles (user_id, role) VALUES ($1, $2) ON CONFLICT DO NOTHING");
    db_bind_text(st, 1, user_id);
    db_bind_text(st, 2, role);
    int rc = db_step(st);
    db_reset(st);
    return rc == DB_DONE ? DB_OK : rc;
}

int store_organization_insert(struct db_conn *conn, const char *id, const char *name, const char *kind, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO organizations (id, name, kind, created_at) VALUES ($1, $2, $3, $4)");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, name);
    db_bind_text(st, 3, kind);
    db_bind_int(st, 4, now);
    int rc = db_step(st);
    db_reset(st);
    return rc == DB_DONE ? DB_OK : rc;
}

int store_organization_name(struct db_conn *conn, struct arena *arena, const char *id, const char **name_out)
{
    struct db_stmt *st = db_prepare(conn, "SELECT name FROM organizations WHERE id = $1");
    db_bind_text(st, 1, id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        *name_out = store_column_dup(arena, st, 0);
        if (*name_out == NULL)
            rc = DB_ERROR;
    }
    db_reset(st);
    return rc;
}

int store_organization_kind(struct db_conn *conn, struct arena *arena, const char *id, const char **kind_out)
{
    struct db_stmt *st = db_prepare(conn, "SELECT kind FROM organizations WHERE id = $1");
    db_bind_text(st, 1, id);
    int rc = db_step(st);
    if (rc == DB_ROW && kind_out != NULL)
        *kind_out = store_column_dup(arena, st, 0);
    db_reset(st);
    return rc;
}

int store_user_lock(struct db_conn *conn, const char *id)
{
    /* A write that changes nothing: the row lock is the point. */
    struct db_stmt *st = db_prepare(conn, "UPDATE users SET id = id WHERE id = $1");
    db_bind_text(st, 1, id);
    int rc = db_step(st);
    int changed = rc == DB_DONE ? db_changes(st) : 0;
    db_reset(st);
    if (rc != DB_DONE)
        return rc;
    return changed > 0 ? DB_OK : DB_DONE;
}
