/* test_api_loop_sessions.c — GET /api/v1/me with its session read on the
 * event loop (http/session_reader.c: PostgreSQL with a database pool), and
 * the same answers on SQLite, where the pool reads it.
 *
 * One server with two loops and a pool of two connections. Many clients ask
 * GET /api/v1/me as several people at once while a second instance signs
 * one out and a role is given to another in the database: each reply is the
 * asker's own, and a request sent after the change has returned sees it.
 * Bad tokens get their 401; a stale cookie is dropped; a session whose idle
 * clock is due is still touched. The same with the sessions a reader keeps
 * (its memo): changes made through another instance and directly in the
 * database are seen by the next request. Clients that leave while their sessions are
 * read crash nothing; requests pipelined behind one that waits are answered
 * in order. On PostgreSQL also: GET /api/v1/me is answered while
 * both pool connections wait on a lock (it never needed the pool), and so
 * are signed-in searches (the reads a server answers from memory); after
 * the readers' backends are killed requests are still answered and the
 * readers come back; and while a reader reconnects to a server that never
 * answers (a proxy in this test turned into a black hole), its loop keeps
 * answering /healthz, anonymous searches and GET /api/v1/me (by the pool). */
#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "api_client.h"
#include "test.h"

#define PEOPLE_PASSWORD "Ember-Valley-Compass-274"
#include "api_people.h"
#include "api_suite.h"

enum { LOOPS = 2, PEOPLE = 5, CLIENTS = 8, ROUNDS_PER_CLIENT = 60 };

static struct api_server server;
static struct db_conn *db;
static bool postgres;
static struct user people[PEOPLE]; /* people[0] is signed out, people[1] given a role, during the test */

/* The bound of the waits for a condition: generous, for a slow machine busy
 * with other suites (each wait is over as soon as its condition holds). */
enum { CONDITION_WAIT_MS = 20000 };

/* Set once the change has returned: a request sent after it must see it. */
static atomic_bool signed_out, role_given;

struct client {
    pthread_t thread;
    int index;
    atomic_int replies; /* ask_me_kept's */
    int wrong;
    char first_wrong[300];
};

/* Whether the reply is right for who (PEOPLE: a Basic header, PEOPLE + 1: a
 * malformed bearer token), given what had changed when the request left. */
static bool reply_right(int who, bool out, bool role, long status, json_t *json)
{
    if (who >= PEOPLE)
        return status == 401;
    if (who == 0 && out)
        return status == 401;
    if (who == 0 && status == 401)
        return true; /* signed out while it was on its way */
    const char *id = status == 200 ? api_json_str(json, "id") : NULL;
    if (id == NULL || strcmp(id, people[who].id) != 0)
        return false;
    size_t roles = json_array_size(api_json_get(json, "roles"));
    return who != 1 ? roles == 1 : role ? roles == 2 : roles == 1 || roles == 2;
}

static void *ask_me(void *arg)
{
    struct client *c = arg;
    static const char basic[] = "Authorization: Basic Zm9vOmJhcg==";
    static const char malformed[] = "Authorization: Bearer not-a-token";
    for (int round = 0; round < ROUNDS_PER_CLIENT; round++) {
        int who = (c->index + round) % (PEOPLE + 2);
        const char *headers[] = {who < PEOPLE ? people[who].auth : who == PEOPLE ? basic : malformed, NULL};
        bool out = atomic_load(&signed_out), role = atomic_load(&role_given);
        struct api_response r;
        struct api_raw_request rq = {"GET", "/api/v1/me", headers, NULL, 0, false};
        long status = api_send_to(&server, &r, &rq);
        if (!reply_right(who, out, role, status, r.json) && c->wrong++ == 0)
            snprintf(c->first_wrong, sizeof(c->first_wrong), "as %d: %ld %.200s", who, status, r.body);
        api_free(&r);
    }
    return NULL;
}

TEST(each_gets_its_own_session_and_changes_apply_at_once)
{
    struct api_server second;
    if (!api_server_start_beside(&second, &server, NULL)) {
        TEST_FAILF("the second instance did not start");
        return;
    }
    struct client clients[CLIENTS];
    for (int i = 0; i < CLIENTS; i++) {
        clients[i] = (struct client){.index = i};
        CHECK_INT(pthread_create(&clients[i].thread, NULL, ask_me, &clients[i]), 0);
    }
    api_sleep_ms(150);
    struct api_response r;
    const char *first[] = {people[0].auth, NULL};
    struct api_raw_request logout = {"POST", "/api/v1/auth/logout", first, NULL, 0, false};
    CHECK_INT(api_send_to(&second, &r, &logout), 204);
    api_free(&r);
    atomic_store(&signed_out, true);
    api_sleep_ms(150);
    struct db_stmt *st = db_prepare(db, "INSERT INTO user_roles (user_id, role) VALUES ($1, 'preceptor')");
    db_bind_text(st, 1, people[1].id);
    CHECK_INT(db_step(st), DB_DONE);
    db_reset(st);
    atomic_store(&role_given, true);
    for (int i = 0; i < CLIENTS; i++) {
        pthread_join(clients[i].thread, NULL);
        if (clients[i].wrong > 0)
            TEST_FAILF("client %d: %d wrong replies, the first %s", i, clients[i].wrong, clients[i].first_wrong);
    }
    CHECK_INT(api_server_stop(&second), 0);
    api_server_cleanup(&second);
    api_use(&server);
}

/* Sets a session's last_seen_at (seconds before now). */
static void session_seen(const struct user *u, long long seconds_ago)
{
    char hash[65];
    crypto_hash_token(u->token, hash);
    struct db_stmt *st = db_prepare(db, "UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2");
    db_bind_int(st, 1, (int64_t)time(NULL) - seconds_ago);
    db_bind_text(st, 2, hash);
    CHECK_INT(db_step(st), DB_DONE);
    CHECK_INT(db_changes(st), 1);
    db_reset(st);
}

TEST(bad_expired_and_stale_tokens)
{
    struct user u;
    CHECK(register_student(&u, "loopbad"));
    struct api_response r;
    const char *unknown[] = {"Authorization: Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL};
    CHECK_INT(api_request(&r, "GET", "/api/v1/me", unknown, NULL), 401);
    api_free(&r);
    const char *malformed[] = {"Authorization: Bearer short", NULL};
    CHECK_INT(api_request(&r, "GET", "/api/v1/me", malformed, NULL), 401);
    api_free(&r);
    const char *basic[] = {"Authorization: Basic Zm9vOmJhcg==", NULL};
    CHECK_INT(api_request(&r, "GET", "/api/v1/me", basic, NULL), 401);
    api_free(&r);
    /* Idle for longer than the server allows (30 days by default). */
    session_seen(&u, 31LL * 24 * 3600);
    const char *expired[] = {u.auth, NULL};
    CHECK_INT(api_request(&r, "GET", "/api/v1/me", expired, NULL), 401);
    api_free(&r);
    /* The same token as a cookie: stale, dropped, and the visitor is anonymous. */
    const char *stale[] = {u.cookie, NULL};
    CHECK_INT(api_request(&r, "GET", "/api/v1/me", stale, NULL), 401);
    const char *cleared = api_set_cookie(&r, "rounds_session");
    CHECK(cleared != NULL && strstr(cleared, "Max-Age=0") != NULL);
    api_free(&r);
}

TEST(a_session_due_its_touch_is_touched)
{
    struct user u;
    CHECK(register_student(&u, "looptouch"));
    char hash[65];
    crypto_hash_token(u.token, hash);
    session_seen(&u, 600);
    long long before = api_db_int(db, "SELECT last_seen_at FROM sessions WHERE token_hash = $1", hash, NULL);
    struct api_response r;
    const char *headers[] = {u.auth, NULL};
    CHECK_INT(api_request(&r, "GET", "/api/v1/me", headers, NULL), 200);
    CHECK_STR(api_json_str(r.json, "id"), u.id);
    api_free(&r);
    long long after = api_db_int(db, "SELECT last_seen_at FROM sessions WHERE token_hash = $1", hash, NULL);
    CHECK(after >= before + 590);
    /* Touched a moment ago: the next request needs no write. */
    CHECK_INT(api_request(&r, "GET", "/api/v1/me", headers, NULL), 200);
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT last_seen_at FROM sessions WHERE token_hash = $1", hash, NULL), after);
}

/* A connection to the server, or -1 (the test failed). */
static int open_connection(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)server.port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
        TEST_FAILF("cannot connect to the server");
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

/* Sends GET /api/v1/me on a connection of its own and closes it at once. */
static void ask_and_leave(const struct user *u)
{
    int fd = open_connection();
    if (fd < 0)
        return;
    char request[256];
    int n = snprintf(request, sizeof(request), "GET /api/v1/me HTTP/1.1\r\nHost: x\r\n%s\r\n\r\n", u->auth);
    CHECK_INT(send(fd, request, (size_t)n, 0), n);
    close(fd);
}

/* Holds a lock that makes the session query wait (PostgreSQL), or releases it. */
static bool lock_sessions(bool lock)
{
    if (!postgres)
        return true;
    if (!lock)
        return db_exec(db, "COMMIT") == DB_OK;
    return db_exec(db, "BEGIN; LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE") == DB_OK;
}

TEST(clients_that_leave_while_their_sessions_are_read)
{
    CHECK(lock_sessions(true));
    for (int i = 0; i < 40; i++)
        ask_and_leave(&people[2 + i % 3]);
    api_sleep_ms(200);
    CHECK(lock_sessions(false));
    api_sleep_ms(200);
    struct api_response r;
    const char *headers[] = {people[2].auth, NULL};
    CHECK_INT(api_request(&r, "GET", "/api/v1/me", headers, NULL), 200);
    CHECK_STR(api_json_str(r.json, "id"), people[2].id);
    api_free(&r);
}

/* ---- Pipelined requests ----
 * A connection waiting for its reply stays watched by its loop without
 * being read (http/connection_park.c). Requests pipelined behind one that
 * waits (on PostgreSQL, for a lock on the sessions, so that the rest arrive
 * while it waits) are answered after it, in order, each as its own asker:
 * the first send carries one request, the second, while it waits, enough
 * requests to fill several of h2o's input buffers, the last with
 * "Connection: close". (Why the waiting connection must not be read, which
 * no reply shows: connection_park.c.) */

enum { PIPELINED = 120, PIPELINE_WAIT_MS = 300 };

/* Reads what the server sends until it closes (or CONDITION_WAIT_MS): the
 * length read, the text in out (NUL-terminated). */
static size_t read_until_closed(int fd, char *out, size_t size)
{
    size_t used = 0;
    double deadline = api_now_ms() + CONDITION_WAIT_MS;
    while (used + 1 < size && api_now_ms() < deadline) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 100) <= 0)
            continue;
        ssize_t n = recv(fd, out + used, size - 1 - used, 0);
        if (n <= 0)
            break;
        used += (size_t)n;
    }
    out[used] = '\0';
    return used;
}

/* The people whose ids the replies in text hold, in order: how many, each
 * one's index in people written to who (-1: no id of the people). */
static int replies_in_order(const char *text, int *who, int max)
{
    int count = 0;
    for (const char *at = strstr(text, "HTTP/1.1 "); at != NULL && count < max; at = strstr(at + 1, "HTTP/1.1 ")) {
        const char *next = strstr(at + 1, "HTTP/1.1 ");
        who[count] = -1;
        for (int i = 0; i < PEOPLE; i++) {
            const char *id = strstr(at, people[i].id);
            if (strncmp(at, "HTTP/1.1 200", 12) == 0 && id != NULL && (next == NULL || id < next))
                who[count] = i;
        }
        count++;
    }
    return count;
}

TEST(pipelined_requests_behind_one_that_waits)
{
    static char burst[PIPELINED * 200], replies[PIPELINED * 1200];
    size_t used = 0;
    for (int i = 1; i < PIPELINED; i++)
        used += (size_t)snprintf(burst + used, sizeof(burst) - used,
                                 "GET /api/v1/me HTTP/1.1\r\nHost: x\r\n%s\r\n%s\r\n", people[2 + i % 3].auth,
                                 i == PIPELINED - 1 ? "Connection: close\r\n" : "");
    char first[256];
    int first_len = snprintf(first, sizeof(first), "GET /api/v1/me HTTP/1.1\r\nHost: x\r\n%s\r\n\r\n", people[2].auth);
    int fd = open_connection();
    if (fd < 0)
        return;
    CHECK(lock_sessions(true));
    CHECK_INT(send(fd, first, (size_t)first_len, 0), first_len);
    api_sleep_ms(PIPELINE_WAIT_MS);
    CHECK_INT(send(fd, burst, used, 0), (long)used);
    api_sleep_ms(PIPELINE_WAIT_MS);
    CHECK(lock_sessions(false));
    read_until_closed(fd, replies, sizeof(replies));
    close(fd);
    int who[PIPELINED];
    CHECK_INT(replies_in_order(replies, who, PIPELINED), PIPELINED);
    for (int i = 0; i < PIPELINED; i++)
        if (who[i] != 2 + i % 3) {
            TEST_FAILF("reply %d is not the asker's own (%d)", i, who[i]);
            break;
        }
}

/* ---- Sessions kept by the readers (PostgreSQL: their memo) ----
 * Clients ask GET /api/v1/me as one person, over and over, so that their
 * loops answer from the sessions they keep; meanwhile the person's school
 * is changed through a second instance, a role is given and then the
 * session deleted directly in the database. A reply must show every change
 * that had returned when its request left, and none that had not begun
 * when it came back. */

enum { MEMO_CLIENTS = 4 };
static const char memo_school[] = "Kept Sessions University";
static struct user kept;
static atomic_int memo_begun, memo_done; /* changes begun, and returned */
static atomic_bool memo_stop;

static bool memo_reply_right(int done, int begun, long status, json_t *json)
{
    if (status == 401)
        return begun >= 3;
    const char *id = status == 200 && done < 3 ? api_json_str(json, "id") : NULL;
    if (id == NULL || strcmp(id, kept.id) != 0)
        return false;
    const char *school = api_json_str(json, "profile.school");
    bool schooled = school != NULL && strcmp(school, memo_school) == 0;
    size_t roles = json_array_size(api_json_get(json, "roles"));
    if (schooled ? begun < 1 : done >= 1)
        return false;
    return roles == 2 ? begun >= 2 : roles == 1 && done < 2;
}

static void *ask_me_kept(void *arg)
{
    struct client *c = arg;
    const char *headers[] = {kept.auth, NULL};
    struct api_raw_request rq = {"GET", "/api/v1/me", headers, NULL, 0, false};
    while (!atomic_load(&memo_stop)) {
        int done = atomic_load(&memo_done);
        struct api_response r;
        long status = api_send_to(&server, &r, &rq);
        int begun = atomic_load(&memo_begun);
        if (!memo_reply_right(done, begun, status, r.json) && c->wrong++ == 0)
            snprintf(c->first_wrong, sizeof(c->first_wrong), "after %d changes: %ld %.200s", done, status, r.body);
        atomic_fetch_add(&c->replies, 1);
        api_free(&r);
    }
    return NULL;
}

/* Whether a loop's reader last sent the check of its memo (not a query),
 * after since (a time of the database's clock). */
static bool a_reader_checked_its_memo(const char *since)
{
    return api_db_int(db,
                      "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name LIKE '% (session reader)'"
                      " AND datname = current_database() AND query LIKE 'SELECT CASE WHEN pg_is_in_recovery()%'"
                      " AND query_start > CAST($1 AS timestamptz)",
                      since, NULL) >= 1;
}

enum { MEMO_REPLIES_PER_STEP = 10 };

/* Asks GET /api/v1/me as the kept person (30 times at least) until a
 * reader answers it from its memo: its last statement, sent during these
 * requests, is the check of its memo. A reader checks only after two
 * queries in a row gave the same snapshot, so a commit anywhere in the
 * cluster (a jobs round of either instance, autovacuum) during a reader's
 * last request or two leaves its last statement a query. Asking a fixed 30
 * times failed when such commits came at the end on both loops, which a
 * loaded machine (the 30 taking longer) makes likelier. */
static bool kept_by_a_reader(void)
{
    const char *headers[] = {kept.auth, NULL};
    char *since = postgres ? api_db_text(db, "SELECT CAST(clock_timestamp() AS text)", NULL, NULL, NULL) : NULL;
    double deadline = api_now_ms() + CONDITION_WAIT_MS;
    bool kept_now = false;
    for (int asked = 0; !kept_now; asked++) {
        struct api_response r;
        long status = api_request(&r, "GET", "/api/v1/me", headers, NULL);
        api_free(&r);
        if (status != 200 || api_now_ms() > deadline || (postgres && since == NULL)) {
            TEST_FAILF("GET /api/v1/me: %ld after %d requests (or no check of a memo in %d ms)", status, asked + 1,
                       (int)CONDITION_WAIT_MS);
            break;
        }
        kept_now = asked + 1 >= 30 && (!postgres || a_reader_checked_its_memo(since));
    }
    free(since);
    return kept_now;
}

/* Waits until every client has had MEMO_REPLIES_PER_STEP replies more than
 * when called, so that each step of the test is seen by requests sent after
 * the one before had returned (at most one reply per client was on its way). */
static bool each_client_asked_again(struct client clients[MEMO_CLIENTS])
{
    int from[MEMO_CLIENTS];
    for (int i = 0; i < MEMO_CLIENTS; i++)
        from[i] = atomic_load(&clients[i].replies);
    double deadline = api_now_ms() + CONDITION_WAIT_MS;
    for (int i = 0; i < MEMO_CLIENTS;) {
        if (atomic_load(&clients[i].replies) >= from[i] + MEMO_REPLIES_PER_STEP) {
            i++;
            continue;
        }
        if (api_now_ms() > deadline) {
            TEST_FAILF("client %d had %d replies in %d ms", i, atomic_load(&clients[i].replies) - from[i],
                       (int)CONDITION_WAIT_MS);
            return false;
        }
        api_sleep_ms(5);
    }
    return true;
}

TEST(kept_sessions_see_changes_made_elsewhere)
{
    struct api_server second;
    if (!register_student(&kept, "loopkept") || !api_server_start_beside(&second, &server, NULL)) {
        TEST_FAILF("no person or no second instance");
        return;
    }
    const char *headers[] = {kept.auth, NULL};
    struct api_response r;
    bool asking = kept_by_a_reader();
    struct client clients[MEMO_CLIENTS];
    for (int i = 0; i < MEMO_CLIENTS; i++) {
        clients[i] = (struct client){.index = i};
        CHECK_INT(pthread_create(&clients[i].thread, NULL, ask_me_kept, &clients[i]), 0);
    }
    asking = asking && each_client_asked_again(clients);
    atomic_store(&memo_begun, 1);
    char body[128];
    snprintf(body, sizeof(body), "{\"school\":\"%s\"}", memo_school);
    struct api_raw_request patch = {"PATCH", "/api/v1/me", headers, body, strlen(body), false};
    CHECK_INT(api_send_to(&second, &r, &patch), 200);
    api_free(&r);
    atomic_store(&memo_done, 1);
    asking = asking && each_client_asked_again(clients);
    atomic_store(&memo_begun, 2);
    struct db_stmt *st = db_prepare(db, "INSERT INTO user_roles (user_id, role) VALUES ($1, 'preceptor')");
    db_bind_text(st, 1, kept.id);
    CHECK_INT(db_step(st), DB_DONE);
    db_reset(st);
    atomic_store(&memo_done, 2);
    asking = asking && each_client_asked_again(clients);
    atomic_store(&memo_begun, 3);
    char hash[65];
    crypto_hash_token(kept.token, hash);
    st = db_prepare(db, "DELETE FROM sessions WHERE token_hash = $1");
    db_bind_text(st, 1, hash);
    CHECK_INT(db_step(st), DB_DONE);
    CHECK_INT(db_changes(st), 1);
    db_reset(st);
    atomic_store(&memo_done, 3);
    asking = asking && each_client_asked_again(clients);
    atomic_store(&memo_stop, true);
    for (int i = 0; i < MEMO_CLIENTS; i++) {
        pthread_join(clients[i].thread, NULL);
        if (clients[i].wrong > 0)
            TEST_FAILF("client %d: %d wrong replies of %d, the first %s", i, clients[i].wrong,
                       atomic_load(&clients[i].replies), clients[i].first_wrong);
    }
    CHECK(asking);
    CHECK_INT(api_server_stop(&second), 0);
    api_server_cleanup(&second);
    api_use(&server);
}

/* ---- PostgreSQL only: the loops' readers ---- */

struct pending {
    pthread_t thread;
    long status;
    atomic_bool done;
};

static void *patch_me(void *arg)
{
    struct pending *p = arg;
    struct api_response r;
    const char *headers[] = {people[3].auth, NULL};
    static const char body[] = "{\"school\":\"Loop University\"}";
    struct api_raw_request rq = {"PATCH", "/api/v1/me", headers, body, sizeof(body) - 1, false};
    p->status = api_send_to(&server, &r, &rq);
    api_free(&r);
    atomic_store(&p->done, true);
    return NULL;
}

/* Both pool connections held: each runs a PATCH /api/v1/me that waits on a
 * lock of the users table, taken here (waited for, CONDITION_WAIT_MS at most). */
static void hold_the_pool(struct pending patches[2])
{
    CHECK_INT(db_exec(db, "BEGIN; LOCK TABLE users IN EXCLUSIVE MODE"), DB_OK);
    for (int i = 0; i < 2; i++) {
        patches[i] = (struct pending){.status = 0};
        CHECK_INT(pthread_create(&patches[i].thread, NULL, patch_me, &patches[i]), 0);
    }
    /* (From another connection: this one's transaction would show its own
     * snapshot of pg_stat_activity, taken once.) */
    struct db_conn *watcher = api_db_open(&server);
    long long waiting = 0;
    double deadline = api_now_ms() + CONDITION_WAIT_MS;
    static const char lock_waits[] =
        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'";
    while (watcher != NULL && (waiting = api_db_int(watcher, lock_waits, NULL, NULL)) < 2 && api_now_ms() < deadline)
        api_sleep_ms(10);
    CHECK(waiting >= 2); /* both pool connections wait for the lock */
    db_close(watcher);
}

/* The PATCHes were still waiting (nothing asked meanwhile needed the pool);
 * the lock released, both are answered. */
static void release_the_pool(struct pending patches[2])
{
    CHECK(!atomic_load(&patches[0].done) && !atomic_load(&patches[1].done));
    CHECK_INT(db_exec(db, "COMMIT"), DB_OK);
    for (int i = 0; i < 2; i++) {
        pthread_join(patches[i].thread, NULL);
        CHECK_INT(patches[i].status, 200);
    }
}

TEST(me_is_answered_while_the_pool_waits)
{
    if (!postgres)
        return;
    struct pending patches[2];
    hold_the_pool(patches);
    struct api_response r;
    const char *headers[] = {people[4].auth, NULL};
    CHECK_INT(api_request(&r, "GET", "/api/v1/me", headers, NULL), 200);
    CHECK_STR(api_json_str(r.json, "id"), people[4].id);
    api_free(&r);
    release_the_pool(patches);
}

/* GET as who (its bearer token): the status, the reply kept in r. */
static long get_as(struct api_response *r, const struct user *who, const char *path)
{
    const char *headers[] = {who->auth, NULL};
    return api_request(r, "GET", path, headers, NULL);
}

/* Signed-in searches and the API's other reads answered from memory take
 * their sessions from the loop's reader too (PostgreSQL): they are answered
 * while both pool connections wait on a lock. Those that need the database
 * after all (an offering not kept, a search by the student's eligibility) go
 * on to the pool with the session read; pages (whose header counts
 * notifications) go there at once; all are answered as the signed-in person,
 * on both databases. */
TEST(signed_in_reads_from_memory_skip_the_pool)
{
    struct api_response r;
    const struct user *who = &people[4];
    if (postgres) {
        struct pending patches[2];
        hold_the_pool(patches);
        static const char *const paths[] = {"/api/v1/offerings", "/api/v1/offerings?q=cardio&state=NY",
                                            "/api/v1/specialties", "/healthz"};
        for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
            CHECK_INT(get_as(&r, who, paths[i]), 200);
            api_free(&r);
        }
        release_the_pool(patches);
    }
    CHECK_INT(get_as(&r, who, "/api/v1/offerings/00000000-0000-4000-8000-000000000000"), 404);
    api_free(&r);
    CHECK_INT(get_as(&r, who, "/api/v1/offerings?eligible=me"), 200);
    CHECK(api_json_get(r.json, "items") != NULL);
    api_free(&r);
    const char *anonymous[] = {NULL};
    CHECK_INT(api_request(&r, "GET", "/api/v1/offerings?eligible=me", anonymous, NULL), 401);
    api_free(&r);
    const char *cookie[] = {who->cookie, NULL};
    static const char *const pages[] = {"/search?q=cardio", "/", "/search?page=0"};
    static const long page_status[] = {200, 200, 400};
    for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
        CHECK_INT(api_request(&r, "GET", pages[i], cookie, NULL), page_status[i]);
        CHECK(r.body != NULL && strstr(r.body, who->name) != NULL); /* the header names who is signed in */
        api_free(&r);
    }
}

static long long readers(void)
{
    return api_db_int(db,
                      "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name LIKE '% (session reader)'"
                      " AND datname = current_database()",
                      NULL, NULL);
}

/* Every person asks GET /api/v1/me a few times: all their own. */
static void all_answered(void)
{
    for (int i = 0; i < 12; i++) {
        const struct user *u = &people[2 + i % 3];
        const char *headers[] = {u->auth, NULL};
        struct api_response r;
        CHECK_INT(api_request(&r, "GET", "/api/v1/me", headers, NULL), 200);
        CHECK_STR(api_json_str(r.json, "id"), u->id);
        api_free(&r);
    }
}

/* A reader reconnects when a request comes to its loop: connections land on
 * either loop, so rounds go on until each loop had some and its reader's
 * handshake is through (at most READERS_BACK_ROUNDS: on a machine busy with
 * other suites a handshake may take a while). */
enum { READERS_BACK_ROUNDS = 50 };
static void all_answered_until_readers_are_back(void)
{
    for (int round = 0; round < READERS_BACK_ROUNDS && readers() != LOOPS; round++) {
        all_answered();
        if (readers() != LOOPS)
            api_sleep_ms(100);
    }
    CHECK_INT(readers(), LOOPS);
}

TEST(readers_killed_come_back)
{
    if (!postgres)
        return;
    CHECK_INT(readers(), LOOPS);
    CHECK_INT(db_exec(db, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE"
                          " '% (session reader)' AND datname = current_database()"),
              DB_OK);
    all_answered();
    api_sleep_ms(1200); /* the readers' retry delay */
    all_answered_until_readers_are_back();
    /* Every connection of the server at once, the pool's too. */
    CHECK_INT(db_exec(db, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE"
                          " 'rounds%' AND datname = current_database() AND pid <> pg_backend_pid()"),
              DB_OK);
    all_answered();
    api_sleep_ms(1200);
    all_answered_until_readers_are_back();
}


/* ---- A proxy to PostgreSQL that can become a black hole ----
 * Connections it accepts are forwarded to the test server, each by a thread
 * of its own; once black_hole is set, new ones are accepted and never
 * answered (as behind a partition), while those forwarded already go on. */

enum { PROXY_HELD_MAX = 64, PROXY_STEP_MS = 100 };

struct proxy {
    int listener, port, server_port;
    pthread_t thread;
    atomic_bool black_hole, stop;
    atomic_int forwarding;
    int held[PROXY_HELD_MAX];
    int held_count;
};

struct proxy_pair {
    struct proxy *proxy;
    int fds[2];
};

static int tcp_to(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

static void *proxy_forward(void *arg)
{
    struct proxy_pair *pair = arg;
    char buf[16384];
    while (!atomic_load(&pair->proxy->stop)) {
        struct pollfd p[2] = {{.fd = pair->fds[0], .events = POLLIN}, {.fd = pair->fds[1], .events = POLLIN}};
        if (poll(p, 2, PROXY_STEP_MS) <= 0)
            continue;
        int from = p[0].revents != 0 ? 0 : 1;
        ssize_t n = read(pair->fds[from], buf, sizeof(buf));
        if (n <= 0 || write(pair->fds[1 - from], buf, (size_t)n) != n)
            break;
    }
    close(pair->fds[0]);
    close(pair->fds[1]);
    atomic_fetch_sub(&pair->proxy->forwarding, 1);
    free(pair);
    return NULL;
}

static void *proxy_accept(void *arg)
{
    struct proxy *proxy = arg;
    while (!atomic_load(&proxy->stop)) {
        struct pollfd p = {.fd = proxy->listener, .events = POLLIN};
        if (poll(&p, 1, PROXY_STEP_MS) <= 0)
            continue;
        int fd = accept4(proxy->listener, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0)
            continue;
        if (atomic_load(&proxy->black_hole) && proxy->held_count < PROXY_HELD_MAX) {
            proxy->held[proxy->held_count++] = fd;
            continue;
        }
        struct proxy_pair *pair = malloc(sizeof(*pair));
        int upstream = tcp_to(proxy->server_port);
        pthread_t thread;
        if (pair == NULL || upstream < 0) {
            free(pair);
            close(fd);
            if (upstream >= 0)
                close(upstream);
            continue;
        }
        *pair = (struct proxy_pair){.proxy = proxy, .fds = {fd, upstream}};
        atomic_fetch_add(&proxy->forwarding, 1);
        if (pthread_create(&thread, NULL, proxy_forward, pair) != 0) {
            atomic_fetch_sub(&proxy->forwarding, 1);
            close(fd);
            close(upstream);
            free(pair);
            continue;
        }
        pthread_detach(thread);
    }
    return NULL;
}

/* Starts a proxy to the PostgreSQL test server and writes its URL (the test
 * database's, on the proxy's port). False when the URL is not on 127.0.0.1. */
static bool proxy_start(struct proxy *proxy, const char *url, char *proxy_url, size_t size)
{
    static const char host[] = "@127.0.0.1:";
    const char *at = strstr(url, host);
    if (at == NULL)
        return false;
    char *rest = NULL;
    *proxy = (struct proxy){.server_port = (int)strtol(at + sizeof(host) - 1, &rest, 10)};
    /* Close-on-exec, as every descriptor here: the server started next must
     * not hold the proxy's sockets open (a stopped proxy would still listen). */
    proxy->listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET};
    socklen_t len = sizeof(addr);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (proxy->listener < 0 || bind(proxy->listener, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
        listen(proxy->listener, 16) != 0 || getsockname(proxy->listener, (struct sockaddr *)&addr, &len) != 0)
        return false;
    proxy->port = ntohs(addr.sin_port);
    snprintf(proxy_url, size, "%.*s%s%d%s", (int)(at - url), url, host, proxy->port, rest);
    return pthread_create(&proxy->thread, NULL, proxy_accept, proxy) == 0;
}

static void proxy_stop(struct proxy *proxy)
{
    atomic_store(&proxy->stop, true);
    pthread_join(proxy->thread, NULL);
    for (int i = 0; i < 50 && atomic_load(&proxy->forwarding) > 0; i++)
        api_sleep_ms(PROXY_STEP_MS);
    for (int i = 0; i < proxy->held_count; i++)
        close(proxy->held[i]);
    close(proxy->listener);
}

/* A loop that waited for its reader's connect would answer nothing until the
 * connect is given up (5 s, READER_CONNECT_MS): an answer is slow past this
 * (a loaded machine with sanitizers may take a second over one). */
enum { SLOWEST_ANSWER_MS = 2500 };

/* The longest a request of each kind took on srv over ms (all answered as expected). */
static double slowest_answer(struct api_server *srv, int ms)
{
    const char *signed_in[] = {people[2].auth, NULL};
    struct api_raw_request asks[] = {
        {"GET", "/healthz", NULL, NULL, 0, false},
        {"GET", "/api/v1/offerings", NULL, NULL, 0, false},
        {"GET", "/api/v1/me", NULL, NULL, 0, false},
        {"GET", "/api/v1/me", signed_in, NULL, 0, false},
    };
    static const long expected[] = {200, 200, 401, 200};
    double slowest = 0, until = api_now_ms() + ms;
    for (size_t i = 0; api_now_ms() < until; i = (i + 1) % 4) {
        struct api_response r;
        double before = api_now_ms();
        long status = api_send_to(srv, &r, &asks[i]);
        double took = api_now_ms() - before;
        if (status != expected[i])
            TEST_FAILF("%s %s: %ld, not %ld", asks[i].method, asks[i].path, status, expected[i]);
        api_free(&r);
        slowest = took > slowest ? took : slowest;
        api_sleep_ms(20);
    }
    return slowest;
}

static bool log_has(const struct api_server *srv, const char *text)
{
    char *log = api_read_file(srv->log_path, NULL);
    bool has = log != NULL && strstr(log, text) != NULL;
    free(log);
    return has;
}

TEST(a_reader_connecting_to_a_silent_server_blocks_nobody)
{
    if (!postgres)
        return;
    struct proxy proxy;
    char url[512];
    if (!proxy_start(&proxy, server.db, url, sizeof(url))) {
        TEST_FAILF("cannot proxy %s", "the test database");
        return;
    }
    struct api_server behind;
    static const char *const flags[] = {"--threads", "1", "--db-pool", "2", NULL};
    if (api_server_start_with(&behind, url, flags, NULL) != 0) {
        TEST_FAILF("the server behind the proxy did not start");
        proxy_stop(&proxy);
        return;
    }
    for (int i = 0; i < 50 && readers() != LOOPS + 1; i++)
        api_sleep_ms(100);
    CHECK_INT(readers(), LOOPS + 1);
    /* Partitioned: the reader's backend gone, its next connect never answered. */
    atomic_store(&proxy.black_hole, true);
    CHECK_INT(db_exec(db, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE"
                          " '% (session reader)' AND datname = current_database()"),
              DB_OK);
    api_sleep_ms(1200); /* the readers' retry delay: the next /me starts a connect */
    double slowest = slowest_answer(&behind, 3000);
    CHECK(slowest < SLOWEST_ANSWER_MS);
    if (slowest >= SLOWEST_ANSWER_MS)
        printf("  slowest answer while the reader connects: %.0f ms\n", slowest);
    /* The connect did hang, and was given up (after 5 s). */
    double deadline = api_now_ms() + CONDITION_WAIT_MS;
    while (!log_has(&behind, "why=\"timed out\"") && api_now_ms() < deadline)
        api_sleep_ms(100);
    CHECK(log_has(&behind, "why=\"timed out\""));
    CHECK(proxy.held_count >= 1);
    /* The partition heals: the reader comes back at its next try (2 s later). */
    atomic_store(&proxy.black_hole, false);
    api_use(&server);
    for (int i = 0; i < 50 && readers() != LOOPS + 1; i++) {
        CHECK(slowest_answer(&behind, 150) < SLOWEST_ANSWER_MS);
        all_answered();
    }
    CHECK_INT(readers(), LOOPS + 1);
    CHECK_INT(api_server_stop(&behind), 0);
    if (test_failed)
        api_server_print_log(&behind, 40);
    api_server_cleanup(&behind);
    api_use(&server);
    proxy_stop(&proxy);
}

/* What the tests need, once the suite's server is up. */
static bool setup(void)
{
    db = api_db_open(&server);
    postgres = db != NULL && strcmp(db_backend_name(db), "postgres") == 0;
    bool ok = db != NULL;
    char prefix[32];
    for (int i = 0; i < PEOPLE && ok; i++) {
        snprintf(prefix, sizeof(prefix), "loop%d", i);
        ok = register_student(&people[i], prefix);
    }
    return ok;
}

static void run_tests(void)
{
    RUN(each_gets_its_own_session_and_changes_apply_at_once);
    RUN(bad_expired_and_stale_tokens);
    RUN(a_session_due_its_touch_is_touched);
    RUN(clients_that_leave_while_their_sessions_are_read);
    RUN(pipelined_requests_behind_one_that_waits);
    RUN(kept_sessions_see_changes_made_elsewhere);
    RUN(me_is_answered_while_the_pool_waits);
    RUN(signed_in_reads_from_memory_skip_the_pool);
    RUN(readers_killed_come_back);
    RUN(a_reader_connecting_to_a_silent_server_blocks_nobody);
}

static void finish(void)
{
    if (test_failed)
        api_server_print_log(&server, 40);
    db_close(db);
}

int main(void)
{
    static const char *const flags[] = {"--threads", "2", "--db-pool", "2", NULL};
    static const struct api_suite suite = {
        .name = "api_loop_sessions", .server = &server, .flags = flags, .setup = setup,
        .setup_what = "registering the people failed", .run = run_tests, .finish = finish};
    return api_suite_main(&suite);
}
