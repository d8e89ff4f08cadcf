/* catalog.h — the rules of the catalog: who may see and manage what; the
 * checks on organisations, sites, preceptors (NPI), offerings and blocks,
 * each naming the failing field; and the writes that apply them (one
 * transaction each, then the search index is synced), shared by the API and
 * the host coordinators' pages. */
#ifndef ROUNDS_DOMAIN_CATALOG_H
#define ROUNDS_DOMAIN_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/vocabulary.h"
#include "lib/arena.h"
#include "lib/errors.h"
#include "lib/limits.h"
#include "store/store.h"

/* The NPI check digit: Luhn over "80840" followed by the first nine digits. */
bool catalog_npi_valid(const char *npi);
/* The NPI check digit ('0'–'9') of nine digits: Luhn over 80840 + the digits. */
char catalog_npi_check_digit(const char *stem);

/* Published offerings are public; the others only to staff, the host's
 * coordinators and the offering's preceptor. user_id may be NULL. */
bool catalog_may_view_offering(struct db_conn *conn, struct arena *arena, const char *user_id,
                               const struct store_offering *offering);
/* Staff, or a host coordinator who is a member of organization_id. */
bool catalog_may_manage(const struct store_user *user, const char *organization_id);

/* ---- values and checks ----
 * Each check returns 0, or -1 with err set to ERR_VALIDATION_FAILED naming
 * the failing field as the API names it ("zip", "eligibility.visa_kinds"). */

/* The organisation kinds that may be created (host, school), NULL-terminated. */
extern const char *const catalog_organization_kinds[];

int catalog_check_organization(const char *name, const char *kind, struct error *err);
/* Name, city (1–100 characters), state (a USPS code), ZIP (5 digits or
 * ZIP+4), address (optional, ≤ 200); sets the time zone from the state. */
int catalog_check_site(struct store_site *site, struct error *err);
/* Name, email, NPI (check digit), specialty, licence state and number, expiry
 * (optional, in the future), board status. */
int catalog_check_preceptor(const struct store_preceptor *preceptor, struct error *err);
/* Every value of an offering; not whether its site and preceptor belong to
 * its organisation (catalog_offering_create/update check that too). */
int catalog_check_offering(const struct store_offering *offering, struct error *err);
/* Dates (end after start) and seats (1–100). A new block (before == NULL) may
 * not start in the past; a changed block may not move its start into the past. */
int catalog_check_block(const struct store_block *block, const struct store_block *before, struct error *err);

/* ---- writes: each in one transaction, then the search index is synced ----
 * They return 0, or -1 with err: validation (400, naming the field),
 * ERR_NOT_FOUND, ERR_CONFLICT (409, naming the field) or ERR_UNAVAILABLE. */

int catalog_organization_create(struct db_conn *conn, struct arena *arena, const char *name, const char *kind,
                                struct store_organization *out, struct error *err);
/* Assigns the id and creation time, checks that organization_id is a host. */
int catalog_site_create(struct db_conn *conn, struct arena *arena, struct store_site *site, struct error *err);
int catalog_site_update(struct db_conn *conn, struct arena *arena, struct store_site *site, struct error *err);
/* Also checks user_id (an existing account) and that the NPI is free (409 "npi"). */
int catalog_preceptor_create(struct db_conn *conn, struct arena *arena, struct store_preceptor *preceptor,
                             struct error *err);
/* Staff verify a preceptor's NPI and licence: verifying needs the licence's
 * expiry date (license_expires, YYYY-MM-DD, or the one stored; NULL keeps
 * it), in the future: 400 validation_failed naming license_expires
 * otherwise. The expiry is stored; the badge goes when it passes
 * (catalog_preceptors_expire). verified false removes the badge. */
int catalog_preceptor_verify(struct db_conn *conn, const char *preceptor_id, bool verified,
                             const char *license_expires, struct error *err);
/* The jobs thread: un-verifies every preceptor whose licence expired by
 * today (an audit event each; their offerings to the change feed). */
int catalog_preceptors_expire(struct db_conn *conn, struct arena *arena, int *count);
/* Checks the offering and that its site and preceptor belong to its host;
 * on success *offering is read back with its joined fields. */
int catalog_offering_create(struct db_conn *conn, struct arena *arena, struct store_offering *offering,
                            struct error *err);
int catalog_offering_update(struct db_conn *conn, struct arena *arena, struct store_offering *offering,
                            struct error *err);
/* The offering of block->offering_id must exist. On success *block is read back. */
int catalog_block_create(struct db_conn *conn, struct arena *arena, struct store_block *block, struct error *err);
/* Seats below the seats already taken: ERR_CONFLICT naming "seats". */
int catalog_block_update(struct db_conn *conn, struct arena *arena, struct store_block *block, struct error *err);

/* ---- reading what a user manages ----
 * DB_ROW when the object exists and user may manage it; DB_DONE when it does
 * not exist or user may not (the caller answers 404 either way); else an error. */

int catalog_managed_offering(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                             const char *id, struct store_offering *out);
int catalog_managed_block(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *id,
                          struct store_block *block, struct store_offering *offering);
int catalog_managed_site(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *id,
                         struct store_site *out);
int catalog_managed_preceptor(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                              const char *id, struct store_preceptor *out);
/* The host organisations that user coordinates (ids and names, in id order). */
size_t catalog_managed_organizations(const struct store_user *user, const struct store_membership **out,
                                     size_t max);

/* "a,b" from a list, in the arena (for visa kinds and requirements). */
const char *catalog_join_csv(struct arena *arena, const char *const *items, size_t count);
/* Whether the comma-separated list csv holds value. */
bool catalog_csv_has(const char *csv, const char *value);

/* The first day's fields in the order every page, email and feed shows them:
 * FIRST_DAY_FIELDS labels ("Where to report", "When", …) and the API's names. */
enum { FIRST_DAY_FIELDS = 6 };
extern const char *const first_day_field_labels[FIRST_DAY_FIELDS];
extern const char *const first_day_field_names[FIRST_DAY_FIELDS]; /* "address", "time", … */
/* The slot of field i (0 … FIRST_DAY_FIELDS − 1) in f. */
const char **first_day_field(struct store_first_day *f, int i);
/* Whether the host gave any of the fields. */
bool first_day_given(const struct store_first_day *f);

#endif
