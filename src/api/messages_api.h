/* messages_api.h — the endpoints of messages per rotation (one file each):
 * an application's thread, posting to it, the read marker and the unread
 * count. */
#ifndef ROUNDS_API_MESSAGES_API_H
#define ROUNDS_API_MESSAGES_API_H

#include "api/api.h"
#include "domain/messages.h"

/* Bodies are parsed up to this many characters; the domain refuses those over
 * MESSAGE_MAX_CHARS with 413 naming body (the route's body cap bounds it). */
#define API_MESSAGE_TEXT_PARSE_MAX 100000

/* One message as JSON (mine: the viewer sent it). */
void api_write_message(struct buf *b, const struct store_message *m, const char *viewer_id);

void api_messages_get(struct http_request *req);
void api_messages_post(struct http_request *req);
void api_messages_read(struct http_request *req);
void api_message_attachment(struct http_request *req);
void api_messages_unread(struct http_request *req);

#endif
