/* school_student_action.c — POST /api/v1/schools/{id}/students/{student_id}/
 * {approve|refuse} {note?} (the school's coordinators, staff) → 200 the link:
 * a student's request to join becomes active or refused (the note says why);
 * 404 for a school the caller does not manage, no waiting request, or another
 * action. */
#include <string.h>

#include "api/schools_api.h"
#include "api/request_specs.h"
#include "lib/limits.h"

struct decide_body {
    const char *note;
};

const struct json_field api_school_student_action_spec[] = {
    JSON_TEXT(struct decide_body, note, JSON_OPTIONAL, 0, SCHOOL_NOTE_MAX_CHARS),
    {0},
};

void api_school_student_action(struct http_request *req)
{
    const char *action = http_param(req, "action");
    bool approve = strcmp(action, "approve") == 0;
    if (!approve && strcmp(action, "refuse") != 0) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "there is no such action");
        return;
    }
    struct store_user user;
    struct decide_body body = {0};
    if (api_current_user(req, &user) != 0 || (req->body_len > 0 && api_parse_body(req, api_school_student_action_spec, &body, NULL) != 0))
        return;
    struct store_school_student link;
    struct error err = {0};
    if (school_decide(req->db, &req->arena, &user, http_param(req, "id"), http_param(req, "student_id"), approve,
                      body.note, &link, &err) != 0) {
        api_school_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    api_write_school_link(&b, &link);
    http_reply_json(req, 200, &b);
}
