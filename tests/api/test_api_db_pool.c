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
 * would come back first, or the checks would time out). */
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "api_client.h"
#include "test.h"

#define PEOPLE_PASSWORD "Quill-Harbor-Lantern-615"
#include "api_people.h"

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

int main(void)
{
    const char *flags[] = {"--threads", "1", "--db-pool", "2", NULL};
    if (api_server_start(&server, flags) != 0)
        return 1;
    const char *seed[] = {"seed", "--offerings", "20", NULL};
    struct api_cli_result res;
    bool ok = api_cli(server.db, seed, NULL, &res) == 0 && register_student(&student, "pool");
    api_cli_free(&res);
    if (!ok)
        return 1;
    api_sleep_ms(500); /* the index follows the seeded offerings */
    RUN(the_loop_answers_while_a_request_waits_for_the_database);
    if (test_failed)
        api_server_print_log(&server, 30);
    CHECK_INT(api_server_stop(&server), 0);
    api_server_cleanup(&server);
    return test_summary("api_db_pool");
}
