/* page_host_rounds.c — a host's side of schools' match rounds. GET
 * /host/rounds: the rounds that hold blocks of the hosts the user
 * coordinates, with a link to each such block, newest first, a page at a
 * time (?cursor= from "Older rounds"). GET
 * /host/rounds/{id}/blocks/{block_id}: who ranked the block, and the choice
 * between letting the round's lottery order them and ranking them — a number
 * box per student (1 = first; equal numbers rank equally and the lottery
 * breaks the tie; an empty box means the host does not accept that student).
 * POST the same path saves it (until the round is matched). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/match_rounds.h"
#include "lib/limits.h"
#include "views/money.h"
#include "web/web.h"

const char *const web_host_round_params[] = {"done", NULL};

static bool coordinates(const struct store_user *user, const char *host_id)
{
    for (size_t i = 0; i < user->membership_count; i++)
        if (strcmp(user->memberships[i].organization_id, host_id) == 0 &&
            role_parse(user->memberships[i].role) == ROLE_HOST_COORDINATOR)
            return true;
    return false;
}

void web_page_host_rounds(struct http_request *req)
{
    struct view_page page;
    struct store_user user;
    struct web_cursor at;
    if (web_cursor_read(req, "cursor", &at) != 0 || !web_page_setup(req, &page, "Match rounds", &user))
        return;
    struct buf hosts;
    buf_init(&hosts, &req->arena, BUF_CAP_LINE);
    for (size_t i = 0; i < user.membership_count; i++)
        if (role_parse(user.memberships[i].role) == ROLE_HOST_COORDINATOR) {
            buf_append_str(&hosts, hosts.len > 0 ? "," : "");
            buf_append_str(&hosts, user.memberships[i].organization_id);
        }
    struct web_rounds r = {0};
    if (hosts.len > 0 &&
        web_rounds_page(req, &(struct store_match_rounds_filter){.host_ids = hosts.data}, &at, &r) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct store_match_round *items = r.items;
    size_t count = r.count;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_PAGE);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<h1>Match rounds</h1>\n<p>Schools place their students in your blocks through match rounds. "
                       "For each block, rank the students who want it, or let the round's lottery decide.</p>\n");
    if (count == 0)
        buf_append_str(&b, at.set ? "<p>No older rounds.</p>\n" : "<p>None of your blocks is in a match round.</p>\n");
    for (size_t i = 0; i < count; i++) {
        struct store_match_round_block *blocks = NULL;
        size_t block_count = 0;
        if (store_match_round_blocks(req->db, &req->arena, items[i].id, &blocks, &block_count) != DB_OK)
            continue;
        buf_append_str(&b, "<section class=\"card\"><h2>");
        buf_append_html(&b, items[i].name);
        buf_append_str(&b, "</h2><p class=\"muted\">");
        buf_append_html(&b, items[i].school_name);
        buf_append_str(&b, " · ");
        buf_append_html(&b, match_round_status_label(match_round_status_parse(items[i].status)));
        buf_append_str(&b, "</p><ul class=\"plain-list\">");
        for (size_t j = 0; j < block_count; j++) {
            if (!coordinates(&user, blocks[j].host_id))
                continue;
            buf_append_str(&b, "<li><a href=\"/host/rounds/");
            buf_append_url(&b, items[i].id);
            buf_append_str(&b, "/blocks/");
            buf_append_url(&b, blocks[j].block_id);
            buf_append_str(&b, "\">");
            buf_append_html(&b, blocks[j].offering_title);
            buf_append_str(&b, ", ");
            view_date(&b, blocks[j].start_date);
            buf_appendf(&b, "</a> <span class=\"muted\">%lld %s · %lld %s ranked it · %s</span></li>",
                        (long long)blocks[j].seats, blocks[j].seats == 1 ? "seat" : "seats",
                        (long long)blocks[j].applicants, blocks[j].applicants == 1 ? "student" : "students",
                        strcmp(blocks[j].ranking, "list") == 0 ? "your list" : "the lottery");
        }
        buf_append_str(&b, "</ul></section>\n");
    }
    web_rounds_pager(&b, &r, &at, "/host/rounds", "cursor", NULL);
    view_page_end(&b);
    http_reply_html(req, 200, &b);
}

struct host_block_view {
    struct store_match_round round;
    struct store_match_round_block block;
    struct store_match_member *applicants;
    size_t applicant_count;
    struct store_match_entry *list;
    size_t list_count;
};

/* The round's block if the user coordinates its host; its applicants and list. */
static int load_block(struct http_request *req, const struct store_user *user, const char *round_id,
                      const char *block_id, struct host_block_view *v)
{
    unsigned roles = 0;
    struct error err = {0};
    struct store_match_round_block *blocks = NULL;
    struct store_match_member *members = NULL;
    struct store_match_entry *ranks = NULL;
    size_t count = 0, member_count = 0, rank_count = 0;
    if (match_round_for(req->db, &req->arena, user, round_id, &v->round, &roles, &err) != 0 ||
        store_match_round_blocks(req->db, &req->arena, round_id, &blocks, &count) != DB_OK)
        return -1;
    bool found = false;
    for (size_t i = 0; i < count && !found; i++)
        if (strcmp(blocks[i].block_id, block_id) == 0 && coordinates(user, blocks[i].host_id)) {
            v->block = blocks[i];
            found = true;
        }
    if (!found || store_match_round_students(req->db, &req->arena, round_id, &members, &member_count) != DB_OK ||
        store_match_student_ranks(req->db, &req->arena, round_id, NULL, &ranks, &rank_count) != DB_OK ||
        store_match_host_ranks(req->db, &req->arena, round_id, block_id, &v->list, &v->list_count) != DB_OK)
        return -1;
    v->applicants = arena_calloc(&req->arena, member_count + 1, sizeof(*v->applicants));
    if (v->applicants == NULL)
        return -1;
    for (size_t i = 0; i < member_count; i++) {
        bool ranked = false;
        for (size_t j = 0; j < rank_count && !ranked; j++)
            ranked = strcmp(ranks[j].student_id, members[i].student_id) == 0 && strcmp(ranks[j].block_id, block_id) == 0;
        if (ranked)
            v->applicants[v->applicant_count++] = members[i];
    }
    return 0;
}

static int64_t tier_of(const struct host_block_view *v, const char *student_id)
{
    for (size_t i = 0; i < v->list_count; i++)
        if (strcmp(v->list[i].student_id, student_id) == 0)
            return v->list[i].position;
    return 0;
}

static void render_form(struct buf *b, const char *csrf_token, const struct host_block_view *v)
{
    bool list = strcmp(v->block.ranking, "list") == 0;
    buf_append_str(b, "<form method=\"post\" action=\"/host/rounds/");
    buf_append_url(b, v->round.id);
    buf_append_str(b, "/blocks/");
    buf_append_url(b, v->block.block_id);
    buf_append_str(b, "\"><input type=\"hidden\" name=\"csrf_token\" value=\"");
    buf_append_html(b, csrf_token);
    buf_append_str(b, "\"><fieldset class=\"choices\"><legend>Who gets your seats first?</legend><label><input "
                      "type=\"radio\" name=\"ranking\" value=\"lottery\"");
    buf_append_str(b, list ? "" : " checked");
    buf_append_str(b, "> The round's lottery (every student who ranked the block is acceptable)</label><label><input "
                      "type=\"radio\" name=\"ranking\" value=\"list\"");
    buf_append_str(b, list ? " checked" : "");
    buf_append_str(b, "> My ranking below (students left empty are not accepted)</label></fieldset>\n");
    buf_append_str(b, "<table class=\"records\"><thead><tr><th scope=\"col\">Student</th><th scope=\"col\">Your rank"
                      "</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < v->applicant_count; i++) {
        const struct store_match_member *m = &v->applicants[i];
        int64_t tier = tier_of(v, m->student_id);
        buf_append_str(b, "<tr><td data-label=\"Student\"><label for=\"rank-");
        buf_append_html(b, m->student_id);
        buf_append_str(b, "\">");
        buf_append_html(b, m->name);
        buf_append_str(b, "</label></td><td data-label=\"Your rank\"><input type=\"number\" class=\"rank\" min=\"1\" "
                          "inputmode=\"numeric\" id=\"rank-");
        buf_append_html(b, m->student_id);
        buf_append_str(b, "\" name=\"rank-");
        buf_append_html(b, m->student_id);
        buf_append_str(b, "\" value=\"");
        if (tier > 0)
            buf_append_int(b, tier);
        buf_append_str(b, "\"></td></tr>\n");
    }
    buf_append_str(b, "</tbody></table>\n<button type=\"submit\">Save</button></form>\n");
}

static void render_block(struct http_request *req, int status, const char *round_id, const char *block_id,
                         const char *notice, const char *error)
{
    struct view_page page;
    struct store_user user;
    struct host_block_view v = {0};
    if (!web_page_setup(req, &page, "Match round", &user))
        return;
    if (load_block(req, &user, round_id, block_id, &v) != 0) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "There is no such block in a match round of yours");
        return;
    }
    enum match_round_status s = match_round_status_parse(v.round.status);
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_PAGE);
    page.title = v.block.offering_title;
    view_page_begin(&b, &page);
    buf_append_str(&b, "<p class=\"breadcrumb\"><a href=\"/host/rounds\">Match rounds</a></p>\n<h1>");
    buf_append_html(&b, v.block.offering_title);
    buf_append_str(&b, "</h1>\n<p class=\"lead\">");
    buf_append_html(&b, v.round.name);
    buf_append_str(&b, " · ");
    buf_append_html(&b, v.round.school_name);
    buf_append_str(&b, " · ");
    view_date(&b, v.block.start_date);
    buf_appendf(&b, " · %lld %s reserved</p>\n", (long long)v.block.seats, v.block.seats == 1 ? "seat" : "seats");
    if (error != NULL)
        view_alert(&b, error);
    else if (notice != NULL)
        view_notice(&b, notice);
    if (v.applicant_count == 0)
        buf_append_str(&b, "<p>No student has ranked this block yet.</p>\n");
    if (s == MATCH_ROUND_DRAFT || s == MATCH_ROUND_OPEN)
        render_form(&b, page.csrf_token, &v);
    else
        buf_append_str(&b, "<p>The round has been matched: its rankings are closed.</p>\n");
    view_page_end(&b);
    http_reply_html(req, status, &b);
}

void web_page_host_round_block(struct http_request *req)
{
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return;
    const char *done = http_kv_get(query, "done");
    render_block(req, 200, http_param(req, "id"), http_param(req, "block_id"),
                 done != NULL ? "Your choice is saved." : NULL, NULL);
}

void web_page_host_round_block_save(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    const char *round_id = http_param(req, "id"), *block_id = http_param(req, "block_id");
    struct host_block_view v = {0};
    if (load_block(req, &user, round_id, block_id, &v) != 0) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "There is no such block in a match round of yours");
        return;
    }
    const char *ranking = http_form(req, "ranking");
    bool lottery = ranking == NULL || strcmp(ranking, "list") != 0;
    const char **students = arena_calloc(&req->arena, v.applicant_count + 1, sizeof(char *));
    int64_t *tiers = arena_calloc(&req->arena, v.applicant_count + 1, sizeof(int64_t));
    size_t n = 0;
    for (size_t i = 0; !lottery && students != NULL && tiers != NULL && i < v.applicant_count; i++) {
        char name[96];
        snprintf(name, sizeof(name), "rank-%s", v.applicants[i].student_id);
        const char *text = http_form(req, name);
        if (text == NULL || text[0] == '\0')
            continue;
        char *end = NULL;
        long tier = strtol(text, &end, 10);
        if (end == NULL || *end != '\0' || tier < 1 || tier > MATCH_ROUND_MAX_COHORT) {
            render_block(req, 400, round_id, block_id, NULL, "Ranks are whole numbers from 1.");
            return;
        }
        students[n] = v.applicants[i].student_id;
        tiers[n++] = tier;
    }
    struct error err = {0};
    if (match_round_host_rank(req->db, &req->arena, &user, round_id, block_id, lottery, students, tiers, n, &err) != 0) {
        render_block(req, error_status(err.code), round_id, block_id, NULL,
                     err.detail != NULL ? err.detail : error_title(err.code));
        return;
    }
    struct buf location;
    buf_init(&location, &req->arena, BUF_CAP_LINE);
    buf_append_str(&location, "/host/rounds/");
    buf_append_url(&location, round_id);
    buf_append_str(&location, "/blocks/");
    buf_append_url(&location, block_id);
    buf_append_str(&location, "?done=saved");
    http_redirect(req, buf_ok(&location) ? location.data : "/host/rounds");
}
