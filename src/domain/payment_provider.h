/* payment_provider.h — the one small interface behind which Rounds takes and
 * gives back money. Three providers implement it, each in its own file:
 *
 *   stripe         (provider_stripe.c) Stripe Checkout Sessions and Refunds
 *                  through libcurl; payments are confirmed only by the signed
 *                  webhook, never by the redirect back. Card data never
 *                  reaches Rounds.
 *   bank_transfer  (provider_bank.c) the checkout shows the amount, the
 *                  account details from configuration and a unique reference;
 *                  staff record each transfer that arrives and send refunds
 *                  themselves (marking them sent).
 *   demo           (provider_demo.c) pays at once and refunds at once, so the
 *                  whole journey can be tried from `make run`; refused when
 *                  the public URL is https.
 *
 * A fourth method, manual, has no provider: staff record a payment taken by
 * hand (the `book` action) and send its refunds themselves.
 *
 * Amounts are always computed by the server; no provider call ever takes an
 * amount a client sent. Every call to Stripe carries an Idempotency-Key (the
 * checkout's or the refund's id), so a retry never charges or refunds twice. */
#ifndef ROUNDS_DOMAIN_PAYMENT_PROVIDER_H
#define ROUNDS_DOMAIN_PAYMENT_PROVIDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum payment_method {
    PAYMENT_STRIPE,
    PAYMENT_BANK_TRANSFER,
    PAYMENT_DEMO,
    PAYMENT_MANUAL,
    PAYMENT_METHOD_COUNT
};

/* "stripe", "bank_transfer", "demo", "manual". */
const char *payment_method_name(enum payment_method method);
/* "Card (Stripe)", "Bank transfer", … for pages and receipts. */
const char *payment_method_label(enum payment_method method);
bool payment_method_from_name(const char *name, enum payment_method *out);

enum {
    PAYMENT_REF_MAX = 256,        /* a provider's id for a session, payment or refund */
    PAYMENT_URL_MAX = 2048,       /* where the student is sent to pay */
    PAYMENT_ERROR_MAX = 256,
};

/* What to collect: one checkout of Rounds. */
struct payment_collect {
    const char *checkout_id;     /* the Idempotency-Key and the reference Stripe sends back */
    const char *application_id;
    int64_t amount_cents;        /* computed by the server */
    const char *description;     /* "Deposit — Cardiology clerkship, Mar 1, 2027" */
    const char *customer_email;
    const char *success_url, *cancel_url;
    int64_t expires_at;          /* stop taking it after (the hold's expiry), Unix seconds */
};

struct payment_collecting {
    char session_ref[PAYMENT_REF_MAX]; /* Stripe's Checkout Session id */
    char url[PAYMENT_URL_MAX];         /* where to send the student */
};

/* What to give back, through the payment it came from. */
struct payment_give_back {
    const char *refund_id;       /* the Idempotency-Key */
    const char *payment_ref;     /* the provider's id of the payment (Stripe's PaymentIntent) */
    int64_t amount_cents;
};

struct payment_given_back {
    char refund_ref[PAYMENT_REF_MAX];
};

struct payment_provider {
    enum payment_method method;
    bool pays_at_once;      /* demo: the checkout is paid when it starts */
    bool refunds_by_hand;   /* bank transfer: staff send refunds and mark them sent */
    /* Starts collecting (Stripe: a Checkout Session to redirect to). NULL
     * when nothing has to be called. 0, or -1 with a reason in error. */
    int (*collect)(const struct payment_collect *in, struct payment_collecting *out, char *error,
                   size_t error_size);
    /* Sends a refund back. NULL when refunds are sent by hand or at once. */
    int (*give_back)(const struct payment_give_back *in, struct payment_given_back *out, char *error,
                     size_t error_size);
};

/* What `rounds serve` configures from ROUNDS_STRIPE_*, ROUNDS_BANK_TRANSFER_DETAILS and ROUNDS_PUBLIC_URL. */
struct payments_settings {
    const char *stripe_secret_key;      /* NULL: Stripe is not offered */
    const char *stripe_webhook_secret;  /* needed with the secret key */
    const char *stripe_api_base;        /* default https://api.stripe.com */
    const char *bank_transfer_details;  /* NULL: bank transfer is not offered; "Label: value; …" */
    const char *public_url;             /* for the return URLs; https refuses the demo provider */
};

/* Decides which providers this process offers: Stripe with a secret key (and
 * then a webhook secret, else false and why), bank transfer with account
 * details, and the demo provider when neither is configured and the public
 * URL is not https. Returns false with why (for the operator) on a setting
 * that cannot work. */
bool payments_configure(const struct payments_settings *settings, char *why, size_t why_size);
/* The configured settings (after payments_configure). */
const struct payments_settings *payments_settings(void);
/* The provider for method when this process offers it, else NULL. */
const struct payment_provider *payments_provider(enum payment_method method);
/* True when the demo provider was asked for but refused (https public URL). */
bool payments_demo_refused(void);

/* The implementations (provider_*.c). */
extern const struct payment_provider payment_provider_stripe;
extern const struct payment_provider payment_provider_bank;
extern const struct payment_provider payment_provider_demo;

#endif
