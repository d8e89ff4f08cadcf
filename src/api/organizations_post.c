/* organizations_post.c — POST /api/v1/organizations {name, kind} (staff
 * only): a host institution or a partner school. → 201 the organisation. */
#include "api/api.h"
#include "api/request_specs.h"
#include "domain/accounts.h"
#include "domain/catalog.h"
#include "lib/limits.h"

struct organization_body {
    const char *name, *kind;
};

const struct json_field api_organizations_post_spec[] = {
    JSON_STRING(struct organization_body, name, JSON_REQUIRED, 1, PERSON_NAME_MAX_CHARS),
    JSON_ENUM(struct organization_body, kind, JSON_REQUIRED, catalog_organization_kinds),
    {0},
};

void api_organizations_post(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    if (!account_has_role(&user, ROLE_STAFF)) {
        http_reply_error(req, ERR_FORBIDDEN, NULL, "only staff create organisations");
        return;
    }
    struct organization_body body = {0};
    if (api_parse_body(req, api_organizations_post_spec, &body, NULL) != 0)
        return;
    struct store_organization org;
    struct error err = {0};
    if (catalog_organization_create(req->db, &req->arena, body.name, body.kind, &org, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_SMALL);
    api_write_organization(&b, org.id, org.name, org.kind);
    http_reply_json(req, 201, &b);
}
