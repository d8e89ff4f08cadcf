/* page_staff_payouts.c — staff pay hosts once a month:
 *
 *   GET  /staff/payouts?month=YYYY-MM   what each host became owed that month (its share of rotations
 *                                       that started, and of what the policy kept when bookings
 *                                       ended), what was paid out, a CSV for the bank, and "Mark sent"
 *   POST /staff/payouts                 a host's payout for a month was sent (organization_id, month)
 *
 * The month defaults to last month. Staff only; anyone else gets 404. */
#include <stdio.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/money.h"
#include "lib/clock.h"
#include "lib/json_spec.h"
#include "lib/limits.h"
#include "views/money.h"
#include "web/web.h"

const char *const web_payouts_params[] = {"month", "done", NULL};

/* month (YYYY-MM) or last month, into out[8]; false when month is given but not a month. */
static bool month_or_last(const char *month, char out[8])
{
    if (month != NULL) {
        char probe[11];
        snprintf(probe, sizeof(probe), "%.7s-01", month);
        if (strlen(month) != 7 || !json_date_valid(probe))
            return false;
        snprintf(out, 8, "%s", month);
        return true;
    }
    char today[11];
    clock_today(today);
    int32_t first = clock_today_days() - ((today[8] - '0') * 10 + (today[9] - '0')) + 1;
    clock_date_from_days(first - 1, today);
    snprintf(out, 8, "%.7s", today);
    return true;
}

static void render(struct http_request *req, int status, const char *month_param, const char *notice,
                   const char *error)
{
    struct view_page page;
    struct store_user user = {0};
    if (!web_page_setup(req, &page, "Host payouts", &user))
        return;
    if (!account_has_role(&user, ROLE_STAFF)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "There is nothing at this address");
        return;
    }
    char month[8];
    if (!month_or_last(month_param, month)) {
        http_reply_error(req, ERR_INVALID_PARAMETER, "month", "The month must be written YYYY-MM");
        return;
    }
    struct store_host_month *rows;
    size_t n = 0;
    if (store_host_months(req->db, &req->arena, month, NULL, &rows, &n) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<h1>Host payouts</h1>\n<form class=\"inline-form\" method=\"get\" action=\"/staff/payouts\">"
                       "<label for=\"f-month\">Month</label> <input id=\"f-month\" type=\"month\" name=\"month\" value=\"");
    buf_append_html(&b, month);
    buf_append_str(&b, "\"> <button type=\"submit\">Show</button></form>\n");
    if (notice != NULL)
        view_notice(&b, notice);
    if (error != NULL)
        view_alert(&b, error);
    if (n == 0) {
        buf_append_str(&b, "<p class=\"muted\">No host earned anything that month.</p>\n");
    } else {
        buf_append_str(&b, "<p><a href=\"/api/v1/payouts?format=csv&amp;month=");
        buf_append_url(&b, month);
        buf_append_str(&b, "\" download>Download as CSV</a></p>\n<div class=\"table-wrap\"><table class=\"records\">"
                           "<caption>What each host is owed for ");
        char words[CLOCK_DATE_WORDS_SIZE];
        buf_append_html(&b, clock_month_in_words(month, words) ? words : month);
        buf_append_str(&b, "</caption><thead><tr><th scope=\"col\">Host</th><th scope=\"col\">Earned</th>"
                           "<th scope=\"col\">Paid out</th><th scope=\"col\">Payout</th></tr></thead><tbody>\n");
        for (size_t i = 0; i < n; i++) {
            buf_append_str(&b, "<tr><td data-label=\"Host\">");
            buf_append_html(&b, rows[i].organization_name);
            buf_append_str(&b, "</td><td data-label=\"Earned\">");
            view_money_amount(&b, rows[i].earned_cents);
            buf_append_str(&b, "</td><td data-label=\"Paid out\">");
            view_money_amount(&b, rows[i].paid_out_cents);
            buf_append_str(&b, "</td><td data-label=\"Payout\">");
            if (rows[i].payout_id != NULL) {
                buf_append_str(&b, "Sent ");
                web_write_date(req, &b, rows[i].sent_at);
                if (rows[i].sent_by_name != NULL) {
                    buf_append_str(&b, " by ");
                    buf_append_html(&b, rows[i].sent_by_name);
                }
            } else if (rows[i].earned_cents > 0) {
                view_form_begin(&b, "/staff/payouts", page.csrf_token);
                buf_append_str(&b, "<input type=\"hidden\" name=\"organization_id\" value=\"");
                buf_append_html(&b, rows[i].organization_id);
                buf_append_str(&b, "\"><input type=\"hidden\" name=\"month\" value=\"");
                buf_append_html(&b, month);
                buf_append_str(&b, "\">");
                view_form_end(&b, "Mark sent");
            } else {
                buf_append_str(&b, "Nothing to pay");
            }
            buf_append_str(&b, "</td></tr>\n");
        }
        buf_append_str(&b, "</tbody></table></div>\n");
    }
    view_page_end(&b);
    http_reply_html(req, status, &b);
}

void web_page_staff_payouts(struct http_request *req)
{
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return;
    const char *done = http_kv_get(query, "done");
    render(req, 200, http_kv_get(query, "month"),
           done != NULL && strcmp(done, "sent") == 0 ? "The payout is recorded as sent." : NULL, NULL);
}

void web_page_staff_payout_post(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    if (!account_has_role(&user, ROLE_STAFF)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "There is nothing at this address");
        return;
    }
    const char *org = http_form(req, "organization_id"), *month = http_form(req, "month");
    char checked[8];
    if (org == NULL || org[0] == '\0' || strlen(org) > ID_MAX_BYTES || month == NULL || !month_or_last(month, checked)) {
        render(req, 400, NULL, NULL, "Choose a host and a month from the table.");
        return;
    }
    struct store_payout p;
    struct error err = {0};
    if (money_payout_mark_sent(req->db, &req->arena, &user, org, checked, "", &p, &err) != 0) {
        if (err.code == ERR_UNAVAILABLE) {
            http_reply_problem(req, &err);
            return;
        }
        render(req, error_status(err.code), checked, NULL, err.detail != NULL ? err.detail : error_title(err.code));
        return;
    }
    char location[96];
    snprintf(location, sizeof(location), "/staff/payouts?month=%s&done=sent", checked);
    http_redirect(req, location);
}
