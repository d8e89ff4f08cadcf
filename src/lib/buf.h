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

void buf_append(struct buf *b, const char *s, size_t len);
void buf_append_str(struct buf *b, const char *s);
void buf_append_char(struct buf *b, char c);
void buf_appendf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_append_int(struct buf *b, int64_t v);

/* Text for an HTML element or a quoted attribute value: & < > " ' escaped. */
void buf_append_html(struct buf *b, const char *s);
void buf_append_html_len(struct buf *b, const char *s, size_t len);
/* A JSON string literal, quotes included; NULL becomes null. */
void buf_append_json_string(struct buf *b, const char *s);
/* Percent-encoding for a URL query component (RFC 3986 unreserved kept). */
void buf_append_url(struct buf *b, const char *s);

#endif
