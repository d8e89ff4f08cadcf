/* messages.c — messages per rotation: the thread, posting with its limits,
 * the read marker, unread counts and the digest emails; see messages.h. */
#include "domain/messages.h"

#include <stdio.h>
#include <string.h>

#include "domain/applications.h"
#include "domain/notify.h"
#include "domain/support.h"
#include "domain/vocabulary.h"
#include "lib/buf.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/limits.h"
#include "lib/log.h"
#include "store/blobs.h"
#include "store/documents.h"

enum { DIGEST_BATCH = 200, MAX_MEMBERS = 64 };
#define BODY_TOO_LONG "must be at most " LIMIT_TEXT(MESSAGE_MAX_CHARS) " characters"

static int64_t per_minute = MESSAGES_PER_MINUTE;

void messages_configure(int64_t limit)
{
    per_minute = limit > 0 ? limit : MESSAGES_PER_MINUTE;
}

bool message_thread_open(const struct store_application *a)
{
    switch (application_status_of(a)) {
    case APPLICATION_OFFERED:
    case APPLICATION_HELD:
    case APPLICATION_BOOKED:
    case APPLICATION_CLEARED:
    case APPLICATION_IN_PROGRESS:
    case APPLICATION_COMPLETED:
    case APPLICATION_OFFER_EXPIRED:
    case APPLICATION_HOLD_EXPIRED:
    case APPLICATION_CANCELLED_BY_STUDENT:
    case APPLICATION_CANCELLED_BY_HOST:
    case APPLICATION_NO_SHOW:
    case APPLICATION_BALANCE_UNPAID:
        return true;
    default:
        return false;
    }
}

/* The application of a thread the user may see and that is open. */
static int load_thread_application(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                                   const char *application_id, struct store_application *a, struct error *err)
{
    if (application_get_visible(conn, arena, application_id, user, "messages", a, err) != 0)
        return -1;
    if (!message_thread_open(a))
        return error_set(err, ERR_THREAD_CLOSED, NULL, "messages open once an offer is made");
    return 0;
}

int message_thread_load(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                        const char *application_id, struct message_thread *out, struct error *err)
{
    memset(out, 0, sizeof(*out));
    if (load_thread_application(conn, arena, user, application_id, &out->application, err) != 0)
        return -1;
    if (store_messages_of_thread(conn, arena, out->application.id, MESSAGE_THREAD_SHOWN, &out->messages,
                                 &out->count) != DB_OK ||
        store_message_unread_count(conn, user->id, out->application.id, &out->unread) != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    return 0;
}

/* Adds id to the members unless it is NULL, the sender, or there already. */
static void add_member(const char **members, size_t *n, const char *id, const char *sender_id)
{
    if (id == NULL || strcmp(id, sender_id) == 0 || *n >= MAX_MEMBERS)
        return;
    for (size_t i = 0; i < *n; i++)
        if (strcmp(members[i], id) == 0)
            return;
    members[(*n)++] = id;
}

/* Each member but the sender gets the message as unread. */
static int fan_out(struct db_conn *conn, struct arena *arena, const struct store_application *a,
                   const struct store_message *m)
{
    const char *members[MAX_MEMBERS] = {0};
    size_t n = 0;
    add_member(members, &n, a->student_id, m->sender_id);
    add_member(members, &n, a->preceptor_user_id, m->sender_id);
    add_member(members, &n, a->coach_id, m->sender_id);
    struct store_member *coordinators;
    size_t count = 0;
    int rc = store_organization_members(conn, arena, a->organization_id, role_name(ROLE_HOST_COORDINATOR),
                                        &coordinators, &count);
    for (size_t i = 0; rc == DB_OK && i < count; i++)
        add_member(members, &n, coordinators[i].user_id, m->sender_id);
    for (size_t i = 0; rc == DB_OK && i < n; i++)
        rc = store_message_unread_add(conn, members[i], m);
    return rc;
}

struct post_ctx {
    struct arena *arena;
    const struct store_user *user;
    const char *application_id, *body, *document_id;
    struct store_message *out;
    struct error *err;
};

/* The attachment must be a current document of the sender's wallet (404 naming document_id). */
static int check_attachment(struct db_conn *conn, struct post_ctx *c, struct store_document *d)
{
    int rc = store_document_get(conn, c->arena, c->document_id, d);
    if (rc != DB_ROW && rc != DB_DONE)
        return error_set(c->err, ERR_UNAVAILABLE, NULL, NULL);
    if (rc == DB_DONE || strcmp(d->student_id, c->user->id) != 0 || d->deleted_at != 0 || d->replaced_at != 0)
        return error_set(c->err, ERR_NOT_FOUND, "document_id", "is not a document in your wallet");
    return 0;
}

static int post_tx(struct db_conn *conn, void *p)
{
    struct post_ctx *c = p;
    struct store_application a;
    if (load_thread_application(conn, c->arena, c->user, c->application_id, &a, c->err) != 0)
        return DB_CONSTRAINT; /* roll back: the error says why */
    int64_t now = clock_now(), sent = 0;
    int rc = store_messages_sent_since(conn, c->user->id, now - 60, &sent);
    if (rc != DB_OK)
        return rc;
    if (sent >= per_minute) {
        error_set(c->err, ERR_RATE_LIMITED, NULL, "you have sent too many messages in the last minute; wait a "
                                                  "minute and send it again");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    struct store_document d = {0};
    if (c->document_id != NULL && check_attachment(conn, c, &d) != 0)
        return DB_CONSTRAINT; /* roll back: the error says why */
    char id[48];
    crypto_sortable_id("m_", clock_now_ms(), id, sizeof(id));
    struct store_message m = {.id = arena_strdup(c->arena, id),
                              .application_id = a.id,
                              .sender_id = c->user->id,
                              .sender_name = c->user->name,
                              .body = c->body,
                              .document_id = c->document_id != NULL ? d.id : NULL,
                              .document_kind = c->document_id != NULL ? d.kind : NULL,
                              .document_name = c->document_id != NULL ? d.file_name : NULL,
                              .created_at = now};
    rc = store_message_insert(conn, &m);
    if (rc == DB_OK)
        rc = fan_out(conn, c->arena, &a, &m);
    if (rc == DB_OK)
        *c->out = m;
    return rc;
}

int message_post(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                 const char *application_id, const char *body, const char *document_id, struct store_message *out,
                 struct error *err)
{
    if (support_check_text(body, "body", MESSAGE_MAX_CHARS, BODY_TOO_LONG, true, err) != 0)
        return -1;
    if (document_id != NULL && document_id[0] == '\0')
        document_id = NULL;
    struct post_ctx c = {arena, user, application_id, body, document_id, out, err};
    err->code = ERR_NONE;
    int rc = db_run_tx(conn, true, post_tx, &c);
    if (err->code != ERR_NONE)
        return -1;
    return rc == DB_OK ? 0 : error_set(err, ERR_UNAVAILABLE, NULL, NULL);
}

int message_attachment_read(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                            const char *application_id, const char *message_id, struct store_document *out,
                            const char **data, size_t *len, struct error *err)
{
    *data = NULL;
    *len = 0;
    memset(out, 0, sizeof(*out));
    struct store_application a;
    if (load_thread_application(conn, arena, user, application_id, &a, err) != 0)
        return -1;
    const char *document_id = NULL;
    int rc = message_id != NULL ? store_message_attachment(conn, arena, a.id, message_id, &document_id) : DB_DONE;
    if (rc == DB_ROW)
        rc = store_document_get(conn, arena, document_id, out);
    if (rc == DB_DONE)
        return error_set(err, ERR_NOT_FOUND, NULL, "no such attachment");
    if (rc != DB_ROW)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    if (blobs_get(arena, out->blob, data, len) != 0) {
        log_error("msg=\"attachment file unreadable\" id=%s", out->id);
        *data = NULL;
        *len = 0;
        return error_set(err, ERR_INTERNAL, NULL, "the file could not be read");
    }
    /* No read without its line in the audit trail. */
    char detail[160];
    snprintf(detail, sizeof(detail), "kind=%s message=%s", out->kind, message_id);
    if (store_audit_add(conn, user->id, AUDIT_DOCUMENT_READ, AUDIT_ON_DOCUMENT, out->id, detail, clock_now()) !=
        DB_OK) {
        *data = NULL;
        *len = 0;
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    }
    return 0;
}

int message_mark_read(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                      const char *application_id, struct error *err)
{
    struct store_application a;
    if (load_thread_application(conn, arena, user, application_id, &a, err) != 0)
        return -1;
    return store_message_mark_read(conn, user->id, a.id) == DB_OK ? 0 : error_set(err, ERR_UNAVAILABLE, NULL, NULL);
}

int64_t message_unread_count(struct db_conn *conn, const struct store_user *user, const char *application_id)
{
    int64_t count = 0;
    if (user == NULL || store_message_unread_count(conn, user->id, application_id, &count) != DB_OK)
        return 0;
    return count;
}

/* ---- the digest ---- */

/* The digest's text: one line per thread with its link. */
static const char *digest_text(struct arena *arena, const struct store_digest_thread *threads, size_t count,
                               int64_t total)
{
    struct buf b;
    buf_init(&b, arena, BUF_CAP_LONG_LIST);
    buf_appendf(&b, "You have %lld unread message%s on Rounds:\n\n", (long long)total, total == 1 ? "" : "s");
    for (size_t i = 0; i < count; i++)
        buf_appendf(&b, "- %s: %lld unread\n  %s/applications/%s/messages\n",
                    notify_quote(arena, threads[i].offering_title, 200), (long long)threads[i].unread,
                    notify_public_url(), threads[i].application_id);
    buf_append_str(&b, "\nWe send at most one such email every " LIMIT_TEXT(MESSAGE_DIGEST_MINUTES) " minutes.\n");
    return b.data;
}

struct digest_ctx {
    struct arena *arena;
    const char *user_id;
    bool sent; /* by this try: counted once it commits */
};

static int digest_tx(struct db_conn *conn, void *p)
{
    struct digest_ctx *c = p;
    c->sent = false; /* a retried try: what a rolled-back one queued is gone */
    int64_t now = clock_now();
    int rc = store_message_digest_claim(conn, c->user_id, now, now - MESSAGE_DIGEST_MINUTES * 60);
    if (rc == DB_DONE)
        return DB_OK; /* too soon, or another instance sent it */
    struct store_digest_thread *threads = NULL;
    size_t count = 0;
    struct store_user to;
    if (rc == DB_OK)
        rc = store_message_digest_threads(conn, c->arena, c->user_id, &threads, &count);
    if (rc == DB_OK)
        rc = store_user_by_id(conn, c->arena, c->user_id, &to) == DB_ROW ? DB_OK : DB_ERROR;
    int64_t total = 0;
    for (size_t i = 0; i < count; i++)
        total += threads[i].unread;
    if (rc == DB_OK && total > 0) {
        char subject[96];
        snprintf(subject, sizeof(subject), "%lld unread message%s on Rounds", (long long)total,
                 total == 1 ? "" : "s");
        notify_email(conn, c->arena, to.email, "message_digest", subject, digest_text(c->arena, threads, count, total),
                     now);
        c->sent = true;
    }
    if (rc == DB_OK)
        rc = store_message_unread_emailed(conn, c->user_id, now);
    return rc;
}

int messages_send_digests(struct db_conn *conn, struct arena *arena, int *sent)
{
    *sent = 0;
    const char **ids;
    size_t count;
    int rc = store_message_digest_users(conn, arena, DIGEST_BATCH, &ids, &count);
    if (rc != DB_OK)
        return rc;
    for (size_t i = 0; i < count; i++) {
        struct digest_ctx c = {arena, ids[i], false};
        if (db_run_tx(conn, true, digest_tx, &c) != DB_OK)
            log_warn("msg=\"message digest failed\"");
        else
            *sent += c.sent;
    }
    return DB_OK;
}
