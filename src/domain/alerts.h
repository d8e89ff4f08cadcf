/* alerts.h — saved searches with alerts, and favourites with their notices.
 *
 * A student saves any search (its filters, checked by the same parser as the
 * search itself) under a name, at most SAVED_SEARCHES_MAX. The catalog writes
 * events (an offering published, a block added, a seat opened on a full
 * block) in the transactions that cause them. The background jobs read the
 * events once across instances (a cursor moved by a conditional update) a
 * moment after they happen (ALERT_SETTLE_SECONDS, so that slower transactions
 * of other instances are in), and for them:
 *
 *   - every saved search is run against the events' offerings in the search
 *     index; a match is an in-app notice at once and joins the search's
 *     pending list, sent by email at most once a day per saved search with an
 *     unsubscribe link (a random token per email, stored hashed) that works
 *     without logging in;
 *   - every student who starred an offering with new dates or a freed seat
 *     gets an in-app notice. */
#ifndef ROUNDS_DOMAIN_ALERTS_H
#define ROUNDS_DOMAIN_ALERTS_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/catalog_index.h"
#include "lib/arena.h"
#include "lib/errors.h"
#include "store/alerts.h"

enum { ALERT_SETTLE_SECONDS = 2, ALERT_EMAIL_EVERY_SECONDS = 24 * 3600 };

/* The filters of a saved search as query-parameter text (NULL: not set). */
struct alerts_filters {
    const char *q, *specialty, *state, *kind, *start_from, *start_to, *max_tuition, *include_full, *eligible;
};
/* The names of the filters a saved search takes (the search's parameters but
 * sort, limit and cursor), NULL-terminated. */
extern const char *const alerts_filter_names[];

/* Saves a search: -1 with err naming the filter (ERR_INVALID_PARAMETER as the
 * search answers; the caller may prefix the field), ERR_SAVED_SEARCH_LIMIT, … */
int alerts_saved_search_create(struct db_conn *conn, struct arena *arena, const struct store_user *student,
                               const char *name, const struct alerts_filters *filters,
                               struct store_saved_search *out, struct error *err);
/* ERR_NOT_FOUND unless it is the student's. */
int alerts_saved_search_delete(struct db_conn *conn, const char *student_id, const char *id, struct error *err);
/* The search of a saved search (for the page's link and the alerts). */
int alerts_query_of(const struct store_saved_search *s, const struct store_profile *profile,
                    struct catalog_query *q, struct error *err);
/* "/search?q=…&specialty=…": the saved search as a link. */
const char *alerts_search_link(struct arena *arena, const struct store_saved_search *s);

/* The student's saved search of an unsubscribe token: DB_ROW, DB_DONE (an
 * unknown token), or an error. */
int alerts_unsubscribe_find(struct db_conn *conn, struct arena *arena, const char *token,
                            struct store_saved_search *out);
/* Turns the emails of that saved search off. */
int alerts_unsubscribe(struct db_conn *conn, struct arena *arena, const char *token,
                       struct store_saved_search *out);

/* Stars (on) or unstars an offering: ERR_NOT_FOUND for an offering the
 * student may not see, ERR_FORBIDDEN for anyone but a student. */
int alerts_favourite_set(struct db_conn *conn, struct arena *arena, const struct store_user *student,
                         const char *offering_id, bool on, struct error *err);

struct alerts_report {
    int events, notices, emails;
};
/* One round of the background jobs: the events, then the daily emails. */
int alerts_run(struct db_conn *conn, struct arena *arena, struct alerts_report *report);

#endif
