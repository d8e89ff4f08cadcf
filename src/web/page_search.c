/* page_search.c — GET /search: the catalog search for students, without
 * JavaScript. A GET form (every filter round-trips through the URL), the
 * result count, result cards, cursor pagination, facet links that keep the
 * other filters, and the U.S. map whose states filter by state. Parameter
 * errors are shown on the page with status 400. Same parameters as
 * GET /api/v1/offerings (catalog_query_params). Visitors not signed in all
 * see the same page for the same parameters: kept (http_cache_*_at) under
 * the catalog index's generation, so a search asked again costs a lookup. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "domain/alerts.h"
#include "domain/agreements.h"
#include "domain/catalog_index.h"
#include "domain/reference.h"
#include "lib/limits.h"
#include "views/money.h"
#include "views/us_map.h"
#include "web/web.h"

/* The raw parameter values of this request, to write back into the form and
 * into every link (empty values are dropped). */
struct search_params {
    struct arena *arena;
    const char *values[32]; /* parallel to catalog_query_params */
    size_t count;
    int64_t page;           /* page=: the numbered page (1 when absent) */
};

/* The page's query parameters: the search's (catalog_query_params) and the
 * numbered page. */
const char *const web_search_params[] = {"q",     "specialty", "state",        "kind",   "start_from",
                                         "start_to", "max_tuition", "eligible", "include_full", "sort",
                                         "limit", "cursor",    "page",         NULL};

static size_t param_index(const char *name)
{
    for (size_t i = 0; catalog_query_params[i] != NULL; i++)
        if (strcmp(catalog_query_params[i], name) == 0)
            return i;
    return SIZE_MAX;
}

static const char *param(const struct search_params *p, const char *name)
{
    size_t i = param_index(name);
    return i < p->count && p->values[i] != NULL && p->values[i][0] != '\0' ? p->values[i] : NULL;
}

static void params_read(struct search_params *p, struct arena *arena, const struct http_kv_list *query)
{
    memset(p, 0, sizeof(*p));
    p->arena = arena;
    for (size_t i = 0; i < sizeof(p->values) / sizeof(p->values[0]) && catalog_query_params[i] != NULL; i++) {
        p->values[i] = http_kv_get(query, catalog_query_params[i]);
        p->count = i + 1;
    }
}

/* "/search?…" with the current parameters, except that `name` (when not NULL)
 * is set to value (or dropped when value is NULL). The cursor is kept only
 * when keep_cursor: any other change starts again from the first page. */
static const char *search_url(const struct search_params *p, const char *name, const char *value, bool keep_cursor)
{
    struct buf b;
    buf_init(&b, p->arena, BUF_CAP_SMALL);
    buf_append_str(&b, "/search");
    char sep = '?';
    if (name != NULL && strcmp(name, "page") == 0 && value != NULL) {
        /* A numbered page goes first, so that the link's words read "page 3 of …". */
        buf_appendf(&b, "?page=%s", value);
        sep = '&';
    }
    for (size_t i = 0; i < p->count; i++) {
        const char *key = catalog_query_params[i];
        const char *v = p->values[i];
        if (name != NULL && strcmp(key, name) == 0)
            v = value;
        if (v == NULL || v[0] == '\0')
            continue;
        if (strcmp(key, "cursor") == 0 && !keep_cursor)
            continue;
        buf_append_char(&b, sep);
        sep = '&';
        buf_append_url(&b, key);
        buf_append_char(&b, '=');
        buf_append_url(&b, v);
    }
    return buf_ok(&b) ? b.data : "/search";
}

/* Query lookup for catalog_query_parse. */
static const char *query_get(void *ctx, const char *name, bool *repeated)
{
    struct http_kv_list *query = ctx;
    *repeated = http_kv_count(query, name) > 1;
    return http_kv_get(query, name);
}

static const char *kind_label(const char *kind)
{
    enum offering_kind known = offering_kind_parse(kind);
    return known != OFFERING_KIND_UNKNOWN ? offering_kind_label(known) : kind != NULL ? kind : "";
}

static const char *specialty_name(const char *slug)
{
    const struct reference_specialty *s = reference_specialty_find(slug);
    return s != NULL ? s->name : slug;
}

/* The form's label of a parameter, for error messages. */
static const char *param_label(const char *name)
{
    static const char *const labels[][2] = {
        {"q", "Keywords"},
        {"specialty", "Specialty"},
        {"state", "State"},
        {"kind", "Kind of rotation"},
        {"start_from", "Earliest start date"},
        {"start_to", "Latest start date"},
        {"max_tuition", "Maximum tuition"},
        {"eligible", "Eligibility"},
        {"include_full", "Include full rotations"},
        {"sort", "Sort order"},
        {"limit", "Results per page"},
        {"page", "Page"},
    };
    for (size_t i = 0; name != NULL && i < sizeof(labels) / sizeof(labels[0]); i++)
        if (strcmp(labels[i][0], name) == 0)
            return labels[i][1];
    return "A search setting";
}

static const char *field_error(const struct error *err, const char *name)
{
    if (err == NULL || err->field == NULL || strcmp(err->field, name) != 0)
        return NULL;
    return err->detail != NULL ? err->detail : error_title(err->code);
}

/* ---- the filter form ---- */

static void select_begin(struct buf *b, const char *label, const char *name, const char *error)
{
    buf_append_str(b, "<div class=\"field\"><label for=\"f-");
    buf_append_str(b, name);
    buf_append_str(b, "\">");
    buf_append_html(b, label);
    buf_append_str(b, "</label><select id=\"f-");
    buf_append_str(b, name);
    buf_append_str(b, "\" name=\"");
    buf_append_str(b, name);
    buf_append_str(b, "\"");
    if (error != NULL) {
        buf_append_str(b, " aria-invalid=\"true\" aria-describedby=\"e-");
        buf_append_str(b, name);
        buf_append_str(b, "\"");
    }
    buf_append_str(b, ">");
}

static void select_end(struct buf *b, const char *name, const char *error)
{
    buf_append_str(b, "</select>");
    if (error != NULL) {
        buf_append_str(b, "<span class=\"field-error\" id=\"e-");
        buf_append_str(b, name);
        buf_append_str(b, "\">");
        buf_append_html(b, error);
        buf_append_str(b, "</span>");
    }
    buf_append_str(b, "</div>\n");
}

static void option(struct buf *b, const char *value, const char *label, int64_t count, bool selected)
{
    buf_append_str(b, "<option value=\"");
    buf_append_html(b, value);
    buf_append_str(b, "\"");
    if (selected)
        buf_append_str(b, " selected");
    buf_append_str(b, ">");
    buf_append_html(b, label);
    if (count >= 0)
        buf_appendf(b, " (%" PRId64 ")", count);
    buf_append_str(b, "</option>");
}

static void checkbox(struct buf *b, const char *name, const char *value, const char *label, bool checked,
                     const char *hint)
{
    buf_append_str(b, "<div class=\"check\"><input type=\"checkbox\" id=\"f-");
    buf_append_str(b, name);
    buf_append_str(b, "\" name=\"");
    buf_append_str(b, name);
    buf_append_str(b, "\" value=\"");
    buf_append_str(b, value);
    buf_append_str(b, "\"");
    if (checked)
        buf_append_str(b, " checked");
    if (hint != NULL) {
        buf_append_str(b, " aria-describedby=\"h-");
        buf_append_str(b, name);
        buf_append_str(b, "\"");
    }
    buf_append_str(b, "><label for=\"f-");
    buf_append_str(b, name);
    buf_append_str(b, "\">");
    buf_append_html(b, label);
    buf_append_str(b, "</label>");
    if (hint != NULL) {
        buf_append_str(b, "<small id=\"h-");
        buf_append_str(b, name);
        buf_append_str(b, "\">");
        buf_append_str(b, hint); /* markup from this file only */
        buf_append_str(b, "</small>");
    }
    buf_append_str(b, "</div>\n");
}

static const int64_t tuition_ceilings[] = {100000, 150000, 200000, 250000, 300000, 350000, 400000, 500000};

/* Facet counts, or NULL on an error page (no search ran). */
struct facets {
    const int64_t *specialty, *state, *kind;
};

static void render_form(struct buf *b, const struct search_params *p, const struct facets *f, bool signed_in,
                        const struct error *err)
{
    buf_append_str(b, "<form class=\"filters\" method=\"get\" action=\"/search\" role=\"search\" "
                      "aria-label=\"Search rotations\">\n");
    view_input(b, "Keywords", "search", "q", param(p, "q"), NULL, false, "Title, hospital, city or preceptor",
               field_error(err, "q"));

    const char *specialty = param(p, "specialty");
    select_begin(b, "Specialty", "specialty", field_error(err, "specialty"));
    option(b, "", "Any specialty", -1, specialty == NULL);
    const size_t *by_name = reference_specialties_by_name();
    for (size_t k = 0; k < reference_specialty_count; k++) {
        size_t i = by_name[k];
        bool selected = specialty != NULL && strcmp(specialty, reference_specialties[i].slug) == 0;
        int64_t n = f != NULL ? f->specialty[i] : -1;
        if (n == 0 && !selected)
            continue;
        option(b, reference_specialties[i].slug, reference_specialties[i].name, n, selected);
    }
    select_end(b, "specialty", field_error(err, "specialty"));

    const char *state = param(p, "state");
    select_begin(b, "State", "state", field_error(err, "state"));
    option(b, "", "Any state", -1, state == NULL);
    for (size_t i = 0; i < reference_state_count; i++) {
        bool selected = state != NULL && strcasecmp(state, reference_states[i].code) == 0;
        int64_t n = f != NULL ? f->state[i] : -1;
        if (n == 0 && !selected)
            continue;
        option(b, reference_states[i].code, reference_states[i].name, n, selected);
    }
    select_end(b, "state", field_error(err, "state"));

    const char *kind = param(p, "kind");
    buf_append_str(b, "<fieldset class=\"choices\"");
    if (field_error(err, "kind") != NULL)
        buf_append_str(b, " aria-describedby=\"e-kind\"");
    buf_append_str(b, "><legend>Kind of rotation</legend>\n");
    for (int i = -1; i < OFFERING_KIND_COUNT; i++) {
        const char *value = i < 0 ? "" : offering_kind_names[i];
        bool checked = i < 0 ? kind == NULL : kind != NULL && strcmp(kind, value) == 0;
        buf_appendf(b, "<div class=\"check\"><input type=\"radio\" name=\"kind\" id=\"f-kind-%d\" value=\"%s\"%s>"
                       "<label for=\"f-kind-%d\">",
                    i + 1, value, checked ? " checked" : "", i + 1);
        buf_append_html(b, i < 0 ? "Any kind" : kind_label(value));
        if (i >= 0 && f != NULL)
            buf_appendf(b, " (%" PRId64 ")", f->kind[i]);
        buf_append_str(b, "</label></div>\n");
    }
    if (field_error(err, "kind") != NULL) {
        buf_append_str(b, "<span class=\"field-error\" id=\"e-kind\">");
        buf_append_html(b, field_error(err, "kind"));
        buf_append_str(b, "</span>");
    }
    buf_append_str(b, "</fieldset>\n");

    buf_append_str(b, "<fieldset class=\"dates\"><legend>Start date between</legend>\n");
    view_input(b, "Earliest start", "date", "start_from", param(p, "start_from"), NULL, false, NULL,
               field_error(err, "start_from"));
    view_input(b, "Latest start", "date", "start_to", param(p, "start_to"), NULL, false, NULL,
               field_error(err, "start_to"));
    buf_append_str(b, "</fieldset>\n");

    const char *max = param(p, "max_tuition");
    select_begin(b, "Maximum tuition", "max_tuition", field_error(err, "max_tuition"));
    option(b, "", "Any price", -1, max == NULL);
    bool max_listed = max == NULL;
    for (size_t i = 0; i < sizeof(tuition_ceilings) / sizeof(tuition_ceilings[0]); i++) {
        char value[24], label[48], amount[32];
        snprintf(value, sizeof(value), "%" PRId64, tuition_ceilings[i]);
        snprintf(label, sizeof(label), "Up to %s", view_money_format(amount, sizeof(amount), tuition_ceilings[i]));
        bool selected = max != NULL && strcmp(max, value) == 0;
        max_listed = max_listed || selected;
        option(b, value, label, -1, selected);
    }
    if (!max_listed) {
        /* A ceiling from a link or the API: keep it, in dollars when it parses. */
        char label[64], amount[32];
        char *end = NULL;
        long long cents = strtoll(max, &end, 10);
        if (end != max && *end == '\0' && cents >= 0)
            snprintf(label, sizeof(label), "Up to %s", view_money_format(amount, sizeof(amount), cents));
        else
            snprintf(label, sizeof(label), "%s", "(as given)");
        option(b, max, label, -1, true);
    }
    select_end(b, "max_tuition", field_error(err, "max_tuition"));

    checkbox(b, "include_full", "true", "Include full rotations", param(p, "include_full") != NULL &&
             strcmp(param(p, "include_full"), "true") == 0, NULL);
    if (signed_in)
        checkbox(b, "eligible", "me", "Only rotations I am eligible for", param(p, "eligible") != NULL,
                 "Uses the profile in <a href=\"/account\">your account</a>.");

    /* Without keywords the default order is the soonest start; with them, the best match. */
    const char *sort = param(p, "sort");
    bool text = param(p, "q") != NULL;
    select_begin(b, "Sort by", "sort", field_error(err, "sort"));
    if (text) {
        option(b, "", "Best match", -1, sort == NULL || strcmp(sort, "relevance") == 0);
        option(b, "soonest", "Soonest start", -1, sort != NULL && strcmp(sort, "soonest") == 0);
    } else {
        option(b, "", "Soonest start", -1, sort == NULL || strcmp(sort, "soonest") == 0);
        if (sort != NULL && strcmp(sort, "relevance") == 0)
            option(b, "relevance", "Best match (needs keywords)", -1, true);
    }
    option(b, "price", "Lowest price", -1, sort != NULL && strcmp(sort, "price") == 0);
    select_end(b, "sort", field_error(err, "sort"));

    if (param(p, "limit") != NULL) {
        buf_append_str(b, "<input type=\"hidden\" name=\"limit\" value=\"");
        buf_append_html(b, param(p, "limit"));
        buf_append_str(b, "\">");
    }
    buf_append_str(b, "<div class=\"actions\"><button type=\"submit\">Search</button>"
                      "<a href=\"/search\">Clear all filters</a></div>\n</form>\n");
}

/* ---- facet links ---- */

static void facet_link(struct buf *b, const struct search_params *p, const char *name, const char *value,
                       const char *label, int64_t count, bool current)
{
    buf_append_str(b, "<li><a href=\"");
    buf_append_html(b, search_url(p, name, value, false));
    buf_append_str(b, "\"");
    if (current)
        buf_append_str(b, " aria-current=\"true\" class=\"current\"");
    buf_append_str(b, ">");
    buf_append_html(b, label);
    if (count >= 0)
        buf_appendf(b, " <span class=\"count\">(%" PRId64 ")</span>", count);
    buf_append_str(b, "</a></li>");
}

static void render_facets(struct buf *b, const struct search_params *p, const struct catalog_query *q,
                          const struct catalog_result *r)
{
    buf_append_str(b, "<nav class=\"facets\" aria-labelledby=\"facets-heading\"><h2 id=\"facets-heading\">"
                      "Narrow down</h2>\n");

    buf_append_str(b, "<h3 id=\"facet-kind\">By kind</h3><ul class=\"facet\" aria-labelledby=\"facet-kind\">");
    if (q->kind >= 0)
        facet_link(b, p, "kind", NULL, "Any kind", -1, false);
    for (int i = 0; i < OFFERING_KIND_COUNT; i++)
        if (r->kind_counts[i] > 0 || q->kind == i)
            facet_link(b, p, "kind", offering_kind_names[i], kind_label(offering_kind_names[i]), r->kind_counts[i],
                       q->kind == i);
    buf_append_str(b, "</ul>\n");

    buf_append_str(b, "<h3 id=\"facet-specialty\">By specialty</h3><ul class=\"facet\" "
                      "aria-labelledby=\"facet-specialty\">");
    if (q->specialty >= 0)
        facet_link(b, p, "specialty", NULL, "Any specialty", -1, false);
    const size_t *by_name = reference_specialties_by_name();
    for (size_t k = 0; k < reference_specialty_count; k++) {
        size_t i = by_name[k];
        if (r->specialty_counts[i] > 0 || q->specialty == (int)i)
            facet_link(b, p, "specialty", reference_specialties[i].slug, reference_specialties[i].name,
                       r->specialty_counts[i], q->specialty == (int)i);
    }
    buf_append_str(b, "</ul>\n");

    buf_append_str(b, "<h3 id=\"facet-state\">By state</h3><ul class=\"facet\" aria-labelledby=\"facet-state\">");
    if (q->state >= 0)
        facet_link(b, p, "state", NULL, "Any state", -1, false);
    for (size_t i = 0; i < reference_state_count; i++)
        if (r->state_counts[i] > 0 || q->state == (int)i)
            facet_link(b, p, "state", reference_states[i].code, reference_states[i].name, r->state_counts[i],
                       q->state == (int)i);
    buf_append_str(b, "</ul>\n</nav>\n");
}

/* ---- results ---- */

struct active_filter {
    const char *name, *label;
};

/* The active filters, each with a link that removes it. */
static void render_active_filters(struct buf *b, const struct search_params *p, const struct catalog_query *q,
                                  bool eligible_applied)
{
    struct active_filter active[12];
    size_t n = 0;
    char dates[2][64];
    if (q->text != NULL) {
        struct buf text;
        buf_init(&text, p->arena, BUF_CAP_LINE);
        buf_append_str(&text, "Keywords: ");
        buf_append_str(&text, q->text);
        active[n++] = (struct active_filter){"q", buf_ok(&text) ? text.data : "Keywords"};
    }
    if (q->specialty >= 0)
        active[n++] = (struct active_filter){"specialty", reference_specialties[q->specialty].name};
    if (q->state >= 0)
        active[n++] = (struct active_filter){"state", reference_states[q->state].name};
    if (q->kind >= 0)
        active[n++] = (struct active_filter){"kind", kind_label(offering_kind_names[q->kind])};
    if (param(p, "start_from") != NULL) {
        snprintf(dates[0], sizeof(dates[0]), "Starts on or after %s", param(p, "start_from"));
        active[n++] = (struct active_filter){"start_from", dates[0]};
    }
    if (param(p, "start_to") != NULL) {
        snprintf(dates[1], sizeof(dates[1]), "Starts on or before %s", param(p, "start_to"));
        active[n++] = (struct active_filter){"start_to", dates[1]};
    }
    char max[64], amount[32];
    if (q->max_tuition_cents >= 0) {
        snprintf(max, sizeof(max), "Tuition up to %s", view_money_format(amount, sizeof(amount), q->max_tuition_cents));
        active[n++] = (struct active_filter){"max_tuition", max};
    }
    if (eligible_applied)
        active[n++] = (struct active_filter){"eligible", "Eligible for me"};
    if (q->include_full)
        active[n++] = (struct active_filter){"include_full", "Including full rotations"};
    if (n == 0)
        return;
    buf_append_str(b, "<div class=\"active-filters\"><span id=\"active-filters\">Filters:</span> "
                      "<ul aria-labelledby=\"active-filters\">");
    for (size_t i = 0; i < n; i++) {
        buf_append_str(b, "<li><span class=\"chip\">");
        buf_append_html(b, active[i].label);
        buf_append_str(b, " <a href=\"");
        buf_append_html(b, search_url(p, active[i].name, NULL, false));
        buf_append_str(b, "\" aria-label=\"Remove filter: ");
        buf_append_html(b, active[i].label);
        buf_append_str(b, "\">Remove</a></span></li>");
    }
    buf_append_str(b, "</ul></div>\n");
}

void web_search_card(struct buf *b, const struct catalog_hit *h, const char *back)
{
    buf_append_str(b, "<li><article class=\"result\" data-specialty=\"");
    buf_append_html(b, h->specialty);
    buf_append_str(b, "\" data-state=\"");
    buf_append_html(b, h->state);
    buf_append_str(b, "\" data-kind=\"");
    buf_append_html(b, h->kind);
    buf_append_str(b, "\"><h3><a href=\"/offerings/");
    buf_append_url(b, h->id);
    if (back != NULL && back[0] != '\0') {
        buf_append_str(b, "?back=");
        buf_append_url(b, back);
    }
    buf_append_str(b, "\">");
    buf_append_html(b, h->title);
    buf_append_str(b, "</a></h3>\n<p class=\"where\"><span class=\"host\">");
    buf_append_html(b, h->host_name);
    buf_append_str(b, "</span> · <span class=\"place\">");
    buf_append_html(b, h->city);
    buf_append_str(b, ", ");
    buf_append_html(b, h->state);
    buf_append_str(b, "</span></p>\n<p class=\"tags\"><span class=\"tag\">");
    buf_append_html(b, kind_label(h->kind));
    buf_append_str(b, "</span> <span class=\"tag specialty\">");
    buf_append_html(b, specialty_name(h->specialty));
    buf_append_str(b, "</span> ");
    if (h->preceptor_verified)
        buf_append_str(b, "<span class=\"badge verified\">Verified preceptor</span>");
    else
        buf_append_str(b, "<span class=\"badge unverified\">Preceptor not yet verified</span>");
    buf_append_str(b, "</p>\n<dl class=\"result-facts\"><div><dt>Full tuition</dt><dd class=\"price\">");
    view_money(b, h->tuition_cents);
    buf_appendf(b, "</dd></div><div><dt>Length</dt><dd>%" PRId64 " %s</dd></div><div><dt>Next start</dt><dd>",
                h->weeks, h->weeks == 1 ? "week" : "weeks");
    if (h->next_start[0] == '\0') {
        buf_append_str(b, "No upcoming dates");
    } else {
        view_date(b, h->next_start);
        if (h->has_open_block && h->next_seats_left > 0)
            buf_appendf(b, " · %" PRId64 " %s left", h->next_seats_left, h->next_seats_left == 1 ? "seat" : "seats");
        else
            buf_append_str(b, " · <strong>Full</strong>");
    }
    buf_append_str(b, "</dd></div></dl>\n");
    if (h->review_count > 0)
        buf_appendf(b,
                    "<p class=\"review-summary\"><span class=\"stars\">%lld.%lld of 5</span> from %lld %s · "
                    "<span class=\"badge verified\">Verified rotation</span></p>\n",
                    (long long)(h->review_average_tenths / 10), (long long)(h->review_average_tenths % 10),
                    (long long)h->review_count, h->review_count == 1 ? "review" : "reviews");
    else
        buf_append_str(b, "<p class=\"review-summary\">No reviews yet</p>\n");
    buf_append_str(b, "</article></li>\n");
}

static const char *map_href(void *ctx, const char *state_code)
{
    return search_url(ctx, "state", state_code, false);
}

/* Places with rotations that the map has no shape for (Puerto Rico), as
 * links after it, so that the map and this list together count every result. */
static void render_off_map(struct buf *b, const struct search_params *p, const struct catalog_query *q,
                           const struct catalog_result *r)
{
    bool any = false;
    for (size_t i = 0; i < reference_state_count; i++) {
        if (r->state_counts[i] <= 0 || us_map_state_find(reference_states[i].code) != NULL)
            continue;
        const char *target = map_href((void *)p, reference_states[i].code);
        if (target == NULL)
            continue;
        buf_append_str(b, any ? "</li><li>" : "<p class=\"map-more\" id=\"map-more\">Not on the map:</p>"
                                             "<ul class=\"map-more\" aria-labelledby=\"map-more\"><li>");
        any = true;
        buf_append_str(b, "<a href=\"");
        buf_append_html(b, target);
        buf_append_str(b, q != NULL && q->state == (int)i ? "\" aria-current=\"true\">" : "\">");
        buf_append_html(b, reference_states[i].name);
        buf_append_str(b, "</a>: ");
        buf_append_int(b, r->state_counts[i]);
        buf_append_str(b, r->state_counts[i] == 1 ? " open offering" : " open offerings");
    }
    if (any)
        buf_append_str(b, "</li></ul>\n");
}

/* The map of the states, shaded by the rotations each would show with the
 * other filters as they are (the state facet's counts), so that a shaded
 * state always leads to results. */
static void render_map(struct buf *b, struct arena *arena, const struct search_params *p,
                       const struct catalog_query *q, const struct catalog_result *r)
{
    const char **codes = arena_calloc(arena, reference_state_count, sizeof(char *));
    if (codes == NULL)
        return;
    for (size_t i = 0; i < reference_state_count; i++)
        codes[i] = reference_states[i].code;
    buf_append_str(b, "<section id=\"map\" class=\"card map-section\" aria-labelledby=\"map-heading\">"
                      "<h2 id=\"map-heading\">Browse by state</h2><p>The shading counts the rotations in each "
                      "state that match your other filters. Choosing a state keeps them.</p>\n");
    view_us_map(b, r->state_counts, codes, reference_state_count, map_href, (void *)p,
                q != NULL && q->state >= 0 ? reference_states[q->state].code : NULL);
    render_off_map(b, p, q, r);
    buf_append_str(b, "</section>\n");
}

/* What a search found; absent when the parameters did not parse. */
struct search_outcome {
    const struct catalog_query *query;
    const struct catalog_result *result;
    bool eligible_applied; /* eligible=me filtered by the signed-in student's profile */
    const char *cache_key; /* a page for every visitor not signed in: kept under this key */
};

/* A sentence naming the form field, for a parameter the search refused. */
static void render_error(struct buf *b, struct arena *arena, const struct error *err)
{
    struct buf msg;
    buf_init(&msg, arena, BUF_CAP_LINE);
    const char *field = err->field != NULL ? err->field : "";
    const char *detail = err->detail != NULL ? err->detail : "";
    if (strcmp(field, "cursor") == 0) {
        buf_append_str(&msg, "This page link is out of date. Start again from the first page.");
    } else if (err->code == ERR_START_RANGE_REVERSED) {
        buf_append_str(&msg, "The latest start date is before the earliest start date. Correct one of them "
                             "and search again.");
    } else if (err->code == ERR_SORT_NEEDS_QUERY) {
        buf_append_str(&msg, "Sorting by best match needs keywords. Enter keywords or choose another order.");
    } else if (strcmp(field, "max_tuition") == 0) {
        buf_append_str(&msg, "Maximum tuition must be one of the amounts in the list.");
    } else {
        buf_append_str(&msg, param_label(err->field));
        buf_append_str(&msg, " ");
        buf_append_str(&msg, detail[0] != '\0' ? detail : "is not valid");
        buf_append_str(&msg, ". Correct it and search again.");
    }
    view_alert(b, msg.data);
}

/* This search as a query string ("q=cardio&page=2"), for the offering
 * page's "Back to the search". */
static const char *back_query(const struct search_params *p)
{
    char number[24];
    snprintf(number, sizeof(number), "%" PRId64, p->page);
    const char *url = search_url(p, "page", p->page > 1 ? number : NULL, true);
    const char *query = strchr(url, '?');
    return query != NULL && strlen(query + 1) <= SEARCH_BACK_MAX_BYTES ? query + 1 : NULL;
}

/* The pager of a link made before pages had numbers (?cursor=): the first page and the next. */
static void render_cursor_pager(struct buf *b, const struct search_params *p, const struct catalog_result *r)
{
    buf_append_str(b, "<nav class=\"pager\" aria-label=\"Result pages\"><a href=\"");
    buf_append_html(b, search_url(p, "cursor", NULL, false));
    buf_append_str(b, "\">First page</a>");
    if (r->next_cursor != NULL) {
        buf_append_str(b, "<a rel=\"next\" class=\"button\" href=\"");
        buf_append_html(b, search_url(p, "cursor", r->next_cursor, true));
        buf_append_str(b, "\">Next page</a>");
    }
    buf_append_str(b, "</nav>\n");
}

static void page_link(struct buf *b, const struct search_params *p, int64_t page, const char *rel, const char *css,
                      const char *label)
{
    char number[24];
    snprintf(number, sizeof(number), "%" PRId64, page);
    buf_appendf(b, "<a rel=\"%s\"%s href=\"", rel, css);
    buf_append_html(b, search_url(p, "page", page > 1 ? number : NULL, false));
    buf_append_str(b, "\">");
    buf_append_str(b, label);
    buf_append_str(b, "</a>");
}

/* Previous, "Page 3 of 15", Next. Past SEARCH_PAGE_MAX, Next carries on by cursor. */
static void render_numbered_pager(struct buf *b, const struct search_params *p, const struct catalog_query *q,
                                  const struct catalog_result *r)
{
    int64_t limit = q->limit > 0 ? q->limit : 20;
    int64_t pages = r->total > 0 ? (r->total + limit - 1) / limit : 1;
    if (pages <= 1 && p->page <= 1)
        return;
    if (r->count == 0) {
        buf_appendf(b, "<p class=\"notice\" role=\"status\">There is no page %" PRId64 ": this search has %" PRId64
                       " %s. ", p->page, pages, pages == 1 ? "page" : "pages");
        page_link(b, p, pages, "prev", "", "Go to the last page");
        buf_append_str(b, "</p>\n");
        return;
    }
    buf_append_str(b, "<nav class=\"pager\" aria-label=\"Result pages\">");
    if (p->page > 1)
        page_link(b, p, p->page - 1, "prev", "", "Previous page");
    buf_appendf(b, "<span class=\"page-of\" aria-current=\"page\">Page %" PRId64 " of %" PRId64 "</span>", p->page,
                pages);
    if (p->page < pages && p->page < SEARCH_PAGE_MAX) {
        page_link(b, p, p->page + 1, "next", " class=\"button\"", "Next page");
    } else if (r->next_cursor != NULL) {
        buf_append_str(b, "<a rel=\"next\" class=\"button\" href=\"");
        buf_append_html(b, search_url(p, "cursor", r->next_cursor, true));
        buf_append_str(b, "\">Next page</a>");
    }
    buf_append_str(b, "</nav>\n");
}

/* The count, the active filters, the cards and the pager. */
static void render_results(struct buf *b, const struct search_params *p, const struct search_outcome *out)
{
    const struct catalog_query *q = out->query;
    const struct catalog_result *r = out->result;
    buf_append_str(b, "<section id=\"results\" class=\"search-results\" aria-labelledby=\"results-heading\">\n");
    if (r->total == 0)
        buf_append_str(b, "<h2 id=\"results-heading\">No rotations match</h2>\n");
    else
        buf_appendf(b, "<h2 id=\"results-heading\"><span class=\"result-count\">%" PRId64 "</span> %s</h2>\n",
                    r->total, r->total == 1 ? "rotation" : "rotations");
    render_active_filters(b, p, q, out->eligible_applied);
    if (r->total == 0)
        buf_append_str(b, "<p>Try removing a filter, a wider start window or a higher price.</p>\n");
    if (r->count > 0) {
        buf_append_str(b, "<ol class=\"results\">\n");
        const char *back = back_query(p);
        for (size_t i = 0; i < r->count; i++)
            web_search_card(b, &r->items[i], back);
        buf_append_str(b, "</ol>\n");
    }
    if (q->cursor != NULL)
        render_cursor_pager(b, p, r);
    else
        render_numbered_pager(b, p, q, r);
    buf_append_str(b, "</section>\n");
}

/* "Save this search" for signed-in students: a name, and the filters as they are. */
static void render_save_form(struct buf *b, const struct search_params *p, const struct view_page *page)
{
    if (!page->student)
        return;
    buf_append_str(b, "<details class=\"save-search\"><summary>Save this search</summary>\n<p class=\"hint\">You are "
                      "told when a new rotation or a freed seat matches it: here at once, and by email at most once "
                      "a day.</p>\n");
    view_form_begin(b, "/saved-searches", page->csrf_token);
    view_input(b, "Name of the search", "text", "name", NULL, "off", true, NULL, NULL);
    for (size_t i = 0; alerts_filter_names[i] != NULL; i++) {
        const char *value = param(p, alerts_filter_names[i]);
        if (value == NULL)
            continue;
        buf_append_str(b, "<input type=\"hidden\" name=\"");
        buf_append_html(b, alerts_filter_names[i]);
        buf_append_str(b, "\" value=\"");
        buf_append_html(b, value);
        buf_append_str(b, "\">");
    }
    view_form_end(b, "Save this search");
    buf_append_str(b, "</details>\n");
}

/* The whole page: out is NULL (and err set) when the parameters were refused. */
static void render(struct http_request *req, const struct view_page *page, int status, const struct search_params *p,
                   const struct search_outcome *out, const char *notice_html, const struct error *err)
{
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    view_page_begin(&b, page);
    buf_append_str(&b, "<h1>Find a clinical rotation</h1>\n<p class=\"lead\">Every rotation shows its preceptor, its "
                       "full price and its refund rules before you apply.</p>\n");
    if (out != NULL)
        buf_append_str(&b, "<p class=\"skip-links\"><a href=\"#results\">Skip to results</a> · "
                           "<a href=\"#map\">Browse by state on the map</a></p>\n");
    if (err != NULL)
        render_error(&b, &req->arena, err);
    if (notice_html != NULL) {
        buf_append_str(&b, "<p class=\"notice\" role=\"status\">");
        buf_append_str(&b, notice_html); /* markup from this file only */
        buf_append_str(&b, "</p>\n");
    }
    /* Form, results, facets: on a phone the results come right after the
     * form; on a wide screen the facets sit under the form (see the CSS). */
    buf_append_str(&b, out != NULL ? "<div class=\"search-layout\">\n<div class=\"search-form\">\n"
                                   : "<div class=\"search-layout alone\">\n<div class=\"search-form\">\n");
    if (out != NULL) {
        const struct catalog_result *r = out->result;
        struct facets f = {r->specialty_counts, r->state_counts, r->kind_counts};
        render_form(&b, p, &f, page->user_name != NULL, err);
        render_save_form(&b, p, page);
        buf_append_str(&b, "</div>\n");
        render_results(&b, p, out);
        buf_append_str(&b, "<div class=\"search-facets\">\n");
        render_facets(&b, p, out->query, r);
        buf_append_str(&b, "</div>\n</div>\n");
        render_map(&b, &req->arena, p, out->query, out->result);
    } else {
        render_form(&b, p, NULL, page->user_name != NULL, err);
        buf_append_str(&b, "</div>\n</div>\n");
    }
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    if (out != NULL && out->cache_key != NULL && status == 200)
        http_cache_reply_and_keep_at(req, HTTP_CACHE_SEARCH_PAGE, out->cache_key, out->result->generation,
                                     "text/html; charset=utf-8", &b);
    else
        http_reply_html(req, status, &b);
}

/* page=N (1..SEARCH_PAGE_MAX, once): the numbered page, as an offset of the
 * search; a cursor (an older link) goes on from where it points instead. */
static int read_page(struct search_params *p, struct catalog_query *q, const char *text, size_t given,
                     struct error *err)
{
    p->page = 1;
    if (text == NULL || (text[0] == '\0' && given == 1))
        return 0; /* absent, or a field left empty: the first page */
    static const char bad[] = "must be a whole number between 1 and " LIMIT_TEXT(SEARCH_PAGE_MAX);
    char *end = NULL;
    long long n = given == 1 && text[0] >= '0' && text[0] <= '9' ? strtoll(text, &end, 10) : 0;
    if (end == NULL || *end != '\0' || n < 1 || n > SEARCH_PAGE_MAX)
        return error_set(err, ERR_INVALID_PARAMETER, "page", bad);
    p->page = n;
    if (q->cursor == NULL)
        q->offset = (int64_t)(n - 1) * (q->limit > 0 ? q->limit : 20);
    return 0;
}

/* The page title names the main filters: "Cardiology rotations in Texas · Find a rotation". */
static const char *search_title(struct arena *arena, const struct catalog_query *q)
{
    if (q->specialty < 0 && q->state < 0 && q->kind < 0)
        return "Find a rotation";
    struct buf b;
    buf_init(&b, arena, BUF_CAP_LINE);
    /* Indexed like offering_kind_names. */
    static const char *const kind_plurals[][2] = {{"hands-on clerkships", "Hands-on clerkships"},
                                                  {"observerships", "Observerships"},
                                                  {"research rotations", "Research rotations"},
                                                  {"telehealth rotations", "Telehealth rotations"}};
    bool lead = q->specialty < 0;
    if (q->specialty >= 0) {
        buf_append_str(&b, reference_specialties[q->specialty].name);
        buf_append_str(&b, " ");
    }
    if (q->kind >= 0 && q->kind < OFFERING_KIND_COUNT)
        buf_append_str(&b, kind_plurals[q->kind][lead]);
    else
        buf_append_str(&b, lead ? "Rotations" : "rotations");
    if (q->state >= 0) {
        buf_append_str(&b, " in ");
        buf_append_str(&b, reference_states[q->state].name);
    }
    buf_append_str(&b, " · Find a rotation");
    return buf_ok(&b) ? b.data : "Find a rotation";
}

/* The key of the page a visitor not signed in gets: every parameter as
 * given (the page writes them back into its form and links) and the page
 * number; NULL past BUF_CAP_SMALL. */
static const char *page_key(const struct search_params *p)
{
    struct buf b;
    buf_init(&b, p->arena, BUF_CAP_SMALL);
    for (size_t i = 0; i < p->count; i++) {
        const char *v = p->values[i];
        buf_append_int(&b, v != NULL ? (int64_t)strlen(v) : -1);
        buf_append_char(&b, ':');
        if (v != NULL)
            buf_append_str(&b, v);
        buf_append_char(&b, ',');
    }
    buf_append_int(&b, p->page);
    return buf_ok(&b) ? b.data : NULL;
}

void web_page_search(struct http_request *req)
{
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return;
    struct search_params p;
    params_read(&p, &req->arena, query);
    struct catalog_query q;
    struct error err = {0};
    bool eligible_me = false;
    bool parsed = catalog_query_parse(query_get, query, &q, &eligible_me, &err) == 0 &&
                  read_page(&p, &q, http_kv_get(query, "page"), http_kv_count(query, "page"), &err) == 0;
    const char *key = parsed && !req->auth.authenticated ? page_key(&p) : NULL;
    if (key != NULL && http_cache_reply_at(req, HTTP_CACHE_SEARCH_PAGE, key, catalog_index_generation()))
        return;
    struct view_page page;
    struct store_user user;
    if (!web_page_setup(req, &page, "Find a rotation", &user))
        return;
    if (!parsed) {
        page.title = "Check your search · Find a rotation";
        render(req, &page, error_status(err.code), &p, NULL, NULL, &err);
        return;
    }
    page.title = search_title(&req->arena, &q);
    const char *notice = NULL;
    if (eligible_me) {
        struct store_affiliation *affiliations = NULL;
        if (req->auth.authenticated) {
            q.eligible_for = &user.profile;
            if (affiliation_load(req->db, &req->arena, user.id, &affiliations, &q.affiliation_count) != DB_OK) {
                http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
                return;
            }
            q.affiliations = affiliations;
        } else
            notice = "<a href=\"/login\">Log in</a> to see only the rotations you are eligible for. "
                     "Showing every rotation.";
    }
    struct catalog_result result;
    if (catalog_search(&req->arena, &q, &result, &err) != 0) {
        page.title = "Check your search · Find a rotation";
        if (error_is(err.code, ERR_INVALID_PARAMETER))
            render(req, &page, error_status(err.code), &p, NULL, NULL, &err);
        else
            http_reply_problem(req, &err);
        return;
    }
    struct search_outcome out = {.query = &q, .result = &result, .eligible_applied = q.eligible_for != NULL,
                                 .cache_key = key};
    render(req, &page, 200, &p, &out, notice, NULL);
}
