/* refunds.c — the refund policy and the one refund function; see refunds.h. */
#include "domain/refunds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t percent_of(int64_t cents, int64_t percent)
{
    /* cents ≤ 10^9 in practice; percent ≤ 100: no overflow. Rounds down. */
    return cents * percent / 100;
}

void refund_quote(const struct refund_question *q, struct refund_answer *out)
{
    memset(out, 0, sizeof(*out));
    out->tier = -1;
    int64_t paid = q->paid_cents > 0 ? q->paid_cents : 0;
    int64_t fee = q->fee_cents > 0 ? q->fee_cents : 0;
    int64_t fee_paid = paid < fee ? paid : fee; /* payments go to the fee first */
    int64_t refund = 0;
    switch (q->cause) {
    case REFUND_CAUSE_HOST:
    case REFUND_CAUSE_CANNOT_HAPPEN:
        out->percent = 100;
        refund = paid;
        break;
    case REFUND_CAUSE_VISA_REFUSED:
        out->percent = 100;
        refund = paid - fee_paid;
        break;
    case REFUND_CAUSE_STUDENT: {
        int64_t days = (int64_t)q->start_day - (int64_t)q->cancel_day;
        const struct refund_policy *p = q->policy;
        for (size_t i = 0; p != NULL && i < p->count; i++)
            if (days >= p->tiers[i].days_before) {
                const struct refund_tier *t = &p->tiers[i];
                out->tier = (int)i;
                out->percent = t->percent;
                refund = t->fee_refunded ? percent_of(paid, t->percent) : percent_of(paid - fee_paid, t->percent);
                break;
            }
        break;
    }
    }
    if (refund < 0)
        refund = 0;
    if (refund > paid)
        refund = paid;
    out->refund_cents = refund;
    out->kept_cents = paid - refund;
    out->fee_kept_cents = out->kept_cents < fee_paid ? out->kept_cents : fee_paid;
}

void refund_policy_default(struct refund_policy *out)
{
    memset(out, 0, sizeof(*out));
    out->tiers[0] = (struct refund_tier){60, 100, true};
    out->tiers[1] = (struct refund_tier){30, 50, false};
    out->count = 2;
}

static int compare_tiers(const void *a, const void *b)
{
    const struct refund_tier *x = a, *y = b;
    return x->days_before < y->days_before ? 1 : x->days_before > y->days_before ? -1 : 0;
}

static const char *tier_field(struct arena *arena, const char *prefix, size_t i, const char *name)
{
    char *path = arena != NULL ? arena_alloc(arena, 96) : NULL;
    if (path == NULL)
        return name;
    snprintf(path, 96, "%s%stiers[%zu].%s", prefix != NULL ? prefix : "", prefix != NULL ? "." : "", i, name);
    return path;
}

int refund_policy_normalise(struct refund_policy *p, const char *prefix, struct arena *arena, struct error *err)
{
    if (p->count > REFUND_TIERS_MAX)
        return error_set(err, ERR_VALIDATION_FAILED, tier_field(arena, prefix, REFUND_TIERS_MAX, "days_before"),
                         "a policy has at most " LIMIT_TEXT(REFUND_TIERS_MAX) " tiers");
    for (size_t i = 0; i < p->count; i++) {
        const struct refund_tier *t = &p->tiers[i];
        if (t->days_before < 0 || t->days_before > REFUND_DAYS_BEFORE_MAX)
            return error_set(err, ERR_VALIDATION_FAILED, tier_field(arena, prefix, i, "days_before"),
                             "must be from 0 to " LIMIT_TEXT(REFUND_DAYS_BEFORE_MAX) " days");
        if (t->percent < 0 || t->percent > 100)
            return error_set(err, ERR_VALIDATION_FAILED, tier_field(arena, prefix, i, "percent"),
                             "must be from 0 to 100");
        for (size_t k = 0; k < i; k++)
            if (p->tiers[k].days_before == t->days_before)
                return error_set(err, ERR_VALIDATION_FAILED, tier_field(arena, prefix, i, "days_before"),
                                 "two tiers have the same number of days");
    }
    qsort(p->tiers, p->count, sizeof(p->tiers[0]), compare_tiers);
    return 0;
}

static const struct json_field tier_spec[] = {
    JSON_INT(struct refund_tier, days_before, JSON_REQUIRED, 0, REFUND_DAYS_BEFORE_MAX),
    JSON_INT(struct refund_tier, percent, JSON_REQUIRED, 0, 100),
    JSON_BOOL(struct refund_tier, fee_refunded, JSON_OPTIONAL),
    {0},
};

const struct json_field refund_policy_spec[] = {
    JSON_OBJECT_ARRAY(struct refund_policy_body, tiers, JSON_REQUIRED, struct refund_tier, tier_spec,
                      REFUND_TIERS_MAX),
    {0},
};

int refund_policy_from_body(const struct refund_policy_body *body, struct refund_policy *out, const char *prefix,
                            struct arena *arena, struct error *err)
{
    memset(out, 0, sizeof(*out));
    if (body->tiers.count > REFUND_TIERS_MAX)
        return error_set(err, ERR_VALIDATION_FAILED, tier_field(arena, prefix, REFUND_TIERS_MAX, "days_before"),
                         "a policy has at most " LIMIT_TEXT(REFUND_TIERS_MAX) " tiers");
    const struct refund_tier *items = body->tiers.items;
    for (size_t i = 0; i < body->tiers.count; i++)
        out->tiers[i] = items[i];
    out->count = body->tiers.count;
    return refund_policy_normalise(out, prefix, arena, err);
}

void refund_policy_write_json(struct buf *b, const struct refund_policy *p)
{
    buf_append_str(b, "{\"tiers\":[");
    for (size_t i = 0; i < p->count; i++)
        buf_appendf(b, "%s{\"days_before\":%lld,\"percent\":%lld,\"fee_refunded\":%s}", i > 0 ? "," : "",
                    (long long)p->tiers[i].days_before, (long long)p->tiers[i].percent,
                    p->tiers[i].fee_refunded ? "true" : "false");
    buf_append_str(b, "]}");
}

int refund_policy_decode(struct arena *arena, const char *text, struct refund_policy *out)
{
    if (text == NULL || text[0] == '\0') {
        refund_policy_default(out);
        return 0;
    }
    struct refund_policy_body body = {0};
    struct error err = {0};
    if (json_spec_parse(arena, text, strlen(text), refund_policy_spec, &body, NULL, &err) != 0)
        return -1;
    return refund_policy_from_body(&body, out, NULL, arena, &err);
}

size_t refund_schedule(const struct refund_policy *p, int32_t start_day, int64_t paid_cents, int64_t fee_cents,
                       struct refund_schedule_row *rows, size_t max_rows)
{
    size_t n = 0;
    struct refund_question q = {p, start_day, 0, paid_cents, fee_cents, REFUND_CAUSE_STUDENT};
    for (size_t i = 0; i < p->count && n < max_rows; i++) {
        q.cancel_day = (int32_t)(start_day - p->tiers[i].days_before);
        rows[n].deadline_day = q.cancel_day;
        rows[n].from = false;
        refund_quote(&q, &rows[n].answer);
        n++;
    }
    /* Once the last tier has passed: what the policy gives then (nothing, unless a tier says otherwise). */
    int32_t after = p->count > 0 ? (int32_t)(start_day - p->tiers[p->count - 1].days_before + 1) : start_day;
    q.cancel_day = after;
    struct refund_answer last;
    refund_quote(&q, &last);
    if (n < max_rows && (n == 0 || last.refund_cents != rows[n - 1].answer.refund_cents)) {
        rows[n].deadline_day = after;
        rows[n].from = true;
        rows[n].answer = last;
        n++;
    }
    return n;
}
