/* metrics_server.h — GET /metrics on ROUNDS_METRICS_LISTEN (see metrics_server.c). */
#ifndef ROUNDS_HTTP_METRICS_SERVER_H
#define ROUNDS_HTTP_METRICS_SERVER_H

#include "http/server.h"

/* Listens on options->metrics_host:metrics_port (nothing when metrics_host is
 * NULL) and serves from a thread of its own. Returns 0, or -1 when it cannot listen. */
int http_metrics_start(const struct http_options *options);
void http_metrics_stop(void);

#endif
