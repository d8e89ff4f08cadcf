/* catalog_index.h — the in-process search index of the catalog.
 *
 * Every instance keeps the published offerings in memory: one bitset per
 * facet value (specialty, state, kind), of the live and of the open
 * offerings, the fields the filters and cards need, each offering's upcoming
 * blocks, and the full text (a word dictionary with the offerings of each
 * word, catalog_text.h). A search never touches the database: bitset ANDs
 * for the text and the facet filters, a pass over the candidates only for
 * the filters bitsets cannot answer (dates, tuition, eligibility), facet
 * counts by popcount or by a pass over the candidates (whichever is
 * cheaper), and a bounded heap for the page.
 *
 * The index follows the catalog_changes feed: a thread polls it a few times a
 * second, so that a change made through any instance shows everywhere within
 * a second; an instance that writes applies its own change at once. */
#ifndef ROUNDS_DOMAIN_CATALOG_INDEX_H
#define ROUNDS_DOMAIN_CATALOG_INDEX_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/vocabulary.h"
#include "lib/arena.h"
#include "lib/errors.h"
#include "store/store.h"

struct store_affiliation;

enum catalog_sort { CATALOG_SORT_SOONEST, CATALOG_SORT_PRICE, CATALOG_SORT_RELEVANCE };

struct catalog_query {
    const char *text;                    /* q: full text, NULL for none */
    int specialty;                       /* index into reference_specialties, -1 for any */
    int state;                           /* index into reference_states, -1 for any */
    int kind;                            /* an enum offering_kind, -1 for any */
    int32_t start_from, start_to;        /* days since epoch; INT32_MIN / INT32_MAX for open ends */
    int64_t max_tuition_cents;           /* -1 for any */
    bool include_full;                   /* also offerings with no upcoming block with seats left */
    const struct store_profile *eligible_for; /* eligible=me: the student's profile, or NULL */
    /* With eligible_for: the student's affiliations (domain/agreements.h), which an
     * offering that requires one must have for a block it lists (none: such offerings are left out). */
    const struct store_affiliation *affiliations;
    size_t affiliation_count;
    enum catalog_sort sort;
    int limit;                           /* 1..100 */
    const char *cursor;                  /* from a previous next_cursor, or NULL */
    int64_t offset;                      /* results skipped first (numbered pages), 0..CATALOG_OFFSET_MAX */
    const char *const *only_ids;         /* when not NULL: only these offerings (alerts) */
    size_t only_count;
};

struct catalog_hit {
    const char *id, *title, *specialty, *kind, *host_id, *host_name, *city, *state;
    int64_t weeks, tuition_cents;
    bool preceptor_verified;
    bool has_open_block;
    char next_start[11], next_end[11];   /* the soonest upcoming block with seats left */
    int64_t next_seats_left;
    int64_t review_count;                /* shown verified reviews (hidden ones do not count) */
    int64_t review_average_tenths;       /* their overall average ×10 (43 for 4.3); 0 when none */
    int64_t rank_key;                    /* with sort=relevance: typo words × 32 + (31 − field score); lower first */
};

struct catalog_result {
    struct catalog_hit *items;
    size_t count;
    int64_t total;
    const char *next_cursor;             /* NULL on the last page */
    int64_t *specialty_counts;           /* reference_specialty_count entries */
    int64_t *state_counts;               /* reference_state_count entries */
    int64_t kind_counts[OFFERING_KIND_COUNT];
    uint64_t generation;                 /* the index's generation the result was read at */
};

/* Loads the whole catalog from db_target and starts following the change
 * feed (poll_ms between polls; 0 = do not start the thread). */
int catalog_index_start(const char *db_target, int poll_ms);
void catalog_index_stop(void);
/* Applies the change feed now (after a write, so that the writer reads it back). */
int catalog_index_sync(struct db_conn *conn);
/* A number that grows with every change a search could show (each batch of
 * the change feed applied, a new day), read without the index's lock: a
 * reply rendered from a search of generation g is current while this is g. */
uint64_t catalog_index_generation(void);
/* For the metrics: the live offerings in the index, and the last change-feed seq it applied. */
void catalog_index_stats(int64_t *offerings, int64_t *applied_seq);
/* fn(offering_id) runs after each change of the feed is applied (to drop
 * what was rendered from the old offering). The feed also carries the
 * numbers of revoked certificates (RC-…, never an offering id: the index
 * loads nothing for them), so that fn drops their kept /verify replies on
 * every instance. Set before catalog_index_start. */
void catalog_index_on_change(void (*fn)(const char *offering_id));

/* The search's query parameters (API and page alike), read through get
 * (which returns NULL for an absent parameter and sets *repeated when it was
 * given more than once). "eligible" is only recognised here; the caller
 * fills eligible_for. Returns -1 with err naming the parameter. */
extern const char *const catalog_query_params[];
int catalog_query_parse(const char *(*get)(void *ctx, const char *name, bool *repeated), void *ctx,
                        struct catalog_query *q, bool *eligible_me, struct error *err);

/* The search q in canonical form, the same however its parameters were
 * ordered or spelled (absent or empty, the default sort named or not): a key
 * for replies kept per search. NULL for a search that depends on who asks
 * (eligible_for) or on a list of ids, or past BUF_CAP_SMALL. */
const char *catalog_query_key(struct arena *arena, const struct catalog_query *q);

/* Searches the index (never the database); on bad input (a cursor that does
 * not parse) returns -1 with err. */
int catalog_search(struct arena *arena, const struct catalog_query *query, struct catalog_result *out,
                   struct error *err);

/* The card of one published offering (as a search shows it): false when the
 * index has no live offering of that id. */
bool catalog_index_hit(struct arena *arena, const char *id, struct catalog_hit *out);

/* Open offerings (an upcoming block with seats left) per state, for the map. */
void catalog_open_counts_by_state(int64_t *counts);

/* Whether a student with this profile may take the offering (eligible=me). */
struct catalog_eligibility {
    bool students_allowed, graduates_allowed, step1_required, english_proof_required;
    int64_t max_years_since_graduation; /* -1: any */
    const char *visa_kinds;             /* comma-separated; "" = any */
};
bool catalog_eligible(const struct catalog_eligibility *rules, const struct store_profile *profile, int current_year);

#endif
