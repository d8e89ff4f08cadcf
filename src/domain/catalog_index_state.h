/* catalog_index_state.h — the catalog index's memory, shared by the files of
 * the index only (catalog_index.c keeps it, catalog_search.c reads it).
 *
 * Offerings live in one array of slots (a slot is never reused; unpublished
 * offerings are marked dead), found by id through an open-addressing table
 * and ordered by id through rank[]. Bitsets have a bit per slot: one per
 * specialty, state and kind, the live offerings, and the open ones (an
 * upcoming block with a seat left, as of `day`). The full text is in
 * catalog_text.c. A pthread rwlock lets many searches run while the change
 * feed is applied briefly under the write lock. */
#ifndef ROUNDS_DOMAIN_CATALOG_INDEX_STATE_H
#define ROUNDS_DOMAIN_CATALOG_INDEX_STATE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/catalog_index.h"

enum {
    INDEX_FLAG_LIVE = 1u << 0,
    INDEX_FLAG_STUDENTS = 1u << 1,
    INDEX_FLAG_GRADUATES = 1u << 2,
    INDEX_FLAG_STEP1 = 1u << 3,
    INDEX_FLAG_ENGLISH = 1u << 4,
    INDEX_FLAG_VERIFIED = 1u << 5,
    INDEX_FLAG_AFFILIATION = 1u << 6, /* requires an active affiliation agreement covering the block */
};

enum { INDEX_NO_DAY = INT32_MAX };
#define INDEX_NOT_PLACED INT32_MIN

struct index_block {
    int32_t start, end;
    int32_t seats_left;
};

struct index_offering {
    char *id, *title;
    uint32_t host;          /* into hosts */
    uint32_t city;          /* into cities */
    int8_t specialty, state, kind;
    uint8_t flags;
    uint8_t visa_mask;      /* accepted visa kinds (bits of enum visa_kind); 0 = any */
    int16_t max_years;      /* -1: any */
    int16_t weeks;
    int32_t first_open;     /* start of the first upcoming block with a seat left (as of ix.day), or INDEX_NO_DAY */
    int32_t first_upcoming; /* start of the first upcoming block, or INDEX_NO_DAY */
    int64_t tuition;
    int32_t review_count;       /* shown verified reviews */
    int32_t review_overall_sum; /* the sum of their overall ratings */
    struct index_block *blocks; /* upcoming, by start */
    uint32_t block_count, block_capacity;
};

/* Live slots in the order of one sort key, then id (rank): a page of a large
 * result is a walk along it, skipping what the search did not match. */
struct index_order {
    uint32_t *slots;
    uint32_t count;
    int32_t *placed;        /* per slot: the key it is in slots with, or INDEX_NOT_PLACED */
};

struct interned {
    char *id, *name;
};

struct intern_table {
    struct interned *items;
    uint32_t count, capacity;
    uint32_t *slots;        /* open addressing, value index+1 */
    uint32_t slot_count;
};

struct catalog_index {
    pthread_rwlock_t lock;
    struct index_offering *offerings;
    uint32_t count, capacity;
    uint32_t *by_id;        /* open addressing, value slot+1 */
    uint32_t by_id_size;
    uint32_t *rank;         /* per slot: its position in id order */
    uint32_t *by_rank;      /* slots in id order */
    uint32_t ranked;        /* slots below this are in by_rank */
    size_t words;           /* 64-bit words per bitset */
    uint64_t *specialty_bits[64], *state_bits[64], *kind_bits[OFFERING_KIND_COUNT];
    uint64_t *live_bits, *open_bits;
    int32_t day;            /* the day first_open, first_upcoming and open_bits hold for */
    uint32_t *facet_code;   /* per slot: specialty | state << 8 | kind << 16 (for counting facets) */
    struct index_order by_price, by_soonest;
    struct intern_table hosts, cities;
    /* The live and the open offerings per [state][specialty][kind], kept
     * with live_bits and open_bits: a search with only facet filters sums
     * its facet counts here instead of counting bits. */
    int32_t live_counts[64][64][OFFERING_KIND_COUNT], open_counts[64][64][OFFERING_KIND_COUNT];
    uint64_t generation;    /* catalog_index_generation(): bumped under the write lock */
};

extern struct catalog_index catalog_ix;

/* Recomputes first_open, first_upcoming and the open bit of slot for today
 * (caller holds the write lock). */
void catalog_index_refresh_slot(uint32_t slot, int32_t today);

/* Recomputes what depends on the date when the day changed (takes the write lock). */
void catalog_index_follow_day(void);
/* The slot of an offering id, or -1 (caller holds a lock). */
int32_t catalog_index_find_slot(const char *id);

/* The sort keys of the orders: tuition, and the soonest upcoming block's
 * start (one with a seat left first). */
int32_t catalog_index_price_key(const struct index_offering *o);
int32_t catalog_index_soonest_key(const struct index_offering *o);
/* Keeping the orders (catalog_order.c; the caller holds the write lock). */
int catalog_order_grow(struct index_order *order, uint32_t capacity, uint32_t old_capacity);
void catalog_order_remove(struct index_order *order, uint32_t slot);
void catalog_order_insert(struct index_order *order, uint32_t slot, int32_t key);
/* Every live slot again (after many changes, or a new day). */
int catalog_order_rebuild(struct index_order *order, int32_t (*key)(const struct index_offering *o));
void catalog_order_free(struct index_order *order);
/* The first position of order at or after (key, rank). */
uint32_t catalog_order_seek(const struct index_order *order, int32_t key, uint32_t rank);

/* Whether slot's offering takes a student with profile p. */
bool catalog_index_slot_eligible(const struct index_offering *o, const struct store_profile *p, int current_year);
/* The accepted visa kinds of a comma-separated list, as bits of enum visa_kind. */
uint8_t catalog_index_visa_mask(const char *csv);

#endif
