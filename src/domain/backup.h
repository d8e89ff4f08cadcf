/* backup.h — `rounds backup` and `rounds restore`: a backup folder holds a
 * consistent snapshot of the database (taken while the server keeps serving),
 * the sealed uploaded files, optionally the keys, and a manifest of every
 * file's size and SHA-256 written last. Restore checks the whole folder
 * against its manifest before it touches anything, then fills an empty
 * database and data folder; a failure part-way leaves them as they were.
 *
 *   DIR/manifest.json                       (lib/manifest.h)
 *   DIR/database.sqlite | database.pgdump   (store/snapshot.h)
 *   DIR/files/<2 hex>/<address>             (store/blobs.h, still sealed)
 *   DIR/keys/file.key, DIR/keys/<name>.key  (only with --include-keys) */
#ifndef ROUNDS_DOMAIN_BACKUP_H
#define ROUNDS_DOMAIN_BACKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

struct backup_options {
    const char *db_target;     /* what conn was opened on */
    const char *data_dir;      /* ROUNDS_DATA_DIR */
    const char *file_key_file; /* ROUNDS_FILE_KEY_FILE, or NULL for DATA_DIR/file.key */
    const char *dir;           /* the backup folder (--to, --from) */
    bool include_keys;
    const char *rounds_version; /* written into the manifest */
};

struct backup_report {
    char backend[16];
    int schema_version;
    size_t files;          /* uploaded files */
    uint64_t bytes;        /* every file of the backup */
    bool keys;             /* the keys are in the backup */
    bool key_missing;      /* restore: no keys in the backup and none in place */
};

enum backup_outcome {
    BACKUP_OK = 0,
    BACKUP_FAILED,    /* the database, a tool or the file system failed */
    BACKUP_INVALID,   /* restore: not a Rounds backup, or not the one its manifest describes */
    BACKUP_REFUSED,   /* the destination is not empty, or the engines differ */
};

/* Writes a backup of conn's database and the data folder to o->dir (new or empty). */
enum backup_outcome backup_create(struct db_conn *conn, const struct backup_options *o, struct backup_report *report,
                                  char *why, size_t why_size);
/* Restores o->dir into conn's database (empty) and o->data_dir (no files yet). */
enum backup_outcome backup_restore(struct db_conn *conn, const struct backup_options *o, struct backup_report *report,
                                   char *why, size_t why_size);

#endif
