/* config.c — defaults, environment and flags for `rounds serve` and friends. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/two_factor.h"
#include "lib/limits.h"
#include "lib/log.h"

bool config_parse_int(const char *s, long long min, long long max, long long *out)
{
    if (s == NULL || *s == '\0')
        return false;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        return false;
    *out = v;
    return true;
}

/* "host:port" or "[v6]:port" split in buf (size bytes) into *host and *port. */
static bool parse_address(char *buf, size_t size, const char *value, const char **host_out, int *port_out)
{
    snprintf(buf, size, "%s", value);
    char *colon = strrchr(buf, ':');
    long long port;
    if (colon == NULL || colon == buf || !config_parse_int(colon + 1, 0, 65535, &port)) {
        fprintf(stderr, "rounds: listen address must be host:port, got '%s'\n", value);
        return false;
    }
    *colon = '\0';
    char *host = buf;
    if (host[0] == '[' && colon[-1] == ']') {
        colon[-1] = '\0';
        host++;
    }
    *host_out = host;
    *port_out = (int)port;
    return true;
}

static bool set_listen(struct config *config, const char *value)
{
    return parse_address(config->listen_buf, sizeof(config->listen_buf), value, &config->http.listen_host,
                         &config->http.listen_port);
}

/* ROUNDS_METRICS_LISTEN: a port of its own (never 0: the scraper must know it). */
static bool set_metrics_listen(struct config *config, const char *value)
{
    if (!parse_address(config->metrics_listen_buf, sizeof(config->metrics_listen_buf), value,
                       &config->http.metrics_host, &config->http.metrics_port))
        return false;
    if (config->http.metrics_port == 0) {
        fprintf(stderr, "rounds: the metrics listen address needs a port other than 0, got '%s'\n", value);
        return false;
    }
    return true;
}

struct numeric_setting {
    const char *env, *flag;
    long long min, max, scale;
    size_t offset;
    bool is_int64; /* else int (or size_t for max_body) */
    bool is_size;
};

#define OPT(field) offsetof(struct http_options, field)
static const struct numeric_setting numeric_settings[] = {
    {"ROUNDS_THREADS", "--threads", 0, 256, 1, OPT(threads), false, false},
    {"ROUNDS_WORKERS", "--workers", 0, 256, 1, OPT(workers), false, false},
    {"ROUNDS_DB_POOL", "--db-pool", 0, 1024, 1, OPT(db_pool), false, false},
    {"ROUNDS_MAX_BODY", "--max-body", 1024, 1LL << 30, 1, OPT(max_body), false, true},
    {"ROUNDS_MAX_UPLOAD", "--max-upload", 1024, 1LL << 30, 1, OPT(max_upload), false, true},
    {"ROUNDS_UPLOAD_QUOTA", "--upload-quota", 1024, 1LL << 40, 1, OPT(upload_quota), true, false},
    {"ROUNDS_MAX_CONNECTIONS", "--max-connections", 1, 1000000, 1, OPT(max_connections), false, false},
    {"ROUNDS_MAX_CONNECTIONS_PER_CLIENT", "--max-connections-per-client", 1, 1000000, 1,
     OPT(max_connections_per_client), false, false},
    {"ROUNDS_REQUEST_TIMEOUT_MS", "--request-timeout-ms", 100, 3600000, 1, OPT(request_timeout_ms), false, false},
    {"ROUNDS_IDLE_TIMEOUT_MS", "--idle-timeout-ms", 100, 3600000, 1, OPT(idle_timeout_ms), false, false},
    {"ROUNDS_SHUTDOWN_DEADLINE_MS", "--shutdown-deadline-ms", 0, 600000, 1, OPT(shutdown_deadline_ms), false, false},
    {"ROUNDS_SESSION_IDLE_MINUTES", "--session-idle-minutes", 1, 60 * 24 * 30, 60, OPT(session_idle_seconds), true,
     false},
    {"ROUNDS_SESSION_ABSOLUTE_HOURS", "--session-absolute-hours", 1, 24 * 365, 3600,
     OPT(session_absolute_seconds), true, false},
    {"ROUNDS_TICKET_URGENT_RESPONSE_MINUTES", "--ticket-urgent-response-minutes", 1, 60 * 24 * 30, 1,
     OPT(ticket_urgent_response_minutes), true, false},
    {"ROUNDS_TICKET_NORMAL_RESPONSE_HOURS", "--ticket-normal-response-hours", 1, 24 * 90, 1,
     OPT(ticket_normal_response_hours), true, false},
    {"ROUNDS_TICKET_URGENT_RESOLVE_HOURS", "--ticket-urgent-resolve-hours", 1, 24 * 90, 1,
     OPT(ticket_urgent_resolve_hours), true, false},
    {"ROUNDS_TICKET_NORMAL_RESOLVE_HOURS", "--ticket-normal-resolve-hours", 1, 24 * 90, 1,
     OPT(ticket_normal_resolve_hours), true, false},
    {"ROUNDS_MESSAGES_PER_MINUTE", "--messages-per-minute", 1, 1000000, 1, OPT(messages_per_minute), true, false},
    {"ROUNDS_JOBS_INTERVAL_MS", "--jobs-interval-ms", 0, 3600000, 1, OPT(jobs_interval_ms), false, false},
    {"ROUNDS_LOGIN_LIMIT_ACCOUNT_CLIENT", "--login-limit-account-client", 1, 1000000, 1,
     OPT(login_failures_per_account_client), false, false},
    {"ROUNDS_LOGIN_LIMIT_ACCOUNT", "--login-limit-account", 1, 1000000, 1, OPT(login_failures_per_account), false,
     false},
    {"ROUNDS_REGISTER_LIMIT_CLIENT", "--register-limit-client", 1, 1000000, 1, OPT(registrations_per_client),
     false, false},
    {"ROUNDS_LOGIN_LIMIT_CLIENT", "--login-limit-client", 1, 1000000, 1, OPT(login_failures_per_client), false,
     false},
    {"ROUNDS_RESET_LIMIT_CLIENT", "--reset-limit-client", 1, 1000000, 1, OPT(password_resets_per_client), false,
     false},
};

static bool set_two_factor_roles(struct config *config, const char *value)
{
    if (two_factor_parse_roles(value, &config->http.two_factor_roles))
        return true;
    fprintf(stderr, "rounds: two-factor roles are 'none' or a comma-separated list of roles (staff,coach,"
                    "host_coordinator,…), got '%s'\n", value);
    return false;
}

static bool set_numeric(struct config *config, const struct numeric_setting *s, const char *value, const char *source)
{
    long long v;
    if (!config_parse_int(value, s->min, s->max, &v)) {
        fprintf(stderr, "rounds: %s must be a whole number from %lld to %lld, got '%s'\n", source, s->min, s->max,
                value);
        return false;
    }
    char *field = (char *)&config->http + s->offset;
    if (s->is_int64) {
        int64_t x = (int64_t)(v * s->scale);
        memcpy(field, &x, sizeof(x));
    } else if (s->is_size) {
        size_t x = (size_t)v;
        memcpy(field, &x, sizeof(x));
    } else {
        int x = (int)v;
        memcpy(field, &x, sizeof(x));
    }
    return true;
}

static bool set_log_level(struct config *config, const char *value)
{
    static const char *const names[] = {"debug", "info", "warn", "error"};
    for (int i = 0; i < 4; i++)
        if (strcmp(names[i], value) == 0) {
            config->log_level = names[i];
            log_set_level((enum log_level)i);
            return true;
        }
    fprintf(stderr, "rounds: log level must be debug, info, warn or error, got '%s'\n", value);
    return false;
}

bool config_from_env(struct config *config)
{
    memset(config, 0, sizeof(*config));
    struct http_options *o = &config->http;
    o->listen_host = "127.0.0.1";
    o->listen_port = 8080;
    o->db_target = "rounds.db";
    o->data_dir = "data";
    o->max_body = 1024 * 1024;
    o->db_pool = -1; /* by backend: see http_options */
    o->max_upload = 10 * 1024 * 1024;
    o->upload_quota = 100LL * 1024 * 1024;
    o->max_connections = 10000;
    o->max_connections_per_client = 256;
    o->request_timeout_ms = 10000;
    o->idle_timeout_ms = 10000;
    o->shutdown_deadline_ms = 10000;
    o->session_idle_seconds = 30 * 60;
    o->session_absolute_seconds = 12 * 3600;
    o->login_failures_per_account_client = 10;
    o->login_failures_per_account = 100;
    o->login_failures_per_client = 100;
    o->two_factor_roles = two_factor_default_roles();
    o->password_resets_per_client = 10;
    o->registrations_per_client = 20;
    o->jobs_interval_ms = 1000;
    o->ticket_urgent_response_minutes = 120;
    o->messages_per_minute = MESSAGES_PER_MINUTE;
    o->ticket_normal_response_hours = 24;
    o->ticket_urgent_resolve_hours = 24;
    o->ticket_normal_resolve_hours = 72;
    config->log_level = "info";

    const char *v;
    if ((v = getenv("ROUNDS_DB")) != NULL && *v != '\0')
        o->db_target = v;
    if ((v = getenv("ROUNDS_DATA_DIR")) != NULL && *v != '\0')
        o->data_dir = v;
    if ((v = getenv("ROUNDS_PUBLIC_URL")) != NULL && *v != '\0')
        o->public_url = v;
    if ((v = getenv("ROUNDS_LISTEN")) != NULL && *v != '\0' && !set_listen(config, v))
        return false;
    if ((v = getenv("ROUNDS_LOG_LEVEL")) != NULL && *v != '\0' && !set_log_level(config, v))
        return false;
    if ((v = getenv("ROUNDS_METRICS_LISTEN")) != NULL && *v != '\0' && !set_metrics_listen(config, v))
        return false;
    if ((v = getenv("ROUNDS_FILE_KEY_FILE")) != NULL && *v != '\0')
        o->file_key_file = v;
    if ((v = getenv("ROUNDS_SIGNING_KEY_FILE")) != NULL && *v != '\0')
        o->signing_key_file = v;
    if ((v = getenv("ROUNDS_SMTP_URL")) != NULL && *v != '\0')
        o->smtp_url = v;
    if ((v = getenv("ROUNDS_MAIL_FROM")) != NULL && *v != '\0')
        o->mail_from = v;
    if ((v = getenv("ROUNDS_ONCALL_EMAIL")) != NULL && *v != '\0')
        o->oncall_email = v;
    if ((v = getenv("ROUNDS_TWO_FACTOR_ROLES")) != NULL && *v != '\0' && !set_two_factor_roles(config, v))
        return false;
    if ((v = getenv("ROUNDS_TRUST_PROXY")) != NULL && *v != '\0')
        o->trust_proxy = strcmp(v, "1") == 0;
    for (size_t i = 0; i < sizeof(numeric_settings) / sizeof(numeric_settings[0]); i++)
        if ((v = getenv(numeric_settings[i].env)) != NULL && *v != '\0' &&
            !set_numeric(config, &numeric_settings[i], v, numeric_settings[i].env))
            return false;
    return true;
}

bool config_apply_flag(struct config *config, int argc, char **argv, int i, int *consumed)
{
    const char *flag = argv[i];
    *consumed = 2;
    if (i + 1 >= argc) {
        fprintf(stderr, "rounds: %s needs a value\n", flag);
        return false;
    }
    const char *value = argv[i + 1];
    if (strcmp(flag, "--listen") == 0)
        return set_listen(config, value);
    if (strcmp(flag, "--metrics-listen") == 0)
        return set_metrics_listen(config, value);
    if (strcmp(flag, "--db") == 0) {
        config->http.db_target = value;
        return true;
    }
    if (strcmp(flag, "--data-dir") == 0) {
        config->http.data_dir = value;
        return true;
    }
    if (strcmp(flag, "--public-url") == 0) {
        config->http.public_url = value;
        return true;
    }
    if (strcmp(flag, "--ready-file") == 0) {
        config->http.ready_file = value;
        return true;
    }
    if (strcmp(flag, "--log-level") == 0)
        return set_log_level(config, value);
    if (strcmp(flag, "--test-hooks") == 0) {
        if (strcmp(value, "0") != 0 && strcmp(value, "1") != 0) {
            fprintf(stderr, "rounds: --test-hooks takes 0 or 1\n");
            return false;
        }
        config->http.test_hooks = value[0] == '1';
        return true;
    }
    if (strcmp(flag, "--file-key-file") == 0) {
        config->http.file_key_file = value;
        return true;
    }
    if (strcmp(flag, "--signing-key-file") == 0) {
        config->http.signing_key_file = value;
        return true;
    }
    if (strcmp(flag, "--smtp-url") == 0) {
        config->http.smtp_url = value;
        return true;
    }
    if (strcmp(flag, "--oncall-email") == 0) {
        config->http.oncall_email = value;
        return true;
    }
    if (strcmp(flag, "--two-factor-roles") == 0)
        return set_two_factor_roles(config, value);
    if (strcmp(flag, "--trust-proxy") == 0) {
        if (strcmp(value, "0") != 0 && strcmp(value, "1") != 0) {
            fprintf(stderr, "rounds: --trust-proxy takes 0 or 1\n");
            return false;
        }
        config->http.trust_proxy = value[0] == '1';
        return true;
    }
    for (size_t k = 0; k < sizeof(numeric_settings) / sizeof(numeric_settings[0]); k++)
        if (strcmp(flag, numeric_settings[k].flag) == 0)
            return set_numeric(config, &numeric_settings[k], value, flag);
    fprintf(stderr, "rounds: unknown flag %s\n", flag);
    return false;
}

void config_finish(struct config *config)
{
    if (config->http.public_url == NULL && config->http.listen_port != 0) {
        snprintf(config->public_url_buf, sizeof(config->public_url_buf), "http://%s:%d", config->http.listen_host,
                 config->http.listen_port);
        config->http.public_url = config->public_url_buf;
    }
}
