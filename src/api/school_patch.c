/* school_patch.c — PATCH /api/v1/schools/{id} {home_approval} (the school's
 * coordinators, staff) → 200 {id, name, kind, home_approval}: with home
 * approval on, the school's linked students' applications wait in
 * home_review until the school releases them to the host or refuses them
 * (POST /api/v1/applications/{id}/release|refuse). 404 for a school the
 * caller does not manage. */
#include "api/schools_api.h"
#include "api/request_specs.h"
#include "lib/limits.h"

struct school_body {
    bool home_approval;
};

const struct json_field api_school_patch_spec[] = {
    JSON_BOOL(struct school_body, home_approval, JSON_REQUIRED),
    {0},
};

void api_school_patch(struct http_request *req)
{
    struct store_user user;
    struct school_body body = {0};
    if (api_current_user(req, &user) != 0 || api_parse_body(req, api_school_patch_spec, &body, NULL) != 0)
        return;
    struct store_organization school;
    struct error err = {0};
    if (school_set_home_approval(req->db, &req->arena, &user, http_param(req, "id"), body.home_approval, &school,
                                 &err) != 0) {
        api_school_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    buf_append_str(&b, "{\"id\":");
    buf_append_json_string(&b, school.id);
    buf_append_str(&b, ",\"name\":");
    buf_append_json_string(&b, school.name);
    buf_append_str(&b, ",\"kind\":");
    buf_append_json_string(&b, school.kind);
    buf_appendf(&b, ",\"home_approval\":%s}", body.home_approval ? "true" : "false");
    http_reply_json(req, 200, &b);
}
