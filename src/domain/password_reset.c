/* password_reset.c — the emailed single-use link that sets a new password;
 * see password_reset.h. */
#include "domain/password_reset.h"

#include <string.h>

#include "domain/notify.h"
#include "domain/password.h"
#include "domain/schools.h"
#include "domain/single_use_links.h"
#include "domain/validate.h"
#include "lib/buf.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/limits.h"
#include "store/applications.h"
#include "store/store.h"

static const char expired_text[] = "this link has expired or has been used; ask for a new one";

struct request_ctx {
    struct arena *arena;
    const char *email, *account_key, *client_addr;
    int64_t now;
};

/* Counts the ask and, when the address has an account, sends it a link. */
static int request_tx(struct db_conn *conn, void *p)
{
    struct request_ctx *c = p;
    int rc = store_password_reset_request_add(conn, c->account_key, c->client_addr, c->now);
    if (rc != DB_OK)
        return rc;
    struct store_user user;
    rc = store_user_by_email(conn, c->arena, c->email, &user);
    if (rc == DB_DONE)
        return DB_OK; /* no account: nothing to send, the same answer */
    if (rc != DB_ROW)
        return rc;
    char token[44];
    rc = single_use_link_create(conn, STORE_LINK_PASSWORD_RESET, user.id, c->now, c->now + PASSWORD_RESET_SECONDS,
                                token);
    if (rc != DB_OK)
        return rc;
    struct buf body;
    buf_init(&body, c->arena, BUF_CAP_SMALL);
    buf_appendf(&body,
                "Someone, hopefully you, asked to reset the password of your Rounds account.\n\n"
                "Choose a new password here (the link works once, for one hour):\n%s/password-reset/%s\n\n"
                "Every session of your account ends when you do. If you did not ask, ignore this email: "
                "your password stays as it is.\n\n-- \nRounds\n",
                notify_public_url(), token);
    if (!buf_ok(&body))
        return DB_ERROR;
    notify_account_email(conn, c->arena, user.email, "password_reset", "Reset your Rounds password", body.data, c->now);
    return store_audit_add(conn, user.id, AUDIT_PASSWORD_RESET_REQUESTED, AUDIT_ON_USER, user.id, "", c->now);
}

int password_reset_request(struct db_conn *conn, struct arena *arena, const char *email, const char *client_addr,
                           int per_client, int64_t *retry_after, struct error *err)
{
    *retry_after = 0;
    const char *lowered = NULL;
    if (validate_email_lowered(arena, email, "email", &lowered, err) != 0)
        return -1;
    char account_key[65];
    crypto_hash_token(lowered, account_key);
    int64_t now = clock_now(), for_address = 0, from_client = 0;
    if (store_password_reset_request_counts(conn, account_key, client_addr, now - PASSWORD_RESET_WINDOW_SECONDS,
                                            &for_address, &from_client) != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    if (for_address >= PASSWORD_RESET_PER_ADDRESS || from_client >= per_client) {
        *retry_after = PASSWORD_RESET_WINDOW_SECONDS;
        return error_set(err, ERR_RATE_LIMITED, NULL, "too many requests for a new password; try again in an hour");
    }
    struct request_ctx c = {arena, lowered, account_key, client_addr, now};
    if (db_run_tx(conn, true, request_tx, &c) != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    return 0;
}

int password_reset_check(struct db_conn *conn, struct arena *arena, const char *token, struct error *err)
{
    const char *user_id = NULL;
    int rc = single_use_link_user(conn, arena, STORE_LINK_PASSWORD_RESET, token, &user_id);
    if (rc == DB_DONE)
        return error_set(err, ERR_NOT_FOUND, "token", expired_text);
    return rc == DB_ROW ? 0 : error_set(err, ERR_UNAVAILABLE, NULL, NULL);
}

int password_reset_begin(struct db_conn *conn, struct arena *arena, const char *token, const char *password,
                         struct password_reset_job *job, struct error *err)
{
    const char *user_id = NULL;
    int rc = single_use_link_user(conn, arena, STORE_LINK_PASSWORD_RESET, token, &user_id);
    if (rc == DB_DONE)
        return error_set(err, ERR_NOT_FOUND, "token", expired_text);
    if (rc != DB_ROW)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    if (password_check_length(password != NULL ? password : "", err) != 0)
        return -1;
    struct store_user user;
    rc = store_user_by_id(conn, arena, user_id, &user);
    if (rc == DB_DONE)
        return error_set(err, ERR_NOT_FOUND, "token", expired_text);
    if (rc != DB_ROW)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    /* Only the password can be too long here (the token and the user were found): every refusal names it. */
    if (validate_copy_within(job->token, sizeof(job->token), token, "password", err) != 0 ||
        validate_copy_within(job->user_id, sizeof(job->user_id), user.id, "password", err) != 0 ||
        validate_copy_within(job->email, sizeof(job->email), user.email, "password", err) != 0 ||
        validate_copy_within(job->password, sizeof(job->password), password, "password", err) != 0)
        return -1;
    return 0;
}

void password_reset_work(void *ctx)
{
    struct password_reset_job *job = ctx;
    job->refused = password_hash_new(job->password, job->email, job->password_hash, &job->err) != 0;
}

struct reset_ctx {
    struct arena *arena;
    const struct password_reset_job *job;
    const char *token_hash;
    int64_t now;
    bool used_before;
};

static int reset_tx(struct db_conn *conn, void *p)
{
    struct reset_ctx *c = p;
    int rc = store_link_use(conn, STORE_LINK_PASSWORD_RESET, c->token_hash, c->job->user_id, c->now);
    if (rc == DB_DONE) {
        c->used_before = true;
        return DB_CONSTRAINT; /* roll back: someone used it meanwhile */
    }
    if (rc == DB_OK)
        rc = store_user_set_password_hash(conn, c->job->user_id, c->job->password_hash);
    if (rc == DB_OK)
        rc = store_sessions_delete_user(conn, c->job->user_id);
    if (rc == DB_OK) { /* the emailed link proves the address too: what schools held for it goes now */
        rc = store_user_confirm_email(conn, c->job->user_id, c->now);
        if (rc == DB_OK)
            rc = school_invitations_release(conn, c->arena, c->job->user_id, c->now);
        rc = rc == DB_DONE ? DB_OK : rc;
    }
    if (rc == DB_OK)
        rc = store_audit_add(conn, c->job->user_id, AUDIT_PASSWORD_RESET, AUDIT_ON_USER, c->job->user_id,
                             "every session ended", c->now);
    return rc;
}

int password_reset_finish(struct db_conn *conn, struct arena *arena, const struct password_reset_job *job,
                          struct error *err)
{
    if (job->refused) {
        *err = job->err;
        return -1;
    }
    char token_hash[65];
    crypto_hash_token(job->token, token_hash);
    struct reset_ctx c = {arena, job, token_hash, clock_now(), false};
    int rc = db_run_tx(conn, true, reset_tx, &c);
    if (c.used_before)
        return error_set(err, ERR_NOT_FOUND, "token", expired_text);
    return rc == DB_OK ? 0 : error_set(err, ERR_UNAVAILABLE, NULL, NULL);
}
