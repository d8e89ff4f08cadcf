/* openapi.c — GET /api/v1/openapi.json: an OpenAPI 3.1 document built from the
 * route table itself, so that it cannot drift from what the server answers:
 * path and query parameters, the request body's JSON Schema generated from
 * the very field spec its handler parses with (route .request), the success
 * reply (route .response/.status) referring to the component schemas of
 * api/openapi_schemas.c, and problem+json for every error. The test-only
 * routes appear only when the server runs with test hooks. */
#include <string.h>

#include "api/api.h"
#include "api/openapi_schemas.h"
#include "api/request_specs.h"
#include "lib/limits.h"

const struct json_field api_no_body[] = {{0}};

/* "/api/v1/offerings/{id}" needs its path parameters declared. */
static void write_path_parameters(struct buf *b, const char *pattern, bool *first)
{
    for (const char *p = strchr(pattern, '{'); p != NULL; p = strchr(p + 1, '{')) {
        const char *close = strchr(p, '}');
        if (close == NULL)
            break;
        buf_append_str(b, *first ? "{\"name\":\"" : ",{\"name\":\"");
        buf_append(b, p + 1, (size_t)(close - p - 1));
        buf_append_str(b, "\",\"in\":\"path\",\"required\":true,\"schema\":{\"type\":\"string\"}}");
        *first = false;
    }
}

/* The schema of a query parameter: the few that are numbers say so. */
static const char *query_schema(const char *name)
{
    static const struct {
        const char *name, *schema;
    } known[] = {
        {"limit", "{\"type\":\"integer\",\"minimum\":1,\"maximum\":100,\"default\":20}"},
        {"cursor", "{\"type\":\"string\",\"pattern\":\"^[A-Za-z0-9_-]{1,64}$\"}"},
        {"max_tuition", "{\"type\":\"integer\",\"minimum\":0,\"maximum\":10000000}"},
        {"year", "{\"type\":\"integer\",\"minimum\":2000}"},
        {"days", "{\"type\":\"integer\",\"minimum\":1,\"maximum\":3650}"},
        {"start_from", "{\"type\":\"string\",\"format\":\"date\"}"},
        {"start_to", "{\"type\":\"string\",\"format\":\"date\"}"},
    };
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
        if (strcmp(known[i].name, name) == 0)
            return known[i].schema;
    return "{\"type\":\"string\"}";
}

static void write_parameters(struct buf *b, const struct route *route)
{
    bool first = true;
    buf_append_str(b, "\"parameters\":[");
    write_path_parameters(b, route->pattern, &first);
    for (const char *const *q = route->query; q != NULL && *q != NULL; q++) {
        buf_append_str(b, first ? "{\"name\":" : ",{\"name\":");
        buf_append_json_string(b, *q);
        buf_appendf(b, ",\"in\":\"query\",\"required\":false,\"schema\":%s}", query_schema(*q));
        first = false;
    }
    buf_append_str(b, "],");
}

static void write_object_schema(struct buf *b, const struct json_field *spec, bool nullable);

/* "type":"string" or "type":["string","null"]. */
static void write_type(struct buf *b, const char *type, bool nullable)
{
    if (nullable)
        buf_appendf(b, "\"type\":[\"%s\",\"null\"]", type);
    else
        buf_appendf(b, "\"type\":\"%s\"", type);
}

static void write_enum(struct buf *b, const char *const *values, bool nullable)
{
    buf_append_str(b, ",\"enum\":[");
    for (size_t i = 0; values != NULL && values[i] != NULL; i++) {
        if (i > 0)
            buf_append_char(b, ',');
        buf_append_json_string(b, values[i]);
    }
    buf_append_str(b, nullable ? ",null]" : "]");
}

/* The JSON Schema of one field, from what json_spec_parse() accepts for it. */
static void write_field_schema(struct buf *b, const struct json_field *f)
{
    bool nullable = (f->flags & JSON_NULLABLE) != 0;
    if (f->type == JSON_FIELD_OBJECT) {
        write_object_schema(b, f->fields, nullable);
        return;
    }
    buf_append_char(b, '{');
    switch (f->type) {
    case JSON_FIELD_STRING:
    case JSON_FIELD_TEXT:
        write_type(b, "string", nullable);
        buf_appendf(b, ",\"minLength\":%lld,\"maxLength\":%lld", (long long)f->min, (long long)f->max);
        if (f->type == JSON_FIELD_STRING)
            buf_append_str(b, ",\"description\":\"one line\"");
        break;
    case JSON_FIELD_EMAIL:
        write_type(b, "string", nullable);
        buf_appendf(b, ",\"format\":\"email\",\"maxLength\":%lld", (long long)f->max);
        break;
    case JSON_FIELD_INT:
        write_type(b, "integer", nullable);
        buf_appendf(b, ",\"minimum\":%lld,\"maximum\":%lld", (long long)f->min, (long long)f->max);
        break;
    case JSON_FIELD_HUNDREDTHS:
        write_type(b, "number", nullable);
        buf_appendf(b, ",\"minimum\":%.2f,\"maximum\":%.2f,\"description\":\"at most two decimals\"",
                    (double)f->min / 100.0, (double)f->max / 100.0);
        break;
    case JSON_FIELD_BOOL:
        write_type(b, "boolean", nullable);
        break;
    case JSON_FIELD_ENUM:
        write_type(b, "string", nullable);
        write_enum(b, f->values, nullable);
        break;
    case JSON_FIELD_DATE:
        write_type(b, "string", nullable);
        buf_append_str(b, ",\"format\":\"date\"");
        break;
    case JSON_FIELD_STRING_ARRAY:
        write_type(b, "array", nullable);
        buf_appendf(b, ",\"maxItems\":%zu,\"items\":{\"type\":\"string\",\"minLength\":%lld,\"maxLength\":%lld}",
                    f->max_items, (long long)f->min, (long long)f->max);
        break;
    case JSON_FIELD_ENUM_ARRAY:
        write_type(b, "array", nullable);
        buf_appendf(b, ",\"maxItems\":%zu,\"uniqueItems\":true,\"items\":{\"type\":\"string\"", f->max_items);
        write_enum(b, f->values, false);
        buf_append_char(b, '}');
        break;
    case JSON_FIELD_OBJECT: /* written above */
        break;
    case JSON_FIELD_OBJECT_ARRAY:
        write_type(b, "array", nullable);
        buf_appendf(b, ",\"maxItems\":%zu,\"items\":", f->max_items);
        write_object_schema(b, f->fields, false);
        break;
    }
    buf_append_char(b, '}');
}

/* An object of spec's fields: the required ones listed, no others allowed
 * (json_spec_parse() refuses unknown fields). */
static void write_object_schema(struct buf *b, const struct json_field *spec, bool nullable)
{
    buf_append_char(b, '{');
    write_type(b, "object", nullable);
    buf_append_str(b, ",\"additionalProperties\":false,\"properties\":{");
    for (const struct json_field *f = spec; f->name != NULL; f++) {
        if (f != spec)
            buf_append_char(b, ',');
        buf_append_json_string(b, f->name);
        buf_append_char(b, ':');
        write_field_schema(b, f);
    }
    buf_append_str(b, "},\"required\":[");
    bool first = true;
    for (const struct json_field *f = spec; f->name != NULL; f++) {
        if (!(f->flags & JSON_REQUIRED))
            continue;
        if (!first)
            buf_append_char(b, ',');
        buf_append_json_string(b, f->name);
        first = false;
    }
    buf_append_str(b, "]}");
}

static bool spec_requires(const struct json_field *spec)
{
    for (const struct json_field *f = spec; f->name != NULL; f++)
        if (f->flags & JSON_REQUIRED)
            return true;
    return false;
}

/* The body: multipart for uploads (the part "file" and text fields); else the JSON Schema of the route's spec,
 * or one of its specs when the body depends on the {action}. */
static void write_request_body(struct buf *b, const struct route *route)
{
    if (route->flags & ROUTE_UPLOAD) {
        buf_append_str(b, "\"requestBody\":{\"required\":true,\"content\":{\"multipart/form-data\":{\"schema\":"
                          "{\"type\":\"object\",\"required\":[\"file\"],\"properties\":{\"file\":{\"type\":\"string\","
                          "\"contentMediaType\":\"application/octet-stream\"}},"
                          "\"additionalProperties\":{\"type\":\"string\"}}}}},");
        return;
    }
    if (route->requests != NULL) {
        buf_append_str(b, "\"requestBody\":{\"required\":false,\"content\":{\"application/json\":{\"schema\":"
                          "{\"description\":\"one of these, by the action\",\"oneOf\":[");
        for (size_t i = 0; route->requests[i] != NULL; i++) {
            if (i > 0)
                buf_append_char(b, ',');
            write_object_schema(b, route->requests[i], false);
        }
        buf_append_str(b, "]}}}},");
        return;
    }
    if (route->request_schema != NULL) {
        buf_append_str(b, "\"requestBody\":{\"required\":true,\"content\":{\"application/json\":{\"schema\":"
                          "{\"$ref\":\"#/components/schemas/");
        buf_append_str(b, route->request_schema);
        buf_append_str(b, "\"}}}},");
        return;
    }
    if (route->request == NULL || route->request == api_no_body)
        return;
    buf_appendf(b, "\"requestBody\":{\"required\":%s,\"content\":{\"application/json\":{\"schema\":",
                spec_requires(route->request) ? "true" : "false");
    write_object_schema(b, route->request, false);
    buf_append_str(b, "}}},");
}

/* The JSON schema of a success reply: "Offering", or "Offering[]" (a list:
 * one page of it with next_cursor, null on the last page). */
static void write_reply_schema(struct buf *b, const char *r, size_t len)
{
    if (len <= 2 || strcmp(r + len - 2, "[]") != 0) {
        buf_append_str(b, "{\"$ref\":\"#/components/schemas/");
        buf_append(b, r, len);
        buf_append_str(b, "\"}");
        return;
    }
    buf_append_str(b, "{\"type\":\"object\",\"required\":[\"items\",\"next_cursor\"],\"properties\":{\"items\":"
                      "{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/");
    buf_append(b, r, len - 2);
    buf_append_str(b, "\"}},\"next_cursor\":{\"type\":[\"string\",\"null\"]}}}");
}

/* The success reply, then problem+json for everything else. */
static void write_responses(struct buf *b, const struct route *route)
{
    buf_append_str(b, "\"responses\":{");
    const char *r = route->response;
    if (r != NULL) {
        size_t len = strlen(r);
        buf_appendf(b, "\"%d\":{\"description\":\"Success\"", route->status != 0 ? route->status : 200);
        if (strchr(r, '/') != NULL) {
            buf_append_str(b, ",\"content\":{");
            buf_append_json_string(b, r);
            buf_append_str(b, ":{\"schema\":{\"type\":\"string\"}}}");
        } else if (len > 0) {
            buf_append_str(b, ",\"content\":{\"application/json\":{\"schema\":");
            write_reply_schema(b, r, len);
            buf_append_str(b, "}}");
        }
        buf_append_str(b, "},");
    }
    buf_append_str(b, "\"default\":{\"description\":\"An error, as application/problem+json\",\"content\":"
                      "{\"application/problem+json\":{\"schema\":{\"$ref\":\"#/components/schemas/Problem\"}}}}}");
}

static void write_operation(struct buf *b, const struct route *route, const char *method_key, bool first)
{
    buf_appendf(b, "%s\"%s\":{\"summary\":", first ? "" : ",", method_key);
    buf_append_json_string(b, route->summary != NULL ? route->summary : route->pattern);
    buf_append_char(b, ',');
    write_parameters(b, route);
    if (route->flags & ROUTE_AUTH)
        buf_append_str(b, "\"security\":[{\"bearer\":[]}],");
    bool takes_body = (route->methods & (HTTP_POST | HTTP_PUT | HTTP_PATCH)) != 0;
    if (takes_body)
        write_request_body(b, route);
    /* What the route table does not say yet (tests/openapi lists these). */
    bool no_request = takes_body && route->request == NULL && route->requests == NULL && route->request_schema == NULL &&
                      !(route->flags & ROUTE_UPLOAD);
    if (no_request || route->response == NULL)
        buf_appendf(b, "\"x-rounds-undescribed\":[%s%s%s],", no_request ? "\"request\"" : "",
                    no_request && route->response == NULL ? "," : "", route->response == NULL ? "\"response\"" : "");
    write_responses(b, route);
    buf_append_char(b, '}');
}

/* The routes the document shows: JSON ones, test hooks only when they are on. */
static bool listed(const struct http_options *options, const struct route *route)
{
    if (!(route->flags & ROUTE_JSON))
        return false;
    return !(route->flags & ROUTE_TEST_HOOK) || options->test_hooks;
}

/* Every method of every listed route sharing routes[i]'s pattern. */
static void write_path(struct buf *b, const struct http_options *options, size_t i)
{
    static const enum http_method methods[] = {HTTP_GET, HTTP_POST, HTTP_PUT, HTTP_PATCH, HTTP_DELETE};
    static const char *const method_keys[] = {"get", "post", "put", "patch", "delete"};
    const struct route *routes = options->routes;
    buf_append_json_string(b, routes[i].pattern);
    buf_append_str(b, ":{");
    bool first_op = true;
    for (size_t k = i; k < options->route_count; k++) {
        if (!listed(options, &routes[k]) || strcmp(routes[k].pattern, routes[i].pattern) != 0)
            continue;
        for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]); m++) {
            if (!(routes[k].methods & methods[m]))
                continue;
            write_operation(b, &routes[k], method_keys[m], first_op);
            first_op = false;
        }
    }
    buf_append_char(b, '}');
}

void api_openapi(struct http_request *req)
{
    const struct http_options *options = req->options;
    const struct route *routes = options->routes;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    buf_append_str(&b, "{\"openapi\":\"3.1.0\",\"info\":{\"title\":\"Rounds API\",\"version\":\"1\"},"
                       "\"components\":{\"securitySchemes\":{\"bearer\":{\"type\":\"http\",\"scheme\":\"bearer\"}},"
                       "\"schemas\":{");
    openapi_write_component_schemas(&b);
    buf_append_str(&b, "}},\"paths\":{");
    bool first_path = true;
    for (size_t i = 0; i < options->route_count; i++) {
        if (!listed(options, &routes[i]))
            continue;
        /* One entry per pattern: skip patterns already written. */
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++)
            seen = listed(options, &routes[k]) && strcmp(routes[k].pattern, routes[i].pattern) == 0;
        if (seen)
            continue;
        if (!first_path)
            buf_append_char(&b, ',');
        first_path = false;
        write_path(&b, options, i);
    }
    buf_append_str(&b, "}}");
    http_reply_json(req, 200, &b);
}
