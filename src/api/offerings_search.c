/* offerings_search.c — GET /api/v1/offerings: catalog search with filters,
 * facet counts and cursor pagination, answered from the in-process index.
 * A reply reads the same for everyone (unless eligible=me): kept per search
 * (catalog_query_key) under the index's generation (http_cache_*_at), so a
 * search asked again costs a lookup until the index changes. */
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
    buf_append_char(b, '"');
    buf_append_str(b, name);
    buf_append_str(b, "\":{");
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        if (counts[i] == 0)
            continue;
        if (!first)
            buf_append_char(b, ',');
        first = false;
        buf_append_json_string(b, label(i));
        buf_append_char(b, ':');
        buf_append_int(b, counts[i]);
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
    /* Numbers by buf_append_int: a search reply has hundreds, and printf
     * was a tenth of its cost. */
    buf_append_str(b, ",\"weeks\":");
    buf_append_int(b, h->weeks);
    buf_append_str(b, ",\"tuition_cents\":");
    buf_append_int(b, h->tuition_cents);
    buf_append_str(b, h->preceptor_verified ? ",\"currency\":\"USD\",\"preceptor_verified\":true"
                                            : ",\"currency\":\"USD\",\"preceptor_verified\":false");
    if (h->next_start[0] != '\0') {
        buf_append_str(b, ",\"next_block\":{\"start\":\"");
        buf_append_str(b, h->next_start);
        buf_append_str(b, "\",\"end\":\"");
        buf_append_str(b, h->next_end);
        buf_append_str(b, "\",\"seats_left\":");
        buf_append_int(b, h->next_seats_left);
        buf_append_char(b, '}');
    } else {
        buf_append_str(b, ",\"next_block\":null");
    }
    buf_append_str(b, ",\"seats_left\":");
    buf_append_int(b, h->next_seats_left);
    buf_append_str(b, ",\"reviews\":{\"count\":");
    buf_append_int(b, h->review_count);
    buf_append_str(b, ",\"average\":");
    if (h->review_count > 0) {
        buf_append_int(b, h->review_average_tenths / 10);
        buf_append_char(b, '.');
        buf_append_int(b, h->review_average_tenths % 10);
    } else {
        buf_append_str(b, "null");
    }
    /* Only a completed rotation's student can review: the mark says so. */
    buf_append_str(b, h->review_count > 0 ? ",\"verified_rotation\":true}}" : ",\"verified_rotation\":false}}");
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
    const char *key = eligible_me ? NULL : catalog_query_key(&req->arena, &q);
    if (key != NULL && http_cache_reply_at(req, HTTP_CACHE_SEARCH_JSON, key, catalog_index_generation()))
        return;
    struct store_user user;
    if (eligible_me) {
        if (!req->auth.authenticated) {
            http_reply_error(req, ERR_UNAUTHENTICATED, "eligible", "log in to search by your eligibility");
            return;
        }
        if (http_needs_db(req) || api_current_user(req, &user) != 0)
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
    buf_append_str(&b, ",\"total\":");
    buf_append_int(&b, result.total);
    buf_append_str(&b, ",\"facets\":{");
    write_facet(&b, "specialty", result.specialty_counts, reference_specialty_count, specialty_label);
    buf_append_char(&b, ',');
    write_facet(&b, "state", result.state_counts, reference_state_count, state_label);
    buf_append_char(&b, ',');
    write_facet(&b, "kind", result.kind_counts, OFFERING_KIND_COUNT, kind_label);
    buf_append_str(&b, "}}");
    if (key != NULL)
        http_cache_reply_and_keep_at(req, HTTP_CACHE_SEARCH_JSON, key, result.generation,
                                     "application/json; charset=utf-8", &b);
    else
        http_reply_json(req, 200, &b);
}
