/* test_store_money.c — the property test of the ledger, once on SQLite and
 * once on PostgreSQL (ROUNDS_TEST_DB=postgres://… selects it): thousands of
 * random sequences of events on bookings — deposits, full and partial
 * payments, over-payments, payments by hand, cancellations by the student,
 * the host or staff (with the fixed rules) at random dates, holds that
 * expire, balances left unpaid past their date, no-shows, the rotation
 * starting, goodwill refunds, refunds sent by hand — through the same domain
 * functions the API calls, with the clock moved. After every event: no
 * account of the booking goes where it must not (a receivable below zero, an
 * unearned price, a refund or a host's share owed that is positive…); after
 * every cancellation or release: the refund equals what refund_quote (the
 * policy function) answers for that day. At the end: the host's earnings are
 * paid out and the whole check of `rounds ledger check` passes.
 *
 * ROUNDS_PROPERTY_SEQUENCES (default 2000) sets how many sequences run;
 * ROUNDS_PROPERTY_SEED fixes the random seed (printed, so a failure can be
 * replayed). */
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "domain/applications.h"
#include "domain/money.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/limits.h"
#include "store/money.h"
#include "test.h"
#include "store_fixtures.h"

enum { DAY = 86400, TUITION = 200000, FEE = 20000, PRICE = TUITION + FEE, DEPOSIT = 60000 };

static struct arena world_arena; /* the world's ids, kept to the end (arena: one sequence's memory, freed after each) */
static const char *org_id, *site_id, *preceptor_id, *offering_id;
static struct store_user staff;
static uint64_t rng_state;

static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13; /* xorshift64 */
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

static int64_t between(int64_t lo, int64_t hi)
{
    return lo + (int64_t)(rnd() % (uint32_t)(hi - lo + 1));
}

static bool world(void)
{
    org_id = unique_in(&world_arena, "org_");
    site_id = unique_in(&world_arena, "s_");
    preceptor_id = unique_in(&world_arena, "p_");
    offering_id = unique_in(&world_arena, "o_");
    int64_t now = clock_now();
    struct store_site site = {.id = site_id, .organization_id = org_id, .name = "Harbor", .city = "Boston",
                              .state = "MA", .zip = "02114", .time_zone = "America/New_York", .created_at = now};
    char npi[NPI_BYTES + 1]; /* "8", 4 digits of the pid, 5 of the serial: always 10 digits */
    snprintf(npi, sizeof(npi), "8%04u%05u", (unsigned)getpid() % 10000u, (unsigned)++serial % 100000u);
    struct store_preceptor p = {.id = preceptor_id, .organization_id = org_id, .name = "Dr. Rae", .email = "r@x.example",
                                .npi = npi, .specialty = "cardiology", .license_state = "MA", .license_number = "1",
                                .board_status = "certified", .verified = true, .created_at = now};
    struct store_offering o = {
        .id = offering_id, .organization_id = org_id, .site_id = site_id, .preceptor_id = preceptor_id,
        .title = "Cardiology", .specialty = "cardiology", .kind = "hands_on", .setting = "inpatient", .weeks = 4,
        .hours_per_week = 40, .tuition_cents = TUITION, .application_fee_cents = FEE, .deposit_cents = DEPOSIT,
        .balance_due_days = 45, .students_allowed = true, .graduates_allowed = true,
        .max_years_since_graduation = -1, .visa_kinds = "", .description = "", .first_day = "", .requirements = "",
        .refund_policy = "{\"tiers\":[{\"days_before\":90,\"percent\":100,\"fee_refunded\":true},"
                         "{\"days_before\":45,\"percent\":60,\"fee_refunded\":false},"
                         "{\"days_before\":14,\"percent\":25,\"fee_refunded\":true}]}",
        .status = "published", .created_at = now, .updated_at = now};
    staff = add_user_in(&world_arena, "staff", "Property Tester");
    return store_organization_insert(conn, org_id, "Harbor Medical", "host", now) == DB_OK &&
           store_site_insert(conn, &site) == DB_OK && store_preceptor_insert(conn, &p) == DB_OK &&
           store_offering_insert(conn, &o) == DB_OK;
}

/* ---- one booking's state and its invariants ---- */

struct booking {
    struct store_user student;
    const char *app_id;
    int32_t start_day;
};

static int64_t balance_of(enum ledger_account_kind kind, const char *owner)
{
    int64_t b = 0;
    if (ledger_balance(conn, kind, owner, &b) != DB_OK)
        TEST_FAILF("reading a balance failed");
    return b;
}

static int violations;

/* No account of the booking goes where it must not. */
static void check_signs(const struct booking *bk, const char *after)
{
    int64_t receivable = balance_of(LEDGER_RECEIVABLE, bk->app_id);
    int64_t deferred = balance_of(LEDGER_DEFERRED, bk->app_id);
    int64_t refunds = balance_of(LEDGER_REFUNDS_PAYABLE, bk->app_id);
    int64_t host = balance_of(LEDGER_HOST_PAYABLE, org_id);
    int64_t revenue = balance_of(LEDGER_REVENUE, NULL);
    int64_t goodwill = balance_of(LEDGER_GOODWILL, NULL);
    if (receivable < 0 || receivable > PRICE || deferred > 0 || deferred < -PRICE || refunds > 0 || host > 0 ||
        revenue > 0 || goodwill < 0) {
        if (violations++ < 5)
            TEST_FAILF("after %s on %s: receivable %lld, deferred %lld, refunds payable %lld, host payable %lld, "
                       "revenue %lld, goodwill %lld",
                       after, bk->app_id, (long long)receivable, (long long)deferred, (long long)refunds,
                       (long long)host, (long long)revenue, (long long)goodwill);
    }
}

static struct store_application load(const struct booking *bk)
{
    struct store_application a;
    memset(&a, 0, sizeof(a));
    if (store_application_get(conn, &arena, bk->app_id, &a) != DB_ROW)
        TEST_FAILF("application %s vanished", bk->app_id);
    return a;
}

static int64_t policy_refunds(const struct booking *bk)
{
    struct store_refund *refunds;
    size_t n = 0;
    int64_t sum = 0;
    if (store_refunds_of_application(conn, &arena, bk->app_id, &refunds, &n) != DB_OK)
        TEST_FAILF("reading refunds failed");
    for (size_t i = 0; i < n; i++)
        if (strcmp(refunds[i].reason, "policy") == 0)
            sum += refunds[i].amount_cents;
    return sum;
}

/* What can still be given back: the payments less every refund made or owed. */
static int64_t refundable(const struct booking *bk)
{
    struct money_view v;
    struct store_application a = load(bk);
    if (money_view_of(conn, &arena, &a, &v) != DB_OK)
        TEST_FAILF("reading the money of %s failed", bk->app_id);
    return v.received_cents - v.refunded_cents - v.refund_owed_cents;
}

/* Moves the clock so that today is `day` (days since 1970). */
static void set_today(int32_t day)
{
    clock_set_offset(0);
    clock_set_offset(((int64_t)day - clock_today_days()) * DAY);
}

/* ---- events ---- */

static bool pay(struct booking *bk, enum money_plan plan, int64_t amount_change)
{
    struct money_checkout c;
    struct error err = {0};
    if (money_checkout_open(conn, &arena, &bk->student, bk->app_id, PAYMENT_BANK_TRANSFER, plan, &c, &err) != 0)
        return false; /* nothing to pay on that plan now: a fine answer */
    int64_t amount = c.checkout.amount_cents + amount_change;
    if (amount <= 0)
        amount = 1;
    char today[11];
    clock_today(today);
    struct store_payment p;
    if (money_record_transfer(conn, &arena, &staff, c.checkout.reference, amount, today, "", &p, &err) != 0) {
        TEST_FAILF("recording a transfer of %lld on %s failed: %s", (long long)amount, bk->app_id,
                   err.detail != NULL ? err.detail : "?");
        return false;
    }
    return true;
}

/* A cancellation (or release) at today: the refund equals refund_quote's answer. */
static void end_booking(struct booking *bk, const char *action, const struct store_user *who, enum refund_cause cause)
{
    struct store_application a = load(bk);
    struct store_money_terms t;
    if (store_money_terms_get(conn, &arena, bk->app_id, &t) != DB_ROW)
        return;
    struct refund_policy policy;
    if (refund_policy_decode(&arena, t.refund_policy, &policy) != 0)
        TEST_FAILF("the stored policy does not read");
    struct refund_question q = {&policy, bk->start_day, clock_today_days(), t.paid_cents, t.fee_cents, cause};
    bool was_held = strcmp(a.status, "held") == 0;
    if (was_held)
        q.cause = REFUND_CAUSE_CANNOT_HAPPEN;
    else if (strcmp(action, "no_show") == 0)
        q.cancel_day = q.start_day + 1;
    struct refund_answer expected;
    refund_quote(&q, &expected);
    /* A goodwill refund given before counts towards it: never more back than was paid. */
    int64_t left = refundable(bk);
    if (expected.refund_cents > left)
        expected.refund_cents = left > 0 ? left : 0;
    int64_t before = policy_refunds(bk);
    struct store_application after;
    struct error err = {0};
    int rc = application_cancel_or_move(conn, &arena, bk->app_id, action, who, "property test", cause, &after, &err);
    if (rc != 0)
        return; /* not possible in this state: the state machine said so */
    int64_t given = policy_refunds(bk) - before;
    if (given != expected.refund_cents && violations++ < 5)
        TEST_FAILF("%s on %s (%s, %d days before, paid %lld): refund %lld, the policy says %lld", action, bk->app_id,
                   a.status, (int)(bk->start_day - clock_today_days()), (long long)t.paid_cents, (long long)given,
                   (long long)expected.refund_cents);
}

static void goodwill(struct booking *bk)
{
    struct money_view v;
    struct store_application a = load(bk);
    if (money_view_of(conn, &arena, &a, &v) != DB_OK)
        return;
    int64_t left = v.received_cents - v.refunded_cents - v.refund_owed_cents;
    struct error err = {0};
    int64_t amount = left > 0 ? between(1, left + 100) : between(1, 100);
    int rc = money_goodwill_refund(conn, &arena, &staff, bk->app_id, amount, "property test", &err);
    if (amount <= left && rc != 0 && violations++ < 5)
        TEST_FAILF("a goodwill refund of %lld (left %lld) was refused: %s", (long long)amount, (long long)left,
                   err.detail != NULL ? err.detail : "?");
    if (amount > left && rc == 0 && violations++ < 5)
        TEST_FAILF("a goodwill refund of %lld beyond what is left (%lld) was taken", (long long)amount,
                   (long long)left);
}

static void send_refunds_by_hand(struct booking *bk)
{
    struct store_refund *refunds;
    size_t n = 0;
    if (store_refunds_of_application(conn, &arena, bk->app_id, &refunds, &n) != DB_OK)
        return;
    for (size_t i = 0; i < n; i++)
        if (strcmp(refunds[i].status, "owed") == 0 && rnd() % 2 == 0) {
            struct error err = {0};
            if (money_refund_mark_sent(conn, &arena, &staff, refunds[i].id, &err) != 0 && violations++ < 5)
                TEST_FAILF("marking refund %s sent failed: %s", refunds[i].id, err.detail != NULL ? err.detail : "?");
        }
}

/* One random event fit for the booking's status. */
static void one_event(struct booking *bk)
{
    struct store_application a = load(bk);
    const char *s = a.status;
    uint32_t pick = rnd() % 100;
    struct store_application after;
    struct error err = {0};
    if (strcmp(s, "held") == 0) {
        if (pick < 35)
            pay(bk, MONEY_PLAN_DEPOSIT, pick < 10 ? -between(1, 20000) : pick < 15 ? between(1, 5000) : 0);
        else if (pick < 55)
            pay(bk, MONEY_PLAN_FULL, pick < 40 ? between(1, 30000) : 0);
        else if (pick < 65)
            application_transition(conn, &arena, bk->app_id, "book", &staff, "paid by hand", &after, &err);
        else if (pick < 75)
            end_booking(bk, "withdraw", &bk->student, REFUND_CAUSE_STUDENT);
        else if (pick < 85)
            end_booking(bk, "cancel", &staff, REFUND_CAUSE_HOST);
        else {
            /* The hold runs out. */
            clock_set_offset(clock_now() - time(NULL) + 8 * DAY);
            int moved = 0;
            application_expire_due(conn, &arena, &moved);
        }
        return;
    }
    if (strcmp(s, "booked") == 0 || strcmp(s, "cleared") == 0) {
        int32_t today = clock_today_days();
        if (pick < 25) {
            pay(bk, MONEY_PLAN_BALANCE, pick < 8 ? -between(1, 50000) : pick < 12 ? between(1, 9000) : 0);
        } else if (pick < 45) {
            /* The student cancels on a random day from now to the first day. */
            if (today < bk->start_day)
                set_today((int32_t)between(today, bk->start_day));
            end_booking(bk, "cancel", &bk->student, REFUND_CAUSE_STUDENT);
        } else if (pick < 55) {
            static const enum refund_cause causes[] = {REFUND_CAUSE_HOST, REFUND_CAUSE_CANNOT_HAPPEN,
                                                       REFUND_CAUSE_VISA_REFUSED};
            end_booking(bk, "cancel", &staff, causes[rnd() % 3]);
        } else if (pick < 62) {
            end_booking(bk, "no_show", &staff, REFUND_CAUSE_STUDENT);
        } else if (pick < 72) {
            /* The balance's date passes: the sweeper releases an unpaid one. */
            struct store_money_terms t;
            if (store_money_terms_get(conn, &arena, bk->app_id, &t) == DB_ROW && t.balance_due_on != NULL) {
                set_today(clock_days_from_date(t.balance_due_on) + 1);
                struct money_view v;
                bool unpaid = money_view_of(conn, &arena, &a, &v) == DB_OK && v.balance_cents > 0;
                struct money_jobs_report report = {0};
                int64_t before = policy_refunds(bk);
                struct refund_policy policy;
                refund_policy_decode(&arena, t.refund_policy, &policy);
                struct refund_question q = {&policy, bk->start_day, clock_today_days(), t.paid_cents, t.fee_cents,
                                            REFUND_CAUSE_STUDENT};
                struct refund_answer expected;
                refund_quote(&q, &expected);
                int64_t left = refundable(bk);
                if (expected.refund_cents > left)
                    expected.refund_cents = left > 0 ? left : 0;
                /* Other sequences' bookings may be due too: run until the sweeper has nothing more to release. */
                for (int round = 0; round < 100; round++) {
                    report.released = 0;
                    money_run_jobs(conn, &arena, &report);
                    if (report.released == 0)
                        break;
                }
                struct store_application now = load(bk);
                if (unpaid && strcmp(now.status, "balance_unpaid") != 0 && violations++ < 5)
                    TEST_FAILF("%s: an unpaid balance past its date was not released (%s)", bk->app_id, now.status);
                if (unpaid && policy_refunds(bk) - before != expected.refund_cents && violations++ < 5)
                    TEST_FAILF("%s: the release refunded %lld, the policy says %lld", bk->app_id,
                               (long long)(policy_refunds(bk) - before), (long long)expected.refund_cents);
            }
        } else if (pick < 80 && strcmp(s, "booked") == 0) {
            application_transition(conn, &arena, bk->app_id, "clear", &staff, "", &after, &err);
        } else if (pick < 90) {
            set_today(bk->start_day);
            if (strcmp(s, "booked") == 0)
                application_transition(conn, &arena, bk->app_id, "clear", &staff, "", &after, &err);
            application_transition(conn, &arena, bk->app_id, "start", &staff, "", &after, &err);
        } else {
            goodwill(bk);
        }
        return;
    }
    if (strcmp(s, "in_progress") == 0) {
        if (pick < 40)
            application_transition(conn, &arena, bk->app_id, "complete", &staff, "", &after, &err);
        else if (pick < 60)
            goodwill(bk);
        else
            pay(bk, MONEY_PLAN_BALANCE, 0);
        return;
    }
    /* Closed: goodwill, or refunds sent by hand. */
    if (pick < 30)
        goodwill(bk);
    else
        send_refunds_by_hand(bk);
}

static bool new_booking(struct booking *bk)
{
    memset(bk, 0, sizeof(*bk));
    clock_set_offset(0);
    bk->student = add_user("student", "Property Tester");
    int32_t start = clock_today_days() + (int32_t)between(3, 200);
    char from[11], to[11];
    clock_date_from_days(start, from);
    clock_date_from_days(start + 27, to);
    struct store_block b = {.id = unique("b_"), .offering_id = offering_id, .start_date = arena_strdup(&arena, from),
                            .end_date = arena_strdup(&arena, to), .seats = 2, .created_at = clock_now()};
    if (store_block_insert(conn, &b) != DB_OK)
        return false;
    bk->start_day = start;
    struct store_application a;
    struct error err = {0};
    if (application_submit(conn, &arena, &bk->student, b.id, "property", NULL, 0, &a, &err) != 0) {
        TEST_FAILF("submitting failed: %s", err.detail != NULL ? err.detail : "?");
        return false;
    }
    bk->app_id = a.id;
    struct store_application after;
    return application_transition(conn, &arena, a.id, "offer", &staff, "", &after, &err) == 0 &&
           application_transition(conn, &arena, a.id, "accept", &bk->student, "", &after, &err) == 0;
}

TEST(random_sequences_keep_the_ledger_sound_and_refunds_as_the_policy_says)
{
    const char *n_text = getenv("ROUNDS_PROPERTY_SEQUENCES");
    long sequences = n_text != NULL ? strtol(n_text, NULL, 10) : 2000;
    int64_t events = 0;
    for (long i = 0; i < sequences && violations < 5; i++) {
        struct booking bk;
        if (!new_booking(&bk))
            break;
        check_signs(&bk, "accept");
        int length = (int)between(2, 9);
        for (int k = 0; k < length; k++) {
            one_event(&bk);
            check_signs(&bk, load(&bk).status);
            if (getenv("ROUNDS_PROPERTY_TRACE") != NULL) {
                struct store_money_terms t;
                store_money_terms_get(conn, &arena, bk.app_id, &t);
                printf("  trace %s: %s paid %lld of %lld, deposit %lld, day %d of %d\n", bk.app_id, load(&bk).status,
                       (long long)t.paid_cents, (long long)t.price_cents, (long long)t.deposit_due_cents,
                       (int)clock_today_days(), (int)bk.start_day);
            }
            events++;
        }
        clock_set_offset(0);
        arena_heap_free(&arena); /* this sequence's memory */
        arena_heap_init(&arena);
    }
    printf("  %ld sequences, %lld events\n", sequences, (long long)events);
    /* Everything the host earned is paid out, a year on. */
    clock_set_offset(400LL * DAY);
    for (int m = -1; m < 14; m++) {
        char day[11], month[8];
        clock_date_from_days(clock_today_days() - 400 + 31 * m, day);
        snprintf(month, sizeof(month), "%.7s", day);
        struct store_payout p;
        struct error err = {0};
        money_payout_mark_sent(conn, &arena, &staff, org_id, month, "property test", &p, &err);
    }
    clock_set_offset(0);
    struct ledger_check_report report;
    CHECK_INT(money_check_statements(conn, &arena, &report), DB_OK);
    CHECK(report.ok);
    if (!report.ok)
        printf("  %s\n", report.problem);
    CHECK(report.statements >= sequences);
    CHECK_INT(balance_of(LEDGER_HOST_PAYABLE, org_id) <= 0, 1);
    CHECK_INT(violations, 0);
}

int main(void)
{
    const char *seed = getenv("ROUNDS_PROPERTY_SEED");
    rng_state = seed != NULL ? strtoull(seed, NULL, 10) : (uint64_t)time(NULL) * 2654435761u + (uint64_t)getpid();
    if (rng_state == 0)
        rng_state = 1;
    printf("seed: %llu (ROUNDS_PROPERTY_SEED replays it)\n", (unsigned long long)rng_state);
    if (!store_fixture_open("store-money", FIXTURE_FOLDER_ALWAYS))
        return 1;
    arena_heap_init(&world_arena);
    /* A throwaway file: no need to wait for the disk after each of the thousands of commits. */
    if (strcmp(db_backend_name(conn), "sqlite") == 0)
        db_exec(conn, "PRAGMA synchronous = OFF");
    if (!store_fixture_migrate())
        return 1;
    struct payments_settings settings = {.bank_transfer_details = "Account: 1", .public_url = "http://127.0.0.1"};
    char why[128];
    if (!payments_configure(&settings, why, sizeof(why)) || !world()) {
        printf("setting up failed\n");
        return 1;
    }
    RUN(random_sequences_keep_the_ledger_sound_and_refunds_as_the_policy_says);
    arena_heap_free(&world_arena);
    return store_fixture_close("store_money");
}
