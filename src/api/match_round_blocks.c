/* match_round_blocks.c — POST /api/v1/match-rounds/{id}/blocks {block_id,
 * seats} reserves seats of a block for the round (201 the round); DELETE
 * /api/v1/match-rounds/{id}/blocks/{block_id} gives them back (204). Its
 * coordinators, while the round is a draft or open; 409 conflict /
 * invalid_transition, 422 (not that many seats free, or the block
 * starts before the deadline), 404 otherwise. */
#include "api/match_rounds_api.h"
#include "api/request_specs.h"
#include "lib/limits.h"

struct block_body {
    const char *block_id;
    int64_t seats;
};

const struct json_field api_match_round_block_post_spec[] = {
    JSON_STRING(struct block_body, block_id, JSON_REQUIRED, 1, ID_MAX_BYTES),
    JSON_INT(struct block_body, seats, JSON_REQUIRED, 1, CATALOG_SEATS_MAX),
    {0},
};

void api_match_round_block_post(struct http_request *req)
{
    struct store_user user;
    struct block_body body = {0};
    if (api_current_user(req, &user) != 0 || api_parse_body(req, api_match_round_block_post_spec, &body, NULL) != 0)
        return;
    const char *id = http_param(req, "id");
    struct error err = {0};
    struct store_match_round round;
    if (match_round_add_block(req->db, &req->arena, &user, id, body.block_id, body.seats, &err) != 0) {
        api_match_round_problem(req, &err);
        return;
    }
    unsigned roles = 0;
    if (match_round_for(req->db, &req->arena, &user, id, &round, &roles, &err) != 0) {
        api_match_round_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LONG_LIST);
    if (api_write_match_round(req, &b, &round, roles, &user) != 0) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    http_reply_json(req, 201, &b);
}

void api_match_round_block_delete(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct error err = {0};
    if (match_round_remove_block(req->db, &req->arena, &user, http_param(req, "id"), http_param(req, "block_id"),
                                 &err) != 0) {
        api_match_round_problem(req, &err);
        return;
    }
    http_reply_empty(req, 204);
}
