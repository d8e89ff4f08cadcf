/* offering_get.c — GET /api/v1/offerings/{id}: everything a student needs to
 * decide — host, site, preceptor and verification, fees, refund policy,
 * eligibility, requirements (the host's for all its offerings and the
 * offering's own) and blocks with seats left. Unpublished offerings answer
 * 404 except to their host's coordinators and staff. Published ones are
 * rendered once and kept (http_cache_*) until the change feed brings a
 * change of the offering (a host-wide requirement changes all of the host's). */
#include <string.h>

#include "api/api.h"
#include "domain/catalog.h"
#include "domain/documents.h"
#include "lib/limits.h"
#include "domain/money.h"
#include "lib/clock.h"

static void write_csv_array(struct buf *b, const char *csv)
{
    buf_append_char(b, '[');
    bool first = true;
    for (const char *p = csv; p != NULL && *p != '\0';) {
        const char *comma = strchr(p, ',');
        size_t n = comma != NULL ? (size_t)(comma - p) : strlen(p);
        if (n > 0) {
            if (!first)
                buf_append_char(b, ',');
            first = false;
            buf_append_char(b, '"');
            for (size_t i = 0; i < n; i++)
                if (p[i] != '"' && p[i] != '\\' && (unsigned char)p[i] >= 0x20)
                    buf_append_char(b, p[i]);
            buf_append_char(b, '"');
        }
        p = comma != NULL ? comma + 1 : NULL;
    }
    buf_append_char(b, ']');
}

/* "requirements": the kinds (slugs), and "requirement_rules" with each
 * kind's name, issue-date rule and whether it is the host's or the offering's. */
static void write_requirements(struct buf *b, const struct requirement_rule *rules, size_t count)
{
    buf_append_str(b, ",\"requirements\":[");
    for (size_t i = 0; i < count; i++) {
        if (i > 0)
            buf_append_char(b, ',');
        buf_append_json_string(b, rules[i].kind);
    }
    buf_append_str(b, "],\"requirement_rules\":[");
    for (size_t i = 0; i < count; i++) {
        buf_append_str(b, i > 0 ? ",{\"kind\":" : "{\"kind\":");
        buf_append_json_string(b, rules[i].kind);
        buf_append_str(b, ",\"name\":");
        buf_append_json_string(b, document_kind_name(rules[i].kind));
        buf_append_str(b, ",\"source\":");
        buf_append_json_string(b, rules[i].source == REQUIREMENT_FROM_HOST ? requirement_source_name(REQUIREMENT_FROM_HOST)
                                                                     : requirement_source_name(REQUIREMENT_FROM_OFFERING));
        buf_append_str(b, ",\"issued_within_days\":");
        if (rules[i].issued_within_days > 0)
            buf_appendf(b, "%lld}", (long long)rules[i].issued_within_days);
        else
            buf_append_str(b, "null}");
    }
    buf_append_char(b, ']');
}

int api_offering_rules(struct http_request *req, const struct store_offering *o, struct requirement_rule **rules,
                       size_t *rule_count)
{
    if (compliance_rules(req->db, &req->arena, o->organization_id, o->id, rules, rule_count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return -1;
    }
    return 0;
}

void api_write_offering(struct buf *b, const struct store_offering *o, const struct store_block *blocks,
                        size_t block_count, const struct requirement_rule *rules, size_t rule_count)
{
    buf_append_str(b, "{\"id\":");
    buf_append_json_string(b, o->id);
    buf_append_str(b, ",\"title\":");
    buf_append_json_string(b, o->title);
    buf_append_str(b, ",\"specialty\":");
    buf_append_json_string(b, o->specialty);
    buf_append_str(b, ",\"kind\":");
    buf_append_json_string(b, o->kind);
    buf_append_str(b, ",\"setting\":");
    buf_append_json_string(b, o->setting);
    buf_append_str(b, ",\"status\":");
    buf_append_json_string(b, o->status);
    buf_appendf(b, ",\"weeks\":%lld,\"hours_per_week\":%lld", (long long)o->weeks, (long long)o->hours_per_week);
    buf_append_str(b, ",\"host\":{\"id\":");
    buf_append_json_string(b, o->organization_id);
    buf_append_str(b, ",\"name\":");
    buf_append_json_string(b, o->host_name);
    buf_append_str(b, "},\"site\":{\"id\":");
    buf_append_json_string(b, o->site_id);
    buf_append_str(b, ",\"name\":");
    buf_append_json_string(b, o->site_name);
    buf_append_str(b, ",\"address\":");
    buf_append_json_string(b, o->site_address);
    buf_append_str(b, ",\"city\":");
    buf_append_json_string(b, o->site_city);
    buf_append_str(b, ",\"state\":");
    buf_append_json_string(b, o->site_state);
    buf_append_str(b, ",\"zip\":");
    buf_append_json_string(b, o->site_zip);
    buf_append_str(b, ",\"time_zone\":");
    buf_append_json_string(b, o->site_time_zone);
    buf_append_str(b, "},\"preceptor\":{\"id\":");
    buf_append_json_string(b, o->preceptor_id);
    buf_append_str(b, ",\"name\":");
    buf_append_json_string(b, o->preceptor_name);
    buf_append_str(b, ",\"specialty\":");
    buf_append_json_string(b, o->preceptor_specialty);
    buf_append_str(b, ",\"board_status\":");
    buf_append_json_string(b, o->preceptor_board_status);
    buf_appendf(b, ",\"verified\":%s}", o->preceptor_verified ? "true" : "false");
    buf_appendf(b,
                ",\"currency\":\"USD\",\"tuition_cents\":%lld,\"application_fee_cents\":%lld,\"deposit_cents\":%lld,"
                "\"deposit_percent\":%lld,\"deposit_amount_cents\":%lld,\"balance_due_days\":%lld,\"total_cents\":%lld",
                (long long)o->tuition_cents, (long long)o->application_fee_cents, (long long)o->deposit_cents,
                (long long)o->deposit_percent, (long long)money_offering_deposit(o), (long long)o->balance_due_days,
                (long long)money_offering_price(o));
    struct refund_policy policy;
    struct arena scratch;
    arena_heap_init(&scratch);
    if (refund_policy_decode(&scratch, o->refund_policy, &policy) != 0)
        refund_policy_default(&policy);
    arena_heap_free(&scratch);
    buf_append_str(b, ",\"refund_policy\":");
    api_write_refund_policy(b, &policy);
    buf_appendf(b, ",\"eligibility\":{\"students_allowed\":%s,\"graduates_allowed\":%s,\"step1_required\":%s,"
                   "\"english_proof_required\":%s,\"max_years_since_graduation\":",
                o->students_allowed ? "true" : "false", o->graduates_allowed ? "true" : "false",
                o->step1_required ? "true" : "false", o->english_proof_required ? "true" : "false");
    if (o->max_years_since_graduation >= 0)
        buf_appendf(b, "%lld", (long long)o->max_years_since_graduation);
    else
        buf_append_str(b, "null");
    buf_append_str(b, ",\"visa_kinds\":");
    write_csv_array(b, o->visa_kinds);
    buf_appendf(b, "},\"lor_customary\":%s,\"requires_affiliation\":%s", o->lor_customary ? "true" : "false",
                o->requires_affiliation ? "true" : "false");
    write_requirements(b, rules, rule_count);
    buf_append_str(b, ",\"description\":");
    buf_append_json_string(b, o->description);
    buf_append_str(b, ",\"first_day\":");
    buf_append_json_string(b, o->first_day);
    api_write_first_day(b, &o->first_day_fields);
    buf_append_str(b, ",\"blocks\":[");
    for (size_t i = 0; i < block_count; i++) {
        const struct store_block *blk = &blocks[i];
        if (i > 0)
            buf_append_char(b, ',');
        buf_append_str(b, "{\"id\":");
        buf_append_json_string(b, blk->id);
        buf_appendf(b, ",\"start\":\"%s\",\"end\":\"%s\",\"seats\":%lld,\"seats_left\":%lld", blk->start_date,
                    blk->end_date, (long long)blk->seats, (long long)(blk->seats - blk->seats_taken - blk->seats_reserved));
        /* What the policy gives back for this block, having paid the full price. */
        int32_t start = clock_days_from_date(blk->start_date);
        char due[11];
        clock_date_from_days((int32_t)(start - o->balance_due_days), due);
        buf_appendf(b, ",\"balance_due_on\":\"%s\",\"refund_schedule\":", due);
        api_write_refund_schedule(b, &policy, start, money_offering_price(o), o->application_fee_cents);
        buf_append_char(b, '}');
    }
    buf_append_str(b, "]}");
}

void api_offering_get(struct http_request *req)
{
    const char *id = http_param(req, "id");
    if (http_cache_reply(req, HTTP_CACHE_OFFERING_JSON, id) || http_needs_db(req))
        return;
    uint64_t generation = http_cache_generation();
    struct store_offering o;
    int rc = store_offering_get(req->db, &req->arena, id, &o);
    if (rc != DB_ROW && rc != DB_DONE) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    if (rc == DB_DONE || !catalog_may_view_offering(req->db, &req->arena, req->auth.user_id, &o)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "no such offering");
        return;
    }
    struct store_block *blocks;
    size_t count;
    if (store_blocks_of_offering(req->db, &req->arena, o.id, &blocks, &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct requirement_rule *rules;
    size_t rule_count;
    if (api_offering_rules(req, &o, &rules, &rule_count) != 0)
        return;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_DETAIL);
    api_write_offering(&b, &o, blocks, count, rules, rule_count);
    /* A published offering reads the same for everyone: kept until it changes. */
    if (offering_status_parse(o.status) == OFFERING_PUBLISHED)
        http_cache_reply_and_keep(req, HTTP_CACHE_OFFERING_JSON, o.id, generation, "application/json; charset=utf-8",
                                  &b);
    else
        http_reply_json(req, 200, &b);
}
