/* email_confirmation.c — the emailed link that confirms an account's
 * address, and the welcome email after it; see email_confirmation.h. */
#include "domain/email_confirmation.h"

#include "domain/notify.h"
#include "domain/schools.h"
#include "domain/single_use_links.h"
#include "lib/buf.h"
#include "lib/clock.h"
#include "lib/limits.h"
#include "store/applications.h"

static const char expired_text[] = "this link has expired or has been used; sign in to ask for a new one";

int email_confirmation_send(struct db_conn *conn, struct arena *arena, const struct store_user *user, int64_t now)
{
    char token[44];
    int rc = single_use_link_create(conn, STORE_LINK_EMAIL_CONFIRMATION, user->id, now, now + EMAIL_CONFIRM_SECONDS,
                                    token);
    if (rc != DB_OK)
        return rc;
    struct buf body;
    buf_init(&body, arena, BUF_CAP_SMALL);
    buf_appendf(&body,
                "Welcome to Rounds. Please confirm that this is your email address (the link works once, for "
                "7 days):\n%s/confirm/%s\n\n"
                "Until you do, you cannot apply for rotations, and Rounds sends this address nothing else.\n"
                "If you did not create a Rounds account, ignore this email: nothing more will come.\n\n-- \nRounds\n",
                notify_public_url(), token);
    if (!buf_ok(&body))
        return DB_ERROR;
    notify_account_email(conn, arena, user->email, "email_confirmation", "Confirm your email address for Rounds",
                         body.data, now);
    return store_audit_add(conn, user->id, AUDIT_EMAIL_CONFIRMATION_SENT, AUDIT_ON_USER, user->id, "", now);
}

struct resend_ctx {
    struct arena *arena;
    const struct store_user *user;
    int64_t now, sent;
    bool confirmed;
};

static int resend_tx(struct db_conn *conn, void *p)
{
    struct resend_ctx *c = p;
    struct store_user fresh;
    /* The row as it is now (the session's copy may predate a confirmation). */
    int rc = store_user_by_id(conn, c->arena, c->user->id, &fresh);
    if (rc != DB_ROW)
        return rc == DB_DONE ? DB_ERROR : rc;
    if (fresh.email_confirmed_at > 0) {
        c->confirmed = true;
        return DB_OK;
    }
    rc = store_email_confirmation_count(conn, fresh.id, c->now - EMAIL_CONFIRM_WINDOW_SECONDS, &c->sent);
    if (rc != DB_OK || c->sent >= EMAIL_CONFIRM_PER_WINDOW)
        return rc;
    return email_confirmation_send(conn, c->arena, &fresh, c->now);
}

int email_confirmation_resend(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                              int64_t *retry_after, struct error *err)
{
    *retry_after = 0;
    struct resend_ctx c = {arena, user, clock_now(), 0, false};
    if (db_run_tx(conn, true, resend_tx, &c) != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    if (c.confirmed)
        return error_set(err, ERR_CONFLICT, NULL, "your email address is confirmed already");
    if (c.sent >= EMAIL_CONFIRM_PER_WINDOW) {
        *retry_after = EMAIL_CONFIRM_WINDOW_SECONDS;
        return error_set(err, ERR_RATE_LIMITED, NULL,
                         "we sent you 3 links in the last hour; use one of them or try again in an hour");
    }
    return 0;
}

int email_confirmation_check(struct db_conn *conn, struct arena *arena, const char *token, struct error *err)
{
    const char *user_id = NULL;
    int rc = single_use_link_user(conn, arena, STORE_LINK_EMAIL_CONFIRMATION, token, &user_id);
    if (rc == DB_DONE)
        return error_set(err, ERR_NOT_FOUND, "token", expired_text);
    return rc == DB_ROW ? 0 : error_set(err, ERR_UNAVAILABLE, NULL, NULL);
}

static void welcome(struct db_conn *conn, struct arena *arena, const struct store_user *user, int64_t now)
{
    const char *url = notify_public_url();
    struct buf body;
    buf_init(&body, arena, BUF_CAP_SMALL);
    buf_appendf(&body,
                "Your email address is confirmed: welcome to Rounds.\n\n"
                "What to do next:\n"
                "1. Complete your profile (school, graduation, USMLE, visa): hosts read it with every application.\n"
                "   %s/account\n"
                "2. Upload your documents once to your wallet (passport, diploma, USMLE reports, immunisations): "
                "every application can use them.\n   %s/wallet\n"
                "3. Search rotations by specialty, state and dates, and apply.\n   %s/search\n\n-- \nRounds\n",
                url, url, url);
    if (buf_ok(&body))
        notify_email(conn, arena, user->email, "welcome", "Welcome to Rounds: what to do next", body.data, now);
}

struct confirm_ctx {
    struct arena *arena;
    const char *token_hash;
    struct store_user *user;
    int64_t now;
    bool used_before, first;
};

static int confirm_tx(struct db_conn *conn, void *p)
{
    struct confirm_ctx *c = p;
    const char *user_id = NULL;
    int rc = store_link_find(conn, c->arena, STORE_LINK_EMAIL_CONFIRMATION, c->token_hash, c->now, &user_id);
    if (rc == DB_ROW)
        rc = store_link_use(conn, STORE_LINK_EMAIL_CONFIRMATION, c->token_hash, user_id, c->now);
    if (rc == DB_DONE) {
        c->used_before = true;
        return DB_CONSTRAINT; /* roll back: nothing changed */
    }
    if (rc != DB_OK)
        return rc;
    rc = store_user_confirm_email(conn, user_id, c->now);
    c->first = rc == DB_OK;
    if (rc == DB_DONE)
        rc = DB_OK;
    if (rc == DB_OK && c->first)
        rc = store_audit_add(conn, user_id, AUDIT_EMAIL_CONFIRMED, AUDIT_ON_USER, user_id, "", c->now);
    if (rc == DB_OK && c->first) /* what schools held for the address goes now */
        rc = school_invitations_release(conn, c->arena, user_id, c->now);
    if (rc == DB_OK)
        rc = store_user_by_id(conn, c->arena, user_id, c->user) == DB_ROW ? DB_OK : DB_ERROR;
    if (rc == DB_OK && c->first)
        welcome(conn, c->arena, c->user, c->now);
    return rc;
}

int email_confirmation_confirm(struct db_conn *conn, struct arena *arena, const char *token, struct store_user *user,
                               bool *first, struct error *err)
{
    *first = false;
    char token_hash[65];
    if (!single_use_link_hash(token, token_hash))
        return error_set(err, ERR_NOT_FOUND, "token", expired_text);
    struct confirm_ctx c = {arena, token_hash, user, clock_now(), false, false};
    int rc = db_run_tx(conn, true, confirm_tx, &c);
    if (c.used_before)
        return error_set(err, ERR_NOT_FOUND, "token", expired_text);
    if (rc != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    *first = c.first;
    return 0;
}

int email_confirmation_required(const struct store_user *user, struct error *err)
{
    if (user->email_confirmed_at > 0)
        return 0;
    return error_set(err, ERR_EMAIL_UNCONFIRMED, NULL,
                     "confirm your email address first: open the link we emailed you, or ask for a new one on "
                     "your account page");
}
