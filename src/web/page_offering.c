/* page_offering.c — GET /offerings/{id}: everything a student needs to decide
 * before applying, on one page — host and site, the preceptor and whether
 * Rounds verified them, what the rotation is and what the first day looks
 * like, who may apply, the documents asked for, the full price with the
 * refund policy, and the dates with seats left. Unpublished offerings are a
 * 404 except to those catalog_may_view_offering allows. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/applications.h"
#include "domain/catalog.h"
#include "domain/catalog_index.h"
#include "domain/documents.h"
#include "domain/money.h"
#include "domain/reference.h"
#include "lib/limits.h"
#include "store/alerts.h"
#include "store/applications.h"
#include "store/waitlist.h"
#include "lib/clock.h"
#include "views/forms.h"
#include "views/money.h"
#include "web/web.h"

/* A vocabulary's label, or the stored text itself when the table does not know it. */
static const char *label_or_text(const char *label, const char *text)
{
    return label[0] != '\0' ? label : text != NULL ? text : "";
}

static const char *specialty_name(const char *slug)
{
    const struct reference_specialty *s = reference_specialty_find(slug);
    return s != NULL ? s->name : slug != NULL ? slug : "";
}

/* Text with blank-line or newline breaks as paragraphs. */
static void paragraphs(struct buf *b, const char *text)
{
    for (const char *p = text; p != NULL && *p != '\0';) {
        const char *nl = strchr(p, '\n');
        size_t n = nl != NULL ? (size_t)(nl - p) : strlen(p);
        while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == ' '))
            n--;
        if (n > 0) {
            buf_append_str(b, "<p>");
            buf_append_html_len(b, p, n);
            buf_append_str(b, "</p>");
        }
        p = nl != NULL ? nl + 1 : NULL;
    }
}

/* Calls item(b, piece) for each non-empty piece of a comma-separated list. */
static size_t each_csv(struct buf *b, const char *csv, void (*item)(struct buf *b, const char *piece, size_t n))
{
    size_t count = 0;
    for (const char *p = csv; p != NULL && *p != '\0';) {
        const char *comma = strchr(p, ',');
        size_t n = comma != NULL ? (size_t)(comma - p) : strlen(p);
        while (n > 0 && *p == ' ') {
            p++;
            n--;
        }
        while (n > 0 && p[n - 1] == ' ')
            n--;
        if (n > 0) {
            if (item != NULL)
                item(b, p, n);
            count++;
        }
        p = comma != NULL ? comma + 1 : NULL;
    }
    return count;
}

static void visa_item(struct buf *b, const char *piece, size_t n)
{
    char slug[64];
    if (n >= sizeof(slug))
        n = sizeof(slug) - 1;
    memcpy(slug, piece, n);
    slug[n] = '\0';
    buf_append_str(b, "<li>");
    buf_append_html(b, label_or_text(visa_kind_label(visa_kind_parse(slug)), slug));
    buf_append_str(b, "</li>");
}

static void fact(struct buf *b, const char *term, const char *text)
{
    buf_append_str(b, "<dt>");
    buf_append_html(b, term);
    buf_append_str(b, "</dt><dd>");
    buf_append_html(b, text);
    buf_append_str(b, "</dd>");
}

static void render_summary(struct buf *b, const struct store_offering *o)
{
    const struct reference_state *st = reference_state_find(o->site_state);
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"about-heading\"><h2 id=\"about-heading\">About this "
                      "rotation</h2>\n<dl class=\"facts\">");
    fact(b, "Specialty", specialty_name(o->specialty));
    fact(b, "Kind", label_or_text(offering_kind_label(offering_kind_parse(o->kind)), o->kind));
    fact(b, "Setting", label_or_text(offering_setting_label(offering_setting_parse(o->setting)), o->setting));
    buf_appendf(b, "<dt>Length</dt><dd>%" PRId64 " %s</dd>", o->weeks, o->weeks == 1 ? "week" : "weeks");
    buf_appendf(b, "<dt>Hours</dt><dd>%" PRId64 " hours a week</dd>", o->hours_per_week);
    buf_append_str(b, "<dt>Host</dt><dd>");
    buf_append_html(b, o->host_name);
    buf_append_str(b, "</dd><dt>Site</dt><dd><address>");
    buf_append_html(b, o->site_name);
    if (o->site_address != NULL && o->site_address[0] != '\0') {
        buf_append_str(b, "<br>");
        buf_append_html(b, o->site_address);
    }
    buf_append_str(b, "<br>");
    buf_append_html(b, o->site_city);
    buf_append_str(b, ", ");
    buf_append_html(b, st != NULL ? st->name : o->site_state);
    buf_append_str(b, " ");
    buf_append_html(b, o->site_zip);
    buf_append_str(b, "</address></dd>");
    if (o->site_time_zone != NULL && o->site_time_zone[0] != '\0')
        fact(b, "Time zone", reference_time_zone_label(o->site_time_zone));
    buf_append_str(b, "</dl>\n");
    if (o->description != NULL && o->description[0] != '\0') {
        buf_append_str(b, "<h3>What you will do</h3>");
        paragraphs(b, o->description);
    }
    buf_append_str(b, "<h3>What your first day looks like</h3>");
    if (o->first_day != NULL && o->first_day[0] != '\0')
        paragraphs(b, o->first_day);
    else
        buf_append_str(b, "<p>The host has not described the first day yet.</p>");
    buf_append_str(b, "</section>\n");
}

static void render_preceptor(struct buf *b, const struct store_offering *o)
{
    buf_append_str(b, "<section id=\"preceptor\" class=\"card\" aria-labelledby=\"preceptor-heading\">"
                      "<h2 id=\"preceptor-heading\">Your preceptor</h2>\n<dl class=\"facts\">");
    fact(b, "Name", o->preceptor_name);
    fact(b, "Specialty", specialty_name(o->preceptor_specialty));
    fact(b, "Board status",
         label_or_text(board_status_label(board_status_parse(o->preceptor_board_status)), o->preceptor_board_status));
    buf_append_str(b, "<dt>Verification</dt><dd>");
    if (o->preceptor_verified)
        buf_append_str(b, "<span class=\"badge verified\">Verified preceptor</span> NPI and medical licence checked "
                          "by Rounds staff.");
    else
        buf_append_str(b, "<span class=\"badge unverified\">Not yet verified</span> Rounds staff have not yet "
                          "checked this physician's NPI and licence.");
    buf_append_str(b, "</dd></dl>\n<p class=\"muted\">You see who will supervise you before you apply or pay.</p>"
                      "</section>\n");
}

/* One document the rotation requires, with its issue-date rule or its usual validity. */
static void rule_item(struct buf *b, const struct requirement_rule *r)
{
    const struct reference_document_kind *k = reference_document_kind_find(r->kind);
    buf_append_str(b, "<li>");
    buf_append_html(b, k != NULL ? k->name : r->kind);
    if (r->issued_within_days > 0) {
        buf_appendf(b, " <span class=\"muted\">(issued within %" PRId64 " days before the start)</span>",
                    r->issued_within_days);
    } else if (k != NULL && k->typical_validity != NULL && k->typical_validity[0] != '\0') {
        buf_append_str(b, " <span class=\"muted\">(usually ");
        buf_append_html(b, k->typical_validity);
        buf_append_str(b, ")</span>");
    }
    buf_append_str(b, "</li>");
}

/* wallet_link: the reader has a document wallet, or may sign in to one (not staff or a host). */
static void render_eligibility(struct buf *b, const struct store_offering *o, const struct requirement_rule *rules,
                               size_t rule_count, bool wallet_link)
{
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"eligibility-heading\"><h2 id=\"eligibility-heading\">"
                      "Who can apply</h2>\n<ul class=\"plain-list\">");
    if (o->students_allowed && o->graduates_allowed)
        buf_append_str(b, "<li>Medical students and graduates may apply.</li>");
    else if (o->students_allowed)
        buf_append_str(b, "<li>Only current medical students may apply, not graduates.</li>");
    else if (o->graduates_allowed)
        buf_append_str(b, "<li>Only graduates may apply, not current students.</li>");
    else
        buf_append_str(b, "<li>Not open to applications at the moment.</li>");
    buf_append_str(b, o->step1_required ? "<li>You must have passed USMLE Step 1.</li>"
                                        : "<li>USMLE Step 1 is not required.</li>");
    if (o->graduates_allowed) {
        if (o->max_years_since_graduation >= 0)
            buf_appendf(b, "<li>Graduates must have finished medical school within the last %" PRId64 " %s.</li>",
                        o->max_years_since_graduation, o->max_years_since_graduation == 1 ? "year" : "years");
        else
            buf_append_str(b, "<li>No limit on the years since graduation.</li>");
    }
    if (each_csv(b, o->visa_kinds, NULL) == 0) {
        buf_append_str(b, "<li>Any visa status is accepted.</li>");
    } else {
        buf_append_str(b, "<li>Visa status accepted:<ul>");
        each_csv(b, o->visa_kinds, visa_item);
        buf_append_str(b, "</ul></li>");
    }
    buf_append_str(b, o->english_proof_required
                          ? "<li>Proof of English proficiency is required (TOEFL, IELTS or OET Medicine).</li>"
                          : "<li>No English test result is required.</li>");
    buf_append_str(b, "</ul>\n");
    buf_append_str(b, "<h3>Documents you will need before the start</h3>");
    /* The host's rules for all its offerings and this rotation's own: what the checklist will ask. */
    if (rule_count == 0) {
        buf_append_str(b, "<p>The host has not listed any documents.</p>");
    } else {
        buf_append_str(b, "<ul class=\"requirements\">");
        for (size_t i = 0; i < rule_count; i++)
            rule_item(b, &rules[i]);
        buf_append_str(b, wallet_link ? "</ul><p class=\"muted\">Each must stay valid through the end of the rotation. "
                                        "You upload them once, to your <a href=\"/wallet\">document wallet</a>.</p>"
                                      : "</ul><p class=\"muted\">Each must stay valid through the end of the rotation. "
                                        "Students upload them once, to their document wallet.</p>");
    }
    buf_append_str(b, "</section>\n");
}

static void render_blocks(struct buf *b, const struct store_block *blocks, size_t count)
{
    char today[11];
    clock_today(today);
    buf_append_str(b, "<section id=\"dates\" class=\"card\" aria-labelledby=\"dates-heading\"><h2 id=\"dates-heading\">"
                      "Dates and seats</h2>\n");
    size_t upcoming = 0;
    for (size_t i = 0; i < count; i++)
        if (strcmp(blocks[i].start_date, today) >= 0)
            upcoming++;
    if (upcoming == 0) {
        buf_append_str(b, "<p>No upcoming dates. Check back later.</p></section>\n");
        return;
    }
    buf_append_str(b, "<div class=\"table-wrap\"><table class=\"blocks\"><caption>Upcoming start dates</caption>"
                      "<thead><tr><th scope=\"col\">Starts</th><th scope=\"col\">Ends</th><th scope=\"col\">Seats</th>"
                      "<th scope=\"col\">Seats left</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < count; i++) {
        const struct store_block *blk = &blocks[i];
        if (strcmp(blk->start_date, today) < 0)
            continue;
        int64_t left = blk->seats - blk->seats_taken - blk->seats_reserved;
        buf_append_str(b, left > 0 ? "<tr><td>" : "<tr class=\"full\"><td>");
        view_date(b, blk->start_date);
        buf_append_str(b, "</td><td>");
        view_date(b, blk->end_date);
        buf_appendf(b, "</td><td>%" PRId64 "</td><td>", blk->seats);
        if (left > 0)
            buf_appendf(b, "%" PRId64, left);
        else
            buf_append_str(b, "<strong>Full</strong>");
        buf_append_str(b, "</td></tr>\n");
    }
    buf_append_str(b, "</tbody></table></div></section>\n");
}

static void render_price(struct buf *b, const struct store_offering *o, const struct store_block *blocks,
                         size_t count)
{
    int64_t price = money_offering_price(o), deposit = money_offering_deposit(o);
    buf_append_str(b, "<section id=\"price\" class=\"card\" aria-labelledby=\"price-heading\"><h2 id=\"price-heading\">"
                      "Full price</h2>\n<dl class=\"price-list\"><div><dt>Tuition</dt><dd>");
    view_money(b, o->tuition_cents);
    buf_append_str(b, "</dd></div><div><dt>Platform fee</dt><dd>");
    if (o->application_fee_cents > 0)
        view_money_amount(b, o->application_fee_cents);
    else
        buf_append_str(b, "None");
    buf_append_str(b, "</dd></div><div class=\"total\"><dt>Total</dt><dd>");
    view_money_amount(b, price);
    buf_append_str(b, "</dd></div></dl>\n");
    if (deposit > 0 && deposit < price) {
        buf_append_str(b, "<p>Pay a deposit of <strong>");
        view_money_amount(b, deposit);
        buf_appendf(b, "</strong> to book your seat once you accept an offer, and the balance up to %lld days "
                       "before the start (or everything at once). The deposit is part of the price, not an extra "
                       "charge.</p>\n",
                    (long long)o->balance_due_days);
    } else if (price > 0) {
        buf_append_str(b, "<p>No deposit: you pay the full price to book your seat.</p>\n");
    }
    buf_append_str(b, "<p class=\"muted\">Prices are in U.S. dollars. Pay by card or by bank transfer.</p></section>\n");

    buf_append_str(b, "<section id=\"refund\" class=\"card\" aria-labelledby=\"refund-heading\"><h2 id=\"refund-heading\">"
                      "Refunds if you cancel</h2>\n");
    struct refund_policy policy;
    struct arena scratch;
    arena_heap_init(&scratch);
    if (refund_policy_decode(&scratch, o->refund_policy, &policy) != 0)
        refund_policy_default(&policy);
    char today[11];
    clock_today(today);
    size_t shown = 0;
    for (size_t i = 0; i < count && shown < 3 && price > 0; i++) {
        if (strcmp(blocks[i].start_date, today) <= 0)
            continue;
        struct buf caption;
        buf_init(&caption, &scratch, 160);
        buf_append_str(&caption, "Having paid the full price, for the block starting ");
        view_date(&caption, blocks[i].start_date);
        web_refund_table(b, &policy, clock_days_from_date(blocks[i].start_date), price, o->application_fee_cents,
                         buf_ok(&caption) ? caption.data : "For this block");
        shown++;
    }
    arena_heap_free(&scratch);
    if (price == 0)
        buf_append_str(b, "<p>This rotation is free: there is nothing to refund.</p>\n");
    else if (shown == 0)
        buf_append_str(b, "<p>There is no upcoming block to show the dates for.</p>\n");
    web_refund_rules(b);
    buf_append_str(b, "</section>\n");

    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"lor-heading\"><h2 id=\"lor-heading\">Letter of "
                      "recommendation</h2>\n");
    buf_append_str(b, o->lor_customary
                          ? "<p>This preceptor usually writes a letter of recommendation for students who complete "
                            "the rotation well.</p>"
                          : "<p>A letter of recommendation is not customary for this rotation; ask the preceptor "
                            "before you book if you need one.</p>");
    buf_append_str(b, "</section>\n");
}

/* The student's active applications to this offering, as links. */
static void render_my_applications(struct http_request *req, struct buf *b, const struct store_user *user,
                                   const struct store_offering *o)
{
    struct store_application_filter f = {.student_id = user->id, .offering_id = o->id, .limit = 10};
    struct store_application *mine;
    size_t count = 0;
    if (store_applications_list(req->db, &req->arena, &f, &mine, &count) != DB_OK || count == 0)
        return;
    buf_append_str(b, "<ul class=\"plain-list my-applications\">");
    for (size_t i = 0; i < count; i++) {
        buf_append_str(b, "<li>You applied for ");
        view_date(b, mine[i].block_start);
        buf_append_str(b, " to ");
        view_date(b, mine[i].block_end);
        buf_append_str(b, ": ");
        web_application_status(b, application_status_of(&mine[i]));
        buf_append_str(b, " <a href=\"/applications/");
        buf_append_url(b, mine[i].id);
        buf_append_str(b, "\">View your application</a></li>");
    }
    buf_append_str(b, "</ul>\n");
}

static bool profile_meets(const struct store_user *user, const struct store_offering *o)
{
    char today[11];
    clock_today(today);
    int year = (today[0] - '0') * 1000 + (today[1] - '0') * 100 + (today[2] - '0') * 10 + (today[3] - '0');
    struct catalog_eligibility rules = {
        .students_allowed = o->students_allowed,
        .graduates_allowed = o->graduates_allowed,
        .step1_required = o->step1_required,
        .english_proof_required = o->english_proof_required,
        .max_years_since_graduation = o->max_years_since_graduation,
        .visa_kinds = o->visa_kinds,
    };
    return catalog_eligible(&rules, &user->profile, year);
}

/* The student's current wallet documents as checkboxes: the host sees those
 * ticked while the application is active (nothing when the wallet is empty). */
/* True when the form sent (a refused Apply) ticked document id. */
static bool document_ticked(const struct http_request *req, const char *id)
{
    for (size_t i = 0; i < req->form.count; i++)
        if (strcmp(req->form.items[i].name, "document_ids") == 0 && strcmp(req->form.items[i].value, id) == 0)
            return true;
    return false;
}

/* The wallet's documents to share, ticked again as sent when the form came back (sent). */
static void render_wallet_choices(struct http_request *req, struct buf *b, const struct store_user *user, bool sent)
{
    struct store_document *docs = NULL;
    size_t count = 0;
    if (store_documents_current(req->db, &req->arena, user->id, &docs, &count) != DB_OK || count == 0) {
        buf_append_str(b, "<p class=\"muted\">Your <a href=\"/wallet\">document wallet</a> is empty: you can "
                          "attach documents later from the application's onboarding checklist.</p>\n");
        return;
    }
    buf_append_str(b, "<fieldset class=\"choices\"><legend>Share documents from your wallet (optional)</legend>"
                      "<p class=\"hint\">The host sees the ones you tick while your application is active.</p>\n");
    for (size_t i = 0; i < count; i++) {
        buf_append_str(b, "<label><input type=\"checkbox\" name=\"document_ids\" value=\"");
        buf_append_html(b, docs[i].id);
        buf_append_str(b, sent && document_ticked(req, docs[i].id) ? "\" checked> " : "\"> ");
        buf_append_html(b, document_kind_name(docs[i].kind));
        buf_append_str(b, ": ");
        buf_append_html(b, docs[i].file_name);
        buf_append_str(b, "</label>\n");
    }
    buf_append_str(b, "</fieldset>\n");
}

/* The "Apply" area: a form for signed-in students (a start date among the
 * open blocks and a statement), a way in for everyone else. */
/* "Update your profile": the account page, which comes back here (to the
 * apply section) once the profile is saved. */
static void profile_link(struct buf *b, const char *offering_id, const char *text)
{
    buf_append_str(b, "<a href=\"/account?next=%2Fofferings%2F");
    buf_append_url(b, offering_id);
    buf_append_str(b, "%23apply#profile\">");
    buf_append_html(b, text);
    buf_append_str(b, "</a>");
}

static void render_apply(struct http_request *req, struct buf *b, const struct view_page *page,
                         const struct store_user *user, const struct store_offering *o,
                         const struct store_block *blocks, size_t count, const struct web_apply_form *apply)
{
    buf_append_str(b, "<section id=\"apply\" class=\"card apply\" aria-labelledby=\"apply-heading\">"
                      "<h2 id=\"apply-heading\">Apply for this rotation</h2>\n");
    if (page->user_name == NULL) {
        buf_append_str(b, "<p><a class=\"button\" href=\"/login?next=%2Fofferings%2F");
        buf_append_url(b, o->id);
        buf_append_str(b, "%23apply\">Log in to apply</a></p><p>New to Rounds? <a href=\"/register?next=%2Fofferings%2F");
        buf_append_url(b, o->id);
        buf_append_str(b, "%23apply\">Create a student account</a>.</p></section>\n");
        return;
    }
    if (!account_has_role(user, ROLE_STUDENT)) {
        buf_append_str(b, "<p>Only student accounts apply for rotations, and the account you are signed in with "
                          "is not a student account.</p>");
        if (catalog_may_manage(user, o->organization_id) ||
            (o->preceptor_user_id != NULL && strcmp(o->preceptor_user_id, user->id) == 0)) {
            buf_append_str(b, "<p><a href=\"/applications?offering=");
            buf_append_url(b, o->id);
            buf_append_str(b, "\">See the applications to this rotation</a></p>");
        }
        buf_append_str(b, "</section>\n");
        return;
    }
    render_my_applications(req, b, user, o);
    if (user->email_confirmed_at == 0) {
        web_confirm_notice(b, page->csrf_token, user);
        buf_append_str(b, "</section>\n");
        return;
    }
    bool refused = apply != NULL && (apply->error != NULL || apply->fields.count > 0);
    if (refused && apply->error != NULL) {
        /* The summary at the top of the page says it too (and the page opens there). */
        buf_append_str(b, "<div class=\"notice error\" id=\"apply-error\"><p>");
        buf_append_html(b, apply->error);
        buf_append_str(b, "</p>");
        if (apply->profile_link) {
            buf_append_str(b, "<p>");
            profile_link(b, o->id, "Update your profile");
            buf_append_str(b, "</p>");
        }
        buf_append_str(b, "</div>\n");
    } else if (!refused && !profile_meets(user, o)) {
        /* No form: an application would be refused for the same reason. */
        buf_append_str(b, "<p class=\"notice error\">Your profile does not meet this rotation's rules (see "
                          "<a href=\"#eligibility-heading\">Who can apply</a>). ");
        profile_link(b, o->id, "Update your profile");
        buf_append_str(b, ": saving it brings you back here to apply.</p>\n</section>\n");
        return;
    }
    char today[11];
    clock_today(today);
    size_t open = 0;
    const char *only = NULL;
    for (size_t i = 0; i < count; i++)
        if (strcmp(blocks[i].start_date, today) > 0 && blocks[i].seats_taken + blocks[i].seats_reserved < blocks[i].seats) {
            open++;
            only = blocks[i].id;
        }
    if (open == 0) {
        buf_append_str(b, "<p>No start date is open for applications at the moment.</p></section>\n");
        return;
    }
    const char *chosen = apply != NULL && apply->block_id != NULL ? apply->block_id : open == 1 ? only : NULL;
    const char *block_error = apply != NULL ? web_form_error_for(&apply->fields, "block_id") : NULL;
    char action[160];
    snprintf(action, sizeof(action), "/offerings/%s/apply", o->id);
    view_form_begin(b, action, page->csrf_token);
    buf_append_str(b, "<fieldset class=\"field choices\" id=\"f-block_id\"");
    if (block_error != NULL)
        buf_append_str(b, " aria-describedby=\"e-block_id\" aria-invalid=\"true\"");
    buf_append_str(b, "><legend>Start date</legend>\n");
    if (block_error != NULL) {
        buf_append_str(b, "<span class=\"field-error\" id=\"e-block_id\">");
        buf_append_html(b, block_error);
        buf_append_str(b, "</span>\n");
    }
    for (size_t i = 0; i < count; i++) {
        const struct store_block *blk = &blocks[i];
        if (strcmp(blk->start_date, today) <= 0 || blk->seats_taken + blk->seats_reserved >= blk->seats)
            continue;
        int64_t left = blk->seats - blk->seats_taken - blk->seats_reserved;
        buf_append_str(b, "<label><input type=\"radio\" name=\"block_id\" value=\"");
        buf_append_html(b, blk->id);
        buf_append_char(b, '"');
        if (chosen != NULL && strcmp(chosen, blk->id) == 0)
            buf_append_str(b, " checked");
        buf_append_str(b, " required> ");
        view_date(b, blk->start_date);
        buf_append_str(b, " to ");
        view_date(b, blk->end_date);
        buf_appendf(b, " <span class=\"muted\">(%" PRId64 " %s left)</span></label>\n", left,
                    left == 1 ? "seat" : "seats");
    }
    buf_append_str(b, "</fieldset>\n");
    view_textarea(b, "Your statement (optional)", "statement", apply != NULL ? apply->statement : NULL, 6, 5000,
                  "Why this rotation, and what you hope to learn. The host reads it with your profile.",
                  apply != NULL ? web_form_error_for(&apply->fields, "statement") : NULL);
    render_wallet_choices(req, b, user, apply != NULL);
    view_form_end(b, "Apply");
    /* One truth about the fee: the same amount as the price list. */
    if (o->application_fee_cents > 0) {
        buf_append_str(b, "<p class=\"muted\">Applying costs the application fee of ");
        view_money_amount(b, o->application_fee_cents);
        buf_append_str(b, " (see <a href=\"#price\">Full price</a>).");
    } else {
        buf_append_str(b, "<p class=\"muted\">Applying is free.");
    }
    buf_append_str(b, " If the host offers you a seat, you accept it to hold the seat and then pay to book it.</p>"
                      "</section>\n");
}

const char *const web_offering_params[] = {"waitlist", "back", NULL};

/* The star of a signed-in student: save the rotation, or take it off the saved ones. */
static void render_star(struct http_request *req, struct buf *b, const struct view_page *page,
                        const struct store_user *user, const struct store_offering *o)
{
    bool starred = false;
    if (page->user_name == NULL || !account_has_role(user, ROLE_STUDENT) ||
        store_favourite_has(req->db, user->id, o->id, &starred) != DB_OK)
        return;
    char action[160];
    snprintf(action, sizeof(action), "/offerings/%s/favourite", o->id);
    buf_append_str(b, "<div class=\"star\">");
    if (starred)
        buf_append_str(b, "<span class=\"badge verified\">\xe2\x98\x85 Saved</span> ");
    view_button_form(b, page->csrf_token,
                     &(struct view_button){.action = action, .label = starred ? "Remove from saved" : "Save rotation",
                                           .css = "secondary", .field = starred ? NULL : "on", .value = "1"});
    buf_append_str(b, " <a href=\"/saved\">Your saved rotations</a></div>\n");
}

/* One upcoming block on the waitlist: its date, then a way in (logging in
 * comes back here; none while the profile does not meet the rules, which
 * would refuse it), the student's place, or their offer. */
static void render_waitlist_line(struct buf *b, const struct view_page *page, bool student, bool eligible,
                                 bool full, const struct store_block *blk, const struct store_waitlist_entry *place)
{
    char action[160];
    buf_append_str(b, "<li>");
    view_date(b, blk->start_date);
    buf_append_str(b, full ? ": full. " : ": ");
    if (!student && page->user_name == NULL) {
        buf_append_str(b, "<a href=\"/login?next=%2Fofferings%2F");
        buf_append_url(b, blk->offering_id);
        buf_append_str(b, "%23waitlist\">Log in</a> to join its waitlist.");
    } else if (!student) {
        buf_append_str(b, "Students may join its waitlist.");
    } else if (place != NULL && waitlist_status_parse(place->status) == WAITLIST_OFFERED &&
               place->application_id != NULL) {
        buf_append_str(b, "A seat was offered to you from its waitlist: <a href=\"/applications/");
        buf_append_url(b, place->application_id);
        buf_append_str(b, "\">see the offer</a>.");
    } else if (place != NULL) {
        buf_appendf(b, "You are number %lld on its waitlist (%lld ahead of you). ", (long long)place->ahead + 1,
                    (long long)place->ahead);
        snprintf(action, sizeof(action), "/blocks/%s/waitlist/leave", blk->id);
        view_button_form(b, page->csrf_token,
                         &(struct view_button){.action = action, .label = "Leave the waitlist", .css = "secondary"});
    } else if (!eligible) {
        buf_append_str(b, "Your profile does not meet this rotation's rules (see <a href=\"#eligibility-heading\">"
                          "Who can apply</a>), so you cannot join its waitlist.");
    } else {
        snprintf(action, sizeof(action), "/blocks/%s/waitlist", blk->id);
        view_button_form(b, page->csrf_token, &(struct view_button){.action = action, .label = "Join the waitlist"});
    }
    buf_append_str(b, "</li>\n");
}

/* Upcoming blocks that are full, or that the signed-in student waits on or
 * was offered from: join, your place, your offer, or log in. */
static void render_waitlist(struct http_request *req, struct buf *b, const struct view_page *page,
                            const struct store_user *user, const struct store_offering *o,
                            const struct store_block *blocks, size_t count)
{
    char today[11];
    clock_today(today);
    bool student = page->user_name != NULL && account_has_role(user, ROLE_STUDENT);
    bool eligible = student && profile_meets(user, o);
    bool any = false;
    for (size_t i = 0; i < count; i++) {
        const struct store_block *blk = &blocks[i];
        if (strcmp(blk->start_date, today) <= 0)
            continue;
        bool full = blk->seats_taken + blk->seats_reserved >= blk->seats;
        struct store_waitlist_entry e;
        bool placed = student && store_waitlist_active(req->db, &req->arena, blk->id, user->id, &e) == DB_ROW;
        if (!full && !placed)
            continue;
        if (!any)
            buf_append_str(b, "<section id=\"waitlist\" class=\"card\" aria-labelledby=\"waitlist-heading\">"
                              "<h2 id=\"waitlist-heading\">Waitlist</h2>\n<p>When a seat of a full start date frees, "
                              "the first student on its waitlist who may take it gets an offer at once.</p>"
                              "<ul class=\"plain-list\">");
        any = true;
        render_waitlist_line(b, page, student, eligible, full, blk, placed ? &e : NULL);
    }
    if (any)
        buf_append_str(b, "</ul></section>\n");
}

void web_page_offering(struct http_request *req)
{
    const char *id = http_param(req, "id");
    const char *back = http_kv_get(req->query_params, "back");
    if (back != NULL && strlen(back) > SEARCH_BACK_MAX_BYTES) {
        http_reply_error(req, ERR_INVALID_PARAMETER, "back",
                         "is the search to go back to: at most " LIMIT_TEXT(SEARCH_BACK_MAX_BYTES) " bytes");
        return;
    }
    /* Anonymous visitors all see the same page (when it does not go back to
     * a search of their own): kept until the offering changes. */
    if ((!req->auth.authenticated && back == NULL && http_cache_reply(req, HTTP_CACHE_OFFERING_PAGE, id)) ||
        http_needs_db(req))
        return;
    web_offering_render(req, 200, id, NULL);
}

/* A seat offered to someone from a block's waitlist is free for nobody else:
 * the page counts it as taken (seats left, the apply form, the waitlist). */
static int count_promised_seats(struct http_request *req, struct store_block *blocks, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        int64_t promised = 0;
        if (blocks[i].seats_taken + blocks[i].seats_reserved >= blocks[i].seats)
            continue;
        int rc = store_waitlist_open_offers(req->db, blocks[i].id, NULL, &promised);
        if (rc != DB_OK)
            return rc;
        blocks[i].seats_taken += promised;
    }
    return DB_OK;
}

void web_offering_render(struct http_request *req, int status, const char *id, const struct web_apply_form *apply)
{
    uint64_t generation = http_cache_generation();
    struct store_offering o;
    int rc = store_offering_get(req->db, &req->arena, id, &o);
    if (rc != DB_ROW && rc != DB_DONE) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    const char *viewer = req->auth.authenticated ? req->auth.user_id : NULL;
    if (rc == DB_DONE || !catalog_may_view_offering(req->db, &req->arena, viewer, &o)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "This rotation does not exist or is not published");
        return;
    }
    struct store_block *blocks;
    size_t count;
    if (store_blocks_of_offering(req->db, &req->arena, o.id, &blocks, &count) != DB_OK ||
        count_promised_seats(req, blocks, count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct requirement_rule *rules;
    size_t rule_count;
    if (compliance_rules(req->db, &req->arena, o.organization_id, o.id, &rules, &rule_count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct view_page page;
    struct store_user user = {0};
    if (!web_page_setup(req, &page, o.title, &user))
        return;
    const struct reference_state *st = reference_state_find(o.site_state);

    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_PAGE);
    view_page_begin(&b, &page);
    /* Back to the search this page was opened from, with its filters and page. */
    const char *back = http_kv_get(req->query_params, "back");
    buf_append_str(&b, "<p class=\"back\"><a href=\"/search");
    if (back != NULL && back[0] != '\0' && strlen(back) <= SEARCH_BACK_MAX_BYTES) {
        buf_append_char(&b, '?');
        buf_append_html(&b, back);
    }
    buf_append_str(&b, "\">Back to the search</a></p>\n");
    if (apply != NULL && apply->fields.count > 0) {
        web_form_error_summary(&b, &req->arena, "You have not applied. Everything you typed is still in the form.",
                               &apply->fields);
    } else if (apply != NULL && apply->error != NULL) {
        struct view_field_error e = {"apply-heading", apply->error};
        view_error_summary(&b, "You have not applied.", &e, 1);
        if (apply->profile_link) {
            buf_append_str(&b, "<p>");
            profile_link(&b, o.id, "Update your profile");
            buf_append_str(&b, "</p>\n");
        }
    }
    if (o.status != NULL && offering_status_parse(o.status) != OFFERING_PUBLISHED) {
        buf_append_str(&b, "<p class=\"notice error\" role=\"status\">This rotation is not published (");
        buf_append_html(&b, o.status);
        buf_append_str(&b, "): students cannot see it.</p>\n");
    }
    buf_append_str(&b, "<header class=\"offering-head\"><h1>");
    buf_append_html(&b, o.title);
    buf_append_str(&b, "</h1>\n<p class=\"where\"><span class=\"host\">");
    buf_append_html(&b, o.host_name);
    buf_append_str(&b, "</span> · ");
    buf_append_html(&b, o.site_city);
    buf_append_str(&b, ", ");
    buf_append_html(&b, st != NULL ? st->name : o.site_state);
    buf_append_str(&b, "</p>\n<p class=\"tags\"><span class=\"tag\">");
    buf_append_html(&b, label_or_text(offering_kind_label(offering_kind_parse(o.kind)), o.kind));
    buf_append_str(&b, "</span> <span class=\"tag\">");
    buf_append_html(&b, specialty_name(o.specialty));
    buf_appendf(&b, "</span> <span class=\"tag\">%" PRId64 " %s</span> ", o.weeks, o.weeks == 1 ? "week" : "weeks");
    buf_append_str(&b, o.preceptor_verified ? "<span class=\"badge verified\">Verified preceptor</span>"
                                            : "<span class=\"badge unverified\">Preceptor not yet verified</span>");
    buf_append_str(&b, "</p>\n<p class=\"headline-price\"><span class=\"price\">");
    view_money(&b, o.tuition_cents);
    buf_append_str(&b, "</span> tuition · <a href=\"#price\">full price</a> · <a href=\"#refund\">refund policy</a>"
                       " · <a href=\"#dates\">dates</a> · <a href=\"#apply\">apply</a></p>\n");
    render_star(req, &b, &page, &user, &o);
    const char *waitlist = web_waitlist_outcome_text(http_kv_get(req->query_params, "waitlist"));
    if (waitlist != NULL && page.user_name != NULL)
        view_notice(&b, waitlist);
    buf_append_str(&b, "</header>\n");

    buf_append_str(&b, "<div class=\"offering-layout\">\n<div class=\"offering-main\">\n");
    render_summary(&b, &o);
    render_preceptor(&b, &o);
    render_blocks(&b, blocks, count);
    render_waitlist(req, &b, &page, &user, &o, blocks, count);
    render_apply(req, &b, &page, &user, &o, blocks, count, apply);
    render_eligibility(&b, &o, rules, rule_count, page.user_name == NULL || account_has_role(&user, ROLE_STUDENT));
    web_reviews_section(req, &b, page.user_name != NULL ? &user : NULL, o.id, o.organization_id);
    buf_append_str(&b, "</div>\n<div class=\"offering-side\">\n");
    render_price(&b, &o, blocks, count);
    buf_append_str(&b, "</div>\n</div>\n");
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    bool published = offering_status_parse(o.status) == OFFERING_PUBLISHED;
    if (!req->auth.authenticated && status == 200 && apply == NULL && published && back == NULL)
        http_cache_reply_and_keep(req, HTTP_CACHE_OFFERING_PAGE, o.id, generation, "text/html; charset=utf-8", &b);
    else
        http_reply_html(req, status, &b);
}
