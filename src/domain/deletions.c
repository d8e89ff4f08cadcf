/* deletions.c — account deletion requests and the erasure; see deletions.h. */
#include "domain/deletions.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "domain/accounts.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/log.h"
#include "store/applications.h"
#include "store/blobs.h"
#include "store/documents.h"

enum { DELETIONS_DUE_BATCH = 20 };

const char *deletion_obstacle_text(const struct store_deletion_obstacles *o)
{
    if (o->seats > 0)
        return "You have a seat held, or a rotation booked or under way. Cancel it first (the refund policy "
               "applies) or wait until it is completed; the money records of a booking must be settled first.";
    if (o->refunds_owed > 0)
        return "A refund to you is still being sent. You can ask again once it has gone out.";
    if (o->checkouts_open > 0)
        return "A payment of yours is still on its way (an open checkout or bank transfer). You can ask again "
               "once it has arrived or expired.";
    return NULL;
}

static bool may_ask(const struct store_user *user)
{
    return !account_has_role(user, ROLE_STAFF) && !account_has_role(user, ROLE_COACH);
}

/* ---- asking and cancelling ---- */

struct ask_ctx {
    const struct store_user *user;
    struct store_deletion_request *request;
    struct error *err;
};

static int blocked(struct db_conn *conn, const char *user_id, struct error *err, int *rc)
{
    struct store_deletion_obstacles o;
    *rc = store_deletion_obstacles(conn, user_id, &o);
    if (*rc != DB_OK)
        return 0;
    const char *why = deletion_obstacle_text(&o);
    if (why == NULL)
        return 0;
    error_set(err, ERR_DELETION_BLOCKED, NULL, why);
    *rc = DB_CONSTRAINT; /* roll back: the error says why */
    return 1;
}

static int ask_tx(struct db_conn *conn, void *p)
{
    struct ask_ctx *c = p;
    int rc = store_user_lock(conn, c->user->id);
    if (rc != DB_OK)
        return rc == DB_DONE ? DB_ERROR : rc;
    if (blocked(conn, c->user->id, c->err, &rc) || rc != DB_OK)
        return rc;
    rc = store_deletion_request_insert(conn, c->request);
    if (rc == DB_CONSTRAINT) {
        error_set(c->err, ERR_DELETION_PENDING, NULL, "your account is already set to be deleted");
        return rc;
    }
    if (rc == DB_OK)
        rc = store_audit_add(conn, c->user->id, AUDIT_DELETION_REQUESTED, AUDIT_ON_DELETION_REQUEST, c->request->id, "",
                             c->request->requested_at);
    return rc;
}

int deletion_request(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                     struct store_deletion_request *out, struct error *err)
{
    err->code = ERR_NONE;
    if (!may_ask(user))
        return error_set(err, ERR_FORBIDDEN, NULL,
                         "staff and coach accounts are closed by another member of staff, not deleted by request");
    char id[48];
    int64_t now = clock_now();
    crypto_sortable_id("del_", clock_now_ms(), id, sizeof(id));
    memset(out, 0, sizeof(*out));
    out->id = arena_strdup(arena, id);
    out->user_id = user->id;
    out->state = "pending";
    out->requested_at = now;
    out->due_at = now + (int64_t)DELETION_GRACE_DAYS * 86400;
    out->user_name = user->name;
    out->user_email = user->email;
    if (out->id == NULL)
        return error_set(err, ERR_INTERNAL, NULL, NULL);
    struct ask_ctx c = {user, out, err};
    int rc = db_run_tx(conn, true, ask_tx, &c);
    if (err->code != ERR_NONE)
        return -1;
    return rc == DB_OK ? 0 : error_set(err, ERR_UNAVAILABLE, NULL, NULL);
}

struct cancel_ctx {
    const struct store_user *user;
    struct error *err;
};

static int cancel_tx(struct db_conn *conn, void *p)
{
    struct cancel_ctx *c = p;
    int64_t now = clock_now();
    int rc = store_deletion_request_cancel(conn, c->user->id, now);
    if (rc == DB_DONE) {
        error_set(c->err, ERR_NOT_FOUND, NULL, "no deletion request of yours is pending");
        return DB_CONSTRAINT;
    }
    if (rc == DB_OK)
        rc = store_audit_add(conn, c->user->id, AUDIT_DELETION_CANCELLED, AUDIT_ON_USER, c->user->id, "", now);
    return rc;
}

int deletion_cancel(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                    struct store_deletion_request *out, struct error *err)
{
    err->code = ERR_NONE;
    struct cancel_ctx c = {user, err};
    int rc = db_run_tx(conn, true, cancel_tx, &c);
    if (err->code != ERR_NONE)
        return -1;
    if (rc != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    return deletion_latest(conn, arena, user, out, err);
}

int deletion_latest(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                    struct store_deletion_request *out, struct error *err)
{
    int rc = store_deletion_request_latest(conn, arena, user->id, out);
    if (rc == DB_DONE)
        return error_set(err, ERR_NOT_FOUND, NULL, "you have not asked to delete your account");
    return rc == DB_ROW ? 0 : error_set(err, ERR_UNAVAILABLE, NULL, NULL);
}

int deletion_get(struct db_conn *conn, struct arena *arena, const char *id, const struct store_user *viewer,
                 struct store_deletion_request *out, struct error *err)
{
    int rc = store_deletion_request_get(conn, arena, id, out);
    if (rc == DB_ROW && !account_has_role(viewer, ROLE_STAFF) && strcmp(out->user_id, viewer->id) != 0) {
        store_audit_add(conn, viewer->id, AUDIT_FORBIDDEN, AUDIT_ON_DELETION_REQUEST, id, "", clock_now());
        rc = DB_DONE;
    }
    if (rc == DB_DONE)
        return error_set(err, ERR_NOT_FOUND, NULL, "no such deletion request");
    return rc == DB_ROW ? 0 : error_set(err, ERR_UNAVAILABLE, NULL, NULL);
}

/* ---- completing ---- */

struct complete_ctx {
    struct arena *arena;
    const char *id, *staff_id; /* staff_id NULL: the schedule */
    const char *user_id;       /* filled: whose account */
    const char **blobs;
    size_t blob_count;
    struct error *err;
};

/* A pseudonym that cannot receive mail (.invalid, RFC 2606) nor sign in (no
 * password), unique by its random part. */
static void pseudonym(char name[64], char email[80])
{
    char token[48];
    crypto_random_id("", token, sizeof(token));
    for (char *p = token; *p != '\0'; p++)
        *p = (char)tolower((unsigned char)*p);
    snprintf(name, 64, "Erased account %.8s", token);
    snprintf(email, 80, "erased-%s@erased.invalid", token);
}

static int complete_tx(struct db_conn *conn, void *p)
{
    struct complete_ctx *c = p;
    int64_t now = clock_now();
    struct store_deletion_request r;
    int rc = store_deletion_request_get(conn, c->arena, c->id, &r);
    if (rc != DB_ROW)
        return rc == DB_DONE ? DB_ERROR : rc;
    c->user_id = r.user_id;
    rc = store_deletion_request_complete(conn, c->id, c->staff_id, now);
    if (rc == DB_DONE) { /* completed or cancelled meanwhile, perhaps by another instance */
        error_set(c->err, ERR_DELETION_CLOSED, NULL, "this request is no longer pending");
        return DB_CONSTRAINT;
    }
    if (rc == DB_OK)
        rc = store_user_lock(conn, r.user_id);
    if (rc != DB_OK || blocked(conn, r.user_id, c->err, &rc) || rc != DB_OK)
        return rc;
    struct store_user user;
    rc = store_user_by_id(conn, c->arena, r.user_id, &user);
    if (rc != DB_ROW)
        return rc == DB_DONE ? DB_ERROR : rc;
    rc = store_erasure_blobs(conn, c->arena, user.id, &c->blobs, &c->blob_count);
    char name[64], email[80];
    pseudonym(name, email);
    if (rc == DB_OK)
        rc = store_user_erase(conn, &user, name, email, now);
    if (rc == DB_OK)
        rc = store_audit_add(conn, c->staff_id, AUDIT_ACCOUNT_ERASED, AUDIT_ON_USER, user.id,
                             c->staff_id != NULL ? "by=staff" : "by=schedule", now);
    return rc;
}

/* After commit: the sealed files no row uses any more. */
static void remove_files(struct db_conn *conn, const struct complete_ctx *c)
{
    for (size_t i = 0; i < c->blob_count; i++) {
        bool in_use = true;
        if (store_blob_in_use(conn, c->blobs[i], &in_use) == DB_OK && !in_use && blobs_remove(c->blobs[i]) != 0)
            log_warn("msg=\"erased file not removed\"");
    }
}

static int complete(struct db_conn *conn, struct arena *arena, const char *id, const char *staff_id,
                    struct store_deletion_request *out, struct error *err)
{
    struct complete_ctx c = {.arena = arena, .id = id, .staff_id = staff_id, .err = err};
    int rc = db_run_tx(conn, true, complete_tx, &c);
    if (err->code != ERR_NONE)
        return -1;
    if (rc != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    remove_files(conn, &c);
    rc = store_deletion_request_get(conn, arena, id, out);
    return rc == DB_ROW ? 0 : error_set(err, ERR_UNAVAILABLE, NULL, NULL);
}

int deletion_complete(struct db_conn *conn, struct arena *arena, const char *id, const struct store_user *staff,
                      struct store_deletion_request *out, struct error *err)
{
    err->code = ERR_NONE;
    struct store_deletion_request r;
    int rc = store_deletion_request_get(conn, arena, id, &r);
    if (rc == DB_DONE || !account_has_role(staff, ROLE_STAFF))
        return error_set(err, ERR_NOT_FOUND, NULL, "no such deletion request");
    if (rc != DB_ROW)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    if (strcmp(r.state, "pending") != 0)
        return error_set(err, ERR_DELETION_CLOSED, NULL,
                         strcmp(r.state, "completed") == 0 ? "this account is erased already"
                                                           : "this request was cancelled");
    return complete(conn, arena, id, staff->id, out, err);
}

int deletions_complete_due(struct db_conn *conn, struct arena *arena, int *completed)
{
    struct store_deletion_request *due = NULL;
    size_t count = 0;
    int rc = store_deletion_requests_due(conn, arena, clock_now(), DELETIONS_DUE_BATCH, &due, &count);
    for (size_t i = 0; rc == DB_OK && i < count; i++) {
        struct store_deletion_request done;
        struct error err = {0};
        if (complete(conn, arena, due[i].id, NULL, &done, &err) == 0)
            (*completed)++;
        else if (err.code == ERR_UNAVAILABLE)
            rc = DB_ERROR;
        /* blocked: stays pending until settled; closed: another instance did it */
    }
    return rc;
}
