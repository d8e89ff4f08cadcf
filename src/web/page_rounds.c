/* page_rounds.c — a student's match rounds. GET /rounds lists the rounds
 * they are in, newest first, a page at a time (?cursor= from "Older rounds");
 * GET /rounds/{id} is the ranking page: the round's offerings
 * they may take, each with a number box (1 = first choice, empty = not
 * ranked) and Move up / Move down buttons on the ranked ones — no dragging,
 * every control a plain form control that works from the keyboard and
 * without JavaScript. POST /rounds/{id} saves the numbers (ties keep the
 * current order) or moves one entry. Once the round is published the page
 * shows the student's result and why, with a link to their offer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/match_rounds.h"
#include "lib/clock.h"
#include "lib/limits.h"
#include "store/applications.h"
#include "views/money.h"
#include "web/web.h"

const char *const web_round_params[] = {"done", NULL};
const char *const web_rounds_params[] = {"cursor", NULL};

/* The offerings of the round the student may rank, and their current list. */
struct ranking_view {
    struct store_match_round round;
    struct store_match_round_block *blocks;
    size_t block_count;
    bool *rankable; /* per block */
    struct store_match_entry *ranks;
    size_t rank_count;
};

static int load_view(struct http_request *req, const struct store_user *user, struct ranking_view *v)
{
    if (store_match_round_blocks(req->db, &req->arena, v->round.id, &v->blocks, &v->block_count) != DB_OK ||
        store_match_student_ranks(req->db, &req->arena, v->round.id, user->id, &v->ranks, &v->rank_count) != DB_OK)
        return -1;
    v->rankable = arena_calloc(&req->arena, v->block_count + 1, sizeof(bool));
    if (v->rankable == NULL)
        return -1;
    for (size_t i = 0; i < v->block_count; i++) {
        struct store_offering o;
        bool active = false;
        if (store_offering_get(req->db, &req->arena, v->blocks[i].offering_id, &o) != DB_ROW ||
            store_student_active_on_block(req->db, user->id, v->blocks[i].block_id, &active) != DB_OK)
            return -1;
        v->rankable[i] = !active && match_round_student_eligible(&o, &user->profile);
    }
    return 0;
}

static int64_t rank_of(const struct ranking_view *v, const char *block_id)
{
    for (size_t i = 0; i < v->rank_count; i++)
        if (strcmp(v->ranks[i].block_id, block_id) == 0)
            return v->ranks[i].position;
    return 0;
}

static void render_row(struct buf *b, const struct ranking_view *v, size_t i, bool open)
{
    const struct store_match_round_block *blk = &v->blocks[i];
    int64_t rank = rank_of(v, blk->block_id);
    buf_append_str(b, "<tr><td data-label=\"Rotation\"><a href=\"/offerings/");
    buf_append_url(b, blk->offering_id);
    buf_append_str(b, "\">");
    buf_append_html(b, blk->offering_title);
    buf_append_str(b, "</a><br><span class=\"muted\">");
    buf_append_html(b, blk->host_name);
    buf_append_str(b, "</span></td><td data-label=\"Dates\">");
    view_date(b, blk->start_date);
    buf_append_str(b, " to ");
    view_date(b, blk->end_date);
    buf_appendf(b, "</td><td data-label=\"Seats\">%lld</td><td data-label=\"Your rank\">", (long long)blk->seats);
    if (!v->rankable[i]) {
        buf_append_str(b, "<span class=\"muted\">Not open to you (eligibility, or you applied already)</span></td>"
                          "</tr>\n");
        return;
    }
    if (!open) {
        if (rank > 0)
            buf_append_int(b, rank);
        else
            buf_append_str(b, "<span class=\"muted\">Not ranked</span>");
        buf_append_str(b, "</td></tr>\n");
        return;
    }
    buf_append_str(b, "<label class=\"visually-hidden\" for=\"rank-");
    buf_append_html(b, blk->block_id);
    buf_append_str(b, "\">Rank for ");
    buf_append_html(b, blk->offering_title);
    buf_append_str(b, "</label><input type=\"number\" class=\"rank\" min=\"1\" max=\"" LIMIT_TEXT(
                          MATCH_ROUND_MAX_RANKS) "\" inputmode=\"numeric\" id=\"rank-");
    buf_append_html(b, blk->block_id);
    buf_append_str(b, "\" name=\"rank-");
    buf_append_html(b, blk->block_id);
    buf_append_str(b, "\" value=\"");
    if (rank > 0)
        buf_append_int(b, rank);
    buf_append_str(b, "\">");
    if (rank > 0) {
        for (int down = 0; down < 2; down++) {
            buf_append_str(b, "<button type=\"submit\" class=\"secondary small\" name=\"move\" value=\"");
            buf_append_str(b, down ? "down:" : "up:");
            buf_append_html(b, blk->block_id);
            buf_append_str(b, down ? "\">Move down" : "\">Move up");
            buf_append_str(b, "<span class=\"visually-hidden\">: ");
            buf_append_html(b, blk->offering_title);
            buf_append_str(b, "</span></button>");
        }
    }
    buf_append_str(b, "</td></tr>\n");
}

static void render_result(struct http_request *req, struct buf *b, const struct store_user *user,
                          const struct ranking_view *v)
{
    const char *explanation = NULL;
    store_match_outcome_of(req->db, &req->arena, v->round.id, user->id, &explanation);
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"result-heading\"><h2 id=\"result-heading\">Your "
                      "result</h2>\n<p>");
    buf_append_html(b, explanation != NULL ? explanation : "You took no part in this round's match.");
    buf_append_str(b, "</p>\n<p><a href=\"/applications\">See your offers in My applications</a>: accept an offer "
                      "before it expires to hold the seat.</p></section>\n");
}

static void render(struct http_request *req, int status, const char *round_id, const char *notice,
                   const char *error)
{
    struct view_page page;
    struct store_user user;
    struct ranking_view v = {0};
    unsigned roles = 0;
    struct error err = {0};
    if (!web_page_setup(req, &page, "Match round", &user))
        return;
    if (match_round_for(req->db, &req->arena, &user, round_id, &v.round, &roles, &err) != 0 ||
        !(roles & MATCH_ROLE_STUDENT)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "There is no such match round");
        return;
    }
    if (load_view(req, &user, &v) != 0) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    enum match_round_status s = match_round_status_parse(v.round.status);
    bool open = s == MATCH_ROUND_OPEN && clock_now() < v.round.deadline;
    page.title = v.round.name;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_PAGE);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<h1>");
    buf_append_html(&b, v.round.name);
    buf_append_str(&b, "</h1>\n<p class=\"lead\">");
    buf_append_html(&b, v.round.school_name);
    buf_append_str(&b, " · ");
    buf_append_html(&b, match_round_status_label(s));
    buf_append_str(&b, open ? " · rank until " : " · ranking closed ");
    web_write_instant(req, &b, v.round.deadline);
    buf_append_str(&b, "</p>\n");
    if (error != NULL)
        view_alert(&b, error);
    else if (notice != NULL)
        view_notice(&b, notice);
    if (s == MATCH_ROUND_PUBLISHED)
        render_result(req, &b, &user, &v);
    if (open)
        buf_append_str(&b, "<p>Number the rotations you want, 1 for your first choice; leave the others empty. "
                           "Rank them in your true order of preference: the match gives every student the best "
                           "result it can, and ranking differently can only make yours worse.</p>\n");
    buf_append_str(&b, "<form method=\"post\" action=\"/rounds/");
    buf_append_url(&b, v.round.id);
    buf_append_str(&b, "\"><input type=\"hidden\" name=\"csrf_token\" value=\"");
    buf_append_html(&b, page.csrf_token);
    buf_append_str(&b, "\"><table class=\"responsive ranking\"><caption class=\"visually-hidden\">The round's "
                       "rotations and your ranks</caption><thead><tr><th scope=\"col\">Rotation</th><th scope=\"col\">"
                       "Dates</th><th scope=\"col\">Seats</th><th scope=\"col\">Your rank</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < v.block_count; i++)
        render_row(&b, &v, i, open);
    buf_append_str(&b, "</tbody></table>\n");
    if (open)
        buf_append_str(&b, "<button type=\"submit\" name=\"save\" value=\"1\">Save my ranking</button>\n");
    buf_append_str(&b, "</form>\n");
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, status, &b);
}

void web_page_round(struct http_request *req)
{
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return;
    const char *done = http_kv_get(query, "done");
    render(req, 200, http_param(req, "id"), done != NULL && strcmp(done, "saved") == 0 ? "Your ranking is saved." : NULL,
           NULL);
}

struct ranked {
    const char *block_id;
    long number;
    size_t previous; /* the order before, for ties */
};

static int ranked_compare(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->number != y->number)
        return x->number < y->number ? -1 : 1;
    return x->previous < y->previous ? -1 : x->previous > y->previous;
}

/* The list from the number boxes: ranked entries by number, ties in their old order. */
static size_t list_from_numbers(struct http_request *req, const struct ranking_view *v, const char **out,
                                const char **error)
{
    struct ranked *r = arena_calloc(&req->arena, v->block_count + 1, sizeof(*r));
    if (r == NULL) {
        *error = "Your ranking could not be read; try again.";
        return 0;
    }
    size_t n = 0;
    for (size_t i = 0; i < v->block_count; i++) {
        char name[96];
        snprintf(name, sizeof(name), "rank-%s", v->blocks[i].block_id);
        const char *text = http_form(req, name);
        if (text == NULL || text[0] == '\0')
            continue;
        char *end = NULL;
        long number = strtol(text, &end, 10);
        if (end == NULL || *end != '\0' || number < 1 || number > MATCH_ROUND_MAX_RANKS || !v->rankable[i]) {
            *error = "Ranks are whole numbers from 1, for the rotations open to you.";
            return 0;
        }
        int64_t before = rank_of(v, v->blocks[i].block_id);
        r[n++] = (struct ranked){v->blocks[i].block_id, number, before > 0 ? (size_t)before : SIZE_MAX};
    }
    qsort(r, n, sizeof(*r), ranked_compare);
    for (size_t i = 0; i < n; i++)
        out[i] = r[i].block_id;
    return n;
}

/* The saved list with one entry moved up or down ("up:<block>"). */
static size_t list_moved(const struct ranking_view *v, const char *move, const char **out)
{
    bool up = strncmp(move, "up:", 3) == 0;
    const char *target = strchr(move, ':') != NULL ? strchr(move, ':') + 1 : "";
    size_t n = 0, at = SIZE_MAX;
    for (size_t i = 0; i < v->rank_count; i++) {
        out[n] = v->ranks[i].block_id;
        if (strcmp(out[n], target) == 0)
            at = n;
        n++;
    }
    size_t other = at == SIZE_MAX ? SIZE_MAX : up ? (at > 0 ? at - 1 : SIZE_MAX) : (at + 1 < n ? at + 1 : SIZE_MAX);
    if (other != SIZE_MAX) {
        const char *t = out[at];
        out[at] = out[other];
        out[other] = t;
    }
    return n;
}

void web_page_round_save(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    const char *id = http_param(req, "id");
    struct ranking_view v = {0};
    unsigned roles = 0;
    struct error err = {0};
    if (match_round_for(req->db, &req->arena, &user, id, &v.round, &roles, &err) != 0 || !(roles & MATCH_ROLE_STUDENT)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "There is no such match round");
        return;
    }
    if (load_view(req, &user, &v) != 0) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    const char **list = arena_calloc(&req->arena, v.block_count + v.rank_count + 1, sizeof(char *));
    const char *move = http_form(req, "move"), *error = NULL;
    if (list == NULL) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    size_t n = move != NULL && move[0] != '\0' ? list_moved(&v, move, list) : list_from_numbers(req, &v, list, &error);
    if (error != NULL) {
        render(req, 400, id, NULL, error);
        return;
    }
    if (match_round_rank(req->db, &req->arena, &user, id, list, n, &err) != 0) {
        render(req, error_status(err.code), id, NULL, err.detail != NULL ? err.detail : error_title(err.code));
        return;
    }
    web_redirect_done(req, "/rounds/", id, "saved");
}

int web_rounds_page(struct http_request *req, const struct store_match_rounds_filter *filter,
                    const struct web_cursor *at, struct web_rounds *out)
{
    memset(out, 0, sizeof(*out));
    struct store_match_rounds_filter f = *filter;
    f.after_id = at->set ? at->id : NULL;
    f.after_created_at = at->key;
    f.limit = MATCH_ROUNDS_SHOWN_MAX + 1;
    int rc = store_match_rounds_page(req->db, &req->arena, &f, &out->items, &out->count);
    if (rc != DB_OK)
        return rc;
    out->more = out->count > MATCH_ROUNDS_SHOWN_MAX;
    out->count = out->more ? MATCH_ROUNDS_SHOWN_MAX : out->count;
    return DB_OK;
}

void web_rounds_pager(struct buf *b, const struct web_rounds *r, const struct web_cursor *at, const char *path,
                      const char *name, const char *fragment)
{
    const struct store_match_round *last = r->count > 0 ? &r->items[r->count - 1] : NULL;
    web_pager_nav(b, &(struct web_pager){.label = "Pages of the match rounds", .what = "rounds", .path = path,
                                         .name = name, .fragment = fragment, .at = at, .more = r->more,
                                         .last_key = last != NULL ? last->created_at : 0,
                                         .last_id = last != NULL ? last->id : NULL});
}

void web_page_rounds(struct http_request *req)
{
    struct view_page page;
    struct store_user user;
    struct web_cursor at;
    if (web_cursor_read(req, "cursor", &at) != 0 || !web_page_setup(req, &page, "Match rounds", &user))
        return;
    struct web_rounds r;
    if (web_rounds_page(req, &(struct store_match_rounds_filter){.student_id = user.id}, &at, &r) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_PAGE);
    view_page_begin(&b, &page);
    buf_append_str(&b, at.set ? "<h1>Older match rounds</h1>\n" : "<h1>Match rounds</h1>\n");
    if (r.count == 0)
        buf_append_str(&b, at.set ? "<p>No older rounds.</p>\n"
                                  : "<p>Your school has not placed you in a match round.</p>\n");
    buf_append_str(&b, "<ul class=\"plain-list\">\n");
    for (size_t i = 0; i < r.count; i++) {
        buf_append_str(&b, "<li><a href=\"/rounds/");
        buf_append_url(&b, r.items[i].id);
        buf_append_str(&b, "\">");
        buf_append_html(&b, r.items[i].name);
        buf_append_str(&b, "</a> <span class=\"muted\">");
        buf_append_html(&b, r.items[i].school_name);
        buf_append_str(&b, " · ");
        buf_append_html(&b, match_round_status_label(match_round_status_parse(r.items[i].status)));
        buf_append_str(&b, "</span></li>\n");
    }
    buf_append_str(&b, "</ul>\n");
    web_rounds_pager(&b, &r, &at, "/rounds", "cursor", NULL);
    view_page_end(&b);
    http_reply_html(req, 200, &b);
}
