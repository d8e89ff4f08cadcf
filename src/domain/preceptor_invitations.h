/* preceptor_invitations.h — linking an account to a preceptor record by the
 * account's own consent. A preceptor record's account gets the host side of
 * every application to the preceptor's offerings, so nobody links someone
 * else's account: a coordinator of the host (or staff) sends an invitation to
 * the email on the record, and whoever holds the link accepts it while signed
 * in to their own account. The link's token is random, stored hashed, works
 * once and expires after PRECEPTOR_INVITATION_DAYS; sending and accepting are
 * in the audit trail. (The other way to link, at creation, is an account that
 * is already a preceptor member of the host: see catalog_preceptor_create.) */
#ifndef ROUNDS_DOMAIN_PRECEPTOR_INVITATIONS_H
#define ROUNDS_DOMAIN_PRECEPTOR_INVITATIONS_H

#include "lib/arena.h"
#include "lib/errors.h"
#include "store/store.h"

/* What an invitation link opens: the invitation, its preceptor record and
 * the host's name. */
struct preceptor_invitation_view {
    struct store_preceptor_invitation invitation;
    struct store_preceptor preceptor;
    const char *host_name;
};

/* A coordinator of the preceptor's host, or staff, invites the preceptor:
 * mails a fresh link to the record's address. 404 when there is no such
 * preceptor or the caller does not manage its host, 409 conflict when the
 * record is linked to an account already, 429 rate_limited past
 * PRECEPTOR_INVITATIONS_PER_DAY. *out is the invitation (never its token). */
int preceptor_invite(struct db_conn *conn, struct arena *arena, const struct store_user *by, const char *preceptor_id,
                     struct store_preceptor_invitation *out, struct error *err);

/* What a token opens: 404 for an unknown token, 410 invitation_expired or
 * invitation_used. */
int preceptor_invitation_open(struct db_conn *conn, struct arena *arena, const char *token,
                              struct preceptor_invitation_view *out, struct error *err);

/* The signed-in user accepts: the record is linked to their account, which
 * becomes a preceptor member of the host; the link is used up. 404/410 as
 * preceptor_invitation_open, 409 conflict when the record was linked to
 * another account meanwhile. *out is the linked record. */
int preceptor_invitation_accept(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                                const char *token, struct store_preceptor *out, struct error *err);

#endif
