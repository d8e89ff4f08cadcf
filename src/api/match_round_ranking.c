/* match_round_ranking.c — PUT /api/v1/match-rounds/{id}/ranking {block_ids}
 * (a student of the round's cohort, while it is open and before its
 * deadline) → 200 the round with the new list: the blocks best first (an
 * empty list clears it). 400 block_ids for a block not in the round, twice,
 * one the student is not eligible for or has applied to already; 409 when
 * ranking is closed; 404 for anyone not in the cohort. */
#include "api/match_rounds_api.h"
#include "api/request_specs.h"
#include "lib/limits.h"

struct ranking_body {
    struct json_strings block_ids;
};

const struct json_field api_match_round_ranking_put_spec[] = {
    JSON_STRING_ARRAY(struct ranking_body, block_ids, JSON_REQUIRED, 1, ID_MAX_BYTES, MATCH_ROUND_MAX_RANKS),
    {0},
};

void api_match_round_ranking_put(struct http_request *req)
{
    struct store_user user;
    struct ranking_body body = {0};
    if (api_current_user(req, &user) != 0 || api_parse_body(req, api_match_round_ranking_put_spec, &body, NULL) != 0)
        return;
    const char *id = http_param(req, "id");
    struct error err = {0};
    struct store_match_round round;
    unsigned roles = 0;
    if (match_round_rank(req->db, &req->arena, &user, id, body.block_ids.items, body.block_ids.count, &err) != 0 ||
        match_round_for(req->db, &req->arena, &user, id, &round, &roles, &err) != 0) {
        api_match_round_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LONG_LIST);
    if (api_write_match_round(req, &b, &round, roles, &user) != 0) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    http_reply_json(req, 200, &b);
}
