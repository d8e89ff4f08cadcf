/* page_application.c — GET /applications/{id}: one application (student,
 * rotation, host, dates, statement, status in words, deadlines), its history
 * (who, when, what, note), and the actions the viewer may take now as POST
 * buttons with an optional note. POST /applications/{id}/{action} moves it
 * through application_transition and comes back with a notice; a refusal
 * (409 invalid_transition, block_full, hold_expired) is shown on the page
 * with its status code. Someone who may not see the application gets a 404. */
#include <stdio.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/applications.h"
#include "domain/catalog_index.h"
#include "domain/money.h"
#include "domain/documents.h"
#include "domain/messages.h"
#include "lib/clock.h"
#include "lib/limits.h"
#include "lib/utf8.h"
#include "views/forms.h"
#include "views/money.h"
#include "store/evaluations.h"
#include "web/web.h"

const char *const web_application_params[] = {"done", NULL};

/* The buttons a side may see in a status. The state machine in
 * domain/applications.c decides: a button it refuses answers 409 with the
 * reason, so this list only chooses what to offer. */
/* The label of each action's button; which buttons show is the state
 * machine's decision (application_may). */
struct button {
    const char *action, *label;
    bool student; /* the student's button, else the host side's (host, preceptor, staff) */
    bool danger;
};

static const struct button buttons[] = {
    {"accept", "Accept the offer", true, false},
    {"withdraw", "Withdraw my application", true, true},
    {"cancel", "Cancel my booking", true, true},
    {"review", "Start the review", false, false},
    {"offer", "Offer a seat", false, false},
    {"decline", "Decline", false, true},
    {"book", "Record the payment and book", false, false},
    {"clear", "Clear to start", false, false},
    {"start", "Start the rotation", false, false},
    {"complete", "Confirm completion", false, false},
    {"cancel", "Cancel the booking", false, true}, /* "Release the held seat" before the booking */
    {"no_show", "Record a no-show", false, true},
};

/* What happened, for the notice after a move (?done=action). */
static const char *done_message(const char *done)
{
    static const char *const messages[][2] = {
        {"submit", "Your application has been sent to the host. You will be told here when they decide."},
        {"withdraw", "The application is withdrawn."},
        {"review", "The application is now under review."},
        {"offer", "A seat has been offered. The student has been told and must accept before the offer expires."},
        {"decline", "The application is declined. The student has been told."},
        {"accept", "You accepted the offer: your seat is held for you."},
        {"book", "The seat is booked. The student and the host have been told."},
        {"clear", "The student is cleared to start."},
        {"start", "The rotation has started."},
        {"complete", "The rotation is completed."},
        {"cancel", "The booking is cancelled and the seat is free again."},
        {"no_show", "The no-show is recorded and the seat is free again."},
        {"paid", "Payment received. Thank you."},
        {"refund", "The goodwill refund is recorded and on its way to the student."},
        {"certificate", "The certificate of completion is issued: download it or share its public page."},
    };
    for (size_t i = 0; done != NULL && i < sizeof(messages) / sizeof(messages[0]); i++)
        if (strcmp(messages[i][0], done) == 0)
            return messages[i][1];
    return NULL;
}

/* The history's "what", in words. */
static const char *event_words(const char *action)
{
    static const char *const words[][2] = {
        {"submit", "Applied"},          {"withdraw", "Withdrew the application"},
        {"review", "Started the review"}, {"offer", "Offered a seat"},
        {"decline", "Declined"},        {"accept", "Accepted the offer"},
        {"book", "Booked the seat"},    {"clear", "Cleared to start"},
        {"start", "Started the rotation"}, {"complete", "Confirmed completion"},
        {"cancel", "Cancelled"},        {"no_show", "Recorded a no-show"},
        {"expire", "Expired"},
    };
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strcmp(words[i][0], action) == 0)
            return words[i][1];
    return action;
}

/* Who took a move, in words ("Rounds staff"); an unknown actor as recorded. */
static const char *actor_words(const char *actor)
{
    enum move_actor known = move_actor_parse(actor);
    return known != MOVE_ACTOR_UNKNOWN ? move_actor_label(known) : actor != NULL ? actor : "";
}

/* Text with newlines as paragraphs. */
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

static void fact_begin(struct buf *b, const char *term)
{
    buf_append_str(b, "<dt>");
    buf_append_html(b, term);
    buf_append_str(b, "</dt><dd>");
}

static void render_facts(const struct http_request *req, struct buf *b, const struct store_application *a, bool student)
{
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"details-heading\"><h2 id=\"details-heading\">"
                      "Details</h2>\n<dl class=\"facts\">");
    enum application_status status = application_status_of(a);
    if (status == APPLICATION_OFFERED && a->offer_expires_at > 0) {
        fact_begin(b, "Offer expires");
        web_write_instant(req, b, a->offer_expires_at);
        buf_append_str(b, "</dd>");
    }
    if (status == APPLICATION_HELD && a->hold_expires_at > 0) {
        fact_begin(b, "Hold expires");
        web_write_instant(req, b, a->hold_expires_at);
        buf_append_str(b, "</dd>");
    }
    if (!student) {
        fact_begin(b, "Student");
        buf_append_html(b, a->student_name);
        buf_append_str(b, " <span class=\"muted\">");
        buf_append_html(b, a->student_email);
        buf_append_str(b, "</span></dd>");
    }
    fact_begin(b, "Rotation");
    buf_append_str(b, "<a href=\"/offerings/");
    buf_append_url(b, a->offering_id);
    buf_append_str(b, "\">");
    buf_append_html(b, a->offering_title);
    buf_append_str(b, "</a></dd>");
    fact_begin(b, "Host");
    buf_append_html(b, a->host_name);
    buf_append_str(b, "</dd>");
    fact_begin(b, "Preceptor");
    buf_append_html(b, a->preceptor_name);
    buf_append_str(b, "</dd>");
    if (a->coach_id != NULL) {
        fact_begin(b, student ? "Your coach" : "Coach");
        buf_append_html(b, a->coach_name);
        buf_append_str(b, "</dd>");
    }
    fact_begin(b, "Dates");
    view_date(b, a->block_start);
    buf_append_str(b, " to ");
    view_date(b, a->block_end);
    buf_append_str(b, "</dd>");
    fact_begin(b, "Applied");
    web_write_instant(req, b, a->created_at);
    buf_append_str(b, "</dd>");
    if (a->updated_at > a->created_at) {
        fact_begin(b, "Last change");
        web_write_instant(req, b, a->updated_at);
        buf_append_str(b, "</dd>");
    }
    buf_append_str(b, "</dl>\n");
    if (application_status_takes_seat(status) && status != APPLICATION_HELD) {
        buf_append_str(b, "<p><a class=\"button\" href=\"/rotations/");
        buf_append_url(b, a->id);
        buf_append_str(b, student ? "\">Your rotation: dates, contacts, hours</a></p>\n"
                                  : "\">The rotation: dates, contacts, hours</a></p>\n");
    }
    buf_append_str(b, "<h3>Statement</h3>");
    if (a->statement != NULL && a->statement[0] != '\0')
        paragraphs(b, a->statement);
    else
        buf_append_str(b, "<p class=\"muted\">No statement.</p>");
    buf_append_str(b, "</section>\n");
}

/* Why staff cancel, for the refund: the host's cancellation, or a rule no host can change. */
static const char *const cancel_reasons[] = {"host", "cannot_happen", "visa_refused", NULL};
static const char *const cancel_reason_labels[] = {"The host cancels (everything back)",
                                                   "The rotation cannot happen (everything back)",
                                                   "Visa refused, with proof (everything back but the fee)", NULL};

/* The student's way to cancel: a page that shows the refund before confirming. */
static void write_cancel_link(struct buf *b, const struct store_application *a)
{
    buf_append_str(b, "<p><a class=\"button danger\" href=\"/applications/");
    buf_append_url(b, a->id);
    buf_append_str(b, "/cancel\">Cancel my booking…</a></p>\n");
}

/* The step the calendar holds back (start before the first day, completion
 * before the last has passed), or NULL. */
static const char *held_by_dates(const struct store_application *a)
{
    char today[11];
    clock_today(today);
    if (application_status_of(a) == APPLICATION_CLEARED &&
        application_date_rule("start", a->block_start, a->block_end, today) != ERR_NONE)
        return "start";
    if (application_status_of(a) == APPLICATION_IN_PROGRESS &&
        application_date_rule("complete", a->block_start, a->block_end, today) != ERR_NONE)
        return "complete";
    return NULL;
}

/* When the calendar holds a step back: the date it becomes possible, and
 * for staff a form to override it with a reason. */
static void render_override(struct buf *b, const struct store_application *a, const struct store_user *user,
                            bool host, const char *csrf_token)
{
    const char *held = held_by_dates(a);
    if (held == NULL || !host)
        return;
    bool start = strcmp(held, "start") == 0;
    buf_append_str(b, "<p class=\"date-rule\">");
    if (start) {
        buf_append_str(b, "The rotation starts on ");
        view_date(b, a->block_start);
        buf_append_str(b, ": \"Start the rotation\" and \"Record a no-show\" are offered from that day.");
    } else {
        buf_append_str(b, "The rotation ends on ");
        view_date(b, a->block_end);
        buf_append_str(b, ": \"Confirm completion\" is offered from the day after.");
    }
    buf_append_str(b, "</p>\n");
    if (!account_has_role(user, ROLE_STAFF))
        return;
    buf_append_str(b, "<form class=\"stack override\" method=\"post\" action=\"/applications/");
    buf_append_url(b, a->id);
    buf_append_char(b, '/');
    buf_append_str(b, held);
    buf_append_str(b, "\"><input type=\"hidden\" name=\"csrf_token\" value=\"");
    buf_append_html(b, csrf_token);
    buf_append_str(b, "\">");
    view_textarea(b, "Reason for overriding the dates (staff)", "override_reason", NULL, 2, NOTE_MAX_CHARS,
                  "Required. Kept in the history and the audit trail.", NULL);
    buf_append_str(b, start ? "<button type=\"submit\" class=\"danger\">Start before the first day</button>"
                            : "<button type=\"submit\" class=\"danger\">Confirm completion before the last day "
                              "has passed</button>");
    buf_append_str(b, "</form>\n");
}

/* One line of the profile: the value's words, or "Not given". */
static void profile_fact(struct buf *b, const char *term, const char *words)
{
    fact_begin(b, term);
    if (words != NULL && words[0] != '\0')
        buf_append_html(b, words);
    else
        buf_append_str(b, "<span class=\"muted\">Not given</span>");
    buf_append_str(b, "</dd>");
}

/* What the host reads with the statement: the student's profile as it is now. */
static void render_profile(struct http_request *req, struct buf *b, const struct store_application *a)
{
    struct store_user s;
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"profile-heading\"><h2 id=\"profile-heading\">"
                      "The student's profile</h2>\n");
    if (store_user_by_id(req->db, &req->arena, a->student_id, &s) != DB_ROW) {
        buf_append_str(b, "<p>The profile could not be loaded. Reload the page in a moment.</p></section>\n");
        return;
    }
    const struct store_profile *p = &s.profile;
    char number[32];
    buf_append_str(b, "<dl class=\"facts\">");
    profile_fact(b, "Medical school", p->school);
    profile_fact(b, "Country", p->country);
    profile_fact(b, "Status", student_status_label(student_status_parse(p->status)));
    number[0] = '\0';
    if (p->graduation_year > 0)
        snprintf(number, sizeof(number), "%lld", (long long)p->graduation_year);
    profile_fact(b, "Graduation year", number);
    profile_fact(b, "USMLE Step 1", step1_result_label(step1_result_parse(p->step1)));
    number[0] = '\0';
    if (p->step2ck_score >= 0)
        snprintf(number, sizeof(number), "%lld", (long long)p->step2ck_score);
    profile_fact(b, "USMLE Step 2 CK score", number);
    profile_fact(b, "ECFMG certification", ecfmg_status_label(ecfmg_status_parse(p->ecfmg_status)));
    profile_fact(b, "Visa", visa_kind_label(visa_kind_parse(p->visa_kind)));
    profile_fact(b, "English proficiency", english_proof_label(english_proof_parse(p->english_proof)));
    buf_append_str(b, "</dl></section>\n");
}

/* The wallet documents the student shared with this application: the host
 * side opens each in the viewer (every read audited); the student sees what
 * they shared. */
static void render_shared_documents(struct http_request *req, struct buf *b, const struct store_application *a,
                                    const struct store_user *user, bool student)
{
    const char **ids = NULL;
    size_t count = 0;
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"shared-heading\"><h2 id=\"shared-heading\">");
    buf_append_str(b, student ? "Documents you shared" : "Documents the student shared");
    buf_append_str(b, "</h2>\n");
    if (store_application_documents(req->db, &req->arena, a->id, &ids, &count) != DB_OK) {
        buf_append_str(b, "<p>The documents could not be loaded. Reload the page in a moment.</p></section>\n");
        return;
    }
    size_t shown = 0;
    for (size_t i = 0; i < count; i++) {
        struct store_document d;
        struct error hidden = {0};
        /* Only what this viewer may open (the host: while the application is active). */
        if (ids[i] == NULL || document_get_visible(req->db, &req->arena, ids[i], user, &d, &hidden) != 0)
            continue;
        buf_append_str(b, shown++ == 0 ? "<ul class=\"plain-list shared-documents\"><li>" : "<li>");
        buf_append_str(b, student ? "<a href=\"/wallet/" : "<a href=\"/documents/");
        buf_append_url(b, d.id);
        buf_append_str(b, student ? "\">" : "/file\">");
        buf_append_html(b, document_kind_name(d.kind));
        buf_append_str(b, "<span class=\"visually-hidden\"> (");
        buf_append_html(b, d.file_name);
        buf_append_str(b, ")</span></a> <span class=\"muted\">");
        buf_append_html(b, d.file_name);
        buf_append_str(b, "</span> ");
        web_document_state(b, document_state_of(&d));
        buf_append_str(b, "</li>");
    }
    enum application_status status = application_status_of(a);
    if (shown == 0 && (status == APPLICATION_BOOKED || status == APPLICATION_CLEARED ||
                       status == APPLICATION_IN_PROGRESS)) {
        /* Once booked the host sees what the checklist asks for: "none shared" would contradict it.
         * (The page's head links to the checklist.) */
        buf_append_str(b, student ? "<p>You attached no other documents. The host sees the ones your onboarding "
                                    "checklist asks for.</p>"
                                  : "<p>The student attached no other documents. The ones this rotation asks for are "
                                    "on the onboarding checklist.</p>");
    } else if (shown == 0 && student && application_status_is_active(application_status_of(a))) {
        /* The page's head links to the checklist already. */
        buf_append_str(b, "<p>You shared no documents with this application. You can attach some from its "
                          "onboarding checklist.</p>");
    } else if (shown == 0 && student && application_status_before_acceptance(application_status_of(a))) {
        buf_append_str(b, "<p>You shared no documents with this application. You can attach some from the "
                          "onboarding checklist once it opens, when you accept a seat.</p>");
    } else if (shown == 0) { /* closed or completed: there is no checklist to go to */
        buf_append_str(b, student ? "<p>You shared no documents with this application.</p>"
                                  : "<p>The student shared no documents with this application.</p>");
    } else
        buf_append_str(b, student ? "</ul><p class=\"muted\">The host sees these while the application is active."
                                    "</p>"
                                  : "</ul><p class=\"muted\">Each opens in the viewer; every read is recorded in "
                                    "the audit trail.</p>");
    buf_append_str(b, "</section>\n");
}

/* onboarding: the checklist when the host side could clear the booking (NULL
 * otherwise); while it is not complete "Clear to start" could only be refused,
 * so the page says what is left instead of offering it. */
static void render_actions(struct buf *b, const struct store_application *a, const struct store_user *user,
                           bool student, bool host, const struct compliance *onboarding, bool evaluation_due,
                           const char *csrf_token, const char *note, const char *note_error)
{
    const char *next = application_next_step(a, student && !host);
    bool clear_waits = onboarding != NULL && !onboarding->all_ok;
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"actions-heading\"><h2 id=\"actions-heading\">"
                      "What you can do now</h2>\n");
    if (next != NULL) {
        buf_append_str(b, "<p class=\"next-step\">");
        buf_append_html(b, next);
        buf_append_str(b, "</p>\n");
    }
    if (clear_waits) {
        size_t met = 0;
        for (size_t i = 0; i < onboarding->count; i++)
            met += onboarding->items[i].state == COMPLIANCE_OK;
        buf_appendf(b, "<p class=\"clear-waits\">The student can be cleared to start once the onboarding checklist is "
                       "complete: %zu of %zu requirements met. <a href=\"/applications/", met, onboarding->count);
        buf_append_url(b, a->id);
        buf_append_str(b, "/compliance\">See the checklist</a></p>\n");
    }
    const struct button *shown[sizeof(buttons) / sizeof(buttons[0])];
    size_t count = 0;
    bool student_cancel = false, host_cancel = false;
    for (size_t i = 0; i < sizeof(buttons) / sizeof(buttons[0]); i++)
        if ((buttons[i].student ? student : host) && application_may(a, user, buttons[i].action, buttons[i].student) &&
            !(clear_waits && strcmp(buttons[i].action, "clear") == 0)) {
            /* The student cancels on a page that shows the refund first. */
            if (buttons[i].student && strcmp(buttons[i].action, "cancel") == 0) {
                student_cancel = true;
                continue;
            }
            host_cancel = host_cancel || strcmp(buttons[i].action, "cancel") == 0;
            shown[count++] = &buttons[i];
        }
    if (count == 0 && !student_cancel && evaluation_due) {
        /* The notification says the student waits for it: "nothing to do" would contradict it. */
        buf_append_str(b, "<p class=\"next-step\">The student is waiting for your evaluation. <a href=\"/applications/");
        buf_append_url(b, a->id);
        buf_append_str(b, "/evaluation\">Evaluate the student</a></p>");
        buf_append_str(b, "</section>\n");
        return;
    }
    if (count == 0 && !student_cancel) {
        buf_append_str(b, "<p>There is nothing for you to do on this application now.</p>");
        render_override(b, a, user, host, csrf_token);
        buf_append_str(b, "</section>\n");
        return;
    }
    if (count == 0) {
        write_cancel_link(b, a);
        buf_append_str(b, "</section>\n");
        return;
    }
    buf_append_str(b, "<form class=\"stack application-actions\" method=\"post\" action=\"/applications/");
    buf_append_url(b, a->id);
    buf_append_char(b, '/');
    buf_append_str(b, shown[0]->action);
    buf_append_str(b, "\">\n<input type=\"hidden\" name=\"csrf_token\" value=\"");
    buf_append_html(b, csrf_token);
    buf_append_str(b, "\">\n");
    view_textarea(b, "Note (optional)", "note", note, 3, NOTE_MAX_CHARS,
                  "Kept in the history below, where everyone on this application can read it.", note_error);
    if (host_cancel && account_has_role(user, ROLE_STAFF))
        view_select(b, "If you cancel: why (for the refund)", "reason", cancel_reasons, cancel_reason_labels, "host",
                    NULL);
    buf_append_str(b, "<div class=\"actions wrap\">");
    for (size_t i = 0; i < count; i++) {
        buf_append_str(b, shown[i]->danger ? "<button type=\"submit\" class=\"danger\" formaction=\"/applications/"
                                           : "<button type=\"submit\" formaction=\"/applications/");
        buf_append_url(b, a->id);
        buf_append_char(b, '/');
        buf_append_str(b, shown[i]->action);
        buf_append_str(b, "\">");
        /* Before the payment there is no booking yet: only a held seat. */
        bool held_seat = !shown[i]->student && strcmp(shown[i]->action, "cancel") == 0 &&
                        application_status_of(a) == APPLICATION_HELD;
        buf_append_html(b, held_seat ? "Release the held seat" : shown[i]->label);
        buf_append_str(b, "</button>");
    }
    buf_append_str(b, "</div></form>\n");
    if (student_cancel)
        write_cancel_link(b, a);
    render_override(b, a, user, host, csrf_token);
    buf_append_str(b, "</section>\n");
}

static void render_history(const struct http_request *req, struct buf *b, const struct store_application_event *events,
                           size_t count)
{
    buf_append_str(b, "<section class=\"card history-card\" aria-labelledby=\"history-heading\"><h2 id=\"history-heading\">"
                      "History</h2>\n");
    if (count == 0) {
        buf_append_str(b, "<p class=\"muted\">No history yet.</p></section>\n");
        return;
    }
    buf_append_str(b, "<div class=\"table-wrap\"><table class=\"records history\"><caption>Every change to this "
                      "application, oldest first</caption><thead><tr><th scope=\"col\">When</th>"
                      "<th scope=\"col\">Who</th><th scope=\"col\">What</th><th scope=\"col\">Status after</th>"
                      "<th scope=\"col\">Note</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < count; i++) {
        const struct store_application_event *e = &events[i];
        buf_append_str(b, "<tr><td data-label=\"When\">");
        web_write_instant(req, b, e->at);
        buf_append_str(b, "</td><td data-label=\"Who\">");
        if (e->actor_name != NULL) {
            buf_append_html(b, e->actor_name);
            buf_append_str(b, " <span class=\"muted\">(");
            buf_append_html(b, actor_words(e->actor_role));
            buf_append_str(b, ")</span>");
        } else {
            buf_append_str(b, "Rounds <span class=\"muted\">(automatic)</span>");
        }
        buf_append_str(b, "</td><td data-label=\"What\">");
        buf_append_html(b, event_words(e->action));
        buf_append_str(b, "</td><td data-label=\"Status after\">");
        web_application_status(b, application_status_parse(e->to_status));
        buf_append_str(b, "</td><td data-label=\"Note\">");
        if (e->note != NULL && e->note[0] != '\0')
            buf_append_html(b, e->note);
        else
            buf_append_str(b, "<span class=\"muted\">None</span>");
        buf_append_str(b, "</td></tr>\n");
    }
    buf_append_str(b, "</tbody></table></div></section>\n");
}

/* The page, with a notice (after a move) or an error (a refused move). */
static void render(struct http_request *req, int status, const char *id, const char *notice, const char *error,
                   const char *note, const char *note_error)
{
    struct view_page page;
    struct store_user user = {0};
    if (!web_page_setup(req, &page, "Application", &user))
        return;
    struct store_application a = {0};
    if (!web_application_visible(req, &user, id, "read", &a))
        return;
    struct store_application_event *events = NULL;
    size_t event_count = 0;
    bool history_ok = store_application_events(req->db, &req->arena, a.id, &events, &event_count) == DB_OK;
    bool student = strcmp(a.student_id, user.id) == 0;
    bool host = application_host_side(&a, &user);

    struct buf title;
    buf_init(&title, &req->arena, BUF_CAP_LINE);
    buf_append_str(&title, "Application: ");
    buf_append_str(&title, a.offering_title);
    if (buf_ok(&title))
        page.title = title.data;

    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_PAGE);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<p class=\"back\"><a href=\"/applications\">Back to applications</a></p>\n"
                       "<header class=\"application-head\"><p class=\"kicker\">Application");
    if (!student) {
        buf_append_str(&b, " from ");
        buf_append_html(&b, a.student_name);
    }
    buf_append_str(&b, "</p><h1>");
    buf_append_html(&b, a.offering_title);
    buf_append_str(&b, "</h1>\n<p class=\"where\"><span class=\"host\">");
    buf_append_html(&b, a.host_name);
    buf_append_str(&b, "</span> · ");
    view_date(&b, a.block_start);
    buf_append_str(&b, " to ");
    view_date(&b, a.block_end);
    buf_append_str(&b, "</p>\n<p class=\"current-status\">Status: ");
    web_application_status(&b, application_status_of(&a));
    buf_append_str(&b, "</p>");
    if (application_status_is_active(application_status_of(&a))) {
        buf_append_str(&b, "<p class=\"checklist-link\"><a href=\"/applications/");
        buf_append_url(&b, a.id);
        buf_append_str(&b, "/compliance\">Onboarding checklist</a></p>");
    }
    if (message_thread_open(&a))
        web_messages_link(&b, &a, message_unread_count(req->db, &user, a.id));
    buf_append_str(&b, "</header>\n");
    if (notice != NULL)
        view_notice(&b, notice);
    if (error != NULL)
        view_alert(&b, error);

    buf_append_str(&b, "<div class=\"offering-layout\">\n<div class=\"offering-main\">\n");
    render_facts(req, &b, &a, student && !host);
    if (!student || host)
        render_profile(req, &b, &a);
    render_shared_documents(req, &b, &a, &user, student && !host);
    struct money_view money;
    if (money_view_of(req->db, &req->arena, &a, &money) == DB_OK)
        web_money_card(&b, &a, &money, student && !host, account_has_role(&user, ROLE_STAFF), page.csrf_token);
    else
        view_alert(&b, "The payment details could not be loaded. Reload the page in a moment.");
    buf_append_str(&b, "</div>\n<div class=\"offering-side\">\n");
    struct compliance onboarding;
    bool clearable = host && application_may(&a, &user, "clear", false) &&
                     compliance_for_application(req->db, &req->arena, &a, &onboarding) == DB_OK;
    /* The preceptor of a completed rotation who has not evaluated the student yet. */
    struct store_evaluation evaluation;
    bool evaluation_due = application_status_of(&a) == APPLICATION_COMPLETED && a.preceptor_user_id != NULL &&
                          strcmp(a.preceptor_user_id, user.id) == 0 &&
                          store_evaluation_get(req->db, &req->arena, a.id, &evaluation) == DB_DONE;
    render_actions(&b, &a, &user, student, host, clearable ? &onboarding : NULL, evaluation_due, page.csrf_token,
                   note, note_error);
    web_certificate_panel(req, &b, &a, &user, page.csrf_token);
    buf_append_str(&b, "</div>\n</div>\n");
    if (history_ok)
        render_history(req, &b, events, event_count);
    else
        view_alert(&b, "The history could not be loaded. Reload the page in a moment.");
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, status, &b);
}

void web_page_application(struct http_request *req)
{
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return;
    render(req, 200, http_param(req, "id"), done_message(http_kv_get(query, "done")), NULL, NULL, NULL);
}

/* A refused move in plain words. */
static const char *refusal(struct arena *arena, const struct error *err, const char *action,
                           const struct store_application *now)
{
    if (err->code == ERR_BLOCK_FULL)
        return "No seat is left in this block, so the offer cannot be accepted. The host may offer another date.";
    if (err->code == ERR_HOLD_EXPIRED)
        return "The hold on this seat expired before the booking was recorded, so the seat has been released.";
    if (err->code == ERR_OFFER_EXPIRED)
        return "The offer has expired, so it can no longer be accepted.";
    if (err->code == ERR_CHANGED_MEANWHILE)
        return "Someone else changed this application at the same moment. Here it is as it is now: check it and "
               "try again.";
    const char *label = action;
    for (size_t i = 0; i < sizeof(buttons) / sizeof(buttons[0]); i++)
        if (strcmp(buttons[i].action, action) == 0)
            label = buttons[i].label;
    struct buf b;
    buf_init(&b, arena, BUF_CAP_LINE);
    buf_append_char(&b, '"');
    buf_append_str(&b, label);
    buf_append_str(&b, "\" is not possible now");
    if (now != NULL) {
        buf_append_str(&b, ": the application's status is \"");
        buf_append_str(&b, application_status_label(application_status_of(now)));
        buf_append_str(&b, "\", and this step does not apply to it or is not yours to take");
    }
    buf_append_char(&b, '.');
    return buf_ok(&b) ? b.data : "This is not possible now.";
}

void web_page_application_action(struct http_request *req)
{
    const char *id = http_param(req, "id");
    const char *action = http_param(req, "action");
    if (!application_action_known(action)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "There is no such action");
        return;
    }
    const char *note = http_form(req, "note");
    if (note == NULL)
        note = "";
    size_t note_len = strlen(note);
    if (!utf8_valid(note, note_len) || utf8_count(note, note_len) > NOTE_MAX_CHARS) {
        render(req, 400, id, NULL, "The note is too long: keep it under " LIMIT_TEXT(NOTE_MAX_CHARS) " characters.",
               note, "Keep it under " LIMIT_TEXT(NOTE_MAX_CHARS) " characters.");
        return;
    }
    struct store_user user;
    if (!web_signed_in_user(req, &user))
        return;
    /* A student's cancellation goes through the page that shows the refund first. */
    const char *confirm = http_form(req, "confirm");
    struct store_application before;
    if (strcmp(action, "cancel") == 0 && (confirm == NULL || strcmp(confirm, "1") != 0) &&
        store_application_get(req->db, &req->arena, id, &before) == DB_ROW && strcmp(before.student_id, user.id) == 0) {
        char location[160];
        snprintf(location, sizeof(location), "/applications/%s/cancel", before.id);
        http_redirect(req, location);
        return;
    }
    enum refund_cause cause = REFUND_CAUSE_STUDENT;
    const char *reason = http_form(req, "reason");
    if (reason != NULL && strcmp(action, "cancel") == 0 &&
        (!money_cause_from_name(reason, &cause) || cause == REFUND_CAUSE_STUDENT ||
         (cause != REFUND_CAUSE_HOST && !account_has_role(&user, ROLE_STAFF)))) {
        render(req, 400, id, NULL, "Choose why the booking is cancelled from the list.", note, NULL);
        return;
    }
    const char *override_reason = http_form(req, "override_reason");
    if (override_reason != NULL && override_reason[0] == '\0' && application_date_overridable(action)) {
        render(req, 400, id, NULL, "Give the reason for overriding the dates.", note, NULL);
        return;
    }
    if (override_reason != NULL && override_reason[0] == '\0')
        override_reason = NULL;
    struct store_application a = {0};
    struct error err = {0};
    if (application_move(req->db, &req->arena, id, action, &user, note, cause, override_reason, &a, &err) != 0) {
        if (err.code == ERR_NOT_FOUND) {
            http_reply_error(req, ERR_NOT_FOUND, NULL, "This application does not exist, or it is not yours to see");
            return;
        }
        if (err.code == ERR_NOT_COMPLIANT) {
            /* Not a dead end: the checklist, with what is missing, and the way back. */
            web_compliance_render(req, error_status(err.code), id,
                                  "The student cannot be cleared yet: every requirement below must be met first. "
                                  "Those not met say why and what is missing.");
            return;
        }
        if (err.code == ERR_ROTATION_NOT_STARTED || err.code == ERR_ROTATION_NOT_ENDED ||
            (err.field != NULL && strcmp(err.field, "override_reason") == 0)) {
            struct buf why;
            buf_init(&why, &req->arena, 512);
            buf_append_str(&why, "This is not possible yet: ");
            buf_append_str(&why, err.detail != NULL ? err.detail : error_title(err.code));
            buf_append_char(&why, '.');
            render(req, error_status(err.code), id, NULL, buf_ok(&why) ? why.data : error_title(err.code), note,
                   NULL);
            return;
        }
        if (!error_is(err.code, ERR_INVALID_TRANSITION) && err.code != ERR_BLOCK_FULL && err.code != ERR_HOLD_EXPIRED) {
            http_reply_problem(req, &err);
            return;
        }
        /* Expiry may have moved it meanwhile: the page shows it as it is now. */
        struct store_application now;
        bool found = store_application_get(req->db, &req->arena, id, &now) == DB_ROW;
        catalog_index_sync(req->db); /* an expiry frees a seat */
        render(req, error_status(err.code), id, NULL, refusal(&req->arena, &err, action, found ? &now : NULL),
               note, NULL);
        return;
    }
    catalog_index_sync(req->db); /* seats left changed */
    web_redirect_done(req, "/applications/", a.id, action);
}
