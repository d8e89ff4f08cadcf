/* test_api_audit.c — the audit trail's details that name objects, in words,
 * against the real `rounds serve`, on SQLite and PostgreSQL:
 *
 *   - GET /api/v1/audit: an agreement's "host_id=… school_id=… start..end"
 *     reads "Between <host> and <school>, from … to …", a school's approval
 *     names the school, a change of coach names both coaches, a block names
 *     its rotation and dates, amounts are dollars, and an object since
 *     removed reads "a removed block" (the stored detail is kept as it is);
 *   - /staff/audit links the named objects and keeps their ids in small print;
 *   - /staff/users/{id} lists what was done to the person by others ("To
 *     this person", by whom) with what they did, paged with ?before=; a bad
 *     ?before= is 400, and anyone but staff gets 404. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "api_client.h"
#include "lib/clock.h"
#include "store/applications.h"
#include "test.h"

#define PASSWORD "Juniper-Falcon-Ledger-73!"
#define PEOPLE_PASSWORD PASSWORD
#include "api_people.h"
#include "api_world.h"
#include "api_suite.h"

static struct api_server server;
static struct db_conn *db;
static struct user staff, host_coord, school_coord, student, coach_a, coach_b;
static char host[64], school[64], site[64], preceptor[64], offering[64], block[64];
static char host_name[128], school_name[128], block_start[11], block_end[11];

static long call(struct api_response *r, const struct user *u, const char *method, const char *path, const char *body)
{
    const char *headers[] = {u != NULL ? u->auth : NULL, NULL};
    return api_request(r, method, path, headers, body);
}

static long page(struct api_response *r, const struct user *u, const char *path)
{
    const char *headers[] = {u->cookie, NULL};
    return api_request(r, "GET", path, headers, NULL);
}

static bool world_setup(void)
{
    if (!world_staff(&server, &db, &staff, "audstaff", "Audit"))
        return false;
    snprintf(host_name, sizeof(host_name), "Lakeview General %ld", (long)getpid());
    snprintf(school_name, sizeof(school_name), "Windward School of Medicine %ld", (long)getpid());
    if (!world_org(&staff, "host", host, "%s", host_name) || !world_org(&staff, "school", school, "%s", school_name))
        return false;
    if (!world_member_named(&staff, &host_coord, "audhost", "Hana Lindqvist", "host_coordinator", host) ||
        !world_member_named(&staff, &school_coord, "audschool", "Sol Amadi", "school_coordinator", school) ||
        !world_member_named(&staff, &coach_a, "audcoacha", "Carmen Ortiz", "coach", NULL) ||
        !world_member_named(&staff, &coach_b, "audcoachb", "Dev Raman", "coach", NULL) ||
        !register_student(&student, "audstudent"))
        return false;
    static const struct world_place place = {"Main", NULL, "Mobile", "AL", "36602"};
    static const struct world_preceptor_fields eze = {"Dr. Ama Eze", "internal-medicine", "AL", "MD-77012",
                                                      "audprc", NULL};
    if (!world_site(&staff, host, &place, site) || !world_preceptor_record(&staff, host, NULL, &eze, preceptor) ||
        !create_object(&host_coord, "/api/v1/offerings",
                       world_observership_body(host, site, preceptor, "Audited Cardiology"), offering))
        return false;
    clock_date_from_days(clock_today_days() + 60, block_start);
    clock_date_from_days(clock_today_days() + 87, block_end);
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/offerings/%s/blocks", offering);
    return create_object(&host_coord, path,
                         json_pack("{s:s,s:s,s:i}", "start", block_start, "end", block_end, "seats", 5), block);
}

/* The detail_label of the newest event of action by actor_id (NULL: Rounds) whose detail is detail. */
static char *label_of(const char *action, const char *actor_id, const char *detail)
{
    char path[300];
    snprintf(path, sizeof(path), "/api/v1/audit?action=%s%s%s&limit=100", action, actor_id != NULL ? "&actor=" : "",
             actor_id != NULL ? actor_id : "");
    struct api_response r;
    char *out = NULL;
    if (call(&r, &staff, "GET", path, NULL) != 200) {
        TEST_FAILF("GET %s answered %ld", path, r.status);
        api_free(&r);
        return NULL;
    }
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(r.json, "items"), i, item)
    {
        const char *d = api_json_str(item, "detail"), *label = api_json_str(item, "detail_label");
        if (out == NULL && d != NULL && strcmp(d, detail) == 0)
            out = strdup(label != NULL ? label : "(null)");
    }
    api_free(&r);
    if (out == NULL)
        TEST_FAILF("no %s event with the detail \"%s\"", action, detail);
    return out;
}

static void check_label(const char *action, const char *actor_id, const char *detail, const char *want)
{
    char *got = label_of(action, actor_id, detail);
    if (got != NULL)
        CHECK_STR(got, want);
    free(got);
}

TEST(details_that_name_objects_read_in_words)
{
    struct api_response r;
    char path[300], want[600], detail[300], from[CLOCK_DATE_WORDS_SIZE], to[CLOCK_DATE_WORDS_SIZE];
    /* An agreement proposed by the host: its stored detail names both organisations by id. */
    char start[11], end[11], agreement[64];
    clock_date_from_days(clock_today_days() + 10, start);
    clock_date_from_days(clock_today_days() + 375, end);
    CHECK(create_object(&host_coord, "/api/v1/agreements",
                        json_pack("{s:s,s:s,s:s,s:s}", "host_id", host, "school_id", school, "start_date", start,
                                  "end_date", end),
                        agreement));
    snprintf(detail, sizeof(detail), "host_id=%s school_id=%s %s..%s host", host, school, start, end);
    snprintf(want, sizeof(want), "Between %s and %s, from %s to %s; proposed by the host", host_name, school_name,
             clock_date_words(start, from), clock_date_words(end, to));
    check_label("agreement.propose", host_coord.id, detail, want);
    /* The student joins the school; its coordinator approves: the detail is the school's id. */
    snprintf(path, sizeof(path), "/api/v1/schools/%s/join", school);
    CHECK(post_as(&r, &student, path, json_object(), 201));
    api_free(&r);
    snprintf(path, sizeof(path), "/api/v1/schools/%s/students/%s/approve", school, student.id);
    CHECK_INT(call(&r, &school_coord, "POST", path, "{}"), 200);
    api_free(&r);
    snprintf(want, sizeof(want), "At %s", school_name);
    check_label("school.approve", school_coord.id, school, want);
    /* Staff makes coach A, then coach B, the student's coach: "From A to B". */
    snprintf(path, sizeof(path), "/api/v1/students/%s/coach", student.id);
    snprintf(detail, sizeof(detail), "{\"coach_id\":\"%s\"}", coach_a.id);
    CHECK_INT(call(&r, &staff, "PUT", path, detail), 200);
    api_free(&r);
    snprintf(detail, sizeof(detail), "{\"coach_id\":\"%s\"}", coach_b.id);
    CHECK_INT(call(&r, &staff, "PUT", path, detail), 200);
    api_free(&r);
    snprintf(detail, sizeof(detail), "%s -> %s", coach_a.id, coach_b.id);
    check_label("coach_reassigned", staff.id, detail, "From Carmen Ortiz to Dev Raman");
    /* Details as the match rounds, payments and certificates write them (the
     * writers' formats), one about a block since removed. */
    CHECK_INT(store_audit_add(db, staff.id, AUDIT_MATCH_ROUND_RESERVE, AUDIT_ON_MATCH_ROUND, "mr_audit", block, 1),
              DB_OK);
    CHECK_INT(store_audit_add(db, staff.id, AUDIT_MATCH_ROUND_RELEASE, AUDIT_ON_MATCH_ROUND, "mr_audit", "b_gone_x1",
                              2),
              DB_OK);
    CHECK_INT(store_audit_add(db, staff.id, AUDIT_PAYOUT_SENT, AUDIT_ON_ORGANIZATION, host,
                              "payout 2026-11: 412050 cents", 3),
              DB_OK);
    CHECK_INT(store_audit_add(db, staff.id, AUDIT_PAYMENT_RECORDED, AUDIT_ON_APPLICATION, "a_audit",
                              "bank transfer RX-42: 120000 cents (asked 150000)", 4),
              DB_OK);
    CHECK_INT(store_audit_add(db, staff.id, AUDIT_CERTIFICATE_ISSUE, AUDIT_ON_CERTIFICATE, "RC-AUDIT-1",
                              "a_gone_x2", 5),
              DB_OK);
    CHECK_INT(store_audit_add(db, staff.id, AUDIT_READINESS_TARGETS, AUDIT_ON_READINESS_TARGETS, "",
                              "letters=3 letters_us=2 usce_weeks=12", 6),
              DB_OK);
    snprintf(want, sizeof(want), "The block Audited Cardiology at %s, %s to %s", host_name,
             clock_date_words(block_start, from), clock_date_words(block_end, to));
    check_label("match_round.reserve", staff.id, block, want);
    check_label("match_round.release", staff.id, "b_gone_x1", "The block a removed block");
    check_label("payout_sent", staff.id, "payout 2026-11: 412050 cents", "$4,120.50 for Nov 2026");
    check_label("payment_recorded", staff.id, "bank transfer RX-42: 120000 cents (asked 150000)",
                "$1,200 received by bank transfer (reference RX-42); $1,500 was due");
    check_label("issue", staff.id, "a_gone_x2", "For a removed application");
    check_label("readiness.targets", staff.id, "letters=3 letters_us=2 usce_weeks=12",
                "3 letters, 2 of them from U.S. physicians; 12 weeks of U.S. clinical experience");

    /* The audit page links what it can open and keeps the ids in small print. */
    snprintf(path, sizeof(path), "/staff/audit?actor=%s", staff.id);
    CHECK_INT(page(&r, &staff, path), 200);
    snprintf(want, sizeof(want), "The block <a href=\"/offerings/%s\">Audited Cardiology at %s, ", offering,
             host_name);
    CHECK_CONTAINS(r.body, want);
    snprintf(want, sizeof(want), "<small class=\"muted audit-id\">%s</small>", block);
    CHECK_CONTAINS(r.body, want);
    snprintf(want, sizeof(want), "From <a href=\"/staff/users/%s\">Carmen Ortiz</a> to <a href=\"/staff/users/%s\">"
                                 "Dev Raman</a>", coach_a.id, coach_b.id);
    CHECK_CONTAINS(r.body, want);
    CHECK_CONTAINS(r.body, "The block a removed block<br><small class=\"muted audit-id\">b_gone_x1</small>");
    CHECK(strstr(r.body, "412050 cents") == NULL);
    api_free(&r);
}

TEST(the_staff_page_of_a_person_shows_what_others_did_to_them)
{
    struct api_response r;
    char path[300], want[600];
    /* The student: their own events ("By this person") and the school's approval and staff's change of coach
     * ("To this person", by whom). */
    snprintf(path, sizeof(path), "/staff/users/%s", student.id);
    CHECK_INT(page(&r, &staff, path), 200);
    CHECK_CONTAINS(r.body, "History of the account");
    CHECK_CONTAINS(r.body, "By this person");
    CHECK_CONTAINS(r.body, "Asked to join a school");
    CHECK_CONTAINS(r.body, "To this person");
    snprintf(want, sizeof(want), "<a href=\"/staff/users/%s\">Sol Amadi</a>", school_coord.id);
    CHECK_CONTAINS(r.body, want);
    CHECK_CONTAINS(r.body, "Approved a student&#39;s link to the school");
    snprintf(want, sizeof(want), "At %s", school_name);
    CHECK_CONTAINS(r.body, want);
    CHECK_CONTAINS(r.body, "Changed a student&#39;s coach");
    CHECK_CONTAINS(r.body, "Their account");
    /* The newest first: the change of coach (by staff) before the approval. */
    const char *coach = strstr(r.body, "Changed a student&#39;s coach"), *approval = strstr(r.body, "Approved a");
    CHECK(coach != NULL && approval != NULL && coach < approval);
    api_free(&r);
    /* Paged: an older page holds none of the newest; a page that is not one is 400 and says so. */
    long long newest = api_db_int(db,
                                  "SELECT MIN(id) FROM audit_events WHERE object_id = $1 AND action = "
                                  "'coach_reassigned'",
                                  student.id, NULL);
    snprintf(path, sizeof(path), "/staff/users/%s?before=%lld", student.id, newest);
    CHECK_INT(page(&r, &staff, path), 200);
    CHECK(strstr(r.body, "Changed a student&#39;s coach") == NULL);
    CHECK_CONTAINS(r.body, "(older page)");
    CHECK_CONTAINS(r.body, "Approved a student&#39;s link to the school");
    api_free(&r);
    snprintf(path, sizeof(path), "/staff/users/%s?before=soon", student.id);
    CHECK_INT(page(&r, &staff, path), 400);
    CHECK_CONTAINS(r.body, "history");
    api_free(&r);
    /* Only staff: the student and the coordinator who acted on them get 404. */
    snprintf(path, sizeof(path), "/staff/users/%s", student.id);
    CHECK_INT(page(&r, &student, path), 404);
    CHECK(strstr(r.body, "History of the account") == NULL);
    api_free(&r);
    CHECK_INT(page(&r, &school_coord, path), 404);
    api_free(&r);
}

TEST(server_shuts_down_gracefully)
{
    CHECK_INT(api_server_stop(&server), 0);
}

static void run_tests(void)
{
    API_RUN(details_that_name_objects_read_in_words);
    API_RUN(the_staff_page_of_a_person_shows_what_others_did_to_them);
}

static void finish(void)
{
    db_close(db);
    API_RUN(server_shuts_down_gracefully);
}

int main(void)
{
    static const char *const flags[] = {"--test-hooks", "1", "--jobs-interval-ms", "0", NULL};
    static const struct api_suite suite = {
        .name = "api-audit", .server = &server, .flags = flags, .setup = world_setup,
        .setup_what = "setting up a host, a school, coaches and a block", .run = run_tests, .finish = finish};
    return api_suite_main(&suite);
}
