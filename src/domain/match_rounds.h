/* match_rounds.h — a school's match round in the server (docs/match.md):
 *
 *   draft ──open──→ open ──run──→ matched ──publish──→ published
 *     └──────────cancel (any but published)──────→ cancelled
 *
 * The school's coordinators (or staff) create a round for a cohort of their
 * linked students, add blocks with seats that the round reserves (nobody else
 * can take them meanwhile), set a deadline and open it. Students of the cohort
 * rank the round's offerings they are eligible for (until the deadline); each
 * host ranks the students who ranked its blocks, or leaves the lottery to
 * decide. Running builds the instance (eligibility applied before matching),
 * runs the engine with its verification and keeps placements and each
 * student's explanation; it may run again until published. Publishing turns
 * each placement into an application in `offered` with the offering's usual
 * expiry (its seat stays reserved until the offer is accepted or lapses),
 * tells the unplaced, and returns the seats left to sale. */
#ifndef ROUNDS_DOMAIN_MATCH_ROUNDS_H
#define ROUNDS_DOMAIN_MATCH_ROUNDS_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/match.h"
#include "domain/vocabulary.h"
#include "lib/errors.h"
#include "store/match_rounds.h"


/* What the caller is to a round (several may hold). */
enum match_round_role {
    MATCH_ROLE_COORDINATOR = 1, /* the school's coordinator, or staff */
    MATCH_ROLE_STUDENT = 2,     /* in the cohort */
    MATCH_ROLE_HOST = 4,        /* coordinates a host whose block is in the round */
};

struct match_round_new {
    const char *school_id, *name, *mode, *seed; /* seed NULL: a random one */
    int64_t max_placements, deadline;           /* deadline: an instant */
    const char *const *student_ids;             /* NULL: every student linked to the school */
    size_t student_count;
};

/* 201-like creation: 404 when the user does not manage the school, 400
 * naming name / mode / max_placements / deadline / student_ids (a student
 * not linked to the school). */
int match_round_create(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                       const struct match_round_new *r, struct store_match_round *out, struct error *err);

/* The round if the user may see it (its roles into *roles), else 404. */
int match_round_for(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *round_id,
                    struct store_match_round *out, unsigned *roles, struct error *err);

/* The coordinator reserves seats of a block (draft or open rounds): 400
 * seats, 404 block, 409 conflict (already in, or in rotation mode dates
 * overlapping another block's without being the same period), 422 when the
 * block has not that many seats free, has started or starts before the deadline. Removing returns the seats to sale. */
int match_round_add_block(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                          const char *round_id, const char *block_id, int64_t seats, struct error *err);
int match_round_remove_block(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                             const char *round_id, const char *block_id, struct error *err);

/* A student of the cohort ranks offerings of the round (block ids, best
 * first; empty clears the list): only while open and before the deadline
 * (409 otherwise), only blocks of the round they are eligible for and have no
 * application to already (400 block_ids naming why). */
int match_round_rank(struct db_conn *conn, struct arena *arena, const struct store_user *student,
                     const char *round_id, const char *const *block_ids, size_t count, struct error *err);

/* A host ranks the students who ranked its block (tiers: 1 best, equal =
 * tie), or chooses the lottery (lottery true, no list). Draft or open rounds;
 * 404 when the user does not coordinate the block's host; 400 when a student
 * did not rank the block. */
int match_round_host_rank(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                          const char *round_id, const char *block_id, bool lottery, const char *const *student_ids,
                          const int64_t *tiers, size_t count, struct error *err);

/* open, run, publish, cancel (the coordinator): 409 invalid_transition when
 * the round is not in a state that allows it; run refuses a round with no
 * block (409), publish a result whose verification failed (409). */
int match_round_act(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *round_id,
                    const char *action, struct store_match_round *out, struct error *err);

/* The instance of a round as the engine sees it, with the server ids behind
 * its offerings (block ids) and students (user ids), index for index. */
struct match_round_instance {
    struct match_instance in;
    const char **block_ids;   /* per offering */
    const char **student_ids; /* per student */
};
int match_round_build(struct db_conn *conn, struct arena *arena, const struct store_match_round *round,
                      struct match_round_instance *out, struct error *err);

/* Whether a student may rank a block of a round: the offering's eligibility
 * rules against their profile. */
bool match_round_student_eligible(const struct store_offering *offering, const struct store_profile *profile);

#endif
