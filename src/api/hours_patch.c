/* hours_patch.c — PATCH /api/v1/hours/{id} with every field of the day
 * {date, hours, setting, activities?, patients_seen?} (the student, while
 * the entry is logged or sent back) → 200 the entry, logged again. */
#include "api/rotation_api.h"
#include "lib/limits.h"

void api_hours_patch(struct http_request *req)
{
    struct store_user user;
    struct api_hours_body body = {0};
    struct hours_input in;
    if (api_current_user(req, &user) != 0 || api_parse_body(req, api_hours_spec, &body, NULL) != 0 ||
        api_hours_input(req, &body, &in) != 0)
        return;
    struct store_hours_entry e = {0};
    struct error err = {0};
    if (hours_edit(req->db, &req->arena, &user, http_param(req, "id"), &in, &e, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    api_write_hours_entry(&b, &e);
    http_reply_json(req, 200, &b);
}
