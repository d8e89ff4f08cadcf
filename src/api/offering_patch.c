/* offering_patch.c — PATCH /api/v1/offerings/{id}: only the fields sent
 * change (eligibility, when sent, is replaced as a whole), then the whole
 * offering is checked again. The organisation cannot change. 404 unless the
 * caller coordinates the offering's host (or is staff). */
#include <string.h>

#include "api/api.h"
#include "domain/catalog.h"
#include "lib/limits.h"

void api_offering_patch(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct store_offering o;
    int rc = catalog_managed_offering(req->db, &req->arena, &user, http_param(req, "id"), &o);
    if (rc == DB_DONE) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "no such offering");
        return;
    }
    if (rc != DB_ROW) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct api_offering_body body;
    struct json_presence presence;
    if (api_parse_offering_body(req, &body, &presence) != 0)
        return;
    if (body.organization_id != NULL && strcmp(body.organization_id, o.organization_id) != 0) {
        http_reply_error(req, ERR_VALIDATION_FAILED, "organization_id", "an offering cannot move to another host");
        return;
    }
    if (api_apply_offering_body(req, &body, &presence, &o) != 0)
        return;
    struct error err = {0};
    if (catalog_offering_update(req->db, &req->arena, &o, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct store_block *blocks;
    size_t count;
    if (store_blocks_of_offering(req->db, &req->arena, o.id, &blocks, &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct requirement_rule *rules;
    size_t rule_count;
    if (api_offering_rules(req, &o, &rules, &rule_count) != 0)
        return;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_DETAIL);
    api_write_offering(&b, &o, blocks, count, rules, rule_count);
    http_reply_json(req, 200, &b);
}
