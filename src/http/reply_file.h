/* reply_file.h — a stored file sent as it is read (a document opened a few
 * chunks at a time from its sealed file), rather than whole from memory. */
#ifndef ROUNDS_HTTP_REPLY_FILE_H
#define ROUNDS_HTTP_REPLY_FILE_H

#include <stdbool.h>

#include "http/request.h"
#include "lib/byte_source.h"

/* http_reply_file (the same headers, log line and metrics) with the body
 * taken from file as it is sent: at most a piece of it in memory at a time.
 * The reply takes file over (and leaves *file empty): it is closed once sent,
 * when the client leaves, or at once when the reply cannot be made. When the
 * file fails after its headers went out, the connection is closed short of
 * its Content-Length (the client sees an incomplete download, never other
 * bytes) and the failure is logged. A request that runs off its loop (the
 * database pool) is answered with the whole file read first. */
void http_reply_file_stream(struct http_request *req, const char *media_type, const char *file_name,
                            bool inline_view, struct byte_source *file);

#endif
