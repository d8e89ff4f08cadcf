/* test_api_password_reset.c — "Forgot your password?" against the real
 * `rounds serve`: the same answer whether or not the address has an account,
 * the emailed single-use link (only its hash stored), one hour, every
 * session ended on reset, the rate limits, bad input of every kind, and the
 * link's page. Servers run with --test-hooks 1 (the clock) and
 * --jobs-interval-ms 0 (the outbox keeps the email for the test to read).
 * Every test registers its own users, so the suite also runs against a
 * PostgreSQL database that holds other suites' data. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "api_client.h"
#include "api_hooks.h"
#include "api_suite.h"
#include "lib/crypto.h"
#include "test.h"

#define OLD_PASSWORD "Vivid-Orchard-Kettle-58!"
#define NEW_PASSWORD "Quiet-Harbour-Lantern-73?"

static struct api_server main_server, limited_server;
static struct db_conn *db;

struct account {
    char email[160], id[64], token[64], auth[128];
};

static char *json_text(json_t *value)
{
    char *text = json_dumps(value, JSON_COMPACT);
    json_decref(value);
    return text;
}

static long post_json(struct api_response *r, const char *path, json_t *body)
{
    char *text = json_text(body);
    long status = api_request(r, "POST", path, NULL, text);
    free(text);
    return status;
}

static bool register_account(struct account *a, const char *prefix)
{
    memset(a, 0, sizeof(*a));
    api_unique_email(a->email, sizeof(a->email), prefix);
    struct api_response r;
    post_json(&r, "/api/v1/auth/register",
              json_pack("{s:s,s:s,s:s}", "email", a->email, "password", OLD_PASSWORD, "name", "Reset Tester"));
    bool ok = r.status == 201 && api_json_str(r.json, "token") != NULL;
    if (!ok) {
        TEST_FAILF("registering %s answered %ld: %.300s", a->email, r.status, r.body);
    } else {
        snprintf(a->id, sizeof(a->id), "%s", api_json_str(r.json, "user.id"));
        snprintf(a->token, sizeof(a->token), "%s", api_json_str(r.json, "token"));
        snprintf(a->auth, sizeof(a->auth), "Authorization: Bearer %s", a->token);
    }
    api_free(&r);
    return ok;
}

static long ask(struct api_response *r, const char *email)
{
    return post_json(r, "/api/v1/auth/password-reset", json_pack("{s:s}", "email", email));
}

static long confirm(struct api_response *r, const char *token, const char *password)
{
    return post_json(r, "/api/v1/auth/password-reset/confirm",
                     json_pack("{s:s,s:s}", "token", token, "password", password));
}

static long login(const char *email, const char *password)
{
    struct api_response r;
    long status =
        post_json(&r, "/api/v1/auth/login", json_pack("{s:s,s:s}", "email", email, "password", password));
    api_free(&r);
    return status;
}

static long me(const struct account *a)
{
    struct api_response r;
    const char *headers[] = {a->auth, NULL};
    long status = api_request(&r, "GET", "/api/v1/me", headers, NULL);
    api_free(&r);
    return status;
}

static long long emails_to(const char *email)
{
    return api_db_int(db, "SELECT COUNT(*) FROM outbox WHERE to_address = $1 AND kind = 'password_reset'", email, NULL);
}

/* The token of the newest reset link emailed to email, into out ("" when none). */
static void newest_link_token(const char *email, char *out, size_t size)
{
    out[0] = '\0';
    bool found = false;
    char *body = api_db_text(db, "SELECT body FROM outbox WHERE to_address = $1 AND subject = $2 ORDER BY id DESC",
                             email, "Reset your Rounds password", &found);
    const char *at = body != NULL ? strstr(body, "/password-reset/") : NULL;
    if (at != NULL) {
        at += strlen("/password-reset/");
        size_t n = strcspn(at, "\r\n ");
        if (n < size) {
            memcpy(out, at, n);
            out[n] = '\0';
        }
    }
    free(body);
}

TEST(the_answer_is_the_same_whether_or_not_the_address_has_an_account)
{
    struct account a;
    if (!register_account(&a, "reset-same"))
        return;
    char nobody[160];
    api_unique_email(nobody, sizeof(nobody), "reset-nobody");
    struct api_response known, unknown;
    CHECK_INT(ask(&known, a.email), 202);
    CHECK_INT(ask(&unknown, nobody), 202);
    CHECK_STR(known.body, unknown.body);
    CHECK_CONTAINS(known.body, "If an account has this address");
    api_free(&known);
    api_free(&unknown);
    /* Only the account gets an email; nobody's address gets nothing. */
    CHECK_INT(emails_to(a.email), 1);
    CHECK_INT(emails_to(nobody), 0);
    char token[80];
    newest_link_token(a.email, token, sizeof(token));
    CHECK(strlen(token) >= 40);
    /* The database holds the token's hash, never the token. */
    char hash[65];
    crypto_hash_token(token, hash);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM password_resets WHERE token_hash = $1 AND user_id = $2", hash, a.id),
              1);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM password_resets WHERE token_hash = $1", token, NULL), 0);
    /* Upper case finds the same account. */
    char upper[160];
    snprintf(upper, sizeof(upper), "%s", a.email);
    for (char *p = upper; *p != '\0'; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    struct api_response r;
    CHECK_INT(ask(&r, upper), 202);
    api_free(&r);
    CHECK_INT(emails_to(a.email), 2);
}

TEST(the_link_sets_the_password_once_and_ends_every_session)
{
    struct account a, other;
    if (!register_account(&a, "reset-use") || !register_account(&other, "reset-other"))
        return;
    /* A second session of the same account. */
    CHECK_INT(login(a.email, OLD_PASSWORD), 200);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM sessions WHERE user_id = $1", a.id, NULL), 2);
    struct api_response r;
    CHECK_INT(ask(&r, a.email), 202);
    api_free(&r);
    char token[80];
    newest_link_token(a.email, token, sizeof(token));

    /* A weak password is refused and changes nothing. */
    CHECK_INT(confirm(&r, token, "password1234"), 400);
    CHECK_STR(api_json_str(r.json, "code"), "weak_password");
    CHECK_STR(api_json_str(r.json, "field"), "password");
    api_free(&r);
    CHECK_INT(confirm(&r, token, "short"), 400);
    CHECK_STR(api_json_str(r.json, "field"), "password");
    api_free(&r);
    CHECK_INT(me(&a), 200);
    CHECK_INT(login(a.email, OLD_PASSWORD), 200);

    /* The link: 204, every session of the account ends, nobody else's. */
    CHECK_INT(confirm(&r, token, NEW_PASSWORD), 204);
    api_free(&r);
    CHECK_INT(me(&a), 401);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM sessions WHERE user_id = $1", a.id, NULL), 0);
    CHECK_INT(me(&other), 200);
    CHECK_INT(login(a.email, OLD_PASSWORD), 401);
    CHECK_INT(login(a.email, NEW_PASSWORD), 200);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM audit_events WHERE action = 'password.reset' AND actor_id = $1",
                         a.id, NULL),
              1);

    /* Once only. */
    CHECK_INT(confirm(&r, token, "Another-Fresh-Password-91"), 404);
    CHECK_STR(api_json_str(r.json, "code"), "not_found");
    api_free(&r);
    CHECK_INT(login(a.email, NEW_PASSWORD), 200);
}

TEST(using_one_link_ends_the_others)
{
    struct account a;
    if (!register_account(&a, "reset-two"))
        return;
    struct api_response r;
    char first[80], second[80];
    CHECK_INT(ask(&r, a.email), 202);
    api_free(&r);
    newest_link_token(a.email, first, sizeof(first));
    api_sleep_ms(5); /* outbox ids sort by time */
    CHECK_INT(ask(&r, a.email), 202);
    api_free(&r);
    newest_link_token(a.email, second, sizeof(second));
    CHECK(strcmp(first, second) != 0);
    CHECK_INT(confirm(&r, second, NEW_PASSWORD), 204);
    api_free(&r);
    CHECK_INT(confirm(&r, first, "Another-Fresh-Password-91"), 404);
    api_free(&r);
    CHECK_INT(login(a.email, NEW_PASSWORD), 200);
}

TEST(a_link_works_for_one_hour)
{
    struct account a;
    if (!register_account(&a, "reset-hour"))
        return;
    struct api_response r;
    CHECK_INT(ask(&r, a.email), 202);
    api_free(&r);
    char token[80];
    newest_link_token(a.email, token, sizeof(token));
    char path[160];
    snprintf(path, sizeof(path), "/password-reset/%s", token);
    hooks_set_clock(59 * 60);
    CHECK_INT(api_request(&r, "GET", path, NULL, NULL), 200);
    CHECK_CONTAINS(r.body, "Choose a new password");
    api_free(&r);
    hooks_set_clock(61 * 60);
    CHECK_INT(api_request(&r, "GET", path, NULL, NULL), 404);
    CHECK_CONTAINS(r.body, "This link no longer works");
    CHECK_CONTAINS(r.body, "href=\"/password-reset\"");
    api_free(&r);
    CHECK_INT(confirm(&r, token, NEW_PASSWORD), 404);
    api_free(&r);
    hooks_set_clock(0);
    CHECK_INT(login(a.email, OLD_PASSWORD), 200);
}

TEST(bad_input_is_400_and_changes_nothing)
{
    struct api_response r;
    long long resets = api_db_int(db, "SELECT COUNT(*) FROM password_resets", NULL, NULL);
    CHECK_INT(ask(&r, "not-an-email"), 400);
    CHECK_STR(api_json_str(r.json, "field"), "email");
    api_free(&r);
    CHECK_INT(post_json(&r, "/api/v1/auth/password-reset", json_pack("{}")), 400);
    CHECK_STR(api_json_str(r.json, "field"), "email");
    api_free(&r);
    CHECK_INT(post_json(&r, "/api/v1/auth/password-reset", json_pack("{s:s,s:s}", "email", "a@b.test", "x", "y")),
              400);
    CHECK_STR(api_json_str(r.json, "code"), "unknown_field");
    api_free(&r);
    CHECK_INT(post_json(&r, "/api/v1/auth/password-reset", json_pack("{s:i}", "email", 5)), 400);
    api_free(&r);
    CHECK_INT(api_request(&r, "POST", "/api/v1/auth/password-reset", NULL, "{\"email\":"), 400);
    api_free(&r);
    CHECK_INT(confirm(&r, "no-such-token", NEW_PASSWORD), 404);
    api_free(&r);
    CHECK_INT(confirm(&r, "", NEW_PASSWORD), 400);
    api_free(&r);
    char long_token[200];
    memset(long_token, 'a', sizeof(long_token) - 1);
    long_token[sizeof(long_token) - 1] = '\0';
    CHECK_INT(confirm(&r, long_token, NEW_PASSWORD), 400);
    CHECK_STR(api_json_str(r.json, "field"), "token");
    api_free(&r);
    CHECK_INT(post_json(&r, "/api/v1/auth/password-reset/confirm", json_pack("{s:s}", "token", "abc")), 400);
    CHECK_STR(api_json_str(r.json, "field"), "password");
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM password_resets", NULL, NULL), resets);
    /* The pages: an unknown link says so; a path too long is no crash either. */
    CHECK_INT(api_request(&r, "GET", "/password-reset/no-such-token", NULL, NULL), 404);
    CHECK_CONTAINS(r.body, "This link no longer works");
    api_free(&r);
    char path[260];
    snprintf(path, sizeof(path), "/password-reset/%s", long_token);
    CHECK_INT(api_request(&r, "GET", path, NULL, NULL), 404);
    api_free(&r);
}

TEST(asking_is_rate_limited_per_address)
{
    struct account a;
    if (!register_account(&a, "reset-limit"))
        return;
    struct api_response r;
    for (int i = 0; i < 3; i++) {
        CHECK_INT(ask(&r, a.email), 202);
        api_free(&r);
    }
    CHECK_INT(ask(&r, a.email), 429);
    CHECK_STR(api_json_str(r.json, "code"), "rate_limited");
    CHECK(api_header(&r, "retry-after") != NULL);
    api_free(&r);
    CHECK_INT(emails_to(a.email), 3);
    /* The same for an address without an account: nothing tells them apart. */
    char nobody[160];
    api_unique_email(nobody, sizeof(nobody), "reset-limit-nobody");
    for (int i = 0; i < 3; i++) {
        CHECK_INT(ask(&r, nobody), 202);
        api_free(&r);
    }
    CHECK_INT(ask(&r, nobody), 429);
    api_free(&r);
}

TEST(asking_is_rate_limited_per_client_address)
{
    /* --reset-limit-client 2: asks from this address for different emails.
     * On a shared database earlier asks from 127.0.0.1 count too, so the
     * 429 comes at the third ask at the latest, then stays. */
    api_use(&limited_server);
    struct api_response r;
    int first_refused = 0;
    for (int i = 1; i <= 4; i++) {
        char email[160];
        api_unique_email(email, sizeof(email), "reset-client");
        long status = ask(&r, email);
        api_free(&r);
        if (status == 429 && first_refused == 0)
            first_refused = i;
        if (first_refused != 0)
            CHECK_INT(status, 429);
        else
            CHECK_INT(status, 202);
    }
    CHECK(first_refused >= 1 && first_refused <= 3);
    api_use(&main_server);
}

/* What the tests need, once the suite's server is up. */
static bool setup(void)
{
    static const char *const limited_flags[] = {"--reset-limit-client", "2", "--jobs-interval-ms", "0", NULL};
    if (api_server_start(&limited_server, limited_flags) != 0)
        return false;
    api_use(&main_server);
    db = api_db_open(&main_server);
    return db != NULL;
}

static void run_tests(void)
{
    API_RUN(the_answer_is_the_same_whether_or_not_the_address_has_an_account);
    API_RUN(the_link_sets_the_password_once_and_ends_every_session);
    API_RUN(using_one_link_ends_the_others);
    API_RUN(a_link_works_for_one_hour);
    API_RUN(bad_input_is_400_and_changes_nothing);
    API_RUN(asking_is_rate_limited_per_address);
    API_RUN(asking_is_rate_limited_per_client_address);
}

static void finish(void)
{
    db_close(db);
    CHECK_INT(api_server_stop(&limited_server), 0);
    api_server_cleanup(&limited_server);
}

int main(void)
{
    /* Asks from 127.0.0.1 add up across suites on a shared database. */
    static const char *const flags[] = {"--test-hooks", "1", "--jobs-interval-ms", "0", "--reset-limit-client",
                                        "1000000", NULL};
    static const struct api_suite suite = {
        .name = "api-password-reset", .server = &main_server, .flags = flags, .setup = setup,
        .setup_what = "starting the server with a small reset limit or opening the database failed",
        .run = run_tests, .finish = finish};
    return api_suite_main(&suite);
}
