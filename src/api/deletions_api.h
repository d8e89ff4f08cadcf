/* deletions_api.h — the endpoints of account deletion requests
 * (domain/deletions.h) and their one JSON writer. */
#ifndef ROUNDS_API_DELETIONS_API_H
#define ROUNDS_API_DELETIONS_API_H

#include "api/api.h"
#include "domain/deletions.h"

/* {id, state, requested_at, due_at, cancelled_at, completed_at, completed_by,
 *  age_days[, user:{id, name, email}] } — the person only for staff. */
void api_write_deletion_request(struct buf *b, const struct store_deletion_request *r, bool with_user);

void api_me_deletion_request_get(struct http_request *req);
void api_me_deletion_request_post(struct http_request *req);
void api_me_deletion_request_delete(struct http_request *req);
extern const char *const api_deletion_requests_params[];
void api_deletion_requests_get(struct http_request *req);
void api_deletion_request_get(struct http_request *req);
void api_deletion_request_complete(struct http_request *req);

#endif
