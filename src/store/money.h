/* money.h — the store's side of money (sql/…/0014_money.sql): the terms an
 * application is held on, checkouts, payments received, refunds, payouts and
 * the provider events already processed, plus the sums `rounds ledger check`
 * compares with the ledger. The ledger itself is store/ledger.h. */
#ifndef ROUNDS_STORE_MONEY_H
#define ROUNDS_STORE_MONEY_H

#include "store/store.h"

/* ---- an application's money ---- */

/* The terms fixed when the student accepts, and what was paid towards them. */
struct store_money_terms {
    int64_t price_cents, fee_cents, deposit_due_cents, paid_cents, balance_reminders;
    const char *balance_due_on; /* YYYY-MM-DD, or NULL before the terms are set */
    const char *refund_policy;  /* the policy as stored ("" = the default) */
};

int store_money_terms_get(struct db_conn *conn, struct arena *arena, const char *application_id,
                          struct store_money_terms *out);
int store_money_terms_set(struct db_conn *conn, const char *application_id, const struct store_money_terms *terms);
/* paid_cents += amount. */
int store_money_add_paid(struct db_conn *conn, const char *application_id, int64_t amount);
/* Sets reminder bit `bit` if it was not set: DB_OK when this call set it, DB_DONE when it already was. */
int store_money_claim_reminder(struct db_conn *conn, const char *application_id, int64_t bit);
/* Booked or cleared applications with a balance left whose due date is on or
 * before `until` (YYYY-MM-DD): ids, at most limit. */
int store_money_balances_due(struct db_conn *conn, struct arena *arena, const char *until, int limit,
                             const char ***ids, size_t *count);

/* ---- checkouts ---- */

struct store_checkout {
    const char *id, *application_id, *provider, *plan, *status, *reference, *provider_ref, *redirect_url;
    int64_t amount_cents, created_at, expires_at, closed_at;
};

int store_checkout_insert(struct db_conn *conn, const struct store_checkout *c);
int store_checkout_get(struct db_conn *conn, struct arena *arena, const char *id, struct store_checkout *out);
/* By a bank transfer's reference (case as stored), or by the provider's session id. */
int store_checkout_by_reference(struct db_conn *conn, struct arena *arena, const char *reference,
                                struct store_checkout *out);
int store_checkout_by_provider_ref(struct db_conn *conn, struct arena *arena, const char *provider_ref,
                                   struct store_checkout *out);
/* The open checkout of an application for a provider and plan, if any (DB_ROW / DB_DONE). */
int store_checkout_open_for(struct db_conn *conn, struct arena *arena, const char *application_id,
                            const char *provider, const char *plan, int64_t now, struct store_checkout *out);
int store_checkout_set_session(struct db_conn *conn, const char *id, const char *provider_ref,
                               const char *redirect_url);
/* Moves an open (or failed/expired: a late payment still counts) checkout to
 * status; DB_DONE when it is already paid. */
int store_checkout_close(struct db_conn *conn, const char *id, const char *status, int64_t now);
int store_checkouts_of_application(struct db_conn *conn, struct arena *arena, const char *application_id,
                                   struct store_checkout **out, size_t *count);
/* Open checkouts of a provider, newest first, with the application's student and rotation. */
struct store_open_checkout {
    struct store_checkout checkout;
    const char *student_name, *student_email, *offering_title;
};
int store_checkouts_open(struct db_conn *conn, struct arena *arena, const char *provider, int limit,
                         struct store_open_checkout **out, size_t *count);

/* ---- payments received ---- */

struct store_payment {
    const char *id, *application_id, *checkout_id, *provider, *provider_ref, *received_on, *recorded_by, *note;
    int64_t amount_cents, expected_cents, created_at;
    /* Joined for reading. */
    const char *student_id, *student_name, *offering_title, *block_start, *recorded_by_name;
};

int store_payment_insert(struct db_conn *conn, const struct store_payment *p);
int store_payment_get(struct db_conn *conn, struct arena *arena, const char *id, struct store_payment *out);
int store_payments_of_application(struct db_conn *conn, struct arena *arena, const char *application_id,
                                  struct store_payment **out, size_t *count);
/* Payments whose amount differs from what was asked, newest first. */
int store_payments_differing(struct db_conn *conn, struct arena *arena, int limit, struct store_payment **out,
                             size_t *count);

/* ---- refunds ---- */

struct store_refund {
    const char *id, *application_id, *payment_id, *provider, *reason, *note, *status, *provider_ref, *last_error;
    const char *created_by, *sent_by;
    int64_t amount_cents, attempts, next_attempt_at, created_at, sent_at;
    /* Joined for reading. */
    const char *student_name, *student_email, *offering_title, *payment_ref, *created_by_name;
};

int store_refund_insert(struct db_conn *conn, const struct store_refund *r);
int store_refund_get(struct db_conn *conn, struct arena *arena, const char *id, struct store_refund *out);
/* owed → sent; DB_DONE when it was not owed. */
int store_refund_mark_sent(struct db_conn *conn, const char *id, const char *provider_ref, const char *sent_by,
                           int64_t now);
int store_refund_failed(struct db_conn *conn, const char *id, const char *error, int64_t next_attempt_at);
int store_refunds_of_application(struct db_conn *conn, struct arena *arena, const char *application_id,
                                 struct store_refund **out, size_t *count);
/* Refunds still owed (of provider, or any when NULL) due by now, oldest first. */
int store_refunds_owed(struct db_conn *conn, struct arena *arena, const char *provider, int64_t now, int limit,
                       struct store_refund **out, size_t *count);
/* Every refund still owed (of provider, or any), whenever due, oldest first:
 * those after (after_created, after_id), or from the first when after_id is
 * NULL; at most limit. */
int store_refunds_owed_page(struct db_conn *conn, struct arena *arena, const char *provider, int64_t after_created,
                            const char *after_id, int limit, struct store_refund **out, size_t *count);
/* What has been (or is being) refunded of one payment. */
int store_refunded_of_payment(struct db_conn *conn, const char *payment_id, int64_t *sum);

/* ---- payouts ---- */

struct store_payout {
    const char *id, *organization_id, *month, *note, *sent_by;
    int64_t amount_cents, sent_at;
};
/* DB_CONSTRAINT when the host's payout for that month is already recorded. */
int store_payout_insert(struct db_conn *conn, const struct store_payout *p);

/* What each host earned in a month (credits to its host_payable account in
 * transactions effective that month) and what was paid out for it. */
struct store_host_month {
    const char *organization_id, *organization_name;
    int64_t earned_cents, paid_out_cents, sent_at;
    const char *payout_id, *sent_by_name;
};
/* Hosts with earnings in month (YYYY-MM), by name; only organization_id's when not NULL. */
int store_host_months(struct db_conn *conn, struct arena *arena, const char *month, const char *organization_id,
                      struct store_host_month **out, size_t *count);
/* One line of a host's earnings: an entry to its host_payable account. */
struct store_earning_line {
    int64_t amount_cents, created_at;
    const char *kind, *effective_on, *application_id, *student_name, *offering_title;
};
/* The host's earnings lines of a month, oldest first (at most 1,000). */
int store_host_earning_lines(struct db_conn *conn, struct arena *arena, const char *organization_id,
                             const char *month, struct store_earning_line **out, size_t *count);

/* ---- provider events ---- */

/* Records that the event was processed: DB_OK the first time, DB_CONSTRAINT when it already was. */
int store_provider_event_claim(struct db_conn *conn, const char *provider, const char *event_id, const char *type,
                               int64_t now);

/* ---- what `rounds ledger check` compares ---- */

/* One application's money as its pages show it. */
struct store_money_row {
    const char *application_id, *status;
    int64_t price_cents, paid_cents, started; /* started: 1 once in progress or completed */
    int64_t payments_cents, refunds_owed_cents, refunds_sent_cents, overpaid_cents;
};
/* Every application with terms or money rows, to fn (strings valid during the call). */
int store_money_rows(struct db_conn *conn, void (*fn)(void *ctx, const struct store_money_row *row), void *ctx);

/* Per provider: what its payments brought in and its sent refunds gave back. */
struct store_provider_total {
    const char *provider;
    int64_t received_cents, refunded_cents;
};
int store_money_provider_totals(struct db_conn *conn, struct arena *arena, struct store_provider_total **out,
                                size_t *count, int64_t *payouts_cents);

#endif
