/* router.c — segment-by-segment matching of a path against the route table,
 * and an index of the table that tries only the routes a path can match. */
#include "http/router.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

/* Tries route number i of table on the path: a match adds its methods to
 * *allowed and, when it takes method and comes before *best, becomes the answer. */
static void try_route(const struct route *table, size_t i, enum http_method method, const char *path,
                      size_t path_len, struct route_match *out, size_t *best, unsigned *allowed)
{
    struct route_match candidate;
    const struct route *r = &table[i];
    if (!match_pattern(r->pattern, path, path_len, &candidate))
        return;
    unsigned methods = r->methods;
    if (methods & HTTP_GET)
        methods |= HTTP_HEAD;
    *allowed |= methods;
    if ((methods & (unsigned)method) && i < *best) {
        *out = candidate;
        out->route = r;
        *best = i;
    }
}

static enum route_result route_result_of(struct route_match *out, unsigned allowed)
{
    out->allowed = allowed;
    if (out->route != NULL)
        return ROUTE_FOUND;
    return allowed ? ROUTE_METHOD_NOT_ALLOWED : ROUTE_NOT_FOUND;
}

enum route_result router_match(const struct route *table, size_t count, enum http_method method, const char *path,
                               size_t path_len, struct route_match *out)
{
    unsigned allowed = 0;
    size_t best = SIZE_MAX;
    out->route = NULL;
    out->param_count = 0;
    for (size_t i = 0; i < count; i++)
        try_route(table, i, method, path, path_len, out, &best, &allowed);
    return route_result_of(out, allowed);
}

/* ---- the index ----
 *
 * A pattern's key is its start up to the end of its last leading literal
 * segment, at most ROUTER_KEY_SEGMENTS of them: "/api/v1/offerings/{id}/blocks"
 * → "/api/v1/offerings", "/api/v1/me/two-factor/confirm" → "/api/v1/me/two-factor",
 * "/" → "/", "/{page}" → "". The matcher compares literal characters one by
 * one, so a pattern matches a path only when its key is the path's start
 * followed by a '/' or the end: one of the path's prefixes at its first
 * ROUTER_KEY_SEGMENTS segment boundaries, or the empty one. Those are looked
 * up (a hash over the path, one pass) and the routes filed under them tried;
 * taking the first in table order among all of them gives router_match()'s
 * answer. */
enum { ROUTER_KEY_SEGMENTS = 4 };

struct router_bucket {
    bool used;
    uint32_t hash;
    const char *key; /* points into a pattern */
    size_t key_len;
    uint32_t first, count; /* its routes: index->routes[first .. first + count) */
};

struct router_secret {
    const char *segment; /* points into a pattern */
    size_t len;
};

struct router_index {
    const struct route *table;
    struct router_bucket *buckets;
    size_t bucket_mask; /* slots - 1, a power of two, at least twice the keys */
    uint32_t *routes;   /* table positions, grouped by key */
    struct router_secret *secrets;
    size_t secret_count;
};

static uint32_t hash_step(uint32_t h, char c)
{
    return (h ^ (unsigned char)c) * 16777619u; /* FNV-1a */
}

static uint32_t hash_of(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = hash_step(h, s[i]);
    return h;
}

static size_t pattern_key_length(const char *pattern)
{
    size_t len = 0, i = 0;
    if (pattern[0] != '/')
        return 0;
    for (int segments = 0; segments < ROUTER_KEY_SEGMENTS; segments++) {
        size_t end = i + 1;
        while (pattern[end] != '\0' && pattern[end] != '/' && pattern[end] != '{')
            end++;
        if (pattern[end] == '{')
            break;
        len = end;
        if (pattern[end] == '\0')
            break;
        i = end;
    }
    return len;
}

/* The bucket of key, or the empty slot where it would go. */
static struct router_bucket *bucket_slot(const struct router_index *index, const char *key, size_t len, uint32_t hash)
{
    for (size_t slot = hash & index->bucket_mask;; slot = (slot + 1) & index->bucket_mask) {
        struct router_bucket *b = &index->buckets[slot];
        if (!b->used || (b->hash == hash && b->key_len == len && memcmp(b->key, key, len) == 0))
            return b;
    }
}

/* The first segments of the patterns with a "{token}", each once. */
static int find_secrets(struct router_index *index, size_t count)
{
    index->secrets = calloc(count > 0 ? count : 1, sizeof(*index->secrets));
    if (index->secrets == NULL)
        return -1;
    for (size_t i = 0; i < count; i++) {
        const char *pattern = index->table[i].pattern;
        if (strstr(pattern, "{token}") == NULL)
            continue;
        size_t len;
        const char *segment = first_segment(pattern, strlen(pattern), &len);
        bool known = false;
        for (size_t k = 0; k < index->secret_count && !known; k++)
            known = index->secrets[k].len == len && strncasecmp(index->secrets[k].segment, segment, len) == 0;
        if (!known && len > 0)
            index->secrets[index->secret_count++] = (struct router_secret){segment, len};
    }
    return 0;
}

int router_index_new(const struct route *table, size_t count, struct router_index **out)
{
    *out = NULL;
    if (count > UINT32_MAX / 2)
        return -1;
    struct router_index *index = calloc(1, sizeof(*index));
    if (index == NULL)
        return -1;
    index->table = table;
    size_t slots = 4;
    while (slots < 2 * count)
        slots *= 2;
    index->bucket_mask = slots - 1;
    index->buckets = calloc(slots, sizeof(*index->buckets));
    index->routes = calloc(count > 0 ? count : 1, sizeof(*index->routes));
    if (index->buckets == NULL || index->routes == NULL || find_secrets(index, count) != 0) {
        router_index_free(index);
        return -1;
    }
    /* Count the routes of each key, give each key its run, then fill the runs in table order. */
    for (size_t i = 0; i < count; i++) {
        size_t len = pattern_key_length(table[i].pattern);
        uint32_t hash = hash_of(table[i].pattern, len);
        struct router_bucket *b = bucket_slot(index, table[i].pattern, len, hash);
        if (!b->used)
            *b = (struct router_bucket){.used = true, .hash = hash, .key = table[i].pattern, .key_len = len};
        b->count++;
    }
    uint32_t next = 0;
    for (size_t slot = 0; slot < slots; slot++) {
        index->buckets[slot].first = next;
        next += index->buckets[slot].count;
        index->buckets[slot].count = 0;
    }
    for (size_t i = 0; i < count; i++) {
        size_t len = pattern_key_length(table[i].pattern);
        struct router_bucket *b = bucket_slot(index, table[i].pattern, len, hash_of(table[i].pattern, len));
        index->routes[b->first + b->count++] = (uint32_t)i;
    }
    *out = index;
    return 0;
}

void router_index_free(struct router_index *index)
{
    if (index == NULL)
        return;
    free(index->buckets);
    free(index->routes);
    free(index->secrets);
    free(index);
}

static void try_bucket(const struct router_index *index, const char *key, size_t len, uint32_t hash,
                       enum http_method method, const char *path, size_t path_len, struct route_match *out,
                       size_t *best, unsigned *allowed)
{
    const struct router_bucket *b = bucket_slot(index, key, len, hash);
    for (uint32_t k = 0; b->used && k < b->count; k++)
        try_route(index->table, index->routes[b->first + k], method, path, path_len, out, best, allowed);
}

enum route_result router_index_match(const struct router_index *index, enum http_method method, const char *path,
                                     size_t path_len, struct route_match *out)
{
    unsigned allowed = 0;
    size_t best = SIZE_MAX;
    out->route = NULL;
    out->param_count = 0;
    uint32_t hash = hash_of(path, 0);
    try_bucket(index, path, 0, hash, method, path, path_len, out, &best, &allowed);
    size_t i = 0;
    for (int segments = 0; segments < ROUTER_KEY_SEGMENTS && i < path_len && path[i] == '/'; segments++) {
        hash = hash_step(hash, '/');
        for (i++; i < path_len && path[i] != '/'; i++)
            hash = hash_step(hash, path[i]);
        try_bucket(index, path, i, hash, method, path, path_len, out, &best, &allowed);
    }
    return route_result_of(out, allowed);
}


/* Writes the masked form of a path under the secret segment into out. */
static void write_masked(const char *secret, size_t secret_len, char *out, size_t out_size)
{
    if (out_size > 0)
        snprintf(out, out_size, "/%.*s/{masked}", (int)secret_len, secret);
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
            write_masked(secret, secret_len, out, out_size);
            return true;
        }
    }
    return false;
}

bool router_index_secret_path(const struct router_index *index, const char *path, size_t path_len, char *out,
                              size_t out_size)
{
    size_t seg_len;
    const char *seg = first_segment(path, path_len, &seg_len);
    if (seg_len == 0)
        return false;
    for (size_t i = 0; i < index->secret_count; i++) {
        const struct router_secret *secret = &index->secrets[i];
        if (secret->len == seg_len && strncasecmp(secret->segment, seg, seg_len) == 0) {
            write_masked(secret->segment, secret->len, out, out_size);
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
