/* fuzz_http_request.c — libFuzzer target for the whole server: raw HTTP bytes
 * (one or more pipelined HTTP/1.1 requests, or an HTTP/2 preface) through
 * h2o's parser, Rounds' pipeline (routing, query and body checks, sessions,
 * CSRF) and the real handlers, on a SQLite database seeded with the demo.
 *
 * Once per process: a temporary folder (in /dev/shm when there is one) with
 * a database that `rounds seed --demo` fills, plus one session per demo
 * account under a fixed token (see fuzz_sessions: the corpus uses them as
 * bearer tokens and cookies, with their CSRF tokens), then the server as
 * `rounds serve` prepares it (command_serve_prepare) on one event loop
 * without a listener (http_local_start), without background jobs, email or
 * test hooks, and with two-factor sign-in required of nobody. Randomness
 * (ids, tokens, salts) comes from a fixed stream and the clock stands still
 * at FUZZ_NOW, so that the seeded ids are the same in every run and an input
 * does the same every time.
 *
 * Each input: the stream of randomness starts again, the input is written
 * into one end of a socketpair whose other end the loop serves, the write
 * side is shut, and the loop runs until the server has closed the connection
 * and no slow work (password hashing) is in flight; the reply is read and
 * dropped (printed with ROUNDS_FUZZ_ECHO=1). After an input that wrote to
 * the database the seeded database comes back (the file store too, as seeded
 * and, when the catalog changed, the search index loaded again), and the
 * reply cache is emptied after every input, so that nothing grows from one
 * input to the next and each input allocates only what it frees.
 *
 * A crash, a sanitizer report, a leak, a reply with a 5xx status, a line
 * logged at level error (each is our own bug) or a connection still open
 * after FUZZ_DEADLINE_MS aborts. ROUNDS_FUZZ_LOG=info shows every request's
 * log line (the default shows only errors). */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "config.h"
#include "domain/catalog_index.h"
#include "http/request.h"
#include "http/server.h"
#include "lib/arena.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/folder.h"
#include "lib/log.h"
#include "lib/metrics.h"
#include "lib/totp.h"
#include "store/store.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 2026-12-01T12:00:00Z: the demo's dates count from here. */
#define FUZZ_NOW INT64_C(1796126400)
enum {
    FUZZ_DEADLINE_MS = 30000, /* an input whose connection is still open after this hangs */
    FUZZ_TURN_MS = 5,         /* one turn of the loop waits at most this long */
    FUZZ_PATH_MAX = 512,
};

/* One session per demo account: its bearer token (also the rounds_session
 * cookie) and the CSRF token a cookie session needs on unsafe methods. The
 * corpus spells these out. */
static const struct {
    const char *email, *token, *csrf;
} fuzz_sessions[] = {
    {"student@rounds.test", "fuzz-student-session-token-0000000000000000", "fuzz-student-csrf-token-0000000000000000000"},
    {"host@rounds.test", "fuzz-host-session-token-0000000000000000000", "fuzz-host-csrf-token-0000000000000000000000"},
    {"staff@rounds.test", "fuzz-staff-session-token-000000000000000000", "fuzz-staff-csrf-token-000000000000000000000"},
    {"preceptor@rounds.test", "fuzz-preceptor-session-token-00000000000000",
     "fuzz-preceptor-csrf-token-00000000000000000"},
    {"school@rounds.test", "fuzz-school-session-token-00000000000000000", "fuzz-school-csrf-token-00000000000000000000"},
    {"coach@rounds.test", "fuzz-coach-session-token-000000000000000000", "fuzz-coach-csrf-token-000000000000000000000"},
    {"rotation@rounds.test", "fuzz-rotation-session-token-000000000000000",
     "fuzz-rotation-csrf-token-000000000000000000"},
};

static struct {
    char dir[FUZZ_PATH_MAX];
    char db[FUZZ_PATH_MAX];
    char files[FUZZ_PATH_MAX];
    char seeded_files[FUZZ_PATH_MAX]; /* the file store as seeded (the demo's documents), hard links */
    unsigned char *seeded; /* the database file as seeded */
    size_t seeded_len;
    int64_t seeded_catalog_seq;
    bool echo;
    enum log_level log_level;
    struct config config;
} fuzz;

static void fail(const char *why)
{
    fprintf(stderr, "fuzz_http_request: %s\n", why);
    abort();
}

/* ---- a fixed stream of randomness (libsodium's randombytes) ---- */

static pthread_mutex_t random_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t random_state;

static uint64_t splitmix64(void)
{
    uint64_t z = (random_state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static void random_fill(void *out, size_t size)
{
    unsigned char *p = out;
    pthread_mutex_lock(&random_lock);
    while (size > 0) {
        uint64_t v = splitmix64();
        size_t n = size < sizeof(v) ? size : sizeof(v);
        memcpy(p, &v, n);
        p += n;
        size -= n;
    }
    pthread_mutex_unlock(&random_lock);
}

static uint32_t random_word(void)
{
    uint32_t v;
    random_fill(&v, sizeof(v));
    return v;
}

static const char *random_name(void)
{
    return "rounds-fuzz-fixed";
}

static void random_restart(uint64_t seed)
{
    pthread_mutex_lock(&random_lock);
    random_state = seed;
    pthread_mutex_unlock(&random_lock);
}

static randombytes_implementation fixed_random = {
    .implementation_name = random_name,
    .random = random_word,
    .buf = random_fill,
};

/* ---- files ---- */

static unsigned char *read_whole(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    unsigned char *data = NULL;
    if (fseek(f, 0, SEEK_END) == 0) {
        long size = ftell(f);
        if (size > 0 && fseek(f, 0, SEEK_SET) == 0 && (data = malloc((size_t)size)) != NULL &&
            fread(data, 1, (size_t)size, f) != (size_t)size) {
            free(data);
            data = NULL;
        }
        *len = size > 0 ? (size_t)size : 0;
    }
    fclose(f);
    return data;
}

static void write_whole(const char *path, const unsigned char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0)
        fail("cannot write the database back");
}

static void path_join(char *out, const char *dir, const char *name)
{
    if ((size_t)snprintf(out, FUZZ_PATH_MAX, "%s/%s", dir, name) >= FUZZ_PATH_MAX)
        fail("temporary path too long");
}

/* link_tree's source and target (nftw's callback takes no context). */
static const char *link_from, *link_to;

static int link_one(const char *path, const struct stat *st, int type, struct FTW *at)
{
    (void)st;
    (void)at;
    char dest[FUZZ_PATH_MAX];
    const char *below = path + strlen(link_from);
    if ((size_t)snprintf(dest, sizeof(dest), "%s%s", link_to, below) >= sizeof(dest))
        return -1;
    if (type == FTW_D)
        return mkdir(dest, 0700) == 0 || errno == EEXIST ? 0 : -1;
    if (type == FTW_F)
        return link(path, dest);
    return -1; /* the store holds folders and files only */
}

/* The tree at from again at to, its files hard links (the store's files
 * are written once and never changed in place, only added and removed). */
static void link_tree(const char *from, const char *to)
{
    if (folder_state(from) == FOLDER_MISSING) {
        if (mkdir(to, 0700) != 0 && errno != EEXIST)
            fail("cannot make a file store");
        return;
    }
    link_from = from;
    link_to = to;
    if (nftw(from, link_one, 16, FTW_PHYS) != 0)
        fail("cannot copy the file store");
}

static void remove_folder(void)
{
    if (fuzz.dir[0] != '\0')
        folder_remove_tree(fuzz.dir);
}

/* ---- the seeded database ---- */

/* `rounds seed --demo`, with its printout sent to /dev/null. */
static void seed_demo(void)
{
    char *argv[] = {"seed", "--demo", "--db", fuzz.db, "--data-dir", fuzz.dir, NULL};
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (saved < 0 || null < 0 || dup2(null, STDOUT_FILENO) < 0)
        fail("cannot silence the seed");
    int rc = command_seed(6, argv);
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    close(null);
    if (rc != EXIT_OK)
        fail("rounds seed --demo failed");
}

static void add_sessions(void)
{
    struct db_conn *conn = NULL;
    struct arena arena;
    arena_heap_init(&arena);
    if (db_open(fuzz.db, &conn) != DB_OK)
        fail("cannot open the seeded database");
    for (size_t i = 0; i < sizeof(fuzz_sessions) / sizeof(fuzz_sessions[0]); i++) {
        struct store_user user;
        char hash[65];
        if (strlen(fuzz_sessions[i].token) != 43 || strlen(fuzz_sessions[i].csrf) != 43)
            fail("a session token is not 43 characters");
        if (store_user_by_email(conn, &arena, fuzz_sessions[i].email, &user) != DB_ROW)
            fail("a demo account is missing");
        crypto_hash_token(fuzz_sessions[i].token, hash);
        if (store_session_insert(conn, hash, user.id, fuzz_sessions[i].csrf, clock_now()) != DB_OK)
            fail("cannot add a session");
    }
    db_close(conn);
    arena_heap_free(&arena);
}

/* Puts the seeded database back after an input that wrote, with what was
 * derived from it in memory. */
static void restore_state(void)
{
    char tmp[FUZZ_PATH_MAX], side[FUZZ_PATH_MAX];
    http_local_db_close();
    path_join(tmp, fuzz.dir, "rounds.db.new");
    write_whole(tmp, fuzz.seeded, fuzz.seeded_len);
    if (rename(tmp, fuzz.db) != 0)
        fail("cannot put the database back");
    path_join(side, fuzz.dir, "rounds.db-wal");
    unlink(side);
    path_join(side, fuzz.dir, "rounds.db-shm");
    unlink(side);
    if (http_local_db_open() != 0)
        fail("cannot open the database again");
    folder_remove_tree(fuzz.files);
    link_tree(fuzz.seeded_files, fuzz.files);
    int64_t offerings = 0, seq = 0;
    catalog_index_stats(&offerings, &seq);
    if (seq != fuzz.seeded_catalog_seq) {
        catalog_index_stop();
        if (catalog_index_start(fuzz.db, 0) != 0)
            fail("cannot load the catalog index again");
    }
}

/* ---- the server ---- */

static void temporary_folder(void)
{
    /* Named with our PID as tests/test.h names the suites' folders: should a
     * run be killed outright, scripts/test.sh's sweep of /dev/shm removes it. */
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
    if ((size_t)snprintf(fuzz.dir, sizeof(fuzz.dir), "%s/rounds-pid%ld-fuzz.XXXXXX", base != NULL ? base : "/tmp",
                         (long)getpid()) >= sizeof(fuzz.dir) ||
        mkdtemp(fuzz.dir) == NULL)
        fail("cannot make a temporary folder");
    atexit(remove_folder);
    path_join(fuzz.db, fuzz.dir, "rounds.db");
    path_join(fuzz.files, fuzz.dir, "files");
    path_join(fuzz.seeded_files, fuzz.dir, "files.seeded");
}

static void start_server(void)
{
    struct http_options *o = &fuzz.config.http;
    if (!config_from_env(&fuzz.config))
        fail("bad ROUNDS_* environment");
    o->db_target = fuzz.db;
    o->data_dir = fuzz.dir;
    o->listen_host = "127.0.0.1";
    o->listen_port = 8080;
    o->public_url = "http://127.0.0.1:8080";
    o->threads = 1;
    o->workers = 1;
    o->db_pool = 0;
    o->two_factor_roles = 0;
    o->test_hooks = false;
    o->trust_proxy = false;
    o->smtp_url = NULL;
    o->oncall_email = NULL;
    o->file_key_file = NULL;
    o->signing_key_file = NULL;
    o->metrics_host = NULL;
    o->ready_file = NULL;
    o->jobs_interval_ms = 0;
    config_finish(&fuzz.config);
    log_set_level(fuzz.log_level); /* over ROUNDS_LOG_LEVEL */
    if (command_serve_prepare(&fuzz.config, 0) != EXIT_OK)
        fail("the server could not be prepared");
    int64_t offerings = 0;
    catalog_index_stats(&offerings, &fuzz.seeded_catalog_seq);
    fuzz.seeded = read_whole(fuzz.db, &fuzz.seeded_len);
    if (fuzz.seeded == NULL)
        fail("cannot read the seeded database");
    if (http_local_start(o) != 0)
        fail("the server could not start");
}

static void stop_server(void)
{
    http_local_stop();
    command_serve_release();
    free(fuzz.seeded);
    fuzz.seeded = NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    random_restart(UINT64_C(0x726f756e6473)); /* "rounds" */
    if (randombytes_set_implementation(&fixed_random) != 0 || crypto_init() != 0 || totp_init() != 0)
        fail("libsodium or liboath failed to initialise");
    clock_freeze(true);
    clock_set_offset(0);
    clock_set_offset(FUZZ_NOW - clock_now());
    const char *level = getenv("ROUNDS_FUZZ_LOG");
    fuzz.log_level = level != NULL && strcmp(level, "info") == 0 ? LOG_INFO : LOG_ERROR;
    log_set_level(fuzz.log_level);
    fuzz.echo = getenv("ROUNDS_FUZZ_ECHO") != NULL;
    temporary_folder();
    seed_demo();
    link_tree(fuzz.files, fuzz.seeded_files);
    add_sessions();
    start_server();
    atexit(stop_server);
    if (log_error_count() != 0)
        fail("errors were logged while starting");
    return 0;
}

/* ---- one input ---- */

/* Reads what the server sent; false once it has closed the connection. */
static bool drain(int fd)
{
    char buffer[16384];
    for (;;) {
        ssize_t n = read(fd, buffer, sizeof(buffer));
        if (n > 0) {
            if (fuzz.echo)
                fwrite(buffer, 1, (size_t)n, stdout);
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return true;
        return false; /* end of file, or reset */
    }
}

static void exchange(const uint8_t *data, size_t size)
{
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
        fail("socketpair failed");
    if (fcntl(fds[0], F_SETFL, O_NONBLOCK) != 0 || http_local_connect(fds[1]) != 0)
        fail("cannot hand the connection to the server");
    size_t sent = 0;
    bool shut = false, connected = true, busy = true;
    double deadline = clock_monotonic_ms() + FUZZ_DEADLINE_MS;
    while (connected || busy) {
        while (sent < size) {
            ssize_t n = send(fds[0], data + sent, size - sent, MSG_NOSIGNAL);
            if (n > 0) {
                sent += (size_t)n;
                continue;
            }
            if (n < 0 && errno != EAGAIN && errno != EINTR)
                sent = size; /* the server closed first: the rest is never read */
            break;
        }
        if (sent == size && !shut) {
            shutdown(fds[0], SHUT_WR);
            shut = true;
        }
        busy = http_local_run(sent < size ? 0 : FUZZ_TURN_MS);
        if (connected)
            connected = drain(fds[0]);
        if (clock_monotonic_ms() > deadline)
            fail("the connection is still open after the deadline (a request that never ends)");
    }
    close(fds[0]);
    http_local_run(0); /* h2o frees a closed socket on the next turn */
    if (fuzz.echo)
        fflush(stdout);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    random_restart(UINT64_C(0x696e707574)); /* "input": not the seeding's stream */
    uint64_t server_errors = metrics_server_errors();
    unsigned long errors = log_error_count();
    struct db_fault writes = {0}; /* fail_at 0: only counts */
    db_fault_watch(http_local_db(), &writes);
    exchange(data, size);
    db_fault_watch(http_local_db(), NULL);
    if (metrics_server_errors() != server_errors)
        fail("a reply had a 5xx status (see the log line above)");
    if (log_error_count() != errors)
        fail("an error was logged (see above)");
    if (writes.writes > 0)
        restore_state();
    http_cache_clear(); /* what an input allocates is gone when it ends (libFuzzer's leak check) */
    return 0;
}
