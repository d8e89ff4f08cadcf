/* visa_letter_get.c — GET /api/v1/applications/{id}/visa-letter (its
 * student, the host's coordinators, staff) → {application_id, state
 * ("requested" | "issued"), passport_name, passport_number, nationality,
 * consulate_city, letter: the signed letter or null}; 404 without a request
 * and for anyone else. */
#include "api/certificates_api.h"
#include "domain/visa_letters.h"
#include "lib/limits.h"

void api_write_visa_letter(struct http_request *req, struct buf *b, const struct store_visa_letter *v)
{
    buf_append_str(b, "{\"application_id\":");
    buf_append_json_string(b, v->application_id);
    buf_append_str(b, ",\"state\":");
    buf_append_json_string(b, v->state);
    buf_append_str(b, ",\"passport_name\":");
    buf_append_json_string(b, v->passport_name);
    buf_append_str(b, ",\"passport_number\":");
    buf_append_json_string(b, v->passport_number);
    buf_append_str(b, ",\"nationality\":");
    buf_append_json_string(b, v->nationality);
    buf_append_str(b, ",\"consulate_city\":");
    buf_append_json_string(b, v->consulate_city);
    buf_append_str(b, ",\"letter\":");
    struct store_certificate c;
    if (v->certificate_number != NULL &&
        store_certificate_get(req->db, &req->arena, v->certificate_number, &c) == DB_ROW)
        api_write_certificate(b, &req->arena, &c);
    else
        buf_append_str(b, "null");
    buf_append_char(b, '}');
}

void api_visa_letter_get(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct visa_letter_view v;
    struct error err = {0};
    if (visa_letter_load(req->db, &req->arena, &user, http_param(req, "id"), &v, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    if (!v.found) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "no visa letter was asked for this rotation");
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_DETAIL);
    api_write_visa_letter(req, &b, &v.letter);
    http_reply_json(req, 200, &b);
}
