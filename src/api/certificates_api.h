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

#endif
