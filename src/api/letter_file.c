/* letter_file.c — GET /api/v1/letters/{id}/file: the latest version's PDF, as
 * an attachment, for the author (by account or X-Invitation-Token) and
 * staff; for the student only when the letter is not waived (403
 * letter_confidential otherwise). The domain audits every read. */
#include "api/letters_api.h"

void api_letter_file(struct http_request *req)
{
    const char *id = http_param(req, "id");
    struct store_user user;
    struct letter_actor actor;
    if (api_letter_actor(req, NULL, &user, &actor) != 0)
        return;
    if (!api_id_valid(id)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "no such letter");
        return;
    }
    const char *data = NULL;
    size_t len = 0;
    struct error err = {0};
    if (letter_read_file(req->db, &req->arena, id, &actor, &data, &len, &err) != 0) {
        api_letter_problem(req, &err);
        return;
    }
    http_reply_file(req, "application/pdf", "letter.pdf", false, data, len);
}
