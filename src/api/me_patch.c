/* me_patch.c — PATCH /api/v1/me: the student profile and the user's time
 * zone. Only the fields sent change; null clears a field. A time zone must
 * name a zone of the tz database (a file under /usr/share/zoneinfo). */
#include "api/api.h"
#include "api/request_specs.h"
#include "domain/accounts.h"
#include "lib/limits.h"
#include "lib/tz.h"

struct profile_body {
    const char *name, *school, *country, *status, *visa_kind, *step1, *ecfmg_status, *english_proof;
    int64_t graduation_year, step2ck_score;
    const char *time_zone;
};

const struct json_field api_me_patch_spec[] = {
    JSON_STRING(struct profile_body, school, JSON_NULLABLE, 1, SCHOOL_MAX_CHARS),
    JSON_STRING(struct profile_body, country, JSON_NULLABLE, 1, COUNTRY_MAX_CHARS),
    JSON_ENUM(struct profile_body, status, JSON_NULLABLE, student_status_names),
    JSON_INT(struct profile_body, graduation_year, JSON_NULLABLE, GRADUATION_YEAR_MIN, GRADUATION_YEAR_MAX),
    JSON_ENUM(struct profile_body, visa_kind, JSON_NULLABLE, visa_kind_names),
    JSON_ENUM(struct profile_body, step1, JSON_NULLABLE, step1_result_names),
    JSON_INT(struct profile_body, step2ck_score, JSON_NULLABLE, STEP2CK_SCORE_MIN, STEP2CK_SCORE_MAX),
    JSON_ENUM(struct profile_body, ecfmg_status, JSON_NULLABLE, ecfmg_status_names),
    JSON_ENUM(struct profile_body, english_proof, JSON_NULLABLE, english_proof_names),
    JSON_STRING(struct profile_body, time_zone, JSON_NULLABLE, 1, TZ_NAME_MAX_BYTES),
    {0},
};

/* Overwrites *field when the body named it (null clears it). */
static void merge_string(const struct json_presence *p, const char *name, const char *value, const char **field)
{
    if (json_presence_has(api_me_patch_spec, p, name))
        *field = value;
}

void api_me_patch(struct http_request *req)
{
    struct profile_body body = {0};
    struct json_presence presence;
    struct store_user user;
    if (api_parse_body(req, api_me_patch_spec, &body, &presence) != 0 || api_current_user(req, &user) != 0)
        return;
    struct store_profile *p = &user.profile;
    merge_string(&presence, "school", body.school, &p->school);
    merge_string(&presence, "country", body.country, &p->country);
    merge_string(&presence, "status", body.status, &p->status);
    merge_string(&presence, "visa_kind", body.visa_kind, &p->visa_kind);
    merge_string(&presence, "step1", body.step1, &p->step1);
    merge_string(&presence, "ecfmg_status", body.ecfmg_status, &p->ecfmg_status);
    merge_string(&presence, "english_proof", body.english_proof, &p->english_proof);
    if (json_presence_has(api_me_patch_spec, &presence, "graduation_year"))
        p->graduation_year = body.graduation_year; /* 0 (null) clears it */
    if (json_presence_has(api_me_patch_spec, &presence, "step2ck_score"))
        p->step2ck_score = (presence.null >> 6) & 1 ? -1 : body.step2ck_score;
    bool set_time_zone = json_presence_has(api_me_patch_spec, &presence, "time_zone");
    if (set_time_zone && body.time_zone != NULL && !tz_exists(body.time_zone)) {
        http_reply_error(req, ERR_VALIDATION_FAILED, "time_zone",
                         "is not a time zone of the tz database, such as \"Asia/Kolkata\"");
        return;
    }
    if (account_save_profile(req->db, user.id, p, set_time_zone, body.time_zone) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    req->auth.user = NULL; /* read the profile back from the database */
    api_me_get(req);
}
