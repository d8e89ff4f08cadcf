/* match_rounds.c — match rounds: creation, seats, rank lists and who may
 * touch what; see match_rounds.h. Running and publishing are in
 * match_round_run.c. */
#include "domain/match_rounds.h"

#include <stdio.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/catalog_index.h"
#include "domain/notify.h"
#include "domain/schools.h"
#include "domain/validate.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/limits.h"
#include "store/applications.h"
#include "store/schools.h"

static bool given(const char *s)
{
    return s != NULL && s[0] != '\0';
}

static bool coordinates_host(const struct store_user *user, const char *host_id)
{
    if (account_has_role(user, ROLE_STAFF))
        return true;
    return account_is_member(user, host_id, ROLE_HOST_COORDINATOR);
}

bool match_round_student_eligible(const struct store_offering *o, const struct store_profile *profile)
{
    struct catalog_eligibility rules = {
        .students_allowed = o->students_allowed,
        .graduates_allowed = o->graduates_allowed,
        .step1_required = o->step1_required,
        .english_proof_required = o->english_proof_required,
        .max_years_since_graduation = o->max_years_since_graduation,
        .visa_kinds = o->visa_kinds,
    };
    char today[11];
    clock_today(today);
    int year = (today[0] - '0') * 1000 + (today[1] - '0') * 100 + (today[2] - '0') * 10 + (today[3] - '0');
    return catalog_eligible(&rules, profile, year);
}

/* ---- creation ---- */

struct create_ctx {
    struct arena *arena;
    const struct store_user *user;
    const struct match_round_new *r;
    struct store_match_round *out;
    struct error *err;
};

/* The cohort: the students named (each linked to the school), or all linked ones. */
static int add_cohort(struct db_conn *conn, struct create_ctx *c, const char *round_id)
{
    struct store_school_student *links = NULL;
    size_t count = 0;
    int rc = store_school_students_list(conn, c->arena, c->r->school_id, school_link_status_name(SCHOOL_LINK_ACTIVE),
                                        &links, &count);
    if (rc != DB_OK)
        return rc;
    if (c->r->student_ids == NULL) {
        for (size_t i = 0; i < count && rc == DB_OK; i++)
            rc = store_match_round_student_add(conn, round_id, links[i].student_id);
        return rc;
    }
    for (size_t i = 0; i < c->r->student_count && rc == DB_OK; i++) {
        bool linked = false;
        for (size_t j = 0; j < count && !linked; j++)
            linked = strcmp(links[j].student_id, c->r->student_ids[i]) == 0;
        if (!linked) {
            error_set(c->err, ERR_VALIDATION_FAILED, "student_ids", "a student is not linked to this school");
            return DB_CONSTRAINT;
        }
        rc = store_match_round_student_add(conn, round_id, c->r->student_ids[i]);
    }
    return rc;
}

static int create_tx(struct db_conn *conn, void *ctx)
{
    struct create_ctx *c = ctx;
    int64_t now = clock_now();
    char id[48], seed[48];
    crypto_sortable_id("mr_", clock_now_ms(), id, sizeof(id));
    if (!given(c->r->seed))
        crypto_random_id("seed-", seed, sizeof(seed));
    struct store_match_round r = {
        .id = id,
        .school_id = c->r->school_id,
        .name = c->r->name,
        .mode = c->r->mode,
        .seed = given(c->r->seed) ? c->r->seed : seed,
        .status = match_round_status_name(MATCH_ROUND_DRAFT),
        .created_by = c->user->id,
        .max_placements = match_round_mode_parse(c->r->mode) == MATCH_ROUND_MODE_ONE ? 1 : c->r->max_placements,
        .deadline = c->r->deadline,
        .created_at = now,
    };
    int rc = store_match_round_insert(conn, &r);
    if (rc == DB_OK)
        rc = add_cohort(conn, c, id);
    if (rc == DB_OK)
        rc = store_audit_add(conn, c->user->id, AUDIT_MATCH_ROUND_CREATE, AUDIT_ON_MATCH_ROUND, id, c->r->school_id,
                             now);
    if (rc == DB_OK)
        rc = store_match_round_get(conn, c->arena, id, c->out) == DB_ROW ? DB_OK : DB_ERROR;
    return rc;
}

int match_round_create(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                       const struct match_round_new *r, struct store_match_round *out, struct error *err)
{
    struct store_organization school;
    if (school_managed(conn, arena, user, r->school_id, &school, err) != 0)
        return -1;
    if (validate_text(r->name, "name", 1, MATCH_ROUND_NAME_MAX_CHARS, false, err) != 0)
        return -1;
    if (match_round_mode_parse(r->mode) == MATCH_ROUND_MODE_UNKNOWN)
        return error_set(err, ERR_VALIDATION_FAILED, "mode", "must be one or rotation");
    if (match_round_mode_parse(r->mode) == MATCH_ROUND_MODE_ROTATION && (r->max_placements < 1 || r->max_placements > MATCH_MAX_PLACEMENTS))
        return error_set(err, ERR_VALIDATION_FAILED, "max_placements",
                         "must be 1 to " LIMIT_TEXT(MATCH_MAX_PLACEMENTS) " in rotation mode");
    if (r->deadline <= clock_now())
        return error_set(err, ERR_VALIDATION_FAILED, "deadline", "must be in the future");
    if (given(r->seed) && validate_text(r->seed, "seed", 1, MATCH_SEED_MAX_CHARS, false, err) != 0)
        return -1;
    struct create_ctx c = {arena, user, r, out, err};
    err->code = ERR_NONE;
    int rc = db_run_tx(conn, true, create_tx, &c);
    if (rc == DB_OK)
        return 0;
    return err->code != ERR_NONE ? -1 : error_set(err, ERR_INTERNAL, NULL, NULL);
}

/* ---- who sees a round ---- */

int match_round_for(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *round_id,
                    struct store_match_round *out, unsigned *roles, struct error *err)
{
    *roles = 0;
    int rc = given(round_id) ? store_match_round_get(conn, arena, round_id, out) : DB_DONE;
    if (rc != DB_ROW)
        return error_set(err, rc == DB_DONE ? ERR_NOT_FOUND : ERR_INTERNAL, NULL,
                         rc == DB_DONE ? "no such match round" : NULL);
    if (school_may_manage(user, out->school_id))
        *roles |= MATCH_ROLE_COORDINATOR;
    bool in = false;
    if (store_match_round_has_student(conn, round_id, user->id, &in) != DB_OK)
        return error_set(err, ERR_INTERNAL, NULL, NULL);
    if (in)
        *roles |= MATCH_ROLE_STUDENT;
    struct store_match_round_block *blocks = NULL;
    size_t count = 0;
    if (store_match_round_blocks(conn, arena, round_id, &blocks, &count) != DB_OK)
        return error_set(err, ERR_INTERNAL, NULL, NULL);
    for (size_t i = 0; i < count && !(*roles & MATCH_ROLE_HOST); i++)
        if (!account_has_role(user, ROLE_STAFF) && coordinates_host(user, blocks[i].host_id))
            *roles |= MATCH_ROLE_HOST;
    if (*roles == 0)
        return error_set(err, ERR_NOT_FOUND, NULL, "no such match round");
    return 0;
}

/* The round if the user coordinates it and its status is one of allowed (bits by status). */
static int coordinated(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *round_id,
                       unsigned allowed, struct store_match_round *out, struct error *err)
{
    unsigned roles = 0;
    if (match_round_for(conn, arena, user, round_id, out, &roles, err) != 0)
        return -1;
    if (!(roles & MATCH_ROLE_COORDINATOR))
        return error_set(err, ERR_NOT_FOUND, NULL, "no such match round");
    enum match_round_status s = match_round_status_parse(out->status);
    if (s == MATCH_ROUND_STATUS_UNKNOWN || !(allowed & (1u << s)))
        return error_set(err, ERR_INVALID_TRANSITION, NULL, "the round cannot change in its current state");
    return 0;
}

#define SETUP_STATES ((1u << MATCH_ROUND_DRAFT) | (1u << MATCH_ROUND_OPEN))

/* ---- blocks ---- */

struct block_ctx {
    struct arena *arena;
    const struct store_user *user;
    const struct store_match_round *round;
    const char *block_id;
    int64_t seats;
    struct error *err;
};

/* In rotation mode a block must be one of the round's periods or overlap none. */
static bool fits_periods(const struct store_match_round_block *blocks, size_t count, const struct store_block *b)
{
    for (size_t i = 0; i < count; i++) {
        bool same = strcmp(blocks[i].start_date, b->start_date) == 0 && strcmp(blocks[i].end_date, b->end_date) == 0;
        bool overlap = strcmp(blocks[i].start_date, b->end_date) <= 0 && strcmp(b->start_date, blocks[i].end_date) <= 0;
        if (overlap && !same)
            return false;
    }
    return true;
}

static int add_block_tx(struct db_conn *conn, void *ctx)
{
    struct block_ctx *c = ctx;
    struct store_block block;
    int rc = store_block_get(conn, c->arena, c->block_id, &block);
    if (rc == DB_DONE) {
        error_set(c->err, ERR_VALIDATION_FAILED, "block_id", "there is no block with this id");
        return DB_CONSTRAINT;
    }
    if (rc != DB_ROW)
        return rc;
    char today[11];
    clock_today(today);
    char deadline[11];
    clock_date_from_days((int32_t)(c->round->deadline / 86400), deadline);
    if (strcmp(block.start_date, today) <= 0 || strcmp(block.start_date, deadline) <= 0) {
        error_set(c->err, ERR_BLOCK_STARTED, "block_id",
                  strcmp(block.start_date, today) <= 0 ? "this block has already started"
                                                       : "this block starts before the ranking deadline");
        return DB_CONSTRAINT;
    }
    struct store_match_round_block *blocks = NULL;
    size_t count = 0;
    rc = store_match_round_blocks(conn, c->arena, c->round->id, &blocks, &count);
    if (rc != DB_OK)
        return rc;
    if (match_round_mode_parse(c->round->mode) == MATCH_ROUND_MODE_ROTATION && !fits_periods(blocks, count, &block)) {
        error_set(c->err, ERR_CONFLICT, "block_id",
                  "its dates overlap another block of the round: in rotation mode blocks are periods that do not "
                  "overlap (or share the same dates)");
        return DB_CONSTRAINT;
    }
    rc = store_match_round_block_add(conn, c->round->id, c->block_id, c->seats);
    if (rc == DB_DONE) {
        error_set(c->err, ERR_BLOCK_NO_SEAT, "seats", "the block does not have that many seats free");
        return DB_CONSTRAINT;
    }
    if (rc == DB_CONSTRAINT) {
        error_set(c->err, ERR_CONFLICT, "block_id", "the block is in the round already");
        return DB_CONSTRAINT;
    }
    int64_t now = clock_now();
    if (rc == DB_OK)
        rc = store_catalog_changed(conn, block.offering_id, now);
    if (rc == DB_OK)
        rc = store_audit_add(conn, c->user->id, AUDIT_MATCH_ROUND_RESERVE, AUDIT_ON_MATCH_ROUND, c->round->id,
                             c->block_id, now);
    return rc;
}

int match_round_add_block(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                          const char *round_id, const char *block_id, int64_t seats, struct error *err)
{
    struct store_match_round round;
    if (coordinated(conn, arena, user, round_id, SETUP_STATES, &round, err) != 0)
        return -1;
    if (seats < 1 || seats > CATALOG_SEATS_MAX)
        return error_set(err, ERR_VALIDATION_FAILED, "seats", "must be 1 to " LIMIT_TEXT(CATALOG_SEATS_MAX));
    if (!given(block_id))
        return error_set(err, ERR_VALIDATION_FAILED, "block_id", "give the block");
    struct block_ctx c = {arena, user, &round, block_id, seats, err};
    err->code = ERR_NONE;
    int rc = db_run_tx(conn, true, add_block_tx, &c);
    if (rc == DB_OK)
        return 0;
    return err->code != ERR_NONE ? -1 : error_set(err, ERR_INTERNAL, NULL, NULL);
}

static int remove_block_tx(struct db_conn *conn, void *ctx)
{
    struct block_ctx *c = ctx;
    struct store_block block;
    int rc = store_block_get(conn, c->arena, c->block_id, &block);
    if (rc == DB_ROW)
        rc = store_match_round_block_remove(conn, c->round->id, c->block_id);
    if (rc == DB_DONE) {
        error_set(c->err, ERR_NOT_FOUND, NULL, "the block is not in the round");
        return DB_CONSTRAINT;
    }
    int64_t now = clock_now();
    if (rc == DB_OK)
        rc = store_catalog_changed(conn, block.offering_id, now);
    if (rc == DB_OK)
        rc = store_audit_add(conn, c->user->id, AUDIT_MATCH_ROUND_RELEASE, AUDIT_ON_MATCH_ROUND, c->round->id,
                             c->block_id, now);
    return rc;
}

int match_round_remove_block(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                             const char *round_id, const char *block_id, struct error *err)
{
    struct store_match_round round;
    if (coordinated(conn, arena, user, round_id, SETUP_STATES, &round, err) != 0)
        return -1;
    struct block_ctx c = {arena, user, &round, given(block_id) ? block_id : "", 0, err};
    err->code = ERR_NONE;
    int rc = db_run_tx(conn, true, remove_block_tx, &c);
    if (rc == DB_OK)
        return 0;
    return err->code != ERR_NONE ? -1 : error_set(err, ERR_INTERNAL, NULL, NULL);
}

/* ---- rank lists ---- */

/* A list written in one transaction: a student's (ids: blocks) or a host's
 * for one block (ids: students, with tiers; lottery: no list). */
struct list_tx {
    const char *round_id, *block_id;
    const struct store_user *user;
    const char *const *ids;
    const int64_t *tiers;
    size_t count;
    bool lottery;
};

static int student_list_tx(struct db_conn *conn, void *ctx)
{
    struct list_tx *t = ctx;
    int rc = store_match_student_ranks_set(conn, t->round_id, t->user->id, t->ids, t->count);
    return rc == DB_OK ? store_audit_add(conn, t->user->id, AUDIT_MATCH_ROUND_RANK, AUDIT_ON_MATCH_ROUND, t->round_id,
                                         "", clock_now())
                       : rc;
}

static int host_list_tx(struct db_conn *conn, void *ctx)
{
    struct list_tx *t = ctx;
    int rc = store_match_round_block_set_ranking(conn, t->round_id, t->block_id, t->lottery ? "lottery" : "list");
    if (rc == DB_OK)
        rc = store_match_host_ranks_set(conn, t->round_id, t->block_id, t->ids, t->tiers, t->count);
    return rc == DB_OK ? store_audit_add(conn, t->user->id, AUDIT_MATCH_ROUND_HOST_RANK, AUDIT_ON_MATCH_ROUND,
                                         t->round_id, t->block_id, clock_now())
                       : rc;
}

/* Why the student may not rank the round's block b (NULL: they may). */
static const char *rank_refusal(struct db_conn *conn, struct arena *arena, const struct store_user *student,
                                const struct store_match_round_block *b, int *rc)
{
    struct store_offering o;
    *rc = store_offering_get(conn, arena, b->offering_id, &o);
    if (*rc != DB_ROW)
        return NULL;
    *rc = DB_OK;
    if (!match_round_student_eligible(&o, &student->profile))
        return "your profile does not meet the eligibility rules of one of these rotations";
    bool active = false;
    *rc = store_student_active_on_block(conn, student->id, b->block_id, &active);
    if (*rc == DB_OK && active)
        return "you already have an application for one of these blocks";
    return NULL;
}

int match_round_rank(struct db_conn *conn, struct arena *arena, const struct store_user *student,
                     const char *round_id, const char *const *block_ids, size_t count, struct error *err)
{
    struct store_match_round round;
    unsigned roles = 0;
    if (match_round_for(conn, arena, student, round_id, &round, &roles, err) != 0)
        return -1;
    if (!(roles & MATCH_ROLE_STUDENT))
        return error_set(err, ERR_NOT_FOUND, NULL, "no such match round");
    if (match_round_status_parse(round.status) != MATCH_ROUND_OPEN || clock_now() >= round.deadline)
        return error_set(err, ERR_INVALID_TRANSITION, NULL, "ranking is closed for this round");
    struct store_match_round_block *blocks = NULL;
    size_t block_count = 0;
    if (store_match_round_blocks(conn, arena, round_id, &blocks, &block_count) != DB_OK)
        return error_set(err, ERR_INTERNAL, NULL, NULL);
    for (size_t i = 0; i < count; i++) {
        const struct store_match_round_block *found = NULL;
        for (size_t j = 0; j < block_count && found == NULL; j++)
            if (strcmp(blocks[j].block_id, block_ids[i]) == 0)
                found = &blocks[j];
        for (size_t k = 0; k < i; k++)
            if (strcmp(block_ids[k], block_ids[i]) == 0)
                return error_set(err, ERR_VALIDATION_FAILED, "block_ids", "a block is ranked twice");
        if (found == NULL)
            return error_set(err, ERR_VALIDATION_FAILED, "block_ids", "a block is not in this round");
        int rc = DB_OK;
        const char *why = rank_refusal(conn, arena, student, found, &rc);
        if (rc != DB_OK)
            return error_set(err, ERR_INTERNAL, NULL, NULL);
        if (why != NULL)
            return error_set(err, ERR_VALIDATION_FAILED, "block_ids", why);
    }
    struct list_tx t = {.round_id = round_id, .user = student, .ids = block_ids, .count = count};
    return db_run_tx(conn, true, student_list_tx, &t) == DB_OK ? 0 : error_set(err, ERR_INTERNAL, NULL, NULL);
}

int match_round_host_rank(struct db_conn *conn, struct arena *arena, const struct store_user *user,
                          const char *round_id, const char *block_id, bool lottery, const char *const *student_ids,
                          const int64_t *tiers, size_t count, struct error *err)
{
    struct store_match_round round;
    unsigned roles = 0;
    if (match_round_for(conn, arena, user, round_id, &round, &roles, err) != 0)
        return -1;
    struct store_match_round_block *blocks = NULL;
    size_t block_count = 0;
    if (store_match_round_blocks(conn, arena, round_id, &blocks, &block_count) != DB_OK)
        return error_set(err, ERR_INTERNAL, NULL, NULL);
    const struct store_match_round_block *b = NULL;
    for (size_t i = 0; i < block_count && b == NULL && given(block_id); i++)
        if (strcmp(blocks[i].block_id, block_id) == 0)
            b = &blocks[i];
    if (b == NULL || !coordinates_host(user, b->host_id))
        return error_set(err, ERR_NOT_FOUND, NULL, "no such block in this round");
    enum match_round_status s = match_round_status_parse(round.status);
    if (s != MATCH_ROUND_DRAFT && s != MATCH_ROUND_OPEN)
        return error_set(err, ERR_INVALID_TRANSITION, NULL, "the round has been matched: rankings are closed");
    struct store_match_entry *ranked = NULL;
    size_t ranked_count = 0;
    if (store_match_student_ranks(conn, arena, round_id, NULL, &ranked, &ranked_count) != DB_OK)
        return error_set(err, ERR_INTERNAL, NULL, NULL);
    for (size_t i = 0; i < count && !lottery; i++) {
        bool applied = false;
        for (size_t j = 0; j < ranked_count && !applied; j++)
            applied = strcmp(ranked[j].student_id, student_ids[i]) == 0 && strcmp(ranked[j].block_id, block_id) == 0;
        if (!applied)
            return error_set(err, ERR_VALIDATION_FAILED, "order", "a student listed did not rank this block");
        if (tiers[i] < 1 || tiers[i] > MATCH_MAX_ITEMS)
            return error_set(err, ERR_VALIDATION_FAILED, "order", "ranks start at 1");
        for (size_t k = 0; k < i; k++)
            if (strcmp(student_ids[k], student_ids[i]) == 0)
                return error_set(err, ERR_VALIDATION_FAILED, "order", "a student is listed twice");
    }
    struct list_tx t = {round_id, block_id, user, lottery ? NULL : student_ids, tiers, lottery ? 0 : count, lottery};
    return db_run_tx(conn, true, host_list_tx, &t) == DB_OK ? 0 : error_set(err, ERR_INTERNAL, NULL, NULL);
}
