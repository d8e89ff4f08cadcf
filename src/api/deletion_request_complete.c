/* deletion_request_complete.c — POST /api/v1/deletion-requests/{id}/complete
 * (staff): erases the person's account now (domain/deletions.h) → 200 the
 * request, completed, its person a pseudonym. 404 unknown (and for anyone but
 * staff); 409 deletion_closed when it is not pending (completed or
 * cancelled); 409 deletion_blocked while a rotation or money is open. */
#include "api/deletions_api.h"
#include "api/request_specs.h"

#include "lib/limits.h"

const struct json_field api_deletion_request_complete_spec[] = {
    {0},
};

void api_deletion_request_complete(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    char none;
    if (req->body_len > 0 && api_parse_body(req, api_deletion_request_complete_spec, &none, NULL) != 0)
        return;
    struct store_deletion_request r;
    struct error err = {0};
    if (deletion_complete(req->db, &req->arena, http_param(req, "id"), &user, &r, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_SMALL);
    api_write_deletion_request(&b, &r, true);
    http_reply_json(req, 200, &b);
}
