/* support_json.c — the JSON shapes of check-ins and tickets. */
#include "api/support_api.h"

void api_write_check_in(struct buf *b, const struct store_check_in *c)
{
    buf_append_str(b, "{\"id\":");
    buf_append_json_string(b, c->id);
    buf_append_str(b, ",\"application_id\":");
    buf_append_json_string(b, c->application_id);
    buf_append_str(b, ",\"week_start\":");
    buf_append_json_string(b, c->week_start);
    buf_appendf(b, ",\"score\":%lld,\"needs_help\":%s,\"activities\":", (long long)c->score,
                c->needs_help ? "true" : "false");
    buf_append_json_string(b, c->activities);
    buf_append_str(b, ",\"ticket_id\":");
    if (c->ticket_id != NULL)
        buf_append_json_string(b, c->ticket_id);
    else
        buf_append_str(b, "null");
    api_write_instant(b, "created_at", c->created_at);
    buf_append_char(b, '}');
}

static void string_or_null(struct buf *b, const char *key, const char *value)
{
    buf_appendf(b, ",\"%s\":", key);
    if (value != NULL)
        buf_append_json_string(b, value);
    else
        buf_append_str(b, "null");
}

void api_write_ticket(struct buf *b, const struct store_ticket *t, int64_t now)
{
    buf_append_str(b, "{\"id\":");
    buf_append_json_string(b, t->id);
    buf_append_str(b, ",\"requester\":{\"id\":");
    buf_append_json_string(b, t->requester_id);
    buf_append_str(b, ",\"name\":");
    buf_append_json_string(b, t->requester_name);
    buf_append_char(b, '}');
    string_or_null(b, "student_id", t->student_id);
    string_or_null(b, "application_id", t->application_id);
    string_or_null(b, "category", t->category);
    string_or_null(b, "urgency", t->urgency);
    string_or_null(b, "subject", t->subject);
    string_or_null(b, "body", t->body);
    string_or_null(b, "status", t->status);
    string_or_null(b, "assignee_id", t->assignee_id);
    string_or_null(b, "assignee_name", t->assignee_name);
    api_write_instant(b, "response_due_at", t->response_due_at);
    api_write_instant(b, "resolve_due_at", t->resolve_due_at);
    api_write_instant(b, "first_response_at", t->first_response_at);
    api_write_instant(b, "resolved_at", t->resolved_at);
    api_write_instant(b, "created_at", t->created_at);
    buf_appendf(b, ",\"breached\":{\"response\":%s,\"resolution\":%s}}",
                ticket_response_breached(t, now) ? "true" : "false", ticket_resolve_breached(t, now) ? "true" : "false");
}
