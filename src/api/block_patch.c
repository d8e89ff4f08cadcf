/* block_patch.c — PATCH /api/v1/blocks/{id} {start?, end?, seats?}: only the
 * fields sent change. Seats below the seats already taken → 409 naming
 * "seats". 404 unless the caller coordinates the offering's host (or is staff). */
#include "api/api.h"
#include "api/request_specs.h"
#include "domain/catalog.h"
#include "lib/limits.h"

struct block_patch_body {
    const char *start, *end;
    int64_t seats;
};

const struct json_field api_block_patch_spec[] = {
    JSON_DATE(struct block_patch_body, start, JSON_OPTIONAL),
    JSON_DATE(struct block_patch_body, end, JSON_OPTIONAL),
    JSON_INT(struct block_patch_body, seats, JSON_OPTIONAL, 1, CATALOG_SEATS_MAX),
    {0},
};

void api_block_patch(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct store_block block;
    struct store_offering o;
    int rc = catalog_managed_block(req->db, &req->arena, &user, http_param(req, "id"), &block, &o);
    if (rc == DB_DONE) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "no such block");
        return;
    }
    if (rc != DB_ROW) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct block_patch_body body = {0};
    struct json_presence presence;
    if (api_parse_body(req, api_block_patch_spec, &body, &presence) != 0)
        return;
    if (json_presence_has(api_block_patch_spec, &presence, "start"))
        block.start_date = body.start;
    if (json_presence_has(api_block_patch_spec, &presence, "end"))
        block.end_date = body.end;
    if (json_presence_has(api_block_patch_spec, &presence, "seats"))
        block.seats = body.seats;
    struct error err = {0};
    if (catalog_block_update(req->db, &req->arena, &block, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_SMALL);
    api_write_block(&b, &block);
    http_reply_json(req, 200, &b);
}
