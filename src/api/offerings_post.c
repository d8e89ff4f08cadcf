/* offerings_post.c — POST /api/v1/offerings (a coordinator of
 * organization_id, or staff) → 201 the offering as GET /api/v1/offerings/{id}
 * shows it. The site and preceptor must belong to that host. Optional fields
 * take defaults: 40 hours a week, no fees, no deposit (the full price books),
 * the balance due 45 days before the start, the default refund policy,
 * students and graduates of any visa kind, status published. */
#include "api/api.h"
#include "domain/catalog.h"
#include "lib/limits.h"
#include "domain/money.h"

/* Fields a creation must carry, in the order they are reported missing. */
static const char *const required_fields[] = {"site_id", "preceptor_id", "title", "specialty", "kind",
                                              "setting", "weeks", "tuition_cents", NULL};

void api_offerings_post(struct http_request *req)
{
    struct store_user user;
    struct api_offering_body body;
    struct json_presence presence;
    if (api_current_user(req, &user) != 0 || api_parse_offering_body(req, &body, &presence) != 0)
        return;
    if (body.organization_id == NULL) {
        http_reply_error(req, ERR_VALIDATION_FAILED, "organization_id", "is required");
        return;
    }
    if (!catalog_may_manage(&user, body.organization_id)) {
        http_reply_error(req, ERR_FORBIDDEN, "organization_id", "you do not manage this organisation");
        return;
    }
    for (const char *const *name = required_fields; *name != NULL; name++)
        if (!json_presence_has(api_offering_spec, &presence, *name)) {
            http_reply_error(req, ERR_VALIDATION_FAILED, *name, "is required");
            return;
        }
    struct store_offering o = {
        .hours_per_week = 40,
        .students_allowed = true,
        .graduates_allowed = true,
        .max_years_since_graduation = -1,
        .visa_kinds = "",
        .description = "",
        .first_day = "",
        .refund_policy = "",
        .balance_due_days = MONEY_BALANCE_DUE_DAYS_DEFAULT,
        .requirements = "",
        .status = offering_status_name(OFFERING_PUBLISHED),
    };
    if (api_apply_offering_body(req, &body, &presence, &o) != 0)
        return;
    struct error err = {0};
    if (catalog_offering_create(req->db, &req->arena, &o, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct requirement_rule *rules;
    size_t rule_count;
    if (api_offering_rules(req, &o, &rules, &rule_count) != 0)
        return;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_DETAIL);
    api_write_offering(&b, &o, NULL, 0, rules, rule_count);
    http_reply_json(req, 201, &b);
}
