/* match_rounds_post.c — POST /api/v1/match-rounds {school_id, name, mode,
 * max_placements?, deadline (YYYY-MM-DD: ranking closes at its end, UTC),
 * seed?, student_ids?} (the school's coordinators, staff) → 201 the round in
 * draft, its cohort every student linked to the school unless student_ids
 * names some of them. 404 for a school the caller does not manage; 400
 * naming the field. */
#include "api/match_rounds_api.h"
#include "api/request_specs.h"
#include "lib/clock.h"
#include "lib/limits.h"

struct round_body {
    const char *school_id, *name, *mode, *deadline, *seed;
    int64_t max_placements;
    struct json_strings student_ids;
};

const struct json_field api_match_rounds_post_spec[] = {
    JSON_STRING(struct round_body, school_id, JSON_REQUIRED, 1, ID_MAX_BYTES),
    JSON_STRING(struct round_body, name, JSON_REQUIRED, 1, MATCH_ROUND_NAME_MAX_CHARS),
    JSON_ENUM(struct round_body, mode, JSON_REQUIRED, match_round_mode_names),
    JSON_INT(struct round_body, max_placements, JSON_OPTIONAL, 1, MATCH_MAX_PLACEMENTS),
    JSON_DATE(struct round_body, deadline, JSON_REQUIRED),
    JSON_STRING(struct round_body, seed, JSON_OPTIONAL, 1, MATCH_SEED_MAX_CHARS),
    JSON_STRING_ARRAY(struct round_body, student_ids, JSON_OPTIONAL, 1, ID_MAX_BYTES, MATCH_ROUND_MAX_COHORT),
    {0},
};

void api_match_rounds_post(struct http_request *req)
{
    struct store_user user;
    struct round_body body = {.max_placements = 1};
    struct json_presence presence;
    if (api_current_user(req, &user) != 0 || api_parse_body(req, api_match_rounds_post_spec, &body, &presence) != 0)
        return;
    struct match_round_new r = {
        .school_id = body.school_id,
        .name = body.name,
        .mode = body.mode,
        .seed = body.seed,
        .max_placements = body.max_placements,
        .deadline = (int64_t)clock_days_from_date(body.deadline) * 86400 + 86399,
        .student_ids = json_presence_has(api_match_rounds_post_spec, &presence, "student_ids") ? body.student_ids.items : NULL,
        .student_count = body.student_ids.count,
    };
    struct store_match_round round;
    struct error err = {0};
    if (match_round_create(req->db, &req->arena, &user, &r, &round, &err) != 0) {
        api_match_round_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_DETAIL);
    if (api_write_match_round(req, &b, &round, MATCH_ROLE_COORDINATOR, &user) != 0) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    http_reply_json(req, 201, &b);
}
