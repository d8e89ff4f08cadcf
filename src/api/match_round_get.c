/* match_round_get.c — GET /api/v1/match-rounds/{id} → the round as the
 * caller may see it (its coordinators: everything with the cohort and each
 * student's explanation after a run; a student of the cohort: the blocks,
 * their own rank list and, once published, their result; a host: the blocks,
 * with counts for its own). 404 for anyone else. */
#include "api/match_rounds_api.h"
#include "lib/limits.h"

void api_match_round_get(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct store_match_round round;
    unsigned roles = 0;
    struct error err = {0};
    if (match_round_for(req->db, &req->arena, &user, http_param(req, "id"), &round, &roles, &err) != 0) {
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
