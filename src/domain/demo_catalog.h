/* demo_catalog.h — the generated catalog behind `rounds seed`: invented
 * hosts in real U.S. cities, their sites and preceptors (valid NPIs), and
 * offerings with realistic lengths, fees, eligibility, refund policies,
 * requirements and blocks over the next 12 months.
 *
 * The demo catalog comes from a PRNG with a fixed seed, so it is the same on
 * every machine; its dates are relative to today (clock_today_days), so its
 * blocks always lie ahead. Bulk offerings (for benchmarks) come from a random
 * seed, so that runs add to each other. */
#ifndef ROUNDS_DOMAIN_DEMO_CATALOG_H
#define ROUNDS_DOMAIN_DEMO_CATALOG_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

enum {
    DEMO_CATALOG_HOSTS = 44,          /* generated hosts, besides the demo host */
    DEMO_CATALOG_OFFERINGS = 300,     /* in all, the demo host's included */
    DEMO_CATALOG_HOST_OFFERINGS = 6,  /* the demo host's */
    DEMO_CATALOG_BULK_PER_HOST = 100, /* bulk offerings per new host */
};
#define DEMO_CATALOG_BULK_MAX INT64_C(10000000)

/* The accounts that `rounds seed --demo` creates, for the catalog to use. */
struct demo_catalog_accounts {
    const char *host_id;           /* an existing host organisation to give a site, preceptors and
                                      offerings; NULL for none */
    const char *host_name;         /* its name, for texts and e-mail addresses */
    const char *preceptor_user_id; /* a user to link to the demo host's first preceptor; NULL for none */
    const char *preceptor_name, *preceptor_email;
};

/* Fills an empty catalog with the demo catalog, in one transaction. When the
 * catalog already holds offerings it is left alone and *created is false. */
int demo_catalog_seed(struct db_conn *conn, const struct demo_catalog_accounts *accounts, bool *created);

struct demo_catalog_added {
    int64_t hosts, offerings, blocks;
};

/* Adds count (1 … DEMO_CATALOG_BULK_MAX) offerings with 2–6 blocks each, and
 * new hosts with sites and preceptors (one host per DEMO_CATALOG_BULK_PER_HOST
 * offerings), in transactions of a few thousand offerings; progress (may be
 * NULL) is called after each. On failure, what earlier transactions added
 * stays and *added says how much. */
int demo_catalog_add_offerings(struct db_conn *conn, int64_t count,
                               void (*progress)(void *ctx, int64_t done, int64_t total), void *ctx,
                               struct demo_catalog_added *added);

#endif
