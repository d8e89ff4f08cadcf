/* byte_source.h — bytes handed over a piece at a time by whoever makes them
 * (a sealed file opened chunk by chunk, store/blobs.h) to whoever sends them
 * (a reply, http/reply_file.h), so that a large body never sits whole in
 * memory. Whoever holds a source closes it exactly once. */
#ifndef ROUNDS_LIB_BYTE_SOURCE_H
#define ROUNDS_LIB_BYTE_SOURCE_H

#include <stddef.h>

struct byte_source {
    size_t len; /* the exact number of bytes it gives */
    /* 0 with the next bytes in *data and *n (valid until the next call or the
     * close; *n is 0 only once all len were given), or -1 when they cannot be
     * had: the bytes given so far must then be thrown away. */
    int (*next)(void *ctx, const char **data, size_t *n);
    void (*close)(void *ctx);
    void *ctx;
};

/* Closes the source (once; a closed or empty one is left alone). */
static inline void byte_source_close(struct byte_source *s)
{
    if (s->close != NULL)
        s->close(s->ctx);
    *s = (struct byte_source){0};
}

#endif
