/* school_invitations_get.c — GET /api/v1/schools/{id}/invitations (its
 * coordinators, staff) → {items:[{id,name,email,graduation_year,created_at,
 * expires_at}]}: the invitations not accepted yet, the newest upload first and
 * each upload's in the order of its lines. */
#include "api/schools_api.h"

static void write_invitation(struct buf *b, const struct store_school_invitation *item)
{
    buf_append_str(b, "{\"id\":");
    buf_append_json_string(b, item->id);
    buf_append_str(b, ",\"name\":");
    buf_append_json_string(b, item->name);
    buf_append_str(b, ",\"email\":");
    buf_append_json_string(b, item->email);
    buf_append_str(b, ",\"graduation_year\":");
    if (item->graduation_year > 0)
        buf_append_int(b, item->graduation_year);
    else
        buf_append_str(b, "null");
    buf_appendf(b, ",\"created_at\":%lld,\"expires_at\":%lld}", (long long)item->created_at,
                (long long)item->expires_at);
}

void api_school_invitations_get(struct http_request *req)
{
    api_school_lines_reply(req, "invitations", store_school_invitations_page, write_invitation);
}
