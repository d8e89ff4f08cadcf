/* applications.c — the application state machine; see applications.h. */
#include "domain/applications.h"

#include <stdio.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/agreements.h"
#include "domain/catalog.h"
#include "domain/catalog_index.h"
#include "domain/waitlist.h"
#include "domain/coaches.h"
#include "domain/documents.h"
#include "domain/email_confirmation.h"
#include "domain/money.h"
#include "domain/notify.h"
#include "domain/schools.h"
#include "domain/validate.h"
#include "lib/buf.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/limits.h"
#include "lib/log.h"
#include "lib/tz_words.h"
#include "lib/utf8.h"
#include "store/match_rounds.h"

enum who { WHO_STUDENT = 1, WHO_HOST = 2, WHO_STAFF = 4, WHO_SYSTEM = 8, WHO_COACH = 16, WHO_SCHOOL = 32 };
#define WHO_HOST_SIDE (WHO_HOST | WHO_STAFF)     /* staff may take every host-side action */
#define WHO_SCHOOL_SIDE (WHO_SCHOOL | WHO_STAFF) /* and every home-approval decision */

struct transition {
    enum application_status from;
    const char *action;
    enum application_status to;
    unsigned who;
};

/* The whole state machine. Anything not listed is refused. */
static const struct transition transitions[] = {
    /* Home approval: the student's school releases the application to the host, or refuses it. */
    {APPLICATION_HOME_REVIEW, "withdraw", APPLICATION_WITHDRAWN, WHO_STUDENT},
    {APPLICATION_HOME_REVIEW, "release", APPLICATION_SUBMITTED, WHO_SCHOOL_SIDE | WHO_SYSTEM}, /* system: the student left */
    {APPLICATION_HOME_REVIEW, "refuse", APPLICATION_REFUSED_BY_SCHOOL, WHO_SCHOOL_SIDE},
    {APPLICATION_SUBMITTED, "withdraw", APPLICATION_WITHDRAWN, WHO_STUDENT},
    {APPLICATION_UNDER_REVIEW, "withdraw", APPLICATION_WITHDRAWN, WHO_STUDENT},
    {APPLICATION_OFFERED, "withdraw", APPLICATION_WITHDRAWN, WHO_STUDENT},
    {APPLICATION_HELD, "withdraw", APPLICATION_WITHDRAWN, WHO_STUDENT},
    {APPLICATION_SUBMITTED, "review", APPLICATION_UNDER_REVIEW, WHO_HOST_SIDE},
    {APPLICATION_SUBMITTED, "offer", APPLICATION_OFFERED, WHO_HOST_SIDE},
    {APPLICATION_UNDER_REVIEW, "offer", APPLICATION_OFFERED, WHO_HOST_SIDE},
    {APPLICATION_SUBMITTED, "decline", APPLICATION_DECLINED, WHO_HOST_SIDE},
    {APPLICATION_UNDER_REVIEW, "decline", APPLICATION_DECLINED, WHO_HOST_SIDE},
    {APPLICATION_OFFERED, "decline", APPLICATION_DECLINED, WHO_HOST_SIDE},
    {APPLICATION_OFFERED, "accept", APPLICATION_HELD, WHO_STUDENT},
    {APPLICATION_HELD, "book", APPLICATION_BOOKED, WHO_STAFF | WHO_SYSTEM}, /* system: a payment covered the deposit; staff: paid by hand */
    {APPLICATION_BOOKED, "clear", APPLICATION_CLEARED, WHO_HOST_SIDE},
    {APPLICATION_CLEARED, "start", APPLICATION_IN_PROGRESS, WHO_HOST_SIDE | WHO_SYSTEM},      /* the calendar too */
    {APPLICATION_IN_PROGRESS, "complete", APPLICATION_COMPLETED, WHO_HOST_SIDE | WHO_SYSTEM}, /* the calendar too */
    {APPLICATION_HELD, "cancel", APPLICATION_CANCELLED_BY_HOST, WHO_HOST_SIDE},
    {APPLICATION_BOOKED, "cancel", APPLICATION_CANCELLED_BY_STUDENT, WHO_STUDENT},
    {APPLICATION_BOOKED, "cancel", APPLICATION_CANCELLED_BY_HOST, WHO_HOST_SIDE},
    {APPLICATION_CLEARED, "cancel", APPLICATION_CANCELLED_BY_STUDENT, WHO_STUDENT},
    {APPLICATION_CLEARED, "cancel", APPLICATION_CANCELLED_BY_HOST, WHO_HOST_SIDE},
    {APPLICATION_BOOKED, "no_show", APPLICATION_NO_SHOW, WHO_HOST_SIDE},
    {APPLICATION_CLEARED, "no_show", APPLICATION_NO_SHOW, WHO_HOST_SIDE},
    {APPLICATION_OFFERED, "expire", APPLICATION_OFFER_EXPIRED, WHO_SYSTEM},
    {APPLICATION_HELD, "expire", APPLICATION_HOLD_EXPIRED, WHO_SYSTEM},
    {APPLICATION_BOOKED, "release", APPLICATION_BALANCE_UNPAID, WHO_SYSTEM}, /* the balance was not paid by its date */
    {APPLICATION_CLEARED, "release", APPLICATION_BALANCE_UNPAID, WHO_SYSTEM},
};

const char *const application_actions[] = {"withdraw", "review",  "offer",  "decline", "accept",  "book",   "clear",
                                           "start",    "complete", "cancel", "no_show", "release", "refuse", NULL};

enum application_status application_status_of(const struct store_application *a)
{
    return application_status_parse(a->status);
}

bool application_status_takes_seat(enum application_status status)
{
    switch (status) {
    case APPLICATION_HELD:
    case APPLICATION_BOOKED:
    case APPLICATION_CLEARED:
    case APPLICATION_IN_PROGRESS:
    case APPLICATION_COMPLETED:
        return true;
    default:
        return false;
    }
}

bool application_status_before_acceptance(enum application_status status)
{
    return status == APPLICATION_DRAFT || status == APPLICATION_SUBMITTED || status == APPLICATION_HOME_REVIEW ||
           status == APPLICATION_UNDER_REVIEW || status == APPLICATION_OFFERED;
}

bool application_status_is_active(enum application_status status)
{
    switch (status) {
    case APPLICATION_HELD:
    case APPLICATION_BOOKED:
    case APPLICATION_CLEARED:
    case APPLICATION_IN_PROGRESS:
        return true;
    default:
        return false;
    }
}

bool application_action_known(const char *action)
{
    for (const char *const *a = application_actions; *a != NULL; a++)
        if (strcmp(*a, action) == 0)
            return true;
    return false;
}

static const char *next_step_for_student(enum application_status s)
{
    switch (s) {
    case APPLICATION_HOME_REVIEW:
        return "Wait for your school's approval: the host sees the application once your school releases it.";
    case APPLICATION_SUBMITTED:
    case APPLICATION_UNDER_REVIEW:
        return "Wait for the host's decision.";
    case APPLICATION_OFFERED:
        return "Accept the offer to hold your seat before it expires.";
    case APPLICATION_HELD:
        return "Pay the deposit or the full price before the hold expires to book the seat.";
    case APPLICATION_BOOKED:
        return "Complete your onboarding documents.";
    case APPLICATION_CLEARED:
        return "You are cleared: see you on the first day.";
    default:
        return NULL;
    }
}

static const char *next_step_for_host(enum application_status s)
{
    switch (s) {
    case APPLICATION_SUBMITTED:
    case APPLICATION_UNDER_REVIEW:
        return "Review the application and offer a seat or decline.";
    case APPLICATION_HELD:
        return "The student pays the deposit or the full price to book the seat (staff may record a payment made by hand).";
    case APPLICATION_BOOKED:
        return "Clear the student once onboarding is complete.";
    case APPLICATION_CLEARED:
        return "Start the rotation on its first day.";
    case APPLICATION_IN_PROGRESS:
        return "Confirm completion when the rotation ends.";
    default:
        return NULL;
    }
}

const char *application_next_step(const struct store_application *a, bool viewer_is_student)
{
    enum application_status s = application_status_of(a);
    return viewer_is_student ? next_step_for_student(s) : next_step_for_host(s);
}

/* The roles user holds on this application (bits of enum who). */
static unsigned roles_on(const struct store_application *a, const struct store_user *user)
{
    if (user == NULL)
        return WHO_SYSTEM;
    unsigned roles = 0;
    if (strcmp(a->student_id, user->id) == 0)
        roles |= WHO_STUDENT;
    if (account_has_role(user, ROLE_STAFF))
        roles |= WHO_STAFF;
    /* Until its school releases it, the host does not see the application; the school sees it meanwhile. */
    if (application_awaits_school(a)) {
        if (a->home_school_id != NULL && account_is_member(user, a->home_school_id, ROLE_SCHOOL_COORDINATOR))
            roles |= WHO_SCHOOL;
        return roles;
    }
    if (a->preceptor_user_id != NULL && strcmp(a->preceptor_user_id, user->id) == 0)
        roles |= WHO_HOST;
    if (account_is_member(user, a->organization_id, ROLE_HOST_COORDINATOR))
        roles |= WHO_HOST;
    if (a->coach_id != NULL && strcmp(a->coach_id, user->id) == 0)
        roles |= WHO_COACH; /* sees the rotation, takes no action on it */
    return roles;
}

enum error_code application_date_rule(const char *action, const char *start, const char *end, const char *today)
{
    if (action == NULL || start == NULL || end == NULL)
        return ERR_NONE;
    if ((strcmp(action, "start") == 0 || strcmp(action, "no_show") == 0) && strcmp(today, start) < 0)
        return ERR_ROTATION_NOT_STARTED;
    if (strcmp(action, "complete") == 0 && strcmp(today, end) <= 0)
        return ERR_ROTATION_NOT_ENDED;
    return ERR_NONE;
}

bool application_date_overridable(const char *action)
{
    return action != NULL && (strcmp(action, "start") == 0 || strcmp(action, "complete") == 0);
}

bool application_may(const struct store_application *a, const struct store_user *user, const char *action,
                     bool as_student)
{
    char today[11];
    clock_today(today);
    if (application_date_rule(action, a->block_start, a->block_end, today) != ERR_NONE)
        return false; /* a button that cannot work is not offered */
    unsigned roles = roles_on(a, user) & (as_student ? WHO_STUDENT : (unsigned)WHO_HOST_SIDE);
    for (size_t i = 0; i < sizeof(transitions) / sizeof(transitions[0]); i++)
        if (transitions[i].from == application_status_of(a) && strcmp(transitions[i].action, action) == 0 &&
            (transitions[i].who & roles))
            return true;
    return false;
}

bool application_awaits_school(const struct store_application *a)
{
    enum application_status s = application_status_of(a);
    return s == APPLICATION_HOME_REVIEW || s == APPLICATION_REFUSED_BY_SCHOOL;
}

bool application_school_side(const struct store_application *a, const struct store_user *user)
{
    return user != NULL && (roles_on(a, user) & WHO_SCHOOL_SIDE) != 0 && application_awaits_school(a);
}

bool application_visible_to(const struct store_application *a, const struct store_user *user)
{
    return user != NULL && roles_on(a, user) != 0;
}

bool application_host_side(const struct store_application *a, const struct store_user *user)
{
    return user != NULL && (roles_on(a, user) & WHO_HOST_SIDE) != 0;
}

int application_get_visible(struct db_conn *conn, struct arena *arena, const char *id, const struct store_user *user,
                            const char *purpose, struct store_application *out, struct error *err)
{
    int rc = id != NULL ? store_application_get(conn, arena, id, out) : DB_DONE;
    if (rc != DB_ROW && rc != DB_DONE)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    if (rc == DB_ROW && !application_visible_to(out, user) && user != NULL)
        store_audit_add(conn, user->id, AUDIT_FORBIDDEN, AUDIT_ON_APPLICATION, out->id, purpose, clock_now());
    if (rc == DB_DONE || !application_visible_to(out, user))
        return error_set(err, ERR_NOT_FOUND, NULL, "no such application");
    return 0;
}

/* ---- telling people ---- */

void application_notify_host(struct db_conn *conn, struct arena *arena, const struct store_application *a,
                             const char *kind, const char *title, const char *link, int64_t now)
{
    struct store_member *members;
    size_t count = 0;
    if (store_organization_members(conn, arena, a->organization_id, role_name(ROLE_HOST_COORDINATOR), &members,
                                   &count) != DB_OK)
        count = 0;
    bool preceptor_told = false;
    for (size_t i = 0; i < count; i++) {
        struct recipient r = {members[i].user_id, members[i].email};
        notify(conn, arena, &r, kind, title, link, now);
        if (a->preceptor_user_id != NULL && strcmp(a->preceptor_user_id, members[i].user_id) == 0)
            preceptor_told = true;
    }
    if (a->preceptor_user_id != NULL && !preceptor_told) {
        struct store_user preceptor;
        if (store_user_by_id(conn, arena, a->preceptor_user_id, &preceptor) == DB_ROW) {
            struct recipient r = {preceptor.id, preceptor.email};
            notify(conn, arena, &r, kind, title, link, now);
        }
    }
}

/* Tells the coordinators of the school whose approval the application waits for. */
static void notify_school(struct db_conn *conn, struct arena *arena, const struct store_application *a,
                          const char *title, int64_t now)
{
    struct store_member *members;
    size_t count = 0;
    if (a->home_school_id == NULL ||
        store_organization_members(conn, arena, a->home_school_id, role_name(ROLE_SCHOOL_COORDINATOR), &members,
                                   &count) != DB_OK)
        count = 0;
    for (size_t i = 0; i < count; i++) {
        struct recipient r = {members[i].user_id, members[i].email};
        notify(conn, arena, &r, "home_review", title, "/school#approvals-heading", now);
    }
}

static void tell_about_move(struct db_conn *conn, struct arena *arena, const struct store_application *a,
                            enum application_status to, int64_t now)
{
    char link[96], title[512], words[CLOCK_DATE_WORDS_SIZE], when[TZ_INSTANT_WORDS_SIZE];
    snprintf(link, sizeof(link), "/applications/%s", a->id);
    struct recipient student = {a->student_id, a->student_email};
    if (to == APPLICATION_HOME_REVIEW) {
        snprintf(title, sizeof(title), "%s applied for %s at %s: approve or refuse it", a->student_name,
                 a->offering_title, a->host_name);
        notify_school(conn, arena, a, title, now);
    } else if (to == APPLICATION_SUBMITTED) {
        snprintf(title, sizeof(title), "New application from %s for %s", a->student_name, a->offering_title);
        application_notify_host(conn, arena, a, "application_submitted", title, link, now);
    } else if (to == APPLICATION_OFFERED) {
        tz_instant_words(notify_time_zone(conn, arena, a->student_id), a->offer_expires_at, when);
        snprintf(title, sizeof(title), "Offer for %s: accept by %s", a->offering_title, when);
        notify(conn, arena, &student, "offer_made", title, link, now);
    } else if (to == APPLICATION_HELD) {
        tz_instant_words(notify_time_zone(conn, arena, a->student_id), a->hold_expires_at, when);
        snprintf(title, sizeof(title), "Seat held for %s until %s: pay to book it", a->offering_title, when);
        notify(conn, arena, &student, "seat_held", title, link, now);
        snprintf(title, sizeof(title), "%s accepted the offer for %s: record the payment to book", a->student_name,
                 a->offering_title);
        application_notify_host(conn, arena, a, "seat_held", title, link, now);
    } else if (to == APPLICATION_BOOKED) {
        snprintf(title, sizeof(title), "Booked: %s starting %s", a->offering_title,
                 clock_date_words(a->block_start, words));
        notify(conn, arena, &student, "booked", title, link, now);
        snprintf(title, sizeof(title), "%s is booked for %s starting %s", a->student_name, a->offering_title,
                 clock_date_words(a->block_start, words));
        application_notify_host(conn, arena, a, "booked", title, link, now);
    } else if (to == APPLICATION_WITHDRAWN || to == APPLICATION_CANCELLED_BY_STUDENT) {
        snprintf(title, sizeof(title), "%s %s the application for %s", a->student_name,
                 to == APPLICATION_WITHDRAWN ? "withdrew" : "cancelled", a->offering_title);
        application_notify_host(conn, arena, a, application_status_name(to), title, link, now);
    } else {
        snprintf(title, sizeof(title), "%s: %s", a->offering_title, application_status_label(to));
        notify(conn, arena, &student, application_status_name(to), title, link, now);
    }
}

/* ---- submitting ---- */

struct submit_ctx {
    struct arena *arena;
    const struct store_user *student;
    const char *block_id, *statement;
    const char *const *document_ids;
    size_t document_count;
    struct store_application *out;
    struct error *err;
};

/* Whether the student may apply for the block: DB_OK, DB_CONSTRAINT with the
 * reason in c->err, or the store's failure. */
static int submit_checks(struct db_conn *conn, struct submit_ctx *c, struct store_block *block,
                         struct store_offering *offering)
{
    int rc = store_block_get(conn, c->arena, c->block_id, block);
    if (rc == DB_ROW)
        rc = store_offering_get(conn, c->arena, block->offering_id, offering);
    if (rc == DB_DONE || (rc == DB_ROW && offering_status_parse(offering->status) != OFFERING_PUBLISHED)) {
        error_set(c->err, ERR_UNPROCESSABLE, "block_id", "there is no open block with this id");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    if (rc != DB_ROW)
        return rc;
    char today[11];
    clock_today(today);
    if (strcmp(block->start_date, today) <= 0) {
        error_set(c->err, ERR_BLOCK_STARTED, "block_id", "this block has already started");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    /* Seats a match round keeps are not for sale, nor are those offered from the waitlist. */
    bool promised = false;
    bool seat_left = block->seats_taken + block->seats_reserved < block->seats;
    if (seat_left && (rc = waitlist_seats_promised(conn, c->arena, block->id, NULL, &promised)) != DB_OK)
        return rc;
    if (!seat_left || promised) {
        error_set(c->err, ERR_BLOCK_NO_SEAT, "block_id",
                  promised ? "the free seats of this block are offered to students on its waitlist: join the waitlist"
                           : "this block is full");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    struct catalog_eligibility rules = {
        .students_allowed = offering->students_allowed,
        .graduates_allowed = offering->graduates_allowed,
        .step1_required = offering->step1_required,
        .english_proof_required = offering->english_proof_required,
        .max_years_since_graduation = offering->max_years_since_graduation,
        .visa_kinds = offering->visa_kinds,
    };
    int year = (today[0] - '0') * 1000 + (today[1] - '0') * 100 + (today[2] - '0') * 10 + (today[3] - '0');
    if (!catalog_eligible(&rules, &c->student->profile, year)) {
        error_set(c->err, ERR_UNPROCESSABLE, "eligibility",
                  "your profile does not meet this rotation's eligibility rules (status, Step 1, visa, years "
                  "since graduation or English proficiency)");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    if (offering->requires_affiliation) {
        struct store_affiliation *affiliations = NULL;
        size_t affiliation_count = 0;
        if ((rc = affiliation_load(conn, c->arena, c->student->id, &affiliations, &affiliation_count)) != DB_OK)
            return rc;
        if (!affiliation_covers(affiliations, affiliation_count, offering->organization_id, block->start_date,
                                block->end_date)) {
            error_set(c->err, ERR_AFFILIATION_REQUIRED, "block_id",
                      "this rotation is only for students of schools with an active affiliation agreement with its "
                      "host covering the whole block, and your school has none for these dates");
            return DB_CONSTRAINT; /* roll back: the error says why */
        }
    }
    bool active = false, overlaps = false;
    rc = store_student_active_on_block(conn, c->student->id, block->id, &active);
    if (rc == DB_OK)
        rc = store_student_booked_overlap(conn, c->student->id, block->start_date, block->end_date, &overlaps);
    if (rc != DB_OK)
        return rc;
    if (active) {
        error_set(c->err, ERR_ALREADY_APPLIED, "block_id", "you already have an active application for this block");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    if (overlaps) {
        error_set(c->err, ERR_BOOKING_OVERLAP, "block_id", "you have a booked rotation at the same time");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    return DB_OK;
}

static int submit_tx(struct db_conn *conn, void *p)
{
    struct submit_ctx *c = p;
    struct store_block block;
    struct store_offering offering;
    int rc = submit_checks(conn, c, &block, &offering);
    if (rc != DB_OK)
        return rc;
    /* Home approval: a school that asks for it sees the application first. */
    bool home_approval = false;
    const char *home_school_id = NULL;
    rc = school_home_approval_for(conn, c->arena, c->student->id, &home_approval, &home_school_id);
    if (rc != DB_OK)
        return rc;
    enum application_status first = home_approval ? APPLICATION_HOME_REVIEW : APPLICATION_SUBMITTED;
    int64_t now = clock_now();
    char id[48];
    crypto_sortable_id("a_", clock_now_ms(), id, sizeof(id));
    struct store_application a = {
        .id = arena_strdup(c->arena, id),
        .student_id = c->student->id,
        .block_id = block.id,
        .offering_id = offering.id,
        .organization_id = offering.organization_id,
        .status = application_status_name(first),
        .statement = c->statement,
        .created_at = now,
        .home_school_id = home_approval ? home_school_id : NULL,
    };
    rc = store_application_insert(conn, &a);
    if (rc == DB_CONSTRAINT) {
        error_set(c->err, ERR_ALREADY_APPLIED, "block_id", "you already have an active application for this block");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    if (rc == DB_OK && c->document_count > 0) {
        rc = document_attach(conn, c->arena, a.id, c->student, c->document_ids, c->document_count, c->err);
        if (rc != 0 && c->err->code != ERR_NONE)
            return DB_CONSTRAINT; /* roll back: the error says why */
    }
    if (rc == DB_OK)
        rc = store_application_event_add(conn, a.id, "submit", NULL, application_status_name(first), c->student->id,
                                         move_actor_name(MOVE_BY_STUDENT), "", now);
    if (rc == DB_OK)
        rc = store_application_get(conn, c->arena, a.id, c->out) == DB_ROW ? DB_OK : DB_ERROR;
    if (rc == DB_OK) {
        tell_about_move(conn, c->arena, c->out, first, now);
        rc = store_audit_add(conn, c->student->id, AUDIT_TRANSITION, AUDIT_ON_APPLICATION, a.id,
                             home_approval ? "submit: -> home_review" : "submit: -> submitted", now);
    }
    return rc;
}

size_t application_form_problems(const char *block_id, const char *statement, struct error *errors, size_t capacity)
{
    struct error each[APPLICATION_FORM_FIELDS] = {0};
    if (block_id == NULL || block_id[0] == '\0')
        (void)error_set(&each[0], ERR_VALIDATION_FAILED, "block_id", "is required");
    (void)validate_text(statement, "statement", 0, STATEMENT_MAX_CHARS, true, &each[1]);
    size_t count = 0;
    for (size_t i = 0; i < APPLICATION_FORM_FIELDS; i++)
        if (each[i].code != ERR_NONE && count < capacity)
            errors[count++] = each[i];
    return count;
}

int application_submit(struct db_conn *conn, struct arena *arena, const struct store_user *student,
                       const char *block_id, const char *statement, const char *const *document_ids,
                       size_t document_count, struct store_application *out, struct error *err)
{
    if (!account_has_role(student, ROLE_STUDENT))
        return error_set(err, ERR_FORBIDDEN, NULL, "only students apply for rotations");
    if (email_confirmation_required(student, err) != 0)
        return -1;
    struct submit_ctx c = {arena, student, block_id, statement, document_ids, document_count, out, err};
    err->code = ERR_NONE;
    int rc = db_run_tx(conn, true, submit_tx, &c);
    if (err->code != ERR_NONE)
        return -1;
    if (rc != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    return 0;
}

/* ---- moving ---- */

struct move_ctx {
    struct arena *arena;
    const char *application_id, *action, *note;
    const struct store_user *user;
    struct store_application *out;
    struct error *err;
    bool forbidden;
    enum refund_cause cause; /* whose cancellation it is, for the refund (money.h) */
    const char *override_reason; /* staff overriding the calendar, or NULL */
};

/* "Staff override of the dates: <reason>" and, after a blank line, the note. */
static void write_override_note(char *out, const char *reason, const char *note)
{
    size_t n = strlen(reason) + strlen(note) + 64;
    if (note[0] != '\0')
        snprintf(out, n, "Staff override of the dates: %s\n%s", reason, note);
    else
        snprintf(out, n, "Staff override of the dates: %s", reason);
}

/* The calendar: start and no-show from the first day, completion after the
 * last; staff may override start and completion with a reason. */
static int check_dates(struct move_ctx *c, const struct store_application *a)
{
    char today[11];
    clock_today(today);
    enum error_code refused = application_date_rule(c->action, a->block_start, a->block_end, today);
    if (refused == ERR_NONE || c->override_reason != NULL)
        return 0;
    char *detail = arena_alloc(c->arena, 200);
    if (detail != NULL) {
        if (refused == ERR_ROTATION_NOT_STARTED)
            snprintf(detail, 200, "the rotation starts on %s: this is possible from that day", a->block_start);
        else
            snprintf(detail, 200, "the rotation ends on %s: completion can be confirmed from the day after",
                     a->block_end);
    }
    return error_set(c->err, refused, NULL, detail);
}

/* A requirement's state in words for a sentence: its label, first letter
 * in lower case ("waiting for verification"). */
static void state_in_words(enum compliance_state state, char *out, size_t size)
{
    snprintf(out, size, "%s", compliance_state_label(state));
    if (out[0] >= 'A' && out[0] <= 'Z')
        out[0] = (char)(out[0] - 'A' + 'a');
}

/* The clear gate: DB_OK when every requirement of the booking is met, else
 * DB_CONSTRAINT with ERR_NOT_COMPLIANT naming the first one not met. */
static int check_onboarding(struct db_conn *conn, struct move_ctx *c, const struct store_application *a)
{
    struct compliance comp;
    int rc = compliance_for_application(conn, c->arena, a, &comp);
    if (rc != DB_OK || comp.all_ok)
        return rc;
    size_t missing = 0, first = comp.count;
    for (size_t i = 0; i < comp.count; i++)
        if (comp.items[i].state != COMPLIANCE_OK && missing++ == 0)
            first = i;
    char *detail = arena_alloc(c->arena, 256);
    if (detail != NULL && first < comp.count) {
        const struct compliance_item *item = &comp.items[first];
        char words[64];
        state_in_words(item->state, words, sizeof(words));
        if (missing > 1)
            snprintf(detail, 256, "%s: %s (and %zu more requirements not met)", document_kind_name(item->rule.kind),
                     words, missing - 1);
        else
            snprintf(detail, 256, "%s: %s", document_kind_name(item->rule.kind), words);
    }
    error_set(c->err, ERR_NOT_COMPLIANT, NULL, detail);
    return DB_CONSTRAINT; /* roll back: the error says why */
}

/* The seat follows the move: taken on entering a seat-taking state — the one
 * a match round kept for this offer when there is one, else one free and not
 * waiting for an offer made from the block's waitlist — and freed on leaving;
 * a seat a round kept for an offer that ends unaccepted returns to sale. */
static int move_seat(struct db_conn *conn, struct move_ctx *c, const struct store_application *a, bool had_seat,
                     bool gets_seat)
{
    int rc = DB_OK;
    bool promised = false;
    if (had_seat && !gets_seat) {
        rc = store_block_free_seat(conn, a->block_id);
    } else if (gets_seat && !had_seat && a->seat_reserved) {
        rc = store_block_take_reserved_seat(conn, a->block_id);
    } else if (gets_seat && !had_seat) {
        rc = store_block_lock(conn, a->block_id);
        if (rc == DB_OK)
            rc = waitlist_seats_promised(conn, c->arena, a->block_id, a->id, &promised);
        if (rc == DB_OK && !promised)
            rc = store_block_take_seat(conn, a->block_id);
    } else if (a->seat_reserved) {
        rc = store_block_release_reserved(conn, a->block_id, 1);
    }
    if (rc == DB_DONE || (rc == DB_OK && promised)) {
        error_set(c->err, ERR_BLOCK_FULL, NULL,
                  promised ? "the free seats of this block are offered to students on its waitlist"
                           : "no seat is left in this block");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    if (rc == DB_OK && a->seat_reserved && store_application_release_reservation(conn, a->id) == DB_ERROR)
        rc = DB_ERROR;
    return rc;
}

static int move_tx(struct db_conn *conn, void *p)
{
    struct move_ctx *c = p;
    struct store_application a = {0};
    int rc = store_application_get(conn, c->arena, c->application_id, &a);
    if (rc == DB_DONE || (rc == DB_ROW && roles_on(&a, c->user) == 0)) {
        c->forbidden = rc == DB_ROW; /* it exists, but not for this user: audited after the rollback */
        error_set(c->err, ERR_NOT_FOUND, NULL, "no such application");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    if (rc != DB_ROW)
        return rc;
    unsigned roles = roles_on(&a, c->user);
    enum application_status status = application_status_of(&a);
    const struct transition *t = NULL;
    for (size_t i = 0; i < sizeof(transitions) / sizeof(transitions[0]) && t == NULL; i++)
        if (transitions[i].from == status && strcmp(transitions[i].action, c->action) == 0 &&
            (transitions[i].who & roles & WHO_STUDENT))
            t = &transitions[i]; /* the student's own row first (cancel) */
    for (size_t i = 0; i < sizeof(transitions) / sizeof(transitions[0]) && t == NULL; i++)
        if (transitions[i].from == status && strcmp(transitions[i].action, c->action) == 0 &&
            (transitions[i].who & roles))
            t = &transitions[i];
    if (t == NULL) {
        char *detail = arena_alloc(c->arena, 160);
        if (detail != NULL)
            snprintf(detail, 160, "you cannot %s an application that is %s", c->action, a.status);
        error_set(c->err, ERR_INVALID_TRANSITION, NULL, detail);
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    if (check_dates(c, &a) != 0)
        return DB_CONSTRAINT; /* roll back: the error says why */
    /* Onboarding: every requirement of the host and the offering must be met. */
    if (t->to == APPLICATION_CLEARED && (rc = check_onboarding(conn, c, &a)) != DB_OK)
        return rc;
    int64_t now = clock_now();
    /* An offer or hold past its time is expired, even before the sweeper sees it. */
    bool hold = status == APPLICATION_HELD;
    if (t->who != WHO_SYSTEM &&
        ((status == APPLICATION_OFFERED && a.offer_expires_at > 0 && now >= a.offer_expires_at) ||
         (hold && a.hold_expires_at > 0 && now >= a.hold_expires_at))) {
        error_set(c->err, hold ? ERR_HOLD_EXPIRED : ERR_OFFER_EXPIRED, NULL,
                  hold ? "the hold on this seat has expired" : "the offer has expired");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    int64_t offer_expires = 0, hold_expires = 0;
    if (t->to == APPLICATION_OFFERED)
        offer_expires = now + (a.offer_expiry_days > 0 ? a.offer_expiry_days : 7) * 86400;
    if (t->to == APPLICATION_HELD)
        hold_expires = now + (a.hold_expiry_days > 0 ? a.hold_expiry_days : 7) * 86400;

    bool had_seat = application_status_takes_seat(status), gets_seat = application_status_takes_seat(t->to);
    if ((rc = move_seat(conn, c, &a, had_seat, gets_seat)) != DB_OK)
        return rc;
    const char *to = application_status_name(t->to);
    rc = store_application_move(conn, a.id, a.status, to, offer_expires, hold_expires, now);
    if (rc == DB_DONE) {
        error_set(c->err, ERR_CHANGED_MEANWHILE, NULL, "the application changed meanwhile; reload it");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    /* The move's money (terms and charge, refund, the host's share) in the same transaction. */
    if (rc == DB_OK)
        rc = money_on_move(conn, c->arena, &a, t->action, t->to, c->user, c->cause, c->err);
    enum move_actor actor = (t->who & roles & WHO_STUDENT)  ? MOVE_BY_STUDENT
                            : (roles & WHO_SYSTEM)          ? MOVE_BY_SYSTEM
                            : (t->who & roles & WHO_HOST)   ? MOVE_BY_HOST
                            : (t->who & roles & WHO_SCHOOL) ? MOVE_BY_SCHOOL
                                                            : MOVE_BY_STAFF;
    const char *actor_id = c->user != NULL ? c->user->id : NULL;
    const char *note = c->note;
    if (c->override_reason != NULL) {
        /* The history says why the calendar was overridden, with the note if any. */
        char *why = arena_alloc(c->arena, strlen(c->override_reason) + strlen(c->note) + 64);
        if (why != NULL)
            write_override_note(why, c->override_reason, c->note);
        note = why != NULL ? why : c->override_reason;
    }
    if (rc == DB_OK)
        rc = store_application_event_add(conn, a.id, t->action, a.status, to, actor_id, move_actor_name(actor), note,
                                         now);
    if (rc == DB_OK && c->override_reason != NULL)
        rc = store_audit_add(conn, actor_id, AUDIT_DATE_OVERRIDE, AUDIT_ON_APPLICATION, a.id, note, now);
    if (rc == DB_OK && (gets_seat != had_seat || a.seat_reserved))
        rc = store_catalog_changed(conn, a.offering_id, now);
    if (rc == DB_OK) {
        char detail[96];
        snprintf(detail, sizeof(detail), "%s: %s -> %s", t->action, a.status, to);
        rc = store_audit_add(conn, actor_id, AUDIT_TRANSITION, AUDIT_ON_APPLICATION, a.id, detail, now);
    }
    /* A seat freed (a round's kept seat included), or an offer gone: the block's waitlist takes it, in this
     * transaction. */
    if (rc == DB_OK && !gets_seat && (had_seat || status == APPLICATION_OFFERED))
        rc = waitlist_application_ended(conn, c->arena, a.id, a.block_id, status == APPLICATION_OFFERED,
                                        had_seat || a.seat_reserved, now);
    if (rc == DB_OK && t->to == APPLICATION_BOOKED)
        rc = coach_assign_on_booking(conn, c->arena, &a, now); /* every booked student has a coach */
    if (rc == DB_OK)
        rc = store_application_get(conn, c->arena, a.id, c->out) == DB_ROW ? DB_OK : DB_ERROR;
    if (rc == DB_OK)
        tell_about_move(conn, c->arena, c->out, t->to, now);
    return rc;
}

/* No note, or only spaces and line breaks. */
static bool note_blank(const char *note)
{
    for (const char *p = note; p != NULL && *p != '\0'; p++)
        if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
            return false;
    return true;
}

int application_transition_in_tx(struct db_conn *conn, struct arena *arena, const char *application_id,
                                 const char *action, const struct store_user *user, const char *note,
                                 struct store_application *out, struct error *err)
{
    struct move_ctx c = {arena, application_id, action, note, user, out, err, false, REFUND_CAUSE_STUDENT, NULL};
    err->code = ERR_NONE;
    return move_tx(conn, &c);
}

int application_transition(struct db_conn *conn, struct arena *arena, const char *application_id,
                           const char *action, const struct store_user *user, const char *note,
                           struct store_application *out, struct error *err)
{
    return application_move(conn, arena, application_id, action, user, note, REFUND_CAUSE_STUDENT, NULL, out, err);
}

int application_cancel_or_move(struct db_conn *conn, struct arena *arena, const char *application_id,
                               const char *action, const struct store_user *user, const char *note,
                               enum refund_cause cause, struct store_application *out, struct error *err)
{
    return application_move(conn, arena, application_id, action, user, note, cause, NULL, out, err);
}

int application_transition_override(struct db_conn *conn, struct arena *arena, const char *application_id,
                                    const char *action, const struct store_user *user, const char *note,
                                    const char *override_reason, struct store_application *out, struct error *err)
{
    return application_move(conn, arena, application_id, action, user, note, REFUND_CAUSE_STUDENT, override_reason,
                            out, err);
}

int application_move(struct db_conn *conn, struct arena *arena, const char *application_id, const char *action,
                     const struct store_user *user, const char *note, enum refund_cause cause,
                     const char *override_reason, struct store_application *out, struct error *err)
{
    if (override_reason != NULL) {
        if (user == NULL || !account_has_role(user, ROLE_STAFF))
            return error_set(err, ERR_FORBIDDEN, "override_reason", "only Rounds staff may override the dates");
        if (!application_date_overridable(action))
            return error_set(err, ERR_VALIDATION_FAILED, "override_reason", "only start and complete take an override");
        const char *p = override_reason;
        while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
            p++;
        if (*p == '\0')
            return error_set(err, ERR_VALIDATION_FAILED, "override_reason", "give the reason for the override");
    }
    struct move_ctx c = {arena, application_id, action, note, user, out, err, false, cause, override_reason};
    err->code = ERR_NONE;
    size_t note_len = note != NULL ? strlen(note) : 0;
    if (note != NULL && (!utf8_valid(note, note_len) || utf8_count(note, note_len) > NOTE_MAX_CHARS))
        return error_set(err, ERR_VALIDATION_FAILED, "note", "at most " LIMIT_TEXT(NOTE_MAX_CHARS) " characters");
    if (strcmp(action, "refuse") == 0 && note_blank(note))
        return error_set(err, ERR_VALIDATION_FAILED, "note", "say why the school refuses the application");
    int rc = db_run_tx(conn, true, move_tx, &c);
    if (c.forbidden && user != NULL)
        store_audit_add(conn, user->id, AUDIT_FORBIDDEN, AUDIT_ON_APPLICATION, application_id, action, clock_now());
    if (err->code != ERR_NONE) {
        if (err->code == ERR_HOLD_EXPIRED || err->code == ERR_OFFER_EXPIRED) {
            /* Record the expiry now rather than waiting for the sweeper. */
            struct store_application expired = {0};
            struct error ignored = {0};
            struct move_ctx sweep = {arena, application_id, "expire", "", NULL, &expired, &ignored, false,
                                     REFUND_CAUSE_STUDENT, NULL};
            db_run_tx(conn, true, move_tx, &sweep);
        }
        return -1;
    }
    if (rc != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    return 0;
}

int application_expire_due(struct db_conn *conn, struct arena *arena, int *moved)
{
    const char **ids;
    size_t count;
    *moved = 0;
    int rc = store_applications_expired(conn, arena, clock_now(), 100, &ids, &count);
    if (rc != DB_OK)
        return rc;
    for (size_t i = 0; i < count; i++) {
        struct store_application after = {0};
        struct error err = {0};
        /* Another instance may move it first: then this is a refused move, not an error. */
        if (application_transition(conn, arena, ids[i], "expire", NULL, "expired", &after, &err) == 0)
            (*moved)++;
    }
    if (*moved > 0)
        catalog_index_sync(conn);
    return DB_OK;
}
