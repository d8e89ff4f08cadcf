/* server.h — the HTTP server: event-loop threads on libh2o, limits, graceful
 * shutdown. Everything h2o-specific stays in src/http/. */
#ifndef ROUNDS_HTTP_SERVER_H
#define ROUNDS_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/router.h"
#include "lib/metrics.h"

/* Connections of the request pool when the database is PostgreSQL and
 * ROUNDS_DB_POOL is not set: one per event loop, at least this many. Few
 * threads make big batches (a thread reads the sessions of all the requests
 * waiting for it in one query): on 2 cores and 2 loops, GET /api/v1/me ran
 * fastest with 2, slower with 3 or 4, and at two thirds of that with 8. */
#define HTTP_DB_POOL_PG_MIN 2 /* a literal, so that `rounds serve --help` can quote it (LIMIT_TEXT) */

/* Event loops when ROUNDS_THREADS is 0: this many per core. A loop the kernel
 * takes off its CPU (the database, the proxy and the loops share the cores)
 * holds every request of its connections until it runs again; with more loops
 * than cores each holds fewer, and the others keep answering. Under wrk on
 * 2 cores (16 connections) 2 loops answered an offering with a p99 of 5–8 ms,
 * 4 loops with 1.3–3.3 ms at 5–10 % fewer requests a second, 8 loops with
 * 0.5–1 ms at 15–25 % fewer. */
#define HTTP_LOOPS_PER_CORE 2 /* a literal, so that `rounds serve --help` can quote it (LIMIT_TEXT) */

struct http_options {
    const char *listen_host;          /* "127.0.0.1" */
    int listen_port;                  /* 8080; 0 picks a free port (see ready_file) */
    int threads;                      /* event loops; 0 = HTTP_LOOPS_PER_CORE per core */
    int workers;                      /* threads for slow work (password hashing); 0 = one per core */
    int db_pool;                      /* database connections that run requests off the event loops (0: the
                                         loops query themselves); -1: 0 for SQLite, one per core (at least
                                         HTTP_DB_POOL_PG_MIN) for PostgreSQL */
    const char *db_target;            /* SQLite path or postgres:// URL */
    const char *public_url;           /* "http://127.0.0.1:8080": Origin checks, links in emails */
    const char *data_dir;
    size_t max_body;                  /* default per-route body cap (1 MiB) */
    size_t max_upload;                /* one uploaded document (10 MiB); ROUTE_UPLOAD routes cap bodies at this + 64 KiB */
    int64_t upload_quota;             /* bytes of documents a student may keep (100 MiB) */
    const char *file_key_file;        /* the key that seals files at rest (default DATA_DIR/file.key) */
    const char *signing_key_file;     /* the Ed25519 key that signs documents (default DATA_DIR/signing.key) */
    int max_connections;              /* whole process */
    int max_connections_per_client;   /* per client address */
    int request_timeout_ms;           /* reading a request, and idle keep-alive */
    int idle_timeout_ms;              /* HTTP/2 idle */
    int shutdown_deadline_ms;         /* in-flight work gets this long after SIGTERM */
    int64_t session_idle_seconds;     /* 30 minutes */
    int64_t session_absolute_seconds; /* 12 hours */
    int login_failures_per_account_client; /* per 15 minutes, one account from one client address */
    int login_failures_per_account;   /* per 15 minutes, one account from everywhere */
    int login_failures_per_client;    /* per 15 minutes, one client address for every account */
    int password_resets_per_client;   /* password-reset links asked for from one client address per hour */
    int registrations_per_client;     /* accounts created per hour from one client address */
    unsigned two_factor_roles;        /* roles (1u << enum role) that must sign in with a second factor */
    bool trust_proxy;
    bool test_hooks;                  /* serve the ROUTE_TEST_HOOK routes (tests only) */
    const char *smtp_url;             /* ROUNDS_SMTP_URL; NULL: mail goes to DATA_DIR/mail */
    const char *mail_from;
    int64_t ticket_urgent_response_minutes; /* support tickets (domain/support.h): 120 */
    int64_t ticket_normal_response_hours;   /* business hours: 24 */
    int64_t ticket_urgent_resolve_hours;    /* 24 */
    int64_t ticket_normal_resolve_hours;    /* business hours: 72 */
    const char *oncall_email;               /* safety tickets also go here; NULL: none */
    int64_t messages_per_minute;            /* a user's sending limit (domain/messages.h): 20 */
    int jobs_interval_ms;             /* background jobs (expiry, outbox) every this often */                 /* take the client address from X-Forwarded-For when the peer is loopback */
    const char *ready_file;           /* when set, "host:port" is written here once listening */
    const char *metrics_host;         /* ROUNDS_METRICS_LISTEN: GET /metrics there; NULL: off */
    int metrics_port;
    /* Fills the gauges a scrape reads (the database, the catalog index); set by cmd_serve. */
    void (*metrics_gauges)(struct metrics_gauges *gauges);
    const struct route *routes;
    size_t route_count;
};

/* Serves until SIGINT or SIGTERM, then shuts down gracefully. Returns the
 * process exit status. */
int http_serve(const struct http_options *options);
/* Open client connections of the whole process (for the metrics). */
int64_t http_open_connections(void);
/* Open connections of each event loop (*count of them), in arena; NULL when
 * the server runs no loops or the arena is full. */
int64_t *http_loop_connections(struct arena *arena, size_t *count);

/* One event loop on the calling thread, without a listener: the same h2o
 * configuration, connection limits, pipeline and handlers as http_serve, fed
 * connections and turned by the caller (the whole-request fuzz target,
 * tests/fuzz/fuzz_http_request.c). Its requests query the loop's own
 * database connection (no pool); password hashing still runs on the
 * workers. Call from one thread only. */
struct db_conn;
int http_local_start(const struct http_options *options);
/* Serves the connected socket fd (taken over, closed by the loop). 0 or -1. */
int http_local_connect(int fd);
/* Runs the loop once, waiting at most timeout_ms for an event; true while a
 * connection is open or slow work is in flight. */
bool http_local_run(int timeout_ms);
/* The loop's database connection; closed and opened again around a swap of
 * the database file by the caller. */
struct db_conn *http_local_db(void);
void http_local_db_close(void);
int http_local_db_open(void);
/* Stops the workers and closes the database (the loop stays until exit). */
void http_local_stop(void);

#endif
