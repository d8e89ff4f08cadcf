/* test_totp.c — unit tests for src/lib/totp.c: RFC 6238's own test vectors
 * (SHA-1), the ±1 step window and the steps it reports, the base32 form of
 * a secret, recovery codes, and the parser of what people type. */
#include <string.h>

#include "lib/crypto.h"
#include "lib/totp.h"
#include "test.h"

/* RFC 6238 appendix B: the SHA-1 key is "12345678901234567890". */
static const unsigned char rfc_key[TOTP_SECRET_BYTES] = "12345678901234567890";

TEST(codes_match_the_rfc_6238_vectors)
{
    /* The RFC's 8-digit codes, of which an app shows the last 6. */
    static const struct {
        long long t;
        const char *code;
    } vectors[] = {{59, "287082"}, {1111111109, "081804"}, {1111111111, "050471"},
                   {1234567890, "005924"}, {2000000000, "279037"}, {20000000000LL, "353130"}};
    for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
        char out[TOTP_DIGITS + 1];
        CHECK_INT(totp_generate(rfc_key, vectors[i].t, out), 0);
        CHECK_STR(out, vectors[i].code);
        CHECK(totp_match(rfc_key, vectors[i].t, vectors[i].code) == vectors[i].t / 30);
    }
}

TEST(a_code_matches_its_step_and_one_either_side_only)
{
    char code[TOTP_DIGITS + 1];
    long long now = 1800000000; /* the start of a step */
    CHECK_INT(totp_generate(rfc_key, now, code), 0);
    CHECK(totp_match(rfc_key, now, code) == now / 30);
    CHECK(totp_match(rfc_key, now + 30, code) == now / 30);
    CHECK(totp_match(rfc_key, now - 30, code) == now / 30);
    CHECK(totp_match(rfc_key, now + 60, code) == -1);
    CHECK(totp_match(rfc_key, now - 60, code) == -1);
    CHECK(totp_match(rfc_key, now, "12345") == -1);
    CHECK(totp_match(rfc_key, now, NULL) == -1);
}

TEST(a_secret_in_base32_is_32_characters)
{
    char text[33];
    CHECK_INT(totp_secret_base32(rfc_key, text), 0);
    CHECK_STR(text, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"); /* RFC 4648 base32 of the ASCII key */
}

TEST(recovery_codes_are_16_base32_characters_and_differ)
{
    char a[RECOVERY_CODE_CHARS + 1], b[RECOVERY_CODE_CHARS + 1];
    totp_recovery_code(a);
    totp_recovery_code(b);
    CHECK_INT((int)strlen(a), 16);
    CHECK(strcmp(a, b) != 0);
    struct totp_code parsed;
    CHECK_INT(totp_parse_code(a, &parsed), TOTP_CODE_RECOVERY);
    CHECK_STR(parsed.text, a);
}

TEST(the_parser_takes_codes_as_people_type_them)
{
    static const struct {
        const char *typed;
        enum totp_code_kind kind;
        const char *text;
    } cases[] = {
        {"123456", TOTP_CODE_DIGITS, "123456"},
        {"123 456", TOTP_CODE_DIGITS, "123456"},
        {" 123-456 ", TOTP_CODE_DIGITS, "123456"},
        {"k7qm-2xwp-rtda-b3cz", TOTP_CODE_RECOVERY, "k7qm2xwprtdab3cz"},
        {"K7QM 2XWP RTDA B3CZ", TOTP_CODE_RECOVERY, "k7qm2xwprtdab3cz"},
        {"12345", TOTP_CODE_INVALID, ""},
        {"1234567", TOTP_CODE_INVALID, ""},
        {"12345a", TOTP_CODE_INVALID, ""},
        {"k7qm-2xwp-rtda-b3c0", TOTP_CODE_INVALID, ""},   /* 0 is not base32 */
        {"k7qm-2xwp-rtda-b3cz-a", TOTP_CODE_INVALID, ""}, /* 17 characters */
        {"123\t456", TOTP_CODE_INVALID, ""},
        {"１２３４５６", TOTP_CODE_INVALID, ""},          /* full-width digits */
        {"", TOTP_CODE_INVALID, ""},
        {"- - -", TOTP_CODE_INVALID, ""},
        {"1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4", TOTP_CODE_INVALID, ""},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct totp_code parsed;
        if (totp_parse_code(cases[i].typed, &parsed) != cases[i].kind || strcmp(parsed.text, cases[i].text) != 0)
            TEST_FAILF("'%s' parsed as kind %d '%s'", cases[i].typed, (int)parsed.kind, parsed.text);
    }
    struct totp_code parsed;
    CHECK_INT(totp_parse_code(NULL, &parsed), TOTP_CODE_INVALID);
}

int main(void)
{
    if (crypto_init() != 0 || totp_init() != 0) {
        printf("cannot initialise libsodium or liboath\n");
        return 1;
    }
    RUN(codes_match_the_rfc_6238_vectors);
    RUN(a_code_matches_its_step_and_one_either_side_only);
    RUN(a_secret_in_base32_is_32_characters);
    RUN(recovery_codes_are_16_base32_characters_and_differ);
    RUN(the_parser_takes_codes_as_people_type_them);
    return test_summary("test_totp");
}
