/* payouts_post.c — POST /api/v1/payouts {organization_id, month, note}
 * (staff): the host's earnings of that month were paid out (by bank
 * transfer): a payout row and its ledger entry. 409 when already sent or when
 * nothing is owed; 422 for a month not yet over. → 201 the payout. */
#include <stdio.h>

#include "api/money_api.h"
#include "api/request_specs.h"
#include "domain/accounts.h"
#include "lib/clock.h"

struct payout_body {
    const char *organization_id, *month, *note;
};

const struct json_field api_payouts_post_spec[] = {
    JSON_STRING(struct payout_body, organization_id, JSON_REQUIRED, 1, 64),
    JSON_STRING(struct payout_body, month, JSON_REQUIRED, 7, 7),
    JSON_TEXT(struct payout_body, note, JSON_OPTIONAL, 0, REASON_MAX_CHARS),
    {0},
};

void api_payouts_post(struct http_request *req)
{
    struct store_user user;
    struct payout_body body = {0};
    if (api_current_user(req, &user) != 0)
        return;
    if (!account_has_role(&user, ROLE_STAFF)) {
        http_reply_error(req, ERR_FORBIDDEN, NULL, "only staff record payouts");
        return;
    }
    if (api_parse_body(req, api_payouts_post_spec, &body, NULL) != 0)
        return;
    char probe[11];
    snprintf(probe, sizeof(probe), "%.7s-01", body.month);
    if (!json_date_valid(probe)) {
        http_reply_error(req, ERR_VALIDATION_FAILED, "month", "must be a month YYYY-MM");
        return;
    }
    if (!api_id_valid(body.organization_id)) {
        http_reply_error(req, ERR_VALIDATION_FAILED, "organization_id", "is not an organisation id");
        return;
    }
    struct store_payout p;
    struct error err = {0};
    if (money_payout_mark_sent(req->db, &req->arena, &user, body.organization_id, body.month,
                               body.note != NULL ? body.note : "", &p, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, 4096);
    buf_append_str(&b, "{\"id\":");
    buf_append_json_string(&b, p.id);
    buf_append_str(&b, ",\"organization_id\":");
    buf_append_json_string(&b, p.organization_id);
    buf_append_str(&b, ",\"month\":");
    buf_append_json_string(&b, p.month);
    buf_appendf(&b, ",\"amount_cents\":%lld,\"currency\":\"USD\",\"note\":", (long long)p.amount_cents);
    buf_append_json_string(&b, p.note);
    char at[21];
    clock_format_rfc3339(p.sent_at, at);
    buf_appendf(&b, ",\"sent_at\":\"%s\"}", at);
    http_reply_json(req, 201, &b);
}
