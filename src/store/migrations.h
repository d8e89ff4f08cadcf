/* migrations.h — the numbered SQL migrations embedded in the binary
 * (generated from sql/<backend>/NNNN_name.sql by scripts/embed_sql.sh). */
#ifndef ROUNDS_STORE_MIGRATIONS_H
#define ROUNDS_STORE_MIGRATIONS_H

struct migration {
    const char *backend; /* "sqlite" or "pg" */
    int number;
    const char *name;
    const char *sql;
};

/* Ends with an entry whose backend is NULL. */
extern const struct migration migrations_table[];

#endif
