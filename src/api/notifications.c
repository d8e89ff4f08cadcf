/* notifications.c — GET /api/v1/notifications (newest first, with the
 * unread count) and POST /api/v1/notifications/{id}/read. */
#include "api/applications_api.h"
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
        buf_appendf(&b, ",\"created_at\":\"%s\",\"read\":%s}", at, items[i].read_at > 0 ? "true" : "false");
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
