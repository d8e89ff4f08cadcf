/* rotation_api.h — the endpoints of the rotation itself (one file each):
 * coaches and their dashboard, the hours log, and what they write. */
#ifndef ROUNDS_API_ROTATION_API_H
#define ROUNDS_API_ROTATION_API_H

#include "api/api.h"
#include "domain/coaches.h"
#include "domain/hours.h"

/* {"id","name","email","active_students"} */
void api_write_coach(struct buf *b, const struct store_coach *coach);
/* One entry of the hours log, hours as a number ("hours":7.5). */
void api_write_hours_entry(struct buf *b, const struct store_hours_entry *e);
/* The log with its totals (confirmed hours by setting, waiting hours). */
void api_write_hours_log(struct buf *b, const struct hours_log *log);
/* Minutes as hours with up to two decimals: 450 → 7.5. */
void api_write_hours(struct buf *b, int64_t minutes);

/* The hours fields of a body: date, hours (hundredths), setting, activities, patients_seen. */
struct api_hours_body {
    const char *date, *setting, *activities;
    int64_t hours, patients_seen;
};
extern const struct json_field api_hours_spec[];
/* The domain's input from a parsed body; hours in quarter hours (400 naming hours otherwise, -1 after replying). */
int api_hours_input(struct http_request *req, const struct api_hours_body *body, struct hours_input *in);

extern const char *const api_coach_dashboard_params[];

void api_coach_dashboard(struct http_request *req);
void api_coaches_get(struct http_request *req);
void api_student_coach_put(struct http_request *req);
void api_hours_list(struct http_request *req);
void api_hours_post(struct http_request *req);
void api_hours_patch(struct http_request *req);
void api_hours_review(struct http_request *req);
void api_hours_confirm_week(struct http_request *req);

#endif
