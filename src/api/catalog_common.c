/* catalog_common.c — what the catalog management endpoints share: list
 * parameters (?limit= and ?cursor=), the JSON shapes of organisations, sites,
 * preceptors and blocks, and the offering body (POST and PATCH). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/accounts.h"
#include "domain/catalog.h"
#include "domain/money.h"
#include "domain/catalog_index.h"
#include "lib/clock.h"
#include "lib/limits.h"

/* ---- lists ---- */

/* A query parameter given at most once; NULL when absent or empty. */
static int single_param(struct http_request *req, struct http_kv_list *query, const char *name, const char **out)
{
    *out = NULL;
    if (http_kv_count(query, name) > 1) {
        http_reply_error(req, ERR_INVALID_PARAMETER, name, "may be given only once");
        return -1;
    }
    const char *v = http_kv_get(query, name);
    if (v != NULL && v[0] != '\0')
        *out = v;
    return 0;
}

int api_query_param(struct http_request *req, const char *name, const char **out)
{
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return -1;
    return single_param(req, query, name, out);
}

/* Ids are letters, digits, '_' and '-'. */
bool api_id_valid(const char *id)
{
    return list_id_valid(id);
}

int api_list_limit(struct http_request *req, int *limit)
{
    const char *value;
    if (api_query_param(req, "limit", &value) != 0)
        return -1;
    if (value != NULL) {
        char *end = NULL;
        errno = 0;
        long long n = strtoll(value, &end, 10);
        if (errno != 0 || end == value || *end != '\0' || n < 1 || n > API_LIST_LIMIT_MAX) {
            http_reply_error(req, ERR_INVALID_PARAMETER, "limit", "must be from 1 to 100");
            return -1;
        }
        *limit = (int)n;
    }
    return 0;
}

int api_list_params(struct http_request *req, struct api_page *page)
{
    page->limit = API_LIST_LIMIT_DEFAULT;
    page->cursor = NULL;
    const char *cursor;
    if (api_list_limit(req, &page->limit) != 0 || api_query_param(req, "cursor", &cursor) != 0)
        return -1;
    if (cursor != NULL) {
        if (!api_id_valid(cursor)) {
            http_reply_error(req, ERR_INVALID_PARAMETER, "cursor", "is not a cursor of this list");
            return -1;
        }
        page->cursor = cursor;
    }
    return 0;
}

void api_managed_list(struct http_request *req, const struct api_managed_kind *kind)
{
    struct api_page page;
    const char *organization_id;
    if (api_list_params(req, &page) != 0 || api_query_param(req, "organization_id", &organization_id) != 0)
        return;
    struct store_user user;
    const char *orgs;
    if (api_current_user(req, &user) != 0 || api_managed_organizations(req, &user, organization_id, &orgs) != 0)
        return;
    void *items = NULL;
    size_t count = 0;
    if (kind->list(req->db, &req->arena, orgs, page.cursor, page.limit + 1, &items, &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    buf_append_str(&b, "{\"items\":[");
    size_t shown = count > (size_t)page.limit ? (size_t)page.limit : count;
    for (size_t i = 0; i < shown; i++) {
        if (i > 0)
            buf_append_char(&b, ',');
        kind->write(&b, (const char *)items + i * kind->item_size);
    }
    const void *last = shown > 0 ? (const char *)items + (shown - 1) * kind->item_size : NULL;
    api_write_list_end(&b, count > shown && last != NULL ? kind->id_of(last) : NULL);
    http_reply_json(req, 200, &b);
}

void api_managed_get(struct http_request *req, const struct api_managed_kind *kind)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return;
    void *item = arena_alloc(&req->arena, kind->item_size);
    int rc = item != NULL ? kind->get(req->db, &req->arena, &user, http_param(req, "id"), item) : DB_ERROR;
    if (rc == DB_DONE) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, kind->missing);
        return;
    }
    if (rc != DB_ROW) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    kind->write(&b, item);
    http_reply_json(req, 200, &b);
}

void api_write_list_end(struct buf *b, const char *next_cursor)
{
    buf_append_str(b, "],\"next_cursor\":");
    buf_append_json_string(b, next_cursor);
    buf_append_char(b, '}');
}

/* ---- JSON shapes ---- */

void api_write_organization(struct buf *b, const char *id, const char *name, const char *kind)
{
    buf_append_str(b, "{\"id\":");
    buf_append_json_string(b, id);
    buf_append_str(b, ",\"name\":");
    buf_append_json_string(b, name);
    buf_append_str(b, ",\"kind\":");
    buf_append_json_string(b, kind);
    buf_append_char(b, '}');
}

void api_write_site(struct buf *b, const struct store_site *s)
{
    char created[21];
    clock_format_rfc3339(s->created_at, created);
    buf_append_str(b, "{\"id\":");
    buf_append_json_string(b, s->id);
    buf_append_str(b, ",\"organization_id\":");
    buf_append_json_string(b, s->organization_id);
    buf_append_str(b, ",\"name\":");
    buf_append_json_string(b, s->name);
    buf_append_str(b, ",\"address\":");
    buf_append_json_string(b, s->address);
    buf_append_str(b, ",\"city\":");
    buf_append_json_string(b, s->city);
    buf_append_str(b, ",\"state\":");
    buf_append_json_string(b, s->state);
    buf_append_str(b, ",\"zip\":");
    buf_append_json_string(b, s->zip);
    buf_append_str(b, ",\"time_zone\":");
    buf_append_json_string(b, s->time_zone);
    buf_appendf(b, ",\"created_at\":\"%s\"}", created);
}

void api_write_preceptor(struct buf *b, const struct store_preceptor *p)
{
    char created[21];
    clock_format_rfc3339(p->created_at, created);
    buf_append_str(b, "{\"id\":");
    buf_append_json_string(b, p->id);
    buf_append_str(b, ",\"organization_id\":");
    buf_append_json_string(b, p->organization_id);
    buf_append_str(b, ",\"user_id\":");
    buf_append_json_string(b, p->user_id);
    buf_append_str(b, ",\"name\":");
    buf_append_json_string(b, p->name);
    buf_append_str(b, ",\"email\":");
    buf_append_json_string(b, p->email);
    buf_append_str(b, ",\"npi\":");
    buf_append_json_string(b, p->npi);
    buf_append_str(b, ",\"specialty\":");
    buf_append_json_string(b, p->specialty);
    buf_append_str(b, ",\"license_state\":");
    buf_append_json_string(b, p->license_state);
    buf_append_str(b, ",\"license_number\":");
    buf_append_json_string(b, p->license_number);
    buf_append_str(b, ",\"license_expires\":");
    buf_append_json_string(b, p->license_expires);
    buf_append_str(b, ",\"board_status\":");
    buf_append_json_string(b, p->board_status);
    buf_appendf(b, ",\"verified\":%s,\"created_at\":\"%s\"}", p->verified ? "true" : "false", created);
}

void api_write_block(struct buf *b, const struct store_block *blk)
{
    buf_append_str(b, "{\"id\":");
    buf_append_json_string(b, blk->id);
    buf_append_str(b, ",\"offering_id\":");
    buf_append_json_string(b, blk->offering_id);
    buf_append_str(b, ",\"start\":");
    buf_append_json_string(b, blk->start_date);
    buf_append_str(b, ",\"end\":");
    buf_append_json_string(b, blk->end_date);
    buf_appendf(b, ",\"seats\":%lld,\"seats_taken\":%lld,\"seats_reserved\":%lld,\"seats_left\":%lld}",
                (long long)blk->seats, (long long)blk->seats_taken, (long long)blk->seats_reserved,
                (long long)(blk->seats - blk->seats_taken - blk->seats_reserved));
}

/* ---- the offering body ---- */

static const struct json_field eligibility_spec[] = {
    JSON_BOOL(struct api_eligibility_body, students_allowed, JSON_OPTIONAL),
    JSON_BOOL(struct api_eligibility_body, graduates_allowed, JSON_REQUIRED),
    JSON_BOOL(struct api_eligibility_body, step1_required, JSON_REQUIRED),
    JSON_ENUM_ARRAY(struct api_eligibility_body, visa_kinds, JSON_REQUIRED, visa_kind_names),
    JSON_INT(struct api_eligibility_body, max_years_since_graduation, JSON_NULLABLE, 0,
             CATALOG_MAX_YEARS_SINCE_GRADUATION),
    JSON_BOOL(struct api_eligibility_body, english_proof_required, JSON_OPTIONAL),
    {0},
};

/* The first day as fields (each optional, one line; "" or absent: not given). */
static const struct json_field first_day_spec[] = {
    JSON_STRING(struct store_first_day, address, JSON_OPTIONAL, 0, CATALOG_FIRST_DAY_FIELD_MAX),
    JSON_STRING(struct store_first_day, time, JSON_OPTIONAL, 0, CATALOG_FIRST_DAY_FIELD_MAX),
    JSON_STRING(struct store_first_day, ask_for, JSON_OPTIONAL, 0, CATALOG_FIRST_DAY_FIELD_MAX),
    JSON_STRING(struct store_first_day, dress_code, JSON_OPTIONAL, 0, CATALOG_FIRST_DAY_FIELD_MAX),
    JSON_STRING(struct store_first_day, transport, JSON_OPTIONAL, 0, CATALOG_FIRST_DAY_FIELD_MAX),
    JSON_STRING(struct store_first_day, bring, JSON_OPTIONAL, 0, CATALOG_FIRST_DAY_FIELD_MAX),
    {0},
};

const struct json_field api_offering_spec[] = {
    JSON_STRING(struct api_offering_body, organization_id, JSON_OPTIONAL, 1, ID_MAX_BYTES),
    JSON_STRING(struct api_offering_body, site_id, JSON_OPTIONAL, 1, ID_MAX_BYTES),
    JSON_STRING(struct api_offering_body, preceptor_id, JSON_OPTIONAL, 1, ID_MAX_BYTES),
    JSON_STRING(struct api_offering_body, title, JSON_OPTIONAL, CATALOG_TITLE_MIN, CATALOG_TITLE_MAX),
    JSON_STRING(struct api_offering_body, specialty, JSON_OPTIONAL, 1, ID_MAX_BYTES),
    JSON_ENUM(struct api_offering_body, kind, JSON_OPTIONAL, offering_kind_names),
    JSON_ENUM(struct api_offering_body, setting, JSON_OPTIONAL, offering_setting_names),
    JSON_INT(struct api_offering_body, weeks, JSON_OPTIONAL, 1, CATALOG_WEEKS_MAX),
    JSON_INT(struct api_offering_body, hours_per_week, JSON_OPTIONAL, 1, CATALOG_HOURS_MAX),
    JSON_INT(struct api_offering_body, tuition_cents, JSON_OPTIONAL, 0, CATALOG_TUITION_MAX_CENTS),
    JSON_INT(struct api_offering_body, application_fee_cents, JSON_OPTIONAL, 0, CATALOG_FEE_MAX_CENTS),
    JSON_INT(struct api_offering_body, deposit_cents, JSON_OPTIONAL, 0, CATALOG_TUITION_MAX_CENTS + CATALOG_FEE_MAX_CENTS),
    JSON_INT(struct api_offering_body, deposit_percent, JSON_OPTIONAL, 0, DEPOSIT_PERCENT_MAX),
    JSON_INT(struct api_offering_body, balance_due_days, JSON_OPTIONAL, 0, BALANCE_DUE_DAYS_MAX),
    JSON_OBJECT(struct api_offering_body, refund_policy, JSON_OPTIONAL, refund_policy_spec),
    JSON_OBJECT(struct api_offering_body, eligibility, JSON_OPTIONAL, eligibility_spec),
    JSON_TEXT(struct api_offering_body, description, JSON_OPTIONAL, 0, CATALOG_DESCRIPTION_MAX),
    JSON_TEXT(struct api_offering_body, first_day, JSON_OPTIONAL, 0, CATALOG_FIRST_DAY_MAX),
    JSON_OBJECT(struct api_offering_body, first_day_instructions, JSON_OPTIONAL, first_day_spec),
    JSON_STRING_ARRAY(struct api_offering_body, requirements, JSON_OPTIONAL, 1, 64, 64),
    JSON_BOOL(struct api_offering_body, lor_customary, JSON_OPTIONAL),
    JSON_BOOL(struct api_offering_body, requires_affiliation, JSON_OPTIONAL),
    JSON_ENUM(struct api_offering_body, status, JSON_OPTIONAL, offering_status_names),
    {0},
};

int api_parse_offering_body(struct http_request *req, struct api_offering_body *body, struct json_presence *presence)
{
    memset(body, 0, sizeof(*body));
    /* Defaults of the optional eligibility fields (the spec leaves absent fields alone). */
    body->eligibility.students_allowed = true;
    body->eligibility.max_years_since_graduation = -1;
    return api_parse_body(req, api_offering_spec, body, presence);
}

/* A comma-separated list from an array whose items may not hold commas. */
static int join_items(struct http_request *req, const struct json_strings *list, const char *field, const char **out)
{
    for (size_t i = 0; i < list->count; i++)
        if (strchr(list->items[i], ',') != NULL) {
            http_reply_error(req, ERR_VALIDATION_FAILED, field, "has an item that is not an allowed value");
            return -1;
        }
    *out = catalog_join_csv(&req->arena, list->items, list->count);
    if (*out == NULL) {
        http_reply_error(req, ERR_VALIDATION_FAILED, field, "is too long");
        return -1;
    }
    return 0;
}

int api_apply_offering_body(struct http_request *req, const struct api_offering_body *body,
                            const struct json_presence *presence, struct store_offering *o)
{
#define SENT(name) json_presence_has(api_offering_spec, presence, name)
    if (SENT("organization_id"))
        o->organization_id = body->organization_id;
    if (SENT("site_id"))
        o->site_id = body->site_id;
    if (SENT("preceptor_id"))
        o->preceptor_id = body->preceptor_id;
    if (SENT("title"))
        o->title = body->title;
    if (SENT("specialty"))
        o->specialty = body->specialty;
    if (SENT("kind"))
        o->kind = body->kind;
    if (SENT("setting"))
        o->setting = body->setting;
    if (SENT("weeks"))
        o->weeks = body->weeks;
    if (SENT("hours_per_week"))
        o->hours_per_week = body->hours_per_week;
    if (SENT("tuition_cents"))
        o->tuition_cents = body->tuition_cents;
    if (SENT("application_fee_cents"))
        o->application_fee_cents = body->application_fee_cents;
    if (SENT("deposit_cents"))
        o->deposit_cents = body->deposit_cents;
    if (SENT("deposit_percent"))
        o->deposit_percent = body->deposit_percent;
    /* An amount replaces a share and the other way round, unless both are sent (then both are checked). */
    if (SENT("deposit_cents") && !SENT("deposit_percent"))
        o->deposit_percent = 0;
    if (SENT("deposit_percent") && !SENT("deposit_cents"))
        o->deposit_cents = 0;
    if (SENT("balance_due_days"))
        o->balance_due_days = body->balance_due_days;
    if (SENT("refund_policy")) {
        struct refund_policy policy;
        struct error err = {0};
        if (refund_policy_from_body(&body->refund_policy, &policy, "refund_policy", &req->arena, &err) != 0) {
            http_reply_problem(req, &err);
            return -1;
        }
        struct buf text;
        buf_init(&text, &req->arena, REFUND_POLICY_JSON_MAX);
        refund_policy_write_json(&text, &policy);
        o->refund_policy = buf_ok(&text) ? text.data : "";
    }
    if (SENT("eligibility")) {
        /* Eligibility is replaced as a whole. */
        const struct api_eligibility_body *e = &body->eligibility;
        o->students_allowed = e->students_allowed;
        o->graduates_allowed = e->graduates_allowed;
        o->step1_required = e->step1_required;
        o->english_proof_required = e->english_proof_required;
        o->max_years_since_graduation = e->max_years_since_graduation;
        if (join_items(req, &e->visa_kinds, "eligibility.visa_kinds", &o->visa_kinds) != 0)
            return -1;
    }
    if (SENT("description"))
        o->description = body->description;
    if (SENT("first_day"))
        o->first_day = body->first_day;
    if (SENT("first_day_instructions")) /* replaced as a whole: a field left out is cleared */
        o->first_day_fields = body->first_day_instructions;
    if (SENT("requirements") && join_items(req, &body->requirements, "requirements", &o->requirements) != 0)
        return -1;
    if (SENT("lor_customary"))
        o->lor_customary = body->lor_customary;
    if (SENT("requires_affiliation"))
        o->requires_affiliation = body->requires_affiliation;
    if (SENT("status"))
        o->status = body->status;
#undef SENT
    return 0;
}

int api_managed_organizations(struct http_request *req, const struct store_user *user, const char *organization_id,
                              const char **orgs)
{
    *orgs = NULL;
    if (organization_id != NULL) {
        if (!api_id_valid(organization_id)) {
            http_reply_error(req, ERR_INVALID_PARAMETER, "organization_id", "is not an organisation id");
            return -1;
        }
        if (!catalog_may_manage(user, organization_id)) {
            http_reply_error(req, ERR_NOT_FOUND, "organization_id", "no such organisation");
            return -1;
        }
        *orgs = organization_id;
        return 0;
    }
    if (account_has_role(user, ROLE_STAFF))
        return 0;
    const struct store_membership *managed[STORE_MAX_MEMBERSHIPS];
    size_t count = catalog_managed_organizations(user, managed, STORE_MAX_MEMBERSHIPS);
    struct buf list;
    buf_init(&list, &req->arena, BUF_CAP_SMALL);
    for (size_t i = 0; i < count; i++) {
        if (i > 0)
            buf_append_char(&list, ',');
        buf_append_str(&list, managed[i]->organization_id);
    }
    /* A caller who manages nothing sees an empty list, not everything. */
    *orgs = list.len > 0 && buf_ok(&list) ? list.data : ",";
    return 0;
}

void api_write_refund_policy(struct buf *b, const struct refund_policy *policy)
{
    buf_append_str(b, "{\"tiers\":[");
    for (size_t i = 0; i < policy->count; i++)
        buf_appendf(b, "%s{\"days_before\":%lld,\"percent\":%lld,\"fee_refunded\":%s}", i > 0 ? "," : "",
                    (long long)policy->tiers[i].days_before, (long long)policy->tiers[i].percent,
                    policy->tiers[i].fee_refunded ? "true" : "false");
    /* The rules no host can change (domain/refunds.h). */
    buf_append_str(b, "],\"fixed_rules\":{\"host_cancels\":{\"percent\":100,\"fee_refunded\":true},"
                      "\"cannot_happen\":{\"percent\":100,\"fee_refunded\":true},"
                      "\"visa_refused\":{\"percent\":100,\"fee_refunded\":false}}}");
}

void api_write_refund_schedule(struct buf *b, const struct refund_policy *policy, int32_t start_day,
                               int64_t paid_cents, int64_t fee_cents)
{
    struct refund_schedule_row rows[REFUND_TIERS_MAX + 1];
    size_t n = refund_schedule(policy, start_day, paid_cents, fee_cents, rows, REFUND_TIERS_MAX + 1);
    buf_append_char(b, '[');
    for (size_t i = 0; i < n; i++) {
        char day[11];
        clock_date_from_days(rows[i].deadline_day, day);
        buf_appendf(b, "%s{\"%s\":\"%s\",\"refund_cents\":%lld,\"percent\":%lld}", i > 0 ? "," : "",
                    rows[i].from ? "from" : "cancel_by", day, (long long)rows[i].answer.refund_cents,
                    (long long)rows[i].answer.percent);
    }
    buf_append_char(b, ']');
}

void api_write_first_day(struct buf *b, const struct store_first_day *f)
{
    const char *names[] = {"address", "time", "ask_for", "dress_code", "transport", "bring"};
    const char *values[] = {f->address, f->time, f->ask_for, f->dress_code, f->transport, f->bring};
    buf_append_str(b, ",\"first_day_instructions\":{");
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        buf_appendf(b, "%s\"%s\":", i > 0 ? "," : "", names[i]);
        buf_append_json_string(b, values[i] != NULL ? values[i] : "");
    }
    buf_append_char(b, '}');
}
