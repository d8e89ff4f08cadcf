/* provider_stripe.c — Stripe through its HTTP API with libcurl, against
 * ROUNDS_STRIPE_API_BASE (https://api.stripe.com unless set, so that tests
 * can point it at a stand-in):
 *
 *   collect    POST /v1/checkout/sessions — a hosted Checkout page for the
 *              amount the server computed; the student is redirected there
 *              and back. The payment counts only when the signed webhook
 *              (checkout.session.completed) says so.
 *   give_back  POST /v1/refunds — through the PaymentIntent that took it.
 *
 * Every call is form-encoded, authenticated with the secret key, and carries
 * an Idempotency-Key (the checkout's or the refund's id): a retry after a
 * timeout returns Stripe's first answer instead of acting twice. Calls block
 * for at most a few seconds; callers run them off the event loops. */
#include "domain/payment_provider.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/clock.h"
#include "lib/log.h"
#include "lib/stripe_json.h"

enum {
    STRIPE_REPLY_MAX = 256 * 1024,
    STRIPE_FORM_MAX = 16 * 1024,
    STRIPE_CONNECT_TIMEOUT_SECONDS = 5,
    STRIPE_TIMEOUT_SECONDS = 20,
    STRIPE_SESSION_MIN_SECONDS = 31 * 60,      /* Stripe's lower bound for expires_at is 30 minutes */
    STRIPE_SESSION_MAX_SECONDS = 23 * 3600 + 3000, /* and its upper bound 24 hours */
};

struct reply {
    char *data;
    size_t len;
    bool too_big;
};

static size_t on_reply(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    struct reply *r = userdata;
    size_t n = size * nmemb;
    if (r->len + n > STRIPE_REPLY_MAX) {
        r->too_big = true;
        return 0;
    }
    char *grown = realloc(r->data, r->len + n + 1);
    if (grown == NULL)
        return 0;
    r->data = grown;
    memcpy(r->data + r->len, ptr, n);
    r->len += n;
    r->data[r->len] = '\0';
    return n;
}

/* A growing application/x-www-form-urlencoded body. */
struct form {
    CURL *curl;
    char text[STRIPE_FORM_MAX];
    size_t len;
    bool overflow;
};

static void form_add(struct form *f, const char *name, const char *value)
{
    char *escaped = curl_easy_escape(f->curl, value != NULL ? value : "", 0);
    if (escaped == NULL) {
        f->overflow = true;
        return;
    }
    int n = snprintf(f->text + f->len, sizeof(f->text) - f->len, "%s%s=%s", f->len > 0 ? "&" : "", name, escaped);
    curl_free(escaped);
    if (n < 0 || (size_t)n >= sizeof(f->text) - f->len)
        f->overflow = true;
    else
        f->len += (size_t)n;
}

static void form_add_int(struct form *f, const char *name, long long value)
{
    char text[32];
    snprintf(text, sizeof(text), "%lld", value);
    form_add(f, name, text);
}

/* Stripe's error message from an error reply, or a generic one. */
static void error_from_reply(const struct reply *r, long status, char *error, size_t size)
{
    struct arena arena;
    arena_heap_init(&arena);
    const char *message = stripe_error_message(&arena, r->data, r->len);
    snprintf(error, size, "Stripe answered %ld: %s", status, message != NULL ? message : "no error message");
    arena_heap_free(&arena);
}

/* POSTs the form to path with the Idempotency-Key; on a 2xx reply *out holds
 * its body (the caller frees out->data, also on failure). */
static int post(const char *path, const char *idempotency_key, struct form *f, struct reply *out, char *error,
                size_t error_size)
{
    const struct payments_settings *s = payments_settings();
    struct reply r = {0};
    struct curl_slist *headers = NULL;
    char url[1024], auth[512], key[300];
    int rc = -1;
    snprintf(url, sizeof(url), "%s%s", s->stripe_api_base, path);
    snprintf(auth, sizeof(auth), "Authorization: Bearer %s", s->stripe_secret_key);
    snprintf(key, sizeof(key), "Idempotency-Key: %s", idempotency_key);
    headers = curl_slist_append(headers, auth);
    headers = curl_slist_append(headers, key);
    headers = curl_slist_append(headers, "Content-Type: application/x-www-form-urlencoded");
    curl_easy_setopt(f->curl, CURLOPT_URL, url);
    curl_easy_setopt(f->curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(f->curl, CURLOPT_POSTFIELDS, f->text);
    curl_easy_setopt(f->curl, CURLOPT_POSTFIELDSIZE, (long)f->len);
    curl_easy_setopt(f->curl, CURLOPT_WRITEFUNCTION, on_reply);
    curl_easy_setopt(f->curl, CURLOPT_WRITEDATA, &r);
    curl_easy_setopt(f->curl, CURLOPT_CONNECTTIMEOUT, (long)STRIPE_CONNECT_TIMEOUT_SECONDS);
    curl_easy_setopt(f->curl, CURLOPT_TIMEOUT, (long)STRIPE_TIMEOUT_SECONDS);
    curl_easy_setopt(f->curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(f->curl, CURLOPT_PROTOCOLS_STR, "https,http");
    CURLcode cc = curl_easy_perform(f->curl);
    long status = 0;
    curl_easy_getinfo(f->curl, CURLINFO_RESPONSE_CODE, &status);
    if (cc != CURLE_OK) {
        snprintf(error, error_size, "Stripe cannot be reached: %s", r.too_big ? "reply too large" : curl_easy_strerror(cc));
        goto out;
    }
    if (status < 200 || status > 299) {
        error_from_reply(&r, status, error, error_size);
        goto out;
    }
    rc = 0;
out:
    if (rc != 0)
        log_warn("msg=\"stripe call failed\" path=%s idempotency_key=%s status=%ld", path, idempotency_key, status);
    curl_slist_free_all(headers);
    *out = r;
    return rc;
}

static int stripe_collect(const struct payment_collect *in, struct payment_collecting *out, char *error,
                          size_t error_size)
{
    struct form f = {.curl = curl_easy_init()};
    if (f.curl == NULL) {
        snprintf(error, error_size, "curl_easy_init failed");
        return -1;
    }
    form_add(&f, "mode", "payment");
    form_add(&f, "client_reference_id", in->checkout_id);
    if (in->customer_email != NULL)
        form_add(&f, "customer_email", in->customer_email);
    form_add(&f, "success_url", in->success_url);
    form_add(&f, "cancel_url", in->cancel_url);
    form_add_int(&f, "line_items[0][quantity]", 1);
    form_add(&f, "line_items[0][price_data][currency]", "usd");
    form_add_int(&f, "line_items[0][price_data][unit_amount]", (long long)in->amount_cents);
    form_add(&f, "line_items[0][price_data][product_data][name]", in->description);
    form_add(&f, "metadata[checkout_id]", in->checkout_id);
    form_add(&f, "metadata[application_id]", in->application_id);
    form_add(&f, "payment_intent_data[metadata][checkout_id]", in->checkout_id);
    /* The session stops taking payment when the hold ends, within the bounds Stripe accepts. */
    int64_t now = clock_now(), expires = in->expires_at;
    if (expires < now + STRIPE_SESSION_MIN_SECONDS)
        expires = now + STRIPE_SESSION_MIN_SECONDS;
    if (expires > now + STRIPE_SESSION_MAX_SECONDS)
        expires = now + STRIPE_SESSION_MAX_SECONDS;
    form_add_int(&f, "expires_at", (long long)expires);
    int rc = -1;
    struct reply r = {0};
    struct arena arena;
    arena_heap_init(&arena);
    if (f.overflow) {
        snprintf(error, error_size, "the request to Stripe is too long");
        goto out;
    }
    if (post("/v1/checkout/sessions", in->checkout_id, &f, &r, error, error_size) != 0)
        goto out;
    const char *id = NULL, *url = NULL;
    if (stripe_session_reply_parse(&arena, r.data, r.len, &id, &url) != 0 || strlen(id) >= sizeof(out->session_ref) ||
        strlen(url) >= sizeof(out->url)) {
        snprintf(error, error_size, "Stripe's reply has no usable session id and url");
        goto out;
    }
    snprintf(out->session_ref, sizeof(out->session_ref), "%s", id);
    snprintf(out->url, sizeof(out->url), "%s", url);
    rc = 0;
out:
    free(r.data);
    arena_heap_free(&arena);
    curl_easy_cleanup(f.curl);
    return rc;
}

static int stripe_give_back(const struct payment_give_back *in, struct payment_given_back *out, char *error,
                            size_t error_size)
{
    struct form f = {.curl = curl_easy_init()};
    if (f.curl == NULL) {
        snprintf(error, error_size, "curl_easy_init failed");
        return -1;
    }
    form_add(&f, "payment_intent", in->payment_ref);
    form_add_int(&f, "amount", (long long)in->amount_cents);
    form_add(&f, "metadata[refund_id]", in->refund_id);
    int rc = -1;
    struct reply r = {0};
    struct arena arena;
    arena_heap_init(&arena);
    if (post("/v1/refunds", in->refund_id, &f, &r, error, error_size) != 0)
        goto out;
    const char *id = NULL, *status = NULL;
    if (stripe_refund_reply_parse(&arena, r.data, r.len, &id, &status) != 0 || strlen(id) >= sizeof(out->refund_ref)) {
        snprintf(error, error_size, "Stripe's reply has no refund id");
        goto out;
    }
    /* succeeded, or pending (on its way): sent. failed or canceled: not. */
    if (status == NULL || (strcmp(status, "succeeded") != 0 && strcmp(status, "pending") != 0)) {
        snprintf(error, error_size, "Stripe's refund %s is %s", id, status != NULL ? status : "of unknown status");
        goto out;
    }
    snprintf(out->refund_ref, sizeof(out->refund_ref), "%s", id);
    rc = 0;
out:
    free(r.data);
    arena_heap_free(&arena);
    curl_easy_cleanup(f.curl);
    return rc;
}

const struct payment_provider payment_provider_stripe = {
    .method = PAYMENT_STRIPE,
    .pays_at_once = false,
    .refunds_by_hand = false,
    .collect = stripe_collect,
    .give_back = stripe_give_back,
};
