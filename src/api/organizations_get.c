/* organizations_get.c — GET /api/v1/organizations?kind=&limit=&cursor=:
 * staff see every organisation; everyone else the organisations they are a
 * member of. In id order, with a cursor (the last id). */
#include <string.h>

#include "api/api.h"
#include "domain/accounts.h"
#include "lib/limits.h"

static void list_all(struct http_request *req, const char *kind, const struct api_page *page)
{
    struct store_organization *orgs;
    size_t count;
    if (store_organizations_list(req->db, &req->arena, kind, page->cursor, page->limit + 1, &orgs, &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    buf_append_str(&b, "{\"items\":[");
    size_t shown = count > (size_t)page->limit ? (size_t)page->limit : count;
    for (size_t i = 0; i < shown; i++) {
        if (i > 0)
            buf_append_char(&b, ',');
        api_write_organization(&b, orgs[i].id, orgs[i].name, orgs[i].kind);
    }
    api_write_list_end(&b, count > shown ? orgs[shown - 1].id : NULL);
    http_reply_json(req, 200, &b);
}

/* The caller's memberships: one entry per organisation, in id order. */
static void list_memberships(struct http_request *req, const struct store_user *user, enum organization_kind kind,
                             const struct api_page *page)
{
    const struct store_membership *picked[STORE_MAX_MEMBERSHIPS];
    size_t n = 0;
    for (size_t i = 0; i < user->membership_count; i++) {
        const struct store_membership *m = &user->memberships[i];
        if (kind != ORGANIZATION_KIND_UNKNOWN && organization_kind_parse(m->organization_kind) != kind)
            continue;
        if (page->cursor != NULL && strcmp(m->organization_id, page->cursor) <= 0)
            continue;
        bool seen = false;
        for (size_t k = 0; k < n; k++)
            seen = seen || strcmp(picked[k]->organization_id, m->organization_id) == 0;
        if (seen)
            continue;
        size_t at = n++;
        while (at > 0 && strcmp(picked[at - 1]->organization_id, m->organization_id) > 0) {
            picked[at] = picked[at - 1];
            at--;
        }
        picked[at] = m;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    buf_append_str(&b, "{\"items\":[");
    size_t shown = n > (size_t)page->limit ? (size_t)page->limit : n;
    for (size_t i = 0; i < shown; i++) {
        if (i > 0)
            buf_append_char(&b, ',');
        api_write_organization(&b, picked[i]->organization_id, picked[i]->organization_name,
                               picked[i]->organization_kind);
    }
    api_write_list_end(&b, n > shown ? picked[shown - 1]->organization_id : NULL);
    http_reply_json(req, 200, &b);
}

void api_organizations_get(struct http_request *req)
{
    struct api_page page;
    const char *kind;
    if (api_list_params(req, &page) != 0 || api_query_param(req, "kind", &kind) != 0)
        return;
    enum organization_kind wanted = organization_kind_parse(kind);
    const char *matched = wanted != ORGANIZATION_KIND_UNKNOWN ? organization_kind_name(wanted) : NULL;
    if (kind != NULL && matched == NULL) {
        http_reply_error(req, ERR_INVALID_PARAMETER, "kind", "must be host, school or platform");
        return;
    }
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    if (account_has_role(&user, ROLE_STAFF))
        list_all(req, matched, &page);
    else
        list_memberships(req, &user, wanted, &page);
}
