/* catalog_search.c — a search of the in-process catalog index, under its
 * read lock and without the database:
 *
 *   1. the text (catalog_text.c) and the prefilter: the live or the open
 *      offerings, as a bitset;
 *   2. the candidates: those passing at least two of the three facet filters
 *      (each facet count ignores its own filter); a pass over them only for
 *      what bitsets cannot answer (a start window, tuition, eligibility);
 *   3. facet counts: popcounts per value, or one pass over the candidates
 *      when there are few; a search with only facet filters (the most
 *      common) skips steps 2 and 3 and sums the index's counts per facet;
 *   4. the page: the `limit` smallest (key, id order) after the cursor, with a
 *      bounded heap; the relevance key is read from the text's bitsets. */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/agreements.h"
#include "domain/catalog_index_state.h"
#include "domain/catalog_text.h"
#include "domain/reference.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/limits.h"

#define ix catalog_ix

/* ---- cursors: base64url of "<sort>:<key>:<id>" ---- */

struct cursor {
    bool set;
    int64_t key;
    char id[96];
    uint32_t after_rank; /* entries of rank ≥ this with the same key come after it */
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

/* Where the cursor's id falls in id order (the index holds it, or not yet). */
static void place_cursor(struct cursor *c)
{
    if (!c->set)
        return;
    int32_t slot = catalog_index_find_slot(c->id);
    if (slot >= 0 && (uint32_t)slot < ix.ranked) {
        c->after_rank = ix.rank[slot] + 1;
        return;
    }
    uint32_t lo = 0, hi = ix.ranked;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (strcmp(ix.offerings[ix.by_rank[mid]].id, c->id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    c->after_rank = lo;
}

/* ---- per offering ---- */

static bool windowed(const struct catalog_query *q)
{
    return q->start_from != INT32_MIN || q->start_to != INT32_MAX;
}

/* The block that qualifies o for the query: the soonest upcoming one in the
 * start window with seats left (or, without need_seats, any upcoming one).
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

/* For an offering that requires an affiliation agreement: whether a block
 * the query would list (upcoming, in the window, with a seat unless
 * include_full) is covered by one of the student's (affiliation_covers). */
static bool affiliated_block(const struct index_offering *o, const struct catalog_query *q, int32_t today)
{
    const char *host_id = ix.hosts.items[o->host].id;
    for (uint32_t i = 0; i < o->block_count; i++) {
        const struct index_block *b = &o->blocks[i];
        if (b->start < today || b->start < q->start_from || b->start > q->start_to)
            continue;
        if (!q->include_full && b->seats_left <= 0)
            continue;
        char start[11], end[11];
        clock_date_from_days(b->start, start);
        clock_date_from_days(b->end, end);
        if (affiliation_covers(q->affiliations, q->affiliation_count, host_id, start, end))
            return true;
    }
    return false;
}

/* What bitsets cannot answer: the start window, tuition and eligibility. */
static bool passes_checks(const struct index_offering *o, const struct catalog_query *q, int32_t today, int year)
{
    if (q->max_tuition_cents >= 0 && o->tuition > q->max_tuition_cents)
        return false;
    /* Without include_full a block with a seat must qualify; with it and a
     * window, any upcoming block in the window (without a window every live
     * offering is listed, and the prefilter said so). */
    if (windowed(q) && qualifying_block(o, q, today, !q->include_full) == NULL)
        return false;
    if (q->eligible_for == NULL)
        return true;
    if (!catalog_index_slot_eligible(o, q->eligible_for, year))
        return false;
    return (o->flags & INDEX_FLAG_AFFILIATION) == 0 || affiliated_block(o, q, today);
}

static int current_year(void)
{
    char today[11];
    clock_today(today);
    return (today[0] - '0') * 1000 + (today[1] - '0') * 100 + (today[2] - '0') * 10 + (today[3] - '0');
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

__attribute__((target_clones("popcnt", "default"))) static int64_t popcount(const uint64_t *a, size_t words)
{
    int64_t n = 0;
    for (size_t i = 0; i < words; i++)
        n += __builtin_popcountll(a[i]);
    return n;
}

#define EACH_SLOT(bits, words, slot)                                                                         \
    for (size_t each_w_ = 0; each_w_ < (words); each_w_++)                                                     \
        for (uint64_t each_b_ = (bits)[each_w_]; each_b_ != 0; each_b_ &= each_b_ - 1)                        \
            for (uint32_t slot = (uint32_t)(each_w_ * 64 + (size_t)__builtin_ctzll(each_b_)), each_once_ = 1;   \
                 each_once_; each_once_ = 0)

/* ---- the search's working state ---- */

struct search {
    const struct catalog_query *q;
    struct arena *arena;
    size_t words;
    int32_t today;
    const uint64_t *spec, *state, *kind; /* the facet filters, NULL for any */
    uint64_t *candidates;                /* pass two of the three facet filters */
    uint64_t *base;                      /* pass all of them: the results */
    struct catalog_text_result text;
    bool has_text;
};

static uint64_t any_or(const uint64_t *bits, size_t w)
{
    return bits != NULL ? bits[w] : ~0ull;
}

/* Steps 1 and 2: the candidates. */
static int find_candidates(struct search *s)
{
    const struct catalog_query *q = s->q;
    s->candidates = arena_alloc(s->arena, (s->words + 1) * sizeof(uint64_t));
    s->base = arena_alloc(s->arena, (s->words + 1) * sizeof(uint64_t));
    if (s->candidates == NULL || s->base == NULL)
        return -1;
    if (s->has_text && catalog_text_query(s->arena, q->text, s->words, q->sort == CATALOG_SORT_RELEVANCE,
                                          &s->text) != 0)
        return -1;
    /* include_full without a window lists every live offering; otherwise an
     * open one is needed (include_full with a window: checked per offering). */
    const uint64_t *pre = q->include_full ? ix.live_bits : ix.open_bits;
    const uint64_t *match = s->has_text ? s->text.match : NULL;
    for (size_t w = 0; w < s->words; w++) {
        uint64_t sp = any_or(s->spec, w), st = any_or(s->state, w), k = any_or(s->kind, w);
        s->candidates[w] = pre[w] & any_or(match, w) & ((st & k) | (sp & k) | (sp & st));
    }
    if (q->only_ids != NULL) {
        uint64_t *only = arena_calloc(s->arena, s->words + 1, sizeof(uint64_t));
        if (only == NULL)
            return -1;
        for (size_t i = 0; i < q->only_count; i++) {
            int32_t slot = catalog_index_find_slot(q->only_ids[i]);
            if (slot >= 0 && (size_t)slot / 64 < s->words)
                only[slot / 64] |= 1ull << (slot % 64);
        }
        for (size_t w = 0; w < s->words; w++)
            s->candidates[w] &= only[w];
    }
    if (!windowed(q) && q->max_tuition_cents < 0 && q->eligible_for == NULL)
        return 0;
    int year = current_year();
    EACH_SLOT(s->candidates, s->words, slot)
    {
        if (!passes_checks(&ix.offerings[slot], q, s->today, year))
            s->candidates[slot / 64] &= ~(1ull << (slot % 64));
    }
    return 0;
}

/* Step 3: each facet counts the candidates passing the other two filters. */
static void count_facets(struct search *s, struct catalog_result *out)
{
    size_t values = reference_specialty_count + reference_state_count + OFFERING_KIND_COUNT;
    int64_t n = popcount(s->candidates, s->words);
    /* A candidate costs about six popcounts of a 64-bit word (measured). */
    if ((size_t)n * 6 < s->words * values) {
        /* Few candidates: one pass, each adding to its own values. */
        const struct catalog_query *q = s->q;
        uint32_t any = 0xFF;
        uint32_t want_spec = q->specialty >= 0 ? (uint32_t)q->specialty : any;
        uint32_t want_state = q->state >= 0 ? (uint32_t)q->state : any;
        uint32_t want_kind = q->kind >= 0 ? (uint32_t)q->kind : any;
        EACH_SLOT(s->candidates, s->words, slot)
        {
            uint32_t code = ix.facet_code[slot];
            uint32_t sp = code & 0xFF, st = (code >> 8) & 0xFF, k = code >> 16;
            bool sp_ok = want_spec == any || sp == want_spec, st_ok = want_state == any || st == want_state,
                 k_ok = want_kind == any || k == want_kind;
            out->specialty_counts[sp] += st_ok && k_ok;
            out->state_counts[st] += sp_ok && k_ok;
            out->kind_counts[k] += sp_ok && st_ok;
        }
        return;
    }
    uint64_t *scratch = s->base; /* free until step 4 */
    for (size_t w = 0; w < s->words; w++)
        scratch[w] = s->candidates[w] & any_or(s->state, w) & any_or(s->kind, w);
    for (size_t v = 0; v < reference_specialty_count; v++)
        out->specialty_counts[v] = popcount_and(scratch, ix.specialty_bits[v], s->words);
    for (size_t w = 0; w < s->words; w++)
        scratch[w] = s->candidates[w] & any_or(s->spec, w) & any_or(s->kind, w);
    for (size_t v = 0; v < reference_state_count; v++)
        out->state_counts[v] = popcount_and(scratch, ix.state_bits[v], s->words);
    for (size_t w = 0; w < s->words; w++)
        scratch[w] = s->candidates[w] & any_or(s->spec, w) & any_or(s->state, w);
    for (size_t v = 0; v < OFFERING_KIND_COUNT; v++)
        out->kind_counts[v] = popcount_and(scratch, ix.kind_bits[v], s->words);
}

/* Whether the facet filters are all the search has (no text, start window,
 * tuition, eligibility or id list): then the index's counts per facet give
 * the facet counts. */
static bool facets_only(const struct search *s)
{
    const struct catalog_query *q = s->q;
    return !s->has_text && !windowed(q) && q->max_tuition_cents < 0 && q->eligible_for == NULL &&
           q->only_ids == NULL;
}

/* Steps 2 and 3 of a facets_only search: each facet sums the counts of the
 * offerings passing the other two filters. */
static void sum_facets(const struct search *s, struct catalog_result *out)
{
    const struct catalog_query *q = s->q;
    int32_t(*counts)[64][OFFERING_KIND_COUNT] = q->include_full ? ix.live_counts : ix.open_counts;
    for (size_t st = 0; st < reference_state_count; st++) {
        bool st_ok = q->state < 0 || (size_t)q->state == st;
        for (size_t sp = 0; sp < reference_specialty_count; sp++) {
            bool sp_ok = q->specialty < 0 || (size_t)q->specialty == sp;
            if (!st_ok && !sp_ok)
                continue; /* counts for no facet */
            for (int k = 0; k < OFFERING_KIND_COUNT; k++) {
                int64_t n = counts[st][sp][k];
                bool k_ok = q->kind < 0 || q->kind == k;
                out->specialty_counts[sp] += st_ok && k_ok ? n : 0;
                out->state_counts[st] += sp_ok && k_ok ? n : 0;
                out->kind_counts[k] += sp_ok && st_ok ? n : 0;
            }
        }
    }
}

static bool bit(const uint64_t *bits, uint32_t slot)
{
    return bits != NULL && (bits[slot / 64] >> (slot % 64)) & 1;
}

/* Relevance as a key (lower first): words matched only through a typo weigh
 * most (× 32), then the fields: 31 less 3 per word in the title and 1 per
 * word only in the host's name. */
static int64_t relevance_key(const struct catalog_text_result *t, uint32_t slot)
{
    int64_t typos = 0, score = 0;
    for (size_t i = 0; i < t->word_count; i++) {
        typos += bit(t->typo[i], slot);
        score += bit(t->title[i], slot) ? 3 : bit(t->host[i], slot) ? 1 : 0;
    }
    return typos * 32 + (31 - score);
}

/* A live slot's key in an order, as the order keeps it (an array of keys
 * is denser in the cache than the offerings it would read them from). */
static int64_t order_key(const struct index_order *order, uint32_t slot,
                         int32_t (*key)(const struct index_offering *o))
{
    int32_t placed = order->placed[slot];
    return placed != INDEX_NOT_PLACED ? placed : key(&ix.offerings[slot]);
}

static int64_t sort_key(const struct search *s, uint32_t slot)
{
    switch (s->q->sort) {
    case CATALOG_SORT_PRICE:
        return order_key(&ix.by_price, slot, catalog_index_price_key);
    case CATALOG_SORT_RELEVANCE:
        return relevance_key(&s->text, slot);
    default:
        break;
    }
    if (!windowed(s->q))
        return order_key(&ix.by_soonest, slot, catalog_index_soonest_key);
    const struct index_offering *o = &ix.offerings[slot];
    const struct index_block *b = qualifying_block(o, s->q, s->today, true);
    if (b == NULL)
        b = qualifying_block(o, s->q, s->today, false);
    return b != NULL ? b->start : INDEX_NO_DAY;
}

/* ---- step 4: the page ----
 * The `limit` first entries after the cursor, and one more to know whether
 * a next page exists, found one of three ways: a bounded heap over the
 * results (few results); a walk along a sort order kept by the index,
 * skipping what the search did not match (many results: each entry costs
 * about live / results steps); for relevance, the same per level of the key,
 * each level a bitset computed from the text's bitsets. */

struct ranked {
    int64_t key;
    uint32_t rank, slot;
};

static bool ranked_before(const struct ranked *a, const struct ranked *b)
{
    return a->key != b->key ? a->key < b->key : a->rank < b->rank;
}

/* A max-heap of the best `limit` entries seen so far. */
static void heap_push(struct ranked *h, size_t *n, size_t limit, struct ranked item)
{
    size_t i;
    if (*n < limit) {
        i = (*n)++;
        while (i > 0 && ranked_before(&h[(i - 1) / 2], &item)) {
            h[i] = h[(i - 1) / 2];
            i = (i - 1) / 2;
        }
        h[i] = item;
        return;
    }
    if (!ranked_before(&item, &h[0]))
        return;
    i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        const struct ranked *largest = &item;
        if (l < *n && ranked_before(largest, &h[l])) {
            m = l;
            largest = &h[l];
        }
        if (r < *n && ranked_before(largest, &h[r]))
            m = r;
        if (m == i)
            break;
        h[i] = h[m];
        i = m;
    }
    h[i] = item;
}

static int compare_ranked(const void *a, const void *b)
{
    return ranked_before(a, b) ? -1 : ranked_before(b, a) ? 1 : 0;
}

static void fill_hit(struct arena *arena, const struct search *s, const struct ranked *r, struct catalog_hit *hit)
{
    const struct index_offering *o = &ix.offerings[r->slot];
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
    hit->preceptor_verified = (o->flags & INDEX_FLAG_VERIFIED) != 0;
    hit->review_count = o->review_count;
    if (o->review_count > 0)
        hit->review_average_tenths =
            ((int64_t)o->review_overall_sum * 10 + o->review_count / 2) / (int64_t)o->review_count;
    const struct index_block *b = qualifying_block(o, s->q, s->today, true);
    if (b == NULL && s->q->include_full)
        b = qualifying_block(o, s->q, s->today, false);
    if (b != NULL) {
        hit->has_open_block = b->seats_left > 0;
        clock_date_from_days(b->start, hit->next_start);
        clock_date_from_days(b->end, hit->next_end);
        hit->next_seats_left = b->seats_left > 0 ? b->seats_left : 0;
    }
    hit->rank_key = s->q->sort == CATALOG_SORT_RELEVANCE ? r->key : 0;
}

struct page {
    struct ranked *items;
    size_t count, want; /* want = limit + 1 */
};

static bool after_cursor(const struct cursor *c, int64_t key, uint32_t rank)
{
    return !c->set || key > c->key || (key == c->key && rank >= c->after_rank);
}

/* The heap way, over the slots of mask; key is fixed (>= 0) or sort_key's. */
static void page_by_heap(const struct search *s, const uint64_t *mask, int64_t key, const struct cursor *c,
                         struct page *p)
{
    size_t start = p->count, n = 0, room = p->want - p->count;
    struct ranked *heap = p->items + start;
    EACH_SLOT(mask, s->words, slot)
    {
        struct ranked item = {key >= 0 ? key : sort_key(s, slot), ix.rank[slot], slot};
        if (after_cursor(c, item.key, item.rank))
            heap_push(heap, &n, room, item);
    }
    qsort(heap, n, sizeof(*heap), compare_ranked);
    p->count += n;
}

/* The walk way along order, from the cursor. */
static void page_by_order(const struct search *s, const struct index_order *order, const struct cursor *c,
                          struct page *p)
{
    uint32_t at = c->set ? catalog_order_seek(order, (int32_t)c->key, c->after_rank) : 0;
    for (; at < order->count && p->count < p->want; at++) {
        uint32_t slot = order->slots[at];
        if (bit(s->base, slot))
            p->items[p->count++] = (struct ranked){order->placed[slot], ix.rank[slot], slot};
    }
}

/* The walk way in id order over one level's slots. */
static void page_by_rank(const uint64_t *mask, int64_t key, uint32_t from_rank, struct page *p)
{
    for (uint32_t r = from_rank; r < ix.ranked && p->count < p->want; r++) {
        uint32_t slot = ix.by_rank[r];
        if (bit(mask, slot))
            p->items[p->count++] = (struct ranked){key, r, slot};
    }
}

/* Whether walking beats the heap: each wanted entry costs about live / n
 * steps of the walk; the heap costs n. */
static bool walk_pays(size_t want, int64_t n, uint32_t live)
{
    return n > 0 && (double)want * live / (double)n < (double)n;
}

/* The key of every result, bit-sliced: planes[w * 9 + b] holds bit b of the
 * key of the 64 slots of word w (bits 0-4: 31 − score, 5-8: typos). */
enum { KEY_PLANES = 9 };

static void add_planes(uint64_t *planes, int from, int count, uint64_t x)
{
    for (int b = from; b < count && x != 0; b++) {
        uint64_t carry = planes[b] & x;
        planes[b] ^= x;
        x = carry;
    }
}

static uint64_t *relevance_planes(const struct search *s)
{
    /* Words without results are never read (level_mask starts from base): no need to clear them. */
    uint64_t *planes = arena_alloc(s->arena, (s->words * KEY_PLANES + 1) * sizeof(uint64_t));
    if (planes == NULL)
        return NULL;
    const struct catalog_text_result *t = &s->text;
    for (size_t w = 0; w < s->words; w++) {
        if (s->base[w] == 0)
            continue;
        uint64_t score[5] = {0}, typos[4] = {0};
        for (size_t i = 0; i < t->word_count; i++) {
            uint64_t title = t->title[i][w], host = t->host[i][w] & ~title;
            add_planes(score, 0, 5, title); /* + 3 */
            add_planes(score, 1, 5, title);
            add_planes(score, 0, 5, host);
            if (t->typo[i] != NULL)
                add_planes(typos, 0, 4, t->typo[i][w]);
        }
        uint64_t *p = planes + w * KEY_PLANES;
        for (int b = 0; b < 5; b++)
            p[b] = ~score[b]; /* 31 − score, in five bits */
        for (int b = 0; b < 4; b++)
            p[5 + b] = typos[b];
    }
    return planes;
}

/* The results whose key is key, into mask; their count. */
static int64_t level_mask(const struct search *s, const uint64_t *planes, int64_t key, uint64_t *mask)
{
    int64_t n = 0;
    for (size_t w = 0; w < s->words; w++) {
        uint64_t m = s->base[w];
        for (int b = 0; b < KEY_PLANES && m != 0; b++)
            m &= (key >> b) & 1 ? planes[w * KEY_PLANES + b] : ~planes[w * KEY_PLANES + b];
        mask[w] = m;
        n += __builtin_popcountll(m);
    }
    return n;
}

static int page_by_relevance(const struct search *s, const struct cursor *c, struct page *p)
{
    uint64_t *planes = relevance_planes(s);
    uint64_t *mask = arena_alloc(s->arena, (s->words + 1) * sizeof(uint64_t));
    if (planes == NULL || mask == NULL)
        return -1;
    /* The scores a query can reach: sums of 0, 1 or 3 per word. */
    uint32_t reachable = 1; /* bit v: score v */
    for (size_t i = 0; i < s->text.word_count; i++)
        reachable = reachable | reachable << 1 | reachable << 3;
    for (int64_t typos = 0; typos <= (int64_t)s->text.word_count && p->count < p->want; typos++) {
        for (int64_t score = 31; score >= 0 && p->count < p->want; score--) {
            int64_t key = typos * 32 + (31 - score);
            if (!(reachable >> score & 1) || (c->set && key < c->key))
                continue;
            int64_t n = level_mask(s, planes, key, mask);
            uint32_t from = c->set && key == c->key ? c->after_rank : 0;
            if (walk_pays(p->want - p->count, n, ix.ranked))
                page_by_rank(mask, key, from, p);
            else if (n > 0)
                page_by_heap(s, mask, key, c, p);
        }
    }
    return 0;
}

/* The cards' fields lie all over the heap: asked for before any is read,
 * their cache misses overlap instead of following one another (copying
 * them one card at a time was a sixth of a filter search). */
static void prefetch_hits(const struct ranked *shown, size_t count)
{
    for (size_t i = 0; i < count; i++)
        __builtin_prefetch(&ix.offerings[shown[i].slot]);
    for (size_t i = 0; i < count; i++) {
        const struct index_offering *o = &ix.offerings[shown[i].slot];
        __builtin_prefetch(o->id);
        __builtin_prefetch(o->title);
        __builtin_prefetch(o->blocks);
        __builtin_prefetch(&ix.hosts.items[o->host]);
        __builtin_prefetch(&ix.cities.items[o->city]);
    }
    for (size_t i = 0; i < count; i++) {
        const struct index_offering *o = &ix.offerings[shown[i].slot];
        __builtin_prefetch(ix.hosts.items[o->host].id);
        __builtin_prefetch(ix.hosts.items[o->host].name);
        __builtin_prefetch(ix.cities.items[o->city].name);
    }
}

static int take_page(struct search *s, const struct cursor *cursor, struct catalog_result *out)
{
    size_t limit = (size_t)(s->q->limit > 0 ? s->q->limit : 20);
    /* A numbered page takes the results before it too, and skips them (the
     * walk ways cost about as much per result skipped as per result shown). */
    size_t skip = s->q->offset > 0 && s->q->offset <= CATALOG_OFFSET_MAX ? (size_t)s->q->offset : 0;
    out->total = popcount(s->base, s->words);
    if (skip > (size_t)out->total)
        skip = (size_t)out->total; /* past the last page: nothing to show, nothing to hold */
    struct page p = {arena_alloc(s->arena, (skip + limit + 2) * sizeof(struct ranked)), 0, skip + limit + 1};
    if (p.items == NULL)
        return -1;
    const struct index_order *order = s->q->sort == CATALOG_SORT_PRICE ? &ix.by_price
                                      : s->q->sort == CATALOG_SORT_SOONEST && !windowed(s->q) ? &ix.by_soonest
                                                                                            : NULL;
    bool walk = walk_pays(p.want, out->total, ix.by_price.count);
    if (s->q->sort == CATALOG_SORT_RELEVANCE && walk) {
        if (page_by_relevance(s, cursor, &p) != 0)
            return -1;
    } else if (order != NULL && walk) {
        page_by_order(s, order, cursor, &p);
    } else {
        page_by_heap(s, s->base, -1, cursor, &p);
    }
    struct ranked *shown = p.items + (p.count < skip ? p.count : skip);
    size_t left = p.count > skip ? p.count - skip : 0;
    size_t count = left < limit ? left : limit;
    out->items = arena_calloc(s->arena, count + 1, sizeof(*out->items));
    if (out->items == NULL)
        return -1;
    prefetch_hits(shown, count);
    for (size_t i = 0; i < count; i++)
        fill_hit(s->arena, s, &shown[i], &out->items[out->count++]);
    if (left > limit)
        out->next_cursor = make_cursor(s->arena, s->q->sort, shown[limit - 1].key, ix.offerings[shown[limit - 1].slot].id);
    return 0;
}

static int search_locked(struct search *s, struct cursor *cursor, struct catalog_result *out)
{
    const struct catalog_query *q = s->q;
    s->words = (ix.count + 63) / 64; /* the words slots use, not those kept for growth */
    s->spec = q->specialty >= 0 ? ix.specialty_bits[q->specialty] : NULL;
    s->state = q->state >= 0 ? ix.state_bits[q->state] : NULL;
    s->kind = q->kind >= 0 ? ix.kind_bits[q->kind] : NULL;
    if (s->words == 0)
        return 0;
    place_cursor(cursor);
    if (facets_only(s)) {
        s->base = arena_alloc(s->arena, (s->words + 1) * sizeof(uint64_t));
        if (s->base == NULL)
            return -1;
        const uint64_t *pre = q->include_full ? ix.live_bits : ix.open_bits;
        for (size_t w = 0; w < s->words; w++)
            s->base[w] = pre[w] & any_or(s->spec, w) & any_or(s->state, w) & any_or(s->kind, w);
        sum_facets(s, out);
        return take_page(s, cursor, out);
    }
    if (find_candidates(s) != 0)
        return -1;
    count_facets(s, out);
    for (size_t w = 0; w < s->words; w++)
        s->base[w] = s->candidates[w] & any_or(s->spec, w) & any_or(s->state, w) & any_or(s->kind, w);
    return take_page(s, cursor, out);
}

int catalog_search(struct arena *arena, const struct catalog_query *q, struct catalog_result *out, struct error *err)
{
    memset(out, 0, sizeof(*out));
    struct cursor cursor;
    if (parse_cursor(q->cursor, q->sort, &cursor) != 0)
        return error_set(err, ERR_INVALID_PARAMETER, "cursor", "is not a cursor of this search");
    out->specialty_counts = arena_calloc(arena, reference_specialty_count, sizeof(int64_t));
    out->state_counts = arena_calloc(arena, reference_state_count, sizeof(int64_t));
    out->items = arena_calloc(arena, 1, sizeof(*out->items));
    if (out->specialty_counts == NULL || out->state_counts == NULL || out->items == NULL)
        return error_set(err, ERR_INTERNAL, NULL, NULL);
    catalog_index_follow_day();
    struct search s = {.q = q, .arena = arena, .today = clock_today_days(),
                       .has_text = q->text != NULL && q->text[0] != '\0'};
    pthread_rwlock_rdlock(&ix.lock);
    out->generation = ix.generation;
    int rc = search_locked(&s, &cursor, out);
    pthread_rwlock_unlock(&ix.lock);
    return rc != 0 ? error_set(err, ERR_INTERNAL, NULL, NULL) : 0;
}

bool catalog_index_hit(struct arena *arena, const char *id, struct catalog_hit *out)
{
    struct catalog_query any = {.specialty = -1, .state = -1, .kind = -1, .start_from = INT32_MIN,
                                .start_to = INT32_MAX, .max_tuition_cents = -1, .include_full = true, .limit = 1};
    struct search s = {.q = &any, .arena = arena, .today = clock_today_days()};
    catalog_index_follow_day();
    pthread_rwlock_rdlock(&ix.lock);
    int32_t slot = id != NULL ? catalog_index_find_slot(id) : -1;
    bool live = slot >= 0 && (ix.offerings[slot].flags & INDEX_FLAG_LIVE);
    if (live) {
        struct ranked r = {0, ix.rank[slot], (uint32_t)slot};
        fill_hit(arena, &s, &r, out);
    }
    pthread_rwlock_unlock(&ix.lock);
    return live;
}

void catalog_open_counts_by_state(int64_t *counts)
{
    memset(counts, 0, reference_state_count * sizeof(int64_t));
    catalog_index_follow_day();
    pthread_rwlock_rdlock(&ix.lock);
    for (size_t v = 0; v < reference_state_count && ix.words > 0; v++)
        counts[v] = popcount_and(ix.open_bits, ix.state_bits[v], ix.words);
    pthread_rwlock_unlock(&ix.lock);
}
