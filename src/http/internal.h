/* internal.h — shared between the files of src/http only (h2o types allowed). */
#ifndef ROUNDS_HTTP_INTERNAL_H
#define ROUNDS_HTTP_INTERNAL_H

#include <h2o.h>
#include <stdatomic.h>

#include "http/request.h"
#include "lib/byte_source.h"

struct connection_info;
struct pool_job;
struct http_session_reader;
struct store_session_lookup;

/* One event loop: its h2o context, listener, database connection, and the
 * queue on which worker threads post finished offload jobs. */
struct http_thread {
    int index;
    pthread_t tid;
    h2o_context_t ctx;
    h2o_accept_ctx_t accept_ctx;
    h2o_socket_t *listener;
    int listen_fd;
    struct db_conn *db;
    h2o_multithread_queue_t *queue;
    h2o_multithread_receiver_t offload_receiver;
    h2o_multithread_receiver_t db_pool_receiver;
    /* Jobs for the pool made during this turn of the loop, handed over
     * together at its end (db_pool.c): one wake-up, and one batch. */
    struct pool_job *db_pool_outbox_head, *db_pool_outbox_tail;
    size_t db_pool_outbox_count;
    h2o_timeout_entry_t db_pool_flush;
    /* With a database pool on PostgreSQL: the loop's own connection that
     * reads sessions without blocking (session_reader.c); NULL without. */
    struct http_session_reader *session_reader;
    h2o_multithread_receiver_t shutdown_receiver;
    h2o_multithread_message_t shutdown_message;
    int connections;              /* open on this loop (atomic: other loops read it) */
    int incoming;                 /* handed over by another loop, not taken yet (atomic) */
    h2o_multithread_receiver_t handoff_receiver;
    struct connection_info *open_connections;
    int jobs_in_flight;
    bool shutting_down;
    uint64_t request_counter;
};

/* A header copied into a detached request's arena (name in lower case). */
struct http_header_copy {
    const char *name, *value;
    size_t name_len, value_len;
};

/* A detached request's session, read ahead with those of other requests in
 * one query by the pool (http_session_prefetch); authentication takes it
 * instead of reading its own. */
struct http_prefetched_session {
    char token_hash[65];
    struct store_session session;
    struct store_user *user;
    int rc; /* DB_ROW or DB_DONE */
};

/* A request that runs, or may run, on the database pool: what the handler
 * reads of h2o's request, copied, and the reply it makes, recorded, applied
 * to h2o back on the loop (if the client is still there). */
struct http_detached {
    struct http_thread *thread;
    struct http_header_copy *in;      /* the request's headers */
    size_t in_count;
    struct http_header_copy *out;     /* the reply's headers */
    size_t out_count, out_capacity;
    int status;
    const char *content_type, *body;
    size_t len;
    struct byte_source file;          /* a body sent as it is read (reply_file.c), instead of body */
    bool wants_db;                    /* a handler on the loop (or its checks) asked for the pool */
    bool checks_done;                 /* its checks passed and its handler ran (the pool runs only the handler) */
    struct http_prefetched_session *prefetched; /* NULL: authentication reads the session itself */
    void *pool_job;                   /* db_pool.c's job carrying the request, while in the pool */
    void *offload;                    /* slow work it started, queued once its pool thread lets go (offload.c) */
};

struct http_server {
    const struct http_options *options;
    struct router_index *routes;  /* options->routes, indexed (router.h) */
    h2o_globalconf_t globalconf;
    struct http_thread *threads;
    int thread_count;
    size_t largest_body;
    atomic_int connections;
    atomic_int threads_ready;     /* loops that can take a shutdown message (registered their receivers) */
    int db_pool;                  /* connections of the request pool (0: none, the loops query) */
};

extern struct http_server http_server_state;

/* request.c */
void http_dispatch(struct http_thread *thread, h2o_req_t *h2o_req);
/* A reply built but not sent. */
struct http_captured_reply {
    int status;
    const char *reason;
    h2o_iovec_t body;           /* in the request's pool */
};
/* Rounds' reply to a request whose body h2o refused from its declared length
 * (over every route's cap) before reading it: a 413 naming the route's limit
 * (the styled page with a way back for a page, problem+json for the API) and
 * one log line. No handler runs. Headers go into the h2o request's response
 * as usual; the rest into out. -1 when none came. */
int http_too_large_reply(struct http_thread *thread, h2o_req_t *h2o_req, struct http_captured_reply *out);
/* session.c: authenticates req from its bearer token or cookie; replies and
 * returns -1 when the request must stop (bad token, CSRF failure). */
int http_session_authenticate(struct http_request *req);
int http_csrf_check(struct http_request *req);
/* Reads the sessions of the requests in one query (their well-formed tokens,
 * when there are two or more) and leaves each its answer for
 * http_session_authenticate; a failed query leaves them to read their own. */
void http_session_prefetch(struct http_request **reqs, size_t count, struct db_conn *conn);
/* Its parts: a lookup for each request with a well-formed token and no answer
 * yet (owners[i] is lookups[i]'s request), up to STORE_SESSION_BATCH_MAX; each
 * given its prefetched answer to fill. */
size_t http_session_lookups(struct http_request **reqs, size_t count, struct store_session_lookup *lookups,
                            struct http_request **owners);
/* The answers read into the lookups (read false: the query failed, and each
 * request reads its own). */
void http_session_answers(struct http_request **owners, const struct store_session_lookup *lookups, size_t count,
                          bool read);
/* The query's bounds: sessions seen after idle_after and created after created_after are valid. */
void http_session_bounds(const struct http_options *options, int64_t *idle_after, int64_t *created_after);
/* Whether the request carries a session token (bearer or cookie), valid or not. */
bool http_session_present(struct http_request *req);
/* request.c */
const char *http_reason_phrase(int status);
/* request.c: runs the checks and the handler (or only the handler again). */
void http_run_pipeline(struct http_request *req, bool handler_only);
/* db_pool.c */
int http_db_pool_start(const char *db_target, int size);
void http_db_pool_stop(void);
struct http_request *http_detached_new(struct http_thread *thread, h2o_req_t *r);
/* Hands a detached request to the pool (handler_only: the checks ran on the loop). */
void http_db_pool_submit(struct http_request *req, h2o_req_t *r, bool handler_only);
/* The slow work of a pooled request is done (offload.c): its completion, done,
 * is queued to run on a pool thread with a connection. */
void http_db_pool_resume(struct http_request *req, void *ctx, void (*done)(struct http_request *req, void *ctx));
/* Writes a detached request's recorded reply to h2o and frees it. */
void http_detached_finish(struct http_request *req, h2o_req_t *r);
/* Frees a detached request whose client went away. */
void http_detached_free(struct http_request *req);
/* connection_park.c: keeps an HTTP/1 connection in the loop's epoll set while
 * its request waits for the database; unparked before its reply is given. */
/* connection_balance.c: true when sock went to a loop holding fewer
 * connections than `from` (it is no longer `from`'s); false: `from` keeps it. */
bool http_connection_hand_over(struct http_thread *from, h2o_socket_t *sock);
void http_connection_on_handoff(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages);
/* server.c: a loop takes an accepted socket (limits, tracking, h2o). */
void http_connection_open(struct http_thread *thread, h2o_socket_t *sock);
void http_connection_park(h2o_req_t *r);
void http_connection_unpark(h2o_req_t *r);
void http_db_pool_on_done(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages);
/* session_reader.c (with a database pool): the loop's session reader, when
 * the backend reads without blocking (PostgreSQL); nothing otherwise. */
void http_session_reader_start(struct http_thread *thread);
void http_session_reader_stop(struct http_thread *thread);
/* Takes a request of a ROUTE_LOOP_SESSION route with a session token: its
 * session is read on the loop, then it runs there (or on the pool when it
 * needs the database after all). False: not taken (the reader is down). */
bool http_session_reader_take(struct http_request *req, h2o_req_t *r);
/* reply_file.c: sends file (taken over) as the body of r, whose status and
 * headers are set; 503 when memory is short. */
void http_file_stream_send(h2o_req_t *r, struct byte_source *file, const char *request_id);
/* offload.c */
int http_offload_pool_start(int workers);
void http_offload_pool_stop(void);
void http_offload_on_done(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages);
/* Queues the slow work a pooled request started, now that its pool thread has
 * let go of it (the completion may run on another pool thread at once). */
void http_offload_release(struct http_request *req);

#endif
