/* visa_letter_post.c — POST /api/v1/applications/{id}/visa-letter
 * {passport_name, passport_number, nationality, consulate_city} (the student
 * of a booked rotation) → 201 the request, waiting for staff or the host to
 * approve it. 404 for anyone else's rotation and one not booked, 409
 * already_submitted the second time, 400 naming a field. */
#include "api/certificates_api.h"
#include "api/request_specs.h"
#include "domain/visa_letters.h"
#include "lib/limits.h"

struct visa_body {
    const char *passport_name, *passport_number, *nationality, *consulate_city;
};

const struct json_field api_visa_letter_post_spec[] = {
    JSON_STRING(struct visa_body, passport_name, JSON_REQUIRED, 1, PERSON_NAME_MAX_CHARS),
    JSON_STRING(struct visa_body, passport_number, JSON_REQUIRED, 1, 20),
    JSON_STRING(struct visa_body, nationality, JSON_REQUIRED, 1, COUNTRY_MAX_CHARS),
    JSON_STRING(struct visa_body, consulate_city, JSON_REQUIRED, 1, SITE_CITY_MAX_CHARS),
    {0},
};

void api_visa_letter_post(struct http_request *req)
{
    struct store_user user;
    struct visa_body body = {0};
    if (api_current_user(req, &user) != 0 || api_parse_body(req, api_visa_letter_post_spec, &body, NULL) != 0)
        return;
    struct visa_letter_input in = {body.passport_name, body.passport_number, body.nationality, body.consulate_city};
    struct store_visa_letter v;
    struct error err = {0};
    if (visa_letter_request(req->db, &req->arena, &user, http_param(req, "id"), &in, &v, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_DETAIL);
    api_write_visa_letter(req, &b, &v);
    http_reply_json(req, 201, &b);
}

void api_visa_letter_approve(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct store_certificate letter;
    struct error err = {0};
    if (visa_letter_approve(req->db, &req->arena, &user, http_param(req, "id"), &letter, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    api_write_certificate(&b, &req->arena, &letter);
    http_reply_json(req, 200, &b);
}
