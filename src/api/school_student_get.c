/* school_student_get.c — GET /api/v1/schools/{id}/students/{student_id} (the
 * school's coordinators, staff; only while the student's link is active, 404
 * otherwise — as for another school's students) → {link, profile,
 * applications:[{id,status,status_label,offering,host,start,end,compliance,
 * hours,evaluation}], readiness:{ok_count,items}}. Compliance is each
 * requirement's state for the applications that took a seat, hours the
 * totals of a rotation under way or completed, evaluation the preceptor's
 * evaluation of a completed rotation with its addenda (null until
 * submitted); no document file, no letter content, nothing the student wrote
 * in the hours log, never the student's confidential evaluation of the
 * rotation. */
#include "api/evaluations_api.h"
#include "api/rotation_api.h"
#include "api/schools_api.h"
#include "domain/applications.h"
#include "lib/limits.h"

static void write_compliance(struct buf *b, const struct compliance *c)
{
    if (c == NULL) {
        buf_append_str(b, "null");
        return;
    }
    buf_appendf(b, "{\"all_ok\":%s,\"items\":[", c->all_ok ? "true" : "false");
    for (size_t i = 0; i < c->count; i++) {
        buf_append_str(b, i > 0 ? ",{\"kind\":" : "{\"kind\":");
        buf_append_json_string(b, c->items[i].rule.kind);
        buf_append_str(b, ",\"state\":");
        buf_append_json_string(b, compliance_state_name(c->items[i].state));
        buf_append_char(b, '}');
    }
    buf_append_str(b, "]}");
}

static void write_hours(struct buf *b, const struct school_student_hours *h)
{
    if (h == NULL) {
        buf_append_str(b, "null");
        return;
    }
    buf_append_str(b, "{\"confirmed_hours\":");
    api_write_hours(b, h->confirmed_minutes);
    buf_append_str(b, ",\"waiting_hours\":");
    api_write_hours(b, h->waiting_minutes);
    buf_appendf(b, ",\"days_confirmed\":%zu,\"days_refused\":%zu}", h->days_confirmed, h->days_refused);
}

static void write_view(struct buf *b, const struct school_student_view *v)
{
    buf_append_str(b, "{\"link\":");
    api_write_school_link(b, &v->link);
    const struct store_profile *p = &v->student.profile;
    buf_append_str(b, ",\"profile\":{\"status\":");
    buf_append_json_string(b, p->status);
    buf_append_str(b, ",\"step1\":");
    buf_append_json_string(b, p->step1);
    buf_append_str(b, ",\"ecfmg_status\":");
    buf_append_json_string(b, p->ecfmg_status);
    buf_append_str(b, "},\"applications\":[");
    for (size_t i = 0; i < v->application_count; i++) {
        const struct store_application *a = &v->applications[i];
        buf_append_str(b, i > 0 ? ",{\"id\":" : "{\"id\":");
        buf_append_json_string(b, a->id);
        buf_append_str(b, ",\"status\":");
        buf_append_json_string(b, a->status);
        buf_append_str(b, ",\"status_label\":");
        buf_append_json_string(b, application_status_label(application_status_of(a)));
        buf_append_str(b, ",\"offering\":{\"id\":");
        buf_append_json_string(b, a->offering_id);
        buf_append_str(b, ",\"title\":");
        buf_append_json_string(b, a->offering_title);
        buf_append_str(b, "},\"host\":");
        buf_append_json_string(b, a->host_name);
        buf_append_str(b, ",\"start\":");
        buf_append_json_string(b, a->block_start);
        buf_append_str(b, ",\"end\":");
        buf_append_json_string(b, a->block_end);
        buf_append_str(b, ",\"compliance\":");
        write_compliance(b, v->compliance[i]);
        buf_append_str(b, ",\"hours\":");
        write_hours(b, v->hours[i]);
        buf_append_str(b, ",\"evaluation\":");
        if (v->evaluations[i] != NULL)
            api_write_evaluation(b, &v->evaluations[i]->evaluation, v->evaluations[i]->addenda,
                                 v->evaluations[i]->addendum_count);
        else
            buf_append_str(b, "null");
        buf_append_char(b, '}');
    }
    buf_appendf(b, "],\"readiness\":{\"ok_count\":%d,\"items\":[", v->readiness.ok_count);
    for (size_t i = 0; i < v->readiness.count; i++) {
        const struct readiness_item *r = &v->readiness.items[i];
        buf_append_str(b, i > 0 ? ",{\"key\":" : "{\"key\":");
        buf_append_json_string(b, r->key);
        buf_append_str(b, ",\"title\":");
        buf_append_json_string(b, r->title);
        buf_append_str(b, ",\"state\":");
        buf_append_json_string(b, readiness_state_name(r->state));
        buf_append_str(b, ",\"summary\":");
        buf_append_json_string(b, r->summary);
        buf_append_char(b, '}');
    }
    buf_append_str(b, "]}}");
}

void api_school_student_get(struct http_request *req)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    struct school_student_view view;
    struct error err = {0};
    if (school_student_view(req->db, &req->arena, &user, http_param(req, "id"), http_param(req, "student_id"), &view,
                            &err) != 0) {
        api_school_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_DETAIL);
    write_view(&b, &view);
    http_reply_json(req, 200, &b);
}
