/* money.h — what a booking costs and how the money moves (DESIGN.md §3):
 * prices on offerings, the terms an application is held on, checkouts
 * through a provider (payment_provider.h), payments received, cancellations
 * and releases with the refund the policy gives (refunds.h), refunds sent
 * back the way the money came, goodwill refunds, the host's share earned at
 * the start, payouts, reminders of a balance due, and the statement check.
 *
 * Every event posts one balanced ledger transaction (ledger.h) in the same
 * database transaction as the state change it belongs to:
 *
 *   accept (seat held)     charge     receivable +price / deferred −price
 *   payment received       payment    clearing +amount / receivable −applied, refunds_payable −excess
 *   cancel, release, exit  cancel     deferred +price / receivable −unpaid, refunds_payable −refund,
 *                                     revenue −fee kept, host_payable −rest kept
 *   the rotation starts    earn       deferred +price / revenue −fee, host_payable −tuition
 *   refund sent            refund     refunds_payable +amount / clearing −amount
 *   goodwill refund        goodwill   goodwill +amount / refunds_payable −amount
 *   payout sent            payout     host_payable +amount / clearing:bank_transfer −amount
 *
 * A price is tuition + the platform fee (application_fee_cents). What the
 * student pays goes to the fee first. The host's share becomes payable when
 * the rotation starts (or, of what the policy keeps, when a booking ends).
 * Any amount a client sends is ignored: amounts are computed here. */
#ifndef ROUNDS_DOMAIN_MONEY_H
#define ROUNDS_DOMAIN_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/ledger.h"
#include "domain/payment_provider.h"
#include "domain/refunds.h"
#include "domain/vocabulary.h"
#include "lib/arena.h"
#include "lib/errors.h"
#include "lib/limits.h"
#include "store/applications.h"
#include "store/money.h"

/* Rules of the schedule (the limits on what users send are in lib/limits.h). */
enum {
    MONEY_BALANCE_DUE_DAYS_DEFAULT = 45, /* the balance is due 45 days before the start unless the host says */
    MONEY_REMINDER_EARLY_DAYS = 14,      /* reminders of a balance due: 14 and 3 days before */
    MONEY_REMINDER_LATE_DAYS = 3,
};

/* ---- an offering's prices ---- */

/* tuition + platform fee. */
int64_t money_offering_price(const struct store_offering *o);
/* The deposit asked to book: deposit_percent of the price when set, else
 * deposit_cents; 0 (or a deposit of the whole price) means pay in full. */
int64_t money_offering_deposit(const struct store_offering *o);
/* Checks deposit (amount within the price, share 0–100, not both), the
 * balance's days (0–365) and the refund policy text. -1 with err naming the field. */
int money_check_offering_prices(struct arena *arena, const struct store_offering *o, struct error *err);

/* ---- an application's money, as every page and the API show it ---- */

enum money_plan { MONEY_PLAN_DEPOSIT, MONEY_PLAN_FULL, MONEY_PLAN_BALANCE, MONEY_PLAN_COUNT };
const char *money_plan_name(enum money_plan plan);   /* "deposit", "full", "balance" */
const char *money_plan_label(enum money_plan plan);  /* "Deposit", "Full price", "Balance" */
bool money_plan_from_name(const char *name, enum money_plan *out);

struct money_view {
    bool has_terms;             /* the student accepted: price, deposit and policy are fixed */
    int64_t price_cents, fee_cents, tuition_cents, deposit_due_cents, paid_cents;
    int64_t balance_cents;      /* price − paid */
    const char *balance_due_on; /* YYYY-MM-DD, NULL without terms */
    struct refund_policy policy;
    int32_t start_day;
    /* What the student may pay now, and how much each plan is. */
    bool can_pay[MONEY_PLAN_COUNT];
    int64_t plan_cents[MONEY_PLAN_COUNT];
    /* If the student cancelled today (booked or cleared: the policy; held: everything back). */
    bool cancellable;
    struct refund_answer cancel_today;
    /* Money received and owed back. */
    int64_t received_cents, refunded_cents, refund_owed_cents;
};

/* The view of an application's money: from its terms once accepted, else
 * from the offering's current prices. */
int money_view_of(struct db_conn *conn, struct arena *arena, const struct store_application *a,
                  struct money_view *out);

/* ---- the state machine's money (called by applications.c inside its transaction) ---- */

/* Posts what the move means (terms and charge on accept, a payment by hand on
 * staff's book, the refund on every exit, the host's share on start). Returns
 * a db_status; DB_CONSTRAINT with err set refuses the move. */
int money_on_move(struct db_conn *conn, struct arena *arena, const struct store_application *before,
                  const char *action, enum application_status to, const struct store_user *actor,
                  enum refund_cause cause, struct error *err);
/* The cause a cancellation is refunded under: the student's own, or the
 * host's unless staff name another (cannot_happen, visa_refused). */
bool money_cause_from_name(const char *name, enum refund_cause *out);
const char *money_cause_name(enum refund_cause cause);

/* ---- checkouts ---- */

struct money_checkout {
    struct store_checkout checkout;
    bool needs_provider;        /* Stripe: call money_checkout_collect off the event loop, then _started */
    const char *bank_details;   /* bank transfer: where to send it */
};

/* Opens (or reuses) a checkout for the student's application: the plan's
 * amount through method. The demo provider pays it at once (booked when it
 * covers the deposit). 404 when not the student's; 409 nothing_to_pay /
 * invalid_transition; 422 method_unavailable. */
int money_checkout_open(struct db_conn *conn, struct arena *arena, const struct store_user *student,
                        const char *application_id, enum payment_method method, enum money_plan plan,
                        struct money_checkout *out, struct error *err);
/* The provider call of a checkout, as a job for a worker thread: it blocks
 * for seconds and touches no database. init copies what the call needs; work
 * runs it; finish (back on the loop) records the session, or that the
 * provider could not be reached (the checkout fails, the seat stays held). */
struct money_collect_job {
    char checkout_id[64], application_id[64], provider[24];
    int64_t amount_cents, expires_at;
    char description[512], email[256];
    struct payment_collecting session;
    char error[PAYMENT_ERROR_MAX];
    int rc;
};
void money_collect_job_init(struct money_collect_job *job, const struct store_checkout *c,
                            const struct store_application *a, const char *customer_email, struct arena *arena);
void money_collect_work(void *job);
/* 0 with the checkout's redirect URL set, or -1 with err (502 provider_unavailable). */
int money_collect_finish(struct db_conn *conn, const struct money_collect_job *job, struct error *err);
/* "Deposit — Cardiology clerkship, Mar 1, 2027" into the arena. */
const char *money_checkout_description(struct arena *arena, const struct store_checkout *c,
                                       const struct store_application *a);

/* ---- provider events ---- */

enum money_event_outcome {
    MONEY_EVENT_APPLIED,      /* a payment was recorded */
    MONEY_EVENT_DUPLICATE,    /* this event id was processed before */
    MONEY_EVENT_IGNORED,      /* a type we do not act on, or not one of our checkouts */
};
/* A verified Stripe event (the signature is the caller's job): records a
 * completed Checkout Session's payment once per event id and once per
 * checkout. 400 (validation_failed) when the body is not a Stripe event. */
int money_stripe_event(struct db_conn *conn, struct arena *arena, const char *body, size_t len,
                       enum money_event_outcome *outcome, struct error *err);

/* ---- staff ---- */

/* A bank transfer that arrived: any amount against a checkout's reference. */
int money_record_transfer(struct db_conn *conn, struct arena *arena, const struct store_user *staff,
                          const char *reference, int64_t amount_cents, const char *received_on, const char *note,
                          struct store_payment *out, struct error *err);
/* A refund beyond the policy, with a reason (audited), up to what is left of what was paid. */
int money_goodwill_refund(struct db_conn *conn, struct arena *arena, const struct store_user *staff,
                          const char *application_id, int64_t amount_cents, const char *reason, struct error *err);
/* A refund sent by hand (bank transfer, a payment by hand) is marked sent. */
int money_refund_mark_sent(struct db_conn *conn, struct arena *arena, const struct store_user *staff,
                           const char *refund_id, struct error *err);
/* What a host earned in a month is paid out: 409 when already sent or nothing is owed, 422 for a month not yet over. */
int money_payout_mark_sent(struct db_conn *conn, struct arena *arena, const struct store_user *staff,
                           const char *organization_id, const char *month, const char *note,
                           struct store_payout *out, struct error *err);

/* ---- background work (the jobs thread, every instance) ---- */

struct money_jobs_report {
    int reminders, released, refunds_sent, refunds_failed;
};
/* Reminders 14 and 3 days before a balance is due, releases of balances
 * unpaid after their date, and Stripe refunds still owed. */
int money_run_jobs(struct db_conn *conn, struct arena *arena, struct money_jobs_report *report);

/* ---- the statement check (`rounds ledger check`) ---- */

/* The whole check: the book (ledger_check), then for each application with
 * money what its pages show (price, paid, payments, refunds owed and sent)
 * against its ledger accounts, and the providers' totals against their
 * clearing accounts. report as in ledger.h (statements counts the applications). */
int money_check_statements(struct db_conn *conn, struct arena *arena, struct ledger_check_report *report);

#endif
