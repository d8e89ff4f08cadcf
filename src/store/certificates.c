/* certificates.c — signed documents and the facts of a rotation; see certificates.h. */
#include "store/certificates.h"
#include "store/util.h"

#include <string.h>

#define CERTIFICATE_COLUMNS                                                                                   \
    "number, kind, subject_id, application_id, period, facts, signature, key_id, revoked_by, revoke_reason,"  \
    " issued_at, COALESCE(revoked_at, 0)"

static void read_certificate(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_certificate *c = item;
    memset(c, 0, sizeof(*c));
    c->number = store_column_dup(arena, st, 0);
    c->kind = store_column_dup(arena, st, 1);
    c->subject_id = store_column_dup(arena, st, 2);
    c->application_id = store_column_dup(arena, st, 3);
    c->period = store_column_dup(arena, st, 4);
    c->facts = store_column_dup(arena, st, 5);
    c->signature = store_column_dup(arena, st, 6);
    c->key_id = store_column_dup(arena, st, 7);
    c->revoked_by = store_column_dup(arena, st, 8);
    c->revoke_reason = store_column_dup(arena, st, 9);
    c->issued_at = db_column_int(st, 10);
    c->revoked_at = db_column_int(st, 11);
}

int store_certificate_insert(struct db_conn *conn, const struct store_certificate *c)
{
    static const char sql[] = "INSERT INTO certificates (number, kind, subject_id, application_id, period, facts,"
                              " signature, key_id, issued_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    struct db_stmt *st = db_prepare(conn, sql);
    db_bind_text(st, 1, c->number);
    db_bind_text(st, 2, c->kind);
    db_bind_text(st, 3, c->subject_id);
    db_bind_text(st, 4, c->application_id);
    db_bind_text(st, 5, c->period != NULL ? c->period : "");
    db_bind_text(st, 6, c->facts);
    db_bind_text(st, 7, c->signature);
    db_bind_text(st, 8, c->key_id);
    db_bind_int(st, 9, c->issued_at);
    int rc = db_step(st);
    db_reset(st);
    return rc == DB_DONE ? DB_OK : rc;
}

static int get_one(struct db_stmt *st, struct arena *arena, struct store_certificate *out)
{
    return store_read_one(arena, st, read_certificate, sizeof(*out), out);
}

int store_certificate_get(struct db_conn *conn, struct arena *arena, const char *number, struct store_certificate *out)
{
    static const char sql[] = "SELECT " CERTIFICATE_COLUMNS " FROM certificates WHERE number = $1";
    struct db_stmt *st = db_prepare(conn, sql);
    db_bind_text(st, 1, number);
    return get_one(st, arena, out);
}

int store_certificate_of_application(struct db_conn *conn, struct arena *arena, const char *application_id,
                                     const char *kind, struct store_certificate *out)
{
    static const char sql[] =
        "SELECT " CERTIFICATE_COLUMNS " FROM certificates WHERE application_id = $1 AND kind = $2";
    struct db_stmt *st = db_prepare(conn, sql);
    db_bind_text(st, 1, application_id);
    db_bind_text(st, 2, kind);
    return get_one(st, arena, out);
}

int store_certificate_of_period(struct db_conn *conn, struct arena *arena, const char *subject_id, const char *kind,
                                const char *period, struct store_certificate *out)
{
    static const char sql[] =
        "SELECT " CERTIFICATE_COLUMNS " FROM certificates WHERE subject_id = $1 AND kind = $2 AND period = $3";
    struct db_stmt *st = db_prepare(conn, sql);
    db_bind_text(st, 1, subject_id);
    db_bind_text(st, 2, kind);
    db_bind_text(st, 3, period);
    return get_one(st, arena, out);
}

int store_certificate_revoke(struct db_conn *conn, const char *number, const char *by, const char *reason,
                             int64_t now)
{
    static const char sql[] = "UPDATE certificates SET revoked_at = $1, revoked_by = $2, revoke_reason = $3"
                              " WHERE number = $4 AND revoked_at IS NULL";
    struct db_stmt *st = db_prepare(conn, sql);
    db_bind_int(st, 1, now);
    db_bind_text(st, 2, by);
    db_bind_text(st, 3, reason);
    db_bind_text(st, 4, number);
    return store_change_any(st);
}

int store_certificates_of_subject(struct db_conn *conn, struct arena *arena, const char *subject_id,
                                  int64_t after_issued_at, const char *after_number, int limit,
                                  struct store_certificate **out, size_t *count)
{
    static const char sql[] = "SELECT " CERTIFICATE_COLUMNS " FROM certificates WHERE subject_id = $1"
                              " AND (CAST($2 AS TEXT) IS NULL OR issued_at < $3 OR (issued_at = $3 AND number > $2))"
                              " ORDER BY issued_at DESC, number LIMIT $4";
    struct db_stmt *st = db_prepare(conn, sql);
    db_bind_text(st, 1, subject_id);
    db_bind_text(st, 2, after_number);
    db_bind_int(st, 3, after_issued_at);
    db_bind_int(st, 4, limit);
    return store_read_rows(arena, st, read_certificate, sizeof(**out), (void **)out, count);
}

int store_rotation_facts(struct db_conn *conn, struct arena *arena, const char *application_id,
                         struct store_rotation_facts *out)
{
    static const char sql[] =
        "SELECT a.id, a.status, a.student_id, u.name, o.id, o.title, o.kind, sp.name, org.name, org.id, s.city,"
        " s.state, s.address, p.name, p.npi, p.user_id, b.start_date, b.end_date, o.weeks, o.hours_per_week,"
        " COALESCE((SELECT SUM(h.minutes) FROM hours_entries h WHERE h.application_id = a.id"
        " AND h.state = 'confirmed'), 0)"
        " FROM applications a JOIN blocks b ON b.id = a.block_id JOIN offerings o ON o.id = b.offering_id"
        " JOIN sites s ON s.id = o.site_id JOIN preceptors p ON p.id = o.preceptor_id"
        " JOIN organizations org ON org.id = o.organization_id JOIN specialties sp ON sp.slug = o.specialty"
        " JOIN users u ON u.id = a.student_id WHERE a.id = $1";
    struct db_stmt *st = db_prepare(conn, sql);
    db_bind_text(st, 1, application_id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        memset(out, 0, sizeof(*out));
        const char **fields[] = {&out->application_id, &out->status,        &out->student_id,     &out->student_name,
                                 &out->offering_id,    &out->offering_title, &out->kind,           &out->specialty,
                                 &out->host_name,      &out->organization_id, &out->city,          &out->state,
                                 &out->address,        &out->preceptor_name, &out->preceptor_npi, &out->preceptor_user_id,
                                 &out->block_start,    &out->block_end};
        for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
            *fields[i] = store_column_dup(arena, st, (int)i);
        out->weeks = db_column_int(st, 18);
        out->hours_per_week = db_column_int(st, 19);
        out->confirmed_minutes = db_column_int(st, 20);
    }
    db_reset(st);
    return rc;
}
