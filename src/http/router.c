/* router.c — segment-by-segment matching of a path against the route table. */
#include "http/router.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct {
    enum http_method method;
    const char *name;
} method_names[] = {
    {HTTP_GET, "GET"}, {HTTP_HEAD, "HEAD"}, {HTTP_POST, "POST"}, {HTTP_PUT, "PUT"},
    {HTTP_PATCH, "PATCH"}, {HTTP_DELETE, "DELETE"}, {HTTP_OPTIONS, "OPTIONS"},
};

enum http_method http_method_parse(const char *s, size_t len)
{
    for (size_t i = 0; i < sizeof(method_names) / sizeof(method_names[0]); i++)
        if (strlen(method_names[i].name) == len && memcmp(method_names[i].name, s, len) == 0)
            return method_names[i].method;
    return HTTP_OTHER;
}

const char *http_method_name(enum http_method method)
{
    for (size_t i = 0; i < sizeof(method_names) / sizeof(method_names[0]); i++)
        if (method_names[i].method == method)
            return method_names[i].name;
    return "OTHER";
}

/* Matches one pattern; fills params on success. Every request tries the
 * patterns in turn, so the pattern is walked once (no strlen first): most
 * fail within their first segments. */
static int match_pattern(const char *pattern, const char *path, size_t path_len, struct route_match *out)
{
    size_t pi = 0, si = 0;
    out->param_count = 0;
    while (pattern[pi] != '\0' && si < path_len) {
        if (pattern[pi] == '{') {
            const char *close = strchr(pattern + pi, '}');
            if (close == NULL || out->param_count == ROUTE_MAX_PARAMS)
                return 0;
            size_t start = si;
            while (si < path_len && path[si] != '/')
                si++;
            if (si == start)
                return 0;
            struct route_param *p = &out->params[out->param_count++];
            p->name = pattern + pi + 1;
            p->name_len = (size_t)(close - (pattern + pi + 1));
            p->value = path + start;
            p->value_len = si - start;
            pi = (size_t)(close - pattern) + 1;
        } else {
            if (pattern[pi] != path[si])
                return 0;
            pi++;
            si++;
        }
    }
    return pattern[pi] == '\0' && si == path_len;
}

enum route_result router_match(const struct route *table, size_t count, enum http_method method, const char *path,
                               size_t path_len, struct route_match *out)
{
    struct route_match candidate;
    unsigned allowed = 0;
    out->route = NULL;
    out->param_count = 0;
    for (size_t i = 0; i < count; i++) {
        const struct route *r = &table[i];
        if (!match_pattern(r->pattern, path, path_len, &candidate))
            continue;
        unsigned methods = r->methods;
        if (methods & HTTP_GET)
            methods |= HTTP_HEAD;
        allowed |= methods;
        if ((methods & (unsigned)method) && out->route == NULL) {
            *out = candidate;
            out->route = r;
        }
    }
    out->allowed = allowed;
    if (out->route != NULL)
        return ROUTE_FOUND;
    return allowed ? ROUTE_METHOD_NOT_ALLOWED : ROUTE_NOT_FOUND;
}

/* The first non-empty segment of s[0..len): its start, and its length in *seg_len. */
static const char *first_segment(const char *s, size_t len, size_t *seg_len)
{
    size_t i = 0;
    while (i < len && s[i] == '/')
        i++;
    size_t start = i;
    while (i < len && s[i] != '/')
        i++;
    *seg_len = i - start;
    return s + start;
}

bool router_secret_path(const struct route *table, size_t count, const char *path, size_t path_len, char *out,
                        size_t out_size)
{
    size_t seg_len;
    const char *seg = first_segment(path, path_len, &seg_len);
    if (seg_len == 0)
        return false;
    for (size_t i = 0; i < count; i++) {
        const char *pattern = table[i].pattern;
        if (pattern == NULL || strstr(pattern, "{token}") == NULL)
            continue;
        size_t secret_len;
        const char *secret = first_segment(pattern, strlen(pattern), &secret_len);
        if (secret_len == seg_len && strncasecmp(secret, seg, seg_len) == 0) {
            if (out_size > 0)
                snprintf(out, out_size, "/%.*s/{masked}", (int)secret_len, secret);
            return true;
        }
    }
    return false;
}

void router_allow_header(unsigned methods, char *out, size_t out_size)
{
    size_t used = 0;
    if (out_size == 0)
        return;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof(method_names) / sizeof(method_names[0]); i++) {
        if (!(methods & method_names[i].method))
            continue;
        int n = snprintf(out + used, out_size - used, "%s%s", used ? ", " : "", method_names[i].name);
        if (n < 0 || (size_t)n >= out_size - used) {
            out[used] = '\0'; /* never leave half a method name */
            return;
        }
        used += (size_t)n;
    }
}
