/* schools_json.c — the JSON of schools' links and invitation reports, and
 * their error replies, and the list endpoints of invitation lines. */
#include "api/schools_api.h"
#include "lib/limits.h"

void api_write_school_link(struct buf *b, const struct store_school_student *link)
{
    enum school_link_status status = school_link_status_parse(link->status);
    buf_append_str(b, "{\"school\":{\"id\":");
    buf_append_json_string(b, link->organization_id);
    buf_append_str(b, ",\"name\":");
    buf_append_json_string(b, link->school_name);
    buf_append_str(b, "},\"student\":{\"id\":");
    buf_append_json_string(b, link->student_id);
    buf_append_str(b, ",\"name\":");
    buf_append_json_string(b, link->student_name);
    buf_append_str(b, ",\"email\":");
    buf_append_json_string(b, link->student_email);
    buf_append_str(b, "},\"status\":");
    buf_append_json_string(b, school_link_status_name(status));
    buf_append_str(b, ",\"status_label\":");
    buf_append_json_string(b, school_link_status_label(status));
    buf_append_str(b, ",\"graduation_year\":");
    if (link->graduation_year > 0)
        buf_append_int(b, link->graduation_year);
    else
        buf_append_str(b, "null");
    buf_append_str(b, ",\"note\":");
    buf_append_json_string(b, link->note != NULL ? link->note : "");
    buf_appendf(b, ",\"applications_active\":%lld,\"applications_booked\":%lld,\"updated_at\":",
                (long long)link->applications_active, (long long)link->applications_booked);
    buf_append_int(b, link->updated_at);
    buf_append_char(b, '}');
}

static void write_lines(struct buf *b, const uint32_t *lines, size_t count)
{
    buf_append_char(b, '[');
    for (size_t i = 0; i < count; i++)
        buf_appendf(b, "%s%u", i > 0 ? "," : "", lines[i]);
    buf_append_char(b, ']');
}

void api_write_invite_problems(struct buf *b, const struct school_csv *csv)
{
    buf_append_str(b, "\"problems\":[");
    for (size_t i = 0; i < csv->problem_count; i++) {
        buf_appendf(b, "%s{\"line\":%u,\"message\":", i > 0 ? "," : "", csv->problems[i].line);
        buf_append_json_string(b, csv->problems[i].message);
        buf_append_char(b, '}');
    }
    buf_append_char(b, ']');
}

void api_write_invite_report(struct buf *b, const struct school_invite_report *report)
{
    buf_appendf(b, "{\"lines\":%u,\"invited\":%zu,\"already\":", report->csv.lines, report->invited);
    write_lines(b, report->already_lines, report->already_count);
    buf_appendf(b, ",\"held\":%zu,\"held_lines\":", report->held_count);
    write_lines(b, report->held_lines, report->held_count);
    buf_append_char(b, ',');
    api_write_invite_problems(b, &report->csv);
    buf_append_char(b, '}');
}

void api_school_problem(struct http_request *req, const struct error *err)
{
    if (err == NULL || err->code == ERR_NONE) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_problem(req, err);
}

void api_school_lines_reply(struct http_request *req, const char *cursor_name, api_school_lines_page_fn page,
                            api_school_line_write_fn write)
{
    struct store_user user;
    struct api_pager pager;
    if (api_current_user(req, &user) != 0 || api_pager_start(req, &pager, cursor_name, "Nns") != 0)
        return;
    struct store_organization school;
    struct error err = {0};
    if (school_managed(req->db, &req->arena, &user, http_param(req, "id"), &school, &err) != 0) {
        api_school_problem(req, &err);
        return;
    }
    struct store_school_invitation *items = NULL;
    size_t count = 0;
    /* A page and one more, after the cursor's key, in the store. */
    struct store_school_invitation after = {.id = pager.cursor.id,
                                            .upload_seq = pager.cursor.parts[0].n,
                                            .upload_line = pager.cursor.parts[1].n};
    if (page(req->db, &req->arena, school.id, pager.has_cursor ? &after : NULL, pager.page.limit + 1, &items,
             &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    api_pager_paged_in_store(&pager);
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    buf_append_str(&b, "{\"items\":[");
    for (size_t i = 0; i < count; i++) {
        if (api_pager_take_keyed(&pager, &b, items[i].id,
                                 API_KEY({.n = items[i].upload_seq}, {.n = items[i].upload_line})))
            write(&b, &items[i]);
    }
    if (api_pager_finish(req, &pager, &b) != 0)
        return;
    http_reply_json(req, 200, &b);
}
