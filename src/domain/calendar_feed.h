/* calendar_feed.h — each user's secret calendar address (DESIGN.md §6):
 * /calendar/{token}.ics, an iCalendar feed of what their rotations bring —
 * the rotations they are on or look after (student, preceptor, host
 * coordinator, coach), each first day with its place and the host's
 * instructions, the student's weekly check-in days, balance due dates and
 * document expiries. The token is random, stored hashed, revocable and
 * regenerable (a new one ends the old one); an unknown or revoked token is
 * 404. Every event has a UID that stays the same when the event changes. */
#ifndef ROUNDS_DOMAIN_CALENDAR_FEED_H
#define ROUNDS_DOMAIN_CALENDAR_FEED_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/errors.h"
#include "store/store.h"

/* The characters of a token (crypto_random_token), without ".ics". */
enum { CALENDAR_TOKEN_CHARS = 43 };

/* The feed's address for a token: PUBLIC_URL/calendar/TOKEN.ics, appended to out. */
void calendar_feed_url(struct buf *out, const char *token);
/* A new token for the user (replacing any other) into token[44]. Audited. */
int calendar_feed_issue(struct db_conn *conn, const struct store_user *user, char token[44], struct error *err);
/* Ends the user's feed: 0, or 404 when there is none. Audited. */
int calendar_feed_revoke(struct db_conn *conn, const struct store_user *user, struct error *err);
/* Whether the user has a feed (and since when). */
int calendar_feed_state(struct db_conn *conn, const struct store_user *user, bool *active, int64_t *created_at,
                        struct error *err);
/* The feed of the token (as in the path, without ".ics") into out: 404
 * for a token that is malformed, unknown or revoked. */
int calendar_feed_render(struct db_conn *conn, struct arena *arena, const char *token, struct buf *out,
                         struct error *err);

#endif
