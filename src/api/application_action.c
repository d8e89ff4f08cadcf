/* application_action.c — POST /api/v1/applications/{id}/{action}
 * (Idempotency-Key) {note, reason, override_reason} → 200 the application with
 * its history, or 409 invalid_transition / block_full / hold_expired /
 * rotation_not_started / rotation_not_ended (staff may send override_reason
 * to start or complete outside the dates); 404 when the caller may not see
 * the application or the action does not exist. `reason` names why a booking
 * is cancelled, for the refund (domain/refunds.h): staff may say
 * cannot_happen or visa_refused; otherwise a student's cancellation is the
 * student's and the host side's is the host's. */
#include "api/applications_api.h"
#include "api/request_specs.h"
#include "domain/applications.h"
#include "domain/catalog_index.h"
#include "lib/limits.h"
#include "domain/accounts.h"
#include "domain/money.h"

#include <string.h>

struct action_body {
    const char *note, *reason, *override_reason;
};

static const char *const reasons[] = {"host", "cannot_happen", "visa_refused", NULL};

const struct json_field api_application_action_spec[] = {
    JSON_TEXT(struct action_body, note, JSON_OPTIONAL, 0, NOTE_MAX_CHARS),
    JSON_ENUM(struct action_body, reason, JSON_OPTIONAL, reasons),
    JSON_TEXT(struct action_body, override_reason, JSON_OPTIONAL, 1, NOTE_MAX_CHARS),
    {0},
};

void api_application_action(struct http_request *req)
{
    const char *id = http_param(req, "id");
    const char *action = http_param(req, "action");
    if (!application_action_known(action)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "there is no such action");
        return;
    }
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    const char *key = NULL;
    if (api_idempotency_begin(req, &key) != 0)
        return;
    struct action_body body = {0};
    struct error err = {0};
    if (req->body_len > 0 &&
        json_spec_parse(&req->arena, req->body, req->body_len, api_application_action_spec, &body, NULL, &err) != 0) {
        api_idempotent_problem(req, key, &err);
        return;
    }
    enum refund_cause cause = REFUND_CAUSE_STUDENT;
    if (body.reason != NULL) {
        money_cause_from_name(body.reason, &cause);
        if (strcmp(action, "cancel") != 0 || (cause != REFUND_CAUSE_HOST && !account_has_role(&user, ROLE_STAFF))) {
            error_set(&err, ERR_VALIDATION_FAILED, "reason",
                      "only a cancellation takes a reason, and only staff may say cannot_happen or visa_refused");
            api_idempotent_problem(req, key, &err);
            return;
        }
    }
    struct store_application a = {0};
    if (application_move(req->db, &req->arena, id, action, &user, body.note != NULL ? body.note : "", cause,
                         body.override_reason, &a, &err) != 0) {
        api_idempotent_problem(req, key, &err);
        return;
    }
    catalog_index_sync(req->db); /* seats left changed */
    struct store_application_event *events;
    size_t count = 0;
    if (store_application_events(req->db, &req->arena, a.id, &events, &count) != DB_OK)
        events = NULL;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_DETAIL);
    api_write_application(&b, &a, events, count);
    api_idempotent_reply(req, key, 200, &b);
}
