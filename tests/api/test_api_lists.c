/* test_api_lists.c — every list of the API pages alike (?limit= 1–100,
 * default 20, ?cursor=, {"items":[…],"next_cursor":…}), on a server over
 * `rounds seed --demo` (a new SQLite file, or a new PostgreSQL database
 * beside ROUNDS_TEST_DB):
 *
 *   - every list route of the route table (a JSON GET whose reply is
 *     "X[]"), read by each demo role that may read it: walked a page of one
 *     at a time by next_cursor, it holds the very items, in the same order,
 *     of the list walked a hundred at a time, none twice; the default page
 *     holds at most 20 and is the start of the list;
 *   - limit=0, 101, abc, -1, 1.5, a limit given twice, a malformed cursor and
 *     a cursor of another list answer 400 invalid_parameter naming the
 *     parameter, and the list is unchanged;
 *   - lists of more than 20: the 40 specialties (the reference list) by
 *     pages of 20; a student's 25 favourites, with one starred and one unstarred
 *     between two pages (nothing shown twice, nothing still starred missed);
 *     a school's 45 invitations in the order of its CSV;
 *   - the item a cursor names removed between two pages (a favourite
 *     unstarred, a saved search deleted, a document deleted, a deletion
 *     request cancelled): the walk goes on with exactly the items left;
 *   - a list longer than its old cap (a school's 560 invitations, once 500)
 *     walked to its end; the notifications paged like the others;
 *   - on PostgreSQL the names are collated by a language (ICU English or
 *     root, where 'b' < 'C', as in a database made with en_US.UTF-8; the
 *     test cluster is --no-locale), set before the server starts: schools
 *     named in mixed case, the one a cursor names removed between two pages,
 *     and the walk by name goes on with exactly the schools left. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "api_client.h"
#include "test.h"

#define PEOPLE_PASSWORD "rounds-demo-2026"
#include "api_people.h"
#include "api_steps.h"
#include "routes.h"

enum { PAGES_MAX = 400, ROLES = 7 };

static struct api_server server;
static char work[64]; /* a test_tmp_dir folder: the SQLite database, the seed's output */
static char db[1000]; /* the seeded database */
static const char *pg_uri;
static struct user roles[ROLES] = {{.email = "student@rounds.test"}, {.email = "rotation@rounds.test"},
                                   {.email = "host@rounds.test"},    {.email = "preceptor@rounds.test"},
                                   {.email = "school@rounds.test"},  {.email = "staff@rounds.test"},
                                   {.email = "coach@rounds.test"}};
#define STAFF (&roles[5])
#define SCHOOL_COORD (&roles[4])
#define DEMO_SCHOOL "org_demo_school"

/* Where each list route with an id in its path (or a parameter it needs) is
 * read in the demo world; filled by setup. */
static struct fixture {
    const char *pattern;
    char path[256];
} fixtures[] = {
    {"/api/v1/blocks/{id}/waitlist", ""},
    {"/api/v1/applications/{id}/check-ins", ""},
    {"/api/v1/schools/{id}/invitations", "/api/v1/schools/" DEMO_SCHOOL "/invitations"},
    {"/api/v1/schools/{id}/students", "/api/v1/schools/" DEMO_SCHOOL "/students"},
    {"/api/v1/schools/{id}/applications", "/api/v1/schools/" DEMO_SCHOOL "/applications?status=booked"},
    {"/api/v1/requirements", ""},
    {"/api/v1/schools/{id}/invitations/held", "/api/v1/schools/" DEMO_SCHOOL "/invitations/held"},
};

static bool is_list(const struct route *rt)
{
    size_t len = rt->response != NULL ? strlen(rt->response) : 0;
    return (rt->methods & HTTP_GET) && (rt->flags & ROUTE_JSON) && !(rt->flags & ROUTE_TEST_HOOK) && len > 2 &&
           (strcmp(rt->response + len - 2, "[]") == 0 || strcmp(rt->response, "Notifications") == 0);
}

/* The path a list route is read at, or NULL when it has no fixture. */
static const char *list_path(const struct route *rt)
{
    for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++)
        if (strcmp(fixtures[i].pattern, rt->pattern) == 0)
            return fixtures[i].path[0] != '\0' ? fixtures[i].path : NULL;
    return strchr(rt->pattern, '{') == NULL ? rt->pattern : NULL;
}

static long get(struct api_response *r, const struct user *u, const char *path)
{
    const char *headers[] = {u != NULL ? u->auth : NULL, NULL};
    return api_request(r, "GET", path, headers, NULL);
}

/* path with one more query parameter. */
static void with_param(char *out, size_t size, const char *path, const char *param)
{
    snprintf(out, size, "%s%c%s", path, strchr(path, '?') != NULL ? '&' : '?', param);
}

/* What tells an item from the others: its id (slug, number), else the item itself. */
static char *identity(json_t *item)
{
    static const char *const keys[] = {"id", "slug", "number"};
    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
        const char *v = api_json_str(item, keys[k]);
        if (v != NULL)
            return strdup(v);
    }
    return json_dumps(item, JSON_COMPACT | JSON_SORT_KEYS);
}

/* A page's shape: 200, items an array of at most limit, next_cursor null or
 * a string (then the page is full). Appends the items' identities to ids and
 * returns the cursor (a heap string, or NULL on the last page or a failure). */
static char *read_page(const struct user *u, const char *path, int limit, json_t *ids, bool *ok)
{
    struct api_response r;
    long status = get(&r, u, path);
    json_t *items = r.json != NULL ? json_object_get(r.json, "items") : NULL;
    json_t *next = r.json != NULL ? json_object_get(r.json, "next_cursor") : NULL;
    char *cursor = NULL;
    *ok = status == 200 && json_is_array(items) && (json_is_null(next) || json_is_string(next)) &&
          json_array_size(items) <= (size_t)limit &&
          (json_is_null(next) || json_array_size(items) == (size_t)limit);
    if (!*ok) {
        TEST_FAILF("GET %s as %s: %ld %.300s", path, u != NULL ? u->email : "anonymous", status, r.body);
    } else {
        size_t i;
        json_t *item;
        json_array_foreach(items, i, item)
        {
            char *id = identity(item);
            json_array_append_new(ids, json_string(id != NULL ? id : ""));
            free(id);
        }
        if (json_is_string(next))
            cursor = strdup(json_string_value(next));
    }
    api_free(&r);
    return cursor;
}

/* Every item of the list at path, limit at a time (0: the default), by
 * next_cursor; NULL after a failed check. */
static json_t *walk(const struct user *u, const char *path, int limit)
{
    json_t *ids = json_array();
    char *cursor = NULL;
    for (int page = 0; page < PAGES_MAX; page++) {
        char url[1200], params[160];
        if (limit > 0)
            snprintf(params, sizeof(params), "limit=%d%s%s", limit, cursor ? "&cursor=" : "", cursor ? cursor : "");
        else
            snprintf(params, sizeof(params), "%s%s", cursor ? "cursor=" : "", cursor ? cursor : "");
        if (params[0] != '\0')
            with_param(url, sizeof(url), path, params);
        else
            snprintf(url, sizeof(url), "%s", path);
        bool ok;
        char *next = read_page(u, url, limit > 0 ? limit : 20, ids, &ok);
        free(cursor);
        cursor = next;
        if (!ok) {
            json_decref(ids);
            return NULL;
        }
        if (cursor == NULL)
            return ids;
    }
    TEST_FAILF("%s: still a next_cursor after %d pages", path, PAGES_MAX);
    free(cursor);
    json_decref(ids);
    return NULL;
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

/* The first role (from `from`) that reads the list at path (200), or -1. */
static int reader(const char *path, int from)
{
    for (int k = from; k < ROLES; k++) {
        char url[400];
        with_param(url, sizeof(url), path, "limit=1");
        struct api_response r;
        long status = get(&r, &roles[k], url);
        api_free(&r);
        if (status == 200)
            return k;
    }
    return -1;
}

TEST(every_list_walks_by_cursor_one_at_a_time_as_a_hundred_at_a_time)
{
    size_t lists = 0, walks = 0, items = 0, longer = 0;
    for (size_t i = 0; i < rounds_route_count; i++) {
        const struct route *rt = &rounds_routes[i];
        if (!is_list(rt))
            continue;
        const char *path = list_path(rt);
        if (path == NULL) {
            TEST_FAILF("%s is a list with no fixture in this suite", rt->pattern);
            continue;
        }
        lists++;
        bool read = false;
        for (int k = reader(path, 0); k >= 0; k = reader(path, k + 1)) {
            read = true;
            char what[400];
            snprintf(what, sizeof(what), "GET %s as %s", path, roles[k].email);
            json_t *hundreds = walk(&roles[k], path, 100);
            json_t *ones = hundreds != NULL ? walk(&roles[k], path, 1) : NULL;
            json_t *defaults = ones != NULL ? walk(&roles[k], path, 0) : NULL;
            if (defaults != NULL) {
                if (!json_equal(hundreds, ones)) {
                    char *a = json_dumps(ones, JSON_COMPACT), *b = json_dumps(hundreds, JSON_COMPACT);
                    TEST_FAILF("%s: by one %.600s, by a hundred %.600s", what, a, b);
                    free(a);
                    free(b);
                }
                if (!json_equal(hundreds, defaults))
                    TEST_FAILF("%s: by the default page, not the same items", what);
                no_duplicate(hundreds, what);
                walks++;
                items += json_array_size(hundreds);
                longer += json_array_size(hundreds) > 1;
            }
            json_decref(hundreds);
            json_decref(ones);
            json_decref(defaults);
        }
        if (!read)
            TEST_FAILF("no demo role reads %s (200)", path);
    }
    printf("  %zu lists, %zu walks (%zu of more than one item), %zu items\n", lists, walks, longer, items);
    CHECK(lists >= 26);
    CHECK(longer >= 10); /* the walks can fail: most lists hold several items */
}

/* The default page: at most 20, the start of the list, next_cursor when there is more. */
TEST(the_default_page_holds_at_most_20)
{
    for (size_t i = 0; i < rounds_route_count; i++) {
        const struct route *rt = &rounds_routes[i];
        const char *path = is_list(rt) ? list_path(rt) : NULL;
        int k = path != NULL ? reader(path, 0) : -1;
        if (k < 0)
            continue;
        json_t *all = walk(&roles[k], path, 100), *first = json_array();
        bool ok;
        char *cursor = read_page(&roles[k], path, 20, first, &ok);
        if (all != NULL && ok) {
            size_t n = json_array_size(all), shown = json_array_size(first);
            if (shown != (n < 20 ? n : 20) || (cursor != NULL) != (n > 20))
                TEST_FAILF("GET %s as %s: %zu items, the default page %zu (next_cursor %s)", path, roles[k].email,
                           n, shown, cursor ? cursor : "null");
            for (size_t j = 0; j < shown; j++)
                if (!json_equal(json_array_get(first, j), json_array_get(all, j)))
                    TEST_FAILF("GET %s: the default page is not the start of the list", path);
        }
        free(cursor);
        json_decref(all);
        json_decref(first);
    }
}

static bool same(const char *a, const char *b)
{
    return a != NULL && strcmp(a, b) == 0;
}

/* A cursor of the specialties (a list of the pager), for the other lists. */
static char other_cursor[256];

TEST(bad_limits_and_cursors_get_400_and_change_nothing)
{
    static const struct {
        const char *param, *field;
    } bad[] = {
        {"limit=0", "limit"},
        {"limit=101", "limit"},
        {"limit=abc", "limit"},
        {"limit=-1", "limit"},
        {"limit=1.5", "limit"},
        {"limit=1&limit=2", "limit"},
        {"cursor=%21%21", "cursor"},
        {"cursor=a%20b", "cursor"},
        {"cursor=a&cursor=b", "cursor"},
        {"cursor=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "cursor"}, /* 65 */
        {"cursor=zz_nothing_by_this_id.0", "cursor"},
        {"cursor=favourites.0.1.2", "cursor"},
        {"cursor=schools.-1.x41.id", "cursor"},
        {"cursor=schools.0.xzz.id", "cursor"},
        {"cursor=notifications.0.abc.id", "cursor"},
    };
    struct api_response r;
    CHECK_INT(get(&r, NULL, "/api/v1/specialties?limit=1"), 200);
    snprintf(other_cursor, sizeof(other_cursor), "cursor=%s", api_json_str(r.json, "next_cursor"));
    api_free(&r);
    size_t calls = 0, nb = sizeof(bad) / sizeof(bad[0]);
    for (size_t i = 0; i < rounds_route_count; i++) {
        const struct route *rt = &rounds_routes[i];
        const char *path = is_list(rt) ? list_path(rt) : NULL;
        int k = path != NULL ? reader(path, 0) : -1;
        if (k < 0)
            continue;
        json_t *before = walk(&roles[k], path, 100);
        for (size_t b = 0; b <= nb; b++) {
            bool other_list = b == nb; /* a well-formed cursor, of the specialties */
            if (other_list && strcmp(rt->pattern, "/api/v1/specialties") == 0)
                continue;
            char url[600];
            with_param(url, sizeof(url), path, other_list ? other_cursor : bad[b].param);
            get(&r, &roles[k], url);
            if (r.status != 400 || !same(api_json_str(r.json, "code"), "invalid_parameter") ||
                !same(api_json_str(r.json, "field"), other_list ? "cursor" : bad[b].field))
                TEST_FAILF("GET %s as %s: %ld %.200s", url, roles[k].email, r.status, r.body);
            api_free(&r);
            calls++;
        }
        json_t *after = walk(&roles[k], path, 100);
        if (before == NULL || after == NULL || !json_equal(before, after))
            TEST_FAILF("GET %s: the list changed", path);
        json_decref(before);
        json_decref(after);
    }
    printf("  %zu calls with bad paging parameters\n", calls);
    CHECK(calls > 300);
}

/* The reference list: 40 specialties, public, 20 to a page. */
TEST(specialties_come_20_to_a_page)
{
    json_t *all = walk(NULL, "/api/v1/specialties", 100);
    json_t *twenties = walk(NULL, "/api/v1/specialties", 0);
    CHECK(all != NULL && json_array_size(all) > 20);
    CHECK(twenties != NULL && json_equal(all, twenties));
    if (all != NULL)
        no_duplicate(all, "the specialties");
    struct api_response r;
    CHECK_INT(get(&r, NULL, "/api/v1/specialties"), 200);
    CHECK_INT((long)json_array_size(json_object_get(r.json, "items")), 20);
    CHECK(api_json_str(r.json, "next_cursor") != NULL);
    api_free(&r);
    CHECK_INT(get(&r, NULL, "/api/v1/specialties?cursor=no-such-specialty"), 400);
    CHECK_STR(api_json_str(r.json, "field"), "cursor");
    api_free(&r);
    json_decref(all);
    json_decref(twenties);
}

/* ids of the items of a default page (20) at path; its next_cursor into cursor ("" when null). */
static json_t *page_ids(const struct user *u, const char *path, char *cursor, size_t size)
{
    json_t *ids = json_array();
    bool ok;
    char *next = read_page(u, path, 20, ids, &ok);
    snprintf(cursor, size, "%s", next != NULL ? next : "");
    free(next);
    return ids;
}

static bool star(const struct user *u, const char *method, const char *offering)
{
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/favourites/%s", offering);
    const char *headers[] = {u->auth, NULL};
    struct api_response r;
    long status = api_request(&r, method, path, headers, NULL);
    api_free(&r);
    if (status != 204)
        TEST_FAILF("%s %s answered %ld", method, path, status);
    return status == 204;
}

static bool in(json_t *ids, const char *id)
{
    for (size_t i = 0; i < json_array_size(ids); i++)
        if (strcmp(json_string_value(json_array_get(ids, i)), id) == 0)
            return true;
    return false;
}

/* 25 favourites: 20 then 5; starring one and unstarring one of the second
 * page between the two pages shows the second page's others, once each. */
TEST(favourites_page_through_changes_between_pages)
{
    struct user s;
    if (!register_student(&s, "lists.fav"))
        return;
    struct api_response r;
    CHECK_INT(get(&r, &s, "/api/v1/offerings?limit=30"), 200);
    json_t *hits = json_object_get(r.json, "items");
    CHECK(json_array_size(hits) >= 27);
    if (json_array_size(hits) < 27) {
        api_free(&r);
        return;
    }
    char offering[27][64];
    for (size_t i = 0; i < 27; i++)
        snprintf(offering[i], sizeof(offering[i]), "%s", api_json_str(json_array_get(hits, i), "id"));
    api_free(&r);
    for (size_t i = 0; i < 25; i++)
        if (!star(&s, "PUT", offering[i]))
            return;
    json_t *all = walk(&s, "/api/v1/favourites", 100);
    CHECK(all != NULL && json_array_size(all) == 25);
    char cursor[128];
    json_t *first = page_ids(&s, "/api/v1/favourites", cursor, sizeof(cursor));
    CHECK_INT((long)json_array_size(first), 20);
    CHECK(cursor[0] != '\0');
    /* between the pages: the third item of page two unstarred, a new one starred (it comes first) */
    const char *gone = json_string_value(json_array_get(all, 22));
    if (all == NULL || gone == NULL || !star(&s, "DELETE", gone) || !star(&s, "PUT", offering[25])) {
        json_decref(all);
        json_decref(first);
        return;
    }
    char path[256], next[128];
    snprintf(path, sizeof(path), "/api/v1/favourites?cursor=%s", cursor);
    json_t *second = page_ids(&s, path, next, sizeof(next));
    CHECK_INT((long)json_array_size(second), 4);
    CHECK_STR(next, "");
    for (size_t i = 20; i < 25; i++) {
        const char *id = json_string_value(json_array_get(all, i));
        if (i == 22)
            CHECK(!in(second, id));
        else
            CHECK(in(second, id));
    }
    for (size_t i = 0; i < json_array_size(second); i++)
        CHECK(!in(first, json_string_value(json_array_get(second, i))));
    /* the cursor's own item unstarred: the next page goes on after where it stood */
    if (star(&s, "DELETE", json_string_value(json_array_get(first, 19)))) {
        json_t *again = page_ids(&s, path, next, sizeof(next));
        CHECK(json_equal(again, second));
        CHECK_STR(next, "");
        json_decref(again);
    }
    json_decref(all);
    json_decref(first);
    json_decref(second);
}

/* A school invites 45 by CSV: its invitations list holds them all, by pages
 * of 20, in the order of the file (the newest upload first). */
TEST(a_school_sees_its_45_invitations_20_to_a_page)
{
    char csv[8192] = "name,email,graduation_year\n", emails[45][96];
    for (int i = 0; i < 45; i++) {
        api_unique_email(emails[i], sizeof(emails[i]), "lists.inv");
        size_t len = strlen(csv);
        snprintf(csv + len, sizeof(csv) - len, "Invitee %d,%s,2028\n", i, emails[i]);
    }
    struct api_response r;
    if (!post_as(&r, SCHOOL_COORD, "/api/v1/schools/" DEMO_SCHOOL "/invitations", json_pack("{s:s}", "csv", csv),
                 200)) {
        api_free(&r);
        return;
    }
    CHECK_INT(api_json_int(r.json, "invited", -1), 45);
    api_free(&r);
    const char *path = "/api/v1/schools/" DEMO_SCHOOL "/invitations";
    char cursor[128];
    json_t *first = page_ids(SCHOOL_COORD, path, cursor, sizeof(cursor));
    CHECK_INT((long)json_array_size(first), 20);
    CHECK(cursor[0] != '\0');
    json_decref(first);
    /* the emails, page by page */
    json_t *seen = json_array();
    char url[300];
    snprintf(url, sizeof(url), "%s", path);
    for (int page = 0; page < 10; page++) {
        CHECK_INT(get(&r, SCHOOL_COORD, url), 200);
        json_t *items = json_object_get(r.json, "items");
        CHECK(json_array_size(items) <= 20);
        size_t i;
        json_t *item;
        json_array_foreach(items, i, item) json_array_append_new(seen, json_string(api_json_str(item, "email")));
        const char *next = api_json_str(r.json, "next_cursor");
        if (next != NULL)
            snprintf(url, sizeof(url), "%s?cursor=%s", path, next);
        api_free(&r);
        if (next == NULL)
            break;
    }
    CHECK(json_array_size(seen) >= 45);
    for (int i = 0; i < 45 && json_array_size(seen) >= 45; i++)
        CHECK_STR(json_string_value(json_array_get(seen, (size_t)i)), emails[i]);
    no_duplicate(seen, "the invitations");
    json_decref(seen);
}

/* Sends method path as u (no body); its status. */
static long send_as(const struct user *u, const char *method, const char *path, const char *body)
{
    const char *headers[] = {u->auth, NULL};
    struct api_response r;
    long status = api_request(&r, method, path, headers, body);
    api_free(&r);
    return status;
}

/* The walk of path as u: after a first page of `first` items, remove(ctx, id
 * of its last item — the one the cursor names); the walk then goes on, a page
 * of one at a time, with exactly the items after it. */
static void walk_past_a_removed_item(const struct user *u, const char *path, int first_limit,
                                     bool (*remove)(const void *ctx, const char *id), const void *ctx)
{
    json_t *all = walk(u, path, 100);
    size_t n = (size_t)first_limit;
    CHECK(all != NULL && json_array_size(all) >= n + 2);
    if (all == NULL || json_array_size(all) < n + 2) {
        json_decref(all);
        return;
    }
    char url[600], params[400];
    snprintf(params, sizeof(params), "limit=%d", first_limit);
    with_param(url, sizeof(url), path, params);
    json_t *first = json_array();
    bool ok;
    char *cursor = read_page(u, url, first_limit, first, &ok);
    for (size_t i = 0; ok && i < n; i++)
        CHECK(json_equal(json_array_get(first, i), json_array_get(all, i)));
    const char *named = json_string_value(json_array_get(first, n - 1));
    if (!ok || cursor == NULL || named == NULL || !remove(ctx, named)) {
        TEST_FAILF("%s: the first page or the removal failed", path);
        free(cursor);
        json_decref(all);
        json_decref(first);
        return;
    }
    /* the rest, by pages of one from the stale cursor */
    json_t *rest = json_array();
    for (int page = 0; cursor != NULL && page < PAGES_MAX; page++) {
        snprintf(params, sizeof(params), "limit=1&cursor=%s", cursor);
        with_param(url, sizeof(url), path, params);
        free(cursor);
        cursor = read_page(u, url, 1, rest, &ok);
        if (!ok)
            break;
    }
    free(cursor);
    json_t *want = json_array();
    for (size_t i = n; i < json_array_size(all); i++)
        json_array_append(want, json_array_get(all, i));
    if (!json_equal(rest, want)) {
        char *a = json_dumps(rest, JSON_COMPACT), *b = json_dumps(want, JSON_COMPACT);
        TEST_FAILF("%s after removing %s: %.500s, want %.500s", path, named, a, b);
        free(a);
        free(b);
    }
    json_decref(all);
    json_decref(first);
    json_decref(rest);
    json_decref(want);
}

struct removal {
    const struct user *user;
    const char *collection; /* "/api/v1/saved-searches" */
};

static bool delete_item(const void *ctx, const char *id)
{
    const struct removal *rm = ctx;
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", rm->collection, id);
    long status = send_as(rm->user, "DELETE", path, NULL);
    if (status != 204)
        TEST_FAILF("DELETE %s answered %ld", path, status);
    return status == 204;
}

/* A list of the pager (saved searches, compared by their key) and one the
 * store pages (documents): the cursor's item deleted between two pages. */
TEST(a_removed_saved_search_or_document_does_not_break_the_walk)
{
    struct user s;
    if (!register_student(&s, "lists.removed"))
        return;
    for (int i = 0; i < 6; i++) {
        char name[32];
        snprintf(name, sizeof(name), "search %d", i);
        struct api_response r;
        bool ok = post_as(&r, &s, "/api/v1/saved-searches",
                          json_pack("{s:s,s:{s:s}}", "name", name, "filters", "q", "cardiology"), 201);
        api_free(&r);
        if (!ok)
            return;
    }
    struct removal searches = {&s, "/api/v1/saved-searches"};
    walk_past_a_removed_item(&s, "/api/v1/saved-searches", 2, delete_item, &searches);
    for (int i = 0; i < 5; i++) {
        char id[64];
        if (!steps_upload_pdf(&s, id))
            return;
    }
    struct removal documents = {&s, "/api/v1/documents"};
    walk_past_a_removed_item(&s, "/api/v1/documents", 2, delete_item, &documents);
}

/* Staff walk the pending deletion requests (paged in the store by due date)
 * while the person whose request the cursor names cancels it. */
static struct user askers[4];

static bool cancel_request(const void *ctx, const char *id)
{
    (void)ctx;
    for (int i = 0; i < 4; i++) {
        struct api_response r;
        long status = get(&r, &askers[i], "/api/v1/me/deletion-request");
        bool mine = status == 200 && same(api_json_str(r.json, "id"), id);
        api_free(&r);
        if (mine)
            return send_as(&askers[i], "DELETE", "/api/v1/me/deletion-request", NULL) == 200;
    }
    TEST_FAILF("no asker owns the deletion request %s", id);
    return false;
}

TEST(a_cancelled_deletion_request_does_not_break_the_walk)
{
    for (int i = 0; i < 4; i++) {
        if (!register_student(&askers[i], "lists.erase"))
            return;
        struct api_response r;
        bool ok = post_as(&r, &askers[i], "/api/v1/me/deletion-request", json_object(), 201);
        api_free(&r);
        if (!ok)
            return;
    }
    /* the first page ends with the second asker's request */
    const char *path = "/api/v1/deletion-requests?state=pending";
    struct api_response r;
    CHECK_INT(get(&r, &askers[1], "/api/v1/me/deletion-request"), 200);
    char id[64];
    snprintf(id, sizeof(id), "%s", api_json_str(r.json, "id") != NULL ? api_json_str(r.json, "id") : "");
    api_free(&r);
    json_t *all = walk(STAFF, path, 100);
    int at = -1;
    for (size_t i = 0; all != NULL && i < json_array_size(all); i++)
        if (strcmp(json_string_value(json_array_get(all, i)), id) == 0)
            at = (int)i;
    json_decref(all);
    CHECK(at >= 0);
    if (at >= 0)
        walk_past_a_removed_item(STAFF, path, at + 1, cancel_request, NULL);
}

static bool delete_school(const void *ctx, const char *id)
{
    struct db_conn *conn = (struct db_conn *)ctx;
    struct db_stmt *st = db_prepare(conn, "DELETE FROM organizations WHERE id = $1");
    db_bind_text(st, 1, id);
    int rc = db_step(st);
    db_reset(st);
    return rc == DB_DONE;
}

TEST(a_removed_school_does_not_break_the_walk_by_name)
{
    static const char *const names[] = {"alpha lists", "Bravo lists", "charlie lists",
                                        "Delta lists", "echo lists",  "Foxtrot lists"};
    struct db_conn *conn = api_db_open(&server);
    CHECK(conn != NULL);
    if (conn == NULL)
        return;
    char delta[64] = "";
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char id[64];
        crypto_random_id("org_", id, sizeof(id));
        CHECK_INT(store_organization_insert(conn, id, names[i], "school", 1700000000), DB_OK);
        if (i == 3)
            snprintf(delta, sizeof(delta), "%s", id);
    }
    json_t *all = walk(STAFF, "/api/v1/schools", 100);
    int at = -1;
    for (size_t i = 0; all != NULL && i < json_array_size(all); i++)
        if (strcmp(json_string_value(json_array_get(all, i)), delta) == 0)
            at = (int)i;
    json_decref(all);
    CHECK(at >= 0);
    if (at >= 0)
        walk_past_a_removed_item(STAFF, "/api/v1/schools", at + 1, delete_school, conn);
    db_close(conn);
}

/* 560 invitations in one file: more than the old cap of 500, all walked. */
TEST(a_school_sees_all_its_invitations_past_the_old_cap)
{
    enum { ROWS = 560 };
    size_t size = 80 * ROWS + 64;
    char *csv = malloc(size);
    if (csv == NULL)
        return;
    size_t len = (size_t)snprintf(csv, size, "name,email,graduation_year\n");
    json_t *emails = json_array();
    for (int i = 0; i < ROWS; i++) {
        char email[96];
        api_unique_email(email, sizeof(email), "lists.many");
        json_array_append_new(emails, json_string(email));
        len += (size_t)snprintf(csv + len, size - len, "Many %d,%s,2029\n", i, email);
    }
    struct api_response r;
    bool ok = post_as(&r, SCHOOL_COORD, "/api/v1/schools/" DEMO_SCHOOL "/invitations",
                      json_pack("{s:s}", "csv", csv), 200);
    free(csv);
    CHECK(ok && api_json_int(r.json, "invited", -1) == ROWS);
    api_free(&r);
    json_t *all = ok ? walk(SCHOOL_COORD, "/api/v1/schools/" DEMO_SCHOOL "/invitations", 100) : NULL;
    CHECK(all != NULL && json_array_size(all) >= ROWS + 45);
    if (all != NULL) {
        no_duplicate(all, "the invitations");
        printf("  %zu invitations walked\n", json_array_size(all));
    }
    json_decref(all);
    json_decref(emails);
}

/* Notifications: pages of one hold the items of a page of a hundred, with
 * the unread count on every page. */
TEST(notifications_come_a_page_at_a_time)
{
    size_t longer = 0;
    for (int k = 0; k < ROLES; k++) {
        json_t *hundreds = walk(&roles[k], "/api/v1/notifications", 100);
        json_t *ones = walk(&roles[k], "/api/v1/notifications", 1);
        CHECK(hundreds != NULL && ones != NULL && json_equal(hundreds, ones));
        if (hundreds != NULL)
            no_duplicate(hundreds, "the notifications");
        longer += hundreds != NULL && json_array_size(hundreds) > 1;
        json_decref(hundreds);
        json_decref(ones);
        struct api_response r;
        CHECK_INT(get(&r, &roles[k], "/api/v1/notifications?limit=1"), 200);
        CHECK(json_is_integer(json_object_get(r.json, "unread")));
        api_free(&r);
    }
    CHECK(longer >= 1);
}

/* The ids the fixtures need, read as the demo's people see them. */
static bool find_fixtures(void)
{
    struct api_response r;
    /* a block of the demo host's first offering (staff read its waitlist), and the host's requirements */
    bool ok = get(&r, &roles[2], "/api/v1/me") == 200;
    const char *host_org = ok ? api_json_str(json_array_get(json_object_get(r.json, "memberships"), 0),
                                             "organization_id")
                              : NULL;
    ok = host_org != NULL;
    if (ok)
        snprintf(fixtures[5].path, sizeof(fixtures[5].path), "/api/v1/requirements?organization_id=%s", host_org);
    api_free(&r);
    ok = ok && get(&r, STAFF, "/api/v1/offerings?limit=1") == 200;
    const char *offering = ok ? api_json_str(json_array_get(json_object_get(r.json, "items"), 0), "id") : NULL;
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/offerings/%s", offering != NULL ? offering : "none");
    api_free(&r);
    ok = ok && get(&r, STAFF, path) == 200;
    const char *block = ok ? api_json_str(json_array_get(json_object_get(r.json, "blocks"), 0), "id") : NULL;
    if (block != NULL)
        snprintf(fixtures[0].path, sizeof(fixtures[0].path), "/api/v1/blocks/%s/waitlist", block);
    api_free(&r);
    /* the rotation under way (its check-ins) */
    ok = ok && get(&r, &roles[1], "/api/v1/applications?limit=100") == 200;
    size_t i;
    json_t *item;
    json_array_foreach(ok ? json_object_get(r.json, "items") : NULL, i, item)
    {
        const char *status = api_json_str(item, "status");
        if (status != NULL && strcmp(status, "in_progress") == 0)
            snprintf(fixtures[1].path, sizeof(fixtures[1].path), "/api/v1/applications/%s/check-ins",
                     api_json_str(item, "id"));
    }
    api_free(&r);
    if (!ok || fixtures[0].path[0] == '\0' || fixtures[1].path[0] == '\0' || fixtures[5].path[0] == '\0')
        TEST_FAILF("the demo world lacks a fixture: %s | %s | %s", fixtures[0].path, fixtures[1].path,
                   fixtures[5].path);
    return ok && fixtures[0].path[0] != '\0' && fixtures[1].path[0] != '\0' && fixtures[5].path[0] != '\0';
}

/* On PostgreSQL: users' and organisations' names collated by a language
 * (the first of ICU's English or root collation the cluster has). */
static bool collate_names_by_language(void)
{
    if (strncmp(db, "postgres", 8) != 0)
        return true;
    struct db_conn *conn = NULL;
    if (db_open(db, &conn) != DB_OK)
        return false;
    const char *language = NULL;
    if (db_exec(conn, "ALTER TABLE users ALTER COLUMN name TYPE TEXT COLLATE \"en-x-icu\";"
                      "ALTER TABLE organizations ALTER COLUMN name TYPE TEXT COLLATE \"en-x-icu\"") == DB_OK)
        language = "en-x-icu";
    else if (db_exec(conn, "ALTER TABLE users ALTER COLUMN name TYPE TEXT COLLATE \"und-x-icu\";"
                           "ALTER TABLE organizations ALTER COLUMN name TYPE TEXT COLLATE \"und-x-icu\"") == DB_OK)
        language = "und-x-icu";
    db_close(conn);
    printf("names collated by: %s\n", language != NULL ? language : "(no ICU collation in this cluster)");
    return language != NULL;
}

static bool setup(void)
{
    if (test_tmp_dir(work, sizeof(work), "lists") == NULL)
        return false;
    pg_uri = api_shared_db();
    char data_dir[96], out[128];
    snprintf(data_dir, sizeof(data_dir), "%s/data", work);
    snprintf(out, sizeof(out), "%s/seed.txt", work);
    if (!api_fresh_db(db, sizeof(db), pg_uri, work, "lists") || api_seed_demo(db, data_dir, out) != 0 ||
        !collate_names_by_language())
        return false;
    if (api_server_start_with(&server, db, NULL, NULL) != 0)
        return false;
    for (int k = 0; k < ROLES; k++)
        if (!login(&roles[k]))
            return false;
    return find_fixtures();
}

int main(void)
{
    if (crypto_init() != 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
        return 1;
    test_current_name = "setup";
    bool ready = setup();
    if (ready) {
        RUN(every_list_walks_by_cursor_one_at_a_time_as_a_hundred_at_a_time);
        RUN(the_default_page_holds_at_most_20);
        RUN(bad_limits_and_cursors_get_400_and_change_nothing);
        RUN(specialties_come_20_to_a_page);
        RUN(favourites_page_through_changes_between_pages);
        RUN(a_school_sees_its_45_invitations_20_to_a_page);
        RUN(a_removed_saved_search_or_document_does_not_break_the_walk);
        RUN(a_cancelled_deletion_request_does_not_break_the_walk);
        RUN(a_removed_school_does_not_break_the_walk_by_name);
        RUN(a_school_sees_all_its_invitations_past_the_old_cap);
        RUN(notifications_come_a_page_at_a_time);
    }
    int stopped = api_fresh_suite_end(&server, db, pg_uri, work, ready, "seeding the demo and starting a server on it");
    curl_global_cleanup();
    return test_summary("api-lists") | !ready | (stopped != 0);
}
