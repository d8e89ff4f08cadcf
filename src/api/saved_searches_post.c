/* saved_searches_post.c — POST /api/v1/saved-searches {name, filters:{q?,
 * specialty?, state?, kind?, start_from?, start_to?, max_tuition?,
 * include_full?, eligible?}} (a student) → 201 the saved search. The filters
 * are checked by the search's own parser: a bad one is 400 naming
 * "filters.<name>"; more than SAVED_SEARCHES_MAX → 422. */
#include <inttypes.h>
#include <stdio.h>

#include "api/alerts_api.h"
#include "api/request_specs.h"
#include "domain/alerts.h"
#include "lib/limits.h"

struct filters_body {
    const char *q, *specialty, *state, *kind, *start_from, *start_to, *eligible;
    int64_t max_tuition;
    bool include_full;
};

struct saved_search_body {
    const char *name;
    struct filters_body filters;
};

static const struct json_field filters_spec[] = {
    JSON_STRING(struct filters_body, q, JSON_NULLABLE, 0, SEARCH_QUERY_MAX_CHARS),
    JSON_STRING(struct filters_body, specialty, JSON_NULLABLE, 0, ID_MAX_BYTES),
    JSON_STRING(struct filters_body, state, JSON_NULLABLE, 0, ID_MAX_BYTES),
    JSON_STRING(struct filters_body, kind, JSON_NULLABLE, 0, ID_MAX_BYTES),
    JSON_STRING(struct filters_body, start_from, JSON_NULLABLE, 0, ID_MAX_BYTES),
    JSON_STRING(struct filters_body, start_to, JSON_NULLABLE, 0, ID_MAX_BYTES),
    JSON_INT(struct filters_body, max_tuition, JSON_NULLABLE, 0, CATALOG_TUITION_MAX_CENTS),
    JSON_BOOL(struct filters_body, include_full, JSON_OPTIONAL),
    JSON_STRING(struct filters_body, eligible, JSON_NULLABLE, 0, ID_MAX_BYTES),
    {0},
};

const struct json_field api_saved_searches_post_spec[] = {
    JSON_STRING(struct saved_search_body, name, JSON_REQUIRED, 1, SAVED_SEARCH_NAME_MAX_CHARS),
    JSON_OBJECT(struct saved_search_body, filters, JSON_REQUIRED, filters_spec),
    {0},
};

void api_saved_searches_post(struct http_request *req)
{
    struct store_user user;
    struct saved_search_body body = {0};
    body.filters.max_tuition = -1;
    if (api_current_user(req, &user) != 0 || api_parse_body(req, api_saved_searches_post_spec, &body, NULL) != 0)
        return;
    char tuition[24];
    snprintf(tuition, sizeof(tuition), "%" PRId64, body.filters.max_tuition);
    struct alerts_filters f = {
        .q = body.filters.q,
        .specialty = body.filters.specialty,
        .state = body.filters.state,
        .kind = body.filters.kind,
        .start_from = body.filters.start_from,
        .start_to = body.filters.start_to,
        .max_tuition = body.filters.max_tuition >= 0 ? tuition : NULL,
        .include_full = body.filters.include_full ? "true" : NULL,
        .eligible = body.filters.eligible,
    };
    struct store_saved_search s;
    struct error err = {0};
    if (alerts_saved_search_create(req->db, &req->arena, &user, body.name, &f, &s, &err) != 0) {
        if (err.field != NULL) {
            struct buf field;
            buf_init(&field, &req->arena, BUF_CAP_WORD);
            buf_appendf(&field, "filters.%s", err.field);
            err.field = buf_ok(&field) ? field.data : err.field;
        }
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    api_write_saved_search(&b, &req->arena, &s);
    http_reply_json(req, 201, &b);
}
