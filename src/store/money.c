/* money.c — the SQL of money: terms, checkouts, payments, refunds, payouts,
 * provider events and the check's sums; see money.h. */
#include "store/money.h"
#include "store/util.h"

#include <stdio.h>
#include <string.h>

/* ---- an application's money ---- */

int store_money_terms_get(struct db_conn *conn, struct arena *arena, const char *application_id,
                          struct store_money_terms *out)
{
    struct db_stmt *st = db_prepare(conn, "SELECT price_cents, fee_cents, deposit_due_cents, paid_cents,"
                                          " balance_reminders, balance_due_on, refund_policy"
                                          " FROM applications WHERE id = $1");
    db_bind_text(st, 1, application_id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        memset(out, 0, sizeof(*out));
        out->price_cents = db_column_int(st, 0);
        out->fee_cents = db_column_int(st, 1);
        out->deposit_due_cents = db_column_int(st, 2);
        out->paid_cents = db_column_int(st, 3);
        out->balance_reminders = db_column_int(st, 4);
        out->balance_due_on = store_column_dup(arena, st, 5);
        out->refund_policy = store_column_dup(arena, st, 6);
    }
    db_reset(st);
    return rc;
}

int store_money_terms_set(struct db_conn *conn, const char *application_id, const struct store_money_terms *t)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE applications SET price_cents = $2, fee_cents = $3,"
                                          " deposit_due_cents = $4, balance_due_on = $5, refund_policy = $6,"
                                          " balance_reminders = 0 WHERE id = $1");
    db_bind_text(st, 1, application_id);
    db_bind_int(st, 2, t->price_cents);
    db_bind_int(st, 3, t->fee_cents);
    db_bind_int(st, 4, t->deposit_due_cents);
    db_bind_text(st, 5, t->balance_due_on);
    db_bind_text(st, 6, t->refund_policy != NULL ? t->refund_policy : "");
    return store_run(st);
}

int store_money_add_paid(struct db_conn *conn, const char *application_id, int64_t amount)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE applications SET paid_cents = paid_cents + $2 WHERE id = $1");
    db_bind_text(st, 1, application_id);
    db_bind_int(st, 2, amount);
    return store_run(st);
}

int store_money_claim_reminder(struct db_conn *conn, const char *application_id, int64_t bit)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE applications SET balance_reminders = balance_reminders | $2"
                                          " WHERE id = $1 AND (balance_reminders & $2) = 0");
    db_bind_text(st, 1, application_id);
    db_bind_int(st, 2, bit);
    return store_change_one(st);
}

int store_money_balances_due(struct db_conn *conn, struct arena *arena, const char *until, int limit,
                             const char ***ids, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT id FROM applications WHERE status IN ('booked', 'cleared')"
                                          " AND balance_due_on <= $1 AND paid_cents < price_cents"
                                          " ORDER BY balance_due_on, id LIMIT $2");
    db_bind_text(st, 1, until);
    db_bind_int(st, 2, limit);
    return store_read_ids(arena, st, ids, count);
}

/* ---- checkouts ---- */

int store_checkout_insert(struct db_conn *conn, const struct store_checkout *c)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO checkouts (id, application_id, provider, plan, amount_cents,"
                                          " status, reference, provider_ref, redirect_url, created_at, expires_at)"
                                          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)");
    db_bind_text(st, 1, c->id);
    db_bind_text(st, 2, c->application_id);
    db_bind_text(st, 3, c->provider);
    db_bind_text(st, 4, c->plan);
    db_bind_int(st, 5, c->amount_cents);
    db_bind_text(st, 6, c->status);
    db_bind_text(st, 7, c->reference);
    db_bind_text(st, 8, c->provider_ref);
    db_bind_text(st, 9, c->redirect_url);
    db_bind_int(st, 10, c->created_at);
    db_bind_int(st, 11, c->expires_at);
    return store_run(st);
}

#define CHECKOUT_COLUMNS                                                                                        \
    "c.id, c.application_id, c.provider, c.plan, c.status, c.reference, c.provider_ref, c.redirect_url,"      \
    " c.amount_cents, c.created_at, c.expires_at, COALESCE(c.closed_at, 0)"

static void read_checkout(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_checkout *c = item;
    c->id = store_column_dup(arena, st, 0);
    c->application_id = store_column_dup(arena, st, 1);
    c->provider = store_column_dup(arena, st, 2);
    c->plan = store_column_dup(arena, st, 3);
    c->status = store_column_dup(arena, st, 4);
    c->reference = store_column_dup(arena, st, 5);
    c->provider_ref = store_column_dup(arena, st, 6);
    c->redirect_url = store_column_dup(arena, st, 7);
    c->amount_cents = db_column_int(st, 8);
    c->created_at = db_column_int(st, 9);
    c->expires_at = db_column_int(st, 10);
    c->closed_at = db_column_int(st, 11);
}

static int one_checkout(struct arena *arena, struct db_stmt *st, struct store_checkout *out)
{
    return store_read_one(arena, st, read_checkout, sizeof(*out), out);
}

int store_checkout_get(struct db_conn *conn, struct arena *arena, const char *id, struct store_checkout *out)
{
    struct db_stmt *st = db_prepare(conn, "SELECT " CHECKOUT_COLUMNS " FROM checkouts c WHERE c.id = $1");
    db_bind_text(st, 1, id);
    return one_checkout(arena, st, out);
}

int store_checkout_by_reference(struct db_conn *conn, struct arena *arena, const char *reference,
                                struct store_checkout *out)
{
    struct db_stmt *st = db_prepare(conn, "SELECT " CHECKOUT_COLUMNS " FROM checkouts c WHERE c.reference = $1");
    db_bind_text(st, 1, reference);
    return one_checkout(arena, st, out);
}

int store_checkout_by_provider_ref(struct db_conn *conn, struct arena *arena, const char *provider_ref,
                                   struct store_checkout *out)
{
    struct db_stmt *st = db_prepare(conn, "SELECT " CHECKOUT_COLUMNS " FROM checkouts c WHERE c.provider_ref = $1");
    db_bind_text(st, 1, provider_ref);
    return one_checkout(arena, st, out);
}

int store_checkout_open_for(struct db_conn *conn, struct arena *arena, const char *application_id,
                            const char *provider, const char *plan, int64_t now, struct store_checkout *out)
{
    struct db_stmt *st = db_prepare(conn, "SELECT " CHECKOUT_COLUMNS " FROM checkouts c WHERE c.application_id = $1"
                                          " AND c.provider = $2 AND c.plan = $3 AND c.status = 'open'"
                                          " AND c.expires_at > $4 ORDER BY c.created_at DESC LIMIT 1");
    db_bind_text(st, 1, application_id);
    db_bind_text(st, 2, provider);
    db_bind_text(st, 3, plan);
    db_bind_int(st, 4, now);
    return one_checkout(arena, st, out);
}

int store_checkout_set_session(struct db_conn *conn, const char *id, const char *provider_ref,
                               const char *redirect_url)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE checkouts SET provider_ref = $2, redirect_url = $3 WHERE id = $1");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, provider_ref);
    db_bind_text(st, 3, redirect_url);
    return store_run(st);
}

int store_checkout_close(struct db_conn *conn, const char *id, const char *status, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE checkouts SET status = $2, closed_at = $3"
                                          " WHERE id = $1 AND status <> 'paid'");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, status);
    db_bind_int(st, 3, now);
    return store_change_one(st);
}

int store_checkouts_of_application(struct db_conn *conn, struct arena *arena, const char *application_id,
                                   struct store_checkout **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT " CHECKOUT_COLUMNS " FROM checkouts c WHERE c.application_id = $1"
                                          " ORDER BY c.created_at, c.id LIMIT 200");
    db_bind_text(st, 1, application_id);
    return store_read_rows(arena, st, read_checkout, sizeof(**out), (void **)out, count);
}

static void read_open_checkout(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_open_checkout *c = item;
    read_checkout(arena, st, &c->checkout);
    c->student_name = store_column_dup(arena, st, 12);
    c->student_email = store_column_dup(arena, st, 13);
    c->offering_title = store_column_dup(arena, st, 14);
}

int store_checkouts_open(struct db_conn *conn, struct arena *arena, const char *provider, int limit,
                         struct store_open_checkout **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT " CHECKOUT_COLUMNS ", u.name, u.email, o.title"
                                          " FROM checkouts c JOIN applications a ON a.id = c.application_id"
                                          " JOIN users u ON u.id = a.student_id JOIN offerings o ON o.id = a.offering_id"
                                          " WHERE c.status = 'open' AND c.provider = $1"
                                          " ORDER BY c.created_at DESC, c.id LIMIT $2");
    db_bind_text(st, 1, provider);
    db_bind_int(st, 2, limit);
    return store_read_rows(arena, st, read_open_checkout, sizeof(**out), (void **)out, count);
}

/* ---- payments ---- */

int store_payment_insert(struct db_conn *conn, const struct store_payment *p)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO payments (id, application_id, checkout_id, provider,"
                                          " amount_cents, expected_cents, provider_ref, received_on, recorded_by,"
                                          " note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)");
    db_bind_text(st, 1, p->id);
    db_bind_text(st, 2, p->application_id);
    db_bind_text(st, 3, p->checkout_id);
    db_bind_text(st, 4, p->provider);
    db_bind_int(st, 5, p->amount_cents);
    db_bind_int(st, 6, p->expected_cents);
    db_bind_text(st, 7, p->provider_ref);
    db_bind_text(st, 8, p->received_on);
    db_bind_text(st, 9, p->recorded_by);
    db_bind_text(st, 10, p->note != NULL ? p->note : "");
    db_bind_int(st, 11, p->created_at);
    return store_run(st);
}

#define PAYMENT_SELECT                                                                                          \
    "SELECT p.id, p.application_id, p.checkout_id, p.provider, p.provider_ref, p.received_on, p.recorded_by,"  \
    " p.note, p.amount_cents, p.expected_cents, p.created_at, a.student_id, u.name, o.title, b.start_date,"    \
    " r.name FROM payments p JOIN applications a ON a.id = p.application_id JOIN users u ON u.id = a.student_id" \
    " JOIN offerings o ON o.id = a.offering_id JOIN blocks b ON b.id = a.block_id"                             \
    " LEFT JOIN users r ON r.id = p.recorded_by "

static void read_payment(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_payment *p = item;
    p->id = store_column_dup(arena, st, 0);
    p->application_id = store_column_dup(arena, st, 1);
    p->checkout_id = store_column_dup(arena, st, 2);
    p->provider = store_column_dup(arena, st, 3);
    p->provider_ref = store_column_dup(arena, st, 4);
    p->received_on = store_column_dup(arena, st, 5);
    p->recorded_by = store_column_dup(arena, st, 6);
    p->note = store_column_dup(arena, st, 7);
    p->amount_cents = db_column_int(st, 8);
    p->expected_cents = db_column_int(st, 9);
    p->created_at = db_column_int(st, 10);
    p->student_id = store_column_dup(arena, st, 11);
    p->student_name = store_column_dup(arena, st, 12);
    p->offering_title = store_column_dup(arena, st, 13);
    p->block_start = store_column_dup(arena, st, 14);
    p->recorded_by_name = store_column_dup(arena, st, 15);
}

static int read_payments(struct arena *arena, struct db_stmt *st, struct store_payment **out, size_t *count)
{
    return store_read_rows(arena, st, read_payment, sizeof(**out), (void **)out, count);
}

int store_payment_get(struct db_conn *conn, struct arena *arena, const char *id, struct store_payment *out)
{
    struct db_stmt *st = db_prepare(conn, PAYMENT_SELECT "WHERE p.id = $1");
    db_bind_text(st, 1, id);
    return store_read_one(arena, st, read_payment, sizeof(*out), out);
}

int store_payments_of_application(struct db_conn *conn, struct arena *arena, const char *application_id,
                                  struct store_payment **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, PAYMENT_SELECT "WHERE p.application_id = $1 ORDER BY p.created_at, p.id"
                                                         " LIMIT 200");
    db_bind_text(st, 1, application_id);
    return read_payments(arena, st, out, count);
}

int store_payments_differing(struct db_conn *conn, struct arena *arena, int limit, struct store_payment **out,
                             size_t *count)
{
    struct db_stmt *st = db_prepare(conn, PAYMENT_SELECT "WHERE p.expected_cents > 0"
                                                         " AND p.amount_cents <> p.expected_cents"
                                                         " ORDER BY p.created_at DESC, p.id LIMIT $1");
    db_bind_int(st, 1, limit);
    return read_payments(arena, st, out, count);
}

/* ---- refunds ---- */

int store_refund_insert(struct db_conn *conn, const struct store_refund *r)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO refunds (id, application_id, payment_id, provider,"
                                          " amount_cents, reason, note, status, provider_ref, created_by, created_at,"
                                          " sent_at, sent_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,"
                                          " $12, $13)");
    db_bind_text(st, 1, r->id);
    db_bind_text(st, 2, r->application_id);
    db_bind_text(st, 3, r->payment_id);
    db_bind_text(st, 4, r->provider);
    db_bind_int(st, 5, r->amount_cents);
    db_bind_text(st, 6, r->reason);
    db_bind_text(st, 7, r->note != NULL ? r->note : "");
    db_bind_text(st, 8, r->status);
    db_bind_text(st, 9, r->provider_ref);
    db_bind_text(st, 10, r->created_by);
    db_bind_int(st, 11, r->created_at);
    if (r->sent_at > 0)
        db_bind_int(st, 12, r->sent_at);
    else
        db_bind_null(st, 12);
    db_bind_text(st, 13, r->sent_by);
    return store_run(st);
}

#define REFUND_SELECT                                                                                           \
    "SELECT f.id, f.application_id, f.payment_id, f.provider, f.reason, f.note, f.status, f.provider_ref,"     \
    " f.last_error, f.created_by, f.sent_by, f.amount_cents, f.attempts, f.next_attempt_at, f.created_at,"    \
    " COALESCE(f.sent_at, 0), u.name, u.email, o.title, p.provider_ref, c.name"                               \
    " FROM refunds f JOIN applications a ON a.id = f.application_id JOIN users u ON u.id = a.student_id"      \
    " JOIN offerings o ON o.id = a.offering_id JOIN payments p ON p.id = f.payment_id"                        \
    " LEFT JOIN users c ON c.id = f.created_by "

static void read_refund(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_refund *r = item;
    r->id = store_column_dup(arena, st, 0);
    r->application_id = store_column_dup(arena, st, 1);
    r->payment_id = store_column_dup(arena, st, 2);
    r->provider = store_column_dup(arena, st, 3);
    r->reason = store_column_dup(arena, st, 4);
    r->note = store_column_dup(arena, st, 5);
    r->status = store_column_dup(arena, st, 6);
    r->provider_ref = store_column_dup(arena, st, 7);
    r->last_error = store_column_dup(arena, st, 8);
    r->created_by = store_column_dup(arena, st, 9);
    r->sent_by = store_column_dup(arena, st, 10);
    r->amount_cents = db_column_int(st, 11);
    r->attempts = db_column_int(st, 12);
    r->next_attempt_at = db_column_int(st, 13);
    r->created_at = db_column_int(st, 14);
    r->sent_at = db_column_int(st, 15);
    r->student_name = store_column_dup(arena, st, 16);
    r->student_email = store_column_dup(arena, st, 17);
    r->offering_title = store_column_dup(arena, st, 18);
    r->payment_ref = store_column_dup(arena, st, 19);
    r->created_by_name = store_column_dup(arena, st, 20);
}

static int read_refunds(struct arena *arena, struct db_stmt *st, struct store_refund **out, size_t *count)
{
    return store_read_rows(arena, st, read_refund, sizeof(**out), (void **)out, count);
}

int store_refund_get(struct db_conn *conn, struct arena *arena, const char *id, struct store_refund *out)
{
    struct db_stmt *st = db_prepare(conn, REFUND_SELECT "WHERE f.id = $1");
    db_bind_text(st, 1, id);
    return store_read_one(arena, st, read_refund, sizeof(*out), out);
}

int store_refund_mark_sent(struct db_conn *conn, const char *id, const char *provider_ref, const char *sent_by,
                           int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE refunds SET status = 'sent', provider_ref = $2, sent_by = $3,"
                                          " sent_at = $4, last_error = NULL WHERE id = $1 AND status = 'owed'");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, provider_ref);
    db_bind_text(st, 3, sent_by);
    db_bind_int(st, 4, now);
    return store_change_one(st);
}

int store_refund_failed(struct db_conn *conn, const char *id, const char *error, int64_t next_attempt_at)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE refunds SET attempts = attempts + 1, last_error = $2,"
                                          " next_attempt_at = $3 WHERE id = $1 AND status = 'owed'");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, error);
    db_bind_int(st, 3, next_attempt_at);
    return store_run(st);
}

int store_refunds_of_application(struct db_conn *conn, struct arena *arena, const char *application_id,
                                 struct store_refund **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, REFUND_SELECT "WHERE f.application_id = $1 ORDER BY f.created_at, f.id"
                                                        " LIMIT 200");
    db_bind_text(st, 1, application_id);
    return read_refunds(arena, st, out, count);
}

int store_refunds_owed(struct db_conn *conn, struct arena *arena, const char *provider, int64_t now, int limit,
                       struct store_refund **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, REFUND_SELECT "WHERE f.status = 'owed'"
                                                        " AND (CAST($1 AS TEXT) IS NULL OR f.provider = $1)"
                                                        " AND f.next_attempt_at <= $2"
                                                        " ORDER BY f.created_at, f.id LIMIT $3");
    db_bind_text(st, 1, provider);
    db_bind_int(st, 2, now);
    db_bind_int(st, 3, limit);
    return read_refunds(arena, st, out, count);
}

int store_refunds_owed_page(struct db_conn *conn, struct arena *arena, const char *provider, int64_t after_created,
                            const char *after_id, int limit, struct store_refund **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, REFUND_SELECT "WHERE f.status = 'owed'"
                                                        " AND (CAST($1 AS TEXT) IS NULL OR f.provider = $1)"
                                                        " AND (CAST($2 AS TEXT) IS NULL OR f.created_at > $3"
                                                        " OR (f.created_at = $3 AND f.id > $2))"
                                                        " ORDER BY f.created_at, f.id LIMIT $4");
    db_bind_text(st, 1, provider);
    db_bind_text(st, 2, after_id);
    db_bind_int(st, 3, after_created);
    db_bind_int(st, 4, limit);
    return read_refunds(arena, st, out, count);
}

int store_refunded_of_payment(struct db_conn *conn, const char *payment_id, int64_t *sum)
{
    struct db_stmt *st = db_prepare(conn, "SELECT COALESCE(SUM(amount_cents), 0) FROM refunds WHERE payment_id = $1");
    db_bind_text(st, 1, payment_id);
    return store_one_int(st, sum);
}

/* ---- payouts and earnings ---- */

int store_payout_insert(struct db_conn *conn, const struct store_payout *p)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO payouts (id, organization_id, month, amount_cents, note,"
                                          " sent_by, sent_at) VALUES ($1, $2, $3, $4, $5, $6, $7)");
    db_bind_text(st, 1, p->id);
    db_bind_text(st, 2, p->organization_id);
    db_bind_text(st, 3, p->month);
    db_bind_int(st, 4, p->amount_cents);
    db_bind_text(st, 5, p->note != NULL ? p->note : "");
    db_bind_text(st, 6, p->sent_by);
    db_bind_int(st, 7, p->sent_at);
    return store_run(st);
}

enum { MONTH_BOUND_MAX = 24 };

/* "2027-01" (checked by the caller) → ["2027-01-01", "2027-02-01"). */
static void month_bounds(const char *month, char from[MONTH_BOUND_MAX], char to[MONTH_BOUND_MAX])
{
    int year = (month[0] - '0') * 1000 + (month[1] - '0') * 100 + (month[2] - '0') * 10 + (month[3] - '0');
    int m = (month[5] - '0') * 10 + (month[6] - '0');
    int next_year = m == 12 ? year + 1 : year, next_month = m == 12 ? 1 : m + 1;
    snprintf(from, MONTH_BOUND_MAX, "%04d-%02d-01", year, m);
    snprintf(to, MONTH_BOUND_MAX, "%04d-%02d-01", next_year, next_month);
}

static void read_host_month(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_host_month *h = item;
    h->organization_id = store_column_dup(arena, st, 0);
    h->organization_name = store_column_dup(arena, st, 1);
    h->earned_cents = db_column_int(st, 2);
    h->paid_out_cents = db_column_int(st, 3);
    h->sent_at = db_column_int(st, 4);
    h->payout_id = store_column_dup(arena, st, 5);
    h->sent_by_name = store_column_dup(arena, st, 6);
}

int store_host_months(struct db_conn *conn, struct arena *arena, const char *month, const char *organization_id,
                      struct store_host_month **out, size_t *count)
{
    char from[MONTH_BOUND_MAX], to[MONTH_BOUND_MAX];
    month_bounds(month, from, to);
    struct db_stmt *st = db_prepare(
        conn, "SELECT o.id, o.name, e.earned, COALESCE(po.amount_cents, 0), COALESCE(po.sent_at, 0), po.id, u.name"
              " FROM (SELECT t.organization_id AS org, -SUM(e.amount_cents) AS earned"
              "  FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id"
              "  WHERE t.effective_on >= $1 AND t.effective_on < $2 AND t.kind <> 'payout'"
              "  AND t.organization_id IS NOT NULL AND (CAST($3 AS TEXT) IS NULL OR t.organization_id = $3)"
              "  AND e.account = 'host_payable:' || t.organization_id GROUP BY t.organization_id) e"
              " JOIN organizations o ON o.id = e.org"
              " LEFT JOIN payouts po ON po.organization_id = o.id AND po.month = $4"
              " LEFT JOIN users u ON u.id = po.sent_by"
              " ORDER BY o.name, o.id LIMIT 1000");
    db_bind_text(st, 1, from);
    db_bind_text(st, 2, to);
    db_bind_text(st, 3, organization_id);
    db_bind_text(st, 4, month);
    return store_read_rows(arena, st, read_host_month, sizeof(**out), (void **)out, count);
}

static void read_earning_line(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_earning_line *l = item;
    l->amount_cents = db_column_int(st, 0);
    l->created_at = db_column_int(st, 1);
    l->kind = store_column_dup(arena, st, 2);
    l->effective_on = store_column_dup(arena, st, 3);
    l->application_id = store_column_dup(arena, st, 4);
    l->student_name = store_column_dup(arena, st, 5);
    l->offering_title = store_column_dup(arena, st, 6);
}

int store_host_earning_lines(struct db_conn *conn, struct arena *arena, const char *organization_id,
                             const char *month, struct store_earning_line **out, size_t *count)
{
    char from[MONTH_BOUND_MAX], to[MONTH_BOUND_MAX];
    month_bounds(month, from, to);
    struct db_stmt *st = db_prepare(
        conn, "SELECT -e.amount_cents, t.created_at, t.kind, t.effective_on, t.application_id, u.name, o.title"
              " FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id"
              " LEFT JOIN applications a ON a.id = t.application_id LEFT JOIN users u ON u.id = a.student_id"
              " LEFT JOIN offerings o ON o.id = a.offering_id"
              " WHERE t.organization_id = $1 AND t.effective_on >= $2 AND t.effective_on < $3"
              " AND e.account = 'host_payable:' || t.organization_id ORDER BY t.id LIMIT 1000");
    db_bind_text(st, 1, organization_id);
    db_bind_text(st, 2, from);
    db_bind_text(st, 3, to);
    return store_read_rows(arena, st, read_earning_line, sizeof(**out), (void **)out, count);
}

/* ---- provider events ---- */

int store_provider_event_claim(struct db_conn *conn, const char *provider, const char *event_id, const char *type,
                               int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO provider_events (provider, event_id, type, received_at)"
                                          " VALUES ($1, $2, $3, $4)");
    db_bind_text(st, 1, provider);
    db_bind_text(st, 2, event_id);
    db_bind_text(st, 3, type);
    db_bind_int(st, 4, now);
    return store_run(st);
}

/* ---- the check's sums ---- */

int store_money_rows(struct db_conn *conn, void (*fn)(void *ctx, const struct store_money_row *row), void *ctx)
{
    struct db_stmt *st = db_prepare(
        conn, "SELECT a.id, a.status, a.price_cents, a.paid_cents,"
              " CASE WHEN a.status IN ('in_progress', 'completed') THEN 1 ELSE 0 END,"
              " COALESCE(p.total, 0), COALESCE(r.owed, 0), COALESCE(r.sent, 0), COALESCE(r.over, 0)"
              " FROM applications a"
              " LEFT JOIN (SELECT application_id, SUM(amount_cents) AS total FROM payments GROUP BY application_id) p"
              "  ON p.application_id = a.id"
              " LEFT JOIN (SELECT application_id,"
              "  SUM(CASE WHEN status = 'owed' THEN amount_cents ELSE 0 END) AS owed,"
              "  SUM(CASE WHEN status = 'sent' THEN amount_cents ELSE 0 END) AS sent,"
              "  SUM(CASE WHEN reason = 'overpayment' THEN amount_cents ELSE 0 END) AS over"
              "  FROM refunds GROUP BY application_id) r ON r.application_id = a.id"
              " WHERE a.price_cents > 0 OR p.total IS NOT NULL OR r.owed IS NOT NULL");
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        struct store_money_row row = {
            .application_id = db_column_text(st, 0),
            .status = db_column_text(st, 1),
            .price_cents = db_column_int(st, 2),
            .paid_cents = db_column_int(st, 3),
            .started = db_column_int(st, 4),
            .payments_cents = db_column_int(st, 5),
            .refunds_owed_cents = db_column_int(st, 6),
            .refunds_sent_cents = db_column_int(st, 7),
            .overpaid_cents = db_column_int(st, 8),
        };
        fn(ctx, &row);
    }
    db_reset(st);
    return rc == DB_DONE ? DB_OK : rc;
}

static void read_provider_total(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_provider_total *t = item;
    t->provider = store_column_dup(arena, st, 0);
    t->received_cents = db_column_int(st, 1);
    t->refunded_cents = db_column_int(st, 2);
}

int store_money_provider_totals(struct db_conn *conn, struct arena *arena, struct store_provider_total **out,
                                size_t *count, int64_t *payouts_cents)
{
    struct db_stmt *st = db_prepare(
        conn, "SELECT provider, SUM(received), SUM(refunded) FROM ("
              " SELECT provider, amount_cents AS received, 0 AS refunded FROM payments"
              " UNION ALL SELECT provider, 0, amount_cents FROM refunds WHERE status = 'sent') t"
              " GROUP BY provider");
    int rc = store_read_rows(arena, st, read_provider_total, sizeof(**out), (void **)out, count);
    if (rc != DB_OK)
        return rc;
    st = db_prepare(conn, "SELECT COALESCE(SUM(amount_cents), 0) FROM payouts");
    return store_one_int(st, payouts_cents);
}
