/* db_pool.c — PostgreSQL without blocking the event loops: a pool of
 * threads, each with its own database connection, that run requests; the
 * loops only parse, route, answer from memory and send.
 *
 * A request bound for the pool is "detached": it lives in heap memory of its
 * own with copies of what its handler reads of h2o's request (headers, query,
 * body), and its reply is recorded rather than sent (request.c). A pool
 * thread runs the checks and the handler with its connection, then posts the
 * request back to its loop through h2o's multithread queue; the loop writes
 * the recorded reply to h2o and frees the copy. If the client went away
 * meanwhile, h2o has freed its request: a token in the request's pool notices
 * (its dispose callback runs) and the reply is dropped.
 *
 * Batches: a loop hands the pool the requests of one turn together (one
 * wake-up), and a thread takes all the requests waiting, reads their
 * sessions in one query (http_session_prefetch), then runs them one at a
 * time from the head of the queue, where an idle thread may take some.
 *
 * Slow work a pooled handler hands off (Argon2id) runs on the worker threads
 * of offload.c, not on the pool thread, which goes on with other requests
 * meanwhile (a pool of 2 would otherwise stall behind two sign-ins); its
 * completion comes back to the queue's head (http_db_pool_resume) and runs on
 * whichever pool thread takes it. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "http/internal.h"
#include "lib/log.h"
#include "store/db.h"
#include "store/session_batch.h"

struct pool_job;

/* Lives in the h2o request's pool; disposed with it. */
struct pool_token {
    struct pool_job *job;
};

struct pool_job {
    h2o_multithread_message_t message; /* must stay first */
    struct http_request *req;
    h2o_req_t *h2o;                    /* NULL once the client has gone */
    struct pool_token *token;
    bool handler_only;
    bool batched;                      /* its session was read with others' (or it needs none) */
    void *resume_ctx;                  /* the completion of its slow work, when due */
    void (*resume_done)(struct http_request *req, void *ctx);
    struct pool_job *next;
};

static struct {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    struct pool_job *head, *tail;
    pthread_t *threads;
    struct db_conn **conns;
    int count, started;
    bool stopping;
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

/* ---- detached requests ---- */

static void *heap_arena_alloc(void *backend, size_t size)
{
    return arena_alloc(backend, size);
}

struct http_request *http_detached_new(struct http_thread *thread, h2o_req_t *r)
{
    struct holder {
        struct http_request req;
        struct http_detached detached;
        struct arena heap;
    } *h = calloc(1, sizeof(*h));
    if (h == NULL)
        return NULL;
    arena_heap_init(&h->heap);
    /* req->arena hands out from the heap arena, freed in one go with the request. */
    h->req.arena.backend_alloc = heap_arena_alloc;
    h->req.arena.backend = &h->heap;
    h->req.detached = &h->detached;
    h->detached.thread = thread;
    struct http_detached *d = &h->detached;
    d->in = arena_alloc(&h->heap, (r->headers.size + 1) * sizeof(*d->in));
    if (d->in == NULL) {
        arena_heap_free(&h->heap);
        free(h);
        return NULL;
    }
    for (size_t i = 0; i < r->headers.size; i++) {
        const h2o_header_t *header = &r->headers.entries[i];
        char *name = arena_strndup(&h->heap, header->name->base, header->name->len);
        char *value = arena_strndup(&h->heap, header->value.base, header->value.len);
        if (name == NULL || value == NULL)
            continue;
        for (char *p = name; *p != '\0'; p++)
            *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
        d->in[d->in_count++] = (struct http_header_copy){name, value, header->name->len, header->value.len};
    }
    return &h->req;
}

void http_detached_free(struct http_request *req)
{
    /* The request is the first member of its holder, the heap arena behind it. */
    struct arena *heap = req->arena.backend;
    byte_source_close(&req->detached->file);
    arena_heap_free(heap);
    free(req);
}

void http_detached_finish(struct http_request *req, h2o_req_t *r)
{
    struct http_detached *d = req->detached;
    http_connection_unpark(r);
    if (!req->replied) {
        /* Our bug: nothing recorded. */
        log_error("msg=\"request finished without a reply\" req_id=%s", req->request_id);
        d->status = 500;
        d->content_type = "text/plain; charset=utf-8";
        d->body = "Internal error\n";
        d->len = 15;
    }
    r->res.status = d->status;
    r->res.reason = http_reason_phrase(d->status);
    for (size_t i = 0; i < d->out_count; i++) {
        h2o_iovec_t name = h2o_strdup(&r->pool, d->out[i].name, d->out[i].name_len);
        h2o_iovec_t value = h2o_strdup(&r->pool, d->out[i].value, d->out[i].value_len);
        h2o_add_header_by_str(&r->pool, &r->res.headers, name.base, name.len, 1, NULL, value.base, value.len);
    }
    if (d->content_type != NULL) {
        h2o_iovec_t type = h2o_strdup(&r->pool, d->content_type, SIZE_MAX);
        h2o_add_header(&r->pool, &r->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, type.base, type.len);
    }
    if (d->file.next != NULL) {
        http_file_stream_send(r, &d->file, h2o_strdup(&r->pool, req->request_id, SIZE_MAX).base);
        http_detached_free(req);
        return;
    }
    r->res.content_length = d->len;
    h2o_send_inline(r, d->len > 0 ? d->body : NULL, d->len); /* copies the body */
    http_detached_free(req);
}

bool http_needs_db(struct http_request *req)
{
    if (req->db != NULL || req->detached == NULL)
        return false;
    req->detached->wants_db = true;
    return true;
}

/* ---- the pool ---- */

static void on_token_dispose(void *p)
{
    struct pool_token *token = p;
    if (token->job != NULL)
        token->job->h2o = NULL;
}

/* Takes the next job, or, when it was not batched yet, the run of not yet
 * batched jobs at the head of the queue (up to a query's worth of sessions).
 * Waits for one; 0 when the pool stops. */
static size_t take_jobs(struct pool_job **batch)
{
    size_t n = 0;
    pthread_mutex_lock(&pool.lock);
    while (pool.head == NULL && !pool.stopping)
        pthread_cond_wait(&pool.wake, &pool.lock);
    bool batched = pool.head != NULL && pool.head->batched;
    while (pool.head != NULL && n < STORE_SESSION_BATCH_MAX && (n == 0 || !pool.head->batched)) {
        struct pool_job *job = pool.head;
        pool.head = job->next;
        job->next = NULL;
        job->batched = true;
        batch[n++] = job;
        if (batched)
            break;
    }
    if (pool.head == NULL)
        pool.tail = NULL;
    pthread_mutex_unlock(&pool.lock);
    return n;
}

/* Puts jobs back at the head of the queue, in order, for any idle thread. */
static void give_back(struct pool_job **jobs, size_t count)
{
    if (count == 0)
        return;
    pthread_mutex_lock(&pool.lock);
    for (size_t i = count; i-- > 0;) {
        jobs[i]->next = pool.head;
        pool.head = jobs[i];
        if (pool.tail == NULL)
            pool.tail = jobs[i];
    }
    pthread_cond_signal(&pool.wake); /* one idle thread, if any, shares the rest */
    pthread_mutex_unlock(&pool.lock);
}

/* Reads the sessions of a batch in one query (requests whose checks ran
 * on the loop need none). */
static void prefetch_sessions(struct pool_job **batch, size_t count, struct db_conn *conn)
{
    struct http_request *reqs[STORE_SESSION_BATCH_MAX];
    size_t n = 0;
    for (size_t i = 0; i < count; i++)
        if (!batch[i]->handler_only)
            reqs[n++] = batch[i]->req;
    http_session_prefetch(reqs, n, conn);
}

/* The completion of a request's slow work, on a pool thread. */
static void run_resumed(struct pool_job *job)
{
    struct http_request *req = job->req;
    void *ctx = job->resume_ctx;
    void (*done)(struct http_request *, void *) = job->resume_done;
    job->resume_ctx = NULL;
    job->resume_done = NULL;
    req->offload_pending = false;
    done(req, ctx);
    http_offload_free(ctx);
    if (!req->replied && !req->offload_pending) {
        log_error("msg=\"offload completion did not reply\" req_id=%s", req->request_id);
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
    }
}

/* Runs a job's request (or the completion of its slow work), then sends it
 * back to its loop, unless it started slow work: then the job waits for it. */
static void run_job(struct pool_job *job, struct db_conn *conn)
{
    struct http_request *req = job->req;
    req->db = conn;
    req->detached->pool_job = job;
    if (job->resume_done != NULL)
        run_resumed(job);
    else
        http_run_pipeline(req, job->handler_only);
    req->db = NULL;
    if (req->offload_pending) {
        http_offload_release(req); /* the last touch of req here: it may resume at once */
        return;
    }
    h2o_multithread_send_message(&req->detached->thread->db_pool_receiver, &job->message);
}

void http_db_pool_resume(struct http_request *req, void *ctx, void (*done)(struct http_request *req, void *ctx))
{
    struct pool_job *job = req->detached->pool_job;
    job->resume_ctx = ctx;
    job->resume_done = done;
    job->batched = true; /* its session was read: it goes alone, first */
    pthread_mutex_lock(&pool.lock);
    job->next = pool.head;
    pool.head = job;
    if (pool.tail == NULL)
        pool.tail = job;
    pthread_cond_signal(&pool.wake);
    pthread_mutex_unlock(&pool.lock);
}

/* A thread reads the sessions of the jobs it took, keeps the first and puts
 * the others back at the head of the queue: it runs them one by one unless
 * an idle thread takes some first, so a slow handler holds up only itself. */
static void *worker_main(void *arg)
{
    struct db_conn *conn = arg;
    struct pool_job *batch[STORE_SESSION_BATCH_MAX];
    for (;;) {
        size_t n = take_jobs(batch);
        if (n == 0)
            return NULL;
        if (n > 1) {
            prefetch_sessions(batch, n, conn);
            give_back(batch + 1, n - 1);
        }
        run_job(batch[0], conn);
    }
}

int http_db_pool_start(const char *db_target, int size)
{
    pool.count = size;
    pool.stopping = false;
    pool.threads = calloc((size_t)size, sizeof(*pool.threads));
    pool.conns = calloc((size_t)size, sizeof(struct db_conn *));
    if (pool.threads == NULL || pool.conns == NULL)
        return -1;
    for (int i = 0; i < size; i++)
        if (db_open(db_target, &pool.conns[i]) != DB_OK)
            return -1;
    for (int i = 0; i < size; i++) {
        if (pthread_create(&pool.threads[i], NULL, worker_main, pool.conns[i]) != 0)
            return -1;
        pool.started++;
    }
    return 0;
}

void http_db_pool_stop(void)
{
    pthread_mutex_lock(&pool.lock);
    pool.stopping = true;
    pthread_cond_broadcast(&pool.wake);
    pthread_mutex_unlock(&pool.lock);
    for (int i = 0; i < pool.started; i++)
        pthread_join(pool.threads[i], NULL);
    for (int i = 0; i < pool.count && pool.conns != NULL; i++)
        db_close(pool.conns[i]);
    free(pool.threads);
    free(pool.conns);
    pool.threads = NULL;
    pool.conns = NULL;
    pool.count = pool.started = 0;
}

/* At the end of the loop's turn (a zero timeout runs after the sockets'
 * callbacks): the jobs of the turn join the pool's queue at once, and one
 * thread is woken per batch's worth of them. */
static void on_flush(h2o_timeout_entry_t *entry)
{
    struct http_thread *thread = H2O_STRUCT_FROM_MEMBER(struct http_thread, db_pool_flush, entry);
    size_t count = thread->db_pool_outbox_count;
    if (count == 0)
        return;
    pthread_mutex_lock(&pool.lock);
    if (pool.tail != NULL)
        pool.tail->next = thread->db_pool_outbox_head;
    else
        pool.head = thread->db_pool_outbox_head;
    pool.tail = thread->db_pool_outbox_tail;
    for (size_t woken = 0; woken < count; woken += STORE_SESSION_BATCH_MAX)
        pthread_cond_signal(&pool.wake);
    pthread_mutex_unlock(&pool.lock);
    thread->db_pool_outbox_head = thread->db_pool_outbox_tail = NULL;
    thread->db_pool_outbox_count = 0;
}

void http_db_pool_submit(struct http_request *req, h2o_req_t *r, bool handler_only)
{
    struct pool_job *job = calloc(1, sizeof(*job));
    struct pool_token *token = job != NULL ? h2o_mem_alloc_shared(&r->pool, sizeof(*token), on_token_dispose) : NULL;
    if (token == NULL) {
        free(job);
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        http_detached_finish(req, r);
        return;
    }
    token->job = job;
    job->req = req;
    job->h2o = r;
    job->token = token;
    job->handler_only = handler_only;
    req->internal = NULL; /* h2o's request is not the handler's to touch from here */
    struct http_thread *thread = req->detached->thread;
    thread->jobs_in_flight++;
    if (thread->db_pool_outbox_tail != NULL)
        thread->db_pool_outbox_tail->next = job;
    else
        thread->db_pool_outbox_head = job;
    thread->db_pool_outbox_tail = job;
    thread->db_pool_outbox_count++;
    if (!h2o_timeout_is_linked(&thread->db_pool_flush)) {
        thread->db_pool_flush.cb = on_flush;
        h2o_timeout_link(thread->ctx.loop, &thread->ctx.zero_timeout, &thread->db_pool_flush);
    }
}

void http_db_pool_on_done(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
    (void)receiver;
    while (!h2o_linklist_is_empty(messages)) {
        struct pool_job *job =
            (struct pool_job *)H2O_STRUCT_FROM_MEMBER(h2o_multithread_message_t, link, messages->next);
        h2o_linklist_unlink(&job->message.link);
        job->req->detached->thread->jobs_in_flight--;
        if (job->h2o != NULL) {
            job->token->job = NULL;
            job->req->internal = job->h2o;
            http_detached_finish(job->req, job->h2o);
        } else {
            log_info("msg=\"client left before its request was answered\"");
            http_detached_free(job->req);
        }
        free(job);
    }
}
