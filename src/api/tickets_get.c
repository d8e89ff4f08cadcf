/* tickets_get.c — GET /api/v1/tickets?status=open|all: the queue the caller
 * sees (staff every ticket, a coach their students' and their assignments,
 * anyone else the tickets they opened), by the next due time, with breaches. */
#include <string.h>

#include "api/support_api.h"
#include "lib/limits.h"

const char *const api_tickets_params[] = {"status", "limit", "cursor", NULL};

void api_tickets_get(struct http_request *req)
{
    struct store_user user;
    const char *status = NULL;
    struct api_pager pager;
    if (api_current_user(req, &user) != 0 || api_query_param(req, "status", &status) != 0 ||
        api_pager_start(req, &pager, "tickets", NULL) != 0)
        return;
    if (status != NULL && strcmp(status, "open") != 0 && strcmp(status, "all") != 0) {
        http_reply_error(req, ERR_INVALID_PARAMETER, "status", "must be open or all");
        return;
    }
    struct store_ticket *items;
    size_t count;
    struct error err = {0};
    if (ticket_queue(req->db, &req->arena, &user, status != NULL && strcmp(status, "all") == 0, &items, &count,
                     &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    int64_t now = clock_now();
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LONG_LIST);
    buf_append_str(&b, "{\"items\":[");
    for (size_t i = 0; i < count; i++) {
        if (!api_pager_take(&pager, &b, items[i].id))
            continue;
        api_write_ticket(&b, &items[i], now);
    }
    if (api_pager_finish(req, &pager, &b) != 0)
        return;
    http_reply_json(req, 200, &b);
}
