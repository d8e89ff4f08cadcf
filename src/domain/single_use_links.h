/* single_use_links.h — what the emailed links that work once (a password
 * reset, an email confirmation) share above the store: which tokens can be
 * a link's at all, a new link's token, and the account a token that still
 * works belongs to. Only a token's hash is stored (store/single_use_links.c). */
#ifndef ROUNDS_DOMAIN_SINGLE_USE_LINKS_H
#define ROUNDS_DOMAIN_SINGLE_USE_LINKS_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/arena.h"
#include "store/store.h"

/* The hash of token, as stored, into token_hash; false (nothing written)
 * when token cannot be a link's (none, empty, or over LINK_TOKEN_MAX_BYTES). */
bool single_use_link_hash(const char *token, char token_hash[65]);

/* Inside the caller's transaction: a new link of kind for user_id that
 * works until expires_at; token gets the secret the email carries. */
int single_use_link_create(struct db_conn *conn, enum store_link_kind kind, const char *user_id, int64_t now,
                           int64_t expires_at, char token[44]);

/* The user whose link of kind token is and still works (DB_ROW, *user_id
 * set); DB_DONE when it does not (used, expired, never was, or no token). */
int single_use_link_user(struct db_conn *conn, struct arena *arena, enum store_link_kind kind, const char *token,
                         const char **user_id);

#endif
