/* export.c — the database side of `rounds export` and `rounds import` (see
 * export.h): the one list of exported tables in foreign-key order, the
 * columns read from each engine's catalog, and the statements built from them. */
#include "store/export.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/util.h"

/* Every table of the schema, parents before the tables that refer to them,
 * so that rows inserted in this order satisfy every foreign key. What an
 * export leaves out, and why:
 *   - schema_migrations: the target is migrated by the importing binary, and
 *     the manifest's schema version must equal its own;
 *   - sqlite_sequence, sqlite_stat*: SQLite's own bookkeeping (inserting a
 *     row with its id moves the AUTOINCREMENT counter past it);
 *   - nothing else is derived any more: the full-text table offerings_fts was
 *     dropped in 0007 (each server builds its search index in memory from
 *     the offerings when it starts), so search works right after an import.
 * The change feeds (catalog_changes, catalog_events) are kept, not rebuilt:
 * event_cursors and the catalog instances hold positions in them by seq, and
 * their rows are history (what changed when), not a cache.
 * A migration that adds a table must add it here: an export refuses a
 * database with a table this list does not name. */
struct table_entry {
    const char *name;
    bool reference;          /* rows inserted by the migrations themselves */
    const char *self_column; /* refers to this table's own primary key */
};

static const struct table_entry table_list[] = {
    {"organizations", false, NULL},
    {"users", false, NULL},
    {"user_roles", false, NULL},
    {"memberships", false, NULL},
    {"sessions", false, NULL},
    {"login_failures", false, NULL},
    {"specialties", true, NULL},
    {"us_states", true, NULL},
    {"sites", false, NULL},
    {"preceptors", false, NULL},
    {"offerings", false, NULL},
    {"blocks", false, NULL},
    {"catalog_changes", false, NULL},
    {"applications", false, NULL},
    {"application_events", false, NULL},
    {"idempotency_keys", false, NULL},
    {"notifications", false, NULL},
    {"outbox", false, NULL},
    {"audit_events", false, NULL},
    {"documents", false, "replaces_id"}, /* text ids: a replacement's id may sort first */
    {"application_documents", false, NULL},
    {"requirements", false, NULL},
    {"document_reminders", false, NULL},
    {"letters", false, NULL},
    {"letter_tokens", false, NULL},
    {"letter_files", false, NULL},
    {"readiness_targets", true, NULL},
    {"rate_events", false, NULL},
    {"preceptor_invitations", false, NULL},
    {"password_resets", false, NULL},
    {"password_reset_requests", false, NULL},
    /* reverses_id refers to an earlier transaction: its id is always lower
     * (AUTOINCREMENT), and the ledger refuses the UPDATE a second pass would need. */
    {"ledger_transactions", false, NULL},
    {"ledger_entries", false, NULL},
    {"checkouts", false, NULL},
    {"payments", false, NULL},
    {"refunds", false, NULL},
    {"payouts", false, NULL},
    {"provider_events", false, NULL},
    {"catalog_events", false, NULL},
    {"event_cursors", true, NULL},
    {"saved_searches", false, NULL},
    {"alert_unsubscribes", false, NULL},
    {"favourites", false, NULL},
    {"waitlist", false, NULL},
    {"coach_assignments", false, NULL},
    {"hours_entries", false, NULL},
    {"rotation_notices", false, NULL},
    {"check_ins", false, NULL},
    {"tickets", false, NULL},
    {"ticket_events", false, NULL},
    {"certificates", false, NULL},
    {"email_confirmations", false, NULL},
    {"calendar_feeds", false, NULL},
    {"evaluations", false, NULL},
    {"evaluation_addenda", false, NULL},
    {"rotation_feedback", false, NULL},
    {"reviews", false, NULL},
    {"visa_letters", false, NULL},
    {"two_factor", false, NULL},
    {"recovery_codes", false, NULL},
    {"login_challenges", false, NULL},
    {"school_settings", false, NULL},
    {"school_students", false, NULL},
    {"school_invitations", false, NULL},
    {"school_invite_batches", false, NULL},
    {"school_invitation_holds", false, NULL},
    {"match_rounds", false, NULL},
    {"match_round_students", false, NULL},
    {"match_round_blocks", false, NULL},
    {"match_student_ranks", false, NULL},
    {"match_host_ranks", false, NULL},
    {"match_outcomes", false, NULL},
    {"match_placements", false, NULL},
    {"messages", false, NULL},
    {"message_unread", false, NULL},
    {"message_digests", false, NULL},
    {"deletion_requests", false, NULL},
    {"affiliation_agreements", false, NULL},
};
enum { TABLE_COUNT = sizeof(table_list) / sizeof(table_list[0]) };

/* Tables of the schema that an export leaves out (see above). */
static bool left_out(const char *name)
{
    return strcmp(name, "schema_migrations") == 0 || strncmp(name, "sqlite_", 7) == 0;
}

static bool is_pg(struct db_conn *conn)
{
    return strcmp(db_backend_name(conn), "postgres") == 0;
}

static bool plain_name(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > STORE_EXPORT_NAME_MAX)
        return false;
    for (const char *p = name; *p != '\0'; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return false;
    return true;
}

/* A capped SQL text under construction (identifiers only, never values). */
struct sql_text {
    char *text;
    size_t len, cap;
    bool overflow;
};

enum { SQL_TEXT_CAP = 16384 };

static bool sql_start(struct sql_text *s)
{
    s->text = malloc(SQL_TEXT_CAP);
    s->len = 0;
    s->cap = SQL_TEXT_CAP;
    s->overflow = s->text == NULL;
    if (s->text != NULL)
        s->text[0] = '\0';
    return !s->overflow;
}

__attribute__((format(printf, 2, 3))) static void sql_add(struct sql_text *s, const char *fmt, ...)
{
    if (s->overflow)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(s->text + s->len, s->cap - s->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= s->cap - s->len)
        s->overflow = true;
    else
        s->len += (size_t)n;
}

static char *sql_done(struct sql_text *s)
{
    if (!s->overflow)
        return s->text;
    free(s->text);
    return NULL;
}

/* ---- the catalog ---- */

/* serves: export and import, once per table */
static const char sqlite_tables_sql[] = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
static const char pg_tables_sql[] = "SELECT table_name FROM information_schema.tables "
                                    "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1";
/* name, declared type, position in the primary key (0: not in it), identity column */
static const char sqlite_columns_sql[] = "SELECT name, upper(type), pk, 0 FROM pragma_table_info($1) ORDER BY name";
static const char pg_columns_sql[] =
    "SELECT a.attname, t.typname, "
    "COALESCE((SELECT k.n FROM pg_catalog.pg_index i, unnest(CAST(i.indkey AS int2[])) WITH ORDINALITY AS k(attnum, n) "
    "WHERE i.indrelid = a.attrelid AND i.indisprimary AND k.attnum = a.attnum), 0), "
    "CASE WHEN a.attidentity <> '' THEN 1 ELSE 0 END "
    "FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
    "WHERE a.attrelid = to_regclass(quote_ident(current_schema()) || '.' || quote_ident($1)) "
    "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attname COLLATE \"C\"";

static const struct table_entry *listed(const char *name)
{
    for (size_t i = 0; i < TABLE_COUNT; i++)
        if (strcmp(table_list[i].name, name) == 0)
            return &table_list[i];
    return NULL;
}

/* Every table of the database is listed or left out on purpose, and every listed one exists. */
static int check_tables(struct db_conn *conn, char *why, size_t why_size)
{
    struct db_stmt *st = db_prepare(conn, is_pg(conn) ? pg_tables_sql : sqlite_tables_sql);
    size_t found = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *name = db_column_text(st, 0);
        if (name == NULL || left_out(name))
            continue;
        if (listed(name) == NULL) {
            snprintf(why, why_size, "the table %s is not in the export's table list (store/export.c)", name);
            db_reset(st);
            return DB_ERROR;
        }
        found++;
    }
    db_reset(st);
    if (rc != DB_DONE) {
        snprintf(why, why_size, "cannot list the database's tables");
        return DB_ERROR;
    }
    if (found != TABLE_COUNT) {
        snprintf(why, why_size, "the database lacks %zu of the tables an export holds (is it migrated?)",
                 (size_t)TABLE_COUNT - found);
        return DB_ERROR;
    }
    return DB_OK;
}

/* The type a catalog names: 1 integer, 0 text, -1 another. */
static int type_kind(bool pg, const char *type)
{
    if (type == NULL)
        return -1;
    if (pg)
        return strcmp(type, "int8") == 0 || strcmp(type, "int4") == 0 || strcmp(type, "int2") == 0 ? 1
               : strcmp(type, "text") == 0 || strcmp(type, "varchar") == 0                       ? 0
                                                                                                   : -1;
    return strstr(type, "INT") != NULL ? 1 : strstr(type, "TEXT") != NULL || strstr(type, "CHAR") != NULL ? 0 : -1;
}

struct column_facts {
    int key_position[STORE_EXPORT_MAX_COLUMNS];
    bool identity[STORE_EXPORT_MAX_COLUMNS];
};

static int load_columns(struct db_conn *conn, struct store_export_table *t, struct column_facts *facts, char *why,
                        size_t why_size)
{
    bool pg = is_pg(conn);
    struct db_stmt *st = db_prepare(conn, pg ? pg_columns_sql : sqlite_columns_sql);
    db_bind_text(st, 1, t->name);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *name = db_column_text(st, 0);
        int kind = type_kind(pg, db_column_text(st, 1));
        if (t->column_count == STORE_EXPORT_MAX_COLUMNS || name == NULL || !plain_name(name) || kind < 0) {
            snprintf(why, why_size, "the column %s.%s cannot be exported (its name or type)", t->name,
                     name != NULL ? name : "?");
            db_reset(st);
            return DB_ERROR;
        }
        size_t i = t->column_count++;
        snprintf(t->columns[i].name, sizeof(t->columns[i].name), "%s", name);
        t->columns[i].integer = kind == 1;
        facts->key_position[i] = (int)db_column_int(st, 2);
        facts->identity[i] = db_column_int(st, 3) != 0;
    }
    db_reset(st);
    if (rc != DB_DONE || t->column_count == 0) {
        snprintf(why, why_size, "cannot read the columns of %s", t->name);
        return DB_ERROR;
    }
    return DB_OK;
}

/* ---- the statements of one table ---- */

static void add_order(struct sql_text *s, bool pg, const struct store_export_table *t, const struct column_facts *f)
{
    /* Key order, compared byte by byte on both engines so that exports agree. */
    bool any = false;
    for (int position = 1; position <= (int)t->column_count; position++)
        for (size_t i = 0; i < t->column_count; i++)
            if (f->key_position[i] == position) {
                sql_add(s, "%s\"%s\"%s", any ? ", " : " ORDER BY ", t->columns[i].name,
                        pg && !t->columns[i].integer ? " COLLATE \"C\"" : "");
                any = true;
            }
    for (size_t i = 0; !any && i < t->column_count; i++) /* no key: every column */
        sql_add(s, "%s\"%s\"%s", i > 0 ? ", " : " ORDER BY ", t->columns[i].name,
                pg && !t->columns[i].integer ? " COLLATE \"C\"" : "");
}

static int build_statements(struct db_conn *conn, struct store_export_table *t, const struct column_facts *f)
{
    bool pg = is_pg(conn), identity = false;
    struct sql_text s;
    if (!sql_start(&s))
        return DB_ERROR;
    sql_add(&s, "SELECT ");
    for (size_t i = 0; i < t->column_count; i++)
        sql_add(&s, "%s\"%s\"", i > 0 ? ", " : "", t->columns[i].name);
    sql_add(&s, " FROM \"%s\"", t->name);
    add_order(&s, pg, t, f);
    if ((t->select_sql = sql_done(&s)) == NULL || !sql_start(&s))
        return DB_ERROR;
    sql_add(&s, "INSERT INTO \"%s\" (", t->name);
    for (size_t i = 0; i < t->column_count; i++) {
        sql_add(&s, "%s\"%s\"", i > 0 ? ", " : "", t->columns[i].name);
        identity = identity || f->identity[i];
    }
    sql_add(&s, ")%s VALUES (", identity ? " OVERRIDING SYSTEM VALUE" : "");
    for (size_t i = 0; i < t->column_count; i++)
        sql_add(&s, "%s$%zu", i > 0 ? ", " : "", i + 1);
    sql_add(&s, ")");
    if ((t->insert_sql = sql_done(&s)) == NULL || !sql_start(&s))
        return DB_ERROR;
    sql_add(&s, "SELECT count(*) FROM \"%s\"", t->name);
    if ((t->count_sql = sql_done(&s)) == NULL || !sql_start(&s))
        return DB_ERROR;
    sql_add(&s, "DELETE FROM \"%s\"", t->name);
    if ((t->delete_sql = sql_done(&s)) == NULL)
        return DB_ERROR;
    for (size_t i = 0; pg && i < t->column_count; i++) {
        if (!f->identity[i])
            continue;
        /* is_called false: the next number handed out is max + 1 (1 when empty). */
        if (!sql_start(&s))
            return DB_ERROR;
        sql_add(&s, "SELECT setval(pg_get_serial_sequence('\"%s\"', '%s'), COALESCE(MAX(\"%s\"), 0) + 1, false) FROM \"%s\"",
                t->name, t->columns[i].name, t->columns[i].name, t->name);
        if ((t->sequence_sql = sql_done(&s)) == NULL)
            return DB_ERROR;
        break;
    }
    if (t->self_column >= 0 && t->key_column >= 0) {
        if (!sql_start(&s))
            return DB_ERROR;
        sql_add(&s, "UPDATE \"%s\" SET \"%s\" = $1 WHERE \"%s\" = $2", t->name, t->columns[t->self_column].name,
                t->columns[t->key_column].name);
        if ((t->update_self_sql = sql_done(&s)) == NULL)
            return DB_ERROR;
    }
    return DB_OK;
}

static int column_index(const struct store_export_table *t, const char *name)
{
    for (size_t i = 0; name != NULL && i < t->column_count; i++)
        if (strcmp(t->columns[i].name, name) == 0)
            return (int)i;
    return -1;
}

static int load_table(struct db_conn *conn, const struct table_entry *e, struct store_export_table *t, char *why,
                      size_t why_size)
{
    struct column_facts facts;
    memset(&facts, 0, sizeof(facts));
    t->name = e->name;
    t->reference = e->reference;
    if (load_columns(conn, t, &facts, why, why_size) != DB_OK)
        return DB_ERROR;
    t->self_column = column_index(t, e->self_column);
    t->key_column = -1;
    size_t keys = 0;
    for (size_t i = 0; i < t->column_count; i++)
        if (facts.key_position[i] > 0) {
            t->key_column = (int)i;
            keys++;
        }
    if (e->self_column != NULL && (t->self_column < 0 || keys != 1)) {
        snprintf(why, why_size, "the table %s has no column %s or no single-column key", t->name, e->self_column);
        return DB_ERROR;
    }
    if (build_statements(conn, t, &facts) != DB_OK) {
        snprintf(why, why_size, "cannot build the statements of %s", t->name);
        return DB_ERROR;
    }
    return DB_OK;
}

int store_export_plan_load(struct db_conn *conn, struct store_export_plan *plan, char *why, size_t why_size)
{
    memset(plan, 0, sizeof(*plan));
    if (check_tables(conn, why, why_size) != DB_OK)
        return DB_ERROR;
    plan->tables = calloc(TABLE_COUNT, sizeof(*plan->tables));
    if (plan->tables == NULL) {
        snprintf(why, why_size, "out of memory");
        return DB_ERROR;
    }
    for (size_t i = 0; i < TABLE_COUNT; i++) {
        plan->table_count = i + 1;
        if (load_table(conn, &table_list[i], &plan->tables[i], why, why_size) != DB_OK)
            return DB_ERROR;
    }
    return DB_OK;
}

void store_export_plan_free(struct store_export_plan *plan)
{
    for (size_t i = 0; i < plan->table_count; i++) {
        struct store_export_table *t = &plan->tables[i];
        free(t->select_sql);
        free(t->insert_sql);
        free(t->update_self_sql);
        free(t->count_sql);
        free(t->delete_sql);
        free(t->sequence_sql);
    }
    free(plan->tables);
    memset(plan, 0, sizeof(*plan));
}

/* ---- export ---- */

int store_export_begin(struct db_conn *conn)
{
    int rc = db_driver_of(conn)->begin(conn, false);
    /* PostgreSQL's transactions read committed: one snapshot for the whole export. */
    if (rc == DB_OK && is_pg(conn))
        rc = db_exec(conn, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    /* SQLite takes the snapshot at the first read: make it now. */
    if (rc == DB_OK && !is_pg(conn))
        rc = db_exec(conn, "SELECT count(*) FROM schema_migrations");
    return rc;
}

int store_export_rows(struct db_conn *conn, const struct store_export_table *t,
                      int (*row)(void *ctx, const char *const *values), void *ctx)
{
    const char *values[STORE_EXPORT_MAX_COLUMNS];
    struct db_stmt *st = db_prepare(conn, t->select_sql);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        for (size_t i = 0; i < t->column_count; i++)
            values[i] = db_column_text(st, (int)i);
        int stop = row(ctx, values);
        if (stop != 0) {
            db_reset(st);
            return stop;
        }
    }
    db_reset(st);
    return rc == DB_DONE ? DB_OK : rc;
}

int store_export_count(struct db_conn *conn, const struct store_export_table *t, int64_t *count)
{
    struct db_stmt *st = db_prepare(conn, t->count_sql);
    return store_one_int_required(st, count);
}

/* ---- import ---- */

int store_import_target_empty(struct db_conn *conn, const struct store_export_plan *plan, bool *empty,
                              const char **first_table)
{
    *empty = true;
    *first_table = NULL;
    for (size_t i = 0; i < plan->table_count; i++) {
        if (plan->tables[i].reference)
            continue;
        int64_t count = 0;
        int rc = store_export_count(conn, &plan->tables[i], &count);
        if (rc != DB_OK)
            return rc;
        if (count > 0) {
            *empty = false;
            *first_table = plan->tables[i].name;
            return DB_OK;
        }
    }
    return DB_OK;
}

int store_import_begin(struct db_conn *conn, const struct store_export_plan *plan)
{
    for (size_t i = plan->table_count; i-- > 0;)
        if (plan->tables[i].reference) {
            int rc = store_run(db_prepare(conn, plan->tables[i].delete_sql));
            if (rc != DB_OK)
                return rc;
        }
    return DB_OK;
}

static int bind_value(struct db_stmt *st, int index, bool integer, const char *value)
{
    if (value == NULL)
        return db_bind_null(st, index);
    if (!integer)
        return db_bind_text(st, index, value);
    char *end = NULL;
    long long n = strtoll(value, &end, 10);
    if (end == value || *end != '\0')
        return DB_ERROR;
    return db_bind_int(st, index, (int64_t)n);
}

int store_import_row(struct db_conn *conn, const struct store_export_table *t, const char *const *values)
{
    struct db_stmt *st = db_prepare(conn, t->insert_sql);
    for (size_t i = 0; i < t->column_count; i++) {
        const char *value = (int)i == t->self_column ? NULL : values[i];
        if (bind_value(st, (int)i + 1, t->columns[i].integer, value) != DB_OK) {
            db_reset(st);
            return DB_ERROR;
        }
    }
    return store_run(st);
}

int store_import_self(struct db_conn *conn, const struct store_export_table *t, const char *key, const char *value)
{
    struct db_stmt *st = db_prepare(conn, t->update_self_sql);
    if (bind_value(st, 1, t->columns[t->self_column].integer, value) != DB_OK ||
        bind_value(st, 2, t->columns[t->key_column].integer, key) != DB_OK) {
        db_reset(st);
        return DB_ERROR;
    }
    return store_run(st);
}

int store_import_sequences(struct db_conn *conn, const struct store_export_plan *plan)
{
    for (size_t i = 0; i < plan->table_count; i++) {
        if (plan->tables[i].sequence_sql == NULL)
            continue;
        struct db_stmt *st = db_prepare(conn, plan->tables[i].sequence_sql);
        int rc = db_step(st);
        db_reset(st);
        if (rc != DB_ROW)
            return rc == DB_DONE ? DB_ERROR : rc;
    }
    return DB_OK;
}
