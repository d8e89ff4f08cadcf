/* catalog_bulk.c — bulk catalog writes for `rounds seed` and benchmarks:
 * many offerings, blocks and change-feed rows per statement, and the counts
 * that the seeder prints.
 *
 * A multi-row INSERT is built once per process for 1, 2, 4, … rows from the
 * table's column list: only "$n" placeholders are generated, never values,
 * and the texts live until exit (the statement caches key on their address).
 * PostgreSQL gets many rows per statement (one round trip each). SQLite has
 * no round trips to save but a fixed cost per statement run (its statement
 * journal, opening cursors); its driver maps "$n" once per statement, so
 * wider statements pay: the row counts below are the cheapest measured
 * (callgrind, 10,000 offerings). Texts are bound without a copy: the
 * generator's arena outlives the statements. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "store/util.h"

enum { BULK_LEVELS = 10 }; /* statements of 1, 2, 4, … 512 rows */

struct bulk_table {
    const char *head;         /* "t (a, b) VALUES ", after the backend's INSERT verb */
    const char *tail;         /* after the rows ("" for a VALUES list) */
    int columns;              /* parameters per row */
    bool in_list;             /* rows are "$1, $2, …" (one parameter each) rather than "($1, $2), …" */
    int rows_sqlite, rows_pg; /* most rows per statement, a power of two ≤ 512 */
    char *sql[BULK_LEVELS];   /* sql[k]: 2^k rows for PostgreSQL; NULL when out of memory */
    char *sql_sqlite[BULK_LEVELS]; /* the same with SQLite's verb */
};

static struct bulk_table offerings_table = {
    "offerings (id, organization_id, site_id, preceptor_id, title, specialty, kind, setting, weeks,"
    " hours_per_week, tuition_cents, application_fee_cents, deposit_cents, students_allowed, graduates_allowed,"
    " step1_required, max_years_since_graduation, visa_kinds, english_proof_required, lor_customary, description,"
    " first_day, refund_policy, requirements, status, created_at, updated_at, deposit_percent, balance_due_days)"
    " VALUES ",
    "", 29, false, 8, 64, {0}, {0}};

static struct bulk_table blocks_table = {
    "blocks (id, offering_id, start_date, end_date, seats, seats_taken, created_at) VALUES ", "", 7,
    false, 32, 256, {0}, {0}};

static struct bulk_table changes_table = {"catalog_changes (offering_id, at) VALUES ", "", 2, false, 128,
                                          512, {0}, {0}};

static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

/* SQLite's verb: with OR FAIL no constraint can abort the statement halfway,
 * so SQLite writes no statement journal for a statement of many rows (the
 * seeder's largest cost after the B-trees themselves; callgrind). A failure
 * still fails the statement, and its transaction is rolled back whole. */
static const char sqlite_verb[] = "INSERT OR FAIL INTO ";
static const char pg_verb[] = "INSERT INTO ";

/* "verb head ($1, $2), ($3, $4) tail", or "verb head $1, $2 tail" for an IN list. */
static char *build_insert(const struct bulk_table *t, const char *verb, int rows)
{
    size_t size = strlen(verb) + strlen(t->head) + strlen(t->tail) + (size_t)rows * ((size_t)t->columns * 9 + 4) + 1;
    char *sql = malloc(size);
    if (sql == NULL)
        return NULL;
    size_t used = (size_t)snprintf(sql, size, "%s%s", verb, t->head);
    int param = 1;
    for (int r = 0; r < rows && used < size; r++) {
        used += (size_t)snprintf(sql + used, size - used, "%s%s", r > 0 ? ", " : "", t->in_list ? "" : "(");
        for (int c = 0; c < t->columns && used < size; c++)
            used += (size_t)snprintf(sql + used, size - used, "%s$%d", c > 0 ? ", " : "", param++);
        if (used < size && !t->in_list)
            used += (size_t)snprintf(sql + used, size - used, ")");
    }
    if (used < size)
        used += (size_t)snprintf(sql + used, size - used, "%s", t->tail);
    if (used >= size) {
        free(sql);
        return NULL;
    }
    return sql;
}

static void build_tables(void)
{

    struct bulk_table *tables[] = {&offerings_table, &blocks_table, &changes_table};
    for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
        for (int k = 0; k < BULK_LEVELS && 1 << k <= tables[i]->rows_pg; k++)
            tables[i]->sql[k] = build_insert(tables[i], pg_verb, 1 << k);
        for (int k = 0; k < BULK_LEVELS && 1 << k <= tables[i]->rows_sqlite; k++)
            tables[i]->sql_sqlite[k] = build_insert(tables[i], sqlite_verb, 1 << k);
    }
}

static bool is_sqlite(struct db_conn *conn)
{
    return strcmp(db_backend_name(conn), "sqlite") == 0;
}

static int run(struct db_stmt *st)
{
    int rc = db_step(st);
    db_reset(st);
    return rc == DB_DONE ? DB_OK : rc;
}

/* Binds row i of items at parameters base+1 … base+columns. */
typedef void bind_row_fn(struct db_stmt *st, int base, const void *items, size_t i, int64_t now);

/* Inserts count rows with as few statements as the backend likes: the
 * largest power of two that fits, again and again. */
static int insert_rows(struct db_conn *conn, const struct bulk_table *t, bind_row_fn *bind_row, const void *items,
                       size_t count, int64_t now)
{
    bool sqlite = is_sqlite(conn);
    int most = sqlite ? t->rows_sqlite : t->rows_pg;
    char *const *texts = sqlite ? t->sql_sqlite : t->sql;
    size_t done = 0;
    while (done < count) {
        int level = 0;
        while (level + 1 < BULK_LEVELS && (1 << (level + 1)) <= most && (size_t)1 << (level + 1) <= count - done)
            level++;
        if (texts[level] == NULL)
            return DB_ERROR;
        struct db_stmt *st = db_prepare(conn, texts[level]);
        if (st == NULL)
            return DB_ERROR;
        int rows = 1 << level;
        for (int r = 0; r < rows; r++)
            bind_row(st, r * t->columns, items, done + (size_t)r, now);
        int rc = run(st);
        if (rc != DB_OK)
            return rc;
        done += (size_t)rows;
    }
    return DB_OK;
}

/* The columns in the order of offerings_table.head (as bind_offering in catalog.c). */
static void bind_offering_row(struct db_stmt *st, int base, const void *items, size_t i, int64_t now)
{
    (void)now;
    const struct store_offering *o = (const struct store_offering *)items + i;
    db_bind_text_static(st, base + 1, o->id);
    db_bind_text_static(st, base + 2, o->organization_id);
    db_bind_text_static(st, base + 3, o->site_id);
    db_bind_text_static(st, base + 4, o->preceptor_id);
    db_bind_text_static(st, base + 5, o->title);
    db_bind_text_static(st, base + 6, o->specialty);
    db_bind_text_static(st, base + 7, o->kind);
    db_bind_text_static(st, base + 8, o->setting);
    db_bind_int(st, base + 9, o->weeks);
    db_bind_int(st, base + 10, o->hours_per_week);
    db_bind_int(st, base + 11, o->tuition_cents);
    db_bind_int(st, base + 12, o->application_fee_cents);
    db_bind_int(st, base + 13, o->deposit_cents);
    db_bind_int(st, base + 14, o->students_allowed);
    db_bind_int(st, base + 15, o->graduates_allowed);
    db_bind_int(st, base + 16, o->step1_required);
    if (o->max_years_since_graduation >= 0)
        db_bind_int(st, base + 17, o->max_years_since_graduation);
    else
        db_bind_null(st, base + 17);
    db_bind_text_static(st, base + 18, o->visa_kinds != NULL ? o->visa_kinds : "");
    db_bind_int(st, base + 19, o->english_proof_required);
    db_bind_int(st, base + 20, o->lor_customary);
    db_bind_text_static(st, base + 21, o->description != NULL ? o->description : "");
    db_bind_text_static(st, base + 22, o->first_day != NULL ? o->first_day : "");
    db_bind_text_static(st, base + 23, o->refund_policy != NULL ? o->refund_policy : "");
    db_bind_text_static(st, base + 24, o->requirements != NULL ? o->requirements : "");
    db_bind_text_static(st, base + 25, o->status != NULL ? o->status : "published");
    db_bind_int(st, base + 26, o->created_at);
    db_bind_int(st, base + 27, o->updated_at);
    db_bind_int(st, base + 28, o->deposit_percent);
    db_bind_int(st, base + 29, o->balance_due_days);
}

static void bind_block_row(struct db_stmt *st, int base, const void *items, size_t i, int64_t now)
{
    (void)now;
    const struct store_block *b = (const struct store_block *)items + i;
    db_bind_text_static(st, base + 1, b->id);
    db_bind_text_static(st, base + 2, b->offering_id);
    db_bind_text_static(st, base + 3, b->start_date);
    db_bind_text_static(st, base + 4, b->end_date);
    db_bind_int(st, base + 5, b->seats);
    db_bind_int(st, base + 6, b->seats_taken);
    db_bind_int(st, base + 7, b->created_at);
}

static void bind_change_row(struct db_stmt *st, int base, const void *items, size_t i, int64_t now)
{
    const struct store_offering *o = (const struct store_offering *)items + i;
    db_bind_text(st, base + 1, o->id);
    db_bind_int(st, base + 2, now);
}

int store_catalog_insert_bulk(struct db_conn *conn, const struct store_offering *offerings, size_t offering_count,
                              const struct store_block *blocks, size_t block_count, int64_t now)
{
    pthread_once(&tables_once, build_tables);
    int rc = insert_rows(conn, &offerings_table, bind_offering_row, offerings, offering_count, now);
    if (rc == DB_OK)
        rc = insert_rows(conn, &blocks_table, bind_block_row, blocks, block_count, now);
    if (rc == DB_OK)
        rc = insert_rows(conn, &changes_table, bind_change_row, offerings, offering_count, now);
    return rc;
}

int store_bulk_session(struct db_conn *conn, bool bulk)
{
    if (!is_sqlite(conn))
        return DB_OK;
    /* Flag pragmas expire the connection's prepared statements: each is
     * compiled again, with or without the checks, at its next use. */
    return db_exec(conn, bulk ? "PRAGMA foreign_keys=OFF; PRAGMA ignore_check_constraints=ON;"
                                " PRAGMA cache_size=-32768; PRAGMA synchronous=OFF; PRAGMA wal_autocheckpoint=0"
                              : "PRAGMA ignore_check_constraints=OFF; PRAGMA foreign_keys=ON;"
                                " PRAGMA cache_size=-2000; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=1000");
}

int store_preceptor_npi_count(struct db_conn *conn, const char *from_npi, const char *to_npi, int64_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT COUNT(*) FROM preceptors WHERE npi >= $1 AND npi <= $2");
    db_bind_text(st, 1, from_npi);
    db_bind_text(st, 2, to_npi);
    return store_one_int(st, count);
}

int store_catalog_has_offerings(struct db_conn *conn, bool *any)
{
    struct db_stmt *st = db_prepare(conn, "SELECT 1 FROM offerings LIMIT 1");
    int rc = db_step(st);
    *any = rc == DB_ROW;
    db_reset(st);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int store_catalog_summary(struct db_conn *conn, struct store_catalog_summary *out)
{
    memset(out, 0, sizeof(*out));
    struct db_stmt *st = db_prepare(conn, "SELECT COUNT(*), COUNT(DISTINCT o.organization_id), COUNT(DISTINCT s.state),"
                                          " COUNT(DISTINCT o.specialty), COUNT(DISTINCT o.kind)"
                                          " FROM offerings o JOIN sites s ON s.id = o.site_id");
    int rc = db_step(st);
    if (rc == DB_ROW) {
        out->offerings = db_column_int(st, 0);
        out->hosts = db_column_int(st, 1);
        out->states = db_column_int(st, 2);
        out->specialties = db_column_int(st, 3);
        out->kinds = db_column_int(st, 4);
    }
    db_reset(st);
    if (rc != DB_ROW)
        return rc;
    st = db_prepare(conn, "SELECT COUNT(*) FROM blocks");
    return store_one_int(st, &out->blocks);
}
