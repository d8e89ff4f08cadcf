/* test_api_confirm.c — email confirmation against the real `rounds serve`:
 * registration emails a single-use link (only its hash stored), applying and
 * joining a waitlist wait for it (403 email_unconfirmed, nothing written),
 * the address gets no other email meanwhile, the link confirms once and a
 * welcome email follows, links expire after 7 days, "send the link again" is
 * limited, accounts made by the CLI are confirmed, a password reset proves
 * the address too, and bad input of every kind is a 4xx that changes nothing.
 * The server runs with --test-hooks 1 (the clock) and --jobs-interval-ms 0
 * (the outbox keeps every email for the test to read). Every test registers
 * its own users, so the suite also runs on a PostgreSQL database shared with
 * other suites. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "api_client.h"
#define PEOPLE_PASSWORD "Vivid-Orchard-Kettle-58!"
#include "api_people.h"
#include "api_hooks.h"
#include "api_steps.h"
#include "api_suite.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "store/store.h"
#include "test.h"

#define CONFIRM_SUBJECT "Confirm your email address for Rounds"
#define WELCOME_SUBJECT "Welcome to Rounds: what to do next"

static struct api_server server;
static struct db_conn *db;
static struct user staff;
static char offering[64], block[64];

static long call_as(struct api_response *r, const struct user *u, const char *method, const char *path,
                    const char *body)
{
    const char *headers[] = {u != NULL ? u->auth : NULL, NULL};
    return api_request(r, method, path, headers, body);
}

static long long emails(const char *to, const char *subject)
{
    return api_db_int(db, "SELECT COUNT(*) FROM outbox WHERE to_address = $1 AND subject = $2", to, subject);
}

static long long all_emails(const char *to)
{
    return api_db_int(db, "SELECT COUNT(*) FROM outbox WHERE to_address = $1", to, NULL);
}

/* The token of the newest confirmation link emailed to email, into out[64] ("" when none). */
static void newest_link(const char *email, char *out)
{
    out[0] = '\0';
    bool found = false;
    char *body = api_db_text(db, "SELECT body FROM outbox WHERE to_address = $1 AND subject = $2 ORDER BY id DESC",
                             email, CONFIRM_SUBJECT, &found);
    const char *at = body != NULL ? strstr(body, "/confirm/") : NULL;
    if (at != NULL) {
        at += strlen("/confirm/");
        size_t n = strcspn(at, "\r\n ");
        if (n < 64) {
            memcpy(out, at, n);
            out[n] = '\0';
        }
    }
    free(body);
}

static long confirm_with(struct api_response *r, const char *token)
{
    char *body = json_text(json_pack("{s:s}", "token", token));
    long status = api_request(r, "POST", "/api/v1/auth/confirm", NULL, body);
    free(body);
    return status;
}

static bool confirmed_in_db(const struct user *u)
{
    return api_db_int(db, "SELECT COUNT(*) FROM users WHERE id = $1 AND email_confirmed_at IS NOT NULL", u->id,
                      NULL) == 1;
}

static long apply(struct api_response *r, const struct user *u)
{
    char body[160];
    snprintf(body, sizeof(body), "{\"block_id\":\"%s\",\"statement\":\"Keen to learn\"}", block);
    return call_as(r, u, "POST", "/api/v1/applications", body);
}

static long long applications_of(const struct user *u)
{
    return api_db_int(db, "SELECT COUNT(*) FROM applications WHERE student_id = $1", u->id, NULL);
}

/* ---- tests ---- */

TEST(registering_emails_a_link_and_applying_waits_for_it)
{
    struct user s;
    if (!register_student_unconfirmed(&s, "confirm-new"))
        return;
    struct api_response r;
    call_as(&r, &s, "GET", "/api/v1/me", NULL);
    CHECK_INT(r.status, 200);
    CHECK(json_is_false(api_json_get(r.json, "email_confirmed")));
    api_free(&r);
    CHECK_INT(emails(s.email, CONFIRM_SUBJECT), 1);
    char token[64];
    newest_link(s.email, token);
    CHECK(strlen(token) >= 40);
    /* Only the token's hash is stored. */
    char hash[65];
    crypto_hash_token(token, hash);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM email_confirmations WHERE token_hash = $1 AND user_id = $2", hash,
                         s.id),
              1);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM email_confirmations WHERE token_hash = $1", token, NULL), 0);

    /* Applying and joining a waitlist wait for the confirmation, and write nothing. */
    apply(&r, &s);
    CHECK_PROBLEM(&r, 403, "email_unconfirmed", NULL);
    CHECK_CONTAINS(api_json_str(r.json, "detail"), "confirm your email address");
    api_free(&r);
    char path[128];
    snprintf(path, sizeof(path), "/api/v1/blocks/%s/waitlist", block);
    call_as(&r, &s, "POST", path, NULL);
    CHECK_PROBLEM(&r, 403, "email_unconfirmed", NULL);
    api_free(&r);
    CHECK_INT(applications_of(&s), 0);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM waitlist WHERE student_id = $1", s.id, NULL), 0);
    CHECK(!confirmed_in_db(&s));
}

TEST(the_link_confirms_once_and_a_welcome_follows)
{
    struct user s;
    if (!register_student_unconfirmed(&s, "confirm-link"))
        return;
    char token[64];
    newest_link(s.email, token);
    struct api_response r;
    confirm_with(&r, token);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "user.id"), s.id);
    CHECK(json_is_true(api_json_get(r.json, "user.email_confirmed")));
    CHECK(json_is_true(api_json_get(r.json, "newly_confirmed")));
    api_free(&r);
    CHECK(confirmed_in_db(&s));
    CHECK_INT(emails(s.email, WELCOME_SUBJECT), 1);
    bool found = false;
    char *welcome = api_db_text(db, "SELECT body FROM outbox WHERE to_address = $1 AND subject = $2", s.email,
                                WELCOME_SUBJECT, &found);
    CHECK_CONTAINS(welcome, "/account");
    CHECK_CONTAINS(welcome, "/wallet");
    CHECK_CONTAINS(welcome, "/search");
    free(welcome);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM audit_events WHERE actor_id = $1 AND action = 'email.confirmed'",
                         s.id, NULL),
              1);

    /* Used once: the same link again is 404, and no second welcome. */
    confirm_with(&r, token);
    CHECK_PROBLEM(&r, 404, "not_found", "token");
    api_free(&r);
    CHECK_INT(emails(s.email, WELCOME_SUBJECT), 1);

    /* The session it already had may apply now. */
    apply(&r, &s);
    CHECK_INT(r.status, 201);
    api_free(&r);
    CHECK_INT(applications_of(&s), 1);
}

TEST(an_unconfirmed_address_gets_no_other_email)
{
    struct user s;
    char first[64], second[64];
    if (!register_student_unconfirmed(&s, "confirm-quiet") || !steps_upload_pdf(&s, first) || !steps_upload_pdf(&s, second))
        return;
    struct api_response r;
    char path[128];
    snprintf(path, sizeof(path), "/api/v1/documents/%s/verify", first);
    call_as(&r, &staff, "POST", path, NULL);
    CHECK_INT(r.status, 200);
    api_free(&r);
    /* The notice is in the app; the only email is the confirmation. */
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = 'document_verified'",
                         s.id, NULL),
              1);
    CHECK_INT(all_emails(s.email), 1);

    char token[64];
    newest_link(s.email, token);
    confirm_with(&r, token);
    CHECK_INT(r.status, 200);
    api_free(&r);
    /* A notice of another kind (one of the same kind would join the unread one, unemailed). */
    snprintf(path, sizeof(path), "/api/v1/documents/%s/reject", second);
    call_as(&r, &staff, "POST", path, "{\"reason\":\"The scan is unreadable.\"}");
    CHECK_INT(r.status, 200);
    api_free(&r);
    /* Confirmation, welcome, and now the rejection too. */
    CHECK_INT(all_emails(s.email), 3);
}

TEST(a_link_works_for_seven_days)
{
    struct user s;
    if (!register_student_unconfirmed(&s, "confirm-late"))
        return;
    char token[64];
    newest_link(s.email, token);
    struct api_response r;
    hooks_set_clock(7LL * 24 * 3600 + 60);
    confirm_with(&r, token);
    hooks_set_clock(0);
    CHECK_PROBLEM(&r, 404, "not_found", "token");
    api_free(&r);
    CHECK(!confirmed_in_db(&s));
    hooks_set_clock(7LL * 24 * 3600 - 3600);
    confirm_with(&r, token);
    hooks_set_clock(0);
    CHECK_INT(r.status, 200);
    api_free(&r);
    CHECK(confirmed_in_db(&s));
}

TEST(bad_input_is_4xx_and_changes_nothing)
{
    struct user s;
    if (!register_student_unconfirmed(&s, "confirm-bad"))
        return;
    char long_token[80];
    memset(long_token, 'a', sizeof(long_token) - 1);
    long_token[sizeof(long_token) - 1] = '\0';
    static const struct {
        const char *body;
        long status;
        const char *code, *field;
    } cases[] = {
        {"{}", 400, "validation_failed", "token"},
        {"{\"token\":\"\"}", 400, "validation_failed", "token"},
        {"{\"token\":42}", 400, "validation_failed", "token"},
        {"{\"token\":null}", 400, "validation_failed", "token"},
        {"{\"token\":\"abc\",\"user_id\":\"u_1\"}", 400, "unknown_field", "user_id"},
        {"{\"token\":\"abc\"", 400, "invalid_json", NULL},
        {"[\"abc\"]", 400, NULL, NULL},
        {"{\"token\":\"abc\",\"token\":\"def\"}", 400, NULL, NULL},
        {"{\"token\":\"no-such-link-at-all\"}", 404, "not_found", "token"},
    };
    struct api_response r;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        api_request(&r, "POST", "/api/v1/auth/confirm", NULL, cases[i].body);
        if (cases[i].code != NULL)
            CHECK_PROBLEM(&r, cases[i].status, cases[i].code, cases[i].field);
        else
            CHECK_INT(r.status, cases[i].status);
        api_free(&r);
    }
    confirm_with(&r, long_token);
    CHECK_PROBLEM(&r, 400, "validation_failed", "token");
    api_free(&r);
    const char *plain[] = {"Content-Type: text/plain", NULL};
    api_request(&r, "POST", "/api/v1/auth/confirm", plain, "token=abc");
    CHECK_INT(r.status, 415);
    api_free(&r);
    api_request(&r, "GET", "/api/v1/auth/confirm", NULL, NULL);
    CHECK_INT(r.status, 405);
    api_free(&r);
    /* The page of an unknown link is a 404 page, a known one a button. */
    api_request(&r, "GET", "/confirm/no-such-link-at-all", NULL, NULL);
    CHECK_INT(r.status, 404);
    CHECK_CONTAINS(r.body, "This link no longer works");
    api_free(&r);
    char token[64], path[128];
    newest_link(s.email, token);
    snprintf(path, sizeof(path), "/confirm/%s", token);
    api_request(&r, "GET", path, NULL, NULL);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body, "Confirm my email address");
    api_free(&r);
    /* Nothing above confirmed anything, and the logs never show a link. */
    CHECK(!confirmed_in_db(&s));
    char *log = api_read_file(server.log_path, NULL);
    CHECK(log != NULL && strstr(log, token) == NULL && strstr(log, "path=/confirm/{token}") != NULL);
    free(log);
}

TEST(sending_the_link_again_is_limited)
{
    struct user s;
    if (!register_student_unconfirmed(&s, "confirm-again"))
        return;
    char first[64];
    newest_link(s.email, first);
    struct api_response r;
    api_request(&r, "POST", "/api/v1/auth/confirm/resend", NULL, NULL);
    CHECK_PROBLEM(&r, 401, "unauthenticated", NULL);
    api_free(&r);
    for (int i = 0; i < 2; i++) {
        call_as(&r, &s, "POST", "/api/v1/auth/confirm/resend", NULL);
        CHECK_INT(r.status, 202);
        CHECK_STR(api_json_str(r.json, "email"), s.email);
        api_free(&r);
        api_sleep_ms(5); /* outbox ids sort by time */
    }
    CHECK_INT(emails(s.email, CONFIRM_SUBJECT), 3);
    /* The registration's and two more: the fourth in an hour is refused, and sends nothing. */
    call_as(&r, &s, "POST", "/api/v1/auth/confirm/resend", NULL);
    CHECK_PROBLEM(&r, 429, "rate_limited", NULL);
    CHECK(api_header(&r, "retry-after") != NULL);
    api_free(&r);
    CHECK_INT(emails(s.email, CONFIRM_SUBJECT), 3);
    /* Any of them works; using one ends the others. */
    char newest[64];
    newest_link(s.email, newest);
    CHECK(strcmp(first, newest) != 0);
    confirm_with(&r, first);
    CHECK_INT(r.status, 200);
    api_free(&r);
    confirm_with(&r, newest);
    CHECK_PROBLEM(&r, 404, "not_found", "token");
    api_free(&r);
    /* Confirmed: there is nothing to send again. */
    call_as(&r, &s, "POST", "/api/v1/auth/confirm/resend", NULL);
    CHECK_PROBLEM(&r, 409, "conflict", NULL);
    api_free(&r);
    CHECK_INT(emails(s.email, CONFIRM_SUBJECT), 3);
}

TEST(accounts_made_by_staff_and_the_cli_are_confirmed)
{
    struct api_response r;
    call_as(&r, &staff, "GET", "/api/v1/me", NULL);
    CHECK(json_is_true(api_json_get(r.json, "email_confirmed")));
    api_free(&r);
    CHECK_INT(emails(staff.email, CONFIRM_SUBJECT), 0);
    char email[160];
    api_unique_email(email, sizeof(email), "confirm-by-staff");
    char *body = json_text(json_pack("{s:s,s:s,s:s,s:s}", "email", email, "name", "Dr. Made By Staff", "password",
                                     PEOPLE_PASSWORD, "role", "coach"));
    call_as(&r, &staff, "POST", "/api/v1/users", body);
    free(body);
    CHECK_INT(r.status, 201);
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM users WHERE email = $1 AND email_confirmed_at IS NOT NULL", email,
                         NULL),
              1);
    CHECK_INT(emails(email, CONFIRM_SUBJECT), 0);
}

TEST(a_password_reset_link_confirms_the_address_too)
{
    struct user s;
    if (!register_student_unconfirmed(&s, "confirm-reset"))
        return;
    struct api_response r;
    char *body = json_text(json_pack("{s:s}", "email", s.email));
    api_request(&r, "POST", "/api/v1/auth/password-reset", NULL, body);
    free(body);
    CHECK_INT(r.status, 202);
    api_free(&r);
    /* Asked for at this address: it goes, confirmed or not. */
    bool found = false;
    char *mail = api_db_text(db, "SELECT body FROM outbox WHERE to_address = $1 AND subject = $2", s.email,
                             "Reset your Rounds password", &found);
    const char *at = mail != NULL ? strstr(mail, "/password-reset/") : NULL;
    CHECK(at != NULL);
    char token[64] = "";
    if (at != NULL) {
        at += strlen("/password-reset/");
        size_t n = strcspn(at, "\r\n ");
        if (n < sizeof(token)) {
            memcpy(token, at, n);
            token[n] = '\0';
        }
    }
    free(mail);
    body = json_text(json_pack("{s:s,s:s}", "token", token, "password", "Quiet-Harbour-Lantern-73?"));
    api_request(&r, "POST", "/api/v1/auth/password-reset/confirm", NULL, body);
    free(body);
    CHECK_INT(r.status, 204);
    api_free(&r);
    CHECK(confirmed_in_db(&s));
}

/* ---- the catalog: one seeded offering any student may apply for, with an open block ---- */

static bool setup_catalog(void)
{
    const char *seed[] = {"seed", "--offerings", "3", NULL};
    struct api_cli_result res;
    bool ok = api_cli(server.db, seed, NULL, &res) == 0;
    api_cli_free(&res);
    struct arena arena;
    arena_heap_init(&arena);
    struct store_offering *list;
    size_t count = 0;
    ok = ok && store_offerings_list(db, &arena, NULL, NULL, NULL, 1, &list, &count) == DB_OK && count == 1;
    if (ok) {
        struct store_offering o = list[0];
        o.students_allowed = true;
        o.graduates_allowed = true;
        o.step1_required = false;
        o.english_proof_required = false;
        o.visa_kinds = "";
        o.status = "published";
        o.updated_at = clock_now();
        snprintf(offering, sizeof(offering), "%s", o.id);
        ok = store_offering_update(db, &o) == DB_OK;
    }
    arena_heap_free(&arena);
    char start[11], end[11];
    crypto_random_id("blk_", block, sizeof(block));
    clock_date_from_days(clock_today_days() + 60, start);
    clock_date_from_days(clock_today_days() + 85, end);
    struct store_block b = {block, offering, start, end, 50, 0, clock_now(), 0};
    ok = ok && store_block_insert(db, &b) == DB_OK;
    return ok && store_catalog_changed(db, offering, clock_now()) == DB_OK;
}

static bool make_staff(void)
{
    memset(&staff, 0, sizeof(staff));
    api_unique_email(staff.email, sizeof(staff.email), "confirm-staff");
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
    if (db == NULL || !setup_catalog() || !make_staff())
        return false;
    api_sleep_ms(1500); /* the index follows the catalog's changes */
    return true;
}

static void run_tests(void)
{
    API_RUN(registering_emails_a_link_and_applying_waits_for_it);
    API_RUN(the_link_confirms_once_and_a_welcome_follows);
    API_RUN(an_unconfirmed_address_gets_no_other_email);
    API_RUN(a_link_works_for_seven_days);
    API_RUN(bad_input_is_4xx_and_changes_nothing);
    API_RUN(sending_the_link_again_is_limited);
    API_RUN(accounts_made_by_staff_and_the_cli_are_confirmed);
    API_RUN(a_password_reset_link_confirms_the_address_too);
}

static void finish(void)
{
    db_close(db);
}

int main(void)
{
    static const char *const flags[] = {"--test-hooks", "1", "--jobs-interval-ms", "0", "--reset-limit-client",
                                        "1000000", NULL};
    static const struct api_suite suite = {
        .name = "api-confirm", .server = &server, .flags = flags, .setup = setup,
        .setup_what = "setting up the catalog and staff failed", .run = run_tests, .finish = finish};
    return api_suite_main(&suite);
}
