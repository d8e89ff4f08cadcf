/* test_api_security.c — regression tests for the holes found from outside
 * (issue 11), against the real `rounds serve` on SQLite and PostgreSQL:
 *
 *   - the SQLite file and its -wal and -shm are created 0600;
 *   - invitation tokens never reach the server log, whatever the path looks
 *     like (trailing slash, extra segment, encoded slash, other case);
 *
 * The main server runs with --test-hooks 1 (the test clock, the jobs) and
 * --jobs-interval-ms 0, so only the tests deliver mail. Every test makes its
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

static struct api_server server;
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

int main(void)
{
    if (crypto_init() != 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
        printf("cannot initialise libsodium or libcurl\n");
        return 1;
    }
    static const char *const flags[] = {"--test-hooks", "1", "--jobs-interval-ms", "0", "--login-limit-client",
                                        "1000000", NULL};
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
