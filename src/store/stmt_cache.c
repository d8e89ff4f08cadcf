/* stmt_cache.c — the per-connection statement table; see stmt_cache.h. */
#include "store/stmt_cache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"

enum { FIRST_SIZE = 256 }; /* a power of two: more than the statements a connection usually prepares */

static size_t slot_of(const char *sql, size_t size)
{
    uintptr_t h = (uintptr_t)sql;
    h ^= h >> 17;
    h *= 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 7) & (size - 1);
}

static int grow(struct stmt_cache *cache)
{
    size_t size = cache->size != 0 ? cache->size * 2 : FIRST_SIZE;
    struct stmt_cache_slot *slots = calloc(size, sizeof(*slots));
    if (slots == NULL)
        return -1;
    for (size_t i = 0; i < cache->size; i++) {
        if (cache->slots[i].sql == NULL)
            continue;
        size_t j = slot_of(cache->slots[i].sql, size);
        while (slots[j].sql != NULL)
            j = (j + 1) & (size - 1);
        slots[j] = cache->slots[i];
    }
    free(cache->slots);
    cache->slots = slots;
    cache->size = size;
    return 0;
}

void *stmt_cache_get(const struct stmt_cache *cache, const char *sql)
{
    if (cache->size == 0)
        return NULL;
    for (size_t j = slot_of(sql, cache->size); cache->slots[j].sql != NULL; j = (j + 1) & (cache->size - 1))
        if (cache->slots[j].sql == sql) {
#ifdef ROUNDS_STMT_CACHE_CHECK
            const char *was = cache->slots[j].text;
            if (strcmp(was, sql) != 0) {
                size_t at = 0;
                while (was[at] == sql[at])
                    at++;
                at = at > 40 ? at - 40 : 0;
                log_error("msg=\"prepared SQL changed at its address: store SQL must be string literals\""
                          " was=\"…%.100s\" now=\"…%.100s\"", was + at, sql + at);
                abort();
            }
#endif
            return cache->slots[j].stmt;
        }
    return NULL;
}

int stmt_cache_put(struct stmt_cache *cache, const char *sql, void *stmt)
{
    if (cache->used * 2 >= cache->size && grow(cache) != 0)
        return -1;
    size_t j = slot_of(sql, cache->size);
    while (cache->slots[j].sql != NULL)
        j = (j + 1) & (cache->size - 1);
    cache->slots[j] = (struct stmt_cache_slot){.sql = sql, .stmt = stmt};
#ifdef ROUNDS_STMT_CACHE_CHECK
    if ((cache->slots[j].text = strdup(sql)) == NULL) {
        cache->slots[j] = (struct stmt_cache_slot){0};
        return -1;
    }
#endif
    cache->used++;
    return 0;
}

void stmt_cache_each(const struct stmt_cache *cache, void (*each)(void *stmt, void *ctx), void *ctx)
{
    for (size_t i = 0; i < cache->size; i++)
        if (cache->slots[i].sql != NULL)
            each(cache->slots[i].stmt, ctx);
}

void stmt_cache_free(struct stmt_cache *cache)
{
#ifdef ROUNDS_STMT_CACHE_CHECK
    for (size_t i = 0; i < cache->size; i++)
        free(cache->slots[i].text);
#endif
    free(cache->slots);
    *cache = (struct stmt_cache){0};
}
