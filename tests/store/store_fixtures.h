/* store_fixtures.h — the parts every store suite shares: the database it runs
 * on (ROUNDS_TEST_DB=postgres://… selects PostgreSQL; otherwise a fresh
 * SQLite file in a temporary folder), the suite's arena, ids unique to the
 * run, and users made for a test. Include after test.h.
 *
 * Like test.h's counters, the suite's connection (conn), arena (arena) and
 * serial number (serial) live here, one set per suite: each suite is one
 * file. Every function is static inline so that a suite may use any subset.
 *
 *   int main(void) {
 *       if (!store_fixture_open("store-x", FIXTURE_FOLDER_FOR_SQLITE) || !store_fixture_migrate())
 *           return 1;
 *       RUN(name);
 *       return store_fixture_close("store_x");
 *   } */
#ifndef ROUNDS_TESTS_STORE_FIXTURES_H
#define ROUNDS_TESTS_STORE_FIXTURES_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/arena.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "store/store.h"
#include "test.h"

static struct db_conn *conn;
static struct arena arena;
static int serial;
static char fixture_dir[64];  /* the suite's temporary folder; "" when it has none */
static char sqlite_path[256]; /* the SQLite file; "" on PostgreSQL */
static const char *target_db; /* what conn was opened on: other connections open it too */

/* When a suite gets a temporary folder: only to hold the SQLite file, or
 * always (the suite keeps files of its own there: blobs, a WAL it watches). */
enum fixture_folder { FIXTURE_FOLDER_FOR_SQLITE, FIXTURE_FOLDER_ALWAYS };

/* A fresh id-like string unique to this run, in where. */
static inline const char *unique_in(struct arena *where, const char *prefix)
{
    char *s = arena_alloc(where, 96);
    snprintf(s, 96, "%s%d-%ld-%d", prefix, (int)getpid(), (long)clock_now(), ++serial);
    return s;
}

/* unique_in the suite's arena. */
static inline const char *unique(const char *prefix)
{
    return unique_in(&arena, prefix);
}

/* A user with one role and a fresh id and email, in where; not inserted. */
static inline struct store_user make_user_in(struct arena *where, const char *role, const char *name)
{
    struct store_user u;
    memset(&u, 0, sizeof(u));
    u.id = unique_in(where, "u_");
    char *email = arena_alloc(where, 128);
    snprintf(email, 128, "%s@example.org", unique_in(where, "user"));
    u.email = email;
    u.name = name;
    u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$aGFzaA";
    u.created_at = clock_now();
    u.roles[0] = role;
    u.role_count = 1;
    return u;
}

/* make_user_in the suite's arena. */
static inline struct store_user make_user(const char *role, const char *name)
{
    return make_user_in(&arena, role, name);
}

/* make_user_in with the email confirmed (mail goes only to confirmed
 * addresses, and only confirmed accounts may apply), inserted and read back
 * (roles loaded). */
static inline struct store_user add_user_in(struct arena *where, const char *role, const char *name)
{
    struct store_user u = make_user_in(where, role, name);
    u.email_confirmed_at = u.created_at;
    CHECK_INT(store_user_insert(conn, &u), DB_OK);
    struct store_user found;
    memset(&found, 0, sizeof(found));
    CHECK_INT(store_user_by_id(conn, where, u.id, &found), DB_ROW);
    return found;
}

/* add_user_in the suite's arena. */
static inline struct store_user add_user(const char *role, const char *name)
{
    return add_user_in(&arena, role, name);
}

/* Starts a suite: crypto, the arena, and the database (ROUNDS_TEST_DB, or
 * else store.db in a fresh temporary folder named after kind), into conn;
 * prints the backend. False, having said why, when it cannot. */
static inline bool store_fixture_open(const char *kind, enum fixture_folder folder)
{
    crypto_init();
    arena_heap_init(&arena);
    const char *target = getenv("ROUNDS_TEST_DB");
    bool sqlite = target == NULL || target[0] == '\0';
    if ((sqlite || folder == FIXTURE_FOLDER_ALWAYS) && test_tmp_dir(fixture_dir, sizeof(fixture_dir), kind) == NULL)
        return false;
    if (sqlite) {
        snprintf(sqlite_path, sizeof(sqlite_path), "%s/store.db", fixture_dir);
        target = sqlite_path;
    }
    target_db = target;
    if (db_open(target, &conn) != DB_OK) {
        printf("cannot open %s\n", target[0] == '/' ? target : "the PostgreSQL test database");
        return false;
    }
    printf("backend: %s\n", db_backend_name(conn));
    return true;
}

/* Brings the suite's database to the latest schema; false, having said so,
 * when it cannot. */
static inline bool store_fixture_migrate(void)
{
    bool too_new = false;
    if (store_migrate(conn, &too_new) == DB_OK)
        return true;
    printf("migrations failed\n");
    return false;
}

/* Ends a suite: closes the database, frees the arena, removes the temporary
 * folder (the SQLite file with it) and prints the summary. The process's
 * exit status. */
static inline int store_fixture_close(const char *suite)
{
    db_close(conn);
    arena_heap_free(&arena);
    test_tmp_remove(fixture_dir);
    return test_summary(suite);
}

#endif
