/* certificates_api.h — the JSON endpoints of signed documents (one file
 * each) and the writer they share. */
#ifndef ROUNDS_API_CERTIFICATES_API_H
#define ROUNDS_API_CERTIFICATES_API_H

#include "api/api.h"
#include "domain/certificates.h"

/* {"number","kind","application_id","issued_at","revoked","revoked_at","revoke_reason",
 *  "facts":{name:value…},"pdf":"/api/v1/certificates/{number}/pdf","verify_url"} */
void api_write_certificate(struct buf *b, struct arena *arena, const struct store_certificate *c);

void api_certificate_issue(struct http_request *req);
void api_certificates_list(struct http_request *req);
void api_certificate_get(struct http_request *req);
void api_certificate_pdf(struct http_request *req);
void api_certificate_revoke(struct http_request *req);
void api_verify_get(struct http_request *req);
void api_signing_key(struct http_request *req);

/* The preceptor's teaching record and yearly certificate. */
extern const char *const api_teaching_params[];
int api_teaching_year(const char *text);
void api_teaching_get(struct http_request *req);
void api_teaching_certificate_post(struct http_request *req);

/* B-1 visa invitation letters. */
struct store_visa_letter;
void api_write_visa_letter(struct http_request *req, struct buf *b, const struct store_visa_letter *v);
void api_visa_letter_get(struct http_request *req);
void api_visa_letter_post(struct http_request *req);
void api_visa_letter_approve(struct http_request *req); /* in visa_letter_post.c */

#endif
