/* payouts_get.c — GET /api/v1/payouts?month=YYYY-MM[&format=csv] (staff):
 * what each host became owed that month (its share of rotations that started,
 * and of what the policy kept when bookings ended), what was paid out, and
 * what is still owed; as JSON, or as a CSV file for the bank. The month
 * defaults to last month (payouts are made once a month is over). */
#include <string.h>

#include <stdio.h>

#include "api/money_api.h"
#include "domain/accounts.h"
#include "lib/clock.h"

const char *const api_payouts_params[] = {"month", "format", NULL};

/* A CSV field: quoted when it holds a comma, quote or newline; a leading
 * = + - @ is prefixed with ' so that spreadsheets do not run it. */
static void csv_field(struct buf *b, const char *s)
{
    if (s == NULL)
        return;
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        buf_append_char(b, '"');
    if (strchr("=+-@", s[0]) != NULL && s[0] != '\0')
        buf_append_char(b, '\'');
    for (const char *p = s; *p != '\0'; p++) {
        if (*p == '"')
            buf_append_char(b, '"');
        buf_append_char(b, *p);
    }
    if (quote)
        buf_append_char(b, '"');
}

static void write_csv(struct buf *b, const char *month, const struct store_host_month *rows, size_t count)
{
    buf_append_str(b, "organization_id,organization,month,earned_cents,paid_out_cents,owed_cents,status,sent_at\r\n");
    for (size_t i = 0; i < count; i++) {
        const struct store_host_month *h = &rows[i];
        csv_field(b, h->organization_id);
        buf_append_char(b, ',');
        csv_field(b, h->organization_name);
        buf_appendf(b, ",%s,%lld,%lld,%lld,%s,", month, (long long)h->earned_cents, (long long)h->paid_out_cents,
                    (long long)(h->payout_id != NULL ? 0 : h->earned_cents), h->payout_id != NULL ? "sent" : "owed");
        if (h->sent_at > 0) {
            char at[21];
            clock_format_rfc3339(h->sent_at, at);
            buf_append_str(b, at);
        }
        buf_append_str(b, "\r\n");
    }
}

static void write_json(struct buf *b, const char *month, const struct store_host_month *rows, size_t count)
{
    int64_t total = 0;
    buf_appendf(b, "{\"month\":\"%s\",\"currency\":\"USD\",\"items\":[", month);
    for (size_t i = 0; i < count; i++) {
        const struct store_host_month *h = &rows[i];
        int64_t owed = h->payout_id != NULL ? 0 : h->earned_cents;
        total += owed;
        buf_append_str(b, i > 0 ? ",{\"organization_id\":" : "{\"organization_id\":");
        buf_append_json_string(b, h->organization_id);
        buf_append_str(b, ",\"organization\":");
        buf_append_json_string(b, h->organization_name);
        buf_appendf(b, ",\"earned_cents\":%lld,\"paid_out_cents\":%lld,\"owed_cents\":%lld,\"status\":\"%s\",\"sent_at\":",
                    (long long)h->earned_cents, (long long)h->paid_out_cents, (long long)owed,
                    h->payout_id != NULL ? "sent" : "owed");
        if (h->sent_at > 0) {
            char at[21];
            clock_format_rfc3339(h->sent_at, at);
            buf_appendf(b, "\"%s\"}", at);
        } else {
            buf_append_str(b, "null}");
        }
    }
    buf_appendf(b, "],\"total_owed_cents\":%lld}", (long long)total);
}

void api_payouts_get(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    if (!account_has_role(&user, ROLE_STAFF)) {
        http_reply_error(req, ERR_FORBIDDEN, NULL, "only staff see payouts");
        return;
    }
    const char *month = NULL, *format = NULL;
    if (api_month_param(req, true, &month) != 0 || api_query_param(req, "format", &format) != 0)
        return;
    if (format != NULL && strcmp(format, "csv") != 0 && strcmp(format, "json") != 0) {
        http_reply_error(req, ERR_INVALID_PARAMETER, "format", "must be json or csv");
        return;
    }
    struct store_host_month *rows;
    size_t count = 0;
    if (store_host_months(req->db, &req->arena, month, NULL, &rows, &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, 1024 * 1024);
    if (format != NULL && strcmp(format, "csv") == 0) {
        write_csv(&b, month, rows, count);
        char disposition[96];
        snprintf(disposition, sizeof(disposition), "attachment; filename=\"rounds-payouts-%s.csv\"", month);
        http_add_header(req, "Content-Disposition", disposition);
        http_reply(req, 200, "text/csv; charset=utf-8", b.data, b.len);
        return;
    }
    write_json(&b, month, rows, count);
    http_reply_json(req, 200, &b);
}
