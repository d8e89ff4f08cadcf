/* api_client.h — header-only helpers for the API suites: start the real
 * `rounds serve` binary on an ephemeral port, send HTTP requests with libcurl,
 * read the replies (status, headers, body, parsed JSON), run the CLI, and open
 * the server's database directly to check what a request changed.
 *
 *   struct api_server srv;
 *   if (api_server_start(&srv, NULL) != 0) return 1;     // becomes api_current
 *   struct api_response r;
 *   api_request(&r, "GET", "/healthz", NULL, NULL);
 *   CHECK_INT(r.status, 200);
 *   CHECK_STR(api_json_str(r.json, "status"), "ok");
 *   api_free(&r);
 *   CHECK_INT(api_server_stop(&srv), 0);                 // graceful shutdown
 *
 * Environment: ROUNDS_BIN (default build-address-undefined/rounds) names the
 * binary; ROUNDS_TEST_DB, when set, is the database every server and CLI call
 * uses (a postgres:// URL that may already hold other suites' data, so tests
 * must use unique emails: api_unique_email). Otherwise each server gets a fresh
 * SQLite file in its own folder (test_tmp_dir in test.h: a killed suite's
 * folders go at the next suite's start, and the server, recorded in its
 * folder's pids/, is stopped first should SIGTERM at the suite's death not have
 * ended it), next to ROUNDS_DATA_DIR, the ready
 * file and server.log (the server's stderr, printed in part when a test run
 * with API_RUN fails). Every server takes sign-ups and failed logins from
 * 127.0.0.1 without the limits per client address
 * (ROUNDS_REGISTER_LIMIT_CLIENT, ROUNDS_LOGIN_LIMIT_CLIENT); a flag turns
 * either back on.
 *
 * Every function is static inline so that a suite may use any subset. */
#ifndef ROUNDS_TESTS_API_CLIENT_H
#define ROUNDS_TESTS_API_CLIENT_H

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store/db.h"
#include "test.h"

/* ---- small utilities ---- */

static inline double api_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static inline void api_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* A byte string that grows (multipart bodies, PDFs): NUL-terminated after
 * len, data NULL while empty; free(data) when done. Appending stops quietly
 * when memory runs out (the request then fails the test). */
struct api_bytes {
    char *data;
    size_t len;
};

static inline void api_bytes_add(struct api_bytes *b, const void *p, size_t n)
{
    char *bigger = realloc(b->data, b->len + n + 1);
    if (bigger == NULL)
        return;
    b->data = bigger;
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static inline void api_bytes_str(struct api_bytes *b, const char *s)
{
    api_bytes_add(b, s, strlen(s));
}

static inline const char *api_bin(void)
{
    const char *bin = getenv("ROUNDS_BIN");
    return bin != NULL && *bin != '\0' ? bin : "build-address-undefined/rounds";
}

/* The shared test database (PostgreSQL run), or NULL for a fresh SQLite file per server. */
static inline const char *api_shared_db(void)
{
    const char *db = getenv("ROUNDS_TEST_DB");
    return db != NULL && *db != '\0' ? db : NULL;
}

/* "prefix-<pid>-<time>-<n>@example.test", unique across runs and suites; lower case. */
static inline void api_unique_email(char *out, size_t size, const char *prefix)
{
    static unsigned counter;
    snprintf(out, size, "%s-%ld-%lld-%u@example.test", prefix, (long)getpid(), (long long)time(NULL), ++counter);
}

/* Reads a whole file into a NUL-terminated heap string (NULL when missing). */
static inline char *api_read_file(const char *path, size_t *len_out)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 4096, len = 0;
    char *data = malloc(cap);
    while (data != NULL) {
        if (len + 1 >= cap) {
            char *bigger = realloc(data, cap * 2);
            if (bigger == NULL) {
                free(data);
                data = NULL;
                break;
            }
            data = bigger;
            cap *= 2;
        }
        size_t n = fread(data + len, 1, cap - len - 1, f);
        if (n == 0)
            break;
        len += n;
    }
    fclose(f);
    if (data != NULL) {
        data[len] = '\0';
        if (len_out != NULL)
            *len_out = len;
    }
    return data;
}

/* rm -rf dir */
static inline void api_remove_tree(const char *dir)
{
    test_tmp_remove(dir);
}

/* True when the servers' folders stay for a look afterwards (ROUNDS_TEST_KEEP=1). */
static inline bool api_keep_folders(void)
{
    const char *keep = getenv("ROUNDS_TEST_KEEP");
    return keep != NULL && strcmp(keep, "1") == 0;
}

/* ---- children: their environment made before the fork ----
 * A suite may fork while threads of its own run (test_api_loop_sessions.c
 * starts a server while its proxy's thread starts). Until it execs, such a
 * child may call only async-signal-safe functions: a lock that another
 * thread held at the fork (the allocator's: GCC 12's ASan has no fork
 * handlers; the environment's) stays held in the child for ever, and a
 * setenv() there, which allocates, would hang it before its exec with its
 * log still empty. So the child's environment is made in the suite, and the
 * child only calls prctl, getppid, open, dup2, execve and _exit. */

extern char **environ;

struct api_env {
    char **items; /* "NAME=value", NULL-terminated, each malloc'd: execve's envp */
    size_t count, cap;
    bool failed; /* memory ran out: start no child with it */
};

/* Adds item (copied) as it is. */
static inline void api_env_add(struct api_env *env, const char *item)
{
    if (env->failed)
        return;
    if (env->count + 2 > env->cap) {
        size_t cap = env->cap * 2 + 32;
        char **bigger = realloc(env->items, cap * sizeof(*bigger));
        if (bigger == NULL) {
            env->failed = true;
            return;
        }
        env->items = bigger;
        env->cap = cap;
    }
    env->items[env->count] = strdup(item);
    if (env->items[env->count] == NULL) {
        env->failed = true;
        return;
    }
    env->items[++env->count] = NULL;
}

/* Sets name to value, or removes it (value NULL). */
static inline void api_env_set(struct api_env *env, const char *name, const char *value)
{
    size_t n = strlen(name);
    for (size_t i = env->count; i-- > 0;)
        if (strncmp(env->items[i], name, n) == 0 && env->items[i][n] == '=') {
            free(env->items[i]);
            env->items[i] = env->items[--env->count];
            env->items[env->count] = NULL;
        }
    if (value == NULL)
        return;
    size_t size = n + strlen(value) + 2;
    char *item = malloc(size);
    if (item == NULL) {
        env->failed = true;
        return;
    }
    snprintf(item, size, "%s=%s", name, value);
    api_env_add(env, item);
    free(item);
}

static inline void api_env_free(struct api_env *env)
{
    for (size_t i = 0; i < env->count; i++)
        free(env->items[i]);
    free(env->items);
    *env = (struct api_env){0};
}

/* The suite's environment for a child, with what every child of a test run
 * gets: the project's suppressions for libraries' one-time allocations when
 * LSAN_OPTIONS is not set (a test run by hand; scripts/test.sh sets it),
 * password hashes at Argon2id's least cost (ROUNDS_TEST_PASSWORD_COST=min,
 * src/lib/crypto.c, sanitized builds only: at the real cost each sign-up and
 * login took 0.15 s of CPU, half of what the API suites spent; a suite that
 * needs the real cost sets ROUNDS_TEST_PASSWORD_COST=real itself, as
 * test_api_db_pool.c does), and run_dir (NULL: none) in ROUNDS_TEST_RUNS for
 * tests/tmp_sweep.sh. False
 * (and nothing to free) when memory ran out. */
static inline bool api_env_init(struct api_env *env, const char *run_dir)
{
    *env = (struct api_env){.items = calloc(64, sizeof(char *)), .cap = 64};
    env->failed = env->items == NULL;
    for (char **e = environ; e != NULL && *e != NULL; e++)
        api_env_add(env, *e);
    const char *lsan = getenv("LSAN_OPTIONS");
    if ((lsan == NULL || *lsan == '\0') && access("tests/lsan.supp", R_OK) == 0)
        api_env_set(env, "LSAN_OPTIONS", "suppressions=tests/lsan.supp:print_suppressions=0");
    if (getenv("ROUNDS_TEST_PASSWORD_COST") == NULL)
        api_env_set(env, "ROUNDS_TEST_PASSWORD_COST", "min");
    char runs[2048];
    if (run_dir != NULL && test_tmp_runs_with(run_dir, runs, sizeof(runs)))
        api_env_set(env, TEST_RUN_ENV, runs);
    if (env->failed)
        api_env_free(env);
    return env->items != NULL;
}

/* In a child of the suite about to exec: it gets sig when the thread that
 * forked it ends (the suite killed outright leaves nothing running).
 * suite: the suite's PID, taken before fork. Async-signal-safe. */
static inline void api_child_guard(pid_t suite, int sig)
{
    prctl(PR_SET_PDEATHSIG, sig);
    if (getppid() != suite)
        _exit(127); /* the suite ended before prctl */
}

/* In a child whose execve failed: says so on its stderr (async-signal-safe) and ends. */
static inline void api_child_exec_failed(void)
{
    static const char says[] = "exec of the rounds binary failed\n";
    ssize_t ignored = write(STDERR_FILENO, says, sizeof(says) - 1);
    (void)ignored;
    _exit(127);
}

/* ---- the server ---- */

/* How long a server may take to become ready. A server that fails exits, and
 * is reported at once; this bounds one that hangs. On a loaded machine a
 * sanitized server's start takes seconds, and its database connects may each
 * be tried again after a timeout (store/pg/driver.c: up to 3 × 5 s). */
enum { API_READY_MS = 60000 };

struct api_server {
    pid_t pid;
    int port;
    char dir[256];          /* the mkdtemp folder: ready file, server.log, data/, rounds.db */
    char db[1024];          /* ROUNDS_DB of the server */
    char log_path[300];
    char base_url[64];      /* "http://127.0.0.1:PORT" */
    char origin[64];        /* the same, for Origin headers */
};

/* The server that api_request talks to (the last one started, or set by api_use). */
static struct api_server *api_current;

static inline void api_use(struct api_server *srv)
{
    api_current = srv;
}

/* Prints the last lines of the server's log (its stderr), prefixed with "  | ". */
static inline void api_server_print_log(const struct api_server *srv, int lines)
{
    if (srv == NULL || srv->log_path[0] == '\0')
        return;
    size_t len = 0;
    char *log = api_read_file(srv->log_path, &len);
    if (log == NULL)
        return;
    size_t start = len;
    int seen = 0;
    while (start > 0) {
        if (log[start - 1] == '\n' && start != len && ++seen >= lines)
            break;
        start--;
    }
    printf("  server log (%s), last lines:\n", srv->log_path);
    for (char *line = log + start; *line != '\0';) {
        char *nl = strchr(line, '\n');
        int n = nl != NULL ? (int)(nl - line) : (int)strlen(line);
        printf("  | %.*s\n", n, line);
        line += n + (nl != NULL);
    }
    free(log);
    fflush(stdout);
}

/* The folder of a server that did not start or whose suite gave up (its log
 * printed already) goes, unless ROUNDS_TEST_KEEP=1; the server is stopped
 * first when it runs. Returns -1. */
static inline int api_server_abandon(struct api_server *srv)
{
    if (srv->pid > 0) {
        kill(srv->pid, SIGKILL);
        waitpid(srv->pid, NULL, 0);
        srv->pid = 0;
    }
    if (api_current == srv)
        api_current = NULL;
    if (srv->dir[0] != '\0' && api_keep_folders())
        printf("server folder kept: %s\n", srv->dir);
    else
        api_remove_tree(srv->dir);
    srv->dir[0] = '\0';
    return -1;
}

/* The environment of a server of the suite (see struct api_env): the
 * suite's, with its database and data folder, the limits tests need, and
 * extra_env ("NAME=value", NULL-terminated, may be NULL) last. False after
 * saying why (nothing to free). */
static inline bool api_server_env(const struct api_server *srv, const char *data_dir, const char *const *extra_env,
                                  struct api_env *env)
{
    if (!api_env_init(env, srv->dir)) {
        printf("api_server_start: out of memory\n");
        return false;
    }
    api_env_set(env, "ROUNDS_DB", srv->db);
    api_env_set(env, "ROUNDS_DATA_DIR", data_dir);
    api_env_set(env, "ROUNDS_LISTEN", NULL);
    api_env_set(env, "ROUNDS_PUBLIC_URL", NULL);
    /* Suites sign staff, coaches and hosts in with a password alone;
     * test_api_two_factor.c turns the requirement on with its flag. */
    api_env_set(env, "ROUNDS_TWO_FACTOR_ROLES", "none");
    /* Sign-ups from 127.0.0.1 count in the database for an hour (20 by
     * default): a suite that registers many students, or runs again on
     * the same PostgreSQL database, must not reach the limit.
     * test_api_security.c tests it on a server given its own
     * --register-limit-client (a flag outranks the environment). */
    api_env_set(env, "ROUNDS_REGISTER_LIMIT_CLIENT", "1000000");
    /* Failed logins from 127.0.0.1 count for 15 minutes for every
     * account (100 by default), and add up across suites and runs on a
     * shared PostgreSQL database. test_api_security.c tests the login
     * limits with its own --login-limit-account(-client) flags, and
     * tests/multi/two_instances.sh this one with --login-limit-client. */
    api_env_set(env, "ROUNDS_LOGIN_LIMIT_CLIENT", "1000000");
    for (size_t i = 0; extra_env != NULL && extra_env[i] != NULL; i++) {
        const char *eq = strchr(extra_env[i], '=');
        char name[128];
        if (eq == NULL || (size_t)(eq - extra_env[i]) >= sizeof(name)) {
            printf("api_server_start_with: not NAME=value: %s\n", extra_env[i]);
            api_env_free(env);
            return false;
        }
        snprintf(name, sizeof(name), "%.*s", (int)(eq - extra_env[i]), extra_env[i]);
        api_env_set(env, name, eq + 1);
    }
    if (env->failed) {
        printf("api_server_start: out of memory\n");
        api_env_free(env);
        return false;
    }
    return true;
}

/* Starts `rounds serve` on db (NULL: the shared test database when there is
 * one, else a fresh SQLite file in the server's folder) with extra_flags and,
 * in the server's environment alone, extra_env ("NAME=value" strings); both
 * NULL-terminated, either may be NULL. Waits (API_READY_MS at most) until it
 * has written its ready file. Returns 0, or -1 after printing why (and the log),
 * its folder removed (kept with ROUNDS_TEST_KEEP=1). The server becomes
 * api_current. */
static inline int api_server_start_with(struct api_server *srv, const char *db, const char *const *extra_flags,
                                        const char *const *extra_env)
{
    memset(srv, 0, sizeof(*srv));
    if (test_tmp_dir(srv->dir, sizeof(srv->dir), "api") == NULL) {
        printf("api_server_start: mkdtemp: %s\n", strerror(errno));
        return -1;
    }
    const char *shared = db != NULL ? db : api_shared_db();
    if (shared != NULL)
        snprintf(srv->db, sizeof(srv->db), "%s", shared);
    else
        snprintf(srv->db, sizeof(srv->db), "%s/rounds.db", srv->dir);
    snprintf(srv->log_path, sizeof(srv->log_path), "%s/server.log", srv->dir);
    char ready[300], data_dir[300];
    snprintf(ready, sizeof(ready), "%s/ready", srv->dir);
    snprintf(data_dir, sizeof(data_dir), "%s/data", srv->dir);

    const char *argv[64];
    int argc = 0;
    argv[argc++] = api_bin();
    argv[argc++] = "serve";
    argv[argc++] = "--listen";
    argv[argc++] = "127.0.0.1:0";
    argv[argc++] = "--ready-file";
    argv[argc++] = ready;
    argv[argc++] = "--threads";
    argv[argc++] = "2";
    argv[argc++] = "--workers";
    argv[argc++] = "2";
    for (size_t i = 0; extra_flags != NULL && extra_flags[i] != NULL && argc < 63; i++)
        argv[argc++] = extra_flags[i];
    argv[argc] = NULL;

    struct api_env env;
    if (!api_server_env(srv, data_dir, extra_env, &env))
        return api_server_abandon(srv);

    fflush(stdout);
    fflush(stderr);
    pid_t suite = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        printf("api_server_start: fork: %s\n", strerror(errno));
        api_env_free(&env);
        return api_server_abandon(srv);
    }
    if (pid == 0) {
        /* A test that crashes or is killed must not leave its server running
         * (holding a port, a database and whatever descriptors it inherited).
         * Servers are started from the suite's main thread. Nothing here
         * but async-signal-safe calls (see struct api_env). */
        api_child_guard(suite, SIGTERM);
        int log_fd = open(srv->log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (log_fd < 0 || null_fd < 0)
            _exit(127);
        dup2(null_fd, STDIN_FILENO);
        dup2(log_fd, STDOUT_FILENO);
        dup2(log_fd, STDERR_FILENO);
        execve(argv[0], (char *const *)argv, env.items);
        api_child_exec_failed();
    }
    api_env_free(&env);
    srv->pid = pid;
    /* Should SIGTERM not end it, the next sweep finds it by this record. */
    test_tmp_record_pid(srv->dir, pid, "rounds");

    double deadline = api_now_ms() + API_READY_MS;
    for (;;) {
        char *text = api_read_file(ready, NULL);
        if (text != NULL) {
            char *colon = strrchr(text, ':');
            long port = colon != NULL ? strtol(colon + 1, NULL, 10) : 0;
            free(text);
            if (port > 0 && port < 65536) {
                srv->port = (int)port;
                break;
            }
        }
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            printf("api_server_start: the server exited early (status %d)\n",
                   WIFEXITED(status) ? WEXITSTATUS(status) : -1);
            srv->pid = 0;
            api_server_print_log(srv, 40);
            return api_server_abandon(srv);
        }
        if (api_now_ms() > deadline) {
            printf("api_server_start: no ready file after %d s\n", API_READY_MS / 1000);
            api_server_print_log(srv, 40);
            kill(pid, SIGKILL);
            waitpid(pid, NULL, 0);
            srv->pid = 0;
            return api_server_abandon(srv);
        }
        api_sleep_ms(20);
    }
    snprintf(srv->base_url, sizeof(srv->base_url), "http://127.0.0.1:%d", srv->port);
    snprintf(srv->origin, sizeof(srv->origin), "http://127.0.0.1:%d", srv->port);
    api_current = srv;
    return 0;
}

/* Starts `rounds serve` with extra_flags (NULL-terminated, may be NULL); see
 * api_server_start_with. */
static inline int api_server_start(struct api_server *srv, const char *const *extra_flags)
{
    return api_server_start_with(srv, NULL, extra_flags, NULL);
}

/* Starts second as another `rounds serve` on first's database (the shared
 * PostgreSQL one, or first's SQLite file), with extra_flags and extra_env
 * ("NAME=value", set for second alone, such as a failpoint to arm); both
 * NULL-terminated, either may be NULL. first stays api_current. True when
 * second is ready. */
static inline bool api_server_start_beside_with(struct api_server *second, struct api_server *first,
                                                const char *const *extra_flags, const char *const *extra_env)
{
    bool ok = api_server_start_with(second, first->db, extra_flags, extra_env) == 0;
    api_use(first);
    return ok;
}

/* api_server_start_beside_with without extra environment. */
static inline bool api_server_start_beside(struct api_server *second, struct api_server *first,
                                           const char *const *extra_flags)
{
    return api_server_start_beside_with(second, first, extra_flags, NULL);
}

/* SIGTERM, then waits (20 s at most, SIGKILL after). Returns the exit status
 * (0 is a graceful shutdown), 128+signal when killed by one, -1 on error. */
static inline int api_server_stop(struct api_server *srv)
{
    if (srv->pid <= 0)
        return -1;
    kill(srv->pid, SIGTERM);
    int status = 0;
    double deadline = api_now_ms() + 20000;
    pid_t done;
    while ((done = waitpid(srv->pid, &status, WNOHANG)) == 0 && api_now_ms() < deadline)
        api_sleep_ms(20);
    if (done == 0) {
        printf("api_server_stop: no exit 20 s after SIGTERM; killing it\n");
        kill(srv->pid, SIGKILL);
        waitpid(srv->pid, &status, 0);
    }
    srv->pid = 0;
    if (api_current == srv)
        api_current = NULL;
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return -1;
}

/* `rounds seed --demo --data-dir data_dir` on db, its output into out_path
 * (NULL: dropped); its exit status (-1 when it could not run or was stopped).
 * Not api_cli: the demo hashes many passwords, which takes more than api_cli's
 * 30 s on a loaded machine, so it is given 300 s. */
static inline int api_seed_demo(const char *db, const char *data_dir, const char *out_path)
{
    struct api_env env;
    if (!api_env_init(&env, NULL))
        return -1;
    api_env_set(&env, "ROUNDS_DB", db);
    const char *argv[] = {api_bin(), "seed", "--demo", "--data-dir", data_dir, NULL};
    fflush(stdout);
    pid_t suite = getpid();
    pid_t pid = env.failed ? -1 : fork();
    if (pid == 0) {
        api_child_guard(suite, SIGKILL);
        int fd = out_path != NULL ? open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600) : open("/dev/null", O_RDWR);
        if (fd >= 0) {
            dup2(fd, STDOUT_FILENO);
            dup2(fd, out_path != NULL ? STDERR_FILENO : STDIN_FILENO);
        }
        execve(argv[0], (char *const *)argv, env.items);
        api_child_exec_failed();
    }
    api_env_free(&env);
    int status = 0;
    double deadline = api_now_ms() + 300000;
    pid_t done = 0;
    while (pid > 0 && (done = waitpid(pid, &status, WNOHANG)) == 0 && api_now_ms() < deadline)
        api_sleep_ms(50);
    if (pid > 0 && done == 0) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
    }
    return pid > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* `rounds ledger check` on the server's own SQLite database (the PostgreSQL
 * runs are checked by scripts/test.sh after each suite): every suite leaves
 * a sound ledger. A failure is a failed check of the running test. */
static inline void api_server_check_ledger(const struct api_server *srv)
{
    if (api_shared_db() != NULL || srv->db[0] == '\0' || access(srv->db, R_OK) != 0)
        return;
    char out_path[300];
    snprintf(out_path, sizeof(out_path), "%s/ledger-check.txt", srv->dir);
    struct api_env env;
    if (!api_env_init(&env, NULL)) {
        TEST_FAILF("rounds ledger check on %s: out of memory", srv->db);
        return;
    }
    const char *argv[] = {api_bin(), "ledger", "check", "--db", srv->db, NULL};
    fflush(stdout);
    pid_t suite = getpid();
    pid_t pid = env.failed ? -1 : fork();
    if (pid == 0) {
        api_child_guard(suite, SIGKILL);
        int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd >= 0) {
            dup2(fd, STDOUT_FILENO);
            dup2(fd, STDERR_FILENO);
        }
        execve(argv[0], (char *const *)argv, env.items);
        api_child_exec_failed();
    }
    api_env_free(&env);
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char *text = api_read_file(out_path, NULL);
        TEST_FAILF("rounds ledger check on %s failed: %.600s", srv->db, text != NULL ? text : "(no output)");
        free(text);
    }
}

/* Checks the ledger the server left, then removes its temp folder (its SQLite database included). */
static inline void api_server_cleanup(struct api_server *srv)
{
    api_server_check_ledger(srv);
    api_remove_tree(srv->dir);
    srv->dir[0] = '\0';
}

/* ---- requests ---- */

enum { API_MAX_HEADERS = 64, API_MAX_COOKIES = 16 };

struct api_header_line {
    char *name;   /* lower case */
    char *value;  /* without surrounding whitespace */
};

struct api_response {
    long status;                 /* 0 when the request failed at the transport level */
    char *body;                  /* NUL-terminated (may contain NULs before body_len) */
    size_t body_len;
    json_t *json;                /* parsed when the reply is JSON (problem+json included), else NULL */
    struct api_header_line headers[API_MAX_HEADERS];
    size_t header_count;
    char *cookies[API_MAX_COOKIES]; /* every Set-Cookie value */
    size_t cookie_count;
    char error[CURL_ERROR_SIZE]; /* libcurl's message when status is 0 */
};

/* A request in full: arbitrary method, headers ("Name: value", NULL-terminated),
 * raw body bytes. In raw mode nothing is added: no Content-Type unless listed
 * (libcurl's default is suppressed). Otherwise a body gets
 * "Content-Type: application/json" unless the headers name one. A NULL body
 * on a method other than GET/HEAD sends "Content-Length: 0". */
struct api_raw_request {
    const char *method;
    const char *path;            /* with the query string */
    const char *const *headers;
    const char *body;
    size_t body_len;
    bool raw;
};

static inline size_t api_on_body(char *data, size_t size, size_t n, void *userdata)
{
    struct api_response *r = userdata;
    size_t add = size * n;
    if (r->body_len + add > (size_t)64 << 20)
        return 0;
    char *bigger = realloc(r->body, r->body_len + add + 1);
    if (bigger == NULL)
        return 0;
    r->body = bigger;
    memcpy(r->body + r->body_len, data, add);
    r->body_len += add;
    r->body[r->body_len] = '\0';
    return add;
}

static inline void api_clear_headers(struct api_response *r)
{
    for (size_t i = 0; i < r->header_count; i++) {
        free(r->headers[i].name);
        free(r->headers[i].value);
    }
    for (size_t i = 0; i < r->cookie_count; i++)
        free(r->cookies[i]);
    r->header_count = 0;
    r->cookie_count = 0;
}

static inline size_t api_on_header(char *data, size_t size, size_t n, void *userdata)
{
    struct api_response *r = userdata;
    size_t len = size * n;
    if (len >= 5 && memcmp(data, "HTTP/", 5) == 0) {
        api_clear_headers(r); /* a new reply (after 100 Continue) */
        return len;
    }
    const char *colon = memchr(data, ':', len);
    if (colon == NULL || r->header_count == API_MAX_HEADERS)
        return len;
    size_t name_len = (size_t)(colon - data);
    const char *v = colon + 1, *end = data + len;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\t'))
        end--;
    char *name = strndup(data, name_len);
    char *value = strndup(v, (size_t)(end - v));
    if (name == NULL || value == NULL) {
        free(name);
        free(value);
        return 0;
    }
    for (char *p = name; *p != '\0'; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    r->headers[r->header_count].name = name;
    r->headers[r->header_count].value = value;
    r->header_count++;
    if (strcmp(name, "set-cookie") == 0 && r->cookie_count < API_MAX_COOKIES)
        r->cookies[r->cookie_count++] = strdup(value);
    return len;
}

/* The first header of that name (case-insensitive), or NULL. */
static inline const char *api_header(const struct api_response *r, const char *name)
{
    for (size_t i = 0; i < r->header_count; i++)
        if (strcasecmp(r->headers[i].name, name) == 0)
            return r->headers[i].value;
    return NULL;
}

/* The whole Set-Cookie line that sets cookie `name`, or NULL. */
static inline const char *api_set_cookie(const struct api_response *r, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < r->cookie_count; i++)
        if (strncmp(r->cookies[i], name, n) == 0 && r->cookies[i][n] == '=')
            return r->cookies[i];
    return NULL;
}

/* The value that Set-Cookie gives cookie `name`, into out; false when not set. */
static inline bool api_cookie_value(const struct api_response *r, const char *name, char *out, size_t size)
{
    const char *line = api_set_cookie(r, name);
    if (line == NULL || size == 0)
        return false;
    const char *v = line + strlen(name) + 1;
    size_t len = strcspn(v, ";");
    snprintf(out, size, "%.*s", (int)len, v);
    return true;
}

/* True when the Set-Cookie line of cookie `name` has attribute attr
 * ("HttpOnly", "SameSite=Lax", "Max-Age=0"; case-insensitive). */
static inline bool api_cookie_has(const struct api_response *r, const char *name, const char *attr)
{
    const char *line = api_set_cookie(r, name);
    if (line == NULL)
        return false;
    size_t n = strlen(attr);
    for (const char *p = strchr(line, ';'); p != NULL; p = strchr(p + 1, ';')) {
        const char *a = p + 1;
        while (*a == ' ')
            a++;
        if (strncasecmp(a, attr, n) == 0 && (a[n] == ';' || a[n] == '\0'))
            return true;
    }
    return false;
}

static inline void api_free(struct api_response *r)
{
    api_clear_headers(r);
    free(r->body);
    json_decref(r->json);
    memset(r, 0, sizeof(*r));
}

static inline bool api_has_header_named(const char *const *headers, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; headers != NULL && headers[i] != NULL; i++)
        if (strncasecmp(headers[i], name, n) == 0 && headers[i][n] == ':')
            return true;
    return false;
}

/* Sends the request to srv; fills *r (call api_free afterwards). Returns the status (0 on transport failure). */
static inline long api_send_to(struct api_server *srv, struct api_response *r, const struct api_raw_request *rq)
{
    memset(r, 0, sizeof(*r));
    if (srv == NULL) {
        snprintf(r->error, sizeof(r->error), "no server");
        return 0;
    }
    CURL *curl = curl_easy_init();
    if (curl == NULL) {
        snprintf(r->error, sizeof(r->error), "curl_easy_init failed");
        return 0;
    }
    size_t url_len = strlen(srv->base_url) + strlen(rq->path) + 1;
    char *url = malloc(url_len);
    struct curl_slist *list = NULL;
    if (url == NULL)
        goto out;
    snprintf(url, url_len, "%s%s", srv->base_url, rq->path);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, r->error);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, api_on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, api_on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, r);

    const char *method = rq->method != NULL ? rq->method : "GET";
    bool is_head = strcmp(method, "HEAD") == 0, is_get = strcmp(method, "GET") == 0;
    if (is_head)
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    else if (!is_get || rq->body != NULL)
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    bool sends_body = rq->body != NULL || (!is_get && !is_head);
    if (sends_body) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(rq->body != NULL ? rq->body_len : 0));
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, rq->body != NULL ? rq->body : "");
    }
    for (size_t i = 0; rq->headers != NULL && rq->headers[i] != NULL; i++)
        list = curl_slist_append(list, rq->headers[i]);
    if (sends_body && !api_has_header_named(rq->headers, "content-type")) {
        if (!rq->raw && rq->body != NULL)
            list = curl_slist_append(list, "Content-Type: application/json");
        else
            list = curl_slist_append(list, "Content-Type:"); /* no libcurl default */
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);

    CURLcode rc = curl_easy_perform(curl);
    if (rc == CURLE_OK) {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r->status);
    } else {
        if (r->error[0] == '\0')
            snprintf(r->error, sizeof(r->error), "%s", curl_easy_strerror(rc));
        /* A reply that arrived before the server closed on an upload still counts. */
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r->status);
    }
    if (r->body == NULL) {
        r->body = calloc(1, 1);
        r->body_len = 0;
    }
    const char *content_type = api_header(r, "content-type");
    if (r->body_len > 0 && content_type != NULL && strstr(content_type, "json") != NULL)
        r->json = json_loadb(r->body, r->body_len, 0, NULL);
out:
    curl_slist_free_all(list);
    free(url);
    curl_easy_cleanup(curl);
    return r->status;
}

/* Polls GET path on srv (with the extra header, or none; 5 s at most) until a
 * 200 carries an ETag other than old: a kept reply was dropped and made again.
 * The new reply in r (call api_free afterwards). */
static inline bool api_wait_for_new_etag(struct api_server *srv, const char *path, const char *header, const char *old,
                                         struct api_response *r)
{
    const char *headers[] = {header, NULL};
    struct api_raw_request rq = {"GET", path, headers, NULL, 0, false};
    double deadline = api_now_ms() + 5000;
    for (;;) {
        api_send_to(srv, r, &rq);
        const char *etag = api_header(r, "etag");
        if (r->status == 200 && etag != NULL && strcmp(etag, old) != 0)
            return true;
        api_free(r);
        if (api_now_ms() > deadline)
            return false;
        api_sleep_ms(50);
    }
}

/* A raw request to the current server. */
static inline long api_send(struct api_response *r, const struct api_raw_request *rq)
{
    return api_send_to(api_current, r, rq);
}

/* method path with headers (NULL-terminated "Name: value", may be NULL) and a
 * JSON body text (NULL for none). Returns the status. */
static inline long api_request(struct api_response *r, const char *method, const char *path,
                               const char *const *headers, const char *body)
{
    struct api_raw_request rq = {method, path, headers, body, body != NULL ? strlen(body) : 0, false};
    return api_send(r, &rq);
}

/* ---- reading JSON ---- */

/* The string at a dotted path ("user.email"), or NULL. */
static inline const char *api_json_str(json_t *root, const char *path)
{
    char key[128];
    json_t *v = root;
    while (v != NULL && *path != '\0') {
        size_t n = strcspn(path, ".");
        snprintf(key, sizeof(key), "%.*s", (int)n, path);
        v = json_is_object(v) ? json_object_get(v, key) : NULL;
        path += n + (path[n] == '.');
    }
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static inline json_t *api_json_get(json_t *root, const char *path)
{
    char key[128];
    json_t *v = root;
    while (v != NULL && *path != '\0') {
        size_t n = strcspn(path, ".");
        snprintf(key, sizeof(key), "%.*s", (int)n, path);
        v = json_is_object(v) ? json_object_get(v, key) : NULL;
        path += n + (path[n] == '.');
    }
    return v;
}

/* The integer at a dotted path, or fallback when absent or not an integer. */
static inline long long api_json_int(json_t *root, const char *path, long long fallback)
{
    json_t *v = api_json_get(root, path);
    return json_is_integer(v) ? (long long)json_integer_value(v) : fallback;
}

/* Checks a problem+json reply: status, media type, the six members, code and
 * field (NULL: the field must be null). */
#define CHECK_PROBLEM(resp, want_status, want_code, want_field)                                     \
    do {                                                                                            \
        const struct api_response *cp_r_ = (resp);                                                  \
        const char *cp_field_ = (want_field);                                                       \
        CHECK_INT(cp_r_->status, (want_status));                                                    \
        if (cp_r_->status != (want_status))                                                         \
            printf("  reply body: %.300s\n", cp_r_->body != NULL ? cp_r_->body : "(none)");          \
        CHECK_CONTAINS(api_header(cp_r_, "content-type"), "application/problem+json");              \
        CHECK(cp_r_->json != NULL && json_is_object(cp_r_->json));                                  \
        CHECK_STR(api_json_str(cp_r_->json, "code"), (want_code));                                  \
        CHECK_INT(api_json_int(cp_r_->json, "status", -1), (want_status));                          \
        CHECK(api_json_str(cp_r_->json, "type") != NULL);                                           \
        CHECK(api_json_str(cp_r_->json, "title") != NULL);                                          \
        CHECK(api_json_str(cp_r_->json, "detail") != NULL);                                         \
        if (cp_field_ == NULL)                                                                      \
            CHECK(json_is_null(api_json_get(cp_r_->json, "field")));                                \
        else                                                                                        \
            CHECK_STR(api_json_str(cp_r_->json, "field"), cp_field_);                               \
    } while (0)

/* ---- the CLI ---- */

struct api_cli_result {
    int exit_code;   /* 128+signal when killed by one, -1 when it could not run */
    char *out, *err; /* its stdout and stderr (heap strings, never NULL after api_cli) */
};

/* Runs ROUNDS_BIN with args (NULL-terminated, without the program name),
 * ROUNDS_DB=db (when not NULL) and stdin_text on standard input; waits 30 s at
 * most. Returns the exit code. */
static inline int api_cli(const char *db, const char *const *args, const char *stdin_text,
                          struct api_cli_result *res)
{
    memset(res, 0, sizeof(*res));
    res->exit_code = -1;
    char dir[64];
    if (test_tmp_dir(dir, sizeof(dir), "cli") == NULL)
        return -1;
    char in_path[96], out_path[96], err_path[96];
    snprintf(in_path, sizeof(in_path), "%s/stdin", dir);
    snprintf(out_path, sizeof(out_path), "%s/stdout", dir);
    snprintf(err_path, sizeof(err_path), "%s/stderr", dir);
    FILE *in = fopen(in_path, "w");
    if (in != NULL) {
        fputs(stdin_text != NULL ? stdin_text : "", in);
        fclose(in);
    }
    const char *argv[64];
    int argc = 0;
    argv[argc++] = api_bin();
    for (size_t i = 0; args != NULL && args[i] != NULL && argc < 63; i++)
        argv[argc++] = args[i];
    argv[argc] = NULL;
    struct api_env env;
    bool env_made = api_env_init(&env, dir);
    if (env_made && db != NULL)
        api_env_set(&env, "ROUNDS_DB", db);
    if (env_made)
        api_env_set(&env, "ROUNDS_LISTEN", "127.0.0.1:0"); /* should a bad `serve` start anyway */
    fflush(stdout);
    fflush(stderr);
    pid_t suite = getpid();
    pid_t pid = env_made && !env.failed ? fork() : -1;
    if (pid == 0) {
        api_child_guard(suite, SIGKILL);
        int in_fd = open(in_path, O_RDONLY);
        int out_fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err_fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in_fd < 0 || out_fd < 0 || err_fd < 0)
            _exit(127);
        dup2(in_fd, STDIN_FILENO);
        dup2(out_fd, STDOUT_FILENO);
        dup2(err_fd, STDERR_FILENO);
        execve(argv[0], (char *const *)argv, env.items);
        api_child_exec_failed();
    }
    api_env_free(&env);
    if (pid > 0) {
        int status = 0;
        double deadline = api_now_ms() + 30000;
        pid_t done;
        while ((done = waitpid(pid, &status, WNOHANG)) == 0 && api_now_ms() < deadline)
            api_sleep_ms(10);
        if (done == 0) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
        }
        res->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
    }
    res->out = api_read_file(out_path, NULL);
    res->err = api_read_file(err_path, NULL);
    if (res->out == NULL)
        res->out = calloc(1, 1);
    if (res->err == NULL)
        res->err = calloc(1, 1);
    api_remove_tree(dir);
    return res->exit_code;
}

static inline void api_cli_free(struct api_cli_result *res)
{
    free(res->out);
    free(res->err);
    memset(res, 0, sizeof(*res));
}

/* ---- the database, directly ---- */

/* Opens the database of srv (the same file or URL the server uses). */
static inline struct db_conn *api_db_open(const struct api_server *srv)
{
    struct db_conn *conn = NULL;
    if (db_open(srv->db, &conn) != DB_OK) {
        printf("api_db_open: cannot open %s\n", srv->db);
        return NULL;
    }
    return conn;
}

/* The integer in the first column of the first row of sql (a string literal:
 * statements are cached by address) with text parameters $1, $2 (either may
 * be NULL when unused); -1 when the query fails or returns no row. */
static inline long long api_db_int(struct db_conn *conn, const char *sql, const char *p1, const char *p2)
{
    if (conn == NULL)
        return -1;
    struct db_stmt *st = db_prepare(conn, sql);
    if (p1 != NULL)
        db_bind_text(st, 1, p1);
    if (p2 != NULL)
        db_bind_text(st, 2, p2);
    long long v = -1;
    if (db_step(st) == DB_ROW)
        v = (long long)db_column_int(st, 0);
    db_reset(st);
    return v;
}

/* The text in the first column of the first row (heap copy; NULL when SQL
 * NULL, no row or failure). *found tells a NULL column from no row. */
static inline char *api_db_text(struct db_conn *conn, const char *sql, const char *p1, const char *p2, bool *found)
{
    if (found != NULL)
        *found = false;
    if (conn == NULL)
        return NULL;
    struct db_stmt *st = db_prepare(conn, sql);
    if (p1 != NULL)
        db_bind_text(st, 1, p1);
    if (p2 != NULL)
        db_bind_text(st, 2, p2);
    char *v = NULL;
    if (db_step(st) == DB_ROW) {
        if (found != NULL)
            *found = true;
        const char *s = db_column_text(st, 0);
        v = s != NULL ? strdup(s) : NULL;
    }
    db_reset(st);
    return v;
}

/* ---- a database of the test's own ---- */

/* Where the database name stands in a PostgreSQL URL: after the first '/'
 * past "://", up to a '?' or the end. */
static inline bool api_pg_url_name(const char *url, size_t *name_at, size_t *name_len)
{
    const char *scheme_end = strstr(url, "://");
    const char *slash = scheme_end != NULL ? strchr(scheme_end + 3, '/') : NULL;
    if (slash == NULL)
        return false;
    *name_at = (size_t)(slash + 1 - url);
    *name_len = strcspn(slash + 1, "?");
    return true;
}

/* Runs one statement without parameters (CREATE or DROP DATABASE take
 * none) on the database at url; true when it succeeded. */
static inline bool api_pg_admin(const char *url, const char *sql)
{
    struct db_conn *conn = NULL;
    if (db_open(url, &conn) != DB_OK)
        return false;
    bool ok = db_exec(conn, sql) == DB_OK;
    db_close(conn);
    return ok;
}

/* A new empty database for a test that must have one to itself (an import
 * refuses a database that holds rows; a server whose jobs must see only its
 * own mail): beside is the PostgreSQL URL of a database on whose server a
 * new one is created (the suite's ROUNDS_TEST_DB), or NULL for a new SQLite
 * file in dir. tag (lower-case letters) goes into its name. Its target into
 * out; false after a failed check. Drop it with api_fresh_db_drop. */
static inline bool api_fresh_db(char *out, size_t size, const char *beside, const char *dir, const char *tag)
{
    static unsigned counter;
    char name[64];
    snprintf(name, sizeof(name), "rounds_fresh_%s_%ld_%u", tag, (long)getpid(), ++counter);
    if (beside == NULL) {
        snprintf(out, size, "%s/%s.db", dir, name);
        return true;
    }
    size_t name_at = 0, name_len = 0;
    char sql[128];
    snprintf(sql, sizeof(sql), "CREATE DATABASE %s", name);
    if (!api_pg_url_name(beside, &name_at, &name_len) || !api_pg_admin(beside, sql)) {
        TEST_FAILF("could not create the database %s beside %s", name, beside);
        return false;
    }
    snprintf(out, size, "%.*s%s%s", (int)name_at, beside, name, beside + name_at + name_len);
    return true;
}

/* Drops a PostgreSQL database that api_fresh_db made beside `beside` (its
 * servers stopped); a SQLite one goes with its folder. */
static inline void api_fresh_db_drop(const char *target, const char *beside)
{
    size_t name_at = 0, name_len = 0;
    if (beside == NULL || !api_pg_url_name(target, &name_at, &name_len) ||
        strncmp(target + name_at, "rounds_fresh_", 13) != 0)
        return;
    char sql[128];
    snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %.*s", (int)name_len, target + name_at);
    if (!api_pg_admin(beside, sql))
        printf("  could not drop the database %.*s\n", (int)name_len, target + name_at);
}

/* The end of a suite that made its own database (api_fresh_db) in the folder
 * work and served it with server: when the set-up failed (not ready), says so
 * (set_up: what it did) with the server's log; stops the server, drops the
 * database and removes work (kept with ROUNDS_TEST_KEEP). Non-zero when the
 * server did not shut down gracefully (said). */
static inline int api_fresh_suite_end(struct api_server *server, const char *db, const char *pg_uri,
                                      const char *work, bool ready, const char *set_up)
{
    if (!ready) {
        printf("FAIL %s\n", set_up);
        if (server->pid > 0)
            api_server_print_log(server, 30);
    }
    int stopped = server->pid > 0 ? api_server_stop(server) : 0;
    if (stopped != 0)
        printf("FAIL the server did not shut down gracefully (exit status %d)\n", stopped);
    if (server->dir[0] != '\0')
        api_server_cleanup(server);
    api_fresh_db_drop(db, pg_uri);
    if (getenv("ROUNDS_TEST_KEEP") == NULL && work[0] != '\0')
        api_remove_tree(work);
    return stopped;
}

/* ---- running tests ---- */

/* RUN(name), and when the test failed, the current server's log tail. */
#define API_RUN(name)                                                                               \
    do {                                                                                            \
        int api_failed_before_ = test_failed;                                                       \
        RUN(name);                                                                                  \
        if (test_failed > api_failed_before_)                                                       \
            api_server_print_log(api_current, 25);                                                  \
    } while (0)

#endif
