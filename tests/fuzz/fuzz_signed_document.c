/* fuzz_signed_document.c — libFuzzer target for what `rounds certificate
 * verify` reads from files it is given: signed_marker_extract() over a
 * file's bytes, signed_facts_valid()/signed_facts_get() over the facts, and
 * signing_public_key_parse() over a key file.
 *
 * It checks: extracted facts are NUL-terminated at their length, within
 * SIGNED_FACTS_MAX_BYTES and well formed; a marker written back from them and
 * the signature found extracts to the same facts and signature; facts never
 * verify against a fixed key (the input cannot carry a valid signature for a
 * key it does not know); a parsed key prints as PEM that parses back to the
 * same bytes. A violation traps. */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/signed_document.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

static void check_extract(const uint8_t *data, size_t size)
{
    static char facts[SIGNED_FACTS_MAX_BYTES + 1], again[SIGNED_FACTS_MAX_BYTES + 1];
    static char marker[2 * SIGNED_FACTS_MAX_BYTES + 256];
    unsigned char sig[SIGNATURE_BYTES], sig2[SIGNATURE_BYTES];
    size_t len = 0, len2 = 0;
    if (signed_marker_extract(data, size, facts, sizeof(facts), &len, sig) != SIGNED_FOUND)
        return;
    check(len <= SIGNED_FACTS_MAX_BYTES && facts[len] == '\0' && signed_facts_valid(facts, len));
    char value[256];
    if (signed_facts_get(facts, len, "number", value, sizeof(value)))
        check(strlen(value) < sizeof(value) && strchr(value, '\n') == NULL);
    check(signed_marker_write(facts, len, sig, marker, sizeof(marker)) == 0);
    check(strlen(marker) == signed_marker_length(len));
    check(signed_marker_extract((const unsigned char *)marker, strlen(marker), again, sizeof(again), &len2, sig2) ==
          SIGNED_FOUND);
    check(len2 == len && memcmp(again, facts, len) == 0 && memcmp(sig, sig2, sizeof(sig)) == 0);
    unsigned char key[SIGNING_PUBLIC_KEY_BYTES];
    memset(key, 0x5a, sizeof(key));
    check(!signing_verify(key, facts, len, sig));
}

static void check_key(const uint8_t *data, size_t size)
{
    unsigned char key[SIGNING_PUBLIC_KEY_BYTES], back[SIGNING_PUBLIC_KEY_BYTES];
    char pem[SIGNING_PEM_SIZE];
    if (!signing_public_key_parse((const char *)data, size, key))
        return;
    signing_public_pem(key, pem);
    check(signing_public_key_parse(pem, strlen(pem), back) && memcmp(key, back, sizeof(key)) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool ready;
    if (!ready) {
        check(sodium_init() >= 0);
        ready = true;
    }
    check_extract(data, size);
    check_key(data, size);
    char value[64];
    if (signed_facts_valid((const char *)data, size))
        (void)signed_facts_get((const char *)data, size, "kind", value, sizeof(value));
    return 0;
}
