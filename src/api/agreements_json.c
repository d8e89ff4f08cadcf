/* agreements_json.c — the JSON of an affiliation agreement. */
#include "api/agreements_api.h"

static void write_party(struct buf *b, const char *key, const char *id, const char *name)
{
    buf_appendf(b, ",\"%s\":{\"id\":", key);
    buf_append_json_string(b, id);
    buf_append_str(b, ",\"name\":");
    buf_append_json_string(b, name);
    buf_append_char(b, '}');
}

void api_write_agreement(struct buf *b, const struct store_agreement *a)
{
    enum agreement_status status = agreement_status_of(a);
    buf_append_str(b, "{\"id\":");
    buf_append_json_string(b, a->id);
    write_party(b, "host", a->host_id, a->host_name);
    write_party(b, "school", a->school_id, a->school_name);
    buf_append_str(b, ",\"start_date\":");
    buf_append_json_string(b, a->start_date);
    buf_append_str(b, ",\"end_date\":");
    buf_append_json_string(b, a->end_date);
    buf_append_str(b, ",\"status\":");
    buf_append_json_string(b, agreement_status_name(status));
    buf_append_str(b, ",\"status_label\":");
    buf_append_json_string(b, agreement_status_label(status));
    buf_append_str(b, ",\"proposed_side\":");
    buf_append_json_string(b, a->proposed_side);
    write_party(b, "proposed_by", a->proposed_by, a->proposed_by_name);
    buf_append_str(b, ",\"signed_file\":");
    if (a->file_address != NULL)
        buf_appendf(b, "{\"bytes\":%lld,\"url\":\"/api/v1/agreements/%s/file\"}", (long long)a->file_bytes, a->id);
    else
        buf_append_str(b, "null");
    buf_append_str(b, ",\"termination_reason\":");
    buf_append_json_string(b, a->termination_reason != NULL ? a->termination_reason : "");
    api_write_instant(b, "activated_at", a->activated_at);
    api_write_instant(b, "terminated_at", a->terminated_at);
    api_write_instant(b, "created_at", a->created_at);
    api_write_instant(b, "updated_at", a->updated_at);
    buf_append_char(b, '}');
}
