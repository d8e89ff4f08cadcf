/* test_api_paged_pages.c — lists once cut at a cap, walked to their end, on
 * a server over `rounds seed --demo` (a new SQLite file, or a new PostgreSQL
 * database beside ROUNDS_TEST_DB), with rows written straight into the
 * database (hundreds of them, some sharing a creation time):
 *
 *   - 520 agreements of the demo host and school (the list was cut at 500):
 *     GET /api/v1/agreements walked by next_cursor a hundred at a time and 20
 *     at a time, by the host's and the school's coordinator and by staff,
 *     holds each once, newest first (then by id); the page /agreements shows
 *     200 at a time and "Older agreements" goes on to the last;
 *   - 230 match rounds of the demo school with the demo student in each
 *     cohort (pages showed the newest 200): /rounds (the student) and the
 *     school's dashboard (?rounds_cursor=) page through all of them by
 *     "Older rounds", with "Newest rounds" back on every later page; the
 *     student's /me/schools sends the older ones on to /rounds;
 *   - 230 waitlist places of the demo student (the saved page showed 200):
 *     /saved pages through them by "Older places" (?waitlist_cursor=), as
 *     many as GET /api/v1/waitlist walks;
 *   - a cursor that is not one in any of these addresses (and a bad limit of
 *     the API) is 400 naming the parameter, and nothing changes. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "api_client.h"
#include "lib/crypto.h"
#include "store/agreements.h"
#include "store/match_rounds.h"
#include "store/waitlist.h"
#include "test.h"

#define PEOPLE_PASSWORD "rounds-demo-2026"
#include "api_people.h"

enum { PAGES_MAX = 200, AGREEMENTS = 520, ROUNDS = 230, PLACES = 230, WEB_PAGE = 200 };

static struct api_server server;
static char work[64]; /* a test_tmp_dir folder: the SQLite database, the seed's output */
static char db[1000]; /* the seeded database */
static const char *pg_uri;
static struct user student = {.email = "student@rounds.test"}, host = {.email = "host@rounds.test"},
                   school = {.email = "school@rounds.test"}, staff = {.email = "staff@rounds.test"};
#define DEMO_SCHOOL "org_demo_school"
#define DEMO_HOST "org_demo_host"

static long get(struct api_response *r, const struct user *u, const char *path, bool page)
{
    const char *headers[] = {page ? u->cookie : u->auth, NULL};
    return api_request(r, "GET", path, headers, NULL);
}

/* The ids of the list at path, walked limit at a time (0: the default) by next_cursor; NULL after a failed check. */
static json_t *walk(const struct user *u, const char *path, int limit)
{
    json_t *ids = json_array();
    char *cursor = NULL;
    for (int page = 0; page < PAGES_MAX; page++) {
        char url[600];
        char sep = strchr(path, '?') != NULL ? '&' : '?';
        if (limit > 0)
            snprintf(url, sizeof(url), "%s%climit=%d%s%s", path, sep, limit, cursor ? "&cursor=" : "",
                     cursor ? cursor : "");
        else if (cursor != NULL)
            snprintf(url, sizeof(url), "%s%ccursor=%s", path, sep, cursor);
        else
            snprintf(url, sizeof(url), "%s", path);
        free(cursor);
        cursor = NULL;
        struct api_response r;
        long status = get(&r, u, url, false);
        json_t *items = r.json != NULL ? json_object_get(r.json, "items") : NULL;
        json_t *next = r.json != NULL ? json_object_get(r.json, "next_cursor") : NULL;
        size_t want = limit > 0 ? (size_t)limit : 20;
        if (status != 200 || !json_is_array(items) || json_array_size(items) > want ||
            (json_is_string(next) && json_array_size(items) != want)) {
            TEST_FAILF("GET %s as %s: %ld %.300s", url, u->email, status, r.body);
            api_free(&r);
            json_decref(ids);
            return NULL;
        }
        size_t i;
        json_t *item;
        json_array_foreach(items, i, item) json_array_append(ids, json_object_get(item, "id"));
        if (json_is_string(next))
            cursor = strdup(json_string_value(next));
        api_free(&r);
        if (cursor == NULL)
            return ids;
    }
    TEST_FAILF("%s: still a next_cursor after %d pages", path, PAGES_MAX);
    free(cursor);
    json_decref(ids);
    return NULL;
}

static size_t count_prefixed(json_t *ids, const char *prefix)
{
    size_t n = 0, i;
    json_t *id;
    json_array_foreach(ids, i, id) n += strncmp(json_string_value(id), prefix, strlen(prefix)) == 0;
    return n;
}

static bool no_duplicate(json_t *ids, const char *what)
{
    for (size_t i = 0; i < json_array_size(ids); i++)
        for (size_t j = i + 1; j < json_array_size(ids); j++)
            if (json_equal(json_array_get(ids, i), json_array_get(ids, j))) {
                TEST_FAILF("%s: %s twice", what, json_string_value(json_array_get(ids, i)));
                return false;
            }
    return true;
}

static size_t occurrences(const char *text, const char *marker)
{
    size_t n = 0;
    for (const char *s = text; (s = strstr(s, marker)) != NULL; s += strlen(marker))
        n++;
    return n;
}

/* Follows the "Older …" link (rel="next", href starting with link_prefix)
 * from path to the last page, as u: how often marker shows over all pages,
 * with the number of pages; each later page has its "Newest …" link; -1
 * after a failed check. */
static long walk_pages(const struct user *u, const char *path, const char *link_prefix, const char *marker,
                       int *pages)
{
    char url[600], anchor[200];
    snprintf(url, sizeof(url), "%s", path);
    snprintf(anchor, sizeof(anchor), "<a rel=\"next\" href=\"%s", link_prefix);
    long total = 0;
    for (int p = 0; p < PAGES_MAX; p++) {
        struct api_response r;
        long status = get(&r, u, url, true);
        if (status != 200 || (p > 0 && strstr(r.body, "\">Newest ") == NULL)) {
            TEST_FAILF("GET %s as %s: %ld (a later page needs its Newest link) %.300s", url, u->email, status,
                       r.body);
            api_free(&r);
            return -1;
        }
        total += (long)occurrences(r.body, marker);
        const char *next = strstr(r.body, anchor);
        if (next == NULL) {
            api_free(&r);
            *pages = p + 1;
            return total;
        }
        next += strlen("<a rel=\"next\" href=\"");
        size_t n = 0;
        for (const char *c = next; *c != '\0' && *c != '"' && *c != '#' && n + 1 < sizeof(url);) {
            if (strncmp(c, "&amp;", 5) == 0) {
                url[n++] = '&';
                c += 5;
            } else {
                url[n++] = *c++;
            }
        }
        url[n] = '\0';
        api_free(&r);
    }
    TEST_FAILF("%s: still an Older link after %d pages", path, PAGES_MAX);
    return -1;
}

/* A bad cursor in the address: 400, the page (or problem) names the parameter. */
static void bad_cursor(const struct user *u, const char *path, bool page, const char *name)
{
    struct api_response r;
    long status = get(&r, u, path, page);
    CHECK_INT(status, 400);
    if (page)
        CHECK(strstr(r.body, "<html") != NULL && strstr(r.body, name) != NULL);
    else
        CHECK_STR(api_json_str(r.json, "field"), name);
    api_free(&r);
}

static struct db_conn *conn;

TEST(agreements_walk_past_the_old_cap_of_500_in_the_api_and_on_the_page)
{
    for (int i = 0; i < AGREEMENTS; i++) {
        char id[32];
        snprintf(id, sizeof(id), "agr_many_%04d", i);
        struct store_agreement a = {.id = id, .host_id = DEMO_HOST, .school_id = DEMO_SCHOOL,
                                    .start_date = "2027-01-01", .end_date = "2027-12-31", .status = "proposed",
                                    .proposed_side = "host", .proposed_by = host.id,
                                    .created_at = 1700000000 + i / 3}; /* three to a second: ties by id */
        if (store_agreement_insert(conn, &a) != DB_OK) {
            TEST_FAILF("inserting agreement %d", i);
            return;
        }
    }
    const struct user *readers[] = {&host, &school, &staff};
    for (size_t k = 0; k < 3; k++) {
        json_t *hundreds = walk(readers[k], "/api/v1/agreements", 100);
        json_t *twenties = hundreds != NULL ? walk(readers[k], "/api/v1/agreements", 0) : NULL;
        CHECK(hundreds != NULL && twenties != NULL);
        if (hundreds != NULL && twenties != NULL) {
            CHECK_INT((long)count_prefixed(hundreds, "agr_many_"), AGREEMENTS);
            CHECK(json_equal(hundreds, twenties));
            no_duplicate(hundreds, "the agreements");
            /* newest first, then by id: agr_many_0519 (the newest second's only one) … agr_many_0000 */
            long prev = -1, checked = 0;
            size_t i;
            json_t *id;
            json_array_foreach(hundreds, i, id)
            {
                const char *s = json_string_value(id);
                if (strncmp(s, "agr_many_", 9) != 0)
                    continue;
                long n = strtol(s + 9, NULL, 10);
                if (prev >= 0 && !(n / 3 < prev / 3 || (n / 3 == prev / 3 && n > prev)))
                    TEST_FAILF("agreement %ld after %ld", n, prev);
                prev = n;
                checked++;
            }
            CHECK_INT(checked, AGREEMENTS);
            printf("  %s walked %zu agreements\n", readers[k]->email, json_array_size(hundreds));
        }
        json_decref(hundreds);
        json_decref(twenties);
    }
    int pages = 0;
    long shown = walk_pages(&host, "/agreements", "/agreements?cursor=", "<a href=\"/agreements/agr_many_", &pages);
    CHECK_INT(shown, AGREEMENTS);
    CHECK(pages >= (AGREEMENTS + WEB_PAGE - 1) / WEB_PAGE);
    printf("  /agreements: %ld over %d pages\n", shown, pages);
}

TEST(bad_cursors_of_agreements_get_400_and_change_nothing)
{
    json_t *before = walk(&host, "/api/v1/agreements", 100);
    bad_cursor(&host, "/api/v1/agreements?cursor=agreements.1.x", false, "cursor");
    bad_cursor(&host, "/api/v1/agreements?cursor=rounds.0.1700000000.agr_many_0001", false, "cursor");
    bad_cursor(&host, "/api/v1/agreements?limit=0", false, "limit");
    bad_cursor(&host, "/api/v1/agreements?limit=101", false, "limit");
    bad_cursor(&host, "/agreements?cursor=nonsense", true, "cursor");
    bad_cursor(&host, "/agreements?cursor=12x.agr_many_0001", true, "cursor");
    bad_cursor(&host, "/agreements?cursor=1700000000.not%20an%20id", true, "cursor");
    json_t *after = walk(&host, "/api/v1/agreements", 100);
    CHECK(before != NULL && after != NULL && json_equal(before, after));
    json_decref(before);
    json_decref(after);
}

TEST(match_rounds_page_to_the_end_on_the_students_and_the_schools_pages)
{
    for (int i = 0; i < ROUNDS; i++) {
        char id[32], name[48];
        snprintf(id, sizeof(id), "rnd_many_%04d", i);
        snprintf(name, sizeof(name), "Many round %d", i);
        struct store_match_round r = {.id = id, .school_id = DEMO_SCHOOL, .name = name, .mode = "one",
                                      .max_placements = 1, .seed = "seed", .deadline = 1900000000,
                                      .status = "draft", .created_by = school.id,
                                      .created_at = 1600000000 + i / 2};
        if (store_match_round_insert(conn, &r) != DB_OK ||
            store_match_round_student_add(conn, id, student.id) != DB_OK) {
            TEST_FAILF("inserting round %d", i);
            return;
        }
    }
    int pages = 0;
    long shown = walk_pages(&student, "/rounds", "/rounds?cursor=", "<a href=\"/rounds/rnd_many_", &pages);
    CHECK_INT(shown, ROUNDS);
    CHECK(pages >= 2);
    printf("  /rounds: %ld over %d pages\n", shown, pages);
    shown = walk_pages(&school, "/school?school=" DEMO_SCHOOL, "/school?school=" DEMO_SCHOOL "&amp;rounds_cursor=",
                       "<a href=\"/school/rounds/rnd_many_", &pages);
    CHECK_INT(shown, ROUNDS);
    CHECK(pages >= 2);
    printf("  /school: %ld over %d pages\n", shown, pages);
    /* /me/schools shows the newest and sends the older ones on to /rounds */
    struct api_response r;
    CHECK_INT(get(&r, &student, "/me/schools", true), 200);
    CHECK(strstr(r.body, "<a rel=\"next\" href=\"/rounds?cursor=") != NULL);
    CHECK(strstr(r.body, ">Older rounds</a>") != NULL);
    CHECK(strstr(r.body, "aria-label=\"Pages of the match rounds\"") != NULL);
    api_free(&r);
    json_t *ids = walk(&student, "/api/v1/match-rounds", 100);
    CHECK(ids != NULL && count_prefixed(ids, "rnd_many_") == ROUNDS);
    json_decref(ids);
    bad_cursor(&student, "/rounds?cursor=abc", true, "cursor");
    bad_cursor(&student, "/rounds?cursor=1600000000.", true, "cursor");
    bad_cursor(&school, "/school?school=" DEMO_SCHOOL "&rounds_cursor=.rnd_many_0001", true, "rounds_cursor");
    bad_cursor(&host, "/host/rounds?cursor=99999999999999999999.rnd_x", true, "cursor");
}

TEST(waitlist_places_page_to_the_end_on_the_saved_page)
{
    /* one block joined and left again and again: a place each time */
    struct api_response r;
    char block_id[64] = "", path[160] = "";
    if (get(&r, &staff, "/api/v1/offerings?limit=1", false) == 200) {
        const char *offering = api_json_str(json_array_get(json_object_get(r.json, "items"), 0), "id");
        snprintf(path, sizeof(path), "/api/v1/offerings/%s", offering != NULL ? offering : "none");
    }
    api_free(&r);
    if (path[0] != '\0' && get(&r, &staff, path, false) == 200) {
        const char *block = api_json_str(json_array_get(json_object_get(r.json, "blocks"), 0), "id");
        snprintf(block_id, sizeof(block_id), "%s", block != NULL ? block : "");
    }
    api_free(&r);
    if (block_id[0] == '\0') {
        TEST_FAILF("no demo block");
        return;
    }
    for (int i = 0; i < PLACES; i++) {
        char id[32];
        snprintf(id, sizeof(id), "wl_many_%04d", i);
        if (store_waitlist_join(conn, id, block_id, student.id, 1650000000 + i / 2) != DB_OK ||
            store_waitlist_leave(conn, block_id, student.id, 1650000000 + i / 2) != DB_OK) {
            TEST_FAILF("waitlist place %d", i);
            return;
        }
    }
    json_t *ids = walk(&student, "/api/v1/waitlist", 100);
    CHECK(ids != NULL && count_prefixed(ids, "wl_many_") == PLACES);
    int pages = 0;
    long shown = walk_pages(&student, "/saved", "/saved?waitlist_cursor=", "#dates\">", &pages);
    CHECK(ids != NULL && shown == (long)json_array_size(ids));
    CHECK(pages >= 2);
    printf("  /saved: %ld places over %d pages (the API: %zu)\n", shown, pages, ids != NULL ? json_array_size(ids) : 0);
    json_decref(ids);
    bad_cursor(&student, "/saved?waitlist_cursor=zzz", true, "waitlist_cursor");
    CHECK_INT(get(&r, &student, "/saved", true), 200);
    CHECK(strstr(r.body, "aria-label=\"Pages of your waitlist places\"") != NULL);
    CHECK(strstr(r.body, ">Older places</a>") != NULL && strstr(r.body, ">Newest places</a>") == NULL);
    api_free(&r);
}

static bool setup(void)
{
    if (test_tmp_dir(work, sizeof(work), "paged") == NULL)
        return false;
    pg_uri = api_shared_db();
    char data_dir[96], out[128];
    snprintf(data_dir, sizeof(data_dir), "%s/data", work);
    snprintf(out, sizeof(out), "%s/seed.txt", work);
    if (!api_fresh_db(db, sizeof(db), pg_uri, work, "paged") || api_seed_demo(db, data_dir, out) != 0)
        return false;
    if (api_server_start_with(&server, db, NULL, NULL) != 0)
        return false;
    if (!login(&student) || !login(&host) || !login(&school) || !login(&staff))
        return false;
    return db_open(db, &conn) == DB_OK;
}

int main(void)
{
    if (crypto_init() != 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
        return 1;
    test_current_name = "setup";
    bool ready = setup();
    if (ready) {
        RUN(agreements_walk_past_the_old_cap_of_500_in_the_api_and_on_the_page);
        RUN(bad_cursors_of_agreements_get_400_and_change_nothing);
        RUN(match_rounds_page_to_the_end_on_the_students_and_the_schools_pages);
        RUN(waitlist_places_page_to_the_end_on_the_saved_page);
    }
    if (conn != NULL)
        db_close(conn);
    int stopped = api_fresh_suite_end(&server, db, pg_uri, work, ready, "seeding the demo and starting a server on it");
    curl_global_cleanup();
    return test_summary("api-paged-pages") | !ready | (stopped != 0);
}
