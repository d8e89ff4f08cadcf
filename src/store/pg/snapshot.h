/* snapshot.h — the PostgreSQL backend's backups (pg_dump, pg_restore); see snapshot.c. */
#ifndef ROUNDS_STORE_PG_SNAPSHOT_H
#define ROUNDS_STORE_PG_SNAPSHOT_H

#include <stddef.h>

struct db_conn;

int db_pg_snapshot_write(struct db_conn *conn, const char *target, const char *path, char *why, size_t why_size);
int db_pg_snapshot_load(struct db_conn *conn, const char *target, const char *path, char *why, size_t why_size);

#endif
