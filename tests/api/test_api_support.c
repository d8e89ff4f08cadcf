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
#include <stdlib.h>
#include <string.h>

#include "api_client.h"
#include "lib/crypto.h"
#include "lib/limits.h"
#include "test.h"

#define PEOPLE_PASSWORD "Vivid-Orchard-Kettle-58!"
#include "api_people.h"
#include "api_rotation_world.h"

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
    world_clock_reset();
    if (!world_rotation(&W, &s, W.offering_a, 10, 20, "cleared", app) || !make_coach_of(&s))
        return;
    struct api_response r;
    check_in(&r, &s, app, 4, false, "");
    CHECK_PROBLEM(&r, 409, "conflict", NULL);
    api_free(&r);
    /* Under way (day 3): a good week opens no ticket. */
    world_clock_days(13);
    world_run_jobs();
    CHECK_STR(world_status(&W, app), "in_progress");
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
    world_clock_days(18);
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
    world_clock_days(25);
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
    /* No check-in for 8 days flags the student. */
    world_clock_days(33);
    row = dashboard_row(&reply, &W.coach, s.id);
    CHECK(row != NULL && json_is_true(api_json_get(row, "flags.check_in_missed")));
    json_decref(reply);
    /* After the last day: 409 again. */
    check_in(&r, &s, app, 4, false, "");
    CHECK_PROBLEM(&r, 409, "conflict", NULL);
    api_free(&r);
    world_clock_reset();
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
    world_clock_reset();
}

TEST(the_weekly_prompt_is_sent_once_a_week)
{
    struct user s;
    char app[64];
    if (!register_student(&s, "prompt") || !world_in_progress(&W, &s, NULL, 10, 20, 0, app))
        return;
    world_run_jobs();
    world_run_jobs();
    const char *count_sql = "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = 'check_in_prompt'";
    CHECK_INT(api_db_int(W.db, count_sql, s.id, NULL), 1);
    world_clock_days(13);
    world_run_jobs();
    CHECK_INT(api_db_int(W.db, count_sql, s.id, NULL), 1);
    world_clock_days(17);
    world_run_jobs();
    world_run_jobs();
    CHECK_INT(api_db_int(W.db, count_sql, s.id, NULL), 2);
    world_clock_reset();
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
    world_clock_reset();
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
    char offset[96];
    snprintf(offset, sizeof(offset), "{\"offset_seconds\":%d}", 3 * 3600);
    world_call(&r, NULL, "POST", "/api/v1/test/clock", offset);
    api_free(&r);
    json_t *jobs = world_jobs();
    CHECK(api_json_int(jobs, "tickets_escalated", -1) >= 1);
    json_decref(jobs);
    world_run_jobs();
    CHECK_INT(api_db_int(W.db, escalated_sql, safety, NULL), 1);
    CHECK_INT(api_db_int(W.db, escalated_sql, urgent, NULL), 0); /* answered, then resolved */
    CHECK(api_db_int(W.db, "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = 'ticket_escalated'"
                           " AND link = '/tickets/' || $2",
                     W.staff.id, safety) == 1);
    /* The queue shows the breach, sorted by due time. */
    world_call(&r, &W.coach, "GET", "/api/v1/tickets", NULL);
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
    world_clock_reset();
}

TEST(tickets_access_and_bad_input)
{
    world_clock_reset();
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
    world_call(&r, &other, "GET", "/api/v1/tickets", NULL);
    CHECK(strstr(r.body, ticket) == NULL);
    api_free(&r);
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

int main(void)
{
    if (crypto_init() != 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
        printf("cannot initialise libsodium or libcurl\n");
        return 1;
    }
    static const char *const flags[] = {"--test-hooks", "1", "--jobs-interval-ms", "0", "--session-idle-minutes",
                                        "43200", "--session-absolute-hours", "8760", "--login-limit-client",
                                        "1000000", "--oncall-email", ONCALL, NULL};
    if (api_server_start(&server, flags) != 0)
        return 1;
    test_current_name = "setup";
    if (!world_setup(&W, &server, "sup")) {
        printf("FAIL setting up the world\n");
        api_server_print_log(&server, 30);
        api_server_stop(&server);
        return 1;
    }
    API_RUN(check_ins_during_the_rotation_and_help_opens_a_ticket);
    API_RUN(check_in_bad_input_changes_nothing);
    API_RUN(the_weekly_prompt_is_sent_once_a_week);
    API_RUN(tickets_due_times_replies_and_escalation);
    API_RUN(tickets_access_and_bad_input);
    world_clock_reset();
    db_close(W.db);
    CHECK_INT(api_server_stop(&server), 0);
    api_server_cleanup(&server);
    curl_global_cleanup();
    return test_summary("api-support");
}
