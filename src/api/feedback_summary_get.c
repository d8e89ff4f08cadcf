/* feedback_summary_get.c — GET /api/v1/organizations/{id}/feedback?offering=
 * (the host's coordinators, staff; 404 for anyone else) → what its students
 * said of its rotations, as averages only and only over at least
 * FEEDBACK_MIN_STUDENTS students: {"students_at_least":5,"shown":false} below
 * that, else {"shown":true,"students":N,"averages":{name:x.y…}}. */
#include "api/evaluations_api.h"

#include "lib/limits.h"

const char *const api_feedback_summary_params[] = {"offering", NULL};

void api_feedback_summary_get(struct http_request *req)
{
    struct store_user user;
    struct http_kv_list *query;
    if (api_current_user(req, &user) != 0 || http_query(req, &query) != 0)
        return;
    bool shown = false;
    struct store_feedback_totals t;
    struct error err = {0};
    if (feedback_summary(req->db, &user, http_param(req, "id"), http_kv_get(query, "offering"), &shown, &t, &err) !=
        0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    buf_appendf(&b, "{\"students_at_least\":%d,\"shown\":%s", FEEDBACK_MIN_STUDENTS, shown ? "true" : "false");
    if (shown) {
        buf_appendf(&b, ",\"students\":%lld,\"averages\":{", (long long)t.students);
        for (int i = 0; i < STORE_FEEDBACK_SCORES; i++) {
            int64_t tenths = (t.sums[i] * 10 + t.students / 2) / t.students;
            buf_appendf(&b, "%s\"%s\":%lld.%lld", i > 0 ? "," : "", feedback_score_names[i],
                        (long long)(tenths / 10), (long long)(tenths % 10));
        }
        buf_append_char(&b, '}');
    }
    buf_append_char(&b, '}');
    http_reply_json(req, 200, &b);
}
