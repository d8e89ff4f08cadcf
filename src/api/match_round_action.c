/* match_round_action.c — POST /api/v1/match-rounds/{id}/{action} (its
 * coordinators): open (draft → open; the cohort is told to rank), run (the
 * engine with its verification; again while matched), publish (each
 * placement an offered application, the unplaced told, seats left back on
 * sale) and cancel (every reserved seat back on sale) → 200 the round; 409
 * invalid_transition when the round is not in a state for it; 404 otherwise.
 * The body, if any, is {}. */
#include "api/match_rounds_api.h"
#include "api/request_specs.h"
#include "lib/limits.h"

const struct json_field api_match_round_action_spec[] = {
    {0},
};

void api_match_round_action(struct http_request *req)
{
    struct store_user user;
    char empty;
    if (api_current_user(req, &user) != 0 || (req->body_len > 0 && api_parse_body(req, api_match_round_action_spec, &empty, NULL) != 0))
        return;
    struct store_match_round round;
    struct error err = {0};
    unsigned roles = 0;
    const char *id = http_param(req, "id");
    if (match_round_act(req->db, &req->arena, &user, id, http_param(req, "action"), &round, &err) != 0 ||
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
