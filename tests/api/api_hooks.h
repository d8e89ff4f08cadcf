/* api_hooks.h — the test hooks of a server run with --test-hooks 1, as the
 * API suites call them on the current server: move its clock (and stop it),
 * run its background jobs once, or until a given address's mail has left.
 * Include after api_client.h.
 *
 * Every function is static inline so that a suite may use any subset. */
#ifndef ROUNDS_TESTS_API_HOOKS_H
#define ROUNDS_TESTS_API_HOOKS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "api_client.h"
#include "lib/clock.h"
#include "test.h"

/* ---- the clock ---- */

/* Moves the current server's clock to offset seconds from now (0: back to
 * now); frozen stops it (offsets then count from the instant it first
 * stopped), false lets it run again. */
static inline void hooks_set_clock_frozen(long long offset, bool frozen)
{
    char body[96];
    snprintf(body, sizeof(body), "{\"offset_seconds\":%lld,\"frozen\":%s}", offset, frozen ? "true" : "false");
    struct api_response r;
    api_request(&r, "POST", "/api/v1/test/clock", NULL, body);
    if (r.status != 200)
        TEST_FAILF("POST /api/v1/test/clock answered %ld: %.300s", r.status, r.body);
    api_free(&r);
}

/* Moves the current server's running clock to offset seconds from now (0: back to now). */
static inline void hooks_set_clock(long long offset)
{
    hooks_set_clock_frozen(offset, false);
}

/* Moves the clock to noon (UTC) of the day `days` from today, so that the
 * server's date is today + days whatever the time of the run (an hour ahead
 * of now is the next day after 23:00). */
static inline void hooks_set_clock_noon(long long days)
{
    long long now = (long long)time(NULL);
    long long noon = ((long long)clock_today_days() + days) * 86400 + 12 * 3600;
    hooks_set_clock(noon - now);
}

/* ---- the background jobs ---- */

/* Runs the background jobs once; the reply (the caller releases it), or NULL
 * after a failed check. */
static inline json_t *hooks_jobs(void)
{
    struct api_response r;
    api_request(&r, "POST", "/api/v1/test/jobs", NULL, "{}");
    if (r.status != 200) {
        TEST_FAILF("POST /api/v1/test/jobs answered %ld: %.300s", r.status, r.body);
        api_free(&r);
        return NULL;
    }
    json_t *reply = json_incref(r.json);
    api_free(&r);
    return reply;
}

static inline void hooks_run_jobs(void)
{
    json_decref(hooks_jobs());
}

/* Runs the jobs once; what the reply counts under field ("mail_sent",
 * "letter_reminders", …), -1 on failure. */
static inline long long hooks_run_jobs_count(const char *field)
{
    json_t *reply = hooks_jobs();
    long long n = reply != NULL ? api_json_int(reply, field, -1) : -1;
    json_decref(reply);
    return n;
}

/* ---- the outbox ---- */

/* Runs the jobs until no mail to address waits in the outbox of db (sent
 * mail has its address cleared), however much mail other tests or suites
 * queued before it: a round sends MAIL_BATCH (20) at most, the oldest first.
 * False after a failed check: a round sent nothing while that mail waited,
 * or it still waited after 1000 rounds. */
static inline bool hooks_deliver_mail_to(struct db_conn *db, const char *address)
{
    for (int round = 0; round < 1000; round++) {
        long long waiting =
            api_db_int(db, "SELECT COUNT(*) FROM outbox WHERE to_address = $1 AND sent_at IS NULL", address, NULL);
        if (waiting == 0)
            return true;
        long long sent = waiting > 0 ? hooks_run_jobs_count("mail_sent") : -1;
        if (sent <= 0) {
            TEST_FAILF("mail to %s still waits (%lld) and the jobs sent %lld", address, waiting, sent);
            return false;
        }
    }
    TEST_FAILF("mail to %s still waits after 1000 rounds of the jobs", address);
    return false;
}

#endif
