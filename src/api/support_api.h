/* support_api.h — the endpoints of support during the rotation (one file
 * each): weekly check-ins and support tickets. */
#ifndef ROUNDS_API_SUPPORT_API_H
#define ROUNDS_API_SUPPORT_API_H

#include "api/api.h"
#include "domain/check_ins.h"
#include "domain/support.h"
#include "lib/clock.h"

/* Texts are parsed up to this many characters; the domain refuses those over
 * their own limit with 413 naming the field (the route's body cap bounds it). */
#define API_SUPPORT_TEXT_PARSE_MAX 100000

void api_write_check_in(struct buf *b, const struct store_check_in *c);
/* The ticket with its due times and whether they are breached (now). */
void api_write_ticket(struct buf *b, const struct store_ticket *t, int64_t now);

extern const char *const api_tickets_params[];
extern const char *const api_ticket_figures_params[];

void api_check_ins_post(struct http_request *req);
void api_check_ins_get(struct http_request *req);
void api_tickets_post(struct http_request *req);
void api_tickets_get(struct http_request *req);
void api_ticket_get(struct http_request *req);
void api_ticket_reply(struct http_request *req);
void api_ticket_action(struct http_request *req);
void api_ticket_figures(struct http_request *req);

#endif
