/* refunds.h — the structured refund policy of an offering and the one
 * function that says how much of what a student paid comes back.
 *
 * A policy is a short list of tiers, "cancelled at least D days before the
 * first day → P % of what was paid back, the platform fee kept or not",
 * plus rules no host can change: the host cancels, or the rotation cannot
 * happen → everything back; the student's visa is refused (with proof,
 * judged by staff) → everything back less the fee. Every page, the API, the
 * cancellation, the unpaid-balance release and the tests ask refund_quote();
 * nothing else computes a refund.
 *
 * Money is integer cents. What a student paid is applied to the platform
 * fee first, so "fee kept" keeps at most min(paid, fee). Percentages round
 * down to the cent, in the platform's favour by less than a cent. A goodwill
 * refund staff granted earlier counts towards a cancellation's refund
 * (money.c caps it at what is left to give back). */
#ifndef ROUNDS_DOMAIN_REFUNDS_H
#define ROUNDS_DOMAIN_REFUNDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/errors.h"
#include "lib/json_spec.h"
#include "lib/limits.h"

/* The stored form of a policy, in bytes: REFUND_TIERS_MAX tiers of ~60 bytes each. */
enum { REFUND_POLICY_JSON_MAX = 1024 };

struct refund_tier {
    int64_t days_before;  /* cancelled at least this many days before the first day */
    int64_t percent;      /* 0–100 of what was paid */
    bool fee_refunded;    /* false: the platform fee is kept */
};

/* Tiers in decreasing days_before, each days_before distinct. */
struct refund_policy {
    struct refund_tier tiers[REFUND_TIERS_MAX];
    size_t count;
};

/* Why the booking ends: who cancelled, or what happened. */
enum refund_cause {
    REFUND_CAUSE_STUDENT,        /* the student cancels, or the balance was not paid by its date */
    REFUND_CAUSE_HOST,           /* the host cancels: everything back */
    REFUND_CAUSE_CANNOT_HAPPEN,  /* the rotation cannot happen: everything back */
    REFUND_CAUSE_VISA_REFUSED,   /* visa refused, with proof: everything back less the fee */
};

struct refund_question {
    const struct refund_policy *policy;
    int32_t start_day;   /* the first day, in days since 1970-01-01 */
    int32_t cancel_day;  /* the day the booking ends */
    int64_t paid_cents;  /* what the student has paid towards the price */
    int64_t fee_cents;   /* the platform fee within the price */
    enum refund_cause cause;
};

struct refund_answer {
    int64_t refund_cents;    /* back to the student */
    int64_t kept_cents;      /* paid − refund */
    int64_t fee_kept_cents;  /* of kept, what the platform keeps (the fee first); the rest is the host's */
    int64_t percent;         /* of the tier or the fixed rule */
    int tier;                /* index of the tier that applied; -1 for a fixed rule or none */
};

/* The refund for one cancellation. Never negative, never more than paid. */
void refund_quote(const struct refund_question *q, struct refund_answer *out);

/* The policy offerings get when their host gives none: 60 days or more
 * before → everything back; 30 days or more → half back, the fee kept;
 * later → nothing. */
void refund_policy_default(struct refund_policy *out);

/* Checks count, days (0–730, distinct), percent (0–100) and sorts the tiers
 * by days_before, largest first. -1 with err (validation_failed naming
 * field_prefix + ".tiers[i].days_before" …) when a value is wrong. */
int refund_policy_normalise(struct refund_policy *policy, const char *field_prefix, struct arena *arena,
                            struct error *err);

/* The JSON field spec of a policy object {"tiers":[{days_before, percent,
 * fee_refunded}]} (the API's "refund_policy", and its stored form). */
struct refund_policy_body {
    struct json_objects tiers;
};
extern const struct json_field refund_policy_spec[];
/* body (as parsed with refund_policy_spec) into *out, normalised. */
int refund_policy_from_body(const struct refund_policy_body *body, struct refund_policy *out, const char *field_prefix,
                            struct arena *arena, struct error *err);
/* The stored text of a policy (the same JSON the API takes). */
void refund_policy_write_json(struct buf *b, const struct refund_policy *policy);
/* Reads a stored policy; the default when text is NULL or empty. -1 when it is not a valid policy. */
int refund_policy_decode(struct arena *arena, const char *text, struct refund_policy *out);

/* One row of the policy as a table for a block and an amount paid:
 * "cancel by <deadline>: <refund> back". The last row (days_before 0 or the
 * day after the last tier's deadline) says what is left once every tier has passed. */
struct refund_schedule_row {
    int32_t deadline_day;    /* cancel on or before this day (the last row: from this day on) */
    bool from;               /* true for the last row: "from deadline_day" */
    struct refund_answer answer;
};
/* Rows for a student's cancellation of a block starting start_day, having
 * paid paid_cents of which fee_cents is the fee (at most REFUND_TIERS_MAX + 1 rows). */
size_t refund_schedule(const struct refund_policy *policy, int32_t start_day, int64_t paid_cents, int64_t fee_cents,
                       struct refund_schedule_row *rows, size_t max_rows);

#endif
