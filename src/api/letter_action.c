/* letter_action.c — POST /api/v1/letters/{id}/{action}: accept, decline
 * {reason?} (the author, by account or X-Invitation-Token) and delivered
 * {eras_letter_id} (the author, the student or staff, signed in; the ID may
 * be left out when the student recorded it before) → 200 the
 * letter; 409 invalid_transition, 410 for a spent or expired link, 404 for
 * any other action or a letter the caller may not act on. */
#include <string.h>

#include "api/letters_api.h"
#include "api/request_specs.h"
#include "lib/limits.h"

struct action_body {
    const char *reason, *eras_letter_id;
};

const struct json_field api_letter_accept_spec[] = {
    {0},
};

const struct json_field api_letter_decline_spec[] = {
    JSON_TEXT(struct action_body, reason, JSON_OPTIONAL, 0, REASON_MAX_CHARS),
    {0},
};

const struct json_field api_letter_delivered_spec[] = {
    JSON_STRING(struct action_body, eras_letter_id, JSON_OPTIONAL, 1, ERAS_LETTER_ID_MAX_BYTES),
    {0},
};

const struct json_field *const api_letter_action_specs[] = {api_letter_accept_spec, api_letter_decline_spec,
                                                            api_letter_delivered_spec, NULL};

/* Recording the delivery needs an account; a link still says what is wrong with it. */
static void delivered_by_link(struct http_request *req, const char *id, const char *token)
{
    struct store_letter letter = {0};
    struct error err = {0};
    if (letter_by_token(req->db, &req->arena, token, &letter, &err) != 0) {
        api_letter_problem(req, &err);
        return;
    }
    if (letter.id == NULL || strcmp(letter.id, id) != 0) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "no such letter");
        return;
    }
    if (letter_state_of(&letter) != LETTER_UPLOADED) {
        http_reply_error(req, ERR_INVALID_TRANSITION, NULL, "the letter has not been uploaded yet");
        return;
    }
    http_reply_error(req, ERR_UNAUTHENTICATED, NULL, "log in to record the delivery to ERAS");
}

void api_letter_action(struct http_request *req)
{
    const char *id = http_param(req, "id");
    const char *action = http_param(req, "action");
    const struct json_field *spec = strcmp(action, "accept") == 0      ? api_letter_accept_spec
                                    : strcmp(action, "decline") == 0   ? api_letter_decline_spec
                                    : strcmp(action, "delivered") == 0 ? api_letter_delivered_spec
                                                                       : NULL;
    if (spec == NULL) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "there is no such action");
        return;
    }
    struct store_user user;
    struct letter_actor actor;
    if (api_letter_actor(req, NULL, &user, &actor) != 0)
        return;
    struct action_body body = {0};
    if (req->body_len > 0 && api_parse_body(req, spec, &body, NULL) != 0)
        return;
    if (!api_id_valid(id)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "no such letter");
        return;
    }
    struct store_letter letter = {0};
    struct error err = {0};
    int rc;
    if (spec == api_letter_accept_spec) {
        rc = letter_accept(req->db, &req->arena, id, &actor, &letter, &err);
    } else if (spec == api_letter_decline_spec) {
        rc = letter_decline(req->db, &req->arena, id, &actor, body.reason != NULL ? body.reason : "", &letter, &err);
    } else if (actor.user == NULL) {
        delivered_by_link(req, id, actor.token);
        return;
    } else {
        rc = letter_delivered(req->db, &req->arena, id, actor.user, body.eras_letter_id, &letter, &err);
    }
    if (rc != 0) {
        api_letter_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    api_write_letter(&b, &letter);
    http_reply_json(req, 200, &b);
}
