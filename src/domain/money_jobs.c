/* money_jobs.c — the money's background work, run by the jobs thread of
 * every instance: reminders 14 and 3 days before a balance is due, the
 * release of a seat whose balance is still unpaid after its date (with the
 * refund the policy gives, in the same transaction), and Stripe refunds still
 * owed. Each step claims its row with a conditional update, so two instances
 * never remind or release twice; Stripe refunds carry the refund's id as
 * Idempotency-Key, so a refund sent by two instances at once is one refund. */
#include <stdio.h>
#include <string.h>

#include "domain/applications.h"
#include "domain/money_internal.h"
#include "lib/cents.h"
#include "lib/clock.h"
#include "lib/log.h"

enum {
    MONEY_JOBS_BATCH = 100,
    REFUND_RETRY_FIRST_SECONDS = 60,
    REFUND_RETRY_MAX_SECONDS = 6 * 3600,
};

struct remind_ctx {
    struct arena *arena;
    const char *application_id;
    int64_t bit;
    bool sent;
};

static int remind_tx(struct db_conn *conn, void *p)
{
    struct remind_ctx *c = p;
    struct store_application a;
    struct store_money_terms t = {0};
    int rc = store_application_get(conn, c->arena, c->application_id, &a);
    if (rc == DB_ROW)
        rc = store_money_terms_get(conn, c->arena, c->application_id, &t);
    if (rc != DB_ROW)
        return rc == DB_DONE ? DB_OK : rc;
    rc = store_money_claim_reminder(conn, a.id, c->bit);
    if (rc == DB_DONE)
        return DB_OK; /* another instance reminded first */
    if (rc != DB_OK)
        return rc;
    char title[256], amount[CENTS_TEXT_MAX], due[CLOCK_DATE_WORDS_SIZE];
    snprintf(title, sizeof(title), "Balance of %s for %s is due on %s", cents_format(amount, sizeof(amount),
             t.price_cents - t.paid_cents), a.offering_title, clock_date_words(t.balance_due_on, due));
    money_tell_student(conn, c->arena, &a, "balance_due", title);
    c->sent = true;
    return DB_OK;
}

/* Reminds and releases the balances due within 14 days or overdue. */
static int balances(struct db_conn *conn, struct arena *arena, struct money_jobs_report *report)
{
    int32_t today = clock_today_days();
    char until[11];
    clock_date_from_days(today + MONEY_REMINDER_EARLY_DAYS, until);
    const char **ids;
    size_t count = 0;
    int rc = store_money_balances_due(conn, arena, until, MONEY_JOBS_BATCH, &ids, &count);
    for (size_t i = 0; rc == DB_OK && i < count; i++) {
        struct store_money_terms t = {0};
        rc = store_money_terms_get(conn, arena, ids[i], &t);
        if (rc != DB_ROW)
            break;
        rc = DB_OK;
        int32_t days_left = clock_days_from_date(t.balance_due_on) - today;
        if (days_left < 0) {
            /* Unpaid after its date: the seat goes, with the refund the policy gives. */
            struct store_application after = {0};
            struct error err = {0};
            if (application_transition(conn, arena, ids[i], "release", NULL, "the balance was not paid by its date",
                                       &after, &err) == 0)
                report->released++;
            continue;
        }
        int64_t bits[2] = {days_left <= MONEY_REMINDER_EARLY_DAYS ? 1 : 0, days_left <= MONEY_REMINDER_LATE_DAYS ? 2 : 0};
        for (int b = 0; b < 2 && rc == DB_OK; b++) {
            if (bits[b] == 0 || (t.balance_reminders & bits[b]) != 0)
                continue;
            struct remind_ctx c = {arena, ids[i], bits[b], false};
            rc = db_run_tx(conn, true, remind_tx, &c);
            report->reminders += c.sent;
        }
    }
    return rc;
}

struct sent_ctx {
    struct arena *arena;
    const struct store_refund *r;
    const char *ref;
};

static int mark_sent_tx(struct db_conn *conn, void *p)
{
    struct sent_ctx *c = p;
    int rc = money_refund_sent(conn, c->arena, c->r, c->ref, NULL);
    return rc == DB_DONE ? DB_OK : rc; /* another instance recorded it first */
}

/* Sends the Stripe refunds still owed: the network call outside any
 * transaction, then the outcome (sent, or tried again later with backoff). */
static int stripe_refunds(struct db_conn *conn, struct arena *arena, struct money_jobs_report *report)
{
    const struct payment_provider *stripe = payments_provider(PAYMENT_STRIPE);
    if (stripe == NULL || stripe->give_back == NULL)
        return DB_OK; /* this instance does not talk to Stripe */
    struct store_refund *owed;
    size_t count = 0;
    int rc = store_refunds_owed(conn, arena, "stripe", clock_now(), MONEY_JOBS_BATCH, &owed, &count);
    for (size_t i = 0; rc == DB_OK && i < count; i++) {
        const struct store_refund *r = &owed[i];
        struct payment_give_back in = {r->id, r->payment_ref != NULL ? r->payment_ref : "", r->amount_cents};
        struct payment_given_back out;
        char error[PAYMENT_ERROR_MAX] = "the payment has no Stripe reference";
        if (r->payment_ref != NULL && stripe->give_back(&in, &out, error, sizeof(error)) == 0) {
            struct sent_ctx c = {arena, r, arena_strdup(arena, out.refund_ref)};
            rc = db_run_tx(conn, true, mark_sent_tx, &c);
            report->refunds_sent += rc == DB_OK;
            continue;
        }
        int64_t backoff = REFUND_RETRY_FIRST_SECONDS;
        for (int64_t k = 0; k < r->attempts && backoff < REFUND_RETRY_MAX_SECONDS; k++)
            backoff *= 2;
        if (backoff > REFUND_RETRY_MAX_SECONDS)
            backoff = REFUND_RETRY_MAX_SECONDS;
        report->refunds_failed++;
        log_warn("msg=\"stripe refund failed; will try again\" refund=%s attempts=%lld", r->id,
                 (long long)r->attempts + 1);
        rc = store_refund_failed(conn, r->id, error, clock_now() + backoff);
    }
    return rc;
}

int money_run_jobs(struct db_conn *conn, struct arena *arena, struct money_jobs_report *report)
{
    int rc = balances(conn, arena, report);
    if (rc == DB_OK)
        rc = stripe_refunds(conn, arena, report);
    return rc;
}
