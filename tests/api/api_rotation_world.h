/* api_rotation_world.h — the people and rotations of the rotation suites
 * (test_api_rotation.c and the suites after it): staff, two hosts with a
 * coordinator and a preceptor account each, coaches, offerings, and helpers
 * that take a fresh student from applying to booked, cleared and under way
 * by the calendar with the test clock. Include after api_client.h with
 * PEOPLE_PASSWORD defined; servers run with --test-hooks 1.
 *
 * Every function is static inline so that a suite may use any subset. */
#ifndef ROUNDS_TESTS_API_ROTATION_WORLD_H
#define ROUNDS_TESTS_API_ROTATION_WORLD_H

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_client.h"
#include "api_people.h"
#include "lib/clock.h"
#include "test.h"

struct world {
    struct api_server *srv;
    struct db_conn *db;
    char tag[16];
    struct user staff;
    struct user coord_a, precep_a; /* host A: coordinator, and the preceptor of offering A */
    struct user coord_b, precep_b; /* host B: coordinator, and the preceptor of offering B */
    struct user coach;             /* a coach made by the suite (more may exist) */
    char org_a[64], org_b[64], site_a[64], site_b[64], prc_a[64], prc_b[64];
    char offering_a[64], offering_b[64];
    int next_block;
};

/* A request as u (NULL: anonymous) with a JSON body (may be NULL). */
static inline long world_call(struct api_response *r, const struct user *u, const char *method, const char *path,
                              const char *body)
{
    const char *headers[] = {u != NULL ? u->auth : NULL, NULL};
    return api_request(r, method, path, headers, body);
}

/* The same with a printf-style path. */
static inline long world_callf(struct api_response *r, const struct user *u, const char *method, const char *body,
                               const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static inline long world_callf(struct api_response *r, const struct user *u, const char *method, const char *body,
                               const char *fmt, ...)
{
    char path[512];
    va_list args;
    va_start(args, fmt);
    vsnprintf(path, sizeof(path), fmt, args);
    va_end(args);
    return world_call(r, u, method, path, body);
}

/* Staff creates a user of role (member of org when not NULL), who then logs in. */
static inline bool world_user(struct world *w, struct user *u, const char *prefix, const char *role, const char *org)
{
    memset(u, 0, sizeof(*u));
    api_unique_email(u->email, sizeof(u->email), prefix);
    snprintf(u->name, sizeof(u->name), "%s %s", prefix, w->tag);
    json_t *body = json_pack("{s:s,s:s,s:s,s:s}", "email", u->email, "name", u->name, "role", role, "password",
                             PEOPLE_PASSWORD);
    if (org != NULL)
        json_object_set_new(body, "organization_id", json_string(org));
    struct api_response r;
    bool ok = post_as(&r, &w->staff, "/api/v1/users", body, 201);
    api_free(&r);
    return ok && login(u);
}

static inline bool world_preceptor(struct world *w, const char *org, const char *user_id, char *id_out)
{
    char npi[11], email[160];
    random_npi(npi);
    api_unique_email(email, sizeof(email), "prcrec");
    json_t *body = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "organization_id", org, "name", "Dr. Amal Rahman",
                             "email", email, "npi", npi, "specialty", "internal-medicine", "license_state", "NY",
                             "license_number", "LIC-20931");
    if (user_id != NULL)
        json_object_set_new(body, "user_id", json_string(user_id));
    return create_object(&w->staff, "/api/v1/preceptors", body, id_out);
}

static inline bool world_offering(struct world *w, const struct user *u, const char *org, const char *site,
                                  const char *prc, const char *title, const char *kind, char *id_out)
{
    json_t *body = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:i,s:i,s:i,s:i,s:s}", "organization_id", org,
                             "site_id", site, "preceptor_id", prc, "title", title, "specialty", "internal-medicine",
                             "kind", kind, "setting", "inpatient", "weeks", 4, "hours_per_week", 40,
                             "tuition_cents", 250000, "application_fee_cents", 5000, "deposit_cents", 89900,
                             "description", "Inpatient internal medicine on the teaching service.");
    (void)w;
    return create_object(u, "/api/v1/offerings", body, id_out);
}

/* Staff (from the CLI), two hosts with a coordinator, a preceptor account and an offering each, and a coach. */
static inline bool world_setup(struct world *w, struct api_server *srv, const char *tag)
{
    memset(w, 0, sizeof(*w));
    w->srv = srv;
    snprintf(w->tag, sizeof(w->tag), "%s", tag);
    api_use(srv);
    w->db = api_db_open(srv);
    if (w->db == NULL)
        return false;
    api_unique_email(w->staff.email, sizeof(w->staff.email), "staff");
    snprintf(w->staff.name, sizeof(w->staff.name), "Staff %s", tag);
    const char *args[] = {"user", "add", "--email", w->staff.email, "--name", w->staff.name, "--role", "staff",
                          "--password-stdin", NULL};
    struct api_cli_result res;
    int code = api_cli(srv->db, args, PEOPLE_PASSWORD "\n", &res);
    if (code != 0)
        TEST_FAILF("rounds user add (staff) exited %d: %.400s", code, res.err);
    api_cli_free(&res);
    if (code != 0 || !login(&w->staff))
        return false;
    char name[128];
    snprintf(name, sizeof(name), "Mercy General %s %ld", tag, (long)getpid());
    if (!create_object(&w->staff, "/api/v1/organizations", json_pack("{s:s,s:s}", "name", name, "kind", "host"),
                       w->org_a))
        return false;
    snprintf(name, sizeof(name), "Lakeside Clinic %s %ld", tag, (long)getpid());
    if (!create_object(&w->staff, "/api/v1/organizations", json_pack("{s:s,s:s}", "name", name, "kind", "host"),
                       w->org_b))
        return false;
    if (!world_user(w, &w->coord_a, "coorda", "host_coordinator", w->org_a) ||
        !world_user(w, &w->precep_a, "precepa", "preceptor", w->org_a) ||
        !world_user(w, &w->coord_b, "coordb", "host_coordinator", w->org_b) ||
        !world_user(w, &w->precep_b, "precepb", "preceptor", w->org_b) ||
        !world_user(w, &w->coach, "coach", "coach", NULL))
        return false;
    if (!create_object(&w->staff, "/api/v1/sites",
                       json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "organization_id", w->org_a, "name", "Main campus",
                                 "address", "350 Jay Street", "city", "Brooklyn", "state", "NY", "zip", "11201"),
                       w->site_a) ||
        !create_object(&w->staff, "/api/v1/sites",
                       json_pack("{s:s,s:s,s:s,s:s,s:s}", "organization_id", w->org_b, "name", "Lakeside", "city",
                                 "Chicago", "state", "IL", "zip", "60601"),
                       w->site_b))
        return false;
    if (!world_preceptor(w, w->org_a, w->precep_a.id, w->prc_a) ||
        !world_preceptor(w, w->org_b, w->precep_b.id, w->prc_b))
        return false;
    char title_a[160], title_b[160];
    snprintf(title_a, sizeof(title_a), "Internal Medicine Clerkship %s", tag);
    snprintf(title_b, sizeof(title_b), "Lakeside Outpatient Medicine %s", tag);
    return world_offering(w, &w->coord_a, w->org_a, w->site_a, w->prc_a, title_a, "hands_on", w->offering_a) &&
           world_offering(w, &w->coord_b, w->org_b, w->site_b, w->prc_b, title_b, "hands_on", w->offering_b);
}

/* ---- dates, the clock and the jobs ---- */

static inline void world_date(int days, char out[11])
{
    clock_date_from_days(clock_today_days() + days, out);
}

/* Moves the server's clock to noon of the day `days` from today. */
static inline void world_clock_days(int days)
{
    char body[96];
    /* From now to that day's noon (UTC), so that a run near midnight still lands on it. */
    long long now = (long long)time(NULL);
    long long noon = ((long long)(clock_today_days() + days)) * 86400 + 12 * 3600;
    snprintf(body, sizeof(body), "{\"offset_seconds\":%lld}", noon - now);
    struct api_response r;
    world_call(&r, NULL, "POST", "/api/v1/test/clock", body);
    if (r.status != 200)
        TEST_FAILF("POST /api/v1/test/clock answered %ld: %.300s", r.status, r.body);
    api_free(&r);
}

static inline void world_clock_reset(void)
{
    struct api_response r;
    world_call(&r, NULL, "POST", "/api/v1/test/clock", "{\"offset_seconds\":0}");
    api_free(&r);
}

/* Runs the background jobs once; the reply (released by the caller) or NULL. */
static inline json_t *world_jobs(void)
{
    struct api_response r;
    world_call(&r, NULL, "POST", "/api/v1/test/jobs", "{}");
    if (r.status != 200) {
        TEST_FAILF("POST /api/v1/test/jobs answered %ld: %.300s", r.status, r.body);
        api_free(&r);
        return NULL;
    }
    json_t *j = json_incref(r.json);
    api_free(&r);
    return j;
}

static inline void world_run_jobs(void)
{
    json_t *j = world_jobs();
    json_decref(j);
}

/* ---- rotations ---- */

/* A block of offering from `start` days from today for `len` days. */
static inline bool world_block(struct world *w, const char *offering, int start, int len, char *id_out)
{
    char from[11], to[11], path[160];
    world_date(start, from);
    world_date(start + len, to);
    snprintf(path, sizeof(path), "/api/v1/offerings/%s/blocks", offering);
    return create_object(&w->staff, path, json_pack("{s:s,s:s,s:i}", "start", from, "end", to, "seats", 5), id_out);
}

static inline bool world_act(const struct user *u, const char *app, const char *action)
{
    struct api_response r;
    world_callf(&r, u, "POST", "{}", "/api/v1/applications/%s/%s", app, action);
    bool ok = r.status == 200;
    if (!ok)
        TEST_FAILF("%s on %s answered %ld: %.300s", action, app, r.status, r.body);
    api_free(&r);
    return ok;
}

/* The status of an application in the database (static buffer). */
static inline const char *world_status(struct world *w, const char *app)
{
    static char status[64];
    char *s = api_db_text(w->db, "SELECT status FROM applications WHERE id = $1", app, NULL, NULL);
    snprintf(status, sizeof(status), "%s", s != NULL ? s : "(none)");
    free(s);
    return status;
}

/* The student applies for a new block of offering (from `start` days, `len`
 * days long) and is taken to `until`: "offered", "booked" or "cleared". */
static inline bool world_rotation(struct world *w, const struct user *student, const char *offering, int start,
                                  int len, const char *until, char *app_out)
{
    char block[64];
    if (!world_block(w, offering, start, len, block))
        return false;
    struct api_response r;
    char *body = json_text(json_pack("{s:s,s:s}", "block_id", block, "statement", "Keen on inpatient medicine."));
    world_call(&r, student, "POST", "/api/v1/applications", body);
    free(body);
    bool ok = r.status == 201 && api_json_str(r.json, "id") != NULL;
    if (!ok)
        TEST_FAILF("applying answered %ld: %.300s", r.status, r.body);
    else
        snprintf(app_out, 64, "%s", api_json_str(r.json, "id"));
    api_free(&r);
    if (!ok || !world_act(&w->staff, app_out, "offer") || strcmp(until, "offered") == 0)
        return ok;
    if (!world_act(student, app_out, "accept") || !world_act(&w->staff, app_out, "book") || strcmp(until, "booked") == 0)
        return !test_current_failed;
    return world_act(&w->staff, app_out, "clear");
}

/* A student whose rotation (offering A unless offering is given) started
 * `days_ago` days ago (the clock is moved there and the calendar run): in progress. */
static inline bool world_in_progress(struct world *w, const struct user *student, const char *offering, int start,
                                     int len, int day, char *app_out)
{
    world_clock_reset();
    if (!world_rotation(w, student, offering != NULL ? offering : w->offering_a, start, len, "cleared", app_out))
        return false;
    world_clock_days(start + day);
    world_run_jobs();
    if (strcmp(world_status(w, app_out), "in_progress") != 0) {
        TEST_FAILF("the calendar did not start %s: it is %s", app_out, world_status(w, app_out));
        return false;
    }
    return true;
}

#endif
