/* match_json.h — the match instance and result as JSON (docs/match.md).
 *
 * match_json_read is a hand-written reader for exactly the instance shape: it
 * walks the text once, decodes strings in place (the text is modified and must
 * outlive the instance), refuses anything the shape does not allow and names
 * the offending field by its path: `students[12].rol[3]: unknown offering
 * "IM-B9"`. Parsing is the real cost of a large match, hence no generic DOM.
 *
 * match_json_write writes the result through a sink: a capped buffer that is
 * flushed to a callback whenever it fills (a file), or kept whole (a reply). */
#ifndef ROUNDS_DOMAIN_MATCH_JSON_H
#define ROUNDS_DOMAIN_MATCH_JSON_H

#include <stddef.h>
#include <stdio.h>

#include "domain/match.h"
#include "lib/buf.h"

/* Reads text[0 .. len) into *out (arrays from arena). Returns 0, or -1 with
 * the path and reason in error (NUL-terminated). */
int match_json_read(char *text, size_t len, struct arena *arena, struct match_instance *out,
                    char error[MATCH_ERROR_MAX]);

struct match_json_stats {
    double core_ms, total_ms;
};

/* Writes the result document. When flush is set, the buffer is handed to it
 * (and emptied) each time it holds more than half its cap, and at the end;
 * flush returns 0 or -1 to stop. Returns 0, or -1 when flushing failed or
 * the buffer overflowed. The stats block comes last, so total_ms can be taken
 * by the caller through the stats callback just before it is written. */
struct match_json_sink {
    struct buf *buf;
    int (*flush)(void *context, const char *data, size_t len);
    void *context;
    /* Called just before the stats are written, to fill total_ms. */
    void (*before_stats)(void *context, struct match_json_stats *stats);
};
int match_json_write(const struct match_instance *in, const struct match_result *result, struct arena *arena,
                     struct match_json_sink *sink);
/* Writes the instance itself (what match_json_read reads back). */
int match_json_write_instance(const struct match_instance *in, struct match_json_sink *sink);

#endif
