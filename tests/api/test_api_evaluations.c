/* test_api_evaluations.c — after the rotation (issue 15) against the real
 * `rounds serve`: the preceptor's evaluation (once, then only addenda; the
 * student sees it once submitted), its reminders at 3, 7 and 14 days, the
 * student's confidential feedback (hosts see averages over at least 5
 * students only), verified reviews (only a completed rotation, once, within
 * 180 days; the host answers once; staff hide with a reason and the author is
 * told), the pages with their error summaries keeping what was typed, the
 * access matrix, and bad input that changes nothing. Runs on SQLite and
 * PostgreSQL (every test makes its own students). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "api_client.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "test.h"

#define PEOPLE_PASSWORD "Amber-Lantern-Orchard-93!"
#include "api_rotation_world.h"
#include "api_suite.h"

static struct api_server server;
static struct world W;
static int next_start = 20;

/* A fresh student whose rotation of offering (its first day `start` days
 * from today, 27 days long) staff started and completed with a reason. */
static bool completed_on(struct user *s, const char *prefix, const char *offering, int start, char *app)
{
    if (!register_student(s, prefix) || !world_rotation(&W, s, offering, start, 27, "cleared", app))
        return false;
    struct api_response r;
    static const char body[] = "{\"override_reason\":\"Set up by the test\"}";
    for (int i = 0; i < 2; i++) {
        world_callf(&r, &W.staff, "POST", body, "/api/v1/applications/%s/%s", app, i == 0 ? "start" : "complete");
        bool ok = r.status == 200;
        if (!ok)
            TEST_FAILF("%s answered %ld: %.300s", i == 0 ? "start" : "complete", r.status, r.body);
        api_free(&r);
        if (!ok)
            return false;
    }
    return strcmp(steps_status(W.db, app), "completed") == 0;
}

static bool completed(struct user *s, const char *prefix, int start, char *app)
{
    return completed_on(s, prefix, W.offering_a, start, app);
}

static bool completed_next(struct user *s, const char *prefix, char *app)
{
    next_start += 30;
    return completed(s, prefix, next_start, app);
}

static long count_of(const char *sql, const char *p1, const char *p2)
{
    return (long)api_db_int(W.db, sql, p1, p2);
}

static const char good_evaluation[] =
    "{\"medical_interviewing\":7,\"physical_examination\":null,\"professionalism\":9,\"clinical_judgement\":6,"
    "\"counselling\":null,\"organisation\":5,\"overall\":7,\"strengths\":\"Thorough histories.\","
    "\"improvements\":\"Present more concisely.\",\"would_write_letter\":true}";

/* A form POST from the user's cookie session, with its CSRF token; the page into *page (freed by the caller). */
static long form_post(const struct user *u, const char *path, const char *fields, char **page)
{
    char form[2048];
    snprintf(form, sizeof(form), "csrf_token=%s&%s", u->csrf, fields);
    const char *headers[] = {u->cookie, "Accept: text/html", "Content-Type: application/x-www-form-urlencoded", NULL};
    struct api_raw_request rq = {"POST", path, headers, form, strlen(form), true};
    struct api_response r;
    long status = api_send(&r, &rq);
    if (page != NULL)
        *page = strdup(r.body != NULL ? r.body : "");
    api_free(&r);
    return status;
}

static long page_get(const struct user *u, const char *path, char **page)
{
    const char *headers[] = {u != NULL ? u->cookie : NULL, "Accept: text/html", NULL};
    struct api_response r;
    long status = api_request(&r, "GET", path, headers, NULL);
    if (page != NULL)
        *page = strdup(r.body != NULL ? r.body : "");
    api_free(&r);
    return status;
}

/* ---- the evaluation ---- */

TEST(the_preceptor_evaluates_once_and_amends_with_addenda)
{
    struct user s;
    char app[64];
    CHECK(completed_next(&s, "evalflow", app));
    struct api_response r;
    /* Before it is submitted, the student finds nothing. */
    world_callf(&r, &s, "GET", NULL, "/api/v1/applications/%s/evaluation", app);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    /* The host's coordinator sees the rotation but does not evaluate; the other host's preceptor sees nothing. */
    world_callf(&r, &W.coord_a, "POST", good_evaluation, "/api/v1/applications/%s/evaluation", app);
    CHECK_PROBLEM(&r, 403, "forbidden", NULL);
    api_free(&r);
    world_callf(&r, &W.precep_b, "POST", good_evaluation, "/api/v1/applications/%s/evaluation", app);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    world_callf(&r, &s, "POST", good_evaluation, "/api/v1/applications/%s/evaluation", app);
    CHECK_PROBLEM(&r, 403, "forbidden", NULL);
    api_free(&r);
    CHECK_INT(count_of("SELECT COUNT(*) FROM evaluations WHERE application_id = $1", app, NULL), 0);
    /* The preceptor submits. */
    world_callf(&r, &W.precep_a, "POST", good_evaluation, "/api/v1/applications/%s/evaluation", app);
    CHECK_INT(r.status, 201);
    CHECK_INT(api_json_int(r.json, "scores.professionalism", -1), 9);
    CHECK(json_is_null(api_json_get(r.json, "scores.physical_examination")));
    api_free(&r);
    /* The student reads it, and was told. */
    world_callf(&r, &s, "GET", NULL, "/api/v1/applications/%s/evaluation", app);
    CHECK_INT(r.status, 200);
    CHECK_INT(api_json_int(r.json, "scores.overall", -1), 7);
    CHECK(json_is_null(api_json_get(r.json, "scores.counselling")));
    CHECK_STR(api_json_str(r.json, "strengths"), "Thorough histories.");
    CHECK(json_is_true(api_json_get(r.json, "would_write_letter")));
    api_free(&r);
    CHECK_INT(count_of("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = 'evaluation'", s.id, NULL),
              1);
    /* It cannot change. */
    world_callf(&r, &W.precep_a, "POST", good_evaluation, "/api/v1/applications/%s/evaluation", app);
    CHECK_PROBLEM(&r, 409, "already_submitted", NULL);
    api_free(&r);
    /* Only amended, with a dated addendum. */
    world_callf(&r, &W.precep_a, "POST", "{\"body\":\"Also led the team huddle in week 3.\"}",
                "/api/v1/applications/%s/evaluation/addenda", app);
    CHECK_INT(r.status, 201);
    CHECK_STR(api_json_str(json_array_get(api_json_get(r.json, "addenda"), 0), "body"),
              "Also led the team huddle in week 3.");
    CHECK(api_json_str(json_array_get(api_json_get(r.json, "addenda"), 0), "created_at") != NULL);
    CHECK_INT(api_json_int(r.json, "scores.professionalism", -1), 9);
    api_free(&r);
    world_callf(&r, &s, "POST", "{\"body\":\"I disagree\"}", "/api/v1/applications/%s/evaluation/addenda", app);
    CHECK_PROBLEM(&r, 403, "forbidden", NULL);
    api_free(&r);
    CHECK_INT(count_of("SELECT COUNT(*) FROM evaluation_addenda WHERE application_id = $1", app, NULL), 1);
    CHECK_INT(count_of("SELECT COUNT(*) FROM audit_events WHERE action = 'evaluate' AND object_id = $1", app, NULL),
              1);
}

TEST(bad_evaluations_are_refused_and_change_nothing)
{
    struct user s, held;
    char app[64], held_app[64];
    CHECK(completed_next(&s, "evalbad", app));
    CHECK(register_student(&held, "evalheld"));
    next_start += 30;
    CHECK(world_rotation(&W, &held, W.offering_a, next_start, 27, "booked", held_app));
    struct api_response r;
    world_callf(&r, &W.precep_a, "POST", good_evaluation, "/api/v1/applications/%s/evaluation", held_app);
    CHECK_PROBLEM(&r, 409, "rotation_not_completed", NULL);
    api_free(&r);
    static const struct {
        const char *body, *code, *field;
        long status;
    } cases[] = {
        {"{\"medical_interviewing\":0,\"physical_examination\":null,\"professionalism\":9,\"clinical_judgement\":6,"
         "\"counselling\":null,\"organisation\":5,\"overall\":7,\"strengths\":\"a\",\"improvements\":\"b\","
         "\"would_write_letter\":true}",
         "unprocessable", "medical_interviewing", 422},
        {"{\"medical_interviewing\":7,\"physical_examination\":null,\"professionalism\":9,\"clinical_judgement\":6,"
         "\"counselling\":null,\"organisation\":5,\"overall\":10,\"strengths\":\"a\",\"improvements\":\"b\","
         "\"would_write_letter\":true}",
         "unprocessable", "overall", 422},
        {"{\"medical_interviewing\":-1,\"physical_examination\":null,\"professionalism\":9,\"clinical_judgement\":6,"
         "\"counselling\":null,\"organisation\":5,\"overall\":7,\"strengths\":\"a\",\"improvements\":\"b\","
         "\"would_write_letter\":true}",
         "unprocessable", "medical_interviewing", 422},
        {"{\"medical_interviewing\":null,\"physical_examination\":null,\"professionalism\":null,"
         "\"clinical_judgement\":null,\"counselling\":null,\"organisation\":null,\"overall\":null,"
         "\"strengths\":\"a\",\"improvements\":\"b\",\"would_write_letter\":false}",
         "unprocessable", "overall", 422},
        {"{\"medical_interviewing\":7,\"physical_examination\":null,\"professionalism\":9,\"clinical_judgement\":6,"
         "\"counselling\":null,\"organisation\":5,\"overall\":7,\"strengths\":\"\",\"improvements\":\"b\","
         "\"would_write_letter\":true}",
         "validation_failed", "strengths", 400},
        {"{\"medical_interviewing\":\"7\",\"physical_examination\":null,\"professionalism\":9,"
         "\"clinical_judgement\":6,\"counselling\":null,\"organisation\":5,\"overall\":7,\"strengths\":\"a\","
         "\"improvements\":\"b\",\"would_write_letter\":true}",
         "validation_failed", "medical_interviewing", 400},
        {"{\"medical_interviewing\":7,\"physical_examination\":null,\"professionalism\":9,\"clinical_judgement\":6,"
         "\"counselling\":null,\"organisation\":5,\"overall\":7,\"strengths\":\"a\",\"improvements\":\"b\"}",
         "validation_failed", "would_write_letter", 400},
        {"{\"medical_interviewing\":7,\"physical_examination\":null,\"professionalism\":9,\"clinical_judgement\":6,"
         "\"counselling\":null,\"organisation\":5,\"overall\":7,\"strengths\":\"a\",\"improvements\":\"b\","
         "\"would_write_letter\":true,\"grade\":\"A\"}",
         "unknown_field", "grade", 400},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        world_callf(&r, &W.precep_a, "POST", cases[i].body, "/api/v1/applications/%s/evaluation", app);
        CHECK_PROBLEM(&r, cases[i].status, cases[i].code, cases[i].field);
        api_free(&r);
    }
    world_callf(&r, &W.precep_a, "POST", "not json", "/api/v1/applications/%s/evaluation", app);
    CHECK_INT(r.status, 400);
    api_free(&r);
    world_callf(&r, &W.precep_a, "POST", good_evaluation, "/api/v1/applications/%s/evaluation", "app_no_such");
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    world_callf(&r, NULL, "POST", good_evaluation, "/api/v1/applications/%s/evaluation", app);
    CHECK_INT(r.status, 401);
    api_free(&r);
    world_callf(&r, &W.precep_a, "POST", "{\"body\":\"too early\"}", "/api/v1/applications/%s/evaluation/addenda", app);
    CHECK_PROBLEM(&r, 409, "conflict", NULL);
    api_free(&r);
    CHECK_INT(count_of("SELECT COUNT(*) FROM evaluations WHERE application_id IN ($1, $2)", app, held_app), 0);
    CHECK_INT(count_of("SELECT COUNT(*) FROM evaluation_addenda WHERE application_id = $1", app, NULL), 0);
}

static long reminders_of(const char *app)
{
    char link[128];
    snprintf(link, sizeof(link), "/applications/%s/evaluation", app);
    return count_of("SELECT COUNT(*) FROM notifications WHERE kind = 'evaluation_reminder' AND link = $1", link, NULL);
}

TEST(the_preceptor_is_reminded_at_3_7_and_14_days_until_it_is_done)
{
    struct user s;
    char app[64];
    hooks_set_clock(0);
    CHECK(register_student(&s, "evalremind"));
    CHECK(world_rotation(&W, &s, W.offering_a, 5, 6, "cleared", app)); /* last day: today + 11 */
    hooks_set_clock_noon(12);
    hooks_run_jobs(); /* started by the calendar */
    struct api_response r;
    CHECK(steps_act(&W.staff, app, "complete")); /* staff close it: no hours in the test */
    hooks_run_jobs();
    CHECK_INT(reminders_of(app), 0); /* one day after the last: nothing yet */
    hooks_set_clock_noon(14);
    hooks_run_jobs();
    CHECK_INT(reminders_of(app), 1);
    hooks_run_jobs();
    CHECK_INT(reminders_of(app), 1); /* once */
    hooks_set_clock_noon(18);
    hooks_run_jobs();
    CHECK_INT(reminders_of(app), 2);
    char id_link[128];
    snprintf(id_link, sizeof(id_link), "/applications/%s/evaluation", app);
    CHECK_INT(count_of("SELECT COUNT(*) FROM notifications WHERE kind = 'evaluation_reminder' AND link = $1"
                       " AND user_id = $2",
                       id_link, W.precep_a.id),
              2);
    /* Submitted: no third one at 14 days. */
    world_callf(&r, &W.precep_a, "POST", good_evaluation, "/api/v1/applications/%s/evaluation", app);
    CHECK_INT(r.status, 201);
    api_free(&r);
    hooks_set_clock_noon(26);
    hooks_run_jobs();
    CHECK_INT(reminders_of(app), 2);
    hooks_set_clock(0);
}

/* ---- the student's confidential feedback ---- */

static const char good_feedback[] =
    "{\"teaching\":5,\"supervision\":4,\"feedback\":4,\"environment\":3,\"overall\":4,\"comments\":\"Great team.\"}";

TEST(feedback_is_confidential_and_hosts_see_averages_over_five)
{
    struct user s[5];
    char app[5][64], path[256];
    struct api_response r;
    snprintf(path, sizeof(path), "/api/v1/organizations/%s/feedback?offering=%s", W.org_a, W.offering_a);
    long before = (long)api_db_int(W.db, "SELECT COUNT(*) FROM rotation_feedback WHERE offering_id = $1",
                                   W.offering_a, NULL);
    for (int i = 0; i < 5; i++) {
        char prefix[32];
        snprintf(prefix, sizeof(prefix), "feedback%d", i);
        CHECK(completed_next(&s[i], prefix, app[i]));
    }
    /* Only the student gives it. */
    world_callf(&r, &W.precep_a, "POST", good_feedback, "/api/v1/applications/%s/feedback", app[0]);
    CHECK_PROBLEM(&r, 403, "forbidden", NULL);
    api_free(&r);
    world_callf(&r, &s[0], "POST", "{\"teaching\":6,\"supervision\":4,\"feedback\":4,\"environment\":3,\"overall\":4}",
                "/api/v1/applications/%s/feedback", app[0]);
    CHECK_PROBLEM(&r, 422, "unprocessable", "teaching");
    api_free(&r);
    world_callf(&r, &s[0], "POST", "{\"teaching\":5,\"supervision\":4,\"feedback\":4,\"environment\":0,\"overall\":4}",
                "/api/v1/applications/%s/feedback", app[0]);
    CHECK_PROBLEM(&r, 422, "unprocessable", "environment");
    api_free(&r);
    world_callf(&r, &s[0], "POST", "{\"teaching\":5}", "/api/v1/applications/%s/feedback", app[0]);
    CHECK_INT(r.status, 400);
    api_free(&r);
    CHECK_INT(count_of("SELECT COUNT(*) FROM rotation_feedback WHERE application_id = $1", app[0], NULL), 0);
    for (int i = 0; i < 4; i++) {
        world_callf(&r, &s[i], "POST", good_feedback, "/api/v1/applications/%s/feedback", app[i]);
        CHECK_INT(r.status, 201);
        api_free(&r);
    }
    world_callf(&r, &s[0], "POST", good_feedback, "/api/v1/applications/%s/feedback", app[0]);
    CHECK_PROBLEM(&r, 409, "already_submitted", NULL);
    api_free(&r);
    /* Under five students the host sees nothing (a fresh database has 4 here). */
    if (before == 0) {
        world_call(&r, &W.coord_a, "GET", path, NULL);
        CHECK_INT(r.status, 200);
        CHECK(json_is_false(api_json_get(r.json, "shown")));
        CHECK(api_json_get(r.json, "averages") == NULL);
        api_free(&r);
    }
    world_callf(&r, &s[4], "POST",
                "{\"teaching\":3,\"supervision\":4,\"feedback\":4,\"environment\":3,\"overall\":2}",
                "/api/v1/applications/%s/feedback", app[4]);
    CHECK_INT(r.status, 201);
    api_free(&r);
    world_call(&r, &W.coord_a, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    CHECK(json_is_true(api_json_get(r.json, "shown")));
    if (before == 0) {
        CHECK_INT(api_json_int(r.json, "students", -1), 5);
        /* overall: 4,4,4,4,2 → 3.6; teaching: 5,5,5,5,3 → 4.6 */
        CHECK(json_real_value(api_json_get(r.json, "averages.overall")) > 3.59 &&
              json_real_value(api_json_get(r.json, "averages.overall")) < 3.61);
        CHECK(json_real_value(api_json_get(r.json, "averages.teaching")) > 4.59);
    }
    CHECK(strstr(r.body, "Great team") == NULL); /* comments never reach the host */
    api_free(&r);
    /* Another host, the preceptor, a student: 404. */
    world_call(&r, &W.coord_b, "GET", path, NULL);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    world_call(&r, &s[1], "GET", path, NULL);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    snprintf(path, sizeof(path), "/api/v1/organizations/%s/feedback?bogus=1", W.org_a);
    world_call(&r, &W.coord_a, "GET", path, NULL);
    CHECK_INT(r.status, 400);
    api_free(&r);
}

/* ---- reviews ---- */

static const char good_review[] =
    "{\"teaching\":5,\"hands_on\":4,\"organisation\":4,\"value_for_money\":3,\"overall\":4,"
    "\"body\":\"Real responsibility on the wards; the preceptor taught every day.\","
    "\"publish_as\":\"first_name_and_country\"}";

TEST(only_a_completed_rotation_is_reviewed_once_and_it_shows)
{
    struct user s, held;
    char app[64], held_app[64], path[200];
    CHECK(completed_next(&s, "reviewer", app));
    struct api_response r;
    CHECK(world_call(&r, &s, "PATCH", "/api/v1/me", "{\"country\":\"Nigeria\"}") == 200);
    api_free(&r);
    CHECK(register_student(&held, "reviewheld"));
    next_start += 30;
    CHECK(world_rotation(&W, &held, W.offering_a, next_start, 27, "booked", held_app));
    /* Not completed: 403; someone else's: 404; the host: 403. */
    world_callf(&r, &held, "POST", good_review, "/api/v1/applications/%s/rotation-review", held_app);
    CHECK_PROBLEM(&r, 403, "forbidden", NULL);
    api_free(&r);
    world_callf(&r, &held, "POST", good_review, "/api/v1/applications/%s/rotation-review", app);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    world_callf(&r, &W.coord_a, "POST", good_review, "/api/v1/applications/%s/rotation-review", app);
    CHECK_PROBLEM(&r, 403, "forbidden", NULL);
    api_free(&r);
    world_callf(&r, &s, "POST",
                "{\"teaching\":5,\"hands_on\":6,\"organisation\":4,\"value_for_money\":3,\"overall\":4,\"body\":\"x\"}",
                "/api/v1/applications/%s/rotation-review", app);
    CHECK_PROBLEM(&r, 422, "unprocessable", "hands_on");
    api_free(&r);
    world_callf(&r, &s, "POST",
                "{\"teaching\":5,\"hands_on\":4,\"organisation\":4,\"value_for_money\":3,\"overall\":4,\"body\":\"x\","
                "\"publish_as\":\"nickname\"}",
                "/api/v1/applications/%s/rotation-review", app);
    CHECK_PROBLEM(&r, 400, "validation_failed", "publish_as");
    api_free(&r);
    CHECK_INT(count_of("SELECT COUNT(*) FROM reviews WHERE application_id IN ($1, $2)", app, held_app), 0);
    /* The student reviews: first name and country. */
    world_callf(&r, &s, "POST", good_review, "/api/v1/applications/%s/rotation-review", app);
    CHECK_INT(r.status, 201);
    CHECK_STR(api_json_str(r.json, "author"), "Student (Nigeria)");
    CHECK(json_is_true(api_json_get(r.json, "verified_rotation")));
    char review_id[64];
    snprintf(review_id, sizeof(review_id), "%s", api_json_str(r.json, "id") != NULL ? api_json_str(r.json, "id") : "");
    api_free(&r);
    world_callf(&r, &s, "POST", good_review, "/api/v1/applications/%s/rotation-review", app);
    CHECK_PROBLEM(&r, 409, "already_submitted", NULL);
    api_free(&r);
    /* On the offering: newest first, with the average and the count; and on its page for a visitor. */
    snprintf(path, sizeof(path), "/api/v1/offerings/%s/reviews", W.offering_a);
    world_call(&r, NULL, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    CHECK(api_json_int(r.json, "count", 0) >= 1);
    CHECK_STR(api_json_str(json_array_get(api_json_get(r.json, "items"), 0), "id"), review_id);
    api_free(&r);
    char *html = NULL;
    snprintf(path, sizeof(path), "/offerings/%s", W.offering_a);
    CHECK_INT(page_get(NULL, path, &html), 200);
    CHECK_CONTAINS(html, "Real responsibility on the wards");
    CHECK_CONTAINS(html, "Verified rotation");
    free(html);
    /* The host answers once; the other host may not. */
    snprintf(path, sizeof(path), "/api/v1/reviews/%s/reply", review_id);
    world_call(&r, &W.coord_b, "POST", path, "{\"reply\":\"Not ours\"}");
    CHECK_PROBLEM(&r, 403, "forbidden", NULL);
    api_free(&r);
    world_call(&r, &W.coord_a, "POST", path, "{\"reply\":\"Thank you, come back for a sub-internship.\"}");
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "reply.body"), "Thank you, come back for a sub-internship.");
    api_free(&r);
    world_call(&r, &W.coord_a, "POST", path, "{\"reply\":\"Again\"}");
    CHECK_PROBLEM(&r, 409, "already_submitted", NULL);
    api_free(&r);
    world_call(&r, &W.coord_a, "POST", "/api/v1/reviews/rev_no_such/reply", "{\"reply\":\"x\"}");
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    /* Staff hide it with a reason: gone from the page, the author told, audited. */
    snprintf(path, sizeof(path), "/api/v1/reviews/%s/hide", review_id);
    world_call(&r, &W.coord_a, "POST", path, "{\"reason\":\"mine\"}");
    CHECK_PROBLEM(&r, 403, "forbidden", NULL);
    api_free(&r);
    world_call(&r, &W.staff, "POST", path, "{}");
    CHECK_PROBLEM(&r, 400, "validation_failed", "reason");
    api_free(&r);
    world_call(&r, &W.staff, "POST", path, "{\"reason\":\"Names a member of staff\"}");
    CHECK_INT(r.status, 200);
    CHECK(json_is_true(api_json_get(r.json, "hidden")));
    api_free(&r);
    world_call(&r, &W.staff, "POST", path, "{\"reason\":\"Again\"}");
    CHECK_PROBLEM(&r, 409, "conflict", NULL);
    api_free(&r);
    snprintf(path, sizeof(path), "/offerings/%s", W.offering_a);
    CHECK_INT(page_get(NULL, path, &html), 200);
    CHECK(strstr(html, "Real responsibility on the wards") == NULL);
    free(html);
    CHECK_INT(count_of("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = 'review_hidden'", s.id, NULL),
              1);
    CHECK_INT(count_of("SELECT COUNT(*) FROM audit_events WHERE action = 'hide' AND object_id = $1", review_id, NULL),
              1);
    snprintf(path, sizeof(path), "/api/v1/reviews/%s/reply", review_id);
    world_call(&r, &W.coord_a, "POST", path, "{\"reply\":\"x\"}");
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
}

/* The search result of the one offering q finds: its reviews {count, average, verified_rotation}. */
static void search_reviews(const char *q, long long count, const char *average)
{
    struct api_response r;
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/offerings?q=%s&limit=10", q);
    world_call(&r, NULL, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    json_t *items = api_json_get(r.json, "items");
    CHECK_INT((long long)json_array_size(items), 1);
    json_t *reviews = json_object_get(json_array_get(items, 0), "reviews");
    CHECK(json_is_object(reviews));
    CHECK_INT(json_integer_value(json_object_get(reviews, "count")), count);
    json_t *avg = json_object_get(reviews, "average");
    if (average == NULL) {
        CHECK(json_is_null(avg));
        CHECK(json_is_false(json_object_get(reviews, "verified_rotation")));
    } else {
        char text[16];
        snprintf(text, sizeof(text), "%.1f", json_is_number(avg) ? json_number_value(avg) : -1.0);
        CHECK_STR(text, average);
        CHECK(json_is_true(json_object_get(reviews, "verified_rotation")));
    }
    api_free(&r);
}

TEST(search_results_carry_the_review_average_and_count)
{
    char word[64], title[160], offering[64], path[200];
    snprintf(word, sizeof(word), "revsearch%ld", (long)getpid());
    snprintf(title, sizeof(title), "Reviewed Elective %s", word);
    CHECK(world_offering(&W, &W.coord_a, W.org_a, W.site_a, W.prc_a, title, "hands_on", offering));
    struct user s1, s2;
    char app1[64], app2[64];
    /* far from the other tests' dates (next_start), so that their teaching year is not moved */
    CHECK(completed_on(&s1, "searchrev1", offering, 500, app1));
    CHECK(completed_on(&s2, "searchrev2", offering, 530, app2));
    search_reviews(word, 0, NULL);
    char *html = NULL;
    snprintf(path, sizeof(path), "/search?q=%s", word);
    CHECK_INT(page_get(NULL, path, &html), 200);
    CHECK_CONTAINS(html, "No reviews yet");
    free(html);
    /* Two reviews (overall 4 and 5): the search shows 4.5 from 2 at once. */
    struct api_response r;
    world_callf(&r, &s1, "POST", good_review, "/api/v1/applications/%s/rotation-review", app1);
    CHECK_INT(r.status, 201);
    api_free(&r);
    search_reviews(word, 1, "4.0");
    world_callf(&r, &s2, "POST",
                "{\"teaching\":5,\"hands_on\":5,\"organisation\":5,\"value_for_money\":4,\"overall\":5,"
                "\"body\":\"The best month of my year.\"}",
                "/api/v1/applications/%s/rotation-review", app2);
    CHECK_INT(r.status, 201);
    char review_id[64];
    snprintf(review_id, sizeof(review_id), "%s", api_json_str(r.json, "id") != NULL ? api_json_str(r.json, "id") : "");
    api_free(&r);
    search_reviews(word, 2, "4.5");
    CHECK_INT(page_get(NULL, path, &html), 200);
    CHECK_CONTAINS(html, "4.5 of 5</span> from 2 reviews");
    CHECK_CONTAINS(html, "Verified rotation");
    free(html);
    /* Hidden by staff: it no longer counts. */
    snprintf(path, sizeof(path), "/api/v1/reviews/%s/hide", review_id);
    world_call(&r, &W.staff, "POST", path, "{\"reason\":\"Names a patient\"}");
    CHECK_INT(r.status, 200);
    api_free(&r);
    search_reviews(word, 1, "4.0");
    snprintf(path, sizeof(path), "/search?q=%s", word);
    CHECK_INT(page_get(NULL, path, &html), 200);
    CHECK_CONTAINS(html, "4.0 of 5</span> from 1 review");
    free(html);
}

TEST(a_review_comes_within_180_days_of_the_last_day)
{
    struct user s;
    char app[64];
    CHECK(completed(&s, "reviewlate", 1, app)); /* a near block: sessions last a year */
    hooks_set_clock_noon(1 + 27 + 181);
    CHECK(login(&s)); /* a session ends after 30 idle days */
    struct api_response r;
    world_callf(&r, &s, "POST", good_review, "/api/v1/applications/%s/rotation-review", app);
    CHECK_PROBLEM(&r, 422, "unprocessable", NULL);
    CHECK_CONTAINS(r.body, "180 days");
    api_free(&r);
    CHECK_INT(count_of("SELECT COUNT(*) FROM reviews WHERE application_id = $1", app, NULL), 0);
    hooks_set_clock_noon(1 + 27 + 179);
    world_callf(&r, &s, "POST", good_review, "/api/v1/applications/%s/rotation-review", app);
    CHECK_INT(r.status, 201);
    api_free(&r);
    hooks_set_clock(0);
}

/* ---- pages ---- */

TEST(the_pages_keep_what_was_typed_and_link_the_errors)
{
    struct user s;
    char app[64], path[160], *html = NULL;
    CHECK(completed_next(&s, "evalpages", app));
    /* The preceptor's form. */
    snprintf(path, sizeof(path), "/applications/%s/evaluation", app);
    CHECK_INT(page_get(&W.precep_a, path, &html), 200);
    CHECK_CONTAINS(html, "Submit the evaluation");
    CHECK_CONTAINS(html, "Not observed");
    free(html);
    CHECK_INT(page_get(&s, path, &html), 200);
    CHECK_CONTAINS(html, "has not submitted the evaluation yet");
    CHECK(strstr(html, "Submit the evaluation") == NULL);
    free(html);
    CHECK_INT(page_get(&W.coord_b, path, &html), 404);
    free(html);
    /* A score out of range: 422, the summary links the select, the text typed is kept. */
    CHECK_INT(form_post(&W.precep_a, path,
                        "medical_interviewing=12&professionalism=8&overall=7&strengths=Calm+under+pressure"
                        "&improvements=Presentations&would_write_letter=1",
                        &html),
              422);
    CHECK_CONTAINS(html, "href=\"#f-medical_interviewing\"");
    CHECK_CONTAINS(html, "Calm under pressure");
    free(html);
    CHECK_INT(count_of("SELECT COUNT(*) FROM evaluations WHERE application_id = $1", app, NULL), 0);
    CHECK_INT(form_post(&W.precep_a, path,
                        "medical_interviewing=8&physical_examination=not_observed&professionalism=8&overall=7"
                        "&strengths=Calm+under+pressure&improvements=Presentations&would_write_letter=1",
                        NULL),
              303);
    CHECK_INT(page_get(&s, path, &html), 200);
    CHECK_CONTAINS(html, "Calm under pressure");
    CHECK_CONTAINS(html, "Overall clinical competence");
    free(html);
    /* The student's review form. */
    snprintf(path, sizeof(path), "/applications/%s/rotation-review", app);
    CHECK_INT(page_get(&s, path, &html), 200);
    CHECK_CONTAINS(html, "Publish the review");
    CHECK_CONTAINS(html, "confidential");
    free(html);
    CHECK_INT(page_get(&W.precep_a, path, &html), 403);
    free(html);
    CHECK_INT(form_post(&s, path, "teaching=5&hands_on=4&organisation=&value_for_money=3&overall=4"
                                  "&body=Wonderful+clinic&publish_as=full_name",
                        &html),
              422);
    CHECK_CONTAINS(html, "href=\"#f-organisation\"");
    CHECK_CONTAINS(html, "Wonderful clinic");
    free(html);
    CHECK_INT(form_post(&s, path, "teaching=5&hands_on=4&organisation=4&value_for_money=3&overall=4"
                                  "&body=Wonderful+clinic&publish_as=full_name",
                        NULL),
              303);
    snprintf(path, sizeof(path), "/applications/%s/feedback", app);
    CHECK_INT(form_post(&s, path, "fb_teaching=5&fb_supervision=9&fb_feedback=4&fb_environment=4&fb_overall=4"
                                  "&comments=Kind+team",
                        &html),
              422);
    CHECK_CONTAINS(html, "href=\"#f-fb_supervision\"");
    CHECK_CONTAINS(html, "Kind team");
    free(html);
    CHECK_INT(form_post(&s, path, "fb_teaching=5&fb_supervision=4&fb_feedback=4&fb_environment=4&fb_overall=4", NULL),
              303);
    CHECK_INT(count_of("SELECT COUNT(*) FROM rotation_feedback WHERE application_id = $1", app, NULL), 1);
    /* Without the CSRF token nothing happens. */
    const char *headers[] = {s.cookie, "Accept: text/html", "Content-Type: application/x-www-form-urlencoded", NULL};
    struct api_response r;
    snprintf(path, sizeof(path), "/applications/%s/evaluation/addenda", app);
    api_request(&r, "POST", path, headers, "csrf_token=wrong&body=x");
    CHECK_INT(r.status, 403);
    api_free(&r);
    /* The host answers on the review's page. */
    char *review_id = api_db_text(W.db, "SELECT id FROM reviews WHERE application_id = $1", app, NULL, NULL);
    CHECK(review_id != NULL);
    snprintf(path, sizeof(path), "/reviews/%s", review_id != NULL ? review_id : "x");
    CHECK_INT(page_get(&W.coord_a, path, &html), 200);
    CHECK_CONTAINS(html, "Publish the answer");
    free(html);
    snprintf(path, sizeof(path), "/reviews/%s/reply", review_id != NULL ? review_id : "x");
    CHECK_INT(form_post(&W.coord_a, path, "reply=", &html), 400);
    CHECK_CONTAINS(html, "href=\"#f-reply\"");
    free(html);
    CHECK_INT(form_post(&W.coord_a, path, "reply=Thank+you", NULL), 303);
    free(review_id);
}

/* ---- the preceptor's teaching record ---- */

TEST(the_teaching_record_and_its_yearly_certificate)
{
    char today[11], path[200], year_text[12];
    clock_today(today);
    int year = (int)strtol(today, NULL, 10) + 1; /* the suite's rotations end next year: go there */
    char june[24]; /* room for any int year: the compiler cannot know it has 4 digits */
    snprintf(june, sizeof(june), "%04d-06-01", year);
    hooks_set_clock_noon(clock_days_from_date(june) - clock_today_days());
    CHECK(login(&W.precep_a) && login(&W.coord_a)); /* sessions end after 30 idle days */
    struct api_response r;
    snprintf(path, sizeof(path), "/api/v1/me/teaching?year=%d", year);
    world_call(&r, &W.precep_a, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    CHECK(api_json_int(r.json, "students", 0) >= 5);
    CHECK(api_json_int(r.json, "evaluations", 0) >= 2);
    CHECK(api_json_int(r.json, "reviews.count", -1) >= 1);
    CHECK(json_is_false(api_json_get(r.json, "certificate_available")));
    long long students = api_json_int(r.json, "students", 0);
    api_free(&r);
    /* Not a preceptor; a year that is not a year. */
    world_call(&r, &W.coord_a, "GET", path, NULL);
    CHECK_PROBLEM(&r, 403, "forbidden", NULL);
    api_free(&r);
    world_call(&r, &W.precep_a, "GET", "/api/v1/me/teaching?year=19x", NULL);
    CHECK_PROBLEM(&r, 422, "unprocessable", "year");
    api_free(&r);
    world_call(&r, &W.precep_a, "GET", "/api/v1/me/teaching?year=2026&extra=1", NULL);
    CHECK_INT(r.status, 400);
    api_free(&r);
    /* The year is not over: not yet; a year without teaching: nothing to certify. */
    snprintf(year_text, sizeof(year_text), "%d", year);
    char body[64];
    snprintf(body, sizeof(body), "{\"year\":%d}", year);
    world_call(&r, &W.precep_a, "POST", "/api/v1/me/teaching-certificate", body);
    CHECK_PROBLEM(&r, 422, "unprocessable", "year");
    api_free(&r);
    world_call(&r, &W.precep_a, "POST", "/api/v1/me/teaching-certificate", "{\"year\":2001}");
    CHECK_PROBLEM(&r, 409, "conflict", "year");
    api_free(&r);
    world_call(&r, &W.precep_a, "POST", "/api/v1/me/teaching-certificate", "{\"year\":\"2001\"}");
    CHECK_INT(r.status, 400);
    api_free(&r);
    CHECK_INT(count_of("SELECT COUNT(*) FROM certificates WHERE subject_id = $1", W.precep_a.id, NULL), 0);
    /* On January 2 of the year after: issued once, signed, verifiable. */
    char jan2[24];
    snprintf(jan2, sizeof(jan2), "%04d-01-02", year + 1);
    hooks_set_clock_noon(clock_days_from_date(jan2) - clock_today_days());
    CHECK(login(&W.precep_a) && login(&W.coord_a));
    world_call(&r, &W.precep_a, "POST", "/api/v1/me/teaching-certificate", body);
    CHECK_INT(r.status, 201);
    CHECK_STR(api_json_str(r.json, "kind"), "teaching");
    CHECK_STR(api_json_str(r.json, "facts.year"), year_text);
    char students_text[24];
    snprintf(students_text, sizeof(students_text), "%lld", students);
    CHECK_STR(api_json_str(r.json, "facts.students"), students_text);
    char number[64];
    snprintf(number, sizeof(number), "%s", api_json_str(r.json, "number") != NULL ? api_json_str(r.json, "number") : "");
    api_free(&r);
    world_call(&r, &W.precep_a, "POST", "/api/v1/me/teaching-certificate", body);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "number"), number);
    api_free(&r);
    snprintf(path, sizeof(path), "/api/v1/verify/%s", number);
    world_call(&r, NULL, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    CHECK_STR(api_json_str(r.json, "status"), "genuine");
    CHECK_STR(api_json_str(r.json, "kind"), "teaching");
    api_free(&r);
    snprintf(path, sizeof(path), "/api/v1/certificates/%s/pdf", number);
    world_call(&r, &W.precep_a, "GET", path, NULL);
    CHECK_INT(r.status, 200);
    CHECK(r.body_len > 4 && memcmp(r.body, "%PDF", 4) == 0);
    api_free(&r);
    world_call(&r, &W.coord_a, "GET", path, NULL);
    CHECK_PROBLEM(&r, 404, "not_found", NULL);
    api_free(&r);
    /* The page. */
    char *html = NULL;
    snprintf(path, sizeof(path), "/teaching?year=%d", year);
    CHECK_INT(page_get(&W.precep_a, path, &html), 200);
    CHECK_CONTAINS(html, "Students supervised");
    CHECK_CONTAINS(html, number);
    free(html);
    CHECK_INT(page_get(&W.coord_a, path, &html), 403);
    free(html);
    hooks_set_clock(0);
}

/* What the tests need, once the suite's server is up. */
static bool setup(void)
{
    return world_setup(&W, &server, "eval");
}

static void run_tests(void)
{
    API_RUN(the_preceptor_evaluates_once_and_amends_with_addenda);
    API_RUN(bad_evaluations_are_refused_and_change_nothing);
    API_RUN(the_preceptor_is_reminded_at_3_7_and_14_days_until_it_is_done);
    API_RUN(feedback_is_confidential_and_hosts_see_averages_over_five);
    API_RUN(only_a_completed_rotation_is_reviewed_once_and_it_shows);
    API_RUN(search_results_carry_the_review_average_and_count);
    API_RUN(a_review_comes_within_180_days_of_the_last_day);
    API_RUN(the_pages_keep_what_was_typed_and_link_the_errors);
    API_RUN(the_teaching_record_and_its_yearly_certificate);
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
        .name = "api-evaluations", .server = &server, .flags = flags, .setup = setup,
        .setup_what = "setting up the world", .run = run_tests, .finish = finish};
    return api_suite_main(&suite);
}
