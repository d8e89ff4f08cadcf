/* teaching.c — the preceptor's teaching record and yearly teaching
 * certificate; see teaching.h. */
#include "domain/teaching.h"

#include <stdio.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/certificates.h"
#include "lib/buf.h"
#include "lib/certificate_number.h"
#include "lib/clock.h"
#include "lib/limits.h"
#include "lib/signed_document.h"
#include "store/applications.h"

static int this_year(void)
{
    char today[11];
    clock_today(today);
    return (today[0] - '0') * 1000 + (today[1] - '0') * 100 + (today[2] - '0') * 10 + (today[3] - '0');
}

int teaching_record_load(struct db_conn *conn, struct arena *arena, const struct store_user *user, int year,
                         struct teaching_record *out, struct error *err)
{
    memset(out, 0, sizeof(*out));
    if (!account_has_role(user, ROLE_PRECEPTOR))
        return error_set(err, ERR_FORBIDDEN, NULL, "the teaching record is a preceptor's");
    int now = this_year();
    if (year < TEACHING_FIRST_YEAR || year > now)
        return error_set(err, ERR_UNPROCESSABLE, "year", "must be a year from 2000 to this year");
    char from[16], to[16], period[16];
    snprintf(from, sizeof(from), "%04d-01-01", year);
    snprintf(to, sizeof(to), "%04d-12-31", year);
    snprintf(period, sizeof(period), "%04d", year);
    out->year = year;
    out->year_over = year < now;
    if (store_teaching_record(conn, arena, user->id, from, to, &out->totals) != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    if (out->totals.reviews > 0)
        out->review_average_tenths =
            (out->totals.review_overall_sum * 10 + out->totals.reviews / 2) / out->totals.reviews;
    int rc = store_certificate_of_period(conn, arena, user->id, certificate_kind_name(CERTIFICATE_TEACHING), period,
                                         &out->certificate);
    if (rc != DB_ROW && rc != DB_DONE)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    out->issued = rc == DB_ROW;
    return 0;
}

/* The signed facts of a year's teaching. */
static const char *teaching_facts(struct arena *arena, const struct store_user *user, const struct teaching_record *t,
                                  const char *number, const char *issued_on)
{
    char text[BUF_CAP_LINE];
    struct buf b;
    buf_init(&b, arena, SIGNED_FACTS_MAX_BYTES + 1);
    buf_append_str(&b, SIGNED_FACTS_HEADER "\n");
    certificate_fact_add(&b, "number", number);
    certificate_fact_add(&b, "kind", certificate_kind_name(CERTIFICATE_TEACHING));
    certificate_fact_add(&b, "issued_on", issued_on);
    certificate_fact_add(&b, "preceptor", t->totals.preceptor_name != NULL ? t->totals.preceptor_name : user->name);
    certificate_fact_add(&b, "preceptor_npi", t->totals.preceptor_npi != NULL ? t->totals.preceptor_npi : "");
    certificate_fact_add(&b, "specialty", t->totals.specialty != NULL ? t->totals.specialty : "");
    snprintf(text, sizeof(text), "%d", t->year);
    certificate_fact_add(&b, "year", text);
    snprintf(text, sizeof(text), "%lld", (long long)t->totals.students);
    certificate_fact_add(&b, "students", text);
    snprintf(text, sizeof(text), "%lld", (long long)t->totals.weeks);
    certificate_fact_add(&b, "teaching_weeks", text);
    certificate_fact_add(&b, "teaching_hours", certificate_hours_text(t->totals.confirmed_minutes, text, sizeof(text)));
    snprintf(text, sizeof(text), "%lld", (long long)t->totals.evaluations);
    certificate_fact_add(&b, "evaluations", text);
    certificate_fact_add(&b, "verify_url", certificate_verify_url(number, text, sizeof(text)));
    return buf_ok(&b) && signed_facts_valid(b.data, b.len) ? b.data : NULL;
}

int certificate_issue_teaching(struct db_conn *conn, struct arena *arena, const struct store_user *user, int year,
                               struct store_certificate *out, bool *created, struct error *err)
{
    struct teaching_record t;
    *created = false;
    if (teaching_record_load(conn, arena, user, year, &t, err) != 0)
        return -1;
    if (t.issued) {
        *out = t.certificate;
        return 0;
    }
    if (!t.year_over)
        return error_set(err, ERR_UNPROCESSABLE, "year", "the year's certificate is issued once the year is over");
    if (t.totals.rotations == 0)
        return error_set(err, ERR_CONFLICT, "year", "no rotation you supervised was completed that year");
    if (!signing_ready())
        return error_set(err, ERR_UNAVAILABLE, NULL, "documents cannot be signed: no signing key is loaded");
    int64_t now = clock_now();
    char number[CERTIFICATE_NUMBER_SIZE], issued_on[11], period[16];
    certificate_number_new(number);
    clock_date_from_days((int32_t)(now / 86400), issued_on);
    snprintf(period, sizeof(period), "%04d", year);
    memset(out, 0, sizeof(*out));
    out->number = arena_strdup(arena, number);
    out->kind = certificate_kind_name(CERTIFICATE_TEACHING);
    out->subject_id = user->id;
    out->period = arena_strdup(arena, period);
    out->issued_at = now;
    const char *facts = teaching_facts(arena, user, &t, number, issued_on);
    if (facts == NULL || out->number == NULL || out->period == NULL || certificate_sign(arena, facts, out) != 0)
        return error_set(err, ERR_INTERNAL, NULL, NULL);
    int rc = store_certificate_insert(conn, out);
    if (rc == DB_CONSTRAINT) /* issued meanwhile by another request: that one */
        return store_certificate_of_period(conn, arena, user->id, out->kind, period, out) == DB_ROW
                   ? 0
                   : error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    if (rc != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    store_audit_add(conn, user->id, AUDIT_CERTIFICATE_ISSUE, AUDIT_ON_CERTIFICATE, out->number, period, now);
    *created = true;
    return 0;
}
