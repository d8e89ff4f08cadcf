/* readiness.h — Match readiness (DESIGN.md §4): what a student has and still
 * needs for the residency Match. Each item is ok, missing or in_progress, with
 * the next action and a link to it. */
#ifndef ROUNDS_DOMAIN_READINESS_H
#define ROUNDS_DOMAIN_READINESS_H

#include <stdint.h>

#include "domain/vocabulary.h"
#include "lib/arena.h"
#include "lib/errors.h"
#include "store/letters.h"
#include "store/rotation.h"
#include "store/store.h"

struct readiness_item {
    const char *key;       /* letters, usce, step1, step2ck, ecfmg, english */
    const char *title;     /* "Letters of recommendation" */
    enum readiness_state state;
    const char *summary;   /* "2 of 3 uploaded, 1 from a U.S. physician" */
    const char *next_action, *link; /* what to do next and where; NULL when ok */
    int64_t have, target;  /* for the progress picture (0/0 when it is yes/no) */
};

struct readiness {
    int64_t letters, letters_us, letters_target, letters_us_target;
    int64_t usce_hands_on_weeks, usce_observership_weeks, usce_other_weeks, usce_planned_weeks, usce_target_weeks;
    struct readiness_item items[6];
    size_t count;
    int ok_count;
};

/* What readiness is computed from (readiness_for reads it from the store). */
struct readiness_input {
    int64_t letters;        /* uploaded or delivered */
    int64_t letters_us;     /* of them, from a U.S. physician */
    int64_t letters_open;   /* requested or accepted */
    int64_t letters_target, letters_us_target, usce_target_weeks;
    struct store_usce usce;
    const struct store_profile *profile;
};

/* Pure: the six items (letters, usce, step1, step2ck, ecfmg, english) and the
 * counts from the input; strings live in the arena. */
void readiness_compute(struct arena *arena, const struct readiness_input *in, struct readiness *out);
/* Weeks of U.S. clinical experience from the student's rotations: whole
 * weeks of confirmed hours by kind (hours.h), and the weeks still to come of
 * booked, cleared and running rotations as planned. Pure. */
void readiness_usce_from(const struct store_usce_rotation *rotations, size_t count, struct store_usce *out);
/* The student's readiness from the store: 0, or -1 when the database failed. */
int readiness_for(struct db_conn *conn, struct arena *arena, const struct store_user *student, struct readiness *out);
/* Staff set the targets: 400 naming the field (0–520; letters_us above
 * letters → 400 letters_us), 404 for non-staff. Audited. */
int readiness_set_targets(struct db_conn *conn, const struct store_user *staff, int64_t letters, int64_t letters_us,
                          int64_t usce_weeks, struct error *err);

#endif
