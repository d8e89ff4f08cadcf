/* offload.c — a pool of worker threads for slow work (Argon2id hashing), so
 * that an event loop keeps serving other requests meanwhile.
 *
 * A job's result comes back to its loop through h2o's multithread queue. If
 * the client went away in the meantime, h2o has freed the request; a small
 * token linked to the request's pool notices that (its dispose callback runs)
 * and the completion is dropped.
 *
 * A request of the database pool (db_pool.c) is off the loop already, but
 * its pool thread should not sit in Argon2id while other requests wait for a
 * connection: its slow work runs here too, and its completion goes back to
 * the pool (http_db_pool_resume), which runs it with a connection. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "http/internal.h"
#include "lib/log.h"

struct offload_ctx_header {
    size_t size;
    max_align_t data[];
};

struct offload_job;

/* Lives in the request's pool; disposed when the request is. */
struct offload_token {
    struct offload_job *job;
};

struct offload_job {
    h2o_multithread_message_t message; /* must stay first */
    struct http_thread *thread;        /* NULL: a pooled request, resumed in the pool */
    struct http_request *req;          /* NULL once the request has gone */
    struct offload_token *token;
    void *ctx;
    void (*work)(void *ctx);
    void (*done)(struct http_request *req, void *ctx);
    struct offload_job *next;
};

static struct {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    struct offload_job *head, *tail;
    pthread_t *threads;
    int count;
    bool stopping;
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

void *http_offload_alloc(size_t size)
{
    struct offload_ctx_header *h = calloc(1, sizeof(*h) + size);
    if (h == NULL)
        return NULL;
    h->size = size;
    return h->data; // cppcheck-suppress memleak ; freed by http_offload_free from the header in front
}

void http_offload_free(void *ctx)
{
    if (ctx == NULL)
        return;
    struct offload_ctx_header *h = (struct offload_ctx_header *)((char *)ctx - offsetof(struct offload_ctx_header, data));
    explicit_bzero(h->data, h->size); /* contexts carry passwords */
    free(h);
}

static void on_token_dispose(void *p)
{
    struct offload_token *token = p;
    if (token->job != NULL)
        token->job->req = NULL;
}

static void *worker_main(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&pool.lock);
        while (pool.head == NULL && !pool.stopping)
            pthread_cond_wait(&pool.wake, &pool.lock);
        struct offload_job *job = pool.head;
        if (job == NULL) {
            pthread_mutex_unlock(&pool.lock);
            return NULL;
        }
        pool.head = job->next;
        if (pool.head == NULL)
            pool.tail = NULL;
        pthread_mutex_unlock(&pool.lock);
        job->work(job->ctx);
        if (job->thread == NULL) {
            /* The pool job holds the request: it lives until the completion has run. */
            http_db_pool_resume(job->req, job->ctx, job->done);
            free(job);
            continue;
        }
        h2o_multithread_send_message(&job->thread->offload_receiver, &job->message);
    }
}

int http_offload_pool_start(int workers)
{
    pool.count = workers > 0 ? workers : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (pool.count < 1)
        pool.count = 1;
    pool.threads = calloc((size_t)pool.count, sizeof(*pool.threads));
    if (pool.threads == NULL)
        return -1;
    for (int i = 0; i < pool.count; i++)
        if (pthread_create(&pool.threads[i], NULL, worker_main, NULL) != 0)
            return -1;
    return 0;
}

void http_offload_pool_stop(void)
{
    pthread_mutex_lock(&pool.lock);
    pool.stopping = true;
    pthread_cond_broadcast(&pool.wake);
    pthread_mutex_unlock(&pool.lock);
    for (int i = 0; i < pool.count; i++)
        pthread_join(pool.threads[i], NULL);
    free(pool.threads);
    pool.threads = NULL;
}

static void enqueue(struct offload_job *job)
{
    pthread_mutex_lock(&pool.lock);
    if (pool.tail != NULL)
        pool.tail->next = job;
    else
        pool.head = job;
    pool.tail = job;
    pthread_cond_signal(&pool.wake);
    pthread_mutex_unlock(&pool.lock);
}

/* A job for req's slow work, or NULL (the request then answered 500) when
 * it cannot be made. */
static struct offload_job *job_new(struct http_request *req, bool usable, void *ctx, void (*work)(void *ctx),
                                   void (*done)(struct http_request *req, void *ctx))
{
    struct offload_job *job = usable && ctx != NULL ? calloc(1, sizeof(*job)) : NULL;
    if (job == NULL) {
        http_offload_free(ctx);
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return NULL;
    }
    job->req = req;
    job->ctx = ctx;
    job->work = work;
    job->done = done;
    req->offload_pending = true;
    return job;
}

/* A request of the database pool: the work is queued by http_offload_release
 * once the pool thread is done with the request, and the completion goes back
 * to the pool. */
static void start_pooled(struct http_request *req, void *ctx, void (*work)(void *ctx),
                         void (*done)(struct http_request *req, void *ctx))
{
    bool usable = req->detached->pool_job != NULL && req->detached->offload == NULL;
    struct offload_job *job = job_new(req, usable, ctx, work, done);
    if (job != NULL)
        req->detached->offload = job;
}

void http_offload_release(struct http_request *req)
{
    struct offload_job *job = req->detached->offload;
    req->detached->offload = NULL;
    if (job != NULL)
        enqueue(job);
}

void http_offload_start(struct http_request *req, void *ctx, void (*work)(void *ctx),
                        void (*done)(struct http_request *req, void *ctx))
{
    if (req->detached != NULL) {
        start_pooled(req, ctx, work, done);
        return;
    }
    h2o_req_t *r = req->internal;
    struct http_thread *thread = NULL;
    for (int i = 0; i < http_server_state.thread_count; i++)
        if (&http_server_state.threads[i].ctx == r->conn->ctx)
            thread = &http_server_state.threads[i];
    struct offload_job *job = job_new(req, thread != NULL, ctx, work, done);
    if (job == NULL)
        return;
    job->thread = thread;
    job->token = h2o_mem_alloc_shared(&r->pool, sizeof(*job->token), on_token_dispose);
    job->token->job = job;
    thread->jobs_in_flight++;
    enqueue(job);
}

void http_offload_on_done(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
    (void)receiver;
    while (!h2o_linklist_is_empty(messages)) {
        struct offload_job *job = (struct offload_job *)H2O_STRUCT_FROM_MEMBER(h2o_multithread_message_t, link,
                                                                               messages->next);
        h2o_linklist_unlink(&job->message.link);
        job->thread->jobs_in_flight--;
        if (job->req != NULL) {
            job->token->job = NULL;
            job->req->offload_pending = false;
            job->done(job->req, job->ctx);
            if (!job->req->replied && !job->req->offload_pending) {
                log_error("msg=\"offload completion did not reply\" req_id=%s", job->req->request_id);
                http_reply_error(job->req, ERR_INTERNAL, NULL, NULL);
            }
        } else {
            log_info("msg=\"client left before slow work finished\"");
        }
        http_offload_free(job->ctx);
        free(job);
    }
}
