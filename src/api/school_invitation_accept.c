/* school_invitation_accept.c — POST /api/v1/school-invitations/accept {token}
 * (a signed-in student; the token from the invitation email, never in a path)
 * → 200 the active link; 404 for a link that is not one, 410 invitation_used
 * or invitation_expired, 403 for an account that is not a student's. */
#include "api/schools_api.h"
#include "api/request_specs.h"
#include "lib/limits.h"

struct accept_body {
    const char *token;
};

const struct json_field api_school_invitation_accept_spec[] = {
    JSON_STRING(struct accept_body, token, JSON_REQUIRED, 1, ID_MAX_BYTES),
    {0},
};

void api_school_invitation_accept(struct http_request *req)
{
    struct store_user user;
    struct accept_body body = {0};
    if (api_current_user(req, &user) != 0 || api_parse_body(req, api_school_invitation_accept_spec, &body, NULL) != 0)
        return;
    struct store_school_student link;
    struct error err = {0};
    if (school_invitation_accept(req->db, &req->arena, &user, body.token, &link, &err) != 0) {
        api_school_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    api_write_school_link(&b, &link);
    http_reply_json(req, 200, &b);
}
