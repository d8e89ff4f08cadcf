/* api_steps.h — the steps the API suites repeat around their worlds, built on
 * api_hooks.h and api_people.h: moving the clock with the suite's people kept
 * signed in, a block of an offering, an action on an application (by its
 * role, or staff overriding the calendar), the application's status in the
 * database, and a small PDF in a student's wallet. Each suite passes its
 * own people and data in. Include after api_client.h with PEOPLE_PASSWORD
 * defined.
 *
 * Every function is static inline so that a suite may use any subset. */
#ifndef ROUNDS_TESTS_API_STEPS_H
#define ROUNDS_TESTS_API_STEPS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "api_client.h"
#include "api_hooks.h"
#include "api_people.h"
#include "lib/clock.h"
#include "test.h"

/* ---- the clock ---- */

/* Moves the clock, then signs people (NULL-terminated; entries without an
 * email are skipped) in again: sessions idle for more than 30 days end, so
 * the suites that move the clock by months keep their people signed in. */
static inline void steps_set_clock_signed_in(long long offset, struct user *const *people)
{
    hooks_set_clock(offset);
    for (size_t i = 0; people[i] != NULL; i++)
        if (people[i]->email[0] != '\0' && !login(people[i]))
            TEST_FAILF("signing %s in again after moving the clock failed", people[i]->email);
}

/* ---- blocks and applications ---- */

/* staff makes a block of offering from `start` days from today, `len` days
 * long, with `seats` seats; its id into id_out[64]. */
static inline bool steps_block(const struct user *staff, const char *offering, int start, int len, int seats,
                               char *id_out)
{
    char from[11], to[11], path[160];
    clock_date_from_days(clock_today_days() + start, from);
    clock_date_from_days(clock_today_days() + start + len, to);
    snprintf(path, sizeof(path), "/api/v1/offerings/%s/blocks", offering);
    return create_object(staff, path, json_pack("{s:s,s:s,s:i}", "start", from, "end", to, "seats", seats), id_out);
}

/* POSTs body (released) to the action of app as u; true on 200, else a failed check. */
static inline bool steps_act_with(const struct user *u, const char *app, const char *action, json_t *body)
{
    char path[200];
    int len = snprintf(path, sizeof(path), "/api/v1/applications/%s/%s", app, action);
    if (len < 0 || (size_t)len >= sizeof(path)) {
        TEST_FAILF("the path of %s on %s is too long", action, app);
        json_decref(body);
        return false;
    }
    struct api_response r;
    bool ok = post_as(&r, u, path, body, 200);
    api_free(&r);
    return ok;
}

/* u takes action ("offer", "accept", "book", …) on app as the calendar allows. */
static inline bool steps_act(const struct user *u, const char *app, const char *action)
{
    return steps_act_with(u, app, action, json_object());
}

/* staff take action on app outside the rotation's dates, with a reason. */
static inline bool steps_override(const struct user *staff, const char *app, const char *action)
{
    return steps_act_with(staff, app, action, json_pack("{s:s}", "override_reason", "Set up by the test"));
}

/* The status of an application in the database ("(none)" when missing; a
 * static buffer, valid until the next call). */
static inline const char *steps_status(struct db_conn *db, const char *app)
{
    static char status[64];
    char *s = api_db_text(db, "SELECT status FROM applications WHERE id = $1", app, NULL, NULL);
    snprintf(status, sizeof(status), "%s", s != NULL ? s : "(none)");
    free(s);
    return status;
}

/* ---- documents ---- */

#define STEPS_BOUNDARY "rounds-steps-boundary"

/* Uploads a tiny PDF (kind passport) to u's wallet; its id into id_out[64]. */
static inline bool steps_upload_pdf(const struct user *u, char *id_out)
{
    static const char body[] =
        "--" STEPS_BOUNDARY "\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\npassport\r\n"
        "--" STEPS_BOUNDARY "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.pdf\"\r\n"
        "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n%%EOF\n\r\n--" STEPS_BOUNDARY "--\r\n";
    const char *headers[] = {u->auth, "Content-Type: multipart/form-data; boundary=" STEPS_BOUNDARY, NULL};
    struct api_raw_request rq = {"POST", "/api/v1/documents", headers, body, sizeof(body) - 1, true};
    struct api_response r;
    api_send(&r, &rq);
    bool ok = r.status == 201 && api_json_str(r.json, "id") != NULL;
    if (ok)
        snprintf(id_out, 64, "%s", api_json_str(r.json, "id"));
    else
        TEST_FAILF("uploading a document answered %ld: %.300s", r.status, r.body);
    api_free(&r);
    return ok;
}

#endif
