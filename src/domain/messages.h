/* messages.h — messages per rotation (issue 14): one thread per application
 * from `offered` on (DESIGN.md §2, "Message"), whose members are the
 * student, the host's coordinators, the offering's preceptor and the
 * student's coach; staff may read and write every thread. Anyone else gets
 * 404 (application_get_visible). Plain text up to MESSAGE_MAX_CHARS,
 * optionally one wallet document of the sender's; each other member gets
 * the message as unread until they read the thread; the jobs email each
 * member a digest of their unread messages at most every
 * MESSAGE_DIGEST_MINUTES (once across instances); a user sends at most
 * ROUNDS_MESSAGES_PER_MINUTE messages a minute (429). */
#ifndef ROUNDS_DOMAIN_MESSAGES_H
#define ROUNDS_DOMAIN_MESSAGES_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/errors.h"
#include "store/applications.h"
#include "store/documents.h"
#include "store/messages.h"

/* Set once before serving: messages a user may send per minute (20). */
void messages_configure(int64_t per_minute);

/* Whether the application's thread is open: from `offered` on (an offer
 * was made), including the exits that follow an offer. */
bool message_thread_open(const struct store_application *a);

struct message_thread {
    struct store_application application;
    struct store_message *messages; /* oldest first */
    size_t count;
    int64_t unread; /* the viewer's, before any read marker */
};
/* The thread the user may see: 404 (not a member), 409 thread_closed
 * (before an offer). */
int message_thread_load(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                        const char *application_id, struct message_thread *out, struct error *err);

/* Posts a message: 400 naming body (empty, control characters), 413 naming
 * body over MESSAGE_MAX_CHARS, 404 for a thread the user may not see or a
 * document_id not a current document of theirs (naming document_id), 409
 * thread_closed, 429 over the sending limit. */
int message_post(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                 const char *application_id, const char *body, const char *document_id, struct store_message *out,
                 struct error *err);

/* The file attached to a message, for any member of the thread (the sender's
 * wallet document, as it was when attached): 404 for anyone who may not see
 * the thread, a message of another thread, a message without an attachment,
 * or a document its owner has deleted since; 409 thread_closed. Every read
 * goes to the audit trail. */
int message_attachment_read(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                            const char *application_id, const char *message_id, struct store_document *out,
                            const char **data, size_t *len, struct error *err);

/* The read marker: the user has read the thread (404/409 as above). */
int message_mark_read(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                      const char *application_id, struct error *err);

/* The user's unread messages: in one thread, or all (application_id NULL). 0 on failure. */
int64_t message_unread_count(struct db_conn *conn, const struct store_user *user, const char *application_id);

/* The jobs: emails each member with unread messages not emailed yet a
 * digest, at most every MESSAGE_DIGEST_MINUTES per member, once across
 * instances; *sent is how many digests went out. */
int messages_send_digests(struct db_conn *conn, struct arena *arena, int *sent);

#endif
