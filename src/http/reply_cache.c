/* reply_cache.c — rendered replies kept in memory (see request.h,
 * "replies kept by key"): the bytes, their gzip form and a strong ETag per
 * (kind, id), dropped by id when the change feed says the object changed, and
 * on a new day (pages show dates relative to today). A reply rendered from
 * data read before a drop is never kept (the generation check), so a drop
 * cannot be undone by a slow request.
 *
 * The table is a fixed array of buckets under one rwlock (hits share it);
 * beyond the byte budget, a clock hand evicts entries not used since its last
 * pass. ETags are a hash of the bytes, so every instance gives the same one
 * for the same reply and a client's If-None-Match works across instances. */
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
    atomic_bool used;
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

static struct cache_entry *entry_new(enum http_cache_kind kind, const char *id, const char *content_type,
                                     const char *body, size_t len)
{
    struct cache_entry *e = calloc(1, sizeof(*e));
    if (e == NULL)
        return NULL;
    e->kind = kind;
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
    e->gzip = deflate_gzip(body, len, &e->gzip_len);
    if (e->gzip == NULL)
        e->gzip_len = 0;
    uint64_t h = hash_bytes(body, len, 14695981039346656037ull);
    static const char hex[] = "0123456789abcdef";
    e->etag[0] = '"';
    for (int i = 0; i < 16; i++)
        e->etag[1 + i] = hex[(h >> (60 - 4 * i)) & 15];
    e->etag[17] = '"';
    e->etag[18] = '\0';
    return e;
}

/* Keeps a reply unless something was dropped since generation was read. */
static void keep(enum http_cache_kind kind, const char *id, uint64_t generation, const char *content_type,
                 const char *body, size_t len)
{
    struct cache_entry *e = entry_new(kind, id, content_type, body, len);
    if (e == NULL)
        return;
    size_t b = bucket_of(kind, id);
    pthread_rwlock_wrlock(&cache.lock);
    if (atomic_load(&cache.generation) != generation) {
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

bool http_cache_reply(struct http_request *req, enum http_cache_kind kind, const char *id)
{
    if (id == NULL)
        return false;
    const char *if_none_match = http_header(req, "if-none-match");
    bool gzip = http_accepts_gzip(http_header(req, "accept-encoding"));
    int32_t today = clock_today_days();
    size_t b = bucket_of(kind, id);
    bool replied = false;
    pthread_rwlock_rdlock(&cache.lock);
    for (struct cache_entry *e = cache.buckets[b]; e != NULL; e = e->next) {
        if (e->kind != kind || strcmp(e->id, id) != 0)
            continue;
        if (e->day != today)
            break;
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
        replied = true;
        break;
    }
    pthread_rwlock_unlock(&cache.lock);
    return replied;
}

void http_cache_reply_and_keep(struct http_request *req, enum http_cache_kind kind, const char *id,
                               uint64_t generation, const char *content_type, const struct buf *body)
{
    if (!buf_ok(body)) {
        log_error("msg=\"reply too large or out of memory\" req_id=%s", req->request_id);
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    keep(kind, id, generation, content_type, body->data, body->len);
    /* Now served from the cache, with its ETag (or, if it was not kept, as it is). */
    if (!http_cache_reply(req, kind, id))
        http_reply(req, 200, content_type, body->data, body->len);
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
