/* session_memo.h — the sessions a session reader read (http/session_reader.c),
 * kept with the PostgreSQL snapshot they were read under, to be given again
 * while the snapshot is the same (store/session_memo.c; the rule that makes it
 * exact is in store/session_batch.c). */
#ifndef ROUNDS_STORE_SESSION_MEMO_H
#define ROUNDS_STORE_SESSION_MEMO_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/arena.h"
#include "store/store.h"

/* Sessions kept (one per slot, by token hash), and the longest snapshot text
 * kept with them: a longer one (thousands of transactions running) is not
 * worth keeping sessions under. */
enum { STORE_SESSION_MEMO_SLOTS = 256, STORE_SESSION_MEMO_SNAPSHOT_MAX = 512 };

struct store_session_memo_slot;

/* Read and written by session_memo.c and session_batch.c only. */
struct store_session_memo {
    char snapshot[STORE_SESSION_MEMO_SNAPSHOT_MAX]; /* what the slots were read under; "" none */
    bool confirmed; /* the last statement to give a snapshot gave this one again */
    /* The statement in flight (session_batch.c): the snapshot alone (a check
     * of the kept sessions), and the bounds it was sent for. */
    bool checking;
    int64_t idle_after, created_after;
    struct store_session_memo_slot *slots; /* STORE_SESSION_MEMO_SLOTS */
};

/* An empty memo (NULL when out of memory); freed with store_session_memo_free. */
struct store_session_memo *store_session_memo_new(void);
void store_session_memo_free(struct store_session_memo *memo);
/* Empties it: to be called when its connection is opened again (another
 * server, perhaps, whose snapshots say nothing of the first's). */
void store_session_memo_forget(struct store_session_memo *memo);

/* A session read and its user, copied: their strings in one block of its
 * own (grown, never shrunk, kept for the next copy). Zeroed: empty. Also
 * what a SQLite connection keeps (store/users.c). */
struct store_session_copy {
    struct store_session session;
    struct store_user user; /* its strings and the session's point into text */
    char *text;
    size_t text_length, capacity;
};

/* Copies session and user into c: true, or false when out of memory (c is
 * then not to be given). */
bool store_session_copy_keep(struct store_session_copy *c, const struct store_session *session,
                             const struct store_user *user);
/* The copy, its strings copied again into the arena: DB_ROW, or DB_ERROR
 * when out of memory. */
int store_session_copy_give(const struct store_session_copy *c, struct arena *arena, struct store_session *session,
                            struct store_user *user);
void store_session_copy_free(struct store_session_copy *c);

/* ---- for store/session_batch.c ---- */

/* Whether sessions are kept under this snapshot text. */
bool store_session_memo_under(const struct store_session_memo *memo, const char *snapshot);
/* Sessions are to be kept under snapshot (NULL: none may be): those kept
 * under another are forgotten; confirmed says whether it was the same. */
void store_session_memo_set_snapshot(struct store_session_memo *memo, const char *snapshot);
/* Whether the session of token_hash is kept. */
bool store_session_memo_has(const struct store_session_memo *memo, const char *token_hash);
/* Keeps a session read under the memo's snapshot (its strings copied). */
void store_session_memo_keep(struct store_session_memo *memo, const char *token_hash,
                             const struct store_session *session, const struct store_user *user);
/* The kept session of token_hash, as the query with these bounds would give
 * it: DB_ROW with it copied into the arena, DB_DONE when it is idle or too
 * old, DB_ERROR when it is not kept or out of memory. */
int store_session_memo_give(const struct store_session_memo *memo, const char *token_hash, struct arena *arena,
                            int64_t idle_after, int64_t created_after, struct store_session *session,
                            struct store_user *user);

#endif
