/* demo_money.c — the money of the demo's bookings; see demo_money.h. The
 * money module's own functions post it, so that the student's payment card,
 * the host's earnings, staff's payouts and `rounds ledger check` agree, as
 * they do for a booking made through the site. The seed runs alone in its
 * process: moving the clock back for a step touches no one else. */
#include "domain/demo_money.h"

#include <time.h>

#include "domain/applications.h"
#include "domain/money_internal.h"
#include "lib/clock.h"

enum { DAY = 86400 };

/* From now on clock_now() says `when`. */
static void clock_at(int64_t when)
{
    clock_set_offset(when - (int64_t)time(NULL));
}

/* A checkout through the demo provider, paid at once, as money_checkout_open does it. */
static int pay(struct db_conn *conn, struct arena *arena, const char *application_id, enum money_plan plan,
               int64_t amount, int64_t at)
{
    clock_at(at);
    struct store_checkout ck = {.id = money_new_id(arena, "ck_"), .application_id = application_id,
                                .provider = payment_method_name(PAYMENT_DEMO), .plan = money_plan_name(plan),
                                .amount_cents = amount, .status = "open", .created_at = at,
                                .expires_at = at + 7 * DAY};
    int rc = store_checkout_insert(conn, &ck);
    if (rc == DB_OK)
        rc = store_checkout_close(conn, ck.id, "paid", at);
    struct money_arrival arrival = {.method = PAYMENT_DEMO, .amount_cents = amount, .expected_cents = amount,
                                    .checkout_id = ck.id, .provider_ref = "demo"};
    struct store_payment payment;
    struct error err = {0};
    return rc == DB_OK ? money_receive(conn, arena, application_id, &arrival, &payment, &err) : rc;
}

static int post(struct db_conn *conn, struct arena *arena, const struct store_application *a,
                const struct demo_money_story *s)
{
    struct error err = {0};
    clock_at(s->accepted_at);
    int rc = money_on_move(conn, arena, a, "accept", APPLICATION_HELD, NULL, REFUND_CAUSE_STUDENT, &err);
    struct store_money_terms t = {0};
    if (rc == DB_OK)
        rc = store_money_terms_get(conn, arena, a->id, &t) == DB_ROW ? DB_OK : DB_ERROR;
    if (rc != DB_OK || t.price_cents == 0)
        return rc; /* a free rotation: nothing to pay, nothing to earn */
    bool deposit = t.deposit_due_cents < t.price_cents;
    rc = pay(conn, arena, a->id, deposit ? MONEY_PLAN_DEPOSIT : MONEY_PLAN_FULL, t.deposit_due_cents,
             s->deposit_paid_at);
    if (rc == DB_OK && deposit && s->balance_paid) {
        int64_t due = (int64_t)clock_days_from_date(t.balance_due_on) * DAY;
        int64_t at = due - 3 * DAY + 10 * 3600;
        rc = pay(conn, arena, a->id, MONEY_PLAN_BALANCE, t.price_cents - t.deposit_due_cents,
                 at > s->deposit_paid_at ? at : s->deposit_paid_at + 3600);
    }
    if (rc == DB_OK && s->started_at > 0) {
        clock_at(s->started_at);
        rc = money_on_move(conn, arena, a, "start", APPLICATION_IN_PROGRESS, NULL, REFUND_CAUSE_STUDENT, &err);
    }
    return rc;
}

int demo_money_post(struct db_conn *conn, struct arena *arena, const char *application_id,
                    const struct demo_money_story *story)
{
    struct store_application a;
    int rc = store_application_get(conn, arena, application_id, &a);
    if (rc != DB_ROW)
        return rc == DB_DONE ? DB_ERROR : rc;
    int64_t offset = clock_now() - (int64_t)time(NULL); /* the clock offset as it stands, restored after */
    rc = post(conn, arena, &a, story);
    clock_set_offset(offset);
    return rc;
}
