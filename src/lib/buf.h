/* buf.h — a growable string buffer with a hard cap, always NUL-terminated.
 *
 * Memory comes from an arena, so a buffer is never freed on its own. Once an
 * append would pass the cap, the buffer is marked overflowed and later appends
 * are ignored: check buf_ok() once at the end instead of after every call.
 * HTML and JSON escaping live here so that callers cannot forget them. */
#ifndef ROUNDS_LIB_BUF_H
#define ROUNDS_LIB_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/arena.h"

struct buf {
    struct arena *arena;
    char *data;     /* NUL-terminated, never NULL after buf_init */
    size_t len;
    size_t cap;     /* allocated bytes, excluding the NUL */
    size_t max;     /* hard cap on len */
    bool overflow;  /* an append was refused (cap reached or out of memory) */
};

void buf_init(struct buf *b, struct arena *arena, size_t max);
static inline bool buf_ok(const struct buf *b) { return !b->overflow; }
void buf_reset(struct buf *b);

/* Appends that fit the allocated room are inline (large outputs such as the
 * match result append millions of short pieces; a literal's strlen then folds
 * away); the rest go through buf_append_grow. */
void buf_append_grow(struct buf *b, const char *s, size_t len);
static inline void buf_append(struct buf *b, const char *s, size_t len)
{
    if (len == 0)
        return;
    if (b->overflow || len > b->cap - b->len) {
        buf_append_grow(b, s, len);
        return;
    }
    memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = '\0';
}
static inline void buf_append_str(struct buf *b, const char *s) { buf_append(b, s, strlen(s)); }
static inline void buf_append_char(struct buf *b, char c) { buf_append(b, &c, 1); }
void buf_appendf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_append_int(struct buf *b, int64_t v);

/* Text for an HTML element or a quoted attribute value: & < > " ' escaped. */
void buf_append_html(struct buf *b, const char *s);
void buf_append_html_len(struct buf *b, const char *s, size_t len);
/* A JSON string literal, quotes included; NULL becomes null. */
void buf_append_json_string(struct buf *b, const char *s);
/* The same for len bytes (a NUL among them is escaped); fast on long text. */
void buf_append_json_string_len(struct buf *b, const char *s, size_t len);
/* Percent-encoding for a URL query component (RFC 3986 unreserved kept). */
void buf_append_url(struct buf *b, const char *s);

#endif
