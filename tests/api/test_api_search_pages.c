/* test_api_search_pages.c — the search page's way around (issue 12, item 10)
 * against the real `rounds serve`: numbered pages show exactly the pages the
 * API's cursors walk (by price, by date, by relevance), "Page N of M"; bad
 * page numbers and an oversized back= are 400 and change nothing; "Back to
 * the search" returns to the search it came from; the map's counts add up
 * to the filtered results; specialties are listed by name. The catalog is
 * `rounds seed --offerings` into the server's database (shared with other
 * suites on PostgreSQL: every check is relative to what the API says). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api_client.h"
#include "api_suite.h"
#include "test.h"

enum { LIMIT = 7, MAX_IDS = 4096 };

static struct api_server server;

/* Every offering id of a search, in order, by following the API's cursors. */
static size_t api_walk(const char *query, int limit, char ids[][64], size_t max)
{
    size_t n = 0;
    char cursor[256] = "";
    for (int guard = 0; guard < 1000; guard++) {
        char path[768];
        snprintf(path, sizeof(path), "/api/v1/offerings?%s&limit=%d%s%s", query, limit, cursor[0] ? "&cursor=" : "",
                 cursor);
        struct api_response r;
        api_request(&r, "GET", path, NULL, NULL);
        if (r.status != 200) {
            TEST_FAILF("GET %s answered %ld: %.200s", path, r.status, r.body);
            api_free(&r);
            return n;
        }
        json_t *items = api_json_get(r.json, "items");
        for (size_t i = 0; i < json_array_size(items) && n < max; i++)
            snprintf(ids[n++], 64, "%s", json_string_value(json_object_get(json_array_get(items, i), "id")));
        const char *next = api_json_str(r.json, "next_cursor");
        snprintf(cursor, sizeof(cursor), "%s", next != NULL ? next : "");
        api_free(&r);
        if (cursor[0] == '\0')
            break;
    }
    return n;
}

/* The offering ids of the result cards of a page, in order. */
static size_t card_ids(const char *html, char ids[][64], size_t max)
{
    size_t n = 0;
    const char *at = html;
    while (n < max && (at = strstr(at, "<h3><a href=\"/offerings/")) != NULL) {
        at += strlen("<h3><a href=\"/offerings/");
        size_t len = strcspn(at, "?\"");
        snprintf(ids[n++], 64, "%.*s", (int)(len < 63 ? len : 63), at);
    }
    return n;
}

static long long heading_total(const char *html)
{
    const char *at = html != NULL ? strstr(html, "<span class=\"result-count\">") : NULL;
    return at != NULL ? strtoll(at + strlen("<span class=\"result-count\">"), NULL, 10) : 0;
}

/* Numbered pages hold exactly what the cursors walk, for one search. */
static void pages_match_walk(const char *query)
{
    static char walked[MAX_IDS][64], shown[LIMIT + 1][64];
    size_t total = api_walk(query, LIMIT, walked, MAX_IDS);
    /* Pages of 7, or of 2 when the search finds few (a fresh database's seed is random). */
    size_t limit = total > (size_t)LIMIT * 2 ? LIMIT : 2;
    if (limit != LIMIT && api_walk(query, (int)limit, walked, MAX_IDS) != total)
        TEST_FAILF("%s: the cursor walks of pages of 7 and of 2 differ in length", query);
    if (total < 5) {
        TEST_FAILF("%s finds %zu offerings: too few to page", query, total);
        return;
    }
    size_t pages = (total + limit - 1) / limit;
    for (size_t page = 1; page <= pages; page++) {
        char path[768], want[64];
        snprintf(path, sizeof(path), "/search?%s&limit=%zu&page=%zu", query, limit, page);
        struct api_response r;
        api_request(&r, "GET", path, NULL, NULL);
        CHECK_INT(r.status, 200);
        size_t n = card_ids(r.body != NULL ? r.body : "", shown, LIMIT + 1);
        size_t expect = page < pages ? limit : total - (pages - 1) * limit;
        CHECK_INT(n, expect);
        for (size_t i = 0; i < n && i < expect; i++)
            if (strcmp(shown[i], walked[(page - 1) * limit + i]) != 0) {
                TEST_FAILF("%s: card %zu is %s, the cursor walk has %s", path, i, shown[i],
                           walked[(page - 1) * limit + i]);
                break;
            }
        CHECK_INT(heading_total(r.body), (long long)total);
        snprintf(want, sizeof(want), "Page %zu of %zu</span>", page, pages);
        CHECK_CONTAINS(r.body, want);
        if (page > 1)
            CHECK_CONTAINS(r.body, "\">Previous page</a>");
        else
            CHECK(strstr(r.body, "Previous page") == NULL);
        if (page < pages)
            CHECK_CONTAINS(r.body, "\">Next page</a>");
        else
            CHECK(strstr(r.body, "Next page") == NULL);
        api_free(&r);
    }
}

TEST(numbered_pages_show_what_the_cursors_walk)
{
    pages_match_walk("sort=price");
    pages_match_walk("kind=hands_on");
    pages_match_walk("q=medicine&sort=relevance");
}

TEST(bad_page_numbers_and_back_are_400)
{
    static const char *const bad[] = {"page=0",   "page=abc", "page=501",          "page=2.5",
                                      "page=-1",  "page=",    "page=1&page=2",     "page=99999999999999999999"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char path[128];
        snprintf(path, sizeof(path), "/search?kind=research&%s", bad[i]);
        struct api_response r;
        api_request(&r, "GET", path, NULL, NULL);
        if (strcmp(bad[i], "page=") == 0) {
            /* An empty field (a form left blank) is no page at all. */
            CHECK_INT(r.status, 200);
        } else {
            CHECK_INT(r.status, 400);
            CHECK_CONTAINS(r.body, "Page must be a whole number between 1 and 500");
            CHECK_CONTAINS(r.body, "value=\"research\" checked");
        }
        api_free(&r);
    }
    char path[1300] = "/offerings/anything?back=";
    size_t len = strlen(path);
    memset(path + len, 'a', 1100);
    path[len + 1100] = '\0';
    struct api_response r;
    api_request(&r, "GET", path, NULL, NULL);
    CHECK_INT(r.status, 400); /* a page: the error page names the parameter */
    CHECK_CONTAINS(r.body, "back");
    api_free(&r);
    api_request(&r, "GET", "/search?kind=research&page=500", NULL, NULL);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body, "There is no page 500: this search has");
    api_free(&r);
}

TEST(back_to_the_search_returns_to_it)
{
    static char ids[4][64];
    struct api_response r;
    api_request(&r, "GET", "/search?kind=hands_on&sort=price&limit=3&page=2", NULL, NULL);
    CHECK_INT(r.status, 200);
    /* Each card carries this search, page included. */
    CHECK_CONTAINS(r.body, "?back=page%3D2%26kind%3Dhands_on%26sort%3Dprice%26limit%3D3\">");
    size_t n = card_ids(r.body != NULL ? r.body : "", ids, 4);
    api_free(&r);
    CHECK_INT(n, 3);
    if (n == 0)
        return;
    char path[256];
    snprintf(path, sizeof(path), "/offerings/%s?back=page%%3D2%%26kind%%3Dhands_on%%26sort%%3Dprice%%26limit%%3D3", ids[0]);
    api_request(&r, "GET", path, NULL, NULL);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body, "<a href=\"/search?page=2&amp;kind=hands_on&amp;sort=price&amp;limit=3\">Back to the search</a>");
    api_free(&r);
    /* Opened by itself, it goes back to a new search; and the page someone
     * else opened with a search of theirs was not kept for everyone. */
    snprintf(path, sizeof(path), "/offerings/%s", ids[0]);
    api_request(&r, "GET", path, NULL, NULL);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body, "<a href=\"/search\">Back to the search</a>");
    api_free(&r);
    /* Markup in back= is text. */
    snprintf(path, sizeof(path), "/offerings/%s?back=%%22%%3E%%3Cscript%%3E", ids[0]);
    api_request(&r, "GET", path, NULL, NULL);
    CHECK_INT(r.status, 200);
    CHECK(strstr(r.body, "<script>") == NULL);
    CHECK_CONTAINS(r.body, "/search?&quot;&gt;&lt;script&gt;");
    api_free(&r);
}

TEST(the_map_counts_what_the_filters_show)
{
    static const char *const searches[] = {"/search?kind=research", "/search?kind=observership&sort=price",
                                           "/search"};
    for (size_t s = 0; s < sizeof(searches) / sizeof(searches[0]); s++) {
        struct api_response r;
        api_request(&r, "GET", searches[s], NULL, NULL);
        CHECK_INT(r.status, 200);
        long long sum = 0;
        int states = 0;
        const char *map = r.body != NULL ? strstr(r.body, "class=\"usmap\"") : NULL;
        for (const char *at = map; at != NULL && (at = strstr(at, "<title>")) != NULL; at++) {
            const char *colon = strstr(at, ": ");
            if (colon == NULL || strncmp(at, "<title>Open", 11) == 0)
                continue;
            sum += strtoll(colon + 2, NULL, 10);
            states++;
        }
        CHECK_INT(states, 51);
        /* Places without a shape (Puerto Rico) are listed after the map. */
        const char *more = r.body != NULL ? strstr(r.body, "<ul class=\"map-more\"") : NULL;
        const char *more_end = more != NULL ? strstr(more, "</ul>") : NULL;
        for (const char *at = more; at != NULL && (at = strstr(at, "</a>: ")) != NULL && at < more_end; at++)
            sum += strtoll(at + strlen("</a>: "), NULL, 10);
        CHECK_INT(sum, heading_total(r.body));
        api_free(&r);
    }
}

TEST(specialties_are_listed_by_name)
{
    struct api_response r;
    api_request(&r, "GET", "/search", NULL, NULL);
    CHECK_INT(r.status, 200);
    const char *select = r.body != NULL ? strstr(r.body, "id=\"f-specialty\"") : NULL;
    const char *end = select != NULL ? strstr(select, "</select>") : NULL;
    CHECK(select != NULL && end != NULL);
    char previous[128] = "";
    int listed = 0;
    for (const char *at = select; at != NULL && end != NULL && (at = strstr(at, "<option value=\"")) != NULL &&
                                  at < end;
         at++) {
        const char *label = strchr(at, '>');
        if (label == NULL || at[strlen("<option value=\"")] == '"')
            continue; /* "Any specialty" */
        char name[128];
        size_t len = strcspn(label + 1, "(<");
        snprintf(name, sizeof(name), "%.*s", (int)(len < 127 ? len : 127), label + 1);
        if (previous[0] != '\0' && strcasecmp(previous, name) > 0)
            TEST_FAILF("\"%s\" is listed before \"%s\"", previous, name);
        snprintf(previous, sizeof(previous), "%s", name);
        listed++;
    }
    if (listed < 2)
        TEST_FAILF("only %d specialties listed", listed);
    api_free(&r);
}

/* The total a search reports (0 on an error). */
static long long search_total(const char *query)
{
    char path[256];
    snprintf(path, sizeof(path), "/api/v1/offerings?limit=1&include_full=true%s", query);
    struct api_response r;
    api_request(&r, "GET", path, NULL, NULL);
    long long total = r.status == 200 ? api_json_int(r.json, "total", 0) : 0;
    api_free(&r);
    return total;
}

/* 150 random offerings, and more while "medicine" finds fewer than 5 of them
 * (the seed is random): each batch waited for until the index holds it. */
static bool seed_catalog(void)
{
    for (int batch = 1; batch <= 4; batch++) {
        const char *seed[] = {"seed", "--offerings", "150", NULL};
        struct api_cli_result res;
        bool ok = api_cli(server.db, seed, NULL, &res) == 0;
        if (!ok)
            printf("rounds seed failed: %.300s\n", res.err);
        api_cli_free(&res);
        bool indexed = false;
        for (int i = 0; ok && !indexed && i < 400; i++) {
            indexed = search_total("") >= 150LL * batch;
            if (!indexed)
                api_sleep_ms(50);
        }
        if (!indexed)
            return false;
        if (search_total("&q=medicine") >= 5)
            return true;
    }
    return false;
}

/* What the tests need, once the suite's server is up. */
static bool setup(void)
{
    return seed_catalog();
}

static void run_tests(void)
{
    API_RUN(numbered_pages_show_what_the_cursors_walk);
    API_RUN(bad_page_numbers_and_back_are_400);
    API_RUN(back_to_the_search_returns_to_it);
    API_RUN(the_map_counts_what_the_filters_show);
    API_RUN(specialties_are_listed_by_name);
}

int main(void)
{
    static const struct api_suite suite = {
        .name = "api-search-pages", .server = &server, .setup = setup,
        .setup_what = "the seeded catalog never showed in the search", .run = run_tests};
    return api_suite_main(&suite);
}
