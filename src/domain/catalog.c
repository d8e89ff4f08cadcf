/* catalog.c — catalog rules; see catalog.h. */
#include "domain/catalog.h"
#include "domain/money.h"

#include <string.h>

#include "domain/accounts.h"
#include "domain/catalog_index.h"
#include "domain/waitlist.h"
#include "store/alerts.h"
#include "domain/reference.h"
#include "domain/validate.h"
#include "lib/buf.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/json_spec.h"
#include "lib/limits.h"
#include "lib/log.h"
#include "lib/utf8.h"
#include "store/applications.h"

char catalog_npi_check_digit(const char *stem)
{
    /* Luhn over 80840 + the nine digits; the prefix contributes 24. */
    int sum = 24;
    for (int i = 8; i >= 0; i--) {
        int d = stem[i] - '0';
        if ((8 - i) % 2 == 0) { /* doubled: the rightmost of the nine, then every other one */
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
    }
    return (char)('0' + (10 - sum % 10) % 10);
}

bool catalog_npi_valid(const char *npi)
{
    if (npi == NULL || strlen(npi) != 10)
        return false;
    for (int i = 0; i < 10; i++)
        if (npi[i] < '0' || npi[i] > '9')
            return false;
    return catalog_npi_check_digit(npi) == npi[9];
}

bool catalog_may_manage(const struct store_user *user, const char *organization_id)
{
    if (user == NULL)
        return false;
    if (account_has_role(user, ROLE_STAFF))
        return true;
    return account_is_member(user, organization_id, ROLE_HOST_COORDINATOR);
}

bool catalog_may_view_offering(struct db_conn *conn, struct arena *arena, const char *user_id,
                               const struct store_offering *offering)
{
    if (offering_status_parse(offering->status) == OFFERING_PUBLISHED)
        return true;
    if (user_id == NULL)
        return false;
    if (offering->preceptor_user_id != NULL && strcmp(offering->preceptor_user_id, user_id) == 0)
        return true;
    struct store_user user;
    if (store_user_by_id(conn, arena, user_id, &user) != DB_ROW)
        return false;
    return catalog_may_manage(&user, offering->organization_id);
}

/* ---- values and checks ---- */

const char *const catalog_organization_kinds[] = {"host", "school", NULL};

static bool one_of(const char *const *values, const char *value)
{
    for (size_t i = 0; value != NULL && values[i] != NULL; i++)
        if (strcmp(values[i], value) == 0)
            return true;
    return false;
}

static int check_range(int64_t value, int64_t min, int64_t max, const char *field, const char *detail,
                       struct error *err)
{
    return value < min || value > max ? error_set(err, ERR_VALIDATION_FAILED, field, detail) : 0;
}

static bool zip_valid(const char *zip)
{
    size_t len = zip != NULL ? strlen(zip) : 0;
    if (len != 5 && len != 10)
        return false;
    for (size_t i = 0; i < len; i++) {
        bool digit = zip[i] >= '0' && zip[i] <= '9';
        if (i == 5 ? zip[i] != '-' : !digit)
            return false;
    }
    return true;
}

bool catalog_csv_has(const char *csv, const char *value)
{
    size_t n = strlen(value);
    for (const char *p = csv; p != NULL && *p != '\0';) {
        const char *comma = strchr(p, ',');
        size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);
        if (len == n && strncmp(p, value, n) == 0)
            return true;
        p = comma != NULL ? comma + 1 : NULL;
    }
    return false;
}

const char *catalog_join_csv(struct arena *arena, const char *const *items, size_t count)
{
    struct buf b;
    buf_init(&b, arena, BUF_CAP_SMALL);
    for (size_t i = 0; i < count; i++) {
        if (i > 0)
            buf_append_char(&b, ',');
        buf_append_str(&b, items[i]);
    }
    return buf_ok(&b) ? b.data : NULL;
}

/* Every item of a comma-separated list passes known(), none twice, none empty. */
static int check_csv(const char *csv, bool (*known)(const char *item), const char *field, struct error *err)
{
    char item[64];
    for (const char *p = csv; p != NULL && *p != '\0';) {
        const char *comma = strchr(p, ',');
        size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);
        if (len == 0 || len >= sizeof(item))
            return error_set(err, ERR_VALIDATION_FAILED, field, "has an item that is not an allowed value");
        memcpy(item, p, len);
        item[len] = '\0';
        if (!known(item))
            return error_set(err, ERR_VALIDATION_FAILED, field, "has an item that is not an allowed value");
        for (const char *q = csv; q < p;) {
            const char *c2 = strchr(q, ',');
            size_t l2 = c2 != NULL ? (size_t)(c2 - q) : strlen(q);
            if (l2 == len && strncmp(q, p, len) == 0)
                return error_set(err, ERR_VALIDATION_FAILED, field, "has a repeated item");
            q = c2 != NULL ? c2 + 1 : p;
        }
        p = comma != NULL ? comma + 1 : NULL;
    }
    return 0;
}

static bool visa_kind_known(const char *item)
{
    return visa_kind_parse(item) != VISA_KIND_UNKNOWN;
}

static bool document_kind_known(const char *item)
{
    return reference_document_kind_find(item) != NULL;
}

int catalog_check_organization(const char *name, const char *kind, struct error *err)
{
    if (validate_text(name, "name", 1, PERSON_NAME_MAX_CHARS, false, err) != 0)
        return -1;
    if (!one_of(catalog_organization_kinds, kind))
        return error_set(err, ERR_VALIDATION_FAILED, "kind", "must be host or school");
    return 0;
}

int catalog_check_site(struct store_site *s, struct error *err)
{
    if (validate_text(s->name, "name", 1, SITE_NAME_MAX_CHARS, false, err) != 0 ||
        validate_text(s->address, "address", 0, SITE_ADDRESS_MAX_CHARS, false, err) != 0 ||
        validate_text(s->city, "city", 1, SITE_CITY_MAX_CHARS, false, err) != 0)
        return -1;
    const struct reference_state *state = s->state != NULL ? reference_state_find(s->state) : NULL;
    if (state == NULL)
        return error_set(err, ERR_VALIDATION_FAILED, "state", "is not a U.S. state code (USPS)");
    if (!zip_valid(s->zip))
        return error_set(err, ERR_VALIDATION_FAILED, "zip", "must be 5 digits or ZIP+4 (12345-6789)");
    s->time_zone = state->time_zone;
    if (s->address == NULL)
        s->address = "";
    return 0;
}

int catalog_check_preceptor(const struct store_preceptor *p, struct error *err)
{
    if (validate_text(p->name, "name", 1, PRECEPTOR_NAME_MAX_CHARS, false, err) != 0)
        return -1;
    if (p->email == NULL || !json_email_valid(p->email))
        return error_set(err, ERR_VALIDATION_FAILED, "email", "must be an email address");
    if (!catalog_npi_valid(p->npi))
        return error_set(err, ERR_VALIDATION_FAILED, "npi", "is not a valid NPI (10 digits with its check digit)");
    if (p->specialty == NULL || reference_specialty_find(p->specialty) == NULL)
        return error_set(err, ERR_VALIDATION_FAILED, "specialty", "is not a known specialty");
    if (p->license_state == NULL || reference_state_find(p->license_state) == NULL)
        return error_set(err, ERR_VALIDATION_FAILED, "license_state", "is not a U.S. state code (USPS)");
    if (validate_text(p->license_number, "license_number", 1, LICENSE_NUMBER_MAX_CHARS, false, err) != 0)
        return -1;
    if (p->license_expires != NULL) {
        if (!json_date_valid(p->license_expires))
            return error_set(err, ERR_VALIDATION_FAILED, "license_expires", "must be a date YYYY-MM-DD");
        if (clock_days_from_date(p->license_expires) <= clock_today_days())
            return error_set(err, ERR_VALIDATION_FAILED, "license_expires", "must be in the future");
    }
    if (p->board_status != NULL && board_status_parse(p->board_status) == BOARD_STATUS_UNKNOWN)
        return error_set(err, ERR_VALIDATION_FAILED, "board_status", "must be certified, eligible or not_certified");
    return 0;
}

int catalog_check_offering(const struct store_offering *o, struct error *err)
{
    if (o->organization_id == NULL || o->organization_id[0] == '\0')
        return error_set(err, ERR_VALIDATION_FAILED, "organization_id", "is required");
    if (o->site_id == NULL || o->site_id[0] == '\0')
        return error_set(err, ERR_VALIDATION_FAILED, "site_id", "is required");
    if (o->preceptor_id == NULL || o->preceptor_id[0] == '\0')
        return error_set(err, ERR_VALIDATION_FAILED, "preceptor_id", "is required");
    if (validate_text(o->title, "title", CATALOG_TITLE_MIN, CATALOG_TITLE_MAX, false, err) != 0)
        return -1;
    if (o->specialty == NULL || reference_specialty_find(o->specialty) == NULL)
        return error_set(err, ERR_VALIDATION_FAILED, "specialty", "is not a known specialty");
    if (offering_kind_parse(o->kind) == OFFERING_KIND_UNKNOWN)
        return error_set(err, ERR_VALIDATION_FAILED, "kind", "must be hands_on, observership, research or telehealth");
    if (offering_setting_parse(o->setting) == OFFERING_SETTING_UNKNOWN)
        return error_set(err, ERR_VALIDATION_FAILED, "setting", "must be inpatient, outpatient or mixed");
    if (check_range(o->weeks, 1, CATALOG_WEEKS_MAX, "weeks", "must be from 1 to 52", err) != 0 ||
        check_range(o->hours_per_week, 1, CATALOG_HOURS_MAX, "hours_per_week", "must be from 1 to 80", err) != 0 ||
        check_range(o->tuition_cents, 0, CATALOG_TUITION_MAX_CENTS, "tuition_cents",
                    "must be from 0 to 10000000 cents", err) != 0 ||
        check_range(o->application_fee_cents, 0, CATALOG_FEE_MAX_CENTS, "application_fee_cents",
                    "must be from 0 to 100000 cents", err) != 0 ||
        check_range(o->deposit_cents, 0, o->tuition_cents, "deposit_cents",
                    "must be from 0 to the tuition", err) != 0)
        return -1;
    if (!o->students_allowed && !o->graduates_allowed)
        return error_set(err, ERR_VALIDATION_FAILED, "eligibility.graduates_allowed",
                         "students or graduates (or both) must be allowed");
    if (check_range(o->max_years_since_graduation, -1, CATALOG_MAX_YEARS_SINCE_GRADUATION,
                    "eligibility.max_years_since_graduation",
                    "must be from 0 to " LIMIT_TEXT(CATALOG_MAX_YEARS_SINCE_GRADUATION) ", or null for no limit",
                    err) != 0 ||
        check_csv(o->visa_kinds, visa_kind_known, "eligibility.visa_kinds", err) != 0)
        return -1;
    if (validate_text(o->description, "description", 0, CATALOG_DESCRIPTION_MAX, true, err) != 0 ||
        validate_text(o->first_day, "first_day", 0, CATALOG_FIRST_DAY_MAX, true, err) != 0)
        return -1;
    struct store_first_day first_day = o->first_day_fields;
    for (int i = 0; i < FIRST_DAY_FIELDS; i++) {
        static const char *const fields[FIRST_DAY_FIELDS] = {
            "first_day_instructions.address",    "first_day_instructions.time",
            "first_day_instructions.ask_for",    "first_day_instructions.dress_code",
            "first_day_instructions.transport",  "first_day_instructions.bring"};
        if (validate_text(*first_day_field(&first_day, i), fields[i], 0, CATALOG_FIRST_DAY_FIELD_MAX, false, err))
            return -1;
    }
    if (money_check_offering_prices(NULL, o, err) != 0)
        return -1;
    if (check_csv(o->requirements, document_kind_known, "requirements", err) != 0)
        return -1;
    if (offering_status_parse(o->status) == OFFERING_STATUS_UNKNOWN)
        return error_set(err, ERR_VALIDATION_FAILED, "status", "must be draft, published or archived");
    return 0;
}

int catalog_check_block(const struct store_block *b, const struct store_block *before, struct error *err)
{
    if (b->start_date == NULL || !json_date_valid(b->start_date))
        return error_set(err, ERR_VALIDATION_FAILED, "start", "must be a date YYYY-MM-DD");
    if (b->end_date == NULL || !json_date_valid(b->end_date))
        return error_set(err, ERR_VALIDATION_FAILED, "end", "must be a date YYYY-MM-DD");
    if (clock_days_from_date(b->end_date) <= clock_days_from_date(b->start_date))
        return error_set(err, ERR_VALIDATION_FAILED, "end", "must be after the start");
    bool start_moved = before == NULL || before->start_date == NULL || strcmp(before->start_date, b->start_date) != 0;
    if (start_moved && clock_days_from_date(b->start_date) < clock_today_days())
        return error_set(err, ERR_VALIDATION_FAILED, "start", "must not be in the past");
    return check_range(b->seats, 1, CATALOG_SEATS_MAX, "seats", "must be from 1 to 100", err);
}

/* ---- writes ---- */

/* A transaction's context: the domain error that rolled it back, if any. */
struct write_ctx {
    struct arena *arena;
    struct error *err;
    bool failed;
    void *object;
    bool flag;
};

/* Rolls the transaction back with a domain error (not retried). */
static int tx_fail(struct write_ctx *ctx, enum error_code code, const char *field, const char *detail)
{
    error_set(ctx->err, code, field, detail);
    ctx->failed = true;
    return DB_CONSTRAINT;
}

/* The end of every write: a domain error, a database error, or success (and the index follows). */
static int finish_write(struct db_conn *conn, const struct write_ctx *ctx, int rc, struct error *err)
{
    if (ctx->failed)
        return -1;
    if (rc != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, "the database is not available; try again");
    if (catalog_index_sync(conn) != DB_OK)
        log_warn("msg=\"catalog index sync after a write failed; the follower will catch up\"");
    return 0;
}

/* organization_id must be a host organisation. */
static int require_host(struct db_conn *conn, struct write_ctx *ctx, const char *organization_id)
{
    const char *kind = NULL;
    int rc = store_organization_kind(conn, ctx->arena, organization_id, &kind);
    if (rc == DB_DONE || (rc == DB_ROW && organization_kind_parse(kind) != ORGANIZATION_HOST))
        return tx_fail(ctx, ERR_VALIDATION_FAILED, "organization_id", "is not a host organisation");
    return rc == DB_ROW ? DB_OK : rc;
}

static int organization_insert_tx(struct db_conn *conn, void *p)
{
    struct write_ctx *ctx = p;
    struct store_organization *o = ctx->object;
    return store_organization_insert(conn, o->id, o->name, o->kind, o->created_at);
}

int catalog_organization_create(struct db_conn *conn, struct arena *arena, const char *name, const char *kind,
                                struct store_organization *out, struct error *err)
{
    if (catalog_check_organization(name, kind, err) != 0)
        return -1;
    char id[40];
    crypto_random_id("org_", id, sizeof(id));
    *out = (struct store_organization){arena_strdup(arena, id), name, kind, clock_now()};
    struct write_ctx ctx = {.arena = arena, .err = err, .object = out};
    return finish_write(conn, &ctx, db_run_tx(conn, true, organization_insert_tx, &ctx), err);
}

static int site_insert_tx(struct db_conn *conn, void *p)
{
    struct write_ctx *ctx = p;
    struct store_site *s = ctx->object;
    int rc = require_host(conn, ctx, s->organization_id);
    return rc == DB_OK ? store_site_insert(conn, s) : rc;
}

int catalog_site_create(struct db_conn *conn, struct arena *arena, struct store_site *site, struct error *err)
{
    if (site->organization_id == NULL || site->organization_id[0] == '\0')
        return error_set(err, ERR_VALIDATION_FAILED, "organization_id", "is required");
    if (catalog_check_site(site, err) != 0)
        return -1;
    char id[40];
    crypto_random_id("site_", id, sizeof(id));
    site->id = arena_strdup(arena, id);
    site->created_at = clock_now();
    struct write_ctx ctx = {.arena = arena, .err = err, .object = site};
    return finish_write(conn, &ctx, db_run_tx(conn, true, site_insert_tx, &ctx), err);
}

static int site_update_tx(struct db_conn *conn, void *p)
{
    struct write_ctx *ctx = p;
    int rc = store_site_update(conn, ctx->arena, ctx->object, clock_now());
    return rc == DB_DONE ? tx_fail(ctx, ERR_NOT_FOUND, NULL, "no such site") : rc;
}

int catalog_site_update(struct db_conn *conn, struct arena *arena, struct store_site *site, struct error *err)
{
    if (catalog_check_site(site, err) != 0)
        return -1;
    struct write_ctx ctx = {.arena = arena, .err = err, .object = site};
    return finish_write(conn, &ctx, db_run_tx(conn, true, site_update_tx, &ctx), err);
}

static int preceptor_insert_tx(struct db_conn *conn, void *p)
{
    struct write_ctx *ctx = p;
    struct store_preceptor *pr = ctx->object;
    int rc = require_host(conn, ctx, pr->organization_id);
    if (rc != DB_OK)
        return rc;
    if (pr->user_id != NULL) {
        /* Only an account that is already a preceptor of this host; any
         * other links itself by accepting an invitation (its consent). The
         * same answer whether the account exists or not. */
        struct store_user user;
        rc = store_user_by_id(conn, ctx->arena, pr->user_id, &user);
        if (rc != DB_ROW && rc != DB_DONE)
            return rc;
        if (rc == DB_DONE || !account_is_member(&user, pr->organization_id, ROLE_PRECEPTOR))
            return tx_fail(ctx, ERR_UNPROCESSABLE, "user_id",
                           "is not a preceptor of this organisation: invite the preceptor to link their own "
                           "account (POST /api/v1/preceptors/{id}/invitations)");
    }
    rc = store_preceptor_insert(conn, pr);
    return rc == DB_CONSTRAINT ? tx_fail(ctx, ERR_CONFLICT, "npi", "a preceptor with this NPI is registered") : rc;
}

int catalog_preceptor_create(struct db_conn *conn, struct arena *arena, struct store_preceptor *preceptor,
                             struct error *err)
{
    if (preceptor->organization_id == NULL || preceptor->organization_id[0] == '\0')
        return error_set(err, ERR_VALIDATION_FAILED, "organization_id", "is required");
    if (catalog_check_preceptor(preceptor, err) != 0)
        return -1;
    char id[40];
    crypto_random_id("prc_", id, sizeof(id));
    preceptor->id = arena_strdup(arena, id);
    preceptor->created_at = clock_now();
    preceptor->verified = false;
    if (preceptor->board_status == NULL)
        preceptor->board_status = "certified";
    struct write_ctx ctx = {.arena = arena, .err = err, .object = preceptor};
    return finish_write(conn, &ctx, db_run_tx(conn, true, preceptor_insert_tx, &ctx), err);
}

struct verify_request {
    const char *id, *license_expires;
};

static int preceptor_verify_tx(struct db_conn *conn, void *p)
{
    struct write_ctx *ctx = p;
    const struct verify_request *v = ctx->object;
    struct store_preceptor current;
    int rc = store_preceptor_get(conn, ctx->arena, v->id, &current);
    if (rc == DB_DONE)
        return tx_fail(ctx, ERR_NOT_FOUND, NULL, "no such preceptor");
    if (rc != DB_ROW)
        return rc;
    if (ctx->flag) {
        const char *expires = v->license_expires != NULL ? v->license_expires : current.license_expires;
        if (expires == NULL || expires[0] == '\0')
            return tx_fail(ctx, ERR_VALIDATION_FAILED, "license_expires",
                           "the licence's expiry date is needed to verify it");
        if (!json_date_valid(expires))
            return tx_fail(ctx, ERR_VALIDATION_FAILED, "license_expires", "must be a date YYYY-MM-DD");
        if (clock_days_from_date(expires) <= clock_today_days())
            return tx_fail(ctx, ERR_VALIDATION_FAILED, "license_expires",
                           "the licence has expired: a preceptor with an expired licence cannot be verified");
        if (v->license_expires != NULL && (rc = store_preceptor_set_license_expires(conn, v->id, v->license_expires)) != DB_OK)
            return rc;
    }
    return store_preceptor_set_verified(conn, v->id, ctx->flag, clock_now());
}

int catalog_preceptors_expire(struct db_conn *conn, struct arena *arena, int *count)
{
    char today[11];
    clock_today(today);
    const char **ids = NULL;
    size_t n = 0;
    *count = 0;
    int rc = store_preceptors_expired(conn, arena, today, &ids, &n);
    for (size_t i = 0; rc == DB_OK && i < n; i++) {
        rc = store_preceptor_set_verified(conn, ids[i], false, clock_now());
        if (rc == DB_OK) {
            store_audit_add(conn, NULL, AUDIT_PRECEPTOR_LICENCE_EXPIRED, AUDIT_ON_PRECEPTOR, ids[i],
                            "verification removed", clock_now());
            (*count)++;
        }
    }
    return rc;
}

int catalog_preceptor_verify(struct db_conn *conn, const char *preceptor_id, bool verified,
                             const char *license_expires, struct error *err)
{
    struct arena arena;
    arena_heap_init(&arena);
    struct verify_request v = {preceptor_id, license_expires};
    struct write_ctx ctx = {.arena = &arena, .err = err, .object = &v, .flag = verified};
    int rc = finish_write(conn, &ctx, db_run_tx(conn, true, preceptor_verify_tx, &ctx), err);
    arena_heap_free(&arena);
    return rc;
}

/* The offering's site and preceptor belong to its (host) organisation. */
static int check_offering_owners(struct db_conn *conn, struct write_ctx *ctx, const struct store_offering *o)
{
    int rc = require_host(conn, ctx, o->organization_id);
    if (rc != DB_OK)
        return rc;
    struct store_site site;
    rc = store_site_get(conn, ctx->arena, o->site_id, &site);
    if (rc == DB_DONE || (rc == DB_ROW && strcmp(site.organization_id, o->organization_id) != 0))
        return tx_fail(ctx, ERR_VALIDATION_FAILED, "site_id", "is not a site of this organisation");
    if (rc != DB_ROW)
        return rc;
    struct store_preceptor preceptor;
    rc = store_preceptor_get(conn, ctx->arena, o->preceptor_id, &preceptor);
    if (rc == DB_DONE || (rc == DB_ROW && strcmp(preceptor.organization_id, o->organization_id) != 0))
        return tx_fail(ctx, ERR_VALIDATION_FAILED, "preceptor_id", "is not a preceptor of this organisation");
    return rc == DB_ROW ? DB_OK : rc;
}

static bool published(const char *status)
{
    return offering_status_parse(status) == OFFERING_PUBLISHED;
}

static int offering_write_tx(struct db_conn *conn, void *p)
{
    struct write_ctx *ctx = p;
    const struct store_offering *o = ctx->object;
    int rc = check_offering_owners(conn, ctx, o);
    if (rc != DB_OK)
        return rc;
    bool was_published = false;
    if (!ctx->flag) {
        struct store_offering before;
        rc = store_offering_get(conn, ctx->arena, o->id, &before);
        if (rc != DB_ROW)
            return rc == DB_DONE ? tx_fail(ctx, ERR_NOT_FOUND, NULL, "no such offering") : rc;
        was_published = published(before.status);
    }
    rc = ctx->flag ? store_offering_insert(conn, o) : store_offering_update(conn, o);
    /* Saved searches are told of an offering that becomes visible. */
    if (rc == DB_OK && published(o->status) && !was_published)
        rc = store_catalog_event_add(conn, catalog_event_kind_name(CATALOG_EVENT_OFFERING_PUBLISHED), o->id, NULL, o->updated_at);
    return rc;
}

/* Reads the written offering back with its joined fields. */
static int offering_read_back(struct db_conn *conn, struct arena *arena, struct store_offering *o, struct error *err)
{
    char *id = arena_strdup(arena, o->id);
    if (id == NULL || store_offering_get(conn, arena, id, o) != DB_ROW)
        return error_set(err, ERR_UNAVAILABLE, NULL, "the database is not available; try again");
    return 0;
}

static int offering_write(struct db_conn *conn, struct arena *arena, struct store_offering *o, bool insert,
                          struct error *err)
{
    if (o->visa_kinds == NULL)
        o->visa_kinds = "";
    if (o->requirements == NULL)
        o->requirements = "";
    if (catalog_check_offering(o, err) != 0)
        return -1;
    int64_t now = clock_now();
    if (insert) {
        char id[40];
        crypto_random_id("off_", id, sizeof(id));
        o->id = arena_strdup(arena, id);
        o->created_at = now;
    }
    o->updated_at = now;
    struct write_ctx ctx = {.arena = arena, .err = err, .object = o, .flag = insert};
    if (finish_write(conn, &ctx, db_run_tx(conn, true, offering_write_tx, &ctx), err) != 0)
        return -1;
    return offering_read_back(conn, arena, o, err);
}

int catalog_offering_create(struct db_conn *conn, struct arena *arena, struct store_offering *offering,
                            struct error *err)
{
    return offering_write(conn, arena, offering, true, err);
}

int catalog_offering_update(struct db_conn *conn, struct arena *arena, struct store_offering *offering,
                            struct error *err)
{
    return offering_write(conn, arena, offering, false, err);
}

static int block_insert_tx(struct db_conn *conn, void *p)
{
    struct write_ctx *ctx = p;
    const struct store_block *b = ctx->object;
    struct store_offering o;
    int rc = store_offering_get(conn, ctx->arena, b->offering_id, &o);
    if (rc == DB_DONE)
        return tx_fail(ctx, ERR_NOT_FOUND, NULL, "no such offering");
    if (rc == DB_ROW)
        rc = store_block_insert(conn, b);
    /* Saved searches and the students who starred the offering are told of new dates. */
    if (rc == DB_OK && published(o.status))
        rc = store_catalog_event_add(conn, catalog_event_kind_name(CATALOG_EVENT_BLOCK_ADDED), o.id, b->id, b->created_at);
    return rc;
}

int catalog_block_create(struct db_conn *conn, struct arena *arena, struct store_block *block, struct error *err)
{
    if (catalog_check_block(block, NULL, err) != 0)
        return -1;
    char id[40];
    crypto_random_id("blk_", id, sizeof(id));
    block->id = arena_strdup(arena, id);
    block->created_at = clock_now();
    block->seats_taken = 0;
    struct write_ctx ctx = {.arena = arena, .err = err, .object = block};
    if (finish_write(conn, &ctx, db_run_tx(conn, true, block_insert_tx, &ctx), err) != 0)
        return -1;
    return store_block_get(conn, arena, block->id, block) == DB_ROW
               ? 0
               : error_set(err, ERR_UNAVAILABLE, NULL, "the database is not available; try again");
}

static int block_update_tx(struct db_conn *conn, void *p)
{
    struct write_ctx *ctx = p;
    struct store_block *b = ctx->object;
    struct store_block current;
    int rc = store_block_get(conn, ctx->arena, b->id, &current);
    if (rc == DB_DONE)
        return tx_fail(ctx, ERR_NOT_FOUND, NULL, "no such block");
    if (rc != DB_ROW)
        return rc;
    if (catalog_check_block(b, &current, ctx->err) != 0) {
        ctx->failed = true;
        return DB_CONSTRAINT;
    }
    if (b->seats < current.seats_taken + current.seats_reserved)
        return tx_fail(ctx, ERR_CONFLICT, "seats", "is below the seats already taken or kept for a match round");
    b->offering_id = current.offering_id;
    b->created_at = current.created_at;
    rc = store_block_update(conn, b);
    /* The seats were taken meanwhile (the update re-checks them). */
    if (rc == DB_CONSTRAINT)
        return tx_fail(ctx, ERR_CONFLICT, "seats", "is below the seats already taken");
    /* More seats: the block's waitlist takes them first, in this transaction. */
    if (rc == DB_OK && b->seats > current.seats)
        rc = waitlist_seat_freed(conn, ctx->arena, b->id, (int)(b->seats - current.seats), clock_now());
    return rc;
}

int catalog_block_update(struct db_conn *conn, struct arena *arena, struct store_block *block, struct error *err)
{
    struct write_ctx ctx = {.arena = arena, .err = err, .object = block};
    if (finish_write(conn, &ctx, db_run_tx(conn, true, block_update_tx, &ctx), err) != 0)
        return -1;
    return store_block_get(conn, arena, block->id, block) == DB_ROW
               ? 0
               : error_set(err, ERR_UNAVAILABLE, NULL, "the database is not available; try again");
}

/* ---- reading what a user manages ---- */

int catalog_managed_offering(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                             const char *id, struct store_offering *out)
{
    int rc = store_offering_get(conn, arena, id, out);
    if (rc == DB_ROW && !catalog_may_manage(user, out->organization_id))
        return DB_DONE;
    return rc;
}

int catalog_managed_block(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *id,
                          struct store_block *block, struct store_offering *offering)
{
    int rc = store_block_get(conn, arena, id, block);
    if (rc != DB_ROW)
        return rc;
    return catalog_managed_offering(conn, arena, user, block->offering_id, offering);
}

int catalog_managed_site(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *id,
                         struct store_site *out)
{
    int rc = store_site_get(conn, arena, id, out);
    if (rc == DB_ROW && !catalog_may_manage(user, out->organization_id))
        return DB_DONE;
    return rc;
}

int catalog_managed_preceptor(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                              const char *id, struct store_preceptor *out)
{
    int rc = store_preceptor_get(conn, arena, id, out);
    if (rc == DB_ROW && !catalog_may_manage(user, out->organization_id))
        return DB_DONE;
    return rc;
}

size_t catalog_managed_organizations(const struct store_user *user, const struct store_membership **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < user->membership_count; i++) {
        const struct store_membership *m = &user->memberships[i];
        if (role_parse(m->role) != ROLE_HOST_COORDINATOR ||
            organization_kind_parse(m->organization_kind) != ORGANIZATION_HOST)
            continue;
        bool seen = false;
        for (size_t k = 0; k < n; k++)
            seen = seen || strcmp(out[k]->organization_id, m->organization_id) == 0;
        if (seen || n == max)
            continue;
        /* insertion in id order */
        size_t at = n;
        while (at > 0 && strcmp(out[at - 1]->organization_id, m->organization_id) > 0) {
            out[at] = out[at - 1];
            at--;
        }
        out[at] = m;
        n++;
    }
    return n;
}

/* ---- the first day's fields ---- */

const char *const first_day_field_labels[FIRST_DAY_FIELDS] = {"Where to report", "When",
                                                              "Whom to ask for", "Dress code",
                                                              "Parking or transit", "What to bring"};
const char *const first_day_field_names[FIRST_DAY_FIELDS] = {"address", "time", "ask_for",
                                                             "dress_code", "transport", "bring"};

const char **first_day_field(struct store_first_day *f, int i)
{
    const char **slots[FIRST_DAY_FIELDS] = {&f->address, &f->time, &f->ask_for, &f->dress_code, &f->transport,
                                            &f->bring};
    return slots[i];
}

bool first_day_given(const struct store_first_day *f)
{
    struct store_first_day copy = *f;
    for (int i = 0; i < FIRST_DAY_FIELDS; i++) {
        const char *v = *first_day_field(&copy, i);
        if (v != NULL && v[0] != '\0')
            return true;
    }
    return false;
}
