/* match_explain.c — why each student got what they got.
 *
 * For every offering a student ranked and did not get — all of them when the
 * student has room for more, else those ranked above their last placement —
 * the reason is read off the final result: not eligible, not ranked by the
 * host, the same block as a placement ranked higher, no seats, or full with
 * students the host ranked higher (or, for a lottery or a tie, drawn before
 * the student). Stability guarantees one of these; an offering with none of
 * them is a blocking pair and is said so. */
#include <string.h>

#include "domain/match.h"
#include "domain/match_internal.h"

enum reason {
    REASON_HIGHER,
    REASON_LOTTERY,
    REASON_TIE_LOTTERY,
    REASON_SAME_BLOCK,
    REASON_INELIGIBLE,
    REASON_UNRANKED,
    REASON_NO_SEATS,
    REASON_UNEXPLAINED,
    REASON_COUNT
};

static const char *const reason_text[REASON_COUNT] = {
    [REASON_HIGHER] = "filled by students its host ranked higher",
    [REASON_LOTTERY] = "filled by students drawn before you in the lottery",
    [REASON_TIE_LOTTERY] = "filled by students its host ranked higher, or equal to you and drawn before you in the lottery",
    [REASON_SAME_BLOCK] = "in the same block as a placement you ranked higher",
    [REASON_INELIGIBLE] = "you do not meet its requirements",
    [REASON_UNRANKED] = "its host did not rank you",
    [REASON_NO_SEATS] = "it has no seats",
    [REASON_UNEXPLAINED] = "not explained: a blocking pair (see the verification)",
};

struct match_explainer {
    const struct match_instance *in;
    const struct match_result *result;
    uint64_t *worst; /* per offering: the host key of the last student it holds */
};

static bool placed_at(const struct match_result *r, uint32_t s, uint32_t o)
{
    for (uint32_t i = r->placement_start[s]; i < r->placement_start[s + 1]; i++)
        if (r->placements[i] == o)
            return true;
    return false;
}

struct match_explainer *match_explainer_new(const struct match_instance *in, const struct match_result *result,
                                            struct arena *arena)
{
    struct match_explainer *x = arena_calloc(arena, 1, sizeof(*x));
    if (x == NULL)
        return NULL;
    x->in = in;
    x->result = result;
    x->worst = arena_calloc(arena, (size_t)in->offering_count + 1, sizeof(uint64_t));
    if (x->worst == NULL || result->rol_tier == NULL)
        return NULL;
    for (uint32_t s = 0; s < in->student_count; s++) {
        const struct match_student *st = &in->students[s];
        uint32_t held = result->placement_start[s + 1] - result->placement_start[s], found = 0;
        for (uint32_t e = st->rol_start; e < st->rol_start + st->rol_count && found < held; e++) {
            uint32_t o = in->rol[e];
            if (!placed_at(result, s, o))
                continue;
            found++;
            uint64_t key = match_host_key(result, s, e);
            if (key != UINT64_MAX && key > x->worst[o])
                x->worst[o] = key;
        }
    }
    return x;
}

/* The reason student s did not get the offering of rol entry e. */
static enum reason reason_for(const struct match_explainer *x, uint32_t s, uint32_t e, const uint32_t *above,
                              uint32_t above_count)
{
    const struct match_instance *in = x->in;
    uint32_t o = in->rol[e];
    const struct match_offering *off = &in->offerings[o];
    if (!match_eligible(in, s, o))
        return REASON_INELIGIBLE;
    uint64_t key = match_host_key(x->result, s, e);
    if (key == UINT64_MAX)
        return REASON_UNRANKED;
    const struct match_block *b = &in->blocks[off->block];
    for (uint32_t i = 0; i < above_count; i++) {
        const struct match_block *p = &in->blocks[in->offerings[above[i]].block];
        if (p->start_day <= b->end_day && b->start_day <= p->end_day)
            return REASON_SAME_BLOCK;
    }
    if (off->seats == 0)
        return REASON_NO_SEATS;
    if (x->result->fill[o] < off->seats || key < x->worst[o])
        return REASON_UNEXPLAINED;
    if (off->ranking == MATCH_RANKING_LOTTERY)
        return REASON_LOTTERY;
    return (key >> 32) > (x->worst[o] >> 32) ? REASON_HIGHER : REASON_TIE_LOTTERY;
}

/* "Placed at X, your choice 2 of 5." and the like. */
static void explain_placements(const struct match_explainer *x, uint32_t s, struct buf *out)
{
    const struct match_instance *in = x->in;
    const struct match_result *r = x->result;
    const struct match_student *st = &in->students[s];
    uint32_t held = r->placement_start[s + 1] - r->placement_start[s];
    uint32_t k = in->mode == MATCH_MODE_ONE ? 1 : st->max_placements;
    if (held == 0) {
        buf_append_str(out, st->rol_count == 0 ? "Not placed: you ranked no offering." : "Not placed.");
        return;
    }
    buf_append_str(out, "Placed at ");
    for (uint32_t i = 0, seen = 0; i < st->rol_count; i++) {
        uint32_t o = in->rol[st->rol_start + i];
        if (!placed_at(r, s, o))
            continue;
        if (seen > 0)
            buf_append_str(out, seen + 1 == held ? " and " : ", ");
        buf_append_str(out, in->offerings[o].id);
        if (k == 1) {
            buf_append_str(out, ", your choice ");
            buf_append_int(out, i + 1);
            buf_append_str(out, " of ");
            buf_append_int(out, st->rol_count);
        } else {
            buf_append_str(out, " (choice ");
            buf_append_int(out, i + 1);
            buf_append_char(out, ')');
        }
        seen++;
    }
    if (k > 1) {
        buf_append_str(out, ": ");
        buf_append_int(out, held);
        buf_append_str(out, " of the ");
        buf_append_int(out, k);
        buf_append_str(out, " placements you could have");
    }
    buf_append_char(out, '.');
}

/* ", X (needs a, b)" for an offering whose requirements the student lacks. */
static void append_missing(const struct match_explainer *x, uint32_t s, uint32_t o, struct buf *out)
{
    const struct match_instance *in = x->in;
    const struct match_offering *off = &in->offerings[o];
    const struct match_student *st = &in->students[s];
    buf_append_str(out, " (needs ");
    bool first = true;
    for (uint32_t i = 0; i < off->requires_count; i++) {
        uint32_t a = in->attr_refs[off->requires_start + i];
        bool has = false;
        for (uint32_t j = 0; j < st->attrs_count && !has; j++)
            has = in->attr_refs[st->attrs_start + j] == a;
        if (has)
            continue;
        buf_append_str(out, first ? "" : ", ");
        buf_append_str(out, in->attr_names[a]);
        first = false;
    }
    buf_append_char(out, ')');
}

void match_explain(const struct match_explainer *x, uint32_t s, struct buf *out)
{
    const struct match_instance *in = x->in;
    const struct match_result *r = x->result;
    const struct match_student *st = &in->students[s];
    uint32_t held = r->placement_start[s + 1] - r->placement_start[s];
    uint32_t k = in->mode == MATCH_MODE_ONE ? 1 : st->max_placements;
    explain_placements(x, s, out);

    /* The reason of each entry that needs one, then each reason with its offerings. */
    enum { MAX_SHOWN = 4096 };
    uint8_t reasons[MAX_SHOWN];
    uint32_t above[MATCH_MAX_PLACEMENTS], above_count = 0, considered = 0, found = 0;
    for (uint32_t i = 0; i < st->rol_count && i < MAX_SHOWN && found < k; i++) {
        uint32_t o = in->rol[st->rol_start + i];
        reasons[i] = REASON_COUNT;
        if (placed_at(r, s, o)) {
            if (above_count < MATCH_MAX_PLACEMENTS)
                above[above_count++] = o;
            found++;
            continue;
        }
        reasons[i] = (uint8_t)reason_for(x, s, st->rol_start + i, above, above_count);
        considered = i + 1;
    }
    if (considered == 0)
        return;
    buf_append_str(out, held == k ? " Of the offerings you ranked higher: " : held == 0 ? " Of the offerings you ranked: "
                                                                                     : " Of the others you ranked: ");
    bool first_group = true;
    for (int reason = 0; reason < REASON_COUNT; reason++) {
        bool first = true;
        for (uint32_t i = 0; i < considered; i++) {
            if (reasons[i] != reason)
                continue;
            uint32_t o = in->rol[st->rol_start + i];
            if (first) {
                buf_append_str(out, first_group ? "" : "; ");
                buf_append_str(out, reason_text[reason]);
                buf_append_str(out, " — ");
                first_group = false;
            } else {
                buf_append_str(out, ", ");
            }
            buf_append_str(out, in->offerings[o].id);
            if (reason == REASON_INELIGIBLE)
                append_missing(x, s, o, out);
            first = false;
        }
    }
    buf_append_char(out, '.');
    if (st->rol_count > MAX_SHOWN && found < k)
        buf_appendf(out, " (Only your first %d choices are explained.)", MAX_SHOWN);
}
