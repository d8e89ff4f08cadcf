/* util.h — small helpers shared by the files of src/store/ (not by callers
 * of the store). */
#ifndef ROUNDS_STORE_UTIL_H
#define ROUNDS_STORE_UTIL_H

#include <stddef.h>

#include "lib/arena.h"
#include "store/db.h"

/* A column's text copied into the arena, or NULL for SQL NULL. */
const char *store_column_dup(struct arena *arena, struct db_stmt *st, int column);
/* Steps a statement that returns no rows and resets it: DB_OK on success. */
int store_run(struct db_stmt *st);
/* Appends one zeroed element of size to an arena-backed growing array. */
void *store_push(struct arena *arena, void **items, size_t *count, size_t *capacity, size_t size);

#endif
