/* session_reader.c — sessions read on the event loop, without the pool
 * (a database pool on a backend that reads without blocking: PostgreSQL).
 *
 * Each loop holds a connection of its own whose socket its h2o loop watches.
 * A signed-in request of a ROUTE_LOOP_SESSION route (GET /api/v1/me) or of
 * an API route answered from memory (ROUTE_MEMORY: searches, offerings; the
 * handler asks for the database when it needs it) waits here instead of
 * going to the pool: one query at a time per loop reads the sessions of up
 * to STORE_SESSION_BATCH_MAX waiting requests (the pool's batch query, sent
 * with db_send), and requests that arrive meanwhile wait for the next one,
 * so that batches grow with the load. When an answer is in, the next batch
 * is sent, then each request of the answered one runs its checks and
 * handler on the loop with its session.
 *
 * Under load the next batch is held until as many requests wait as the
 * reader held when the last answer came (READER_HOLD_MS at most): sent at
 * once, it would take only those that came in while the last one was read,
 * and the clients just answered would make the batch after, so two half
 * batches would alternate. A query costs PostgreSQL about as much for 8
 * tokens as for 4 (waking up, starting the plan), which is most of what a
 * signed-in request costs it. A lone request is sent at once. The reader
 * keeps the sessions it read in a memo, with the snapshot they were read
 * under: a batch whose sessions are all kept asks PostgreSQL for its
 * snapshot alone (a fifth of the query's cost to the backend), and is
 * answered from the memo when it is the same, which is exact (the argument
 * is in store/session_batch.c): a sign-out or a role change made elsewhere,
 * by any instance, changes the snapshot, and the next request reads afresh
 * (the same batch sent again as a query). A request that needs the database
 * after all (its session is due a touch of its idle clock, its handler
 * queries) goes on to the pool with the session already read.
 *
 * Failures: a query that fails, or a lost connection, sends the requests of
 * the batch and those waiting to the pool (which reads their sessions itself,
 * as it does without a reader), and the reader stays down for
 * READER_RETRY_MS; then the next request that would use it reconnects it.
 * Connecting never blocks the loop, at startup too (one way for both): the
 * reader is "connecting" while libpq's handshake (db_connect_start,
 * db_connect_poll) and then the settings statement (db_send_exec) go on,
 * each step run when the socket is writable or readable as libpq asks, and
 * requests keep going to the pool meanwhile (libpq still looks a host name
 * up when the connect starts, which may wait on DNS: an address, or
 * localhost, does not). A server that does not answer
 * (a partition drops its packets) is given up after READER_CONNECT_MS; each
 * connect that fails doubles the pause before the next, up to
 * READER_RETRY_MAX_MS. The loop watches a duplicate of libpq's descriptor,
 * made again at every step: libpq may close its socket and open another
 * during the handshake (the next address), often under the same number,
 * which a watch on the number itself would miss. A client that leaves
 * while its session is read: a token in h2o's request pool notices, and the
 * request is freed when its answer comes. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/internal.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "store/db.h"
#include "store/session_batch.h"

/* How long a reader whose connection failed stays down before it reconnects. */
enum { READER_RETRY_MS = 1000, READER_RETRY_MAX_MS = 60000 };
/* The longest a connect (handshake and settings) may take before it is given up. */
enum { READER_CONNECT_MS = 5000 };

enum reader_state {
    READER_DOWN,       /* until retry_at_ms, then the next request reconnects it */
    READER_CONNECTING, /* libpq's handshake */
    READER_SETTING,    /* reader_settings sent, its answer awaited */
    READER_UP,
};
/* The longest a batch is held for the requests of the last one to come back. */
enum { READER_HOLD_MS = 1 };

struct reader_job;

/* Lives in the h2o request's pool; disposed with it. */
struct reader_token {
    struct reader_job *job;
};

struct reader_job {
    struct http_request *req;
    h2o_req_t *h2o; /* NULL once the client has gone */
    struct reader_token *token;
    struct reader_job *next;
};

struct http_session_reader {
    struct http_thread *thread;
    struct db_conn *conn;
    enum reader_state state;
    h2o_socket_t *sock;             /* watches a duplicate of conn's socket; NULL while down */
    double retry_at_ms;             /* while down: when to reconnect */
    int retry_ms;                   /* the pause after the next failed reconnect */
    struct reader_job *head, *tail; /* waiting for the next batch */
    size_t waiting;
    size_t load;                    /* requests in the reader when the last batch was answered */
    h2o_timeout_entry_t flush;      /* sends a batch at the end of the loop's turn */
    h2o_timeout_t hold_timeout;
    h2o_timeout_entry_t hold;       /* sends a held batch after READER_HOLD_MS */
    h2o_timeout_t connect_timeout;
    h2o_timeout_entry_t connect_deadline; /* gives a connect up after READER_CONNECT_MS */
    /* The batch in flight (sent NULL: none). */
    struct db_stmt *sent;
    struct reader_job *batch[STORE_SESSION_BATCH_MAX];
    size_t batch_count;
    struct store_session_lookup lookups[STORE_SESSION_BATCH_MAX];
    struct http_request *owners[STORE_SESSION_BATCH_MAX];
    size_t lookup_count;
    struct store_session_memo *memo; /* NULL when out of memory: every batch is a query */
};

static void send_batch(struct http_session_reader *reader, bool force);

static void on_token_dispose(void *p)
{
    struct reader_token *token = p;
    if (token->job != NULL)
        token->job->h2o = NULL;
}

static const char *reader_state_name(enum reader_state state)
{
    static const char *const names[] = {"down", "connecting", "setting", "up"};
    return names[state];
}

/* Stops watching conn's socket: closes the duplicate, never libpq's own.
 * (h2o 2.2 cannot cancel a write notification, and its export asserts that
 * none is pending: closing the duplicate disposes of it either way.) */
static void unwatch(struct http_session_reader *reader)
{
    if (reader->sock == NULL)
        return;
    h2o_socket_close(reader->sock);
    reader->sock = NULL;
}

/* Watches conn's current socket, for writable (when write) or readable. */
static bool watch(struct http_session_reader *reader, bool write, h2o_socket_cb cb)
{
    unwatch(reader);
    int fd = db_socket(reader->conn);
    int copy = fd >= 0 ? fcntl(fd, F_DUPFD_CLOEXEC, 0) : -1;
    if (copy < 0)
        return false;
    reader->sock = h2o_evloop_socket_create(reader->thread->ctx.loop, copy, H2O_SOCKET_FLAG_DONT_READ);
    if (reader->sock == NULL) {
        close(copy);
        return false;
    }
    reader->sock->data = reader;
    if (write)
        h2o_socket_notify_write(reader->sock, cb);
    else
        h2o_socket_read_start(reader->sock, cb);
    return true;
}

/* Down for pause_ms: the connection is closed at the next connect (a batch
 * being failed may still hold its statement). */
static void reader_down_for(struct http_session_reader *reader, int pause_ms)
{
    unwatch(reader);
    if (h2o_timeout_is_linked(&reader->connect_deadline))
        h2o_timeout_unlink(&reader->connect_deadline);
    reader->state = READER_DOWN;
    reader->retry_at_ms = clock_monotonic_ms() + pause_ms;
}

static void reader_down(struct http_session_reader *reader)
{
    reader_down_for(reader, READER_RETRY_MS);
    log_warn("msg=\"session reader down, its requests go to the pool\" thread=%d retry_ms=%d", reader->thread->index,
             (int)READER_RETRY_MS);
}

/* A connect failed (why): down for retry_ms, which doubles for the next. */
static void connect_failed(struct http_session_reader *reader, const char *why)
{
    log_warn("msg=\"session reader cannot connect, its requests go to the pool\" thread=%d state=%s why=\"%s\""
             " retry_ms=%d",
             reader->thread->index, reader_state_name(reader->state), why, reader->retry_ms);
    reader_down_for(reader, reader->retry_ms);
    reader->retry_ms = reader->retry_ms * 2 < READER_RETRY_MAX_MS ? reader->retry_ms * 2 : READER_RETRY_MAX_MS;
}

static void on_readable(h2o_socket_t *sock, const char *err);

/* A reader's connection runs one statement: the sessions of at most
 * STORE_SESSION_BATCH_MAX tokens, each found by primary key, and their users,
 * roles and memberships, also by key. It is planned once (left to choose,
 * PostgreSQL plans it again at every execution, since a plan for 16 tokens
 * costs more than one for the few it is given, most of them NULL), and with
 * index lookups only: on the small tables of a new database the generic plan
 * would hash a whole table, whose set-up costs more than the lookups. Settings
 * a server does not have (before PostgreSQL 14, 12) are left out. Then
 * " (session reader)" after its name tells a reader from the pool's
 * connections in pg_stat_activity. */
static const char reader_settings[] =
    "SELECT set_config(name, CASE name WHEN 'plan_cache_mode' THEN 'force_generic_plan' ELSE 'off' END, false)"
    " FROM pg_settings WHERE name IN ('plan_cache_mode', 'enable_hashjoin', 'enable_mergejoin', 'enable_memoize');"
    " SELECT set_config('application_name', current_setting('application_name') || ' (session reader)', false)"
    " WHERE current_setting('application_name') NOT LIKE '% (session reader)'";

static void on_connect_event(h2o_socket_t *sock, const char *err);

/* One step of a connect, when the socket is as libpq asked (or failed). */
static void connect_step(struct http_session_reader *reader, const char *err)
{
    bool ready = false, want_write = false;
    const char *why = err;
    if (why != NULL)
        goto out;
    if (reader->state == READER_CONNECTING) {
        why = "handshake failed";
        if (db_connect_poll(reader->conn, &ready, &want_write) != DB_OK)
            goto out;
        why = "cannot watch its socket";
        if (!ready) {
            if (!watch(reader, want_write, on_connect_event))
                goto out;
            return;
        }
        why = "cannot send its settings";
        if (db_send_exec(reader->conn, reader_settings) != DB_OK)
            goto out;
        reader->state = READER_SETTING;
        why = "cannot watch its socket";
        if (!watch(reader, false, on_connect_event))
            goto out;
        return;
    }
    why = "its settings failed";
    if (db_poll(reader->conn, &ready) != DB_OK)
        goto out;
    if (!ready)
        return;
    why = "cannot watch its socket";
    if (!watch(reader, false, on_readable))
        goto out;
    h2o_timeout_unlink(&reader->connect_deadline);
    reader->state = READER_UP;
    reader->retry_ms = READER_RETRY_MS;
    log_info("msg=\"session reader connected\" thread=%d", reader->thread->index);
    return;
out:
    connect_failed(reader, why);
}

static void on_connect_event(h2o_socket_t *sock, const char *err)
{
    connect_step(sock->data, err);
}

static void on_connect_deadline(h2o_timeout_entry_t *entry)
{
    connect_failed(H2O_STRUCT_FROM_MEMBER(struct http_session_reader, connect_deadline, entry), "timed out");
}

/* Starts a connect (the last connection closed): the first step comes when
 * the new socket is writable. */
static void reader_connect(struct http_session_reader *reader)
{
    const char *why = "cannot start";
    db_close(reader->conn);
    reader->conn = NULL;
    store_session_memo_forget(reader->memo); /* read from a server that may not be the next */
    reader->state = READER_CONNECTING;
    h2o_timeout_link(reader->thread->ctx.loop, &reader->connect_timeout, &reader->connect_deadline);
    if (db_connect_start(http_server_state.options->db_target, &reader->conn) != DB_OK)
        goto out;
    why = "cannot watch its socket";
    if (!watch(reader, true, on_connect_event))
        goto out;
    return;
out:
    connect_failed(reader, why);
}

/* Whether the reader can take requests, starting a connect when it is time. */
static bool reader_up(struct http_session_reader *reader)
{
    if (reader->state == READER_DOWN && clock_monotonic_ms() >= reader->retry_at_ms)
        reader_connect(reader);
    return reader->state == READER_UP;
}

/* Runs a request whose session was read (or could not be): on the loop, or
 * on the pool when it needs the database (authentication asks for it when
 * its session was not read). */
static void run_job(struct http_session_reader *reader, struct reader_job *job)
{
    struct http_request *req = job->req;
    h2o_req_t *r = job->h2o;
    reader->thread->jobs_in_flight--;
    if (r == NULL) {
        log_info("msg=\"client left before its request was answered\"");
        http_detached_free(req);
        free(job);
        return;
    }
    job->token->job = NULL;
    free(job);
    req->internal = r;
    http_run_pipeline(req, false);
    if (!req->replied && req->detached->wants_db) {
        http_db_pool_submit(req, r, req->detached->checks_done);
        return;
    }
    http_detached_finish(req, r);
}

/* The batch in flight is answered (read) or failed: the next one is sent,
 * then the requests of this one run. */
static void finish_batch(struct http_session_reader *reader, bool read)
{
    struct reader_job *jobs[STORE_SESSION_BATCH_MAX];
    size_t count = reader->batch_count;
    reader->load = read ? count + reader->waiting : 0;
    http_session_answers(reader->owners, reader->lookups, reader->lookup_count, read);
    for (size_t i = 0; i < count; i++)
        jobs[i] = reader->batch[i];
    reader->batch_count = reader->lookup_count = 0;
    reader->sent = NULL;
    send_batch(reader, false);
    for (size_t i = 0; i < count; i++)
        run_job(reader, jobs[i]);
}

/* Sends the statement that reads the batch's lookups (a query, or the check
 * of the memo), into reader->sent. */
static int send_lookups(struct http_session_reader *reader)
{
    int64_t idle_after, created_after;
    http_session_bounds(http_server_state.options, &idle_after, &created_after);
    return store_session_find_users_send(reader->conn, reader->memo, reader->lookups, reader->lookup_count,
                                         idle_after, created_after, &reader->sent);
}

/* Takes the next batch from the waiting requests and sends its query
 * (unless one is in flight). A batch without a well-formed token needs no
 * query; one the reader cannot send goes to the pool. */
static void send_batch(struct http_session_reader *reader, bool force)
{
    struct http_request *reqs[STORE_SESSION_BATCH_MAX];
    if (reader->sent != NULL || reader->batch_count != 0 || reader->head == NULL)
        return;
    if (!force && reader->waiting < reader->load && reader->waiting < STORE_SESSION_BATCH_MAX) {
        if (!h2o_timeout_is_linked(&reader->hold))
            h2o_timeout_link(reader->thread->ctx.loop, &reader->hold_timeout, &reader->hold);
        return;
    }
    if (h2o_timeout_is_linked(&reader->hold))
        h2o_timeout_unlink(&reader->hold);
    size_t n = 0;
    while (reader->head != NULL && n < STORE_SESSION_BATCH_MAX) {
        struct reader_job *job = reader->head;
        reader->head = job->next;
        job->next = NULL;
        reqs[n] = job->req;
        reader->batch[n++] = job;
        reader->waiting--;
    }
    if (reader->head == NULL)
        reader->tail = NULL;
    reader->batch_count = n;
    reader->lookup_count = http_session_lookups(reqs, n, reader->lookups, reader->owners);
    if (reader->lookup_count == 0) {
        finish_batch(reader, true);
        return;
    }
    bool up = reader->state == READER_UP;
    if (up && send_lookups(reader) == DB_OK)
        return;
    if (up)
        reader_down(reader);
    finish_batch(reader, false);
}

static void on_readable(h2o_socket_t *sock, const char *err)
{
    struct http_session_reader *reader = sock->data;
    bool ready = false, answered = true, in_flight = reader->sent != NULL;
    int rc = err == NULL ? db_poll(reader->conn, &ready) : DB_ERROR;
    if (rc == DB_OK && !ready)
        return;
    if (rc == DB_OK && in_flight)
        rc = store_session_find_users_receive(reader->sent, reader->memo, reader->lookups, reader->lookup_count,
                                              &answered);
    if (rc == DB_OK && !answered) {
        /* The memo was out of date: the same lookups, read by a query. */
        rc = send_lookups(reader);
        if (rc == DB_OK)
            return;
    }
    if (rc != DB_OK)
        reader_down(reader);
    if (in_flight)
        finish_batch(reader, rc == DB_OK);
}

static void on_flush(h2o_timeout_entry_t *entry)
{
    send_batch(H2O_STRUCT_FROM_MEMBER(struct http_session_reader, flush, entry), false);
}

static void on_hold(h2o_timeout_entry_t *entry)
{
    send_batch(H2O_STRUCT_FROM_MEMBER(struct http_session_reader, hold, entry), true);
}

/* GET /api/v1/me, and the API's reads answered from memory. A page needs
 * the database for its header when someone is signed in (their unread
 * notifications and messages): it goes straight to the pool. */
static bool reads_session_on_loop(unsigned flags)
{
    return (flags & ROUTE_LOOP_SESSION) || ((flags & ROUTE_MEMORY) && (flags & ROUTE_JSON));
}

bool http_session_reader_take(struct http_request *req, h2o_req_t *r)
{
    struct http_thread *thread = req->detached->thread;
    struct http_session_reader *reader = thread->session_reader;
    if (reader == NULL || !reads_session_on_loop(req->route->flags) || !http_session_present(req) ||
        !reader_up(reader))
        return false;
    struct reader_job *job = calloc(1, sizeof(*job));
    struct reader_token *token = job != NULL ? h2o_mem_alloc_shared(&r->pool, sizeof(*token), on_token_dispose) : NULL;
    if (token == NULL) {
        free(job);
        return false;
    }
    token->job = job;
    *job = (struct reader_job){.req = req, .h2o = r, .token = token};
    req->internal = NULL; /* h2o's again when it runs */
    thread->jobs_in_flight++;
    if (reader->tail != NULL)
        reader->tail->next = job;
    else
        reader->head = job;
    reader->tail = job;
    reader->waiting++;
    if (reader->sent == NULL && !h2o_timeout_is_linked(&reader->flush))
        h2o_timeout_link(thread->ctx.loop, &thread->ctx.zero_timeout, &reader->flush);
    return true;
}

void http_session_reader_start(struct http_thread *thread)
{
    const struct http_options *options = http_server_state.options;
    if (http_server_state.db_pool == 0 || db_driver_for(options->db_target)->send == NULL)
        return;
    struct http_session_reader *reader = calloc(1, sizeof(*reader));
    if (reader == NULL) {
        log_error("msg=\"out of memory for the session reader\" thread=%d", thread->index);
        return;
    }
    reader->thread = thread;
    reader->memo = store_session_memo_new();
    reader->retry_ms = READER_RETRY_MS;
    reader->flush.cb = on_flush;
    reader->hold.cb = on_hold;
    reader->connect_deadline.cb = on_connect_deadline;
    h2o_timeout_init(thread->ctx.loop, &reader->hold_timeout, READER_HOLD_MS);
    h2o_timeout_init(thread->ctx.loop, &reader->connect_timeout, READER_CONNECT_MS);
    thread->session_reader = reader;
    reader_connect(reader);
}

void http_session_reader_stop(struct http_thread *thread)
{
    struct http_session_reader *reader = thread->session_reader;
    if (reader == NULL)
        return;
    unwatch(reader);
    if (h2o_timeout_is_linked(&reader->flush))
        h2o_timeout_unlink(&reader->flush);
    if (h2o_timeout_is_linked(&reader->hold))
        h2o_timeout_unlink(&reader->hold);
    if (h2o_timeout_is_linked(&reader->connect_deadline))
        h2o_timeout_unlink(&reader->connect_deadline);
    h2o_timeout_dispose(thread->ctx.loop, &reader->hold_timeout);
    h2o_timeout_dispose(thread->ctx.loop, &reader->connect_timeout);
    /* Requests still waiting (the shutdown deadline passed) are left to
     * process exit, as the pool's are. */
    db_close(reader->conn);
    store_session_memo_free(reader->memo);
    free(reader);
    thread->session_reader = NULL;
}
