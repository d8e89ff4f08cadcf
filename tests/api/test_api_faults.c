/* test_api_faults.c — database errors injected at every write of a request,
 * against the real `rounds serve` on SQLite and on PostgreSQL.
 *
 * With --test-hooks 1 a request carrying "X-Rounds-Test-Fault: N" has its Nth
 * write statement (or its commit) fail as a driver error would; the reply
 * says how many writes ran ("X-Rounds-Test-Writes") and whether the fault
 * fired. For each multi-write request — applying, accepting an offer (the
 * seat is held), staff booking by hand (a payment recorded), a bank transfer
 * recorded by staff, cancelling (the seat released, a refund owed) and a
 * document upload — the test sends it with N = 1, 2, … until the fault no
 * longer fires: every failed run must answer 503 problem+json and leave the
 * database exactly as before (every table's row count, and the state of
 * applications, seats, checkouts, payments, refunds, ledger, documents and
 * outbox); the run past the last write succeeds. `rounds ledger check` passes
 * at the end.
 *
 * The server runs with --jobs-interval-ms 0: nothing writes but the test. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "api_client.h"
#include "lib/clock.h"
#include "test.h"

#define PASSWORD "Quartz-Harbor-Lantern-52!"
#define PEOPLE_PASSWORD PASSWORD
#include "api_people.h"
#include "api_world.h"
#include "api_steps.h"
#include "api_suite.h"

#define BANK_DETAILS "Account name: Rounds Placement LLC; Bank: First Example Bank; Account: 000123456789; " \
                     "Routing (ABA): 021000021; SWIFT: FEXAUS33"
#define BOUNDARY "rounds-faults-boundary"

static struct api_server srv;
static struct db_conn *db;
static struct user staff, coord;
static char org[64], site[64], prc[64], offering[64];

/* ---- what "the database is unchanged" means ---- */

#define COUNT(table) {"SELECT COUNT(*) FROM " table, 1}

struct probe {
    const char *sql;
    int columns;
};

/* Every table's row count, then the columns a half-done write would change. */
static const struct probe probes[] = {
    COUNT("organizations"), COUNT("users"), COUNT("user_roles"), COUNT("memberships"), COUNT("sites"),
    COUNT("preceptors"), COUNT("offerings"), COUNT("blocks"), COUNT("catalog_changes"), COUNT("applications"),
    COUNT("application_events"), COUNT("idempotency_keys"), COUNT("notifications"), COUNT("outbox"),
    COUNT("audit_events"), COUNT("documents"), COUNT("application_documents"), COUNT("requirements"),
    COUNT("document_reminders"), COUNT("letters"), COUNT("letter_tokens"), COUNT("letter_files"),
    COUNT("readiness_targets"), COUNT("ledger_transactions"), COUNT("ledger_entries"), COUNT("checkouts"),
    COUNT("payments"), COUNT("refunds"), COUNT("payouts"), COUNT("provider_events"), COUNT("catalog_events"),
    COUNT("waitlist"), COUNT("certificates"), COUNT("visa_letters"), COUNT("messages"), COUNT("message_unread"),
    COUNT("deletion_requests"),
    {"SELECT id, status FROM applications ORDER BY id", 2},
    {"SELECT id, seats, seats_taken FROM blocks ORDER BY id", 3},
    {"SELECT id, status, amount_cents FROM checkouts ORDER BY id", 3},
    {"SELECT id, amount_cents FROM payments ORDER BY id", 2},
    {"SELECT id, status, amount_cents FROM refunds ORDER BY id", 3},
    {"SELECT COALESCE(SUM(amount_cents), 0), COUNT(*) FROM ledger_entries", 2},
    {"SELECT id, state FROM documents ORDER BY id", 2},
    {"SELECT id, subject FROM outbox ORDER BY id", 2},
};

/* The probes' answers as one heap string ("?" where a probe failed). */
static char *fingerprint(void)
{
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    if (out == NULL)
        return NULL;
    out[0] = '\0';
    for (size_t p = 0; p < sizeof(probes) / sizeof(probes[0]); p++) {
        struct db_stmt *st = db_prepare(db, probes[p].sql);
        int rc;
        len += (size_t)snprintf(out + len, cap - len, "\n#%zu:", p);
        while ((rc = db_step(st)) == DB_ROW) {
            for (int c = 0; c < probes[p].columns; c++) {
                const char *v = db_column_text(st, c);
                size_t need = (v != NULL ? strlen(v) : 4) + 2;
                if (len + need + 64 >= cap) {
                    cap = (cap + need) * 2;
                    char *bigger = realloc(out, cap);
                    if (bigger == NULL) {
                        free(out);
                        db_reset(st);
                        return NULL;
                    }
                    out = bigger;
                }
                len += (size_t)snprintf(out + len, cap - len, "%s|", v != NULL ? v : "NULL");
            }
        }
        if (rc != DB_DONE)
            len += (size_t)snprintf(out + len, cap - len, "?");
        db_reset(st);
    }
    return out;
}

/* Prints the first probe whose answer differs. */
static void show_difference(const char *before, const char *after)
{
    size_t i = 0;
    while (before[i] != '\0' && before[i] == after[i])
        i++;
    size_t from = i;
    while (from > 0 && before[from - 1] != '\n')
        from--;
    printf("  the database changed at probe: before \"%.160s\"\n", before + from);
    printf("                                 after  \"%.160s\"\n", after + from);
}

/* ---- requests with a fault ---- */

struct faulty {
    const char *method, *path;
    const char *const *headers; /* the caller's, NULL-terminated (the fault header is added) */
    const char *body;
    size_t body_len;
    bool raw;
    long ok_status; /* what the request answers without a fault */
};

static long send_with_fault(struct api_response *r, const struct faulty *f, long n)
{
    const char *headers[12];
    size_t h = 0;
    char fault[48];
    snprintf(fault, sizeof(fault), "X-Rounds-Test-Fault: %ld", n);
    headers[h++] = fault;
    for (size_t i = 0; f->headers != NULL && f->headers[i] != NULL && h < 11; i++)
        headers[h++] = f->headers[i];
    headers[h] = NULL;
    size_t len = f->body_len != 0 ? f->body_len : (f->body != NULL ? strlen(f->body) : 0);
    struct api_raw_request rq = {f->method, f->path, headers, f->body, len, f->raw};
    return api_send(r, &rq);
}

/* Fails each write of the request in turn, then lets it succeed; the reply
 * of the success into *done (to be freed). Returns the writes it made. */
static long fail_every_write(const char *what, const struct faulty *f, struct api_response *done)
{
    memset(done, 0, sizeof(*done));
    for (long n = 1; n <= 200; n++) {
        char *before = fingerprint();
        struct api_response r;
        send_with_fault(&r, f, n);
        const char *fired = api_header(&r, "x-rounds-test-fault-fired");
        if (fired == NULL) {
            TEST_FAILF("%s: no X-Rounds-Test-Fault-Fired header (status %ld)", what, r.status);
            if (r.status == 0)
                api_server_print_log(api_current, 60);
            api_free(&r);
            free(before);
            return -1;
        }
        if (strcmp(fired, "0") == 0) {
            const char *writes = api_header(&r, "x-rounds-test-writes");
            long total = writes != NULL ? strtol(writes, NULL, 10) : -1;
            if (r.status != f->ok_status)
                TEST_FAILF("%s: without a fault it answered %ld (want %ld): %.300s", what, r.status, f->ok_status,
                           r.body);
            CHECK_INT(total, n - 1);
            printf("  %s: %ld writes, each failed in turn\n", what, total);
            *done = r;
            free(before);
            return total;
        }
        long status = r.status;
        if (status != 503)
            TEST_FAILF("%s: write %ld failed and it answered %ld: %.300s", what, n, r.status, r.body);
        else
            CHECK_PROBLEM(&r, 503, "unavailable", NULL);
        char *after = fingerprint();
        bool same = before != NULL && after != NULL && strcmp(before, after) == 0;
        if (!same) {
            TEST_FAILF("%s: write %ld failed and the database changed", what, n);
            if (before != NULL && after != NULL)
                show_difference(before, after);
        }
        free(before);
        free(after);
        api_free(&r);
        if (!same || status != 503)
            return -1;
    }
    TEST_FAILF("%s: still failing after 200 writes", what);
    return -1;
}

/* A JSON request as u (bearer token). */
static long json_with_faults(const char *what, const struct user *u, const char *method, const char *path,
                             const char *body, long ok_status, struct api_response *done)
{
    const char *headers[] = {u->auth, "Content-Type: application/json", NULL};
    struct faulty f = {method, path, headers, body, 0, false, ok_status};
    return fail_every_write(what, &f, done);
}

/* ---- the world ---- */

/* Staff (from the CLI), a host with a coordinator, a site, a preceptor record
 * and a cardiology offering (parts from api_world.h). */
static bool world_setup(void)
{
    static const struct world_place harbor = {"Harbor Main", NULL, "Boston", "MA", "02114"};
    static const struct world_preceptor_fields reyes = {"Dr. Ada Reyes", "cardiology", "MA", "MA-77120", "fprc",
                                                         NULL};
    if (!world_staff(&srv, &db, &staff, "fstaff", "Faults"))
        return false;
    if (!world_org(&staff, "host", org, "Harbor Faults %ld", (long)getpid()) ||
        !world_member(&staff, &coord, "fcoord", "Faults", "host_coordinator", org))
        return false;
    if (!world_site(&staff, org, &harbor, site) || !world_preceptor_record(&staff, org, NULL, &reyes, prc))
        return false;
    return create_object(&coord, "/api/v1/offerings",
                         world_cardiology_offering_body(org, site, prc, "Cardiology Faults"), offering);
}

static long long seats_taken(const char *block)
{
    return api_db_int(db, "SELECT seats_taken FROM blocks WHERE id = $1", block, NULL);
}

/* ---- the requests ---- */

/* Applying, accepting the offer (a seat held), staff booking it by hand (a
 * manual payment and its ledger entries) and cancelling (the seat released,
 * the refund owed). */
TEST(every_write_of_apply_accept_book_and_cancel_fails_cleanly)
{
    struct user s;
    char block[64], app[64], path[200], body[300];
    if (!register_student(&s, "fstud") || !steps_block(&staff, offering, 120, 27, 2, block))
        return;
    struct api_response r;
    snprintf(body, sizeof(body), "{\"block_id\":\"%s\",\"statement\":\"Cardiology is my calling.\"}", block);
    if (json_with_faults("apply", &s, "POST", "/api/v1/applications", body, 201, &r) < 2) {
        TEST_FAILF("applying did not come through its faults");
        api_free(&r);
        return;
    }
    snprintf(app, sizeof(app), "%s", api_json_str(r.json, "id") != NULL ? api_json_str(r.json, "id") : "");
    api_free(&r);
    CHECK_STR(steps_status(db, app), "submitted");
    if (!steps_act(&coord, app, "offer"))
        return;
    snprintf(path, sizeof(path), "/api/v1/applications/%s/accept", app);
    CHECK(json_with_faults("accept (the seat held)", &s, "POST", path, "{}", 200, &r) >= 2);
    api_free(&r);
    CHECK_STR(steps_status(db, app), "held");
    CHECK_INT(seats_taken(block), 1);
    snprintf(path, sizeof(path), "/api/v1/applications/%s/book", app);
    CHECK(json_with_faults("staff book by hand (payment recorded)", &staff, "POST", path, "{}", 200, &r) >= 2);
    api_free(&r);
    CHECK_STR(steps_status(db, app), "booked");
    CHECK(api_db_int(db, "SELECT COUNT(*) FROM payments WHERE application_id = $1", app, NULL) == 1);
    snprintf(path, sizeof(path), "/api/v1/applications/%s/cancel", app);
    CHECK(json_with_faults("cancel (seat released, refund owed)", &s, "POST", path, "{}", 200, &r) >= 2);
    api_free(&r);
    CHECK_STR(steps_status(db, app), "cancelled_by_student");
    CHECK_INT(seats_taken(block), 0);
}

/* A bank transfer recorded by staff against the checkout's reference. */
TEST(every_write_of_a_recorded_bank_transfer_fails_cleanly)
{
    struct user s;
    char block[64], app[64], path[200], body[300], reference[32];
    if (!register_student(&s, "fbank") || !steps_block(&staff, offering, 150, 27, 2, block))
        return;
    struct api_response r;
    snprintf(body, sizeof(body), "{\"block_id\":\"%s\",\"statement\":\"Cardiology is my calling.\"}", block);
    if (!post_as(&r, &s, "/api/v1/applications", json_loads(body, 0, NULL), 201)) {
        api_free(&r);
        return;
    }
    snprintf(app, sizeof(app), "%s", api_json_str(r.json, "id"));
    api_free(&r);
    if (!steps_act(&coord, app, "offer") || !steps_act(&s, app, "accept"))
        return;
    snprintf(path, sizeof(path), "/api/v1/applications/%s/checkout", app);
    if (!post_as(&r, &s, path, json_pack("{s:s,s:s}", "method", "bank_transfer", "plan", "deposit"), 201)) {
        api_free(&r);
        return;
    }
    const char *ref = api_json_str(r.json, "bank_transfer.reference");
    snprintf(reference, sizeof(reference), "%s", ref != NULL ? ref : "");
    api_free(&r);
    char today[11];
    clock_date_from_days(clock_today_days(), today);
    snprintf(body, sizeof(body), "{\"reference\":\"%s\",\"amount_cents\":89900,\"received_on\":\"%s\"}", reference,
             today);
    long writes = json_with_faults("bank transfer recorded by staff", &staff, "POST", "/api/v1/bank-transfers", body,
                                   201, &r);
    CHECK(writes >= 2);
    if (writes < 0)
        printf("  reply: %.300s\n", r.body != NULL ? r.body : "");
    api_free(&r);
    CHECK_STR(steps_status(db, app), "booked");
    CHECK(api_db_int(db, "SELECT COUNT(*) FROM payments WHERE application_id = $1", app, NULL) == 1);
}

/* A document upload: the sealed file is written, then its row; a failed
 * write leaves no row (and the file, if any, is referenced by nothing). */
TEST(every_write_of_a_document_upload_fails_cleanly)
{
    struct user s;
    if (!register_student(&s, "fdoc"))
        return;
    char pdf[2048];
    memset(pdf, 'x', sizeof(pdf));
    int n = snprintf(pdf, sizeof(pdf), "%%PDF-1.7\n%%rounds faults\n");
    pdf[n] = 'x';
    memcpy(pdf + sizeof(pdf) - 7, "%%EOF\n\n", 7);
    char head[512];
    int h = snprintf(head, sizeof(head),
                     "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\npassport\r\n"
                     "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"passport.pdf\"\r\n"
                     "Content-Type: application/pdf\r\n\r\n");
    const char tail[] = "\r\n--" BOUNDARY "--\r\n";
    size_t len = (size_t)h + sizeof(pdf) + sizeof(tail) - 1;
    char *body = malloc(len);
    if (body == NULL)
        return;
    memcpy(body, head, (size_t)h);
    memcpy(body + h, pdf, sizeof(pdf));
    memcpy(body + h + sizeof(pdf), tail, sizeof(tail) - 1);
    const char *headers[] = {s.auth, "Content-Type: multipart/form-data; boundary=" BOUNDARY, NULL};
    struct faulty f = {"POST", "/api/v1/documents", headers, body, len, true, 201};
    struct api_response r;
    CHECK(fail_every_write("document upload", &f, &r) >= 1);
    api_free(&r);
    free(body);
    CHECK(api_db_int(db, "SELECT COUNT(*) FROM documents WHERE student_id = $1", s.id, NULL) == 1);
}

/* Without --test-hooks the header does nothing. */
TEST(the_fault_header_is_ignored_without_test_hooks)
{
    struct api_server plain;
    const char *flags[] = {"--jobs-interval-ms", "0", NULL};
    if (api_server_start(&plain, flags) != 0) {
        TEST_FAILF("the server without test hooks did not start");
        return;
    }
    const char *headers[] = {"X-Rounds-Test-Fault: 1", NULL};
    struct api_raw_request rq = {"GET", "/healthz", headers, NULL, 0, false};
    struct api_response r;
    api_send(&r, &rq);
    CHECK_INT(r.status, 200);
    CHECK(api_header(&r, "x-rounds-test-fault-fired") == NULL);
    api_free(&r);
    CHECK_INT(api_server_stop(&plain), 0);
    api_server_cleanup(&plain);
    api_use(&srv);
}

static void run_tests(void)
{
    API_RUN(every_write_of_apply_accept_book_and_cancel_fails_cleanly);
    API_RUN(every_write_of_a_recorded_bank_transfer_fails_cleanly);
    API_RUN(every_write_of_a_document_upload_fails_cleanly);
    API_RUN(the_fault_header_is_ignored_without_test_hooks);
}

static void finish(void)
{
    const char *args[] = {"ledger", "check", NULL};
    struct api_cli_result res;
    int code = api_cli(srv.db, args, NULL, &res);
    if (code != 0)
        TEST_FAILF("rounds ledger check exited %d: %.400s%.400s", code, res.out, res.err);
    api_cli_free(&res);
    db_close(db);
}

int main(void)
{
    setenv("ROUNDS_BANK_TRANSFER_DETAILS", BANK_DETAILS, 1);
    static const char *const flags[] = {"--test-hooks", "1", "--jobs-interval-ms", "0", NULL};
    static const struct api_suite suite = {
        .name = "api_faults", .server = &srv, .flags = flags, .setup = world_setup,
        .setup_what = "world setup failed", .run = run_tests, .finish = finish};
    return api_suite_main(&suite);
}
