/* test_demo_catalog.c — the generated catalog of `rounds seed`
 * (domain/demo_catalog.c) against a fresh SQLite database: the numbers the
 * demo promises (hosts, states, offerings, specialties, kinds, prices, NPIs,
 * blocks in the next 12 months), that it is the same on every run and is not
 * written twice, and that bulk offerings arrive whole: change feed rows and
 * blocks, visible to the search index (with their full text). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/catalog.h"
#include "domain/catalog_index.h"
#include "domain/demo_catalog.h"
#include "domain/reference.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "store/store.h"
#include "domain/money.h"
#include "domain/refunds.h"
#include "test.h"

static struct db_conn *conn;
static struct arena arena;
static char dir[64]; /* a test_tmp_dir folder */
static char db_path[256];

static const char demo_user_id[] = "usr_demo_preceptor";

/* The first column of the first row of sql (one optional text parameter), or -1. */
static int64_t scalar(const char *sql, const char *param)
{
    struct db_stmt *st = db_prepare(conn, sql);
    if (param != NULL)
        db_bind_text(st, 1, param);
    int64_t v = db_step(st) == DB_ROW ? db_column_int(st, 0) : -1;
    db_reset(st);
    return v;
}

static struct db_conn *open_fresh(const char *path)
{
    struct db_conn *c = NULL;
    bool too_new = false;
    if (db_open(path, &c) != DB_OK)
        return NULL;
    if (store_migrate(c, &too_new) != DB_OK) {
        db_close(c);
        return NULL;
    }
    return c;
}

/* The demo host organisation and a preceptor account, as `rounds seed --demo` makes them. */
static bool make_demo_accounts(struct db_conn *c)
{
    if (store_organization_insert(c, "org_demo_host", "Lakeside Community Hospital", "host", clock_now()) != DB_OK)
        return false;
    struct store_user u;
    memset(&u, 0, sizeof(u));
    u.id = demo_user_id;
    u.email = "preceptor@rounds.test";
    u.name = "Dr. Daniel Whitfield";
    u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$aGFzaA";
    u.created_at = clock_now();
    u.roles[0] = "preceptor";
    u.role_count = 1;
    return store_user_insert(c, &u) == DB_OK;
}

static const struct demo_catalog_accounts accounts = {"org_demo_host", "Lakeside Community Hospital", demo_user_id,
                                                      "Dr. Daniel Whitfield", "preceptor@rounds.test"};

TEST(demo_catalog_is_created_once)
{
    CHECK(make_demo_accounts(conn));
    bool created = false;
    CHECK_INT(demo_catalog_seed(conn, &accounts, &created), DB_OK);
    CHECK(created);
    int64_t offerings = scalar("SELECT COUNT(*) FROM offerings", NULL);
    int64_t blocks = scalar("SELECT COUNT(*) FROM blocks", NULL);
    int64_t preceptors = scalar("SELECT COUNT(*) FROM preceptors", NULL);
    CHECK_INT(offerings, DEMO_CATALOG_OFFERINGS);
    CHECK_INT(demo_catalog_seed(conn, &accounts, &created), DB_OK);
    CHECK(!created);
    CHECK_INT(scalar("SELECT COUNT(*) FROM offerings", NULL), offerings);
    CHECK_INT(scalar("SELECT COUNT(*) FROM blocks", NULL), blocks);
    CHECK_INT(scalar("SELECT COUNT(*) FROM preceptors", NULL), preceptors);
}

TEST(demo_catalog_has_the_promised_breadth)
{
    CHECK(scalar("SELECT COUNT(DISTINCT organization_id) FROM offerings", NULL) >= 40);
    CHECK(scalar("SELECT COUNT(DISTINCT s.state) FROM sites s JOIN organizations o ON o.id = s.organization_id"
                 " WHERE o.kind = 'host'",
                 NULL) >= 30);
    CHECK(scalar("SELECT COUNT(DISTINCT s.state) FROM offerings o JOIN sites s ON s.id = o.site_id", NULL) >= 30);
    CHECK(scalar("SELECT COUNT(*) FROM offerings", NULL) >= 300);
    CHECK(scalar("SELECT COUNT(DISTINCT specialty) FROM offerings", NULL) >= 25);
    CHECK_INT(scalar("SELECT COUNT(DISTINCT kind) FROM offerings", NULL), 4);
    for (size_t i = 0; offering_kind_names[i] != NULL; i++)
        CHECK(scalar("SELECT COUNT(*) FROM offerings WHERE kind = $1", offering_kind_names[i]) >= 10);
    /* Every host has a site, a preceptor and an offering; at most 3 sites and 4 preceptors. */
    CHECK_INT(scalar("SELECT COUNT(*) FROM organizations o WHERE o.kind = 'host' AND NOT EXISTS"
                     " (SELECT 1 FROM offerings f WHERE f.organization_id = o.id)",
                     NULL),
              0);
    CHECK(scalar("SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM sites GROUP BY organization_id) t", NULL) <= 3);
    CHECK(scalar("SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM preceptors GROUP BY organization_id) t", NULL) <= 4);
    struct store_catalog_summary sum;
    CHECK_INT(store_catalog_summary(conn, &sum), DB_OK);
    CHECK_INT(sum.offerings, 300);
    CHECK(sum.hosts >= 40 && sum.states >= 30 && sum.specialties >= 25);
    CHECK_INT(sum.kinds, 4);
    CHECK_INT(sum.blocks, scalar("SELECT COUNT(*) FROM blocks", NULL));
}

TEST(sites_are_real_places_with_their_time_zone)
{
    struct db_stmt *st = db_prepare(conn, "SELECT state, time_zone, zip, address, city FROM sites");
    int rows = 0, bad = 0;
    while (db_step(st) == DB_ROW) {
        rows++;
        const struct reference_state *s = reference_state_find(db_column_text(st, 0));
        const char *tz = db_column_text(st, 1), *zip = db_column_text(st, 2), *address = db_column_text(st, 3);
        bool ok = s != NULL && tz != NULL && strchr(tz, '/') != NULL;
        ok = ok && zip != NULL && strlen(zip) == 5 && strspn(zip, "0123456789") == 5;
        ok = ok && address != NULL && address[0] >= '1' && address[0] <= '9' && db_column_text(st, 4)[0] != '\0';
        if (!ok && bad++ < 3)
            TEST_FAILF("site %s %s %s %s", db_column_text(st, 0), tz, zip, address);
    }
    db_reset(st);
    CHECK(rows >= 45);
    CHECK_INT(bad, 0);
}

TEST(preceptors_have_valid_npis_and_licences)
{
    char today[11];
    clock_today(today);
    struct db_stmt *st = db_prepare(conn, "SELECT p.npi, p.license_expires, p.license_state, p.board_status,"
                                          " (SELECT COUNT(*) FROM sites s WHERE s.organization_id = p.organization_id"
                                          "  AND s.state = p.license_state)"
                                          " FROM preceptors p");
    int rows = 0, invalid = 0;
    while (db_step(st) == DB_ROW) {
        rows++;
        const char *npi = db_column_text(st, 0), *expires = db_column_text(st, 1);
        bool ok = catalog_npi_valid(npi) && (npi[0] == '1' || npi[0] == '2');
        ok = ok && expires != NULL && strcmp(expires, today) > 0 && db_column_int(st, 4) > 0;
        if (!ok && invalid++ < 3)
            TEST_FAILF("preceptor npi %s expires %s state %s", npi, expires ? expires : "(null)",
                       db_column_text(st, 2));
    }
    db_reset(st);
    CHECK(rows >= 40);
    CHECK_INT(invalid, 0);
    CHECK_INT(scalar("SELECT COUNT(DISTINCT npi) FROM preceptors", NULL), rows);
    int64_t verified = scalar("SELECT COUNT(*) FROM preceptors WHERE verified = 1 AND verified_at IS NOT NULL", NULL);
    CHECK(verified * 100 >= rows * 50 && verified * 100 <= rows * 90); /* about 70% */
    CHECK(scalar("SELECT COUNT(*) FROM preceptors WHERE board_status = 'certified'", NULL) * 2 > rows);
}

TEST(the_demo_host_and_preceptor_account_have_offerings)
{
    CHECK_INT(scalar("SELECT COUNT(*) FROM preceptors WHERE user_id = $1", demo_user_id), 1);
    CHECK(scalar("SELECT COUNT(*) FROM offerings o JOIN preceptors p ON p.id = o.preceptor_id WHERE p.user_id = $1",
                 demo_user_id) >= 3);
    CHECK_INT(scalar("SELECT COUNT(*) FROM offerings WHERE organization_id = $1", "org_demo_host"),
              DEMO_CATALOG_HOST_OFFERINGS);
    CHECK(scalar("SELECT COUNT(*) FROM sites WHERE organization_id = $1", "org_demo_host") >= 1);
    struct store_offering *list;
    size_t count = 0;
    CHECK_INT(store_offerings_list(conn, &arena, NULL, demo_user_id, NULL, 100, &list, &count), DB_OK);
    CHECK(count >= 3);
    for (size_t i = 0; i < count; i++)
        CHECK_STR(list[i].preceptor_name, "Dr. Daniel Whitfield");
}

TEST(prices_are_realistic)
{
    struct db_stmt *st = db_prepare(conn, "SELECT kind, weeks, tuition_cents, application_fee_cents, deposit_cents,"
                                          " hours_per_week, deposit_percent, balance_due_days FROM offerings");
    int bad = 0, free_cheap_kinds = 0, free_clinical = 0;
    int64_t most_per_four = 0;
    while (db_step(st) == DB_ROW) {
        const char *kind = db_column_text(st, 0);
        int64_t weeks = db_column_int(st, 1), tuition = db_column_int(st, 2), fee = db_column_int(st, 3),
                hours = db_column_int(st, 5), share = db_column_int(st, 6), due_days = db_column_int(st, 7);
        /* The deposit asked, as an amount or as a share of the price (domain/money.c). */
        struct store_offering o = {.tuition_cents = tuition, .application_fee_cents = fee,
                                   .deposit_cents = db_column_int(st, 4), .deposit_percent = share};
        int64_t deposit = money_offering_deposit(&o);
        bool clinical = strcmp(kind, "hands_on") == 0 || strcmp(kind, "observership") == 0;
        if (tuition == 0)
            clinical ? free_clinical++ : free_cheap_kinds++;
        if (tuition * 4 / weeks > most_per_four)
            most_per_four = tuition * 4 / weeks;
        bool ok = weeks >= 2 && weeks <= 12 && tuition * 4 <= 450000 * weeks && fee >= 0 && fee <= 15000 &&
                  deposit >= 0 && deposit <= tuition + fee &&
                  (tuition == 0 || deposit >= 25000 || deposit == tuition) && (share == 0 || o.deposit_cents == 0) &&
                  due_days >= 30 && due_days <= 45 && hours >= 10 && hours <= 60;
        if (clinical)
            ok = ok && tuition * 4 >= 100000 * weeks * 9 / 10;
        if (!ok && bad++ < 3)
            TEST_FAILF("%s: %lld weeks, tuition %lld, fee %lld, deposit %lld, %lld h", kind, (long long)weeks,
                       (long long)tuition, (long long)fee, (long long)deposit, (long long)hours);
    }
    db_reset(st);
    CHECK_INT(bad, 0);
    CHECK(free_cheap_kinds > 0);
    CHECK_INT(free_clinical, 0);
    CHECK(most_per_four > 350000); /* the dear end is there too */
    CHECK(scalar("SELECT COUNT(*) FROM offerings WHERE weeks = 4", NULL) * 2 > 300); /* mostly 4 weeks */
}

TEST(texts_eligibility_and_requirements_are_filled)
{
    struct db_stmt *st = db_prepare(conn, "SELECT title, description, first_day, refund_policy, requirements,"
                                          " kind, step1_required, graduates_allowed, visa_kinds, tuition_cents"
                                          " FROM offerings");
    int bad = 0, rows = 0, observerships_for_b1 = 0;
    while (db_step(st) == DB_ROW) {
        rows++;
        const char *requirements = db_column_text(st, 4), *kind = db_column_text(st, 5);
        /* Paid rotations carry a policy of their own, free ones the default; every policy reads. */
        struct refund_policy policy;
        bool ok = strlen(db_column_text(st, 0)) > 5 && strlen(db_column_text(st, 1)) > 150 &&
                  strlen(db_column_text(st, 2)) > 60 && refund_policy_decode(&arena, db_column_text(st, 3), &policy) == 0 &&
                  (db_column_int(st, 9) == 0 || (strlen(db_column_text(st, 3)) > 20 && policy.count >= 1));
        /* Every requirement is a known document kind; CV and HIPAA training always. */
        char copy[512];
        snprintf(copy, sizeof(copy), "%s", requirements);
        for (char *p = copy; p != NULL && *p != '\0';) {
            char *comma = strchr(p, ',');
            if (comma != NULL)
                *comma = '\0';
            if (reference_document_kind_find(p) == NULL)
                ok = false;
            p = comma != NULL ? comma + 1 : NULL;
        }
        ok = ok && strstr(requirements, "cv") != NULL && strstr(requirements, "hipaa-training") != NULL;
        if (strcmp(kind, "hands_on") == 0 && db_column_int(st, 7))
            ok = ok && db_column_int(st, 6) && strstr(requirements, "usmle-step1") != NULL;
        const char *visas = db_column_text(st, 8);
        if (strcmp(kind, "observership") == 0 && (visas[0] == '\0' || strstr(visas, "b1_b2") != NULL))
            observerships_for_b1++;
        if (!ok && bad++ < 3)
            TEST_FAILF("offering \"%s\" (%s): requirements %s", db_column_text(st, 0), kind, requirements);
    }
    db_reset(st);
    CHECK_INT(bad, 0);
    CHECK(observerships_for_b1 > 0);
    CHECK(scalar("SELECT COUNT(*) FROM offerings WHERE lor_customary = 1", NULL) > 0);
    CHECK(scalar("SELECT COUNT(*) FROM offerings WHERE max_years_since_graduation IS NOT NULL", NULL) > 0);
    CHECK(scalar("SELECT COUNT(*) FROM offerings WHERE kind = 'hands_on' AND visa_kinds NOT LIKE '%b1_b2%'"
                 " AND visa_kinds <> ''",
                 NULL) > 0);
}

TEST(blocks_lie_in_the_next_twelve_months)
{
    int32_t today = clock_today_days();
    struct db_stmt *st = db_prepare(conn, "SELECT b.start_date, b.end_date, o.weeks, b.seats, b.seats_taken"
                                          " FROM blocks b JOIN offerings o ON o.id = b.offering_id");
    int bad = 0, full = 0, rows = 0;
    while (db_step(st) == DB_ROW) {
        rows++;
        const char *start_text = db_column_text(st, 0), *end_text = db_column_text(st, 1);
        int32_t start = clock_days_from_date(start_text), end = clock_days_from_date(end_text);
        int64_t weeks = db_column_int(st, 2), seats = db_column_int(st, 3), taken = db_column_int(st, 4);
        bool monday = ((start % 7) + 7 + 3) % 7 == 0;
        bool ok = start > today && start <= today + 366 && end > start && monday && end == start + weeks * 7 - 3 &&
                  seats >= 1 && seats <= 6 && taken >= 0 && taken <= seats;
        if (taken == seats)
            full++;
        if (!ok && bad++ < 3)
            TEST_FAILF("block %s – %s (%lld weeks), %lld/%lld seats", start_text, end_text, (long long)weeks,
                       (long long)taken, (long long)seats);
    }
    db_reset(st);
    CHECK_INT(bad, 0);
    CHECK(full > 0 && full * 4 < rows); /* a few full */
    CHECK(scalar("SELECT MIN(n) FROM (SELECT COUNT(*) AS n FROM blocks GROUP BY offering_id) t", NULL) >= 2);
    CHECK(scalar("SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM blocks GROUP BY offering_id) t", NULL) <= 8);
    CHECK_INT(scalar("SELECT COUNT(*) FROM offerings o WHERE NOT EXISTS (SELECT 1 FROM blocks b"
                     " WHERE b.offering_id = o.id)",
                     NULL),
              0);
    /* A few offerings are full on every block. */
    int64_t all_full = scalar("SELECT COUNT(*) FROM offerings o WHERE NOT EXISTS (SELECT 1 FROM blocks b"
                              " WHERE b.offering_id = o.id AND b.seats_taken < b.seats)",
                              NULL);
    CHECK(all_full > 0 && all_full < 30);
}

static struct catalog_query any_query(void)
{
    struct catalog_query q = {.specialty = -1, .state = -1, .kind = -1, .start_from = INT32_MIN,
                              .start_to = INT32_MAX, .max_tuition_cents = -1, .include_full = true,
                              .sort = CATALOG_SORT_SOONEST, .limit = 3};
    return q;
}

/* The search index finds the demo offerings by a word of their text. */
TEST(demo_offerings_are_searchable)
{
    CHECK_INT(scalar("SELECT COUNT(DISTINCT offering_id) FROM catalog_changes", NULL), 300);
    CHECK_INT(catalog_index_start(db_path, 0), 0);
    struct catalog_query q = any_query();
    q.text = "nephrology";
    struct catalog_result result;
    struct error err = {0};
    CHECK_INT(catalog_search(&arena, &q, &result, &err), 0);
    /* Every offering with the word (the specialty's name is in its text), and no other. */
    CHECK_INT(result.total, scalar("SELECT COUNT(*) FROM offerings o JOIN preceptors p ON p.id = o.preceptor_id"
                                   " JOIN organizations g ON g.id = o.organization_id"
                                   " WHERE o.specialty = 'nephrology' OR (' ' || lower(o.title || ' ' || o.description"
                                   " || ' ' || g.name || ' ' || p.name) || ' ') LIKE '% nephrology%'",
                                   NULL));
    CHECK(result.total > 0);
    catalog_index_stop();
}

/* The same catalog on every run: ids, titles, prices and block counts. */
TEST(demo_catalog_is_deterministic)
{
    char other_path[300];
    snprintf(other_path, sizeof(other_path), "%s/other.db", dir);
    struct db_conn *other = open_fresh(other_path);
    CHECK(other != NULL);
    if (other == NULL)
        return;
    CHECK(make_demo_accounts(other));
    bool created = false;
    CHECK_INT(demo_catalog_seed(other, &accounts, &created), DB_OK);
    CHECK(created);
    static const char sql[] = "SELECT o.id, o.title, o.tuition_cents, p.npi, (SELECT COUNT(*) FROM blocks b"
                              " WHERE b.offering_id = o.id) FROM offerings o JOIN preceptors p ON p.id = o.preceptor_id"
                              " ORDER BY o.id";
    struct db_stmt *a = db_prepare(conn, sql), *b = db_prepare(other, sql);
    int rows = 0, different = 0;
    while (db_step(a) == DB_ROW) {
        if (db_step(b) != DB_ROW) {
            different++;
            break;
        }
        rows++;
        for (int c = 0; c < 5; c++)
            if (strcmp(db_column_text(a, c), db_column_text(b, c)) != 0 && different++ < 3)
                TEST_FAILF("row %d column %d: %s vs %s", rows, c, db_column_text(a, c), db_column_text(b, c));
    }
    db_reset(a);
    db_reset(b);
    CHECK_INT(rows, 300);
    CHECK_INT(different, 0);
    db_close(other);
    unlink(other_path);
    char path[320];
    snprintf(path, sizeof(path), "%s-wal", other_path);
    unlink(path);
    snprintf(path, sizeof(path), "%s-shm", other_path);
    unlink(path);
}

struct progress_log {
    int calls;
    int64_t last_done, last_total;
};

static void on_progress(void *ctx, int64_t done, int64_t total)
{
    struct progress_log *log = ctx;
    log->calls++;
    log->last_done = done;
    log->last_total = total;
}

TEST(bulk_offerings_arrive_whole)
{
    int64_t offerings = scalar("SELECT COUNT(*) FROM offerings", NULL);
    int64_t changes = scalar("SELECT COUNT(*) FROM catalog_changes", NULL);
    int64_t hosts = scalar("SELECT COUNT(*) FROM organizations WHERE kind = 'host'", NULL);
    int64_t blocks = scalar("SELECT COUNT(*) FROM blocks", NULL);
    int64_t last_seq = 0;
    CHECK_INT(store_catalog_last_seq(conn, &last_seq), DB_OK);
    struct progress_log log = {0};
    struct demo_catalog_added added;
    CHECK_INT(demo_catalog_add_offerings(conn, 1000, on_progress, &log, &added), DB_OK);
    CHECK_INT(added.offerings, 1000);
    CHECK_INT(added.hosts, 10);
    CHECK(log.calls >= 1);
    CHECK_INT(log.last_done, 1000);
    CHECK_INT(log.last_total, 1000);
    CHECK_INT(scalar("SELECT COUNT(*) FROM offerings", NULL), offerings + 1000);
    CHECK_INT(scalar("SELECT COUNT(*) FROM catalog_changes", NULL), changes + 1000);
    CHECK_INT(scalar("SELECT COUNT(*) FROM organizations WHERE kind = 'host'", NULL), hosts + 10);
    CHECK_INT(scalar("SELECT COUNT(*) FROM blocks", NULL), blocks + added.blocks);
    /* Each new offering has its change row. */
    char seq_text[24];
    snprintf(seq_text, sizeof(seq_text), "%lld", (long long)last_seq);
    CHECK_INT(scalar("SELECT COUNT(DISTINCT c.offering_id) FROM catalog_changes c JOIN offerings o"
                     " ON o.id = c.offering_id"
                     " WHERE c.seq > CAST($1 AS INTEGER)",
                     seq_text),
              1000);
    CHECK(scalar("SELECT MIN(n) FROM (SELECT COUNT(*) AS n FROM blocks GROUP BY offering_id) t", NULL) >= 2);
    CHECK(added.blocks >= 2000 && added.blocks <= 6000);
    /* Bulk writes skip SQLite's checks (store_bulk_session): the rows must pass them all the same. */
    CHECK_INT(scalar("SELECT COUNT(*) FROM pragma_foreign_key_check", NULL), 0);
    CHECK_INT(scalar("SELECT COUNT(*) FROM offerings WHERE kind NOT IN ('hands_on', 'observership', 'research',"
                     " 'telehealth') OR setting NOT IN ('inpatient', 'outpatient', 'mixed') OR status NOT IN"
                     " ('draft', 'published', 'archived') OR weeks NOT BETWEEN 1 AND 52 OR tuition_cents NOT BETWEEN"
                     " 0 AND 10000000",
                     NULL),
              0);
    CHECK_INT(scalar("SELECT COUNT(*) FROM blocks WHERE seats NOT BETWEEN 1 AND 100 OR seats_taken < 0"
                     " OR seats_taken > seats OR end_date <= start_date",
                     NULL),
              0);
    CHECK_INT(scalar("SELECT COUNT(*) FROM preceptors WHERE board_status NOT IN ('certified', 'eligible',"
                     " 'not_certified')",
                     NULL),
              0);
    /* And the connection checks again afterwards: a block of no offering is refused. */
    CHECK_INT(scalar("SELECT COUNT(*) FROM pragma_foreign_keys WHERE foreign_keys = 1", NULL), 1);
    CHECK_INT(scalar("SELECT COUNT(*) FROM preceptors", NULL), scalar("SELECT COUNT(DISTINCT npi) FROM preceptors", NULL));
    CHECK_INT(scalar("SELECT COUNT(DISTINCT o.kind) FROM offerings o JOIN catalog_changes c ON c.offering_id = o.id"
                     " WHERE c.seq > CAST($1 AS INTEGER)",
                     seq_text),
              4);
    /* A second run adds as much again, with other ids and NPIs. */
    CHECK_INT(demo_catalog_add_offerings(conn, 250, NULL, NULL, &added), DB_OK);
    CHECK_INT(scalar("SELECT COUNT(*) FROM offerings", NULL), offerings + 1250);
    CHECK_INT(added.hosts, 3);
}

TEST(bulk_refuses_counts_out_of_range)
{
    struct demo_catalog_added added;
    CHECK(demo_catalog_add_offerings(conn, 0, NULL, NULL, &added) != DB_OK);
    CHECK(demo_catalog_add_offerings(conn, DEMO_CATALOG_BULK_MAX + 1, NULL, NULL, &added) != DB_OK);
    CHECK_INT(added.offerings, 0);
}

/* The search index loads the seeded catalog with facets over all of it. */
TEST(the_search_index_loads_the_catalog)
{
    CHECK_INT(catalog_index_start(db_path, 0), 0);
    struct catalog_query q = any_query();
    struct catalog_result result;
    struct error err = {0};
    CHECK_INT(catalog_search(&arena, &q, &result, &err), 0);
    CHECK_INT(result.total, scalar("SELECT COUNT(*) FROM offerings", NULL));
    CHECK_INT(result.count, 3);
    int64_t kinds = 0, states = 0;
    for (size_t i = 0; i < OFFERING_KIND_COUNT; i++)
        kinds += result.kind_counts[i] > 0;
    for (size_t i = 0; i < reference_state_count; i++)
        states += result.state_counts[i] > 0;
    CHECK_INT(kinds, 4);
    CHECK(states >= 30);
    catalog_index_stop();
}

int main(void)
{
    crypto_init();
    arena_heap_init(&arena);
    if (test_tmp_dir(dir, sizeof(dir), "demo-catalog") == NULL)
        return 1;
    snprintf(db_path, sizeof(db_path), "%s/demo.db", dir);
    conn = open_fresh(db_path);
    if (conn == NULL) {
        printf("cannot open %s\n", db_path);
        return 1;
    }
    RUN(demo_catalog_is_created_once);
    RUN(demo_catalog_has_the_promised_breadth);
    RUN(sites_are_real_places_with_their_time_zone);
    RUN(preceptors_have_valid_npis_and_licences);
    RUN(the_demo_host_and_preceptor_account_have_offerings);
    RUN(prices_are_realistic);
    RUN(texts_eligibility_and_requirements_are_filled);
    RUN(blocks_lie_in_the_next_twelve_months);
    RUN(demo_offerings_are_searchable);
    RUN(demo_catalog_is_deterministic);
    RUN(bulk_offerings_arrive_whole);
    RUN(bulk_refuses_counts_out_of_range);
    RUN(the_search_index_loads_the_catalog);
    db_close(conn);
    arena_heap_free(&arena);
    test_tmp_remove(dir);
    return test_summary("unit-demo-catalog");
}
