/* reply_file.c — a stored file sent as it is read; see reply_file.h.
 *
 * The body is an h2o generator: each time h2o has written the previous piece
 * (proceed), the source gives the next one, which h2o writes from the
 * source's own buffer. The headers are request.c's http_reply_file's, made in
 * its capture mode (the reply recorded on h2o's response, with its log line
 * and metrics, but not sent), so that the two replies cannot drift apart. */
#include "http/reply_file.h"

#include <string.h>

#include "http/internal.h"
#include "lib/log.h"

struct file_stream {
    h2o_generator_t generator; /* must stay first */
    struct byte_source file;
    size_t left;               /* bytes promised by Content-Length and not sent yet */
    const char *request_id;    /* in the request's pool */
};

/* The request's pool is cleared: sent, or the client went away. */
static void stream_dispose(void *p)
{
    struct file_stream *s = p;
    byte_source_close(&s->file);
}

static void stream_proceed(h2o_generator_t *generator, h2o_req_t *r)
{
    struct file_stream *s = (struct file_stream *)generator;
    const char *data = NULL;
    size_t n = 0;
    if (s->file.next == NULL || s->file.next(s->file.ctx, &data, &n) != 0 || n == 0 || n > s->left) {
        log_error("msg=\"a file failed while it was sent: connection closed short of its length\" req_id=%s "
                  "bytes_missing=%zu",
                  s->request_id, s->left);
        byte_source_close(&s->file);
        h2o_send(r, NULL, 0, H2O_SEND_STATE_ERROR);
        return;
    }
    s->left -= n;
    h2o_iovec_t buf = h2o_iovec_init(data, n);
    h2o_send(r, &buf, 1, s->left == 0 ? H2O_SEND_STATE_FINAL : H2O_SEND_STATE_IN_PROGRESS);
}

/* Off the loop: the whole file read into the arena, then the ordinary reply. */
static void reply_whole(struct http_request *req, const char *media_type, const char *file_name, bool inline_view,
                        struct byte_source *file)
{
    char *data = arena_alloc(&req->arena, file->len + 1);
    size_t len = 0;
    while (data != NULL && len < file->len) {
        const char *piece = NULL;
        size_t n = 0;
        if (file->next(file->ctx, &piece, &n) != 0 || n == 0 || n > file->len - len)
            break;
        memcpy(data + len, piece, n);
        len += n;
    }
    bool whole = data != NULL && len == file->len;
    byte_source_close(file);
    if (!whole) {
        log_error("msg=\"a file could not be read for its reply\" req_id=%s", req->request_id);
        http_reply_error(req, ERR_INTERNAL, NULL, "the file could not be read");
        return;
    }
    http_reply_arena_file(req, media_type, file_name, inline_view, data, len);
}

/* A stream of file for r, in r's pool (it takes file over, and leaves *file
 * empty); NULL with file closed when memory is short. */
static struct file_stream *stream_new(h2o_req_t *r, struct byte_source *file, const char *request_id)
{
    struct file_stream *s = h2o_mem_alloc_shared(&r->pool, sizeof(*s), stream_dispose);
    if (s == NULL) {
        byte_source_close(file);
        return NULL;
    }
    *s = (struct file_stream){.generator = {stream_proceed, NULL}, .file = *file, .left = file->len,
                              .request_id = request_id};
    *file = (struct byte_source){0}; /* the stream's now, closed with the request's pool */
    return s;
}

/* Sends the stream as the body of r, whose status and headers are set. */
static void stream_begin(h2o_req_t *r, struct file_stream *s)
{
    r->res.content_length = s->left;
    h2o_start_response(r, &s->generator);
    if (s->left == 0 || h2o_memis(r->input.method.base, r->input.method.len, H2O_STRLIT("HEAD"))) {
        byte_source_close(&s->file);
        h2o_send(r, NULL, 0, H2O_SEND_STATE_FINAL);
        return;
    }
    stream_proceed(&s->generator, r);
}

void http_reply_file_stream(struct http_request *req, const char *media_type, const char *file_name,
                            bool inline_view, struct byte_source *file)
{
    h2o_req_t *r = req->internal;
    if (req->detached != NULL && !req->replied && !req->capture) {
        /* Recorded with its headers; db_pool.c sends it from the loop (http_file_stream_send). */
        http_reply_arena_file(req, media_type, file_name, inline_view, NULL, 0);
        req->detached->file = *file;
        *file = (struct byte_source){0};
        return;
    }
    if (req->detached != NULL || req->capture || req->replied || r == NULL) {
        reply_whole(req, media_type, file_name, inline_view, file);
        return;
    }
    struct file_stream *s = stream_new(r, file, req->request_id);
    if (s == NULL) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    req->capture = true;
    http_reply_arena_file(req, media_type, file_name, inline_view, NULL, 0);
    req->capture = false;
    stream_begin(r, s);
}

void http_file_stream_send(h2o_req_t *r, struct byte_source *file, const char *request_id)
{
    struct file_stream *s = stream_new(r, file, request_id);
    if (s == NULL) {
        h2o_send_error_503(r, "Service Unavailable", "out of memory", 0);
        return;
    }
    stream_begin(r, s);
}
