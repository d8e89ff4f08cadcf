/* test.h — a tiny test harness shared by the unit, store and API suites.
 *
 *   TEST(name) { CHECK(x == 1); CHECK_STR(a, "b"); CHECK_INT(n, 3); }
 *   int main(void) { RUN(name); return test_summary("suite"); }
 *
 * Each failed check prints its file, line and values; test_summary() prints
 * "suite: N passed, N failed" (scripts/test.sh adds the suites up) and
 * returns the process exit status. */
#ifndef ROUNDS_TESTS_TEST_H
#define ROUNDS_TESTS_TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int test_passed, test_failed, test_current_failed;
static const char *test_current_name;

#define TEST(name) static void test_##name(void)

#define RUN(name)                                                                        \
    do {                                                                                 \
        test_current_name = #name;                                                       \
        test_current_failed = 0;                                                         \
        test_##name();                                                                   \
        if (test_current_failed) {                                                       \
            test_failed++;                                                               \
            printf("FAIL %s\n", #name);                                                  \
        } else {                                                                         \
            test_passed++;                                                               \
            printf("ok   %s\n", #name);                                                  \
        }                                                                                \
        fflush(stdout);                                                                  \
    } while (0)

#define TEST_FAILF(...)                                                                  \
    do {                                                                                 \
        printf("  %s:%d: ", __FILE__, __LINE__);                                         \
        printf(__VA_ARGS__);                                                             \
        printf("\n");                                                                    \
        test_current_failed = 1;                                                         \
    } while (0)

#define CHECK(cond)                                                                      \
    do {                                                                                 \
        if (!(cond))                                                                     \
            TEST_FAILF("check failed: %s", #cond);                                       \
    } while (0)

#define CHECK_INT(actual, expected)                                                      \
    do {                                                                                 \
        long long test_a_ = (long long)(actual), test_e_ = (long long)(expected);        \
        if (test_a_ != test_e_)                                                          \
            TEST_FAILF("%s == %lld, expected %lld", #actual, test_a_, test_e_);          \
    } while (0)

#define CHECK_STR(actual, expected)                                                      \
    do {                                                                                 \
        const char *test_a_ = (actual), *test_e_ = (expected);                           \
        if (test_a_ == NULL || test_e_ == NULL ? test_a_ != test_e_                      \
                                               : strcmp(test_a_, test_e_) != 0)          \
            TEST_FAILF("%s == \"%s\", expected \"%s\"", #actual,                         \
                       test_a_ ? test_a_ : "(null)", test_e_ ? test_e_ : "(null)");      \
    } while (0)

#define CHECK_CONTAINS(haystack, needle)                                                 \
    do {                                                                                 \
        const char *test_h_ = (haystack), *test_n_ = (needle);                           \
        if (test_h_ == NULL || strstr(test_h_, test_n_) == NULL)                         \
            TEST_FAILF("%s does not contain \"%s\" (it is \"%.300s\")", #haystack,       \
                       test_n_, test_h_ ? test_h_ : "(null)");                           \
    } while (0)

static inline int test_summary(const char *suite)
{
    printf("%s: %d passed, %d failed\n", suite, test_passed, test_failed);
    return test_failed == 0 ? 0 : 1;
}

#endif
