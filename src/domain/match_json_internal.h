/* match_json_internal.h — the token-level reader shared by the instance
 * reader's two files (match_json_read.c: tokens, strings, numbers, paths and
 * errors; match_json_instance.c: the instance's shape and references). */
#ifndef ROUNDS_DOMAIN_MATCH_JSON_INTERNAL_H
#define ROUNDS_DOMAIN_MATCH_JSON_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/match.h"

enum { READER_MAX_DEPTH = 8 };

/* A decoded string inside the text: begin + at, len bytes, NUL-terminated. */
struct text_span {
    uint32_t at, len;
};

struct path_item {
    const char *key; /* NULL: an array index */
    uint32_t index;
};

struct reader {
    char *p, *end, *begin;
    char *error; /* MATCH_ERROR_MAX bytes */
    bool failed;
    struct path_item path[READER_MAX_DEPTH];
    int depth;
};

struct object_iter {
    bool first;
    uint32_t seen; /* bit i: names[i] was read */
};

struct array_iter {
    uint32_t count;
};

int reader_start(struct reader *r);
int reader_finish(struct reader *r);
int reader_fail(struct reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void reader_path(const struct reader *r, int depth, char *out, size_t out_size);
void reader_quote(const char *s, size_t len, char *out, size_t out_size);

int reader_object_begin(struct reader *r, struct object_iter *it);
int reader_object_next(struct reader *r, struct object_iter *it, const char *const *names, int count);
void reader_field_done(struct reader *r);
int reader_object_end(struct reader *r, const struct object_iter *it, const char *const *names, uint32_t required);
int reader_array_begin(struct reader *r, struct array_iter *it);
int reader_array_next(struct reader *r, struct array_iter *it);
void reader_element_done(struct reader *r);

int reader_id(struct reader *r, struct text_span *out);
/* The fast path of an array of ids, after reader_array_begin: reads up to room
 * elements into out while they are plain (printable ASCII without escapes, 1 …
 * MATCH_ID_MAX_CHARS bytes), as reader_array_next + reader_id would read
 * them, and stops before anything else (the closing bracket, another kind of
 * element, an error), which reader_array_next then reads or reports. Returns
 * how many it read (it->count counts them too). */
uint32_t reader_plain_ids(struct reader *r, struct array_iter *it, struct text_span *out, uint32_t room);
int reader_seed(struct reader *r, struct text_span *out);
int reader_integer(struct reader *r, int64_t min, int64_t max, int64_t *out);
int reader_date(struct reader *r, int32_t *out);
int reader_choice(struct reader *r, const char *const *choices, int count, const char *wanted, int *out);
/* The first character of the next value, spaces skipped ('\0' at the end). */
char reader_peek(struct reader *r);

#endif
