/* alerts_api.h — the endpoints of saved searches, favourites and waitlists,
 * and their JSON. */
#ifndef ROUNDS_API_ALERTS_API_H
#define ROUNDS_API_ALERTS_API_H

#include "api/api.h"
#include "store/alerts.h"
#include "store/waitlist.h"

/* {"id","name","filters":{…},"email_alerts","search_link","created_at"} */
void api_write_saved_search(struct buf *b, struct arena *arena, const struct store_saved_search *s);
/* {"id","block_id","offering_id","offering_title","start","end","position","ahead","status",
 *  "application_id","student":{"id","name"} (student only for hosts)} */
void api_write_waitlist_entry(struct buf *b, const struct store_waitlist_entry *e, bool with_student);

void api_saved_searches_post(struct http_request *req);
void api_saved_searches_get(struct http_request *req);
void api_saved_search_delete(struct http_request *req);
void api_favourites_get(struct http_request *req);
void api_favourite_put(struct http_request *req);
void api_favourite_delete(struct http_request *req);
void api_waitlist_post(struct http_request *req);
void api_waitlist_delete(struct http_request *req);
void api_waitlist_get(struct http_request *req);
void api_waitlist_mine(struct http_request *req);

#endif
