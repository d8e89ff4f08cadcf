/* user_two_factor_reset.c — POST /api/v1/users/{id}/two-factor/reset (staff),
 * empty body or {} → 204: the user's second factor and recovery codes are
 * gone and every session of theirs ends; they set it up again at their next
 * login (a role that requires it is sent to enrolment). Audited. 404 for an
 * unknown user and for anyone but staff. */
#include "api/api.h"
#include "api/request_specs.h"
#include "domain/two_factor.h"
#include "lib/limits.h"

const struct json_field api_user_two_factor_reset_spec[] = {
    {0},
};

void api_user_two_factor_reset(struct http_request *req)
{
    struct store_user staff;
    if (api_current_user(req, &staff) != 0)
        return;
    char none;
    if (req->body_len > 0 && api_parse_body(req, api_user_two_factor_reset_spec, &none, NULL) != 0)
        return;
    struct error err = {0};
    if (two_factor_reset(req->db, &req->arena, &staff, http_param(req, "id"), &err) != 0) {
        if (err.code == ERR_FORBIDDEN)
            error_set(&err, ERR_NOT_FOUND, NULL, "there is no such user");
        http_reply_problem(req, &err);
        return;
    }
    http_reply_empty(req, 204);
}
