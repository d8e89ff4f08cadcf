/* stripe_signature.c — Stripe webhook signatures; see stripe_signature.h. */
#include "lib/stripe_signature.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

void stripe_signature_compute(const char *payload, size_t len, const char *secret, int64_t t, char out[65])
{
    crypto_auth_hmacsha256_state state;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    char stamp[24];
    int n = snprintf(stamp, sizeof(stamp), "%lld.", (long long)t);
    crypto_auth_hmacsha256_init(&state, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&state, (const unsigned char *)stamp, (unsigned long long)n);
    crypto_auth_hmacsha256_update(&state, (const unsigned char *)payload, (unsigned long long)len);
    crypto_auth_hmacsha256_final(&state, mac);
    sodium_bin2hex(out, 65, mac, sizeof(mac));
    sodium_memzero(&state, sizeof(state));
}

void stripe_signature_header(const char *payload, size_t len, const char *secret, int64_t t, char *out, size_t size)
{
    char hex[65];
    stripe_signature_compute(payload, len, secret, t, hex);
    snprintf(out, size, "t=%lld,v1=%s", (long long)t, hex);
}

/* A whole decimal number of 1–15 digits. */
static bool parse_timestamp(const char *s, size_t n, int64_t *out)
{
    if (n == 0 || n > 15)
        return false;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

enum stripe_signature_result stripe_signature_verify(const char *header, const char *payload, size_t len,
                                                     const char *secret, int64_t now, int64_t tolerance)
{
    if (header == NULL || header[0] == '\0' || strlen(header) > STRIPE_SIGNATURE_HEADER_MAX || secret == NULL)
        return STRIPE_SIGNATURE_MALFORMED;
    /* Split on ',' into key=value items, as Stripe's libraries do: only "t" and "v1" count. */
    const char *v1[32];
    size_t v1_len[32], v1_count = 0;
    bool have_t = false, bad_t = false;
    int64_t t = 0;
    for (const char *item = header; item != NULL;) {
        const char *comma = strchr(item, ',');
        size_t n = comma != NULL ? (size_t)(comma - item) : strlen(item);
        const char *eq = memchr(item, '=', n);
        if (eq != NULL) {
            size_t key_len = (size_t)(eq - item);
            const char *value = eq + 1;
            /* A value ends at a second '=' like Stripe's split('=')[1]. */
            const char *value_end = memchr(value, '=', n - key_len - 1);
            size_t value_len = value_end != NULL ? (size_t)(value_end - value) : n - key_len - 1;
            if (key_len == 1 && item[0] == 't') {
                if (parse_timestamp(value, value_len, &t))
                    have_t = true;
                else
                    bad_t = true;
            } else if (key_len == 2 && item[0] == 'v' && item[1] == '1' && v1_count < 32) {
                v1[v1_count] = value;
                v1_len[v1_count++] = value_len;
            }
        }
        item = comma != NULL ? comma + 1 : NULL;
    }
    if (!have_t || bad_t)
        return STRIPE_SIGNATURE_MALFORMED;
    if (v1_count == 0)
        return STRIPE_SIGNATURE_NO_V1;
    char expected[65];
    stripe_signature_compute(payload, len, secret, t, expected);
    bool found = false;
    for (size_t i = 0; i < v1_count; i++)
        if (v1_len[i] == STRIPE_SIGNATURE_HEX && sodium_memcmp(expected, v1[i], STRIPE_SIGNATURE_HEX) == 0)
            found = true; /* keep comparing: the time taken does not depend on which one matched */
    sodium_memzero(expected, sizeof(expected));
    if (!found)
        return STRIPE_SIGNATURE_MISMATCH;
    int64_t age = now - t;
    if (tolerance > 0 && (age > tolerance || age < -tolerance))
        return STRIPE_SIGNATURE_OUTSIDE_TOLERANCE;
    return STRIPE_SIGNATURE_OK;
}

const char *stripe_signature_reason(enum stripe_signature_result result)
{
    switch (result) {
    case STRIPE_SIGNATURE_OK:
        return "the signature is valid";
    case STRIPE_SIGNATURE_MALFORMED:
        return "the Stripe-Signature header is missing or has no timestamp";
    case STRIPE_SIGNATURE_NO_V1:
        return "the Stripe-Signature header has no v1 signature";
    case STRIPE_SIGNATURE_MISMATCH:
        return "no v1 signature matches the body";
    case STRIPE_SIGNATURE_OUTSIDE_TOLERANCE:
        return "the signature's timestamp is outside the tolerance";
    }
    return "the signature is not valid";
}
