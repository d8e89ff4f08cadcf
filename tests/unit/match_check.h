/* match_check.h — what the match tests check the engine against, written
 * apart from it and as plainly as possible:
 *
 *   - a random instance generator (students, offerings with seats, blocks,
 *     lists with ties or lotteries, requirements and attributes);
 *   - a brute-force stability checker: for every pair, the host's view from a
 *     linear search of its list, the student's view by trying every subset of
 *     their placements plus the offering (small instances only);
 *   - the host-proposing variant of deferred acceptance, written as rounds of
 *     proposals until nothing changes (for the rural-hospitals theorem);
 *   - helpers to permute an instance and to compare results by ids.
 *
 * All memory comes from the caller's arena. */
#ifndef ROUNDS_TESTS_MATCH_CHECK_H
#define ROUNDS_TESTS_MATCH_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/match.h"
#include "lib/arena.h"

/* ---------------------------------------------------------------- random numbers */

static uint64_t check_rng = 0x853c49e6748fea9bull;

static inline uint32_t check_random(uint32_t bound)
{
    check_rng ^= check_rng >> 12;
    check_rng ^= check_rng << 25;
    check_rng ^= check_rng >> 27;
    return bound == 0 ? 0 : (uint32_t)((check_rng * 0x2545f4914f6cdd1dull) >> 33) % bound;
}

static inline void check_shuffle(uint32_t *items, uint32_t n)
{
    for (uint32_t i = n; i > 1; i--) {
        uint32_t j = check_random(i), t = items[i - 1];
        items[i - 1] = items[j];
        items[j] = t;
    }
}

/* ---------------------------------------------------------------- generator */

struct check_shape {
    uint32_t students, offerings, blocks;
    uint32_t max_rol, max_seats, max_placements;
    bool rotation;
    bool ties;        /* hosts' lists may rank students equally */
    bool lotteries;   /* some hosts use the lottery */
    bool requirements; /* some offerings require an attribute */
    bool complete;     /* every host lists every student, every student ranks max_rol offerings */
};

static inline char *check_name(struct arena *a, char prefix, uint32_t i)
{
    char text[24];
    snprintf(text, sizeof(text), "%c%u", prefix, i);
    return arena_strdup(a, text);
}

/* A random valid instance of the given shape. */
static inline struct match_instance check_generate(struct arena *a, const struct check_shape *shape, const char *seed)
{
    struct match_instance in;
    memset(&in, 0, sizeof(in));
    in.mode = shape->rotation ? MATCH_MODE_ROTATION : MATCH_MODE_ONE;
    in.seed = seed;
    uint32_t nb = shape->blocks > 0 ? shape->blocks : 1, n = shape->students, m = shape->offerings;
    in.block_count = nb;
    in.blocks = arena_calloc(a, nb, sizeof(*in.blocks));
    for (uint32_t b = 0; b < nb; b++) /* four weeks each, one after the other */
        in.blocks[b] = (struct match_block){.id = check_name(a, 'B', b), .start_day = 20000 + 28 * (int32_t)b,
                                            .end_day = 20000 + 28 * (int32_t)b + 27};
    static const char *attr_names[] = {"step1", "visa"};
    in.attr_names = attr_names;
    in.attr_count = 2;
    in.attr_refs = arena_calloc(a, (size_t)(n + m) * 2 + 1, sizeof(uint32_t));
    in.offering_count = m;
    in.offerings = arena_calloc(a, m + 1, sizeof(*in.offerings));
    in.order = arena_calloc(a, (size_t)m * n + 1, sizeof(uint32_t));
    in.order_tier = arena_calloc(a, (size_t)m * n + 1, sizeof(uint32_t));
    uint32_t *perm = arena_calloc(a, n + m + 1, sizeof(uint32_t));
    for (uint32_t o = 0; o < m; o++) {
        struct match_offering *off = &in.offerings[o];
        off->id = check_name(a, 'O', o);
        off->block = check_random(nb);
        off->seats = check_random(shape->max_seats + 1);
        off->ranking = shape->lotteries && check_random(3) == 0 ? MATCH_RANKING_LOTTERY : MATCH_RANKING_LIST;
        off->requires_start = in.attr_ref_total;
        if (shape->requirements && check_random(4) == 0)
            in.attr_refs[in.attr_ref_total++] = check_random(2);
        off->requires_count = in.attr_ref_total - off->requires_start;
        off->order_start = in.order_total;
        if (off->ranking == MATCH_RANKING_LIST) {
            for (uint32_t s = 0; s < n; s++)
                perm[s] = s;
            check_shuffle(perm, n);
            uint32_t listed = shape->complete ? n : n == 0 ? 0 : check_random(n + 1), tier = 0;
            for (uint32_t j = 0; j < listed; j++) {
                if (j > 0 && !(shape->ties && check_random(3) == 0))
                    tier++;
                in.order[in.order_total] = perm[j];
                in.order_tier[in.order_total++] = tier;
            }
        }
        off->order_count = in.order_total - off->order_start;
    }
    in.student_count = n;
    in.students = arena_calloc(a, n + 1, sizeof(*in.students));
    in.rol = arena_calloc(a, (size_t)n * (m + 1) + 1, sizeof(uint32_t));
    for (uint32_t s = 0; s < n; s++) {
        struct match_student *st = &in.students[s];
        st->id = check_name(a, 'S', s);
        st->max_placements = shape->rotation ? 1 + check_random(shape->max_placements) : 1;
        st->attrs_start = in.attr_ref_total;
        for (uint32_t x = 0; x < 2; x++)
            if (check_random(4) != 0)
                in.attr_refs[in.attr_ref_total++] = x;
        st->attrs_count = in.attr_ref_total - st->attrs_start;
        for (uint32_t o = 0; o < m; o++)
            perm[o] = o;
        check_shuffle(perm, m);
        uint32_t most = shape->max_rol < m ? shape->max_rol : m;
        uint32_t ranked = shape->complete ? most : check_random(most + 1);
        st->rol_start = in.rol_total;
        for (uint32_t j = 0; j < ranked; j++)
            in.rol[in.rol_total++] = perm[j];
        st->rol_count = ranked;
    }
    return in;
}

/* The same instance with students, offerings and blocks listed in another
 * order (lists and rank order lists keep their meaning). */
static inline struct match_instance check_permute(struct arena *a, const struct match_instance *in)
{
    struct match_instance out = *in;
    uint32_t n = in->student_count, m = in->offering_count, nb = in->block_count;
    uint32_t *sp = arena_calloc(a, n + 1, sizeof(uint32_t)), *op = arena_calloc(a, m + 1, sizeof(uint32_t));
    uint32_t *bp = arena_calloc(a, nb + 1, sizeof(uint32_t));
    uint32_t *s_new = arena_calloc(a, n + 1, sizeof(uint32_t)), *o_new = arena_calloc(a, m + 1, sizeof(uint32_t));
    uint32_t *b_new = arena_calloc(a, nb + 1, sizeof(uint32_t));
    for (uint32_t i = 0; i < n; i++)
        sp[i] = i;
    for (uint32_t i = 0; i < m; i++)
        op[i] = i;
    for (uint32_t i = 0; i < nb; i++)
        bp[i] = i;
    check_shuffle(sp, n);
    check_shuffle(op, m);
    check_shuffle(bp, nb);
    for (uint32_t i = 0; i < n; i++) /* new position i holds old sp[i] */
        s_new[sp[i]] = i;
    for (uint32_t i = 0; i < m; i++)
        o_new[op[i]] = i;
    for (uint32_t i = 0; i < nb; i++)
        b_new[bp[i]] = i;
    out.blocks = arena_calloc(a, nb + 1, sizeof(*out.blocks));
    for (uint32_t i = 0; i < nb; i++)
        out.blocks[i] = in->blocks[bp[i]];
    out.offerings = arena_calloc(a, m + 1, sizeof(*out.offerings));
    out.order = arena_calloc(a, in->order_total + 1, sizeof(uint32_t));
    out.order_tier = arena_calloc(a, in->order_total + 1, sizeof(uint32_t));
    uint32_t at = 0;
    for (uint32_t i = 0; i < m; i++) {
        struct match_offering off = in->offerings[op[i]];
        uint32_t start = off.order_start;
        off.block = b_new[off.block];
        off.order_start = at;
        for (uint32_t j = 0; j < off.order_count; j++, at++) {
            out.order[at] = s_new[in->order[start + j]];
            out.order_tier[at] = in->order_tier[start + j];
        }
        out.offerings[i] = off;
    }
    out.students = arena_calloc(a, n + 1, sizeof(*out.students));
    out.rol = arena_calloc(a, in->rol_total + 1, sizeof(uint32_t));
    at = 0;
    for (uint32_t i = 0; i < n; i++) {
        struct match_student st = in->students[sp[i]];
        uint32_t start = st.rol_start;
        st.rol_start = at;
        for (uint32_t j = 0; j < st.rol_count; j++)
            out.rol[at++] = o_new[in->rol[start + j]];
        out.students[i] = st;
    }
    return out;
}

/* ---------------------------------------------------------------- plain views */

static inline bool check_eligible(const struct match_instance *in, uint32_t s, uint32_t o)
{
    const struct match_offering *off = &in->offerings[o];
    const struct match_student *st = &in->students[s];
    for (uint32_t i = 0; i < off->requires_count; i++) {
        bool has = false;
        for (uint32_t j = 0; j < st->attrs_count; j++)
            has = has || in->attr_refs[st->attrs_start + j] == in->attr_refs[off->requires_start + i];
        if (!has)
            return false;
    }
    return true;
}

/* The host's view of s, smaller is better; UINT64_MAX when unacceptable. */
static inline uint64_t check_host_rank(const struct match_instance *in, const uint32_t *lottery_position, uint32_t o,
                                       uint32_t s)
{
    const struct match_offering *off = &in->offerings[o];
    if (!check_eligible(in, s, o))
        return UINT64_MAX;
    if (off->ranking == MATCH_RANKING_LOTTERY)
        return lottery_position[s];
    for (uint32_t j = 0; j < off->order_count; j++)
        if (in->order[off->order_start + j] == s)
            return (uint64_t)in->order_tier[off->order_start + j] << 32 | lottery_position[s];
    return UINT64_MAX;
}

/* Position of o in s's list, or UINT32_MAX. */
static inline uint32_t check_rol_position(const struct match_instance *in, uint32_t s, uint32_t o)
{
    const struct match_student *st = &in->students[s];
    for (uint32_t j = 0; j < st->rol_count; j++)
        if (in->rol[st->rol_start + j] == o)
            return j;
    return UINT32_MAX;
}

static inline bool check_overlap(const struct match_instance *in, uint32_t a, uint32_t b)
{
    const struct match_block *x = &in->blocks[in->offerings[a].block], *y = &in->blocks[in->offerings[b].block];
    return x->start_day <= y->end_day && y->start_day <= x->end_day;
}

/* A plain assignment: a student × offering matrix. */
struct check_assignment {
    uint32_t n, m;
    bool *at; /* at[s * m + o] */
};

static inline struct check_assignment check_from_result(struct arena *a, const struct match_instance *in,
                                                        const struct match_result *r)
{
    struct check_assignment x = {in->student_count, in->offering_count, NULL};
    x.at = arena_calloc(a, (size_t)x.n * x.m + 1, sizeof(bool));
    for (uint32_t s = 0; s < x.n; s++)
        for (uint32_t i = r->placement_start[s]; i < r->placement_start[s + 1]; i++)
            x.at[(size_t)s * x.m + r->placements[i]] = true;
    return x;
}

/* Whether s, holding the set A (mask over its rol positions), would choose o
 * from A ∪ {o}: the best feasible subset, compared position by position
 * (more is better on an equal prefix), tried exhaustively. */
static inline bool check_student_takes(const struct match_instance *in, const struct check_assignment *x, uint32_t s,
                                       uint32_t o)
{
    const struct match_student *st = &in->students[s];
    uint32_t k = in->mode == MATCH_MODE_ONE ? 1 : st->max_placements;
    uint32_t items[24], count = 0;
    for (uint32_t j = 0; j < st->rol_count && count < 23; j++) {
        uint32_t p = in->rol[st->rol_start + j];
        if (p == o || x->at[(size_t)s * x->m + p])
            items[count++] = p; /* in rank order */
    }
    uint32_t best = 0;
    bool have_best = false;
    for (uint32_t mask = 0; mask < (1u << count); mask++) {
        uint32_t size = 0;
        bool ok = true;
        for (uint32_t i = 0; i < count && ok; i++) {
            if (!(mask >> i & 1u))
                continue;
            size++;
            for (uint32_t j = 0; j < i && ok; j++)
                if ((mask >> j & 1u) && in->mode == MATCH_MODE_ROTATION && check_overlap(in, items[i], items[j]))
                    ok = false;
        }
        if (!ok || size > k)
            continue;
        /* better: at the first position where the sets differ, this one has the item */
        bool better = !have_best;
        for (uint32_t i = 0; i < count && have_best; i++) {
            bool in_mask = mask >> i & 1u, in_best = best >> i & 1u;
            if (in_mask != in_best) {
                better = in_mask;
                break;
            }
        }
        if (better) {
            best = mask;
            have_best = true;
        }
    }
    for (uint32_t i = 0; i < count; i++)
        if (items[i] == o)
            return (best >> i & 1u) != 0;
    return false;
}

/* The number of blocking pairs of an assignment, by brute force. */
static inline uint32_t check_blocking_pairs(const struct match_instance *in, const uint32_t *lottery_position,
                                            const struct check_assignment *x)
{
    uint32_t blocking = 0;
    for (uint32_t s = 0; s < in->student_count; s++) {
        for (uint32_t o = 0; o < in->offering_count; o++) {
            if (x->at[(size_t)s * x->m + o] || check_rol_position(in, s, o) == UINT32_MAX)
                continue;
            uint64_t mine = check_host_rank(in, lottery_position, o, s);
            if (mine == UINT64_MAX || !check_student_takes(in, x, s, o))
                continue;
            uint32_t held = 0;
            bool prefers = false;
            for (uint32_t t = 0; t < in->student_count; t++) {
                if (!x->at[(size_t)t * x->m + o])
                    continue;
                held++;
                if (check_host_rank(in, lottery_position, o, t) > mine)
                    prefers = true;
            }
            if (held < in->offerings[o].seats || prefers)
                blocking++;
        }
    }
    return blocking;
}

/* Whether an assignment is feasible: ranked, eligible, acceptable, within
 * seats, placements and blocks. */
static inline bool check_feasible(const struct match_instance *in, const uint32_t *lottery_position,
                                  const struct check_assignment *x)
{
    for (uint32_t o = 0; o < in->offering_count; o++) {
        uint32_t held = 0;
        for (uint32_t s = 0; s < in->student_count; s++)
            held += x->at[(size_t)s * x->m + o];
        if (held > in->offerings[o].seats)
            return false;
    }
    for (uint32_t s = 0; s < in->student_count; s++) {
        uint32_t k = in->mode == MATCH_MODE_ONE ? 1 : in->students[s].max_placements, count = 0;
        for (uint32_t o = 0; o < in->offering_count; o++) {
            if (!x->at[(size_t)s * x->m + o])
                continue;
            count++;
            if (check_rol_position(in, s, o) == UINT32_MAX || check_host_rank(in, lottery_position, o, s) == UINT64_MAX)
                return false;
            for (uint32_t p = 0; p < o; p++)
                if (x->at[(size_t)s * x->m + p] && check_overlap(in, o, p))
                    return false;
        }
        if (count > k)
            return false;
    }
    return true;
}

/* ---------------------------------------------------------------- host-proposing deferred acceptance */

/* Hosts offer their seats to the best students who have not turned them
 * down; each student keeps the best set they may hold and turns down the
 * rest; until no offer is turned down. The host-optimal stable assignment. */
static inline struct check_assignment check_host_proposing(struct arena *a, const struct match_instance *in,
                                                           const uint32_t *lottery_position)
{
    uint32_t n = in->student_count, m = in->offering_count;
    struct check_assignment x = {n, m, arena_calloc(a, (size_t)n * m + 1, sizeof(bool))};
    bool *refused = arena_calloc(a, (size_t)n * m + 1, sizeof(bool)); /* s turned o down */
    bool changed = true;
    while (changed) {
        changed = false;
        /* every host offers to its best not-yet-refusing applicants */
        for (uint32_t o = 0; o < m; o++) {
            for (uint32_t s = 0; s < n; s++)
                x.at[(size_t)s * m + o] = false;
            for (uint32_t seat = 0; seat < in->offerings[o].seats; seat++) {
                uint32_t pick = UINT32_MAX;
                uint64_t pick_rank = UINT64_MAX;
                for (uint32_t s = 0; s < n; s++) {
                    if (refused[(size_t)s * m + o] || x.at[(size_t)s * m + o] ||
                        check_rol_position(in, s, o) == UINT32_MAX)
                        continue;
                    uint64_t r = check_host_rank(in, lottery_position, o, s);
                    if (r < pick_rank) {
                        pick_rank = r;
                        pick = s;
                    }
                }
                if (pick == UINT32_MAX)
                    break;
                x.at[(size_t)pick * m + o] = true;
            }
        }
        /* every student keeps the greedy best of what is offered */
        for (uint32_t s = 0; s < n; s++) {
            const struct match_student *st = &in->students[s];
            uint32_t k = in->mode == MATCH_MODE_ONE ? 1 : st->max_placements, kept = 0, held[64];
            for (uint32_t j = 0; j < st->rol_count; j++) {
                uint32_t o = in->rol[st->rol_start + j];
                if (!x.at[(size_t)s * m + o])
                    continue;
                bool fits = kept < k;
                for (uint32_t i = 0; i < kept && fits; i++)
                    fits = in->mode == MATCH_MODE_ONE || !check_overlap(in, held[i], o);
                if (fits) {
                    held[kept++] = o;
                } else {
                    x.at[(size_t)s * m + o] = false;
                    refused[(size_t)s * m + o] = true;
                    changed = true;
                }
            }
        }
    }
    return x;
}

#endif
