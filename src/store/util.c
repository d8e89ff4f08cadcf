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

int store_change_one(struct db_stmt *st)
{
    int rc = db_step(st);
    int changed = rc == DB_DONE ? db_changes(st) : 0;
    db_reset(st);
    if (rc != DB_DONE)
        return rc;
    return changed == 1 ? DB_OK : DB_DONE;
}

int store_change_any(struct db_stmt *st)
{
    int rc = db_step(st);
    int changed = rc == DB_DONE ? db_changes(st) : 0;
    db_reset(st);
    if (rc != DB_DONE)
        return rc;
    return changed > 0 ? DB_OK : DB_DONE;
}

/* Columns 0 and, unless second is NULL, 1 of the statement's row (0 without one). */
static int step_ints(struct db_stmt *st, int64_t *first, int64_t *second)
{
    int rc = db_step(st);
    *first = rc == DB_ROW ? db_column_int(st, 0) : 0;
    if (second != NULL)
        *second = rc == DB_ROW ? db_column_int(st, 1) : 0;
    db_reset(st);
    return rc == DB_ROW ? DB_OK : rc;
}

int store_one_int(struct db_stmt *st, int64_t *out)
{
    return step_ints(st, out, NULL);
}

int store_one_int_required(struct db_stmt *st, int64_t *out)
{
    int rc = step_ints(st, out, NULL);
    return rc == DB_DONE ? DB_ERROR : rc;
}

int store_two_ints(struct db_stmt *st, int64_t *first, int64_t *second)
{
    return step_ints(st, first, second);
}

int store_count_any(struct db_stmt *st, bool *any)
{
    int64_t count;
    int rc = step_ints(st, &count, NULL);
    *any = count > 0;
    return rc;
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

int store_read_rows(struct arena *arena, struct db_stmt *st, store_read_row_fn *read_row, size_t size, void **items,
                    size_t *count)
{
    size_t capacity = 0;
    *items = NULL;
    *count = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        void *item = store_push(arena, items, count, &capacity, size);
        if (item == NULL) {
            rc = DB_ERROR;
            break;
        }
        read_row(arena, st, item);
    }
    db_reset(st);
    return rc == DB_DONE ? DB_OK : rc;
}

int store_read_one(struct arena *arena, struct db_stmt *st, store_read_row_fn *read_row, size_t size, void *item)
{
    int rc = db_step(st);
    if (rc == DB_ROW) {
        memset(item, 0, size);
        read_row(arena, st, item);
    }
    db_reset(st);
    return rc;
}

static void read_id(struct arena *arena, struct db_stmt *st, void *item)
{
    *(const char **)item = store_column_dup(arena, st, 0);
}

int store_read_ids(struct arena *arena, struct db_stmt *st, const char ***ids, size_t *count)
{
    return store_read_rows(arena, st, read_id, sizeof(**ids), (void **)ids, count);
}

void store_read_organization(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_organization *o = item;
    o->id = store_column_dup(arena, st, 0);
    o->name = store_column_dup(arena, st, 1);
    o->kind = store_column_dup(arena, st, 2);
    o->created_at = db_column_int(st, 3);
}
