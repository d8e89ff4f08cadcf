/* common.c — body parsing, upload parts, the current user and the user's JSON shape. */
#include "api/api.h"

#include <string.h>

#include "lib/clock.h"

int api_parse_body(struct http_request *req, const struct json_field *spec, void *out, struct json_presence *presence)
{
    struct error err = {0};
    if (json_spec_parse(&req->arena, req->body, req->body_len, spec, out, presence, &err) != 0) {
        http_reply_problem(req, &err);
        return -1;
    }
    return 0;
}

static bool names_text_part(const char *const *text_parts, const char *name)
{
    for (const char *const *t = text_parts; *t != NULL; t++)
        if (strcmp(*t, name) == 0)
            return true;
    return false;
}

int api_check_parts(struct http_request *req, const char *const *text_parts)
{
    for (size_t i = 0; i < req->parts.count; i++) {
        const struct http_part *p = &req->parts.items[i];
        bool file = strcmp(p->name, "file") == 0;
        if (!file && !names_text_part(text_parts, p->name)) {
            http_reply_error(req, ERR_UNKNOWN_FIELD, p->name, "is not a part of this upload");
            return -1;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(req->parts.items[j].name, p->name) == 0) {
                http_reply_error(req, ERR_VALIDATION_FAILED, p->name, "may be given only once");
                return -1;
            }
        if (file != (p->filename != NULL)) {
            http_reply_error(req, ERR_VALIDATION_FAILED, p->name,
                             file ? "must be a file part" : "must be a text field, not a file");
            return -1;
        }
    }
    return 0;
}

int api_current_user(struct http_request *req, struct store_user *user)
{
    if (req->auth.user != NULL && req->auth.user_id != NULL && strcmp(req->auth.user->id, req->auth.user_id) == 0) {
        *user = *req->auth.user;
        return 0;
    }
    if (http_needs_db(req))
        return -1; /* on its loop (ROUTE_LOOP_SESSION): the pool looks the user up */
    int rc = store_user_by_id(req->db, &req->arena, req->auth.user_id, user);
    if (rc == DB_ROW)
        return 0;
    if (rc == DB_DONE)
        http_reply_error(req, ERR_UNAUTHENTICATED, NULL, "the account no longer exists");
    else
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
    return -1;
}

void api_write_instant(struct buf *b, const char *key, int64_t t)
{
    buf_appendf(b, ",\"%s\":", key);
    if (t <= 0) {
        buf_append_str(b, "null");
        return;
    }
    char s[21];
    clock_format_rfc3339(t, s);
    buf_appendf(b, "\"%s\"", s);
}

/* "key":"value" or "key":null; key is a literal without characters to escape. */
static void write_optional_string(struct buf *b, const char *key, const char *value)
{
    buf_append_char(b, '"');
    buf_append_str(b, key);
    buf_append_str(b, "\":");
    buf_append_json_string(b, value);
}

void api_write_user(struct buf *b, const struct store_user *user)
{
    char created[21];
    clock_format_rfc3339(user->created_at, created);
    buf_append_str(b, "{\"id\":");
    buf_append_json_string(b, user->id);
    buf_append_str(b, ",\"email\":");
    buf_append_json_string(b, user->email);
    buf_append_str(b, ",\"name\":");
    buf_append_json_string(b, user->name);
    /* Appended piece by piece, not with buf_appendf: every signed-in GET /api/v1/me writes this. */
    buf_append_str(b, ",\"created_at\":\"");
    buf_append_str(b, created);
    buf_append_str(b, user->email_confirmed_at > 0 ? "\",\"email_confirmed\":true,\"roles\":["
                                                   : "\",\"email_confirmed\":false,\"roles\":[");
    for (size_t i = 0; i < user->role_count; i++) {
        if (i > 0)
            buf_append_char(b, ',');
        buf_append_json_string(b, user->roles[i]);
    }
    buf_append_str(b, "],\"memberships\":[");
    for (size_t i = 0; i < user->membership_count; i++) {
        const struct store_membership *m = &user->memberships[i];
        buf_append_str(b, i > 0 ? ",{\"organization_id\":" : "{\"organization_id\":");
        buf_append_json_string(b, m->organization_id);
        buf_append_str(b, ",\"organization_name\":");
        buf_append_json_string(b, m->organization_name);
        buf_append_str(b, ",\"organization_kind\":");
        buf_append_json_string(b, m->organization_kind);
        buf_append_str(b, ",\"role\":");
        buf_append_json_string(b, m->role);
        buf_append_char(b, '}');
    }
    buf_append_str(b, "],");
    write_optional_string(b, "time_zone", user->time_zone);
    const struct store_profile *p = &user->profile;
    buf_append_str(b, ",\"profile\":{");
    write_optional_string(b, "school", p->school);
    buf_append_char(b, ',');
    write_optional_string(b, "country", p->country);
    buf_append_char(b, ',');
    write_optional_string(b, "status", p->status);
    buf_append_str(b, ",\"graduation_year\":");
    if (p->graduation_year > 0)
        buf_append_int(b, p->graduation_year);
    else
        buf_append_str(b, "null");
    buf_append_char(b, ',');
    write_optional_string(b, "visa_kind", p->visa_kind);
    buf_append_char(b, ',');
    write_optional_string(b, "step1", p->step1);
    buf_append_str(b, ",\"step2ck_score\":");
    if (p->step2ck_score >= 0)
        buf_append_int(b, p->step2ck_score);
    else
        buf_append_str(b, "null");
    buf_append_char(b, ',');
    write_optional_string(b, "ecfmg_status", p->ecfmg_status);
    buf_append_char(b, ',');
    write_optional_string(b, "english_proof", p->english_proof);
    buf_append_str(b, "}}");
}
