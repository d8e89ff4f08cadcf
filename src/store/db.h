/* db.h — the store's database interface: one struct of functions per backend
 * (SQLite in store/sqlite/, PostgreSQL in store/pg/), over which the store's
 * queries (the files of src/store/) are written once.
 *
 * SQL is written in the dialect both backends share: "$1, $2" parameters,
 * integers for booleans and instants (seconds since the epoch), text ids,
 * CAST(... AS ...) rather than "::". Statements are prepared once per
 * connection and cached by the address of their SQL text, so SQL must be a
 * string literal (or otherwise live forever).
 *
 * A connection belongs to one thread. A process opens one connection per
 * event-loop thread plus one per background worker. */
#ifndef ROUNDS_STORE_DB_H
#define ROUNDS_STORE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/errors.h"

struct db_conn;
struct db_stmt;

/* Results of db_step() and of the calls that return a status. */
enum db_status {
    DB_OK = 0,
    DB_ROW = 1,          /* db_step: a row is ready */
    DB_DONE = 2,         /* db_step: no (more) rows */
    DB_RETRY = -1,       /* busy, locked, serialization failure, deadlock: retry the transaction */
    DB_CONSTRAINT = -2,  /* a unique or foreign-key constraint refused the change */
    DB_ERROR = -3,       /* anything else (logged by the driver) */
    DB_UNSUPPORTED = -4, /* the backend does not offer this (asynchronous statements on SQLite) */
};

struct db_driver {
    const char *name; /* "sqlite" or "postgres" */
    int (*open)(const char *target, struct db_conn **out);
    void (*close)(struct db_conn *conn);
    /* Runs SQL text without parameters (may hold several statements). */
    int (*exec)(struct db_conn *conn, const char *sql);
    struct db_stmt *(*prepare)(struct db_conn *conn, const char *sql);
    int (*bind_text)(struct db_stmt *stmt, int index, const char *value);
    /* The same, without a copy where the backend can: value must live until
     * the statement is stepped to its end and reset (bulk writes). */
    int (*bind_text_static)(struct db_stmt *stmt, int index, const char *value);
    int (*bind_int)(struct db_stmt *stmt, int index, int64_t value);
    int (*bind_null)(struct db_stmt *stmt, int index);
    int (*step)(struct db_stmt *stmt);
    bool (*column_is_null)(struct db_stmt *stmt, int column);
    const char *(*column_text)(struct db_stmt *stmt, int column); /* NULL for SQL NULL; valid until the next step/reset */
    int64_t (*column_int)(struct db_stmt *stmt, int column);
    int (*changes)(struct db_stmt *stmt); /* rows changed by the last step of an INSERT/UPDATE/DELETE */
    void (*reset)(struct db_stmt *stmt);
    /* Transactions: begin (write=true takes the write lock at once on SQLite). */
    int (*begin)(struct db_conn *conn, bool write);
    int (*commit)(struct db_conn *conn);
    void (*rollback)(struct db_conn *conn);
    /* Serialises migrations across processes (PostgreSQL advisory lock; SQLite's
     * write lock does it already). */
    int (*migration_lock)(struct db_conn *conn, bool lock);
    /* True when the connection answers (SELECT 1), reconnecting if needed. */
    bool (*ping)(struct db_conn *conn);
    /* Backups (store/snapshot.h). snapshot_write writes a consistent copy of the
     * database (target is what conn was opened on) to the new file path while
     * others keep writing; snapshot_load loads one into this empty database in
     * one transaction. Both return DB_OK, or DB_ERROR with why filled. */
    int (*snapshot_write)(struct db_conn *conn, const char *target, const char *path, char *why, size_t why_size);
    int (*snapshot_load)(struct db_conn *conn, const char *target, const char *path, char *why, size_t why_size);
    /* For results kept in memory between requests (db_read_begin below);
     * NULL where the backend offers no such number (PostgreSQL). */
    int (*read_begin)(struct db_conn *conn, uint64_t *data_version);
    void (*read_end)(struct db_conn *conn);
    /* db_change_mark below; NULL where the backend has none (PostgreSQL). */
    int (*change_mark)(struct db_conn *conn, uint64_t *mark);
    /* Asynchronous statements (db_send below); NULL where the backend has
     * none (SQLite). */
    int (*socket)(struct db_conn *conn);
    int (*send)(struct db_stmt *stmt);
    int (*poll)(struct db_conn *conn, bool *ready);
    int (*send_exec)(struct db_conn *conn, const char *sql);
    /* Connecting without blocking (db_connect_start below); NULL on SQLite. */
    int (*connect_start)(const char *target, struct db_conn **out);
    int (*connect_poll)(struct db_conn *conn, bool *ready, bool *want_write);
};

/* Injected write failures (tests only: armed by `rounds serve --test-hooks 1`
 * for one request, see http/request.c). While a connection watches a
 * db_fault, each write statement it steps (INSERT, UPDATE, DELETE, a WITH
 * that writes) and each commit of db_run_tx counts in `writes`; the one that
 * makes `writes` equal `fail_at` fails with DB_ERROR without running, as a
 * driver error would, and sets `fired`. */
struct db_fault {
    long fail_at; /* 1-based; 0 only counts */
    long writes;
    bool fired;
};

struct db_conn_base {
    const struct db_driver *driver;
    struct db_fault *fault; /* NULL unless a test watches this connection */
    bool in_tx;             /* inside db_run_tx's transaction */
    int tx_failure;         /* the first failed statement's status in it (0: none) */
    /* What a store module keeps in memory for this connection (store/users.c:
     * the sessions it read), freed by db_close with memo_free. */
    void *memo;
    void (*memo_free)(void *memo);
};

/* Picks the backend from the target: "postgres://…" or "postgresql://…" → PostgreSQL, else a SQLite path. */
const struct db_driver *db_driver_for(const char *target);
int db_open(const char *target, struct db_conn **out);
void db_close(struct db_conn *conn);
const char *db_backend_name(struct db_conn *conn);

static inline const struct db_driver *db_driver_of(struct db_conn *conn)
{
    return ((struct db_conn_base *)(void *)conn)->driver;
}

/* Makes conn count (and fail) its writes in fault until called with NULL. */
void db_fault_watch(struct db_conn *conn, struct db_fault *fault);

/* Thin wrappers so that queries read naturally. A NULL statement (prepare
 * failed) makes every call a no-op returning DB_ERROR. */
struct db_stmt *db_prepare(struct db_conn *conn, const char *sql);
int db_bind_text(struct db_stmt *stmt, int index, const char *value); /* NULL binds SQL NULL */
/* value must stay unchanged until the statement has run and been reset. */
int db_bind_text_static(struct db_stmt *stmt, int index, const char *value);
int db_bind_int(struct db_stmt *stmt, int index, int64_t value);
int db_bind_null(struct db_stmt *stmt, int index);
int db_step(struct db_stmt *stmt);
bool db_column_is_null(struct db_stmt *stmt, int column);
const char *db_column_text(struct db_stmt *stmt, int column);
int64_t db_column_int(struct db_stmt *stmt, int column);
int db_changes(struct db_stmt *stmt);
void db_reset(struct db_stmt *stmt);
int db_exec(struct db_conn *conn, const char *sql);

/* Opens a read transaction, held until db_read_end, and gives the
 * database's data version: a number that changes whenever a change to the
 * database is committed, by this connection or any other, in this process or
 * another. The same number twice means the same data, so a result read under
 * it may be kept in memory and given again while the number stays. DB_OK
 * (then db_read_end is due), or DB_DONE where there is no such number: the
 * backend has none (PostgreSQL), or conn is inside a transaction (whose own
 * changes are not counted until it commits). Not nested. */
int db_read_begin(struct db_conn *conn, uint64_t *data_version);
void db_read_end(struct db_conn *conn);

/* A number that changes whenever a change to the database is committed, by
 * any connection of any process, read without a transaction and without a
 * lock (a few dozen instructions, where db_read_begin costs thousands and,
 * with several threads, system calls). A result read in a transaction begun
 * after the mark was taken may be given again while the mark stays the same.
 * DB_OK, or DB_UNSUPPORTED where there is none: PostgreSQL; SQLite not in
 * WAL mode, or before the connection's first db_read_begin, or inside a
 * transaction (whose own changes it would miss). */
int db_change_mark(struct db_conn *conn, uint64_t *mark);

/* Asynchronous statements, for an event loop that must not wait for the
 * database (http/session_reader.c). db_send starts a prepared, bound
 * statement and returns without its answer (the statement is prepared on
 * the connection first if it is not yet: one round trip, once per
 * connection). When db_socket's descriptor is readable, db_poll reads what
 * arrived: DB_OK with *ready once the whole answer is in, after which
 * db_step and db_column_* read its rows as usual and db_reset ends it; DB_OK
 * without *ready while more is to come (or nothing was sent: it then only
 * notices a connection that closed). Any other status: the statement failed
 * or the connection is gone (the statement then has no rows). One statement
 * at a time per connection, and no other use of the connection until its
 * answer is in. db_send_exec sends SQL text without parameters (it may hold
 * several statements) the same way; db_poll then only says whether all of it
 * ran. The descriptor stays the connection's: the caller watches it, never
 * closes it, and asks again after db_ping or while connecting (libpq may
 * open another socket for the next address). PostgreSQL only: elsewhere
 * DB_UNSUPPORTED (db_socket: -1). */
int db_socket(struct db_conn *conn);
int db_send(struct db_stmt *stmt);
int db_poll(struct db_conn *conn, bool *ready);
int db_send_exec(struct db_conn *conn, const char *sql);

/* Connecting without blocking, for the same event loops. db_connect_start
 * begins a connection to target (DB_OK: *out is set, to be closed with
 * db_close whatever comes next); the caller then waits for db_socket's
 * descriptor to be writable and calls db_connect_poll, which answers DB_OK
 * with *ready once connected, DB_OK without it while the handshake goes on
 * (wait for the descriptor, which may have changed, to be writable when
 * *want_write, else readable, then call again), anything else when the
 * connection failed. No timeout of its own: an unreachable server never
 * answers, so the caller gives up when it sees fit. Resolving a host name
 * may still block (an address, or localhost, does not). PostgreSQL only:
 * elsewhere DB_UNSUPPORTED. */
int db_connect_start(const char *target, struct db_conn **out);
int db_connect_poll(struct db_conn *conn, bool *ready, bool *want_write);
/* True when the connection answers, reconnecting it if it was lost. */
bool db_ping(struct db_conn *conn);

/* Runs fn inside a transaction, retrying (with a short backoff, at most 50
 * times) while the database reports a retryable conflict. fn returns a
 * db_status: only DB_OK commits; anything else rolls back, and only DB_RETRY
 * runs fn again. A transaction in which a statement failed never commits,
 * even when fn went on (a notice "not stored" and logged): it rolls back
 * with that statement's status, as PostgreSQL's aborted transaction would. fn reports its own domain errors through its context (and
 * returns, say, DB_CONSTRAINT to roll back). */
int db_run_tx(struct db_conn *conn, bool write, int (*fn)(struct db_conn *conn, void *ctx), void *ctx);

#endif
