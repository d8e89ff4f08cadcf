/* db.c — backend selection, the thin statement wrappers and the retrying
 * transaction helper; see db.h. */
#include "store/db.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "lib/clock.h"
#include "lib/log.h"
#include "lib/metrics.h"

extern const struct db_driver db_sqlite_driver;
extern const struct db_driver db_pg_driver;

struct db_stmt_base {
    struct db_conn *conn;
    const char *sql;
};

const struct db_driver *db_driver_for(const char *target)
{
    if (strncmp(target, "postgres://", 11) == 0 || strncmp(target, "postgresql://", 13) == 0)
        return &db_pg_driver;
    return &db_sqlite_driver;
}

int db_open(const char *target, struct db_conn **out)
{
    return db_driver_for(target)->open(target, out);
}

void db_close(struct db_conn *conn)
{
    if (conn == NULL)
        return;
    struct db_conn_base *base = (struct db_conn_base *)(void *)conn;
    if (base->memo != NULL && base->memo_free != NULL)
        base->memo_free(base->memo);
    db_driver_of(conn)->close(conn);
}

const char *db_backend_name(struct db_conn *conn)
{
    return db_driver_of(conn)->name;
}

static const struct db_driver *stmt_driver(struct db_stmt *stmt)
{
    return db_driver_of(((struct db_stmt_base *)(void *)stmt)->conn);
}

struct db_stmt *db_prepare(struct db_conn *conn, const char *sql)
{
    return db_driver_of(conn)->prepare(conn, sql);
}

int db_bind_text(struct db_stmt *stmt, int index, const char *value)
{
    if (stmt == NULL)
        return DB_ERROR;
    if (value == NULL)
        return stmt_driver(stmt)->bind_null(stmt, index);
    return stmt_driver(stmt)->bind_text(stmt, index, value);
}

int db_bind_text_static(struct db_stmt *stmt, int index, const char *value)
{
    if (stmt == NULL)
        return DB_ERROR;
    if (value == NULL)
        return stmt_driver(stmt)->bind_null(stmt, index);
    return stmt_driver(stmt)->bind_text_static(stmt, index, value);
}

int db_bind_int(struct db_stmt *stmt, int index, int64_t value)
{
    return stmt == NULL ? DB_ERROR : stmt_driver(stmt)->bind_int(stmt, index, value);
}

int db_bind_null(struct db_stmt *stmt, int index)
{
    return stmt == NULL ? DB_ERROR : stmt_driver(stmt)->bind_null(stmt, index);
}

void db_fault_watch(struct db_conn *conn, struct db_fault *fault)
{
    ((struct db_conn_base *)(void *)conn)->fault = fault;
}

static bool word_at(const char *s, const char *word)
{
    size_t n = strlen(word);
    return strncasecmp(s, word, n) == 0 && !isalnum((unsigned char)s[n]) && s[n] != '_';
}

/* Whether the statement changes rows: what a test's fault counts. */
static bool sql_writes(const char *sql)
{
    while (isspace((unsigned char)*sql))
        sql++;
    if (word_at(sql, "INSERT") || word_at(sql, "UPDATE") || word_at(sql, "DELETE") || word_at(sql, "REPLACE"))
        return true;
    if (!word_at(sql, "WITH"))
        return false;
    for (const char *p = sql; *p != '\0'; p++)
        if ((p == sql || !isalnum((unsigned char)p[-1])) &&
            (word_at(p, "INSERT") || word_at(p, "UPDATE") || word_at(p, "DELETE")))
            return true;
    return false;
}

/* True when the watched connection's next write must fail (counting it). */
static bool fault_fires(struct db_conn *conn)
{
    struct db_fault *f = ((struct db_conn_base *)(void *)conn)->fault;
    if (f == NULL)
        return false;
    f->writes++;
    if (f->writes != f->fail_at)
        return false;
    f->fired = true;
    log_info("msg=\"test fault: write %ld fails\"", f->writes);
    return true;
}

int db_step(struct db_stmt *stmt)
{
    if (stmt == NULL)
        return DB_ERROR;
    struct db_stmt_base *base = (struct db_stmt_base *)(void *)stmt;
    if (((struct db_conn_base *)(void *)base->conn)->fault != NULL && sql_writes(base->sql) &&
        fault_fires(base->conn)) {
        struct db_conn_base *conn = (struct db_conn_base *)(void *)base->conn;
        if (conn->in_tx && conn->tx_failure == 0)
            conn->tx_failure = DB_ERROR;
        return DB_ERROR;
    }
    bool timed = metrics_db_timed();
    double started = timed ? clock_monotonic_ms() : 0;
    int rc = stmt_driver(stmt)->step(stmt);
    metrics_db_time(timed ? clock_monotonic_ms() - started : 0);
    struct db_conn_base *conn = (struct db_conn_base *)(void *)base->conn;
    if (rc < 0 && conn->in_tx && conn->tx_failure == 0)
        conn->tx_failure = rc;
    return rc;
}

bool db_column_is_null(struct db_stmt *stmt, int column)
{
    return stmt == NULL ? true : stmt_driver(stmt)->column_is_null(stmt, column);
}

const char *db_column_text(struct db_stmt *stmt, int column)
{
    return stmt == NULL ? NULL : stmt_driver(stmt)->column_text(stmt, column);
}

int64_t db_column_int(struct db_stmt *stmt, int column)
{
    return stmt == NULL ? 0 : stmt_driver(stmt)->column_int(stmt, column);
}

int db_changes(struct db_stmt *stmt)
{
    return stmt == NULL ? 0 : stmt_driver(stmt)->changes(stmt);
}

void db_reset(struct db_stmt *stmt)
{
    if (stmt != NULL)
        stmt_driver(stmt)->reset(stmt);
}

int db_exec(struct db_conn *conn, const char *sql)
{
    return db_driver_of(conn)->exec(conn, sql);
}

int db_read_begin(struct db_conn *conn, uint64_t *data_version)
{
    const struct db_driver *d = db_driver_of(conn);
    return d->read_begin != NULL ? d->read_begin(conn, data_version) : DB_DONE;
}

void db_read_end(struct db_conn *conn)
{
    const struct db_driver *d = db_driver_of(conn);
    if (d->read_end != NULL)
        d->read_end(conn);
}

int db_change_mark(struct db_conn *conn, uint64_t *mark)
{
    const struct db_driver *d = db_driver_of(conn);
    return d->change_mark != NULL ? d->change_mark(conn, mark) : DB_UNSUPPORTED;
}

int db_socket(struct db_conn *conn)
{
    const struct db_driver *d = db_driver_of(conn);
    return d->socket != NULL ? d->socket(conn) : -1;
}

int db_send(struct db_stmt *stmt)
{
    if (stmt == NULL)
        return DB_ERROR;
    const struct db_driver *d = stmt_driver(stmt);
    return d->send != NULL ? d->send(stmt) : DB_UNSUPPORTED;
}

int db_poll(struct db_conn *conn, bool *ready)
{
    const struct db_driver *d = db_driver_of(conn);
    *ready = false;
    return d->poll != NULL ? d->poll(conn, ready) : DB_UNSUPPORTED;
}

int db_send_exec(struct db_conn *conn, const char *sql)
{
    const struct db_driver *d = db_driver_of(conn);
    return d->send_exec != NULL ? d->send_exec(conn, sql) : DB_UNSUPPORTED;
}

int db_connect_start(const char *target, struct db_conn **out)
{
    const struct db_driver *d = db_driver_for(target);
    *out = NULL;
    return d->connect_start != NULL ? d->connect_start(target, out) : DB_UNSUPPORTED;
}

int db_connect_poll(struct db_conn *conn, bool *ready, bool *want_write)
{
    const struct db_driver *d = db_driver_of(conn);
    *ready = *want_write = false;
    return d->connect_poll != NULL ? d->connect_poll(conn, ready, want_write) : DB_UNSUPPORTED;
}

bool db_ping(struct db_conn *conn)
{
    return db_driver_of(conn)->ping(conn);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

int db_run_tx(struct db_conn *conn, bool write, int (*fn)(struct db_conn *conn, void *ctx), void *ctx)
{
    const struct db_driver *d = db_driver_of(conn);
    long backoff_ms = 1;
    for (int attempt = 0; attempt < 50; attempt++) {
        int rc = d->begin(conn, write);
        if (rc == DB_OK) {
            struct db_conn_base *base = (struct db_conn_base *)(void *)conn;
            bool outer = !base->in_tx;
            if (outer) {
                base->in_tx = true;
                base->tx_failure = 0;
            }
            rc = fn(conn, ctx);
            if (outer)
                base->in_tx = false;
            if (rc == DB_OK && outer && base->tx_failure != 0) {
                log_warn("msg=\"a statement failed inside the transaction: rolled back\" backend=%s", d->name);
                rc = base->tx_failure;
            }
            if (rc == DB_OK) {
                rc = fault_fires(conn) ? DB_ERROR : d->commit(conn);
                if (rc == DB_OK)
                    return DB_OK;
            }
            d->rollback(conn);
        }
        if (rc != DB_RETRY)
            return rc;
        sleep_ms(backoff_ms);
        if (backoff_ms < 64)
            backoff_ms *= 2;
    }
    log_warn("msg=\"transaction gave up after retries\" backend=%s", d->name);
    return DB_RETRY;
}
