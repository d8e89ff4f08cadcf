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
 * /tmp/rounds-pid<PID>-kind.XXXXXX, PID the suite's own (test_tmp_file the
 * same name as a file). A suite killed outright (SIGKILL, a timeout) cannot
 * remove its folders, so the first test_tmp_dir of every suite sweeps
 * (tests/tmp_sweep.sh): the folders whose PID no longer runs go, and the
 * servers recorded in them (test_tmp_record_pid) or carrying them in
 * ROUNDS_TEST_RUNS (test_tmp_runs_with) are stopped first. Suites run side
 * by side: a folder whose process still runs is never touched. */
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
#include <sys/wait.h>
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

/* The sweep shared with the shell harnesses, run from the repository's root
 * (where scripts/test.sh runs every suite). */
#define TEST_TMP_SWEEP_SCRIPT "tests/tmp_sweep.sh"
/* The environment variable naming, ':'-separated, the temporary folders of the
 * runs a process was started for (tests/harness/pids.sh: run_mark). */
#define TEST_RUN_ENV "ROUNDS_TEST_RUNS"

/* Without the script (a suite run from elsewhere): removes the folders and
 * files of suites that no longer run, but not those that record servers
 * (dir/pids), which only the script can stop. Says how many went. */
static inline int test_tmp_sweep_folders(void)
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
        char path[512], pids[560];
        struct stat st;
        snprintf(path, sizeof(path), "%s/%s", TEST_TMP_ROOT, e->d_name);
        snprintf(pids, sizeof(pids), "%s/pids", path);
        if (lstat(path, &st) != 0 || st.st_uid != geteuid())
            continue;
        if (S_ISREG(st.st_mode))
            unlink(path);
        else if (S_ISDIR(st.st_mode) && access(pids, F_OK) != 0)
            test_tmp_remove(path);
        else
            continue;
        removed++;
    }
    closedir(root);
    return removed;
}

/* Removes the temporary folders of suites that no longer run, after stopping
 * the servers they started: tests/tmp_sweep.sh, which prints what it did. */
static inline void test_tmp_sweep(void)
{
    if (access(TEST_TMP_SWEEP_SCRIPT, X_OK) != 0) {
        int removed = test_tmp_sweep_folders();
        if (removed > 0)
            printf("# removed %d temporary folder%s of suites that no longer run\n", removed, removed == 1 ? "" : "s");
        return;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(STDOUT_FILENO, STDERR_FILENO);
        execl(TEST_TMP_SWEEP_SCRIPT, TEST_TMP_SWEEP_SCRIPT, TEST_TMP_ROOT, (char *)NULL);
        _exit(127);
    }
    while (pid > 0 && waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
}

/* path = /tmp/rounds-pid<PID>-kind.XXXXXX (not yet made); false when it does not fit. */
static inline bool test_tmp_name(char *path, size_t size, const char *kind)
{
    static bool swept;
    if (!swept) {
        swept = true;
        test_tmp_sweep();
    }
    int n = snprintf(path, size, "%s/%s%ld-%s.XXXXXX", TEST_TMP_ROOT, TEST_TMP_PREFIX, (long)getpid(), kind);
    if (n < 0 || (size_t)n >= size) {
        errno = ENAMETOOLONG;
        if (size > 0)
            path[0] = '\0';
        return false;
    }
    return true;
}

/* Makes a temporary folder of this suite (kind: letters, digits, '-') into
 * dir; the first call of the process sweeps the folders of suites killed
 * before. Returns dir, or NULL with errno set (dir then empty). */
static inline char *test_tmp_dir(char *dir, size_t size, const char *kind)
{
    if (!test_tmp_name(dir, size, kind))
        return NULL;
    if (mkdtemp(dir) == NULL) {
        dir[0] = '\0';
        return NULL;
    }
    return dir;
}

/* Creates a temporary file of this suite, named like test_tmp_dir's folders,
 * into path (the caller unlinks it); returns its descriptor, or -1. */
static inline int test_tmp_file(char *path, size_t size, const char *kind)
{
    if (!test_tmp_name(path, size, kind))
        return -1;
    int fd = mkstemp(path);
    if (fd < 0)
        path[0] = '\0';
    return fd;
}

/* ---- processes a suite starts ---- */

/* Process pid's start time (clock ticks after boot: /proc/PID/stat's 22nd
 * field), which with the PID names one process for good; 0 when unknown. */
static inline unsigned long long test_proc_start_time(long pid)
{
    char path[64], text[1024];
    snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 0;
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    char *field = strrchr(text, ')'); /* the command name may hold spaces and ')' */
    for (int i = 2; field != NULL && i < 22; i++)
        field = strchr(field + 1, ' ');
    return field != NULL ? strtoull(field + 1, NULL, 10) : 0;
}

/* Records in dir/pids/<pid> that this suite started pid running program
 * (the start of its command line), so that when the suite is killed the
 * sweep stops it (tests/harness/pids.sh: pid_record). Returns 0 or -1. */
static inline int test_tmp_record_pid(const char *dir, long pid, const char *program)
{
    char path[512];
    unsigned long long start = test_proc_start_time(pid);
    snprintf(path, sizeof(path), "%s/pids", dir);
    if (start == 0 || (mkdir(path, 0700) != 0 && errno != EEXIST))
        return -1;
    int n = snprintf(path, sizeof(path), "%s/pids/%ld", dir, pid);
    FILE *f = n > 0 && (size_t)n < sizeof(path) ? fopen(path, "w") : NULL;
    if (f == NULL)
        return -1;
    fprintf(f, "%llu %s proc\n", start, program);
    return fclose(f) == 0 ? 0 : -1;
}

/* TEST_RUN_ENV's value for a child (this process's with dir appended), so
 * that the sweep finds the child and what it starts once dir's suite is
 * gone; false when it does not fit in out. Called before the fork (a child
 * of a suite with threads must not call setenv: api_client.h). */
static inline bool test_tmp_runs_with(const char *dir, char *out, size_t size)
{
    const char *runs = getenv(TEST_RUN_ENV);
    int n = snprintf(out, size, "%s%s%s", runs != NULL ? runs : "", runs != NULL && *runs ? ":" : "", dir);
    return n > 0 && (size_t)n < size;
}

static inline int test_summary(const char *suite)
{
    printf("%s: %d passed, %d failed\n", suite, test_passed, test_failed);
    return test_failed == 0 ? 0 : 1;
}

#endif
