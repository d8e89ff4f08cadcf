/* catalog_text.c — words, the token dictionary and the posting sets of the
 * catalog index; see catalog_text.h. */
#include "domain/catalog_text.h"

#include <stdlib.h>
#include <string.h>

/* ---- words ---- */

/* Base letters of U+00C0 … U+017F: '*' separates words, '2' marks a letter
 * that folds to two (see two_letter_fold). */
static const char latin_fold[] =
    /* U+00C0 */ "aaaaaa2ceeeeiiiidnooooo*ouuuuy22"
    /* U+00E0 */ "aaaaaa2ceeeeiiiidnooooo*ouuuuy2y"
    /* U+0100 */ "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii22jjkkkllllllllll"
                 "nnnnnnnnnoooooo22rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

static const char *two_letter_fold(uint32_t cp)
{
    switch (cp) {
    case 0xC6: case 0xE6: return "ae";
    case 0xDE: case 0xFE: return "th";
    case 0xDF: return "ss";
    case 0x132: case 0x133: return "ij";
    case 0x152: case 0x153: return "oe";
    default: return "";
    }
}

/* Decodes one UTF-8 sequence at p (valid input assumed; a stray byte is one
 * code point of its own value). */
static uint32_t decode(const unsigned char *p, size_t *len)
{
    if (p[0] < 0x80) {
        *len = 1;
        return p[0];
    }
    size_t n = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC0 ? 2 : 1;
    uint32_t cp = n == 4 ? p[0] & 0x07u : n == 3 ? p[0] & 0x0Fu : n == 2 ? p[0] & 0x1Fu : p[0];
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *len = 1;
            return 0xFFFD;
        }
        cp = (cp << 6) | (p[i] & 0x3Fu);
    }
    *len = n;
    return cp;
}

/* What code point cp (the n bytes at p) adds to a word, into buf: false
 * when it separates words instead. */
static bool fold_char(uint32_t cp, const unsigned char *p, size_t n, char buf[4], size_t *buf_len)
{
    *buf_len = 0;
    if (cp < 0x80) {
        if (!((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')))
            return false;
        buf[(*buf_len)++] = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
        return true;
    }
    if (cp < 0xC0 || (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F) || cp == 0xFFFD ||
        cp == 0xFEFF)
        return false;
    if (cp <= 0x17F) {
        char c = latin_fold[cp - 0xC0];
        if (c == '*')
            return false;
        const char *two = two_letter_fold(cp);
        if (c == '2' && two[0] != '\0') {
            buf[0] = two[0];
            buf[1] = two[1];
            *buf_len = 2;
        } else {
            buf[(*buf_len)++] = c;
        }
        return true;
    }
    memcpy(buf, p, n);
    *buf_len = n;
    return true;
}

size_t catalog_text_next_word(const char **text, char out[CATALOG_TEXT_TOKEN_MAX + 1])
{
    const unsigned char *p = (const unsigned char *)*text;
    size_t len = 0;
    bool in_word = false;
    while (*p != '\0') {
        size_t n;
        uint32_t cp = decode(p, &n);
        char buf[4];
        size_t buf_len;
        bool letter = fold_char(cp, p, n, buf, &buf_len);
        p += n;
        if (!letter) {
            if (in_word)
                break;
            continue;
        }
        in_word = true;
        if (len + buf_len <= CATALOG_TEXT_TOKEN_MAX) { /* whole characters only */
            memcpy(out + len, buf, buf_len);
            len += buf_len;
        }
    }
    *text = (const char *)p;
    /* A plural finds its singular. */
    if (len > 3 && out[len - 1] == 's' && out[len - 2] != 's')
        len--;
    out[len] = '\0';
    return len;
}

/* ---- posting sets ---- */

/* The slots holding a word: a sorted array, or a bitset once the array would
 * take more memory than the bitset. */
struct postings {
    uint32_t count, capacity;
    uint32_t *slots;
    uint64_t *bits;
};

struct token {
    uint32_t text;     /* offset into text.strings */
    uint32_t len;
    struct postings all, title, host;
};

/* A slot's words: varints of (token id delta << 2 | fields), by token id. */
struct forward {
    uint32_t offset, bytes;
};

enum { FIELD_TITLE = 1, FIELD_HOST = 2 };

static struct {
    size_t words; /* bitset words */
    struct token *tokens;
    uint32_t token_count, token_capacity;
    uint32_t *hash; /* open addressing: token id + 1 */
    uint32_t hash_size;
    uint32_t *sorted; /* token ids by text */
    uint32_t sorted_count;
    char *strings;
    size_t strings_used, strings_capacity;
    uint8_t *pool;
    size_t pool_used, pool_capacity, pool_garbage;
    struct forward *forward;
    uint32_t forward_capacity;
} text;

static bool grow_array(void **items, uint32_t *capacity, uint32_t needed, size_t item_size)
{
    if (needed <= *capacity)
        return true;
    uint32_t cap = *capacity ? *capacity : 4;
    while (cap < needed)
        cap = cap < 1024 ? cap * 2 : cap + cap / 2;
    void *grown = realloc(*items, (size_t)cap * item_size);
    if (grown == NULL)
        return false;
    *items = grown;
    *capacity = cap;
    return true;
}

static bool dense_worth(const struct postings *p)
{
    return (size_t)p->count > text.words * 2; /* 4-byte slots outweigh the bitset's 8-byte words */
}

static bool to_bits(struct postings *p)
{
    uint64_t *bits = calloc(text.words, sizeof(uint64_t));
    if (bits == NULL)
        return false;
    for (uint32_t i = 0; i < p->count; i++)
        bits[p->slots[i] / 64] |= 1ull << (p->slots[i] % 64);
    free(p->slots);
    p->slots = NULL;
    p->capacity = 0;
    p->bits = bits;
    return true;
}

static bool to_slots(struct postings *p)
{
    uint32_t *slots = malloc(((size_t)p->count + 1) * sizeof(uint32_t));
    if (slots == NULL)
        return false;
    uint32_t n = 0;
    for (size_t w = 0; w < text.words; w++)
        for (uint64_t b = p->bits[w]; b != 0; b &= b - 1)
            slots[n++] = (uint32_t)(w * 64 + (size_t)__builtin_ctzll(b));
    free(p->bits);
    p->bits = NULL;
    p->slots = slots;
    p->capacity = p->count + 1;
    return true;
}

/* First index in p->slots whose slot is ≥ slot. */
static uint32_t lower_bound(const struct postings *p, uint32_t slot)
{
    uint32_t lo = 0, hi = p->count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (p->slots[mid] < slot)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static bool postings_add(struct postings *p, uint32_t slot)
{
    if (p->bits != NULL) {
        uint64_t mask = 1ull << (slot % 64);
        if (!(p->bits[slot / 64] & mask)) {
            p->bits[slot / 64] |= mask;
            p->count++;
        }
        return true;
    }
    uint32_t at = p->count > 0 && p->slots[p->count - 1] < slot ? p->count : lower_bound(p, slot);
    if (at < p->count && p->slots[at] == slot)
        return true;
    if (!grow_array((void **)&p->slots, &p->capacity, p->count + 1, sizeof(uint32_t)))
        return false;
    memmove(p->slots + at + 1, p->slots + at, (size_t)(p->count - at) * sizeof(uint32_t));
    p->slots[at] = slot;
    p->count++;
    return !dense_worth(p) || to_bits(p);
}

static void postings_remove(struct postings *p, uint32_t slot)
{
    if (p->bits != NULL) {
        uint64_t mask = 1ull << (slot % 64);
        if (p->bits[slot / 64] & mask) {
            p->bits[slot / 64] &= ~mask;
            p->count--;
        }
        if ((size_t)p->count < text.words) /* well below the switch, so that it does not flap */
            to_slots(p);
        return;
    }
    uint32_t at = lower_bound(p, slot);
    if (at < p->count && p->slots[at] == slot) {
        memmove(p->slots + at, p->slots + at + 1, (size_t)(p->count - at - 1) * sizeof(uint32_t));
        p->count--;
    }
}

/* ORs the set into dst, a bitset of `words` words (at most text.words; slots
 * beyond it are never set). */
static void postings_or_into(const struct postings *p, uint64_t *dst, size_t words)
{
    if (p->bits != NULL) {
        for (size_t w = 0; w < words; w++)
            dst[w] |= p->bits[w];
        return;
    }
    for (uint32_t i = 0; i < p->count; i++)
        dst[p->slots[i] / 64] |= 1ull << (p->slots[i] % 64);
}

static size_t postings_bytes(const struct postings *p)
{
    return p->bits != NULL ? text.words * sizeof(uint64_t) : (size_t)p->capacity * sizeof(uint32_t);
}

static void postings_free(struct postings *p)
{
    free(p->slots);
    free(p->bits);
    memset(p, 0, sizeof(*p));
}

int catalog_text_grow(size_t words)
{
    size_t had = text.words;
    for (uint32_t t = 0; t < text.token_count; t++) {
        struct postings *sets[] = {&text.tokens[t].all, &text.tokens[t].title, &text.tokens[t].host};
        for (size_t s = 0; s < 3; s++) {
            if (sets[s]->bits == NULL)
                continue;
            /* Bitsets grow with the slots; a set that is now small goes back to an array. */
            if ((size_t)sets[s]->count < words) {
                text.words = had;
                if (!to_slots(sets[s]))
                    return -1;
                continue;
            }
            uint64_t *grown = realloc(sets[s]->bits, words * sizeof(uint64_t));
            if (grown == NULL)
                return -1;
            memset(grown + had, 0, (words - had) * sizeof(uint64_t));
            sets[s]->bits = grown;
        }
    }
    text.words = words;
    return 0;
}

/* Gives back the room arrays kept for growth (after the first load). */
static void postings_trim(struct postings *p)
{
    if (p->bits != NULL || p->capacity <= p->count + 1)
        return;
    uint32_t *slots = realloc(p->slots, ((size_t)p->count + 1) * sizeof(uint32_t));
    if (slots != NULL) {
        p->slots = slots;
        p->capacity = p->count + 1;
    }
}

void catalog_text_trim(void)
{
    for (uint32_t t = 0; t < text.token_count; t++) {
        postings_trim(&text.tokens[t].all);
        postings_trim(&text.tokens[t].title);
        postings_trim(&text.tokens[t].host);
    }
    if (text.pool_used > 0 && text.pool_capacity > text.pool_used) {
        uint8_t *pool = realloc(text.pool, text.pool_used);
        if (pool != NULL) {
            text.pool = pool;
            text.pool_capacity = text.pool_used;
        }
    }
}

/* ---- the dictionary ---- */

static const char *token_text(uint32_t id)
{
    return text.strings + text.tokens[id].text;
}

static uint32_t hash_word(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static bool hash_grow(void)
{
    uint32_t size = text.hash_size ? text.hash_size * 2 : 1024;
    uint32_t *table = calloc(size, sizeof(uint32_t));
    if (table == NULL)
        return false;
    for (uint32_t id = 0; id < text.token_count; id++) {
        uint32_t j = hash_word(token_text(id), text.tokens[id].len) & (size - 1);
        while (table[j] != 0)
            j = (j + 1) & (size - 1);
        table[j] = id + 1;
    }
    free(text.hash);
    text.hash = table;
    text.hash_size = size;
    return true;
}

/* The id of word, or UINT32_MAX when the dictionary does not hold it. */
static uint32_t token_find(const char *word, size_t len)
{
    if (text.hash_size == 0)
        return UINT32_MAX;
    for (uint32_t j = hash_word(word, len) & (text.hash_size - 1); text.hash[j] != 0; j = (j + 1) & (text.hash_size - 1)) {
        uint32_t id = text.hash[j] - 1;
        if (text.tokens[id].len == len && memcmp(token_text(id), word, len) == 0)
            return id;
    }
    return UINT32_MAX;
}

/* The id of word, added when new; UINT32_MAX when out of memory. */
static uint32_t token_intern(const char *word, size_t len)
{
    uint32_t id = token_find(word, len);
    if (id != UINT32_MAX)
        return id;
    if ((text.token_count + 1) * 2 > text.hash_size && !hash_grow())
        return UINT32_MAX;
    if (!grow_array((void **)&text.tokens, &text.token_capacity, text.token_count + 1, sizeof(struct token)))
        return UINT32_MAX;
    if (text.strings_used + len + 1 > text.strings_capacity) {
        size_t cap = text.strings_capacity ? text.strings_capacity * 2 : 64 * 1024;
        while (cap < text.strings_used + len + 1)
            cap *= 2;
        char *grown = realloc(text.strings, cap);
        if (grown == NULL)
            return UINT32_MAX;
        text.strings = grown;
        text.strings_capacity = cap;
    }
    id = text.token_count++;
    struct token *t = &text.tokens[id];
    memset(t, 0, sizeof(*t));
    t->text = (uint32_t)text.strings_used;
    t->len = (uint32_t)len;
    memcpy(text.strings + text.strings_used, word, len);
    text.strings[text.strings_used + len] = '\0';
    text.strings_used += len + 1;
    uint32_t j = hash_word(word, len) & (text.hash_size - 1);
    while (text.hash[j] != 0)
        j = (j + 1) & (text.hash_size - 1);
    text.hash[j] = id + 1;
    return id;
}

static int compare_token_ids(const void *a, const void *b)
{
    return strcmp(token_text(*(const uint32_t *)a), token_text(*(const uint32_t *)b));
}

int catalog_text_finish(void)
{
    if (text.sorted_count == text.token_count)
        return 0;
    uint32_t *sorted = realloc(text.sorted, ((size_t)text.token_count + 1) * sizeof(uint32_t));
    if (sorted == NULL)
        return -1;
    for (uint32_t id = 0; id < text.token_count; id++)
        sorted[id] = id;
    qsort(sorted, text.token_count, sizeof(uint32_t), compare_token_ids);
    text.sorted = sorted;
    text.sorted_count = text.token_count;
    return 0;
}

/* ---- a slot's words ---- */

struct slot_word {
    uint32_t token;
    uint32_t fields;
};

static struct {
    struct slot_word *items;
    uint32_t count, capacity;
} scratch;

static int compare_slot_words(const void *a, const void *b)
{
    const struct slot_word *x = a, *y = b;
    return x->token < y->token ? -1 : x->token > y->token;
}

static bool collect_words(const char *field, uint32_t fields)
{
    char word[CATALOG_TEXT_TOKEN_MAX + 1];
    size_t len;
    for (const char *p = field; p != NULL && (len = catalog_text_next_word(&p, word)) > 0;) {
        uint32_t id = token_intern(word, len);
        if (id == UINT32_MAX || !grow_array((void **)&scratch.items, &scratch.capacity, scratch.count + 1,
                                            sizeof(struct slot_word)))
            return false;
        scratch.items[scratch.count++] = (struct slot_word){id, fields};
    }
    return true;
}

static bool pool_reserve(size_t bytes)
{
    if (text.pool_used + bytes <= text.pool_capacity)
        return true;
    size_t cap = text.pool_capacity ? text.pool_capacity : 256 * 1024;
    while (cap < text.pool_used + bytes)
        cap = cap + cap / 2;
    uint8_t *grown = realloc(text.pool, cap);
    if (grown == NULL)
        return false;
    text.pool = grown;
    text.pool_capacity = cap;
    return true;
}

static size_t put_varint(uint8_t *out, uint32_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        out[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    out[n++] = (uint8_t)v;
    return n;
}

static uint32_t get_varint(const uint8_t **p)
{
    uint32_t v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
        uint8_t b = *(*p)++;
        v |= (uint32_t)(b & 0x7F) << shift;
        if (!(b & 0x80))
            break;
    }
    return v;
}

/* Moves every slot's words to the front of a new pool once half is garbage. */
static void pool_compact(void)
{
    if (text.pool_garbage < 1024 * 1024 || text.pool_garbage * 2 < text.pool_used)
        return;
    size_t live = text.pool_used - text.pool_garbage;
    uint8_t *pool = malloc(live + 1);
    if (pool == NULL)
        return;
    size_t used = 0;
    for (uint32_t s = 0; s < text.forward_capacity; s++) {
        struct forward *f = &text.forward[s];
        if (f->bytes == 0)
            continue;
        memcpy(pool + used, text.pool + f->offset, f->bytes);
        f->offset = (uint32_t)used;
        used += f->bytes;
    }
    free(text.pool);
    text.pool = pool;
    text.pool_used = used;
    text.pool_capacity = live + 1;
    text.pool_garbage = 0;
}

/* Takes slot out of every set its stored words put it in. */
static void forget_slot(uint32_t slot)
{
    if (slot >= text.forward_capacity || text.forward[slot].bytes == 0)
        return;
    struct forward *f = &text.forward[slot];
    const uint8_t *p = text.pool + f->offset, *end = p + f->bytes;
    uint32_t token = 0;
    while (p < end) {
        uint32_t v = get_varint(&p);
        token += v >> 2;
        struct token *t = &text.tokens[token];
        postings_remove(&t->all, slot);
        if (v & FIELD_TITLE)
            postings_remove(&t->title, slot);
        if (v & FIELD_HOST)
            postings_remove(&t->host, slot);
    }
    text.pool_garbage += f->bytes;
    f->bytes = 0;
}

/* Stores the words of scratch (sorted, unique) for slot and adds it to their sets. */
static int remember_slot(uint32_t slot)
{
    uint32_t had = text.forward_capacity;
    if (!grow_array((void **)&text.forward, &text.forward_capacity, slot + 1, sizeof(struct forward)))
        return -1;
    memset(text.forward + had, 0, (size_t)(text.forward_capacity - had) * sizeof(struct forward));
    if (!pool_reserve((size_t)scratch.count * 5))
        return -1;
    struct forward *f = &text.forward[slot];
    f->offset = (uint32_t)text.pool_used;
    uint32_t previous = 0;
    for (uint32_t i = 0; i < scratch.count; i++) {
        struct slot_word *w = &scratch.items[i];
        struct token *t = &text.tokens[w->token];
        if (!postings_add(&t->all, slot) || ((w->fields & FIELD_TITLE) && !postings_add(&t->title, slot)) ||
            ((w->fields & FIELD_HOST) && !postings_add(&t->host, slot)))
            return -1;
        text.pool_used += put_varint(text.pool + text.pool_used, ((w->token - previous) << 2) | w->fields);
        previous = w->token;
    }
    f->bytes = (uint32_t)(text.pool_used - f->offset);
    return 0;
}

int catalog_text_set(uint32_t slot, const struct catalog_text_fields *fields)
{
    /* Slots past the forward table were never set: a fresh slot needs no forgetting. */
    if (slot < text.forward_capacity)
        forget_slot(slot);
    pool_compact();
    if (fields == NULL)
        return 0;
    scratch.count = 0;
    if (!collect_words(fields->title, FIELD_TITLE) || !collect_words(fields->host_name, FIELD_HOST))
        return -1;
    for (size_t i = 0; i < sizeof(fields->other) / sizeof(fields->other[0]) && fields->other[i] != NULL; i++)
        if (!collect_words(fields->other[i], 0))
            return -1;
    qsort(scratch.items, scratch.count, sizeof(struct slot_word), compare_slot_words);
    uint32_t unique = 0;
    for (uint32_t i = 0; i < scratch.count; i++) {
        if (unique > 0 && scratch.items[unique - 1].token == scratch.items[i].token)
            scratch.items[unique - 1].fields |= scratch.items[i].fields;
        else
            scratch.items[unique++] = scratch.items[i];
    }
    scratch.count = unique;
    return remember_slot(slot);
}

void catalog_text_stats(size_t *words, size_t *bytes)
{
    size_t total = text.strings_capacity + (size_t)text.hash_size * 4 + (size_t)text.token_capacity * sizeof(struct token) +
                   (size_t)text.sorted_count * 4 + text.pool_capacity + (size_t)text.forward_capacity * sizeof(struct forward);
    for (uint32_t t = 0; t < text.token_count; t++)
        total += postings_bytes(&text.tokens[t].all) + postings_bytes(&text.tokens[t].title) +
                 postings_bytes(&text.tokens[t].host);
    *words = text.token_count;
    *bytes = total;
}

void catalog_text_free(void)
{
    for (uint32_t t = 0; t < text.token_count; t++) {
        postings_free(&text.tokens[t].all);
        postings_free(&text.tokens[t].title);
        postings_free(&text.tokens[t].host);
    }
    free(text.tokens);
    free(text.hash);
    free(text.sorted);
    free(text.strings);
    free(text.pool);
    free(text.forward);
    free(scratch.items);
    memset(&text, 0, sizeof(text));
    memset(&scratch, 0, sizeof(scratch));
}

/* ---- queries ---- */

/* Whether a and b (byte strings) are at most one edit apart: a byte
 * inserted, deleted or replaced, or two neighbours swapped. */
static bool one_edit_apart(const char *a, size_t la, const char *b, size_t lb)
{
    if (la > lb + 1 || lb > la + 1)
        return false;
    size_t i = 0;
    while (i < la && i < lb && a[i] == b[i])
        i++;
    if (i == la || i == lb)
        return true; /* equal, or one byte more at the end */
    if (la == lb)
        return memcmp(a + i + 1, b + i + 1, la - i - 1) == 0 ||
               (i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] && memcmp(a + i + 2, b + i + 2, la - i - 2) == 0);
    if (la < lb)
        return memcmp(a + i, b + i + 1, la - i) == 0;
    return memcmp(a + i + 1, b + i, lb - i) == 0;
}

/* Whether dictionary word t matches query word q with one typo: q is one edit
 * from t (or, as a prefix, from some beginning of t); never the first letter. */
static bool typo_match(const char *q, size_t ql, const char *t, size_t tl, bool prefix)
{
    if (t[0] != q[0])
        return false;
    if (!prefix)
        return one_edit_apart(q, ql, t, tl);
    for (size_t n = ql - 1; n <= ql + 1 && n <= tl; n++)
        if (one_edit_apart(q, ql, t, n))
            return true;
    return false;
}

/* The range [first, end) of text.sorted whose words begin with prefix (of len bytes). */
static void prefix_range(const char *prefix, size_t len, uint32_t *first, uint32_t *end)
{
    uint32_t lo = 0, hi = text.sorted_count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (strncmp(token_text(text.sorted[mid]), prefix, len) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *first = lo;
    hi = text.sorted_count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (strncmp(token_text(text.sorted[mid]), prefix, len) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *end = lo;
}

struct word_sets {
    size_t words;
    uint64_t *exact, *typo, *title, *host; /* title and host may be NULL */
    bool any_typo;
};

static void add_token(const struct token *t, uint64_t *set, struct word_sets *w)
{
    postings_or_into(&t->all, set, w->words);
    if (w->title != NULL)
        postings_or_into(&t->title, w->title, w->words);
    if (w->host != NULL)
        postings_or_into(&t->host, w->host, w->words);
}

/* Fills the sets of one query word: the dictionary words it matches exactly
 * (or as a prefix), and those it matches only through a typo. */
static void match_word(const char *q, size_t ql, bool prefix, struct word_sets *w)
{
    uint32_t first = 0, end = 0;
    if (prefix) {
        prefix_range(q, ql, &first, &end);
        for (uint32_t i = first; i < end; i++)
            add_token(&text.tokens[text.sorted[i]], w->exact, w);
    } else {
        uint32_t id = token_find(q, ql);
        if (id != UINT32_MAX)
            add_token(&text.tokens[id], w->exact, w);
    }
    if (ql < CATALOG_TEXT_TYPO_MIN)
        return;
    /* Typos keep the first letter: only words beginning with it. */
    uint32_t from, to;
    prefix_range(q, 1, &from, &to);
    for (uint32_t i = from; i < to; i++) {
        uint32_t id = text.sorted[i];
        const struct token *t = &text.tokens[id];
        bool exact = prefix ? i >= first && i < end : t->len == ql && memcmp(token_text(id), q, ql) == 0;
        if (exact || !typo_match(q, ql, token_text(id), t->len, prefix))
            continue;
        add_token(t, w->typo, w);
        w->any_typo = true;
    }
}

int catalog_text_query(struct arena *arena, const char *query, size_t words, bool ranked,
                       struct catalog_text_result *out)
{
    memset(out, 0, sizeof(*out));
    if (words > text.words)
        words = text.words;
    char list[CATALOG_TEXT_QUERY_WORDS][CATALOG_TEXT_TOKEN_MAX + 1];
    size_t lens[CATALOG_TEXT_QUERY_WORDS];
    size_t count = 0;
    for (const char *p = query; count < CATALOG_TEXT_QUERY_WORDS && (lens[count] = catalog_text_next_word(&p, list[count])) > 0;)
        count++;
    out->match = arena_calloc(arena, words + 1, sizeof(uint64_t));
    uint64_t *exact = arena_alloc(arena, (words + 1) * sizeof(uint64_t));
    uint64_t *typo = arena_alloc(arena, (words + 1) * sizeof(uint64_t));
    if (out->match == NULL || exact == NULL || typo == NULL)
        return -1;
    out->word_count = count;
    for (size_t i = 0; i < count; i++) {
        struct word_sets w = {words, exact, typo, NULL, NULL, false};
        memset(exact, 0, words * sizeof(uint64_t));
        memset(typo, 0, words * sizeof(uint64_t));
        if (ranked) {
            w.title = out->title[i] = arena_calloc(arena, words + 1, sizeof(uint64_t));
            w.host = out->host[i] = arena_calloc(arena, words + 1, sizeof(uint64_t));
            if (w.title == NULL || w.host == NULL)
                return -1;
        }
        match_word(list[i], lens[i], i + 1 == count, &w);
        for (size_t k = 0; k < words; k++)
            out->match[k] = (i == 0 ? ~0ull : out->match[k]) & (exact[k] | typo[k]);
        if (w.any_typo) {
            out->typo[i] = arena_alloc(arena, (words + 1) * sizeof(uint64_t));
            if (out->typo[i] == NULL)
                return -1;
            for (size_t k = 0; k < words; k++)
                out->typo[i][k] = typo[k] & ~exact[k];
        }
    }
    return 0;
}
