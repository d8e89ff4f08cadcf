/* fuzz_router.c — libFuzzer target for router_match(), its index and its helpers.
 *
 * The input is "METHOD PATH" (without a space the method is GET and the whole
 * input is the path). The path is matched against a fixed table with
 * literal, shadowed and parameter routes, and the answer is compared with a
 * plain segment-by-segment reference matcher: same result, same route (the
 * first that matches), same allowed mask, same parameters. It also checks
 * what handlers rely on: parameter values lie inside the path, are non-empty
 * and hold no '/'; substituting them into the pattern gives the path back;
 * the mask is zero exactly when nothing matched. router_secret_path() masks
 * exactly the paths whose first non-empty segment is "invitations" in any
 * case, and then shows nothing of the path. The table's router_index
 * answers every input as router_match() does. A violation traps. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

static const struct route table[] = {
    {.methods = HTTP_GET, .pattern = "/"},
    {.methods = HTTP_GET, .pattern = "/healthz"},
    {.methods = HTTP_GET | HTTP_POST, .pattern = "/api/v1/offerings"},
    {.methods = HTTP_GET, .pattern = "/api/v1/offerings/featured"},
    {.methods = HTTP_GET, .pattern = "/api/v1/offerings/{id}"},
    {.methods = HTTP_PATCH | HTTP_DELETE, .pattern = "/api/v1/offerings/{id}"},
    {.methods = HTTP_GET, .pattern = "/api/v1/offerings/{id}/blocks"},
    {.methods = HTTP_GET | HTTP_PUT, .pattern = "/api/v1/offerings/{id}/blocks/{block_id}"},
    {.methods = HTTP_POST, .pattern = "/api/v1/applications/{id}/{action}"},
    {.methods = HTTP_POST, .pattern = "/api/v1/applications/{id}/withdraw"}, /* shadowed by the one above */
    {.methods = HTTP_OPTIONS, .pattern = "/{a}/{b}/{c}/{d}/{e}/{f}"},
    {.methods = HTTP_GET, .pattern = "/{page}"},
    {.methods = HTTP_POST, .pattern = "/login"},
    {.methods = HTTP_GET, .pattern = "/invitations/letters/{token}"},
};
enum { TABLE_SIZE = sizeof(table) / sizeof(table[0]) };

/* The reference: split both on '/', equal segment counts, literal segments
 * equal, "{name}" segments non-empty. Fills params like router_match does. */
static bool reference_match(const char *pattern, const char *path, size_t path_len, struct route_param *params,
                            size_t *count)
{
    const char *p = pattern, *p_end = pattern + strlen(pattern);
    const char *s = path, *s_end = path + path_len;
    *count = 0;
    for (;;) {
        const char *p_seg_end = memchr(p, '/', (size_t)(p_end - p));
        const char *s_seg_end = memchr(s, '/', (size_t)(s_end - s));
        if (p_seg_end == NULL)
            p_seg_end = p_end;
        if (s_seg_end == NULL)
            s_seg_end = s_end;
        size_t p_len = (size_t)(p_seg_end - p), s_len = (size_t)(s_seg_end - s);
        if (p_len >= 2 && p[0] == '{' && p[p_len - 1] == '}') {
            if (s_len == 0 || *count == ROUTE_MAX_PARAMS)
                return false;
            params[*count] = (struct route_param){p + 1, p_len - 2, s, s_len};
            (*count)++;
        } else if (p_len != s_len || memcmp(p, s, p_len) != 0) {
            return false;
        }
        bool p_more = p_seg_end < p_end, s_more = s_seg_end < s_end;
        if (p_more != s_more)
            return false;
        if (!p_more)
            return true;
        p = p_seg_end + 1;
        s = s_seg_end + 1;
    }
}

/* The pattern with each {param} replaced by its value must be the path. */
static void check_substitution(const struct route_match *m, const char *path, size_t path_len)
{
    const char *p = m->route->pattern;
    size_t si = 0, param = 0;
    while (*p != '\0') {
        if (*p == '{') {
            check(param < m->param_count);
            const struct route_param *rp = &m->params[param++];
            check(rp->name == p + 1);
            const char *close = strchr(p, '}');
            check(close != NULL && (size_t)(close - rp->name) == rp->name_len);
            check(rp->value == path + si);
            si += rp->value_len;
            p = close + 1;
        } else {
            check(si < path_len && path[si] == *p);
            si++;
            p++;
        }
    }
    check(si == path_len);
    check(param == m->param_count);
}

static void check_allow_header(unsigned allowed)
{
    char out[64];
    router_allow_header(allowed, out, sizeof(out));
    check(memchr(out, '\0', sizeof(out)) != NULL);
    unsigned seen = 0;
    const char *p = out;
    while (*p != '\0') {
        const char *comma = strstr(p, ", ");
        size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);
        enum http_method m = http_method_parse(p, len);
        check(m != HTTP_OTHER && (allowed & (unsigned)m) && !(seen & (unsigned)m));
        seen |= (unsigned)m;
        p += len;
        if (comma != NULL)
            p += 2;
    }
    check(seen == (allowed & ~(unsigned)HTTP_OTHER));
}

/* The reference for secret paths: the first non-empty segment is "invitations". */
static void check_secret_path(const char *path, size_t path_len)
{
    size_t i = 0;
    while (i < path_len && path[i] == '/')
        i++;
    size_t start = i;
    while (i < path_len && path[i] != '/')
        i++;
    bool expected = i - start == 11 && strncasecmp(path + start, "invitations", 11) == 0;
    char out[32];
    bool masked = router_secret_path(table, TABLE_SIZE, path, path_len, out, sizeof(out));
    check(masked == expected);
    if (masked)
        check(strcmp(out, "/invitations/{masked}") == 0);
}

/* The index of the table answers exactly as router_match() did, and masks as router_secret_path(). */
static void check_index(enum http_method method, const char *path, size_t path_len, enum route_result result,
                        const struct route_match *m)
{
    static struct router_index *index;
    if (index == NULL)
        check(router_index_new(table, TABLE_SIZE, &index) == 0);
    struct route_match im;
    check(router_index_match(index, method, path, path_len, &im) == result);
    check(im.route == m->route && im.allowed == m->allowed && im.param_count == m->param_count);
    for (size_t i = 0; i < m->param_count; i++)
        check(im.params[i].name == m->params[i].name && im.params[i].name_len == m->params[i].name_len &&
              im.params[i].value == m->params[i].value && im.params[i].value_len == m->params[i].value_len);
    char out[32], index_out[32];
    bool masked = router_secret_path(table, TABLE_SIZE, path, path_len, out, sizeof(out));
    check(router_index_secret_path(index, path, path_len, index_out, sizeof(index_out)) == masked);
    if (masked)
        check(strcmp(out, index_out) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *space = memchr(text, ' ', size);
    enum http_method method = HTTP_GET;
    const char *path_start = text;
    size_t path_len = size;
    if (space != NULL) {
        size_t method_len = (size_t)(space - text);
        method = http_method_parse(text, method_len);
        if (method != HTTP_OTHER) {
            const char *name = http_method_name(method);
            check(strlen(name) == method_len && memcmp(name, text, method_len) == 0);
        }
        path_start = space + 1;
        path_len = size - method_len - 1;
    }
    /* An exact-size copy, so that a read past the path is caught. */
    char *path = malloc(path_len > 0 ? path_len : 1);
    check(path != NULL);
    if (path_len > 0)
        memcpy(path, path_start, path_len);

    struct route_match m;
    enum route_result result = router_match(table, TABLE_SIZE, method, path, path_len, &m);

    /* What the reference says. */
    const struct route *expected = NULL;
    struct route_param expected_params[ROUTE_MAX_PARAMS];
    size_t expected_count = 0;
    unsigned allowed = 0;
    for (size_t i = 0; i < TABLE_SIZE; i++) {
        struct route_param params[ROUTE_MAX_PARAMS];
        size_t count;
        if (!reference_match(table[i].pattern, path, path_len, params, &count))
            continue;
        unsigned methods = table[i].methods | ((table[i].methods & HTTP_GET) ? HTTP_HEAD : 0u);
        allowed |= methods;
        if (expected == NULL && (methods & (unsigned)method)) {
            expected = &table[i];
            memcpy(expected_params, params, sizeof(params));
            expected_count = count;
        }
    }

    check(m.allowed == allowed);
    switch (result) {
    case ROUTE_FOUND:
        check(m.route == expected && m.route != NULL);
        check(m.allowed != 0 && (m.allowed & (unsigned)method));
        check(m.param_count == expected_count && m.param_count <= ROUTE_MAX_PARAMS);
        for (size_t i = 0; i < m.param_count; i++) {
            const struct route_param *p = &m.params[i];
            check(p->value_len > 0);
            check(p->value >= path && p->value + p->value_len <= path + path_len);
            check(memchr(p->value, '/', p->value_len) == NULL);
            check(p->name_len > 0 && memchr(p->name, '}', p->name_len) == NULL);
            check(p->name == expected_params[i].name && p->name_len == expected_params[i].name_len);
            check(p->value == expected_params[i].value && p->value_len == expected_params[i].value_len);
        }
        check_substitution(&m, path, path_len);
        break;
    case ROUTE_METHOD_NOT_ALLOWED:
        check(expected == NULL && m.route == NULL);
        check(m.allowed != 0 && !(m.allowed & (unsigned)method));
        break;
    case ROUTE_NOT_FOUND:
        check(expected == NULL && m.route == NULL);
        check(m.allowed == 0);
        break;
    default:
        check(false);
    }
    check_allow_header(m.allowed);
    check_secret_path(path, path_len);
    check_index(method, path, path_len, result, &m);
    free(path);
    return 0;
}
