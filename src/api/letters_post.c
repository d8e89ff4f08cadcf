/* letters_post.c — POST /api/v1/letters {author_name, author_email,
 * preceptor_id?, application_id?, waived, eras_letter_id?} → 201 the letter
 * request; the author gets an invitation link by email. Students only (403
 * for others, from the domain); waived is required so that the student
 * makes the choice. At most 10 requests a day (429 with Retry-After) and one
 * open request per author address (409 letter_pending). */
#include "api/letters_api.h"
#include "api/request_specs.h"
#include "lib/limits.h"

struct letter_body {
    const char *author_name, *author_email, *preceptor_id, *application_id, *eras_letter_id;
    bool waived;
};

const struct json_field api_letters_post_spec[] = {
    JSON_STRING(struct letter_body, author_name, JSON_OPTIONAL, 1, PERSON_NAME_MAX_CHARS),
    JSON_EMAIL(struct letter_body, author_email, JSON_OPTIONAL),
    JSON_STRING(struct letter_body, preceptor_id, JSON_OPTIONAL, 1, ID_MAX_BYTES),
    JSON_STRING(struct letter_body, application_id, JSON_OPTIONAL, 1, ID_MAX_BYTES),
    JSON_BOOL(struct letter_body, waived, JSON_REQUIRED),
    JSON_STRING(struct letter_body, eras_letter_id, JSON_OPTIONAL, 1, ERAS_LETTER_ID_MAX_BYTES),
    {0},
};

void api_letters_post(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct letter_body body = {0};
    if (api_parse_body(req, api_letters_post_spec, &body, NULL) != 0)
        return;
    if (body.preceptor_id != NULL && !api_id_valid(body.preceptor_id)) {
        http_reply_error(req, ERR_VALIDATION_FAILED, "preceptor_id", "is not a preceptor id");
        return;
    }
    if (body.application_id != NULL && !api_id_valid(body.application_id)) {
        http_reply_error(req, ERR_VALIDATION_FAILED, "application_id", "is not an application id");
        return;
    }
    struct letter_request request = {
        .author_name = body.author_name,
        .author_email = body.author_email,
        .preceptor_id = body.preceptor_id,
        .application_id = body.application_id,
        .waived = body.waived,
        .eras_letter_id = body.eras_letter_id,
    };
    struct store_letter letter = {0};
    struct error err = {0};
    if (letter_request(req->db, &req->arena, &user, &request, &letter, &err) != 0) {
        http_retry_after(req, request.retry_after);
        api_letter_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    api_write_letter(&b, &letter);
    http_reply_json(req, 201, &b);
}
