/* page_staff_letters.c — GET /staff/letters: letters requested or accepted
 * more than 14 days ago and not yet uploaded (reminders went out at 7 and 14
 * days), oldest first: student, author, state, requested date and the days
 * waiting, each linking to the letter. Staff only; anyone else gets a 404. */
#include "domain/accounts.h"
#include "domain/letters.h"
#include "lib/clock.h"
#include "lib/limits.h"
#include "web/web.h"

enum { LIST_LIMIT = 200 };

void web_page_staff_letters(struct http_request *req)
{
    struct view_page page;
    struct store_user user = {0};
    if (!web_page_setup(req, &page, "Overdue letters", &user))
        return;
    if (!page.staff) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "There is no such page");
        return;
    }
    int64_t now = clock_now();
    struct store_letter_filter f = {
        .overdue = true, .overdue_before = now - LETTER_OVERDUE_DAYS * 86400, .limit = LIST_LIMIT};
    struct store_letter *items = NULL;
    size_t count = 0;
    if (store_letters_list(req->db, &req->arena, &f, &items, &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<h1>Overdue letters</h1>\n<p class=\"lead\">Letters asked for more than 14 days ago that the "
                       "author has not uploaded yet. Their authors were reminded at 7 and 14 days; a word from "
                       "Rounds may help.</p>\n");
    if (count == 0) {
        buf_append_str(&b, "<p>No letter is overdue.</p>\n");
    } else {
        buf_append_str(&b, "<div class=\"table-wrap\"><table class=\"records\"><caption>");
        buf_append_int(&b, (int64_t)count);
        buf_append_str(&b, count == 1 ? " overdue letter" : " overdue letters");
        if (count == (size_t)LIST_LIMIT)
            buf_append_str(&b, " (the first 200)");
        buf_append_str(&b, "</caption><thead><tr><th scope=\"col\">Student</th><th scope=\"col\">Author</th>"
                           "<th scope=\"col\">State</th><th scope=\"col\">Requested</th>"
                           "<th scope=\"col\">Days waiting</th></tr></thead><tbody>\n");
        for (size_t i = 0; i < count; i++) {
            const struct store_letter *l = &items[i];
            buf_append_str(&b, "<tr><td data-label=\"Student\"><a href=\"/letters/");
            buf_append_url(&b, l->id);
            buf_append_str(&b, "\">");
            buf_append_html(&b, l->student_name);
            buf_append_str(&b, "</a></td><td data-label=\"Author\">");
            buf_append_html(&b, l->author_name);
            buf_append_str(&b, "<br><span class=\"muted\">");
            buf_append_html(&b, l->author_email);
            buf_append_str(&b, "</span></td><td data-label=\"State\">");
            web_letter_state(&b, letter_state_of(l));
            buf_append_str(&b, "</td><td data-label=\"Requested\">");
            web_write_date(req, &b, l->requested_at);
            buf_append_str(&b, "</td><td data-label=\"Days waiting\">");
            buf_append_int(&b, (now - l->requested_at) / 86400);
            buf_append_str(&b, "</td></tr>\n");
        }
        buf_append_str(&b, "</tbody></table></div>\n");
    }
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, 200, &b);
}
