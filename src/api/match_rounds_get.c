/* match_rounds_get.c — GET /api/v1/match-rounds?school_id= → {items:[…]}:
 * the rounds the caller takes part in — of the schools they coordinate (one
 * school with school_id), the rounds whose cohort they are in, the rounds
 * holding blocks of hosts they coordinate; newest first, summaries only. */
#include <stdlib.h>
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

/* The rounds of several sources (each a page after the cursor), merged. */
struct merged_rounds {
    struct store_match_round *items;
    size_t count, capacity;
};

/* Adds the rounds not merged yet; false when out of memory. */
static bool merge(struct arena *arena, struct merged_rounds *m, const struct store_match_round *items, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        bool dup = false;
        for (size_t j = 0; j < m->count && !dup; j++)
            dup = strcmp(m->items[j].id, items[i].id) == 0;
        if (dup)
            continue;
        if (m->count == m->capacity) {
            size_t capacity = m->capacity > 0 ? 2 * m->capacity : 64;
            struct store_match_round *grown = arena_alloc(arena, capacity * sizeof(*grown));
            if (grown == NULL)
                return false;
            if (m->count > 0)
                memcpy(grown, m->items, m->count * sizeof(*grown));
            m->items = grown;
            m->capacity = capacity;
        }
        m->items[m->count++] = items[i];
    }
    return true;
}

/* Newest first, then by id (the list's order). */
static int compare_rounds(const void *a, const void *b)
{
    const struct store_match_round *x = a, *y = b;
    if (x->created_at != y->created_at)
        return x->created_at > y->created_at ? -1 : 1;
    return strcmp(x->id, y->id);
}

/* Loads a page (and one more) after the cursor from one source and merges it. */
static int load_source(struct http_request *req, const struct api_pager *pager, struct store_match_rounds_filter f,
                       struct merged_rounds *m)
{
    f.after_id = pager->has_cursor ? pager->cursor.id : NULL;
    f.after_created_at = pager->cursor.parts[0].n;
    f.limit = pager->page.limit + 1;
    struct store_match_round *items = NULL;
    size_t count = 0;
    int rc = store_match_rounds_page(req->db, &req->arena, &f, &items, &count);
    if (rc == DB_OK && !merge(&req->arena, m, items, count))
        rc = DB_ERROR;
    return rc;
}

/* Merges the rounds of every source the caller takes part in. */
static int load_rounds(struct http_request *req, const struct store_user *user, const char *school_id,
                       const struct api_pager *pager, struct merged_rounds *m)
{
    int rc = DB_OK;
    for (size_t k = 0; k < user->membership_count && rc == DB_OK; k++) {
        const char *org = user->memberships[k].organization_id;
        enum role role = role_parse(user->memberships[k].role);
        if (role == ROLE_SCHOOL_COORDINATOR && (school_id == NULL || strcmp(org, school_id) == 0))
            rc = load_source(req, pager, (struct store_match_rounds_filter){.school_id = org}, m);
        else if (role == ROLE_HOST_COORDINATOR && school_id == NULL)
            rc = load_source(req, pager, (struct store_match_rounds_filter){.host_ids = org}, m);
    }
    if (rc == DB_OK && (school_id == NULL || m->count == 0)) {
        /* the school asked for (staff), or the rounds whose cohort the caller is in */
        struct store_match_rounds_filter f = {.school_id = school_id};
        if (school_id == NULL)
            f.student_id = user->id;
        rc = load_source(req, pager, f, m);
    }
    return rc;
}

void api_match_rounds_get(struct http_request *req)
{
    struct store_user user;
    const char *school_id = NULL;
    struct api_pager pager;
    if (api_current_user(req, &user) != 0 || api_query_param(req, "school_id", &school_id) != 0 ||
        api_pager_start(req, &pager, "rounds", "Ns") != 0)
        return;
    if (school_id != NULL && !school_may_manage(&user, school_id)) {
        http_reply_error(req, ERR_NOT_FOUND, "school_id", "no such school");
        return;
    }
    struct merged_rounds m = {0};
    if (load_rounds(req, &user, school_id, &pager, &m) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    if (m.count > 1)
        qsort(m.items, m.count, sizeof(*m.items), compare_rounds);
    api_pager_paged_in_store(&pager);
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    buf_append_str(&b, "{\"items\":[");
    for (size_t i = 0; i < m.count; i++)
        if (api_pager_take_keyed(&pager, &b, m.items[i].id, API_KEY({.n = m.items[i].created_at})))
            write_summary(&b, &m.items[i]);
    if (api_pager_finish(req, &pager, &b) != 0)
        return;
    http_reply_json(req, 200, &b);
}
