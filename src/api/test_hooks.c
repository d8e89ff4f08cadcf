/* test_hooks.c — endpoints that exist only when `rounds serve --test-hooks 1`
 * runs (never in production): move the clock (and stop it, {"frozen":true},
 * for tests that count seconds), and run the background jobs
 * (expiry sweeper, outbox) at once, so that tests can drive time. */
#include "api/applications_api.h"
#include "api/request_specs.h"
#include "domain/jobs.h"
#include "lib/clock.h"
#include "lib/limits.h"

struct clock_body {
    int64_t offset_seconds;
    bool frozen;
};

const struct json_field api_test_clock_spec[] = {
    JSON_INT(struct clock_body, offset_seconds, JSON_REQUIRED, -400LL * 86400, 4000LL * 86400),
    JSON_BOOL(struct clock_body, frozen, JSON_OPTIONAL),
    {0},
};

void api_test_clock(struct http_request *req)
{
    struct clock_body body = {0};
    if (api_parse_body(req, api_test_clock_spec, &body, NULL) != 0)
        return;
    clock_freeze(body.frozen);
    clock_set_offset(body.offset_seconds);
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LINE);
    char now[21];
    clock_format_rfc3339(clock_now(), now);
    buf_appendf(&b, "{\"offset_seconds\":%lld,\"now\":\"%s\"}", (long long)body.offset_seconds, now);
    http_reply_json(req, 200, &b);
}

void api_test_jobs(struct http_request *req)
{
    struct jobs_report report = {0};
    if (jobs_run_once(req->db, &req->arena, &report) != 0) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_SMALL);
    buf_appendf(&b,
                "{\"expired\":%d,\"mail_sent\":%d,\"mail_failed\":%d,\"document_reminders\":%d,"
                "\"letter_reminders\":%d,\"alert_events\":%d,\"alert_notices\":%d,\"alert_emails\":%d,"
                "\"rotations_started\":%d,\"rotations_completed\":%d,"
                "\"not_cleared_alerts\":%d,\"hours_reminders\":%d,\"check_in_prompts\":%d,\"tickets_escalated\":%d,"
                "\"evaluation_reminders\":%d,\"message_digests\":%d,\"accounts_erased\":%d,"
                "\"agreements_expired\":%d,\"agreement_reminders\":%d}",
                report.expired, report.mail_sent, report.mail_failed, report.document_reminders,
                report.letter_reminders, report.alert_events, report.alert_notices, report.alert_emails,
                report.rotations_started, report.rotations_completed, report.not_cleared_alerts,
                report.hours_reminders, report.check_in_prompts, report.tickets_escalated,
                report.evaluation_reminders, report.message_digests, report.accounts_erased,
                report.agreements_expired, report.agreement_reminders);
    http_reply_json(req, 200, &b);
}
