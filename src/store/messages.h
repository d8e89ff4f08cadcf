/* messages.h — the store's side of messages per rotation: the messages of
 * an application's thread, each member's unread rows, and the digest
 * emails claimed once across instances. */
#ifndef ROUNDS_STORE_MESSAGES_H
#define ROUNDS_STORE_MESSAGES_H

#include <stdint.h>

#include "store/store.h"

struct store_message {
    const char *id, *application_id, *sender_id, *sender_name, *body;
    const char *document_id, *document_kind, *document_name; /* NULL: no attachment */
    int64_t created_at;
};

int store_message_insert(struct db_conn *conn, const struct store_message *m);
/* One unread row for a member (not the sender). */
int store_message_unread_add(struct db_conn *conn, const char *user_id, const struct store_message *m);
/* The newest `limit` messages of a thread, oldest first. */
int store_messages_of_thread(struct db_conn *conn, struct arena *arena, const char *application_id, int limit,
                             struct store_message **out, size_t *count);
/* The document attached to a message of the application's thread: DB_ROW, or
 * DB_DONE when there is no such message in that thread or it has no attachment. */
int store_message_attachment(struct db_conn *conn, struct arena *arena, const char *application_id,
                             const char *message_id, const char **document_id);
/* How many messages the sender posted since `since`. */
int store_messages_sent_since(struct db_conn *conn, const char *sender_id, int64_t since, int64_t *count);
/* The user's unread messages in one thread (application_id) or all (NULL). */
int store_message_unread_count(struct db_conn *conn, const char *user_id, const char *application_id,
                               int64_t *count);
/* The user's unread messages over every thread, and the thread of the newest
 * (NULL when none): the navigation's "Messages (3 unread)". */
int store_message_unread_summary(struct db_conn *conn, struct arena *arena, const char *user_id, int64_t *count,
                                 const char **newest_application_id);
/* The read marker: the user has read the thread. */
int store_message_mark_read(struct db_conn *conn, const char *user_id, const char *application_id);

/* ---- the digest ---- */

/* Users with unread messages not emailed yet (at most limit). */
int store_message_digest_users(struct db_conn *conn, struct arena *arena, int limit, const char ***ids,
                               size_t *count);
/* Claims the user's digest: DB_OK when none went out since `not_after`
 * (send it; sent_at becomes now), DB_DONE otherwise (too soon, or another
 * instance did). */
int store_message_digest_claim(struct db_conn *conn, const char *user_id, int64_t now, int64_t not_after);
/* Per thread, the user's unread messages not emailed yet. */
struct store_digest_thread {
    const char *application_id, *offering_title;
    int64_t unread;
};
int store_message_digest_threads(struct db_conn *conn, struct arena *arena, const char *user_id,
                                 struct store_digest_thread **out, size_t *count);
int store_message_unread_emailed(struct db_conn *conn, const char *user_id, int64_t now);

#endif
