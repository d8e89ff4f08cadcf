/* deletions_json.c — the JSON of a deletion request; see deletions_api.h. */
#include "api/deletions_api.h"

#include "lib/clock.h"

void api_write_deletion_request(struct buf *b, const struct store_deletion_request *r, bool with_user)
{
    buf_append_str(b, "{\"id\":");
    buf_append_json_string(b, r->id);
    buf_append_str(b, ",\"state\":");
    buf_append_json_string(b, r->state);
    api_write_instant(b, "requested_at", r->requested_at);
    api_write_instant(b, "due_at", r->due_at);
    api_write_instant(b, "cancelled_at", r->cancelled_at);
    api_write_instant(b, "completed_at", r->completed_at);
    buf_append_str(b, ",\"completed_by\":");
    if (r->completed_by != NULL)
        buf_append_json_string(b, r->completed_by);
    else
        buf_append_str(b, r->completed_at > 0 ? "\"schedule\"" : "null");
    int64_t age = clock_now() - r->requested_at;
    buf_appendf(b, ",\"age_days\":%lld", (long long)(age > 0 ? age / 86400 : 0));
    if (with_user) {
        buf_append_str(b, ",\"user\":{\"id\":");
        buf_append_json_string(b, r->user_id);
        buf_append_str(b, ",\"name\":");
        buf_append_json_string(b, r->user_name);
        buf_append_str(b, ",\"email\":");
        buf_append_json_string(b, r->user_email);
        buf_append_char(b, '}');
    }
    buf_append_char(b, '}');
}
