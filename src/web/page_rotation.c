/* page_rotation.c — GET /rotations/{id}: "Your rotation", the page of one
 * booked rotation for everyone on it (the student, the host's coordinators,
 * the preceptor, the coach, staff): dates, where, the preceptor, the host's
 * contact, the coach, the onboarding checklist's state, what is due now, the
 * hours so far, and links to the hours log and the application. Anyone else
 * gets 404. */
#include <string.h>

#include "domain/accounts.h"
#include "domain/applications.h"
#include "domain/catalog.h"
#include "domain/documents.h"
#include "domain/hours.h"
#include "domain/messages.h"
#include "domain/money.h"
#include "domain/rotation_calendar.h"
#include "lib/clock.h"
#include "lib/limits.h"
#include "views/money.h"
#include "web/web.h"

/* Everything the page shows, loaded before rendering. */
struct rotation_view {
    struct store_user user;
    struct store_application a;
    struct store_offering offering;
    bool has_offering;
    struct store_member contact; /* the host's first coordinator */
    bool has_contact;
    struct compliance compliance;
    size_t requirements_met;
    struct hours_log hours;
    bool student; /* the viewer is the student */
    int64_t unread; /* the viewer's unread messages in the rotation's thread */
};

static int load(struct http_request *req, struct rotation_view *v)
{
    if (!web_application_visible(req, &v->user, http_param(req, "id"), "rotation", &v->a))
        return -1;
    v->student = strcmp(v->a.student_id, v->user.id) == 0;
    v->has_offering = store_offering_get(req->db, &req->arena, v->a.offering_id, &v->offering) == DB_ROW;
    struct store_member *members;
    size_t count = 0;
    if (store_organization_members(req->db, &req->arena, v->a.organization_id, role_name(ROLE_HOST_COORDINATOR),
                                   &members, &count) == DB_OK &&
        count > 0) {
        v->contact = members[0];
        v->has_contact = true;
    }
    struct error err = {0};
    if (compliance_for_application(req->db, &req->arena, &v->a, &v->compliance) != DB_OK ||
        hours_log_load(req->db, &req->arena, &v->user, v->a.id, &v->hours, &err) != 0) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return -1;
    }
    for (size_t i = 0; i < v->compliance.count; i++)
        v->requirements_met += v->compliance.items[i].state == COMPLIANCE_OK;
    v->unread = message_unread_count(req->db, &v->user, v->a.id);
    return 0;
}

static void fact(struct buf *b, const char *term)
{
    buf_append_str(b, "<dt>");
    buf_append_html(b, term);
    buf_append_str(b, "</dt><dd>");
}

static void person(struct buf *b, const char *name, const char *email)
{
    buf_append_html(b, name != NULL ? name : "");
    if (email != NULL && email[0] != '\0') {
        buf_append_str(b, " <a href=\"mailto:");
        buf_append_html(b, email);
        buf_append_str(b, "\">");
        buf_append_html(b, email);
        buf_append_str(b, "</a>");
    }
}

static void render_facts(struct buf *b, const struct rotation_view *v)
{
    const struct store_application *a = &v->a;
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"facts-heading\"><h2 id=\"facts-heading\">"
                      "The rotation</h2>\n<dl class=\"facts\">");
    fact(b, "Dates");
    view_date(b, a->block_start);
    buf_append_str(b, " to ");
    view_date(b, a->block_end);
    buf_append_str(b, "</dd>");
    fact(b, "Host");
    buf_append_html(b, a->host_name);
    buf_append_str(b, "</dd>");
    if (v->has_offering) {
        fact(b, "Where");
        buf_append_html(b, v->offering.site_name);
        buf_append_str(b, ", ");
        if (v->offering.site_address != NULL && v->offering.site_address[0] != '\0') {
            buf_append_html(b, v->offering.site_address);
            buf_append_str(b, ", ");
        }
        buf_append_html(b, v->offering.site_city);
        buf_append_str(b, ", ");
        buf_append_html(b, v->offering.site_state);
        buf_append_str(b, "</dd>");
    }
    fact(b, "Preceptor");
    buf_append_html(b, a->preceptor_name);
    buf_append_str(b, "</dd>");
    fact(b, "Host contact");
    if (v->has_contact)
        person(b, v->contact.name, v->contact.email);
    else
        buf_append_str(b, "<span class=\"muted\">None named yet</span>");
    buf_append_str(b, "</dd>");
    fact(b, v->student ? "Your coach" : "Coach");
    if (a->coach_id != NULL)
        buf_append_html(b, a->coach_name);
    else if (application_status_of(a) == APPLICATION_HELD)
        buf_append_str(b, "<span class=\"muted\">A coach is assigned when the rotation is booked</span>");
    else /* booked, yet no coach: there was none to assign; staff assign one */
        buf_append_str(b, "<span class=\"muted\">Not assigned yet: Rounds staff will assign one</span>");
    buf_append_str(b, "</dd>");
    fact(b, "Status");
    web_application_status(b, application_status_of(a));
    buf_append_str(b, "</dd></dl></section>\n");
}

/* One line of "What is due". */
static void due(struct buf *b, const char *text, const char *link, const char *link_text)
{
    buf_append_str(b, "<li>");
    buf_append_html(b, text);
    if (link != NULL) {
        buf_append_str(b, " <a href=\"");
        buf_append_html(b, link);
        buf_append_str(b, "\">");
        buf_append_html(b, link_text);
        buf_append_str(b, "</a>");
    }
    buf_append_str(b, "</li>");
}

static void render_due(struct http_request *req, struct buf *b, const struct rotation_view *v)
{
    const struct store_application *a = &v->a;
    enum application_status status = application_status_of(a);
    struct buf line, link;
    buf_init(&line, &req->arena, BUF_CAP_LINE);
    buf_init(&link, &req->arena, BUF_CAP_LINE);
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"due-heading\"><h2 id=\"due-heading\">What is due"
                      "</h2>\n<ul class=\"due\">");
    size_t before = b->len;
    if ((status == APPLICATION_BOOKED || status == APPLICATION_HELD) && !v->compliance.all_ok) {
        buf_appendf(&line, "%zu of %zu onboarding requirements met.", v->requirements_met, v->compliance.count);
        buf_appendf(&link, "/applications/%s/compliance", a->id);
        due(b, line.data, link.data, "Open the checklist");
    }
    /* The balance, as the application's payment card says it: unpaid by its date, the seat goes. */
    struct money_view money;
    if (v->student && (status == APPLICATION_BOOKED || status == APPLICATION_CLEARED) &&
        money_view_of(req->db, &req->arena, a, &money) == DB_OK && money.has_terms && money.balance_cents > 0 &&
        money.balance_due_on != NULL) {
        buf_reset(&line);
        buf_reset(&link);
        buf_append_str(&line, "The balance of ");
        view_money_amount(&line, money.balance_cents);
        buf_append_str(&line, " is due by ");
        view_date(&line, money.balance_due_on);
        buf_append_char(&line, '.');
        buf_appendf(&link, "/applications/%s/checkout", a->id);
        due(b, line.data, link.data, "Pay the balance");
    }
    buf_reset(&link);
    buf_appendf(&link, "/rotations/%s/hours", a->id);
    if (v->hours.open && v->student) {
        buf_reset(&line);
        buf_append_str(&line, "Log each day of your rotation, until ");
        view_date(&line, v->hours.open_until); /* "Jan 1, 2027", as every date on the page */
        buf_append_char(&line, '.');
        due(b, line.data, link.data, "Log your hours");
    }
    if (v->student && status == APPLICATION_IN_PROGRESS) {
        buf_reset(&link);
        buf_appendf(&link, "/rotations/%s/check-ins", a->id);
        due(b, "Check in once a week: how is it going?", link.data, "Check in");
        buf_reset(&link);
        buf_appendf(&link, "/rotations/%s/hours", a->id);
    }
    if (v->hours.viewer_reviews && v->hours.waiting_minutes > 0) {
        buf_reset(&line);
        buf_append_str(&line, "Hours are waiting for the preceptor's confirmation.");
        due(b, line.data, link.data, "Review the hours");
    }
    if (b->len == before)
        buf_append_str(b, "<li class=\"muted\">Nothing is due now.</li>");
    buf_append_str(b, "</ul></section>\n");
}

static bool given(const char *text)
{
    return text != NULL && text[0] != '\0';
}

/* "Your first day", from FIRST_DAY_NOTICE_DAYS days before the start until the first day. */
static void render_first_day(struct buf *b, const struct rotation_view *v)
{
    enum application_status status = application_status_of(&v->a);
    int32_t to_start = clock_days_from_date(v->a.block_start) - clock_today_days();
    if (!v->has_offering || to_start < 0 || to_start > FIRST_DAY_NOTICE_DAYS ||
        (status != APPLICATION_BOOKED && status != APPLICATION_CLEARED && status != APPLICATION_IN_PROGRESS))
        return;
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"first-day-heading\"><h2 id=\"first-day-heading\">"
                      "Your first day</h2>\n<dl class=\"facts\">");
    /* The host's fields where given; the site and the preceptor otherwise. */
    const struct store_first_day *fd = &v->offering.first_day_fields;
    fact(b, "When");
    view_date(b, v->a.block_start);
    if (given(fd->time)) {
        buf_append_str(b, ", ");
        buf_append_html(b, fd->time);
    }
    buf_append_str(b, "</dd>");
    fact(b, "Where to report");
    if (given(fd->address)) {
        buf_append_html(b, fd->address);
    } else {
        buf_append_html(b, v->offering.site_name);
        if (given(v->offering.site_address)) {
            buf_append_str(b, ", ");
            buf_append_html(b, v->offering.site_address);
        }
        buf_append_str(b, ", ");
        buf_append_html(b, v->offering.site_city);
        buf_append_str(b, ", ");
        buf_append_html(b, v->offering.site_state);
    }
    buf_append_str(b, "</dd>");
    fact(b, "Whom to ask for");
    buf_append_html(b, given(fd->ask_for) ? fd->ask_for : v->a.preceptor_name);
    buf_append_str(b, "</dd>");
    const char *rest[][2] = {{first_day_field_labels[3], fd->dress_code},
                             {first_day_field_labels[4], fd->transport},
                             {first_day_field_labels[5], fd->bring}};
    for (size_t i = 0; i < sizeof(rest) / sizeof(rest[0]); i++) {
        if (!given(rest[i][1]))
            continue;
        fact(b, rest[i][0]);
        buf_append_html(b, rest[i][1]);
        buf_append_str(b, "</dd>");
    }
    buf_append_str(b, "</dl>\n");
    if (given(v->offering.first_day)) {
        buf_append_str(b, "<h3>From your host</h3><p class=\"prose\">");
        buf_append_html(b, v->offering.first_day);
        buf_append_str(b, "</p>");
    } else if (!first_day_given(fd)) {
        buf_append_str(b, "<p>Your host has not written first-day instructions yet: your coach will find out.</p>");
    }
    buf_append_str(b, "</section>\n");
}

static void render_checklist_and_hours(struct buf *b, const struct rotation_view *v)
{
    const struct store_application *a = &v->a;
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"checklist-heading\"><h2 id=\"checklist-heading\">"
                      "Onboarding checklist</h2>\n<p>");
    if (v->compliance.count == 0)
        buf_append_str(b, "This rotation asks for no documents.");
    else if (v->compliance.all_ok)
        buf_appendf(b, "All %zu requirements met.", v->compliance.count);
    else
        buf_appendf(b, "%zu of %zu requirements met.", v->requirements_met, v->compliance.count);
    buf_append_str(b, " <a href=\"/applications/");
    buf_append_url(b, a->id);
    buf_append_str(b, "/compliance\">See the checklist</a></p></section>\n");
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"hours-heading\"><h2 id=\"hours-heading\">Hours</h2>\n"
                      "<p><strong>");
    web_write_hours(b, v->hours.confirmed_minutes);
    buf_appendf(b, "</strong> hours confirmed, %zu %s in the log. <a href=\"/rotations/", v->hours.count,
                v->hours.count == 1 ? "day" : "days");
    buf_append_url(b, a->id);
    buf_append_str(b, "/hours\">Open the hours log</a></p></section>\n");
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"support-heading\"><h2 id=\"support-heading\">"
                      "Check-ins and help</h2>\n<p>Once a week of the rotation, say how it is going. "
                      "<a href=\"/rotations/");
    buf_append_url(b, a->id);
    buf_append_str(b, "/check-ins\">Weekly check-ins</a></p>\n<p>Something wrong, or a question? "
                      "<a href=\"/tickets/new?application_id=");
    buf_append_url(b, a->id);
    buf_append_str(b, "\">Ask for help</a> (a person answers: urgent tickets within hours).</p>\n");
    web_messages_link(b, a, v->unread);
    buf_append_str(b, "</section>\n");
}

void web_page_rotation(struct http_request *req)
{
    struct view_page page;
    struct rotation_view v = {0};
    if (!web_page_setup(req, &page, "Your rotation", &v.user) || load(req, &v) != 0)
        return;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_PAGE);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<p><a href=\"/applications/");
    buf_append_url(&b, v.a.id);
    buf_append_str(&b, "\">← The application and its history</a></p>\n<h1>");
    if (v.student) {
        buf_append_str(&b, "Your rotation: ");
    } else {
        buf_append_html(&b, v.a.student_name);
        buf_append_str(&b, "'s rotation: ");
    }
    buf_append_html(&b, v.a.offering_title);
    buf_append_str(&b, "</h1>\n");
    render_facts(&b, &v);
    render_first_day(&b, &v);
    render_due(req, &b, &v);
    render_checklist_and_hours(&b, &v);
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, 200, &b);
}
