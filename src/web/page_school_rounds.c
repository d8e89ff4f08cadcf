/* page_school_rounds.c — a school's match rounds for its coordinators.
 * On the school dashboard: the rounds, newest first a page at a time
 * (?rounds_cursor= from "Older rounds"), and the form that starts one. GET
 * /school/rounds/{id}: the round's set-up and results — its blocks with the
 * seats reserved, who ranks them (a host's list or the lottery), how many
 * ranked each and, after a run, a picture of the fill of each offering; the
 * form that adds a block (upcoming blocks with seats free); the cohort with
 * how much each student ranked and, after a run, their result in words; the
 * verification and the lottery; the buttons to open, run, publish or cancel.
 * POST /school/rounds creates a round; POST /school/rounds/{id}/blocks adds a
 * block, …/blocks/{block_id}/remove gives it back; POST
 * /school/rounds/{id}/{action} moves the round. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/match_rounds.h"
#include "domain/schools.h"
#include "lib/clock.h"
#include "lib/json_spec.h"
#include "lib/limits.h"
#include "views/money.h"
#include "views/progress.h"
#include "web/web.h"

enum { CANDIDATES_SHOWN = 200 };

/* ---- on the school dashboard ---- */

void web_school_rounds_section(struct http_request *req, struct buf *b, const char *csrf_token,
                               const char *school_id, const struct web_cursor *at)
{
    struct web_rounds r;
    if (web_rounds_page(req, &(struct store_match_rounds_filter){.school_id = school_id}, at, &r) != DB_OK)
        r = (struct web_rounds){0};
    struct store_match_round *items = r.items;
    size_t count = r.count;
    buf_append_str(b, "<section aria-labelledby=\"rounds-heading\"><h2 id=\"rounds-heading\">Match rounds</h2>\n");
    if (count > 0) {
        buf_append_str(b, "<ul class=\"plain-list\">\n");
        for (size_t i = 0; i < count; i++) {
            buf_append_str(b, "<li><a href=\"/school/rounds/");
            buf_append_url(b, items[i].id);
            buf_append_str(b, "\">");
            buf_append_html(b, items[i].name);
            buf_appendf(b, "</a> <span class=\"muted\">%s · %lld %s · %lld %s</span></li>\n",
                        match_round_status_label(match_round_status_parse(items[i].status)),
                        (long long)items[i].students, items[i].students == 1 ? "student" : "students",
                        (long long)items[i].seats, items[i].seats == 1 ? "seat" : "seats");
        }
        buf_append_str(b, "</ul>\n");
    } else if (at->set) {
        buf_append_str(b, "<p>No older rounds.</p>\n");
    }
    struct buf path;
    buf_init(&path, &req->arena, BUF_CAP_LINE);
    buf_append_str(&path, "/school?school=");
    buf_append_url(&path, school_id);
    if (buf_ok(&path))
        web_rounds_pager(b, &r, at, path.data, "rounds_cursor", "#rounds-heading");
    buf_append_str(b, "<details class=\"card\"><summary>Start a match round</summary>\n<p>A round places your "
                      "linked students into seats you reserve: students rank the rotations, hosts rank the "
                      "students or leave it to the lottery, and the match finds the best stable result for every "
                      "student.</p>\n");
    char action[160];
    snprintf(action, sizeof(action), "/school/rounds?school=%s", school_id);
    view_form_begin(b, action, csrf_token);
    view_input(b, "Name", "text", "name", NULL, "off", true, "For example “Spring 2027 cohort A”.", NULL);
    view_select(b, "Kind", "mode", match_round_mode_names, match_round_mode_labels,
                match_round_mode_name(MATCH_ROUND_MODE_ONE), NULL);
    view_input(b, "Placements per student (rotations)", "number", "max_placements", "1", "off", false,
               "For rotations: how many periods each student is placed in at most.", NULL);
    view_input(b, "Ranking deadline", "date", "deadline", NULL, "off", true, "Students rank until the end of this day (UTC).",
               NULL);
    view_form_end(b, "Create the round");
    buf_append_str(b, "</details></section>\n");
}

void web_page_school_round_create(struct http_request *req)
{
    struct store_user user;
    struct http_kv_list *query;
    if (!web_current_user(req, &user) || http_query(req, &query) != 0)
        return;
    const char *deadline = http_form(req, "deadline"), *max = http_form(req, "max_placements");
    struct match_round_new r = {
        .school_id = http_kv_get(query, "school"),
        .name = http_form(req, "name"),
        .mode = http_form(req, "mode"),
        .max_placements = max != NULL && max[0] != '\0' ? strtol(max, NULL, 10) : 1,
        .deadline = deadline != NULL && json_date_valid(deadline) ? (int64_t)clock_days_from_date(deadline) * 86400 + 86399
                                                                  : 0,
    };
    struct store_match_round round;
    struct error err = {0};
    if (match_round_create(req->db, &req->arena, &user, &r, &round, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    web_redirect_done(req, "/school/rounds/", round.id, "created");
}

/* ---- the round's page ---- */

static void action_button(struct buf *b, const char *csrf_token, const char *round_id, const char *action,
                          const char *label, bool secondary)
{
    buf_append_str(b, "<form class=\"inline\" method=\"post\" action=\"/school/rounds/");
    buf_append_url(b, round_id);
    buf_append_char(b, '/');
    buf_append_str(b, action);
    buf_append_str(b, "\"><input type=\"hidden\" name=\"csrf_token\" value=\"");
    buf_append_html(b, csrf_token);
    buf_append_str(b, secondary ? "\"><button type=\"submit\" class=\"secondary\">" : "\"><button type=\"submit\">");
    buf_append_html(b, label);
    buf_append_str(b, "</button></form>\n");
}

static void render_blocks(struct buf *b, const char *csrf_token, const struct store_match_round *round,
                          const struct store_match_round_block *blocks, size_t count, bool setup)
{
    buf_append_str(b, "<section aria-labelledby=\"blocks-heading\"><h2 id=\"blocks-heading\">Seats</h2>\n");
    if (count == 0) {
        buf_append_str(b, "<p>No block yet: add the blocks whose seats the round fills.</p></section>\n");
        return;
    }
    buf_append_str(b, "<table class=\"records\"><thead><tr><th scope=\"col\">Rotation</th><th scope=\"col\">Dates"
                      "</th><th scope=\"col\">Seats</th><th scope=\"col\">Ranked by</th><th scope=\"col\">Students who "
                      "ranked it</th><th scope=\"col\"><span class=\"visually-hidden\">Actions</span></th></tr></thead>"
                      "<tbody>\n");
    for (size_t i = 0; i < count; i++) {
        const struct store_match_round_block *k = &blocks[i];
        buf_append_str(b, "<tr><td data-label=\"Rotation\">");
        buf_append_html(b, k->offering_title);
        buf_append_str(b, "<br><span class=\"muted\">");
        buf_append_html(b, k->host_name);
        buf_append_str(b, "</span></td><td data-label=\"Dates\">");
        view_date(b, k->start_date);
        buf_append_str(b, " to ");
        view_date(b, k->end_date);
        buf_appendf(b, "</td><td data-label=\"Seats\">%lld</td><td data-label=\"Ranked by\">%s</td>"
                       "<td data-label=\"Students who ranked it\">%lld</td><td>",
                    (long long)k->seats, strcmp(k->ranking, "list") == 0 ? "The host's list" : "The lottery",
                    (long long)k->applicants);
        if (setup) {
            buf_append_str(b, "<form class=\"inline\" method=\"post\" action=\"/school/rounds/");
            buf_append_url(b, round->id);
            buf_append_str(b, "/blocks/");
            buf_append_url(b, k->block_id);
            buf_append_str(b, "/remove\"><input type=\"hidden\" name=\"csrf_token\" value=\"");
            buf_append_html(b, csrf_token);
            buf_append_str(b, "\"><button type=\"submit\" class=\"secondary small\">Give back<span "
                              "class=\"visually-hidden\">: ");
            buf_append_html(b, k->offering_title);
            buf_append_str(b, "</span></button></form>");
        }
        buf_append_str(b, "</td></tr>\n");
    }
    buf_append_str(b, "</tbody></table></section>\n");
}

static void render_add_block(struct http_request *req, struct buf *b, const char *csrf_token,
                             const struct store_match_round *round, const char *error)
{
    /* Blocks that start after the ranking deadline (and today), not in the round yet. */
    char after[11], deadline[11];
    clock_today(after);
    clock_date_from_days((int32_t)(round->deadline / 86400), deadline);
    if (strcmp(deadline, after) > 0)
        memcpy(after, deadline, sizeof(after));
    const char *round_id = round->id;
    struct store_match_round_block *c = NULL;
    size_t count = 0;
    if (store_match_block_candidates(req->db, &req->arena, round_id, NULL, after, CANDIDATES_SHOWN, &c, &count) !=
        DB_OK)
        count = 0;
    const char **values = arena_calloc(&req->arena, count + 2, sizeof(char *));
    const char **labels = arena_calloc(&req->arena, count + 2, sizeof(char *));
    if (values == NULL || labels == NULL)
        return;
    for (size_t i = 0; i < count; i++) {
        struct buf label;
        buf_init(&label, &req->arena, BUF_CAP_LINE);
        char start[CLOCK_DATE_WORDS_SIZE], end[CLOCK_DATE_WORDS_SIZE];
        buf_appendf(&label, "%s — %s, %s to %s (%lld free)", c[i].offering_title, c[i].host_name,
                    clock_date_words(c[i].start_date, start), clock_date_words(c[i].end_date, end),
                    (long long)c[i].seats);
        values[i] = c[i].block_id; /* view_select adds the empty choice */
        labels[i] = label.data;
    }
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"add-heading\"><h2 id=\"add-heading\">Reserve seats"
                      "</h2>\n<p>Seats you reserve are held for the round: nobody else can book them until the round "
                      "is published or cancelled.</p>\n");
    char action[128];
    snprintf(action, sizeof(action), "/school/rounds/%s/blocks", round_id);
    view_form_begin(b, action, csrf_token);
    view_select(b, "Block", "block_id", values, labels, NULL, error);
    view_input(b, "Seats", "number", "seats", "1", "off", true, NULL, NULL);
    view_form_end(b, "Reserve the seats");
    buf_append_str(b, "</section>\n");
}

/* The fill of each offering as the progress picture (seats, filled). */
static void render_fill(struct arena *arena, struct buf *b, const struct store_match_round_block *blocks,
                        size_t count)
{
    struct view_progress_row rows[64];
    size_t n = 0;
    int64_t seats = 0, placed = 0;
    for (size_t i = 0; i < count && n < 64; i++, n++) {
        char *value = arena_alloc(arena, 48);
        seats += blocks[i].seats;
        placed += blocks[i].placed;
        rows[n] = (struct view_progress_row){.label = blocks[i].offering_title,
                                             .state = blocks[i].placed >= blocks[i].seats ? "ok"
                                                      : blocks[i].placed > 0             ? "in_progress"
                                                                                         : "missing",
                                             .have = blocks[i].placed,
                                             .target = blocks[i].seats};
        if (value != NULL)
            snprintf(value, 48, "%lld of %lld seats", (long long)blocks[i].placed, (long long)blocks[i].seats);
        rows[n].value = value;
    }
    char title[96];
    snprintf(title, sizeof(title), "Seats filled: %lld of %lld", (long long)placed, (long long)seats);
    buf_append_str(b, "<section aria-labelledby=\"fill-heading\"><h2 id=\"fill-heading\">Fill</h2>\n");
    view_progress(b, "fill", title, rows, n);
    buf_append_str(b, "</section>\n");
}

static void render_cohort(struct http_request *req, struct buf *b, const struct store_match_round *round)
{
    struct store_match_member *m = NULL;
    size_t count = 0;
    if (store_match_round_students(req->db, &req->arena, round->id, &m, &count) != DB_OK)
        return;
    buf_appendf(b, "<section aria-labelledby=\"cohort-heading\"><h2 id=\"cohort-heading\">Students (%zu)</h2>\n"
                   "<table class=\"records\"><thead><tr><th scope=\"col\">Student</th><th scope=\"col\">Ranked"
                   "</th><th scope=\"col\">Result</th></tr></thead><tbody>\n",
                count);
    for (size_t i = 0; i < count; i++) {
        buf_append_str(b, "<tr><td data-label=\"Student\">");
        buf_append_html(b, m[i].name);
        buf_appendf(b, "</td><td data-label=\"Ranked\">%lld</td><td data-label=\"Result\">", (long long)m[i].ranked);
        buf_append_html(b, m[i].explanation != NULL ? m[i].explanation : "Not matched yet");
        buf_append_str(b, "</td></tr>\n");
    }
    buf_append_str(b, "</tbody></table></section>\n");
}

static void render_actions(struct buf *b, const char *csrf_token, const struct store_match_round *round)
{
    enum match_round_status s = match_round_status_parse(round->status);
    buf_append_str(b, "<div class=\"actions\">");
    if (s == MATCH_ROUND_DRAFT)
        action_button(b, csrf_token, round->id, "open", "Open for ranking", false);
    if (s == MATCH_ROUND_OPEN || s == MATCH_ROUND_MATCHED)
        action_button(b, csrf_token, round->id, "run", s == MATCH_ROUND_OPEN ? "Run the match" : "Run again", false);
    if (s == MATCH_ROUND_MATCHED)
        action_button(b, csrf_token, round->id, "publish", "Publish: make the offers", false);
    if (s != MATCH_ROUND_PUBLISHED && s != MATCH_ROUND_CANCELLED)
        action_button(b, csrf_token, round->id, "cancel", "Cancel the round", true);
    buf_append_str(b, "</div>\n");
}

static void render_verification(struct buf *b, const struct store_match_round *round)
{
    if (round->matched_at == 0)
        return;
    bool ok = strstr(round->verification, "false") == NULL && strstr(round->verification, "\"blocking_pairs\":0") != NULL;
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"check-heading\"><h2 id=\"check-heading\">"
                      "Verification</h2>\n<p>");
    buf_append_str(b, ok ? "<span class=\"status status-good\">Verified</span> Seats, eligibility, dates and "
                           "placements checked; no student and rotation would both rather be together: the result "
                           "is stable."
                         : "<span class=\"status status-closed\">Failed</span> The result did not pass its checks "
                           "and cannot be published.");
    buf_appendf(b, "</p>\n<p class=\"muted\">%lld proposals. Lottery seed “", (long long)round->proposals);
    buf_append_html(b, round->seed);
    buf_append_str(b, "”, order SHA-256 <code>");
    buf_append_html(b, round->order_sha256);
    buf_append_str(b, "</code>. <a href=\"/api/v1/match-rounds/");
    buf_append_url(b, round->id);
    buf_append_str(b, "/instance\">Download the instance</a> to check it with <code>rounds match</code>.</p>"
                      "</section>\n");
}

static void render_round(struct http_request *req, int status, const char *round_id, const char *done,
                         const char *error)
{
    struct view_page page;
    struct store_user user;
    struct store_match_round round;
    unsigned roles = 0;
    struct error err = {0};
    if (!web_page_setup(req, &page, "Match round", &user))
        return;
    if (match_round_for(req->db, &req->arena, &user, round_id, &round, &roles, &err) != 0 ||
        !(roles & MATCH_ROLE_COORDINATOR)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "There is no such match round");
        return;
    }
    struct store_match_round_block *blocks = NULL;
    size_t count = 0;
    if (store_match_round_blocks(req->db, &req->arena, round.id, &blocks, &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    enum match_round_status s = match_round_status_parse(round.status);
    bool setup = s == MATCH_ROUND_DRAFT || s == MATCH_ROUND_OPEN;
    page.title = round.name;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_PAGE);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<p class=\"breadcrumb\"><a href=\"/school?school=");
    buf_append_url(&b, round.school_id);
    buf_append_str(&b, "\">");
    buf_append_html(&b, round.school_name);
    buf_append_str(&b, "</a></p>\n<h1>");
    buf_append_html(&b, round.name);
    buf_appendf(&b, "</h1>\n<p class=\"lead\">%s · %s · ", match_round_status_label(s),
                match_round_mode_parse(round.mode) == MATCH_ROUND_MODE_ONE ? "one placement per student" : "rotations");
    buf_append_str(&b, "ranking until ");
    web_write_instant(req, &b, round.deadline);
    buf_append_str(&b, "</p>\n");
    if (error != NULL)
        view_alert(&b, error);
    else if (done != NULL)
        view_notice(&b, done);
    render_actions(&b, page.csrf_token, &round);
    render_verification(&b, &round);
    if (round.matched_at > 0)
        render_fill(&req->arena, &b, blocks, count);
    render_blocks(&b, page.csrf_token, &round, blocks, count, setup);
    if (setup)
        render_add_block(req, &b, page.csrf_token, &round, NULL);
    render_cohort(req, &b, &round);
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, status, &b);
}

static const char *done_words(const char *done)
{
    static const struct {
        const char *key, *words;
    } words[] = {
        {"created", "The round is created: reserve seats, then open it for ranking."},
        {"reserved", "The seats are reserved for the round."},
        {"released", "The seats are back on sale."},
        {"open", "The round is open: the students have been told to rank."},
        {"run", "The match has run: review the result, then publish it."},
        {"publish", "Published: the placed students have their offers, the others have been told."},
        {"cancel", "The round is cancelled and its seats are back on sale."},
    };
    for (size_t i = 0; done != NULL && i < sizeof(words) / sizeof(words[0]); i++)
        if (strcmp(words[i].key, done) == 0)
            return words[i].words;
    return NULL;
}

void web_page_school_round(struct http_request *req)
{
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return;
    render_round(req, 200, http_param(req, "id"), done_words(http_kv_get(query, "done")), NULL);
}

void web_page_school_round_block_add(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    const char *id = http_param(req, "id"), *seats = http_form(req, "seats");
    struct error err = {0};
    if (match_round_add_block(req->db, &req->arena, &user, id, http_form(req, "block_id"),
                              seats != NULL ? strtol(seats, NULL, 10) : 0, &err) != 0) {
        if (err.code == ERR_NOT_FOUND || err.code == ERR_INTERNAL || err.code == ERR_NONE) {
            http_reply_problem(req, &err);
            return;
        }
        render_round(req, error_status(err.code), id, NULL, err.detail != NULL ? err.detail : error_title(err.code));
        return;
    }
    web_redirect_done(req, "/school/rounds/", id, "reserved");
}

void web_page_school_round_block_remove(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    const char *id = http_param(req, "id");
    struct error err = {0};
    if (match_round_remove_block(req->db, &req->arena, &user, id, http_param(req, "block_id"), &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    web_redirect_done(req, "/school/rounds/", id, "released");
}

void web_page_school_round_action(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    const char *id = http_param(req, "id"), *action = http_param(req, "action");
    struct store_match_round round;
    struct error err = {0};
    if (match_round_act(req->db, &req->arena, &user, id, action, &round, &err) != 0) {
        if (err.code == ERR_NOT_FOUND || err.code == ERR_INTERNAL || err.code == ERR_NONE) {
            http_reply_problem(req, &err);
            return;
        }
        render_round(req, error_status(err.code), id, NULL, err.detail != NULL ? err.detail : error_title(err.code));
        return;
    }
    web_redirect_done(req, "/school/rounds/", id, action);
}
