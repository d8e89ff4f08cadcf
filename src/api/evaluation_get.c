/* evaluation_get.c — GET /api/v1/applications/{id}/evaluation (whoever may
 * see the application) → the submitted evaluation with its addenda; 404
 * before it is submitted, and for anyone who may not see the application. */
#include "api/evaluations_api.h"

#include "lib/limits.h"

void api_evaluation_get(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct evaluation_view v;
    struct error err = {0};
    if (evaluation_load(req->db, &req->arena, &user, http_param(req, "id"), &v, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    if (!v.submitted) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "the preceptor has not submitted the evaluation yet");
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    api_write_evaluation(&b, &v.evaluation, v.addenda, v.addendum_count);
    http_reply_json(req, 200, &b);
}
