/* test_api_db_pool.c — requests that wait for the database do not hold up
 * the event loop (http/db_pool.c), on SQLite and PostgreSQL alike.
 *
 * One event loop and a pool of two connections. The test holds a write lock
 * on the users table from its own connection, so that a PATCH /api/v1/me
 * waits in the database. While it waits, /healthz, an anonymous search and a
 * kept offering must be answered (they run on the loop), and so must a
 * signed-in GET /api/v1/me (it reads, on the pool's other connection). Only
 * then is the lock released, and the PATCH must finish with 200 and its
 * change. A blocked loop would answer nothing until the lock went (the PATCH
 * would come back first, or the checks would time out).
 *
 * Then many clients at once ask GET /api/v1/me with different tokens (one
 * signed out, one not a bearer token), so that pool threads read several
 * sessions in one query: each must get its own user, or its 401.
 *
 * Last, two sign-ins at once: their password hashing (Argon2id, ~0.1 s) runs
 * on the worker threads, not on the pool's two threads, so a GET /api/v1/me
 * sent while both hash is answered before either sign-in. */
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "api_client.h"
#include "test.h"

#define PEOPLE_PASSWORD "Quill-Harbor-Lantern-615"
#include "api_people.h"
#include "api_suite.h"

static struct api_server server;
static struct user student;

struct pending {
    pthread_t thread;
    long status;
    volatile bool done;
};

static void *patch_me(void *arg)
{
    struct pending *p = arg;
    struct api_response r;
    const char *headers[] = {student.auth, NULL};
    static const char body[] = "{\"school\":\"Pool University\"}";
    struct api_raw_request rq = {"PATCH", "/api/v1/me", headers, body, sizeof(body) - 1, false};
    p->status = api_send_to(&server, &r, &rq);
    api_free(&r);
    p->done = true;
    return NULL;
}

/* Holds a write lock on users (a transaction of its own), or releases it. */
static bool lock_users(struct db_conn *conn, bool lock)
{
    bool pg = strcmp(db_backend_name(conn), "postgres") == 0;
    if (!lock)
        return db_exec(conn, "COMMIT") == DB_OK;
    if (pg)
        return db_exec(conn, "BEGIN; LOCK TABLE users IN EXCLUSIVE MODE") == DB_OK;
    return db_exec(conn, "BEGIN IMMEDIATE") == DB_OK; /* SQLite: the one writer */
}

TEST(the_loop_answers_while_a_request_waits_for_the_database)
{
    struct db_conn *conn = api_db_open(&server);
    CHECK(conn != NULL);
    if (conn == NULL)
        return;
    char offering_path[128] = "";
    struct api_response r;
    CHECK_INT(api_request(&r, "GET", "/api/v1/offerings?limit=1", NULL, NULL), 200);
    const char *id = json_string_value(json_object_get(json_array_get(json_object_get(r.json, "items"), 0), "id"));
    if (id != NULL)
        snprintf(offering_path, sizeof(offering_path), "/api/v1/offerings/%s", id);
    api_free(&r);
    CHECK(offering_path[0] != '\0');
    CHECK_INT(api_request(&r, "GET", offering_path, NULL, NULL), 200); /* now kept */
    api_free(&r);

    CHECK(lock_users(conn, true));
    struct pending p = {0};
    CHECK_INT(pthread_create(&p.thread, NULL, patch_me, &p), 0);
    api_sleep_ms(300); /* the PATCH is in (it cannot finish while the lock is held) */
    CHECK_INT(api_request(&r, "GET", "/healthz", NULL, NULL), 200);
    api_free(&r);
    CHECK_INT(api_request(&r, "GET", "/api/v1/offerings?q=rotation", NULL, NULL), 200);
    api_free(&r);
    CHECK_INT(api_request(&r, "GET", offering_path, NULL, NULL), 200);
    api_free(&r);
    const char *headers[] = {student.auth, NULL};
    CHECK_INT(api_request(&r, "GET", "/api/v1/me", headers, NULL), 200);
    api_free(&r);
    CHECK(!p.done); /* all of that while the PATCH still waited */
    CHECK(lock_users(conn, false));
    pthread_join(p.thread, NULL);
    CHECK_INT(p.status, 200);
    CHECK_INT(api_request(&r, "GET", "/api/v1/me", headers, NULL), 200);
    CHECK_CONTAINS(r.body, "Pool University");
    api_free(&r);
    db_close(conn);
}

/* ---- sessions read together (a pool thread reads the sessions of all the
 * requests waiting for it in one query) ---- */

enum { BATCH_PEOPLE = 6, BATCH_CLIENTS = 8, BATCH_ROUNDS = 25 };

static struct user people[BATCH_PEOPLE]; /* the last one signed out */

struct client {
    pthread_t thread;
    int index;
    int wrong; /* replies that were not the asker's own user, or not its 401 */
    char first_wrong[256];
};

/* Every client asks GET /api/v1/me as the people in turn, as fast as it can,
 * while the others do the same: each reply must be the asker's own. */
static void *ask_me(void *arg)
{
    struct client *c = arg;
    for (int round = 0; round < BATCH_ROUNDS; round++) {
        int who = (c->index + round) % (BATCH_PEOPLE + 1);
        static const char basic[] = "Authorization: Basic Zm9vOmJhcg==";
        const char *headers[] = {who < BATCH_PEOPLE ? people[who].auth : basic, NULL};
        struct api_response r;
        struct api_raw_request rq = {"GET", "/api/v1/me", headers, NULL, 0, false};
        long status = api_send_to(&server, &r, &rq);
        const char *id = status == 200 ? api_json_str(r.json, "id") : NULL;
        bool right = who < BATCH_PEOPLE - 1 ? status == 200 && id != NULL && strcmp(id, people[who].id) == 0
                                            : status == 401;
        if (!right && c->wrong++ == 0)
            snprintf(c->first_wrong, sizeof(c->first_wrong), "as %d: %ld %.200s", who, status, r.body);
        api_free(&r);
    }
    return NULL;
}

TEST(concurrent_requests_each_get_their_own_session)
{
    char prefix[32];
    for (int i = 0; i < BATCH_PEOPLE; i++) {
        snprintf(prefix, sizeof(prefix), "batch%d", i);
        CHECK(register_student(&people[i], prefix));
    }
    struct api_response r;
    const char *signed_out[] = {people[BATCH_PEOPLE - 1].auth, NULL};
    CHECK_INT(api_request(&r, "POST", "/api/v1/auth/logout", signed_out, NULL), 204);
    api_free(&r);
    struct client clients[BATCH_CLIENTS];
    for (int i = 0; i < BATCH_CLIENTS; i++) {
        clients[i] = (struct client){.index = i};
        CHECK_INT(pthread_create(&clients[i].thread, NULL, ask_me, &clients[i]), 0);
    }
    for (int i = 0; i < BATCH_CLIENTS; i++) {
        pthread_join(clients[i].thread, NULL);
        if (clients[i].wrong > 0)
            TEST_FAILF("client %d: %d wrong replies, the first %s", i, clients[i].wrong, clients[i].first_wrong);
    }
    /* A sign-out while others read applies to the next request at once. */
    const char *first[] = {people[0].auth, NULL};
    CHECK_INT(api_request(&r, "POST", "/api/v1/auth/logout", first, NULL), 204);
    api_free(&r);
    CHECK_INT(api_request(&r, "GET", "/api/v1/me", first, NULL), 401);
    api_free(&r);
}

/* ---- sign-ins hash off the pool's threads ---- */

static void *sign_in(void *arg)
{
    struct pending *p = arg;
    char body[256];
    int n = snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\"}", student.email,
                     PEOPLE_PASSWORD);
    static const char *headers[] = {"Content-Type: application/json", NULL};
    struct api_response r;
    struct api_raw_request rq = {"POST", "/api/v1/auth/login", headers, body, (size_t)n, false};
    p->status = api_send_to(&server, &r, &rq);
    api_free(&r);
    p->done = true;
    return NULL;
}

TEST(sign_ins_hash_while_the_pool_answers_others)
{
    struct pending a = {0}, b = {0};
    CHECK_INT(pthread_create(&a.thread, NULL, sign_in, &a), 0);
    CHECK_INT(pthread_create(&b.thread, NULL, sign_in, &b), 0);
    api_sleep_ms(20); /* both are in, hashing */
    struct api_response r;
    const char *headers[] = {student.auth, NULL};
    CHECK_INT(api_request(&r, "GET", "/api/v1/me", headers, NULL), 200);
    api_free(&r);
    CHECK(!a.done && !b.done); /* answered while neither sign-in had finished */
    pthread_join(a.thread, NULL);
    pthread_join(b.thread, NULL);
    CHECK_INT(a.status, 200);
    CHECK_INT(b.status, 200);
}

/* Whether the search finds an offering, polled while the index follows the
 * seeded ones (20 s at most: a loaded machine may take a while). */
static bool an_offering_is_indexed(void)
{
    double deadline = api_now_ms() + 20000;
    for (;;) {
        struct api_response r;
        bool found = api_request(&r, "GET", "/api/v1/offerings?limit=1", NULL, NULL) == 200 &&
                     json_array_size(json_object_get(r.json, "items")) == 1;
        api_free(&r);
        if (found || api_now_ms() > deadline)
            return found;
        api_sleep_ms(50);
    }
}

/* What the tests need, once the suite's server is up. */
static bool setup(void)
{
    const char *seed[] = {"seed", "--offerings", "20", NULL};
    struct api_cli_result res;
    bool ok = api_cli(server.db, seed, NULL, &res) == 0 && register_student(&student, "pool");
    api_cli_free(&res);
    return ok && an_offering_is_indexed();
}

static void run_tests(void)
{
    RUN(the_loop_answers_while_a_request_waits_for_the_database);
    RUN(concurrent_requests_each_get_their_own_session);
    RUN(sign_ins_hash_while_the_pool_answers_others);
}

static void finish(void)
{
    if (test_failed)
        api_server_print_log(&server, 30);
}

int main(void)
{
    static const char *const flags[] = {"--threads", "1", "--db-pool", "2", NULL};
    static const struct api_suite suite = {
        .name = "api_db_pool", .server = &server, .flags = flags, .setup = setup,
        .setup_what = "seeding the catalog or registering the student failed", .run = run_tests, .finish = finish};
    return api_suite_main(&suite);
}
