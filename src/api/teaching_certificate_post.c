/* teaching_certificate_post.c — POST /api/v1/me/teaching-certificate {year}
 * (a preceptor) → 201 the year's teaching certificate, signed and verifiable
 * like a certificate of completion (200 the same one again). 422 naming year
 * while the year is not over, 409 when it has no completed rotation, 403 for
 * other roles. */
#include "api/certificates_api.h"
#include "api/request_specs.h"
#include "domain/teaching.h"
#include "lib/limits.h"

struct teaching_body {
    int64_t year;
};

const struct json_field api_teaching_certificate_post_spec[] = {
    JSON_INT(struct teaching_body, year, JSON_REQUIRED, 0, 9999),
    {0},
};

void api_teaching_certificate_post(struct http_request *req)
{
    struct store_user user;
    struct teaching_body body = {0};
    if (api_current_user(req, &user) != 0 || api_parse_body(req, api_teaching_certificate_post_spec, &body, NULL) != 0)
        return;
    struct store_certificate cert;
    bool created = false;
    struct error err = {0};
    if (certificate_issue_teaching(req->db, &req->arena, &user, (int)body.year, &cert, &created, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    api_write_certificate(&b, &req->arena, &cert);
    http_reply_json(req, created ? 201 : 200, &b);
}
