/* fuzz_stripe_json.c — libFuzzer target for lib/stripe_json.c: the webhook
 * event (read after its signature is verified) and the replies of Stripe's
 * API (a Checkout Session, a Refund, an error).
 *
 * Any input must parse or be refused without crashing or leaking; what a
 * successful parse returns must hold: an event has a non-empty id and a type
 * within STRIPE_ID_MAX_BYTES, its kind matches its type, every string is
 * within its cap and NUL-free, a session's url is http(s). A violation traps. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/stripe_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
    if (!ok)
        __builtin_trap();
}

static void capped(const char *s, size_t max)
{
    if (s != NULL)
        check(strlen(s) <= max);
}

static void check_event(const struct stripe_event *ev)
{
    check(ev->id != NULL && ev->id[0] != '\0' && ev->type != NULL);
    capped(ev->id, STRIPE_ID_MAX_BYTES);
    capped(ev->type, STRIPE_ID_MAX_BYTES);
    capped(ev->session_id, STRIPE_ID_MAX_BYTES);
    capped(ev->checkout_ref, STRIPE_ID_MAX_BYTES);
    capped(ev->payment_intent, STRIPE_ID_MAX_BYTES);
    capped(ev->currency, STRIPE_ID_MAX_BYTES);
    check((ev->kind == STRIPE_EVENT_SESSION_COMPLETED) == (strcmp(ev->type, "checkout.session.completed") == 0));
    check((ev->kind == STRIPE_EVENT_SESSION_EXPIRED) == (strcmp(ev->type, "checkout.session.expired") == 0));
    check(ev->has_amount || ev->amount_cents == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena arena;
    arena_heap_init(&arena);
    const char *body = (const char *)data;

    struct stripe_event ev;
    const char *why = NULL;
    if (stripe_event_parse(&arena, body, size, &ev, &why) == 0)
        check_event(&ev);
    else
        check(why != NULL);

    const char *id = NULL, *url = NULL, *status = NULL;
    if (stripe_session_reply_parse(&arena, body, size, &id, &url) == 0) {
        check(id != NULL && id[0] != '\0' && url != NULL);
        capped(id, STRIPE_ID_MAX_BYTES);
        capped(url, STRIPE_URL_MAX_BYTES);
        check(strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0);
    }
    if (stripe_refund_reply_parse(&arena, body, size, &id, &status) == 0) {
        check(id != NULL && id[0] != '\0');
        capped(id, STRIPE_ID_MAX_BYTES);
        capped(status, STRIPE_ID_MAX_BYTES);
    }
    capped(stripe_error_message(&arena, body, size), STRIPE_MESSAGE_MAX_BYTES);
    arena_heap_free(&arena);
    return 0;
}
