/* accounts.c — roles and memberships; see accounts.h. */
#include "domain/accounts.h"

#include <string.h>

#include "lib/buf.h"
#include "lib/limits.h"

bool account_has_role(const struct store_user *user, enum role role)
{
    for (size_t i = 0; user != NULL && i < user->role_count; i++)
        if (role_parse(user->roles[i]) == role)
            return true;
    return false;
}

bool account_is_member(const struct store_user *user, const char *organization_id, enum role role)
{
    for (size_t i = 0; user != NULL && organization_id != NULL && i < user->membership_count; i++)
        if (strcmp(user->memberships[i].organization_id, organization_id) == 0 &&
            role_parse(user->memberships[i].role) == role)
            return true;
    return false;
}

const char *account_organization_ids(struct arena *arena, const struct store_user *user, enum role role)
{
    struct buf ids;
    buf_init(&ids, arena, BUF_CAP_SMALL);
    for (size_t i = 0; user != NULL && i < user->membership_count; i++)
        if (role_parse(user->memberships[i].role) == role) {
            if (ids.len > 0)
                buf_append_char(&ids, ',');
            buf_append_str(&ids, user->memberships[i].organization_id);
        }
    return ids.len > 0 && buf_ok(&ids) ? ids.data : NULL;
}

enum organization_kind account_role_organization_kind(enum role role)
{
    switch (role) {
    case ROLE_HOST_COORDINATOR:
    case ROLE_PRECEPTOR:
        return ORGANIZATION_HOST;
    case ROLE_SCHOOL_COORDINATOR:
        return ORGANIZATION_SCHOOL;
    default:
        return ORGANIZATION_KIND_UNKNOWN;
    }
}
