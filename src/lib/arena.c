/* arena.c — heap-backed or delegated bump allocation; see arena.h. */
#include "lib/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct arena_chunk {
    struct arena_chunk *next;
    size_t size, used;
    max_align_t data[];
};

enum { ARENA_CHUNK_MIN = 16 * 1024 };

void arena_heap_init(struct arena *arena)
{
    memset(arena, 0, sizeof(*arena));
}

void arena_heap_free(struct arena *arena)
{
    struct arena_chunk *chunk = arena->chunks;
    while (chunk != NULL) {
        struct arena_chunk *next = chunk->next;
        free(chunk);
        chunk = next;
    }
    arena->chunks = NULL;
}

static size_t align_up(size_t size)
{
    size_t align = sizeof(max_align_t);
    return (size + align - 1) / align * align;
}

void *arena_alloc(struct arena *arena, size_t size)
{
    if (size == 0)
        size = 1;
    if (size > SIZE_MAX / 2)
        return NULL;
    size = align_up(size);
    if (arena->backend_alloc != NULL)
        return arena->backend_alloc(arena->backend, size);

    struct arena_chunk *chunk = arena->chunks;
    if (chunk == NULL || chunk->size - chunk->used < size) {
        size_t chunk_size = size > ARENA_CHUNK_MIN ? size : ARENA_CHUNK_MIN;
        chunk = malloc(sizeof(*chunk) + chunk_size);
        if (chunk == NULL)
            return NULL;
        chunk->size = chunk_size;
        chunk->used = 0;
        /* A big one-off allocation goes behind the current chunk so that the
         * current chunk's free space stays usable. */
        if (arena->chunks != NULL && size > ARENA_CHUNK_MIN) {
            chunk->next = arena->chunks->next;
            arena->chunks->next = chunk;
        } else {
            chunk->next = arena->chunks;
            arena->chunks = chunk;
        }
    }
    void *p = (char *)chunk->data + chunk->used;
    chunk->used += size;
    return p;
}

void *arena_calloc(struct arena *arena, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    void *p = arena_alloc(arena, count * size);
    if (p != NULL)
        memset(p, 0, count * size);
    return p;
}

char *arena_strndup(struct arena *arena, const char *s, size_t len)
{
    char *p = arena_alloc(arena, len + 1);
    if (p == NULL)
        return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *arena_strdup(struct arena *arena, const char *s)
{
    return arena_strndup(arena, s, strlen(s));
}

char *arena_vprintf(struct arena *arena, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *s = n >= 0 ? arena_alloc(arena, (size_t)n + 1) : NULL;
    if (s != NULL)
        vsnprintf(s, (size_t)n + 1, fmt, again);
    va_end(again);
    return s;
}

char *arena_printf(struct arena *arena, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = arena_vprintf(arena, fmt, ap);
    va_end(ap);
    return s;
}

const char *arena_textf(struct arena *arena, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *s = arena_vprintf(arena, fmt, ap);
    va_end(ap);
    return s != NULL ? s : "";
}
