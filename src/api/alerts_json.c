/* alerts_json.c — saved searches and waitlist places as JSON. */
#include "api/alerts_api.h"
#include "domain/alerts.h"
#include "lib/clock.h"

static void optional(struct buf *b, bool *first, const char *name, const char *value)
{
    if (value == NULL)
        return;
    buf_appendf(b, "%s\"%s\":", *first ? "" : ",", name);
    buf_append_json_string(b, value);
    *first = false;
}

void api_write_saved_search(struct buf *b, struct arena *arena, const struct store_saved_search *s)
{
    char created[21];
    clock_format_rfc3339(s->created_at, created);
    buf_append_str(b, "{\"id\":");
    buf_append_json_string(b, s->id);
    buf_append_str(b, ",\"name\":");
    buf_append_json_string(b, s->name);
    buf_append_str(b, ",\"filters\":{");
    bool first = true;
    optional(b, &first, "q", s->q);
    optional(b, &first, "specialty", s->specialty);
    optional(b, &first, "state", s->state);
    optional(b, &first, "kind", s->kind);
    optional(b, &first, "start_from", s->start_from);
    optional(b, &first, "start_to", s->start_to);
    if (s->max_tuition >= 0) {
        buf_appendf(b, "%s\"max_tuition\":%lld", first ? "" : ",", (long long)s->max_tuition);
        first = false;
    }
    if (s->include_full) {
        buf_appendf(b, "%s\"include_full\":true", first ? "" : ",");
        first = false;
    }
    optional(b, &first, "eligible", s->eligible_me ? "me" : NULL);
    buf_appendf(b, "},\"email_alerts\":%s,\"search_link\":", s->email_alerts ? "true" : "false");
    buf_append_json_string(b, alerts_search_link(arena, s));
    buf_appendf(b, ",\"created_at\":\"%s\"}", created);
}

void api_write_waitlist_entry(struct buf *b, const struct store_waitlist_entry *e, bool with_student)
{
    buf_append_str(b, "{\"id\":");
    buf_append_json_string(b, e->id);
    buf_append_str(b, ",\"block_id\":");
    buf_append_json_string(b, e->block_id);
    buf_append_str(b, ",\"offering_id\":");
    buf_append_json_string(b, e->offering_id);
    buf_append_str(b, ",\"offering_title\":");
    buf_append_json_string(b, e->offering_title);
    buf_append_str(b, ",\"start\":");
    buf_append_json_string(b, e->block_start);
    buf_append_str(b, ",\"end\":");
    buf_append_json_string(b, e->block_end);
    buf_appendf(b, ",\"position\":%lld,\"ahead\":%lld,\"status\":", (long long)e->position,
                (long long)(e->ahead));
    buf_append_json_string(b, e->status);
    buf_append_str(b, ",\"application_id\":");
    buf_append_json_string(b, e->application_id);
    if (with_student) {
        buf_append_str(b, ",\"student\":{\"id\":");
        buf_append_json_string(b, e->student_id);
        buf_append_str(b, ",\"name\":");
        buf_append_json_string(b, e->student_name);
        buf_append_char(b, '}');
    }
    buf_append_char(b, '}');
}
