/* demo_paperwork.c — the demo's agreement, evaluation and letter request;
 * see demo_paperwork.h. */
#include "domain/demo_paperwork.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/agreements.h"
#include "domain/demo_story.h"
#include "domain/evaluations.h"
#include "domain/letters.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "store/blobs.h"
#include "store/letters.h"

enum { DAY = 86400, HOUR = 3600, AGREEMENT_YEARS = 3, DEMO_PDF_MAX = 512 };

/* The domain refused a step of the story: our bug, said loudly. */
static int refused(const char *step, const struct error *err)
{
    log_error("msg=\"the demo seed was refused a step\" step=%s code=%s detail=\"%s\"", step,
              error_title(err->code), err->detail != NULL ? err->detail : "");
    return DB_ERROR;
}

/* The preceptor's evaluation, `at`: good, with a letter offered. */
static int evaluate(struct db_conn *conn, struct arena *arena, const struct store_user *preceptor,
                    const char *application_id, int64_t at, bool *made)
{
    struct store_evaluation existing;
    int rc = store_evaluation_get(conn, arena, application_id, &existing);
    if (rc != DB_DONE)
        return rc == DB_ROW ? DB_OK : rc;
    struct evaluation_input in = {
        .scores = {8, 7, 9, 7, 8, 7, 8}, /* evaluation_score_names' order: overall last */
        .strengths = "Thorough histories and clear presentations on rounds; patients and nurses trusted her.",
        .improvements = "Commit to a plan before presenting it; read around each admission the same evening.",
        .would_write_letter = true,
    };
    struct store_evaluation e;
    struct error err = {0};
    int64_t offset = demo_clock_at(at);
    int failed = evaluation_submit(conn, arena, preceptor, application_id, &in, &e, &err);
    clock_set_offset(offset);
    if (failed != 0)
        return refused("evaluation", &err);
    *made = true;
    return DB_OK;
}

/* The student's request to the rotation's preceptor, `at`, and the preceptor's acceptance a day later. */
static int ask_for_letter(struct db_conn *conn, struct arena *arena, const struct store_user *student,
                          const struct store_user *preceptor, const struct store_application *a, int64_t at,
                          bool *made)
{
    struct store_letter *letters = NULL;
    size_t count = 0;
    struct store_letter_filter f = {.student_id = student->id, .limit = 100};
    int rc = store_letters_list(conn, arena, &f, &letters, &count);
    for (size_t i = 0; rc == DB_OK && i < count; i++)
        if (letters[i].application_id != NULL && strcmp(letters[i].application_id, a->id) == 0)
            return DB_OK; /* asked already */
    struct store_offering o;
    if (rc != DB_OK || (rc = store_offering_get(conn, arena, a->offering_id, &o)) != DB_ROW)
        return rc == DB_OK || rc == DB_DONE ? DB_ERROR : rc;
    struct letter_request request = {.preceptor_id = o.preceptor_id, .application_id = a->id, .waived = true};
    struct store_letter letter;
    struct error err = {0};
    int64_t offset = demo_clock_at(at);
    int failed = letter_request(conn, arena, student, &request, &letter, &err);
    if (failed == 0) {
        demo_clock_at(at + DAY - 1 * HOUR);
        struct letter_actor author = {.user = preceptor};
        failed = letter_accept(conn, arena, letter.id, &author, &letter, &err);
    }
    clock_set_offset(offset);
    if (failed != 0)
        return refused("letter", &err);
    *made = true;
    return DB_OK;
}

int demo_paperwork_after_rotation(struct db_conn *conn, struct arena *arena, const struct store_user *student,
                                  const char *preceptor_user_id, const char *application_id,
                                  struct demo_paperwork *made)
{
    memset(made, 0, sizeof(*made));
    struct store_application a;
    struct store_user preceptor;
    int rc = store_application_get(conn, arena, application_id, &a);
    if (rc == DB_ROW)
        rc = store_user_by_id(conn, arena, preceptor_user_id, &preceptor);
    if (rc != DB_ROW)
        return rc == DB_DONE ? DB_ERROR : rc;
    int64_t last_day = (int64_t)clock_days_from_date(a.block_end) * DAY;
    rc = evaluate(conn, arena, &preceptor, a.id, last_day + 2 * DAY + 17 * HOUR, &made->evaluated);
    if (rc == DB_OK)
        rc = ask_for_letter(conn, arena, student, &preceptor, &a, last_day + 3 * DAY + 10 * HOUR,
                            &made->letter_requested);
    return rc;
}

/* The agreement's signed copy: a small PDF sealed in the file store. */
static int signed_copy(const char *school_name, const char *host_name, const char *start, const char *end, char *pdf,
                       size_t size, size_t *len)
{
    int n = snprintf(pdf, size,
                     "%%PDF-1.4\n%% Rounds demo: affiliation agreement between %s and %s, %s to %s, signed\n"
                     "1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%%%EOF\n",
                     school_name, host_name, start, end);
    if (n <= 0 || (size_t)n >= size)
        return DB_ERROR;
    *len = (size_t)n;
    return DB_OK;
}

int demo_agreement_seed(struct db_conn *conn, struct arena *arena, const char *school_coordinator_id,
                        const char *host_coordinator_id, const char *school_id, const char *host_id, bool *created)
{
    *created = false;
    if (!blobs_ready() || school_coordinator_id == NULL || host_coordinator_id == NULL)
        return DB_OK;
    struct store_agreement *items = NULL;
    size_t count = 0;
    int rc = store_agreements_list(conn, arena, host_id, 500, &items, &count);
    for (size_t i = 0; rc == DB_OK && i < count; i++)
        if (strcmp(items[i].school_id, school_id) == 0)
            return DB_OK; /* the two have one already */
    struct store_user school, host;
    if (rc != DB_OK || (rc = store_user_by_id(conn, arena, school_coordinator_id, &school)) != DB_ROW ||
        (rc = store_user_by_id(conn, arena, host_coordinator_id, &host)) != DB_ROW)
        return rc == DB_OK || rc == DB_DONE ? DB_ERROR : rc;
    /* Proposed about seven months ago, from the first of the next month for three years. */
    int32_t proposed_day = clock_today_days() - 212;
    char start[11], end[11], next_month[11];
    clock_date_from_days(proposed_day + 31, next_month);
    snprintf(start, sizeof(start), "%.8s01", next_month);
    char years_later[24]; /* room for any int year: the compiler cannot know it has four digits */
    snprintf(years_later, sizeof(years_later), "%04d%.6s", (int)strtol(start, NULL, 10) + AGREEMENT_YEARS, start + 4);
    clock_date_from_days(clock_days_from_date(years_later) - 1, end);
    struct agreement_proposal proposal = {.host_id = host_id, .school_id = school_id, .start_date = start,
                                          .end_date = end};
    struct store_agreement agreement;
    struct error err = {0};
    int64_t proposed_at = (int64_t)proposed_day * DAY + 10 * HOUR;
    int64_t offset = demo_clock_at(proposed_at);
    int failed = agreement_propose(conn, arena, &school, &proposal, &agreement, &err);
    if (failed == 0) {
        char pdf[DEMO_PDF_MAX];
        size_t len = 0;
        demo_clock_at(proposed_at + 6 * DAY + 5 * HOUR); /* signed by the host a week later */
        failed = signed_copy(agreement.school_name != NULL ? agreement.school_name : school_id,
                             agreement.host_name != NULL ? agreement.host_name : host_id, start, end, pdf,
                             sizeof(pdf), &len) != DB_OK ||
                 agreement_activate(conn, arena, &host, agreement.id, pdf, len, &agreement, &err) != 0;
    }
    clock_set_offset(offset);
    if (failed != 0)
        return refused("agreement", &err);
    *created = true;
    return DB_OK;
}
