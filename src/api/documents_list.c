/* documents_list.c — GET /api/v1/documents: a student's wallet (current
 * documents, with "usage":{"bytes","quota"}); for staff the verification
 * queue (?state=uploaded, the default, oldest first, paged by ?cursor=) or a
 * student's current documents (?student_id=, optionally with ?state=). Only
 * staff filter: state or student_id from anyone else is a 400. */
#include <string.h>

#include "api/documents_api.h"
#include "domain/accounts.h"
#include "lib/limits.h"

void api_documents_list(struct http_request *req)
{
    struct store_user user;
    const char *state, *student_id;
    if (api_current_user(req, &user) != 0 || api_query_param(req, "state", &state) != 0 ||
        api_query_param(req, "student_id", &student_id) != 0)
        return;
    bool staff = account_has_role(&user, ROLE_STAFF);
    if (!staff && (state != NULL || student_id != NULL)) {
        http_reply_error(req, ERR_INVALID_PARAMETER, state != NULL ? "state" : "student_id",
                         "only staff filter documents");
        return;
    }
    if (state != NULL && document_state_parse(state) == DOCUMENT_STATE_UNKNOWN) {
        http_reply_error(req, ERR_INVALID_PARAMETER, "state", "must be uploaded, verified or rejected");
        return;
    }
    if (student_id != NULL && !api_id_valid(student_id)) {
        http_reply_error(req, ERR_INVALID_PARAMETER, "student_id", "is not a user id");
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LONG_LIST);
    struct store_document *items = NULL;
    size_t count = 0;

    if (staff && student_id == NULL) {
        /* The verification queue, paged in the store by id. */
        struct api_page page;
        if (api_list_params(req, &page) != 0)
            return;
        if (state != NULL && document_state_parse(state) != DOCUMENT_UPLOADED) {
            http_reply_error(req, ERR_INVALID_PARAMETER, "state",
                             "lists the queue only as state=uploaded; add student_id for the others");
            return;
        }
        if (store_documents_to_verify(req->db, &req->arena, page.cursor, page.limit, &items, &count) != DB_OK) {
            http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
            return;
        }
        buf_append_str(&b, "{\"items\":[");
        for (size_t i = 0; i < count; i++) {
            if (i > 0)
                buf_append_char(&b, ',');
            api_write_document(&b, &items[i], NULL, 0);
        }
        api_write_list_end(&b, count == (size_t)page.limit && count > 0 ? items[count - 1].id : NULL);
        http_reply_json(req, 200, &b);
        return;
    }

    /* A student's current documents: the caller's own, or (staff) the one asked
     * for; kind, then newest first. */
    struct api_pager pager;
    const char *limit_given;
    if (api_pager_start(req, &pager, "documents", "sNS") != 0 || api_query_param(req, "limit", &limit_given) != 0)
        return;
    const char *owner = student_id != NULL ? student_id : user.id;
    if (store_documents_current(req->db, &req->arena, owner, &items, &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    if (state != NULL) {
        enum document_state wanted = document_state_parse(state);
        size_t kept = 0;
        for (size_t i = 0; i < count; i++)
            if (document_state_of(&items[i]) == wanted)
                items[kept++] = items[i];
        count = kept;
    }
    /* The wallet is bounded by the quota: whole unless the client pages it. */
    if (limit_given == NULL)
        pager.page.limit = count > 0 ? (int)count : 1;
    buf_append_str(&b, "{\"items\":[");
    for (size_t i = 0; i < count; i++)
        if (api_pager_take_keyed(&pager, &b, items[i].id, API_KEY({.s = items[i].kind}, {.n = items[i].created_at})))
            api_write_document(&b, &items[i], NULL, 0);
    api_pager_end_items(&pager, &b);
    if (student_id == NULL) {
        int64_t bytes = 0;
        if (store_documents_bytes(req->db, user.id, &bytes) != DB_OK) {
            http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
            return;
        }
        buf_appendf(&b, ",\"usage\":{\"bytes\":%lld,\"quota\":%lld}", (long long)bytes,
                    (long long)req->options->upload_quota);
    }
    buf_append_char(&b, '}');
    http_reply_json(req, 200, &b);
}
