/* money.c — prices, the terms an application is held on, what its pages
 * show about its money, and the money of each move of the state machine;
 * see money.h. Payments and refunds are money_flow.c. */
#include "domain/money.h"

#include <stdio.h>
#include <string.h>

#include "domain/applications.h"
#include "domain/money_internal.h"
#include "domain/notify.h"
#include "lib/cents.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/log.h"

/* ---- small shared helpers ---- */

const char *money_new_id(struct arena *arena, const char *prefix)
{
    char id[48];
    crypto_sortable_id(prefix, clock_now_ms(), id, sizeof(id));
    return arena_strdup(arena, id);
}

const char *money_today(struct arena *arena)
{
    char today[11];
    clock_today(today);
    return arena_strdup(arena, today);
}

void money_tell_student(struct db_conn *conn, struct arena *arena, const struct store_application *a,
                        const char *kind, const char *title)
{
    char link[96];
    snprintf(link, sizeof(link), "/applications/%s", a->id);
    struct recipient student = {a->student_id, a->student_email};
    notify(conn, arena, &student, kind, title, link, clock_now());
}

/* ---- names ---- */

static const char *const plan_names[MONEY_PLAN_COUNT] = {"deposit", "full", "balance"};
static const char *const plan_labels[MONEY_PLAN_COUNT] = {"Deposit", "Full price", "Balance"};

const char *money_plan_name(enum money_plan plan)
{
    return plan < MONEY_PLAN_COUNT ? plan_names[plan] : "unknown";
}

const char *money_plan_label(enum money_plan plan)
{
    return plan < MONEY_PLAN_COUNT ? plan_labels[plan] : "Unknown";
}

bool money_plan_from_name(const char *name, enum money_plan *out)
{
    for (int p = 0; name != NULL && p < MONEY_PLAN_COUNT; p++)
        if (strcmp(plan_names[p], name) == 0) {
            *out = (enum money_plan)p;
            return true;
        }
    return false;
}

static const char *const cause_names[] = {
    [REFUND_CAUSE_STUDENT] = "student",
    [REFUND_CAUSE_HOST] = "host",
    [REFUND_CAUSE_CANNOT_HAPPEN] = "cannot_happen",
    [REFUND_CAUSE_VISA_REFUSED] = "visa_refused",
};

const char *money_cause_name(enum refund_cause cause)
{
    return (size_t)cause < sizeof(cause_names) / sizeof(cause_names[0]) ? cause_names[cause] : "unknown";
}

bool money_cause_from_name(const char *name, enum refund_cause *out)
{
    for (size_t c = 0; name != NULL && c < sizeof(cause_names) / sizeof(cause_names[0]); c++)
        if (strcmp(cause_names[c], name) == 0) {
            *out = (enum refund_cause)c;
            return true;
        }
    return false;
}

/* ---- prices ---- */

int64_t money_offering_price(const struct store_offering *o)
{
    return o->tuition_cents + o->application_fee_cents;
}

int64_t money_offering_deposit(const struct store_offering *o)
{
    int64_t price = money_offering_price(o);
    int64_t deposit = o->deposit_percent > 0 ? (price * o->deposit_percent + 99) / 100 : o->deposit_cents;
    return deposit > price ? price : deposit;
}

int money_check_offering_prices(struct arena *arena, const struct store_offering *o, struct error *err)
{
    if (o->deposit_percent < 0 || o->deposit_percent > DEPOSIT_PERCENT_MAX)
        return error_set(err, ERR_VALIDATION_FAILED, "deposit_percent",
                         "must be from 0 to " LIMIT_TEXT(DEPOSIT_PERCENT_MAX));
    if (o->deposit_percent > 0 && o->deposit_cents > 0)
        return error_set(err, ERR_VALIDATION_FAILED, "deposit_percent",
                         "give the deposit as an amount (deposit_cents) or as a share of the price, not both");
    if (o->deposit_cents < 0 || o->deposit_cents > money_offering_price(o))
        return error_set(err, ERR_VALIDATION_FAILED, "deposit_cents", "must be from 0 to the price");
    if (o->balance_due_days < 0 || o->balance_due_days > BALANCE_DUE_DAYS_MAX)
        return error_set(err, ERR_VALIDATION_FAILED, "balance_due_days",
                         "must be from 0 to " LIMIT_TEXT(BALANCE_DUE_DAYS_MAX));
    struct arena local;
    struct arena *a = arena;
    if (a == NULL) {
        arena_heap_init(&local);
        a = &local;
    }
    struct refund_policy policy;
    int rc = refund_policy_decode(a, o->refund_policy, &policy);
    if (arena == NULL)
        arena_heap_free(&local);
    if (rc != 0)
        return error_set(err, ERR_VALIDATION_FAILED, "refund_policy", "is not a valid refund policy");
    return 0;
}

/* ---- the terms, fixed on accept ---- */

/* Price, deposit due, balance date and the policy from the offering and the block's start. */
static int terms_from_offering(struct db_conn *conn, struct arena *arena, const struct store_application *a,
                               struct store_money_terms *t)
{
    struct store_offering o;
    int rc = store_offering_get(conn, arena, a->offering_id, &o);
    if (rc != DB_ROW)
        return rc == DB_DONE ? DB_ERROR : rc;
    memset(t, 0, sizeof(*t));
    t->price_cents = money_offering_price(&o);
    t->fee_cents = o.application_fee_cents;
    int32_t start = clock_days_from_date(a->block_start);
    char due[11];
    clock_date_from_days((int32_t)(start - o.balance_due_days), due);
    t->balance_due_on = arena_strdup(arena, due);
    int64_t deposit = money_offering_deposit(&o);
    /* A deposit only while the balance is not yet due; later, the whole price books the seat. */
    bool balance_due_already = clock_today_days() >= start - o.balance_due_days;
    t->deposit_due_cents = deposit > 0 && deposit < t->price_cents && !balance_due_already ? deposit : t->price_cents;
    struct refund_policy policy;
    if (refund_policy_decode(arena, o.refund_policy, &policy) != 0)
        refund_policy_default(&policy);
    struct buf b;
    buf_init(&b, arena, REFUND_POLICY_JSON_MAX);
    refund_policy_write_json(&b, &policy);
    t->refund_policy = buf_ok(&b) ? b.data : "";
    return DB_OK;
}

/* accept: the terms are fixed and the price is charged. */
static int charge(struct db_conn *conn, struct arena *arena, const struct store_application *a)
{
    struct store_money_terms t = {0};
    int rc = terms_from_offering(conn, arena, a, &t);
    if (rc == DB_OK)
        rc = store_money_terms_set(conn, a->id, &t);
    if (rc != DB_OK || t.price_cents == 0)
        return rc;
    struct ledger_draft d;
    ledger_draft_init(&d);
    ledger_draft_move(&d, LEDGER_RECEIVABLE, a->id, LEDGER_DEFERRED, a->id, t.price_cents);
    struct store_ledger_transaction tx = {.kind = "charge", .application_id = a->id,
                                          .organization_id = a->organization_id, .memo = "seat held: price due"};
    return ledger_post(conn, &tx, &d);
}

/* The rotation started: the host's share becomes payable, the fee is revenue. */
static int earn(struct db_conn *conn, struct arena *arena, const struct store_application *a)
{
    struct store_money_terms t = {0};
    int rc = store_money_terms_get(conn, arena, a->id, &t);
    if (rc != DB_ROW)
        return rc == DB_DONE ? DB_ERROR : rc;
    if (t.price_cents == 0)
        return DB_OK;
    struct ledger_draft d;
    ledger_draft_init(&d);
    ledger_draft_add(&d, LEDGER_DEFERRED, a->id, t.price_cents);
    ledger_draft_add(&d, LEDGER_REVENUE, NULL, -t.fee_cents);
    ledger_draft_add(&d, LEDGER_HOST_PAYABLE, a->organization_id, -(t.price_cents - t.fee_cents));
    struct store_ledger_transaction tx = {.kind = "earn", .application_id = a->id,
                                          .organization_id = a->organization_id, .memo = "the rotation started"};
    return ledger_post(conn, &tx, &d);
}

/* What can still go back: the payments less every refund already made or
 * owed (over-payments, goodwill). A goodwill refund counts towards a later
 * cancellation's: no booking ever refunds more than was paid. */
static int refundable_left(struct db_conn *conn, struct arena *arena, const char *application_id, int64_t *left)
{
    struct store_payment *payments;
    struct store_refund *refunds;
    size_t np = 0, nr = 0;
    int rc = store_payments_of_application(conn, arena, application_id, &payments, &np);
    if (rc == DB_OK)
        rc = store_refunds_of_application(conn, arena, application_id, &refunds, &nr);
    *left = 0;
    for (size_t i = 0; rc == DB_OK && i < np; i++)
        *left += payments[i].amount_cents;
    for (size_t i = 0; rc == DB_OK && i < nr; i++)
        *left -= refunds[i].amount_cents;
    return rc;
}

/* The booking ends: what was not paid is no longer owed, the refund is owed
 * back, and what the policy keeps goes to the platform (the fee first) and
 * the host. */
static int close_booking(struct db_conn *conn, struct arena *arena, const struct store_application *a,
                         enum application_status to, const struct refund_answer *policy_answer,
                         const char *actor_id)
{
    struct store_money_terms t = {0};
    int rc = store_money_terms_get(conn, arena, a->id, &t);
    if (rc != DB_ROW)
        return rc == DB_DONE ? DB_ERROR : rc;
    if (t.price_cents == 0)
        return DB_OK;
    int64_t left = 0;
    rc = refundable_left(conn, arena, a->id, &left);
    if (rc != DB_OK)
        return rc;
    struct refund_answer capped = *policy_answer, *answer = &capped;
    if (capped.refund_cents > left) {
        /* Goodwill already gave part of it back. */
        capped.refund_cents = left > 0 ? left : 0;
        capped.kept_cents = t.paid_cents - capped.refund_cents;
        int64_t fee_paid = t.paid_cents < t.fee_cents ? t.paid_cents : t.fee_cents;
        capped.fee_kept_cents = capped.kept_cents < fee_paid ? capped.kept_cents : fee_paid;
    }
    int64_t unpaid = t.price_cents - t.paid_cents;
    struct ledger_draft d;
    ledger_draft_init(&d);
    ledger_draft_add(&d, LEDGER_DEFERRED, a->id, t.price_cents);
    ledger_draft_add(&d, LEDGER_RECEIVABLE, a->id, -unpaid);
    ledger_draft_add(&d, LEDGER_REFUNDS_PAYABLE, a->id, -answer->refund_cents);
    ledger_draft_add(&d, LEDGER_REVENUE, NULL, -answer->fee_kept_cents);
    ledger_draft_add(&d, LEDGER_HOST_PAYABLE, a->organization_id, -(answer->kept_cents - answer->fee_kept_cents));
    char memo[160];
    snprintf(memo, sizeof(memo), "%s: %lld%% of %lld cents paid back", application_status_label(to),
             (long long)answer->percent, (long long)t.paid_cents);
    bool release = to == APPLICATION_HOLD_EXPIRED || to == APPLICATION_BALANCE_UNPAID;
    struct store_ledger_transaction tx = {.kind = release ? "release" : "cancel", .application_id = a->id,
                                          .organization_id = a->organization_id, .memo = memo,
                                          .actor_id = actor_id};
    rc = ledger_post(conn, &tx, &d);
    if (rc == DB_OK && answer->refund_cents > 0)
        rc = money_refund_back(conn, arena, a, answer->refund_cents, "policy", memo, actor_id, NULL);
    if (rc == DB_OK && answer->refund_cents > 0) {
        char title[256], amount[32];
        snprintf(title, sizeof(title), "Refund of %s for %s", cents_format(amount, sizeof(amount), answer->refund_cents),
                 a->offering_title);
        money_tell_student(conn, arena, a, "refund", title);
    }
    return rc;
}

/* The refund for a booking that ends by moving to `to`. */
static void answer_for_exit(const struct store_application *before, enum application_status to,
                            enum refund_cause cause,
                            const struct store_money_terms *t, struct refund_answer *out)
{
    struct refund_policy policy;
    struct arena scratch;
    arena_heap_init(&scratch);
    if (refund_policy_decode(&scratch, t->refund_policy, &policy) != 0)
        refund_policy_default(&policy);
    arena_heap_free(&scratch);
    struct refund_question q = {&policy, clock_days_from_date(before->block_start), clock_today_days(),
                                t->paid_cents, t->fee_cents, cause};
    if (application_status_of(before) == APPLICATION_HELD)
        q.cause = REFUND_CAUSE_CANNOT_HAPPEN; /* never booked: everything paid comes back */
    else if (to == APPLICATION_CANCELLED_BY_STUDENT || to == APPLICATION_BALANCE_UNPAID)
        q.cause = REFUND_CAUSE_STUDENT;
    else if (to == APPLICATION_NO_SHOW)
        q.cancel_day = q.start_day + 1; /* the rotation went ahead without them: the policy after the start */
    else if (cause == REFUND_CAUSE_STUDENT)
        q.cause = REFUND_CAUSE_HOST; /* the host side cancels: the host's rule unless staff named another */
    refund_quote(&q, out);
}

int money_on_move(struct db_conn *conn, struct arena *arena, const struct store_application *before,
                  const char *action, enum application_status to, const struct store_user *actor,
                  enum refund_cause cause, struct error *err)
{
    (void)err;
    const char *actor_id = actor != NULL ? actor->id : NULL;
    if (strcmp(action, "accept") == 0)
        return charge(conn, arena, before);
    if (to == APPLICATION_BOOKED && actor != NULL) {
        /* Staff book by hand: the payment they took is recorded for what booking needs. */
        struct store_money_terms t = {0};
        int rc = store_money_terms_get(conn, arena, before->id, &t);
        if (rc != DB_ROW)
            return rc == DB_DONE ? DB_ERROR : rc;
        int64_t due = t.deposit_due_cents - t.paid_cents;
        if (due <= 0)
            return DB_OK;
        struct money_arrival arrival = {.method = PAYMENT_MANUAL, .amount_cents = due, .expected_cents = due,
                                        .recorded_by = actor_id, .note = "recorded by staff when booking"};
        struct store_payment payment;
        return money_receive(conn, arena, before->id, &arrival, &payment, err);
    }
    if (to == APPLICATION_IN_PROGRESS)
        return earn(conn, arena, before);
    if (application_status_takes_seat(application_status_of(before)) && !application_status_takes_seat(to)) {
        struct store_money_terms t = {0};
        int rc = store_money_terms_get(conn, arena, before->id, &t);
        if (rc != DB_ROW)
            return rc == DB_DONE ? DB_ERROR : rc;
        struct refund_answer answer;
        answer_for_exit(before, to, cause, &t, &answer);
        return close_booking(conn, arena, before, to, &answer, actor_id);
    }
    return DB_OK;
}

/* ---- what the pages show ---- */

int money_view_of(struct db_conn *conn, struct arena *arena, const struct store_application *a,
                  struct money_view *out)
{
    memset(out, 0, sizeof(*out));
    struct store_money_terms t = {0};
    int rc = store_money_terms_get(conn, arena, a->id, &t);
    if (rc != DB_ROW)
        return rc == DB_DONE ? DB_ERROR : rc;
    out->has_terms = t.balance_due_on != NULL;
    if (!out->has_terms) {
        rc = terms_from_offering(conn, arena, a, &t);
        if (rc != DB_OK)
            return rc;
        t.paid_cents = 0;
    }
    out->price_cents = t.price_cents;
    out->fee_cents = t.fee_cents;
    out->tuition_cents = t.price_cents - t.fee_cents;
    out->deposit_due_cents = t.deposit_due_cents;
    out->paid_cents = t.paid_cents;
    out->balance_cents = t.price_cents - t.paid_cents;
    out->balance_due_on = t.balance_due_on;
    out->start_day = clock_days_from_date(a->block_start);
    if (refund_policy_decode(arena, t.refund_policy, &out->policy) != 0)
        refund_policy_default(&out->policy);
    enum application_status status = application_status_of(a);
    if (status == APPLICATION_HELD) {
        out->plan_cents[MONEY_PLAN_DEPOSIT] = t.deposit_due_cents - t.paid_cents;
        out->plan_cents[MONEY_PLAN_FULL] = t.price_cents - t.paid_cents;
        out->can_pay[MONEY_PLAN_DEPOSIT] = t.deposit_due_cents < t.price_cents && out->plan_cents[MONEY_PLAN_DEPOSIT] > 0;
        out->can_pay[MONEY_PLAN_FULL] = out->plan_cents[MONEY_PLAN_FULL] > 0;
    } else if (status == APPLICATION_BOOKED || status == APPLICATION_CLEARED || status == APPLICATION_IN_PROGRESS) {
        out->plan_cents[MONEY_PLAN_BALANCE] = t.price_cents - t.paid_cents;
        out->can_pay[MONEY_PLAN_BALANCE] = out->plan_cents[MONEY_PLAN_BALANCE] > 0;
    }
    struct refund_question q = {&out->policy, out->start_day, clock_today_days(), t.paid_cents, t.fee_cents,
                                REFUND_CAUSE_STUDENT};
    if (status == APPLICATION_HELD)
        q.cause = REFUND_CAUSE_CANNOT_HAPPEN;
    out->cancellable = status == APPLICATION_HELD || status == APPLICATION_BOOKED || status == APPLICATION_CLEARED;
    refund_quote(&q, &out->cancel_today);
    struct store_payment *payments;
    struct store_refund *refunds;
    size_t np = 0, nr = 0;
    rc = store_payments_of_application(conn, arena, a->id, &payments, &np);
    if (rc == DB_OK)
        rc = store_refunds_of_application(conn, arena, a->id, &refunds, &nr);
    for (size_t i = 0; rc == DB_OK && i < np; i++)
        out->received_cents += payments[i].amount_cents;
    for (size_t i = 0; rc == DB_OK && i < nr; i++) {
        if (strcmp(refunds[i].status, "sent") == 0)
            out->refunded_cents += refunds[i].amount_cents;
        else
            out->refund_owed_cents += refunds[i].amount_cents;
    }
    return rc;
}
