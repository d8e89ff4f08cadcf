/* accounts.h — rules about users: roles, profile values, who may do what to
 * accounts. Pure functions over store types. */
#ifndef ROUNDS_DOMAIN_ACCOUNTS_H
#define ROUNDS_DOMAIN_ACCOUNTS_H

#include <stdbool.h>

#include "store/store.h"

/* NULL-terminated lists of accepted values, shared by the API specs and pages. */
extern const char *const account_roles[];
extern const char *const profile_statuses[];
extern const char *const profile_visa_kinds[];
extern const char *const profile_step1_values[];
extern const char *const profile_ecfmg_statuses[];
extern const char *const profile_english_proofs[];

/* Their words, parallel to the lists of values. */
extern const char *const profile_status_labels[];
extern const char *const profile_visa_labels[];
extern const char *const profile_step1_labels[];
extern const char *const profile_ecfmg_labels[];
extern const char *const profile_english_labels[];
/* The label of value in values (NULL when value is NULL or not listed). */
const char *profile_label(const char *const *values, const char *const *labels, const char *value);

bool account_role_valid(const char *role);
bool account_has_role(const struct store_user *user, const char *role);
/* The organisation kind a role's membership must have ("host" for a host
 * coordinator), or NULL when the role takes no organisation. */
const char *account_role_organization_kind(const char *role);
/* A human label: "host_coordinator" → "Host coordinator". */
const char *account_role_label(const char *role);

#endif
