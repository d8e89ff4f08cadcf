/* users.c — users, their roles and memberships, organisations, and the session
 * reads a connection keeps while the database is unchanged (SQLite). */
#include <stdlib.h>
#include <string.h>

#include "lib/clock.h"
#include "store/session_memo.h"
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
    " visa_kind, step1, step2ck_score, ecfmg_status, english_proof, email_confirmed_at, time_zone FROM users "

/* Columns 0–14 as USER_SELECT and STORE_SESSION_COLUMNS have them, and the
 * time zone from column time_zone_column. */
static void read_user_row(struct arena *arena, struct db_stmt *st, int time_zone_column, struct store_user *out)
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
    out->time_zone = store_column_dup(arena, st, time_zone_column);
}

static int find_user(struct db_conn *conn, struct arena *arena, struct db_stmt *st, const char *key,
                     struct store_user *out)
{
    db_bind_text(st, 1, key);
    int rc = db_step(st);
    if (rc == DB_ROW)
        read_user_row(arena, st, 15, out);
    db_reset(st);
    if (rc != DB_ROW)
        return rc;
    rc = load_roles(conn, arena, out);
    return rc == DB_OK ? DB_ROW : rc;
}

void store_session_read_row(struct store_session_rows *state, struct arena *arena, struct db_stmt *st,
                            struct store_session *session, struct store_user *user)
{
    const char *role = db_column_text(st, 19);
    if (state->rows++ == 0) {
        read_user_row(arena, st, STORE_SESSION_TIME_ZONE_COLUMN, user);
        session->user_id = user->id;
        session->csrf_token = store_column_dup(arena, st, 15);
        session->created_at = db_column_int(st, 16);
        session->last_seen_at = db_column_int(st, 17);
        session->enrol_second_factor = db_column_int(st, 18) != 0;
        state->first_role = role != NULL ? store_column_dup(arena, st, 19) : NULL;
    }
    bool first_block =
        role == NULL ? state->first_role == NULL : state->first_role != NULL && strcmp(role, state->first_role) == 0;
    if (role != NULL && user->role_count < STORE_MAX_ROLES &&
        (user->role_count == 0 || strcmp(user->roles[user->role_count - 1], role) != 0))
        user->roles[user->role_count++] = store_column_dup(arena, st, 19);
    if (first_block && !db_column_is_null(st, 21) && user->membership_count < STORE_MAX_MEMBERSHIPS) {
        struct store_membership *m = &user->memberships[user->membership_count++];
        m->role = store_column_dup(arena, st, 20);
        m->organization_id = store_column_dup(arena, st, 21);
        m->organization_name = store_column_dup(arena, st, 22);
        m->organization_kind = store_column_dup(arena, st, 23);
    }
}

/* Every signed-in request runs this: the session, its user and the user's
 * roles and memberships in one round trip. One chain of joins, each by an
 * index (session by token, user by id, roles and memberships by user,
 * organisation by id): it costs PostgreSQL about half the executor work of
 * a UNION of two branches, the price of every signed-in request there.
 * The rows are the product of roles and memberships (at most 6 × 16, one
 * for the usual single role and no membership), sorted by role, then the
 * membership's organisation id, name and role: roles are read off the change
 * of role, memberships off the first role's rows, which hold them all in
 * order. The user read here carries no password hash: no signed-in request
 * needs one, and it is not worth moving. */
static int session_query(struct db_conn *conn, struct arena *arena, const char *token_hash, int64_t idle_after,
                         int64_t created_after, struct store_session *session, struct store_user *user)
{
    struct db_stmt *st =
        db_prepare(conn, "SELECT " STORE_SESSION_COLUMNS STORE_SESSION_JOINS
                         " WHERE s.token_hash = $1 AND s.last_seen_at > $2 AND s.created_at > $3"
                         " ORDER BY " STORE_SESSION_ORDER);
    db_bind_text(st, 1, token_hash);
    db_bind_int(st, 2, idle_after);
    db_bind_int(st, 3, created_after);
    int rc;
    struct store_session_rows state = {0};
    while ((rc = db_step(st)) == DB_ROW)
        store_session_read_row(&state, arena, st, session, user);
    db_reset(st);
    if (rc != DB_DONE)
        return rc;
    return state.rows > 0 ? DB_ROW : DB_DONE;
}

/* ---- the sessions a connection has read ----
 *
 * Most signed-in requests read one of a few sessions again while nothing in
 * the database changes. Where the backend gives a data version (db_read_begin:
 * SQLite), the connection keeps the last sessions it read, with their user,
 * under the version they were read at, and gives them again while the version
 * is the same: nothing at all has been committed to the database since, by
 * any connection of any process, so the query would give the same row. The
 * idle and absolute expiry depend on the time, not on the data: they are
 * checked against the caller's bounds each time, as the query's WHERE does.
 * A sign-out, a role, membership or profile change, any commit anywhere
 * changes the version, and the next request reads afresh: what is given is
 * exactly what the query would give. Where the backend also gives a change
 * mark (db_change_mark: SQLite in WAL mode), the version is that mark, read
 * without a transaction, so a kept session costs no transaction at all. A kept session is given for at most
 * SESSION_MEMO_MS, so that the (32-bit) version cannot have come round to the
 * same number in between. */
enum { SESSION_MEMO_SLOTS = 16, SESSION_MEMO_MS = 60000 };

struct session_memo_slot {
    char token_hash[65]; /* "" when empty */
    double kept_at_ms;   /* clock_monotonic_ms() */
    struct store_session_copy copy; /* its block kept when the slot is emptied, for the next session kept */
};

/* What a memo's version is: db_read_begin's data version, or db_change_mark's
 * mark (numbers of two kinds, never compared with each other). */
enum memo_basis { MEMO_DATA_VERSION, MEMO_CHANGE_MARK };

struct session_memo {
    enum memo_basis basis;
    uint64_t version; /* of every kept session */
    struct session_memo_slot slots[SESSION_MEMO_SLOTS];
};

static void session_memo_free(void *p)
{
    struct session_memo *memo = p;
    for (size_t i = 0; i < SESSION_MEMO_SLOTS; i++)
        store_session_copy_free(&memo->slots[i].copy);
    free(memo);
}

/* The connection's memo, emptied when the version is not the one its
 * sessions were read at; NULL when out of memory. */
static struct session_memo *session_memo_of(struct db_conn *conn, enum memo_basis basis, uint64_t version)
{
    struct db_conn_base *base = (struct db_conn_base *)(void *)conn;
    struct session_memo *memo = base->memo;
    if (memo == NULL) {
        memo = calloc(1, sizeof(*memo));
        if (memo == NULL)
            return NULL;
        base->memo = memo;
        base->memo_free = session_memo_free;
    } else if (memo->basis != basis || memo->version != version) {
        for (size_t i = 0; i < SESSION_MEMO_SLOTS; i++)
            memo->slots[i].token_hash[0] = '\0';
    }
    memo->basis = basis;
    memo->version = version;
    return memo;
}

/* The slot of a token hash (one per hash: the last read wins). */
static struct session_memo_slot *memo_slot(struct session_memo *memo, const char *token_hash)
{
    uint32_t h = 2166136261u;
    for (const char *p = token_hash; *p != '\0'; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    return &memo->slots[h % SESSION_MEMO_SLOTS];
}

/* Keeps a session read in its slot (the slot stays empty when out of memory). */
static void memo_keep(struct session_memo_slot *slot, const char *token_hash, const struct store_session *session,
                      const struct store_user *user)
{
    size_t hash_length = strlen(token_hash);
    slot->token_hash[0] = '\0';
    if (hash_length >= sizeof(slot->token_hash) || !store_session_copy_keep(&slot->copy, session, user))
        return;
    memcpy(slot->token_hash, token_hash, hash_length + 1);
    slot->kept_at_ms = clock_monotonic_ms();
}

/* True when slot keeps the session of token_hash, kept recently enough. */
static bool memo_holds(const struct session_memo_slot *slot, const char *token_hash)
{
    return slot != NULL && slot->token_hash[0] != '\0' && strcmp(slot->token_hash, token_hash) == 0 &&
           clock_monotonic_ms() - slot->kept_at_ms < SESSION_MEMO_MS;
}

/* What the query would answer from a kept session: its expiry checked
 * against the bounds, as the query's WHERE does. */
static int memo_answer(const struct session_memo_slot *slot, struct arena *arena, int64_t idle_after,
                       int64_t created_after, struct store_session *session, struct store_user *user)
{
    bool live = slot->copy.session.last_seen_at > idle_after && slot->copy.session.created_at > created_after;
    return live ? store_session_copy_give(&slot->copy, arena, session, user) : DB_DONE;
}

/* A kept session is looked up under the change mark (db_change_mark), taken
 * before any transaction, where the backend gives one: a hit then needs no
 * transaction at all. Otherwise under the data version of the read
 * transaction the query runs in. A session read is kept under whichever was
 * taken; if something was committed after the mark was taken, the mark has
 * moved on and the next request reads again. */
int store_session_find_user(struct db_conn *conn, struct arena *arena, const char *token_hash, int64_t idle_after,
                            int64_t created_after, struct store_session *session, struct store_user *user)
{
    uint64_t mark = 0, data_version = 0;
    bool by_mark = db_change_mark(conn, &mark) == DB_OK;
    struct session_memo_slot *slot = NULL;
    if (by_mark) {
        struct session_memo *memo = session_memo_of(conn, MEMO_CHANGE_MARK, mark);
        slot = memo != NULL ? memo_slot(memo, token_hash) : NULL;
        if (memo_holds(slot, token_hash))
            return memo_answer(slot, arena, idle_after, created_after, session, user);
    }
    bool held = db_read_begin(conn, &data_version) == DB_OK;
    if (held && !by_mark) {
        struct session_memo *memo = session_memo_of(conn, MEMO_DATA_VERSION, data_version);
        slot = memo != NULL ? memo_slot(memo, token_hash) : NULL;
    }
    int rc;
    if (held && !by_mark && memo_holds(slot, token_hash)) {
        rc = memo_answer(slot, arena, idle_after, created_after, session, user);
    } else {
        rc = session_query(conn, arena, token_hash, idle_after, created_after, session, user);
        if (rc == DB_ROW && slot != NULL && held)
            memo_keep(slot, token_hash, session, user);
    }
    if (held)
        db_read_end(conn);
    return rc;
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
    return store_run(st);
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
    return store_run(st);
}

int store_user_set_time_zone(struct db_conn *conn, const char *user_id, const char *time_zone)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE users SET time_zone = $2 WHERE id = $1");
    db_bind_text(st, 1, user_id);
    db_bind_text(st, 2, time_zone);
    return store_run(st);
}

int store_membership_insert(struct db_conn *conn, const char *user_id, const char *organization_id, const char *role)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO memberships (user_id, organization_id, role) VALUES ($1, $2, $3)"
                                          " ON CONFLICT DO NOTHING");
    db_bind_text(st, 1, user_id);
    db_bind_text(st, 2, organization_id);
    db_bind_text(st, 3, role);
    return store_run(st);
}

int store_user_add_role(struct db_conn *conn, const char *user_id, const char *role)
{
    struct db_stmt *st =
        db_prepare(conn, "INSERT INTO user_roles (user_id, role) VALUES ($1, $2) ON CONFLICT DO NOTHING");
    db_bind_text(st, 1, user_id);
    db_bind_text(st, 2, role);
    return store_run(st);
}

int store_organization_insert(struct db_conn *conn, const char *id, const char *name, const char *kind, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO organizations (id, name, kind, created_at) VALUES ($1, $2, $3, $4)");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, name);
    db_bind_text(st, 3, kind);
    db_bind_int(st, 4, now);
    return store_run(st);
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
    return store_change_any(st);
}
