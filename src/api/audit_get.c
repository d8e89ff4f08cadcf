/* audit_get.c — GET /api/v1/audit (staff): the append-only audit trail,
 * newest first, filtered by ?action= and ?actor=, paged by ?cursor=. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api/applications_api.h"
#include "domain/accounts.h"
#include "lib/clock.h"
#include "lib/limits.h"

const char *const api_audit_params[] = {"action", "actor", "limit", "cursor", NULL};

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
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_PAGE);
    buf_append_str(&b, "{\"items\":[");
    for (size_t i = 0; i < count; i++) {
        char at[21];
        clock_format_rfc3339(items[i].at, at);
        buf_appendf(&b, "%s{\"id\":%lld,\"at\":\"%s\",\"actor_id\":", i > 0 ? "," : "", (long long)items[i].id, at);
        buf_append_json_string(&b, items[i].actor_id);
        buf_append_str(&b, ",\"action\":");
        buf_append_json_string(&b, items[i].action);
        buf_append_str(&b, ",\"object_type\":");
        buf_append_json_string(&b, items[i].object_type);
        buf_append_str(&b, ",\"object_id\":");
        buf_append_json_string(&b, items[i].object_id);
        buf_append_str(&b, ",\"detail\":");
        buf_append_json_string(&b, items[i].detail);
        buf_append_char(&b, '}');
    }
    buf_append_str(&b, "],\"next_cursor\":");
    if (count == (size_t)limit)
        buf_appendf(&b, "\"%lld\"}", (long long)items[count - 1].id);
    else
        buf_append_str(&b, "null}");
    http_reply_json(req, 200, &b);
}
