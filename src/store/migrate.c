/* migrate.c — applies the embedded numbered migrations (store/migrations.h). */
#include <string.h>

#include "lib/clock.h"
#include "lib/log.h"
#include "store/migrations.h"
#include "store/store.h"
#include "store/util.h"

/* Migration folders are named after backends: sql/sqlite/, sql/pg/. */
static const char *migration_folder(struct db_conn *conn)
{
    return strcmp(db_backend_name(conn), "sqlite") == 0 ? "sqlite" : "pg";
}

int store_schema_latest(struct db_conn *conn)
{
    const char *folder = migration_folder(conn);
    int latest = 0;
    for (const struct migration *m = migrations_table; m->backend != NULL; m++)
        if (strcmp(m->backend, folder) == 0 && m->number > latest)
            latest = m->number;
    return latest;
}

static const char create_table_sql[] = "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                       " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

int store_schema_version(struct db_conn *conn, int *version)
{
    *version = 0;
    int rc = db_exec(conn, create_table_sql);
    if (rc != DB_OK)
        return rc;
    struct db_stmt *st = db_prepare(conn, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    int64_t latest;
    rc = store_one_int(st, &latest);
    *version = (int)latest;
    return rc;
}

static int apply_one(struct db_conn *conn, const struct migration *m)
{
    int rc = db_exec(conn, m->sql);
    if (rc == DB_OK) {
        struct db_stmt *st = db_prepare(conn, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)");
        db_bind_int(st, 1, m->number);
        db_bind_text(st, 2, m->name);
        db_bind_int(st, 3, clock_now());
        rc = db_step(st) == DB_DONE ? DB_OK : DB_ERROR;
        db_reset(st);
    }
    if (rc != DB_OK)
        log_error("msg=\"migration failed\" migration=%s", m->name);
    else
        log_info("msg=\"migration applied\" migration=%s backend=%s", m->name, db_backend_name(conn));
    return rc;
}

/* All pending migrations in one transaction, under the migration lock: two
 * instances starting together migrate once, and a failed migration leaves
 * the schema as it was (both backends have transactional DDL). */
int store_migrate(struct db_conn *conn, bool *too_new)
{
    const struct db_driver *d = db_driver_of(conn);
    const char *folder = migration_folder(conn);
    int current = 0, rc;
    *too_new = false;
    rc = d->begin(conn, true);
    if (rc != DB_OK)
        return rc;
    rc = d->migration_lock(conn, true);
    if (rc == DB_OK)
        rc = store_schema_version(conn, &current);
    if (rc != DB_OK)
        goto out;
    if (current > store_schema_latest(conn)) {
        *too_new = true;
        rc = DB_ERROR;
        goto out;
    }
    for (int next = current + 1;; next++) {
        const struct migration *found = NULL;
        for (const struct migration *m = migrations_table; m->backend != NULL; m++)
            if (strcmp(m->backend, folder) == 0 && m->number == next)
                found = m;
        if (found == NULL)
            break;
        rc = apply_one(conn, found);
        if (rc != DB_OK)
            goto out;
    }
    rc = d->commit(conn);
out:
    if (rc != DB_OK)
        d->rollback(conn);
    return rc;
}
