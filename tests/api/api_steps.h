/* api_steps.h — the steps the API suites repeat around their worlds, built on
 * api_hooks.h and api_people.h: moving the clock with the suite's people kept
 * signed in. Each suite passes its own people and data in. Include after
 * api_client.h with PEOPLE_PASSWORD defined.
 *
 * Every function is static inline so that a suite may use any subset. */
#ifndef ROUNDS_TESTS_API_STEPS_H
#define ROUNDS_TESTS_API_STEPS_H

#include <stddef.h>

#include "api_client.h"
#include "api_hooks.h"
#include "api_people.h"
#include "test.h"

/* ---- the clock ---- */

/* Moves the clock, then signs people (NULL-terminated; entries without an
 * email are skipped) in again: sessions idle for more than 30 days end, so
 * the suites that move the clock by months keep their people signed in. */
static inline void steps_set_clock_signed_in(long long offset, struct user *const *people)
{
    hooks_set_clock(offset);
    for (size_t i = 0; people[i] != NULL; i++)
        if (people[i]->email[0] != '\0' && !login(people[i]))
            TEST_FAILF("signing %s in again after moving the clock failed", people[i]->email);
}

#endif
