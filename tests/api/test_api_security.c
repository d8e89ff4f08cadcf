/* test_api_security.c — regression tests for the holes found from outside
 * (issue 11), against the real `rounds serve` on SQLite and PostgreSQL:
 *
 *   - an account is linked to a preceptor record only by its own consent (an
 *     invitation it accepts while signed in) or when it already is a
 *     preceptor member of the host;
 *   - a letter request naming a preceptor goes only to that preceptor; one by
 *     name and email never counts as from a U.S. physician until staff
 *     confirm its author;
 *   - an email's body (which may hold a live invitation link) and address are
 *     cleared once it is delivered or finally fails; no token is stored in
 *     clear anywhere;
 *   - the SQLite file and its -wal and -shm are created 0600;
 *   - invitation tokens never reach the server log, whatever the path looks
 *     like (trailing slash, extra segment, encoded slash, other case);
 *   - failed logins lock an account only for the client address they come
 *     from, with a growing delay before that, and a much higher ceiling per
 *     account for guessing spread over many addresses;
 *   - one text check for every input whatever its parser (JSON, form,
 *     multipart, query): no C0/C1 controls, no line breaks outside declared
 *     multi-line fields, no bidirectional overrides; volume limits on letter
 *     requests and registrations; emails to outsiders quote user text and
 *     carry no user-chosen link;
 *
 * The main server runs with --test-hooks 1 (the test clock, the jobs),
 * --jobs-interval-ms 0 (only the tests deliver mail) and --trust-proxy 1
 * (X-Forwarded-For from loopback names the client, so that tests can come
 * from several addresses). Every test makes its
 * own people with unique emails, so the suite also runs on a PostgreSQL
 * database that holds other suites' data. */
#include <ctype.h>
#include <dirent.h>
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "api_client.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "test.h"

#define PASSWORD "Vivid-Orchard-Kettle-58!"
#define PEOPLE_PASSWORD PASSWORD
#include "api_people.h"
#include "api_world.h"
#include "api_hooks.h"
#include "api_suite.h"

static struct api_server server, small_server;
static struct db_conn *db;
static struct user staff, coord;
static char org[64], site[64], prc_open[64], offering[64];
static int next_block;

/* ---- helpers ---- */

/* A random 43-character token in the alphabet of real ones. */
static void fake_token(char out[44])
{
    crypto_random_token(out);
}

/* The permission bits of path, or -1 when it does not exist. */
static int mode_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (int)(st.st_mode & 0777) : -1;
}

/* A client address of the documentation range 198.18.0.0/15, new each call. */
static void new_address(char out[32])
{
    unsigned char b[2];
    randombytes_buf(b, sizeof(b));
    snprintf(out, 32, "198.%d.%d.%d", 18 + (b[0] & 1), b[1], 1 + (int)randombytes_uniform(250));
}

/* POST /api/v1/auth/login from a client address; the status, and the
 * Retry-After seconds in *retry_after (-1 when absent). */
static long login_from(const char *addr, const char *email, const char *password, long long *retry_after)
{
    char forwarded[64];
    snprintf(forwarded, sizeof(forwarded), "X-Forwarded-For: %s", addr);
    const char *headers[] = {forwarded, NULL};
    char *body = json_text(json_pack("{s:s,s:s}", "email", email, "password", password));
    struct api_response r;
    long status = api_request(&r, "POST", "/api/v1/auth/login", headers, body);
    free(body);
    const char *after = api_header(&r, "retry-after");
    if (retry_after != NULL)
        *retry_after = after != NULL ? strtoll(after, NULL, 10) : -1;
    if (status == 429 && !(r.json != NULL && api_json_str(r.json, "code") != NULL &&
                           strcmp(api_json_str(r.json, "code"), "rate_limited") == 0))
        TEST_FAILF("a 429 without code rate_limited: %.200s", r.body);
    api_free(&r);
    return status;
}

/* A request as u (NULL: anonymous) with a JSON body text (NULL: none). */
static long call(struct api_response *r, const struct user *u, const char *method, const char *path,
                 const char *body)
{
    const char *headers[] = {u != NULL ? u->auth : NULL, NULL};
    return api_request(r, method, path, headers, body);
}

/* Staff creates a user of role (member of organization when not NULL), who then logs in. */
static bool create_user(struct user *u, const char *prefix, const char *role, const char *organization)
{
    char name[96];
    snprintf(name, sizeof(name), "Dr. %s Adeyemi", prefix);
    return world_member_named(&staff, u, prefix, name, role, organization);
}

/* A preceptor record of the host (as its coordinator), linked to user_id
 * when not NULL, with email (NULL: a unique one). */
static bool create_preceptor(const char *user_id, const char *name, const char *email, char *id_out)
{
    const struct world_preceptor_fields fields = {name, "internal-medicine", "NY", "LIC-77120", "prcsec", email};
    return world_preceptor_record(&coord, org, user_id, &fields, id_out);
}

/* The same, expecting 422 naming user_id (true when it was created anyway). */
static bool create_preceptor_quietly(const char *user_id, char *id_out)
{
    char npi[11], email[160];
    random_npi(npi);
    api_unique_email(email, sizeof(email), "prcsec");
    json_t *body = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "organization_id", org, "name", "Dr. Quiet", "email",
                             email, "npi", npi, "specialty", "internal-medicine", "license_state", "NY",
                             "license_number", "LIC-2", "user_id", user_id);
    char *text = json_text(body);
    struct api_response r;
    call(&r, &coord, "POST", "/api/v1/preceptors", text);
    free(text);
    CHECK_PROBLEM(&r, 422, "unprocessable", "user_id");
    bool created = r.status == 201;
    if (created && api_json_str(r.json, "id") != NULL)
        snprintf(id_out, 64, "%s", api_json_str(r.json, "id"));
    api_free(&r);
    return created;
}

static bool create_offering(const char *preceptor, const char *title, char *id_out)
{
    return create_object(&coord, "/api/v1/offerings",
                         world_medicine_offering_body(org, site, preceptor, title, "hands_on"), id_out);
}

/* A new block of the offering, starting in a month or more. */
static bool create_block(const char *of_offering, char *id_out)
{
    char from[11], to[11], path[160];
    int k = next_block++;
    clock_date_from_days(clock_today_days() + 30 + 29 * k, from);
    clock_date_from_days(clock_today_days() + 58 + 29 * k, to);
    snprintf(path, sizeof(path), "/api/v1/offerings/%s/blocks", of_offering);
    return create_object(&coord, path, json_pack("{s:s,s:s,s:i}", "start", from, "end", to, "seats", 5), id_out);
}

/* Staff from the CLI, a host with a coordinator and a site, a preceptor
 * record without an account and an offering of theirs. */
static bool world_setup(void)
{
    static const struct world_place north = {"North campus", NULL, "Buffalo", "NY", "14203"};
    if (!world_staff(&server, NULL, &staff, "secstaff", "Security"))
        return false;
    if (!world_org(&staff, "host", org, "Mercy Ridge Hospital %ld-%lld", (long)getpid(), (long long)time(NULL)))
        return false;
    if (!create_user(&coord, "seccoord", "host_coordinator", org))
        return false;
    if (!world_site(&staff, org, &north, site))
        return false;
    return create_preceptor(NULL, "Dr. Tomasz Wielgus", NULL, prc_open) &&
           create_offering(prc_open, "Cardiology Clerkship", offering);
}

/* The CSRF token of a fresh anonymous visit (the rounds_csrf cookie of GET /register). */
static bool anonymous_csrf(char token[64])
{
    struct api_response page;
    api_request(&page, "GET", "/register", NULL, NULL);
    bool ok = api_cookie_value(&page, "rounds_csrf", token, 64);
    api_free(&page);
    if (!ok)
        TEST_FAILF("GET /register set no rounds_csrf cookie");
    return ok;
}

/* POSTs a form (urlencoded body, csrf_token added) as u (NULL: anonymous). */
static long post_form(struct api_response *r, const struct user *u, const char *path, const char *fields)
{
    char csrf[64] = "", cookie[200], body[4096];
    if (u == NULL) {
        if (!anonymous_csrf(csrf))
            return 0;
        snprintf(cookie, sizeof(cookie), "Cookie: rounds_csrf=%s", csrf);
    } else {
        /* A bearer session needs no CSRF token. */
        snprintf(cookie, sizeof(cookie), "%s", u->auth);
    }
    snprintf(body, sizeof(body), "%s&csrf_token=%s", fields, csrf);
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded", cookie, NULL};
    return api_request(r, "POST", path, headers, body);
}

/* POST /api/v1/letters as the student; the status. */
static long request_letter(struct api_response *r, const struct user *s, const char *author_name,
                           const char *author_email)
{
    char *text = json_text(json_pack("{s:s,s:s,s:b}", "author_name", author_name, "author_email", author_email,
                                     "waived", 1));
    long status = call(r, s, "POST", "/api/v1/letters", text);
    free(text);
    return status;
}

/* Every subject and body queued to an address, joined (heap string, never NULL). */
static char *outbox_text(const char *to)
{
    size_t len = 0;
    char *all = calloc(1, 1);
    struct db_stmt *st = db_prepare(db, "SELECT subject, body FROM outbox WHERE to_address = $1 ORDER BY id");
    db_bind_text(st, 1, to);
    while (db_step(st) == DB_ROW && all != NULL) {
        for (int c = 0; c < 2; c++) {
            const char *t = db_column_text(st, c);
            size_t n = t != NULL ? strlen(t) : 0;
            char *bigger = realloc(all, len + n + 2);
            if (bigger == NULL)
                break;
            all = bigger;
            memcpy(all + len, t != NULL ? t : "", n);
            len += n;
            all[len++] = '\n';
            all[len] = '\0';
        }
    }
    db_reset(st);
    return all != NULL ? all : calloc(1, 1);
}

/* The token of the first link ".../invitations/letters/<token>" in text, into out[64]. */
static bool token_in(const char *text, char out[64])
{
    const char *p = text != NULL ? strstr(text, "/invitations/letters/") : NULL;
    if (p == NULL)
        return false;
    p += strlen("/invitations/letters/");
    size_t n = 0;
    while (n < 63 && (isalnum((unsigned char)p[n]) || p[n] == '-' || p[n] == '_'))
        n++;
    memcpy(out, p, n);
    out[n] = '\0';
    return n == 43;
}

/* Runs the background jobs once on the current server; mail sent (-1 on failure). */
static long long run_jobs(void)
{
    return hooks_run_jobs_count("mail_sent");
}

/* How many rows of the tables that hold text hold needle anywhere. */
static long long rows_holding(struct db_conn *conn, const char *needle)
{
    static const char *const queries[] = {
        "SELECT COUNT(*) FROM outbox WHERE body LIKE '%' || $1 || '%' OR subject LIKE '%' || $1 || '%'"
        " OR to_address LIKE '%' || $1 || '%' OR kind LIKE '%' || $1 || '%' OR COALESCE(last_error, '') LIKE"
        " '%' || $1 || '%'",
        "SELECT COUNT(*) FROM notifications WHERE title LIKE '%' || $1 || '%' OR link LIKE '%' || $1 || '%'",
        "SELECT COUNT(*) FROM audit_events WHERE detail LIKE '%' || $1 || '%' OR object_id LIKE '%' || $1 || '%'",
        "SELECT COUNT(*) FROM letter_tokens WHERE token_hash LIKE '%' || $1 || '%' OR letter_id LIKE '%' || $1 || '%'",
        "SELECT COUNT(*) FROM letters WHERE author_name LIKE '%' || $1 || '%' OR decline_reason LIKE '%' || $1 || '%'"
        " OR eras_letter_id LIKE '%' || $1 || '%'",
        "SELECT COUNT(*) FROM sessions WHERE token_hash LIKE '%' || $1 || '%' OR csrf_token LIKE '%' || $1 || '%'",
    };
    long long total = 0;
    for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
        long long n = api_db_int(conn, queries[i], needle, NULL);
        if (n < 0)
            TEST_FAILF("query %zu failed", i);
        total += n > 0 ? n : 0;
    }
    return total;
}

/* A new student registered from a new client address (the small server
 * limits registrations per address, counted with every other server's on a
 * shared database). */
static bool register_elsewhere(struct user *u, const char *prefix)
{
    memset(u, 0, sizeof(*u));
    api_unique_email(u->email, sizeof(u->email), prefix);
    snprintf(u->name, sizeof(u->name), "Student %s", prefix);
    char addr[32], forwarded[64];
    new_address(addr);
    snprintf(forwarded, sizeof(forwarded), "X-Forwarded-For: %s", addr);
    const char *headers[] = {forwarded, NULL};
    char *body = json_text(json_pack("{s:s,s:s,s:s}", "email", u->email, "password", PASSWORD, "name", u->name));
    struct api_response r;
    api_request(&r, "POST", "/api/v1/auth/register", headers, body);
    free(body);
    bool ok = r.status == 201;
    if (ok)
        user_from_reply(u, &r);
    else
        TEST_FAILF("registering %s answered %ld: %.300s", u->email, r.status, r.body);
    api_free(&r);
    return ok;
}

/* ---- 1. preceptor records are linked only by consent ---- */

/* The token of the newest preceptor invitation mailed to an address (waiting in the outbox), into out[64]. */
static bool preceptor_token(const char *to, char out[64])
{
    char *body = api_db_text(db, "SELECT body FROM outbox WHERE to_address = $1 ORDER BY id DESC", to, NULL, NULL);
    const char *p = body != NULL ? strstr(body, "/invitations/preceptors/") : NULL;
    size_t n = 0;
    if (p != NULL) {
        p += strlen("/invitations/preceptors/");
        while (n < 63 && (isalnum((unsigned char)p[n]) || p[n] == '-' || p[n] == '_'))
            n++;
        memcpy(out, p, n);
    }
    out[n] = '\0';
    free(body);
    if (n != 43)
        TEST_FAILF("no preceptor invitation link in the newest email to %s", to);
    return n == 43;
}

/* POST /api/v1/preceptors/{id}/invitations as u; the status. */
static long invite_preceptor(struct api_response *r, const struct user *u, const char *preceptor)
{
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/preceptors/%s/invitations", preceptor);
    return call(r, u, "POST", path, "{}");
}

static long accept_invitation(struct api_response *r, const struct user *u, const char *token)
{
    char *body = json_text(json_pack("{s:s}", "token", token));
    long status = call(r, u, "POST", "/api/v1/preceptor-invitations/accept", body);
    free(body);
    return status;
}

TEST(an_account_is_not_made_a_preceptor_without_its_consent)
{
    struct user s;
    if (!register_student(&s, "not-a-doctor"))
        return;
    char npi[11], email[160];
    random_npi(npi);
    api_unique_email(email, sizeof(email), "prc-forced");
    json_t *body = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "organization_id", org, "name", "Dr. Forced Link",
                             "email", email, "npi", npi, "specialty", "internal-medicine", "license_state", "NY",
                             "license_number", "LIC-1", "user_id", s.id);
    char *text = json_text(body);
    struct api_response r;
    call(&r, &coord, "POST", "/api/v1/preceptors", text);
    CHECK_PROBLEM(&r, 422, "unprocessable", "user_id");
    api_free(&r);
    /* Not by staff either, and not a preceptor member of another host. */
    call(&r, &staff, "POST", "/api/v1/preceptors", text);
    CHECK_PROBLEM(&r, 422, "unprocessable", "user_id");
    api_free(&r);
    free(text);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM preceptors WHERE npi = $1 OR user_id = $2", npi, s.id), 0);
    char other_org[64], name[128];
    snprintf(name, sizeof(name), "Elsewhere Clinic %ld-%lld", (long)getpid(), (long long)time(NULL));
    struct user elsewhere;
    if (!create_object(&staff, "/api/v1/organizations", json_pack("{s:s,s:s}", "name", name, "kind", "host"),
                       other_org) ||
        !create_user(&elsewhere, "elsewhere", "preceptor", other_org))
        return;
    char id[64];
    CHECK(!create_preceptor_quietly(elsewhere.id, id));
    /* A preceptor member of this host may be linked at creation. */
    struct user member;
    if (!create_user(&member, "member", "preceptor", org))
        return;
    CHECK(create_preceptor(member.id, "Dr. Member Link", NULL, id));
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM preceptors WHERE id = $1 AND user_id = $2", id, member.id), 1);
}

TEST(a_preceptor_links_their_own_account_by_invitation)
{
    char email[160], record[64];
    api_unique_email(email, sizeof(email), "prc-invited");
    if (!create_preceptor(NULL, "Dr. Nkechi Obi", email, record))
        return;
    struct api_response r;
    /* A student, or another host's coordinator, cannot invite: 404. */
    struct user s;
    if (!register_student(&s, "invite-nosy"))
        return;
    invite_preceptor(&r, &s, record);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    invite_preceptor(&r, &coord, record);
    CHECK_INT(r.status, 201);
    CHECK_STR(api_json_str(r.json, "preceptor_id"), record);
    CHECK_STR(api_json_str(r.json, "sent_to"), email);
    char token[64];
    if (!preceptor_token(email, token)) {
        api_free(&r);
        return;
    }
    CHECK(strstr(r.body, token) == NULL);
    api_free(&r);
    char hash[65];
    crypto_hash_token(token, hash);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM preceptor_invitations WHERE token_hash = $1 AND preceptor_id = $2",
                         hash, record),
              1);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM audit_events WHERE action = 'preceptor.invite' AND object_id = $1",
                         record, NULL),
              1);
    /* Signed out, the page asks to log in first and come back. */
    char path[160];
    snprintf(path, sizeof(path), "/invitations/preceptors/%s", token);
    api_request(&r, "GET", path, NULL, NULL);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body, "Dr. Nkechi Obi");
    CHECK_CONTAINS(r.body, "/login?next=%2Finvitations%2Fpreceptors%2F");
    api_free(&r);
    accept_invitation(&r, NULL, token);
    CHECK_PROBLEM(&r, 401, "unauthenticated", NULL);
    api_free(&r);
    /* The doctor, signed in to their own account, accepts. */
    struct user doctor;
    if (!register_student(&doctor, "doctor"))
        return;
    accept_invitation(&r, &doctor, token);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "user_id"), doctor.id);
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM preceptors WHERE id = $1 AND user_id = $2", record, doctor.id), 1);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM memberships WHERE user_id = $1 AND organization_id = $2"
                             " AND role = 'preceptor'",
                         doctor.id, org),
              1);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM user_roles WHERE user_id = $1 AND role = 'preceptor'", doctor.id,
                         NULL),
              1);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM audit_events WHERE action = 'preceptor.link' AND actor_id = $1"
                             " AND object_id = $2",
                         doctor.id, record),
              1);
    /* Once: another account cannot use the link again, nor can the record be invited again. */
    accept_invitation(&r, &s, token);
    CHECK_PROBLEM(&r, 410, "invitation_used", NULL);
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM preceptors WHERE id = $1 AND user_id = $2", record, doctor.id), 1);
    invite_preceptor(&r, &coord, record);
    CHECK_PROBLEM(&r, 409, "conflict", NULL);
    api_free(&r);
    accept_invitation(&r, &s, "not-a-token");
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    call(&r, &s, "POST", "/api/v1/preceptor-invitations/accept", "{\"token\":7}");
    CHECK_PROBLEM(&r, 400, "validation_failed", "token");
    api_free(&r);
}

TEST(preceptor_invitations_expire_and_are_limited)
{
    char email[160], record[64];
    api_unique_email(email, sizeof(email), "prc-expiring");
    if (!create_preceptor(NULL, "Dr. Lars Eklund", email, record))
        return;
    struct api_response r;
    for (int i = 0; i < 3; i++) {
        invite_preceptor(&r, &coord, record);
        CHECK_INT(r.status, 201);
        api_free(&r);
    }
    invite_preceptor(&r, &coord, record);
    CHECK_PROBLEM(&r, 429, "rate_limited", NULL);
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM outbox WHERE to_address = $1", email, NULL), 3);
    char token[64];
    if (!preceptor_token(email, token))
        return;
    struct user doctor;
    if (!register_student(&doctor, "late-doctor"))
        return;
    hooks_set_clock_frozen(15 * 86400, false);
    CHECK(login(&doctor)); /* a session of fifteen days later */
    accept_invitation(&r, &doctor, token);
    hooks_set_clock_frozen(0, false);
    CHECK_PROBLEM(&r, 410, "invitation_expired", NULL);
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM preceptors WHERE id = $1 AND user_id IS NULL", record, NULL), 1);
}

TEST(the_invitation_page_links_the_signed_in_account)
{
    char email[160], record[64];
    api_unique_email(email, sizeof(email), "prc-page");
    if (!create_preceptor(NULL, "Dr. Page Link", email, record))
        return;
    struct api_response r;
    invite_preceptor(&r, &coord, record);
    CHECK_INT(r.status, 201);
    api_free(&r);
    char token[64], path[200];
    struct user doctor;
    if (!preceptor_token(email, token) || !register_student(&doctor, "page-doctor"))
        return;
    snprintf(path, sizeof(path), "/invitations/preceptors/%s", token);
    const char *headers[] = {doctor.cookie, NULL};
    api_request(&r, "GET", path, headers, NULL);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body, "Link my account");
    CHECK_CONTAINS(r.body, doctor.email);
    api_free(&r);
    snprintf(path, sizeof(path), "/invitations/preceptors/%s/accept", token);
    post_form(&r, &doctor, path, "x=1");
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body, "Your account is linked");
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM preceptors WHERE id = $1 AND user_id = $2", record, doctor.id), 1);
    /* Used: the page says so. */
    snprintf(path, sizeof(path), "/invitations/preceptors/%s", token);
    api_request(&r, "GET", path, NULL, NULL);
    CHECK_INT(r.status, 410);
    api_free(&r);
}

/* ---- 2. a letter from a U.S. physician is one the physician wrote ---- */

/* A verified preceptor record of the host (its id and NPI), linked to user_id when not NULL, with an offering. */
static bool verified_preceptor(const char *user_id, const char *email, char *id_out, char npi_out[11],
                               char *offering_out)
{
    char own_email[160];
    if (email == NULL) {
        api_unique_email(own_email, sizeof(own_email), "prc-verified");
        email = own_email;
    }
    random_npi(npi_out);
    json_t *body = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "organization_id", org, "name", "Dr. Rosa Delgado",
                             "email", email, "npi", npi_out, "specialty", "internal-medicine", "license_state", "NY",
                             "license_number", "LIC-9");
    if (user_id != NULL)
        json_object_set_new(body, "user_id", json_string(user_id));
    if (!create_object(&coord, "/api/v1/preceptors", body, id_out))
        return false;
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/preceptors/%s/verify", id_out);
    struct api_response r;
    char expires[11]; /* verifying needs the licence's expiry, in the future */
    clock_date_from_days(clock_today_days() + 400, expires);
    bool ok = post_as(&r, &staff, path, json_pack("{s:b,s:s}", "verified", 1, "license_expires", expires), 200);
    api_free(&r);
    return ok && create_offering(id_out, "Nephrology Clerkship", offering_out);
}

/* The student holds a seat in a new block of the offering (so its preceptor is theirs to ask). */
static bool hold_a_seat(const struct user *s, const char *of_offering)
{
    char block[64], app[64], path[200];
    if (!create_block(of_offering, block) ||
        !create_object(s, "/api/v1/applications", json_pack("{s:s}", "block_id", block), app))
        return false;
    struct api_response r;
    snprintf(path, sizeof(path), "/api/v1/applications/%s/offer", app);
    bool ok = post_as(&r, &coord, path, json_pack("{}"), 200);
    api_free(&r);
    snprintf(path, sizeof(path), "/api/v1/applications/%s/accept", app);
    ok = ok && post_as(&r, s, path, json_pack("{}"), 200);
    api_free(&r);
    return ok;
}

static long request_of_preceptor(struct api_response *r, const struct user *s, const char *preceptor,
                                 const char *author_email)
{
    json_t *body = json_pack("{s:s,s:b}", "preceptor_id", preceptor, "waived", 1);
    if (author_email != NULL)
        json_object_set_new(body, "author_email", json_string(author_email));
    char *text = json_text(body);
    long status = call(r, s, "POST", "/api/v1/letters", text);
    free(text);
    return status;
}

TEST(a_request_naming_a_preceptor_goes_only_to_that_preceptor)
{
    char record_email[160], record[64], npi[11], of[64];
    api_unique_email(record_email, sizeof(record_email), "prc-record");
    struct user s;
    if (!verified_preceptor(NULL, record_email, record, npi, of) || !register_student(&s, "forger") ||
        !hold_a_seat(&s, of))
        return;
    /* The forgery: the preceptor named, an address of the student's choosing. */
    char mine[160];
    api_unique_email(mine, sizeof(mine), "not-the-preceptor");
    struct api_response r;
    request_of_preceptor(&r, &s, record, mine);
    CHECK_PROBLEM(&r, 422, "unprocessable", "author_email");
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM letters WHERE student_id = $1", s.id, NULL), 0);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM outbox WHERE to_address = $1", mine, NULL), 0);
    /* Without an address it goes to the verified record's. */
    request_of_preceptor(&r, &s, record, NULL);
    CHECK_INT(r.status, 201);
    CHECK_STR(api_json_str(r.json, "author.email"), record_email);
    CHECK(json_is_true(json_object_get(r.json, "from_us_physician")));
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM outbox WHERE to_address = $1", record_email, NULL), 1);

    /* An unverified record without an account cannot be asked this way. */
    struct user t;
    if (!register_student(&t, "forger-two") || !hold_a_seat(&t, offering))
        return;
    request_of_preceptor(&r, &t, prc_open, NULL);
    CHECK_PROBLEM(&r, 422, "unprocessable", "preceptor_id");
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM letters WHERE student_id = $1", t.id, NULL), 0);
}

TEST(a_request_to_a_linked_preceptor_goes_to_their_account)
{
    struct user doctor;
    if (!create_user(&doctor, "linked-doctor", "preceptor", org))
        return;
    char record_email[160], record[64], npi[11], of[64];
    api_unique_email(record_email, sizeof(record_email), "prc-record-other");
    struct user s;
    if (!verified_preceptor(doctor.id, record_email, record, npi, of) || !register_student(&s, "asks-linked") ||
        !hold_a_seat(&s, of))
        return;
    struct api_response r;
    request_of_preceptor(&r, &s, record, NULL);
    CHECK_INT(r.status, 201);
    CHECK_STR(api_json_str(r.json, "author.email"), doctor.email);
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM outbox WHERE to_address = $1 AND kind = 'letter_invitation'",
                         doctor.email, NULL),
              1);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM outbox WHERE to_address = $1", record_email, NULL), 0);
}

/* The author uploads a small PDF through the invitation link. */
static bool upload_through_link(const char *letter, const char *token)
{
    static const char boundary[] = "sec-letter-boundary-4d2e";
    char body[1024], header[128], content_type[128], path[200];
    int n = snprintf(body, sizeof(body),
                     "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"letter.pdf\"\r\n"
                     "Content-Type: application/pdf\r\n\r\n%%PDF-1.4\n%% a letter\n%%%%EOF\n\r\n--%s--\r\n",
                     boundary, boundary);
    snprintf(header, sizeof(header), "X-Invitation-Token: %s", token);
    snprintf(content_type, sizeof(content_type), "Content-Type: multipart/form-data; boundary=%s", boundary);
    snprintf(path, sizeof(path), "/api/v1/letters/%s/upload", letter);
    const char *headers[] = {header, content_type, NULL};
    struct api_raw_request rq = {"POST", path, headers, body, (size_t)n, true};
    struct api_response r;
    api_send(&r, &rq);
    bool ok = r.status == 200;
    if (!ok)
        TEST_FAILF("uploading the letter answered %ld: %.300s", r.status, r.body);
    api_free(&r);
    return ok;
}

static long long us_letters(const struct user *s)
{
    struct api_response r;
    call(&r, s, "GET", "/api/v1/me/readiness", NULL);
    long long n = api_json_int(r.json, "letters.from_us_physicians", -1);
    api_free(&r);
    return n;
}

TEST(a_letter_by_name_and_email_counts_only_when_staff_confirm_its_author)
{
    /* A real, verified preceptor with an account, asked by name and that account's address. */
    struct user doctor;
    if (!create_user(&doctor, "named-doctor", "preceptor", org))
        return;
    char record[64], npi[11], of[64];
    struct user s;
    if (!verified_preceptor(doctor.id, NULL, record, npi, of) || !register_student(&s, "by-name"))
        return;
    struct api_response r;
    request_letter(&r, &s, "Dr. Rosa Delgado", doctor.email);
    CHECK_INT(r.status, 201);
    char letter[64];
    snprintf(letter, sizeof(letter), "%s", api_json_str(r.json, "id") != NULL ? api_json_str(r.json, "id") : "");
    CHECK(json_is_false(json_object_get(r.json, "from_us_physician")));
    api_free(&r);
    char *mail = outbox_text(doctor.email);
    char token[64];
    bool have_token = token_in(mail, token);
    free(mail);
    if (!have_token || !upload_through_link(letter, token))
        return;
    CHECK_INT(us_letters(&s), 0);
    /* Only staff confirm, by the NPI of a verified preceptor. */
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/letters/%s/author", letter);
    char body[64];
    snprintf(body, sizeof(body), "{\"npi\":\"%s\"}", npi);
    call(&r, &s, "POST", path, body);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    call(&r, &coord, "POST", path, body);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    call(&r, &staff, "POST", path, "{\"npi\":\"1234\"}");
    CHECK_PROBLEM(&r, 400, "validation_failed", "npi");
    api_free(&r);
    char unknown[11], unknown_body[64];
    random_npi(unknown);
    snprintf(unknown_body, sizeof(unknown_body), "{\"npi\":\"%s\"}", unknown);
    call(&r, &staff, "POST", path, unknown_body);
    CHECK_PROBLEM(&r, 422, "unprocessable", "npi");
    api_free(&r);
    CHECK_INT(us_letters(&s), 0);
    call(&r, &staff, "POST", path, body);
    CHECK_INT(r.status, 200);
    CHECK(json_is_true(json_object_get(r.json, "from_us_physician")));
    CHECK_STR(api_json_str(r.json, "confirmed_preceptor_id"), record);
    api_free(&r);
    CHECK_INT(us_letters(&s), 1);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM audit_events WHERE action = 'letter.author_confirmed'"
                             " AND object_id = $1 AND actor_id = $2",
                         letter, staff.id),
              1);
}

TEST(staff_confirm_the_author_on_the_letter_page)
{
    struct user s;
    if (!register_student(&s, "page-confirm"))
        return;
    char author[160];
    api_unique_email(author, sizeof(author), "page-author");
    struct api_response r;
    request_letter(&r, &s, "Dr. Page Author", author);
    CHECK_INT(r.status, 201);
    char letter[64], path[200];
    snprintf(letter, sizeof(letter), "%s", api_json_str(r.json, "id") != NULL ? api_json_str(r.json, "id") : "");
    api_free(&r);
    snprintf(path, sizeof(path), "/letters/%s", letter);
    const char *headers[] = {staff.cookie, NULL};
    api_request(&r, "GET", path, headers, NULL);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body, "Confirm the author");
    api_free(&r);
    /* A wrong NPI comes back with what was typed. */
    snprintf(path, sizeof(path), "/staff/letters/%s/author", letter);
    post_form(&r, &staff, path, "npi=12345");
    CHECK_INT(r.status, 400);
    CHECK_CONTAINS(r.body, "value=\"12345\"");
    api_free(&r);
    char record[64], npi[11], of[64], fields[64];
    if (!verified_preceptor(NULL, NULL, record, npi, of))
        return;
    snprintf(fields, sizeof(fields), "npi=%s", npi);
    post_form(&r, &staff, path, fields);
    CHECK_INT(r.status, 303);
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM letters WHERE id = $1 AND confirmed_preceptor_id = $2", letter,
                         record),
              1);
    /* A student cannot. */
    post_form(&r, &s, path, fields);
    CHECK_INT(r.status, 404);
    api_free(&r);
}

/* ---- 3. delivered mail keeps no body ---- */

TEST(delivered_mail_keeps_no_body_no_address_and_no_token)
{
    struct user s;
    if (!register_student(&s, "outbox"))
        return;
    char author[160], token[64] = "";
    api_unique_email(author, sizeof(author), "outbox-author");
    struct api_response r;
    request_letter(&r, &s, "Dr. Ama Mensah", author);
    CHECK_INT(r.status, 201);
    api_free(&r);
    /* Waiting to be sent, the body holds the link. */
    char *body = api_db_text(db, "SELECT body FROM outbox WHERE to_address = $1", author, NULL, NULL);
    CHECK(token_in(body, token));
    free(body);
    /* Delivered to the maildir (after whatever mail was queued before it); only the audit stays. */
    CHECK(hooks_deliver_mail_to(db, author));
    char hash[65];
    crypto_hash_token(author, hash);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM outbox WHERE to_address = $1", author, NULL), 0);
    CHECK_INT(api_db_int(db,
                         "SELECT COUNT(*) FROM outbox WHERE to_hash = $1 AND body = '' AND to_address = ''"
                         " AND kind = 'letter_invitation' AND sent_at IS NOT NULL AND subject <> ''",
                         hash, NULL),
              1);
    CHECK_INT(rows_holding(db, token), 0);
    CHECK_INT(rows_holding(db, author), 0);
    /* The link still works: it lives hashed in letter_tokens. */
    char path[128];
    snprintf(path, sizeof(path), "/invitations/letters/%s", token);
    api_request(&r, "GET", path, NULL, NULL);
    CHECK_INT(r.status, 200);
    api_free(&r);
    /* And it was delivered with the link. */
    char dir[400];
    snprintf(dir, sizeof(dir), "%s/data/mail/new", server.dir);
    bool found = false;
    DIR *d = opendir(dir);
    for (struct dirent *e; d != NULL && (e = readdir(d)) != NULL && !found;) {
        char file[700];
        snprintf(file, sizeof(file), "%s/%s", dir, e->d_name);
        char *mail = e->d_name[0] != '.' ? api_read_file(file, NULL) : NULL;
        found = mail != NULL && strstr(mail, token) != NULL && strstr(mail, author) != NULL;
        free(mail);
    }
    if (d != NULL)
        closedir(d);
    CHECK(found);
}

/* The attempts made at an outbox mail (by id), -1 when it is not there. */
static long long mail_attempts(struct db_conn *conn, const char *id)
{
    return api_db_int(conn, "SELECT attempts FROM outbox WHERE id = $1", id, NULL);
}

/* Runs the jobs until the mail has been tried once more: each round stops at
 * its first failure, so the mail due before it takes the first rounds. At
 * most as many rounds as mail waits, and one. */
static void try_mail_once_more(struct db_conn *conn, const char *id)
{
    long long before = mail_attempts(conn, id);
    long long waiting =
        api_db_int(conn, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL", NULL, NULL);
    for (long long round = 0; round <= waiting && mail_attempts(conn, id) == before; round++)
        run_jobs();
}

/* Runs on the small server, whose SMTP server never answers, on a database
 * of its own: each round of the jobs stops at its first failure, so on a
 * database shared with other suites their mail would take the attempts. */
TEST(mail_that_finally_fails_is_cleared_too)
{
    api_use(&small_server);
    struct db_conn *small_db = api_db_open(&small_server);
    struct user s;
    if (!register_elsewhere(&s, "outbox-fail")) {
        db_close(small_db);
        api_use(&server);
        return;
    }
    char author[160];
    api_unique_email(author, sizeof(author), "outbox-fail-author");
    struct api_response r;
    request_letter(&r, &s, "Dr. Ama Mensah", author);
    CHECK_INT(r.status, 201);
    api_free(&r);
    char *body = api_db_text(small_db, "SELECT body FROM outbox WHERE to_address = $1", author, NULL, NULL);
    char token[64] = "";
    CHECK(token_in(body, token));
    free(body);
    char *id = api_db_text(small_db, "SELECT id FROM outbox WHERE to_address = $1", author, NULL, NULL);
    if (id == NULL) {
        TEST_FAILF("no mail to %s in the outbox", author);
        db_close(small_db);
        api_use(&server);
        return;
    }
    char hash[65];
    crypto_hash_token(author, hash);
    /* Every attempt fails; an hour later it is tried again, until it is given up. */
    long long offset = 0;
    hooks_set_clock_frozen(0, true);
    for (int i = 0; i < 40; i++) {
        try_mail_once_more(small_db, id);
        if (api_db_int(small_db, "SELECT COUNT(*) FROM outbox WHERE id = $1 AND failed_at IS NOT NULL", id, NULL) == 1)
            break;
        offset += 3600;
        hooks_set_clock_frozen(offset, true);
    }
    hooks_set_clock_frozen(0, false);
    CHECK_INT(api_db_int(small_db,
                         "SELECT COUNT(*) FROM outbox WHERE id = $1 AND to_hash = $2 AND failed_at IS NOT NULL"
                         " AND body = '' AND to_address = '' AND sent_at IS NULL AND attempts >= 10",
                         id, hash),
              1);
    CHECK_INT(rows_holding(small_db, token), 0);
    /* Given up, it is never tried again, though every other mail is tried. */
    long long attempts = mail_attempts(small_db, id);
    hooks_set_clock_frozen(offset + 7200, true);
    try_mail_once_more(small_db, id);
    hooks_set_clock_frozen(0, false);
    CHECK_INT(mail_attempts(small_db, id), attempts);
    free(id);
    db_close(small_db);
    api_use(&server);
}

/* ---- 4. the SQLite files are private ---- */

TEST(sqlite_files_are_created_0600)
{
    /* Whatever database the suite runs on, this server gets a new SQLite
     * file (--db wins over ROUNDS_DB), under the usual umask. */
    char dir[64];
    if (test_tmp_dir(dir, sizeof(dir), "mode") == NULL) {
        TEST_FAILF("test_tmp_dir failed");
        return;
    }
    char db_path[128], wal[140], shm[140];
    snprintf(db_path, sizeof(db_path), "%s/fresh.db", dir);
    snprintf(wal, sizeof(wal), "%s-wal", db_path);
    snprintf(shm, sizeof(shm), "%s-shm", db_path);
    mode_t old = umask(022);
    struct api_server own;
    const char *flags[] = {"--db", db_path, NULL};
    int started = api_server_start(&own, flags);
    umask(old);
    if (started != 0) {
        TEST_FAILF("the server on a new SQLite file did not start");
        api_remove_tree(dir);
        api_use(&server);
        return;
    }
    /* A write, so that the WAL has content while the server runs. */
    struct user u;
    CHECK(register_student_unconfirmed(&u, "modes"));
    CHECK_INT(mode_of(db_path), 0600);
    CHECK_INT(mode_of(wal), 0600);
    CHECK_INT(mode_of(shm), 0600);
    CHECK_INT(api_server_stop(&own), 0);
    api_server_cleanup(&own);
    api_remove_tree(dir);
    api_use(&server);
}

TEST(sqlite_cli_creates_the_file_0600)
{
    char dir[64];
    if (test_tmp_dir(dir, sizeof(dir), "mode") == NULL) {
        TEST_FAILF("test_tmp_dir failed");
        return;
    }
    char db_path[128];
    snprintf(db_path, sizeof(db_path), "%s/migrated.db", dir);
    mode_t old = umask(022);
    const char *args[] = {"migrate", "--db", db_path, NULL};
    struct api_cli_result res;
    CHECK_INT(api_cli(NULL, args, NULL, &res), 0);
    umask(old);
    CHECK_INT(mode_of(db_path), 0600);
    api_cli_free(&res);
    api_remove_tree(dir);
}

/* ---- 5. tokens never reach the log ---- */

TEST(invitation_tokens_are_masked_in_the_log_whatever_the_path)
{
    char token[44];
    fake_token(token);
    /* Each path is before + token + after. */
    static const char *const shapes[][2] = {
        {"/invitations/letters/", ""},           {"/invitations/letters/", "/"},
        {"/invitations/letters/", "/accept"},    {"/invitations/letters/", "/extra/seg"},
        {"/invitations/letters/x%2F", ""},       {"/invitations/letters/", "%2Fupload"},
        {"/INVITATIONS/letters/", ""},           {"/invitations//letters/", ""},
        {"//invitations/letters/", ""},          {"/invitations/", ""},
        {"/invitations/preceptors/", ""},        {"/invitations/letters/%2e/", ""},
        {"/%69nvitations/letters/", "/upload"},  {"/invitations/letters/", "?x=1"},
    };
    for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
        char path[256];
        snprintf(path, sizeof(path), "%s%s%s", shapes[i][0], token, shapes[i][1]);
        struct api_response r;
        api_request(&r, "GET", path, NULL, NULL);
        CHECK(r.status >= 200 && r.status < 500);
        api_free(&r);
        api_request(&r, "POST", path, NULL, "{}");
        CHECK(r.status >= 200 && r.status < 500);
        api_free(&r);
    }
    /* The requests are in the log (the last reply is written before it
     * arrives), and the token is not. */
    char *log = api_read_file(server.log_path, NULL);
    CHECK(log != NULL);
    if (log == NULL)
        return;
    CHECK(strstr(log, token) == NULL);
    /* Nor any 20 characters of it. */
    for (size_t at = 0; at + 20 <= strlen(token); at += 7) {
        char part[21];
        memcpy(part, token + at, 20);
        part[20] = '\0';
        if (strstr(log, part) != NULL)
            TEST_FAILF("the log holds part of the token: %s", part);
    }
    CHECK_CONTAINS(log, "path=/invitations/");
    free(log);
}

TEST(other_paths_are_logged_as_they_are)
{
    struct api_response r;
    api_request(&r, "GET", "/api/v1/offerings/o_not_a_secret_path_417", NULL, NULL);
    CHECK_INT(r.status, 404);
    api_free(&r);
    char *log = api_read_file(server.log_path, NULL);
    CHECK_CONTAINS(log, "path=/api/v1/offerings/o_not_a_secret_path_417");
    free(log);
}

/* ---- 6. the login lock is per account and address ---- */

TEST(failed_logins_from_one_address_do_not_lock_the_owner_out_elsewhere)
{
    struct user u;
    if (!register_student(&u, "lockout"))
        return;
    char attacker[32], owner[32];
    new_address(attacker);
    new_address(owner);
    long long after = 0, offset = 0;
    hooks_set_clock_frozen(0, true); /* seconds count only when the test moves the clock */
    /* Five free failures, then each next attempt waits 1, 2, 4, 8, 16 s. */
    for (int i = 0; i < 5; i++)
        CHECK_INT(login_from(attacker, u.email, "Wrong-Password-Guess-1", &after), 401);
    long long want = 1;
    for (int i = 5; i < 10; i++) {
        CHECK_INT(login_from(attacker, u.email, "Wrong-Password-Guess-2", &after), 429);
        CHECK_INT(after, want);
        offset += after;
        hooks_set_clock_frozen(offset, true);
        CHECK_INT(login_from(attacker, u.email, "Wrong-Password-Guess-3", &after), 401);
        want *= 2;
    }
    /* Ten failures: locked for this address, even with the right password,
     * until the first failure leaves the 15-minute window. */
    offset += 61;
    hooks_set_clock_frozen(offset, true);
    CHECK_INT(login_from(attacker, u.email, PASSWORD, &after), 429);
    CHECK_INT(after, 900 - offset);
    /* The owner, from their own address, logs in at once. */
    CHECK_INT(login_from(owner, u.email, PASSWORD, NULL), 200);
    /* A success forgets only its own address's failures. */
    char key[65];
    crypto_hash_token(u.email, key);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM login_failures WHERE account_key = $1 AND client_addr = $2", key,
                         attacker),
              10);
    /* The lock lifts when the window has passed. */
    hooks_set_clock_frozen(offset + after, true);
    CHECK_INT(login_from(attacker, u.email, PASSWORD, NULL), 200);
    hooks_set_clock_frozen(0, false);
}

TEST(the_account_ceiling_stops_guessing_spread_over_addresses)
{
    api_use(&small_server);
    struct user u;
    if (!register_elsewhere(&u, "ceiling")) {
        api_use(&server);
        return;
    }
    /* --login-limit-account 6, --login-limit-account-client 3: two addresses
     * fail three times each; a third address is refused too. */
    for (int a = 0; a < 2; a++) {
        char addr[32];
        new_address(addr);
        for (int i = 0; i < 3; i++)
            CHECK_INT(login_from(addr, u.email, "Wrong-Password-Guess-4", NULL), 401);
        CHECK_INT(login_from(addr, u.email, PASSWORD, NULL), 429);
    }
    char fresh[32];
    new_address(fresh);
    long long after = 0;
    CHECK_INT(login_from(fresh, u.email, PASSWORD, &after), 429);
    CHECK(after > 0);
    api_use(&server);
}

/* ---- 7. one text check, volume limits, emails to outsiders ---- */

TEST(the_register_form_refuses_line_breaks_in_the_name)
{
    char email[160], fields[512];
    api_unique_email(email, sizeof(email), "crlf");
    snprintf(fields, sizeof(fields), "name=Amara%%0D%%0ABcc%%3A+all%%40example.org&email=%s&password=%s", email,
             "Plum-Orchard-Harbor-71");
    struct api_response r;
    post_form(&r, NULL, "/register", fields);
    CHECK_INT(r.status, 400);
    CHECK_CONTAINS(api_header(&r, "content-type"), "text/html");
    CHECK_CONTAINS(r.body, "name");
    CHECK_CONTAINS(r.body, "one line");
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM users WHERE email = $1", email, NULL), 0);
}

TEST(json_fields_refuse_bidirectional_overrides_and_c1_controls)
{
    char email[160];
    api_unique_email(email, sizeof(email), "bidi");
    struct api_response r;
    char *body = json_text(json_pack("{s:s,s:s,s:s}", "email", email, "password", "Plum-Orchard-Harbor-71", "name",
                                     "Amara \xe2\x80\xaekefaro"));
    call(&r, NULL, "POST", "/api/v1/auth/register", body);
    free(body);
    CHECK_PROBLEM(&r, 400, "validation_failed", "name");
    CHECK_CONTAINS(api_json_str(r.json, "detail"), "bidirectional");
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM users WHERE email = $1", email, NULL), 0);

    /* A C1 control (U+0085, next line) in a one-line field checked by the domain. */
    struct user s;
    if (!register_student(&s, "cone"))
        return;
    char author[160];
    api_unique_email(author, sizeof(author), "cone-author");
    request_letter(&r, &s, "Dr. Line\xc2\x85" "Break", author);
    CHECK_PROBLEM(&r, 400, "validation_failed", "author_name");
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM letters WHERE student_id = $1", s.id, NULL), 0);
    /* An isolate (U+2067) too. */
    request_letter(&r, &s, "Dr. \xe2\x81\xa7Isolated", author);
    CHECK_PROBLEM(&r, 400, "validation_failed", "author_name");
    api_free(&r);
}

TEST(query_parameters_go_through_the_same_check)
{
    struct api_response r;
    api_request(&r, "GET", "/api/v1/offerings?q=cardio%E2%80%AEygolo", NULL, NULL);
    CHECK_PROBLEM(&r, 400, "invalid_parameter", "q");
    api_free(&r);
    api_request(&r, "GET", "/api/v1/offerings?q=cardio%0Alogy", NULL, NULL);
    CHECK_PROBLEM(&r, 400, "invalid_parameter", "q");
    api_free(&r);
    api_request(&r, "GET", "/api/v1/offerings?q=cardiology", NULL, NULL);
    CHECK_INT(r.status, 200);
    api_free(&r);
}

TEST(multipart_fields_go_through_the_same_check)
{
    struct user s;
    if (!register_student(&s, "multipart"))
        return;
    static const char boundary[] = "sec-boundary-9c1f";
    char body[1024];
    int n = snprintf(body, sizeof(body),
                     "--%s\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\npassport\xe2\x80\xae\r\n"
                     "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.pdf\"\r\n"
                     "Content-Type: application/pdf\r\n\r\n%%PDF-1.4 test\r\n--%s--\r\n",
                     boundary, boundary, boundary);
    char content_type[128];
    snprintf(content_type, sizeof(content_type), "Content-Type: multipart/form-data; boundary=%s", boundary);
    const char *headers[] = {s.auth, content_type, NULL};
    struct api_raw_request rq = {"POST", "/api/v1/documents", headers, body, (size_t)n, true};
    struct api_response r;
    api_send(&r, &rq);
    CHECK_PROBLEM(&r, 400, "validation_failed", "kind");
    CHECK_CONTAINS(api_json_str(r.json, "detail"), "bidirectional");
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM documents WHERE student_id = $1", s.id, NULL), 0);
}

TEST(declared_multi_line_form_fields_keep_their_line_breaks)
{
    struct user s;
    char block[64];
    if (!register_student(&s, "multiline") || !create_block(offering, block))
        return;
    char fields[512], path[160];
    snprintf(fields, sizeof(fields), "block_id=%s&statement=First+line.%%0D%%0ASecond+line.", block);
    snprintf(path, sizeof(path), "/offerings/%s/apply", offering);
    struct api_response r;
    post_form(&r, &s, path, fields);
    CHECK_INT(r.status, 303);
    api_free(&r);
    char *statement = api_db_text(db, "SELECT statement FROM applications WHERE student_id = $1", s.id, NULL, NULL);
    CHECK_STR(statement, "First line.\r\nSecond line.");
    free(statement);
}

TEST(letter_requests_are_limited_per_day_and_per_open_author)
{
    struct user s;
    if (!register_student(&s, "volume"))
        return;
    char first_author[160] = "";
    for (int i = 0; i < 10; i++) {
        char author[160];
        api_unique_email(author, sizeof(author), "volume-author");
        if (i == 0)
            snprintf(first_author, sizeof(first_author), "%s", author);
        struct api_response r;
        request_letter(&r, &s, "Dr. Hannah Okoro", author);
        CHECK_INT(r.status, 201);
        api_free(&r);
    }
    char another[160];
    api_unique_email(another, sizeof(another), "volume-author");
    struct api_response r;
    request_letter(&r, &s, "Dr. Hannah Okoro", another);
    CHECK_PROBLEM(&r, 429, "rate_limited", NULL);
    const char *after = api_header(&r, "retry-after");
    CHECK(after != NULL && strtoll(after, NULL, 10) > 0 && strtoll(after, NULL, 10) <= 86400);
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM letters WHERE student_id = $1", s.id, NULL), 10);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM outbox WHERE to_address = $1", another, NULL), 0);

    /* Another student: a second request to an address with an open request is refused. */
    struct user t;
    if (!register_student(&t, "volume-two"))
        return;
    char author[160];
    api_unique_email(author, sizeof(author), "volume-author");
    request_letter(&r, &t, "Dr. Hannah Okoro", author);
    CHECK_INT(r.status, 201);
    api_free(&r);
    request_letter(&r, &t, "Dr. H. Okoro", author);
    CHECK_PROBLEM(&r, 409, "letter_pending", "author_email");
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM outbox WHERE to_address = $1", author, NULL), 1);
}

TEST(registrations_are_limited_per_client_address)
{
    api_use(&small_server);
    char here[32], there[32];
    new_address(here);
    new_address(there);
    char forwarded[64];
    snprintf(forwarded, sizeof(forwarded), "X-Forwarded-For: %s", here);
    const char *headers[] = {forwarded, NULL};
    for (int i = 0; i < 4; i++) {
        char email[160];
        api_unique_email(email, sizeof(email), "signup");
        char *body = json_text(json_pack("{s:s,s:s,s:s}", "email", email, "password", "Plum-Orchard-Harbor-71",
                                         "name", "Amara Okafor"));
        struct api_response r;
        api_request(&r, "POST", "/api/v1/auth/register", headers, body);
        free(body);
        if (i < 3) {
            CHECK_INT(r.status, 201);
        } else {
            CHECK_PROBLEM(&r, 429, "rate_limited", NULL);
            CHECK(api_header(&r, "retry-after") != NULL);
        }
        api_free(&r);
        struct db_conn *small_db = api_db_open(&small_server);
        CHECK_INT(api_db_int(small_db, "SELECT COUNT(*) FROM users WHERE email = $1", email, NULL), i < 3 ? 1 : 0);
        db_close(small_db);
    }
    /* Another address still registers. */
    snprintf(forwarded, sizeof(forwarded), "X-Forwarded-For: %s", there);
    char email[160];
    api_unique_email(email, sizeof(email), "signup");
    char *body = json_text(json_pack("{s:s,s:s,s:s}", "email", email, "password", "Plum-Orchard-Harbor-71", "name",
                                     "Amara Okafor"));
    struct api_response r;
    api_request(&r, "POST", "/api/v1/auth/register", headers, body);
    free(body);
    CHECK_INT(r.status, 201);
    api_free(&r);
    api_use(&server);
}

TEST(emails_to_outsiders_quote_user_text_and_carry_no_user_link)
{
    struct user s;
    memset(&s, 0, sizeof(s));
    api_unique_email(s.email, sizeof(s.email), "spammer");
    struct api_response r;
    char *body = json_text(json_pack("{s:s,s:s,s:s}", "email", s.email, "password", PASSWORD, "name",
                                     "Win cash at spam.example now"));
    call(&r, NULL, "POST", "/api/v1/auth/register", body);
    free(body);
    CHECK_INT(r.status, 201);
    user_from_reply(&s, &r);
    api_free(&r);
    char author[160];
    api_unique_email(author, sizeof(author), "victim");
    request_letter(&r, &s, "Dr. Who, see https://evil.example/x or mail me@evil.example", author);
    CHECK_INT(r.status, 201);
    api_free(&r);
    char *mail = outbox_text(author);
    CHECK_CONTAINS(mail, "\xe2\x80\x9cWin cash at spam[.]example now\xe2\x80\x9d");
    CHECK(strstr(mail, "spam.example") == NULL);
    CHECK(strstr(mail, "evil.example") == NULL);
    CHECK(strstr(mail, "https://evil") == NULL);
    CHECK_CONTAINS(mail, "evil[.]example");
    /* The subject (the first line) carries nothing the student wrote. */
    CHECK(strncmp(mail, "A letter of recommendation is requested of you on Rounds\n", 57) == 0);
    /* The one link is Rounds' own. */
    CHECK_CONTAINS(mail, "/invitations/letters/");
    free(mail);
}

/* What the tests need, once the suite's server is up. */
static bool setup(void)
{
    db = api_db_open(&server);
    return db != NULL && world_setup();
}

static void run_tests(void)
{
    API_RUN(sqlite_files_are_created_0600);
    API_RUN(sqlite_cli_creates_the_file_0600);
    API_RUN(invitation_tokens_are_masked_in_the_log_whatever_the_path);
    API_RUN(other_paths_are_logged_as_they_are);
    API_RUN(failed_logins_from_one_address_do_not_lock_the_owner_out_elsewhere);
    API_RUN(an_account_is_not_made_a_preceptor_without_its_consent);
    API_RUN(a_preceptor_links_their_own_account_by_invitation);
    API_RUN(preceptor_invitations_expire_and_are_limited);
    API_RUN(the_invitation_page_links_the_signed_in_account);
    API_RUN(a_request_naming_a_preceptor_goes_only_to_that_preceptor);
    API_RUN(a_request_to_a_linked_preceptor_goes_to_their_account);
    API_RUN(a_letter_by_name_and_email_counts_only_when_staff_confirm_its_author);
    API_RUN(staff_confirm_the_author_on_the_letter_page);
    API_RUN(the_register_form_refuses_line_breaks_in_the_name);
    API_RUN(json_fields_refuse_bidirectional_overrides_and_c1_controls);
    API_RUN(query_parameters_go_through_the_same_check);
    API_RUN(multipart_fields_go_through_the_same_check);
    API_RUN(declared_multi_line_form_fields_keep_their_line_breaks);
    API_RUN(letter_requests_are_limited_per_day_and_per_open_author);
    API_RUN(emails_to_outsiders_quote_user_text_and_carry_no_user_link);
    API_RUN(delivered_mail_keeps_no_body_no_address_and_no_token);

    static const char *const small_flags[] = {"--login-limit-account", "6", "--login-limit-account-client", "3",
                                              "--register-limit-client", "3", "--trust-proxy", "1", "--test-hooks", "1",
                                              "--jobs-interval-ms", "0", "--smtp-url", "smtp://127.0.0.1:9", NULL};
    /* A database of its own, as on SQLite (where every server gets a new file): its jobs must see only its mail. */
    char small_db[1100] = "";
    const char *shared = api_shared_db();
    if ((shared == NULL || api_fresh_db(small_db, sizeof(small_db), shared, NULL, "security")) &&
        api_server_start_with(&small_server, shared != NULL ? small_db : NULL, small_flags, NULL) == 0) {
        API_RUN(the_account_ceiling_stops_guessing_spread_over_addresses);
        API_RUN(registrations_are_limited_per_client_address);
        API_RUN(mail_that_finally_fails_is_cleared_too);
        CHECK_INT(api_server_stop(&small_server), 0);
        api_server_cleanup(&small_server);
        api_fresh_db_drop(small_db, shared);
    } else {
        printf("FAIL the server with small limits did not start\n");
        test_failed++;
    }
    api_use(&server);
}

static void finish(void)
{
    db_close(db);
}

int main(void)
{
    static const char *const flags[] = {"--test-hooks", "1", "--jobs-interval-ms", "0", "--trust-proxy", "1", NULL};
    static const struct api_suite suite = {
        .name = "api-security", .server = &server, .flags = flags, .setup = setup,
        .setup_what = "the world could not be set up", .run = run_tests, .finish = finish};
    return api_suite_main(&suite);
}
