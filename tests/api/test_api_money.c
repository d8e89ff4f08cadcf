/* test_api_money.c — money against the real `rounds serve`, on SQLite and on
 * PostgreSQL: prices and the refund policy on offerings, checkout after
 * accept (demo, bank transfer, Stripe through a local stand-in of its API),
 * the Stripe webhook with signatures made by Stripe's own Node library
 * (tests/stripe/sign.mjs), cancellations and releases with the refund the
 * policy function gives (the test asks refund_quote too), goodwill refunds,
 * refunds sent back the way the money came, host payouts (JSON and CSV) and
 * earnings, balance reminders and the release of an unpaid balance with the
 * test clock, bad input of every kind, a crash between Stripe's confirmation
 * and our commit, and the same webhook delivered 50 times at once to two
 * instances on one database. `rounds ledger check` must pass at the end.
 *
 * Servers run with --test-hooks 1 and --jobs-interval-ms 0: only the tests
 * run the background jobs. */
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "api_client.h"
#include "api_pages.h"
#include "domain/refunds.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "stripe_standin.h"
#include "test.h"

#define PASSWORD "Copper-Lantern-Meadow-47!"
#define PEOPLE_PASSWORD PASSWORD
#include "api_people.h"
#include "api_world.h"
#include "api_steps.h"

#define STRIPE_SECRET_KEY "sk_test_rounds_money_suite"
#define STRIPE_WEBHOOK_SECRET "whsec_rounds_money_suite_secret"
#define BANK_DETAILS "Account name: Rounds Placement LLC; Bank: First Example Bank; Account: 000123456789; " \
                     "Routing (ABA): 021000021; SWIFT: FEXAUS33"

enum {
    TUITION = 300000, FEE = 25000, PRICE = TUITION + FEE, DEPOSIT = 89900, DAY = 86400,
};

/* ---- the world of one server ---- */

struct world {
    struct api_server *srv;
    struct db_conn *db;
    char tag[16];
    struct user staff, coord, coord_other;
    char org[64], org_other[64], site[64], prc[64], offering[64], title[160];
    int next_block;
};

static struct api_server demo_server, stripe_server;
static struct world D, S; /* the demo server's world, the Stripe and bank server's */
static struct standin standin;

static long call(struct api_response *r, const struct user *u, const char *method, const char *path,
                 const char *body)
{
    const char *headers[] = {u != NULL ? u->auth : NULL, NULL};
    return api_request(r, method, path, headers, body);
}

/* A request with a jansson body (released). */
static long call_json(struct api_response *r, const struct user *u, const char *method, const char *path,
                      json_t *body)
{
    char *text = json_text(body);
    long status = call(r, u, method, path, text);
    free(text);
    return status;
}

/* The offering's money: $3,000 tuition, $250 fee, $899 deposit, balance 45
 * days before; 60+ days 100 % back, 30+ days 50 % back with the fee kept. */
static json_t *money_fields(json_t *body)
{
    json_object_set_new(body, "tuition_cents", json_integer(TUITION));
    json_object_set_new(body, "application_fee_cents", json_integer(FEE));
    json_object_set_new(body, "deposit_cents", json_integer(DEPOSIT));
    json_object_set_new(body, "balance_due_days", json_integer(45));
    json_object_set_new(body, "refund_policy",
                        json_pack("{s:[{s:i,s:i,s:b},{s:i,s:i,s:b}]}", "tiers", "days_before", 60, "percent", 100,
                                  "fee_refunded", 1, "days_before", 30, "percent", 50, "fee_refunded", 0));
    return body;
}

/* Staff (from the CLI), two hosts with a coordinator each, and one cardiology
 * offering of host `org` with the money above (parts from api_world.h). */
static bool world_setup(struct world *w, struct api_server *srv, const char *tag)
{
    static const struct world_place harbor = {"Harbor Main", NULL, "Boston", "MA", "02114"};
    static const struct world_preceptor_fields ortiz = {"Dr. Lena Ortiz", "cardiology", "MA", "MA-55120", "mprc",
                                                         NULL};
    memset(w, 0, sizeof(*w));
    w->srv = srv;
    snprintf(w->tag, sizeof(w->tag), "%s", tag);
    if (!world_staff(srv, &w->db, &w->staff, "mstaff", tag))
        return false;
    if (!world_org(&w->staff, "host", w->org, "Harbor Medical %s %ld", tag, (long)getpid()) ||
        !world_org(&w->staff, "host", w->org_other, "Valley Clinic %s %ld", tag, (long)getpid()))
        return false;
    if (!world_member(&w->staff, &w->coord, "mcoord", tag, "host_coordinator", w->org) ||
        !world_member(&w->staff, &w->coord_other, "mcoordb", tag, "host_coordinator", w->org_other))
        return false;
    if (!world_site(&w->staff, w->org, &harbor, w->site) ||
        !world_preceptor_record(&w->staff, w->org, NULL, &ortiz, w->prc))
        return false;
    snprintf(w->title, sizeof(w->title), "Cardiology Clerkship %s", tag);
    json_t *body = world_offering_body(w->org, w->site, w->prc, w->title, "cardiology", "hands_on",
                                       "Inpatient cardiology service.");
    return create_object(&w->coord, "/api/v1/offerings", money_fields(body), w->offering);
}

/* ---- blocks, applications and the test hooks ---- */

static void date_in(int days, char out[11])
{
    clock_date_from_days(clock_today_days() + days, out);
}

static long act(struct api_response *r, const struct user *u, const char *app, const char *action, json_t *body)
{
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/applications/%s/%s", app, action);
    return call_json(r, u, "POST", path, body != NULL ? body : json_object());
}

/* A new student with an application on a fresh block starting `start` days
 * from now, offered and accepted (the seat held). */
static bool held_app(struct world *w, struct user *s, int start, char *block, char *app)
{
    if (!register_student(s, "mstud") || !steps_block(&w->staff, w->offering, start, 27, 3, block))
        return false;
    return create_object(s, "/api/v1/applications",
                         json_pack("{s:s,s:s}", "block_id", block, "statement", "Cardiology is my calling."), app) &&
           steps_act(&w->coord, app, "offer") && steps_act(s, app, "accept");
}

/* Moves the server's clock; sessions idle for more than 30 days end, so the
 * world's staff and coordinators sign in again (students are the tests'). */
static void set_clock(long long offset)
{
    struct world *w = api_current == D.srv ? &D : &S;
    struct user *const people[] = {&w->staff, &w->coord, &w->coord_other, NULL};
    steps_set_clock_signed_in(offset, people);
}

static long long db_count(struct world *w, const char *sql, const char *p1)
{
    return api_db_int(w->db, sql, p1, NULL);
}

/* The statement of app as u; r must be freed. */
static long statement(struct api_response *r, const struct user *u, const char *app)
{
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/applications/%s/statement", app);
    return call(r, u, "GET", path, NULL);
}

static long long statement_int(const struct user *u, const char *app, const char *field)
{
    struct api_response r;
    statement(&r, u, app);
    long long v = r.status == 200 ? api_json_int(r.json, field, -1) : -2;
    if (r.status != 200)
        TEST_FAILF("statement of %s answered %ld: %.300s", app, r.status, r.body);
    api_free(&r);
    return v;
}

static long checkout(struct api_response *r, const struct user *s, const char *app, const char *method,
                     const char *plan)
{
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/applications/%s/checkout", app);
    return call_json(r, s, "POST", path, json_pack("{s:s,s:s}", "method", method, "plan", plan));
}

/* What the policy function says a student gets back cancelling `days_before` the start. */
static long long policy_refund(int days_before, long long paid, enum refund_cause cause)
{
    struct refund_policy p = {.tiers = {{60, 100, true}, {30, 50, false}}, .count = 2};
    struct refund_question q = {&p, 1000, 1000 - days_before, paid, FEE, cause};
    struct refund_answer a;
    refund_quote(&q, &a);
    return a.refund_cents;
}

/* `rounds ledger check` on the server's database: the exit code (its output into out when not NULL). */
static int ledger_check(struct world *w, char *out, size_t size)
{
    const char *args[] = {"ledger", "check", NULL};
    struct api_cli_result res;
    int code = api_cli(w->srv->db, args, NULL, &res);
    if (out != NULL)
        snprintf(out, size, "%s%s", res.out, res.err);
    if (code != 0)
        printf("  rounds ledger check: %s%s", res.out, res.err);
    api_cli_free(&res);
    return code;
}

/* ---- prices and the policy on offerings ---- */

TEST(offering_shows_prices_and_the_refund_table_per_block)
{
    api_use(D.srv);
    char block[64];
    if (!steps_block(&D.staff, D.offering, 90, 27, 4, block))
        return;
    struct api_response r;
    char path[200], start[11], first_deadline[11], second_deadline[11], after[11], due[11];
    snprintf(path, sizeof(path), "/api/v1/offerings/%s", D.offering);
    call(&r, NULL, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    CHECK_INT(api_json_int(r.json, "total_cents", -1), PRICE);
    CHECK_INT(api_json_int(r.json, "deposit_amount_cents", -1), DEPOSIT);
    CHECK_INT(api_json_int(r.json, "balance_due_days", -1), 45);
    CHECK(json_is_object(api_json_get(r.json, "refund_policy.fixed_rules")));
    json_t *blocks = json_object_get(r.json, "blocks");
    json_t *mine = NULL;
    for (size_t i = 0; i < json_array_size(blocks); i++)
        if (api_json_str(json_array_get(blocks, i), "id") != NULL &&
            strcmp(api_json_str(json_array_get(blocks, i), "id"), block) == 0)
            mine = json_array_get(blocks, i);
    CHECK(mine != NULL);
    date_in(90, start);
    date_in(30, first_deadline);  /* 60 days before */
    date_in(60, second_deadline); /* 30 days before */
    date_in(61, after);
    date_in(45, due);
    CHECK_STR(api_json_str(mine, "start"), start);
    CHECK_STR(api_json_str(mine, "balance_due_on"), due);
    json_t *rows = json_object_get(mine, "refund_schedule");
    CHECK(json_is_array(rows) && json_array_size(rows) == 3);
    CHECK_STR(api_json_str(json_array_get(rows, 0), "cancel_by"), first_deadline);
    CHECK_INT(api_json_int(json_array_get(rows, 0), "refund_cents", -1), PRICE);
    CHECK_STR(api_json_str(json_array_get(rows, 1), "cancel_by"), second_deadline);
    CHECK_INT(api_json_int(json_array_get(rows, 1), "refund_cents", -1), policy_refund(30, PRICE, REFUND_CAUSE_STUDENT));
    CHECK_INT(api_json_int(json_array_get(rows, 1), "refund_cents", -1), (PRICE - FEE) / 2);
    CHECK_STR(api_json_str(json_array_get(rows, 2), "from"), after);
    CHECK_INT(api_json_int(json_array_get(rows, 2), "refund_cents", -1), 0);
    api_free(&r);
    /* The offering page shows the same table in words. */
    snprintf(path, sizeof(path), "/offerings/%s", D.offering);
    call(&r, NULL, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body, "If you cancel");
    CHECK_CONTAINS(r.body, "$3,250");
    CHECK_CONTAINS(r.body, "$1,500");
    CHECK_CONTAINS(r.body, "fee kept");
    api_free(&r);
}

TEST(offering_prices_bad_input_changes_nothing)
{
    api_use(D.srv);
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/offerings/%s", D.offering);
    char *before = api_db_text(D.db,
                               "SELECT CAST(deposit_cents AS TEXT) || '|' || CAST(deposit_percent AS TEXT) || '|' ||"
                               " CAST(balance_due_days AS TEXT) || '|' || refund_policy FROM offerings WHERE id = $1",
                               D.offering, NULL, NULL);
    static const struct {
        const char *body, *code, *field;
    } cases[] = {
        {"{\"deposit_cents\":50000,\"deposit_percent\":20}", "validation_failed", "deposit_percent"},
        {"{\"deposit_percent\":101}", "validation_failed", "deposit_percent"},
        {"{\"deposit_percent\":-1}", "validation_failed", "deposit_percent"},
        {"{\"balance_due_days\":366}", "validation_failed", "balance_due_days"},
        {"{\"balance_due_days\":\"45\"}", "validation_failed", "balance_due_days"},
        {"{\"refund_policy\":{\"tiers\":[{\"days_before\":30,\"percent\":120}]}}", "validation_failed",
         "refund_policy.tiers[0].percent"},
        {"{\"refund_policy\":{\"tiers\":[{\"days_before\":30,\"percent\":50},{\"days_before\":30,\"percent\":20}]}}",
         "validation_failed", "refund_policy.tiers[1].days_before"},
        {"{\"refund_policy\":{\"tiers\":[{\"days_before\":731,\"percent\":50}]}}", "validation_failed",
         "refund_policy.tiers[0].days_before"},
        {"{\"refund_policy\":{\"tiers\":[{\"days_before\":30}]}}", "validation_failed",
         "refund_policy.tiers[0].percent"},
        {"{\"refund_policy\":{\"tiers\":[{\"days_before\":30,\"percent\":5,\"cash\":1}]}}", "unknown_field",
         "refund_policy.tiers[0].cash"},
        {"{\"refund_policy\":{\"tiers\":[1]}}", "validation_failed", "refund_policy.tiers[0]"},
        {"{\"refund_policy\":{\"tiers\":[{\"days_before\":1,\"percent\":1},{\"days_before\":2,\"percent\":1},"
         "{\"days_before\":3,\"percent\":1},{\"days_before\":4,\"percent\":1},{\"days_before\":5,\"percent\":1},"
         "{\"days_before\":6,\"percent\":1},{\"days_before\":7,\"percent\":1}]}}",
         "validation_failed", "refund_policy.tiers"},
        {"{\"refund_policy\":\"Full refund up to 30 days\"}", "validation_failed", "refund_policy"},
        {"{\"cancellation_policy\":\"free text is gone\"}", "unknown_field", "cancellation_policy"},
        {"{\"deposit_cents\":400000}", "validation_failed", "deposit_cents"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct api_response r;
        call(&r, &D.coord, "PATCH", path, cases[i].body);
        CHECK_PROBLEM(&r, 400, cases[i].code, cases[i].field);
        api_free(&r);
    }
    char *after = api_db_text(D.db,
                              "SELECT CAST(deposit_cents AS TEXT) || '|' || CAST(deposit_percent AS TEXT) || '|' ||"
                              " CAST(balance_due_days AS TEXT) || '|' || refund_policy FROM offerings WHERE id = $1",
                              D.offering, NULL, NULL);
    CHECK_STR(after, before);
    free(before);
    free(after);
    /* A share instead of an amount is taken, and replaces the amount. */
    struct api_response r;
    call(&r, &D.coord, "PATCH", path, "{\"deposit_percent\":40}");
    CHECK_INT(r.status, 200);
    CHECK_INT(api_json_int(r.json, "deposit_amount_cents", -1), PRICE * 40 / 100);
    CHECK_INT(api_json_int(r.json, "deposit_cents", -1), 0);
    api_free(&r);
    call(&r, &D.coord, "PATCH", path, "{\"deposit_cents\":89900}");
    CHECK_INT(r.status, 200);
    CHECK_INT(api_json_int(r.json, "deposit_amount_cents", -1), DEPOSIT);
    CHECK_INT(api_json_int(r.json, "deposit_percent", -1), 0);
    api_free(&r);
}

/* ---- checkout with the demo provider, and the cancellation's refund ---- */

TEST(demo_deposit_books_and_the_cancellation_refunds_what_the_policy_says)
{
    api_use(D.srv);
    struct user s;
    char block[64], app[64];
    if (!held_app(&D, &s, 100, block, app))
        return;
    struct api_response r;
    statement(&r, &s, app);
    CHECK_INT(r.status, 200);
    CHECK(json_is_true(api_json_get(r.json, "terms_fixed")));
    CHECK_INT(api_json_int(r.json, "price_cents", -1), PRICE);
    CHECK_INT(api_json_int(r.json, "pay_now.deposit", -1), DEPOSIT);
    CHECK_INT(api_json_int(r.json, "pay_now.full", -1), PRICE);
    CHECK(json_is_null(api_json_get(r.json, "pay_now.balance")));
    api_free(&r);
    /* The receivable is charged when the seat is held. */
    CHECK_INT(db_count(&D, "SELECT COUNT(*) FROM ledger_transactions WHERE application_id = $1 AND kind = 'charge'",
                       app),
              1);
    checkout(&r, &s, app, "demo", "deposit");
    CHECK_INT(r.status, 201);
    CHECK_STR(api_json_str(r.json, "status"), "paid");
    CHECK_INT(api_json_int(r.json, "amount_cents", -1), DEPOSIT);
    api_free(&r);
    CHECK_STR(steps_status(D.db, app), "booked");
    CHECK_INT(statement_int(&s, app, "paid_cents"), DEPOSIT);
    CHECK_INT(statement_int(&s, app, "pay_now.balance"), PRICE - DEPOSIT);
    /* 100 days before: everything back if cancelled today. */
    CHECK_INT(statement_int(&s, app, "if_cancelled_today.refund_cents"), policy_refund(100, DEPOSIT, REFUND_CAUSE_STUDENT));
    /* Move to 40 days before the start: half of what was paid beyond the fee. */
    set_clock(60LL * DAY);
    if (!login(&s))
        return;
    long long expected = policy_refund(40, DEPOSIT, REFUND_CAUSE_STUDENT);
    CHECK_INT(expected, (DEPOSIT - FEE) / 2);
    CHECK_INT(statement_int(&s, app, "if_cancelled_today.refund_cents"), expected);
    CHECK(steps_act(&s, app, "cancel"));
    CHECK_STR(steps_status(D.db, app), "cancelled_by_student");
    statement(&r, &s, app);
    CHECK_INT(api_json_int(r.json, "refunded_cents", -1), expected);
    CHECK_INT(api_json_int(r.json, "refund_owed_cents", -1), 0);
    json_t *refunds = json_object_get(r.json, "refunds");
    CHECK(json_array_size(refunds) == 1);
    CHECK_STR(api_json_str(json_array_get(refunds, 0), "method"), "demo");
    CHECK_STR(api_json_str(json_array_get(refunds, 0), "status"), "sent");
    CHECK_STR(api_json_str(json_array_get(refunds, 0), "reason"), "policy");
    api_free(&r);
    set_clock(0);
    /* The book: the platform keeps the fee, the host the rest of what was kept. */
    CHECK_INT(db_count(&D, "SELECT COUNT(*) FROM ledger_transactions WHERE application_id = $1 AND kind = 'cancel'",
                       app),
              1);
    CHECK_INT(ledger_check(&D, NULL, 0), 0);
}

TEST(checkout_refuses_what_it_should_and_changes_nothing)
{
    api_use(D.srv);
    struct user s, other;
    char block[64], app[64];
    if (!held_app(&D, &s, 110, block, app) || !register_student(&other, "mother"))
        return;
    long long before = db_count(&D, "SELECT COUNT(*) FROM checkouts WHERE application_id = $1", app);
    struct api_response r;
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/applications/%s/checkout", app);
    /* An amount from the client is not a field at all. */
    call(&r, &s, "POST", path, "{\"method\":\"demo\",\"plan\":\"deposit\",\"amount_cents\":1}");
    CHECK_PROBLEM(&r, 400, "unknown_field", "amount_cents");
    api_free(&r);
    call(&r, &s, "POST", path, "{\"method\":\"cash\",\"plan\":\"deposit\"}");
    CHECK_PROBLEM(&r, 400, "validation_failed", "method");
    api_free(&r);
    call(&r, &s, "POST", path, "{\"method\":\"demo\"}");
    CHECK_PROBLEM(&r, 400, "validation_failed", "plan");
    api_free(&r);
    call(&r, &s, "POST", path, "{\"method\":\"demo\",");
    CHECK_PROBLEM(&r, 400, "invalid_json", NULL);
    api_free(&r);
    checkout(&r, &s, app, "bank_transfer", "deposit"); /* not offered by the demo server */
    CHECK_PROBLEM(&r, 422, "method_unavailable", "method");
    api_free(&r);
    checkout(&r, &s, app, "demo", "balance"); /* nothing is booked yet */
    CHECK_PROBLEM(&r, 409, "nothing_to_pay", "plan");
    api_free(&r);
    checkout(&r, &other, app, "demo", "deposit"); /* another student's application */
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    checkout(&r, NULL, app, "demo", "deposit");
    CHECK_INT(r.status, 401);
    api_free(&r);
    checkout(&r, &s, "a_doesnotexist", "demo", "deposit");
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    CHECK_INT(db_count(&D, "SELECT COUNT(*) FROM checkouts WHERE application_id = $1", app), before);
    CHECK_STR(steps_status(D.db, app), "held");
    CHECK_INT(statement_int(&s, app, "paid_cents"), 0);
    /* Someone else's statement is a 404 too. */
    statement(&r, &other, app);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    statement(&r, &D.coord_other, app);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    statement(&r, &D.coord, app); /* the host side sees it */
    CHECK_INT(r.status, 200);
    api_free(&r);
}

TEST(the_full_price_is_due_when_the_balance_date_has_passed)
{
    api_use(D.srv);
    struct user s;
    char block[64], app[64];
    if (!held_app(&D, &s, 20, block, app)) /* starts in 20 days: the balance was due 25 days ago */
        return;
    struct api_response r;
    statement(&r, &s, app);
    CHECK_INT(api_json_int(r.json, "deposit_due_cents", -1), PRICE);
    CHECK(json_is_null(api_json_get(r.json, "pay_now.deposit")));
    CHECK_INT(api_json_int(r.json, "pay_now.full", -1), PRICE);
    api_free(&r);
    checkout(&r, &s, app, "demo", "deposit");
    CHECK_PROBLEM(&r, 409, "nothing_to_pay", "plan");
    api_free(&r);
    checkout(&r, &s, app, "demo", "full");
    CHECK_INT(r.status, 201);
    api_free(&r);
    CHECK_STR(steps_status(D.db, app), "booked");
    CHECK_INT(statement_int(&s, app, "balance_cents"), 0);
}

/* ---- the balance: reminders, payment, release ---- */

static long long notifications_like(struct world *w, const struct user *s, const char *pattern)
{
    return api_db_int(w->db, "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND title LIKE $2", s->id,
                      pattern);
}

TEST(balance_reminders_at_14_and_3_days_and_an_unpaid_balance_releases_the_seat)
{
    api_use(D.srv);
    struct user paid, unpaid;
    char block_a[64], block_b[64], app_a[64], app_b[64];
    if (!held_app(&D, &paid, 120, block_a, app_a) || !held_app(&D, &unpaid, 121, block_b, app_b))
        return;
    struct api_response r;
    checkout(&r, &paid, app_a, "demo", "deposit");
    CHECK_INT(r.status, 201);
    api_free(&r);
    checkout(&r, &unpaid, app_b, "demo", "deposit");
    CHECK_INT(r.status, 201);
    api_free(&r);
    /* 15 days before app_b's due date (start 121 → due day 76): no reminder yet. */
    set_clock(60LL * DAY);
    hooks_run_jobs();
    CHECK_INT(notifications_like(&D, &unpaid, "Balance of %"), 0);
    /* 14 days before: one reminder, and only one however often the jobs run. */
    set_clock(62LL * DAY);
    hooks_run_jobs();
    hooks_run_jobs();
    CHECK_INT(notifications_like(&D, &unpaid, "Balance of %"), 1);
    /* 3 days before: the second. */
    set_clock(73LL * DAY);
    hooks_run_jobs();
    CHECK_INT(notifications_like(&D, &unpaid, "Balance of %"), 2);
    CHECK_INT(notifications_like(&D, &paid, "Balance of %"), 2);
    /* The first student pays the balance. */
    if (!login(&paid) || !login(&unpaid))
        return;
    checkout(&r, &paid, app_a, "demo", "balance");
    CHECK_INT(r.status, 201);
    CHECK_INT(api_json_int(r.json, "amount_cents", -1), PRICE - DEPOSIT);
    api_free(&r);
    /* The day after the due date: the unpaid one is released with the policy's refund for that day. */
    set_clock(77LL * DAY);
    long long taken_before = db_count(&D, "SELECT seats_taken FROM blocks WHERE id = $1", block_b);
    hooks_run_jobs();
    CHECK_STR(steps_status(D.db, app_b), "balance_unpaid");
    CHECK_STR(steps_status(D.db, app_a), "booked");
    CHECK_INT(db_count(&D, "SELECT seats_taken FROM blocks WHERE id = $1", block_b), taken_before - 1);
    long long expected = policy_refund(121 - 77, DEPOSIT, REFUND_CAUSE_STUDENT);
    CHECK_INT(statement_int(&unpaid, app_b, "refunded_cents"), expected);
    CHECK_INT(db_count(&D, "SELECT COUNT(*) FROM ledger_transactions WHERE application_id = $1 AND kind = 'release'",
                       app_b),
              1);
    set_clock(0);
    CHECK_INT(ledger_check(&D, NULL, 0), 0);
}

/* ---- who cancels, and the fixed rules ---- */

TEST(host_cancellation_refunds_everything_and_visa_refusal_everything_but_the_fee)
{
    api_use(D.srv);
    struct user a, b, c;
    char ba[64], bb[64], bc[64], app_a[64], app_b[64], app_c[64];
    if (!held_app(&D, &a, 130, ba, app_a) || !held_app(&D, &b, 131, bb, app_b) || !held_app(&D, &c, 132, bc, app_c))
        return;
    struct api_response r;
    const char *apps[] = {app_a, app_b, app_c};
    struct user *who[] = {&a, &b, &c};
    for (int i = 0; i < 3; i++) {
        checkout(&r, who[i], apps[i], "demo", "full");
        CHECK_INT(r.status, 201);
        api_free(&r);
    }
    set_clock(110LL * DAY); /* 20 days before: the policy would give nothing back */
    if (!login(&c))
        return;
    CHECK(steps_act(&D.coord, app_a, "cancel"));
    CHECK_STR(steps_status(D.db, app_a), "cancelled_by_host");
    CHECK_INT(statement_int(&D.staff, app_a, "refunded_cents"), policy_refund(20, PRICE, REFUND_CAUSE_HOST));
    CHECK_INT(statement_int(&D.staff, app_a, "refunded_cents"), PRICE);
    act(&r, &D.staff, app_b, "cancel", json_pack("{s:s,s:s}", "reason", "visa_refused", "note", "Visa refusal letter seen"));
    CHECK_INT(r.status, 200);
    api_free(&r);
    CHECK_INT(statement_int(&D.staff, app_b, "refunded_cents"), PRICE - FEE);
    /* Only staff name a fixed rule; only a cancellation takes a reason. */
    act(&r, &D.coord, app_c, "cancel", json_pack("{s:s}", "reason", "cannot_happen"));
    CHECK_PROBLEM(&r, 400, "validation_failed", "reason");
    api_free(&r);
    act(&r, &c, app_c, "cancel", json_pack("{s:s}", "reason", "visa_refused"));
    CHECK_PROBLEM(&r, 400, "validation_failed", "reason");
    api_free(&r);
    act(&r, &D.staff, app_c, "clear", json_pack("{s:s}", "reason", "host"));
    CHECK_PROBLEM(&r, 400, "validation_failed", "reason");
    api_free(&r);
    act(&r, &D.staff, app_c, "cancel", json_pack("{s:s}", "reason", "because"));
    CHECK_PROBLEM(&r, 400, "validation_failed", "reason");
    api_free(&r);
    CHECK_STR(steps_status(D.db, app_c), "booked");
    /* The student's own cancellation 20 days before: nothing back, as the table said. */
    CHECK_INT(statement_int(&c, app_c, "if_cancelled_today.refund_cents"), 0);
    CHECK(steps_act(&c, app_c, "cancel"));
    CHECK_INT(statement_int(&c, app_c, "refunded_cents"), 0);
    set_clock(0);
}

/* ---- goodwill refunds, payments by hand and refunds sent by hand ---- */

TEST(goodwill_refunds_by_staff_with_a_reason_up_to_what_was_paid)
{
    api_use(D.srv);
    struct user s;
    char block[64], app[64];
    if (!held_app(&D, &s, 140, block, app))
        return;
    struct api_response r;
    checkout(&r, &s, app, "demo", "deposit");
    CHECK_INT(r.status, 201);
    api_free(&r);
    set_clock(125LL * DAY); /* 15 days before: nothing back under the policy */
    if (!login(&s))
        return;
    CHECK(steps_act(&s, app, "cancel"));
    CHECK_INT(statement_int(&s, app, "refunded_cents"), 0);
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/applications/%s/refunds", app);
    /* Not the student, not the host; a reason is required; not more than was paid. */
    call(&r, &s, "POST", path, "{\"amount_cents\":10000,\"reason\":\"please\"}");
    CHECK_PROBLEM(&r, 403, "forbidden", NULL);
    api_free(&r);
    call(&r, &D.coord, "POST", path, "{\"amount_cents\":10000,\"reason\":\"please\"}");
    CHECK_PROBLEM(&r, 403, "forbidden", NULL);
    api_free(&r);
    call(&r, &D.staff, "POST", path, "{\"amount_cents\":10000}");
    CHECK_PROBLEM(&r, 400, "validation_failed", "reason");
    api_free(&r);
    call(&r, &D.staff, "POST", path, "{\"amount_cents\":0,\"reason\":\"x\"}");
    CHECK_PROBLEM(&r, 400, "validation_failed", "amount_cents");
    api_free(&r);
    call(&r, &D.staff, "POST", path, "{\"amount_cents\":90000,\"reason\":\"more than paid\"}");
    CHECK_PROBLEM(&r, 422, "unprocessable", "amount_cents");
    api_free(&r);
    call(&r, &D.staff, "POST", "/api/v1/applications/a_nonesuch/refunds", "{\"amount_cents\":100,\"reason\":\"x\"}");
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    CHECK_INT(statement_int(&s, app, "refunded_cents"), 0);
    call(&r, &D.staff, "POST", path, "{\"amount_cents\":40000,\"reason\":\"Father in hospital; documented\"}");
    CHECK_INT(r.status, 201);
    CHECK_INT(api_json_int(r.json, "refunded_cents", -1), 40000);
    api_free(&r);
    CHECK_INT(db_count(&D, "SELECT COUNT(*) FROM audit_events WHERE action = 'goodwill_refund' AND object_id = $1",
                       app),
              1);
    call(&r, &D.staff, "POST", path, "{\"amount_cents\":49901,\"reason\":\"one cent too many\"}");
    CHECK_PROBLEM(&r, 422, "unprocessable", "amount_cents");
    api_free(&r);
    set_clock(0);
    CHECK_INT(ledger_check(&D, NULL, 0), 0);
}

TEST(staff_book_records_the_payment_by_hand_and_its_refund_is_marked_sent_by_hand)
{
    api_use(D.srv);
    struct user s;
    char block[64], app[64];
    if (!held_app(&D, &s, 150, block, app))
        return;
    struct api_response r;
    act(&r, &D.coord, app, "book", NULL); /* the host no longer books: only a payment, or staff by hand */
    CHECK_PROBLEM(&r, 409, "invalid_transition", NULL);
    api_free(&r);
    CHECK(steps_act(&D.staff, app, "book"));
    statement(&r, &s, app);
    CHECK_INT(api_json_int(r.json, "paid_cents", -1), DEPOSIT);
    json_t *payments = json_object_get(r.json, "payments");
    CHECK(json_array_size(payments) == 1);
    CHECK_STR(api_json_str(json_array_get(payments, 0), "method"), "manual");
    api_free(&r);
    CHECK(steps_act(&s, app, "cancel")); /* 150 days before: everything back, by hand */
    /* staff's list of refunds owed has it (on one of its pages: the oldest come first) */
    const char *staff_headers[] = {D.staff.auth, NULL};
    json_t *owed = api_list_find(staff_headers, "/api/v1/refunds?provider=manual", "application_id", app);
    const char *refund = api_json_str(owed, "id");
    CHECK(refund != NULL);
    char id[64], path[160];
    snprintf(id, sizeof(id), "%s", refund != NULL ? refund : "none");
    json_decref(owed);
    CHECK_INT(statement_int(&s, app, "refund_owed_cents"), DEPOSIT);
    snprintf(path, sizeof(path), "/api/v1/refunds/%s/sent", id);
    call(&r, &s, "POST", path, NULL);
    CHECK_PROBLEM(&r, 403, "forbidden", NULL);
    api_free(&r);
    call(&r, &D.staff, "POST", path, NULL);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "status"), "sent");
    api_free(&r);
    call(&r, &D.staff, "POST", path, NULL);
    CHECK_PROBLEM(&r, 409, "conflict", NULL);
    api_free(&r);
    call(&r, &D.staff, "POST", "/api/v1/refunds/rf_nonesuch/sent", NULL);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    CHECK_INT(statement_int(&s, app, "refunded_cents"), DEPOSIT);
    CHECK_INT(statement_int(&s, app, "refund_owed_cents"), 0);
    call(&r, &D.staff, "GET", "/api/v1/refunds?provider=paypal", NULL);
    CHECK_PROBLEM(&r, 400, "invalid_parameter", "provider");
    api_free(&r);
}

/* ---- the host's share, payouts and earnings ---- */

static void this_month(int days_from_now, char out[8])
{
    char d[11];
    date_in(days_from_now, d);
    snprintf(out, 8, "%.7s", d);
}

TEST(the_hosts_share_is_payable_when_the_rotation_starts_and_paid_out_once)
{
    api_use(D.srv);
    struct user s;
    char block[64], app[64];
    if (!held_app(&D, &s, 160, block, app))
        return;
    struct api_response r;
    checkout(&r, &s, app, "demo", "full");
    CHECK_INT(r.status, 201);
    api_free(&r);
    CHECK(steps_act(&D.staff, app, "clear"));
    /* The rotation starts (the host's share becomes payable that day). */
    set_clock(161LL * DAY);
    char month[8], path[200];
    this_month(161, month); /* the server's month, 161 days from the test's today */
    CHECK(steps_act(&D.coord, app, "start"));
    CHECK_INT(db_count(&D, "SELECT COUNT(*) FROM ledger_transactions WHERE application_id = $1 AND kind = 'earn'", app),
              1);
    /* The host sees its earnings; another host may not. */
    snprintf(path, sizeof(path), "/api/v1/earnings?month=%s", month);
    call(&r, &D.coord, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    CHECK(api_json_int(r.json, "earned_cents", -1) >= TUITION);
    api_free(&r);
    snprintf(path, sizeof(path), "/api/v1/earnings?month=%s&organization_id=%s", month, D.org);
    call(&r, &D.coord_other, "GET", path, NULL);
    CHECK_PROBLEM(&r, 404, "not_found", "organization_id");
    api_free(&r);
    /* Not yet: the month is not over. */
    call_json(&r, &D.staff, "POST", "/api/v1/payouts", json_pack("{s:s,s:s}", "organization_id", D.org, "month", month));
    CHECK_PROBLEM(&r, 422, "unprocessable", "month");
    api_free(&r);
    /* The next month: staff see what the host is owed, as JSON and CSV, and mark it sent once. */
    set_clock(161LL * DAY + 32LL * DAY);
    snprintf(path, sizeof(path), "/api/v1/payouts?month=%s", month);
    call(&r, &D.coord, "GET", path, NULL);
    CHECK_PROBLEM(&r, 403, "forbidden", NULL);
    api_free(&r);
    call(&r, &D.staff, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    long long owed = -1;
    json_t *items = json_object_get(r.json, "items");
    for (size_t i = 0; i < json_array_size(items); i++)
        if (strcmp(api_json_str(json_array_get(items, i), "organization_id"), D.org) == 0) {
            owed = api_json_int(json_array_get(items, i), "owed_cents", -1);
            CHECK_STR(api_json_str(json_array_get(items, i), "status"), "owed");
        }
    CHECK(owed >= TUITION);
    api_free(&r);
    snprintf(path, sizeof(path), "/api/v1/payouts?month=%s&format=csv", month);
    call(&r, &D.staff, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(api_header(&r, "content-type"), "text/csv");
    CHECK_CONTAINS(api_header(&r, "content-disposition"), "attachment");
    CHECK_CONTAINS(r.body, "organization_id,organization,month,earned_cents,paid_out_cents,owed_cents,status,sent_at");
    CHECK_CONTAINS(r.body, D.org);
    api_free(&r);
    call_json(&r, &D.staff, "POST", "/api/v1/payouts",
              json_pack("{s:s,s:s,s:s}", "organization_id", D.org, "month", month, "note", "wire 2027-118"));
    CHECK_INT(r.status, 201);
    CHECK_INT(api_json_int(r.json, "amount_cents", -1), owed);
    api_free(&r);
    call_json(&r, &D.staff, "POST", "/api/v1/payouts", json_pack("{s:s,s:s}", "organization_id", D.org, "month", month));
    CHECK_PROBLEM(&r, 409, "conflict", "month");
    api_free(&r);
    snprintf(path, sizeof(path), "/api/v1/payouts?month=%s", month);
    call(&r, &D.staff, "GET", path, NULL);
    items = json_object_get(r.json, "items");
    for (size_t i = 0; i < json_array_size(items); i++)
        if (strcmp(api_json_str(json_array_get(items, i), "organization_id"), D.org) == 0) {
            CHECK_STR(api_json_str(json_array_get(items, i), "status"), "sent");
            CHECK_INT(api_json_int(json_array_get(items, i), "owed_cents", -1), 0);
        }
    api_free(&r);
    /* Bad input. */
    call(&r, &D.staff, "GET", "/api/v1/payouts?month=2027-13", NULL);
    CHECK_PROBLEM(&r, 400, "invalid_parameter", "month");
    api_free(&r);
    call(&r, &D.staff, "GET", "/api/v1/payouts?format=xml", NULL);
    CHECK_PROBLEM(&r, 400, "invalid_parameter", "format");
    api_free(&r);
    call(&r, &D.staff, "GET", "/api/v1/payouts?mnth=2027-01", NULL);
    CHECK_PROBLEM(&r, 400, "unknown_parameter", "mnth");
    api_free(&r);
    call_json(&r, &D.staff, "POST", "/api/v1/payouts", json_pack("{s:s,s:s}", "organization_id", D.org_other, "month", "2020-01"));
    CHECK_PROBLEM(&r, 409, "conflict", "organization_id");
    api_free(&r);
    call_json(&r, &D.staff, "POST", "/api/v1/payouts", json_pack("{s:s,s:s}", "organization_id", D.org, "month", "January"));
    CHECK_PROBLEM(&r, 400, "validation_failed", "month");
    api_free(&r);
    set_clock(0);
    CHECK_INT(ledger_check(&D, NULL, 0), 0);
}

/* ---- bank transfers ---- */

static long transfer(struct api_response *r, const struct user *u, const char *reference, long long amount,
                     const char *received_on)
{
    return call_json(r, u, "POST", "/api/v1/bank-transfers",
                     json_pack("{s:s,s:I,s:s}", "reference", reference, "amount_cents", (json_int_t)amount,
                               "received_on", received_on));
}

TEST(bank_transfer_shows_a_reference_and_staff_record_partial_and_over_payments)
{
    api_use(S.srv);
    /* On a shared PostgreSQL database the demo server's jobs, run at a later
     * date, pruned this server's sessions as idle: sign in again. */
    set_clock(0);
    struct user s;
    char block[64], app[64];
    if (!held_app(&S, &s, 100, block, app))
        return;
    struct api_response r;
    checkout(&r, &s, app, "bank_transfer", "deposit");
    CHECK_INT(r.status, 201);
    CHECK_STR(api_json_str(r.json, "status"), "open");
    CHECK_INT(api_json_int(r.json, "amount_cents", -1), DEPOSIT);
    const char *ref = api_json_str(r.json, "bank_transfer.reference");
    CHECK(ref != NULL && strncmp(ref, "RND-", 4) == 0 && strlen(ref) == 13);
    char reference[32];
    snprintf(reference, sizeof(reference), "%s", ref != NULL ? ref : "");
    json_t *details = api_json_get(r.json, "bank_transfer.details");
    CHECK(json_is_array(details) && json_array_size(details) == 5);
    CHECK_STR(api_json_str(json_array_get(details, 2), "label"), "Account");
    CHECK_STR(api_json_str(json_array_get(details, 2), "value"), "000123456789");
    api_free(&r);
    /* The same checkout again: the same reference (no second one to confuse the student). */
    checkout(&r, &s, app, "bank_transfer", "deposit");
    CHECK_INT(r.status, 201);
    CHECK_STR(api_json_str(r.json, "bank_transfer.reference"), reference);
    api_free(&r);
    CHECK_STR(steps_status(S.db, app), "held");
    char today[11], future[11];
    date_in(0, today);
    date_in(2, future);
    /* Bad input changes nothing. */
    transfer(&r, &s, reference, 50000, today);
    CHECK_PROBLEM(&r, 403, "forbidden", NULL);
    api_free(&r);
    transfer(&r, &S.staff, "RND-0000-0000", 50000, today);
    CHECK_PROBLEM(&r, 422, "unprocessable", "reference");
    api_free(&r);
    transfer(&r, &S.staff, reference, 0, today);
    CHECK_PROBLEM(&r, 400, "validation_failed", "amount_cents");
    api_free(&r);
    transfer(&r, &S.staff, reference, 50000, "2026-02-30");
    CHECK_PROBLEM(&r, 400, "validation_failed", "received_on");
    api_free(&r);
    transfer(&r, &S.staff, reference, 50000, future);
    CHECK_PROBLEM(&r, 400, "validation_failed", "received_on");
    api_free(&r);
    call(&r, &S.staff, "POST", "/api/v1/bank-transfers", "{\"reference\":\"x\",\"amount_cents\":\"500\",\"received_on\":\"2026-01-01\"}");
    CHECK_PROBLEM(&r, 400, "validation_failed", "amount_cents");
    api_free(&r);
    CHECK_INT(db_count(&S, "SELECT COUNT(*) FROM payments WHERE application_id = $1", app), 0);
    /* A partial transfer: recorded, the seat stays held, what is left shows. */
    char lower[32];
    snprintf(lower, sizeof(lower), "%s", reference);
    for (char *p = lower; *p != '\0'; p++)
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    transfer(&r, &S.staff, lower, 50000, today); /* typed in lower case: still found */
    CHECK_INT(r.status, 201);
    CHECK_INT(api_json_int(r.json, "difference_cents", 1), 50000 - DEPOSIT);
    api_free(&r);
    CHECK_STR(steps_status(S.db, app), "held");
    CHECK_INT(statement_int(&s, app, "paid_cents"), 50000);
    CHECK_INT(statement_int(&s, app, "pay_now.deposit"), DEPOSIT - 50000);
    /* The rest of the deposit, and more than the whole price: booked, the excess owed back. */
    transfer(&r, &S.staff, reference, PRICE - 50000 + 12345, today);
    CHECK_INT(r.status, 201);
    api_free(&r);
    CHECK_STR(steps_status(S.db, app), "booked");
    statement(&r, &s, app);
    CHECK_INT(api_json_int(r.json, "paid_cents", -1), PRICE);
    CHECK_INT(api_json_int(r.json, "received_cents", -1), PRICE + 12345);
    CHECK_INT(api_json_int(r.json, "refund_owed_cents", -1), 12345);
    json_t *refunds = json_object_get(r.json, "refunds");
    CHECK(json_array_size(refunds) == 1);
    CHECK_STR(api_json_str(json_array_get(refunds, 0), "reason"), "overpayment");
    CHECK_STR(api_json_str(json_array_get(refunds, 0), "method"), "bank_transfer");
    CHECK_STR(api_json_str(json_array_get(refunds, 0), "status"), "owed");
    api_free(&r);
    CHECK_INT(db_count(&S, "SELECT COUNT(*) FROM audit_events WHERE action = 'payment_recorded' AND object_id = $1",
                       app),
              2);
    CHECK_INT(ledger_check(&S, NULL, 0), 0);
}

/* ---- Stripe: checkout through the stand-in ---- */

TEST(stripe_checkout_is_created_on_the_server_with_an_idempotency_key)
{
    api_use(S.srv);
    struct user s;
    char block[64], app[64];
    if (!held_app(&S, &s, 102, block, app))
        return;
    int sessions_before = standin_count(&standin, "/v1/checkout/sessions", false);
    struct api_response r;
    checkout(&r, &s, app, "stripe", "deposit");
    CHECK_INT(r.status, 201);
    CHECK_STR(api_json_str(r.json, "status"), "open");
    CHECK_CONTAINS(api_json_str(r.json, "redirect_url"), "https://checkout.stripe.com/c/pay/cs_test_standin");
    char checkout_id[64];
    snprintf(checkout_id, sizeof(checkout_id), "%s", api_json_str(r.json, "id") != NULL ? api_json_str(r.json, "id") : "");
    api_free(&r);
    CHECK_INT(standin_count(&standin, "/v1/checkout/sessions", false), sessions_before + 1);
    struct standin_call c;
    CHECK(standin_last(&standin, "/v1/checkout/sessions", &c));
    CHECK_STR(c.authorization, "Bearer " STRIPE_SECRET_KEY);
    CHECK_STR(c.idempotency_key, checkout_id);
    CHECK_STR(standin_field(&c, "mode"), "payment");
    CHECK_STR(standin_field(&c, "client_reference_id"), checkout_id);
    CHECK_STR(standin_field(&c, "line_items[0][price_data][currency]"), "usd");
    char amount[32];
    snprintf(amount, sizeof(amount), "%d", DEPOSIT);
    CHECK_STR(standin_field(&c, "line_items[0][price_data][unit_amount]"), amount);
    CHECK_STR(standin_field(&c, "customer_email"), s.email);
    CHECK_CONTAINS(standin_field(&c, "success_url"), checkout_id);
    CHECK(standin_field(&c, "expires_at") != NULL);
    /* The redirect back is not a payment: still held until Stripe's webhook says so. */
    CHECK_STR(steps_status(S.db, app), "held");
    /* Asking again reuses the open session: no second call to Stripe. */
    checkout(&r, &s, app, "stripe", "deposit");
    CHECK_INT(r.status, 201);
    CHECK_STR(api_json_str(r.json, "id"), checkout_id);
    api_free(&r);
    CHECK_INT(standin_count(&standin, "/v1/checkout/sessions", false), sessions_before + 1);
}

TEST(stripe_unreachable_the_checkout_says_so_and_the_seat_stays_held)
{
    api_use(S.srv);
    struct user s;
    char block[64], app[64];
    if (!held_app(&S, &s, 103, block, app))
        return;
    atomic_store(&standin.fail_next, 1);
    struct api_response r;
    checkout(&r, &s, app, "stripe", "full");
    CHECK_PROBLEM(&r, 502, "provider_unavailable", NULL);
    CHECK_CONTAINS(api_json_str(r.json, "detail"), "seat stays held");
    api_free(&r);
    CHECK_STR(steps_status(S.db, app), "held");
    CHECK_INT(db_count(&S, "SELECT COUNT(*) FROM checkouts WHERE application_id = $1 AND status = 'failed'", app), 1);
    /* Stripe is back: a new attempt works. */
    checkout(&r, &s, app, "stripe", "full");
    CHECK_INT(r.status, 201);
    api_free(&r);
}

/* ---- Stripe's webhook, signed by Stripe's own library ---- */

/* Installs tests/stripe's node modules (Stripe's library) when missing. */
static bool stripe_library_ready(void)
{
    struct stat st;
    if (stat("tests/stripe/node_modules/stripe/package.json", &st) == 0)
        return true;
    int rc = system("cd tests/stripe && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1");
    if (rc != 0 || stat("tests/stripe/node_modules/stripe/package.json", &st) != 0) {
        TEST_FAILF("Stripe's Node library is not installed (cd tests/stripe && npm ci)");
        return false;
    }
    return true;
}

/* The Stripe-Signature header that stripe.webhooks.generateTestHeaderString makes for payload. */
static bool stripe_sign(const char *payload, const char *secret, long long timestamp, char *out, size_t size)
{
    char path[64];
    int fd = test_tmp_file(path, sizeof(path), "stripe-payload");
    if (fd < 0 || write(fd, payload, strlen(payload)) != (ssize_t)strlen(payload)) {
        if (fd >= 0)
            close(fd);
        return false;
    }
    close(fd);
    char command[512];
    snprintf(command, sizeof(command), "node tests/stripe/sign.mjs '%s' %lld < %s", secret, timestamp, path);
    FILE *p = popen(command, "r");
    bool ok = p != NULL && fgets(out, (int)size, p) != NULL;
    if (p != NULL)
        ok = pclose(p) == 0 && ok;
    unlink(path);
    out[ok ? strcspn(out, "\r\n") : 0] = '\0';
    if (!ok || strncmp(out, "t=", 2) != 0) {
        TEST_FAILF("node tests/stripe/sign.mjs did not sign: \"%s\"", out);
        return false;
    }
    return true;
}

/* A Stripe event about a Checkout Session, as Stripe sends it. */
static char *session_event(const char *event_id, const char *type, const char *session_id, const char *checkout_id,
                           long long amount, const char *payment_intent)
{
    json_t *session = json_pack("{s:s,s:s,s:I,s:s,s:s,s:{s:s},s:s,s:s,s:s,s:s}", "id", session_id, "object",
                                "checkout.session", "amount_total", (json_int_t)amount, "currency", "usd",
                                "client_reference_id", checkout_id, "metadata", "checkout_id", checkout_id, "mode",
                                "payment", "payment_intent", payment_intent, "payment_status", "paid", "status",
                                "complete");
    json_t *event = json_pack("{s:s,s:s,s:s,s:I,s:{s:o},s:b,s:i,s:{s:n,s:n},s:s}", "id", event_id, "object", "event",
                              "api_version", "2024-06-20", "created", (json_int_t)time(NULL), "data", "object",
                              session, "livemode", 0, "pending_webhooks", 1, "request", "id", "idempotency_key",
                              "type", type);
    return json_text(event);
}

static long deliver_to(struct api_server *srv, struct api_response *r, const char *payload, const char *signature)
{
    char header[600];
    snprintf(header, sizeof(header), "Stripe-Signature: %s", signature != NULL ? signature : "");
    const char *headers[] = {signature != NULL ? header : "X-None: 1", "Content-Type: application/json; charset=utf-8",
                             NULL};
    struct api_raw_request rq = {"POST", "/api/v1/payments/webhooks/stripe", headers, payload, strlen(payload), false};
    return api_send_to(srv, r, &rq);
}

/* A held application with an open Stripe checkout: its ids and Stripe's session id. */
static bool stripe_checkout_open(struct user *s, int start, char *app, char *checkout_id, char *session)
{
    char block[64];
    if (!held_app(&S, s, start, block, app))
        return false;
    struct api_response r;
    checkout(&r, s, app, "stripe", "deposit");
    bool ok = r.status == 201 && api_json_str(r.json, "id") != NULL;
    if (ok)
        snprintf(checkout_id, 64, "%s", api_json_str(r.json, "id"));
    else
        TEST_FAILF("stripe checkout answered %ld: %.300s", r.status, r.body);
    api_free(&r);
    char *ref = ok ? api_db_text(S.db, "SELECT provider_ref FROM checkouts WHERE id = $1", checkout_id, NULL, NULL) : NULL;
    if (ref != NULL)
        snprintf(session, 64, "%s", ref);
    free(ref);
    return ok && ref != NULL;
}

TEST(a_signed_webhook_pays_once_and_a_bad_one_records_nothing)
{
    api_use(S.srv);
    if (!stripe_library_ready())
        return;
    struct user s;
    char app[64], ck[64], session[64], event_id[80], header[512];
    if (!stripe_checkout_open(&s, 104, app, ck, session))
        return;
    snprintf(event_id, sizeof(event_id), "evt_%s", ck);
    char *payload = session_event(event_id, "checkout.session.completed", session, ck, DEPOSIT, "pi_test_once");
    long long now = (long long)time(NULL);
    struct api_response r;
    /* Tampered, unsigned, wrongly keyed, too old, or no v1: 400 and nothing recorded. */
    char *tampered = session_event(event_id, "checkout.session.completed", session, ck, 1, "pi_test_once");
    if (!stripe_sign(payload, STRIPE_WEBHOOK_SECRET, now, header, sizeof(header)))
        return;
    deliver_to(S.srv, &r, tampered, header);
    CHECK_PROBLEM(&r, 400, "invalid_signature", "Stripe-Signature");
    api_free(&r);
    deliver_to(S.srv, &r, payload, NULL);
    CHECK_PROBLEM(&r, 400, "invalid_signature", "Stripe-Signature");
    api_free(&r);
    char wrong[512], old[512];
    if (!stripe_sign(payload, "whsec_someone_else", now, wrong, sizeof(wrong)) ||
        !stripe_sign(payload, STRIPE_WEBHOOK_SECRET, now - 301, old, sizeof(old)))
        return;
    deliver_to(S.srv, &r, payload, wrong);
    CHECK_PROBLEM(&r, 400, "invalid_signature", "Stripe-Signature");
    api_free(&r);
    deliver_to(S.srv, &r, payload, old);
    CHECK_PROBLEM(&r, 400, "invalid_signature", "Stripe-Signature");
    api_free(&r);
    char v0[600];
    snprintf(v0, sizeof(v0), "t=%lld,v0=%s", now, strstr(header, "v1=") != NULL ? strstr(header, "v1=") + 3 : "");
    deliver_to(S.srv, &r, payload, v0);
    CHECK_PROBLEM(&r, 400, "invalid_signature", "Stripe-Signature");
    api_free(&r);
    CHECK_INT(db_count(&S, "SELECT COUNT(*) FROM payments WHERE application_id = $1", app), 0);
    CHECK_INT(db_count(&S, "SELECT COUNT(*) FROM provider_events WHERE event_id = $1", event_id), 0);
    CHECK_STR(steps_status(S.db, app), "held");
    /* Signed 280 seconds ago by Stripe's library: accepted, the seat booked, the payment recorded once. */
    char recent[512];
    if (!stripe_sign(payload, STRIPE_WEBHOOK_SECRET, (long long)time(NULL) - 280, recent, sizeof(recent)))
        return;
    deliver_to(S.srv, &r, payload, recent);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "outcome"), "applied");
    api_free(&r);
    CHECK_STR(steps_status(S.db, app), "booked");
    deliver_to(S.srv, &r, payload, header);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "outcome"), "duplicate");
    api_free(&r);
    CHECK_INT(db_count(&S, "SELECT COUNT(*) FROM payments WHERE application_id = $1", app), 1);
    CHECK_INT(statement_int(&s, app, "paid_cents"), DEPOSIT);
    /* The same session in another event (Stripe's async success) pays nothing twice. */
    char other_id[80], other_header[512];
    snprintf(other_id, sizeof(other_id), "evt_async_%s", ck);
    char *async = session_event(other_id, "checkout.session.async_payment_succeeded", session, ck, DEPOSIT,
                                "pi_test_once");
    if (stripe_sign(async, STRIPE_WEBHOOK_SECRET, now, other_header, sizeof(other_header))) {
        deliver_to(S.srv, &r, async, other_header);
        CHECK_INT(r.status, 200);
        CHECK_STR(api_json_str(r.json, "outcome"), "duplicate");
        api_free(&r);
    }
    CHECK_INT(db_count(&S, "SELECT COUNT(*) FROM payments WHERE application_id = $1", app), 1);
    free(async);
    free(tampered);
    free(payload);
}

TEST(an_unknown_event_type_is_ignored_and_a_different_amount_is_recorded_not_trusted)
{
    api_use(S.srv);
    if (!stripe_library_ready())
        return;
    struct user s;
    char app[64], ck[64], session[64], event_id[80], header[512];
    if (!stripe_checkout_open(&s, 105, app, ck, session))
        return;
    struct api_response r;
    long long now = (long long)time(NULL);
    snprintf(event_id, sizeof(event_id), "evt_other_%s", ck);
    char *other = session_event(event_id, "customer.created", session, ck, DEPOSIT, "pi_x");
    if (stripe_sign(other, STRIPE_WEBHOOK_SECRET, now, header, sizeof(header))) {
        deliver_to(S.srv, &r, other, header);
        CHECK_INT(r.status, 200);
        CHECK_STR(api_json_str(r.json, "outcome"), "ignored");
        api_free(&r);
    }
    free(other);
    char *garbage = strdup("{\"id\":\"evt_1\",\"object\":\"event\"");
    if (stripe_sign(garbage, STRIPE_WEBHOOK_SECRET, now, header, sizeof(header))) {
        deliver_to(S.srv, &r, garbage, header);
        CHECK_PROBLEM(&r, 400, "validation_failed", NULL);
        api_free(&r);
    }
    free(garbage);
    CHECK_INT(db_count(&S, "SELECT COUNT(*) FROM payments WHERE application_id = $1", app), 0);
    /* Stripe says $500 less than asked: recorded as received, the difference kept for staff, not booked. */
    snprintf(event_id, sizeof(event_id), "evt_less_%s", ck);
    char *less = session_event(event_id, "checkout.session.completed", session, ck, DEPOSIT - 50000, "pi_test_less");
    if (stripe_sign(less, STRIPE_WEBHOOK_SECRET, now, header, sizeof(header))) {
        deliver_to(S.srv, &r, less, header);
        CHECK_INT(r.status, 200);
        api_free(&r);
    }
    free(less);
    CHECK_INT(db_count(&S, "SELECT COUNT(*) FROM payments WHERE application_id = $1 AND amount_cents = 39900 AND"
                           " expected_cents = 89900",
                       app),
              1);
    CHECK_STR(steps_status(S.db, app), "held");
    CHECK_INT(statement_int(&s, app, "pay_now.deposit"), 50000);
}

TEST(cancelling_a_card_payment_refunds_it_through_stripe)
{
    api_use(S.srv);
    if (!stripe_library_ready())
        return;
    struct user s;
    char app[64], ck[64], session[64], event_id[80], header[512];
    if (!stripe_checkout_open(&s, 170, app, ck, session))
        return;
    snprintf(event_id, sizeof(event_id), "evt_refund_%s", ck);
    char *payload = session_event(event_id, "checkout.session.completed", session, ck, DEPOSIT, "pi_test_refundme");
    struct api_response r;
    if (stripe_sign(payload, STRIPE_WEBHOOK_SECRET, (long long)time(NULL), header, sizeof(header))) {
        deliver_to(S.srv, &r, payload, header);
        CHECK_INT(r.status, 200);
        api_free(&r);
    }
    free(payload);
    CHECK_STR(steps_status(S.db, app), "booked");
    CHECK(steps_act(&s, app, "cancel")); /* 170 days before: everything back */
    CHECK_INT(statement_int(&s, app, "refund_owed_cents"), DEPOSIT);
    int refunds_before = standin_count(&standin, "/v1/refunds", false);
    hooks_run_jobs();
    CHECK_INT(standin_count(&standin, "/v1/refunds", false), refunds_before + 1);
    struct standin_call c;
    CHECK(standin_last(&standin, "/v1/refunds", &c));
    CHECK_STR(standin_field(&c, "payment_intent"), "pi_test_refundme");
    char amount[32];
    snprintf(amount, sizeof(amount), "%d", DEPOSIT);
    CHECK_STR(standin_field(&c, "amount"), amount);
    CHECK_STR(c.authorization, "Bearer " STRIPE_SECRET_KEY);
    CHECK(strncmp(c.idempotency_key, "rf_", 3) == 0);
    CHECK_INT(statement_int(&s, app, "refunded_cents"), DEPOSIT);
    CHECK_INT(statement_int(&s, app, "refund_owed_cents"), 0);
    hooks_run_jobs();
    CHECK_INT(standin_count(&standin, "/v1/refunds", false), refunds_before + 1);
    CHECK_INT(ledger_check(&S, NULL, 0), 0);
}

/* ---- a crash between Stripe's confirmation and our commit ---- */

/* Another instance on the database of srv, with extra_env (may be NULL); srv stays api_current. */
static bool start_sibling(struct api_server *sibling, struct api_server *srv, const char *const *extra_env)
{
    static const char *const flags[] = {"--test-hooks", "1", "--jobs-interval-ms", "0", NULL};
    return api_server_start_beside_with(sibling, srv, flags, extra_env);
}

TEST(a_crash_before_the_commit_loses_nothing_the_next_delivery_completes_it)
{
    api_use(S.srv);
    if (!stripe_library_ready())
        return;
    struct user s;
    char app[64], ck[64], session[64], event_id[80], header[512];
    if (!stripe_checkout_open(&s, 106, app, ck, session))
        return;
    snprintf(event_id, sizeof(event_id), "evt_crash_%s", ck);
    char *payload = session_event(event_id, "checkout.session.completed", session, ck, DEPOSIT, "pi_test_crash");
    if (!stripe_sign(payload, STRIPE_WEBHOOK_SECRET, (long long)time(NULL), header, sizeof(header)))
        return;
    struct api_server doomed;
    static const char *const failpoint[] = {"ROUNDS_TEST_FAILPOINT=webhook_before_commit", NULL};
    if (!start_sibling(&doomed, S.srv, failpoint))
        return;
    struct api_response r;
    deliver_to(&doomed, &r, payload, header);
    CHECK(r.status == 0 || r.status >= 500); /* the instance died mid-request */
    api_free(&r);
    CHECK_INT(api_server_stop(&doomed), 70);
    api_server_cleanup(&doomed);
    api_use(S.srv);
    CHECK_INT(db_count(&S, "SELECT COUNT(*) FROM payments WHERE application_id = $1", app), 0);
    CHECK_INT(db_count(&S, "SELECT COUNT(*) FROM provider_events WHERE event_id = $1", event_id), 0);
    CHECK_STR(steps_status(S.db, app), "held");
    /* Stripe delivers again (to any instance): the payment is recorded, once. */
    deliver_to(S.srv, &r, payload, header);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "outcome"), "applied");
    api_free(&r);
    CHECK_STR(steps_status(S.db, app), "booked");
    CHECK_INT(db_count(&S, "SELECT COUNT(*) FROM payments WHERE application_id = $1", app), 1);
    free(payload);
}

/* ---- the same webhook 50 times at once to two instances ---- */

enum { DELIVERIES = 50 };

struct delivery {
    struct api_server *srv;
    const char *payload, *header;
    long status;
    char outcome[16];
};

static void *deliver_thread(void *arg)
{
    struct delivery *d = arg;
    struct api_response r;
    deliver_to(d->srv, &r, d->payload, d->header);
    d->status = r.status;
    const char *o = api_json_str(r.json, "outcome");
    snprintf(d->outcome, sizeof(d->outcome), "%s", o != NULL ? o : "");
    api_free(&r);
    return NULL;
}

TEST(the_same_webhook_50_times_at_once_to_two_instances_is_one_payment)
{
    api_use(S.srv);
    if (!stripe_library_ready())
        return;
    struct user s;
    char app[64], ck[64], session[64], event_id[80], header[512];
    if (!stripe_checkout_open(&s, 107, app, ck, session))
        return;
    snprintf(event_id, sizeof(event_id), "evt_race_%s", ck);
    char *payload = session_event(event_id, "checkout.session.completed", session, ck, DEPOSIT, "pi_test_race");
    if (!stripe_sign(payload, STRIPE_WEBHOOK_SECRET, (long long)time(NULL), header, sizeof(header)))
        return;
    struct api_server second;
    if (!start_sibling(&second, S.srv, NULL))
        return;
    struct delivery d[DELIVERIES];
    pthread_t threads[DELIVERIES];
    for (int i = 0; i < DELIVERIES; i++) {
        d[i] = (struct delivery){i % 2 == 0 ? S.srv : &second, payload, header, 0, ""};
        pthread_create(&threads[i], NULL, deliver_thread, &d[i]);
    }
    int applied = 0, duplicate = 0, other = 0;
    for (int i = 0; i < DELIVERIES; i++) {
        pthread_join(threads[i], NULL);
        if (d[i].status == 200 && strcmp(d[i].outcome, "applied") == 0)
            applied++;
        else if (d[i].status == 200 && strcmp(d[i].outcome, "duplicate") == 0)
            duplicate++;
        else
            other++;
    }
    CHECK_INT(applied, 1);
    CHECK_INT(duplicate, DELIVERIES - 1);
    CHECK_INT(other, 0);
    CHECK_INT(db_count(&S, "SELECT COUNT(*) FROM payments WHERE application_id = $1", app), 1);
    CHECK_INT(db_count(&S, "SELECT COUNT(*) FROM provider_events WHERE event_id = $1", event_id), 1);
    CHECK_INT(db_count(&S, "SELECT COUNT(*) FROM ledger_transactions WHERE application_id = $1 AND kind = 'payment'",
                       app),
              1);
    CHECK_STR(steps_status(S.db, app), "booked");
    CHECK_INT(api_server_stop(&second), 0);
    api_server_cleanup(&second);
    api_use(S.srv);
    free(payload);
    CHECK_INT(ledger_check(&S, NULL, 0), 0);
}

/* On a database of its own (SQLite): a broken entry makes `rounds ledger check` exit 6 naming it. */
TEST(the_ledger_check_names_the_first_broken_entry)
{
    if (api_shared_db() != NULL)
        return; /* PostgreSQL: the same check runs in the store suite, inside rolled-back transactions */
    char dir[64], db[300];
    if (test_tmp_dir(dir, sizeof(dir), "broken-ledger") == NULL)
        return;
    snprintf(db, sizeof(db), "%s/broken.db", dir);
    const char *migrate[] = {"migrate", "--db", db, NULL};
    struct api_cli_result res;
    CHECK_INT(api_cli(NULL, migrate, NULL, &res), 0);
    api_cli_free(&res);
    struct db_conn *conn = NULL;
    CHECK_INT(db_open(db, &conn), DB_OK);
    CHECK_INT(db_exec(conn, "INSERT INTO ledger_transactions (kind, effective_on, created_at) VALUES ('charge', "
                            "'2026-01-01', 1);"
                            "INSERT INTO ledger_entries (transaction_id, account, amount_cents, account_seq, "
                            "balance_cents) VALUES (1, 'receivable:a_x', 500, 1, 500), (1, 'deferred:a_x', -500, 1, -500);"
                            "INSERT INTO ledger_transactions (kind, effective_on, created_at) VALUES ('payment', "
                            "'2026-01-02', 2);"
                            "INSERT INTO ledger_entries (transaction_id, account, amount_cents, account_seq, "
                            "balance_cents) VALUES (2, 'clearing:demo', 200, 1, 200), (2, 'receivable:a_x', -200, 2, 250);"),
              DB_OK);
    db_close(conn);
    const char *check[] = {"ledger", "check", "--db", db, NULL};
    CHECK_INT(api_cli(NULL, check, NULL, &res), 6);
    CHECK_CONTAINS(res.out, "ledger broken: entry 4");
    CHECK_CONTAINS(res.out, "receivable:a_x");
    CHECK_CONTAINS(res.out, "says the balance is 250 cents, but the account's entries up to it sum to 300");
    api_cli_free(&res);
    const char *bad[] = {"ledger", "verify", NULL};
    CHECK_INT(api_cli(NULL, bad, NULL, &res), 2);
    api_cli_free(&res);
    api_remove_tree(dir);
}

TEST(the_ledger_check_passes_and_counts_the_statements)
{
    char out[512];
    api_use(D.srv);
    CHECK_INT(ledger_check(&D, out, sizeof(out)), 0);
    CHECK_CONTAINS(out, "ledger ok");
    CHECK(strstr(out, " 0 application statements") == NULL);
    api_use(S.srv);
    CHECK_INT(ledger_check(&S, out, sizeof(out)), 0);
    CHECK_CONTAINS(out, "ledger ok");
}

/* ---- the pages' forms ---- */

/* The page at path as u's browser sees it; the CSRF token of its first form into csrf. */
static long page_get(struct api_response *r, const struct user *u, const char *path, char csrf[64])
{
    const char *headers[] = {u->cookie, NULL};
    long status = api_request(r, "GET", path, headers, NULL);
    static const char marker[] = "name=\"csrf_token\" value=\"";
    const char *at = r->body != NULL ? strstr(r->body, marker) : NULL;
    csrf[0] = '\0';
    if (at != NULL) {
        at += sizeof(marker) - 1;
        snprintf(csrf, 64, "%.*s", (int)strcspn(at, "\""), at);
    }
    return status;
}

/* A form POSTed as a browser does (the session cookie, the form's CSRF token unless NULL). */
static long form_post(struct api_response *r, const struct user *u, const char *path, const char *form,
                      const char *csrf)
{
    char body[4096];
    snprintf(body, sizeof(body), "%s%s%s", form, csrf != NULL ? "&csrf_token=" : "", csrf != NULL ? csrf : "");
    const char *headers[] = {u->cookie, "Content-Type: application/x-www-form-urlencoded", NULL};
    struct api_raw_request rq = {"POST", path, headers, body, strlen(body), true};
    return api_send(r, &rq);
}

/* The form came back as a page with status, the error linked to its field (anchor, or NULL) and
 * what was typed (or another text the page must show). */
static void check_form_refused(const struct api_response *r, long status, const char *anchor, const char *typed)
{
    CHECK_INT(r->status, status);
    CHECK_CONTAINS(api_header(r, "content-type"), "text/html");
    if (anchor != NULL) {
        char link[64];
        snprintf(link, sizeof(link), "href=\"#%s\"", anchor);
        CHECK_CONTAINS(r->body, link);
    }
    CHECK_CONTAINS(r->body, typed);
}

static long long money_rows(struct world *w)
{
    return db_count(w, "SELECT (SELECT COUNT(*) FROM checkouts) + (SELECT COUNT(*) FROM payments) + "
                       "(SELECT COUNT(*) FROM refunds) + (SELECT COUNT(*) FROM payouts) + "
                       "(SELECT COUNT(*) FROM ledger_entries)",
                    NULL);
}

TEST(the_checkout_and_goodwill_forms_refuse_bad_input_and_change_nothing)
{
    api_use(D.srv);
    set_clock(0);
    struct user s, other;
    char block[64], app[64], path[200], csrf[64], staff_csrf[64];
    if (!held_app(&D, &s, 115, block, app) || !register_student(&other, "mformo"))
        return;
    struct api_response r;
    snprintf(path, sizeof(path), "/applications/%s/checkout", app);
    CHECK_INT(page_get(&r, &s, path, csrf), 200);
    CHECK(csrf[0] != '\0');
    api_free(&r);
    long long before = money_rows(&D);
    /* Unknown method or plan, a payment "by hand", a method this server does not offer. */
    const char *bad[] = {"method=cash&plan=deposit", "method=demo&plan=everything", "method=manual&plan=deposit",
                         "plan=deposit", "method=demo", "method=&plan=", "method=Demo&plan=Deposit"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        form_post(&r, &s, path, bad[i], csrf);
        if (r.status != 400)
            TEST_FAILF("checkout form \"%s\" answered %ld", bad[i], r.status);
        else
            CHECK_CONTAINS(r.body, "Choose what to pay and how to pay it.");
        api_free(&r);
    }
    form_post(&r, &s, path, "method=bank_transfer&plan=deposit", csrf);
    check_form_refused(&r, 422, NULL, "role=\"alert\"");
    api_free(&r);
    form_post(&r, &s, path, "method=demo&plan=balance", csrf); /* nothing is booked yet */
    check_form_refused(&r, 409, NULL, "role=\"alert\"");
    api_free(&r);
    /* Without the form's token, or as another student. */
    form_post(&r, &s, path, "method=demo&plan=deposit", NULL);
    CHECK_INT(r.status, 403);
    api_free(&r);
    form_post(&r, &other, path, "method=demo&plan=deposit", csrf);
    CHECK(r.status == 403 || r.status == 404);
    api_free(&r);
    CHECK_INT(money_rows(&D), before);
    CHECK_STR(steps_status(D.db, app), "held");

    /* The goodwill form (staff): a bad amount, no reason, more than was paid; and not for others. */
    snprintf(path, sizeof(path), "/applications/%s", app);
    CHECK_INT(page_get(&r, &D.staff, path, staff_csrf), 200);
    api_free(&r);
    snprintf(path, sizeof(path), "/applications/%s/refunds", app);
    form_post(&r, &D.staff, path, "amount=12%2C5x&reason=Sorry%0D%0Aagain", staff_csrf); /* a reason may have lines */
    check_form_refused(&r, 400, "f-amount", "value=\"12,5x\"");
    api_free(&r);
    form_post(&r, &D.staff, path, "amount=-5&reason=Sorry", staff_csrf);
    check_form_refused(&r, 400, "f-amount", "value=\"-5\"");
    api_free(&r);
    form_post(&r, &D.staff, path, "amount=50&reason=", staff_csrf);
    check_form_refused(&r, 400, "f-reason", "value=\"50\"");
    api_free(&r);
    form_post(&r, &D.staff, path, "amount=50&reason=Kept%20typing", staff_csrf);
    check_form_refused(&r, 422, "f-amount", "Kept typing"); /* nothing was paid yet */
    api_free(&r);
    form_post(&r, &s, path, "amount=50&reason=I%20want%20it", csrf);
    CHECK_INT(r.status, 404);
    api_free(&r);
    form_post(&r, &D.staff, "/applications/a_nonesuch/refunds", "amount=50&reason=x", staff_csrf);
    CHECK_INT(r.status, 404);
    api_free(&r);
    CHECK_INT(money_rows(&D), before);
}

TEST(the_staff_forms_refuse_bad_input_and_change_nothing)
{
    api_use(S.srv);
    set_clock(0);
    struct api_response r;
    char csrf[64], today[11], form[512];
    date_in(0, today);
    CHECK_INT(page_get(&r, &S.staff, "/staff/payments", csrf), 200);
    CHECK(csrf[0] != '\0');
    api_free(&r);
    long long before = money_rows(&S);
    /* A bank transfer: what was typed comes back with the error linked to its field. */
    snprintf(form, sizeof(form), "reference=RND-NOPE-0000&amount=abc&received_on=%s&note=By%%20SWIFT%%0D%%0Afee%%20%%2415",
             today); /* a note may have lines */
    form_post(&r, &S.staff, "/staff/payments/transfers", form, csrf);
    check_form_refused(&r, 400, "f-amount", "value=\"RND-NOPE-0000\"");
    CHECK_CONTAINS(r.body, "value=\"abc\"");
    api_free(&r);
    form_post(&r, &S.staff, "/staff/payments/transfers", "reference=RND-NOPE-0000&amount=899&received_on=2026-02-30",
              csrf);
    check_form_refused(&r, 400, "f-received_on", "value=\"899\"");
    api_free(&r);
    snprintf(form, sizeof(form), "reference=&amount=899&received_on=%s", today);
    form_post(&r, &S.staff, "/staff/payments/transfers", form, csrf);
    check_form_refused(&r, 400, "f-reference", "value=\"899\"");
    api_free(&r);
    snprintf(form, sizeof(form), "reference=RND-NOPE-0000&amount=899.50&received_on=%s", today);
    form_post(&r, &S.staff, "/staff/payments/transfers", form, csrf);
    check_form_refused(&r, 422, "f-reference", "value=\"899.50\"");
    api_free(&r);
    struct user s;
    char student_csrf[64];
    if (!register_student(&s, "mforms"))
        return;
    CHECK_INT(page_get(&r, &s, "/account", student_csrf), 200);
    api_free(&r);
    form_post(&r, &s, "/staff/payments/transfers", form, student_csrf);
    CHECK(r.status == 403 || r.status == 404);
    api_free(&r);
    /* A payout: a month that is not one, no host, a host with nothing owed. */
    form_post(&r, &S.staff, "/staff/payouts", "organization_id=org_x&month=2027-13", csrf);
    check_form_refused(&r, 400, NULL, "Choose a host and a month from the table.");
    api_free(&r);
    form_post(&r, &S.staff, "/staff/payouts", "organization_id=&month=2027-01", csrf);
    check_form_refused(&r, 400, NULL, "Choose a host and a month from the table.");
    api_free(&r);
    snprintf(form, sizeof(form), "organization_id=%s&month=2020-01", S.org_other);
    form_post(&r, &S.staff, "/staff/payouts", form, csrf);
    CHECK(r.status >= 400 && r.status < 500);
    CHECK_CONTAINS(api_header(&r, "content-type"), "text/html");
    api_free(&r);
    form_post(&r, &s, "/staff/payouts", form, student_csrf);
    CHECK_INT(r.status, 404);
    api_free(&r);
    /* A refund marked sent that does not exist. */
    form_post(&r, &S.staff, "/staff/refunds/rf_nonesuch/sent", "", csrf);
    CHECK_INT(r.status, 404);
    api_free(&r);
    CHECK_INT(money_rows(&S), before);
}

TEST(the_host_price_form_refuses_bad_amounts_and_tiers_and_changes_nothing)
{
    api_use(D.srv);
    set_clock(0);
    struct api_response r;
    char path[200], csrf[64], form[2048];
    snprintf(path, sizeof(path), "/host/offerings/%s/edit", D.offering);
    CHECK_INT(page_get(&r, &D.coord, path, csrf), 200);
    CHECK(csrf[0] != '\0');
    api_free(&r);
    char *policy_before = api_db_text(D.db, "SELECT refund_policy FROM offerings WHERE id = $1", D.offering, NULL, NULL);
    long long tuition_before = db_count(&D, "SELECT tuition_cents FROM offerings WHERE id = $1", D.offering);
    static const struct {
        const char *money, *anchor, *typed;
        long status;
    } cases[] = {
        {"tuition=12.345&application_fee=250&deposit=899&balance_due_days=45", "f-tuition", "value=\"12.345\"", 400},
        {"tuition=3000&application_fee=%24-1&deposit=899&balance_due_days=45", "f-application_fee", "value=\"$-1\"", 400},
        {"tuition=3000&application_fee=250&deposit_percent=150&balance_due_days=45", "f-deposit_percent",
         "value=\"150\"", 400},
        {"tuition=3000&application_fee=250&deposit=899&balance_due_days=400", "f-balance_due_days", "value=\"400\"",
         400},
        {"tuition=3000&application_fee=250&deposit=899&balance_due_days=45&tier_days_0=60&tier_percent_0=120",
         "f-tier_percent_0", "value=\"120\"", 400},
        {"tuition=3000&application_fee=250&deposit=899&balance_due_days=45&tier_days_0=30&tier_percent_0=100"
         "&tier_days_1=30&tier_percent_1=50",
         "f-tier_days_1", "value=\"50\"", 400},
        {"tuition=3000&application_fee=250&deposit=899&balance_due_days=45&tier_days_0=ten&tier_percent_0=50",
         "f-tier_days_0", "value=\"ten\"", 400},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(form, sizeof(form),
                 "title=%s&specialty=cardiology&kind=hands_on&setting=inpatient&site_id=%s&preceptor_id=%s"
                 "&status=published&weeks=4&hours_per_week=40&description=Inpatient%%20cardiology%%20service.&%s",
                 D.title, D.site, D.prc, cases[i].money);
        for (char *p = form; *p != '\0'; p++)
            if (*p == ' ')
                *p = '+';
        form_post(&r, &D.coord, path, form, csrf);
        if (r.status != cases[i].status || r.body == NULL || strstr(r.body, cases[i].anchor) == NULL ||
            strstr(r.body, cases[i].typed) == NULL)
            TEST_FAILF("host form with %s answered %ld without #%s and %s", cases[i].money, r.status, cases[i].anchor,
                       cases[i].typed);
        api_free(&r);
    }
    CHECK_INT(db_count(&D, "SELECT tuition_cents FROM offerings WHERE id = $1", D.offering), tuition_before);
    char *policy_after = api_db_text(D.db, "SELECT refund_policy FROM offerings WHERE id = $1", D.offering, NULL, NULL);
    CHECK_STR(policy_after != NULL ? policy_after : "(none)", policy_before != NULL ? policy_before : "(none)");
    free(policy_before);
    free(policy_after);
}

int main(void)
{
    crypto_init();
    curl_global_init(CURL_GLOBAL_DEFAULT);
    static const char *const flags[] = {"--test-hooks", "1", "--jobs-interval-ms", "0", "--session-idle-minutes",
                                        "43200", "--session-absolute-hours", "8760", NULL};
    if (standin_start(&standin) != 0) {
        printf("the Stripe stand-in did not start\n");
        return 1;
    }
    unsetenv("ROUNDS_STRIPE_SECRET_KEY");
    unsetenv("ROUNDS_BANK_TRANSFER_DETAILS");
    if (api_server_start(&demo_server, flags) != 0)
        return 1;
    if (!world_setup(&D, &demo_server, "demo")) {
        printf("setting up the demo server's world failed\n");
        api_server_stop(&demo_server);
        api_server_abandon(&demo_server);
        return 1;
    }
    /* The second server offers Stripe (the stand-in) and bank transfers. */
    setenv("ROUNDS_STRIPE_SECRET_KEY", STRIPE_SECRET_KEY, 1);
    setenv("ROUNDS_STRIPE_WEBHOOK_SECRET", STRIPE_WEBHOOK_SECRET, 1);
    setenv("ROUNDS_STRIPE_API_BASE", standin.base_url, 1);
    setenv("ROUNDS_BANK_TRANSFER_DETAILS", BANK_DETAILS, 1);
    if (api_server_start(&stripe_server, flags) != 0 || !world_setup(&S, &stripe_server, "cards")) {
        printf("setting up the Stripe server's world failed\n");
        api_server_stop(&demo_server);
        api_server_abandon(&demo_server);
        api_server_abandon(&stripe_server);
        return 1;
    }
    API_RUN(offering_shows_prices_and_the_refund_table_per_block);
    API_RUN(offering_prices_bad_input_changes_nothing);
    API_RUN(demo_deposit_books_and_the_cancellation_refunds_what_the_policy_says);
    API_RUN(checkout_refuses_what_it_should_and_changes_nothing);
    API_RUN(the_full_price_is_due_when_the_balance_date_has_passed);
    API_RUN(balance_reminders_at_14_and_3_days_and_an_unpaid_balance_releases_the_seat);
    API_RUN(host_cancellation_refunds_everything_and_visa_refusal_everything_but_the_fee);
    API_RUN(goodwill_refunds_by_staff_with_a_reason_up_to_what_was_paid);
    API_RUN(staff_book_records_the_payment_by_hand_and_its_refund_is_marked_sent_by_hand);
    API_RUN(the_hosts_share_is_payable_when_the_rotation_starts_and_paid_out_once);
    API_RUN(bank_transfer_shows_a_reference_and_staff_record_partial_and_over_payments);
    API_RUN(stripe_checkout_is_created_on_the_server_with_an_idempotency_key);
    API_RUN(stripe_unreachable_the_checkout_says_so_and_the_seat_stays_held);
    API_RUN(a_signed_webhook_pays_once_and_a_bad_one_records_nothing);
    API_RUN(an_unknown_event_type_is_ignored_and_a_different_amount_is_recorded_not_trusted);
    API_RUN(cancelling_a_card_payment_refunds_it_through_stripe);
    API_RUN(a_crash_before_the_commit_loses_nothing_the_next_delivery_completes_it);
    API_RUN(the_same_webhook_50_times_at_once_to_two_instances_is_one_payment);
    API_RUN(the_checkout_and_goodwill_forms_refuse_bad_input_and_change_nothing);
    API_RUN(the_staff_forms_refuse_bad_input_and_change_nothing);
    API_RUN(the_host_price_form_refuses_bad_amounts_and_tiers_and_changes_nothing);
    API_RUN(the_ledger_check_names_the_first_broken_entry);
    API_RUN(the_ledger_check_passes_and_counts_the_statements);
    db_close(D.db);
    db_close(S.db);
    CHECK_INT(api_server_stop(&stripe_server), 0);
    CHECK_INT(api_server_stop(&demo_server), 0);
    api_server_cleanup(&stripe_server);
    api_server_cleanup(&demo_server);
    standin_stop(&standin);
    curl_global_cleanup();
    return test_summary("api_money");
}
