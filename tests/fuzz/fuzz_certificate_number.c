/* fuzz_certificate_number.c — libFuzzer target for certificate_number_parse().
 *
 * On success it checks what /verify/{number} relies on: the canonical form
 * is "RC-" and four groups of four characters of the Crockford alphabet, it
 * parses again to itself (idempotent), and changing any one of its 16
 * characters to another symbol makes it fail (the check character catches
 * every single substitution). A violation traps. */
#include <stdint.h>
#include <string.h>

#include "lib/certificate_number.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char out[CERTIFICATE_NUMBER_SIZE], again[CERTIFICATE_NUMBER_SIZE];
    if (!certificate_number_parse((const char *)data, size, out))
        return 0;
    check(size <= CERTIFICATE_NUMBER_INPUT_MAX);
    check(strlen(out) == CERTIFICATE_NUMBER_SIZE - 1 && memcmp(out, "RC", 2) == 0);
    for (size_t i = 2; i < CERTIFICATE_NUMBER_SIZE - 1; i++) {
        if ((i - 2) % 5 == 0)
            check(out[i] == '-');
        else
            check(strchr(alphabet, out[i]) != NULL && out[i] != '\0');
    }
    check(certificate_number_parse(out, strlen(out), again) && strcmp(out, again) == 0);
    /* One substitution, chosen by the input, must fail the check. */
    size_t pos = 3 + (size_t)(data[0] % 19);
    if (out[pos] != '-') {
        char changed[CERTIFICATE_NUMBER_SIZE];
        memcpy(changed, out, sizeof(changed));
        char replacement = alphabet[(size > 1 ? data[1] : 7) % 32];
        if (replacement != changed[pos]) {
            changed[pos] = replacement;
            check(!certificate_number_parse(changed, strlen(changed), again));
        }
    }
    return 0;
}
