/* request.c — from an h2o request to a handler and back: routing, body caps,
 * media types, authentication and CSRF, then replies with the security
 * headers, the request id and one access-log line. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "http/internal.h"
#include "lib/clock.h"
#include "lib/json_spec.h"
#include "lib/limits.h"
#include "lib/log.h"
#include "lib/text.h"
#include "lib/metrics.h"
#include "lib/utf8.h"
#include "store/applications.h"

static http_html_error_fn html_error_renderer;

void http_set_html_error_renderer(http_html_error_fn fn)
{
    html_error_renderer = fn;
}

static h2o_req_t *h2o_of(struct http_request *req)
{
    return req->internal;
}

/* h2o's pool does not align; the arena needs max_align_t alignment. */
static void *pool_alloc(void *pool, size_t size)
{
    size_t align = alignof(max_align_t);
    char *p = h2o_mem_alloc_pool(pool, size + align - 1);
    uintptr_t aligned = ((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1);
    return (void *)aligned;
}

/* ---- reading ---- */

const char *http_param(struct http_request *req, const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 0; i < req->match.param_count; i++) {
        const struct route_param *p = &req->match.params[i];
        if (p->name_len == len && memcmp(p->name, name, len) == 0)
            return arena_strndup(&req->arena, p->value, p->value_len);
    }
    return NULL;
}

const char *http_header(struct http_request *req, const char *name)
{
    if (req->detached != NULL) {
        size_t n = strlen(name);
        for (size_t i = 0; i < req->detached->in_count; i++)
            if (req->detached->in[i].name_len == n && strncasecmp(req->detached->in[i].name, name, n) == 0)
                return req->detached->in[i].value;
        return NULL;
    }
    h2o_req_t *r = h2o_of(req);
    ssize_t i = h2o_find_header_by_str(&r->headers, name, strlen(name), -1);
    if (i < 0)
        return NULL;
    h2o_iovec_t v = r->headers.entries[i].value;
    return arena_strndup(&req->arena, v.base, v.len);
}

/* The cookie name in one Cookie header value, or NULL. */
static const char *cookie_in(struct http_request *req, const char *value, size_t len, const char *name)
{
    size_t start = 0;
    while (start < len) {
        size_t end = start;
        while (end < len && value[end] != ';')
            end++;
        struct http_kv_list pair;
        if (http_parse_cookies(&req->arena, value + start, end - start, 1, &pair) == HTTP_PARSE_OK &&
            pair.count == 1 && strcmp(pair.items[0].name, name) == 0)
            return pair.items[0].value;
        start = end + 1;
    }
    return NULL;
}

const char *http_cookie(struct http_request *req, const char *name)
{
    /* HTTP/2 may split cookies over several headers: look in each. Each pair
     * is parsed on its own, so that a malformed cookie of another application
     * on the same host does not hide ours. */
    const char *found = NULL;
    if (req->detached != NULL) {
        for (size_t i = 0; i < req->detached->in_count && found == NULL; i++)
            if (strcmp(req->detached->in[i].name, "cookie") == 0)
                found = cookie_in(req, req->detached->in[i].value, req->detached->in[i].value_len, name);
        return found;
    }
    h2o_req_t *r = h2o_of(req);
    for (ssize_t i = -1; found == NULL && (i = h2o_find_header(&r->headers, H2O_TOKEN_COOKIE, i)) >= 0;)
        found = cookie_in(req, r->headers.entries[i].value.base, r->headers.entries[i].value.len, name);
    return found;
}

static struct http_kv_list *parsed_query(struct http_request *req, enum http_parse_status *status)
{
    struct http_kv_list *list = arena_calloc(&req->arena, 1, sizeof(*list));
    *status = list == NULL ? HTTP_PARSE_NO_MEMORY
                           : http_parse_urlencoded(&req->arena, req->query, req->query_len, 64, list);
    return list;
}

int http_query(struct http_request *req, struct http_kv_list **out)
{
    if (req->query_params != NULL) {
        *out = req->query_params;
        return 0;
    }
    enum http_parse_status status;
    *out = parsed_query(req, &status);
    if (status != HTTP_PARSE_OK) {
        http_reply_error(req, ERR_BAD_REQUEST, NULL, "the query string is malformed");
        return -1;
    }
    return 0;
}

const char *http_form(struct http_request *req, const char *name)
{
    return http_kv_get(&req->form, name);
}

const struct http_part *http_part(struct http_request *req, const char *name)
{
    return http_part_get(&req->parts, name);
}

/* ---- replying ---- */

/* Records a reply header of a detached request (copies in its arena). */
static void record_header(struct http_request *req, const char *lower, size_t name_len, const char *value)
{
    struct http_detached *d = req->detached;
    if (d->out_count == d->out_capacity) {
        size_t cap = d->out_capacity ? d->out_capacity * 2 : 16;
        struct http_header_copy *grown = arena_alloc(&req->arena, cap * sizeof(*grown));
        if (grown == NULL)
            return;
        if (d->out_count > 0)
            memcpy(grown, d->out, d->out_count * sizeof(*grown));
        d->out = grown;
        d->out_capacity = cap;
    }
    size_t value_len = strlen(value);
    const char *copy = arena_strndup(&req->arena, value, value_len);
    if (copy != NULL)
        d->out[d->out_count++] = (struct http_header_copy){lower, copy, name_len, value_len};
}

/* A header whose name is in lower case already and lives as long as the reply (a literal). */
static void add_lower_header(struct http_request *req, const char *lower, size_t name_len, const char *value)
{
    if (req->detached != NULL) {
        record_header(req, lower, name_len, value);
        return;
    }
    h2o_req_t *r = h2o_of(req);
    h2o_add_header_by_str(&r->pool, &r->res.headers, lower, name_len, 1, NULL, value, strlen(value));
}

void http_add_header(struct http_request *req, const char *name, const char *value)
{
    size_t name_len = strlen(name);
    char *lower = arena_strndup(&req->arena, name, name_len);
    if (lower == NULL)
        return;
    for (size_t i = 0; i < name_len; i++)
        lower[i] = (char)tolower((unsigned char)lower[i]);
    add_lower_header(req, lower, name_len, value);
}

void http_retry_after(struct http_request *req, int64_t seconds)
{
    if (seconds <= 0)
        return;
    char text[24];
    snprintf(text, sizeof(text), "%lld", (long long)seconds);
    const char *value = arena_strdup(&req->arena, text); /* h2o keeps the pointer until the reply */
    if (value != NULL)
        http_add_header(req, "Retry-After", value);
}

static bool public_url_is_https(const struct http_options *options)
{
    return options->public_url != NULL && strncmp(options->public_url, "https://", 8) == 0;
}

void http_set_cookie(struct http_request *req, const char *name, const char *value, int64_t max_age)
{
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LINE);
    buf_appendf(&b, "%s=%s; Path=/; HttpOnly; SameSite=Lax", name, value);
    if (max_age >= 0)
        buf_appendf(&b, "; Max-Age=%lld", (long long)max_age);
    if (public_url_is_https(req->options))
        buf_append_str(&b, "; Secure");
    if (buf_ok(&b))
        http_add_header(req, "Set-Cookie", b.data);
}

/* logfmt value: printable ASCII without quotes or backslashes, at most 200 bytes. */
static void log_safe(char *out, size_t size, const char *s)
{
    size_t j = 0;
    for (; s != NULL && *s != '\0' && j + 1 < size; s++)
        out[j++] = (*s > 0x20 && *s < 0x7f && *s != '"' && *s != '\\') ? *s : '?';
    out[j] = '\0';
}

/* A default header, unless the handler set its own (a served file's CSP,
 * X-Frame-Options or Cache-Control); name a lower-case literal. */
static void add_default_header(struct http_request *req, const char *name, size_t name_len, const char *value)
{
    if (req->detached != NULL) {
        for (size_t i = 0; i < req->detached->out_count; i++)
            if (strcmp(req->detached->out[i].name, name) == 0)
                return;
    } else if (h2o_find_header_by_str(&h2o_of(req)->res.headers, name, name_len, -1) != -1) {
        return;
    }
    add_lower_header(req, name, name_len, value);
}

/* Every reply carries these (names written in lower case, as h2o sends them). */
static void add_security_headers(struct http_request *req)
{
#define LOWER(name) name, sizeof(name) - 1
    add_default_header(req, LOWER("content-security-policy"),
                       "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'");
    add_lower_header(req, LOWER("x-content-type-options"), "nosniff");
    add_default_header(req, LOWER("x-frame-options"), "DENY");
    add_lower_header(req, LOWER("referrer-policy"), "same-origin");
    add_lower_header(req, LOWER("cross-origin-opener-policy"), "same-origin");
    add_default_header(req, LOWER("cache-control"), "no-store");
    if (public_url_is_https(req->options))
        add_lower_header(req, LOWER("strict-transport-security"), "max-age=31536000");
    add_lower_header(req, LOWER("x-request-id"), req->request_id);
#undef LOWER
}

/* Whether a byte may stand in filename="…": printable ASCII but for quotes,
 * backslashes and '%' (which some browsers decode). */
static bool plain_file_name_byte(unsigned char c)
{
    return c >= 0x20 && c <= 0x7e && c != '"' && c != '\\' && c != '%';
}

static bool plain_file_name(const char *name)
{
    for (const unsigned char *p = (const unsigned char *)name; *p != '\0'; p++)
        if (!plain_file_name_byte(*p))
            return false;
    return true;
}

/* filename="…" with every other byte as '_'. */
static void append_ascii_file_name(struct buf *b, const char *name)
{
    for (const unsigned char *p = (const unsigned char *)name; *p != '\0'; p++)
        buf_append_char(b, plain_file_name_byte(*p) ? (char)*p : '_');
}

/* filename*=UTF-8''…: RFC 8187 attr-chars kept, every other byte %XX. */
static void append_rfc8187(struct buf *b, const char *name)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)name; *p != '\0'; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("!#$&+-.^_`|~", *p) != NULL) {
            buf_append_char(b, (char)*p);
        } else {
            buf_append_char(b, '%');
            buf_append_char(b, hex[*p >> 4]);
            buf_append_char(b, hex[*p & 15]);
        }
    }
}

static void reply(struct http_request *req, int status, const char *content_type, const char *body, size_t len,
                  bool owned);

static void reply_file(struct http_request *req, const char *media_type, const char *file_name, bool inline_view,
                       const char *data, size_t len, bool owned)
{
    const char *kind = inline_view ? "inline" : "attachment";
    const char *name = file_name != NULL && file_name[0] != '\0' ? file_name : "document";
    struct buf disposition;
    buf_init(&disposition, &req->arena, BUF_CAP_HEADER);
    buf_appendf(&disposition, "%s; filename=\"", kind);
    append_ascii_file_name(&disposition, name);
    buf_append_char(&disposition, '"');
    /* The UTF-8 form only where the ASCII one had to change the name. */
    if (!plain_file_name(name)) {
        buf_append_str(&disposition, "; filename*=UTF-8''");
        append_rfc8187(&disposition, name);
    }
    http_add_header(req, "Content-Disposition", buf_ok(&disposition) ? disposition.data : kind);
    /* These replace the pages' defaults (add_security_headers). */
    bool pdf_inline = inline_view && strcmp(media_type, "application/pdf") == 0;
    http_add_header(req, "Content-Security-Policy",
                    pdf_inline ? "default-src 'none'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
                               : "default-src 'none'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'; "
                                 "sandbox");
    http_add_header(req, "X-Frame-Options", "SAMEORIGIN");
    http_add_header(req, "Cache-Control", "private, no-store");
    http_add_header(req, "Cross-Origin-Resource-Policy", "same-origin");
    reply(req, 200, media_type, data, len, owned);
}

void http_reply_file(struct http_request *req, const char *media_type, const char *file_name, bool inline_view,
                     const char *data, size_t len)
{
    reply_file(req, media_type, file_name, inline_view, data, len, false);
}

void http_reply_arena_file(struct http_request *req, const char *media_type, const char *file_name,
                           bool inline_view, const char *data, size_t len)
{
    reply_file(req, media_type, file_name, inline_view, data, len, true);
}

const char *http_reason_phrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "";
    }
}

/* The test fault's counts, on the reply (see struct http_request). */
static void add_fault_headers(struct http_request *req)
{
    char writes[24];
    snprintf(writes, sizeof(writes), "%ld", req->fault->writes);
    const char *kept = arena_strdup(&req->arena, writes); /* the header keeps the pointer */
    if (kept != NULL)
        http_add_header(req, "X-Rounds-Test-Writes", kept);
    http_add_header(req, "X-Rounds-Test-Fault-Fired", req->fault->fired ? "1" : "0");
}

/* Sends body as it is, without h2o_send_inline's copy: it lives in the
 * request's arena, which on this path is the request's h2o pool and lasts
 * until the reply is sent. */
static void send_owned(h2o_req_t *r, const char *body, size_t len)
{
    static h2o_generator_t generator = {NULL, NULL};
    h2o_iovec_t buf = h2o_iovec_init(body, len);
    h2o_start_response(r, &generator);
    if (h2o_memis(r->input.method.base, r->input.method.len, H2O_STRLIT("HEAD")))
        h2o_send(r, NULL, 0, H2O_SEND_STATE_FINAL);
    else
        h2o_send(r, &buf, 1, H2O_SEND_STATE_FINAL);
}

/* http_reply; owned: body was allocated from req->arena (not copied again). */
static void reply(struct http_request *req, int status, const char *content_type, const char *body, size_t len,
                  bool owned)
{
    if (req->replied) {
        log_error("msg=\"handler replied twice\" req_id=%s", req->request_id);
        return;
    }
    if (req->fault != NULL)
        add_fault_headers(req);
    req->replied = true;
    req->status = status;
    add_security_headers(req);

    char path[201];
    double ms = clock_monotonic_ms() - req->started_ms;
    log_safe(path, sizeof(path), req->log_path != NULL ? req->log_path : "");
    log_request(req->request_id, http_method_name(req->method), path, status,
                ms > 0 ? (unsigned long long)(ms * 100 + 0.5) : 0);
    metrics_request(req->route != NULL ? (int)(req->route - req->options->routes) : -1, status, ms);
    if (status == 204 || status == 304)
        len = 0;
    if (req->detached != NULL) {
        /* Recorded; db_pool.c sends it from the loop. The body may not outlive this call (a kept reply). */
        struct http_detached *d = req->detached;
        const char *kept = len > 0 ? body : NULL;
        if (!owned && len > 0) {
            char *copy = arena_alloc(&req->arena, len);
            if (copy != NULL)
                memcpy(copy, body, len);
            kept = copy;
        }
        d->status = status;
        d->content_type = content_type != NULL ? arena_strdup(&req->arena, content_type) : NULL;
        d->body = kept;
        d->len = kept != NULL ? len : 0;
        return;
    }
    h2o_req_t *r = h2o_of(req);
    r->res.status = status;
    r->res.reason = http_reason_phrase(status);
    if (content_type != NULL)
        h2o_add_header(&r->pool, &r->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, content_type, strlen(content_type));
    r->res.content_length = len;
    if (req->capture) {
        req->captured_body = len > 0 ? arena_strndup(&req->arena, body, len) : NULL;
        req->captured_len = req->captured_body != NULL ? len : 0;
        return;
    }
    if (owned && len > 0)
        send_owned(r, body, len);
    else
        h2o_send_inline(r, len > 0 ? body : NULL, len);
}

void http_reply(struct http_request *req, int status, const char *content_type, const char *body, size_t len)
{
    reply(req, status, content_type, body, len, false);
}

void http_reply_json(struct http_request *req, int status, const struct buf *json)
{
    if (!buf_ok(json)) {
        log_error("msg=\"reply too large or out of memory\" req_id=%s", req->request_id);
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply(req, status, "application/json; charset=utf-8", json->data, json->len);
}

void http_reply_html(struct http_request *req, int status, const struct buf *html)
{
    if (!buf_ok(html)) {
        log_error("msg=\"page too large or out of memory\" req_id=%s", req->request_id);
        http_reply(req, 500, "text/plain; charset=utf-8", "Internal error\n", 15);
        return;
    }
    http_reply(req, status, "text/html; charset=utf-8", html->data, html->len);
}

void http_reply_empty(struct http_request *req, int status)
{
    http_reply(req, status, NULL, NULL, 0);
}

bool http_local_path(const char *path)
{
    if (path == NULL || path[0] != '/' || path[1] == '/' || path[1] == '\\')
        return false;
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)path; *p != '\0'; p++, n++)
        if (*p <= 0x20 || *p >= 0x7f || *p == '\\' || n >= HTTP_LOCAL_PATH_MAX)
            return false;
    return true;
}

/* 303 to /login?next=<this page> for a signed-out visitor of a page that
 * needs a session (a GET: a form's POST cannot be replayed, so it goes back to
 * the page the form came from only through its own link). */
static void redirect_to_login(struct http_request *req)
{
    struct buf location;
    buf_init(&location, &req->arena, HTTP_LOCAL_PATH_MAX * 3 + 32);
    buf_append_str(&location, "/login");
    if (req->method == HTTP_GET || req->method == HTTP_HEAD) {
        struct buf here;
        buf_init(&here, &req->arena, HTTP_LOCAL_PATH_MAX + 1);
        buf_append_str(&here, req->path);
        if (req->query_len > 0) {
            buf_append_char(&here, '?');
            buf_append(&here, req->query, req->query_len);
        }
        if (buf_ok(&here) && http_local_path(here.data)) {
            buf_append_str(&location, "?next=");
            buf_append_url(&location, here.data);
        }
    }
    http_redirect(req, buf_ok(&location) ? location.data : "/login");
}

void http_redirect(struct http_request *req, const char *location)
{
    http_add_header(req, "Location", location);
    http_reply(req, 303, "text/plain; charset=utf-8", "See Other\n", 10);
}

static bool wants_html(struct http_request *req)
{
    if (req->route != NULL)
        return (req->route->flags & ROUTE_HTML) != 0;
    if (req->path == NULL)
        return false;
    return strncmp(req->path, "/api/", 5) != 0 && strcmp(req->path, "/healthz") != 0 &&
           strcmp(req->path, "/readyz") != 0;
}

/* The members of a problem+json body, without the closing brace. */
static void problem_members(struct buf *b, enum error_code code, const char *field, const char *detail)
{
    buf_append_str(b, "{\"type\":\"about:blank\",\"title\":");
    buf_append_json_string(b, error_title(code));
    buf_appendf(b, ",\"status\":%d,\"code\":", error_status(code));
    buf_append_json_string(b, error_name(code));
    buf_append_str(b, ",\"detail\":");
    buf_append_json_string(b, detail != NULL ? detail : error_title(code));
    buf_append_str(b, ",\"field\":");
    buf_append_json_string(b, field);
}

void http_reply_error(struct http_request *req, enum error_code code, const char *field, const char *detail)
{
    int status = error_status(code);
    if (code == ERR_FORBIDDEN && req->db != NULL)
        store_audit_add(req->db, req->auth.user_id, AUDIT_FORBIDDEN, AUDIT_ON_ROUTE, req->log_path,
                        http_method_name(req->method), clock_now());
    if (status >= 500)
        log_error("msg=\"internal error\" req_id=%s code=%s", req->request_id, error_name(code));
    if (wants_html(req) && html_error_renderer != NULL) {
        html_error_renderer(req, status, error_title(code), detail);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_SMALL);
    http_problem_json(&b, code, field, detail);
    http_reply(req, status, "application/problem+json; charset=utf-8", b.data, b.len);
}

void http_problem_json(struct buf *b, enum error_code code, const char *field, const char *detail)
{
    problem_members(b, code, field, detail);
    buf_append_char(b, '}');
}

void http_reply_problem(struct http_request *req, const struct error *err)
{
    http_reply_error(req, err->code, err->field, err->detail);
}

void http_reply_problem_with(struct http_request *req, const struct error *err, const char *members)
{
    if (members == NULL || members[0] == '\0' || wants_html(req)) {
        http_reply_problem(req, err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, strlen(members) + BUF_CAP_SMALL);
    problem_members(&b, err->code, err->field, err->detail);
    buf_append_char(&b, ',');
    buf_append_str(&b, members);
    buf_append_char(&b, '}');
    if (!buf_ok(&b)) {
        http_reply_problem(req, err);
        return;
    }
    http_reply(req, error_status(err->code), "application/problem+json; charset=utf-8", b.data, b.len);
}

/* ---- dispatch ---- */

/* The last address of X-Forwarded-For (the one our proxy added), if it parses. */
static bool forwarded_address(h2o_req_t *r, char *out, size_t size)
{
    ssize_t i = h2o_find_header_by_str(&r->headers, H2O_STRLIT("x-forwarded-for"), -1);
    if (i < 0)
        return false;
    h2o_iovec_t v = r->headers.entries[i].value;
    size_t end = v.len, start;
    while (end > 0 && (v.base[end - 1] == ' ' || v.base[end - 1] == ','))
        end--;
    start = end;
    while (start > 0 && v.base[start - 1] != ',' && v.base[start - 1] != ' ')
        start--;
    char candidate[INET6_ADDRSTRLEN];
    unsigned char parsed[sizeof(struct in6_addr)];
    if (end - start == 0 || end - start >= sizeof(candidate))
        return false;
    memcpy(candidate, v.base + start, end - start);
    candidate[end - start] = '\0';
    if (inet_pton(AF_INET, candidate, parsed) != 1 && inet_pton(AF_INET6, candidate, parsed) != 1)
        return false;
    snprintf(out, size, "%s", candidate);
    return true;
}

/* inet_ntop(AF_INET) without its sprintf: "a.b.c.d" when it fits in size. */
static void format_ipv4(const unsigned char bytes[4], char *out, size_t size)
{
    char text[16];
    size_t n = 0;
    for (int i = 0; i < 4; i++) {
        unsigned v = bytes[i];
        if (i > 0)
            text[n++] = '.';
        if (v >= 100)
            text[n++] = (char)('0' + v / 100);
        if (v >= 10)
            text[n++] = (char)('0' + v / 10 % 10);
        text[n++] = (char)('0' + v % 10);
    }
    if (n >= size)
        return;
    memcpy(out, text, n);
    out[n] = '\0';
}

static void client_address(h2o_req_t *r, bool trust_proxy, char *out, size_t size)
{
    union {
        struct sockaddr sa;
        struct sockaddr_in in;
        struct sockaddr_in6 in6;
        struct sockaddr_storage storage;
    } addr;
    memset(&addr, 0, sizeof(addr));
    snprintf(out, size, "unknown");
    socklen_t len = r->conn->callbacks->get_peername(r->conn, &addr.sa);
    if (len == 0)
        return;
    if (addr.sa.sa_family == AF_INET)
        format_ipv4((const unsigned char *)&addr.in.sin_addr, out, size);
    else if (addr.sa.sa_family == AF_INET6)
        inet_ntop(AF_INET6, &addr.in6.sin6_addr, out, (socklen_t)size);
    /* Behind a reverse proxy on this machine every peer is loopback: the
     * client is the address the proxy recorded. */
    bool loopback = strncmp(out, "127.", 4) == 0 || strcmp(out, "::1") == 0;
    if (trust_proxy && loopback)
        forwarded_address(r, out, size);
}

/* "application/json; charset=utf-8" has media type "application/json". */
static bool media_type_is(const char *content_type, const char *type)
{
    if (content_type == NULL)
        return false;
    size_t n = strlen(type);
    if (strncasecmp(content_type, type, n) != 0)
        return false;
    char next = content_type[n];
    return next == '\0' || next == ';' || next == ' ';
}

static bool method_is_safe(enum http_method m)
{
    return m == HTTP_GET || m == HTTP_HEAD || m == HTTP_OPTIONS;
}

/* Parses the query string and refuses parameters the route does not take,
 * and values that are not one line of text (lib/text.h). */
static int check_query(struct http_request *req)
{
    if (http_query(req, &req->query_params) != 0)
        return -1;
    for (size_t i = 0; i < req->query_params->count; i++) {
        const char *name = req->query_params->items[i].name;
        const struct http_kv *kv = &req->query_params->items[i];
        enum text_fault fault = text_check(kv->value, kv->value_len, TEXT_ONE_LINE);
        if (fault != TEXT_OK) {
            http_reply_error(req, ERR_INVALID_PARAMETER, name, text_fault_detail(fault));
            return -1;
        }
        const char *const *allowed = req->route->query;
        while (allowed != NULL && *allowed != NULL && strcmp(*allowed, name) != 0)
            allowed++;
        if (allowed == NULL || *allowed == NULL) {
            http_reply_error(req, ERR_UNKNOWN_PARAMETER, name, "is not a parameter of this request");
            return -1;
        }
    }
    return 0;
}

/* The largest body a route takes (server.c sizes h2o's limit by the same rule). */
static size_t route_body_cap(const struct route *route, const struct http_options *options)
{
    if (route->max_body != 0)
        return route->max_body;
    if (route->flags & ROUTE_UPLOAD)
        return options->max_upload + UPLOAD_OVERHEAD;
    return options->max_body;
}

/* Whether the route declares the form field multi-line. */
static bool field_is_multiline(const struct route *route, const char *name)
{
    for (const char *const *f = route->multiline; f != NULL && *f != NULL; f++)
        if (strcmp(*f, name) == 0)
            return true;
    return false;
}

/* Every text field of a form (urlencoded, or the parts of a multipart body
 * without a filename) through the one text check; 400 naming the first that
 * fails. */
static int check_form_text(struct http_request *req, const char *name, const char *value, size_t len)
{
    enum text_lines lines = field_is_multiline(req->route, name) ? TEXT_MULTI_LINE : TEXT_ONE_LINE;
    enum text_fault fault = text_check(value, len, lines);
    if (fault == TEXT_OK)
        return 0;
    /* A page's error shows no field: say which one in the sentence. */
    struct buf detail;
    buf_init(&detail, &req->arena, BUF_CAP_LINE);
    buf_append_str(&detail, "The field \"");
    buf_append(&detail, name, strnlen(name, 64));
    buf_appendf(&detail, "\" %s.", text_fault_detail(fault));
    http_reply_error(req, ERR_VALIDATION_FAILED, name, buf_ok(&detail) ? detail.data : text_fault_detail(fault));
    return -1;
}

enum { MULTIPART_MAX_PARTS = 32 };

/* Parses a multipart/form-data body into req->parts, and copies its text
 * fields (the parts without a filename) into req->form for http_form(), which
 * is also where the CSRF check finds the token of an HTML form. */
static int check_multipart(struct http_request *req, const char *content_type)
{
    char boundary[71];
    if (!http_multipart_boundary(content_type, boundary, sizeof(boundary))) {
        http_reply_error(req, ERR_UNSUPPORTED_MEDIA_TYPE, NULL, "send multipart/form-data");
        return -1;
    }
    enum http_parse_status status =
        http_parse_multipart(&req->arena, req->body, req->body_len, boundary, MULTIPART_MAX_PARTS, &req->parts);
    if (status == HTTP_PARSE_TOO_MANY) {
        http_reply_error(req, ERR_BAD_REQUEST, NULL, "the multipart body has too many parts");
        return -1;
    }
    if (status == HTTP_PARSE_NO_MEMORY) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return -1;
    }
    if (status != HTTP_PARSE_OK) {
        http_reply_error(req, ERR_BAD_REQUEST, NULL, "the multipart body is malformed");
        return -1;
    }

    size_t fields = 0;
    for (size_t i = 0; i < req->parts.count; i++)
        if (req->parts.items[i].filename == NULL)
            fields++;
    if (fields == 0)
        return 0;
    req->form.items = arena_calloc(&req->arena, fields, sizeof(*req->form.items));
    if (req->form.items == NULL) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return -1;
    }
    for (size_t i = 0; i < req->parts.count; i++) {
        const struct http_part *part = &req->parts.items[i];
        if (part->filename != NULL)
            continue;
        if (check_form_text(req, part->name, part->data, part->len) != 0) {
            req->form.count = 0;
            return -1;
        }
        struct http_kv *kv = &req->form.items[req->form.count];
        kv->name = part->name;
        kv->value = arena_strndup(&req->arena, part->data, part->len);
        kv->value_len = part->len;
        if (kv->value == NULL) {
            req->form.count = 0;
            http_reply_error(req, ERR_INTERNAL, NULL, NULL);
            return -1;
        }
        req->form.count++;
    }
    return 0;
}

/* "10 MiB (10485760 bytes)", "1 MB (1000000 bytes)" or "900 bytes". */
static void append_size(struct buf *b, size_t bytes)
{
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
        buf_appendf(b, "%zu MiB (%zu bytes)", bytes / (1024 * 1024), bytes);
    else if (bytes >= 1000 * 1000 && bytes % (1000 * 1000) == 0)
        buf_appendf(b, "%zu MB (%zu bytes)", bytes / (1000 * 1000), bytes);
    else if (bytes >= 1024 && bytes % 1024 == 0)
        buf_appendf(b, "%zu KiB (%zu bytes)", bytes / 1024, bytes);
    else
        buf_appendf(b, "%zu bytes", bytes);
}

static bool upload_page(const struct route *route)
{
    return route != NULL && (route->flags & ROUTE_UPLOAD) && (route->flags & ROUTE_HTML);
}

/* The 413 of a body over the route's cap (cap: 0 when there is no route),
 * naming the limit: the file's for an upload route, else the body's. */
static void reply_too_large(struct http_request *req, size_t cap)
{
    struct buf detail;
    buf_init(&detail, &req->arena, BUF_CAP_LINE);
    bool upload = req->route != NULL && (req->route->flags & ROUTE_UPLOAD) && cap > UPLOAD_OVERHEAD;
    if (upload) {
        buf_append_str(&detail, "the file is larger than the limit of ");
        append_size(&detail, cap - UPLOAD_OVERHEAD);
    } else if (cap > 0) {
        buf_append_str(&detail, "the body is larger than the limit of this address, ");
        append_size(&detail, cap);
    } else {
        buf_append_str(&detail, "the body is larger than this server accepts");
    }
    http_reply_error(req, ERR_PAYLOAD_TOO_LARGE, upload ? "file" : NULL,
                     buf_ok(&detail) ? detail.data : "the body is too large");
}

/* One line for every body refused for its size (the request's own access
 * line follows with the status): how long it was, or, when h2o refused it
 * from its declared length, the length it said more than. */
static void log_too_large(struct http_request *req, const char *measure, size_t length, size_t cap)
{
    char path[201];
    log_safe(path, sizeof(path), req->log_path != NULL ? req->log_path : "");
    log_info("msg=\"body over the limit\" req_id=%s path=%s %s=%zu limit_bytes=%zu", req->request_id, path, measure,
             length, cap);
}

/* A body over its route's cap but read (within UPLOAD_GRACE): an upload page
 * still gets its form fields, for its CSRF token and to show them again, and
 * no file; anything else is refused here. */
static int check_too_large(struct http_request *req, size_t cap)
{
    log_too_large(req, "body_bytes", req->body_len, cap);
    const char *content_type = http_header(req, "content-type");
    char boundary[71];
    if (!upload_page(req->route) || !http_multipart_boundary(content_type, boundary, sizeof(boundary))) {
        reply_too_large(req, cap);
        return -1;
    }
    req->body_too_large = true;
    if (check_multipart(req, content_type) != 0)
        return -1;
    for (size_t i = 0; i < req->parts.count; i++) {
        struct http_part *part = &req->parts.items[i];
        if (part->filename != NULL) {
            part->data = "";
            part->len = 0;
        }
    }
    return 0;
}

/* A route whose spec has no fields (api_no_body) takes no body, and its
 * handler reads none: a body it is sent must still be {} (or nothing), so
 * that malformed JSON or an unknown field is refused before the action runs. */
static int check_no_body(struct http_request *req)
{
    const struct json_field *spec = req->route->request;
    if (spec == NULL || spec[0].name != NULL || req->body_len == 0)
        return 0;
    char nothing = 0;
    struct error err = {0};
    if (json_spec_parse(&req->arena, req->body, req->body_len, spec, &nothing, NULL, &err) == 0)
        return 0;
    http_reply_problem(req, &err);
    return -1;
}

/* Checks the body's size and media type; parses HTML forms and multipart bodies. */
static int check_body(struct http_request *req)
{
    size_t cap = route_body_cap(req->route, req->options);
    if (req->body_len > cap)
        return check_too_large(req, cap);
    if (method_is_safe(req->method) || (req->body_len == 0 && req->method == HTTP_DELETE))
        return 0;
    const char *content_type = http_header(req, "content-type");
    if (req->route->flags & ROUTE_UPLOAD)
        return check_multipart(req, content_type);
    if (req->route->flags & ROUTE_HTML) {
        if (req->body_len == 0 && content_type == NULL)
            return 0;
        if (!media_type_is(content_type, "application/x-www-form-urlencoded")) {
            http_reply_error(req, ERR_UNSUPPORTED_MEDIA_TYPE, NULL, "forms must be application/x-www-form-urlencoded");
            return -1;
        }
        if (http_parse_urlencoded(&req->arena, req->body, req->body_len, 256, &req->form) != HTTP_PARSE_OK) {
            http_reply_error(req, ERR_BAD_REQUEST, NULL, "the form is malformed");
            return -1;
        }
        for (size_t i = 0; i < req->form.count; i++) {
            const struct http_kv *kv = &req->form.items[i];
            if (check_form_text(req, kv->name, kv->value, kv->value_len) != 0) {
                req->form.count = 0;
                return -1;
            }
        }
        return 0;
    }
    if (req->body_len == 0 && content_type == NULL)
        return 0; /* an action without a body, such as logout */
    if (!media_type_is(content_type, "application/json")) {
        http_reply_error(req, ERR_UNSUPPORTED_MEDIA_TYPE, NULL, "send application/json");
        return -1;
    }
    return check_no_body(req);
}

/* The path as logs and the audit trail may show it: under a path that
 * carries a secret (an invitation link), masked by its prefix, whatever the
 * rest looks like and before routing (a 404 or 400 is logged too). */
static const char *log_path_of(struct http_request *req)
{
    if (req->path == NULL)
        return "";
    char masked[64];
    if (!router_index_secret_path(http_server_state.routes, req->path, strlen(req->path), masked, sizeof(masked)))
        return req->path;
    const char *copy = arena_strdup(&req->arena, masked);
    return copy != NULL ? copy : "/{masked}";
}

/* "%02x%014llx" of the loop and its count (16 hex digits), written by hand:
 * every request makes one. */
static const char *request_id(struct arena *arena, int loop, uint64_t count)
{
    static const char hex[] = "0123456789abcdef";
    char *id = arena_alloc(arena, 17);
    if (id == NULL)
        return NULL;
    id[0] = hex[(loop >> 4) & 15];
    id[1] = hex[loop & 15];
    for (int i = 15; i >= 2; i--, count >>= 4)
        id[i] = hex[count & 15];
    id[16] = '\0';
    return id;
}

/* Fills req from h2o's request. A detached request copies what it keeps
 * (its arena outlives h2o's); otherwise the query and body stay in h2o's. */
static void request_init(struct http_request *req, struct http_thread *thread, h2o_req_t *r)
{
    req->internal = r;
    req->db = thread->db;
    req->options = http_server_state.options;
    req->started_ms = clock_monotonic_ms();
    req->request_id = request_id(&req->arena, thread->index, ++thread->request_counter);
    req->method = http_method_parse(r->method.base, r->method.len);
    req->path = arena_strndup(&req->arena, r->path_normalized.base, r->path_normalized.len);
    req->log_path = log_path_of(req);
    req->authority = arena_strndup(&req->arena, r->authority.base, r->authority.len);
    req->query = "";
    if (r->query_at != SIZE_MAX) {
        req->query_len = r->path.len - r->query_at - 1;
        req->query = r->path.base + r->query_at + 1;
        if (req->detached != NULL)
            req->query = arena_strndup(&req->arena, req->query, req->query_len);
    }
    req->body = "";
    if (r->entity.base != NULL) {
        req->body_len = r->entity.len;
        req->body = r->entity.base;
        if (req->detached != NULL) {
            char *copy = arena_alloc(&req->arena, req->body_len + 1);
            if (copy != NULL)
                memcpy(copy, r->entity.base, req->body_len);
            req->body = copy;
            req->body_len = copy != NULL ? req->body_len : 0;
        }
    }
    char addr[64];
    client_address(r, http_server_state.options->trust_proxy, addr, sizeof(addr));
    req->client_addr = arena_strdup(&req->arena, addr);
}

/* Finds the route (after refusing encoded NUL or slash); false when it replied. */
static bool route_request(struct http_request *req, h2o_req_t *r)
{
    const struct http_options *options = req->options;
    /* h2o decodes %XX in the path it normalises: an encoded NUL would cut the
     * path short and an encoded slash would split an id into segments. */
    size_t raw_path_len = r->query_at != SIZE_MAX ? r->query_at : r->path.len;
    if (req->path == NULL || req->query == NULL || req->body == NULL) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return false;
    }
    if (strlen(req->path) != r->path_normalized.len || memmem(r->path.base, raw_path_len, "%00", 3) != NULL ||
        memmem(r->path.base, raw_path_len, "%2F", 3) != NULL || memmem(r->path.base, raw_path_len, "%2f", 3) != NULL) {
        http_reply_error(req, ERR_BAD_REQUEST, NULL, "the path has an encoded NUL or slash");
        return false;
    }
    enum route_result found =
        router_index_match(http_server_state.routes, req->method, req->path, strlen(req->path), &req->match);
    if (found == ROUTE_NOT_FOUND) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "there is nothing at this address");
        return false;
    }
    if (found == ROUTE_METHOD_NOT_ALLOWED) {
        char allow[128];
        router_allow_header(req->match.allowed, allow, sizeof(allow));
        http_add_header(req, "Allow", allow);
        http_reply_error(req, ERR_METHOD_NOT_ALLOWED, NULL, "this address does not take this method");
        return false;
    }
    req->route = req->match.route;
    /* Ids are text: one that is not UTF-8 or holds control characters names
     * nothing (and PostgreSQL would refuse to compare it: a 503). */
    for (size_t i = 0; i < req->match.param_count; i++)
        if (text_check(req->match.params[i].value, req->match.params[i].value_len, TEXT_ONE_LINE) != TEXT_OK) {
            http_reply_error(req, ERR_NOT_FOUND, NULL, "there is nothing at this address");
            return false;
        }
    if (strstr(req->route->pattern, "{token}") != NULL)
        req->log_path = req->route->pattern; /* the same secret, with the action in view */
    if ((req->route->flags & ROUTE_TEST_HOOK) && !options->test_hooks) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "there is nothing at this address");
        return false;
    }
    return true;
}

/* Tests only: the request's connection counts (and fails) writes for it. */
static void fault_watch(struct http_request *req)
{
    if (!req->options->test_hooks || req->db == NULL)
        return;
    if (req->fault == NULL) {
        const char *value = http_header(req, "x-rounds-test-fault");
        char *end = NULL;
        long n = value != NULL ? strtol(value, &end, 10) : -1;
        if (value == NULL || end == value || *end != '\0' || n < 0)
            return;
        req->fault = arena_alloc(&req->arena, sizeof(*req->fault));
        if (req->fault == NULL)
            return;
        *req->fault = (struct db_fault){.fail_at = n};
    }
    db_fault_watch(req->db, req->fault);
}

static void run_pipeline(struct http_request *req, bool handler_only);

void http_run_pipeline(struct http_request *req, bool handler_only)
{
    fault_watch(req);
    struct db_conn *watched = req->db;
    run_pipeline(req, handler_only);
    if (req->fault != NULL && watched != NULL)
        db_fault_watch(watched, NULL);
}

static void run_pipeline(struct http_request *req, bool handler_only)
{
    if (!handler_only) {
        if (check_query(req) != 0 || check_body(req) != 0 || http_session_authenticate(req) != 0)
            return;
        if ((req->route->flags & ROUTE_AUTH) && !req->auth.authenticated) {
            if (req->route->flags & ROUTE_HTML)
                redirect_to_login(req);
            else
                http_reply_error(req, ERR_UNAUTHENTICATED, NULL, "log in first");
            return;
        }
        /* A role that requires a second factor, signed in without one yet:
         * enrolment first, nothing else. */
        if (req->auth.enrol_only && (req->route->flags & ROUTE_AUTH) && !(req->route->flags & ROUTE_ENROL)) {
            if (req->route->flags & ROUTE_HTML)
                http_redirect(req, "/account/two-factor");
            else
                http_reply_error(req, ERR_SECOND_FACTOR_ENROLMENT_REQUIRED, NULL,
                                 "set up two-factor sign-in first: POST /api/v1/me/two-factor");
            return;
        }
        if (http_csrf_check(req) != 0)
            return;
    }
    if (req->detached != NULL)
        req->detached->checks_done = true;
    req->route->handler(req);
    bool to_pool = req->detached != NULL && req->detached->wants_db && req->db == NULL;
    if (!req->replied && !req->offload_pending && !to_pool) {
        /* A handler that neither replied nor offloaded is our bug. */
        log_error("msg=\"handler did not reply\" req_id=%s", req->request_id);
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
    }
}

int http_too_large_reply(struct http_thread *thread, h2o_req_t *r, struct http_captured_reply *out)
{
    struct http_request *req = h2o_mem_alloc_pool(&r->pool, sizeof(*req) + alignof(max_align_t));
    req = (void *)(((uintptr_t)req + alignof(max_align_t) - 1) & ~(uintptr_t)(alignof(max_align_t) - 1));
    memset(req, 0, sizeof(*req));
    req->arena.backend_alloc = pool_alloc;
    req->arena.backend = &r->pool;
    req->capture = true;
    request_init(req, thread, r);
    req->body = "";
    req->body_len = 0;
    req->db = NULL; /* no handler runs: the body was never read */
    if (route_request(req, r)) {
        size_t cap = route_body_cap(req->route, req->options);
        log_too_large(req, "declared_over_bytes", http_server_state.globalconf.max_request_entity_size, cap);
        reply_too_large(req, cap);
    }
    if (!req->replied)
        return -1;
    out->status = req->status;
    out->reason = http_reason_phrase(req->status);
    out->body = h2o_iovec_init(req->captured_body, req->captured_len);
    return 0;
}

/* The request's header fields as sent: "name: value\r\n" each. */
static size_t header_bytes(const h2o_req_t *r)
{
    size_t bytes = 0;
    for (size_t i = 0; i < r->headers.size; i++)
        bytes += r->headers.entries[i].name->len + r->headers.entries[i].value.len + 4;
    return bytes;
}

/* A request whose header fields are over REQUEST_HEADERS_MAX_BYTES: 431
 * before routing, a session or a handler, and one log line saying how big. */
static void refuse_large_headers(struct http_request *req, size_t bytes)
{
    char path[201];
    log_safe(path, sizeof(path), req->log_path != NULL ? req->log_path : "");
    log_info("msg=\"headers over the limit\" req_id=%s path=%s header_bytes=%zu limit_bytes=%d", req->request_id, path,
             bytes, REQUEST_HEADERS_MAX_BYTES);
    http_reply_error(req, ERR_HEADERS_TOO_LARGE, NULL,
                     "the request's headers are larger than the limit of " LIMIT_TEXT(REQUEST_HEADERS_MAX_BYTES)
                     " bytes");
}

/* With a database pool: ROUTE_MEMORY requests of visitors not signed in
 * run here on the loop, signed-in ROUTE_LOOP_SESSION requests and those of
 * ROUTE_MEMORY API routes read their sessions on the loop's reader and run
 * here too (session_reader.c); everything else runs on the pool. */
static void dispatch_detached(struct http_thread *thread, h2o_req_t *r)
{
    struct http_request *req = http_detached_new(thread, r);
    if (req == NULL) {
        h2o_send_error_503(r, "Service Unavailable", "out of memory", 0);
        return;
    }
    request_init(req, thread, r);
    if (route_request(req, r)) {
        http_connection_park(r);
        if (http_session_reader_take(req, r))
            return;
        if (!(req->route->flags & ROUTE_MEMORY) || http_session_present(req)) {
            http_db_pool_submit(req, r, false);
            return;
        }
        http_run_pipeline(req, false);
        if (!req->replied && req->detached->wants_db) {
            http_db_pool_submit(req, r, true);
            return;
        }
    }
    http_detached_finish(req, r);
}

/* Requests whose headers are too large are refused here on the loop, before
 * a database pool would copy them. */
void http_dispatch(struct http_thread *thread, h2o_req_t *r)
{
    size_t headers = header_bytes(r);
    if (http_server_state.db_pool > 0 && headers <= REQUEST_HEADERS_MAX_BYTES) {
        dispatch_detached(thread, r);
        return;
    }
    struct http_request *req = h2o_mem_alloc_pool(&r->pool, sizeof(*req) + alignof(max_align_t));
    req = (void *)(((uintptr_t)req + alignof(max_align_t) - 1) & ~(uintptr_t)(alignof(max_align_t) - 1));
    memset(req, 0, sizeof(*req));
    req->arena.backend_alloc = pool_alloc;
    req->arena.backend = &r->pool;
    request_init(req, thread, r);
    if (headers > REQUEST_HEADERS_MAX_BYTES)
        refuse_large_headers(req, headers);
    else if (route_request(req, r))
        http_run_pipeline(req, false);
}
