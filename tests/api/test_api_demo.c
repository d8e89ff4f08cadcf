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
 *   second seed adds nothing (not a cent in the ledger, no application,
 *   letter, evaluation or agreement); the emails the seed queues link to the
 *   server's address, not to a bare path;
 *
 *   lists sorted newest first put the demo's objects where their dates put
 *   them (the host's applications, the student's, the pages after a cursor,
 *   the notices); the demo school and host see their signed, active
 *   agreement; the demo student and the preceptor see the letter asked after
 *   the completed rotation; the completed rotation has the preceptor's
 *   evaluation, submitted after its last day; the booked rotation has the
 *   demo's coach; the notices of the demo's history older than a week are
 *   read, the recent ones wait.
 *
 * The demo's ids are made as any other (nothing fixed to type): the suite
 * finds its applications by account and status, as a visitor would. */
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
static char work[64];      /* a test_tmp_dir folder: the SQLite database, the signing key, the seed's output */
static char db[1000];      /* the seeded database */
static const char *pg_uri; /* ROUNDS_TEST_DB, NULL on SQLite */
static struct user student = {.email = "student@rounds.test"}, rotation = {.email = "rotation@rounds.test"},
                   host = {.email = "host@rounds.test"}, school = {.email = "school@rounds.test"},
                   staff = {.email = "staff@rounds.test"}, preceptor = {.email = "preceptor@rounds.test"};
/* The demo's applications, found in its accounts' lists. */
static char booked_id[64], completed_id[64], rotation_id[64];

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

/* GET /api/v1/applications/{id}{tail} as u. */
static bool get_application(struct api_response *r, const struct user *u, const char *id, const char *tail)
{
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/applications/%s%s", id, tail);
    return get_as(r, u, path);
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
    if (!get_application(&r, &student, booked_id, "/statement"))
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
    if (get_application(&r, &student, booked_id, "")) {
        const char *start = api_json_str(r.json, "block.start");
        CHECK(start != NULL && strcmp(start, today) > 0);
    }
    api_free(&r);
    if (get_application(&r, &host, booked_id, "/statement"))
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
    expect_paid_in_full(&student, completed_id, "completed");
    expect_paid_in_full(&rotation, rotation_id, "in_progress");
    char today[11];
    today_plus(0, today);
    struct api_response r;
    if (get_application(&r, &student, completed_id, "")) {
        const char *end = api_json_str(r.json, "block.end");
        CHECK(end != NULL && strcmp(end, today) < 0);
    }
    api_free(&r);
    if (get_application(&r, &rotation, rotation_id, "")) {
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
    expect_earned(completed_id, &student);
    expect_earned(rotation_id, &rotation);
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
    expect_checklist(&rotation, rotation_id, true);
    expect_checklist(&student, completed_id, true);
    expect_checklist(&student, booked_id, false);
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

/* How many rows of each thing the demo adds (-1 when the database cannot be
 * read). Each count is its own literal: the store's statement cache wants
 * the SQL of a statement at a fixed address. */
static const struct {
    const char *table, *sql;
} counted[] = {
    {"applications", "SELECT COUNT(*) FROM applications"},
    {"blocks", "SELECT COUNT(*) FROM blocks"},
    {"hours_entries", "SELECT COUNT(*) FROM hours_entries"},
    {"check_ins", "SELECT COUNT(*) FROM check_ins"},
    {"documents", "SELECT COUNT(*) FROM documents"},
    {"letters", "SELECT COUNT(*) FROM letters"},
    {"evaluations", "SELECT COUNT(*) FROM evaluations"},
    {"affiliation_agreements", "SELECT COUNT(*) FROM affiliation_agreements"},
    {"notifications", "SELECT COUNT(*) FROM notifications"},
    {"coach_assignments", "SELECT COUNT(*) FROM coach_assignments"},
};
enum { COUNTED = sizeof(counted) / sizeof(counted[0]) };

static void count_rows(long long out[COUNTED])
{
    struct db_conn *conn = NULL;
    for (size_t i = 0; i < COUNTED; i++)
        out[i] = -1;
    if (db_open(db, &conn) != DB_OK)
        return;
    for (size_t i = 0; i < COUNTED; i++)
        out[i] = api_db_int(conn, counted[i].sql, NULL, NULL);
    db_close(conn);
}

TEST(ledger_check_passes_and_a_second_seed_adds_nothing)
{
    expect_ledger_ok();
    long long transactions = 0, debits = 0, rows[COUNTED], after_rows[COUNTED];
    ledger_totals(&transactions, &debits);
    count_rows(rows);
    CHECK(transactions >= 9); /* three charges, five payments, two earnings (free rotations aside) */
    CHECK_INT(seed("seed-again.txt"), 0);
    long long after_transactions = 0, after_debits = 0;
    ledger_totals(&after_transactions, &after_debits);
    count_rows(after_rows);
    CHECK_INT(after_transactions, transactions);
    CHECK_INT(after_debits, debits);
    for (size_t i = 0; i < COUNTED; i++) {
        if (rows[i] < 0 || after_rows[i] != rows[i])
            TEST_FAILF("%s: %lld rows after the first seed, %lld after the second", counted[i].table, rows[i],
                       after_rows[i]);
    }
    CHECK(rows[5] >= 1 && rows[6] >= 1 && rows[7] >= 1); /* a letter, an evaluation, an agreement */
    /* The second run finds the demo's rotations where the first left them, and says where. */
    char path[160], line[160];
    snprintf(path, sizeof(path), "%s/seed-again.txt", work);
    char *out = api_read_file(path, NULL);
    snprintf(line, sizeof(line), "Rotation under way: /rotations/%s ", rotation_id);
    CHECK_CONTAINS(out != NULL ? out : "", line);
    snprintf(line, sizeof(line), "Completed rotation: /applications/%s ", completed_id);
    CHECK_CONTAINS(out != NULL ? out : "", line);
    free(out);
    expect_ledger_ok();
}

/* The items of GET path as u (a new reference), NULL after a failed check. */
static json_t *items_of(const struct user *u, const char *path)
{
    struct api_response r;
    json_t *items = NULL;
    if (get_as(&r, u, path))
        items = json_incref(api_json_get(r.json, "items"));
    api_free(&r);
    return items;
}

/* The position of the item whose id is id in a list, or -1. */
static long position(json_t *items, const char *id)
{
    for (size_t i = 0; i < json_array_size(items); i++)
        if (strcmp(api_json_str(json_array_get(items, i), "id") ?: "", id) == 0)
            return (long)i;
    return -1;
}

/* Every item's `field` (an RFC 3339 instant) is no later than the one before. */
static void expect_newest_first(json_t *items, const char *field, const char *what)
{
    for (size_t i = 1; i < json_array_size(items); i++) {
        const char *before = api_json_str(json_array_get(items, i - 1), field) ?: "";
        const char *at = api_json_str(json_array_get(items, i), field) ?: "";
        if (strcmp(at, before) > 0)
            TEST_FAILF("%s: item %zu (%s, %s %s) is listed after an older one (%s)", what, i,
                       api_json_str(json_array_get(items, i), "id") ?: "?", field, at, before);
    }
}

/* The demo's applications are found, in their accounts' lists, by status. */
static void find_application(const struct user *u, const char *status, char out[64])
{
    char path[96];
    snprintf(path, sizeof(path), "/api/v1/applications?status=%s&limit=100", status);
    json_t *items = items_of(u, path);
    size_t n = json_array_size(items);
    /* The oldest: the one the demo made (tests may add more later). */
    snprintf(out, 64, "%s", n > 0 ? api_json_str(json_array_get(items, n - 1), "id") ?: "" : "");
    json_decref(items);
}

/* Newest first means what the dates say: the host's list starts with the
 * cohort's applications made by the seed today, then the demo student's
 * booked rotation (asked for a week ago), the rotation under way, and the
 * rotation completed ten days ago (asked for long before); the next page
 * after a cursor goes on from there. */
TEST(lists_newest_first_put_the_demo_where_its_dates_do)
{
    json_t *host_list = items_of(&host, "/api/v1/applications?limit=100");
    expect_newest_first(host_list, "created_at", "the host's applications");
    long booked = position(host_list, booked_id), running = position(host_list, rotation_id),
         done = position(host_list, completed_id);
    CHECK(json_array_size(host_list) >= 7); /* four of the cohort's and the demo's three */
    CHECK(booked >= 4);                     /* after the four the cohort made today */
    CHECK(booked >= 0 && running > booked && done > running);
    json_t *mine = items_of(&student, "/api/v1/applications?limit=100");
    expect_newest_first(mine, "created_at", "the student's applications");
    CHECK(position(mine, booked_id) >= 0 && position(mine, booked_id) < position(mine, completed_id));
    /* Two at a time, each page continuing where the last ended. */
    json_t *paged = json_array();
    char path[160] = "/api/v1/applications?limit=2";
    for (int page = 0; page < 10 && path[0] != '\0'; page++) {
        struct api_response r;
        if (!get_as(&r, &host, path))
            break;
        json_array_extend(paged, api_json_get(r.json, "items"));
        const char *next = api_json_str(r.json, "next_cursor");
        if (next != NULL)
            snprintf(path, sizeof(path), "/api/v1/applications?limit=2&cursor=%s", next);
        else
            path[0] = '\0';
        api_free(&r);
    }
    expect_newest_first(paged, "created_at", "the host's applications, two at a time");
    CHECK(position(paged, completed_id) > position(paged, booked_id));
    json_decref(paged);
    json_decref(host_list);
    json_decref(mine);
    /* The notices the demo's history left, newest first too. */
    const struct user *noticed[] = {&student, &school, &host, &preceptor};
    for (size_t i = 0; i < sizeof(noticed) / sizeof(noticed[0]); i++) {
        json_t *notices = items_of(noticed[i], "/api/v1/notifications");
        CHECK(json_array_size(notices) > 0);
        expect_newest_first(notices, "created_at", noticed[i]->email);
        json_decref(notices);
    }
}

/* The coach of application id as u sees it: its id into out ("" when none). */
static void coach_of(const struct user *u, const char *id, char out[64], char name[96])
{
    struct api_response r;
    out[0] = name[0] = '\0';
    if (get_application(&r, u, id, "")) {
        const char *coach = api_json_str(r.json, "coach.id"), *coach_name = api_json_str(r.json, "coach.name");
        snprintf(out, 64, "%s", coach != NULL ? coach : "");
        snprintf(name, 96, "%s", coach_name != NULL ? coach_name : "");
    }
    api_free(&r);
}

/* Staff's Coaches page says every booked student gets a coach: the demo
 * student's rotation booked for next year has the demo's coach (the one of
 * the rotation under way), who has both students on their dashboard; the
 * student was told who their coach is. */
TEST(booked_rotation_has_the_demo_coach)
{
    char coach[64], name[96], rotation_coach[64], rotation_coach_name[96];
    coach_of(&student, booked_id, coach, name);
    coach_of(&rotation, rotation_id, rotation_coach, rotation_coach_name);
    CHECK(rotation_coach[0] != '\0');
    CHECK_STR(coach, rotation_coach);
    CHECK_STR(name, "Grace Mensah");
    struct api_response r;
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/coach/dashboard?coach_id=%s", coach);
    if (get_as(&r, &staff, path)) {
        CHECK_CONTAINS(r.body, student.id);
        CHECK_CONTAINS(r.body, rotation.id);
    }
    api_free(&r);
    json_t *notices = items_of(&student, "/api/v1/notifications");
    size_t told = 0;
    for (size_t i = 0; i < json_array_size(notices); i++) {
        const char *title = api_json_str(json_array_get(notices, i), "title");
        if (title != NULL && strstr(title, "Grace Mensah is your Rounds coach") != NULL)
            told++;
    }
    CHECK_INT(told, 1);
    json_decref(notices);
}

/* The instant `days` ago as the API writes it ("2026-09-14T10:00:00Z"). */
static void rfc3339_days_ago(int days, char out[21])
{
    time_t t = time(NULL) - (time_t)days * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The notices the demo's history made long ago (the payments of September)
 * were read then, as their reader would have; those of the last days (the
 * booking of next year's rotation, its coach) wait unread. The seed's rule
 * is a week: a day's margin either side. */
TEST(old_notices_are_read_and_recent_ones_wait)
{
    char old[21], recent[21];
    rfc3339_days_ago(8, old);
    rfc3339_days_ago(6, recent);
    const struct user *noticed[] = {&student, &rotation, &host};
    for (size_t u = 0; u < sizeof(noticed) / sizeof(noticed[0]); u++) {
        json_t *notices = items_of(noticed[u], "/api/v1/notifications");
        size_t old_read = 0, old_unread = 0, recent_unread = 0;
        for (size_t i = 0; i < json_array_size(notices); i++) {
            json_t *n = json_array_get(notices, i);
            const char *at = api_json_str(n, "created_at");
            bool read = json_is_true(json_object_get(n, "read"));
            if (at != NULL && strcmp(at, old) < 0)
                read ? old_read++ : old_unread++;
            else if (at != NULL && strcmp(at, recent) > 0 && !read)
                recent_unread++;
        }
        if (old_unread > 0)
            TEST_FAILF("%s has %zu notices older than a week unread", noticed[u]->email, old_unread);
        if (noticed[u] == &student) {
            CHECK(old_read > 0);      /* the completed rotation's payments */
            CHECK(recent_unread > 0); /* next year's booking and its coach */
        }
        json_decref(notices);
    }
}

/* The demo catalog's sites name zones of the tz database (a file of
 * /usr/share/zoneinfo): its Wyoming sites keep Mountain Time as
 * America/Denver, not "America/Cheyenne", which no calendar program knows. */
TEST(demo_sites_are_in_tz_database_zones)
{
    struct db_conn *conn = NULL;
    if (db_open(db, &conn) != DB_OK) {
        TEST_FAILF("cannot open the seeded database");
        return;
    }
    struct db_stmt *st = db_prepare(conn, "SELECT DISTINCT time_zone FROM sites");
    long zones = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *tz = db_column_text(st, 0);
        char path[160];
        snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", tz);
        zones++;
        if (strstr(tz, "..") != NULL || access(path, R_OK) != 0)
            TEST_FAILF("a demo site has the zone %s, which the tz database does not know", tz);
    }
    db_reset(st);
    CHECK_INT(rc, DB_DONE);
    CHECK(zones >= 4);
    CHECK(api_db_int(conn, "SELECT COUNT(*) FROM sites WHERE state = $1 AND time_zone = 'America/Denver'", "WY",
                     NULL) > 0);
    CHECK_INT(api_db_int(conn, "SELECT COUNT(*) FROM sites WHERE state = $1 AND time_zone <> 'America/Denver'", "WY",
                         NULL),
              0);
    db_close(conn);
}

/* The school and the host each see their agreement: signed, active, covering today and the booked rotation. */
TEST(school_and_host_see_their_signed_agreement)
{
    char today[11];
    today_plus(0, today);
    struct api_response r;
    const char *booked_end = NULL;
    char end[11] = "";
    if (get_application(&r, &student, booked_id, ""))
        snprintf(end, sizeof(end), "%s", (booked_end = api_json_str(r.json, "block.end")) ?: "");
    api_free(&r);
    const struct user *sides[] = {&school, &host};
    for (size_t i = 0; i < 2; i++) {
        json_t *items = items_of(sides[i], "/api/v1/agreements");
        size_t found = 0;
        for (size_t k = 0; k < json_array_size(items); k++) {
            json_t *a = json_array_get(items, k);
            if (strcmp(api_json_str(a, "school.id") ?: "", "org_demo_school") != 0 ||
                strcmp(api_json_str(a, "host.id") ?: "", "org_demo_host") != 0)
                continue;
            found++;
            CHECK_STR(api_json_str(a, "status"), "active");
            CHECK_STR(api_json_str(a, "proposed_side"), "school");
            CHECK(api_json_int(a, "signed_file.bytes", 0) > 0);
            CHECK(strcmp(api_json_str(a, "start_date") ?: "9", today) < 0);
            CHECK(strcmp(api_json_str(a, "end_date") ?: "", end) > 0); /* the booked rotation is covered */
        }
        if (found != 1)
            TEST_FAILF("%s sees %zu agreements between the demo school and host, not one", sides[i]->email, found);
        json_decref(items);
    }
}

/* The letter the student asked of the completed rotation's preceptor: on both sides' lists. */
TEST(student_and_preceptor_see_the_letter_asked)
{
    const struct user *sides[] = {&student, &preceptor};
    for (size_t i = 0; i < 2; i++) {
        json_t *items = items_of(sides[i], "/api/v1/letters");
        size_t found = 0;
        for (size_t k = 0; k < json_array_size(items); k++) {
            json_t *l = json_array_get(items, k);
            if (strcmp(api_json_str(l, "application_id") ?: "", completed_id) != 0)
                continue;
            found++;
            CHECK_STR(api_json_str(l, "state"), "accepted");
            CHECK(json_is_true(api_json_get(l, "waived")));
            CHECK_STR(api_json_str(l, "student.id"), student.id);
            CHECK_STR(api_json_str(l, "author.email"), preceptor.email);
        }
        if (found != 1)
            TEST_FAILF("%s sees %zu letters asked for the completed rotation, not one", sides[i]->email, found);
        json_decref(items);
    }
}

/* The completed rotation's evaluation: the preceptor's, submitted after its last day, seen by the student. */
TEST(completed_rotation_has_the_preceptors_evaluation)
{
    struct api_response r;
    if (!get_application(&r, &student, completed_id, "/evaluation"))
        return;
    CHECK(json_is_true(api_json_get(r.json, "submitted")));
    CHECK_STR(api_json_str(r.json, "evaluator.id"), preceptor.id);
    CHECK(json_is_true(api_json_get(r.json, "would_write_letter")));
    long long overall = api_json_int(r.json, "scores.overall", -1);
    CHECK(overall >= 1 && overall <= 9);
    api_free(&r);
    /* And the rotation under way has none yet. */
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/applications/%s/evaluation", rotation_id);
    const char *headers[] = {rotation.auth, NULL};
    api_request(&r, "GET", path, headers, NULL);
    CHECK_INT(r.status, 404);
    api_free(&r);
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
    if (test_tmp_dir(work, sizeof(work), "demo") == NULL)
        return false;
    pg_uri = api_shared_db();
    if (!api_fresh_db(db, sizeof(db), pg_uri, work, "demo") || seed("seed.txt") != 0)
        return false;
    count_queued_links();
    if (api_server_start_with(&server, db, NULL, NULL) != 0)
        return false;
    struct user *people[] = {&student, &rotation, &host, &school, &staff, &preceptor};
    for (size_t i = 0; i < sizeof(people) / sizeof(people[0]); i++)
        if (!login(people[i]))
            return false;
    find_application(&student, "booked", booked_id);
    find_application(&student, "completed", completed_id);
    find_application(&rotation, "in_progress", rotation_id);
    if (booked_id[0] == '\0' || completed_id[0] == '\0' || rotation_id[0] == '\0') {
        printf("FAIL the demo's applications: booked \"%s\", completed \"%s\", under way \"%s\"\n", booked_id,
               completed_id, rotation_id);
        return false;
    }
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
        RUN(lists_newest_first_put_the_demo_where_its_dates_do);
        RUN(school_and_host_see_their_signed_agreement);
        RUN(student_and_preceptor_see_the_letter_asked);
        RUN(completed_rotation_has_the_preceptors_evaluation);
        RUN(booked_rotation_has_the_demo_coach);
        RUN(demo_sites_are_in_tz_database_zones);
        RUN(old_notices_are_read_and_recent_ones_wait);
        RUN(ledger_check_passes_and_a_second_seed_adds_nothing);
        RUN(emails_the_demo_queues_link_to_the_server);
    }
    int stopped = api_fresh_suite_end(&server, db, pg_uri, work, ready, "seeding the demo and starting a server on it");
    curl_global_cleanup();
    return test_summary("api-demo") | !ready | (stopped != 0);
}
