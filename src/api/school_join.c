/* school_join.c — POST /api/v1/schools/{id}/join (a student) → 201 the link,
 * waiting for the school's answer (the body, if any, is {}); 404 unknown school, 409 already linked or
 * waiting, 403 for an account that is not a student's. */
#include "api/schools_api.h"
#include "api/request_specs.h"
#include "lib/limits.h"

const struct json_field api_school_join_spec[] = {
    {0},
};

void api_school_join(struct http_request *req)
{
    struct store_user user;
    char empty;
    if (api_current_user(req, &user) != 0 || (req->body_len > 0 && api_parse_body(req, api_school_join_spec, &empty, NULL) != 0))
        return;
    struct store_school_student link;
    struct error err = {0};
    if (school_ask(req->db, &req->arena, &user, http_param(req, "id"), &link, &err) != 0) {
        api_school_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    api_write_school_link(&b, &link);
    http_reply_json(req, 201, &b);
}
