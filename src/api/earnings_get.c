/* earnings_get.c — GET /api/v1/earnings?month=YYYY-MM&organization_id=: a
 * host's earnings that month (its coordinators; staff for any host): what
 * became payable, each line with its student and rotation, and the payout.
 * Without organization_id, the caller's first host. Another host's → 404. */
#include <stdio.h>
#include <string.h>

#include "api/money_api.h"
#include "lib/clock.h"

const char *const api_earnings_params[] = {"month", "organization_id", NULL};

void api_earnings_get(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    const char *month = NULL, *organization_id = NULL, *orgs = NULL;
    if (api_month_param(req, false, &month) != 0 || api_query_param(req, "organization_id", &organization_id) != 0 ||
        api_managed_organizations(req, &user, organization_id, &orgs) != 0)
        return;
    if (orgs == NULL || orgs[0] == '\0') {
        http_reply_error(req, ERR_VALIDATION_FAILED, "organization_id", "say which host (staff see every host)");
        return;
    }
    char first[65];
    snprintf(first, sizeof(first), "%.*s", (int)strcspn(orgs, ","), orgs);
    struct store_host_month *months;
    struct store_earning_line *lines;
    size_t nm = 0, nl = 0;
    if (store_host_months(req->db, &req->arena, month, first, &months, &nm) != DB_OK ||
        store_host_earning_lines(req->db, &req->arena, first, month, &lines, &nl) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, 512 * 1024);
    buf_append_str(&b, "{\"organization_id\":");
    buf_append_json_string(&b, first);
    buf_appendf(&b, ",\"month\":\"%s\",\"currency\":\"USD\",\"earned_cents\":%lld,\"paid_out_cents\":%lld,\"lines\":[",
                month, (long long)(nm > 0 ? months[0].earned_cents : 0),
                (long long)(nm > 0 ? months[0].paid_out_cents : 0));
    for (size_t i = 0; i < nl; i++) {
        buf_append_str(&b, i > 0 ? ",{\"kind\":" : "{\"kind\":");
        buf_append_json_string(&b, lines[i].kind);
        buf_appendf(&b, ",\"amount_cents\":%lld,\"effective_on\":", (long long)lines[i].amount_cents);
        buf_append_json_string(&b, lines[i].effective_on);
        buf_append_str(&b, ",\"application_id\":");
        buf_append_json_string(&b, lines[i].application_id);
        buf_append_str(&b, ",\"student\":");
        buf_append_json_string(&b, lines[i].student_name);
        buf_append_str(&b, ",\"offering\":");
        buf_append_json_string(&b, lines[i].offering_title);
        buf_append_char(&b, '}');
    }
    buf_append_str(&b, "]}");
    http_reply_json(req, 200, &b);
}
