/* teaching_get.c — GET /api/v1/me/teaching?year= (a preceptor; this year by
 * default) → the teaching record: {year, preceptor:{name,npi,specialty},
 * rotations, students, weeks, confirmed_hours, evaluations, reviews:{count,
 * average}, certificate: the year's teaching certificate or null,
 * certificate_available}. 403 for other roles, 422 naming a year outside
 * 2000 … this year. */
#include <errno.h>
#include <stdlib.h>

#include "api/certificates_api.h"
#include "domain/teaching.h"
#include "lib/clock.h"
#include "lib/limits.h"

const char *const api_teaching_params[] = {"year", NULL};

/* The year asked for (this year when absent); -1 when it is not a number. */
int api_teaching_year(const char *text)
{
    if (text == NULL) {
        char today[11];
        clock_today(today);
        return (int)strtol(today, NULL, 10);
    }
    if (text[0] < '0' || text[0] > '9')
        return -1;
    errno = 0;
    char *end = NULL;
    long y = strtol(text, &end, 10);
    return errno != 0 || end == NULL || *end != '\0' || y > 9999 ? -1 : (int)y;
}

void api_teaching_get(struct http_request *req)
{
    struct store_user user;
    struct http_kv_list *query;
    if (api_current_user(req, &user) != 0 || http_query(req, &query) != 0)
        return;
    struct teaching_record t;
    struct error err = {0};
    if (teaching_record_load(req->db, &req->arena, &user, api_teaching_year(http_kv_get(query, "year")), &t, &err) !=
        0) {
        http_reply_problem(req, &err);
        return;
    }
    char hours[32];
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_DETAIL);
    buf_appendf(&b, "{\"year\":%d,\"preceptor\":{\"name\":", t.year);
    buf_append_json_string(&b, t.totals.preceptor_name != NULL ? t.totals.preceptor_name : user.name);
    buf_append_str(&b, ",\"npi\":");
    buf_append_json_string(&b, t.totals.preceptor_npi != NULL ? t.totals.preceptor_npi : "");
    buf_append_str(&b, ",\"specialty\":");
    buf_append_json_string(&b, t.totals.specialty != NULL ? t.totals.specialty : "");
    buf_appendf(&b, "},\"rotations\":%lld,\"students\":%lld,\"weeks\":%lld,\"confirmed_hours\":%s,"
                    "\"evaluations\":%lld,\"reviews\":{\"count\":%lld,\"average\":",
                (long long)t.totals.rotations, (long long)t.totals.students, (long long)t.totals.weeks,
                certificate_hours_text(t.totals.confirmed_minutes, hours, sizeof(hours)),
                (long long)t.totals.evaluations, (long long)t.totals.reviews);
    if (t.totals.reviews > 0)
        buf_appendf(&b, "%lld.%lld", (long long)(t.review_average_tenths / 10),
                    (long long)(t.review_average_tenths % 10));
    else
        buf_append_str(&b, "null");
    buf_append_str(&b, "},\"certificate\":");
    if (t.issued)
        api_write_certificate(&b, &req->arena, &t.certificate);
    else
        buf_append_str(&b, "null");
    buf_appendf(&b, ",\"certificate_available\":%s}",
                t.year_over && t.totals.rotations > 0 ? "true" : "false");
    http_reply_json(req, 200, &b);
}
