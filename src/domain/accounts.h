/* accounts.h — rules about users: their roles and organisation memberships.
 * Pure functions over store types. Roles and the profile's values are
 * vocabularies (domain/vocabulary.h): role_names[] and student_status_names[]
 * … are the lists the API specs and the forms accept. */
#ifndef ROUNDS_DOMAIN_ACCOUNTS_H
#define ROUNDS_DOMAIN_ACCOUNTS_H

#include <stdbool.h>

#include "domain/vocabulary.h"
#include "lib/arena.h"
#include "store/store.h"

/* Whether the user holds the role (NULL user: no). */
bool account_has_role(const struct store_user *user, enum role role);
/* Whether the user is a member of organization_id with the role. */
bool account_is_member(const struct store_user *user, const char *organization_id, enum role role);
/* The ids of the organisations where the user holds the role, comma-separated
 * (as the store's list filters take them), or NULL when there are none. */
const char *account_organization_ids(struct arena *arena, const struct store_user *user, enum role role);
/* The organisation kind a role's membership must have (ORGANIZATION_HOST for
 * a host coordinator), or ORGANIZATION_KIND_UNKNOWN when the role takes none. */
enum organization_kind account_role_organization_kind(enum role role);
/* Saves the student profile and, when set_time_zone, the time zone (NULL:
 * none; the caller checked it with tz_exists) in one transaction. */
int account_save_profile(struct db_conn *conn, const char *user_id, const struct store_profile *profile,
                         bool set_time_zone, const char *time_zone);

#endif
