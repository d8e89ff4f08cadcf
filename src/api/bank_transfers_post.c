/* bank_transfers_post.c — POST /api/v1/bank-transfers {reference,
 * amount_cents, received_on, note} (staff): a bank transfer that arrived,
 * recorded against the checkout with that reference. Any amount: less than
 * asked is recorded (what is still due shows), more is owed back (a refund to
 * send by transfer); the difference from what was asked is shown to staff.
 * A held seat whose deposit is now covered is booked. → 201 the payment. */
#include "api/money_api.h"
#include "api/request_specs.h"
#include "domain/accounts.h"
#include "domain/catalog_index.h"

struct transfer_body {
    const char *reference, *received_on, *note;
    int64_t amount_cents;
};

const struct json_field api_bank_transfers_post_spec[] = {
    JSON_STRING(struct transfer_body, reference, JSON_REQUIRED, 1, BANK_REFERENCE_MAX_BYTES),
    JSON_INT(struct transfer_body, amount_cents, JSON_REQUIRED, 1, MONEY_AMOUNT_MAX_CENTS),
    JSON_DATE(struct transfer_body, received_on, JSON_REQUIRED),
    JSON_TEXT(struct transfer_body, note, JSON_OPTIONAL, 0, REASON_MAX_CHARS),
    {0},
};

void api_bank_transfers_post(struct http_request *req)
{
    struct store_user user;
    struct transfer_body body = {0};
    if (api_current_user(req, &user) != 0)
        return;
    if (!account_has_role(&user, ROLE_STAFF)) {
        http_reply_error(req, ERR_FORBIDDEN, NULL, "only staff record bank transfers");
        return;
    }
    if (api_parse_body(req, api_bank_transfers_post_spec, &body, NULL) != 0)
        return;
    struct store_payment p;
    struct error err = {0};
    if (money_record_transfer(req->db, &req->arena, &user, body.reference, body.amount_cents, body.received_on,
                              body.note, &p, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    catalog_index_sync(req->db);
    struct buf b;
    buf_init(&b, &req->arena, 8 * 1024);
    api_write_payment(&b, &p);
    http_reply_json(req, 201, &b);
}
