/* calendar_feed.c — the calendar feed's token and its events; see calendar_feed.h. */
#include "domain/calendar_feed.h"

#include <stdio.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/applications.h"
#include "domain/catalog.h"
#include "domain/documents.h"
#include "domain/notify.h"
#include "domain/vocabulary.h"
#include "lib/cents.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/ical.h"
#include "lib/limits.h"
#include "store/applications.h"
#include "store/calendar.h"
#include "store/documents.h"
#include "store/money.h"

enum { FEED_APPLICATIONS = 100 };

void calendar_feed_url(struct buf *out, const char *token)
{
    buf_append_str(out, notify_public_url());
    buf_append_str(out, "/calendar/");
    buf_append_url(out, token);
    buf_append_str(out, ".ics");
}

int calendar_feed_issue(struct db_conn *conn, const struct store_user *user, char token[44], struct error *err)
{
    char hash[65];
    crypto_random_token(token);
    crypto_hash_token(token, hash);
    int64_t now = clock_now();
    if (store_calendar_feed_set(conn, user->id, hash, now) != DB_OK ||
        store_audit_add(conn, user->id, AUDIT_CALENDAR_FEED_ISSUED, AUDIT_ON_USER, user->id, "", now) != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    return 0;
}

int calendar_feed_revoke(struct db_conn *conn, const struct store_user *user, struct error *err)
{
    int rc = store_calendar_feed_delete(conn, user->id);
    if (rc == DB_DONE)
        return error_set(err, ERR_NOT_FOUND, NULL, "you have no calendar address");
    if (rc != DB_OK ||
        store_audit_add(conn, user->id, AUDIT_CALENDAR_FEED_REVOKED, AUDIT_ON_USER, user->id, "", clock_now()) != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    return 0;
}

int calendar_feed_state(struct db_conn *conn, const struct store_user *user, bool *active, int64_t *created_at,
                        struct error *err)
{
    *created_at = 0;
    int rc = store_calendar_feed_of(conn, user->id, created_at);
    if (rc != DB_ROW && rc != DB_DONE)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    *active = rc == DB_ROW;
    return 0;
}

/* ---- the events ---- */

struct feed {
    struct db_conn *conn;
    struct arena *arena;
    struct buf *out;
    const struct store_user *user;
    int64_t now;
};

/* The first-day event's description: the host's fields ("When: 7:30 am", …),
 * whom to ask for, anything else they wrote, and the link. */
static const char *first_day_text(struct arena *arena, struct store_offering *o, const struct store_application *a,
                                  const char *link)
{
    struct buf b;
    buf_init(&b, arena, BUF_CAP_DETAIL);
    bool ask_for_given = false;
    for (int i = 0; o != NULL && i < FIRST_DAY_FIELDS; i++) {
        const char *value = *first_day_field(&o->first_day_fields, i);
        if (value == NULL || value[0] == '\0')
            continue;
        buf_appendf(&b, "%s: %s\n", first_day_field_labels[i], value);
        ask_for_given = ask_for_given || first_day_field(&o->first_day_fields, i) == &o->first_day_fields.ask_for;
    }
    if (!ask_for_given)
        buf_appendf(&b, "Ask for %s.\n", a->preceptor_name);
    if (o != NULL && o->first_day != NULL && o->first_day[0] != '\0')
        buf_appendf(&b, "%s\n", o->first_day);
    buf_append_str(&b, link);
    return buf_ok(&b) ? b.data : link;
}

static void event(struct feed *f, const char *uid, const char *summary, const char *start, const char *end,
                  const char *description, const char *location)
{
    struct ical_event e = {uid, summary, description, location, start, end, f->now};
    ical_all_day_event(f->out, &e);
}

/* The rotation itself, its first day, and (for its student) the weekly check-in days and the balance due. */
static void rotation_events(struct feed *f, const struct store_application *a)
{
    struct store_offering o;
    bool has_offering = store_offering_get(f->conn, f->arena, a->offering_id, &o) == DB_ROW;
    bool student = strcmp(a->student_id, f->user->id) == 0;
    enum application_status status = application_status_parse(a->status);
    const char *link = arena_textf(f->arena, "%s/rotations/%s", notify_public_url(), a->id);
    const char *where = has_offering ? arena_textf(f->arena, "%s, %s%s%s, %s", o.site_name,
                                                   o.site_address != NULL ? o.site_address : "",
                                                   o.site_address != NULL && o.site_address[0] != '\0' ? ", " : "",
                                                   o.site_city, o.site_state)
                                     : NULL;
    const char *summary = student ? arena_textf(f->arena, "Rotation: %s (%s)", a->offering_title, a->host_name)
                                  : arena_textf(f->arena, "%s: %s", a->student_name, a->offering_title);
    event(f, arena_textf(f->arena, "rotation-%s@rounds", a->id), summary, a->block_start, a->block_end,
          arena_textf(f->arena, "Preceptor: %s\nStatus: %s\n%s", a->preceptor_name,
                      application_status_label(status), link),
          where);
    if (status == APPLICATION_COMPLETED)
        return;
    event(f, arena_textf(f->arena, "first-day-%s@rounds", a->id),
          arena_textf(f->arena, "First day: %s", a->offering_title),
          a->block_start, a->block_start, first_day_text(f->arena, has_offering ? &o : NULL, a, link),
          has_offering && o.first_day_fields.address != NULL && o.first_day_fields.address[0] != '\0'
              ? o.first_day_fields.address
              : where);
    if (!student)
        return;
    int32_t first = clock_days_from_date(a->block_start), last = clock_days_from_date(a->block_end);
    for (int32_t day = first; day <= last; day += 7) {
        char date[11];
        clock_date_from_days(day, date);
        event(f, arena_textf(f->arena, "check-in-%s-%s@rounds", a->id, date),
              arena_textf(f->arena, "Weekly check-in: %s", a->offering_title), date, date,
              arena_textf(f->arena, "How is it going? Check in: %s/check-ins", link), NULL);
    }
    struct store_money_terms terms;
    if ((status == APPLICATION_HELD || status == APPLICATION_BOOKED) &&
        store_money_terms_get(f->conn, f->arena, a->id, &terms) == DB_ROW && terms.balance_due_on != NULL &&
        terms.paid_cents < terms.price_cents) {
        char amount[CENTS_TEXT_MAX];
        event(f, arena_textf(f->arena, "balance-%s@rounds", a->id),
              arena_textf(f->arena, "Balance due: %s for %s", cents_format(amount, sizeof(amount),
                                                                           terms.price_cents - terms.paid_cents),
                          a->offering_title),
              terms.balance_due_on, terms.balance_due_on,
              arena_textf(f->arena, "Pay before the day ends, or the seat is released: %s/applications/%s/checkout",
                          notify_public_url(), a->id),
              NULL);
    }
}

static int rotations(struct feed *f)
{
    struct store_application_filter filter = {
        .student_id = f->user->id,
        .organization_ids = account_organization_ids(f->arena, f->user, ROLE_HOST_COORDINATOR),
        .preceptor_user_id = f->user->id,
        .coach_user_id = f->user->id,
        .limit = FEED_APPLICATIONS,
    };
    struct store_application *apps;
    size_t count = 0;
    int rc = store_applications_list(f->conn, f->arena, &filter, &apps, &count);
    for (size_t i = 0; rc == DB_OK && i < count; i++)
        if (application_status_takes_seat(application_status_parse(apps[i].status)))
            rotation_events(f, &apps[i]);
    return rc;
}

static int document_expiries(struct feed *f)
{
    if (!account_has_role(f->user, ROLE_STUDENT))
        return DB_OK;
    struct store_document *docs;
    size_t count = 0;
    int rc = store_documents_current(f->conn, f->arena, f->user->id, &docs, &count);
    for (size_t i = 0; rc == DB_OK && i < count; i++) {
        if (docs[i].expires_on == NULL || docs[i].expires_on[0] == '\0')
            continue;
        event(f, arena_textf(f->arena, "document-%s-expires@rounds", docs[i].id),
              arena_textf(f->arena, "%s expires", document_kind_name(docs[i].kind)), docs[i].expires_on,
              docs[i].expires_on,
              arena_textf(f->arena, "Upload a new one before it expires: %s/wallet/%s", notify_public_url(),
                          docs[i].id),
              NULL);
    }
    return rc;
}

int calendar_feed_render(struct db_conn *conn, struct arena *arena, const char *token, struct buf *out,
                         struct error *err)
{
    if (token == NULL || strlen(token) != CALENDAR_TOKEN_CHARS)
        return error_set(err, ERR_NOT_FOUND, NULL, "no such calendar");
    char hash[65];
    crypto_hash_token(token, hash);
    const char *user_id = NULL;
    struct store_user user;
    int rc = store_calendar_feed_user(conn, arena, hash, &user_id);
    if (rc == DB_ROW)
        rc = store_user_by_id(conn, arena, user_id, &user);
    if (rc == DB_DONE)
        return error_set(err, ERR_NOT_FOUND, NULL, "no such calendar");
    if (rc != DB_ROW)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    struct feed f = {conn, arena, out, &user, clock_now()};
    ical_begin(out, "Rounds");
    rc = rotations(&f);
    if (rc == DB_OK)
        rc = document_expiries(&f);
    ical_end(out);
    if (rc != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    if (!buf_ok(out))
        return error_set(err, ERR_INTERNAL, NULL, "the calendar is too long");
    return 0;
}
