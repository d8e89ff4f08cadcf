/* stripe_standin.h — a small local HTTP stand-in for Stripe's API, started
 * by a test on a loopback port (ROUNDS_STRIPE_API_BASE points rounds at it).
 * It records every call — method, path, Authorization, Idempotency-Key and
 * the form fields — and answers in Stripe's documented shapes:
 *
 *   POST /v1/checkout/sessions  → 200 a Checkout Session {"id":"cs_test_…","object":"checkout.session",
 *                                 "url":"https://checkout.stripe.com/c/pay/cs_test_…", "amount_total", …}
 *   POST /v1/refunds            → 200 a Refund {"id":"re_…","object":"refund","status":"succeeded", …}
 *   anything else               → 404 {"error":{"type":"invalid_request_error","message":…}}
 *
 * Like Stripe, a request repeating an Idempotency-Key gets the first answer
 * again (and does not count as a new session or refund). `fail_next` makes
 * the next answers a 500 with Stripe's error shape, to test retries.
 *
 *   struct standin sd;
 *   standin_start(&sd);          // sd.base_url = "http://127.0.0.1:PORT"
 *   ... calls ...
 *   standin_stop(&sd);
 *
 * Header-only; every function is static inline. */
#ifndef ROUNDS_TESTS_STRIPE_STANDIN_H
#define ROUNDS_TESTS_STRIPE_STANDIN_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

enum { STANDIN_MAX_CALLS = 256, STANDIN_MAX_FIELDS = 48, STANDIN_REQUEST_MAX = 64 * 1024 };

struct standin_field {
    char name[96], value[512];
};

struct standin_call {
    char method[8], path[128], authorization[160], idempotency_key[160];
    struct standin_field fields[STANDIN_MAX_FIELDS];
    int field_count;
    bool replayed; /* an Idempotency-Key seen before: answered with the first reply */
    char reply[2048];
};

struct standin {
    int listen_fd, port;
    char base_url[64];
    pthread_t thread;
    atomic_bool stop;
    atomic_int fail_next; /* answer this many requests with a 500 */
    pthread_mutex_t lock;
    struct standin_call calls[STANDIN_MAX_CALLS];
    int call_count;
    int sessions, refunds;
};

/* %XX and '+' decoded in place. */
static inline void standin_unescape(char *s)
{
    char *out = s;
    for (char *p = s; *p != '\0'; p++) {
        if (*p == '+') {
            *out++ = ' ';
        } else if (*p == '%' && p[1] != '\0' && p[2] != '\0') {
            char hex[3] = {p[1], p[2], 0};
            *out++ = (char)strtol(hex, NULL, 16);
            p += 2;
        } else {
            *out++ = *p;
        }
    }
    *out = '\0';
}

static inline void standin_parse_form(struct standin_call *c, const char *body)
{
    char copy[STANDIN_REQUEST_MAX];
    snprintf(copy, sizeof(copy), "%s", body);
    for (char *pair = copy; pair != NULL && *pair != '\0' && c->field_count < STANDIN_MAX_FIELDS;) {
        char *amp = strchr(pair, '&');
        if (amp != NULL)
            *amp = '\0';
        char *eq = strchr(pair, '=');
        if (eq != NULL) {
            *eq = '\0';
            struct standin_field *f = &c->fields[c->field_count++];
            snprintf(f->name, sizeof(f->name), "%.95s", pair);
            snprintf(f->value, sizeof(f->value), "%.511s", eq + 1);
            standin_unescape(f->name);
            standin_unescape(f->value);
        }
        pair = amp != NULL ? amp + 1 : NULL;
    }
}

/* The value of a form field of a recorded call, or NULL. */
static inline const char *standin_field(const struct standin_call *c, const char *name)
{
    for (int i = 0; i < c->field_count; i++)
        if (strcmp(c->fields[i].name, name) == 0)
            return c->fields[i].value;
    return NULL;
}

/* A header's value from the request head (case-insensitive), into out. */
static inline void standin_header(const char *head, const char *name, char *out, size_t size)
{
    out[0] = '\0';
    size_t n = strlen(name);
    for (const char *line = strstr(head, "\r\n"); line != NULL; line = strstr(line + 2, "\r\n")) {
        const char *l = line + 2;
        if (strncasecmp(l, name, n) == 0 && l[n] == ':') {
            const char *v = l + n + 1;
            while (*v == ' ')
                v++;
            size_t len = strcspn(v, "\r\n");
            snprintf(out, size, "%.*s", (int)len, v);
            return;
        }
    }
}

static inline void standin_answer(struct standin *sd, struct standin_call *c, int *status)
{
    /* An Idempotency-Key seen before gets its first answer (Stripe keeps them 24 hours). */
    for (int i = 0; i < sd->call_count; i++)
        if (c->idempotency_key[0] != '\0' && strcmp(sd->calls[i].idempotency_key, c->idempotency_key) == 0 &&
            strcmp(sd->calls[i].path, c->path) == 0 && !sd->calls[i].replayed && sd->calls[i].reply[0] == '{' &&
            strstr(sd->calls[i].reply, "\"error\"") == NULL) {
            snprintf(c->reply, sizeof(c->reply), "%s", sd->calls[i].reply);
            c->replayed = true;
            *status = 200;
            return;
        }
    if (atomic_load(&sd->fail_next) > 0) {
        atomic_fetch_sub(&sd->fail_next, 1);
        snprintf(c->reply, sizeof(c->reply),
                 "{\"error\":{\"type\":\"api_error\",\"message\":\"Something went wrong on Stripe's end.\"}}");
        *status = 500;
        return;
    }
    if (strcmp(c->method, "POST") == 0 && strcmp(c->path, "/v1/checkout/sessions") == 0) {
        int n = ++sd->sessions;
        const char *amount = standin_field(c, "line_items[0][price_data][unit_amount]");
        const char *ref = standin_field(c, "client_reference_id");
        snprintf(c->reply, sizeof(c->reply),
                 "{\"id\":\"cs_test_standin%04d\",\"object\":\"checkout.session\",\"amount_total\":%s,"
                 "\"currency\":\"usd\",\"client_reference_id\":\"%s\",\"mode\":\"payment\",\"payment_intent\":null,"
                 "\"payment_status\":\"unpaid\",\"status\":\"open\","
                 "\"url\":\"https://checkout.stripe.com/c/pay/cs_test_standin%04d\"}",
                 n, amount != NULL ? amount : "0", ref != NULL ? ref : "", n);
        *status = 200;
        return;
    }
    if (strcmp(c->method, "POST") == 0 && strcmp(c->path, "/v1/refunds") == 0) {
        int n = ++sd->refunds;
        const char *amount = standin_field(c, "amount");
        const char *pi = standin_field(c, "payment_intent");
        snprintf(c->reply, sizeof(c->reply),
                 "{\"id\":\"re_standin%04d\",\"object\":\"refund\",\"amount\":%s,\"currency\":\"usd\","
                 "\"payment_intent\":\"%s\",\"status\":\"succeeded\"}",
                 n, amount != NULL ? amount : "0", pi != NULL ? pi : "");
        *status = 200;
        return;
    }
    snprintf(c->reply, sizeof(c->reply),
             "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Unrecognized request URL (%s: %s).\"}}",
             c->method, c->path);
    *status = 404;
}

static inline void standin_serve_one(struct standin *sd, int fd)
{
    char request[STANDIN_REQUEST_MAX];
    size_t len = 0;
    char *body = NULL;
    long content_length = -1;
    while (len + 1 < sizeof(request)) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 5000) <= 0)
            break;
        ssize_t n = read(fd, request + len, sizeof(request) - 1 - len);
        if (n <= 0)
            break;
        len += (size_t)n;
        request[len] = '\0';
        char *end = strstr(request, "\r\n\r\n");
        if (end != NULL && content_length < 0) {
            char value[32];
            *end = '\0';
            standin_header(request, "Content-Length", value, sizeof(value));
            *end = '\r';
            content_length = value[0] != '\0' ? strtol(value, NULL, 10) : 0;
            body = end + 4;
        }
        if (body != NULL && (long)(len - (size_t)(body - request)) >= content_length)
            break;
    }
    if (body == NULL)
        return;
    body[-4] = '\0';
    struct standin_call c;
    memset(&c, 0, sizeof(c));
    {
        const char *sp = strchr(request, ' ');
        const char *sp2 = sp != NULL ? strchr(sp + 1, ' ') : NULL;
        if (sp == NULL || sp2 == NULL)
            return;
        snprintf(c.method, sizeof(c.method), "%.*s", (int)(sp - request), request);
        snprintf(c.path, sizeof(c.path), "%.*s", (int)(sp2 - sp - 1), sp + 1);
    }
    standin_header(request, "Authorization", c.authorization, sizeof(c.authorization));
    standin_header(request, "Idempotency-Key", c.idempotency_key, sizeof(c.idempotency_key));
    standin_parse_form(&c, body);
    int status = 500;
    pthread_mutex_lock(&sd->lock);
    standin_answer(sd, &c, &status);
    if (sd->call_count < STANDIN_MAX_CALLS)
        sd->calls[sd->call_count++] = c;
    pthread_mutex_unlock(&sd->lock);
    char head[256];
    int n = snprintf(head, sizeof(head),
                     "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
                     "Request-Id: req_standin\r\nConnection: close\r\n\r\n",
                     status, status == 200 ? "OK" : "Error", strlen(c.reply));
    if (write(fd, head, (size_t)n) < 0 || write(fd, c.reply, strlen(c.reply)) < 0) {
        /* the client went away */
    }
}

static inline void *standin_main(void *arg)
{
    struct standin *sd = arg;
    while (!atomic_load(&sd->stop)) {
        struct pollfd p = {sd->listen_fd, POLLIN, 0};
        if (poll(&p, 1, 100) <= 0)
            continue;
        int fd = accept(sd->listen_fd, NULL, NULL);
        if (fd < 0)
            continue;
        standin_serve_one(sd, fd);
        close(fd);
    }
    return NULL;
}

static inline int standin_start(struct standin *sd)
{
    memset(sd, 0, sizeof(*sd));
    pthread_mutex_init(&sd->lock, NULL);
    sd->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK), .sin_port = 0};
    socklen_t alen = sizeof(addr);
    if (sd->listen_fd < 0 || bind(sd->listen_fd, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
        listen(sd->listen_fd, 64) != 0 || getsockname(sd->listen_fd, (struct sockaddr *)&addr, &alen) != 0)
        return -1;
    sd->port = ntohs(addr.sin_port);
    snprintf(sd->base_url, sizeof(sd->base_url), "http://127.0.0.1:%d", sd->port);
    return pthread_create(&sd->thread, NULL, standin_main, sd) == 0 ? 0 : -1;
}

static inline void standin_stop(struct standin *sd)
{
    atomic_store(&sd->stop, true);
    pthread_join(sd->thread, NULL);
    close(sd->listen_fd);
    pthread_mutex_destroy(&sd->lock);
}

/* The number of calls recorded to path (replays included when with_replays). */
static inline int standin_count(struct standin *sd, const char *path, bool with_replays)
{
    int n = 0;
    pthread_mutex_lock(&sd->lock);
    for (int i = 0; i < sd->call_count; i++)
        if (strcmp(sd->calls[i].path, path) == 0 && (with_replays || !sd->calls[i].replayed))
            n++;
    pthread_mutex_unlock(&sd->lock);
    return n;
}

/* A copy of the last call to path (false when there was none). */
static inline bool standin_last(struct standin *sd, const char *path, struct standin_call *out)
{
    bool found = false;
    pthread_mutex_lock(&sd->lock);
    for (int i = sd->call_count - 1; i >= 0 && !found; i--)
        if (strcmp(sd->calls[i].path, path) == 0) {
            *out = sd->calls[i];
            found = true;
        }
    pthread_mutex_unlock(&sd->lock);
    return found;
}

#endif
