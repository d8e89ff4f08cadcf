/* certificates.c — issuing, reading, verifying and revoking signed
 * documents; see certificates.h. */
#include "domain/certificates.h"

#include <stdio.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/applications.h"
#include "domain/catalog_index.h"
#include "domain/validate.h"
#include "lib/buf.h"
#include "lib/certificate_number.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/limits.h"
#include "lib/signed_document.h"
#include "views/signed_pdf.h"

static char public_url[512] = "http://127.0.0.1:8080";

void certificates_configure(const char *url)
{
    if (url != NULL && *url != '\0')
        snprintf(public_url, sizeof(public_url), "%s", url);
    size_t len = strlen(public_url);
    while (len > 0 && public_url[len - 1] == '/')
        public_url[--len] = '\0';
}

const char *certificate_verify_url(const char *number, char *out, size_t size)
{
    snprintf(out, size, "%s/verify/%s", public_url, number);
    return out;
}

/* ---- the facts ---- */

/* The labels of the facts shown on the page and the PDF, in that order. */
static const struct {
    const char *name, *label;
} fact_labels[] = {
    {"student", "Student"},
    {"rotation", "Rotation"},
    {"rotation_kind", "Kind"},
    {"specialty", "Specialty"},
    {"host", "Host"},
    {"location", "City and state"},
    {"preceptor", "Preceptor"},
    {"preceptor_npi", "Preceptor NPI"},
    {"start", "First day"},
    {"end", "Last day"},
    {"weeks", "Weeks"},
    {"confirmed_hours", "Confirmed hours"},
    {"year", "Year"},
    {"students", "Students supervised"},
    {"teaching_weeks", "Weeks of teaching"},
    {"teaching_hours", "Confirmed hours of teaching"},
    {"evaluations", "Evaluations completed"},
    {"passport_number", "Passport number"},
    {"nationality", "Nationality"},
    {"consulate", "U.S. consulate"},
    {"employment", "Employment"},
    {"costs", "Costs"},
    {"issued_on", "Issued"},
};

const char *certificate_hours_text(int64_t minutes, char *out, size_t size)
{
    /* Hours are logged in quarter hours: "36", "36.25", "36.5", "36.75". */
    long long whole = (long long)(minutes / 60), quarter = (long long)(minutes % 60) / 15;
    static const char *const fraction[] = {"", ".25", ".5", ".75"};
    snprintf(out, size, "%lld%s", whole, fraction[quarter & 3]);
    return out;
}

/* Appends "name=value\n", control characters in value turned into spaces. */
void certificate_fact_add(struct buf *b, const char *name, const char *value)
{
    buf_append_str(b, name);
    buf_append_char(b, '=');
    for (const char *p = value != NULL ? value : ""; *p != '\0'; p++)
        buf_append_char(b, (unsigned char)*p < 0x20 || *p == 0x7f ? ' ' : *p);
    buf_append_char(b, '\n');
}

static const char *completion_facts(struct arena *arena, const struct store_rotation_facts *r, const char *number,
                                    const char *issued_on)
{
    char text[BUF_CAP_LINE];
    struct buf b;
    buf_init(&b, arena, SIGNED_FACTS_MAX_BYTES + 1);
    buf_append_str(&b, SIGNED_FACTS_HEADER "\n");
    certificate_fact_add(&b, "number", number);
    certificate_fact_add(&b, "kind", certificate_kind_name(CERTIFICATE_COMPLETION));
    certificate_fact_add(&b, "issued_on", issued_on);
    certificate_fact_add(&b, "student", r->student_name);
    certificate_fact_add(&b, "rotation", r->offering_title);
    certificate_fact_add(&b, "rotation_kind", offering_kind_label(offering_kind_parse(r->kind)));
    certificate_fact_add(&b, "specialty", r->specialty);
    certificate_fact_add(&b, "host", r->host_name);
    snprintf(text, sizeof(text), "%s, %s", r->city, r->state);
    certificate_fact_add(&b, "location", text);
    certificate_fact_add(&b, "preceptor", r->preceptor_name);
    certificate_fact_add(&b, "preceptor_npi", r->preceptor_npi);
    certificate_fact_add(&b, "start", r->block_start);
    certificate_fact_add(&b, "end", r->block_end);
    snprintf(text, sizeof(text), "%lld", (long long)r->weeks);
    certificate_fact_add(&b, "weeks", text);
    certificate_fact_add(&b, "confirmed_hours", certificate_hours_text(r->confirmed_minutes, text, sizeof(text)));
    certificate_fact_add(&b, "verify_url", certificate_verify_url(number, text, sizeof(text)));
    return buf_ok(&b) && signed_facts_valid(b.data, b.len) ? b.data : NULL;
}

int certificate_sign(struct arena *arena, const char *facts, struct store_certificate *c)
{
    unsigned char sig[SIGNATURE_BYTES], key[SIGNING_PUBLIC_KEY_BYTES];
    char *sig_text = arena_alloc(arena, 96), *key_id = arena_alloc(arena, SIGNING_KEY_ID_SIZE);
    if (sig_text == NULL || key_id == NULL || signing_sign(facts, strlen(facts), sig) != 0)
        return -1;
    crypto_base64url_encode(sig, sizeof(sig), sig_text, 96);
    signing_public_key(key);
    signing_key_id(key, key_id);
    c->facts = facts;
    c->signature = sig_text;
    c->key_id = key_id;
    return 0;
}

/* ---- issuing ---- */

struct issue_ctx {
    struct arena *arena;
    const struct store_user *user;
    const char *application_id;
    struct store_certificate *out;
    bool created;
    struct error *err;
};

static int issue_tx(struct db_conn *conn, void *p)
{
    struct issue_ctx *c = p;
    struct store_rotation_facts r;
    c->created = false;
    int rc = store_certificate_of_application(conn, c->arena, c->application_id,
                                              certificate_kind_name(CERTIFICATE_COMPLETION), c->out);
    if (rc != DB_DONE)
        return rc == DB_ROW ? DB_OK : rc;
    rc = store_rotation_facts(conn, c->arena, c->application_id, &r);
    if (rc != DB_ROW)
        return rc == DB_DONE ? DB_ERROR : rc;
    if (application_status_parse(r.status) != APPLICATION_COMPLETED) {
        error_set(c->err, ERR_ROTATION_NOT_COMPLETED, NULL, "a certificate is issued once the rotation is completed");
        return DB_CONSTRAINT;
    }
    if (r.confirmed_minutes <= 0) {
        error_set(c->err, ERR_HOURS_NOT_CONFIRMED, NULL,
                  "a certificate states the confirmed hours: the preceptor has confirmed none in the hours log");
        return DB_CONSTRAINT;
    }
    int64_t now = clock_now();
    char number[CERTIFICATE_NUMBER_SIZE], issued_on[11];
    certificate_number_new(number);
    clock_date_from_days((int32_t)(now / 86400), issued_on);
    memset(c->out, 0, sizeof(*c->out));
    c->out->number = arena_strdup(c->arena, number);
    c->out->kind = certificate_kind_name(CERTIFICATE_COMPLETION);
    c->out->subject_id = r.student_id;
    c->out->application_id = r.application_id;
    c->out->period = "";
    c->out->issued_at = now;
    const char *facts = completion_facts(c->arena, &r, number, issued_on);
    if (facts == NULL || c->out->number == NULL || certificate_sign(c->arena, facts, c->out) != 0) {
        error_set(c->err, ERR_INTERNAL, NULL, NULL);
        return DB_CONSTRAINT;
    }
    rc = store_certificate_insert(conn, c->out);
    if (rc == DB_OK)
        rc = store_audit_add(conn, c->user->id, AUDIT_CERTIFICATE_ISSUE, AUDIT_ON_CERTIFICATE, number,
                             c->application_id, now);
    c->created = rc == DB_OK;
    return rc;
}

int certificate_issue_completion(struct db_conn *conn, struct arena *arena, const char *application_id,
                                 const struct store_user *user, struct store_certificate *out, bool *created,
                                 struct error *err)
{
    struct store_application a;
    *created = false;
    if (application_get_visible(conn, arena, application_id, user, "certificate", &a, err) != 0)
        return -1;
    if (!signing_ready())
        return error_set(err, ERR_UNAVAILABLE, NULL, "documents cannot be signed: no signing key is loaded");
    struct issue_ctx c = {.arena = arena, .user = user, .application_id = a.id, .out = out, .err = err};
    int rc = db_run_tx(conn, true, issue_tx, &c);
    if (rc == DB_CONSTRAINT && err->code == ERR_NONE) /* issued meanwhile by another request: that one */
        rc = store_certificate_of_application(conn, arena, a.id, certificate_kind_name(CERTIFICATE_COMPLETION),
                                              out) == DB_ROW
                 ? DB_OK
                 : DB_ERROR;
    if (rc != DB_OK)
        return err->code != ERR_NONE ? -1 : error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    *created = c.created;
    return 0;
}

int certificate_of_application(struct db_conn *conn, struct arena *arena, const char *application_id,
                               struct store_certificate *out)
{
    return store_certificate_of_application(conn, arena, application_id,
                                            certificate_kind_name(CERTIFICATE_COMPLETION), out);
}

int certificate_confirmed_minutes(struct db_conn *conn, struct arena *arena, const char *application_id,
                                  int64_t *minutes)
{
    struct store_rotation_facts r;
    int rc = store_rotation_facts(conn, arena, application_id, &r);
    *minutes = rc == DB_ROW ? r.confirmed_minutes : 0;
    return rc == DB_ROW ? 0 : -1;
}

/* ---- reading ---- */

/* Whether user may fetch c: its holder, staff, or the host side of its rotation. */
static bool may_fetch(struct db_conn *conn, struct arena *arena, const struct store_certificate *c,
                      const struct store_user *user)
{
    if (user == NULL)
        return false;
    if (strcmp(c->subject_id, user->id) == 0 || account_has_role(user, ROLE_STAFF))
        return true;
    struct store_application a;
    return c->application_id != NULL && store_application_get(conn, arena, c->application_id, &a) == DB_ROW &&
           application_host_side(&a, user);
}

int certificate_get_for(struct db_conn *conn, struct arena *arena, const char *number_text,
                        const struct store_user *user, struct store_certificate *out, struct error *err)
{
    char number[CERTIFICATE_NUMBER_SIZE];
    if (number_text == NULL || !certificate_number_parse(number_text, strlen(number_text), number))
        return error_set(err, ERR_NOT_FOUND, NULL, "no such certificate");
    int rc = store_certificate_get(conn, arena, number, out);
    if (rc != DB_ROW && rc != DB_DONE)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    if (rc == DB_DONE || !may_fetch(conn, arena, out, user))
        return error_set(err, ERR_NOT_FOUND, NULL, "no such certificate");
    return 0;
}

int certificate_list_for(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                         int64_t after_issued_at, const char *after_number, int limit,
                         struct store_certificate **out, size_t *count, struct error *err)
{
    if (store_certificates_of_subject(conn, arena, user->id, after_issued_at, after_number, limit, out, count) !=
        DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    return 0;
}

/* ---- revoking ---- */

struct revoke_ctx {
    const char *number, *by, *reason;
    int64_t now;
};

static int revoke_tx(struct db_conn *conn, void *p)
{
    const struct revoke_ctx *c = p;
    int rc = store_certificate_revoke(conn, c->number, c->by, c->reason, c->now);
    /* The change feed carries the number too: every instance drops the
     * /verify replies it kept of it (catalog_index_on_change). */
    if (rc == DB_OK)
        rc = store_catalog_changed(conn, c->number, c->now);
    if (rc == DB_OK)
        rc = store_audit_add(conn, c->by, AUDIT_CERTIFICATE_REVOKE, AUDIT_ON_CERTIFICATE, c->number, c->reason, c->now);
    return rc;
}

int certificate_revoke(struct db_conn *conn, struct arena *arena, const char *number_text,
                       const struct store_user *user, const char *reason, struct store_certificate *out,
                       struct error *err)
{
    if (!account_has_role(user, ROLE_STAFF))
        return error_set(err, ERR_FORBIDDEN, NULL, "only staff revoke documents");
    if (certificate_get_for(conn, arena, number_text, user, out, err) != 0)
        return -1;
    if (validate_text(reason, "reason", 1, REASON_MAX_CHARS, true, err) != 0)
        return -1;
    struct revoke_ctx c = {.number = out->number, .by = user->id, .reason = reason, .now = clock_now()};
    int rc = db_run_tx(conn, true, revoke_tx, &c);
    if (rc == DB_DONE)
        return error_set(err, ERR_ALREADY_REVOKED, NULL, "this document was revoked before");
    if (rc != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    catalog_index_sync(conn); /* this instance drops what it kept at once */
    return store_certificate_get(conn, arena, out->number, out) == DB_ROW ? 0
                                                                          : error_set(err, ERR_UNAVAILABLE, NULL, NULL);
}

/* ---- verifying ---- */

/* Whether the stored signature holds over the stored facts with this server's key. */
static bool signature_holds(const struct store_certificate *c)
{
    unsigned char sig[SIGNATURE_BYTES], key[SIGNING_PUBLIC_KEY_BYTES];
    if (!signing_ready() || c->signature == NULL || c->facts == NULL ||
        crypto_base64url_decode(c->signature, sig, sizeof(sig)) != (long)sizeof(sig))
        return false;
    signing_public_key(key);
    size_t len = strlen(c->facts);
    return signed_facts_valid(c->facts, len) && signing_verify(key, c->facts, len, sig);
}

int certificate_check_number(struct db_conn *conn, struct arena *arena, const char *number_text,
                             struct certificate_check *out, struct error *err)
{
    char number[CERTIFICATE_NUMBER_SIZE];
    memset(out, 0, sizeof(*out));
    out->verdict = CERTIFICATE_NOT_GENUINE;
    if (number_text == NULL || !certificate_number_parse(number_text, strlen(number_text), number))
        return 0;
    out->number = arena_strdup(arena, number);
    int rc = store_certificate_get(conn, arena, number, &out->cert);
    if (rc != DB_ROW && rc != DB_DONE)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    if (rc == DB_DONE || !signature_holds(&out->cert))
        return 0;
    out->verdict = out->cert.revoked_at != 0 ? CERTIFICATE_REVOKED : CERTIFICATE_GENUINE;
    return 0;
}

int certificate_facts_shown(struct arena *arena, const char *facts, struct certificate_fact **out, size_t *count)
{
    size_t n = sizeof(fact_labels) / sizeof(fact_labels[0]), len = facts != NULL ? strlen(facts) : 0;
    *count = 0;
    *out = arena_calloc(arena, n, sizeof(**out));
    if (*out == NULL)
        return -1;
    for (size_t i = 0; i < n && len > 0; i++) {
        char value[BUF_CAP_LINE];
        if (!signed_facts_get(facts, len, fact_labels[i].name, value, sizeof(value)))
            continue;
        struct certificate_fact *f = &(*out)[(*count)++];
        f->name = fact_labels[i].name;
        f->label = fact_labels[i].label;
        f->value = arena_strdup(arena, value);
    }
    return 0;
}

const char *certificate_heading(const char *kind)
{
    switch (certificate_kind_parse(kind)) {
    case CERTIFICATE_TEACHING:
        return "Teaching Certificate";
    case CERTIFICATE_VISA_LETTER:
        return "Invitation Letter";
    default:
        return "Certificate of Completion";
    }
}

/* ---- the PDF ---- */

static const char completion_intro[] =
    "This certifies that the student named below completed the clinical rotation described, arranged through "
    "Rounds with the host and preceptor named. The facts on this page are signed by Rounds.";
static const char visa_intro[] =
    "To the consular officer: the host named below invites the student named below, as in their passport, to "
    "an educational clinical rotation arranged through Rounds, on the dates stated. It is not employment. The "
    "facts on this page are signed by Rounds.";
static const char teaching_intro[] =
    "This certifies the clinical teaching recorded on Rounds by the physician named below in the year stated: "
    "the students supervised through to a completed rotation, with the hours they confirmed. The facts on this "
    "page are signed by Rounds.";

int certificate_pdf(struct arena *arena, const struct store_certificate *c, unsigned char **pdf, size_t *len)
{
    struct certificate_fact *facts;
    size_t count = 0;
    unsigned char sig[SIGNATURE_BYTES];
    size_t facts_len = strlen(c->facts);
    if (certificate_facts_shown(arena, c->facts, &facts, &count) != 0 ||
        crypto_base64url_decode(c->signature, sig, sizeof(sig)) != (long)sizeof(sig))
        return -1;
    struct signed_pdf_line *lines = arena_calloc(arena, count > 0 ? count : 1, sizeof(*lines));
    size_t marker_size = signed_marker_length(facts_len) + 1;
    char *marker = arena_alloc(arena, marker_size);
    char issued_on[11] = "", verify_url[BUF_CAP_LINE] = "";
    if (lines == NULL || marker == NULL || signed_marker_write(c->facts, facts_len, sig, marker, marker_size) != 0)
        return -1;
    for (size_t i = 0; i < count; i++)
        lines[i] = (struct signed_pdf_line){facts[i].label, facts[i].value};
    signed_facts_get(c->facts, facts_len, "issued_on", issued_on, sizeof(issued_on));
    signed_facts_get(c->facts, facts_len, "verify_url", verify_url, sizeof(verify_url));
    struct signed_pdf doc = {
        .heading = certificate_heading(c->kind),
        .intro = certificate_kind_parse(c->kind) == CERTIFICATE_TEACHING      ? teaching_intro
                 : certificate_kind_parse(c->kind) == CERTIFICATE_VISA_LETTER ? visa_intro
                                                                              : completion_intro,
        .lines = lines,
        .line_count = count,
        .number = c->number,
        .verify_url = verify_url,
        .marker = marker,
        .issued_on = issued_on,
        .title = certificate_heading(c->kind),
    };
    return signed_pdf_render(&doc, arena, pdf, len);
}
