/* school_invitations_held_get.c — GET /api/v1/schools/{id}/invitations/held
 * (its coordinators, staff) → {items:[{id, email, name, graduation_year,
 * uploaded_at, sent_if_confirmed_by}]}: the lines held because their address
 * belongs to an account that has not confirmed it, emailed once it is
 * confirmed before sent_if_confirmed_by; the newest upload first and each
 * upload's in the order of its lines. 404 for anyone else. */
#include "api/schools_api.h"
#include "lib/limits.h"

void api_school_invitations_held_get(struct http_request *req)
{
    struct store_user user;
    struct api_pager pager;
    if (api_current_user(req, &user) != 0 || api_pager_start(req, &pager, "held", "Nns") != 0)
        return;
    struct store_organization school;
    struct error err = {0};
    if (school_managed(req->db, &req->arena, &user, http_param(req, "id"), &school, &err) != 0) {
        api_school_problem(req, &err);
        return;
    }
    struct store_school_invitation *items = NULL;
    size_t count = 0;
    /* A page and one more, after the cursor's key, in the store. */
    struct store_school_invitation after = {.id = pager.cursor.id,
                                            .upload_seq = pager.cursor.parts[0].n,
                                            .upload_line = pager.cursor.parts[1].n};
    if (store_school_holds_page(req->db, &req->arena, school.id, pager.has_cursor ? &after : NULL,
                                pager.page.limit + 1, &items, &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    api_pager_paged_in_store(&pager);
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    buf_append_str(&b, "{\"items\":[");
    for (size_t i = 0; i < count; i++) {
        if (!api_pager_take_keyed(&pager, &b, items[i].id,
                                  API_KEY({.n = items[i].upload_seq}, {.n = items[i].upload_line})))
            continue;
        buf_append_str(&b, "{\"id\":");
        buf_append_json_string(&b, items[i].id);
        buf_append_str(&b, ",\"email\":");
        buf_append_json_string(&b, items[i].email);
        buf_append_str(&b, ",\"name\":");
        buf_append_json_string(&b, items[i].name);
        buf_append_str(&b, ",\"graduation_year\":");
        if (items[i].graduation_year > 0)
            buf_append_int(&b, items[i].graduation_year);
        else
            buf_append_str(&b, "null");
        buf_appendf(&b, ",\"uploaded_at\":%lld,\"sent_if_confirmed_by\":%lld}", (long long)items[i].created_at,
                    (long long)(items[i].created_at + (int64_t)SCHOOL_INVITATION_DAYS * 86400));
    }
    if (api_pager_finish(req, &pager, &b) != 0)
        return;
    http_reply_json(req, 200, &b);
}
