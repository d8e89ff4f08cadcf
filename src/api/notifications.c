/* notifications.c — GET /api/v1/notifications (newest first, with the
 * unread count; `count`: the notices a grouped one stands for),
 * POST /api/v1/notifications/{id}/read and POST /api/v1/notifications/read-all
 * → 200 {"marked": n}. */
#include "api/applications_api.h"
#include "api/request_specs.h"
#include "lib/clock.h"
#include "lib/limits.h"

void api_notifications_list(struct http_request *req)
{
    struct store_notification *items;
    size_t count;
    int64_t unread = 0;
    if (store_notifications_list(req->db, &req->arena, req->auth.user_id, 50, &items, &count, &unread) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_DETAIL);
    buf_appendf(&b, "{\"unread\":%lld,\"items\":[", (long long)unread);
    for (size_t i = 0; i < count; i++) {
        char at[21];
        clock_format_rfc3339(items[i].created_at, at);
        buf_append_str(&b, i > 0 ? ",{\"id\":" : "{\"id\":");
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
    buf_append_str(&b, "]}");
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
