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
 *   - a signed-in visitor's page is rendered for them, never kept. */
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

    char title[96], patch[160], patch_path[128];
    snprintf(title, sizeof(title), "Retitled Rotation %ld", (long)getpid());
    snprintf(patch, sizeof(patch), "{\"title\":\"%s\"}", title);
    snprintf(patch_path, sizeof(patch_path), "/api/v1/offerings/%s", offering);
    const char *headers[] = {staff.auth, NULL};
    struct api_raw_request rq = {"PATCH", patch_path, headers, patch, strlen(patch), false};
    CHECK_INT(api_send_to(&a, &r, &rq), 200);
    api_free(&r);
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
    double deadline = api_now_ms() + 5000;
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
    const char *shared = getenv("ROUNDS_TEST_DB");
    char *saved = shared != NULL ? strdup(shared) : NULL;
    setenv("ROUNDS_TEST_DB", a.db, 1);
    ok = ok && api_server_start(&b, NULL) == 0;
    if (saved != NULL)
        setenv("ROUNDS_TEST_DB", saved, 1);
    else
        unsetenv("ROUNDS_TEST_DB");
    free(saved);
    api_use(&a);
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
        return 1;
    }
    RUN(offering_has_an_etag_and_answers_304);
    RUN(replies_are_gzipped_when_the_client_takes_it);
    RUN(an_edit_through_one_instance_shows_on_the_other);
    RUN(a_signed_in_page_is_never_kept);
    RUN(unpublishing_through_one_instance_hides_it_on_the_other);
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
