/* zip.c — stored ZIP archives in memory; see zip.h. */
#include "lib/zip.h"

#include <string.h>
#include <time.h>
#include <zlib.h>

static int reserve(struct zip *z, size_t more)
{
    if (z->failed || more > ZIP_ARCHIVE_MAX_BYTES - z->len)
        return z->failed = -1;
    if (z->len + more <= z->cap)
        return 0;
    size_t cap = z->cap > 0 ? z->cap : 64 * 1024;
    while (cap < z->len + more)
        cap *= 2;
    unsigned char *grown = arena_alloc(z->arena, cap);
    if (grown == NULL)
        return z->failed = -1;
    if (z->len > 0)
        memcpy(grown, z->data, z->len);
    z->data = grown;
    z->cap = cap;
    return 0;
}

static void put16(struct zip *z, unsigned v)
{
    z->data[z->len++] = (unsigned char)(v & 0xff);
    z->data[z->len++] = (unsigned char)((v >> 8) & 0xff);
}

static void put32(struct zip *z, uint32_t v)
{
    put16(z, v & 0xffff);
    put16(z, v >> 16);
}

static void put_bytes(struct zip *z, const void *p, size_t n)
{
    if (n > 0)
        memcpy(z->data + z->len, p, n);
    z->len += n;
}

void zip_init(struct zip *z, struct arena *arena, int64_t now)
{
    memset(z, 0, sizeof(*z));
    z->arena = arena;
    time_t t = (time_t)now;
    struct tm tm;
    if (gmtime_r(&t, &tm) != NULL && tm.tm_year >= 80) {
        z->dos_time = (uint16_t)(tm.tm_hour << 11 | tm.tm_min << 5 | tm.tm_sec / 2);
        z->dos_date = (uint16_t)((tm.tm_year - 80) << 9 | (tm.tm_mon + 1) << 5 | tm.tm_mday);
    } else {
        z->dos_date = 1 << 5 | 1; /* 1980-01-01 */
    }
}

static int name_ok(const char *name)
{
    size_t n = name != NULL ? strlen(name) : 0;
    if (n == 0 || n > 255 || name[0] == '/' || strchr(name, '\\') != NULL)
        return 0;
    for (const char *p = name; (p = strstr(p, "..")) != NULL; p += 2)
        if ((p == name || p[-1] == '/') && (p[2] == '/' || p[2] == '\0'))
            return 0;
    return 1;
}

/* The fields local and central headers share, from "version needed" to the name's length. */
static void put_common(struct zip *z, const struct zip_entry *e, size_t name_len)
{
    put16(z, 20);     /* version needed: 2.0 */
    put16(z, 0x0800); /* the name is UTF-8 */
    put16(z, 0);      /* stored */
    put16(z, z->dos_time);
    put16(z, z->dos_date);
    put32(z, e->crc);
    put32(z, e->size);
    put32(z, e->size);
    put16(z, (unsigned)name_len);
}

int zip_add(struct zip *z, const char *name, const void *data, size_t len)
{
    if (!name_ok(name) || z->count >= ZIP_MAX_ENTRIES || len > UINT32_MAX)
        return -1;
    size_t name_len = strlen(name);
    if (z->count % 64 == 0) {
        struct zip_entry *grown = arena_alloc(z->arena, (z->count + 64) * sizeof(*grown));
        if (grown == NULL)
            return z->failed = -1;
        if (z->count > 0)
            memcpy(grown, z->entries, z->count * sizeof(*grown));
        z->entries = grown;
    }
    if (reserve(z, 30 + name_len + len) != 0)
        return -1;
    struct zip_entry *e = &z->entries[z->count];
    e->offset = z->len;
    e->size = (uint32_t)len;
    e->crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0), data, (uInt)len);
    e->name = arena_strdup(z->arena, name);
    if (e->name == NULL)
        return z->failed = -1;
    put32(z, 0x04034b50);
    put_common(z, e, name_len);
    put16(z, 0); /* extra field */
    put_bytes(z, name, name_len);
    put_bytes(z, data, len);
    z->count++;
    return 0;
}

int zip_finish(struct zip *z, const unsigned char **out, size_t *len)
{
    size_t directory = z->len;
    for (size_t i = 0; i < z->count; i++) {
        const struct zip_entry *e = &z->entries[i];
        size_t name_len = strlen(e->name);
        if (reserve(z, 46 + name_len) != 0)
            return -1;
        put32(z, 0x02014b50);
        put16(z, 20); /* made by: 2.0, MS-DOS attributes */
        put_common(z, e, name_len);
        put16(z, 0);  /* extra field */
        put16(z, 0);  /* comment */
        put16(z, 0);  /* disk */
        put16(z, 0);  /* internal attributes */
        put32(z, 0);  /* external attributes */
        put32(z, (uint32_t)e->offset);
        put_bytes(z, e->name, name_len);
    }
    if (reserve(z, 22) != 0)
        return -1;
    size_t directory_size = z->len - directory;
    put32(z, 0x06054b50);
    put16(z, 0);
    put16(z, 0);
    put16(z, (unsigned)z->count);
    put16(z, (unsigned)z->count);
    put32(z, (uint32_t)directory_size);
    put32(z, (uint32_t)directory);
    put16(z, 0);
    *out = z->data;
    *len = z->len;
    return 0;
}
