/* match_rounds_api.h — the endpoints of schools' match rounds (one file each)
 * and the JSON they share. */
#ifndef ROUNDS_API_MATCH_ROUNDS_API_H
#define ROUNDS_API_MATCH_ROUNDS_API_H

#include "api/api.h"
#include "domain/match_rounds.h"

/* The round as JSON for a caller holding roles (enum match_round_role bits):
 * the coordinator sees the cohort and every block; a student their own rank
 * list and, once published, their result; a host its blocks and who ranked them. */
int api_write_match_round(struct http_request *req, struct buf *b, const struct store_match_round *round,
                          unsigned roles, const struct store_user *user);
void api_match_round_problem(struct http_request *req, const struct error *err);

extern const char *const api_match_rounds_list_params[];

void api_match_rounds_post(struct http_request *req);        /* POST /api/v1/match-rounds */
void api_match_rounds_get(struct http_request *req);         /* GET /api/v1/match-rounds */
void api_match_round_get(struct http_request *req);          /* GET /api/v1/match-rounds/{id} */
void api_match_round_block_post(struct http_request *req);   /* POST /api/v1/match-rounds/{id}/blocks */
void api_match_round_block_delete(struct http_request *req); /* DELETE …/blocks/{block_id} */
void api_match_round_ranking_put(struct http_request *req);  /* PUT …/ranking (a student) */
void api_match_round_host_ranking_put(struct http_request *req); /* PUT …/blocks/{block_id}/ranking (a host) */
void api_match_round_action(struct http_request *req);       /* POST …/{open|run|publish|cancel} */
void api_match_round_instance(struct http_request *req);     /* GET …/instance */

#endif
