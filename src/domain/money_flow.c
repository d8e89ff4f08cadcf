/* money_flow.c — money arriving and going back: payments received (from a
 * provider, a bank transfer recorded by staff, or by hand), refunds sent back
 * the way the money came, goodwill refunds, and payouts to hosts; see
 * money.h and money_internal.h. */
#include <stdio.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/applications.h"
#include "domain/money_internal.h"
#include "lib/cents.h"
#include "lib/clock.h"
#include "lib/log.h"

/* ---- payments ---- */

int money_receive(struct db_conn *conn, struct arena *arena, const char *application_id,
                  const struct money_arrival *in, struct store_payment *out, struct error *err)
{
    struct store_application a;
    struct store_money_terms t = {0};
    int rc = store_application_get(conn, arena, application_id, &a);
    if (rc == DB_ROW)
        rc = store_money_terms_get(conn, arena, application_id, &t);
    if (rc != DB_ROW)
        return rc == DB_DONE ? DB_ERROR : rc;
    /* Within the price of a live booking it counts as paid; anything else is owed back. */
    int64_t room = application_status_takes_seat(application_status_of(&a)) ? t.price_cents - t.paid_cents : 0;
    int64_t applied = in->amount_cents < room ? in->amount_cents : (room > 0 ? room : 0);
    int64_t excess = in->amount_cents - applied;
    memset(out, 0, sizeof(*out));
    out->id = money_new_id(arena, "p_");
    out->application_id = a.id;
    out->checkout_id = in->checkout_id;
    out->provider = payment_method_name(in->method);
    out->amount_cents = in->amount_cents;
    out->expected_cents = in->expected_cents;
    out->provider_ref = in->provider_ref;
    out->received_on = in->received_on != NULL ? in->received_on : money_today(arena);
    out->recorded_by = in->recorded_by;
    out->note = in->note != NULL ? in->note : "";
    out->created_at = clock_now();
    rc = store_payment_insert(conn, out);
    if (rc != DB_OK)
        return rc;
    struct ledger_draft d;
    ledger_draft_init(&d);
    ledger_draft_add(&d, LEDGER_CLEARING, payment_method_name(in->method), in->amount_cents);
    ledger_draft_add(&d, LEDGER_RECEIVABLE, a.id, -applied);
    ledger_draft_add(&d, LEDGER_REFUNDS_PAYABLE, a.id, -excess);
    struct store_ledger_transaction tx = {.kind = "payment", .application_id = a.id,
                                          .organization_id = a.organization_id, .reference = out->id,
                                          .memo = payment_method_label(in->method), .actor_id = in->recorded_by,
                                          .effective_on = out->received_on};
    rc = ledger_post(conn, &tx, &d);
    if (rc == DB_OK && applied > 0)
        rc = store_money_add_paid(conn, a.id, applied);
    if (rc == DB_OK && excess > 0)
        rc = money_refund_back(conn, arena, &a, excess, "overpayment",
                               applied > 0 ? "paid more than the price" : "paid for a booking that is not live",
                               in->recorded_by, out->id);
    if (rc != DB_OK)
        return rc;
    char title[256], amount[CENTS_TEXT_MAX];
    snprintf(title, sizeof(title), "Payment of %s received for %s", cents_format(amount, sizeof(amount),
             in->amount_cents), a.offering_title);
    money_tell_student(conn, arena, &a, "payment_received", title);
    /* A held seat whose deposit is now covered is booked. */
    if (in->may_book && application_status_of(&a) == APPLICATION_HELD && t.paid_cents + applied >= t.deposit_due_cents) {
        struct store_application after = {0};
        struct error refusal = {0};
        rc = application_transition_in_tx(conn, arena, a.id, "book", NULL, payment_method_label(in->method), &after,
                                          &refusal);
        if (rc == DB_CONSTRAINT) {
            /* The hold expired meanwhile: the payment stands and the release will give it back. */
            log_info("msg=\"payment on a hold that can no longer be booked\" application=%s", a.id);
            rc = DB_OK;
        }
    }
    (void)err;
    return rc;
}

/* ---- refunds ---- */

int money_refund_sent(struct db_conn *conn, struct arena *arena, const struct store_refund *r,
                      const char *provider_ref, const char *sent_by)
{
    (void)arena;
    int rc = store_refund_mark_sent(conn, r->id, provider_ref, sent_by, clock_now());
    if (rc != DB_OK)
        return rc;
    struct ledger_draft d;
    ledger_draft_init(&d);
    ledger_draft_move(&d, LEDGER_REFUNDS_PAYABLE, r->application_id, LEDGER_CLEARING, r->provider, r->amount_cents);
    struct store_ledger_transaction tx = {.kind = "refund_sent", .application_id = r->application_id,
                                          .reference = r->id, .memo = r->reason, .actor_id = sent_by};
    return ledger_post(conn, &tx, &d);
}

int money_refund_back(struct db_conn *conn, struct arena *arena, const struct store_application *a,
                      int64_t amount_cents, const char *reason, const char *note, const char *actor_id,
                      const char *only_payment_id)
{
    struct store_payment *payments;
    size_t count = 0;
    int rc = store_payments_of_application(conn, arena, a->id, &payments, &count);
    int64_t left = amount_cents;
    /* Newest payment first: the most recent money goes back first. */
    for (size_t k = count; rc == DB_OK && left > 0 && k > 0; k--) {
        const struct store_payment *p = &payments[k - 1];
        if (only_payment_id != NULL && strcmp(p->id, only_payment_id) != 0)
            continue;
        int64_t refunded = 0;
        rc = store_refunded_of_payment(conn, p->id, &refunded);
        int64_t take = p->amount_cents - refunded < left ? p->amount_cents - refunded : left;
        if (rc != DB_OK || take <= 0)
            continue;
        struct store_refund r = {.id = money_new_id(arena, "rf_"), .application_id = a->id, .payment_id = p->id,
                                 .provider = p->provider, .amount_cents = take, .reason = reason, .note = note,
                                 .status = "owed", .created_by = actor_id, .created_at = clock_now()};
        rc = store_refund_insert(conn, &r);
        enum payment_method method;
        if (rc == DB_OK && payment_method_from_name(p->provider, &method) && method == PAYMENT_DEMO)
            rc = money_refund_sent(conn, arena, &r, "demo", NULL); /* the demo provider gives back at once */
        left -= take;
    }
    if (rc == DB_OK && left > 0) {
        log_error("msg=\"a refund is larger than the payments it can go back through (a bug)\" application=%s "
                  "reason=%s amount=%lld left=%lld payments=%zu",
                  a->id, reason, (long long)amount_cents, (long long)left, count);
        return DB_ERROR;
    }
    return rc;
}

/* ---- staff ---- */

struct transfer_ctx {
    struct arena *arena;
    const struct store_user *staff;
    const char *reference, *received_on, *note;
    int64_t amount;
    struct store_payment *out;
    struct error *err;
};

static int transfer_tx(struct db_conn *conn, void *p)
{
    struct transfer_ctx *c = p;
    struct store_checkout checkout;
    int rc = store_checkout_by_reference(conn, c->arena, c->reference, &checkout);
    if (rc == DB_DONE || (rc == DB_ROW && strcmp(checkout.provider, "bank_transfer") != 0)) {
        error_set(c->err, ERR_UNPROCESSABLE, "reference", "no bank transfer checkout has this reference");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    if (rc != DB_ROW)
        return rc;
    /* Later transfers to the same reference (the rest of a partial payment) count too. */
    rc = store_checkout_close(conn, checkout.id, "paid", clock_now());
    if (rc != DB_OK && rc != DB_DONE)
        return rc;
    struct money_arrival arrival = {.method = PAYMENT_BANK_TRANSFER, .amount_cents = c->amount,
                                    .expected_cents = rc == DB_OK ? checkout.amount_cents : 0,
                                    .checkout_id = checkout.id, .received_on = c->received_on,
                                    .recorded_by = c->staff->id, .note = c->note, .may_book = true};
    rc = money_receive(conn, c->arena, checkout.application_id, &arrival, c->out, c->err);
    if (rc == DB_OK) {
        char detail[160];
        snprintf(detail, sizeof(detail), "bank transfer %s: %lld cents (asked %lld)", c->reference,
                 (long long)c->amount, (long long)arrival.expected_cents);
        rc = store_audit_add(conn, c->staff->id, AUDIT_PAYMENT_RECORDED, AUDIT_ON_APPLICATION, checkout.application_id,
                             detail, clock_now());
    }
    return rc;
}

/* Runs fn in a write transaction; a domain refusal comes back as -1 with err, a database failure as 503. */
static int run(struct db_conn *conn, int (*fn)(struct db_conn *, void *), void *ctx, struct error *err)
{
    err->code = ERR_NONE;
    int rc = db_run_tx(conn, true, fn, ctx);
    if (err->code != ERR_NONE)
        return -1;
    if (rc != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, "the database is not available; try again");
    return 0;
}

int money_record_transfer(struct db_conn *conn, struct arena *arena, const struct store_user *staff,
                          const char *reference, int64_t amount_cents, const char *received_on, const char *note,
                          struct store_payment *out, struct error *err)
{
    if (!account_has_role(staff, ROLE_STAFF))
        return error_set(err, ERR_FORBIDDEN, NULL, "only staff record bank transfers");
    if (amount_cents <= 0 || amount_cents > MONEY_AMOUNT_MAX_CENTS)
        return error_set(err, ERR_VALIDATION_FAILED, "amount_cents", "must be from 1 to " LIMIT_TEXT(MONEY_AMOUNT_MAX_CENTS) " cents");
    if (clock_days_from_date(received_on) > clock_today_days())
        return error_set(err, ERR_VALIDATION_FAILED, "received_on", "must not be in the future");
    /* References are shown in capitals; people type them in any case. */
    char upper[BANK_REFERENCE_MAX_BYTES + 1];
    size_t n = 0;
    for (const char *p = reference; *p != '\0' && n < BANK_REFERENCE_MAX_BYTES; p++)
        if (*p != ' ')
            upper[n++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
    upper[n] = '\0';
    struct transfer_ctx c = {arena, staff, upper, received_on, note, amount_cents, out, err};
    return run(conn, transfer_tx, &c, err);
}

struct goodwill_ctx {
    struct arena *arena;
    const struct store_user *staff;
    const char *application_id, *reason;
    int64_t amount;
    struct error *err;
};

static int goodwill_tx(struct db_conn *conn, void *p)
{
    struct goodwill_ctx *c = p;
    struct store_application a;
    int rc = store_application_get(conn, c->arena, c->application_id, &a);
    if (rc == DB_DONE) {
        error_set(c->err, ERR_NOT_FOUND, NULL, "no such application");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    if (rc != DB_ROW)
        return rc;
    struct store_payment *payments;
    struct store_refund *refunds;
    size_t np = 0, nr = 0;
    rc = store_payments_of_application(conn, c->arena, a.id, &payments, &np);
    if (rc == DB_OK)
        rc = store_refunds_of_application(conn, c->arena, a.id, &refunds, &nr);
    if (rc != DB_OK)
        return rc;
    int64_t left = 0;
    for (size_t i = 0; i < np; i++)
        left += payments[i].amount_cents;
    for (size_t i = 0; i < nr; i++)
        left -= refunds[i].amount_cents;
    if (c->amount > left) {
        char *detail = arena_alloc(c->arena, 160);
        char amount[CENTS_TEXT_MAX];
        if (detail != NULL)
            snprintf(detail, 160, "at most %s can still be refunded (what was paid less what was refunded)",
                     cents_format(amount, sizeof(amount), left));
        error_set(c->err, ERR_UNPROCESSABLE, "amount_cents", detail);
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    struct ledger_draft d;
    ledger_draft_init(&d);
    ledger_draft_move(&d, LEDGER_GOODWILL, NULL, LEDGER_REFUNDS_PAYABLE, a.id, c->amount);
    struct store_ledger_transaction tx = {.kind = "goodwill", .application_id = a.id, .memo = c->reason,
                                          .actor_id = c->staff->id};
    rc = ledger_post(conn, &tx, &d);
    if (rc == DB_OK)
        rc = money_refund_back(conn, c->arena, &a, c->amount, "goodwill", c->reason, c->staff->id, NULL);
    if (rc == DB_OK) {
        char detail[600];
        snprintf(detail, sizeof(detail), "goodwill refund of %lld cents: %s", (long long)c->amount, c->reason);
        rc =
            store_audit_add(conn, c->staff->id, AUDIT_GOODWILL_REFUND, AUDIT_ON_APPLICATION, a.id, detail, clock_now());
    }
    if (rc == DB_OK) {
        char title[256], amount[CENTS_TEXT_MAX];
        snprintf(title, sizeof(title), "Refund of %s for %s", cents_format(amount, sizeof(amount), c->amount),
                 a.offering_title);
        money_tell_student(conn, c->arena, &a, "refund", title);
    }
    return rc;
}

int money_goodwill_refund(struct db_conn *conn, struct arena *arena, const struct store_user *staff,
                          const char *application_id, int64_t amount_cents, const char *reason, struct error *err)
{
    if (!account_has_role(staff, ROLE_STAFF))
        return error_set(err, ERR_FORBIDDEN, NULL, "only staff grant goodwill refunds");
    if (amount_cents <= 0 || amount_cents > MONEY_AMOUNT_MAX_CENTS)
        return error_set(err, ERR_VALIDATION_FAILED, "amount_cents", "must be from 1 to " LIMIT_TEXT(MONEY_AMOUNT_MAX_CENTS) " cents");
    if (reason == NULL || reason[0] == '\0')
        return error_set(err, ERR_VALIDATION_FAILED, "reason", "is required: say why");
    struct goodwill_ctx c = {arena, staff, application_id, reason, amount_cents, err};
    return run(conn, goodwill_tx, &c, err);
}

struct sent_ctx {
    struct arena *arena;
    const struct store_user *staff;
    const char *refund_id;
    struct error *err;
};

static int sent_tx(struct db_conn *conn, void *p)
{
    struct sent_ctx *c = p;
    struct store_refund r;
    int rc = store_refund_get(conn, c->arena, c->refund_id, &r);
    if (rc == DB_DONE) {
        error_set(c->err, ERR_NOT_FOUND, NULL, "no such refund");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    if (rc != DB_ROW)
        return rc;
    enum payment_method method;
    if (!payment_method_from_name(r.provider, &method) ||
        (method != PAYMENT_BANK_TRANSFER && method != PAYMENT_MANUAL)) {
        error_set(c->err, ERR_CONFLICT, NULL, "this refund goes back through its provider, not by hand");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    rc = money_refund_sent(conn, c->arena, &r, "by hand", c->staff->id);
    if (rc == DB_DONE) {
        error_set(c->err, ERR_CONFLICT, NULL, "this refund is already marked sent");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    if (rc == DB_OK)
        rc = store_audit_add(conn, c->staff->id, AUDIT_REFUND_SENT, AUDIT_ON_REFUND, r.id, r.application_id,
                             clock_now());
    return rc;
}

int money_refund_mark_sent(struct db_conn *conn, struct arena *arena, const struct store_user *staff,
                           const char *refund_id, struct error *err)
{
    if (!account_has_role(staff, ROLE_STAFF))
        return error_set(err, ERR_FORBIDDEN, NULL, "only staff mark refunds sent");
    struct sent_ctx c = {arena, staff, refund_id, err};
    return run(conn, sent_tx, &c, err);
}

struct payout_ctx {
    struct arena *arena;
    const struct store_user *staff;
    const char *organization_id, *month, *note;
    struct store_payout *out;
    struct error *err;
};

static int payout_tx(struct db_conn *conn, void *p)
{
    struct payout_ctx *c = p;
    struct store_host_month *months;
    size_t count = 0;
    int rc = store_host_months(conn, c->arena, c->month, c->organization_id, &months, &count);
    if (rc != DB_OK)
        return rc;
    if (count == 0 || months[0].earned_cents <= 0) {
        error_set(c->err, ERR_CONFLICT, "organization_id", "this host has nothing to be paid for that month");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    if (months[0].payout_id != NULL) {
        error_set(c->err, ERR_CONFLICT, "month", "the payout for that month is already marked sent");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    struct store_payout *o = c->out;
    *o = (struct store_payout){.id = money_new_id(c->arena, "po_"), .organization_id = c->organization_id,
                               .month = c->month, .note = c->note, .sent_by = c->staff->id,
                               .amount_cents = months[0].earned_cents, .sent_at = clock_now()};
    rc = store_payout_insert(conn, o);
    if (rc == DB_CONSTRAINT) {
        error_set(c->err, ERR_CONFLICT, "month", "the payout for that month is already marked sent");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    struct ledger_draft d;
    ledger_draft_init(&d);
    ledger_draft_move(&d, LEDGER_HOST_PAYABLE, c->organization_id, LEDGER_CLEARING,
                      payment_method_name(PAYMENT_BANK_TRANSFER), o->amount_cents);
    struct store_ledger_transaction tx = {.kind = "payout", .organization_id = c->organization_id,
                                          .reference = o->id, .memo = c->month, .actor_id = c->staff->id};
    if (rc == DB_OK)
        rc = ledger_post(conn, &tx, &d);
    if (rc == DB_OK) {
        char detail[96];
        snprintf(detail, sizeof(detail), "payout %s: %lld cents", c->month, (long long)o->amount_cents);
        rc = store_audit_add(conn, c->staff->id, AUDIT_PAYOUT_SENT, AUDIT_ON_ORGANIZATION, c->organization_id, detail,
                             clock_now());
    }
    return rc;
}

int money_payout_mark_sent(struct db_conn *conn, struct arena *arena, const struct store_user *staff,
                           const char *organization_id, const char *month, const char *note,
                           struct store_payout *out, struct error *err)
{
    if (!account_has_role(staff, ROLE_STAFF))
        return error_set(err, ERR_FORBIDDEN, NULL, "only staff record payouts");
    char this_month[8], today[11];
    clock_today(today);
    snprintf(this_month, sizeof(this_month), "%.7s", today);
    if (strcmp(month, this_month) >= 0)
        return error_set(err, ERR_UNPROCESSABLE, "month", "a month is paid out once it is over");
    struct payout_ctx c = {arena, staff, organization_id, month, note, out, err};
    return run(conn, payout_tx, &c, err);
}
