/* match_json_instance.c — the instance's shape (which fields, which types)
 * and the second pass that resolves ids into indexes: duplicates, unknown
 * references, repeated ranks, overlapping blocks in rotation mode. The token
 * level is in match_json_read.c. */
#include <string.h>

#include "domain/match_json.h"
#include "domain/match_json_internal.h"

/* ---------------------------------------------------------------- growable arrays */

struct vec {
    void *data;
    size_t len, cap, size;
    struct arena *arena;
};

/* Room for at least extra more items; NULL when memory ran out. */
static void *vec_reserve(struct vec *v, size_t extra)
{
    if (v->cap - v->len < extra) {
        size_t cap = v->cap < 16 ? 16 : v->cap * 2;
        while (cap - v->len < extra)
            cap *= 2;
        void *data = arena_alloc(v->arena, cap * v->size);
        if (data == NULL)
            return NULL;
        if (v->len > 0)
            memcpy(data, v->data, v->len * v->size);
        v->data = data;
        v->cap = cap;
    }
    return (char *)v->data + v->len * v->size;
}

/* One more item at the end; NULL when memory ran out. */
static void *vec_push(struct vec *v)
{
    void *slot = vec_reserve(v, 1);
    if (slot != NULL)
        v->len++;
    return slot;
}

struct raw_block {
    struct text_span id;
    int32_t start, end;
};

struct raw_offering {
    struct text_span id, block;
    uint32_t seats, order_start, order_count, requires_start, requires_count;
    enum match_ranking ranking;
};

struct raw_student {
    struct text_span id;
    uint32_t max_placements; /* 0: not given */
    uint32_t rol_start, rol_count, attrs_start, attrs_count;
};

/* Set in a collected tier when the entry sat in a group (for error paths). */
#define ORDER_IN_GROUP 0x80000000u

struct collected {
    struct vec blocks, offerings, students;
    struct vec rol;        /* text_span */
    struct vec order;      /* text_span */
    struct vec order_tier; /* uint32_t */
    struct vec attrs;      /* text_span: requirements and attributes */
    int version, mode;
    struct text_span seed;
};

static void collected_init(struct collected *c, struct arena *arena)
{
    memset(c, 0, sizeof(*c));
    c->blocks.arena = c->offerings.arena = c->students.arena = arena;
    c->rol.arena = c->order.arena = c->order_tier.arena = c->attrs.arena = arena;
    c->blocks.size = sizeof(struct raw_block);
    c->offerings.size = sizeof(struct raw_offering);
    c->students.size = sizeof(struct raw_student);
    c->rol.size = c->order.size = c->attrs.size = sizeof(struct text_span);
    c->order_tier.size = sizeof(uint32_t);
}

static int out_of_memory(struct reader *r)
{
    return reader_fail(r, "out of memory");
}

/* ---------------------------------------------------------------- the shape */

enum { PLAIN_IDS_ROOM = 64 }; /* ids read in bulk per call of reader_plain_ids */

/* The plain ids that come next in an array, in bulk (reader_plain_ids), into
 * spans and, for a host's order, each one's element index into tiers; the
 * caller reads whatever else follows through the careful path. */
static int read_ids(struct reader *r, struct array_iter *it, struct vec *spans, struct vec *tiers)
{
    for (;;) {
        struct text_span *room = vec_reserve(spans, PLAIN_IDS_ROOM);
        uint32_t *tier_room = tiers != NULL ? vec_reserve(tiers, PLAIN_IDS_ROOM) : NULL;
        if (room == NULL || (tiers != NULL && tier_room == NULL))
            return out_of_memory(r);
        uint32_t n = reader_plain_ids(r, it, room, PLAIN_IDS_ROOM);
        spans->len += n;
        if (tiers != NULL) {
            for (uint32_t i = 0; i < n; i++)
                tier_room[i] = it->count - n + i;
            tiers->len += n;
        }
        if (n < PLAIN_IDS_ROOM)
            return 0; /* something else follows: the caller reads it */
    }
}

/* An array of ids into spans (rol, attrs, requires). */
static int read_id_array(struct reader *r, struct vec *spans, uint32_t *start, uint32_t *count)
{
    struct array_iter it;
    if (reader_array_begin(r, &it) != 0)
        return -1;
    *start = (uint32_t)spans->len;
    int more;
    for (;;) {
        if (read_ids(r, &it, spans, NULL) != 0)
            return -1;
        if ((more = reader_array_next(r, &it)) != 1)
            break;
        struct text_span *s = vec_push(spans);
        if (s == NULL)
            return out_of_memory(r);
        if (reader_id(r, s) != 0)
            return -1;
        reader_element_done(r);
    }
    if (more < 0)
        return -1;
    if (spans->len > MATCH_MAX_ITEMS)
        return reader_fail(r, "more than %d entries in all", MATCH_MAX_ITEMS);
    *count = it.count;
    return 0;
}

static int read_block(struct reader *r, struct collected *c)
{
    static const char *const names[] = {"id", "start", "end"};
    struct raw_block *b = vec_push(&c->blocks);
    if (b == NULL)
        return out_of_memory(r);
    struct object_iter it;
    if (reader_object_begin(r, &it) != 0)
        return -1;
    int field;
    while ((field = reader_object_next(r, &it, names, 3)) >= 0) {
        int rc = field == 0 ? reader_id(r, &b->id) : reader_date(r, field == 1 ? &b->start : &b->end);
        if (rc != 0)
            return -1;
        reader_field_done(r);
    }
    if (field == -2 || reader_object_end(r, &it, names, 7u) != 0)
        return -1;
    if (b->end < b->start)
        return reader_fail(r, "ends before it starts");
    return 0;
}

/* The host's order: ids, or arrays of ids ranked equally (one tier each element). */
static int read_order(struct reader *r, struct collected *c, struct raw_offering *o)
{
    struct array_iter it;
    if (reader_array_begin(r, &it) != 0)
        return -1;
    o->order_start = (uint32_t)c->order.len;
    int more;
    for (;;) {
        if (read_ids(r, &it, &c->order, &c->order_tier) != 0)
            return -1;
        if ((more = reader_array_next(r, &it)) != 1)
            break;
        uint32_t tier = it.count - 1, start, count;
        bool group = reader_peek(r) == '[';
        if (group) {
            if (read_id_array(r, &c->order, &start, &count) != 0)
                return -1;
            if (count == 0)
                return reader_fail(r, "a group of equally ranked students cannot be empty");
        } else {
            struct text_span *s = vec_push(&c->order);
            if (s == NULL)
                return out_of_memory(r);
            if (reader_id(r, s) != 0)
                return -1;
            count = 1;
        }
        for (uint32_t i = 0; i < count; i++) {
            uint32_t *t = vec_push(&c->order_tier);
            if (t == NULL)
                return out_of_memory(r);
            *t = tier | (group ? ORDER_IN_GROUP : 0);
        }
        reader_element_done(r);
    }
    if (more < 0)
        return -1;
    if (c->order.len > MATCH_MAX_ITEMS)
        return reader_fail(r, "more than %d entries in all", MATCH_MAX_ITEMS);
    o->order_count = (uint32_t)(c->order.len - o->order_start);
    return 0;
}

static int read_ranking(struct reader *r, struct collected *c, struct raw_offering *o)
{
    static const char *const names[] = {"type", "order"};
    static const char *const types[] = {"list", "lottery"};
    struct object_iter it;
    if (reader_object_begin(r, &it) != 0)
        return -1;
    int field, type = -1;
    while ((field = reader_object_next(r, &it, names, 2)) >= 0) {
        int rc = field == 0 ? reader_choice(r, types, 2, "\"list\" or \"lottery\"", &type) : read_order(r, c, o);
        if (rc != 0)
            return -1;
        reader_field_done(r);
    }
    if (field == -2 || reader_object_end(r, &it, names, 1u) != 0)
        return -1;
    o->ranking = type == 1 ? MATCH_RANKING_LOTTERY : MATCH_RANKING_LIST;
    if (o->ranking == MATCH_RANKING_LIST && !(it.seen & 2u))
        return reader_fail(r, "missing field \"order\" (type \"list\" needs it)");
    if (o->ranking == MATCH_RANKING_LOTTERY && (it.seen & 2u))
        return reader_fail(r, "a lottery takes no \"order\"");
    return 0;
}

static int read_offering(struct reader *r, struct collected *c)
{
    static const char *const names[] = {"id", "block", "seats", "ranking", "requires"};
    struct raw_offering *o = vec_push(&c->offerings);
    if (o == NULL)
        return out_of_memory(r);
    memset(o, 0, sizeof(*o));
    struct object_iter it;
    if (reader_object_begin(r, &it) != 0)
        return -1;
    int field;
    while ((field = reader_object_next(r, &it, names, 5)) >= 0) {
        int64_t seats = 0;
        int rc = field == 0   ? reader_id(r, &o->id)
                 : field == 1 ? reader_id(r, &o->block)
                 : field == 2 ? reader_integer(r, 0, MATCH_MAX_SEATS, &seats)
                 : field == 3 ? read_ranking(r, c, o)
                              : read_id_array(r, &c->attrs, &o->requires_start, &o->requires_count);
        if (rc != 0)
            return -1;
        if (field == 2)
            o->seats = (uint32_t)seats;
        reader_field_done(r);
    }
    if (field == -2 || reader_object_end(r, &it, names, 15u) != 0)
        return -1;
    return 0;
}

static int read_student(struct reader *r, struct collected *c)
{
    static const char *const names[] = {"id", "max_placements", "rol", "attrs"};
    struct raw_student *s = vec_push(&c->students);
    if (s == NULL)
        return out_of_memory(r);
    memset(s, 0, sizeof(*s));
    struct object_iter it;
    if (reader_object_begin(r, &it) != 0)
        return -1;
    int field;
    while ((field = reader_object_next(r, &it, names, 4)) >= 0) {
        int64_t k = 0;
        int rc = field == 0   ? reader_id(r, &s->id)
                 : field == 1 ? reader_integer(r, 1, MATCH_MAX_PLACEMENTS, &k)
                 : field == 2 ? read_id_array(r, &c->rol, &s->rol_start, &s->rol_count)
                              : read_id_array(r, &c->attrs, &s->attrs_start, &s->attrs_count);
        if (rc != 0)
            return -1;
        if (field == 1)
            s->max_placements = (uint32_t)k;
        reader_field_done(r);
    }
    if (field == -2 || reader_object_end(r, &it, names, 5u) != 0)
        return -1;
    return 0;
}

static int read_list(struct reader *r, struct collected *c, int (*element)(struct reader *, struct collected *))
{
    struct array_iter it;
    if (reader_array_begin(r, &it) != 0)
        return -1;
    int more;
    while ((more = reader_array_next(r, &it)) == 1) {
        if (element(r, c) != 0)
            return -1;
        reader_element_done(r);
    }
    return more < 0 ? -1 : 0;
}

static int read_root(struct reader *r, struct collected *c)
{
    static const char *const names[] = {"version", "mode", "seed", "blocks", "offerings", "students"};
    static const char *const modes[] = {"one", "rotation"};
    struct object_iter it;
    if (reader_start(r) != 0 || reader_object_begin(r, &it) != 0)
        return -1;
    int field;
    while ((field = reader_object_next(r, &it, names, 6)) >= 0) {
        int64_t version = 0;
        int rc = field == 0   ? reader_integer(r, 1, 1, &version)
                 : field == 1 ? reader_choice(r, modes, 2, "\"one\" or \"rotation\"", &c->mode)
                 : field == 2 ? reader_seed(r, &c->seed)
                 : field == 3 ? read_list(r, c, read_block)
                 : field == 4 ? read_list(r, c, read_offering)
                              : read_list(r, c, read_student);
        if (rc != 0)
            return -1;
        reader_field_done(r);
    }
    if (field == -2 || reader_finish(r) != 0)
        return -1;
    return reader_object_end(r, &it, names, 63u);
}

/* ---------------------------------------------------------------- resolving ids */

/* Ids (spans in the text) → their index, open addressing. A slot keeps the
 * id's hash and, when it is short, the id itself, so that a lookup touches
 * one cache line instead of the far-away text. */
enum { ID_SLOT_INLINE = 22 };

struct id_slot {
    uint32_t index_plus_one; /* 0: empty */
    uint32_t hash;
    uint8_t len;             /* 0: longer than ID_SLOT_INLINE, compare with the text */
    char key[ID_SLOT_INLINE + 1];
};

struct id_table {
    struct id_slot *slots;
    uint32_t mask;
    const char *text;
    const struct text_span *spans; /* the span of index i */
    size_t stride;                 /* bytes between spans (they sit inside larger structs) */
};

static inline uint64_t load8(const char *s)
{
    uint64_t w;
    memcpy(&w, s, 8);
    return w;
}

static inline uint32_t load4(const char *s)
{
    uint32_t w;
    memcpy(&w, s, 4);
    return w;
}

/* Whether a and b hold the same len bytes: words, the last one overlapping
 * (no call to memcmp for ids of a dozen bytes). */
static inline bool same_bytes(const char *a, const char *b, uint32_t len)
{
    if (len >= 8) {
        for (uint32_t i = 0; i + 8 < len; i += 8)
            if (load8(a + i) != load8(b + i))
                return false;
        return load8(a + len - 8) == load8(b + len - 8);
    }
    if (len >= 4)
        return load4(a) == load4(b) && load4(a + len - 4) == load4(b + len - 4);
    for (uint32_t i = 0; i < len; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

static uint32_t hash_bytes(const char *s, uint32_t len)
{
    uint64_t h = 0x9e3779b97f4a7c15ull ^ len;
    uint32_t i = 0;
    for (; i + 8 <= len; i += 8) {
        h = (h ^ load8(s + i)) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    uint32_t rest = len - i;
    const char *t = s + i;
    uint64_t tail = 0; /* the last 0–7 bytes, read without a call (overlapping words from 4 on) */
    if (rest >= 4)
        tail = (uint64_t)load4(t) << 32 | load4(t + rest - 4);
    else if (rest > 0)
        tail = (uint64_t)(unsigned char)t[0] | (uint64_t)(unsigned char)t[rest / 2] << 8 |
               (uint64_t)(unsigned char)t[rest - 1] << 16;
    h = (h ^ tail) * 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 29;
    return (uint32_t)h;
}

static const struct text_span *table_span(const struct id_table *t, uint32_t index)
{
    return (const struct text_span *)((const char *)t->spans + (size_t)index * t->stride);
}

static int table_init(struct id_table *t, struct arena *arena, const char *text, const void *spans, size_t stride,
                      size_t count)
{
    size_t size = 16;
    while (size < count * 2)
        size *= 2;
    t->slots = arena_calloc(arena, size, sizeof(struct id_slot));
    t->mask = (uint32_t)(size - 1);
    t->text = text;
    t->spans = spans;
    t->stride = stride;
    return t->slots != NULL ? 0 : -1;
}

/* The slot of key (with its hash): its index, or MATCH_NONE; with insert,
 * adds index when absent. */
static uint32_t table_probe(struct id_table *t, struct text_span key, uint32_t hash, bool insert, uint32_t index)
{
    const char *k = t->text + key.at;
    bool short_key = key.len <= ID_SLOT_INLINE;
    if (t->slots == NULL)
        return MATCH_NONE;
    for (uint32_t at = hash & t->mask;; at = (at + 1) & t->mask) {
        struct id_slot *slot = &t->slots[at];
        if (slot->index_plus_one == 0) {
            if (insert) {
                slot->index_plus_one = index + 1;
                slot->hash = hash;
                slot->len = short_key ? (uint8_t)key.len : 0;
                if (short_key)
                    memcpy(slot->key, k, key.len);
            }
            return MATCH_NONE;
        }
        if (slot->hash != hash)
            continue;
        if (short_key) {
            if (slot->len == key.len && same_bytes(slot->key, k, key.len))
                return slot->index_plus_one - 1;
            continue;
        }
        const struct text_span *s = table_span(t, slot->index_plus_one - 1);
        if (slot->len == 0 && s->len == key.len && same_bytes(t->text + s->at, k, key.len))
            return slot->index_plus_one - 1;
    }
}

static uint32_t table_find(struct id_table *t, struct text_span key, bool insert, uint32_t index)
{
    return table_probe(t, key, hash_bytes(t->text + key.at, key.len), insert, index);
}

/* Looks count keys up at once (out[i]: index or MATCH_NONE). The table is
 * larger than the caches: hashing a batch first and prefetching its slots
 * lets the memory fetches overlap instead of waiting for each in turn. */
static void table_find_many(struct id_table *t, const struct text_span *keys, size_t count, uint32_t *out)
{
    enum { BATCH = 32 };
    uint32_t hashes[BATCH];
    for (size_t start = 0; start < count; start += BATCH) {
        size_t n = count - start < BATCH ? count - start : BATCH;
        for (size_t i = 0; i < n; i++) {
            hashes[i] = hash_bytes(t->text + keys[start + i].at, keys[start + i].len);
            __builtin_prefetch(&t->slots[hashes[i] & t->mask]);
        }
        for (size_t i = 0; i < n; i++)
            out[start + i] = table_probe(t, keys[start + i], hashes[i], false, 0);
    }
}

/* Sets the path to up to three parts (a NULL key skips its index) and fails. */
static void set_path(struct reader *r, const char *key, uint32_t index, const char *key2, uint32_t index2,
                     const char *key3)
{
    r->depth = 0;
    r->path[r->depth++] = (struct path_item){.key = key};
    r->path[r->depth++] = (struct path_item){.index = index};
    if (key2 != NULL)
        r->path[r->depth++] = (struct path_item){.key = key2};
    if (index2 != MATCH_NONE)
        r->path[r->depth++] = (struct path_item){.index = index2};
    if (key3 != NULL)
        r->path[r->depth++] = (struct path_item){.key = key3};
}

static int fail_duplicate_id(struct reader *r, const char *list, uint32_t index, uint32_t first, struct text_span id)
{
    char quoted[80];
    reader_quote(r->begin + id.at, id.len, quoted, sizeof(quoted));
    set_path(r, list, index, "id", MATCH_NONE, NULL);
    return reader_fail(r, "duplicate id %s (%s[%u] has it too)", quoted, list, first);
}

/* A table over the ids of a list of raw objects (whose id span is at offset 0). */
static int index_ids(struct reader *r, struct id_table *t, const char *list, const struct vec *v)
{
    if (table_init(t, v->arena, r->begin, v->data, v->size, v->len) != 0)
        return out_of_memory(r);
    for (uint32_t i = 0; i < v->len; i++) {
        const struct text_span *id = (const struct text_span *)((const char *)v->data + (size_t)i * v->size);
        uint32_t first = table_find(t, *id, true, i);
        if (first != MATCH_NONE)
            return fail_duplicate_id(r, list, i, first, *id);
    }
    return 0;
}


struct resolver {
    struct reader *r;
    struct collected *c;
    struct match_instance *out;
    struct id_table blocks, offerings, students, attrs;
    struct text_span *attr_spans; /* the distinct attributes */
    uint32_t *stamp;              /* scratch for repeats, as large as the largest list */
};

/* Interns every attribute and requirement; refuses one listed twice by the
 * same student or offering; sorts each list. */
static int resolve_attr_list(struct resolver *v, const char *list, uint32_t index, const char *field, uint32_t start,
                             uint32_t count, uint32_t owner)
{
    uint32_t *refs = v->out->attr_refs + start;
    const struct text_span *spans = (const struct text_span *)v->c->attrs.data + start;
    for (uint32_t j = 0; j < count; j++) {
        uint32_t a = table_find(&v->attrs, spans[j], false, 0);
        if (v->stamp[a] == owner) {
            char quoted[80];
            reader_quote(v->r->begin + spans[j].at, spans[j].len, quoted, sizeof(quoted));
            set_path(v->r, list, index, field, j, NULL);
            return reader_fail(v->r, "%s is listed twice", quoted);
        }
        v->stamp[a] = owner;
        refs[j] = a;
    }
    for (uint32_t j = 1; j < count; j++) /* insertion sort: these lists are short */
        for (uint32_t k = j; k > 0 && refs[k - 1] > refs[k]; k--) {
            uint32_t t = refs[k];
            refs[k] = refs[k - 1];
            refs[k - 1] = t;
        }
    return 0;
}

static int resolve_attrs(struct resolver *v, struct arena *arena)
{
    struct collected *c = v->c;
    v->attr_spans = arena_alloc(arena, (c->attrs.len + 1) * sizeof(struct text_span));
    v->out->attr_refs = arena_alloc(arena, (c->attrs.len + 1) * sizeof(uint32_t));
    if (v->attr_spans == NULL || v->out->attr_refs == NULL ||
        table_init(&v->attrs, arena, v->r->begin, v->attr_spans, sizeof(struct text_span), c->attrs.len) != 0)
        return out_of_memory(v->r);
    uint32_t distinct = 0;
    const struct text_span *spans = c->attrs.data;
    for (size_t i = 0; i < c->attrs.len; i++) {
        v->attr_spans[distinct] = spans[i];
        if (table_find(&v->attrs, spans[i], true, distinct) == MATCH_NONE)
            distinct++;
    }
    v->out->attr_count = distinct;
    v->out->attr_ref_total = (uint32_t)c->attrs.len;
    v->out->attr_names = arena_alloc(arena, ((size_t)distinct + 1) * sizeof(char *));
    if (v->out->attr_names == NULL)
        return out_of_memory(v->r);
    for (uint32_t a = 0; a < distinct; a++) {
        v->out->attr_names[a] = v->r->begin + v->attr_spans[a].at;
        v->stamp[a] = 0;
    }
    const struct raw_offering *offerings = c->offerings.data;
    for (uint32_t o = 0; o < c->offerings.len; o++)
        if (resolve_attr_list(v, "offerings", o, "requires", offerings[o].requires_start, offerings[o].requires_count,
                              o + 1) != 0)
            return -1;
    const struct raw_student *students = c->students.data;
    for (uint32_t s = 0; s < c->students.len; s++)
        if (resolve_attr_list(v, "students", s, "attrs", students[s].attrs_start, students[s].attrs_count,
                              (uint32_t)c->offerings.len + s + 1) != 0)
            return -1;
    return 0;
}

static int fail_unknown(struct reader *r, const char *what, struct text_span id)
{
    char quoted[80];
    reader_quote(r->begin + id.at, id.len, quoted, sizeof(quoted));
    return reader_fail(r, "unknown %s %s", what, quoted);
}

static int resolve_blocks(struct resolver *v, struct arena *arena)
{
    struct collected *c = v->c;
    const struct raw_block *raw = c->blocks.data;
    struct match_instance *out = v->out;
    out->block_count = (uint32_t)c->blocks.len;
    out->blocks = arena_alloc(arena, ((size_t)out->block_count + 1) * sizeof(struct match_block));
    if (out->blocks == NULL)
        return out_of_memory(v->r);
    if (index_ids(v->r, &v->blocks, "blocks", &c->blocks) != 0)
        return -1;
    for (uint32_t b = 0; b < out->block_count; b++)
        out->blocks[b] = (struct match_block){
            .id = v->r->begin + raw[b].id.at, .start_day = raw[b].start, .end_day = raw[b].end};
    if (out->mode != MATCH_MODE_ROTATION)
        return 0;
    /* Distinct blocks may not overlap in rotation mode (one per block means one at a time). */
    for (uint32_t b = 0; b < out->block_count; b++)
        v->stamp[b] = b;
    for (uint32_t j = 1; j < out->block_count; j++) /* by start; blocks are few */
        for (uint32_t k = j; k > 0 && raw[v->stamp[k - 1]].start > raw[v->stamp[k]].start; k--) {
            uint32_t t = v->stamp[k];
            v->stamp[k] = v->stamp[k - 1];
            v->stamp[k - 1] = t;
        }
    for (uint32_t j = 1, latest = v->stamp[0]; j < out->block_count; j++) {
        uint32_t b = v->stamp[j];
        if (raw[b].start <= raw[latest].end) {
            char quoted[80];
            uint32_t later = b > latest ? b : latest, earlier = b > latest ? latest : b;
            set_path(v->r, "blocks", later, NULL, MATCH_NONE, NULL);
            reader_quote(v->r->begin + raw[earlier].id.at, raw[earlier].id.len, quoted, sizeof(quoted));
            return reader_fail(v->r, "its dates overlap blocks[%u] (%s): in mode \"rotation\" blocks may not overlap",
                               earlier, quoted);
        }
        if (raw[b].end > raw[latest].end)
            latest = b;
    }
    return 0;
}

static int resolve_offerings(struct resolver *v, struct arena *arena)
{
    struct collected *c = v->c;
    const struct raw_offering *raw = c->offerings.data;
    struct match_instance *out = v->out;
    out->offering_count = (uint32_t)c->offerings.len;
    out->offerings = arena_alloc(arena, ((size_t)out->offering_count + 1) * sizeof(struct match_offering));
    if (out->offerings == NULL)
        return out_of_memory(v->r);
    if (index_ids(v->r, &v->offerings, "offerings", &c->offerings) != 0)
        return -1;
    for (uint32_t o = 0; o < out->offering_count; o++) {
        uint32_t block = table_find(&v->blocks, raw[o].block, false, 0);
        if (block == MATCH_NONE) {
            set_path(v->r, "offerings", o, "block", MATCH_NONE, NULL);
            return fail_unknown(v->r, "block", raw[o].block);
        }
        out->offerings[o] = (struct match_offering){
            .id = v->r->begin + raw[o].id.at,
            .block = block,
            .seats = raw[o].seats,
            .ranking = raw[o].ranking,
            .order_start = raw[o].order_start,
            .order_count = raw[o].order_count,
            .requires_start = raw[o].requires_start,
            .requires_count = raw[o].requires_count,
        };
    }
    return 0;
}

/* offerings[o].ranking.order[element] or …order[element][member]. */
static void set_order_path(struct reader *r, uint32_t o, const uint32_t *tiers, uint32_t start, uint32_t j)
{
    set_path(r, "offerings", o, "ranking", MATCH_NONE, "order");
    uint32_t tier = tiers[j] & ~ORDER_IN_GROUP;
    r->path[r->depth++] = (struct path_item){.index = tier};
    if (tiers[j] & ORDER_IN_GROUP) {
        uint32_t member = 0;
        while (j - member > start && (tiers[j - member - 1] & ~ORDER_IN_GROUP) == tier)
            member++;
        r->path[r->depth++] = (struct path_item){.index = member};
    }
}

static int resolve_orders(struct resolver *v, struct arena *arena)
{
    struct collected *c = v->c;
    struct match_instance *out = v->out;
    const struct text_span *spans = c->order.data;
    const uint32_t *tiers = c->order_tier.data;
    out->order_total = (uint32_t)c->order.len;
    out->order = arena_alloc(arena, ((size_t)out->order_total + 1) * sizeof(uint32_t));
    out->order_tier = arena_alloc(arena, ((size_t)out->order_total + 1) * sizeof(uint32_t));
    if (out->order == NULL || out->order_tier == NULL)
        return out_of_memory(v->r);
    for (uint32_t s = 0; s < out->student_count; s++)
        v->stamp[s] = 0;
    table_find_many(&v->students, spans, out->order_total, out->order);
    for (uint32_t o = 0; o < out->offering_count; o++) {
        const struct match_offering *off = &out->offerings[o];
        for (uint32_t j = off->order_start; j < off->order_start + off->order_count; j++) {
            uint32_t s = out->order[j];
            if (s == MATCH_NONE || v->stamp[s] == o + 1) {
                set_order_path(v->r, o, tiers, off->order_start, j);
                if (s == MATCH_NONE)
                    return fail_unknown(v->r, "student", spans[j]);
                char quoted[80];
                reader_quote(v->r->begin + spans[j].at, spans[j].len, quoted, sizeof(quoted));
                return reader_fail(v->r, "%s is listed twice", quoted);
            }
            v->stamp[s] = o + 1;
            out->order_tier[j] = tiers[j] & ~ORDER_IN_GROUP;
        }
    }
    return 0;
}

static int resolve_students(struct resolver *v, struct arena *arena)
{
    struct collected *c = v->c;
    const struct raw_student *raw = c->students.data;
    const struct text_span *rol = c->rol.data;
    struct match_instance *out = v->out;
    out->student_count = (uint32_t)c->students.len;
    out->rol_total = (uint32_t)c->rol.len;
    out->students = arena_alloc(arena, ((size_t)out->student_count + 1) * sizeof(struct match_student));
    out->rol = arena_alloc(arena, ((size_t)out->rol_total + 1) * sizeof(uint32_t));
    if (out->students == NULL || out->rol == NULL)
        return out_of_memory(v->r);
    if (index_ids(v->r, &v->students, "students", &c->students) != 0)
        return -1;
    if (out->student_count == 0 || raw == NULL) /* (no list: nothing was pushed) */
        return 0;
    for (uint32_t o = 0; o < out->offering_count; o++)
        v->stamp[o] = 0;
    table_find_many(&v->offerings, rol, out->rol_total, out->rol);
    for (uint32_t s = 0; s < out->student_count; s++) {
        if (out->mode == MATCH_MODE_ONE && raw[s].max_placements > 1) {
            set_path(v->r, "students", s, "max_placements", MATCH_NONE, NULL);
            return reader_fail(v->r, "must be 1 in mode \"one\"");
        }
        for (uint32_t j = 0; j < raw[s].rol_count; j++) {
            struct text_span id = rol[raw[s].rol_start + j];
            uint32_t o = out->rol[raw[s].rol_start + j];
            if (o == MATCH_NONE || v->stamp[o] == s + 1) {
                set_path(v->r, "students", s, "rol", j, NULL);
                if (o == MATCH_NONE)
                    return fail_unknown(v->r, "offering", id);
                char quoted[80];
                reader_quote(v->r->begin + id.at, id.len, quoted, sizeof(quoted));
                return reader_fail(v->r, "%s is ranked twice", quoted);
            }
            v->stamp[o] = s + 1;
        }
        out->students[s] = (struct match_student){
            .id = v->r->begin + raw[s].id.at,
            .max_placements = raw[s].max_placements == 0 ? 1 : raw[s].max_placements,
            .rol_start = raw[s].rol_start,
            .rol_count = raw[s].rol_count,
            .attrs_start = raw[s].attrs_start,
            .attrs_count = raw[s].attrs_count,
        };
    }
    return 0;
}

static int resolve(struct reader *r, struct collected *c, struct arena *arena, struct match_instance *out)
{
    struct resolver v = {.r = r, .c = c, .out = out};
    size_t largest = c->blocks.len;
    if (c->offerings.len > largest)
        largest = c->offerings.len;
    if (c->students.len > largest)
        largest = c->students.len;
    if (c->attrs.len > largest)
        largest = c->attrs.len;
    v.stamp = arena_alloc(arena, (largest + 1) * sizeof(uint32_t));
    if (v.stamp == NULL)
        return out_of_memory(r);
    out->mode = c->mode == 1 ? MATCH_MODE_ROTATION : MATCH_MODE_ONE;
    out->seed = r->begin + c->seed.at;
    if (resolve_blocks(&v, arena) != 0 || resolve_offerings(&v, arena) != 0 || resolve_students(&v, arena) != 0 ||
        resolve_orders(&v, arena) != 0 || resolve_attrs(&v, arena) != 0)
        return -1;
    return 0;
}

int match_json_read(char *text, size_t len, struct arena *arena, struct match_instance *out,
                    char error[MATCH_ERROR_MAX])
{
    memset(out, 0, sizeof(*out));
    error[0] = '\0';
    struct reader r = {.p = text, .end = text + len, .begin = text, .error = error};
    struct collected c;
    collected_init(&c, arena);
    /* Room for the references the text can plausibly hold ("x-000123", is 11
     * bytes), so that the large lists rarely move while they grow. */
    c.rol.cap = c.order.cap = c.order_tier.cap = len / 12 + 16;
    c.attrs.cap = len / 64 + 16;
    c.rol.data = arena_alloc(arena, c.rol.cap * c.rol.size);
    c.order.data = arena_alloc(arena, c.order.cap * c.order.size);
    c.order_tier.data = arena_alloc(arena, c.order_tier.cap * c.order_tier.size);
    c.attrs.data = arena_alloc(arena, c.attrs.cap * c.attrs.size);
    if (c.rol.data == NULL || c.order.data == NULL || c.order_tier.data == NULL || c.attrs.data == NULL)
        return out_of_memory(&r);
    if (len > MATCH_MAX_INSTANCE_BYTES)
        return reader_fail(&r, "the instance is larger than %d bytes", MATCH_MAX_INSTANCE_BYTES);
    if (read_root(&r, &c) != 0 || resolve(&r, &c, arena, out) != 0)
        return -1;
    return 0;
}
