/* ops_metrics.c — the metrics' gauges from the database and the index (see ops_metrics.h). */
#include "domain/ops_metrics.h"

#include <stddef.h>

#include "domain/catalog_index.h"
#include "lib/clock.h"
#include "store/store.h"

static const char *target;
static struct db_conn *conn; /* the metrics thread's own */

void ops_metrics_configure(const char *db_target)
{
    target = db_target;
}

void ops_metrics_gauges(struct metrics_gauges *g)
{
    int64_t applied = 0, latest = 0, oldest = 0;
    catalog_index_stats(&g->catalog_offerings, &applied);
    if (conn == NULL && target != NULL && db_open(target, &conn) != DB_OK)
        conn = NULL;
    g->db_up = conn != NULL && store_outbox_stats(conn, &g->outbox_depth, &oldest) == DB_OK &&
               store_catalog_latest_seq(conn, &latest) == DB_OK;
    if (!g->db_up)
        return;
    int64_t now = clock_now();
    g->outbox_oldest_age = g->outbox_depth > 0 && oldest > 0 && now > oldest ? now - oldest : 0;
    g->catalog_lag = latest > applied ? latest - applied : 0;
}

void ops_metrics_close(void)
{
    db_close(conn);
    conn = NULL;
}
