/* sites_get.c — GET /api/v1/sites?organization_id=&limit=&cursor= (the sites
 * of the organisations the caller coordinates; staff: all) and
 * GET /api/v1/sites/{id} (404 unless the caller manages its host). */

#include "api/api.h"
#include "domain/catalog.h"
#include "lib/limits.h"

void api_sites_get(struct http_request *req)
{
    struct api_page page;
    const char *organization_id;
    if (api_list_params(req, &page) != 0 || api_query_param(req, "organization_id", &organization_id) != 0)
        return;
    struct store_user user;
    const char *orgs;
    if (api_current_user(req, &user) != 0 || api_managed_organizations(req, &user, organization_id, &orgs) != 0)
        return;
    struct store_site *sites;
    size_t count;
    if (store_sites_list(req->db, &req->arena, orgs, page.cursor, page.limit + 1, &sites, &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    buf_append_str(&b, "{\"items\":[");
    size_t shown = count > (size_t)page.limit ? (size_t)page.limit : count;
    for (size_t i = 0; i < shown; i++) {
        if (i > 0)
            buf_append_char(&b, ',');
        api_write_site(&b, &sites[i]);
    }
    api_write_list_end(&b, count > shown && sites != NULL ? sites[shown - 1].id : NULL);
    http_reply_json(req, 200, &b);
}

void api_site_get(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct store_site site;
    int rc = catalog_managed_site(req->db, &req->arena, &user, http_param(req, "id"), &site);
    if (rc == DB_DONE) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "no such site");
        return;
    }
    if (rc != DB_ROW) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    api_write_site(&b, &site);
    http_reply_json(req, 200, &b);
}
