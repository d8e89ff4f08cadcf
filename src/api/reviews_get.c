/* reviews_get.c — GET /api/v1/offerings/{id}/reviews (anyone) → the
 * offering's verified reviews, newest first: {count, average (one decimal,
 * null when none), items}. Staff also see hidden ones (marked). */
#include "api/evaluations_api.h"

#include "domain/accounts.h"
#include "lib/limits.h"

void api_reviews_get(struct http_request *req)
{
    struct store_user user;
    bool signed_in = req->auth.authenticated && req->auth.user_id != NULL;
    if (signed_in && api_current_user(req, &user) != 0)
        return;
    struct review_list list;
    struct error err = {0};
    if (reviews_of_offering(req->db, &req->arena, signed_in ? &user : NULL, http_param(req, "id"), &list, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    bool staff = signed_in && account_has_role(&user, ROLE_STAFF);
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LONG_LIST);
    buf_appendf(&b, "{\"count\":%lld,\"average\":", (long long)list.shown_count);
    if (list.shown_count > 0)
        buf_appendf(&b, "%lld.%lld", (long long)(list.average_tenths / 10), (long long)(list.average_tenths % 10));
    else
        buf_append_str(&b, "null");
    buf_append_str(&b, ",\"items\":[");
    for (size_t i = 0; i < list.count; i++) {
        if (i > 0)
            buf_append_char(&b, ',');
        api_write_review(&b, &list.items[i], staff);
    }
    buf_append_str(&b, "]}");
    http_reply_json(req, 200, &b);
}
