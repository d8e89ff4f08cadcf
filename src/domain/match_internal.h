/* match_internal.h — what the match's own files share: how rank-order-list entries
 * meet the hosts' lists, for the engine, the verification and the explanations. */
#ifndef ROUNDS_DOMAIN_MATCH_INTERNAL_H
#define ROUNDS_DOMAIN_MATCH_INTERNAL_H

#include "domain/match.h"

/* The host key of rol entry e of student s, smaller is better: (tier,
 * lottery position), the lottery alone at lottery hosts; UINT64_MAX when the
 * host does not rank the student. Needs r->rol_tier and the lottery. */
uint64_t match_host_key(const struct match_result *r, uint32_t student, uint32_t rol_entry);

/* For every rol entry into out: the entry of its offering's list (in->order)
 * that names its student, MATCH_NONE when the list does not (or the host
 * holds a lottery). */
int match_rol_order_entries(const struct match_instance *in, struct arena *arena, uint32_t *out);

/* For every rol entry into out: values[j] of the list entry j that names its
 * student (MATCH_NONE when the list does not), or at lottery hosts
 * lottery[student] (0 when lottery is NULL). rol_entry is what
 * match_rol_order_entries gives. */
void match_host_values(const struct match_instance *in, const uint32_t *rol_entry, const uint32_t *values,
                       const uint32_t *lottery, uint32_t *out);

#endif
