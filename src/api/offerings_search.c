/* offerings_search.c — GET /api/v1/offerings: catalog search with filters,
 * facet counts and cursor pagination, answered from the in-process index. */
#include <string.h>

#include "api/api.h"
#include "domain/agreements.h"
#include "domain/catalog_index.h"
#include "domain/reference.h"
#include "lib/limits.h"

/* Query lookup for catalog_query_parse. */
static const char *query_get(void *ctx, const char *name, bool *repeated)
{
    struct http_kv_list *query = ctx;
    *repeated = http_kv_count(query, name) > 1;
    return http_kv_get(query, name);
}

static void write_facet(struct buf *b, const char *name, const int64_t *counts, size_t n,
                        const char *(*label)(size_t i))
{
    buf_appendf(b, "\"%s\":{", name);
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        if (counts[i] == 0)
            continue;
        if (!first)
            buf_append_char(b, ',');
        first = false;
        buf_append_json_string(b, label(i));
        buf_appendf(b, ":%lld", (long long)counts[i]);
    }
    buf_append_char(b, '}');
}

static const char *specialty_label(size_t i)
{
    return reference_specialties[i].slug;
}
static const char *state_label(size_t i)
{
    return reference_states[i].code;
}
static const char *kind_label(size_t i)
{
    return offering_kind_names[i];
}

void api_write_catalog_hit(struct buf *b, const struct catalog_hit *h)
{
    buf_append_str(b, "{\"id\":");
    buf_append_json_string(b, h->id);
    buf_append_str(b, ",\"title\":");
    buf_append_json_string(b, h->title);
    buf_append_str(b, ",\"specialty\":");
    buf_append_json_string(b, h->specialty);
    buf_append_str(b, ",\"kind\":");
    buf_append_json_string(b, h->kind);
    buf_append_str(b, ",\"host\":{\"id\":");
    buf_append_json_string(b, h->host_id);
    buf_append_str(b, ",\"name\":");
    buf_append_json_string(b, h->host_name);
    buf_append_str(b, "},\"city\":");
    buf_append_json_string(b, h->city);
    buf_append_str(b, ",\"state\":");
    buf_append_json_string(b, h->state);
    buf_appendf(b, ",\"weeks\":%lld,\"tuition_cents\":%lld,\"currency\":\"USD\",\"preceptor_verified\":%s",
                (long long)h->weeks, (long long)h->tuition_cents, h->preceptor_verified ? "true" : "false");
    if (h->next_start[0] != '\0')
        buf_appendf(b, ",\"next_block\":{\"start\":\"%s\",\"end\":\"%s\",\"seats_left\":%lld}", h->next_start,
                    h->next_end, (long long)h->next_seats_left);
    else
        buf_append_str(b, ",\"next_block\":null");
    buf_appendf(b, ",\"seats_left\":%lld,\"reviews\":{\"count\":%lld,\"average\":", (long long)h->next_seats_left,
                (long long)h->review_count);
    if (h->review_count > 0)
        buf_appendf(b, "%lld.%lld", (long long)(h->review_average_tenths / 10),
                    (long long)(h->review_average_tenths % 10));
    else
        buf_append_str(b, "null");
    /* Only a completed rotation's student can review: the mark says so. */
    buf_appendf(b, ",\"verified_rotation\":%s}}", h->review_count > 0 ? "true" : "false");
}

void api_offerings_search(struct http_request *req)
{
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return;
    struct catalog_query q;
    struct error err = {0};
    bool eligible_me = false;
    if (catalog_query_parse(query_get, query, &q, &eligible_me, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct store_user user;
    if (eligible_me) {
        if (!req->auth.authenticated) {
            http_reply_error(req, ERR_UNAUTHENTICATED, "eligible", "log in to search by your eligibility");
            return;
        }
        if (api_current_user(req, &user) != 0)
            return;
        q.eligible_for = &user.profile;
        struct store_affiliation *affiliations = NULL;
        if (affiliation_load(req->db, &req->arena, user.id, &affiliations, &q.affiliation_count) != DB_OK) {
            http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
            return;
        }
        q.affiliations = affiliations;
    }
    struct catalog_result result;
    if (catalog_search(&req->arena, &q, &result, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    buf_append_str(&b, "{\"items\":[");
    for (size_t i = 0; i < result.count; i++) {
        if (i > 0)
            buf_append_char(&b, ',');
        api_write_catalog_hit(&b, &result.items[i]);
    }
    buf_append_str(&b, "],\"next_cursor\":");
    buf_append_json_string(&b, result.next_cursor);
    buf_appendf(&b, ",\"total\":%lld,\"facets\":{", (long long)result.total);
    write_facet(&b, "specialty", result.specialty_counts, reference_specialty_count, specialty_label);
    buf_append_char(&b, ',');
    write_facet(&b, "state", result.state_counts, reference_state_count, state_label);
    buf_append_char(&b, ',');
    write_facet(&b, "kind", result.kind_counts, OFFERING_KIND_COUNT, kind_label);
    buf_append_str(&b, "}}");
    http_reply_json(req, 200, &b);
}
