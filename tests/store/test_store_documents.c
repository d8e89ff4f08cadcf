/* test_store_documents.c — the document wallet's store (store/documents.c),
 * run once on SQLite and once on PostgreSQL (ROUNDS_TEST_DB=postgres://…
 * selects it; otherwise a fresh SQLite file): documents and their versions,
 * reviews, deletion of a chain, quota bytes, whether a sealed file is still
 * used, staff's queue, attachments, requirements, reminders and expiry. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/crypto.h"
#include "store/applications.h"
#include "store/documents.h"
#include "store/store.h"
#include "test.h"
#include "store_fixtures.h"


/* The world every test shares: a host with an offering and a block, two
 * students and staff. */
static struct {
    const char *org, *site, *preceptor, *offering, *other_offering, *block, *later_block;
    struct store_user student, other_student, staff;
} W;

/* A document of the student with a fresh id (created_at orders versions). */
static struct store_document make_doc(const struct store_user *student, const char *kind, const char *blob,
                                      int64_t size, const char *expires_on, int64_t created_at)
{
    struct store_document d;
    memset(&d, 0, sizeof(d));
    d.id = unique("d_");
    d.student_id = student->id;
    d.kind = kind;
    d.state = "uploaded";
    d.file_name = "scan.pdf";
    d.media_type = "application/pdf";
    d.blob = blob;
    d.size = size;
    d.issued_on = "2024-01-15";
    d.expires_on = expires_on;
    d.created_at = created_at;
    d.updated_at = created_at;
    return d;
}

static const char *blob_name(void)
{
    char *s = arena_alloc(&arena, 65);
    char token[44];
    crypto_random_token(token);
    snprintf(s, 65, "%s", token);
    return s;
}

static struct store_application make_application(const struct store_user *student, const char *block,
                                                 const char *offering, const char *status)
{
    struct store_application a;
    memset(&a, 0, sizeof(a));
    a.id = unique("a_");
    a.student_id = student->id;
    a.block_id = block;
    a.offering_id = offering;
    a.organization_id = W.org;
    a.status = status;
    a.statement = "";
    a.created_at = clock_now();
    return a;
}

static bool setup_world(void)
{
    int64_t now = clock_now();
    W.org = unique("org_");
    W.site = unique("site_");
    W.preceptor = unique("prc_");
    W.offering = unique("off_");
    W.other_offering = unique("off_");
    W.block = unique("blk_");
    W.later_block = unique("blk_");
    W.student = make_user("student", "Ana Student");
    W.other_student = make_user("student", "Ben Student");
    W.staff = make_user("staff", "Sam Staff");
    if (store_user_insert(conn, &W.student) != DB_OK || store_user_insert(conn, &W.other_student) != DB_OK ||
        store_user_insert(conn, &W.staff) != DB_OK)
        return false;
    if (store_organization_insert(conn, W.org, "Lakeside Hospital", "host", now) != DB_OK)
        return false;
    struct store_site site = {.id = W.site, .organization_id = W.org, .name = "Main campus", .address = "1 Main St",
                              .city = "Albany", .state = "NY", .zip = "12207", .time_zone = "America/New_York",
                              .created_at = now};
    if (store_site_insert(conn, &site) != DB_OK)
        return false;
    char npi[16];
    snprintf(npi, sizeof(npi), "9%09d", (int)(getpid() % 1000000000));
    struct store_preceptor p = {.id = W.preceptor, .organization_id = W.org, .name = "Dr. Amal Rahman",
                                .email = "amal@example.org", .npi = npi, .specialty = "internal-medicine",
                                .license_state = "NY", .license_number = "LIC-1", .board_status = "certified",
                                .created_at = now};
    if (store_preceptor_insert(conn, &p) != DB_OK)
        return false;
    const char *offerings[] = {W.offering, W.other_offering};
    for (int i = 0; i < 2; i++) {
        struct store_offering o = {.id = offerings[i], .organization_id = W.org, .site_id = W.site,
                                   .preceptor_id = W.preceptor, .title = "Internal medicine",
                                   .specialty = "internal-medicine", .kind = "hands_on", .setting = "inpatient",
                                   .weeks = 4, .hours_per_week = 40, .tuition_cents = 250000,
                                   .students_allowed = true, .graduates_allowed = true,
                                   .max_years_since_graduation = -1, .visa_kinds = "", .description = "",
                                   .first_day = "", .refund_policy = "",
                                   .requirements = i == 0 ? "passport,tb-test" : "", .status = "published",
                                   .created_at = now, .updated_at = now};
        if (store_offering_insert(conn, &o) != DB_OK)
            return false;
    }
    struct store_block b = {.id = W.block, .offering_id = W.offering, .start_date = "2027-01-04",
                            .end_date = "2027-01-29", .seats = 4, .created_at = now};
    if (store_block_insert(conn, &b) != DB_OK)
        return false;
    struct store_block later = {.id = W.later_block, .offering_id = W.other_offering, .start_date = "2027-03-01",
                                .end_date = "2027-03-26", .seats = 4, .created_at = now};
    return store_block_insert(conn, &later) == DB_OK;
}

TEST(a_document_round_trips)
{
    struct store_document d = make_doc(&W.student, "passport", blob_name(), 1234, "2030-05-01", 1000);
    d.file_name = "Pas\xc3\xa1porte.pdf";
    CHECK_INT(store_document_insert(conn, &d), DB_OK);
    struct store_document got;
    CHECK_INT(store_document_get(conn, &arena, d.id, &got), DB_ROW);
    CHECK_STR(got.id, d.id);
    CHECK_STR(got.student_id, W.student.id);
    CHECK_STR(got.kind, "passport");
    CHECK_STR(got.state, "uploaded");
    CHECK_STR(got.file_name, "Pas\xc3\xa1porte.pdf");
    CHECK_STR(got.media_type, "application/pdf");
    CHECK_STR(got.blob, d.blob);
    CHECK_INT(got.size, 1234);
    CHECK_STR(got.issued_on, "2024-01-15");
    CHECK_STR(got.expires_on, "2030-05-01");
    CHECK_STR(got.reject_reason, "");
    CHECK(got.reviewed_by == NULL);
    CHECK_INT(got.reviewed_at, 0);
    CHECK(got.replaces_id == NULL);
    CHECK_INT(got.replaced_at, 0);
    CHECK_INT(got.deleted_at, 0);
    CHECK_INT(got.created_at, 1000);
    CHECK_STR(got.student_name, "Ana Student");
    CHECK_STR(got.student_email, W.student.email);

    /* Dates are optional. */
    struct store_document cv = make_doc(&W.student, "cv", blob_name(), 10, NULL, 1001);
    cv.issued_on = "";
    CHECK_INT(store_document_insert(conn, &cv), DB_OK);
    CHECK_INT(store_document_get(conn, &arena, cv.id, &got), DB_ROW);
    CHECK(got.issued_on == NULL);
    CHECK(got.expires_on == NULL);

    CHECK_INT(store_document_get(conn, &arena, "d_missing", &got), DB_DONE);
    /* The schema refuses a media type other than PDF, PNG, JPEG. */
    struct store_document html = make_doc(&W.student, "cv", blob_name(), 10, NULL, 1002);
    html.media_type = "text/html";
    CHECK(store_document_insert(conn, &html) != DB_OK);
}

TEST(versions_replace_and_keep_history)
{
    struct store_user s = make_user("student", "Chen Versions");
    CHECK_INT(store_user_insert(conn, &s), DB_OK);
    struct store_document v1 = make_doc(&s, "bls", blob_name(), 100, "2026-01-01", 2000);
    struct store_document v2 = make_doc(&s, "bls", blob_name(), 200, "2028-01-01", 2001);
    struct store_document v3 = make_doc(&s, "bls", blob_name(), 300, "2030-01-01", 2002);
    struct store_document passport = make_doc(&s, "passport", blob_name(), 50, "2031-01-01", 2003);
    v2.replaces_id = v1.id;
    v3.replaces_id = v2.id;
    CHECK_INT(store_document_insert(conn, &v1), DB_OK);
    CHECK_INT(store_document_mark_replaced(conn, v1.id, 2001), DB_OK);
    CHECK_INT(store_document_insert(conn, &v2), DB_OK);
    CHECK_INT(store_document_mark_replaced(conn, v2.id, 2002), DB_OK);
    CHECK_INT(store_document_insert(conn, &v3), DB_OK);
    CHECK_INT(store_document_insert(conn, &passport), DB_OK);
    /* Someone else replaced it first. */
    CHECK_INT(store_document_mark_replaced(conn, v1.id, 2005), DB_DONE);

    struct store_document *docs;
    size_t count;
    CHECK_INT(store_documents_current(conn, &arena, s.id, &docs, &count), DB_OK);
    CHECK_INT(count, 2);
    if (count == 2) {
        CHECK_STR(docs[0].id, v3.id); /* by kind: bls before passport */
        CHECK_STR(docs[1].id, passport.id);
        CHECK_STR(docs[0].replaces_id, v2.id);
    }
    CHECK_INT(store_document_history(conn, &arena, v3.id, &docs, &count), DB_OK);
    CHECK_INT(count, 2);
    if (count == 2) {
        CHECK_STR(docs[0].id, v2.id);
        CHECK_STR(docs[1].id, v1.id);
        CHECK_INT(docs[0].replaced_at, 2002);
    }
    CHECK_INT(store_document_history(conn, &arena, v1.id, &docs, &count), DB_OK);
    CHECK_INT(count, 0);
    /* A replaced version can still be read (history), but is not current. */
    struct store_document got;
    CHECK_INT(store_document_get(conn, &arena, v1.id, &got), DB_ROW);
    CHECK_INT(got.replaced_at, 2001);

    /* Every version counts against the quota. */
    int64_t bytes = -1;
    CHECK_INT(store_documents_bytes(conn, s.id, &bytes), DB_OK);
    CHECK_INT(bytes, 650);
    struct store_user empty = make_user("student", "Nobody Yet");
    CHECK_INT(store_user_insert(conn, &empty), DB_OK);
    CHECK_INT(store_documents_bytes(conn, empty.id, &bytes), DB_OK);
    CHECK_INT(bytes, 0);

    /* Deleting the current version deletes the chain; the other kind stays. */
    CHECK_INT(store_document_delete(conn, v3.id, 3000), DB_OK);
    CHECK_INT(store_document_get(conn, &arena, v3.id, &got), DB_DONE);
    CHECK_INT(store_document_get(conn, &arena, v2.id, &got), DB_DONE);
    CHECK_INT(store_document_get(conn, &arena, v1.id, &got), DB_DONE);
    CHECK_INT(store_document_get(conn, &arena, passport.id, &got), DB_ROW);
    CHECK_INT(store_documents_current(conn, &arena, s.id, &docs, &count), DB_OK);
    CHECK_INT(count, 1);
    CHECK_INT(store_documents_bytes(conn, s.id, &bytes), DB_OK);
    CHECK_INT(bytes, 50);
    CHECK_INT(store_document_history(conn, &arena, v3.id, &docs, &count), DB_OK);
    CHECK_INT(count, 0);
    /* A deleted version cannot be replaced any more. */
    CHECK_INT(store_document_mark_replaced(conn, v3.id, 3001), DB_DONE);
}

TEST(review_moves_only_from_the_expected_state)
{
    struct store_document d = make_doc(&W.student, "visa", blob_name(), 10, "2030-01-01", 4000);
    CHECK_INT(store_document_insert(conn, &d), DB_OK);
    CHECK_INT(store_document_review(conn, d.id, "uploaded", "rejected", "Blurry scan", W.staff.id, 4100), DB_OK);
    struct store_document got;
    CHECK_INT(store_document_get(conn, &arena, d.id, &got), DB_ROW);
    CHECK_STR(got.state, "rejected");
    CHECK_STR(got.reject_reason, "Blurry scan");
    CHECK_STR(got.reviewed_by, W.staff.id);
    CHECK_INT(got.reviewed_at, 4100);
    CHECK_INT(got.updated_at, 4100);
    /* Twice: it is no longer uploaded. */
    CHECK_INT(store_document_review(conn, d.id, "uploaded", "verified", "", W.staff.id, 4200), DB_DONE);
    CHECK_INT(store_document_get(conn, &arena, d.id, &got), DB_ROW);
    CHECK_STR(got.state, "rejected");

    /* A replaced version is not reviewed. */
    struct store_document old = make_doc(&W.student, "hipaa-training", blob_name(), 10, NULL, 4300);
    CHECK_INT(store_document_insert(conn, &old), DB_OK);
    CHECK_INT(store_document_mark_replaced(conn, old.id, 4301), DB_OK);
    CHECK_INT(store_document_review(conn, old.id, "uploaded", "verified", "", W.staff.id, 4302), DB_DONE);
    CHECK_INT(store_document_review(conn, "d_missing", "uploaded", "verified", "", W.staff.id, 4302), DB_DONE);
    /* The schema knows only three states. */
    struct store_document other = make_doc(&W.student, "photo", blob_name(), 10, NULL, 4400);
    CHECK_INT(store_document_insert(conn, &other), DB_OK);
    CHECK(store_document_review(conn, other.id, "uploaded", "approved", "", W.staff.id, 4401) != DB_OK);
}

TEST(a_blob_is_in_use_while_any_row_needs_it)
{
    const char *shared = blob_name();
    struct store_document mine = make_doc(&W.student, "mmr", shared, 10, NULL, 5000);
    struct store_document theirs = make_doc(&W.other_student, "mmr", shared, 10, NULL, 5001);
    CHECK_INT(store_document_insert(conn, &mine), DB_OK);
    CHECK_INT(store_document_insert(conn, &theirs), DB_OK);
    bool in_use = false;
    CHECK_INT(store_blob_in_use(conn, shared, &in_use), DB_OK);
    CHECK(in_use);
    CHECK_INT(store_document_delete(conn, mine.id, 5100), DB_OK);
    CHECK_INT(store_blob_in_use(conn, shared, &in_use), DB_OK);
    CHECK(in_use);
    CHECK_INT(store_document_delete(conn, theirs.id, 5101), DB_OK);
    CHECK_INT(store_blob_in_use(conn, shared, &in_use), DB_OK);
    CHECK(!in_use);
    CHECK_INT(store_blob_in_use(conn, "never-stored", &in_use), DB_OK);
    CHECK(!in_use);
}

TEST(staff_queue_oldest_first_with_a_cursor)
{
    struct store_user s = make_user("student", "Dana Queue");
    CHECK_INT(store_user_insert(conn, &s), DB_OK);
    /* Ids sort by creation, as crypto_sortable_id makes them. */
    const char *ids[4];
    for (int i = 0; i < 4; i++) {
        char id[48];
        crypto_sortable_id("d_", clock_now_ms() + i, id, sizeof(id));
        ids[i] = arena_strdup(&arena, id);
        struct store_document d = make_doc(&s, "cv", blob_name(), 1, NULL, 6000 + i);
        d.id = ids[i];
        CHECK_INT(store_document_insert(conn, &d), DB_OK);
    }
    /* Reviewed and replaced ones leave the queue. */
    CHECK_INT(store_document_review(conn, ids[1], "uploaded", "verified", "", W.staff.id, 6100), DB_OK);
    CHECK_INT(store_document_mark_replaced(conn, ids[2], 6101), DB_OK);

    /* Walk the whole queue two by two and keep ours. */
    const char *seen[8];
    size_t seen_count = 0;
    const char *cursor = NULL;
    for (int page = 0; page < 1000; page++) {
        struct store_document *docs;
        size_t count;
        CHECK_INT(store_documents_to_verify(conn, &arena, cursor, 2, &docs, &count), DB_OK);
        CHECK(count <= 2);
        for (size_t i = 0; i < count; i++) {
            CHECK_STR(docs[i].state, "uploaded");
            CHECK_INT(docs[i].replaced_at, 0);
            if (strcmp(docs[i].student_id, s.id) == 0 && seen_count < 8)
                seen[seen_count++] = docs[i].id;
        }
        if (count < 2)
            break;
        cursor = docs[count - 1].id;
    }
    CHECK_INT(seen_count, 2);
    if (seen_count == 2) {
        CHECK_STR(seen[0], ids[0]);
        CHECK_STR(seen[1], ids[3]);
    }
}

TEST(attachments_and_active_bookings)
{
    struct store_application booked = make_application(&W.student, W.block, W.offering, "booked");
    struct store_application submitted = make_application(&W.student, W.later_block, W.other_offering, "submitted");
    CHECK_INT(store_application_insert(conn, &booked), DB_OK);
    CHECK_INT(store_application_insert(conn, &submitted), DB_OK);

    struct store_document v1 = make_doc(&W.student, "tdap", blob_name(), 10, NULL, 7000);
    struct store_document v2 = make_doc(&W.student, "tdap", blob_name(), 10, NULL, 7001);
    struct store_document loose = make_doc(&W.student, "influenza", blob_name(), 10, NULL, 7002);
    v2.replaces_id = v1.id;
    CHECK_INT(store_document_insert(conn, &v1), DB_OK);
    CHECK_INT(store_document_insert(conn, &loose), DB_OK);
    CHECK_INT(store_application_document_attach(conn, booked.id, v1.id, 7010), DB_OK);
    CHECK_INT(store_application_document_attach(conn, booked.id, v1.id, 7011), DB_OK); /* twice is fine */
    CHECK_INT(store_application_document_attach(conn, submitted.id, loose.id, 7012), DB_OK);
    CHECK_INT(store_document_mark_replaced(conn, v1.id, 7020), DB_OK);
    CHECK_INT(store_document_insert(conn, &v2), DB_OK);

    const char **ids;
    size_t count;
    CHECK_INT(store_application_documents(conn, &arena, booked.id, &ids, &count), DB_OK);
    CHECK_INT(count, 1);
    if (count == 1)
        CHECK_STR(ids[0], v1.id);
    bool attached = false;
    CHECK_INT(store_application_has_document(conn, booked.id, v1.id, &attached), DB_OK);
    CHECK(attached);
    CHECK_INT(store_application_has_document(conn, booked.id, v2.id, &attached), DB_OK);
    CHECK(!attached);
    CHECK_INT(store_application_has_document(conn, submitted.id, v1.id, &attached), DB_OK);
    CHECK(!attached);

    /* The current version is in use through its older, attached version. */
    CHECK_INT(store_document_attached_active(conn, v2.id, &attached), DB_OK);
    CHECK(attached);
    /* Attached only to a submitted application: not in use. */
    CHECK_INT(store_document_attached_active(conn, loose.id, &attached), DB_OK);
    CHECK(!attached);
    /* An unknown document is attached to nothing; so is an unknown application. */
    CHECK_INT(store_document_attached_active(conn, "d_missing", &attached), DB_OK);
    CHECK(!attached);
    CHECK(store_application_document_attach(conn, "a_missing", loose.id, 7030) != DB_OK);

    /* The student's applications, by status and by end date. */
    struct store_application *apps;
    size_t app_count;
    CHECK_INT(store_student_applications(conn, &arena, W.student.id, "held,booked,cleared,in_progress", NULL, &apps,
                                         &app_count),
              DB_OK);
    CHECK_INT(app_count, 1);
    if (app_count == 1) {
        CHECK_STR(apps[0].id, booked.id);
        CHECK_STR(apps[0].organization_id, W.org);
        CHECK_STR(apps[0].offering_id, W.offering);
        CHECK_STR(apps[0].block_start, "2027-01-04");
        CHECK_STR(apps[0].block_end, "2027-01-29");
        CHECK_STR(apps[0].host_name, "Lakeside Hospital");
        CHECK_STR(apps[0].status, "booked");
    }
    CHECK_INT(store_student_applications(conn, &arena, W.student.id, "submitted,booked", NULL, &apps, &app_count),
              DB_OK);
    CHECK_INT(app_count, 2);
    CHECK_INT(store_student_applications(conn, &arena, W.student.id, "submitted,booked", "2027-02-01", &apps,
                                         &app_count),
              DB_OK);
    CHECK_INT(app_count, 1);
    if (app_count == 1)
        CHECK_STR(apps[0].id, submitted.id);
    /* "book" is not "booked": statuses match whole words. */
    CHECK_INT(store_student_applications(conn, &arena, W.student.id, "book,submit", NULL, &apps, &app_count), DB_OK);
    CHECK_INT(app_count, 0);
    CHECK_INT(store_student_applications(conn, &arena, W.other_student.id, "submitted,booked", NULL, &apps,
                                         &app_count),
              DB_OK);
    CHECK_INT(app_count, 0);

    /* A deleted document drops out of the application's list. */
    CHECK_INT(store_document_delete(conn, loose.id, 7100), DB_OK);
    CHECK_INT(store_application_documents(conn, &arena, submitted.id, &ids, &count), DB_OK);
    CHECK_INT(count, 0);
}

TEST(requirements_one_per_kind_and_level)
{
    struct store_requirement host_rule = {.id = unique("rq_"), .organization_id = W.org, .offering_id = NULL,
                                          .kind = "tb-test", .issued_within_days = 365, .created_at = 8000};
    struct store_requirement offering_rule = {.id = unique("rq_"), .organization_id = W.org,
                                              .offering_id = W.offering, .kind = "tb-test",
                                              .issued_within_days = 90, .created_at = 8001};
    struct store_requirement bls = {.id = unique("rq_"), .organization_id = W.org, .offering_id = NULL,
                                    .kind = "bls", .issued_within_days = 0, .created_at = 8002};
    struct store_requirement other = {.id = unique("rq_"), .organization_id = W.org,
                                      .offering_id = W.other_offering, .kind = "covid-19", .created_at = 8003};
    CHECK_INT(store_requirement_insert(conn, &host_rule), DB_OK);
    CHECK_INT(store_requirement_insert(conn, &offering_rule), DB_OK); /* same kind, another level */
    CHECK_INT(store_requirement_insert(conn, &bls), DB_OK);
    CHECK_INT(store_requirement_insert(conn, &other), DB_OK);
    struct store_requirement again = host_rule;
    again.id = unique("rq_");
    CHECK_INT(store_requirement_insert(conn, &again), DB_CONSTRAINT);
    again = offering_rule;
    again.id = unique("rq_");
    CHECK_INT(store_requirement_insert(conn, &again), DB_CONSTRAINT);
    /* Out of range days are refused by the schema too. */
    again = bls;
    again.id = unique("rq_");
    again.kind = "drug-screen";
    again.issued_within_days = 4000;
    CHECK(store_requirement_insert(conn, &again) != DB_OK);

    struct store_requirement got;
    CHECK_INT(store_requirement_get(conn, &arena, bls.id, &got), DB_ROW);
    CHECK_STR(got.kind, "bls");
    CHECK_INT(got.issued_within_days, 0);
    CHECK(got.offering_id == NULL);
    CHECK_STR(got.organization_id, W.org);
    CHECK_INT(store_requirement_get(conn, &arena, offering_rule.id, &got), DB_ROW);
    CHECK_STR(got.offering_id, W.offering);
    CHECK_INT(got.issued_within_days, 90);
    CHECK_INT(store_requirement_get(conn, &arena, "rq_missing", &got), DB_DONE);

    struct store_requirement *rules;
    size_t count;
    CHECK_INT(store_requirements_for(conn, &arena, W.org, NULL, &rules, &count), DB_OK);
    CHECK_INT(count, 2); /* the host-wide ones */
    for (size_t i = 0; i < count; i++)
        CHECK(rules[i].offering_id == NULL);
    CHECK_INT(store_requirements_for(conn, &arena, W.org, W.offering, &rules, &count), DB_OK);
    CHECK_INT(count, 3); /* host-wide bls and tb-test, the offering's tb-test; not the other offering's */
    for (size_t i = 0; i < count; i++)
        CHECK(strcmp(rules[i].kind, "covid-19") != 0);
    CHECK_INT(store_requirements_for(conn, &arena, "org_missing", NULL, &rules, &count), DB_OK);
    CHECK_INT(count, 0);

    CHECK_INT(store_requirement_delete(conn, other.id), DB_OK);
    CHECK_INT(store_requirement_get(conn, &arena, other.id, &got), DB_DONE);
    CHECK_INT(store_requirements_for(conn, &arena, W.org, W.other_offering, &rules, &count), DB_OK);
    CHECK_INT(count, 2);
    /* Removed, the kind can be required again. */
    other.id = unique("rq_");
    CHECK_INT(store_requirement_insert(conn, &other), DB_OK);
}

TEST(reminders_are_claimed_once)
{
    struct store_application a = make_application(&W.other_student, W.block, W.offering, "cleared");
    CHECK_INT(store_application_insert(conn, &a), DB_OK);
    struct store_document d = make_doc(&W.other_student, "passport", blob_name(), 10, "2027-01-10", 9000);
    CHECK_INT(store_document_insert(conn, &d), DB_OK);
    CHECK_INT(store_document_reminder_claim(conn, d.id, 30, a.id, 9100), DB_OK);
    CHECK_INT(store_document_reminder_claim(conn, d.id, 30, a.id, 9101), DB_DONE);
    CHECK_INT(store_document_reminder_claim(conn, d.id, 7, a.id, 9102), DB_OK);
    CHECK_INT(store_document_reminder_claim(conn, d.id, 7, a.id, 9103), DB_DONE);
}

TEST(expiring_documents_between_two_dates)
{
    struct store_user s = make_user("student", "Eli Expiring");
    CHECK_INT(store_user_insert(conn, &s), DB_OK);
    /* A window in the far future that no other test touches. */
    struct store_document before = make_doc(&s, "passport", blob_name(), 1, "2091-02-28", 10000);
    struct store_document first = make_doc(&s, "visa", blob_name(), 1, "2091-03-01", 10001);
    struct store_document last = make_doc(&s, "bls", blob_name(), 1, "2091-03-31", 10002);
    struct store_document after = make_doc(&s, "tdap", blob_name(), 1, "2091-04-01", 10003);
    struct store_document replaced = make_doc(&s, "mmr", blob_name(), 1, "2091-03-10", 10004);
    struct store_document deleted = make_doc(&s, "varicella", blob_name(), 1, "2091-03-11", 10005);
    struct store_document never = make_doc(&s, "cv", blob_name(), 1, NULL, 10006);
    struct store_document *all[] = {&before, &first, &last, &after, &replaced, &deleted, &never};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        CHECK_INT(store_document_insert(conn, all[i]), DB_OK);
    CHECK_INT(store_document_mark_replaced(conn, replaced.id, 10100), DB_OK);
    CHECK_INT(store_document_delete(conn, deleted.id, 10101), DB_OK);

    struct store_document *docs;
    size_t count;
    CHECK_INT(store_documents_expiring(conn, &arena, "2091-03-01", "2091-03-07", "2091-03-31", &docs, &count), DB_OK);
    CHECK_INT(count, 2);
    if (count == 2) {
        CHECK_STR(docs[0].id, first.id); /* soonest first */
        CHECK_STR(docs[1].id, last.id);
        CHECK_STR(docs[0].student_email, s.email);
        CHECK_STR(docs[0].student_name, "Eli Expiring");
    }

    /* Once its due reminder is sent a document leaves the list: the 30-day one
     * for `last`; `first` expires within the week, so its 30-day one does not count. */
    struct store_application a = make_application(&s, W.block, W.offering, "booked");
    CHECK_INT(store_application_insert(conn, &a), DB_OK);
    CHECK_INT(store_document_reminder_claim(conn, last.id, 30, a.id, 10200), DB_OK);
    CHECK_INT(store_document_reminder_claim(conn, first.id, 30, a.id, 10201), DB_OK);
    CHECK_INT(store_documents_expiring(conn, &arena, "2091-03-01", "2091-03-07", "2091-03-31", &docs, &count), DB_OK);
    CHECK_INT(count, 1);
    if (count == 1)
        CHECK_STR(docs[0].id, first.id);
    CHECK_INT(store_document_reminder_claim(conn, first.id, 7, a.id, 10202), DB_OK);
    CHECK_INT(store_documents_expiring(conn, &arena, "2091-03-01", "2091-03-07", "2091-03-31", &docs, &count), DB_OK);
    CHECK_INT(count, 0);
}

int main(void)
{
    if (!store_fixture_open("store-documents", FIXTURE_FOLDER_FOR_SQLITE))
        return 1;
    if (!store_fixture_migrate() || !setup_world()) {
        printf("cannot set up the test world\n");
        db_close(conn);
        return 1;
    }
    RUN(a_document_round_trips);
    RUN(versions_replace_and_keep_history);
    RUN(review_moves_only_from_the_expected_state);
    RUN(a_blob_is_in_use_while_any_row_needs_it);
    RUN(staff_queue_oldest_first_with_a_cursor);
    RUN(attachments_and_active_bookings);
    RUN(requirements_one_per_kind_and_level);
    RUN(reminders_are_claimed_once);
    RUN(expiring_documents_between_two_dates);
    return store_fixture_close("store_documents");
}
