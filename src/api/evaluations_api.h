/* evaluations_api.h — the JSON endpoints of what follows a rotation (one
 * file each): the preceptor's evaluation and its addenda, the student's
 * confidential feedback and the host's aggregates of it, and reviews; and
 * the writers they share. */
#ifndef ROUNDS_API_EVALUATIONS_API_H
#define ROUNDS_API_EVALUATIONS_API_H

#include "api/api.h"
#include "domain/evaluations.h"

/* {"application_id","submitted":true,"evaluator":{id,name},"scores":{name:1–9|null},"strengths",
 *  "improvements","would_write_letter","submitted_at","addenda":[{id,author,body,created_at}]} */
void api_write_evaluation(struct buf *b, const struct store_evaluation *e, const struct store_addendum *addenda,
                          size_t addendum_count);
/* {"id","offering_id","ratings":{name:1–5},"body","author","verified_rotation":true,"created_at",
 *  "reply":{body,at}|null,"hidden":bool (and "hidden_reason" for staff)} */
void api_write_review(struct buf *b, const struct store_review *r, bool staff);

void api_evaluation_get(struct http_request *req);
void api_evaluation_post(struct http_request *req);
void api_evaluation_addendum_post(struct http_request *req);
void api_feedback_post(struct http_request *req);
extern const char *const api_feedback_summary_params[];
void api_feedback_summary_get(struct http_request *req);
void api_review_post(struct http_request *req);
void api_reviews_get(struct http_request *req);
void api_review_reply(struct http_request *req);
void api_review_hide(struct http_request *req);

#endif
