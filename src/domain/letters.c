/* letters.c — letters of recommendation: requests, invitation links, the
 * author's answers and uploads, delivery, the FERPA waiver and reminders;
 * see letters.h. Nothing here ever puts a letter's content, its file or a
 * link to the file in a notification, an email or a log line, and tokens
 * are only ever mailed, never logged. */
#include "domain/letters.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/catalog.h"
#include "domain/notify.h"
#include "domain/validate.h"
#include "lib/buf.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/limits.h"
#include "lib/log.h"
#include "lib/tz_words.h"
#include "lib/utf8.h"
#include "store/applications.h"
#include "store/blobs.h"
#include "store/documents.h"

enum { DAY = 86400, REMINDER_BATCH = 100 };

static const char *public_url = "";

void letters_configure(const char *url)
{
    public_url = url != NULL ? url : "";
}

enum letter_state letter_state_of(const struct store_letter *letter)
{
    return letter_state_parse(letter->state);
}

bool letter_eras_id_valid(const char *s)
{
    if (s == NULL)
        return false;
    size_t len = strlen(s);
    if (len < 1 || len > 32)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '-')
            return false;
    return true;
}

bool letter_is_pdf(const void *data, size_t len)
{
    return data != NULL && len >= 5 && memcmp(data, "%PDF-", 5) == 0;
}

/* ---- small helpers ---- */

static bool given(const char *s)
{
    return s != NULL && s[0] != '\0';
}

static bool blank(const char *s)
{
    for (; s != NULL && *s != '\0'; s++)
        if (*s != ' ')
            return false;
    return true;
}

static bool is_staff(const struct store_user *user)
{
    return user != NULL && account_has_role(user, ROLE_STAFF);
}

/* s on one line (control characters become spaces), at most max bytes cut at
 * a character boundary: fit for a notification title and a mail subject. */
static const char *one_line(struct arena *arena, const char *s, size_t max)
{
    if (s == NULL)
        return "";
    size_t len = strlen(s);
    if (len > max) {
        len = max;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    char *out = arena_strndup(arena, s, len);
    if (out == NULL)
        return "";
    for (char *p = out; *p != '\0'; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = ' ';
    return out;
}

/* Runs fn in a write transaction: 0, or -1 with err set (the domain's own
 * error, or 503 when the database failed). */
static int run_tx(struct db_conn *conn, int (*fn)(struct db_conn *conn, void *ctx), void *ctx, struct error *err)
{
    err->code = ERR_NONE;
    int rc = db_run_tx(conn, true, fn, ctx);
    if (err->code != ERR_NONE)
        return -1;
    if (rc != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    return 0;
}

static const char *letter_link(struct arena *arena, const char *id)
{
    const char *link = arena_printf(arena, "/letters/%s", id);
    return link != NULL ? link : "/letters";
}

/* "Internal Medicine Clerkship at Lakeside Hospital" for the letter's
 * application, or NULL. */
static const char *rotation_of(struct db_conn *conn, struct arena *arena, const char *application_id)
{
    if (!given(application_id))
        return NULL;
    struct store_application a;
    if (store_application_get(conn, arena, application_id, &a) != DB_ROW)
        return NULL;
    return arena_printf(arena, "%s at %s", a.offering_title, a.host_name);
}

/* Tells the student about their letter in the app and by email: the state,
 * never the content. */
static void tell_student(struct db_conn *conn, struct arena *arena, const struct store_letter *l, const char *kind,
                         const char *title, int64_t now)
{
    struct recipient to = {l->student_id, l->student_email};
    notify(conn, arena, &to, kind, one_line(arena, title, 300), letter_link(arena, l->id), now);
}

/* The invitation (or reminder) mail to the author with a fresh link. The
 * author may not know Rounds nor the student: everything the student (or a
 * host) wrote is quoted as theirs and defanged (notify_quote), the subject
 * carries none of it, and the only links are Rounds' own. */
static void mail_invitation(struct db_conn *conn, struct arena *arena, const struct store_letter *l,
                            const char *student_name, const char *rotation, const char *token, int64_t expires_at,
                            bool reminder, int64_t now)
{
    /* In the author's time zone when they answer from an account, else in UTC (saying so). */
    const char *zone = notify_time_zone(conn, arena, l->author_user_id);
    char expires[TZ_INSTANT_WORDS_SIZE], asked[CLOCK_DATE_WORDS_SIZE];
    tz_instant_words(zone, expires_at, expires);
    tz_date_words(zone, l->requested_at, asked);
    struct buf body;
    buf_init(&body, arena, BUF_CAP_OBJECT);
    buf_append_str(&body, "Hello,\n\n");
    if (reminder)
        buf_appendf(&body, "A reminder: on %s a student on Rounds asked you for a letter of recommendation.", asked);
    else
        buf_append_str(&body, "A student on Rounds asks you for a letter of recommendation.");
    buf_append_str(&body, " The names below were written by the student (and the rotation by its host); Rounds "
                          "quotes them as given:\n\n");
    buf_appendf(&body, "  Student: %s\n", notify_quote(arena, student_name, BUF_CAP_LINE));
    buf_appendf(&body, "  Letter addressed to: %s\n", notify_quote(arena, l->author_name, BUF_CAP_LINE));
    if (rotation != NULL)
        buf_appendf(&body, "  Rotation: %s\n", notify_quote(arena, rotation, BUF_CAP_LINE));
    buf_append_str(&body, "\n");
    if (l->waived)
        buf_append_str(&body, "They have waived their right to see the letter (FERPA): it stays confidential, and "
                              "Rounds never shows it to them.\n\n");
    else
        buf_append_str(&body, "They have NOT waived their right to see the letter: they may read what you "
                              "upload.\n\n");
    if (given(l->eras_letter_id))
        buf_appendf(&body, "ERAS Letter ID: %s\n\n", l->eras_letter_id); /* letters, digits and '-' only */
    buf_appendf(&body,
                "Accept or decline, and upload your signed PDF on letterhead (at most 1 MB) — no account "
                "needed:\n%s/invitations/letters/%s\n\nThis link works until %s",
                public_url, token, expires);
    if (reminder)
        buf_append_str(&body, "; the links we sent before keep working until they expire");
    buf_append_str(&body, ".\n");
    if (given(l->author_user_id))
        buf_appendf(&body, "You can also answer from your Rounds account: %s%s\n", public_url,
                    letter_link(arena, l->id));
    buf_append_str(&body, "\nIf you do not know this student, ignore this email: nothing happens unless you use "
                          "the link.\n\n-- \nRounds\n");
    const char *subject = reminder ? "Reminder: a letter of recommendation is requested of you on Rounds"
                                   : "A letter of recommendation is requested of you on Rounds";
    if (!buf_ok(&body)) {
        log_warn("msg=\"letter invitation not queued\" letter_id=%s", l->id);
        return;
    }
    notify_email(conn, arena, l->author_email, reminder ? "letter_reminder" : "letter_invitation", subject, body.data,
                 now);
}

/* Adds a fresh invitation link to the letter: the token (never stored in
 * clear) into token[44], its expiry into *expires_at. */
static int add_token(struct db_conn *conn, const char *letter_id, int64_t now, char token[44], int64_t *expires_at)
{
    char hash[65];
    crypto_random_token(token);
    crypto_hash_token(token, hash);
    *expires_at = now + (int64_t)LETTER_TOKEN_DAYS * DAY;
    return store_letter_token_add(conn, letter_id, hash, *expires_at, now);
}

/* ---- who may see and act ---- */

bool letter_user_is_author(const struct store_letter *letter, const struct store_user *user)
{
    if (letter == NULL || user == NULL || user->id == NULL)
        return false;
    return (letter->author_user_id != NULL && strcmp(letter->author_user_id, user->id) == 0) ||
           (letter->preceptor_user_id != NULL && strcmp(letter->preceptor_user_id, user->id) == 0);
}

static bool is_student_of(const struct store_letter *letter, const struct store_user *user)
{
    return user != NULL && user->id != NULL && strcmp(letter->student_id, user->id) == 0;
}

int letter_by_token(struct db_conn *conn, struct arena *arena, const char *token, struct store_letter *out,
                    struct error *err)
{
    if (token == NULL || strlen(token) != 43)
        return error_set(err, ERR_NOT_FOUND, NULL, "this invitation link is not valid");
    char hash[65];
    crypto_hash_token(token, hash);
    int64_t expires_at = 0;
    int rc = store_letter_by_token(conn, arena, hash, out, &expires_at);
    if (rc == DB_DONE)
        return error_set(err, ERR_NOT_FOUND, NULL, "this invitation link is not valid");
    if (rc != DB_ROW)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    if (clock_now() >= expires_at)
        return error_set(err, ERR_INVITATION_EXPIRED, NULL,
                         "this invitation link has expired; ask the student to send a new request");
    if (out->token_used_at > 0)
        return error_set(err, ERR_INVITATION_USED, NULL,
                         "this invitation link was used up when the letter was declined or uploaded");
    return 0;
}

int letter_get_visible(struct db_conn *conn, struct arena *arena, const char *id, const struct store_user *user,
                       struct store_letter *out, struct error *err)
{
    if (!given(id) || user == NULL)
        return error_set(err, ERR_NOT_FOUND, NULL, "no such letter");
    int rc = store_letter_get(conn, arena, id, out);
    if (rc != DB_ROW && rc != DB_DONE)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    if (rc == DB_DONE || !(is_student_of(out, user) || letter_user_is_author(out, user) || is_staff(user)))
        return error_set(err, ERR_NOT_FOUND, NULL, "no such letter");
    return 0;
}

int letter_get_for_actor(struct db_conn *conn, struct arena *arena, const char *id, const struct letter_actor *actor,
                         struct store_letter *out, struct error *err)
{
    if (actor == NULL || (actor->user == NULL && actor->token == NULL))
        return error_set(err, ERR_NOT_FOUND, NULL, "no such letter");
    if (actor->user != NULL)
        return letter_get_visible(conn, arena, id, actor->user, out, err);
    if (letter_by_token(conn, arena, actor->token, out, err) != 0)
        return -1;
    if (!given(id) || strcmp(out->id, id) != 0)
        return error_set(err, ERR_NOT_FOUND, NULL, "no such letter");
    return 0;
}

/* The letter for its author: a user who is its author (or staff when
 * staff_may), or a valid token of this very letter. 404 otherwise, 410 for a
 * spent or expired token. */
static int letter_for_author(struct db_conn *conn, struct arena *arena, const char *id,
                             const struct letter_actor *actor, bool staff_may, struct store_letter *out,
                             struct error *err)
{
    if (actor == NULL || (actor->user == NULL && actor->token == NULL) || !given(id))
        return error_set(err, ERR_NOT_FOUND, NULL, "no such letter");
    if (actor->token != NULL && actor->user == NULL) {
        if (letter_by_token(conn, arena, actor->token, out, err) != 0)
            return -1;
        if (strcmp(out->id, id) != 0)
            return error_set(err, ERR_NOT_FOUND, NULL, "no such letter");
        return 0;
    }
    int rc = store_letter_get(conn, arena, id, out);
    if (rc != DB_ROW && rc != DB_DONE)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    if (rc == DB_DONE || !(letter_user_is_author(out, actor->user) || (staff_may && is_staff(actor->user)))) {
        if (rc == DB_ROW)
            store_audit_add(conn, actor->user->id, AUDIT_FORBIDDEN, AUDIT_ON_LETTER, id, "author action", clock_now());
        return error_set(err, ERR_NOT_FOUND, NULL, "no such letter");
    }
    return 0;
}

static const char *actor_id(const struct letter_actor *actor)
{
    return actor->user != NULL ? actor->user->id : NULL;
}

static const char *actor_how(const struct letter_actor *actor)
{
    return actor->user != NULL ? "account" : "invitation link";
}

/* ---- requesting ---- */

struct request_ctx {
    struct arena *arena;
    const struct store_user *student;
    struct letter_request *request;
    const char *author_name, *author_email, *eras_letter_id; /* checked */
    struct store_letter *out;
    struct error *err;
};

/* The volume limits of a student's requests to email (the student's row is
 * locked, so that concurrent requests are counted one after the other):
 * DB_OK, or DB_CONSTRAINT with the error set. */
static int check_request_limits(struct db_conn *conn, struct request_ctx *c, const char *email, int64_t now)
{
    int rc = store_user_lock(conn, c->student->id);
    if (rc != DB_OK)
        return rc == DB_DONE ? DB_ERROR : rc;
    int64_t count = 0, first_at = 0;
    rc = store_letters_requested_since(conn, c->student->id, now - DAY, &count, &first_at);
    if (rc != DB_OK)
        return rc;
    if (count >= LETTER_REQUESTS_PER_DAY) {
        c->request->retry_after = first_at + DAY - now > 0 ? first_at + DAY - now : 1;
        error_set(c->err, ERR_RATE_LIMITED, NULL,
                  "you have asked for " LIMIT_TEXT(LETTER_REQUESTS_PER_DAY) " letters in the last 24 hours; "
                  "try again later");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    bool open = false;
    rc = store_letter_open_to(conn, c->student->id, email, &open);
    if (rc != DB_OK)
        return rc;
    if (open) {
        error_set(c->err, ERR_LETTER_PENDING, "author_email",
                  "you have asked this author already; wait for their answer before asking again");
        return DB_CONSTRAINT;
    }
    return DB_OK;
}

/* The author of a request that names a preceptor: the preceptor, reached
 * only at their own address — their account's, or the one on their record
 * once staff verified it — so that nobody else can answer in their name. A
 * name or address the student gave must be the preceptor's. DB_OK, or
 * DB_CONSTRAINT with the error set. */
static int preceptor_author(struct db_conn *conn, struct request_ctx *c, const char **name, const char **email,
                            const char **author_user_id)
{
    struct store_preceptor preceptor;
    bool theirs = false;
    int rc = store_preceptor_get(conn, c->arena, c->request->preceptor_id, &preceptor);
    if (rc == DB_ROW)
        rc = store_student_has_preceptor(conn, c->student->id, preceptor.id, &theirs) == DB_OK ? DB_ROW : DB_ERROR;
    if (rc == DB_DONE || (rc == DB_ROW && !theirs)) {
        error_set(c->err, ERR_UNPROCESSABLE, "preceptor_id", "not a preceptor of one of your rotations");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    if (rc != DB_ROW)
        return rc;
    const char *address = NULL; /* stays NULL when the address kept is not one */
    struct error not_an_address = {0};
    if (preceptor.user_id != NULL) {
        struct store_user account;
        rc = store_user_by_id(conn, c->arena, preceptor.user_id, &account);
        if (rc != DB_ROW)
            return rc == DB_DONE ? DB_ERROR : rc;
        validate_email_lowered(c->arena, account.email, "email", &address, &not_an_address);
    } else if (preceptor.verified) {
        validate_email_lowered(c->arena, preceptor.email, "email", &address, &not_an_address);
    }
    if (address == NULL) {
        error_set(c->err, ERR_UNPROCESSABLE, "preceptor_id",
                  "this preceptor has no account and is not verified yet: ask them by name and email instead");
        return DB_CONSTRAINT;
    }
    if (*email != NULL && strcmp(*email, address) != 0) {
        error_set(c->err, ERR_UNPROCESSABLE, "author_email",
                  "a request to one of your preceptors goes only to their own address: leave the email out");
        return DB_CONSTRAINT;
    }
    if (*name != NULL && strcmp(*name, preceptor.name) != 0) {
        error_set(c->err, ERR_UNPROCESSABLE, "author_name",
                  "a request to one of your preceptors carries their own name: leave the name out");
        return DB_CONSTRAINT;
    }
    *name = preceptor.name;
    *email = address;
    *author_user_id = preceptor.user_id;
    return DB_OK;
}

static int request_tx(struct db_conn *conn, void *p)
{
    struct request_ctx *c = p;
    const struct letter_request *r = c->request;
    const char *rotation = NULL;
    int rc;
    if (given(r->application_id)) {
        struct store_application a;
        rc = store_application_get(conn, c->arena, r->application_id, &a);
        if (rc == DB_DONE || (rc == DB_ROW && strcmp(a.student_id, c->student->id) != 0)) {
            error_set(c->err, ERR_NOT_FOUND, "application_id", "no such application of yours");
            return DB_CONSTRAINT; /* roll back: the error says why */
        }
        if (rc != DB_ROW)
            return rc;
        rotation = arena_printf(c->arena, "%s at %s", a.offering_title, a.host_name);
    }
    const char *name = c->author_name, *email = c->author_email, *author_user_id = NULL;
    if (given(r->preceptor_id)) {
        rc = preceptor_author(conn, c, &name, &email, &author_user_id);
        if (rc != DB_OK)
            return rc;
    } else {
        struct store_user author;
        rc = store_user_by_email(conn, c->arena, email, &author);
        if (rc == DB_ROW && account_has_role(&author, ROLE_PRECEPTOR))
            author_user_id = author.id;
        else if (rc != DB_ROW && rc != DB_DONE)
            return rc;
    }
    if ((c->student->email != NULL && strcmp(email, c->student->email) == 0) ||
        (author_user_id != NULL && strcmp(author_user_id, c->student->id) == 0)) {
        error_set(c->err, ERR_VALIDATION_FAILED, "author_email", "ask someone else: you cannot write your own letter");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }

    int64_t now = clock_now();
    rc = check_request_limits(conn, c, email, now);
    if (rc != DB_OK)
        return rc;
    char id[48];
    crypto_sortable_id("l_", clock_now_ms(), id, sizeof(id));
    struct store_letter l = {
        .id = arena_strdup(c->arena, id),
        .student_id = c->student->id,
        .author_name = name,
        .author_email = email,
        .author_user_id = author_user_id,
        .preceptor_id = given(r->preceptor_id) ? r->preceptor_id : NULL,
        .application_id = given(r->application_id) ? r->application_id : NULL,
        .waived = r->waived,
        .waived_at = r->waived ? now : 0,
        .eras_letter_id = c->eras_letter_id != NULL ? c->eras_letter_id : "",
        .state = letter_state_name(LETTER_REQUESTED),
        .requested_at = now,
    };
    if (l.id == NULL)
        return DB_ERROR;
    rc = store_letter_insert(conn, &l);
    char token[44];
    int64_t expires_at = 0;
    if (rc == DB_OK)
        rc = add_token(conn, l.id, now, token, &expires_at);
    if (rc == DB_OK)
        rc = store_audit_add(conn, c->student->id, AUDIT_LETTER_REQUEST, AUDIT_ON_LETTER, l.id,
                             r->waived ? "waived" : "not waived", now);
    if (rc == DB_OK)
        rc = store_letter_get(conn, c->arena, l.id, c->out) == DB_ROW ? DB_OK : DB_ERROR;
    if (rc != DB_OK)
        return rc;
    mail_invitation(conn, c->arena, c->out, c->student->name, rotation, token, expires_at, false, now);
    if (author_user_id != NULL) {
        struct recipient to = {author_user_id, NULL};
        const char *title = arena_printf(c->arena, "%s asks you for a letter of recommendation",
                                         one_line(c->arena, c->student->name, 200));
        notify(conn, c->arena, &to, "letter_requested", title != NULL ? title : "A letter of recommendation is asked of you",
               letter_link(c->arena, l.id), now);
    }
    explicit_bzero(token, sizeof(token));
    return DB_OK;
}

int letter_request(struct db_conn *conn, struct arena *arena, const struct store_user *student,
                   struct letter_request *request, struct store_letter *out, struct error *err)
{
    struct error local;
    if (err == NULL)
        err = &local;
    err->code = ERR_NONE;
    if (student == NULL || request == NULL)
        return error_set(err, ERR_NOT_FOUND, NULL, NULL);
    if (!account_has_role(student, ROLE_STUDENT))
        return error_set(err, ERR_FORBIDDEN, NULL, "only students request letters of recommendation");
    struct request_ctx c = {arena, student, request, NULL, NULL, NULL, out, err};
    if (given(request->author_name)) {
        if (validate_text(request->author_name, "author_name", 1, PERSON_NAME_MAX_CHARS, false, err) != 0)
            return -1;
        if (blank(request->author_name))
            return error_set(err, ERR_VALIDATION_FAILED, "author_name", "is required");
        c.author_name = request->author_name;
    } else if (!given(request->preceptor_id)) {
        return error_set(err, ERR_VALIDATION_FAILED, "author_name", "is required");
    }
    if (given(request->author_email)) {
        if (validate_email_lowered(arena, request->author_email, "author_email", &c.author_email, err) != 0)
            return -1;
    } else if (!given(request->preceptor_id)) {
        return error_set(err, ERR_VALIDATION_FAILED, "author_email", "is required");
    }
    if (given(request->eras_letter_id)) {
        if (!letter_eras_id_valid(request->eras_letter_id))
            return error_set(err, ERR_VALIDATION_FAILED, "eras_letter_id",
                             "an ERAS Letter ID has 1 to 32 letters, digits or '-'");
        c.eras_letter_id = request->eras_letter_id;
    }
    return run_tx(conn, request_tx, &c, err);
}

/* ---- the student's changes ---- */

struct update_ctx {
    struct arena *arena;
    const char *id;
    const struct store_user *student;
    const char *eras_letter_id; /* checked, or NULL */
    bool waive_sent, waive;
    struct store_letter *out;
    struct error *err;
};

static int update_tx(struct db_conn *conn, void *p)
{
    struct update_ctx *c = p;
    struct store_letter l;
    int rc = store_letter_get(conn, c->arena, c->id, &l);
    if (rc == DB_DONE || (rc == DB_ROW && !is_student_of(&l, c->student))) {
        error_set(c->err, ERR_NOT_FOUND, NULL, "no such letter");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    if (rc != DB_ROW)
        return rc;
    if (c->waive_sent && !c->waive && l.waived) {
        error_set(c->err, ERR_VALIDATION_FAILED, "waived", "a waiver cannot be withdrawn");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    int64_t now = clock_now();
    rc = DB_OK;
    bool waived = false, eras = false;
    if (c->waive_sent && c->waive && !l.waived) {
        rc = store_letter_waive(conn, l.id, now);
        waived = rc == DB_OK;
        if (rc == DB_DONE)
            rc = DB_OK; /* waived meanwhile: the same outcome */
    }
    if (rc == DB_OK && c->eras_letter_id != NULL && strcmp(c->eras_letter_id, l.eras_letter_id) != 0) {
        rc = store_letter_set_eras_id(conn, l.id, c->eras_letter_id, now);
        eras = true;
    }
    if (rc == DB_OK && (waived || eras))
        rc = store_audit_add(conn, c->student->id, AUDIT_LETTER_UPDATE, AUDIT_ON_LETTER, l.id,
                             waived && eras ? "waived, eras_letter_id"
                             : waived       ? "waived"
                                            : "eras_letter_id",
                             now);
    if (rc == DB_OK)
        rc = store_letter_get(conn, c->arena, l.id, c->out) == DB_ROW ? DB_OK : DB_ERROR;
    return rc;
}

int letter_update(struct db_conn *conn, struct arena *arena, const char *id, const struct store_user *student,
                  const char *eras_letter_id, bool waive_sent, bool waive, struct store_letter *out,
                  struct error *err)
{
    struct error local;
    if (err == NULL)
        err = &local;
    if (!given(id) || student == NULL)
        return error_set(err, ERR_NOT_FOUND, NULL, "no such letter");
    if (given(eras_letter_id) && !letter_eras_id_valid(eras_letter_id))
        return error_set(err, ERR_VALIDATION_FAILED, "eras_letter_id",
                         "an ERAS Letter ID has 1 to 32 letters, digits or '-'");
    struct update_ctx c = {arena, id, student, given(eras_letter_id) ? eras_letter_id : NULL, waive_sent, waive,
                           out, err};
    return run_tx(conn, update_tx, &c, err);
}

/* ---- the author's answers ---- */

struct answer_ctx {
    struct arena *arena;
    const struct store_letter *letter;
    const struct letter_actor *actor;
    enum letter_state to;
    const char *reason;
    struct store_letter *out;
    struct error *err;
};

static int answer_tx(struct db_conn *conn, void *p)
{
    struct answer_ctx *c = p;
    const struct store_letter *l = c->letter;
    int64_t now = clock_now();
    int rc = store_letter_move(conn, l->id, l->state, letter_state_name(c->to), c->reason, now);
    if (rc == DB_DONE) {
        error_set(c->err, ERR_INVALID_TRANSITION, NULL, "the letter request changed meanwhile; reload it");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    bool declined = c->to == LETTER_DECLINED;
    if (rc == DB_OK && declined)
        rc = store_letter_use_token(conn, l->id, now);
    if (rc == DB_OK)
        rc = store_audit_add(conn, actor_id(c->actor), declined ? AUDIT_LETTER_DECLINE : AUDIT_LETTER_ACCEPT,
                             AUDIT_ON_LETTER, l->id, actor_how(c->actor), now);
    if (rc == DB_OK)
        rc = store_letter_get(conn, c->arena, l->id, c->out) == DB_ROW ? DB_OK : DB_ERROR;
    if (rc != DB_OK)
        return rc;
    const char *title;
    if (!declined)
        title = arena_printf(c->arena, "%s accepted your letter request", l->author_name);
    else if (given(c->reason))
        title = arena_printf(c->arena, "%s declined your letter request: %s", l->author_name, c->reason);
    else
        title = arena_printf(c->arena, "%s declined your letter request", l->author_name);
    tell_student(conn, c->arena, c->out, declined ? "letter_declined" : "letter_accepted",
                 title != NULL ? title : "Your letter request was answered", now);
    return DB_OK;
}

static int answer(struct db_conn *conn, struct arena *arena, const char *id, const struct letter_actor *actor,
                  enum letter_state to, const char *reason, struct store_letter *out, struct error *err)
{
    struct store_letter letter;
    if (letter_for_author(conn, arena, id, actor, false, &letter, err) != 0)
        return -1;
    bool declining = to == LETTER_DECLINED;
    enum letter_state now = letter_state_of(&letter);
    bool allowed = now == LETTER_REQUESTED || (declining && now == LETTER_ACCEPTED);
    if (!allowed) {
        const char *detail = arena_printf(arena, "you cannot %s a letter request that is %s",
                                          declining ? "decline" : "accept", letter.state);
        return error_set(err, ERR_INVALID_TRANSITION, NULL, detail);
    }
    struct answer_ctx c = {arena, &letter, actor, to, reason, out, err};
    return run_tx(conn, answer_tx, &c, err);
}

int letter_accept(struct db_conn *conn, struct arena *arena, const char *id, const struct letter_actor *actor,
                  struct store_letter *out, struct error *err)
{
    struct error local;
    return answer(conn, arena, id, actor, LETTER_ACCEPTED, NULL, out, err != NULL ? err : &local);
}

int letter_decline(struct db_conn *conn, struct arena *arena, const char *id, const struct letter_actor *actor,
                   const char *reason, struct store_letter *out, struct error *err)
{
    struct error local;
    if (err == NULL)
        err = &local;
    struct store_letter letter;
    /* Who comes first: a stranger learns nothing from the reason's checks. */
    if (letter_for_author(conn, arena, id, actor, false, &letter, err) != 0)
        return -1;
    if (validate_text(reason, "reason", 0, REASON_MAX_CHARS, true, err) != 0)
        return -1;
    return answer(conn, arena, id, actor, LETTER_DECLINED, given(reason) ? reason : "", out, err);
}

/* ---- uploading ---- */

struct upload_ctx {
    struct arena *arena;
    const char *id;
    const struct letter_actor *actor;
    const char *blob;
    int64_t size;
    struct store_letter *out;
    struct error *err;
};

static bool upload_allowed_from(enum letter_state state)
{
    return state == LETTER_REQUESTED || state == LETTER_ACCEPTED || state == LETTER_UPLOADED ||
           state == LETTER_DELIVERED;
}

static int upload_tx(struct db_conn *conn, void *p)
{
    struct upload_ctx *c = p;
    struct store_letter l;
    int rc = store_letter_get(conn, c->arena, c->id, &l);
    if (rc != DB_ROW)
        return rc == DB_DONE ? DB_ERROR : rc;
    enum letter_state state = letter_state_of(&l);
    if (!upload_allowed_from(state)) {
        error_set(c->err, ERR_INVALID_TRANSITION, NULL, "this letter request was declined");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    bool new_version = state == LETTER_UPLOADED || state == LETTER_DELIVERED;
    if (c->actor->user == NULL && (new_version || l.token_used_at > 0)) {
        error_set(c->err, ERR_INVITATION_USED, NULL,
                  "this invitation link was used up; sign in to upload a new version");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    int64_t now = clock_now();
    char file_id[48];
    crypto_sortable_id("lf_", clock_now_ms(), file_id, sizeof(file_id));
    struct store_letter_file f = {
        .id = file_id,
        .letter_id = l.id,
        .blob = c->blob,
        .uploaded_by = actor_id(c->actor),
        .version = l.version_count + 1,
        .size = c->size,
        .uploaded_at = now,
    };
    rc = store_letter_file_insert(conn, &f);
    if (rc == DB_CONSTRAINT) {
        error_set(c->err, ERR_CONFLICT, NULL, "another version was uploaded at the same moment; reload and try again");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    if (rc == DB_OK) {
        rc = store_letter_move(conn, l.id, l.state, letter_state_name(LETTER_UPLOADED), NULL, now);
        if (rc == DB_DONE) {
            error_set(c->err, ERR_INVALID_TRANSITION, NULL, "the letter request changed meanwhile; reload it");
            return DB_CONSTRAINT; /* roll back: the error says why */
        }
    }
    if (rc == DB_OK)
        rc = store_letter_use_token(conn, l.id, now);
    if (rc == DB_OK) {
        const char *detail = arena_printf(c->arena, "version %lld via %s", (long long)f.version, actor_how(c->actor));
        rc = store_audit_add(conn, actor_id(c->actor), AUDIT_LETTER_UPLOAD, AUDIT_ON_LETTER, l.id, detail, now);
    }
    if (rc == DB_OK)
        rc = store_letter_get(conn, c->arena, l.id, c->out) == DB_ROW ? DB_OK : DB_ERROR;
    if (rc != DB_OK)
        return rc;
    const char *title = arena_printf(c->arena, new_version ? "%s uploaded a new version of your letter"
                                                           : "%s uploaded your letter",
                                     l.author_name);
    tell_student(conn, c->arena, c->out, "letter_uploaded", title != NULL ? title : "Your letter was uploaded", now);
    return DB_OK;
}

int letter_upload(struct db_conn *conn, struct arena *arena, const char *id, const struct letter_actor *actor,
                  const char *data, size_t len, struct store_letter *out, struct error *err)
{
    struct error local;
    if (err == NULL)
        err = &local;
    struct store_letter letter;
    if (letter_for_author(conn, arena, id, actor, true, &letter, err) != 0)
        return -1;
    if (data == NULL || len == 0)
        return error_set(err, ERR_VALIDATION_FAILED, "file", "the file is empty");
    if (len > LETTER_MAX_BYTES)
        return error_set(err, ERR_PAYLOAD_TOO_LARGE, "file", "a letter is at most 1 MB (1,000,000 bytes)");
    if (!letter_is_pdf(data, len))
        return error_set(err, ERR_UNSUPPORTED_MEDIA_TYPE, "file", "the letter must be a PDF file");
    if (!upload_allowed_from(letter_state_of(&letter)))
        return error_set(err, ERR_INVALID_TRANSITION, NULL, "this letter request was declined");
    char address[65];
    if (blobs_put(data, len, address) != 0) {
        log_error("msg=\"letter file not stored\" letter_id=%s", letter.id);
        return error_set(err, ERR_UNAVAILABLE, NULL, "the file could not be stored; try again later");
    }
    struct upload_ctx c = {arena, letter.id, actor, address, (int64_t)len, out, err};
    if (run_tx(conn, upload_tx, &c, err) == 0)
        return 0;
    /* Nothing refers to the file unless another row has the same bytes. */
    bool in_use = true;
    if (store_blob_in_use(conn, address, &in_use) == DB_OK && !in_use)
        blobs_remove(address);
    return -1;
}

/* ---- delivery ---- */

struct delivered_ctx {
    struct arena *arena;
    const char *id;
    const struct store_user *user;
    const char *eras_letter_id; /* checked, or NULL */
    struct store_letter *out;
    struct error *err;
};

static int delivered_tx(struct db_conn *conn, void *p)
{
    struct delivered_ctx *c = p;
    struct store_letter l;
    int rc = store_letter_get(conn, c->arena, c->id, &l);
    bool student = rc == DB_ROW && is_student_of(&l, c->user);
    if (rc == DB_DONE || (rc == DB_ROW && !student && !letter_user_is_author(&l, c->user) && !is_staff(c->user))) {
        error_set(c->err, ERR_NOT_FOUND, NULL, "no such letter");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    if (rc != DB_ROW)
        return rc;
    if (letter_state_of(&l) != LETTER_UPLOADED) {
        error_set(c->err, ERR_INVALID_TRANSITION, NULL,
                  letter_state_of(&l) == LETTER_DELIVERED ? "the letter is already delivered"
                                                          : "only an uploaded letter can be delivered");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    if (c->eras_letter_id == NULL && !given(l.eras_letter_id)) {
        error_set(c->err, ERR_VALIDATION_FAILED, "eras_letter_id", "is required: the ERAS Letter ID of this letter");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    int64_t now = clock_now();
    rc = store_letter_move(conn, l.id, letter_state_name(LETTER_UPLOADED), letter_state_name(LETTER_DELIVERED), NULL,
                           now);
    if (rc == DB_DONE) {
        error_set(c->err, ERR_INVALID_TRANSITION, NULL, "the letter changed meanwhile; reload it");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    if (rc == DB_OK && c->eras_letter_id != NULL)
        rc = store_letter_set_eras_id(conn, l.id, c->eras_letter_id, now);
    if (rc == DB_OK)
        rc = store_audit_add(conn, c->user->id, AUDIT_LETTER_DELIVERED, AUDIT_ON_LETTER, l.id, "", now);
    if (rc == DB_OK)
        rc = store_letter_get(conn, c->arena, l.id, c->out) == DB_ROW ? DB_OK : DB_ERROR;
    if (rc != DB_OK)
        return rc;
    if (!student) {
        const char *title = arena_printf(c->arena, "Your letter from %s was delivered to ERAS", l.author_name);
        tell_student(conn, c->arena, c->out, "letter_delivered",
                     title != NULL ? title : "Your letter was delivered to ERAS", now);
    }
    return DB_OK;
}

int letter_delivered(struct db_conn *conn, struct arena *arena, const char *id, const struct store_user *user,
                     const char *eras_letter_id, struct store_letter *out, struct error *err)
{
    struct error local;
    if (err == NULL)
        err = &local;
    if (!given(id) || user == NULL)
        return error_set(err, ERR_NOT_FOUND, NULL, "no such letter");
    struct store_letter letter;
    /* Who comes first: a stranger learns nothing from the id's checks. */
    if (letter_get_visible(conn, arena, id, user, &letter, err) != 0)
        return -1;
    if (given(eras_letter_id) && !letter_eras_id_valid(eras_letter_id))
        return error_set(err, ERR_VALIDATION_FAILED, "eras_letter_id",
                         "an ERAS Letter ID has 1 to 32 letters, digits or '-'");
    struct delivered_ctx c = {arena, id, user, given(eras_letter_id) ? eras_letter_id : NULL, out, err};
    return run_tx(conn, delivered_tx, &c, err);
}

/* ---- reading the file ---- */

int letter_read_file(struct db_conn *conn, struct arena *arena, const char *id, const struct letter_actor *actor,
                     const char **data, size_t *len, struct error *err)
{
    struct error local;
    if (err == NULL)
        err = &local;
    *data = NULL;
    *len = 0;
    struct store_letter l;
    if (actor == NULL || (actor->user == NULL && actor->token == NULL) || !given(id))
        return error_set(err, ERR_NOT_FOUND, NULL, "no such letter");
    if (actor->user == NULL) {
        if (letter_for_author(conn, arena, id, actor, false, &l, err) != 0)
            return -1;
    } else {
        const struct store_user *user = actor->user;
        int rc = store_letter_get(conn, arena, id, &l);
        if (rc != DB_ROW && rc != DB_DONE)
            return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
        bool may = rc == DB_ROW && (letter_user_is_author(&l, user) || is_staff(user) ||
                                    (is_student_of(&l, user) && !l.waived));
        if (!may) {
            if (rc == DB_ROW)
                store_audit_add(conn, user->id, AUDIT_FORBIDDEN, AUDIT_ON_LETTER, id, "file", clock_now());
            if (rc == DB_ROW && is_student_of(&l, user))
                return error_set(err, ERR_LETTER_CONFIDENTIAL, NULL,
                                 "you waived your right to see this letter: it stays confidential");
            return error_set(err, ERR_NOT_FOUND, NULL, "no such letter");
        }
    }
    if (l.version_count == 0)
        return error_set(err, ERR_NOT_FOUND, NULL, "no letter has been uploaded yet");
    struct store_letter_file *files;
    size_t count = 0;
    if (store_letter_files(conn, arena, l.id, &files, &count) != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    if (count == 0)
        return error_set(err, ERR_NOT_FOUND, NULL, "no letter has been uploaded yet");
    const char *detail = arena_printf(arena, "version %lld via %s", (long long)files[0].version, actor_how(actor));
    if (store_audit_add(conn, actor_id(actor), AUDIT_LETTER_READ, AUDIT_ON_LETTER, l.id, detail, clock_now()) != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    if (blobs_get(arena, files[0].blob, data, len) != 0) {
        log_error("msg=\"letter file unreadable\" letter_id=%s version=%lld", l.id, (long long)files[0].version);
        *data = NULL;
        *len = 0;
        return error_set(err, ERR_UNAVAILABLE, NULL, "the file cannot be read right now");
    }
    return 0;
}

/* ---- reminders ---- */

struct remind_ctx {
    struct arena *arena;
    const struct store_letter *letter;
    int days;
    bool sent;
};

static int remind_tx(struct db_conn *conn, void *p)
{
    struct remind_ctx *c = p;
    const struct store_letter *l = c->letter;
    int64_t now = clock_now();
    c->sent = false;
    int rc = store_letter_set_reminded(conn, l->id, c->days, now);
    if (rc == DB_DONE)
        return DB_OK; /* another instance sent it, or the author answered */
    if (rc == DB_OK && c->days == 14) {
        rc = store_letter_set_reminded(conn, l->id, 7, now); /* a late 7-day reminder would only repeat it */
        if (rc == DB_DONE)
            rc = DB_OK;
    }
    char token[44];
    int64_t expires_at = 0;
    if (rc == DB_OK)
        rc = add_token(conn, l->id, now, token, &expires_at);
    if (rc == DB_OK)
        rc = store_audit_add(conn, NULL, AUDIT_LETTER_REMIND, AUDIT_ON_LETTER, l->id,
                             c->days == 14 ? "14 days" : "7 days", now);
    if (rc != DB_OK)
        return rc;
    mail_invitation(conn, c->arena, l, l->student_name, rotation_of(conn, c->arena, l->application_id), token,
                    expires_at, true, now);
    explicit_bzero(token, sizeof(token));
    if (given(l->author_user_id) || given(l->preceptor_user_id)) {
        struct recipient to = {given(l->author_user_id) ? l->author_user_id : l->preceptor_user_id, NULL};
        const char *title = arena_printf(c->arena, "Reminder: %s asks you for a letter of recommendation",
                                         one_line(c->arena, l->student_name, 200));
        notify(conn, c->arena, &to, "letter_reminder", title != NULL ? title : "Reminder: a letter is asked of you",
               letter_link(c->arena, l->id), now);
    }
    c->sent = true;
    return DB_OK;
}

int letters_send_reminders(struct db_conn *conn, struct arena *arena, int *sent)
{
    *sent = 0;
    int64_t now = clock_now();
    struct store_letter *due;
    size_t count = 0;
    if (store_letters_reminders_due(conn, arena, now - 7 * DAY, now - 14 * DAY, REMINDER_BATCH, &due, &count) != DB_OK)
        return -1;
    for (size_t i = 0; i < count; i++) {
        struct remind_ctx c = {arena, &due[i], 7, false};
        if (due[i].requested_at <= now - 14 * DAY && due[i].reminded_14_at == 0)
            c.days = 14;
        if (db_run_tx(conn, true, remind_tx, &c) != DB_OK) {
            log_warn("msg=\"letter reminder failed\" letter_id=%s", due[i].id);
            return -1;
        }
        if (c.sent)
            (*sent)++;
    }
    return 0;
}

/* ---- staff confirm who wrote a letter asked by name and email ---- */

struct confirm_ctx {
    struct arena *arena;
    const char *id, *npi;
    const struct store_user *staff;
    struct store_letter *out;
    struct error *err;
};

static int confirm_tx(struct db_conn *conn, void *p)
{
    struct confirm_ctx *c = p;
    struct store_letter l;
    int rc = store_letter_get(conn, c->arena, c->id, &l);
    if (rc == DB_DONE) {
        error_set(c->err, ERR_NOT_FOUND, NULL, "no such letter");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    if (rc != DB_ROW)
        return rc;
    struct store_preceptor preceptor;
    rc = store_preceptor_by_npi(conn, c->arena, c->npi, &preceptor);
    if (rc == DB_DONE || (rc == DB_ROW && !preceptor.verified)) {
        error_set(c->err, ERR_UNPROCESSABLE, "npi", "no verified preceptor has this NPI");
        return DB_CONSTRAINT;
    }
    if (rc != DB_ROW)
        return rc;
    int64_t now = clock_now();
    rc = store_letter_confirm_author(conn, l.id, preceptor.id, c->staff->id, now);
    if (rc == DB_DONE) {
        error_set(c->err, ERR_CONFLICT, NULL, "this letter was asked of one of the student's preceptors already");
        return DB_CONSTRAINT;
    }
    if (rc == DB_OK)
        rc = store_audit_add(conn, c->staff->id, AUDIT_LETTER_AUTHOR_CONFIRMED, AUDIT_ON_LETTER, l.id, preceptor.id,
                             now);
    if (rc == DB_OK)
        rc = store_letter_get(conn, c->arena, l.id, c->out) == DB_ROW ? DB_OK : DB_ERROR;
    return rc;
}

int letter_confirm_author(struct db_conn *conn, struct arena *arena, const char *id, const struct store_user *staff,
                          const char *npi, struct store_letter *out, struct error *err)
{
    if (!given(id) || !is_staff(staff))
        return error_set(err, ERR_NOT_FOUND, NULL, "no such letter");
    if (!catalog_npi_valid(npi))
        return error_set(err, ERR_VALIDATION_FAILED, "npi", "an NPI has 10 digits with a valid check digit");
    struct confirm_ctx c = {arena, id, npi, staff, out, err};
    return run_tx(conn, confirm_tx, &c, err);
}
