/* letters.h — letters of recommendation (DESIGN.md §3–§4):
 *   requested → accepted | declined → uploaded → delivered (ERAS Letter ID).
 *
 * The student names the author: a preceptor (then the preceptor's account
 * may act) or anyone by name and email. The author gets an email with an
 * invitation link holding a random token (stored hashed) that works without
 * an account: it expires 30 days after it was sent, and every link of the
 * letter is used up once the author declines or the letter is uploaded (a
 * new version then needs the author's account or staff). Reminders mail a
 * fresh link. The FERPA waiver is the
 * student's choice, recorded with its time; a waived request never becomes
 * unwaived, and a waived letter's file never reaches the student by any
 * route (403 letter_confidential on the file; never in pages, notifications,
 * emails or exports). Letters are PDF only, at most 1,000,000 bytes (ERAS's
 * 1 MB), checked by content; a new version replaces the old with history kept. */
#ifndef ROUNDS_DOMAIN_LETTERS_H
#define ROUNDS_DOMAIN_LETTERS_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/vocabulary.h"
#include "lib/arena.h"
#include "lib/errors.h"
#include "store/letters.h"

/* A student may request LETTER_REQUESTS_PER_DAY (lib/limits.h) letters in
 * any 24 hours, and has one open request (requested or accepted) per author
 * address. */
enum { LETTER_MAX_BYTES = 1000000, LETTER_TOKEN_DAYS = 30 };

/* Set once before serving: the public URL for invitation links. */
void letters_configure(const char *public_url);

/* The letter's state (its text as stored, parsed); labels are letter_state_label(). */
enum letter_state letter_state_of(const struct store_letter *letter);
/* An ERAS Letter ID as Rounds accepts it: 1–32 letters, digits or '-'. */
bool letter_eras_id_valid(const char *s);
/* Whether the bytes are a PDF by content (they start with "%PDF-"). */
bool letter_is_pdf(const void *data, size_t len);

struct letter_request {
    const char *author_name, *author_email; /* required unless preceptor_id names one (then defaults) */
    const char *preceptor_id;               /* optional: a preceptor (of one of the student's rotations, or any listed) */
    const char *application_id;             /* optional: the student's application it relates to */
    bool waived;
    const char *eras_letter_id;             /* optional */
    int64_t retry_after;                    /* out: seconds until another request may be made, on 429 */
};

/* Who is acting on a letter as its author: a signed-in user, or the holder of
 * an invitation token. Exactly one of user / token is set. */
struct letter_actor {
    const struct store_user *user;
    const char *token;
};

/* The student requests a letter: 403 for a user without the student role,
 * 400 naming the field (author_email, author_name, eras_letter_id; "" counts
 * as not given), 404 application_id for an application not found or not
 * theirs, 422 preceptor_id for a preceptor who is not the preceptor of one of
 * their rotations (held, booked, cleared, in progress or completed), 429
 * rate_limited (request->retry_after set) past LETTER_REQUESTS_PER_DAY, 409
 * letter_pending naming author_email while a request to that address is
 * open. Queues the invitation email (and tells the author's account, if any). */
int letter_request(struct db_conn *conn, struct arena *arena, const struct store_user *student,
                   struct letter_request *request, struct store_letter *out, struct error *err);
/* The student adds the ERAS Letter ID (eras_letter_id not NULL nor "") or
 * waives (waive_sent, waive true) later; un-waiving does not exist (400 waived
 * when false is sent for a waived letter). 404 when not their letter. */
int letter_update(struct db_conn *conn, struct arena *arena, const char *id, const struct store_user *student,
                  const char *eras_letter_id, bool waive_sent, bool waive, struct store_letter *out,
                  struct error *err);
/* Resolves an invitation token: 404 unknown, 410 invitation_expired / invitation_used. */
int letter_by_token(struct db_conn *conn, struct arena *arena, const char *token, struct store_letter *out,
                    struct error *err);
/* A letter the user may see: its student, its author (account), staff. 404 otherwise. */
int letter_get_visible(struct db_conn *conn, struct arena *arena, const char *id, const struct store_user *user,
                       struct store_letter *out, struct error *err);
/* Whether the user is the letter's author (their account, or the preceptor named). */
bool letter_user_is_author(const struct store_letter *letter, const struct store_user *user);
/* The letter for an actor: a user as letter_get_visible; a token as
 * letter_by_token, and 404 when it opens another letter than id. */
int letter_get_for_actor(struct db_conn *conn, struct arena *arena, const char *id, const struct letter_actor *actor,
                         struct store_letter *out, struct error *err);

/* The author's actions: 404 when the actor is not this letter's author (a
 * token of another letter included), 410 for a spent or expired token, 409
 * invalid_transition when the state does not allow it. */
int letter_accept(struct db_conn *conn, struct arena *arena, const char *id, const struct letter_actor *actor,
                  struct store_letter *out, struct error *err);
int letter_decline(struct db_conn *conn, struct arena *arena, const char *id, const struct letter_actor *actor,
                   const char *reason, struct store_letter *out, struct error *err);
/* Uploads a version: 400 file when empty, 413 over LETTER_MAX_BYTES, 415 not
 * a PDF by content, 409 when declined. From requested it accepts implicitly.
 * A new version of an uploaded or delivered letter needs the author's account
 * or staff (staff may upload for the author); the state becomes uploaded
 * again. Every invitation link of the letter is used up. */
int letter_upload(struct db_conn *conn, struct arena *arena, const char *id, const struct letter_actor *actor,
                  const char *data, size_t len, struct store_letter *out, struct error *err);
/* uploaded → delivered with the ERAS Letter ID (the author, the student, or staff). */
int letter_delivered(struct db_conn *conn, struct arena *arena, const char *id, const struct store_user *user,
                     const char *eras_letter_id, struct store_letter *out, struct error *err);
/* Staff confirm that the author of a request by name and email is the
 * verified preceptor with this NPI, which makes the letter count as from a
 * U.S. physician (audited). 404 for anybody but staff or an unknown letter,
 * 400 npi for a malformed NPI, 422 npi when no verified preceptor has it,
 * 409 conflict for a request that names a preceptor already. */
int letter_confirm_author(struct db_conn *conn, struct arena *arena, const char *id, const struct store_user *staff,
                          const char *npi, struct store_letter *out, struct error *err);
/* The latest version's bytes: the author (account, or a token not yet used
 * up) and staff; the student only when not waived (403 letter_confidential
 * otherwise); 404 for anybody else and while nothing is uploaded. Audited. */
int letter_read_file(struct db_conn *conn, struct arena *arena, const char *id, const struct letter_actor *actor,
                     const char **data, size_t *len, struct error *err);

/* Reminders to authors 7 and 14 days after the request (the jobs thread):
 * each mails a fresh link; 0, or -1 when the database failed. */
int letters_send_reminders(struct db_conn *conn, struct arena *arena, int *sent);

#endif
