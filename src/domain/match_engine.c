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

/* Whether key x comes before key y: by the hash, then (never seen, but
 * defined) by the id. */
static bool lottery_before(const struct lottery_key *x, const struct lottery_key *y, const unsigned char (*hashes)[32],
                           const struct match_student *students)
{
    if (x->prefix != y->prefix)
        return x->prefix < y->prefix;
    int c = memcmp(hashes[x->student], hashes[y->student], 32);
    return c != 0 ? c < 0 : strcmp(students[x->student].id, students[y->student].id) < 0;
}

/* Sorts keys into the lottery order: a counting pass on the top bits of the
 * prefix (SHA-256 spreads them evenly, so a bucket holds about one key),
 * then an insertion sort that only has to reorder keys within a bucket. */
static int lottery_sort(struct lottery_key *keys, uint32_t n, const unsigned char (*hashes)[32],
                        const struct match_student *students, struct arena *arena)
{
    unsigned bits = 1;
    while (bits < 24 && ((uint32_t)1 << bits) < n)
        bits++;
    uint32_t buckets = (uint32_t)1 << bits;
    uint32_t *next = arena_calloc(arena, (size_t)buckets + 1, sizeof(uint32_t));
    struct lottery_key *sorted = arena_alloc(arena, ((size_t)n + 1) * sizeof(*sorted));
    if (next == NULL || sorted == NULL)
        return -1;
    for (uint32_t i = 0; i < n; i++)
        next[(keys[i].prefix >> (64 - bits)) + 1]++;
    for (uint32_t b = 1; b < buckets; b++)
        next[b] += next[b - 1];
    for (uint32_t i = 0; i < n; i++)
        sorted[next[keys[i].prefix >> (64 - bits)]++] = keys[i];
    for (uint32_t i = 1; i < n; i++) {
        struct lottery_key x = sorted[i];
        uint32_t j = i;
        for (; j > 0 && lottery_before(&x, &sorted[j - 1], hashes, students); j--)
            sorted[j] = sorted[j - 1];
        sorted[j] = x;
    }
    memcpy(keys, sorted, (size_t)n * sizeof(*keys));
    return 0;
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
    if (lottery_sort(keys, n, (const unsigned char(*)[32])hashes, in->students, arena) != 0)
        return -1;
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

/* One entry that can lead to a placement (eligible, acceptable to the host)
 * with what deferred acceptance needs; the fields side by side, so that a
 * proposal, or a let-go and what the student proposes next, touch one cache
 * line instead of one per field. */
struct prepared_entry {
    uint32_t offering;
    uint32_t rank; /* the host's rank of the student, ties broken by the lottery */
    uint32_t student;
    uint32_t block;
};

/* The entries, each student's in their order. */
struct prepared {
    uint32_t *start;      /* per student, student_count + 1 */
    struct prepared_entry *entries;
    uint32_t *next_same;  /* per entry: the student's next entry in the same block (rotation mode) */
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

int match_rol_order_entries(const struct match_instance *in, struct arena *arena, uint32_t *out)
{
    uint32_t n = in->student_count, m = in->offering_count;
    struct ranked_by {
        uint32_t offering, entry;
    };
    uint32_t *start = arena_calloc(arena, (size_t)n + 2, sizeof(uint32_t));
    struct ranked_by *by = arena_alloc(arena, ((size_t)in->order_total + 1) * sizeof(*by));
    uint32_t *stamp = arena_alloc(arena, ((size_t)m + 1) * sizeof(uint32_t));
    if (start == NULL || by == NULL || stamp == NULL)
        return -1;
    /* The list entries that name each student, grouped by student (a counting sort). */
    for (uint32_t o = 0; o < m; o++) {
        const struct match_offering *off = &in->offerings[o];
        stamp[o] = MATCH_NONE;
        if (off->ranking == MATCH_RANKING_LIST)
            for (uint32_t j = off->order_start; j < off->order_start + off->order_count; j++)
                start[in->order[j] + 2]++;
    }
    for (uint32_t s = 2; s <= n; s++)
        start[s] += start[s - 1];
    for (uint32_t o = 0; o < m; o++) {
        const struct match_offering *off = &in->offerings[o];
        if (off->ranking == MATCH_RANKING_LIST)
            for (uint32_t j = off->order_start; j < off->order_start + off->order_count; j++)
                by[start[in->order[j] + 1]++] = (struct ranked_by){.offering = o, .entry = j};
    }
    /* Then each student's list against the hosts that name them: stamps per
     * offering, a table small enough to stay in the cache. */
    for (uint32_t s = 0; s < n; s++) {
        const struct match_student *st = &in->students[s];
        for (uint32_t i = start[s]; i < start[s + 1]; i++)
            stamp[by[i].offering] = by[i].entry;
        for (uint32_t r = st->rol_start; r < st->rol_start + st->rol_count; r++)
            out[r] = stamp[in->rol[r]];
        for (uint32_t i = start[s]; i < start[s + 1]; i++)
            stamp[by[i].offering] = MATCH_NONE;
    }
    return 0;
}

/* The host value of every rank-order-list entry from the list entry that
 * names its student (rol_entry, see match_rol_order_entries): values[j] at
 * list hosts (MATCH_NONE when the list leaves the student out), lottery[s]
 * at lottery hosts (0 when lottery is NULL). */
void match_host_values(const struct match_instance *in, const uint32_t *rol_entry, const uint32_t *values,
                       const uint32_t *lottery, uint32_t *out)
{
    for (uint32_t s = 0; s < in->student_count; s++) {
        const struct match_student *st = &in->students[s];
        for (uint32_t r = st->rol_start; r < st->rol_start + st->rol_count; r++) {
            if (in->offerings[in->rol[r]].ranking == MATCH_RANKING_LOTTERY)
                out[r] = lottery != NULL ? lottery[s] : 0;
            else
                out[r] = rol_entry[r] == MATCH_NONE ? MATCH_NONE : values[rol_entry[r]];
        }
    }
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
            p->next_same[e] = last[p->entries[e].block];
            last[p->entries[e].block] = e;
        }
        for (uint32_t e = p->start[s]; e < p->start[s + 1]; e++)
            last[p->entries[e].block] = MATCH_NONE;
    }
    return 0;
}

static int prepare(const struct match_instance *in, const uint32_t *rol_entry, const struct match_result *lottery,
                   struct arena *arena, struct prepared *p)
{
    uint32_t n = in->student_count, e_total = in->rol_total;
    uint32_t *rol_rank = arena_alloc(arena, ((size_t)e_total + 1) * sizeof(uint32_t));
    uint32_t *order_rank = arena_alloc(arena, ((size_t)in->order_total + 1) * sizeof(uint32_t));
    p->start = arena_alloc(arena, ((size_t)n + 1) * sizeof(uint32_t));
    p->entries = arena_alloc(arena, ((size_t)e_total + 1) * sizeof(struct prepared_entry));
    p->next_same = NULL;
    p->applicants = arena_calloc(arena, (size_t)in->offering_count + 1, sizeof(uint32_t));
    if (rol_rank == NULL || order_rank == NULL || p->start == NULL || p->entries == NULL || p->applicants == NULL ||
        rank_order_entries(in, lottery->lottery_position, order_rank, arena) != 0)
        return -1;
    match_host_values(in, rol_entry, order_rank, lottery->lottery_position, rol_rank);
    uint32_t kept = 0;
    for (uint32_t s = 0; s < n; s++) {
        const struct match_student *st = &in->students[s];
        p->start[s] = kept;
        for (uint32_t r = st->rol_start; r < st->rol_start + st->rol_count; r++) {
            uint32_t o = in->rol[r];
            if (rol_rank[r] == MATCH_NONE || !match_eligible(in, s, o))
                continue;
            p->entries[kept] = (struct prepared_entry){
                .offering = o, .rank = rol_rank[r], .student = s, .block = in->offerings[o].block};
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
    const struct prepared_entry *entry = &g->p->entries[e];
    struct engine_offering *off = &g->offerings[entry->offering];
    uint64_t item = (uint64_t)entry->rank << 32 | e;
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
        if (g->p->entries[held[i]].block == block)
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
        if (g->blocks && block_taken(g, st, g->p->entries[e].block))
            continue;
        if (propose(g, e))
            g->held[st->held_start + st->held_count++] = e;
    }
}

/* Entry e was let go: its student replaces it as the greedy choice would. */
static void let_go(struct engine *g, uint32_t e)
{
    uint32_t s = g->p->entries[e].student;
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
            uint32_t o = g->p->entries[held[i]].offering;
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
    uint32_t *rol_entry = arena_alloc(arena, ((size_t)in->rol_total + 1) * sizeof(uint32_t));
    out->rol_tier = arena_alloc(arena, ((size_t)in->rol_total + 1) * sizeof(uint32_t));
    if (rol_entry == NULL || out->rol_tier == NULL || match_lottery(in, arena, out) != 0 ||
        match_rol_order_entries(in, arena, rol_entry) != 0 || prepare(in, rol_entry, out, arena, &p) != 0)
        return -1;
    double started = clock_monotonic_ms();
    if (engine_init(in, &p, arena, &g) != 0)
        return -1;
    engine_run(&g, in->student_count);
    out->core_ms = clock_monotonic_ms() - started;
    match_host_values(in, rol_entry, in->order_tier, NULL, out->rol_tier);
    if (collect(in, &g, arena, out) != 0 || match_verify(in, out, arena, &out->verification) != 0)
        return -1;
    return 0;
}
