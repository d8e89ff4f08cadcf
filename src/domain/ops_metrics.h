/* ops_metrics.h — the gauges a metrics scrape reads from the database and the
 * catalog index (lib/metrics.h has the counters). Called only from the
 * metrics thread, which keeps one database connection for it. */
#ifndef ROUNDS_DOMAIN_OPS_METRICS_H
#define ROUNDS_DOMAIN_OPS_METRICS_H

#include "lib/metrics.h"

/* Where the scrape's connection goes (before the first scrape). */
void ops_metrics_configure(const char *db_target);
/* Fills the database and catalog gauges (db_up false when the database did not answer). */
void ops_metrics_gauges(struct metrics_gauges *gauges);
/* Closes the scrape's connection (at shutdown). */
void ops_metrics_close(void);

#endif
