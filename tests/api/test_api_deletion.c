/* test_api_deletion.c — account deletion requests (issue 18, item 5) against
 * the real binary on SQLite and PostgreSQL (ROUNDS_TEST_DB):
 *
 *   - a student asks (201, due in 30 days), sees it, cannot ask twice, cancels
 *     it; another person's request answers 404; staff and coaches cannot ask;
 *   - a seat held refuses the request (409 deletion_blocked); once withdrawn,
 *     staff complete it: name, email, profile, password, sessions, documents
 *     (their files gone from disk), letters are erased; the old login answers
 *     401, the email opens a new account, the audit trail stays with the
 *     pseudonym and without the old email; `rounds ledger check` passes;
 *     completing twice → 409; a student completing → 404; listing → 403;
 *   - a seat taken after asking holds the erasure back (409 deletion_blocked,
 *     "Waiting" on staff's page) until it is given up;
 *   - the jobs thread erases a request once it is 30 days old (test clock),
 *     not before, and only once — also when two instances on one database
 *     run their jobs at the same moment;
 *   - the pages: the account page's card, the confirmation page, CSRF refused,
 *     ask and cancel by form, staff's page (404 for others). */
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api_client.h"
#include "api_pages.h"
#define PEOPLE_PASSWORD "Copper-Lantern-Meadow-58"
#include "api_rotation_world.h"
#include "api_suite.h"

#define BOUNDARY "rounds-deletion-boundary"

static struct api_server server;
static struct world W;

static long call(struct api_response *r, const struct user *u, const char *method, const char *path, const char *body)
{
    return world_call(r, u, method, path, body);
}

static long long count1(const char *sql, const char *p1)
{
    return api_db_int(W.db, sql, p1, NULL);
}

/* Uploads a small PDF as u: the document's id into id[64]. */
static bool upload(const struct user *u, const char *tag, char id[64])
{
    char body[1024];
    int len = snprintf(body, sizeof(body),
                       "--%s\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\npassport\r\n"
                       "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"passport.pdf\"\r\n"
                       "Content-Type: application/pdf\r\n\r\n%%PDF-1.7\n%% %s %ld\n1 0 obj <<>> endobj\n%%%%EOF\n"
                       "\r\n--%s--\r\n",
                       BOUNDARY, BOUNDARY, tag, (long)getpid(), BOUNDARY);
    const char *headers[] = {u->auth, "Content-Type: multipart/form-data; boundary=" BOUNDARY, NULL};
    struct api_raw_request rq = {"POST", "/api/v1/documents", headers, body, (size_t)len, true};
    struct api_response r;
    long status = api_send(&r, &rq);
    bool ok = status == 201 && api_json_str(r.json, "id") != NULL;
    if (ok)
        snprintf(id, 64, "%s", api_json_str(r.json, "id"));
    else
        TEST_FAILF("upload answered %ld: %.300s", status, r.body);
    api_free(&r);
    return ok;
}

/* The path on disk of a document's sealed file. */
static void document_file(const char *document_id, char *out, size_t size)
{
    char *blob = api_db_text(W.db, "SELECT blob FROM documents WHERE id = $1", document_id, NULL, NULL);
    snprintf(out, size, "%s/data/files/%.2s/%s", server.dir, blob != NULL ? blob : "xx", blob != NULL ? blob : "none");
    free(blob);
}

/* A form POST with the session's cookie; the Location or the page into out. */
static long form_post(const struct user *u, const char *path, const char *form, char *out, size_t size)
{
    const char *headers[] = {u->cookie, "Content-Type: application/x-www-form-urlencoded", NULL};
    struct api_raw_request rq = {"POST", path, headers, form, strlen(form), true};
    struct api_response r;
    long status = api_send(&r, &rq);
    if (out != NULL) {
        const char *where = api_header(&r, "location");
        snprintf(out, size, "%s", where != NULL ? where : (r.body != NULL ? r.body : ""));
    }
    api_free(&r);
    return status;
}

static char *page_as(const struct user *u, const char *path, long *status)
{
    const char *headers[] = {u->cookie, NULL};
    struct api_response r;
    api_request(&r, "GET", path, headers, NULL);
    *status = r.status;
    char *body = strdup(r.body != NULL ? r.body : "");
    api_free(&r);
    return body;
}

TEST(a_student_asks_sees_it_and_cancels)
{
    struct user s, other;
    if (!register_student(&s, "del-ask") || !register_student(&other, "del-other"))
        return;
    struct api_response r;
    call(&r, &s, "GET", "/api/v1/me/deletion-request", NULL);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    call(&r, &s, "POST", "/api/v1/me/deletion-request", "{}");
    CHECK_INT(r.status, 201);
    CHECK_STR(api_json_str(r.json, "state"), "pending");
    char id[64];
    snprintf(id, sizeof(id), "%s", api_json_str(r.json, "id") != NULL ? api_json_str(r.json, "id") : "");
    CHECK(api_json_get(r.json, "user") == NULL); /* the person sees no copy of themselves */
    api_free(&r);
    CHECK_INT(count1("SELECT due_at - requested_at FROM deletion_requests WHERE id = $1", id), 30LL * 86400);
    /* Asking twice; a body with a field. */
    call(&r, &s, "POST", "/api/v1/me/deletion-request", NULL);
    CHECK_PROBLEM(&r, 409, "conflict", NULL);
    api_free(&r);
    call(&r, &s, "POST", "/api/v1/me/deletion-request", "{\"now\":true}");
    CHECK_INT(r.status, 400);
    api_free(&r);
    call(&r, &s, "GET", "/api/v1/me/deletion-request", NULL);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "id"), id);
    CHECK_INT((int)api_json_int(r.json, "age_days", -1), 0);
    api_free(&r);
    /* Another person's request is not there for them; its own person sees it. */
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/deletion-requests/%s", id);
    call(&r, &other, "GET", path, NULL);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    call(&r, &s, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    api_free(&r);
    call(&r, &other, "DELETE", "/api/v1/me/deletion-request", NULL); /* cancels only one's own */
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    call(&r, &other, "GET", "/api/v1/deletion-requests", NULL);
    CHECK_PROBLEM(&r, 403, "forbidden", NULL);
    api_free(&r);
    /* Cancelling. */
    call(&r, &s, "DELETE", "/api/v1/me/deletion-request", NULL);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "state"), "cancelled");
    CHECK(api_json_str(r.json, "cancelled_at") != NULL);
    api_free(&r);
    call(&r, &s, "DELETE", "/api/v1/me/deletion-request", NULL);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    /* Staff cannot complete a cancelled one; the account is untouched. */
    snprintf(path, sizeof(path), "/api/v1/deletion-requests/%s/complete", id);
    call(&r, &W.staff, "POST", path, "{}");
    CHECK_PROBLEM(&r, 409, "conflict", NULL);
    api_free(&r);
    CHECK(login(&s));
    CHECK_INT(count1("SELECT COUNT(*) FROM audit_events WHERE actor_id = $1 AND action = 'deletion_requested'"
                     " AND detail = ''", s.id), 1);
    CHECK_INT(count1("SELECT COUNT(*) FROM audit_events WHERE actor_id = $1 AND action = 'deletion_cancelled'"
                     " AND detail = ''", s.id), 1);
    /* Staff and coaches do not ask. */
    call(&r, &W.staff, "POST", "/api/v1/me/deletion-request", "{}");
    CHECK_PROBLEM(&r, 403, "forbidden", NULL);
    api_free(&r);
    call(&r, &W.coach, "POST", "/api/v1/me/deletion-request", "{}");
    CHECK_PROBLEM(&r, 403, "forbidden", NULL);
    api_free(&r);
    call(&r, NULL, "POST", "/api/v1/me/deletion-request", "{}");
    CHECK_INT(r.status, 401);
    api_free(&r);
    CHECK_INT(count1("SELECT COUNT(*) FROM deletion_requests WHERE user_id = $1", W.staff.id), 0);
}

/* The student with a document, a letter request and an application taken to a held seat. */
static bool busy_student(struct user *s, const char *prefix, char doc[64], char app[64])
{
    if (!register_student(s, prefix))
        return false;
    struct api_response r;
    call(&r, s, "PATCH", "/api/v1/me", "{\"school\":\"Universidad Nacional\",\"country\":\"Peru\"}");
    CHECK_INT(r.status, 200);
    api_free(&r);
    if (!upload(s, prefix, doc))
        return false;
    char letter[64];
    if (!create_object(s, "/api/v1/letters",
                       json_pack("{s:s,s:s,s:b}", "author_name", "Dr. Maria Alvarez", "author_email",
                                 "alvarez@example.org", "waived", 0),
                       letter))
        return false;
    return world_rotation(&W, s, W.offering_a, 60, 28, "offered", app) && steps_act(s, app, "accept");
}

TEST(staff_erase_an_account_and_keep_its_records)
{
    struct user s, again;
    char doc[64], app[64];
    if (!busy_student(&s, "del-busy", doc, app))
        return;
    struct api_response r;
    call(&r, &s, "POST", "/api/v1/me/deletion-request", "{}");
    CHECK_PROBLEM(&r, 409, "deletion_blocked", NULL);
    CHECK_CONTAINS(api_json_str(r.json, "detail"), "seat held");
    api_free(&r);
    CHECK_INT(count1("SELECT COUNT(*) FROM deletion_requests WHERE user_id = $1", s.id), 0);
    if (!steps_act(&s, app, "withdraw"))
        return;
    call(&r, &s, "POST", "/api/v1/me/deletion-request", "{}");
    CHECK_INT(r.status, 201);
    char id[64], path[160];
    snprintf(id, sizeof(id), "%s", api_json_str(r.json, "id") != NULL ? api_json_str(r.json, "id") : "");
    api_free(&r);
    /* Staff's list has it (on one of its pages: other suites' requests may come first), with the person. */
    const char *staff_headers[] = {W.staff.auth, NULL};
    json_t *it = api_list_find(staff_headers, "/api/v1/deletion-requests", "id", id);
    CHECK(it != NULL);
    if (it != NULL) {
        CHECK_STR(json_string_value(json_object_get(json_object_get(it, "user"), "email")), s.email);
        CHECK(json_string_value(json_object_get(it, "due_at")) != NULL);
    }
    json_decref(it);
    call(&r, &W.staff, "GET", "/api/v1/deletion-requests?state=maybe", NULL);
    CHECK_PROBLEM(&r, 400, "invalid_parameter", "state");
    api_free(&r);
    char file[400];
    document_file(doc, file, sizeof(file));
    CHECK(access(file, F_OK) == 0);
    /* Not staff: not there. */
    snprintf(path, sizeof(path), "/api/v1/deletion-requests/%s/complete", id);
    call(&r, &s, "POST", path, "{}");
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    call(&r, &W.staff, "POST", "/api/v1/deletion-requests/del_nope/complete", "{}");
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    call(&r, &W.staff, "POST", path, "{}");
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "state"), "completed");
    CHECK_STR(api_json_str(r.json, "completed_by"), W.staff.id);
    CHECK(strncmp(api_json_str(r.json, "user.email") ? api_json_str(r.json, "user.email") : "", "erased-", 7) == 0);
    CHECK_CONTAINS(api_json_str(r.json, "user.email"), "@erased.invalid");
    api_free(&r);
    call(&r, &W.staff, "POST", path, "{}");
    CHECK_PROBLEM(&r, 409, "conflict", NULL);
    api_free(&r);
    /* What is gone. */
    call(&r, &s, "GET", "/api/v1/me", NULL);
    CHECK_INT(r.status, 401);
    api_free(&r);
    char *text = json_text(json_pack("{s:s,s:s}", "email", s.email, "password", PEOPLE_PASSWORD));
    call(&r, NULL, "POST", "/api/v1/auth/login", text);
    free(text);
    CHECK_PROBLEM(&r, 401, "invalid_credentials", NULL);
    api_free(&r);
    CHECK_INT(count1("SELECT COUNT(*) FROM users WHERE id = $1 AND name LIKE 'Erased account %' AND password_hash = ''"
                     " AND school IS NULL AND country IS NULL AND erased_at IS NOT NULL",
                     s.id), 1);
    CHECK_INT(count1("SELECT COUNT(*) FROM sessions WHERE user_id = $1", s.id), 0);
    CHECK_INT(count1("SELECT COUNT(*) FROM documents WHERE student_id = $1 AND erased_at IS NOT NULL"
                     " AND deleted_at IS NOT NULL AND file_name = ''", s.id), 1);
    CHECK(access(file, F_OK) != 0);
    CHECK_INT(count1("SELECT COUNT(*) FROM letters WHERE student_id = $1 AND erased_at IS NOT NULL", s.id), 1);
    CHECK_INT(count1("SELECT COUNT(*) FROM applications WHERE student_id = $1 AND statement <> ''", s.id), 0);
    /* What is kept: the application, its ledger, the audit trail under the pseudonym. */
    CHECK_INT(count1("SELECT COUNT(*) FROM applications WHERE student_id = $1", s.id), 1);
    CHECK(count1("SELECT COUNT(*) FROM ledger_transactions WHERE application_id = $1", app) > 0);
    CHECK(count1("SELECT COUNT(*) FROM audit_events WHERE actor_id = $1", s.id) > 0);
    CHECK_INT(count1("SELECT COUNT(*) FROM audit_events WHERE action = 'account_erased' AND object_id = $1"
                     " AND detail = 'by=staff'", s.id), 1);
    CHECK_INT(count1("SELECT COUNT(*) FROM audit_events WHERE detail LIKE '%' || $1 || '%'", s.email), 0);
    const char *args[] = {"ledger", "check", NULL};
    struct api_cli_result res;
    CHECK_INT(api_cli(server.db, args, NULL, &res), 0);
    api_cli_free(&res);
    /* The email is free for a new account. */
    memset(&again, 0, sizeof(again));
    snprintf(again.email, sizeof(again.email), "%s", s.email);
    text = json_text(json_pack("{s:s,s:s,s:s}", "email", s.email, "password", PEOPLE_PASSWORD, "name", "New Person"));
    call(&r, NULL, "POST", "/api/v1/auth/register", text);
    free(text);
    CHECK_INT(r.status, 201);
    api_free(&r);
    CHECK(login(&again) && strcmp(again.id, s.id) != 0);
}

TEST(a_seat_taken_after_asking_holds_the_erasure_back)
{
    struct user s;
    if (!register_student(&s, "del-wait"))
        return;
    struct api_response r;
    call(&r, &s, "POST", "/api/v1/me/deletion-request", "{}");
    CHECK_INT(r.status, 201);
    char id[64], path[160], app[64];
    snprintf(id, sizeof(id), "%s", api_json_str(r.json, "id") != NULL ? api_json_str(r.json, "id") : "");
    api_free(&r);
    if (!world_rotation(&W, &s, W.offering_b, 90, 28, "offered", app) || !steps_act(&s, app, "accept"))
        return;
    snprintf(path, sizeof(path), "/api/v1/deletion-requests/%s/complete", id);
    call(&r, &W.staff, "POST", path, "{}");
    CHECK_PROBLEM(&r, 409, "deletion_blocked", NULL);
    api_free(&r);
    long status = 0;
    char *page = page_as(&W.staff, "/staff/deletions", &status);
    CHECK_INT(status, 200);
    CHECK_CONTAINS(page, "Waiting: a rotation is held, booked or under way");
    free(page);
    CHECK_INT(count1("SELECT COUNT(*) FROM deletion_requests WHERE id = $1 AND state = 'pending'", id), 1);
    CHECK_INT(count1("SELECT COUNT(*) FROM users WHERE id = $1 AND erased_at IS NULL", s.id), 1);
    CHECK(login(&s));
    if (!steps_act(&s, app, "withdraw"))
        return;
    call(&r, &W.staff, "POST", path, "{}");
    CHECK_INT(r.status, 200);
    api_free(&r);
    CHECK_INT(count1("SELECT COUNT(*) FROM users WHERE id = $1 AND erased_at IS NOT NULL", s.id), 1);
}

TEST(the_jobs_erase_a_request_once_it_is_30_days_old)
{
    struct user s;
    if (!register_student(&s, "del-due"))
        return;
    struct api_response r;
    call(&r, &s, "POST", "/api/v1/me/deletion-request", "{}");
    CHECK_INT(r.status, 201);
    char id[64];
    snprintf(id, sizeof(id), "%s", api_json_str(r.json, "id") != NULL ? api_json_str(r.json, "id") : "");
    api_free(&r);
    hooks_run_jobs();
    hooks_set_clock_noon(29);
    hooks_run_jobs();
    CHECK_INT(count1("SELECT COUNT(*) FROM deletion_requests WHERE id = $1 AND state = 'pending'", id), 1);
    CHECK_INT(count1("SELECT COUNT(*) FROM users WHERE id = $1 AND erased_at IS NULL", s.id), 1);
    hooks_set_clock_noon(31);
    json_t *report = hooks_jobs();
    CHECK(api_json_int(report, "accounts_erased", 0) >= 1);
    json_decref(report);
    hooks_run_jobs();
    hooks_set_clock(0);
    CHECK(login(&W.staff)); /* the month's jump ended every session */
    CHECK_INT(count1("SELECT COUNT(*) FROM deletion_requests WHERE id = $1 AND state = 'completed'"
                     " AND completed_by IS NULL", id), 1);
    CHECK_INT(count1("SELECT COUNT(*) FROM users WHERE id = $1 AND erased_at IS NOT NULL AND password_hash = ''",
                     s.id), 1);
    CHECK_INT(count1("SELECT COUNT(*) FROM audit_events WHERE action = 'account_erased' AND object_id = $1"
                     " AND actor_id IS NULL AND detail = 'by=schedule'", s.id), 1);
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/deletion-requests/%s", id);
    call(&r, &W.staff, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "completed_by"), "schedule");
    api_free(&r);
}

TEST(the_pages_ask_cancel_and_refuse_without_the_token)
{
    struct user s;
    if (!register_student(&s, "del-page"))
        return;
    long status = 0;
    char *page = page_as(&s, "/account", &status);
    CHECK_INT(status, 200);
    CHECK_CONTAINS(page, "Delete your account");
    CHECK_CONTAINS(page, "href=\"/account/delete\"");
    free(page);
    page = page_as(&s, "/account/delete", &status);
    CHECK_INT(status, 200);
    CHECK_CONTAINS(page, "What is erased");
    CHECK_CONTAINS(page, "What is kept, and why");
    CHECK_CONTAINS(page, "Delete my account");
    free(page);
    char out[4096], form[160];
    /* Without the form's token: refused, nothing asked. */
    CHECK_INT(form_post(&s, "/account/delete", "confirm=1", NULL, 0), 403);
    CHECK_INT(count1("SELECT COUNT(*) FROM deletion_requests WHERE user_id = $1", s.id), 0);
    snprintf(form, sizeof(form), "csrf_token=%s", s.csrf);
    CHECK_INT(form_post(&s, "/account/delete", form, out, sizeof(out)), 303);
    CHECK_CONTAINS(out, "/account?deletion=requested");
    CHECK_INT(count1("SELECT COUNT(*) FROM deletion_requests WHERE user_id = $1 AND state = 'pending'", s.id), 1);
    page = page_as(&s, "/account?deletion=requested", &status);
    CHECK_INT(status, 200);
    CHECK_CONTAINS(page, "You asked to delete your account on");
    CHECK_CONTAINS(page, "Cancel the deletion");
    free(page);
    /* Staff's page lists it; a student gets 404 there and cannot erase by form. */
    page = page_as(&W.staff, "/staff/deletions", &status);
    CHECK_INT(status, 200);
    CHECK_CONTAINS(page, s.email);
    CHECK_CONTAINS(page, "Erase now");
    free(page);
    page = page_as(&s, "/staff/deletions", &status);
    CHECK_INT(status, 404);
    free(page);
    char *id = api_db_text(W.db, "SELECT id FROM deletion_requests WHERE user_id = $1", s.id, NULL, NULL);
    char path[160];
    snprintf(path, sizeof(path), "/staff/deletions/%s/complete", id != NULL ? id : "none");
    free(id);
    CHECK_INT(form_post(&s, path, form, NULL, 0), 404);
    CHECK_INT(form_post(&s, "/account/delete/cancel", "x=1", NULL, 0), 403);
    CHECK_INT(form_post(&s, "/account/delete/cancel", form, out, sizeof(out)), 303);
    CHECK_CONTAINS(out, "/account?deletion=cancelled");
    CHECK_INT(count1("SELECT COUNT(*) FROM deletion_requests WHERE user_id = $1 AND state = 'cancelled'", s.id), 1);
    CHECK_INT(count1("SELECT COUNT(*) FROM users WHERE id = $1 AND erased_at IS NULL", s.id), 1);
}

/* ---- two instances on one database ---- */

static struct api_server second;

struct jobs_call {
    struct api_server *srv;
    long status;
    long long erased;
};

static void *run_jobs_on(void *p)
{
    struct jobs_call *c = p;
    const char *headers[] = {"Content-Type: application/json", NULL};
    struct api_raw_request rq = {"POST", "/api/v1/test/jobs", headers, "{}", 2, true};
    struct api_response r;
    c->status = api_send_to(c->srv, &r, &rq);
    c->erased = api_json_int(r.json, "accounts_erased", -1);
    api_free(&r);
    return NULL;
}

static void clock_on(struct api_server *srv, long long offset)
{
    char body[64];
    int n = snprintf(body, sizeof(body), "{\"offset_seconds\":%lld}", offset);
    const char *headers[] = {"Content-Type: application/json", NULL};
    struct api_raw_request rq = {"POST", "/api/v1/test/clock", headers, body, (size_t)n, true};
    struct api_response r;
    CHECK_INT(api_send_to(srv, &r, &rq), 200);
    api_free(&r);
}

/* A second server on the same database (the SQLite file, or the shared PostgreSQL). */
static bool start_second(void)
{
    static const char *const flags[] = {"--test-hooks", "1", "--jobs-interval-ms", "0", NULL};
    return api_server_start_beside(&second, &server, flags);
}

TEST(two_instances_erase_each_due_request_once)
{
    enum { PEOPLE = 3 };
    struct user s[PEOPLE];
    for (int i = 0; i < PEOPLE; i++) {
        if (!register_student(&s[i], "del-twice"))
            return;
        struct api_response r;
        call(&r, &s[i], "POST", "/api/v1/me/deletion-request", "{}");
        CHECK_INT(r.status, 201);
        api_free(&r);
    }
    if (!start_second()) {
        TEST_FAILF("the second instance did not start");
        return;
    }
    long long offset = 31LL * 86400;
    clock_on(&server, offset);
    clock_on(&second, offset);
    struct jobs_call a = {&server, 0, 0}, b = {&second, 0, 0};
    pthread_t thread;
    CHECK_INT(pthread_create(&thread, NULL, run_jobs_on, &b), 0);
    run_jobs_on(&a);
    pthread_join(thread, NULL);
    CHECK_INT(a.status, 200);
    CHECK_INT(b.status, 200);
    CHECK(a.erased + b.erased >= PEOPLE); /* earlier requests of this suite may be due too */
    clock_on(&server, 0);
    for (int i = 0; i < PEOPLE; i++) {
        CHECK_INT(count1("SELECT COUNT(*) FROM audit_events WHERE action = 'account_erased' AND object_id = $1",
                         s[i].id), 1);
        CHECK_INT(count1("SELECT COUNT(*) FROM deletion_requests WHERE user_id = $1 AND state = 'completed'",
                         s[i].id), 1);
    }
    CHECK_INT(api_server_stop(&second), 0);
    second.db[0] = '\0'; /* its database is the first server's: checked and removed with it */
    api_server_cleanup(&second);
    api_use(&server);
    CHECK(login(&W.staff));
}

/* What the tests need, once the suite's server is up. */
static bool setup(void)
{
    return world_setup(&W, &server, "del");
}

static void run_tests(void)
{
    API_RUN(a_student_asks_sees_it_and_cancels);
    API_RUN(staff_erase_an_account_and_keep_its_records);
    API_RUN(the_pages_ask_cancel_and_refuse_without_the_token);
    API_RUN(a_seat_taken_after_asking_holds_the_erasure_back);
    API_RUN(the_jobs_erase_a_request_once_it_is_30_days_old);
    API_RUN(two_instances_erase_each_due_request_once);
}

static void finish(void)
{
    db_close(W.db);
}

int main(void)
{
    static const char *const flags[] = {"--test-hooks", "1", "--jobs-interval-ms", "0", NULL};
    static const struct api_suite suite = {
        .name = "test_api_deletion", .server = &server, .flags = flags, .setup = setup,
        .setup_what = "world setup failed", .run = run_tests, .finish = finish};
    return api_suite_main(&suite);
}
