/* application_json.c — the JSON shape of an application and its history. */
#include "api/applications_api.h"
#include "domain/applications.h"
#include "lib/clock.h"

void api_write_application(struct buf *b, const struct store_application *a,
                           const struct store_application_event *events, size_t event_count)
{
    buf_append_str(b, "{\"id\":");
    buf_append_json_string(b, a->id);
    buf_append_str(b, ",\"status\":");
    buf_append_json_string(b, a->status);
    buf_append_str(b, ",\"seat_held\":");
    buf_append_str(b, application_status_takes_seat(application_status_of(a)) ? "true" : "false");
    buf_append_str(b, ",\"student\":{\"id\":");
    buf_append_json_string(b, a->student_id);
    buf_append_str(b, ",\"name\":");
    buf_append_json_string(b, a->student_name);
    buf_append_str(b, "},\"offering\":{\"id\":");
    buf_append_json_string(b, a->offering_id);
    buf_append_str(b, ",\"title\":");
    buf_append_json_string(b, a->offering_title);
    buf_append_str(b, "},\"host\":{\"id\":");
    buf_append_json_string(b, a->organization_id);
    buf_append_str(b, ",\"name\":");
    buf_append_json_string(b, a->host_name);
    buf_append_str(b, "},\"block\":{\"id\":");
    buf_append_json_string(b, a->block_id);
    buf_appendf(b, ",\"start\":\"%s\",\"end\":\"%s\"}", a->block_start, a->block_end);
    buf_append_str(b, ",\"coach\":");
    if (a->coach_id != NULL) {
        buf_append_str(b, "{\"id\":");
        buf_append_json_string(b, a->coach_id);
        buf_append_str(b, ",\"name\":");
        buf_append_json_string(b, a->coach_name);
        buf_append_char(b, '}');
    } else {
        buf_append_str(b, "null");
    }
    buf_append_str(b, ",\"statement\":");
    buf_append_json_string(b, a->statement);
    api_write_instant(b, "offer_expires_at", a->offer_expires_at);
    api_write_instant(b, "hold_expires_at", a->hold_expires_at);
    api_write_instant(b, "created_at", a->created_at);
    api_write_instant(b, "updated_at", a->updated_at);
    if (events != NULL) {
        buf_append_str(b, ",\"history\":[");
        for (size_t i = 0; i < event_count; i++) {
            const struct store_application_event *e = &events[i];
            buf_append_str(b, i > 0 ? ",{\"action\":" : "{\"action\":");
            buf_append_json_string(b, e->action);
            buf_append_str(b, ",\"from\":");
            buf_append_json_string(b, e->from_status);
            buf_append_str(b, ",\"to\":");
            buf_append_json_string(b, e->to_status);
            buf_append_str(b, ",\"by\":{\"id\":");
            buf_append_json_string(b, e->actor_id);
            buf_append_str(b, ",\"name\":");
            buf_append_json_string(b, e->actor_name);
            buf_append_str(b, ",\"role\":");
            buf_append_json_string(b, e->actor_role);
            buf_append_str(b, "},\"note\":");
            buf_append_json_string(b, e->note);
            char at[21];
            clock_format_rfc3339(e->at, at);
            buf_appendf(b, ",\"at\":\"%s\"}", at);
        }
        buf_append_char(b, ']');
    }
    buf_append_char(b, '}');
}
