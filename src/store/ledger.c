/* ledger.c — the ledger's SQL; see ledger.h. */
#include "store/ledger.h"
#include "store/util.h"

#include <stdlib.h>
#include <string.h>

static int insert_transaction(struct db_conn *conn, struct store_ledger_transaction *t)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO ledger_transactions (kind, application_id, organization_id,"
                                          " reference, reverses_id, memo, actor_id, effective_on, created_at)"
                                          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id");
    db_bind_text(st, 1, t->kind);
    db_bind_text(st, 2, t->application_id);
    db_bind_text(st, 3, t->organization_id);
    db_bind_text(st, 4, t->reference != NULL ? t->reference : "");
    if (t->reverses_id > 0)
        db_bind_int(st, 5, t->reverses_id);
    else
        db_bind_null(st, 5);
    db_bind_text(st, 6, t->memo != NULL ? t->memo : "");
    db_bind_text(st, 7, t->actor_id);
    db_bind_text(st, 8, t->effective_on);
    db_bind_int(st, 9, t->created_at);
    return store_one_int_required(st, &t->id);
}

/* The account's last position and balance (0, 0 when it has no entries). */
static int last_of_account(struct db_conn *conn, const char *account, int64_t *seq, int64_t *balance)
{
    struct db_stmt *st = db_prepare(conn, "SELECT account_seq, balance_cents FROM ledger_entries WHERE account = $1"
                                          " ORDER BY account_seq DESC LIMIT 1");
    db_bind_text(st, 1, account);
    int rc = store_two_ints(st, seq, balance);
    return rc == DB_DONE ? DB_OK : rc; /* no entries yet: position and balance 0 */
}

int store_ledger_append(struct db_conn *conn, struct store_ledger_transaction *t,
                        const struct store_ledger_posting *postings, size_t count)
{
    int rc = insert_transaction(conn, t);
    for (size_t i = 0; rc == DB_OK && i < count; i++) {
        int64_t seq, balance;
        rc = last_of_account(conn, postings[i].account, &seq, &balance);
        if (rc != DB_OK)
            break;
        struct db_stmt *st = db_prepare(conn, "INSERT INTO ledger_entries (transaction_id, account, amount_cents,"
                                              " account_seq, balance_cents) VALUES ($1, $2, $3, $4, $5)");
        db_bind_int(st, 1, t->id);
        db_bind_text(st, 2, postings[i].account);
        db_bind_int(st, 3, postings[i].amount_cents);
        db_bind_int(st, 4, seq + 1);
        db_bind_int(st, 5, balance + postings[i].amount_cents);
        rc = store_run(st);
        /* The only unique key is (account, account_seq): another transaction
         * posted to this account first. Start again from its balance. */
        if (rc == DB_CONSTRAINT)
            rc = DB_RETRY;
    }
    return rc;
}

int store_ledger_balance(struct db_conn *conn, const char *account, int64_t *balance)
{
    int64_t seq;
    return last_of_account(conn, account, &seq, balance);
}

enum { LEDGER_LINES_MAX = 2000 };

static void read_ledger_line(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_ledger_line *l = item;
    l->transaction_id = db_column_int(st, 0);
    l->entry_id = db_column_int(st, 1);
    l->amount_cents = db_column_int(st, 2);
    l->created_at = db_column_int(st, 3);
    l->kind = store_column_dup(arena, st, 4);
    l->reference = store_column_dup(arena, st, 5);
    l->memo = store_column_dup(arena, st, 6);
    l->effective_on = store_column_dup(arena, st, 7);
    l->account = store_column_dup(arena, st, 8);
    l->actor_id = store_column_dup(arena, st, 9);
}

int store_ledger_lines_of_application(struct db_conn *conn, struct arena *arena, const char *application_id,
                                      struct store_ledger_line **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT t.id, e.id, e.amount_cents, t.created_at, t.kind, t.reference,"
                                          " t.memo, t.effective_on, e.account, t.actor_id"
                                          " FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id"
                                          " WHERE t.application_id = $1 ORDER BY t.id, e.id LIMIT $2");
    db_bind_text(st, 1, application_id);
    db_bind_int(st, 2, LEDGER_LINES_MAX);
    return store_read_rows(arena, st, read_ledger_line, sizeof(**out), (void **)out, count);
}

int store_ledger_counts(struct db_conn *conn, int64_t *transactions, int64_t *entries, int64_t *last_transaction_id)
{
    struct db_stmt *st = db_prepare(conn, "SELECT (SELECT COUNT(*) FROM ledger_transactions),"
                                          " (SELECT COUNT(*) FROM ledger_entries),"
                                          " (SELECT COALESCE(MAX(id), 0) FROM ledger_transactions)");
    int rc = db_step(st);
    if (rc == DB_ROW) {
        *transactions = db_column_int(st, 0);
        *entries = db_column_int(st, 1);
        *last_transaction_id = db_column_int(st, 2);
    }
    db_reset(st);
    return rc == DB_ROW ? DB_OK : rc;
}

int store_ledger_first_empty_transaction(struct db_conn *conn, int64_t *transaction_id)
{
    struct db_stmt *st = db_prepare(conn, "SELECT MIN(t.id) FROM ledger_transactions t"
                                          " WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.transaction_id = t.id)");
    int rc = db_step(st);
    bool found = rc == DB_ROW && !db_column_is_null(st, 0);
    *transaction_id = found ? db_column_int(st, 0) : 0;
    db_reset(st);
    return rc != DB_ROW ? rc : found ? DB_ROW : DB_DONE;
}

int store_ledger_transaction_totals(struct db_conn *conn, int64_t transaction_id, int64_t *first_entry_id,
                                    int64_t *sum, int64_t *entries)
{
    struct db_stmt *st = db_prepare(conn, "SELECT COALESCE(MIN(id), 0), COALESCE(SUM(amount_cents), 0), COUNT(*)"
                                          " FROM ledger_entries WHERE transaction_id = $1");
    db_bind_int(st, 1, transaction_id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        *first_entry_id = db_column_int(st, 0);
        *sum = db_column_int(st, 1);
        *entries = db_column_int(st, 2);
    }
    db_reset(st);
    return rc == DB_ROW ? DB_OK : rc;
}

int store_ledger_first_unbalanced(struct db_conn *conn, int64_t transactions, int64_t *transaction_id,
                                  int64_t *first_entry_id, int64_t *sum, int64_t *entries)
{
    /* One pass over the (transaction_id, amount) index: how many transactions have
     * entries, and the first whose entries do not sum to zero or are fewer than two. */
    struct db_stmt *st = db_prepare(
        conn, "SELECT COUNT(*), MIN(CASE WHEN total <> 0 OR n < 2 THEN id END) FROM ("
              " SELECT transaction_id AS id, SUM(amount_cents) AS total, COUNT(*) AS n"
              " FROM ledger_entries GROUP BY transaction_id) g");
    int rc = db_step(st);
    int64_t with_entries = 0, broken = 0;
    if (rc == DB_ROW) {
        with_entries = db_column_int(st, 0);
        broken = db_column_is_null(st, 1) ? 0 : db_column_int(st, 1);
    }
    db_reset(st);
    if (rc != DB_ROW)
        return rc;
    /* Every entry names an existing transaction (a foreign key), so fewer groups than
     * transactions means some transaction has no entries: find the first (rarely run). */
    int64_t empty = 0;
    if (with_entries < transactions) {
        rc = store_ledger_first_empty_transaction(conn, &empty);
        if (rc != DB_ROW && rc != DB_DONE)
            return rc;
    }
    if (empty != 0 && (broken == 0 || empty < broken)) {
        *transaction_id = empty;
        *first_entry_id = *sum = *entries = 0;
        return DB_ROW;
    }
    if (broken == 0)
        return DB_DONE;
    *transaction_id = broken;
    rc = store_ledger_transaction_totals(conn, broken, first_entry_id, sum, entries);
    return rc == DB_OK ? DB_ROW : rc;
}

int store_ledger_snapshot(struct db_conn *conn)
{
    if (strcmp(db_backend_name(conn), "postgres") != 0)
        return DB_OK; /* SQLite: a read transaction reads one snapshot (WAL) from its first query on */
    return db_exec(conn, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
}

enum { LEDGER_WALK_PAGE = 50000 };

int store_ledger_walk(struct db_conn *conn, void (*fn)(void *ctx, const struct store_ledger_walk_row *row),
                      void *ctx)
{
    /* In pages by key, so that PostgreSQL (which hands over whole results) never holds
     * the whole ledger. Every column is in the index (0021): no table reads. */
    struct db_stmt *st = db_prepare(conn, "SELECT id, transaction_id, amount_cents, account_seq, balance_cents, account"
                                          " FROM ledger_entries WHERE (account, account_seq) > ($1, $2)"
                                          " ORDER BY account, account_seq LIMIT $3");
    char *after = NULL;
    int64_t after_seq = 0;
    int rc = DB_OK;
    for (;;) {
        db_bind_text(st, 1, after != NULL ? after : "");
        db_bind_int(st, 2, after_seq);
        db_bind_int(st, 3, LEDGER_WALK_PAGE);
        int rows = 0;
        char *last = NULL;
        while ((rc = db_step(st)) == DB_ROW) {
            struct store_ledger_walk_row row = {
                .entry_id = db_column_int(st, 0),
                .transaction_id = db_column_int(st, 1),
                .amount_cents = db_column_int(st, 2),
                .account_seq = db_column_int(st, 3),
                .balance_cents = db_column_int(st, 4),
                .account = db_column_text(st, 5),
            };
            fn(ctx, &row);
            rows++;
            if (rows == LEDGER_WALK_PAGE) {
                last = strdup(row.account != NULL ? row.account : "");
                after_seq = row.account_seq;
            }
        }
        db_reset(st);
        if (rc != DB_DONE || rows < LEDGER_WALK_PAGE || last == NULL) {
            free(last);
            break;
        }
        free(after);
        after = last;
    }
    free(after);
    return rc == DB_DONE ? DB_OK : rc;
}
