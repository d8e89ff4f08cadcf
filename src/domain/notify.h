/* notify.h — telling a person something: a notification in the app and, when
 * an address is given, an email queued in the outbox (sent by the jobs
 * thread). Runs inside the caller's transaction; a failure is logged, never
 * fatal to the change that caused it. */
#ifndef ROUNDS_DOMAIN_NOTIFY_H
#define ROUNDS_DOMAIN_NOTIFY_H

#include <stdint.h>

#include "lib/arena.h"
#include "store/db.h"

struct recipient {
    const char *user_id; /* NULL: email only (someone without an account) */
    const char *email;   /* NULL: in the app only */
};

/* link is a path ("/applications/a_…"); the email carries PUBLIC_URL + link. */
void notify(struct db_conn *conn, struct arena *arena, const struct recipient *to, const char *kind, const char *title,
            const char *link, int64_t now);
/* An email with a body of its own (body_text: plain text, lines end in \n). */
void notify_email(struct db_conn *conn, struct arena *arena, const char *to, const char *subject,
                  const char *body_text, int64_t now);
/* Set once before serving: the public URL that links in emails start with. */
void notify_configure(const char *public_url);
/* That URL ("" until configured), for emails written elsewhere. */
const char *notify_public_url(void);

#endif
