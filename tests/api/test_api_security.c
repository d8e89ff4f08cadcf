/* test_api_security.c — regression tests for the holes found from outside
 * (issue 11), against the real `rounds serve` on SQLite and PostgreSQL:
 *
 *   - the SQLite file and its -wal and -shm are created 0600;
 *   - invitation tokens never reach the server log, whatever the path looks
 *     like (trailing slash, extra segment, encoded slash, other case);
 *   - failed logins lock an account only for the client address they come
 *     from, with a growing delay before that, and a much higher ceiling per
 *     account for guessing spread over many addresses;
 *
 * The main server runs with --test-hooks 1 (the test clock, the jobs),
 * --jobs-interval-ms 0 (only the tests deliver mail) and --trust-proxy 1
 * (X-Forwarded-For from loopback names the client, so that tests can come
 * from several addresses). Every test makes its
 * own people with unique emails, so the suite also runs on a PostgreSQL
 * database that holds other suites' data. */
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "api_client.h"
#include "lib/crypto.h"
#include "test.h"

#define PASSWORD "Vivid-Orchard-Kettle-58!"
#define PEOPLE_PASSWORD PASSWORD
#include "api_people.h"

static struct api_server server, small_server;
static struct db_conn *db;

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

/* Moves the server's clock to offset seconds from now; frozen stops it
 * (offsets then count from the instant it first stopped). */
static void set_clock(long long offset, bool frozen)
{
    char body[80];
    snprintf(body, sizeof(body), "{\"offset_seconds\":%lld,\"frozen\":%s}", offset, frozen ? "true" : "false");
    struct api_response r;
    api_request(&r, "POST", "/api/v1/test/clock", NULL, body);
    if (r.status != 200)
        TEST_FAILF("POST /api/v1/test/clock answered %ld: %.300s", r.status, r.body);
    api_free(&r);
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

/* ---- 4. the SQLite files are private ---- */

TEST(sqlite_files_are_created_0600)
{
    /* Whatever database the suite runs on, this server gets a new SQLite
     * file (--db wins over ROUNDS_DB), under the usual umask. */
    char dir[] = "/tmp/rounds-mode.XXXXXX";
    if (mkdtemp(dir) == NULL) {
        TEST_FAILF("mkdtemp failed");
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
    CHECK(register_student(&u, "modes"));
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
    char dir[] = "/tmp/rounds-mode.XXXXXX";
    if (mkdtemp(dir) == NULL) {
        TEST_FAILF("mkdtemp failed");
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
    set_clock(0, true); /* seconds count only when the test moves the clock */
    /* Five free failures, then each next attempt waits 1, 2, 4, 8, 16 s. */
    for (int i = 0; i < 5; i++)
        CHECK_INT(login_from(attacker, u.email, "Wrong-Password-Guess-1", &after), 401);
    long long want = 1;
    for (int i = 5; i < 10; i++) {
        CHECK_INT(login_from(attacker, u.email, "Wrong-Password-Guess-2", &after), 429);
        CHECK_INT(after, want);
        offset += after;
        set_clock(offset, true);
        CHECK_INT(login_from(attacker, u.email, "Wrong-Password-Guess-3", &after), 401);
        want *= 2;
    }
    /* Ten failures: locked for this address, even with the right password,
     * until the first failure leaves the 15-minute window. */
    offset += 61;
    set_clock(offset, true);
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
    set_clock(offset + after, true);
    CHECK_INT(login_from(attacker, u.email, PASSWORD, NULL), 200);
    set_clock(0, false);
}

TEST(the_account_ceiling_stops_guessing_spread_over_addresses)
{
    api_use(&small_server);
    struct user u;
    if (!register_student(&u, "ceiling")) {
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

int main(void)
{
    if (crypto_init() != 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
        printf("cannot initialise libsodium or libcurl\n");
        return 1;
    }
    static const char *const flags[] = {"--test-hooks", "1", "--jobs-interval-ms", "0", "--login-limit-client",
                                        "1000000", "--trust-proxy", "1", NULL};
    if (api_server_start(&server, flags) != 0)
        return 1;
    db = api_db_open(&server);
    if (db == NULL) {
        api_server_stop(&server);
        return 1;
    }

    API_RUN(sqlite_files_are_created_0600);
    API_RUN(sqlite_cli_creates_the_file_0600);
    API_RUN(invitation_tokens_are_masked_in_the_log_whatever_the_path);
    API_RUN(other_paths_are_logged_as_they_are);
    API_RUN(failed_logins_from_one_address_do_not_lock_the_owner_out_elsewhere);

    static const char *const small_flags[] = {"--login-limit-account", "6", "--login-limit-account-client", "3",
                                              "--login-limit-client", "1000000", "--trust-proxy", "1", NULL};
    if (api_server_start(&small_server, small_flags) == 0) {
        API_RUN(the_account_ceiling_stops_guessing_spread_over_addresses);
        CHECK_INT(api_server_stop(&small_server), 0);
        api_server_cleanup(&small_server);
    } else {
        printf("FAIL the server with small limits did not start\n");
        test_failed++;
    }
    api_use(&server);

    db_close(db);
    CHECK_INT(api_server_stop(&server), 0);
    const char *keep = getenv("ROUNDS_TEST_KEEP");
    if (keep != NULL && strcmp(keep, "1") == 0)
        printf("server folder kept: %s\n", server.dir);
    else
        api_server_cleanup(&server);
    curl_global_cleanup();
    return test_summary("api-security");
}
