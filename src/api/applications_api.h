/* applications_api.h — the endpoints of applications and bookings,
 * notifications, the audit trail, and the test hooks (one file each). */
#ifndef ROUNDS_API_APPLICATIONS_API_H
#define ROUNDS_API_APPLICATIONS_API_H

#include "api/api.h"
#include "store/applications.h"

/* Idempotency-Key: returns 1 when the request was answered already (a
 * replay, or a refusal), else 0 with *key set when the client sent one. */
int api_idempotency_begin(struct http_request *req, const char **key);
void api_idempotent_reply(struct http_request *req, const char *key, int status, const struct buf *json);
void api_idempotent_problem(struct http_request *req, const char *key, const struct error *err);

/* The application as JSON; with its history when events is not NULL. */
void api_write_application(struct buf *b, const struct store_application *a,
                           const struct store_application_event *events, size_t event_count);

extern const char *const api_applications_list_params[];
extern const char *const api_audit_params[];

void api_applications_post(struct http_request *req);
void api_applications_list(struct http_request *req);
void api_application_get(struct http_request *req);
void api_application_action(struct http_request *req);
void api_notifications_list(struct http_request *req);
void api_notification_read(struct http_request *req);
void api_notifications_read_all(struct http_request *req);
void api_audit_list(struct http_request *req);
void api_test_clock(struct http_request *req);
void api_test_jobs(struct http_request *req);

#endif
