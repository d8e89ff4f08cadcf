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
 *     ?before= is 400, and anyone but staff gets 404;
 *   - who acted and what on, for every kind: a person (name and first role),
 *     an account erased since (its pseudonym), an id no account has ("An
 *     account that no longer exists"), Rounds itself; an application, a
 *     document, a letter, an agreement, a ticket, an account, a rotation, an
 *     organisation, a preceptor, an evaluation, a page, a certificate, and
 *     objects deleted since ("Document, since removed"). The words are those
 *     the lookups one event at a time gave (this suite passed unchanged on
 *     the build before the page's names were read in one query);
 *   - a full page (100 events, each naming other accounts and objects)
 *     answers, every event in words. */
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
#include "api_steps.h"
#include "api_world.h"
#include "api_suite.h"

static struct api_server server;
static struct db_conn *db;
static struct user staff, host_coord, school_coord, student, coach_a, coach_b;
static char host[64], school[64], site[64], preceptor[64], offering[64], block[64];
static char host_name[128], school_name[128], block_start[11], block_end[11];
static char agreement[64]; /* between host and school, proposed by the host */

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
    char start[11], end[11];
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

/* One event's words as GET /api/v1/audit gives them. */
struct words {
    const char *actor_id, *object_id, *detail;
    enum audit_object object;
    const char *actor_name, *actor_role, *object_label;
};

/* The item of items whose detail is detail, or NULL. */
static json_t *item_with_detail(json_t *items, const char *detail)
{
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item)
    {
        const char *d = api_json_str(item, "detail");
        if (d != NULL && strcmp(d, detail) == 0)
            return item;
    }
    return NULL;
}

static void check_words(json_t *items, const struct words *w)
{
    json_t *item = item_with_detail(items, w->detail);
    if (item == NULL) {
        TEST_FAILF("no event with the detail %s", w->detail);
        return;
    }
    const char *name = api_json_str(item, "actor_name"), *role = api_json_str(item, "actor_role"),
               *label = api_json_str(item, "object_label");
    if ((name == NULL ? w->actor_name != NULL : w->actor_name == NULL || strcmp(name, w->actor_name) != 0) ||
        (role == NULL ? w->actor_role != NULL : w->actor_role == NULL || strcmp(role, w->actor_role) != 0) ||
        (label == NULL ? w->object_label != NULL : w->object_label == NULL || strcmp(label, w->object_label) != 0))
        TEST_FAILF("%s reads \"%s\" (%s) on \"%s\", expected \"%s\" (%s) on \"%s\"", w->detail,
                   name ? name : "(null)", role ? role : "(null)", label ? label : "(null)",
                   w->actor_name ? w->actor_name : "(null)", w->actor_role ? w->actor_role : "(null)",
                   w->object_label ? w->object_label : "(null)");
}

/* The newest 100 events (GET /api/v1/audit?limit=100), or NULL after a failed check. */
static json_t *newest_events(void)
{
    struct api_response r;
    if (call(&r, &staff, "GET", "/api/v1/audit?limit=100", NULL) != 200) {
        TEST_FAILF("GET /api/v1/audit?limit=100 answered %ld", r.status);
        api_free(&r);
        return NULL;
    }
    json_t *items = json_incref(json_object_get(r.json, "items"));
    api_free(&r);
    return items;
}

/* A student whose account staff erased at once (after they asked); their pseudonym into name[96]. */
static bool erased_student(struct user *u, char name[96])
{
    struct api_response r;
    char id[64], path[160];
    if (!register_student(u, "audgone"))
        return false;
    CHECK_INT(call(&r, u, "POST", "/api/v1/me/deletion-request", "{}"), 201);
    snprintf(id, sizeof(id), "%s", api_json_str(r.json, "id") != NULL ? api_json_str(r.json, "id") : "");
    api_free(&r);
    snprintf(path, sizeof(path), "/api/v1/deletion-requests/%s/complete", id);
    CHECK_INT(call(&r, &staff, "POST", path, "{}"), 200);
    api_free(&r);
    char *pseudonym = api_db_text(db, "SELECT name FROM users WHERE id = $1 AND erased_at IS NOT NULL", u->id, NULL,
                                  NULL);
    snprintf(name, 96, "%s", pseudonym != NULL ? pseudonym : "");
    free(pseudonym);
    return name[0] != '\0' && strcmp(name, u->name) != 0;
}

/* The student's objects: an application to the block, a passport (and one deleted since), a letter, a ticket. */
struct objects {
    char app[64], doc[64], doc_gone[64], letter[64], ticket[64];
};
static struct objects objs;
static struct user gone; /* a student whose account staff erased */
static char pseudonym[96];

static bool student_objects(struct objects *o)
{
    struct api_response r;
    char path[160];
    if (!create_object(&student, "/api/v1/applications",
                       json_pack("{s:s,s:s}", "block_id", block, "statement", "Keen on cardiology."), o->app) ||
        !steps_upload_pdf(&student, o->doc) || !steps_upload_pdf(&student, o->doc_gone) ||
        !create_object(&student, "/api/v1/letters",
                       json_pack("{s:s,s:s,s:b}", "author_name", "Dr. Maria Alvarez", "author_email",
                                 "alvarez@example.org", "waived", 0),
                       o->letter) ||
        !create_object(&student, "/api/v1/tickets",
                       json_pack("{s:s,s:s,s:s}", "category", "schedule", "subject", "The badge office is closed",
                                 "body", "Nobody at the desk at 7:30."),
                       o->ticket))
        return false;
    snprintf(path, sizeof(path), "/api/v1/documents/%s", o->doc_gone);
    long status = call(&r, &student, "DELETE", path, NULL);
    api_free(&r);
    if (status != 200 && status != 204)
        TEST_FAILF("deleting the document answered %ld", status);
    return status == 200 || status == 204;
}

TEST(every_kind_of_actor_and_object_reads_in_words)
{
    struct objects *o = &objs;
    char application[400], evaluation[400], passport[200], letter[200], agreement_words[400],
        preceptor_words[300];
    if (!erased_student(&gone, pseudonym) || !student_objects(o))
        return;
    snprintf(application, sizeof(application), "Application of %s to Audited Cardiology at %s", student.name,
             host_name);
    snprintf(evaluation, sizeof(evaluation), "Evaluation of %s in Audited Cardiology at %s", student.name, host_name);
    snprintf(passport, sizeof(passport), "Passport of %s", student.name);
    snprintf(letter, sizeof(letter), "Letter from Dr. Maria Alvarez for %s", student.name);
    snprintf(agreement_words, sizeof(agreement_words), "Agreement between %s and %s", host_name, school_name);
    snprintf(preceptor_words, sizeof(preceptor_words), "Dr. Ama Eze of %s", host_name);
    const struct words all[] = {
        {staff.id, student.id, "words-account", AUDIT_ON_USER, staff.name, "Staff", student.name},
        {gone.id, o->app, "words-erased-actor", AUDIT_ON_APPLICATION, pseudonym, "Student", application},
        {NULL, o->doc, "words-rounds", AUDIT_ON_DOCUMENT, NULL, NULL, passport},
        {"u_gone_words", o->letter, "words-no-account", AUDIT_ON_LETTER, NULL, NULL, letter},
        {student.id, agreement, "words-agreement", AUDIT_ON_AGREEMENT, student.name, "Student", agreement_words},
        {host_coord.id, o->ticket, "words-ticket", AUDIT_ON_TICKET, "Hana Lindqvist", "Host coordinator",
         "“The badge office is closed”"},
        {coach_a.id, o->doc_gone, "words-deleted-document", AUDIT_ON_DOCUMENT, "Carmen Ortiz", "Coach", NULL},
        {school_coord.id, gone.id, "words-erased-account", AUDIT_ON_USER, "Sol Amadi", "School coordinator",
         pseudonym},
        {staff.id, "u_gone_object", "words-no-such-account", AUDIT_ON_USER, staff.name, "Staff", NULL},
        {staff.id, "a_gone_object", "words-no-such-application", AUDIT_ON_APPLICATION, staff.name, "Staff", NULL},
        {staff.id, "t_gone_object", "words-no-such-ticket", AUDIT_ON_TICKET, staff.name, "Staff", NULL},
        {staff.id, o->app, "words-visa-letter", AUDIT_ON_VISA_LETTER, staff.name, "Staff", application},
        {staff.id, o->app, "words-evaluation", AUDIT_ON_EVALUATION, staff.name, "Staff", evaluation},
        {staff.id, offering, "words-offering", AUDIT_ON_OFFERING, staff.name, "Staff", "Audited Cardiology"},
        {staff.id, school, "words-organization", AUDIT_ON_ORGANIZATION, staff.name, "Staff", school_name},
        {staff.id, preceptor, "words-preceptor", AUDIT_ON_PRECEPTOR, staff.name, "Staff", preceptor_words},
        {staff.id, "/api/v1/nowhere", "words-route", AUDIT_ON_ROUTE, staff.name, "Staff", "/api/v1/nowhere"},
        {staff.id, "RC-WORDS-1", "words-certificate", AUDIT_ON_CERTIFICATE, staff.name, "Staff", "RC-WORDS-1"},
    };
    size_t n = sizeof(all) / sizeof(all[0]);
    for (size_t i = 0; i < n; i++)
        CHECK_INT(store_audit_add(db, all[i].actor_id, AUDIT_REPLY, all[i].object, all[i].object_id, all[i].detail,
                                  7),
                  DB_OK);
    json_t *items = newest_events();
    for (size_t i = 0; items != NULL && i < n; i++)
        check_words(items, &all[i]);
    json_decref(items);

    /* The page: people linked, Rounds and a missing account said so, objects linked or "since removed". */
    struct api_response r;
    char want[1024];
    CHECK_INT(page(&r, &staff, "/staff/audit?action=reply"), 200);
    snprintf(want, sizeof(want), "<a href=\"/staff/users/%s\">%s</a></strong><br><span class=\"muted\">Student</span>",
             gone.id, pseudonym);
    CHECK_CONTAINS(r.body, want);
    CHECK_CONTAINS(r.body, "Rounds itself, or somebody not signed in");
    CHECK_CONTAINS(r.body, "An account that no longer exists");
    CHECK_CONTAINS(r.body, "Document, since removed");
    CHECK_CONTAINS(r.body, "Account, since removed");
    CHECK_CONTAINS(r.body, "Support ticket, since removed");
    snprintf(want, sizeof(want), "<a href=\"/applications/%s\">%s</a>", o->app, application);
    CHECK_CONTAINS(r.body, want);
    snprintf(want, sizeof(want), "<a href=\"/tickets/%s\">“The badge office is closed”</a>", o->ticket);
    CHECK_CONTAINS(r.body, want);
    snprintf(want, sizeof(want), "<a href=\"/staff/documents/%s\">%s</a>", o->doc, passport);
    CHECK_CONTAINS(r.body, want);
    api_free(&r);
}

/* Event i of the full page: who and what (each i names accounts and objects of its own, most of them gone). */
static void bulk_event(int i, const char *erased_id, const char *doc, const char *app)
{
    char actor[64], object[64], detail[200];
    snprintf(actor, sizeof(actor), "u_bulk_%d", i);
    snprintf(object, sizeof(object), "%c_bulk_%d", i % 4 == 0 ? 'g' : 'u', i);
    switch (i % 4) {
    case 0: /* nobody known, an agreement gone, naming two organisations gone */
        snprintf(detail, sizeof(detail), "host_id=o_bulkh_%d school_id=o_bulks_%d 2027-01-01..2027-12-31", i, i);
        CHECK_INT(store_audit_add(db, actor, AUDIT_AGREEMENT_PROPOSE, AUDIT_ON_AGREEMENT, object, detail, 8), DB_OK);
        break;
    case 1:
        snprintf(detail, sizeof(detail), "bulk-%d", i);
        CHECK_INT(store_audit_add(db, staff.id, AUDIT_REPLY, AUDIT_ON_DOCUMENT, doc, detail, 8), DB_OK);
        break;
    case 2:
        snprintf(detail, sizeof(detail), "bulk-%d", i);
        CHECK_INT(store_audit_add(db, NULL, AUDIT_REPLY, AUDIT_ON_APPLICATION, app, detail, 8), DB_OK);
        break;
    default:
        snprintf(detail, sizeof(detail), "bulk-%d", i);
        CHECK_INT(store_audit_add(db, erased_id, AUDIT_REPLY, AUDIT_ON_USER, object, detail, 8), DB_OK);
    }
}

TEST(a_full_page_of_events_answers_in_words)
{
    if (gone.id[0] == '\0' || objs.doc[0] == '\0' || objs.app[0] == '\0') {
        TEST_FAILF("the accounts and objects of every_kind_of_actor_and_object_reads_in_words are missing");
        return;
    }
    for (int i = 0; i < 120; i++)
        bulk_event(i, gone.id, objs.doc, objs.app);
    char from[CLOCK_DATE_WORDS_SIZE], to[CLOCK_DATE_WORDS_SIZE], between[200], passport[200], application[400];
    snprintf(between, sizeof(between), "Between a removed organisation and a removed organisation, from %s to %s",
             clock_date_words("2027-01-01", from), clock_date_words("2027-12-31", to));
    snprintf(passport, sizeof(passport), "Passport of %s", student.name);
    snprintf(application, sizeof(application), "Application of %s to Audited Cardiology at %s", student.name,
             host_name);
    json_t *items = newest_events();
    CHECK_INT(json_array_size(items), 100);
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item)
    {
        long n = 119 - (long)i; /* newest first: events 119 … 20 */
        char detail[200];
        if (n % 4 == 0)
            snprintf(detail, sizeof(detail), "host_id=o_bulkh_%ld school_id=o_bulks_%ld 2027-01-01..2027-12-31", n, n);
        else
            snprintf(detail, sizeof(detail), "bulk-%ld", n);
        CHECK_STR(api_json_str(item, "detail"), detail);
        const char *label = api_json_str(item, "object_label"), *name = api_json_str(item, "actor_name");
        switch (n % 4) {
        case 0:
            CHECK(name == NULL && label == NULL);
            CHECK_STR(api_json_str(item, "detail_label"), between);
            break;
        case 1:
            CHECK_STR(name, staff.name);
            CHECK_STR(label, passport);
            break;
        case 2:
            CHECK(name == NULL);
            CHECK_STR(label, application);
            break;
        default:
            CHECK_STR(name, pseudonym);
            CHECK_STR(api_json_str(item, "actor_role"), "Student");
            CHECK(label == NULL);
        }
    }
    json_decref(items);
    /* The staff pages of a full page: the audit trail's 50, a person's 20. */
    struct api_response r;
    char path[160];
    CHECK_INT(page(&r, &staff, "/staff/audit"), 200);
    CHECK_CONTAINS(r.body, between);
    CHECK_CONTAINS(r.body, ">Older events</a>");
    api_free(&r);
    snprintf(path, sizeof(path), "/staff/users/%s", gone.id);
    CHECK_INT(page(&r, &staff, path), 200);
    CHECK_CONTAINS(r.body, "Account, since removed");
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
    API_RUN(every_kind_of_actor_and_object_reads_in_words);
    API_RUN(a_full_page_of_events_answers_in_words);
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
