/* metrics_server.c — GET /metrics on its own address (ROUNDS_METRICS_LISTEN),
 * apart from the users' listener so that it need not be exposed with it.
 *
 * One thread with a blocking socket: a scraper asks every few seconds, so
 * connections are taken one at a time, each read with a short timeout,
 * answered and closed (HTTP/1.x, Connection: close). The exposition is
 * lib/metrics.c's counters with the gauges of the moment: open connections
 * here, the database and catalog index through options->metrics_gauges. */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "http/internal.h"
#include "http/metrics_server.h"
#include "http/parse.h"
#include "lib/limits.h"
#include "lib/log.h"
#include "lib/metrics.h"

enum { METRICS_REQUEST_MAX = 8192, METRICS_READ_TIMEOUT_MS = 2000 };

static struct {
    pthread_t thread;
    int fd;
    atomic_bool stopping;
    bool running;
    const struct http_options *options;
    const char **route_names; /* NULL-terminated */
} metrics = {.fd = -1};

static int open_socket(const char *host, int port)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE};
    struct addrinfo *res = NULL;
    char service[16];
    snprintf(service, sizeof(service), "%d", port);
    if (getaddrinfo(host, service, &hints, &res) != 0 || res == NULL) {
        log_error("msg=\"cannot resolve the metrics listen address\" host=%s", host);
        return -1;
    }
    int fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int on = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) != 0 ||
        bind(fd, res->ai_addr, res->ai_addrlen) != 0 || listen(fd, 16) != 0) {
        log_error("msg=\"cannot listen for metrics\" host=%s port=%d error=\"%s\"", host, port, strerror(errno));
        if (fd >= 0)
            close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}

static void send_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        data += n;
        len -= (size_t)n;
    }
}

static void reply(int fd, int status, const char *reason, const char *extra_header, const char *type,
                  const char *body, size_t len, bool head)
{
    char header[512];
    int n = snprintf(header, sizeof(header),
                     "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%sConnection: close\r\n\r\n",
                     status, reason, type, len, extra_header != NULL ? extra_header : "");
    if (n > 0 && (size_t)n < sizeof(header))
        send_all(fd, header, (size_t)n);
    if (!head)
        send_all(fd, body, len);
}

/* Reads until the end of the headers (or the cap, or the timeout). */
static size_t read_request(int fd, char *buf, size_t size)
{
    struct timeval timeout = {METRICS_READ_TIMEOUT_MS / 1000, (METRICS_READ_TIMEOUT_MS % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    size_t len = 0;
    while (len + 1 < size) {
        ssize_t n = recv(fd, buf + len, size - 1 - len, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
        buf[len] = '\0';
        if (strstr(buf, "\r\n\r\n") != NULL)
            break;
    }
    return len;
}

static void serve_one(int fd)
{
    static const char text_type[] = "text/plain; charset=utf-8";
    char request[METRICS_REQUEST_MAX], method[16], path[256];
    size_t len = read_request(fd, request, sizeof(request));
    if (!http_parse_request_line(request, len, method, sizeof(method), path, sizeof(path))) {
        reply(fd, 400, "Bad Request", NULL, text_type, "bad request\n", 12, false);
        return;
    }
    bool head = strcmp(method, "HEAD") == 0;
    if (strcmp(method, "GET") != 0 && !head) {
        reply(fd, 405, "Method Not Allowed", "Allow: GET, HEAD\r\n", text_type, "GET /metrics\n", 13, false);
        return;
    }
    if (strcmp(path, "/metrics") != 0) {
        reply(fd, 404, "Not Found", NULL, text_type, "GET /metrics\n", 13, head);
        return;
    }
    struct arena arena;
    arena_heap_init(&arena);
    struct buf out;
    buf_init(&out, &arena, BUF_CAP_LONG_LIST);
    struct metrics_gauges gauges = {.open_connections = http_open_connections()};
    gauges.loop_connections = http_loop_connections(&arena, &gauges.loop_count);
    if (metrics.options->metrics_gauges != NULL)
        metrics.options->metrics_gauges(&gauges);
    metrics_render(&out, metrics.route_names, metrics.options->route_count, &gauges);
    if (buf_ok(&out))
        reply(fd, 200, "OK", NULL, "text/plain; version=0.0.4; charset=utf-8", out.data, out.len, head);
    else
        reply(fd, 500, "Internal Server Error", NULL, text_type, "metrics too large\n", 18, head);
    arena_heap_free(&arena);
}

static void *metrics_main(void *arg)
{
    (void)arg;
    while (!atomic_load(&metrics.stopping)) {
        struct pollfd p = {.fd = metrics.fd, .events = POLLIN};
        if (poll(&p, 1, 200) <= 0)
            continue;
        int client = accept4(metrics.fd, NULL, NULL, SOCK_CLOEXEC);
        if (client < 0)
            continue;
        serve_one(client);
        close(client);
    }
    return NULL;
}

/* "GET /api/v1/me", "GET,POST /login": the methods and pattern of a route (heap). */
static char *route_name(const struct route *route)
{
    char name[BUF_CAP_LINE];
    size_t len = 0;
    for (unsigned bit = 1; bit <= HTTP_OPTIONS; bit <<= 1) {
        if (!(route->methods & bit))
            continue;
        int n = snprintf(name + len, sizeof(name) - len, "%s%s", len > 0 ? "," : "",
                         http_method_name((enum http_method)bit));
        if (n < 0 || (size_t)n >= sizeof(name) - len)
            return NULL;
        len += (size_t)n;
    }
    snprintf(name + len, sizeof(name) - len, " %s", route->pattern);
    return strdup(name);
}

int http_metrics_start(const struct http_options *options)
{
    if (options->metrics_host == NULL)
        return 0;
    metrics_db_timing(true);
    metrics.options = options;
    metrics.route_names = calloc(options->route_count + 1, sizeof(*metrics.route_names));
    if (metrics.route_names == NULL)
        return -1;
    for (size_t i = 0; i < options->route_count; i++)
        if ((metrics.route_names[i] = route_name(&options->routes[i])) == NULL)
            return -1;
    metrics.fd = open_socket(options->metrics_host, options->metrics_port);
    if (metrics.fd < 0)
        return -1;
    atomic_store(&metrics.stopping, false);
    if (pthread_create(&metrics.thread, NULL, metrics_main, NULL) != 0) {
        close(metrics.fd);
        metrics.fd = -1;
        return -1;
    }
    metrics.running = true;
    log_info("msg=\"serving metrics\" addr=%s:%d path=/metrics", options->metrics_host, options->metrics_port);
    return 0;
}

void http_metrics_stop(void)
{
    if (metrics.running) {
        atomic_store(&metrics.stopping, true);
        pthread_join(metrics.thread, NULL);
        metrics.running = false;
    }
    if (metrics.fd >= 0)
        close(metrics.fd);
    metrics.fd = -1;
    for (size_t i = 0; metrics.route_names != NULL && metrics.route_names[i] != NULL; i++)
        free((char *)metrics.route_names[i]);
    free(metrics.route_names);
    metrics.route_names = NULL;
}
