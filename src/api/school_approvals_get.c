/* school_approvals_get.c — GET /api/v1/schools/{id}/applications?status=
 * (the school's coordinators, staff) → {items:[application]}: the
 * applications of its students that named the school for home approval,
 * newest first; status home_review (the default: those waiting for it),
 * refused_by_school, or any other state they went on to. 404 for a school the
 * caller does not manage; 400 status for an unknown state. */
#include "api/applications_api.h"
#include "api/schools_api.h"
#include "lib/limits.h"

const char *const api_school_approvals_params[] = {"status", "limit", "cursor", NULL};

void api_school_approvals_get(struct http_request *req)
{
    struct store_user user;
    const char *status = NULL;
    struct api_pager pager;
    if (api_current_user(req, &user) != 0 || api_query_param(req, "status", &status) != 0 ||
        api_pager_start(req, &pager, "approvals", NULL) != 0)
        return;
    if (status != NULL && application_status_parse(status) == APPLICATION_STATUS_UNKNOWN) {
        http_reply_error(req, ERR_INVALID_PARAMETER, "status", "must be a state of an application");
        return;
    }
    struct store_application *items = NULL;
    size_t count = 0;
    struct error err = {0};
    if (school_approvals(req->db, &req->arena, &user, http_param(req, "id"), status, &items, &count, &err) != 0) {
        api_school_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LONG_LIST);
    buf_append_str(&b, "{\"items\":[");
    for (size_t i = 0; i < count; i++) {
        if (!api_pager_take(&pager, &b, items[i].id))
            continue;
        api_write_application(&b, &items[i], NULL, 0);
    }
    if (api_pager_finish(req, &pager, &b) != 0)
        return;
    http_reply_json(req, 200, &b);
}
