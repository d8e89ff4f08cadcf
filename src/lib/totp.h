/* totp.h — time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second
 * steps, 6 digits, what every authenticator app uses) through liboath, the
 * codes people type and the recovery codes that stand in for them.
 *
 * A code as typed ("123 456", "123-456", " 123456 ") or a recovery code
 * ("k7qm-2xwp-9rtd-ab3c", any case, with or without the dashes) is parsed by
 * totp_parse_code, which keeps nothing but the digits or the 16 base32
 * characters; everything else is refused. */
#ifndef ROUNDS_LIB_TOTP_H
#define ROUNDS_LIB_TOTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { TOTP_SECRET_BYTES = 20, TOTP_DIGITS = 6, TOTP_STEP_SECONDS = 30, RECOVERY_CODE_CHARS = 16 };
/* Longest input worth looking at: a recovery code with dashes and some spaces. */
#define TOTP_CODE_INPUT_MAX_BYTES 64

enum totp_code_kind { TOTP_CODE_INVALID, TOTP_CODE_DIGITS, TOTP_CODE_RECOVERY };

struct totp_code {
    enum totp_code_kind kind;
    char text[RECOVERY_CODE_CHARS + 1]; /* the 6 digits, or the 16 lower-case base32 characters */
};

/* Parses what a person typed. Spaces and dashes between characters are
 * ignored; 6 digits are a TOTP code, 16 base32 letters and digits (a–z,
 * 2–7) a recovery code; anything else (or more than
 * TOTP_CODE_INPUT_MAX_BYTES) is TOTP_CODE_INVALID. */
enum totp_code_kind totp_parse_code(const char *input, struct totp_code *out);

/* Once per process, before any other call (liboath's global state). */
int totp_init(void);
/* The code of the step holding now, into out[TOTP_DIGITS + 1]. 0 or -1. */
int totp_generate(const unsigned char secret[TOTP_SECRET_BYTES], int64_t now, char out[TOTP_DIGITS + 1]);
/* The step (≥ 1) of the code among now's step and one either side (±30 s),
 * or -1 when it matches none of them. */
int64_t totp_match(const unsigned char secret[TOTP_SECRET_BYTES], int64_t now, const char *digits);
/* The secret in base32 without padding (32 characters), as apps take it, into out[33]. */
int totp_secret_base32(const unsigned char secret[TOTP_SECRET_BYTES], char out[33]);
/* A new recovery code: 16 random base32 characters, into out[17]. */
void totp_recovery_code(char out[RECOVERY_CODE_CHARS + 1]);

#endif
