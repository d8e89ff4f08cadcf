/* metrics.h — the process's own numbers for GET /metrics (Prometheus text
 * exposition format 0.0.4): requests by route and status with latency
 * histograms, database time, background jobs, logins. Every counter is a
 * relaxed atomic, so any thread may count; metrics_render writes them with
 * the gauges the scrape reads at that moment (open connections, the outbox,
 * the catalog index). Route labels are the route table's patterns, so the
 * number of series is bounded by the table, never by what clients send. */
#ifndef ROUNDS_LIB_METRICS_H
#define ROUNDS_LIB_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"

enum { METRICS_MAX_ROUTES = 256 };

enum metrics_counter {
    METRIC_LOGINS,              /* successful logins (API and pages) */
    METRIC_LOGIN_FAILURES,      /* wrong email or password */
    METRIC_LOGINS_LIMITED,      /* refused with 429 before the password was checked */
    METRIC_JOB_ROUNDS,          /* rounds of the background jobs */
    METRIC_JOB_ROUNDS_FAILED,   /* rounds that failed (the database) */
    METRIC_JOB_EXPIRED,         /* offers and holds expired by the sweeper */
    METRIC_MAIL_SENT,
    METRIC_MAIL_FAILED,         /* delivery attempts that failed (retried later) */
    METRIC_DB_STEPS,            /* statement steps run */
    METRIC_COUNTER_COUNT,
};

struct metrics_gauges {
    int64_t open_connections;
    const int64_t *loop_connections; /* open connections of each event loop, loop_count of them */
    size_t loop_count;
    bool db_up;                  /* the scrape's database query answered */
    int64_t outbox_depth;        /* emails not sent yet */
    int64_t outbox_oldest_age;   /* seconds since the oldest of them was queued (0: none) */
    int64_t catalog_offerings;   /* offerings in this instance's search index */
    int64_t catalog_lag;         /* changes in the feed this instance has not applied yet */
};

void metrics_count(enum metrics_counter counter, uint64_t n);
/* One finished request: route is its index in the route table (-1: none matched). */
void metrics_request(int route, int status, double ms);
/* Time spent in one database step (counted as a step even when not timed). */
void metrics_db_time(double ms);
/* Whether database steps are timed: only where /metrics is served (two clock
 * reads per row cost a command walking a million rows a tenth of its time). */
void metrics_db_timing(bool on);
bool metrics_db_timed(void);
/* The whole exposition: route_names[i] labels route i. */
void metrics_render(struct buf *out, const char *const *route_names, size_t route_count,
                    const struct metrics_gauges *gauges);
/* Replies with a 5xx status so far (the whole-request fuzz target fails on any). */
uint64_t metrics_server_errors(void);
/* Tests: every counter back to zero. */
void metrics_reset(void);

#endif
