/* crypto.c — libsodium wrappers; see crypto.h. */
#include "lib/crypto.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* The Argon2id cost: libsodium's INTERACTIVE limits (2 passes, 64 MiB). Raising
 * these makes existing hashes "need rehash", and login upgrades them. */
static unsigned long long password_opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
static size_t password_memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;

int crypto_init(void)
{
    if (sodium_init() < 0)
        return -1;
#ifdef ROUNDS_TEST_BUILD
    /* Sanitized (test) builds only: the harnesses that start servers and the
     * CLI set ROUNDS_TEST_PASSWORD_COST=min, libsodium's least cost (1 pass,
     * 8 KiB): each hash at the INTERACTIVE cost takes 0.15 s of CPU and was
     * half of a test run's. Verifying reads the cost from the stored hash, so
     * either cost's hashes verify under both. */
    const char *cost = getenv("ROUNDS_TEST_PASSWORD_COST");
    if (cost != NULL && strcmp(cost, "min") == 0) {
        password_opslimit = crypto_pwhash_OPSLIMIT_MIN;
        password_memlimit = crypto_pwhash_MEMLIMIT_MIN;
    }
#endif
    return 0;
}

void crypto_random_token(char out[44])
{
    unsigned char bytes[32];
    randombytes_buf(bytes, sizeof(bytes));
    sodium_bin2base64(out, 44, bytes, sizeof(bytes), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(bytes, sizeof(bytes));
}

void crypto_random_id(const char *prefix, char *out, size_t out_size)
{
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789"; /* 32 symbols, no l/o/0/1 */
    size_t plen = strlen(prefix);
    if (out_size < plen + 17) {
        if (out_size > 0)
            out[0] = '\0';
        return;
    }
    memcpy(out, prefix, plen);
    unsigned char bytes[16];
    randombytes_buf(bytes, sizeof(bytes));
    for (size_t i = 0; i < 16; i++)
        out[plen + i] = alphabet[bytes[i] & 31];
    out[plen + 16] = '\0';
}

void crypto_sortable_id(const char *prefix, int64_t now_ms, char *out, size_t out_size)
{
    /* Base32 in the natural order so that the text sorts like the number. */
    static const char digits[] = "0123456789abcdefghjkmnpqrstvwxyz";
    size_t plen = strlen(prefix);
    if (out_size < plen + 21) {
        if (out_size > 0)
            out[0] = '\0';
        return;
    }
    memcpy(out, prefix, plen);
    uint64_t t = (uint64_t)now_ms;
    for (int i = 8; i >= 0; i--) {
        out[plen + (size_t)i] = digits[t & 31];
        t >>= 5;
    }
    unsigned char bytes[11];
    randombytes_buf(bytes, sizeof(bytes));
    for (size_t i = 0; i < 11; i++)
        out[plen + 9 + i] = digits[bytes[i] & 31];
    out[plen + 20] = '\0';
}

void crypto_hash_token(const char *token, char out[65])
{
    unsigned char digest[32];
    crypto_generichash(digest, sizeof(digest), (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(out, 65, digest, sizeof(digest));
}

bool crypto_equal(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la != lb)
        return false;
    return sodium_memcmp(a, b, la) == 0;
}

void crypto_base64url_encode(const void *bytes, size_t len, char *out, size_t out_size)
{
    if (out_size < sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_URLSAFE_NO_PADDING)) {
        if (out_size > 0)
            out[0] = '\0';
        return;
    }
    sodium_bin2base64(out, out_size, bytes, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void crypto_base64_encode(const void *bytes, size_t len, char *out, size_t out_size)
{
    if (out_size < sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL)) {
        if (out_size > 0)
            out[0] = '\0';
        return;
    }
    sodium_bin2base64(out, out_size, bytes, len, sodium_base64_VARIANT_ORIGINAL);
}

long crypto_base64url_decode(const char *s, void *out, size_t out_size)
{
    size_t len = 0;
    if (sodium_base642bin(out, out_size, s, strlen(s), NULL, &len, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        return -1;
    return (long)len;
}

int crypto_password_hash(const char *password, char out[128])
{
    return crypto_pwhash_str(out, password, strlen(password), password_opslimit, password_memlimit);
}

bool crypto_password_verify(const char *stored_hash, const char *password)
{
    return crypto_pwhash_str_verify(stored_hash, password, strlen(password)) == 0;
}

bool crypto_password_needs_rehash(const char *stored_hash)
{
    return crypto_pwhash_str_needs_rehash(stored_hash, password_opslimit, password_memlimit) != 0;
}
