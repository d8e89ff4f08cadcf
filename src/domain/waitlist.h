/* waitlist.h — the waitlist of a full block.
 *
 * When a block is full (no seat left that is not already offered to someone
 * from its list), an eligible student may join its list and sees their
 * position; they may leave it while waiting. Whenever a seat frees — an
 * application leaves a seat-taking state (expiry, decline, cancellation,
 * withdrawal), the host raises the seats, an offer made from the list lapses
 * — waitlist_seat_freed(), called in the transaction that freed it, offers
 * each free seat to the first student on the list who is still eligible and
 * has no booked rotation at the same time: an application created in
 * `offered` with the offering's usual offer expiry, and a notice. A student
 * skipped stays on the list. If the offer expires or is declined, the next
 * one gets it the same way. Hosts see the list of their blocks. */
#ifndef ROUNDS_DOMAIN_WAITLIST_H
#define ROUNDS_DOMAIN_WAITLIST_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/errors.h"
#include "store/waitlist.h"

/* Joins the block's list: ERR_NOT_FOUND (no such open block), ERR_FORBIDDEN
 * (not a student), ERR_BLOCK_STARTED, ERR_BLOCK_HAS_SEATS (409: apply instead),
 * ERR_NOT_ELIGIBLE (422), ERR_ALREADY_APPLIED (422), ERR_ALREADY_WAITLISTED (409). */
int waitlist_join(struct db_conn *conn, struct arena *arena, const struct store_user *student, const char *block_id,
                  struct store_waitlist_entry *out, struct error *err);
/* Leaves it: ERR_NOT_FOUND when the student is not waiting on it. */
int waitlist_leave(struct db_conn *conn, const struct store_user *student, const char *block_id, struct error *err);
/* The block's list for a coordinator of its host or staff (ERR_NOT_FOUND otherwise). */
int waitlist_of_block(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *block_id,
                      struct store_waitlist_entry **out, size_t *count, struct error *err);

/* In the caller's transaction, before an application of the block
 * (application_id, or NULL for a new one) is submitted or takes a seat:
 * promised is true when every free seat is offered to someone from the list
 * (but this application), so that the seat an offer from the list waits for
 * is not taken by someone else meanwhile. Before taking a seat, the caller
 * holds the block's lock (store_block_lock) from before this call. */
int waitlist_seats_promised(struct db_conn *conn, struct arena *arena, const char *block_id,
                            const char *application_id, bool *promised);

/* In the caller's transaction, after application a moved from an offer or a
 * seat (had_seat) to a state without a seat: if it was offered from the
 * block's list, its place leaves the list; then waitlist_seat_freed() with
 * the seats that opened (the seat given up, or the one the offer waited for). */
int waitlist_application_ended(struct db_conn *conn, struct arena *arena, const char *application_id,
                               const char *block_id, bool was_offered, bool had_seat, int64_t now);

/* In the caller's transaction, after a change to the block's seats: opened
 * seats were just freed (0 when only an offer lapsed). Offers the free seats
 * to the list, and records a catalog event when a seat opens to everyone on a
 * block that had none. DB_OK or a database error (the caller rolls back). */
int waitlist_seat_freed(struct db_conn *conn, struct arena *arena, const char *block_id, int opened, int64_t now);

#endif
