/* test_api_alerts.c — saved searches with alerts and favourites
 * (domain/alerts.c, alerts_job.c), against two real servers on one database
 * (SQLite and PostgreSQL):
 *
 *   - bad input: unknown or malformed filters → 400 naming "filters.<name>"
 *     (the search's own validator), no name → 400, the 21st saved search →
 *     422; someone else's saved search → 404; none of it writes anything;
 *     the pages' forms the same: the save form back with what was typed and
 *     the reason at the top, 403 without the CSRF token, 404 for what is
 *     not there;
 *   - favourites: star (twice is fine), list, unstar; an unknown offering or
 *     one not starred → 404;
 *   - a seat frees on a full block: with the background jobs of both
 *     instances running at the same moment, the saved search gets exactly one
 *     notice and one email, the student who starred the offering one notice;
 *     new dates the same day: a notice, but no second email until a day has
 *     passed;
 *   - the email's unsubscribe link works without logging in (GET asks, POST
 *     stops the emails); a forged token → 404;
 *   - (PostgreSQL) an instance that listed a search as due, then waited while
 *     the other sent its email and new dates made its pending list the same
 *     again, sends no second email that day; one that read the searches, then
 *     waited while the other emailed one, adds its new match to the emptied
 *     list (the emailed offering is not pending again); a round whose events
 *     transaction is tried again (the pending list kept changing) reports the
 *     notices it stored, not those of both tries;
 *   - one student's saves at once on both instances: exactly 20 saved, each
 *     with its own position, listed in that order, the others 422; stars at
 *     once each take their own position. */
#include <dirent.h>
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "api_client.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "store/applications.h"
#include "store/store.h"
#include "test.h"

#define PEOPLE_PASSWORD "Orchard-Lantern-Quill-604"
#include "api_people.h"

enum { SAVED_MAX = 20 };

static struct api_server a, b;
static struct db_conn *db;
static struct user staff, saver, starrer, holder, other;
static char offering[64], block[64];

static long call_on(struct api_server *srv, struct api_response *r, const struct user *u, const char *method,
                    const char *path, const char *body)
{
    const char *headers[] = {u != NULL ? u->auth : NULL, NULL};
    struct api_raw_request rq = {method, path, headers, body, body != NULL ? strlen(body) : 0, false};
    return api_send_to(srv, r, &rq);
}

/* The status of method path as u on A, and the problem's code and field. */
static long status_of(const struct user *u, const char *method, const char *path, const char *body, char *code,
                      char *field)
{
    struct api_response r;
    long status = call_on(&a, &r, u, method, path, body);
    if (code != NULL)
        snprintf(code, 64, "%s", api_json_str(r.json, "code") != NULL ? api_json_str(r.json, "code") : "");
    if (field != NULL)
        snprintf(field, 64, "%s", api_json_str(r.json, "field") != NULL ? api_json_str(r.json, "field") : "");
    api_free(&r);
    return status;
}

static long long count_where(const char *sql, const char *p1, const char *p2)
{
    return api_db_int(db, sql, p1, p2);
}

/* ---- set-up: one seeded offering with a unique word, a block of one seat held by holder ---- */

static bool seat_held(void)
{
    char id[64];
    crypto_random_id("a_", id, sizeof(id));
    struct arena arena;
    arena_heap_init(&arena);
    struct store_offering o;
    bool ok = store_offering_get(db, &arena, offering, &o) == DB_ROW;
    struct store_application app = {.id = id, .student_id = holder.id, .block_id = block, .offering_id = offering,
                                    .organization_id = ok ? o.organization_id : "", .status = "held",
                                    .statement = "", .created_at = clock_now()};
    ok = ok && store_application_insert(db, &app) == DB_OK && store_block_take_seat(db, block) == DB_OK;
    arena_heap_free(&arena);
    return ok;
}

static bool setup_catalog(void)
{
    struct arena arena;
    arena_heap_init(&arena);
    struct store_offering *list;
    size_t count = 0;
    bool ok = store_offerings_list(db, &arena, NULL, NULL, NULL, 1, &list, &count) == DB_OK && count == 1;
    if (ok) {
        struct store_offering o = list[0];
        o.title = "Quasarline Cardiology Externship";
        o.students_allowed = true;
        o.status = "published";
        o.updated_at = clock_now();
        snprintf(offering, sizeof(offering), "%s", o.id);
        ok = store_offering_update(db, &o) == DB_OK;
    }
    arena_heap_free(&arena);
    char start[11], end[11];
    crypto_random_id("blk_", block, sizeof(block));
    clock_date_from_days(clock_today_days() + 70, start);
    clock_date_from_days(clock_today_days() + 95, end);
    struct store_block blk = {.id = block, .offering_id = offering, .start_date = start, .end_date = end, .seats = 1,
                              .created_at = clock_now()};
    ok = ok && store_block_insert(db, &blk) == DB_OK && seat_held();
    return ok && store_catalog_changed(db, offering, clock_now()) == DB_OK;
}

static bool add_user(struct user *u, const char *role, const char *prefix)
{
    memset(u, 0, sizeof(*u));
    api_unique_email(u->email, sizeof(u->email), prefix);
    snprintf(u->name, sizeof(u->name), "Alerts %s", prefix);
    const char *add[] = {"user", "add", "--email", u->email, "--name", u->name, "--role", role,
                         "--password-stdin", NULL};
    struct api_cli_result res;
    bool ok = api_cli(a.db, add, PEOPLE_PASSWORD "\n", &res) == 0;
    api_cli_free(&res);
    return ok && login(u);
}

/* ---- bad input ---- */

TEST(saved_searches_refuse_bad_filters_naming_them)
{
    static const struct {
        const char *body, *field;
        long status;
    } cases[] = {
        {"{\"name\":\"x\",\"filters\":{\"colour\":\"red\"}}", "filters.colour", 400},
        {"{\"name\":\"x\",\"filters\":{\"specialty\":\"astrology\"}}", "filters.specialty", 400},
        {"{\"name\":\"x\",\"filters\":{\"state\":\"ZZ\"}}", "filters.state", 400},
        {"{\"name\":\"x\",\"filters\":{\"kind\":\"vacation\"}}", "filters.kind", 400},
        {"{\"name\":\"x\",\"filters\":{\"start_from\":\"2027-02-30\"}}", "filters.start_from", 400},
        {"{\"name\":\"x\",\"filters\":{\"start_from\":\"2027-05-01\",\"start_to\":\"2027-04-01\"}}",
         "filters.start_to", 400},
        {"{\"name\":\"x\",\"filters\":{\"max_tuition\":-5}}", "filters.max_tuition", 400},
        {"{\"name\":\"x\",\"filters\":{\"max_tuition\":\"cheap\"}}", "filters.max_tuition", 400},
        {"{\"name\":\"x\",\"filters\":{\"eligible\":\"you\"}}", "filters.eligible", 400},
        {"{\"name\":\"x\",\"filters\":{\"include_full\":\"yes\"}}", "filters.include_full", 400},
        {"{\"name\":\"x\",\"filters\":[]}", "filters", 400},
        {"{\"name\":\"\",\"filters\":{}}", "name", 400},
        {"{\"filters\":{}}", "name", 400},
        {"{\"name\":\"x\"}", "filters", 400},
        {"{\"name\":\"x\",\"filters\":{},\"extra\":1}", "extra", 400},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char code[64], field[64];
        long status = status_of(&saver, "POST", "/api/v1/saved-searches", cases[i].body, code, field);
        if (status != cases[i].status || strcmp(field, cases[i].field) != 0)
            TEST_FAILF("%s → %ld field \"%s\", expected %ld \"%s\"", cases[i].body, status, field, cases[i].status,
                       cases[i].field);
    }
    char code[64];
    CHECK_INT(status_of(&saver, "POST", "/api/v1/saved-searches", "{\"name\":\"x\",", code, NULL), 400);
    CHECK_INT(status_of(NULL, "POST", "/api/v1/saved-searches", "{\"name\":\"x\",\"filters\":{}}", NULL, NULL), 401);
    CHECK_INT(status_of(&staff, "POST", "/api/v1/saved-searches", "{\"name\":\"x\",\"filters\":{}}", NULL, NULL), 403);
    CHECK_INT(count_where("SELECT COUNT(*) FROM saved_searches", NULL, NULL), 0);
}

/* A new cookie session of u (as a browser has after logging in): its cookie and CSRF token. */
static bool browser_session(const struct user *u, char *cookie, size_t cookie_size, char *csrf, size_t csrf_size)
{
    struct api_response r;
    bool ok = post_as(&r, NULL, "/api/v1/auth/login",
                      json_pack("{s:s,s:s}", "email", u->email, "password", PEOPLE_PASSWORD), 200);
    const char *token = ok ? api_json_str(r.json, "token") : NULL;
    const char *form_token = ok ? api_json_str(r.json, "csrf_token") : NULL;
    ok = token != NULL && form_token != NULL;
    if (ok) {
        snprintf(cookie, cookie_size, "Cookie: rounds_session=%s", token);
        snprintf(csrf, csrf_size, "%s", form_token);
    }
    api_free(&r);
    return ok;
}

/* A form POST as the browser of that session sends it; the page comes back in page (or NULL). */
static long form_post(const char *cookie, const char *path, const char *form, char **page)
{
    const char *headers[] = {cookie, "Content-Type: application/x-www-form-urlencoded", NULL};
    struct api_raw_request rq = {"POST", path, headers, form, strlen(form), true};
    struct api_response r;
    long status = api_send_to(&a, &r, &rq);
    if (page != NULL)
        *page = strdup(r.body != NULL ? r.body : "");
    api_free(&r);
    return status;
}

TEST(the_pages_refuse_bad_input_keeping_what_was_typed)
{
    char cookie[128], csrf[64], form[400], *page = NULL;
    CHECK(browser_session(&saver, cookie, sizeof(cookie), csrf, sizeof(csrf)));
    /* A filter the search refuses: the save form comes back with the name typed and the reason at the top. */
    snprintf(form, sizeof(form), "name=Texas+%%26+cardio&q=cardio&state=ZZ&csrf_token=%s", csrf);
    CHECK_INT(form_post(cookie, "/saved-searches", form, &page), 400);
    CHECK(page != NULL && strstr(page, "id=\"error-summary\"") != NULL);
    CHECK(page != NULL && strstr(page, "The search could not be saved") != NULL);
    CHECK(page != NULL && strstr(page, "value=\"Texas &amp; cardio\"") != NULL);
    CHECK(page != NULL && strstr(page, "name=\"state\" value=\"ZZ\"") != NULL);
    free(page);
    page = NULL;
    /* No name. */
    snprintf(form, sizeof(form), "name=&q=cardio&csrf_token=%s", csrf);
    CHECK_INT(form_post(cookie, "/saved-searches", form, &page), 400);
    CHECK(page != NULL && strstr(page, "name=\"q\" value=\"cardio\"") != NULL);
    free(page);
    /* Without the form's token: refused before anything. */
    CHECK_INT(form_post(cookie, "/saved-searches", "name=Sneaky&q=cardio", NULL), 403);
    /* What does not exist, or is not theirs. */
    snprintf(form, sizeof(form), "csrf_token=%s", csrf);
    CHECK_INT(form_post(cookie, "/saved-searches/ss_nope/delete", form, NULL), 404);
    CHECK_INT(form_post(cookie, "/blocks/blk_nope/waitlist", form, NULL), 404);
    snprintf(form, sizeof(form), "on=1&csrf_token=%s", csrf);
    CHECK_INT(form_post(cookie, "/offerings/off_nope/favourite", form, NULL), 404);
    CHECK_INT(count_where("SELECT COUNT(*) FROM saved_searches", NULL, NULL), 0);
    CHECK_INT(count_where("SELECT COUNT(*) FROM favourites", NULL, NULL), 0);
    CHECK_INT(count_where("SELECT COUNT(*) FROM waitlist", NULL, NULL), 0);
}

TEST(twenty_saved_searches_then_422)
{
    char body[200], code[64];
    for (int i = 0; i < SAVED_MAX; i++) {
        snprintf(body, sizeof(body), "{\"name\":\"Search %d\",\"filters\":{\"q\":\"word%d\",\"state\":\"tx\"}}", i, i);
        CHECK_INT(status_of(&other, "POST", "/api/v1/saved-searches", body, NULL, NULL), 201);
    }
    CHECK_INT(status_of(&other, "POST", "/api/v1/saved-searches", "{\"name\":\"One more\",\"filters\":{}}", code, NULL),
              422);
    CHECK_STR(code, "unprocessable");
    CHECK_INT(count_where("SELECT COUNT(*) FROM saved_searches WHERE student_id = $1", other.id, NULL), SAVED_MAX);
    struct api_response r;
    CHECK_INT(call_on(&a, &r, &other, "GET", "/api/v1/saved-searches", NULL), 200);
    json_t *items = json_object_get(r.json, "items");
    CHECK_INT(json_array_size(items), SAVED_MAX);
    /* In the order they were saved, though many share a second. */
    for (size_t i = 0; i < json_array_size(items); i++) {
        char name[32];
        snprintf(name, sizeof(name), "Search %zu", i);
        CHECK_STR(api_json_str(json_array_get(items, i), "name"), name);
    }
    json_t *first = json_array_get(items, 0);
    CHECK_STR(api_json_str(first, "filters.state"), "TX"); /* as the search reads it */
    CHECK_STR(api_json_str(first, "search_link"), "/search?q=word0&state=TX");
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/saved-searches/%s", api_json_str(first, "id"));
    api_free(&r);
    /* Someone else's is not there; the owner's goes, once. */
    CHECK_INT(status_of(&saver, "DELETE", path, NULL, code, NULL), 404);
    CHECK_INT(status_of(&other, "DELETE", path, NULL, NULL, NULL), 204);
    CHECK_INT(status_of(&other, "DELETE", path, NULL, NULL, NULL), 404);
    CHECK_INT(status_of(&other, "POST", "/api/v1/saved-searches",
                        "{\"name\":\"One more\",\"filters\":{\"q\":\"zzyzx\"}}", NULL, NULL),
              201);
}

/* ---- saves at once ---- */

enum { RUSH_THREADS = 8, RUSH_EACH = 4, STAR_ROUNDS = 30 };

struct rush {
    pthread_t thread;
    struct api_server *srv;
    const struct user *u;
    int first;        /* saves searches first .. first + RUSH_EACH - 1, */
    const char *path; /* or stars this favourite once */
    int created, refused, other;
};

static void *rush_saves(void *arg)
{
    struct rush *t = arg;
    const char *headers[] = {t->u->auth, NULL};
    for (int i = 0; i < (t->path != NULL ? 1 : RUSH_EACH); i++) {
        char body[120];
        snprintf(body, sizeof(body), "{\"name\":\"Rush %d\",\"filters\":{\"q\":\"rush%d\"}}", t->first + i,
                 t->first + i);
        struct api_raw_request rq = {"POST", "/api/v1/saved-searches", headers, body, strlen(body), false};
        if (t->path != NULL)
            rq = (struct api_raw_request){"PUT", t->path, headers, NULL, 0, false};
        struct api_response r;
        long status = api_send_to(t->srv, &r, &rq);
        if (status == 201 || status == 204)
            t->created++;
        else if (status == 422)
            t->refused++;
        else
            t->other++;
        api_free(&r);
    }
    return NULL;
}

/* Runs the threads, half of them on A and half on B. */
static void rush_run(struct rush *threads, int n)
{
    for (int i = 0; i < n; i++) {
        threads[i].srv = i % 2 == 0 ? &a : &b;
        pthread_create(&threads[i].thread, NULL, rush_saves, &threads[i]);
    }
    for (int i = 0; i < n; i++)
        pthread_join(threads[i].thread, NULL);
}

/* 32 saves of one student at once on two instances: exactly 20 saved, each
 * with its own position, listed in that order; the others 422. */
TEST(saves_at_once_keep_the_limit_and_their_order)
{
    struct user rusher;
    CHECK(register_student(&rusher, "al-rush"));
    struct rush threads[RUSH_THREADS];
    memset(threads, 0, sizeof(threads));
    for (int i = 0; i < RUSH_THREADS; i++) {
        threads[i].u = &rusher;
        threads[i].first = i * RUSH_EACH;
    }
    rush_run(threads, RUSH_THREADS);
    int created = 0, refused = 0, other_status = 0;
    for (int i = 0; i < RUSH_THREADS; i++) {
        created += threads[i].created;
        refused += threads[i].refused;
        other_status += threads[i].other;
    }
    CHECK_INT(created, SAVED_MAX);
    CHECK_INT(refused, RUSH_THREADS * RUSH_EACH - SAVED_MAX);
    CHECK_INT(other_status, 0);
    CHECK_INT(count_where("SELECT COUNT(*) FROM saved_searches WHERE student_id = $1", rusher.id, NULL), SAVED_MAX);
    CHECK_INT(count_where("SELECT COUNT(DISTINCT position) FROM saved_searches WHERE student_id = $1", rusher.id, NULL),
              SAVED_MAX);
    CHECK_INT(count_where("SELECT MAX(position) FROM saved_searches WHERE student_id = $1", rusher.id, NULL),
              SAVED_MAX);
    /* Listed by position: the n-th listed holds position n. */
    struct api_response r;
    CHECK_INT(call_on(&b, &r, &rusher, "GET", "/api/v1/saved-searches", NULL), 200);
    json_t *items = json_object_get(r.json, "items");
    CHECK_INT(json_array_size(items), SAVED_MAX);
    for (size_t i = 0; i < json_array_size(items); i++) {
        const char *id = api_json_str(json_array_get(items, i), "id");
        CHECK_INT(count_where("SELECT position FROM saved_searches WHERE id = $1", id != NULL ? id : "", NULL),
                  (long long)i + 1);
    }
    api_free(&r);
}

/* The published offerings starred at once by one student on two instances,
 * STAR_ROUNDS times over: each star its own position. */
TEST(stars_at_once_take_their_own_positions)
{
    struct user fan;
    CHECK(register_student(&fan, "al-stars"));
    char *ids[RUSH_THREADS] = {0};
    char paths[RUSH_THREADS][160];
    int n = 0;
    for (; n < RUSH_THREADS; n++) {
        char offset[8];
        snprintf(offset, sizeof(offset), "%d", n);
        bool found = false;
        ids[n] = api_db_text(db, "SELECT id FROM offerings WHERE status = 'published' ORDER BY id"
                                 " LIMIT 1 OFFSET CAST($1 AS INTEGER)", offset, NULL, &found);
        if (!found || ids[n] == NULL)
            break;
        snprintf(paths[n], sizeof(paths[n]), "/api/v1/favourites/%s", ids[n]);
    }
    CHECK(n >= 4);
    for (int round = 0; round < STAR_ROUNDS; round++) {
        struct rush threads[RUSH_THREADS];
        memset(threads, 0, sizeof(threads));
        for (int i = 0; i < n; i++) {
            threads[i].u = &fan;
            threads[i].path = paths[i];
        }
        rush_run(threads, n);
        for (int i = 0; i < n; i++)
            CHECK_INT(threads[i].created, 1);
        CHECK_INT(count_where("SELECT COUNT(DISTINCT position) FROM favourites WHERE student_id = $1", fan.id, NULL),
                  n);
        for (int i = 0; i < n; i++) {
            struct api_response r;
            CHECK_INT(call_on(&a, &r, &fan, "DELETE", paths[i], NULL), 204);
            api_free(&r);
        }
    }
    for (int i = 0; i < n; i++)
        free(ids[i]);
}

/* Moves srv's clock by seconds (0: back to the wall clock). */
static void clock_of(struct api_server *srv, long long seconds)
{
    char body[80];
    snprintf(body, sizeof(body), "{\"offset_seconds\":%lld}", seconds);
    struct api_response r;
    struct api_raw_request rq = {"POST", "/api/v1/test/clock", NULL, body, strlen(body), false};
    CHECK_INT(api_send_to(srv, &r, &rq), 200);
    api_free(&r);
}

/* The names of u's saved searches as the API lists them, joined by ", ". */
static void listed_names(struct api_server *srv, const struct user *u, char *out, size_t size)
{
    struct api_response r;
    out[0] = '\0';
    CHECK_INT(call_on(srv, &r, u, "GET", "/api/v1/saved-searches", NULL), 200);
    json_t *items = json_object_get(r.json, "items");
    size_t used = 0;
    for (size_t i = 0; i < json_array_size(items) && used < size; i++) {
        const char *name = api_json_str(json_array_get(items, i), "name");
        used += (size_t)snprintf(out + used, size - used, "%s%s", i > 0 ? ", " : "", name != NULL ? name : "?");
    }
    api_free(&r);
}

/* Saved in turn on A, on B whose clock is two minutes behind (so its search
 * has the earlier created_at and id), and on A again: listed in the order
 * they were saved, by the API of both instances and on the page. */
TEST(saved_searches_list_in_the_order_they_were_saved)
{
    struct user orderly;
    CHECK(register_student(&orderly, "al-order"));
    struct api_response r;
    const char *body = "{\"name\":\"Saved first\",\"filters\":{\"q\":\"one\"}}";
    CHECK_INT(call_on(&a, &r, &orderly, "POST", "/api/v1/saved-searches", body), 201);
    api_free(&r);
    clock_of(&b, -120);
    body = "{\"name\":\"Saved second\",\"filters\":{\"q\":\"two\"}}";
    CHECK_INT(call_on(&b, &r, &orderly, "POST", "/api/v1/saved-searches", body), 201);
    api_free(&r);
    clock_of(&b, 0);
    body = "{\"name\":\"Saved third\",\"filters\":{\"q\":\"three\"}}";
    CHECK_INT(call_on(&a, &r, &orderly, "POST", "/api/v1/saved-searches", body), 201);
    api_free(&r);
    CHECK_INT(count_where("SELECT COUNT(*) FROM saved_searches s JOIN saved_searches t ON t.student_id = s.student_id"
                          " WHERE s.student_id = $1 AND s.name = 'Saved second' AND t.name = 'Saved first'"
                          " AND s.created_at < t.created_at AND s.id < t.id",
                          orderly.id, NULL),
              1); /* the second would come first by created_at and id */
    char names[200];
    listed_names(&a, &orderly, names, sizeof(names));
    CHECK_STR(names, "Saved first, Saved second, Saved third");
    listed_names(&b, &orderly, names, sizeof(names));
    CHECK_STR(names, "Saved first, Saved second, Saved third");
    const char *headers[] = {orderly.cookie, NULL};
    struct api_raw_request rq = {"GET", "/saved", headers, NULL, 0, true};
    CHECK_INT(api_send_to(&a, &r, &rq), 200);
    const char *first = r.body != NULL ? strstr(r.body, "Saved first") : NULL;
    const char *second = r.body != NULL ? strstr(r.body, "Saved second") : NULL;
    const char *third = r.body != NULL ? strstr(r.body, "Saved third") : NULL;
    CHECK(first != NULL && second != NULL && third != NULL);
    CHECK(first < second && second < third);
    api_free(&r);
}

TEST(favourites_star_list_and_unstar)
{
    char path[160], code[64];
    CHECK_INT(status_of(&starrer, "PUT", "/api/v1/favourites/off_nope", NULL, code, NULL), 404);
    snprintf(path, sizeof(path), "/api/v1/favourites/%s", offering);
    CHECK_INT(status_of(&starrer, "DELETE", path, NULL, NULL, NULL), 404); /* not starred */
    CHECK_INT(status_of(&staff, "PUT", path, NULL, NULL, NULL), 403);
    CHECK_INT(status_of(&starrer, "PUT", path, NULL, NULL, NULL), 204);
    CHECK_INT(status_of(&starrer, "PUT", path, NULL, NULL, NULL), 204); /* again is fine */
    CHECK_INT(status_of(&other, "PUT", path, NULL, NULL, NULL), 204);
    CHECK_INT(status_of(&other, "DELETE", path, NULL, NULL, NULL), 204);
    CHECK_INT(count_where("SELECT COUNT(*) FROM favourites WHERE offering_id = $1", offering, NULL), 1);
    struct api_response r;
    CHECK_INT(call_on(&a, &r, &starrer, "GET", "/api/v1/favourites", NULL), 200);
    CHECK_INT(json_array_size(json_object_get(r.json, "items")), 1);
    CHECK_STR(api_json_str(json_array_get(json_object_get(r.json, "items"), 0), "id"), offering);
    api_free(&r);
}

/* Starred in turn on A and on B whose clock is two minutes behind (so its
 * star has the earlier created_at): the last starred is listed first. */
TEST(favourites_list_the_last_starred_first)
{
    struct user fan;
    CHECK(register_student(&fan, "al-fan"));
    bool found = false;
    char *second = api_db_text(db, "SELECT id FROM offerings WHERE status = 'published' AND id <> $1 ORDER BY id",
                               offering, NULL, &found);
    CHECK(found && second != NULL);
    if (second == NULL)
        return;
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/favourites/%s", offering);
    struct api_response r;
    CHECK_INT(call_on(&a, &r, &fan, "PUT", path, NULL), 204);
    api_free(&r);
    clock_of(&b, -120);
    snprintf(path, sizeof(path), "/api/v1/favourites/%s", second);
    CHECK_INT(call_on(&b, &r, &fan, "PUT", path, NULL), 204);
    api_free(&r);
    clock_of(&b, 0);
    CHECK_INT(call_on(&a, &r, &fan, "GET", "/api/v1/favourites", NULL), 200);
    json_t *items = json_object_get(r.json, "items");
    CHECK_INT(json_array_size(items), 2);
    CHECK_STR(api_json_str(json_array_get(items, 0), "id"), second);
    CHECK_STR(api_json_str(json_array_get(items, 1), "id"), offering);
    api_free(&r);
    /* Unstarred, so that the alerts below count the starrer's star alone. */
    CHECK_INT(call_on(&a, &r, &fan, "DELETE", path, NULL), 204);
    api_free(&r);
    snprintf(path, sizeof(path), "/api/v1/favourites/%s", offering);
    CHECK_INT(call_on(&a, &r, &fan, "DELETE", path, NULL), 204);
    api_free(&r);
    free(second);
}

/* ---- the alerts, with the jobs of both instances at once ---- */

struct jobs_run {
    pthread_t thread;
    struct api_server *srv;
    int events, notices, emails;
    bool ok;
};

/* One run of j's instance's jobs, added to j's counts. */
static void run_jobs_once(struct jobs_run *j)
{
    struct api_response r;
    struct api_raw_request rq = {"POST", "/api/v1/test/jobs", NULL, "{}", 2, false};
    j->ok = api_send_to(j->srv, &r, &rq) == 200;
    j->events += (int)api_json_int(r.json, "alert_events", 0);
    j->notices += (int)api_json_int(r.json, "alert_notices", 0);
    j->emails += (int)api_json_int(r.json, "alert_emails", 0);
    api_free(&r);
}

static void *run_jobs(void *arg)
{
    struct jobs_run *j = arg;
    bool ok = true;
    for (int round = 0; round < 3; round++) {
        run_jobs_once(j);
        ok = ok && j->ok;
    }
    j->ok = ok;
    return NULL;
}

static long long alert_emails(void);

/* The clock of both instances moved by seconds, then both run the jobs three
 * times at once: the catalog events they read, and the alert emails queued
 * for the saver. Other students' saved searches may match the same offering
 * (the seeded host is random: "Three Rivers …" matches the search "three"
 * saved above), so what both report in all is checked against what was
 * queued and the saved searches stamped, not against the saver's count: each
 * email reported was queued, and no saved search was emailed twice. */
static void jobs_on_both(long long seconds, int *events, int *saver_emails)
{
    char body[80], since[24];
    snprintf(since, sizeof(since), "%lld", (long long)clock_now() + seconds); /* the instances' clocks start here */
    long long queued = count_where("SELECT COUNT(*) FROM outbox WHERE kind = 'saved_search_alert'", NULL, NULL);
    long long saver_queued = alert_emails();
    snprintf(body, sizeof(body), "{\"offset_seconds\":%lld}", seconds);
    struct api_server *both[] = {&a, &b};
    for (int i = 0; i < 2; i++) {
        struct api_response r;
        struct api_raw_request rq = {"POST", "/api/v1/test/clock", NULL, body, strlen(body), false};
        CHECK_INT(api_send_to(both[i], &r, &rq), 200);
        api_free(&r);
    }
    struct jobs_run runs[2] = {{.srv = &a}, {.srv = &b}};
    for (int i = 0; i < 2; i++)
        pthread_create(&runs[i].thread, NULL, run_jobs, &runs[i]);
    for (int i = 0; i < 2; i++) {
        pthread_join(runs[i].thread, NULL);
        CHECK(runs[i].ok);
    }
    *events = runs[0].events + runs[1].events;
    int reported = runs[0].emails + runs[1].emails;
    CHECK_INT(count_where("SELECT COUNT(*) FROM outbox WHERE kind = 'saved_search_alert'", NULL, NULL) - queued,
              reported);
    CHECK_INT(count_where("SELECT COUNT(*) FROM saved_searches WHERE last_email_at >= CAST($1 AS BIGINT)", since, NULL),
              reported);
    *saver_emails = (int)(alert_emails() - saver_queued);
}

static long long notices(const struct user *u, const char *kind)
{
    return count_where("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = $2", u->id, kind);
}

/* The alert emails to u, waiting or delivered (a delivered mail keeps only
 * its kind, subject and a hash of its address). */
static long long alert_emails_to(const struct user *u)
{
    char hash[65];
    crypto_hash_token(u->email, hash); /* the tests' addresses are lower case */
    return count_where("SELECT COUNT(*) FROM outbox WHERE (to_address = $1 OR to_hash = $2)"
                       " AND kind = 'saved_search_alert'",
                       u->email, hash);
}

static long long alert_emails(void)
{
    return alert_emails_to(&saver);
}

/* The newest alert email to the saver (heap string, or NULL), as delivered
 * into the maildir of either instance (m_<sortable id>.eml: the greatest name
 * is the newest); the outbox keeps no body once a mail is delivered. */
static char *newest_alert_mail(void)
{
    char header[220], newest_name[300] = "";
    char *newest = NULL;
    snprintf(header, sizeof(header), "To: %s\r\n", saver.email);
    const struct api_server *both[] = {&a, &b};
    for (int s = 0; s < 2; s++) {
        char dir[400];
        snprintf(dir, sizeof(dir), "%s/data/mail/new", both[s]->dir);
        struct dirent **names = NULL;
        int n = scandir(dir, &names, NULL, alphasort);
        for (int i = 0; i < n; i++) {
            char path[700];
            snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
            char *mail = names[i]->d_name[0] != '.' ? api_read_file(path, NULL) : NULL;
            if (mail != NULL && strstr(mail, header) != NULL && strstr(mail, "/unsubscribe/") != NULL &&
                strcmp(names[i]->d_name, newest_name) > 0) {
                snprintf(newest_name, sizeof(newest_name), "%s", names[i]->d_name);
                free(newest);
                newest = mail;
                mail = NULL;
            }
            free(mail);
            free(names[i]);
        }
        free(names);
    }
    return newest;
}

TEST(a_freed_seat_alerts_once_across_two_instances)
{
    CHECK_INT(status_of(&saver, "POST", "/api/v1/saved-searches",
                        "{\"name\":\"Quasarline watch\",\"filters\":{\"q\":\"quasarline\"}}", NULL, NULL),
              201);
    /* The holder lets the only seat of the block go, through instance B. */
    char *app = api_db_text(db, "SELECT id FROM applications WHERE block_id = $1 AND status = 'held'", block, NULL,
                            NULL);
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/applications/%s/withdraw", app != NULL ? app : "none");
    free(app);
    struct api_response r;
    CHECK_INT(call_on(&b, &r, &holder, "POST", path, "{\"note\":\"plans changed\"}"), 200);
    api_free(&r);
    CHECK_INT(count_where("SELECT COUNT(*) FROM catalog_events WHERE kind = 'seat_opened' AND block_id = $1", block,
                          NULL),
              1);
    int events = 0, emails = 0;
    jobs_on_both(60, &events, &emails);
    CHECK_INT(events, 1);
    CHECK_INT(emails, 1);
    CHECK_INT(notices(&saver, "saved_search"), 1);
    CHECK_INT(notices(&starrer, "favourite_seat"), 1);
    CHECK_INT(notices(&other, "favourite_seat"), 0); /* unstarred */
    CHECK_INT(alert_emails(), 1);
    char *body = newest_alert_mail();
    CHECK(body != NULL && strstr(body, "Quasarline Cardiology Externship") != NULL);
    CHECK(body != NULL && strstr(body, offering) != NULL);
    CHECK(body != NULL && strstr(body, "/unsubscribe/") != NULL);
    free(body);
    /* The notice links to the search. */
    CHECK_INT(call_on(&a, &r, &saver, "GET", "/api/v1/notifications", NULL), 200);
    CHECK_CONTAINS(r.body, "Quasarline watch");
    CHECK_CONTAINS(r.body, "/search?q=quasarline");
    api_free(&r);

    /* New dates the same day: a notice at once, the email waits for the next day. */
    char blocks_path[160];
    snprintf(blocks_path, sizeof(blocks_path), "/api/v1/offerings/%s/blocks", offering);
    char start[11], end[11], new_block[300];
    clock_date_from_days(clock_today_days() + 120, start);
    clock_date_from_days(clock_today_days() + 140, end);
    snprintf(new_block, sizeof(new_block), "{\"start\":\"%s\",\"end\":\"%s\",\"seats\":3}", start, end);
    CHECK_INT(call_on(&a, &r, &staff, "POST", blocks_path, new_block), 201);
    api_free(&r);
    jobs_on_both(120, &events, &emails);
    CHECK_INT(events, 1);
    CHECK_INT(emails, 0);
    CHECK_INT(notices(&saver, "saved_search"), 2);
    CHECK_INT(notices(&starrer, "favourite_dates"), 1);
    CHECK_INT(alert_emails(), 1);
    jobs_on_both(86400 + 180, &events, &emails);
    CHECK_INT(events, 0);
    CHECK_INT(emails, 1);
    CHECK_INT(alert_emails(), 2);
    jobs_on_both(86400 + 240, &events, &emails);
    CHECK_INT(emails, 0); /* nothing new */
    CHECK_INT(alert_emails(), 2);
}

/* The hidden csrf_token of a page's form. */
static bool form_token(const char *html, char *out, size_t size)
{
    const char *p = html != NULL ? strstr(html, "name=\"csrf_token\" value=\"") : NULL;
    if (p == NULL)
        return false;
    p += strlen("name=\"csrf_token\" value=\"");
    const char *q = strchr(p, '"');
    if (q == NULL || (size_t)(q - p) >= size)
        return false;
    snprintf(out, size, "%.*s", (int)(q - p), p);
    return true;
}

/* GET the unsubscribe page (anonymous), then POST its form: the two statuses. */
static void unsubscribe(const char *token, long *get_status, long *post_status, char **page)
{
    char path[200];
    snprintf(path, sizeof(path), "/unsubscribe/%s", token);
    struct api_response r;
    *get_status = call_on(&b, &r, NULL, "GET", path, NULL);
    char csrf[64] = "", cookie[120] = "", form[120];
    char value[64];
    /* A page without a form (404) sets no token: the form cookie and field are then made up, well formed. */
    if (!form_token(r.body, csrf, sizeof(csrf)))
        crypto_random_token(csrf);
    if (api_cookie_value(&r, "rounds_csrf", value, sizeof(value)))
        snprintf(cookie, sizeof(cookie), "Cookie: rounds_csrf=%s", value);
    else
        snprintf(cookie, sizeof(cookie), "Cookie: rounds_csrf=%s", csrf);
    api_free(&r);
    snprintf(form, sizeof(form), "csrf_token=%s", csrf);
    const char *headers[] = {cookie, "Content-Type: application/x-www-form-urlencoded", NULL};
    struct api_raw_request rq = {"POST", path, headers, form, strlen(form), true};
    *post_status = api_send_to(&a, &r, &rq);
    if (page != NULL)
        *page = strdup(r.body != NULL ? r.body : "");
    api_free(&r);
}

TEST(the_unsubscribe_link_works_without_logging_in)
{
    char *body = newest_alert_mail();
    const char *at = body != NULL ? strstr(body, "/unsubscribe/") : NULL;
    char token[64] = "";
    if (at != NULL)
        snprintf(token, sizeof(token), "%.43s", at + strlen("/unsubscribe/"));
    free(body);
    CHECK_INT(strlen(token), 43);
    long got = 0, posted = 0;
    char *page = NULL;
    /* A forged token (well formed, or not) is not found, and changes nothing. */
    unsubscribe("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &got, &posted, NULL);
    CHECK_INT(got, 404);
    CHECK_INT(posted, 404);
    unsubscribe("nope", &got, &posted, NULL);
    CHECK_INT(got, 404);
    CHECK_INT(posted, 404);
    CHECK_INT(count_where("SELECT COUNT(*) FROM saved_searches WHERE student_id = $1 AND email_alerts = 1", saver.id,
                          NULL),
              1);
    unsubscribe(token, &got, &posted, &page);
    CHECK_INT(got, 200);
    CHECK_INT(posted, 200);
    CHECK(page != NULL && strstr(page, "Quasarline watch") != NULL);
    CHECK(page != NULL && strstr(page, "no more emails") != NULL);
    free(page);
    CHECK_INT(count_where("SELECT COUNT(*) FROM saved_searches WHERE student_id = $1 AND email_alerts = 0", saver.id,
                          NULL),
              1);
}

/* ---- a claim made from a stale list of due searches ---- */

/* The saved search id of u (the only one). */
static void saved_search_of(const struct user *u, char *id, size_t size)
{
    char *found = api_db_text(db, "SELECT id FROM saved_searches WHERE student_id = $1", u->id, NULL, NULL);
    snprintf(id, size, "%s", found != NULL ? found : "");
    free(found);
}

/* A new block of offering_id, days_from days ahead, made as staff on srv: a
 * catalog event. Staff signs in there first (the clocks have moved past the
 * session's end). */
static void new_dates_on(struct api_server *srv, const char *offering_id, int days_from)
{
    struct api_server *was = api_current;
    api_current = srv;
    CHECK(login(&staff));
    api_current = was;
    char path[160], start[11], end[11], body[300];
    snprintf(path, sizeof(path), "/api/v1/offerings/%s/blocks", offering_id);
    clock_date_from_days(clock_today_days() + days_from, start);
    clock_date_from_days(clock_today_days() + days_from + 20, end);
    snprintf(body, sizeof(body), "{\"start\":\"%s\",\"end\":\"%s\",\"seats\":2}", start, end);
    struct api_response r;
    CHECK_INT(call_on(srv, &r, &staff, "POST", path, body), 201);
    api_free(&r);
}

/* One run of srv's jobs at its clock moved by seconds: the alert emails it reports. */
static int jobs_once_at(struct api_server *srv, long long seconds)
{
    clock_of(srv, seconds);
    struct jobs_run run = {.srv = srv};
    run_jobs_once(&run);
    CHECK(run.ok);
    return run.emails;
}

static void *jobs_once_thread(void *arg)
{
    run_jobs_once(arg);
    return NULL;
}

/* The tests that hold one instance with a row lock run on PostgreSQL only
 * (SQLite has one writer at a time: a row cannot be held alone). */
static bool on_postgres(void)
{
    if (strcmp(db_backend_name(db), "postgres") == 0)
        return true;
    printf("  (PostgreSQL only: a locked row holds one instance while the other goes on)\n");
    return false;
}

/* Locks the saved search's row in a transaction of a connection of its own (NULL on failure). */
static struct db_conn *hold_saved_search(const char *id)
{
    struct db_conn *conn = api_db_open(&a);
    bool ok = conn != NULL && db_exec(conn, "BEGIN") == DB_OK &&
              api_db_int(conn, "UPDATE saved_searches SET pending = pending WHERE id = $1 RETURNING 1", id, NULL) == 1;
    CHECK(ok);
    return conn;
}

static void release_saved_search(struct db_conn *conn)
{
    CHECK(conn != NULL && db_exec(conn, "COMMIT") == DB_OK);
    if (conn != NULL)
        db_close(conn);
}

/* Whether an update of saved_searches waits for a lock (PostgreSQL), within 10 s. */
static bool a_claim_waits(void)
{
    for (int i = 0; i < 500; i++) {
        if (count_where("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
                        " AND wait_event_type = 'Lock' AND query LIKE 'UPDATE saved_searches%'",
                        NULL, NULL) >= 1)
            return true;
        api_sleep_ms(20);
    }
    return false;
}

/* (The checks count each student's emails: the seeded host may make another
 * student's search match the offering too, and get its own emails.) */

/* At most one email a day per saved search, even from an instance whose list
 * of due searches is stale. Instance A reads the due searches (an earlier one
 * first, whose row this test keeps locked, so that A waits there: PostgreSQL
 * only). Meanwhile B sends the day's email of the late student's search, and
 * new dates on the same offering put the same offering in its pending list
 * again. A, let go, comes to the late student's search with the list it read:
 * the same pending text, but an email went out minutes ago, so it sends none. */
TEST(a_stale_list_of_due_searches_sends_no_second_email_the_same_day)
{
    if (!on_postgres())
        return;
    struct user early, late;
    const long long day = 86400, base = 3 * day; /* past the clocks of the tests above */
    /* early's search, saved before the clock moves on, is listed first (ids
     * follow the clock's milliseconds); it never matches the offering. */
    CHECK(register_student(&early, "al-early"));
    CHECK_INT(status_of(&early, "POST", "/api/v1/saved-searches",
                        "{\"name\":\"Elsewhere\",\"filters\":{\"q\":\"zzyzxdecoy\"}}", NULL, NULL),
              201);
    clock_of(&a, base);
    CHECK(register_student(&late, "al-late"));
    CHECK_INT(status_of(&late, "POST", "/api/v1/saved-searches",
                        "{\"name\":\"Quasarline too\",\"filters\":{\"q\":\"quasarline\"}}", NULL, NULL),
              201);
    char early_id[64], late_id[64], stamp[24];
    saved_search_of(&early, early_id, sizeof(early_id));
    saved_search_of(&late, late_id, sizeof(late_id));
    CHECK(strcmp(early_id, late_id) < 0);
    /* Day 1: new dates, late's first email (from A). */
    new_dates_on(&a, offering, 160);
    jobs_once_at(&a, base + 60);
    CHECK_INT(alert_emails_to(&late), 1);
    /* early's search: something pending, emailed later on day 1 (so due for A's clock below, not B's). */
    snprintf(stamp, sizeof(stamp), "%lld", (long long)clock_now() + base + 1000);
    CHECK_INT(count_where("UPDATE saved_searches SET pending = 'off_elsewhere', last_email_at = CAST($2 AS BIGINT)"
                          " WHERE id = $1 RETURNING 1",
                          early_id, stamp),
              1);
    /* More new dates on day 1: late's search has them pending, for tomorrow. */
    new_dates_on(&a, offering, 200);
    jobs_once_at(&b, base + 120);
    CHECK_INT(count_where("SELECT COUNT(*) FROM saved_searches WHERE id = $1 AND pending = $2", late_id, offering), 1);

    /* Day 2. early's row locked: A lists both searches as due and waits at early's. */
    struct db_conn *lock_conn = hold_saved_search(early_id);
    clock_of(&a, base + day + 2000);
    struct jobs_run stale = {.srv = &a};
    pthread_create(&stale.thread, NULL, jobs_once_thread, &stale);
    CHECK(a_claim_waits());
    /* B sends late's email of day 2; then new dates put the same offering in its pending list again. */
    jobs_once_at(&b, base + day + 500);
    CHECK_INT(alert_emails_to(&late), 2);
    clock_of(&b, base + day + 500);
    new_dates_on(&b, offering, 240);
    jobs_once_at(&b, base + day + 510);
    CHECK_INT(count_where("SELECT COUNT(*) FROM saved_searches WHERE id = $1 AND pending = $2", late_id, offering), 1);
    /* A goes on: early's email, and none for late, whose day's email has gone. */
    release_saved_search(lock_conn);
    pthread_join(stale.thread, NULL);
    CHECK(stale.ok);
    CHECK_INT(alert_emails_to(&early), 1);
    CHECK_INT(alert_emails_to(&late), 2);
    CHECK_INT(count_where("SELECT COUNT(*) FROM saved_searches WHERE id = $1 AND pending = $2", late_id, offering),
              1); /* still waiting for day 3 */
}

/* Another published offering retitled so that the searches for "quasarline" find it too: its id in out. */
static bool second_quasarline(char *out, size_t size)
{
    char *id = api_db_text(db, "SELECT id FROM offerings WHERE status = 'published' AND id <> $1 ORDER BY id",
                           offering, NULL, NULL);
    struct arena arena;
    arena_heap_init(&arena);
    struct store_offering o;
    bool ok = id != NULL && store_offering_get(db, &arena, id, &o) == DB_ROW;
    if (ok) {
        o.title = "Quasarline Nephrology Observership";
        o.students_allowed = true;
        o.updated_at = clock_now();
        ok = store_offering_update(db, &o) == DB_OK && store_catalog_changed(db, id, clock_now()) == DB_OK;
        snprintf(out, size, "%s", id);
    }
    arena_heap_free(&arena);
    free(id);
    return ok;
}

/* A new match joins a search's pending list as the list is when written, not
 * as the jobs read it with every saved search. A reads them all, then waits to
 * write the first that matches (saved on a clock two days behind, so listed
 * first; its row locked here: PostgreSQL only). Meanwhile B emails the late
 * student's search, which empties its list. A, let go, lists the new offering
 * alone for the late student, not again the one just emailed. */
TEST(a_new_match_joins_the_pending_list_as_it_is_now)
{
    if (!on_postgres())
        return;
    char second[64] = "";
    CHECK(second_quasarline(second, sizeof(second)));
    struct user first, late;
    const long long day = 86400, base = 6 * day; /* past the clocks of the tests above */
    clock_of(&a, -2 * day);
    CHECK(register_student(&first, "al-first"));
    CHECK_INT(status_of(&first, "POST", "/api/v1/saved-searches",
                        "{\"name\":\"Quasarline first\",\"filters\":{\"q\":\"quasarline\"}}", NULL, NULL),
              201);
    clock_of(&a, base);
    CHECK(register_student(&late, "al-late2"));
    CHECK_INT(status_of(&late, "POST", "/api/v1/saved-searches",
                        "{\"name\":\"Quasarline late\",\"filters\":{\"q\":\"quasarline\"}}", NULL, NULL),
              201);
    char first_id[64], late_id[64], stamp[24], both[140];
    saved_search_of(&first, first_id, sizeof(first_id));
    saved_search_of(&late, late_id, sizeof(late_id));
    CHECK_INT(count_where("SELECT COUNT(*) FROM saved_searches WHERE id < $1", first_id, NULL), 0);
    /* Day 1: late's first email; then new dates, pending for tomorrow. */
    new_dates_on(&a, offering, 260);
    jobs_once_at(&a, base + 60);
    CHECK_INT(alert_emails_to(&late), 1);
    new_dates_on(&a, offering, 300);
    jobs_once_at(&b, base + 120);
    CHECK_INT(count_where("SELECT COUNT(*) FROM saved_searches WHERE id = $1 AND pending = $2", late_id, offering), 1);
    /* first's search emailed later on day 1: not due for B on day 2 below. */
    snprintf(stamp, sizeof(stamp), "%lld", (long long)clock_now() + base + 5000);
    CHECK_INT(count_where("UPDATE saved_searches SET last_email_at = CAST($2 AS BIGINT) WHERE id = $1 RETURNING 1",
                          first_id, stamp),
              1);

    /* Day 2: new dates on the second offering; A reads every search and waits at first's. */
    struct db_conn *lock_conn = hold_saved_search(first_id);
    clock_of(&a, base + day + 2000);
    new_dates_on(&a, second, 260);
    clock_of(&a, base + day + 2010);
    struct jobs_run reader = {.srv = &a};
    pthread_create(&reader.thread, NULL, jobs_once_thread, &reader);
    CHECK(a_claim_waits());
    /* B, whose clock has not reached the new dates yet, sends late's email of day 2. */
    jobs_once_at(&b, base + day + 500);
    CHECK_INT(alert_emails_to(&late), 2);
    CHECK_INT(count_where("SELECT COUNT(*) FROM saved_searches WHERE id = $1 AND pending = ''", late_id, NULL), 1);
    release_saved_search(lock_conn);
    pthread_join(reader.thread, NULL);
    CHECK(reader.ok);
    CHECK_INT(reader.events, 1);
    /* late's list: the second offering alone (the first went in this morning's email). */
    char *pending = api_db_text(db, "SELECT pending FROM saved_searches WHERE id = $1", late_id, NULL, NULL);
    CHECK_STR(pending, second);
    free(pending);
    snprintf(both, sizeof(both), "%s,%s", offering, second);
    CHECK_INT(count_where("SELECT COUNT(*) FROM saved_searches WHERE id = $1 AND pending = $2", first_id, both), 1);
}

/* Makes the jobs retry their events transaction once (PostgreSQL only): the
 * first three writes that would give the search search_id its first pending
 * offering are skipped by a trigger, as if another instance had changed the
 * list each time, so the first try gives up (DB_RETRY) and rolls back; a
 * sequence, which a rollback does not undo, counts the writes. The search's
 * id goes in a table of its own: the SQL stays fixed text. */
static bool skip_first_pending_writes(const char *search_id)
{
    static const char *const sql[] = {
        "CREATE SEQUENCE alerts_retry_writes",
        "CREATE TABLE alerts_retry_target (id TEXT PRIMARY KEY)",
        "CREATE FUNCTION alerts_retry_skip() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        " IF EXISTS (SELECT 1 FROM alerts_retry_target WHERE id = OLD.id) THEN"
        "  IF nextval('alerts_retry_writes') <= 3 THEN RETURN NULL; END IF;"
        " END IF;"
        " RETURN NEW; END $$",
        "CREATE TRIGGER alerts_retry_skip BEFORE UPDATE OF pending ON saved_searches FOR EACH ROW"
        " WHEN (OLD.pending = '' AND NEW.pending <> '') EXECUTE FUNCTION alerts_retry_skip()",
        NULL};
    for (size_t i = 0; sql[i] != NULL; i++)
        if (db_exec(db, sql[i]) != DB_OK) {
            TEST_FAILF("could not set the trigger up: %s", sql[i]);
            return false;
        }
    return count_where("INSERT INTO alerts_retry_target (id) VALUES ($1) RETURNING 1", search_id, NULL) == 1;
}

static void stop_skipping_pending_writes(void)
{
    static const char *const sql[] = {"DROP TRIGGER IF EXISTS alerts_retry_skip ON saved_searches",
                                      "DROP FUNCTION IF EXISTS alerts_retry_skip()",
                                      "DROP TABLE IF EXISTS alerts_retry_target",
                                      "DROP SEQUENCE IF EXISTS alerts_retry_writes", NULL};
    for (size_t i = 0; sql[i] != NULL; i++)
        CHECK(db_exec(db, sql[i]) == DB_OK);
}

/* The alert notices in the database: favourites' and saved searches'. */
static long long alert_notices_stored(void)
{
    return count_where("SELECT COUNT(*) FROM notifications"
                       " WHERE kind IN ('saved_search', 'favourite_seat', 'favourite_dates')",
                       NULL, NULL);
}

/* An events transaction that is tried again (the pending list kept changing)
 * reports the notices of the try that committed, not those of both: the
 * jobs report's alert_notices is what was stored. */
TEST(a_retried_round_reports_its_notices_once)
{
    if (!on_postgres())
        return;
    struct user retried;
    const long long day = 86400, base = 9 * day; /* past the clocks of the tests above */
    clock_of(&a, base);
    CHECK(register_student(&retried, "al-retried"));
    CHECK_INT(status_of(&retried, "POST", "/api/v1/saved-searches",
                        "{\"name\":\"Quasarline retried\",\"filters\":{\"q\":\"quasarline\"}}", NULL, NULL),
              201);
    char search_id[64];
    saved_search_of(&retried, search_id, sizeof(search_id));
    new_dates_on(&a, offering, 380);
    long long stored = alert_notices_stored();
    if (skip_first_pending_writes(search_id)) {
        struct jobs_run run = {.srv = &a};
        clock_of(&a, base + 60);
        run_jobs_once(&run);
        CHECK(run.ok);
        /* Three writes skipped in the first try, the fourth (the second try's) stored. */
        CHECK_INT(count_where("SELECT last_value FROM alerts_retry_writes", NULL, NULL), 4);
        long long made = alert_notices_stored() - stored;
        CHECK(made >= 2); /* this search's, the starrer's favourite */
        CHECK_INT(run.notices, made);
        CHECK(run.events >= 1);
    }
    stop_skipping_pending_writes();
    CHECK_INT(notices(&retried, "saved_search"), 1);
    CHECK_INT(alert_emails_to(&retried), 1); /* the committed try's pending list, emailed */
}

int main(void)
{
    const char *flags[] = {"--test-hooks", "1", "--jobs-interval-ms", "0", NULL};
    if (api_server_start(&a, flags) != 0)
        return 1;
    const char *seed[] = {"seed", "--offerings", "5", NULL};
    struct api_cli_result res;
    bool ok = api_cli(a.db, seed, NULL, &res) == 0;
    api_cli_free(&res);
    /* B on A's database (a SQLite file here, or the shared PostgreSQL). */
    ok = ok && api_server_start_beside(&b, &a, flags);
    db = ok ? api_db_open(&a) : NULL;
    ok = db != NULL && add_user(&staff, "staff", "al-staff") && register_student(&saver, "al-saver") &&
         register_student(&starrer, "al-star") && register_student(&holder, "al-holder") &&
         register_student(&other, "al-other") && setup_catalog();
    if (!ok) {
        printf("set-up failed\n");
        api_server_print_log(&a, 30);
        if (db != NULL)
            db_close(db);
        api_server_abandon(&b);
        api_server_abandon(&a);
        return 1;
    }
    RUN(saved_searches_refuse_bad_filters_naming_them);
    RUN(the_pages_refuse_bad_input_keeping_what_was_typed);
    RUN(twenty_saved_searches_then_422);
    RUN(saved_searches_list_in_the_order_they_were_saved);
    RUN(favourites_star_list_and_unstar);
    RUN(favourites_list_the_last_starred_first);
    RUN(a_freed_seat_alerts_once_across_two_instances);
    RUN(the_unsubscribe_link_works_without_logging_in);
    RUN(a_stale_list_of_due_searches_sends_no_second_email_the_same_day);
    RUN(a_new_match_joins_the_pending_list_as_it_is_now);
    RUN(a_retried_round_reports_its_notices_once);
    RUN(saves_at_once_keep_the_limit_and_their_order);
    RUN(stars_at_once_take_their_own_positions);
    if (test_failed) {
        api_server_print_log(&a, 30);
        api_server_print_log(&b, 30);
    }
    db_close(db);
    CHECK_INT(api_server_stop(&b), 0);
    CHECK_INT(api_server_stop(&a), 0);
    api_server_cleanup(&b);
    api_server_cleanup(&a);
    return test_summary("api_alerts");
}
