/* checkout_post.c — POST /api/v1/applications/{id}/checkout (Idempotency-Key)
 * {method, plan} (the application's student): pay the deposit or the full
 * price of a held seat, or the balance of a booking, through a provider.
 * The amount is computed by the server from the terms the seat is held on;
 * the body carries none. → 201 the checkout: the demo provider has paid it
 * (and the seat is booked), a bank transfer shows the reference and the
 * account, Stripe gives the redirect_url of its hosted page (the payment
 * counts when Stripe's webhook confirms it). Stripe unreachable → 502
 * provider_unavailable and the seat stays held until its hold expires. */
#include <stdio.h>

#include "api/applications_api.h"
#include "api/request_specs.h"
#include "api/money_api.h"
#include "domain/catalog_index.h"

static const char *const methods[] = {"stripe", "bank_transfer", "demo", NULL};
static const char *const plans[] = {"deposit", "full", "balance", NULL};

struct checkout_body {
    const char *method, *plan;
};

const struct json_field api_checkout_post_spec[] = {
    JSON_ENUM(struct checkout_body, method, JSON_REQUIRED, methods),
    JSON_ENUM(struct checkout_body, plan, JSON_REQUIRED, plans),
    {0},
};

/* The offload job with what the reply needs once the provider answered. */
struct collect_offload {
    struct money_collect_job job;
    char key[256];
    bool has_key;
};

static void reply_checkout(struct http_request *req, const char *key, const struct money_checkout *c)
{
    struct buf b;
    buf_init(&b, &req->arena, 16 * 1024);
    api_write_checkout(&b, c);
    api_idempotent_reply(req, key, 201, &b);
}

static void collected(struct http_request *req, void *ctx)
{
    struct collect_offload *o = ctx;
    const char *key = o->has_key ? o->key : NULL;
    struct error err = {0};
    if (money_collect_finish(req->db, &o->job, &err) != 0) {
        api_idempotent_problem(req, key, &err);
        return;
    }
    struct money_checkout c = {0};
    if (store_checkout_get(req->db, &req->arena, o->job.checkout_id, &c.checkout) != DB_ROW) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    reply_checkout(req, key, &c);
}

void api_checkout_post(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    const char *key = NULL;
    if (api_idempotency_begin(req, &key) != 0)
        return;
    struct checkout_body body = {0};
    struct error err = {0};
    if (json_spec_parse(&req->arena, req->body, req->body_len, api_checkout_post_spec, &body, NULL, &err) != 0) {
        api_idempotent_problem(req, key, &err);
        return;
    }
    enum payment_method method = PAYMENT_DEMO;
    enum money_plan plan = MONEY_PLAN_FULL;
    payment_method_from_name(body.method, &method);
    money_plan_from_name(body.plan, &plan);
    struct money_checkout c;
    if (money_checkout_open(req->db, &req->arena, &user, http_param(req, "id"), method, plan, &c, &err) != 0) {
        api_idempotent_problem(req, key, &err);
        return;
    }
    catalog_index_sync(req->db); /* a booking changes nothing in seats, but a demo payment may book */
    if (!c.needs_provider) {
        reply_checkout(req, key, &c);
        return;
    }
    struct store_application a;
    struct collect_offload *o = http_offload_alloc(sizeof(*o));
    if (o == NULL || store_application_get(req->db, &req->arena, c.checkout.application_id, &a) != DB_ROW) {
        http_offload_free(o);
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    money_collect_job_init(&o->job, &c.checkout, &a, user.email, &req->arena);
    if (key != NULL) {
        snprintf(o->key, sizeof(o->key), "%s", key);
        o->has_key = true;
    }
    http_offload_start(req, o, money_collect_work, collected);
}
