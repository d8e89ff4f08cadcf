/* applications_get.c — GET /api/v1/applications (the caller's own as a
 * student, those to the caller's offerings as host coordinator or
 * preceptor, their students' as coach, all for staff; ?status=&offering=&block=&limit=&cursor=) and
 * GET /api/v1/applications/{id} with its history. */
#include <stdlib.h>
#include <string.h>

#include "api/applications_api.h"
#include "domain/accounts.h"
#include "domain/applications.h"
#include "lib/limits.h"

const char *const api_applications_list_params[] = {"status", "offering", "block", "limit", "cursor", NULL};

void api_applications_list(struct http_request *req)
{
    struct http_kv_list *query;
    struct store_user user;
    struct api_page page;
    if (http_query(req, &query) != 0 || api_current_user(req, &user) != 0 || api_list_params(req, &page) != 0)
        return;
    struct store_application_filter f = {.limit = page.limit, .after_id = page.cursor};
    f.status = http_kv_get(query, "status");
    f.offering_id = http_kv_get(query, "offering");
    f.block_id = http_kv_get(query, "block");
    /* An empty value (an untouched filter) means "any", as in the catalog search. */
    if (f.status != NULL && f.status[0] == '\0')
        f.status = NULL;
    if (f.offering_id != NULL && f.offering_id[0] == '\0')
        f.offering_id = NULL;
    if (f.block_id != NULL && f.block_id[0] == '\0')
        f.block_id = NULL;
    if (f.status != NULL && application_status_parse(f.status) == APPLICATION_STATUS_UNKNOWN) {
        http_reply_error(req, ERR_INVALID_PARAMETER, "status", "is not an application status");
        return;
    }
    /* What the caller sees: own applications, their hosts', their offerings', or all. */
    f.all = account_has_role(&user, ROLE_STAFF);
    f.student_id = user.id;
    f.preceptor_user_id = user.id;
    f.coach_user_id = account_has_role(&user, ROLE_COACH) ? user.id : NULL;
    f.organization_ids = account_organization_ids(&req->arena, &user, ROLE_HOST_COORDINATOR);

    struct store_application *items;
    size_t count;
    if (store_applications_list(req->db, &req->arena, &f, &items, &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    buf_append_str(&b, "{\"items\":[");
    for (size_t i = 0; i < count; i++) {
        if (i > 0)
            buf_append_char(&b, ',');
        api_write_application(&b, &items[i], NULL, 0);
    }
    buf_append_str(&b, "],\"next_cursor\":");
    buf_append_json_string(&b, count == (size_t)f.limit ? items[count - 1].id : NULL);
    buf_append_char(&b, '}');
    http_reply_json(req, 200, &b);
}

void api_application_get(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct store_application a = {0};
    struct error err = {0};
    if (application_get_visible(req->db, &req->arena, http_param(req, "id"), &user, "read", &a, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct store_application_event *events;
    size_t count = 0;
    if (store_application_events(req->db, &req->arena, a.id, &events, &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_DETAIL);
    api_write_application(&b, &a, events, count);
    http_reply_json(req, 200, &b);
}
