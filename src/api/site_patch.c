/* site_patch.c — PATCH /api/v1/sites/{id} {name?, address?, city?, state?,
 * zip?}: only the fields sent change; the whole site is checked again. The
 * site's offerings show the change in search at once. 404 unless the caller
 * coordinates the site's host (or is staff). */
#include "api/api.h"
#include "api/request_specs.h"
#include "domain/catalog.h"
#include "lib/limits.h"

struct site_patch_body {
    const char *name, *address, *city, *state, *zip;
};

const struct json_field api_site_patch_spec[] = {
    JSON_STRING(struct site_patch_body, name, JSON_OPTIONAL, 1, SITE_NAME_MAX_CHARS),
    JSON_STRING(struct site_patch_body, address, JSON_NULLABLE, 0, SITE_ADDRESS_MAX_CHARS),
    JSON_STRING(struct site_patch_body, city, JSON_OPTIONAL, 1, SITE_CITY_MAX_CHARS),
    JSON_STRING(struct site_patch_body, state, JSON_OPTIONAL, 1, STATE_CODE_BYTES),
    JSON_STRING(struct site_patch_body, zip, JSON_OPTIONAL, 1, ZIP_MAX_BYTES),
    {0},
};

void api_site_patch(struct http_request *req)
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
    struct site_patch_body body = {0};
    struct json_presence presence;
    if (api_parse_body(req, api_site_patch_spec, &body, &presence) != 0)
        return;
    if (json_presence_has(api_site_patch_spec, &presence, "name"))
        site.name = body.name;
    if (json_presence_has(api_site_patch_spec, &presence, "address"))
        site.address = body.address != NULL ? body.address : "";
    if (json_presence_has(api_site_patch_spec, &presence, "city"))
        site.city = body.city;
    if (json_presence_has(api_site_patch_spec, &presence, "state"))
        site.state = body.state;
    if (json_presence_has(api_site_patch_spec, &presence, "zip"))
        site.zip = body.zip;
    struct error err = {0};
    if (catalog_site_update(req->db, &req->arena, &site, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    api_write_site(&b, &site);
    http_reply_json(req, 200, &b);
}
