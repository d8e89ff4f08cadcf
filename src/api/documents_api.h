/* documents_api.h — the endpoints of the document wallet, compliance and
 * requirements (one file each). */
#ifndef ROUNDS_API_DOCUMENTS_API_H
#define ROUNDS_API_DOCUMENTS_API_H

#include "api/api.h"
#include "domain/documents.h"

/* The document as JSON (never the blob address); with its older versions when history is not NULL. */
void api_write_document(struct buf *b, const struct store_document *d, const struct store_document *history,
                        size_t history_count);
void api_write_requirement(struct buf *b, const struct store_requirement *r);


extern const char *const api_documents_list_params[];
extern const char *const api_document_file_params[];
extern const char *const api_requirements_list_params[];

void api_documents_post(struct http_request *req);
void api_documents_list(struct http_request *req);
void api_document_get(struct http_request *req);
void api_document_file(struct http_request *req);
void api_document_delete(struct http_request *req);
void api_document_verify(struct http_request *req);
void api_document_reject(struct http_request *req);
void api_application_compliance(struct http_request *req);
void api_application_documents_post(struct http_request *req);
void api_requirements_list(struct http_request *req);
void api_requirements_post(struct http_request *req);
void api_requirement_delete(struct http_request *req);

#endif
