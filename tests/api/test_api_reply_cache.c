/* test_api_reply_cache.c — replies that cost nothing (http/reply_cache.c),
 * with two instances on one database:
 *
 *   - GET /api/v1/offerings/{id} and the anonymous /offerings/{id} page carry a
 *     strong ETag; If-None-Match naming it (or W/ it, or *) answers 304 with no
 *     body, anything else 200; both instances give the same ETag;
 *   - gzip when the client takes it (the same bytes once inflated), none when
 *     it refuses it (q=0) or does not ask;
 *   - an edit through instance A shows at once on A and within the change
 *     feed's poll on B, with a new ETag (the old one gets 200, not 304);
 *     unpublishing through A makes B answer 404;
 *   - a signed-in visitor's page is rendered for them, never kept;
 *   - searches (GET /api/v1/offerings, and /search for visitors not signed
 *     in) are kept too: ETag and 304, gzip made on demand; a bad query is
 *     400 however often it comes and whatever is kept; an edit or a seat
 *     change through A shows in A's next search at once, and in B's as soon
 *     as B's index has it (a search B never answered before shows it: the
 *     kept one must too); eligible=me and a signed-in page are never kept. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "api_client.h"
#include "test.h"

#define PEOPLE_PASSWORD "Lantern-Quill-Harbor-318"
#include "api_people.h"

static struct api_server a, b;
static struct user staff;
static char offering[64];

static char *header_copy(const struct api_response *r, const char *name)
{
    const char *v = api_header(r, name);
    return v != NULL ? strdup(v) : NULL;
}

/* GET path on srv with optional extra headers; the status. */
static long get_on(struct api_server *srv, struct api_response *r, const char *path, const char *h1, const char *h2)
{
    const char *headers[] = {h1, h2, NULL};
    struct api_raw_request rq = {"GET", path, headers, NULL, 0, false};
    return api_send_to(srv, r, &rq);
}

/* Staff give the offering a new title through srv; the reply's status. */
static long retitle_on(struct api_server *srv, const char *title)
{
    char patch[160], patch_path[128];
    snprintf(patch, sizeof(patch), "{\"title\":\"%s\"}", title);
    snprintf(patch_path, sizeof(patch_path), "/api/v1/offerings/%s", offering);
    const char *headers[] = {staff.auth, NULL};
    struct api_raw_request rq = {"PATCH", patch_path, headers, patch, strlen(patch), false};
    struct api_response r;
    long status = api_send_to(srv, &r, &rq);
    api_free(&r);
    return status;
}

static bool inflate_equals(const char *gz, size_t gz_len, const char *plain, size_t plain_len)
{
    char *out = malloc(plain_len + 64);
    z_stream z;
    memset(&z, 0, sizeof(z));
    if (out == NULL || inflateInit2(&z, 15 + 16) != Z_OK) {
        free(out);
        return false;
    }
    z.next_in = (Bytef *)(uintptr_t)gz;
    z.avail_in = (uInt)gz_len;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)(plain_len + 64);
    int rc = inflate(&z, Z_FINISH);
    size_t n = plain_len + 64 - z.avail_out;
    inflateEnd(&z);
    bool same = rc == Z_STREAM_END && n == plain_len && memcmp(out, plain, n) == 0;
    free(out);
    return same;
}

TEST(offering_has_an_etag_and_answers_304)
{
    char path[128];
    snprintf(path, sizeof(path), "/api/v1/offerings/%s", offering);
    struct api_response r, again;
    CHECK_INT(get_on(&b, &r, path, NULL, NULL), 200);
    char *etag = header_copy(&r, "etag");
    CHECK(etag != NULL && etag[0] == '"' && strlen(etag) == 18);
    CHECK_CONTAINS(api_header(&r, "cache-control"), "no-cache");
    /* The same bytes and ETag from the other instance and on a second request. */
    CHECK_INT(get_on(&a, &again, path, NULL, NULL), 200);
    CHECK_STR(api_header(&again, "etag"), etag);
    CHECK(again.body_len == r.body_len && memcmp(again.body, r.body, r.body_len) == 0);
    api_free(&again);
    char inm[96];
    const char *before[] = {"", "W/", "\"nope\", ", NULL};
    for (size_t i = 0; i < 4; i++) {
        if (before[i] != NULL)
            snprintf(inm, sizeof(inm), "If-None-Match: %s%s", before[i], etag);
        else
            snprintf(inm, sizeof(inm), "If-None-Match: *");
        CHECK_INT(get_on(&b, &again, path, inm, NULL), 304);
        CHECK_INT(again.body_len, 0);
        CHECK_STR(api_header(&again, "etag"), etag);
        api_free(&again);
    }
    const char *others[] = {"If-None-Match: \"0000000000000000\"", "If-None-Match: garbage,,,", "If-None-Match: W/"};
    for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
        CHECK_INT(get_on(&b, &again, path, others[i], NULL), 200);
        CHECK(again.body_len == r.body_len);
        api_free(&again);
    }
    free(etag);
    api_free(&r);
}

TEST(replies_are_gzipped_when_the_client_takes_it)
{
    char path[128];
    snprintf(path, sizeof(path), "/api/v1/offerings/%s", offering);
    struct api_response plain, gz;
    CHECK_INT(get_on(&b, &plain, path, NULL, NULL), 200);
    CHECK(api_header(&plain, "content-encoding") == NULL);
    CHECK_INT(get_on(&b, &gz, path, "Accept-Encoding: br, gzip", NULL), 200);
    CHECK_STR(api_header(&gz, "content-encoding"), "gzip");
    CHECK(gz.body_len < plain.body_len);
    CHECK(inflate_equals(gz.body, gz.body_len, plain.body, plain.body_len));
    CHECK_STR(api_header(&gz, "etag"), api_header(&plain, "etag"));
    api_free(&gz);
    CHECK_INT(get_on(&b, &gz, path, "Accept-Encoding: gzip;q=0, identity", NULL), 200);
    CHECK(api_header(&gz, "content-encoding") == NULL);
    CHECK_INT(gz.body_len, plain.body_len);
    api_free(&gz);
    /* The page too, and a search reply over 1 KB (compressed as it goes). */
    snprintf(path, sizeof(path), "/offerings/%s", offering);
    CHECK_INT(get_on(&b, &gz, path, "Accept-Encoding: gzip", NULL), 200);
    CHECK_STR(api_header(&gz, "content-encoding"), "gzip");
    api_free(&gz);
    CHECK_INT(get_on(&b, &gz, "/api/v1/offerings?limit=20", "Accept-Encoding: gzip", NULL), 200);
    CHECK_STR(api_header(&gz, "content-encoding"), "gzip");
    api_free(&gz);
    api_free(&plain);
}

TEST(an_edit_through_one_instance_shows_on_the_other)
{
    char path[128], page[128], inm[96];
    snprintf(path, sizeof(path), "/api/v1/offerings/%s", offering);
    snprintf(page, sizeof(page), "/offerings/%s", offering);
    struct api_response r;
    CHECK_INT(get_on(&b, &r, path, NULL, NULL), 200);
    char *old = header_copy(&r, "etag");
    api_free(&r);
    CHECK_INT(get_on(&b, &r, page, NULL, NULL), 200);
    char *old_page = header_copy(&r, "etag");
    CHECK(old_page != NULL);
    api_free(&r);

    char title[96];
    snprintf(title, sizeof(title), "Retitled Rotation %ld", (long)getpid());
    CHECK_INT(retitle_on(&a, title), 200);
    /* The writer sees it at once. */
    CHECK_INT(get_on(&a, &r, path, NULL, NULL), 200);
    CHECK_CONTAINS(r.body, title);
    CHECK(strcmp(api_header(&r, "etag"), old) != 0);
    api_free(&r);
    /* The other instance once its change feed has it: new bytes, new ETag. */
    CHECK(api_wait_for_new_etag(&b, path, NULL, old, &r));
    CHECK_CONTAINS(r.body, title);
    api_free(&r);
    snprintf(inm, sizeof(inm), "If-None-Match: %s", old);
    CHECK_INT(get_on(&b, &r, path, inm, NULL), 200);
    CHECK_CONTAINS(r.body, title);
    api_free(&r);
    CHECK(api_wait_for_new_etag(&b, page, NULL, old_page, &r));
    CHECK_CONTAINS(r.body, title);
    api_free(&r);
    free(old);
    free(old_page);
}

TEST(a_signed_in_page_is_never_kept)
{
    char page[128], cookie[160];
    snprintf(page, sizeof(page), "/offerings/%s", offering);
    snprintf(cookie, sizeof(cookie), "%s", staff.cookie);
    struct api_response r;
    CHECK_INT(get_on(&b, &r, page, cookie, NULL), 200);
    CHECK(api_header(&r, "etag") == NULL);
    CHECK_CONTAINS(api_header(&r, "cache-control"), "no-store");
    CHECK_CONTAINS(r.body, "Log out");
    api_free(&r);
}

/* The longest a change through one instance may take to reach the other
 * (its change feed): generous for a loaded machine, each wait ending as soon
 * as the change is seen. */
enum { FEED_WAIT_MS = 20000 };

TEST(unpublishing_through_one_instance_hides_it_on_the_other)
{
    char path[128], patch_path[128];
    snprintf(path, sizeof(path), "/api/v1/offerings/%s", offering);
    snprintf(patch_path, sizeof(patch_path), "/api/v1/offerings/%s", offering);
    const char *headers[] = {staff.auth, NULL};
    static const char body[] = "{\"status\":\"draft\"}";
    struct api_raw_request rq = {"PATCH", patch_path, headers, body, strlen(body), false};
    struct api_response r;
    CHECK_INT(api_send_to(&a, &r, &rq), 200);
    api_free(&r);
    double deadline = api_now_ms() + FEED_WAIT_MS;
    long status = 0;
    while ((status = get_on(&b, &r, path, NULL, NULL)) == 200 && api_now_ms() < deadline) {
        api_free(&r);
        api_sleep_ms(50);
    }
    CHECK_INT(status, 404);
    api_free(&r);
    snprintf(path, sizeof(path), "/offerings/%s", offering);
    CHECK_INT(get_on(&b, &r, path, NULL, NULL), 404);
    api_free(&r);
}

/* ---- searches ---- */

static const char search_path[] = "/api/v1/offerings?limit=100";
static const char search_page[] = "/search?limit=100";

TEST(search_replies_have_an_etag_and_answer_304)
{
    struct api_response r, again;
    CHECK_INT(get_on(&b, &r, search_path, NULL, NULL), 200);
    char *etag = header_copy(&r, "etag");
    CHECK(etag != NULL && etag[0] == '"');
    CHECK_CONTAINS(api_header(&r, "cache-control"), "no-cache");
    CHECK_INT(get_on(&b, &again, search_path, NULL, NULL), 200);
    CHECK_STR(api_header(&again, "etag"), etag);
    CHECK(again.body_len == r.body_len && memcmp(again.body, r.body, r.body_len) == 0);
    api_free(&again);
    /* The same search spelled otherwise, and on the other instance. */
    CHECK_INT(get_on(&b, &again, "/api/v1/offerings?sort=soonest&state=&limit=100", NULL, NULL), 200);
    CHECK_STR(api_header(&again, "etag"), etag);
    api_free(&again);
    CHECK_INT(get_on(&a, &again, search_path, NULL, NULL), 200);
    CHECK_STR(api_header(&again, "etag"), etag);
    api_free(&again);
    char inm[96];
    snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
    CHECK_INT(get_on(&b, &again, search_path, inm, NULL), 304);
    CHECK_INT(again.body_len, 0);
    api_free(&again);
    /* Kept plain first: the gzip form is made when a client takes it. */
    CHECK_INT(get_on(&b, &again, search_path, "Accept-Encoding: gzip", NULL), 200);
    CHECK_STR(api_header(&again, "content-encoding"), "gzip");
    CHECK_STR(api_header(&again, "etag"), etag);
    CHECK(inflate_equals(again.body, again.body_len, r.body, r.body_len));
    api_free(&again);
    free(etag);
    api_free(&r);
    /* The page of visitors not signed in. */
    CHECK_INT(get_on(&b, &r, search_page, NULL, NULL), 200);
    etag = header_copy(&r, "etag");
    CHECK(etag != NULL);
    if (etag != NULL)
        snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
    CHECK_INT(get_on(&b, &again, search_page, inm, NULL), 304);
    api_free(&again);
    CHECK_INT(get_on(&b, &again, search_page, "Accept-Encoding: gzip", NULL), 200);
    CHECK_STR(api_header(&again, "etag"), etag);
    CHECK(inflate_equals(again.body, again.body_len, r.body, r.body_len));
    api_free(&again);
    free(etag);
    api_free(&r);
}

TEST(bad_searches_are_400_whatever_is_kept)
{
    struct api_response r;
    CHECK_INT(get_on(&b, &r, "/api/v1/offerings?state=TX", NULL, NULL), 200);
    api_free(&r);
    CHECK_INT(get_on(&b, &r, "/search?state=TX", NULL, NULL), 200);
    api_free(&r);
    const char *bad[] = {"/api/v1/offerings?state=TX&state=CA", "/api/v1/offerings?state=XX",
                         "/api/v1/offerings?state=TX&cursor=nope", "/api/v1/offerings?state=TX&sort=relevance",
                         "/search?state=TX&state=CA", "/search?state=TX&page=0", "/search?state=TX&cursor=nope"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        for (int twice = 0; twice < 2; twice++) {
            CHECK_INT(get_on(&b, &r, bad[i], NULL, NULL), 400);
            CHECK(api_header(&r, "etag") == NULL);
            api_free(&r);
        }
}

/* seats_left of offering id in a search reply, or -1 when it is not there. */
static long long seats_left_in(const struct api_response *r, const char *id)
{
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(r->json, "items"), i, item)
    {
        if (strcmp(json_string_value(json_object_get(item, "id")), id) == 0)
            return json_integer_value(json_object_get(item, "seats_left"));
    }
    return -1;
}

/* Polls B until a search it never answered before shows the change (shown()),
 * then asks B the kept search_path: it must show it too. */
static bool kept_search_follows(bool (*shown)(const struct api_response *r, const void *ctx), const void *ctx)
{
    static int fresh;
    double deadline = api_now_ms() + FEED_WAIT_MS;
    struct api_response r;
    for (;;) {
        char path[96];
        snprintf(path, sizeof(path), "/api/v1/offerings?limit=100&max_tuition=%d", 9000000 + ++fresh);
        bool seen = get_on(&b, &r, path, NULL, NULL) == 200 && shown(&r, ctx);
        api_free(&r);
        if (seen)
            break;
        if (api_now_ms() > deadline)
            return false;
        api_sleep_ms(20);
    }
    bool kept = get_on(&b, &r, search_path, NULL, NULL) == 200 && shown(&r, ctx);
    api_free(&r);
    return kept;
}

static bool body_has(const struct api_response *r, const void *text)
{
    return r->body != NULL && strstr(r->body, text) != NULL;
}

static bool seats_are(const struct api_response *r, const void *seats)
{
    return seats_left_in(r, offering) == *(const long long *)seats;
}

TEST(a_search_shows_an_edit_through_either_instance)
{
    struct api_response r;
    CHECK_INT(get_on(&b, &r, search_path, NULL, NULL), 200);
    api_free(&r);
    CHECK_INT(get_on(&a, &r, search_path, NULL, NULL), 200);
    api_free(&r);
    CHECK_INT(get_on(&b, &r, search_page, NULL, NULL), 200);
    char *old_page = header_copy(&r, "etag");
    api_free(&r);

    char title[96];
    snprintf(title, sizeof(title), "Searched Rotation %ld", (long)getpid());
    CHECK_INT(retitle_on(&a, title), 200);
    /* The writer's next search shows it, without waiting. */
    CHECK_INT(get_on(&a, &r, search_path, NULL, NULL), 200);
    CHECK_CONTAINS(r.body, title);
    api_free(&r);
    CHECK(kept_search_follows(body_has, title));
    CHECK(old_page != NULL && api_wait_for_new_etag(&b, search_page, NULL, old_page, &r));
    CHECK_CONTAINS(r.body, title);
    api_free(&r);
    free(old_page);
}

TEST(a_search_shows_a_seat_change_through_the_other_instance)
{
    struct api_response r;
    CHECK_INT(get_on(&b, &r, search_path, NULL, NULL), 200);
    long long before = seats_left_in(&r, offering);
    const char *start = api_json_str(r.json, "items.0.next_block.start");
    char next_start[16] = "";
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(r.json, "items"), i, item)
    {
        if (strcmp(json_string_value(json_object_get(item, "id")), offering) == 0)
            start = json_string_value(json_object_get(json_object_get(item, "next_block"), "start"));
    }
    if (start != NULL)
        snprintf(next_start, sizeof(next_start), "%s", start);
    api_free(&r);
    CHECK(before >= 0 && next_start[0] != '\0');

    /* One more seat on the block the search shows. */
    char path[128], block[64] = "";
    long long seats = 0;
    snprintf(path, sizeof(path), "/api/v1/offerings/%s", offering);
    CHECK_INT(get_on(&a, &r, path, NULL, NULL), 200);
    json_array_foreach(json_object_get(r.json, "blocks"), i, item)
    {
        if (strcmp(json_string_value(json_object_get(item, "start")), next_start) == 0 && block[0] == '\0') {
            snprintf(block, sizeof(block), "%s", json_string_value(json_object_get(item, "id")));
            seats = json_integer_value(json_object_get(item, "seats"));
        }
    }
    api_free(&r);
    CHECK(block[0] != '\0' && seats < 100);
    char body[64], block_path[128];
    snprintf(body, sizeof(body), "{\"seats\":%lld}", seats + 1);
    snprintf(block_path, sizeof(block_path), "/api/v1/blocks/%s", block);
    const char *headers[] = {staff.auth, NULL};
    struct api_raw_request rq = {"PATCH", block_path, headers, body, strlen(body), false};
    CHECK_INT(api_send_to(&a, &r, &rq), 200);
    api_free(&r);
    long long after = before + 1;
    CHECK_INT(get_on(&a, &r, search_path, NULL, NULL), 200);
    CHECK_INT(seats_left_in(&r, offering), after);
    api_free(&r);
    CHECK(kept_search_follows(seats_are, &after));
}

TEST(a_signed_in_search_is_kept_only_where_it_reads_the_same)
{
    struct user student;
    api_use(&a);
    CHECK(register_student(&student, "cache-student"));
    struct api_response anon, r;
    CHECK_INT(get_on(&b, &anon, search_path, NULL, NULL), 200);
    /* Without eligible=me the reply reads the same for everyone. */
    CHECK_INT(get_on(&b, &r, search_path, student.auth, NULL), 200);
    CHECK_STR(api_header(&r, "etag"), api_header(&anon, "etag"));
    api_free(&r);
    api_free(&anon);
    /* eligible=me depends on who asks: never kept, never served from what is kept. */
    for (int twice = 0; twice < 2; twice++) {
        CHECK_INT(get_on(&b, &r, "/api/v1/offerings?limit=100&eligible=me", NULL, NULL), 401);
        api_free(&r);
        CHECK_INT(get_on(&b, &r, "/api/v1/offerings?limit=100&eligible=me", student.auth, NULL), 200);
        CHECK(api_header(&r, "etag") == NULL);
        api_free(&r);
    }
    /* The page is the student's own (their name, their forms), never the visitors' one. */
    CHECK_INT(get_on(&b, &anon, search_page, NULL, NULL), 200);
    CHECK(anon.body != NULL && strstr(anon.body, "Log out") == NULL);
    CHECK_INT(get_on(&b, &r, search_page, student.cookie, NULL), 200);
    CHECK(api_header(&r, "etag") == NULL);
    CHECK_CONTAINS(r.body, "Log out");
    CHECK_CONTAINS(r.body, student.name);
    api_free(&r);
    CHECK_INT(get_on(&b, &r, search_page, NULL, NULL), 200);
    CHECK_STR(api_header(&r, "etag"), api_header(&anon, "etag"));
    CHECK(r.body != NULL && strstr(r.body, "Log out") == NULL);
    api_free(&r);
    api_free(&anon);
}

/* The search plain (facet filters only) and counted (the same with a tuition
 * ceiling above every price) on srv: true when both answer 200 with the same
 * facet counts and total. */
static bool kept_and_counted_agree(struct api_server *srv, const char *plain, const char *counted)
{
    struct api_response r1, r2;
    long s1 = get_on(srv, &r1, plain, NULL, NULL), s2 = get_on(srv, &r2, counted, NULL, NULL);
    bool same = s1 == 200 && s2 == 200 &&
                json_equal(json_object_get(r1.json, "facets"), json_object_get(r2.json, "facets")) &&
                api_json_int(r1.json, "total", -1) == api_json_int(r2.json, "total", -2);
    api_free(&r1);
    api_free(&r2);
    return same;
}

/* A search with only facet filters sums the counts the index keeps per
 * facet; with any other filter it counts bits: both must agree after the
 * edits, seat changes and unpublishing of the tests before, on both
 * instances. The last of those may still be on its way through an
 * instance's feed (its poll) when the first pair is asked, and land between
 * its two searches: a pair that differs is asked again until the feed has
 * had its time; counts that stay apart fail. */
TEST(facet_counts_kept_by_the_index_agree_with_counting_bits)
{
    const char *filters[] = {"", "&include_full=true", "&kind=observership", "&state=TX&include_full=true"};
    struct api_server *servers[] = {&a, &b};
    for (size_t s = 0; s < 2; s++)
        for (size_t i = 0; i < sizeof(filters) / sizeof(filters[0]); i++) {
            char plain[128], counted[160];
            snprintf(plain, sizeof(plain), "/api/v1/offerings?limit=1%s", filters[i]);
            snprintf(counted, sizeof(counted), "%s&max_tuition=10000000", plain);
            double deadline = api_now_ms() + FEED_WAIT_MS;
            bool agree;
            while (!(agree = kept_and_counted_agree(servers[s], plain, counted)) && api_now_ms() < deadline)
                api_sleep_ms(50);
            CHECK(agree);
            if (!agree)
                printf("# %s and %s disagree on instance %c\n", plain, counted, s == 0 ? 'A' : 'B');
        }
}

static bool setup(void)
{
    const char *seed[] = {"seed", "--offerings", "5", NULL};
    struct api_cli_result res;
    bool ok = api_cli(a.db, seed, NULL, &res) == 0;
    api_cli_free(&res);
    memset(&staff, 0, sizeof(staff));
    api_unique_email(staff.email, sizeof(staff.email), "cache-staff");
    const char *add[] = {"user", "add", "--email", staff.email, "--name", "Cache Staff", "--role", "staff",
                         "--password-stdin", NULL};
    ok = ok && api_cli(a.db, add, PEOPLE_PASSWORD "\n", &res) == 0;
    api_cli_free(&res);
    /* B on A's database (a SQLite file here, or the shared PostgreSQL). */
    ok = ok && api_server_start_beside(&b, &a, NULL);
    ok = ok && login(&staff);
    struct api_response r;
    ok = ok && get_on(&b, &r, "/api/v1/offerings?limit=1", NULL, NULL) == 200;
    json_t *items = ok ? json_object_get(r.json, "items") : NULL;
    const char *id = json_string_value(json_object_get(json_array_get(items, 0), "id"));
    if (id != NULL)
        snprintf(offering, sizeof(offering), "%s", id);
    if (ok)
        api_free(&r);
    return ok && offering[0] != '\0';
}

int main(void)
{
    if (api_server_start(&a, NULL) != 0)
        return 1;
    if (!setup()) {
        printf("set-up failed\n");
        api_server_print_log(&a, 20);
        api_server_print_log(&b, 20);
        api_server_abandon(&b);
        api_server_abandon(&a);
        return 1;
    }
    RUN(offering_has_an_etag_and_answers_304);
    RUN(replies_are_gzipped_when_the_client_takes_it);
    RUN(an_edit_through_one_instance_shows_on_the_other);
    RUN(a_signed_in_page_is_never_kept);
    RUN(search_replies_have_an_etag_and_answer_304);
    RUN(bad_searches_are_400_whatever_is_kept);
    RUN(a_search_shows_an_edit_through_either_instance);
    RUN(a_search_shows_a_seat_change_through_the_other_instance);
    RUN(a_signed_in_search_is_kept_only_where_it_reads_the_same);
    RUN(unpublishing_through_one_instance_hides_it_on_the_other);
    RUN(facet_counts_kept_by_the_index_agree_with_counting_bits);
    if (test_failed) {
        api_server_print_log(&a, 20);
        api_server_print_log(&b, 20);
    }
    CHECK_INT(api_server_stop(&b), 0);
    CHECK_INT(api_server_stop(&a), 0);
    api_server_cleanup(&b);
    api_server_cleanup(&a);
    return test_summary("api_reply_cache");
}
