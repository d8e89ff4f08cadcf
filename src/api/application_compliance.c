/* application_compliance.c — GET /api/v1/applications/{id}/compliance:
 * each onboarding requirement of the application's offering (its host's
 * rules, the offering's own and the kinds it lists) with its state
 * (missing, pending, rejected, expired, expiring, ok), a sentence saying
 * why, and the document that meets it — embedded only when the caller may
 * see that document. 404 for whoever may not see the application. */
#include <string.h>

#include "api/documents_api.h"
#include "domain/accounts.h"
#include "domain/applications.h"
#include "lib/limits.h"

/* Whether the caller may see the document the engine picked: its student and
 * staff always; a host by the domain's rule (through an application of the
 * student's that has it attached, or a booked one whose rules ask for it). */
static int may_see(struct http_request *req, const struct store_user *user, const struct store_document *d,
                   bool *may)
{
    *may = strcmp(d->student_id, user->id) == 0 || account_has_role(user, ROLE_STAFF);
    if (*may)
        return 0;
    struct store_document visible;
    struct error err = {0};
    if (document_get_visible(req->db, &req->arena, d->id, user, &visible, &err) == 0)
        *may = true;
    return err.code == ERR_UNAVAILABLE || err.code == ERR_INTERNAL ? -1 : 0;
}

void api_application_compliance(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    const char *id = http_param(req, "id");
    struct store_application a = {0};
    struct error err = {0};
    if (application_get_visible(req->db, &req->arena, api_id_valid(id) ? id : NULL, &user, "compliance", &a, &err) !=
        0) {
        http_reply_problem(req, &err);
        return;
    }
    struct compliance c = {0};
    if (compliance_for_application(req->db, &req->arena, &a, &c) != 0) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_PAGE);
    buf_append_str(&b, "{\"application_id\":");
    buf_append_json_string(&b, a.id);
    buf_append_str(&b, ",\"status\":");
    buf_append_json_string(&b, a.status);
    buf_append_str(&b, ",\"start\":");
    buf_append_json_string(&b, c.start != NULL ? c.start : a.block_start);
    buf_append_str(&b, ",\"end\":");
    buf_append_json_string(&b, c.end != NULL ? c.end : a.block_end);
    buf_appendf(&b, ",\"all_ok\":%s,\"items\":[", c.all_ok ? "true" : "false");
    for (size_t i = 0; i < c.count; i++) {
        const struct compliance_item *item = &c.items[i];
        buf_append_str(&b, i > 0 ? ",{\"kind\":" : "{\"kind\":");
        buf_append_json_string(&b, item->rule.kind);
        buf_append_str(&b, ",\"kind_name\":");
        buf_append_json_string(&b, document_kind_name(item->rule.kind));
        buf_append_str(&b, ",\"source\":");
        buf_append_json_string(&b, requirement_source_name(item->rule.source));
        buf_append_str(&b, ",\"requirement_id\":");
        buf_append_json_string(&b, item->rule.requirement_id);
        if (item->rule.issued_within_days > 0)
            buf_appendf(&b, ",\"issued_within_days\":%lld", (long long)item->rule.issued_within_days);
        else
            buf_append_str(&b, ",\"issued_within_days\":null");
        buf_append_str(&b, ",\"state\":");
        buf_append_json_string(&b, compliance_state_name(item->state));
        buf_append_str(&b, ",\"detail\":");
        buf_append_json_string(&b, item->detail);
        buf_append_str(&b, ",\"document\":");
        bool may = false;
        if (item->document != NULL && may_see(req, &user, item->document, &may) != 0) {
            http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
            return;
        }
        if (may)
            api_write_document(&b, item->document, NULL, 0);
        else
            buf_append_str(&b, "null");
        buf_append_char(&b, '}');
    }
    buf_append_str(&b, "]}");
    http_reply_json(req, 200, &b);
}
