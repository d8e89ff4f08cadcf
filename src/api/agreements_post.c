/* agreements_post.c — POST /api/v1/agreements {host_id, school_id,
 * start_date, end_date} (a coordinator of the host or of the school) → 201
 * the agreement, proposed by the caller's side; the other side is told. */
#include "api/agreements_api.h"
#include "api/request_specs.h"
#include "lib/limits.h"

struct agreement_body {
    const char *host_id, *school_id, *start_date, *end_date;
};

const struct json_field api_agreements_post_spec[] = {
    JSON_STRING(struct agreement_body, host_id, JSON_REQUIRED, 1, ID_MAX_BYTES),
    JSON_STRING(struct agreement_body, school_id, JSON_REQUIRED, 1, ID_MAX_BYTES),
    JSON_DATE(struct agreement_body, start_date, JSON_REQUIRED),
    JSON_DATE(struct agreement_body, end_date, JSON_REQUIRED),
    {0},
};

void api_agreements_post(struct http_request *req)
{
    struct store_user user;
    struct agreement_body body = {0};
    if (api_current_user(req, &user) != 0 || api_parse_body(req, api_agreements_post_spec, &body, NULL) != 0)
        return;
    struct agreement_proposal proposal = {body.host_id, body.school_id, body.start_date, body.end_date};
    struct store_agreement a;
    struct error err = {0};
    if (agreement_propose(req->db, &req->arena, &user, &proposal, &a, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    api_write_agreement(&b, &a);
    http_reply_json(req, 201, &b);
}
