/* match_rounds_json.c — a match round as JSON, as each role may see it, and
 * the rounds' error replies. */
#include <string.h>

#include "api/match_rounds_api.h"
#include "lib/clock.h"
#include "lib/limits.h"

static void write_instant(struct buf *b, int64_t t)
{
    if (t <= 0) {
        buf_append_str(b, "null");
        return;
    }
    char text[21];
    clock_format_rfc3339(t, text);
    buf_append_json_string(b, text);
}

static void write_block(struct buf *b, const struct store_match_round_block *blk, bool counts)
{
    buf_append_str(b, "{\"block_id\":");
    buf_append_json_string(b, blk->block_id);
    buf_append_str(b, ",\"offering\":{\"id\":");
    buf_append_json_string(b, blk->offering_id);
    buf_append_str(b, ",\"title\":");
    buf_append_json_string(b, blk->offering_title);
    buf_append_str(b, ",\"specialty\":");
    buf_append_json_string(b, blk->specialty);
    buf_append_str(b, "},\"host\":{\"id\":");
    buf_append_json_string(b, blk->host_id);
    buf_append_str(b, ",\"name\":");
    buf_append_json_string(b, blk->host_name);
    buf_append_str(b, "},\"start\":");
    buf_append_json_string(b, blk->start_date);
    buf_append_str(b, ",\"end\":");
    buf_append_json_string(b, blk->end_date);
    buf_append_str(b, ",\"ranking\":");
    buf_append_json_string(b, blk->ranking);
    buf_appendf(b, ",\"seats\":%lld", (long long)blk->seats);
    if (counts)
        buf_appendf(b, ",\"applicants\":%lld,\"placed\":%lld", (long long)blk->applicants, (long long)blk->placed);
    buf_append_char(b, '}');
}

/* The student's own rank list (block ids, best first) and result. */
static int write_student_part(struct http_request *req, struct buf *b, const struct store_match_round *round,
                              const struct store_user *user)
{
    struct store_match_entry *ranks = NULL, *placed = NULL;
    size_t rank_count = 0, placed_count = 0;
    if (store_match_student_ranks(req->db, &req->arena, round->id, user->id, &ranks, &rank_count) != DB_OK)
        return -1;
    buf_append_str(b, ",\"my_ranking\":[");
    for (size_t i = 0; i < rank_count; i++) {
        if (i > 0)
            buf_append_char(b, ',');
        buf_append_json_string(b, ranks[i].block_id);
    }
    buf_append_str(b, "]");
    if (match_round_status_parse(round->status) != MATCH_ROUND_PUBLISHED)
        return 0;
    const char *explanation = NULL;
    if (store_match_placements(req->db, &req->arena, round->id, user->id, &placed, &placed_count) != DB_OK ||
        store_match_outcome_of(req->db, &req->arena, round->id, user->id, &explanation) == DB_ERROR)
        return -1;
    buf_append_str(b, ",\"my_result\":{\"placements\":[");
    for (size_t i = 0; i < placed_count; i++) {
        if (i > 0)
            buf_append_char(b, ',');
        buf_append_json_string(b, placed[i].block_id);
    }
    buf_append_str(b, "],\"explanation\":");
    buf_append_json_string(b, explanation);
    buf_append_char(b, '}');
    return 0;
}

/* The cohort with how much each ranked and, after a run, their explanation. */
static int write_cohort(struct http_request *req, struct buf *b, const struct store_match_round *round)
{
    struct store_match_member *members = NULL;
    size_t count = 0;
    if (store_match_round_students(req->db, &req->arena, round->id, &members, &count) != DB_OK)
        return -1;
    buf_append_str(b, ",\"students\":[");
    for (size_t i = 0; i < count; i++) {
        buf_append_str(b, i > 0 ? ",{\"id\":" : "{\"id\":");
        buf_append_json_string(b, members[i].student_id);
        buf_append_str(b, ",\"name\":");
        buf_append_json_string(b, members[i].name);
        buf_appendf(b, ",\"ranked\":%lld,\"explanation\":", (long long)members[i].ranked);
        buf_append_json_string(b, members[i].explanation);
        buf_append_char(b, '}');
    }
    buf_append_str(b, "]");
    return 0;
}

int api_write_match_round(struct http_request *req, struct buf *b, const struct store_match_round *round,
                          unsigned roles, const struct store_user *user)
{
    enum match_round_status status = match_round_status_parse(round->status);
    buf_append_str(b, "{\"id\":");
    buf_append_json_string(b, round->id);
    buf_append_str(b, ",\"school\":{\"id\":");
    buf_append_json_string(b, round->school_id);
    buf_append_str(b, ",\"name\":");
    buf_append_json_string(b, round->school_name);
    buf_append_str(b, "},\"name\":");
    buf_append_json_string(b, round->name);
    buf_append_str(b, ",\"mode\":");
    buf_append_json_string(b, round->mode);
    buf_appendf(b, ",\"max_placements\":%lld,\"status\":", (long long)round->max_placements);
    buf_append_json_string(b, match_round_status_name(status));
    buf_append_str(b, ",\"status_label\":");
    buf_append_json_string(b, match_round_status_label(status));
    buf_append_str(b, ",\"deadline\":");
    write_instant(b, round->deadline);
    buf_appendf(b, ",\"students_count\":%lld,\"seats\":%lld", (long long)round->students, (long long)round->seats);
    buf_append_str(b, ",\"roles\":[");
    buf_append_str(b, (roles & MATCH_ROLE_COORDINATOR) ? "\"coordinator\"" : "");
    buf_append_str(b, (roles & MATCH_ROLE_STUDENT) ? ((roles & MATCH_ROLE_COORDINATOR) ? ",\"student\"" : "\"student\"") : "");
    buf_append_str(b, (roles & MATCH_ROLE_HOST) ? ((roles & (MATCH_ROLE_COORDINATOR | MATCH_ROLE_STUDENT)) ? ",\"host\"" : "\"host\"") : "");
    buf_append_str(b, "]");
    if ((roles & MATCH_ROLE_COORDINATOR) || status == MATCH_ROUND_PUBLISHED) {
        buf_append_str(b, ",\"lottery\":{\"seed\":");
        buf_append_json_string(b, round->seed);
        buf_append_str(b, ",\"order_sha256\":");
        buf_append_json_string(b, round->order_sha256[0] != '\0' ? round->order_sha256 : NULL);
        buf_append_char(b, '}');
    }
    if (roles & MATCH_ROLE_COORDINATOR) {
        buf_appendf(b, ",\"proposals\":%lld,\"verification\":", (long long)round->proposals);
        buf_append_str(b, round->verification[0] != '\0' ? round->verification : "null");
        buf_append_str(b, ",\"matched_at\":");
        write_instant(b, round->matched_at);
        buf_append_str(b, ",\"published_at\":");
        write_instant(b, round->published_at);
    }
    struct store_match_round_block *blocks = NULL;
    size_t count = 0;
    if (store_match_round_blocks(req->db, &req->arena, round->id, &blocks, &count) != DB_OK)
        return -1;
    buf_append_str(b, ",\"blocks\":[");
    bool first = true;
    for (size_t i = 0; i < count; i++) {
        bool host_of = false;
        for (size_t m = 0; m < user->membership_count && !host_of; m++)
            host_of = strcmp(user->memberships[m].organization_id, blocks[i].host_id) == 0;
        if (!first)
            buf_append_char(b, ',');
        write_block(b, &blocks[i], (roles & MATCH_ROLE_COORDINATOR) || host_of);
        first = false;
    }
    buf_append_str(b, "]");
    if ((roles & MATCH_ROLE_STUDENT) && write_student_part(req, b, round, user) != 0)
        return -1;
    if ((roles & MATCH_ROLE_COORDINATOR) && write_cohort(req, b, round) != 0)
        return -1;
    buf_append_char(b, '}');
    return 0;
}

void api_match_round_problem(struct http_request *req, const struct error *err)
{
    if (err == NULL || err->code == ERR_NONE) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_problem(req, err);
}
