/* test_domain.c — unit tests for src/domain: the password rules
 * (password.c), the account roles (accounts.c), and the checks of the Apply
 * form's fields (applications.c) and of a second factor's code (two_factor.c). */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/applications.h"
#include "domain/password.h"
#include "domain/two_factor.h"
#include "lib/errors.h"
#include "test.h"

/* count copies of the UTF-8 character ch into out (NUL-terminated). */
static const char *repeat(char *out, size_t size, const char *ch, size_t count)
{
    size_t n = strlen(ch), used = 0;
    for (size_t i = 0; i < count && used + n < size; i++, used += n)
        memcpy(out + used, ch, n);
    out[used] = '\0';
    return out;
}

/* True when password (with email) is refused as a weak password whose
 * detail mentions why. */
static bool weak(const char *password, const char *email, const char *why)
{
    struct error err = {ERR_NONE, NULL, NULL};
    if (password_check(password, email, &err) == 0) {
        printf("  accepted: \"%s\"\n", password);
        return false;
    }
    if (err.code != ERR_WEAK_PASSWORD || err.field == NULL || strcmp(err.field, "password") != 0 ||
        err.detail == NULL || strstr(err.detail, why) == NULL) {
        printf("  \"%s\": %s field %s (%s), expected weak_password because of \"%s\"\n", password,
               error_name(err.code), err.field ? err.field : "(null)", err.detail ? err.detail : "(null)", why);
        return false;
    }
    return true;
}

static bool strong(const char *password, const char *email)
{
    struct error err = {ERR_NONE, NULL, NULL};
    if (password_check(password, email, &err) == 0)
        return true;
    printf("  refused: \"%s\": %s\n", password, err.detail ? err.detail : "(null)");
    return false;
}

static int length_check(const char *password)
{
    struct error err = {ERR_NONE, NULL, NULL};
    int rc = password_check_length(password, &err);
    if (rc != 0 && (err.code != ERR_WEAK_PASSWORD || err.field == NULL || strcmp(err.field, "password") != 0))
        printf("  \"%s\": wrong error %s\n", password, error_name(err.code));
    return rc;
}

/* ---- password length and encoding ---- */

TEST(password_length_counts_code_points)
{
    char text[1024];
    /* Two-byte characters: 11 are 22 bytes but still too short. */
    CHECK_INT(length_check(repeat(text, sizeof(text), "é", 11)), -1);
    CHECK_INT(length_check(repeat(text, sizeof(text), "é", 12)), 0);
    /* Three-byte characters. */
    CHECK_INT(length_check(repeat(text, sizeof(text), "語", 11)), -1);
    CHECK_INT(length_check(repeat(text, sizeof(text), "語", 12)), 0);
    /* Four-byte characters: 128 are 512 bytes and fine, 129 are too many. */
    CHECK_INT(length_check(repeat(text, sizeof(text), "😀", 128)), 0);
    CHECK_INT(strlen(text), 512);
    CHECK_INT(length_check(repeat(text, sizeof(text), "😀", 129)), -1);
    CHECK_INT(length_check(repeat(text, sizeof(text), "a", 11)), -1);
    CHECK_INT(length_check(repeat(text, sizeof(text), "a", 12)), 0);
    CHECK_INT(length_check(repeat(text, sizeof(text), "a", 128)), 0);
    CHECK_INT(length_check(repeat(text, sizeof(text), "a", 129)), -1);
    CHECK_INT(length_check(""), -1);
}

TEST(password_length_messages)
{
    char text[1024];
    CHECK(weak(repeat(text, sizeof(text), "ñ", 11), NULL, "at least 12"));
    CHECK(weak("Short-pw-1!", NULL, "at least 12")); /* 11 ASCII characters */
    CHECK(weak(repeat(text, sizeof(text), "😀", 129), NULL, "at most 128"));
    CHECK(weak(repeat(text, sizeof(text), "x", 129), NULL, "at most 128"));
}

TEST(password_boundaries_with_every_rule)
{
    /* 12 code points, several of them multibyte: accepted. */
    CHECK(strong("Ωmega-ñandú7", NULL));
    /* 128 code points of a mixed passphrase, with an email: accepted whole. */
    char text[1024];
    const char *unit = "río-橋-plum-orchard-71 "; /* 22 code points */
    size_t used = 0, chars = 0;
    for (; chars + 22 <= 128; chars += 22) {
        memcpy(text + used, unit, strlen(unit));
        used += strlen(unit);
    }
    memcpy(text + used, "harbor-wind-", 12); /* 110 + 12 = 122 */
    used += 12;
    memcpy(text + used, "😀😀😀😀😀😀", 24); /* 128 */
    used += 24;
    text[used] = '\0';
    CHECK(strong(text, "someone@example.com"));
    /* One more code point is refused, never truncated. */
    memcpy(text + used, "x", 2);
    CHECK(weak(text, "someone@example.com", "at most 128"));
}

TEST(password_refuses_invalid_utf8)
{
    CHECK(weak("plum-orchard-\xff-harbor", NULL, "UTF-8"));
    CHECK(weak("plum-orchard-\xc0\xaf-harbor", NULL, "UTF-8"));    /* overlong '/' */
    CHECK(weak("plum-orchard-\xed\xa0\x80-harbor", NULL, "UTF-8")); /* a surrogate */
    CHECK(weak("plum-orchard-harbor\xe2\x82", NULL, "UTF-8"));      /* truncated */
    CHECK_INT(length_check("abcdefghijklmnop\x80"), -1);
}

/* ---- password strength ---- */

TEST(password_refuses_common_and_dictionary_passwords)
{
    CHECK(weak("password1234", NULL, "dictionary"));
    CHECK(weak("Sunshine2024!!", NULL, "dictionary"));
    CHECK(weak("letmeinletmein", NULL, "dictionary"));
    CHECK(weak("P@ssword-2024!", NULL, "dictionary"));
    CHECK(weak("Dragon12345678", NULL, "dictionary"));
}

TEST(password_refuses_keyboard_runs)
{
    CHECK(weak("qwertyuiopasdf", NULL, "keyboard"));
    CHECK(weak("Qwerty-Uiop-2024", NULL, "keyboard"));
    CHECK(weak("asdfasdfasdf12", NULL, "keyboard"));
    CHECK(weak("mnbvcxzlkjhg#1", NULL, "keyboard"));
    /* Alphabet runs: cracklib's own "systematic" check may answer first. */
    CHECK(weak("abcdefghijklmn", NULL, ""));
    CHECK(weak("zyxwvutsrqponm!", NULL, ""));
}

TEST(password_refuses_few_distinct_characters)
{
    CHECK(weak("abababababab", NULL, "different characters"));
    CHECK(weak("aaaaaaaaaaaaaaaaaaaa1", NULL, "different characters"));
    CHECK(weak("1212121212123434", NULL, "different characters"));
    CHECK(weak("            ", NULL, "different characters"));
}

TEST(password_refuses_the_email)
{
    const char *email = "ada.lovelace@example.com";
    CHECK(weak("ada.lovelace-garden-77", email, "email"));
    CHECK(weak("My-ADA.LOVELACE-garden", email, "email")); /* any case in the password */
    CHECK(weak("ada.lovelace@example.com", email, "email"));
    /* The same password is fine for someone else, or without an email. */
    CHECK(strong("ada.lovelace-garden-77", "grace.hopper@example.com"));
    CHECK(strong("ada.lovelace-garden-77", NULL));
    /* A local part of fewer than 4 characters is too common to refuse. */
    CHECK(strong("plum-orchard-harbor-71", "orc@example.com"));
    CHECK(weak("plum-orchard-harbor-71", "orchard@example.com", "email"));
}

TEST(password_accepts_good_passphrases)
{
    CHECK(strong("plum-orchard-harbor-71", NULL));
    CHECK(strong("correct horse battery staple", NULL));
    CHECK(strong("correct horse battery staple", "student@example.com"));
    CHECK(strong("La cigüeña vuela sobre Málaga", NULL));
    CHECK(strong("桜の木の下で友達と待ち合わせ", NULL));
    CHECK(strong("Zq8#mVt2!pLw", NULL));
}

/* ---- accounts ---- */

TEST(account_roles_are_validated)
{
    CHECK_INT(role_parse("student"), ROLE_STUDENT);
    CHECK_INT(role_parse("preceptor"), ROLE_PRECEPTOR);
    CHECK_INT(role_parse("host_coordinator"), ROLE_HOST_COORDINATOR);
    CHECK_INT(role_parse("school_coordinator"), ROLE_SCHOOL_COORDINATOR);
    CHECK_INT(role_parse("staff"), ROLE_STAFF);
    CHECK_INT(role_parse("coach"), ROLE_COACH);
    CHECK_INT(role_parse("admin"), ROLE_UNKNOWN);
    CHECK_INT(role_parse(""), ROLE_UNKNOWN);
    CHECK_INT(role_parse("Student"), ROLE_UNKNOWN);
    CHECK_INT(role_parse("student "), ROLE_UNKNOWN);
    CHECK_INT(role_parse("host"), ROLE_UNKNOWN);
    size_t n = 0;
    while (role_names[n] != NULL)
        n++;
    CHECK_INT(n, 6);
}

TEST(account_role_organization_kinds)
{
    CHECK_INT(account_role_organization_kind(ROLE_HOST_COORDINATOR), ORGANIZATION_HOST);
    CHECK_INT(account_role_organization_kind(ROLE_PRECEPTOR), ORGANIZATION_HOST);
    CHECK_INT(account_role_organization_kind(ROLE_SCHOOL_COORDINATOR), ORGANIZATION_SCHOOL);
    CHECK_INT(account_role_organization_kind(ROLE_STUDENT), ORGANIZATION_KIND_UNKNOWN);
    CHECK_INT(account_role_organization_kind(ROLE_STAFF), ORGANIZATION_KIND_UNKNOWN);
    CHECK_INT(account_role_organization_kind(role_parse("nobody")), ORGANIZATION_KIND_UNKNOWN);
    CHECK_STR(role_label(ROLE_HOST_COORDINATOR), "Host coordinator");
    CHECK_STR(role_label(ROLE_STUDENT), "Student");
    CHECK_STR(role_label(role_parse("unknown_role")), "");
}

TEST(account_has_role_looks_at_the_users_roles)
{
    struct store_user user;
    memset(&user, 0, sizeof(user));
    CHECK(!account_has_role(&user, ROLE_STUDENT));
    CHECK(!account_has_role(NULL, ROLE_STAFF));
    user.roles[0] = "student";
    user.roles[1] = "staff";
    user.role_count = 2;
    CHECK(account_has_role(&user, ROLE_STUDENT));
    CHECK(account_has_role(&user, ROLE_STAFF));
    CHECK(!account_has_role(&user, ROLE_PRECEPTOR));
    /* Stored names are exact: "Staff" or "stud" grant nothing. */
    user.roles[1] = "Staff";
    CHECK(!account_has_role(&user, ROLE_STAFF));
    user.roles[0] = "stud";
    CHECK(!account_has_role(&user, ROLE_STUDENT));
    /* Only the first role_count entries count. */
    user.roles[0] = "student";
    user.roles[1] = "staff";
    user.role_count = 1;
    CHECK(!account_has_role(&user, ROLE_STAFF));
}

TEST(account_memberships_by_role)
{
    struct arena arena;
    arena_heap_init(&arena);
    struct store_user user;
    memset(&user, 0, sizeof(user));
    CHECK(!account_is_member(&user, "org_a", ROLE_HOST_COORDINATOR));
    CHECK(account_organization_ids(&arena, &user, ROLE_HOST_COORDINATOR) == NULL);
    user.memberships[0] = (struct store_membership){"org_a", "A", "host", "host_coordinator"};
    user.memberships[1] = (struct store_membership){"org_b", "B", "host", "preceptor"};
    user.memberships[2] = (struct store_membership){"org_c", "C", "host", "host_coordinator"};
    user.membership_count = 3;
    CHECK(account_is_member(&user, "org_a", ROLE_HOST_COORDINATOR));
    CHECK(!account_is_member(&user, "org_b", ROLE_HOST_COORDINATOR)); /* a preceptor there, not a coordinator */
    CHECK(account_is_member(&user, "org_b", ROLE_PRECEPTOR));
    CHECK(!account_is_member(&user, "org_z", ROLE_HOST_COORDINATOR));
    CHECK(!account_is_member(&user, NULL, ROLE_HOST_COORDINATOR));
    CHECK(!account_is_member(NULL, "org_a", ROLE_HOST_COORDINATOR));
    CHECK_STR(account_organization_ids(&arena, &user, ROLE_HOST_COORDINATOR), "org_a,org_c");
    CHECK_STR(account_organization_ids(&arena, &user, ROLE_PRECEPTOR), "org_b");
    CHECK(account_organization_ids(&arena, &user, ROLE_SCHOOL_COORDINATOR) == NULL);
    arena_heap_free(&arena);
}

TEST(account_profile_value_lists)
{
    const char *const *lists[] = {student_status_names, visa_kind_names, step1_result_names, ecfmg_status_names,
                                  english_proof_names};
    for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
        size_t n = 0;
        while (lists[i][n] != NULL && n < 100)
            n++;
        CHECK(n >= 2 && n < 100);
    }
    CHECK_STR(visa_kind_names[0], "b1_b2");
    CHECK_STR(ecfmg_status_names[2], "certified");
}

TEST(apply_form_problems_are_all_named)
{
    static char statement[5002];
    memset(statement, 'x', 5001);
    struct error problems[APPLICATION_FORM_FIELDS];
    CHECK_INT(application_form_problems("", statement, problems, APPLICATION_FORM_FIELDS), 2);
    CHECK_STR(problems[0].field, "block_id");
    CHECK_STR(problems[1].field, "statement");
    CHECK_INT(application_form_problems(NULL, "bad \x01 text", problems, APPLICATION_FORM_FIELDS), 2);
    statement[5000] = '\0';
    CHECK_INT(application_form_problems("b_1", statement, problems, APPLICATION_FORM_FIELDS), 0);
    CHECK_INT(application_form_problems("b_1", NULL, problems, APPLICATION_FORM_FIELDS), 0);
    CHECK_INT(application_form_problems("b_1", "Two lines\r\nof text", problems, APPLICATION_FORM_FIELDS), 0);
}

TEST(two_factor_code_shapes)
{
    struct error err = {0};
    CHECK_INT(two_factor_code_check("123 456", false, &err), 0);
    CHECK_INT(two_factor_code_check("12ab", false, &err), -1);
    CHECK_STR(err.field, "code");
    CHECK_STR(err.detail, "must be the 6 digits your app shows");
    CHECK_INT(two_factor_code_check("", true, &err), -1);
    CHECK_STR(err.detail, "must be the 6 digits your app shows or a recovery code");
    CHECK_INT(two_factor_code_check("abcd-efgh-ijkl-mnop", true, &err), 0);
    CHECK_INT(two_factor_code_check("abcd-efgh-ijkl-mnop", false, &err), -1);
    CHECK_INT(two_factor_code_check(NULL, false, &err), -1);
}

int main(void)
{
    RUN(password_length_counts_code_points);
    RUN(password_length_messages);
    RUN(password_boundaries_with_every_rule);
    RUN(password_refuses_invalid_utf8);
    RUN(password_refuses_common_and_dictionary_passwords);
    RUN(password_refuses_keyboard_runs);
    RUN(password_refuses_few_distinct_characters);
    RUN(password_refuses_the_email);
    RUN(password_accepts_good_passphrases);
    RUN(account_roles_are_validated);
    RUN(account_role_organization_kinds);
    RUN(account_has_role_looks_at_the_users_roles);
    RUN(account_memberships_by_role);
    RUN(account_profile_value_lists);
    RUN(apply_form_problems_are_all_named);
    RUN(two_factor_code_shapes);
    return test_summary("unit-domain");
}
