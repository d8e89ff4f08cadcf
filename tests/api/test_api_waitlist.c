/* test_api_waitlist.c — the waitlist of a full block (domain/waitlist.c),
 * against the real server on SQLite and PostgreSQL:
 *
 *   - bad input: joining a block with a free seat (409), one the student is
 *     not eligible for (422), twice (409), one that does not exist (404), as
 *     someone who is not a student (403); leaving a list one is not on (404);
 *   - positions in the order of joining, and who sees the list;
 *   - the race: 50 students waitlisted, the 10 holders of the block's 10 seats
 *     withdraw at the same moment → exactly 10 offers, to the first 10 on the
 *     list who are still eligible (two became graduates the offering does not
 *     take, one left), in list order, each with the offering's offer expiry;
 *   - an offer declined goes to the next one (the student's place leaves the
 *     list; they may join again, at the end); more seats go to the list first;
 *     an offer accepted takes its seat;
 *   - a seat offered from the list is not taken by anyone else meanwhile (a
 *     new application is refused, an older offer cannot be accepted), and a
 *     student on the list with a booked rotation at the same time is skipped. */
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "api_client.h"
#include "domain/auth.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "store/applications.h"
#include "store/store.h"
#include "test.h"

#define PEOPLE_PASSWORD "Harbor-Quill-Lantern-927"
#include "api_people.h"
#include "api_suite.h"

enum { WAITING = 50, SEATS = 10 };

static struct api_server server;
static struct db_conn *db;
static struct user staff, stranger, holders[SEATS], waiting[WAITING];
static char offering[64], block[64], open_block[64];

/* Students (or any role) the way registration makes them, with one password
 * hash for all (Argon2id each would take minutes under the sanitizers) and
 * a session row each. */
static bool make_users(struct user *users, size_t n, enum role role, const char *prefix)
{
    static char hash[128];
    if (hash[0] == '\0' && crypto_password_hash(PEOPLE_PASSWORD, hash) != 0)
        return false;
    struct auth_register_job *job = calloc(1, sizeof(*job));
    bool ok = job != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        struct arena arena;
        arena_heap_init(&arena);
        memset(&users[i], 0, sizeof(users[i]));
        api_unique_email(users[i].email, sizeof(users[i].email), prefix);
        snprintf(users[i].name, sizeof(users[i].name), "%s %zu", prefix, i);
        memset(job, 0, sizeof(*job));
        struct error err = {0};
        struct store_user created;
        ok = auth_register_begin(db, &arena, users[i].email, users[i].name, PEOPLE_PASSWORD, role, NULL, NULL, job,
                                 &err) == 0;
        if (ok) {
            snprintf(job->password_hash, sizeof(job->password_hash), "%s", hash);
            ok = auth_register_finish(db, &arena, job, &created, &err) == 0;
        }
        char token[44], csrf[44], token_hash[65];
        crypto_random_token(token);
        crypto_random_token(csrf);
        crypto_hash_token(token, token_hash);
        if (ok) {
            snprintf(users[i].id, sizeof(users[i].id), "%s", created.id);
            ok = store_session_insert(db, token_hash, created.id, csrf, clock_now()) == DB_OK;
            user_set_token(&users[i], token);
        }
        arena_heap_free(&arena);
    }
    free(job);
    return ok;
}

static long call_as(struct api_response *r, const struct user *u, const char *method, const char *path,
                    const char *body)
{
    const char *headers[] = {u != NULL ? u->auth : NULL, NULL};
    return api_request(r, method, path, headers, body);
}

static long status_of(const struct user *u, const char *method, const char *path, const char *body, char *code,
                      size_t code_size)
{
    struct api_response r;
    long status = call_as(&r, u, method, path, body);
    if (code != NULL)
        snprintf(code, code_size, "%s", api_json_str(r.json, "code") != NULL ? api_json_str(r.json, "code") : "");
    api_free(&r);
    return status;
}

/* ---- the catalog: one seeded offering, students only, with a block of SEATS held seats ---- */

static bool make_block(char *id_out, int64_t seats, int days_ahead)
{
    char id[64], start[11], end[11];
    crypto_random_id("blk_", id, sizeof(id));
    clock_date_from_days(clock_today_days() + days_ahead, start);
    clock_date_from_days(clock_today_days() + days_ahead + 25, end);
    struct store_block b = {.id = id, .offering_id = offering, .start_date = start, .end_date = end, .seats = seats,
                            .created_at = clock_now()};
    snprintf(id_out, 64, "%s", id);
    return store_block_insert(db, &b) == DB_OK;
}

static bool hold_seat(const struct user *student)
{
    char id[64];
    crypto_random_id("a_", id, sizeof(id));
    struct arena arena;
    arena_heap_init(&arena);
    struct store_offering o;
    bool ok = store_offering_get(db, &arena, offering, &o) == DB_ROW;
    struct store_application a = {.id = id, .student_id = student->id, .block_id = block, .offering_id = offering,
                                  .organization_id = ok ? o.organization_id : "", .status = "held",
                                  .statement = "", .created_at = clock_now()};
    ok = ok && store_application_insert(db, &a) == DB_OK && store_block_take_seat(db, block) == DB_OK;
    arena_heap_free(&arena);
    return ok;
}

/* An application of student for block_id in status, made as the store would (no seat taken here). */
static bool insert_application(const struct user *student, const char *block_id, const char *status, char *id_out)
{
    crypto_random_id("a_", id_out, 64);
    struct arena arena;
    arena_heap_init(&arena);
    struct store_offering o;
    bool ok = store_offering_get(db, &arena, offering, &o) == DB_ROW;
    struct store_application a = {.id = id_out, .student_id = student->id, .block_id = block_id,
                                  .offering_id = offering, .organization_id = ok ? o.organization_id : "",
                                  .status = status, .statement = "", .created_at = clock_now()};
    ok = ok && store_application_insert(db, &a) == DB_OK;
    arena_heap_free(&arena);
    return ok;
}

static bool setup_catalog(void)
{
    const char *seed[] = {"seed", "--offerings", "5", NULL};
    struct api_cli_result res;
    bool ok = api_cli(server.db, seed, NULL, &res) == 0;
    api_cli_free(&res);
    struct arena arena;
    arena_heap_init(&arena);
    struct store_offering *list;
    size_t count = 0;
    struct store_offering o;
    ok = ok && store_offerings_list(db, &arena, NULL, NULL, NULL, 1, &list, &count) == DB_OK && count == 1;
    if (ok) {
        o = list[0];
        o.students_allowed = true;
        o.graduates_allowed = false; /* a student who becomes a graduate is no longer eligible */
        o.step1_required = false;
        o.english_proof_required = false;
        o.visa_kinds = "";
        o.status = "published";
        o.updated_at = clock_now();
        snprintf(offering, sizeof(offering), "%s", o.id);
        ok = store_offering_update(db, &o) == DB_OK;
    }
    arena_heap_free(&arena);
    ok = ok && make_block(block, SEATS, 60) && make_block(open_block, 5, 90);
    for (size_t i = 0; ok && i < SEATS; i++)
        ok = hold_seat(&holders[i]);
    return ok && store_catalog_changed(db, offering, clock_now()) == DB_OK;
}

/* ---- tests ---- */

TEST(joining_refuses_what_it_must)
{
    char path[160], code[64];
    snprintf(path, sizeof(path), "/api/v1/blocks/%s/waitlist", open_block);
    CHECK_INT(status_of(&waiting[0], "POST", path, NULL, code, sizeof(code)), 409); /* a free seat: apply */
    CHECK_STR(code, "conflict");
    CHECK_INT(status_of(&waiting[0], "POST", "/api/v1/blocks/blk_nope/waitlist", NULL, code, sizeof(code)), 404);
    snprintf(path, sizeof(path), "/api/v1/blocks/%s/waitlist", block);
    CHECK_INT(status_of(&staff, "POST", path, NULL, code, sizeof(code)), 403);
    CHECK_INT(status_of(NULL, "POST", path, NULL, code, sizeof(code)), 401);
    CHECK_INT(status_of(&waiting[0], "DELETE", path, NULL, code, sizeof(code)), 404); /* not on it */
    /* A graduate, whom this offering does not take. */
    CHECK_INT(status_of(&stranger, "PATCH", "/api/v1/me", "{\"status\":\"graduate\",\"graduation_year\":2020}", NULL,
                        0),
              200);
    CHECK_INT(status_of(&stranger, "POST", path, NULL, code, sizeof(code)), 422);
    CHECK_STR(code, "unprocessable");
    /* A holder has an active application for it already. */
    CHECK_INT(status_of(&holders[0], "POST", path, NULL, code, sizeof(code)), 422);
    /* Nothing of that was written. */
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM waitlist", NULL, NULL), 0);
}

TEST(places_follow_the_order_of_joining)
{
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/blocks/%s/waitlist", block);
    for (int i = 0; i < WAITING; i++) {
        struct api_response r;
        CHECK_INT(call_as(&r, &waiting[i], "POST", path, NULL), 201);
        CHECK_INT(api_json_int(r.json, "position", -1), i + 1);
        CHECK_INT(api_json_int(r.json, "ahead", -1), i);
        CHECK_STR(api_json_str(r.json, "status"), "waiting");
        api_free(&r);
    }
    char code[64];
    CHECK_INT(status_of(&waiting[3], "POST", path, NULL, code, sizeof(code)), 409); /* twice */
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM waitlist", NULL, NULL), WAITING);
    /* The host side sees the whole list in order (one page of 100, or 20 to a
     * page by default); a student only their place. */
    struct api_response r;
    char all_path[200];
    snprintf(all_path, sizeof(all_path), "%s?limit=100", path);
    CHECK_INT(call_as(&r, &staff, "GET", all_path, NULL), 200);
    json_t *items = json_object_get(r.json, "items");
    CHECK_INT(json_array_size(items), WAITING);
    CHECK(json_is_null(json_object_get(r.json, "next_cursor")));
    for (int i = 0; i < WAITING && json_array_size(items) == WAITING; i++)
        CHECK_STR(api_json_str(json_array_get(items, (size_t)i), "student.id"), waiting[i].id);
    char *twentieth = strdup(api_json_str(json_array_get(items, 19), "id") ?: "");
    api_free(&r);
    CHECK_INT(call_as(&r, &staff, "GET", path, NULL), 200);
    CHECK_INT(json_array_size(json_object_get(r.json, "items")), 20);
    CHECK_STR(api_json_str(json_array_get(json_object_get(r.json, "items"), 19), "id"), twentieth);
    char *cursor = strdup(api_json_str(r.json, "next_cursor") ?: ""); /* opaque: after the twentieth */
    api_free(&r);
    snprintf(all_path, sizeof(all_path), "%s?cursor=%s&limit=100", path, cursor);
    free(cursor);
    CHECK_INT(call_as(&r, &staff, "GET", all_path, NULL), 200);
    CHECK_INT(json_array_size(json_object_get(r.json, "items")), WAITING - 20);
    CHECK_STR(api_json_str(json_array_get(json_object_get(r.json, "items"), 0), "student.id"), waiting[20].id);
    api_free(&r);
    free(twentieth);
    CHECK_INT(call_as(&r, &waiting[7], "GET", path, NULL), 200);
    CHECK_INT(json_array_size(json_object_get(r.json, "items")), 1);
    CHECK(json_object_get(json_array_get(json_object_get(r.json, "items"), 0), "student") == NULL);
    CHECK_INT(api_json_int(json_array_get(json_object_get(r.json, "items"), 0), "ahead", -1), 7);
    api_free(&r);
    CHECK_INT(status_of(&stranger, "GET", path, NULL, code, sizeof(code)), 404);
    /* Two become graduates (no longer eligible); one leaves. */
    CHECK_INT(status_of(&waiting[2], "PATCH", "/api/v1/me", "{\"status\":\"graduate\",\"graduation_year\":2021}",
                        NULL, 0),
              200);
    CHECK_INT(status_of(&waiting[6], "PATCH", "/api/v1/me", "{\"status\":\"graduate\",\"graduation_year\":2021}",
                        NULL, 0),
              200);
    CHECK_INT(status_of(&waiting[8], "DELETE", path, NULL, NULL, 0), 204);
    CHECK_INT(status_of(&waiting[8], "DELETE", path, NULL, NULL, 0), 404);
}

struct withdrawal {
    pthread_t thread;
    const struct user *holder;
    char application[64];
    long status;
};

static void *withdraw(void *arg)
{
    struct withdrawal *w = arg;
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/applications/%s/withdraw", w->application);
    w->status = status_of(w->holder, "POST", path, "{\"note\":\"plans changed\"}", NULL, 0);
    return NULL;
}

/* The students offered a seat from the list, by position: indexes into waiting[]. */
static size_t offered_positions(int *out, size_t max)
{
    struct db_stmt *st = db_prepare(db, "SELECT w.position FROM waitlist w JOIN applications a ON a.id = w.application_id"
                                        " WHERE w.block_id = $1 AND w.status = 'offered' AND a.status = 'offered'"
                                        " ORDER BY w.position");
    db_bind_text(st, 1, block);
    size_t n = 0;
    while (db_step(st) == DB_ROW && n < max)
        out[n++] = (int)db_column_int(st, 0);
    db_reset(st);
    return n;
}

TEST(ten_seats_freed_at_once_make_ten_offers_in_order)
{
    struct withdrawal w[SEATS];
    for (size_t i = 0; i < SEATS; i++) {
        w[i].holder = &holders[i];
        char *id = api_db_text(db, "SELECT id FROM applications WHERE student_id = $1 AND block_id = $2",
                               holders[i].id, block, NULL);
        snprintf(w[i].application, sizeof(w[i].application), "%s", id != NULL ? id : "");
        free(id);
    }
    for (size_t i = 0; i < SEATS; i++)
        pthread_create(&w[i].thread, NULL, withdraw, &w[i]);
    for (size_t i = 0; i < SEATS; i++) {
        pthread_join(w[i].thread, NULL);
        CHECK_INT(w[i].status, 200);
    }
    int got[WAITING];
    size_t n = offered_positions(got, WAITING);
    /* Positions 3 and 7 are graduates now, 9 left: the first ten others. */
    static const int want[SEATS] = {1, 2, 4, 5, 6, 8, 10, 11, 12, 13};
    CHECK_INT(n, SEATS);
    for (size_t i = 0; i < n && i < SEATS; i++)
        if (got[i] != want[i])
            TEST_FAILF("offer %zu went to position %d, expected %d", i, got[i], want[i]);
    CHECK_INT(api_db_int(db, "SELECT seats_taken FROM blocks WHERE id = $1", block, NULL), 0);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM applications WHERE block_id = $1 AND status = 'offered'", block,
                         NULL),
              SEATS);
    /* Each offer expires as the offering's offers do, and the student was told. */
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM applications a JOIN offerings o ON o.id = a.offering_id"
                             " WHERE a.block_id = $1 AND a.status = 'offered'"
                             " AND a.offer_expires_at > a.updated_at + o.offer_expiry_days * 86400 - 120",
                         block, NULL),
              SEATS);
    struct api_response r;
    /* ... until the hour the notice says: in UTC, saying so, as the student has chosen no time zone. */
    long long until = api_db_int(db, "SELECT offer_expires_at FROM applications WHERE student_id = $1 AND block_id = $2",
                                 waiting[0].id, block);
    char day[11], words[CLOCK_DATE_WORDS_SIZE], accept_by[96];
    clock_date_from_days((int32_t)(until / 86400), day);
    snprintf(accept_by, sizeof(accept_by), "you have an offer from the waitlist, accept by %s, %02lld:%02lld UTC",
             clock_date_words(day, words), until % 86400 / 3600, until % 3600 / 60);
    CHECK_INT(call_as(&r, &waiting[0], "GET", "/api/v1/notifications", NULL), 200);
    CHECK_CONTAINS(r.body, accept_by);
    api_free(&r);
    CHECK_INT(call_as(&r, &waiting[0], "GET", "/api/v1/waitlist", NULL), 200);
    CHECK_STR(api_json_str(json_array_get(json_object_get(r.json, "items"), 0), "status"), "offered");
    api_free(&r);
}

/* Whether the first column of the first row of sql is want. */
static bool db_text_is(const char *sql, const char *p1, const char *p2, const char *want)
{
    char *got = api_db_text(db, sql, p1, p2, NULL);
    bool same = got != NULL && strcmp(got, want) == 0;
    if (!same)
        printf("  %s → \"%s\", expected \"%s\"\n", sql, got != NULL ? got : "(none)", want);
    free(got);
    return same;
}

TEST(a_declined_offer_goes_to_the_next_and_more_seats_to_the_list)
{
    char *app = api_db_text(db, "SELECT application_id FROM waitlist WHERE block_id = $1 AND position = 1", block,
                            NULL, NULL);
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/applications/%s/withdraw", app != NULL ? app : "none");
    CHECK_INT(status_of(&waiting[0], "POST", path, "{\"note\":\"no longer\"}", NULL, 0), 200);
    free(app);
    int got[WAITING];
    size_t n = offered_positions(got, WAITING);
    CHECK_INT(n, SEATS);
    CHECK_INT(n > 0 ? got[n - 1] : -1, 14);
    /* The first one's place left the list with the offer; they may join again, at the end. */
    CHECK(db_text_is("SELECT status FROM waitlist WHERE block_id = $1 AND student_id = $2", block, waiting[0].id,
                     "left"));
    char join[160];
    snprintf(join, sizeof(join), "/api/v1/blocks/%s/waitlist", block);
    struct api_response r;
    CHECK_INT(call_as(&r, &waiting[0], "POST", join, NULL), 201);
    CHECK_INT(api_json_int(r.json, "position", -1), WAITING + 1);
    api_free(&r);
    /* Two more seats (staff raise them): the next two on the list. */
    char patch[160];
    snprintf(patch, sizeof(patch), "/api/v1/blocks/%s", block);
    CHECK_INT(status_of(&staff, "PATCH", patch, "{\"seats\":12}", NULL, 0), 200);
    n = offered_positions(got, WAITING);
    CHECK_INT(n, SEATS + 2);
    CHECK_INT(n > 0 ? got[n - 1] : -1, 16);
    /* An accepted offer takes its seat. */
    app = api_db_text(db, "SELECT application_id FROM waitlist WHERE block_id = $1 AND position = 2", block, NULL,
                      NULL);
    snprintf(path, sizeof(path), "/api/v1/applications/%s/accept", app != NULL ? app : "none");
    CHECK_INT(status_of(&waiting[1], "POST", path, "{}", NULL, 0), 200);
    free(app);
    CHECK_INT(api_db_int(db, "SELECT seats_taken FROM blocks WHERE id = $1", block, NULL), 1);
    CHECK_INT(offered_positions(got, WAITING), SEATS + 1);
}

/* Whether the search for query finds the offering, as want (polled while the
 * index follows, 20 s at most: a loaded machine may take a while). */
static bool found_by_search(const char *query, bool want)
{
    bool found = !want;
    double deadline = api_now_ms() + 20000;
    for (int tries = 0; found != want && (tries == 0 || api_now_ms() < deadline); tries++) {
        if (tries > 0)
            api_sleep_ms(100);
        struct api_response r;
        found = false;
        if (api_request(&r, "GET", query, NULL, NULL) == 200) {
            json_t *items = json_object_get(r.json, "items");
            for (size_t i = 0; i < json_array_size(items); i++) {
                const char *id = api_json_str(json_array_get(items, i), "id");
                found = found || (id != NULL && strcmp(id, offering) == 0);
            }
        }
        api_free(&r);
    }
    if (found != want)
        printf("  %s %s the offering\n", query, found ? "finds" : "does not find");
    return found == want;
}

TEST(a_promised_seat_stays_for_the_list_and_a_booked_student_is_skipped)
{
    /* 12 seats, 1 taken, 11 offered from the list: no seat is left for anyone else. */
    CHECK_INT(offered_positions((int[WAITING]){0}, WAITING), SEATS + 1);
    char body[160], code[64], path[200], id[64];
    snprintf(body, sizeof(body), "{\"block_id\":\"%s\",\"statement\":\"\"}", block);
    CHECK_INT(status_of(&holders[0], "POST", "/api/v1/applications", body, code, sizeof(code)), 422);
    CHECK_STR(code, "unprocessable");
    /* An offer the host made before the seats were promised cannot take one of them. */
    CHECK(insert_application(&holders[1], block, "offered", id));
    snprintf(path, sizeof(path), "/api/v1/applications/%s/accept", id);
    CHECK_INT(status_of(&holders[1], "POST", path, "{}", code, sizeof(code)), 409);
    CHECK_STR(code, "block_full");
    CHECK_INT(api_db_int(db, "SELECT seats_taken FROM blocks WHERE id = $1", block, NULL), 1);
    CHECK(db_text_is("SELECT status FROM applications WHERE id = $1", id, NULL, "offered"));
    /* The next on the list (position 17) has a booked rotation at the same time: the seat goes to 18. */
    char overlapping[64], booked[64];
    CHECK(make_block(overlapping, 1, 62));
    CHECK(insert_application(&waiting[16], overlapping, "booked", booked));
    CHECK(store_block_take_seat(db, overlapping) == DB_OK);
    snprintf(path, sizeof(path), "/api/v1/blocks/%s", block);
    CHECK_INT(status_of(&staff, "PATCH", path, "{\"seats\":13}", NULL, 0), 200);
    int got[WAITING];
    size_t n = offered_positions(got, WAITING);
    CHECK_INT(n, SEATS + 2);
    CHECK_INT(n > 0 ? got[n - 1] : -1, 18);
    CHECK(db_text_is("SELECT status FROM waitlist WHERE block_id = $1 AND student_id = $2", block, waiting[16].id,
                     "waiting"));
    /* The search counts them as taken too: the date has no seat, it is only
     * among full ones (found there first, so that the index surely holds the
     * offering when the search without full ones is waited for to miss it). */
    char day[11], query[200];
    clock_date_from_days(clock_today_days() + 60, day);
    snprintf(query, sizeof(query), "/api/v1/offerings?start_from=%s&start_to=%s&include_full=true&limit=100", day, day);
    CHECK(found_by_search(query, true));
    snprintf(query, sizeof(query), "/api/v1/offerings?start_from=%s&start_to=%s&limit=100", day, day);
    CHECK(found_by_search(query, false));
    /* The offering's page counts the offered seats as taken: the date is full, its waitlist open to join. */
    char page_path[160], join_action[160];
    snprintf(page_path, sizeof(page_path), "/offerings/%s", offering);
    snprintf(join_action, sizeof(join_action), "action=\"/blocks/%s/waitlist\"", block);
    const char *headers[] = {holders[0].cookie, NULL};
    struct api_response r;
    CHECK_INT(api_request(&r, "GET", page_path, headers, NULL), 200);
    CHECK_CONTAINS(r.body, join_action);
    api_free(&r);
}

/* What the tests need, once the suite's server is up. */
static bool setup(void)
{
    db = api_db_open(&server);
    bool ok = db != NULL && make_users(&staff, 1, ROLE_STAFF, "wl-staff") && make_users(&stranger, 1, ROLE_STUDENT, "wl-grad") &&
              make_users(holders, SEATS, ROLE_STUDENT, "wl-holder") && make_users(waiting, WAITING, ROLE_STUDENT, "wl-wait") &&
              setup_catalog();
    if (ok)
        api_sleep_ms(500); /* the index follows */
    return ok;
}

static void run_tests(void)
{
    RUN(joining_refuses_what_it_must);
    RUN(places_follow_the_order_of_joining);
    RUN(ten_seats_freed_at_once_make_ten_offers_in_order);
    RUN(a_declined_offer_goes_to_the_next_and_more_seats_to_the_list);
    RUN(a_promised_seat_stays_for_the_list_and_a_booked_student_is_skipped);
}

static void finish(void)
{
    if (test_failed)
        api_server_print_log(&server, 30);
    db_close(db);
}

int main(void)
{
    static const char *const flags[] = {"--test-hooks", "1", "--jobs-interval-ms", "0", NULL};
    static const struct api_suite suite = {
        .name = "api_waitlist", .server = &server, .flags = flags, .setup = setup, .setup_what = "set-up failed",
        .run = run_tests, .finish = finish};
    return api_suite_main(&suite);
}
