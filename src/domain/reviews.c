/* reviews.c — verified reviews of rotations: written only by the student of
 * a completed rotation, answered once by the host, hidden by staff with a
 * reason; see evaluations.h. */
#include <stdio.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/applications.h"
#include "domain/catalog.h"
#include "domain/catalog_index.h"
#include "domain/evaluations.h"
#include "domain/notify.h"
#include "domain/validate.h"
#include "lib/buf.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/limits.h"

const char *const review_score_names[STORE_REVIEW_SCORES + 1] = {"teaching", "hands_on", "organisation",
                                                                 "value_for_money", "overall", NULL};
const char *const review_score_labels[STORE_REVIEW_SCORES + 1] = {
    "Teaching", "Hands-on involvement", "Organisation", "Value for money", "Overall", NULL};

/* "Amara (Nigeria)": the first word of the name and the profile's country. */
static const char *first_name_and_country(struct arena *arena, const struct store_user *user)
{
    struct buf b;
    buf_init(&b, arena, BUF_CAP_LINE);
    const char *name = user->name != NULL ? user->name : "";
    size_t len = strcspn(name, " ");
    buf_append(&b, name, len);
    const char *country = user->profile.country;
    if (country != NULL && country[0] != '\0') {
        buf_append_str(&b, " (");
        buf_append_str(&b, country);
        buf_append_str(&b, ")");
    }
    return buf_ok(&b) ? b.data : "A student";
}

size_t review_input_problems(const struct review_input *in, struct error *errors, size_t capacity)
{
    const struct rating_form form = {in->scores, STORE_REVIEW_SCORES, review_score_names,
                                     in->body, "body", 1, REVIEW_TEXT_MAX_CHARS};
    return rating_form_problems(&form, errors, capacity);
}

static int check_review(const struct review_input *in, struct error *err)
{
    struct error first;
    if (review_input_problems(in, &first, 1) == 0)
        return 0;
    *err = first;
    return -1;
}

int review_submit(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                  const char *application_id, const struct review_input *in, struct store_review *out,
                  struct error *err)
{
    struct store_application a;
    if (application_get_visible(conn, arena, application_id, user, "review", &a, err) != 0)
        return -1;
    if (strcmp(a.student_id, user->id) != 0)
        return error_set(err, ERR_FORBIDDEN, NULL, "only the rotation's student reviews it");
    if (application_status_of(&a) != APPLICATION_COMPLETED)
        return error_set(err, ERR_FORBIDDEN, NULL, "only a completed rotation can be reviewed");
    if (check_review(in, err) != 0)
        return -1;
    if (clock_today_days() - clock_days_from_date(a.block_end) > REVIEW_WINDOW_DAYS)
        return error_set(err, ERR_UNPROCESSABLE, NULL,
                         "a rotation can be reviewed within " LIMIT_TEXT(REVIEW_WINDOW_DAYS) " days of its last day");
    char *id = arena_alloc(arena, 40);
    if (id == NULL)
        return error_set(err, ERR_INTERNAL, NULL, NULL);
    crypto_random_id("rev_", id, 40);
    memset(out, 0, sizeof(*out));
    out->id = id;
    out->application_id = a.id;
    out->offering_id = a.offering_id;
    out->organization_id = a.organization_id;
    out->offering_title = a.offering_title;
    out->student_id = user->id;
    memcpy(out->scores, in->scores, sizeof(out->scores));
    out->body = in->body;
    out->author_label = in->first_name_and_country ? first_name_and_country(arena, user) : user->name;
    out->created_at = clock_now();
    int rc = store_review_insert(conn, out);
    if (rc == DB_CONSTRAINT)
        return error_set(err, ERR_ALREADY_SUBMITTED, NULL, "you reviewed this rotation already");
    if (rc != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    store_catalog_changed(conn, a.offering_id, out->created_at); /* its cached page shows reviews */
    catalog_index_sync(conn);                                    /* the writer sees it at once */
    store_audit_add(conn, user->id, AUDIT_REVIEW, AUDIT_ON_OFFERING, a.offering_id, id, out->created_at);
    return 0;
}

bool review_may_reply(const struct store_user *user, const char *organization_id)
{
    return user != NULL && organization_id != NULL &&
           (account_has_role(user, ROLE_STAFF) || account_is_member(user, organization_id, ROLE_HOST_COORDINATOR));
}

/* A review user may see: hidden ones only for staff; 404 otherwise. */
static int review_visible(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *id,
                          struct store_review *out, struct error *err)
{
    int rc = id != NULL ? store_review_get(conn, arena, id, out) : DB_DONE;
    if (rc != DB_ROW && rc != DB_DONE)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    if (rc == DB_DONE || (out->hidden_at != 0 && !account_has_role(user, ROLE_STAFF)))
        return error_set(err, ERR_NOT_FOUND, NULL, "no such review");
    return 0;
}

int review_reply(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *review_id,
                 const char *reply, struct store_review *out, struct error *err)
{
    if (review_visible(conn, arena, user, review_id, out, err) != 0)
        return -1;
    if (!review_may_reply(user, out->organization_id))
        return error_set(err, ERR_FORBIDDEN, NULL, "only the host answers its reviews");
    if (validate_text(reply, "reply", 1, REVIEW_TEXT_MAX_CHARS, true, err) != 0)
        return -1;
    int64_t now = clock_now();
    int rc = store_review_reply(conn, out->id, reply, user->id, now);
    if (rc == DB_DONE)
        return error_set(err, ERR_ALREADY_SUBMITTED, NULL, "the host has answered this review already");
    if (rc != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    store_catalog_changed(conn, out->offering_id, now);
    catalog_index_sync(conn);
    store_audit_add(conn, user->id, AUDIT_REPLY, AUDIT_ON_REVIEW, out->id, "", now);
    return store_review_get(conn, arena, out->id, out) == DB_ROW ? 0 : error_set(err, ERR_UNAVAILABLE, NULL, NULL);
}

int review_hide(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *review_id,
                const char *reason, struct store_review *out, struct error *err)
{
    if (!account_has_role(user, ROLE_STAFF))
        return error_set(err, ERR_FORBIDDEN, NULL, "only staff hide reviews");
    if (review_visible(conn, arena, user, review_id, out, err) != 0 ||
        validate_text(reason, "reason", 1, REASON_MAX_CHARS, true, err) != 0)
        return -1;
    int64_t now = clock_now();
    int rc = store_review_hide(conn, out->id, user->id, reason, now);
    if (rc == DB_DONE)
        return error_set(err, ERR_CONFLICT, NULL, "this review is hidden already");
    if (rc != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    store_catalog_changed(conn, out->offering_id, now);
    catalog_index_sync(conn);
    store_audit_add(conn, user->id, AUDIT_HIDE, AUDIT_ON_REVIEW, out->id, reason, now);
    struct store_user author;
    if (store_user_by_id(conn, arena, out->student_id, &author) == DB_ROW) {
        char title[600], link[128];
        snprintf(title, sizeof(title), "Your review of %s was hidden by Rounds staff. Reason: %s",
                 out->offering_title, reason);
        snprintf(link, sizeof(link), "/offerings/%s", out->offering_id);
        struct recipient to = {author.id, author.email};
        notify(conn, arena, &to, "review_hidden", title, link, now);
    }
    return store_review_get(conn, arena, out->id, out) == DB_ROW ? 0 : error_set(err, ERR_UNAVAILABLE, NULL, NULL);
}

int reviews_of_offering(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                        const char *offering_id, struct review_list *out, struct error *err)
{
    memset(out, 0, sizeof(*out));
    bool staff = user != NULL && account_has_role(user, ROLE_STAFF);
    int64_t sum = 0;
    if (store_reviews_of_offering(conn, arena, offering_id, staff, 100, &out->items, &out->count) != DB_OK ||
        store_review_summary(conn, offering_id, &out->shown_count, &sum) != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    out->average_tenths = out->shown_count > 0 ? (sum * 10 + out->shown_count / 2) / out->shown_count : 0;
    return 0;
}
