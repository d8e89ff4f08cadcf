/* stmt_cache.h — the prepared statements of one connection, found by the
 * address of their SQL text (store SQL is string literals: see db.h). Both
 * backends keep their statements here; each frees its own kind.
 *
 * SQL built into a buffer breaks that contract silently: the next text
 * written at the same address gets the first one's statement (a ticket
 * queue once answered a student with staff's scope that way). Sanitized
 * builds (ROUNDS_STMT_CACHE_CHECK, set by the Makefile with SANITIZE, so the
 * whole test suite) keep a copy of each text and abort when an address comes
 * back holding other text. */
#ifndef ROUNDS_STORE_STMT_CACHE_H
#define ROUNDS_STORE_STMT_CACHE_H

#include <stddef.h>

struct stmt_cache_slot {
    const char *sql;
    void *stmt;
#ifdef ROUNDS_STMT_CACHE_CHECK
    char *text; /* the SQL as it was when cached */
#endif
};

/* Open addressing, at most half full; zero-initialised is empty. */
struct stmt_cache {
    struct stmt_cache_slot *slots;
    size_t size, used;
};

/* The statement cached for this SQL text, or NULL. */
void *stmt_cache_get(const struct stmt_cache *cache, const char *sql);
/* Caches stmt for sql (not cached yet): 0, or -1 when memory runs out. */
int stmt_cache_put(struct stmt_cache *cache, const char *sql, void *stmt);
/* Calls each(stmt, ctx) for every cached statement. */
void stmt_cache_each(const struct stmt_cache *cache, void (*each)(void *stmt, void *ctx), void *ctx);
/* Frees the table; the statements are the caller's (stmt_cache_each first). */
void stmt_cache_free(struct stmt_cache *cache);

#endif
