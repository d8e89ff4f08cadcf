/* money_api.h — the endpoints of money (one file each) and the JSON they share:
 *
 *   POST /api/v1/applications/{id}/checkout   pay the deposit, the full price or the balance
 *   GET  /api/v1/applications/{id}/statement  what is owed, paid, refunded, and the refund table
 *   POST /api/v1/applications/{id}/refunds    a goodwill refund (staff)
 *   POST /api/v1/payments/webhooks/stripe     Stripe's signed events
 *   POST /api/v1/bank-transfers               a bank transfer that arrived (staff)
 *   GET  /api/v1/refunds, POST /api/v1/refunds/{id}/sent   refunds owed; sent by hand (staff)
 *   GET  /api/v1/payouts?month=, POST /api/v1/payouts      what each host is owed; a payout sent (staff)
 *   GET  /api/v1/earnings?month=              a host's earnings (its coordinators, staff) */
#ifndef ROUNDS_API_MONEY_API_H
#define ROUNDS_API_MONEY_API_H

#include "api/api.h"
#include "domain/money.h"

/* {"id","application_id","method","plan","amount_cents","currency","status",…} */
void api_write_checkout(struct buf *b, const struct money_checkout *c);
void api_write_payment(struct buf *b, const struct store_payment *p);
void api_write_refund(struct buf *b, const struct store_refund *r);
/* The whole statement of an application (GET …/statement). -1 after replying on a database failure. */
int api_write_statement(struct http_request *req, struct buf *b, const struct store_application *a);
/* ?month=YYYY-MM (default: this month, or last month when last is true); -1 after replying 400. */
int api_month_param(struct http_request *req, bool last, const char **month);

extern const char *const api_refunds_list_params[];
extern const char *const api_payouts_params[];
extern const char *const api_earnings_params[];

void api_checkout_post(struct http_request *req);
void api_statement_get(struct http_request *req);
void api_goodwill_post(struct http_request *req);
void api_stripe_webhook(struct http_request *req);
void api_bank_transfers_post(struct http_request *req);
void api_refunds_list(struct http_request *req);
void api_refund_sent(struct http_request *req);
void api_payouts_get(struct http_request *req);
void api_payouts_post(struct http_request *req);
void api_earnings_get(struct http_request *req);

#endif
