/* catalog_order.c — the catalog index's sort orders (struct index_order):
 * live slots by (key, id rank), kept by binary search and moves for a few
 * changes, rebuilt by radix sort for many. */
#include <stdlib.h>
#include <string.h>

#include "domain/catalog_index_state.h"

#define ix catalog_ix

int32_t catalog_index_price_key(const struct index_offering *o)
{
    return (int32_t)o->tuition;
}

int32_t catalog_index_soonest_key(const struct index_offering *o)
{
    return o->first_open != INDEX_NO_DAY ? o->first_open : o->first_upcoming;
}

int catalog_order_grow(struct index_order *order, uint32_t capacity, uint32_t old_capacity)
{
    uint32_t *slots = realloc(order->slots, (size_t)capacity * sizeof(uint32_t));
    if (slots == NULL)
        return -1;
    order->slots = slots;
    int32_t *placed = realloc(order->placed, (size_t)capacity * sizeof(int32_t));
    if (placed == NULL)
        return -1;
    order->placed = placed;
    for (uint32_t i = old_capacity; i < capacity; i++)
        placed[i] = INDEX_NOT_PLACED;
    return 0;
}

static bool before(int32_t key_a, uint32_t rank_a, int32_t key_b, uint32_t rank_b)
{
    return key_a != key_b ? key_a < key_b : rank_a < rank_b;
}

uint32_t catalog_order_seek(const struct index_order *order, int32_t key, uint32_t rank)
{
    uint32_t lo = 0, hi = order->count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        uint32_t slot = order->slots[mid];
        if (before(order->placed[slot], ix.rank[slot], key, rank))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void catalog_order_remove(struct index_order *order, uint32_t slot)
{
    int32_t key = order->placed[slot];
    if (key == INDEX_NOT_PLACED)
        return;
    uint32_t at = catalog_order_seek(order, key, ix.rank[slot]);
    if (at < order->count && order->slots[at] == slot) {
        memmove(order->slots + at, order->slots + at + 1, (size_t)(order->count - at - 1) * sizeof(uint32_t));
        order->count--;
    }
    order->placed[slot] = INDEX_NOT_PLACED;
}

void catalog_order_insert(struct index_order *order, uint32_t slot, int32_t key)
{
    catalog_order_remove(order, slot);
    uint32_t at = catalog_order_seek(order, key, ix.rank[slot]);
    memmove(order->slots + at + 1, order->slots + at, (size_t)(order->count - at) * sizeof(uint32_t));
    order->slots[at] = slot;
    order->count++;
    order->placed[slot] = key;
}

/* Sorts n 64-bit values, 16 bits a pass (tmp holds n). */
static void radix_sort(uint64_t *values, uint64_t *tmp, size_t n)
{
    static uint32_t counts[65536];
    for (int shift = 0; shift < 64; shift += 16) {
        memset(counts, 0, sizeof(counts));
        for (size_t i = 0; i < n; i++)
            counts[(values[i] >> shift) & 0xFFFF]++;
        uint32_t sum = 0;
        for (size_t d = 0; d < 65536; d++) {
            uint32_t c = counts[d];
            counts[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            tmp[counts[(values[i] >> shift) & 0xFFFF]++] = values[i];
        memcpy(values, tmp, n * sizeof(uint64_t));
    }
}

int catalog_order_rebuild(struct index_order *order, int32_t (*key)(const struct index_offering *o))
{
    uint64_t *values = malloc(((size_t)ix.count + 1) * sizeof(uint64_t));
    uint64_t *tmp = malloc(((size_t)ix.count + 1) * sizeof(uint64_t));
    if (values == NULL || tmp == NULL) {
        free(values);
        free(tmp);
        return -1;
    }
    size_t n = 0;
    for (uint32_t slot = 0; slot < ix.count; slot++) {
        order->placed[slot] = INDEX_NOT_PLACED;
        const struct index_offering *o = &ix.offerings[slot];
        if (!(o->flags & INDEX_FLAG_LIVE))
            continue;
        int32_t k = key(o);
        order->placed[slot] = k;
        /* The key's sign bit flipped, so that unsigned order is signed order. */
        values[n++] = (uint64_t)((uint32_t)k ^ 0x80000000u) << 32 | ix.rank[slot];
    }
    radix_sort(values, tmp, n);
    for (size_t i = 0; i < n; i++)
        order->slots[i] = ix.by_rank[(uint32_t)values[i]];
    order->count = (uint32_t)n;
    free(values);
    free(tmp);
    return 0;
}

void catalog_order_free(struct index_order *order)
{
    free(order->slots);
    free(order->placed);
    memset(order, 0, sizeof(*order));
}
