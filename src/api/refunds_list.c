/* refunds_list.c — GET /api/v1/refunds?provider= (staff): the refunds still
 * owed, oldest first — those staff send by hand (bank transfer, payments by
 * hand) and Stripe's that have not gone through yet (with the last error). */
#include <string.h>

#include "api/money_api.h"
#include "domain/accounts.h"
#include "lib/clock.h"

const char *const api_refunds_list_params[] = {"provider", "limit", "cursor", NULL};

void api_refunds_list(struct http_request *req)
{
    struct store_user user;
    struct api_pager pager;
    if (api_current_user(req, &user) != 0 || api_pager_start(req, &pager, "refunds", "ns") != 0)
        return;
    if (!account_has_role(&user, ROLE_STAFF)) {
        http_reply_error(req, ERR_FORBIDDEN, NULL, "only staff see the refunds owed");
        return;
    }
    const char *provider = NULL;
    if (api_query_param(req, "provider", &provider) != 0)
        return;
    enum payment_method method;
    if (provider != NULL && !payment_method_from_name(provider, &method)) {
        http_reply_error(req, ERR_INVALID_PARAMETER, "provider", "must be stripe, bank_transfer, demo or manual");
        return;
    }
    struct store_refund *owed;
    size_t count = 0;
    /* Every refund owed, whenever its next attempt is due: a page and one more, after the cursor's key. */
    if (store_refunds_owed_page(req->db, &req->arena, provider, pager.cursor.parts[0].n,
                                pager.has_cursor ? pager.cursor.id : NULL, pager.page.limit + 1, &owed,
                                &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    api_pager_paged_in_store(&pager);
    struct buf b;
    buf_init(&b, &req->arena, 512 * 1024);
    buf_append_str(&b, "{\"items\":[");
    for (size_t i = 0; i < count; i++) {
        if (!api_pager_take_keyed(&pager, &b, owed[i].id, API_KEY({.n = owed[i].created_at})))
            continue;
        api_write_refund(&b, &owed[i]);
    }
    if (api_pager_finish(req, &pager, &b) != 0)
        return;
    http_reply_json(req, 200, &b);
}
