/* api_rotation_world.h — the people and rotations of the rotation suites
 * (test_api_rotation.c and the suites after it): staff, two hosts with a
 * coordinator and a preceptor account each, coaches, offerings, and helpers
 * that take a fresh student from applying to booked, cleared and under way
 * by the calendar with the test clock, built from the parts in api_world.h
 * and the steps in api_steps.h and api_hooks.h.
 * Include after api_client.h with PEOPLE_PASSWORD defined; servers run with
 * --test-hooks 1.
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
#include "api_hooks.h"
#include "api_people.h"
#include "api_steps.h"
#include "api_world.h"
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
    return world_member(&w->staff, u, prefix, w->tag, role, org);
}

static inline bool world_preceptor(struct world *w, const char *org, const char *user_id, char *id_out)
{
    return world_preceptor_record(&w->staff, org, user_id, &WORLD_PRECEPTOR_NY, id_out);
}

static inline bool world_offering(struct world *w, const struct user *u, const char *org, const char *site,
                                  const char *prc, const char *title, const char *kind, char *id_out)
{
    json_t *body = world_medicine_offering_body(org, site, prc, title, kind);
    json_object_set_new(body, "hours_per_week", json_integer(40));
    (void)w;
    return create_object(u, "/api/v1/offerings", body, id_out);
}

/* Staff (from the CLI), two hosts with a coordinator, a preceptor account and an offering each, and a coach. */
static inline bool world_setup(struct world *w, struct api_server *srv, const char *tag)
{
    static const struct world_place main_campus = {"Main campus", "350 Jay Street", "Brooklyn", "NY", "11201"};
    static const struct world_place lakeside = {"Lakeside", NULL, "Chicago", "IL", "60601"};
    memset(w, 0, sizeof(*w));
    w->srv = srv;
    snprintf(w->tag, sizeof(w->tag), "%s", tag);
    if (!world_staff(srv, &w->db, &w->staff, "staff", tag))
        return false;
    if (!world_org(&w->staff, "host", w->org_a, "Mercy General %s %ld", tag, (long)getpid()) ||
        !world_org(&w->staff, "host", w->org_b, "Lakeside Clinic %s %ld", tag, (long)getpid()))
        return false;
    if (!world_user(w, &w->coord_a, "coorda", "host_coordinator", w->org_a) ||
        !world_user(w, &w->precep_a, "precepa", "preceptor", w->org_a) ||
        !world_user(w, &w->coord_b, "coordb", "host_coordinator", w->org_b) ||
        !world_user(w, &w->precep_b, "precepb", "preceptor", w->org_b) ||
        !world_user(w, &w->coach, "coach", "coach", NULL))
        return false;
    if (!world_site(&w->staff, w->org_a, &main_campus, w->site_a) ||
        !world_site(&w->staff, w->org_b, &lakeside, w->site_b))
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

/* ---- dates ---- */

static inline void world_date(int days, char out[11])
{
    clock_date_from_days(clock_today_days() + days, out);
}

/* ---- rotations ---- */

/* The student applies for a new block of offering (from `start` days, `len`
 * days long) and is taken to `until`: "offered", "booked" or "cleared". */
static inline bool world_rotation(struct world *w, const struct user *student, const char *offering, int start,
                                  int len, const char *until, char *app_out)
{
    char block[64];
    if (!steps_block(&w->staff, offering, start, len, 5, block))
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
    if (!ok || !steps_act(&w->staff, app_out, "offer") || strcmp(until, "offered") == 0)
        return ok;
    if (!steps_act(student, app_out, "accept") || !steps_act(&w->staff, app_out, "book") ||
        strcmp(until, "booked") == 0)
        return !test_current_failed;
    return steps_act(&w->staff, app_out, "clear");
}

/* A student whose rotation (offering A unless offering is given) started
 * `days_ago` days ago (the clock is moved there and the calendar run): in progress. */
static inline bool world_in_progress(struct world *w, const struct user *student, const char *offering, int start,
                                     int len, int day, char *app_out)
{
    hooks_set_clock(0);
    if (!world_rotation(w, student, offering != NULL ? offering : w->offering_a, start, len, "cleared", app_out))
        return false;
    hooks_set_clock_noon(start + day);
    hooks_run_jobs();
    if (strcmp(steps_status(w->db, app_out), "in_progress") != 0) {
        TEST_FAILF("the calendar did not start %s: it is %s", app_out, steps_status(w->db, app_out));
        return false;
    }
    return true;
}

#endif
