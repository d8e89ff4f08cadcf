/* cmd_serve.c — `rounds serve`: migrate, then serve until SIGINT/SIGTERM. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "config.h"
#include "domain/catalog_index.h"
#include "http/request.h"
#include "domain/certificates.h"
#include "domain/documents.h"
#include "domain/jobs.h"
#include "domain/letters.h"
#include "domain/messages.h"
#include "domain/notify.h"
#include "domain/payment_provider.h"
#include "lib/failpoint.h"
#include "lib/limits.h"
#include "domain/support.h"
#include "domain/ops_metrics.h"
#include "store/blobs.h"
#include "lib/log.h"
#include "lib/signed_document.h"
#include "routes.h"
#include "web/web.h"

static const char serve_usage[] =
    "usage: rounds serve [flags]\n"
    "\n"
    "  --listen HOST:PORT              ROUNDS_LISTEN (127.0.0.1:8080; port 0 picks a free one)\n"
    "  --db PATH_OR_URL                ROUNDS_DB (rounds.db; postgres://… for PostgreSQL)\n"
    "  --data-dir DIR                  ROUNDS_DATA_DIR (data)\n"
    "  --public-url URL                ROUNDS_PUBLIC_URL (http://<listen>)\n"
    "  --threads N                     ROUNDS_THREADS event loops (0 = " LIMIT_TEXT(HTTP_LOOPS_PER_CORE) " per core)\n"
    "  --workers N                     ROUNDS_WORKERS threads for password hashing (0 = one per core)\n"
    "  --db-pool N                     ROUNDS_DB_POOL database connections running requests off the event\n"
    "                                  loops (0 = the loops query the database themselves; default 0 for\n"
    "                                  SQLite; for PostgreSQL one per core, at least "
    LIMIT_TEXT(HTTP_DB_POOL_PG_MIN) ")\n"
    "  --max-body BYTES                ROUNDS_MAX_BODY default body cap (1048576)\n"
    "  --max-upload BYTES              ROUNDS_MAX_UPLOAD one uploaded document (10485760)\n"
    "  --upload-quota BYTES            ROUNDS_UPLOAD_QUOTA documents a student may store (104857600)\n"
    "  --file-key-file PATH            ROUNDS_FILE_KEY_FILE key sealing uploaded files (DATA_DIR/file.key,\n"
    "                                  created when missing; a path given must exist)\n"
    "  --signing-key-file PATH         ROUNDS_SIGNING_KEY_FILE Ed25519 key signing certificates and letters\n"
    "                                  (DATA_DIR/signing.key, created when missing; a path given must exist)\n"
    "  --max-connections N             ROUNDS_MAX_CONNECTIONS (10000)\n"
    "  --max-connections-per-client N  ROUNDS_MAX_CONNECTIONS_PER_CLIENT (256)\n"
    "  --request-timeout-ms N          ROUNDS_REQUEST_TIMEOUT_MS (10000)\n"
    "  --idle-timeout-ms N             ROUNDS_IDLE_TIMEOUT_MS (10000)\n"
    "  --shutdown-deadline-ms N        ROUNDS_SHUTDOWN_DEADLINE_MS (10000)\n"
    "  --session-idle-minutes N        ROUNDS_SESSION_IDLE_MINUTES (30)\n"
    "  --session-absolute-hours N      ROUNDS_SESSION_ABSOLUTE_HOURS (12)\n"
    "  --login-limit-account-client N  ROUNDS_LOGIN_LIMIT_ACCOUNT_CLIENT failed logins of one account from\n"
    "                                  one client address per 15 minutes, then 429 there (10)\n"
    "  --login-limit-account N         ROUNDS_LOGIN_LIMIT_ACCOUNT of one account from all addresses (100)\n"
    "  --login-limit-client N          ROUNDS_LOGIN_LIMIT_CLIENT from one address, all accounts (100)\n"
    "  --reset-limit-client N          ROUNDS_RESET_LIMIT_CLIENT password-reset links asked for from one\n"
    "                                  client address per hour, then 429 (10)\n"
    "  --register-limit-client N       ROUNDS_REGISTER_LIMIT_CLIENT accounts created per hour from one\n"
    "                                  client address (20)\n"
    "  --log-level LEVEL               ROUNDS_LOG_LEVEL debug|info|warn|error (info)\n"
    "  --two-factor-roles LIST         ROUNDS_TWO_FACTOR_ROLES roles that must sign in with a second factor,\n"
    "                                  comma-separated, or none (staff,coach,host_coordinator)\n"
    "  --trust-proxy 0|1               ROUNDS_TRUST_PROXY: client address from X-Forwarded-For when the\n"
    "                                  peer is loopback (a reverse proxy on this machine) (0)\n"
    "  --smtp-url URL                  ROUNDS_SMTP_URL smtp://host:port for email; unset: files in DATA_DIR/mail\n"
    "  --ticket-urgent-response-minutes N  ROUNDS_TICKET_URGENT_RESPONSE_MINUTES first response to an urgent\n"
    "                                  ticket (120)\n"
    "  --ticket-normal-response-hours N    ROUNDS_TICKET_NORMAL_RESPONSE_HOURS to a normal one, in business\n"
    "                                  hours (Monday to Friday, 24: one business day)\n"
    "  --ticket-urgent-resolve-hours N     ROUNDS_TICKET_URGENT_RESOLVE_HOURS resolution of an urgent ticket (24)\n"
    "  --ticket-normal-resolve-hours N     ROUNDS_TICKET_NORMAL_RESOLVE_HOURS of a normal one, business hours (72)\n"
    "  --oncall-email ADDRESS          ROUNDS_ONCALL_EMAIL safety tickets are also emailed here (unset: none)\n"
    "  --messages-per-minute N         ROUNDS_MESSAGES_PER_MINUTE messages one user may send a minute (20)\n"
    "  --jobs-interval-ms N            ROUNDS_JOBS_INTERVAL_MS expiry sweeper and outbox period (1000; 0 = off)\n"
    "  --test-hooks 0|1                serve /api/v1/test/* (move the clock, run jobs); tests only (0)\n"
    "  --metrics-listen HOST:PORT      ROUNDS_METRICS_LISTEN: GET /metrics (Prometheus) there; unset: off\n"
    "\n"
    "Payments (environment only): ROUNDS_STRIPE_SECRET_KEY and ROUNDS_STRIPE_WEBHOOK_SECRET offer card\n"
    "payments through Stripe (ROUNDS_STRIPE_API_BASE, default https://api.stripe.com);\n"
    "ROUNDS_BANK_TRANSFER_DETAILS (\"Label: value; …\") offers bank transfers. With neither, a demo\n"
    "provider pays at once, unless the public URL is https.\n"
    "  --ready-file PATH               write host:port there once listening\n";

int command_serve_prepare(struct config *config, int catalog_poll_ms)
{
    mkdir(config->http.data_dir, 0700);
    struct db_conn *conn = NULL;
    int rc = command_open_migrated(config->http.db_target, &conn);
    if (rc != EXIT_OK)
        return rc;
    db_close(conn);

    /* Uploaded files: sealed under DATA_DIR/files with the configured key; the
     * default key file is created on first start (make run's demo). */
    char key_file[1024];
    bool key_given = config->http.file_key_file != NULL;
    if (key_given)
        snprintf(key_file, sizeof(key_file), "%s", config->http.file_key_file);
    else
        snprintf(key_file, sizeof(key_file), "%s/file.key", config->http.data_dir);
    if (blobs_open(config->http.data_dir, key_file, !key_given) != 0) {
        fprintf(stderr, "rounds serve: cannot open the file store %s/files with the key %s (see the log line above "
                        "and ROUNDS_FILE_KEY_FILE)\n", config->http.data_dir, key_file);
        return EXIT_USAGE;
    }
    if (command_open_signing_key(config, "rounds serve") != 0)
        return EXIT_USAGE;
    documents_configure(config->http.max_upload, config->http.upload_quota);
    struct payments_settings payments = {
        .stripe_secret_key = getenv("ROUNDS_STRIPE_SECRET_KEY"),
        .stripe_webhook_secret = getenv("ROUNDS_STRIPE_WEBHOOK_SECRET"),
        .stripe_api_base = getenv("ROUNDS_STRIPE_API_BASE"),
        .bank_transfer_details = getenv("ROUNDS_BANK_TRANSFER_DETAILS"),
        .public_url = config->http.public_url,
    };
    char why[256];
    if (!payments_configure(&payments, why, sizeof(why))) {
        fprintf(stderr, "rounds serve: %s\n", why);
        return EXIT_USAGE;
    }
    if (payments_demo_refused())
        log_warn("msg=\"no payment provider: the demo provider is refused when ROUNDS_PUBLIC_URL is https; set "
                 "ROUNDS_STRIPE_SECRET_KEY or ROUNDS_BANK_TRANSFER_DETAILS\"");
    if (config->http.test_hooks)
        failpoint_arm(getenv("ROUNDS_TEST_FAILPOINT"));
    certificates_configure(config->http.public_url);
    notify_configure(config->http.public_url);
    letters_configure(config->http.public_url);
    struct support_settings support = {config->http.ticket_urgent_response_minutes,
                                       config->http.ticket_normal_response_hours,
                                       config->http.ticket_urgent_resolve_hours,
                                       config->http.ticket_normal_resolve_hours, config->http.oncall_email};
    support_configure(&support);
    messages_configure(config->http.messages_per_minute);

    /* What was rendered from an offering goes when the change feed brings its change. */
    catalog_index_on_change(http_cache_drop);
    if (catalog_index_start(config->http.db_target, catalog_poll_ms) != 0) {
        fprintf(stderr, "rounds serve: could not load the catalog index\n");
        return EXIT_FAILURE_RUNTIME;
    }
    config->http.routes = rounds_routes;
    config->http.route_count = rounds_route_count;
    web_install_error_page();
    return EXIT_OK;
}

void command_serve_release(void)
{
    catalog_index_stop();
    http_cache_clear();
    blobs_close();
    signing_close();
}

int command_serve(int argc, char **argv)
{
    struct config config;
    if (!config_from_env(&config)) {
        fputs(serve_usage, stderr);
        return EXIT_USAGE;
    }
    for (int i = 1; i < argc;) {
        if (command_wants_help(argv[i])) {
            fputs(serve_usage, stdout);
            return EXIT_OK;
        }
        int consumed = 0;
        if (strncmp(argv[i], "--", 2) != 0 || !config_apply_flag(&config, argc, argv, i, &consumed)) {
            if (strncmp(argv[i], "--", 2) != 0)
                fprintf(stderr, "rounds serve: unexpected argument '%s'\n", argv[i]);
            fputs(serve_usage, stderr);
            return EXIT_USAGE;
        }
        i += consumed;
    }
    config_finish(&config);
    int rc = command_serve_prepare(&config, 200);
    if (rc != EXIT_OK)
        return rc;
    char maildir[1024];
    snprintf(maildir, sizeof(maildir), "%s/mail", config.http.data_dir);
    struct jobs_config jobs = {
        .db_target = config.http.db_target,
        .maildir = maildir,
        .smtp_url = config.http.smtp_url,
        .mail_from = config.http.mail_from,
        .interval_ms = config.http.jobs_interval_ms,
        .session_idle_seconds = config.http.session_idle_seconds,
        .session_absolute_seconds = config.http.session_absolute_seconds,
    };
    if (jobs_start(&jobs) != 0) {
        fprintf(stderr, "rounds serve: could not start the background jobs\n");
        return EXIT_FAILURE_RUNTIME;
    }
    ops_metrics_configure(config.http.db_target);
    config.http.metrics_gauges = ops_metrics_gauges;
    rc = http_serve(&config.http);
    jobs_stop();
    ops_metrics_close();
    command_serve_release();
    return rc;
}
