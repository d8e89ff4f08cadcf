/* auth.c — registration and login flows; see auth.h. */
#include "domain/auth.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/email_confirmation.h"
#include "domain/password.h"
#include "domain/validate.h"
#include "lib/metrics.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/limits.h"
#include "lib/log.h"
#include "lib/utf8.h"
#include "store/applications.h"
#include "store/two_factor.h"

/* Counts a registration from the client's address, or refuses it (429). */
static int count_registration(struct db_conn *conn, struct arena *arena, const struct auth_register_client *client,
                              struct auth_register_job *job, struct error *err)
{
    if (client == NULL || client->addr == NULL)
        return 0;
    size_t size = strlen(client->addr) + 10;
    char *bucket = arena_alloc(arena, size);
    if (bucket == NULL)
        return error_set(err, ERR_INTERNAL, NULL, NULL);
    snprintf(bucket, size, "register:%s", client->addr);
    int64_t now = clock_now(), count = 0, first_at = 0;
    if (store_rate_events_count(conn, bucket, now - REGISTER_WINDOW_SECONDS, &count, &first_at) != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    if (count >= client->per_hour) {
        job->retry_after = first_at + REGISTER_WINDOW_SECONDS - now;
        if (job->retry_after < 1)
            job->retry_after = 1;
        return error_set(err, ERR_RATE_LIMITED, NULL,
                         "too many accounts were created from your address in the last hour; try again later");
    }
    return store_rate_event_add(conn, bucket, now) == DB_OK ? 0 : error_set(err, ERR_UNAVAILABLE, NULL, NULL);
}

int auth_register_begin(struct db_conn *conn, struct arena *arena, const char *email, const char *name,
                        const char *password, enum role role, const char *organization_id,
                        const struct auth_register_client *client, struct auth_register_job *job,
                        struct error *err)
{
    if (validate_email_lowered(arena, email, "email", &email, err) != 0)
        return -1;
    if (name == NULL)
        name = "";
    if (password == NULL)
        password = "";
    if (validate_text(name, "name", 1, ACCOUNT_NAME_MAX_CHARS, false, err) != 0)
        return -1;
    if (role_name(role)[0] == '\0')
        return error_set(err, ERR_VALIDATION_FAILED, "role", "is not a role");
    if (password_check_length(password, err) != 0)
        return -1;
    enum organization_kind needed_kind = account_role_organization_kind(role);
    if (organization_id != NULL) {
        const char *kind = NULL;
        if (needed_kind == ORGANIZATION_KIND_UNKNOWN)
            return error_set(err, ERR_VALIDATION_FAILED, "organization_id", "this role takes no organisation");
        int rc = store_organization_kind(conn, arena, organization_id, &kind);
        if (rc == DB_DONE || (rc == DB_ROW && organization_kind_parse(kind) != needed_kind))
            return error_set(err, ERR_VALIDATION_FAILED, "organization_id", "is not an organisation of the right kind");
        if (rc != DB_ROW)
            return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    }
    /* Counted before the email is looked up, so that the limit also bounds
     * probing which emails have accounts. */
    if (count_registration(conn, arena, client, job, err) != 0)
        return -1;
    /* Answer a taken email before spending a hash on it. */
    struct store_user existing;
    int rc = store_user_by_email(conn, arena, email, &existing);
    if (rc == DB_ROW)
        return error_set(err, ERR_EMAIL_TAKEN, "email", "an account with this email exists; log in instead");
    if (rc != DB_DONE)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    job->role = role;
    job->confirm_email = client != NULL; /* signed up by themselves: the address is not proven yet */
    if (validate_copy_within(job->email, sizeof(job->email), email, "email", err) != 0 ||
        validate_copy_within(job->name, sizeof(job->name), name, "name", err) != 0 ||
        validate_copy_within(job->password, sizeof(job->password), password, "password", err) != 0 ||
        validate_copy_within(job->organization_id, sizeof(job->organization_id), organization_id, "organization_id",
                             err) != 0)
        return -1;
    return 0;
}

void auth_register_work(void *ctx)
{
    struct auth_register_job *job = ctx;
    job->refused = password_hash_new(job->password, job->email, job->password_hash, &job->err) != 0;
}

struct insert_ctx {
    struct arena *arena;
    const struct auth_register_job *job;
    struct store_user *user;
};

static int insert_user_tx(struct db_conn *conn, void *p)
{
    struct insert_ctx *ctx = p;
    int rc = store_user_insert(conn, ctx->user);
    if (rc == DB_OK && ctx->job->organization_id[0] != '\0')
        rc = store_membership_insert(conn, ctx->user->id, ctx->job->organization_id, role_name(ctx->job->role));
    if (rc == DB_OK && ctx->job->confirm_email)
        rc = email_confirmation_send(conn, ctx->arena, ctx->user, ctx->user->created_at);
    return rc;
}

int auth_register_finish(struct db_conn *conn, struct arena *arena, const struct auth_register_job *job,
                         struct store_user *user, struct error *err)
{
    if (job->refused) {
        *err = job->err;
        return -1;
    }
    char id[32];
    crypto_random_id("u_", id, sizeof(id));
    memset(user, 0, sizeof(*user));
    user->id = arena_strdup(arena, id);
    user->email = arena_strdup(arena, job->email);
    user->name = arena_strdup(arena, job->name);
    user->password_hash = arena_strdup(arena, job->password_hash);
    user->created_at = clock_now();
    user->email_confirmed_at = job->confirm_email ? 0 : user->created_at;
    user->roles[0] = role_name(job->role);
    user->role_count = 1;
    struct insert_ctx ctx = {arena, job, user};
    int rc = db_run_tx(conn, true, insert_user_tx, &ctx);
    if (rc == DB_CONSTRAINT)
        return error_set(err, ERR_EMAIL_TAKEN, "email", "an account with this email exists; log in instead");
    if (rc != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    /* Read it back so that memberships and defaults are as stored. */
    rc = store_user_by_id(conn, arena, id, user);
    return rc == DB_ROW ? 0 : error_set(err, ERR_UNAVAILABLE, NULL, NULL);
}

/* A hash of a random password: verifying against it costs what a real check
 * costs, so that a missing account does not answer faster. */
static char decoy_hash[128];
static pthread_once_t decoy_once = PTHREAD_ONCE_INIT;

static void make_decoy_hash(void)
{
    char token[44];
    crypto_random_token(token);
    if (crypto_password_hash(token, decoy_hash) != 0)
        decoy_hash[0] = '\0';
}

static void account_key(const char *email, char out[65])
{
    crypto_hash_token(email, out);
}

/* Seconds the next attempt must wait given the failures in the window: 0
 * when it may go ahead. */
static int64_t login_wait(const struct store_login_failures *f, const struct auth_login_limits *limits, int64_t now)
{
    if (f->account >= limits->per_account || f->client >= limits->per_client)
        return LOGIN_WINDOW_SECONDS;
    if (f->pair >= limits->per_account_client) {
        /* Locked for this address until its oldest failure leaves the window. */
        int64_t wait = f->pair_first_at + LOGIN_WINDOW_SECONDS - now;
        return wait > 0 ? wait : 1;
    }
    if (f->pair < LOGIN_FREE_FAILURES)
        return 0;
    int64_t delay = 1;
    for (int64_t i = LOGIN_FREE_FAILURES; i < f->pair && delay < LOGIN_MAX_DELAY_SECONDS; i++)
        delay *= 2;
    if (delay > LOGIN_MAX_DELAY_SECONDS)
        delay = LOGIN_MAX_DELAY_SECONDS;
    int64_t wait = f->pair_last_at + delay - now;
    return wait > 0 ? wait : 0;
}

int auth_login_begin(struct db_conn *conn, struct arena *arena, const char *email, const char *password,
                     const char *client_addr, const struct auth_login_limits *limits, struct auth_login_job *job,
                     struct error *err)
{
    char key[65];
    /* Accounts are keyed by the address lower-cased as at sign-up
     * ("Ana@X.test" finds ana@x.test). Text that is not an address names no
     * account (every account's went through the same check): the answer of
     * a wrong password, at once, without a password hash to work out. */
    const char *address = NULL;
    if (validate_email_lowered(arena, email, "email", &address, err) != 0)
        return err->code == ERR_INTERNAL ? -1 : error_set(err, ERR_INVALID_CREDENTIALS, NULL, "wrong email or password");
    account_key(address, key);
    int64_t now = clock_now();
    struct store_login_failures failures;
    int rc = store_login_failure_counts(conn, key, client_addr, now - LOGIN_WINDOW_SECONDS, &failures);
    if (rc != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    job->retry_after = login_wait(&failures, limits, now);
    if (job->retry_after > 0) {
        metrics_count(METRIC_LOGINS_LIMITED, 1);
        return error_set(err, ERR_RATE_LIMITED, NULL, "too many failed logins; wait and try again");
    }

    struct store_user user;
    rc = store_user_by_email(conn, arena, address, &user);
    if (rc != DB_ROW && rc != DB_DONE)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    if (validate_copy_within(job->email, sizeof(job->email), address, "email", err) != 0)
        return -1;
    if (strlen(password) >= sizeof(job->password))
        return error_set(err, ERR_INVALID_CREDENTIALS, NULL, "wrong email or password");
    memcpy(job->password, password, strlen(password) + 1);
    job->user_found = rc == DB_ROW;
    /* Counted now, forgotten by a success: parallel attempts cannot all
     * slip under the limits while their hashes are computed. */
    if (store_login_failure_add(conn, key, client_addr, now) != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    if (job->user_found) {
        snprintf(job->stored_hash, sizeof(job->stored_hash), "%s", user.password_hash);
    } else {
        pthread_once(&decoy_once, make_decoy_hash);
        snprintf(job->stored_hash, sizeof(job->stored_hash), "%s", decoy_hash);
    }
    return 0;
}

void auth_login_work(void *ctx)
{
    struct auth_login_job *job = ctx;
    job->verified = job->stored_hash[0] != '\0' && crypto_password_verify(job->stored_hash, job->password) &&
                    job->user_found;
    if (job->verified && crypto_password_needs_rehash(job->stored_hash))
        job->needs_rehash = crypto_password_hash(job->password, job->new_hash) == 0;
}

int auth_login_finish(struct db_conn *conn, struct arena *arena, const struct auth_login_job *job,
                      const char *client_addr, struct store_user *user, struct error *err)
{
    char key[65];
    account_key(job->email, key);
    int64_t now = clock_now();
    if (!job->verified) {
        /* The audit names the account only by the hash of its email. The
         * failure was counted when the attempt began. */
        store_audit_add(conn, NULL, AUDIT_LOGIN_FAILED, AUDIT_ON_ACCOUNT, key, "", now);
        /* Keep the table small: old failures no longer count. */
        store_login_failure_prune(conn, now - 2 * LOGIN_WINDOW_SECONDS);
        metrics_count(METRIC_LOGIN_FAILURES, 1);
        return error_set(err, ERR_INVALID_CREDENTIALS, NULL, "wrong email or password");
    }
    int rc = store_user_by_email(conn, arena, job->email, user);
    if (rc != DB_ROW)
        return error_set(err, rc == DB_DONE ? ERR_INVALID_CREDENTIALS : ERR_UNAVAILABLE, NULL, NULL);
    /* With a second factor to come, the attempt stays counted until its
     * code is right (domain/two_factor.c): otherwise the password, typed
     * again, would forget the wrong codes and let guessing go on. */
    struct store_two_factor second;
    rc = store_two_factor_get(conn, arena, user->id, &second);
    if (rc != DB_ROW && rc != DB_DONE)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    if (rc == DB_ROW && second.confirmed_at != 0) {
        store_audit_add(conn, user->id, AUDIT_LOGIN_PASSWORD, AUDIT_ON_USER, user->id, "", now);
        return 0;
    }
    store_login_failure_clear(conn, key, client_addr);
    store_audit_add(conn, user->id, AUDIT_LOGIN, AUDIT_ON_USER, user->id, "", now);
    metrics_count(METRIC_LOGINS, 1);
    if (job->needs_rehash && store_user_set_password_hash(conn, user->id, job->new_hash) == DB_OK)
        log_info("msg=\"password rehashed with current parameters\" user_id=%s", user->id);
    return 0;
}

int auth_attempt_begin(struct db_conn *conn, const char *email, const char *client_addr,
                       const struct auth_login_limits *limits, int64_t *retry_after, struct error *err)
{
    char key[65];
    account_key(email, key);
    int64_t now = clock_now();
    struct store_login_failures failures;
    if (store_login_failure_counts(conn, key, client_addr, now - LOGIN_WINDOW_SECONDS, &failures) != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    *retry_after = login_wait(&failures, limits, now);
    if (*retry_after > 0) {
        metrics_count(METRIC_LOGINS_LIMITED, 1);
        return error_set(err, ERR_RATE_LIMITED, NULL, "too many failed logins; wait and try again");
    }
    if (store_login_failure_add(conn, key, client_addr, now) != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    return 0;
}

void auth_attempt_succeeded(struct db_conn *conn, const char *email, const char *client_addr)
{
    char key[65];
    account_key(email, key);
    store_login_failure_clear(conn, key, client_addr);
}

int auth_attempt_failed(struct db_conn *conn, const char *email, struct error *err)
{
    char key[65];
    account_key(email, key);
    int64_t now = clock_now();
    store_audit_add(conn, NULL, AUDIT_LOGIN_FAILED, AUDIT_ON_ACCOUNT, key, "", now);
    store_login_failure_prune(conn, now - 2 * LOGIN_WINDOW_SECONDS);
    metrics_count(METRIC_LOGIN_FAILURES, 1);
    return error_set(err, ERR_INVALID_CREDENTIALS, NULL, "wrong email or password");
}

int auth_create_user(struct db_conn *conn, struct arena *arena, const char *email, const char *name,
                     const char *password, enum role role, const char *organization_id, struct store_user *user,
                     struct error *err)
{
    struct auth_register_job job;
    memset(&job, 0, sizeof(job));
    int rc = auth_register_begin(conn, arena, email, name, password, role, organization_id, NULL, &job, err);
    if (rc == 0) {
        auth_register_work(&job);
        rc = auth_register_finish(conn, arena, &job, user, err);
    }
    explicit_bzero(&job, sizeof(job));
    return rc;
}
