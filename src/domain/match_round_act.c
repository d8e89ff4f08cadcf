/* match_round_act.c — the moves of a match round: open (students are told to
 * rank), run (the engine and its verification; results kept), publish
 * (offers made, the unplaced told, seats left returned to sale) and cancel
 * (every reserved seat returned); see match_rounds.h. */
#include <stdio.h>
#include <string.h>

#include "domain/match_rounds.h"
#include "domain/notify.h"
#include "lib/buf.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/limits.h"
#include "lib/tz_words.h"
#include "store/applications.h"

struct act_ctx {
    struct arena *arena;
    const struct store_user *user;
    struct store_match_round *round;
    struct error *err;
};

static const char *round_link(struct arena *arena, const char *round_id)
{
    struct buf b;
    buf_init(&b, arena, BUF_CAP_LINE);
    buf_append_str(&b, "/rounds/");
    buf_append_str(&b, round_id);
    return b.data;
}

static const char *title_with(struct arena *arena, const char *a, const char *b, const char *c)
{
    struct buf t;
    buf_init(&t, arena, BUF_CAP_LINE);
    buf_append_str(&t, a);
    buf_append_str(&t, b != NULL ? b : "");
    buf_append_str(&t, c != NULL ? c : "");
    return buf_ok(&t) ? t.data : a;
}

static int open_tx(struct db_conn *conn, struct act_ctx *c, int64_t now)
{
    if (c->round->blocks == 0 || c->round->students == 0) {
        error_set(c->err, ERR_INVALID_TRANSITION, NULL, "add at least one block and one student before opening");
        return DB_CONSTRAINT;
    }
    int rc = store_match_round_move(conn, c->round->id, "draft", "open", now);
    struct store_match_member *members = NULL;
    size_t count = 0;
    if (rc == DB_OK)
        rc = store_match_round_students(conn, c->arena, c->round->id, &members, &count);
    for (size_t i = 0; rc == DB_OK && i < count; i++) {
        struct recipient to = {members[i].student_id, members[i].email};
        char when[TZ_INSTANT_WORDS_SIZE], tail[TZ_INSTANT_WORDS_SIZE + 16];
        snprintf(tail, sizeof(tail), " before %s",
                 tz_instant_words(notify_time_zone(conn, c->arena, to.user_id), c->round->deadline, when));
        notify(conn, c->arena, &to, "match_round_open",
               title_with(c->arena, "Rank your rotations for ", c->round->name, tail),
               round_link(c->arena, c->round->id), now);
    }
    return rc;
}

/* The verification as JSON for the round (what the result pages show). */
static const char *verification_json(struct arena *arena, const struct match_verification *v)
{
    struct buf b;
    buf_init(&b, arena, BUF_CAP_SMALL);
    buf_appendf(&b, "{\"capacity_ok\":%s,\"eligibility_ok\":%s,\"overlap_ok\":%s,\"max_placements_ok\":%s,"
                    "\"blocking_pairs\":%u}",
                v->capacity_ok ? "true" : "false", v->eligibility_ok ? "true" : "false",
                v->overlap_ok ? "true" : "false", v->max_placements_ok ? "true" : "false", v->blocking_count);
    return b.data;
}

static int run_tx(struct db_conn *conn, struct act_ctx *c, int64_t now)
{
    if (c->round->blocks == 0) {
        error_set(c->err, ERR_INVALID_TRANSITION, NULL, "the round has no block to match into");
        return DB_CONSTRAINT;
    }
    struct match_round_instance mi;
    struct match_result r;
    if (match_round_build(conn, c->arena, c->round, &mi, c->err) != 0 || match_run(&mi.in, c->arena, &r) != 0)
        return DB_ERROR;
    struct match_explainer *x = match_explainer_new(&mi.in, &r, c->arena);
    if (x == NULL)
        return DB_ERROR;
    int rc = store_match_results_clear(conn, c->round->id);
    for (uint32_t s = 0; rc == DB_OK && s < mi.in.student_count; s++) {
        struct buf text;
        buf_init(&text, c->arena, BUF_CAP_DETAIL);
        match_explain(x, s, &text);
        rc = store_match_outcome_add(conn, c->round->id, mi.student_ids[s], text.data);
        for (uint32_t i = r.placement_start[s]; rc == DB_OK && i < r.placement_start[s + 1]; i++)
            rc = store_match_placement_add(conn, c->round->id, mi.student_ids[s], mi.block_ids[r.placements[i]]);
    }
    char hex[65];
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", r.order_sha256[i]);
    if (rc == DB_OK)
        rc = store_match_round_set_result(conn, c->round->id, hex, (int64_t)r.proposals,
                                          verification_json(c->arena, &r.verification), now);
    if (rc == DB_OK && match_round_status_parse(c->round->status) == MATCH_ROUND_OPEN)
        rc = store_match_round_move(conn, c->round->id, "open", "matched", now);
    return rc;
}

/* Tells a placed student what, where, when and until when to accept: the
 * notice says it in a line (its title is the email's subject), the email
 * adds which round of which school placed them. The deadline is in the
 * student's time zone (UTC, saying so, without one). */
static void tell_placed(struct db_conn *conn, struct act_ctx *c, const struct store_application *a, int64_t now)
{
    char when[TZ_INSTANT_WORDS_SIZE], start_words[CLOCK_DATE_WORDS_SIZE], end_words[CLOCK_DATE_WORDS_SIZE];
    tz_instant_words(notify_time_zone(conn, c->arena, a->student_id), a->offer_expires_at, when);
    const char *start = clock_date_words(a->block_start, start_words), *end = clock_date_words(a->block_end, end_words);
    const char *link = title_with(c->arena, "/applications/", a->id, NULL);
    struct buf title;
    buf_init(&title, c->arena, BUF_CAP_LINE);
    buf_appendf(&title, "You were placed in %s at %s, %s to %s: accept the offer by %s to hold the seat",
                a->offering_title, a->host_name, start, end, when);
    const char *line =
        buf_ok(&title) ? title.data : "You were placed by a match round: accept the offer to hold the seat";
    struct recipient in_app = {a->student_id, NULL};
    notify(conn, c->arena, &in_app, "match_placed", line, link, now);
    if (a->student_email == NULL)
        return;
    struct buf body;
    buf_init(&body, c->arena, BUF_CAP_SMALL);
    buf_appendf(&body, "%s\n\nThe match round “%s” of %s placed you:\n\n", line, c->round->name,
                c->round->school_name != NULL ? c->round->school_name : "your school");
    buf_appendf(&body, "  Rotation: %s\n  Host: %s\n  Dates: %s to %s\n  Accept by: %s\n\n", a->offering_title,
                a->host_name, start, end, when);
    buf_appendf(&body, "The seat is kept for you until then; an offer not accepted by then lapses and the seat goes "
                       "to others.\n\nOpen it in Rounds: %s%s\n\n-- \nRounds\n",
                notify_public_url(), link);
    if (buf_ok(&body))
        notify_email(conn, c->arena, a->student_email, "match_placed", line, body.data, now);
}

/* One placement becomes an offered application whose seat stays reserved. */
static int offer_placement(struct db_conn *conn, struct act_ctx *c, const struct store_match_entry *p, int64_t now)
{
    struct store_block block;
    struct store_offering offering;
    int rc = store_block_get(conn, c->arena, p->block_id, &block);
    if (rc == DB_ROW)
        rc = store_offering_get(conn, c->arena, block.offering_id, &offering);
    if (rc != DB_ROW)
        return rc == DB_DONE ? DB_ERROR : rc;
    char id[48];
    crypto_sortable_id("a_", clock_now_ms(), id, sizeof(id));
    int64_t days = 7, hold_days = 7;
    if (store_offering_expiry_days(conn, offering.id, &days, &hold_days) != DB_ROW || days <= 0)
        days = 7; /* the usual expiry */
    struct store_application a = {
        .id = id,
        .student_id = p->student_id,
        .block_id = p->block_id,
        .offering_id = offering.id,
        .organization_id = offering.organization_id,
        .status = "offered",
        .statement = title_with(c->arena, "Placed by the match round “", c->round->name, "”."),
        .offer_expires_at = now + days * 86400,
        .seat_reserved = true,
        .match_round_id = c->round->id,
        .created_at = now,
    };
    rc = store_application_insert(conn, &a);
    if (rc == DB_CONSTRAINT) {
        error_set(c->err, ERR_CONFLICT, NULL, "a placed student already has an application for the same block");
        return DB_CONSTRAINT;
    }
    if (rc == DB_OK)
        rc = store_application_event_add(conn, id, "match", NULL, "offered", c->user->id, "school",
                                         title_with(c->arena, "Match round ", c->round->name, NULL), now);
    struct store_application made;
    if (rc == DB_OK && store_application_get(conn, c->arena, id, &made) == DB_ROW)
        tell_placed(conn, c, &made, now);
    return rc;
}

static int publish_tx(struct db_conn *conn, struct act_ctx *c, int64_t now)
{
    if (strstr(c->round->verification, "\"blocking_pairs\":0") == NULL ||
        strstr(c->round->verification, "false") != NULL) {
        error_set(c->err, ERR_INVALID_TRANSITION, NULL, "the result failed its verification: it cannot be published");
        return DB_CONSTRAINT;
    }
    int rc = store_match_round_move(conn, c->round->id, "matched", "published", now);
    struct store_match_entry *placements = NULL;
    size_t count = 0;
    if (rc == DB_OK)
        rc = store_match_placements(conn, c->arena, c->round->id, NULL, &placements, &count);
    for (size_t i = 0; rc == DB_OK && i < count; i++)
        rc = offer_placement(conn, c, &placements[i], now);
    struct store_match_round_block *blocks = NULL;
    size_t block_count = 0;
    if (rc == DB_OK)
        rc = store_match_round_blocks(conn, c->arena, c->round->id, &blocks, &block_count);
    for (size_t i = 0; rc == DB_OK && i < block_count; i++) { /* the seats left return to sale */
        rc = store_block_release_reserved(conn, blocks[i].block_id, blocks[i].seats - blocks[i].placed);
        if (rc == DB_OK)
            rc = store_catalog_changed(conn, blocks[i].offering_id, now);
    }
    struct store_match_member *members = NULL;
    size_t member_count = 0;
    if (rc == DB_OK)
        rc = store_match_round_students(conn, c->arena, c->round->id, &members, &member_count);
    for (size_t i = 0; rc == DB_OK && i < member_count; i++) {
        bool placed = false;
        for (size_t j = 0; j < count && !placed; j++)
            placed = strcmp(placements[j].student_id, members[i].student_id) == 0;
        if (placed)
            continue;
        struct recipient to = {members[i].student_id, members[i].email};
        notify(conn, c->arena, &to, "match_unplaced",
               title_with(c->arena, "You were not placed in ", c->round->name, ": see why and what is open"),
               round_link(c->arena, c->round->id), now);
    }
    return rc;
}

static int cancel_tx(struct db_conn *conn, struct act_ctx *c, int64_t now)
{
    int rc = store_match_round_move(conn, c->round->id, c->round->status, "cancelled", now);
    struct store_match_round_block *blocks = NULL;
    size_t count = 0;
    if (rc == DB_OK)
        rc = store_match_round_blocks(conn, c->arena, c->round->id, &blocks, &count);
    for (size_t i = 0; rc == DB_OK && i < count; i++) {
        rc = store_block_release_reserved(conn, blocks[i].block_id, blocks[i].seats);
        if (rc == DB_OK)
            rc = store_catalog_changed(conn, blocks[i].offering_id, now);
    }
    return rc;
}

struct act_tx {
    struct act_ctx c;
    const char *action;
};

static int act_tx(struct db_conn *conn, void *ctx)
{
    struct act_tx *t = ctx;
    struct act_ctx *c = &t->c;
    int64_t now = clock_now();
    int rc = store_match_round_get(conn, c->arena, c->round->id, c->round) == DB_ROW ? DB_OK : DB_ERROR;
    if (rc != DB_OK)
        return rc;
    enum match_round_status s = match_round_status_parse(c->round->status);
    bool allowed = (strcmp(t->action, "open") == 0 && s == MATCH_ROUND_DRAFT) ||
                   (strcmp(t->action, "run") == 0 && (s == MATCH_ROUND_OPEN || s == MATCH_ROUND_MATCHED)) ||
                   (strcmp(t->action, "publish") == 0 && s == MATCH_ROUND_MATCHED) ||
                   (strcmp(t->action, "cancel") == 0 && s != MATCH_ROUND_PUBLISHED && s != MATCH_ROUND_CANCELLED);
    if (!allowed) {
        error_set(c->err, ERR_INVALID_TRANSITION, NULL, "the round cannot do this in its current state");
        return DB_CONSTRAINT;
    }
    rc = strcmp(t->action, "open") == 0      ? open_tx(conn, c, now)
         : strcmp(t->action, "run") == 0     ? run_tx(conn, c, now)
         : strcmp(t->action, "publish") == 0 ? publish_tx(conn, c, now)
                                             : cancel_tx(conn, c, now);
    if (rc == DB_DONE) {
        error_set(c->err, ERR_CHANGED_MEANWHILE, NULL, "the round changed meanwhile; reload it");
        return DB_CONSTRAINT;
    }
    enum audit_action action = strcmp(t->action, "open") == 0      ? AUDIT_MATCH_ROUND_OPEN
                               : strcmp(t->action, "run") == 0     ? AUDIT_MATCH_ROUND_RUN
                               : strcmp(t->action, "publish") == 0 ? AUDIT_MATCH_ROUND_PUBLISH
                                                                   : AUDIT_MATCH_ROUND_CANCEL;
    if (rc == DB_OK)
        rc = store_audit_add(conn, c->user->id, action, AUDIT_ON_MATCH_ROUND, c->round->id, "", now);
    if (rc == DB_OK)
        rc = store_match_round_get(conn, c->arena, c->round->id, c->round) == DB_ROW ? DB_OK : DB_ERROR;
    return rc;
}

int match_round_act(struct db_conn *conn, struct arena *arena, const struct store_user *user, const char *round_id,
                    const char *action, struct store_match_round *out, struct error *err)
{
    unsigned roles = 0;
    if (match_round_for(conn, arena, user, round_id, out, &roles, err) != 0)
        return -1;
    if (!(roles & MATCH_ROLE_COORDINATOR))
        return error_set(err, ERR_NOT_FOUND, NULL, "no such match round");
    if (action == NULL || (strcmp(action, "open") != 0 && strcmp(action, "run") != 0 &&
                           strcmp(action, "publish") != 0 && strcmp(action, "cancel") != 0))
        return error_set(err, ERR_NOT_FOUND, NULL, "there is no such action");
    struct act_tx t = {{arena, user, out, err}, action};
    err->code = ERR_NONE;
    int rc = db_run_tx(conn, true, act_tx, &t);
    if (rc == DB_OK)
        return 0;
    return err->code != ERR_NONE ? -1 : error_set(err, ERR_INTERNAL, NULL, NULL);
}
