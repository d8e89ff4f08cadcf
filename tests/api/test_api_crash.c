/* test_api_crash.c — kill -9 in the middle of a load, against the real
 * `rounds serve` on SQLite and on PostgreSQL.
 *
 * Four client threads apply, have the offer made, accept (a seat held), pay
 * (a bank transfer recorded by staff, or staff booking by hand), cancel now
 * and then, and upload documents, while the server sends its mail every
 * 100 ms. After about two seconds of this the server gets SIGKILL; it is
 * started again on the same database and data folder, and the test checks:
 *   - each block's seats taken equal its seat-taking applications;
 *   - `rounds ledger check` passes;
 *   - every document row's file opens (nothing half-written is referenced)
 *     and holds what was uploaded; every upload answered 201 is there, and so
 *     is every application answered 201 (nothing acknowledged is lost);
 *   - once the mail is sent (the clock moved past the senders' lease), no
 *     mail is left queued, and the maildir holds exactly one message per
 *     outbox row marked sent and none for anything else (an email for a
 *     transaction that never committed, or a second copy under a new name,
 *     would show). */
#include <dirent.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "api_client.h"
#include "domain/applications.h"
#include "domain/vocabulary.h"
#include "lib/clock.h"
#include "test.h"

#define PASSWORD "Cobalt-Meadow-Lantern-83!"
#define PEOPLE_PASSWORD PASSWORD
#include "api_people.h"
#include "api_world.h"
#include "api_suite.h"

#define BANK_DETAILS "Account name: Rounds Placement LLC; Bank: First Example Bank; Account: 000123456789; " \
                     "Routing (ABA): 021000021; SWIFT: FEXAUS33"
#define BOUNDARY "rounds-crash-boundary"

enum { THREADS = 4, STUDENTS_PER_THREAD = 2, BLOCKS = 4, SEATS = 3, MAX_UPLOADS = 256, PDF_BYTES = 3000 };

static struct api_server srv, again;
static char data_dir[300];
static struct user staff, coord;
static char org[64], site[64], prc[64];
static char offerings[BLOCKS][64]; /* one block each: a student applies once per offering */
static char blocks[BLOCKS][64];
static struct user students[THREADS * STUDENTS_PER_THREAD];
static atomic_bool stop;
static atomic_int acted;

/* What the server acknowledged before it died. */
struct upload {
    int student;
    char id[64];
    unsigned char digest[32];
};
static struct upload uploads[MAX_UPLOADS];
static char applied[MAX_UPLOADS][64];
static int upload_count, applied_count;
static pthread_mutex_t acknowledged = PTHREAD_MUTEX_INITIALIZER;

/* ---- the world ---- */

static bool world_setup(void)
{
    static const struct world_place harbor = {"Harbor Main", NULL, "Boston", "MA", "02114"};
    static const struct world_preceptor_fields chen = {"Dr. Ida Chen", "cardiology", "MA", "MA-91120", "cprc",
                                                        NULL};
    if (!world_staff(&srv, NULL, &staff, "cstaff", "Crash") ||
        !world_org(&staff, "host", org, "Harbor Crash %ld", (long)getpid()))
        return false;
    if (!world_member_named(&staff, &coord, "ccoord", "Coordinator Crash", "host_coordinator", org) ||
        !world_site(&staff, org, &harbor, site) || !world_preceptor_record(&staff, org, NULL, &chen, prc))
        return false;
    for (int b = 0; b < BLOCKS; b++) {
        char title[64], from[11], to[11], path[160];
        snprintf(title, sizeof(title), "Cardiology Crash %d", b + 1);
        if (!create_object(&coord, "/api/v1/offerings", world_cardiology_offering_body(org, site, prc, title),
                           offerings[b]))
            return false;
        clock_date_from_days(clock_today_days() + 120 + 35 * b, from);
        clock_date_from_days(clock_today_days() + 147 + 35 * b, to);
        snprintf(path, sizeof(path), "/api/v1/offerings/%s/blocks", offerings[b]);
        if (!create_object(&staff, path, json_pack("{s:s,s:s,s:i}", "start", from, "end", to, "seats", SEATS),
                           blocks[b]))
            return false;
    }
    for (int s = 0; s < THREADS * STUDENTS_PER_THREAD; s++)
        if (!register_student(&students[s], "cstud"))
            return false;
    return true;
}

/* ---- the load ---- */

static long post_json(struct api_response *r, const struct user *u, const char *path, const char *body)
{
    const char *headers[] = {u->auth, NULL};
    return api_request(r, "POST", path, headers, body);
}

static void act(const struct user *u, const char *app, const char *action)
{
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/applications/%s/%s", app, action);
    struct api_response r;
    post_json(&r, u, path, "{}");
    api_free(&r);
}

static void upload_one(int student)
{
    unsigned char pdf[PDF_BYTES];
    randombytes_buf(pdf, sizeof(pdf));
    int n = snprintf((char *)pdf, sizeof(pdf), "%%PDF-1.7\n%%crash\n");
    for (size_t i = (size_t)n; i + 8 < sizeof(pdf); i++)
        if (pdf[i] == '%' || pdf[i] == '\0')
            pdf[i] = 'x';
    memcpy(pdf + sizeof(pdf) - 7, "%%EOF\n\n", 7);
    char head[512];
    int h = snprintf(head, sizeof(head),
                     "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\npassport\r\n"
                     "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.pdf\"\r\n"
                     "Content-Type: application/pdf\r\n\r\n");
    static const char tail[] = "\r\n--" BOUNDARY "--\r\n";
    char body[sizeof(head) + PDF_BYTES + sizeof(tail)];
    memcpy(body, head, (size_t)h);
    memcpy(body + h, pdf, sizeof(pdf));
    memcpy(body + h + sizeof(pdf), tail, sizeof(tail) - 1);
    const char *headers[] = {students[student].auth, "Content-Type: multipart/form-data; boundary=" BOUNDARY, NULL};
    struct api_raw_request rq = {"POST", "/api/v1/documents", headers, body, (size_t)h + sizeof(pdf) + sizeof(tail) - 1,
                                 true};
    struct api_response r;
    api_send(&r, &rq);
    const char *id = api_json_str(r.json, "id");
    if (r.status == 201 && id != NULL) {
        pthread_mutex_lock(&acknowledged);
        if (upload_count < MAX_UPLOADS) {
            struct upload *u = &uploads[upload_count++];
            u->student = student;
            snprintf(u->id, sizeof(u->id), "%s", id);
            crypto_hash_sha256(u->digest, pdf, sizeof(pdf));
        }
        pthread_mutex_unlock(&acknowledged);
    }
    api_free(&r);
}

/* Applies to a block and takes the application as far as the round allows. */
static void one_round(int student, unsigned round)
{
    struct user *s = &students[student];
    char body[200], app[64] = "";
    snprintf(body, sizeof(body), "{\"block_id\":\"%s\",\"statement\":\"Cardiology is my calling.\"}",
             blocks[(student + round / STUDENTS_PER_THREAD) % BLOCKS]);
    struct api_response r;
    post_json(&r, s, "/api/v1/applications", body);
    if (r.status == 201 && api_json_str(r.json, "id") != NULL) {
        snprintf(app, sizeof(app), "%s", api_json_str(r.json, "id"));
        pthread_mutex_lock(&acknowledged);
        if (applied_count < MAX_UPLOADS)
            snprintf(applied[applied_count++], 64, "%s", app);
        pthread_mutex_unlock(&acknowledged);
    }
    api_free(&r);
    if (app[0] == '\0')
        return;
    act(&coord, app, "offer");
    act(s, app, "accept");
    if (round % 2 == 0) {
        act(&staff, app, "book");
    } else {
        char path[200];
        snprintf(path, sizeof(path), "/api/v1/applications/%s/checkout", app);
        post_json(&r, s, path, "{\"method\":\"bank_transfer\",\"plan\":\"deposit\"}");
        const char *ref = api_json_str(r.json, "bank_transfer.reference");
        char today[11], transfer[200];
        clock_date_from_days(clock_today_days(), today);
        snprintf(transfer, sizeof(transfer), "{\"reference\":\"%s\",\"amount_cents\":89900,\"received_on\":\"%s\"}",
                 ref != NULL ? ref : "none", today);
        api_free(&r);
        post_json(&r, &staff, "/api/v1/bank-transfers", transfer);
        api_free(&r);
    }
    if (round % 3 == 2)
        act(s, app, "cancel");
}

static void *load(void *arg)
{
    int first = (int)(intptr_t)arg * STUDENTS_PER_THREAD;
    for (unsigned round = 0; !atomic_load(&stop); round++) {
        int student = first + (int)(round % STUDENTS_PER_THREAD);
        one_round(student, round);
        upload_one(student);
        atomic_fetch_add(&acted, 1);
    }
    return NULL;
}

/* ---- the checks after the restart ---- */

static void check_seats(struct db_conn *db)
{
    for (int b = 0; b < BLOCKS; b++) {
        long long taken = api_db_int(db, "SELECT seats_taken FROM blocks WHERE id = $1", blocks[b], NULL);
        long long holding = 0;
        struct db_stmt *st = db_prepare(db, "SELECT status FROM applications WHERE block_id = $1");
        db_bind_text(st, 1, blocks[b]);
        while (db_step(st) == DB_ROW)
            if (application_status_takes_seat(application_status_parse(db_column_text(st, 0))))
                holding++;
        db_reset(st);
        if (taken != holding)
            TEST_FAILF("block %d: %lld seats taken, %lld seat-taking applications", b, taken, holding);
    }
}

static int student_of(const char *user_id)
{
    for (int s = 0; s < THREADS * STUDENTS_PER_THREAD; s++)
        if (strcmp(students[s].id, user_id) == 0)
            return s;
    return -1;
}

/* Every document row's file opens; those answered 201 hold what was sent. */
static void check_documents(struct db_conn *db)
{
    struct db_stmt *st = db_prepare(db, "SELECT id, student_id FROM documents ORDER BY id");
    int rows = 0, matched = 0;
    while (db_step(st) == DB_ROW) {
        char id[64];
        snprintf(id, sizeof(id), "%s", db_column_text(st, 0));
        int s = student_of(db_column_text(st, 1));
        if (s < 0)
            continue;
        rows++;
        char path[200];
        snprintf(path, sizeof(path), "/api/v1/documents/%s/file", id);
        const char *headers[] = {students[s].auth, NULL};
        struct api_response r;
        api_request(&r, "GET", path, headers, NULL);
        if (r.status != 200)
            TEST_FAILF("document %s: its file answered %ld: %.200s", id, r.status, r.body);
        for (int u = 0; u < upload_count; u++) {
            if (strcmp(uploads[u].id, id) != 0)
                continue;
            unsigned char digest[32];
            crypto_hash_sha256(digest, (const unsigned char *)r.body, r.body_len);
            if (memcmp(digest, uploads[u].digest, sizeof(digest)) != 0)
                TEST_FAILF("document %s: the file is not what was uploaded", id);
            else
                matched++;
        }
        api_free(&r);
    }
    db_reset(st);
    CHECK_INT(matched, upload_count);
    printf("  %d documents after the restart, %d of them answered 201 before the kill\n", rows, upload_count);
}

static void check_acknowledged_applications(struct db_conn *db)
{
    for (int a = 0; a < applied_count; a++)
        if (api_db_int(db, "SELECT COUNT(*) FROM applications WHERE id = $1", applied[a], NULL) != 1)
            TEST_FAILF("application %s was answered 201 and is gone", applied[a]);
}

static long test_hook(const char *path, const char *body, json_t **json_out)
{
    struct api_response r;
    api_request(&r, "POST", path, NULL, body);
    long status = r.status;
    if (json_out != NULL)
        *json_out = r.json != NULL ? json_incref(r.json) : NULL;
    api_free(&r);
    return status;
}

/* Sends what is due (the clock past the lease of a sender that died), then
 * compares the maildir with the outbox. */
static void check_mail(struct db_conn *db)
{
    CHECK_INT(test_hook("/api/v1/test/clock", "{\"offset_seconds\":900}", NULL), 200);
    for (int round = 0; round < 30; round++) {
        json_t *report = NULL;
        CHECK_INT(test_hook("/api/v1/test/jobs", "{}", &report), 200);
        long long sent = api_json_int(report, "mail_sent", -1);
        json_decref(report);
        if (sent == 0)
            break;
    }
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL", NULL, NULL), 0);
    long long rows = api_db_int(db, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL", NULL, NULL);
    char dir[400];
    snprintf(dir, sizeof(dir), "%s/mail/new", data_dir);
    DIR *d = opendir(dir);
    long long files = 0;
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".eml") != 0)
            continue;
        files++;
        char id[256];
        snprintf(id, sizeof(id), "%.*s", (int)(n - 4), e->d_name);
        if (api_db_int(db, "SELECT COUNT(*) FROM outbox WHERE id = $1 AND sent_at IS NOT NULL", id, NULL) != 1)
            TEST_FAILF("mail %s was delivered for no sent outbox row", id);
    }
    if (d != NULL)
        closedir(d);
    CHECK_INT(files, rows);
    printf("  %lld emails queued, each delivered once\n", rows);
}

TEST(kill_9_under_load_loses_nothing)
{
    pthread_t threads[THREADS];
    atomic_store(&stop, false);
    for (intptr_t t = 0; t < THREADS; t++)
        pthread_create(&threads[t], NULL, load, (void *)t);
    double deadline = api_now_ms() + 15000;
    while (atomic_load(&acted) < 12 && api_now_ms() < deadline)
        api_sleep_ms(20);
    api_sleep_ms(300);
    kill(srv.pid, SIGKILL);
    waitpid(srv.pid, NULL, 0);
    srv.pid = 0;
    atomic_store(&stop, true);
    for (int t = 0; t < THREADS; t++)
        pthread_join(threads[t], NULL);
    printf("  killed after %d rounds: %d applications and %d uploads acknowledged\n", atomic_load(&acted),
           applied_count, upload_count);
    CHECK(applied_count > 0 && upload_count > 0);

    const char *flags[] = {"--test-hooks", "1", "--jobs-interval-ms", "0", "--db", srv.db, "--data-dir", data_dir,
                           NULL};
    if (api_server_start(&again, flags) != 0) {
        TEST_FAILF("the server did not start again after kill -9");
        return;
    }
    snprintf(again.db, sizeof(again.db), "%s", srv.db);
    struct db_conn *db = api_db_open(&again);
    if (db == NULL)
        return;
    check_seats(db);
    check_acknowledged_applications(db);
    check_documents(db);
    check_mail(db);
    db_close(db);
    const char *args[] = {"ledger", "check", NULL};
    struct api_cli_result res;
    int code = api_cli(srv.db, args, NULL, &res);
    if (code != 0)
        TEST_FAILF("rounds ledger check exited %d: %.400s%.400s", code, res.out, res.err);
    api_cli_free(&res);
}

/* What the tests need, once the suite's server is up. */
static bool setup(void)
{
    snprintf(data_dir, sizeof(data_dir), "%s/data", srv.dir);
    return world_setup();
}

static void run_tests(void)
{
    API_RUN(kill_9_under_load_loses_nothing);
}

static void finish(void)
{
    if (again.pid > 0)
        CHECK_INT(api_server_stop(&again), 0);
    api_server_cleanup(&again);
}

int main(void)
{
    setenv("ROUNDS_BANK_TRANSFER_DETAILS", BANK_DETAILS, 1);
    static const char *const flags[] = {"--test-hooks", "1", "--jobs-interval-ms", "100", NULL};
    static const struct api_suite suite = {
        .name = "api_crash", .server = &srv, .flags = flags, .setup = setup, .setup_what = "world setup failed",
        .run = run_tests, .finish = finish};
    return api_suite_main(&suite);
}
