/* rotation_json.c — the JSON shapes of coaches and the hours log, and the
 * hours fields every hours body shares. */
#include "api/rotation_api.h"
#include "api/request_specs.h"
#include "lib/limits.h"

void api_write_coach(struct buf *b, const struct store_coach *coach)
{
    buf_append_str(b, "{\"id\":");
    buf_append_json_string(b, coach->id);
    buf_append_str(b, ",\"name\":");
    buf_append_json_string(b, coach->name);
    buf_append_str(b, ",\"email\":");
    buf_append_json_string(b, coach->email);
    buf_appendf(b, ",\"active_students\":%lld}", (long long)coach->active_students);
}

void api_write_hours(struct buf *b, int64_t minutes)
{
    int64_t hundredths = minutes * 100 / 60;
    buf_appendf(b, "%lld", (long long)(hundredths / 100));
    if (hundredths % 100 != 0)
        buf_appendf(b, ".%02lld", (long long)(hundredths % 100));
}

void api_write_hours_entry(struct buf *b, const struct store_hours_entry *e)
{
    buf_append_str(b, "{\"id\":");
    buf_append_json_string(b, e->id);
    buf_append_str(b, ",\"application_id\":");
    buf_append_json_string(b, e->application_id);
    buf_append_str(b, ",\"date\":");
    buf_append_json_string(b, e->day);
    buf_append_str(b, ",\"hours\":");
    api_write_hours(b, e->minutes);
    buf_append_str(b, ",\"setting\":");
    buf_append_json_string(b, e->setting);
    buf_append_str(b, ",\"activities\":");
    buf_append_json_string(b, e->activities);
    buf_appendf(b, ",\"patients_seen\":%lld,\"state\":", (long long)e->patients_seen);
    buf_append_json_string(b, e->state);
    buf_append_str(b, ",\"review_note\":");
    buf_append_json_string(b, e->review_note);
    api_write_instant(b, "reviewed_at", e->reviewed_at);
    api_write_instant(b, "created_at", e->created_at);
    api_write_instant(b, "updated_at", e->updated_at);
    buf_append_char(b, '}');
}

void api_write_hours_log(struct buf *b, const struct hours_log *log)
{
    buf_append_str(b, "{\"application_id\":");
    buf_append_json_string(b, log->application.id);
    buf_append_str(b, ",\"status\":");
    buf_append_json_string(b, log->application.status);
    buf_appendf(b, ",\"start\":\"%s\",\"end\":\"%s\",\"open_until\":\"%s\",\"open\":%s", log->application.block_start,
                log->application.block_end, log->open_until, log->open ? "true" : "false");
    buf_append_str(b, ",\"items\":[");
    for (size_t i = 0; i < log->count; i++) {
        if (i > 0)
            buf_append_char(b, ',');
        api_write_hours_entry(b, &log->entries[i]);
    }
    buf_append_str(b, "],\"totals\":{\"confirmed_hours\":");
    api_write_hours(b, log->confirmed_minutes);
    buf_append_str(b, ",\"waiting_hours\":");
    api_write_hours(b, log->waiting_minutes);
    buf_append_str(b, ",\"confirmed_by_setting\":{");
    for (int s = 0; s < HOURS_SETTING_COUNT; s++) {
        buf_appendf(b, "%s\"%s\":", s > 0 ? "," : "", hours_setting_name((enum hours_setting)s));
        api_write_hours(b, log->confirmed_minutes_by_setting[s]);
    }
    buf_append_str(b, "}}}");
}

const struct json_field api_hours_spec[] = {
    JSON_DATE(struct api_hours_body, date, JSON_REQUIRED),
    JSON_HUNDREDTHS(struct api_hours_body, hours, JSON_REQUIRED, 1, HOURS_FIELD_MAX_HUNDREDTHS),
    JSON_ENUM(struct api_hours_body, setting, JSON_REQUIRED, hours_setting_names),
    JSON_TEXT(struct api_hours_body, activities, JSON_OPTIONAL, 0, HOURS_ACTIVITIES_MAX_CHARS),
    JSON_INT(struct api_hours_body, patients_seen, JSON_OPTIONAL, 0, HOURS_PATIENTS_MAX),
    {0},
};

int api_hours_input(struct http_request *req, const struct api_hours_body *body, struct hours_input *in)
{
    if (body->hours % 25 != 0) {
        http_reply_error(req, ERR_VALIDATION_FAILED, "hours", "give the hours in quarter hours (7.25, 7.5, 7.75)");
        return -1;
    }
    *in = (struct hours_input){.date = body->date,
                               .minutes = body->hours * 60 / 100,
                               .setting = body->setting,
                               .activities = body->activities,
                               .patients_seen = body->patients_seen};
    return 0;
}
