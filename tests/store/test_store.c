/* test_store.c — the store suite, run once on SQLite and once on PostgreSQL
 * (ROUNDS_TEST_DB=postgres://… selects it; otherwise a fresh SQLite file).
 * It asserts what the rest of Rounds relies on: migrations, users, sessions
 * with their timeouts, login-failure counts, constraints and transactions,
 * and the one-row helpers of store/util.c (a row, no row, SQL NULL, a failed
 * statement, and the statement reset after each). On PostgreSQL, a connect
 * that gets no answer in time is tried again. */
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/clock.h"
#include "domain/reference.h"
#include "lib/crypto.h"
#include "store/applications.h"
#include "store/migrations.h"
#include "store/store.h"
#include "store/util.h"
#include "test.h"
#include "store_fixtures.h"

TEST(migrations_are_applied_and_idempotent)
{
    int version = -1;
    bool too_new = true;
    CHECK_INT(store_migrate(conn, &too_new), DB_OK);
    CHECK(!too_new);
    CHECK_INT(store_schema_version(conn, &version), DB_OK);
    CHECK_INT(version, store_schema_latest(conn));
    CHECK(version >= 1);
}

TEST(a_newer_schema_is_refused)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'future', 0)");
    db_bind_int(st, 1, 9999);
    CHECK_INT(db_step(st), DB_DONE);
    db_reset(st);
    bool too_new = false;
    CHECK(store_migrate(conn, &too_new) != DB_OK);
    CHECK(too_new);
    st = db_prepare(conn, "DELETE FROM schema_migrations WHERE version = $1");
    db_bind_int(st, 1, 9999);
    CHECK_INT(db_step(st), DB_DONE);
    db_reset(st);
    CHECK_INT(store_migrate(conn, &too_new), DB_OK);
}

TEST(users_round_trip_with_roles_and_memberships)
{
    struct store_user u = make_user("host_coordinator", "Test User");
    const char *org = unique("org_");
    CHECK_INT(store_organization_insert(conn, org, "Lakeside Hospital", "host", clock_now()), DB_OK);
    CHECK_INT(store_user_insert(conn, &u), DB_OK);
    CHECK_INT(store_membership_insert(conn, u.id, org, "host_coordinator"), DB_OK);
    CHECK_INT(store_membership_insert(conn, u.id, org, "host_coordinator"), DB_OK); /* idempotent */

    struct store_user found;
    CHECK_INT(store_user_by_email(conn, &arena, u.email, &found), DB_ROW);
    CHECK_STR(found.id, u.id);
    CHECK_STR(found.name, "Test User");
    CHECK_INT(found.role_count, 1);
    CHECK_STR(found.roles[0], "host_coordinator");
    CHECK_INT(found.membership_count, 1);
    CHECK_STR(found.memberships[0].organization_id, org);
    CHECK_STR(found.memberships[0].organization_name, "Lakeside Hospital");
    CHECK_STR(found.memberships[0].organization_kind, "host");
    CHECK_INT(found.profile.step2ck_score, -1);
    CHECK_INT(found.profile.graduation_year, 0);
    CHECK(found.profile.school == NULL);

    CHECK_INT(store_user_by_id(conn, &arena, "u_nobody", &found), DB_DONE);
    CHECK_INT(store_user_by_email(conn, &arena, "nobody@example.org", &found), DB_DONE);
    const char *kind = NULL;
    CHECK_INT(store_organization_kind(conn, &arena, org, &kind), DB_ROW);
    CHECK_STR(kind, "host");
    CHECK_INT(store_organization_kind(conn, &arena, "org_missing", &kind), DB_DONE);
}

TEST(duplicate_email_is_a_constraint)
{
    struct store_user u = make_user("student", "Test User");
    CHECK_INT(store_user_insert(conn, &u), DB_OK);
    struct store_user again = make_user("student", "Test User");
    again.email = u.email;
    CHECK_INT(store_user_insert(conn, &again), DB_CONSTRAINT);
    struct store_user found;
    CHECK_INT(store_user_by_id(conn, &arena, again.id, &found), DB_DONE);
}

TEST(profile_updates_and_clears)
{
    struct store_user u = make_user("student", "Test User");
    CHECK_INT(store_user_insert(conn, &u), DB_OK);
    struct store_profile p = {.school = "Universidad Central", .country = "Venezuela", .status = "graduate",
                              .visa_kind = "b1_b2", .step1 = "passed", .ecfmg_status = "in_progress",
                              .english_proof = "oet", .graduation_year = 2021, .step2ck_score = 245};
    CHECK_INT(store_user_set_profile(conn, u.id, &p), DB_OK);
    struct store_user found;
    CHECK_INT(store_user_by_id(conn, &arena, u.id, &found), DB_ROW);
    CHECK_STR(found.profile.school, "Universidad Central");
    CHECK_STR(found.profile.visa_kind, "b1_b2");
    CHECK_INT(found.profile.graduation_year, 2021);
    CHECK_INT(found.profile.step2ck_score, 245);
    struct store_profile cleared = {.step2ck_score = -1};
    CHECK_INT(store_user_set_profile(conn, u.id, &cleared), DB_OK);
    CHECK_INT(store_user_by_id(conn, &arena, u.id, &found), DB_ROW);
    CHECK(found.profile.school == NULL);
    CHECK_INT(found.profile.step2ck_score, -1);
    CHECK_INT(found.profile.graduation_year, 0);
}

/* Migration 0035: a time zone per user, read with the user and with its
 * session; the table refuses a name that could leave /usr/share/zoneinfo. */
TEST(time_zone_saves_and_refuses_paths)
{
    struct store_user u = make_user("student", "Test User");
    CHECK_INT(store_user_insert(conn, &u), DB_OK);
    struct store_user found;
    CHECK_INT(store_user_by_id(conn, &arena, u.id, &found), DB_ROW);
    CHECK(found.time_zone == NULL);
    CHECK_INT(store_user_set_time_zone(conn, u.id, "Asia/Kolkata"), DB_OK);
    CHECK_INT(store_user_by_id(conn, &arena, u.id, &found), DB_ROW);
    CHECK_STR(found.time_zone, "Asia/Kolkata");
    static const char *const refused[] = {"../../etc/passwd", "/etc/passwd", "America/New York", "America//Denver",
                                          "America/", "Asia/Kolkata;", "",
                                          "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"};
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        if (store_user_set_time_zone(conn, u.id, refused[i]) != DB_CONSTRAINT)
            TEST_FAILF("the time zone \"%s\" was not refused", refused[i]);
    }
    CHECK_INT(store_user_by_id(conn, &arena, u.id, &found), DB_ROW);
    CHECK_STR(found.time_zone, "Asia/Kolkata");
    CHECK_INT(store_user_set_time_zone(conn, u.id, "Etc/GMT+5"), DB_OK);
    char token[44], hash[65];
    crypto_random_token(token);
    crypto_hash_token(token, hash);
    int64_t now = clock_now();
    CHECK_INT(store_session_insert(conn, hash, u.id, "csrf-token", now), DB_OK);
    struct store_session session;
    CHECK_INT(store_session_find_user(conn, &arena, hash, now - 1800, now - 43200, &session, &found), DB_ROW);
    CHECK_STR(found.time_zone, "Etc/GMT+5");
    CHECK_INT(store_user_set_time_zone(conn, u.id, NULL), DB_OK);
    CHECK_INT(store_user_by_id(conn, &arena, u.id, &found), DB_ROW);
    CHECK(found.time_zone == NULL);
}

TEST(sessions_expire_when_idle_or_old)
{
    struct store_user u = make_user("student", "Test User");
    CHECK_INT(store_user_insert(conn, &u), DB_OK);
    char token[44], hash[65];
    crypto_random_token(token);
    crypto_hash_token(token, hash);
    int64_t now = clock_now();
    CHECK_INT(store_session_insert(conn, hash, u.id, "csrf-token", now - 100), DB_OK);
    struct store_session s;
    CHECK_INT(store_session_find(conn, &arena, hash, now - 1800, now - 43200, &s), DB_ROW);
    CHECK_STR(s.user_id, u.id);
    CHECK_STR(s.csrf_token, "csrf-token");
    /* idle for more than the idle limit */
    CHECK_INT(store_session_find(conn, &arena, hash, now - 50, now - 43200, &s), DB_DONE);
    CHECK_INT(store_session_touch(conn, hash, now), DB_OK);
    CHECK_INT(store_session_find(conn, &arena, hash, now - 50, now - 43200, &s), DB_ROW);
    /* created before the absolute limit, however fresh */
    CHECK_INT(store_session_find(conn, &arena, hash, now - 50, now - 10, &s), DB_DONE);
    CHECK_INT(store_session_delete(conn, hash), DB_OK);
    CHECK_INT(store_session_find(conn, &arena, hash, now - 1800, now - 43200, &s), DB_DONE);
}

/* What every signed-in request reads: the same roles and memberships, in the
 * same order, as store_user_by_id, once each however the rows multiply. */
TEST(session_finds_its_user_with_roles_and_memberships)
{
    struct store_user u = make_user("staff", "Test User");
    u.roles[1] = "host_coordinator";
    u.roles[2] = "preceptor";
    u.role_count = 3;
    CHECK_INT(store_user_insert(conn, &u), DB_OK);
    const char *org_b = unique("org_b"), *org_a = unique("org_a");
    CHECK_INT(store_organization_insert(conn, org_b, "Bayside Clinic", "host", clock_now()), DB_OK);
    CHECK_INT(store_organization_insert(conn, org_a, "Avery School", "school", clock_now()), DB_OK);
    CHECK_INT(store_membership_insert(conn, u.id, org_b, "preceptor"), DB_OK);
    CHECK_INT(store_membership_insert(conn, u.id, org_b, "host_coordinator"), DB_OK);
    CHECK_INT(store_membership_insert(conn, u.id, org_a, "school_coordinator"), DB_OK);
    char hash[65];
    crypto_hash_token(unique("token"), hash);
    int64_t now = clock_now();
    CHECK_INT(store_session_insert(conn, hash, u.id, "csrf-token", now - 100), DB_OK);

    struct store_session s;
    struct store_user found, by_id;
    CHECK_INT(store_session_find_user(conn, &arena, hash, now - 1800, now - 43200, &s, &found), DB_ROW);
    CHECK_INT(store_user_by_id(conn, &arena, u.id, &by_id), DB_ROW);
    CHECK_STR(s.user_id, u.id);
    CHECK_STR(s.csrf_token, "csrf-token");
    CHECK_INT(s.last_seen_at, now - 100);
    CHECK(!s.enrol_second_factor);
    CHECK_STR(found.email, u.email);
    CHECK(found.password_hash == NULL);
    CHECK_INT(found.role_count, 3);
    CHECK_INT(found.role_count, by_id.role_count);
    for (size_t i = 0; i < found.role_count && i < by_id.role_count; i++)
        CHECK_STR(found.roles[i], by_id.roles[i]);
    CHECK_STR(found.roles[0], "host_coordinator");
    CHECK_STR(found.roles[2], "staff");
    CHECK_INT(found.membership_count, 3);
    CHECK_INT(found.membership_count, by_id.membership_count);
    for (size_t i = 0; i < found.membership_count && i < by_id.membership_count; i++) {
        CHECK_STR(found.memberships[i].organization_id, by_id.memberships[i].organization_id);
        CHECK_STR(found.memberships[i].organization_name, by_id.memberships[i].organization_name);
        CHECK_STR(found.memberships[i].organization_kind, by_id.memberships[i].organization_kind);
        CHECK_STR(found.memberships[i].role, by_id.memberships[i].role);
    }
    CHECK_STR(found.memberships[0].organization_id, org_a);
    CHECK_STR(found.memberships[1].role, "host_coordinator");
    CHECK_STR(found.memberships[2].role, "preceptor");

    /* No role and no membership: one row, nothing listed. */
    struct store_user bare = make_user("student", "Test User");
    bare.role_count = 0;
    CHECK_INT(store_user_insert(conn, &bare), DB_OK);
    char bare_hash[65];
    crypto_hash_token(unique("token"), bare_hash);
    CHECK_INT(store_session_insert(conn, bare_hash, bare.id, "csrf-2", now), DB_OK);
    CHECK_INT(store_session_find_user(conn, &arena, bare_hash, now - 1800, now - 43200, &s, &found), DB_ROW);
    CHECK_STR(found.id, bare.id);
    CHECK_INT(found.role_count, 0);
    CHECK_INT(found.membership_count, 0);

    /* Idle, too old or signed out: not found. */
    CHECK_INT(store_session_find_user(conn, &arena, hash, now - 50, now - 43200, &s, &found), DB_DONE);
    CHECK_INT(store_session_find_user(conn, &arena, hash, now - 1800, now - 10, &s, &found), DB_DONE);
    CHECK_INT(store_session_delete(conn, hash), DB_OK);
    CHECK_INT(store_session_find_user(conn, &arena, hash, now - 1800, now - 43200, &s, &found), DB_DONE);
}

TEST(session_prune_removes_only_expired)
{
    struct store_user u = make_user("student", "Test User");
    CHECK_INT(store_user_insert(conn, &u), DB_OK);
    char old_hash[65], fresh_hash[65];
    crypto_hash_token(unique("old"), old_hash);
    crypto_hash_token(unique("fresh"), fresh_hash);
    int64_t now = clock_now();
    CHECK_INT(store_session_insert(conn, old_hash, u.id, "a", now - 100000), DB_OK);
    CHECK_INT(store_session_insert(conn, fresh_hash, u.id, "b", now), DB_OK);
    CHECK_INT(store_session_prune(conn, now - 1800, now - 43200), DB_OK);
    struct store_session s;
    CHECK_INT(store_session_find(conn, &arena, old_hash, 0, 0, &s), DB_DONE);
    CHECK_INT(store_session_find(conn, &arena, fresh_hash, 0, 0, &s), DB_ROW);
}

/* db_read_begin's number: the same while nothing is committed, another
 * after any commit (this connection's or another's), none inside a
 * transaction or on PostgreSQL. */
TEST(data_version_changes_with_every_commit)
{
    struct db_conn *other = NULL;
    CHECK_INT(db_open(target_db, &other), DB_OK);
    uint64_t v1 = 0, v2 = 0;
    int rc = db_read_begin(conn, &v1);
    if (strcmp(db_backend_name(conn), "sqlite") != 0) {
        CHECK_INT(rc, DB_DONE);
        db_close(other);
        return;
    }
    CHECK_INT(rc, DB_OK);
    db_read_end(conn);
    CHECK_INT(db_read_begin(conn, &v2), DB_OK);
    db_read_end(conn);
    CHECK(v1 == v2);
    struct store_user u = make_user("student", "Test User");
    CHECK_INT(store_user_insert(other, &u), DB_OK);
    CHECK_INT(db_read_begin(conn, &v2), DB_OK);
    db_read_end(conn);
    CHECK(v1 != v2);
    CHECK_INT(store_user_add_role(conn, u.id, "preceptor"), DB_OK);
    CHECK_INT(db_read_begin(conn, &v1), DB_OK);
    db_read_end(conn);
    CHECK(v1 != v2);
    CHECK_INT(db_exec(conn, "BEGIN"), DB_OK);
    CHECK_INT(db_read_begin(conn, &v2), DB_DONE);
    CHECK_INT(db_exec(conn, "COMMIT"), DB_OK);
    db_close(other);
}

/* Commits the insert of a new user from a child process (its own connection). */
static bool insert_user_from_another_process(void)
{
    struct store_user u = make_user("student", "Test User");
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        struct db_conn *theirs = NULL;
        int ok = db_open(target_db, &theirs) == DB_OK && store_user_insert(theirs, &u) == DB_OK;
        db_close(theirs);
        _exit(ok ? 0 : 1);
    }
    int status = -1;
    return child > 0 && waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* db_change_mark, read without a transaction: the same while nothing is
 * committed, another after any commit (this connection's, another's, another
 * process's, across a checkpoint that restarts the WAL), none inside a
 * transaction or on PostgreSQL. */
TEST(change_mark_moves_with_every_commit)
{
    uint64_t m1 = 0, m2 = 0, ignored = 0;
    if (strcmp(db_backend_name(conn), "sqlite") != 0) {
        CHECK_INT(db_change_mark(conn, &m1), DB_UNSUPPORTED);
        return;
    }
    struct db_conn *other = NULL;
    CHECK_INT(db_open(target_db, &other), DB_OK);
    /* A connection finds the WAL index at its first read transaction. */
    CHECK_INT(db_change_mark(other, &m1), DB_UNSUPPORTED);
    CHECK_INT(db_read_begin(other, &ignored), DB_OK);
    db_read_end(other);
    CHECK_INT(db_change_mark(other, &m1), DB_OK);
    CHECK_INT(db_change_mark(conn, &m1), DB_OK);
    CHECK_INT(db_change_mark(conn, &m2), DB_OK);
    CHECK(m1 == m2);
    struct store_user u = make_user("student", "Test User");
    CHECK_INT(store_user_insert(other, &u), DB_OK);
    CHECK_INT(db_change_mark(conn, &m2), DB_OK);
    CHECK(m1 != m2);
    CHECK_INT(store_user_add_role(conn, u.id, "preceptor"), DB_OK);
    CHECK_INT(db_change_mark(conn, &m1), DB_OK);
    CHECK(m1 != m2);
    CHECK(insert_user_from_another_process());
    CHECK_INT(db_change_mark(conn, &m2), DB_OK);
    CHECK(m1 != m2);
    /* The WAL copied back and started again from its first frame. */
    CHECK_INT(db_exec(other, "PRAGMA wal_checkpoint(TRUNCATE)"), DB_OK);
    CHECK_INT(db_change_mark(conn, &m1), DB_OK);
    struct store_user v = make_user("student", "Test User");
    CHECK_INT(store_user_insert(other, &v), DB_OK);
    CHECK_INT(db_change_mark(conn, &m2), DB_OK);
    CHECK(m1 != m2);
    /* Nothing committed: the same mark from both connections' view of it. */
    CHECK_INT(db_change_mark(other, &m1), DB_OK);
    CHECK(m1 == m2);
    CHECK_INT(db_exec(conn, "BEGIN"), DB_OK);
    CHECK_INT(db_change_mark(conn, &m1), DB_UNSUPPORTED);
    CHECK_INT(db_exec(conn, "COMMIT"), DB_OK);
    db_close(other);
}

static int find_session_user(const char *hash, struct store_user *found)
{
    int64_t now = clock_now();
    struct store_session s;
    return store_session_find_user(conn, &arena, hash, now - 1800, now - 43200, &s, found);
}

/* A role or membership added to a user inside a transaction, then the
 * session read in it: it sees its own uncommitted changes. */
struct role_then_read {
    const char *user_id, *hash;
    size_t role_count;
};

static int add_role_then_read(struct db_conn *c, void *p)
{
    struct role_then_read *ctx = p;
    int rc = store_user_add_role(c, ctx->user_id, "staff");
    if (rc != DB_OK)
        return rc;
    struct store_user found;
    rc = find_session_user(ctx->hash, &found);
    ctx->role_count = rc == DB_ROW ? found.role_count : 0;
    return rc == DB_ROW ? DB_OK : rc;
}

/* Sessions a connection keeps in memory (SQLite) are given again only while
 * nothing changed: every change, through this connection, another one or
 * another process, shows in the next read; the expiry is checked each time. */
TEST(session_reads_follow_every_change_at_once)
{
    struct db_conn *other = NULL;
    CHECK_INT(db_open(target_db, &other), DB_OK);
    struct store_user u = make_user("student", "Test User");
    CHECK_INT(store_user_insert(conn, &u), DB_OK);
    char hash[65];
    crypto_hash_token(unique("token"), hash);
    int64_t now = clock_now();
    CHECK_INT(store_session_insert(conn, hash, u.id, "csrf-kept", now - 100), DB_OK);
    struct store_user found;
    struct store_session s;
    CHECK_INT(find_session_user(hash, &found), DB_ROW);
    CHECK_INT(find_session_user(hash, &found), DB_ROW);
    uint64_t mark = 0;
    /* On SQLite the kept session is given without a transaction (db_change_mark). */
    CHECK_INT(db_change_mark(conn, &mark), strcmp(db_backend_name(conn), "sqlite") == 0 ? DB_OK : DB_UNSUPPORTED);
    CHECK_STR(found.name, "Test User");
    CHECK_INT(found.role_count, 1);
    CHECK_INT(found.membership_count, 0);

    /* A kept session is still checked against the time bounds. */
    CHECK_INT(store_session_find_user(conn, &arena, hash, now - 50, now - 43200, &s, &found), DB_DONE);
    CHECK_INT(store_session_find_user(conn, &arena, hash, now - 1800, now - 10, &s, &found), DB_DONE);
    CHECK_INT(store_session_find_user(conn, &arena, hash, now - 1800, now - 43200, &s, &found), DB_ROW);
    CHECK_STR(s.csrf_token, "csrf-kept");
    CHECK_INT(s.last_seen_at, now - 100);

    /* Through another connection: a role, a membership, the profile, the
     * two-factor enrolment flag. */
    CHECK_INT(store_user_add_role(other, u.id, "preceptor"), DB_OK);
    CHECK_INT(find_session_user(hash, &found), DB_ROW);
    CHECK_INT(found.role_count, 2);
    const char *org = unique("org_");
    CHECK_INT(store_organization_insert(other, org, "Harbour Clinic", "host", now), DB_OK);
    CHECK_INT(store_membership_insert(other, u.id, org, "preceptor"), DB_OK);
    CHECK_INT(find_session_user(hash, &found), DB_ROW);
    CHECK_INT(found.membership_count, 1);
    CHECK_STR(found.memberships[0].organization_name, "Harbour Clinic");
    struct store_profile profile = {.school = "Riverside", .graduation_year = 0, .step2ck_score = -1};
    CHECK_INT(store_user_set_profile(other, u.id, &profile), DB_OK);
    CHECK_INT(find_session_user(hash, &found), DB_ROW);
    CHECK_STR(found.profile.school, "Riverside");
    struct db_stmt *st = db_prepare(other, "UPDATE sessions SET enrol_second_factor = 1 WHERE token_hash = $1");
    db_bind_text(st, 1, hash);
    CHECK_INT(db_step(st), DB_DONE);
    db_reset(st);
    CHECK_INT(store_session_find_user(conn, &arena, hash, now - 1800, now - 43200, &s, &found), DB_ROW);
    CHECK(s.enrol_second_factor);
    /* A string given earlier stays the caller's when the kept one is replaced. */
    const char *earlier_school = found.profile.school;

    /* Through this connection, and inside a transaction of its own. */
    CHECK_INT(store_user_add_role(conn, u.id, "coach"), DB_OK);
    CHECK_INT(find_session_user(hash, &found), DB_ROW);
    CHECK_INT(found.role_count, 3);
    struct role_then_read ctx = {u.id, hash, 0};
    CHECK_INT(db_run_tx(conn, true, add_role_then_read, &ctx), DB_OK);
    CHECK_INT(ctx.role_count, 4);
    CHECK_STR(earlier_school, "Riverside");

    /* Signed out by another process. */
    CHECK_INT(find_session_user(hash, &found), DB_ROW);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        struct db_conn *theirs = NULL;
        int ok = db_open(target_db, &theirs) == DB_OK && store_session_delete(theirs, hash) == DB_OK;
        db_close(theirs);
        _exit(ok ? 0 : 1);
    }
    int status = -1;
    CHECK(child > 0 && waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK_INT(find_session_user(hash, &found), DB_DONE);

    /* The user deleted through another connection (its sessions go with it). */
    char hash2[65];
    crypto_hash_token(unique("token"), hash2);
    CHECK_INT(store_session_insert(conn, hash2, u.id, "csrf-2", now), DB_OK);
    CHECK_INT(find_session_user(hash2, &found), DB_ROW);
    st = db_prepare(other, "DELETE FROM users WHERE id = $1");
    db_bind_text(st, 1, u.id);
    CHECK_INT(db_step(st), DB_DONE);
    db_reset(st);
    CHECK_INT(find_session_user(hash2, &found), DB_DONE);
    db_close(other);
}

TEST(login_failures_count_per_account_and_client)
{
    const char *account = unique("acct");
    const char *other = unique("acct");
    const char *client = unique("10.0.0.");
    const char *elsewhere = unique("10.0.1.");
    int64_t now = clock_now();
    for (int i = 0; i < 3; i++)
        CHECK_INT(store_login_failure_add(conn, account, client, now - i), DB_OK);
    CHECK_INT(store_login_failure_add(conn, account, elsewhere, now - 7), DB_OK);
    CHECK_INT(store_login_failure_add(conn, other, client, now), DB_OK);
    CHECK_INT(store_login_failure_add(conn, account, client, now - 5000), DB_OK); /* outside the window */
    struct store_login_failures f;
    CHECK_INT(store_login_failure_counts(conn, account, client, now - 900, &f), DB_OK);
    CHECK_INT(f.pair, 3);
    CHECK_INT(f.pair_first_at, now - 2);
    CHECK_INT(f.pair_last_at, now);
    CHECK_INT(f.account, 4);
    CHECK_INT(f.client, 4);
    /* A success forgets the failures of its own address only. */
    CHECK_INT(store_login_failure_clear(conn, account, client), DB_OK);
    CHECK_INT(store_login_failure_counts(conn, account, client, now - 900, &f), DB_OK);
    CHECK_INT(f.pair, 0);
    CHECK_INT(f.pair_first_at, 0);
    CHECK_INT(f.pair_last_at, 0);
    CHECK_INT(f.account, 1);
    CHECK_INT(f.client, 1);
    CHECK_INT(store_login_failure_prune(conn, now + 1), DB_OK);
    CHECK_INT(store_login_failure_counts(conn, other, client, 0, &f), DB_OK);
    CHECK_INT(f.account, 0);
}

struct tx_ctx {
    struct store_user user;
    bool fail_after_insert;
};

static int insert_then_maybe_fail(struct db_conn *c, void *p)
{
    struct tx_ctx *ctx = p;
    int rc = store_user_insert(c, &ctx->user);
    if (rc != DB_OK)
        return rc;
    return ctx->fail_after_insert ? DB_ERROR : DB_OK;
}

TEST(transactions_commit_or_roll_back_as_a_whole)
{
    struct tx_ctx ok = {make_user("student", "Test User"), false};
    CHECK_INT(db_run_tx(conn, true, insert_then_maybe_fail, &ok), DB_OK);
    struct store_user found;
    CHECK_INT(store_user_by_id(conn, &arena, ok.user.id, &found), DB_ROW);
    CHECK_INT(found.role_count, 1);

    struct tx_ctx bad = {make_user("student", "Test User"), true};
    CHECK_INT(db_run_tx(conn, true, insert_then_maybe_fail, &bad), DB_ERROR);
    CHECK_INT(store_user_by_id(conn, &arena, bad.user.id, &found), DB_DONE);
}

/* Whether tz names a zone of the tz database (a file of /usr/share/zoneinfo). */
static bool tz_database_zone(const char *tz)
{
    char path[256];
    struct stat st;
    if (tz == NULL || tz[0] == '\0' || strstr(tz, "..") != NULL)
        return false;
    snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", tz);
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Wyoming's zone in the states table ("" when it cannot be read). */
static const char *wyoming_zone(void)
{
    struct db_stmt *st = db_prepare(conn, "SELECT time_zone FROM us_states WHERE code = $1");
    db_bind_text(st, 1, "WY");
    const char *tz = db_step(st) == DB_ROW ? arena_strdup(&arena, db_column_text(st, 0)) : "";
    db_reset(st);
    return tz;
}

/* Every zone that states and sites name is one of the tz database: a
 * calendar feed's TZID or a conversion with any other misleads its reader.
 * Wyoming keeps Mountain Time as America/Denver, and the migration that
 * corrected it moves a state and a site still saying "America/Cheyenne". */
TEST(time_zones_of_states_and_sites_are_tz_database_zones)
{
    CHECK_STR(wyoming_zone(), "America/Denver");
    const struct reference_state *wy = reference_state_find("WY");
    CHECK(wy != NULL && strcmp(wy->time_zone, "America/Denver") == 0);
    for (size_t i = 0; i < reference_state_count; i++)
        if (!tz_database_zone(reference_states[i].time_zone))
            TEST_FAILF("the reference data give %s the zone %s", reference_states[i].code,
                       reference_states[i].time_zone);
    /* A database from before the correction: its state and a site there. */
    const char *org = unique("org_"), *site = unique("site_");
    CHECK_INT(store_organization_insert(conn, org, "Cheyenne Regional", "host", clock_now()), DB_OK);
    struct db_stmt *st = db_prepare(conn, "INSERT INTO sites (id, organization_id, name, city, state, zip, time_zone,"
                                          " created_at) VALUES ($1, $2, 'Cheyenne Clinic', 'Cheyenne', 'WY', '82001',"
                                          " 'America/Cheyenne', 0)");
    db_bind_text(st, 1, site);
    db_bind_text(st, 2, org);
    CHECK_INT(db_step(st), DB_DONE);
    db_reset(st);
    CHECK_INT(db_exec(conn, "UPDATE us_states SET time_zone = 'America/Cheyenne' WHERE code = 'WY'"), DB_OK);
    const char *backend = strcmp(db_backend_name(conn), "sqlite") == 0 ? "sqlite" : "pg";
    const struct migration *fix = NULL;
    for (const struct migration *m = migrations_table; m->backend != NULL; m++)
        if (strcmp(m->backend, backend) == 0 && strstr(m->name, "wyoming_time_zone") != NULL)
            fix = m;
    CHECK(fix != NULL);
    if (fix != NULL)
        CHECK_INT(db_exec(conn, fix->sql), DB_OK);
    CHECK_STR(wyoming_zone(), "America/Denver");
    long zones = 0;
    st = db_prepare(conn, "SELECT time_zone FROM us_states UNION SELECT time_zone FROM sites");
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *tz = db_column_text(st, 0);
        zones++;
        if (!tz_database_zone(tz))
            TEST_FAILF("a state or a site has the zone %s, which the tz database does not know", tz);
    }
    db_reset(st);
    CHECK_INT(rc, DB_DONE);
    CHECK(zones >= 6); /* Eastern, Central, Mountain, Arizona, Pacific, Alaska, Hawaii, ... */
}

TEST(a_role_outside_the_list_is_refused_by_the_schema)
{
    struct store_user u = make_user("wizard", "Test User");
    struct tx_ctx ctx = {u, false};
    CHECK_INT(db_run_tx(conn, true, insert_then_maybe_fail, &ctx), DB_CONSTRAINT);
    struct store_user found;
    CHECK_INT(store_user_by_id(conn, &arena, u.id, &found), DB_DONE);
}

/* ---- the audit trail ---- */

/* An event is stored under its row's names in domain/vocabulary.h, and read
 * back newest first; a value outside the tables is refused and writes nothing. */
TEST(audit_events_are_written_by_their_names_only)
{
    struct store_user u = make_user("student", "Test User");
    CHECK_INT(store_user_insert(conn, &u), DB_OK);
    CHECK_INT(store_audit_add(conn, u.id, AUDIT_LOGIN, AUDIT_ON_USER, u.id, NULL, 100), DB_OK);
    CHECK_INT(store_audit_add(conn, u.id, AUDIT_DOCUMENT_UPLOAD, AUDIT_ON_DOCUMENT, "doc_1", "kind=cv", 101), DB_OK);
    CHECK_INT(store_audit_add(conn, u.id, AUDIT_ACTION_COUNT, AUDIT_ON_USER, u.id, "", 102), DB_ERROR);
    CHECK_INT(store_audit_add(conn, u.id, AUDIT_ACTION_UNKNOWN, AUDIT_ON_USER, u.id, "", 102), DB_ERROR);
    CHECK_INT(store_audit_add(conn, u.id, AUDIT_LOGIN, AUDIT_OBJECT_UNKNOWN, u.id, "", 102), DB_ERROR);
    struct store_audit_event *items;
    size_t count;
    CHECK_INT(store_audit_list(conn, &arena, NULL, u.id, 0, 10, &items, &count), DB_OK);
    CHECK_INT((int64_t)count, 2);
    if (count == 2) {
        CHECK_STR(items[0].action, "document.upload");
        CHECK_STR(items[0].object_type, "document");
        CHECK_STR(items[0].detail, "kind=cv");
        CHECK_STR(items[1].action, "login");
        CHECK_STR(items[1].object_type, "user");
        CHECK_STR(items[1].detail, "");
    }
    CHECK_INT(store_audit_list(conn, &arena, "login", u.id, 0, 10, &items, &count), DB_OK);
    CHECK_INT((int64_t)count, 1);
}

/* ---- the one-row helpers (store/util.c) ---- */

static const char one_plus[] = "SELECT CAST($1 AS BIGINT) + 1";
static const char only_if_one[] = "SELECT 5 WHERE 1 = CAST($1 AS BIGINT)";
static const char two_rows[] = "SELECT x FROM (SELECT 3 AS x UNION ALL SELECT 4 AS x) t ORDER BY x";
static const char pair_if_one[] = "SELECT 7, CAST(NULL AS BIGINT) WHERE 1 = CAST($1 AS BIGINT)";
static const char count_above[] = "SELECT COUNT(*) FROM (SELECT 1 AS x UNION ALL SELECT 2 AS x) t"
                                  " WHERE x > CAST($1 AS BIGINT)";
static const char broken[] = "SELECT no_such_column FROM no_such_table";

/* The statement of sql with $1 bound to param. */
static struct db_stmt *bound(const char *sql, int64_t param)
{
    struct db_stmt *st = db_prepare(conn, sql);
    db_bind_int(st, 1, param);
    return st;
}

TEST(one_int_reads_column_zero_of_the_row)
{
    int64_t value = -1;
    CHECK_INT(store_one_int(bound(one_plus, 41), &value), DB_OK);
    CHECK_INT(value, 42);
    value = -1;
    CHECK_INT(store_one_int_required(bound(one_plus, 41), &value), DB_OK);
    CHECK_INT(value, 42);
}

TEST(no_row_is_done_or_an_error_where_one_is_required)
{
    int64_t value = 99;
    CHECK_INT(store_one_int(bound(only_if_one, 0), &value), DB_DONE);
    CHECK_INT(value, 0);
    value = 99;
    CHECK_INT(store_one_int_required(bound(only_if_one, 0), &value), DB_ERROR);
    CHECK_INT(value, 0);
    CHECK_INT(store_one_int_required(bound(only_if_one, 1), &value), DB_OK);
    CHECK_INT(value, 5);
}

TEST(the_statement_is_reset_and_runs_again_from_its_first_row)
{
    for (int i = 0; i < 3; i++) {
        int64_t value = 0;
        CHECK_INT(store_one_int(db_prepare(conn, two_rows), &value), DB_OK);
        CHECK_INT(value, 3);
    }
}

TEST(two_ints_read_columns_zero_and_one_null_as_zero)
{
    int64_t first = -1, second = -1;
    CHECK_INT(store_two_ints(bound(pair_if_one, 1), &first, &second), DB_OK);
    CHECK_INT(first, 7);
    CHECK_INT(second, 0);
    first = second = -1;
    CHECK_INT(store_two_ints(bound(pair_if_one, 0), &first, &second), DB_DONE);
    CHECK_INT(first, 0);
    CHECK_INT(second, 0);
}

TEST(count_any_says_whether_anything_was_counted)
{
    bool any = false;
    CHECK_INT(store_count_any(bound(count_above, 1), &any), DB_OK);
    CHECK(any);
    CHECK_INT(store_count_any(bound(count_above, 2), &any), DB_OK);
    CHECK(!any);
    any = true;
    CHECK_INT(store_count_any(bound(only_if_one, 0), &any), DB_DONE);
    CHECK(!any);
}

TEST(a_failed_statement_gives_its_error_and_zeros)
{
    int64_t first = 99, second = 99;
    bool any = true;
    CHECK_INT(store_one_int(db_prepare(conn, broken), &first), DB_ERROR);
    CHECK_INT(first, 0);
    first = 99;
    CHECK_INT(store_one_int_required(db_prepare(conn, broken), &first), DB_ERROR);
    CHECK_INT(first, 0);
    first = 99;
    CHECK_INT(store_two_ints(db_prepare(conn, broken), &first, &second), DB_ERROR);
    CHECK_INT(first, 0);
    CHECK_INT(second, 0);
    CHECK_INT(store_count_any(db_prepare(conn, broken), &any), DB_ERROR);
    CHECK(!any);
    /* The connection goes on. */
    int64_t value = 0;
    CHECK_INT(store_one_int(bound(one_plus, 1), &value), DB_OK);
    CHECK_INT(value, 2);
}

TEST(change_one_and_change_any_say_what_a_write_changed)
{
    CHECK_INT(db_exec(conn, "CREATE TEMP TABLE change_probe (id BIGINT PRIMARY KEY, v BIGINT NOT NULL);"
                            " INSERT INTO change_probe VALUES (1, 0), (2, 0), (3, 1)"),
              DB_OK);
    static const char by_id[] = "UPDATE change_probe SET v = v + 10 WHERE id = $1";
    static const char by_value[] = "UPDATE change_probe SET v = v + 100 WHERE v = $1";
    CHECK_INT(store_change_one(bound(by_value, 0)), DB_DONE); /* rows 1 and 2: not one */
    CHECK_INT(store_change_one(bound(by_id, 3)), DB_OK);
    CHECK_INT(store_change_one(bound(by_id, 9)), DB_DONE);
    CHECK_INT(store_change_any(bound(by_value, 5)), DB_DONE);
    CHECK_INT(store_change_any(bound(by_value, 100)), DB_OK); /* rows 1 and 2 again */
    CHECK_INT(store_change_one(db_prepare(conn, broken)), DB_ERROR);
    CHECK_INT(store_change_any(db_prepare(conn, broken)), DB_ERROR);
    int64_t sum = 0;
    CHECK_INT(store_one_int(db_prepare(conn, "SELECT SUM(v) FROM change_probe"), &sum), DB_OK);
    CHECK_INT(sum, 200 + 200 + 11); /* every write ran, whatever it answered */
    CHECK_INT(db_exec(conn, "DROP TABLE change_probe"), DB_OK);
}

TEST(ping_answers)
{
    CHECK(db_driver_of(conn)->ping(conn));
}

/* ---- a database that answers its first connect too late ----
 * A proxy on loopback that never answers the first connection made to it
 * (as a server too busy to start a backend) and forwards the next to the
 * test's PostgreSQL. */

struct late_proxy {
    int listener, server_port, held;
    atomic_int accepted;
    atomic_bool stop;
    pthread_t thread;
};

static int tcp_to(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

/* Copies bytes both ways until either side closes or the proxy stops. */
static void late_proxy_relay(struct late_proxy *proxy, int client, int server)
{
    char buf[16384];
    while (!atomic_load(&proxy->stop)) {
        struct pollfd p[2] = {{.fd = client, .events = POLLIN}, {.fd = server, .events = POLLIN}};
        if (poll(p, 2, 100) <= 0)
            continue;
        for (int i = 0; i < 2; i++) {
            if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t n = recv(p[i].fd, buf, sizeof(buf), 0);
            if (n <= 0 || send(p[1 - i].fd, buf, (size_t)n, MSG_NOSIGNAL) != n)
                return;
        }
    }
}

static void *late_proxy_main(void *arg)
{
    struct late_proxy *proxy = arg;
    while (!atomic_load(&proxy->stop)) {
        struct pollfd p = {.fd = proxy->listener, .events = POLLIN};
        if (poll(&p, 1, 100) <= 0)
            continue;
        int fd = accept4(proxy->listener, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0)
            continue;
        if (atomic_fetch_add(&proxy->accepted, 1) == 0) {
            proxy->held = fd; /* never answered */
            continue;
        }
        int server = tcp_to(proxy->server_port);
        if (server >= 0) {
            late_proxy_relay(proxy, fd, server);
            close(server);
        }
        close(fd);
    }
    return NULL;
}

/* Starts the proxy in front of url's server (on 127.0.0.1) and writes the URL
 * through it, with a connect timeout of 2 s, into out. */
static bool late_proxy_start(struct late_proxy *proxy, const char *url, char *out, size_t size)
{
    static const char host[] = "@127.0.0.1:";
    const char *at = strstr(url, host);
    *proxy = (struct late_proxy){.listener = -1, .held = -1};
    if (at == NULL)
        return false;
    char *rest = NULL;
    proxy->server_port = (int)strtol(at + sizeof(host) - 1, &rest, 10);
    proxy->listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    if (proxy->listener < 0 || bind(proxy->listener, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        listen(proxy->listener, 8) != 0 || getsockname(proxy->listener, (struct sockaddr *)&a, &len) != 0)
        return false;
    snprintf(out, size, "%.*s%s%d%s%sconnect_timeout=2", (int)(at - url), url, host, ntohs(a.sin_port), rest,
             strchr(rest, '?') != NULL ? "&" : "?");
    return pthread_create(&proxy->thread, NULL, late_proxy_main, proxy) == 0;
}

static void late_proxy_stop(struct late_proxy *proxy)
{
    atomic_store(&proxy->stop, true);
    pthread_join(proxy->thread, NULL);
    if (proxy->held >= 0)
        close(proxy->held);
    close(proxy->listener);
}

TEST(a_connect_without_an_answer_in_time_is_tried_again)
{
    if (strcmp(db_backend_name(conn), "postgres") != 0)
        return;
    struct late_proxy proxy;
    char url[512];
    if (!late_proxy_start(&proxy, target_db, url, sizeof(url))) {
        TEST_FAILF("cannot start a proxy in front of the test database");
        return;
    }
    struct db_conn *late = NULL;
    double started = clock_monotonic_ms();
    CHECK_INT(db_open(url, &late), DB_OK);
    double took = clock_monotonic_ms() - started;
    CHECK_INT(atomic_load(&proxy.accepted), 2); /* the first connect given up, the second answered */
    CHECK(took >= 2000);                        /* after the first one's timeout */
    if (late != NULL) {
        CHECK(db_driver_of(late)->ping(late));
        db_close(late);
    }
    late_proxy_stop(&proxy);
}

int main(void)
{
    if (!store_fixture_open("store", FIXTURE_FOLDER_FOR_SQLITE))
        return 1;
    RUN(migrations_are_applied_and_idempotent);
    RUN(a_newer_schema_is_refused);
    RUN(users_round_trip_with_roles_and_memberships);
    RUN(duplicate_email_is_a_constraint);
    RUN(profile_updates_and_clears);
    RUN(time_zone_saves_and_refuses_paths);
    RUN(sessions_expire_when_idle_or_old);
    RUN(session_finds_its_user_with_roles_and_memberships);
    RUN(session_prune_removes_only_expired);
    RUN(data_version_changes_with_every_commit);
    RUN(change_mark_moves_with_every_commit);
    RUN(session_reads_follow_every_change_at_once);
    RUN(login_failures_count_per_account_and_client);
    RUN(transactions_commit_or_roll_back_as_a_whole);
    RUN(a_role_outside_the_list_is_refused_by_the_schema);
    RUN(audit_events_are_written_by_their_names_only);
    RUN(time_zones_of_states_and_sites_are_tz_database_zones);
    RUN(ping_answers);
    RUN(a_connect_without_an_answer_in_time_is_tried_again);
    RUN(one_int_reads_column_zero_of_the_row);
    RUN(no_row_is_done_or_an_error_where_one_is_required);
    RUN(the_statement_is_reset_and_runs_again_from_its_first_row);
    RUN(two_ints_read_columns_zero_and_one_null_as_zero);
    RUN(count_any_says_whether_anything_was_counted);
    RUN(a_failed_statement_gives_its_error_and_zeros);
    RUN(change_one_and_change_any_say_what_a_write_changed);
    return store_fixture_close("store");
}
