/* stripe_signature.h — the Stripe-Signature header of webhook requests,
 * checked as Stripe specifies (docs.stripe.com/webhooks/signature): the
 * header is a comma-separated list of key=value items; "t" is the Unix time
 * of signing and each "v1" is a lowercase hex HMAC-SHA256, keyed with the
 * endpoint's whole signing secret ("whsec_…"), of "<t>.<raw body>". The
 * request is genuine when one v1 matches (constant-time compare) and t is
 * within the tolerance of now. Other items (v0, …) are ignored. */
#ifndef ROUNDS_LIB_STRIPE_SIGNATURE_H
#define ROUNDS_LIB_STRIPE_SIGNATURE_H

#include <stddef.h>
#include <stdint.h>

enum {
    STRIPE_SIGNATURE_TOLERANCE_SECONDS = 300,
    STRIPE_SIGNATURE_HEADER_MAX = 2048, /* a longer header is refused unread */
    STRIPE_SIGNATURE_HEX = 64,
};

enum stripe_signature_result {
    STRIPE_SIGNATURE_OK = 0,
    STRIPE_SIGNATURE_MALFORMED,    /* no header, too long, or no usable "t" */
    STRIPE_SIGNATURE_NO_V1,        /* no "v1" signature in the header */
    STRIPE_SIGNATURE_MISMATCH,     /* no v1 matches the body */
    STRIPE_SIGNATURE_OUTSIDE_TOLERANCE, /* signed more than the tolerance before (or after) now */
};

/* Checks header against payload[0..len) with secret at time now. */
enum stripe_signature_result stripe_signature_verify(const char *header, const char *payload, size_t len,
                                                     const char *secret, int64_t now, int64_t tolerance);

/* The lowercase hex HMAC-SHA256 of "<t>.<payload>" under secret into out[65]. */
void stripe_signature_compute(const char *payload, size_t len, const char *secret, int64_t t, char out[65]);

/* "t=<t>,v1=<hex>" into out (for the benchmark's generated events). */
void stripe_signature_header(const char *payload, size_t len, const char *secret, int64_t t, char *out,
                             size_t size);

/* A short reason for logs and problem details. */
const char *stripe_signature_reason(enum stripe_signature_result result);

#endif
