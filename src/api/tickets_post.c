/* tickets_post.c — POST /api/v1/tickets {category, urgency?, subject, body,
 * application_id?} (anyone signed in) → 201 the ticket with its due times;
 * safety is always urgent. 413 naming subject or body over their limits, 404
 * for an application the caller may not see. */
#include "api/support_api.h"
#include "api/request_specs.h"
#include "domain/vocabulary.h"
#include "lib/limits.h"

struct ticket_body {
    const char *category, *urgency, *subject, *body, *application_id;
};

const struct json_field api_tickets_post_spec[] = {
    JSON_ENUM(struct ticket_body, category, JSON_REQUIRED, ticket_category_names),
    JSON_ENUM(struct ticket_body, urgency, JSON_OPTIONAL, ticket_urgency_names),
    JSON_TEXT(struct ticket_body, subject, JSON_REQUIRED, 1, API_SUPPORT_TEXT_PARSE_MAX),
    JSON_TEXT(struct ticket_body, body, JSON_REQUIRED, 1, API_SUPPORT_TEXT_PARSE_MAX),
    JSON_STRING(struct ticket_body, application_id, JSON_OPTIONAL, 1, ID_MAX_BYTES),
    {0},
};

void api_tickets_post(struct http_request *req)
{
    struct store_user user;
    struct ticket_body body = {0};
    if (api_current_user(req, &user) != 0 || api_parse_body(req, api_tickets_post_spec, &body, NULL) != 0)
        return;
    struct ticket_input in = {body.category, body.urgency, body.subject, body.body, body.application_id};
    struct store_ticket t;
    struct error err = {0};
    if (ticket_open(req->db, &req->arena, &user, &in, &t, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_DETAIL);
    api_write_ticket(&b, &t, clock_now());
    http_reply_json(req, 201, &b);
}
