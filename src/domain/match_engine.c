/* match_engine.c — the lottery, the preparation of an instance (eligibility
 * and host ranks applied before matching) and student-proposing deferred
 * acceptance with capacities; see match.h.
 *
 * Each student proposes to the best offerings that have not rejected them,
 * taking greedily down their list up to max_placements with at most one per
 * block. That choice is a matroid's greedy basis (one per block, k in all), so
 * when an offering lets a student go the student's new choice is the old one
 * minus that offering plus at most one new offering, found without starting
 * over: the next unrejected entry of the same block before the point the
 * greedy scan had reached, or else the next entry with a free block after it.
 * Offerings keep their best applicants in a max-heap keyed by host rank. The
 * result is the student-optimal stable matching (Hatfield–Milgrom with
 * substitutable choices) whatever the order in which proposals are made. */
#include <stdlib.h>
#include <string.h>

#include "domain/match.h"
#include "domain/match_internal.h"
#include "lib/clock.h"
#include "lib/sha256.h"

const char *match_mode_name(enum match_mode mode)
{
    return mode == MATCH_MODE_ROTATION ? "rotation" : "one";
}

const char *match_ranking_name(enum match_ranking ranking)
{
    return ranking == MATCH_RANKING_LOTTERY ? "lottery" : "list";
}

bool match_eligible(const struct match_instance *in, uint32_t student, uint32_t offering)
{
    const struct match_offering *o = &in->offerings[offering];
    if (o->requires_count == 0)
        return true;
    const struct match_student *s = &in->students[student];
    const uint32_t *need = in->attr_refs + o->requires_start, *have = in->attr_refs + s->attrs_start;
    uint32_t i = 0, j = 0;
    while (i < o->requires_count) {
        while (j < s->attrs_count && have[j] < need[i])
            j++;
        if (j == s->attrs_count || have[j] != need[i])
            return false;
        i++;
        j++;
    }
    return true;
}

/* ---------------------------------------------------------------- lottery */

struct lottery_key {
    uint64_t prefix; /* the hash's first 8 bytes, big-endian: most comparisons end here */
    uint32_t student;
};

/* Set for the duration of one sort (qsort has no context argument). */
static _Thread_local const unsigned char (*lottery_hashes)[32];
static _Thread_local const struct match_student *lottery_students;

static int lottery_key_compare(const void *a, const void *b)
{
    const struct lottery_key *x = a, *y = b;
    if (x->prefix != y->prefix)
        return x->prefix < y->prefix ? -1 : 1;
    int c = memcmp(lottery_hashes[x->student], lottery_hashes[y->student], 32);
    return c != 0 ? c : strcmp(lottery_students[x->student].id, lottery_students[y->student].id);
}

int match_lottery(const struct match_instance *in, struct arena *arena, struct match_result *out)
{
    uint32_t n = in->student_count;
    out->lottery_order = arena_alloc(arena, (size_t)n * sizeof(uint32_t));
    out->lottery_position = arena_alloc(arena, (size_t)n * sizeof(uint32_t));
    struct lottery_key *keys = arena_alloc(arena, (size_t)n * sizeof(*keys));
    unsigned char(*hashes)[32] = arena_alloc(arena, (size_t)n * 32);
    if (out->lottery_order == NULL || out->lottery_position == NULL || keys == NULL || hashes == NULL)
        return -1;
    struct sha256 seeded;
    sha256_init(&seeded);
    sha256_update(&seeded, in->seed, strlen(in->seed));
    for (uint32_t s = 0; s < n; s++) {
        struct sha256 state = seeded;
        const char *id = in->students[s].id;
        sha256_update(&state, id, strlen(id));
        sha256_final(&state, hashes[s]);
        uint64_t prefix = 0;
        for (int i = 0; i < 8; i++)
            prefix = prefix << 8 | hashes[s][i];
        keys[s] = (struct lottery_key){.prefix = prefix, .student = s};
    }
    lottery_hashes = (const unsigned char(*)[32])hashes;
    lottery_students = in->students;
    qsort(keys, n, sizeof(*keys), lottery_key_compare);
    struct sha256 order;
    sha256_init(&order);
    for (uint32_t i = 0; i < n; i++) {
        out->lottery_order[i] = keys[i].student;
        out->lottery_position[keys[i].student] = i;
        const char *id = in->students[keys[i].student].id;
        sha256_update(&order, id, strlen(id));
        sha256_update(&order, "\n", 1);
    }
    sha256_final(&order, out->order_sha256);
    return 0;
}

/* ---------------------------------------------------------------- preparation */

/* The entries that can lead to a placement (eligible, acceptable to the host),
 * each student's in their order, with what deferred acceptance needs. */
struct prepared {
    uint32_t *start;      /* per student, student_count + 1 */
    uint32_t *offering;   /* per entry */
    uint32_t *rank;       /* per entry: the host's rank of the student, ties broken by the lottery */
    uint32_t *block;      /* per entry (rotation mode) */
    uint32_t *next_same;  /* per entry: the student's next entry in the same block (rotation mode) */
    uint32_t *student;    /* per entry */
    uint32_t *applicants; /* per offering: entries pointing to it */
    uint32_t total;
};

struct order_rank_key {
    uint64_t key; /* tier << 32 | lottery position */
    uint32_t index;
};

static int order_rank_key_compare(const void *a, const void *b)
{
    const struct order_rank_key *x = a, *y = b;
    return x->key < y->key ? -1 : x->key > y->key;
}

/* The strict rank of every order entry: its place once ties (equal tiers) are
 * broken by the lottery. */
static int rank_order_entries(const struct match_instance *in, const uint32_t *lottery_position, uint32_t *rank,
                              struct arena *arena)
{
    struct order_rank_key *keys = NULL;
    uint32_t keys_cap = 0;
    for (uint32_t o = 0; o < in->offering_count; o++) {
        const struct match_offering *off = &in->offerings[o];
        if (off->ranking != MATCH_RANKING_LIST)
            continue;
        bool ties = false;
        for (uint32_t j = 1; j < off->order_count && !ties; j++)
            ties = in->order_tier[off->order_start + j] == in->order_tier[off->order_start + j - 1];
        if (!ties) {
            for (uint32_t j = 0; j < off->order_count; j++)
                rank[off->order_start + j] = j;
            continue;
        }
        if (off->order_count > keys_cap) {
            keys_cap = off->order_count * 2;
            keys = arena_alloc(arena, (size_t)keys_cap * sizeof(*keys));
            if (keys == NULL)
                return -1;
        }
        for (uint32_t j = 0; j < off->order_count; j++) {
            uint32_t at = off->order_start + j;
            keys[j].key = (uint64_t)in->order_tier[at] << 32 | lottery_position[in->order[at]];
            keys[j].index = at;
        }
        qsort(keys, off->order_count, sizeof(*keys), order_rank_key_compare);
        for (uint32_t j = 0; j < off->order_count; j++)
            rank[keys[j].index] = j;
    }
    return 0;
}

int match_rol_groups(const struct match_instance *in, struct arena *arena, struct match_rol_groups *g)
{
    uint32_t m = in->offering_count, e_total = in->rol_total;
    g->start = arena_calloc(arena, (size_t)m + 1, sizeof(uint32_t));
    g->entries = arena_alloc(arena, ((size_t)e_total + 1) * sizeof(uint32_t));
    g->student = arena_alloc(arena, ((size_t)e_total + 1) * sizeof(uint32_t));
    uint32_t *next = arena_alloc(arena, ((size_t)m + 1) * sizeof(uint32_t));
    if (g->start == NULL || g->entries == NULL || g->student == NULL || next == NULL)
        return -1;
    for (uint32_t s = 0; s < in->student_count; s++) {
        const struct match_student *st = &in->students[s];
        for (uint32_t r = st->rol_start; r < st->rol_start + st->rol_count; r++) {
            g->student[r] = s;
            g->start[in->rol[r] + 1]++;
        }
    }
    for (uint32_t o = 0; o < m; o++)
        g->start[o + 1] += g->start[o];
    memcpy(next, g->start, (size_t)m * sizeof(uint32_t));
    for (uint32_t r = 0; r < e_total; r++)
        g->entries[next[in->rol[r]]++] = r;
    return 0;
}

int match_host_values(const struct match_instance *in, const struct match_rol_groups *g, const uint32_t *values,
                      const uint32_t *lottery, struct arena *arena, uint32_t *out)
{
    uint32_t *scratch = arena_alloc(arena, ((size_t)in->student_count + 1) * sizeof(uint32_t));
    if (scratch == NULL)
        return -1;
    for (uint32_t s = 0; s < in->student_count; s++)
        scratch[s] = MATCH_NONE;
    for (uint32_t o = 0; o < in->offering_count; o++) {
        const struct match_offering *off = &in->offerings[o];
        uint32_t begin = g->start[o], end = g->start[o + 1];
        if (off->ranking == MATCH_RANKING_LOTTERY) {
            for (uint32_t i = begin; i < end; i++)
                out[g->entries[i]] = lottery != NULL ? lottery[g->student[g->entries[i]]] : 0;
            continue;
        }
        for (uint32_t j = off->order_start; j < off->order_start + off->order_count; j++)
            scratch[in->order[j]] = values[j];
        for (uint32_t i = begin; i < end; i++)
            out[g->entries[i]] = scratch[g->student[g->entries[i]]];
        for (uint32_t j = off->order_start; j < off->order_start + off->order_count; j++)
            scratch[in->order[j]] = MATCH_NONE;
    }
    return 0;
}

/* The host rank of every rank-order-list entry, ties broken by the lottery
 * (MATCH_NONE: the host does not rank that student). */
static int rank_rol_entries(const struct match_instance *in, const struct match_rol_groups *groups,
                            const uint32_t *lottery_position, struct arena *arena, uint32_t *rol_rank)
{
    uint32_t *order_rank = arena_alloc(arena, ((size_t)in->order_total + 1) * sizeof(uint32_t));
    if (order_rank == NULL || rank_order_entries(in, lottery_position, order_rank, arena) != 0)
        return -1;
    return match_host_values(in, groups, order_rank, lottery_position, arena, rol_rank);
}

/* Links each entry to the student's next entry in the same block. */
static int link_same_block(const struct match_instance *in, struct prepared *p, struct arena *arena)
{
    uint32_t *last = arena_alloc(arena, ((size_t)in->block_count + 1) * sizeof(uint32_t));
    if (last == NULL)
        return -1;
    for (uint32_t b = 0; b < in->block_count; b++)
        last[b] = MATCH_NONE;
    for (uint32_t s = 0; s < in->student_count; s++) {
        for (uint32_t e = p->start[s + 1]; e-- > p->start[s];) {
            p->next_same[e] = last[p->block[e]];
            last[p->block[e]] = e;
        }
        for (uint32_t e = p->start[s]; e < p->start[s + 1]; e++)
            last[p->block[e]] = MATCH_NONE;
    }
    return 0;
}

static int prepare(const struct match_instance *in, const struct match_rol_groups *groups,
                   const struct match_result *lottery, struct arena *arena, struct prepared *p)
{
    uint32_t n = in->student_count, e_total = in->rol_total;
    uint32_t *rol_rank = arena_alloc(arena, ((size_t)e_total + 1) * sizeof(uint32_t));
    p->start = arena_alloc(arena, ((size_t)n + 1) * sizeof(uint32_t));
    p->offering = arena_alloc(arena, ((size_t)e_total + 1) * sizeof(uint32_t));
    p->rank = arena_alloc(arena, ((size_t)e_total + 1) * sizeof(uint32_t));
    p->block = arena_alloc(arena, ((size_t)e_total + 1) * sizeof(uint32_t));
    p->student = arena_alloc(arena, ((size_t)e_total + 1) * sizeof(uint32_t));
    p->next_same = NULL;
    p->applicants = arena_calloc(arena, (size_t)in->offering_count + 1, sizeof(uint32_t));
    if (rol_rank == NULL || p->start == NULL || p->offering == NULL || p->rank == NULL || p->block == NULL ||
        p->student == NULL || p->applicants == NULL ||
        rank_rol_entries(in, groups, lottery->lottery_position, arena, rol_rank) != 0)
        return -1;
    uint32_t kept = 0;
    for (uint32_t s = 0; s < n; s++) {
        const struct match_student *st = &in->students[s];
        p->start[s] = kept;
        for (uint32_t r = st->rol_start; r < st->rol_start + st->rol_count; r++) {
            uint32_t o = in->rol[r];
            if (rol_rank[r] == MATCH_NONE || !match_eligible(in, s, o))
                continue;
            p->offering[kept] = o;
            p->rank[kept] = rol_rank[r];
            p->block[kept] = in->offerings[o].block;
            p->student[kept] = s;
            p->applicants[o]++;
            kept++;
        }
    }
    p->start[n] = kept;
    p->total = kept;
    if (in->mode == MATCH_MODE_ROTATION) {
        p->next_same = arena_alloc(arena, ((size_t)kept + 1) * sizeof(uint32_t));
        if (p->next_same == NULL || link_same_block(in, p, arena) != 0)
            return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- deferred acceptance */

/* Per offering: its max-heap of (rank << 32 | entry) in engine.heap, capacity
 * min(seats, applicants). The three fields sit together so that a proposal
 * touches one cache line of offering state. */
struct engine_offering {
    uint32_t heap_start, heap_len, heap_cap;
};

/* Per student: the entries held, the greedy scan's position and end, the allowance. */
struct engine_student {
    uint32_t held_start, held_count, frontier, end, allowance;
};

struct engine {
    const struct prepared *p;
    uint64_t *heap;
    struct engine_offering *offerings;
    struct engine_student *students;
    uint32_t *held;
    /* entries let go, waiting for their student to move on */
    uint32_t *stack, stack_len;
    uint64_t proposals;
    bool blocks; /* at most one per block (rotation mode) */
};

static void heap_sift_down(uint64_t *h, uint32_t len, uint32_t i)
{
    for (;;) {
        uint32_t l = 2 * i + 1, r = l + 1, top = i;
        if (l < len && h[l] > h[top])
            top = l;
        if (r < len && h[r] > h[top])
            top = r;
        if (top == i)
            return;
        uint64_t t = h[i];
        h[i] = h[top];
        h[top] = t;
        i = top;
    }
}

static void heap_push(uint64_t *h, uint32_t len, uint64_t item)
{
    uint32_t i = len;
    h[i] = item;
    while (i > 0) {
        uint32_t parent = (i - 1) / 2;
        if (h[parent] >= h[i])
            return;
        uint64_t t = h[i];
        h[i] = h[parent];
        h[parent] = t;
        i = parent;
    }
}

/* Entry e proposes; true when its offering keeps it (perhaps letting
 * another entry go onto the stack). */
static bool propose(struct engine *g, uint32_t e)
{
    struct engine_offering *off = &g->offerings[g->p->offering[e]];
    uint64_t item = (uint64_t)g->p->rank[e] << 32 | e;
    uint64_t *h = g->heap + off->heap_start;
    g->proposals++;
    if (off->heap_len < off->heap_cap) {
        heap_push(h, off->heap_len++, item);
        return true;
    }
    if (off->heap_len == 0 || item > h[0])
        return false;
    g->stack[g->stack_len++] = (uint32_t)(h[0] & 0xffffffffu);
    h[0] = item;
    heap_sift_down(h, off->heap_len, 0);
    return true;
}

static bool block_taken(const struct engine *g, const struct engine_student *st, uint32_t block)
{
    const uint32_t *held = g->held + st->held_start;
    for (uint32_t i = 0; i < st->held_count; i++)
        if (g->p->block[held[i]] == block)
            return true;
    return false;
}

/* Continues student s's greedy scan down their list until they hold their
 * allowance or run out of entries. */
static void fill(struct engine *g, uint32_t s)
{
    struct engine_student *st = &g->students[s];
    while (st->held_count < st->allowance && st->frontier < st->end) {
        uint32_t e = st->frontier++;
        if (g->blocks && block_taken(g, st, g->p->block[e]))
            continue;
        if (propose(g, e))
            g->held[st->held_start + st->held_count++] = e;
    }
}

/* Entry e was let go: its student replaces it as the greedy choice would. */
static void let_go(struct engine *g, uint32_t e)
{
    uint32_t s = g->p->student[e];
    struct engine_student *st = &g->students[s];
    uint32_t *held = g->held + st->held_start;
    for (uint32_t i = 0; i < st->held_count; i++) {
        if (held[i] == e) {
            held[i] = held[--st->held_count];
            break;
        }
    }
    if (g->blocks) {
        for (uint32_t c = g->p->next_same[e]; c != MATCH_NONE && c < st->frontier; c = g->p->next_same[c]) {
            if (propose(g, c)) {
                held[st->held_count++] = c;
                return;
            }
        }
    }
    fill(g, s);
}

static int engine_init(const struct match_instance *in, const struct prepared *p, struct arena *arena,
                       struct engine *g)
{
    uint32_t n = in->student_count, m = in->offering_count;
    memset(g, 0, sizeof(*g));
    g->p = p;
    g->blocks = in->mode == MATCH_MODE_ROTATION;
    g->offerings = arena_alloc(arena, ((size_t)m + 1) * sizeof(*g->offerings));
    g->students = arena_alloc(arena, ((size_t)n + 1) * sizeof(*g->students));
    g->stack = arena_alloc(arena, ((size_t)p->total + 1) * sizeof(uint32_t));
    if (g->offerings == NULL || g->students == NULL || g->stack == NULL)
        return -1;
    size_t seats = 0;
    for (uint32_t o = 0; o < m; o++) {
        uint32_t cap = in->offerings[o].seats < p->applicants[o] ? in->offerings[o].seats : p->applicants[o];
        g->offerings[o] = (struct engine_offering){.heap_start = (uint32_t)seats, .heap_cap = cap};
        seats += cap;
    }
    size_t slots = 0;
    for (uint32_t s = 0; s < n; s++) {
        uint32_t entries = p->start[s + 1] - p->start[s];
        uint32_t k = in->mode == MATCH_MODE_ONE ? 1 : in->students[s].max_placements;
        g->students[s] = (struct engine_student){
            .held_start = (uint32_t)slots,
            .frontier = p->start[s],
            .end = p->start[s + 1],
            .allowance = k < entries ? k : entries,
        };
        slots += g->students[s].allowance;
    }
    g->heap = arena_alloc(arena, (seats + 1) * sizeof(uint64_t));
    g->held = arena_alloc(arena, (slots + 1) * sizeof(uint32_t));
    return g->heap != NULL && g->held != NULL ? 0 : -1;
}

static void engine_run(struct engine *g, uint32_t student_count)
{
    for (uint32_t s = 0; s < student_count; s++) {
        fill(g, s);
        while (g->stack_len > 0)
            let_go(g, g->stack[--g->stack_len]);
    }
}

static int uint32_compare(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* The engine's state into the result: each student's placements in their order. */
static int collect(const struct match_instance *in, struct engine *g, struct arena *arena, struct match_result *out)
{
    uint32_t n = in->student_count, m = in->offering_count;
    uint32_t total = 0;
    for (uint32_t s = 0; s < n; s++)
        total += g->students[s].held_count;
    out->placement_start = arena_alloc(arena, ((size_t)n + 1) * sizeof(uint32_t));
    out->placements = arena_alloc(arena, ((size_t)total + 1) * sizeof(uint32_t));
    out->fill = arena_calloc(arena, (size_t)m + 1, sizeof(uint32_t));
    if (out->placement_start == NULL || out->placements == NULL || out->fill == NULL)
        return -1;
    uint32_t at = 0;
    for (uint32_t s = 0; s < n; s++) {
        const struct engine_student *st = &g->students[s];
        uint32_t *held = g->held + st->held_start;
        if (st->held_count > 1)
            qsort(held, st->held_count, sizeof(uint32_t), uint32_compare); /* entries are in rank order */
        out->placement_start[s] = at;
        for (uint32_t i = 0; i < st->held_count; i++) {
            uint32_t o = g->p->offering[held[i]];
            out->placements[at++] = o;
            out->fill[o]++;
        }
    }
    out->placement_start[n] = at;
    out->placement_total = at;
    out->proposals = g->proposals;
    return 0;
}

int match_run(const struct match_instance *in, struct arena *arena, struct match_result *out)
{
    memset(out, 0, sizeof(*out));
    struct prepared p;
    struct engine g;
    struct match_rol_groups groups;
    if (match_lottery(in, arena, out) != 0 || match_rol_groups(in, arena, &groups) != 0 ||
        prepare(in, &groups, out, arena, &p) != 0)
        return -1;
    double started = clock_monotonic_ms();
    if (engine_init(in, &p, arena, &g) != 0)
        return -1;
    engine_run(&g, in->student_count);
    out->core_ms = clock_monotonic_ms() - started;
    out->rol_tier = arena_alloc(arena, ((size_t)in->rol_total + 1) * sizeof(uint32_t));
    if (collect(in, &g, arena, out) != 0 || out->rol_tier == NULL ||
        match_host_values(in, &groups, in->order_tier, NULL, arena, out->rol_tier) != 0 ||
        match_verify(in, out, arena, &out->verification) != 0)
        return -1;
    return 0;
}
