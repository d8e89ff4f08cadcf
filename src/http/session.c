/* session.c — sessions and CSRF.
 *
 * A session is a random 32-byte token held by the client (bearer header or
 * HttpOnly cookie) and stored only as its BLAKE2b hash. Cookie sessions need
 * their CSRF token on every unsafe method; anonymous HTML forms use a
 * double-submit cookie instead. A cross-site Origin is refused outright. */
#include <string.h>

#include "http/internal.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/log.h"
#include "store/session_batch.h"

static const char session_cookie[] = "rounds_session";
static const char form_cookie[] = "rounds_csrf";

/* Tokens are 43 base64url characters; anything else is not worth a lookup. */
static bool token_well_formed(const char *token)
{
    if (strlen(token) != 43)
        return false;
    for (const char *p = token; *p != '\0'; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
              *p == '_'))
            return false;
    return true;
}

bool http_session_present(struct http_request *req)
{
    return http_header(req, "authorization") != NULL || http_cookie(req, session_cookie) != NULL;
}

/* The token the request carries: *token NULL for none; false when its
 * Authorization header is not a bearer token. */
static bool session_token(struct http_request *req, const char **token, bool *via_cookie)
{
    const char *authorization = http_header(req, "authorization");
    *token = NULL;
    *via_cookie = authorization == NULL;
    if (authorization == NULL) {
        *token = http_cookie(req, session_cookie);
        return true;
    }
    if (strncasecmp(authorization, "Bearer ", 7) != 0)
        return false;
    *token = authorization + 7;
    return true;
}

size_t http_session_lookups(struct http_request **reqs, size_t count, struct store_session_lookup *lookups,
                           struct http_request **owners)
{
    size_t n = 0;
    for (size_t i = 0; i < count && n < STORE_SESSION_BATCH_MAX; i++) {
        const char *token = NULL;
        bool via_cookie = false;
        struct http_request *req = reqs[i];
        /* One whose session was read already (on its loop) keeps that answer. */
        if (req->detached == NULL || req->detached->prefetched != NULL || !session_token(req, &token, &via_cookie) ||
            token == NULL || !token_well_formed(token))
            continue;
        struct http_prefetched_session *ahead = arena_calloc(&req->arena, 1, sizeof(*ahead));
        struct store_user *user = arena_calloc(&req->arena, 1, sizeof(*user));
        if (ahead == NULL || user == NULL)
            continue;
        crypto_hash_token(token, ahead->token_hash);
        ahead->user = user;
        lookups[n] = (struct store_session_lookup){.token_hash = ahead->token_hash, .arena = &req->arena, .user = user};
        owners[n] = req;
        req->detached->prefetched = ahead;
        n++;
    }
    return n;
}

void http_session_answers(struct http_request **owners, const struct store_session_lookup *lookups, size_t count,
                          bool read)
{
    for (size_t i = 0; i < count; i++) {
        struct http_prefetched_session *ahead = owners[i]->detached->prefetched;
        if (!read) {
            owners[i]->detached->prefetched = NULL; /* it reads its own */
            continue;
        }
        ahead->session = lookups[i].session;
        ahead->rc = lookups[i].rc;
    }
}

void http_session_bounds(const struct http_options *options, int64_t *idle_after, int64_t *created_after)
{
    int64_t now = clock_now();
    *idle_after = now - options->session_idle_seconds;
    *created_after = now - options->session_absolute_seconds;
}

void http_session_prefetch(struct http_request **reqs, size_t count, struct db_conn *conn)
{
    struct store_session_lookup lookups[STORE_SESSION_BATCH_MAX];
    struct http_request *owners[STORE_SESSION_BATCH_MAX];
    size_t n = http_session_lookups(reqs, count, lookups, owners);
    int64_t idle_after = 0, created_after = 0;
    if (n > 0)
        http_session_bounds(owners[0]->options, &idle_after, &created_after);
    /* One alone reads its own (the single-token query). */
    bool read = n >= 2 && store_session_find_users(conn, lookups, n, idle_after, created_after) == DB_OK;
    http_session_answers(owners, lookups, n, read);
}

int http_session_authenticate(struct http_request *req)
{
    const char *token = NULL;
    bool via_cookie = false;
    if (!session_token(req, &token, &via_cookie)) {
        http_reply_error(req, ERR_UNAUTHENTICATED, NULL, "use Authorization: Bearer <token>");
        return -1;
    }
    if (token == NULL)
        return 0;

    struct http_prefetched_session *ahead = req->detached != NULL ? req->detached->prefetched : NULL;
    struct store_session session = {0};
    struct store_user *user = ahead != NULL ? ahead->user : arena_calloc(&req->arena, 1, sizeof(*user));
    int rc = user == NULL ? DB_ERROR : DB_DONE;
    char hash[65];
    int64_t now = clock_now();
    if (ahead != NULL) {
        /* Read a moment ago, with the sessions of other requests. */
        memcpy(hash, ahead->token_hash, sizeof(hash));
        session = ahead->session;
        rc = ahead->rc;
    } else if (user != NULL && token_well_formed(token)) {
        if (http_needs_db(req))
            return -1; /* on its loop without an answer: the pool reads it */
        crypto_hash_token(token, hash);
        rc = store_session_find_user(req->db, &req->arena, hash, now - req->options->session_idle_seconds,
                                     now - req->options->session_absolute_seconds, &session, user);
    }
    /* Refresh the idle clock at most once a minute, not on every request
     * (on the pool, with the answer read on the loop, when the loop has no
     * connection to write with). */
    bool touch = rc == DB_ROW && now - session.last_seen_at >= 60;
    if (touch && http_needs_db(req))
        return -1;
    if (ahead != NULL)
        req->detached->prefetched = NULL;
    if (touch)
        store_session_touch(req->db, hash, now);
    if (rc == DB_ROW) {
        req->auth.authenticated = true;
        req->auth.via_cookie = via_cookie;
        req->auth.token_hash = arena_strdup(&req->arena, hash);
        req->auth.csrf_token = session.csrf_token;
        req->auth.user_id = session.user_id;
        req->auth.user = user;
        req->auth.enrol_only = session.enrol_second_factor;
        return 0;
    }
    if (rc != DB_DONE) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, "the database is not answering");
        return -1;
    }
    if (!via_cookie) {
        http_reply_error(req, ERR_UNAUTHENTICATED, NULL, "the token is invalid or expired");
        return -1;
    }
    /* A stale cookie: carry on anonymously and drop it. */
    http_set_cookie(req, session_cookie, "", 0);
    return 0;
}

/* "https://example.org:8443/path" → "https://example.org:8443". */
static size_t origin_length(const char *url)
{
    const char *scheme_end = strstr(url, "://");
    if (scheme_end == NULL)
        return strlen(url);
    const char *slash = strchr(scheme_end + 3, '/');
    return slash == NULL ? strlen(url) : (size_t)(slash - url);
}

static bool origin_allowed(struct http_request *req, const char *origin)
{
    const char *public_url = req->options->public_url;
    if (public_url != NULL) {
        size_t n = origin_length(public_url);
        if (strlen(origin) == n && strncasecmp(origin, public_url, n) == 0)
            return true;
    }
    /* Same host as the request: scheme + "://" + the authority it asked for. */
    const char *scheme_end = strstr(origin, "://");
    return req->authority != NULL && req->authority[0] != '\0' && scheme_end != NULL &&
           strcasecmp(scheme_end + 3, req->authority) == 0;
}

int http_csrf_check(struct http_request *req)
{
    if (req->method == HTTP_GET || req->method == HTTP_HEAD || req->method == HTTP_OPTIONS)
        return 0;
    const char *origin = http_header(req, "origin");
    if (origin != NULL && strcmp(origin, "null") != 0 && !origin_allowed(req, origin)) {
        http_reply_error(req, ERR_CSRF_FAILED, NULL, "cross-site requests are refused");
        return -1;
    }
    bool html = (req->route->flags & ROUTE_HTML) != 0;
    const char *sent = http_header(req, "x-csrf-token");
    if (sent == NULL && html)
        sent = http_form(req, "csrf_token");

    if (req->auth.authenticated && req->auth.via_cookie) {
        if (sent != NULL && crypto_equal(sent, req->auth.csrf_token))
            return 0;
    } else if (req->auth.authenticated || !html) {
        /* Bearer tokens need no CSRF token; anonymous JSON can only be sent
         * cross-site with a CORS preflight, which Rounds never grants. */
        return 0;
    } else {
        const char *cookie = http_cookie(req, form_cookie);
        if (sent != NULL && cookie != NULL && token_well_formed(cookie) && crypto_equal(sent, cookie))
            return 0;
    }
    if (html && (req->route->flags & ROUTE_NO_CSRF))
        return 0;
    http_reply_error(req, ERR_CSRF_FAILED, "csrf_token", "reload the page and try again");
    return -1;
}

const char *http_form_csrf_token(struct http_request *req)
{
    if (req->auth.authenticated && req->auth.via_cookie)
        return req->auth.csrf_token;
    const char *cookie = http_cookie(req, form_cookie);
    if (cookie != NULL && token_well_formed(cookie))
        return cookie;
    char *token = arena_alloc(&req->arena, 44);
    crypto_random_token(token);
    http_set_cookie(req, form_cookie, token, -1);
    return token;
}

int http_session_start(struct http_request *req, const char *user_id, bool set_cookie, const char **token_out,
                       const char **csrf_out)
{
    char *token = arena_alloc(&req->arena, 44);
    char *csrf = arena_alloc(&req->arena, 44);
    char hash[65];
    crypto_random_token(token);
    crypto_random_token(csrf);
    crypto_hash_token(token, hash);
    int rc = store_session_insert(req->db, hash, user_id, csrf, clock_now());
    if (rc != DB_OK)
        return rc;
    if (set_cookie)
        http_set_cookie(req, session_cookie, token, req->options->session_absolute_seconds);
    req->auth.authenticated = true;
    req->auth.via_cookie = set_cookie;
    req->auth.csrf_token = csrf;
    req->auth.user_id = user_id;
    req->auth.user = NULL;
    req->auth.enrol_only = false;
    req->auth.token_hash = arena_strdup(&req->arena, hash);
    if (token_out != NULL)
        *token_out = token;
    if (csrf_out != NULL)
        *csrf_out = csrf;
    return DB_OK;
}

int http_session_end(struct http_request *req)
{
    int rc = DB_OK;
    if (req->auth.token_hash != NULL)
        rc = store_session_delete(req->db, req->auth.token_hash);
    http_set_cookie(req, session_cookie, "", 0);
    req->auth.authenticated = false;
    req->auth.user = NULL;
    return rc;
}
