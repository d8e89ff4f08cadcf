/* test_api_demo.c — what a newcomer of `make run` sees of `rounds seed
 * --demo`, through the API of a server on the seeded database (a new SQLite
 * file, or a new PostgreSQL database beside ROUNDS_TEST_DB when the suite
 * runs on PostgreSQL):
 *
 *   the demo student's booked rotation shows its deposit paid and the balance
 *   due later (not "Pay the balance" with nothing paid); the completed
 *   rotation and the rotation under way are paid in full; the host's earnings
 *   list both rotations that started, in the month each started; the demo
 *   school counts its students' applications; the rotations cleared to start
 *   met their onboarding checklist; the dates of what is booked lie
 *   ahead and of what is done lie behind; `rounds ledger check` passes, and a
 *   second seed adds nothing (not a cent in the ledger); the emails the seed
 *   queues link to the server's address, not to a bare path. */
#include <jansson.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "api_client.h"
#include "test.h"

#define PEOPLE_PASSWORD "rounds-demo-2026"
#include "api_people.h"

static struct api_server server;
static char work[64];      /* a mkdtemp folder: the SQLite database, the signing key, the seed's output */
static char db[1000];      /* the seeded database */
static const char *pg_uri; /* ROUNDS_TEST_DB, NULL on SQLite */
static struct user student = {.email = "student@rounds.test"}, rotation = {.email = "rotation@rounds.test"},
                   host = {.email = "host@rounds.test"}, school = {.email = "school@rounds.test"},
                   staff = {.email = "staff@rounds.test"};

/* `rounds seed --demo` on db, its output into work/name; its exit status. */
static int seed(const char *name)
{
    char out[128];
    snprintf(out, sizeof(out), "%s/%s", work, name);
    char data_dir[96];
    snprintf(data_dir, sizeof(data_dir), "%s/data", work);
    int code = api_seed_demo(db, data_dir, out);
    if (code != 0) {
        char *text = api_read_file(out, NULL);
        printf("rounds seed --demo exited %d: %.1500s\n", code, text != NULL ? text : "");
        free(text);
    }
    return code;
}

/* GET path as u into r: true on 200, else a failed check. */
static bool get_as(struct api_response *r, const struct user *u, const char *path)
{
    const char *headers[] = {u->auth, NULL};
    api_request(r, "GET", path, headers, NULL);
    if (r->status == 200 && r->json != NULL)
        return true;
    TEST_FAILF("GET %s as %s answered %ld: %.300s", path, u->email, r->status, r->body);
    return false;
}

static void today_plus(int days, char out[11])
{
    time_t t = time(NULL) + (time_t)days * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* The ledger's transactions and a sum that moves with any cent posted. */
static void ledger_totals(long long *transactions, long long *debits)
{
    struct db_conn *conn = NULL;
    *transactions = *debits = -1;
    if (db_open(db, &conn) != DB_OK)
        return;
    *transactions = api_db_int(conn, "SELECT COUNT(*) FROM ledger_transactions", NULL, NULL);
    *debits = api_db_int(conn, "SELECT COALESCE(SUM(amount_cents), 0) FROM ledger_entries WHERE amount_cents > 0",
                         NULL, NULL);
    db_close(conn);
}

static void expect_ledger_ok(void)
{
    const char *args[] = {"ledger", "check", "--db", db, NULL};
    struct api_cli_result res;
    int code = api_cli(NULL, args, NULL, &res);
    if (code != 0)
        TEST_FAILF("rounds ledger check exited %d: %.600s%.600s", code, res.out, res.err);
    CHECK_CONTAINS(res.out, "ledger ok");
    api_cli_free(&res);
}

TEST(booked_rotation_shows_its_deposit_paid_and_the_balance_due_later)
{
    struct api_response r;
    if (!get_as(&r, &student, "/api/v1/applications/app_demo_booked/statement"))
        return;
    CHECK_STR(api_json_str(r.json, "status"), "booked");
    CHECK(json_is_true(api_json_get(r.json, "terms_fixed")));
    long long price = api_json_int(r.json, "price_cents", -1), paid = api_json_int(r.json, "paid_cents", -1);
    long long deposit = api_json_int(r.json, "deposit_due_cents", -1);
    CHECK(price > 0);
    CHECK(deposit > 0 && deposit < price); /* eleven months ahead: a deposit books it */
    CHECK_INT(paid, deposit);
    CHECK_INT(api_json_int(r.json, "balance_cents", -1), price - deposit);
    CHECK_INT(json_array_size(api_json_get(r.json, "payments")), 1);
    CHECK_STR(json_string_value(json_object_get(json_array_get(api_json_get(r.json, "payments"), 0), "method")), "demo");
    char today[11];
    today_plus(0, today);
    const char *due = api_json_str(r.json, "balance_due_on");
    CHECK(due != NULL && strcmp(due, today) > 0);
    CHECK_INT(api_json_int(r.json, "pay_now.balance", -1), price - deposit); /* and only the balance */
    CHECK(json_is_null(api_json_get(r.json, "pay_now.deposit")));
    api_free(&r);
    /* What the student's list and the host's list show of it agree. */
    if (get_as(&r, &student, "/api/v1/applications/app_demo_booked")) {
        const char *start = api_json_str(r.json, "block.start");
        CHECK(start != NULL && strcmp(start, today) > 0);
    }
    api_free(&r);
    if (get_as(&r, &host, "/api/v1/applications/app_demo_booked/statement"))
        CHECK_INT(api_json_int(r.json, "paid_cents", -1), paid);
    api_free(&r);
}

/* A rotation done, and one under way: paid in full before it started, nothing left to pay. */
static void expect_paid_in_full(const struct user *u, const char *id, const char *status)
{
    char path[128];
    snprintf(path, sizeof(path), "/api/v1/applications/%s/statement", id);
    struct api_response r;
    if (!get_as(&r, u, path))
        return;
    CHECK_STR(api_json_str(r.json, "status"), status);
    long long price = api_json_int(r.json, "price_cents", -1);
    CHECK(price > 0);
    CHECK_INT(api_json_int(r.json, "paid_cents", -1), price);
    CHECK_INT(api_json_int(r.json, "received_cents", -1), price);
    CHECK_INT(api_json_int(r.json, "balance_cents", -1), 0);
    CHECK(json_array_size(api_json_get(r.json, "payments")) >= 1);
    CHECK(json_is_null(api_json_get(r.json, "pay_now.balance"))); /* nothing left to pay */
    api_free(&r);
}

TEST(rotations_done_and_under_way_are_paid_in_full)
{
    expect_paid_in_full(&student, "app_demo_completed", "completed");
    expect_paid_in_full(&rotation, "app_demo_rotation", "in_progress");
    char today[11];
    today_plus(0, today);
    struct api_response r;
    if (get_as(&r, &student, "/api/v1/applications/app_demo_completed")) {
        const char *end = api_json_str(r.json, "block.end");
        CHECK(end != NULL && strcmp(end, today) < 0);
    }
    api_free(&r);
    if (get_as(&r, &rotation, "/api/v1/applications/app_demo_rotation")) {
        const char *start = api_json_str(r.json, "block.start"), *end = api_json_str(r.json, "block.end");
        CHECK(start != NULL && strcmp(start, today) <= 0);
        CHECK(end != NULL && strcmp(end, today) >= 0);
    }
    api_free(&r);
}

/* The host's share of a rotation that started, in the month of its first day. */
static void expect_earned(const char *id, const struct user *student_of)
{
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/applications/%s", id);
    struct api_response r;
    if (!get_as(&r, student_of, path))
        return;
    char month[8];
    snprintf(month, sizeof(month), "%.7s", api_json_str(r.json, "block.start"));
    api_free(&r);
    snprintf(path, sizeof(path), "/api/v1/applications/%s/statement", id);
    if (!get_as(&r, student_of, path))
        return;
    long long share = api_json_int(r.json, "tuition_cents", -1);
    api_free(&r);
    snprintf(path, sizeof(path), "/api/v1/earnings?month=%s", month);
    if (!get_as(&r, &host, path))
        return;
    json_t *lines = api_json_get(r.json, "lines");
    bool found = false;
    for (size_t i = 0; i < json_array_size(lines); i++) {
        json_t *line = json_array_get(lines, i);
        if (strcmp(json_string_value(json_object_get(line, "application_id")) ?: "", id) != 0)
            continue;
        found = true;
        CHECK_STR(json_string_value(json_object_get(line, "kind")), "earn");
        CHECK_INT(json_integer_value(json_object_get(line, "amount_cents")), share);
        CHECK(strncmp(json_string_value(json_object_get(line, "effective_on")) ?: "", month, 7) == 0);
    }
    if (!found)
        TEST_FAILF("the host's earnings for %s do not list %s: %.600s", month, id, r.body);
    CHECK(api_json_int(r.json, "earned_cents", -1) >= share);
    api_free(&r);
}

TEST(host_earnings_list_the_rotations_that_started)
{
    expect_earned("app_demo_completed", &student);
    expect_earned("app_demo_rotation", &rotation);
}

/* Cleared to start, then started: the checklist was met, by documents staff verified. */
static void expect_checklist(const struct user *u, const char *id, bool all_ok)
{
    char path[128];
    snprintf(path, sizeof(path), "/api/v1/applications/%s/compliance", id);
    struct api_response r;
    if (!get_as(&r, u, path))
        return;
    json_t *items = api_json_get(r.json, "items");
    CHECK(json_array_size(items) >= 4); /* the demo host's passport, BLS, TB test and HIPAA at least */
    size_t ok = 0;
    for (size_t i = 0; i < json_array_size(items); i++)
        ok += strcmp(json_string_value(json_object_get(json_array_get(items, i), "state")) ?: "", "ok") == 0;
    if (all_ok) {
        CHECK(json_is_true(api_json_get(r.json, "all_ok")));
        CHECK_INT(ok, json_array_size(items));
    } else {
        CHECK(json_is_false(api_json_get(r.json, "all_ok"))); /* a TB test 90 days before a start a year away: not yet */
    }
    api_free(&r);
}

TEST(rotations_under_way_and_done_met_their_checklist)
{
    expect_checklist(&rotation, "app_demo_rotation", true);
    expect_checklist(&student, "app_demo_completed", true);
    expect_checklist(&student, "app_demo_booked", false);
}

TEST(school_counts_its_students_applications)
{
    struct api_response r;
    if (!get_as(&r, &school, "/api/v1/schools/org_demo_school/students?limit=100"))
        return;
    CHECK(json_is_null(api_json_get(r.json, "next_cursor"))); /* every student on the one page */
    json_t *items = api_json_get(r.json, "items");
    long long active = 0, booked = 0, demo_student_booked = -1;
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        active += json_integer_value(json_object_get(it, "applications_active"));
        booked += json_integer_value(json_object_get(it, "applications_booked"));
        if (strcmp(api_json_str(it, "student.id") ?: "", student.id) == 0)
            demo_student_booked = json_integer_value(json_object_get(it, "applications_booked"));
    }
    CHECK(json_array_size(items) >= 13); /* twelve in the cohort and the demo student */
    CHECK_INT(demo_student_booked, 2);   /* the completed rotation and the booked one */
    CHECK_INT(booked, 2);                /* the demo student's: the only ones booked */
    CHECK_INT(active, 4);                /* four of the cohort applied on their own */
    api_free(&r);
}

TEST(ledger_check_passes_and_a_second_seed_adds_nothing)
{
    expect_ledger_ok();
    long long transactions = 0, debits = 0;
    ledger_totals(&transactions, &debits);
    CHECK(transactions >= 9); /* three charges, five payments, two earnings (free rotations aside) */
    CHECK_INT(seed("seed-again.txt"), 0);
    long long after_transactions = 0, after_debits = 0;
    ledger_totals(&after_transactions, &after_debits);
    CHECK_INT(after_transactions, transactions);
    CHECK_INT(after_debits, debits);
    expect_ledger_ok();
}

/* The emails the seed queued (counted before a server could send them):
 * those whose link is a bare path, and those whose link is a whole address. */
static long long mail_with_bare_link = -1, mail_with_address = -1;

static void count_queued_links(void)
{
    struct db_conn *conn = NULL;
    if (db_open(db, &conn) != DB_OK)
        return;
    mail_with_bare_link = api_db_int(conn, "SELECT COUNT(*) FROM outbox WHERE body LIKE '%Rounds: /%'", NULL, NULL);
    mail_with_address =
        api_db_int(conn, "SELECT COUNT(*) FROM outbox WHERE body LIKE '%Rounds: http://127.0.0.1:8080/%'", NULL, NULL);
    db_close(conn);
}

/* The seed runs before `rounds serve`: the links of the emails it queues
 * (the match round's invitations to rank, payment receipts) lead to the
 * address serve will answer on (here the default, ROUNDS_LISTEN), not to a
 * path a mail reader cannot open. */
TEST(emails_the_demo_queues_link_to_the_server)
{
    CHECK_INT(mail_with_bare_link, 0);
    CHECK(mail_with_address > 0);
}

static bool setup(void)
{
    snprintf(work, sizeof(work), "/tmp/rounds-demo.XXXXXX");
    if (mkdtemp(work) == NULL)
        return false;
    pg_uri = api_shared_db();
    if (!api_fresh_db(db, sizeof(db), pg_uri, work, "demo") || seed("seed.txt") != 0)
        return false;
    count_queued_links();
    if (api_server_start_with(&server, db, NULL, NULL) != 0)
        return false;
    struct user *people[] = {&student, &rotation, &host, &school, &staff};
    for (size_t i = 0; i < sizeof(people) / sizeof(people[0]); i++)
        if (!login(people[i]))
            return false;
    return true;
}

int main(void)
{
    if (crypto_init() != 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
        return 1;
    test_current_name = "setup";
    bool ready = setup();
    if (ready) {
        RUN(booked_rotation_shows_its_deposit_paid_and_the_balance_due_later);
        RUN(rotations_done_and_under_way_are_paid_in_full);
        RUN(host_earnings_list_the_rotations_that_started);
        RUN(rotations_under_way_and_done_met_their_checklist);
        RUN(school_counts_its_students_applications);
        RUN(ledger_check_passes_and_a_second_seed_adds_nothing);
        RUN(emails_the_demo_queues_link_to_the_server);
    } else {
        printf("FAIL seeding the demo and starting a server on it\n");
        if (server.pid > 0)
            api_server_print_log(&server, 30);
    }
    int stopped = server.pid > 0 ? api_server_stop(&server) : 0;
    if (stopped != 0)
        printf("FAIL the server did not shut down gracefully (exit status %d)\n", stopped);
    if (server.dir[0] != '\0')
        api_server_cleanup(&server);
    api_fresh_db_drop(db, pg_uri);
    if (getenv("ROUNDS_TEST_KEEP") == NULL)
        api_remove_tree(work);
    curl_global_cleanup();
    return test_summary("api-demo") | !ready | (stopped != 0);
}
