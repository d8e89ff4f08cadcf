/* driver.c — the SQLite backend of the db interface (store/db.h).
 *
 * One connection per thread, WAL journal, a busy timeout, foreign keys on,
 * prepared statements cached per connection by the address of their SQL. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"
#include "store/db.h"
#include "store/stmt_cache.h"

struct db_stmt {
    struct db_conn *conn; /* first, then sql, as db.c expects */
    const char *sql;
    sqlite3_stmt *handle;
    int param_max;    /* the highest N of a "$N" in the SQL */
    int *param_index; /* $N → SQLite's index (N ≤ param_max), 0 when absent */
};

struct db_conn {
    struct db_conn_base base;
    sqlite3 *handle;
    struct stmt_cache statements;
    bool holds_writer;    /* this connection's write transaction holds writer_lock */
    bool checkpoint_due;  /* its last commit took the WAL past CHECKPOINT_FRAMES */
    bool statement_turn;  /* holds_writer for one write statement outside a transaction */
    sqlite3_stmt *version_probe; /* holds the read transaction of sq_read_begin while stepped */
    const volatile uint32_t *wal_index; /* SQLite's own mapping of the WAL index (sq_change_mark), or NULL */
    bool wal_index_tried;               /* map_wal_index ran: do not try again */
};

/* The process's write transactions take turns here before BEGIN IMMEDIATE.
 * SQLite lets one writer in at a time anyway; a connection that finds the
 * file locked sleeps in its busy handler (1 ms, then 2, 5, 10 …) even when
 * the writer is done within a tenth of that, so two event loops writing at
 * once spent most of their time asleep. A mutex hands the turn over at once.
 * Held exactly while SQLite's own write lock is, so it adds no wait SQLite
 * would not. A write statement outside a transaction (the background jobs'
 * outbox claims, a session's idle clock) takes its turn here too: otherwise
 * it takes SQLite's lock behind the mutex's back and the writers holding the
 * mutex sleep in the busy handler until it is done. After WRITER_WAIT_SECONDS (another database file's writer, or a
 * bug) the transaction goes on and SQLite's busy handler decides. */
static pthread_mutex_t writer_lock = PTHREAD_MUTEX_INITIALIZER;
enum { WRITER_WAIT_SECONDS = 5 };

/* The WAL is copied back into the database file (a checkpoint, with two
 * fsyncs) once it holds this many pages, as SQLite's own default does; but
 * SQLite runs it inside the COMMIT that crosses the mark, that is while
 * writer_lock is held, so every other writer of the process waited through
 * the fsyncs. Here the commit only notes it, and the connection runs it
 * after handing the turn over (PASSIVE: it neither waits for nor blocks a
 * writer), then takes the turn back only to copy the last few frames (see
 * checkpoint()). */
enum { CHECKPOINT_FRAMES = 1000, WAL_RESTART_FRAMES = 4 * CHECKPOINT_FRAMES };

extern const struct db_driver db_sqlite_driver;

static int classify(struct db_conn *conn, int rc, const char *what)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
        return DB_OK;
    case SQLITE_ROW:
        return DB_ROW;
    case SQLITE_DONE:
        return DB_DONE;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return DB_RETRY;
    case SQLITE_CONSTRAINT:
        return DB_CONSTRAINT;
    default:
        log_error("msg=\"sqlite error\" op=%s code=%d error=\"%s\"", what, rc, sqlite3_errmsg(conn->handle));
        return DB_ERROR;
    }
}

static void writer_acquire(struct db_conn *conn);
static void writer_release(struct db_conn *conn);

/* One PASSIVE checkpoint: true when it ran (not busy with another's), with
 * the WAL's size in frames. */
static bool checkpoint_pass(struct db_conn *conn, int *frames)
{
    int rc = sqlite3_wal_checkpoint_v2(conn->handle, NULL, SQLITE_CHECKPOINT_PASSIVE, frames, NULL);
    if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
        log_warn("msg=\"sqlite checkpoint failed\" code=%d", rc);
    return rc == SQLITE_OK;
}

/* Copies the WAL back into the database file in two passes. SQLite writes
 * the WAL from its beginning again only when a write transaction begins with
 * every frame copied back; under a steady stream of writes, a checkpoint run
 * while the others go on never gets there (the next writer has begun before
 * it ends), so the WAL grew without end (400 MB in ten seconds of the
 * payments bench) and every frame went to new file blocks the kernel had to
 * allocate and zero. The first pass, without the writer's turn, copies nearly
 * all of it while the others write. Once the WAL has passed WAL_RESTART_FRAMES
 * (it did not start over by itself), a second pass holds the turn and copies
 * the few frames written meanwhile, so that the next write transaction starts
 * the WAL over. Not at every checkpoint: its fsyncs hold up every writer. */
static void checkpoint(struct db_conn *conn)
{
    conn->checkpoint_due = false;
    int frames = 0;
    if (conn->holds_writer || !checkpoint_pass(conn, &frames) || frames < WAL_RESTART_FRAMES)
        return; /* busy: another connection is checkpointing and will finish */
    writer_acquire(conn);
    if (conn->holds_writer) {
        checkpoint_pass(conn, &frames);
        writer_release(conn);
    }
}

/* After each commit that wrote to the WAL (SQLite's wal hook). */
static int on_wal_commit(void *p, sqlite3 *handle, const char *schema, int frames)
{
    (void)handle;
    (void)schema;
    struct db_conn *conn = p;
    if (frames < CHECKPOINT_FRAMES)
        return SQLITE_OK;
    if (conn->holds_writer)
        conn->checkpoint_due = true; /* run by sq_commit once the turn is handed over */
    else
        checkpoint(conn);
    return SQLITE_OK;
}

static int sq_exec(struct db_conn *conn, const char *sql)
{
    char *message = NULL;
    int rc = sqlite3_exec(conn->handle, sql, NULL, NULL, &message);
    sqlite3_free(message);
    return classify(conn, rc, "exec");
}

/* Creates a new database file with mode 0600 before SQLite opens it: SQLite
 * creates files 0644 (less the umask) and gives its -wal and -shm the mode
 * of the database file, so all three stay private to the owner. An existing
 * file keeps its mode; one that others may read is reported. */
static int create_private(const char *target)
{
    if (strcmp(target, ":memory:") == 0 || strncmp(target, "file:", 5) == 0 || target[0] == '\0')
        return 0;
    int fd = open(target, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        /* The umask may only take bits away; fchmod makes sure of 0600. */
        int rc = fchmod(fd, 0600);
        close(fd);
        return rc;
    }
    if (errno != EEXIST)
        return -1;
    struct stat st;
    if (stat(target, &st) == 0 && (st.st_mode & 077) != 0)
        log_warn("msg=\"the database file is readable by others; chmod 600 it\" mode=%03o", (unsigned)(st.st_mode & 0777));
    return 0;
}

/* SQLite counts every allocation under one process-wide mutex for
 * sqlite3_status(), which Rounds never reads; and the system's SQLite is
 * built without lookaside memory, so every cursor and every copied column of
 * every statement is an allocation: a few dozen mutex round trips per
 * request, shared by all the loops. Counting is turned off before SQLite
 * initialises, that is before the first connection opens. */
static pthread_once_t sqlite_configured = PTHREAD_ONCE_INIT;

static void configure_sqlite(void)
{
    int rc = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    if (rc != SQLITE_OK)
        log_warn("msg=\"sqlite memory statistics stay on\" code=%d", rc);
}

/* "C": byte order, as PostgreSQL's collation of that name, so that one SQL
 * text can say ORDER BY name COLLATE "C" on both backends (the API pager
 * resumes a list by comparing its text keys byte by byte). */
static int byte_order(void *unused, int a_len, const void *a, int b_len, const void *b)
{
    (void)unused;
    int shorter = a_len < b_len ? a_len : b_len;
    int d = shorter > 0 ? memcmp(a, b, (size_t)shorter) : 0;
    return d != 0 ? d : (a_len > b_len) - (a_len < b_len);
}

static int sq_open(const char *target, struct db_conn **out)
{
    pthread_once(&sqlite_configured, configure_sqlite);
    if (create_private(target) != 0) {
        log_error("msg=\"cannot create database file\" backend=sqlite error=\"%s\"", strerror(errno));
        return DB_ERROR;
    }
    struct db_conn *conn = calloc(1, sizeof(*conn));
    if (conn == NULL)
        return DB_ERROR;
    conn->base.driver = &db_sqlite_driver;
    int rc = sqlite3_open_v2(target, &conn->handle,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        log_error("msg=\"cannot open database\" backend=sqlite error=\"%s\"",
                  conn->handle ? sqlite3_errmsg(conn->handle) : "out of memory");
        sqlite3_close(conn->handle);
        free(conn);
        return DB_ERROR;
    }
    sqlite3_busy_timeout(conn->handle, 5000);
    sqlite3_extended_result_codes(conn->handle, 1);
    if (sqlite3_create_collation_v2(conn->handle, "C", SQLITE_UTF8, NULL, byte_order, NULL) != SQLITE_OK) {
        log_error("msg=\"cannot add the C collation\" backend=sqlite");
        sqlite3_close(conn->handle);
        free(conn);
        return DB_ERROR;
    }
    sqlite3_wal_hook(conn->handle, on_wal_commit, conn); /* replaces SQLite's own checkpoints */
    if (sq_exec(conn, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                      "PRAGMA temp_store=MEMORY;") != DB_OK) {
        sqlite3_close(conn->handle);
        free(conn);
        return DB_ERROR;
    }
    *out = conn;
    return DB_OK;
}

static void writer_acquire(struct db_conn *conn)
{
    if (conn->holds_writer)
        return;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += WRITER_WAIT_SECONDS;
    conn->holds_writer = pthread_mutex_timedlock(&writer_lock, &until) == 0;
}

static void stmt_free(void *p, void *ctx)
{
    (void)ctx;
    struct db_stmt *stmt = p;
    sqlite3_finalize(stmt->handle);
    free(stmt->param_index);
    free(stmt);
}

static void sq_close(struct db_conn *conn)
{
    writer_release(conn);
    stmt_cache_each(&conn->statements, stmt_free, NULL);
    stmt_cache_free(&conn->statements);
    sqlite3_finalize(conn->version_probe);
    conn->wal_index = NULL;
    sqlite3_close(conn->handle);
    free(conn);
}

static struct db_stmt *sq_prepare(struct db_conn *conn, const char *sql)
{
    struct db_stmt *stmt = stmt_cache_get(&conn->statements, sql);
    if (stmt != NULL)
        return stmt;
    stmt = calloc(1, sizeof(*stmt));
    if (stmt == NULL)
        return NULL;
    int rc = sqlite3_prepare_v3(conn->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt->handle, NULL);
    if (rc != SQLITE_OK) {
        log_error("msg=\"sqlite prepare failed\" error=\"%s\" sql=\"%.80s\"", sqlite3_errmsg(conn->handle), sql);
        free(stmt);
        return NULL;
    }
    stmt->conn = conn;
    stmt->sql = sql;
    /* Map "$N" to SQLite's parameter index once, not on every bind. */
    int count = sqlite3_bind_parameter_count(stmt->handle);
    long highest = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 1; i <= count; i++) {
            const char *name = sqlite3_bind_parameter_name(stmt->handle, i);
            char *end = NULL;
            long n = name != NULL && name[0] == '$' ? strtol(name + 1, &end, 10) : 0;
            if (end == name + 1 || end == NULL || *end != '\0' || n < 1 || n > 32766)
                continue;
            if (pass == 0 && n > highest)
                highest = n;
            else if (pass == 1)
                stmt->param_index[n] = i;
        }
        if (pass == 0) {
            stmt->param_index = calloc((size_t)highest + 1, sizeof(int));
            stmt->param_max = (int)highest;
            if (stmt->param_index == NULL) {
                sqlite3_finalize(stmt->handle);
                free(stmt);
                return NULL;
            }
        }
    }
    if (stmt_cache_put(&conn->statements, sql, stmt) != 0) {
        stmt_free(stmt, NULL);
        return NULL;
    }
    return stmt;
}

/* "$3" → the statement's parameter index for it (0 when the SQL has no $3). */
static int param_index(struct db_stmt *stmt, int index)
{
    return index >= 1 && index <= stmt->param_max ? stmt->param_index[index] : 0;
}

static int sq_bind_text(struct db_stmt *stmt, int index, const char *value)
{
    int i = param_index(stmt, index);
    if (i == 0)
        return DB_ERROR;
    return classify(stmt->conn, sqlite3_bind_text(stmt->handle, i, value, -1, SQLITE_TRANSIENT), "bind");
}

static int sq_bind_text_static(struct db_stmt *stmt, int index, const char *value)
{
    int i = param_index(stmt, index);
    if (i == 0)
        return DB_ERROR;
    return classify(stmt->conn, sqlite3_bind_text(stmt->handle, i, value, -1, SQLITE_STATIC), "bind");
}

static int sq_bind_int(struct db_stmt *stmt, int index, int64_t value)
{
    int i = param_index(stmt, index);
    if (i == 0)
        return DB_ERROR;
    return classify(stmt->conn, sqlite3_bind_int64(stmt->handle, i, value), "bind");
}

static int sq_bind_null(struct db_stmt *stmt, int index)
{
    int i = param_index(stmt, index);
    if (i == 0)
        return DB_ERROR;
    return classify(stmt->conn, sqlite3_bind_null(stmt->handle, i), "bind");
}


/* A write statement outside a transaction holds the writer's turn until it is reset. */
static int sq_step(struct db_stmt *stmt)
{
    struct db_conn *conn = stmt->conn;
    if (!conn->holds_writer && sqlite3_get_autocommit(conn->handle) && !sqlite3_stmt_readonly(stmt->handle) &&
        !sqlite3_stmt_busy(stmt->handle)) {
        writer_acquire(conn);
        conn->statement_turn = conn->holds_writer;
    }
    return classify(conn, sqlite3_step(stmt->handle), "step");
}

static bool sq_column_is_null(struct db_stmt *stmt, int column)
{
    return sqlite3_column_type(stmt->handle, column) == SQLITE_NULL;
}

static const char *sq_column_text(struct db_stmt *stmt, int column)
{
    return (const char *)sqlite3_column_text(stmt->handle, column);
}

static int64_t sq_column_int(struct db_stmt *stmt, int column)
{
    return sqlite3_column_int64(stmt->handle, column);
}

static int sq_changes(struct db_stmt *stmt)
{
    return sqlite3_changes(stmt->conn->handle);
}

static void sq_reset(struct db_stmt *stmt)
{
    sqlite3_reset(stmt->handle);
    sqlite3_clear_bindings(stmt->handle);
    struct db_conn *conn = stmt->conn;
    if (conn->statement_turn && sqlite3_get_autocommit(conn->handle)) {
        conn->statement_turn = false;
        writer_release(conn);
        if (conn->checkpoint_due)
            checkpoint(conn);
    }
}

static void writer_release(struct db_conn *conn)
{
    conn->statement_turn = false;
    if (conn->holds_writer) {
        conn->holds_writer = false;
        pthread_mutex_unlock(&writer_lock);
    }
}

static int sq_begin(struct db_conn *conn, bool write)
{
    if (!write)
        return sq_exec(conn, "BEGIN");
    writer_acquire(conn);
    conn->statement_turn = false; /* the transaction's turn now, released by its end */
    int rc = sq_exec(conn, "BEGIN IMMEDIATE");
    if (rc != DB_OK)
        writer_release(conn);
    return rc;
}

static int sq_commit(struct db_conn *conn)
{
    int rc = sq_exec(conn, "COMMIT");
    if (rc == DB_OK || sqlite3_get_autocommit(conn->handle))
        writer_release(conn);
    if (conn->checkpoint_due && !conn->holds_writer)
        checkpoint(conn);
    return rc;
}

static void sq_rollback(struct db_conn *conn)
{
    if (!sqlite3_get_autocommit(conn->handle))
        sq_exec(conn, "ROLLBACK");
    writer_release(conn);
}

static int sq_migration_lock(struct db_conn *conn, bool lock)
{
    (void)conn;
    (void)lock;
    return DB_OK;
}

static bool sq_ping(struct db_conn *conn)
{
    return sq_exec(conn, "SELECT 1") == DB_OK;
}

/* The change mark of db.h: a hash of the WAL index's header, read in
 * SQLite's own shared mapping of the "-shm" file. SQLite's writers rewrite
 * that header (its commit counter, last frame, checksums and salts) at every
 * commit before the commit returns, and its readers read it without a lock
 * to learn whether anything changed: the same test, minus the read lock
 * whose fcntl calls and shared mutex made two event loops wait on each other
 * (https://sqlite.org/walformat.html describes the header; its version word
 * is checked, and anything unexpected answers DB_UNSUPPORTED: the caller
 * then reads in a transaction as before). A header caught half-written by a
 * commit hashes to neither mark, or to the old one while that commit has
 * not returned yet. */
enum { WAL_INDEX_PAGE = 32768, WAL_INDEX_HEADER_WORDS = 12, WAL_INDEX_VERSION = 3007000 };

/* Finds SQLite's mapping of the WAL index, with a read transaction held
 * (the index is then mapped). Once per connection: the mapping lasts while
 * the connection is open in WAL mode, which a served connection never leaves. */
static void map_wal_index(struct db_conn *conn)
{
    conn->wal_index_tried = true;
    sqlite3_stmt *mode = NULL;
    bool wal = sqlite3_prepare_v2(conn->handle, "PRAGMA journal_mode", -1, &mode, NULL) == SQLITE_OK &&
               sqlite3_step(mode) == SQLITE_ROW && sqlite3_column_text(mode, 0) != NULL &&
               strcmp((const char *)sqlite3_column_text(mode, 0), "wal") == 0;
    sqlite3_finalize(mode);
    sqlite3_file *file = NULL;
    if (!wal || sqlite3_file_control(conn->handle, "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK ||
        file == NULL || file->pMethods == NULL || file->pMethods->iVersion < 2 || file->pMethods->xShmMap == NULL)
        return;
    void volatile *region = NULL;
    if (file->pMethods->xShmMap(file, 0, WAL_INDEX_PAGE, 0, &region) == SQLITE_OK && region != NULL)
        conn->wal_index = region;
}

static int sq_change_mark(struct db_conn *conn, uint64_t *mark)
{
    if (conn->wal_index == NULL || !sqlite3_get_autocommit(conn->handle))
        return DB_UNSUPPORTED;
    uint32_t header[WAL_INDEX_HEADER_WORDS];
    for (int i = 0; i < WAL_INDEX_HEADER_WORDS; i++)
        header[i] = __atomic_load_n(&conn->wal_index[i], __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    const unsigned char *bytes = (const unsigned char *)header;
    bool initialised = bytes[12] == 1; /* isInit */
    if (header[0] != WAL_INDEX_VERSION || !initialised)
        return DB_UNSUPPORTED;
    uint64_t h = 14695981039346656037u; /* FNV-1a over the header's words */
    for (int i = 0; i < WAL_INDEX_HEADER_WORDS; i++)
        h = (h ^ header[i]) * 1099511628211u;
    *mark = h;
    return DB_OK;
}

/* The data version of db.h: the pager's own, which SQLite counts up at
 * each commit of this connection and, when a read transaction starts, when
 * it finds that another connection has committed (the WAL index's header
 * changed: the test by which SQLite itself decides to drop its page cache).
 * It is only brought up to date when a read transaction starts, so one is
 * started and held: stepping "PRAGMA data_version" (a transaction and one
 * read of the header, no cursor) opens it, and it lasts until the probe is
 * reset by sq_read_end, so that what is read meanwhile is of this version.
 * Measured (callgrind): about 3,000 instructions for the pair, what any
 * statement's own read transaction costs. Inside a transaction the number would miss its
 * uncommitted changes: DB_DONE. */
static int sq_read_begin(struct db_conn *conn, uint64_t *data_version)
{
    if (!sqlite3_get_autocommit(conn->handle))
        return DB_DONE;
    if (conn->version_probe == NULL &&
        sqlite3_prepare_v3(conn->handle, "PRAGMA data_version", -1, SQLITE_PREPARE_PERSISTENT, &conn->version_probe,
                           NULL) != SQLITE_OK)
        return classify(conn, sqlite3_errcode(conn->handle), "prepare");
    unsigned int version = 0;
    int rc = sqlite3_step(conn->version_probe);
    if (rc == SQLITE_ROW)
        rc = sqlite3_file_control(conn->handle, "main", SQLITE_FCNTL_DATA_VERSION, &version);
    if (rc != SQLITE_OK) {
        sqlite3_reset(conn->version_probe);
        return DB_DONE;
    }
    *data_version = version;
    if (!conn->wal_index_tried)
        map_wal_index(conn);
    return DB_OK;
}

static void sq_read_end(struct db_conn *conn)
{
    if (conn->version_probe != NULL)
        sqlite3_reset(conn->version_probe);
}

/* Copies every page of from into to, in one step (one read transaction on a
 * live database, so the copy is consistent), retrying while a writer holds a lock. */
static int copy_pages(sqlite3 *to, sqlite3 *from, char *why, size_t why_size)
{
    sqlite3_backup *backup = sqlite3_backup_init(to, "main", from, "main");
    if (backup == NULL) {
        snprintf(why, why_size, "SQLite could not start the copy: %s", sqlite3_errmsg(to));
        return DB_ERROR;
    }
    int rc;
    int tries = 0;
    while ((rc = sqlite3_backup_step(backup, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
        if (++tries > 2000)
            break;
        sqlite3_sleep(5);
    }
    int finish = sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE || finish != SQLITE_OK) {
        snprintf(why, why_size, "SQLite could not copy the database: %s", sqlite3_errstr(rc != SQLITE_DONE ? rc : finish));
        return DB_ERROR;
    }
    return DB_OK;
}

/* The online backup API into a new file (0600), left in rollback-journal
 * mode so that the snapshot is one self-contained file. */
static int sq_snapshot_write(struct db_conn *conn, const char *target, const char *path, char *why, size_t why_size)
{
    (void)target;
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(why, why_size, "cannot create %s: %s", path, strerror(errno));
        return DB_ERROR;
    }
    close(fd);
    sqlite3 *copy = NULL;
    int rc = DB_ERROR;
    if (sqlite3_open_v2(path, &copy, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        snprintf(why, why_size, "cannot open %s: %s", path, copy != NULL ? sqlite3_errmsg(copy) : "no memory");
        goto out;
    }
    if (copy_pages(copy, conn->handle, why, why_size) != DB_OK)
        goto out;
    if (sqlite3_exec(copy, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(why, why_size, "cannot finish %s: %s", path, sqlite3_errmsg(copy));
        goto out;
    }
    rc = DB_OK;
out:
    if (sqlite3_close(copy) != SQLITE_OK && rc == DB_OK) {
        snprintf(why, why_size, "cannot close %s", path);
        rc = DB_ERROR;
    }
    return rc;
}

/* Copies the snapshot's pages into this (empty) database: the backup API
 * replaces the destination in one write transaction, so a failure leaves it as it was. */
static int sq_snapshot_load(struct db_conn *conn, const char *target, const char *path, char *why, size_t why_size)
{
    (void)target;
    sqlite3 *from = NULL;
    int rc = DB_ERROR;
    if (sqlite3_open_v2(path, &from, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        snprintf(why, why_size, "cannot open %s: %s", path, from != NULL ? sqlite3_errmsg(from) : "no memory");
        goto out;
    }
    if (sqlite3_exec(from, "PRAGMA quick_check", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(why, why_size, "%s is not a sound SQLite database: %s", path, sqlite3_errmsg(from));
        goto out;
    }
    rc = copy_pages(conn->handle, from, why, why_size);
out:
    sqlite3_close(from);
    return rc;
}

const struct db_driver db_sqlite_driver = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .exec = sq_exec,
    .prepare = sq_prepare,
    .bind_text = sq_bind_text,
    .bind_text_static = sq_bind_text_static,
    .bind_int = sq_bind_int,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .column_is_null = sq_column_is_null,
    .column_text = sq_column_text,
    .column_int = sq_column_int,
    .changes = sq_changes,
    .reset = sq_reset,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .migration_lock = sq_migration_lock,
    .ping = sq_ping,
    .snapshot_write = sq_snapshot_write,
    .snapshot_load = sq_snapshot_load,
    .read_begin = sq_read_begin,
    .read_end = sq_read_end,
    .change_mark = sq_change_mark,
};
