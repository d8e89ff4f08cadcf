/* test_api_support.c — support during the rotation (issue 14), against the
 * real `rounds serve`: weekly check-ins (only while a rotation is under way,
 * once a week, "I need help" or a low score opening a ticket for the coach,
 * the coach's dashboard flags, the weekly prompt sent once by the jobs), and
 * support tickets (due times, safety always urgent and emailed on call,
 * replies as the first response, status and assignment recorded, the queue
 * by due time with breaches, escalation to all staff with the test clock,
 * once; response-time figures), every bad input and the access matrix.
 *
 * Servers run with --test-hooks 1 and --jobs-interval-ms 0: only the tests
 * run the jobs. */
#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "api_client.h"
#include "lib/arena.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/limits.h"
#include "store/rotation.h"
#include "test.h"

#define PEOPLE_PASSWORD "Vivid-Orchard-Kettle-58!"
#include "api_people.h"
#include "api_rotation_world.h"
#include "api_suite.h"

#define ONCALL "oncall@rounds.test"

static struct api_server server;
static struct world W;

/* POSTs a check-in for app as u; the status. */
static long check_in(struct api_response *r, const struct user *u, const char *app, int score, bool help,
                     const char *activities)
{
    char body[512];
    snprintf(body, sizeof(body), "{\"score\":%d,\"needs_help\":%s,\"activities\":\"%s\"}", score,
             help ? "true" : "false", activities);
    return world_callf(r, u, "POST", body, "/api/v1/applications/%s/check-ins", app);
}

/* The student's row on the coach's dashboard (as the coach), or NULL; *reply holds it. */
static json_t *dashboard_row(json_t **reply, const struct user *coach, const char *student_id)
{
    struct api_response r;
    world_call(&r, coach, "GET", "/api/v1/coach/dashboard", NULL);
    *reply = json_incref(r.json);
    api_free(&r);
    json_t *rows = api_json_get(*reply, "students");
    for (size_t i = 0; json_is_array(rows) && i < json_array_size(rows); i++) {
        const char *id = api_json_str(json_array_get(rows, i), "student.id");
        if (id != NULL && strcmp(id, student_id) == 0)
            return json_array_get(rows, i);
    }
    return NULL;
}

/* The user (by id) who coaches the student, logged in as one of ours: W.coach after a reassignment. */
static bool make_coach_of(const struct user *student)
{
    char path[160], body[160];
    snprintf(path, sizeof(path), "/api/v1/students/%s/coach", student->id);
    snprintf(body, sizeof(body), "{\"coach_id\":\"%s\"}", W.coach.id);
    struct api_response r;
    world_call(&r, &W.staff, "PUT", path, body);
    bool ok = r.status == 200;
    if (!ok)
        TEST_FAILF("reassigning answered %ld: %.300s", r.status, r.body);
    api_free(&r);
    return ok;
}

TEST(check_ins_during_the_rotation_and_help_opens_a_ticket)
{
    struct user s, other;
    char app[64];
    if (!register_student(&s, "checkin") || !register_student(&other, "checkino"))
        return;
    /* Before the rotation is under way: 409 not in rotation. */
    hooks_set_clock(0);
    if (!world_rotation(&W, &s, W.offering_a, 10, 20, "cleared", app) || !make_coach_of(&s))
        return;
    struct api_response r;
    check_in(&r, &s, app, 4, false, "");
    CHECK_PROBLEM(&r, 409, "conflict", NULL);
    api_free(&r);
    /* Under way (day 3): a good week opens no ticket. */
    hooks_set_clock_noon(13);
    hooks_run_jobs();
    CHECK_STR(steps_status(W.db, app), "in_progress");
    check_in(&r, &s, app, 4, false, "Admitted two patients, presented on rounds.");
    CHECK_INT(r.status, 201);
    CHECK_INT(api_json_int(r.json, "score", -1), 4);
    CHECK(json_is_null(api_json_get(r.json, "ticket_id")));
    char week[11];
    world_date(10, week);
    CHECK_STR(api_json_str(r.json, "week_start"), week);
    api_free(&r);
    /* Once a week. */
    check_in(&r, &s, app, 5, false, "");
    CHECK_PROBLEM(&r, 409, "conflict", NULL);
    api_free(&r);
    /* The next week: "I need help" opens a ticket assigned to the coach, who is told. */
    hooks_set_clock_noon(18);
    check_in(&r, &s, app, 3, true, "My preceptor has been away all week.");
    CHECK_INT(r.status, 201);
    const char *ticket = api_json_str(r.json, "ticket_id");
    CHECK(ticket != NULL);
    char ticket_id[64];
    snprintf(ticket_id, sizeof(ticket_id), "%s", ticket != NULL ? ticket : "");
    api_free(&r);
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM tickets WHERE id = $1 AND assignee_id = $2", ticket_id, W.coach.id),
              1);
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM tickets WHERE id = $1 AND student_id = $2", ticket_id, s.id), 1);
    /* Its subject gives the week in words, as the pages do. */
    char week2[11], week2_words[CLOCK_DATE_WORDS_SIZE], subject[96];
    world_date(17, week2);
    CHECK(clock_date_in_words(week2, week2_words));
    snprintf(subject, sizeof(subject), "Check-in for the week of %s: asked for help", week2_words);
    char *stored = api_db_text(W.db, "SELECT subject FROM tickets WHERE id = $1", ticket_id, NULL, NULL);
    CHECK_STR(stored != NULL ? stored : "", subject);
    free(stored);
    CHECK(api_db_int(W.db, "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = 'ticket_opened'"
                           " AND link = '/tickets/' || $2",
                     W.coach.id, ticket_id) == 1);
    /* The coach's dashboard shows the open ticket and the worrying check-in. */
    json_t *reply;
    json_t *row = dashboard_row(&reply, &W.coach, s.id);
    CHECK(row != NULL);
    CHECK_INT(api_json_int(row, "open_tickets", -1), 1);
    CHECK(json_is_true(api_json_get(row, "flags.check_in_worrying")));
    CHECK(json_is_true(api_json_get(row, "last_check_in.help")));
    CHECK(json_is_false(api_json_get(row, "flags.check_in_missed")));
    json_decref(reply);
    /* A low score opens one too (week 3). */
    hooks_set_clock_noon(25);
    check_in(&r, &s, app, 2, false, "");
    CHECK_INT(r.status, 201);
    CHECK(api_json_str(r.json, "ticket_id") != NULL);
    api_free(&r);
    /* The list: newest week first, for whoever sees the application; 404 for others. */
    world_callf(&r, &W.precep_a, "GET", NULL, "/api/v1/applications/%s/check-ins", app);
    CHECK_INT(r.status, 200);
    CHECK_INT((long long)json_array_size(api_json_get(r.json, "items")), 3);
    api_free(&r);
    const struct user *strangers[] = {&other, &W.coord_b, &W.precep_b};
    for (size_t i = 0; i < 3; i++) {
        world_callf(&r, strangers[i], "GET", NULL, "/api/v1/applications/%s/check-ins", app);
        CHECK_PROBLEM(&r, 404, "not_found", NULL);
        api_free(&r);
        check_in(&r, strangers[i], app, 3, false, "");
        CHECK_PROBLEM(&r, 404, "not_found", NULL);
        api_free(&r);
    }
    world_callf(&r, NULL, "GET", NULL, "/api/v1/applications/%s/check-ins", app);
    CHECK_INT(r.status, 401);
    api_free(&r);
    /* The host sees it but only the student checks in. */
    check_in(&r, &W.coord_a, app, 3, false, "");
    CHECK_PROBLEM(&r, 403, "forbidden", NULL);
    api_free(&r);
    /* No check-in for 8 days flags the student: checked an hour past noon of
     * the eighth day, as the last check-in came a moment (a second, on a
     * loaded machine) after the noon of its day. */
    hooks_set_clock((((long long)clock_today_days() + 33) * 86400 + 13 * 3600) - (long long)time(NULL));
    row = dashboard_row(&reply, &W.coach, s.id);
    CHECK(row != NULL && json_is_true(api_json_get(row, "flags.check_in_missed")));
    json_decref(reply);
    /* After the last day: 409 again. */
    check_in(&r, &s, app, 4, false, "");
    CHECK_PROBLEM(&r, 409, "conflict", NULL);
    api_free(&r);
    hooks_set_clock(0);
}

TEST(check_in_bad_input_changes_nothing)
{
    struct user s;
    char app[64];
    if (!register_student(&s, "checkinbad") || !world_in_progress(&W, &s, NULL, 10, 20, 2, app))
        return;
    static const struct {
        const char *body;
        long status;
        const char *field;
    } bad[] = {
        {"{\"score\":0,\"needs_help\":false}", 400, "score"},
        {"{\"score\":6,\"needs_help\":false}", 400, "score"},
        {"{\"score\":\"3\",\"needs_help\":false}", 400, "score"},
        {"{\"needs_help\":false}", 400, "score"},
        {"{\"score\":3}", 400, "needs_help"},
        {"{\"score\":3,\"needs_help\":\"yes\"}", 400, "needs_help"},
        {"{\"score\":3,\"needs_help\":false,\"activities\":\"a\\u0007b\"}", 400, "activities"},
        {"{\"score\":3,\"needs_help\":false,\"mood\":1}", 400, "mood"},
    };
    struct api_response r;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        world_callf(&r, &s, "POST", bad[i].body, "/api/v1/applications/%s/check-ins", app);
        CHECK_INT(r.status, bad[i].status);
        CHECK_STR(api_json_str(r.json, "field"), bad[i].field);
        api_free(&r);
    }
    /* Activities over the limit: 413 naming the field. */
    char *big = malloc(CHECK_IN_TEXT_MAX_CHARS + 64);
    memset(big, 'a', CHECK_IN_TEXT_MAX_CHARS + 1);
    big[CHECK_IN_TEXT_MAX_CHARS + 1] = '\0';
    json_t *j = json_pack("{s:i,s:b,s:s}", "score", 3, "needs_help", 0, "activities", big);
    char *text = json_dumps(j, JSON_COMPACT);
    world_callf(&r, &s, "POST", text, "/api/v1/applications/%s/check-ins", app);
    CHECK_PROBLEM(&r, 413, "payload_too_large", "activities");
    free(text);
    json_decref(j);
    api_free(&r);
    free(big);
    world_callf(&r, &s, "POST", "{not json", "/api/v1/applications/%s/check-ins", app);
    CHECK_INT(r.status, 400);
    api_free(&r);
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM check_ins WHERE application_id = $1", app, NULL), 0);
    hooks_set_clock(0);
}

TEST(the_weekly_prompt_is_sent_once_a_week)
{
    struct user s;
    char app[64];
    if (!register_student(&s, "prompt") || !world_in_progress(&W, &s, NULL, 10, 20, 0, app))
        return;
    hooks_run_jobs();
    hooks_run_jobs();
    const char *count_sql = "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = 'check_in_prompt'";
    CHECK_INT(api_db_int(W.db, count_sql, s.id, NULL), 1);
    /* The week in words, as the pages write dates ("Check in for the week of Jan 4, 2027"), not 2027-01-04. */
    char week[11], week_words[CLOCK_DATE_WORDS_SIZE], expected[64];
    world_date(10, week);
    CHECK(clock_date_in_words(week, week_words));
    snprintf(expected, sizeof(expected), "Check in for the week of %s", week_words);
    char *title = api_db_text(W.db, "SELECT title FROM notifications WHERE user_id = $1 AND kind = 'check_in_prompt'",
                              s.id, NULL, NULL);
    CHECK_CONTAINS(title != NULL ? title : "", expected);
    CHECK(title == NULL || strstr(title, week) == NULL);
    free(title);
    hooks_set_clock_noon(13);
    hooks_run_jobs();
    CHECK_INT(api_db_int(W.db, count_sql, s.id, NULL), 1);
    hooks_set_clock_noon(17);
    hooks_run_jobs();
    hooks_run_jobs();
    CHECK_INT(api_db_int(W.db, count_sql, s.id, NULL), 2);
    hooks_set_clock(0);
}

/* Opens a ticket as u; the reply's status, the id into id_out. */
static long open_ticket(struct api_response *r, const struct user *u, const char *category, const char *urgency,
                        const char *application_id, char *id_out)
{
    json_t *body = json_pack("{s:s,s:s,s:s}", "category", category, "subject", "The badge office is closed",
                             "body", "Nobody at the desk at 7:30.\nWhom should I ask?");
    if (urgency != NULL)
        json_object_set_new(body, "urgency", json_string(urgency));
    if (application_id != NULL)
        json_object_set_new(body, "application_id", json_string(application_id));
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    world_call(r, u, "POST", "/api/v1/tickets", text);
    free(text);
    if (id_out != NULL)
        snprintf(id_out, 64, "%s", r->status == 201 && api_json_str(r->json, "id") ? api_json_str(r->json, "id") : "");
    return r->status;
}

static long long instant_of(json_t *j, const char *key)
{
    const char *s = api_json_str(j, key);
    if (s == NULL)
        return -1;
    char date[11];
    snprintf(date, sizeof(date), "%.10s", s);
    int h = 0, m = 0, sec = 0;
    if (strlen(s) >= 19) {
        h = (s[11] - '0') * 10 + (s[12] - '0');
        m = (s[14] - '0') * 10 + (s[15] - '0');
        sec = (s[17] - '0') * 10 + (s[18] - '0');
    }
    return (long long)clock_days_from_date(date) * 86400 + h * 3600 + m * 60 + sec;
}

TEST(tickets_due_times_replies_and_escalation)
{
    hooks_set_clock(0);
    struct user s;
    char app[64];
    if (!register_student(&s, "ticket") || !world_rotation(&W, &s, W.offering_a, 20, 20, "booked", app) ||
        !make_coach_of(&s))
        return;
    /* Urgent: first response due 2 hours after it was opened. */
    struct api_response r;
    char urgent[64], normal[64], safety[64];
    CHECK_INT(open_ticket(&r, &s, "first_day", "urgent", app, urgent), 201);
    CHECK_INT(instant_of(r.json, "response_due_at") - instant_of(r.json, "created_at"), 7200);
    CHECK_STR(api_json_str(r.json, "status"), "open");
    CHECK_STR(api_json_str(r.json, "assignee_id"), W.coach.id);
    api_free(&r);
    /* Normal: at least one day, counted on weekdays. */
    CHECK_INT(open_ticket(&r, &s, "schedule", NULL, NULL, normal), 201);
    CHECK_STR(api_json_str(r.json, "urgency"), "normal");
    long long wait = instant_of(r.json, "response_due_at") - instant_of(r.json, "created_at");
    CHECK(wait >= 86400 && wait <= 4 * 86400);
    api_free(&r);
    /* Safety is always urgent and emails the on-call address. */
    CHECK_INT(open_ticket(&r, &s, "safety", "normal", app, safety), 201);
    CHECK_STR(api_json_str(r.json, "urgency"), "urgent");
    api_free(&r);
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM outbox WHERE to_address = $1 AND subject LIKE '%Urgent%'", ONCALL,
                         NULL),
              1);
    /* The coach replies: the first response; the ticket waits for the student. */
    world_callf(&r, &W.coach, "POST", "{\"body\":\"Go to the main desk, ask for Ms. Lopez.\"}",
                "/api/v1/tickets/%s/replies", urgent);
    CHECK_INT(r.status, 201);
    CHECK_STR(api_json_str(r.json, "status"), "pending");
    CHECK(api_json_str(r.json, "first_response_at") != NULL);
    CHECK(json_is_false(api_json_get(r.json, "breached.response")));
    api_free(&r);
    /* The student answers: open again; the student was told of the reply. */
    world_callf(&r, &s, "POST", "{\"body\":\"Found her, thanks.\"}", "/api/v1/tickets/%s/replies", urgent);
    CHECK_STR(api_json_str(r.json, "status"), "open");
    api_free(&r);
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = 'ticket_reply'", s.id,
                         NULL),
              1);
    /* Resolve; a reply to a resolved ticket is 409; reopen. */
    world_callf(&r, &s, "POST", "{}", "/api/v1/tickets/%s/resolve", urgent);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "status"), "resolved");
    api_free(&r);
    world_callf(&r, &s, "POST", "{}", "/api/v1/tickets/%s/resolve", urgent);
    CHECK_PROBLEM(&r, 409, "conflict", NULL);
    api_free(&r);
    world_callf(&r, &W.coach, "POST", "{\"body\":\"x\"}", "/api/v1/tickets/%s/replies", urgent);
    CHECK_PROBLEM(&r, 409, "conflict", NULL);
    api_free(&r);
    /* Every event is recorded, in order. */
    world_callf(&r, &W.staff, "GET", NULL, "/api/v1/tickets/%s", urgent);
    CHECK_INT(r.status, 200);
    json_t *events = api_json_get(r.json, "events");
    CHECK_INT((long long)json_array_size(events), 6); /* opened, reply, status, reply, status, status */
    CHECK_STR(api_json_str(json_array_get(events, 0), "kind"), "opened");
    CHECK_STR(api_json_str(json_array_get(events, 1), "kind"), "reply");
    CHECK_STR(api_json_str(json_array_get(events, 5), "body"), "resolved");
    api_free(&r);
    /* Staff assign to a coach; not to a student (422); nobody else assigns. */
    char body[160];
    snprintf(body, sizeof(body), "{\"assignee_id\":\"%s\"}", W.staff.id);
    world_callf(&r, &W.staff, "POST", body, "/api/v1/tickets/%s/assign", normal);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "assignee_id"), W.staff.id);
    api_free(&r);
    snprintf(body, sizeof(body), "{\"assignee_id\":\"%s\"}", s.id);
    world_callf(&r, &W.staff, "POST", body, "/api/v1/tickets/%s/assign", normal);
    CHECK_PROBLEM(&r, 422, "unprocessable", "assignee_id");
    api_free(&r);
    world_callf(&r, &W.coach, "POST", body, "/api/v1/tickets/%s/assign", normal);
    CHECK_PROBLEM(&r, 403, "forbidden", NULL);
    api_free(&r);
    /* Three hours later the safety ticket's first response is overdue: all staff are emailed, once. */
    const char *escalated_sql = "SELECT COUNT(*) FROM ticket_events WHERE ticket_id = $1 AND kind = 'escalated'";
    hooks_set_clock(3 * 3600);
    json_t *jobs = hooks_jobs();
    CHECK(api_json_int(jobs, "tickets_escalated", -1) >= 1);
    json_decref(jobs);
    hooks_run_jobs();
    CHECK_INT(api_db_int(W.db, escalated_sql, safety, NULL), 1);
    CHECK_INT(api_db_int(W.db, escalated_sql, urgent, NULL), 0); /* answered, then resolved */
    CHECK(api_db_int(W.db, "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = 'ticket_escalated'"
                           " AND link = '/tickets/' || $2",
                     W.staff.id, safety) == 1);
    /* The queue shows the breach, sorted by due time (the coach's queue is short: one page). */
    world_call(&r, &W.coach, "GET", "/api/v1/tickets?limit=100", NULL);
    CHECK(json_is_null(api_json_get(r.json, "next_cursor")));
    CHECK_INT(r.status, 200);
    json_t *items = api_json_get(r.json, "items");
    bool seen = false;
    for (size_t i = 0; json_is_array(items) && i < json_array_size(items); i++) {
        json_t *t = json_array_get(items, i);
        if (strcmp(api_json_str(t, "id") ? api_json_str(t, "id") : "", safety) == 0) {
            seen = true;
            CHECK(json_is_true(api_json_get(t, "breached.response")));
        }
        if (i > 0)
            CHECK(instant_of(json_array_get(items, i - 1), "response_due_at") <= instant_of(t, "response_due_at") ||
                  api_json_str(json_array_get(items, i - 1), "first_response_at") != NULL);
    }
    CHECK(seen);
    api_free(&r);
    /* Figures for staff. */
    world_call(&r, &W.staff, "GET", "/api/v1/tickets/figures", NULL);
    CHECK_INT(r.status, 200);
    CHECK(api_json_int(r.json, "tickets", -1) >= 3);
    CHECK(api_json_int(r.json, "responded", -1) >= 1);
    api_free(&r);
    hooks_set_clock(0);
}

TEST(tickets_access_and_bad_input)
{
    hooks_set_clock(0);
    struct user s, other, other_coach;
    char ticket[64];
    if (!register_student(&s, "ticketacc") || !register_student(&other, "ticketoth") ||
        !world_user(&W, &other_coach, "coachoth", "coach", NULL))
        return;
    struct api_response r;
    CHECK_INT(open_ticket(&r, &s, "documents", NULL, NULL, ticket), 201);
    api_free(&r);
    /* Another student, a coach not assigned, a host: 404 for reading, replying, acting; anonymous 401. */
    const struct user *strangers[] = {&other, &other_coach, &W.coord_a, &W.precep_a};
    for (size_t i = 0; i < 4; i++) {
        world_callf(&r, strangers[i], "GET", NULL, "/api/v1/tickets/%s", ticket);
        CHECK_PROBLEM(&r, 404, "not_found", NULL);
        api_free(&r);
        world_callf(&r, strangers[i], "POST", "{\"body\":\"hi\"}", "/api/v1/tickets/%s/replies", ticket);
        CHECK_PROBLEM(&r, 404, "not_found", NULL);
        api_free(&r);
        world_callf(&r, strangers[i], "POST", "{}", "/api/v1/tickets/%s/resolve", ticket);
        CHECK_PROBLEM(&r, 404, "not_found", NULL);
        api_free(&r);
    }
    world_callf(&r, NULL, "GET", NULL, "/api/v1/tickets/%s", ticket);
    CHECK_INT(r.status, 401);
    api_free(&r);
    /* Another student's queue is theirs alone (empty), also right after staff
     * and a coach read theirs: the queue's statement differs by scope. */
    for (int i = 0; i < 4; i++) {
        world_call(&r, &W.staff, "GET", "/api/v1/tickets", NULL);
        CHECK_INT(r.status, 200);
        CHECK(json_array_size(api_json_get(r.json, "items")) > 0); /* staff's is not empty: the check can fail */
        api_free(&r);
        world_call(&r, &W.coach, "GET", "/api/v1/tickets", NULL);
        CHECK_INT(r.status, 200);
        api_free(&r);
        world_call(&r, &other, "GET", "/api/v1/tickets", NULL);
        CHECK_INT(r.status, 200);
        CHECK(r.body != NULL && strstr(r.body, ticket) == NULL);
        CHECK_INT((long)json_array_size(api_json_get(r.json, "items")), 0);
        api_free(&r);
    }
    world_call(&r, &other, "GET", "/api/v1/tickets/figures", NULL);
    CHECK_PROBLEM(&r, 403, "forbidden", NULL);
    api_free(&r);
    world_callf(&r, &s, "POST", "{}", "/api/v1/tickets/%s/explode", ticket);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    /* An application the student may not see: 404. */
    char foreign[64];
    if (world_rotation(&W, &other, W.offering_b, 60, 20, "offered", foreign)) {
        CHECK_INT(open_ticket(&r, &s, "schedule", NULL, foreign, NULL), 404);
        api_free(&r);
    }
    /* Bad input: 400 naming the field; texts over their limits 413 naming the field. */
    static const struct {
        const char *body;
        long status;
        const char *field;
    } bad[] = {
        {"{\"subject\":\"s\",\"body\":\"b\"}", 400, "category"},
        {"{\"category\":\"weather\",\"subject\":\"s\",\"body\":\"b\"}", 400, "category"},
        {"{\"category\":\"other\",\"urgency\":\"asap\",\"subject\":\"s\",\"body\":\"b\"}", 400, "urgency"},
        {"{\"category\":\"other\",\"body\":\"b\"}", 400, "subject"},
        {"{\"category\":\"other\",\"subject\":\"s\"}", 400, "body"},
        {"{\"category\":\"other\",\"subject\":\"a\\u0001b\",\"body\":\"b\"}", 400, "subject"},
        {"{\"category\":\"other\",\"subject\":\"line\\nbreak\",\"body\":\"b\"}", 400, "subject"},
        {"{\"category\":\"other\",\"subject\":\"s\",\"body\":\"b\\u001b[31m\"}", 400, "body"},
        {"{\"category\":\"other\",\"subject\":\"s\",\"body\":\"b\",\"priority\":1}", 400, "priority"},
    };
    long long before = api_db_int(W.db, "SELECT COUNT(*) FROM tickets", NULL, NULL);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        world_call(&r, &s, "POST", "/api/v1/tickets", bad[i].body);
        CHECK_INT(r.status, bad[i].status);
        CHECK_STR(api_json_str(r.json, "field"), bad[i].field);
        api_free(&r);
    }
    char *big = malloc(TICKET_BODY_MAX_CHARS + 200);
    memset(big, 'b', TICKET_BODY_MAX_CHARS + 1);
    big[TICKET_BODY_MAX_CHARS + 1] = '\0';
    json_t *j = json_pack("{s:s,s:s,s:s}", "category", "other", "subject", "s", "body", big);
    char *text = json_dumps(j, JSON_COMPACT);
    world_call(&r, &s, "POST", "/api/v1/tickets", text);
    CHECK_PROBLEM(&r, 413, "payload_too_large", "body");
    api_free(&r);
    free(text);
    json_decref(j);
    memset(big, 's', TICKET_SUBJECT_MAX_CHARS + 1);
    big[TICKET_SUBJECT_MAX_CHARS + 1] = '\0';
    j = json_pack("{s:s,s:s,s:s}", "category", "other", "subject", big, "body", "b");
    text = json_dumps(j, JSON_COMPACT);
    world_call(&r, &s, "POST", "/api/v1/tickets", text);
    CHECK_PROBLEM(&r, 413, "payload_too_large", "subject");
    api_free(&r);
    free(text);
    json_decref(j);
    free(big);
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM tickets", NULL, NULL), before);
    world_call(&r, &s, "GET", "/api/v1/tickets?status=closed", NULL);
    CHECK_PROBLEM(&r, 400, "invalid_parameter", "status");
    api_free(&r);
    world_call(&r, &W.staff, "GET", "/api/v1/tickets/figures?days=0", NULL);
    CHECK_PROBLEM(&r, 400, "invalid_parameter", "days");
    api_free(&r);
}

/* ---- the pages (cookie session, forms with the CSRF token) ---- */

/* GET path as u's browser (NULL: signed out); the status, the page in r. */
static long page_get(struct api_response *r, const struct user *u, const char *path)
{
    const char *headers[] = {u != NULL ? u->cookie : NULL, NULL};
    struct api_raw_request rq = {"GET", path, headers, NULL, 0, true};
    return api_send(r, &rq);
}

/* POSTs form (without the CSRF token, which is added first) to path as u's browser; the status, the page in r. */
static long page_post(struct api_response *r, const struct user *u, const char *path, const char *form)
{
    size_t size = strlen(form) + 128;
    char *body = malloc(size);
    snprintf(body, size, "csrf_token=%s%s%s", u->csrf, form[0] != '\0' ? "&" : "", form);
    const char *headers[] = {u->cookie, "Content-Type: application/x-www-form-urlencoded", NULL};
    struct api_raw_request rq = {"POST", path, headers, body, strlen(body), true};
    long status = api_send(r, &rq);
    free(body);
    return status;
}

/* "a" repeated n times (caller frees). */
static char *repeated(char c, size_t n)
{
    char *text = malloc(n + 1);
    memset(text, c, n);
    text[n] = '\0';
    return text;
}

/* The check-in page: the form for this week; every refusal comes back with
 * the summary linked to its field and what was typed, and changes nothing;
 * strangers get 404; a check-in asking for help leads to its ticket. */
TEST(the_check_in_page_keeps_input_and_refuses_strangers)
{
    struct user s, other;
    char app[64], path[160];
    if (!register_student(&s, "cipage") || !register_student(&other, "cipageo") ||
        !world_in_progress(&W, &s, NULL, 10, 20, 3, app) || !make_coach_of(&s))
        return;
    snprintf(path, sizeof(path), "/rotations/%s/check-ins", app);
    struct api_response r;
    CHECK_INT(page_get(&r, &s, path), 200);
    CHECK_CONTAINS(r.body, "name=\"score\"");
    CHECK_CONTAINS(r.body, "I need help");
    api_free(&r);
    /* Anyone else who is not on the rotation: 404; signed out: to the login page. */
    const struct user *strangers[] = {&other, &W.coord_b, &W.precep_b};
    for (size_t i = 0; i < sizeof(strangers) / sizeof(strangers[0]); i++) {
        CHECK_INT(page_get(&r, strangers[i], path), 404);
        api_free(&r);
        CHECK_INT(page_post(&r, strangers[i], path, "score=4"), 404);
        api_free(&r);
    }
    CHECK_INT(page_get(&r, NULL, path), 303);
    CHECK_CONTAINS(api_header(&r, "location"), "/login?next=");
    api_free(&r);
    /* Bad input: the page again, the summary linked to the field, the text kept, nothing stored. */
    static const struct {
        const char *form, *link, *kept;
        long status;
    } bad[] = {
        {"activities=Kept+words+here&needs_help=1", "#f-score", "Kept words here", 400},
        {"score=9&activities=Nine+is+too+many", "#f-score", "Nine is too many", 400},
        {"score=0", "#f-score", NULL, 400},
        {"score=3&needs_help=yes&activities=Odd+box", "#f-needs_help", "Odd box", 400},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CHECK_INT(page_post(&r, &s, path, bad[i].form), bad[i].status);
        CHECK_CONTAINS(r.body, "error-summary");
        CHECK_CONTAINS(r.body, bad[i].link);
        if (bad[i].kept != NULL)
            CHECK_CONTAINS(r.body, bad[i].kept);
        api_free(&r);
    }
    /* A control character is refused by the one text check before the page (400). */
    CHECK_INT(page_post(&r, &s, path, "score=3&activities=bell%07here"), 400);
    api_free(&r);
    /* Line breaks are what a textarea sends: allowed (below, in the check-in that works). */
    char *long_text = repeated('a', CHECK_IN_TEXT_MAX_CHARS + 1);
    char form[CHECK_IN_TEXT_MAX_CHARS + 64];
    snprintf(form, sizeof(form), "score=3&activities=%s", long_text);
    CHECK_INT(page_post(&r, &s, path, form), 413);
    CHECK_CONTAINS(r.body, "#f-activities");
    CHECK_CONTAINS(r.body, long_text);
    api_free(&r);
    free(long_text);
    /* Without the CSRF token: 403. */
    const char *headers[] = {s.cookie, "Content-Type: application/x-www-form-urlencoded", NULL};
    struct api_raw_request rq = {"POST", path, headers, "score=4", 7, true};
    CHECK_INT(api_send(&r, &rq), 403);
    api_free(&r);
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM check_ins WHERE application_id = $1", app, NULL), 0);
    /* "I need help": to the page with the notice and a link to the ticket, which the coach sees. */
    CHECK_INT(page_post(&r, &s, path, "score=3&needs_help=1&activities=My+preceptor+is+away%0D%0Aall+week"), 303);
    const char *location = api_header(&r, "location");
    CHECK_CONTAINS(location, "done=help&ticket=");
    char ticket_path[160] = "";
    const char *ticket = location != NULL ? strstr(location, "ticket=") : NULL;
    if (ticket != NULL)
        snprintf(ticket_path, sizeof(ticket_path), "/tickets/%s", ticket + 7);
    api_free(&r);
    CHECK_INT(page_get(&r, &W.coach, ticket_path), 200);
    CHECK_CONTAINS(r.body, "My preceptor is away");
    api_free(&r);
    CHECK_INT(page_get(&r, &other, ticket_path), 404);
    api_free(&r);
    /* The form is gone for the week; posting again is refused (409) with the reason. */
    CHECK_INT(page_get(&r, &s, path), 200);
    CHECK(strstr(r.body, "name=\"score\"") == NULL);
    api_free(&r);
    CHECK_INT(page_post(&r, &s, path, "score=5"), 409);
    CHECK_CONTAINS(r.body, "checked in for this week already");
    api_free(&r);
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM check_ins WHERE application_id = $1", app, NULL), 1);
    hooks_set_clock(0);
}

/* The ticket pages: opening one (every refusal keeps what was typed and
 * changes nothing), the queue, replies and resolving; strangers get 404. */
TEST(the_ticket_pages_keep_input_and_refuse_strangers)
{
    struct user s, other;
    char app[64], other_app[64];
    if (!register_student(&s, "tkpage") || !register_student(&other, "tkpageo") ||
        !world_rotation(&W, &s, W.offering_a, 30, 20, "booked", app) || !make_coach_of(&s) ||
        !world_rotation(&W, &other, W.offering_b, 30, 20, "offered", other_app))
        return;
    struct api_response r;
    long long before = api_db_int(W.db, "SELECT COUNT(*) FROM tickets", NULL, NULL);
    char form[TICKET_BODY_MAX_CHARS + 400];
    snprintf(form, sizeof(form), "category=payment&urgency=normal&subject=About+my+deposit&body=Typed+body"
                                 "&application_id=%s", other_app);
    CHECK_INT(page_post(&r, &s, "/tickets", form), 404);
    CHECK_CONTAINS(r.body, "#f-application_id");
    CHECK_CONTAINS(r.body, "About my deposit");
    api_free(&r);
    static const struct {
        const char *form, *link, *kept;
    } bad[] = {
        {"category=gossip&subject=Kept+subject&body=Typed+body", "#f-category", "Kept subject"},
        {"category=other&urgency=later&subject=Kept+subject&body=Typed+body", "#f-urgency", "Typed body"},
        {"category=other&subject=&body=Typed+body", "#f-subject", "Typed body"},
        {"category=other&subject=Kept+subject&body=", "#f-body", "Kept subject"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CHECK_INT(page_post(&r, &s, "/tickets", bad[i].form), 400);
        CHECK_CONTAINS(r.body, bad[i].link);
        CHECK_CONTAINS(r.body, bad[i].kept);
        api_free(&r);
    }
    /* A line break in the one-line subject: refused by the one text check (400 naming it). */
    CHECK_INT(page_post(&r, &s, "/tickets", "category=other&subject=Two%0Alines&body=Typed+body"), 400);
    api_free(&r);
    char *long_subject = repeated('s', TICKET_SUBJECT_MAX_CHARS + 1);
    snprintf(form, sizeof(form), "category=other&subject=%s&body=Typed+body", long_subject);
    CHECK_INT(page_post(&r, &s, "/tickets", form), 413);
    CHECK_CONTAINS(r.body, "#f-subject");
    CHECK_CONTAINS(r.body, long_subject);
    api_free(&r);
    free(long_subject);
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM tickets", NULL, NULL), before);
    /* A good one: its page. */
    snprintf(form, sizeof(form), "category=first_day&urgency=urgent&subject=Where+do+I+report&body=No+address+yet"
                                 "&application_id=%s", app);
    CHECK_INT(page_post(&r, &s, "/tickets", form), 303);
    char path[160];
    const char *location = api_header(&r, "location");
    snprintf(path, sizeof(path), "%.*s", location != NULL ? (int)strcspn(location, "?") : 0,
             location != NULL ? location : "");
    CHECK(strncmp(path, "/tickets/", 9) == 0);
    api_free(&r);
    CHECK_INT(page_get(&r, &s, path), 200);
    CHECK_CONTAINS(r.body, "Where do I report");
    api_free(&r);
    /* The coach's queue lists it; another student's does not; a bad filter is 400. */
    CHECK_INT(page_get(&r, &W.coach, "/tickets"), 200);
    CHECK_CONTAINS(r.body, "Where do I report");
    api_free(&r);
    CHECK_INT(page_get(&r, &other, "/tickets"), 200);
    CHECK(strstr(r.body, "Where do I report") == NULL);
    api_free(&r);
    CHECK_INT(page_get(&r, &s, "/tickets?resolved=maybe"), 400);
    api_free(&r);
    /* Strangers: 404 to read, reply or act. */
    char reply_path[192], resolve_path[192];
    snprintf(reply_path, sizeof(reply_path), "%s/replies", path);
    snprintf(resolve_path, sizeof(resolve_path), "%s/resolve", path);
    const struct user *strangers[] = {&other, &W.coord_b, &W.precep_b};
    for (size_t i = 0; i < sizeof(strangers) / sizeof(strangers[0]); i++) {
        CHECK_INT(page_get(&r, strangers[i], path), 404);
        api_free(&r);
        CHECK_INT(page_post(&r, strangers[i], reply_path, "body=Hello"), 404);
        api_free(&r);
        CHECK_INT(page_post(&r, strangers[i], resolve_path, ""), 404);
        api_free(&r);
    }
    /* The coach's reply: empty or too long comes back with the summary and the text. */
    CHECK_INT(page_post(&r, &W.coach, reply_path, "body="), 400);
    CHECK_CONTAINS(r.body, "#f-body");
    api_free(&r);
    char *long_body = repeated('r', TICKET_BODY_MAX_CHARS + 1);
    snprintf(form, sizeof(form), "body=%s", long_body);
    CHECK_INT(page_post(&r, &W.coach, reply_path, form), 413);
    CHECK_CONTAINS(r.body, long_body);
    api_free(&r);
    free(long_body);
    char *id = strrchr(path, '/') + 1;
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM ticket_events WHERE ticket_id = $1 AND kind = 'reply'", id,
                         NULL), 0);
    CHECK_INT(page_post(&r, &W.coach, reply_path, "body=Room+4B%2C+8+am.+Ask+for+Dr.+Lee."), 303);
    api_free(&r);
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM tickets WHERE id = $1 AND first_response_at IS NOT NULL", id,
                         NULL), 1);
    /* The student reads it and resolves the ticket; resolving twice is 409; an unknown action 404. */
    CHECK_INT(page_get(&r, &s, path), 200);
    CHECK_CONTAINS(r.body, "Room 4B, 8 am. Ask for Dr. Lee.");
    api_free(&r);
    CHECK_INT(page_post(&r, &s, resolve_path, ""), 303);
    api_free(&r);
    CHECK_INT(page_post(&r, &s, resolve_path, ""), 409);
    CHECK_CONTAINS(r.body, "error-summary");
    api_free(&r);
    snprintf(reply_path, sizeof(reply_path), "%s/explode", path);
    CHECK_INT(page_post(&r, &s, reply_path, ""), 404);
    api_free(&r);
    char *status = api_db_text(W.db, "SELECT status FROM tickets WHERE id = $1", id, NULL, NULL);
    CHECK_STR(status, "resolved");
    free(status);
}

/* True when a mail file (.eml) in dir holds both needles. */
static bool maildir_has(const char *dir, const char *a, const char *b)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return false;
    bool found = false;
    struct dirent *e;
    while (!found && (e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".eml") != 0)
            continue;
        char file[1024];
        snprintf(file, sizeof(file), "%s/%s", dir, e->d_name);
        char *text = api_read_file(file, NULL);
        found = text != NULL && strstr(text, a) != NULL && strstr(text, b) != NULL;
        free(text);
    }
    closedir(d);
    return found;
}

/* Seven days before the first day the student gets the first-day instructions
 * (the host's words, where, whom to ask for) in the app and by email, once
 * across runs of the jobs; "Your rotation" shows them from then on. */
/* Whether the calendar's first-day query lists the application for the
 * window from .. on (the store's own call, as the jobs make it). */
static bool first_day_due(const char *app, const char *on, const char *from)
{
    struct arena arena;
    arena_heap_init(&arena);
    const char **ids = NULL;
    size_t count = 0;
    bool listed = false;
    CHECK_INT(store_calendar_due(W.db, &arena, CALENDAR_FIRST_DAY_AHEAD, on, from, 100000, &ids, &count), DB_OK);
    for (size_t i = 0; i < count; i++)
        listed |= strcmp(ids[i], app) == 0;
    arena_heap_free(&arena);
    return listed;
}

/* A booked rotation whose first day passed before anyone told the student
 * (not cleared in time) is too late for first-day instructions: the query no
 * longer lists it, so that a hundred of them cannot fill every round's batch
 * ahead of the rotations still to tell. */
TEST(rotations_started_already_leave_the_first_day_queue)
{
    struct user s;
    char app[64], on[11], from[11];
    hooks_set_clock(0);
    if (!register_student(&s, "lateday") || !world_rotation(&W, &s, W.offering_b, 30, 10, "booked", app))
        return;
    char *start = api_db_text(W.db, "SELECT b.start_date FROM applications a JOIN blocks b ON b.id = a.block_id"
                                    " WHERE a.id = $1",
                              app, NULL, NULL);
    CHECK(start != NULL);
    if (start == NULL)
        return;
    int32_t first = clock_days_from_date(start);
    free(start);
    clock_date_from_days(first + 7, on);
    clock_date_from_days(first, from); /* its first day is today: still to tell */
    CHECK(first_day_due(app, on, from));
    clock_date_from_days(first + 1, from); /* it started yesterday */
    CHECK(!first_day_due(app, on, from));
}

TEST(first_day_instructions_go_out_a_week_ahead_once)
{
    struct user s;
    char app[64], path[160];
    hooks_set_clock(0);
    if (!register_student(&s, "firstday") || !world_rotation(&W, &s, W.offering_b, 20, 20, "cleared", app))
        return;
    struct api_response r;
    world_callf(&r, &W.coord_b, "PATCH", "{\"first_day\":\"Report to Ward 5 at 7:30 AM.\\nBring your passport.\"}",
                "/api/v1/offerings/%s", W.offering_b);
    CHECK_INT(r.status, 200);
    api_free(&r);
    /* The first day as fields: each one line, at most 300 characters; a bad one changes nothing. */
    const char *fields = "{\"first_day_instructions\":{\"address\":\"North Tower, 2nd floor, Room 214\","
                         "\"time\":\"7:30 AM\",\"ask_for\":\"Nurse manager Ana Ruiz, ext. 4411\","
                         "\"dress_code\":\"Business casual and a white coat\",\"transport\":\"Bus 12 to Main St; "
                         "no student parking\",\"bring\":\"Passport and BLS card\"}}";
    world_callf(&r, &W.coord_b, "PATCH", fields, "/api/v1/offerings/%s", W.offering_b);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "first_day_instructions.address"), "North Tower, 2nd floor, Room 214");
    CHECK_STR(api_json_str(r.json, "first_day_instructions.bring"), "Passport and BLS card");
    CHECK_STR(api_json_str(r.json, "first_day"), "Report to Ward 5 at 7:30 AM.\nBring your passport.");
    api_free(&r);
    const char *bad[] = {"{\"first_day_instructions\":{\"address\":\"Room 1\\nRoom 2\"}}",
                         "{\"first_day_instructions\":{\"time\":\"\\u0007 7 AM\"}}",
                         "{\"first_day_instructions\":{\"bring\":17}}", "{\"first_day_instructions\":\"Room 1\"}"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        world_callf(&r, &W.coord_b, "PATCH", bad[i], "/api/v1/offerings/%s", W.offering_b);
        CHECK(r.status == 400 || r.status == 422);
        api_free(&r);
    }
    char *too_long = calloc(1, 400);
    memset(too_long, 'x', 301);
    char body[500];
    snprintf(body, sizeof(body), "{\"first_day_instructions\":{\"ask_for\":\"%s\"}}", too_long);
    free(too_long);
    world_callf(&r, &W.coord_b, "PATCH", body, "/api/v1/offerings/%s", W.offering_b);
    CHECK(r.status == 400 || r.status == 422);
    CHECK_CONTAINS(r.body, "ask_for");
    api_free(&r);
    char *kept = api_db_text(W.db, "SELECT first_day_address FROM offerings WHERE id = $1", W.offering_b, NULL, NULL);
    CHECK_STR(kept, "North Tower, 2nd floor, Room 214");
    free(kept);
    snprintf(path, sizeof(path), "/rotations/%s", app);
    const char *count_sql = "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = 'first_day'";
    /* Sent mail keeps its kind and subject (address and body are scrubbed): the body is read in the maildir. */
    const char *mail_sql = "SELECT COUNT(*) FROM outbox WHERE kind = 'first_day' AND (to_address = $1 OR to_hash = $2)";
    char lowered[160], to_hash[65];
    for (size_t i = 0; i < sizeof(lowered); i++)
        lowered[i] = (char)tolower((unsigned char)s.email[i]);
    crypto_hash_token(lowered, to_hash);
    /* Eight days ahead: nothing yet. */
    hooks_set_clock_noon(12);
    hooks_run_jobs();
    CHECK_INT(api_db_int(W.db, count_sql, s.id, NULL), 0);
    CHECK_INT(page_get(&r, &s, path), 200);
    CHECK(strstr(r.body, "Your first day") == NULL);
    api_free(&r);
    /* Seven days ahead: once, however often the jobs run (a round tells 100 rotations at most, and on a shared
     * database other suites' rotations may come first). */
    hooks_set_clock_noon(13);
    for (int round = 0; round < 20 && api_db_int(W.db, count_sql, s.id, NULL) == 0; round++)
        hooks_run_jobs();
    hooks_run_jobs();
    CHECK_INT(api_db_int(W.db, count_sql, s.id, NULL), 1);
    CHECK_INT(api_db_int(W.db, mail_sql, s.email, to_hash), 1);
    /* Delivered (after whatever mail was queued before it), still once. */
    CHECK(hooks_deliver_mail_to(W.db, s.email));
    CHECK_INT(api_db_int(W.db, count_sql, s.id, NULL), 1);
    CHECK_INT(api_db_int(W.db, mail_sql, s.email, to_hash), 1);
    char mail_dir[400];
    snprintf(mail_dir, sizeof(mail_dir), "%s/data/mail/new", server.dir);
    CHECK(maildir_has(mail_dir, s.email, "Ward 5"));
    CHECK(maildir_has(mail_dir, s.email, "Parking or transit: "));
    CHECK(maildir_has(mail_dir, s.email, "Bus 12 to Main St"));
    CHECK(maildir_has(mail_dir, s.email, "Nurse manager Ana Ruiz, ext. 4411"));
    CHECK_INT(page_get(&r, &s, path), 200);
    CHECK_CONTAINS(r.body, "Your first day");
    CHECK_CONTAINS(r.body, "Report to Ward 5 at 7:30 AM.");
    CHECK_CONTAINS(r.body, "North Tower, 2nd floor, Room 214");
    CHECK_CONTAINS(r.body, "Dress code");
    CHECK_CONTAINS(r.body, "Business casual and a white coat");
    CHECK_CONTAINS(r.body, "7:30 AM");
    api_free(&r);
    hooks_set_clock(0);
}

/* The feed as a real iCalendar parser reads it (tests/api/ical_check.py,
 * Debian's python3-icalendar): its JSON, or NULL after a failed check. */
static json_t *parsed_feed(const char *text)
{
    char path[64];
    int fd = test_tmp_file(path, sizeof(path), "ical");
    if (fd < 0)
        return NULL;
    size_t len = strlen(text);
    bool written = write(fd, text, len) == (ssize_t)len;
    close(fd);
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "/usr/bin/python3 tests/api/ical_check.py < %s", path);
    FILE *p = written ? popen(cmd, "r") : NULL;
    char *out = calloc(1, 1 << 20);
    size_t n = p != NULL && out != NULL ? fread(out, 1, (1 << 20) - 1, p) : 0;
    if (p != NULL)
        pclose(p);
    unlink(path);
    json_t *j = out != NULL && n > 0 ? json_loads(out, 0, NULL) : NULL;
    if (j == NULL || !json_is_true(json_object_get(j, "ok")))
        TEST_FAILF("the iCalendar parser refused the feed: %.400s", out != NULL ? out : "");
    free(out);
    return j;
}

/* The event with that UID in a parsed feed, or NULL. */
static json_t *feed_event(json_t *feed, const char *uid)
{
    json_t *events = json_object_get(feed, "events");
    for (size_t i = 0; i < json_array_size(events); i++)
        if (strcmp(api_json_str(json_array_get(events, i), "uid"), uid) == 0)
            return json_array_get(events, i);
    return NULL;
}

/* GET the feed at url's path (anonymous): the status; the body in r. */
static long get_feed(struct api_response *r, const char *token, const char *suffix)
{
    char path[160];
    snprintf(path, sizeof(path), "/calendar/%s%s", token, suffix);
    return world_call(r, NULL, "GET", path, NULL);
}

/* A user's secret calendar address: parsed by a real iCalendar parser, every
 * event of the rotation checked (UIDs stable, all-day dates, escaping and
 * folding of the host's words); revoked or replaced tokens answer 404 and
 * tokens never reach the log; each person sees their own rotations only. */
TEST(the_calendar_feed_is_real_icalendar_and_its_address_secret)
{
    struct user s;
    char app[64], uid[128], start[11], after[11], token[64], old_token[64];
    hooks_set_clock(0);
    if (!register_student(&s, "calfeed") || !world_rotation(&W, &s, W.offering_b, 20, 20, "booked", app))
        return;
    struct api_response r;
    world_callf(&r, &W.coord_b, "PATCH",
                "{\"first_day\":\"Ward 5, Room 3; bring: passport\\nand BLS card. Parking: the east garage on "
                "Elm Street, level 2, spaces marked for students \\u2014 about a five-minute walk.\"}",
                "/api/v1/offerings/%s", W.offering_b);
    CHECK_INT(r.status, 200);
    api_free(&r);
    /* None yet. */
    world_call(&r, &s, "GET", "/api/v1/me/calendar", NULL);
    CHECK(json_is_false(api_json_get(r.json, "active")));
    api_free(&r);
    world_call(&r, &s, "DELETE", "/api/v1/me/calendar", NULL);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    /* An address: its URL ends with the token and .ics. */
    world_call(&r, &s, "POST", "/api/v1/me/calendar", NULL);
    CHECK_INT(r.status, 201);
    snprintf(token, sizeof(token), "%s", api_json_str(r.json, "token") != NULL ? api_json_str(r.json, "token") : "");
    CHECK_INT((long long)strlen(token), 43);
    CHECK_CONTAINS(api_json_str(r.json, "url"), "/calendar/");
    api_free(&r);
    CHECK_INT(get_feed(&r, token, ".ics"), 200);
    CHECK_CONTAINS(api_header(&r, "content-type"), "text/calendar");
    json_t *feed = parsed_feed(r.body);
    api_free(&r);
    /* The rotation: all day, from its first day to the day after its last. */
    world_date(20, start);
    world_date(41, after);
    snprintf(uid, sizeof(uid), "rotation-%s@rounds", app);
    json_t *e = feed_event(feed, uid);
    CHECK(e != NULL);
    CHECK(json_is_true(api_json_get(e, "all_day")));
    CHECK_STR(api_json_str(e, "start"), start);
    CHECK_STR(api_json_str(e, "end"), after);
    /* The first day, with the host's words exactly (commas, semicolons, the line break, folded lines). */
    snprintf(uid, sizeof(uid), "first-day-%s@rounds", app);
    e = feed_event(feed, uid);
    CHECK(e != NULL);
    CHECK_STR(api_json_str(e, "start"), start);
    CHECK_CONTAINS(api_json_str(e, "description"), "Ward 5, Room 3; bring: passport\nand BLS card. Parking: the "
                                                   "east garage on Elm Street, level 2, spaces marked for students "
                                                   "\xe2\x80\x94 about a five-minute walk.");
    CHECK(api_json_str(e, "location")[0] != '\0');
    /* A check-in day each week of it: days 20, 27 and 34. */
    const int weeks[] = {20, 27, 34};
    for (size_t i = 0; i < 3; i++) {
        char day[11];
        world_date(weeks[i], day);
        snprintf(uid, sizeof(uid), "check-in-%s-%s@rounds", app, day);
        CHECK(feed_event(feed, uid) != NULL);
    }
    json_decref(feed);
    /* The same UIDs on the next read. */
    CHECK_INT(get_feed(&r, token, ".ics"), 200);
    feed = parsed_feed(r.body);
    api_free(&r);
    snprintf(uid, sizeof(uid), "rotation-%s@rounds", app);
    CHECK(feed_event(feed, uid) != NULL);
    json_decref(feed);
    /* The preceptor's feed has it under the student's name; another host's coordinator's does not. */
    const struct user *viewers[] = {&W.precep_b, &W.coord_a};
    for (size_t i = 0; i < 2; i++) {
        world_call(&r, viewers[i], "POST", "/api/v1/me/calendar", NULL);
        char theirs[64];
        snprintf(theirs, sizeof(theirs), "%s", api_json_str(r.json, "token") != NULL ? api_json_str(r.json, "token") : "");
        api_free(&r);
        CHECK_INT(get_feed(&r, theirs, ".ics"), 200);
        feed = parsed_feed(r.body);
        api_free(&r);
        e = feed_event(feed, uid);
        CHECK(i == 0 ? e != NULL : e == NULL);
        if (i == 0 && e != NULL)
            CHECK_CONTAINS(api_json_str(e, "summary"), s.name);
        json_decref(feed);
    }
    /* Malformed addresses: 404. */
    const char *suffixes[] = {"", ".ICS", ".ics.ics", "x.ics"};
    for (size_t i = 0; i < 4; i++) {
        CHECK_INT(get_feed(&r, token, suffixes[i]), 404);
        api_free(&r);
    }
    CHECK_INT(get_feed(&r, "short", ".ics"), 404);
    api_free(&r);
    /* A new address ends the old one. */
    snprintf(old_token, sizeof(old_token), "%s", token);
    world_call(&r, &s, "POST", "/api/v1/me/calendar", NULL);
    snprintf(token, sizeof(token), "%s", api_json_str(r.json, "token") != NULL ? api_json_str(r.json, "token") : "");
    api_free(&r);
    CHECK(strcmp(token, old_token) != 0);
    CHECK_INT(get_feed(&r, old_token, ".ics"), 404);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    CHECK_INT(get_feed(&r, token, ".ics"), 200);
    api_free(&r);
    /* Turned off: 404, and the account says so. */
    world_call(&r, &s, "DELETE", "/api/v1/me/calendar", NULL);
    CHECK_INT(r.status, 204);
    api_free(&r);
    CHECK_INT(get_feed(&r, token, ".ics"), 404);
    api_free(&r);
    world_call(&r, &s, "GET", "/api/v1/me/calendar", NULL);
    CHECK(json_is_false(api_json_get(r.json, "active")));
    api_free(&r);
    world_call(&r, NULL, "POST", "/api/v1/me/calendar", NULL);
    CHECK_INT(r.status, 401);
    api_free(&r);
    /* Tokens never reach the log. */
    char *log = api_read_file(server.log_path, NULL);
    CHECK(log != NULL && strstr(log, token) == NULL && strstr(log, old_token) == NULL);
    CHECK(log != NULL && strstr(log, "path=/calendar/{") != NULL);
    free(log);
}

/* What the tests need, once the suite's server is up. */
static bool setup(void)
{
    return world_setup(&W, &server, "sup");
}

static void run_tests(void)
{
    API_RUN(check_ins_during_the_rotation_and_help_opens_a_ticket);
    API_RUN(check_in_bad_input_changes_nothing);
    API_RUN(the_weekly_prompt_is_sent_once_a_week);
    API_RUN(tickets_due_times_replies_and_escalation);
    API_RUN(tickets_access_and_bad_input);
    API_RUN(the_check_in_page_keeps_input_and_refuses_strangers);
    API_RUN(the_ticket_pages_keep_input_and_refuse_strangers);
    API_RUN(first_day_instructions_go_out_a_week_ahead_once);
    API_RUN(rotations_started_already_leave_the_first_day_queue);
    API_RUN(the_calendar_feed_is_real_icalendar_and_its_address_secret);
}

static void finish(void)
{
    hooks_set_clock(0);
    db_close(W.db);
}

int main(void)
{
    static const char *const flags[] = {"--test-hooks", "1", "--jobs-interval-ms", "0", "--session-idle-minutes",
                                        "43200", "--session-absolute-hours", "8760", "--oncall-email", ONCALL, NULL};
    static const struct api_suite suite = {
        .name = "api-support", .server = &server, .flags = flags, .setup = setup,
        .setup_what = "setting up the world", .run = run_tests, .finish = finish};
    return api_suite_main(&suite);
}
