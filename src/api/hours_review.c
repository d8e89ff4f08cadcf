/* hours_review.c — POST /api/v1/hours/{id}/{action} {note?}: the preceptor
 * (or staff) confirms an entry, asks for a change (note required) or refuses
 * it → 200 the entry; 404 for an unknown action or an entry the caller may
 * not see, 403 for other viewers, 409 when it is not waiting. */
#include "api/rotation_api.h"
#include "api/request_specs.h"
#include "lib/limits.h"

struct review_body {
    const char *note;
};

const struct json_field api_hours_review_spec[] = {
    JSON_TEXT(struct review_body, note, JSON_OPTIONAL, 0, NOTE_MAX_CHARS),
    {0},
};

void api_hours_review(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct review_body body = {0};
    struct error err = {0};
    if (req->body_len > 0 &&
        json_spec_parse(&req->arena, req->body, req->body_len, api_hours_review_spec, &body, NULL, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct store_hours_entry e;
    if (hours_review(req->db, &req->arena, &user, http_param(req, "id"), http_param(req, "action"), body.note, &e,
                     &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    api_write_hours_entry(&b, &e);
    http_reply_json(req, 200, &b);
}
