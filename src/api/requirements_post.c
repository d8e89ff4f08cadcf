/* requirements_post.c — POST /api/v1/requirements {organization_id,
 * offering_id?, kind, issued_within_days?} → 201 the requirement: a host
 * (or one of its offerings) requires a document kind, optionally issued
 * within N days before the start. 400 naming the field, 409 conflict when
 * the kind is already required there; 404 unless the caller coordinates
 * the host or is staff. */
#include "api/documents_api.h"
#include "api/request_specs.h"
#include "lib/limits.h"

struct requirement_body {
    const char *organization_id, *offering_id, *kind;
    int64_t issued_within_days;
};

const struct json_field api_requirements_post_spec[] = {
    JSON_STRING(struct requirement_body, organization_id, JSON_REQUIRED, 1, ID_MAX_BYTES),
    JSON_STRING(struct requirement_body, offering_id, JSON_OPTIONAL | JSON_NULLABLE, 1, ID_MAX_BYTES),
    JSON_STRING(struct requirement_body, kind, JSON_REQUIRED, 1, ID_MAX_BYTES),
    JSON_INT(struct requirement_body, issued_within_days, JSON_OPTIONAL | JSON_NULLABLE, 1, ISSUED_WITHIN_DAYS_MAX),
    {0},
};

void api_requirements_post(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct requirement_body body = {0};
    if (api_parse_body(req, api_requirements_post_spec, &body, NULL) != 0)
        return;
    if (!api_id_valid(body.organization_id)) {
        http_reply_error(req, ERR_NOT_FOUND, "organization_id", "no such organisation");
        return;
    }
    if (body.offering_id != NULL && !api_id_valid(body.offering_id)) {
        http_reply_error(req, ERR_VALIDATION_FAILED, "offering_id", "is not an offering of that host");
        return;
    }
    struct store_requirement r = {0};
    struct error err = {0};
    if (requirement_add(req->db, &req->arena, &user, body.organization_id, body.offering_id, body.kind,
                        body.issued_within_days, &r, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_SMALL);
    api_write_requirement(&b, &r);
    http_reply_json(req, 201, &b);
}
