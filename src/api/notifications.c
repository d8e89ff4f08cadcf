/* notifications.c — GET /api/v1/notifications?limit=&cursor= (newest first,
 * a page at a time, with the unread count; `count`: the notices a grouped one
 * stands for),
 * POST /api/v1/notifications/{id}/read and POST /api/v1/notifications/read-all
 * → 200 {"marked": n}. */
#include "api/applications_api.h"
#include "api/request_specs.h"
#include "lib/clock.h"
#include "lib/limits.h"

void api_notifications_list(struct http_request *req)
{
    struct api_pager pager;
    if (api_pager_start(req, &pager, "notifications", "NS") != 0)
        return;
    struct store_notification *items;
    size_t count;
    int64_t unread = 0;
    /* A page and one more (whether there is a next page), after the cursor's key, in the store. */
    if (store_notifications_unread(req->db, req->auth.user_id, &unread) != DB_OK ||
        store_notifications_page(req->db, &req->arena, req->auth.user_id, pager.cursor.parts[0].n,
                                 pager.has_cursor ? pager.cursor.id : NULL, pager.page.limit + 1, &items,
                                 &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    api_pager_paged_in_store(&pager);
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_DETAIL);
    buf_appendf(&b, "{\"unread\":%lld,\"items\":[", (long long)unread);
    for (size_t i = 0; i < count; i++) {
        if (!api_pager_take_keyed(&pager, &b, items[i].id, API_KEY({.n = items[i].created_at})))
            continue;
        char at[21];
        clock_format_rfc3339(items[i].created_at, at);
        buf_append_str(&b, "{\"id\":");
        buf_append_json_string(&b, items[i].id);
        buf_append_str(&b, ",\"kind\":");
        buf_append_json_string(&b, items[i].kind);
        buf_append_str(&b, ",\"title\":");
        buf_append_json_string(&b, items[i].title);
        buf_append_str(&b, ",\"link\":");
        buf_append_json_string(&b, items[i].link);
        buf_appendf(&b, ",\"created_at\":\"%s\",\"read\":%s,\"count\":%lld}", at,
                    items[i].read_at > 0 ? "true" : "false", (long long)items[i].notice_count);
    }
    if (api_pager_finish(req, &pager, &b) != 0)
        return;
    http_reply_json(req, 200, &b);
}

void api_notification_read(struct http_request *req)
{
    int rc = store_notification_read(req->db, req->auth.user_id, http_param(req, "id"), clock_now());
    if (rc == DB_DONE) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "no such notification");
        return;
    }
    if (rc != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    http_reply_empty(req, 204);
}

const struct json_field api_notifications_read_all_spec[] = {
    {0},
};

void api_notifications_read_all(struct http_request *req)
{
    char none;
    if (req->body_len > 0 && api_parse_body(req, api_notifications_read_all_spec, &none, NULL) != 0)
        return; /* an empty body or {} only */
    int64_t marked = 0;
    if (store_notifications_read_all(req->db, req->auth.user_id, clock_now(), &marked) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LINE);
    buf_appendf(&b, "{\"marked\":%lld}", (long long)marked);
    http_reply_json(req, 200, &b);
}
