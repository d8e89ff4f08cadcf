/* internal.h — shared between the files of src/http only (h2o types allowed). */
#ifndef ROUNDS_HTTP_INTERNAL_H
#define ROUNDS_HTTP_INTERNAL_H

#include <h2o.h>
#include <stdatomic.h>

#include "http/request.h"

struct connection_info;

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
    h2o_multithread_receiver_t shutdown_receiver;
    h2o_multithread_message_t shutdown_message;
    int connections;
    struct connection_info *open_connections;
    int jobs_in_flight;
    bool shutting_down;
    uint64_t request_counter;
};

struct http_server {
    const struct http_options *options;
    h2o_globalconf_t globalconf;
    struct http_thread *threads;
    int thread_count;
    size_t largest_body;
    atomic_int connections;
};

extern struct http_server http_server_state;

/* request.c */
void http_dispatch(struct http_thread *thread, h2o_req_t *h2o_req);
/* session.c: authenticates req from its bearer token or cookie; replies and
 * returns -1 when the request must stop (bad token, CSRF failure). */
int http_session_authenticate(struct http_request *req);
int http_csrf_check(struct http_request *req);
/* offload.c */
int http_offload_pool_start(int workers);
void http_offload_pool_stop(void);
void http_offload_on_done(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages);

#endif
