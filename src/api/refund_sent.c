/* refund_sent.c — POST /api/v1/refunds/{id}/sent (staff): a refund sent by
 * hand (bank transfer, or a payment taken by hand) is marked sent, with its
 * ledger entry. 409 when already sent or when it goes back through Stripe. */
#include "api/money_api.h"

void api_refund_sent(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct error err = {0};
    const char *id = http_param(req, "id");
    if (money_refund_mark_sent(req->db, &req->arena, &user, id, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct store_refund r;
    if (store_refund_get(req->db, &req->arena, id, &r) != DB_ROW) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, 8 * 1024);
    api_write_refund(&b, &r);
    http_reply_json(req, 200, &b);
}
