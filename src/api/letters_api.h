/* letters_api.h — the endpoints of letters of recommendation and Match
 * readiness (one file each). */
#ifndef ROUNDS_API_LETTERS_API_H
#define ROUNDS_API_LETTERS_API_H

#include "api/api.h"
#include "domain/letters.h"
#include "domain/readiness.h"

/* The letter as JSON as the viewer may see it (never the file, never the token). */
void api_write_letter(struct buf *b, const struct store_letter *l);

extern const char *const api_letters_list_params[];

/* The same, with "role" ("student", "author", "staff") when role is not NULL (lists). */
void api_write_letter_as(struct buf *b, const struct store_letter *l, const char *role);
/* Replies with a domain error (503 when the domain set none). */
void api_letter_problem(struct http_request *req, const struct error *err);
/* Who acts on a letter route open to invitation links: the signed-in user
 * (loaded into *user), else the invitation token (the X-Invitation-Token
 * header, else form_token), else 401. A token that cannot be one answers 404.
 * Returns -1 after replying. */
int api_letter_actor(struct http_request *req, const char *form_token, struct store_user *user,
                     struct letter_actor *actor);

void api_letters_post(struct http_request *req);
void api_letters_list(struct http_request *req);
void api_letter_get(struct http_request *req);
void api_letter_patch(struct http_request *req); /* eras_letter_id, waived (never back to false) */
void api_letter_action(struct http_request *req);   /* accept, decline, delivered */
void api_letter_upload(struct http_request *req);
void api_letter_file(struct http_request *req);
void api_letter_author(struct http_request *req);  /* staff confirm who wrote a letter asked by name and email */
void api_me_readiness(struct http_request *req);
void api_readiness_targets_put(struct http_request *req);

#endif
