/* util.c — helpers shared by the store's files; see util.h. */
#include "store/util.h"

#include <string.h>

const char *store_column_dup(struct arena *arena, struct db_stmt *st, int column)
{
    const char *s = db_column_text(st, column);
    return s == NULL ? NULL : arena_strdup(arena, s);
}

int store_run(struct db_stmt *st)
{
    int rc = db_step(st);
    db_reset(st);
    return rc == DB_DONE ? DB_OK : rc;
}

void *store_push(struct arena *arena, void **items, size_t *count, size_t *capacity, size_t size)
{
    if (*count == *capacity) {
        size_t cap = *capacity ? *capacity * 2 : 16;
        void *grown = arena_alloc(arena, cap * size);
        if (grown == NULL)
            return NULL;
        if (*count > 0)
            memcpy(grown, *items, *count * size);
        *items = grown;
        *capacity = cap;
    }
    void *slot = (char *)*items + (*count)++ * size;
    memset(slot, 0, size);
    return slot;
}
