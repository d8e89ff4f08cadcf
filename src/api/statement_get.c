/* statement_get.c — GET /api/v1/applications/{id}/statement: the money of an
 * application as its pages show it — price, deposit, what was paid and is
 * still due (and by when), what the student gets back if they cancel today,
 * the refund policy as a table of dates and amounts, the payments and the
 * refunds. Its student, its host side and staff; anyone else 404. */
#include "api/money_api.h"
#include "domain/applications.h"
#include "lib/clock.h"

void api_statement_get(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct store_application a;
    int rc = store_application_get(req->db, &req->arena, http_param(req, "id"), &a);
    if (rc != DB_ROW && rc != DB_DONE) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    if (rc == DB_ROW && !application_visible_to(&a, &user))
        store_audit_add(req->db, user.id, AUDIT_FORBIDDEN, AUDIT_ON_APPLICATION, a.id, "statement", clock_now());
    if (rc == DB_DONE || !application_visible_to(&a, &user)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "no such application");
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, 256 * 1024);
    if (api_write_statement(req, &b, &a) != 0)
        return;
    http_reply_json(req, 200, &b);
}
