/* router.h — a static route table with path parameters.
 *
 * Patterns are literal segments and "{name}" parameters that match one
 * non-empty segment: "/api/v1/offerings/{id}/blocks". Matching is pure (no
 * h2o), so it has its own fuzz target. */
#ifndef ROUNDS_HTTP_ROUTER_H
#define ROUNDS_HTTP_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

enum http_method {
    HTTP_GET = 1u << 0,
    HTTP_HEAD = 1u << 1,
    HTTP_POST = 1u << 2,
    HTTP_PUT = 1u << 3,
    HTTP_PATCH = 1u << 4,
    HTTP_DELETE = 1u << 5,
    HTTP_OPTIONS = 1u << 6,
    HTTP_OTHER = 1u << 7,
};

/* "GET" → HTTP_GET; anything unknown → HTTP_OTHER. */
enum http_method http_method_parse(const char *s, size_t len);
const char *http_method_name(enum http_method method);

struct http_request;
struct json_field;

/* What a route asks of the request pipeline before its handler runs. */
enum route_flags {
    ROUTE_JSON = 1u << 0,        /* an API route: errors as problem+json, JSON bodies */
    ROUTE_HTML = 1u << 1,        /* a page: errors as HTML */
    ROUTE_AUTH = 1u << 2,        /* needs a session (401 / redirect to /login otherwise) */
    ROUTE_NO_CSRF = 1u << 3,     /* an unsafe method that takes no CSRF token (login, register) */
    ROUTE_TEST_HOOK = 1u << 4,   /* exists only when the server runs with --test-hooks 1 */
    ROUTE_UPLOAD = 1u << 5,      /* takes multipart/form-data (req->parts); the body cap is max_body
                                    when set, else the server's max_upload + UPLOAD_OVERHEAD */
    ROUTE_MEMORY = 1u << 6,      /* a GET answered from memory (the search index, kept replies): run on the
                                    event loop even with a database pool, for visitors not signed in and,
                                    on PostgreSQL, for signed-in ones too on API routes (ROUTE_JSON) as on
                                    ROUTE_LOOP_SESSION ones, the handler calling http_needs_db() before
                                    any query */
    ROUTE_ENROL = 1u << 7,       /* reachable by a session that may only enrol a second factor (its role
                                    requires one it has not set up): enrolment and logout */
    ROUTE_LOOP_SESSION = 1u << 8, /* with a database pool on PostgreSQL, a signed-in request reads its session
                                     on the event loop (http/session_reader.c) and its checks and handler run
                                     there, req->db NULL: the handler needs only the session's user (req->auth),
                                     and calls http_needs_db() (api_current_user does) before any query */
};

struct route {
    unsigned methods;            /* HTTP_GET | HTTP_POST …; GET implies HEAD */
    const char *pattern;
    void (*handler)(struct http_request *req);
    unsigned flags;
    size_t max_body;             /* 0: the server default (1 MiB) */
    const char *summary;         /* one line for the OpenAPI document */
    const char *const *query;    /* the query parameters it takes (NULL-terminated); NULL: none */
    const char *const *multiline; /* form and multipart fields that may hold line breaks (NULL-terminated);
                                     every other text field is one line (lib/text.h) */
    /* For the OpenAPI document (api/openapi.c); a route without them still works
     * and is listed as undescribed by tests/openapi. */
    const struct json_field *request; /* the JSON body's spec, the one its handler parses with
                                         (api_no_body: it takes none) */
    const struct json_field *const *requests; /* or, when the body depends on the {action}: the specs
                                                 it may take (NULL-terminated) */
    const char *request_schema;  /* or, for a body its handler reads by hand: a component of api/openapi_schemas.c */
    const char *response;        /* the success reply: "Offering" (a component of api/openapi_schemas.c),
                                    "Offering[]" ({"items":[…],"next_cursor"}), a media type
                                    ("application/zip"), or "" (no body: 204) */
    int status;                  /* the success status: 0 means 200 */
};

enum { ROUTE_MAX_PARAMS = 6 };
/* Room for the multipart framing and the small fields around an uploaded file. */
#define UPLOAD_OVERHEAD ((size_t)64 * 1024)
/* How far over the largest route cap h2o still reads a body: an upload a
 * little over its limit reaches its page, which shows the form again with
 * everything typed; a longer declared length is refused before the body is
 * read (the page then comes back without the typed fields). */
#define UPLOAD_GRACE ((size_t)2 * 1024 * 1024)

struct route_param {
    const char *name;            /* points into the pattern, not NUL-terminated */
    size_t name_len;
    const char *value;           /* points into the path, not NUL-terminated */
    size_t value_len;
};

struct route_match {
    const struct route *route;
    struct route_param params[ROUTE_MAX_PARAMS];
    size_t param_count;
    unsigned allowed;            /* methods of every route whose pattern matched */
};

enum route_result { ROUTE_FOUND, ROUTE_NOT_FOUND, ROUTE_METHOD_NOT_ALLOWED };

/* Finds the first route whose pattern matches path (no query string) and
 * whose methods include method. */
enum route_result router_match(const struct route *table, size_t count, enum http_method method, const char *path,
                               size_t path_len, struct route_match *out);

/* The same answer as router_match() over the table it was built from, found
 * faster: routes are grouped by the literal segments their pattern starts with
 * (up to ROUTER_KEY_SEGMENTS of them, and up to the first parameter), and a
 * request tries only the groups named by its own leading segments. Built once
 * at start-up; the table must outlive it. */
struct router_index;
/* 0, or -1 when out of memory or the table has more than UINT32_MAX routes. */
int router_index_new(const struct route *table, size_t count, struct router_index **out);
void router_index_free(struct router_index *index);
enum route_result router_index_match(const struct router_index *index, enum http_method method, const char *path,
                                     size_t path_len, struct route_match *out);
/* router_secret_path() over the index's table, with its secret segments found once. */
bool router_index_secret_path(const struct router_index *index, const char *path, size_t path_len, char *out,
                              size_t out_size);

/* Paths that carry a secret: every route whose pattern has a "{token}"
 * segment makes the whole tree under its first segment secret
 * ("/invitations/…"). When path lies there — compared without regard to
 * case, after skipping empty segments, so that "//INVITATIONS/x/" counts —
 * writes what a log may show into out ("/invitations/{masked}") and returns
 * true; otherwise returns false. Runs before routing, on any path. */
bool router_secret_path(const struct route *table, size_t count, const char *path, size_t path_len, char *out,
                        size_t out_size);

/* "GET, HEAD, POST" for an Allow header, into out. */
void router_allow_header(unsigned methods, char *out, size_t out_size);

#endif
