/* api.h — helpers shared by the JSON endpoints, and the endpoints themselves
 * (one file each in src/api/). */
#ifndef ROUNDS_API_API_H
#define ROUNDS_API_API_H

#include "http/request.h"
#include "lib/json_spec.h"

/* Parses the body against spec into out; on failure replies (400/…) and returns -1. */
int api_parse_body(struct http_request *req, const struct json_field *spec, void *out,
                   struct json_presence *presence);
/* Loads the signed-in user; on failure replies and returns -1. */
int api_current_user(struct http_request *req, struct store_user *user);
/* {"id":…,"email":…,"name":…,"roles":[…],"memberships":[…],"profile":{…}} */
void api_write_user(struct buf *b, const struct store_user *user);
/* Starts a session for user and replies {"user","token","csrf_token"}. */
void api_reply_signed_in(struct http_request *req, int status, const struct store_user *user);

struct catalog_hit;
/* One search result card as JSON. */
void api_write_catalog_hit(struct buf *b, const struct catalog_hit *hit);
/* An offering with its blocks as JSON (GET /api/v1/offerings/{id} and writes). */
void api_write_offering(struct buf *b, const struct store_offering *offering, const struct store_block *blocks,
                        size_t block_count);

void api_healthz(struct http_request *req);
void api_readyz(struct http_request *req);
void api_openapi(struct http_request *req);
void api_auth_register(struct http_request *req);
void api_auth_login(struct http_request *req);
void api_auth_logout(struct http_request *req);
void api_me_get(struct http_request *req);
void api_me_patch(struct http_request *req);
void api_users_post(struct http_request *req);
void api_offerings_search(struct http_request *req);
void api_offering_get(struct http_request *req);

#endif
