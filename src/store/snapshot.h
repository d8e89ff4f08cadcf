/* snapshot.h — what backups ask of the database: a consistent copy written to
 * a file while the server keeps serving, loading one into an empty database,
 * and whether a database is empty. The engine's own tools do the work (SQLite's
 * online backup API; pg_dump and pg_restore for PostgreSQL). */
#ifndef ROUNDS_STORE_SNAPSHOT_H
#define ROUNDS_STORE_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>

#include "store/db.h"

/* The snapshot file's name in a backup folder for this connection's engine. */
const char *store_snapshot_file_name(struct db_conn *conn);
/* Writes the snapshot to path (a new file). target is what conn was opened on. */
int store_snapshot_write(struct db_conn *conn, const char *target, const char *path, char *why, size_t why_size);
/* Loads a snapshot into the database conn is open on (check it is empty first). */
int store_snapshot_load(struct db_conn *conn, const char *target, const char *path, char *why, size_t why_size);
/* *empty: the database holds no table, view or sequence of ours at all. */
int store_database_empty(struct db_conn *conn, bool *empty);

#endif
