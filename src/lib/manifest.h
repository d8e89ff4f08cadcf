/* manifest.h — the manifest of a backup folder (`rounds backup`): which files
 * it holds, each with its size and SHA-256, and what the backup is of (the
 * database engine and schema version, whether the keys are in it).
 *
 * The manifest is JSON, written last (so a folder without one is not a whole
 * backup) and read before anything is restored: manifest_parse refuses any
 * manifest that is not exactly of this shape, names what is wrong, and keeps
 * every path inside the backup folder (relative, no "..", no hidden names). */
#ifndef ROUNDS_LIB_MANIFEST_H
#define ROUNDS_LIB_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/limits.h"

#define MANIFEST_NAME "manifest.json"
#define MANIFEST_FORMAT "rounds-backup"
#define MANIFEST_FORMAT_VERSION 1

struct manifest_file {
    char path[BACKUP_PATH_MAX_BYTES + 1]; /* relative to the backup folder, '/'-separated */
    uint64_t bytes;
    char sha256[65]; /* lower-case hex */
};

struct manifest {
    int format_version;
    char rounds_version[32];
    char created_at[32];  /* RFC 3339 UTC */
    char backend[16];     /* "sqlite" or "postgres" */
    int schema_version;
    bool includes_keys;
    size_t file_count;
    struct manifest_file *files; /* heap; manifest_free releases it */
};

/* Parses text (len bytes, need not be NUL-terminated) into *out. Returns 0, or
 * -1 with why (a sentence naming the field) filled and *out left empty. */
int manifest_parse(const char *text, size_t len, struct manifest *out, char *why, size_t why_size);
/* Adds one file (path checked as manifest_parse does). Returns 0, or -1 when the path is not acceptable or on no memory. */
int manifest_add(struct manifest *m, const char *path, uint64_t bytes, const char sha256[65]);
/* The manifest as JSON text (heap, free() it), or NULL on no memory. */
char *manifest_format(const struct manifest *m);
/* Whether path is one a manifest may list (relative, components of [A-Za-z0-9._-] not starting with '.'). */
bool manifest_path_valid(const char *path);
/* Orders the files by path (manifest_parse returns them ordered). */
void manifest_sort(struct manifest *m);
/* The manifest's entry for path, or NULL (the files must be ordered). */
const struct manifest_file *manifest_find(const struct manifest *m, const char *path);
void manifest_free(struct manifest *m);

#endif
