/* test_store_lists.c — the order and the pages of lists the API pages, run
 * once on SQLite and once on PostgreSQL (ROUNDS_TEST_DB=postgres://… selects
 * it). The lists the API pager resumes by a text key (schools, coaches, a
 * school's students: by name, then id) come in byte order on both backends,
 * whatever the database's collation:
 *
 *   - on PostgreSQL the name columns are first given a language collation
 *     (ICU "en-x-icu" or "und-x-icu", where 'b' < 'C'; the test cluster is
 *     --no-locale, which would hide it) and given back their own at the end;
 *   - names in mixed case: the list is in strcmp order; the item a cursor
 *     names is removed, and the items after the cursor's key, compared byte
 *     by byte as list_pager.c does, are exactly the ones that followed it.
 *
 * A person's certificates, paged in the store by (issued_at, number): 205 of
 * them (past the old cap of 200), some issued in the same second, come by
 * pages of 7 each once, newest first. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/crypto.h"
#include "store/certificates.h"
#include "store/rotation.h"
#include "store/schools.h"
#include "store/store.h"
#include "test.h"
#include "store_fixtures.h"

enum { NAMES = 6, ITEMS_MAX = 4096 };

static const char *language; /* the collation given to the name columns on PostgreSQL, or NULL */
static const char *const names[NAMES] = {"alpha", "Bravo", "charlie", "Delta", "echo", "Foxtrot"};

struct keyed {
    const char *name, *id;
};

/* Gives users.name and organizations.name a language collation (PostgreSQL
 * only): the first of ICU's English or root collation the cluster has. */
static bool use_language_collation(void)
{
    if (strcmp(db_backend_name(conn), "postgres") != 0)
        return true;
    if (db_exec(conn, "ALTER TABLE users ALTER COLUMN name TYPE TEXT COLLATE \"en-x-icu\";"
                      "ALTER TABLE organizations ALTER COLUMN name TYPE TEXT COLLATE \"en-x-icu\"") == DB_OK)
        language = "en-x-icu";
    else if (db_exec(conn, "ALTER TABLE users ALTER COLUMN name TYPE TEXT COLLATE \"und-x-icu\";"
                           "ALTER TABLE organizations ALTER COLUMN name TYPE TEXT COLLATE \"und-x-icu\"") == DB_OK)
        language = "und-x-icu";
    printf("name columns collated by: %s\n", language != NULL ? language : "(no ICU collation in this cluster)");
    return language != NULL;
}

static void restore_collation(void)
{
    if (language != NULL)
        db_exec(conn, "ALTER TABLE users ALTER COLUMN name TYPE TEXT COLLATE \"default\";"
                      "ALTER TABLE organizations ALTER COLUMN name TYPE TEXT COLLATE \"default\"");
}

static int compare_keyed(const struct keyed *a, const struct keyed *b)
{
    int d = strcmp(a->name, b->name);
    return d != 0 ? d : strcmp(a->id, b->id);
}

static bool in_byte_order(const struct keyed *items, size_t n, const char *what)
{
    for (size_t i = 1; i < n; i++)
        if (compare_keyed(&items[i - 1], &items[i]) >= 0) {
            TEST_FAILF("%s: \"%s\" (%s) comes before \"%s\" (%s)", what, items[i - 1].name, items[i - 1].id,
                       items[i].name, items[i].id);
            return false;
        }
    return true;
}

/* before: the list when the page ended at before[at]; after: the list once
 * that item is gone. The items of after past the cursor's key are exactly
 * before's items past it. */
static void resumes_after_removed(const struct keyed *before, size_t n_before, size_t at, const struct keyed *after,
                                  size_t n_after, const char *what)
{
    size_t first = 0;
    while (first < n_after && compare_keyed(&after[first], &before[at]) <= 0)
        first++;
    size_t rest = n_after - first;
    bool same = rest == n_before - at - 1;
    for (size_t i = 0; same && i < rest; i++)
        same = strcmp(after[first + i].id, before[at + 1 + i].id) == 0;
    if (!same)
        TEST_FAILF("%s: after removing \"%s\", %zu items follow the cursor, want %zu", what, before[at].name, rest,
                   n_before - at - 1);
}

/* The position of id in items, or n. */
static size_t find(const struct keyed *items, size_t n, const char *id)
{
    size_t i = 0;
    while (i < n && strcmp(items[i].id, id) != 0)
        i++;
    return i;
}

static size_t read_schools(struct keyed *out)
{
    struct store_organization *schools = NULL;
    size_t count = 0;
    CHECK_INT(store_schools_list(conn, &arena, &schools, &count), DB_OK);
    for (size_t i = 0; i < count && i < ITEMS_MAX; i++)
        out[i] = (struct keyed){schools[i].name, schools[i].id};
    return count < ITEMS_MAX ? count : ITEMS_MAX;
}

static size_t read_coaches(struct keyed *out)
{
    struct store_coach *coaches = NULL;
    size_t count = 0;
    CHECK_INT(store_coaches_list(conn, &arena, &coaches, &count), DB_OK);
    for (size_t i = 0; i < count && i < ITEMS_MAX; i++)
        out[i] = (struct keyed){coaches[i].name, coaches[i].id};
    return count < ITEMS_MAX ? count : ITEMS_MAX;
}

static const char *student_school;

static size_t read_students(struct keyed *out)
{
    struct store_school_student *links = NULL;
    size_t count = 0;
    CHECK_INT(store_school_students_list(conn, &arena, student_school, NULL, &links, &count), DB_OK);
    for (size_t i = 0; i < count && i < ITEMS_MAX; i++)
        out[i] = (struct keyed){links[i].student_name, links[i].student_id};
    return count < ITEMS_MAX ? count : ITEMS_MAX;
}

static bool delete_row(const char *sql, const char *id)
{
    struct db_stmt *st = db_prepare(conn, sql);
    db_bind_text(st, 1, id);
    int rc = db_step(st);
    db_reset(st);
    return rc == DB_DONE;
}

/* Reads the list, checks its order, removes removed_id ("Delta"'s row) and
 * checks the walk resumes after it. */
static void check_list(size_t (*read_list)(struct keyed *), const char *removed_id, const char *delete_sql,
                       const char *what)
{
    static struct keyed before[ITEMS_MAX], after[ITEMS_MAX];
    size_t n_before = read_list(before);
    size_t at = find(before, n_before, removed_id);
    CHECK(at < n_before);
    if (!in_byte_order(before, n_before, what) || at >= n_before)
        return;
    CHECK(delete_row(delete_sql, removed_id));
    size_t n_after = read_list(after);
    CHECK_INT(n_after, n_before - 1);
    resumes_after_removed(before, n_before, at, after, n_after, what);
}

TEST(schools_come_in_byte_order_and_resume_after_a_removed_one)
{
    const char *delta = NULL;
    for (int i = 0; i < NAMES; i++) {
        const char *id = unique("org_c");
        CHECK_INT(store_organization_insert(conn, id, names[i], "school", clock_now()), DB_OK);
        delta = i == 3 ? id : delta;
    }
    check_list(read_schools, delta, "DELETE FROM organizations WHERE id = $1", "schools");
}

TEST(coaches_come_in_byte_order_and_resume_after_a_removed_one)
{
    const char *delta = NULL;
    for (int i = 0; i < NAMES; i++) {
        struct store_user u = make_user("coach", names[i]);
        CHECK_INT(store_user_insert(conn, &u), DB_OK);
        delta = i == 3 ? u.id : delta;
    }
    check_list(read_coaches, delta, "DELETE FROM user_roles WHERE user_id = $1", "coaches");
}

TEST(a_schools_students_come_in_byte_order_and_resume_after_a_removed_one)
{
    student_school = unique("org_c");
    CHECK_INT(store_organization_insert(conn, student_school, "Collation Medical School", "school", clock_now()),
              DB_OK);
    const char *delta = NULL;
    for (int i = 0; i < NAMES; i++) {
        struct store_user u = make_user("student", names[i]);
        struct store_school_student link = {.organization_id = student_school, .student_id = u.id,
                                            .status = "active", .updated_at = clock_now()};
        CHECK_INT(store_user_insert(conn, &u), DB_OK);
        CHECK_INT(store_school_student_put(conn, &link), DB_OK);
        delta = i == 3 ? u.id : delta;
    }
    check_list(read_students, delta, "DELETE FROM school_students WHERE student_id = $1", "a school's students");
}

TEST(certificates_come_a_page_at_a_time_past_the_old_cap)
{
    enum { CERTIFICATES = 205, PAGE = 7 };
    struct store_user preceptor = make_user("preceptor", "Page Preceptor");
    CHECK_INT(store_user_insert(conn, &preceptor), DB_OK);
    int64_t base = clock_now();
    for (int i = 0; i < CERTIFICATES; i++) {
        char period[16];
        snprintf(period, sizeof(period), "%d", 1800 + i);
        struct store_certificate c = {.number = unique("RC-"), .kind = "teaching", .subject_id = preceptor.id,
                                      .period = arena_strdup(&arena, period), .facts = "{}", .signature = "sig",
                                      .key_id = "k1", .issued_at = base + i / 3};
        CHECK_INT(store_certificate_insert(conn, &c), DB_OK);
    }
    int64_t after_issued_at = 0;
    const char *after_number = NULL;
    size_t seen = 0;
    for (int page = 0; page < CERTIFICATES; page++) {
        struct store_certificate *items = NULL;
        size_t count = 0;
        CHECK_INT(store_certificates_of_subject(conn, &arena, preceptor.id, after_issued_at, after_number, PAGE, &items,
                                                &count),
                  DB_OK);
        for (size_t i = 0; i < count; i++) {
            bool ordered = after_number == NULL || items[i].issued_at < after_issued_at ||
                           (items[i].issued_at == after_issued_at && strcmp(items[i].number, after_number) > 0);
            if (!ordered)
                TEST_FAILF("certificate %s comes out of order", items[i].number);
            after_issued_at = items[i].issued_at;
            after_number = items[i].number;
        }
        seen += count;
        if (count < PAGE)
            break;
    }
    CHECK_INT(seen, CERTIFICATES);
}

int main(void)
{
    if (!store_fixture_open("store-lists", FIXTURE_FOLDER_FOR_SQLITE))
        return 1;
    if (!store_fixture_migrate() || !use_language_collation()) {
        printf("cannot set up the test world\n");
        db_close(conn);
        return 1;
    }
    RUN(schools_come_in_byte_order_and_resume_after_a_removed_one);
    RUN(coaches_come_in_byte_order_and_resume_after_a_removed_one);
    RUN(a_schools_students_come_in_byte_order_and_resume_after_a_removed_one);
    restore_collation();
    RUN(certificates_come_a_page_at_a_time_past_the_old_cap);
    return store_fixture_close("store_lists");
}
