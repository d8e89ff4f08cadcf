/* server.c — event loops, listeners, connection limits and graceful shutdown.
 *
 * Each loop thread owns an h2o context, its own SO_REUSEPORT listener (so the
 * kernel spreads connections over the loops; a loop hands one it accepted to
 * a loop that holds fewer: connection_balance.c) and its own database connection.
 * The main thread only waits for SIGINT/SIGTERM, then asks every loop to stop
 * accepting and to finish in-flight work before the deadline. */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/internal.h"
#include "http/metrics_server.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "store/store.h"

struct http_server http_server_state;

/* ---- connections per client address (shared by all loops) ---- */

enum { CLIENT_SLOTS = 4096 };
struct client_slot {
    char addr[INET6_ADDRSTRLEN];
    int count;
};
static struct client_slot client_slots[CLIENT_SLOTS];
static pthread_mutex_t client_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t client_hash(const char *addr)
{
    size_t h = 5381;
    for (; *addr != '\0'; addr++)
        h = h * 33 + (unsigned char)*addr;
    return h % CLIENT_SLOTS;
}

/* Counts one more connection from addr; false when it is over the limit. */
static bool client_acquire(const char *addr, int limit)
{
    bool ok = false;
    pthread_mutex_lock(&client_lock);
    size_t i = client_hash(addr);
    for (size_t probes = 0; probes < CLIENT_SLOTS; probes++, i = (i + 1) % CLIENT_SLOTS) {
        struct client_slot *slot = &client_slots[i];
        if (slot->count > 0 && strcmp(slot->addr, addr) == 0) {
            if (slot->count < limit) {
                slot->count++;
                ok = true;
            }
            break;
        }
        if (slot->count == 0) {
            snprintf(slot->addr, sizeof(slot->addr), "%s", addr);
            slot->count = 1;
            ok = true;
            break;
        }
    }
    pthread_mutex_unlock(&client_lock);
    return ok;
}

static void client_release(const char *addr)
{
    pthread_mutex_lock(&client_lock);
    size_t i = client_hash(addr);
    for (size_t probes = 0; probes < CLIENT_SLOTS; probes++, i = (i + 1) % CLIENT_SLOTS) {
        struct client_slot *slot = &client_slots[i];
        if (slot->count > 0 && strcmp(slot->addr, addr) == 0) {
            slot->count--;
            break;
        }
    }
    pthread_mutex_unlock(&client_lock);
}

/* Lives as long as the connection; released from the socket's on_close.
 * Each loop keeps its open connections in a list for graceful shutdown. */
struct connection_info {
    struct http_thread *thread;
    h2o_socket_t *sock;
    struct connection_info *prev, *next;
    char addr[INET6_ADDRSTRLEN];
};

static void on_connection_close(void *data)
{
    struct connection_info *info = data;
    if (info->prev != NULL)
        info->prev->next = info->next;
    else
        info->thread->open_connections = info->next;
    if (info->next != NULL)
        info->next->prev = info->prev;
    __atomic_fetch_sub(&info->thread->connections, 1, __ATOMIC_RELAXED);
    atomic_fetch_sub(&http_server_state.connections, 1);
    client_release(info->addr);
    free(info);
}

static void peer_address(h2o_socket_t *sock, char *out, size_t size)
{
    struct sockaddr_storage ss;
    socklen_t len = h2o_socket_getpeername(sock, (struct sockaddr *)&ss);
    snprintf(out, size, "unknown");
    if (len == 0)
        return;
    if (ss.ss_family == AF_INET)
        inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, out, (socklen_t)size);
    else if (ss.ss_family == AF_INET6)
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, out, (socklen_t)size);
}

/* Takes over an accepted socket: counts it against the limits (closing it
 * when over), tracks it for graceful shutdown and hands it to h2o. */
void http_connection_open(struct http_thread *thread, h2o_socket_t *sock)
{
    const struct http_options *options = http_server_state.options;
    struct connection_info *info = calloc(1, sizeof(*info));
    if (info == NULL) {
        h2o_socket_close(sock);
        return;
    }
    info->thread = thread;
    peer_address(sock, info->addr, sizeof(info->addr));
    if (atomic_load(&http_server_state.connections) >= options->max_connections ||
        !client_acquire(info->addr, options->max_connections_per_client)) {
        log_info("msg=\"connection refused: limit reached\"");
        free(info);
        h2o_socket_close(sock);
        return;
    }
    atomic_fetch_add(&http_server_state.connections, 1);
    __atomic_fetch_add(&thread->connections, 1, __ATOMIC_RELAXED);
    sock->on_close.cb = on_connection_close;
    sock->on_close.data = info;
    info->sock = sock;
    info->next = thread->open_connections;
    if (info->next != NULL)
        info->next->prev = info;
    thread->open_connections = info;
    h2o_accept(&thread->accept_ctx, sock);
}

static void on_accept(h2o_socket_t *listener, const char *err)
{
    struct http_thread *thread = listener->data;
    if (err != NULL)
        return;
    /* Accept a few per wake-up so that one loop does not starve the others. */
    for (int i = 0; i < 16; i++) {
        h2o_socket_t *sock = h2o_evloop_socket_accept(listener);
        if (sock == NULL)
            return;
        if (!http_connection_hand_over(thread, sock))
            http_connection_open(thread, sock);
    }
}

static int open_listener(const struct http_options *options)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE};
    struct addrinfo *res = NULL;
    char port[16];
    snprintf(port, sizeof(port), "%d", options->listen_port);
    if (getaddrinfo(options->listen_host, port, &hints, &res) != 0 || res == NULL) {
        log_error("msg=\"cannot resolve listen address\" host=%s", options->listen_host);
        return -1;
    }
    int fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int on = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) != 0 ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)) != 0 ||
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) != 0 ||
        bind(fd, res->ai_addr, res->ai_addrlen) != 0 || listen(fd, 1024) != 0) {
        log_error("msg=\"cannot listen\" host=%s port=%d error=\"%s\"", options->listen_host, options->listen_port,
                  strerror(errno));
        if (fd >= 0)
            close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}

/* The port the kernel chose when options asked for port 0. */
static int bound_port(int fd)
{
    union {
        struct sockaddr sa;
        struct sockaddr_in in;
        struct sockaddr_in6 in6;
        struct sockaddr_storage storage;
    } addr;
    memset(&addr, 0, sizeof(addr));
    socklen_t len = sizeof(addr);
    if (getsockname(fd, &addr.sa, &len) != 0)
        return -1;
    return ntohs(addr.sa.sa_family == AF_INET ? addr.in.sin_port : addr.in6.sin6_port);
}

/* The loop thread running this code (set once in thread_main). */
static __thread struct http_thread *current_thread;

static int on_req(h2o_handler_t *self, h2o_req_t *req)
{
    (void)self;
    http_dispatch(current_thread, req);
    return 0;
}

/* ---- h2o's own 413 ----
 * h2o refuses a body whose declared length is over its limit before reading
 * it, with a plain-text 413 of its own that never reaches on_req: it goes
 * through the host's fallback path, where this filter replaces it with
 * Rounds' reply (http_too_large_reply). The connection still closes
 * after it, so the unread body is never read. */

struct replaced_body {
    h2o_ostream_t super;
    h2o_iovec_t body;
};

static void replaced_body_send(h2o_ostream_t *self, h2o_req_t *req, h2o_iovec_t *bufs, size_t bufcnt,
                               h2o_send_state_t state)
{
    struct replaced_body *replaced = (struct replaced_body *)self;
    if (bufcnt > 0 && replaced->body.len > 0) {
        h2o_iovec_t body = replaced->body;
        replaced->body = h2o_iovec_init(NULL, 0);
        h2o_ostream_send_next(self, req, &body, 1, state);
        return;
    }
    (void)bufs;
    h2o_ostream_send_next(self, req, NULL, 0, state);
}

static void on_setup_refusal(h2o_filter_t *self, h2o_req_t *req, h2o_ostream_t **slot)
{
    (void)self;
    if (req->res.status == 413 && current_thread != NULL) {
        h2o_headers_t plain = req->res.headers;
        memset(&req->res.headers, 0, sizeof(req->res.headers));
        struct http_captured_reply reply;
        if (http_too_large_reply(current_thread, req, &reply) == 0) {
            req->res.status = reply.status;
            req->res.reason = reply.reason;
            req->res.content_length = reply.body.len;
            struct replaced_body *replaced = (void *)h2o_add_ostream(req, sizeof(*replaced), slot);
            replaced->super.do_send = replaced_body_send;
            replaced->body = reply.body;
            slot = &replaced->super.next;
        } else {
            req->res.headers = plain; /* h2o's own reply, then */
        }
    }
    h2o_setup_next_ostream(req, slot);
}

static void on_shutdown_message(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
    struct http_thread *thread = H2O_STRUCT_FROM_MEMBER(struct http_thread, shutdown_receiver, receiver);
    /* The message is the thread's own shutdown_message: nothing to free. */
    while (!h2o_linklist_is_empty(messages))
        h2o_linklist_unlink(messages->next);
    if (thread->shutting_down)
        return;
    __atomic_store_n(&thread->shutting_down, true, __ATOMIC_RELAXED); /* read by the other loops */
    /* Stop accepting: close this loop's listener, then ask open connections to wind down. */
    if (thread->listener != NULL) {
        h2o_socket_read_stop(thread->listener);
        h2o_socket_close(thread->listener);
        thread->listener = NULL;
    }
    h2o_context_request_shutdown(&thread->ctx);
    /* h2o 2.2 leaves idle HTTP/1.1 keep-alive connections open. Shutting down
     * their read side makes each one end as soon as it is idle: a request in
     * flight still gets its reply, then the next read sees end-of-file. */
    for (struct connection_info *c = thread->open_connections; c != NULL; c = c->next)
        shutdown(h2o_socket_get_fd(c->sock), SHUT_RD);
}

static bool thread_idle(struct http_thread *thread)
{
    return thread->jobs_in_flight == 0 && __atomic_load_n(&thread->incoming, __ATOMIC_RELAXED) == 0 &&
           h2o_linklist_is_empty(&thread->ctx.http1._conns) &&
           h2o_linklist_is_empty(&thread->ctx.http2._conns);
}

/* The loop of a thread: its h2o context and the queue on which offload and
 * pool completions, and the shutdown message, come back. */
static h2o_evloop_t *thread_loop_create(struct http_thread *thread)
{
    h2o_evloop_t *loop = h2o_evloop_create();
    h2o_context_init(&thread->ctx, loop, &http_server_state.globalconf);
    thread->accept_ctx.ctx = &thread->ctx;
    thread->accept_ctx.hosts = http_server_state.globalconf.hosts;
    thread->queue = h2o_multithread_create_queue(loop);
    h2o_multithread_register_receiver(thread->queue, &thread->offload_receiver, http_offload_on_done);
    h2o_multithread_register_receiver(thread->queue, &thread->db_pool_receiver, http_db_pool_on_done);
    h2o_multithread_register_receiver(thread->queue, &thread->shutdown_receiver, on_shutdown_message);
    h2o_multithread_register_receiver(thread->queue, &thread->handoff_receiver, http_connection_on_handoff);
    return loop;
}

static void *thread_main(void *arg)
{
    struct http_thread *thread = arg;
    const struct http_options *options = http_server_state.options;
    current_thread = thread;
    h2o_evloop_t *loop = thread_loop_create(thread);
    thread->listener = h2o_evloop_socket_create(loop, thread->listen_fd, H2O_SOCKET_FLAG_DONT_READ);
    thread->listener->data = thread;
    h2o_socket_read_start(thread->listener, on_accept);
    http_session_reader_start(thread);
    atomic_fetch_add(&http_server_state.threads_ready, 1);

    double deadline = 0;
    for (;;) {
        h2o_evloop_run(loop, 200);
        if (!thread->shutting_down)
            continue;
        if (deadline == 0)
            deadline = clock_monotonic_ms() + options->shutdown_deadline_ms;
        if (thread_idle(thread) || clock_monotonic_ms() > deadline)
            break;
    }
    if (!thread_idle(thread))
        log_warn("msg=\"shutdown deadline passed with work in flight\" thread=%d", thread->index);
    http_session_reader_stop(thread);
    h2o_multithread_unregister_receiver(thread->queue, &thread->offload_receiver);
    h2o_multithread_unregister_receiver(thread->queue, &thread->db_pool_receiver);
    h2o_multithread_unregister_receiver(thread->queue, &thread->shutdown_receiver);
    h2o_multithread_unregister_receiver(thread->queue, &thread->handoff_receiver);
    /* The context and loop are left to process exit: h2o 2.2 has no safe way to
     * destroy a loop that may still hold closing sockets. */
    return NULL;
}

static void configure_h2o(const struct http_options *options)
{
    h2o_globalconf_t *conf = &http_server_state.globalconf;
    h2o_config_init(conf);
    conf->server_name = h2o_iovec_init(H2O_STRLIT("rounds"));
    /* The largest body any route takes, by the rule of check_body() in
     * request.c: its max_body, else max_upload + UPLOAD_OVERHEAD for upload
     * routes, else the default. */
    size_t largest = options->max_body;
    for (size_t i = 0; i < options->route_count; i++) {
        const struct route *route = &options->routes[i];
        size_t cap = route->max_body;
        if (cap == 0)
            cap = (route->flags & ROUTE_UPLOAD) ? options->max_upload + UPLOAD_OVERHEAD : options->max_body;
        if (cap > largest)
            largest = cap;
    }
    http_server_state.largest_body = largest;
    /* h2o buffers whole bodies, up to UPLOAD_GRACE over the largest cap so
     * that an upload a little too big reaches its page (which shows the form
     * again with what was typed); above, it refuses the declared length
     * before reading the body, and on_setup_refusal answers. */
    size_t h2o_cap = largest + UPLOAD_GRACE > (size_t)4 << 20 ? largest + UPLOAD_GRACE : (size_t)4 << 20;
    conf->max_request_entity_size = h2o_cap;
    conf->http1.req_timeout = (uint64_t)options->request_timeout_ms;
    conf->http2.idle_timeout = (uint64_t)options->idle_timeout_ms;
    conf->http2.graceful_shutdown_timeout = (uint64_t)options->shutdown_deadline_ms;

    h2o_hostconf_t *host = h2o_config_register_host(conf, h2o_iovec_init(H2O_STRLIT("default")), 65535);
    h2o_pathconf_t *path = h2o_config_register_path(host, "/", 0);
    h2o_handler_t *handler = h2o_create_handler(path, sizeof(*handler));
    handler->on_req = on_req;
    /* gzip for text replies over 1 KB when the client takes it (replies from
     * http/reply_cache.c come compressed already and pass through). */
    h2o_compress_args_t compress = {.min_size = 1024, .gzip = {.quality = 1}, .brotli = {.quality = -1}};
    h2o_compress_register(path, &compress);
    /* h2o's early refusals are bound to the host's fallback path. */
    h2o_filter_t *refusal = h2o_create_filter(&host->fallback_path, sizeof(*refusal));
    refusal->on_setup_ostream = on_setup_refusal;
}

int64_t http_open_connections(void)
{
    return atomic_load(&http_server_state.connections);
}

int64_t *http_loop_connections(struct arena *arena, size_t *count)
{
    const struct http_server *server = &http_server_state;
    *count = 0;
    if (server->threads == NULL || server->thread_count < 1)
        return NULL;
    int64_t *each = arena_alloc(arena, sizeof(int64_t) * (size_t)server->thread_count);
    if (each == NULL)
        return NULL;
    for (int i = 0; i < server->thread_count; i++)
        each[i] = __atomic_load_n(&server->threads[i].connections, __ATOMIC_RELAXED);
    *count = (size_t)server->thread_count;
    return each;
}

int http_serve(const struct http_options *options)
{
    int status = 1;
    struct http_server *server = &http_server_state;
    server->options = options;
    int cores = (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (cores < 1)
        cores = 1;
    server->thread_count = options->threads > 0 ? options->threads : HTTP_LOOPS_PER_CORE * cores;
    server->threads = calloc((size_t)server->thread_count, sizeof(*server->threads));
    if (server->threads == NULL)
        return 1;

    /* Signals are taken by sigwait() in this thread only. */
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, NULL);
    signal(SIGPIPE, SIG_IGN);

    configure_h2o(options);
    if (router_index_new(options->routes, options->route_count, &server->routes) != 0) {
        log_error("msg=\"out of memory indexing the routes\"");
        goto out;
    }
    /* With a database pool the loops hold no connection: requests that query go to the pool. */
    bool postgres = strcmp(db_driver_for(options->db_target)->name, "postgres") == 0;
    int pg_pool = cores > HTTP_DB_POOL_PG_MIN ? cores : HTTP_DB_POOL_PG_MIN;
    server->db_pool = options->db_pool >= 0 ? options->db_pool : postgres ? pg_pool : 0;
    int port = options->listen_port;
    for (int i = 0; i < server->thread_count; i++) {
        struct http_thread *t = &server->threads[i];
        t->index = i;
        struct http_options bound = *options;
        bound.listen_port = port;
        t->listen_fd = open_listener(&bound);
        if (t->listen_fd < 0)
            goto out;
        if (port == 0)
            port = bound_port(t->listen_fd); /* later loops share the chosen port */
        if (server->db_pool == 0 && db_open(options->db_target, &t->db) != DB_OK)
            goto out;
    }
    if (http_offload_pool_start(options->workers) != 0)
        goto out;
    if (server->db_pool > 0 && http_db_pool_start(options->db_target, server->db_pool) != 0) {
        log_error("msg=\"could not open the database pool\" connections=%d", server->db_pool);
        goto out;
    }
    if (http_metrics_start(options) != 0)
        goto out;
    for (int i = 0; i < server->thread_count; i++)
        pthread_create(&server->threads[i].tid, NULL, thread_main, &server->threads[i]);
    /* Ready only when every loop can receive the shutdown message: a signal
     * right after the ready file must not find a receiver without its queue. */
    while (atomic_load(&server->threads_ready) < server->thread_count) {
        struct timespec pause = {0, 1000000L};
        nanosleep(&pause, NULL);
    }

    log_info("msg=listening addr=%s:%d threads=%d backend=%s db_pool=%d", options->listen_host, port,
             server->thread_count, db_driver_for(options->db_target)->name, server->db_pool);
    if (options->ready_file != NULL) {
        FILE *f = fopen(options->ready_file, "w");
        if (f != NULL) {
            fprintf(f, "%s:%d\n", options->listen_host, port);
            fclose(f);
        }
    }

    int sig = 0;
    sigwait(&signals, &sig);
    log_info("msg=\"shutting down\" signal=%s", sig == SIGINT ? "SIGINT" : "SIGTERM");
    for (int i = 0; i < server->thread_count; i++)
        h2o_multithread_send_message(&server->threads[i].shutdown_receiver, &server->threads[i].shutdown_message);
    for (int i = 0; i < server->thread_count; i++)
        pthread_join(server->threads[i].tid, NULL);
    http_offload_pool_stop();
    http_db_pool_stop();
    status = 0;
out:
    http_metrics_stop();
    if (status != 0)
        http_db_pool_stop();
    for (int i = 0; i < server->thread_count; i++)
        db_close(server->threads[i].db);
    router_index_free(server->routes);
    server->routes = NULL;
    log_info("msg=stopped");
    return status;
}

/* ---- one loop on the caller's thread, without a listener (server.h) ---- */

int http_local_start(const struct http_options *options)
{
    struct http_server *server = &http_server_state;
    server->options = options;
    server->thread_count = 1;
    server->threads = calloc(1, sizeof(*server->threads));
    if (server->threads == NULL)
        return -1;
    signal(SIGPIPE, SIG_IGN);
    configure_h2o(options);
    if (router_index_new(options->routes, options->route_count, &server->routes) != 0)
        return -1;
    server->db_pool = 0; /* the loop queries its own connection */
    struct http_thread *thread = &server->threads[0];
    if (db_open(options->db_target, &thread->db) != DB_OK || http_offload_pool_start(options->workers) != 0)
        return -1;
    current_thread = thread;
    thread_loop_create(thread);
    atomic_fetch_add(&server->threads_ready, 1);
    return 0;
}

int http_local_connect(int fd)
{
    struct http_thread *thread = &http_server_state.threads[0];
    h2o_socket_t *sock = h2o_evloop_socket_create(thread->ctx.loop, fd, H2O_SOCKET_FLAG_IS_ACCEPTED_CONNECTION);
    if (sock == NULL) {
        close(fd);
        return -1;
    }
    http_connection_open(thread, sock);
    return 0;
}

bool http_local_run(int timeout_ms)
{
    struct http_thread *thread = &http_server_state.threads[0];
    h2o_evloop_run(thread->ctx.loop, timeout_ms);
    return !thread_idle(thread);
}

struct db_conn *http_local_db(void)
{
    return http_server_state.threads[0].db;
}

void http_local_db_close(void)
{
    db_close(http_server_state.threads[0].db);
    http_server_state.threads[0].db = NULL;
}

int http_local_db_open(void)
{
    return db_open(http_server_state.options->db_target, &http_server_state.threads[0].db) == DB_OK ? 0 : -1;
}

void http_local_stop(void)
{
    http_offload_pool_stop();
    http_local_db_close();
    router_index_free(http_server_state.routes);
    http_server_state.routes = NULL;
    /* The loop and its context stay, as thread_main leaves them (h2o 2.2). */
}
