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

struct save_profile {
    const char *user_id, *time_zone;
    const struct store_profile *profile;
    bool set_time_zone;
};

static int save_profile_tx(struct db_conn *conn, void *ctx)
{
    const struct save_profile *s = ctx;
    int rc = store_user_set_profile(conn, s->user_id, s->profile);
    if (rc == DB_OK && s->set_time_zone)
        rc = store_user_set_time_zone(conn, s->user_id, s->time_zone);
    return rc;
}

int account_save_profile(struct db_conn *conn, const char *user_id, const struct store_profile *profile,
                         bool set_time_zone, const char *time_zone)
{
    struct save_profile s = {user_id, time_zone, profile, set_time_zone};
    return db_run_tx(conn, true, save_profile_tx, &s);
}
