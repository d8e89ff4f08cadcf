/* snapshot.c — backups' database side (see snapshot.h): the backend does the copying. */
#include "store/snapshot.h"

#include <stdio.h>
#include <string.h>

#include "store/util.h"

const char *store_snapshot_file_name(struct db_conn *conn)
{
    return strcmp(db_backend_name(conn), "postgres") == 0 ? "database.pgdump" : "database.sqlite";
}

int store_snapshot_write(struct db_conn *conn, const char *target, const char *path, char *why, size_t why_size)
{
    return db_driver_of(conn)->snapshot_write(conn, target, path, why, why_size);
}

int store_snapshot_load(struct db_conn *conn, const char *target, const char *path, char *why, size_t why_size)
{
    return db_driver_of(conn)->snapshot_load(conn, target, path, why, why_size);
}

int store_database_empty(struct db_conn *conn, bool *empty)
{
    /* serves: restore and import, before anything is written */
    static const char sqlite_sql[] = "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'";
    static const char pg_sql[] = "SELECT count(*) FROM pg_catalog.pg_class c "
                                 "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                                 "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
                                 "AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'";
    bool pg = strcmp(db_backend_name(conn), "postgres") == 0;
    struct db_stmt *st = db_prepare(conn, pg ? pg_sql : sqlite_sql);
    int64_t tables;
    if (store_one_int(st, &tables) != DB_OK)
        return DB_ERROR;
    *empty = tables == 0;
    return DB_OK;
}
