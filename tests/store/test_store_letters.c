/* test_store_letters.c — letters of recommendation and readiness over a real
 * database, once on SQLite and once on PostgreSQL (ROUNDS_TEST_DB=postgres://…
 * selects it; otherwise a fresh SQLite file): the store functions of
 * store/letters.h, then the domain's flows on top of them (requests, tokens,
 * the author's answers, uploads when the blob store is built, the waiver,
 * reminders, readiness). */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/letters.h"
#include "domain/readiness.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/limits.h"
#include "store/applications.h"
#include "store/blobs.h"
#include "store/letters.h"
#include "test.h"
#include "store_fixtures.h"

enum { DAY = 86400 };

static bool blobs_built;

static const char *org_id, *site_id;

static const char *add_preceptor(const char *user_id, bool verified)
{
    char *npi = arena_alloc(&arena, NPI_BYTES + 1); /* "9", 4 digits of the pid, 5 of the serial: 10 digits */
    snprintf(npi, NPI_BYTES + 1, "9%04u%05u", (unsigned)getpid() % 10000u, (unsigned)++serial % 100000u);
    struct store_preceptor p = {
        .id = unique("p_"), .organization_id = org_id, .user_id = user_id, .name = "Dr. Ada Reyes",
        .email = "Ada.Reyes@Lakeside.example", .npi = npi, .specialty = "cardiology", .license_state = "NY",
        .license_number = "123456", .board_status = "certified", .verified = verified, .created_at = clock_now(),
    };
    CHECK_INT(store_preceptor_insert(conn, &p), DB_OK);
    return p.id;
}

static const char *add_offering(const char *preceptor_id, const char *kind, int64_t weeks)
{
    int64_t now = clock_now();
    struct store_offering o = {
        .id = unique("o_"), .organization_id = org_id, .site_id = site_id, .preceptor_id = preceptor_id,
        .title = "Cardiology Clerkship", .specialty = "cardiology", .kind = kind, .setting = "inpatient",
        .weeks = weeks, .hours_per_week = 40, .tuition_cents = 100000, .students_allowed = true,
        .graduates_allowed = true, .max_years_since_graduation = -1, .status = "published", .created_at = now,
        .updated_at = now,
    };
    CHECK_INT(store_offering_insert(conn, &o), DB_OK);
    return o.id;
}

static const char *add_application(const char *student_id, const char *offering_id, const char *status)
{
    struct store_block b = {.id = unique("b_"), .offering_id = offering_id, .start_date = "2030-01-07",
                            .end_date = "2030-02-01", .seats = 5, .created_at = clock_now()};
    CHECK_INT(store_block_insert(conn, &b), DB_OK);
    struct store_application a = {.id = unique("a_"), .student_id = student_id, .block_id = b.id,
                                  .offering_id = offering_id, .organization_id = org_id, .status = status,
                                  .created_at = clock_now()};
    CHECK_INT(store_application_insert(conn, &a), DB_OK);
    return a.id;
}

/* Hours in the application's log, 8 a day from its first day on, in state (confirmed counts). */
static void add_hours(const char *student_id, const char *application_id, int64_t hours, const char *state)
{
    int32_t first = clock_days_from_date("2030-01-07");
    for (int64_t day = 0, left = hours * 60; left > 0; day++) {
        char date[11];
        clock_date_from_days(first + (int32_t)day, date);
        struct store_hours_entry e = {.id = unique("h_"), .application_id = application_id, .student_id = student_id,
                                      .day = date, .minutes = left > 480 ? 480 : left, .setting = "inpatient",
                                      .state = state, .created_at = clock_now()};
        CHECK_INT(store_hours_insert(conn, &e), DB_OK);
        left -= e.minutes;
    }
}

static struct store_letter new_letter(const char *student_id)
{
    struct store_letter l;
    memset(&l, 0, sizeof(l));
    l.id = unique("l_");
    l.student_id = student_id;
    l.author_name = "Dr. Sam Okafor";
    l.author_email = "sam@clinic.example";
    l.state = "requested";
    l.requested_at = clock_now();
    return l;
}

static int64_t count_rows(const char *sql, const char *param)
{
    struct db_stmt *st = db_prepare(conn, sql);
    db_bind_text(st, 1, param);
    int64_t n = db_step(st) == DB_ROW ? db_column_int(st, 0) : -1;
    db_reset(st);
    return n;
}

/* ---- store ---- */

TEST(letters_round_trip)
{
    struct store_user student = add_user("student", "Lina Haddad");
    struct store_letter l = new_letter(student.id);
    l.waived = true;
    l.waived_at = l.requested_at;
    l.eras_letter_id = "LOR-1";
    CHECK_INT(store_letter_insert(conn, &l), DB_OK);
    CHECK_INT(store_letter_insert(conn, &l), DB_CONSTRAINT);
    struct store_letter got;
    CHECK_INT(store_letter_get(conn, &arena, l.id, &got), DB_ROW);
    CHECK_STR(got.id, l.id);
    CHECK_STR(got.student_id, student.id);
    CHECK_STR(got.student_name, "Lina Haddad");
    CHECK_STR(got.student_email, student.email);
    CHECK_STR(got.author_name, "Dr. Sam Okafor");
    CHECK_STR(got.author_email, "sam@clinic.example");
    CHECK(got.author_user_id == NULL && got.preceptor_id == NULL && got.application_id == NULL);
    CHECK(got.preceptor_user_id == NULL);
    CHECK(got.waived);
    CHECK_INT(got.waived_at, l.requested_at);
    CHECK_STR(got.eras_letter_id, "LOR-1");
    CHECK_STR(got.state, "requested");
    CHECK_STR(got.decline_reason, "");
    CHECK_INT(got.token_used_at, 0);
    CHECK_INT(got.requested_at, l.requested_at);
    CHECK_INT(got.accepted_at + got.declined_at + got.uploaded_at + got.delivered_at, 0);
    CHECK_INT(got.reminded_7_at + got.reminded_14_at, 0);
    CHECK(!got.from_us_physician);
    CHECK_INT(got.version_count, 0);
    CHECK_INT(store_letter_get(conn, &arena, "l_missing", &got), DB_DONE);

    struct store_letter open = new_letter(student.id);
    CHECK_INT(store_letter_insert(conn, &open), DB_OK);
    CHECK_INT(store_letter_get(conn, &arena, open.id, &got), DB_ROW);
    CHECK(!got.waived);
    CHECK_INT(got.waived_at, 0);
    CHECK_STR(got.eras_letter_id, "");
}

TEST(tokens_open_their_letter)
{
    struct store_user student = add_user("student", "Lina Haddad");
    struct store_letter l = new_letter(student.id);
    CHECK_INT(store_letter_insert(conn, &l), DB_OK);
    char h1[65], h2[65];
    crypto_hash_token(unique("t"), h1);
    crypto_hash_token(unique("t"), h2);
    int64_t now = clock_now();
    CHECK_INT(store_letter_token_add(conn, l.id, h1, now + 30 * DAY, now), DB_OK);
    CHECK_INT(store_letter_token_add(conn, l.id, h2, now + 60 * DAY, now), DB_OK);
    CHECK_INT(store_letter_token_add(conn, l.id, h2, now + 60 * DAY, now), DB_CONSTRAINT);
    struct store_letter got;
    int64_t expires = 0;
    CHECK_INT(store_letter_by_token(conn, &arena, h1, &got, &expires), DB_ROW);
    CHECK_STR(got.id, l.id);
    CHECK_STR(got.student_name, "Lina Haddad");
    CHECK_INT(expires, now + 30 * DAY);
    CHECK_INT(store_letter_by_token(conn, &arena, h2, &got, &expires), DB_ROW);
    CHECK_INT(expires, now + 60 * DAY);
    char other[65];
    crypto_hash_token("nobody", other);
    CHECK_INT(store_letter_by_token(conn, &arena, other, &got, &expires), DB_DONE);

    CHECK_INT(store_letter_use_token(conn, l.id, now + 5), DB_OK);
    CHECK_INT(store_letter_use_token(conn, l.id, now + 9), DB_OK);
    CHECK_INT(store_letter_get(conn, &arena, l.id, &got), DB_ROW);
    CHECK_INT(got.token_used_at, now + 5); /* the first time stays */
}

TEST(moves_stamp_their_state)
{
    struct store_user student = add_user("student", "Lina Haddad");
    struct store_letter l = new_letter(student.id);
    CHECK_INT(store_letter_insert(conn, &l), DB_OK);
    int64_t t = clock_now();
    struct store_letter got;
    CHECK_INT(store_letter_move(conn, l.id, "accepted", "declined", "x", t), DB_DONE); /* not accepted */
    CHECK_INT(store_letter_move(conn, l.id, "requested", "accepted", NULL, t + 1), DB_OK);
    CHECK_INT(store_letter_get(conn, &arena, l.id, &got), DB_ROW);
    CHECK_STR(got.state, "accepted");
    CHECK_INT(got.accepted_at, t + 1);
    CHECK_INT(got.updated_at, t + 1);
    CHECK_INT(store_letter_move(conn, l.id, "accepted", "declined", "On leave until May", t + 2), DB_OK);
    CHECK_INT(store_letter_get(conn, &arena, l.id, &got), DB_ROW);
    CHECK_STR(got.state, "declined");
    CHECK_INT(got.declined_at, t + 2);
    CHECK_STR(got.decline_reason, "On leave until May");
    CHECK_INT(got.accepted_at, t + 1);

    /* an upload straight from requested accepts it too; new versions keep the delivery time */
    struct store_letter u = new_letter(student.id);
    CHECK_INT(store_letter_insert(conn, &u), DB_OK);
    CHECK_INT(store_letter_move(conn, u.id, "requested", "uploaded", NULL, t + 3), DB_OK);
    CHECK_INT(store_letter_get(conn, &arena, u.id, &got), DB_ROW);
    CHECK_INT(got.accepted_at, t + 3);
    CHECK_INT(got.uploaded_at, t + 3);
    CHECK_INT(store_letter_move(conn, u.id, "uploaded", "uploaded", NULL, t + 4), DB_OK);
    CHECK_INT(store_letter_move(conn, u.id, "uploaded", "delivered", NULL, t + 5), DB_OK);
    CHECK_INT(store_letter_move(conn, u.id, "delivered", "uploaded", NULL, t + 6), DB_OK);
    CHECK_INT(store_letter_get(conn, &arena, u.id, &got), DB_ROW);
    CHECK_STR(got.state, "uploaded");
    CHECK_INT(got.accepted_at, t + 3);
    CHECK_INT(got.uploaded_at, t + 6);
    CHECK_INT(got.delivered_at, t + 5);
    CHECK_STR(got.decline_reason, "");

    CHECK_INT(store_letter_set_eras_id(conn, u.id, "ABC-9", t + 7), DB_OK);
    CHECK_INT(store_letter_get(conn, &arena, u.id, &got), DB_ROW);
    CHECK_STR(got.eras_letter_id, "ABC-9");
    CHECK_INT(store_letter_move(conn, "l_missing", "requested", "accepted", NULL, t), DB_DONE);
}

TEST(waiver_is_set_once)
{
    struct store_user student = add_user("student", "Lina Haddad");
    struct store_letter l = new_letter(student.id);
    CHECK_INT(store_letter_insert(conn, &l), DB_OK);
    int64_t t = clock_now();
    CHECK_INT(store_letter_waive(conn, l.id, t + 10), DB_OK);
    CHECK_INT(store_letter_waive(conn, l.id, t + 20), DB_DONE);
    struct store_letter got;
    CHECK_INT(store_letter_get(conn, &arena, l.id, &got), DB_ROW);
    CHECK(got.waived);
    CHECK_INT(got.waived_at, t + 10);
}

TEST(reminders_are_claimed_once)
{
    struct store_user student = add_user("student", "Lina Haddad");
    struct store_letter l = new_letter(student.id);
    l.requested_at = clock_now() - 20 * DAY;
    CHECK_INT(store_letter_insert(conn, &l), DB_OK);
    int64_t t = clock_now();
    struct store_letter *due;
    size_t count = 0;
    bool listed = false;
    CHECK_INT(store_letters_reminders_due(conn, &arena, t - 7 * DAY, t - 14 * DAY, 1000, &due, &count), DB_OK);
    for (size_t i = 0; i < count; i++)
        listed |= strcmp(due[i].id, l.id) == 0;
    CHECK(listed);
    CHECK_INT(store_letter_set_reminded(conn, l.id, 7, t), DB_OK);
    CHECK_INT(store_letter_set_reminded(conn, l.id, 7, t), DB_DONE);
    /* still due: the 14-day reminder */
    listed = false;
    CHECK_INT(store_letters_reminders_due(conn, &arena, t - 7 * DAY, t - 14 * DAY, 1000, &due, &count), DB_OK);
    for (size_t i = 0; i < count; i++)
        listed |= strcmp(due[i].id, l.id) == 0;
    CHECK(listed);
    CHECK_INT(store_letter_set_reminded(conn, l.id, 14, t + 1), DB_OK);
    CHECK_INT(store_letter_set_reminded(conn, l.id, 14, t + 1), DB_DONE);
    CHECK_INT(store_letter_set_reminded(conn, l.id, 3, t), DB_ERROR);
    listed = false;
    CHECK_INT(store_letters_reminders_due(conn, &arena, t - 7 * DAY, t - 14 * DAY, 1000, &due, &count), DB_OK);
    for (size_t i = 0; i < count; i++)
        listed |= strcmp(due[i].id, l.id) == 0;
    CHECK(!listed);
    struct store_letter got;
    CHECK_INT(store_letter_get(conn, &arena, l.id, &got), DB_ROW);
    CHECK_INT(got.reminded_7_at, t);
    CHECK_INT(got.reminded_14_at, t + 1);

    /* an answered letter is never reminded */
    struct store_letter answered = new_letter(student.id);
    answered.requested_at = t - 20 * DAY;
    CHECK_INT(store_letter_insert(conn, &answered), DB_OK);
    CHECK_INT(store_letter_move(conn, answered.id, "requested", "declined", "", t), DB_OK);
    CHECK_INT(store_letter_set_reminded(conn, answered.id, 7, t), DB_DONE);
    /* a recent one is not due yet */
    struct store_letter recent = new_letter(student.id);
    CHECK_INT(store_letter_insert(conn, &recent), DB_OK);
    CHECK_INT(store_letters_reminders_due(conn, &arena, t - 7 * DAY, t - 14 * DAY, 1000, &due, &count), DB_OK);
    for (size_t i = 0; i < count; i++) {
        CHECK(strcmp(due[i].id, recent.id) != 0);
        CHECK(strcmp(due[i].id, answered.id) != 0);
    }
    CHECK_INT(store_letters_open_before(conn, &arena, t - 7 * DAY, &due, &count), DB_OK);
    listed = false;
    for (size_t i = 0; i < count; i++) {
        CHECK(strcmp(due[i].state, "requested") == 0 || strcmp(due[i].state, "accepted") == 0);
        CHECK(due[i].requested_at < t - 7 * DAY);
        listed |= strcmp(due[i].id, l.id) == 0;
    }
    CHECK(listed);
}

TEST(lists_by_student_author_and_staff)
{
    struct store_user student = add_user("student", "Lina Haddad");
    struct store_user other = add_user("student", "Omar Saleh");
    struct store_user author = add_user("preceptor", "Dr. Ada Reyes");
    const char *preceptor = add_preceptor(author.id, false);
    int64_t t = clock_now();
    struct store_letter a = new_letter(student.id);
    a.author_user_id = author.id;
    CHECK_INT(store_letter_insert(conn, &a), DB_OK);
    struct store_letter b = new_letter(student.id);
    b.preceptor_id = preceptor; /* addressed to the preceptor record of the same account */
    b.requested_at = t - 30 * DAY;
    CHECK_INT(store_letter_insert(conn, &b), DB_OK);
    struct store_letter c = new_letter(other.id);
    CHECK_INT(store_letter_insert(conn, &c), DB_OK);

    struct store_letter *items;
    size_t count = 0;
    struct store_letter_filter mine = {.student_id = student.id};
    CHECK_INT(store_letters_list(conn, &arena, &mine, &items, &count), DB_OK);
    CHECK_INT(count, 2);
    if (count == 2) {
        CHECK(strcmp(items[0].id, items[1].id) > 0); /* newest id first */
        CHECK(strcmp(items[0].student_id, student.id) == 0 && strcmp(items[1].student_id, student.id) == 0);
    }
    struct store_letter_filter page = {.student_id = student.id, .limit = 1};
    CHECK_INT(store_letters_list(conn, &arena, &page, &items, &count), DB_OK);
    CHECK_INT(count, 1);
    if (count == 1) {
        page.after_id = items[0].id;
        CHECK_INT(store_letters_list(conn, &arena, &page, &items, &count), DB_OK);
        CHECK_INT(count, 1);
        page.after_id = items[0].id;
        CHECK_INT(store_letters_list(conn, &arena, &page, &items, &count), DB_OK);
        CHECK_INT(count, 0);
    }

    struct store_letter_filter addressed = {.author_user_id = author.id};
    CHECK_INT(store_letters_list(conn, &arena, &addressed, &items, &count), DB_OK);
    CHECK_INT(count, 2);
    bool via_preceptor = false;
    for (size_t i = 0; i < count; i++)
        if (strcmp(items[i].id, b.id) == 0)
            via_preceptor = items[i].preceptor_user_id != NULL && strcmp(items[i].preceptor_user_id, author.id) == 0;
    CHECK(via_preceptor);

    struct store_letter_filter nobody = {.limit = 10};
    CHECK_INT(store_letters_list(conn, &arena, &nobody, &items, &count), DB_OK);
    CHECK_INT(count, 0);
    struct store_letter_filter all = {.all = true, .limit = 100};
    CHECK_INT(store_letters_list(conn, &arena, &all, &items, &count), DB_OK);
    CHECK(count >= 3);

    struct store_letter_filter overdue = {.overdue = true, .overdue_before = t - 14 * DAY};
    CHECK_INT(store_letters_list(conn, &arena, &overdue, &items, &count), DB_OK);
    bool found = false;
    for (size_t i = 0; i < count; i++) {
        found |= strcmp(items[i].id, b.id) == 0;
        CHECK(items[i].requested_at < t - 14 * DAY);
        CHECK(strcmp(items[i].state, "requested") == 0 || strcmp(items[i].state, "accepted") == 0);
    }
    CHECK(found);
    struct store_letter_filter overdue_of_other = {.student_id = other.id, .overdue = true,
                                                   .overdue_before = t - 14 * DAY};
    CHECK_INT(store_letters_list(conn, &arena, &overdue_of_other, &items, &count), DB_OK);
    CHECK_INT(count, 0);
}

TEST(file_versions_newest_first)
{
    struct store_user student = add_user("student", "Lina Haddad");
    struct store_user author = add_user("preceptor", "Dr. Ada Reyes");
    struct store_letter l = new_letter(student.id);
    CHECK_INT(store_letter_insert(conn, &l), DB_OK);
    int64_t t = clock_now();
    const char *blob1 = "1111111111111111111111111111111111111111111111111111111111111111";
    const char *blob2 = "2222222222222222222222222222222222222222222222222222222222222222";
    struct store_letter_file f1 = {.id = unique("lf_"), .letter_id = l.id, .blob = blob1, .version = 1,
                                   .size = 1234, .uploaded_at = t};
    struct store_letter_file f2 = {.id = unique("lf_"), .letter_id = l.id, .blob = blob2, .version = 2,
                                   .size = 999, .uploaded_by = author.id, .uploaded_at = t + 1};
    CHECK_INT(store_letter_file_insert(conn, &f1), DB_OK);
    CHECK_INT(store_letter_file_insert(conn, &f2), DB_OK);
    struct store_letter_file again = f2;
    again.id = unique("lf_");
    CHECK_INT(store_letter_file_insert(conn, &again), DB_CONSTRAINT); /* version 2 exists */
    struct store_letter_file *files;
    size_t count = 0;
    CHECK_INT(store_letter_files(conn, &arena, l.id, &files, &count), DB_OK);
    CHECK_INT(count, 2);
    if (count == 2) {
        CHECK_INT(files[0].version, 2);
        CHECK_STR(files[0].blob, blob2);
        CHECK_STR(files[0].uploaded_by, author.id);
        CHECK_INT(files[0].size, 999);
        CHECK_INT(files[1].version, 1);
        CHECK(files[1].uploaded_by == NULL);
        CHECK_INT(files[1].uploaded_at, t);
    }
    struct store_letter got;
    CHECK_INT(store_letter_get(conn, &arena, l.id, &got), DB_ROW);
    CHECK_INT(got.version_count, 2);
    CHECK_INT(store_letter_files(conn, &arena, "l_missing", &files, &count), DB_OK);
    CHECK_INT(count, 0);
}

TEST(us_physician_means_a_verified_preceptor)
{
    struct store_user student = add_user("student", "Lina Haddad");
    struct store_user verified_user = add_user("preceptor", "Dr. Ada Reyes");
    struct store_user unverified_user = add_user("preceptor", "Dr. Ben Ito");
    const char *verified = add_preceptor(verified_user.id, true);
    const char *unverified = add_preceptor(unverified_user.id, false);
    struct store_letter a = new_letter(student.id), b = new_letter(student.id), c = new_letter(student.id),
                        d = new_letter(student.id), e = new_letter(student.id);
    a.preceptor_id = verified;
    b.preceptor_id = unverified;
    c.author_user_id = verified_user.id;   /* by name and email to a verified preceptor's account: not by itself */
    d.author_user_id = unverified_user.id;
    e.preceptor_id = unverified;           /* the named preceptor decides, not the account */
    e.author_user_id = verified_user.id;
    struct store_letter *all[] = {&a, &b, &c, &d, &e};
    bool expected[] = {true, false, false, false, false};
    for (size_t i = 0; i < 5; i++) {
        CHECK_INT(store_letter_insert(conn, all[i]), DB_OK);
        struct store_letter got;
        CHECK_INT(store_letter_get(conn, &arena, all[i]->id, &got), DB_ROW);
        if (got.from_us_physician != expected[i])
            TEST_FAILF("letter %zu: from_us_physician %d, expected %d", i, got.from_us_physician, expected[i]);
    }
    struct store_letter got;
    CHECK_INT(store_letter_get(conn, &arena, a.id, &got), DB_ROW);
    CHECK_STR(got.preceptor_user_id, verified_user.id);
    /* Staff confirm the author of c (by name and email): then it counts; of d, an unverified one: it does not.
     * A letter naming a preceptor is attributed already. */
    CHECK_INT(store_letter_confirm_author(conn, c.id, verified, verified_user.id, clock_now()), DB_OK);
    CHECK_INT(store_letter_confirm_author(conn, d.id, unverified, verified_user.id, clock_now()), DB_OK);
    CHECK_INT(store_letter_confirm_author(conn, a.id, unverified, verified_user.id, clock_now()), DB_DONE);
    CHECK_INT(store_letter_get(conn, &arena, c.id, &got), DB_ROW);
    CHECK(got.from_us_physician);
    CHECK_STR(got.confirmed_preceptor_id, verified);
    CHECK(got.confirmed_at > 0);
    CHECK_INT(store_letter_get(conn, &arena, d.id, &got), DB_ROW);
    CHECK(!got.from_us_physician);

    /* counts for readiness: uploaded and delivered only */
    int64_t done = -1, done_us = -1, open = -1;
    CHECK_INT(store_student_letter_counts(conn, student.id, &done, &done_us, &open), DB_OK);
    CHECK_INT(done, 0);
    CHECK_INT(open, 5);
    int64_t t = clock_now();
    CHECK_INT(store_letter_move(conn, a.id, "requested", "uploaded", NULL, t), DB_OK);
    CHECK_INT(store_letter_move(conn, b.id, "requested", "uploaded", NULL, t), DB_OK);
    CHECK_INT(store_letter_move(conn, b.id, "uploaded", "delivered", NULL, t), DB_OK);
    CHECK_INT(store_letter_move(conn, c.id, "requested", "accepted", NULL, t), DB_OK);
    CHECK_INT(store_letter_move(conn, d.id, "requested", "declined", "", t), DB_OK);
    CHECK_INT(store_student_letter_counts(conn, student.id, &done, &done_us, &open), DB_OK);
    CHECK_INT(done, 2);
    CHECK_INT(done_us, 1);
    CHECK_INT(open, 2);
    struct store_user nobody = add_user("student", "Nobody Yet");
    CHECK_INT(store_student_letter_counts(conn, nobody.id, &done, &done_us, &open), DB_OK);
    CHECK_INT(done + done_us + open, 0);
}

TEST(readiness_targets_default_and_change)
{
    int64_t letters = 0, letters_us = 0, weeks = 0;
    CHECK_INT(store_readiness_targets(conn, &letters, &letters_us, &weeks), DB_OK);
    CHECK_INT(letters, 3);
    CHECK_INT(letters_us, 1);
    CHECK_INT(weeks, 12);
    struct store_user staff = add_user("staff", "Sue Staff");
    int64_t t = clock_now();
    CHECK_INT(store_readiness_target_set(conn, "letters", 4, staff.id, t), DB_OK);
    CHECK_INT(store_readiness_target_set(conn, "usce_weeks", 16, staff.id, t), DB_OK);
    CHECK_INT(store_readiness_targets(conn, &letters, &letters_us, &weeks), DB_OK);
    CHECK_INT(letters, 4);
    CHECK_INT(letters_us, 1);
    CHECK_INT(weeks, 16);
    CHECK_INT(store_readiness_target_set(conn, "letters", 600, staff.id, t), DB_CONSTRAINT);
    CHECK_INT(store_readiness_target_set(conn, "nonsense", 1, staff.id, t), DB_CONSTRAINT);
    CHECK_INT(store_readiness_target_set(conn, "letters", 3, NULL, t), DB_OK);
    CHECK_INT(store_readiness_target_set(conn, "usce_weeks", 12, NULL, t), DB_OK);
    CHECK_INT(store_readiness_targets(conn, &letters, &letters_us, &weeks), DB_OK);
    CHECK_INT(letters, 3);
    CHECK_INT(weeks, 12);
}

TEST(usce_weeks_from_confirmed_hours_by_kind)
{
    struct store_user student = add_user("student", "Lina Haddad");
    struct store_user author = add_user("preceptor", "Dr. Ada Reyes");
    const char *preceptor = add_preceptor(author.id, true);
    struct store_usce u;
    struct store_usce_rotation *rows;
    size_t count;
    CHECK_INT(store_student_usce_rotations(conn, &arena, student.id, &rows, &count), DB_OK);
    readiness_usce_from(rows, count, &u);
    CHECK_INT(u.hands_on_completed + u.observership_completed + u.other_completed + u.planned, 0);
    /* Whole weeks of confirmed hours (40 a week), at most the rotation's length. */
    add_hours(student.id, add_application(student.id, add_offering(preceptor, "hands_on", 4), "completed"), 200,
              "confirmed");                                                                   /* 4 (capped) */
    add_hours(student.id, add_application(student.id, add_offering(preceptor, "hands_on", 6), "completed"), 100,
              "confirmed");                                                                   /* 2 */
    add_application(student.id, add_offering(preceptor, "hands_on", 3), "completed");       /* no hours: 0 */
    add_hours(student.id, add_application(student.id, add_offering(preceptor, "observership", 2), "completed"), 80,
              "confirmed");                                                                   /* 2 */
    add_hours(student.id, add_application(student.id, add_offering(preceptor, "research", 3), "completed"), 120,
              "confirmed");                                                                   /* 3 */
    add_hours(student.id, add_application(student.id, add_offering(preceptor, "telehealth", 1), "completed"), 40,
              "refused");                                                                     /* refused: 0 */
    add_application(student.id, add_offering(preceptor, "hands_on", 5), "booked");          /* planned 5 */
    const char *running = add_application(student.id, add_offering(preceptor, "observership", 7), "in_progress");
    add_hours(student.id, running, 80, "confirmed"); /* 2 done, 5 to come */
    add_application(student.id, add_offering(preceptor, "hands_on", 8), "cleared");         /* planned 8 */
    add_application(student.id, add_offering(preceptor, "hands_on", 9), "withdrawn");
    add_hours(student.id, add_application(student.id, add_offering(preceptor, "hands_on", 10), "submitted"), 400,
              "logged");
    CHECK_INT(store_student_usce_rotations(conn, &arena, student.id, &rows, &count), DB_OK);
    CHECK_INT(count, 9);
    readiness_usce_from(rows, count, &u);
    CHECK_INT(u.hands_on_completed, 6);
    CHECK_INT(u.observership_completed, 4);
    CHECK_INT(u.other_completed, 3);
    CHECK_INT(u.planned, 18);
}

TEST(preceptor_of_the_students_rotations)
{
    struct store_user student = add_user("student", "Lina Haddad");
    struct store_user author = add_user("preceptor", "Dr. Ada Reyes");
    const char *mine = add_preceptor(author.id, true);
    const char *applied_only = add_preceptor(NULL, true);
    const char *stranger = add_preceptor(NULL, true);
    add_application(student.id, add_offering(mine, "hands_on", 4), "completed");
    add_application(student.id, add_offering(applied_only, "hands_on", 4), "submitted");
    bool found = false;
    CHECK_INT(store_student_has_preceptor(conn, student.id, mine, &found), DB_OK);
    CHECK(found);
    CHECK_INT(store_student_has_preceptor(conn, student.id, applied_only, &found), DB_OK);
    CHECK(!found);
    CHECK_INT(store_student_has_preceptor(conn, student.id, stranger, &found), DB_OK);
    CHECK(!found);
    const char *statuses[] = {"held", "booked", "cleared", "in_progress"};
    for (size_t i = 0; i < 4; i++) {
        const char *p = add_preceptor(NULL, false);
        add_application(student.id, add_offering(p, "observership", 2), statuses[i]);
        CHECK_INT(store_student_has_preceptor(conn, student.id, p, &found), DB_OK);
        CHECK(found);
    }
}

/* ---- domain over the store ---- */

/* The newest invitation token mailed to address (copied into out[44]), or false. */
static bool mailed_token(const char *address, char out[44])
{
    struct db_stmt *st = db_prepare(conn, "SELECT body FROM outbox WHERE to_address = $1 ORDER BY id DESC");
    db_bind_text(st, 1, address);
    bool found = false;
    if (db_step(st) == DB_ROW) {
        const char *body = db_column_text(st, 0);
        const char *at = body != NULL ? strstr(body, "/invitations/letters/") : NULL;
        if (at != NULL && strlen(at + 21) >= 43) {
            memcpy(out, at + 21, 43);
            out[43] = '\0';
            found = true;
        }
    }
    db_reset(st);
    return found;
}

static const char *newest_mail(const char *address)
{
    struct db_stmt *st = db_prepare(conn, "SELECT subject || ' | ' || body FROM outbox WHERE to_address = $1"
                                          " ORDER BY id DESC");
    db_bind_text(st, 1, address);
    const char *text = db_step(st) == DB_ROW ? arena_strdup(&arena, db_column_text(st, 0)) : NULL;
    db_reset(st);
    return text;
}

static const char *newest_notification(const char *user_id)
{
    struct db_stmt *st = db_prepare(conn, "SELECT title || ' | ' || link FROM notifications WHERE user_id = $1"
                                          " ORDER BY id DESC");
    db_bind_text(st, 1, user_id);
    const char *text = db_step(st) == DB_ROW ? arena_strdup(&arena, db_column_text(st, 0)) : NULL;
    db_reset(st);
    return text;
}

/* Whether e is the error code on field (NULL: no field). */
static bool refused_as(const struct error *e, enum error_code code, const char *field)
{
    if (e->code != code)
        return false;
    if (field == NULL || e->field == NULL)
        return field == e->field;
    return strcmp(field, e->field) == 0;
}

/* call (which takes err_ as its error) fails with code on field_. */
#define CHECK_ERR(call, code_, field_)                                                                   \
    do {                                                                                                 \
        struct error e_ = {ERR_NONE, NULL, NULL};                                                        \
        struct error *err_ = &e_;                                                                        \
        int rc_ = (call);                                                                                \
        if (rc_ == 0 || !refused_as(&e_, (code_), (field_)))                                             \
            TEST_FAILF("%s: rc %d, %s field %s (%s); expected %s", #call, rc_, error_name(e_.code),      \
                       e_.field ? e_.field : "(null)", e_.detail ? e_.detail : "", error_name(code_));   \
    } while (0)

TEST(requests_are_checked)
{
    struct store_user student = add_user("student", "Lina Haddad");
    struct store_user author = add_user("preceptor", "Dr. Ada Reyes");
    struct store_user host = add_user("host_coordinator", "Hal Host");
    const char *stranger = add_preceptor(author.id, true);
    const char *applied_only = add_preceptor(NULL, true);
    add_application(student.id, add_offering(applied_only, "hands_on", 4), "under_review");
    struct store_user other = add_user("student", "Omar Saleh");
    const char *others_app = add_application(other.id, add_offering(applied_only, "hands_on", 4), "completed");
    struct store_letter out;
    int64_t before = count_rows("SELECT COUNT(*) FROM letters WHERE student_id = $1", student.id);

    struct letter_request r = {.author_name = "Dr. Sam Okafor", .author_email = "not-an-email"};
    CHECK_ERR(letter_request(conn, &arena, &student, &r, &out, err_), ERR_VALIDATION_FAILED, "author_email");
    r.author_email = NULL;
    CHECK_ERR(letter_request(conn, &arena, &student, &r, &out, err_), ERR_VALIDATION_FAILED, "author_email");
    r.author_email = "sam@clinic.example";
    r.author_name = "";
    CHECK_ERR(letter_request(conn, &arena, &student, &r, &out, err_), ERR_VALIDATION_FAILED, "author_name");
    char long_name[260];
    memset(long_name, 'a', 201);
    long_name[201] = '\0';
    r.author_name = long_name;
    CHECK_ERR(letter_request(conn, &arena, &student, &r, &out, err_), ERR_VALIDATION_FAILED, "author_name");
    r.author_name = "   ";
    CHECK_ERR(letter_request(conn, &arena, &student, &r, &out, err_), ERR_VALIDATION_FAILED, "author_name");
    r.author_name = "Dr. Sam\nOkafor";
    CHECK_ERR(letter_request(conn, &arena, &student, &r, &out, err_), ERR_VALIDATION_FAILED, "author_name");
    r.author_name = "Dr. Sam Okafor";
    r.eras_letter_id = "not valid!";
    CHECK_ERR(letter_request(conn, &arena, &student, &r, &out, err_), ERR_VALIDATION_FAILED, "eras_letter_id");
    r.eras_letter_id = NULL;
    r.author_email = student.email;
    CHECK_ERR(letter_request(conn, &arena, &student, &r, &out, err_), ERR_VALIDATION_FAILED, "author_email");
    r.author_email = "sam@clinic.example";
    r.preceptor_id = stranger;
    CHECK_ERR(letter_request(conn, &arena, &student, &r, &out, err_), ERR_UNPROCESSABLE, "preceptor_id");
    r.preceptor_id = applied_only; /* only under review: not one of their rotations yet */
    CHECK_ERR(letter_request(conn, &arena, &student, &r, &out, err_), ERR_UNPROCESSABLE, "preceptor_id");
    r.preceptor_id = "p_missing";
    CHECK_ERR(letter_request(conn, &arena, &student, &r, &out, err_), ERR_UNPROCESSABLE, "preceptor_id");
    r.preceptor_id = NULL;
    r.application_id = others_app;
    CHECK_ERR(letter_request(conn, &arena, &student, &r, &out, err_), ERR_NOT_FOUND, "application_id");
    r.application_id = "a_missing";
    CHECK_ERR(letter_request(conn, &arena, &student, &r, &out, err_), ERR_NOT_FOUND, "application_id");
    r.application_id = NULL;
    CHECK_ERR(letter_request(conn, &arena, &host, &r, &out, err_), ERR_FORBIDDEN, NULL);
    CHECK_INT(count_rows("SELECT COUNT(*) FROM letters WHERE student_id = $1", student.id), before);
}

TEST(a_request_by_name_and_email)
{
    struct store_user student = add_user("student", "Lina Haddad");
    struct store_user author = add_user("preceptor", "Dr. Ada Reyes");
    struct letter_request r = {.author_name = "Dr. Ada Reyes", .author_email = "  "};
    struct store_letter out;
    struct error err = {0};
    /* an author with a preceptor account is linked by email, whatever its case */
    char *upper = arena_strdup(&arena, author.email);
    for (char *p = upper; *p != '\0'; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    r.author_email = upper;
    r.eras_letter_id = "";
    CHECK_INT(letter_request(conn, &arena, &student, &r, &out, &err), 0);
    CHECK_STR(out.state, "requested");
    CHECK_STR(out.author_email, author.email);
    CHECK_STR(out.author_user_id, author.id);
    CHECK(!out.waived);
    CHECK_INT(out.waived_at, 0);
    CHECK_STR(out.eras_letter_id, "");
    CHECK(letter_user_is_author(&out, &author));
    CHECK(!letter_user_is_author(&out, &student));
    const char *mail = newest_mail(author.email);
    CHECK_CONTAINS(mail, "A letter of recommendation is requested of you on Rounds");
    CHECK_CONTAINS(mail, "Student: \xe2\x80\x9cLina Haddad\xe2\x80\x9d");
    CHECK_CONTAINS(mail, "NOT waived");
    CHECK_CONTAINS(mail, "/invitations/letters/");
    CHECK_CONTAINS(mail, "no account");
    CHECK_CONTAINS(newest_notification(author.id), "/letters/");
    CHECK_INT(count_rows("SELECT COUNT(*) FROM audit_events WHERE action = 'letter.request' AND object_id = $1",
                         out.id), 1);
    CHECK_INT(count_rows("SELECT COUNT(*) FROM letter_tokens WHERE letter_id = $1", out.id), 1);

    /* someone without a preceptor account stays email-only */
    struct store_user plain = add_user("student", "Other Student");
    r.author_email = plain.email;
    r.waived = true;
    r.eras_letter_id = "LOR-77";
    CHECK_INT(letter_request(conn, &arena, &student, &r, &out, &err), 0);
    CHECK(out.author_user_id == NULL);
    CHECK(out.waived);
    CHECK(out.waived_at > 0);
    CHECK_STR(out.eras_letter_id, "LOR-77");
    mail = newest_mail(plain.email);
    CHECK_CONTAINS(mail, "waived their right to see the letter");
    CHECK_CONTAINS(mail, "LOR-77");
}

TEST(the_author_answers_through_the_link)
{
    struct store_user student = add_user("student", "Lina Haddad");
    struct store_user author = add_user("preceptor", "Dr. Ada Reyes");
    struct store_user stranger = add_user("preceptor", "Dr. Nobody");
    const char *preceptor = add_preceptor(author.id, true);
    const char *application = add_application(student.id, add_offering(preceptor, "hands_on", 4), "completed");
    struct letter_request r = {.preceptor_id = preceptor, .application_id = application, .waived = true};
    struct store_letter letter, out;
    struct error err = {0};
    CHECK_INT(letter_request(conn, &arena, &student, &r, &letter, &err), 0);
    CHECK_STR(letter.author_name, "Dr. Ada Reyes");
    CHECK_STR(letter.author_email, author.email); /* the preceptor's own account, never another address */
    CHECK_STR(letter.author_user_id, author.id);
    CHECK_STR(letter.preceptor_id, preceptor);
    CHECK_STR(letter.application_id, application);
    CHECK(letter.from_us_physician);
    CHECK_CONTAINS(newest_mail(author.email), "Cardiology Clerkship at ");
    char token[44];
    CHECK(mailed_token(author.email, token));

    CHECK_INT(letter_by_token(conn, &arena, token, &out, &err), 0);
    CHECK_STR(out.id, letter.id);
    CHECK_ERR(letter_by_token(conn, &arena, "short", &out, err_), ERR_NOT_FOUND, NULL);
    CHECK_ERR(letter_by_token(conn, &arena, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &out, err_), ERR_NOT_FOUND,
              NULL);
    CHECK_ERR(letter_by_token(conn, &arena, NULL, &out, err_), ERR_NOT_FOUND, NULL);

    /* another letter's token opens nothing here */
    struct letter_request r2 = {.author_name = "Dr. Sam Okafor", .author_email = "sam2@clinic.example"};
    struct store_letter second;
    CHECK_INT(letter_request(conn, &arena, &student, &r2, &second, &err), 0);
    char other_token[44];
    CHECK(mailed_token("sam2@clinic.example", other_token));
    struct letter_actor wrong = {.token = other_token};
    CHECK_ERR(letter_accept(conn, &arena, letter.id, &wrong, &out, err_), ERR_NOT_FOUND, NULL);
    CHECK_ERR(letter_get_for_actor(conn, &arena, letter.id, &wrong, &out, err_), ERR_NOT_FOUND, NULL);
    /* the student and a stranger are not the author */
    struct letter_actor as_student = {.user = &student}, as_stranger = {.user = &stranger};
    CHECK_ERR(letter_accept(conn, &arena, letter.id, &as_student, &out, err_), ERR_NOT_FOUND, NULL);
    CHECK_ERR(letter_accept(conn, &arena, letter.id, &as_stranger, &out, err_), ERR_NOT_FOUND, NULL);
    CHECK_ERR(letter_get_visible(conn, &arena, letter.id, &stranger, &out, err_), ERR_NOT_FOUND, NULL);

    struct letter_actor by_link = {.token = token};
    CHECK_INT(letter_get_for_actor(conn, &arena, letter.id, &by_link, &out, &err), 0);
    CHECK_INT(letter_accept(conn, &arena, letter.id, &by_link, &out, &err), 0);
    CHECK_STR(out.state, "accepted");
    CHECK(out.accepted_at > 0);
    CHECK_ERR(letter_accept(conn, &arena, letter.id, &by_link, &out, err_), ERR_INVALID_TRANSITION, NULL);
    const char *told = newest_notification(student.id);
    CHECK_CONTAINS(told, "Dr. Ada Reyes accepted your letter request");
    CHECK_CONTAINS(told, "/letters/");
    CHECK_CONTAINS(newest_mail(student.email), "Dr. Ada Reyes accepted your letter request");

    /* the file checks come after the author check */
    CHECK_ERR(letter_upload(conn, &arena, letter.id, &by_link, "", 0, &out, err_), ERR_VALIDATION_FAILED, "file");
    CHECK_ERR(letter_upload(conn, &arena, letter.id, &by_link, "hello, not a pdf", 16, &out, err_),
              ERR_UNSUPPORTED_MEDIA_TYPE, "file");
    char *big = arena_alloc(&arena, LETTER_MAX_BYTES + 1);
    memset(big, ' ', LETTER_MAX_BYTES + 1);
    memcpy(big, "%PDF-1.7\n", 9);
    CHECK_ERR(letter_upload(conn, &arena, letter.id, &by_link, big, LETTER_MAX_BYTES + 1, &out, err_),
              ERR_PAYLOAD_TOO_LARGE, "file");
    CHECK_ERR(letter_upload(conn, &arena, letter.id, &as_stranger, "%PDF-1.4", 8, &out, err_), ERR_NOT_FOUND, NULL);
    CHECK_ERR(letter_read_file(conn, &arena, letter.id, &by_link, &(const char *){NULL}, &(size_t){0}, err_),
              ERR_NOT_FOUND, NULL); /* nothing uploaded yet */

    /* the student may not read a waived letter, even before there is one */
    struct letter_actor student_reads = {.user = &student};
    CHECK_ERR(letter_read_file(conn, &arena, letter.id, &student_reads, &(const char *){NULL}, &(size_t){0}, err_),
              ERR_LETTER_CONFIDENTIAL, NULL);

    /* declining uses the links up */
    CHECK_ERR(letter_decline(conn, &arena, letter.id, &by_link, "bad\x01reason", &out, err_), ERR_VALIDATION_FAILED,
              "reason");
    CHECK_INT(letter_decline(conn, &arena, letter.id, &by_link, "I am on leave\nuntil May", &out, &err), 0);
    CHECK_STR(out.state, "declined");
    CHECK_STR(out.decline_reason, "I am on leave\nuntil May");
    CHECK(out.token_used_at > 0);
    CHECK_CONTAINS(newest_notification(student.id), "Dr. Ada Reyes declined your letter request: I am on leave until May");
    CHECK_ERR(letter_by_token(conn, &arena, token, &out, err_), ERR_INVITATION_USED, NULL);
    CHECK_ERR(letter_accept(conn, &arena, letter.id, &by_link, &out, err_), ERR_INVITATION_USED, NULL);
    /* the author's account still sees it, but cannot accept a declined request */
    struct letter_actor account = {.user = &author};
    CHECK_ERR(letter_accept(conn, &arena, letter.id, &account, &out, err_), ERR_INVALID_TRANSITION, NULL);
    CHECK_ERR(letter_upload(conn, &arena, letter.id, &account, "%PDF-1.4", 8, &out, err_), ERR_INVALID_TRANSITION,
              NULL);
    CHECK_INT(count_rows("SELECT COUNT(*) FROM audit_events WHERE action = 'letter.decline' AND object_id = $1",
                         letter.id), 1);

    /* a link expires after 30 days */
    struct letter_actor second_link = {.token = other_token};
    clock_set_offset(31 * DAY);
    CHECK_ERR(letter_by_token(conn, &arena, other_token, &out, err_), ERR_INVITATION_EXPIRED, NULL);
    CHECK_ERR(letter_accept(conn, &arena, second.id, &second_link, &out, err_), ERR_INVITATION_EXPIRED, NULL);
    clock_set_offset(0);
    CHECK_INT(letter_by_token(conn, &arena, other_token, &out, &err), 0);
}

TEST(the_student_updates_and_never_unwaives)
{
    struct store_user student = add_user("student", "Lina Haddad");
    struct store_user other = add_user("student", "Omar Saleh");
    struct store_user staff = add_user("staff", "Sue Staff");
    struct letter_request r = {.author_name = "Dr. Sam Okafor", .author_email = "sam3@clinic.example"};
    struct store_letter letter, out;
    struct error err = {0};
    CHECK_INT(letter_request(conn, &arena, &student, &r, &letter, &err), 0);
    CHECK_ERR(letter_update(conn, &arena, letter.id, &other, "LOR-1", false, false, &out, err_), ERR_NOT_FOUND, NULL);
    CHECK_ERR(letter_update(conn, &arena, letter.id, &student, "bad id!", false, false, &out, err_),
              ERR_VALIDATION_FAILED, "eras_letter_id");
    CHECK_INT(letter_update(conn, &arena, letter.id, &student, "LOR-55", true, false, &out, &err), 0);
    CHECK_STR(out.eras_letter_id, "LOR-55");
    CHECK(!out.waived);
    CHECK_INT(letter_update(conn, &arena, letter.id, &student, NULL, true, true, &out, &err), 0);
    CHECK(out.waived);
    CHECK(out.waived_at > 0);
    CHECK_ERR(letter_update(conn, &arena, letter.id, &student, NULL, true, false, &out, err_), ERR_VALIDATION_FAILED,
              "waived");
    CHECK_INT(letter_get_visible(conn, &arena, letter.id, &student, &out, &err), 0);
    CHECK(out.waived);
    CHECK_INT(letter_get_visible(conn, &arena, letter.id, &staff, &out, &err), 0);
    CHECK_ERR(letter_get_visible(conn, &arena, letter.id, &other, &out, err_), ERR_NOT_FOUND, NULL);
    CHECK_ERR(letter_delivered(conn, &arena, letter.id, &student, NULL, &out, err_), ERR_INVALID_TRANSITION, NULL);
    CHECK_ERR(letter_delivered(conn, &arena, letter.id, &other, "LOR-1", &out, err_), ERR_NOT_FOUND, NULL);
}

static const char pdf[] = "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

TEST(uploads_versions_and_the_waiver)
{
    if (!blobs_built) {
        printf("  (skipped: the blob store is not built yet)\n");
        return;
    }
    struct store_user student = add_user("student", "Lina Haddad");
    struct store_user author = add_user("preceptor", "Dr. Ada Reyes");
    struct store_user staff = add_user("staff", "Sue Staff");
    struct store_user stranger = add_user("preceptor", "Dr. Nobody");
    const char *preceptor = add_preceptor(author.id, true);
    add_application(student.id, add_offering(preceptor, "hands_on", 4), "completed");
    struct letter_request r = {.preceptor_id = preceptor, .waived = true};
    struct store_letter letter, out;
    struct error err = {0};
    CHECK_INT(letter_request(conn, &arena, &student, &r, &letter, &err), 0);
    char token[44];
    CHECK(mailed_token(author.email, token));
    struct letter_actor by_link = {.token = token}, account = {.user = &author}, as_staff = {.user = &staff},
                        as_student = {.user = &student}, as_stranger = {.user = &stranger};

    CHECK_INT(letter_upload(conn, &arena, letter.id, &by_link, pdf, sizeof(pdf) - 1, &out, &err), 0);
    CHECK_STR(out.state, "uploaded");
    CHECK(out.accepted_at > 0 && out.uploaded_at > 0);
    CHECK_INT(out.version_count, 1);
    CHECK(out.token_used_at > 0);
    const char *told = newest_notification(student.id);
    CHECK_CONTAINS(told, "Dr. Ada Reyes uploaded your letter");
    CHECK(strstr(told, "/file") == NULL);
    CHECK(strstr(newest_mail(student.email), "/file") == NULL);
    /* the link is spent: neither another upload nor reading through it */
    CHECK_ERR(letter_upload(conn, &arena, letter.id, &by_link, pdf, sizeof(pdf) - 1, &out, err_), ERR_INVITATION_USED,
              NULL);
    const char *data = NULL;
    size_t len = 0;
    CHECK_ERR(letter_read_file(conn, &arena, letter.id, &by_link, &data, &len, err_), ERR_INVITATION_USED, NULL);

    /* the author and staff read it; the student who waived never does; others get 404 */
    CHECK_INT(letter_read_file(conn, &arena, letter.id, &account, &data, &len, &err), 0);
    CHECK_INT(len, sizeof(pdf) - 1);
    CHECK(data != NULL && memcmp(data, pdf, len) == 0);
    CHECK_INT(letter_read_file(conn, &arena, letter.id, &as_staff, &data, &len, &err), 0);
    CHECK_ERR(letter_read_file(conn, &arena, letter.id, &as_student, &data, &len, err_), ERR_LETTER_CONFIDENTIAL,
              NULL);
    CHECK(data == NULL);
    CHECK_ERR(letter_read_file(conn, &arena, letter.id, &as_stranger, &data, &len, err_), ERR_NOT_FOUND, NULL);
    CHECK_INT(count_rows("SELECT COUNT(*) FROM audit_events WHERE action = 'letter.read' AND object_id = $1",
                         letter.id), 2);

    /* delivery needs the ERAS Letter ID */
    CHECK_ERR(letter_delivered(conn, &arena, letter.id, &student, NULL, &out, err_), ERR_VALIDATION_FAILED,
              "eras_letter_id");
    CHECK_ERR(letter_delivered(conn, &arena, letter.id, &student, "bad id", &out, err_), ERR_VALIDATION_FAILED,
              "eras_letter_id");
    CHECK_INT(letter_delivered(conn, &arena, letter.id, &author, "LOR-2026-1", &out, &err), 0);
    CHECK_STR(out.state, "delivered");
    CHECK_STR(out.eras_letter_id, "LOR-2026-1");
    CHECK(out.delivered_at > 0);
    CHECK_CONTAINS(newest_notification(student.id), "delivered to ERAS");
    CHECK_ERR(letter_delivered(conn, &arena, letter.id, &student, NULL, &out, err_), ERR_INVALID_TRANSITION, NULL);

    /* a new version from the account: uploaded again, history kept */
    const char pdf2[] = "%PDF-1.7\nsecond version\n%%EOF\n";
    CHECK_INT(letter_upload(conn, &arena, letter.id, &account, pdf2, sizeof(pdf2) - 1, &out, &err), 0);
    CHECK_STR(out.state, "uploaded");
    CHECK_INT(out.version_count, 2);
    CHECK(out.delivered_at > 0);
    CHECK_CONTAINS(newest_notification(student.id), "new version");
    CHECK_INT(letter_read_file(conn, &arena, letter.id, &as_staff, &data, &len, &err), 0);
    CHECK(len == sizeof(pdf2) - 1 && memcmp(data, pdf2, len) == 0);
    /* staff may upload for the author */
    CHECK_INT(letter_upload(conn, &arena, letter.id, &as_staff, pdf, sizeof(pdf) - 1, &out, &err), 0);
    CHECK_INT(out.version_count, 3);
    struct store_letter_file *files;
    size_t count = 0;
    CHECK_INT(store_letter_files(conn, &arena, letter.id, &files, &count), DB_OK);
    CHECK_INT(count, 3);
    if (count == 3) {
        CHECK(files[2].uploaded_by == NULL);
        CHECK_STR(files[1].uploaded_by, author.id);
        CHECK_STR(files[0].uploaded_by, staff.id);
    }

    /* a letter the student did not waive: they may read it */
    struct letter_request open = {.author_name = "Dr. Sam Okafor", .author_email = "sam5@clinic.example"};
    CHECK_INT(letter_request(conn, &arena, &student, &open, &letter, &err), 0);
    CHECK(mailed_token("sam5@clinic.example", token));
    struct letter_actor link2 = {.token = token};
    CHECK_INT(letter_upload(conn, &arena, letter.id, &link2, pdf, sizeof(pdf) - 1, &out, &err), 0);
    CHECK_INT(letter_read_file(conn, &arena, letter.id, &as_student, &data, &len, &err), 0);
    CHECK_INT(len, sizeof(pdf) - 1);
    /* and once waived afterwards, no more */
    CHECK_INT(letter_update(conn, &arena, letter.id, &student, NULL, true, true, &out, &err), 0);
    CHECK_ERR(letter_read_file(conn, &arena, letter.id, &as_student, &data, &len, err_), ERR_LETTER_CONFIDENTIAL,
              NULL);
}

TEST(reminders_mail_fresh_links)
{
    struct store_user student = add_user("student", "Lina Haddad");
    struct letter_request r = {.author_name = "Dr. Sam Okafor", .author_email = "sam6@clinic.example"};
    struct store_letter letter, out;
    struct error err = {0};
    CHECK_INT(letter_request(conn, &arena, &student, &r, &letter, &err), 0);
    char first[44], second[44], third[44];
    CHECK(mailed_token("sam6@clinic.example", first));
    int sent = -1;
    CHECK_INT(letters_send_reminders(conn, &arena, &sent), 0);
    CHECK_INT(store_letter_get(conn, &arena, letter.id, &out), DB_ROW);
    CHECK_INT(out.reminded_7_at, 0); /* too early */

    clock_set_offset(8 * DAY);
    CHECK_INT(letters_send_reminders(conn, &arena, &sent), 0);
    CHECK(sent >= 1);
    CHECK_INT(store_letter_get(conn, &arena, letter.id, &out), DB_ROW);
    CHECK(out.reminded_7_at > 0);
    CHECK_INT(out.reminded_14_at, 0);
    CHECK(mailed_token("sam6@clinic.example", second));
    CHECK(strcmp(first, second) != 0);
    CHECK_CONTAINS(newest_mail("sam6@clinic.example"), "Reminder: a letter of recommendation is requested of you");
    CHECK_CONTAINS(newest_mail("sam6@clinic.example"), "\xe2\x80\x9cLina Haddad\xe2\x80\x9d");
    CHECK_INT(letters_send_reminders(conn, &arena, &sent), 0);
    CHECK_INT(sent, 0); /* each reminder once */
    CHECK_INT(count_rows("SELECT COUNT(*) FROM letter_tokens WHERE letter_id = $1", letter.id), 2);

    clock_set_offset(15 * DAY);
    CHECK_INT(letters_send_reminders(conn, &arena, &sent), 0);
    CHECK(sent >= 1);
    CHECK_INT(store_letter_get(conn, &arena, letter.id, &out), DB_ROW);
    CHECK(out.reminded_14_at > 0);
    CHECK(mailed_token("sam6@clinic.example", third));
    CHECK(strcmp(second, third) != 0);
    CHECK_INT(letters_send_reminders(conn, &arena, &sent), 0);
    CHECK_INT(sent, 0);
    /* the old links keep working until they expire */
    CHECK_INT(letter_by_token(conn, &arena, first, &out, &err), 0);
    clock_set_offset(31 * DAY);
    CHECK_ERR(letter_by_token(conn, &arena, first, &out, err_), ERR_INVITATION_EXPIRED, NULL);
    CHECK_INT(letter_by_token(conn, &arena, third, &out, &err), 0);
    clock_set_offset(0);
}

TEST(readiness_from_the_store)
{
    struct store_user student = add_user("student", "Lina Haddad");
    struct store_user author = add_user("preceptor", "Dr. Ada Reyes");
    struct store_user staff = add_user("staff", "Sue Staff");
    const char *preceptor = add_preceptor(author.id, true);
    add_hours(student.id, add_application(student.id, add_offering(preceptor, "hands_on", 12), "completed"), 480,
              "confirmed");
    student.profile.step1 = "passed";
    student.profile.step2ck_score = 250;
    student.profile.ecfmg_status = "certified";
    student.profile.english_proof = "oet";
    struct store_letter l = new_letter(student.id);
    l.preceptor_id = preceptor;
    CHECK_INT(store_letter_insert(conn, &l), DB_OK);
    struct readiness r;
    CHECK_INT(readiness_for(conn, &arena, &student, &r), 0);
    CHECK_INT(r.count, 6);
    CHECK_STR(readiness_state_name(r.items[0].state), "in_progress"); /* one requested */
    CHECK_STR(readiness_state_name(r.items[1].state), "ok");          /* 12 hands-on weeks */
    CHECK_INT(r.ok_count, 5);
    CHECK_INT(r.usce_hands_on_weeks, 12);
    for (int i = 0; i < 3; i++) {
        struct store_letter more = new_letter(student.id);
        more.preceptor_id = i == 0 ? preceptor : NULL;
        more.state = "uploaded";
        CHECK_INT(store_letter_insert(conn, &more), DB_OK);
    }
    CHECK_INT(readiness_for(conn, &arena, &student, &r), 0);
    CHECK_INT(r.letters, 3);
    CHECK_INT(r.letters_us, 1);
    CHECK_STR(readiness_state_name(r.items[0].state), "ok");
    CHECK_INT(r.ok_count, 6);

    struct error err = {0};
    CHECK_ERR(readiness_set_targets(conn, &student, 4, 1, 12, err_), ERR_NOT_FOUND, NULL);
    CHECK_ERR(readiness_set_targets(conn, &staff, 521, 1, 12, err_), ERR_VALIDATION_FAILED, "letters");
    CHECK_ERR(readiness_set_targets(conn, &staff, 3, -1, 12, err_), ERR_VALIDATION_FAILED, "letters_us");
    CHECK_ERR(readiness_set_targets(conn, &staff, 3, 1, 600, err_), ERR_VALIDATION_FAILED, "usce_weeks");
    CHECK_ERR(readiness_set_targets(conn, &staff, 2, 3, 12, err_), ERR_VALIDATION_FAILED, "letters_us");
    CHECK_INT(readiness_set_targets(conn, &staff, 4, 2, 16, &err), 0);
    CHECK_INT(readiness_for(conn, &arena, &student, &r), 0);
    CHECK_INT(r.letters_target, 4);
    CHECK_INT(r.letters_us_target, 2);
    CHECK_INT(r.usce_target_weeks, 16);
    CHECK_STR(readiness_state_name(r.items[0].state), "in_progress");
    CHECK_STR(readiness_state_name(r.items[1].state), "missing"); /* 12 of 16 weeks */
    CHECK_INT(count_rows("SELECT COUNT(*) FROM audit_events WHERE action = 'readiness.targets' AND actor_id = $1",
                         staff.id), 1);
    CHECK_INT(readiness_set_targets(conn, &staff, 3, 1, 12, &err), 0);
}

int main(void)
{
    if (!store_fixture_open("store-letters", FIXTURE_FOLDER_ALWAYS) || !store_fixture_migrate())
        return 1;
    char key[300];
    snprintf(key, sizeof(key), "%s/sealing.key", fixture_dir);
    blobs_built = blobs_open(fixture_dir, key, true) == 0 && blobs_ready();
    org_id = unique("org_");
    site_id = unique("s_");
    struct store_site site = {.id = site_id, .organization_id = org_id, .name = "Lakeside Main", .city = "Albany",
                              .state = "NY", .zip = "12208", .time_zone = "America/New_York",
                              .created_at = clock_now()};
    if (store_organization_insert(conn, org_id, "Lakeside Hospital", "host", clock_now()) != DB_OK ||
        store_site_insert(conn, &site) != DB_OK) {
        printf("fixture failed\n");
        return 1;
    }
    RUN(letters_round_trip);
    RUN(tokens_open_their_letter);
    RUN(moves_stamp_their_state);
    RUN(waiver_is_set_once);
    RUN(reminders_are_claimed_once);
    RUN(lists_by_student_author_and_staff);
    RUN(file_versions_newest_first);
    RUN(us_physician_means_a_verified_preceptor);
    RUN(readiness_targets_default_and_change);
    RUN(usce_weeks_from_confirmed_hours_by_kind);
    RUN(preceptor_of_the_students_rotations);
    RUN(requests_are_checked);
    RUN(a_request_by_name_and_email);
    RUN(the_author_answers_through_the_link);
    RUN(the_student_updates_and_never_unwaives);
    RUN(uploads_versions_and_the_waiver);
    RUN(reminders_mail_fresh_links);
    RUN(readiness_from_the_store);
    blobs_close();
    return store_fixture_close("store_letters"); /* removes the SQLite file and the blob store */
}
