/* idempotency.c — Idempotency-Key on the POSTs that create or move things:
 * the same key with the same request replays the first reply with no second
 * effect; the same key with another request → 422. Keys are per user and
 * kept 24 hours (the job thread prunes them). */
#include <string.h>

#include "api/applications_api.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/limits.h"
#include "store/applications.h"

int api_idempotency_begin(struct http_request *req, const char **key_out)
{
    *key_out = NULL;
    const char *key = http_header(req, "idempotency-key");
    if (key == NULL)
        return 0;
    size_t len = strlen(key);
    if (len == 0 || len > 200) {
        http_reply_error(req, ERR_BAD_REQUEST, "Idempotency-Key", "must be 1 to 200 characters");
        return 1;
    }
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)key[i] < 0x21 || (unsigned char)key[i] > 0x7e) {
            http_reply_error(req, ERR_BAD_REQUEST, "Idempotency-Key", "must be visible ASCII");
            return 1;
        }
    /* The request's identity: method, path and body. */
    struct buf whole;
    buf_init(&whole, &req->arena, req->body_len + 512);
    buf_append_str(&whole, http_method_name(req->method));
    buf_append_char(&whole, ' ');
    buf_append_str(&whole, req->path);
    buf_append_char(&whole, '\n');
    buf_append(&whole, req->body, req->body_len);
    char hash[65];
    crypto_hash_token(buf_ok(&whole) ? whole.data : "", hash);

    struct store_idempotent_reply stored = {0};
    int rc = store_idempotency_claim(req->db, &req->arena, req->auth.user_id, key, hash, clock_now(), &stored);
    if (rc == DB_OK) {
        *key_out = key;
        return 0;
    }
    if (rc != DB_CONSTRAINT) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return 1;
    }
    if (strcmp(stored.request_hash, hash) != 0) {
        http_reply_error(req, ERR_UNPROCESSABLE, "Idempotency-Key", "this key was used for a different request");
        return 1;
    }
    if (stored.status == 0) {
        http_reply_error(req, ERR_CONFLICT, "Idempotency-Key", "the first request with this key is still running");
        return 1;
    }
    http_add_header(req, "Idempotent-Replayed", "true");
    const char *type = stored.status >= 400 ? "application/problem+json; charset=utf-8" : "application/json; charset=utf-8";
    http_reply(req, (int)stored.status, type, stored.body, strlen(stored.body));
    return 1;
}

void api_idempotent_reply(struct http_request *req, const char *key, int status, const struct buf *json)
{
    if (key != NULL && buf_ok(json))
        store_idempotency_finish(req->db, req->auth.user_id, key, status, json->data);
    http_reply_json(req, status, json);
}

void api_idempotent_problem(struct http_request *req, const char *key, const struct error *err)
{
    if (key != NULL) {
        struct buf b;
        buf_init(&b, &req->arena, BUF_CAP_SMALL);
        http_problem_json(&b, err->code, err->field, err->detail);
        /* Server-side failures are not remembered: the client may try again. */
        if (error_status(err->code) < 500)
            store_idempotency_finish(req->db, req->auth.user_id, key, error_status(err->code), b.data);
        else
            store_idempotency_forget(req->db, req->auth.user_id, key);
    }
    http_reply_problem(req, err);
}
