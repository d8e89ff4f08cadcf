/* match_rounds_get.c — GET /api/v1/match-rounds?school_id= → {items:[…]}:
 * the rounds the caller takes part in — of the schools they coordinate (one
 * school with school_id), the rounds whose cohort they are in, the rounds
 * holding blocks of hosts they coordinate; newest first, summaries only. */
#include <string.h>

#include "api/match_rounds_api.h"
#include "domain/schools.h"
#include "lib/clock.h"
#include "lib/limits.h"

const char *const api_match_rounds_list_params[] = {"school_id", "limit", "cursor", NULL};

static void write_summary(struct buf *b, const struct store_match_round *r)
{
    enum match_round_status s = match_round_status_parse(r->status);
    buf_append_str(b, "{\"id\":");
    buf_append_json_string(b, r->id);
    buf_append_str(b, ",\"name\":");
    buf_append_json_string(b, r->name);
    buf_append_str(b, ",\"school\":{\"id\":");
    buf_append_json_string(b, r->school_id);
    buf_append_str(b, ",\"name\":");
    buf_append_json_string(b, r->school_name);
    buf_append_str(b, "},\"mode\":");
    buf_append_json_string(b, r->mode);
    buf_append_str(b, ",\"status\":");
    buf_append_json_string(b, match_round_status_name(s));
    char deadline[21];
    clock_format_rfc3339(r->deadline, deadline);
    buf_append_str(b, ",\"deadline\":");
    buf_append_json_string(b, deadline);
    buf_appendf(b, ",\"students_count\":%lld,\"blocks_count\":%lld,\"seats\":%lld}", (long long)r->students,
                (long long)r->blocks, (long long)r->seats);
}

/* Offers the pager the rounds not yet in the list, writing those on the page. */
static void add_unique(struct buf *b, struct api_pager *pager, const struct store_match_round *items, size_t count,
                       const char **seen, size_t *seen_count)
{
    for (size_t i = 0; i < count; i++) {
        bool dup = false;
        for (size_t j = 0; j < *seen_count && !dup; j++)
            dup = strcmp(seen[j], items[i].id) == 0;
        if (dup || *seen_count >= 600)
            continue;
        seen[(*seen_count)++] = items[i].id;
        if (api_pager_take(pager, b, items[i].id))
            write_summary(b, &items[i]);
    }
}

void api_match_rounds_get(struct http_request *req)
{
    struct store_user user;
    const char *school_id = NULL;
    struct api_pager pager;
    if (api_current_user(req, &user) != 0 || api_query_param(req, "school_id", &school_id) != 0 ||
        api_pager_start(req, &pager) != 0)
        return;
    if (school_id != NULL && !school_may_manage(&user, school_id)) {
        http_reply_error(req, ERR_NOT_FOUND, "school_id", "no such school");
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    buf_append_str(&b, "{\"items\":[");
    const char *seen[600];
    size_t seen_count = 0;
    struct store_match_round *items = NULL;
    size_t count = 0;
    int rc = DB_OK;
    for (size_t m = 0; m < user.membership_count && rc == DB_OK; m++) {
        const char *org = user.memberships[m].organization_id;
        if (role_parse(user.memberships[m].role) == ROLE_SCHOOL_COORDINATOR && (school_id == NULL || strcmp(org, school_id) == 0))
            rc = store_match_rounds_list(req->db, &req->arena, org, NULL, NULL, &items, &count);
        else if (role_parse(user.memberships[m].role) == ROLE_HOST_COORDINATOR && school_id == NULL)
            rc = store_match_rounds_list(req->db, &req->arena, NULL, NULL, org, &items, &count);
        else
            continue;
        if (rc == DB_OK)
            add_unique(&b, &pager, items, count, seen, &seen_count);
    }
    if (rc == DB_OK && (school_id != NULL ? school_may_manage(&user, school_id) && seen_count == 0 : true)) {
        rc = school_id != NULL ? store_match_rounds_list(req->db, &req->arena, school_id, NULL, NULL, &items, &count)
                               : store_match_rounds_list(req->db, &req->arena, NULL, user.id, NULL, &items, &count);
        if (rc == DB_OK)
            add_unique(&b, &pager, items, count, seen, &seen_count);
    }
    if (rc != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    if (api_pager_finish(req, &pager, &b) != 0)
        return;
    http_reply_json(req, 200, &b);
}
