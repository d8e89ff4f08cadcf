/* alerts.c — saved searches, alerts and favourites; see alerts.h. */
#include "domain/alerts.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/catalog.h"
#include "domain/notify.h"
#include "domain/reference.h"
#include "lib/buf.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/limits.h"
#include "lib/log.h"
#include "lib/utf8.h"

const char *const alerts_filter_names[] = {"q",        "specialty",   "state",        "kind",     "start_from",
                                           "start_to", "max_tuition", "include_full", "eligible", NULL};

/* ---- filters ---- */

static const char **filter_slot(struct alerts_filters *f, const char *name)
{
    const char **slots[] = {&f->q,        &f->specialty,   &f->state,        &f->kind,     &f->start_from,
                            &f->start_to, &f->max_tuition, &f->include_full, &f->eligible};
    for (size_t i = 0; alerts_filter_names[i] != NULL; i++)
        if (strcmp(alerts_filter_names[i], name) == 0)
            return slots[i];
    return NULL;
}

/* catalog_query_parse's lookup over the filters. */
static const char *filter_get(void *ctx, const char *name, bool *repeated)
{
    *repeated = false;
    const char **slot = filter_slot(ctx, name);
    return slot != NULL ? *slot : NULL;
}

static void filters_of(const struct store_saved_search *s, char max_tuition[24], struct alerts_filters *f)
{
    memset(f, 0, sizeof(*f));
    f->q = s->q;
    f->specialty = s->specialty;
    f->state = s->state;
    f->kind = s->kind;
    f->start_from = s->start_from;
    f->start_to = s->start_to;
    if (s->max_tuition >= 0) {
        snprintf(max_tuition, 24, "%" PRId64, s->max_tuition);
        f->max_tuition = max_tuition;
    }
    f->include_full = s->include_full ? "true" : NULL;
    f->eligible = s->eligible_me ? "me" : NULL;
}

int alerts_query_of(const struct store_saved_search *s, const struct store_profile *profile,
                    struct catalog_query *q, struct error *err)
{
    struct alerts_filters f;
    char max_tuition[24];
    filters_of(s, max_tuition, &f);
    bool eligible_me = false;
    if (catalog_query_parse(filter_get, &f, q, &eligible_me, err) != 0)
        return -1;
    q->eligible_for = eligible_me ? profile : NULL;
    return 0;
}

const char *alerts_search_link(struct arena *arena, const struct store_saved_search *s)
{
    struct alerts_filters f;
    char max_tuition[24];
    filters_of(s, max_tuition, &f);
    struct buf b;
    buf_init(&b, arena, BUF_CAP_LINE);
    buf_append_str(&b, "/search");
    char separator = '?';
    for (size_t i = 0; alerts_filter_names[i] != NULL; i++) {
        const char *value = *filter_slot(&f, alerts_filter_names[i]);
        if (value == NULL || value[0] == '\0')
            continue;
        buf_append_char(&b, separator);
        separator = '&';
        buf_append_str(&b, alerts_filter_names[i]);
        buf_append_char(&b, '=');
        buf_append_url(&b, value);
    }
    return buf_ok(&b) ? b.data : "/search";
}

/* ---- saving and deleting ---- */

struct create_ctx {
    struct store_saved_search *s;
    struct error *err;
};

static int create_tx(struct db_conn *conn, void *p)
{
    struct create_ctx *c = p;
    int64_t count = 0;
    /* Saves of one student one after the other (PostgreSQL reads each
     * statement's own snapshot): the count and the next position exact. */
    int rc = store_user_lock(conn, c->s->student_id);
    if (rc == DB_OK)
        rc = store_saved_search_count(conn, c->s->student_id, &count);
    if (rc != DB_OK)
        return rc == DB_DONE ? DB_ERROR : rc;
    if (count >= SAVED_SEARCHES_MAX) {
        error_set(c->err, ERR_SAVED_SEARCH_LIMIT, NULL,
                  "you have " LIMIT_TEXT(SAVED_SEARCHES_MAX) " saved searches already: delete one first");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    return store_saved_search_insert(conn, c->s);
}

static const char *nonempty(const char *s)
{
    return s != NULL && s[0] != '\0' ? s : NULL;
}

int alerts_saved_search_create(struct db_conn *conn, struct arena *arena, const struct store_user *student,
                               const char *name, const struct alerts_filters *filters,
                               struct store_saved_search *out, struct error *err)
{
    if (!account_has_role(student, ROLE_STUDENT))
        return error_set(err, ERR_FORBIDDEN, NULL, "only students save searches");
    size_t name_len = name != NULL ? strlen(name) : 0;
    if (name_len == 0 || !utf8_valid(name, name_len) || utf8_count(name, name_len) > SAVED_SEARCH_NAME_MAX_CHARS)
        return error_set(err, ERR_VALIDATION_FAILED, "name",
                         "give the search a name of at most " LIMIT_TEXT(SAVED_SEARCH_NAME_MAX_CHARS) " characters");
    struct catalog_query q;
    bool eligible_me = false;
    struct alerts_filters f = *filters;
    if (catalog_query_parse(filter_get, &f, &q, &eligible_me, err) != 0)
        return -1;
    char id[48];
    crypto_sortable_id("ss_", clock_now_ms(), id, sizeof(id));
    memset(out, 0, sizeof(*out));
    out->id = arena_strdup(arena, id);
    out->student_id = student->id;
    out->name = name;
    out->q = nonempty(f.q);
    out->specialty = nonempty(f.specialty);
    out->state = q.state >= 0 ? reference_states[q.state].code : NULL;
    out->kind = nonempty(f.kind);
    out->start_from = nonempty(f.start_from);
    out->start_to = nonempty(f.start_to);
    out->max_tuition = q.max_tuition_cents;
    out->include_full = q.include_full;
    out->eligible_me = eligible_me;
    out->email_alerts = true;
    out->pending = "";
    out->created_at = clock_now();
    out->student_email = student->email;
    struct create_ctx c = {out, err};
    err->code = ERR_NONE;
    int rc = db_run_tx(conn, true, create_tx, &c);
    if (err->code != ERR_NONE)
        return -1;
    return rc == DB_OK ? 0 : error_set(err, ERR_UNAVAILABLE, NULL, NULL);
}

int alerts_saved_search_delete(struct db_conn *conn, const char *student_id, const char *id, struct error *err)
{
    int rc = store_saved_search_delete(conn, id, student_id);
    if (rc == DB_DONE)
        return error_set(err, ERR_NOT_FOUND, NULL, "no such saved search");
    return rc == DB_OK ? 0 : error_set(err, ERR_UNAVAILABLE, NULL, NULL);
}

/* ---- unsubscribing ---- */

int alerts_unsubscribe_find(struct db_conn *conn, struct arena *arena, const char *token,
                            struct store_saved_search *out)
{
    if (token == NULL || strlen(token) != 43)
        return DB_DONE;
    char hash[65];
    crypto_hash_token(token, hash);
    return store_alert_unsubscribe_find(conn, arena, hash, out);
}

int alerts_unsubscribe(struct db_conn *conn, struct arena *arena, const char *token,
                       struct store_saved_search *out)
{
    int rc = alerts_unsubscribe_find(conn, arena, token, out);
    if (rc != DB_ROW)
        return rc;
    rc = store_saved_search_set_email(conn, out->id, false);
    if (rc == DB_OK)
        out->email_alerts = false;
    return rc == DB_OK ? DB_ROW : rc;
}

/* ---- favourites ---- */

struct favourite_ctx {
    const char *student_id, *offering_id;
};

/* Stars of one student one after the other, so that each takes its own
 * position (as saved searches do). */
static int favourite_add_tx(struct db_conn *conn, void *p)
{
    struct favourite_ctx *c = p;
    int rc = store_user_lock(conn, c->student_id);
    if (rc == DB_OK)
        rc = store_favourite_add(conn, c->student_id, c->offering_id, clock_now());
    return rc == DB_DONE ? DB_ERROR : rc;
}

int alerts_favourite_set(struct db_conn *conn, struct arena *arena, const struct store_user *student,
                         const char *offering_id, bool on, struct error *err)
{
    if (!account_has_role(student, ROLE_STUDENT))
        return error_set(err, ERR_FORBIDDEN, NULL, "only students keep saved rotations");
    if (!on) {
        int rc = store_favourite_remove(conn, student->id, offering_id);
        if (rc == DB_DONE)
            return error_set(err, ERR_NOT_FOUND, NULL, "this rotation is not among your saved ones");
        return rc == DB_OK ? 0 : error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    }
    struct store_offering o;
    int rc = store_offering_get(conn, arena, offering_id, &o);
    if (rc == DB_DONE || (rc == DB_ROW && !catalog_may_view_offering(conn, arena, student->id, &o)))
        return error_set(err, ERR_NOT_FOUND, NULL, "no such offering");
    if (rc == DB_ROW)
        rc = db_run_tx(conn, true, favourite_add_tx, &(struct favourite_ctx){student->id, o.id});
    return rc == DB_OK ? 0 : error_set(err, ERR_UNAVAILABLE, NULL, NULL);
}
