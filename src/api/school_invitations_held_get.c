/* school_invitations_held_get.c — GET /api/v1/schools/{id}/invitations/held
 * (its coordinators, staff) → {items:[{id, email, name, graduation_year,
 * uploaded_at, sent_if_confirmed_by}]}: the lines held because their address
 * belongs to an account that has not confirmed it, emailed once it is
 * confirmed before sent_if_confirmed_by; the newest upload first and each
 * upload's in the order of its lines. 404 for anyone else. */
#include "api/schools_api.h"
#include "lib/limits.h"

static void write_hold(struct buf *b, const struct store_school_invitation *item)
{
    buf_append_str(b, "{\"id\":");
    buf_append_json_string(b, item->id);
    buf_append_str(b, ",\"email\":");
    buf_append_json_string(b, item->email);
    buf_append_str(b, ",\"name\":");
    buf_append_json_string(b, item->name);
    buf_append_str(b, ",\"graduation_year\":");
    if (item->graduation_year > 0)
        buf_append_int(b, item->graduation_year);
    else
        buf_append_str(b, "null");
    buf_appendf(b, ",\"uploaded_at\":%lld,\"sent_if_confirmed_by\":%lld}", (long long)item->created_at,
                (long long)(item->created_at + (int64_t)SCHOOL_INVITATION_DAYS * 86400));
}

void api_school_invitations_held_get(struct http_request *req)
{
    api_school_lines_reply(req, "held", store_school_holds_page, write_hold);
}
