/* openapi.c — GET /api/v1/openapi.json: an OpenAPI 3.1 document built from the
 * route table itself, so that it cannot drift from what the server answers. */
#include <string.h>

#include "api/api.h"
#include "lib/limits.h"

/* "/api/v1/offerings/{id}" needs its path parameters declared. */
static void write_parameters(struct buf *b, const char *pattern)
{
    bool first = true;
    buf_append_str(b, "\"parameters\":[");
    for (const char *p = strchr(pattern, '{'); p != NULL; p = strchr(p + 1, '{')) {
        const char *close = strchr(p, '}');
        if (close == NULL)
            break;
        buf_append_str(b, first ? "{\"name\":\"" : ",{\"name\":\"");
        buf_append(b, p + 1, (size_t)(close - p - 1));
        buf_append_str(b, "\",\"in\":\"path\",\"required\":true,\"schema\":{\"type\":\"string\"}}");
        first = false;
    }
    buf_append_str(b, "],");
}

void api_openapi(struct http_request *req)
{
    static const enum http_method methods[] = {HTTP_GET, HTTP_POST, HTTP_PUT, HTTP_PATCH, HTTP_DELETE};
    static const char *const method_keys[] = {"get", "post", "put", "patch", "delete"};
    const struct route *routes = req->options->routes;
    size_t count = req->options->route_count;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_DETAIL);
    buf_append_str(&b, "{\"openapi\":\"3.1.0\",\"info\":{\"title\":\"Rounds API\",\"version\":\"1\"},"
                       "\"components\":{\"securitySchemes\":{\"bearer\":{\"type\":\"http\",\"scheme\":\"bearer\"}},"
                       "\"schemas\":{\"Problem\":{\"type\":\"object\",\"properties\":{\"type\":{\"type\":\"string\"},"
                       "\"title\":{\"type\":\"string\"},\"status\":{\"type\":\"integer\"},\"code\":{\"type\":"
                       "\"string\"},\"detail\":{\"type\":\"string\"},\"field\":{\"type\":[\"string\",\"null\"]}}}}},"
                       "\"paths\":{");
    bool first_path = true;
    for (size_t i = 0; i < count; i++) {
        if (!(routes[i].flags & ROUTE_JSON))
            continue;
        /* One entry per pattern: skip patterns already written. */
        bool seen = false;
        for (size_t k = 0; k < i; k++)
            if ((routes[k].flags & ROUTE_JSON) && strcmp(routes[k].pattern, routes[i].pattern) == 0)
                seen = true;
        if (seen)
            continue;
        if (!first_path)
            buf_append_char(&b, ',');
        first_path = false;
        buf_append_json_string(&b, routes[i].pattern);
        buf_append_str(&b, ":{");
        bool first_op = true;
        for (size_t k = i; k < count; k++) {
            if (!(routes[k].flags & ROUTE_JSON) || strcmp(routes[k].pattern, routes[i].pattern) != 0)
                continue;
            for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]); m++) {
                if (!(routes[k].methods & methods[m]))
                    continue;
                buf_appendf(&b, "%s\"%s\":{\"summary\":", first_op ? "" : ",", method_keys[m]);
                buf_append_json_string(&b, routes[k].summary != NULL ? routes[k].summary : routes[k].pattern);
                buf_append_char(&b, ',');
                write_parameters(&b, routes[k].pattern);
                if (routes[k].flags & ROUTE_AUTH)
                    buf_append_str(&b, "\"security\":[{\"bearer\":[]}],");
                buf_append_str(&b, "\"responses\":{\"default\":{\"description\":\"See API.md; errors are "
                                   "application/problem+json\",\"content\":{\"application/problem+json\":{\"schema\":"
                                   "{\"$ref\":\"#/components/schemas/Problem\"}}}}}}");
                first_op = false;
            }
        }
        buf_append_char(&b, '}');
    }
    buf_append_str(&b, "}}");
    http_reply_json(req, 200, &b);
}
