/* preceptors_get.c — GET /api/v1/preceptors?organization_id=&limit=&cursor=
 * (the preceptors of the organisations the caller coordinates; staff: all)
 * and GET /api/v1/preceptors/{id} (404 unless the caller manages its host). */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/accounts.h"
#include "domain/catalog.h"

static int compare_preceptors(const void *a, const void *b)
{
    return strcmp(((const struct store_preceptor *)a)->id, ((const struct store_preceptor *)b)->id);
}

/* The first limit+1 preceptors after the cursor over the organisations given
 * (or all when orgs is NULL), in id order. */
static int collect(struct http_request *req, const char *const *orgs, size_t org_count, const struct api_page *page,
                   struct store_preceptor **out, size_t *count)
{
    if (orgs == NULL)
        return store_preceptors_list(req->db, &req->arena, NULL, page->cursor, page->limit + 1, out, count);
    struct store_preceptor *all = NULL;
    size_t total = 0;
    for (size_t i = 0; i < org_count; i++) {
        struct store_preceptor *part;
        size_t n;
        int rc = store_preceptors_list(req->db, &req->arena, orgs[i], page->cursor, page->limit + 1, &part, &n);
        if (rc != DB_OK)
            return rc;
        struct store_preceptor *grown = arena_alloc(&req->arena, (total + n + 1) * sizeof(*grown));
        if (grown == NULL)
            return DB_ERROR;
        if (total > 0)
            memcpy(grown, all, total * sizeof(*grown));
        if (n > 0)
            memcpy(grown + total, part, n * sizeof(*grown));
        all = grown;
        total += n;
    }
    if (total > 1)
        qsort(all, total, sizeof(*all), compare_preceptors);
    *out = all;
    *count = total > (size_t)page->limit + 1 ? (size_t)page->limit + 1 : total;
    return DB_OK;
}

void api_preceptors_get(struct http_request *req)
{
    struct api_page page;
    const char *organization_id;
    if (api_list_params(req, &page) != 0 || api_query_param(req, "organization_id", &organization_id) != 0)
        return;
    if (organization_id != NULL && !api_id_valid(organization_id)) {
        http_reply_error(req, ERR_INVALID_PARAMETER, "organization_id", "is not an organisation id");
        return;
    }
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    const char *orgs[STORE_MAX_MEMBERSHIPS] = {0};
    size_t org_count = 0;
    bool everything = false;
    if (organization_id != NULL) {
        if (!catalog_may_manage(&user, organization_id)) {
            http_reply_error(req, ERR_NOT_FOUND, "organization_id", "no such organisation");
            return;
        }
        orgs[org_count++] = organization_id;
    } else if (account_has_role(&user, "staff")) {
        everything = true;
    } else {
        const struct store_membership *managed[STORE_MAX_MEMBERSHIPS];
        org_count = catalog_managed_organizations(&user, managed, STORE_MAX_MEMBERSHIPS);
        for (size_t i = 0; i < org_count; i++)
            orgs[i] = managed[i]->organization_id;
    }
    struct store_preceptor *preceptors;
    size_t count;
    if (collect(req, everything ? NULL : orgs, org_count, &page, &preceptors, &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, 1024 * 1024);
    buf_append_str(&b, "{\"items\":[");
    size_t shown = count > (size_t)page.limit ? (size_t)page.limit : count;
    for (size_t i = 0; i < shown; i++) {
        if (i > 0)
            buf_append_char(&b, ',');
        api_write_preceptor(&b, &preceptors[i]);
    }
    api_write_list_end(&b, count > shown && preceptors != NULL ? preceptors[shown - 1].id : NULL);
    http_reply_json(req, 200, &b);
}

void api_preceptor_get(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct store_preceptor preceptor;
    int rc = catalog_managed_preceptor(req->db, &req->arena, &user, http_param(req, "id"), &preceptor);
    if (rc == DB_DONE) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "no such preceptor");
        return;
    }
    if (rc != DB_ROW) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, 16 * 1024);
    api_write_preceptor(&b, &preceptor);
    http_reply_json(req, 200, &b);
}
