/* page_host_earnings.c — GET /host/earnings?month=&organization_id=: what a
 * host earned in a month (its share of each rotation that started, and of
 * what the policy kept when a booking ended), line by line, and whether it
 * was paid out, with links to the month before and after (not past this
 * one). Its coordinators, and staff; another host's → 404. */
#include <stdio.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/catalog.h"
#include "lib/clock.h"
#include "lib/json_spec.h"
#include "lib/limits.h"
#include "store/money.h"
#include "views/money.h"
#include "web/web.h"

const char *const web_earnings_params[] = {"month", "organization_id", NULL};

static const char *kind_words(const char *kind)
{
    if (strcmp(kind, "earn") == 0)
        return "Rotation started";
    if (strcmp(kind, "cancel") == 0 || strcmp(kind, "release") == 0)
        return "Kept when a booking ended";
    if (strcmp(kind, "payout") == 0)
        return "Paid out";
    return kind;
}

/* The month "YYYY-MM" delta (-1 or +1) months from month, into out[8]. */
static void month_step(const char *month, int delta, char out[8])
{
    int year = (month[0] - '0') * 1000 + (month[1] - '0') * 100 + (month[2] - '0') * 10 + (month[3] - '0');
    int index = year * 12 + (month[5] - '0') * 10 + (month[6] - '0') - 1 + delta;
    if (index < 0)
        index = 0; /* before year 0000: stays at its January */
    snprintf(out, 8, "%04d-%02d", index / 12 % 10000, index % 12 + 1);
}

/* "Previous month" and, before this month, "Next month", keeping the host. */
static void render_month_links(struct buf *b, const char *month, const char *this_month, const char *org, bool choose)
{
    buf_append_str(b, "<nav class=\"pager\" aria-label=\"Earlier and later earnings\">");
    for (int delta = -1; delta <= 1; delta += 2) {
        char other[8];
        month_step(month, delta, other);
        if (delta > 0 && strcmp(other, this_month) > 0)
            break;
        buf_append_str(b, delta < 0 ? "<a rel=\"prev\" href=\"/host/earnings?month=" : "<a rel=\"next\" href=\"/host/earnings?month=");
        buf_append_url(b, other);
        if (choose) {
            buf_append_str(b, "&amp;organization_id=");
            buf_append_url(b, org);
        }
        buf_append_str(b, delta < 0 ? "\">Previous month</a>" : "\">Next month</a>");
    }
    buf_append_str(b, "</nav>\n");
}

void web_page_host_earnings(struct http_request *req)
{
    struct view_page page;
    struct store_user user = {0};
    if (!web_page_setup(req, &page, "Earnings", &user))
        return;
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return;
    const char *month_param = http_kv_get(query, "month"), *org = http_kv_get(query, "organization_id");
    const struct store_membership *managed[STORE_MAX_MEMBERSHIPS];
    size_t count = catalog_managed_organizations(&user, managed, STORE_MAX_MEMBERSHIPS);
    if (org == NULL && count > 0)
        org = managed[0]->organization_id;
    if (org == NULL || !catalog_may_manage(&user, org)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "There are no earnings of yours to show here");
        return;
    }
    char today[11], month[8];
    clock_today(today);
    snprintf(month, sizeof(month), "%.7s", month_param != NULL ? month_param : today);
    char probe[11];
    snprintf(probe, sizeof(probe), "%s-01", month);
    if ((month_param != NULL && strlen(month_param) != 7) || !json_date_valid(probe)) {
        http_reply_error(req, ERR_INVALID_PARAMETER, "month", "The month must be written YYYY-MM");
        return;
    }
    struct store_host_month *months;
    struct store_earning_line *lines;
    size_t nm = 0, nl = 0;
    if (store_host_months(req->db, &req->arena, month, org, &months, &nm) != DB_OK ||
        store_host_earning_lines(req->db, &req->arena, org, month, &lines, &nl) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<h1>Earnings</h1>\n<form class=\"inline-form\" method=\"get\" action=\"/host/earnings\">");
    if (count > 1) {
        buf_append_str(&b, "<label for=\"f-organization_id\">Host</label> <select id=\"f-organization_id\" "
                           "name=\"organization_id\">");
        for (size_t i = 0; i < count; i++) {
            buf_append_str(&b, "<option value=\"");
            buf_append_html(&b, managed[i]->organization_id);
            buf_append_str(&b, strcmp(managed[i]->organization_id, org) == 0 ? "\" selected>" : "\">");
            buf_append_html(&b, managed[i]->organization_name);
            buf_append_str(&b, "</option>");
        }
        buf_append_str(&b, "</select> ");
    }
    buf_append_str(&b, "<label for=\"f-month\">Month</label> <input id=\"f-month\" type=\"month\" name=\"month\" value=\"");
    buf_append_html(&b, month);
    /* The month shown, named as the pages write dates ("Nov 2026"). */
    char words[CLOCK_DATE_WORDS_SIZE];
    const char *month_name = clock_month_in_words(month, words) ? words : month;
    buf_append_str(&b, "\"> <button type=\"submit\">Show</button></form>\n<section class=\"card\" "
                       "aria-labelledby=\"month-heading\"><h2 id=\"month-heading\">");
    buf_append_html(&b, month_name);
    buf_append_str(&b, "</h2><dl class=\"facts\"><dt>Earned</dt><dd>");
    view_money_amount(&b, nm > 0 ? months[0].earned_cents : 0);
    buf_append_str(&b, "</dd><dt>Paid out</dt><dd>");
    if (nm > 0 && months[0].payout_id != NULL) {
        view_money_amount(&b, months[0].paid_out_cents);
        buf_append_str(&b, " on ");
        web_write_date(req, &b, months[0].sent_at);
    } else {
        buf_append_str(&b, "Not yet: Rounds pays a month's earnings once the month is over.");
    }
    buf_append_str(&b, "</dd></dl>\n");
    if (nl == 0) {
        buf_append_str(&b, "<p class=\"muted\">Nothing in ");
        buf_append_html(&b, month_name);
        buf_append_str(&b, ".</p>");
    } else {
        buf_append_str(&b, "<div class=\"table-wrap\"><table class=\"records\"><caption>Line by line</caption>"
                           "<thead><tr><th scope=\"col\">Date</th><th scope=\"col\">What</th><th scope=\"col\">"
                           "Student</th><th scope=\"col\">Amount</th></tr></thead><tbody>\n");
        for (size_t i = 0; i < nl; i++) {
            buf_append_str(&b, "<tr><td data-label=\"Date\">");
            view_date(&b, lines[i].effective_on);
            buf_append_str(&b, "</td><td data-label=\"What\">");
            buf_append_html(&b, kind_words(lines[i].kind));
            if (lines[i].offering_title != NULL) {
                buf_append_str(&b, ": ");
                buf_append_html(&b, lines[i].offering_title);
            }
            buf_append_str(&b, "</td><td data-label=\"Student\">");
            if (lines[i].application_id != NULL) {
                buf_append_str(&b, "<a href=\"/applications/");
                buf_append_url(&b, lines[i].application_id);
                buf_append_str(&b, "\">");
                buf_append_html(&b, lines[i].student_name);
                buf_append_str(&b, "</a>");
            }
            buf_append_str(&b, "</td><td data-label=\"Amount\">");
            view_money_amount(&b, lines[i].amount_cents);
            buf_append_str(&b, "</td></tr>\n");
        }
        buf_append_str(&b, "</tbody></table></div>\n");
    }
    buf_append_str(&b, "</section>\n");
    char this_month[8];
    snprintf(this_month, sizeof(this_month), "%.7s", today);
    render_month_links(&b, month, this_month, org, count > 1);
    view_page_end(&b);
    http_reply_html(req, 200, &b);
}
