/* metrics.c — counters, histograms and their exposition (see metrics.h). */
#include "lib/metrics.h"

#include <stdatomic.h>
#include <string.h>

/* Latency buckets (upper bounds, seconds), Prometheus' usual spread from 1 ms to 10 s. */
static const double bucket_bounds[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
enum { BUCKETS = sizeof(bucket_bounds) / sizeof(bucket_bounds[0]) };

/* The statuses Rounds answers with; anything else counts as "other". */
static const int statuses[] = {200, 201, 204, 301, 302, 303, 304, 400, 401, 403, 404, 405,
                               406, 409, 410, 411, 413, 415, 422, 429, 431, 500, 502, 503};
enum { STATUSES = sizeof(statuses) / sizeof(statuses[0]), STATUS_OTHER = STATUSES };

/* Slot METRICS_MAX_ROUTES is "no route matched". */
struct route_metrics {
    atomic_uint_fast64_t by_status[STATUSES + 1];
    atomic_uint_fast64_t buckets[BUCKETS]; /* non-cumulative; summed when written */
    atomic_uint_fast64_t count;
    atomic_uint_fast64_t sum_us;
};

static struct route_metrics routes[METRICS_MAX_ROUTES + 1];
static atomic_uint_fast64_t counters[METRIC_COUNTER_COUNT];
static atomic_uint_fast64_t db_time_us;
static atomic_uint_fast64_t server_errors;
static atomic_bool db_timing;

static const struct {
    const char *name, *help;
} counter_info[METRIC_COUNTER_COUNT] = {
    [METRIC_LOGINS] = {"rounds_logins_total", "Successful logins."},
    [METRIC_LOGIN_FAILURES] = {"rounds_login_failures_total", "Logins refused for a wrong email or password."},
    [METRIC_LOGINS_LIMITED] = {"rounds_logins_rate_limited_total", "Logins refused by the login limits (429)."},
    [METRIC_JOB_ROUNDS] = {"rounds_job_rounds_total", "Rounds of the background jobs run."},
    [METRIC_JOB_ROUNDS_FAILED] = {"rounds_job_rounds_failed_total", "Rounds of the background jobs that failed."},
    [METRIC_JOB_EXPIRED] = {"rounds_job_expired_total", "Offers and holds expired by the sweeper."},
    [METRIC_MAIL_SENT] = {"rounds_mail_sent_total", "Emails delivered from the outbox."},
    [METRIC_MAIL_FAILED] = {"rounds_mail_failed_total", "Email delivery attempts that failed (retried later)."},
    [METRIC_DB_STEPS] = {"rounds_db_steps_total", "Database statement steps run."},
};

void metrics_count(enum metrics_counter counter, uint64_t n)
{
    if ((unsigned)counter < METRIC_COUNTER_COUNT)
        atomic_fetch_add_explicit(&counters[counter], n, memory_order_relaxed);
}

void metrics_db_time(double ms)
{
    atomic_fetch_add_explicit(&counters[METRIC_DB_STEPS], 1, memory_order_relaxed);
    if (ms > 0)
        atomic_fetch_add_explicit(&db_time_us, (uint64_t)(ms * 1000.0), memory_order_relaxed);
}

uint64_t metrics_server_errors(void)
{
    return atomic_load_explicit(&server_errors, memory_order_relaxed);
}

void metrics_db_timing(bool on)
{
    atomic_store_explicit(&db_timing, on, memory_order_relaxed);
}

bool metrics_db_timed(void)
{
    return atomic_load_explicit(&db_timing, memory_order_relaxed);
}

void metrics_request(int route, int status, double ms)
{
    struct route_metrics *m = &routes[route >= 0 && route < METRICS_MAX_ROUTES ? route : METRICS_MAX_ROUTES];
    size_t slot = STATUS_OTHER;
    for (size_t i = 0; i < STATUSES; i++)
        if (statuses[i] == status)
            slot = i;
    atomic_fetch_add_explicit(&m->by_status[slot], 1, memory_order_relaxed);
    if (status >= 500)
        atomic_fetch_add_explicit(&server_errors, 1, memory_order_relaxed);
    double seconds = ms > 0 ? ms / 1000.0 : 0;
    size_t b = 0;
    while (b < BUCKETS && seconds > bucket_bounds[b])
        b++;
    if (b < BUCKETS)
        atomic_fetch_add_explicit(&m->buckets[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->count, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->sum_us, (uint64_t)(seconds * 1e6), memory_order_relaxed);
}

void metrics_reset(void)
{
    memset(routes, 0, sizeof(routes));
    memset(counters, 0, sizeof(counters));
    atomic_store(&db_time_us, 0);
    atomic_store(&server_errors, 0);
}

static uint64_t load(atomic_uint_fast64_t *v)
{
    return atomic_load_explicit(v, memory_order_relaxed);
}

/* A label value with Prometheus' escapes (backslash, double quote, newline). */
static void append_label(struct buf *out, const char *value)
{
    for (const char *p = value; *p != '\0'; p++) {
        if (*p == '\\' || *p == '"')
            buf_append_char(out, '\\');
        if (*p == '\n')
            buf_append_str(out, "\\n");
        else
            buf_append_char(out, *p);
    }
}

static void append_route_label(struct buf *out, const char *const *names, size_t count, size_t route)
{
    buf_append_str(out, "route=\"");
    append_label(out, route < count && names[route] != NULL ? names[route] : "unmatched");
    buf_append_char(out, '"');
}

static void write_requests(struct buf *out, const char *const *names, size_t count)
{
    buf_append_str(out, "# HELP rounds_http_requests_total HTTP requests answered, by route pattern and status.\n"
                        "# TYPE rounds_http_requests_total counter\n");
    for (size_t r = 0; r <= METRICS_MAX_ROUTES; r++) {
        if (load(&routes[r].count) == 0)
            continue;
        for (size_t s = 0; s <= STATUSES; s++) {
            uint64_t n = load(&routes[r].by_status[s]);
            if (n == 0)
                continue;
            buf_append_str(out, "rounds_http_requests_total{");
            append_route_label(out, names, r < METRICS_MAX_ROUTES ? count : 0, r);
            if (s < STATUSES)
                buf_appendf(out, ",status=\"%d\"} %llu\n", statuses[s], (unsigned long long)n);
            else
                buf_appendf(out, ",status=\"other\"} %llu\n", (unsigned long long)n);
        }
    }
    buf_append_str(out, "# HELP rounds_http_request_duration_seconds Time from routing to the reply, by route pattern.\n"
                        "# TYPE rounds_http_request_duration_seconds histogram\n");
    for (size_t r = 0; r <= METRICS_MAX_ROUTES; r++) {
        uint64_t total = load(&routes[r].count);
        if (total == 0)
            continue;
        uint64_t cumulative = 0;
        for (size_t b = 0; b <= BUCKETS; b++) {
            buf_append_str(out, "rounds_http_request_duration_seconds_bucket{");
            append_route_label(out, names, r < METRICS_MAX_ROUTES ? count : 0, r);
            if (b < BUCKETS) {
                cumulative += load(&routes[r].buckets[b]);
                buf_appendf(out, ",le=\"%g\"} %llu\n", bucket_bounds[b], (unsigned long long)cumulative);
            } else {
                buf_appendf(out, ",le=\"+Inf\"} %llu\n", (unsigned long long)total);
            }
        }
        buf_append_str(out, "rounds_http_request_duration_seconds_sum{");
        append_route_label(out, names, r < METRICS_MAX_ROUTES ? count : 0, r);
        buf_appendf(out, "} %.6f\n", (double)load(&routes[r].sum_us) / 1e6);
        buf_append_str(out, "rounds_http_request_duration_seconds_count{");
        append_route_label(out, names, r < METRICS_MAX_ROUTES ? count : 0, r);
        buf_appendf(out, "} %llu\n", (unsigned long long)total);
    }
}

static void write_gauge(struct buf *out, const char *name, const char *help, int64_t value)
{
    buf_appendf(out, "# HELP %s %s\n# TYPE %s gauge\n%s %lld\n", name, help, name, name, (long long)value);
}

void metrics_render(struct buf *out, const char *const *route_names, size_t route_count,
                    const struct metrics_gauges *g)
{
    write_requests(out, route_names, route_count);
    for (size_t i = 0; i < METRIC_COUNTER_COUNT; i++)
        buf_appendf(out, "# HELP %s %s\n# TYPE %s counter\n%s %llu\n", counter_info[i].name, counter_info[i].help,
                    counter_info[i].name, counter_info[i].name, (unsigned long long)load(&counters[i]));
    buf_appendf(out,
                "# HELP rounds_db_step_seconds_total Time spent in database statement steps.\n"
                "# TYPE rounds_db_step_seconds_total counter\nrounds_db_step_seconds_total %.6f\n",
                (double)load(&db_time_us) / 1e6);
    write_gauge(out, "rounds_http_open_connections", "Open client connections.", g->open_connections);
    buf_append_str(out, "# HELP rounds_http_loop_connections Open client connections of each event loop.\n"
                        "# TYPE rounds_http_loop_connections gauge\n");
    for (size_t i = 0; i < g->loop_count; i++)
        buf_appendf(out, "rounds_http_loop_connections{loop=\"%zu\"} %lld\n", i, (long long)g->loop_connections[i]);
    write_gauge(out, "rounds_db_up", "1 when the scrape's database query answered.", g->db_up ? 1 : 0);
    write_gauge(out, "rounds_outbox_depth", "Emails in the outbox not sent yet.", g->outbox_depth);
    write_gauge(out, "rounds_outbox_oldest_age_seconds", "Age of the oldest email not sent yet (0: none).",
                g->outbox_oldest_age);
    write_gauge(out, "rounds_catalog_index_offerings", "Offerings in this instance's search index.",
                g->catalog_offerings);
    write_gauge(out, "rounds_catalog_index_lag_changes",
                "Catalog changes in the database this instance's index has not applied yet.", g->catalog_lag);
}
