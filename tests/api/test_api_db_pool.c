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
 * on the worker threads, not on the pool's two threads, so a request that
 * queries (GET /api/v1/applications), sent once both sign-ins are in, is
 * answered before either sign-in. */
#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

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

struct sign_in {
    pthread_t thread;
    atomic_bool sent; /* the whole request is written: the server has it */
    atomic_bool done; /* the whole reply is read */
    double sent_ms, done_ms;
    long status;
};

/* Connected to the server on loopback, or -1. */
static int connect_to_server(void)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)server.port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

/* Signs the student in on a connection of its own (not libcurl), so that
 * the test knows when the request has left: s->sent, then s->done with the
 * reply's status. */
static void *sign_in(void *arg)
{
    struct sign_in *s = arg;
    char body[256], request[512], reply[4096];
    int body_len = snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\"}", student.email,
                            PEOPLE_PASSWORD);
    int len = snprintf(request, sizeof(request),
                       "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/json\r\n"
                       "Content-Length: %d\r\nConnection: close\r\n\r\n%s",
                       server.port, body_len, body);
    int fd = connect_to_server();
    ssize_t at = 0, n = 0;
    while (fd >= 0 && at < len && (n = send(fd, request + at, (size_t)(len - at), MSG_NOSIGNAL)) > 0)
        at += n;
    s->sent_ms = api_now_ms();
    atomic_store(&s->sent, true);
    size_t got = 0;
    while (fd >= 0 && got + 1 < sizeof(reply) && (n = recv(fd, reply + got, sizeof(reply) - got - 1, 0)) > 0)
        got += (size_t)n;
    reply[got] = '\0';
    /* "HTTP/1.1 200 OK": the status after the first space. */
    const char *space = strchr(reply, ' ');
    s->status = at == len && space != NULL ? strtol(space + 1, NULL, 10) : 0;
    if (fd >= 0)
        close(fd);
    s->done_ms = api_now_ms();
    atomic_store(&s->done, true);
    return NULL;
}

/* Whether both sign-ins have sent their requests (20 s at most). */
static bool both_sent(struct sign_in *a, struct sign_in *b)
{
    double deadline = api_now_ms() + 20000;
    while (!(atomic_load(&a->sent) && atomic_load(&b->sent)))
        if (api_now_ms() > deadline)
            return false;
        else
            api_sleep_ms(1);
    return true;
}

TEST(sign_ins_hash_while_the_pool_answers_others)
{
    struct sign_in a = {0}, b = {0};
    CHECK_INT(pthread_create(&a.thread, NULL, sign_in, &a), 0);
    CHECK_INT(pthread_create(&b.thread, NULL, sign_in, &b), 0);
    /* Both are in (the loop reads them before the GET below, sent later, and
     * hands them to the pool), then hash for ~0.1 s each. */
    CHECK(both_sent(&a, &b));
    struct api_response r;
    const char *headers[] = {student.auth, NULL};
    /* A request that queries on the pool (on PostgreSQL GET /api/v1/me
     * reads its session on the loop, without the pool). */
    double asked = api_now_ms();
    CHECK_INT(api_request(&r, "GET", "/api/v1/applications", headers, NULL), 200);
    double took_ms = api_now_ms() - asked;
    api_free(&r);
    CHECK(!atomic_load(&a.done) && !atomic_load(&b.done)); /* answered while neither sign-in had finished */
    pthread_join(a.thread, NULL);
    pthread_join(b.thread, NULL);
    CHECK_INT(a.status, 200);
    CHECK_INT(b.status, 200);
    /* Had the hashing held the pool's threads, the GET would have waited for
     * a hash to end; its reply would still come first (queued before the
     * sign-in's completion), at most by a few milliseconds, so the check
     * above catches that only some of the time. The figures say how close. */
    double hashing_ms = (a.done_ms < b.done_ms ? a.done_ms : b.done_ms) - (a.sent_ms > b.sent_ms ? a.sent_ms : b.sent_ms);
    printf("  GET /api/v1/applications: %.0f ms; the first sign-in done %.0f ms after both were sent\n", took_ms,
           hashing_ms);
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
    /* The last test needs sign-ins that take a while: Argon2id at its real cost,
     * not the least one the other suites' servers use (api_env_init). */
    setenv("ROUNDS_TEST_PASSWORD_COST", "real", 1);
    static const char *const flags[] = {"--threads", "1", "--db-pool", "2", NULL};
    static const struct api_suite suite = {
        .name = "api_db_pool", .server = &server, .flags = flags, .setup = setup,
        .setup_what = "seeding the catalog or registering the student failed", .run = run_tests, .finish = finish};
    return api_suite_main(&suite);
}
