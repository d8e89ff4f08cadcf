/* alerts_job.c — the background side of alerts (see alerts.h): catalog
 * events read once across instances, notices for favourites and saved
 * searches, and the daily email of each saved search. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "domain/agreements.h"
#include "domain/alerts.h"
#include "domain/notify.h"
#include "lib/buf.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/limits.h"
#include "lib/log.h"
#include "store/applications.h"

enum {
    EVENTS_PER_ROUND = 500,
    SEARCHES_PER_PAGE = 100,
    EMAILS_PER_ROUND = 20,
    PENDING_TRIES = 3, /* writes of a search's pending list that another instance changed first */
};

/* What one try of events_tx did: added to the report only once the try
 * commits (a retried try starts again from zero). */
struct run_ctx {
    struct arena *arena;
    int64_t now;
    int events, notices; /* of this try */
    bool taken;          /* another instance moved the cursor first */
};

/* ---- favourites ---- */

static bool seen_pair(const char **students, const char **offerings, size_t n, const char *student,
                      const char *offering)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(students[i], student) == 0 && strcmp(offerings[i], offering) == 0)
            return true;
    return false;
}

enum { NOTICES_PER_ROUND = 4096 };

/* New dates or a freed seat on a starred offering: a notice to each student
 * who starred it (one per student and offering a round). */
static int notify_favourites(struct db_conn *conn, struct run_ctx *c, const struct store_catalog_event *events,
                             size_t count)
{
    const char **done_students = arena_calloc(c->arena, NOTICES_PER_ROUND, sizeof(char *));
    const char **done_offerings = arena_calloc(c->arena, NOTICES_PER_ROUND, sizeof(char *));
    size_t done = 0;
    if (done_students == NULL || done_offerings == NULL)
        return DB_ERROR;
    for (size_t e = 0; e < count; e++) {
        enum catalog_event_kind kind = catalog_event_kind_parse(events[e].kind);
        bool seat = kind == CATALOG_EVENT_SEAT_OPENED;
        if (!seat && kind != CATALOG_EVENT_BLOCK_ADDED)
            continue;
        const char **students;
        size_t n;
        struct store_offering o;
        int rc = store_favourite_students(conn, c->arena, events[e].offering_id, &students, &n);
        if (rc == DB_OK && n > 0)
            rc = store_offering_get(conn, c->arena, events[e].offering_id, &o) == DB_ROW ? DB_OK : DB_ERROR;
        if (rc != DB_OK)
            return rc;
        for (size_t i = 0; i < n && done < NOTICES_PER_ROUND; i++) {
            if (seen_pair(done_students, done_offerings, done, students[i], o.id))
                continue;
            done_students[done] = students[i];
            done_offerings[done++] = o.id;
            char title[256], link[128];
            snprintf(title, sizeof(title), "%s: %s", seat ? "A seat opened on a saved rotation" : "New dates on a saved rotation",
                     o.title);
            snprintf(link, sizeof(link), "/offerings/%s", o.id);
            struct recipient to = {students[i], NULL};
            notify(conn, c->arena, &to, seat ? "favourite_seat" : "favourite_dates", title, link, c->now);
            c->notices++;
        }
    }
    return DB_OK;
}

/* ---- saved searches ---- */

/* pending + the ids of found not already in it, at most ALERT_PENDING_MAX. */
static const char *merge_pending(struct arena *arena, const char *pending, const struct catalog_result *found)
{
    struct buf b;
    buf_init(&b, arena, BUF_CAP_SMALL);
    buf_append_str(&b, pending != NULL ? pending : "");
    size_t n = 0;
    for (const char *p = pending; p != NULL && *p != '\0'; p++)
        n += *p == ',';
    n += pending != NULL && pending[0] != '\0';
    for (size_t i = 0; i < found->count && n < ALERT_PENDING_MAX; i++) {
        size_t len = strlen(found->items[i].id);
        bool there = false;
        for (const char *p = b.data; p != NULL && (p = strstr(p, found->items[i].id)) != NULL && !there; p += len)
            there = (p == b.data || p[-1] == ',') && (p[len] == ',' || p[len] == '\0');
        if (there)
            continue;
        if (b.len > 0)
            buf_append_char(&b, ',');
        buf_append_str(&b, found->items[i].id);
        n++;
    }
    return buf_ok(&b) ? b.data : pending;
}

/* Adds what was found to the search's pending list. The list came with the
 * page of searches, read before: another instance may have emailed it and
 * emptied it since, so the write is conditional on it and, when it changed,
 * made again from the list as it is now (else what was emailed would be
 * pending again, and listed in the next email). */
static int add_pending(struct db_conn *conn, struct arena *arena, const struct store_saved_search *s,
                       const struct catalog_result *found)
{
    const char *pending = s->pending;
    for (int i = 0; i < PENDING_TRIES; i++) {
        int rc = store_saved_search_set_pending(conn, s->id, pending, merge_pending(arena, pending, found));
        if (rc != DB_DONE)
            return rc;
        struct store_saved_search now;
        rc = store_saved_search_get(conn, arena, s->id, &now);
        if (rc == DB_DONE || (rc == DB_ROW && !now.email_alerts))
            return DB_OK; /* deleted, or its emails turned off, meanwhile */
        if (rc != DB_ROW)
            return rc;
        pending = now.pending;
    }
    return DB_RETRY; /* it keeps changing: run the events again */
}

/* Runs one saved search against the offerings of the events; a notice and the pending list on a match. */
static int match_one(struct db_conn *conn, struct run_ctx *c, const struct store_saved_search *s,
                     const char *const *ids, size_t id_count)
{
    struct store_user student = {0};
    struct catalog_query q;
    struct error err = {0};
    if (s->eligible_me && store_user_by_id(conn, c->arena, s->student_id, &student) != DB_ROW)
        return DB_OK;
    if (alerts_query_of(s, &student.profile, &q, &err) != 0)
        return DB_OK; /* saved with filters the search no longer takes */
    if (q.eligible_for != NULL) {
        /* As the search page: offerings that require an affiliation agreement
         * match when an agreement of the student's school covers the block. */
        struct store_affiliation *affiliations = NULL;
        int rc = affiliation_load(conn, c->arena, s->student_id, &affiliations, &q.affiliation_count);
        if (rc != DB_OK)
            return rc;
        q.affiliations = affiliations;
    }
    q.only_ids = ids;
    q.only_count = id_count;
    q.limit = 100;
    q.sort = CATALOG_SORT_SOONEST;
    struct catalog_result found;
    if (catalog_search(c->arena, &q, &found, &err) != 0 || found.count == 0)
        return DB_OK;
    char title[300];
    snprintf(title, sizeof(title), "%zu new %s your saved search \xe2\x80\x9c%s\xe2\x80\x9d", found.count,
             found.count == 1 ? "rotation matches" : "rotations match", s->name);
    struct recipient to = {s->student_id, NULL};
    notify(conn, c->arena, &to, "saved_search", title, alerts_search_link(c->arena, s), c->now);
    c->notices++;
    if (!s->email_alerts)
        return DB_OK;
    return add_pending(conn, c->arena, s, &found);
}

static int match_saved_searches(struct db_conn *conn, struct run_ctx *c, const struct store_catalog_event *events,
                                size_t count)
{
    const char **ids = arena_calloc(c->arena, count + 1, sizeof(char *));
    size_t n = 0;
    for (size_t e = 0; e < count && ids != NULL; e++) {
        bool there = false;
        for (size_t i = 0; i < n && !there; i++)
            there = strcmp(ids[i], events[e].offering_id) == 0;
        if (!there)
            ids[n++] = events[e].offering_id;
    }
    const char *after = "";
    for (;;) {
        struct store_saved_search *page;
        size_t page_count;
        int rc = store_saved_searches_page(conn, c->arena, after, SEARCHES_PER_PAGE, &page, &page_count);
        if (rc != DB_OK)
            return rc;
        for (size_t i = 0; i < page_count; i++)
            if ((rc = match_one(conn, c, &page[i], ids, n)) != DB_OK)
                return rc;
        if (page_count < SEARCHES_PER_PAGE)
            return DB_OK;
        after = page[page_count - 1].id;
    }
}

/* One stretch of events, taken from the shared cursor in this transaction. */
static int events_tx(struct db_conn *conn, void *p)
{
    struct run_ctx *c = p;
    c->events = c->notices = 0; /* a retried try: what a rolled-back one did is undone */
    c->taken = false;
    int64_t cursor = 0;
    struct store_catalog_event *events = NULL;
    size_t count = 0;
    int rc = store_event_cursor_get(conn, "alerts", &cursor);
    if (rc == DB_OK)
        rc = store_catalog_events_after(conn, c->arena, cursor, c->now - ALERT_SETTLE_SECONDS, EVENTS_PER_ROUND,
                                        &events, &count);
    if (rc != DB_OK || count == 0)
        return rc;
    rc = store_event_cursor_move(conn, "alerts", cursor, events[count - 1].seq);
    if (rc == DB_DONE) {
        c->taken = true;
        return DB_CONSTRAINT; /* roll back: another instance has these events */
    }
    if (rc == DB_OK)
        rc = notify_favourites(conn, c, events, count);
    if (rc == DB_OK)
        rc = match_saved_searches(conn, c, events, count);
    if (rc == DB_OK)
        c->events = (int)count;
    return rc;
}

/* ---- the daily email ---- */

static void split_ids(struct arena *arena, const char *csv, const char ***ids, size_t *count)
{
    *count = 0;
    size_t n = 1;
    for (const char *p = csv; *p != '\0'; p++)
        n += *p == ',';
    *ids = arena_calloc(arena, n + 1, sizeof(char *));
    for (const char *p = csv; *ids != NULL && *p != '\0';) {
        const char *comma = strchr(p, ',');
        size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);
        if (len > 0)
            (*ids)[(*count)++] = arena_strndup(arena, p, len);
        p += len + (comma != NULL);
    }
}

/* The email of one saved search: what was found since the last one, with links. */
static const char *email_body(struct arena *arena, const struct store_saved_search *s, const char *token)
{
    const char *base = notify_public_url();
    const char **ids;
    size_t count;
    split_ids(arena, s->pending, &ids, &count);
    /* What was found, as it stands now (a seat may have gone again). */
    struct catalog_query q = {.specialty = -1, .state = -1, .kind = -1, .start_from = INT32_MIN,
                              .start_to = INT32_MAX, .max_tuition_cents = -1, .include_full = true,
                              .sort = CATALOG_SORT_SOONEST, .limit = ALERT_PENDING_MAX, .only_ids = ids,
                              .only_count = count};
    struct catalog_result found = {0};
    struct error err = {0};
    if (catalog_search(arena, &q, &found, &err) != 0)
        found.count = 0;
    struct buf b;
    buf_init(&b, arena, BUF_CAP_FORM);
    buf_appendf(&b, "New rotations match your saved search %s:\n\n", notify_quote(arena, s->name, BUF_CAP_LINE));
    for (size_t i = 0; i < found.count; i++) {
        const struct catalog_hit *h = &found.items[i];
        /* What hosts wrote is quoted and defanged: the email carries only the links Rounds wrote. */
        buf_appendf(&b, "- %s, %s, %s (%s, %s)", notify_quote(arena, h->title, BUF_CAP_LINE),
                    notify_quote(arena, h->host_name, BUF_CAP_LINE), notify_quote(arena, h->city, BUF_CAP_LINE),
                    h->state, h->has_open_block ? "seats open" : "full for now");
        if (h->next_start[0] != '\0')
            buf_appendf(&b, ", next start %s", h->next_start);
        buf_appendf(&b, "\n  %s/offerings/%s\n", base, h->id);
    }
    buf_appendf(&b, "\nSee the whole search: %s%s\n", base, alerts_search_link(arena, s));
    buf_appendf(&b, "\nYou get at most one email a day for this search. Stop these emails: %s/unsubscribe/%s\n"
                    "\n-- \nRounds\n",
                base, token);
    return buf_ok(&b) ? b.data : NULL;
}

struct email_ctx {
    struct arena *arena;
    const struct store_saved_search *s;
    int64_t now;
    bool sent;
};

static int email_tx(struct db_conn *conn, void *p)
{
    struct email_ctx *c = p;
    c->sent = false; /* a retried transaction: what a rolled-back try sent is not sent */
    int rc = store_saved_search_emailed(conn, c->s->id, c->s->pending, c->now - ALERT_EMAIL_EVERY_SECONDS, c->now);
    if (rc == DB_DONE)
        return DB_OK; /* another instance sent one within the day, or emails are off now */
    if (rc != DB_OK)
        return rc;
    char token[44], hash[65];
    crypto_random_token(token);
    crypto_hash_token(token, hash);
    rc = store_alert_unsubscribe_add(conn, hash, c->s->id, c->now);
    const char *body = rc == DB_OK ? email_body(c->arena, c->s, token) : NULL;
    if (rc != DB_OK || body == NULL)
        return rc != DB_OK ? rc : DB_ERROR;
    char subject[200];
    snprintf(subject, sizeof(subject), "New rotations for your saved search %s",
             notify_quote(c->arena, c->s->name, BUF_CAP_LINE));
    notify_email(conn, c->arena, c->s->student_email, "saved_search_alert", subject, body, c->now);
    c->sent = true;
    return DB_OK;
}

static int send_emails(struct db_conn *conn, struct arena *arena, struct alerts_report *report, int64_t now)
{
    struct store_saved_search *due;
    size_t count;
    int rc = store_saved_searches_due(conn, arena, now - ALERT_EMAIL_EVERY_SECONDS, EMAILS_PER_ROUND, &due, &count);
    for (size_t i = 0; i < count && rc == DB_OK; i++) {
        struct email_ctx c = {arena, &due[i], now, false};
        rc = db_run_tx(conn, true, email_tx, &c);
        report->emails += rc == DB_OK && c.sent; /* a try that did not commit sent nothing */
    }
    return rc;
}

int alerts_run(struct db_conn *conn, struct arena *arena, struct alerts_report *report)
{
    struct run_ctx c = {arena, clock_now(), 0, 0, false};
    /* The searches run on this instance's index: bring it up to what the
     * database holds, so that it has seen every change of the events read. */
    int rc = catalog_index_sync(conn);
    if (rc == DB_OK)
        rc = db_run_tx(conn, true, events_tx, &c);
    if (rc == DB_OK) {
        /* The committed try alone: a retried one counted its notices again. */
        report->events += c.events;
        report->notices += c.notices;
    }
    if (rc == DB_CONSTRAINT && c.taken)
        rc = DB_OK;
    if (rc == DB_OK)
        rc = send_emails(conn, arena, report, c.now);
    return rc;
}
