/* stripe_webhook.c — POST /api/v1/payments/webhooks/stripe: Stripe's events,
 * the only way a card payment counts. The Stripe-Signature header is checked
 * first, exactly as Stripe specifies (lib/stripe_signature.h): missing, wrong
 * or older than 300 s → 400 invalid_signature and nothing is recorded. A
 * verified event is processed once per event id, even when delivered twice at
 * the same moment to two instances (the event id is claimed in the same
 * transaction as the payment). An event we do not act on → 200, ignored. */
#include "api/money_api.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "lib/stripe_signature.h"

void api_stripe_webhook(struct http_request *req)
{
    const struct payments_settings *s = payments_settings();
    if (payments_provider(PAYMENT_STRIPE) == NULL || s->stripe_webhook_secret == NULL) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "Stripe is not configured here");
        return;
    }
    const char *header = http_header(req, "stripe-signature");
    enum stripe_signature_result verdict =
        stripe_signature_verify(header, req->body != NULL ? req->body : "", req->body_len, s->stripe_webhook_secret,
                                clock_now(), STRIPE_SIGNATURE_TOLERANCE_SECONDS);
    if (verdict != STRIPE_SIGNATURE_OK) {
        log_info("msg=\"stripe webhook refused\" reason=\"%s\"", stripe_signature_reason(verdict));
        http_reply_error(req, ERR_INVALID_SIGNATURE, "Stripe-Signature", stripe_signature_reason(verdict));
        return;
    }
    enum money_event_outcome outcome;
    struct error err = {0};
    if (money_stripe_event(req->db, &req->arena, req->body, req->body_len, &outcome, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    static const char *const words[] = {[MONEY_EVENT_APPLIED] = "applied", [MONEY_EVENT_DUPLICATE] = "duplicate",
                                        [MONEY_EVENT_IGNORED] = "ignored"};
    struct buf b;
    buf_init(&b, &req->arena, 128);
    buf_appendf(&b, "{\"received\":true,\"outcome\":\"%s\"}", words[outcome]);
    http_reply_json(req, 200, &b);
}
