/* export.h — `rounds export` and `rounds import`: moving a Rounds database
 * from one engine to the other (SQLite ⇄ PostgreSQL) through a folder of
 * JSON lines, one file per table, one object per row (column → value,
 * integers as numbers, NULL as null), and a manifest written last:
 *
 *   DIR/manifest.json   {"format":"rounds-export","format_version":1,
 *                        "rounds_version", "created_at", "schema_version",
 *                        "tables":[{"name","file","rows","bytes","sha256"}…]}
 *   DIR/<table>.jsonl   in the order store/export.c lists the tables
 *
 * The export reads every table in one snapshot while the server may keep
 * serving. The import checks the whole folder first (manifest, schema version,
 * every file's size and SHA-256), then fills an empty, migrated database in
 * one transaction: a refusal or a failure part-way leaves it as it was.
 * Uploaded files are not in an export (`rounds backup` carries them). */
#ifndef ROUNDS_DOMAIN_EXPORT_H
#define ROUNDS_DOMAIN_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

#define EXPORT_FORMAT "rounds-export"
#define EXPORT_FORMAT_VERSION 1
#define EXPORT_MANIFEST_NAME "manifest.json"

struct export_report {
    int schema_version;
    size_t tables;
    int64_t rows;
    uint64_t bytes;
};

enum export_outcome {
    EXPORT_OK = 0,
    EXPORT_FAILED,  /* the database or the file system failed */
    EXPORT_INVALID, /* import: not an export, another schema version, a file that is not what the manifest says */
    EXPORT_REFUSED, /* export: the folder is not empty; import: the database is not empty */
};

/* Writes conn's database into dir (new or empty). Closes conn. */
enum export_outcome export_write(struct db_conn *conn, const char *dir, const char *rounds_version,
                                 struct export_report *report, char *why, size_t why_size);
/* What an import has done: rows loaded of the manifest's total, after each
 * table and every few thousand rows within one (from 0 again when the
 * transaction is retried). */
typedef void (*export_progress_fn)(void *ctx, int64_t done, int64_t total);

/* Imports dir into conn's database (migrated, empty). Closes conn. progress
 * may be NULL. */
enum export_outcome export_read(struct db_conn *conn, const char *dir, export_progress_fn progress, void *progress_ctx,
                                struct export_report *report, char *why, size_t why_size);

#endif
