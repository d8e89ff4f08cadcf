/* page_home.c — GET /: what Rounds is, and where to start. Signed out, and a
 * student, see the pitch and the search; anyone signed in with another role
 * (preceptor, host or school coordinator, coach, staff) sees "Go to your …":
 * the pages of each of their roles, one card per role, and no pitch. */
#include <stdio.h>

#include "lib/limits.h"
#include "web/web.h"

struct home_link {
    const char *path, *label;
};

/* One card of the signed-in home: a role's heading and its pages. */
struct home_role {
    const char *heading;
    const struct home_link *links;
    size_t count;
};

#define HOME_ROLE(heading, links) {(heading), (links), sizeof(links) / sizeof((links)[0])}

static const struct home_link preceptor_links[] = {
    {"/applications", "Applications for your rotations"},
    {"/letters", "Letters asked of you"},
    {"/teaching", "Your teaching record"},
};
static const struct home_link host_links[] = {
    {"/applications", "Applications to your offerings"},
    {"/host", "Your offerings and blocks"},
    {"/host/earnings", "Earnings"},
    {"/host/rounds", "Match rounds"},
    {"/agreements", "Agreements with schools"},
};
static const struct home_link school_links[] = {
    {"/school", "Your school's students"},
    {"/agreements", "Agreements with hosts"},
};
static const struct home_link coach_links[] = {
    {"/coach", "Your students"},
};
static const struct home_link staff_links[] = {
    {"/staff/documents", "Verify documents"},
    {"/staff/preceptors", "Verify preceptors"},
    {"/staff/letters", "Overdue letters"},
    {"/staff/payments", "Payments"},
    {"/staff/payouts", "Payouts"},
    {"/applications", "Applications"},
    {"/staff/audit", "Audit trail"},
};
static const struct home_link student_links[] = {
    {"/applications", "Your applications"},
    {"/wallet", "Your documents"},
    {"/letters", "Your letters of recommendation"},
    {"/search", "Find a rotation"},
};

static void render_pitch(struct buf *b, const struct view_page *page)
{
    buf_append_str(b, "<section class=\"hero\"><h1>U.S. clinical experience, without the guesswork</h1>"
                      "<p>Rounds connects international medical students and graduates with U.S. physicians and "
                      "hospitals that offer clerkships, observerships, research and telehealth rotations — with the "
                      "preceptor, the full price and the refund rules shown before you apply.</p>"
                      "<form class=\"hero-search\" method=\"get\" action=\"/search\" role=\"search\">"
                      "<div class=\"field\"><label for=\"home-q\">Search rotations</label>"
                      "<input id=\"home-q\" type=\"search\" name=\"q\" "
                      "placeholder=\"Specialty, hospital or city\"></div>"
                      "<button type=\"submit\">Search</button></form>"
                      "<p><a class=\"browse\" href=\"/search\">Browse all rotations</a> by specialty, state or "
                      "price.</p>");
    if (page->user_name == NULL)
        buf_append_str(b, "<p class=\"actions\"><a class=\"button\" href=\"/register\">Create a student account</a> "
                          "<a href=\"/login\">Log in</a></p>");
    else
        buf_append_str(b, "<p class=\"actions\"><a class=\"button\" href=\"/applications\">Your applications</a> "
                          "<a href=\"/account\">Your account</a></p>");
    buf_append_str(b, "</section>\n<section class=\"grid\">"
                      "<div class=\"card\"><h2>Verified preceptors</h2><p>Every physician's NPI and licence is "
                      "checked by our staff, and you see who they are before you pay.</p></div>"
                      "<div class=\"card\"><h2>One document wallet</h2><p>Upload your passport, immunizations and "
                      "exam reports once; reuse them for every rotation.</p></div>"
                      "<div class=\"card\"><h2>Letters and Match readiness</h2><p>Request letters of "
                      "recommendation and see what you still need for the Match.</p></div></section>\n");
}

static void render_role(struct buf *b, size_t index, const struct home_role *role)
{
    char id[32];
    snprintf(id, sizeof(id), "home-role-%zu", index);
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"");
    buf_append_str(b, id);
    buf_append_str(b, "\"><h2 id=\"");
    buf_append_str(b, id);
    buf_append_str(b, "\">");
    buf_append_html(b, role->heading);
    buf_append_str(b, "</h2><ul class=\"go-list\">");
    for (size_t i = 0; i < role->count; i++) {
        buf_append_str(b, "<li><a href=\"");
        buf_append_str(b, role->links[i].path);
        buf_append_str(b, "\">");
        buf_append_html(b, role->links[i].label);
        buf_append_str(b, "</a></li>");
    }
    buf_append_str(b, "</ul></section>\n");
}

/* The home of someone who works on Rounds: a card per role, each the pages it uses. */
static void render_work(struct buf *b, const struct view_page *page)
{
    const struct home_role roles[] = {
        HOME_ROLE("As a preceptor", preceptor_links), HOME_ROLE("For your host", host_links),
        HOME_ROLE("For your school", school_links),   HOME_ROLE("As a coach", coach_links),
        HOME_ROLE("Rounds staff", staff_links),       HOME_ROLE("As a student", student_links),
    };
    const bool has[] = {page->author, page->host, page->school_coordinator, page->coach, page->staff, page->student};
    buf_append_str(b, "<h1>Welcome back, ");
    buf_append_html(b, page->user_name);
    buf_append_str(b, "</h1>\n");
    if (page->unread > 0) {
        char line[96];
        snprintf(line, sizeof(line), "You have %lld unread notification%s.", (long long)page->unread,
                 page->unread == 1 ? "" : "s");
        buf_append_str(b, "<p class=\"lead\"><a href=\"/notifications\">");
        buf_append_html(b, line);
        buf_append_str(b, "</a></p>\n");
    }
    buf_append_str(b, "<p>Go to your work:</p>\n<div class=\"grid\">");
    for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
        if (has[i])
            render_role(b, i, &roles[i]);
    buf_append_str(b, "</div>\n<p><a href=\"/search\">Find a rotation</a> · <a href=\"/account\">Your account"
                      "</a> · <a href=\"/tickets\">Support</a></p>\n");
}

void web_page_home(struct http_request *req)
{
    struct view_page page;
    if (!web_page_setup(req, &page, "Clinical rotations in the U.S.", NULL))
        return;
    bool works = page.user_name != NULL && (page.author || page.host || page.school_coordinator || page.coach ||
                                            page.staff);
    if (works)
        page.title = "Home";
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    view_page_begin(&b, &page);
    if (works)
        render_work(&b, &page);
    else
        render_pitch(&b, &page);
    view_page_end(&b);
    http_reply_html(req, 200, &b);
}
