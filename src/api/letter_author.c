/* letter_author.c — POST /api/v1/letters/{id}/author {npi} (staff): staff
 * confirm that the author of a request made by name and email is the
 * verified preceptor with this NPI → 200 the letter, which now counts as
 * from a U.S. physician. 404 for anybody but staff, 400/422 naming npi, 409
 * conflict for a letter asked of a preceptor already. Audited. */
#include "api/letters_api.h"
#include "api/request_specs.h"
#include "domain/letters.h"
#include "lib/limits.h"

struct author_body {
    const char *npi;
};

const struct json_field api_letter_author_spec[] = {
    JSON_STRING(struct author_body, npi, JSON_REQUIRED, 1, NPI_BYTES),
    {0},
};

void api_letter_author(struct http_request *req)
{
    struct store_user user;
    struct author_body body = {0};
    if (api_current_user(req, &user) != 0 || api_parse_body(req, api_letter_author_spec, &body, NULL) != 0)
        return;
    struct store_letter letter;
    struct error err = {0};
    if (letter_confirm_author(req->db, &req->arena, http_param(req, "id"), &user, body.npi, &letter, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    api_write_letter(&b, &letter);
    http_reply_json(req, 200, &b);
}
