/* test_api_rotation.c — the rotation itself (issue 14), against the real
 * `rounds serve`: the coach role (CLI and API), automatic assignment to the
 * coach with the fewest active students, staff reassigning, the coach's
 * dashboard; the hours log (logging, the preceptor's review, a week at once,
 * every bad input) and readiness counting confirmed hours; the calendar
 * moving rotations with the test clock (start, completion once the hours are
 * confirmed, the alert when a rotation starts uncleared), once across two
 * instances sharing the database; and the access matrix of every new route.
 *
 * Servers run with --test-hooks 1 and --jobs-interval-ms 0: only the tests
 * run the jobs. Every test makes its own students, so the suite also runs on
 * a PostgreSQL database that holds other data. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "api_client.h"
#include "api_pages.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/limits.h"
#include "test.h"

#define PEOPLE_PASSWORD "Vivid-Orchard-Kettle-58!"
#include "api_people.h"
#include "api_rotation_world.h"
#include "api_suite.h"

static struct api_server server;
static struct world W;

/* The coach (id) of a student in the database (static buffer, "" for none). */
static const char *coach_of(const char *student_id)
{
    static char coach[64];
    char *c = api_db_text(W.db, "SELECT coach_id FROM coach_assignments WHERE student_id = $1", student_id, NULL, NULL);
    snprintf(coach, sizeof(coach), "%s", c != NULL ? c : "");
    free(c);
    return coach;
}

/* The coach's count as staff's list of coaches shows it (on whichever page:
 * on PostgreSQL other suites' coaches share the list), or -1. */
static long long active_students(const char *coach_id)
{
    const char *headers[] = {W.staff.auth, NULL};
    json_t *c = api_list_find(headers, "/api/v1/coaches", "id", coach_id);
    long long n = api_json_int(c, "active_students", -1);
    json_decref(c);
    return n;
}

/* ---- coaches ---- */

TEST(coach_role_from_the_cli_and_the_api)
{
    char email[160];
    api_unique_email(email, sizeof(email), "clicoach");
    const char *args[] = {"user", "add", "--email", email, "--name", "Grace Coach", "--role", "coach",
                          "--password-stdin", NULL};
    struct api_cli_result res;
    CHECK_INT(api_cli(server.db, args, PEOPLE_PASSWORD "\n", &res), 0);
    CHECK_CONTAINS(res.out, "created coach");
    api_cli_free(&res);
    struct user u = {0};
    snprintf(u.email, sizeof(u.email), "%s", email);
    CHECK(login(&u));
    struct api_response r;
    world_call(&r, &u, "GET", "/api/v1/me", NULL);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body, "\"coach\"");
    api_free(&r);
    /* An unknown role is refused by the CLI and the API alike. */
    const char *bad[] = {"user", "add", "--email", "x-coach@example.test", "--name", "X", "--role", "coaches",
                         "--password-stdin", NULL};
    CHECK(api_cli(server.db, bad, PEOPLE_PASSWORD "\n", &res) != 0);
    api_cli_free(&res);
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM users WHERE email = 'x-coach@example.test'", NULL, NULL), 0);
}

TEST(booking_assigns_the_coach_with_the_fewest_active_students)
{
    hooks_set_clock(0);
    /* Two fresh coaches; whichever coach has the fewest active students gets the next booking. */
    struct user c1, c2;
    if (!world_user(&W, &c1, "coachone", "coach", NULL) || !world_user(&W, &c2, "coachtwo", "coach", NULL))
        return;
    struct user s1, s2, s3;
    char a1[64], a2[64], a3[64];
    if (!register_student(&s1, "assign1") || !register_student(&s2, "assign2") || !register_student(&s3, "assign3"))
        return;
    /* Offered and held students have no coach yet. */
    if (!world_rotation(&W, &s1, W.offering_a, 40, 20, "offered", a1))
        return;
    CHECK_STR(coach_of(s1.id), "");
    /* Booking assigns one: a coach with zero active students (c1 or c2 or another idle one). */
    CHECK(steps_act(&s1, a1, "accept") && steps_act(&W.staff, a1, "book"));
    const char *first = coach_of(s1.id);
    CHECK(first[0] != '\0');
    char first_id[64];
    snprintf(first_id, sizeof(first_id), "%s", first);
    CHECK_INT(active_students(first_id), 1);
    /* The next two bookings never go to a coach that has more active students than another. */
    CHECK(world_rotation(&W, &s2, W.offering_a, 40, 20, "booked", a2));
    CHECK(strcmp(coach_of(s2.id), first_id) != 0);
    CHECK(world_rotation(&W, &s3, W.offering_b, 40, 20, "booked", a3));
    CHECK(strcmp(coach_of(s3.id), first_id) != 0 || active_students(c1.id) > 0 || active_students(c2.id) > 0);
    /* The application shows its coach; the coach was told. */
    struct api_response r;
    world_callf(&r, &s1, "GET", NULL, "/api/v1/applications/%s", a1);
    CHECK_STR(api_json_str(r.json, "coach.id"), first_id);
    CHECK(api_json_str(r.json, "coach.name") != NULL);
    api_free(&r);
    CHECK(api_db_int(W.db, "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = 'coach_assigned'",
                     first_id, NULL) >= 1);
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = 'coach_assigned'",
                         s1.id, NULL),
              1);
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM audit_events WHERE action = 'coach_assigned' AND object_id = $1",
                         s1.id, NULL),
              1);
    /* A second booking keeps the same coach. */
    char again[64];
    CHECK(world_rotation(&W, &s1, W.offering_b, 70, 20, "booked", again));
    CHECK_STR(coach_of(s1.id), first_id);
    /* The coach's notices give the first day in words ("starting Jan 14, 2027"), never as 2027-01-14. */
    char day[11], words[CLOCK_DATE_WORDS_SIZE], pattern[160];
    const char *words_sql = "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND title LIKE $2";
    world_date(40, day);
    CHECK(clock_date_in_words(day, words));
    snprintf(pattern, sizeof(pattern), "New student: %s booked %%starting %s", s1.name, words);
    CHECK(api_db_int(W.db, words_sql, first_id, pattern) >= 1);
    world_date(70, day);
    CHECK(clock_date_in_words(day, words));
    snprintf(pattern, sizeof(pattern), "%s booked %%starting %s", s1.name, words);
    CHECK(api_db_int(W.db, words_sql, first_id, pattern) >= 1);
    /* So does the student's own: "Booked: <title> starting Mar 1, 2027". */
    snprintf(pattern, sizeof(pattern), "Booked: %% starting %s", words);
    CHECK_INT(api_db_int(W.db, words_sql, s1.id, pattern), 1);
}

TEST(staff_reassign_a_student)
{
    hooks_set_clock(0);
    struct user s, other_coach;
    char app[64];
    /* The new coach comes after the booking, so that the booking cannot have picked them. */
    if (!register_student(&s, "reassign") || !world_rotation(&W, &s, W.offering_a, 25, 20, "booked", app) ||
        !world_user(&W, &other_coach, "coachnew", "coach", NULL))
        return;
    CHECK(strcmp(coach_of(s.id), other_coach.id) != 0);
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/students/%s/coach", s.id);
    char body[160];
    snprintf(body, sizeof(body), "{\"coach_id\":\"%s\"}", other_coach.id);
    struct api_response r;
    world_call(&r, &W.staff, "PUT", path, body);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "coach.id"), other_coach.id);
    api_free(&r);
    CHECK_STR(coach_of(s.id), other_coach.id);
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM audit_events WHERE action = 'coach_reassigned' AND object_id = $1",
                         s.id, NULL),
              1);
    /* Not a coach → 422 coach_id; not staff → 404; no such student → 404; malformed → 400. Nothing changes. */
    snprintf(body, sizeof(body), "{\"coach_id\":\"%s\"}", W.coord_a.id);
    world_call(&r, &W.staff, "PUT", path, body);
    CHECK_PROBLEM(&r, 422, "unprocessable", "coach_id");
    api_free(&r);
    snprintf(body, sizeof(body), "{\"coach_id\":\"%s\"}", W.coach.id);
    const struct user *not_staff[] = {&s, &W.coach, &W.coord_a, &other_coach};
    for (size_t i = 0; i < 4; i++) {
        world_call(&r, not_staff[i], "PUT", path, body);
        CHECK_PROBLEM(&r, 404, "not_found", NULL);
        api_free(&r);
    }
    world_call(&r, NULL, "PUT", path, body);
    CHECK_INT(r.status, 401);
    api_free(&r);
    world_call(&r, &W.staff, "PUT", "/api/v1/students/u_nobody/coach", body);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    static const struct {
        const char *body, *field;
    } bad[] = {{"{}", "coach_id"}, {"{\"coach_id\":7}", "coach_id"}, {"{\"coach_id\":\"\"}", "coach_id"},
               {"{\"coach_id\":\"x\",\"more\":1}", "more"}};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        world_call(&r, &W.staff, "PUT", path, bad[i].body);
        CHECK_INT(r.status, 400);
        CHECK_STR(api_json_str(r.json, "field"), bad[i].field);
        api_free(&r);
    }
    world_call(&r, &W.staff, "PUT", path, "{not json");
    CHECK_PROBLEM(&r, 400, "invalid_json", NULL);
    api_free(&r);
    CHECK_STR(coach_of(s.id), other_coach.id);
}

/* The student's row on a dashboard reply, or NULL. */
static json_t *dashboard_row(json_t *reply, const char *student_id)
{
    json_t *rows = api_json_get(reply, "students");
    for (size_t i = 0; json_is_array(rows) && i < json_array_size(rows); i++) {
        json_t *row = json_array_get(rows, i);
        const char *id = api_json_str(row, "student.id");
        if (id != NULL && strcmp(id, student_id) == 0)
            return row;
    }
    return NULL;
}

/* The dashboard counts a rotation's onboarding checklist as its rotation page and
 * GET …/compliance do, until the rotation is over: a student cleared to start
 * whose passport is then deleted has 0 of 1 met, not "0 not ready". */
TEST(the_coach_dashboard_counts_the_checklist_until_the_rotation_ends)
{
    hooks_set_clock(0);
    struct user coach, s;
    char app[64], doc[64], strict[64], path[200];
    if (!world_user(&W, &coach, "listcoach", "coach", NULL) || !register_student(&s, "lapsed") ||
        !world_offering(&W, &W.coord_a, W.org_a, W.site_a, W.prc_a, "Cardiology with a passport", "hands_on", strict))
        return;
    struct api_response r;
    char *req = json_text(json_pack("{s:s,s:s,s:s}", "organization_id", W.org_a, "offering_id", strict, "kind",
                                    "passport"));
    world_call(&r, &W.coord_a, "POST", "/api/v1/requirements", req);
    free(req);
    CHECK(r.status == 201 || r.status == 409);
    api_free(&r);
    if (!steps_upload_pdf(&s, doc))
        return;
    world_callf(&r, &W.staff, "POST", NULL, "/api/v1/documents/%s/verify", doc);
    CHECK_INT(r.status, 200);
    api_free(&r);
    if (!world_rotation(&W, &s, strict, 12, 20, "cleared", app))
        return;
    snprintf(path, sizeof(path), "/api/v1/students/%s/coach", s.id);
    char body[128];
    snprintf(body, sizeof(body), "{\"coach_id\":\"%s\"}", coach.id);
    world_call(&r, &W.staff, "PUT", path, body);
    CHECK_INT(r.status, 200);
    api_free(&r);

    /* Cleared with the passport verified: 1 requirement, met. */
    world_call(&r, &coach, "GET", "/api/v1/coach/dashboard", NULL);
    json_t *row = dashboard_row(r.json, s.id);
    CHECK(row != NULL);
    CHECK_STR(api_json_str(row, "rotation.status"), "cleared");
    CHECK_INT(api_json_int(row, "requirements", -1), 1);
    CHECK_INT(api_json_int(row, "documents_not_ready", -1), 0);
    CHECK(!json_is_true(api_json_get(row, "flags.documents_missing")));
    api_free(&r);

    /* The passport deleted after clearance: the checklist says 0 of 1, and so does the dashboard. */
    world_callf(&r, &s, "DELETE", NULL, "/api/v1/documents/%s", doc);
    CHECK_INT(r.status, 204);
    api_free(&r);
    world_callf(&r, &s, "GET", NULL, "/api/v1/applications/%s/compliance", app);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body, "\"missing\"");
    api_free(&r);
    world_call(&r, &coach, "GET", "/api/v1/coach/dashboard", NULL);
    row = dashboard_row(r.json, s.id);
    CHECK(row != NULL);
    CHECK_INT(api_json_int(row, "requirements", -1), 1);
    CHECK_INT(api_json_int(row, "documents_not_ready", -1), 1);
    CHECK(json_is_true(api_json_get(row, "flags.documents_missing")));
    CHECK_INT(api_json_int(r.json, "counts.documents_missing", -1), 1);
    api_free(&r);
    /* The page says it in the rotation page's words. */
    const char *headers[] = {coach.cookie, NULL};
    api_request(&r, "GET", "/coach", headers, NULL);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body, "<strong>1</strong> with onboarding requirements not met");
    CHECK_CONTAINS(r.body, "<td data-label=\"Onboarding requirements\">0 of 1 met</td>");
    CHECK_CONTAINS(r.body, "Requirements not met");
    CHECK(strstr(r.body, "Documents not ready") == NULL);
    api_free(&r);
    /* The rotation page names the coach as the student's to the student, and as "Coach" to the coach. */
    char page[120];
    snprintf(page, sizeof(page), "/rotations/%s", app);
    api_request(&r, "GET", page, headers, NULL);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body, "<dt>Coach</dt>");
    CHECK(strstr(r.body, "Your coach") == NULL);
    api_free(&r);
    const char *student_headers[] = {s.cookie, NULL};
    api_request(&r, "GET", page, student_headers, NULL);
    CHECK_INT(r.status, 200);
    CHECK_CONTAINS(r.body, "<dt>Your coach</dt>");
    api_free(&r);
}

TEST(the_coach_dashboard)
{
    hooks_set_clock(0);
    struct user coach, s1, s2, stranger;
    char a1[64], a2[64], path[200];
    if (!world_user(&W, &coach, "dashcoach", "coach", NULL) || !register_student(&s1, "dash1") ||
        !register_student(&s2, "dash2") || !world_user(&W, &stranger, "othercoach", "coach", NULL))
        return;
    /* An offering that asks for a passport: the booked student's documents are not ready. */
    struct api_response r;
    char strict[64];
    if (!world_offering(&W, &W.coord_a, W.org_a, W.site_a, W.prc_a, "Cardiology with papers", "hands_on", strict))
        return;
    char *req = json_text(json_pack("{s:s,s:s,s:s}", "organization_id", W.org_a, "offering_id", strict, "kind",
                                    "passport"));
    world_call(&r, &W.coord_a, "POST", "/api/v1/requirements", req);
    free(req);
    bool required = r.status == 201 || r.status == 409;
    api_free(&r);
    CHECK(required);
    if (!world_rotation(&W, &s1, strict, 10, 20, "booked", a1) ||
        !world_rotation(&W, &s2, W.offering_b, 60, 20, "booked", a2))
        return;
    snprintf(path, sizeof(path), "/api/v1/students/%s/coach", s1.id);
    char body[128];
    snprintf(body, sizeof(body), "{\"coach_id\":\"%s\"}", coach.id);
    world_call(&r, &W.staff, "PUT", path, body);
    api_free(&r);
    snprintf(path, sizeof(path), "/api/v1/students/%s/coach", s2.id);
    world_call(&r, &W.staff, "PUT", path, body);
    api_free(&r);

    world_call(&r, &coach, "GET", "/api/v1/coach/dashboard", NULL);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "coach.id"), coach.id);
    CHECK_INT(api_json_int(r.json, "counts.students", -1), 2);
    json_t *row1 = dashboard_row(r.json, s1.id), *row2 = dashboard_row(r.json, s2.id);
    CHECK(row1 != NULL && row2 != NULL);
    /* Next starts first; the start within 14 days is flagged; the missing passport is counted. */
    json_t *rows = api_json_get(r.json, "students");
    CHECK_STR(api_json_str(json_array_get(rows, 0), "student.id"), s1.id);
    CHECK_STR(api_json_str(row1, "rotation.application_id"), a1);
    CHECK_STR(api_json_str(row1, "rotation.status"), "booked");
    CHECK(json_is_true(api_json_get(row1, "flags.starts_soon")));
    CHECK(!json_is_true(api_json_get(row2, "flags.starts_soon")));
    CHECK(api_json_int(row1, "documents_not_ready", -1) >= 1);
    CHECK(json_is_true(api_json_get(row1, "flags.documents_missing")));
    CHECK_INT(api_json_int(row2, "documents_not_ready", -1), 0);
    CHECK(json_is_null(api_json_get(row1, "last_check_in")));
    /* The balance still owed on the booked seat, as the ledger's terms say (price − paid). */
    long long owed = api_db_int(W.db, "SELECT price_cents - paid_cents FROM applications WHERE id = $1", a1, NULL);
    CHECK_INT(api_json_int(row1, "unpaid_cents", -1), owed > 0 ? owed : 0);
    CHECK(json_is_true(api_json_get(row1, "flags.unpaid_balance")) == (owed > 0));
    /* The second starts in 60 days: booked on its deposit, the balance due later is owed. */
    long long owed2 = api_db_int(W.db, "SELECT price_cents - paid_cents FROM applications WHERE id = $1", a2, NULL);
    CHECK(owed2 > 0);
    CHECK_INT(api_json_int(row2, "unpaid_cents", -1), owed2);
    CHECK(json_is_true(api_json_get(row2, "flags.unpaid_balance")));
    CHECK_INT(api_json_int(r.json, "counts.unpaid", -1), (owed > 0) + 1);
    CHECK_INT(api_json_int(r.json, "counts.starting_soon", -1), 1);
    CHECK_INT(api_json_int(r.json, "counts.documents_missing", -1), 1);
    api_free(&r);

    /* Staff see any coach's; the coach sees the students' applications, and may not act on them. */
    snprintf(path, sizeof(path), "/api/v1/coach/dashboard?coach_id=%s", coach.id);
    world_call(&r, &W.staff, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    CHECK_INT(api_json_int(r.json, "counts.students", -1), 2);
    api_free(&r);
    world_callf(&r, &coach, "GET", NULL, "/api/v1/applications/%s", a1);
    CHECK_INT(r.status, 200);
    api_free(&r);
    world_callf(&r, &coach, "POST", "{}", "/api/v1/applications/%s/%s", a1, "clear");
    CHECK_INT(r.status, 409);
    api_free(&r);
    CHECK_STR(steps_status(W.db, a1), "booked");
    world_call(&r, &coach, "GET", "/api/v1/applications", NULL);
    CHECK_CONTAINS(r.body, a1);
    CHECK_CONTAINS(r.body, a2);
    api_free(&r);

    /* Another coach, a student, a host, anonymous: their own dashboard or nothing. */
    world_call(&r, &stranger, "GET", path, NULL);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    world_call(&r, &stranger, "GET", "/api/v1/coach/dashboard", NULL);
    CHECK_INT(r.status, 200);
    CHECK(dashboard_row(r.json, s1.id) == NULL);
    api_free(&r);
    world_callf(&r, &stranger, "GET", NULL, "/api/v1/applications/%s", a1);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    const struct user *nobody[] = {&s1, &W.coord_a, &W.precep_a};
    for (size_t i = 0; i < 3; i++) {
        world_call(&r, nobody[i], "GET", "/api/v1/coach/dashboard", NULL);
        CHECK_PROBLEM(&r, 404, "not_found", NULL);
        api_free(&r);
    }
    world_call(&r, NULL, "GET", "/api/v1/coach/dashboard", NULL);
    CHECK_INT(r.status, 401);
    api_free(&r);
    world_call(&r, &W.staff, "GET", "/api/v1/coach/dashboard?coach_id=bad%20id", NULL);
    CHECK_PROBLEM(&r, 400, "invalid_parameter", "coach_id");
    api_free(&r);
    world_call(&r, &coach, "GET", "/api/v1/coach/dashboard?other=1", NULL);
    CHECK_PROBLEM(&r, 400, "unknown_parameter", "other");
    api_free(&r);
    world_call(&r, &coach, "GET", "/api/v1/coaches", NULL);
    CHECK_PROBLEM(&r, 403, "forbidden", NULL);
    api_free(&r);
}

/* ---- the hours log ---- */

static long log_day(struct api_response *r, const struct user *u, const char *app, const char *date, double hours,
                    const char *setting)
{
    char *body = json_text(json_pack("{s:s,s:f,s:s,s:s,s:i}", "date", date, "hours", hours, "setting", setting,
                                     "activities", "Admitted two patients, presented on rounds.", "patients_seen", 6));
    long status = world_callf(r, u, "POST", body, "/api/v1/applications/%s/hours", app);
    free(body);
    return status;
}

static bool log_ok(const struct user *u, const char *app, const char *date, double hours, char *id_out)
{
    struct api_response r;
    log_day(&r, u, app, date, hours, "inpatient");
    bool ok = r.status == 201;
    if (!ok)
        TEST_FAILF("logging %s answered %ld: %.300s", date, r.status, r.body);
    else if (id_out != NULL)
        snprintf(id_out, 64, "%s", api_json_str(r.json, "id"));
    api_free(&r);
    return ok;
}

static long long entries_of(const char *app)
{
    return api_db_int(W.db, "SELECT COUNT(*) FROM hours_entries WHERE application_id = $1", app, NULL);
}

TEST(the_student_logs_days_and_bad_days_are_refused)
{
    struct user s;
    char app[64], d0[11], d1[11], d5[11], before[11], after_end[11], future[11];
    if (!register_student(&s, "hours") || !world_in_progress(&W, &s, NULL, 2, 20, 5, app))
        return;
    world_date(2, d0);
    world_date(3, d1);
    world_date(7, d5);
    world_date(1, before);
    world_date(23, after_end);
    world_date(8, future);
    char e0[64];
    CHECK(log_ok(&s, app, d0, 8, e0));
    struct api_response r;
    log_day(&r, &s, app, d1, 7.5, "outpatient");
    CHECK_INT(r.status, 201);
    CHECK_STR(api_json_str(r.json, "state"), "logged");
    CHECK(json_real_value(api_json_get(r.json, "hours")) == 7.5);
    api_free(&r);
    long long n = entries_of(app);
    /* Every refusal names the field and changes nothing. */
    log_day(&r, &s, app, before, 8, "inpatient");
    CHECK_PROBLEM(&r, 422, "unprocessable", "date");
    api_free(&r);
    log_day(&r, &s, app, after_end, 8, "inpatient");
    CHECK_PROBLEM(&r, 422, "unprocessable", "date");
    api_free(&r);
    log_day(&r, &s, app, future, 8, "inpatient");
    CHECK_PROBLEM(&r, 422, "unprocessable", "date");
    api_free(&r);
    log_day(&r, &s, app, d5, 24.25, "inpatient");
    CHECK_PROBLEM(&r, 422, "unprocessable", "hours");
    api_free(&r);
    log_day(&r, &s, app, d0, 4, "inpatient");
    CHECK_PROBLEM(&r, 409, "conflict", "date");
    api_free(&r);
    /* The day already logged on another rotation of the student. */
    char other[64];
    if (world_rotation(&W, &s, W.offering_b, 90, 10, "offered", other)) {
        struct db_stmt *st = db_prepare(W.db, "INSERT INTO hours_entries (id, application_id, student_id, day, minutes,"
                                              " setting, state, created_at, updated_at)"
                                              " VALUES ($1, $2, $3, $4, 60, 'research', 'logged', 0, 0)");
        char id[48];
        crypto_random_id("h_", id, sizeof(id));
        db_bind_text(st, 1, id);
        db_bind_text(st, 2, other);
        db_bind_text(st, 3, s.id);
        db_bind_text(st, 4, d5);
        CHECK_INT(db_step(st), DB_DONE);
        db_reset(st);
        log_day(&r, &s, app, d5, 8, "inpatient");
        CHECK_PROBLEM(&r, 422, "unprocessable", "date");
        api_free(&r);
    }
    static const struct {
        const char *body, *field;
    } bad[] = {
        {"{\"hours\":8,\"setting\":\"inpatient\"}", "date"},
        {"{\"date\":\"2026-02-30\",\"hours\":8,\"setting\":\"inpatient\"}", "date"},
        {"{\"date\":\"%s\",\"hours\":8.1,\"setting\":\"inpatient\"}", "hours"},
        {"{\"date\":\"%s\",\"hours\":8.125,\"setting\":\"inpatient\"}", "hours"},
        {"{\"date\":\"%s\",\"hours\":0,\"setting\":\"inpatient\"}", "hours"},
        {"{\"date\":\"%s\",\"hours\":-3,\"setting\":\"inpatient\"}", "hours"},
        {"{\"date\":\"%s\",\"hours\":\"8\",\"setting\":\"inpatient\"}", "hours"},
        {"{\"date\":\"%s\",\"hours\":8,\"setting\":\"surgery\"}", "setting"},
        {"{\"date\":\"%s\",\"hours\":8,\"setting\":\"inpatient\",\"patients_seen\":501}", "patients_seen"},
        {"{\"date\":\"%s\",\"hours\":8,\"setting\":\"inpatient\",\"activities\":\"a\\u0007b\"}", "activities"},
        {"{\"date\":\"%s\",\"hours\":8,\"setting\":\"inpatient\",\"extra\":true}", "extra"},
    };
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/applications/%s/hours", app);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char body[300];
        const char *at = strstr(bad[i].body, "%s");
        if (at != NULL)
            snprintf(body, sizeof(body), "%.*s%s%s", (int)(at - bad[i].body), bad[i].body, d5, at + 2);
        else
            snprintf(body, sizeof(body), "%s", bad[i].body);
        world_call(&r, &s, "POST", path, body);
        CHECK_INT(r.status, 400);
        if (r.status != 400)
            printf("  body %s answered %.200s\n", body, r.body);
        CHECK_STR(api_json_str(r.json, "field"), bad[i].field);
        api_free(&r);
    }
    /* Too long an activities text: 400 naming it; too big a body: 413. */
    char *longtext = malloc((HOURS_ACTIVITIES_MAX_CHARS + 1) + 1);
    memset(longtext, 'a', (HOURS_ACTIVITIES_MAX_CHARS + 1));
    longtext[(HOURS_ACTIVITIES_MAX_CHARS + 1)] = '\0';
    char *body = json_text(json_pack("{s:s,s:i,s:s,s:s}", "date", d5, "hours", 8, "setting", "inpatient", "activities",
                                     longtext));
    world_call(&r, &s, "POST", path, body);
    CHECK_PROBLEM(&r, 400, "validation_failed", "activities");
    api_free(&r);
    free(body);
    free(longtext);
    CHECK_INT(entries_of(app), n);
    /* Someone else: the host's coordinator sees the rotation (403), others do not (404), anonymous 401. */
    log_day(&r, &W.coord_a, app, d5, 8, "inpatient");
    CHECK_PROBLEM(&r, 403, "forbidden", NULL);
    api_free(&r);
    const struct user *others[] = {&W.coord_b, &W.precep_b};
    for (size_t i = 0; i < 2; i++) {
        log_day(&r, others[i], app, d5, 8, "inpatient");
        CHECK_PROBLEM(&r, 404, "not_found", NULL);
        api_free(&r);
    }
    log_day(&r, NULL, app, d5, 8, "inpatient");
    CHECK_INT(r.status, 401);
    api_free(&r);
    CHECK_INT(entries_of(app), n);
    (void)e0;
    hooks_set_clock(0);
}

TEST(the_preceptor_reviews_and_only_confirmed_hours_count)
{
    struct user s;
    char app[64], days[7][11], ids[7][64];
    if (!register_student(&s, "review") || !world_in_progress(&W, &s, NULL, 2, 20, 8, app))
        return;
    for (int i = 0; i < 7; i++) {
        world_date(2 + i, days[i]);
        if (!log_ok(&s, app, days[i], 8, ids[i]))
            return;
    }
    struct api_response r;
    /* The student edits a waiting day. */
    char *body = json_text(json_pack("{s:s,s:f,s:s}", "date", days[0], "hours", 6.75, "setting", "outpatient"));
    world_callf(&r, &s, "PATCH", body, "/api/v1/hours/%s", ids[0]);
    free(body);
    CHECK_INT(r.status, 200);
    CHECK(json_real_value(api_json_get(r.json, "hours")) == 6.75);
    api_free(&r);
    /* Confirm, ask for a change (a note is required), refuse. */
    world_callf(&r, &W.precep_a, "POST", "{}", "/api/v1/hours/%s/%s", ids[0], "confirm");
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "state"), "confirmed");
    api_free(&r);
    world_callf(&r, &W.precep_a, "POST", "{}", "/api/v1/hours/%s/%s", ids[1], "request_change");
    CHECK_PROBLEM(&r, 400, "validation_failed", "note");
    api_free(&r);
    world_callf(&r, &W.precep_a, "POST", "{\"note\":\"You left at noon that day.\"}", "/api/v1/hours/%s/%s", ids[1],
                "request_change");
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "state"), "change_requested");
    CHECK_STR(api_json_str(r.json, "review_note"), "You left at noon that day.");
    api_free(&r);
    world_callf(&r, &W.precep_a, "POST", "{\"note\":\"Not on my service.\"}", "/api/v1/hours/%s/%s", ids[2], "refuse");
    CHECK_STR(api_json_str(r.json, "state"), "refused");
    api_free(&r);
    /* Reviewed entries do not move again; the confirmed one is no longer editable. */
    world_callf(&r, &W.precep_a, "POST", "{}", "/api/v1/hours/%s/%s", ids[0], "refuse");
    CHECK_PROBLEM(&r, 409, "conflict", NULL);
    api_free(&r);
    body = json_text(json_pack("{s:s,s:i,s:s}", "date", days[0], "hours", 9, "setting", "outpatient"));
    world_callf(&r, &s, "PATCH", body, "/api/v1/hours/%s", ids[0]);
    CHECK_PROBLEM(&r, 409, "conflict", NULL);
    api_free(&r);
    free(body);
    /* Who may review: the student (403), another host and preceptor (404), an unknown action (404). */
    world_callf(&r, &s, "POST", "{}", "/api/v1/hours/%s/%s", ids[3], "confirm");
    CHECK_PROBLEM(&r, 403, "forbidden", NULL);
    api_free(&r);
    world_callf(&r, &W.coord_b, "POST", "{}", "/api/v1/hours/%s/%s", ids[3], "confirm");
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    world_callf(&r, &W.precep_b, "POST", "{}", "/api/v1/hours/%s/%s", ids[3], "confirm");
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    world_callf(&r, &W.precep_a, "POST", "{}", "/api/v1/hours/%s/%s", ids[3], "approve");
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    world_callf(&r, &W.precep_a, "POST", "{}", "/api/v1/hours/%s/%s", "h_nothing", "confirm");
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    /* The week at once confirms the days still waiting (3 … 6). */
    char week[64];
    snprintf(week, sizeof(week), "{\"week_start\":\"%s\"}", days[0]);
    world_callf(&r, &W.precep_b, "POST", week, "/api/v1/applications/%s/hours/confirm-week", app);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    world_callf(&r, &W.precep_a, "POST", "{\"week_start\":\"soon\"}", "/api/v1/applications/%s/hours/confirm-week",
                app);
    CHECK_PROBLEM(&r, 400, "validation_failed", "week_start");
    api_free(&r);
    world_callf(&r, &W.precep_a, "POST", week, "/api/v1/applications/%s/hours/confirm-week", app);
    CHECK_INT(r.status, 200);
    CHECK_INT(api_json_int(r.json, "confirmed", -1), 4);
    /* 6.75 + 4 × 8 = 38.75 confirmed; the changed and refused days do not count. */
    CHECK(json_real_value(api_json_get(r.json, "log.totals.confirmed_hours")) == 38.75);
    CHECK(json_real_value(api_json_get(r.json, "log.totals.confirmed_by_setting.outpatient")) == 6.75);
    api_free(&r);
    /* Readiness: 38.75 h of a 40-hour week is not a week yet. */
    world_call(&r, &s, "GET", "/api/v1/me/readiness", NULL);
    CHECK_INT(api_json_int(r.json, "usce_weeks.hands_on", -1), 0);
    api_free(&r);
    /* The student fixes the day sent back; confirmed, the week is complete: 1 week of hands-on experience. */
    body = json_text(json_pack("{s:s,s:i,s:s}", "date", days[1], "hours", 4, "setting", "inpatient"));
    world_callf(&r, &s, "PATCH", body, "/api/v1/hours/%s", ids[1]);
    CHECK_STR(api_json_str(r.json, "state"), "logged");
    api_free(&r);
    free(body);
    world_callf(&r, &W.precep_a, "POST", "{}", "/api/v1/hours/%s/%s", ids[1], "confirm");
    CHECK_INT(r.status, 200);
    api_free(&r);
    world_call(&r, &s, "GET", "/api/v1/me/readiness", NULL);
    CHECK_INT(api_json_int(r.json, "usce_weeks.hands_on", -1), 1);
    CHECK_INT(api_json_int(r.json, "usce_weeks.planned", -1), 3);
    api_free(&r);
    /* The log as the coach and the host see it; audited. */
    world_callf(&r, &W.coord_a, "GET", NULL, "/api/v1/applications/%s/hours", app);
    CHECK_INT(r.status, 200);
    CHECK_INT((long long)json_array_size(api_json_get(r.json, "items")), 7);
    api_free(&r);
    world_callf(&r, &W.coord_b, "GET", NULL, "/api/v1/applications/%s/hours", app);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    CHECK(api_db_int(W.db, "SELECT COUNT(*) FROM audit_events WHERE action = 'hours_reviewed' AND actor_id = $1",
                     W.precep_a.id, NULL) >= 4);
    CHECK(api_db_int(W.db, "SELECT COALESCE(SUM(notice_count), 0) FROM notifications WHERE user_id = $1"
                           " AND kind = 'hours_reviewed'", s.id, NULL) >= 4); /* notices told, grouped or not */
    hooks_set_clock(0);
}

TEST(the_log_is_open_during_and_14_days_after)
{
    struct user s;
    char app[64], d0[11];
    if (!register_student(&s, "window"))
        return;
    hooks_set_clock(0);
    if (!world_rotation(&W, &s, W.offering_a, 2, 10, "cleared", app))
        return;
    world_date(2, d0);
    struct api_response r;
    /* Cleared, not under way yet. */
    hooks_set_clock_noon(2);
    log_day(&r, &s, app, d0, 8, "inpatient");
    CHECK_PROBLEM(&r, 409, "conflict", NULL);
    api_free(&r);
    hooks_run_jobs();
    CHECK_STR(steps_status(W.db, app), "in_progress");
    /* 14 days after the last day (day 12): still open; 15: closed. */
    hooks_set_clock_noon(26);
    log_day(&r, &s, app, d0, 8, "inpatient");
    CHECK_INT(r.status, 201);
    api_free(&r);
    hooks_set_clock_noon(27);
    char d1[11];
    world_date(3, d1);
    log_day(&r, &s, app, d1, 8, "inpatient");
    CHECK_PROBLEM(&r, 409, "conflict", NULL);
    api_free(&r);
    hooks_set_clock(0);
}

/* ---- the calendar ---- */

static long long events_of(const char *app, const char *action)
{
    return api_db_int(W.db, "SELECT COUNT(*) FROM application_events WHERE application_id = $1 AND action = $2", app,
                      action);
}

TEST(the_calendar_starts_and_completes_rotations)
{
    struct user s, late;
    char app[64], late_app[64], d[11];
    hooks_set_clock(0);
    if (!register_student(&s, "cal") || !register_student(&late, "uncleared") ||
        !world_rotation(&W, &s, W.offering_a, 2, 6, "cleared", app) ||
        !world_rotation(&W, &late, W.offering_a, 2, 6, "booked", late_app))
        return;
    /* The day before: nothing moves. */
    hooks_set_clock_noon(1);
    hooks_run_jobs();
    CHECK_STR(steps_status(W.db, app), "cleared");
    /* The first day: cleared starts; booked (not cleared) does not, and alerts its coach and host once. */
    hooks_set_clock_noon(2);
    hooks_run_jobs();
    hooks_run_jobs();
    CHECK_STR(steps_status(W.db, app), "in_progress");
    CHECK_INT(events_of(app, "start"), 1);
    char *role = api_db_text(W.db, "SELECT actor_role FROM application_events WHERE application_id = $1 AND"
                                   " action = 'start'", app, NULL, NULL);
    CHECK_STR(role, "system");
    free(role);
    CHECK_STR(steps_status(W.db, late_app), "booked");
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM rotation_notices WHERE application_id = $1"
                               " AND kind = 'not_cleared_at_start'", late_app, NULL),
              1);
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = 'not_cleared_at_start'",
                         W.coord_a.id, NULL) >= 1,
              1);
    /* The alert names the first day in words ("started on Jan 6, 2027"), as the pages do. */
    char first_day[11], first_words[CLOCK_DATE_WORDS_SIZE], started[200];
    world_date(2, first_day);
    snprintf(started, sizeof(started), "%s's rotation %% started on %s, but %%", late.name,
             clock_date_words(first_day, first_words));
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND title LIKE $2",
                         W.coord_a.id, started),
              1);
    char *coach = api_db_text(W.db, "SELECT coach_id FROM coach_assignments WHERE student_id = $1", late.id, NULL, NULL);
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM notifications n JOIN rotation_notices r ON r.application_id = $2"
                               " WHERE n.user_id = $1 AND n.kind = 'not_cleared_at_start'", coach, late_app) >= 1,
              1);
    free(coach);
    /* On the last day (day 8) three days are logged and two confirmed. After it the preceptor is reminded,
     * and the rotation stays in progress while a day waits. */
    hooks_set_clock_noon(8);
    char ids[3][64];
    for (int i = 0; i < 3; i++) {
        world_date(2 + i, d);
        if (!log_ok(&s, app, d, 8, ids[i]))
            return;
    }
    struct api_response r;
    for (int i = 0; i < 2; i++) {
        world_callf(&r, &W.precep_a, "POST", "{}", "/api/v1/hours/%s/%s", ids[i], "confirm");
        api_free(&r);
    }
    hooks_run_jobs();
    CHECK_STR(steps_status(W.db, app), "in_progress");
    hooks_set_clock_noon(9);
    hooks_run_jobs();
    CHECK_STR(steps_status(W.db, app), "in_progress");
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = 'hours_to_confirm'",
                         W.precep_a.id, NULL) >= 1,
              1);
    CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM rotation_notices WHERE application_id = $1"
                               " AND kind = 'hours_to_confirm'", app, NULL),
              1);
    /* The last waiting day confirmed: completed by the calendar, once. */
    world_callf(&r, &W.precep_a, "POST", "{}", "/api/v1/hours/%s/%s", ids[2], "confirm");
    api_free(&r);
    hooks_run_jobs();
    hooks_run_jobs();
    CHECK_STR(steps_status(W.db, app), "completed");
    CHECK_INT(events_of(app, "complete"), 1);
    hooks_set_clock(0);
}

TEST(staff_close_a_rotation_without_confirmed_hours)
{
    struct user s;
    char app[64];
    if (!register_student(&s, "close") || !world_in_progress(&W, &s, NULL, 2, 5, 1, app))
        return;
    hooks_set_clock_noon(12);
    hooks_run_jobs();
    CHECK_STR(steps_status(W.db, app), "in_progress"); /* no hours confirmed */
    CHECK(steps_act(&W.staff, app, "complete"));
    CHECK_STR(steps_status(W.db, app), "completed");
    hooks_set_clock(0);
}

/* Two instances on one database, both running the calendar at the same moment. */
static struct api_server second;

struct jobs_thread {
    struct api_server *srv;
    long status;
};

static void *jobs_on(void *p)
{
    struct jobs_thread *t = p;
    struct api_raw_request rq = {.method = "POST", .path = "/api/v1/test/jobs", .body = "{}", .body_len = 2};
    struct api_response r;
    api_send_to(t->srv, &r, &rq);
    t->status = r.status;
    api_free(&r);
    return NULL;
}

TEST(the_calendar_moves_each_rotation_once_across_two_instances)
{
    struct user students[6];
    char apps[6][64];
    hooks_set_clock(0);
    for (int i = 0; i < 6; i++)
        if (!register_student(&students[i], "twice") ||
            !world_rotation(&W, &students[i], i % 2 ? W.offering_a : W.offering_b, 2, 6, i < 3 ? "cleared" : "booked",
                            apps[i]))
            return;
    /* The second instance shares the database (and the clock's offset is set on both). */
    static const char *const flags[] = {"--test-hooks", "1", "--jobs-interval-ms", "0", NULL};
    bool started = api_server_start_beside(&second, &server, flags);
    CHECK(started);
    if (!started)
        return;
    api_use(&second);
    hooks_set_clock_noon(2);
    api_use(&server);
    hooks_set_clock_noon(2);
    pthread_t threads[8];
    struct jobs_thread ctx[8];
    for (int i = 0; i < 8; i++) {
        ctx[i] = (struct jobs_thread){i % 2 ? &second : &server, 0};
        pthread_create(&threads[i], NULL, jobs_on, &ctx[i]);
    }
    for (int i = 0; i < 8; i++) {
        pthread_join(threads[i], NULL);
        CHECK_INT(ctx[i].status, 200);
    }
    for (int i = 0; i < 6; i++) {
        CHECK_STR(steps_status(W.db, apps[i]), i < 3 ? "in_progress" : "booked");
        CHECK_INT(events_of(apps[i], "start"), i < 3 ? 1 : 0);
        /* The booked ones were alerted once; the started ones prompted to check in once (test_api_support.c). */
        CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM rotation_notices WHERE application_id = $1"
                                   " AND kind = 'not_cleared_at_start'", apps[i], NULL),
                  i < 3 ? 0 : 1);
        CHECK_INT(api_db_int(W.db, "SELECT COUNT(*) FROM rotation_notices WHERE application_id = $1"
                                   " AND kind LIKE 'check_in:%'", apps[i], NULL),
                  i < 3 ? 1 : 0);
    }
    api_use(&second);
    hooks_set_clock(0);
    CHECK_INT(api_server_stop(&second), 0);
    api_server_cleanup(&second);
    api_use(&server);
    hooks_set_clock(0);
}

/* What the tests need, once the suite's server is up. */
static bool setup(void)
{
    return world_setup(&W, &server, "rot");
}

static void run_tests(void)
{
    API_RUN(coach_role_from_the_cli_and_the_api);
    API_RUN(booking_assigns_the_coach_with_the_fewest_active_students);
    API_RUN(staff_reassign_a_student);
    API_RUN(the_coach_dashboard);
    API_RUN(the_coach_dashboard_counts_the_checklist_until_the_rotation_ends);
    API_RUN(the_student_logs_days_and_bad_days_are_refused);
    API_RUN(the_preceptor_reviews_and_only_confirmed_hours_count);
    API_RUN(the_log_is_open_during_and_14_days_after);
    API_RUN(the_calendar_starts_and_completes_rotations);
    API_RUN(staff_close_a_rotation_without_confirmed_hours);
    API_RUN(the_calendar_moves_each_rotation_once_across_two_instances);
}

static void finish(void)
{
    hooks_set_clock(0);
    db_close(W.db);
}

int main(void)
{
    static const char *const flags[] = {"--test-hooks", "1", "--jobs-interval-ms", "0", "--session-idle-minutes",
                                        "43200", "--session-absolute-hours", "8760", NULL};
    static const struct api_suite suite = {
        .name = "api-rotation", .server = &server, .flags = flags, .setup = setup,
        .setup_what = "setting up the world", .run = run_tests, .finish = finish};
    return api_suite_main(&suite);
}
