/* waitlist_get.c — GET /api/v1/blocks/{id}/waitlist → {"items":[…]}: the
 * block's list in order with each student (a coordinator of its host, or
 * staff); to a student, their own place only (404 when not on it). */
#include "api/alerts_api.h"
#include "domain/waitlist.h"
#include "lib/limits.h"

void api_waitlist_get(struct http_request *req)
{
    struct store_user user;
    struct api_pager pager;
    if (api_current_user(req, &user) != 0 || api_pager_start(req, &pager, "waitlist", "ns") != 0)
        return;
    const char *block_id = http_param(req, "id");
    struct store_waitlist_entry *items = NULL, mine;
    size_t count = 0;
    struct error err = {0};
    bool manager = waitlist_of_block(req->db, &req->arena, &user, block_id, &items, &count, &err) == 0;
    if (!manager) {
        int rc = store_waitlist_active(req->db, &req->arena, block_id, user.id, &mine);
        if (rc != DB_ROW) {
            http_reply_error(req, rc == DB_DONE ? ERR_NOT_FOUND : ERR_UNAVAILABLE, NULL, "no such waitlist place");
            return;
        }
        items = &mine;
        count = 1;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    buf_append_str(&b, "{\"items\":[");
    for (size_t i = 0; i < count; i++) {
        if (!api_pager_take_keyed(&pager, &b, items[i].id, API_KEY({.n = items[i].position})))
            continue;
        api_write_waitlist_entry(&b, &items[i], manager);
    }
    if (api_pager_finish(req, &pager, &b) != 0)
        return;
    http_reply_json(req, 200, &b);
}
