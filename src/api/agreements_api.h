/* agreements_api.h — the endpoints of affiliation agreements between hosts
 * and schools (one file each) and the JSON they share. */
#ifndef ROUNDS_API_AGREEMENTS_API_H
#define ROUNDS_API_AGREEMENTS_API_H

#include "api/api.h"
#include "domain/agreements.h"

/* {"id","host":{"id","name"},"school":{"id","name"},"start_date","end_date","status","status_label",
 *  "proposed_side","proposed_by":{"id","name"},"signed_file":{"bytes","url"}|null,"termination_reason",…} */
void api_write_agreement(struct buf *b, const struct store_agreement *a);

void api_agreements_get(struct http_request *req);      /* GET /api/v1/agreements */
void api_agreements_post(struct http_request *req);     /* POST /api/v1/agreements */
void api_agreement_get(struct http_request *req);       /* GET /api/v1/agreements/{id} */
void api_agreement_activate(struct http_request *req);  /* POST /api/v1/agreements/{id}/activate (multipart: file) */
void api_agreement_terminate(struct http_request *req); /* POST /api/v1/agreements/{id}/terminate {reason} */
void api_agreement_file(struct http_request *req);      /* GET /api/v1/agreements/{id}/file */

#endif
