/* catalog_index.c — the in-process catalog search index: its memory (see
 * catalog_index_state.h), loading it, and following the change feed. The
 * search itself is in catalog_search.c, the full text in catalog_text.c. */
#include "domain/catalog_index.h"

#include <ctype.h>
#include <inttypes.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/accounts.h"
#include "domain/catalog_index_state.h"
#include "domain/catalog_text.h"
#include "domain/reference.h"
#include "lib/clock.h"
#include "lib/json_spec.h"
#include "lib/log.h"

struct catalog_index catalog_ix = {.lock = PTHREAD_RWLOCK_INITIALIZER, .day = INDEX_NO_DAY};
#define ix catalog_ix

/* The change feed follower. */
static struct {
    pthread_mutex_t sync_lock;
    pthread_t thread;
    bool thread_running, stopping;
    char *db_target;
    int poll_ms;
    int64_t last_seq;
    void (*on_changed)(const char *offering_id);
} feed = {.sync_lock = PTHREAD_MUTEX_INITIALIZER};

/* ---- hashing and interning ---- */

static uint32_t hash_string(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static char *copy_string(const char *s)
{
    return strdup(s != NULL ? s : "");
}

static bool intern_grow(struct intern_table *t)
{
    uint32_t size = t->slot_count ? t->slot_count * 2 : 256;
    uint32_t *slots = calloc(size, sizeof(uint32_t));
    if (slots == NULL)
        return false;
    for (uint32_t i = 0; i < t->count; i++) {
        uint32_t j = hash_string(t->items[i].id) & (size - 1);
        while (slots[j] != 0)
            j = (j + 1) & (size - 1);
        slots[j] = i + 1;
    }
    free(t->slots);
    t->slots = slots;
    t->slot_count = size;
    return true;
}

/* The index of (id, name) in t, adding it (or renaming it) as needed. */
static uint32_t intern(struct intern_table *t, const char *id, const char *name)
{
    if (id == NULL)
        id = "";
    if ((t->count + 1) * 2 > t->slot_count && !intern_grow(t))
        return 0;
    uint32_t j = hash_string(id) & (t->slot_count - 1);
    while (t->slots[j] != 0) {
        struct interned *it = &t->items[t->slots[j] - 1];
        if (strcmp(it->id, id) == 0) {
            if (name != NULL && strcmp(it->name, name) != 0) {
                char *renamed = copy_string(name);
                if (renamed != NULL) {
                    free(it->name);
                    it->name = renamed;
                }
            }
            return t->slots[j] - 1;
        }
        j = (j + 1) & (t->slot_count - 1);
    }
    if (t->count == t->capacity) {
        uint32_t cap = t->capacity ? t->capacity * 2 : 256;
        struct interned *items = realloc(t->items, cap * sizeof(*items));
        if (items == NULL)
            return 0;
        t->items = items;
        t->capacity = cap;
    }
    t->items[t->count].id = copy_string(id);
    t->items[t->count].name = copy_string(name != NULL ? name : id);
    t->slots[j] = t->count + 1;
    return t->count++;
}

static int32_t find_slot(const char *id)
{
    if (ix.by_id_size == 0)
        return -1;
    uint32_t j = hash_string(id) & (ix.by_id_size - 1);
    while (ix.by_id[j] != 0) {
        if (strcmp(ix.offerings[ix.by_id[j] - 1].id, id) == 0)
            return (int32_t)(ix.by_id[j] - 1);
        j = (j + 1) & (ix.by_id_size - 1);
    }
    return -1;
}

int32_t catalog_index_find_slot(const char *id)
{
    return find_slot(id);
}

static bool by_id_grow(void)
{
    uint32_t size = ix.by_id_size ? ix.by_id_size * 2 : 1024;
    uint32_t *table = calloc(size, sizeof(uint32_t));
    if (table == NULL)
        return false;
    for (uint32_t i = 0; i < ix.count; i++) {
        uint32_t j = hash_string(ix.offerings[i].id) & (size - 1);
        while (table[j] != 0)
            j = (j + 1) & (size - 1);
        table[j] = i + 1;
    }
    free(ix.by_id);
    ix.by_id = table;
    ix.by_id_size = size;
    return true;
}

static bool grow_bits(uint64_t **bits, size_t words)
{
    uint64_t *grown = realloc(*bits, words * sizeof(uint64_t));
    if (grown == NULL)
        return false;
    memset(grown + ix.words, 0, (words - ix.words) * sizeof(uint64_t));
    *bits = grown;
    return true;
}

static bool bitsets_grow(size_t words)
{
    uint64_t **sets[] = {ix.specialty_bits, ix.state_bits, ix.kind_bits};
    size_t counts[] = {reference_specialty_count, reference_state_count, OFFERING_KIND_COUNT};
    for (size_t s = 0; s < 3; s++)
        for (size_t v = 0; v < counts[s]; v++)
            if (!grow_bits(&sets[s][v], words))
                return false;
    if (!grow_bits(&ix.live_bits, words) || !grow_bits(&ix.open_bits, words) || catalog_text_grow(words) != 0)
        return false;
    ix.words = words;
    return true;
}

/* More room for slots: the offerings, their ranks and every bitset. */
static bool slots_grow(void)
{
    uint32_t cap = ix.capacity ? ix.capacity * 2 : 1024;
    struct index_offering *grown = realloc(ix.offerings, cap * sizeof(*grown));
    if (grown == NULL)
        return false;
    ix.offerings = grown;
    uint32_t *rank = realloc(ix.rank, cap * sizeof(uint32_t));
    if (rank == NULL)
        return false;
    ix.rank = rank;
    uint32_t *by_rank = realloc(ix.by_rank, cap * sizeof(uint32_t));
    if (by_rank == NULL)
        return false;
    ix.by_rank = by_rank;
    uint32_t *codes = realloc(ix.facet_code, cap * sizeof(uint32_t));
    if (codes == NULL)
        return false;
    ix.facet_code = codes;
    if (catalog_order_grow(&ix.by_price, cap, ix.capacity) != 0 ||
        catalog_order_grow(&ix.by_soonest, cap, ix.capacity) != 0 || !bitsets_grow((cap + 63) / 64))
        return false;
    ix.capacity = cap;
    return true;
}

/* A new slot for id (the caller holds the write lock). */
static int32_t add_slot(const char *id)
{
    if ((ix.count + 1) * 2 > ix.by_id_size && !by_id_grow())
        return -1;
    if (ix.count == ix.capacity && !slots_grow())
        return -1;
    struct index_offering *o = &ix.offerings[ix.count];
    memset(o, 0, sizeof(*o));
    o->id = copy_string(id);
    if (o->id == NULL)
        return -1;
    o->specialty = o->state = o->kind = -1;
    o->first_open = o->first_upcoming = INDEX_NO_DAY;
    ix.facet_code[ix.count] = 0;
    uint32_t j = hash_string(id) & (ix.by_id_size - 1);
    while (ix.by_id[j] != 0)
        j = (j + 1) & (ix.by_id_size - 1);
    ix.by_id[j] = ix.count + 1;
    return (int32_t)ix.count++;
}

static void set_bit(uint64_t *bits, uint32_t slot, bool on)
{
    if (on)
        bits[slot / 64] |= 1ull << (slot % 64);
    else
        bits[slot / 64] &= ~(1ull << (slot % 64));
}

/* set_bit for live_bits and open_bits, keeping their counts per facet
 * (slot's facet_code is that of its bits while they are set). */
static void set_counted_bit(uint64_t *bits, int32_t (*counts)[64][OFFERING_KIND_COUNT], uint32_t slot, bool on)
{
    bool was = (bits[slot / 64] >> (slot % 64)) & 1;
    if (was == on)
        return;
    uint32_t code = ix.facet_code[slot];
    counts[(code >> 8) & 0xFF][code & 0xFF][code >> 16] += on ? 1 : -1;
    set_bit(bits, slot, on);
}

/* Every change a search could show ends with this (write lock held). */
static void next_generation(void)
{
    __atomic_store_n(&ix.generation, ix.generation + 1, __ATOMIC_RELEASE);
}

uint64_t catalog_index_generation(void)
{
    return __atomic_load_n(&ix.generation, __ATOMIC_ACQUIRE);
}

/* Takes slot out of the facet bitsets and the text (dead, or about to change). */
static void clear_slot(uint32_t slot)
{
    struct index_offering *o = &ix.offerings[slot];
    if (o->specialty >= 0)
        set_bit(ix.specialty_bits[o->specialty], slot, false);
    if (o->state >= 0)
        set_bit(ix.state_bits[o->state], slot, false);
    if (o->kind >= 0)
        set_bit(ix.kind_bits[o->kind], slot, false);
    set_counted_bit(ix.live_bits, ix.live_counts, slot, false);
    set_counted_bit(ix.open_bits, ix.open_counts, slot, false);
    o->flags &= (uint8_t)~INDEX_FLAG_LIVE;
    o->block_count = 0;
    o->first_open = o->first_upcoming = INDEX_NO_DAY;
    catalog_text_set(slot, NULL);
}

uint8_t catalog_index_visa_mask(const char *csv)
{
    uint8_t mask = 0;
    for (size_t i = 0; visa_kind_names[i] != NULL && csv != NULL; i++) {
        size_t n = strlen(visa_kind_names[i]);
        for (const char *p = csv; (p = strstr(p, visa_kind_names[i])) != NULL; p += n)
            if ((p == csv || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
                mask |= (uint8_t)(1u << i);
    }
    return mask;
}

void catalog_index_refresh_slot(uint32_t slot, int32_t today)
{
    struct index_offering *o = &ix.offerings[slot];
    o->first_open = o->first_upcoming = INDEX_NO_DAY;
    for (uint32_t i = 0; i < o->block_count; i++) {
        const struct index_block *b = &o->blocks[i];
        if (b->start < today)
            continue;
        if (o->first_upcoming == INDEX_NO_DAY)
            o->first_upcoming = b->start;
        if (b->seats_left > 0) {
            o->first_open = b->start;
            break;
        }
    }
    set_counted_bit(ix.open_bits, ix.open_counts, slot, (o->flags & INDEX_FLAG_LIVE) && o->first_open != INDEX_NO_DAY);
}

/* ---- ids in order: rank[] and by_rank[] ---- */

static int compare_slot_ids(const void *a, const void *b)
{
    return strcmp(ix.offerings[*(const uint32_t *)a].id, ix.offerings[*(const uint32_t *)b].id);
}

/* Puts the slots added since the last call in id order among the others:
 * they are sorted, then merged with the ranked ones. */
static int rank_new_slots(void)
{
    if (ix.ranked == ix.count)
        return 0;
    uint32_t fresh = ix.count - ix.ranked;
    uint32_t *merged = malloc((size_t)ix.count * sizeof(uint32_t));
    uint32_t *sorted = malloc((size_t)fresh * sizeof(uint32_t));
    if (merged == NULL || sorted == NULL) {
        free(merged);
        free(sorted);
        return -1;
    }
    for (uint32_t i = 0; i < fresh; i++)
        sorted[i] = ix.ranked + i;
    bool in_order = true; /* the first load comes in id order */
    for (uint32_t i = 1; i < fresh && in_order; i++)
        in_order = strcmp(ix.offerings[sorted[i - 1]].id, ix.offerings[sorted[i]].id) < 0;
    if (!in_order)
        qsort(sorted, fresh, sizeof(uint32_t), compare_slot_ids);
    uint32_t a = 0, b = 0, n = 0;
    while (a < ix.ranked || b < fresh) {
        bool take_old = b == fresh ||
                        (a < ix.ranked && strcmp(ix.offerings[ix.by_rank[a]].id, ix.offerings[sorted[b]].id) < 0);
        merged[n++] = take_old ? ix.by_rank[a++] : sorted[b++];
    }
    memcpy(ix.by_rank, merged, (size_t)ix.count * sizeof(uint32_t));
    for (uint32_t i = 0; i < ix.count; i++)
        ix.rank[ix.by_rank[i]] = i;
    free(merged);
    free(sorted);
    ix.ranked = ix.count;
    return 0;
}

/* ---- loading (callbacks of store_index_load, under the write lock) ---- */

/* The slots a load touched, to refresh once their blocks are in. */
struct load_ctx {
    uint32_t *slots;
    size_t count, capacity;
    bool failed;
};

static void touched(struct load_ctx *ctx, uint32_t slot)
{
    if (ctx->count == ctx->capacity) {
        size_t cap = ctx->capacity ? ctx->capacity * 2 : 1024;
        uint32_t *grown = realloc(ctx->slots, cap * sizeof(uint32_t));
        if (grown == NULL) {
            ctx->failed = true;
            return;
        }
        ctx->slots = grown;
        ctx->capacity = cap;
    }
    ctx->slots[ctx->count++] = slot;
}

static void on_offering(void *p, const struct store_index_offering *src)
{
    struct load_ctx *ctx = p;
    int32_t slot = find_slot(src->id);
    if (slot < 0)
        slot = add_slot(src->id);
    if (slot < 0) {
        ctx->failed = true;
        return;
    }
    struct index_offering *o = &ix.offerings[slot];
    clear_slot((uint32_t)slot);
    char *title = copy_string(src->title);
    if (title != NULL) {
        free(o->title);
        o->title = title;
    }
    o->host = intern(&ix.hosts, src->host_id, src->host_name);
    o->city = intern(&ix.cities, src->city, src->city);
    o->specialty = (int8_t)reference_specialty_index(src->specialty);
    o->state = (int8_t)reference_state_index(src->state);
    o->kind = (int8_t)offering_kind_parse(src->kind);
    o->visa_mask = catalog_index_visa_mask(src->visa_kinds);
    o->max_years = (int16_t)(src->max_years_since_graduation < 0 || src->max_years_since_graduation > 100
                                 ? -1
                                 : src->max_years_since_graduation);
    o->weeks = (int16_t)src->weeks;
    o->tuition = src->tuition_cents;
    o->review_count = (int32_t)(src->review_count > 0 && src->review_count < INT32_MAX ? src->review_count : 0);
    o->review_overall_sum = (int32_t)(o->review_count > 0 && src->review_overall_sum < INT32_MAX
                                          ? src->review_overall_sum
                                          : 0);
    o->flags = (uint8_t)((src->students_allowed ? INDEX_FLAG_STUDENTS : 0) |
                         (src->graduates_allowed ? INDEX_FLAG_GRADUATES : 0) |
                         (src->step1_required ? INDEX_FLAG_STEP1 : 0) |
                         (src->english_proof_required ? INDEX_FLAG_ENGLISH : 0) |
                         (src->preceptor_verified ? INDEX_FLAG_VERIFIED : 0) |
                         (src->requires_affiliation ? INDEX_FLAG_AFFILIATION : 0));
    touched(ctx, (uint32_t)slot);
    bool live = offering_status_parse(src->status) == OFFERING_PUBLISHED && o->specialty >= 0 && o->state >= 0 &&
                o->kind >= 0 && o->title != NULL;
    if (!live)
        return;
    const struct reference_specialty *spec = &reference_specialties[o->specialty];
    struct catalog_text_fields fields = {
        .title = src->title,
        .host_name = src->host_name,
        .other = {src->description, spec->name, src->city, src->preceptor_name, NULL},
    };
    if (catalog_text_set((uint32_t)slot, &fields) != 0) {
        ctx->failed = true;
        return;
    }
    o->flags |= INDEX_FLAG_LIVE;
    ix.facet_code[slot] = (uint32_t)o->specialty | (uint32_t)o->state << 8 | (uint32_t)o->kind << 16;
    set_bit(ix.specialty_bits[o->specialty], (uint32_t)slot, true);
    set_bit(ix.state_bits[o->state], (uint32_t)slot, true);
    set_bit(ix.kind_bits[o->kind], (uint32_t)slot, true);
    set_counted_bit(ix.live_bits, ix.live_counts, (uint32_t)slot, true);
}

static void on_block(void *p, const struct store_index_block *b)
{
    struct load_ctx *ctx = p;
    int32_t slot = find_slot(b->offering_id);
    if (slot < 0 || !json_date_valid(b->start_date) || !json_date_valid(b->end_date))
        return;
    struct index_offering *o = &ix.offerings[slot];
    if (o->block_count == o->block_capacity) {
        uint32_t cap = o->block_capacity ? o->block_capacity * 2 : 4;
        struct index_block *grown = realloc(o->blocks, cap * sizeof(*grown));
        if (grown == NULL) {
            ctx->failed = true;
            return;
        }
        o->blocks = grown;
        o->block_capacity = cap;
    }
    /* Blocks arrive in start order. */
    o->blocks[o->block_count++] = (struct index_block){clock_days_from_date(b->start_date),
                                                       clock_days_from_date(b->end_date),
                                                       (int32_t)(b->seats - b->seats_taken)};
}

/* Beyond this many changed slots the orders are sorted again rather than edited. */
enum { ORDER_EDIT_MAX = 64 };

/* After a load: the touched slots' dates, the new words, the new slots'
 * ranks, and the sort orders. */
static int finish_load(struct load_ctx *ctx)
{
    bool edit = ctx->count <= ORDER_EDIT_MAX;
    for (size_t i = 0; i < ctx->count && edit; i++) {
        catalog_order_remove(&ix.by_price, ctx->slots[i]);
        catalog_order_remove(&ix.by_soonest, ctx->slots[i]);
    }
    for (size_t i = 0; i < ctx->count; i++)
        catalog_index_refresh_slot(ctx->slots[i], ix.day);
    if (catalog_text_finish() != 0 || rank_new_slots() != 0)
        ctx->failed = true;
    for (size_t i = 0; i < ctx->count && edit && !ctx->failed; i++) {
        const struct index_offering *o = &ix.offerings[ctx->slots[i]];
        if (!(o->flags & INDEX_FLAG_LIVE))
            continue;
        catalog_order_insert(&ix.by_price, ctx->slots[i], catalog_index_price_key(o));
        catalog_order_insert(&ix.by_soonest, ctx->slots[i], catalog_index_soonest_key(o));
    }
    if (!edit && !ctx->failed &&
        (catalog_order_rebuild(&ix.by_price, catalog_index_price_key) != 0 ||
         catalog_order_rebuild(&ix.by_soonest, catalog_index_soonest_key) != 0))
        ctx->failed = true;
    free(ctx->slots);
    ctx->slots = NULL;
    return ctx->failed ? DB_ERROR : DB_OK;
}

/* Recomputes what depends on the date (once a day, or when a test moves the clock). */
void catalog_index_follow_day(void)
{
    int32_t today = clock_today_days();
    if (__atomic_load_n(&ix.day, __ATOMIC_ACQUIRE) == today)
        return;
    pthread_rwlock_wrlock(&ix.lock);
    if (ix.day != today) {
        for (uint32_t slot = 0; slot < ix.count; slot++)
            catalog_index_refresh_slot(slot, today);
        if (catalog_order_rebuild(&ix.by_soonest, catalog_index_soonest_key) != 0)
            log_error("msg=\"out of memory sorting the catalog by date\"");
        __atomic_store_n(&ix.day, today, __ATOMIC_RELEASE);
        next_generation();
    }
    pthread_rwlock_unlock(&ix.lock);
}

/* ---- following the change feed ---- */

struct change_batch {
    char **ids;
    size_t count, capacity;
    int64_t max_seq;      /* highest seq read */
    int64_t last_applied; /* feed.last_seq when the batch started */
    int64_t rows;         /* rows read, to know whether to read on */
};

/* With PostgreSQL a transaction that commits late can hold a lower seq than
 * one already seen: a hole in the feed that fills later. Holes are remembered
 * for a few seconds and read again; without holes a sync reads only new rows. */
enum { HOLE_MAX = 256, HOLE_SECONDS = 5 };
struct feed_hole {
    int64_t seq, seen_at;
};
static struct feed_hole holes[HOLE_MAX];
static size_t hole_count;

static bool take_hole(int64_t seq)
{
    for (size_t i = 0; i < hole_count; i++)
        if (holes[i].seq == seq) {
            holes[i] = holes[--hole_count];
            return true;
        }
    return false;
}

static void add_holes(int64_t from, int64_t to)
{
    int64_t now = clock_now();
    for (int64_t seq = from; seq < to && hole_count < HOLE_MAX; seq++)
        holes[hole_count++] = (struct feed_hole){seq, now};
}

static void on_change(void *ctx, int64_t seq, const char *offering_id)
{
    struct change_batch *batch = ctx;
    bool fresh = seq > batch->last_applied;
    if (!fresh && !take_hole(seq))
        return; /* read again only because of an older hole */
    if (fresh) {
        int64_t previous = batch->max_seq > batch->last_applied ? batch->max_seq : batch->last_applied;
        if (seq > previous + 1)
            add_holes(previous + 1, seq);
    }
    if (seq > batch->max_seq)
        batch->max_seq = seq;
    for (size_t i = 0; i < batch->count; i++)
        if (strcmp(batch->ids[i], offering_id) == 0)
            return;
    if (batch->count == batch->capacity) {
        size_t cap = batch->capacity ? batch->capacity * 2 : 64;
        char **grown = realloc(batch->ids, cap * sizeof(char *));
        if (grown == NULL)
            return;
        batch->ids = grown;
        batch->capacity = cap;
    }
    batch->ids[batch->count] = copy_string(offering_id);
    if (batch->ids[batch->count] != NULL)
        batch->count++;
}

static void on_change_counting(void *ctx, int64_t seq, const char *offering_id)
{
    struct change_batch *batch = ctx;
    batch->rows++;
    on_change(ctx, seq, offering_id);
}

static void batch_free(struct change_batch *batch)
{
    for (size_t i = 0; i < batch->count; i++)
        free(batch->ids[i]);
    free(batch->ids);
    memset(batch, 0, sizeof(*batch));
}

/* Reloads the offerings of one batch under the write lock. An offering that
 * no longer loads (deleted) stays dead. */
static int apply_batch(struct db_conn *conn, struct change_batch *batch)
{
    char yesterday[11];
    clock_date_from_days(clock_today_days() - 1, yesterday);
    struct load_ctx ctx = {0};
    pthread_rwlock_wrlock(&ix.lock);
    for (size_t i = 0; i < batch->count; i++) {
        int32_t slot = find_slot(batch->ids[i]);
        if (slot >= 0)
            clear_slot((uint32_t)slot);
    }
    int rc = store_index_load(conn, (const char *const *)batch->ids, batch->count, yesterday, on_offering, on_block,
                              &ctx);
    int finished = finish_load(&ctx);
    next_generation();
    pthread_rwlock_unlock(&ix.lock);
    if (feed.on_changed != NULL)
        for (size_t i = 0; i < batch->count; i++)
            feed.on_changed(batch->ids[i]);
    return rc != DB_OK ? rc : finished;
}

void catalog_index_stats(int64_t *offerings, int64_t *applied_seq)
{
    int64_t live = 0;
    pthread_rwlock_rdlock(&ix.lock);
    for (size_t w = 0; ix.live_bits != NULL && w < ix.words; w++)
        live += __builtin_popcountll(ix.live_bits[w]);
    pthread_rwlock_unlock(&ix.lock);
    pthread_mutex_lock(&feed.sync_lock);
    *applied_seq = feed.last_seq;
    pthread_mutex_unlock(&feed.sync_lock);
    *offerings = live;
}

enum { SYNC_BATCH = 512 };

int catalog_index_sync(struct db_conn *conn)
{
    int rc = DB_OK;
    pthread_mutex_lock(&feed.sync_lock);
    /* Forget holes that never filled (rolled-back transactions). */
    int64_t now = clock_now();
    for (size_t i = 0; i < hole_count;)
        if (now - holes[i].seen_at > HOLE_SECONDS)
            holes[i] = holes[--hole_count];
        else
            i++;
    int64_t from = feed.last_seq;
    for (size_t i = 0; i < hole_count; i++)
        if (holes[i].seq - 1 < from)
            from = holes[i].seq - 1;
    for (;;) {
        struct change_batch batch = {.max_seq = from, .last_applied = feed.last_seq};
        int64_t rows_from = from;
        rc = store_catalog_changes_after(conn, from, SYNC_BATCH, on_change_counting, &batch);
        if (rc == DB_OK && batch.count > 0)
            rc = apply_batch(conn, &batch);
        int64_t reached = batch.max_seq;
        int64_t rows = batch.rows;
        batch_free(&batch);
        if (rc != DB_OK)
            break;
        if (reached > feed.last_seq)
            feed.last_seq = reached;
        if (rows < SYNC_BATCH)
            break;
        from = reached > rows_from ? reached : rows_from + rows;
    }
    pthread_mutex_unlock(&feed.sync_lock);
    return rc;
}

static void *follow_changes(void *arg)
{
    (void)arg;
    struct db_conn *conn = NULL;
    while (!__atomic_load_n(&feed.stopping, __ATOMIC_ACQUIRE)) {
        if (conn == NULL && db_open(feed.db_target, &conn) != DB_OK)
            conn = NULL;
        if (conn != NULL && catalog_index_sync(conn) != DB_OK)
            log_warn("msg=\"catalog index could not follow the change feed\"");
        struct timespec pause = {feed.poll_ms / 1000, (long)(feed.poll_ms % 1000) * 1000000L};
        nanosleep(&pause, NULL);
    }
    db_close(conn);
    return NULL;
}

void catalog_index_on_change(void (*fn)(const char *offering_id))
{
    feed.on_changed = fn;
}

int catalog_index_start(const char *db_target, int poll_ms)
{
    struct db_conn *conn = NULL;
    if (db_open(db_target, &conn) != DB_OK)
        return -1;
    double started = clock_monotonic_ms();
    char yesterday[11];
    clock_date_from_days(clock_today_days() - 1, yesterday);
    /* The feed position first, so that changes made during the load replay. */
    int64_t seq = 0;
    int rc = store_catalog_last_seq(conn, &seq);
    if (rc == DB_OK) {
        struct load_ctx ctx = {0};
        pthread_rwlock_wrlock(&ix.lock);
        ix.day = clock_today_days();
        rc = store_index_load(conn, NULL, 0, yesterday, on_offering, on_block, &ctx);
        int finished = finish_load(&ctx);
        next_generation();
        pthread_rwlock_unlock(&ix.lock);
        if (rc == DB_OK)
            rc = finished;
    }
    db_close(conn);
    if (rc != DB_OK)
        return -1;
    feed.last_seq = seq;
    catalog_text_trim();
    malloc_trim(0); /* give back what loading needed */
    size_t words = 0, text_bytes = 0;
    catalog_text_stats(&words, &text_bytes);
    log_info("msg=\"catalog index loaded\" offerings=%u words=%zu text_kib=%zu ms=%.0f", ix.count, words,
             text_bytes / 1024, clock_monotonic_ms() - started);
    if (poll_ms > 0) {
        feed.db_target = copy_string(db_target);
        feed.poll_ms = poll_ms;
        feed.stopping = false;
        if (pthread_create(&feed.thread, NULL, follow_changes, NULL) != 0)
            return -1;
        feed.thread_running = true;
    }
    return 0;
}

void catalog_index_stop(void)
{
    if (feed.thread_running) {
        __atomic_store_n(&feed.stopping, true, __ATOMIC_RELEASE);
        pthread_join(feed.thread, NULL);
        feed.thread_running = false;
    }
    pthread_rwlock_wrlock(&ix.lock);
    for (uint32_t i = 0; i < ix.count; i++) {
        free(ix.offerings[i].id);
        free(ix.offerings[i].title);
        free(ix.offerings[i].blocks);
    }
    free(ix.offerings);
    free(ix.by_id);
    free(ix.rank);
    free(ix.by_rank);
    for (size_t v = 0; v < 64; v++) {
        free(ix.specialty_bits[v]);
        free(ix.state_bits[v]);
        ix.specialty_bits[v] = ix.state_bits[v] = NULL;
    }
    for (size_t v = 0; v < OFFERING_KIND_COUNT; v++) {
        free(ix.kind_bits[v]);
        ix.kind_bits[v] = NULL;
    }
    free(ix.live_bits);
    free(ix.open_bits);
    free(ix.facet_code);
    ix.facet_code = NULL;
    catalog_order_free(&ix.by_price);
    catalog_order_free(&ix.by_soonest);
    ix.live_bits = ix.open_bits = NULL;
    struct intern_table *tables[] = {&ix.hosts, &ix.cities};
    for (size_t t = 0; t < 2; t++) {
        for (uint32_t i = 0; i < tables[t]->count; i++) {
            free(tables[t]->items[i].id);
            free(tables[t]->items[i].name);
        }
        free(tables[t]->items);
        free(tables[t]->slots);
        memset(tables[t], 0, sizeof(*tables[t]));
    }
    catalog_text_free();
    free(feed.db_target);
    feed.db_target = NULL;
    ix.offerings = NULL;
    ix.by_id = NULL;
    ix.rank = ix.by_rank = NULL;
    ix.count = ix.capacity = ix.by_id_size = ix.ranked = 0;
    ix.words = 0;
    ix.day = INDEX_NO_DAY;
    memset(ix.live_counts, 0, sizeof(ix.live_counts));
    memset(ix.open_counts, 0, sizeof(ix.open_counts));
    next_generation();
    feed.last_seq = 0;
    pthread_rwlock_unlock(&ix.lock);
}

/* ---- eligibility ---- */

bool catalog_eligible(const struct catalog_eligibility *rules, const struct store_profile *p, int current_year)
{
    bool graduate = student_status_parse(p->status) == STUDENT_STATUS_GRADUATE;
    if (graduate ? !rules->graduates_allowed : !rules->students_allowed)
        return false;
    if (rules->step1_required && step1_result_parse(p->step1) != STEP1_PASSED)
        return false;
    if (rules->english_proof_required &&
        (p->english_proof == NULL || english_proof_parse(p->english_proof) == ENGLISH_NONE))
        return false;
    if (rules->visa_kinds != NULL && rules->visa_kinds[0] != '\0') {
        uint8_t accepted = catalog_index_visa_mask(rules->visa_kinds);
        uint8_t mine = p->visa_kind != NULL ? catalog_index_visa_mask(p->visa_kind) : 0;
        if ((accepted & mine) == 0)
            return false;
    }
    if (graduate && rules->max_years_since_graduation >= 0 &&
        (p->graduation_year <= 0 || current_year - p->graduation_year > rules->max_years_since_graduation))
        return false;
    return true;
}

bool catalog_index_slot_eligible(const struct index_offering *o, const struct store_profile *p, int current_year)
{
    struct catalog_eligibility rules = {
        .students_allowed = o->flags & INDEX_FLAG_STUDENTS,
        .graduates_allowed = o->flags & INDEX_FLAG_GRADUATES,
        .step1_required = o->flags & INDEX_FLAG_STEP1,
        .english_proof_required = o->flags & INDEX_FLAG_ENGLISH,
        .max_years_since_graduation = o->max_years,
        .visa_kinds = "", /* compared as masks below */
    };
    if (!catalog_eligible(&rules, p, current_year))
        return false;
    return o->visa_mask == 0 ||
           (p->visa_kind != NULL && (o->visa_mask & catalog_index_visa_mask(p->visa_kind)) != 0);
}
