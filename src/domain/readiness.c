/* readiness.c — Match readiness: letters, U.S. clinical experience, USMLE,
 * ECFMG and English proficiency as ok / in_progress / missing with the next step;
 * see readiness.h. */
#include "domain/readiness.h"

#include <stdio.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/hours.h"
#include "lib/buf.h"
#include "lib/clock.h"
#include "lib/limits.h"
#include "store/applications.h"

static const char *weeks(int64_t n)
{
    return n == 1 ? "week" : "weeks";
}

/* Fills one item; have/target 0/0 for yes/no items. */
static void item(struct readiness *r, const char *key, const char *title, enum readiness_state state,
                 const char *summary, const char *next_action, const char *link, int64_t have, int64_t target)
{
    struct readiness_item *it = &r->items[r->count++];
    it->key = key;
    it->title = title;
    it->state = state;
    it->summary = summary;
    bool ok = state == READINESS_OK;
    it->next_action = ok ? NULL : next_action;
    it->link = ok ? NULL : link;
    it->have = have;
    it->target = target;
    if (ok)
        r->ok_count++;
}

static const char *text(struct buf *b, const char *fallback)
{
    return buf_ok(b) ? b->data : fallback;
}

static void letters_item(struct arena *arena, const struct readiness_input *in, struct readiness *r)
{
    bool enough = in->letters >= in->letters_target, enough_us = in->letters_us >= in->letters_us_target;
    enum readiness_state state = enough && enough_us                       ? READINESS_OK
                                 : in->letters > 0 || in->letters_open > 0 ? READINESS_IN_PROGRESS
                                                                           : READINESS_MISSING;
    struct buf b;
    buf_init(&b, arena, BUF_CAP_LINE);
    buf_appendf(&b, "%lld of %lld uploaded, %lld from a U.S. physician", (long long)in->letters,
                (long long)in->letters_target, (long long)in->letters_us);
    if (in->letters_us_target > 0)
        buf_appendf(&b, " (at least %lld needed)", (long long)in->letters_us_target);
    if (in->letters_open > 0)
        buf_appendf(&b, "; %lld more requested", (long long)in->letters_open);
    const char *next = enough && !enough_us ? "Request a letter from a U.S. physician" : "Request a letter";
    item(r, "letters", "Letters of recommendation", state, text(&b, "Letters of recommendation"), next, "/letters",
         in->letters, in->letters_target);
}

static void usce_item(struct arena *arena, const struct readiness_input *in, struct readiness *r)
{
    const struct store_usce *u = &in->usce;
    enum readiness_state state = u->hands_on_completed >= in->usce_target_weeks    ? READINESS_OK
                                 : u->planned > 0 || u->observership_completed > 0 ? READINESS_IN_PROGRESS
                                                                                   : READINESS_MISSING;
    struct buf b;
    buf_init(&b, arena, BUF_CAP_LINE);
    buf_appendf(&b, "%lld of %lld %s of hands-on experience completed", (long long)u->hands_on_completed,
                (long long)in->usce_target_weeks, weeks(in->usce_target_weeks));
    if (u->observership_completed > 0)
        buf_appendf(&b, "; %lld %s of observership", (long long)u->observership_completed,
                    weeks(u->observership_completed));
    if (u->other_completed > 0)
        buf_appendf(&b, "; %lld %s of research or telehealth", (long long)u->other_completed,
                    weeks(u->other_completed));
    if (u->planned > 0)
        buf_appendf(&b, "; %lld %s booked", (long long)u->planned, weeks(u->planned));
    item(r, "usce", "U.S. clinical experience", state, text(&b, "U.S. clinical experience"),
         "Find a hands-on rotation", "/search?kind=hands_on", u->hands_on_completed, in->usce_target_weeks);
}

static void profile_items(struct arena *arena, const struct store_profile *p, struct readiness *r)
{
    static const struct store_profile empty = {.step2ck_score = -1};
    if (p == NULL)
        p = &empty;

    enum step1_result step1 = step1_result_parse(p->step1);
    if (step1 == STEP1_PASSED)
        item(r, "step1", "USMLE Step 1", READINESS_OK, "Passed", NULL, NULL, 0, 0);
    else if (step1 == STEP1_FAILED)
        item(r, "step1", "USMLE Step 1", READINESS_MISSING, "Not passed yet", "Retake Step 1", "/account", 0, 0);
    else if (step1 == STEP1_NOT_TAKEN)
        item(r, "step1", "USMLE Step 1", READINESS_MISSING, "Not taken yet",
             "Take Step 1 and add the result to your profile", "/account", 0, 0);
    else
        item(r, "step1", "USMLE Step 1", READINESS_MISSING, "Not in the profile",
             "Add your Step 1 result to your profile", "/account", 0, 0);

    if (p->step2ck_score > 0) {
        struct buf b;
        buf_init(&b, arena, BUF_CAP_WORD);
        buf_appendf(&b, "Score %lld", (long long)p->step2ck_score);
        item(r, "step2ck", "USMLE Step 2 CK", READINESS_OK, text(&b, "Taken"), NULL, NULL, 0, 0);
    } else {
        item(r, "step2ck", "USMLE Step 2 CK", READINESS_MISSING, "No score in the profile",
             "Take Step 2 CK and add your score to your profile", "/account", 0, 0);
    }

    enum ecfmg_status ecfmg = ecfmg_status_parse(p->ecfmg_status);
    if (ecfmg == ECFMG_CERTIFIED)
        item(r, "ecfmg", "ECFMG certification", READINESS_OK, "Certified", NULL, NULL, 0, 0);
    else if (ecfmg == ECFMG_IN_PROGRESS)
        item(r, "ecfmg", "ECFMG certification", READINESS_IN_PROGRESS, "Started, not certified yet",
             "Complete your ECFMG certification", "/account", 0, 0);
    else if (ecfmg == ECFMG_NONE)
        item(r, "ecfmg", "ECFMG certification", READINESS_MISSING, "Not started", "Apply for ECFMG certification",
             "/account", 0, 0);
    else
        item(r, "ecfmg", "ECFMG certification", READINESS_MISSING, "Not in the profile",
             "Add your ECFMG status to your profile", "/account", 0, 0);

    enum english_proof proof = english_proof_parse(p->english_proof);
    if (proof != ENGLISH_PROOF_UNKNOWN && proof != ENGLISH_NONE)
        item(r, "english", "English proficiency", READINESS_OK, english_proof_label(proof), NULL, NULL, 0, 0);
    else if (proof == ENGLISH_NONE)
        item(r, "english", "English proficiency", READINESS_MISSING, "No proof yet",
             "Take an English test (OET Medicine, TOEFL or IELTS) and add it to your profile", "/account", 0, 0);
    else
        item(r, "english", "English proficiency", READINESS_MISSING, "Not in the profile",
             "Add your English test result to your profile", "/account", 0, 0);
}

void readiness_compute(struct arena *arena, const struct readiness_input *in, struct readiness *out)
{
    memset(out, 0, sizeof(*out));
    out->letters = in->letters;
    out->letters_us = in->letters_us;
    out->letters_target = in->letters_target;
    out->letters_us_target = in->letters_us_target;
    out->usce_hands_on_weeks = in->usce.hands_on_completed;
    out->usce_observership_weeks = in->usce.observership_completed;
    out->usce_other_weeks = in->usce.other_completed;
    out->usce_planned_weeks = in->usce.planned;
    out->usce_target_weeks = in->usce_target_weeks;
    letters_item(arena, in, out);
    usce_item(arena, in, out);
    profile_items(arena, in->profile, out);
}

void readiness_usce_from(const struct store_usce_rotation *rotations, size_t count, struct store_usce *out)
{
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < count; i++) {
        const struct store_usce_rotation *r = &rotations[i];
        int64_t weeks = hours_weeks_from_minutes(r->confirmed_minutes, r->hours_per_week, r->weeks);
        enum offering_kind kind = offering_kind_parse(r->kind);
        if (kind == OFFERING_HANDS_ON)
            out->hands_on_completed += weeks;
        else if (kind == OFFERING_OBSERVERSHIP)
            out->observership_completed += weeks;
        else
            out->other_completed += weeks;
        if (application_status_parse(r->status) != APPLICATION_COMPLETED)
            out->planned += r->weeks - weeks; /* what is still to come of a booked or running rotation */
    }
}

int readiness_for(struct db_conn *conn, struct arena *arena, const struct store_user *student, struct readiness *out)
{
    if (student == NULL)
        return -1;
    struct readiness_input in = {.profile = &student->profile};
    int rc = store_readiness_targets(conn, &in.letters_target, &in.letters_us_target, &in.usce_target_weeks);
    if (rc == DB_OK)
        rc = store_student_letter_counts(conn, student->id, &in.letters, &in.letters_us, &in.letters_open);
    struct store_usce_rotation *rotations = NULL;
    size_t count = 0;
    if (rc == DB_OK)
        rc = store_student_usce_rotations(conn, arena, student->id, &rotations, &count);
    if (rc != DB_OK)
        return -1;
    readiness_usce_from(rotations, count, &in.usce);
    readiness_compute(arena, &in, out);
    return 0;
}

struct targets_ctx {
    const struct store_user *staff;
    int64_t letters, letters_us, usce_weeks;
};

static int targets_tx(struct db_conn *conn, void *p)
{
    struct targets_ctx *c = p;
    int64_t now = clock_now();
    int rc = store_readiness_target_set(conn, "letters", c->letters, c->staff->id, now);
    if (rc == DB_OK)
        rc = store_readiness_target_set(conn, "letters_us", c->letters_us, c->staff->id, now);
    if (rc == DB_OK)
        rc = store_readiness_target_set(conn, "usce_weeks", c->usce_weeks, c->staff->id, now);
    if (rc == DB_OK) {
        char detail[96];
        snprintf(detail, sizeof(detail), "letters=%lld letters_us=%lld usce_weeks=%lld", (long long)c->letters,
                 (long long)c->letters_us, (long long)c->usce_weeks);
        rc = store_audit_add(conn, c->staff->id, AUDIT_READINESS_TARGETS, AUDIT_ON_READINESS_TARGETS, "", detail, now);
    }
    return rc;
}

int readiness_set_targets(struct db_conn *conn, const struct store_user *staff, int64_t letters, int64_t letters_us,
                          int64_t usce_weeks, struct error *err)
{
    struct error local;
    if (err == NULL)
        err = &local;
    err->code = ERR_NONE;
    if (staff == NULL || !account_has_role(staff, ROLE_STAFF))
        return error_set(err, ERR_NOT_FOUND, NULL, NULL);
    if (letters < 0 || letters > READINESS_TARGET_MAX)
        return error_set(err, ERR_VALIDATION_FAILED, "letters",
                         "must be between 0 and " LIMIT_TEXT(READINESS_TARGET_MAX));
    if (letters_us < 0 || letters_us > READINESS_TARGET_MAX)
        return error_set(err, ERR_VALIDATION_FAILED, "letters_us",
                         "must be between 0 and " LIMIT_TEXT(READINESS_TARGET_MAX));
    if (usce_weeks < 0 || usce_weeks > READINESS_TARGET_MAX)
        return error_set(err, ERR_VALIDATION_FAILED, "usce_weeks",
                         "must be between 0 and " LIMIT_TEXT(READINESS_TARGET_MAX));
    if (letters_us > letters)
        return error_set(err, ERR_VALIDATION_FAILED, "letters_us", "cannot be more than the letters target");
    struct targets_ctx c = {staff, letters, letters_us, usce_weeks};
    if (db_run_tx(conn, true, targets_tx, &c) != DB_OK)
        return error_set(err, ERR_UNAVAILABLE, NULL, NULL);
    return 0;
}
