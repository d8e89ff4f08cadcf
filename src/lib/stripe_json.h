/* stripe_json.h — reading the JSON Stripe sends us: a webhook event (after
 * its signature is verified, lib/stripe_signature.h) and the replies of the
 * two API calls we make (a Checkout Session, a Refund) or their error. Only
 * the fields Rounds acts on are read; every string is copied into the arena
 * and capped, so nothing of the JSON outlives the call. What the fields mean
 * for the money (which checkout, whether to trust the amount) is decided in
 * domain/money_checkout.c, not here. */
#ifndef ROUNDS_LIB_STRIPE_JSON_H
#define ROUNDS_LIB_STRIPE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"

enum {
    STRIPE_ID_MAX_BYTES = 255,   /* an event, session, payment intent or refund id */
    STRIPE_URL_MAX_BYTES = 1023, /* a Checkout Session's url */
    STRIPE_MESSAGE_MAX_BYTES = 300,
};

/* The event types we act on; every other type is STRIPE_EVENT_OTHER (ignored). */
enum stripe_event_kind {
    STRIPE_EVENT_OTHER = 0,
    STRIPE_EVENT_SESSION_COMPLETED,       /* checkout.session.completed */
    STRIPE_EVENT_SESSION_ASYNC_SUCCEEDED, /* checkout.session.async_payment_succeeded */
    STRIPE_EVENT_SESSION_EXPIRED,         /* checkout.session.expired */
};

struct stripe_event {
    const char *id, *type;      /* never NULL after a successful parse */
    enum stripe_event_kind kind;
    const char *session_id;     /* data.object.id, or NULL */
    const char *checkout_ref;   /* data.object.client_reference_id, else metadata.checkout_id, or NULL */
    const char *payment_intent; /* or NULL */
    const char *currency;       /* or NULL */
    bool paid;                  /* data.object.payment_status is "paid" */
    bool has_amount;            /* amount_total is an integer; amount_cents holds it */
    int64_t amount_cents;
};

/* Parses body[0..len) as a Stripe event. 0 on success; -1 when it is not an
 * event (not a JSON object, no string id of 1..STRIPE_ID_MAX_BYTES bytes, no
 * string type, or no data.object object), with *why saying which. A string
 * field of the object that is too long, or not a string, reads as NULL. */
int stripe_event_parse(struct arena *arena, const char *body, size_t len, struct stripe_event *out,
                       const char **why);

/* A Checkout Session reply: its id and an http(s) url. 0, or -1 when either is
 * missing, not a string or too long. */
int stripe_session_reply_parse(struct arena *arena, const char *body, size_t len, const char **id,
                               const char **url);

/* A Refund reply: its id (required) and status (NULL when absent). 0 or -1. */
int stripe_refund_reply_parse(struct arena *arena, const char *body, size_t len, const char **id,
                              const char **status);

/* The error.message of an error reply, or NULL. */
const char *stripe_error_message(struct arena *arena, const char *body, size_t len);

#endif
