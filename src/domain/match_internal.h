/* match_internal.h — what the match's own files share: how rank-order-list entries
 * meet the hosts' lists, for the engine, the verification and the explanations. */
#ifndef ROUNDS_DOMAIN_MATCH_INTERNAL_H
#define ROUNDS_DOMAIN_MATCH_INTERNAL_H

#include "domain/match.h"

/* The host key of rol entry e of student s, smaller is better: (tier,
 * lottery position), the lottery alone at lottery hosts; UINT64_MAX when the
 * host does not rank the student. Needs r->rol_tier and the lottery. */
uint64_t match_host_key(const struct match_result *r, uint32_t student, uint32_t rol_entry);

/* Rank-order-list entries grouped by the offering they name. */
struct match_rol_groups {
    uint32_t *start;   /* per offering (offering_count + 1): its group in entries */
    uint32_t *entries; /* rol entry indexes */
    uint32_t *student; /* per rol entry: whose list it is in */
};
int match_rol_groups(const struct match_instance *in, struct arena *arena, struct match_rol_groups *g);

/* For every rol entry into out: values[j] of the order entry j that names its
 * student in its offering's list (MATCH_NONE when the list does not), or at
 * lottery hosts lottery[student] (0 when lottery is NULL). */
int match_host_values(const struct match_instance *in, const struct match_rol_groups *g, const uint32_t *values,
                      const uint32_t *lottery, struct arena *arena, uint32_t *out);

#endif
