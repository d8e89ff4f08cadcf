/* preceptor_invitations.c — an account linked to a preceptor record only by
 * its own consent; see preceptor_invitations.h. Tokens are only ever mailed,
 * stored hashed and never logged. */
#include "domain/preceptor_invitations.h"

#include <ctype.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/catalog.h"
#include "domain/notify.h"
#include "lib/buf.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/limits.h"
#include "lib/log.h"
#include "lib/tz_words.h"
#include "store/applications.h"

enum { DAY = 86400, TOKEN_CHARS = 43 };

struct invite_ctx {
    struct arena *arena;
    const struct store_user *by;
    const char *preceptor_id;
    struct store_preceptor_invitation *out;
    struct error *err;
};

/* Runs fn in a write transaction: 0, or -1 with err set (the domain's own
 * error, or 503 when the database failed). */
static int run_tx(struct db_conn *conn, int (*fn)(struct db_conn *conn, void *ctx), void *ctx, struct error *err)
{
    err->code = ERR_NONE;
    int rc = db_run_tx(conn, true, fn, ctx);
    if (err->code != ERR_NONE)
        return -1;
    if (rc != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    return 0;
}

/* Sets the error and asks for a rollback. */
static int refuse(struct error *err, enum error_code code, const char *field, const char *detail)
{
    error_set(err, code, field, detail);
    return DB_CONSTRAINT;
}

/* The time zone of the account whose address email is (NULL: none, or no
 * such account; the link's end is then said in UTC, saying so). */
static const char *address_time_zone(struct db_conn *conn, struct arena *arena, const char *email)
{
    char lowered[256];
    size_t n = 0;
    for (; email != NULL && email[n] != '\0' && n + 1 < sizeof(lowered); n++)
        lowered[n] = (char)tolower((unsigned char)email[n]);
    lowered[n] = '\0';
    struct store_user holder;
    return n > 0 && store_user_by_email(conn, arena, lowered, &holder) == DB_ROW ? holder.time_zone : NULL;
}

/* The invitation mail: the names quoted as given and defanged
 * (notify_quote), the only link Rounds' own, its end in the time zone of the
 * account the address belongs to, else in UTC. */
static void mail_invitation(struct db_conn *conn, struct arena *arena, const struct store_preceptor *p,
                            const char *host_name, const struct store_user *by, const char *token, int64_t expires_at,
                            int64_t now)
{
    char expires[TZ_INSTANT_WORDS_SIZE];
    tz_instant_words(address_time_zone(conn, arena, p->email), expires_at, expires);
    struct buf body;
    buf_init(&body, arena, BUF_CAP_SMALL);
    buf_append_str(&body, "Hello,\n\nOn Rounds, a clinical-rotation placement platform, a coordinator of the host "
                          "below asks you to link your Rounds account to your preceptor profile there, so that you "
                          "can review the applications to your rotations. What they entered is quoted as given:\n\n");
    buf_appendf(&body, "  Host: %s\n", notify_quote(arena, host_name, BUF_CAP_LINE));
    buf_appendf(&body, "  Preceptor profile: %s\n", notify_quote(arena, p->name, BUF_CAP_LINE));
    buf_appendf(&body, "  Invited by: %s\n\n", notify_quote(arena, by->name, BUF_CAP_LINE));
    buf_appendf(&body,
                "Sign in to your own Rounds account (or ask the host for one), then open this link and "
                "accept:\n%s/invitations/preceptors/%s\n\nThe link works once, until %s. If you do not "
                "know this host, ignore this email: nothing is linked unless you accept while signed in.\n\n"
                "-- \nRounds\n",
                notify_public_url(), token, expires);
    if (!buf_ok(&body)) {
        log_warn("msg=\"preceptor invitation not queued\" preceptor_id=%s", p->id);
        return;
    }
    notify_email(conn, arena, p->email, "preceptor_invitation", "Link your Rounds account to your preceptor profile",
                 body.data, now);
}

static int invite_tx(struct db_conn *conn, void *p)
{
    struct invite_ctx *c = p;
    struct store_preceptor preceptor;
    int rc = store_preceptor_get(conn, c->arena, c->preceptor_id, &preceptor);
    if (rc == DB_DONE || (rc == DB_ROW && !catalog_may_manage(c->by, preceptor.organization_id)))
        return refuse(c->err, ERR_NOT_FOUND, NULL, "no such preceptor");
    if (rc != DB_ROW)
        return rc;
    if (preceptor.user_id != NULL)
        return refuse(c->err, ERR_CONFLICT, NULL, "this preceptor's record is linked to an account already");
    int64_t now = clock_now(), sent = 0;
    rc = store_preceptor_invitations_since(conn, preceptor.id, now - DAY, &sent);
    if (rc != DB_OK)
        return rc;
    if (sent >= PRECEPTOR_INVITATIONS_PER_DAY)
        return refuse(c->err, ERR_RATE_LIMITED, NULL,
                      "this preceptor was invited " LIMIT_TEXT(PRECEPTOR_INVITATIONS_PER_DAY)
                      " times in the last 24 hours; try again tomorrow");
    const char *host_name = NULL;
    rc = store_organization_name(conn, c->arena, preceptor.organization_id, &host_name);
    if (rc != DB_ROW)
        return rc == DB_DONE ? DB_ERROR : rc;
    char id[40], token[TOKEN_CHARS + 1], hash[65];
    crypto_random_id("pinv_", id, sizeof(id));
    crypto_random_token(token);
    crypto_hash_token(token, hash);
    *c->out = (struct store_preceptor_invitation){.id = arena_strdup(c->arena, id),
                                                  .preceptor_id = preceptor.id,
                                                  .invited_by = c->by->id,
                                                  .created_at = now,
                                                  .expires_at = now + (int64_t)PRECEPTOR_INVITATION_DAYS * DAY};
    rc = c->out->id != NULL ? store_preceptor_invitation_insert(conn, c->out, hash) : DB_ERROR;
    if (rc == DB_OK)
        rc =
            store_audit_add(conn, c->by->id, AUDIT_PRECEPTOR_INVITE, AUDIT_ON_PRECEPTOR, preceptor.id, c->out->id, now);
    if (rc == DB_OK)
        mail_invitation(conn, c->arena, &preceptor, host_name, c->by, token, c->out->expires_at, now);
    explicit_bzero(token, sizeof(token));
    return rc;
}

int preceptor_invite(struct db_conn *conn, struct arena *arena, const struct store_user *by, const char *preceptor_id,
                     struct store_preceptor_invitation *out, struct error *err)
{
    if (by == NULL || preceptor_id == NULL || preceptor_id[0] == '\0')
        return error_set(err, ERR_NOT_FOUND, NULL, "no such preceptor");
    struct invite_ctx c = {arena, by, preceptor_id, out, err};
    return run_tx(conn, invite_tx, &c, err);
}

/* The invitation a token opens, checked (0), or -1 with err set. */
static int open_token(struct db_conn *conn, struct arena *arena, const char *token,
                      struct preceptor_invitation_view *out, struct error *err)
{
    if (token == NULL || strlen(token) != TOKEN_CHARS)
        return error_set(err, ERR_NOT_FOUND, NULL, "this invitation link is not valid");
    char hash[65];
    crypto_hash_token(token, hash);
    memset(out, 0, sizeof(*out));
    int rc = store_preceptor_invitation_by_token(conn, arena, hash, &out->invitation);
    if (rc == DB_DONE)
        return error_set(err, ERR_NOT_FOUND, NULL, "this invitation link is not valid");
    if (rc == DB_ROW)
        rc = store_preceptor_get(conn, arena, out->invitation.preceptor_id, &out->preceptor);
    if (rc == DB_ROW)
        rc = store_organization_name(conn, arena, out->preceptor.organization_id, &out->host_name);
    if (rc != DB_ROW)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    if (out->invitation.used_at > 0)
        return error_set(err, ERR_INVITATION_USED, NULL, "this invitation link has been used");
    if (clock_now() >= out->invitation.expires_at)
        return error_set(err, ERR_INVITATION_EXPIRED, NULL,
                         "this invitation link has expired; ask the host to send a new one");
    return 0;
}

int preceptor_invitation_open(struct db_conn *conn, struct arena *arena, const char *token,
                              struct preceptor_invitation_view *out, struct error *err)
{
    return open_token(conn, arena, token, out, err);
}

struct accept_ctx {
    struct arena *arena;
    const struct store_user *user;
    const char *token;
    struct store_preceptor *out;
    struct error *err;
};

static int accept_tx(struct db_conn *conn, void *p)
{
    struct accept_ctx *c = p;
    struct preceptor_invitation_view view;
    if (open_token(conn, c->arena, c->token, &view, c->err) != 0)
        return c->err->code == ERR_UNAVAILABLE ? DB_ERROR : DB_CONSTRAINT;
    int64_t now = clock_now();
    int rc = store_preceptor_invitation_use(conn, view.invitation.id, c->user->id, now);
    if (rc == DB_DONE)
        return refuse(c->err, ERR_INVITATION_USED, NULL, "this invitation link has been used");
    if (rc == DB_OK)
        rc = store_preceptor_link(conn, view.preceptor.id, c->user->id);
    if (rc == DB_DONE)
        return refuse(c->err, ERR_CONFLICT, NULL, "this preceptor's record is linked to an account already");
    if (rc == DB_OK)
        rc = store_user_add_role(conn, c->user->id, "preceptor");
    if (rc == DB_OK)
        rc = store_membership_insert(conn, c->user->id, view.preceptor.organization_id, "preceptor");
    if (rc == DB_OK)
        rc = store_audit_add(conn, c->user->id, AUDIT_PRECEPTOR_LINK, AUDIT_ON_PRECEPTOR, view.preceptor.id,
                             view.invitation.id, now);
    if (rc == DB_OK)
        rc = store_preceptor_get(conn, c->arena, view.preceptor.id, c->out) == DB_ROW ? DB_OK : DB_ERROR;
    return rc;
}

int preceptor_invitation_accept(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                                const char *token, struct store_preceptor *out, struct error *err)
{
    if (user == NULL)
        return error_set(err, ERR_UNAUTHENTICATED, NULL, "log in first");
    struct accept_ctx c = {arena, user, token, out, err};
    return run_tx(conn, accept_tx, &c, err);
}
