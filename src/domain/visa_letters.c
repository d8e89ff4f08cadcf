/* visa_letters.c — B-1 visa invitation letters; see visa_letters.h. */
#include "domain/visa_letters.h"

#include <stdio.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/applications.h"
#include "domain/certificates.h"
#include "domain/notify.h"
#include "domain/validate.h"
#include "lib/buf.h"
#include "lib/certificate_number.h"
#include "lib/clock.h"
#include "lib/failpoint.h"
#include "lib/limits.h"
#include "lib/signed_document.h"

static bool booked(const struct store_application *a)
{
    enum application_status s = application_status_of(a);
    return s == APPLICATION_BOOKED || s == APPLICATION_CLEARED || s == APPLICATION_IN_PROGRESS;
}

static bool may_approve(const struct store_application *a, const struct store_user *user)
{
    return account_has_role(user, ROLE_STAFF) || account_is_member(user, a->organization_id, ROLE_HOST_COORDINATOR);
}

int visa_letter_request(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                        const char *application_id, const struct visa_letter_input *in, struct store_visa_letter *out,
                        struct error *err)
{
    struct store_application a;
    if (application_get_visible(conn, arena, application_id, user, "visa_letter", &a, err) != 0)
        return -1;
    if (strcmp(a.student_id, user->id) != 0 || !booked(&a))
        return error_set(err, ERR_NOT_FOUND, NULL, "visa letters are for your own booked rotations");
    if (visa_letter_input_check(in, err) != 0)
        return -1;
    int64_t now = clock_now();
    *out = (struct store_visa_letter){.application_id = a.id, .student_id = user->id,
                                      .passport_name = in->passport_name, .passport_number = in->passport_number,
                                      .nationality = in->nationality, .consulate_city = in->consulate_city,
                                      .state = "requested", .created_at = now, .updated_at = now};
    int rc = store_visa_letter_insert(conn, out);
    if (rc == DB_CONSTRAINT)
        return error_set(err, ERR_ALREADY_SUBMITTED, NULL, "you asked for this rotation's letter already");
    if (rc != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    store_audit_add(conn, user->id, AUDIT_VISA_LETTER_REQUEST, AUDIT_ON_VISA_LETTER, a.id, "", now);
    return 0;
}

/* The letter's signed facts. */
static const char *letter_facts(struct arena *arena, const struct store_rotation_facts *r,
                                const struct store_visa_letter *v, const char *number, const char *issued_on)
{
    char text[BUF_CAP_LINE];
    struct buf b;
    buf_init(&b, arena, SIGNED_FACTS_MAX_BYTES + 1);
    buf_append_str(&b, SIGNED_FACTS_HEADER "\n");
    certificate_fact_add(&b, "number", number);
    certificate_fact_add(&b, "kind", certificate_kind_name(CERTIFICATE_VISA_LETTER));
    certificate_fact_add(&b, "issued_on", issued_on);
    certificate_fact_add(&b, "student", v->passport_name);
    certificate_fact_add(&b, "passport_number", v->passport_number);
    certificate_fact_add(&b, "nationality", v->nationality);
    certificate_fact_add(&b, "consulate", v->consulate_city);
    certificate_fact_add(&b, "rotation", r->offering_title);
    certificate_fact_add(&b, "rotation_kind", offering_kind_label(offering_kind_parse(r->kind)));
    certificate_fact_add(&b, "specialty", r->specialty);
    certificate_fact_add(&b, "host", r->host_name);
    snprintf(text, sizeof(text), "%s%s%s, %s", r->address != NULL ? r->address : "",
             r->address != NULL && r->address[0] != '\0' ? ", " : "", r->city, r->state);
    certificate_fact_add(&b, "location", text);
    certificate_fact_add(&b, "preceptor", r->preceptor_name);
    certificate_fact_add(&b, "preceptor_npi", r->preceptor_npi);
    certificate_fact_add(&b, "start", r->block_start);
    certificate_fact_add(&b, "end", r->block_end);
    certificate_fact_add(&b, "employment", "None: an educational clinical rotation; the student is not employed "
                                           "and receives no salary or other pay from the host");
    certificate_fact_add(&b, "costs", "The student pays the tuition, travel, lodging and living costs");
    certificate_fact_add(&b, "verify_url", certificate_verify_url(number, text, sizeof(text)));
    return buf_ok(&b) && signed_facts_valid(b.data, b.len) ? b.data : NULL;
}

/* The writes of an approval, in one transaction: the letter marked issued,
 * its certificate, the audit line and the student's notice all happen, or
 * none does (a lost race or a crash between them leaves nothing half-done). */
struct approve_ctx {
    struct arena *arena;
    const struct store_user *user;
    const struct store_application *application;
    struct store_certificate *letter;
    int64_t now;
    struct error *err;
};

static int approve_tx(struct db_conn *conn, void *p)
{
    struct approve_ctx *c = p;
    const struct store_application *a = c->application;
    int rc = store_certificate_insert(conn, c->letter); /* first: the letter refers to it */
    failpoint("visa_letter_before_issued");
    if (rc == DB_OK)
        rc = store_visa_letter_issued(conn, a->id, c->user->id, c->letter->number, c->now);
    if (rc == DB_DONE) {
        error_set(c->err, ERR_CONFLICT, NULL, "the letter was issued already");
        return DB_CONSTRAINT; /* roll back the certificate: the error says why */
    }
    if (rc == DB_OK)
        rc = store_audit_add(conn, c->user->id, AUDIT_CERTIFICATE_ISSUE, AUDIT_ON_CERTIFICATE, c->letter->number, a->id,
                             c->now);
    if (rc != DB_OK)
        return rc;
    char link[128];
    snprintf(link, sizeof(link), "/applications/%s", a->id);
    struct recipient to = {a->student_id, a->student_email};
    notify(conn, c->arena, &to, "visa_letter", "Your visa invitation letter is ready to download", link, c->now);
    return DB_OK;
}

int visa_letter_approve(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                        const char *application_id, struct store_certificate *letter, struct error *err)
{
    struct visa_letter_view v;
    struct store_rotation_facts r;
    if (visa_letter_load(conn, arena, user, application_id, &v, err) != 0)
        return -1;
    if (!v.may_approve)
        return error_set(err, ERR_FORBIDDEN, NULL, "staff or the host's coordinators approve visa letters");
    if (!v.found)
        return error_set(err, ERR_NOT_FOUND, NULL, "the student has not asked for a visa letter");
    if (v.letter.certificate_number != NULL)
        return error_set(err, ERR_CONFLICT, NULL, "the letter was issued already");
    if (!signing_ready())
        return error_set(err, ERR_UNAVAILABLE, NULL, "documents cannot be signed: no signing key is loaded");
    if (store_rotation_facts(conn, arena, v.application.id, &r) != DB_ROW)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    int64_t now = clock_now();
    char number[CERTIFICATE_NUMBER_SIZE], issued_on[11];
    certificate_number_new(number);
    clock_date_from_days((int32_t)(now / 86400), issued_on);
    memset(letter, 0, sizeof(*letter));
    letter->number = arena_strdup(arena, number);
    letter->kind = certificate_kind_name(CERTIFICATE_VISA_LETTER);
    letter->subject_id = v.application.student_id;
    letter->application_id = v.application.id;
    letter->period = "";
    letter->issued_at = now;
    const char *facts = letter_facts(arena, &r, &v.letter, number, issued_on);
    if (facts == NULL || letter->number == NULL || certificate_sign(arena, facts, letter) != 0)
        return error_set(err, ERR_INTERNAL, NULL, NULL);
    struct approve_ctx c = {arena, user, &v.application, letter, now, err};
    err->code = ERR_NONE;
    int rc = db_run_tx(conn, true, approve_tx, &c);
    if (err->code != ERR_NONE)
        return -1;
    return rc == DB_OK ? 0 : error_set(err, ERR_UNAVAILABLE, NULL, NULL);
}

bool visa_letter_visible_to(const struct store_application *a, const struct store_user *user)
{
    return strcmp(a->student_id, user->id) == 0 || may_approve(a, user);
}

int visa_letter_load(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                     const char *application_id, struct visa_letter_view *out, struct error *err)
{
    memset(out, 0, sizeof(*out));
    if (application_get_visible(conn, arena, application_id, user, "visa_letter", &out->application, err) != 0)
        return -1;
    bool student = strcmp(out->application.student_id, user->id) == 0;
    out->may_approve = may_approve(&out->application, user);
    if (!visa_letter_visible_to(&out->application, user))
        return error_set(err, ERR_NOT_FOUND, NULL, "no such visa letter");
    int rc = store_visa_letter_get(conn, arena, out->application.id, &out->letter);
    if (rc != DB_ROW && rc != DB_DONE)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    out->found = rc == DB_ROW;
    out->may_request = student && !out->found && booked(&out->application);
    return 0;
}
