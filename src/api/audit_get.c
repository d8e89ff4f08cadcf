/* audit_get.c — GET /api/v1/audit (staff): the append-only audit trail,
 * newest first, filtered by ?action= and ?actor=, paged by ?cursor=; each
 * event as stored and in words (action_label, actor_name, actor_role,
 * object_label, detail_label). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api/applications_api.h"
#include "domain/accounts.h"
#include "domain/audit.h"
#include "lib/clock.h"
#include "lib/limits.h"

const char *const api_audit_params[] = {"action", "actor", "limit", "cursor", NULL};

/* One event: the stored fields, then the same in words (domain/audit.h). */
static void write_event(struct buf *b, const struct audit_line *line)
{
    const struct store_audit_event *e = line->event;
    char at[21];
    clock_format_rfc3339(e->at, at);
    buf_appendf(b, "{\"id\":%lld,\"at\":\"%s\",\"actor_id\":", (long long)e->id, at);
    buf_append_json_string(b, e->actor_id);
    buf_append_str(b, ",\"action\":");
    buf_append_json_string(b, e->action);
    buf_append_str(b, ",\"object_type\":");
    buf_append_json_string(b, e->object_type);
    buf_append_str(b, ",\"object_id\":");
    buf_append_json_string(b, e->object_id);
    buf_append_str(b, ",\"detail\":");
    buf_append_json_string(b, e->detail);
    buf_append_str(b, ",\"action_label\":");
    buf_append_json_string(b, line->action_label);
    buf_append_str(b, ",\"actor_name\":");
    buf_append_json_string(b, line->actor_name);
    buf_append_str(b, ",\"actor_role\":");
    buf_append_json_string(b, line->actor_role);
    buf_append_str(b, ",\"object_label\":");
    buf_append_json_string(b, line->object_label);
    buf_append_str(b, ",\"detail_label\":");
    buf_append_json_string(b, line->detail_label);
    buf_append_char(b, '}');
}

void api_audit_list(struct http_request *req)
{
    struct store_user user;
    struct http_kv_list *query;
    struct api_page page;
    if (api_current_user(req, &user) != 0 || http_query(req, &query) != 0)
        return;
    if (!account_has_role(&user, ROLE_STAFF)) {
        http_reply_error(req, ERR_FORBIDDEN, NULL, "only staff read the audit trail");
        return;
    }
    if (api_list_params(req, &page) != 0)
        return;
    long long limit = page.limit, before = 0;
    char *end = NULL;
    errno = 0;
    if (page.cursor != NULL &&
        ((before = strtoll(page.cursor, &end, 10)) < 1 || *end != '\0' || errno == ERANGE)) {
        http_reply_error(req, ERR_INVALID_PARAMETER, "cursor", "is not a cursor of this list");
        return;
    }
    struct store_audit_event *items;
    size_t count;
    if (store_audit_list(req->db, &req->arena, http_kv_get(query, "action"), http_kv_get(query, "actor"), before,
                         (int)limit, &items, &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct audit_line *lines;
    if (audit_describe(req->db, &req->arena, items, count, &lines) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_PAGE);
    buf_append_str(&b, "{\"items\":[");
    for (size_t i = 0; i < count; i++) {
        if (i > 0)
            buf_append_char(&b, ',');
        write_event(&b, &lines[i]);
    }
    buf_append_str(&b, "],\"next_cursor\":");
    if (count == (size_t)limit)
        buf_appendf(&b, "\"%lld\"}", (long long)items[count - 1].id);
    else
        buf_append_str(&b, "null}");
    http_reply_json(req, 200, &b);
}
