/* zip.h — a ZIP archive (PKWARE APPNOTE 6.3, "stored" entries: no
 * compression, CRC-32 from zlib) built in memory, for a person's export of
 * their own data: a JSON file and their uploaded documents. Names are UTF-8
 * (flag bit 11); an archive stays under 4 GiB (no ZIP64): zip_add refuses
 * what would pass ZIP_ARCHIVE_MAX_BYTES. */
#ifndef ROUNDS_LIB_ZIP_H
#define ROUNDS_LIB_ZIP_H

#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"

#define ZIP_ARCHIVE_MAX_BYTES ((size_t)1 << 30) /* 1 GiB */
enum { ZIP_MAX_ENTRIES = 4096 };

struct zip_entry {
    size_t offset;   /* of its local header */
    uint32_t crc, size;
    const char *name;
};

struct zip {
    struct arena *arena;
    unsigned char *data;
    size_t len, cap;
    struct zip_entry *entries;
    size_t count;
    uint16_t dos_time, dos_date;
    int failed;
};

/* An empty archive whose entries carry the time `now` (Unix seconds, UTC). */
void zip_init(struct zip *z, struct arena *arena, int64_t now);
/* Adds a file; 0, or -1 (out of memory, too large, too many entries, a name
 * that is empty, absolute, has ".." or a backslash). */
int zip_add(struct zip *z, const char *name, const void *data, size_t len);
/* Writes the central directory: *out and *len are the archive (arena memory). 0 or -1. */
int zip_finish(struct zip *z, const unsigned char **out, size_t *len);

#endif
