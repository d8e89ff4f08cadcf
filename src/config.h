/* config.h — configuration from flags and the environment (flags win).
 *
 *   ROUNDS_DB          SQLite file path or postgres:// URL   (default ./rounds.db)
 *   ROUNDS_LISTEN      host:port                              (default 127.0.0.1:8080)
 *   ROUNDS_DATA_DIR    folder for uploaded files and mail      (default ./data)
 *   ROUNDS_PUBLIC_URL  the address users see                   (default http://<listen>)
 *   ROUNDS_FILE_KEY_FILE the key sealing uploaded files    (default DATA_DIR/file.key, created when missing)
 *   ROUNDS_THREADS, ROUNDS_WORKERS, ROUNDS_MAX_BODY, ROUNDS_MAX_UPLOAD, ROUNDS_UPLOAD_QUOTA, ROUNDS_MAX_CONNECTIONS,
 *   ROUNDS_MAX_CONNECTIONS_PER_CLIENT, ROUNDS_REQUEST_TIMEOUT_MS,
 *   ROUNDS_SESSION_IDLE_MINUTES, ROUNDS_SESSION_ABSOLUTE_HOURS,
 *   ROUNDS_LOGIN_LIMIT_ACCOUNT_CLIENT, ROUNDS_LOGIN_LIMIT_ACCOUNT, ROUNDS_LOGIN_LIMIT_CLIENT,
 *   ROUNDS_REGISTER_LIMIT_CLIENT, ROUNDS_RESET_LIMIT_CLIENT, ROUNDS_LOG_LEVEL,
 *   ROUNDS_METRICS_LISTEN (host:port for GET /metrics; unset: off) */
#ifndef ROUNDS_CONFIG_H
#define ROUNDS_CONFIG_H

#include <stdbool.h>

#include "http/server.h"

enum exit_code {
    EXIT_OK = 0,
    EXIT_FAILURE_RUNTIME = 1, /* the database or the network failed */
    EXIT_USAGE = 2,           /* unknown subcommand, flag or bad value */
    EXIT_SCHEMA_TOO_NEW = 3,  /* the database was migrated by a newer rounds */
    EXIT_INVALID_INPUT = 4,   /* an input file is invalid (rounds match: the instance) */
    EXIT_UNVERIFIED = 5,      /* rounds match: the result failed its verification */
    EXIT_LEDGER_BROKEN = 6,   /* `rounds ledger check` found a broken entry */
    EXIT_NOT_GENUINE = 6,     /* rounds certificate verify: the document is not a genuine Rounds document */
};

struct config {
    struct http_options http;
    char listen_buf[300];
    char metrics_listen_buf[300];
    char public_url_buf[320];
    const char *log_level;
};

/* Defaults, then the environment. Returns false (after printing why) on a bad value. */
bool config_from_env(struct config *config);
/* Applies one "--flag value" of serve; *consumed is how many argv entries it took.
 * Returns false for an unknown flag or a bad value (after printing why). */
bool config_apply_flag(struct config *config, int argc, char **argv, int i, int *consumed);
/* Fills derived values (public URL) once flags are in. */
void config_finish(struct config *config);

/* Parses a whole decimal number within [min, max]; false otherwise. */
bool config_parse_int(const char *s, long long min, long long max, long long *out);

#endif
