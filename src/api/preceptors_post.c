/* preceptors_post.c — POST /api/v1/preceptors {organization_id, name, email,
 * npi, specialty, license_state, license_number, license_expires?,
 * board_status?, user_id?} (a coordinator of that host, or staff) → 201 the
 * preceptor, not yet verified. A registered NPI → 409 naming "npi". */
#include "api/api.h"
#include "api/request_specs.h"
#include "domain/catalog.h"
#include "lib/limits.h"

struct preceptor_body {
    const char *organization_id, *user_id, *name, *email, *npi, *specialty, *license_state, *license_number,
        *license_expires, *board_status;
};

const struct json_field api_preceptors_post_spec[] = {
    JSON_STRING(struct preceptor_body, organization_id, JSON_REQUIRED, 1, ID_MAX_BYTES),
    JSON_STRING(struct preceptor_body, name, JSON_REQUIRED, 1, PRECEPTOR_NAME_MAX_CHARS),
    JSON_EMAIL(struct preceptor_body, email, JSON_REQUIRED),
    JSON_STRING(struct preceptor_body, npi, JSON_REQUIRED, 1, NPI_BYTES),
    JSON_STRING(struct preceptor_body, specialty, JSON_REQUIRED, 1, ID_MAX_BYTES),
    JSON_STRING(struct preceptor_body, license_state, JSON_REQUIRED, 1, STATE_CODE_BYTES),
    JSON_STRING(struct preceptor_body, license_number, JSON_REQUIRED, 1, LICENSE_NUMBER_MAX_CHARS),
    JSON_DATE(struct preceptor_body, license_expires, JSON_NULLABLE),
    JSON_ENUM(struct preceptor_body, board_status, JSON_OPTIONAL, board_status_names),
    JSON_STRING(struct preceptor_body, user_id, JSON_NULLABLE, 1, ID_MAX_BYTES),
    {0},
};

void api_preceptors_post(struct http_request *req)
{
    struct store_user user;
    struct preceptor_body body = {0};
    if (api_current_user(req, &user) != 0 || api_parse_body(req, api_preceptors_post_spec, &body, NULL) != 0)
        return;
    if (!catalog_may_manage(&user, body.organization_id)) {
        http_reply_error(req, ERR_FORBIDDEN, "organization_id", "you do not manage this organisation");
        return;
    }
    struct store_preceptor p = {.organization_id = body.organization_id,
                                .user_id = body.user_id,
                                .name = body.name,
                                .email = body.email,
                                .npi = body.npi,
                                .specialty = body.specialty,
                                .license_state = body.license_state,
                                .license_number = body.license_number,
                                .license_expires = body.license_expires,
                                .board_status = body.board_status};
    struct error err = {0};
    if (catalog_preceptor_create(req->db, &req->arena, &p, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    api_write_preceptor(&b, &p);
    http_reply_json(req, 201, &b);
}
