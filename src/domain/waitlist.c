/* waitlist.c — the waitlist of a full block; see waitlist.h. */
#include "domain/waitlist.h"

#include <stdio.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/catalog.h"
#include "domain/catalog_index.h"
#include "domain/email_confirmation.h"
#include "domain/notify.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/log.h"
#include "lib/tz_words.h"
#include "store/alerts.h"
#include "store/applications.h"

static int current_year(void)
{
    char today[11];
    clock_today(today);
    return (today[0] - '0') * 1000 + (today[1] - '0') * 100 + (today[2] - '0') * 10 + (today[3] - '0');
}

static bool eligible(const struct store_offering *o, const struct store_profile *p)
{
    struct catalog_eligibility rules = {
        .students_allowed = o->students_allowed,
        .graduates_allowed = o->graduates_allowed,
        .step1_required = o->step1_required,
        .english_proof_required = o->english_proof_required,
        .max_years_since_graduation = o->max_years_since_graduation,
        .visa_kinds = o->visa_kinds,
    };
    return catalog_eligible(&rules, p, current_year());
}

/* Seats nobody holds, no match round keeps and nobody from the list has been offered. */
static int seats_free(struct db_conn *conn, const struct store_block *b, int64_t *free)
{
    int64_t open_offers = 0;
    int rc = store_waitlist_open_offers(conn, b->id, NULL, &open_offers);
    *free = b->seats - b->seats_taken - b->seats_reserved - open_offers;
    return rc;
}

/* ---- joining and leaving ---- */

struct join_ctx {
    struct arena *arena;
    const struct store_user *student;
    const char *block_id;
    struct store_waitlist_entry *out;
    struct error *err;
};

static int join_fail(struct join_ctx *c, enum error_code code, const char *detail)
{
    error_set(c->err, code, "block_id", detail);
    return DB_CONSTRAINT; /* roll back: the error says why */
}

/* Whether the student may join: the block is open, full, and they may take it. */
static int join_checks(struct db_conn *conn, struct join_ctx *c, const struct store_block *b,
                       const struct store_offering *o)
{
    char today[11];
    clock_today(today);
    if (strcmp(b->start_date, today) <= 0)
        return join_fail(c, ERR_BLOCK_STARTED, "this block has already started");
    int64_t free = 0;
    int rc = seats_free(conn, b, &free);
    if (rc != DB_OK)
        return rc;
    if (free > 0)
        return join_fail(c, ERR_BLOCK_HAS_SEATS, "this block has a free seat: apply for it instead");
    if (!eligible(o, &c->student->profile))
        return join_fail(c, ERR_NOT_ELIGIBLE, "your profile does not meet this rotation's eligibility rules");
    bool active = false;
    rc = store_student_active_on_block(conn, c->student->id, b->id, &active);
    if (rc != DB_OK)
        return rc;
    if (active)
        return join_fail(c, ERR_ALREADY_APPLIED, "you already have an active application for this block");
    return DB_OK;
}

static int join_tx(struct db_conn *conn, void *p)
{
    struct join_ctx *c = p;
    struct store_block b;
    struct store_offering o;
    int rc = store_block_lock(conn, c->block_id);
    if (rc != DB_OK)
        return rc;
    rc = store_block_get(conn, c->arena, c->block_id, &b);
    if (rc == DB_ROW)
        rc = store_offering_get(conn, c->arena, b.offering_id, &o);
    if (rc == DB_DONE || (rc == DB_ROW && offering_status_parse(o.status) != OFFERING_PUBLISHED))
        return join_fail(c, ERR_NOT_FOUND, "there is no open block with this id");
    if (rc != DB_ROW)
        return rc;
    if ((rc = join_checks(conn, c, &b, &o)) != DB_OK)
        return rc;
    char id[48];
    crypto_sortable_id("w_", clock_now_ms(), id, sizeof(id));
    rc = store_waitlist_join(conn, id, b.id, c->student->id, clock_now());
    if (rc == DB_CONSTRAINT)
        return join_fail(c, ERR_ALREADY_WAITLISTED, "you are on this block's waitlist already");
    if (rc == DB_OK)
        rc = store_waitlist_active(conn, c->arena, b.id, c->student->id, c->out) == DB_ROW ? DB_OK : DB_ERROR;
    return rc;
}

int waitlist_join(struct db_conn *conn, struct arena *arena, const struct store_user *student, const char *block_id,
                  struct store_waitlist_entry *out, struct error *err)
{
    if (!account_has_role(student, ROLE_STUDENT))
        return error_set(err, ERR_FORBIDDEN, NULL, "only students join waitlists");
    if (email_confirmation_required(student, err) != 0)
        return -1;
    struct join_ctx c = {arena, student, block_id, out, err};
    err->code = ERR_NONE;
    int rc = db_run_tx(conn, true, join_tx, &c);
    if (err->code != ERR_NONE)
        return -1;
    return rc == DB_OK ? 0 : error_set(err, ERR_UNAVAILABLE, NULL, NULL);
}

int waitlist_leave(struct db_conn *conn, const struct store_user *student, const char *block_id, struct error *err)
{
    int rc = store_waitlist_leave(conn, block_id, student->id, clock_now());
    if (rc == DB_DONE)
        return error_set(err, ERR_NOT_FOUND, NULL, "you are not waiting on this block's list");
    return rc == DB_OK ? 0 : error_set(err, ERR_UNAVAILABLE, NULL, NULL);
}

int waitlist_of_block(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *block_id,
                      struct store_waitlist_entry **out, size_t *count, struct error *err)
{
    struct store_block b;
    struct store_offering o;
    int rc = catalog_managed_block(conn, arena, user, block_id, &b, &o);
    if (rc == DB_DONE)
        return error_set(err, ERR_NOT_FOUND, NULL, "no such block");
    if (rc != DB_ROW || store_waitlist_of_block(conn, arena, block_id, out, count) != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    return 0;
}

/* ---- offering freed seats ---- */

/* Whether the student on the list may take the seat now. */
static int may_take(struct db_conn *conn, struct arena *arena, const struct store_waitlist_entry *e,
                    const struct store_block *b, const struct store_offering *o, bool *ok)
{
    struct store_user student;
    bool active = false, overlaps = false;
    *ok = false;
    int rc = store_user_by_id(conn, arena, e->student_id, &student);
    if (rc == DB_DONE)
        return DB_OK;
    if (rc != DB_ROW)
        return rc;
    rc = store_student_active_on_block(conn, e->student_id, b->id, &active);
    if (rc == DB_OK)
        rc = store_student_booked_overlap(conn, e->student_id, b->start_date, b->end_date, &overlaps);
    *ok = rc == DB_OK && !active && !overlaps && eligible(o, &student.profile);
    return rc;
}

/* An application in `offered` for the student on the list, as a host's offer would make it. */
static int offer_to(struct db_conn *conn, struct arena *arena, const struct store_waitlist_entry *e,
                    const struct store_block *b, const struct store_offering *o, int64_t now)
{
    char id[48];
    crypto_sortable_id("a_", clock_now_ms(), id, sizeof(id));
    struct store_application a = {.id = id, .student_id = e->student_id, .block_id = b->id, .offering_id = o->id,
                                  .organization_id = o->organization_id,
                                  .status = application_status_name(APPLICATION_SUBMITTED), .statement = "",
                                  .created_at = now};
    int64_t offer_days = 7, hold_days = 7;
    int rc = store_offering_expiry_days(conn, o->id, &offer_days, &hold_days);
    int64_t expires_at = now + (offer_days > 0 ? offer_days : 7) * 86400;
    if (rc == DB_ROW)
        rc = store_application_insert(conn, &a);
    if (rc == DB_OK)
        rc = store_application_move(conn, id, application_status_name(APPLICATION_SUBMITTED),
                                    application_status_name(APPLICATION_OFFERED),
                                    expires_at, 0, now);
    if (rc == DB_OK)
        rc = store_application_event_add(conn, id, "offer", NULL, application_status_name(APPLICATION_OFFERED), NULL,
                                         move_actor_name(MOVE_BY_SYSTEM),
                                         "a seat opened: offered to the first on the waitlist", now);
    if (rc == DB_OK)
        rc = store_waitlist_offered(conn, e->id, id, now);
    if (rc == DB_OK)
        rc = store_audit_add(conn, NULL, AUDIT_TRANSITION, AUDIT_ON_APPLICATION, id, "waitlist offer: -> offered", now);
    if (rc != DB_OK)
        return rc;
    char title[360], link[80], start[CLOCK_DATE_WORDS_SIZE], until[TZ_INSTANT_WORDS_SIZE];
    snprintf(title, sizeof(title), "A seat opened on %s (from %s): you have an offer from the waitlist, accept by %s",
             o->title, clock_date_words(b->start_date, start),
             tz_instant_words(notify_time_zone(conn, arena, e->student_id), expires_at, until));
    snprintf(link, sizeof(link), "/applications/%s", id);
    struct recipient to = {e->student_id, e->student_email};
    notify(conn, arena, &to, "waitlist_offer", title, link, now);
    return DB_OK;
}

int waitlist_seats_promised(struct db_conn *conn, struct arena *arena, const char *block_id,
                            const char *application_id, bool *promised)
{
    struct store_block b;
    *promised = false;
    int rc = store_block_get(conn, arena, block_id, &b);
    if (rc != DB_ROW)
        return rc == DB_DONE ? DB_OK : rc;
    int64_t others = 0;
    rc = store_waitlist_open_offers(conn, block_id, application_id, &others);
    *promised = rc == DB_OK && others > 0 && b.seats - b.seats_taken - b.seats_reserved - others <= 0;
    return rc;
}

int waitlist_application_ended(struct db_conn *conn, struct arena *arena, const char *application_id,
                               const char *block_id, bool was_offered, bool had_seat, int64_t now)
{
    int rc = store_waitlist_offer_ended(conn, application_id, now);
    if (rc != DB_OK && rc != DB_DONE)
        return rc;
    /* An open offer from the list kept a seat free for it: that seat opens now. */
    int opened = (had_seat || (was_offered && rc == DB_OK)) ? 1 : 0;
    return waitlist_seat_freed(conn, arena, block_id, opened, now);
}

int waitlist_seat_freed(struct db_conn *conn, struct arena *arena, const char *block_id, int opened, int64_t now)
{
    struct store_block b;
    struct store_offering o;
    int rc = store_block_lock(conn, block_id);
    if (rc != DB_OK)
        return rc;
    rc = store_block_get(conn, arena, block_id, &b);
    if (rc == DB_ROW)
        rc = store_offering_get(conn, arena, b.offering_id, &o);
    if (rc == DB_DONE)
        return DB_OK;
    if (rc != DB_ROW)
        return rc;
    int64_t free = 0;
    if ((rc = seats_free(conn, &b, &free)) != DB_OK)
        return rc;
    int64_t before = free - opened, offers = 0;
    char today[11];
    clock_today(today);
    bool open = offering_status_parse(o.status) == OFFERING_PUBLISHED && strcmp(b.start_date, today) > 0;
    for (int64_t after = 0; open && free > 0;) {
        struct store_waitlist_entry e;
        rc = store_waitlist_next_waiting(conn, arena, block_id, after, &e);
        if (rc == DB_DONE)
            break;
        if (rc != DB_ROW)
            return rc;
        after = e.position;
        bool ok = false;
        if ((rc = may_take(conn, arena, &e, &b, &o, &ok)) != DB_OK)
            return rc;
        if (!ok)
            continue; /* skipped this time; stays on the list */
        if ((rc = offer_to(conn, arena, &e, &b, &o, now)) != DB_OK)
            return rc;
        free--;
        offers++;
    }
    /* A seat open to everyone on a block that had none: alerts and favourites follow it. */
    bool opened_to_all = open && before <= 0 && free > 0;
    if (opened_to_all)
        rc = store_catalog_event_add(conn, catalog_event_kind_name(CATALOG_EVENT_SEAT_OPENED), o.id, b.id, now);
    /* The offering's pages count offered seats as taken: they follow the change. */
    if ((rc == DB_OK || rc == DB_DONE) && (offers > 0 || opened_to_all))
        rc = store_catalog_changed(conn, o.id, now);
    return rc == DB_DONE ? DB_OK : rc;
}
