/* test_api_accounts.c — the health, accounts and session API (API.md
 * "Conventions", "Health", "Accounts") against the real `rounds serve`:
 * status codes, problem+json bodies, headers, cookies and CSRF, the database
 * state after each request, the CLI's exit codes, the OpenAPI document and
 * the account pages.
 *
 * One server serves most tests; a second one with small limits
 * (--login-limit-account 3, --max-body 4096) serves the limit tests. Every
 * test registers its own users with unique emails, so the suite also runs
 * against a PostgreSQL database that holds other suites' data. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "api_client.h"
#include "api_suite.h"
#include "domain/vocabulary.h"
#include "http/server.h"
#include "lib/crypto.h"
#include "lib/limits.h"
#include "routes.h"
#include "test.h"

#define STRONG_PASSWORD "Vivid-Orchard-Kettle-58!"

static struct api_server main_server;
static struct db_conn *db; /* the main server's database */

/* ---- helpers ---- */

struct user {
    char email[160], password[600], name[130];
    char id[64], token[64], csrf[64];
    char auth_header[128];   /* "Authorization: Bearer <token>" */
    char cookie_header[128]; /* "Cookie: rounds_session=<token>" */
    char csrf_header[128];   /* "X-CSRF-Token: <csrf>" */
};

static void user_fill_session(struct user *u, const char *token, const char *csrf)
{
    snprintf(u->token, sizeof(u->token), "%s", token != NULL ? token : "");
    snprintf(u->csrf, sizeof(u->csrf), "%s", csrf != NULL ? csrf : "");
    snprintf(u->auth_header, sizeof(u->auth_header), "Authorization: Bearer %s", u->token);
    snprintf(u->cookie_header, sizeof(u->cookie_header), "Cookie: rounds_session=%s", u->token);
    snprintf(u->csrf_header, sizeof(u->csrf_header), "X-CSRF-Token: %s", u->csrf);
}

/* A JSON text from a jansson value (stolen); free() it. */
static char *json_text(json_t *value)
{
    char *text = json_dumps(value, JSON_COMPACT);
    json_decref(value);
    return text;
}

static long post_register(struct api_response *r, const char *email, const char *password, const char *name)
{
    char *body = json_text(json_pack("{s:s,s:s,s:s}", "email", email, "password", password, "name", name));
    long status = api_request(r, "POST", "/api/v1/auth/register", NULL, body);
    free(body);
    return status;
}

static long post_login(struct api_response *r, const char *email, const char *password)
{
    char *body = json_text(json_pack("{s:s,s:s}", "email", email, "password", password));
    long status = api_request(r, "POST", "/api/v1/auth/login", NULL, body);
    free(body);
    return status;
}

/* Registers a fresh student on the current server; false (after a failed check) when that did not work. */
static bool register_user(struct user *u, const char *prefix)
{
    memset(u, 0, sizeof(*u));
    api_unique_email(u->email, sizeof(u->email), prefix);
    snprintf(u->password, sizeof(u->password), "%s", STRONG_PASSWORD);
    snprintf(u->name, sizeof(u->name), "Test %s", prefix);
    struct api_response r;
    post_register(&r, u->email, u->password, u->name);
    bool ok = r.status == 201 && api_json_str(r.json, "token") != NULL && api_json_str(r.json, "user.id") != NULL;
    if (!ok) {
        TEST_FAILF("registering %s answered %ld: %.300s", u->email, r.status, r.body);
    } else {
        snprintf(u->id, sizeof(u->id), "%s", api_json_str(r.json, "user.id"));
        user_fill_session(u, api_json_str(r.json, "token"), api_json_str(r.json, "csrf_token"));
    }
    api_free(&r);
    return ok;
}

/* Logs in u again (a new session); false after a failed check. */
static bool login_user(struct user *u)
{
    struct api_response r;
    post_login(&r, u->email, u->password);
    bool ok = r.status == 200 && api_json_str(r.json, "token") != NULL;
    if (!ok)
        TEST_FAILF("logging in %s answered %ld: %.300s", u->email, r.status, r.body);
    else
        user_fill_session(u, api_json_str(r.json, "token"), api_json_str(r.json, "csrf_token"));
    api_free(&r);
    return ok;
}

static long long users_with_email(const char *email)
{
    return api_db_int(db, "SELECT COUNT(*) FROM users WHERE email = $1", email, NULL);
}

static long long sessions_with_token(struct db_conn *conn, const char *token)
{
    char hash[65];
    crypto_hash_token(token, hash);
    return api_db_int(conn, "SELECT COUNT(*) FROM sessions WHERE token_hash = $1", hash, NULL);
}

/* Every profile column and the name of the user, as one comparable string (heap). */
static char *profile_row(const char *email)
{
    char *row = api_db_text(db,
                            "SELECT COALESCE(school, '~') || '|' || COALESCE(country, '~') || '|' ||"
                            " COALESCE(status, '~') || '|' || COALESCE(CAST(graduation_year AS TEXT), '~') || '|' ||"
                            " COALESCE(visa_kind, '~') || '|' || COALESCE(step1, '~') || '|' ||"
                            " COALESCE(CAST(step2ck_score AS TEXT), '~') || '|' || COALESCE(ecfmg_status, '~') ||"
                            " '|' || COALESCE(english_proof, '~') || '|' || name FROM users WHERE email = $1",
                            email, NULL, NULL);
    return row != NULL ? row : strdup("(no row)");
}

/* PATCH /api/v1/me with a bearer token and body (raw bytes, JSON media type). */
static long patch_me(struct api_response *r, const struct user *u, const char *body)
{
    const char *headers[] = {u->auth_header, NULL};
    return api_request(r, "PATCH", "/api/v1/me", headers, body);
}

/* Sends body to PATCH /api/v1/me as u, expects the problem, and checks that the profile did not change. */
#define CHECK_PATCH_REFUSED(u, body, want_status, want_code, want_field)                                   \
    do {                                                                                                   \
        char *cpr_before_ = profile_row((u)->email);                                                       \
        struct api_response cpr_r_;                                                                        \
        patch_me(&cpr_r_, (u), (body));                                                                    \
        CHECK_PROBLEM(&cpr_r_, (want_status), (want_code), (want_field));                                  \
        char *cpr_after_ = profile_row((u)->email);                                                        \
        CHECK_STR(cpr_after_, cpr_before_);                                                                \
        free(cpr_before_);                                                                                 \
        free(cpr_after_);                                                                                  \
        api_free(&cpr_r_);                                                                                 \
    } while (0)

/* Sends body to the register endpoint for email, expects the problem, and checks that no user was created. */
#define CHECK_REGISTER_REFUSED(email, body, want_status, want_code, want_field)                            \
    do {                                                                                                   \
        struct api_response crr_r_;                                                                        \
        api_request(&crr_r_, "POST", "/api/v1/auth/register", NULL, (body));                               \
        CHECK_PROBLEM(&crr_r_, (want_status), (want_code), (want_field));                                  \
        CHECK_INT(users_with_email(email), 0);                                                             \
        api_free(&crr_r_);                                                                                 \
    } while (0)

static void check_security_headers(const struct api_response *r)
{
    CHECK_CONTAINS(api_header(r, "content-security-policy"), "frame-ancestors 'none'");
    CHECK_STR(api_header(r, "x-content-type-options"), "nosniff");
    CHECK(api_header(r, "referrer-policy") != NULL);
    const char *id = api_header(r, "x-request-id");
    CHECK(id != NULL && id[0] != '\0');
}

/* ---- health and routing ---- */

TEST(healthz_is_ok)
{
    struct api_response r;
    api_request(&r, "GET", "/healthz", NULL, NULL);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(api_header(&r, "content-type"), "application/json");
    CHECK_STR(api_json_str(r.json, "status"), "ok");
    api_free(&r);
}

TEST(readyz_is_ok_when_the_database_answers)
{
    struct api_response r;
    api_request(&r, "GET", "/readyz", NULL, NULL);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "status"), "ok");
    api_free(&r);
}

TEST(unknown_path_is_404_problem)
{
    struct api_response r;
    api_request(&r, "GET", "/api/v1/no-such-thing", NULL, NULL);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
}

TEST(wrong_method_is_405_with_allow)
{
    struct api_response r;
    api_request(&r, "POST", "/healthz", NULL, "{}");
    CHECK_PROBLEM(&r, 405, "method_not_allowed", NULL);
    CHECK_CONTAINS(api_header(&r, "allow"), "GET");
    api_free(&r);

    api_request(&r, "DELETE", "/api/v1/me", NULL, NULL);
    CHECK_INT(r.status, 405);
    CHECK_CONTAINS(api_header(&r, "allow"), "PATCH");
    api_free(&r);
}

TEST(head_healthz_has_no_body)
{
    struct api_response r;
    api_request(&r, "HEAD", "/healthz", NULL, NULL);
    CHECK_INT(r.status, 200);
    CHECK_INT(r.body_len, 0);
    check_security_headers(&r);
    api_free(&r);
}

TEST(security_headers_on_every_reply)
{
    struct api_response r;
    api_request(&r, "GET", "/healthz", NULL, NULL); /* 200 */
    CHECK_INT(r.status, 200);
    check_security_headers(&r);
    api_free(&r);

    api_request(&r, "GET", "/api/v1/nothing-here", NULL, NULL); /* 404 */
    CHECK_INT(r.status, 404);
    check_security_headers(&r);
    api_free(&r);

    api_request(&r, "GET", "/api/v1/me", NULL, NULL); /* 401 */
    CHECK_INT(r.status, 401);
    check_security_headers(&r);
    api_free(&r);

    api_request(&r, "GET", "/no-such-page", NULL, NULL); /* HTML 404 */
    CHECK_INT(r.status, 404);
    check_security_headers(&r);
    api_free(&r);

    api_request(&r, "GET", "/login", NULL, NULL); /* a page */
    CHECK_INT(r.status, 200);
    check_security_headers(&r);
    api_free(&r);

    /* Two replies have different request ids. */
    struct api_response a, b;
    api_request(&a, "GET", "/healthz", NULL, NULL);
    api_request(&b, "GET", "/healthz", NULL, NULL);
    CHECK(api_header(&a, "x-request-id") != NULL && api_header(&b, "x-request-id") != NULL &&
          strcmp(api_header(&a, "x-request-id"), api_header(&b, "x-request-id")) != 0);
    api_free(&a);
    api_free(&b);
}

TEST(authenticated_replies_are_not_cached)
{
    struct user u;
    if (!register_user(&u, "nocache"))
        return;
    struct api_response r;
    const char *headers[] = {u.auth_header, NULL};
    api_request(&r, "GET", "/api/v1/me", headers, NULL);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(api_header(&r, "cache-control"), "no-store");
    check_security_headers(&r);
    api_free(&r);
}

/* ---- registration ---- */

TEST(register_creates_a_signed_in_student)
{
    char email[160];
    api_unique_email(email, sizeof(email), "reg");
    struct api_response r;
    post_register(&r, email, STRONG_PASSWORD, "Amina Diallo");
    CHECK_INT(r.status, 201);
    CHECK_CONTAINS(api_header(&r, "content-type"), "application/json");
    CHECK(api_json_str(r.json, "user.id") != NULL);
    CHECK_STR(api_json_str(r.json, "user.email"), email);
    CHECK_STR(api_json_str(r.json, "user.name"), "Amina Diallo");
    json_t *roles = api_json_get(r.json, "user.roles");
    CHECK(json_is_array(roles) && json_array_size(roles) == 1);
    CHECK_STR(json_string_value(json_array_get(roles, 0)), "student");
    const char *token = api_json_str(r.json, "token");
    CHECK(token != NULL && strlen(token) == 43);
    const char *csrf = api_json_str(r.json, "csrf_token");
    CHECK(csrf != NULL && strlen(csrf) >= 32);
    CHECK(api_json_get(r.json, "password") == NULL && api_json_get(r.json, "user.password_hash") == NULL);
    CHECK_CONTAINS(r.body, "\"user\"");
    /* The session cookie: HttpOnly, SameSite=Lax, carrying the same session. */
    char cookie[128] = "";
    CHECK(api_cookie_value(&r, "rounds_session", cookie, sizeof(cookie)));
    CHECK(token != NULL && strcmp(cookie, token) == 0);
    CHECK(api_cookie_has(&r, "rounds_session", "HttpOnly"));
    CHECK(api_cookie_has(&r, "rounds_session", "SameSite=Lax"));
    CHECK(api_cookie_has(&r, "rounds_session", "Path=/"));
    /* In the database: one user, role student, one session for this token. */
    CHECK_INT(users_with_email(email), 1);
    CHECK_INT(api_db_int(db,
                         "SELECT COUNT(*) FROM user_roles r JOIN users u ON u.id = r.user_id"
                         " WHERE u.email = $1 AND r.role = 'student'",
                         email, NULL),
              1);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.email = $1",
                         email, NULL),
              1);
    if (token != NULL) {
        CHECK_INT(sessions_with_token(db, token), 1);
        /* The token itself is never stored. */
        CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM sessions WHERE token_hash = $1", token, NULL), 0);
    }
    api_free(&r);
}

TEST(register_lower_cases_the_email_and_hashes_the_password)
{
    char email[160], mixed[160];
    api_unique_email(email, sizeof(email), "mixedcase");
    snprintf(mixed, sizeof(mixed), "%s", email);
    for (char *p = mixed; *p != '\0' && *p != '@'; p++)
        if (*p >= 'a' && *p <= 'z' && (p - mixed) % 2 == 0)
            *p = (char)(*p - 'a' + 'A');
    mixed[strlen(mixed) - 4] = 'T'; /* ".test" → ".Test" */
    struct api_response r;
    post_register(&r, mixed, STRONG_PASSWORD, "Mixed Case");
    CHECK_INT(r.status, 201);
    CHECK_STR(api_json_str(r.json, "user.email"), email);
    api_free(&r);
    CHECK_INT(users_with_email(email), 1);
    CHECK_INT(users_with_email(mixed), 0);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM users WHERE email = $1 AND password_hash LIKE '$argon2id$%'",
                         email, NULL),
              1);
    char *hash = api_db_text(db, "SELECT password_hash FROM users WHERE email = $1", email, NULL, NULL);
    CHECK(hash != NULL && strstr(hash, STRONG_PASSWORD) == NULL && strstr(hash, "Orchard") == NULL);
    free(hash);
}

TEST(register_duplicate_email_is_409)
{
    struct user u;
    if (!register_user(&u, "dup"))
        return;
    struct api_response r;
    post_register(&r, u.email, "Another-Fine-Passphrase-71", "Someone Else");
    CHECK_PROBLEM(&r, 409, "email_taken", "email");
    api_free(&r);

    char upper[160];
    snprintf(upper, sizeof(upper), "%s", u.email);
    for (char *p = upper; *p != '\0'; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    post_register(&r, upper, "Another-Fine-Passphrase-71", "Someone Else");
    CHECK_PROBLEM(&r, 409, "email_taken", "email");
    api_free(&r);

    CHECK_INT(users_with_email(u.email), 1);
    char *name = api_db_text(db, "SELECT name FROM users WHERE email = $1", u.email, NULL, NULL);
    CHECK_STR(name, u.name);
    free(name);
}

TEST(register_refuses_weak_passwords)
{
    /* A unique address whose local part has no digits: cracklib judges the
     * password around it, and the digits of a pid or a time can form a run
     * ("2345") that makes it "too simplistic" on some runs and not others. */
    char local_email[160];
    {
        char digits[64], letters[64];
        snprintf(digits, sizeof(digits), "%ld%lld", (long)getpid(), (long long)time(NULL));
        size_t n = 0;
        for (; digits[n] != '\0' && n + 1 < sizeof(letters); n++)
            letters[n] = "hmtrwkpbvg"[digits[n] - '0'];
        letters[n] = '\0';
        snprintf(local_email, sizeof(local_email), "zanzibar-%s@example.test", letters);
    }
    /* The email's local part inside the password. */
    char with_local[300];
    snprintf(with_local, sizeof(with_local), "Qz7#%.*s#Vt", (int)(strchr(local_email, '@') - local_email),
             local_email);
    const char *weak[] = {
        "short",                    /* too short */
        "password1234",             /* a common password */
        "sunshine2024!!",           /* a dictionary word with digits and symbols */
        "qwertyuiopasdf",           /* a keyboard run */
        "abcdefghijklmnop",         /* an alphabet run */
        "aaaaaaaaaaaaaaaa",         /* one repeated character */
        "abababababababab",         /* too few different characters */
        "letmeinletmein12",         /* a repeated dictionary word */
        "",                         /* empty */
    };
    for (size_t i = 0; i < sizeof(weak) / sizeof(weak[0]); i++) {
        char email[160];
        api_unique_email(email, sizeof(email), "weak");
        struct api_response r;
        post_register(&r, email, weak[i], "Weak Password");
        if (r.status != 400)
            printf("  password \"%s\" answered %ld\n", weak[i], r.status);
        if (weak[i][0] == '\0')
            CHECK_PROBLEM(&r, 400, "validation_failed", "password"); /* empty fails the field spec */
        else
            CHECK_PROBLEM(&r, 400, "weak_password", "password");
        CHECK_INT(users_with_email(email), 0);
        api_free(&r);
    }
    struct api_response r;
    post_register(&r, local_email, with_local, "Email Inside");
    CHECK_PROBLEM(&r, 400, "weak_password", "password");
    CHECK_INT(users_with_email(local_email), 0);
    api_free(&r);
    /* The same password is fine for another address: it was the email that was refused. */
    char other[160];
    api_unique_email(other, sizeof(other), "elsewhere");
    post_register(&r, other, with_local, "Email Elsewhere");
    CHECK_INT(r.status, 201);
    CHECK_INT(users_with_email(other), 1);
    api_free(&r);
}

/* n code points cycled from a set of 1-, 2- and 3-byte characters. */
static void unicode_password(char *out, size_t size, int n)
{
    static const char *const pieces[] = {"é", "ß", "Ж", "密", "ü", "λ", "ø", "Ω", "ç", "ñ", "й", "码", "ő", "ę", "k", "7"};
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        const char *p = pieces[(i * 7 + i / 16) % 16];
        size_t len = strlen(p);
        if (used + len + 1 > size)
            break;
        memcpy(out + used, p, len + 1);
        used += len;
    }
}

TEST(register_password_length_counts_characters)
{
    char password[600];
    char email[160];
    struct api_response r;

    unicode_password(password, sizeof(password), 128);
    api_unique_email(email, sizeof(email), "uni128");
    post_register(&r, email, password, "Unicode Long");
    CHECK_INT(r.status, 201);
    CHECK_INT(users_with_email(email), 1);
    api_free(&r);
    /* and it logs in with it */
    post_login(&r, email, password);
    CHECK_INT(r.status, 200);
    api_free(&r);

    unicode_password(password, sizeof(password), 129);
    api_unique_email(email, sizeof(email), "uni129");
    post_register(&r, email, password, "Unicode Too Long");
    CHECK_PROBLEM(&r, 400, "weak_password", "password");
    CHECK_INT(users_with_email(email), 0);
    api_free(&r);

    /* 11 characters is one too few; 12 distinct ones are enough. */
    api_unique_email(email, sizeof(email), "eleven");
    post_register(&r, email, "Vx9#kQ2$mZ7", "Eleven");
    CHECK_PROBLEM(&r, 400, "weak_password", "password");
    CHECK_INT(users_with_email(email), 0);
    api_free(&r);
}

TEST(register_refuses_a_long_name)
{
    char email[160], name[200];
    api_unique_email(email, sizeof(email), "longname");
    memset(name, 'n', 121);
    name[121] = '\0';
    struct api_response r;
    post_register(&r, email, STRONG_PASSWORD, name);
    CHECK_PROBLEM(&r, 400, "validation_failed", "name");
    CHECK_INT(users_with_email(email), 0);
    api_free(&r);
    /* 120 is the limit and is fine. */
    name[120] = '\0';
    post_register(&r, email, STRONG_PASSWORD, name);
    CHECK_INT(r.status, 201);
    CHECK_STR(api_json_str(r.json, "user.name"), name);
    api_free(&r);
    /* An empty name is refused too. */
    char other[160];
    api_unique_email(other, sizeof(other), "noname");
    post_register(&r, other, STRONG_PASSWORD, "");
    CHECK_PROBLEM(&r, 400, "validation_failed", "name");
    CHECK_INT(users_with_email(other), 0);
    api_free(&r);
}

TEST(register_refuses_an_invalid_email)
{
    const char *bad[] = {"not-an-email", "two@@example.test", "@example.test", "x@nodot", "sp ace@example.test",
                         "x@example..test"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct api_response r;
        post_register(&r, bad[i], STRONG_PASSWORD, "Bad Email");
        if (r.status != 400)
            printf("  email \"%s\" answered %ld\n", bad[i], r.status);
        CHECK_PROBLEM(&r, 400, "validation_failed", "email");
        CHECK_INT(users_with_email(bad[i]), 0);
        api_free(&r);
    }
}

TEST(register_refuses_a_role_field)
{
    char email[160];
    api_unique_email(email, sizeof(email), "wantstaff");
    char *body = json_text(
        json_pack("{s:s,s:s,s:s,s:s}", "email", email, "password", STRONG_PASSWORD, "name", "Eve", "role", "staff"));
    CHECK_REGISTER_REFUSED(email, body, 400, "unknown_field", "role");
    free(body);
}

TEST(register_missing_field_is_named)
{
    char email[160];
    api_unique_email(email, sizeof(email), "missing");
    char *body = json_text(json_pack("{s:s,s:s}", "email", email, "name", "No Password"));
    CHECK_REGISTER_REFUSED(email, body, 400, "validation_failed", "password");
    free(body);
}

/* ---- login, me, logout ---- */

TEST(login_returns_a_new_session)
{
    struct user u;
    if (!register_user(&u, "login"))
        return;
    char first_token[64];
    snprintf(first_token, sizeof(first_token), "%s", u.token);
    struct api_response r;
    post_login(&r, u.email, u.password);
    CHECK_INT(r.status, 200);
    const char *token = api_json_str(r.json, "token");
    CHECK(token != NULL && strlen(token) == 43);
    CHECK(token != NULL && strcmp(token, first_token) != 0);
    CHECK(api_json_str(r.json, "csrf_token") != NULL);
    CHECK_STR(api_json_str(r.json, "user.email"), u.email);
    CHECK_STR(api_json_str(r.json, "user.id"), u.id);
    CHECK(api_cookie_has(&r, "rounds_session", "HttpOnly"));
    if (token != NULL)
        CHECK_INT(sessions_with_token(db, token), 1);
    api_free(&r);
    /* The email is case-insensitive at login too. */
    char upper[160];
    snprintf(upper, sizeof(upper), "%s", u.email);
    upper[0] = (char)(upper[0] - 'a' + 'A');
    post_login(&r, upper, u.password);
    CHECK_INT(r.status, 200);
    api_free(&r);
}

TEST(login_wrong_password_is_401)
{
    struct user u;
    if (!register_user(&u, "wrongpw"))
        return;
    struct api_response r;
    post_login(&r, u.email, "Not-The-Right-Password-99");
    CHECK_PROBLEM(&r, 401, "invalid_credentials", NULL);
    CHECK(api_json_get(r.json, "token") == NULL);
    CHECK(api_set_cookie(&r, "rounds_session") == NULL);
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM sessions WHERE user_id = $1", u.id, NULL), 1);
}

TEST(login_unknown_email_is_401_with_the_same_code)
{
    char email[160];
    api_unique_email(email, sizeof(email), "nobody");
    struct api_response r;
    post_login(&r, email, STRONG_PASSWORD);
    CHECK_PROBLEM(&r, 401, "invalid_credentials", NULL);
    api_free(&r);
    CHECK_INT(users_with_email(email), 0);
}

TEST(login_malformed_bodies_are_400)
{
    struct api_response r;
    api_request(&r, "POST", "/api/v1/auth/login", NULL, "{\"email\":\"a@b.test\"}");
    CHECK_PROBLEM(&r, 400, "validation_failed", "password");
    api_free(&r);
    api_request(&r, "POST", "/api/v1/auth/login", NULL, "{\"email\":\"a@b.test\",\"password\":\"x\",\"remember\":true}");
    CHECK_PROBLEM(&r, 400, "unknown_field", "remember");
    api_free(&r);
    api_request(&r, "POST", "/api/v1/auth/login", NULL, "{\"email\":42,\"password\":\"x\"}");
    CHECK_PROBLEM(&r, 400, "validation_failed", "email");
    api_free(&r);
}

TEST(me_with_the_token)
{
    struct user u;
    if (!register_user(&u, "me"))
        return;
    struct api_response r;
    const char *headers[] = {u.auth_header, NULL};
    api_request(&r, "GET", "/api/v1/me", headers, NULL);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "name"), u.name);
    CHECK_STR(api_json_str(r.json, "email"), u.email);
    CHECK_STR(api_json_str(r.json, "id"), u.id);
    CHECK(json_is_array(api_json_get(r.json, "roles")));
    CHECK(json_is_array(api_json_get(r.json, "memberships")));
    CHECK(json_is_object(api_json_get(r.json, "profile")));
    api_free(&r);
    /* Without any credentials: 401 unauthenticated. */
    api_request(&r, "GET", "/api/v1/me", NULL, NULL);
    CHECK_PROBLEM(&r, 401, "unauthenticated", NULL);
    api_free(&r);
}

TEST(logout_ends_the_session_at_once)
{
    struct user u;
    if (!register_user(&u, "logout"))
        return;
    CHECK_INT(sessions_with_token(db, u.token), 1);
    struct api_response r;
    const char *headers[] = {u.auth_header, NULL};
    api_request(&r, "POST", "/api/v1/auth/logout", headers, NULL);
    CHECK_INT(r.status, 204);
    CHECK_INT(r.body_len, 0);
    api_free(&r);
    api_request(&r, "GET", "/api/v1/me", headers, NULL);
    CHECK_PROBLEM(&r, 401, "unauthenticated", NULL);
    api_free(&r);
    CHECK_INT(sessions_with_token(db, u.token), 0);
    /* The cookie form of the same token is dead too. */
    const char *cookie[] = {u.cookie_header, NULL};
    api_request(&r, "GET", "/api/v1/me", cookie, NULL);
    CHECK_PROBLEM(&r, 401, "unauthenticated", NULL);
    api_free(&r);
    /* Logging out again needs a session. */
    api_request(&r, "POST", "/api/v1/auth/logout", headers, NULL);
    CHECK_PROBLEM(&r, 401, "unauthenticated", NULL);
    api_free(&r);
}

TEST(logout_only_ends_its_own_session)
{
    struct user u;
    if (!register_user(&u, "twosessions"))
        return;
    struct user second = u;
    if (!login_user(&second))
        return;
    struct api_response r;
    const char *headers[] = {u.auth_header, NULL};
    api_request(&r, "POST", "/api/v1/auth/logout", headers, NULL);
    CHECK_INT(r.status, 204);
    api_free(&r);
    const char *other[] = {second.auth_header, NULL};
    api_request(&r, "GET", "/api/v1/me", other, NULL);
    CHECK_INT(r.status, 200);
    api_free(&r);
    CHECK_INT(sessions_with_token(db, second.token), 1);
}

/* ---- two instances on one database ---- */

/* `rounds serve` on the main server's database (the shared PostgreSQL one, or
 * the main server's SQLite file): a second instance. */
static bool start_second_instance(struct api_server *second)
{
    static const char *const flags[] = {"--jobs-interval-ms", "0", NULL};
    return api_server_start_beside(second, &main_server, flags);
}

/* GET /api/v1/me on the main server, several times (so that each of its event
 * loops answers): every reply has status want and, for 200, the school. */
static void me_on_main_is(const struct user *u, long want, const char *school)
{
    const char *headers[] = {u->auth_header, NULL};
    for (int i = 0; i < 6; i++) {
        struct api_response r;
        api_request(&r, "GET", "/api/v1/me", headers, NULL);
        CHECK_INT(r.status, want);
        if (want == 200 && r.status == 200)
            CHECK_STR(api_json_str(r.json, "profile.school"), school);
        api_free(&r);
    }
}

/* An instance answers from the database as it is now: a sign-out or a profile
 * change made through another instance (another process on the same
 * database), or a role given straight in the database, shows in its very
 * next reply, however often it has just read the same session. */
TEST(another_instance_sees_sign_out_and_changes_at_once)
{
    struct api_server second;
    if (!start_second_instance(&second)) {
        TEST_FAILF("the second instance did not start");
        return;
    }
    struct user u;
    if (!register_user(&u, "twoinst"))
        goto out;
    me_on_main_is(&u, 200, NULL);
    struct api_response r;
    const char *headers[] = {u.auth_header, NULL};
    static const char school[] = "{\"school\":\"Harbour Medical School\"}";
    struct api_raw_request patch = {"PATCH", "/api/v1/me", headers, school, strlen(school), false};
    CHECK_INT(api_send_to(&second, &r, &patch), 200);
    api_free(&r);
    me_on_main_is(&u, 200, "Harbour Medical School");

    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM user_roles WHERE user_id = $1 AND role = 'preceptor'", u.id, NULL), 0);
    struct db_stmt *st = db_prepare(db, "INSERT INTO user_roles (user_id, role) VALUES ($1, 'preceptor')");
    db_bind_text(st, 1, u.id);
    CHECK_INT(db_step(st), DB_DONE);
    db_reset(st);
    for (int i = 0; i < 6; i++) {
        api_request(&r, "GET", "/api/v1/me", headers, NULL);
        CHECK_INT(r.status, 200);
        CHECK_INT(json_array_size(api_json_get(r.json, "roles")), 2);
        api_free(&r);
    }

    struct api_raw_request logout = {"POST", "/api/v1/auth/logout", headers, NULL, 0, false};
    CHECK_INT(api_send_to(&second, &r, &logout), 204);
    api_free(&r);
    me_on_main_is(&u, 401, NULL);
out:
    CHECK_INT(api_server_stop(&second), 0);
    api_server_cleanup(&second);
    api_use(&main_server);
}

/* ---- cookie sessions and CSRF ---- */

TEST(cookie_session_reads_me)
{
    struct user u;
    if (!register_user(&u, "cookie"))
        return;
    struct api_response r;
    const char *headers[] = {u.cookie_header, NULL};
    api_request(&r, "GET", "/api/v1/me", headers, NULL);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "name"), u.name);
    api_free(&r);
}

TEST(cookie_patch_without_csrf_is_403)
{
    struct user u;
    if (!register_user(&u, "nocsrf"))
        return;
    char *before = profile_row(u.email);
    struct api_response r;
    const char *headers[] = {u.cookie_header, NULL};
    api_request(&r, "PATCH", "/api/v1/me", headers, "{\"school\":\"Forged School\"}");
    CHECK_PROBLEM(&r, 403, "csrf_failed", "csrf_token");
    api_free(&r);
    char wrong[128];
    snprintf(wrong, sizeof(wrong), "X-CSRF-Token: %s", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    const char *wrong_headers[] = {u.cookie_header, wrong, NULL};
    api_request(&r, "PATCH", "/api/v1/me", wrong_headers, "{\"school\":\"Forged School\"}");
    CHECK_PROBLEM(&r, 403, "csrf_failed", "csrf_token");
    api_free(&r);
    char *after = profile_row(u.email);
    CHECK_STR(after, before);
    CHECK(strstr(after, "Forged") == NULL);
    free(before);
    free(after);
}

TEST(cookie_patch_with_csrf_is_200)
{
    struct user u;
    if (!register_user(&u, "csrfok"))
        return;
    struct api_response r;
    const char *headers[] = {u.cookie_header, u.csrf_header, NULL};
    api_request(&r, "PATCH", "/api/v1/me", headers, "{\"school\":\"Cairo University\"}");
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "profile.school"), "Cairo University");
    api_free(&r);
    char *school = api_db_text(db, "SELECT school FROM users WHERE email = $1", u.email, NULL, NULL);
    CHECK_STR(school, "Cairo University");
    free(school);
}

/* Browsers send Origin on same-origin POST/PATCH too: the server's own origin
 * (scheme, host and port the client used) must pass. */
TEST(same_origin_header_is_accepted)
{
    struct user u;
    if (!register_user(&u, "sameorigin"))
        return;
    struct api_response r;
    char origin[128];
    snprintf(origin, sizeof(origin), "Origin: %s", main_server.origin);
    const char *with_origin[] = {u.cookie_header, u.csrf_header, origin, NULL};
    api_request(&r, "PATCH", "/api/v1/me", with_origin, "{\"country\":\"Egypt\"}");
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "profile.country"), "Egypt");
    api_free(&r);
    const char *bearer_origin[] = {u.auth_header, origin, NULL};
    api_request(&r, "PATCH", "/api/v1/me", bearer_origin, "{\"country\":\"Chile\"}");
    CHECK_INT(r.status, 200);
    api_free(&r);
    char *country = api_db_text(db, "SELECT country FROM users WHERE email = $1", u.email, NULL, NULL);
    CHECK_STR(country, "Chile");
    free(country);
}

TEST(bearer_patch_needs_no_csrf)
{
    struct user u;
    if (!register_user(&u, "bearer"))
        return;
    struct api_response r;
    patch_me(&r, &u, "{\"country\":\"Nigeria\"}");
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "profile.country"), "Nigeria");
    api_free(&r);
    char *country = api_db_text(db, "SELECT country FROM users WHERE email = $1", u.email, NULL, NULL);
    CHECK_STR(country, "Nigeria");
    free(country);
}

TEST(cross_site_origin_is_403)
{
    struct user u;
    if (!register_user(&u, "crosssite"))
        return;
    struct api_response r;
    const char *headers[] = {u.cookie_header, u.csrf_header, "Origin: https://evil.example", NULL};
    api_request(&r, "POST", "/api/v1/auth/logout", headers, NULL);
    CHECK_PROBLEM(&r, 403, "csrf_failed", NULL);
    api_free(&r);
    CHECK_INT(sessions_with_token(db, u.token), 1);
    char *before = profile_row(u.email);
    api_request(&r, "PATCH", "/api/v1/me", headers, "{\"school\":\"Evil School\"}");
    CHECK_INT(r.status, 403);
    api_free(&r);
    char *after = profile_row(u.email);
    CHECK_STR(after, before);
    free(before);
    free(after);
    /* The session still works. */
    const char *plain[] = {u.cookie_header, NULL};
    api_request(&r, "GET", "/api/v1/me", plain, NULL);
    CHECK_INT(r.status, 200);
    api_free(&r);
}

TEST(cookie_logout_clears_the_cookie)
{
    struct user u;
    if (!register_user(&u, "cookielogout"))
        return;
    struct api_response r;
    const char *headers[] = {u.cookie_header, u.csrf_header, NULL};
    api_request(&r, "POST", "/api/v1/auth/logout", headers, NULL);
    CHECK_INT(r.status, 204);
    char value[64] = "x";
    CHECK(api_cookie_value(&r, "rounds_session", value, sizeof(value)));
    CHECK_STR(value, "");
    CHECK(api_cookie_has(&r, "rounds_session", "Max-Age=0"));
    api_free(&r);
    CHECK_INT(sessions_with_token(db, u.token), 0);
    const char *cookie[] = {u.cookie_header, NULL};
    api_request(&r, "GET", "/api/v1/me", cookie, NULL);
    CHECK_INT(r.status, 401);
    api_free(&r);
}

/* ---- PATCH /api/v1/me ---- */

TEST(patch_me_updates_the_profile)
{
    struct user u;
    if (!register_user(&u, "profile"))
        return;
    struct api_response r;
    patch_me(&r, &u,
             "{\"school\":\"Universidad de Buenos Aires\",\"country\":\"Argentina\",\"status\":\"graduate\","
             "\"graduation_year\":2021,\"visa_kind\":\"b1_b2\",\"step1\":\"passed\",\"step2ck_score\":245,"
             "\"ecfmg_status\":\"in_progress\",\"english_proof\":\"toefl\"}");
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "profile.school"), "Universidad de Buenos Aires");
    CHECK_STR(api_json_str(r.json, "profile.country"), "Argentina");
    CHECK_STR(api_json_str(r.json, "profile.status"), "graduate");
    CHECK_INT(api_json_int(r.json, "profile.graduation_year", -1), 2021);
    CHECK_STR(api_json_str(r.json, "profile.visa_kind"), "b1_b2");
    CHECK_STR(api_json_str(r.json, "profile.step1"), "passed");
    CHECK_INT(api_json_int(r.json, "profile.step2ck_score", -1), 245);
    CHECK_STR(api_json_str(r.json, "profile.ecfmg_status"), "in_progress");
    CHECK_STR(api_json_str(r.json, "profile.english_proof"), "toefl");
    CHECK_STR(api_json_str(r.json, "name"), u.name);
    api_free(&r);
    char *row = profile_row(u.email);
    char want[512];
    snprintf(want, sizeof(want),
             "Universidad de Buenos Aires|Argentina|graduate|2021|b1_b2|passed|245|in_progress|toefl|%s", u.name);
    CHECK_STR(row, want);
    free(row);
    /* GET /me shows the same. */
    const char *headers[] = {u.auth_header, NULL};
    api_request(&r, "GET", "/api/v1/me", headers, NULL);
    CHECK_INT(api_json_int(r.json, "profile.step2ck_score", -1), 245);
    CHECK_STR(api_json_str(r.json, "profile.visa_kind"), "b1_b2");
    api_free(&r);
}

TEST(patch_me_changes_only_the_fields_sent)
{
    struct user u;
    if (!register_user(&u, "partial"))
        return;
    struct api_response r;
    patch_me(&r, &u, "{\"school\":\"Makerere\",\"step2ck_score\":230}");
    CHECK_INT(r.status, 200);
    api_free(&r);
    patch_me(&r, &u, "{\"country\":\"Uganda\"}");
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "profile.school"), "Makerere");
    api_free(&r);
    char *row = profile_row(u.email);
    char want[512];
    snprintf(want, sizeof(want), "Makerere|Uganda|~|~|~|~|230|~|~|%s", u.name);
    CHECK_STR(row, want);
    free(row);
    /* An empty object changes nothing and is fine. */
    patch_me(&r, &u, "{}");
    CHECK_INT(r.status, 200);
    api_free(&r);
    row = profile_row(u.email);
    CHECK_STR(row, want);
    free(row);
}

TEST(patch_me_null_clears)
{
    struct user u;
    if (!register_user(&u, "nulls"))
        return;
    struct api_response r;
    patch_me(&r, &u,
             "{\"school\":\"Manipal\",\"country\":\"India\",\"graduation_year\":2019,\"step2ck_score\":250,"
             "\"visa_kind\":\"j1\"}");
    CHECK_INT(r.status, 200);
    api_free(&r);
    patch_me(&r, &u, "{\"school\":null,\"graduation_year\":null,\"step2ck_score\":null,\"visa_kind\":null}");
    CHECK_INT(r.status, 200);
    CHECK(json_is_null(api_json_get(r.json, "profile.school")));
    CHECK(json_is_null(api_json_get(r.json, "profile.graduation_year")));
    CHECK(json_is_null(api_json_get(r.json, "profile.step2ck_score")));
    CHECK(json_is_null(api_json_get(r.json, "profile.visa_kind")));
    CHECK_STR(api_json_str(r.json, "profile.country"), "India");
    api_free(&r);
    char *row = profile_row(u.email);
    char want[512];
    snprintf(want, sizeof(want), "~|India|~|~|~|~|~|~|~|%s", u.name);
    CHECK_STR(row, want);
    free(row);
}

/* The user's time zone column (or "~"), to check that a refused PATCH changed nothing (heap). */
static char *time_zone_row(const char *email)
{
    char *row = api_db_text(db, "SELECT COALESCE(time_zone, '~') FROM users WHERE email = $1", email, NULL, NULL);
    return row != NULL ? row : strdup("(no row)");
}

TEST(patch_me_time_zone)
{
    struct user u;
    if (!register_user(&u, "zone"))
        return;
    const char *headers[] = {u.auth_header, NULL};
    struct api_response r;
    api_request(&r, "GET", "/api/v1/me", headers, NULL);
    CHECK_INT(r.status, 200);
    CHECK(json_is_null(api_json_get(r.json, "time_zone"))); /* not chosen: the pages write UTC */
    api_free(&r);
    patch_me(&r, &u, "{\"time_zone\":\"Asia/Kolkata\",\"school\":\"AIIMS\"}");
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "time_zone"), "Asia/Kolkata");
    CHECK_STR(api_json_str(r.json, "profile.school"), "AIIMS");
    api_free(&r);
    /* GET /me (a session read, maybe kept from before the change) shows the new zone. */
    api_request(&r, "GET", "/api/v1/me", headers, NULL);
    CHECK_STR(api_json_str(r.json, "time_zone"), "Asia/Kolkata");
    api_free(&r);
    /* Not zones: nothing changes, profile included, and the problem names the field. */
    static const char *const refused[] = {
        "{\"time_zone\":\"Mars/Olympus_Mons\"}",      "{\"time_zone\":\"../../etc/passwd\"}",
        "{\"time_zone\":\"/etc/passwd\"}",            "{\"time_zone\":\"America\"}",
        "{\"time_zone\":\"zone1970.tab\"}",           "{\"time_zone\":\"Asia/Kolkata/..\"}",
        "{\"time_zone\":\"\"}",                       "{\"time_zone\":42}",
        "{\"school\":\"Changed\",\"time_zone\":\"America/New York\"}",
        "{\"time_zone\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}",
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        CHECK_PATCH_REFUSED(&u, refused[i], 400, "validation_failed", "time_zone");
        char *zone = time_zone_row(u.email);
        CHECK_STR(zone, "Asia/Kolkata");
        free(zone);
    }
    patch_me(&r, &u, "{\"time_zone\":\"America/Argentina/Buenos_Aires\"}");
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "time_zone"), "America/Argentina/Buenos_Aires");
    CHECK_STR(api_json_str(r.json, "profile.school"), "AIIMS");
    api_free(&r);
    /* null: back to not chosen. */
    patch_me(&r, &u, "{\"time_zone\":null}");
    CHECK_INT(r.status, 200);
    CHECK(json_is_null(api_json_get(r.json, "time_zone")));
    api_free(&r);
    char *zone = time_zone_row(u.email);
    CHECK_STR(zone, "~");
    free(zone);
}

/* The account page's time zone form: a path or an unknown zone comes back
 * (400) with the error summary and changes nothing; a zone is saved (303)
 * and the page then writes its time in it. */
TEST(account_time_zone_form)
{
    struct user u;
    if (!register_user(&u, "zoneform"))
        return;
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded", u.cookie_header, NULL};
    struct api_response r;
    char body[256];
    static const char *const refused[] = {"..%2F..%2Fetc%2Fpasswd", "Mars%2FOlympus_Mons", "America",
                                          "%2Fetc%2Fpasswd"};
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        snprintf(body, sizeof(body), "csrf_token=%s&time_zone=%s", u.csrf, refused[i]);
        api_request(&r, "POST", "/account/time-zone", headers, body);
        CHECK_INT(r.status, 400);
        CHECK_CONTAINS(r.body, "Your time zone was not saved.");
        CHECK_CONTAINS(r.body, "href=\"#f-time_zone\"");
        api_free(&r);
        char *zone = time_zone_row(u.email);
        CHECK_STR(zone, "~");
        free(zone);
    }
    /* Without the CSRF token: refused too. */
    api_request(&r, "POST", "/account/time-zone", headers, "time_zone=Africa%2FLagos");
    CHECK_INT(r.status, 403);
    api_free(&r);
    snprintf(body, sizeof(body), "csrf_token=%s&time_zone=Africa%%2FLagos", u.csrf);
    api_request(&r, "POST", "/account/time-zone", headers, body);
    CHECK_INT(r.status, 303);
    CHECK_STR(api_header(&r, "location"), "/account?saved=time_zone");
    api_free(&r);
    char *zone = time_zone_row(u.email);
    CHECK_STR(zone, "Africa/Lagos");
    free(zone);
    const char *cookie[] = {u.cookie_header, NULL};
    api_request(&r, "GET", "/account?saved=time_zone", cookie, NULL);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body, "Time zone saved.");
    CHECK_CONTAINS(r.body, "your time zone, Lagos (Nigeria): it is now ");
    CHECK_CONTAINS(r.body, " WAT.");
    CHECK_CONTAINS(r.body, "<option value=\"Africa/Lagos\" selected>");
    api_free(&r);
}

TEST(patch_me_unknown_field_is_named)
{
    struct user u;
    if (!register_user(&u, "unknownfield"))
        return;
    CHECK_PATCH_REFUSED(&u, "{\"nickname\":\"Doc\"}", 400, "unknown_field", "nickname");
    CHECK_PATCH_REFUSED(&u, "{\"school\":\"Valid\",\"email\":\"other@example.test\"}", 400, "unknown_field", "email");
    CHECK_PATCH_REFUSED(&u, "{\"name\":\"Renamed\"}", 400, "unknown_field", "name");
}

TEST(patch_me_wrong_type_is_named)
{
    struct user u;
    if (!register_user(&u, "wrongtype"))
        return;
    CHECK_PATCH_REFUSED(&u, "{\"graduation_year\":\"2020\"}", 400, "validation_failed", "graduation_year");
    CHECK_PATCH_REFUSED(&u, "{\"school\":42}", 400, "validation_failed", "school");
    CHECK_PATCH_REFUSED(&u, "{\"status\":true}", 400, "validation_failed", "status");
    CHECK_PATCH_REFUSED(&u, "{\"step2ck_score\":250.5}", 400, "validation_failed", "step2ck_score");
    CHECK_PATCH_REFUSED(&u, "{\"country\":[\"Peru\"]}", 400, "validation_failed", "country");
    CHECK_PATCH_REFUSED(&u, "{\"country\":{\"name\":\"Peru\"}}", 400, "validation_failed", "country");
}

TEST(patch_me_out_of_range_numbers)
{
    struct user u;
    if (!register_user(&u, "range"))
        return;
    CHECK_PATCH_REFUSED(&u, "{\"graduation_year\":1800}", 400, "validation_failed", "graduation_year");
    CHECK_PATCH_REFUSED(&u, "{\"graduation_year\":2101}", 400, "validation_failed", "graduation_year");
    CHECK_PATCH_REFUSED(&u, "{\"graduation_year\":-2020}", 400, "validation_failed", "graduation_year");
    CHECK_PATCH_REFUSED(&u, "{\"step2ck_score\":301}", 400, "validation_failed", "step2ck_score");
    CHECK_PATCH_REFUSED(&u, "{\"step2ck_score\":0}", 400, "validation_failed", "step2ck_score");
    /* Beyond 64 bits: not a number the server can hold. */
    struct api_response r;
    char *before = profile_row(u.email);
    patch_me(&r, &u, "{\"step2ck_score\":99999999999999999999999}");
    CHECK(r.status == 400);
    CHECK_CONTAINS(api_header(&r, "content-type"), "application/problem+json");
    api_free(&r);
    patch_me(&r, &u, "{\"graduation_year\":1e400}");
    CHECK(r.status == 400);
    api_free(&r);
    char *after = profile_row(u.email);
    CHECK_STR(after, before);
    free(before);
    free(after);
    /* The edges are fine. */
    patch_me(&r, &u, "{\"graduation_year\":1950,\"step2ck_score\":300}");
    CHECK_INT(r.status, 200);
    api_free(&r);
}

TEST(patch_me_bad_enum_is_named)
{
    struct user u;
    if (!register_user(&u, "enum"))
        return;
    CHECK_PATCH_REFUSED(&u, "{\"visa_kind\":\"tourist\"}", 400, "validation_failed", "visa_kind");
    CHECK_PATCH_REFUSED(&u, "{\"status\":\"resident\"}", 400, "validation_failed", "status");
    CHECK_PATCH_REFUSED(&u, "{\"step1\":\"PASSED\"}", 400, "validation_failed", "step1");
    CHECK_PATCH_REFUSED(&u, "{\"ecfmg_status\":\"\"}", 400, "validation_failed", "ecfmg_status");
    CHECK_PATCH_REFUSED(&u, "{\"english_proof\":\"duolingo\"}", 400, "validation_failed", "english_proof");
}

TEST(patch_me_failure_changes_nothing)
{
    struct user u;
    if (!register_user(&u, "atomic"))
        return;
    struct api_response r;
    patch_me(&r, &u, "{\"school\":\"Original\",\"graduation_year\":2020}");
    CHECK_INT(r.status, 200);
    api_free(&r);
    /* A valid field next to an invalid one: neither is applied. */
    CHECK_PATCH_REFUSED(&u, "{\"school\":\"Changed\",\"graduation_year\":3000}", 400, "validation_failed",
                        "graduation_year");
    CHECK_PATCH_REFUSED(&u, "{\"school\":\"Changed\",\"bogus\":1}", 400, "unknown_field", "bogus");
    CHECK_PATCH_REFUSED(&u, "{\"school\":\"Changed\",\"visa_kind\":\"x\"}", 400, "validation_failed", "visa_kind");
    char *school = api_db_text(db, "SELECT school FROM users WHERE email = $1", u.email, NULL, NULL);
    CHECK_STR(school, "Original");
    free(school);
}

/* ---- malformed input (API.md Conventions): a 4xx that changes nothing ---- */

TEST(malformed_bad_json)
{
    struct user u;
    if (!register_user(&u, "badjson"))
        return;
    CHECK_PATCH_REFUSED(&u, "{\"school\":", 400, "invalid_json", NULL);
    CHECK_PATCH_REFUSED(&u, "{school:\"x\"}", 400, "invalid_json", NULL);
    CHECK_PATCH_REFUSED(&u, "{\"school\":\"x\",}", 400, "invalid_json", NULL);
    CHECK_PATCH_REFUSED(&u, "{\"school\":\"x\"} trailing", 400, "invalid_json", NULL);
    char email[160];
    api_unique_email(email, sizeof(email), "badjson-reg");
    char body[400];
    snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\",\"name\":\"X\"", email, STRONG_PASSWORD);
    CHECK_REGISTER_REFUSED(email, body, 400, "invalid_json", NULL);
}

TEST(malformed_json_that_is_not_an_object)
{
    struct user u;
    if (!register_user(&u, "notobject"))
        return;
    CHECK_PATCH_REFUSED(&u, "[{\"school\":\"x\"}]", 400, "invalid_json", NULL);
    CHECK_PATCH_REFUSED(&u, "\"school\"", 400, "invalid_json", NULL);
    CHECK_PATCH_REFUSED(&u, "42", 400, "invalid_json", NULL);
    CHECK_PATCH_REFUSED(&u, "null", 400, "invalid_json", NULL);
    struct api_response r;
    api_request(&r, "POST", "/api/v1/auth/login", NULL, "[]");
    CHECK_PROBLEM(&r, 400, "invalid_json", NULL);
    api_free(&r);
}

TEST(malformed_duplicate_keys)
{
    struct user u;
    if (!register_user(&u, "dupkeys"))
        return;
    CHECK_PATCH_REFUSED(&u, "{\"school\":\"A\",\"school\":\"B\"}", 400, "invalid_json", NULL);
    char email[160];
    api_unique_email(email, sizeof(email), "dupkeys-reg");
    char body[600];
    snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\",\"name\":\"A\",\"name\":\"B\"}", email,
             STRONG_PASSWORD);
    CHECK_REGISTER_REFUSED(email, body, 400, "invalid_json", NULL);
}

TEST(malformed_wrong_types_on_register)
{
    char email[160];
    api_unique_email(email, sizeof(email), "types");
    char body[600];
    snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":12345678901234,\"name\":\"X\"}", email);
    CHECK_REGISTER_REFUSED(email, body, 400, "validation_failed", "password");
    snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\",\"name\":[\"X\"]}", email, STRONG_PASSWORD);
    CHECK_REGISTER_REFUSED(email, body, 400, "validation_failed", "name");
    snprintf(body, sizeof(body), "{\"email\":[\"%s\"],\"password\":\"%s\",\"name\":\"X\"}", email, STRONG_PASSWORD);
    CHECK_REGISTER_REFUSED(email, body, 400, "validation_failed", "email");
    snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":null,\"name\":\"X\"}", email);
    CHECK_REGISTER_REFUSED(email, body, 400, "validation_failed", "password");
}

TEST(malformed_empty_body)
{
    struct user u;
    if (!register_user(&u, "emptybody"))
        return;
    CHECK_PATCH_REFUSED(&u, "", 400, "invalid_json", NULL);
    /* No body and no media type at all. */
    char *before = profile_row(u.email);
    struct api_response r;
    const char *headers[] = {u.auth_header, NULL};
    struct api_raw_request rq = {"PATCH", "/api/v1/me", headers, NULL, 0, true};
    api_send(&r, &rq);
    CHECK_PROBLEM(&r, 400, "invalid_json", NULL);
    api_free(&r);
    char *after = profile_row(u.email);
    CHECK_STR(after, before);
    free(before);
    free(after);
    api_request(&r, "POST", "/api/v1/auth/register", NULL, "");
    CHECK_PROBLEM(&r, 400, "invalid_json", NULL);
    api_free(&r);
}

TEST(malformed_media_types_are_415)
{
    struct user u;
    if (!register_user(&u, "mediatype"))
        return;
    char *before = profile_row(u.email);
    struct api_response r;
    const char *text_plain[] = {u.auth_header, "Content-Type: text/plain", NULL};
    api_request(&r, "PATCH", "/api/v1/me", text_plain, "{\"school\":\"Plain\"}");
    CHECK_PROBLEM(&r, 415, "unsupported_media_type", NULL);
    api_free(&r);
    const char *form[] = {u.auth_header, "Content-Type: application/x-www-form-urlencoded", NULL};
    api_request(&r, "PATCH", "/api/v1/me", form, "school=Form");
    CHECK_PROBLEM(&r, 415, "unsupported_media_type", NULL);
    api_free(&r);
    const char *lookalike[] = {u.auth_header, "Content-Type: application/jsonx", NULL};
    api_request(&r, "PATCH", "/api/v1/me", lookalike, "{\"school\":\"Lookalike\"}");
    CHECK_PROBLEM(&r, 415, "unsupported_media_type", NULL);
    api_free(&r);
    /* A body without any Content-Type. */
    const char *none[] = {u.auth_header, NULL};
    struct api_raw_request rq = {"PATCH", "/api/v1/me", none, "{\"school\":\"None\"}", 17, true};
    api_send(&r, &rq);
    CHECK_PROBLEM(&r, 415, "unsupported_media_type", NULL);
    api_free(&r);
    char *after = profile_row(u.email);
    CHECK_STR(after, before);
    free(before);
    free(after);

    char email[160];
    api_unique_email(email, sizeof(email), "plain-reg");
    char *body = json_text(json_pack("{s:s,s:s,s:s}", "email", email, "password", STRONG_PASSWORD, "name", "P"));
    const char *plain_only[] = {"Content-Type: text/plain; charset=utf-8", NULL};
    api_request(&r, "POST", "/api/v1/auth/register", plain_only, body);
    CHECK_PROBLEM(&r, 415, "unsupported_media_type", NULL);
    CHECK_INT(users_with_email(email), 0);
    api_free(&r);
    /* The media type's parameters and case do not matter. */
    const char *upper[] = {"Content-Type: Application/JSON; charset=UTF-8", NULL};
    api_request(&r, "POST", "/api/v1/auth/register", upper, body);
    CHECK_INT(r.status, 201);
    CHECK_INT(users_with_email(email), 1);
    api_free(&r);
    free(body);
}

/* A JSON register body for email padded with a long name to total bytes. */
static char *padded_register_body(const char *email, size_t total)
{
    char *body = malloc(total + 1);
    if (body == NULL)
        return NULL;
    int head = snprintf(body, total + 1, "{\"email\":\"%s\",\"password\":\"%s\",\"name\":\"", email, STRONG_PASSWORD);
    size_t fill = total - (size_t)head - 2;
    memset(body + head, 'x', fill);
    memcpy(body + head + fill, "\"}", 3);
    return body;
}

TEST(oversize_body_on_a_16k_route_is_413)
{
    char email[160];
    api_unique_email(email, sizeof(email), "big20k");
    char *body = padded_register_body(email, 20 * 1024);
    if (body == NULL)
        return;
    CHECK_REGISTER_REFUSED(email, body, 413, "payload_too_large", NULL);
    free(body);
    /* Also on PATCH /me (16 KiB) with a valid session: nothing changes. */
    struct user u;
    if (!register_user(&u, "big20k-patch"))
        return;
    char *patch = malloc(20 * 1024 + 1);
    if (patch == NULL)
        return;
    int head = snprintf(patch, 64, "{\"school\":\"");
    memset(patch + head, 's', 20 * 1024 - (size_t)head - 2);
    memcpy(patch + 20 * 1024 - 2, "\"}", 3);
    CHECK_PATCH_REFUSED(&u, patch, 413, "payload_too_large", NULL);
    free(patch);
}

TEST(oversize_body_of_2mib_is_413)
{
    char email[160];
    api_unique_email(email, sizeof(email), "big2m");
    char *body = padded_register_body(email, 2 * 1024 * 1024);
    if (body == NULL)
        return;
    struct api_response r;
    api_request(&r, "POST", "/api/v1/auth/register", NULL, body);
    CHECK_INT(r.status, 413);
    CHECK_INT(users_with_email(email), 0);
    api_free(&r);
    free(body);
    /* The server is still fine. */
    api_request(&r, "GET", "/healthz", NULL, NULL);
    CHECK_INT(r.status, 200);
    api_free(&r);
}

/* API.md: errors are problem+json, with the security headers of every reply. */
TEST(oversize_body_of_2mib_is_problem_json)
{
    char email[160];
    api_unique_email(email, sizeof(email), "big2m-problem");
    char *body = padded_register_body(email, 2 * 1024 * 1024);
    if (body == NULL)
        return;
    struct api_response r;
    api_request(&r, "POST", "/api/v1/auth/register", NULL, body);
    CHECK_PROBLEM(&r, 413, "payload_too_large", NULL);
    check_security_headers(&r);
    api_free(&r);
    free(body);
}

TEST(oversize_body_of_10mb_is_413)
{
    struct user u;
    if (!register_user(&u, "big10m"))
        return;
    size_t total = 10 * 1000 * 1000;
    char *body = malloc(total + 1);
    if (body == NULL)
        return;
    int head = snprintf(body, 64, "{\"school\":\"");
    memset(body + head, 's', total - (size_t)head - 2);
    memcpy(body + total - 2, "\"}", 3);
    char *before = profile_row(u.email);
    struct api_response r;
    patch_me(&r, &u, body);
    CHECK_INT(r.status, 413);
    if (r.status == 0)
        printf("  transport error: %s\n", r.error);
    api_free(&r);
    char *after = profile_row(u.email);
    CHECK_STR(after, before);
    free(before);
    free(after);
    free(body);
    api_request(&r, "GET", "/healthz", NULL, NULL);
    CHECK_INT(r.status, 200);
    api_free(&r);
}

/* "X-Padding: ppp…" of `bytes` bytes in all (heap). */
static char *padding_header(size_t bytes)
{
    char *header = malloc(bytes + 1);
    if (header == NULL)
        return NULL;
    memcpy(header, "X-Padding: ", 11);
    memset(header + 11, 'p', bytes - 11);
    header[bytes] = '\0';
    return header;
}

/* Request headers are capped at REQUEST_HEADERS_MAX_BYTES in all: above it a
 * 431 problem before anything acts; below it, as before. */
TEST(oversize_headers_are_431_and_change_nothing)
{
    struct user u;
    if (!register_user(&u, "bighead"))
        return;
    char *over = padding_header(REQUEST_HEADERS_MAX_BYTES + 1);
    char *huge = padding_header(300000); /* h2o alone took this */
    char *under = padding_header(REQUEST_HEADERS_MAX_BYTES - 1024);
    if (over == NULL || huge == NULL || under == NULL)
        goto out;
    /* A registration: no user. */
    char email[160];
    api_unique_email(email, sizeof(email), "bighead-new");
    char *body = json_text(json_pack("{s:s,s:s,s:s}", "email", email, "password", STRONG_PASSWORD, "name", "Big Head"));
    const char *register_headers[] = {over, NULL};
    struct api_response r;
    api_request(&r, "POST", "/api/v1/auth/register", register_headers, body);
    CHECK_PROBLEM(&r, 431, "headers_too_large", NULL);
    CHECK_CONTAINS(api_json_str(r.json, "detail"), LIMIT_TEXT(REQUEST_HEADERS_MAX_BYTES));
    check_security_headers(&r);
    api_free(&r);
    free(body);
    CHECK_INT(users_with_email(email), 0);
    /* A profile change with a valid session: the profile stays as it was. */
    char *before = profile_row(u.email);
    const char *patch_headers[] = {u.auth_header, huge, NULL};
    api_request(&r, "PATCH", "/api/v1/me", patch_headers, "{\"school\":\"Big Head University\"}");
    CHECK_PROBLEM(&r, 431, "headers_too_large", NULL);
    api_free(&r);
    patch_headers[1] = over;
    api_request(&r, "PATCH", "/api/v1/me", patch_headers, "{\"school\":\"Big Head University\"}");
    CHECK_PROBLEM(&r, 431, "headers_too_large", NULL);
    api_free(&r);
    char *after = profile_row(u.email);
    CHECK_STR(after, before);
    free(before);
    free(after);
    /* Under the cap: as before. */
    const char *me_headers[] = {u.auth_header, under, NULL};
    api_request(&r, "GET", "/api/v1/me", me_headers, NULL);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "email"), u.email);
    api_free(&r);
    const char *page_headers[] = {under, NULL};
    api_request(&r, "GET", "/healthz", page_headers, NULL);
    CHECK_INT(r.status, 200);
    api_free(&r);
out:
    free(over);
    free(huge);
    free(under);
}

TEST(malformed_invalid_utf8)
{
    struct user u;
    if (!register_user(&u, "utf8"))
        return;
    CHECK_PATCH_REFUSED(&u, "{\"school\":\"Bad \xff\xfe bytes\"}", 400, "invalid_json", NULL);
    CHECK_PATCH_REFUSED(&u, "{\"school\":\"Overlong \xc0\xaf\"}", 400, "invalid_json", NULL);
    CHECK_PATCH_REFUSED(&u, "{\"school\":\"Surrogate \xed\xa0\x80\"}", 400, "invalid_json", NULL);
    CHECK_PATCH_REFUSED(&u, "{\"school\":\"Cut \xe5\xaf\"}", 400, "invalid_json", NULL);
    /* A lone surrogate escape is not a character either. */
    struct api_response r;
    char *before = profile_row(u.email);
    patch_me(&r, &u, "{\"school\":\"\\ud800\"}");
    CHECK_INT(r.status, 400);
    api_free(&r);
    char *after = profile_row(u.email);
    CHECK_STR(after, before);
    free(before);
    free(after);
    /* Valid UTF-8 is kept as sent. */
    patch_me(&r, &u, "{\"school\":\"Universit\xc3\xa9 de Montr\xc3\xa9\x61l \xe5\x8c\x97\xe4\xba\xac\"}");
    CHECK_INT(r.status, 200);
    api_free(&r);
    char *school = api_db_text(db, "SELECT school FROM users WHERE email = $1", u.email, NULL, NULL);
    CHECK_STR(school, "Universit\xc3\xa9 de Montr\xc3\xa9\x61l \xe5\x8c\x97\xe4\xba\xac");
    free(school);
}

TEST(malformed_nul_and_control_characters)
{
    struct user u;
    if (!register_user(&u, "nul"))
        return;
    char *before = profile_row(u.email);
    struct api_response r;
    patch_me(&r, &u, "{\"school\":\"Harvard\\u0000Evil\"}");
    CHECK_INT(r.status, 400);
    CHECK_CONTAINS(api_header(&r, "content-type"), "application/problem+json");
    api_free(&r);
    patch_me(&r, &u, "{\"school\":\"Line\\nbreak\"}");
    CHECK_PROBLEM(&r, 400, "validation_failed", "school");
    api_free(&r);
    patch_me(&r, &u, "{\"country\":\"Bell\\u0007\"}");
    CHECK_PROBLEM(&r, 400, "validation_failed", "country");
    api_free(&r);
    /* A raw NUL byte in the body. */
    static const char raw_nul[] = "{\"school\":\"A\0B\"}";
    const char *headers[] = {u.auth_header, "Content-Type: application/json", NULL};
    struct api_raw_request rq = {"PATCH", "/api/v1/me", headers, raw_nul, sizeof(raw_nul) - 1, true};
    api_send(&r, &rq);
    CHECK_INT(r.status, 400);
    api_free(&r);
    char *after = profile_row(u.email);
    CHECK_STR(after, before);
    free(before);
    free(after);

    char email[160];
    api_unique_email(email, sizeof(email), "nul-reg");
    char body[400];
    snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\",\"name\":\"Nul\\u0000Name\"}", email,
             STRONG_PASSWORD);
    api_request(&r, "POST", "/api/v1/auth/register", NULL, body);
    CHECK_INT(r.status, 400);
    CHECK_INT(users_with_email(email), 0);
    api_free(&r);
}

TEST(malformed_query_string_is_400)
{
    struct user u;
    if (!register_user(&u, "query"))
        return;
    struct api_response r;
    const char *headers[] = {u.auth_header, NULL};
    api_request(&r, "GET", "/api/v1/me?a=%zz", headers, NULL);
    CHECK_PROBLEM(&r, 400, "bad_request", NULL);
    api_free(&r);
    api_request(&r, "GET", "/api/v1/me?a=%", headers, NULL);
    CHECK_INT(r.status, 400);
    api_free(&r);
}

TEST(unknown_query_parameter_is_400)
{
    struct user u;
    if (!register_user(&u, "queryparam"))
        return;
    struct api_response r;
    const char *headers[] = {u.auth_header, NULL};
    api_request(&r, "GET", "/api/v1/me?verbose=1", headers, NULL);
    CHECK_PROBLEM(&r, 400, "unknown_parameter", "verbose");
    api_free(&r);
}

TEST(garbage_authorization_is_401)
{
    const char *values[] = {"Authorization: Basic dXNlcjpwYXNz", "Authorization: Bearer", "Authorization: Bearer !!!",
                            "Authorization: garbage", "Authorization: Bearer a b c"};
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        struct api_response r;
        const char *headers[] = {values[i], NULL};
        api_request(&r, "GET", "/api/v1/me", headers, NULL);
        if (r.status != 401)
            printf("  \"%s\" answered %ld\n", values[i], r.status);
        CHECK_PROBLEM(&r, 401, "unauthenticated", NULL);
        check_security_headers(&r);
        api_free(&r);
    }
    /* Even on a route that needs no session, a bad token is refused rather than ignored. */
    struct api_response r;
    const char *headers[] = {"Authorization: Bearer not-a-token", NULL};
    api_request(&r, "POST", "/api/v1/auth/login", headers, "{\"email\":\"a@b.test\",\"password\":\"whatever-it-is\"}");
    CHECK_INT(r.status, 401);
    api_free(&r);
}

TEST(unknown_bearer_token_is_401)
{
    char token[44], header[96];
    crypto_random_token(token);
    snprintf(header, sizeof(header), "Authorization: Bearer %s", token);
    struct api_response r;
    const char *headers[] = {header, NULL};
    api_request(&r, "GET", "/api/v1/me", headers, NULL);
    CHECK_PROBLEM(&r, 401, "unauthenticated", NULL);
    api_free(&r);
    /* The same as a cookie: anonymous, and the stale cookie is dropped. */
    char cookie[96];
    snprintf(cookie, sizeof(cookie), "Cookie: rounds_session=%s", token);
    const char *cookie_headers[] = {cookie, NULL};
    api_request(&r, "GET", "/api/v1/me", cookie_headers, NULL);
    CHECK_PROBLEM(&r, 401, "unauthenticated", NULL);
    CHECK(api_cookie_has(&r, "rounds_session", "Max-Age=0"));
    api_free(&r);
}

/* ---- POST /api/v1/users (staff) and the CLI ---- */

/* Creates a user with `rounds user add` on the main server's database. */
static int cli_add_user(const char *email, const char *name, const char *role, const char *password,
                        struct api_cli_result *res)
{
    const char *args[] = {"user", "add", "--email", email, "--name", name, "--role", role, "--password-stdin", NULL};
    char line[700];
    snprintf(line, sizeof(line), "%s\n", password);
    return api_cli(main_server.db, args, line, res);
}

TEST(staff_creates_a_preceptor)
{
    struct user staff;
    memset(&staff, 0, sizeof(staff));
    api_unique_email(staff.email, sizeof(staff.email), "staff");
    snprintf(staff.password, sizeof(staff.password), "%s", "Harbor-Lantern-Quill-204");
    struct api_cli_result res;
    int code = cli_add_user(staff.email, "Staff Member", "staff", staff.password, &res);
    CHECK_INT(code, 0);
    if (code != 0)
        printf("  stderr: %.500s\n", res.err);
    CHECK_CONTAINS(res.out, staff.email);
    api_cli_free(&res);
    CHECK_INT(api_db_int(db,
                         "SELECT COUNT(*) FROM user_roles r JOIN users u ON u.id = r.user_id"
                         " WHERE u.email = $1 AND r.role = 'staff'",
                         staff.email, NULL),
              1);
    if (!login_user(&staff))
        return;

    char email[160];
    api_unique_email(email, sizeof(email), "preceptor");
    char *body = json_text(json_pack("{s:s,s:s,s:s,s:s}", "email", email, "name", "Dr. Grace Okafor", "role",
                                     "preceptor", "password", "Stethoscope-Maple-Ridge-9"));
    struct api_response r;
    const char *headers[] = {staff.auth_header, NULL};
    api_request(&r, "POST", "/api/v1/users", headers, body);
    CHECK_INT(r.status, 201);
    CHECK_STR(api_json_str(r.json, "email"), email);
    CHECK_STR(api_json_str(r.json, "name"), "Dr. Grace Okafor");
    json_t *roles = api_json_get(r.json, "roles");
    CHECK(json_is_array(roles) && json_array_size(roles) == 1);
    CHECK_STR(json_string_value(json_array_get(roles, 0)), "preceptor");
    /* Creating a user does not sign the staff member in as them. */
    CHECK(api_set_cookie(&r, "rounds_session") == NULL);
    CHECK(api_json_get(r.json, "token") == NULL);
    api_free(&r);
    CHECK_INT(users_with_email(email), 1);
    CHECK_INT(api_db_int(db,
                         "SELECT COUNT(*) FROM user_roles r JOIN users u ON u.id = r.user_id"
                         " WHERE u.email = $1 AND r.role = 'preceptor'",
                         email, NULL),
              1);
    /* The new preceptor can log in. */
    post_login(&r, email, "Stethoscope-Maple-Ridge-9");
    CHECK_INT(r.status, 200);
    api_free(&r);
    /* The same email again: 409. */
    api_request(&r, "POST", "/api/v1/users", headers, body);
    CHECK_PROBLEM(&r, 409, "email_taken", "email");
    api_free(&r);
    free(body);
    /* A role that does not exist: 400 naming it, nothing created. */
    char other[160];
    api_unique_email(other, sizeof(other), "badrole");
    body = json_text(json_pack("{s:s,s:s,s:s,s:s}", "email", other, "name", "X", "role", "admin", "password",
                               "Stethoscope-Maple-Ridge-9"));
    api_request(&r, "POST", "/api/v1/users", headers, body);
    CHECK_PROBLEM(&r, 400, "validation_failed", "role");
    CHECK_INT(users_with_email(other), 0);
    api_free(&r);
    free(body);
}

TEST(student_cannot_create_users)
{
    struct user u;
    if (!register_user(&u, "notstaff"))
        return;
    char email[160];
    api_unique_email(email, sizeof(email), "wouldbe");
    char *body = json_text(json_pack("{s:s,s:s,s:s,s:s}", "email", email, "name", "Would Be", "role", "staff",
                                     "password", "Stethoscope-Maple-Ridge-9"));
    struct api_response r;
    const char *headers[] = {u.auth_header, NULL};
    api_request(&r, "POST", "/api/v1/users", headers, body);
    CHECK_PROBLEM(&r, 403, "forbidden", NULL);
    api_free(&r);
    CHECK_INT(users_with_email(email), 0);
    /* Anonymous: 401. */
    api_request(&r, "POST", "/api/v1/users", NULL, body);
    CHECK_PROBLEM(&r, 401, "unauthenticated", NULL);
    api_free(&r);
    CHECK_INT(users_with_email(email), 0);
    free(body);
}

TEST(cli_user_add_with_a_bad_role_exits_2)
{
    char email[160];
    api_unique_email(email, sizeof(email), "clirole");
    struct api_cli_result res;
    CHECK_INT(cli_add_user(email, "Bad Role", "superuser", "Harbor-Lantern-Quill-204", &res), 2);
    CHECK_CONTAINS(res.err, "role");
    api_cli_free(&res);
    CHECK_INT(users_with_email(email), 0);
    /* A weak password is a usage error too, and creates nothing. */
    CHECK_INT(cli_add_user(email, "Weak", "staff", "password1234", &res), 2);
    api_cli_free(&res);
    CHECK_INT(users_with_email(email), 0);
    /* Missing --password-stdin. */
    const char *args[] = {"user", "add", "--email", email, "--name", "N", "--role", "staff", NULL};
    CHECK_INT(api_cli(main_server.db, args, "Harbor-Lantern-Quill-204\n", &res), 2);
    api_cli_free(&res);
    CHECK_INT(users_with_email(email), 0);
}

/* `rounds user add --help` names every role of the role table. */
TEST(cli_user_add_help_lists_every_role)
{
    struct api_cli_result res;
    const char *args[] = {"user", "add", "--help", NULL};
    CHECK_INT(api_cli(main_server.db, args, NULL, &res), 0);
    for (size_t i = 0; role_names[i] != NULL; i++) {
        char listed[64];
        snprintf(listed, sizeof(listed), " %s%s", role_names[i], role_names[i + 1] != NULL ? "," : ".");
        CHECK_CONTAINS(res.out, listed);
    }
    CHECK_CONTAINS(res.out, " coach");
    api_cli_free(&res);
}

/* `rounds serve --help` gives the defaults the server uses: the PostgreSQL
 * pool's and the event loops'. */
TEST(cli_serve_help_gives_the_pool_default)
{
    struct api_cli_result res;
    const char *args[] = {"serve", "--help", NULL};
    CHECK_INT(api_cli(main_server.db, args, NULL, &res), 0);
    CHECK_CONTAINS(res.out, "for PostgreSQL one per core, at least " LIMIT_TEXT(HTTP_DB_POOL_PG_MIN) ")");
    CHECK_CONTAINS(res.out, "event loops (0 = " LIMIT_TEXT(HTTP_LOOPS_PER_CORE) " per core)");
    CHECK(strstr(res.out, "8 for PostgreSQL") == NULL);
    api_cli_free(&res);
}

TEST(cli_unknown_command_exits_2_with_usage)
{
    struct api_cli_result res;
    const char *args[] = {"bogus", NULL};
    CHECK_INT(api_cli(main_server.db, args, NULL, &res), 2);
    CHECK_CONTAINS(res.err, "usage");
    CHECK_STR(res.out, "");
    api_cli_free(&res);
    const char *none[] = {NULL};
    CHECK_INT(api_cli(main_server.db, none, NULL, &res), 2);
    CHECK_CONTAINS(res.err, "usage");
    api_cli_free(&res);
}

TEST(cli_serve_with_a_bogus_flag_exits_2)
{
    struct api_cli_result res;
    const char *alone[] = {"serve", "--bogus-flag", NULL};
    CHECK_INT(api_cli(main_server.db, alone, NULL, &res), 2);
    CHECK_CONTAINS(res.err, "usage");
    api_cli_free(&res);
    const char *with_value[] = {"serve", "--bogus-flag", "1", NULL};
    CHECK_INT(api_cli(main_server.db, with_value, NULL, &res), 2);
    CHECK_CONTAINS(res.err, "--bogus-flag");
    api_cli_free(&res);
    const char *bad_number[] = {"serve", "--threads", "many", NULL};
    CHECK_INT(api_cli(main_server.db, bad_number, NULL, &res), 2);
    api_cli_free(&res);
}

TEST(cli_version_exits_0)
{
    struct api_cli_result res;
    const char *args[] = {"version", NULL};
    CHECK_INT(api_cli(main_server.db, args, NULL, &res), 0);
    CHECK_CONTAINS(res.out, "rounds ");
    api_cli_free(&res);
}

/* ---- OpenAPI ---- */

TEST(openapi_lists_every_json_route)
{
    static const struct {
        unsigned method;
        const char *key;
    } methods[] = {{HTTP_GET, "get"}, {HTTP_POST, "post"}, {HTTP_PUT, "put"}, {HTTP_PATCH, "patch"},
                   {HTTP_DELETE, "delete"}};
    struct api_response r;
    api_request(&r, "GET", "/api/v1/openapi.json", NULL, NULL);
    CHECK_INT(r.status, 200);
    CHECK(r.json != NULL);
    CHECK_STR(api_json_str(r.json, "openapi"), "3.1.0");
    json_t *paths = json_object_get(r.json, "paths");
    CHECK(json_is_object(paths));
    size_t json_routes = 0;
    for (size_t i = 0; i < rounds_route_count; i++) {
        const struct route *route = &rounds_routes[i];
        if (!(route->flags & ROUTE_JSON) || (route->flags & ROUTE_TEST_HOOK))
            continue; /* the test-only routes are listed only when test hooks are on (not here) */
        json_routes++;
        json_t *item = json_object_get(paths, route->pattern);
        if (!json_is_object(item)) {
            TEST_FAILF("%s is not in the OpenAPI paths", route->pattern);
            continue;
        }
        for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]); m++)
            if ((route->methods & methods[m].method) && !json_is_object(json_object_get(item, methods[m].key)))
                TEST_FAILF("%s %s is not in the OpenAPI document", methods[m].key, route->pattern);
    }
    CHECK(json_routes >= 9);
    /* and nothing else: every documented path is a JSON route. */
    const char *key;
    json_t *value;
    json_object_foreach(paths, key, value) {
        bool known = false;
        for (size_t i = 0; i < rounds_route_count; i++)
            if ((rounds_routes[i].flags & ROUTE_JSON) && strcmp(rounds_routes[i].pattern, key) == 0)
                known = true;
        if (!known)
            TEST_FAILF("the OpenAPI document lists %s, which is not a JSON route", key);
    }
    api_free(&r);
}

/* ---- pages ---- */

TEST(register_and_login_pages_have_forms)
{
    const char *pages[] = {"/register", "/login"};
    for (size_t i = 0; i < 2; i++) {
        struct api_response r;
        api_request(&r, "GET", pages[i], NULL, NULL);
        CHECK_INT(r.status, 200);
        CHECK_CONTAINS(api_header(&r, "content-type"), "text/html");
        CHECK_CONTAINS(r.body, "<form");
        CHECK_CONTAINS(r.body, "method=\"post\"");
        CHECK_CONTAINS(r.body, "name=\"csrf_token\"");
        CHECK_CONTAINS(r.body, "name=\"password\"");
        CHECK(api_cookie_has(&r, "rounds_csrf", "HttpOnly"));
        api_free(&r);
    }
}

TEST(login_form_without_csrf_is_403)
{
    struct api_response r;
    const char *form[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    api_request(&r, "POST", "/login", form, "email=someone%40example.test&password=Whatever-It-Is-123");
    CHECK_INT(r.status, 403);
    CHECK_CONTAINS(api_header(&r, "content-type"), "text/html");
    check_security_headers(&r);
    api_free(&r);
    /* A token in the form that matches no cookie is refused too. */
    api_request(&r, "POST", "/login", form,
                "email=someone%40example.test&password=Whatever-It-Is-123&csrf_token="
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    CHECK_INT(r.status, 403);
    api_free(&r);
}

TEST(login_form_with_its_csrf_token_passes_the_check)
{
    struct api_response page;
    api_request(&page, "GET", "/login", NULL, NULL);
    char token[64] = "";
    CHECK(api_cookie_value(&page, "rounds_csrf", token, sizeof(token)));
    api_free(&page);
    char cookie[128], body[256], email[160];
    snprintf(cookie, sizeof(cookie), "Cookie: rounds_csrf=%s", token);
    api_unique_email(email, sizeof(email), "formlogin");
    snprintf(body, sizeof(body), "email=%s&password=Whatever-It-Is-123&csrf_token=%s", email, token);
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded", cookie, NULL};
    struct api_response r;
    api_request(&r, "POST", "/login", headers, body);
    CHECK_INT(r.status, 401); /* past the CSRF check: wrong email or password */
    CHECK_CONTAINS(api_header(&r, "content-type"), "text/html");
    CHECK_CONTAINS(r.body, "<form");
    api_free(&r);
}

/* POST /login as a browser sends it: the form's CSRF token from GET /login,
 * the email URL-encoded here, next (already encoded) when not NULL. */
static long page_login(struct api_response *r, const char *email, const char *password, const char *next_encoded)
{
    struct api_response page;
    api_request(&page, "GET", "/login", NULL, NULL);
    char token[64] = "";
    CHECK(api_cookie_value(&page, "rounds_csrf", token, sizeof(token)));
    api_free(&page);
    char cookie[128], body[1400], encoded[200];
    snprintf(cookie, sizeof(cookie), "Cookie: rounds_csrf=%s", token);
    size_t j = 0;
    for (const char *p = email; *p != '\0' && j + 4 < sizeof(encoded); p++) {
        if (*p == '@' || *p == '+' || *p == ' ') {
            j += (size_t)snprintf(encoded + j, sizeof(encoded) - j, "%%%02X", (unsigned char)*p);
            continue;
        }
        encoded[j++] = *p;
    }
    encoded[j] = '\0';
    snprintf(body, sizeof(body), "email=%s&password=%s&csrf_token=%s%s%s", encoded, password, token,
             next_encoded != NULL ? "&next=" : "", next_encoded != NULL ? next_encoded : "");
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded", cookie, NULL};
    return api_request(r, "POST", "/login", headers, body);
}

/* POST /login with next: where the browser is sent, for a page on this site
 * and for others (want NULL: refused as bad input, 400, sent nowhere). */
static void check_login_next(const struct user *u, const char *next_encoded, const char *want)
{
    struct api_response r;
    page_login(&r, u->email, u->password, next_encoded);
    CHECK_INT(r.status, want != NULL ? 303 : 400);
    if (want != NULL)
        CHECK_STR(api_header(&r, "location"), want);
    else
        CHECK(api_header(&r, "location") == NULL);
    api_free(&r);
}

/* Accounts are kept by their address lower-cased: typed in capitals it finds
 * the account on the login page as in the API. Text that is not an address
 * is a wrong login there too (401, the same words), not a 400 that would set
 * it apart from a wrong password. */
TEST(login_takes_the_address_in_any_case)
{
    struct user u;
    if (!register_user(&u, "anycase"))
        return;
    char upper[160];
    snprintf(upper, sizeof(upper), "%s", u.email);
    for (char *p = upper; *p != '\0'; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    struct api_response r;
    page_login(&r, upper, u.password, NULL);
    CHECK_INT(r.status, 303);
    CHECK_STR(api_header(&r, "location"), "/account");
    CHECK(api_cookie_has(&r, "rounds_session", "HttpOnly"));
    api_free(&r);
    post_login(&r, upper, u.password);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "user.id"), u.id);
    CHECK_STR(api_json_str(r.json, "user.email"), u.email);
    api_free(&r);
    static const char *const not_addresses[] = {"Not An Address", "anycase@", "@example.test", "a@b"};
    for (size_t i = 0; i < sizeof(not_addresses) / sizeof(not_addresses[0]); i++) {
        post_login(&r, not_addresses[i], u.password);
        CHECK_PROBLEM(&r, 401, "invalid_credentials", NULL);
        api_free(&r);
        page_login(&r, not_addresses[i], u.password, NULL);
        CHECK_INT(r.status, 401);
        CHECK_CONTAINS(r.body, "Wrong email or password.");
        api_free(&r);
    }
}

TEST(login_returns_to_next_on_this_site_only)
{
    struct user u;
    if (!register_user(&u, "next"))
        return;
    check_login_next(&u, "%2Fapplications%2Fa_x%3Fdone%3Doffer", "/applications/a_x?done=offer");
    check_login_next(&u, "%2Fofferings%2Foff_1%23apply", "/offerings/off_1#apply");
    /* Another origin, a scheme, a backslash: the account page; a line break
     * in a form field is refused outright (one-line fields take no control
     * characters), so it leads nowhere either. */
    check_login_next(&u, "%2F%2Fevil.example%2Fx", "/account");
    check_login_next(&u, "https%3A%2F%2Fevil.example%2F", "/account");
    check_login_next(&u, "%2F%5Cevil.example", "/account");
    check_login_next(&u, "javascript%3Aalert(1)", "/account");
    check_login_next(&u, "%2Fa%0D%0ASet-Cookie%3A+x%3D1", NULL);
    check_login_next(&u, "", "/account");
    /* Signed in already: GET /login?next= goes straight there. */
    struct api_response r;
    const char *headers[] = {u.cookie_header, NULL};
    api_request(&r, "GET", "/login?next=%2Fwallet", headers, NULL);
    CHECK_INT(r.status, 303);
    CHECK_STR(api_header(&r, "location"), "/wallet");
    api_free(&r);
    api_request(&r, "GET", "/login?next=%2F%2Fevil.example", headers, NULL);
    CHECK_INT(r.status, 303);
    CHECK_STR(api_header(&r, "location"), "/account");
    api_free(&r);
}

/* POST /account as the browser sends the profile form (session cookie and CSRF token). */
static void post_account_form(struct api_response *r, const struct user *u, const char *fields)
{
    char body[1024];
    snprintf(body, sizeof(body), "%s&csrf_token=%s", fields, u->csrf);
    const char *headers[] = {u->cookie_header, "Content-Type: application/x-www-form-urlencoded", NULL};
    api_request(r, "POST", "/account", headers, body);
}

/* A saved profile answers 303 (a reload posts nothing twice): back to a local
 * next, else to the account page whose notice opens the page (a phone shows
 * its top, not the form's end). A form with errors comes back as typed. */
TEST(account_form_saves_with_a_redirect_and_a_notice_at_the_top)
{
    struct user u;
    if (!register_user(&u, "acctform"))
        return;
    struct api_response r;
    post_account_form(&r, &u, "school=Makerere+University&status=graduate&graduation_year=2022&step1=passed"
                              "&english_proof=oet");
    CHECK_INT(r.status, 303);
    CHECK_STR(api_header(&r, "location"), "/account?saved=profile");
    api_free(&r);
    char *row = profile_row(u.email);
    CHECK_STR(row, "Makerere University|~|graduate|2022|~|passed|~|~|oet|Test acctform");
    free(row);
    const char *headers[] = {u.cookie_header, NULL};
    api_request(&r, "GET", "/account?saved=profile", headers, NULL);
    CHECK_INT(r.status, 200);
    const char *notice =
        r.body != NULL ? strstr(r.body, "<p class=\"notice\" role=\"status\">Profile saved.</p>") : NULL;
    const char *heading = r.body != NULL ? strstr(r.body, "<h1>Your account</h1>") : NULL;
    CHECK(notice != NULL && heading != NULL && notice < heading);
    CHECK_CONTAINS(r.body, "value=\"Makerere University\"");
    /* The profile comes before the data download and the account deletion. */
    const char *profile = r.body != NULL ? strstr(r.body, "id=\"profile\"") : NULL;
    const char *data = r.body != NULL ? strstr(r.body, "<h2>Your data</h2>") : NULL;
    CHECK(profile != NULL && data != NULL && profile < data);
    api_free(&r);
    api_request(&r, "GET", "/account", headers, NULL);
    CHECK(r.body != NULL && strstr(r.body, "Profile saved.") == NULL);
    api_free(&r);
    /* A page on this site to go back to: there; another site's: the account page. */
    post_account_form(&r, &u, "school=Makerere+University&next=%2Fofferings%2Foff_1%23apply");
    CHECK_INT(r.status, 303);
    CHECK_STR(api_header(&r, "location"), "/offerings/off_1#apply");
    api_free(&r);
    post_account_form(&r, &u, "school=Makerere+University&next=%2F%2Fevil.example%2Fx");
    CHECK_INT(r.status, 303);
    CHECK_STR(api_header(&r, "location"), "/account?saved=profile");
    api_free(&r);
    /* Errors: 400, the summary first and linked to the field, everything typed kept, nothing saved. */
    char *before = profile_row(u.email);
    post_account_form(&r, &u, "school=Typed+School&graduation_year=1900&next=%2Fwallet");
    CHECK_INT(r.status, 400);
    CHECK(r.body != NULL && strstr(r.body, "Profile saved.") == NULL);
    const char *summary = r.body != NULL ? strstr(r.body, "id=\"error-summary\"") : NULL;
    heading = r.body != NULL ? strstr(r.body, "<h1>Your account</h1>") : NULL;
    CHECK(summary != NULL && heading != NULL && summary < heading);
    CHECK_CONTAINS(r.body, "href=\"#f-graduation_year\"");
    CHECK_CONTAINS(r.body, "value=\"Typed School\"");
    CHECK_CONTAINS(r.body, "value=\"1900\"");
    CHECK_CONTAINS(r.body, "name=\"next\" value=\"/wallet\"");
    api_free(&r);
    char *after = profile_row(u.email);
    CHECK_STR(after, before);
    free(before);
    free(after);
}

TEST(unknown_page_is_an_html_404)
{
    struct api_response r;
    api_request(&r, "GET", "/no-such-page", NULL, NULL);
    CHECK_INT(r.status, 404);
    CHECK_CONTAINS(api_header(&r, "content-type"), "text/html");
    CHECK_CONTAINS(r.body, "<html");
    api_free(&r);
    /* A page that needs a session sends the anonymous visitor to /login, to come back after. */
    api_request(&r, "GET", "/account", NULL, NULL);
    CHECK_INT(r.status, 303);
    CHECK_STR(api_header(&r, "location"), "/login?next=%2Faccount");
    api_free(&r);
    api_request(&r, "GET", "/applications?status=held", NULL, NULL);
    CHECK_INT(r.status, 303);
    CHECK_STR(api_header(&r, "location"), "/login?next=%2Fapplications%3Fstatus%3Dheld");
    api_free(&r);

}

/* ---- the server with small limits ---- */

static struct api_server small_server;

TEST(login_rate_limit_per_account)
{
    struct db_conn *small_db = api_db_open(&small_server);
    api_use(&small_server);
    struct user u;
    if (!register_user(&u, "ratelimit")) {
        db_close(small_db);
        return;
    }
    char key[65];
    crypto_hash_token(u.email, key);
    for (int i = 0; i < 3; i++) {
        struct api_response r;
        post_login(&r, u.email, "Definitely-Wrong-Password-1");
        CHECK_PROBLEM(&r, 401, "invalid_credentials", NULL);
        api_free(&r);
    }
    CHECK_INT(api_db_int(small_db, "SELECT COUNT(*) FROM login_failures WHERE account_key = $1", key, NULL), 3);
    /* The fourth attempt is refused, even with the right password. */
    struct api_response r;
    post_login(&r, u.email, u.password);
    CHECK_PROBLEM(&r, 429, "rate_limited", NULL);
    CHECK(api_json_get(r.json, "token") == NULL);
    CHECK(api_set_cookie(&r, "rounds_session") == NULL);
    api_free(&r);
    CHECK_INT(api_db_int(small_db, "SELECT COUNT(*) FROM sessions WHERE user_id = $1", u.id, NULL), 1);
    /* The limit is per account: another account still logs in from the same address. */
    struct user other;
    if (register_user(&other, "ratelimit-other"))
        login_user(&other);
    /* A different case of the same email is the same account. */
    char upper[160];
    snprintf(upper, sizeof(upper), "%s", u.email);
    upper[0] = (char)(upper[0] - 'a' + 'A');
    post_login(&r, upper, u.password);
    CHECK_PROBLEM(&r, 429, "rate_limited", NULL);
    api_free(&r);
    db_close(small_db);
    api_use(&main_server);
}

TEST(max_body_flag_caps_routes_without_their_own)
{
    api_use(&small_server);
    char *body = malloc(8 * 1024 + 1);
    if (body == NULL)
        return;
    memset(body, ' ', 8 * 1024);
    body[0] = '{';
    body[8 * 1024 - 1] = '}';
    body[8 * 1024] = '\0';
    struct api_response r;
    /* /api/v1/auth/logout has its own 1 KiB cap; the 16 KiB routes keep theirs above --max-body 4096. */
    api_request(&r, "POST", "/api/v1/auth/login", NULL, body);
    CHECK_PROBLEM(&r, 400, "validation_failed", "email");
    api_free(&r);
    /* GET /healthz has no cap of its own: --max-body applies. */
    struct api_raw_request rq = {"GET", "/healthz", NULL, body, 8 * 1024, false};
    api_send(&r, &rq);
    CHECK_PROBLEM(&r, 413, "payload_too_large", NULL);
    api_free(&r);
    free(body);
    api_use(&main_server);
}

TEST(small_server_shuts_down_gracefully)
{
    CHECK_INT(api_server_stop(&small_server), 0);
    api_use(&main_server);
}

TEST(main_server_shuts_down_gracefully)
{
    struct api_server *srv = &main_server;
    CHECK_INT(api_server_stop(srv), 0);
    api_current = srv; /* for the log on failure */
}

/* What the tests need, once the suite's server is up. */
static bool setup(void)
{
    db = api_db_open(&main_server);
    return db != NULL;
}

static void run_tests(void)
{
    API_RUN(healthz_is_ok);
    API_RUN(readyz_is_ok_when_the_database_answers);
    API_RUN(unknown_path_is_404_problem);
    API_RUN(wrong_method_is_405_with_allow);
    API_RUN(head_healthz_has_no_body);
    API_RUN(security_headers_on_every_reply);
    API_RUN(authenticated_replies_are_not_cached);

    API_RUN(register_creates_a_signed_in_student);
    API_RUN(register_lower_cases_the_email_and_hashes_the_password);
    API_RUN(register_duplicate_email_is_409);
    API_RUN(register_refuses_weak_passwords);
    API_RUN(register_password_length_counts_characters);
    API_RUN(register_refuses_a_long_name);
    API_RUN(register_refuses_an_invalid_email);
    API_RUN(register_refuses_a_role_field);
    API_RUN(register_missing_field_is_named);

    API_RUN(login_returns_a_new_session);
    API_RUN(login_takes_the_address_in_any_case);
    API_RUN(login_wrong_password_is_401);
    API_RUN(login_unknown_email_is_401_with_the_same_code);
    API_RUN(login_malformed_bodies_are_400);
    API_RUN(me_with_the_token);
    API_RUN(logout_ends_the_session_at_once);
    API_RUN(logout_only_ends_its_own_session);
    API_RUN(another_instance_sees_sign_out_and_changes_at_once);

    API_RUN(cookie_session_reads_me);
    API_RUN(cookie_patch_without_csrf_is_403);
    API_RUN(cookie_patch_with_csrf_is_200);
    API_RUN(same_origin_header_is_accepted);
    API_RUN(bearer_patch_needs_no_csrf);
    API_RUN(cross_site_origin_is_403);
    API_RUN(cookie_logout_clears_the_cookie);

    API_RUN(patch_me_updates_the_profile);
    API_RUN(patch_me_changes_only_the_fields_sent);
    API_RUN(patch_me_null_clears);
    API_RUN(patch_me_time_zone);
    API_RUN(account_time_zone_form);
    API_RUN(patch_me_unknown_field_is_named);
    API_RUN(patch_me_wrong_type_is_named);
    API_RUN(patch_me_out_of_range_numbers);
    API_RUN(patch_me_bad_enum_is_named);
    API_RUN(patch_me_failure_changes_nothing);

    API_RUN(malformed_bad_json);
    API_RUN(malformed_json_that_is_not_an_object);
    API_RUN(malformed_duplicate_keys);
    API_RUN(malformed_wrong_types_on_register);
    API_RUN(malformed_empty_body);
    API_RUN(malformed_media_types_are_415);
    API_RUN(oversize_body_on_a_16k_route_is_413);
    API_RUN(oversize_body_of_2mib_is_413);
    API_RUN(oversize_body_of_2mib_is_problem_json);
    API_RUN(oversize_body_of_10mb_is_413);
    API_RUN(oversize_headers_are_431_and_change_nothing);
    API_RUN(malformed_invalid_utf8);
    API_RUN(malformed_nul_and_control_characters);
    API_RUN(malformed_query_string_is_400);
    API_RUN(unknown_query_parameter_is_400);
    API_RUN(garbage_authorization_is_401);
    API_RUN(unknown_bearer_token_is_401);

    API_RUN(staff_creates_a_preceptor);
    API_RUN(student_cannot_create_users);
    API_RUN(cli_user_add_with_a_bad_role_exits_2);
    API_RUN(cli_user_add_help_lists_every_role);
    API_RUN(cli_serve_help_gives_the_pool_default);
    API_RUN(cli_unknown_command_exits_2_with_usage);
    API_RUN(cli_serve_with_a_bogus_flag_exits_2);
    API_RUN(cli_version_exits_0);

    API_RUN(openapi_lists_every_json_route);
    API_RUN(register_and_login_pages_have_forms);
    API_RUN(login_form_without_csrf_is_403);
    API_RUN(login_form_with_its_csrf_token_passes_the_check);
    API_RUN(login_returns_to_next_on_this_site_only);
    API_RUN(account_form_saves_with_a_redirect_and_a_notice_at_the_top);
    API_RUN(unknown_page_is_an_html_404);

    static const char *const small_flags[] = {"--login-limit-account", "3", "--max-body", "4096", NULL};
    if (api_server_start(&small_server, small_flags) == 0) {
        API_RUN(login_rate_limit_per_account);
        API_RUN(max_body_flag_caps_routes_without_their_own);
        API_RUN(small_server_shuts_down_gracefully);
    } else {
        printf("FAIL the server with small limits did not start\n");
        test_failed++;
    }
}

static void finish(void)
{
    db_close(db);
    API_RUN(main_server_shuts_down_gracefully);
    if (!api_suite_keep())
        api_server_cleanup(&small_server);
}

int main(void)
{
    /* Failed logins from 127.0.0.1 add up across runs on a shared PostgreSQL
     * database: the per-address limit is out of the way (api_client.h). */
    static const struct api_suite suite = {
        .name = "api-accounts", .server = &main_server, .flags = NULL, .setup = setup,
        .setup_what = "opening the database failed", .run = run_tests, .finish = finish};
    return api_suite_main(&suite);
}
