/* sites_get.c — GET /api/v1/sites?organization_id=&limit=&cursor= (the sites
 * of the organisations the caller coordinates; staff: all) and
 * GET /api/v1/sites/{id} (404 unless the caller manages its host). */

#include "api/api.h"
#include "domain/catalog.h"

static int list_page(struct db_conn *conn, struct arena *arena, const char *organization_ids, const char *after_id,
                     int limit, void **items, size_t *count)
{
    struct store_site *found = NULL;
    int rc = store_sites_list(conn, arena, organization_ids, after_id, limit, &found, count);
    *items = found;
    return rc;
}

static int get_one(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *id, void *out)
{
    return catalog_managed_site(conn, arena, user, id, out);
}

static void write_one(struct buf *b, const void *item)
{
    api_write_site(b, item);
}

static const char *id_of(const void *item)
{
    return ((const struct store_site *)item)->id;
}

static const struct api_managed_kind sites = {
    .missing = "no such site",
    .item_size = sizeof(struct store_site),
    .list = list_page,
    .get = get_one,
    .write = write_one,
    .id_of = id_of,
};

void api_sites_get(struct http_request *req)
{
    api_managed_list(req, &sites);
}

void api_site_get(struct http_request *req)
{
    api_managed_get(req, &sites);
}
