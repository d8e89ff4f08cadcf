/* documents_list.c — GET /api/v1/documents: a student's wallet (current
 * documents, with "usage":{"bytes","quota"}); for staff the verification
 * queue (?state=uploaded, the default, oldest first, paged by ?cursor=) or a
 * student's current documents (?student_id=, optionally with ?state=). Only
 * staff filter: state or student_id from anyone else is a 400. */
#include <string.h>

#include "api/documents_api.h"
#include "domain/accounts.h"
#include "lib/limits.h"

/* Pages a list held in memory: the items after the cursor's (an id of the list). */
static int page_in_memory(struct http_request *req, const struct api_page *page, struct store_document *items,
                          size_t count, size_t *first, size_t *n)
{
    *first = 0;
    if (page->cursor != NULL) {
        size_t i = 0;
        while (i < count && strcmp(items[i].id, page->cursor) != 0)
            i++;
        if (i == count) {
            http_reply_error(req, ERR_INVALID_PARAMETER, "cursor", "is not a cursor of this list");
            return -1;
        }
        *first = i + 1;
    }
    *n = count - *first < (size_t)page->limit ? count - *first : (size_t)page->limit;
    return 0;
}

/* items[first] to items[first + n - 1] (items is NULL when the wallet is empty). */
static void write_items(struct buf *b, const struct store_document *items, size_t first, size_t n)
{
    buf_append_str(b, "{\"items\":[");
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            buf_append_char(b, ',');
        api_write_document(b, &items[first + i], NULL, 0);
    }
}

void api_documents_list(struct http_request *req)
{
    struct store_user user;
    struct api_page page;
    const char *state, *student_id;
    if (api_current_user(req, &user) != 0 || api_list_params(req, &page) != 0 ||
        api_query_param(req, "state", &state) != 0 || api_query_param(req, "student_id", &student_id) != 0)
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
        /* The verification queue. */
        if (state != NULL && document_state_parse(state) != DOCUMENT_UPLOADED) {
            http_reply_error(req, ERR_INVALID_PARAMETER, "state",
                             "lists the queue only as state=uploaded; add student_id for the others");
            return;
        }
        if (store_documents_to_verify(req->db, &req->arena, page.cursor, page.limit, &items, &count) != DB_OK) {
            http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
            return;
        }
        write_items(&b, items, 0, count);
        api_write_list_end(&b, count == (size_t)page.limit && count > 0 ? items[count - 1].id : NULL);
        http_reply_json(req, 200, &b);
        return;
    }

    /* A student's current documents: the caller's own, or (staff) the one asked for. */
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
    struct api_page whole = {.limit = (int)(count > 0 ? count : 1), .cursor = page.cursor};
    const char *limit_given;
    if (api_query_param(req, "limit", &limit_given) != 0)
        return;
    size_t first, n;
    if (page_in_memory(req, limit_given != NULL ? &page : &whole, items, count, &first, &n) != 0)
        return;
    write_items(&b, items, first, n);
    buf_append_str(&b, "],\"next_cursor\":");
    buf_append_json_string(&b, first + n < count && n > 0 ? items[first + n - 1].id : NULL);
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
