/* coach_dashboard.c — GET /api/v1/coach/dashboard?coach_id= : a coach's
 * students with what needs attention (next starts, open tickets, missed or
 * worrying check-ins, onboarding requirements not met, unpaid balances). A coach sees
 * their own; staff any coach's (coach_id); anyone else 404. */
#include "api/rotation_api.h"
#include "lib/limits.h"

const char *const api_coach_dashboard_params[] = {"coach_id", NULL};

static void write_row(struct buf *b, const struct coach_dashboard_row *row)
{
    const struct store_coach_student *s = &row->student;
    buf_append_str(b, "{\"student\":{\"id\":");
    buf_append_json_string(b, s->student_id);
    buf_append_str(b, ",\"name\":");
    buf_append_json_string(b, s->student_name);
    buf_append_str(b, ",\"email\":");
    buf_append_json_string(b, s->student_email);
    buf_append_str(b, "},\"rotation\":");
    if (s->application_id != NULL) {
        buf_append_str(b, "{\"application_id\":");
        buf_append_json_string(b, s->application_id);
        buf_append_str(b, ",\"status\":");
        buf_append_json_string(b, s->status);
        buf_append_str(b, ",\"offering\":");
        buf_append_json_string(b, s->offering_title);
        buf_append_str(b, ",\"host\":");
        buf_append_json_string(b, s->host_name);
        buf_append_str(b, ",\"start\":");
        buf_append_json_string(b, s->block_start);
        buf_append_str(b, ",\"end\":");
        buf_append_json_string(b, s->block_end);
        buf_append_char(b, '}');
    } else {
        buf_append_str(b, "null");
    }
    buf_appendf(b, ",\"open_tickets\":%lld,\"last_check_in\":", (long long)row->open_tickets);
    if (row->last_check_in_at > 0) {
        buf_appendf(b, "{\"score\":%lld,\"help\":%s", (long long)row->last_check_in_score,
                    row->last_check_in_help ? "true" : "false");
        api_write_instant(b, "at", row->last_check_in_at);
        buf_append_char(b, '}');
    } else {
        buf_append_str(b, "null");
    }
    buf_appendf(b, ",\"requirements\":%lld,\"documents_not_ready\":%lld,\"unpaid_cents\":%lld,\"flags\":{",
                (long long)row->requirements, (long long)row->documents_not_ready, (long long)row->unpaid_cents);
    buf_appendf(b, "\"starts_soon\":%s,\"check_in_missed\":%s,\"check_in_worrying\":%s,\"open_tickets\":%s,"
                   "\"documents_missing\":%s,\"unpaid_balance\":%s}}",
                row->starts_soon ? "true" : "false", row->check_in_missed ? "true" : "false",
                row->check_in_worrying ? "true" : "false", row->open_tickets > 0 ? "true" : "false",
                row->documents_not_ready > 0 ? "true" : "false", row->unpaid_cents > 0 ? "true" : "false");
}

void api_coach_dashboard(struct http_request *req)
{
    struct store_user user;
    const char *coach_id = NULL;
    if (api_current_user(req, &user) != 0 || api_query_param(req, "coach_id", &coach_id) != 0)
        return;
    if (coach_id != NULL && !api_id_valid(coach_id)) {
        http_reply_error(req, ERR_INVALID_PARAMETER, "coach_id", "is not an id");
        return;
    }
    struct coach_dashboard d;
    struct error err = {0};
    if (coach_dashboard(req->db, &req->arena, &user, coach_id, &d, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LONG_LIST);
    buf_append_str(&b, "{\"coach\":");
    api_write_coach(&b, &d.coach);
    buf_appendf(&b,
                ",\"counts\":{\"students\":%zu,\"starting_soon\":%lld,\"in_progress\":%lld,\"with_open_tickets\":%lld,"
                "\"check_ins_missed\":%lld,\"check_ins_worrying\":%lld,\"documents_missing\":%lld,\"unpaid\":%lld}",
                d.count, (long long)d.starting_soon, (long long)d.in_progress, (long long)d.with_open_tickets,
                (long long)d.check_ins_missed, (long long)d.check_ins_worrying, (long long)d.documents_missing,
                (long long)d.unpaid);
    buf_append_str(&b, ",\"students\":[");
    for (size_t i = 0; i < d.count; i++) {
        if (i > 0)
            buf_append_char(&b, ',');
        write_row(&b, &d.rows[i]);
    }
    buf_append_str(&b, "]}");
    http_reply_json(req, 200, &b);
}
