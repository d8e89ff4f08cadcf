/* deletions.h — account deletion requests (issue 18, item 5): a person who is
 * not staff asks to delete their account, may cancel while it is pending, and
 * staff complete it (or the jobs thread does, DELETION_GRACE_DAYS after the
 * request). Completing erases or pseudonymises the person's data in one
 * transaction (store_user_erase), then removes their sealed files. A seat held,
 * a rotation booked or under way, a refund still owed or a payment on its way
 * refuses the request (409 deletion_blocked) and holds back its completion
 * until it is settled. Audited: deletion_requested, deletion_cancelled,
 * account_erased, with no personal data in the detail. */
#ifndef ROUNDS_DOMAIN_DELETIONS_H
#define ROUNDS_DOMAIN_DELETIONS_H

#include "lib/arena.h"
#include "lib/errors.h"
#include "store/deletions.h"

enum { DELETION_GRACE_DAYS = 30 };

/* The reason the account cannot be erased now, for people to read, or NULL. */
const char *deletion_obstacle_text(const struct store_deletion_obstacles *o);

/* The person asks: the new pending request into *out. 403 for staff and
 * coaches, 409 deletion_pending when one is pending, 409 deletion_blocked. */
int deletion_request(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                     struct store_deletion_request *out, struct error *err);
/* The person cancels their pending request (into *out); 404 when none is pending. */
int deletion_cancel(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                    struct store_deletion_request *out, struct error *err);
/* The person's newest request: 0, or 404 when they never asked. */
int deletion_latest(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                    struct store_deletion_request *out, struct error *err);
/* One request, for staff or its own person (anyone else: 404). */
int deletion_get(struct db_conn *conn, struct arena *arena, const char *id, const struct store_user *viewer,
                 struct store_deletion_request *out, struct error *err);
/* Staff complete a pending request (into *out, the person now a pseudonym):
 * 404 for an unknown id (and for anyone but staff), 409 deletion_closed when
 * it is not pending, 409 deletion_blocked while something stands in the way. */
int deletion_complete(struct db_conn *conn, struct arena *arena, const char *id, const struct store_user *staff,
                      struct store_deletion_request *out, struct error *err);
/* The jobs thread: completes the pending requests that are due; *completed
 * counts them. A request still blocked stays pending. DB_OK or a db status. */
int deletions_complete_due(struct db_conn *conn, struct arena *arena, int *completed);

#endif
