/* db.c — backend selection, the thin statement wrappers and the retrying
 * transaction helper; see db.h. */
#include "store/db.h"

#include <string.h>
#include <time.h>

#include "lib/clock.h"
#include "lib/log.h"
#include "lib/metrics.h"

extern const struct db_driver db_sqlite_driver;
extern const struct db_driver db_pg_driver;

struct db_stmt_base {
    struct db_conn *conn;
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
    if (conn != NULL)
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

int db_step(struct db_stmt *stmt)
{
    if (stmt == NULL)
        return DB_ERROR;
    double started = clock_monotonic_ms();
    int rc = stmt_driver(stmt)->step(stmt);
    metrics_db_time(clock_monotonic_ms() - started);
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
            rc = fn(conn, ctx);
            if (rc == DB_OK) {
                rc = d->commit(conn);
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
