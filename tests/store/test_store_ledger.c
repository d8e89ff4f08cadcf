/* test_store_ledger.c — the ledger over a real database, once on SQLite and
 * once on PostgreSQL (ROUNDS_TEST_DB=postgres://… selects it; otherwise a
 * fresh SQLite file): balanced transactions with running balances, the
 * refusal of an unbalanced one, the append-only tables (UPDATE and DELETE
 * refused by the database itself), the check naming the first broken entry
 * (broken rows written inside a transaction that is rolled back, so the
 * database stays sound), concurrent postings to one account from several
 * connections, and (SQLite) a WAL that starts over while two connections
 * write without a pause. Money comes in through clearing accounts of no real
 * provider ("store-test"): `rounds ledger check`, run on the database this
 * suite leaves, compares a real provider's clearing account with its
 * payments, and this suite records ledger postings alone. */
#include <ftw.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domain/ledger.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "test.h"
#include "store_fixtures.h"

static int64_t balance(enum ledger_account_kind kind, const char *owner)
{
    int64_t b = -1;
    CHECK_INT(ledger_balance(conn, kind, owner, &b), DB_OK);
    return b;
}

static int64_t count_of(const char *sql)
{
    struct db_stmt *st = db_prepare(conn, sql);
    int64_t n = -1;
    if (db_step(st) == DB_ROW)
        n = db_column_int(st, 0);
    db_reset(st);
    return n;
}

struct post_ctx {
    struct store_ledger_transaction t;
    struct ledger_draft d;
};

static int post_tx(struct db_conn *c, void *p)
{
    struct post_ctx *ctx = p;
    return ledger_post(c, &ctx->t, &ctx->d);
}

static int post(struct db_conn *c, const char *kind, const char *application, struct ledger_draft *d)
{
    struct post_ctx ctx = {.t = {.kind = kind, .application_id = application}, .d = *d};
    return db_run_tx(c, true, post_tx, &ctx);
}

TEST(balanced_transactions_keep_running_balances)
{
    const char *app = unique("a_");
    struct ledger_draft d;
    ledger_draft_init(&d);
    ledger_draft_move(&d, LEDGER_RECEIVABLE, app, LEDGER_DEFERRED, app, 325000); /* the charge */
    CHECK_INT(post(conn, "charge", app, &d), DB_OK);
    ledger_draft_init(&d);
    ledger_draft_move(&d, LEDGER_CLEARING, "store-test", LEDGER_RECEIVABLE, app, 89900); /* the deposit */
    CHECK_INT(post(conn, "payment", app, &d), DB_OK);
    ledger_draft_init(&d);
    ledger_draft_move(&d, LEDGER_CLEARING, "store-test", LEDGER_RECEIVABLE, app, 235100); /* the balance */
    CHECK_INT(post(conn, "payment", app, &d), DB_OK);
    CHECK_INT(balance(LEDGER_RECEIVABLE, app), 0);
    CHECK_INT(balance(LEDGER_DEFERRED, app), -325000);
    struct store_ledger_line *lines;
    size_t n = 0;
    CHECK_INT(store_ledger_lines_of_application(conn, &arena, app, &lines, &n), DB_OK);
    CHECK_INT(n, 6);
    CHECK_STR(lines[0].kind, "charge");
    CHECK_STR(lines[5].kind, "payment");
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += lines[i].amount_cents;
    CHECK_INT(sum, 0);
    /* Postings to one account in one draft add up; a draft that nets to nothing posts nothing. */
    ledger_draft_init(&d);
    ledger_draft_add(&d, LEDGER_REVENUE, NULL, -100);
    ledger_draft_add(&d, LEDGER_REVENUE, NULL, 100);
    CHECK_INT(d.count, 1);
    struct ledger_check_report report;
    CHECK_INT(ledger_check(conn, &report), DB_OK);
    CHECK(report.ok);
    CHECK(report.entries >= 6);
}

TEST(an_unbalanced_transaction_is_refused)
{
    int64_t before = count_of("SELECT COUNT(*) FROM ledger_entries");
    const char *app = unique("a_");
    struct ledger_draft d;
    ledger_draft_init(&d);
    ledger_draft_add(&d, LEDGER_RECEIVABLE, app, 500);
    ledger_draft_add(&d, LEDGER_DEFERRED, app, -499);
    CHECK_INT(post(conn, "charge", app, &d), DB_ERROR);
    /* Too many accounts for one transaction is refused too, not cut short. */
    ledger_draft_init(&d);
    for (int i = 0; i <= LEDGER_POSTINGS_MAX; i++)
        ledger_draft_move(&d, LEDGER_HOST_PAYABLE, unique("o_"), LEDGER_REVENUE, NULL, 1);
    CHECK(d.overflow);
    CHECK_INT(post(conn, "payout", NULL, &d), DB_ERROR);
    CHECK_INT(count_of("SELECT COUNT(*) FROM ledger_entries"), before);
}

TEST(the_tables_are_append_only)
{
    const char *app = unique("a_");
    struct ledger_draft d;
    ledger_draft_init(&d);
    ledger_draft_move(&d, LEDGER_RECEIVABLE, app, LEDGER_DEFERRED, app, 1000);
    CHECK_INT(post(conn, "charge", app, &d), DB_OK);
    int64_t entries = count_of("SELECT COUNT(*) FROM ledger_entries");
    int64_t transactions = count_of("SELECT COUNT(*) FROM ledger_transactions");
    int64_t total = count_of("SELECT COALESCE(SUM(balance_cents), 0) + COALESCE(SUM(amount_cents), 0) FROM ledger_entries");
    CHECK(db_exec(conn, "UPDATE ledger_entries SET amount_cents = amount_cents + 1") != DB_OK);
    CHECK(db_exec(conn, "UPDATE ledger_entries SET balance_cents = 0 WHERE account_seq = 1") != DB_OK);
    CHECK(db_exec(conn, "DELETE FROM ledger_entries") != DB_OK);
    CHECK(db_exec(conn, "UPDATE ledger_transactions SET kind = 'x'") != DB_OK);
    CHECK(db_exec(conn, "DELETE FROM ledger_transactions") != DB_OK);
    if (strcmp(db_backend_name(conn), "postgres") == 0) {
        CHECK(db_exec(conn, "TRUNCATE ledger_entries") != DB_OK);
        CHECK(db_exec(conn, "TRUNCATE ledger_transactions CASCADE") != DB_OK);
    }
    CHECK_INT(count_of("SELECT COUNT(*) FROM ledger_entries"), entries);
    CHECK_INT(count_of("SELECT COUNT(*) FROM ledger_transactions"), transactions);
    CHECK_INT(count_of("SELECT COALESCE(SUM(balance_cents), 0) + COALESCE(SUM(amount_cents), 0) FROM ledger_entries"),
              total);
}

/* ---- the check, on broken rows written inside a transaction that is rolled back ---- */

struct broken_ctx {
    const char *sql[4];
    struct ledger_check_report report;
    int64_t named; /* the id of the entry the check should name: the newest entry */
    int64_t newest_transaction;
    /* What the database's own pass (used past LEDGER_CHECK_MEMORY_TRANSACTIONS) finds. */
    int store_rc;
    int64_t store_transaction, store_first_entry, store_sum, store_entries;
};

static int broken_tx(struct db_conn *c, void *p)
{
    struct broken_ctx *b = p;
    for (int i = 0; i < 4 && b->sql[i] != NULL; i++)
        if (db_exec(c, b->sql[i]) != DB_OK)
            return DB_CONSTRAINT;
    struct db_stmt *st = db_prepare(c, "SELECT (SELECT MAX(id) FROM ledger_entries), (SELECT MAX(id) FROM ledger_transactions),"
                                       " (SELECT COUNT(*) FROM ledger_transactions)");
    int64_t transactions = 0;
    if (db_step(st) == DB_ROW) {
        b->named = db_column_int(st, 0);
        b->newest_transaction = db_column_int(st, 1);
        transactions = db_column_int(st, 2);
    }
    db_reset(st);
    if (ledger_check(c, &b->report) != DB_OK)
        return DB_ERROR;
    b->store_rc = store_ledger_first_unbalanced(c, transactions, &b->store_transaction, &b->store_first_entry,
                                                &b->store_sum, &b->store_entries);
    return DB_CONSTRAINT; /* never keep broken rows */
}

static void run_broken(struct broken_ctx *b)
{
    CHECK_INT(db_run_tx(conn, true, broken_tx, b), DB_CONSTRAINT);
    struct ledger_check_report after;
    CHECK_INT(ledger_check(conn, &after), DB_OK);
    CHECK(after.ok); /* rolled back: the real ledger is untouched */
}

TEST(the_check_names_a_wrong_running_balance)
{
    struct broken_ctx b = {.sql = {
        "INSERT INTO ledger_transactions (kind, effective_on, created_at) VALUES ('test', '2026-01-01', 1)",
        "INSERT INTO ledger_entries (transaction_id, account, amount_cents, account_seq, balance_cents)"
        " SELECT MAX(id), 'revenue:check-a', 500, 1, 500 FROM ledger_transactions",
        "INSERT INTO ledger_entries (transaction_id, account, amount_cents, account_seq, balance_cents)"
        " SELECT MAX(id), 'revenue:check-b', -500, 1, -400 FROM ledger_transactions",
        NULL}};
    run_broken(&b);
    CHECK(!b.report.ok);
    CHECK_INT(b.report.broken_entry, b.named);
    CHECK_CONTAINS(b.report.problem, "revenue:check-b");
    CHECK_CONTAINS(b.report.problem, "says the balance is -400 cents");
}

TEST(the_check_names_an_unbalanced_transaction)
{
    struct broken_ctx b = {.sql = {
        "INSERT INTO ledger_transactions (kind, effective_on, created_at) VALUES ('test', '2026-01-01', 1)",
        "INSERT INTO ledger_entries (transaction_id, account, amount_cents, account_seq, balance_cents)"
        " SELECT MAX(id), 'revenue:check-c', 700, 1, 700 FROM ledger_transactions",
        "INSERT INTO ledger_entries (transaction_id, account, amount_cents, account_seq, balance_cents)"
        " SELECT MAX(id), 'revenue:check-d', -600, 1, -600 FROM ledger_transactions",
        NULL}};
    run_broken(&b);
    CHECK(!b.report.ok);
    CHECK_INT(b.report.broken_entry, b.named - 1); /* the transaction's first entry */
    CHECK_INT(b.report.broken_transaction, b.newest_transaction);
    CHECK_CONTAINS(b.report.problem, "does not balance");
    CHECK_CONTAINS(b.report.problem, "sum to 100 cents");
    /* The database's own pass finds the same transaction. */
    CHECK_INT(b.store_rc, DB_ROW);
    CHECK_INT(b.store_transaction, b.newest_transaction);
    CHECK_INT(b.store_first_entry, b.named - 1);
    CHECK_INT(b.store_sum, 100);
    CHECK_INT(b.store_entries, 2);
}

TEST(the_check_names_a_transaction_without_entries)
{
    struct broken_ctx b = {.sql = {
        "INSERT INTO ledger_transactions (kind, effective_on, created_at) VALUES ('test', '2026-01-01', 1)", NULL}};
    run_broken(&b);
    CHECK(!b.report.ok);
    CHECK_INT(b.report.broken_entry, 0);
    CHECK_INT(b.report.broken_transaction, b.newest_transaction);
    CHECK_CONTAINS(b.report.problem, "has no entries");
    CHECK_INT(b.store_rc, DB_ROW);
    CHECK_INT(b.store_transaction, b.newest_transaction);
    CHECK_INT(b.store_entries, 0);
}

TEST(the_check_names_an_entry_of_an_unknown_account)
{
    struct broken_ctx b = {.sql = {
        "INSERT INTO ledger_transactions (kind, effective_on, created_at) VALUES ('test', '2026-01-01', 1)",
        "INSERT INTO ledger_entries (transaction_id, account, amount_cents, account_seq, balance_cents)"
        " SELECT MAX(id), 'revenue:check-f', 80, 1, 80 FROM ledger_transactions",
        "INSERT INTO ledger_entries (transaction_id, account, amount_cents, account_seq, balance_cents)"
        " SELECT MAX(id), 'allowance:check-f', -80, 1, -80 FROM ledger_transactions",
        NULL}};
    run_broken(&b);
    CHECK(!b.report.ok);
    CHECK_INT(b.report.broken_entry, b.named);
    CHECK_CONTAINS(b.report.problem, "unknown account \"allowance:check-f\"");
    CHECK_INT(b.store_rc, DB_DONE); /* it balances */
}

TEST(the_check_names_a_gap_in_an_account)
{
    struct broken_ctx b = {.sql = {
        "INSERT INTO ledger_transactions (kind, effective_on, created_at) VALUES ('test', '2026-01-01', 1)",
        "INSERT INTO ledger_entries (transaction_id, account, amount_cents, account_seq, balance_cents)"
        " SELECT MAX(id), 'revenue:check-e', 50, 2, 50 FROM ledger_transactions",
        "INSERT INTO ledger_entries (transaction_id, account, amount_cents, account_seq, balance_cents)"
        " SELECT MAX(id), 'nonsense', -50, 1, -50 FROM ledger_transactions",
        NULL}};
    run_broken(&b);
    CHECK(!b.report.ok);
    CHECK_INT(b.report.broken_entry, b.named - 1); /* the earlier of the two broken entries */
    CHECK_CONTAINS(b.report.problem, "position 2");
}

/* ---- concurrency: several connections posting to one account ---- */

enum { THREADS = 4, POSTS = 40 };

/* A thread's postings: count payments of first, first + 1, … cents from the
 * provider's clearing account to the application's receivable. */
struct poster_job {
    const char *app, *provider;
    int count;
    int64_t first;
};

static void *poster(void *arg)
{
    const struct poster_job *job = arg;
    struct db_conn *c = NULL;
    if (db_open(target_db, &c) != DB_OK)
        return (void *)1;
    intptr_t failures = 0;
    for (int i = 0; i < job->count; i++) {
        struct ledger_draft d;
        ledger_draft_init(&d);
        ledger_draft_move(&d, LEDGER_CLEARING, job->provider, LEDGER_RECEIVABLE, job->app, job->first + i);
        if (post(c, "payment", job->app, &d) != DB_OK)
            failures++;
    }
    db_close(c);
    return (void *)failures;
}

TEST(concurrent_postings_to_one_account_all_land)
{
    int64_t before = balance(LEDGER_CLEARING, "concurrency-test");
    pthread_t threads[THREADS];
    const char *apps[THREADS];
    struct poster_job jobs[THREADS];
    for (int i = 0; i < THREADS; i++) {
        apps[i] = unique("a_");
        jobs[i] = (struct poster_job){apps[i], "concurrency-test", POSTS, 100};
        pthread_create(&threads[i], NULL, poster, &jobs[i]);
    }
    for (int i = 0; i < THREADS; i++) {
        void *failures = NULL;
        pthread_join(threads[i], &failures);
        CHECK_INT((intptr_t)failures, 0);
    }
    int64_t each = 0;
    for (int i = 0; i < POSTS; i++)
        each += 100 + i;
    CHECK_INT(balance(LEDGER_CLEARING, "concurrency-test") - before, THREADS * each);
    for (int i = 0; i < THREADS; i++)
        CHECK_INT(balance(LEDGER_RECEIVABLE, apps[i]), -each);
    struct ledger_check_report report;
    CHECK_INT(ledger_check(conn, &report), DB_OK);
    CHECK(report.ok);
    if (!report.ok)
        printf("  %s\n", report.problem);
}

/* ---- SQLite: the WAL starts over under a steady stream of writes ---- */

enum { WAL_WRITERS = 2, WAL_POSTS = 2500, WAL_FRAME_BYTES = 4096 + 24, WAL_FRAMES_MAX = 45000 };

/* Two connections writing without a pause, as two busy event loops do: the
 * checkpoints must still let the WAL start over (it held 400 MB after ten
 * seconds of the payments bench when they did not). More than 50,000 frames
 * are written (a WAL that never started over held them all: 50–58k); the WAL
 * file must stay within a few checkpoints' worth of them. Measured: 5–17k
 * frames on a quiet machine, up to 35k with every suite of make test running
 * beside it on 2 cores (checkpoints get less CPU), hence the bound. */
TEST(steady_writes_keep_the_wal_small)
{
    if (strcmp(db_backend_name(conn), "sqlite") != 0) {
        printf("  (SQLite only)\n");
        return;
    }
    pthread_t threads[WAL_WRITERS];
    const char *apps[WAL_WRITERS];
    struct poster_job jobs[WAL_WRITERS];
    for (int i = 0; i < WAL_WRITERS; i++) {
        apps[i] = unique("a_");
        jobs[i] = (struct poster_job){apps[i], "wal-test", WAL_POSTS, 1};
        pthread_create(&threads[i], NULL, poster, &jobs[i]);
    }
    for (int i = 0; i < WAL_WRITERS; i++) {
        void *failures = NULL;
        pthread_join(threads[i], &failures);
        CHECK_INT((intptr_t)failures, 0);
    }
    char wal[300];
    snprintf(wal, sizeof(wal), "%s-wal", sqlite_path);
    struct stat st;
    CHECK(stat(wal, &st) == 0);
    printf("  WAL: %lld frames at most\n", (long long)st.st_size / WAL_FRAME_BYTES);
    CHECK(st.st_size / WAL_FRAME_BYTES < WAL_FRAMES_MAX);
    CHECK_INT(balance(LEDGER_RECEIVABLE, apps[0]), -(int64_t)WAL_POSTS * (WAL_POSTS + 1) / 2);
}

int main(void)
{
    if (!store_fixture_open("store-ledger", FIXTURE_FOLDER_ALWAYS) || !store_fixture_migrate())
        return 1;
    RUN(balanced_transactions_keep_running_balances);
    RUN(an_unbalanced_transaction_is_refused);
    RUN(the_tables_are_append_only);
    RUN(the_check_names_a_wrong_running_balance);
    RUN(the_check_names_an_unbalanced_transaction);
    RUN(the_check_names_a_gap_in_an_account);
    RUN(the_check_names_a_transaction_without_entries);
    RUN(the_check_names_an_entry_of_an_unknown_account);
    RUN(concurrent_postings_to_one_account_all_land);
    RUN(steady_writes_keep_the_wal_small);
    return store_fixture_close("store_ledger");
}
