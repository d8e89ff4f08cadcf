/* catalog_query.c — reading a catalog search from its parameters, the same
 * for GET /api/v1/offerings and the search page. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "domain/catalog_index.h"
#include "domain/reference.h"
#include "lib/buf.h"
#include "lib/clock.h"
#include "lib/json_spec.h"
#include "lib/limits.h"
#include "lib/utf8.h"

const char *const catalog_query_params[] = {"q",          "specialty",  "state", "kind",   "start_from",
                                            "start_to",   "max_tuition", "eligible", "include_full", "sort",
                                            "limit",      "cursor",     NULL};

static bool parse_whole(const char *s, long long min, long long max, long long *out)
{
    if (s == NULL || *s == '\0')
        return false;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        return false;
    *out = v;
    return true;
}

int catalog_query_parse(const char *(*get)(void *ctx, const char *name, bool *repeated), void *ctx,
                        struct catalog_query *q, bool *eligible_me, struct error *err)
{
    memset(q, 0, sizeof(*q));
    q->specialty = q->state = q->kind = -1;
    q->start_from = INT32_MIN;
    q->start_to = INT32_MAX;
    q->max_tuition_cents = -1;
    q->limit = 20;
    *eligible_me = false;
    for (const char *const *name = catalog_query_params; *name != NULL; name++) {
        bool repeated = false;
        const char *v = get(ctx, *name, &repeated);
        if (repeated)
            return error_set(err, ERR_INVALID_PARAMETER, *name, "may be given only once");
        /* An empty value (an untouched form field) means "any". */
        if (v == NULL || v[0] == '\0')
            continue;
        long long n;
        if (strcmp(*name, "q") == 0) {
            if (utf8_count(v, strlen(v)) > SEARCH_QUERY_MAX_CHARS)
                return error_set(err, ERR_INVALID_PARAMETER, "q",
                                 "must be at most " LIMIT_TEXT(SEARCH_QUERY_MAX_CHARS) " characters");
            q->text = v;
        } else if (strcmp(*name, "specialty") == 0) {
            if ((q->specialty = reference_specialty_index(v)) < 0)
                return error_set(err, ERR_INVALID_PARAMETER, "specialty", "is not a known specialty");
        } else if (strcmp(*name, "state") == 0) {
            char code[3] = {0};
            if (strlen(v) == 2) {
                code[0] = (char)(v[0] >= 'a' && v[0] <= 'z' ? v[0] - 32 : v[0]);
                code[1] = (char)(v[1] >= 'a' && v[1] <= 'z' ? v[1] - 32 : v[1]);
            }
            if ((q->state = reference_state_index(code)) < 0)
                return error_set(err, ERR_INVALID_PARAMETER, "state", "is not a U.S. state code");
        } else if (strcmp(*name, "kind") == 0) {
            q->kind = offering_kind_parse(v);
            if (q->kind < 0)
                return error_set(err, ERR_INVALID_PARAMETER, "kind",
                                 "must be hands_on, observership, research or telehealth");
        } else if (strcmp(*name, "start_from") == 0 || strcmp(*name, "start_to") == 0) {
            if (!json_date_valid(v))
                return error_set(err, ERR_INVALID_PARAMETER, *name, "must be a date YYYY-MM-DD");
            if (strcmp(*name, "start_from") == 0)
                q->start_from = clock_days_from_date(v);
            else
                q->start_to = clock_days_from_date(v);
        } else if (strcmp(*name, "max_tuition") == 0) {
            if (!parse_whole(v, 0, 10000000, &n))
                return error_set(err, ERR_INVALID_PARAMETER, "max_tuition", "must be cents from 0 to 10000000");
            q->max_tuition_cents = n;
        } else if (strcmp(*name, "eligible") == 0) {
            if (strcmp(v, "me") != 0)
                return error_set(err, ERR_INVALID_PARAMETER, "eligible", "must be me");
            *eligible_me = true;
        } else if (strcmp(*name, "include_full") == 0) {
            if (strcmp(v, "true") != 0 && strcmp(v, "false") != 0)
                return error_set(err, ERR_INVALID_PARAMETER, "include_full", "must be true or false");
            q->include_full = v[0] == 't';
        } else if (strcmp(*name, "sort") == 0) {
            if (strcmp(v, "soonest") == 0)
                q->sort = CATALOG_SORT_SOONEST;
            else if (strcmp(v, "price") == 0)
                q->sort = CATALOG_SORT_PRICE;
            else if (strcmp(v, "relevance") == 0)
                q->sort = CATALOG_SORT_RELEVANCE;
            else
                return error_set(err, ERR_INVALID_PARAMETER, "sort", "must be soonest, price or relevance");
        } else if (strcmp(*name, "limit") == 0) {
            if (!parse_whole(v, 1, 100, &n))
                return error_set(err, ERR_INVALID_PARAMETER, "limit", "must be from 1 to 100");
            q->limit = (int)n;
        } else if (strcmp(*name, "cursor") == 0) {
            q->cursor = v;
        }
    }
    bool sort_given = false;
    bool repeated = false;
    const char *sort = get(ctx, "sort", &repeated);
    sort_given = sort != NULL && sort[0] != '\0';
    if (q->text != NULL && !sort_given)
        q->sort = CATALOG_SORT_RELEVANCE;
    if (q->sort == CATALOG_SORT_RELEVANCE && q->text == NULL)
        return error_set(err, ERR_SORT_NEEDS_QUERY, "sort", "relevance needs a search text (q)");
    if (q->start_from > q->start_to)
        return error_set(err, ERR_START_RANGE_REVERSED, "start_to", "must not be before start_from");
    return 0;
}

/* A text as "<length>:<bytes>", so that no value can pass for a separator. */
static void key_text(struct buf *b, const char *text)
{
    if (text == NULL) {
        buf_append_char(b, '-');
        return;
    }
    buf_append_int(b, (int64_t)strlen(text));
    buf_append_char(b, ':');
    buf_append_str(b, text);
}

const char *catalog_query_key(struct arena *arena, const struct catalog_query *q)
{
    if (q->eligible_for != NULL || q->only_ids != NULL)
        return NULL;
    struct buf b;
    buf_init(&b, arena, BUF_CAP_SMALL);
    const int64_t numbers[] = {q->specialty, q->state, q->kind, q->start_from, q->start_to, q->max_tuition_cents,
                               q->include_full, (int64_t)q->sort, q->limit, q->offset};
    for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
        buf_append_int(&b, numbers[i]);
        buf_append_char(&b, ',');
    }
    key_text(&b, q->text);
    buf_append_char(&b, ',');
    key_text(&b, q->cursor);
    return buf_ok(&b) ? b.data : NULL;
}
