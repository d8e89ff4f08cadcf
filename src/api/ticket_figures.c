/* ticket_figures.c — GET /api/v1/tickets/figures?days= (staff): response
 * times of the tickets opened in the last days (30): how many, how many
 * answered, the median and 90th percentile first response in minutes and the
 * share answered within the target. */
#include <stdlib.h>

#include "api/support_api.h"
#include "domain/accounts.h"
#include "lib/limits.h"

const char *const api_ticket_figures_params[] = {"days", NULL};

static void minutes_or_null(struct buf *b, const char *key, int64_t seconds)
{
    if (seconds < 0)
        buf_appendf(b, ",\"%s\":null", key);
    else
        buf_appendf(b, ",\"%s\":%.1f", key, (double)seconds / 60.0);
}

void api_ticket_figures(struct http_request *req)
{
    struct store_user user;
    const char *days_text = NULL;
    if (api_current_user(req, &user) != 0 || api_query_param(req, "days", &days_text) != 0)
        return;
    if (!account_has_role(&user, ROLE_STAFF)) {
        http_reply_error(req, ERR_FORBIDDEN, NULL, "only staff see the figures");
        return;
    }
    long long days = 30;
    char *end = NULL;
    if (days_text != NULL &&
        ((days = strtoll(days_text, &end, 10)) < 1 || days > 3650 || end == days_text || *end != '\0')) {
        http_reply_error(req, ERR_INVALID_PARAMETER, "days", "must be a whole number of days, 1 to 3650");
        return;
    }
    struct ticket_figures f;
    if (ticket_figures(req->db, &req->arena, days, &f) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_SMALL);
    buf_appendf(&b, "{\"days\":%lld,\"tickets\":%lld,\"responded\":%lld", days, (long long)f.tickets,
                (long long)f.responded);
    minutes_or_null(&b, "median_first_response_minutes", f.median_seconds);
    minutes_or_null(&b, "p90_first_response_minutes", f.p90_seconds);
    if (f.responded > 0)
        buf_appendf(&b, ",\"within_target_share\":%.3f}", (double)f.within_target / (double)f.responded);
    else
        buf_append_str(&b, ",\"within_target_share\":null}");
    http_reply_json(req, 200, &b);
}
