/* school_students_get.c — GET /api/v1/schools/{id}/students?status= (its
 * coordinators, staff) → {items:[link]}: the school's students by name with
 * their status and counts of active and booked applications; status is
 * requested, active, refused or left (default: all). Only linked students'
 * counts are shown: others appear with their request alone. */
#include "api/schools_api.h"
#include "lib/limits.h"

const char *const api_school_students_params[] = {"status", "limit", "cursor", NULL};

void api_school_students_get(struct http_request *req)
{
    struct store_user user;
    const char *status = NULL;
    struct api_pager pager;
    if (api_current_user(req, &user) != 0 || api_query_param(req, "status", &status) != 0 ||
        api_pager_start(req, &pager, "students", "ss") != 0)
        return;
    if (status != NULL && school_link_status_parse(status) == SCHOOL_LINK_STATUS_UNKNOWN) {
        http_reply_error(req, ERR_INVALID_PARAMETER, "status", "must be requested, active, refused or left");
        return;
    }
    struct store_organization school;
    struct error err = {0};
    if (school_managed(req->db, &req->arena, &user, http_param(req, "id"), &school, &err) != 0) {
        api_school_problem(req, &err);
        return;
    }
    struct store_school_student *links = NULL;
    size_t count = 0;
    if (store_school_students_list(req->db, &req->arena, school.id, status, &links, &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LONG_LIST);
    buf_append_str(&b, "{\"items\":[");
    for (size_t i = 0; i < count; i++) {
        if (school_link_status_parse(links[i].status) != SCHOOL_LINK_ACTIVE)
            links[i].applications_active = links[i].applications_booked = 0; /* no consent, nothing shown */
        if (!api_pager_take_keyed(&pager, &b, links[i].student_id, API_KEY({.s = links[i].student_name})))
            continue;
        api_write_school_link(&b, &links[i]);
    }
    if (api_pager_finish(req, &pager, &b) != 0)
        return;
    http_reply_json(req, 200, &b);
}
