/* match_round_instance.c — GET /api/v1/match-rounds/{id}/instance (its
 * coordinators) → the round as a match instance (docs/match.md): offerings
 * named by title and start date, students by id, eligibility as attributes,
 * the hosts' lists and the lottery seed — so that the school can run `rounds
 * match` on it and see the same result without the server. */
#include "api/match_rounds_api.h"
#include "domain/match_json.h"
#include "lib/limits.h"

void api_match_round_instance(struct http_request *req)
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
    if (!(roles & MATCH_ROLE_COORDINATOR)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "no such match round");
        return;
    }
    struct match_round_instance mi;
    if (match_round_build(req->db, &req->arena, &round, &mi, &err) != 0) {
        api_match_round_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LONG_LIST);
    struct match_json_sink sink = {.buf = &b};
    if (match_json_write_instance(&mi.in, &sink) != 0) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_json(req, 200, &b);
}
