/* match_verify.c — the checks run after every match, from the instance and
 * the placements alone: capacities, eligibility, overlapping dates, the
 * number of placements and the blocking pairs (none: the result is stable).
 *
 * Nothing here reuses the engine's ranks: each rank-order-list entry gets the
 * tier its student has in the host's list, and hosts compare students by
 * (tier, lottery position) — a lottery host by the lottery alone. A pair
 * (s, o) blocks when s ranks o, meets its requirements, is acceptable to its
 * host, would take o (fewer than max_placements placements ranked above o
 * and none of them overlapping o's dates) and o has a free seat or holds a
 * student it ranks below s. */
#include <string.h>

#include "domain/match.h"
#include "domain/match_internal.h"

uint32_t *match_rol_tiers(const struct match_instance *in, struct arena *arena)
{
    uint32_t *tiers = arena_alloc(arena, ((size_t)in->rol_total + 1) * sizeof(uint32_t));
    uint32_t *rol_entry = arena_alloc(arena, ((size_t)in->rol_total + 1) * sizeof(uint32_t));
    if (tiers == NULL || rol_entry == NULL || match_rol_order_entries(in, arena, rol_entry) != 0)
        return NULL;
    match_host_values(in, rol_entry, in->order_tier, NULL, tiers);
    return tiers;
}

uint64_t match_host_key(const struct match_result *r, uint32_t student, uint32_t rol_entry)
{
    uint32_t tier = r->rol_tier[rol_entry];
    return tier == MATCH_NONE ? UINT64_MAX : (uint64_t)tier << 32 | r->lottery_position[student];
}

static bool dates_overlap(const struct match_instance *in, uint32_t a, uint32_t b)
{
    const struct match_block *x = &in->blocks[in->offerings[a].block], *y = &in->blocks[in->offerings[b].block];
    return x->start_day <= y->end_day && y->start_day <= x->end_day;
}

static bool placed_at(const struct match_result *r, uint32_t s, uint32_t o)
{
    for (uint32_t i = r->placement_start[s]; i < r->placement_start[s + 1]; i++)
        if (r->placements[i] == o)
            return true;
    return false;
}

/* Numbers of placements, overlaps, and placements the student did not rank,
 * is not eligible for or is not acceptable for; the seats each offering
 * takes and the host key of the last student it holds. */
static void check_placements(const struct match_instance *in, const struct match_result *r, uint32_t *taken,
                             uint64_t *worst, struct match_verification *v)
{
    for (uint32_t s = 0; s < in->student_count; s++) {
        const struct match_student *st = &in->students[s];
        uint32_t begin = r->placement_start[s], end = r->placement_start[s + 1], ranked = 0;
        if (end - begin > (in->mode == MATCH_MODE_ONE ? 1 : st->max_placements))
            v->max_placements_ok = false;
        for (uint32_t i = begin; i < end; i++) {
            taken[r->placements[i]]++;
            for (uint32_t j = begin; j < i; j++)
                if (dates_overlap(in, r->placements[i], r->placements[j]))
                    v->overlap_ok = false;
        }
        for (uint32_t e = st->rol_start; e < st->rol_start + st->rol_count && ranked < end - begin; e++) {
            uint32_t o = in->rol[e];
            if (!placed_at(r, s, o))
                continue;
            ranked++;
            uint64_t key = match_host_key(r, s, e);
            if (key == UINT64_MAX || !match_eligible(in, s, o))
                v->eligibility_ok = false;
            else if (key > worst[o])
                worst[o] = key;
        }
        if (ranked != end - begin)
            v->eligibility_ok = false;
    }
    for (uint32_t o = 0; o < in->offering_count; o++)
        if (taken[o] > in->offerings[o].seats)
            v->capacity_ok = false;
}

/* Walks student s's list down to the point where s is full, adding every
 * blocking pair to pairs. */
static void check_student(const struct match_instance *in, const struct match_result *r, const uint32_t *taken,
                          const uint64_t *worst, uint32_t s, struct match_pair *pairs, struct match_verification *v)
{
    const struct match_student *st = &in->students[s];
    uint32_t above = 0, k = in->mode == MATCH_MODE_ONE ? 1 : st->max_placements;
    uint32_t seen[MATCH_MAX_PLACEMENTS]; /* placements ranked above the current entry */
    for (uint32_t e = st->rol_start; e < st->rol_start + st->rol_count && above < k; e++) {
        uint32_t o = in->rol[e];
        if (placed_at(r, s, o)) {
            if (above < MATCH_MAX_PLACEMENTS)
                seen[above] = o;
            above++;
            continue;
        }
        bool clash = false;
        for (uint32_t j = 0; j < above && j < MATCH_MAX_PLACEMENTS && !clash; j++)
            clash = dates_overlap(in, seen[j], o);
        if (clash || !match_eligible(in, s, o))
            continue;
        uint64_t key = match_host_key(r, s, e);
        if (key == UINT64_MAX)
            continue;
        if (taken[o] < in->offerings[o].seats || key < worst[o])
            pairs[v->blocking_count++] = (struct match_pair){.student = s, .offering = o};
    }
}

int match_verify(const struct match_instance *in, const struct match_result *r, struct arena *arena,
                 struct match_verification *v)
{
    memset(v, 0, sizeof(*v));
    v->capacity_ok = v->eligibility_ok = v->overlap_ok = v->max_placements_ok = true;
    uint32_t *taken = arena_calloc(arena, (size_t)in->offering_count + 1, sizeof(uint32_t));
    uint64_t *worst = arena_calloc(arena, (size_t)in->offering_count + 1, sizeof(uint64_t));
    v->blocking_pairs = arena_alloc(arena, ((size_t)in->rol_total + 1) * sizeof(struct match_pair));
    if (taken == NULL || worst == NULL || v->blocking_pairs == NULL || r->rol_tier == NULL)
        return -1;
    check_placements(in, r, taken, worst, v);
    for (uint32_t s = 0; s < in->student_count; s++)
        check_student(in, r, taken, worst, s, v->blocking_pairs, v);
    return 0;
}

bool match_verification_ok(const struct match_verification *v)
{
    return v->capacity_ok && v->eligibility_ok && v->overlap_ok && v->max_placements_ok && v->blocking_count == 0;
}
