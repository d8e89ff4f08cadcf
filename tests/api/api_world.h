/* api_world.h — the parts every API suite builds its world from: staff made
 * with the CLI, host organizations, members of a role, sites, preceptor
 * records and offerings. Each suite keeps its own struct world and composes
 * these parts with its own names and data; api_rotation_world.h is one such
 * composition. Include after api_client.h with PEOPLE_PASSWORD defined.
 *
 * Every function is static inline so that a suite may use any subset. */
#ifndef ROUNDS_TESTS_API_WORLD_H
#define ROUNDS_TESTS_API_WORLD_H

#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "api_client.h"
#include "api_people.h"
#include "test.h"

/* Makes srv the current server, opens its database into *db (unless db is
 * NULL) and adds a staff account with the CLI (a unique email from prefix,
 * named "Staff <tag>"), then signs it in. */
static inline bool world_staff(struct api_server *srv, struct db_conn **db, struct user *staff, const char *prefix,
                               const char *tag)
{
    api_use(srv);
    if (db != NULL && (*db = api_db_open(srv)) == NULL) {
        TEST_FAILF("cannot open the database of the server (%s)", tag);
        return false;
    }
    memset(staff, 0, sizeof(*staff));
    api_unique_email(staff->email, sizeof(staff->email), prefix);
    snprintf(staff->name, sizeof(staff->name), "Staff %s", tag);
    const char *args[] = {"user", "add", "--email", staff->email, "--name", staff->name, "--role", "staff",
                          "--password-stdin", NULL};
    struct api_cli_result res;
    int code = api_cli(srv->db, args, PEOPLE_PASSWORD "\n", &res);
    if (code != 0)
        TEST_FAILF("rounds user add (staff) exited %d: %.400s", code, res.err);
    api_cli_free(&res);
    return code == 0 && login(staff);
}

/* An organization of kind ("host", "school") named by a printf format; the
 * suites put the pid (and some the time) in it so that a database holding
 * other runs' data still tells theirs apart. */
static inline bool world_org(const struct user *staff, const char *kind, char *id_out, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static inline bool world_org(const struct user *staff, const char *kind, char *id_out, const char *fmt, ...)
{
    char name[128];
    va_list args;
    va_start(args, fmt);
    vsnprintf(name, sizeof(name), fmt, args);
    va_end(args);
    return create_object(staff, "/api/v1/organizations", json_pack("{s:s,s:s}", "name", name, "kind", kind), id_out);
}

/* Staff creates a user of role (member of org when not NULL) with a unique
 * email from email_prefix and the given name, who then signs in. */
static inline bool world_member_named(const struct user *staff, struct user *u, const char *email_prefix,
                                      const char *name, const char *role, const char *org)
{
    memset(u, 0, sizeof(*u));
    api_unique_email(u->email, sizeof(u->email), email_prefix);
    snprintf(u->name, sizeof(u->name), "%s", name);
    json_t *body = json_pack("{s:s,s:s,s:s,s:s}", "email", u->email, "name", u->name, "role", role, "password",
                             PEOPLE_PASSWORD);
    if (org != NULL)
        json_object_set_new(body, "organization_id", json_string(org));
    struct api_response r;
    bool ok = post_as(&r, staff, "/api/v1/users", body, 201);
    api_free(&r);
    return ok && login(u);
}

/* The same, named "<prefix> <tag>". */
static inline bool world_member(const struct user *staff, struct user *u, const char *prefix, const char *tag,
                                const char *role, const char *org)
{
    char name[96];
    snprintf(name, sizeof(name), "%s %s", prefix, tag);
    return world_member_named(staff, u, prefix, name, role, org);
}

/* Where a site is; address may be NULL (the site then has none). */
struct world_place {
    const char *name, *address, *city, *state, *zip;
};

static inline bool world_site(const struct user *staff, const char *org, const struct world_place *place,
                              char *id_out)
{
    json_t *body = json_pack("{s:s,s:s,s:s,s:s,s:s}", "organization_id", org, "name", place->name, "city",
                             place->city, "state", place->state, "zip", place->zip);
    if (place->address != NULL)
        json_object_set_new(body, "address", json_string(place->address));
    return create_object(staff, "/api/v1/sites", body, id_out);
}

/* A preceptor record's fields; the NPI (random, valid) is made for each
 * record, and so is the email (unique, from email_prefix) unless one is given. */
struct world_preceptor_fields {
    const char *name, *specialty, *license_state, *license_number, *email_prefix;
    const char *email; /* NULL: made from email_prefix */
};

/* The internal-medicine preceptor of the rotation suites. */
#define WORLD_PRECEPTOR_NY \
    ((struct world_preceptor_fields){"Dr. Amal Rahman", "internal-medicine", "NY", "LIC-20931", "prcrec", NULL})

/* `by` (staff, or the host's coordinator) records a preceptor of org, linked
 * to the account user_id when not NULL. */
static inline bool world_preceptor_record(const struct user *by, const char *org, const char *user_id,
                                          const struct world_preceptor_fields *f, char *id_out)
{
    char npi[11], email[160];
    random_npi(npi);
    if (f->email != NULL)
        snprintf(email, sizeof(email), "%s", f->email);
    else
        api_unique_email(email, sizeof(email), f->email_prefix);
    json_t *body = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "organization_id", org, "name", f->name, "email",
                             email, "npi", npi, "specialty", f->specialty, "license_state", f->license_state,
                             "license_number", f->license_number);
    if (user_id != NULL)
        json_object_set_new(body, "user_id", json_string(user_id));
    return create_object(by, "/api/v1/preceptors", body, id_out);
}

/* The fields every suite's offering has: a four-week inpatient rotation of
 * kind ("hands_on", …); the caller adds prices and the rest, then creates it. */
static inline json_t *world_offering_body(const char *org, const char *site, const char *prc, const char *title,
                                          const char *specialty, const char *kind, const char *description)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:s}", "organization_id", org, "site_id", site,
                     "preceptor_id", prc, "title", title, "specialty", specialty, "kind", kind, "setting",
                     "inpatient", "weeks", 4, "description", description);
}

/* The internal-medicine offering of the rotation suites: $2,500 tuition,
 * $50 fee, $899 deposit (a body to add to, then create). */
static inline json_t *world_medicine_offering_body(const char *org, const char *site, const char *prc,
                                                   const char *title, const char *kind)
{
    json_t *body = world_offering_body(org, site, prc, title, "internal-medicine", kind,
                                       "Inpatient internal medicine on the teaching service.");
    json_object_set_new(body, "tuition_cents", json_integer(250000));
    json_object_set_new(body, "application_fee_cents", json_integer(5000));
    json_object_set_new(body, "deposit_cents", json_integer(89900));
    return body;
}

/* The cardiology offering of the payment suites: $3,000 tuition, $250 fee,
 * $899 deposit, the balance due 45 days before (a body to add to, then create). */
static inline json_t *world_cardiology_offering_body(const char *org, const char *site, const char *prc,
                                                     const char *title)
{
    json_t *body =
        world_offering_body(org, site, prc, title, "cardiology", "hands_on", "Inpatient cardiology service.");
    json_object_set_new(body, "tuition_cents", json_integer(300000));
    json_object_set_new(body, "application_fee_cents", json_integer(25000));
    json_object_set_new(body, "deposit_cents", json_integer(89900));
    json_object_set_new(body, "balance_due_days", json_integer(45));
    return body;
}

/* The observership of the school suites: $1,500 tuition, no fee, $500
 * deposit (a body to add eligibility and the rest to, then create). */
static inline json_t *world_observership_body(const char *org, const char *site, const char *prc, const char *title)
{
    json_t *body = world_offering_body(org, site, prc, title, "internal-medicine", "observership",
                                       "Observe the inpatient teaching service.");
    json_object_set_new(body, "tuition_cents", json_integer(150000));
    json_object_set_new(body, "application_fee_cents", json_integer(0));
    json_object_set_new(body, "deposit_cents", json_integer(50000));
    return body;
}

#endif
