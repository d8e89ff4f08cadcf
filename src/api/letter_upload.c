/* letter_upload.c — POST /api/v1/letters/{id}/upload (multipart: file, and
 * token when the author has no account and sends no X-Invitation-Token) →
 * 200 the letter, uploaded. The PDF is checked by the domain (after who
 * is asking): 400 when empty, 413 over 1,000,000 bytes, 415 when it is not a
 * PDF by its content; a new version keeps the old ones. */
#include "api/letters_api.h"
#include "lib/limits.h"

void api_letter_upload(struct http_request *req)
{
    const char *id = http_param(req, "id");
    struct store_user user;
    struct letter_actor actor;
    static const char *const text_parts[] = {"token", NULL};
    if (api_check_parts(req, text_parts) != 0 || api_letter_actor(req, http_form(req, "token"), &user, &actor) != 0)
        return;
    if (!api_id_valid(id)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "no such letter");
        return;
    }
    const struct http_part *file = http_part(req, "file");
    if (file == NULL) {
        http_reply_error(req, ERR_VALIDATION_FAILED, "file", "attach the letter as a PDF file");
        return;
    }
    struct store_letter letter = {0};
    struct error err = {0};
    if (letter_upload(req->db, &req->arena, id, &actor, file->data, file->len, &letter, &err) != 0) {
        api_letter_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    api_write_letter(&b, &letter);
    http_reply_json(req, 200, &b);
}
