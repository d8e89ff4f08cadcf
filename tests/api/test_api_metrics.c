/* test_api_metrics.c — GET /metrics on ROUNDS_METRICS_LISTEN (issue 18,
 * item 4) against the real `rounds serve`, on SQLite and PostgreSQL:
 *
 *   - the exposition parses with the Prometheus project's own parser
 *     (Debian's python3-prometheus-client) and its numbers are the ones the
 *     test caused: requests by route and status, the latency histogram,
 *     logins and failures, rounds of the background jobs, the outbox depth as
 *     the database has it, the catalog index's size;
 *   - the listener is off by default and apart from the users' port (which
 *     has no /metrics); bad requests to it get 400, 404, 405, and a client
 *     that sends nothing does not stop the next scrape;
 *   - a bad ROUNDS_METRICS_LISTEN or --metrics-listen stops the server
 *     from starting (exit 2), a port in use too (exit 1);
 *   - connections are spread evenly over the two event loops, whichever
 *     loop's listener the kernel gave them to (rounds_http_loop_connections),
 *     and each answers on the loop it ended on. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "api_client.h"
#include "test.h"

#define PASSWORD "Harbor-Violet-Summit-83!"
#define PEOPLE_PASSWORD PASSWORD
#include "api_people.h"
#include "api_suite.h"

static struct api_server server;
static int metrics_port;
static char metrics_flag[64];

/* A port nothing listens on right now (bound, read, closed). */
static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    int port = -1;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 && getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

static int connect_to(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

/* Sends raw bytes to the metrics port and reads the whole reply (heap); its status into *status. */
static char *metrics_raw(const char *request, int *status)
{
    *status = 0;
    int fd = connect_to(metrics_port);
    if (fd < 0)
        return NULL;
    send(fd, request, strlen(request), MSG_NOSIGNAL);
    size_t cap = 1 << 16, len = 0;
    char *reply = malloc(cap);
    ssize_t n;
    while (reply != NULL && (n = recv(fd, reply + len, cap - len - 1, 0)) > 0) {
        len += (size_t)n;
        if (len + 1 >= cap) {
            char *bigger = realloc(reply, cap * 2);
            if (bigger == NULL)
                break;
            reply = bigger;
            cap *= 2;
        }
    }
    close(fd);
    if (reply != NULL) {
        reply[len] = '\0';
        if (strncmp(reply, "HTTP/1.1 ", 9) == 0)
            *status = (int)strtol(reply + 9, NULL, 10);
    }
    return reply;
}

/* The exposition (the body of GET /metrics), or NULL. */
static char *scrape(void)
{
    int status;
    char *reply = metrics_raw("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", &status);
    char *body = reply != NULL ? strstr(reply, "\r\n\r\n") : NULL;
    if (status != 200 || body == NULL) {
        TEST_FAILF("GET /metrics answered %d", status);
        free(reply);
        return NULL;
    }
    CHECK_CONTAINS(reply, "Content-Type: text/plain; version=0.0.4");
    char *copy = strdup(body + 4);
    free(reply);
    return copy;
}

/* The exposition parsed by prometheus_client: one line per sample,
 * "name{label="value",…} value" with labels sorted, or NULL when it does not parse. */
static char *parse_with_prometheus(const char *text)
{
    char path[64];
    int fd = test_tmp_file(path, sizeof(path), "metrics");
    if (fd < 0)
        return NULL;
    if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
        close(fd);
        unlink(path);
        return NULL;
    }
    close(fd);
    char cmd[1024];
    snprintf(cmd, sizeof(cmd),
             "/usr/bin/python3 -c 'import sys\n"
             "from prometheus_client.parser import text_string_to_metric_families as parse\n"
             "for family in parse(open(sys.argv[1]).read()):\n"
             "    for s in family.samples:\n"
             "        labels = \",\".join(k + \"=\\\"\" + v + \"\\\"\" for k, v in sorted(s.labels.items()))\n"
             "        print(\"%%s{%%s} %%g\" %% (s.name, labels, s.value))\n"
             "' %s 2>&1; echo \"exit=$?\"",
             path);
    FILE *p = popen(cmd, "r");
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    size_t n;
    while (p != NULL && out != NULL && (n = fread(out + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (len + 1 >= cap) {
            char *bigger = realloc(out, cap * 2);
            if (bigger == NULL)
                break;
            out = bigger;
            cap *= 2;
        }
    }
    if (p != NULL)
        pclose(p);
    unlink(path);
    if (out != NULL)
        out[len] = '\0';
    if (out == NULL || strstr(out, "exit=0") == NULL) {
        TEST_FAILF("prometheus_client did not parse the exposition: %.600s", out != NULL ? out : "");
        free(out);
        return NULL;
    }
    return out;
}

/* The value of the sample line that starts with key ("name{labels}"), or -1. */
static double sample(const char *parsed, const char *key)
{
    size_t klen = strlen(key);
    for (const char *line = parsed; line != NULL && *line != '\0';) {
        if (strncmp(line, key, klen) == 0 && line[klen] == ' ')
            return strtod(line + klen + 1, NULL);
        line = strchr(line, '\n');
        if (line != NULL)
            line++;
    }
    return -1;
}

static void get_status(const char *path, long want)
{
    struct api_response r;
    api_request(&r, "GET", path, NULL, NULL);
    CHECK_INT(r.status, want);
    api_free(&r);
}

TEST(exposition_counts_what_happened)
{
    struct user s;
    CHECK(register_student(&s, "metrics"));
    struct user wrong = s;
    struct api_response r;
    api_request(&r, "POST", "/api/v1/auth/login", NULL, "{\"email\":\"nobody-metrics@example.test\",\"password\":\"x\"}");
    CHECK_INT(r.status, 401);
    api_free(&r);
    CHECK(login(&wrong));
    for (int i = 0; i < 3; i++)
        get_status("/healthz", 200);
    get_status("/api/v1/offerings/no-such-offering", 404);
    api_request(&r, "POST", "/api/v1/test/jobs", NULL, "{}");
    CHECK_INT(r.status, 200);
    api_free(&r);

    char *text = scrape();
    char *parsed = text != NULL ? parse_with_prometheus(text) : NULL;
    if (parsed == NULL) {
        free(text);
        return;
    }
    CHECK(sample(parsed, "rounds_http_requests_total{route=\"GET /healthz\",status=\"200\"}") == 3);
    CHECK(sample(parsed, "rounds_http_request_duration_seconds_count{route=\"GET /healthz\"}") == 3);
    CHECK(sample(parsed, "rounds_http_request_duration_seconds_bucket{le=\"+Inf\",route=\"GET /healthz\"}") == 3);
    CHECK(sample(parsed, "rounds_http_request_duration_seconds_sum{route=\"GET /healthz\"}") >= 0);
    CHECK(sample(parsed, "rounds_http_requests_total{route=\"GET /api/v1/offerings/{id}\",status=\"404\"}") == 1);
    CHECK(sample(parsed, "rounds_http_requests_total{route=\"POST /api/v1/auth/login\",status=\"401\"}") == 1);
    CHECK(sample(parsed, "rounds_http_requests_total{route=\"POST /api/v1/auth/login\",status=\"200\"}") == 1);
    CHECK(sample(parsed, "rounds_http_requests_total{route=\"POST /api/v1/auth/register\",status=\"201\"}") == 1);
    CHECK(sample(parsed, "rounds_logins_total{}") == 1);
    CHECK(sample(parsed, "rounds_login_failures_total{}") == 1);
    CHECK(sample(parsed, "rounds_logins_rate_limited_total{}") == 0);
    CHECK(sample(parsed, "rounds_job_rounds_total{}") == 1);
    CHECK(sample(parsed, "rounds_job_rounds_failed_total{}") == 0);
    CHECK(sample(parsed, "rounds_db_steps_total{}") > 0);
    CHECK(sample(parsed, "rounds_db_step_seconds_total{}") >= 0);
    CHECK(sample(parsed, "rounds_db_up{}") == 1);
    CHECK(sample(parsed, "rounds_http_open_connections{}") >= 0);
    CHECK(sample(parsed, "rounds_catalog_index_offerings{}") >= 0);
    CHECK(sample(parsed, "rounds_catalog_index_lag_changes{}") >= 0);
    struct db_conn *conn = api_db_open(&server);
    long long unsent = api_db_int(conn, "SELECT count(*) FROM outbox WHERE sent_at IS NULL", NULL, NULL);
    CHECK(sample(parsed, "rounds_outbox_depth{}") == (double)unsent);
    CHECK(sample(parsed, "rounds_outbox_oldest_age_seconds{}") >= 0);
    if (conn != NULL)
        db_close(conn);
    /* Labels come from the route table, never from what clients send. */
    CHECK(strstr(text, "no-such-offering") == NULL);
    free(parsed);
    free(text);

    /* Counters only grow: two more requests later, the count is 5. */
    get_status("/healthz", 200);
    get_status("/healthz", 200);
    text = scrape();
    parsed = text != NULL ? parse_with_prometheus(text) : NULL;
    CHECK(parsed != NULL && sample(parsed, "rounds_http_requests_total{route=\"GET /healthz\",status=\"200\"}") == 5);
    free(parsed);
    free(text);
}

/* Sends GET /healthz on fd and reads its whole reply: true when it is a 200. */
static bool healthz_on(int fd)
{
    static const char request[] = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    if (send(fd, request, sizeof(request) - 1, MSG_NOSIGNAL) != (ssize_t)(sizeof(request) - 1))
        return false;
    char reply[1024];
    size_t len = 0;
    while (len + 1 < sizeof(reply)) {
        ssize_t n = recv(fd, reply + len, sizeof(reply) - 1 - len, 0);
        if (n <= 0)
            return false;
        len += (size_t)n;
        reply[len] = '\0';
        if (strstr(reply, "\"ok\"}") != NULL)
            return strncmp(reply, "HTTP/1.1 200", 12) == 0;
    }
    return false;
}

/* rounds_http_loop_connections of loops 0 and 1 (-1: not in the scrape). */
static void loop_connections(double *loop0, double *loop1)
{
    *loop0 = *loop1 = -1;
    char *text = scrape();
    char *parsed = text != NULL ? parse_with_prometheus(text) : NULL;
    if (parsed != NULL) {
        *loop0 = sample(parsed, "rounds_http_loop_connections{loop=\"0\"}");
        *loop1 = sample(parsed, "rounds_http_loop_connections{loop=\"1\"}");
        CHECK(sample(parsed, "rounds_http_loop_connections{loop=\"2\"}") == -1); /* --threads 2 */
    }
    free(parsed);
    free(text);
}

/* The kernel hands a connection to one of the loops' listeners by a hash of
 * its address and port: 16 connections came 11/6 or 12/5 as often as 8/8. A
 * loop holding more than another hands what it accepts over, so 16
 * connections opened one after the other end up even (±1), and each answers. */
TEST(connections_are_spread_over_the_loops)
{
    enum { OPENED = 16 };
    double before0, before1, after0, after1;
    loop_connections(&before0, &before1);
    CHECK(before0 >= 0 && before1 >= 0);
    int fds[OPENED];
    for (int i = 0; i < OPENED; i++) {
        fds[i] = connect_to(server.port);
        CHECK(fds[i] >= 0 && healthz_on(fds[i])); /* answered: counted by the loop that kept it */
    }
    loop_connections(&after0, &after1);
    CHECK(after0 + after1 == before0 + before1 + OPENED);
    CHECK(after0 - after1 <= 1 && after1 - after0 <= 1);
    if (!(after0 - after1 <= 1 && after1 - after0 <= 1))
        printf("# loops hold %g and %g connections (before: %g and %g)\n", after0, after1, before0, before1);
    /* Every connection, wherever it ended, answers a second request. */
    int answered = 0;
    for (int i = 0; i < OPENED; i++) {
        if (fds[i] >= 0 && healthz_on(fds[i]))
            answered++;
        if (fds[i] >= 0)
            close(fds[i]);
    }
    CHECK_INT(answered, OPENED);
}

TEST(metrics_listener_refuses_bad_requests)
{
    int status;
    char *reply = metrics_raw("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", &status);
    CHECK_INT(status, 405);
    CHECK_CONTAINS(reply, "Allow: GET, HEAD");
    free(reply);
    reply = metrics_raw("GET /api/v1/me HTTP/1.1\r\n\r\n", &status);
    CHECK_INT(status, 404);
    free(reply);
    static const char *const garbage[] = {"\r\n\r\n", "GET\r\n\r\n", "GET /metrics\r\n\r\n", "GET metrics HTTP/1.1\r\n\r\n",
                                          "GET /metrics HTTP/2.0\r\n\r\n", "G\x01T /metrics HTTP/1.1\r\n\r\n",
                                          "GET /met\x7frics HTTP/1.1\r\n\r\n", NULL};
    for (size_t i = 0; garbage[i] != NULL; i++) {
        reply = metrics_raw(garbage[i], &status);
        if (status != 400)
            TEST_FAILF("request %zu answered %d, expected 400", i, status);
        free(reply);
    }
    reply = metrics_raw("HEAD /metrics?x=1 HTTP/1.0\r\n\r\n", &status);
    CHECK_INT(status, 200);
    CHECK(reply != NULL && strstr(reply, "rounds_") == NULL); /* HEAD: headers only */
    free(reply);

    /* A client that connects and sends nothing holds the listener for at most its read timeout. */
    int idle = connect_to(metrics_port);
    CHECK(idle >= 0);
    double started = api_now_ms();
    char *text = scrape();
    CHECK(text != NULL);
    CHECK(api_now_ms() - started < 10000);
    free(text);
    if (idle >= 0)
        close(idle);

    /* The users' listener has no /metrics. */
    get_status("/metrics", 404);
}

TEST(metrics_are_off_by_default_and_bad_settings_stop_the_server)
{
    struct api_server plain;
    int port = free_port();
    if (api_server_start(&plain, NULL) == 0) {
        int fd = connect_to(port);
        CHECK(fd < 0); /* nothing listens for metrics */
        if (fd >= 0)
            close(fd);
        int stopped = api_server_stop(&plain);
        CHECK_INT(stopped, 0);
        if (stopped != 0)
            api_server_print_log(&plain, 40);
        api_server_cleanup(&plain);
    } else {
        TEST_FAILF("a server without metrics did not start");
    }
    api_use(&server);

    struct api_cli_result res;
    static const char *const bad[] = {"nonsense", "127.0.0.1:0", "127.0.0.1:70000", ":9100", NULL};
    for (size_t i = 0; bad[i] != NULL; i++) {
        const char *args[] = {"serve", "--metrics-listen", bad[i], NULL};
        CHECK_INT(api_cli(server.db, args, NULL, &res), 2);
        CHECK_CONTAINS(res.err, "listen address");
        api_cli_free(&res);
    }
    setenv("ROUNDS_METRICS_LISTEN", "not-an-address", 1);
    const char *env_args[] = {"serve", NULL};
    CHECK_INT(api_cli(server.db, env_args, NULL, &res), 2);
    CHECK_CONTAINS(res.err, "not-an-address");
    api_cli_free(&res);
    unsetenv("ROUNDS_METRICS_LISTEN");

    /* The port the running server's metrics hold: a second server cannot start there. */
    char data_dir[300];
    snprintf(data_dir, sizeof(data_dir), "%s/data", server.dir);
    const char *taken[] = {"serve", "--metrics-listen", metrics_flag, "--data-dir", data_dir, NULL};
    CHECK_INT(api_cli(server.db, taken, NULL, &res), 1);
    CHECK_CONTAINS(res.err, "cannot listen for metrics");
    api_cli_free(&res);
}

static void run_tests(void)
{
    RUN(exposition_counts_what_happened);
    RUN(connections_are_spread_over_the_loops);
    RUN(metrics_listener_refuses_bad_requests);
    RUN(metrics_are_off_by_default_and_bad_settings_stop_the_server);
}

int main(void)
{
    metrics_port = free_port();
    snprintf(metrics_flag, sizeof(metrics_flag), "127.0.0.1:%d", metrics_port);
    if (metrics_port <= 0)
        return 1;
    static const char *const flags[] = {"--metrics-listen", metrics_flag, "--test-hooks", "1", "--jobs-interval-ms", "0",
                                        "--threads", "2", NULL};
    static const struct api_suite suite = {
        .name = "test_api_metrics", .server = &server, .flags = flags, .run = run_tests};
    return api_suite_main(&suite);
}
