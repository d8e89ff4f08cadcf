/* page_readiness.c — GET /readiness: the student's Match readiness (letters,
 * weeks of U.S. clinical experience, USMLE Step 1 and Step 2 CK, ECFMG,
 * English proficiency), each with its state in words, what they have and the next
 * step as a link, above a server-rendered picture of the progress
 * (views/progress.c). For staff, the form that sets the targets every
 * student is measured against: POST /staff/readiness (404 for anyone else),
 * which comes back to /readiness?done=targets or shows the errors in place. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/readiness.h"
#include "lib/limits.h"
#include "store/letters.h"
#include "views/progress.h"
#include "web/web.h"

/* What the targets form shows again after a refusal. */
struct targets_form {
    const char *letters, *letters_us, *usce_weeks; /* as typed */
    struct error err;                             /* err.field names the input */
};

/* The short name of an item in the picture (its title when unknown). */
static const char *short_label(const struct readiness_item *item)
{
    static const char *const labels[][2] = {
        {"letters", "Letters of recommendation"}, {"usce", "U.S. clinical experience"},
        {"step1", "USMLE Step 1"},                {"step2ck", "USMLE Step 2 CK"},
        {"ecfmg", "ECFMG certification"},         {"english", "English proficiency"},
    };
    for (size_t i = 0; item->key != NULL && i < sizeof(labels) / sizeof(labels[0]); i++)
        if (strcmp(labels[i][0], item->key) == 0)
            return labels[i][1];
    return item->title != NULL ? item->title : "";
}

/* "1 of 3", "4 of 12 weeks", or NULL for yes/no items. */
static const char *count_text(struct arena *arena, const struct readiness_item *item)
{
    if (item->target <= 0)
        return NULL;
    struct buf b;
    buf_init(&b, arena, BUF_CAP_WORD);
    buf_append_int(&b, item->have);
    buf_append_str(&b, " of ");
    buf_append_int(&b, item->target);
    if (item->key != NULL && strcmp(item->key, "usce") == 0)
        buf_append_str(&b, item->target == 1 ? " week" : " weeks");
    return buf_ok(&b) ? b.data : NULL;
}

static const char *state_group(enum readiness_state state)
{
    return state == READINESS_OK ? "good" : state == READINESS_IN_PROGRESS ? "waiting" : "closed";
}

static void render_picture(struct http_request *req, struct buf *b, const struct readiness *r)
{
    struct view_progress_row rows[sizeof(r->items) / sizeof(r->items[0])];
    size_t n = r->count < sizeof(rows) / sizeof(rows[0]) ? r->count : sizeof(rows) / sizeof(rows[0]);
    for (size_t i = 0; i < n; i++) {
        const struct readiness_item *item = &r->items[i];
        rows[i] = (struct view_progress_row){.label = short_label(item),
                                             .state = readiness_state_name(item->state),
                                             .value = count_text(&req->arena, item),
                                             .have = item->have,
                                             .target = item->target};
    }
    struct buf title;
    buf_init(&title, &req->arena, BUF_CAP_LINE);
    buf_append_str(&title, "Match readiness: ");
    buf_append_int(&title, r->ok_count);
    buf_append_str(&title, " of ");
    buf_append_int(&title, (int64_t)n);
    buf_append_str(&title, " items done");
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"progress-heading\"><h2 id=\"progress-heading\">");
    buf_append_int(b, r->ok_count);
    buf_append_str(b, " of ");
    buf_append_int(b, (int64_t)n);
    buf_append_str(b, " items done</h2>\n<figure class=\"progress-figure\">");
    view_progress(b, "readiness", buf_ok(&title) ? title.data : "Match readiness", rows, n);
    buf_append_str(b, "<figcaption class=\"muted\">Each bar shows what you have against the target. Solid: done; "
                      "striped: in progress; empty: missing.</figcaption></figure></section>\n");
}

static void render_items(struct buf *b, const struct readiness *r)
{
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"items-heading\"><h2 id=\"items-heading\">"
                      "What you have and what is next</h2>\n<div class=\"table-wrap\"><table class=\"records "
                      "readiness-items\"><caption>Each item the residency Match asks for</caption><thead><tr>"
                      "<th scope=\"col\">Item</th><th scope=\"col\">State</th><th scope=\"col\">Progress</th>"
                      "<th scope=\"col\">Next step</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < r->count && i < sizeof(r->items) / sizeof(r->items[0]); i++) {
        const struct readiness_item *item = &r->items[i];
        buf_append_str(b, "<tr><th scope=\"row\" data-label=\"Item\">");
        buf_append_html(b, item->title != NULL ? item->title : short_label(item));
        buf_append_str(b, "</th><td data-label=\"State\"><span class=\"status status-");
        buf_append_str(b, state_group(item->state));
        buf_append_str(b, "\">");
        buf_append_str(b, readiness_state_label(item->state));
        buf_append_str(b, "</span></td><td data-label=\"Progress\">");
        buf_append_html(b, item->summary != NULL ? item->summary : "");
        buf_append_str(b, "</td><td data-label=\"Next step\">");
        if (item->next_action != NULL && item->link != NULL && item->link[0] != '\0') {
            buf_append_str(b, "<a href=\"");
            buf_append_html(b, item->link);
            buf_append_str(b, "\">");
            buf_append_html(b, item->next_action);
            buf_append_str(b, "</a>");
        } else if (item->next_action != NULL) {
            buf_append_html(b, item->next_action);
        } else {
            buf_append_str(b, "<span class=\"muted\">Nothing to do</span>");
        }
        buf_append_str(b, "</td></tr>\n");
    }
    buf_append_str(b, "</tbody></table></div>\n<h3>Weeks of U.S. clinical experience</h3>\n<dl class=\"facts usce-weeks\">"
                      "<dt>Hands-on, from confirmed hours</dt><dd>");
    buf_append_int(b, r->usce_hands_on_weeks);
    buf_append_str(b, "</dd><dt>Observership, from confirmed hours</dt><dd>");
    buf_append_int(b, r->usce_observership_weeks);
    buf_append_str(b, "</dd><dt>Research and telehealth, from confirmed hours</dt><dd>");
    buf_append_int(b, r->usce_other_weeks);
    buf_append_str(b, "</dd><dt>Still to come (booked or under way)</dt><dd>");
    buf_append_int(b, r->usce_planned_weeks);
    buf_append_str(b, "</dd><dt>Target</dt><dd>");
    buf_append_int(b, r->usce_target_weeks);
    buf_append_str(b, "</dd></dl>\n<p class=\"muted\">A week counts once your preceptor has confirmed a week's hours "
                      "of the rotation (its hours per week) in your hours log.</p></section>\n");
}

static const char *field_error(const struct targets_form *f, const char *name)
{
    if (f == NULL || f->err.field == NULL || strcmp(f->err.field, name) != 0)
        return NULL;
    return f->err.detail != NULL ? f->err.detail
                                 : "Enter a whole number from 0 to " LIMIT_TEXT(READINESS_TARGET_MAX) ".";
}

static void render_targets(struct http_request *req, struct buf *b, const char *csrf_token,
                           const struct targets_form *form)
{
    int64_t letters = 3, letters_us = 1, usce_weeks = 12;
    bool loaded = store_readiness_targets(req->db, &letters, &letters_us, &usce_weeks) == DB_OK;
    const char *v_letters = form != NULL ? form->letters : NULL;
    const char *v_letters_us = form != NULL ? form->letters_us : NULL;
    const char *v_usce = form != NULL ? form->usce_weeks : NULL;
    char n1[24], n2[24], n3[24];
    if (form == NULL && loaded) {
        snprintf(n1, sizeof(n1), "%lld", (long long)letters);
        snprintf(n2, sizeof(n2), "%lld", (long long)letters_us);
        snprintf(n3, sizeof(n3), "%lld", (long long)usce_weeks);
        v_letters = n1;
        v_letters_us = n2;
        v_usce = n3;
    }
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"targets-heading\"><h2 id=\"targets-heading\">"
                      "Targets for every student</h2>\n<p>Every student's readiness is measured against these. "
                      "Residency programs usually ask for 3 letters, with at least 1 from a U.S. physician.</p>\n");
    if (!loaded)
        view_alert(b, "The current targets could not be loaded. Reload the page in a moment.");
    if (form != NULL && form->err.field == NULL)
        view_alert(b, form->err.detail != NULL ? form->err.detail : error_title(form->err.code));
    else if (form != NULL)
        view_alert(b, "Please correct the field marked below.");
    view_form_begin(b, "/staff/readiness", csrf_token);
    view_input(b, "Letters of recommendation", "number", "letters", v_letters, "off", true,
               "A whole number from 0 to " LIMIT_TEXT(READINESS_TARGET_MAX) ".", field_error(form, "letters"));
    view_input(b, "Of which from U.S. physicians", "number", "letters_us", v_letters_us, "off", true,
               "Letters from a preceptor with a verified NPI. At most the number of letters.",
               field_error(form, "letters_us"));
    view_input(b, "Weeks of U.S. clinical experience", "number", "usce_weeks", v_usce, "off", true,
               "Weeks of hands-on experience, counted from hours the preceptor confirmed.", field_error(form, "usce_weeks"));
    view_form_end(b, "Save the targets");
    buf_append_str(b, "</section>\n");
}

static void render(struct http_request *req, int status, const char *notice, const struct targets_form *form)
{
    struct view_page page;
    struct store_user user = {0};
    if (!web_page_setup(req, &page, "Match readiness", &user))
        return;
    struct readiness r = {0};
    bool student = account_has_role(&user, ROLE_STUDENT);
    if (student && readiness_for(req->db, &req->arena, &user, &r) != 0) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, "Your readiness could not be worked out. Try again in a moment");
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_DETAIL);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<h1>Match readiness</h1>\n");
    if (notice != NULL)
        view_notice(&b, notice);
    if (student) {
        buf_append_str(&b, "<p class=\"lead\">What you have and what you still need for the residency Match. "
                           "Each item says what to do next.</p>\n");
        render_picture(req, &b, &r);
        render_items(&b, &r);
    } else if (!page.staff) {
        buf_append_str(&b, "<p>Match readiness is for students: it shows what they still need for the residency "
                           "Match. Your account is not a student's.</p>\n");
    }
    if (page.staff)
        render_targets(req, &b, page.csrf_token, form);
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, status, &b);
}

void web_page_readiness(struct http_request *req)
{
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return;
    const char *done = http_kv_get(query, "done");
    render(req, 200, done != NULL && strcmp(done, "targets") == 0 ? "The targets are saved." : NULL, NULL);
}

/* A whole number from 0 to READINESS_TARGET_MAX; false (with the error) otherwise. */
static bool parse_target(const char *name, const char *text, int64_t *out, struct error *err)
{
    if (text == NULL || text[0] == '\0') {
        error_set(err, ERR_VALIDATION_FAILED, name,
                  "Enter a whole number from 0 to " LIMIT_TEXT(READINESS_TARGET_MAX) ".");
        return false;
    }
    char *end = NULL;
    errno = 0;
    long long n = strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || n < 0 || n > READINESS_TARGET_MAX) {
        error_set(err, ERR_VALIDATION_FAILED, name,
                  "Enter a whole number from 0 to " LIMIT_TEXT(READINESS_TARGET_MAX) ".");
        return false;
    }
    *out = n;
    return true;
}

void web_page_readiness_targets(struct http_request *req)
{
    struct store_user user;
    if (!web_signed_in_user(req, &user))
        return;
    if (!account_has_role(&user, ROLE_STAFF)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "There is no such page");
        return;
    }
    struct targets_form form = {.letters = http_form(req, "letters"),
                                .letters_us = http_form(req, "letters_us"),
                                .usce_weeks = http_form(req, "usce_weeks")};
    int64_t letters = 0, letters_us = 0, usce_weeks = 0;
    if (!parse_target("letters", form.letters, &letters, &form.err) ||
        !parse_target("letters_us", form.letters_us, &letters_us, &form.err) ||
        !parse_target("usce_weeks", form.usce_weeks, &usce_weeks, &form.err)) {
        render(req, 400, NULL, &form);
        return;
    }
    if (letters_us > letters) {
        error_set(&form.err, ERR_VALIDATION_FAILED, "letters_us",
                  "Cannot be more than the number of letters.");
        render(req, 400, NULL, &form);
        return;
    }
    if (readiness_set_targets(req->db, &user, letters, letters_us, usce_weeks, &form.err) != 0) {
        if (form.err.code == ERR_NOT_FOUND) {
            http_reply_error(req, ERR_NOT_FOUND, NULL, "There is no such page");
            return;
        }
        if (form.err.code == ERR_VALIDATION_FAILED) {
            render(req, 400, NULL, &form);
            return;
        }
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    http_redirect(req, "/readiness?done=targets");
}
