/* me_schools.c — the student's own links to schools: GET /api/v1/me/schools
 * → {items:[link]} (every status, newest first: the consent they gave is
 * always visible to them), and POST /api/v1/me/schools/{id}/leave → 204: the
 * link (or a request) ends at once and the school sees the student no more;
 * 404 when there is nothing to leave. */
#include "api/schools_api.h"
#include "api/request_specs.h"
#include "lib/limits.h"

void api_me_schools_get(struct http_request *req)
{
    struct store_user user;
    struct api_pager pager;
    if (api_current_user(req, &user) != 0 || api_pager_start(req, &pager, "myschools", "Ns") != 0)
        return;
    struct store_school_student *links = NULL;
    size_t count = 0;
    if (store_student_schools(req->db, &req->arena, user.id, &links, &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    buf_append_str(&b, "{\"items\":[");
    for (size_t i = 0; i < count; i++) {
        if (!api_pager_take_keyed(&pager, &b, links[i].organization_id, API_KEY({.n = links[i].updated_at})))
            continue;
        api_write_school_link(&b, &links[i]);
    }
    if (api_pager_finish(req, &pager, &b) != 0)
        return;
    http_reply_json(req, 200, &b);
}

const struct json_field api_me_school_leave_spec[] = {
    {0},
};

void api_me_school_leave(struct http_request *req)
{
    struct store_user user;
    char empty;
    if (api_current_user(req, &user) != 0 || (req->body_len > 0 && api_parse_body(req, api_me_school_leave_spec, &empty, NULL) != 0))
        return;
    struct error err = {0};
    if (school_leave(req->db, &req->arena, &user, http_param(req, "id"), &err) != 0) {
        api_school_problem(req, &err);
        return;
    }
    http_reply_empty(req, 204);
}
