/* catalog.h — the rules of the catalog: who may see and manage what, and the
 * checks on preceptors (NPI), offerings and blocks. */
#ifndef ROUNDS_DOMAIN_CATALOG_H
#define ROUNDS_DOMAIN_CATALOG_H

#include <stdbool.h>

#include "lib/arena.h"
#include "store/store.h"

/* The NPI check digit: Luhn over "80840" followed by the first nine digits. */
bool catalog_npi_valid(const char *npi);

/* Published offerings are public; the others only to staff, the host's
 * coordinators and the offering's preceptor. user_id may be NULL. */
bool catalog_may_view_offering(struct db_conn *conn, struct arena *arena, const char *user_id,
                               const struct store_offering *offering);
/* Staff, or a host coordinator who is a member of organization_id. */
bool catalog_may_manage(const struct store_user *user, const char *organization_id);

#endif
