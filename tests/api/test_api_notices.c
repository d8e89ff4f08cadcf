/* test_api_notices.c — notifications that do not pile up (issue 12, item 11)
 * against the real `rounds serve`: staff verifying a batch of documents
 * gives the student one notice that counts them and one email; a notice
 * after the window starts a new one; opening a notice marks it read and
 * goes on to what it is about, someone else's answers 404 and stays unread;
 * "mark all read" marks every one, and bad input to it is a 4xx that changes
 * nothing. The server runs with --test-hooks 1 (the clock) and
 * --jobs-interval-ms 0 (the outbox keeps every email). Every test makes its
 * own users, so the suite also runs on a shared PostgreSQL database. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "api_client.h"
#define PEOPLE_PASSWORD "Vivid-Orchard-Kettle-58!"
#include "api_people.h"
#include "api_hooks.h"
#include "api_steps.h"
#include "api_suite.h"
#include "test.h"


static struct api_server server;
static struct db_conn *db;
static struct user staff;

static long call_as(struct api_response *r, const struct user *u, const char *method, const char *path,
                    const char *body)
{
    const char *headers[] = {u != NULL ? u->auth : NULL, NULL};
    return api_request(r, method, path, headers, body);
}

/* A PDF in u's wallet, verified by staff. */
static bool verified_document(const struct user *u)
{
    char id[64], path[160];
    if (!steps_upload_pdf(u, id))
        return false;
    snprintf(path, sizeof(path), "/api/v1/documents/%s/verify", id);
    struct api_response r;
    call_as(&r, &staff, "POST", path, NULL);
    bool ok = r.status == 200;
    if (!ok)
        TEST_FAILF("verifying answered %ld: %.300s", r.status, r.body);
    api_free(&r);
    return ok;
}

static long long rows_of(const struct user *u)
{
    return api_db_int(db, "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = 'document_verified'",
                      u->id, NULL);
}

static long long unread_of(const struct user *u)
{
    return api_db_int(db, "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL", u->id, NULL);
}

static long long verified_emails(const struct user *u)
{
    return api_db_int(db, "SELECT COUNT(*) FROM outbox WHERE to_address = $1 AND kind = 'document_verified'",
                      u->email, NULL);
}

TEST(a_batch_is_one_notice_and_one_email)
{
    struct user s;
    if (!register_student(&s, "notice-batch"))
        return;
    for (int i = 0; i < 5; i++)
        if (!verified_document(&s))
            return;
    CHECK_INT(rows_of(&s), 1);
    CHECK_INT(api_db_int(db, "SELECT notice_count FROM notifications WHERE user_id = $1 AND kind = 'document_verified'",
                         s.id, NULL),
              5);
    CHECK_INT(verified_emails(&s), 1);
    struct api_response r;
    call_as(&r, &s, "GET", "/api/v1/notifications", NULL);
    CHECK_INT(r.status, 200);
    CHECK_INT(api_json_int(r.json, "unread", -1), 1);
    json_t *first = json_array_get(api_json_get(r.json, "items"), 0);
    CHECK_INT(json_integer_value(json_object_get(first, "count")), 5);
    CHECK_STR(json_string_value(json_object_get(first, "kind")), "document_verified");
    api_free(&r);
    /* The page says how many it stands for. */
    const char *page_headers[] = {s.cookie, NULL};
    api_request(&r, "GET", "/notifications", page_headers, NULL);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body, "and 4 more like it");
    CHECK_CONTAINS(r.body, "Mark all as read");
    api_free(&r);

    /* Past the window (or once read), a new one starts. */
    hooks_set_clock(11 * 60);
    bool ok = verified_document(&s);
    hooks_set_clock(0);
    if (!ok)
        return;
    CHECK_INT(rows_of(&s), 2);
    CHECK_INT(verified_emails(&s), 2);
}

TEST(opening_a_notice_marks_it_read_and_goes_on)
{
    struct user s, other;
    if (!register_student(&s, "notice-open") || !register_student(&other, "notice-other") || !verified_document(&s))
        return;
    bool found = false;
    char *id = api_db_text(db, "SELECT id FROM notifications WHERE user_id = $1 AND kind = 'document_verified'",
                           s.id, NULL, &found);
    char *link = api_db_text(db, "SELECT link FROM notifications WHERE user_id = $1 AND kind = 'document_verified'",
                             s.id, NULL, &found);
    CHECK(id != NULL && link != NULL && link[0] == '/');
    if (id == NULL || link == NULL) {
        free(id);
        free(link);
        return;
    }
    char path[160];
    snprintf(path, sizeof(path), "/notifications/%s/open", id);
    /* Someone else's: 404, and it stays unread. */
    const char *other_headers[] = {other.cookie, NULL};
    struct api_response r;
    api_request(&r, "GET", path, other_headers, NULL);
    CHECK_INT(r.status, 404);
    api_free(&r);
    api_request(&r, "GET", "/notifications/n_no_such_one/open", other_headers, NULL);
    CHECK_INT(r.status, 404);
    api_free(&r);
    /* Signed out: to the login, which comes back here. */
    api_request(&r, "GET", path, NULL, NULL);
    CHECK_INT(r.status, 303);
    CHECK_CONTAINS(api_header(&r, "location"), "/login?next=");
    api_free(&r);
    CHECK_INT(unread_of(&s), 1);
    /* Its recipient: read, and on to what it is about. */
    const char *headers[] = {s.cookie, NULL};
    api_request(&r, "GET", path, headers, NULL);
    CHECK_INT(r.status, 303);
    CHECK_STR(api_header(&r, "location"), link);
    api_free(&r);
    CHECK_INT(unread_of(&s), 0);
    free(id);
    free(link);
}

TEST(mark_all_read_and_its_bad_input)
{
    struct user s;
    if (!register_student(&s, "notice-all") || !verified_document(&s))
        return;
    hooks_set_clock(11 * 60);
    bool ok = verified_document(&s);
    hooks_set_clock(0);
    if (!ok)
        return;
    CHECK_INT(unread_of(&s), 2);
    static const struct {
        const char *body;
        const char *code;
    } bad[] = {{"{\"ids\":[\"x\"]}", "unknown_field"}, {"nope", "invalid_json"}, {"[]", NULL}};
    struct api_response r;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        call_as(&r, &s, "POST", "/api/v1/notifications/read-all", bad[i].body);
        CHECK_INT(r.status, 400);
        if (bad[i].code != NULL)
            CHECK_STR(api_json_str(r.json, "code"), bad[i].code);
        api_free(&r);
    }
    api_request(&r, "POST", "/api/v1/notifications/read-all", NULL, NULL);
    CHECK_PROBLEM(&r, 401, "unauthenticated", NULL);
    api_free(&r);
    /* A form without the session's CSRF token changes nothing. */
    const char *form[] = {s.cookie, "Content-Type: application/x-www-form-urlencoded", NULL};
    api_request(&r, "POST", "/notifications/read-all", form, "csrf_token=wrong");
    CHECK_INT(r.status, 403);
    api_free(&r);
    CHECK_INT(unread_of(&s), 2);

    call_as(&r, &s, "POST", "/api/v1/notifications/read-all", "{}");
    CHECK_INT(r.status, 200);
    CHECK_INT(api_json_int(r.json, "marked", -1), 2);
    api_free(&r);
    CHECK_INT(unread_of(&s), 0);
    call_as(&r, &s, "POST", "/api/v1/notifications/read-all", NULL);
    CHECK_INT(r.status, 200);
    CHECK_INT(api_json_int(r.json, "marked", -1), 0);
    api_free(&r);
    /* The page form does the same. */
    if (!verified_document(&s))
        return;
    char body[160];
    snprintf(body, sizeof(body), "csrf_token=%s", s.csrf);
    api_request(&r, "POST", "/notifications/read-all", form, body);
    CHECK_INT(r.status, 303);
    CHECK_STR(api_header(&r, "location"), "/notifications");
    api_free(&r);
    CHECK_INT(unread_of(&s), 0);
}

static bool make_staff(void)
{
    memset(&staff, 0, sizeof(staff));
    api_unique_email(staff.email, sizeof(staff.email), "notices-staff");
    const char *args[] = {"user", "add", "--email", staff.email, "--name", "Staff", "--role", "staff",
                          "--password-stdin", NULL};
    struct api_cli_result res;
    int code = api_cli(server.db, args, PEOPLE_PASSWORD "\n", &res);
    api_cli_free(&res);
    return code == 0 && login(&staff);
}

/* What the tests need, once the suite's server is up. */
static bool setup(void)
{
    db = api_db_open(&server);
    return db != NULL && make_staff();
}

static void run_tests(void)
{
    API_RUN(a_batch_is_one_notice_and_one_email);
    API_RUN(opening_a_notice_marks_it_read_and_goes_on);
    API_RUN(mark_all_read_and_its_bad_input);
}

static void finish(void)
{
    db_close(db);
}

int main(void)
{
    static const char *const flags[] = {"--test-hooks", "1", "--jobs-interval-ms", "0", NULL};
    static const struct api_suite suite = {
        .name = "api-notices", .server = &server, .flags = flags, .setup = setup,
        .setup_what = "setting up staff failed", .run = run_tests, .finish = finish};
    return api_suite_main(&suite);
}
