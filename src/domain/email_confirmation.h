/* email_confirmation.h — a self-registered account confirms its address with
 * an emailed single-use link (only the token's hash is stored, good for
 * EMAIL_CONFIRM_SECONDS). Until it does, it cannot apply or join a waitlist,
 * and Rounds emails that address nothing but confirmation and password-reset
 * links (notify.h). Confirming sends a welcome email that says what to do
 * next. Accounts made by staff or the CLI are confirmed when created. */
#ifndef ROUNDS_DOMAIN_EMAIL_CONFIRMATION_H
#define ROUNDS_DOMAIN_EMAIL_CONFIRMATION_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/errors.h"
#include "store/store.h"

enum {
    EMAIL_CONFIRM_SECONDS = 7 * 24 * 3600,  /* a confirmation link works for a week */
    EMAIL_CONFIRM_WINDOW_SECONDS = 3600,    /* links sent are counted over the last hour */
    EMAIL_CONFIRM_PER_WINDOW = 3,           /* links one account may have sent in the window */
};

/* Inside the caller's transaction: a new link for user, emailed. */
int email_confirmation_send(struct db_conn *conn, struct arena *arena, const struct store_user *user, int64_t now);

/* "Send the link again" for the signed-in user: 0, or -1 with ERR_CONFLICT
 * (confirmed already) or ERR_RATE_LIMITED (*retry_after seconds set). */
int email_confirmation_resend(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                              int64_t *retry_after, struct error *err);

/* Whether token is a link that still works: 0, or -1 with ERR_NOT_FOUND. */
int email_confirmation_check(struct db_conn *conn, struct arena *arena, const char *token, struct error *err);

/* Uses the link: the account's address is confirmed (welcome email, audit,
 * and the school invitations held for the address sent: schools.h)
 * and *user filled as it now is. *first is false when the address was
 * confirmed already (by another link). -1 with ERR_NOT_FOUND for a link that
 * was used, expired or never was. */
int email_confirmation_confirm(struct db_conn *conn, struct arena *arena, const char *token, struct store_user *user,
                               bool *first, struct error *err);

/* 0 when user may apply, or -1 with ERR_EMAIL_UNCONFIRMED. */
int email_confirmation_required(const struct store_user *user, struct error *err);

#endif
