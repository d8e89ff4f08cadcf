/* catalog.c — sites, preceptors, offerings and blocks; the change feed and
 * the view of the catalog that the search index loads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/clock.h"
#include "lib/limits.h"
#include "store/store.h"
#include "store/util.h"

/* ---- sites ---- */

int store_site_insert(struct db_conn *conn, const struct store_site *s)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO sites (id, organization_id, name, address, city, state, zip,"
                                          " time_zone, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)");
    db_bind_text(st, 1, s->id);
    db_bind_text(st, 2, s->organization_id);
    db_bind_text(st, 3, s->name);
    db_bind_text(st, 4, s->address != NULL ? s->address : "");
    db_bind_text(st, 5, s->city);
    db_bind_text(st, 6, s->state);
    db_bind_text(st, 7, s->zip);
    db_bind_text(st, 8, s->time_zone);
    db_bind_int(st, 9, s->created_at);
    return store_run(st);
}

#define SITE_COLUMNS "id, organization_id, name, address, city, state, zip, time_zone, created_at"

static void read_site(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_site *s = item;
    s->id = store_column_dup(arena, st, 0);
    s->organization_id = store_column_dup(arena, st, 1);
    s->name = store_column_dup(arena, st, 2);
    s->address = store_column_dup(arena, st, 3);
    s->city = store_column_dup(arena, st, 4);
    s->state = store_column_dup(arena, st, 5);
    s->zip = store_column_dup(arena, st, 6);
    s->time_zone = store_column_dup(arena, st, 7);
    s->created_at = db_column_int(st, 8);
}

int store_site_get(struct db_conn *conn, struct arena *arena, const char *id, struct store_site *out)
{
    struct db_stmt *st = db_prepare(conn, "SELECT " SITE_COLUMNS " FROM sites WHERE id = $1");
    db_bind_text(st, 1, id);
    return store_read_one(arena, st, read_site, sizeof(*out), out);
}

int store_sites_list(struct db_conn *conn, struct arena *arena, const char *organization_ids, const char *after_id,
                     int limit, struct store_site **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT " SITE_COLUMNS " FROM sites"
                                          " WHERE (CAST($1 AS TEXT) IS NULL"
                                          " OR (',' || $1 || ',') LIKE ('%,' || organization_id || ',%'))"
                                          " AND id > $2 ORDER BY id LIMIT $3");
    db_bind_text(st, 1, organization_ids);
    db_bind_text(st, 2, after_id != NULL ? after_id : "");
    db_bind_int(st, 3, limit);
    return store_read_rows(arena, st, read_site, sizeof(**out), (void **)out, count);
}


int store_site_update(struct db_conn *conn, struct arena *arena, const struct store_site *s, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE sites SET name = $2, address = $3, city = $4, state = $5, zip = $6,"
                                          " time_zone = $7 WHERE id = $1");
    db_bind_text(st, 1, s->id);
    db_bind_text(st, 2, s->name);
    db_bind_text(st, 3, s->address != NULL ? s->address : "");
    db_bind_text(st, 4, s->city);
    db_bind_text(st, 5, s->state);
    db_bind_text(st, 6, s->zip);
    db_bind_text(st, 7, s->time_zone);
    int rc = db_step(st);
    int changed = db_changes(st);
    db_reset(st);
    if (rc != DB_DONE)
        return rc;
    if (changed == 0)
        return DB_DONE;
    st = db_prepare(conn, "SELECT id FROM offerings WHERE site_id = $1 ORDER BY id");
    db_bind_text(st, 1, s->id);
    const char **ids = NULL;
    size_t count = 0;
    rc = store_read_ids(arena, st, &ids, &count);
    if (rc != DB_OK)
        return rc;
    /* A site's name or place changed: its offerings go to the change feed. */
    for (size_t i = 0; i < count; i++) {
        rc = store_catalog_changed(conn, ids[i], now);
        if (rc != DB_OK)
            return rc;
    }
    return DB_OK;
}

/* ---- organisations ---- */

int store_organizations_list(struct db_conn *conn, struct arena *arena, const char *kind, const char *after_id,
                             int limit, struct store_organization **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT " STORE_ORGANIZATION_COLUMNS " FROM organizations"
                                          " WHERE (CAST($1 AS TEXT) IS NULL OR kind = $1) AND id > $2"
                                          " ORDER BY id LIMIT $3");
    db_bind_text(st, 1, kind);
    db_bind_text(st, 2, after_id != NULL ? after_id : "");
    db_bind_int(st, 3, limit);
    return store_read_rows(arena, st, store_read_organization, sizeof(**out), (void **)out, count);
}

/* ---- preceptors ---- */

int store_preceptor_insert(struct db_conn *conn, const struct store_preceptor *p)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO preceptors (id, organization_id, user_id, name, email, npi,"
                                          " specialty, license_state, license_number, license_expires, board_status,"
                                          " verified, created_at)"
                                          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)");
    db_bind_text(st, 1, p->id);
    db_bind_text(st, 2, p->organization_id);
    db_bind_text(st, 3, p->user_id);
    db_bind_text(st, 4, p->name);
    db_bind_text(st, 5, p->email);
    db_bind_text(st, 6, p->npi);
    db_bind_text(st, 7, p->specialty);
    db_bind_text(st, 8, p->license_state);
    db_bind_text(st, 9, p->license_number);
    db_bind_text(st, 10, p->license_expires);
    db_bind_text(st, 11, p->board_status != NULL ? p->board_status : "certified");
    db_bind_int(st, 12, p->verified ? 1 : 0);
    db_bind_int(st, 13, p->created_at);
    return store_run(st);
}

#define PRECEPTOR_COLUMNS                                                                                     \
    "id, organization_id, user_id, name, email, npi, specialty, license_state, license_number, license_expires," \
    " board_status, verified, created_at"

static void read_preceptor(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_preceptor *p = item;
    p->id = store_column_dup(arena, st, 0);
    p->organization_id = store_column_dup(arena, st, 1);
    p->user_id = store_column_dup(arena, st, 2);
    p->name = store_column_dup(arena, st, 3);
    p->email = store_column_dup(arena, st, 4);
    p->npi = store_column_dup(arena, st, 5);
    p->specialty = store_column_dup(arena, st, 6);
    p->license_state = store_column_dup(arena, st, 7);
    p->license_number = store_column_dup(arena, st, 8);
    p->license_expires = store_column_dup(arena, st, 9);
    p->board_status = store_column_dup(arena, st, 10);
    p->verified = db_column_int(st, 11) != 0;
    p->created_at = db_column_int(st, 12);
}

int store_preceptor_get(struct db_conn *conn, struct arena *arena, const char *id, struct store_preceptor *out)
{
    struct db_stmt *st = db_prepare(conn, "SELECT " PRECEPTOR_COLUMNS " FROM preceptors WHERE id = $1");
    db_bind_text(st, 1, id);
    return store_read_one(arena, st, read_preceptor, sizeof(*out), out);
}

int store_preceptor_by_npi(struct db_conn *conn, struct arena *arena, const char *npi, struct store_preceptor *out)
{
    struct db_stmt *st = db_prepare(conn, "SELECT " PRECEPTOR_COLUMNS " FROM preceptors WHERE npi = $1");
    db_bind_text(st, 1, npi);
    return store_read_one(arena, st, read_preceptor, sizeof(*out), out);
}

int store_preceptors_list(struct db_conn *conn, struct arena *arena, const char *organization_ids,
                          const char *after_id, int limit, struct store_preceptor **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT " PRECEPTOR_COLUMNS " FROM preceptors"
                                          " WHERE (CAST($1 AS TEXT) IS NULL"
                                          " OR (',' || $1 || ',') LIKE ('%,' || organization_id || ',%'))"
                                          " AND id > $2 ORDER BY id LIMIT $3");
    db_bind_text(st, 1, organization_ids);
    db_bind_text(st, 2, after_id != NULL ? after_id : "");
    db_bind_int(st, 3, limit);
    return store_read_rows(arena, st, read_preceptor, sizeof(**out), (void **)out, count);
}

/* Verification shows on every offering of the preceptor: all go to the change feed. */
int store_preceptor_set_verified(struct db_conn *conn, const char *id, bool verified, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE preceptors SET verified = $2, verified_at = $3 WHERE id = $1");
    db_bind_text(st, 1, id);
    db_bind_int(st, 2, verified ? 1 : 0);
    if (verified)
        db_bind_int(st, 3, now);
    else
        db_bind_null(st, 3);
    int rc = store_run(st);
    if (rc != DB_OK)
        return rc;
    st = db_prepare(conn, "INSERT INTO catalog_changes (offering_id, at) SELECT id, $2 FROM offerings WHERE preceptor_id = $1");
    db_bind_text(st, 1, id);
    db_bind_int(st, 2, now);
    return store_run(st);
}

int store_preceptor_set_license_expires(struct db_conn *conn, const char *id, const char *license_expires)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE preceptors SET license_expires = $2 WHERE id = $1");
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, license_expires);
    return store_run(st);
}

int store_preceptors_expired(struct db_conn *conn, struct arena *arena, const char *today, const char ***ids,
                             size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT id FROM preceptors WHERE verified = 1 AND license_expires IS NOT NULL"
                                          " AND license_expires <= $1 ORDER BY id LIMIT 1000");
    db_bind_text(st, 1, today);
    return store_read_ids(arena, st, ids, count);
}

int store_preceptor_ids_of_user(struct db_conn *conn, struct arena *arena, const char *user_id, const char ***out,
                                size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT id FROM preceptors WHERE user_id = $1 ORDER BY id");
    db_bind_text(st, 1, user_id);
    return store_read_ids(arena, st, out, count);
}

/* ---- offerings ---- */

/* Binds the writable columns in the order of both INSERT and UPDATE below. */
static void bind_offering(struct db_stmt *st, const struct store_offering *o)
{
    db_bind_text(st, 1, o->id);
    db_bind_text(st, 2, o->organization_id);
    db_bind_text(st, 3, o->site_id);
    db_bind_text(st, 4, o->preceptor_id);
    db_bind_text(st, 5, o->title);
    db_bind_text(st, 6, o->specialty);
    db_bind_text(st, 7, o->kind);
    db_bind_text(st, 8, o->setting);
    db_bind_int(st, 9, o->weeks);
    db_bind_int(st, 10, o->hours_per_week);
    db_bind_int(st, 11, o->tuition_cents);
    db_bind_int(st, 12, o->application_fee_cents);
    db_bind_int(st, 13, o->deposit_cents);
    db_bind_int(st, 14, o->students_allowed);
    db_bind_int(st, 15, o->graduates_allowed);
    db_bind_int(st, 16, o->step1_required);
    if (o->max_years_since_graduation >= 0)
        db_bind_int(st, 17, o->max_years_since_graduation);
    else
        db_bind_null(st, 17);
    db_bind_text(st, 18, o->visa_kinds != NULL ? o->visa_kinds : "");
    db_bind_int(st, 19, o->english_proof_required);
    db_bind_int(st, 20, o->lor_customary);
    db_bind_text(st, 21, o->description != NULL ? o->description : "");
    db_bind_text(st, 22, o->first_day != NULL ? o->first_day : "");
    db_bind_text(st, 23, o->refund_policy != NULL ? o->refund_policy : "");
    db_bind_text(st, 24, o->requirements != NULL ? o->requirements : "");
    db_bind_text(st, 25, o->status != NULL ? o->status : "published");
    db_bind_int(st, 26, o->created_at);
    db_bind_int(st, 27, o->updated_at);
    db_bind_int(st, 28, o->deposit_percent);
    db_bind_int(st, 29, o->balance_due_days);
    db_bind_int(st, 30, o->requires_affiliation);
    const struct store_first_day *f = &o->first_day_fields;
    const char *fields[] = {f->address, f->time, f->ask_for, f->dress_code, f->transport, f->bring};
    for (int i = 0; i < 6; i++)
        db_bind_text(st, 31 + i, fields[i] != NULL ? fields[i] : "");
}

int store_catalog_changed(struct db_conn *conn, const char *offering_id, int64_t now)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO catalog_changes (offering_id, at) VALUES ($1, $2)");
    db_bind_text(st, 1, offering_id);
    db_bind_int(st, 2, now);
    return store_run(st);
}

/* A host-wide requirement shows on every offering of the host. */
int store_catalog_host_changed(struct db_conn *conn, const char *organization_id, int64_t now)
{
    struct db_stmt *st =
        db_prepare(conn, "INSERT INTO catalog_changes (offering_id, at) SELECT id, $2 FROM offerings WHERE organization_id = $1");
    db_bind_text(st, 1, organization_id);
    db_bind_int(st, 2, now);
    return store_run(st);
}

int store_offering_insert(struct db_conn *conn, const struct store_offering *o)
{
    struct db_stmt *st = db_prepare(
        conn, "INSERT INTO offerings (id, organization_id, site_id, preceptor_id, title, specialty, kind, setting,"
              " weeks, hours_per_week, tuition_cents, application_fee_cents, deposit_cents, students_allowed,"
              " graduates_allowed, step1_required, max_years_since_graduation, visa_kinds, english_proof_required,"
              " lor_customary, description, first_day, refund_policy, requirements, status, created_at,"
              " updated_at, deposit_percent, balance_due_days, requires_affiliation, first_day_address, first_day_time,"
              " first_day_ask_for, first_day_dress_code, first_day_transport, first_day_bring) VALUES ($1, $2, $3, $4,"
              " $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25,"
              " $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36)");
    bind_offering(st, o);
    int rc = store_run(st);
    if (rc == DB_OK)
        rc = store_catalog_changed(conn, o->id, o->updated_at);
    return rc;
}

int store_offering_update(struct db_conn *conn, const struct store_offering *o)
{
    struct db_stmt *st = db_prepare(
        conn, "UPDATE offerings SET organization_id = $2, site_id = $3, preceptor_id = $4, title = $5,"
              " specialty = $6, kind = $7, setting = $8, weeks = $9, hours_per_week = $10, tuition_cents = $11,"
              " application_fee_cents = $12, deposit_cents = $13, students_allowed = $14, graduates_allowed = $15,"
              " step1_required = $16, max_years_since_graduation = $17, visa_kinds = $18,"
              " english_proof_required = $19, lor_customary = $20, description = $21, first_day = $22,"
              " refund_policy = $23, requirements = $24, status = $25, created_at = $26, updated_at = $27,"
              " deposit_percent = $28, balance_due_days = $29, requires_affiliation = $30, first_day_address = $31,"
              " first_day_time = $32, first_day_ask_for = $33, first_day_dress_code = $34, first_day_transport = $35,"
              " first_day_bring = $36 WHERE id = $1");
    bind_offering(st, o);
    int rc = store_run(st);
    if (rc == DB_OK)
        rc = store_catalog_changed(conn, o->id, o->updated_at);
    return rc;
}

#define OFFERING_SELECT                                                                                        \
    "SELECT o.id, o.organization_id, o.site_id, o.preceptor_id, o.title, o.specialty, o.kind, o.setting,"     \
    " o.weeks, o.hours_per_week, o.tuition_cents, o.application_fee_cents, o.deposit_cents,"                  \
    " o.students_allowed, o.graduates_allowed, o.step1_required,"                                             \
    " COALESCE(o.max_years_since_graduation, -1), o.visa_kinds, o.english_proof_required, o.lor_customary,"   \
    " o.description, o.first_day, o.refund_policy, o.requirements, o.status, o.created_at,"                   \
    " o.updated_at, org.name, s.name, s.address, s.city, s.state, s.zip, s.time_zone, p.name, p.specialty,"   \
    " p.board_status, p.user_id, p.verified, o.deposit_percent, o.balance_due_days, o.requires_affiliation,"   \
    " o.first_day_address, o.first_day_time, o.first_day_ask_for, o.first_day_dress_code,"                    \
    " o.first_day_transport, o.first_day_bring"                                                               \
    " FROM offerings o JOIN organizations org ON org.id = o.organization_id"                                  \
    " JOIN sites s ON s.id = o.site_id JOIN preceptors p ON p.id = o.preceptor_id "

static void read_offering(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_offering *o = item;
    o->id = store_column_dup(arena, st, 0);
    o->organization_id = store_column_dup(arena, st, 1);
    o->site_id = store_column_dup(arena, st, 2);
    o->preceptor_id = store_column_dup(arena, st, 3);
    o->title = store_column_dup(arena, st, 4);
    o->specialty = store_column_dup(arena, st, 5);
    o->kind = store_column_dup(arena, st, 6);
    o->setting = store_column_dup(arena, st, 7);
    o->weeks = db_column_int(st, 8);
    o->hours_per_week = db_column_int(st, 9);
    o->tuition_cents = db_column_int(st, 10);
    o->application_fee_cents = db_column_int(st, 11);
    o->deposit_cents = db_column_int(st, 12);
    o->students_allowed = db_column_int(st, 13) != 0;
    o->graduates_allowed = db_column_int(st, 14) != 0;
    o->step1_required = db_column_int(st, 15) != 0;
    o->max_years_since_graduation = db_column_int(st, 16);
    o->visa_kinds = store_column_dup(arena, st, 17);
    o->english_proof_required = db_column_int(st, 18) != 0;
    o->lor_customary = db_column_int(st, 19) != 0;
    o->description = store_column_dup(arena, st, 20);
    o->first_day = store_column_dup(arena, st, 21);
    o->refund_policy = store_column_dup(arena, st, 22);
    o->requirements = store_column_dup(arena, st, 23);
    o->status = store_column_dup(arena, st, 24);
    o->created_at = db_column_int(st, 25);
    o->updated_at = db_column_int(st, 26);
    o->host_name = store_column_dup(arena, st, 27);
    o->site_name = store_column_dup(arena, st, 28);
    o->site_address = store_column_dup(arena, st, 29);
    o->site_city = store_column_dup(arena, st, 30);
    o->site_state = store_column_dup(arena, st, 31);
    o->site_zip = store_column_dup(arena, st, 32);
    o->site_time_zone = store_column_dup(arena, st, 33);
    o->preceptor_name = store_column_dup(arena, st, 34);
    o->preceptor_specialty = store_column_dup(arena, st, 35);
    o->preceptor_board_status = store_column_dup(arena, st, 36);
    o->preceptor_user_id = store_column_dup(arena, st, 37);
    o->preceptor_verified = db_column_int(st, 38) != 0;
    o->deposit_percent = db_column_int(st, 39);
    o->balance_due_days = db_column_int(st, 40);
    o->requires_affiliation = db_column_int(st, 41) != 0;
    struct store_first_day *f = &o->first_day_fields;
    f->address = store_column_dup(arena, st, 42);
    f->time = store_column_dup(arena, st, 43);
    f->ask_for = store_column_dup(arena, st, 44);
    f->dress_code = store_column_dup(arena, st, 45);
    f->transport = store_column_dup(arena, st, 46);
    f->bring = store_column_dup(arena, st, 47);
}

int store_offering_get(struct db_conn *conn, struct arena *arena, const char *id, struct store_offering *out)
{
    struct db_stmt *st = db_prepare(conn, OFFERING_SELECT "WHERE o.id = $1");
    db_bind_text(st, 1, id);
    return store_read_one(arena, st, read_offering, sizeof(*out), out);
}

int store_offerings_list(struct db_conn *conn, struct arena *arena, const char *organization_id,
                         const char *preceptor_user_id, const char *after_id, int limit,
                         struct store_offering **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, OFFERING_SELECT "WHERE (CAST($1 AS TEXT) IS NULL OR o.organization_id = $1)"
                                                          " AND (CAST($2 AS TEXT) IS NULL OR p.user_id = $2)"
                                                          " AND o.id > $3 ORDER BY o.id LIMIT $4");
    db_bind_text(st, 1, organization_id);
    db_bind_text(st, 2, preceptor_user_id);
    db_bind_text(st, 3, after_id != NULL ? after_id : "");
    db_bind_int(st, 4, limit);
    return store_read_rows(arena, st, read_offering, sizeof(**out), (void **)out, count);
}

/* ---- blocks ---- */

int store_block_insert(struct db_conn *conn, const struct store_block *b)
{
    struct db_stmt *st = db_prepare(conn, "INSERT INTO blocks (id, offering_id, start_date, end_date, seats,"
                                          " seats_taken, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)");
    db_bind_text(st, 1, b->id);
    db_bind_text(st, 2, b->offering_id);
    db_bind_text(st, 3, b->start_date);
    db_bind_text(st, 4, b->end_date);
    db_bind_int(st, 5, b->seats);
    db_bind_int(st, 6, b->seats_taken);
    db_bind_int(st, 7, b->created_at);
    int rc = store_run(st);
    return rc == DB_OK ? store_catalog_changed(conn, b->offering_id, b->created_at) : rc;
}

int store_block_update(struct db_conn *conn, const struct store_block *b)
{
    struct db_stmt *st = db_prepare(conn, "UPDATE blocks SET start_date = $2, end_date = $3, seats = $4"
                                          " WHERE id = $1 AND seats_taken + seats_reserved <= $4");
    db_bind_text(st, 1, b->id);
    db_bind_text(st, 2, b->start_date);
    db_bind_text(st, 3, b->end_date);
    db_bind_int(st, 4, b->seats);
    int rc = db_step(st);
    int changed = db_changes(st);
    db_reset(st);
    if (rc != DB_DONE)
        return rc;
    if (changed == 0)
        return DB_CONSTRAINT;
    return store_catalog_changed(conn, b->offering_id, clock_now());
}

#define BLOCK_COLUMNS "id, offering_id, start_date, end_date, seats, seats_taken, created_at, seats_reserved"

static void read_block(struct arena *arena, struct db_stmt *st, void *item)
{
    struct store_block *b = item;
    b->id = store_column_dup(arena, st, 0);
    b->offering_id = store_column_dup(arena, st, 1);
    b->start_date = store_column_dup(arena, st, 2);
    b->end_date = store_column_dup(arena, st, 3);
    b->seats = db_column_int(st, 4);
    b->seats_taken = db_column_int(st, 5);
    b->seats_reserved = db_column_int(st, 7);
    b->created_at = db_column_int(st, 6);
}

int store_block_get(struct db_conn *conn, struct arena *arena, const char *id, struct store_block *out)
{
    struct db_stmt *st = db_prepare(conn, "SELECT " BLOCK_COLUMNS " FROM blocks WHERE id = $1");
    db_bind_text(st, 1, id);
    return store_read_one(arena, st, read_block, sizeof(*out), out);
}

int store_blocks_of_offering(struct db_conn *conn, struct arena *arena, const char *offering_id,
                             struct store_block **out, size_t *count)
{
    struct db_stmt *st = db_prepare(conn, "SELECT " BLOCK_COLUMNS " FROM blocks WHERE offering_id = $1"
                                          " ORDER BY start_date, id");
    db_bind_text(st, 1, offering_id);
    return store_read_rows(arena, st, read_block, sizeof(**out), (void **)out, count);
}

/* ---- the search index's view ---- */

/* The seats of a block the search counts as taken: held or booked, and those
 * offered to someone from its waitlist (free for nobody else).
 * serves: waitlist_by_block (block_id, position) for each block */
#define INDEX_SEATS_TAKEN                                                                                       \
    "seats_taken + seats_reserved + (SELECT COUNT(*) FROM waitlist w JOIN applications a ON a.id = w.application_id"         \
    " WHERE w.block_id = blocks.id AND w.status = 'offered' AND a.status = 'offered')"

/* With each offering, its shown reviews' number and overall sum.
 * serves: reviews_by_offering (offering_id, created_at) twice per offering */
#define INDEX_OFFERING_SELECT                                                                                   \
    "SELECT o.id, o.title, o.specialty, o.kind, org.name, s.city, s.state, o.visa_kinds, o.status, o.weeks,"   \
    " o.tuition_cents, COALESCE(o.max_years_since_graduation, -1), o.students_allowed, o.graduates_allowed,"   \
    " o.step1_required, o.english_proof_required, p.verified, o.organization_id, o.description, p.name,"      \
    " (SELECT COUNT(*) FROM reviews r WHERE r.offering_id = o.id AND r.hidden_at IS NULL),"                     \
    " (SELECT COALESCE(SUM(r.overall), 0) FROM reviews r WHERE r.offering_id = o.id AND r.hidden_at IS NULL),"  \
    " o.requires_affiliation"                                                                                   \
    " FROM offerings o JOIN organizations org ON org.id = o.organization_id"                                  \
    " JOIN sites s ON s.id = o.site_id JOIN preceptors p ON p.id = o.preceptor_id"

static void read_index_offering(struct db_stmt *st, struct store_index_offering *o)
{
    o->id = db_column_text(st, 0);
    o->title = db_column_text(st, 1);
    o->specialty = db_column_text(st, 2);
    o->kind = db_column_text(st, 3);
    o->host_name = db_column_text(st, 4);
    o->city = db_column_text(st, 5);
    o->state = db_column_text(st, 6);
    o->visa_kinds = db_column_text(st, 7);
    o->status = db_column_text(st, 8);
    o->weeks = db_column_int(st, 9);
    o->tuition_cents = db_column_int(st, 10);
    o->max_years_since_graduation = db_column_int(st, 11);
    o->students_allowed = db_column_int(st, 12) != 0;
    o->graduates_allowed = db_column_int(st, 13) != 0;
    o->step1_required = db_column_int(st, 14) != 0;
    o->english_proof_required = db_column_int(st, 15) != 0;
    o->preceptor_verified = db_column_int(st, 16) != 0;
    o->host_id = db_column_text(st, 17);
    o->description = db_column_text(st, 18);
    o->preceptor_name = db_column_text(st, 19);
    o->review_count = db_column_int(st, 20);
    o->review_overall_sum = db_column_int(st, 21);
    o->requires_affiliation = db_column_int(st, 22) != 0;
}

/* Streams the rows of st to on_offering; the last id read goes to last_id (a
 * copy of at most size bytes) and the row count to *rows. */
static int stream_offerings(struct db_stmt *st, void (*on_offering)(void *, const struct store_index_offering *),
                            void *ctx, char *last_id, size_t size, int *rows)
{
    int rc;
    *rows = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        struct store_index_offering o;
        read_index_offering(st, &o);
        on_offering(ctx, &o);
        if (last_id != NULL && o.id != NULL)
            snprintf(last_id, size, "%s", o.id);
        (*rows)++;
    }
    db_reset(st);
    return rc == DB_DONE ? DB_OK : rc;
}

static int stream_blocks(struct db_stmt *st, void (*on_block)(void *, const struct store_index_block *), void *ctx)
{
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        struct store_index_block b = {db_column_text(st, 0), db_column_text(st, 1), db_column_text(st, 2),
                                      db_column_int(st, 3), db_column_int(st, 4)};
        on_block(ctx, &b);
    }
    db_reset(st);
    return rc == DB_DONE ? DB_OK : rc;
}

/* Offerings read per page of the whole load: a page's rows are all a
 * PostgreSQL result ever holds in memory. */
enum { INDEX_LOAD_PAGE = 2000 };

/* The whole catalog, a page of offerings (in id order) at a time, each page
 * followed by its blocks. */
static int load_all(struct db_conn *conn, const char *today,
                    void (*on_offering)(void *ctx, const struct store_index_offering *o),
                    void (*on_block)(void *ctx, const struct store_index_block *b), void *ctx)
{
    char after[128] = "", last[128] = "";
    for (;;) {
        struct db_stmt *st = db_prepare(conn, INDEX_OFFERING_SELECT " WHERE o.id > $1 ORDER BY o.id LIMIT $2");
        db_bind_text(st, 1, after);
        db_bind_int(st, 2, INDEX_LOAD_PAGE);
        int rows = 0;
        int rc = stream_offerings(st, on_offering, ctx, last, sizeof(last), &rows);
        if (rc != DB_OK || rows == 0)
            return rc;
        /* serves: blocks_by_offering (offering_id, start_date) */
        st = db_prepare(conn, "SELECT offering_id, start_date, end_date, seats, " INDEX_SEATS_TAKEN " FROM blocks"
                              " WHERE offering_id > $1 AND offering_id <= $2 AND start_date >= $3"
                              " ORDER BY offering_id, start_date");
        db_bind_text(st, 1, after);
        db_bind_text(st, 2, last);
        db_bind_text(st, 3, today);
        rc = stream_blocks(st, on_block, ctx);
        if (rc != DB_OK || rows < INDEX_LOAD_PAGE)
            return rc;
        memcpy(after, last, sizeof(after));
    }
}

int store_index_load(struct db_conn *conn, const char *const *ids, size_t id_count, const char *today,
                     void (*on_offering)(void *ctx, const struct store_index_offering *o),
                     void (*on_block)(void *ctx, const struct store_index_block *b), void *ctx)
{
    int rc = DB_OK;
    if (ids == NULL)
        return load_all(conn, today, on_offering, on_block, ctx);
    for (size_t i = 0; i < id_count && rc == DB_OK; i++) {
        struct db_stmt *st = db_prepare(conn, INDEX_OFFERING_SELECT " WHERE o.id = $1");
        db_bind_text(st, 1, ids[i]);
        int rows = 0;
        rc = stream_offerings(st, on_offering, ctx, NULL, 0, &rows);
        if (rc != DB_OK)
            break;
        st = db_prepare(conn, "SELECT offering_id, start_date, end_date, seats, " INDEX_SEATS_TAKEN " FROM blocks"
                              " WHERE offering_id = $1 AND start_date >= $2 ORDER BY start_date");
        db_bind_text(st, 1, ids[i]);
        db_bind_text(st, 2, today);
        rc = stream_blocks(st, on_block, ctx);
    }
    return rc;
}

int store_catalog_changes_after(struct db_conn *conn, int64_t after_seq, int limit,
                                void (*on_change)(void *ctx, int64_t seq, const char *offering_id), void *ctx)
{
    struct db_stmt *st = db_prepare(conn, "SELECT seq, offering_id FROM catalog_changes WHERE seq > $1"
                                          " ORDER BY seq LIMIT $2");
    db_bind_int(st, 1, after_seq);
    db_bind_int(st, 2, limit);
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        on_change(ctx, db_column_int(st, 0), db_column_text(st, 1));
    db_reset(st);
    return rc == DB_DONE ? DB_OK : rc;
}

int store_catalog_last_seq(struct db_conn *conn, int64_t *seq)
{
    struct db_stmt *st = db_prepare(conn, "SELECT COALESCE(MAX(seq), 0) FROM catalog_changes");
    return store_one_int(st, seq);
}

int store_catalog_latest_seq(struct db_conn *conn, int64_t *seq)
{
    /* serves: the metrics' catalog index lag (the primary key's last entry) */
    struct db_stmt *st = db_prepare(conn, "SELECT COALESCE(MAX(seq), 0) FROM catalog_changes");
    return store_one_int(st, seq) == DB_OK ? DB_OK : DB_ERROR;
}

int store_outbox_stats(struct db_conn *conn, int64_t *depth, int64_t *oldest_created_at)
{
    /* serves: the metrics' outbox depth and age (outbox_due covers the unsent rows) */
    struct db_stmt *st = db_prepare(conn, "SELECT count(*), COALESCE(MIN(created_at), 0) FROM outbox "
                                          "WHERE sent_at IS NULL");
    return store_two_ints(st, depth, oldest_created_at) == DB_OK ? DB_OK : DB_ERROR;
}
