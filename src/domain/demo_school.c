/* demo_school.c — the demo school's cohort and match round for `rounds seed
 * --demo`, so that a round can be run from `make run`: twelve cohort students
 * (cohort01…cohort12@rounds.test, the demo password) and the demo student,
 * all linked to the school; a round open for ranking with seats reserved in
 * six upcoming blocks of the demo host (one ranked by the host, the others
 * by lottery); every cohort student but the demo student has ranked; and
 * four of them applied on their own to other blocks of the host, through the
 * real state machine (submitted, under review, offered), so that the school's
 * dashboard and the host's list show applications on their way; and the
 * school's affiliation agreement with the host (demo_paperwork.h). Safe to
 * run again: only what is missing is added. */
#include "domain/demo_school.h"

#include <stdio.h>
#include <string.h>

#include "domain/applications.h"
#include "domain/auth.h"
#include "domain/demo_paperwork.h"
#include "domain/match_rounds.h"
#include "domain/schools.h"
#include "lib/clock.h"
#include "store/schools.h"

enum { COHORT = 12, ROUND_BLOCKS = 6, DAY = 86400 };

static const char *const cohort_names[COHORT] = {
    "Aisha Bello",   "Mateo Rojas",  "Priyanka Nair", "Kwame Mensah",  "Sofia Petrov", "Hiro Tanaka",
    "Fatima Zahra",  "Lucas Moreau", "Grace Wanjiru", "Omar Haddad",   "Elena Novak",  "Tunde Adeyemi",
};

/* The cohort's accounts, created when missing, with a student profile. */
static int seed_cohort(struct db_conn *conn, struct arena *arena, const char *password, struct store_user *out)
{
    for (int i = 0; i < COHORT; i++) {
        char email[64];
        snprintf(email, sizeof(email), "cohort%02d@rounds.test", i + 1);
        struct error err = {0};
        int rc = store_user_by_email(conn, arena, email, &out[i]);
        if (rc == DB_DONE && auth_create_user(conn, arena, email, cohort_names[i], password, ROLE_STUDENT, NULL,
                                              &out[i], &err) != 0)
            return DB_ERROR;
        if (rc != DB_ROW && rc != DB_DONE)
            return rc;
        struct store_profile p = out[i].profile;
        p.status = student_status_name(STUDENT_STATUS_STUDENT);
        p.step1 = step1_result_name(i % 4 == 3 ? STEP1_NOT_TAKEN : STEP1_PASSED);
        p.english_proof = english_proof_name(ENGLISH_TOEFL);
        p.graduation_year = 2027;
        p.school = "St. Aurelia School of Medicine";
        if (store_user_set_profile(conn, out[i].id, &p) != DB_OK)
            return DB_ERROR;
        out[i].profile = p;
    }
    return DB_OK;
}

static int link(struct db_conn *conn, const char *school_id, const char *student_id, int64_t now)
{
    struct store_school_student l = {.organization_id = school_id,
                                     .student_id = student_id,
                                     .status = school_link_status_name(SCHOOL_LINK_ACTIVE),
                                     .graduation_year = 2027,
                                     .updated_at = now};
    return store_school_student_put(conn, &l);
}

/* A block with a free seat whose offering is open to any student (as the round's are). */
static bool open_to_any(struct db_conn *conn, struct arena *arena, const struct store_match_round_block *b)
{
    struct store_offering o;
    return b->seats > 0 && store_offering_get(conn, arena, b->offering_id, &o) == DB_ROW && o.students_allowed &&
           !o.step1_required && !o.english_proof_required && o.visa_kinds[0] == '\0' && !o.requires_affiliation;
}

/* Cohort students who applied to the host on their own: each to a block of
 * another offering, taken as far as its steps say by the host's coordinator. */
static int seed_applications(struct db_conn *conn, struct arena *arena, const struct demo_school *d,
                             const struct store_user *cohort, const char *round_id)
{
    static const struct {
        int student;
        const char *steps[2]; /* the host's moves after the submission */
        const char *statement;
    } applying[] = {
        {0, {NULL, NULL}, "I am preparing for internal medicine and want to learn how a U.S. ward team works."},
        {1, {"review", NULL}, "Family medicine is my first choice; I would value your outpatient clinics."},
        {2, {"review", "offer"}, "I hope to see how emergency and inpatient care connect in a community hospital."},
        {4, {NULL, NULL}, "A research month would let me contribute to a quality-improvement project."},
    };
    struct store_user host;
    if (d->host_coordinator_id == NULL || store_user_by_id(conn, arena, d->host_coordinator_id, &host) != DB_ROW)
        return DB_OK;
    char after[11];
    clock_date_from_days(clock_today_days() + 30, after);
    struct store_match_round_block *c = NULL;
    size_t count = 0, next = 0;
    if (store_match_block_candidates(conn, arena, round_id, d->host_id, after, 2000, &c, &count) != DB_OK)
        return DB_ERROR;
    const char *used[sizeof(applying) / sizeof(applying[0])] = {0}; /* the offerings applied to so far */
    for (size_t i = 0; i < sizeof(applying) / sizeof(applying[0]); i++) {
        const struct store_match_round_block *b = NULL;
        for (; next < count && b == NULL; next++) {
            bool repeat = false;
            for (size_t j = 0; j < i && !repeat; j++)
                repeat = strcmp(used[j], c[next].offering_id) == 0;
            if (!repeat && open_to_any(conn, arena, &c[next]))
                b = &c[next];
        }
        if (b == NULL)
            return DB_OK; /* the host has no more open blocks: fewer applications */
        used[i] = b->offering_id;
        struct store_application a;
        struct error err = {0};
        if (application_submit(conn, arena, &cohort[applying[i].student], b->block_id, applying[i].statement, NULL, 0,
                               &a, &err) != 0)
            return DB_ERROR;
        for (size_t k = 0; k < 2 && applying[i].steps[k] != NULL; k++)
            if (application_transition(conn, arena, a.id, applying[i].steps[k], &host, NULL, &a, &err) != 0)
                return DB_ERROR;
    }
    return DB_OK;
}

/* The open round: six blocks of the host, two seats each when free. None when
 * the host has no block open to any student after the ranking deadline (a
 * database whose catalog was there before the demo's). */
static int seed_round(struct db_conn *conn, struct arena *arena, const struct demo_school *d,
                      const struct store_user *cohort, struct demo_school_added *added)
{
    struct store_user coordinator;
    if (store_user_by_id(conn, arena, d->coordinator_id, &coordinator) != DB_ROW)
        return DB_ERROR;
    struct match_round_new r = {.school_id = d->school_id,
                                .name = "Spring 2027 cohort (demo)",
                                .mode = match_round_mode_name(MATCH_ROUND_MODE_ONE),
                                .seed = "demo-spring-2027",
                                .max_placements = 1,
                                .deadline = clock_now() + 14 * DAY};
    char after[11]; /* blocks must start after the ranking deadline */
    clock_date_from_days((int32_t)(r.deadline / 86400), after);
    struct store_match_round_block *c = NULL;
    size_t count = 0;
    if (store_match_block_candidates(conn, arena, NULL, d->host_id, after, 2000, &c, &count) != DB_OK)
        return DB_ERROR;
    const struct store_match_round_block *picked[ROUND_BLOCKS];
    const char *chosen[ROUND_BLOCKS];
    size_t n = 0;
    for (size_t i = 0; i < count && n < ROUND_BLOCKS; i++) {
        bool same_offering = false;
        for (size_t j = 0; j < n && !same_offering; j++)
            same_offering = strcmp(chosen[j], c[i].offering_id) == 0;
        struct store_offering o;
        if (same_offering || store_offering_get(conn, arena, c[i].offering_id, &o) != DB_ROW ||
            !o.students_allowed || o.step1_required || o.english_proof_required || o.visa_kinds[0] != '\0')
            continue; /* open to any student: the demo student can rank them without a profile */
        picked[n] = &c[i];
        chosen[n++] = c[i].offering_id;
    }
    if (n == 0)
        return DB_OK;
    struct store_match_round round;
    struct error err = {0};
    if (match_round_create(conn, arena, &coordinator, &r, &round, &err) != 0)
        return DB_ERROR;
    for (size_t i = 0; i < n; i++) {
        const struct store_match_round_block *b = picked[i];
        if (match_round_add_block(conn, arena, &coordinator, round.id, b->block_id, b->seats < 2 ? b->seats : 2,
                                  &err) == 0)
            added->blocks++;
    }
    if (added->blocks == 0 || match_round_act(conn, arena, &coordinator, round.id, "open", &round, &err) != 0)
        return DB_ERROR;
    struct store_match_round_block *blocks = NULL;
    if (store_match_round_blocks(conn, arena, round.id, &blocks, &count) != DB_OK)
        return DB_ERROR;
    for (int s = 0; s < COHORT; s++) { /* each ranks up to four blocks open to them, in an order of their own */
        const char *list[ROUND_BLOCKS];
        size_t k = 0;
        for (size_t j = 0; j < count && k < 4; j++) {
            const struct store_match_round_block *b = &blocks[(j * 5 + (size_t)s * 7) % count];
            struct store_offering o;
            bool repeat = false;
            for (size_t a = 0; a < k && !repeat; a++)
                repeat = strcmp(list[a], b->block_id) == 0;
            if (!repeat && store_offering_get(conn, arena, b->offering_id, &o) == DB_ROW &&
                match_round_student_eligible(&o, &cohort[s].profile))
                list[k++] = b->block_id;
        }
        if (match_round_rank(conn, arena, &cohort[s], round.id, list, k, &err) != 0)
            return DB_ERROR;
    }
    added->round_id = round.id;
    return seed_applications(conn, arena, d, cohort, round.id);
}

int demo_school_seed(struct db_conn *conn, struct arena *arena, const struct demo_school *d,
                     struct demo_school_added *added)
{
    memset(added, 0, sizeof(*added));
    struct store_user cohort[COHORT];
    int64_t now = clock_now();
    int rc = seed_cohort(conn, arena, d->password, cohort);
    for (int i = 0; rc == DB_OK && i < COHORT; i++)
        rc = link(conn, d->school_id, cohort[i].id, now);
    if (rc == DB_OK && d->demo_student_id != NULL)
        rc = link(conn, d->school_id, d->demo_student_id, now);
    if (rc == DB_OK) /* signed long before the cohort applied */
        rc = demo_agreement_seed(conn, arena, d->coordinator_id, d->host_coordinator_id, d->school_id, d->host_id,
                                 &added->agreement);
    if (rc != DB_OK)
        return rc;
    added->students = COHORT + (d->demo_student_id != NULL);
    struct store_match_round *rounds = NULL;
    size_t count = 0;
    struct store_match_rounds_filter newest = {.school_id = d->school_id, .limit = 1};
    rc = store_match_rounds_page(conn, arena, &newest, &rounds, &count);
    if (rc != DB_OK || count > 0) {
        added->round_id = count > 0 ? rounds[0].id : NULL;
        return rc;
    }
    /* the round's cohort is the school's students at creation: the demo student included */
    return seed_round(conn, arena, d, cohort, added);
}
