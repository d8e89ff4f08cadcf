/* page_host_offering.c — the host coordinator's offering pages:
 *
 *   GET/POST /host/offerings/new          the empty form; creating redirects to the edit page
 *   GET/POST /host/offerings/{id}/edit    the same form filled, and the offering's blocks
 *   POST     /host/offerings/{id}/blocks  adds a block
 *   POST     /host/blocks/{id}            changes a block's dates or seats
 *
 * Works without JavaScript: a POST that succeeds redirects to the edit page
 * (with a notice); one that fails shows the page again with the values sent
 * and the error next to its field. Offerings and blocks of hosts the user does
 * not coordinate answer 404, as if they did not exist. The rules are the
 * API's (domain/catalog.c); amounts are typed in dollars here. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/catalog.h"
#include "domain/catalog_index.h"
#include "domain/money.h"
#include "domain/reference.h"
#include "lib/limits.h"
#include "views/forms.h"
#include "views/money.h"
#include "store/waitlist.h"
#include "lib/cents.h"
#include "web/web.h"

enum { FORM_LIST_MAX = 100 };

/* The form's values as typed (or as stored, formatted for typing). */
struct offering_form {
    const char *organization_id;
    const char *title, *specialty, *kind, *setting, *site_id, *preceptor_id, *status;
    const char *weeks, *hours_per_week, *tuition, *application_fee, *deposit, *deposit_percent, *balance_due_days;
    const char *max_years;
    bool students_allowed, graduates_allowed, step1_required, english_proof_required, lor_customary;
    bool requires_affiliation;
    const char *visa_kinds, *requirements; /* comma-separated */
    const char *description, *first_day;
    struct store_first_day first_day_fields; /* as typed */
    /* The refund policy's tiers as typed, one row each (blank rows are ignored). */
    const char *tier_days[REFUND_TIERS_MAX], *tier_percent[REFUND_TIERS_MAX];
    bool tier_fee_refunded[REFUND_TIERS_MAX];
};

/* A block form that failed: which one ("new" for the add form), what was sent, and why. */
struct block_failure {
    const char *block_id;
    const char *start, *end, *seats;
    struct error err;
};

/* The errors of one submission of the offering form, each naming a form field. */
enum { FORM_MAX_ERRORS = 16 };
struct form_errors {
    struct error items[FORM_MAX_ERRORS];
    size_t count;
};

/* ---- values ---- */

static const char *text_of(struct arena *arena, int64_t v)
{
    char s[32];
    snprintf(s, sizeof(s), "%lld", (long long)v);
    return arena_strdup(arena, s);
}

/* Cents as a dollar amount to type: "2500" or "2500.50". */
static const char *dollars_of(struct arena *arena, int64_t cents)
{
    char s[40];
    if (cents % 100 == 0)
        snprintf(s, sizeof(s), "%lld", (long long)(cents / 100));
    else
        snprintf(s, sizeof(s), "%lld.%02lld", (long long)(cents / 100), (long long)(cents % 100));
    return arena_strdup(arena, s);
}

static bool blank(const char *s)
{
    if (s == NULL)
        return true;
    while (*s == ' ')
        s++;
    return *s == '\0';
}

/* A whole number field: blank gives `empty` (or "is required" when required). */
static int form_number(const char *v, const char *field, int64_t min, int64_t max, const char *range, bool required,
                       int64_t empty, int64_t *out, struct error *err)
{
    if (blank(v)) {
        if (required)
            return error_set(err, ERR_VALIDATION_FAILED, field, "is required");
        *out = empty;
        return 0;
    }
    char *end = NULL;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (end == NULL)
        return error_set(err, ERR_VALIDATION_FAILED, field, "must be a whole number");
    while (*end == ' ')
        end++;
    if (errno != 0 || end == v || *end != '\0')
        return error_set(err, ERR_VALIDATION_FAILED, field, "must be a whole number");
    if (n < min || n > max)
        return error_set(err, ERR_VALIDATION_FAILED, field, range);
    *out = n;
    return 0;
}

static int form_amount(const char *v, const char *field, bool required, int64_t *out, struct error *err)
{
    if (blank(v)) {
        if (required)
            return error_set(err, ERR_VALIDATION_FAILED, field, "is required");
        *out = 0;
        return 0;
    }
    int64_t cents = cents_parse_dollars(v);
    if (cents < 0)
        return error_set(err, ERR_VALIDATION_FAILED, field, "must be an amount in dollars, such as 2500 or 2500.50");
    *out = cents;
    return 0;
}

/* The form's names of the first day's fields (domain: first_day_field_names). */
static const char *const first_day_inputs[FIRST_DAY_FIELDS] = {"first_day_address",    "first_day_time",
                                                               "first_day_ask_for",    "first_day_dress_code",
                                                               "first_day_transport",  "first_day_bring"};

/* "first_day_instructions.time" → "first_day_time"; NULL for another field. */
static const char *first_day_input(const char *api_field)
{
    static const char prefix[] = "first_day_instructions.";
    if (api_field == NULL || strncmp(api_field, prefix, sizeof(prefix) - 1) != 0)
        return NULL;
    for (int i = 0; i < FIRST_DAY_FIELDS; i++)
        if (strcmp(api_field + sizeof(prefix) - 1, first_day_field_names[i]) == 0)
            return first_day_inputs[i];
    return NULL;
}

/* The API's field name as the form names it. */
static const char *form_field(const char *api_field)
{
    if (first_day_input(api_field) != NULL)
        return first_day_input(api_field);
    static const char *const map[][2] = {{"tuition_cents", "tuition"},
                                         {"application_fee_cents", "application_fee"},
                                         {"deposit_cents", "deposit"},
                                         {"refund_policy", "tier_days_0"},
                                         {"eligibility.visa_kinds", "visa_kinds"},
                                         {"eligibility.max_years_since_graduation", "max_years"},
                                         {"eligibility.graduates_allowed", "graduates_allowed"},
                                         {"eligibility.students_allowed", "graduates_allowed"}};
    for (size_t i = 0; api_field != NULL && i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(map[i][0], api_field) == 0)
            return map[i][1];
    return api_field;
}

/* How the form labels a field, for messages ("Tuition must be …"). */
static const char *field_label(const char *field)
{
    static const char *const labels[][2] = {
        {"title", "Title"},          {"specialty", "Specialty"},
        {"kind", "Kind"},            {"setting", "Setting"},
        {"site_id", "Site"},         {"preceptor_id", "Preceptor"},
        {"weeks", "Length in weeks"}, {"hours_per_week", "Hours per week"},
        {"status", "Status"},        {"tuition", "Tuition"},
        {"application_fee", "Platform fee"}, {"deposit", "Deposit"},
        {"deposit_percent", "Deposit share"}, {"balance_due_days", "Balance due"},
        {"tier_days_0", "Refund tier 1: days"}, {"tier_percent_0", "Refund tier 1: percent"},
        {"tier_days_1", "Refund tier 2: days"}, {"tier_percent_1", "Refund tier 2: percent"},
        {"tier_days_2", "Refund tier 3: days"}, {"tier_percent_2", "Refund tier 3: percent"},
        {"tier_days_3", "Refund tier 4: days"}, {"tier_percent_3", "Refund tier 4: percent"},
        {"tier_days_4", "Refund tier 5: days"}, {"tier_percent_4", "Refund tier 5: percent"},
        {"tier_days_5", "Refund tier 6: days"}, {"tier_percent_5", "Refund tier 6: percent"},
        {"graduates_allowed", "Applicants"}, {"max_years", "Most years since graduation"},
        {"visa_kinds", "Visa kinds"}, {"description", "Description"},
        {"first_day", "The first day"},
        {"requirements", "Documents"}, {"start", "Start"},
        {"end", "End"},              {"seats", "Seats"},
    };
    for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
        if (strcmp(labels[i][0], field) == 0)
            return labels[i][1];
    for (int i = 0; i < FIRST_DAY_FIELDS; i++)
        if (strcmp(first_day_inputs[i], field) == 0)
            return first_day_field_labels[i];
    return field;
}

/* "Tuition must be …" for an error on a form field, in the arena. */
static const char *error_message(struct arena *arena, const struct error *err)
{
    const char *detail = err->detail != NULL ? err->detail : error_title(err->code);
    if (err->field == NULL)
        return detail;
    size_t size = strlen(detail) + 64;
    char *text = arena_alloc(arena, size);
    if (text == NULL)
        return detail;
    snprintf(text, size, "%s %s", field_label(err->field), detail);
    return text;
}

/* Records err, its field named as the form names it (once per field). */
static void add_error(struct form_errors *errors, const struct error *err)
{
    struct error e = *err;
    e.field = err->field != NULL ? form_field(err->field) : NULL;
    for (size_t i = 0; i < errors->count; i++)
        if (e.field != NULL && errors->items[i].field != NULL && strcmp(errors->items[i].field, e.field) == 0)
            return;
    if (errors->count < FORM_MAX_ERRORS)
        errors->items[errors->count++] = e;
}

/* The message for field, when the form has an error there; else NULL. */
static const char *error_for(struct arena *arena, const struct form_errors *errors, const char *field)
{
    for (size_t i = 0; errors != NULL && i < errors->count; i++)
        if (errors->items[i].field != NULL && strcmp(errors->items[i].field, field) == 0)
            return error_message(arena, &errors->items[i]);
    return NULL;
}

/* ---- the form and the offering ---- */

static void form_from_offering(struct arena *arena, const struct store_offering *o, struct offering_form *f)
{
    *f = (struct offering_form){
        .organization_id = o->organization_id,
        .title = o->title,
        .specialty = o->specialty,
        .kind = o->kind,
        .setting = o->setting,
        .site_id = o->site_id,
        .preceptor_id = o->preceptor_id,
        .status = o->status,
        .weeks = text_of(arena, o->weeks),
        .hours_per_week = text_of(arena, o->hours_per_week),
        .tuition = dollars_of(arena, o->tuition_cents),
        .application_fee = dollars_of(arena, o->application_fee_cents),
        .deposit = o->deposit_cents > 0 ? dollars_of(arena, o->deposit_cents) : "",
        .deposit_percent = o->deposit_percent > 0 ? text_of(arena, o->deposit_percent) : "",
        .balance_due_days = text_of(arena, o->balance_due_days),
        .max_years = o->max_years_since_graduation >= 0 ? text_of(arena, o->max_years_since_graduation) : "",
        .students_allowed = o->students_allowed,
        .graduates_allowed = o->graduates_allowed,
        .step1_required = o->step1_required,
        .english_proof_required = o->english_proof_required,
        .lor_customary = o->lor_customary,
        .requires_affiliation = o->requires_affiliation,
        .visa_kinds = o->visa_kinds,
        .requirements = o->requirements,
        .description = o->description,
        .first_day = o->first_day,
        .first_day_fields = o->first_day_fields,
    };
    struct refund_policy policy;
    if (refund_policy_decode(arena, o->refund_policy, &policy) != 0)
        refund_policy_default(&policy);
    for (size_t i = 0; i < policy.count; i++) {
        f->tier_days[i] = text_of(arena, policy.tiers[i].days_before);
        f->tier_percent[i] = text_of(arena, policy.tiers[i].percent);
        f->tier_fee_refunded[i] = policy.tiers[i].fee_refunded;
    }
}

/* Every value of a repeated form field (checkbox group), comma-separated. */
static const char *form_list(struct http_request *req, const char *name)
{
    const char *items[64];
    size_t n = 0;
    for (size_t i = 0; i < req->form.count && n < 64; i++)
        if (strcmp(req->form.items[i].name, name) == 0 && req->form.items[i].value[0] != '\0')
            items[n++] = req->form.items[i].value;
    const char *csv = catalog_join_csv(&req->arena, items, n);
    return csv != NULL ? csv : "";
}

static void form_from_request(struct http_request *req, struct offering_form *f)
{
    *f = (struct offering_form){
        .organization_id = http_form(req, "organization_id"),
        .title = http_form(req, "title"),
        .specialty = http_form(req, "specialty"),
        .kind = http_form(req, "kind"),
        .setting = http_form(req, "setting"),
        .site_id = http_form(req, "site_id"),
        .preceptor_id = http_form(req, "preceptor_id"),
        .status = http_form(req, "status"),
        .weeks = http_form(req, "weeks"),
        .hours_per_week = http_form(req, "hours_per_week"),
        .tuition = http_form(req, "tuition"),
        .application_fee = http_form(req, "application_fee"),
        .deposit = http_form(req, "deposit"),
        .deposit_percent = http_form(req, "deposit_percent"),
        .balance_due_days = http_form(req, "balance_due_days"),
        .max_years = http_form(req, "max_years"),
        .students_allowed = http_form(req, "students_allowed") != NULL,
        .graduates_allowed = http_form(req, "graduates_allowed") != NULL,
        .step1_required = http_form(req, "step1_required") != NULL,
        .english_proof_required = http_form(req, "english_proof_required") != NULL,
        .lor_customary = http_form(req, "lor_customary") != NULL,
        .requires_affiliation = http_form(req, "requires_affiliation") != NULL,
        .visa_kinds = form_list(req, "visa_kinds"),
        .requirements = form_list(req, "requirements"),
        .description = http_form(req, "description"),
        .first_day = http_form(req, "first_day"),
    };
    for (int i = 0; i < FIRST_DAY_FIELDS; i++)
        *first_day_field(&f->first_day_fields, i) = http_form(req, first_day_inputs[i]);
    for (int i = 0; i < REFUND_TIERS_MAX; i++) {
        char name[32];
        snprintf(name, sizeof(name), "tier_days_%d", i);
        f->tier_days[i] = http_form(req, name);
        snprintf(name, sizeof(name), "tier_percent_%d", i);
        f->tier_percent[i] = http_form(req, name);
        snprintf(name, sizeof(name), "tier_fee_%d", i);
        f->tier_fee_refunded[i] = http_form(req, name) != NULL;
    }
}

static const char *or_null(const char *s)
{
    return blank(s) ? NULL : s;
}

static const char *or_empty(const char *s)
{
    return s != NULL ? s : "";
}

/* Gives the field (as the rules name it) a value they accept; false for a field it does not know. */
static bool set_right(struct store_offering *o, const char *field)
{
    if (field == NULL)
        return false;
    if (strcmp(field, "organization_id") == 0 || strcmp(field, "site_id") == 0 || strcmp(field, "preceptor_id") == 0)
        o->organization_id = o->site_id = o->preceptor_id = "x";
    else if (strcmp(field, "title") == 0)
        o->title = "A title";
    else if (strcmp(field, "specialty") == 0)
        o->specialty = reference_specialties[0].slug;
    else if (strcmp(field, "kind") == 0)
        o->kind = offering_kind_names[0];
    else if (strcmp(field, "setting") == 0)
        o->setting = offering_setting_names[0];
    else if (strcmp(field, "status") == 0)
        o->status = offering_status_names[0];
    else if (strcmp(field, "weeks") == 0)
        o->weeks = 1;
    else if (strcmp(field, "hours_per_week") == 0)
        o->hours_per_week = 1;
    else if (strcmp(field, "tuition_cents") == 0)
        o->tuition_cents = CATALOG_TUITION_MAX_CENTS;
    else if (strcmp(field, "application_fee_cents") == 0)
        o->application_fee_cents = 0;
    else if (strcmp(field, "deposit_cents") == 0 || strcmp(field, "deposit_percent") == 0)
        o->deposit_cents = o->deposit_percent = 0;
    else if (strcmp(field, "balance_due_days") == 0)
        o->balance_due_days = MONEY_BALANCE_DUE_DAYS_DEFAULT;
    else if (strcmp(field, "refund_policy") == 0)
        o->refund_policy = "";
    else if (strcmp(field, "eligibility.graduates_allowed") == 0)
        o->graduates_allowed = true;
    else if (strcmp(field, "eligibility.max_years_since_graduation") == 0)
        o->max_years_since_graduation = -1;
    else if (strcmp(field, "eligibility.visa_kinds") == 0)
        o->visa_kinds = "";
    else if (strcmp(field, "description") == 0)
        o->description = "";
    else if (strcmp(field, "first_day") == 0)
        o->first_day = "";
    else if (first_day_input(field) != NULL) {
        for (int i = 0; i < FIRST_DAY_FIELDS; i++)
            if (first_day_input(field) == first_day_inputs[i])
                *first_day_field(&o->first_day_fields, i) = "";
    }
    else if (strcmp(field, "requirements") == 0)
        o->requirements = "";
    else
        return false;
    return true;
}

/* Fills the writable fields of o from the form, recording every missing
 * choice and every number that does not read; -1 when there was one. */
/* The refund policy from the tier rows typed (blank rows skipped), into o->refund_policy. */
static void policy_from_form(const struct offering_form *f, struct store_offering *o, struct form_errors *errors,
                             struct arena *arena)
{
    struct refund_policy policy = {.count = 0};
    int rows[REFUND_TIERS_MAX];
    struct error err = {0};
    char field[32];
    for (int i = 0; i < REFUND_TIERS_MAX; i++) {
        if (blank(f->tier_days[i]) && blank(f->tier_percent[i]))
            continue;
        struct refund_tier *t = &policy.tiers[policy.count];
        snprintf(field, sizeof(field), "tier_days_%d", i);
        const char *days_field = arena_strdup(arena, field);
        snprintf(field, sizeof(field), "tier_percent_%d", i);
        const char *percent_field = arena_strdup(arena, field);
        if (form_number(f->tier_days[i], days_field, 0, REFUND_DAYS_BEFORE_MAX,
                        "must be from 0 to " LIMIT_TEXT(REFUND_DAYS_BEFORE_MAX), true, 0,
                        &t->days_before, &err) != 0 ||
            form_number(f->tier_percent[i], percent_field, 0, 100, "must be from 0 to 100", true, 0, &t->percent,
                        &err) != 0) {
            add_error(errors, &err);
            continue;
        }
        for (size_t k = 0; k < policy.count; k++)
            if (policy.tiers[k].days_before == t->days_before) {
                error_set(&err, ERR_VALIDATION_FAILED, days_field, "is the same as another tier's");
                add_error(errors, &err);
            }
        t->fee_refunded = f->tier_fee_refunded[i];
        rows[policy.count++] = i;
    }
    (void)rows;
    if (refund_policy_normalise(&policy, NULL, arena, &err) != 0)
        return; /* each row was checked above */
    struct buf text;
    buf_init(&text, arena, REFUND_POLICY_JSON_MAX);
    refund_policy_write_json(&text, &policy);
    o->refund_policy = buf_ok(&text) ? text.data : "";
}

static int offering_from_form(const struct offering_form *f, struct store_offering *o, struct form_errors *errors,
                              struct arena *arena)
{
    o->site_id = or_null(f->site_id);
    o->preceptor_id = or_null(f->preceptor_id);
    o->title = or_null(f->title);
    o->specialty = or_null(f->specialty);
    o->kind = or_null(f->kind);
    o->setting = or_null(f->setting);
    o->status = or_null(f->status);
    o->students_allowed = f->students_allowed;
    o->graduates_allowed = f->graduates_allowed;
    o->step1_required = f->step1_required;
    o->english_proof_required = f->english_proof_required;
    o->lor_customary = f->lor_customary;
    o->requires_affiliation = f->requires_affiliation;
    o->visa_kinds = or_empty(f->visa_kinds);
    o->requirements = or_empty(f->requirements);
    o->description = or_empty(f->description);
    o->first_day = or_empty(f->first_day);
    struct store_first_day typed = f->first_day_fields;
    for (int i = 0; i < FIRST_DAY_FIELDS; i++)
        *first_day_field(&o->first_day_fields, i) = or_empty(*first_day_field(&typed, i));
    size_t before = errors->count;
    struct error err = {0};
    const char *required[][2] = {{"title", o->title},       {"specialty", o->specialty}, {"kind", o->kind},
                                 {"setting", o->setting},   {"site_id", o->site_id},     {"preceptor_id", o->preceptor_id},
                                 {"status", o->status}};
    for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
        if (required[i][1] == NULL) {
            error_set(&err, ERR_VALIDATION_FAILED, required[i][0], "is required");
            add_error(errors, &err);
        }
    if (form_number(f->weeks, "weeks", 1, CATALOG_WEEKS_MAX, "must be from 1 to " LIMIT_TEXT(CATALOG_WEEKS_MAX), true,
                    0, &o->weeks, &err) != 0)
        add_error(errors, &err);
    if (form_number(f->hours_per_week, "hours_per_week", 1, CATALOG_HOURS_MAX,
                    "must be from 1 to " LIMIT_TEXT(CATALOG_HOURS_MAX), false, 40, &o->hours_per_week, &err) != 0)
        add_error(errors, &err);
    if (form_amount(f->tuition, "tuition", true, &o->tuition_cents, &err) != 0)
        add_error(errors, &err);
    if (form_amount(f->application_fee, "application_fee", false, &o->application_fee_cents, &err) != 0)
        add_error(errors, &err);
    if (form_amount(f->deposit, "deposit", false, &o->deposit_cents, &err) != 0)
        add_error(errors, &err);
    if (form_number(f->deposit_percent, "deposit_percent", 0, DEPOSIT_PERCENT_MAX,
                    "must be from 0 to " LIMIT_TEXT(DEPOSIT_PERCENT_MAX), false, 0,
                    &o->deposit_percent, &err) != 0)
        add_error(errors, &err);
    if (form_number(f->balance_due_days, "balance_due_days", 0, BALANCE_DUE_DAYS_MAX, "must be from 0 to " LIMIT_TEXT(BALANCE_DUE_DAYS_MAX),
                    false, MONEY_BALANCE_DUE_DAYS_DEFAULT, &o->balance_due_days, &err) != 0)
        add_error(errors, &err);
    policy_from_form(f, o, errors, arena);
    if (form_number(f->max_years, "max_years", 0, CATALOG_MAX_YEARS_SINCE_GRADUATION,
                    "must be from 0 to " LIMIT_TEXT(CATALOG_MAX_YEARS_SINCE_GRADUATION), false, -1,
                    &o->max_years_since_graduation, &err) != 0)
        add_error(errors, &err);
    /* The rules' complaints about the rest (lengths, ranges, combinations):
     * each one found is set right on a copy, so that the next check can
     * speak about the other fields. */
    struct store_offering probe = *o;
    for (int i = 0; i < FORM_MAX_ERRORS && catalog_check_offering(&probe, &err) != 0; i++) {
        add_error(errors, &err);
        if (!set_right(&probe, err.field))
            break;
    }
    return errors->count > before ? -1 : 0;
}

/* ---- rendering ---- */

static const char *const *specialty_values(struct arena *arena, const char *const **labels)
{
    const char **values = arena_calloc(arena, reference_specialty_count + 1, sizeof(char *));
    const char **names = arena_calloc(arena, reference_specialty_count + 1, sizeof(char *));
    const size_t *by_name = reference_specialties_by_name();
    for (size_t i = 0; values != NULL && names != NULL && i < reference_specialty_count; i++) {
        values[i] = reference_specialties[by_name[i]].slug;
        names[i] = reference_specialties[by_name[i]].name;
    }
    *labels = names;
    return values;
}

static void write_site_select(struct buf *b, struct arena *arena, const struct store_site *sites, size_t count,
                              const char *selected, const char *error)
{
    const char **values = arena_calloc(arena, count + 1, sizeof(char *));
    const char **labels = arena_calloc(arena, count + 1, sizeof(char *));
    for (size_t i = 0; values != NULL && labels != NULL && i < count; i++) {
        char *label = arena_alloc(arena, 256);
        if (label != NULL)
            snprintf(label, 256, "%s — %s, %s", sites[i].name, sites[i].city, sites[i].state);
        values[i] = sites[i].id;
        labels[i] = label != NULL ? label : sites[i].name;
    }
    if (values != NULL && labels != NULL)
        view_select(b, "Site", "site_id", values, labels, selected, error);
}

static void write_preceptor_select(struct buf *b, struct arena *arena, const struct store_preceptor *preceptors,
                                   size_t count, const char *selected, const char *error)
{
    const char **values = arena_calloc(arena, count + 1, sizeof(char *));
    const char **labels = arena_calloc(arena, count + 1, sizeof(char *));
    for (size_t i = 0; values != NULL && labels != NULL && i < count; i++) {
        const struct reference_specialty *spec = reference_specialty_find(preceptors[i].specialty);
        char *label = arena_alloc(arena, 256);
        if (label != NULL)
            snprintf(label, 256, "%s (%s%s)", preceptors[i].name, spec != NULL ? spec->name : preceptors[i].specialty,
                     preceptors[i].verified ? ", verified" : ", not yet verified");
        values[i] = preceptors[i].id;
        labels[i] = label != NULL ? label : preceptors[i].name;
    }
    if (values != NULL && labels != NULL)
        view_select(b, "Preceptor", "preceptor_id", values, labels, selected, error);
}

static void write_document_kinds(struct buf *b, struct arena *arena, const char *checked, const char *error)
{
    const char **values = arena_calloc(arena, reference_document_kind_count + 1, sizeof(char *));
    const char **labels = arena_calloc(arena, reference_document_kind_count + 1, sizeof(char *));
    if (values == NULL || labels == NULL)
        return;
    for (size_t i = 0; i < reference_document_kind_count; i++) {
        values[i] = reference_document_kinds[i].slug;
        labels[i] = reference_document_kinds[i].name;
    }
    view_checkbox_group(b, "Documents asked before the start", "requirements", values, labels,
                        reference_document_kind_count, checked, "Students keep these in their document wallet.",
                        error);
}

/* The refund policy as rows "at least D days before: P % back, fee refunded". */
/* The first day: one line per field, then anything else as free text. */
static void write_first_day(struct buf *b, struct arena *a, const struct form_errors *errors,
                            const struct offering_form *f)
{
    static const char *const hints[FIRST_DAY_FIELDS] = {
        "The address, and the entrance or room.", "The time on the first day, e.g. 7:30 am.",
        "A name, and a phone number.", "e.g. business casual with a white coat.", NULL,
        "e.g. passport, hospital badge form, stethoscope."};
    buf_append_str(b, "<fieldset><legend>The first day</legend>\n"
                      "<p class=\"hint\">Students see these on their rotation page and by email a week before "
                      "the start.</p>\n");
    struct store_first_day typed = f->first_day_fields;
    for (int i = 0; i < FIRST_DAY_FIELDS; i++)
        view_input(b, first_day_field_labels[i], "text", first_day_inputs[i], *first_day_field(&typed, i), NULL,
                   false, hints[i], error_for(a, errors, first_day_inputs[i]));
    view_textarea(b, "Anything else about the first day", "first_day", f->first_day, 4, CATALOG_FIRST_DAY_MAX, NULL,
                  error_for(a, errors, "first_day"));
    buf_append_str(b, "</fieldset>\n");
}

static void write_policy_fields(struct buf *b, struct arena *a, const struct offering_form *f,
                                const struct form_errors *errors)
{
    buf_append_str(b, "<fieldset class=\"policy-tiers\"><legend>Refund policy</legend>\n<p class=\"hint\">Students see "
                      "this as a table of dates and amounts before they pay. A student who cancels at least the days "
                      "given before the start gets the percent of what they paid back; the platform fee is kept "
                      "unless you tick it. Later than every row: nothing back. Always, whatever you set: if you "
                      "cancel, or the rotation cannot happen, everything is refunded; a refused visa (with proof) is "
                      "refunded in full less the fee. Leave rows empty that you do not need.</p>\n");
    for (int i = 0; i < REFUND_TIERS_MAX; i++) {
        char days[32], percent[32], fee[32], legend[64];
        snprintf(days, sizeof(days), "tier_days_%d", i);
        snprintf(percent, sizeof(percent), "tier_percent_%d", i);
        snprintf(fee, sizeof(fee), "tier_fee_%d", i);
        snprintf(legend, sizeof(legend), "Tier %d", i + 1);
        buf_append_str(b, "<div class=\"grid tier\" role=\"group\" aria-label=\"");
        buf_append_html(b, legend);
        buf_append_str(b, "\">");
        char id[48];
        snprintf(id, sizeof(id), "f-%s", days);
        view_input_id(b, id, "Days before the start (at least)", "number", days, f->tier_days[i], false, NULL,
                      error_for(a, errors, days));
        snprintf(id, sizeof(id), "f-%s", percent);
        view_input_id(b, id, "Percent back", "number", percent, f->tier_percent[i], false, NULL,
                      error_for(a, errors, percent));
        view_checkbox(b, "Platform fee refunded too", fee, f->tier_fee_refunded[i], NULL);
        buf_append_str(b, "</div>\n");
    }
    buf_append_str(b, "</fieldset>\n");
}

/* The fields of the offering form (inside a form begun by the caller). */
static void write_offering_fields(struct http_request *req, struct buf *b, const struct offering_form *f,
                                  const struct store_site *sites, size_t site_count,
                                  const struct store_preceptor *preceptors, size_t preceptor_count,
                                  const struct form_errors *errors)
{
    struct arena *a = &req->arena;
    const char *const *spec_labels;
    const char *const *spec_values = specialty_values(&req->arena, &spec_labels);
    buf_append_str(b, "<h2>The rotation</h2>\n");
    view_input(b, "Title", "text", "title", f->title, NULL, true, "3 to 120 characters, as students will see it.",
               error_for(a, errors, "title"));
    if (spec_values != NULL && spec_labels != NULL)
        view_select(b, "Specialty", "specialty", spec_values, spec_labels, f->specialty, error_for(a, errors, "specialty"));
    view_select(b, "Kind", "kind", offering_kind_names, offering_kind_labels, f->kind, error_for(a, errors, "kind"));
    view_select(b, "Setting", "setting", offering_setting_names, offering_setting_labels, f->setting,
                error_for(a, errors, "setting"));
    /* A new form with one site or one preceptor to choose from has it chosen already. */
    write_site_select(b, &req->arena, sites, site_count,
                      f->site_id == NULL && site_count == 1 ? sites[0].id : f->site_id, error_for(a, errors, "site_id"));
    write_preceptor_select(b, &req->arena, preceptors, preceptor_count,
                           f->preceptor_id == NULL && preceptor_count == 1 ? preceptors[0].id : f->preceptor_id,
                           error_for(a, errors, "preceptor_id"));
    view_input(b, "Length in weeks", "number", "weeks", f->weeks, NULL, true, "1 to " LIMIT_TEXT(CATALOG_WEEKS_MAX) ".", error_for(a, errors, "weeks"));
    view_input(b, "Hours per week", "number", "hours_per_week", f->hours_per_week, NULL, false, "1 to " LIMIT_TEXT(CATALOG_HOURS_MAX) ".",
               error_for(a, errors, "hours_per_week"));
    view_select(b, "Status", "status", offering_status_names, offering_status_labels, f->status,
                error_for(a, errors, "status"));

    buf_append_str(b, "<h2>Price and schedule</h2>\n<p class=\"hint\">All amounts in U.S. dollars. The price a "
                      "student pays is the tuition plus the platform fee.</p>\n");
    view_input(b, "Tuition (USD)", "text", "tuition", f->tuition, NULL, true,
               "For the whole rotation, e.g. 2500. It is paid out to you when the rotation starts.",
               error_for(a, errors, "tuition"));
    view_input(b, "Platform fee (USD)", "text", "application_fee", f->application_fee, NULL, false,
               "Up to 1,000; kept by Rounds. Leave empty for none.", error_for(a, errors, "application_fee"));
    view_input(b, "Deposit (USD)", "text", "deposit", f->deposit, NULL, false,
               "Paid to book the seat. Leave empty (and the share too) to ask for the full price at once.",
               error_for(a, errors, "deposit"));
    view_input(b, "Or deposit as a share of the price (%)", "number", "deposit_percent", f->deposit_percent, NULL,
               false, "0 to 100. Give an amount or a share, not both.", error_for(a, errors, "deposit_percent"));
    view_input(b, "Balance due (days before the start)", "number", "balance_due_days", f->balance_due_days, NULL,
               false, "45 unless you say otherwise. An unpaid balance after that date releases the seat.",
               error_for(a, errors, "balance_due_days"));
    write_policy_fields(b, a, f, errors);

    const char *who_error = error_for(a, errors, "graduates_allowed");
    buf_append_str(b, who_error != NULL ? "<h2>Who may apply</h2>\n<fieldset class=\"choices\" aria-invalid=\"true\">"
                                          : "<h2>Who may apply</h2>\n<fieldset class=\"choices\">");
    buf_append_str(b, "<legend>Applicants</legend>");
    if (who_error != NULL) {
        buf_append_str(b, "<span class=\"field-error\">");
        buf_append_html(b, who_error);
        buf_append_str(b, "</span>");
    }
    view_checkbox(b, "Medical students", "students_allowed", f->students_allowed, NULL);
    view_checkbox(b, "Graduates", "graduates_allowed", f->graduates_allowed, NULL);
    view_checkbox(b, "USMLE Step 1 passed is required", "step1_required", f->step1_required, NULL);
    view_checkbox(b, "Proof of English proficiency is required", "english_proof_required", f->english_proof_required,
                  NULL);
    view_checkbox(b, "Only students of schools with an active affiliation agreement covering the dates",
                  "requires_affiliation", f->requires_affiliation, NULL);
    buf_append_str(b, "</fieldset>\n");
    view_input(b, "Most years since graduation", "number", "max_years", f->max_years, NULL, false,
               "For graduates. Leave empty for no limit.", error_for(a, errors, "max_years"));
    view_checkbox_group(b, "Visa kinds accepted", "visa_kinds", visa_kind_names, visa_kind_labels, 6, f->visa_kinds,
                        "Tick none to accept every visa kind.", error_for(a, errors, "visa_kinds"));

    buf_append_str(b, "<h2>What to expect</h2>\n");
    view_textarea(b, "Description", "description", f->description, 8, CATALOG_DESCRIPTION_MAX, NULL,
                  error_for(a, errors, "description"));
    write_first_day(b, a, errors, f);
    view_checkbox(b, "A letter of recommendation is customary after this rotation", "lor_customary",
                  f->lor_customary, NULL);
    write_document_kinds(b, &req->arena, f->requirements, error_for(a, errors, "requirements"));
}

/* The organisation's sites and preceptors, for the selects. */
static int load_choices(struct http_request *req, const char *organization_id, struct store_site **sites,
                        size_t *site_count, struct store_preceptor **preceptors, size_t *preceptor_count)
{
    if (store_sites_list(req->db, &req->arena, organization_id, NULL, FORM_LIST_MAX, sites, site_count) != DB_OK ||
        store_preceptors_list(req->db, &req->arena, organization_id, NULL, FORM_LIST_MAX, preceptors,
                              preceptor_count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return -1;
    }
    return 0;
}

/* The element id of "f-" and a field, in the arena (NULL without a field). */
static const char *field_element_id(struct arena *arena, const char *prefix, const char *field)
{
    if (field == NULL)
        return NULL;
    struct buf id;
    buf_init(&id, arena, BUF_CAP_LINE);
    buf_append_str(&id, prefix);
    buf_append_str(&id, field);
    return buf_ok(&id) ? id.data : NULL;
}

/* The error summary the page opens at: each error a link to its field. */
static void write_form_alert(struct buf *b, struct arena *arena, const struct form_errors *errors)
{
    if (errors == NULL || errors->count == 0)
        return;
    struct view_field_error items[FORM_MAX_ERRORS];
    for (size_t i = 0; i < errors->count; i++) {
        items[i].field_id = field_element_id(arena, "f-", errors->items[i].field);
        items[i].message = error_message(arena, &errors->items[i]);
    }
    view_error_summary(b, "The offering was not saved.", items, errors->count);
}

/* The error summary of a refused block: linked to the field in the block's own form. */
static void write_block_alert(struct buf *b, struct arena *arena, const struct block_failure *failed)
{
    bool added = strcmp(failed->block_id, "new") == 0;
    struct buf prefix;
    buf_init(&prefix, arena, BUF_CAP_LINE);
    buf_append_str(&prefix, added ? "new-" : "b-");
    if (!added) {
        buf_append_str(&prefix, failed->block_id);
        buf_append_char(&prefix, '-');
    }
    struct view_field_error item = {
        buf_ok(&prefix) ? field_element_id(arena, prefix.data, failed->err.field) : NULL,
        error_message(arena, &failed->err),
    };
    view_error_summary(b, added ? "The block was not added." : "The block was not saved.", &item, 1);
}

static void render_new(struct http_request *req, int status, const char *organization_name,
                       const struct offering_form *f, const struct form_errors *errors)
{
    struct view_page page;
    if (!web_page_setup(req, &page, "New offering", NULL))
        return;
    struct store_site *sites;
    struct store_preceptor *preceptors;
    size_t site_count, preceptor_count;
    if (load_choices(req, f->organization_id, &sites, &site_count, &preceptors, &preceptor_count) != 0)
        return;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_PAGE);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<p><a href=\"/host\">← Manage offerings</a></p>\n<section class=\"card\"><h1>New offering");
    if (organization_name != NULL) {
        buf_append_str(&b, " at ");
        buf_append_html(&b, organization_name);
    }
    buf_append_str(&b, "</h1>\n");
    if (site_count == 0 || preceptor_count == 0)
        view_notice(&b, "This host needs at least one site and one preceptor before it can offer a rotation "
                        "(POST /api/v1/sites and /api/v1/preceptors).");
    write_form_alert(&b, &req->arena, errors);
    view_form_begin(&b, "/host/offerings/new", page.csrf_token);
    buf_append_str(&b, "<input type=\"hidden\" name=\"organization_id\" value=\"");
    buf_append_html(&b, f->organization_id);
    buf_append_str(&b, "\">\n");
    write_offering_fields(req, &b, f, sites, site_count, preceptors, preceptor_count, errors);
    view_form_end(&b, "Create offering");
    buf_append_str(&b, "</section>\n");
    view_page_end(&b);
    http_reply_html(req, status, &b);
}

/* A small form for a block's dates and seats; group names it for screen readers. */
static void write_block_form(struct buf *b, struct arena *arena, const char *action, const char *csrf,
                             const char *group, const char *id_prefix, const char *start, const char *end,
                             const char *seats, const struct error *err, const char *submit)
{
    char id[160];
    const char *message = err != NULL ? error_message(arena, err) : NULL;
    view_form_begin(b, action, csrf);
    buf_append_str(b, "<div class=\"grid\" role=\"group\" aria-label=\"");
    buf_append_html(b, group);
    buf_append_str(b, "\">");
    snprintf(id, sizeof(id), "%s-start", id_prefix);
    view_input_id(b, id, "Start", "date", "start", start, true, NULL,
                  err != NULL && err->field != NULL && strcmp(err->field, "start") == 0 ? message : NULL);
    snprintf(id, sizeof(id), "%s-end", id_prefix);
    view_input_id(b, id, "End", "date", "end", end, true, NULL,
                  err != NULL && err->field != NULL && strcmp(err->field, "end") == 0 ? message : NULL);
    snprintf(id, sizeof(id), "%s-seats", id_prefix);
    view_input_id(b, id, "Seats", "number", "seats", seats, true, NULL,
                  err != NULL && err->field != NULL && strcmp(err->field, "seats") == 0 ? message : NULL);
    buf_append_str(b, "</div>");
    if (err != NULL && err->field == NULL) { /* the page's error summary says it too, and opens there */
        buf_append_str(b, "<p class=\"field-error\">");
        buf_append_html(b, message);
        buf_append_str(b, "</p>");
    }
    view_form_end(b, submit);
}

/* The waitlist of each block that has one, in order, with what became of each place. */
static void write_waitlists(struct http_request *req, struct buf *b, const struct store_block *blocks, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        struct store_waitlist_entry *list;
        size_t n = 0;
        if (store_waitlist_of_block(req->db, &req->arena, blocks[i].id, &list, &n) != DB_OK || n == 0)
            continue;
        buf_append_str(b, "<h3>Waitlist of the block from ");
        buf_append_html(b, blocks[i].start_date);
        buf_append_str(b, "</h3>\n<ol class=\"waitlist\">");
        for (size_t k = 0; k < n; k++) {
            buf_append_str(b, "<li>");
            buf_append_html(b, list[k].student_name);
            if (waitlist_status_parse(list[k].status) == WAITLIST_OFFERED && list[k].application_id != NULL) {
                buf_append_str(b, ": offered a seat (<a href=\"/applications/");
                buf_append_url(b, list[k].application_id);
                buf_append_str(b, "\">application</a>)");
            } else {
                buf_append_str(b, ": waiting");
            }
            buf_append_str(b, "</li>");
        }
        buf_append_str(b, "</ol>\n");
    }
}

static void write_blocks(struct http_request *req, struct buf *b, const struct store_offering *o, const char *csrf,
                         const struct block_failure *failed)
{
    struct store_block *blocks;
    size_t count;
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"blocks-title\"><h2 id=\"blocks-title\">Blocks</h2>\n"
                      "<p>Each block is one run of the rotation with its own dates and seats.</p>\n");
    /* Here, by the block forms; the page opens at it (the forms post without a #fragment, which would win). */
    if (failed != NULL)
        write_block_alert(b, &req->arena, failed);
    if (store_blocks_of_offering(req->db, &req->arena, o->id, &blocks, &count) != DB_OK) {
        view_alert(b, "The blocks could not be loaded. Try again in a moment.");
        count = 0;
    } else if (count == 0) {
        buf_append_str(b, "<p>No blocks yet: students cannot apply until you add one.</p>\n");
    } else {
        buf_append_str(b, "<div class=\"table-wrap\"><table class=\"records\"><caption>Blocks of this offering"
                          "</caption><thead><tr><th scope=\"col\">Dates</th><th scope=\"col\">Seats</th>"
                          "<th scope=\"col\">Taken</th><th scope=\"col\">Left</th><th scope=\"col\">Change</th>"
                          "</tr></thead><tbody>\n");
        for (size_t i = 0; i < count; i++) {
            const struct store_block *blk = &blocks[i];
            bool this_failed = failed != NULL && strcmp(failed->block_id, blk->id) == 0;
            buf_append_str(b, "<tr id=\"block-");
            buf_append_html(b, blk->id);
            buf_append_str(b, "\"><td data-label=\"Dates\">");
            view_date(b, blk->start_date);
            buf_append_str(b, " to ");
            view_date(b, blk->end_date);
            buf_appendf(b,
                        "</td><td data-label=\"Seats\">%lld</td><td data-label=\"Taken\">%lld</td>"
                        "<td data-label=\"Left\">%lld</td><td data-label=\"Change\">",
                        (long long)blk->seats, (long long)blk->seats_taken + (long long)blk->seats_reserved,
                        (long long)blk->seats - (long long)blk->seats_taken - (long long)blk->seats_reserved);
            char action[160], prefix[96];
            snprintf(action, sizeof(action), "/host/blocks/%s", blk->id);
            snprintf(prefix, sizeof(prefix), "b-%s", blk->id);
            char group[64];
            snprintf(group, sizeof(group), "Block from %s to %s", blk->start_date, blk->end_date);
            write_block_form(b, &req->arena, action, csrf, group, prefix, this_failed ? failed->start : blk->start_date,
                             this_failed ? failed->end : blk->end_date,
                             this_failed ? failed->seats : text_of(&req->arena, blk->seats),
                             this_failed ? &failed->err : NULL, "Save block");
            buf_append_str(b, "</td></tr>\n");
        }
        buf_append_str(b, "</tbody></table></div>\n");
        write_waitlists(req, b, blocks, count);
    }
    bool new_failed = failed != NULL && strcmp(failed->block_id, "new") == 0;
    buf_append_str(b, "<h3>Add a block</h3>\n");
    char action[160];
    snprintf(action, sizeof(action), "/host/offerings/%s/blocks", o->id);
    write_block_form(b, &req->arena, action, csrf, "New block", "new", new_failed ? failed->start : NULL, new_failed ? failed->end : NULL,
                     new_failed ? failed->seats : NULL, new_failed ? &failed->err : NULL, "Add block");
    buf_append_str(b, "</section>\n");
}

static void render_edit(struct http_request *req, int status, const struct store_offering *o,
                        const struct offering_form *f, const struct form_errors *errors,
                        const struct block_failure *failed, const char *notice)
{
    struct view_page page;
    if (!web_page_setup(req, &page, o->title, NULL))
        return;
    struct store_site *sites;
    struct store_preceptor *preceptors;
    size_t site_count, preceptor_count;
    if (load_choices(req, o->organization_id, &sites, &site_count, &preceptors, &preceptor_count) != 0)
        return;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<p><a href=\"/host\">← Manage offerings</a></p>\n");
    if (notice != NULL)
        view_notice(&b, notice);
    buf_append_str(&b, "<section class=\"card\"><h1>");
    buf_append_html(&b, o->title);
    buf_append_str(&b, "</h1>\n<p>");
    buf_append_html(&b, o->host_name);
    buf_append_str(&b, " · ");
    buf_append_html(&b, o->status);
    buf_append_str(&b, "</p>\n");
    write_form_alert(&b, &req->arena, errors);
    char action[160];
    snprintf(action, sizeof(action), "/host/offerings/%s/edit", o->id);
    view_form_begin(&b, action, page.csrf_token);
    write_offering_fields(req, &b, f, sites, site_count, preceptors, preceptor_count, errors);
    view_form_end(&b, "Save offering");
    buf_append_str(&b, "</section>\n");
    write_blocks(req, &b, o, page.csrf_token, failed);
    view_page_end(&b);
    http_reply_html(req, status, &b);
}

/* ---- who may ---- */

/* The signed-in user (for pages that reply themselves on failure). */
static int current_user(struct http_request *req, struct store_user *user)
{
    int rc = store_user_by_id(req->db, &req->arena, req->auth.user_id, user);
    if (rc == DB_ROW)
        return 0;
    http_reply_error(req, rc == DB_DONE ? ERR_UNAUTHENTICATED : ERR_UNAVAILABLE, NULL, NULL);
    return -1;
}

/* The offering of {id} if the user may manage it; else replies 404 (or 503). */
static int managed_offering(struct http_request *req, const struct store_user *user, struct store_offering *o)
{
    int rc = catalog_managed_offering(req->db, &req->arena, user, http_param(req, "id"), o);
    if (rc == DB_ROW)
        return 0;
    http_reply_error(req, rc == DB_DONE ? ERR_NOT_FOUND : ERR_UNAVAILABLE, NULL,
                     rc == DB_DONE ? "There is no such offering" : NULL);
    return -1;
}

/* The name of a host the user coordinates (NULL for staff outside it). */
static const char *managed_name(const struct store_user *user, const char *organization_id)
{
    for (size_t i = 0; i < user->membership_count; i++)
        if (strcmp(user->memberships[i].organization_id, organization_id) == 0)
            return user->memberships[i].organization_name;
    return NULL;
}

/* organization_id names a host the user may manage; else replies 404. */
static int managed_host(struct http_request *req, const struct store_user *user, const char *organization_id)
{
    const char *kind = NULL;
    int rc = organization_id != NULL && catalog_may_manage(user, organization_id)
                 ? store_organization_kind(req->db, &req->arena, organization_id, &kind)
                 : DB_DONE;
    if (rc == DB_ROW && organization_kind_parse(kind) == ORGANIZATION_HOST)
        return 0;
    http_reply_error(req, rc == DB_ROW || rc == DB_DONE ? ERR_NOT_FOUND : ERR_UNAVAILABLE, NULL,
                     "There is no such host");
    return -1;
}

/* ---- handlers ---- */

/* Several hosts and none chosen: a list to choose from. */
static void render_choose_host(struct http_request *req, const struct store_user *user)
{
    struct view_page page;
    if (!web_page_setup(req, &page, "New offering", NULL))
        return;
    const struct store_membership *managed[STORE_MAX_MEMBERSHIPS];
    size_t n = catalog_managed_organizations(user, managed, STORE_MAX_MEMBERSHIPS);
    struct store_organization *hosts = NULL;
    size_t host_count = 0;
    if (account_has_role(user, ROLE_STAFF) &&
        store_organizations_list(req->db, &req->arena, organization_kind_name(ORGANIZATION_HOST), NULL, 100, &hosts,
                                 &host_count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_DETAIL);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<section class=\"card\"><h1>New offering</h1>\n<p>Which host offers it?</p>\n<ul>");
    for (size_t i = 0; i < n + host_count; i++) {
        const char *id = i < n ? managed[i]->organization_id : hosts[i - n].id;
        const char *name = i < n ? managed[i]->organization_name : hosts[i - n].name;
        buf_append_str(&b, "<li><a href=\"/host/offerings/new?organization_id=");
        buf_append_url(&b, id);
        buf_append_str(&b, "\">");
        buf_append_html(&b, name);
        buf_append_str(&b, "</a></li>");
    }
    buf_append_str(&b, "</ul>\n");
    if (n + host_count == 0)
        buf_append_str(&b, "<p>You do not coordinate a host.</p>\n");
    buf_append_str(&b, "</section>\n");
    view_page_end(&b);
    http_reply_html(req, 200, &b);
}

void web_page_host_offering_new(struct http_request *req)
{
    struct store_user user;
    if (current_user(req, &user) != 0)
        return;
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return;
    const char *organization_id = http_kv_get(query, "organization_id");
    if (blank(organization_id)) {
        const struct store_membership *managed[STORE_MAX_MEMBERSHIPS];
        size_t n = catalog_managed_organizations(&user, managed, STORE_MAX_MEMBERSHIPS);
        if (n != 1 || account_has_role(&user, ROLE_STAFF)) {
            render_choose_host(req, &user);
            return;
        }
        organization_id = managed[0]->organization_id;
    }
    if (managed_host(req, &user, organization_id) != 0)
        return;
    struct offering_form f = {.organization_id = organization_id,
                              .status = offering_status_name(OFFERING_DRAFT),
                              .setting = "outpatient",
                              .kind = offering_kind_name(OFFERING_HANDS_ON),
                              .hours_per_week = "40",
                              .students_allowed = true,
                              .graduates_allowed = true};
    render_new(req, 200, managed_name(&user, organization_id), &f, NULL);
}

void web_page_host_offering_create(struct http_request *req)
{
    struct store_user user;
    if (current_user(req, &user) != 0)
        return;
    struct offering_form f;
    form_from_request(req, &f);
    if (managed_host(req, &user, or_null(f.organization_id)) != 0)
        return;
    struct store_offering o = {.organization_id = f.organization_id};
    struct form_errors errors = {.count = 0};
    struct error err = {0};
    if (offering_from_form(&f, &o, &errors, &req->arena) == 0 && catalog_offering_create(req->db, &req->arena, &o, &err) != 0)
        add_error(&errors, &err);
    if (errors.count > 0) {
        render_new(req, error_status(errors.items[0].code), managed_name(&user, f.organization_id), &f, &errors);
        return;
    }
    char location[160];
    snprintf(location, sizeof(location), "/host/offerings/%s/edit?saved=created", o.id);
    http_redirect(req, location);
}

void web_page_host_offering_edit(struct http_request *req)
{
    struct store_user user;
    struct store_offering o;
    if (current_user(req, &user) != 0 || managed_offering(req, &user, &o) != 0)
        return;
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return;
    const char *saved = http_kv_get(query, "saved");
    const char *notice = NULL;
    if (saved != NULL && strcmp(saved, "created") == 0)
        notice = "Offering created. Add its blocks below.";
    else if (saved != NULL && strcmp(saved, "offering") == 0)
        notice = "Offering saved.";
    else if (saved != NULL && strcmp(saved, "block") == 0)
        notice = "Block saved.";
    struct offering_form f;
    form_from_offering(&req->arena, &o, &f);
    render_edit(req, 200, &o, &f, NULL, NULL, notice);
}

void web_page_host_offering_save(struct http_request *req)
{
    struct store_user user;
    struct store_offering o;
    if (current_user(req, &user) != 0 || managed_offering(req, &user, &o) != 0)
        return;
    struct offering_form f;
    form_from_request(req, &f);
    f.organization_id = o.organization_id;
    struct store_offering changed = o;
    struct form_errors errors = {.count = 0};
    struct error err = {0};
    if (offering_from_form(&f, &changed, &errors, &req->arena) == 0 &&
        catalog_offering_update(req->db, &req->arena, &changed, &err) != 0)
        add_error(&errors, &err);
    if (errors.count > 0) {
        render_edit(req, error_status(errors.items[0].code), &o, &f, &errors, NULL, NULL);
        return;
    }
    char location[160];
    snprintf(location, sizeof(location), "/host/offerings/%s/edit?saved=offering", o.id);
    http_redirect(req, location);
}

/* Reads start, end and seats of a block form into block and failure. */
static int block_from_form(struct http_request *req, struct store_block *block, struct block_failure *failure)
{
    failure->start = or_empty(http_form(req, "start"));
    failure->end = or_empty(http_form(req, "end"));
    failure->seats = or_empty(http_form(req, "seats"));
    block->start_date = failure->start;
    block->end_date = failure->end;
    return form_number(failure->seats, "seats", 1, CATALOG_SEATS_MAX,
                       "must be from 1 to " LIMIT_TEXT(CATALOG_SEATS_MAX), true, 0, &block->seats, &failure->err);
}

void web_page_host_block_create(struct http_request *req)
{
    struct store_user user;
    struct store_offering o;
    if (current_user(req, &user) != 0 || managed_offering(req, &user, &o) != 0)
        return;
    struct store_block block = {.offering_id = o.id};
    struct block_failure failure = {.block_id = "new"};
    if (block_from_form(req, &block, &failure) != 0 ||
        catalog_block_create(req->db, &req->arena, &block, &failure.err) != 0) {
        struct offering_form f;
        form_from_offering(&req->arena, &o, &f);
        render_edit(req, error_status(failure.err.code), &o, &f, NULL, &failure, NULL);
        return;
    }
    char location[200];
    snprintf(location, sizeof(location), "/host/offerings/%s/edit?saved=block#blocks-title", o.id);
    http_redirect(req, location);
}

void web_page_host_block_save(struct http_request *req)
{
    struct store_user user;
    if (current_user(req, &user) != 0)
        return;
    struct store_block block;
    struct store_offering o;
    int rc = catalog_managed_block(req->db, &req->arena, &user, http_param(req, "id"), &block, &o);
    if (rc != DB_ROW) {
        http_reply_error(req, rc == DB_DONE ? ERR_NOT_FOUND : ERR_UNAVAILABLE, NULL,
                         rc == DB_DONE ? "There is no such block" : NULL);
        return;
    }
    struct block_failure failure = {.block_id = block.id};
    if (block_from_form(req, &block, &failure) != 0 ||
        catalog_block_update(req->db, &req->arena, &block, &failure.err) != 0) {
        struct offering_form f;
        form_from_offering(&req->arena, &o, &f);
        render_edit(req, error_status(failure.err.code), &o, &f, NULL, &failure, NULL);
        return;
    }
    char location[200];
    snprintf(location, sizeof(location), "/host/offerings/%s/edit?saved=block#blocks-title", o.id);
    http_redirect(req, location);
}
