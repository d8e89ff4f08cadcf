/* coaches.c — assigning coaches and their dashboard; see coaches.h. */
#include "domain/coaches.h"

#include <stdio.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/applications.h"
#include "domain/documents.h"
#include "domain/notify.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "store/support.h"

/* Tells the coach about their new student and the student about their coach. */
static void tell_assignment(struct db_conn *conn, struct arena *arena, const struct store_coach *coach,
                            const char *student_id, const char *student_name, const char *student_email,
                            const struct store_application *a, int64_t now)
{
    char title[512], link[96], start[CLOCK_DATE_WORDS_SIZE];
    if (a != NULL)
        snprintf(link, sizeof(link), "/rotations/%s", a->id);
    else
        snprintf(link, sizeof(link), "/applications");
    struct recipient to_coach = {coach->id, coach->email};
    if (a != NULL)
        snprintf(title, sizeof(title), "New student: %s booked %s starting %s", student_name, a->offering_title,
                 clock_date_words(a->block_start, start));
    else
        snprintf(title, sizeof(title), "New student: %s is now yours to coach", student_name);
    notify(conn, arena, &to_coach, "coach_assigned", title, "/coach", now);
    struct recipient to_student = {student_id, student_email};
    snprintf(title, sizeof(title), "%s is your Rounds coach: ask them anything about your rotation", coach->name);
    notify(conn, arena, &to_student, "coach_assigned", title, link, now);
}

int coach_assign_on_booking(struct db_conn *conn, struct arena *arena, const struct store_application *a,
                            int64_t now)
{
    struct store_coach coach;
    int rc = store_coach_of_student(conn, arena, a->student_id, &coach);
    if (rc == DB_ROW) {
        /* The same coach stays with the student; they hear of the new booking. */
        char title[512], start[CLOCK_DATE_WORDS_SIZE];
        snprintf(title, sizeof(title), "%s booked %s starting %s", a->student_name, a->offering_title,
                 clock_date_words(a->block_start, start));
        struct recipient to_coach = {coach.id, coach.email};
        notify(conn, arena, &to_coach, "student_booked", title, "/coach", now);
        return DB_OK;
    }
    if (rc != DB_DONE)
        return rc;
    rc = store_coach_least_busy(conn, arena, &coach);
    if (rc == DB_DONE) {
        log_warn("msg=\"a booked student has no coach: there is no account with the coach role\"");
        return DB_OK;
    }
    if (rc != DB_ROW)
        return rc;
    rc = store_coach_assign(conn, a->student_id, coach.id, NULL, now);
    if (rc == DB_OK)
        rc = store_audit_add(conn, NULL, AUDIT_COACH_ASSIGNED, AUDIT_ON_USER, a->student_id, coach.id, now);
    if (rc == DB_OK)
        tell_assignment(conn, arena, &coach, a->student_id, a->student_name, a->student_email, a, now);
    return rc;
}

void coach_notify(struct db_conn *conn, struct arena *arena, const struct store_application *a, const char *kind,
                  const char *title, const char *link, int64_t now)
{
    struct store_coach coach;
    if (a->coach_id == NULL || store_coach_of_student(conn, arena, a->student_id, &coach) != DB_ROW)
        return;
    struct recipient to = {coach.id, coach.email};
    notify(conn, arena, &to, kind, title, link, now);
}

struct reassign_ctx {
    struct arena *arena;
    const struct store_user *staff;
    const char *student_id, *coach_id;
    struct store_coach *out;
    struct error *err;
};

static int reassign_tx(struct db_conn *conn, void *p)
{
    struct reassign_ctx *c = p;
    struct store_user student;
    int rc = store_user_by_id(conn, c->arena, c->student_id, &student);
    if (rc == DB_DONE || (rc == DB_ROW && !account_has_role(&student, ROLE_STUDENT))) {
        error_set(c->err, ERR_NOT_FOUND, NULL, "no such student");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    if (rc != DB_ROW)
        return rc;
    rc = store_coach_get(conn, c->arena, c->coach_id, c->out);
    if (rc == DB_DONE) {
        error_set(c->err, ERR_UNPROCESSABLE, "coach_id", "this account is not a coach");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    if (rc != DB_ROW)
        return rc;
    int64_t now = clock_now();
    struct store_coach before = {0};
    rc = store_coach_of_student(conn, c->arena, student.id, &before);
    if (rc == DB_ROW && strcmp(before.id, c->out->id) == 0)
        return DB_OK; /* already theirs: nothing to record */
    if (rc != DB_ROW && rc != DB_DONE)
        return rc;
    const char *previous = rc == DB_ROW ? before.id : "-";
    rc = store_coach_assign(conn, student.id, c->out->id, c->staff->id, now);
    if (rc == DB_OK) {
        char detail[160];
        snprintf(detail, sizeof(detail), "%s -> %s", previous, c->out->id);
        rc = store_audit_add(conn, c->staff->id, AUDIT_COACH_REASSIGNED, AUDIT_ON_USER, student.id, detail, now);
    }
    if (rc == DB_OK)
        tell_assignment(conn, c->arena, c->out, student.id, student.name, student.email, NULL, now);
    return rc;
}

int coach_reassign(struct db_conn *conn, struct arena *arena, const struct store_user *staff,
                   const char *student_id, const char *coach_id, struct store_coach *out, struct error *err)
{
    if (!account_has_role(staff, ROLE_STAFF))
        return error_set(err, ERR_NOT_FOUND, NULL, "no such student");
    memset(out, 0, sizeof(*out));
    struct reassign_ctx c = {arena, staff, student_id, coach_id, out, err};
    err->code = ERR_NONE;
    int rc = db_run_tx(conn, true, reassign_tx, &c);
    if (err->code != ERR_NONE)
        return -1;
    if (rc != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    return 0;
}

/* ---- the dashboard ---- */

/* What the dashboard loads once for every student: their hosts' document rules
 * and their current documents (store_coach_requirements, store_coach_documents_current),
 * and the rules already merged per offering. */
struct dashboard_wallets {
    struct store_requirement *requirements;
    size_t requirement_count;
    struct store_document *documents;
    size_t document_count;
    struct offering_rules {
        const char *organization_id, *offering_id;
        struct requirement_rule *rules;
        size_t count;
    } *merged;
    size_t merged_count;
};

static bool same_text(const char *x, const char *y)
{
    return x == NULL || y == NULL ? x == y : strcmp(x, y) == 0;
}

/* The rules of the student's offering, merged once per offering. */
static struct offering_rules *rules_of(struct arena *arena, struct dashboard_wallets *w,
                                       const struct store_coach_student *s)
{
    for (size_t i = 0; i < w->merged_count; i++)
        if (same_text(w->merged[i].organization_id, s->organization_id) &&
            same_text(w->merged[i].offering_id, s->offering_id))
            return &w->merged[i];
    struct offering_rules *r = &w->merged[w->merged_count];
    r->organization_id = s->organization_id;
    r->offering_id = s->offering_id;
    if (compliance_rules_from(arena, w->requirements, w->requirement_count, s->organization_id, s->offering_id,
                              s->offering_requirements, &r->rules, &r->count) != DB_OK)
        return NULL;
    w->merged_count++;
    return r;
}

/* The checklist of a rotation not over yet (held, booked, cleared or under
 * way), as the rotation page counts it, computed in memory from what
 * dashboard_wallets holds. */
static int documents_not_ready(struct arena *arena, struct dashboard_wallets *w, struct coach_dashboard_row *row)
{
    const struct store_coach_student *s = &row->student;
    enum application_status status = application_status_parse(s->status);
    if (status != APPLICATION_HELD && status != APPLICATION_BOOKED && status != APPLICATION_CLEARED &&
        status != APPLICATION_IN_PROGRESS)
        return DB_OK;
    struct offering_rules *rules = rules_of(arena, w, s);
    if (rules == NULL)
        return DB_ERROR;
    if (rules->count == 0)
        return DB_OK;
    size_t first = 0, n = 0;
    while (first < w->document_count && strcmp(w->documents[first].student_id, s->student_id) != 0)
        first++;
    while (first + n < w->document_count && strcmp(w->documents[first + n].student_id, s->student_id) == 0)
        n++;
    struct compliance comp;
    int rc = compliance_evaluate_all(arena, rules->rules, rules->count, n > 0 ? w->documents + first : NULL, n,
                                     s->block_start, s->block_end, &comp);
    if (rc != DB_OK)
        return rc;
    row->requirements = (int64_t)comp.count;
    for (size_t i = 0; i < comp.count; i++)
        if (comp.items[i].state != COMPLIANCE_OK)
            row->documents_not_ready++;
    return DB_OK;
}

/* The flags of one row from what was loaded, and the dashboard's counts. */
static void flag_row(struct coach_dashboard *d, struct coach_dashboard_row *row, int32_t today, int64_t now)
{
    enum application_status status = application_status_parse(row->student.status);
    if (status == APPLICATION_IN_PROGRESS) {
        int64_t since = row->last_check_in_at;
        if (since == 0 && row->student.block_start != NULL)
            since = (int64_t)clock_days_from_date(row->student.block_start) * 86400;
        row->check_in_missed = since > 0 && now - since >= (int64_t)COACH_CHECK_IN_MISSED_DAYS * 86400;
        d->in_progress++;
    }
    row->check_in_worrying =
        row->last_check_in_at > 0 && (row->last_check_in_help || row->last_check_in_score <= COACH_WORRYING_SCORE);
    if (row->student.block_start != NULL && status != APPLICATION_IN_PROGRESS && status != APPLICATION_COMPLETED) {
        int32_t start = clock_days_from_date(row->student.block_start);
        row->starts_soon = start >= today && start - today <= 14;
    }
    d->starting_soon += row->starts_soon;
    d->with_open_tickets += row->open_tickets > 0;
    d->check_ins_missed += row->check_in_missed;
    d->check_ins_worrying += row->check_in_worrying;
    /* What is still owed on a seat held or booked (the terms fixed at accept). */
    bool owes = status == APPLICATION_HELD || status == APPLICATION_BOOKED || status == APPLICATION_CLEARED ||
                status == APPLICATION_IN_PROGRESS;
    int64_t balance = row->student.price_cents - row->student.paid_cents;
    row->unpaid_cents = owes && row->student.balance_due_on != NULL && balance > 0 ? balance : 0;
    d->documents_missing += row->documents_not_ready > 0;
    d->unpaid += row->unpaid_cents > 0;
}

/* The open tickets and latest check-in of the row's student, from the support rows. */
static void support_of(struct coach_dashboard_row *row, const struct store_student_support *support, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (strcmp(support[i].student_id, row->student.student_id) != 0)
            continue;
        row->open_tickets = support[i].open_tickets;
        row->last_check_in_at = support[i].last_check_in_at;
        row->last_check_in_score = support[i].last_score;
        row->last_check_in_help = support[i].last_help;
        return;
    }
}

int coach_dashboard(struct db_conn *conn, struct arena *arena, const struct store_user *viewer, const char *coach_id,
                    struct coach_dashboard *out, struct error *err)
{
    memset(out, 0, sizeof(*out));
    bool staff = account_has_role(viewer, ROLE_STAFF);
    if (coach_id == NULL && viewer != NULL)
        coach_id = viewer->id;
    if (viewer == NULL || coach_id == NULL || (!staff && strcmp(coach_id, viewer->id) != 0))
        return error_set(err, ERR_NOT_FOUND, NULL, "no such coach");
    int rc = store_coach_get(conn, arena, coach_id, &out->coach);
    if (rc == DB_DONE)
        return error_set(err, ERR_NOT_FOUND, NULL, "no such coach");
    struct store_coach_student *students = NULL;
    size_t count = 0;
    struct store_student_support *support = NULL;
    size_t support_count = 0;
    if (rc == DB_ROW)
        rc = store_coach_students(conn, arena, coach_id, &students, &count);
    if (rc == DB_OK)
        rc = store_coach_support(conn, arena, coach_id, &support, &support_count);
    struct dashboard_wallets wallets = {0};
    if (rc == DB_OK)
        rc = store_coach_requirements(conn, arena, coach_id, &wallets.requirements, &wallets.requirement_count);
    if (rc == DB_OK)
        rc = store_coach_documents_current(conn, arena, coach_id, &wallets.documents, &wallets.document_count);
    if (rc != DB_OK && rc != DB_ROW)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    out->rows = arena_calloc(arena, count + 1, sizeof(*out->rows));
    wallets.merged = arena_calloc(arena, count + 1, sizeof(*wallets.merged));
    if (out->rows == NULL || wallets.merged == NULL)
        return error_set(err, ERR_INTERNAL, NULL, NULL);
    int32_t today = clock_today_days();
    int64_t now = clock_now();
    for (size_t i = 0; i < count; i++) {
        struct coach_dashboard_row *row = &out->rows[i];
        row->student = students[i];
        support_of(row, support, support_count);
        if (documents_not_ready(arena, &wallets, row) != DB_OK)
            return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
        flag_row(out, row, today, now);
    }
    out->count = count;
    return 0;
}
