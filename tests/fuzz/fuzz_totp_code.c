/* fuzz_totp_code.c — libFuzzer target for totp_parse_code() (the second
 * step of a login: a 6-digit code or a recovery code, as a person typed it).
 *
 * Any bytes must give TOTP_CODE_INVALID with an empty result, or a code whose
 * text is exactly 6 digits or 16 lower-case base32 characters, drawn only
 * from the input's characters other than spaces and dashes; parsing that text
 * again must give the same code. A violation traps. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/totp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
    if (!ok)
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    check(text != NULL);
    memcpy(text, data, size);
    text[size] = '\0';
    struct totp_code code;
    enum totp_code_kind kind = totp_parse_code(text, &code);
    size_t n = strlen(code.text);
    if (kind == TOTP_CODE_INVALID) {
        check(n == 0);
    } else {
        check(strlen(text) <= TOTP_CODE_INPUT_MAX_BYTES);
        check(n == (kind == TOTP_CODE_DIGITS ? (size_t)TOTP_DIGITS : (size_t)RECOVERY_CODE_CHARS));
        for (size_t i = 0; i < n; i++) {
            char c = code.text[i];
            if (kind == TOTP_CODE_DIGITS)
                check(c >= '0' && c <= '9');
            else
                check((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'));
        }
        struct totp_code again;
        check(totp_parse_code(code.text, &again) == kind && strcmp(again.text, code.text) == 0);
    }
    free(text);
    return 0;
}
