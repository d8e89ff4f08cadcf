/* demo_money.h — the money of the demo's bookings for `rounds seed --demo`:
 * each booked, started or completed demo rotation has the terms, the charge,
 * the payments and (once started) the host's share that the real flow would
 * have left, dated when the demo's history says they happened. */
#ifndef ROUNDS_DOMAIN_DEMO_MONEY_H
#define ROUNDS_DOMAIN_DEMO_MONEY_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/arena.h"
#include "store/store.h"

struct demo_money_story {
    int64_t accepted_at;     /* the student took the seat: terms fixed, price charged */
    int64_t deposit_paid_at; /* the deposit (or the full price, when no deposit applied) paid */
    bool balance_paid;       /* the rest paid too, three days before it was due */
    int64_t started_at;      /* the rotation started: the host's share earned; 0 when not yet */
};

/* Posts the story of the application (inserted already, in a seat-taking
 * status) through the money module (money_on_move, money_receive with the
 * demo provider), in the caller's transaction, with the clock set to each
 * moment in turn and put back afterwards. A db_status. */
int demo_money_post(struct db_conn *conn, struct arena *arena, const char *application_id,
                    const struct demo_money_story *story);

#endif
