/* notify.h — telling a person something: a notification in the app and, when
 * an address is given, an email queued in the outbox (sent by the jobs
 * thread). Runs inside the caller's transaction; a failure is logged, never
 * fatal to the change that caused it. */
#ifndef ROUNDS_DOMAIN_NOTIFY_H
#define ROUNDS_DOMAIN_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/arena.h"
#include "store/db.h"

struct recipient {
    const char *user_id; /* NULL: email only (someone without an account) */
    const char *email;   /* NULL: in the app only */
};

/* Notices of a kind that comes in batches (staff verifying a pile of
 * documents, a preceptor confirming a week of hours) that come within
 * NOTIFY_GROUP_SECONDS of an unread one of that kind join it (it shows the
 * newest title and link, and how many it stands for), and only the first of
 * them is emailed. */
enum { NOTIFY_GROUP_SECONDS = 10 * 60 };
bool notify_groups(const char *kind);

/* link is a path ("/applications/a_…"); the email carries PUBLIC_URL + link. */
void notify(struct db_conn *conn, struct arena *arena, const struct recipient *to, const char *kind, const char *title,
            const char *link, int64_t now);
/* An email with a body of its own (body_text: plain text, lines end in \n);
 * kind ("letter_invitation") stays in the outbox for the audit once the body
 * is cleared. */
void notify_email(struct db_conn *conn, struct arena *arena, const char *to, const char *kind, const char *subject,
                  const char *body_text, int64_t now);
/* notify_email and notify send nothing to the address of an account that has
 * not confirmed it (email_confirmation.h), and keep nothing to send later:
 * such mail is dropped. This one does send: only for the links the owner of
 * the address asked for (confirmation, password reset). */
void notify_account_email(struct db_conn *conn, struct arena *arena, const char *to, const char *kind,
                          const char *subject, const char *body_text, int64_t now);
/* Whether notify_email would drop mail to this address (an account has it
 * and has not confirmed it) into *held: DB_OK, or the store's error. */
int notify_email_held(struct db_conn *conn, const char *to, bool *held);
/* The time zone a notice's reader has chosen ("Asia/Kolkata"), for the
 * instants its title or email states (lib/tz_words.h); NULL (UTC, said so)
 * when they have chosen none, have no account (user_id NULL) or it cannot be
 * read. */
const char *notify_time_zone(struct db_conn *conn, struct arena *arena, const char *user_id);
/* The hash an email address is kept as once its mail is delivered: BLAKE2b
 * of the lower-cased address, 64 hex digits into out. */
void notify_address_hash(const char *address, char out[65]);
/* User-written text (a name, a title) for an email to someone outside Rounds:
 * on one line, at most max bytes, in quotation marks, with everything a mail
 * program could turn into a link or an address defanged ("evil.example" →
 * "evil[.]example", "://" → "[:]//", "@" → "[at]"), so that an email only
 * ever carries the links Rounds wrote. Never NULL. */
const char *notify_quote(struct arena *arena, const char *text, size_t max);
/* Set once before serving: the public URL that links in emails start with. */
void notify_configure(const char *public_url);
/* That URL ("" until configured). */
const char *notify_public_url(void);

#endif
