/* test_signed_document.c — unit tests for certificate numbers
 * (src/lib/certificate_number.c), the signing key, the PDF marker and the
 * signed facts (src/lib/signed_document.c), and the PDF drawn from them
 * (src/views/signed_pdf.c). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/arena.h"
#include "lib/certificate_number.h"
#include "lib/crypto.h"
#include "lib/signed_document.h"
#include "test.h"
#include "views/signed_pdf.h"

static char tmp_root[64]; /* a test_tmp_dir folder */

static bool parses(const char *text, char out[CERTIFICATE_NUMBER_SIZE])
{
    return certificate_number_parse(text, strlen(text), out);
}

TEST(new_numbers_parse_back_and_are_distinct)
{
    char a[CERTIFICATE_NUMBER_SIZE], b[CERTIFICATE_NUMBER_SIZE], back[CERTIFICATE_NUMBER_SIZE];
    for (int i = 0; i < 500; i++) {
        certificate_number_new(a);
        certificate_number_new(b);
        CHECK(strcmp(a, b) != 0);
        CHECK_INT((long long)strlen(a), CERTIFICATE_NUMBER_SIZE - 1);
        CHECK(parses(a, back));
        CHECK_STR(back, a);
    }
}

TEST(numbers_are_read_as_people_type_them)
{
    char canonical[CERTIFICATE_NUMBER_SIZE], out[CERTIFICATE_NUMBER_SIZE];
    certificate_number_new(canonical);
    char typed[64];
    size_t t = 0;
    for (const char *p = canonical; *p != '\0'; p++)
        if (*p != '-')
            typed[t++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    typed[t] = '\0';
    CHECK(parses(typed, out));
    CHECK_STR(out, canonical);
    /* Crockford's look-alikes: O is 0, I and L are 1. */
    CHECK(parses("RC-0000-0000-0000-0000", out));
    CHECK(parses("RC-OOOO-oooo-0000-0000", out));
    CHECK_STR(out, "RC-0000-0000-0000-0000");
}

TEST(every_single_substitution_and_bad_shape_is_refused)
{
    static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    char number[CERTIFICATE_NUMBER_SIZE], out[CERTIFICATE_NUMBER_SIZE];
    certificate_number_new(number);
    int caught = 0, tried = 0;
    for (size_t i = 3; i < CERTIFICATE_NUMBER_SIZE - 1; i++) {
        if (number[i] == '-')
            continue;
        for (int s = 0; s < 32; s++) {
            char changed[CERTIFICATE_NUMBER_SIZE];
            memcpy(changed, number, sizeof(changed));
            if (alphabet[s] == changed[i])
                continue;
            changed[i] = alphabet[s];
            tried++;
            caught += !parses(changed, out);
        }
    }
    CHECK_INT(caught, tried);
    static const char *const bad[] = {"", "R", "RC", "RC-", "XX-0000-0000-0000-0000", "RC-0000-0000-0000-000",
                                      "RC-0000-0000-0000-00000", "RC-0000-0000-0000-000U", "RC-0000_0000-0000-0000",
                                      "RC-0000-0000-0000-0000\n"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CHECK(!parses(bad[i], out));
    char longer[200];
    memset(longer, '-', sizeof(longer));
    memcpy(longer, "RC0000000000000000", 18);
    CHECK(!certificate_number_parse(longer, sizeof(longer), out)); /* past the input cap */
    CHECK(!certificate_number_parse(NULL, 0, out));
}

TEST(the_key_file_is_made_0600_once_and_signs)
{
    char path[256], why[512];
    snprintf(path, sizeof(path), "%s/signing.key", tmp_root);
    CHECK(signing_open(path, false, why, sizeof(why)) != 0); /* missing, not asked to create */
    CHECK_CONTAINS(why, "missing");
    CHECK_INT(signing_open(path, true, why, sizeof(why)), 0);
    struct stat st;
    CHECK(stat(path, &st) == 0);
    CHECK_INT(st.st_mode & 0777, 0600);
    unsigned char key[SIGNING_PUBLIC_KEY_BYTES], again[SIGNING_PUBLIC_KEY_BYTES], sig[SIGNATURE_BYTES];
    signing_public_key(key);
    /* Opened again (another instance): the same key. */
    CHECK_INT(signing_open(path, true, why, sizeof(why)), 0);
    signing_public_key(again);
    CHECK(memcmp(key, again, sizeof(key)) == 0);
    const char msg[] = "rounds-signed-document/1\nnumber=RC-0000-0000-0000-0000\n";
    CHECK_INT(signing_sign(msg, strlen(msg), sig), 0);
    CHECK(signing_verify(key, msg, strlen(msg), sig));
    char changed[sizeof(msg)];
    memcpy(changed, msg, sizeof(msg));
    changed[30] ^= 1;
    CHECK(!signing_verify(key, changed, strlen(changed), sig));
    char id[SIGNING_KEY_ID_SIZE];
    signing_key_id(key, id);
    CHECK_INT((long long)strlen(id), 16);
    signing_close();
    CHECK(!signing_ready());
    CHECK(signing_sign(msg, strlen(msg), sig) != 0);
}

TEST(public_keys_read_as_pem_or_base64_and_nothing_else)
{
    unsigned char key[SIGNING_PUBLIC_KEY_BYTES], out[SIGNING_PUBLIC_KEY_BYTES];
    for (size_t i = 0; i < sizeof(key); i++)
        key[i] = (unsigned char)(i * 13 + 5);
    char pem[SIGNING_PEM_SIZE], b64[64];
    signing_public_pem(key, pem);
    CHECK_CONTAINS(pem, "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA");
    CHECK(signing_public_key_parse(pem, strlen(pem), out) && memcmp(key, out, sizeof(key)) == 0);
    crypto_base64_encode(key, sizeof(key), b64, sizeof(b64));
    CHECK(signing_public_key_parse(b64, strlen(b64), out) && memcmp(key, out, sizeof(key)) == 0);
    crypto_base64url_encode(key, sizeof(key), b64, sizeof(b64));
    CHECK(signing_public_key_parse(b64, strlen(b64), out) && memcmp(key, out, sizeof(key)) == 0);
    static const char *const bad[] = {"", "abc", "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n",
                                      /* an RSA-shaped prefix */
                                      "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VxAyEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
                                      "-----END PUBLIC KEY-----\n"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CHECK(!signing_public_key_parse(bad[i], strlen(bad[i]), out));
    /* The PEM with something after its end line. */
    char trailing[SIGNING_PEM_SIZE + 16];
    snprintf(trailing, sizeof(trailing), "%sjunk", pem);
    CHECK(!signing_public_key_parse(trailing, strlen(trailing), out));
}

TEST(facts_are_lines_of_name_and_value_after_the_header)
{
    const char good[] = SIGNED_FACTS_HEADER "\nnumber=RC-1\nstudent=Jos\xc3\xa9 N\n";
    CHECK(signed_facts_valid(good, strlen(good)));
    char value[64];
    CHECK(signed_facts_get(good, strlen(good), "student", value, sizeof(value)));
    CHECK_STR(value, "Jos\xc3\xa9 N");
    CHECK(!signed_facts_get(good, strlen(good), "stud", value, sizeof(value)));
    CHECK(!signed_facts_get(good, strlen(good), "student", value, 4)); /* too long for out: refused, not cut */
    static const char *const bad[] = {"", "rounds-signed-document/2\nx=1\n", SIGNED_FACTS_HEADER "\nno equals\n",
                                      SIGNED_FACTS_HEADER "\nx=1", SIGNED_FACTS_HEADER "\nX=1\n",
                                      SIGNED_FACTS_HEADER "\nx=a\tb\n", SIGNED_FACTS_HEADER "\nx=\xff\n",
                                      SIGNED_FACTS_HEADER "\n=1\n"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CHECK(!signed_facts_valid(bad[i], strlen(bad[i])));
}

TEST(the_marker_round_trips_and_refuses_two_different_ones)
{
    const char facts[] = SIGNED_FACTS_HEADER "\nnumber=RC-1\n";
    unsigned char sig[SIGNATURE_BYTES], got_sig[SIGNATURE_BYTES];
    for (size_t i = 0; i < sizeof(sig); i++)
        sig[i] = (unsigned char)i;
    char marker[512], file[1400], got[SIGNED_FACTS_MAX_BYTES + 1];
    CHECK_INT(signed_marker_write(facts, strlen(facts), sig, marker, sizeof(marker)), 0);
    CHECK_INT((long long)strlen(marker), (long long)signed_marker_length(strlen(facts)));
    CHECK(signed_marker_write(facts, strlen(facts), sig, marker, 10) != 0);
    size_t len = 0;
    snprintf(file, sizeof(file), "%%PDF-1.3 /Keywords (%s) ... again (%s)", marker, marker);
    CHECK_INT(signed_marker_extract((unsigned char *)file, strlen(file), got, sizeof(got), &len, got_sig),
              SIGNED_FOUND);
    CHECK_STR(got, facts);
    CHECK(memcmp(got_sig, sig, sizeof(sig)) == 0);
    snprintf(file, sizeof(file), "(%s) (rounds-signed:1:AAAA.BBBB)", marker);
    CHECK_INT(signed_marker_extract((unsigned char *)file, strlen(file), got, sizeof(got), &len, got_sig),
              SIGNED_AMBIGUOUS);
    CHECK_INT(signed_marker_extract((unsigned char *)"%PDF nothing", 12, got, sizeof(got), &len, got_sig),
              SIGNED_NONE);
    CHECK_INT(signed_marker_extract((unsigned char *)"rounds-signed:1:AAAA", 20, got, sizeof(got), &len, got_sig),
              SIGNED_MALFORMED);
    CHECK_INT(signed_marker_extract((unsigned char *)"rounds-signed:1:AAAA.BBBB", 25, got, sizeof(got), &len,
                                    got_sig),
              SIGNED_MALFORMED);
}

TEST(the_pdf_carries_the_marker_and_is_the_same_for_the_same_input)
{
    struct arena arena;
    arena_heap_init(&arena);
    struct signed_pdf_line lines[] = {{"Student", "Zo\xc3\xab \xe6\x9d\x8e"}, {"Rotation", "Cardiology"}};
    const char marker[] = "rounds-signed:1:AAAA.BBBB";
    struct signed_pdf doc = {.heading = "Certificate of Completion", .intro = "Intro text.", .lines = lines,
                             .line_count = 2, .number = "RC-0000-0000-0000-0000",
                             .verify_url = "http://127.0.0.1:8080/verify/RC-0000-0000-0000-0000", .marker = marker,
                             .issued_on = "2026-05-01"};
    unsigned char *a = NULL, *b = NULL;
    size_t a_len = 0, b_len = 0;
    CHECK_INT(signed_pdf_render(&doc, &arena, &a, &a_len), 0);
    CHECK_INT(signed_pdf_render(&doc, &arena, &b, &b_len), 0);
    CHECK(a_len > 1000 && memcmp(a, "%PDF-", 5) == 0);
    CHECK(a_len == b_len && memcmp(a, b, a_len) == 0);
    CHECK(memmem(a, a_len, marker, strlen(marker)) != NULL);
    arena_heap_free(&arena);
}

int main(void)
{
    if (crypto_init() != 0 || test_tmp_dir(tmp_root, sizeof(tmp_root), "signed") == NULL) {
        printf("setup failed\n");
        return 1;
    }
    RUN(new_numbers_parse_back_and_are_distinct);
    RUN(numbers_are_read_as_people_type_them);
    RUN(every_single_substitution_and_bad_shape_is_refused);
    RUN(the_key_file_is_made_0600_once_and_signs);
    RUN(public_keys_read_as_pem_or_base64_and_nothing_else);
    RUN(facts_are_lines_of_name_and_value_after_the_header);
    RUN(the_marker_round_trips_and_refuses_two_different_ones);
    RUN(the_pdf_carries_the_marker_and_is_the_same_for_the_same_input);
    test_tmp_remove(tmp_root);
    return test_summary("unit-signed-document");
}
