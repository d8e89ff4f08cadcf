/* arena.h — per-request memory: everything allocated here dies together.
 *
 * In the server an arena is backed by the request's h2o memory pool (see
 * src/http/request.c); in the CLI and in tests it is backed by the heap and
 * released with arena_heap_free(). Callers never free single allocations. */
#ifndef ROUNDS_LIB_ARENA_H
#define ROUNDS_LIB_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_chunk;

struct arena {
    /* When set, allocations are delegated (e.g. to an h2o pool). */
    void *(*backend_alloc)(void *backend, size_t size);
    void *backend;
    /* Heap-backed arenas keep their chunks here. */
    struct arena_chunk *chunks;
};

/* A heap-backed arena; release everything with arena_heap_free(). */
void arena_heap_init(struct arena *arena);
void arena_heap_free(struct arena *arena);

/* Memory aligned for any type; NULL only when memory is exhausted. */
void *arena_alloc(struct arena *arena, size_t size);
/* Like arena_alloc, zero-filled. */
void *arena_calloc(struct arena *arena, size_t count, size_t size);
/* A NUL-terminated copy of the first len bytes of s. */
char *arena_strndup(struct arena *arena, const char *s, size_t len);
char *arena_strdup(struct arena *arena, const char *s);
/* printf into the arena; NULL when memory is exhausted or fmt cannot be formatted. */
char *arena_printf(struct arena *arena, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *arena, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* arena_printf for text that goes on into a page, a mail, a feed or a row,
 * where a NULL would be read: "" when it cannot be made. */
const char *arena_textf(struct arena *arena, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
