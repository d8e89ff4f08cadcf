/* match.h — the cohort placement match: instances, the engine, its
 * verification and its explanations (docs/match.md describes the rules and
 * the JSON shapes).
 *
 * An instance is a set of students, offerings (one run of a rotation, with
 * seats, inside one block of dates) and blocks. Students rank offerings; hosts
 * rank students (a list, possibly with ties) or let the round's lottery rank
 * them. The engine runs student-proposing deferred acceptance with capacities:
 * in mode "one" each student gets at most one placement, in mode "rotation" at
 * most max_placements, never two in the same block. Eligibility (an offering's
 * required attributes) removes pairs before matching. The lottery order is the
 * students' ids sorted by SHA-256(seed ‖ id); its SHA-256 is published.
 *
 * Everything the engine allocates comes from the caller's arena. Instances are
 * built by the JSON reader (match_json.c) or, in the server, from the database;
 * both fill struct match_instance below. */
#ifndef ROUNDS_DOMAIN_MATCH_H
#define ROUNDS_DOMAIN_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/limits.h" /* MATCH_*: the limits of an instance */

#define MATCH_NONE UINT32_MAX

enum match_mode {
    MATCH_MODE_ONE,      /* at most one placement per student */
    MATCH_MODE_ROTATION, /* up to max_placements, at most one per block */
};

enum match_ranking {
    MATCH_RANKING_LIST,    /* the host's order; students not listed are unacceptable */
    MATCH_RANKING_LOTTERY, /* every eligible student, in the lottery order */
};

const char *match_mode_name(enum match_mode mode);
const char *match_ranking_name(enum match_ranking ranking);

struct match_block {
    const char *id;
    int32_t start_day, end_day; /* days since 1970-01-01, inclusive */
};

struct match_offering {
    const char *id;
    uint32_t block;
    uint32_t seats;
    enum match_ranking ranking;
    uint32_t order_start, order_count;       /* into order[] and order_tier[] (lists only) */
    uint32_t requires_start, requires_count; /* into attr_refs[], ascending, no repeats */
};

struct match_student {
    const char *id;
    uint32_t max_placements;             /* 1 in mode "one" */
    uint32_t rol_start, rol_count;       /* into rol[], best first, no repeats */
    uint32_t attrs_start, attrs_count;   /* into attr_refs[], ascending, no repeats */
};

struct match_instance {
    enum match_mode mode;
    const char *seed;
    struct match_block *blocks;
    struct match_offering *offerings;
    struct match_student *students;
    uint32_t block_count, offering_count, student_count;
    uint32_t *rol;        /* offering indexes */
    uint32_t *order;      /* student indexes, each host's list best first */
    uint32_t *order_tier; /* per order entry: non-decreasing; equal tiers are ties */
    uint32_t *attr_refs;  /* attribute indexes */
    const char **attr_names;
    uint32_t attr_count;
    uint32_t rol_total, order_total, attr_ref_total;
};

struct match_pair {
    uint32_t student, offering;
};

/* What is checked after every run, from the instance and the placements only
 * (independently of how the engine found them). */
struct match_verification {
    bool capacity_ok;       /* no offering over its seats */
    bool eligibility_ok;    /* every placement ranked by its student, requirements met, acceptable to its host */
    bool overlap_ok;        /* no student in two offerings whose dates overlap */
    bool max_placements_ok; /* no student over max_placements (1 in mode "one") */
    struct match_pair *blocking_pairs; /* must be empty: then the result is stable */
    uint32_t blocking_count;
};

struct match_result {
    uint32_t *placement_start; /* student_count + 1 entries: student s holds placements[start[s] .. start[s+1]) */
    uint32_t *placements;      /* offering indexes, each student's in their rank order */
    uint32_t placement_total;
    uint32_t *fill;             /* per offering: seats taken */
    uint32_t *lottery_order;    /* student indexes, first drawn first */
    uint32_t *lottery_position; /* per student: its place in lottery_order */
    unsigned char order_sha256[32];
    uint32_t *rol_tier; /* per rol entry: the student's tier in the host's list (0 at lottery
                           hosts), MATCH_NONE when the list leaves the student out */
    uint64_t proposals;
    double core_ms; /* deferred acceptance alone */
    struct match_verification verification;
};

/* Runs the match on a valid instance (as match_json_read or the server builds
 * it) and verifies the result. Returns 0, or -1 when memory ran out. */
int match_run(const struct match_instance *in, struct arena *arena, struct match_result *out);

/* The lottery alone: fills lottery_order, lottery_position and order_sha256. */
int match_lottery(const struct match_instance *in, struct arena *arena, struct match_result *out);

/* The rol_tier array of a result (match_run fills it). */
uint32_t *match_rol_tiers(const struct match_instance *in, struct arena *arena);

/* Recomputes the verification of a result's placements (match_run calls it);
 * needs its lottery and rol_tier. */
int match_verify(const struct match_instance *in, const struct match_result *result, struct arena *arena,
                 struct match_verification *out);
bool match_verification_ok(const struct match_verification *v);

/* Why each student got what they got: built once per result (arena memory),
 * then one paragraph of plain English per student. */
struct match_explainer;
struct match_explainer *match_explainer_new(const struct match_instance *in, const struct match_result *result,
                                            struct arena *arena);
void match_explain(const struct match_explainer *x, uint32_t student, struct buf *out);

/* Whether student s meets offering o's requirements. */
bool match_eligible(const struct match_instance *in, uint32_t student, uint32_t offering);

#endif
