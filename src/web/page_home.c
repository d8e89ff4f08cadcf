/* page_home.c — GET /: what Rounds is, and where to start. */
#include "web/web.h"
#include "lib/limits.h"

void web_page_home(struct http_request *req)
{
    struct view_page page;
    if (!web_page_setup(req, &page, "Clinical rotations in the U.S.", NULL))
        return;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    view_page_begin(&b, &page);
    buf_append_str(&b,
                   "<section class=\"hero\"><h1>U.S. clinical experience, without the guesswork</h1>"
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
    if (page.user_name == NULL)
        buf_append_str(&b, "<p class=\"actions\"><a class=\"button\" href=\"/register\">Create a student account</a> "
                           "<a href=\"/login\">Log in</a></p>");
    else
        buf_append_str(&b, "<p class=\"actions\"><a class=\"button\" href=\"/account\">Your account</a></p>");
    buf_append_str(&b, "</section>\n<section class=\"grid\">"
                       "<div class=\"card\"><h2>Verified preceptors</h2><p>Every physician's NPI and licence is "
                       "checked by our staff, and you see who they are before you pay.</p></div>"
                       "<div class=\"card\"><h2>One document wallet</h2><p>Upload your passport, immunizations and "
                       "exam reports once; reuse them for every rotation.</p></div>"
                       "<div class=\"card\"><h2>Letters and Match readiness</h2><p>Request letters of "
                       "recommendation and see what you still need for the Match.</p></div></section>\n");
    view_page_end(&b);
    http_reply_html(req, 200, &b);
}
