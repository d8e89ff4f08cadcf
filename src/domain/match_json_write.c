/* match_json_write.c — the result document (docs/match.md): assignments by
 * student id, the unplaced, the seats left, the verification, one
 * explanation per student, the lottery and the figures. Lists are sorted by
 * id so that the same instance gives the same bytes in any input order. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "domain/match_json.h"
#include "lib/clock.h"

struct id_order {
    const char *id;
    uint32_t index;
};

static int id_order_compare(const void *a, const void *b)
{
    return strcmp(((const struct id_order *)a)->id, ((const struct id_order *)b)->id);
}

/* Indexes of ids (a stride apart) sorted by id. */
static uint32_t *sorted_by_id(const void *items, size_t stride, uint32_t count, struct arena *arena)
{
    struct id_order *order = arena_alloc(arena, ((size_t)count + 1) * sizeof(*order));
    uint32_t *out = arena_alloc(arena, ((size_t)count + 1) * sizeof(uint32_t));
    if (order == NULL || out == NULL)
        return NULL;
    for (uint32_t i = 0; i < count; i++) {
        order[i].id = *(const char *const *)((const char *)items + (size_t)i * stride);
        order[i].index = i;
    }
    bool sorted = true; /* instances are often written in id order already (ids are unique) */
    for (uint32_t i = 1; i < count && sorted; i++)
        sorted = strcmp(order[i - 1].id, order[i].id) < 0;
    if (!sorted)
        qsort(order, count, sizeof(*order), id_order_compare);
    for (uint32_t i = 0; i < count; i++)
        out[i] = order[i].index;
    return out;
}

/* Hands the buffer to the sink's flush when it is half full (always, with force). */
static int drain(struct match_json_sink *sink, bool force)
{
    struct buf *b = sink->buf;
    if (!buf_ok(b))
        return -1;
    if (sink->flush == NULL || (!force && b->len < b->max / 2))
        return 0;
    int rc = sink->flush(sink->context, b->data, b->len);
    buf_reset(b);
    return rc;
}

static const char *yes_no(bool v)
{
    return v ? "true" : "false";
}

static int write_assignments(const struct match_instance *in, const struct match_result *r, const uint32_t *students,
                             struct match_json_sink *sink)
{
    struct buf *b = sink->buf;
    buf_append_str(b, "  \"assignments\": [");
    bool first = true;
    for (uint32_t i = 0; i < in->student_count; i++) {
        uint32_t s = students[i];
        for (uint32_t j = r->placement_start[s]; j < r->placement_start[s + 1]; j++) {
            buf_append_str(b, first ? "\n    {\"student\": " : ",\n    {\"student\": ");
            buf_append_json_string(b, in->students[s].id);
            buf_append_str(b, ", \"offering\": ");
            buf_append_json_string(b, in->offerings[r->placements[j]].id);
            buf_append_char(b, '}');
            first = false;
        }
        if (drain(sink, false) != 0)
            return -1;
    }
    buf_append_str(b, first ? "],\n  \"unplaced\": [" : "\n  ],\n  \"unplaced\": [");
    first = true;
    for (uint32_t i = 0; i < in->student_count; i++) {
        uint32_t s = students[i];
        if (r->placement_start[s + 1] != r->placement_start[s])
            continue;
        buf_append_str(b, first ? "" : ", ");
        buf_append_json_string(b, in->students[s].id);
        first = false;
        if (drain(sink, false) != 0)
            return -1;
    }
    buf_append_str(b, "],\n");
    return 0;
}

static int write_unfilled(const struct match_instance *in, const struct match_result *r, const uint32_t *offerings,
                          struct match_json_sink *sink)
{
    struct buf *b = sink->buf;
    buf_append_str(b, "  \"unfilled\": [");
    bool first = true;
    for (uint32_t i = 0; i < in->offering_count; i++) {
        uint32_t o = offerings[i];
        if (r->fill[o] >= in->offerings[o].seats)
            continue;
        buf_append_str(b, first ? "\n    {\"offering\": " : ",\n    {\"offering\": ");
        buf_append_json_string(b, in->offerings[o].id);
        buf_append_str(b, ", \"seats_left\": ");
        buf_append_int(b, in->offerings[o].seats - r->fill[o]);
        buf_append_char(b, '}');
        first = false;
        if (drain(sink, false) != 0)
            return -1;
    }
    buf_append_str(b, first ? "],\n" : "\n  ],\n");
    return 0;
}

static int write_verification(const struct match_instance *in, const struct match_verification *v,
                              struct match_json_sink *sink)
{
    struct buf *b = sink->buf;
    buf_appendf(b,
                "  \"verification\": {\"capacity_ok\": %s, \"eligibility_ok\": %s, \"overlap_ok\": %s, "
                "\"max_placements_ok\": %s, \"blocking_pairs\": [",
                yes_no(v->capacity_ok), yes_no(v->eligibility_ok), yes_no(v->overlap_ok), yes_no(v->max_placements_ok));
    for (uint32_t i = 0; i < v->blocking_count; i++) {
        buf_append_str(b, i == 0 ? "{\"student\": " : ", {\"student\": ");
        buf_append_json_string(b, in->students[v->blocking_pairs[i].student].id);
        buf_append_str(b, ", \"offering\": ");
        buf_append_json_string(b, in->offerings[v->blocking_pairs[i].offering].id);
        buf_append_char(b, '}');
        if (drain(sink, false) != 0)
            return -1;
    }
    buf_append_str(b, "]},\n");
    return 0;
}

static int write_explanations(const struct match_instance *in, const struct match_explainer *x,
                              const uint32_t *students, struct arena *arena, struct match_json_sink *sink)
{
    struct buf *b = sink->buf, text;
    buf_init(&text, arena, BUF_CAP_DETAIL);
    buf_append_str(b, "  \"explanations\": {");
    for (uint32_t i = 0; i < in->student_count; i++) {
        uint32_t s = students[i];
        buf_reset(&text);
        match_explain(x, s, &text);
        buf_append_str(b, i == 0 ? "\n    " : ",\n    ");
        buf_append_json_string(b, in->students[s].id);
        buf_append_str(b, ": ");
        buf_append_json_string_len(b, text.data, text.len);
        if (!buf_ok(&text) || drain(sink, false) != 0)
            return -1;
    }
    buf_append_str(b, in->student_count == 0 ? "},\n" : "\n  },\n");
    return 0;
}

static void write_tail(const struct match_instance *in, const struct match_result *r, struct match_json_sink *sink)
{
    struct buf *b = sink->buf;
    char hex[65];
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        hex[2 * i] = digits[r->order_sha256[i] >> 4];
        hex[2 * i + 1] = digits[r->order_sha256[i] & 15];
    }
    hex[64] = '\0';
    buf_append_str(b, "  \"lottery\": {\"seed\": ");
    buf_append_json_string(b, in->seed);
    buf_appendf(b, ", \"order_sha256\": \"%s\"},\n", hex);
    uint64_t seats = 0;
    for (uint32_t o = 0; o < in->offering_count; o++)
        seats += in->offerings[o].seats;
    struct match_json_stats stats = {.core_ms = r->core_ms};
    if (sink->before_stats != NULL)
        sink->before_stats(sink->context, &stats);
    buf_appendf(b,
                "  \"stats\": {\"students\": %u, \"offerings\": %u, \"seats\": %llu, \"ranks\": %u, "
                "\"placements\": %u, \"proposals\": %llu, \"core_ms\": %.3f, \"total_ms\": %.3f}\n}\n",
                in->student_count, in->offering_count, (unsigned long long)seats, in->rol_total, r->placement_total,
                (unsigned long long)r->proposals, stats.core_ms, stats.total_ms);
}

int match_json_write(const struct match_instance *in, const struct match_result *r, struct arena *arena,
                     struct match_json_sink *sink)
{
    _Static_assert(offsetof(struct match_student, id) == 0 && offsetof(struct match_offering, id) == 0,
                   "sorted_by_id reads the id at the start of each item");
    uint32_t *students = sorted_by_id(in->students, sizeof(struct match_student), in->student_count, arena);
    uint32_t *offerings = sorted_by_id(in->offerings, sizeof(struct match_offering), in->offering_count, arena);
    struct match_explainer *x = match_explainer_new(in, r, arena);
    if (students == NULL || offerings == NULL || x == NULL)
        return -1;
    buf_appendf(sink->buf, "{\n  \"status\": \"%s\",\n",
                match_verification_ok(&r->verification) ? "ok" : "verification_failed");
    if (write_assignments(in, r, students, sink) != 0 || write_unfilled(in, r, offerings, sink) != 0 ||
        write_verification(in, &r->verification, sink) != 0 || write_explanations(in, x, students, arena, sink) != 0)
        return -1;
    write_tail(in, r, sink);
    return drain(sink, true);
}

/* ---- the instance ---- */

static void write_id_list(struct buf *b, const char *key, const uint32_t *refs, uint32_t count, const char **names)
{
    buf_appendf(b, ", \"%s\": [", key);
    for (uint32_t i = 0; i < count; i++) {
        if (i > 0)
            buf_append_str(b, ", ");
        buf_append_json_string(b, names[refs[i]]);
    }
    buf_append_char(b, ']');
}

static void write_instance_offering(const struct match_instance *in, const struct match_offering *o, struct buf *b)
{
    buf_append_str(b, "{\"id\": ");
    buf_append_json_string(b, o->id);
    buf_append_str(b, ", \"block\": ");
    buf_append_json_string(b, in->blocks[o->block].id);
    buf_appendf(b, ", \"seats\": %u", o->seats);
    if (o->requires_count > 0)
        write_id_list(b, "requires", in->attr_refs + o->requires_start, o->requires_count, in->attr_names);
    if (o->ranking == MATCH_RANKING_LOTTERY) {
        buf_append_str(b, ", \"ranking\": {\"type\": \"lottery\"}}");
        return;
    }
    buf_append_str(b, ", \"ranking\": {\"type\": \"list\", \"order\": [");
    for (uint32_t j = 0; j < o->order_count;) { /* a group for each run of equal tiers */
        uint32_t k = j, at = o->order_start;
        while (k < o->order_count && in->order_tier[at + k] == in->order_tier[at + j])
            k++;
        buf_append_str(b, j > 0 ? ", " : "");
        buf_append_str(b, k - j > 1 ? "[" : "");
        for (uint32_t x = j; x < k; x++) {
            buf_append_str(b, x > j ? ", " : "");
            buf_append_json_string(b, in->students[in->order[at + x]].id);
        }
        buf_append_str(b, k - j > 1 ? "]" : "");
        j = k;
    }
    buf_append_str(b, "]}}");
}

int match_json_write_instance(const struct match_instance *in, struct match_json_sink *sink)
{
    struct buf *b = sink->buf;
    buf_appendf(b, "{\n  \"version\": 1,\n  \"mode\": \"%s\",\n  \"seed\": ", match_mode_name(in->mode));
    buf_append_json_string(b, in->seed);
    buf_append_str(b, ",\n  \"blocks\": [");
    for (uint32_t i = 0; i < in->block_count; i++) {
        char start[11], end[11];
        clock_date_from_days(in->blocks[i].start_day, start);
        clock_date_from_days(in->blocks[i].end_day, end);
        buf_append_str(b, i > 0 ? ",\n    {\"id\": " : "\n    {\"id\": ");
        buf_append_json_string(b, in->blocks[i].id);
        buf_appendf(b, ", \"start\": \"%s\", \"end\": \"%s\"}", start, end);
    }
    buf_append_str(b, "\n  ],\n  \"offerings\": [");
    for (uint32_t o = 0; o < in->offering_count; o++) {
        buf_append_str(b, o > 0 ? ",\n    " : "\n    ");
        write_instance_offering(in, &in->offerings[o], b);
        if (drain(sink, false) != 0)
            return -1;
    }
    buf_append_str(b, "\n  ],\n  \"students\": [");
    for (uint32_t s = 0; s < in->student_count; s++) {
        const struct match_student *st = &in->students[s];
        buf_append_str(b, s > 0 ? ",\n    {\"id\": " : "\n    {\"id\": ");
        buf_append_json_string(b, st->id);
        if (in->mode == MATCH_MODE_ROTATION)
            buf_appendf(b, ", \"max_placements\": %u", st->max_placements);
        buf_append_str(b, ", \"rol\": [");
        for (uint32_t j = 0; j < st->rol_count; j++) {
            buf_append_str(b, j > 0 ? ", " : "");
            buf_append_json_string(b, in->offerings[in->rol[st->rol_start + j]].id);
        }
        buf_append_char(b, ']');
        if (st->attrs_count > 0)
            write_id_list(b, "attrs", in->attr_refs + st->attrs_start, st->attrs_count, in->attr_names);
        buf_append_char(b, '}');
        if (drain(sink, false) != 0)
            return -1;
    }
    buf_append_str(b, "\n  ]\n}\n");
    return drain(sink, true);
}
