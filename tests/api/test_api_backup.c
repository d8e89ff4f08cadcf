/* test_api_backup.c — `rounds backup` and `rounds restore` (issue 18, item 2)
 * against the real binary, on SQLite and on PostgreSQL (ROUNDS_TEST_DB):
 *
 *   - a backup taken while a client keeps writing restores into a new
 *     database and data folder, and a server on them signs the student in and
 *     serves the uploaded document byte for byte;
 *   - a quiet backup restores every table row for row;
 *   - every file and folder of a backup is 0600/0700 whatever the umask (pg_dump's too);
 *   - --include-keys carries the file key, without it restore says the key is missing;
 *   - refused: a folder that is not a backup, a changed, truncated, missing or
 *     extra file, a bad manifest (each named, exit 4), a database or data
 *     folder that is not empty, another engine (exit 1), a backup folder that
 *     is not empty, usage errors (exit 2) — and a refused restore changes nothing. */
#include <ftw.h>
#include <signal.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "api_client.h"
#include "store/snapshot.h"
#include "test.h"

#define PASSWORD "Quartz-Lantern-Meadow-42!"
#define PEOPLE_PASSWORD PASSWORD
#include "api_people.h"
#include "api_suite.h"
#define BOUNDARY "----RoundsBackupBoundary9x"

static struct api_server server;
static struct user student;
static char document_id[64];
static char *pdf;
static size_t pdf_len;
static char work[64]; /* a test_tmp_dir folder for backups and destinations */
static int destinations;

/* Every destination database made (PostgreSQL: rounds_fresh_restore_*, next
 * to the shared one), dropped when the suite ends, whatever its checks said. */
enum { DESTINATIONS_MAX = 32 };
static char destination_dbs[DESTINATIONS_MAX][1024];
static int destination_db_count;

/* The tables whose rows a restore must bring back exactly. */
static const char *const tables[] = {"users",         "user_roles",   "sessions",         "organizations",
                                     "memberships",   "sites",        "preceptors",       "offerings",
                                     "blocks",        "applications", "application_events", "documents",
                                     "audit_events",  "letters",      "notifications",    "outbox",
                                     "schema_migrations", NULL};

static long long table_rows(struct db_conn *conn, const char *table)
{
    /* Statements are cached by the address of their SQL: one literal per table. */
    static const char *const sql[] = {
        "SELECT count(*) FROM users", "SELECT count(*) FROM user_roles", "SELECT count(*) FROM sessions",
        "SELECT count(*) FROM organizations", "SELECT count(*) FROM memberships", "SELECT count(*) FROM sites",
        "SELECT count(*) FROM preceptors", "SELECT count(*) FROM offerings", "SELECT count(*) FROM blocks",
        "SELECT count(*) FROM applications", "SELECT count(*) FROM application_events",
        "SELECT count(*) FROM documents", "SELECT count(*) FROM audit_events", "SELECT count(*) FROM letters",
        "SELECT count(*) FROM notifications", "SELECT count(*) FROM outbox",
        "SELECT count(*) FROM schema_migrations"};
    for (size_t i = 0; tables[i] != NULL; i++)
        if (strcmp(tables[i], table) == 0)
            return api_db_int(conn, sql[i], NULL, NULL);
    return -1;
}

/* A new empty destination: a database (a new PostgreSQL database next to the
 * shared one, or a SQLite path) and a data folder path. */
static bool new_destination(char *db, size_t db_size, char *data_dir, size_t data_size)
{
    snprintf(data_dir, data_size, "%s/data-%d", work, ++destinations);
    if (destination_db_count == DESTINATIONS_MAX) {
        TEST_FAILF("more than %d destinations: raise DESTINATIONS_MAX", DESTINATIONS_MAX);
        return false;
    }
    if (!api_fresh_db(db, db_size, api_shared_db(), work, "restore"))
        return false;
    snprintf(destination_dbs[destination_db_count++], sizeof(destination_dbs[0]), "%s", db);
    return true;
}

/* Drops the destination databases (their servers and restores are done); a
 * SQLite one goes with the work folder. */
static void drop_destinations(void)
{
    for (int i = 0; i < destination_db_count; i++)
        api_fresh_db_drop(destination_dbs[i], api_shared_db());
    destination_db_count = 0;
}

static void server_paths(char *data_dir, size_t size)
{
    snprintf(data_dir, size, "%s/data", server.dir);
}

/* rounds backup --to dir (of the test server's database and data folder), with extra flags. */
static int run_backup(const char *dir, const char *extra, struct api_cli_result *res)
{
    char data_dir[300];
    server_paths(data_dir, sizeof(data_dir));
    const char *args[] = {"backup", "--to", dir, "--data-dir", data_dir, extra, NULL};
    return api_cli(server.db, args, NULL, res);
}

static int run_restore(const char *dir, const char *db, const char *data_dir, const char *key, struct api_cli_result *res)
{
    const char *args[] = {"restore", "--from", dir, "--data-dir", data_dir, key != NULL ? "--file-key-file" : NULL, key, NULL};
    return api_cli(db, args, NULL, res);
}

static long upload_document(void)
{
    char head[512];
    int h = snprintf(head, sizeof(head),
                     "--%s\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\npassport\r\n"
                     "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"passport.pdf\"\r\n"
                     "Content-Type: application/pdf\r\n\r\n",
                     BOUNDARY, BOUNDARY);
    const char tail[] = "\r\n--" BOUNDARY "--\r\n";
    size_t len = (size_t)h + pdf_len + strlen(tail);
    char *body = malloc(len);
    memcpy(body, head, (size_t)h);
    memcpy(body + h, pdf, pdf_len);
    memcpy(body + h + pdf_len, tail, strlen(tail));
    const char *headers[] = {student.auth, "Content-Type: multipart/form-data; boundary=" BOUNDARY, NULL};
    struct api_raw_request rq = {"POST", "/api/v1/documents", headers, body, len, true};
    struct api_response r;
    long status = api_send(&r, &rq);
    if (status == 201 && api_json_str(r.json, "id") != NULL)
        snprintf(document_id, sizeof(document_id), "%s", api_json_str(r.json, "id"));
    else
        TEST_FAILF("upload answered %ld: %.300s", status, r.body);
    api_free(&r);
    free(body);
    return status;
}

/* Starts a server on a restored database and data folder; signs the student
 * in there and checks the document's bytes and the profile. */
static void check_restored_server(const char *db, const char *data_dir, const char *key)
{
    struct api_server restored;
    const char *flags[] = {"--db", db, "--data-dir", data_dir, key != NULL ? "--file-key-file" : NULL, key, NULL};
    if (api_server_start(&restored, flags) != 0) {
        TEST_FAILF("a server on the restored database did not start");
        api_use(&server);
        return;
    }
    struct user again = student;
    CHECK(login(&again));
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/documents/%s/file", document_id);
    const char *headers[] = {again.auth, NULL};
    struct api_response r;
    api_request(&r, "GET", path, headers, NULL);
    CHECK_INT(r.status, 200);
    CHECK_INT(r.body_len, pdf_len);
    CHECK(r.body != NULL && r.body_len == pdf_len && memcmp(r.body, pdf, pdf_len) == 0);
    api_free(&r);
    api_request(&r, "GET", "/api/v1/me", headers, NULL);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "email"), student.email);
    api_free(&r);
    CHECK_INT(api_server_stop(&restored), 0);
    api_server_cleanup(&restored);
    api_use(&server);
}

/* A client that keeps changing the student's profile until killed. */
static pid_t start_writer(void)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* a suite that dies leaves no writer behind */
        for (int i = 0;; i++) {
            char body[96];
            snprintf(body, sizeof(body), "{\"school\":\"School %d\"}", i);
            const char *headers[] = {student.auth, NULL};
            struct api_response r;
            api_request(&r, "PATCH", "/api/v1/me", headers, body);
            api_free(&r);
        }
    }
    return pid;
}

TEST(backup_while_serving_restores_into_a_new_database)
{
    char dir[128], db[1024], data_dir[160];
    snprintf(dir, sizeof(dir), "%s/live", work);
    pid_t writer = start_writer();
    api_sleep_ms(200);
    struct api_cli_result res;
    int rc = run_backup(dir, NULL, &res);
    kill(writer, SIGKILL);
    waitpid(writer, NULL, 0);
    CHECK_INT(rc, 0);
    CHECK_CONTAINS(res.out, "1 uploaded files");
    CHECK_CONTAINS(res.out, "the file key is not in the backup");
    api_cli_free(&res);
    if (!new_destination(db, sizeof(db), data_dir, sizeof(data_dir)))
        return;
    char key[300];
    snprintf(key, sizeof(key), "%s/data/file.key", server.dir);
    CHECK_INT(run_restore(dir, db, data_dir, key, &res), 0);
    CHECK_CONTAINS(res.out, "restored from");
    api_cli_free(&res);
    check_restored_server(db, data_dir, key);
}

TEST(quiet_backup_restores_every_row)
{
    char dir[128], db[1024], data_dir[160];
    snprintf(dir, sizeof(dir), "%s/quiet", work);
    struct api_cli_result res;
    CHECK_INT(run_backup(dir, NULL, &res), 0);
    api_cli_free(&res);
    if (!new_destination(db, sizeof(db), data_dir, sizeof(data_dir)))
        return;
    char key[300];
    snprintf(key, sizeof(key), "%s/data/file.key", server.dir);
    CHECK_INT(run_restore(dir, db, data_dir, key, &res), 0);
    api_cli_free(&res);
    struct db_conn *live = api_db_open(&server), *copy = NULL;
    CHECK(db_open(db, &copy) == DB_OK);
    for (size_t i = 0; live != NULL && copy != NULL && tables[i] != NULL; i++) {
        long long a = table_rows(live, tables[i]), b = table_rows(copy, tables[i]);
        if (a != b || a < 0)
            TEST_FAILF("table %s: %lld rows live, %lld restored", tables[i], a, b);
    }
    CHECK(table_rows(live, "users") > 0 && table_rows(live, "documents") > 0);
    bool found = false;
    char *school = api_db_text(copy, "SELECT school FROM users WHERE email = $1", student.email, NULL, &found);
    char *live_school = api_db_text(live, "SELECT school FROM users WHERE email = $1", student.email, NULL, NULL);
    CHECK(found);
    CHECK_STR(school, live_school);
    free(school);
    free(live_school);
    if (live != NULL)
        db_close(live);
    if (copy != NULL)
        db_close(copy);
}

static int private_entries, public_entries;
static char public_entry[512];

static int note_mode(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)type;
    (void)ftw;
    if ((st->st_mode & 077) == 0) {
        private_entries++;
    } else if (public_entries++ == 0) {
        snprintf(public_entry, sizeof(public_entry), "%s (mode %03o)", path, (unsigned)(st->st_mode & 0777));
    }
    return 0;
}

/* A backup holds every account's personal data: the database copy (SQLite's
 * or pg_dump's), the files, the manifest and the folders are for the owner
 * alone, whatever the umask. */
TEST(backup_is_readable_by_its_owner_only)
{
    char dir[128], database[200];
    snprintf(dir, sizeof(dir), "%s/private", work);
    mode_t old = umask(022);
    struct api_cli_result res;
    int rc = run_backup(dir, NULL, &res);
    umask(old);
    CHECK_INT(rc, 0);
    api_cli_free(&res);
    struct db_conn *conn = api_db_open(&server);
    if (conn == NULL)
        return;
    snprintf(database, sizeof(database), "%s/%s", dir, store_snapshot_file_name(conn));
    db_close(conn);
    struct stat st;
    CHECK(stat(database, &st) == 0 && st.st_size > 0);
    CHECK_INT((int)(st.st_mode & 0777), 0600);
    private_entries = public_entries = 0;
    CHECK(nftw(dir, note_mode, 16, FTW_PHYS) == 0);
    if (public_entries != 0)
        TEST_FAILF("%d entries of the backup are readable by others, first %s", public_entries, public_entry);
    CHECK(private_entries >= 4); /* the folder, the database, the manifest, files/ and a file */
}

TEST(include_keys_carries_the_file_key)
{
    char dir[128], db[1024], data_dir[160], key_path[200], live_key[300];
    snprintf(dir, sizeof(dir), "%s/keys", work);
    struct api_cli_result res;
    CHECK_INT(run_backup(dir, "--include-keys", &res), 0);
    CHECK_CONTAINS(res.out, "with the keys");
    api_cli_free(&res);
    char manifest[160];
    snprintf(manifest, sizeof(manifest), "%s/manifest.json", dir);
    char *text = api_read_file(manifest, NULL);
    CHECK_CONTAINS(text, "\"keys/file.key\"");
    CHECK_CONTAINS(text, "\"includes_keys\": true");
    free(text);
    if (!new_destination(db, sizeof(db), data_dir, sizeof(data_dir)))
        return;
    CHECK_INT(run_restore(dir, db, data_dir, NULL, &res), 0);
    CHECK(strstr(res.out, "has no file key") == NULL);
    api_cli_free(&res);
    snprintf(key_path, sizeof(key_path), "%s/file.key", data_dir);
    snprintf(live_key, sizeof(live_key), "%s/data/file.key", server.dir);
    char *a = api_read_file(key_path, NULL), *b = api_read_file(live_key, NULL);
    CHECK(a != NULL && b != NULL && strcmp(a, b) == 0);
    free(a);
    free(b);
    check_restored_server(db, data_dir, NULL);

    /* Without the keys, restore says where the key must go. */
    snprintf(dir, sizeof(dir), "%s/live", work);
    if (!new_destination(db, sizeof(db), data_dir, sizeof(data_dir)))
        return;
    CHECK_INT(run_restore(dir, db, data_dir, NULL, &res), 0);
    CHECK_CONTAINS(res.out, "the backup has no file key");
    CHECK_CONTAINS(res.out, "/file.key");
    api_cli_free(&res);
}

/* Copies the quiet backup to a fresh folder for one damaging test. */
static void copy_backup(const char *to)
{
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s' && cp -a '%s/quiet' '%s'", to, work, to);
    CHECK_INT(system(cmd), 0);
}

/* The first uploaded file's path inside a backup folder (files/xx/address). */
static bool first_blob(const char *dir, char *out, size_t size)
{
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "cd '%s' && find files -type f | sort | head -1", dir);
    FILE *p = popen(cmd, "r");
    bool ok = p != NULL && fgets(out, (int)size, p) != NULL;
    if (p != NULL)
        pclose(p);
    if (ok)
        out[strcspn(out, "\n")] = '\0';
    return ok && out[0] != '\0';
}

/* Changes one byte of a file (to its complement, so it surely differs). */
static void flip_byte(const char *path, long offset)
{
    FILE *f = fopen(path, "r+b");
    int c = f != NULL && fseek(f, offset, SEEK_SET) == 0 ? fgetc(f) : EOF;
    CHECK(c != EOF);
    if (c != EOF && fseek(f, offset, SEEK_SET) == 0)
        fputc(c ^ 0xff, f);
    if (f != NULL)
        fclose(f);
}

/* A refused restore: exit code, the message names `names`, and the destination stays empty. */
static void check_refused(const char *dir, int want_exit, const char *names)
{
    char db[1024], data_dir[160];
    if (!new_destination(db, sizeof(db), data_dir, sizeof(data_dir)))
        return;
    struct api_cli_result res;
    int rc = run_restore(dir, db, data_dir, NULL, &res);
    if (rc != want_exit)
        TEST_FAILF("restore of %s exited %d, expected %d: %s", dir, rc, want_exit, res.err);
    CHECK_CONTAINS(res.err, names);
    CHECK_CONTAINS(res.err, "nothing was changed");
    api_cli_free(&res);
    char files[200];
    snprintf(files, sizeof(files), "%s/files", data_dir);
    struct stat st;
    CHECK(stat(files, &st) != 0);
    struct db_conn *conn = NULL;
    bool empty = false;
    if (db_open(db, &conn) == DB_OK) {
        CHECK(store_database_empty(conn, &empty) == DB_OK && empty); /* nothing was loaded */
        db_close(conn);
    }
}

TEST(restore_refuses_a_backup_that_is_not_whole)
{
    char dir[160], path[400], blob[200];
    snprintf(dir, sizeof(dir), "%s/not-a-backup", work);
    mkdir(dir, 0700);
    check_refused(dir, 4, "manifest.json");

    const char *db_file = api_shared_db() != NULL ? "database.pgdump" : "database.sqlite";
    snprintf(dir, sizeof(dir), "%s/changed", work);
    copy_backup(dir);
    snprintf(path, sizeof(path), "%s/%s", dir, db_file);
    flip_byte(path, 100);
    check_refused(dir, 4, db_file);

    snprintf(dir, sizeof(dir), "%s/truncated", work);
    copy_backup(dir);
    snprintf(path, sizeof(path), "%s/%s", dir, db_file);
    CHECK_INT(truncate(path, 512), 0);
    check_refused(dir, 4, "truncated");

    snprintf(dir, sizeof(dir), "%s/missing", work);
    copy_backup(dir);
    CHECK(first_blob(dir, blob, sizeof(blob)));
    snprintf(path, sizeof(path), "%s/%s", dir, blob);
    CHECK_INT(unlink(path), 0);
    check_refused(dir, 4, blob);

    snprintf(dir, sizeof(dir), "%s/tampered-blob", work);
    copy_backup(dir);
    CHECK(first_blob(dir, blob, sizeof(blob)));
    snprintf(path, sizeof(path), "%s/%s", dir, blob);
    flip_byte(path, 40);
    check_refused(dir, 4, blob);

    snprintf(dir, sizeof(dir), "%s/extra", work);
    copy_backup(dir);
    snprintf(path, sizeof(path), "%s/files/planted.txt", dir);
    FILE *f = fopen(path, "w");
    if (f != NULL) {
        fputs("not ours\n", f);
        fclose(f);
    }
    check_refused(dir, 4, "planted.txt");

    static const char *const manifests[] = {
        "not json",
        "{\"format\":\"something-else\"}",
        "{\"format\":\"rounds-backup\",\"format_version\":1,\"rounds_version\":\"0.1.0\",\"created_at\":\"x\","
        "\"backend\":\"sqlite\",\"schema_version\":7,\"includes_keys\":false,"
        "\"files\":[{\"path\":\"../etc/passwd\",\"bytes\":1,\"sha256\":\"" /* escapes the folder */
        "0000000000000000000000000000000000000000000000000000000000000000\"}]}",
        "{\"format\":\"rounds-backup\",\"format_version\":2}",
        NULL};
    for (size_t i = 0; manifests[i] != NULL; i++) {
        snprintf(dir, sizeof(dir), "%s/manifest-%zu", work, i);
        copy_backup(dir);
        snprintf(path, sizeof(path), "%s/manifest.json", dir);
        f = fopen(path, "w");
        if (f != NULL) {
            fputs(manifests[i], f);
            fclose(f);
        }
        check_refused(dir, 4, "manifest.json is refused");
    }
}

TEST(restore_refuses_a_destination_in_use)
{
    char dir[160];
    snprintf(dir, sizeof(dir), "%s/quiet", work);
    struct db_conn *live = api_db_open(&server);
    long long users = table_rows(live, "users"), documents = table_rows(live, "documents");
    struct api_cli_result res;
    char data_dir[300];
    snprintf(data_dir, sizeof(data_dir), "%s/fresh-data", work);
    CHECK_INT(run_restore(dir, server.db, data_dir, NULL, &res), 1);
    CHECK_CONTAINS(res.err, "the database is not empty");
    api_cli_free(&res);
    CHECK_INT(table_rows(live, "users"), users);
    CHECK_INT(table_rows(live, "documents"), documents);
    db_close(live);

    /* A data folder that already holds files. */
    char db[1024], dest_data[160];
    if (!new_destination(db, sizeof(db), dest_data, sizeof(dest_data)))
        return;
    server_paths(data_dir, sizeof(data_dir));
    CHECK_INT(run_restore(dir, db, data_dir, NULL, &res), 1);
    CHECK_CONTAINS(res.err, "already holds files");
    api_cli_free(&res);

    /* Another engine. */
    if (api_shared_db() != NULL) {
        char sqlite_db[200];
        snprintf(sqlite_db, sizeof(sqlite_db), "%s/other-engine.db", work);
        CHECK_INT(run_restore(dir, sqlite_db, dest_data, NULL, &res), 1);
        CHECK_CONTAINS(res.err, "same engine");
        api_cli_free(&res);
    }
}

TEST(backup_refuses_a_folder_in_use_and_bad_flags)
{
    char dir[160], path[200];
    snprintf(dir, sizeof(dir), "%s/occupied", work);
    mkdir(dir, 0700);
    snprintf(path, sizeof(path), "%s/notes.txt", dir);
    FILE *f = fopen(path, "w");
    if (f != NULL) {
        fputs("mine\n", f);
        fclose(f);
    }
    struct api_cli_result res;
    CHECK_INT(run_backup(dir, NULL, &res), 1);
    CHECK_CONTAINS(res.err, "not an empty folder");
    api_cli_free(&res);
    char *kept = api_read_file(path, NULL);
    CHECK_STR(kept, "mine\n");
    free(kept);

    const char *no_dir[] = {"backup", NULL};
    CHECK_INT(api_cli(server.db, no_dir, NULL, &res), 2);
    CHECK_CONTAINS(res.err, "--to DIR is required");
    api_cli_free(&res);
    const char *unknown[] = {"restore", "--from", dir, "--force", NULL};
    CHECK_INT(api_cli(server.db, unknown, NULL, &res), 2);
    CHECK_CONTAINS(res.err, "unknown flag --force");
    api_cli_free(&res);
    const char *keys_on_restore[] = {"restore", "--from", dir, "--include-keys", NULL};
    CHECK_INT(api_cli(server.db, keys_on_restore, NULL, &res), 2);
    api_cli_free(&res);
    const char *help[] = {"backup", "--help", NULL};
    CHECK_INT(api_cli(server.db, help, NULL, &res), 0);
    CHECK_CONTAINS(res.out, "--include-keys");
    api_cli_free(&res);
}

/* What the tests need, once the suite's server is up. */
static bool setup(void)
{
    pdf_len = 40000;
    pdf = malloc(pdf_len);
    if (pdf == NULL)
        return false;
    randombytes_buf(pdf, pdf_len);
    for (size_t i = 0; i < pdf_len; i++)
        if (pdf[i] == '%' || pdf[i] == '\0')
            pdf[i] = 'x';
    memcpy(pdf, "%PDF-1.7\n%backup\n", 17);
    memcpy(pdf + pdf_len - 7, "%%EOF\n\n", 7);
    return register_student(&student, "backup") && upload_document() == 201;
}

static void run_tests(void)
{
    RUN(backup_while_serving_restores_into_a_new_database);
    RUN(quiet_backup_restores_every_row);
    RUN(backup_is_readable_by_its_owner_only);
    RUN(include_keys_carries_the_file_key);
    RUN(restore_refuses_a_backup_that_is_not_whole);
    RUN(restore_refuses_a_destination_in_use);
    RUN(backup_refuses_a_folder_in_use_and_bad_flags);
}

static void finish(void)
{
    drop_destinations();
    free(pdf);
}

int main(void)
{
    if (test_tmp_dir(work, sizeof(work), "backup") == NULL)
        return 1;
    chmod(work, 0755); /* PostgreSQL's tools run as this user; the cluster need not read here */
    static const struct api_suite suite = {
        .name = "test_api_backup", .server = &server, .setup = setup, .setup_what = "setup failed",
        .run = run_tests, .finish = finish};
    int status = api_suite_main(&suite);
    api_remove_tree(work); /* also when the set-up failed (finish did not run) */
    return status;
}
