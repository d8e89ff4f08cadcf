/* export.h — what `rounds export` and `rounds import` ask of the database:
 * the tables of the schema in an order that satisfies their foreign keys
 * (written once, in export.c), each table's columns as the database's own
 * catalog describes them, every row read in one consistent snapshot, and rows
 * written back into an empty database with their ids, timestamps and history
 * unchanged (then the identity sequences moved past them on PostgreSQL).
 *
 * Values travel as text: NULL for SQL NULL, decimal digits for the integer
 * columns (the schema has only integer and text columns; another type is
 * refused). The SQL of a table's statements is built from the table list and
 * the catalog's column names (checked to be [a-z0-9_]), never from values,
 * and lives in the plan: keep the plan until the connection is closed
 * (statements are cached by the address of their SQL). */
#ifndef ROUNDS_STORE_EXPORT_H
#define ROUNDS_STORE_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

enum { STORE_EXPORT_MAX_COLUMNS = 64, STORE_EXPORT_NAME_MAX = 63 };

struct store_export_column {
    char name[STORE_EXPORT_NAME_MAX + 1];
    bool integer; /* an integer column (else text) */
};

struct store_export_table {
    const char *name;
    size_t column_count;
    struct store_export_column columns[STORE_EXPORT_MAX_COLUMNS]; /* ordered by name */
    int self_column; /* a column referring to this table's own key, set after every row is in (-1: none) */
    int key_column;  /* the primary key column the self reference points at (-1: none) */
    bool reference;  /* the migrations insert rows here (removed before an import) */
    char *select_sql, *insert_sql, *update_self_sql, *count_sql, *delete_sql, *sequence_sql;
};

struct store_export_plan {
    size_t table_count;
    struct store_export_table *tables; /* in insert order */
};

/* Reads every listed table's columns from the catalog and builds the plan.
 * DB_ERROR with why filled when the database has a table the list does not
 * name (or the other way round), or a column of another type. */
int store_export_plan_load(struct db_conn *conn, struct store_export_plan *plan, char *why, size_t why_size);
void store_export_plan_free(struct store_export_plan *plan);

/* Starts the read transaction every table of one export is read in (one
 * snapshot, while others keep writing); end it with db_driver_of(conn)->rollback. */
int store_export_begin(struct db_conn *conn);
/* Calls row(ctx, values) for every row of the table in key order (values has
 * column_count entries, NULL for SQL NULL); stops at the first non-zero. */
int store_export_rows(struct db_conn *conn, const struct store_export_table *t,
                      int (*row)(void *ctx, const char *const *values), void *ctx);

/* *empty: no listed table holds a row, apart from the reference rows the
 * migrations themselves insert (specialties, states, …), which
 * store_import_begin removes. Run inside the import's transaction. */
int store_import_target_empty(struct db_conn *conn, const struct store_export_plan *plan, bool *empty,
                              const char **first_table);
/* Inside the import's write transaction: removes the migrations' reference rows. */
int store_import_begin(struct db_conn *conn, const struct store_export_plan *plan);
/* Inserts one row (values as store_export_rows gives them). */
int store_import_row(struct db_conn *conn, const struct store_export_table *t, const char *const *values);
/* Once every row of the table is in: sets the self reference of the row whose
 * key is key to value (store_import_row inserted it NULL). */
int store_import_self(struct db_conn *conn, const struct store_export_table *t, const char *key, const char *value);
/* Once every table is in: moves each identity sequence (PostgreSQL) past the
 * highest id, so that the next row gets the next number. */
int store_import_sequences(struct db_conn *conn, const struct store_export_plan *plan);
/* The number of rows of a table (read back after an import). */
int store_export_count(struct db_conn *conn, const struct store_export_table *t, int64_t *count);

#endif
