/* deletion_requests_get.c — staff's view of account deletion requests:
 *   GET /api/v1/deletion-requests?state=pending|cancelled|completed (staff; default pending,
 *       oldest due first) → {items:[request with user]}; 403 for others
 *   GET /api/v1/deletion-requests/{id} → the request (staff, or its own person; anyone else 404) */
#include <string.h>

#include "api/deletions_api.h"
#include "domain/accounts.h"
#include "lib/limits.h"

const char *const api_deletion_requests_params[] = {"state", "limit", "cursor", NULL};

/* The list's sort key: oldest due first (pending), newest first (others). */
static int64_t sort_key(const struct store_deletion_request *r)
{
    return strcmp(r->state, "pending") == 0 ? r->due_at : -r->requested_at;
}

void api_deletion_requests_get(struct http_request *req)
{
    struct store_user user;
    struct api_pager pager;
    if (api_current_user(req, &user) != 0 || api_pager_start(req, &pager, "deletions", "ns") != 0)
        return;
    if (!account_has_role(&user, ROLE_STAFF)) {
        http_reply_error(req, ERR_FORBIDDEN, NULL, "only staff see deletion requests");
        return;
    }
    const char *state = NULL;
    if (api_query_param(req, "state", &state) != 0)
        return;
    if (state == NULL)
        state = "pending";
    if (strcmp(state, "pending") != 0 && strcmp(state, "cancelled") != 0 && strcmp(state, "completed") != 0) {
        http_reply_error(req, ERR_INVALID_PARAMETER, "state", "must be pending, cancelled or completed");
        return;
    }
    struct store_deletion_request *items = NULL;
    size_t count = 0;
    /* A page and one more (whether there is a next page), after the cursor's key, in the store. */
    if (store_deletion_requests_page(req->db, &req->arena, state, pager.cursor.parts[0].n,
                                     pager.has_cursor ? pager.cursor.id : NULL, pager.page.limit + 1, &items,
                                     &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    api_pager_paged_in_store(&pager);
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LONG_LIST);
    buf_append_str(&b, "{\"items\":[");
    for (size_t i = 0; i < count; i++) {
        if (!api_pager_take_keyed(&pager, &b, items[i].id, API_KEY({.n = sort_key(&items[i])})))
            continue;
        api_write_deletion_request(&b, &items[i], true);
    }
    if (api_pager_finish(req, &pager, &b) != 0)
        return;
    http_reply_json(req, 200, &b);
}

void api_deletion_request_get(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct store_deletion_request r;
    struct error err = {0};
    if (deletion_get(req->db, &req->arena, http_param(req, "id"), &user, &r, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_SMALL);
    api_write_deletion_request(&b, &r, account_has_role(&user, ROLE_STAFF));
    http_reply_json(req, 200, &b);
}
