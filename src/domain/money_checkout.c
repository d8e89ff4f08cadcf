/* money_checkout.c — paying: checkouts through a provider and the Stripe
 * events that confirm them; see money.h. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "domain/money_internal.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/failpoint.h"
#include "lib/log.h"
#include "lib/stripe_json.h"

/* "RND-ABCD-EFGH": capitals and digits a person can read out and type. */
static const char *bank_reference(struct arena *arena)
{
    char random[24], out[16];
    crypto_random_id("", random, sizeof(random));
    for (int i = 0; i < 8; i++)
        random[i] = (char)(random[i] >= 'a' && random[i] <= 'z' ? random[i] - 'a' + 'A' : random[i]);
    snprintf(out, sizeof(out), "RND-%.4s-%.4s", random, random + 4);
    return arena_strdup(arena, out);
}

struct open_ctx {
    struct arena *arena;
    const struct store_user *student;
    const char *application_id;
    enum payment_method method;
    enum money_plan plan;
    const struct payment_provider *provider;
    struct money_checkout *out;
    struct error *err;
};

static int refuse(struct open_ctx *c, enum error_code code, const char *field, const char *detail)
{
    error_set(c->err, code, field, detail);
    return DB_CONSTRAINT; /* roll back: the error says why */
}

/* When the checkout stops: the hold's end, or the end of the balance's due date. */
static int64_t checkout_expiry(const struct store_application *a, const struct money_view *v)
{
    if (application_status_of(a) == APPLICATION_HELD && a->hold_expires_at > 0)
        return a->hold_expires_at;
    int64_t due_end = v->balance_due_on != NULL ? ((int64_t)clock_days_from_date(v->balance_due_on) + 1) * 86400 : 0;
    int64_t week = clock_now() + 7 * 86400;
    return due_end > clock_now() ? due_end : week;
}

static int open_tx(struct db_conn *conn, void *p)
{
    struct open_ctx *c = p;
    struct store_application a;
    int rc = store_application_get(conn, c->arena, c->application_id, &a);
    if (rc == DB_DONE || (rc == DB_ROW && strcmp(a.student_id, c->student->id) != 0))
        return refuse(c, ERR_NOT_FOUND, NULL, "no such application");
    if (rc != DB_ROW)
        return rc;
    int64_t now = clock_now();
    if (application_status_of(&a) == APPLICATION_HELD && a.hold_expires_at > 0 && now >= a.hold_expires_at)
        return refuse(c, ERR_HOLD_EXPIRED, NULL, "the hold on this seat has expired");
    struct money_view v;
    rc = money_view_of(conn, c->arena, &a, &v);
    if (rc != DB_OK)
        return rc;
    if (!v.can_pay[c->plan])
        return refuse(c, ERR_NOTHING_TO_PAY, "plan",
                      application_status_of(&a) == APPLICATION_HELD ? "this plan is not open: pay the deposit or the full price"
                      : application_status_takes_seat(application_status_of(&a)) ? "nothing is left to pay on this booking"
                                                             : "this application takes no payment in its status");
    struct store_checkout *ck = &c->out->checkout;
    const char *provider = payment_method_name(c->method);
    int64_t amount = v.plan_cents[c->plan];
    rc = store_checkout_open_for(conn, c->arena, a.id, provider, money_plan_name(c->plan), now, ck);
    if (rc == DB_ROW && ck->amount_cents == amount) {
        /* The same checkout again (a second click, a reload): the same session and reference. */
        c->out->needs_provider = c->provider->collect != NULL && ck->redirect_url == NULL;
        return DB_OK;
    }
    if (rc != DB_ROW && rc != DB_DONE)
        return rc;
    *ck = (struct store_checkout){.id = money_new_id(c->arena, "ck_"), .application_id = a.id, .provider = provider,
                                  .plan = money_plan_name(c->plan), .amount_cents = amount, .status = "open",
                                  .created_at = now, .expires_at = checkout_expiry(&a, &v)};
    if (c->method == PAYMENT_BANK_TRANSFER)
        ck->reference = bank_reference(c->arena);
    rc = store_checkout_insert(conn, ck);
    if (rc != DB_OK)
        return rc == DB_CONSTRAINT ? DB_RETRY : rc; /* a reference drawn twice: draw again */
    c->out->needs_provider = c->provider->collect != NULL;
    if (!c->provider->pays_at_once)
        return DB_OK;
    /* The demo provider: paid now. */
    rc = store_checkout_close(conn, ck->id, "paid", now);
    struct money_arrival arrival = {.method = c->method, .amount_cents = amount, .expected_cents = amount,
                                    .checkout_id = ck->id, .provider_ref = "demo", .may_book = true};
    struct store_payment payment;
    if (rc == DB_OK)
        rc = money_receive(conn, c->arena, a.id, &arrival, &payment, c->err);
    if (rc == DB_OK)
        ck->status = "paid";
    return rc;
}

int money_checkout_open(struct db_conn *conn, struct arena *arena, const struct store_user *student,
                        const char *application_id, enum payment_method method, enum money_plan plan,
                        struct money_checkout *out, struct error *err)
{
    memset(out, 0, sizeof(*out));
    const struct payment_provider *provider = method == PAYMENT_MANUAL ? NULL : payments_provider(method);
    if (provider == NULL)
        return error_set(err, ERR_METHOD_UNAVAILABLE, "method", "this payment method is not offered here");
    if (plan >= MONEY_PLAN_COUNT)
        return error_set(err, ERR_VALIDATION_FAILED, "plan", "must be deposit, full or balance");
    struct open_ctx c = {arena, student, application_id, method, plan, provider, out, err};
    err->code = ERR_NONE;
    int rc = db_run_tx(conn, true, open_tx, &c);
    if (err->code != ERR_NONE)
        return -1;
    if (rc != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, "the database is not available; try again");
    if (method == PAYMENT_BANK_TRANSFER)
        out->bank_details = payments_settings()->bank_transfer_details;
    return 0;
}

const char *money_checkout_description(struct arena *arena, const struct store_checkout *c,
                                       const struct store_application *a)
{
    enum money_plan plan = MONEY_PLAN_FULL;
    money_plan_from_name(c->plan, &plan);
    size_t size = strlen(a->offering_title) + 64;
    char *text = arena_alloc(arena, size);
    if (text != NULL)
        snprintf(text, size, "%s — %s, from %s", money_plan_label(plan), a->offering_title, a->block_start);
    return text;
}

void money_collect_job_init(struct money_collect_job *job, const struct store_checkout *c,
                            const struct store_application *a, const char *customer_email, struct arena *arena)
{
    memset(job, 0, sizeof(*job));
    snprintf(job->checkout_id, sizeof(job->checkout_id), "%s", c->id);
    snprintf(job->application_id, sizeof(job->application_id), "%s", c->application_id);
    snprintf(job->provider, sizeof(job->provider), "%s", c->provider);
    job->amount_cents = c->amount_cents;
    job->expires_at = c->expires_at;
    const char *description = money_checkout_description(arena, c, a);
    snprintf(job->description, sizeof(job->description), "%s", description != NULL ? description : "Rotation");
    snprintf(job->email, sizeof(job->email), "%s", customer_email != NULL ? customer_email : "");
}

void money_collect_work(void *p)
{
    struct money_collect_job *job = p;
    job->rc = -1;
    enum payment_method method;
    const struct payment_provider *provider =
        payment_method_from_name(job->provider, &method) ? payments_provider(method) : NULL;
    if (provider == NULL || provider->collect == NULL) {
        snprintf(job->error, sizeof(job->error), "this checkout's provider takes no call");
        return;
    }
    const char *base = payments_settings()->public_url != NULL ? payments_settings()->public_url : "";
    char success[PAYMENT_URL_MAX], cancel[PAYMENT_URL_MAX];
    snprintf(success, sizeof(success), "%s/applications/%s/checkout/%s", base, job->application_id, job->checkout_id);
    snprintf(cancel, sizeof(cancel), "%s/applications/%s/checkout?cancelled=1", base, job->application_id);
    struct payment_collect in = {.checkout_id = job->checkout_id, .application_id = job->application_id,
                                 .amount_cents = job->amount_cents, .description = job->description,
                                 .customer_email = job->email[0] != '\0' ? job->email : NULL,
                                 .success_url = success, .cancel_url = cancel, .expires_at = job->expires_at};
    job->rc = provider->collect(&in, &job->session, job->error, sizeof(job->error));
}

/* The provider could not be reached: the checkout fails (the seat stays held). */
static int checkout_unreachable(struct db_conn *conn, const char *checkout_id)
{
    int rc = store_checkout_close(conn, checkout_id, "failed", clock_now());
    return rc == DB_DONE ? DB_OK : rc;
}

int money_collect_finish(struct db_conn *conn, const struct money_collect_job *job, struct error *err)
{
    if (job->rc != 0) {
        log_warn("msg=\"payment provider unreachable; the checkout failed and the seat stays held\" checkout=%s",
                 job->checkout_id);
        checkout_unreachable(conn, job->checkout_id);
        return error_set(err, ERR_PROVIDER_UNAVAILABLE, NULL,
                         "the payment provider cannot be reached just now; your seat stays held until the hold "
                         "expires, so try again in a few minutes");
    }
    if (store_checkout_set_session(conn, job->checkout_id, job->session.session_ref, job->session.url) != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, "the database is not available; try again");
    return 0;
}

/* ---- Stripe's events ---- */

struct event_ctx {
    struct arena *arena;
    const char *event_id, *type, *session_id, *checkout_ref, *payment_intent;
    int64_t amount;
    bool expired_only;
    enum money_event_outcome *outcome;
    struct error *err;
};

static int event_tx(struct db_conn *conn, void *p)
{
    struct event_ctx *c = p;
    struct store_checkout ck;
    int rc = c->checkout_ref != NULL ? store_checkout_get(conn, c->arena, c->checkout_ref, &ck) : DB_DONE;
    if (rc == DB_DONE && c->session_id != NULL)
        rc = store_checkout_by_provider_ref(conn, c->arena, c->session_id, &ck);
    if (rc == DB_DONE || (rc == DB_ROW && strcmp(ck.provider, "stripe") != 0)) {
        log_info("msg=\"stripe event for a checkout that is not ours\" event=%s type=%s", c->event_id, c->type);
        *c->outcome = MONEY_EVENT_IGNORED;
        return DB_OK;
    }
    if (rc != DB_ROW)
        return rc;
    rc = store_provider_event_claim(conn, "stripe", c->event_id, c->type, clock_now());
    if (rc == DB_CONSTRAINT) {
        *c->outcome = MONEY_EVENT_DUPLICATE;
        return DB_CONSTRAINT; /* roll back: nothing to do twice */
    }
    if (rc != DB_OK)
        return rc;
    if (c->expired_only) {
        rc = store_checkout_close(conn, ck.id, "expired", clock_now());
        *c->outcome = MONEY_EVENT_APPLIED;
        return rc == DB_DONE ? DB_OK : rc;
    }
    rc = store_checkout_close(conn, ck.id, "paid", clock_now());
    if (rc == DB_DONE) {
        /* Another event of the same session paid it already. */
        *c->outcome = MONEY_EVENT_DUPLICATE;
        return DB_OK;
    }
    struct money_arrival arrival = {.method = PAYMENT_STRIPE, .amount_cents = c->amount,
                                    .expected_cents = ck.amount_cents, .checkout_id = ck.id,
                                    .provider_ref = c->payment_intent, .may_book = true};
    struct store_payment payment;
    if (rc == DB_OK)
        rc = money_receive(conn, c->arena, ck.application_id, &arrival, &payment, c->err);
    if (rc == DB_OK && c->amount != ck.amount_cents)
        log_warn("msg=\"stripe paid an amount other than the one asked\" checkout=%s asked=%lld paid=%lld", ck.id,
                 (long long)ck.amount_cents, (long long)c->amount);
    *c->outcome = MONEY_EVENT_APPLIED;
    failpoint("webhook_before_commit");
    return rc;
}

int money_stripe_event(struct db_conn *conn, struct arena *arena, const char *body, size_t len,
                       enum money_event_outcome *outcome, struct error *err)
{
    *outcome = MONEY_EVENT_IGNORED;
    struct stripe_event ev;
    const char *why = NULL;
    if (stripe_event_parse(arena, body, len, &ev, &why) != 0)
        return error_set(err, ERR_VALIDATION_FAILED, NULL, why);
    bool completed = ev.kind == STRIPE_EVENT_SESSION_COMPLETED || ev.kind == STRIPE_EVENT_SESSION_ASYNC_SUCCEEDED;
    bool expired = ev.kind == STRIPE_EVENT_SESSION_EXPIRED;
    if (!completed && !expired)
        return 0; /* a type we do not act on: 200, ignored */
    if (completed && !ev.paid)
        return 0; /* an asynchronous payment still on its way: its own event will follow */
    if (completed && (!ev.has_amount || ev.amount_cents <= 0 || ev.amount_cents > MONEY_AMOUNT_MAX_CENTS ||
                      ev.currency == NULL))
        return error_set(err, ERR_VALIDATION_FAILED, "data.object.amount_total", "is not an amount in cents");
    if (completed && strcasecmp(ev.currency, "usd") != 0) {
        log_error("msg=\"stripe event in a currency other than USD: not recorded\" event=%s", ev.id);
        return 0;
    }
    struct event_ctx c = {arena,         ev.id, ev.type, ev.session_id, ev.checkout_ref, ev.payment_intent,
                          completed ? ev.amount_cents : 0, expired, outcome, err};
    err->code = ERR_NONE;
    int rc = db_run_tx(conn, true, event_tx, &c);
    if (err->code != ERR_NONE)
        return -1;
    if (rc != DB_OK && !(rc == DB_CONSTRAINT && *outcome == MONEY_EVENT_DUPLICATE))
        return error_set(err, ERR_UNAVAILABLE, NULL, "the database is not available; Stripe will try again");
    return 0;
}
