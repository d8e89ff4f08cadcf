/* calendar_feed.c — the calendar feed (domain/calendar_feed.h):
 *
 *   GET    /calendar/{token}.ics   the feed (text/calendar), for any calendar
 *                                  program; 404 for a token that is malformed,
 *                                  unknown or revoked (the path is logged masked)
 *   GET    /api/v1/me/calendar     {"active", "created_at"}
 *   POST   /api/v1/me/calendar     201 {"url", "token"}: a new address (the old one stops)
 *   DELETE /api/v1/me/calendar     204; 404 when there is none */
#include <string.h>

#include "api/rotation_api.h"
#include "domain/calendar_feed.h"
#include "lib/limits.h"

void api_calendar_feed(struct http_request *req)
{
    const char *file = http_param(req, "token");
    size_t len = file != NULL ? strlen(file) : 0;
    if (len < 5 || strcmp(file + len - 4, ".ics") != 0) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "no such calendar");
        return;
    }
    const char *token = arena_strndup(&req->arena, file, len - 4);
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LONG_LIST);
    struct error err = {0};
    if (token == NULL || calendar_feed_render(req->db, &req->arena, token, &b, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    http_reply(req, 200, "text/calendar; charset=utf-8", b.data, b.len);
}

void api_me_calendar_get(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    bool active = false;
    int64_t created_at = 0;
    struct error err = {0};
    if (calendar_feed_state(req->db, &user, &active, &created_at, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_SMALL);
    buf_appendf(&b, "{\"active\":%s", active ? "true" : "false");
    api_write_instant(&b, "created_at", created_at);
    buf_append_char(&b, '}');
    http_reply_json(req, 200, &b);
}

void api_me_calendar_post(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    char token[44];
    struct error err = {0};
    if (calendar_feed_issue(req->db, &user, token, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf url, b;
    buf_init(&url, &req->arena, BUF_CAP_LINE);
    calendar_feed_url(&url, token);
    buf_init(&b, &req->arena, BUF_CAP_SMALL);
    buf_append_str(&b, "{\"url\":");
    buf_append_json_string(&b, url.data);
    buf_append_str(&b, ",\"token\":");
    buf_append_json_string(&b, token);
    buf_append_char(&b, '}');
    http_reply_json(req, 201, &b);
}

void api_me_calendar_delete(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct error err = {0};
    if (calendar_feed_revoke(req->db, &user, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    http_reply_empty(req, 204);
}
