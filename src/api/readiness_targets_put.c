/* readiness_targets_put.c — PUT /api/v1/readiness/targets {letters,
 * letters_us, usce_weeks} (staff; 404 for anybody else) → 200 the targets
 * every student's readiness is measured against. */
#include "api/letters_api.h"
#include "api/request_specs.h"
#include "domain/accounts.h"
#include "lib/limits.h"

struct targets_body {
    int64_t letters, letters_us, usce_weeks;
};

const struct json_field api_readiness_targets_put_spec[] = {
    JSON_INT(struct targets_body, letters, JSON_REQUIRED, 0, READINESS_TARGET_MAX),
    JSON_INT(struct targets_body, letters_us, JSON_REQUIRED, 0, READINESS_TARGET_MAX),
    JSON_INT(struct targets_body, usce_weeks, JSON_REQUIRED, 0, READINESS_TARGET_MAX),
    {0},
};

void api_readiness_targets_put(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    if (!account_has_role(&user, ROLE_STAFF)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "there is nothing at this address");
        return;
    }
    struct targets_body body = {0};
    if (api_parse_body(req, api_readiness_targets_put_spec, &body, NULL) != 0)
        return;
    struct error err = {0};
    if (readiness_set_targets(req->db, &user, body.letters, body.letters_us, body.usce_weeks, &err) != 0) {
        api_letter_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LINE);
    buf_appendf(&b, "{\"letters\":%lld,\"letters_us\":%lld,\"usce_weeks\":%lld}", (long long)body.letters,
                (long long)body.letters_us, (long long)body.usce_weeks);
    http_reply_json(req, 200, &b);
}
