/* test.h — a tiny test harness shared by the unit, store and API suites.
 *
 *   TEST(name) { CHECK(x == 1); CHECK_STR(a, "b"); CHECK_INT(n, 3); }
 *   int main(void) { RUN(name); return test_summary("suite"); }
 *
 * Each failed check prints its file, line and values; test_summary() prints
 * "suite: N passed, N failed" (scripts/test.sh adds the suites up) and
 * returns the process exit status.
 *
 * Temporary folders: test_tmp_dir(dir, sizeof(dir), "kind") makes
 * /tmp/rounds-pid<PID>-kind.XXXXXX, PID the suite's own. A suite killed
 * outright (SIGKILL, a timeout) cannot remove its folders, so the first
 * test_tmp_dir of every suite removes those whose PID no longer runs. Suites
 * run side by side: a folder whose process still runs is never touched. */
#ifndef ROUNDS_TESTS_TEST_H
#define ROUNDS_TESTS_TEST_H

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

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

/* ---- temporary folders ---- */

#define TEST_TMP_ROOT "/tmp"
#define TEST_TMP_PREFIX "rounds-pid" /* then the owner's PID, '-', the kind, '.', mkdtemp's six */
#define TEST_TMP_PID_MAX 4194304L /* Linux's PID_MAX_LIMIT */

static inline int test_tmp_remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* rm -rf dir */
static inline void test_tmp_remove(const char *dir)
{
    if (dir[0] != '\0')
        nftw(dir, test_tmp_remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The owner's PID in a folder name made by test_tmp_dir (or the shell
 * harnesses, the same way), or 0 when the name is not one. */
static inline long test_tmp_owner(const char *name)
{
    size_t n = strlen(TEST_TMP_PREFIX);
    if (strncmp(name, TEST_TMP_PREFIX, n) != 0 || name[n] < '1' || name[n] > '9')
        return 0;
    char *end = NULL;
    long pid = strtol(name + n, &end, 10);
    return end != NULL && *end == '-' && pid > 0 && pid <= TEST_TMP_PID_MAX ? pid : 0;
}

/* Whether process pid runs (a zombie counts: its parent may still clean up). */
static inline bool test_tmp_owner_alive(long pid)
{
    return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

/* Removes the temporary folders of suites that no longer run; says how many. */
static inline int test_tmp_sweep(void)
{
    DIR *root = opendir(TEST_TMP_ROOT);
    int removed = 0;
    if (root == NULL)
        return 0;
    struct dirent *e;
    while ((e = readdir(root)) != NULL) {
        long pid = test_tmp_owner(e->d_name);
        if (pid == 0 || pid == (long)getpid() || test_tmp_owner_alive(pid))
            continue;
        char path[512];
        struct stat st;
        snprintf(path, sizeof(path), "%s/%s", TEST_TMP_ROOT, e->d_name);
        if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid())
            continue;
        test_tmp_remove(path);
        removed++;
    }
    closedir(root);
    return removed;
}

/* Makes a temporary folder of this suite (kind: letters, digits, '-') into
 * dir; the first call of the process sweeps the folders of suites killed
 * before. Returns dir, or NULL with errno set (dir then empty). */
static inline char *test_tmp_dir(char *dir, size_t size, const char *kind)
{
    static bool swept;
    if (!swept) {
        swept = true;
        int removed = test_tmp_sweep();
        if (removed > 0)
            printf("# removed %d temporary folder%s of suites that no longer run\n", removed, removed == 1 ? "" : "s");
    }
    int n = snprintf(dir, size, "%s/%s%ld-%s.XXXXXX", TEST_TMP_ROOT, TEST_TMP_PREFIX, (long)getpid(), kind);
    if (n < 0 || (size_t)n >= size || mkdtemp(dir) == NULL) {
        if (n >= 0 && (size_t)n >= size)
            errno = ENAMETOOLONG;
        if (size > 0)
            dir[0] = '\0';
        return NULL;
    }
    return dir;
}

static inline int test_summary(const char *suite)
{
    printf("%s: %d passed, %d failed\n", suite, test_passed, test_failed);
    return test_failed == 0 ? 0 : 1;
}

#endif
