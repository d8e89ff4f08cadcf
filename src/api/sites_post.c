/* sites_post.c — POST /api/v1/sites {organization_id, name, address?, city,
 * state, zip} (a coordinator of that host, or staff) → 201 the site, its time
 * zone taken from the state. */
#include "api/api.h"
#include "api/request_specs.h"
#include "domain/catalog.h"
#include "lib/limits.h"

struct site_body {
    const char *organization_id, *name, *address, *city, *state, *zip;
};

const struct json_field api_sites_post_spec[] = {
    JSON_STRING(struct site_body, organization_id, JSON_REQUIRED, 1, ID_MAX_BYTES),
    JSON_STRING(struct site_body, name, JSON_REQUIRED, 1, SITE_NAME_MAX_CHARS),
    JSON_STRING(struct site_body, address, JSON_NULLABLE, 0, SITE_ADDRESS_MAX_CHARS),
    JSON_STRING(struct site_body, city, JSON_REQUIRED, 1, SITE_CITY_MAX_CHARS),
    JSON_STRING(struct site_body, state, JSON_REQUIRED, 1, STATE_CODE_BYTES),
    JSON_STRING(struct site_body, zip, JSON_REQUIRED, 1, ZIP_MAX_BYTES),
    {0},
};

void api_sites_post(struct http_request *req)
{
    struct store_user user;
    struct site_body body = {0};
    if (api_current_user(req, &user) != 0 || api_parse_body(req, api_sites_post_spec, &body, NULL) != 0)
        return;
    if (!catalog_may_manage(&user, body.organization_id)) {
        http_reply_error(req, ERR_FORBIDDEN, "organization_id", "you do not manage this organisation");
        return;
    }
    struct store_site site = {.organization_id = body.organization_id,
                              .name = body.name,
                              .address = body.address,
                              .city = body.city,
                              .state = body.state,
                              .zip = body.zip};
    struct error err = {0};
    if (catalog_site_create(req->db, &req->arena, &site, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    api_write_site(&b, &site);
    http_reply_json(req, 201, &b);
}
