/* match_round_run.c — a round's instance, its run and its publication, and
 * the moves of its state; see match_rounds.h.
 *
 * The instance names offerings by title and start date ("Cardiology ·
 * 2027-03-01") so that the engine's explanations read well to students;
 * periods (the engine's blocks) are the distinct date ranges of the round's
 * blocks. Eligibility is applied before matching: an offering some ranking
 * student may not take requires the attribute "eligibility: <offering>",
 * which only its eligible students have — so the engine drops the others'
 * pairs and its verification checks it. */
#include <stdio.h>
#include <string.h>

#include "domain/match_rounds.h"
#include "domain/notify.h"
#include "domain/schools.h"
#include "lib/buf.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/limits.h"
#include "lib/log.h"
#include "lib/utf8.h"
#include "store/applications.h"

/* "Title · 2027-03-01", cut to MATCH_ID_MAX_CHARS characters, " #n" when taken. */
static const char *display_id(struct arena *arena, const struct store_match_round_block *b, const char **taken,
                              size_t taken_count)
{
    for (int n = 1; n < 1000; n++) {
        char suffix[24];
        int slen = n == 1 ? snprintf(suffix, sizeof(suffix), " · %s", b->start_date)
                          : snprintf(suffix, sizeof(suffix), " · %s #%d", b->start_date, n);
        const char *title = b->offering_title != NULL ? b->offering_title : "Rotation";
        size_t room = MATCH_ID_MAX_CHARS - (size_t)utf8_count(suffix, (size_t)slen);
        size_t cut = strlen(title);
        while (utf8_count(title, cut) > room)
            cut = utf8_prefix(title, strlen(title), cut - 1);
        struct buf id;
        buf_init(&id, arena, BUF_CAP_LINE);
        buf_append(&id, title, cut);
        buf_append(&id, suffix, (size_t)slen);
        bool used = false;
        for (size_t i = 0; i < taken_count && !used; i++)
            used = strcmp(taken[i], id.data) == 0;
        if (!used && buf_ok(&id))
            return id.data;
    }
    return b->block_id;
}

struct builder {
    struct arena *arena;
    const struct store_match_round *round;
    struct store_match_round_block *blocks;
    size_t block_count;
    struct store_match_member *members;
    size_t member_count;
    struct store_match_entry *ranks, *host;
    size_t rank_count, host_count;
    struct store_offering *offerings; /* per block */
    struct store_user *students;      /* per member */
    bool *eligible;                   /* per rank entry */
};

static uint32_t block_index(const struct builder *b, const char *block_id)
{
    for (size_t i = 0; i < b->block_count; i++)
        if (strcmp(b->blocks[i].block_id, block_id) == 0)
            return (uint32_t)i;
    return MATCH_NONE;
}

static uint32_t member_index(const struct builder *b, const char *student_id)
{
    for (size_t i = 0; i < b->member_count; i++)
        if (strcmp(b->members[i].student_id, student_id) == 0)
            return (uint32_t)i;
    return MATCH_NONE;
}

/* Loads what the instance is made of, and who is eligible for what they ranked. */
static int load(struct db_conn *conn, struct builder *b)
{
    const char *id = b->round->id;
    int rc = store_match_round_blocks(conn, b->arena, id, &b->blocks, &b->block_count);
    if (rc == DB_OK)
        rc = store_match_round_students(conn, b->arena, id, &b->members, &b->member_count);
    if (rc == DB_OK)
        rc = store_match_student_ranks(conn, b->arena, id, NULL, &b->ranks, &b->rank_count);
    if (rc == DB_OK)
        rc = store_match_host_ranks(conn, b->arena, id, NULL, &b->host, &b->host_count);
    if (rc != DB_OK)
        return rc;
    b->offerings = arena_calloc(b->arena, b->block_count + 1, sizeof(*b->offerings));
    b->students = arena_calloc(b->arena, b->member_count + 1, sizeof(*b->students));
    b->eligible = arena_calloc(b->arena, b->rank_count + 1, sizeof(bool));
    if (b->offerings == NULL || b->students == NULL || b->eligible == NULL)
        return DB_ERROR;
    for (size_t i = 0; i < b->block_count && rc == DB_OK; i++)
        rc = store_offering_get(conn, b->arena, b->blocks[i].offering_id, &b->offerings[i]) == DB_ROW ? DB_OK : DB_ERROR;
    for (size_t i = 0; i < b->member_count && rc == DB_OK; i++)
        rc = store_user_by_id(conn, b->arena, b->members[i].student_id, &b->students[i]) == DB_ROW ? DB_OK : DB_ERROR;
    for (size_t i = 0; i < b->rank_count && rc == DB_OK; i++) {
        uint32_t blk = block_index(b, b->ranks[i].block_id), s = member_index(b, b->ranks[i].student_id);
        b->eligible[i] = blk != MATCH_NONE && s != MATCH_NONE &&
                         match_round_student_eligible(&b->offerings[blk], &b->students[s].profile);
    }
    return rc;
}

/* The engine's blocks: one per distinct date range. */
static int build_periods(struct builder *b, struct match_instance *in, uint32_t *period_of)
{
    in->blocks = arena_calloc(b->arena, b->block_count + 1, sizeof(*in->blocks));
    if (in->blocks == NULL)
        return -1;
    for (size_t i = 0; i < b->block_count; i++) {
        uint32_t found = MATCH_NONE;
        for (uint32_t p = 0; p < in->block_count && found == MATCH_NONE; p++)
            if (in->blocks[p].start_day == clock_days_from_date(b->blocks[i].start_date) &&
                in->blocks[p].end_day == clock_days_from_date(b->blocks[i].end_date))
                found = p;
        if (found == MATCH_NONE) {
            found = in->block_count++;
            struct buf id;
            buf_init(&id, b->arena, BUF_CAP_WORD);
            buf_appendf(&id, "%s to %s", b->blocks[i].start_date, b->blocks[i].end_date);
            in->blocks[found] = (struct match_block){.id = id.data,
                                                     .start_day = clock_days_from_date(b->blocks[i].start_date),
                                                     .end_day = clock_days_from_date(b->blocks[i].end_date)};
        }
        period_of[i] = found;
    }
    return 0;
}

/* Offerings with their hosts' lists and requirements. */
static int build_offerings(struct builder *b, struct match_instance *in, const uint32_t *period_of,
                           struct match_round_instance *out)
{
    in->offering_count = (uint32_t)b->block_count;
    in->offerings = arena_calloc(b->arena, b->block_count + 1, sizeof(*in->offerings));
    in->order = arena_calloc(b->arena, b->host_count + 1, sizeof(uint32_t));
    in->order_tier = arena_calloc(b->arena, b->host_count + 1, sizeof(uint32_t));
    in->attr_names = arena_calloc(b->arena, b->block_count + 1, sizeof(char *));
    out->block_ids = arena_calloc(b->arena, b->block_count + 1, sizeof(char *));
    const char **ids = arena_calloc(b->arena, b->block_count + 1, sizeof(char *));
    if (in->offerings == NULL || in->order == NULL || in->order_tier == NULL || in->attr_names == NULL ||
        out->block_ids == NULL || ids == NULL)
        return -1;
    for (size_t i = 0; i < b->block_count; i++) {
        struct match_offering *o = &in->offerings[i];
        ids[i] = display_id(b->arena, &b->blocks[i], ids, i);
        out->block_ids[i] = b->blocks[i].block_id;
        o->id = ids[i];
        o->block = period_of[i];
        o->seats = (uint32_t)b->blocks[i].seats;
        o->ranking = strcmp(b->blocks[i].ranking, "list") == 0 ? MATCH_RANKING_LIST : MATCH_RANKING_LOTTERY;
        o->order_start = in->order_total;
        for (size_t j = 0; j < b->host_count && o->ranking == MATCH_RANKING_LIST; j++) {
            uint32_t s = member_index(b, b->host[j].student_id);
            if (strcmp(b->host[j].block_id, b->blocks[i].block_id) != 0 || s == MATCH_NONE)
                continue;
            in->order[in->order_total] = s;
            in->order_tier[in->order_total++] = (uint32_t)b->host[j].position;
        }
        o->order_count = in->order_total - o->order_start;
        bool someone_ineligible = false;
        for (size_t j = 0; j < b->rank_count; j++)
            someone_ineligible = someone_ineligible ||
                                 (strcmp(b->ranks[j].block_id, b->blocks[i].block_id) == 0 && !b->eligible[j]);
        if (someone_ineligible) {
            struct buf name;
            buf_init(&name, b->arena, BUF_CAP_LINE);
            buf_append_str(&name, "eligibility: ");
            buf_append(&name, ids[i], utf8_prefix(ids[i], strlen(ids[i]), MATCH_ID_MAX_CHARS - 13));
            in->attr_names[in->attr_count] = name.data;
            o->requires_start = in->attr_ref_total;
            o->requires_count = 1;
            in->attr_refs[in->attr_ref_total++] = in->attr_count++;
        }
    }
    return 0;
}

/* Students with their rank lists and the eligibility attributes they hold. */
static int build_students(struct builder *b, struct match_instance *in, struct match_round_instance *out)
{
    in->student_count = (uint32_t)b->member_count;
    in->students = arena_calloc(b->arena, b->member_count + 1, sizeof(*in->students));
    in->rol = arena_calloc(b->arena, b->rank_count + 1, sizeof(uint32_t));
    out->student_ids = arena_calloc(b->arena, b->member_count + 1, sizeof(char *));
    if (in->students == NULL || in->rol == NULL || out->student_ids == NULL)
        return -1;
    for (size_t s = 0; s < b->member_count; s++) {
        struct match_student *st = &in->students[s];
        st->id = b->members[s].student_id;
        out->student_ids[s] = b->members[s].student_id;
        st->max_placements = match_round_mode_parse(b->round->mode) == MATCH_ROUND_MODE_ONE ? 1 : (uint32_t)b->round->max_placements;
        st->rol_start = in->rol_total;
        st->attrs_start = in->attr_ref_total;
        for (size_t j = 0; j < b->rank_count; j++) { /* ranks come by student, then position */
            uint32_t o = block_index(b, b->ranks[j].block_id);
            if (strcmp(b->ranks[j].student_id, st->id) != 0 || o == MATCH_NONE)
                continue;
            in->rol[in->rol_total++] = o;
            const struct match_offering *off = &in->offerings[o];
            if (b->eligible[j] && off->requires_count == 1) {
                uint32_t a = in->attr_refs[off->requires_start], at = in->attr_ref_total++;
                while (at > st->attrs_start && in->attr_refs[at - 1] > a) { /* keep them ascending */
                    in->attr_refs[at] = in->attr_refs[at - 1];
                    at--;
                }
                in->attr_refs[at] = a;
            }
        }
        st->rol_count = in->rol_total - st->rol_start;
        st->attrs_count = in->attr_ref_total - st->attrs_start;
    }
    return 0;
}

int match_round_build(struct db_conn *conn, struct arena *arena, const struct store_match_round *round,
                      struct match_round_instance *out, struct error *err)
{
    memset(out, 0, sizeof(*out));
    struct builder b = {.arena = arena, .round = round};
    if (load(conn, &b) != DB_OK)
        return error_set(err, ERR_INTERNAL, NULL, NULL);
    struct match_instance *in = &out->in;
    in->mode = match_round_mode_parse(round->mode) == MATCH_ROUND_MODE_ROTATION ? MATCH_MODE_ROTATION : MATCH_MODE_ONE;
    in->seed = round->seed;
    uint32_t *period_of = arena_calloc(arena, b.block_count + 1, sizeof(uint32_t));
    in->attr_refs = arena_calloc(arena, b.block_count + b.rank_count + 1, sizeof(uint32_t));
    if (period_of == NULL || in->attr_refs == NULL || build_periods(&b, in, period_of) != 0 ||
        build_offerings(&b, in, period_of, out) != 0 || build_students(&b, in, out) != 0)
        return error_set(err, ERR_INTERNAL, NULL, NULL);
    return 0;
}
