/* catalog.c — catalog rules; see catalog.h. */
#include "domain/catalog.h"

#include <string.h>

#include "domain/accounts.h"

bool catalog_npi_valid(const char *npi)
{
    if (npi == NULL || strlen(npi) != 10)
        return false;
    for (int i = 0; i < 10; i++)
        if (npi[i] < '0' || npi[i] > '9')
            return false;
    /* Luhn over 80840 + the first nine digits; the prefix contributes 24. */
    int sum = 24;
    for (int i = 8; i >= 0; i--) {
        int d = npi[i] - '0';
        if ((8 - i) % 2 == 0) { /* doubled: the rightmost of the nine, then every other one */
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
    }
    int check = (10 - sum % 10) % 10;
    return check == npi[9] - '0';
}

bool catalog_may_manage(const struct store_user *user, const char *organization_id)
{
    if (user == NULL)
        return false;
    if (account_has_role(user, "staff"))
        return true;
    for (size_t i = 0; i < user->membership_count; i++)
        if (strcmp(user->memberships[i].organization_id, organization_id) == 0 &&
            strcmp(user->memberships[i].role, "host_coordinator") == 0)
            return true;
    return false;
}

bool catalog_may_view_offering(struct db_conn *conn, struct arena *arena, const char *user_id,
                               const struct store_offering *offering)
{
    if (offering->status != NULL && strcmp(offering->status, "published") == 0)
        return true;
    if (user_id == NULL)
        return false;
    if (offering->preceptor_user_id != NULL && strcmp(offering->preceptor_user_id, user_id) == 0)
        return true;
    struct store_user user;
    if (store_user_by_id(conn, arena, user_id, &user) != DB_ROW)
        return false;
    return catalog_may_manage(&user, offering->organization_id);
}
