/* school_invitations_post.c — POST /api/v1/schools/{id}/invitations {csv}
 * (its coordinators, staff) → 200 {lines, invited, already, held, held_lines,
 * problems}: every good row of the CSV ("name,email,graduation_year") is
 * invited by email, unless the address belongs to an account that has not
 * confirmed it (held: emailed when the address is confirmed, listed); every
 * bad one reported with its line; 404 for a school the caller does not
 * manage; 400 / 413 for a file refused as a whole; 422 with the problems
 * (nothing stored or sent) when no line can be used; 429 with Retry-After
 * (nobody invited, nothing held) above the school's daily limit of
 * invitations. */
#include <string.h>

#include "api/schools_api.h"
#include "api/request_specs.h"
#include "lib/limits.h"

struct invitations_body {
    const char *csv;
};

const struct json_field api_school_invitations_post_spec[] = {
    JSON_TEXT(struct invitations_body, csv, JSON_REQUIRED, 1, SCHOOL_INVITE_MAX_BYTES),
    {0},
};

void api_school_invitations_post(struct http_request *req)
{
    struct store_user user;
    struct invitations_body body = {0};
    if (api_current_user(req, &user) != 0 || api_parse_body(req, api_school_invitations_post_spec, &body, NULL) != 0)
        return;
    struct school_invite_report report;
    struct error err = {0};
    if (school_invite_csv(req->db, &req->arena, &user, http_param(req, "id"), body.csv, strlen(body.csv), &report,
                          &err) != 0) {
        if (err.field != NULL && strcmp(err.field, "file") == 0)
            err.field = "csv";
        if (err.code == ERR_RATE_LIMITED)
            http_retry_after(req, report.retry_after);
        if (err.code == ERR_INVITE_NO_USABLE_LINE) {
            struct buf problems;
            buf_init(&problems, &req->arena, BUF_CAP_LIST);
            api_write_invite_problems(&problems, &report.csv);
            http_reply_problem_with(req, &err, buf_ok(&problems) ? problems.data : NULL);
            return;
        }
        api_school_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    api_write_invite_report(&b, &report);
    http_reply_json(req, 200, &b);
}
