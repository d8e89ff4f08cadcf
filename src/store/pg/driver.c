/* driver.c — the PostgreSQL backend of the db interface (store/db.h), on libpq.
 *
 * Statements are prepared once per connection ("s1", "s2", …) and cached by
 * the address of their SQL; parameters and results travel as text. A lost
 * connection (server restart) is reset: outside a transaction the statement
 * is retried once, inside one DB_RETRY makes db_run_tx start it again. Error
 * classes come from SQLSTATE. Logs never carry the connection URI, nor the
 * details of data errors (they may quote a user's values). */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/clock.h"
#include "lib/log.h"
#include "store/db.h"
#include "store/pg/snapshot.h"
#include "store/stmt_cache.h"

/* Internal statuses, never returned through the interface. */
enum {
    PG_LOST = -100,  /* the connection is gone: reset it */
    PG_STALE = -101, /* the server does not know the prepared statement */
};

#define PG_MAX_PARAMS 65535
#define PG_MIGRATION_LOCK_KEY "7302019211"

struct pg_param {
    char *owned;  /* a copy of bound text */
    char num[24]; /* a bound integer, formatted */
};

struct db_stmt {
    struct db_conn *conn; /* first, then sql, as db.c expects */
    const char *sql;
    char name[16];
    bool prepared; /* on the current server session */
    int nparams;
    struct pg_param *params;
    const char **values; /* per parameter: NULL (SQL NULL) or text */
    PGresult *result;
    int row, rows;
    bool done; /* DB_DONE was returned for the current result */
    int changes;
};

struct db_conn {
    struct db_conn_base base;
    PGconn *pg;
    bool in_tx; /* between a successful begin and commit/rollback */
    bool down;  /* the last reconnect failed: log the next failures quietly */
    unsigned next_name;
    struct stmt_cache statements;
    struct db_stmt *pending; /* sent by pg_send, its answer not all in yet */
    bool pending_exec;       /* the same for SQL text sent by pg_send_exec */
    int pending_rc;          /* DB_OK, or how its answer failed */
};

extern const struct db_driver db_pg_driver;

/* Copies text for a logfmt quoted value: no control characters, quotes or backslashes. */
static const char *log_safe(char *out, size_t size, const char *text)
{
    size_t n = 0;
    if (text == NULL)
        text = "";
    for (; *text != '\0' && n + 1 < size; text++) {
        unsigned char c = (unsigned char)*text;
        out[n++] = c < 0x20 || c == 0x7f ? ' ' : c == '"' || c == '\\' ? '\'' : (char)c;
    }
    while (n > 0 && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
    return out;
}

static void notice_processor(void *arg, const char *message)
{
    (void)arg;
    char safe[256];
    log_debug("msg=\"postgres notice\" text=\"%s\"", log_safe(safe, sizeof(safe), message));
}

static bool in_transaction(struct db_conn *conn)
{
    PGTransactionStatusType ts = PQtransactionStatus(conn->pg);
    return conn->in_tx || ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR || ts == PQTRANS_ACTIVE;
}

/* Maps a failed result (res may be NULL) to a status, logging real errors. */
static int classify(struct db_conn *conn, const PGresult *res, const char *op, const char *sql)
{
    const char *state = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    char safe_sql[96], safe_msg[256];
    if (PQstatus(conn->pg) == CONNECTION_BAD || (state != NULL && strncmp(state, "08", 2) == 0) ||
        (state != NULL && (strcmp(state, "57P01") == 0 || strcmp(state, "57P02") == 0 || strcmp(state, "57P03") == 0)))
        return PG_LOST;
    if (state == NULL) {
        log_error("msg=\"postgres error\" op=%s error=\"%s\" sql=\"%s\"", op,
                  log_safe(safe_msg, sizeof(safe_msg), PQerrorMessage(conn->pg)),
                  log_safe(safe_sql, sizeof(safe_sql), sql));
        return DB_ERROR;
    }
    if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0) {
        log_debug("msg=\"postgres conflict\" op=%s sqlstate=%s", op, state);
        return DB_RETRY;
    }
    if (strncmp(state, "23", 2) == 0) {
        const char *constraint = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
        log_debug("msg=\"postgres constraint\" op=%s sqlstate=%s constraint=\"%s\"", op, state,
                  log_safe(safe_msg, sizeof(safe_msg), constraint));
        return DB_CONSTRAINT;
    }
    if (strcmp(state, "26000") == 0)
        return PG_STALE;
    /* Data exceptions quote the offending value: log only where it happened. */
    if (strncmp(state, "22", 2) == 0) {
        log_error("msg=\"postgres data error\" op=%s sqlstate=%s column=\"%s\" sql=\"%s\"", op, state,
                  log_safe(safe_msg, sizeof(safe_msg), PQresultErrorField(res, PG_DIAG_COLUMN_NAME)),
                  log_safe(safe_sql, sizeof(safe_sql), sql));
        return DB_ERROR;
    }
    log_error("msg=\"postgres error\" op=%s sqlstate=%s error=\"%s\" sql=\"%s\"", op, state,
              log_safe(safe_msg, sizeof(safe_msg), PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)),
              log_safe(safe_sql, sizeof(safe_sql), sql));
    return DB_ERROR;
}

static void forget_one(void *stmt, void *ctx)
{
    (void)ctx;
    ((struct db_stmt *)stmt)->prepared = false;
}

static void forget_prepared(struct db_conn *conn)
{
    stmt_cache_each(&conn->statements, forget_one, NULL);
}

/* Reconnects with the original parameters; every statement must be prepared again. */
static int reconnect(struct db_conn *conn)
{
    char safe[256];
    conn->in_tx = false;
    forget_prepared(conn);
    PQreset(conn->pg);
    if (PQstatus(conn->pg) != CONNECTION_OK) {
        log_write(conn->down ? LOG_DEBUG : LOG_WARN, "msg=\"postgres reconnect failed\" error=\"%s\"",
                  log_safe(safe, sizeof(safe), PQerrorMessage(conn->pg)));
        conn->down = true;
        return DB_ERROR;
    }
    conn->down = false;
    log_info("msg=\"postgres reconnected\"");
    return DB_OK;
}

/* What a lost connection means here: inside a transaction the whole
 * transaction must start again; outside one, reset and let the caller retry. */
static int after_lost(struct db_conn *conn, bool may_retry, bool *retry)
{
    *retry = false;
    if (in_transaction(conn)) {
        log_warn("msg=\"postgres connection lost in a transaction\"");
        return DB_RETRY;
    }
    if (!may_retry || reconnect(conn) != DB_OK)
        return DB_ERROR;
    *retry = true;
    return DB_OK;
}

/* Runs SQL without parameters; retries once after a reconnect outside a transaction. */
static int run_simple(struct db_conn *conn, const char *sql, const char *op, PGresult **out)
{
    int rc = DB_ERROR;
    PGresult *res = NULL;
    for (int attempt = 0; attempt < 2; attempt++) {
        if (PQstatus(conn->pg) == CONNECTION_BAD) {
            rc = PG_LOST;
        } else {
            res = PQexec(conn->pg, sql);
            ExecStatusType st = PQresultStatus(res);
            if (res != NULL && (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY)) {
                rc = DB_OK;
                goto out;
            }
            rc = classify(conn, res, op, sql);
            PQclear(res);
            res = NULL;
        }
        if (rc != PG_LOST)
            goto out;
        bool retry;
        rc = after_lost(conn, attempt == 0, &retry);
        if (!retry)
            goto out;
    }
out:
    if (rc == PG_STALE)
        rc = DB_ERROR;
    if (out != NULL)
        *out = res;
    else
        PQclear(res);
    return rc;
}

static int pg_exec(struct db_conn *conn, const char *sql)
{
    return run_simple(conn, sql, "exec", NULL);
}

static void pg_close(struct db_conn *conn);

/* How long a blocking connect waits for the server (a URI's connect_timeout
 * outranks it; 0 there waits without end), how many times one that timed out
 * is made again, and the first pause between (doubled after each). On a loaded
 * machine, or while the server starts, its answer may come later than the
 * timeout; a refusal (nothing listening, a wrong password, no such database)
 * fails at once, without another try. A URI that names several hosts is left
 * to libpq, which gives each host the timeout and then tries the next (the
 * failover of README's target_session_attrs), without another try. */
#define PG_CONNECT_TIMEOUT_S 5 /* a macro: libpq takes it as text too (PG_TEXT) */
enum { PG_CONNECT_ATTEMPTS = 3, PG_CONNECT_PAUSE_MS = 500 };
#define PG_STRINGIFY(x) #x
#define PG_TEXT(x) PG_STRINGIFY(x)

/* A new connection on target's parameters, made (PQconnectdbParams) or only
 * started (PQconnectStartParams, when start): the caller checks its status
 * (and polls a started one). */
static int conn_new(const char *target, bool start, struct db_conn **out)
{
    char *parse_error = NULL;
    int rc = DB_ERROR;
    struct db_conn *conn = NULL;
    /* Check the URI first: libpq's parse errors may quote parts of it (the password). */
    PQconninfoOption *options = PQconninfoParse(target, &parse_error);
    if (options == NULL) {
        log_error("msg=\"invalid database URI\" backend=postgres");
        goto out;
    }
    PQconninfoFree(options);
    conn = calloc(1, sizeof(*conn));
    if (conn == NULL)
        goto out;
    conn->base.driver = &db_pg_driver;
    /* Later keywords win: the URI may set a connect timeout, never the encoding.
     * (libpq keeps the timeout for PQreset and a connect it makes; one started
     * here is timed by its caller: pg_open with the same timeout, the session
     * reader its own.) */
    const char *const keywords[] = {"connect_timeout", "fallback_application_name", "dbname", "client_encoding", NULL};
    const char *const values[] = {PG_TEXT(PG_CONNECT_TIMEOUT_S), "rounds", target, "UTF8", NULL};
    conn->pg = start ? PQconnectStartParams(keywords, values, 1) : PQconnectdbParams(keywords, values, 1);
    if (conn->pg == NULL) {
        log_error("msg=\"cannot open database\" backend=postgres error=\"out of memory\"");
        goto out;
    }
    PQsetNoticeProcessor(conn->pg, notice_processor, NULL);
    *out = conn;
    conn = NULL;
    rc = DB_OK;
out:
    if (conn != NULL)
        free(conn);
    PQfreemem(parse_error);
    return rc;
}

/* Logs why conn could not connect and closes it. */
static int connect_failed(struct db_conn *conn, int level)
{
    char safe[256];
    log_write(level, "msg=\"cannot open database\" backend=postgres error=\"%s\"",
              log_safe(safe, sizeof(safe), PQerrorMessage(conn->pg)));
    pg_close(conn);
    return DB_ERROR;
}

/* The connect timeout in milliseconds that pg's parameters say, as libpq
 * reads it (at least 2 s; 0: no limit). */
static int connect_timeout_ms(PGconn *pg)
{
    long seconds = PG_CONNECT_TIMEOUT_S;
    PQconninfoOption *options = PQconninfo(pg);
    for (PQconninfoOption *o = options; o != NULL && o->keyword != NULL; o++)
        if (strcmp(o->keyword, "connect_timeout") == 0 && o->val != NULL) {
            char *end = NULL;
            long v = strtol(o->val, &end, 10);
            seconds = end != o->val && *end == '\0' && v < 3600 ? v : PG_CONNECT_TIMEOUT_S;
        }
    PQconninfoFree(options);
    if (seconds <= 0)
        return 0;
    return (int)(seconds < 2 ? 2 : seconds) * 1000;
}

/* Polls a started connect to its end, waiting on its socket as libpq asks,
 * timeout_ms in all at most (0: no limit). DB_OK when connected; DB_ERROR
 * when refused, or with *timed_out when no answer came in time. */
static int connect_wait(PGconn *pg, int timeout_ms, bool *timed_out)
{
    double deadline = clock_monotonic_ms() + timeout_ms;
    PostgresPollingStatusType polled = PGRES_POLLING_WRITING; /* as libpq says to begin */
    *timed_out = false;
    for (;;) {
        if (polled == PGRES_POLLING_OK)
            return DB_OK;
        if (polled == PGRES_POLLING_FAILED)
            return DB_ERROR;
        struct pollfd p = {.fd = PQsocket(pg), .events = polled == PGRES_POLLING_READING ? POLLIN : POLLOUT};
        int wait_ms = -1;
        if (timeout_ms > 0) {
            double left = deadline - clock_monotonic_ms();
            wait_ms = left > 0 ? (int)left + 1 : 0;
        }
        int n = wait_ms == 0 ? 0 : poll(&p, 1, wait_ms);
        if (n < 0 && errno != EINTR)
            return DB_ERROR;
        if (n == 0) {
            *timed_out = true;
            return DB_ERROR;
        }
        if (n > 0)
            polled = PQconnectPoll(pg);
    }
}

/* Whether target names more than one host (or host address). */
static bool several_hosts(const char *target)
{
    bool several = false;
    PQconninfoOption *options = PQconninfoParse(target, NULL);
    for (PQconninfoOption *o = options; o != NULL && o->keyword != NULL; o++)
        if ((strcmp(o->keyword, "host") == 0 || strcmp(o->keyword, "hostaddr") == 0) && o->val != NULL &&
            strchr(o->val, ',') != NULL)
            several = true;
    PQconninfoFree(options);
    return several;
}

/* One blocking connect: DB_OK with *out, or DB_ERROR (a refusal logged as
 * an error; a timeout left to the caller, with *timed_out). */
static int connect_once(const char *target, struct db_conn **out, int *timeout_ms, bool *timed_out)
{
    struct db_conn *conn = NULL;
    bool libpq_times = several_hosts(target);
    *timed_out = false;
    if (conn_new(target, !libpq_times, &conn) != DB_OK)
        return DB_ERROR;
    if (libpq_times ? PQstatus(conn->pg) != CONNECTION_OK : PQstatus(conn->pg) == CONNECTION_BAD)
        return connect_failed(conn, LOG_ERROR);
    if (libpq_times) {
        *out = conn;
        return DB_OK;
    }
    *timeout_ms = connect_timeout_ms(conn->pg);
    if (connect_wait(conn->pg, *timeout_ms, timed_out) != DB_OK) {
        if (!*timed_out)
            return connect_failed(conn, LOG_ERROR);
        pg_close(conn);
        return DB_ERROR;
    }
    *out = conn;
    return DB_OK;
}

/* Connects, trying again (PG_CONNECT_ATTEMPTS in all) while the server does
 * not answer within the timeout; each slow try is logged. */
static int pg_open(const char *target, struct db_conn **out)
{
    int pause_ms = PG_CONNECT_PAUSE_MS, timeout_ms = 0;
    double started = clock_monotonic_ms();
    for (int attempt = 1;; attempt++) {
        bool timed_out = false;
        if (connect_once(target, out, &timeout_ms, &timed_out) == DB_OK) {
            if (attempt > 1)
                log_warn("msg=\"database connected after timeouts\" backend=postgres attempts=%d waited_ms=%.0f",
                         attempt, clock_monotonic_ms() - started);
            return DB_OK;
        }
        if (!timed_out)
            return DB_ERROR;
        if (attempt == PG_CONNECT_ATTEMPTS) {
            log_error("msg=\"cannot open database\" backend=postgres error=\"no answer within the connect "
                      "timeout\" timeout_ms=%d attempts=%d waited_ms=%.0f",
                      timeout_ms, attempt, clock_monotonic_ms() - started);
            return DB_ERROR;
        }
        log_warn("msg=\"database connect timed out; trying again\" backend=postgres timeout_ms=%d attempt=%d "
                 "attempts=%d pause_ms=%d",
                 timeout_ms, attempt, PG_CONNECT_ATTEMPTS, pause_ms);
        struct timespec pause = {pause_ms / 1000, (long)(pause_ms % 1000) * 1000000L};
        nanosleep(&pause, NULL);
        pause_ms *= 2;
    }
}

static void clear_result(struct db_stmt *stmt)
{
    PQclear(stmt->result);
    stmt->result = NULL;
    stmt->row = -1;
    stmt->rows = 0;
    stmt->done = false;
}

static void clear_params(struct db_stmt *stmt)
{
    for (int i = 0; i < stmt->nparams; i++) {
        free(stmt->params[i].owned);
        stmt->params[i].owned = NULL;
        stmt->values[i] = NULL;
    }
}

static void stmt_free(struct db_stmt *stmt)
{
    if (stmt == NULL)
        return;
    clear_result(stmt);
    clear_params(stmt);
    free(stmt->params);
    free(stmt->values);
    free(stmt);
}

static void stmt_free_each(void *stmt, void *ctx)
{
    (void)ctx;
    stmt_free(stmt);
}

static void pg_close(struct db_conn *conn)
{
    stmt_cache_each(&conn->statements, stmt_free_each, NULL);
    stmt_cache_free(&conn->statements);
    PQfinish(conn->pg);
    free(conn);
}

static bool ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '$' || (unsigned char)c >= 0x80;
}

/* Skips a dollar-quoted string ($$…$$ or $tag$…$tag$) starting at p; returns p
 * unchanged when p does not open one. */
static const char *skip_dollar_quote(const char *p)
{
    const char *tag_end = p + 1;
    if (*tag_end != '$' && !isalpha((unsigned char)*tag_end) && *tag_end != '_')
        return p;
    while (*tag_end != '$') {
        if (!isalnum((unsigned char)*tag_end) && *tag_end != '_')
            return p;
        tag_end++;
    }
    size_t tag_len = (size_t)(tag_end - p) + 1;
    for (const char *q = tag_end + 1; *q != '\0'; q++)
        if (strncmp(q, p, tag_len) == 0)
            return q + tag_len;
    return p + strlen(p);
}

/* The highest $N in the SQL, outside string literals, quoted identifiers and comments. */
static int highest_param(const char *sql)
{
    int highest = 0;
    const char *p = sql;
    while (*p != '\0') {
        if (*p == '\'') {
            bool backslash = p > sql && (p[-1] == 'E' || p[-1] == 'e') && (p - 1 == sql || !ident_char(p[-2]));
            for (p++; *p != '\0'; p++) {
                bool escaped_quote = *p == '\'' && p[1] == '\'';
                if ((backslash && *p == '\\' && p[1] != '\0') || escaped_quote)
                    p++;
                else if (*p == '\'')
                    break;
            }
            if (*p != '\0')
                p++;
        } else if (*p == '"') {
            const char *end = strchr(p + 1, '"');
            p = end != NULL ? end + 1 : p + strlen(p);
        } else if (p[0] == '-' && p[1] == '-') {
            const char *end = strchr(p, '\n');
            p = end != NULL ? end + 1 : p + strlen(p);
        } else if (p[0] == '/' && p[1] == '*') {
            int depth = 1;
            for (p += 2; *p != '\0' && depth > 0; p++) {
                if (p[0] == '/' && p[1] == '*') {
                    depth++;
                    p++;
                } else if (p[0] == '*' && p[1] == '/') {
                    depth--;
                    p++;
                }
            }
        } else if (*p == '$' && (p == sql || !ident_char(p[-1]))) {
            if (isdigit((unsigned char)p[1])) {
                long n = 0;
                for (p++; isdigit((unsigned char)*p); p++)
                    if (n <= PG_MAX_PARAMS)
                        n = n * 10 + (*p - '0');
                if (n > highest)
                    highest = n > PG_MAX_PARAMS ? PG_MAX_PARAMS + 1 : (int)n;
            } else {
                const char *end = skip_dollar_quote(p);
                p = end != p ? end : p + 1;
            }
        } else {
            p++;
        }
    }
    return highest;
}

/* Prepares the statement on the current server session if it is not yet. */
static int ensure_prepared(struct db_stmt *stmt)
{
    if (stmt->prepared)
        return DB_OK;
    if (PQstatus(stmt->conn->pg) == CONNECTION_BAD)
        return PG_LOST;
    PGresult *res = PQprepare(stmt->conn->pg, stmt->name, stmt->sql, stmt->nparams, NULL);
    int rc;
    if (res != NULL && PQresultStatus(res) == PGRES_COMMAND_OK) {
        stmt->prepared = true;
        rc = DB_OK;
    } else {
        rc = classify(stmt->conn, res, "prepare", stmt->sql);
    }
    PQclear(res);
    return rc;
}

static struct db_stmt *pg_prepare(struct db_conn *conn, const char *sql)
{
    struct db_stmt *stmt = stmt_cache_get(&conn->statements, sql);
    if (stmt != NULL)
        return stmt;
    char safe_sql[96];
    int nparams = highest_param(sql);
    if (nparams > PG_MAX_PARAMS) {
        log_error("msg=\"too many parameters\" sql=\"%s\"", log_safe(safe_sql, sizeof(safe_sql), sql));
        goto fail;
    }
    stmt = calloc(1, sizeof(*stmt));
    if (stmt == NULL)
        goto fail;
    stmt->conn = conn;
    stmt->sql = sql;
    stmt->nparams = nparams;
    stmt->row = -1;
    /* One extra slot so that a statement without parameters still gets arrays. */
    stmt->params = calloc((size_t)nparams + 1, sizeof(*stmt->params));
    stmt->values = calloc((size_t)nparams + 1, sizeof(*stmt->values));
    if (stmt->params == NULL || stmt->values == NULL)
        goto fail;
    snprintf(stmt->name, sizeof(stmt->name), "s%u", ++conn->next_name);
    /* A lost connection is not the statement's fault: it is prepared at its first step. */
    int rc = ensure_prepared(stmt);
    if (rc != DB_OK && rc != PG_LOST)
        goto fail;
    if (stmt_cache_put(&conn->statements, sql, stmt) != 0)
        goto fail;
    return stmt;
fail:
    stmt_free(stmt);
    return NULL;
}

/* Binding starts the statement over, as a new execution. */
static struct pg_param *param_for(struct db_stmt *stmt, int index)
{
    if (index < 1 || index > stmt->nparams) {
        char safe_sql[96];
        log_error("msg=\"bind index out of range\" index=%d sql=\"%s\"", index,
                  log_safe(safe_sql, sizeof(safe_sql), stmt->sql));
        return NULL;
    }
    if (stmt->result != NULL)
        clear_result(stmt);
    struct pg_param *param = &stmt->params[index - 1];
    free(param->owned);
    param->owned = NULL;
    stmt->values[index - 1] = NULL;
    return param;
}

static int pg_bind_text(struct db_stmt *stmt, int index, const char *value)
{
    struct pg_param *param = param_for(stmt, index);
    if (param == NULL)
        return DB_ERROR;
    if (value == NULL)
        return DB_OK;
    param->owned = strdup(value);
    if (param->owned == NULL)
        return DB_ERROR;
    stmt->values[index - 1] = param->owned;
    return DB_OK;
}

static int pg_bind_int(struct db_stmt *stmt, int index, int64_t value)
{
    struct pg_param *param = param_for(stmt, index);
    if (param == NULL)
        return DB_ERROR;
    snprintf(param->num, sizeof(param->num), "%" PRId64, value);
    stmt->values[index - 1] = param->num;
    return DB_OK;
}

static int pg_bind_null(struct db_stmt *stmt, int index)
{
    return param_for(stmt, index) == NULL ? DB_ERROR : DB_OK;
}

/* Runs the prepared statement with its bound parameters, keeping the result. */
static int execute(struct db_stmt *stmt)
{
    struct db_conn *conn = stmt->conn;
    int rc = DB_ERROR;
    for (int attempt = 0; attempt < 2; attempt++) {
        rc = ensure_prepared(stmt);
        if (rc == DB_OK) {
            PGresult *res = PQexecPrepared(conn->pg, stmt->name, stmt->nparams, stmt->values, NULL, NULL, 0);
            ExecStatusType st = PQresultStatus(res);
            if (res != NULL && (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)) {
                stmt->result = res;
                stmt->row = -1;
                stmt->rows = PQntuples(res);
                long changes = strtol(PQcmdTuples(res), NULL, 10);
                stmt->changes = changes > 0 && changes <= INT32_MAX ? (int)changes : 0;
                return DB_OK;
            }
            rc = classify(conn, res, "step", stmt->sql);
            PQclear(res);
        }
        if (rc == PG_STALE) {
            /* Someone deallocated it (DISCARD ALL, a pooler): prepare it again. */
            stmt->prepared = false;
            if (in_transaction(conn))
                return DB_RETRY;
            continue;
        }
        if (rc != PG_LOST)
            return rc;
        bool retry;
        rc = after_lost(conn, attempt == 0, &retry);
        if (!retry)
            return rc;
    }
    log_error("msg=\"prepared statement keeps disappearing\" name=%s", stmt->name);
    return DB_ERROR;
}

static int pg_step(struct db_stmt *stmt)
{
    if (stmt->result != NULL && stmt->done)
        clear_result(stmt); /* stepping past the end runs it again, as SQLite does */
    if (stmt->result == NULL) {
        int rc = execute(stmt);
        if (rc != DB_OK)
            return rc;
    }
    if (stmt->row + 1 < stmt->rows) {
        stmt->row++;
        return DB_ROW;
    }
    stmt->done = true;
    return DB_DONE;
}

static bool has_value(struct db_stmt *stmt, int column)
{
    return stmt->result != NULL && stmt->row >= 0 && stmt->row < stmt->rows && column >= 0 &&
           column < PQnfields(stmt->result) && !PQgetisnull(stmt->result, stmt->row, column);
}

static bool pg_column_is_null(struct db_stmt *stmt, int column)
{
    return !has_value(stmt, column);
}

static const char *pg_column_text(struct db_stmt *stmt, int column)
{
    return has_value(stmt, column) ? PQgetvalue(stmt->result, stmt->row, column) : NULL;
}

static int64_t pg_column_int(struct db_stmt *stmt, int column)
{
    const char *text = pg_column_text(stmt, column);
    if (text == NULL)
        return 0;
    if (strcmp(text, "t") == 0)
        return 1;
    if (strcmp(text, "f") == 0)
        return 0;
    char *end;
    long long value = strtoll(text, &end, 10);
    return end == text ? 0 : (int64_t)value;
}

static int pg_changes(struct db_stmt *stmt)
{
    return stmt->changes;
}

static void pg_reset(struct db_stmt *stmt)
{
    clear_result(stmt);
    clear_params(stmt);
}

static int pg_begin(struct db_conn *conn, bool write)
{
    (void)write;
    /* Not in a transaction yet, so a connection that died since the last one
     * is reset here (run_simple) and BEGIN sent again. */
    conn->in_tx = false;
    int rc = run_simple(conn, "BEGIN ISOLATION LEVEL READ COMMITTED", "begin", NULL);
    if (rc == DB_OK)
        conn->in_tx = true;
    else if (rc == DB_ERROR && PQstatus(conn->pg) == CONNECTION_BAD)
        rc = DB_RETRY; /* still down: let db_run_tx wait and try again */
    return rc;
}

static int pg_commit(struct db_conn *conn)
{
    PGresult *res = NULL;
    int rc = run_simple(conn, "COMMIT", "commit", &res);
    /* COMMIT of a failed transaction "succeeds" as ROLLBACK. */
    if (rc == DB_OK && strcmp(PQcmdStatus(res), "COMMIT") != 0) {
        log_error("msg=\"postgres commit rolled back\" status=\"%s\"", PQcmdStatus(res));
        rc = DB_ERROR;
    }
    PQclear(res);
    PGTransactionStatusType ts = PQtransactionStatus(conn->pg);
    conn->in_tx = ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR;
    return rc;
}

static void pg_rollback(struct db_conn *conn)
{
    PGTransactionStatusType ts = PQtransactionStatus(conn->pg);
    if (ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR)
        run_simple(conn, "ROLLBACK", "rollback", NULL);
    conn->in_tx = false;
}

static int pg_migration_lock(struct db_conn *conn, bool lock)
{
    /* A transaction-level lock (taken inside the migration transaction and
     * released by its commit or rollback), so that it also works through a
     * transaction-pooling proxy such as pgbouncer. */
    if (!lock)
        return DB_OK;
    PGresult *res = NULL;
    int rc = run_simple(conn, "SELECT pg_advisory_xact_lock(" PG_MIGRATION_LOCK_KEY ")", "migration_lock", &res);
    PQclear(res);
    return rc;
}

static bool pg_ping(struct db_conn *conn)
{
    return run_simple(conn, "SELECT 1", "ping", NULL) == DB_OK;
}

/* ---- asynchronous statements (db_send in store/db.h) ----
 * The connection stays in libpq's blocking mode: a send is one short message
 * that the socket's empty buffer takes at once; only the answer is awaited
 * without blocking, by PQconsumeInput when the caller's loop sees the socket
 * readable. */

static int pg_socket(struct db_conn *conn)
{
    return PQstatus(conn->pg) != CONNECTION_BAD ? PQsocket(conn->pg) : -1;
}

static int pg_send(struct db_stmt *stmt)
{
    struct db_conn *conn = stmt->conn;
    if (conn->pending != NULL || conn->pending_exec || in_transaction(conn))
        return DB_ERROR;
    int rc = ensure_prepared(stmt);
    if (rc != DB_OK)
        return rc == PG_LOST || rc == PG_STALE ? DB_ERROR : rc;
    clear_result(stmt);
    if (!PQsendQueryPrepared(conn->pg, stmt->name, stmt->nparams, stmt->values, NULL, NULL, 0)) {
        rc = classify(conn, NULL, "send", stmt->sql);
        return rc == PG_LOST || rc == PG_STALE ? DB_ERROR : rc;
    }
    conn->pending = stmt;
    conn->pending_rc = DB_OK;
    return DB_OK;
}

/* SQL text without parameters, sent like a statement: its results are
 * only checked. */
static int pg_send_exec(struct db_conn *conn, const char *sql)
{
    if (conn->pending != NULL || conn->pending_exec || in_transaction(conn))
        return DB_ERROR;
    if (!PQsendQuery(conn->pg, sql)) {
        int rc = classify(conn, NULL, "send", sql);
        return rc == PG_LOST || rc == PG_STALE ? DB_ERROR : rc;
    }
    conn->pending_exec = true;
    conn->pending_rc = DB_OK;
    return DB_OK;
}

/* One result of the pending statement: kept, or its failure noted. */
static void take_result(struct db_conn *conn, PGresult *res)
{
    struct db_stmt *stmt = conn->pending;
    ExecStatusType st = PQresultStatus(res);
    bool ok = st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK;
    if ((stmt == NULL && !conn->pending_exec) || conn->pending_rc != DB_OK || (stmt != NULL && stmt->result != NULL) ||
        (stmt == NULL && ok)) {
        PQclear(res);
        return;
    }
    if (ok) {
        stmt->result = res;
        stmt->row = -1;
        stmt->rows = PQntuples(res);
        stmt->changes = 0;
        return;
    }
    int rc = classify(conn, res, "poll", stmt != NULL ? stmt->sql : "exec");
    if (rc == PG_STALE && stmt != NULL)
        stmt->prepared = false; /* prepared again at its next send */
    conn->pending_rc = rc == PG_LOST || rc == PG_STALE ? DB_ERROR : rc;
    PQclear(res);
}

static int pg_poll(struct db_conn *conn, bool *ready)
{
    int rc = DB_OK;
    *ready = false;
    if (!PQconsumeInput(conn->pg)) {
        rc = DB_ERROR;
        goto out;
    }
    while (!PQisBusy(conn->pg)) {
        PGresult *res = PQgetResult(conn->pg);
        if (res == NULL)
            break;
        take_result(conn, res);
    }
    if (PQstatus(conn->pg) == CONNECTION_BAD) {
        rc = DB_ERROR;
        goto out;
    }
    if ((conn->pending == NULL && !conn->pending_exec) || PQisBusy(conn->pg))
        return DB_OK;
    /* The answer is all in (PQgetResult said so with NULL). */
    rc = conn->pending_rc;
    *ready = rc == DB_OK;
out:
    if (rc != DB_OK && (conn->pending != NULL || conn->pending_exec)) {
        char safe[256];
        log_warn("msg=\"postgres asynchronous statement failed\" error=\"%s\"",
                 log_safe(safe, sizeof(safe), PQerrorMessage(conn->pg)));
        if (conn->pending != NULL)
            clear_result(conn->pending);
    }
    conn->pending = NULL;
    conn->pending_exec = false;
    return rc;
}

/* ---- connecting without blocking (db_connect_start in store/db.h) ---- */

static int pg_connect_start(const char *target, struct db_conn **out)
{
    struct db_conn *conn = NULL;
    if (conn_new(target, true, &conn) != DB_OK)
        return DB_ERROR;
    if (PQstatus(conn->pg) == CONNECTION_BAD)
        return connect_failed(conn, LOG_WARN);
    *out = conn;
    return DB_OK;
}

static int pg_connect_poll(struct db_conn *conn, bool *ready, bool *want_write)
{
    char safe[256];
    switch (PQconnectPoll(conn->pg)) {
    case PGRES_POLLING_OK:
        *ready = true;
        return DB_OK;
    case PGRES_POLLING_READING:
        return DB_OK;
    case PGRES_POLLING_WRITING:
        *want_write = true;
        return DB_OK;
    default:
        log_warn("msg=\"cannot open database\" backend=postgres error=\"%s\"",
                 log_safe(safe, sizeof(safe), PQerrorMessage(conn->pg)));
        return DB_ERROR;
    }
}

const struct db_driver db_pg_driver = {
    .name = "postgres",
    .open = pg_open,
    .close = pg_close,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .bind_text = pg_bind_text,
    .bind_text_static = pg_bind_text, /* parameters are copied for PQexecPrepared anyway */
    .bind_int = pg_bind_int,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .column_is_null = pg_column_is_null,
    .column_text = pg_column_text,
    .column_int = pg_column_int,
    .changes = pg_changes,
    .reset = pg_reset,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .migration_lock = pg_migration_lock,
    .ping = pg_ping,
    .snapshot_write = db_pg_snapshot_write,
    .snapshot_load = db_pg_snapshot_load,
    .socket = pg_socket,
    .send = pg_send,
    .poll = pg_poll,
    .send_exec = pg_send_exec,
    .connect_start = pg_connect_start,
    .connect_poll = pg_connect_poll,
};
