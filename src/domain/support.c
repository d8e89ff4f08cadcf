/* support.c — support tickets: due times, opening, replies, status and
 * assignment, the queue, figures and escalation; see support.h. */
#include "domain/support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/applications.h"
#include "domain/notify.h"
#include "domain/validate.h"
#include "domain/vocabulary.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/limits.h"
#include "lib/log.h"
#include "lib/utf8.h"
#include "store/rotation.h"

enum { ESCALATION_BATCH = 100, QUEUE_LIMIT = 500, DAY = 86400 };
#define SUBJECT_TOO_LONG "must be at most " LIMIT_TEXT(TICKET_SUBJECT_MAX_CHARS) " characters"
#define BODY_TOO_LONG "must be at most " LIMIT_TEXT(TICKET_BODY_MAX_CHARS) " characters"

static struct support_settings settings = {120, 24, 24, 72, NULL};

void support_defaults(struct support_settings *s)
{
    *s = (struct support_settings){120, 24, 24, 72, NULL};
}

void support_configure(const struct support_settings *s)
{
    settings = *s;
}

/* 0 Sunday … 6 Saturday of the UTC day holding t (1970-01-01 was a Thursday). */
static int weekday(int64_t t)
{
    int64_t days = t >= 0 ? t / DAY : (t - DAY + 1) / DAY;
    return (int)(((days + 4) % 7 + 7) % 7);
}

int64_t support_add_business_seconds(int64_t start, int64_t seconds)
{
    int64_t t = start;
    for (;;) {
        int64_t midnight = (t >= 0 ? t / DAY : (t - DAY + 1) / DAY) * DAY + DAY;
        int wd = weekday(t);
        if (wd == 0 || wd == 6) {
            t = midnight; /* weekends do not count */
            continue;
        }
        if (seconds <= midnight - t)
            return t + seconds;
        seconds -= midnight - t;
        t = midnight;
    }
}

void support_due_times(bool urgent, int64_t now, int64_t *response_due, int64_t *resolve_due)
{
    if (urgent) {
        *response_due = now + settings.urgent_response_minutes * 60;
        *resolve_due = now + settings.urgent_resolve_hours * 3600;
    } else {
        *response_due = support_add_business_seconds(now, settings.normal_response_hours * 3600);
        *resolve_due = support_add_business_seconds(now, settings.normal_resolve_hours * 3600);
    }
}

bool ticket_response_breached(const struct store_ticket *t, int64_t now)
{
    int64_t at = t->first_response_at > 0 ? t->first_response_at : now;
    return at > t->response_due_at;
}

bool ticket_resolve_breached(const struct store_ticket *t, int64_t now)
{
    int64_t at = t->resolved_at > 0 ? t->resolved_at : now;
    return at > t->resolve_due_at;
}

/* A text within its limit (413 naming the field above it), free of control characters (400). */
int support_check_text(const char *value, const char *field, size_t max, const char *too_long, bool multiline,
                       struct error *err)
{
    if (value != NULL && utf8_valid(value, strlen(value)) && utf8_count(value, strlen(value)) > max)
        return error_set(err, ERR_TEXT_TOO_LONG, field, too_long);
    return validate_text(value, field, 1, max, multiline, err);
}

static void record(struct db_conn *conn, const char *ticket_id, const char *actor_id, const char *kind,
                   const char *body, int64_t now, int *rc)
{
    if (*rc != DB_OK)
        return;
    char id[48];
    /* A reply and the status change it makes, recorded in the same
     * millisecond, still sort in the order they happened. */
    crypto_sortable_id("te_", clock_now_ms_unique(), id, sizeof(id));
    *rc = store_ticket_event_add(conn, id, ticket_id, actor_id, kind, body, now);
}

/* ---- opening ---- */

/* Tells the coach (assignee), and the on-call address for safety. */
static void tell_opened(struct db_conn *conn, struct arena *arena, const struct store_ticket *t, int64_t now)
{
    char title[512], link[96];
    snprintf(link, sizeof(link), "/tickets/%s", t->id);
    snprintf(title, sizeof(title), "%sTicket from %s: %s (%s)", strcmp(t->urgency, "urgent") == 0 ? "Urgent: " : "",
             t->requester_name != NULL ? t->requester_name : "a user", t->subject,
             ticket_category_label(ticket_category_parse(t->category)));
    if (t->assignee_id != NULL) {
        struct store_user coach;
        if (store_user_by_id(conn, arena, t->assignee_id, &coach) == DB_ROW) {
            struct recipient to = {coach.id, coach.email};
            notify(conn, arena, &to, "ticket_opened", title, link, now);
        }
    }
    if (ticket_category_parse(t->category) == TICKET_SAFETY && settings.oncall_email != NULL &&
        settings.oncall_email[0] != '\0') {
        struct recipient oncall = {NULL, settings.oncall_email};
        notify(conn, arena, &oncall, "ticket_safety", title, link, now);
    }
}

/* Fills and stores t (opened now by requester about student_id), with its first event. */
static int insert_ticket(struct db_conn *conn, struct arena *arena, struct store_ticket *t, const char *requester_name,
                         int64_t now)
{
    char id[48];
    crypto_sortable_id("tk_", clock_now_ms(), id, sizeof(id));
    t->id = arena_strdup(arena, id);
    t->status = ticket_status_name(TICKET_OPEN);
    t->created_at = t->updated_at = now;
    support_due_times(strcmp(t->urgency, "urgent") == 0, now, &t->response_due_at, &t->resolve_due_at);
    if (t->student_id != NULL && t->assignee_id == NULL) {
        struct store_coach coach;
        if (store_coach_of_student(conn, arena, t->student_id, &coach) == DB_ROW)
            t->assignee_id = coach.id;
    }
    int rc = store_ticket_insert(conn, t);
    record(conn, t->id, t->requester_id, "opened", t->body, now, &rc);
    if (rc == DB_OK)
        rc = store_audit_add(conn, t->requester_id, AUDIT_TICKET_OPENED, AUDIT_ON_TICKET, t->id, t->category, now);
    if (rc == DB_OK) {
        t->requester_name = requester_name;
        tell_opened(conn, arena, t, now);
    }
    return rc;
}

struct open_ctx {
    struct arena *arena;
    const struct store_user *user;
    const struct ticket_input *in;
    struct store_ticket *out;
    struct error *err;
};

static int open_tx(struct db_conn *conn, void *p)
{
    struct open_ctx *c = p;
    struct store_ticket t = {.requester_id = c->user->id,
                             .category = c->in->category,
                             .urgency = c->in->urgency,
                             .subject = c->in->subject,
                             .body = c->in->body};
    if (account_has_role(c->user, ROLE_STUDENT))
        t.student_id = c->user->id;
    if (c->in->application_id != NULL) {
        struct store_application a;
        if (application_get_visible(conn, c->arena, c->in->application_id, c->user, "ticket", &a, c->err) != 0)
            return DB_CONSTRAINT; /* roll back: the error says why */
        t.application_id = a.id;
        t.student_id = a.student_id;
    }
    int rc = insert_ticket(conn, c->arena, &t, c->user->name, clock_now());
    if (rc == DB_OK)
        rc = store_ticket_get(conn, c->arena, t.id, c->out) == DB_ROW ? DB_OK : DB_ERROR;
    return rc;
}

int ticket_open(struct db_conn *conn, struct arena *arena, const struct store_user *user, const struct ticket_input *in,
                struct store_ticket *out, struct error *err)
{
    if (ticket_category_parse(in->category) == TICKET_CATEGORY_UNKNOWN)
        return error_set(err, ERR_VALIDATION_FAILED, "category", "is not one of the allowed values");
    struct ticket_input fixed = *in;
    if (fixed.urgency == NULL)
        fixed.urgency = ticket_urgency_name(TICKET_NORMAL);
    if (ticket_urgency_parse(fixed.urgency) == TICKET_URGENCY_UNKNOWN)
        return error_set(err, ERR_VALIDATION_FAILED, "urgency", "is not one of the allowed values");
    if (ticket_category_parse(in->category) == TICKET_SAFETY)
        fixed.urgency = ticket_urgency_name(TICKET_URGENT); /* safety is always urgent */
    if (support_check_text(in->subject, "subject", TICKET_SUBJECT_MAX_CHARS, SUBJECT_TOO_LONG, false, err) != 0 ||
        support_check_text(in->body, "body", TICKET_BODY_MAX_CHARS, BODY_TOO_LONG, true, err) != 0)
        return -1;
    struct open_ctx c = {arena, user, &fixed, out, err};
    err->code = ERR_NONE;
    int rc = db_run_tx(conn, true, open_tx, &c);
    if (err->code != ERR_NONE)
        return -1;
    return rc == DB_OK ? 0 : error_set(err, ERR_UNAVAILABLE, NULL, NULL);
}

int ticket_open_for_check_in(struct db_conn *conn, struct arena *arena, const struct store_user *student,
                             const char *application_id, const char *subject, const char *body,
                             struct store_ticket *out)
{
    struct store_ticket t = {.requester_id = student->id,
                             .student_id = student->id,
                             .application_id = application_id,
                             .category = ticket_category_name(TICKET_OTHER),
                             .urgency = ticket_urgency_name(TICKET_NORMAL),
                             .subject = subject,
                             .body = body};
    int rc = insert_ticket(conn, arena, &t, student->name, clock_now());
    if (rc == DB_OK)
        *out = t;
    return rc;
}

/* ---- one ticket ---- */

/* Whether the user supports the ticket (staff, the student's coach, the assignee). */
static bool supports(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                     const struct store_ticket *t)
{
    if (account_has_role(user, ROLE_STAFF))
        return true;
    if (t->assignee_id != NULL && strcmp(t->assignee_id, user->id) == 0)
        return true;
    struct store_coach coach;
    return t->student_id != NULL && account_has_role(user, ROLE_COACH) &&
           store_coach_of_student(conn, arena, t->student_id, &coach) == DB_ROW && strcmp(coach.id, user->id) == 0;
}

/* The ticket when the user may see it (404 otherwise); *supporter says whether they answer it. */
static int load_visible(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *id,
                        struct store_ticket *t, bool *supporter, struct error *err)
{
    int rc = user != NULL && id != NULL ? store_ticket_get(conn, arena, id, t) : DB_DONE;
    if (rc != DB_ROW && rc != DB_DONE)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    *supporter = rc == DB_ROW && supports(conn, arena, user, t);
    if (rc == DB_DONE || (!*supporter && strcmp(t->requester_id, user->id) != 0))
        return error_set(err, ERR_NOT_FOUND, NULL, "no such ticket");
    return 0;
}

int ticket_load(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *id,
                struct ticket_view *out, struct error *err)
{
    memset(out, 0, sizeof(*out));
    if (load_visible(conn, arena, user, id, &out->ticket, &out->viewer_supports, err) != 0)
        return -1;
    if (store_ticket_events(conn, arena, out->ticket.id, &out->events, &out->event_count) != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    int64_t now = clock_now();
    out->response_breached = ticket_response_breached(&out->ticket, now);
    out->resolve_breached = ticket_resolve_breached(&out->ticket, now);
    return 0;
}

struct act_ctx {
    struct arena *arena;
    const struct store_user *user;
    const char *id, *action, *body, *assignee_id;
    struct error *err;
};

/* Tells the other side of a reply: the requester, or the assignee. */
static void tell_reply(struct db_conn *conn, struct arena *arena, const struct store_ticket *t, bool supporter,
                       int64_t now)
{
    const char *to_id = supporter ? t->requester_id : t->assignee_id;
    struct store_user to;
    if (to_id == NULL || store_user_by_id(conn, arena, to_id, &to) != DB_ROW)
        return;
    char title[512], link[96];
    snprintf(title, sizeof(title), "New reply on your ticket: %s", t->subject);
    snprintf(link, sizeof(link), "/tickets/%s", t->id);
    struct recipient r = {to.id, to.email};
    notify(conn, arena, &r, "ticket_reply", title, link, now);
}

static int reply_tx(struct db_conn *conn, void *p)
{
    struct act_ctx *c = p;
    struct store_ticket t;
    bool supporter;
    if (load_visible(conn, c->arena, c->user, c->id, &t, &supporter, c->err) != 0)
        return DB_CONSTRAINT; /* roll back: the error says why */
    enum ticket_status status = ticket_status_parse(t.status);
    if (status == TICKET_RESOLVED) {
        error_set(c->err, ERR_CONFLICT, NULL, "this ticket is resolved: reopen it to reply");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    int64_t now = clock_now();
    int rc = DB_OK;
    record(conn, t.id, c->user->id, "reply", c->body, now, &rc);
    bool requester = strcmp(t.requester_id, c->user->id) == 0;
    if (rc == DB_OK && supporter && !requester)
        rc = store_ticket_first_response(conn, t.id, now);
    enum ticket_status to = supporter && !requester ? TICKET_PENDING : TICKET_OPEN;
    if (rc == DB_OK && to != status) {
        rc = store_ticket_set_status(conn, t.id, t.status, ticket_status_name(to), now);
        record(conn, t.id, c->user->id, "status", ticket_status_name(to), now, &rc);
    }
    if (rc == DB_OK)
        rc = store_audit_add(conn, c->user->id, AUDIT_TICKET_REPLY, AUDIT_ON_TICKET, t.id, NULL, now);
    if (rc == DB_OK)
        tell_reply(conn, c->arena, &t, supporter && !requester, now);
    return rc;
}

static int run_act(struct db_conn *conn, int (*fn)(struct db_conn *, void *), struct act_ctx *c)
{
    c->err->code = ERR_NONE;
    int rc = db_run_tx(conn, true, fn, c);
    if (c->err->code != ERR_NONE)
        return -1;
    return rc == DB_OK ? 0 : error_set(c->err, ERR_UNAVAILABLE, NULL, NULL);
}

int ticket_reply(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *id,
                 const char *body, struct error *err)
{
    if (support_check_text(body, "body", TICKET_BODY_MAX_CHARS, BODY_TOO_LONG, true, err) != 0)
        return -1;
    struct act_ctx c = {arena, user, id, "reply", body, NULL, err};
    return run_act(conn, reply_tx, &c);
}

/* The assignee must be a coach or staff member: 422 naming assignee_id otherwise. */
static int check_assignee(struct db_conn *conn, struct act_ctx *c)
{
    struct store_user u;
    if (c->assignee_id == NULL)
        return error_set(c->err, ERR_VALIDATION_FAILED, "assignee_id", "is required to assign");
    int rc = store_user_by_id(conn, c->arena, c->assignee_id, &u);
    if (rc != DB_ROW && rc != DB_DONE)
        return error_set(c->err, ERR_UNAVAILABLE, NULL, NULL);
    if (rc == DB_DONE || (!account_has_role(&u, ROLE_COACH) && !account_has_role(&u, ROLE_STAFF)))
        return error_set(c->err, ERR_UNPROCESSABLE, "assignee_id", "is not a coach or staff member");
    return 0;
}

static int act_tx(struct db_conn *conn, void *p)
{
    struct act_ctx *c = p;
    struct store_ticket t;
    bool supporter;
    if (load_visible(conn, c->arena, c->user, c->id, &t, &supporter, c->err) != 0)
        return DB_CONSTRAINT; /* roll back: the error says why */
    int64_t now = clock_now();
    int rc = DB_OK;
    if (strcmp(c->action, "assign") == 0) {
        if (!account_has_role(c->user, ROLE_STAFF)) {
            error_set(c->err, ERR_FORBIDDEN, NULL, "only staff assign tickets");
            return DB_CONSTRAINT; /* roll back: the error says why */
        }
        if (check_assignee(conn, c) != 0)
            return DB_CONSTRAINT; /* roll back: the error says why */
        rc = store_ticket_assign(conn, t.id, c->assignee_id, now);
        record(conn, t.id, c->user->id, "assigned", c->assignee_id, now, &rc);
    } else {
        bool resolve = strcmp(c->action, "resolve") == 0;
        enum ticket_status from = ticket_status_parse(t.status);
        if (resolve == (from == TICKET_RESOLVED)) {
            error_set(c->err, ERR_CONFLICT, NULL, resolve ? "this ticket is resolved already" : "this ticket is open");
            return DB_CONSTRAINT; /* roll back: the error says why */
        }
        const char *to = ticket_status_name(resolve ? TICKET_RESOLVED : TICKET_OPEN);
        rc = store_ticket_set_status(conn, t.id, t.status, to, now);
        if (rc == DB_DONE) {
            error_set(c->err, ERR_CHANGED_MEANWHILE, NULL, "the ticket changed meanwhile; reload it");
            return DB_CONSTRAINT; /* roll back: the error says why */
        }
        record(conn, t.id, c->user->id, "status", to, now, &rc);
    }
    if (rc == DB_OK)
        rc = store_audit_add(conn, c->user->id, AUDIT_TICKET_ACTION, AUDIT_ON_TICKET, t.id, c->action, now);
    return rc;
}

int ticket_act(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *id,
               const char *action, const char *assignee_id, struct error *err)
{
    if (action == NULL ||
        (strcmp(action, "resolve") != 0 && strcmp(action, "reopen") != 0 && strcmp(action, "assign") != 0))
        return error_set(err, ERR_NOT_FOUND, NULL, "no such action");
    struct act_ctx c = {arena, user, id, action, NULL, assignee_id, err};
    return run_act(conn, act_tx, &c);
}

/* ---- the queue, figures, escalation ---- */

int ticket_queue(struct db_conn *conn, struct arena *arena, const struct store_user *user, bool include_resolved,
                 struct store_ticket **out, size_t *count, struct error *err)
{
    enum store_ticket_scope scope = account_has_role(user, ROLE_STAFF)   ? TICKETS_ALL
                                    : account_has_role(user, ROLE_COACH) ? TICKETS_COACH
                                                                         : TICKETS_REQUESTER;
    if (store_tickets_queue(conn, arena, scope, user->id, include_resolved, QUEUE_LIMIT, out, count) != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    return 0;
}

static int compare_int64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int64_t support_percentile(const int64_t *sorted, size_t n, int pct)
{
    if (n == 0)
        return -1;
    size_t rank = ((size_t)pct * n + 99) / 100; /* nearest rank, 1-based */
    return sorted[rank > 0 ? rank - 1 : 0];
}

int ticket_figures(struct db_conn *conn, struct arena *arena, int64_t days, struct ticket_figures *out)
{
    memset(out, 0, sizeof(*out));
    struct store_ticket_timing *rows;
    size_t count;
    int rc = store_ticket_timings(conn, arena, clock_now() - days * DAY, &rows, &count);
    if (rc != DB_OK)
        return rc;
    int64_t *waits = arena_calloc(arena, count + 1, sizeof(*waits));
    if (waits == NULL)
        return DB_ERROR;
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        if (rows[i].first_response_at == 0)
            continue;
        waits[n++] = rows[i].first_response_at - rows[i].created_at;
        out->within_target += rows[i].first_response_at <= rows[i].response_due_at;
    }
    qsort(waits, n, sizeof(*waits), compare_int64);
    out->tickets = (int64_t)count;
    out->responded = (int64_t)n;
    out->median_seconds = support_percentile(waits, n, 50);
    out->p90_seconds = support_percentile(waits, n, 90);
    return DB_OK;
}

/* Emails every staff member that a ticket's due time passed. */
static int escalate_one(struct db_conn *conn, struct arena *arena, const char *id, enum store_ticket_due which,
                        int64_t now)
{
    struct store_ticket t;
    int rc = store_ticket_get(conn, arena, id, &t);
    if (rc != DB_ROW)
        return rc == DB_DONE ? DB_OK : rc;
    struct store_person *staff;
    size_t count;
    rc = store_users_with_role(conn, arena, role_name(ROLE_STAFF), &staff, &count);
    if (rc != DB_OK)
        return rc;
    char title[512], link[96];
    snprintf(link, sizeof(link), "/tickets/%s", t.id);
    snprintf(title, sizeof(title), "Overdue %s: %s ticket \"%s\" from %s",
             which == TICKET_DUE_RESPONSE ? "first response" : "resolution", t.urgency, t.subject,
             t.requester_name != NULL ? t.requester_name : "a user");
    for (size_t i = 0; i < count; i++) {
        struct recipient to = {staff[i].id, staff[i].email};
        notify(conn, arena, &to, "ticket_escalated", title, link, now);
    }
    record(conn, t.id, NULL, "escalated", which == TICKET_DUE_RESPONSE ? "first response" : "resolution", now, &rc);
    return rc;
}

struct escalate_ctx {
    struct arena *arena;
    const char *id;
    enum store_ticket_due which;
    bool escalated; /* by this try: counted once it commits */
};

static int escalate_tx(struct db_conn *conn, void *p)
{
    struct escalate_ctx *c = p;
    c->escalated = false; /* a retried try starts again */
    int64_t now = clock_now();
    int rc = store_ticket_claim_escalation(conn, c->id, c->which, now);
    if (rc == DB_DONE)
        return DB_OK; /* another instance did */
    if (rc == DB_OK)
        rc = escalate_one(conn, c->arena, c->id, c->which, now);
    if (rc == DB_OK)
        c->escalated = true;
    return rc;
}

int tickets_escalate(struct db_conn *conn, struct arena *arena, int *escalated)
{
    *escalated = 0;
    for (int which = TICKET_DUE_RESPONSE; which <= TICKET_DUE_RESOLVE; which++) {
        const char **ids;
        size_t count;
        int rc = store_tickets_overdue(conn, arena, (enum store_ticket_due)which, clock_now(), ESCALATION_BATCH, &ids,
                                       &count);
        if (rc != DB_OK)
            return rc;
        for (size_t i = 0; i < count; i++) {
            struct escalate_ctx c = {arena, ids[i], (enum store_ticket_due)which, false};
            rc = db_run_tx(conn, true, escalate_tx, &c);
            if (rc != DB_OK)
                log_warn("msg=\"ticket escalation failed\" ticket=%s", ids[i]);
            else
                *escalated += c.escalated;
        }
    }
    return DB_OK;
}
