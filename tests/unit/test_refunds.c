/* test_refunds.c — unit tests for the refund policy (domain/refunds.c): the
 * tiers by days before the start, the fee kept or refunded, the fixed rules
 * (host cancels, rotation cannot happen, visa refused), rounding, the
 * schedule table the pages show, validation and the stored JSON form; and
 * the Stripe webhook signature check (lib/stripe_signature.c) against a
 * header made by Stripe's own library; the event and replies Stripe sends
 * (lib/stripe_json.c); amounts typed in dollars (lib/cents.c). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "domain/refunds.h"
#include "lib/cents.h"
#include "lib/clock.h"
#include "lib/crypto.h"
#include "lib/stripe_json.h"
#include "lib/stripe_signature.h"
#include "test.h"

static struct arena arena;

/* The default policy: ≥ 60 days 100 % (fee refunded), ≥ 30 days 50 % (fee kept), else nothing. */
static struct refund_answer quote(int32_t days_before, int64_t paid, int64_t fee, enum refund_cause cause)
{
    struct refund_policy p;
    refund_policy_default(&p);
    int32_t start = clock_days_from_date("2027-03-01");
    struct refund_question q = {&p, start, start - days_before, paid, fee, cause};
    struct refund_answer a;
    refund_quote(&q, &a);
    return a;
}

TEST(student_tiers_by_days_before_the_start)
{
    /* Price $3,250 = $3,000 tuition + $250 fee, paid in full. */
    struct refund_answer a = quote(90, 325000, 25000, REFUND_CAUSE_STUDENT);
    CHECK_INT(a.refund_cents, 325000);
    CHECK_INT(a.tier, 0);
    CHECK_INT(a.kept_cents, 0);
    a = quote(60, 325000, 25000, REFUND_CAUSE_STUDENT); /* exactly 60 days: still the first tier */
    CHECK_INT(a.refund_cents, 325000);
    a = quote(59, 325000, 25000, REFUND_CAUSE_STUDENT); /* 50 % of what was paid less the fee */
    CHECK_INT(a.tier, 1);
    CHECK_INT(a.refund_cents, 150000);
    CHECK_INT(a.kept_cents, 175000);
    CHECK_INT(a.fee_kept_cents, 25000);
    a = quote(30, 325000, 25000, REFUND_CAUSE_STUDENT);
    CHECK_INT(a.refund_cents, 150000);
    a = quote(29, 325000, 25000, REFUND_CAUSE_STUDENT);
    CHECK_INT(a.tier, -1);
    CHECK_INT(a.refund_cents, 0);
    CHECK_INT(a.kept_cents, 325000);
    CHECK_INT(a.fee_kept_cents, 25000);
    a = quote(-3, 325000, 25000, REFUND_CAUSE_STUDENT); /* after the start */
    CHECK_INT(a.refund_cents, 0);
}

TEST(deposit_only_pays_the_fee_first)
{
    /* A $899 deposit on a $250 fee: 50 % back of the $649 beyond the fee. */
    struct refund_answer a = quote(45, 89900, 25000, REFUND_CAUSE_STUDENT);
    CHECK_INT(a.refund_cents, 32450);
    CHECK_INT(a.fee_kept_cents, 25000);
    /* Less than the fee paid: nothing beyond the fee to refund at 50 %, fee kept. */
    a = quote(45, 10000, 25000, REFUND_CAUSE_STUDENT);
    CHECK_INT(a.refund_cents, 0);
    CHECK_INT(a.fee_kept_cents, 10000);
    /* Nothing paid: nothing back. */
    a = quote(90, 0, 25000, REFUND_CAUSE_STUDENT);
    CHECK_INT(a.refund_cents, 0);
    CHECK_INT(a.kept_cents, 0);
}

TEST(fixed_rules)
{
    struct refund_answer a = quote(1, 325000, 25000, REFUND_CAUSE_HOST);
    CHECK_INT(a.refund_cents, 325000);
    CHECK_INT(a.percent, 100);
    a = quote(-10, 89900, 25000, REFUND_CAUSE_CANNOT_HAPPEN);
    CHECK_INT(a.refund_cents, 89900);
    a = quote(5, 325000, 25000, REFUND_CAUSE_VISA_REFUSED); /* everything less the fee */
    CHECK_INT(a.refund_cents, 300000);
    CHECK_INT(a.fee_kept_cents, 25000);
    a = quote(5, 20000, 25000, REFUND_CAUSE_VISA_REFUSED); /* paid less than the fee */
    CHECK_INT(a.refund_cents, 0);
}

TEST(rounding_is_down_to_the_cent)
{
    struct refund_policy p = {.tiers = {{10, 33, true}}, .count = 1};
    struct refund_question q = {&p, 1000, 980, 1001, 0, REFUND_CAUSE_STUDENT};
    struct refund_answer a;
    refund_quote(&q, &a);
    CHECK_INT(a.refund_cents, 330); /* 33 % of 1001 = 330.33 */
    CHECK_INT(a.kept_cents, 671);
    CHECK_INT(a.refund_cents + a.kept_cents, 1001);
}

TEST(normalise_sorts_and_refuses_bad_tiers)
{
    struct refund_policy p = {.tiers = {{0, 10, false}, {90, 100, true}, {30, 50, false}}, .count = 3};
    struct error err = {0};
    CHECK_INT(refund_policy_normalise(&p, "refund_policy", &arena, &err), 0);
    CHECK_INT(p.tiers[0].days_before, 90);
    CHECK_INT(p.tiers[1].days_before, 30);
    CHECK_INT(p.tiers[2].days_before, 0);

    struct refund_policy dup = {.tiers = {{30, 50, false}, {30, 20, false}}, .count = 2};
    CHECK_INT(refund_policy_normalise(&dup, "refund_policy", &arena, &err), -1);
    CHECK_INT(err.code, ERR_VALIDATION_FAILED);
    CHECK_STR(err.field, "refund_policy.tiers[1].days_before");
    struct refund_policy pct = {.tiers = {{30, 101, false}}, .count = 1};
    CHECK_INT(refund_policy_normalise(&pct, "refund_policy", &arena, &err), -1);
    CHECK_STR(err.field, "refund_policy.tiers[0].percent");
    struct refund_policy days = {.tiers = {{731, 10, false}}, .count = 1};
    CHECK_INT(refund_policy_normalise(&days, NULL, &arena, &err), -1);
    CHECK_STR(err.field, "tiers[0].days_before");
}

TEST(stored_json_round_trip)
{
    struct refund_policy p = {.tiers = {{45, 80, false}, {14, 25, true}}, .count = 2}, back;
    struct buf b;
    buf_init(&b, &arena, 1024);
    refund_policy_write_json(&b, &p);
    CHECK_STR(b.data, "{\"tiers\":[{\"days_before\":45,\"percent\":80,\"fee_refunded\":false},"
                      "{\"days_before\":14,\"percent\":25,\"fee_refunded\":true}]}");
    CHECK_INT(refund_policy_decode(&arena, b.data, &back), 0);
    CHECK_INT(back.count, 2);
    CHECK_INT(back.tiers[1].days_before, 14);
    CHECK(back.tiers[1].fee_refunded);
    CHECK_INT(refund_policy_decode(&arena, "", &back), 0); /* the default */
    CHECK_INT(back.count, 2);
    CHECK_INT(back.tiers[0].days_before, 60);
    CHECK_INT(refund_policy_decode(&arena, "{\"tiers\":[{\"days_before\":-1,\"percent\":5}]}", &back), -1);
    CHECK_INT(refund_policy_decode(&arena, "{\"tiers\":[],\"x\":1}", &back), -1);
    CHECK_INT(refund_policy_decode(&arena, "not json", &back), -1);
    CHECK_INT(refund_policy_decode(&arena, "{\"tiers\":[]}", &back), 0); /* no refund at all is a policy too */
    CHECK_INT(back.count, 0);
}

TEST(schedule_rows_for_a_block)
{
    struct refund_policy p;
    refund_policy_default(&p);
    int32_t start = clock_days_from_date("2027-03-01");
    struct refund_schedule_row rows[REFUND_TIERS_MAX + 1];
    size_t n = refund_schedule(&p, start, 325000, 25000, rows, REFUND_TIERS_MAX + 1);
    CHECK_INT(n, 3);
    char date[11];
    clock_date_from_days(rows[0].deadline_day, date);
    CHECK_STR(date, "2026-12-31"); /* 60 days before 1 Mar 2027 */
    CHECK_INT(rows[0].answer.refund_cents, 325000);
    clock_date_from_days(rows[1].deadline_day, date);
    CHECK_STR(date, "2027-01-30");
    CHECK_INT(rows[1].answer.refund_cents, 150000);
    CHECK(rows[2].from);
    clock_date_from_days(rows[2].deadline_day, date);
    CHECK_STR(date, "2027-01-31");
    CHECK_INT(rows[2].answer.refund_cents, 0);
    /* Each row is what refund_quote answers on that day. */
    for (size_t i = 0; i < n; i++) {
        struct refund_question q = {&p, start, rows[i].deadline_day, 325000, 25000, REFUND_CAUSE_STUDENT};
        struct refund_answer a;
        refund_quote(&q, &a);
        CHECK_INT(a.refund_cents, rows[i].answer.refund_cents);
    }
    /* A policy ending in a 0-day tier that still refunds: the last row is after the start. */
    struct refund_policy late = {.tiers = {{0, 20, false}}, .count = 1};
    n = refund_schedule(&late, start, 100000, 0, rows, REFUND_TIERS_MAX + 1);
    CHECK_INT(n, 2);
    CHECK_INT(rows[0].answer.refund_cents, 20000);
    CHECK_INT(rows[1].deadline_day, start + 1);
    CHECK_INT(rows[1].answer.refund_cents, 0);
}

/* Made by stripe-node 23.2.0: stripe.webhooks.generateTestHeaderString({payload, secret, timestamp}). */
static const char stripe_payload[] = "{\"id\":\"evt_1\",\"object\":\"event\"}";
static const char stripe_secret[] = "whsec_test_secret";
static const char stripe_header[] = "t=1700000000,v1=0c8670ed117751cc551a20e35839447075c42800ea3cf3e8a2fbda99cd1e6edd";

TEST(stripe_signature_matches_stripes_library)
{
    size_t len = strlen(stripe_payload);
    char hex[65];
    stripe_signature_compute(stripe_payload, len, stripe_secret, 1700000000, hex);
    CHECK_STR(hex, "0c8670ed117751cc551a20e35839447075c42800ea3cf3e8a2fbda99cd1e6edd");
    CHECK_INT(stripe_signature_verify(stripe_header, stripe_payload, len, stripe_secret, 1700000000, 300),
              STRIPE_SIGNATURE_OK);
    CHECK_INT(stripe_signature_verify(stripe_header, stripe_payload, len, stripe_secret, 1700000300, 300),
              STRIPE_SIGNATURE_OK);
    CHECK_INT(stripe_signature_verify(stripe_header, stripe_payload, len, stripe_secret, 1700000301, 300),
              STRIPE_SIGNATURE_OUTSIDE_TOLERANCE);
    CHECK_INT(stripe_signature_verify(stripe_header, stripe_payload, len, stripe_secret, 1699999699, 300),
              STRIPE_SIGNATURE_OUTSIDE_TOLERANCE);
    /* One byte of the body changed, another secret, or the signature cut short. */
    CHECK_INT(stripe_signature_verify(stripe_header, "{\"id\":\"evt_2\",\"object\":\"event\"}", len, stripe_secret,
                                      1700000000, 300),
              STRIPE_SIGNATURE_MISMATCH);
    CHECK_INT(stripe_signature_verify(stripe_header, stripe_payload, len, "whsec_other", 1700000000, 300),
              STRIPE_SIGNATURE_MISMATCH);
    CHECK_INT(stripe_signature_verify("t=1700000000,v1=0c8670ed", stripe_payload, len, stripe_secret, 1700000000,
                                      300),
              STRIPE_SIGNATURE_MISMATCH);
    /* Uppercase hex is not what Stripe sends: Stripe's libraries compare strings. */
    CHECK_INT(stripe_signature_verify("t=1700000000,v1=0C8670ED117751CC551A20E35839447075C42800EA3CF3E8A2FBDA99CD1E6EDD",
                                      stripe_payload, len, stripe_secret, 1700000000, 300),
              STRIPE_SIGNATURE_MISMATCH);
}

TEST(stripe_signature_header_forms)
{
    size_t len = strlen(stripe_payload);
    const char *good = "0c8670ed117751cc551a20e35839447075c42800ea3cf3e8a2fbda99cd1e6edd";
    char header[512];
    /* Several v1 (secret rotation): one matching is enough, in any position; v0 and unknown keys are ignored. */
    snprintf(header, sizeof(header), "t=1700000000,v1=%064d,v0=abc,v1=%s,x=1", 0, good);
    CHECK_INT(stripe_signature_verify(header, stripe_payload, len, stripe_secret, 1700000000, 300), STRIPE_SIGNATURE_OK);
    snprintf(header, sizeof(header), "v1=%s,t=1700000000", good);
    CHECK_INT(stripe_signature_verify(header, stripe_payload, len, stripe_secret, 1700000000, 300), STRIPE_SIGNATURE_OK);
    snprintf(header, sizeof(header), "t=1700000000,v0=%s", good);
    CHECK_INT(stripe_signature_verify(header, stripe_payload, len, stripe_secret, 1700000000, 300),
              STRIPE_SIGNATURE_NO_V1);
    snprintf(header, sizeof(header), "v1=%s", good);
    CHECK_INT(stripe_signature_verify(header, stripe_payload, len, stripe_secret, 1700000000, 300),
              STRIPE_SIGNATURE_MALFORMED);
    snprintf(header, sizeof(header), "t=17000x0000,v1=%s", good);
    CHECK_INT(stripe_signature_verify(header, stripe_payload, len, stripe_secret, 1700000000, 300),
              STRIPE_SIGNATURE_MALFORMED);
    CHECK_INT(stripe_signature_verify("", stripe_payload, len, stripe_secret, 1700000000, 300),
              STRIPE_SIGNATURE_MALFORMED);
    CHECK_INT(stripe_signature_verify(NULL, stripe_payload, len, stripe_secret, 1700000000, 300),
              STRIPE_SIGNATURE_MALFORMED);
    CHECK_INT(stripe_signature_verify("t=,v1=", stripe_payload, len, stripe_secret, 1700000000, 300),
              STRIPE_SIGNATURE_MALFORMED);
    /* Our own header for the benchmark is the same form. */
    stripe_signature_header(stripe_payload, len, stripe_secret, 1700000000, header, sizeof(header));
    CHECK_STR(header, stripe_header);
}

static int parse_event(const char *body, struct stripe_event *ev, const char **why)
{
    *why = NULL;
    return stripe_event_parse(&arena, body, strlen(body), ev, why);
}

TEST(stripe_event_fields_we_act_on)
{
    struct stripe_event ev;
    const char *why;
    CHECK_INT(parse_event("{\"id\":\"evt_1\",\"type\":\"checkout.session.completed\",\"data\":{\"object\":{"
                          "\"id\":\"cs_1\",\"amount_total\":30000,\"currency\":\"usd\",\"client_reference_id\":"
                          "\"ck_1\",\"payment_intent\":\"pi_1\",\"payment_status\":\"paid\"}}}",
                          &ev, &why),
              0);
    CHECK_STR(ev.id, "evt_1");
    CHECK_INT(ev.kind, STRIPE_EVENT_SESSION_COMPLETED);
    CHECK_STR(ev.session_id, "cs_1");
    CHECK_STR(ev.checkout_ref, "ck_1");
    CHECK_STR(ev.payment_intent, "pi_1");
    CHECK_STR(ev.currency, "usd");
    CHECK(ev.paid && ev.has_amount);
    CHECK_INT(ev.amount_cents, 30000);
    /* The checkout from the metadata when there is no client_reference_id; not paid yet; no amount. */
    CHECK_INT(parse_event("{\"id\":\"evt_2\",\"type\":\"checkout.session.async_payment_succeeded\",\"data\":{"
                          "\"object\":{\"metadata\":{\"checkout_id\":\"ck_2\"},\"payment_status\":\"unpaid\","
                          "\"amount_total\":\"300\"}}}",
                          &ev, &why),
              0);
    CHECK_INT(ev.kind, STRIPE_EVENT_SESSION_ASYNC_SUCCEEDED);
    CHECK_STR(ev.checkout_ref, "ck_2");
    CHECK(!ev.paid && !ev.has_amount && ev.session_id == NULL);
    CHECK_INT(parse_event("{\"id\":\"evt_3\",\"type\":\"checkout.session.expired\",\"data\":{\"object\":{}}}", &ev,
                          &why),
              0);
    CHECK_INT(ev.kind, STRIPE_EVENT_SESSION_EXPIRED);
    CHECK_INT(parse_event("{\"id\":\"evt_4\",\"type\":\"charge.refunded\",\"data\":{\"object\":{}}}", &ev, &why), 0);
    CHECK_INT(ev.kind, STRIPE_EVENT_OTHER);
}

TEST(stripe_event_refuses_what_is_not_an_event)
{
    struct stripe_event ev;
    const char *why;
    const char *bad[] = {
        "",
        "not json",
        "[1,2]",
        "{\"type\":\"x\",\"data\":{\"object\":{}}}",
        "{\"id\":\"\",\"type\":\"x\",\"data\":{\"object\":{}}}",
        "{\"id\":7,\"type\":\"x\",\"data\":{\"object\":{}}}",
        "{\"id\":\"evt\",\"data\":{\"object\":{}}}",
        "{\"id\":\"evt\",\"type\":\"x\",\"data\":{\"object\":[]}}",
        "{\"id\":\"evt\",\"type\":\"x\"}",
        "{\"id\":\"evt\",\"id\":\"evt2\",\"type\":\"x\",\"data\":{\"object\":{}}}",
        "{\"id\":\"ev\\u0000t\",\"type\":\"x\",\"data\":{\"object\":{}}}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (parse_event(bad[i], &ev, &why) != -1 || why == NULL)
            TEST_FAILF("accepted as an event: %s", bad[i]);
    }
    /* An id longer than Stripe's is not an event; a long checkout reference is no reference. */
    char body[1024];
    snprintf(body, sizeof(body), "{\"id\":\"%0*d\",\"type\":\"x\",\"data\":{\"object\":{}}}", STRIPE_ID_MAX_BYTES + 1, 0);
    CHECK_INT(parse_event(body, &ev, &why), -1);
    snprintf(body, sizeof(body), "{\"id\":\"e\",\"type\":\"x\",\"data\":{\"object\":{\"client_reference_id\":\"%0*d\"}}}",
             STRIPE_ID_MAX_BYTES + 1, 0);
    CHECK_INT(parse_event(body, &ev, &why), 0);
    CHECK(ev.checkout_ref == NULL);
}

TEST(stripe_replies)
{
    const char *id, *url, *status;
    const char *session = "{\"id\":\"cs_test_1\",\"url\":\"https://checkout.stripe.com/c/pay/cs_test_1\"}";
    CHECK_INT(stripe_session_reply_parse(&arena, session, strlen(session), &id, &url), 0);
    CHECK_STR(id, "cs_test_1");
    CHECK_STR(url, "https://checkout.stripe.com/c/pay/cs_test_1");
    const char *javascript = "{\"id\":\"cs_test_1\",\"url\":\"javascript:alert(1)\"}";
    CHECK_INT(stripe_session_reply_parse(&arena, javascript, strlen(javascript), &id, &url), -1);
    CHECK_INT(stripe_session_reply_parse(&arena, "{\"url\":\"https://x\"}", 19, &id, &url), -1);
    CHECK_INT(stripe_session_reply_parse(&arena, NULL, 0, &id, &url), -1);
    const char *refund = "{\"id\":\"re_1\",\"status\":\"pending\"}";
    CHECK_INT(stripe_refund_reply_parse(&arena, refund, strlen(refund), &id, &status), 0);
    CHECK_STR(id, "re_1");
    CHECK_STR(status, "pending");
    CHECK_INT(stripe_refund_reply_parse(&arena, "{\"status\":\"succeeded\"}", 22, &id, &status), -1);
    const char *error = "{\"error\":{\"message\":\"No such payment_intent\"}}";
    CHECK_STR(stripe_error_message(&arena, error, strlen(error)), "No such payment_intent");
    CHECK(stripe_error_message(&arena, "<html>", 6) == NULL);
}

TEST(dollars_typed_in_a_form)
{
    CHECK_INT(cents_parse_dollars("2500"), 250000);
    CHECK_INT(cents_parse_dollars("2,500"), 250000);
    CHECK_INT(cents_parse_dollars(" $2,500.5 "), 250050);
    CHECK_INT(cents_parse_dollars("2500.05"), 250005);
    CHECK_INT(cents_parse_dollars("0"), 0);
    CHECK_INT(cents_parse_dollars("9999999999.99"), INT64_C(999999999999));
    CHECK_INT(cents_parse_dollars("5."), 500); /* a point with no decimals, as people type */
    const char *bad[] = {"", " ", "$", "-5", "1.234", "12345678901", "5 5", "5e3", "five", "$-1", "1.2.3", ".5"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int64_t got = cents_parse_dollars(bad[i]);
        if (got != -1)
            TEST_FAILF("\"%s\" read as %lld cents", bad[i], (long long)got);
    }
    char shown[CENTS_TEXT_MAX];
    CHECK_INT(cents_parse_dollars(cents_format(shown, sizeof(shown), 135000)), 135000);
    CHECK_INT(cents_parse_dollars(cents_format(shown, sizeof(shown), 7)), 7);
}

int main(void)
{
    crypto_init();
    arena_heap_init(&arena);
    RUN(student_tiers_by_days_before_the_start);
    RUN(deposit_only_pays_the_fee_first);
    RUN(fixed_rules);
    RUN(rounding_is_down_to_the_cent);
    RUN(normalise_sorts_and_refuses_bad_tiers);
    RUN(stored_json_round_trip);
    RUN(schedule_rows_for_a_block);
    RUN(stripe_signature_matches_stripes_library);
    RUN(stripe_signature_header_forms);
    RUN(stripe_event_fields_we_act_on);
    RUN(stripe_event_refuses_what_is_not_an_event);
    RUN(stripe_replies);
    RUN(dollars_typed_in_a_form);
    arena_heap_free(&arena);
    return test_summary("refunds");
}
