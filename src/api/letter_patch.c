/* letter_patch.c — PATCH /api/v1/letters/{id} {eras_letter_id?, waived?}:
 * the student adds the ERAS Letter ID or waives the right to see the letter
 * (never back: waived:false on a waived letter is 400). 404 when not theirs. */
#include "api/letters_api.h"
#include "api/request_specs.h"
#include "lib/limits.h"

struct patch_body {
    const char *eras_letter_id;
    bool waived;
};

const struct json_field api_letter_patch_spec[] = {
    JSON_STRING(struct patch_body, eras_letter_id, JSON_OPTIONAL, 1, ERAS_LETTER_ID_MAX_BYTES),
    JSON_BOOL(struct patch_body, waived, JSON_OPTIONAL),
    {0},
};

void api_letter_patch(struct http_request *req)
{
    const char *id = http_param(req, "id");
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct patch_body body = {0};
    struct json_presence presence = {0};
    if (api_parse_body(req, api_letter_patch_spec, &body, &presence) != 0)
        return;
    bool waive_sent = json_presence_has(api_letter_patch_spec, &presence, "waived");
    if (body.eras_letter_id == NULL && !waive_sent) {
        http_reply_error(req, ERR_VALIDATION_FAILED, NULL, "send eras_letter_id or waived");
        return;
    }
    if (!api_id_valid(id)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "no such letter");
        return;
    }
    struct store_letter letter = {0};
    struct error err = {0};
    if (letter_update(req->db, &req->arena, id, &user, body.eras_letter_id, waive_sent, body.waived, &letter,
                      &err) != 0) {
        api_letter_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    api_write_letter(&b, &letter);
    http_reply_json(req, 200, &b);
}
