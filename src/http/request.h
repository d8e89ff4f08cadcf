/* request.h — what a handler (src/api, src/web) sees of a request, and how it
 * replies. No h2o types here: handlers never include h2o.h.
 *
 * A handler must reply exactly once, either before it returns or later from
 * an offload completion (http_offload_start). Everything it allocates comes
 * from req->arena and dies with the request. */
#ifndef ROUNDS_HTTP_REQUEST_H
#define ROUNDS_HTTP_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/parse.h"
#include "http/router.h"
#include "http/server.h"
#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/errors.h"
#include "store/store.h"

struct http_auth {
    bool authenticated;
    bool via_cookie;            /* cookie sessions need CSRF tokens; bearer ones do not */
    const char *token_hash;
    const char *csrf_token;     /* of the session, to render into forms */
    const char *user_id;
    struct store_user *user;    /* loaded with the session */
    bool enrol_only;            /* the session reaches only ROUTE_ENROL routes until a second factor is set up */
};

struct http_request {
    struct arena arena;
    enum http_method method;
    const char *path;           /* normalised, without the query string */
    const char *log_path;       /* what logs and the audit trail may show of it (a secret masked) */
    const char *query;          /* raw query string without '?', may be "" */
    size_t query_len;
    const char *body;
    size_t body_len;
    const struct route *route;
    struct route_match match;
    struct db_conn *db;         /* this thread's connection */
    const struct http_options *options;
    struct http_auth auth;
    const char *request_id;
    const char *client_addr;
    const char *authority;      /* the host (and port) the client asked for */
    struct http_kv_list *query_params; /* parsed and checked against the route before the handler */
    struct http_kv_list form;   /* parsed urlencoded body of HTML POSTs; the text fields of a multipart body */
    struct http_part_list parts; /* every part of a multipart/form-data body (ROUTE_UPLOAD routes) */
    double started_ms;
    int status;                 /* set when replied */
    bool replied;
    bool offload_pending;       /* slow work is running; its completion replies */
    void *internal;             /* the h2o request (NULL while the request runs off its loop) */
    struct http_detached *detached; /* with a database pool: copies of the request and the reply (http/db_pool.c) */
    /* The body is over the route's cap but was read (up to UPLOAD_GRACE over
     * it): an upload page's handler is still called with the text fields of
     * its form and no file; it must change nothing and show its form again
     * with ERR_PAYLOAD_TOO_LARGE at the file. */
    bool body_too_large;
    bool capture;               /* the reply is kept in captured_* instead of sent (h2o's own 413) */
    /* Tests only (--test-hooks 1): the request's "X-Rounds-Test-Fault: N"
     * makes its Nth database write fail; the reply tells the writes counted
     * ("X-Rounds-Test-Writes") and whether the fault fired ("…-Fault-Fired"). */
    struct db_fault *fault;
    const char *captured_body;
    size_t captured_len;
};

/* ---- reading ---- */

/* A path parameter ("id" of "/offerings/{id}") as a NUL-terminated string. */
const char *http_param(struct http_request *req, const char *name);
/* A request header (case-insensitive name) as a NUL-terminated copy, or NULL. */
const char *http_header(struct http_request *req, const char *name);
const char *http_cookie(struct http_request *req, const char *name);
/* The parsed query string (already checked against the route's parameters). */
int http_query(struct http_request *req, struct http_kv_list **out);
/* The value of a form field of an HTML POST (or a text field of a multipart body), or NULL. */
const char *http_form(struct http_request *req, const char *name);
/* The part named name of a multipart body (file or not), or NULL. */
const struct http_part *http_part(struct http_request *req, const char *name);

/* ---- replying ---- */

void http_add_header(struct http_request *req, const char *name, const char *value);
/* "Retry-After: seconds" on the reply, when seconds > 0 (a 429 or 503). */
void http_retry_after(struct http_request *req, int64_t seconds);
/* Set-Cookie with HttpOnly, SameSite=Lax, Path=/ (Secure when the public URL is https).
 * max_age < 0 omits Max-Age (a browser-session cookie); 0 deletes it. */
void http_set_cookie(struct http_request *req, const char *name, const char *value, int64_t max_age);
void http_reply(struct http_request *req, int status, const char *content_type, const char *body, size_t len);
void http_reply_json(struct http_request *req, int status, const struct buf *json);
void http_reply_html(struct http_request *req, int status, const struct buf *html);
void http_reply_empty(struct http_request *req, int status);
/* A stored file (a document, a letter) as the reply: its bytes with its media
 * type, saved as an attachment or shown inline, with Content-Disposition
 * naming file_name (an ASCII fallback and the RFC 8187 UTF-8 form), never
 * cached, never sniffed, not readable cross-origin, framable only by Rounds'
 * own pages, and sandboxed by its policy (except an inline PDF: a sandbox
 * would block the browser's PDF viewer). */
void http_reply_file(struct http_request *req, const char *media_type, const char *file_name, bool inline_view,
                     const char *data, size_t len);
/* The same for data allocated from req->arena (a file opened for this
 * reply): sent as it is, without a copy. */
void http_reply_arena_file(struct http_request *req, const char *media_type, const char *file_name,
                           bool inline_view, const char *data, size_t len);
void http_redirect(struct http_request *req, const char *location);
/* Whether path is a path on this site to send a browser back to: "/" then
 * anything but a second "/" or "\\", printable ASCII without spaces or
 * backslashes, shorter than HTTP_LOCAL_PATH_MAX (never another origin). */
enum { HTTP_LOCAL_PATH_MAX = 1024 };
bool http_local_path(const char *path);
/* application/problem+json from the error table (or an HTML error page on page routes). */
void http_reply_error(struct http_request *req, enum error_code code, const char *field, const char *detail);
void http_reply_problem(struct http_request *req, const struct error *err);
/* The same problem+json with more members after "field" (members: JSON
 * object members without braces, '"problems":[…]'), for a refusal that lists
 * what to correct; a page route gets the HTML error page. */
void http_reply_problem_with(struct http_request *req, const struct error *err, const char *members);
/* The problem+json body of an error, for replies that are also stored (idempotency). */
void http_problem_json(struct buf *b, enum error_code code, const char *field, const char *detail);

/* Pages render their own error pages; the web layer installs this. */
typedef void (*http_html_error_fn)(struct http_request *req, int status, const char *title, const char *detail);
void http_set_html_error_renderer(http_html_error_fn fn);

/* ---- replies kept by key (http/reply_cache.c) ----
 * A reply that does not depend on who asks (an offering, a page for
 * anonymous visitors) is rendered once and kept until the object changes:
 * served with a strong ETag (a hash of its bytes, so the same on every
 * instance), 304 to an If-None-Match that names it, gzip when the client
 * takes it, and Cache-Control: no-cache (browsers keep it and ask again).
 * A search is kept under a version instead (the catalog index's generation,
 * catalog_index_generation()): served only to requests of that version, so
 * that any change the index applies retires every kept search at once. */

enum http_cache_kind {
    HTTP_CACHE_OFFERING_JSON,
    HTTP_CACHE_OFFERING_PAGE,
    HTTP_CACHE_VERIFY_JSON,     /* /api/v1/verify/{number}, by canonical number */
    HTTP_CACHE_VERIFY_PAGE,     /* /verify/{number} for visitors not signed in */
    HTTP_CACHE_SEARCH_JSON,     /* GET /api/v1/offerings, by its query in canonical form, versioned */
    HTTP_CACHE_SEARCH_PAGE,     /* /search for visitors not signed in, by its parameters, versioned */
    HTTP_CACHE_KINDS
};
/* Replies from the cache (200, or 304) and returns true, or false when
 * (kind, id) is not kept (or was kept on another day). */
bool http_cache_reply(struct http_request *req, enum http_cache_kind kind, const char *id);
/* Read before reading what a reply will show: a drop after it keeps the reply out. */
uint64_t http_cache_generation(void);
/* Replies 200 with body, kept for (kind, id) unless dropped since generation. */
void http_cache_reply_and_keep(struct http_request *req, enum http_cache_kind kind, const char *id,
                               uint64_t generation, const char *content_type, const struct buf *body);
/* The same for replies kept under a version: the version of the data the
 * reply shows (version > 0), and the version a request may be given. */
bool http_cache_reply_at(struct http_request *req, enum http_cache_kind kind, const char *id, uint64_t version);
void http_cache_reply_and_keep_at(struct http_request *req, enum http_cache_kind kind, const char *id,
                                  uint64_t version, const char *content_type, const struct buf *body);
/* Forgets every reply kept for id (the change feed calls it for each changed
 * offering, and for each revoked certificate number). */
void http_cache_drop(const char *id);
/* The most bytes kept (older unused replies go first); 8 MiB unless set. */
void http_cache_set_budget(size_t bytes);
void http_cache_clear(void);

/* ---- slow work off the event loop ---- */

/* Runs work(ctx) on a worker thread, then done(req, ctx) back on this
 * request's loop. ctx must be from http_offload_alloc (zeroed heap memory,
 * wiped and freed afterwards): work must not touch req or its arena, because
 * the client may go away meanwhile; then done is not called. */
void *http_offload_alloc(size_t size);
/* Wipes and frees a context that was never started. */
void http_offload_free(void *ctx);
void http_offload_start(struct http_request *req, void *ctx, void (*work)(void *ctx),
                        void (*done)(struct http_request *req, void *ctx));

/* ---- the database pool (http/db_pool.c) ---- */

/* For handlers of ROUTE_MEMORY routes, which a server with a database pool
 * runs on the event loop without a connection (req->db == NULL) for visitors
 * who are not signed in, and of ROUTE_LOOP_SESSION routes, run there for
 * signed-in users too (PostgreSQL): hands the request to the pool, where the
 * handler runs again with one, and returns true (the handler then returns at
 * once). False when req->db is there. */
bool http_needs_db(struct http_request *req);

/* ---- sessions (http/session.c) ---- */

/* Creates a session for user_id: sets the cookie when set_cookie, and returns
 * the token (for API clients) and the CSRF token. */
int http_session_start(struct http_request *req, const char *user_id, bool set_cookie, const char **token_out,
                       const char **csrf_out);
/* The CSRF token to put in an HTML form: the session's, or for anonymous
 * visitors a double-submit token (set as a cookie when absent). */
const char *http_form_csrf_token(struct http_request *req);
/* Ends the current session on the server and clears the cookie. */
int http_session_end(struct http_request *req);

#endif
