/* test_api_agreements.c — affiliation agreements between hosts and schools
 * against the real `rounds serve`, on SQLite and PostgreSQL:
 *
 *   - a host proposes, the school activates with the signed PDF (kept sealed,
 *     served back to both sides and audited), either side terminates with a
 *     reason; the other way round too (the school proposes, the host signs);
 *   - who sees what: another host, another school, a student and anyone
 *     signed out get 404 / 401, and the proposing side cannot activate;
 *   - bad input (end before start, unknown school, a host that is a school,
 *     not a date, no PDF, a file that is not a PDF, terminating twice): 4xx
 *     and nothing changes;
 *   - an offering that requires an affiliation: apply and search's
 *     "eligible for me" both refuse a student whose school has no active
 *     agreement covering the whole block, with the reason, and accept one whose
 *     school has;
 *   - the jobs (with the test clock): reminders to both sides 60 and 30 days
 *     before the end, once each, and expiry after the end date. */
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "api_client.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "test.h"

#define PASSWORD "Cobalt-Heron-Lantern-58!"
#define PEOPLE_PASSWORD PASSWORD
#include "api_people.h"
#include "api_world.h"
#include "api_hooks.h"
#include "api_suite.h"

#define BOUNDARY "rounds-agreement-boundary-4f9Qz"

static struct api_server server;
static struct db_conn *db;
static struct user staff, host_coord, host_other_coord, school_coord, school_other_coord, student, student_alone;
static char host[64], host_other[64], school[64], school_other[64], site[64], preceptor[64];
static char offering_gated[64], offering_open[64], block_gated[64], block_open[64];
static char title_word[40];
static char block_start[11], block_end[11];

static long call(struct api_response *r, const struct user *u, const char *method, const char *path, const char *body)
{
    const char *headers[] = {u != NULL ? u->auth : NULL, NULL};
    return api_request(r, method, path, headers, body);
}

static bool create_user(struct user *u, const char *prefix, const char *role, const char *organization)
{
    char name[96];
    snprintf(name, sizeof(name), "%s Okafor", prefix);
    return world_member_named(&staff, u, prefix, name, role, organization);
}

static bool create_org(const char *prefix, const char *kind, char *out)
{
    return world_org(&staff, kind, out, "%s %ld-%lld", prefix, (long)getpid(), (long long)time(NULL));
}

static bool create_offering(const char *title, bool requires_affiliation, char *out)
{
    json_t *body = world_observership_body(host, site, preceptor, title);
    json_object_set_new(body, "requires_affiliation", json_boolean(requires_affiliation));
    json_object_set_new(body, "eligibility",
                        json_pack("{s:b,s:b,s:b,s:[]}", "students_allowed", 1, "graduates_allowed", 1,
                                  "step1_required", 0, "visa_kinds"));
    return create_object(&host_coord, "/api/v1/offerings", body, out);
}

static bool create_block(const char *offering, char *out)
{
    char path[128];
    snprintf(path, sizeof(path), "/api/v1/offerings/%s/blocks", offering);
    return create_object(&host_coord, path,
                         json_pack("{s:s,s:s,s:i}", "start", block_start, "end", block_end, "seats", 5), out);
}

/* The student asks to join the school and its coordinator approves. */
static bool link_student(struct user *s, const char *school_id, const struct user *coordinator)
{
    char path[200];
    struct api_response r;
    snprintf(path, sizeof(path), "/api/v1/schools/%s/join", school_id);
    bool ok = post_as(&r, s, path, json_object(), 201);
    api_free(&r);
    snprintf(path, sizeof(path), "/api/v1/schools/%s/students/%s/approve", school_id, s->id);
    if (ok) {
        long status = call(&r, coordinator, "POST", path, "{}");
        ok = status == 200;
        if (!ok)
            TEST_FAILF("approving the student answered %ld: %.300s", status, r.body);
        api_free(&r);
    }
    return ok;
}

static bool world_setup(void)
{
    if (!world_staff(&server, &db, &staff, "agrstaff", "Agreements"))
        return false;
    if (!create_org("Lakeshore Teaching Hospital", "host", host) || !create_org("Harbor Clinic", "host", host_other) ||
        !create_org("Saint Kitts School of Medicine", "school", school) ||
        !create_org("Coral Bay Medical University", "school", school_other))
        return false;
    if (!create_user(&host_coord, "agrhost", "host_coordinator", host) ||
        !create_user(&host_other_coord, "agrhostother", "host_coordinator", host_other) ||
        !create_user(&school_coord, "agrschool", "school_coordinator", school) ||
        !create_user(&school_other_coord, "agrschoolother", "school_coordinator", school_other) ||
        !register_student(&student, "agrstudent") || !register_student(&student_alone, "agralone") ||
        !link_student(&student, school, &school_coord))
        return false;
    static const struct world_place mobile = {"Main", NULL, "Mobile", "AL", "36602"};
    static const struct world_preceptor_fields eze = {"Dr. Amara Eze", "internal-medicine", "AL", "MD-55012",
                                                      "agrprc", NULL};
    if (!world_site(&staff, host, &mobile, site) || !world_preceptor_record(&staff, host, NULL, &eze, preceptor))
        return false;
    unsigned char raw[6];
    char hex[13];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
    for (char *p = hex; *p != '\0'; p++) /* letters only: one search word */
        *p = (char)('a' + (*p % 26));
    snprintf(title_word, sizeof(title_word), "Zq%s", hex);
    char gated[96], open[96];
    snprintf(gated, sizeof(gated), "Affiliated Medicine %s", title_word);
    snprintf(open, sizeof(open), "Open Medicine %s", title_word);
    clock_date_from_days(clock_today_days() + 60, block_start);
    clock_date_from_days(clock_today_days() + 60 + 27, block_end);
    return create_offering(gated, true, offering_gated) && create_offering(open, false, offering_open) &&
           create_block(offering_gated, block_gated) && create_block(offering_open, block_open);
}

/* ---- helpers ---- */

static const char signed_pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
                                 "% Affiliation agreement, signed by both parties\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/* POST /api/v1/agreements/{id}/activate with a file part (NULL: none). */
static long activate(struct api_response *r, const struct user *u, const char *id, const char *type, const char *data,
                     size_t len)
{
    struct api_bytes b = {0};
    if (data != NULL) {
        char head[300];
        snprintf(head, sizeof(head),
                 "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"signed.pdf\"\r\n"
                 "Content-Type: %s\r\n\r\n",
                 type);
        api_bytes_add(&b, head, strlen(head));
        api_bytes_add(&b, data, len);
        api_bytes_add(&b, "\r\n", 2);
    }
    api_bytes_add(&b, "--" BOUNDARY "--\r\n", strlen("--" BOUNDARY "--\r\n"));
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/agreements/%s/activate", id);
    const char *headers[] = {"Content-Type: multipart/form-data; boundary=" BOUNDARY, u != NULL ? u->auth : NULL,
                             NULL};
    struct api_raw_request rq = {"POST", path, headers, b.data, b.len, true};
    long status = api_send(r, &rq);
    free(b.data);
    return status;
}

/* Proposes as u; the new agreement's id into out[64] (false when not 201). */
static bool propose(const struct user *u, const char *host_id, const char *school_id, int from_days, int to_days,
                    char *out)
{
    char start[11], end[11];
    clock_date_from_days(clock_today_days() + from_days, start);
    clock_date_from_days(clock_today_days() + to_days, end);
    return create_object(u, "/api/v1/agreements",
                         json_pack("{s:s,s:s,s:s,s:s}", "host_id", host_id, "school_id", school_id, "start_date", start,
                                   "end_date", end),
                         out);
}

static bool activate_ok(const struct user *u, const char *id)
{
    struct api_response r;
    long status = activate(&r, u, id, "application/pdf", signed_pdf, sizeof(signed_pdf) - 1);
    if (status != 200)
        TEST_FAILF("activating %s answered %ld: %.300s", id, status, r.body);
    api_free(&r);
    return status == 200;
}

static char *status_of(const char *id)
{
    return api_db_text(db, "SELECT status FROM affiliation_agreements WHERE id = $1", id, NULL, NULL);
}

static long long audit_count(const char *id, const char *action)
{
    return api_db_int(db, "SELECT COUNT(*) FROM audit_events WHERE object_id = $1 AND action = $2", id, action);
}

/* GET /api/v1/agreements/{id}, or its file. */
static long get_path(struct api_response *r, const struct user *u, bool file, const char *id)
{
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/agreements/%s%s", id, file ? "/file" : "");
    return call(r, u, "GET", path, NULL);
}

static long terminate(struct api_response *r, const struct user *u, const char *id, const char *body)
{
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/agreements/%s/terminate", id);
    return call(r, u, "POST", path, body);
}

/* ---- the life of an agreement ---- */

TEST(a_host_proposes_the_school_signs_and_either_terminates)
{
    char id[64];
    if (!propose(&host_coord, host, school, 0, 300, id))
        return;
    struct api_response r;
    CHECK_INT(get_path(&r, &school_coord, false, id), 200);
    CHECK_STR(api_json_str(r.json, "status"), "proposed");
    CHECK_STR(api_json_str(r.json, "proposed_side"), "host");
    CHECK_STR(api_json_str(r.json, "school.id"), school);
    CHECK(api_json_get(r.json, "signed_file") != NULL && json_is_null(api_json_get(r.json, "signed_file")));
    api_free(&r);
    /* The school's coordinator was told, in the app. */
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = 'agreement_proposed'",
                         school_coord.id, NULL),
              1);
    /* Both sides list it; nobody else does. */
    CHECK_INT(call(&r, &school_coord, "GET", "/api/v1/agreements", NULL), 200);
    CHECK_CONTAINS(r.body, id);
    api_free(&r);
    CHECK_INT(call(&r, &host_coord, "GET", "/api/v1/agreements", NULL), 200);
    CHECK_CONTAINS(r.body, id);
    api_free(&r);
    CHECK_INT(call(&r, &host_other_coord, "GET", "/api/v1/agreements", NULL), 200);
    CHECK(strstr(r.body, id) == NULL);
    api_free(&r);
    /* The proposing side cannot sign its own proposal. */
    CHECK_INT(activate(&r, &host_coord, id, "application/pdf", signed_pdf, sizeof(signed_pdf) - 1), 403);
    api_free(&r);
    /* The school signs with the PDF. */
    CHECK_INT(activate(&r, &school_coord, id, "application/pdf", signed_pdf, sizeof(signed_pdf) - 1), 200);
    CHECK_STR(api_json_str(r.json, "status"), "active");
    CHECK_INT(api_json_int(r.json, "signed_file.bytes", -1), (long long)(sizeof(signed_pdf) - 1));
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = 'agreement_active'",
                         host_coord.id, NULL),
              1);
    /* Both sides download the same bytes; the file on disk is sealed. */
    CHECK_INT(get_path(&r, &host_coord, true, id), 200);
    CHECK(r.body_len == sizeof(signed_pdf) - 1 && memcmp(r.body, signed_pdf, r.body_len) == 0);
    api_free(&r);
    CHECK_INT(audit_count(id, "agreement.file_read"), 1);
    /* Activating twice is refused. */
    CHECK_INT(activate(&r, &school_coord, id, "application/pdf", signed_pdf, sizeof(signed_pdf) - 1), 409);
    api_free(&r);
    /* The school terminates it with a reason; a second time is refused and changes nothing. */
    CHECK_INT(terminate(&r, &school_coord, id, "{\"reason\":\"   \"}"), 400);
    CHECK_STR(api_json_str(r.json, "field"), "reason");
    api_free(&r);
    CHECK_INT(terminate(&r, &school_coord, id, "{\"reason\":\"The school closed its clinical programme.\"}"), 200);
    CHECK_STR(api_json_str(r.json, "status"), "terminated");
    CHECK_STR(api_json_str(r.json, "termination_reason"), "The school closed its clinical programme.");
    char terminated_at[32];
    snprintf(terminated_at, sizeof(terminated_at), "%s",
             api_json_str(r.json, "terminated_at") != NULL ? api_json_str(r.json, "terminated_at") : "(none)");
    api_free(&r);
    CHECK_INT(terminate(&r, &host_coord, id, "{\"reason\":\"Again\"}"), 409);
    api_free(&r);
    char *reason = api_db_text(db, "SELECT termination_reason FROM affiliation_agreements WHERE id = $1", id, NULL,
                               NULL);
    CHECK_STR(reason, "The school closed its clinical programme.");
    free(reason);
    char stored_at[21]; /* the reply's instant is the stored one, in RFC 3339 */
    clock_format_rfc3339(api_db_int(db, "SELECT terminated_at FROM affiliation_agreements WHERE id = $1", id, NULL),
                         stored_at);
    CHECK_STR(terminated_at, stored_at);
    /* Every change is in the audit trail. */
    CHECK_INT(audit_count(id, "agreement.propose"), 1);
    CHECK_INT(audit_count(id, "agreement.activate"), 1);
    CHECK_INT(audit_count(id, "agreement.terminate"), 1);
}

TEST(a_school_proposes_and_the_host_signs)
{
    char id[64];
    if (!propose(&school_coord, host, school, 0, 200, id))
        return;
    struct api_response r;
    CHECK_INT(get_path(&r, &host_coord, false, id), 200);
    CHECK_STR(api_json_str(r.json, "proposed_side"), "school");
    api_free(&r);
    CHECK_INT(activate(&r, &school_coord, id, "application/pdf", signed_pdf, sizeof(signed_pdf) - 1), 403);
    api_free(&r);
    CHECK(activate_ok(&host_coord, id));
    char *st = status_of(id);
    CHECK_STR(st, "active");
    free(st);
    /* A proposal can also be withdrawn by terminating it. */
    char other[64];
    if (!propose(&school_coord, host, school, 0, 100, other))
        return;
    CHECK_INT(terminate(&r, &host_coord, other, "{\"reason\":\"Dates do not suit us\"}"), 200);
    api_free(&r);
    st = status_of(other);
    CHECK_STR(st, "terminated");
    free(st);
}

TEST(outsiders_get_404_and_anonymous_401)
{
    char id[64];
    if (!propose(&host_coord, host, school, 0, 150, id))
        return;
    const struct user *outsiders[] = {&host_other_coord, &school_other_coord, &student};
    struct api_response r;
    for (size_t i = 0; i < sizeof(outsiders) / sizeof(outsiders[0]); i++) {
        CHECK_INT(get_path(&r, outsiders[i], false, id), 404);
        api_free(&r);
        CHECK_INT(get_path(&r, outsiders[i], true, id), 404);
        api_free(&r);
        CHECK_INT(activate(&r, outsiders[i], id, "application/pdf", signed_pdf, sizeof(signed_pdf) - 1), 404);
        api_free(&r);
        CHECK_INT(terminate(&r, outsiders[i], id, "{\"reason\":\"not mine\"}"), 404);
        api_free(&r);
    }
    CHECK_INT(get_path(&r, NULL, false, id), 401);
    api_free(&r);
    CHECK_INT(call(&r, NULL, "GET", "/api/v1/agreements", NULL), 401);
    api_free(&r);
    CHECK_INT(activate(&r, NULL, id, "application/pdf", signed_pdf, sizeof(signed_pdf) - 1), 401);
    api_free(&r);
    CHECK_INT(get_path(&r, &host_coord, false, "ag_doesnotexist"), 404);
    api_free(&r);
    /* Staff see it. */
    CHECK_INT(get_path(&r, &staff, false, id), 200);
    api_free(&r);
    char *st = status_of(id);
    CHECK_STR(st, "proposed");
    free(st);
    /* Proposing for a host or school one does not coordinate. */
    char start[11], end[11];
    clock_date_from_days(clock_today_days(), start);
    clock_date_from_days(clock_today_days() + 90, end);
    char body[400];
    snprintf(body, sizeof(body), "{\"host_id\":\"%s\",\"school_id\":\"%s\",\"start_date\":\"%s\",\"end_date\":\"%s\"}",
             host, school, start, end);
    long long before = api_db_int(db, "SELECT COUNT(*) FROM affiliation_agreements", NULL, NULL);
    CHECK_INT(call(&r, &host_other_coord, "POST", "/api/v1/agreements", body), 404);
    api_free(&r);
    CHECK_INT(call(&r, &student, "POST", "/api/v1/agreements", body), 404);
    api_free(&r);
    CHECK_INT(call(&r, NULL, "POST", "/api/v1/agreements", body), 401);
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM affiliation_agreements", NULL, NULL), before);
}

TEST(bad_input_is_4xx_and_changes_nothing)
{
    long long before = api_db_int(db, "SELECT COUNT(*) FROM affiliation_agreements", NULL, NULL);
    char today[11], later[11];
    clock_date_from_days(clock_today_days(), today);
    clock_date_from_days(clock_today_days() + 90, later);
    struct {
        const char *host_id, *school_id, *start, *end;
        long status;
        const char *field;
    } cases[] = {
        {host, school, later, today, 400, "end_date"},           /* end before start */
        {host, "org_nosuchschool", today, later, 422, "school_id"}, /* unknown school */
        {host, host_other, today, later, 422, "school_id"},     /* a host is not a school */
        {host, school, "2027-02-30", later, 400, "start_date"},  /* not a date */
        {host, school, today, "next year", 400, "end_date"},
        {host, school, "2001-01-01", "2001-06-30", 400, "end_date"}, /* already over */
    };
    struct api_response r;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char body[400];
        snprintf(body, sizeof(body),
                 "{\"host_id\":\"%s\",\"school_id\":\"%s\",\"start_date\":\"%s\",\"end_date\":\"%s\"}",
                 cases[i].host_id, cases[i].school_id, cases[i].start, cases[i].end);
        long status = call(&r, &host_coord, "POST", "/api/v1/agreements", body);
        if (status != cases[i].status)
            TEST_FAILF("case %zu answered %ld, expected %ld: %.300s", i, status, cases[i].status, r.body);
        const char *field = api_json_str(r.json, "field");
        if (field == NULL || strcmp(field, cases[i].field) != 0)
            TEST_FAILF("case %zu named %s, expected %s", i, field != NULL ? field : "(none)", cases[i].field);
        api_free(&r);
    }
    CHECK_INT(call(&r, &host_coord, "POST", "/api/v1/agreements", "{\"host_id\":1}"), 400);
    api_free(&r);
    CHECK_INT(call(&r, &host_coord, "POST", "/api/v1/agreements", "not json"), 400);
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM affiliation_agreements", NULL, NULL), before);

    /* Activating without a PDF, with an empty file, with a PNG: refused, still proposed, no file. */
    char id[64];
    if (!propose(&host_coord, host, school, 0, 120, id))
        return;
    static const char png[] = "\x89PNG\r\n\x1a\n0000IHDR";
    CHECK_INT(activate(&r, &school_coord, id, NULL, NULL, 0), 400);
    CHECK_STR(api_json_str(r.json, "field"), "file");
    api_free(&r);
    CHECK_INT(activate(&r, &school_coord, id, "application/pdf", "", 0), 400);
    api_free(&r);
    CHECK_INT(activate(&r, &school_coord, id, "application/pdf", png, sizeof(png) - 1), 415);
    api_free(&r);
    CHECK_INT(activate(&r, &school_coord, id, "application/pdf", "just some text", 14), 415);
    api_free(&r);
    char *st = status_of(id);
    CHECK_STR(st, "proposed");
    free(st);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM affiliation_agreements WHERE id = $1 AND file_address IS NULL", id,
                         NULL),
              1);
    CHECK_INT(audit_count(id, "agreement.activate"), 0);
    /* A terminate body without a reason, or with an unknown field. */
    CHECK_INT(terminate(&r, &host_coord, id, "{}"), 400);
    api_free(&r);
    CHECK_INT(terminate(&r, &host_coord, id, "{\"reason\":\"x\",\"extra\":1}"), 400);
    api_free(&r);
    st = status_of(id);
    CHECK_STR(st, "proposed");
    free(st);
}

/* ---- eligibility: apply and search ---- */

static long apply_for(struct api_response *r, const struct user *u, const char *block)
{
    char body[200];
    snprintf(body, sizeof(body), "{\"block_id\":\"%s\"}", block);
    return call(r, u, "POST", "/api/v1/applications", body);
}

/* Whether "eligible for me" lists the offering for u. */
static bool search_lists(const struct user *u, const char *offering)
{
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/offerings?q=%s&eligible=me", title_word);
    struct api_response r;
    long status = call(&r, u, "GET", path, NULL);
    bool found = status == 200 && strstr(r.body, offering) != NULL;
    if (status != 200)
        TEST_FAILF("search answered %ld: %.300s", status, r.body);
    api_free(&r);
    return found;
}

TEST(an_offering_that_requires_an_affiliation_is_only_for_covered_students)
{
    struct api_response r;
    /* No agreement of the student's school with this host yet (the earlier ones are terminated or proposed). */
    long long active = api_db_int(db, "SELECT COUNT(*) FROM affiliation_agreements WHERE host_id = $1 AND"
                                      " school_id = $2 AND status = 'active'", host, school);
    if (active > 0) { /* the life test's second agreement is active: end it */
        char *id = api_db_text(db, "SELECT id FROM affiliation_agreements WHERE host_id = $1 AND school_id = $2"
                                   " AND status = 'active'", host, school, NULL);
        if (id != NULL) {
            CHECK_INT(terminate(&r, &host_coord, id, "{\"reason\":\"reset for the eligibility test\"}"), 200);
            api_free(&r);
            free(id);
        }
    }
    CHECK(search_lists(&student, offering_open));
    CHECK(!search_lists(&student, offering_gated));
    CHECK_INT(apply_for(&r, &student, block_gated), 422);
    CHECK_STR(api_json_str(r.json, "code"), "affiliation_required");
    CHECK_CONTAINS(r.body, "affiliation agreement");
    api_free(&r);
    /* An active agreement that ends before the block does: still refused. */
    char partial[64];
    if (!propose(&host_coord, host, school, 0, 70, partial) || !activate_ok(&school_coord, partial))
        return;
    CHECK(!search_lists(&student, offering_gated));
    CHECK_INT(apply_for(&r, &student, block_gated), 422);
    CHECK_STR(api_json_str(r.json, "code"), "affiliation_required");
    api_free(&r);
    /* Another school's agreement with the host does not help this student. */
    char others[64];
    if (!propose(&host_coord, host, school_other, 0, 365, others) || !activate_ok(&school_other_coord, others))
        return;
    CHECK(!search_lists(&student, offering_gated));
    /* A proposed (unsigned) covering agreement does not count either. */
    char covering[64];
    if (!propose(&host_coord, host, school, 0, 365, covering))
        return;
    CHECK(!search_lists(&student, offering_gated));
    CHECK_INT(apply_for(&r, &student, block_gated), 422);
    api_free(&r);
    CHECK_INT(api_db_int(db, "SELECT COUNT(*) FROM applications WHERE student_id = $1 AND block_id = $2", student.id,
                         block_gated),
              0);
    /* Signed: it covers the whole block, so search lists it and the student may apply. */
    if (!activate_ok(&school_coord, covering))
        return;
    CHECK(search_lists(&student, offering_gated));
    CHECK(!search_lists(&student_alone, offering_gated)); /* a student without a school */
    CHECK(search_lists(&student_alone, offering_open));
    CHECK_INT(apply_for(&r, &student_alone, block_gated), 422);
    CHECK_STR(api_json_str(r.json, "code"), "affiliation_required");
    api_free(&r);
    CHECK_INT(apply_for(&r, &student, block_gated), 201);
    api_free(&r);
    /* The offering says so. */
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/offerings/%s", offering_gated);
    CHECK_INT(call(&r, NULL, "GET", path, NULL), 200);
    CHECK(json_is_true(api_json_get(r.json, "requires_affiliation")));
    api_free(&r);
    /* Terminated: the rule applies again (to the next application). */
    CHECK_INT(terminate(&r, &school_coord, covering, "{\"reason\":\"ended early\"}"), 200);
    api_free(&r);
    CHECK(!search_lists(&student, offering_gated));
}

/* ---- the jobs ---- */

/* The user's notices of an agreement: its reminders (ending) or its expiry. */
static long long notices(const struct user *u, bool expired, const char *id)
{
    char link[100];
    snprintf(link, sizeof(link), "/agreements/%s", id);
    return api_db_int(db,
                      expired ? "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = 'agreement_expired'"
                                " AND link = $2"
                              : "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = 'agreement_ending'"
                                " AND link = $2",
                      u->id, link);
}

static long long mails_to(const struct user *u)
{
    char hash[65];
    crypto_hash_token(u->email, hash);
    return api_db_int(db, "SELECT COUNT(*) FROM outbox WHERE to_address = $1 OR to_hash = $2", u->email, hash);
}

/* Saved searches "eligible for me" follow the same rule: a new block of the
 * gated offering alerts the covered student, not the one without a school. */
TEST(saved_searches_eligible_for_me_count_the_agreement)
{
    struct api_response r;
    char covering[64];
    if (!propose(&host_coord, host, school, 0, 365, covering) || !activate_ok(&school_coord, covering))
        return;
    const struct user *savers[] = {&student, &student_alone};
    for (size_t i = 0; i < 2; i++) {
        char *body = json_text(json_pack("{s:s,s:{s:s,s:s}}", "name", "Gated rotations", "filters", "q", title_word,
                                          "eligible", "me"));
        CHECK_INT(call(&r, savers[i], "POST", "/api/v1/saved-searches", body), 201);
        free(body);
        api_free(&r);
    }
    /* Everything that happened before is past the moment alerts let events settle: the baseline. */
    hooks_set_clock(60);
    hooks_run_jobs();
    const char *sql = "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = 'saved_search'";
    long long before = api_db_int(db, sql, student.id, NULL), before_alone = api_db_int(db, sql, student_alone.id, NULL);
    char block[64];
    if (!create_block(offering_gated, block))
        return;
    hooks_set_clock(120);
    hooks_run_jobs();
    CHECK_INT(api_db_int(db, sql, student.id, NULL), before + 1);
    CHECK_INT(api_db_int(db, sql, student_alone.id, NULL), before_alone);
    hooks_set_clock(0);
}

TEST(reminders_60_and_30_days_before_the_end_once_each_then_expiry)
{
    char id[64];
    if (!propose(&host_other_coord, host_other, school_other, 0, 70, id) || !activate_ok(&school_other_coord, id))
        return;
    long long host_mail = mails_to(&host_other_coord), school_mail = mails_to(&school_other_coord);
    hooks_run_jobs();
    CHECK_INT(notices(&host_other_coord, false, id), 0); /* 70 days left: not yet */
    hooks_set_clock_noon(10); /* 60 days left */
    hooks_run_jobs();
    hooks_run_jobs();
    CHECK_INT(notices(&host_other_coord, false, id), 1);
    CHECK_INT(notices(&school_other_coord, false, id), 1);
    CHECK_INT(mails_to(&host_other_coord), host_mail + 1);
    CHECK_INT(mails_to(&school_other_coord), school_mail + 1);
    hooks_set_clock_noon(25); /* 45 days left: nothing new */
    hooks_run_jobs();
    CHECK_INT(notices(&host_other_coord, false, id), 1);
    hooks_set_clock_noon(40); /* 30 days left */
    hooks_run_jobs();
    hooks_run_jobs();
    CHECK_INT(notices(&host_other_coord, false, id), 2);
    CHECK_INT(notices(&school_other_coord, false, id), 2);
    CHECK_INT(mails_to(&host_other_coord), host_mail + 2);
    char *st = status_of(id);
    CHECK_STR(st, "active");
    free(st);
    hooks_set_clock_noon(70); /* its last day: still active */
    hooks_run_jobs();
    st = status_of(id);
    CHECK_STR(st, "active");
    free(st);
    hooks_set_clock_noon(71); /* the day after */
    hooks_run_jobs();
    hooks_run_jobs();
    st = status_of(id);
    CHECK_STR(st, "expired");
    free(st);
    CHECK_INT(audit_count(id, "agreement.expire"), 1);
    CHECK_INT(notices(&school_other_coord, true, id), 1);
    CHECK_INT(notices(&host_other_coord, false, id), 2);
    hooks_set_clock(0);
    hooks_run_jobs();
}

TEST(server_shuts_down_gracefully)
{
    CHECK_INT(api_server_stop(&server), 0);
}

static void run_tests(void)
{
    API_RUN(a_host_proposes_the_school_signs_and_either_terminates);
    API_RUN(a_school_proposes_and_the_host_signs);
    API_RUN(outsiders_get_404_and_anonymous_401);
    API_RUN(bad_input_is_4xx_and_changes_nothing);
    API_RUN(an_offering_that_requires_an_affiliation_is_only_for_covered_students);
    API_RUN(saved_searches_eligible_for_me_count_the_agreement);
    API_RUN(reminders_60_and_30_days_before_the_end_once_each_then_expiry);
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
        .name = "api-agreements", .server = &server, .flags = flags, .setup = world_setup,
        .setup_what = "setting up hosts, schools and offerings", .run = run_tests, .finish = finish};
    return api_suite_main(&suite);
}
