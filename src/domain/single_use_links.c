/* single_use_links.c — a single-use link's token and the account it
 * belongs to, for password reset and email confirmation; see
 * single_use_links.h. */
#include "domain/single_use_links.h"

#include <string.h>

#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/limits.h"

bool single_use_link_hash(const char *token, char token_hash[65])
{
    if (token == NULL || token[0] == '\0' || strlen(token) > LINK_TOKEN_MAX_BYTES)
        return false;
    crypto_hash_token(token, token_hash);
    return true;
}

int single_use_link_create(struct db_conn *conn, enum store_link_kind kind, const char *user_id, int64_t now,
                           int64_t expires_at, char token[44])
{
    char token_hash[65];
    crypto_random_token(token);
    crypto_hash_token(token, token_hash);
    return store_link_insert(conn, kind, token_hash, user_id, now, expires_at);
}

int single_use_link_user(struct db_conn *conn, struct arena *arena, enum store_link_kind kind, const char *token,
                         const char **user_id)
{
    char token_hash[65];
    if (!single_use_link_hash(token, token_hash))
        return DB_DONE;
    return store_link_find(conn, arena, kind, token_hash, clock_now(), user_id);
}
