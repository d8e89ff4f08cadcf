/* test_api_search_oracle.c — GET /api/v1/offerings, answered by the
 * in-process index, against a brute-force scan of the same offerings read
 * straight from the database, for hundreds of random queries: words, prefixes
 * (the last word), typos (one edit, 5+ letters, not the first letter), the
 * facet filters, tuition, start windows, include_full and every sort. Totals,
 * facet counts, the first page in order and, for some queries, every page by
 * cursor must be equal. Then offerings change behind the server's back (new
 * words, titles, unpublished, seats taken, new offerings) and the comparison
 * runs again once the change feed has carried them over.
 *
 * The scan here is written from the rules (catalog_text.h, catalog_index.h),
 * not from the index's code: its own words, its own edit distance (the
 * classic table), and a plain loop over every offering.
 *
 * A failing query is printed with the random seed; ORACLE_SEED=N replays. */
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "api_client.h"
#include "api_suite.h"
#include "domain/catalog.h"
#include "domain/reference.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "store/store.h"
#include "test.h"

static struct api_server server;
static struct db_conn *db;
static uint64_t rng_state;
static int32_t today;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static int below(int n)
{
    return n > 0 ? (int)(rng() % (uint64_t)n) : 0;
}

/* ---- words, by the rules of catalog_text.h ---- */

enum { WORD_MAX = 48, QUERY_WORDS = 8, FIELD_TITLE = 1, FIELD_HOST = 2 };

/* The accented letters the catalog here uses, with what they fold to. */
static const struct {
    const char *utf8, *ascii;
} folds[] = {{"é", "e"}, {"É", "e"}, {"á", "a"}, {"í", "i"}, {"ó", "o"}, {"ú", "u"}, {"ü", "u"}, {"ñ", "n"},
             {"ç", "c"}, {"ã", "a"}, {"ô", "o"}, {"ï", "i"}, {"û", "u"}, {"è", "e"}, {"ß", "ss"}};

/* Splits text into words: out[i] (NUL-terminated); returns how many. */
static size_t words_of(const char *text, char out[][WORD_MAX + 1], size_t max)
{
    size_t n = 0, len = 0;
    for (const char *p = text;; ) {
        const char *add = NULL;
        size_t skip = 1;
        char one[2] = {0, 0};
        unsigned char c = (unsigned char)*p;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) {
            one[0] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            add = one;
        } else if (c >= 0x80) {
            for (size_t f = 0; f < sizeof(folds) / sizeof(folds[0]) && add == NULL; f++)
                if (strncmp(p, folds[f].utf8, strlen(folds[f].utf8)) == 0) {
                    add = folds[f].ascii;
                    skip = strlen(folds[f].utf8);
                }
            if (add == NULL) /* other non-ASCII here is punctuation (— ’): three bytes */
                skip = c >= 0xE0 ? 3 : 2;
        }
        if (add != NULL) {
            for (const char *a = add; *a != '\0' && len < WORD_MAX; a++)
                if (n < max)
                    out[n][len++] = *a;
        } else if (len > 0) {
            if (len > 3 && out[n][len - 1] == 's' && out[n][len - 2] != 's')
                len--;
            out[n][len] = '\0';
            n++;
            len = 0;
            if (n == max)
                return n;
        }
        if (c == '\0')
            return n;
        p += skip;
    }
}

/* The optimal-string-alignment distance (insert, delete, replace, swap neighbours). */
static int edit_distance(const char *a, size_t la, const char *b, size_t lb)
{
    static int d[WORD_MAX + 2][WORD_MAX + 2];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            int cost = a[i - 1] != b[j - 1];
            int best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < best)
                best = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

/* 0: the word does not match token t; 1: exactly (or as a prefix when last); 2: by a typo. */
static int word_vs_token(const char *w, const char *t, bool last)
{
    size_t lw = strlen(w), lt = strlen(t);
    if (strcmp(w, t) == 0 || (last && lt >= lw && strncmp(w, t, lw) == 0))
        return 1;
    if (lw < 5 || w[0] != t[0])
        return 0;
    if (!last)
        return edit_distance(w, lw, t, lt) <= 1 ? 2 : 0;
    for (size_t n = lw - 1; n <= lw + 1 && n <= lt; n++)
        if (edit_distance(w, lw, t, n) <= 1)
            return 2;
    return 0;
}

/* ---- the offerings, read straight from the database ---- */

enum { MAX_DOCS = 3000, MAX_BLOCKS = 8, NO_DAY = INT32_MAX };

struct token {
    char text[WORD_MAX + 1];
    unsigned fields;
};

struct doc {
    char id[64];
    struct token *tokens;
    size_t token_count;
    int spec, state, kind;
    int64_t tuition;
    bool live;
    int32_t start[MAX_BLOCKS], seats_left[MAX_BLOCKS];
    int blocks;
};

static struct doc docs[MAX_DOCS];
static size_t doc_count;

static void add_tokens(struct doc *d, const char *text, unsigned fields, size_t *cap)
{
    static char words[512][WORD_MAX + 1];
    size_t n = words_of(text != NULL ? text : "", words, 512);
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < d->token_count && strcmp(d->tokens[j].text, words[i]) != 0)
            j++;
        if (j == d->token_count) {
            if (d->token_count == *cap) {
                *cap = *cap ? *cap * 2 : 32;
                d->tokens = realloc(d->tokens, *cap * sizeof(struct token));
            }
            memcpy(d->tokens[j].text, words[i], WORD_MAX + 1);
            d->tokens[j].fields = 0;
            d->token_count++;
        }
        d->tokens[j].fields |= fields;
    }
}

static int kind_of(const char *kind)
{
    static const char *const kinds[] = {"hands_on", "observership", "research", "telehealth"};
    for (int i = 0; i < 4; i++)
        if (strcmp(kinds[i], kind) == 0)
            return i;
    return -1;
}

static struct doc *doc_by_id(const char *id)
{
    size_t lo = 0, hi = doc_count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(docs[mid].id, id);
        if (c == 0)
            return &docs[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static int compare_docs(const void *a, const void *b)
{
    return strcmp(((const struct doc *)a)->id, ((const struct doc *)b)->id);
}

static void load_docs(void)
{
    for (size_t i = 0; i < doc_count; i++)
        free(docs[i].tokens);
    memset(docs, 0, sizeof(docs));
    doc_count = 0;
    struct db_stmt *st = db_prepare(db, "SELECT o.id, o.title, o.description, sp.name, org.name, s.city, p.name,"
                                        " o.specialty, s.state, o.kind, o.tuition_cents, o.status"
                                        " FROM offerings o JOIN specialties sp ON sp.slug = o.specialty"
                                        " JOIN organizations org ON org.id = o.organization_id"
                                        " JOIN sites s ON s.id = o.site_id JOIN preceptors p ON p.id = o.preceptor_id"
                                        " ORDER BY o.id");
    while (db_step(st) == DB_ROW && doc_count < MAX_DOCS) {
        struct doc *d = &docs[doc_count++];
        size_t cap = 0;
        snprintf(d->id, sizeof(d->id), "%s", db_column_text(st, 0));
        add_tokens(d, db_column_text(st, 1), FIELD_TITLE, &cap);
        add_tokens(d, db_column_text(st, 4), FIELD_HOST, &cap);
        for (int c = 2; c <= 6; c++)
            if (c != 4)
                add_tokens(d, db_column_text(st, c), 0, &cap);
        d->spec = reference_specialty_index(db_column_text(st, 7));
        d->state = reference_state_index(db_column_text(st, 8));
        d->kind = kind_of(db_column_text(st, 9));
        d->tuition = db_column_int(st, 10);
        d->live = strcmp(db_column_text(st, 11), "published") == 0;
    }
    db_reset(st);
    /* ASCII order, as the index's ids: the database may collate otherwise. */
    qsort(docs, doc_count, sizeof(docs[0]), compare_docs);
    st = db_prepare(db, "SELECT offering_id, start_date, seats - seats_taken FROM blocks ORDER BY offering_id, start_date");
    while (db_step(st) == DB_ROW) {
        struct doc *d = doc_by_id(db_column_text(st, 0));
        int32_t start = clock_days_from_date(db_column_text(st, 1));
        if (d == NULL || d->blocks == MAX_BLOCKS || start < today - 1)
            continue;
        d->start[d->blocks] = start;
        d->seats_left[d->blocks++] = (int32_t)db_column_int(st, 2);
    }
    db_reset(st);
    /* Blocks by start, as the index keeps them (equal starts in any order). */
    for (size_t i = 0; i < doc_count; i++) {
        struct doc *d = &docs[i];
        for (int a = 1; a < d->blocks; a++)
            for (int b = a; b > 0 && d->start[b - 1] > d->start[b]; b--) {
                int32_t s = d->start[b], l = d->seats_left[b];
                d->start[b] = d->start[b - 1];
                d->seats_left[b] = d->seats_left[b - 1];
                d->start[b - 1] = s;
                d->seats_left[b - 1] = l;
            }
    }
}

/* ---- a query, and its answer by scanning ---- */

enum sort { SORT_DEFAULT, SORT_SOONEST, SORT_PRICE, SORT_RELEVANCE };

struct query {
    char text[160];          /* "" for none */
    int spec, state, kind;   /* -1 for any */
    int64_t max_tuition;     /* -1 for any */
    int32_t from, to;        /* INT32_MIN / INT32_MAX for open */
    bool include_full;
    enum sort sort;
};

struct hit {
    const struct doc *doc;
    int64_t key;
};

struct answer {
    struct hit *hits;
    size_t count;
    int64_t spec_counts[64], state_counts[64], kind_counts[4];
};

static bool windowed(const struct query *q)
{
    return q->from != INT32_MIN || q->to != INT32_MAX;
}

/* The first upcoming block in the window (with a seat left when seats), or -1. */
static int first_block(const struct doc *d, const struct query *q, bool seats)
{
    for (int i = 0; i < d->blocks; i++)
        if (d->start[i] >= today && d->start[i] >= q->from && d->start[i] <= q->to && (!seats || d->seats_left[i] > 0))
            return i;
    return -1;
}

/* Whether d matches the text; its relevance key into *key. */
static bool text_match(const struct doc *d, char words[][WORD_MAX + 1], size_t n, int64_t *key)
{
    int64_t typos = 0, score = 0;
    for (size_t i = 0; i < n; i++) {
        bool exact = false, typo = false;
        unsigned fields = 0;
        for (size_t t = 0; t < d->token_count; t++) {
            int m = word_vs_token(words[i], d->tokens[t].text, i + 1 == n);
            exact |= m == 1;
            typo |= m == 2;
            if (m != 0)
                fields |= d->tokens[t].fields;
        }
        if (!exact && !typo)
            return false;
        typos += !exact;
        score += (fields & FIELD_TITLE) ? 3 : (fields & FIELD_HOST) ? 1 : 0;
    }
    *key = typos * 32 + (31 - score);
    return true;
}

/* Everything but the facet filters; the sort key into *key. */
static bool passes(const struct doc *d, const struct query *q, char words[][WORD_MAX + 1], size_t n, int64_t *key)
{
    if (!d->live || d->spec < 0 || d->state < 0 || d->kind < 0)
        return false;
    if (q->max_tuition >= 0 && d->tuition > q->max_tuition)
        return false;
    if (!q->include_full ? first_block(d, q, true) < 0 : windowed(q) && first_block(d, q, false) < 0)
        return false;
    int64_t relevance = 0;
    if (q->text[0] != '\0' && !text_match(d, words, n, &relevance))
        return false;
    enum sort sort = q->sort == SORT_DEFAULT ? (q->text[0] != '\0' ? SORT_RELEVANCE : SORT_SOONEST) : q->sort;
    if (sort == SORT_RELEVANCE) {
        *key = relevance;
    } else if (sort == SORT_PRICE) {
        *key = d->tuition;
    } else {
        int b = first_block(d, q, true);
        if (b < 0)
            b = first_block(d, q, false);
        *key = b >= 0 ? d->start[b] : NO_DAY;
    }
    return true;
}

static int compare_hits(const void *a, const void *b)
{
    const struct hit *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return strcmp(x->doc->id, y->doc->id);
}

static void scan(const struct query *q, struct answer *out)
{
    memset(out, 0, sizeof(*out));
    out->hits = calloc(doc_count + 1, sizeof(struct hit));
    char words[QUERY_WORDS][WORD_MAX + 1];
    size_t n = words_of(q->text, words, QUERY_WORDS);
    if (q->text[0] != '\0' && n == 0)
        return; /* a text without words matches nothing */
    for (size_t i = 0; i < doc_count; i++) {
        const struct doc *d = &docs[i];
        int64_t key = 0;
        if (!passes(d, q, words, n, &key))
            continue;
        bool sp = q->spec < 0 || d->spec == q->spec, st = q->state < 0 || d->state == q->state,
             k = q->kind < 0 || d->kind == q->kind;
        out->spec_counts[d->spec] += st && k;
        out->state_counts[d->state] += sp && k;
        out->kind_counts[d->kind] += sp && st;
        if (sp && st && k)
            out->hits[out->count++] = (struct hit){d, key};
    }
    qsort(out->hits, out->count, sizeof(struct hit), compare_hits);
}

/* ---- random queries ---- */

/* A word of a random live offering, maybe cut (a prefix), with a typo, or made up. */
static void random_word(char *out, size_t size)
{
    const struct doc *d = NULL;
    for (int tries = 0; tries < 50 && (d == NULL || !d->live || d->token_count == 0); tries++)
        d = &docs[below((int)doc_count)];
    if (d == NULL || d->token_count == 0 || below(20) == 0) {
        static const char *const madeup[] = {"xylophone", "zzz", "q", "cardio", "rotation", "medicin", "a1"};
        snprintf(out, size, "%s", madeup[below(7)]);
        return;
    }
    char w[WORD_MAX + 2];
    snprintf(w, sizeof(w), "%s", d->tokens[below((int)d->token_count)].text);
    size_t len = strlen(w);
    int how = below(10);
    if (how < 3 && len > 1) { /* a prefix */
        w[1 + below((int)len - 1)] = '\0';
    } else if (how < 6 && len >= 5) { /* a typo, never in the first letter */
        size_t at = 1 + (size_t)below((int)len - 1);
        switch (below(4)) {
        case 0: w[at] = (char)('a' + below(26)); break;                        /* replaced */
        case 1: memmove(w + at, w + at + 1, len - at); break;                   /* deleted */
        case 2: memmove(w + at + 1, w + at, len - at + 1); w[at] = 'e'; break; /* inserted */
        default:
            if (at + 1 < len) {
                char c = w[at];
                w[at] = w[at + 1];
                w[at + 1] = c;
            }
        }
    }
    if (below(8) == 0)
        w[0] = (char)(w[0] >= 'a' && w[0] <= 'z' ? w[0] - 32 : w[0]); /* case does not matter */
    snprintf(out, size, "%s", w);
}

static void random_query(struct query *q)
{
    memset(q, 0, sizeof(*q));
    q->spec = q->state = q->kind = -1;
    q->max_tuition = -1;
    q->from = INT32_MIN;
    q->to = INT32_MAX;
    if (below(5) != 0) {
        int words = 1 + below(3);
        for (int i = 0; i < words; i++) {
            char w[WORD_MAX + 2];
            random_word(w, sizeof(w));
            size_t used = strlen(q->text);
            snprintf(q->text + used, sizeof(q->text) - used, "%s%s", i > 0 ? (below(4) == 0 ? "-" : " ") : "", w);
        }
    }
    const struct doc *d = &docs[below((int)doc_count)];
    if (below(4) == 0)
        q->spec = d->spec;
    if (below(4) == 0)
        q->state = d->state;
    if (below(6) == 0)
        q->kind = below(4);
    if (below(7) == 0)
        q->max_tuition = below(40) * 12500;
    if (below(7) == 0) {
        q->from = today + below(120);
        q->to = q->from + below(200);
    }
    q->include_full = below(5) == 0;
    q->sort = (enum sort)below(4);
    if (q->sort == SORT_RELEVANCE && q->text[0] == '\0')
        q->sort = SORT_PRICE;
}

static void append_encoded(char *out, size_t size, const char *s)
{
    size_t used = strlen(out);
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0' && used + 4 < size; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-')
            out[used++] = (char)*p;
        else if (*p == ' ')
            out[used++] = '+';
        else
            used += (size_t)snprintf(out + used, size - used, "%%%02X", *p);
    }
    out[used] = '\0';
}

static void query_path(const struct query *q, int limit, const char *cursor, char *out, size_t size)
{
    snprintf(out, size, "/api/v1/offerings?limit=%d", limit);
    size_t used;
    if (q->text[0] != '\0') {
        used = strlen(out);
        snprintf(out + used, size - used, "&q=");
        append_encoded(out, size, q->text);
    }
    char date[11];
    used = strlen(out);
    if (q->spec >= 0)
        used += (size_t)snprintf(out + used, size - used, "&specialty=%s", reference_specialties[q->spec].slug);
    if (q->state >= 0)
        used += (size_t)snprintf(out + used, size - used, "&state=%s", reference_states[q->state].code);
    if (q->kind >= 0) {
        static const char *const kinds[] = {"hands_on", "observership", "research", "telehealth"};
        used += (size_t)snprintf(out + used, size - used, "&kind=%s", kinds[q->kind]);
    }
    if (q->max_tuition >= 0)
        used += (size_t)snprintf(out + used, size - used, "&max_tuition=%lld", (long long)q->max_tuition);
    if (q->from != INT32_MIN) {
        clock_date_from_days(q->from, date);
        used += (size_t)snprintf(out + used, size - used, "&start_from=%s", date);
        clock_date_from_days(q->to, date);
        used += (size_t)snprintf(out + used, size - used, "&start_to=%s", date);
    }
    if (q->include_full)
        used += (size_t)snprintf(out + used, size - used, "&include_full=true");
    static const char *const sorts[] = {"", "soonest", "price", "relevance"};
    if (q->sort != SORT_DEFAULT)
        used += (size_t)snprintf(out + used, size - used, "&sort=%s", sorts[q->sort]);
    if (cursor != NULL)
        snprintf(out + used, size - used, "&cursor=%s", cursor);
}

/* ---- comparing ---- */

static int queries_run, pages_walked;

static void describe(const struct query *q, const char *path)
{
    printf("  query %d (ORACLE_SEED to replay: see the first line): %s\n", queries_run, path);
    (void)q;
}

static bool same_facet(json_t *facets, const char *name, const int64_t *counts, size_t n,
                       const char *(*label)(size_t i))
{
    json_t *got = json_object_get(facets, name);
    size_t nonzero = 0;
    for (size_t i = 0; i < n; i++) {
        if (counts[i] == 0)
            continue;
        nonzero++;
        json_t *v = json_object_get(got, label(i));
        if (!json_is_integer(v) || json_integer_value(v) != counts[i]) {
            printf("  facet %s.%s: %lld from the index, %lld by scanning\n", name, label(i),
                   json_is_integer(v) ? (long long)json_integer_value(v) : -1LL, (long long)counts[i]);
            return false;
        }
    }
    if (json_object_size(got) != nonzero) {
        printf("  facet %s: %zu values from the index, %zu by scanning\n", name, json_object_size(got), nonzero);
        return false;
    }
    return true;
}

static const char *spec_label(size_t i)
{
    return reference_specialties[i].slug;
}
static const char *state_label(size_t i)
{
    return reference_states[i].code;
}
static const char *kind_label(size_t i)
{
    static const char *const kinds[] = {"hands_on", "observership", "research", "telehealth"};
    return kinds[i];
}

/* Items [from, from + n) of the answer against a reply's items. */
static bool same_items(json_t *items, const struct answer *a, size_t from)
{
    size_t n = json_array_size(items);
    size_t want = a->count > from ? a->count - from : 0;
    for (size_t i = 0; i < n && i < want; i++) {
        const char *id = json_string_value(json_object_get(json_array_get(items, i), "id"));
        if (id == NULL || strcmp(id, a->hits[from + i].doc->id) != 0) {
            printf("  item %zu: %s from the index, %s (key %lld) by scanning\n", from + i, id ? id : "(none)",
                   a->hits[from + i].doc->id, (long long)a->hits[from + i].key);
            return false;
        }
    }
    return true;
}

/* One query: total, facets and the first page; with walk, every page by cursor. */
static bool check_query(const struct query *q, bool walk)
{
    struct answer a;
    scan(q, &a);
    char path[1024];
    int limit = walk ? 3 + below(40) : 100;
    query_path(q, limit, NULL, path, sizeof(path));
    queries_run++;
    bool ok = true;
    size_t seen = 0;
    char cursor[256] = "";
    for (int page = 0; ok; page++) {
        struct api_response r;
        api_request(&r, "GET", path, NULL, NULL);
        ok = r.status == 200 && r.json != NULL;
        if (!ok)
            printf("  status %ld: %.200s\n", r.status, r.body != NULL ? r.body : "");
        json_t *items = ok ? json_object_get(r.json, "items") : NULL;
        if (ok && page == 0) {
            json_t *facets = json_object_get(r.json, "facets");
            long long total = api_json_int(r.json, "total", -1);
            if (total != (long long)a.count)
                printf("  total: %lld from the index, %zu by scanning\n", total, a.count);
            ok = total == (long long)a.count && same_facet(facets, "specialty", a.spec_counts, reference_specialty_count, spec_label) &&
                 same_facet(facets, "state", a.state_counts, reference_state_count, state_label) &&
                 same_facet(facets, "kind", a.kind_counts, 4, kind_label);
        }
        size_t expect = a.count - seen < (size_t)limit ? a.count - seen : (size_t)limit;
        if (ok && json_array_size(items) != expect) {
            printf("  page %d: %zu items from the index, %zu by scanning\n", page, json_array_size(items), expect);
            ok = false;
        }
        ok = ok && same_items(items, &a, seen);
        seen += json_array_size(items);
        const char *next = ok ? api_json_str(r.json, "next_cursor") : NULL;
        if (ok && (next != NULL) != (seen < a.count)) {
            printf("  page %d: next_cursor %s with %zu of %zu seen\n", page, next ? "given" : "missing", seen, a.count);
            ok = false;
        }
        if (next != NULL)
            snprintf(cursor, sizeof(cursor), "%s", next);
        api_free(&r);
        if (!ok || !walk || next == NULL || seen >= 300)
            break;
        query_path(q, limit, cursor, path, sizeof(path));
        pages_walked++;
    }
    if (!ok)
        describe(q, path);
    free(a.hits);
    return ok;
}

static int run_queries(int count)
{
    int failures = 0;
    for (int i = 0; i < count && failures < 5; i++) {
        struct query q;
        random_query(&q);
        if (!check_query(&q, i % 8 == 0))
            failures++;
    }
    return failures;
}

/* ---- the catalog ---- */

static char host_id[64], site_id[64], preceptor_id[64];

/* A host with accents in its name, a site and a preceptor, straight into the database. */
static bool make_host(void)
{
    int64_t now = clock_now();
    crypto_random_id("org_", host_id, sizeof(host_id));
    crypto_random_id("site_", site_id, sizeof(site_id));
    crypto_random_id("prc_", preceptor_id, sizeof(preceptor_id));
    char npi[11];
    snprintf(npi, sizeof(npi), "19%07d", (int)(now % 10000000));
    npi[9] = catalog_npi_check_digit(npi);
    npi[10] = '\0';
    struct store_site site = {site_id, host_id, "Clínica Central", "", "Montréal", "NY", "10001", "America/New_York", now};
    struct store_preceptor p = {.id = preceptor_id, .organization_id = host_id, .name = "Dr. Zoë Müller-Straße",
                                .email = "zoe@example.test", .npi = npi, .specialty = "cardiology",
                                .license_state = "NY", .license_number = "123456", .board_status = "certified",
                                .created_at = now};
    return store_organization_insert(db, host_id, "Hôpital Saint-Étienne — Señora Façade", "host", now) == DB_OK &&
           store_site_insert(db, &site) == DB_OK && store_preceptor_insert(db, &p) == DB_OK;
}

/* An offering of that host with one block (full when full), published or not. */
static bool make_offering(const char *title, const char *description, const char *status, bool full, char *id_out)
{
    int64_t now = clock_now();
    char id[64], block_id[64], start[11], end[11];
    crypto_random_id("off_", id, sizeof(id));
    crypto_random_id("blk_", block_id, sizeof(block_id));
    clock_date_from_days(today + 30, start);
    clock_date_from_days(today + 58, end);
    struct store_offering o = {.id = id, .organization_id = host_id, .site_id = site_id, .preceptor_id = preceptor_id,
                               .title = title, .specialty = "cardiology", .kind = "hands_on", .setting = "inpatient",
                               .weeks = 4, .hours_per_week = 40, .tuition_cents = 250000, .students_allowed = true,
                               .graduates_allowed = true, .max_years_since_graduation = -1, .visa_kinds = "",
                               .description = description, .status = status, .created_at = now, .updated_at = now};
    struct store_block b = {.id = block_id, .offering_id = id, .start_date = start, .end_date = end, .seats = 3,
                            .seats_taken = full ? 3 : 1, .created_at = now};
    if (id_out != NULL)
        snprintf(id_out, 64, "%s", id);
    return store_offering_insert(db, &o) == DB_OK && store_block_insert(db, &b) == DB_OK;
}

static bool seed(int offerings)
{
    char count[16];
    snprintf(count, sizeof(count), "%d", offerings);
    const char *args[] = {"seed", "--offerings", count, NULL};
    struct api_cli_result res;
    int rc = api_cli(server.db, args, NULL, &res);
    if (rc != 0)
        printf("  rounds seed: exit %d: %s\n", rc, res.err);
    api_cli_free(&res);
    return rc == 0;
}

/* The longest the index may take to follow the database: generous for a
 * loaded machine, each wait ending as soon as the index has followed. */
enum { INDEX_WAIT_MS = 30000 };

/* Waits (INDEX_WAIT_MS at most) until q= finds want offerings: the feed has arrived. */
static bool wait_for(const char *word, long long want)
{
    char path[200];
    snprintf(path, sizeof(path), "/api/v1/offerings?q=%s&include_full=true&limit=1", word);
    double deadline = api_now_ms() + INDEX_WAIT_MS;
    for (;;) {
        struct api_response r;
        api_request(&r, "GET", path, NULL, NULL);
        long long total = api_json_int(r.json, "total", -1);
        api_free(&r);
        if (total == want)
            return true;
        if (api_now_ms() > deadline) {
            printf("  q=%s: %lld offerings after %d s, expected %lld\n", word, total, INDEX_WAIT_MS / 1000, want);
            return false;
        }
        api_sleep_ms(50);
    }
}

/* Waits (INDEX_WAIT_MS at most) until the index holds every offering the database
 * does: "etienne" arriving says only that the feed reached the offerings
 * made before the second seeding, not the ones it added. */
static bool wait_for_every_offering(void)
{
    struct query all;
    memset(&all, 0, sizeof(all));
    all.spec = all.state = all.kind = -1;
    all.max_tuition = -1;
    all.from = INT32_MIN;
    all.to = INT32_MAX;
    all.include_full = true;
    struct answer a;
    scan(&all, &a);
    free(a.hits);
    char path[1024];
    query_path(&all, 1, NULL, path, sizeof(path));
    double deadline = api_now_ms() + INDEX_WAIT_MS;
    for (;;) {
        struct api_response r;
        api_request(&r, "GET", path, NULL, NULL);
        long long total = api_json_int(r.json, "total", -1);
        api_free(&r);
        if (total == (long long)a.count)
            return true;
        if (api_now_ms() > deadline) {
            printf("  %lld offerings in the index after %d s, %zu in the database\n", total, INDEX_WAIT_MS / 1000, a.count);
            return false;
        }
        api_sleep_ms(50);
    }
}

/* ---- tests ---- */

TEST(index_equals_a_scan_of_the_catalog)
{
    load_docs();
    CHECK(doc_count >= 1000);
    CHECK(wait_for_every_offering());
    int failures = run_queries(220);
    CHECK_INT(failures, 0);
    printf("  %d queries, %d further pages by cursor\n", queries_run, pages_walked);
}

TEST(accents_fold_and_unpublished_offerings_stay_out)
{
    /* Folded letters match plain ones; a draft is never found. */
    struct { const char *q; long long total; } cases[] = {
        {"montreal", 2}, {"MONTR%C3%89AL", 2}, {"etienne+senora", 2}, {"strasse", 2}, {"zoe+muller", 2},
        {"brulee", 1},   {"zebrafinch", 0},    {"cl%C3%ADnica+brulee", 1},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char path[200];
        snprintf(path, sizeof(path), "/api/v1/offerings?include_full=true&q=%s", cases[i].q);
        struct api_response r;
        CHECK_INT(api_request(&r, "GET", path, NULL, NULL), 200);
        if (api_json_int(r.json, "total", -1) != cases[i].total)
            TEST_FAILF("q=%s: total %lld, expected %lld", cases[i].q, api_json_int(r.json, "total", -1), cases[i].total);
        api_free(&r);
    }
}

/* Offerings change behind the server's back; once the change feed has them,
 * the index answers as a scan of the new catalog. */
TEST(index_follows_changes_and_still_equals_a_scan)
{
    struct arena arena;
    arena_heap_init(&arena);
    /* Five titles and descriptions changed, three unpublished, the seats of five taken. */
    size_t changed = 0, hidden = 0;
    for (size_t i = 0; i < doc_count && (changed < 5 || hidden < 3); i += 97) {
        struct store_offering o;
        if (!docs[i].live || store_offering_get(db, &arena, docs[i].id, &o) != DB_ROW)
            continue;
        if (changed < 5) {
            o.title = "Quasarfield Rotation in Nephrology";
            o.description = "Renamed: glomerulus tutorials";
            changed++;
        } else {
            o.status = "draft";
            hidden++;
        }
        o.updated_at = clock_now();
        CHECK_INT(store_offering_update(db, &o), DB_OK);
    }
    for (size_t i = 13; i < doc_count && i < 13 + 5 * 89; i += 89) {
        struct db_stmt *st = db_prepare(db, "UPDATE blocks SET seats_taken = seats WHERE offering_id = $1");
        db_bind_text(st, 1, docs[i].id);
        CHECK(db_step(st) == DB_DONE);
        db_reset(st);
        CHECK_INT(store_catalog_changed(db, docs[i].id, clock_now()), DB_OK);
    }
    /* New offerings, ids anywhere in the order, with a new word. */
    for (int i = 0; i < 4; i++)
        CHECK(make_offering("Pulsarwave Externship", "Brand-new words: heliotrope", "published", false, NULL));
    arena_heap_free(&arena);
    CHECK(wait_for("quasarfield", 5));
    CHECK(wait_for("pulsarwave", 4));
    load_docs();
    int before = queries_run;
    CHECK_INT(run_queries(150), 0);
    printf("  %d more queries\n", queries_run - before);
}

/* What the tests need, once the suite's server is up. */
static bool setup(void)
{
    db = api_db_open(&server);
    bool ready = db != NULL && seed(1200) && make_host();
    char draft[64];
    ready = ready && make_offering("Clínica Cardiology Elective", "Crème brûlée rounds with Dr. Müller’s team — naïve façade",
                                   "published", false, NULL) &&
            make_offering("Clínica Cardiology Observership", "Full: every seat is taken", "published", true, NULL) &&
            make_offering("Clínica Zebrafinch Draft", "Never listed", "draft", false, draft);
    /* More offerings through the change feed, while the server runs. */
    return ready && seed(300) && wait_for("etienne", 2);
}

static void run_tests(void)
{
    RUN(index_equals_a_scan_of_the_catalog);
    RUN(accents_fold_and_unpublished_offerings_stay_out);
    RUN(index_follows_changes_and_still_equals_a_scan);
}

static void finish(void)
{
    if (test_failed)
        api_server_print_log(&server, 30);
    for (size_t i = 0; i < doc_count; i++)
        free(docs[i].tokens);
    db_close(db);
}

int main(void)
{
    const char *seed_env = getenv("ORACLE_SEED");
    rng_state = seed_env != NULL ? strtoull(seed_env, NULL, 10) : (uint64_t)time(NULL) * 2654435761u + (uint64_t)getpid();
    if (rng_state == 0)
        rng_state = 1;
    printf("ORACLE_SEED=%llu\n", (unsigned long long)rng_state);
    today = clock_today_days();
    static const struct api_suite suite = {
        .name = "api_search_oracle", .server = &server, .setup = setup, .setup_what = "could not build the catalog",
        .run = run_tests, .finish = finish};
    return api_suite_main(&suite);
}
