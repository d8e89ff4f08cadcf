/* payments.c — the payment methods' names and which providers this process
 * offers; see payment_provider.h. */
#include "domain/payment_provider.h"

#include <stdio.h>
#include <string.h>

#include "lib/limits.h"

static const struct {
    const char *name, *label;
} methods[PAYMENT_METHOD_COUNT] = {
    [PAYMENT_STRIPE] = {"stripe", "Card (Stripe)"},
    [PAYMENT_BANK_TRANSFER] = {"bank_transfer", "Bank transfer"},
    [PAYMENT_DEMO] = {"demo", "Demo payment (no real money)"},
    [PAYMENT_MANUAL] = {"manual", "Recorded by Rounds staff"},
};

const char *payment_method_name(enum payment_method method)
{
    return method < PAYMENT_METHOD_COUNT ? methods[method].name : "unknown";
}

const char *payment_method_label(enum payment_method method)
{
    return method < PAYMENT_METHOD_COUNT ? methods[method].label : "Unknown";
}

bool payment_method_from_name(const char *name, enum payment_method *out)
{
    for (int m = 0; name != NULL && m < PAYMENT_METHOD_COUNT; m++)
        if (strcmp(methods[m].name, name) == 0) {
            *out = (enum payment_method)m;
            return true;
        }
    return false;
}

static struct payments_settings settings;
static bool offered[PAYMENT_METHOD_COUNT];
static bool demo_refused;

static bool set(const char *s)
{
    return s != NULL && s[0] != '\0';
}

bool payments_configure(const struct payments_settings *s, char *why, size_t why_size)
{
    settings = *s;
    if (!set(settings.stripe_api_base))
        settings.stripe_api_base = "https://api.stripe.com";
    memset(offered, 0, sizeof(offered));
    demo_refused = false;
    if (set(s->stripe_secret_key) && !set(s->stripe_webhook_secret)) {
        snprintf(why, why_size, "ROUNDS_STRIPE_SECRET_KEY is set but ROUNDS_STRIPE_WEBHOOK_SECRET is not: payments "
                                "could never be confirmed");
        return false;
    }
    if (set(s->bank_transfer_details) && strlen(s->bank_transfer_details) > BANK_DETAILS_MAX_BYTES) {
        snprintf(why, why_size, "ROUNDS_BANK_TRANSFER_DETAILS is longer than %d bytes", BANK_DETAILS_MAX_BYTES);
        return false;
    }
    offered[PAYMENT_STRIPE] = set(s->stripe_secret_key);
    offered[PAYMENT_BANK_TRANSFER] = set(s->bank_transfer_details);
    if (!offered[PAYMENT_STRIPE] && !offered[PAYMENT_BANK_TRANSFER]) {
        bool https = s->public_url != NULL && strncmp(s->public_url, "https://", 8) == 0;
        offered[PAYMENT_DEMO] = !https;
        demo_refused = https;
    }
    return true;
}

const struct payments_settings *payments_settings(void)
{
    return &settings;
}

const struct payment_provider *payments_provider(enum payment_method method)
{
    if (method >= PAYMENT_METHOD_COUNT || !offered[method])
        return NULL;
    switch (method) {
    case PAYMENT_STRIPE:
        return &payment_provider_stripe;
    case PAYMENT_BANK_TRANSFER:
        return &payment_provider_bank;
    case PAYMENT_DEMO:
        return &payment_provider_demo;
    default:
        return NULL;
    }
}

bool payments_demo_refused(void)
{
    return demo_refused;
}
