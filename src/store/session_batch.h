/* session_batch.h — many sessions read in one round trip (store/session_batch.c):
 * the database pool authenticates the requests waiting for it together. */
#ifndef ROUNDS_STORE_SESSION_BATCH_H
#define ROUNDS_STORE_SESSION_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"
#include "store/db.h"
#include "store/session_memo.h"
#include "store/store.h"

/* Tokens read per query; a longer list takes more queries. */
enum { STORE_SESSION_BATCH_MAX = 16 };

/* One token to look up: its hash and where the answer goes (each lookup
 * copies into its own arena, so that it lives as long as its request). */
struct store_session_lookup {
    const char *token_hash;       /* in */
    struct arena *arena;          /* in */
    struct store_user *user;      /* in: filled when found */
    struct store_session session; /* out */
    int rc;                       /* out: DB_ROW or DB_DONE, as store_session_find_user */
};

/* What store_session_find_user answers for each lookup, for all of them in
 * one query per STORE_SESSION_BATCH_MAX tokens (the same token may appear
 * more than once). DB_OK, or the error (no rc is then to be trusted). */
int store_session_find_users(struct db_conn *conn, struct store_session_lookup *lookups, size_t count,
                             int64_t idle_after, int64_t created_after);

/* The same for up to STORE_SESSION_BATCH_MAX lookups, without waiting for the
 * answer (db_send in store/db.h): DB_OK with the statement in *sent, whose
 * answer, once db_poll says it is in, store_session_find_users_receive reads
 * into the same lookups (which must stay as they were meanwhile). Any other
 * status: nothing was sent (DB_UNSUPPORTED on SQLite). With a memo (NULL:
 * none), the sessions found are kept in it, and lookups whose sessions are
 * all kept are answered from it when the database is unchanged (see
 * session_batch.c): when receive answers DB_OK without *answered, it was
 * not (the memo is forgotten, no lookup was filled) and they are to be sent
 * again. One statement in flight per memo. */
int store_session_find_users_send(struct db_conn *conn, struct store_session_memo *memo,
                                  const struct store_session_lookup *lookups, size_t count, int64_t idle_after,
                                  int64_t created_after, struct db_stmt **sent);
int store_session_find_users_receive(struct db_stmt *sent, struct store_session_memo *memo,
                                     struct store_session_lookup *lookups, size_t count, bool *answered);

#endif
