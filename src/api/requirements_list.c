/* requirements_list.c — GET /api/v1/requirements?organization_id=&offering_id=
 * (at least one): the rules of a host (its host-wide rows), or those that
 * apply to one offering (the host's and the offering's own) → {"items":[…]}.
 * For the host's coordinators and staff; 404 for anyone else. */
#include <string.h>

#include "api/documents_api.h"
#include "domain/catalog.h"
#include "lib/limits.h"

void api_requirements_list(struct http_request *req)
{
    struct store_user user;
    const char *organization_id, *offering_id;
    struct api_pager pager;
    if (api_current_user(req, &user) != 0 || api_query_param(req, "organization_id", &organization_id) != 0 ||
        api_query_param(req, "offering_id", &offering_id) != 0 || api_pager_start(req, &pager, "requirements", NULL) != 0)
        return;
    if (organization_id == NULL && offering_id == NULL) {
        http_reply_error(req, ERR_INVALID_PARAMETER, "organization_id", "give organization_id or offering_id");
        return;
    }
    if (organization_id != NULL && !api_id_valid(organization_id)) {
        http_reply_error(req, ERR_INVALID_PARAMETER, "organization_id", "is not an organisation id");
        return;
    }
    if (offering_id != NULL && !api_id_valid(offering_id)) {
        http_reply_error(req, ERR_INVALID_PARAMETER, "offering_id", "is not an offering id");
        return;
    }
    if (offering_id != NULL) {
        struct store_offering o;
        int rc = catalog_managed_offering(req->db, &req->arena, &user, offering_id, &o);
        if (rc != DB_ROW && rc != DB_DONE) {
            http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
            return;
        }
        if (rc == DB_DONE || (organization_id != NULL && strcmp(organization_id, o.organization_id) != 0)) {
            http_reply_error(req, ERR_NOT_FOUND, "offering_id", "no such offering");
            return;
        }
        organization_id = o.organization_id;
    } else {
        const char *kind = NULL;
        int rc = catalog_may_manage(&user, organization_id)
                     ? store_organization_kind(req->db, &req->arena, organization_id, &kind)
                     : DB_DONE;
        if (rc != DB_ROW && rc != DB_DONE) {
            http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
            return;
        }
        if (rc == DB_DONE || organization_kind_parse(kind) != ORGANIZATION_HOST) {
            http_reply_error(req, ERR_NOT_FOUND, "organization_id", "no such host");
            return;
        }
    }
    struct store_requirement *items = NULL;
    size_t count = 0;
    if (store_requirements_for(req->db, &req->arena, organization_id, offering_id, &items, &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_DETAIL);
    buf_append_str(&b, "{\"items\":[");
    for (size_t i = 0; i < count; i++) {
        if (!api_pager_take(&pager, &b, items[i].id))
            continue;
        api_write_requirement(&b, &items[i]);
    }
    if (api_pager_finish(req, &pager, &b) != 0)
        return;
    http_reply_json(req, 200, &b);
}
