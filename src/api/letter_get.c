/* letter_get.c — GET /api/v1/letters/{id}: the letter request as its student,
 * its author (by account, or without one by the X-Invitation-Token header)
 * or staff see it; 404 for everybody else, 410 for a spent or expired link. */
#include "api/letters_api.h"
#include "lib/limits.h"

void api_letter_get(struct http_request *req)
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
    struct store_letter letter = {0};
    struct error err = {0};
    if (letter_get_for_actor(req->db, &req->arena, id, &actor, &letter, &err) != 0) {
        api_letter_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    api_write_letter(&b, &letter);
    http_reply_json(req, 200, &b);
}
