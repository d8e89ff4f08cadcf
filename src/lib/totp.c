/* totp.c — TOTP through liboath, and the code parser; see totp.h. */
#include "lib/totp.h"

#include <liboath/oath.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* RFC 4648 base32: lower case in recovery codes, upper case in secrets (as apps show them). */
static const char base32_alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
static const char base32_upper[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

static bool is_base32(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7');
}

enum totp_code_kind totp_parse_code(const char *input, struct totp_code *out)
{
    memset(out, 0, sizeof(*out));
    if (input == NULL)
        return TOTP_CODE_INVALID;
    size_t n = 0, digits = 0, length = 0;
    for (const char *p = input; *p != '\0'; p++, length++) {
        if (length >= TOTP_CODE_INPUT_MAX_BYTES)
            goto invalid;
        char c = *p;
        if (c == ' ' || c == '-')
            continue;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        bool digit = c >= '0' && c <= '9';
        if ((!digit && !is_base32(c)) || n >= RECOVERY_CODE_CHARS)
            goto invalid;
        digits += digit;
        out->text[n++] = c;
    }
    out->text[n] = '\0';
    if (n == TOTP_DIGITS && digits == n)
        out->kind = TOTP_CODE_DIGITS;
    else if (n == RECOVERY_CODE_CHARS) {
        /* 0, 1, 8 and 9 are not base32: a code with them is mistyped. */
        for (size_t i = 0; i < n; i++)
            if (!is_base32(out->text[i]))
                goto invalid;
        out->kind = TOTP_CODE_RECOVERY;
    } else {
        goto invalid;
    }
    return out->kind;
invalid:
    memset(out, 0, sizeof(*out));
    return TOTP_CODE_INVALID;
}

int totp_init(void)
{
    return oath_init() == OATH_OK ? 0 : -1;
}

int totp_generate(const unsigned char secret[TOTP_SECRET_BYTES], int64_t now, char out[TOTP_DIGITS + 1])
{
    return oath_totp_generate((const char *)secret, TOTP_SECRET_BYTES, (time_t)now, TOTP_STEP_SECONDS, 0, TOTP_DIGITS,
                              out) == OATH_OK
               ? 0
               : -1;
}

int64_t totp_match(const unsigned char secret[TOTP_SECRET_BYTES], int64_t now, const char *digits)
{
    if (digits == NULL || strlen(digits) != TOTP_DIGITS)
        return -1;
    int position = 0;
    uint64_t step = 0;
    int rc = oath_totp_validate3((const char *)secret, TOTP_SECRET_BYTES, (time_t)now, TOTP_STEP_SECONDS, 0, 1,
                                 &position, &step, digits);
    return rc >= 0 && step > 0 && step < (uint64_t)INT64_MAX ? (int64_t)step : -1;
}

int totp_secret_base32(const unsigned char secret[TOTP_SECRET_BYTES], char out[33])
{
    /* 20 bytes are 160 bits: exactly 32 base32 characters, no padding. */
    size_t bits = 0, n = 0;
    unsigned value = 0;
    for (size_t i = 0; i < TOTP_SECRET_BYTES; i++) {
        value = (value << 8) | secret[i];
        bits += 8;
        while (bits >= 5) {
            out[n++] = base32_upper[(value >> (bits - 5)) & 31];
            bits -= 5;
        }
        value &= (1u << bits) - 1;
    }
    out[n] = '\0';
    return n == 32 ? 0 : -1;
}

void totp_recovery_code(char out[RECOVERY_CODE_CHARS + 1])
{
    for (size_t i = 0; i < RECOVERY_CODE_CHARS; i++)
        out[i] = base32_alphabet[randombytes_uniform(32)];
    out[RECOVERY_CODE_CHARS] = '\0';
}
