/* catalog_index.c — the in-process catalog search index; see catalog_index.h.
 *
 * Memory layout: offerings live in one array of slots (a slot is never
 * reused; unpublished offerings are marked dead), found by id through an
 * open-addressing table. One bitset per specialty, state and kind has a bit
 * per slot. Host and city strings are interned. A pthread rwlock lets many
 * searches run while the change feed is applied briefly under the write lock. */
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
#include "domain/reference.h"
#include "lib/buf.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/json_spec.h"
#include "lib/log.h"

enum {
    FLAG_LIVE = 1u << 0,
    FLAG_STUDENTS = 1u << 1,
    FLAG_GRADUATES = 1u << 2,
    FLAG_STEP1 = 1u << 3,
    FLAG_ENGLISH = 1u << 4,
    FLAG_VERIFIED = 1u << 5,
};

struct index_block {
    int32_t start, end;
    int32_t seats_left;
};

struct index_offering {
    char *id, *title;
    uint32_t host;        /* into hosts */
    uint32_t city;        /* into cities */
    int8_t specialty, state, kind;
    uint8_t flags;
    uint8_t visa_mask;    /* accepted visa kinds (bits of enum visa_kind); 0 = any */
    int16_t max_years;    /* -1: any */
    int16_t weeks;
    int64_t tuition;
    struct index_block *blocks;
    uint32_t block_count, block_capacity;
};

struct interned {
    char *id, *name;
};

struct intern_table {
    struct interned *items;
    uint32_t count, capacity;
    uint32_t *slots;      /* open addressing, value index+1 */
    uint32_t slot_count;
};

static struct {
    pthread_rwlock_t lock;
    struct index_offering *offerings;
    uint32_t count, capacity;
    uint32_t *by_id;      /* open addressing, value slot+1 */
    uint32_t by_id_size;
    size_t words;         /* 64-bit words per bitset */
    uint64_t *specialty_bits[64], *state_bits[64], *kind_bits[OFFERING_KIND_COUNT];
    struct intern_table hosts, cities;
    int64_t last_seq;
    /* change feed follower */
    pthread_mutex_t sync_lock;
    pthread_t thread;
    bool thread_running, stopping;
    char *db_target;
    int poll_ms;
} ix = {.lock = PTHREAD_RWLOCK_INITIALIZER, .sync_lock = PTHREAD_MUTEX_INITIALIZER};

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

static bool bitsets_grow(size_t words)
{
    uint64_t **sets[] = {ix.specialty_bits, ix.state_bits, ix.kind_bits};
    size_t counts[] = {reference_specialty_count, reference_state_count, OFFERING_KIND_COUNT};
    for (size_t s = 0; s < 3; s++) {
        for (size_t v = 0; v < counts[s]; v++) {
            uint64_t *grown = realloc(sets[s][v], words * sizeof(uint64_t));
            if (grown == NULL)
                return false;
            memset(grown + ix.words, 0, (words - ix.words) * sizeof(uint64_t));
            sets[s][v] = grown;
        }
    }
    ix.words = words;
    return true;
}

/* A new slot for id (the caller holds the write lock). */
static int32_t add_slot(const char *id)
{
    if ((ix.count + 1) * 2 > ix.by_id_size && !by_id_grow())
        return -1;
    if (ix.count == ix.capacity) {
        uint32_t cap = ix.capacity ? ix.capacity * 2 : 1024;
        struct index_offering *grown = realloc(ix.offerings, cap * sizeof(*grown));
        if (grown == NULL || !bitsets_grow((cap + 63) / 64)) {
            if (grown != NULL)
                ix.offerings = grown;
            return -1;
        }
        ix.offerings = grown;
        ix.capacity = cap;
    }
    struct index_offering *o = &ix.offerings[ix.count];
    memset(o, 0, sizeof(*o));
    o->id = copy_string(id);
    o->specialty = o->state = o->kind = -1;
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

/* Takes slot out of the facet bitsets (dead, or about to change facets). */
static void clear_facets(uint32_t slot)
{
    struct index_offering *o = &ix.offerings[slot];
    if (o->specialty >= 0)
        set_bit(ix.specialty_bits[o->specialty], slot, false);
    if (o->state >= 0)
        set_bit(ix.state_bits[o->state], slot, false);
    if (o->kind >= 0)
        set_bit(ix.kind_bits[o->kind], slot, false);
    o->flags &= (uint8_t)~FLAG_LIVE;
}

static uint8_t visa_mask_of(const char *csv)
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

/* ---- loading (callbacks of store_index_load, under the write lock) ---- */

static void on_offering(void *ctx, const struct store_index_offering *src)
{
    (void)ctx;
    int32_t slot = find_slot(src->id);
    if (slot < 0)
        slot = add_slot(src->id);
    if (slot < 0)
        return;
    struct index_offering *o = &ix.offerings[slot];
    clear_facets((uint32_t)slot);
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
    o->visa_mask = visa_mask_of(src->visa_kinds);
    o->max_years = (int16_t)(src->max_years_since_graduation < 0 || src->max_years_since_graduation > 100
                                 ? -1
                                 : src->max_years_since_graduation);
    o->weeks = (int16_t)src->weeks;
    o->tuition = src->tuition_cents;
    o->flags = (uint8_t)((src->students_allowed ? FLAG_STUDENTS : 0) | (src->graduates_allowed ? FLAG_GRADUATES : 0) |
                         (src->step1_required ? FLAG_STEP1 : 0) | (src->english_proof_required ? FLAG_ENGLISH : 0) |
                         (src->preceptor_verified ? FLAG_VERIFIED : 0));
    o->block_count = 0; /* its blocks follow */
    bool live = offering_status_parse(src->status) == OFFERING_PUBLISHED && o->specialty >= 0 && o->state >= 0 &&
                o->kind >= 0 && o->title != NULL;
    if (live) {
        o->flags |= FLAG_LIVE;
        set_bit(ix.specialty_bits[o->specialty], (uint32_t)slot, true);
        set_bit(ix.state_bits[o->state], (uint32_t)slot, true);
        set_bit(ix.kind_bits[o->kind], (uint32_t)slot, true);
    }
}

static void on_block(void *ctx, const struct store_index_block *b)
{
    (void)ctx;
    int32_t slot = find_slot(b->offering_id);
    if (slot < 0 || !json_date_valid(b->start_date) || !json_date_valid(b->end_date))
        return;
    struct index_offering *o = &ix.offerings[slot];
    if (o->block_count == o->block_capacity) {
        uint32_t cap = o->block_capacity ? o->block_capacity * 2 : 4;
        struct index_block *grown = realloc(o->blocks, cap * sizeof(*grown));
        if (grown == NULL)
            return;
        o->blocks = grown;
        o->block_capacity = cap;
    }
    /* Blocks arrive in start order. */
    o->blocks[o->block_count++] = (struct index_block){clock_days_from_date(b->start_date),
                                                       clock_days_from_date(b->end_date),
                                                       (int32_t)(b->seats - b->seats_taken)};
}

/* ---- following the change feed ---- */

struct change_batch {
    char **ids;
    size_t count, capacity;
    int64_t max_seq;      /* highest seq read */
    int64_t last_applied; /* ix.last_seq when the batch started */
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
    char today[11];
    clock_date_from_days(clock_today_days() - 1, today);
    pthread_rwlock_wrlock(&ix.lock);
    for (size_t i = 0; i < batch->count; i++) {
        int32_t slot = find_slot(batch->ids[i]);
        if (slot >= 0) {
            clear_facets((uint32_t)slot);
            ix.offerings[slot].block_count = 0;
        }
    }
    int rc = store_index_load(conn, (const char *const *)batch->ids, batch->count, today, on_offering, on_block,
                              NULL);
    pthread_rwlock_unlock(&ix.lock);
    return rc;
}

enum { SYNC_BATCH = 512 };

int catalog_index_sync(struct db_conn *conn)
{
    int rc = DB_OK;
    pthread_mutex_lock(&ix.sync_lock);
    /* Forget holes that never filled (rolled-back transactions). */
    int64_t now = clock_now();
    for (size_t i = 0; i < hole_count;)
        if (now - holes[i].seen_at > HOLE_SECONDS)
            holes[i] = holes[--hole_count];
        else
            i++;
    int64_t from = ix.last_seq;
    for (size_t i = 0; i < hole_count; i++)
        if (holes[i].seq - 1 < from)
            from = holes[i].seq - 1;
    for (;;) {
        struct change_batch batch = {.max_seq = from, .last_applied = ix.last_seq};
        int64_t rows_from = from;
        rc = store_catalog_changes_after(conn, from, SYNC_BATCH, on_change_counting, &batch);
        if (rc == DB_OK && batch.count > 0)
            rc = apply_batch(conn, &batch);
        int64_t reached = batch.max_seq;
        int64_t rows = batch.rows;
        batch_free(&batch);
        if (rc != DB_OK)
            break;
        if (reached > ix.last_seq)
            ix.last_seq = reached;
        if (rows < SYNC_BATCH)
            break;
        from = reached > rows_from ? reached : rows_from + rows;
    }
    pthread_mutex_unlock(&ix.sync_lock);
    return rc;
}

static void *follow_changes(void *arg)
{
    (void)arg;
    struct db_conn *conn = NULL;
    while (!__atomic_load_n(&ix.stopping, __ATOMIC_ACQUIRE)) {
        if (conn == NULL && db_open(ix.db_target, &conn) != DB_OK)
            conn = NULL;
        if (conn != NULL && catalog_index_sync(conn) != DB_OK)
            log_warn("msg=\"catalog index could not follow the change feed\"");
        struct timespec pause = {ix.poll_ms / 1000, (long)(ix.poll_ms % 1000) * 1000000L};
        nanosleep(&pause, NULL);
    }
    db_close(conn);
    return NULL;
}

int catalog_index_start(const char *db_target, int poll_ms)
{
    struct db_conn *conn = NULL;
    if (db_open(db_target, &conn) != DB_OK)
        return -1;
    double started = clock_monotonic_ms();
    char today[11];
    clock_date_from_days(clock_today_days() - 1, today);
    /* The feed position first, so that changes made during the load replay. */
    int64_t seq = 0;
    int rc = store_catalog_last_seq(conn, &seq);
    if (rc == DB_OK) {
        pthread_rwlock_wrlock(&ix.lock);
        rc = store_index_load(conn, NULL, 0, today, on_offering, on_block, NULL);
        pthread_rwlock_unlock(&ix.lock);
    }
    db_close(conn);
    if (rc != DB_OK)
        return -1;
    ix.last_seq = seq;
    malloc_trim(0); /* give back what loading needed (PostgreSQL results arrive whole) */
    log_info("msg=\"catalog index loaded\" offerings=%u ms=%.0f", ix.count, clock_monotonic_ms() - started);
    if (poll_ms > 0) {
        ix.db_target = copy_string(db_target);
        ix.poll_ms = poll_ms;
        ix.stopping = false;
        if (pthread_create(&ix.thread, NULL, follow_changes, NULL) != 0)
            return -1;
        ix.thread_running = true;
    }
    return 0;
}

void catalog_index_stop(void)
{
    if (ix.thread_running) {
        __atomic_store_n(&ix.stopping, true, __ATOMIC_RELEASE);
        pthread_join(ix.thread, NULL);
        ix.thread_running = false;
    }
    pthread_rwlock_wrlock(&ix.lock);
    for (uint32_t i = 0; i < ix.count; i++) {
        free(ix.offerings[i].id);
        free(ix.offerings[i].title);
        free(ix.offerings[i].blocks);
    }
    free(ix.offerings);
    free(ix.by_id);
    for (size_t v = 0; v < 64; v++) {
        free(ix.specialty_bits[v]);
        free(ix.state_bits[v]);
        ix.specialty_bits[v] = ix.state_bits[v] = NULL;
    }
    for (size_t v = 0; v < OFFERING_KIND_COUNT; v++) {
        free(ix.kind_bits[v]);
        ix.kind_bits[v] = NULL;
    }
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
    free(ix.db_target);
    ix.db_target = NULL;
    ix.offerings = NULL;
    ix.by_id = NULL;
    ix.count = ix.capacity = ix.by_id_size = 0;
    ix.words = 0;
    ix.last_seq = 0;
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
        uint8_t accepted = visa_mask_of(rules->visa_kinds);
        uint8_t mine = p->visa_kind != NULL ? visa_mask_of(p->visa_kind) : 0;
        if ((accepted & mine) == 0)
            return false;
    }
    if (graduate && rules->max_years_since_graduation >= 0 &&
        (p->graduation_year <= 0 || current_year - p->graduation_year > rules->max_years_since_graduation))
        return false;
    return true;
}

static bool slot_eligible(const struct index_offering *o, const struct store_profile *p, int current_year)
{
    struct catalog_eligibility rules = {
        .students_allowed = o->flags & FLAG_STUDENTS,
        .graduates_allowed = o->flags & FLAG_GRADUATES,
        .step1_required = o->flags & FLAG_STEP1,
        .english_proof_required = o->flags & FLAG_ENGLISH,
        .max_years_since_graduation = o->max_years,
        .visa_kinds = "", /* compared as masks below */
    };
    if (!catalog_eligible(&rules, p, current_year))
        return false;
    return o->visa_mask == 0 || (p->visa_kind != NULL && (o->visa_mask & visa_mask_of(p->visa_kind)) != 0);
}

/* ---- search ---- */

/* A full-text match in the index. */
struct text_match {
    uint32_t slot;
};

struct text_matches {
    struct arena *arena;
    char **ids;
    size_t count, capacity;
};

static void on_text_match(void *ctx, const char *offering_id)
{
    struct text_matches *m = ctx;
    if (m->count == m->capacity) {
        size_t cap = m->capacity ? m->capacity * 2 : 256;
        char **ids = arena_alloc(m->arena, cap * sizeof(char *));
        if (ids == NULL)
            return;
        if (m->count > 0)
            memcpy(ids, m->ids, m->count * sizeof(char *));
        m->ids = ids;
        m->capacity = cap;
    }
    m->ids[m->count] = arena_strdup(m->arena, offering_id);
    if (m->ids[m->count] != NULL)
        m->count++;
}

/* Lower-case ASCII words of letters and digits (other bytes end a word). */
static size_t split_words(const char *text, char words[][48], size_t max)
{
    size_t n = 0;
    for (const char *p = text; *p != '\0' && n < max;) {
        while (*p != '\0' && !isalnum((unsigned char)*p))
            p++;
        size_t len = 0;
        while (isalnum((unsigned char)*p)) {
            if (len + 1 < 48)
                words[n][len++] = (char)tolower((unsigned char)*p);
            p++;
        }
        if (len > 0)
            words[n++][len] = '\0';
    }
    return n;
}

/* Whether word (lower case) begins some word of text, ignoring case. */
static bool begins_a_word(const char *text, const char *word, size_t len)
{
    for (const char *p = text; *p != '\0'; p++) {
        if (p != text && isalnum((unsigned char)p[-1]))
            continue;
        size_t i = 0;
        while (i < len && p[i] != '\0' && tolower((unsigned char)p[i]) == word[i])
            i++;
        if (i == len)
            return true;
    }
    return false;
}

/* Relevance of a full-text match: the database found every word somewhere
 * in the offering; words that begin a word of the title weigh most, then the
 * host's name, so "cardiology boston" puts Boston cardiology rotations first. */
static double relevance(const struct index_offering *o, char words[][48], size_t count)
{
    double score = 1.0;
    const char *host = ix.hosts.items[o->host].name;
    for (size_t i = 0; i < count; i++) {
        size_t len = strlen(words[i]);
        if (o->title != NULL && begins_a_word(o->title, words[i], len))
            score += 3.0;
        else if (host != NULL && begins_a_word(host, words[i], len))
            score += 1.0;
    }
    return score;
}

/* A page entry: its sort key and slot; ordered by (key, id). */
struct ranked {
    int64_t key;
    uint32_t slot;
};

static int compare_ranked(const struct ranked *a, const struct ranked *b)
{
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return strcmp(ix.offerings[a->slot].id, ix.offerings[b->slot].id);
}

/* A max-heap of the best `limit` entries seen so far. */
static void heap_sift_down(struct ranked *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && compare_ranked(&h[l], &h[m]) > 0)
            m = l;
        if (r < n && compare_ranked(&h[r], &h[m]) > 0)
            m = r;
        if (m == i)
            return;
        struct ranked t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

static void heap_push(struct ranked *h, size_t *n, size_t limit, struct ranked item)
{
    if (*n < limit) {
        size_t i = (*n)++;
        h[i] = item;
        while (i > 0 && compare_ranked(&h[(i - 1) / 2], &h[i]) < 0) {
            struct ranked t = h[i];
            h[i] = h[(i - 1) / 2];
            h[(i - 1) / 2] = t;
            i = (i - 1) / 2;
        }
    } else if (compare_ranked(&item, &h[0]) < 0) {
        h[0] = item;
        heap_sift_down(h, *n, 0);
    }
}

static int cmp_ranked_qsort(const void *a, const void *b)
{
    return compare_ranked(a, b);
}

/* Cursor: base64url of "<sort>:<key>:<id>". */
struct cursor {
    bool set;
    int64_t key;
    char id[96];
};

static int parse_cursor(const char *text, enum catalog_sort sort, struct cursor *out)
{
    char raw[160];
    memset(out, 0, sizeof(*out));
    if (text == NULL)
        return 0;
    long n = crypto_base64url_decode(text, raw, sizeof(raw) - 1);
    if (n <= 0)
        return -1;
    raw[n] = '\0';
    char *colon1 = strchr(raw, ':');
    char *colon2 = colon1 != NULL ? strchr(colon1 + 1, ':') : NULL;
    if (colon1 == NULL || colon2 == NULL || colon1 - raw != 1 || raw[0] != (char)('0' + sort))
        return -1;
    *colon2 = '\0';
    char *end = NULL;
    long long key = strtoll(colon1 + 1, &end, 10);
    if (end == colon1 + 1 || *end != '\0' || strlen(colon2 + 1) == 0 || strlen(colon2 + 1) >= sizeof(out->id))
        return -1;
    out->set = true;
    out->key = key;
    snprintf(out->id, sizeof(out->id), "%s", colon2 + 1);
    return 0;
}

static const char *make_cursor(struct arena *arena, enum catalog_sort sort, int64_t key, const char *id)
{
    char raw[160];
    int n = snprintf(raw, sizeof(raw), "%d:%" PRId64 ":%s", (int)sort, key, id);
    if (n < 0 || (size_t)n >= sizeof(raw))
        return NULL;
    char *out = arena_alloc(arena, (size_t)n * 4 / 3 + 4);
    if (out != NULL)
        crypto_base64url_encode(raw, (size_t)n, out, (size_t)n * 4 / 3 + 4);
    return out;
}

/* The block that qualifies slot for the query: the soonest upcoming one in the
 * start window with seats left (or, with include_full, any upcoming one).
 * NULL when none does. */
static const struct index_block *qualifying_block(const struct index_offering *o, const struct catalog_query *q,
                                                  int32_t today, bool need_seats)
{
    for (uint32_t i = 0; i < o->block_count; i++) {
        const struct index_block *b = &o->blocks[i];
        if (b->start < today || b->start < q->start_from || b->start > q->start_to)
            continue;
        if (need_seats && b->seats_left <= 0)
            continue;
        return b;
    }
    return NULL;
}

static int current_year(void)
{
    char today[11];
    clock_today(today);
    return (today[0] - '0') * 1000 + (today[1] - '0') * 100 + (today[2] - '0') * 10 + (today[3] - '0');
}

static void fill_hit(struct arena *arena, uint32_t slot, const struct catalog_query *q, int32_t today, double score,
                     struct catalog_hit *hit)
{
    const struct index_offering *o = &ix.offerings[slot];
    memset(hit, 0, sizeof(*hit));
    hit->id = arena_strdup(arena, o->id);
    hit->title = arena_strdup(arena, o->title);
    hit->specialty = reference_specialties[o->specialty].slug;
    hit->kind = offering_kind_names[o->kind];
    hit->state = reference_states[o->state].code;
    hit->host_id = arena_strdup(arena, ix.hosts.items[o->host].id);
    hit->host_name = arena_strdup(arena, ix.hosts.items[o->host].name);
    hit->city = arena_strdup(arena, ix.cities.items[o->city].name);
    hit->weeks = o->weeks;
    hit->tuition_cents = o->tuition;
    hit->preceptor_verified = (o->flags & FLAG_VERIFIED) != 0;
    const struct index_block *b = qualifying_block(o, q, today, true);
    if (b == NULL && q->include_full)
        b = qualifying_block(o, q, today, false);
    if (b != NULL) {
        hit->has_open_block = b->seats_left > 0;
        clock_date_from_days(b->start, hit->next_start);
        clock_date_from_days(b->end, hit->next_end);
        hit->next_seats_left = b->seats_left > 0 ? b->seats_left : 0;
    }
    hit->score = score;
}

/* Compiled twice, with the POPCNT instruction and without; the loader picks
 * what this processor has. */
__attribute__((target_clones("popcnt", "default"))) static int64_t popcount_and(const uint64_t *a,
                                                                                const uint64_t *b, size_t words)
{
    int64_t n = 0;
    for (size_t i = 0; i < words; i++)
        n += __builtin_popcountll(a[i] & b[i]);
    return n;
}

int catalog_search(struct db_conn *conn, struct arena *arena, const struct catalog_query *q,
                   struct catalog_result *out, struct error *err)
{
    memset(out, 0, sizeof(*out));
    struct cursor cursor;
    if (parse_cursor(q->cursor, q->sort, &cursor) != 0)
        return error_set(err, ERR_INVALID_PARAMETER, "cursor", "is not a cursor of this search");
    out->specialty_counts = arena_calloc(arena, reference_specialty_count, sizeof(int64_t));
    out->state_counts = arena_calloc(arena, reference_state_count, sizeof(int64_t));
    if (out->specialty_counts == NULL || out->state_counts == NULL)
        return error_set(err, ERR_INTERNAL, NULL, NULL);

    /* Full text first, outside the lock: the database ranks, the index filters. */
    struct text_matches found = {.arena = arena};
    struct text_match *matches = NULL;
    bool text = q->text != NULL && q->text[0] != '\0';
    if (text) {
        if (store_catalog_search_text(conn, arena, q->text, on_text_match, &found) != DB_OK)
            return error_set(err, ERR_UNAVAILABLE, NULL, "the search is not available");
        matches = arena_alloc(arena, (found.count + 1) * sizeof(*matches));
        if (matches == NULL)
            return error_set(err, ERR_INTERNAL, NULL, NULL);
    }

    int32_t today = clock_today_days();
    int year = current_year();
    pthread_rwlock_rdlock(&ix.lock);
    size_t words = ix.words;
    size_t match_count = 0;
    uint64_t *base = arena_calloc(arena, words + 1, sizeof(uint64_t));
    uint64_t *scratch = arena_calloc(arena, words + 1, sizeof(uint64_t));
    if (base == NULL || scratch == NULL) {
        pthread_rwlock_unlock(&ix.lock);
        return error_set(err, ERR_INTERNAL, NULL, NULL);
    }
    char query_words[8][48];
    size_t query_word_count = 0;
    if (text) {
        query_word_count = split_words(q->text, query_words, 8);
        for (size_t i = 0; i < found.count; i++) {
            int32_t slot = find_slot(found.ids[i]);
            if (slot >= 0)
                matches[match_count++] = (struct text_match){(uint32_t)slot};
        }
    }

    /* Only offerings that can count somewhere need the per-offering checks:
     * those passing at least two of the three facet filters (each facet count
     * ignores its own filter), and matching the text when there is one. */
    const uint64_t *spec = q->specialty >= 0 ? ix.specialty_bits[q->specialty] : NULL;
    const uint64_t *state = q->state >= 0 ? ix.state_bits[q->state] : NULL;
    const uint64_t *kind = q->kind >= 0 ? ix.kind_bits[q->kind] : NULL;
    uint64_t *candidates = scratch;
    for (size_t w = 0; w < words; w++) {
        uint64_t s = spec ? spec[w] : ~0ull, t = state ? state[w] : ~0ull, k = kind ? kind[w] : ~0ull;
        candidates[w] = (t & k) | (s & k) | (s & t);
    }
    if (text) {
        uint64_t *matched = arena_calloc(arena, words + 1, sizeof(uint64_t));
        if (matched == NULL) {
            pthread_rwlock_unlock(&ix.lock);
            return error_set(err, ERR_INTERNAL, NULL, NULL);
        }
        for (size_t i = 0; i < match_count; i++)
            set_bit(matched, matches[i].slot, true);
        for (size_t w = 0; w < words; w++)
            candidates[w] &= matched[w];
    }
    for (size_t w = 0; w < words; w++) {
        for (uint64_t bits = candidates[w]; bits != 0; bits &= bits - 1) {
            uint32_t slot = (uint32_t)(w * 64 + (size_t)__builtin_ctzll(bits));
            if (slot >= ix.count)
                break;
            const struct index_offering *o = &ix.offerings[slot];
            if (!(o->flags & FLAG_LIVE))
                continue;
            if (q->max_tuition_cents >= 0 && o->tuition > q->max_tuition_cents)
                continue;
            if (qualifying_block(o, q, today, !q->include_full) == NULL) {
                /* include_full lists offerings without upcoming blocks too, unless a start window is asked for. */
                bool windowed = q->start_from != INT32_MIN || q->start_to != INT32_MAX;
                if (!q->include_full || windowed)
                    continue;
            }
            if (q->eligible_for != NULL && !slot_eligible(o, q->eligible_for, year))
                continue;
            set_bit(base, slot, true);
        }
    }

    /* Facets: each counts over the other filters, ignoring its own. */
    for (size_t w = 0; w < words; w++)
        scratch[w] = base[w] & (state ? state[w] : ~0ull) & (kind ? kind[w] : ~0ull);
    for (size_t v = 0; v < reference_specialty_count; v++)
        out->specialty_counts[v] = popcount_and(scratch, ix.specialty_bits[v], words);
    for (size_t w = 0; w < words; w++)
        scratch[w] = base[w] & (spec ? spec[w] : ~0ull) & (kind ? kind[w] : ~0ull);
    for (size_t v = 0; v < reference_state_count; v++)
        out->state_counts[v] = popcount_and(scratch, ix.state_bits[v], words);
    for (size_t w = 0; w < words; w++)
        scratch[w] = base[w] & (spec ? spec[w] : ~0ull) & (state ? state[w] : ~0ull);
    for (size_t v = 0; v < OFFERING_KIND_COUNT; v++)
        out->kind_counts[v] = popcount_and(scratch, ix.kind_bits[v], words);
    for (size_t w = 0; w < words; w++)
        base[w] &= (spec ? spec[w] : ~0ull) & (state ? state[w] : ~0ull) & (kind ? kind[w] : ~0ull);

    /* The page: the `limit` smallest (key, id) after the cursor. */
    size_t limit = (size_t)(q->limit > 0 ? q->limit : 20);
    struct ranked *heap = arena_alloc(arena, (limit + 1) * sizeof(*heap));
    size_t heap_count = 0;
    int64_t total = 0, after_cursor = 0;
    struct ranked cursor_item = {cursor.key, 0};
    for (size_t w = 0; w < words && heap != NULL; w++) {
        for (uint64_t bits = base[w]; bits != 0; bits &= bits - 1) {
            uint32_t slot = (uint32_t)(w * 64 + (size_t)__builtin_ctzll(bits));
            const struct index_offering *o = &ix.offerings[slot];
            total++;
            int64_t key;
            if (q->sort == CATALOG_SORT_PRICE) {
                key = o->tuition;
            } else if (q->sort == CATALOG_SORT_RELEVANCE) {
                key = -(int64_t)(relevance(o, query_words, query_word_count) * 1e6);
            } else {
                const struct index_block *b = qualifying_block(o, q, today, true);
                if (b == NULL)
                    b = qualifying_block(o, q, today, false);
                key = b != NULL ? b->start : INT32_MAX;
            }
            struct ranked item = {key, slot};
            if (cursor.set) {
                if (key < cursor_item.key || (key == cursor_item.key && strcmp(o->id, cursor.id) <= 0))
                    continue;
            }
            after_cursor++;
            heap_push(heap, &heap_count, limit, item);
        }
    }
    qsort(heap, heap_count, sizeof(*heap), cmp_ranked_qsort);
    out->total = total;
    out->items = arena_calloc(arena, heap_count + 1, sizeof(*out->items));
    for (size_t i = 0; i < heap_count && out->items != NULL; i++)
        fill_hit(arena, heap[i].slot, q, today,
                 text ? relevance(&ix.offerings[heap[i].slot], query_words, query_word_count) : 0.0,
                 &out->items[out->count++]);
    if (after_cursor > (int64_t)heap_count && heap_count > 0)
        out->next_cursor = make_cursor(arena, q->sort, heap[heap_count - 1].key, ix.offerings[heap[heap_count - 1].slot].id);
    pthread_rwlock_unlock(&ix.lock);
    return heap == NULL || (heap_count > 0 && out->items == NULL) ? error_set(err, ERR_INTERNAL, NULL, NULL) : 0;
}

void catalog_open_counts_by_state(int64_t *counts)
{
    int32_t today = clock_today_days();
    struct catalog_query any = {.start_from = INT32_MIN, .start_to = INT32_MAX};
    memset(counts, 0, reference_state_count * sizeof(int64_t));
    pthread_rwlock_rdlock(&ix.lock);
    for (uint32_t slot = 0; slot < ix.count; slot++) {
        const struct index_offering *o = &ix.offerings[slot];
        if ((o->flags & FLAG_LIVE) && qualifying_block(o, &any, today, true) != NULL)
            counts[o->state]++;
    }
    pthread_rwlock_unlock(&ix.lock);
}
