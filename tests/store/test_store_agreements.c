/* test_store_agreements.c — affiliation agreements' store
 * (store/agreements.c), run once on SQLite and once on PostgreSQL
 * (ROUNDS_TEST_DB=postgres://… selects it; otherwise a fresh SQLite file):
 * a row round-trips with its joined names, each move happens only from the
 * state it leaves (so two instances never both make one), reminder bits are
 * claimed once, the jobs' queries find what is due, lists per organisation,
 * and a student's affiliations come only from active agreements of schools
 * they are actively linked to. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/crypto.h"
#include "store/agreements.h"
#include "store/schools.h"
#include "store/store.h"
#include "test.h"
#include "store_fixtures.h"


static struct {
    const char *host, *other_host, *school, *other_school;
    struct store_user coordinator, student;
} W;

static bool setup_world(void)
{
    int64_t now = clock_now();
    W.host = unique("org_h");
    W.other_host = unique("org_h");
    W.school = unique("org_s");
    W.other_school = unique("org_s");
    W.coordinator = make_user("host_coordinator", "Hana Host");
    W.student = make_user("student", "Sol Student");
    if (store_user_insert(conn, &W.coordinator) != DB_OK || store_user_insert(conn, &W.student) != DB_OK)
        return false;
    if (store_organization_insert(conn, W.host, "Lakeside Hospital", "host", now) != DB_OK ||
        store_organization_insert(conn, W.other_host, "Hillside Clinic", "host", now) != DB_OK ||
        store_organization_insert(conn, W.school, "Aurelia Medical School", "school", now) != DB_OK ||
        store_organization_insert(conn, W.other_school, "Coral Medical School", "school", now) != DB_OK)
        return false;
    struct store_school_student link = {.organization_id = W.school, .student_id = W.student.id,
                                        .status = "active", .updated_at = now};
    struct store_school_student left = {.organization_id = W.other_school, .student_id = W.student.id,
                                        .status = "left", .updated_at = now};
    return store_school_student_put(conn, &link) == DB_OK && store_school_student_put(conn, &left) == DB_OK;
}

static const char *add(const char *host, const char *school, const char *start, const char *end)
{
    struct store_agreement a = {.id = unique("ag_"), .host_id = host, .school_id = school, .start_date = start,
                                .end_date = end, .status = "proposed", .proposed_side = "host",
                                .proposed_by = W.coordinator.id, .created_at = clock_now() + serial};
    return store_agreement_insert(conn, &a) == DB_OK ? a.id : NULL;
}

TEST(an_agreement_round_trips_with_its_names)
{
    const char *id = add(W.host, W.school, "2027-01-01", "2027-12-31");
    CHECK(id != NULL);
    struct store_agreement a;
    CHECK_INT(store_agreement_get(conn, &arena, id, &a), DB_ROW);
    CHECK_STR(a.host_name, "Lakeside Hospital");
    CHECK_STR(a.school_name, "Aurelia Medical School");
    CHECK_STR(a.proposed_by_name, "Hana Host");
    CHECK_STR(a.status, "proposed");
    CHECK_STR(a.end_date, "2027-12-31");
    CHECK(a.file_address == NULL);
    CHECK_INT(a.reminders, 0);
    CHECK_INT(store_agreement_get(conn, &arena, "ag_nothing", &a), DB_DONE);
}

TEST(moves_happen_only_from_the_state_they_leave)
{
    const char *id = add(W.host, W.school, "2027-01-01", "2027-12-31");
    CHECK_INT(store_agreement_activate(conn, id, W.coordinator.id, "abc123", 42, 100), DB_OK);
    CHECK_INT(store_agreement_activate(conn, id, W.coordinator.id, "def456", 43, 101), DB_DONE);
    struct store_agreement a;
    CHECK_INT(store_agreement_get(conn, &arena, id, &a), DB_ROW);
    CHECK_STR(a.status, "active");
    CHECK_STR(a.file_address, "abc123");
    CHECK_INT(a.file_bytes, 42);
    CHECK_INT(a.activated_at, 100);
    CHECK_INT(store_agreement_expire(conn, id, 200), DB_OK);
    CHECK_INT(store_agreement_expire(conn, id, 201), DB_DONE);
    CHECK_INT(store_agreement_terminate(conn, id, W.coordinator.id, "late", 202), DB_DONE);
    CHECK_INT(store_agreement_get(conn, &arena, id, &a), DB_ROW);
    CHECK_STR(a.status, "expired");
    const char *other = add(W.host, W.school, "2027-01-01", "2027-03-31");
    CHECK_INT(store_agreement_terminate(conn, other, W.coordinator.id, "no longer", 300), DB_OK);
    CHECK_INT(store_agreement_terminate(conn, other, W.coordinator.id, "again", 301), DB_DONE);
    CHECK_INT(store_agreement_activate(conn, other, W.coordinator.id, "abc123", 42, 302), DB_DONE);
    CHECK_INT(store_agreement_get(conn, &arena, other, &a), DB_ROW);
    CHECK_STR(a.termination_reason, "no longer");
    CHECK_INT(a.terminated_at, 300);
}

TEST(reminder_bits_are_claimed_once)
{
    const char *id = add(W.other_host, W.other_school, "2027-01-01", "2027-06-30");
    CHECK_INT(store_agreement_claim_reminder(conn, id, AGREEMENT_REMINDED_60), DB_OK);
    CHECK_INT(store_agreement_claim_reminder(conn, id, AGREEMENT_REMINDED_60), DB_DONE);
    CHECK_INT(store_agreement_claim_reminder(conn, id, AGREEMENT_REMINDED_30 | AGREEMENT_REMINDED_60), DB_OK);
    CHECK_INT(store_agreement_claim_reminder(conn, id, AGREEMENT_REMINDED_30), DB_DONE);
    struct store_agreement a;
    CHECK_INT(store_agreement_get(conn, &arena, id, &a), DB_ROW);
    CHECK_INT(a.reminders, AGREEMENT_REMINDED_30 | AGREEMENT_REMINDED_60);
}

static bool listed(const struct store_agreement *items, size_t count, const char *id)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(items[i].id, id) == 0)
            return true;
    return false;
}

TEST(the_jobs_find_what_is_due_and_lists_are_per_organisation)
{
    const char *past = add(W.other_host, W.school, "2020-01-01", "2020-12-31");
    const char *ending = add(W.other_host, W.school, "2020-01-01", "2031-02-15");
    const char *later = add(W.other_host, W.school, "2020-01-01", "2031-09-30");
    const char *proposed = add(W.other_host, W.school, "2020-01-01", "2020-06-30");
    CHECK_INT(store_agreement_activate(conn, past, W.coordinator.id, "f", 1, 1), DB_OK);
    CHECK_INT(store_agreement_activate(conn, ending, W.coordinator.id, "f", 1, 1), DB_OK);
    CHECK_INT(store_agreement_activate(conn, later, W.coordinator.id, "f", 1, 1), DB_OK);
    struct store_agreement *items;
    size_t count;
    CHECK_INT(store_agreements_past_end(conn, &arena, "2021-01-01", 100, &items, &count), DB_OK);
    CHECK(listed(items, count, past));
    CHECK(!listed(items, count, ending) && !listed(items, count, proposed)); /* proposed ones do not expire */
    CHECK_INT(store_agreements_ending(conn, &arena, "2031-01-01", "2031-03-01", 100, &items, &count), DB_OK);
    CHECK(listed(items, count, ending));
    CHECK(!listed(items, count, later) && !listed(items, count, past));
    CHECK_INT(store_agreements_list(conn, &arena, W.other_host, 100, &items, &count), DB_OK);
    CHECK(listed(items, count, past) && listed(items, count, proposed));
    CHECK_INT(store_agreements_list(conn, &arena, W.other_school, 100, &items, &count), DB_OK);
    CHECK(!listed(items, count, past));
    for (size_t i = 0; i < count; i++)
        CHECK_STR(items[i].school_id, W.other_school);
}

TEST(a_students_affiliations_are_active_agreements_of_their_active_schools)
{
    const char *host = unique("org_h");
    CHECK_INT(store_organization_insert(conn, host, "Bayside Hospital", "host", clock_now()), DB_OK);
    const char *active = add(host, W.school, "2027-01-01", "2027-12-31");
    const char *proposed = add(host, W.school, "2028-01-01", "2028-12-31");
    const char *left_school = add(host, W.other_school, "2029-01-01", "2029-12-31");
    CHECK_INT(store_agreement_activate(conn, active, W.coordinator.id, "f", 1, 1), DB_OK);
    CHECK_INT(store_agreement_activate(conn, left_school, W.coordinator.id, "f", 1, 1), DB_OK);
    (void)proposed;
    struct store_affiliation *items;
    size_t count;
    CHECK_INT(store_student_affiliations(conn, &arena, W.student.id, &items, &count), DB_OK);
    size_t with_host = 0;
    for (size_t i = 0; i < count; i++) {
        if (strcmp(items[i].host_id, host) != 0)
            continue;
        with_host++;
        CHECK_STR(items[i].start_date, "2027-01-01");
        CHECK_STR(items[i].end_date, "2027-12-31");
    }
    CHECK_INT(with_host, 1);
}

int main(void)
{
    if (!store_fixture_open("store-agreements", FIXTURE_FOLDER_FOR_SQLITE))
        return 1;
    if (!store_fixture_migrate() || !setup_world()) {
        printf("cannot set up the test world\n");
        db_close(conn);
        return 1;
    }
    RUN(an_agreement_round_trips_with_its_names);
    RUN(moves_happen_only_from_the_state_they_leave);
    RUN(reminder_bits_are_claimed_once);
    RUN(the_jobs_find_what_is_due_and_lists_are_per_organisation);
    RUN(a_students_affiliations_are_active_agreements_of_their_active_schools);
    return store_fixture_close("store_agreements");
}
