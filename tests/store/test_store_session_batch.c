/* test_store_session_batch.c — store_session_find_users (store/session_batch.c)
 * answers for each token what store_session_find_user answers for it alone:
 * the same user, roles, memberships and session, the same "not found" for
 * unknown, idle, old and deleted sessions, with tokens repeated and lists
 * longer than one query. The same sent without waiting (db_send, db_poll:
 * PostgreSQL; SQLite answers DB_UNSUPPORTED), and after its connection was
 * killed. With a memo (PostgreSQL): batches whose sessions are all kept are
 * answered from it, exactly as the query would (expiry, a role given and a
 * session deleted by another connection). A connection made without waiting (db_connect_start,
 * db_connect_poll, db_send_exec): it connects and runs its settings, fails
 * cleanly against a closed port, and stays in progress, without blocking,
 * against a server that never answers. On PostgreSQL, the batch reads each
 * session by key even when the table's statistics were taken while it was
 * small (no seq scan of sessions). Run on SQLite, and on PostgreSQL with
 * ROUNDS_TEST_DB=postgres://…. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/crypto.h"
#include "store/session_batch.h"
#include "store/store.h"
#include "test.h"
#include "store_fixtures.h"

enum { TOKENS = 40 };

/* A user with role_count roles (of a list) and membership_count memberships,
 * inserted: its id, or NULL. */
static const char *add_user_with(size_t role_count, size_t membership_count)
{
    static const char *roles[] = {"staff", "host_coordinator", "preceptor", "student"};
    static const char *member_roles[] = {"preceptor", "host_coordinator", "school_coordinator"};
    struct store_user u = make_user(NULL, NULL);
    u.name = unique("Name ");
    u.created_at = clock_now() - (int64_t)serial;
    u.role_count = 0;
    for (size_t i = 0; i < role_count && i < 4; i++)
        u.roles[u.role_count++] = roles[i];
    if (store_user_insert(conn, &u) != DB_OK)
        return NULL;
    for (size_t i = 0; i < membership_count && i < 3; i++) {
        const char *org = unique("org_");
        if (store_organization_insert(conn, org, unique("Clinic "), i == 2 ? "school" : "host", clock_now()) != DB_OK ||
            store_membership_insert(conn, u.id, org, member_roles[i]) != DB_OK)
            return NULL;
    }
    return u.id;
}

static void check_same_user(const struct store_user *a, const struct store_user *b)
{
    CHECK_STR(a->id, b->id);
    CHECK_STR(a->email, b->email);
    CHECK_STR(a->name, b->name);
    CHECK(a->password_hash == NULL && b->password_hash == NULL);
    CHECK_INT(a->created_at, b->created_at);
    CHECK_INT(a->email_confirmed_at, b->email_confirmed_at);
    CHECK_INT(a->profile.graduation_year, b->profile.graduation_year);
    CHECK_INT(a->profile.step2ck_score, b->profile.step2ck_score);
    CHECK_INT(a->role_count, b->role_count);
    for (size_t i = 0; i < a->role_count && i < b->role_count; i++)
        CHECK_STR(a->roles[i], b->roles[i]);
    CHECK_INT(a->membership_count, b->membership_count);
    for (size_t i = 0; i < a->membership_count && i < b->membership_count; i++) {
        CHECK_STR(a->memberships[i].organization_id, b->memberships[i].organization_id);
        CHECK_STR(a->memberships[i].organization_name, b->memberships[i].organization_name);
        CHECK_STR(a->memberships[i].organization_kind, b->memberships[i].organization_kind);
        CHECK_STR(a->memberships[i].role, b->memberships[i].role);
    }
}

/* Waits (5 s at most) for the answer to what was sent on conn. */
static int wait_answer(void)
{
    int rc = DB_OK;
    bool ready = false;
    for (int waited = 0; rc == DB_OK && !ready && waited < 5000; waited += 10) {
        struct pollfd p = {.fd = db_socket(conn), .events = POLLIN};
        if (poll(&p, 1, 10) > 0)
            rc = db_poll(conn, &ready);
    }
    return rc != DB_OK ? rc : ready ? DB_OK : DB_ERROR;
}

/* The batch sent without waiting, polled until its answer is in, with a
 * memo or without (NULL). *checked: what was sent first was the memo's check
 * (and *resent: it found the memo out of date, and the query was sent), as
 * the session reader does. */
static int find_users_kept(struct store_session_memo *memo, struct store_session_lookup *lookups, size_t count,
                           int64_t idle_after, int64_t created_after, bool *checked, bool *resent)
{
    struct db_stmt *sent = NULL;
    bool answered = false;
    *checked = *resent = false;
    for (int sends = 0; sends < 2 && !answered; sends++) {
        int rc = store_session_find_users_send(conn, memo, lookups, count, idle_after, created_after, &sent);
        if (sends == 0)
            *checked = memo != NULL && memo->checking;
        *resent = sends == 1;
        if (rc == DB_OK)
            rc = wait_answer();
        if (rc != DB_OK)
            return rc;
        rc = store_session_find_users_receive(sent, memo, lookups, count, &answered);
        if (rc != DB_OK)
            return rc;
    }
    CHECK(answered);
    return DB_OK;
}

static int find_users_sent(struct store_session_lookup *lookups, size_t count, int64_t idle_after,
                           int64_t created_after)
{
    bool checked, resent;
    int rc = find_users_kept(NULL, lookups, count, idle_after, created_after, &checked, &resent);
    CHECK(!checked && !resent);
    return rc;
}

/* Looks every hash up in one call (sent: without waiting; kept: with that
 * memo, *checked and *resent as find_users_kept says) and one by one; the
 * answers must agree. */
static void check_kept_equals_single(const char **hashes, size_t count, int64_t idle_after, int64_t created_after,
                                     size_t expect_found, bool sent, struct store_session_memo *kept, bool *checked,
                                     bool *resent)
{
    struct store_session_lookup lookups[TOKENS * 2];
    struct store_user users[TOKENS * 2];
    memset(users, 0, sizeof(users));
    for (size_t i = 0; i < count; i++)
        lookups[i] = (struct store_session_lookup){.token_hash = hashes[i], .arena = &arena, .user = &users[i]};
    if (kept != NULL)
        CHECK_INT(find_users_kept(kept, lookups, count, idle_after, created_after, checked, resent), DB_OK);
    else if (sent)
        CHECK_INT(find_users_sent(lookups, count, idle_after, created_after), DB_OK);
    else
        CHECK_INT(store_session_find_users(conn, lookups, count, idle_after, created_after), DB_OK);
    size_t found = 0;
    for (size_t i = 0; i < count; i++) {
        struct store_session session = {0};
        struct store_user user = {0};
        int rc = store_session_find_user(conn, &arena, hashes[i], idle_after, created_after, &session, &user);
        CHECK_INT(lookups[i].rc, rc);
        if (rc != DB_ROW || lookups[i].rc != DB_ROW)
            continue;
        found++;
        CHECK_STR(lookups[i].session.user_id, session.user_id);
        CHECK_STR(lookups[i].session.csrf_token, session.csrf_token);
        CHECK_INT(lookups[i].session.created_at, session.created_at);
        CHECK_INT(lookups[i].session.last_seen_at, session.last_seen_at);
        CHECK_INT(lookups[i].session.enrol_second_factor, session.enrol_second_factor);
        check_same_user(&users[i], &user);
    }
    CHECK_INT(found, expect_found);
}

static void check_batch_equals_single(const char **hashes, size_t count, int64_t idle_after, int64_t created_after,
                                      size_t expect_found, bool sent)
{
    check_kept_equals_single(hashes, count, idle_after, created_after, expect_found, sent, NULL, NULL, NULL);
}

TEST(a_batch_answers_each_token_as_a_single_lookup_would)
{
    int64_t now = clock_now();
    const char *hashes[TOKENS * 2];
    char stored[TOKENS][65];
    /* Users with 0–3 roles and 0–2 memberships; some share a user (two sessions). */
    const char *user_id = NULL;
    for (size_t i = 0; i < TOKENS; i++) {
        if (i % 3 != 2)
            user_id = add_user_with(i % 4, i % 3);
        CHECK(user_id != NULL);
        crypto_hash_token(unique("token"), stored[i]);
        char csrf[32];
        snprintf(csrf, sizeof(csrf), "csrf-%zu", i);
        CHECK_INT(store_session_insert(conn, stored[i], user_id, csrf, now - 100 - (int64_t)i), DB_OK);
        hashes[i] = stored[i];
    }
    /* Within one query, with a token twice and one unknown. */
    const char *few[] = {hashes[0], hashes[1], hashes[2], hashes[1], "unknown-token-hash", hashes[5], hashes[4]};
    check_batch_equals_single(few, 7, now - 1800, now - 43200, 6, false);
    /* One alone, and an empty list. */
    check_batch_equals_single(hashes + 3, 1, now - 1800, now - 43200, 1, false);
    check_batch_equals_single(hashes, 0, now - 1800, now - 43200, 0, false);
    /* Longer than one query, every token twice (the repeat in another query). */
    for (size_t i = 0; i < TOKENS; i++)
        hashes[TOKENS + i] = hashes[TOKENS - 1 - i];
    check_batch_equals_single(hashes, TOKENS * 2, now - 1800, now - 43200, TOKENS * 2, false);
    /* Idle: only the sessions seen since now - 110 (i < 10). Too old: created since. */
    check_batch_equals_single(hashes, TOKENS, now - 110, now - 43200, 10, false);
    CHECK_INT(store_session_delete(conn, stored[0]), DB_OK);
    CHECK_INT(store_session_delete(conn, stored[7]), DB_OK);
    check_batch_equals_single(hashes, TOKENS, now - 1800, now - 43200, TOKENS - 2, false);
}

/* ---- PostgreSQL: each token read by key, whatever the statistics say ---- */

enum { STALE_SESSIONS = 3000 };

struct scan_count {
    struct store_session_lookup *lookups;
    size_t count;
    int64_t now;
    int64_t seq_scans; /* of sessions, by the batches */
};

/* The seq scans of sessions this connection made (not yet flushed to the
 * shared statistics: PostgreSQL 15 counts those of earlier transactions too). */
static int64_t seq_scans_of_sessions(struct db_conn *c)
{
    struct db_stmt *st = db_prepare(c, "SELECT COALESCE(SUM(seq_scan), 0) FROM pg_stat_xact_user_tables"
                                       " WHERE relname = 'sessions'");
    int rc = db_step(st);
    int64_t n = rc == DB_ROW ? db_column_int(st, 0) : -1;
    db_reset(st);
    return n;
}

static int batch_then_count_scans(struct db_conn *c, void *p)
{
    struct scan_count *sc = p;
    int64_t before = seq_scans_of_sessions(c);
    for (int round = 0; round < 8; round++) { /* custom plans first, then the generic one */
        int rc = store_session_find_users(c, sc->lookups, sc->count, sc->now - 1800, sc->now - 43200);
        if (rc != DB_OK)
            return rc;
    }
    int64_t after = seq_scans_of_sessions(c);
    sc->seq_scans = before >= 0 && after >= 0 ? after - before : -1;
    return DB_OK;
}

/* Statistics taken when sessions held five, then thousands of sessions (as
 * right after a bulk of logins, before autovacuum analyses the table again):
 * planned as one join, the 16 tokens were read by a seq scan of sessions. */
TEST(a_batch_reads_sessions_by_key_with_statistics_of_a_small_table)
{
    if (strcmp(db_backend_name(conn), "postgres") != 0) {
        printf("  (PostgreSQL only)\n");
        return;
    }
    int64_t now = clock_now();
    const char *user_id = add_user_with(2, 2);
    CHECK(user_id != NULL);
    struct store_session_lookup lookups[STORE_SESSION_BATCH_MAX];
    struct store_user users[STORE_SESSION_BATCH_MAX];
    char stored[STORE_SESSION_BATCH_MAX][65];
    memset(users, 0, sizeof(users));
    for (size_t i = 0; i < STORE_SESSION_BATCH_MAX; i++) {
        crypto_hash_token(unique("stale-token"), stored[i]);
        CHECK_INT(store_session_insert(conn, stored[i], user_id, "csrf", now - 10), DB_OK);
        lookups[i] = (struct store_session_lookup){.token_hash = stored[i], .arena = &arena, .user = &users[i]};
        if (i == 4) { /* the statistics of five sessions */
            CHECK_INT(db_exec(conn, "ALTER TABLE sessions SET (autovacuum_enabled = false)"), DB_OK);
            CHECK_INT(db_exec(conn, "ANALYZE sessions"), DB_OK);
        }
    }
    struct db_stmt *st = db_prepare(conn, "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at)"
                                          " SELECT md5('stale' || g) || md5($1 || g), $1, 'c', $2, $2"
                                          " FROM generate_series(1, $3) AS g");
    db_bind_text(st, 1, user_id);
    db_bind_int(st, 2, now - 100);
    db_bind_int(st, 3, STALE_SESSIONS);
    CHECK_INT(db_step(st), DB_DONE);
    db_reset(st);
    struct scan_count sc = {lookups, STORE_SESSION_BATCH_MAX, now, -1};
    CHECK_INT(db_run_tx(conn, false, batch_then_count_scans, &sc), DB_OK);
    CHECK_INT(sc.seq_scans, 0);
    for (size_t i = 0; i < STORE_SESSION_BATCH_MAX; i++) {
        CHECK_INT(lookups[i].rc, DB_ROW);
        CHECK_INT(users[i].membership_count, 2);
    }
    CHECK_INT(db_exec(conn, "ALTER TABLE sessions RESET (autovacuum_enabled)"), DB_OK);
}

TEST(a_batch_sent_without_waiting_answers_the_same)
{
    bool postgres = strcmp(db_backend_name(conn), "postgres") == 0;
    int64_t now = clock_now();
    const char *hashes[8];
    char stored[8][65];
    for (size_t i = 0; i < 8; i++) {
        const char *user_id = add_user_with(i % 3, i % 2);
        crypto_hash_token(unique("sent"), stored[i]);
        CHECK_INT(store_session_insert(conn, stored[i], user_id, "csrf", now - 10), DB_OK);
        hashes[i] = stored[i];
    }
    if (!postgres) {
        struct store_session_lookup lookup = {.token_hash = hashes[0], .arena = &arena};
        struct db_stmt *sent = NULL;
        bool ready = true;
        CHECK_INT(store_session_find_users_send(conn, NULL, &lookup, 1, now - 1800, now - 43200, &sent),
                  DB_UNSUPPORTED);
        CHECK(sent == NULL);
        CHECK_INT(db_socket(conn), -1);
        CHECK_INT(db_poll(conn, &ready), DB_UNSUPPORTED);
        CHECK(!ready);
        return;
    }
    /* Nothing sent: a poll reads nothing and nothing is ready. */
    bool ready = true;
    CHECK_INT(db_poll(conn, &ready), DB_OK);
    CHECK(!ready);
    const char *few[] = {hashes[0], hashes[1], "unknown-token-hash", hashes[1], hashes[5]};
    check_batch_equals_single(few, 5, now - 1800, now - 43200, 4, true);
    check_batch_equals_single(hashes, 8, now - 1800, now - 43200, 8, true);
    /* Killed from another connection: the poll fails, a ping reconnects, and
     * the next send is answered. */
    struct db_conn *other = NULL;
    CHECK_INT(db_open(getenv("ROUNDS_TEST_DB"), &other), DB_OK);
    CHECK_INT(db_exec(conn, "SET application_name = 'rounds store test sent'"), DB_OK);
    CHECK_INT(db_exec(other, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                             " WHERE application_name = 'rounds store test sent'"),
              DB_OK);
    db_close(other);
    usleep(300 * 1000); /* the backend has gone */
    struct store_session_lookup lookups[1] = {{.token_hash = hashes[2], .arena = &arena}};
    struct store_user user = {0};
    lookups[0].user = &user;
    CHECK(find_users_sent(lookups, 1, now - 1800, now - 43200) != DB_OK);
    CHECK(db_ping(conn));
    CHECK(db_socket(conn) >= 0);
    check_batch_equals_single(hashes, 8, now - 1800, now - 43200, 8, true);
}


/* One batch with a memo: the answers as single lookups give them, and
 * whether it was a check (resent: found out of date). */
static void check_kept(struct store_session_memo *memo, const char **hashes, size_t count, int64_t idle_after,
                       size_t expect_found, bool expect_checked, bool expect_resent)
{
    bool checked = false, resent = false;
    check_kept_equals_single(hashes, count, idle_after, clock_now() - 43200, expect_found, true, memo, &checked,
                             &resent);
    CHECK_INT(checked, expect_checked);
    CHECK_INT(resent, expect_resent);
}

/* The same, answered from the memo by its check. A write anywhere in the
 * cluster (autovacuum's) changes the snapshot too: one that comes between
 * is given two more batches (one to confirm the memo, one checked). */
static void check_hit(struct store_session_memo *memo, const char **hashes, size_t count, int64_t idle_after,
                      size_t expect_found)
{
    bool checked = false, resent = false;
    for (int attempt = 0; attempt < 3 && !(checked && !resent); attempt++)
        check_kept_equals_single(hashes, count, idle_after, clock_now() - 43200, expect_found, true, memo, &checked,
                                 &resent);
    if (!checked || resent)
        TEST_FAILF("not answered from the memo (checked %d, resent %d)", checked, resent);
}

TEST(a_memo_answers_as_the_query_would)
{
    if (strcmp(db_backend_name(conn), "postgres") != 0)
        return;
    struct store_session_memo *memo = store_session_memo_new();
    struct db_conn *other = NULL;
    CHECK(memo != NULL);
    CHECK_INT(db_open(getenv("ROUNDS_TEST_DB"), &other), DB_OK);
    if (memo == NULL || other == NULL)
        goto out;
    int64_t now = clock_now();
    const char *hashes[4], *user_ids[4];
    char stored[4][65];
    for (size_t i = 0; i < 4; i++) {
        user_ids[i] = add_user_with(1 + i % 2, i % 3);
        crypto_hash_token(unique("kept"), stored[i]);
        CHECK_INT(store_session_insert(conn, stored[i], user_ids[i], "csrf", now - 10 * (int64_t)i), DB_OK);
        hashes[i] = stored[i];
    }
    /* Read, read again (the same snapshot confirms the memo), then checked. */
    check_kept(memo, hashes, 3, now - 1800, 3, false, false);
    check_kept(memo, hashes, 3, now - 1800, 3, false, false);
    check_hit(memo, hashes, 3, now - 1800, 3);
    check_hit(memo, hashes + 1, 2, now - 1800, 2);
    /* A token not kept: the query. */
    check_kept(memo, hashes, 4, now - 1800, 4, false, false);
    check_hit(memo, hashes, 4, now - 1800, 4);
    /* The expiry is the time's: kept sessions idle since before the bound are not given. */
    check_hit(memo, hashes, 4, now - 15, 2);
    check_hit(memo, hashes, 4, now - 1800, 4);
    /* A role given on another connection: the check finds it out, the query reads it. */
    CHECK_INT(store_user_add_role(other, user_ids[1], "preceptor"), DB_OK);
    check_kept(memo, hashes, 4, now - 1800, 4, true, true);
    check_kept(memo, hashes, 4, now - 1800, 4, false, false);
    check_hit(memo, hashes, 4, now - 1800, 4);
    /* A session deleted there: not found at the next batch. */
    CHECK_INT(store_session_delete(other, stored[2]), DB_OK);
    check_kept(memo, hashes, 4, now - 1800, 3, true, true);
    const char *left[] = {hashes[0], hashes[1], hashes[3]};
    check_kept(memo, left, 3, now - 1800, 3, false, false);
    check_hit(memo, left, 3, now - 1800, 3);
    /* A write that touches none of them changes the snapshot too. */
    CHECK(add_user_with(0, 0) != NULL);
    check_kept(memo, left, 3, now - 1800, 3, true, true);
    /* Forgotten (a reconnect): read again. */
    store_session_memo_forget(memo);
    check_kept(memo, hashes, 2, now - 1800, 2, false, false);
out:
    db_close(other);
    store_session_memo_free(memo);
}

/* Steps a connect (started on c) for at most ms, waiting on its socket as
 * asked, and answers the last status (*ready once connected). */
static int connect_for(struct db_conn *c, int ms, bool *ready)
{
    bool want_write = true; /* the first step waits for writable */
    double until = clock_monotonic_ms() + ms;
    int rc = DB_OK;
    *ready = false;
    while (clock_monotonic_ms() < until) {
        struct pollfd p = {.fd = db_socket(c), .events = want_write ? POLLOUT : POLLIN};
        if (poll(&p, 1, 50) == 0)
            continue;
        double before = clock_monotonic_ms();
        rc = db_connect_poll(c, ready, &want_write);
        CHECK(clock_monotonic_ms() - before < 200); /* a step never waits */
        if (rc != DB_OK || *ready)
            break;
    }
    return rc;
}

/* A listening socket on 127.0.0.1 (never accepting when hole) and its port. */
static int listener(bool listening, int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET};
    socklen_t len = sizeof(addr);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0 || (listening && listen(fd, 8) != 0) ||
        getsockname(fd, (struct sockaddr *)&addr, &len) != 0) {
        TEST_FAILF("cannot make a listening socket");
        return fd;
    }
    *port = ntohs(addr.sin_port);
    return fd;
}

TEST(a_connection_made_without_waiting)
{
    const char *target = getenv("ROUNDS_TEST_DB");
    struct db_conn *c = (struct db_conn *)&c; /* set to NULL by any answer */
    bool ready = true;
    if (strcmp(db_backend_name(conn), "postgres") != 0) {
        CHECK_INT(db_connect_start("/tmp/not-opened.db", &c), DB_UNSUPPORTED);
        CHECK(c == NULL);
        CHECK_INT(db_send_exec(conn, "SELECT 1"), DB_UNSUPPORTED);
        return;
    }
    CHECK_INT(db_connect_start(target, &c), DB_OK);
    CHECK_INT(connect_for(c, 5000, &ready), DB_OK);
    CHECK(ready);
    /* Settings sent without waiting, then the connection used as any other. */
    CHECK_INT(db_send_exec(c, "SELECT 1; SET application_name = 'rounds store test connect'"), DB_OK);
    ready = false;
    for (int i = 0; i < 100 && !ready; i++) {
        struct pollfd p = {.fd = db_socket(c), .events = POLLIN};
        poll(&p, 1, 50);
        CHECK_INT(db_poll(c, &ready), DB_OK);
    }
    CHECK(ready);
    struct db_stmt *st = db_prepare(c, "SELECT current_setting('application_name')");
    CHECK_INT(db_step(st), DB_ROW);
    CHECK_STR(db_column_text(st, 0), "rounds store test connect");
    db_reset(st);
    /* A failing statement among the settings: db_poll says so. */
    int rc = db_send_exec(c, "SELECT 1; SELECT * FROM no_such_table");
    CHECK_INT(rc, DB_OK);
    ready = false;
    for (int i = 0; i < 100 && rc == DB_OK && !ready; i++) {
        struct pollfd p = {.fd = db_socket(c), .events = POLLIN};
        poll(&p, 1, 50);
        rc = db_poll(c, &ready);
    }
    CHECK(rc != DB_OK && !ready);
    db_close(c);
    /* A closed port: refused, cleanly. */
    char url[128];
    int port = 0;
    int fd = listener(false, &port);
    close(fd);
    snprintf(url, sizeof(url), "postgres://rounds@127.0.0.1:%d/rounds", port);
    c = NULL;
    rc = db_connect_start(url, &c);
    if (rc == DB_OK)
        rc = connect_for(c, 5000, &ready);
    CHECK(rc != DB_OK && !ready);
    db_close(c);
    /* A server that never answers (accepted by the kernel, never read): the
     * connect stays in progress, and no step waits for it. */
    fd = listener(true, &port);
    snprintf(url, sizeof(url), "postgres://rounds@127.0.0.1:%d/rounds", port);
    c = NULL;
    CHECK_INT(db_connect_start(url, &c), DB_OK);
    CHECK_INT(connect_for(c, 600, &ready), DB_OK);
    CHECK(!ready);
    db_close(c);
    close(fd);
}

int main(void)
{
    if (!store_fixture_open("store-batch", FIXTURE_FOLDER_FOR_SQLITE) || !store_fixture_migrate())
        return 1;
    RUN(a_batch_reads_sessions_by_key_with_statistics_of_a_small_table); /* first: sessions is empty */
    RUN(a_batch_answers_each_token_as_a_single_lookup_would);
    RUN(a_batch_sent_without_waiting_answers_the_same);
    RUN(a_memo_answers_as_the_query_would);
    RUN(a_connection_made_without_waiting);
    return store_fixture_close("store_session_batch");
}
