/* blocks_post.c — POST /api/v1/offerings/{id}/blocks {start, end, seats}
 * → 201 the block. A new block may not start in the past. 404 unless the
 * caller coordinates the offering's host (or is staff). */
#include "api/api.h"
#include "api/request_specs.h"
#include "domain/catalog.h"
#include "lib/limits.h"

struct block_body {
    const char *start, *end;
    int64_t seats;
};

const struct json_field api_blocks_post_spec[] = {
    JSON_DATE(struct block_body, start, JSON_REQUIRED),
    JSON_DATE(struct block_body, end, JSON_REQUIRED),
    JSON_INT(struct block_body, seats, JSON_REQUIRED, 1, CATALOG_SEATS_MAX),
    {0},
};

void api_blocks_post(struct http_request *req)
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
    struct block_body body = {0};
    if (api_parse_body(req, api_blocks_post_spec, &body, NULL) != 0)
        return;
    struct store_block block = {.offering_id = o.id, .start_date = body.start, .end_date = body.end, .seats = body.seats};
    struct error err = {0};
    if (catalog_block_create(req->db, &req->arena, &block, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_SMALL);
    api_write_block(&b, &block);
    http_reply_json(req, 201, &b);
}
