/* reply_cache.c — rendered replies kept in memory (see request.h,
 * "replies kept by key"): the bytes, their gzip form and a strong ETag per
 * (kind, id), dropped by id when the change feed says the object changed, and
 * on a new day (pages show dates relative to today). A reply rendered from
 * data read before a drop is never kept (the generation check), so a drop
 * cannot be undone by a slow request. Replies kept under a version (searches,
 * under the catalog index's generation) are served only to a request of the
 * same version: a new generation retires all of them at once, without a sweep.
 *
 * The table is a fixed array of buckets under one rwlock (hits share it);
 * beyond the byte budget, a clock hand evicts entries not used since its last
 * pass. ETags are a hash of the bytes, so every instance gives the same one
 * for the same reply and a client's If-None-Match works across instances.
 * The gzip form is made when a client that takes gzip first asks for it
 * (clients that never do, such as most API clients, cost no compression). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "http/internal.h"
#include "lib/clock.h"
#include "lib/log.h"

enum { CACHE_BUCKETS = 4096, GZIP_MIN = 1024 };

struct cache_entry {
    struct cache_entry *next;
    char *id;
    enum http_cache_kind kind;
    int32_t day;
    uint64_t version;
    atomic_bool used;
    bool gzip_tried; /* the gzip form was made, or did not pay */
    char etag[20]; /* "\"" + 16 hex digits + "\"" */
    const char *content_type;
    char *body, *gzip;
    size_t len, gzip_len;
};

static struct {
    pthread_rwlock_t lock;
    struct cache_entry *buckets[CACHE_BUCKETS];
    size_t bytes, budget;
    size_t hand;
    atomic_uint_fast64_t generation;
} cache = {.lock = PTHREAD_RWLOCK_INITIALIZER, .budget = (size_t)8 << 20};

void http_cache_set_budget(size_t bytes)
{
    cache.budget = bytes;
}

static uint64_t hash_bytes(const char *s, size_t len, uint64_t h)
{
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

/* The ETag's hash of a reply: four lanes of eight bytes at a time, each
 * round as xxHash64's (multiply, rotate, multiply), then its avalanche; a
 * byte at a time would cost ~10 µs for a search reply. */
static uint64_t lane_round(uint64_t acc, uint64_t input)
{
    acc += input * 0xC2B2AE3D27D4EB4Full;
    acc = acc << 31 | acc >> 33;
    return acc * 0x9E3779B185EBCA87ull;
}

static uint64_t hash_reply(const char *s, size_t len)
{
    uint64_t lane[4] = {0x60EA27EEADC0B5D6ull, 0xC2B2AE3D27D4EB4Full, 0, 0x61C8864E7A143579ull};
    size_t at = 0;
    for (; at + 32 <= len; at += 32)
        for (int i = 0; i < 4; i++) {
            uint64_t w;
            memcpy(&w, s + at + 8 * (size_t)i, sizeof(w));
            lane[i] = lane_round(lane[i], w);
        }
    uint64_t h = (lane[0] << 1 | lane[0] >> 63) + (lane[1] << 7 | lane[1] >> 57) + (lane[2] << 12 | lane[2] >> 52) +
                 (lane[3] << 18 | lane[3] >> 46);
    for (int i = 0; i < 4; i++)
        h = (h ^ lane_round(0, lane[i])) * 0x9E3779B185EBCA87ull + 0x85EBCA77C2B2AE63ull;
    h = hash_bytes(s + at, len - at, h ^ (uint64_t)len);
    h ^= h >> 33;
    h *= 0xC2B2AE3D27D4EB4Full;
    h ^= h >> 29;
    h *= 0x165667B19E3779F9ull;
    return h ^ h >> 32;
}

static size_t bucket_of(enum http_cache_kind kind, const char *id)
{
    return (size_t)(hash_bytes(id, strlen(id), 14695981039346656037ull ^ (uint64_t)kind) % CACHE_BUCKETS);
}

static size_t entry_bytes(const struct cache_entry *e)
{
    return sizeof(*e) + strlen(e->id) + e->len + e->gzip_len;
}

static void entry_free(struct cache_entry *e)
{
    free(e->id);
    free(e->body);
    free(e->gzip);
    free(e);
}

/* Unlinks and frees every entry of id (any kind) in bucket b (write lock held). */
static void drop_in_bucket(size_t b, const char *id, int kind)
{
    for (struct cache_entry **p = &cache.buckets[b]; *p != NULL;) {
        struct cache_entry *e = *p;
        if (strcmp(e->id, id) == 0 && (kind < 0 || (int)e->kind == kind)) {
            *p = e->next;
            cache.bytes -= entry_bytes(e);
            entry_free(e);
        } else {
            p = &e->next;
        }
    }
}

void http_cache_drop(const char *id)
{
    atomic_fetch_add(&cache.generation, 1);
    pthread_rwlock_wrlock(&cache.lock);
    for (int kind = 0; kind < HTTP_CACHE_KINDS; kind++)
        drop_in_bucket(bucket_of((enum http_cache_kind)kind, id), id, kind);
    pthread_rwlock_unlock(&cache.lock);
}

uint64_t http_cache_generation(void)
{
    return atomic_load(&cache.generation);
}

/* Frees entries the clock hand finds unused since its last pass until the
 * cache fits its budget (write lock held). */
static void evict(void)
{
    for (size_t steps = 0; cache.bytes > cache.budget && steps < 4 * CACHE_BUCKETS; steps++) {
        size_t b = cache.hand++ % CACHE_BUCKETS;
        for (struct cache_entry **p = &cache.buckets[b]; *p != NULL;) {
            struct cache_entry *e = *p;
            if (atomic_exchange(&e->used, false)) {
                p = &e->next;
                continue;
            }
            *p = e->next;
            cache.bytes -= entry_bytes(e);
            entry_free(e);
        }
    }
}

/* gzip of body (NULL when it does not pay or fails). */
static char *deflate_gzip(const char *body, size_t len, size_t *out_len)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    if (len < GZIP_MIN || deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    uLong bound = deflateBound(&z, (uLong)len);
    char *out = malloc(bound);
    z.next_in = (Bytef *)(uintptr_t)body;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)bound;
    int rc = out != NULL ? deflate(&z, Z_FINISH) : Z_MEM_ERROR;
    *out_len = bound - z.avail_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END || *out_len >= len) {
        free(out);
        return NULL;
    }
    return out;
}

static void add_gzip(struct cache_entry *e)
{
    e->gzip = deflate_gzip(e->body, e->len, &e->gzip_len);
    if (e->gzip == NULL)
        e->gzip_len = 0;
    e->gzip_tried = true;
}

static struct cache_entry *entry_new(enum http_cache_kind kind, const char *id, uint64_t version,
                                     const char *content_type, const char *body, size_t len, bool gzip)
{
    struct cache_entry *e = calloc(1, sizeof(*e));
    if (e == NULL)
        return NULL;
    e->kind = kind;
    e->version = version;
    e->day = clock_today_days();
    e->content_type = content_type;
    e->id = strdup(id);
    e->body = malloc(len + 1);
    if (e->id == NULL || e->body == NULL) {
        entry_free(e);
        return NULL;
    }
    memcpy(e->body, body, len);
    e->len = len;
    if (gzip)
        add_gzip(e);
    uint64_t h = hash_reply(body, len);
    static const char hex[] = "0123456789abcdef";
    e->etag[0] = '"';
    for (int i = 0; i < 16; i++)
        e->etag[1 + i] = hex[(h >> (60 - 4 * i)) & 15];
    e->etag[17] = '"';
    e->etag[18] = '\0';
    return e;
}

/* Keeps a reply unless something was dropped since generation was read
 * (version 0), or unless a newer version of it is kept already. */
static void keep(struct http_request *req, enum http_cache_kind kind, const char *id, uint64_t version,
                 uint64_t generation, const char *content_type, const char *body, size_t len)
{
    bool gzip = http_accepts_gzip(http_header(req, "accept-encoding"));
    struct cache_entry *e = entry_new(kind, id, version, content_type, body, len, gzip);
    if (e == NULL)
        return;
    size_t b = bucket_of(kind, id);
    pthread_rwlock_wrlock(&cache.lock);
    bool dropped = version == 0 && atomic_load(&cache.generation) != generation;
    for (struct cache_entry *old = cache.buckets[b]; old != NULL && !dropped; old = old->next)
        dropped = old->kind == kind && old->version > version && strcmp(old->id, id) == 0;
    if (dropped) {
        pthread_rwlock_unlock(&cache.lock);
        entry_free(e);
        return;
    }
    drop_in_bucket(b, id, (int)kind);
    e->next = cache.buckets[b];
    cache.buckets[b] = e;
    cache.bytes += entry_bytes(e);
    evict();
    pthread_rwlock_unlock(&cache.lock);
}

/* The entry of (kind, id) that a request of version may be given today, or
 * NULL (a lock held). */
static struct cache_entry *find(enum http_cache_kind kind, const char *id, uint64_t version, int32_t today)
{
    for (struct cache_entry *e = cache.buckets[bucket_of(kind, id)]; e != NULL; e = e->next)
        if (e->kind == kind && strcmp(e->id, id) == 0)
            return e->day == today && e->version == version ? e : NULL;
    return NULL;
}

static void reply_from(struct http_request *req, struct cache_entry *e, bool gzip)
{
    const char *if_none_match = http_header(req, "if-none-match");
    atomic_store(&e->used, true);
    http_add_header(req, "ETag", arena_strdup(&req->arena, e->etag));
    http_add_header(req, "Cache-Control", "no-cache");
    http_add_header(req, "Vary", "Accept-Encoding");
    if (if_none_match != NULL && http_etag_listed(if_none_match, e->etag)) {
        http_reply(req, 304, NULL, NULL, 0);
    } else if (gzip && e->gzip != NULL) {
        http_add_header(req, "Content-Encoding", "gzip");
        http_reply(req, 200, e->content_type, e->gzip, e->gzip_len);
    } else {
        http_reply(req, 200, e->content_type, e->body, e->len);
    }
}

/* A reply kept without its gzip form, to a client that takes gzip: made
 * once, under the write lock, and kept with it. */
static bool reply_adding_gzip(struct http_request *req, enum http_cache_kind kind, const char *id, uint64_t version,
                              int32_t today)
{
    pthread_rwlock_wrlock(&cache.lock);
    struct cache_entry *e = find(kind, id, version, today);
    if (e != NULL && !e->gzip_tried) {
        add_gzip(e);
        cache.bytes += e->gzip_len;
    }
    if (e != NULL)
        reply_from(req, e, true);
    evict();
    pthread_rwlock_unlock(&cache.lock);
    return e != NULL;
}

bool http_cache_reply_at(struct http_request *req, enum http_cache_kind kind, const char *id, uint64_t version)
{
    if (id == NULL)
        return false;
    bool gzip = http_accepts_gzip(http_header(req, "accept-encoding"));
    int32_t today = clock_today_days();
    pthread_rwlock_rdlock(&cache.lock);
    struct cache_entry *e = find(kind, id, version, today);
    bool add_gzip_first = e != NULL && gzip && !e->gzip_tried && e->len >= GZIP_MIN;
    if (e != NULL && !add_gzip_first)
        reply_from(req, e, gzip);
    pthread_rwlock_unlock(&cache.lock);
    if (add_gzip_first)
        return reply_adding_gzip(req, kind, id, version, today);
    return e != NULL;
}

bool http_cache_reply(struct http_request *req, enum http_cache_kind kind, const char *id)
{
    return http_cache_reply_at(req, kind, id, 0);
}

/* Replies with body: from the cache once kept (with its ETag), or as it is. */
static void reply_kept(struct http_request *req, enum http_cache_kind kind, const char *id, uint64_t version,
                       uint64_t generation, const char *content_type, const struct buf *body)
{
    if (!buf_ok(body)) {
        log_error("msg=\"reply too large or out of memory\" req_id=%s", req->request_id);
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    keep(req, kind, id, version, generation, content_type, body->data, body->len);
    if (!http_cache_reply_at(req, kind, id, version))
        http_reply(req, 200, content_type, body->data, body->len);
}

void http_cache_reply_and_keep(struct http_request *req, enum http_cache_kind kind, const char *id,
                               uint64_t generation, const char *content_type, const struct buf *body)
{
    reply_kept(req, kind, id, 0, generation, content_type, body);
}

void http_cache_reply_and_keep_at(struct http_request *req, enum http_cache_kind kind, const char *id,
                                  uint64_t version, const char *content_type, const struct buf *body)
{
    if (version == 0 && buf_ok(body)) /* no version to keep it under */
        http_reply(req, 200, content_type, body->data, body->len);
    else
        reply_kept(req, kind, id, version, 0, content_type, body);
}

void http_cache_clear(void)
{
    pthread_rwlock_wrlock(&cache.lock);
    for (size_t b = 0; b < CACHE_BUCKETS; b++) {
        while (cache.buckets[b] != NULL) {
            struct cache_entry *e = cache.buckets[b];
            cache.buckets[b] = e->next;
            entry_free(e);
        }
    }
    cache.bytes = 0;
    pthread_rwlock_unlock(&cache.lock);
}
