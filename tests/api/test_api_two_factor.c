/* test_api_two_factor.c — two-factor sign-in (issue 18, item 1) against the
 * real binary, on SQLite and on PostgreSQL (ROUNDS_TEST_DB). The server runs
 * with --two-factor-roles staff,coach,host_coordinator (the default; the other
 * suites turn it off) and --test-hooks 1: the test moves the clock and
 * computes each code as an authenticator app would (liboath, RFC 6238).
 *
 *   - a student sets it up (the secret and its otpauth:// URI, a wrong first
 *     code refused, the right one → ten recovery codes, stored only hashed,
 *     the secret only sealed); a login then gives a challenge and no token,
 *     and the token only for a code;
 *   - a wrong, reused or stale code, an expired or used-up challenge → 401
 *     with exactly the reply of a wrong password, no session; the second step
 *     counts against the login limits (429 with Retry-After);
 *   - a recovery code signs in once;
 *   - staff (and coaches, host coordinators) are sent to enrolment: their
 *     session answers 403 (pages: to /account/two-factor) until it is done;
 *   - turning it off takes a current code and is refused for those roles;
 *   - staff reset a user's second factor (audited, their sessions end); anyone
 *     else gets 404;
 *   - bad bodies of every route → 400 and nothing changes. */
#include <jansson.h>
#include <liboath/oath.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api_client.h"
#include "lib/crypto.h"
#include "test.h"

#define PEOPLE_PASSWORD "Copper-Meadow-Lantern-84"
#include "api_people.h"
#include "api_hooks.h"
#include "api_suite.h"

static struct api_server server;
static struct db_conn *db;
static long long clock_offset;

static void set_clock(long long offset)
{
    hooks_set_clock(offset);
    clock_offset = offset;
}

/* Moves the server's clock on by a minute: the next code is of a new step. */
static void next_step(void)
{
    set_clock(clock_offset + 60);
}

/* The code an app shows now (server time), seconds_later from now. */
static void code_at(const char *secret_b32, long long seconds_later, char out[7])
{
    char *secret = NULL;
    size_t len = 0;
    out[0] = '\0';
    if (oath_base32_decode(secret_b32, strlen(secret_b32), &secret, &len) != OATH_OK)
        return;
    time_t now = time(NULL) + clock_offset + seconds_later;
    if (oath_totp_generate(secret, len, now, 30, 0, 6, out) != OATH_OK)
        out[0] = '\0';
    free(secret);
}

static bool post_body(struct api_response *r, const struct user *u, const char *path, const char *body, long want)
{
    const char *headers[] = {u != NULL ? u->auth : NULL, NULL};
    api_request(r, "POST", path, headers, body);
    if (r->status != want) {
        TEST_FAILF("POST %s answered %ld, expected %ld: %.400s", path, r->status, want, r->body);
        return false;
    }
    return true;
}

static bool post_code(struct api_response *r, const struct user *u, const char *path, const char *code, long want)
{
    return post_as(r, u, path, json_pack("{s:s}", "code", code), want);
}

/* Sets up two-factor sign-in for u; its secret into secret[40], its recovery codes into codes. */
static bool enrol(const struct user *u, char secret[40], char codes[10][24])
{
    struct api_response r;
    if (!post_body(&r, u, "/api/v1/me/two-factor", NULL, 201)) {
        api_free(&r);
        return false;
    }
    snprintf(secret, 40, "%s", api_json_str(r.json, "secret") != NULL ? api_json_str(r.json, "secret") : "");
    api_free(&r);
    char code[7];
    code_at(secret, 0, code);
    bool ok = post_code(&r, u, "/api/v1/me/two-factor/confirm", code, 200);
    json_t *list = ok ? api_json_get(r.json, "recovery_codes") : NULL;
    for (size_t i = 0; i < 10 && codes != NULL; i++)
        snprintf(codes[i], 24, "%s", json_string_value(json_array_get(list, i)) ? json_string_value(json_array_get(list, i)) : "");
    api_free(&r);
    next_step(); /* the enrolment's code is used */
    return ok;
}

/* Logs in with the password: the challenge into challenge[64]. */
static bool login_challenge(const struct user *u, char challenge[64])
{
    struct api_response r;
    bool ok = post_as(&r, NULL, "/api/v1/auth/login",
                      json_pack("{s:s,s:s}", "email", u->email, "password", PEOPLE_PASSWORD), 200);
    ok = ok && json_is_true(api_json_get(r.json, "second_factor_required")) && api_json_get(r.json, "token") == NULL;
    const char *c = api_json_str(r.json, "challenge");
    snprintf(challenge, 64, "%s", c != NULL ? c : "");
    if (!ok)
        TEST_FAILF("login gave no challenge (or a token): %.300s", r.body);
    api_free(&r);
    return ok;
}

static long second_step(struct api_response *r, const char *challenge, const char *code)
{
    char *body = json_text(json_pack("{s:s,s:s}", "challenge", challenge, "code", code));
    api_request(r, "POST", "/api/v1/auth/login/second-factor", NULL, body);
    free(body);
    return r->status;
}

static long long sessions_of(const struct user *u)
{
    return api_db_int(db, "SELECT COUNT(*) FROM sessions WHERE user_id = $1", u->id, NULL);
}

/* The reply to a wrong password, to compare the second step's refusals with. */
static char *wrong_password_reply(const struct user *u)
{
    struct api_response r;
    post_as(&r, NULL, "/api/v1/auth/login", json_pack("{s:s,s:s}", "email", u->email, "password", "not-the-password"),
            401);
    char *body = strdup(r.body != NULL ? r.body : "");
    api_free(&r);
    return body;
}

static struct user staff;

static bool add_user(struct user *u, const char *prefix, const char *role, const char *org)
{
    memset(u, 0, sizeof(*u));
    api_unique_email(u->email, sizeof(u->email), prefix);
    snprintf(u->name, sizeof(u->name), "Person %s", prefix);
    const char *args[] = {"user", "add", "--email", u->email, "--name", u->name, "--role", role, "--password-stdin",
                          org != NULL ? "--org" : NULL, org, NULL};
    struct api_cli_result res;
    int rc = api_cli(server.db, args, PEOPLE_PASSWORD "\n", &res);
    if (rc != 0)
        TEST_FAILF("user add %s exited %d: %s", role, rc, res.err);
    api_cli_free(&res);
    return rc == 0;
}

/* Staff with their second factor set up, signed in. */
static bool staff_signed_in(char secret[40])
{
    struct api_response r;
    if (!add_user(&staff, "tf-staff", "staff", NULL) || !login(&staff) || !enrol(&staff, secret, NULL))
        return false;
    char challenge[64], code[7];
    if (!login_challenge(&staff, challenge))
        return false;
    code_at(secret, 0, code);
    bool ok = second_step(&r, challenge, code) == 200;
    if (ok)
        user_from_reply(&staff, &r);
    api_free(&r);
    next_step();
    return ok;
}

TEST(a_student_sets_it_up_and_then_signs_in_with_a_code)
{
    struct user s;
    if (!register_student(&s, "tf-student"))
        return;
    struct api_response r;
    const char *me[] = {s.auth, NULL};
    CHECK_INT(api_request(&r, "GET", "/api/v1/me/two-factor", me, NULL), 200);
    CHECK(json_is_false(api_json_get(r.json, "enabled")) && json_is_false(api_json_get(r.json, "required")));
    api_free(&r);
    if (!post_body(&r, &s, "/api/v1/me/two-factor", NULL, 201))
        return;
    char secret[40];
    snprintf(secret, sizeof(secret), "%s", api_json_str(r.json, "secret"));
    CHECK_INT((int)strlen(secret), 32);
    CHECK_CONTAINS(api_json_str(r.json, "otpauth_uri"), "otpauth://totp/Rounds:");
    CHECK_CONTAINS(api_json_str(r.json, "otpauth_uri"), secret);
    CHECK_CONTAINS(api_json_str(r.json, "otpauth_uri"), "issuer=Rounds");
    api_free(&r);
    /* The secret is stored sealed, never as itself. */
    char *sealed = api_db_text(db, "SELECT secret_sealed FROM two_factor WHERE user_id = $1", s.id, NULL, NULL);
    CHECK(sealed != NULL && strstr(sealed, secret) == NULL && strlen(sealed) > 40);
    free(sealed);
    char code[7], wrong[16];
    code_at(secret, 0, code);
    snprintf(wrong, sizeof(wrong), "%06ld", (strtol(code, NULL, 10) + 500000) % 1000000);
    post_code(&r, &s, "/api/v1/me/two-factor/confirm", wrong, 400);
    CHECK_PROBLEM(&r, 400, "validation_failed", "code");
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM two_factor WHERE user_id = $1 AND confirmed_at IS NULL", s.id, NULL), 1);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1", s.id, NULL), 0);
    if (!post_code(&r, &s, "/api/v1/me/two-factor/confirm", code, 200))
        return;
    json_t *codes = api_json_get(r.json, "recovery_codes");
    CHECK_INT((int)json_array_size(codes), 10);
    const char *first = json_string_value(json_array_get(codes, 0));
    CHECK(first != NULL && strlen(first) == 19 && first[4] == '-');
    CHECK(strcmp(first, json_string_value(json_array_get(codes, 1))) != 0);
    /* Only hashes are kept: no row holds a code as typed. */
    char plain[20] = "";
    for (size_t i = 0, j = 0; first != NULL && first[i] != '\0' && j < 16; i++)
        if (first[i] != '-')
            plain[j++] = first[i];
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL", s.id, NULL), 10);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM recovery_codes WHERE code_hash = $1 OR code_hash = $2", first, plain), 0);
    api_free(&r);
    CHECK_INT(api_request(&r, "GET", "/api/v1/me/two-factor", me, NULL), 200);
    CHECK(json_is_true(api_json_get(r.json, "enabled")));
    CHECK_INT((int)api_json_int(r.json, "recovery_codes_left", -1), 10);
    api_free(&r);
    /* A second enrolment is refused while it is on. */
    post_body(&r, &s, "/api/v1/me/two-factor", NULL, 409);
    api_free(&r);
    next_step();
    long long before = sessions_of(&s);
    char challenge[64];
    if (!login_challenge(&s, challenge))
        return;
    CHECK_INT((int)sessions_of(&s), (int)before);
    code_at(secret, 0, code);
    CHECK_INT(second_step(&r, challenge, code), 200);
    struct user again = s;
    user_from_reply(&again, &r);
    api_free(&r);
    const char *me_again[] = {again.auth, NULL};
    CHECK_INT(api_request(&r, "GET", "/api/v1/me", me_again, NULL), 200);
    CHECK_STR(api_json_str(r.json, "email"), s.email);
    api_free(&r);
    CHECK_INT((int)sessions_of(&s), (int)before + 1);
}

TEST(wrong_reused_and_stale_codes_are_refused_like_a_wrong_password)
{
    struct user s;
    char secret[40];
    if (!register_student(&s, "tf-wrong") || !enrol(&s, secret, NULL))
        return;
    struct user nobody;
    api_unique_email(nobody.email, sizeof(nobody.email), "tf-nobody");
    char *expected = wrong_password_reply(&nobody);
    struct api_response r;
    char challenge[64], code[7], stale[7], wrong[16];
    long long sessions = sessions_of(&s);
    if (!login_challenge(&s, challenge))
        return;
    code_at(secret, 0, code);
    code_at(secret, -300, stale);
    snprintf(wrong, sizeof(wrong), "%06ld", (strtol(code, NULL, 10) + 1) % 1000000);
    /* Four tries: with the password's attempt, five failures, which cost nothing. */
    const char *refused[] = {wrong, stale, "12345", "abcdefgh"};
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        CHECK_INT(second_step(&r, challenge, refused[i]), 401);
        CHECK_STR(r.body, expected);
        api_free(&r);
    }
    /* A right code (after the wait five failures earn): then it is used. */
    api_sleep_ms(1100);
    CHECK_INT(second_step(&r, challenge, code), 200);
    api_free(&r);
    login_challenge(&s, challenge);
    CHECK_INT(second_step(&r, challenge, code), 401);
    CHECK_STR(r.body, expected);
    api_free(&r);
    /* The challenge used by a success is gone. */
    next_step();
    code_at(secret, 0, code);
    login_challenge(&s, challenge);
    CHECK_INT(second_step(&r, challenge, code), 200);
    api_free(&r);
    next_step();
    code_at(secret, 0, code);
    CHECK_INT(second_step(&r, challenge, code), 401);
    api_free(&r);
    /* An expired challenge (5 minutes) refuses a right code. */
    login_challenge(&s, challenge);
    set_clock(clock_offset + 301);
    code_at(secret, 0, code);
    CHECK_INT(second_step(&r, challenge, code), 401);
    CHECK_STR(r.body, expected);
    api_free(&r);
    /* Five wrong codes use a challenge up: the sixth try, right, is refused. */
    next_step();
    login_challenge(&s, challenge);
    code_at(secret, 0, code);
    CHECK_INT(second_step(&r, challenge, code), 200); /* a success forgets the failures so far */
    api_free(&r);
    next_step();
    login_challenge(&s, challenge);
    for (int i = 0; i < 5; i++) {
        if (i == 4)
            api_sleep_ms(1100); /* the delay five failures earn */
        CHECK_INT(second_step(&r, challenge, "000000"), 401);
        api_free(&r);
    }
    code_at(secret, 0, code);
    CHECK_INT(second_step(&r, challenge, code), 401);
    api_free(&r);
    CHECK_INT((int)sessions_of(&s), (int)sessions + 3);
    free(expected);
}

TEST(the_second_step_counts_against_the_login_limits)
{
    struct user s;
    char secret[40];
    if (!register_student(&s, "tf-limit") || !enrol(&s, secret, NULL))
        return;
    struct api_response r;
    char challenge[64];
    long status = 0;
    /* The password's attempt and four wrong codes are five failures, which
     * cost nothing; the next attempt at once must wait (typing the password
     * again does not forget them). */
    login_challenge(&s, challenge);
    for (int i = 0; i < 5 && status != 429; i++) {
        status = second_step(&r, challenge, "999999");
        if (status == 429) {
            CHECK_INT(i, 4);
            CHECK_PROBLEM(&r, 429, "rate_limited", NULL);
            CHECK(api_header(&r, "retry-after") != NULL);
        }
        api_free(&r);
    }
    CHECK_INT(status, 429);
    /* The password again is refused too: it does not wipe the slate. */
    post_as(&r, NULL, "/api/v1/auth/login", json_pack("{s:s,s:s}", "email", s.email, "password", PEOPLE_PASSWORD),
            429);
    api_free(&r);
}

TEST(a_recovery_code_signs_in_once)
{
    struct user s;
    char secret[40], codes[10][24];
    if (!register_student(&s, "tf-recovery") || !enrol(&s, secret, codes))
        return;
    struct api_response r;
    char challenge[64], upper[24];
    login_challenge(&s, challenge);
    /* As typed: upper case, without dashes. */
    size_t j = 0;
    for (size_t i = 0; codes[3][i] != '\0' && j + 1 < sizeof(upper); i++)
        if (codes[3][i] != '-')
            upper[j++] = (char)(codes[3][i] >= 'a' && codes[3][i] <= 'z' ? codes[3][i] - 32 : codes[3][i]);
    upper[j] = '\0';
    CHECK_INT(second_step(&r, challenge, upper), 200);
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NOT NULL", s.id,
                         NULL), 1);
    CHECK_INT((int)api_db_int(db, "SELECT COUNT(*) FROM audit_events WHERE actor_id = $1 AND action = "
                                  "'login_recovery_code'", s.id, NULL), 1);
    login_challenge(&s, challenge);
    CHECK_INT(second_step(&r, challenge, codes[3]), 401);
    api_free(&r);
    /* Another account's code is worth nothing here. */
    struct user other;
    char other_secret[40], other_codes[10][24];
    if (!register_student(&other, "tf-recovery-other") || !enrol(&other, other_secret, other_codes))
        return;
    CHECK_INT(second_step(&r, challenge, other_codes[0]), 401);
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL", other.id,
                         NULL), 10);
}

TEST(staff_are_sent_to_enrolment_and_reach_nothing_else)
{
    struct user st;
    if (!add_user(&st, "tf-enrol", "staff", NULL) || !login(&st))
        return;
    struct api_response r;
    const char *auth[] = {st.auth, NULL};
    CHECK_INT(api_request(&r, "GET", "/api/v1/me", auth, NULL), 403);
    CHECK_PROBLEM(&r, 403, "second_factor_enrolment_required", NULL);
    api_free(&r);
    CHECK_INT(api_request(&r, "GET", "/api/v1/applications", auth, NULL), 403);
    api_free(&r);
    CHECK_INT(api_request(&r, "GET", "/api/v1/me/two-factor", auth, NULL), 200);
    CHECK(json_is_true(api_json_get(r.json, "required")) && json_is_false(api_json_get(r.json, "enabled")));
    api_free(&r);
    /* The pages send the same session to enrolment. */
    const char *cookie[] = {st.cookie, NULL};
    CHECK_INT(api_request(&r, "GET", "/account", cookie, NULL), 303);
    CHECK_STR(api_header(&r, "location"), "/account/two-factor");
    api_free(&r);
    CHECK_INT(api_request(&r, "GET", "/account/two-factor", cookie, NULL), 200);
    CHECK_CONTAINS(r.body, "requires two-factor sign-in");
    api_free(&r);
    char secret[40];
    if (!enrol(&st, secret, NULL))
        return;
    /* The same session reaches everything once it is done. */
    CHECK_INT(api_request(&r, "GET", "/api/v1/me", auth, NULL), 200);
    api_free(&r);
    char challenge[64];
    login_challenge(&st, challenge);
    /* A host coordinator and a coach too; a preceptor not. */
    struct user host, coach, preceptor;
    if (add_user(&host, "tf-host", "host_coordinator", "org_tf_host") && login(&host)) {
        const char *h[] = {host.auth, NULL};
        CHECK_INT(api_request(&r, "GET", "/api/v1/me", h, NULL), 403);
        api_free(&r);
    }
    if (add_user(&coach, "tf-coach", "coach", NULL) && login(&coach)) {
        const char *c[] = {coach.auth, NULL};
        CHECK_INT(api_request(&r, "GET", "/api/v1/me", c, NULL), 403);
        api_free(&r);
    }
    if (add_user(&preceptor, "tf-preceptor", "preceptor", "org_tf_host") && login(&preceptor)) {
        const char *p[] = {preceptor.auth, NULL};
        CHECK_INT(api_request(&r, "GET", "/api/v1/me", p, NULL), 200);
        api_free(&r);
    }
}

TEST(turning_it_off_takes_a_code_and_not_for_required_roles)
{
    struct user s;
    char secret[40];
    if (!register_student(&s, "tf-off") || !enrol(&s, secret, NULL))
        return;
    struct api_response r;
    post_code(&r, &s, "/api/v1/me/two-factor/disable", "000000", 400);
    CHECK_PROBLEM(&r, 400, "validation_failed", "code");
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM two_factor WHERE user_id = $1", s.id, NULL), 1);
    char code[7];
    code_at(secret, 0, code);
    post_code(&r, &s, "/api/v1/me/two-factor/disable", code, 204);
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM two_factor WHERE user_id = $1", s.id, NULL), 0);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1", s.id, NULL), 0);
    CHECK(login(&s)); /* the password alone again */
    char staff_secret[40];
    if (staff.id[0] == '\0' && !staff_signed_in(staff_secret))
        return;
    post_code(&r, &staff, "/api/v1/me/two-factor/disable", "123456", 403);
    api_free(&r);
}

TEST(staff_reset_a_second_factor_and_others_get_404)
{
    char staff_secret[40];
    if (staff.id[0] == '\0' && !staff_signed_in(staff_secret))
        return;
    struct user s, other;
    char secret[40];
    if (!register_student(&s, "tf-reset") || !enrol(&s, secret, NULL) || !register_student(&other, "tf-reset-other"))
        return;
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/users/%s/two-factor/reset", s.id);
    struct api_response r;
    post_body(&r, &other, path, NULL, 404);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM two_factor WHERE user_id = $1", s.id, NULL), 1);
    post_body(&r, &staff, "/api/v1/users/u_nosuchuser0000000/two-factor/reset", NULL, 404);
    api_free(&r);
    post_body(&r, &staff, path, "{\"why\":1}", 400);
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM two_factor WHERE user_id = $1", s.id, NULL), 1);
    post_body(&r, &staff, path, NULL, 204);
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM two_factor WHERE user_id = $1", s.id, NULL), 0);
    CHECK_INT((int)sessions_of(&s), 0);
    CHECK_INT((int)api_db_int(db, "SELECT COUNT(*) FROM audit_events WHERE actor_id = $1 AND action = "
                                  "'two_factor_reset' AND object_id = $2", staff.id, s.id), 1);
    const char *auth[] = {s.auth, NULL};
    CHECK_INT(api_request(&r, "GET", "/api/v1/me", auth, NULL), 401);
    api_free(&r);
    CHECK(login(&s));
}

TEST(bad_bodies_are_400_and_change_nothing)
{
    struct user s;
    char secret[40];
    if (!register_student(&s, "tf-bad") || !enrol(&s, secret, NULL))
        return;
    long long sessions = sessions_of(&s);
    static const char *const second[] = {
        "", "{", "[]", "{}", "{\"challenge\":\"x\"}", "{\"code\":\"123456\"}",
        "{\"challenge\":1,\"code\":\"123456\"}", "{\"challenge\":\"x\",\"code\":123456}",
        "{\"challenge\":\"x\",\"code\":\"123456\",\"extra\":true}",
        "{\"challenge\":\"x\",\"code\":\"123456\",\"code\":\"123456\"}",
        "{\"challenge\":\"x\",\"code\":\"1234567890123456789012345678901234567890123456789012345678901234567890\"}",
    };
    struct api_response r;
    for (size_t i = 0; i < sizeof(second) / sizeof(second[0]); i++) {
        api_request(&r, "POST", "/api/v1/auth/login/second-factor", NULL, second[i]);
        if (r.status < 400 || r.status >= 500)
            TEST_FAILF("second step with %s answered %ld", second[i], r.status);
        api_free(&r);
    }
    static const char *const codes[] = {"{", "{}", "{\"code\":5}", "{\"code\":\"\"}", "{\"code\":\"123456\",\"x\":1}",
                                        "{\"code\":null}"};
    const char *paths[] = {"/api/v1/me/two-factor/confirm", "/api/v1/me/two-factor/disable"};
    for (size_t p = 0; p < 2; p++)
        for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
            const char *headers[] = {s.auth, NULL};
            api_request(&r, "POST", paths[p], headers, codes[i]);
            if (r.status != 400)
                TEST_FAILF("POST %s %s answered %ld: %.200s", paths[p], codes[i], r.status, r.body);
            api_free(&r);
        }
    post_body(&r, &s, "/api/v1/me/two-factor", "{\"secret\":\"AAAA\"}", 400);
    api_free(&r);
    const char *text[] = {s.auth, "Content-Type: text/plain", NULL};
    api_request(&r, "POST", "/api/v1/me/two-factor/disable", text, "code=123456");
    CHECK_INT(r.status, 415);
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM two_factor WHERE user_id = $1 AND confirmed_at IS NOT NULL", s.id,
                         NULL), 1);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL", s.id, NULL),
              10);
    CHECK_INT((int)sessions_of(&s), (int)sessions);
    /* Signed out, the account routes want a session. */
    api_request(&r, "GET", "/api/v1/me/two-factor", NULL, NULL);
    CHECK_INT(r.status, 401);
    api_free(&r);
}

/* What the tests need, once the suite's server is up. */
static bool setup(void)
{
    db = api_db_open(&server);
    if (db == NULL)
        return false;
    struct db_stmt *st = db_prepare(db, "INSERT INTO organizations (id, name, kind, created_at) VALUES "
                                        "('org_tf_host', 'Two-factor Host', 'host', 0) ON CONFLICT DO NOTHING");
    if (db_step(st) != DB_DONE)
        printf("could not add the host organisation\n");
    db_reset(st);
    set_clock(0);
    return true;
}

static void run_tests(void)
{
    API_RUN(a_student_sets_it_up_and_then_signs_in_with_a_code);
    API_RUN(wrong_reused_and_stale_codes_are_refused_like_a_wrong_password);
    API_RUN(the_second_step_counts_against_the_login_limits);
    API_RUN(a_recovery_code_signs_in_once);
    API_RUN(staff_are_sent_to_enrolment_and_reach_nothing_else);
    API_RUN(turning_it_off_takes_a_code_and_not_for_required_roles);
    API_RUN(staff_reset_a_second_factor_and_others_get_404);
    API_RUN(bad_bodies_are_400_and_change_nothing);
}

static void finish(void)
{
    set_clock(0);
    db_close(db);
}

int main(void)
{
    if (oath_init() != OATH_OK) {
        printf("cannot initialise liboath\n");
        return 1;
    }
    static const char *const flags[] = {"--test-hooks", "1", "--jobs-interval-ms", "0", "--two-factor-roles",
                                        "staff,coach,host_coordinator", NULL};
    static const struct api_suite suite = {
        .name = "test_api_two_factor", .server = &server, .flags = flags, .setup = setup,
        .setup_what = "opening the database failed", .run = run_tests, .finish = finish};
    return api_suite_main(&suite);
}
