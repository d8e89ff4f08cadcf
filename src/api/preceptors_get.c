/* preceptors_get.c — GET /api/v1/preceptors?organization_id=&limit=&cursor=
 * (the preceptors of the organisations the caller coordinates; staff: all)
 * and GET /api/v1/preceptors/{id} (404 unless the caller manages its host). */

#include "api/api.h"
#include "domain/catalog.h"

static int list_page(struct db_conn *conn, struct arena *arena, const char *organization_ids, const char *after_id,
                     int limit, void **items, size_t *count)
{
    struct store_preceptor *found = NULL;
    int rc = store_preceptors_list(conn, arena, organization_ids, after_id, limit, &found, count);
    *items = found;
    return rc;
}

static int get_one(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *id, void *out)
{
    return catalog_managed_preceptor(conn, arena, user, id, out);
}

static void write_one(struct buf *b, const void *item)
{
    api_write_preceptor(b, item);
}

static const char *id_of(const void *item)
{
    return ((const struct store_preceptor *)item)->id;
}

static const struct api_managed_kind preceptors = {
    .missing = "no such preceptor",
    .item_size = sizeof(struct store_preceptor),
    .list = list_page,
    .get = get_one,
    .write = write_one,
    .id_of = id_of,
};

void api_preceptors_get(struct http_request *req)
{
    api_managed_list(req, &preceptors);
}

void api_preceptor_get(struct http_request *req)
{
    api_managed_get(req, &preceptors);
}
