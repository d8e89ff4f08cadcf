/* check_ins.c — weekly check-ins and their prompts; see check_ins.h. */
#include "domain/check_ins.h"

#include <stdio.h>
#include <string.h>

#include "domain/applications.h"
#include "domain/coaches.h"
#include "domain/notify.h"
#include "domain/support.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/limits.h"
#include "store/rotation.h"

enum { PROMPT_BATCH = 500 };
#define ACTIVITIES_TOO_LONG "must be at most " LIMIT_TEXT(CHECK_IN_TEXT_MAX_CHARS) " characters"

bool check_in_week(const char *start, const char *end, const char *today, char week_start[11])
{
    if (start == NULL || end == NULL || strcmp(today, start) < 0 || strcmp(today, end) > 0)
        return false;
    int32_t first = clock_days_from_date(start);
    int32_t now = clock_days_from_date(today);
    clock_date_from_days(first + (now - first) / 7 * 7, week_start);
    return true;
}

struct submit_ctx {
    struct arena *arena;
    const struct store_user *user;
    const char *application_id;
    const struct check_in_input *in;
    struct store_check_in *out;
    struct error *err;
};

/* A ticket for the coach when the student asked for help or scored low. */
static int open_ticket_if_worrying(struct db_conn *conn, struct submit_ctx *c, const struct store_application *a)
{
    if (!c->in->needs_help && c->in->score > COACH_WORRYING_SCORE)
        return DB_OK;
    char subject[TICKET_SUBJECT_MAX_CHARS + 1], week[CLOCK_DATE_WORDS_SIZE];
    snprintf(subject, sizeof(subject), "Check-in for the week of %s: %s", clock_date_words(c->out->week_start, week),
             c->in->needs_help ? "asked for help" : "a low score");
    char *body = arena_alloc(c->arena, CHECK_IN_TEXT_MAX_CHARS * 4 + 200);
    if (body == NULL)
        return DB_ERROR;
    snprintf(body, CHECK_IN_TEXT_MAX_CHARS * 4 + 200, "%s at %s, score %lld of 5.%s%s\n%s", a->offering_title,
             a->host_name != NULL ? a->host_name : "the host", (long long)c->in->score,
             c->in->needs_help ? " They asked for help." : "", "\nWhat they did:",
             c->in->activities != NULL ? c->in->activities : "");
    struct store_ticket t;
    int rc = ticket_open_for_check_in(conn, c->arena, c->user, a->id, subject, body, &t);
    if (rc == DB_OK)
        rc = store_check_in_set_ticket(conn, c->out->id, t.id);
    if (rc == DB_OK)
        c->out->ticket_id = t.id;
    return rc;
}

static int submit_tx(struct db_conn *conn, void *p)
{
    struct submit_ctx *c = p;
    struct store_application a;
    if (application_get_visible(conn, c->arena, c->application_id, c->user, "check_in", &a, c->err) != 0)
        return DB_CONSTRAINT; /* roll back: the error says why */
    if (strcmp(a.student_id, c->user->id) != 0) {
        error_set(c->err, ERR_FORBIDDEN, NULL, "only the student checks in");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    char today[11], week[11];
    clock_today(today);
    if (application_status_of(&a) != APPLICATION_IN_PROGRESS || !check_in_week(a.block_start, a.block_end, today, week)) {
        error_set(c->err, ERR_NOT_IN_ROTATION, NULL, "check-ins are for the days of a rotation under way");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    int64_t now = clock_now();
    char id[48];
    crypto_sortable_id("ci_", clock_now_ms(), id, sizeof(id));
    *c->out = (struct store_check_in){.id = arena_strdup(c->arena, id),
                                      .application_id = a.id,
                                      .student_id = a.student_id,
                                      .week_start = arena_strdup(c->arena, week),
                                      .score = c->in->score,
                                      .activities = c->in->activities != NULL ? c->in->activities : "",
                                      .needs_help = c->in->needs_help,
                                      .created_at = now};
    int rc = store_check_in_insert(conn, c->out);
    if (rc == DB_CONSTRAINT) {
        error_set(c->err, ERR_CONFLICT, NULL, "you checked in for this week already");
        return DB_CONSTRAINT; /* roll back: the error says why */
    }
    if (rc == DB_OK)
        rc = open_ticket_if_worrying(conn, c, &a);
    if (rc == DB_OK)
        rc = store_audit_add(conn, c->user->id, AUDIT_CHECK_IN, AUDIT_ON_APPLICATION, a.id, week, now);
    return rc;
}

int check_in_submit(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                    const char *application_id, const struct check_in_input *in, struct store_check_in *out,
                    struct error *err)
{
    if (user == NULL)
        return error_set(err, ERR_NOT_FOUND, NULL, "no such application");
    if (in->score < 1 || in->score > 5)
        return error_set(err, ERR_VALIDATION_FAILED, "score", "must be 1 to 5");
    if (in->activities != NULL && in->activities[0] != '\0' &&
        support_check_text(in->activities, "activities", CHECK_IN_TEXT_MAX_CHARS, ACTIVITIES_TOO_LONG, true, err) != 0)
        return -1;
    struct submit_ctx c = {arena, user, application_id, in, out, err};
    err->code = ERR_NONE;
    int rc = db_run_tx(conn, true, submit_tx, &c);
    if (err->code != ERR_NONE)
        return -1;
    return rc == DB_OK ? 0 : error_set(err, ERR_UNAVAILABLE, NULL, NULL);
}

int check_ins_list(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                   const char *application_id, struct store_check_in **out, size_t *count, struct error *err)
{
    struct store_application a;
    if (application_get_visible(conn, arena, application_id, user, "check_ins", &a, err) != 0)
        return -1;
    if (store_check_ins_of_application(conn, arena, a.id, out, count) != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    return 0;
}

struct prompt_ctx {
    struct arena *arena;
    const char *id, *today;
    bool sent; /* by this attempt of the transaction (counted once it commits) */
};

/* The prompt of the current week for one rotation under way, claimed and sent in one transaction. */
static int prompt_tx(struct db_conn *conn, void *p)
{
    struct prompt_ctx *c = p;
    c->sent = false;
    struct store_application a;
    int rc = store_application_get(conn, c->arena, c->id, &a);
    if (rc != DB_ROW)
        return rc == DB_DONE ? DB_OK : rc;
    char week[11], kind[32];
    if (!check_in_week(a.block_start, a.block_end, c->today, week))
        return DB_OK;
    snprintf(kind, sizeof(kind), "check_in:%s", week);
    int64_t now = clock_now();
    rc = store_notice_claim(conn, a.id, kind, now);
    if (rc == DB_DONE)
        return DB_OK; /* sent before, by any instance */
    if (rc != DB_OK)
        return rc;
    char title[512], link[96], week_words[CLOCK_DATE_WORDS_SIZE];
    snprintf(title, sizeof(title), "How is %s going? Check in for the week of %s", a.offering_title,
             clock_date_words(week, week_words));
    snprintf(link, sizeof(link), "/rotations/%s/check-ins", a.id);
    struct recipient to = {a.student_id, a.student_email};
    notify(conn, c->arena, &to, "check_in_prompt", title, link, now);
    c->sent = true;
    return DB_OK;
}

int check_ins_prompt(struct db_conn *conn, struct arena *arena, int *sent)
{
    *sent = 0;
    char today[11];
    clock_today(today);
    const char **ids;
    size_t count;
    int rc = store_calendar_due(conn, arena, CALENDAR_UNDER_WAY, today, NULL, PROMPT_BATCH, &ids, &count);
    for (size_t i = 0; rc == DB_OK && i < count; i++) {
        struct prompt_ctx c = {arena, ids[i], today, false};
        rc = db_run_tx(conn, true, prompt_tx, &c);
        if (rc == DB_OK && c.sent)
            (*sent)++;
    }
    return rc;
}
