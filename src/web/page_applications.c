/* page_applications.c — GET /applications: "My applications" for students
 * (status, next step, the offer or hold deadline, rotation, host, dates),
 * "Applications to review" for host coordinators and preceptors (filtered by
 * status, offering and block with a GET form), and every application for
 * staff (filtered by status). Who sees what follows api_applications_list:
 * the student's own, those to the user's hosts and offerings, or all.
 * Also the status badge the application pages share. */
#include <stdio.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/applications.h"
#include "domain/money.h"
#include "lib/clock.h"
#include "lib/limits.h"
#include "views/money.h"
#include "web/web.h"

enum { LIST_LIMIT = 50, OPTIONS_LIMIT = 200 };

const char *const web_applications_params[] = {"status", "offering", "block", "after", NULL};

/* The filter offers every status after draft. */
static bool status_filterable(enum application_status status)
{
    return status > APPLICATION_DRAFT && status < APPLICATION_STATUS_COUNT;
}

/* ---- shared with page_application.c and page_offering.c ---- */

/* A class per kind of status, so that the badge's look follows its meaning;
 * the words are always there too. */
static const char *status_group(enum application_status status)
{
    switch (status) {
    case APPLICATION_DRAFT:
    case APPLICATION_SUBMITTED:
    case APPLICATION_UNDER_REVIEW:
        return "waiting";
    case APPLICATION_OFFERED:
    case APPLICATION_HELD:
        return "action";
    case APPLICATION_BOOKED:
    case APPLICATION_CLEARED:
    case APPLICATION_IN_PROGRESS:
    case APPLICATION_COMPLETED:
        return "good";
    default:
        return "closed";
    }
}

void web_application_status(struct buf *b, enum application_status status)
{
    buf_append_str(b, "<span class=\"status status-");
    buf_append_str(b, status_group(status));
    buf_append_str(b, "\">");
    buf_append_html(b, application_status_label(status));
    buf_append_str(b, "</span>");
}

/* ---- the list ---- */

struct list_params {
    const char *status, *offering, *block, *after;
};

/* What the viewer may see, as in api_applications_list. */
struct viewer {
    struct store_user user;
    bool staff, student, reviewer;
    const char *organization_ids; /* comma-separated host organisations the user coordinates */
};

static void load_viewer(struct http_request *req, struct viewer *v)
{
    v->staff = account_has_role(&v->user, ROLE_STAFF);
    v->student = account_has_role(&v->user, ROLE_STUDENT);
    v->organization_ids = account_organization_ids(&req->arena, &v->user, ROLE_HOST_COORDINATOR);
    v->reviewer = v->organization_ids != NULL || account_has_role(&v->user, ROLE_PRECEPTOR);
}

/* "after=…" and the filters, for the next-page link. */
static void write_query(struct buf *b, const struct list_params *p, const char *after)
{
    const char *names[] = {"status", "offering", "block", "after"};
    const char *values[] = {p->status, p->offering, p->block, after};
    char sep = '?';
    for (size_t i = 0; i < 4; i++) {
        if (values[i] == NULL || values[i][0] == '\0')
            continue;
        buf_append_char(b, sep);
        buf_append_str(b, names[i]);
        buf_append_char(b, '=');
        buf_append_url(b, values[i]);
        sep = '&';
    }
}

/* A select whose first option ("Any") means no filter. */
static void filter_select(struct buf *b, const char *label, const char *name, const char *const *values,
                          const char *const *labels, size_t count, const char *selected)
{
    buf_append_str(b, "<div class=\"field\"><label for=\"f-");
    buf_append_str(b, name);
    buf_append_str(b, "\">");
    buf_append_html(b, label);
    buf_append_str(b, "</label><select id=\"f-");
    buf_append_str(b, name);
    buf_append_str(b, "\" name=\"");
    buf_append_str(b, name);
    buf_append_str(b, "\"><option value=\"\">Any</option>");
    for (size_t i = 0; i < count; i++) {
        buf_append_str(b, "<option value=\"");
        buf_append_html(b, values[i]);
        buf_append_char(b, '"');
        if (selected != NULL && strcmp(selected, values[i]) == 0)
            buf_append_str(b, " selected");
        buf_append_char(b, '>');
        buf_append_html(b, labels[i]);
        buf_append_str(b, "</option>");
    }
    buf_append_str(b, "</select></div>\n");
}

/* The offerings and blocks of the reviewer's applications, for the filters. */
struct choices {
    const char **offering_ids, **offering_labels, **block_ids, **block_labels;
    size_t offering_count, block_count;
};

static bool seen(const char **ids, size_t count, const char *id)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(ids[i], id) == 0)
            return true;
    return false;
}

static void load_choices(struct http_request *req, const struct store_application_filter *base,
                         const char *offering, struct choices *c)
{
    memset(c, 0, sizeof(*c));
    struct store_application_filter f = *base;
    f.status = f.offering_id = f.block_id = f.after_id = NULL;
    f.limit = OPTIONS_LIMIT;
    struct store_application *items;
    size_t count = 0;
    if (store_applications_list(req->db, &req->arena, &f, &items, &count) != DB_OK || count == 0)
        return;
    c->offering_ids = arena_alloc(&req->arena, count * sizeof(char *));
    c->offering_labels = arena_alloc(&req->arena, count * sizeof(char *));
    c->block_ids = arena_alloc(&req->arena, count * sizeof(char *));
    c->block_labels = arena_alloc(&req->arena, count * sizeof(char *));
    if (c->offering_ids == NULL || c->offering_labels == NULL || c->block_ids == NULL || c->block_labels == NULL) {
        memset(c, 0, sizeof(*c));
        return;
    }
    for (size_t i = 0; i < count; i++) {
        const struct store_application *a = &items[i];
        if (!seen(c->offering_ids, c->offering_count, a->offering_id)) {
            c->offering_ids[c->offering_count] = a->offering_id;
            c->offering_labels[c->offering_count++] = a->offering_title;
        }
        if ((offering != NULL && offering[0] != '\0' && strcmp(offering, a->offering_id) != 0) ||
            seen(c->block_ids, c->block_count, a->block_id))
            continue;
        struct buf label;
        buf_init(&label, &req->arena, BUF_CAP_LINE);
        view_date(&label, a->block_start);
        buf_append_str(&label, " to ");
        view_date(&label, a->block_end);
        if (offering == NULL || offering[0] == '\0') {
            buf_append_str(&label, " · ");
            buf_append_str(&label, a->offering_title);
        }
        if (!buf_ok(&label))
            continue;
        c->block_ids[c->block_count] = a->block_id;
        c->block_labels[c->block_count++] = label.data;
    }
}

static void render_filters(struct http_request *req, struct buf *b, const struct viewer *v,
                           const struct store_application_filter *review, const struct list_params *p)
{
    const char *names[APPLICATION_STATUS_COUNT], *labels[APPLICATION_STATUS_COUNT];
    size_t n = 0;
    for (int s = 0; s < APPLICATION_STATUS_COUNT; s++)
        if (status_filterable((enum application_status)s)) {
            names[n] = application_status_name((enum application_status)s);
            labels[n++] = application_status_label((enum application_status)s);
        }
    buf_append_str(b, "<form class=\"filters list-filters\" method=\"get\" action=\"/applications\" role=\"search\" "
                      "aria-label=\"Filter applications\">\n");
    filter_select(b, "Status", "status", names, labels, n, p->status);
    if (v->reviewer && !v->staff) {
        struct choices c;
        load_choices(req, review, p->offering, &c);
        filter_select(b, "Offering", "offering", c.offering_ids, c.offering_labels, c.offering_count, p->offering);
        filter_select(b, "Block", "block", c.block_ids, c.block_labels, c.block_count, p->block);
    }
    buf_append_str(b, "<div class=\"actions\"><button type=\"submit\">Filter</button>");
    if (p->status != NULL || p->offering != NULL || p->block != NULL)
        buf_append_str(b, "<a href=\"/applications\">Clear the filters</a>");
    buf_append_str(b, "</div></form>\n");
}

static void cell_begin(struct buf *b, const char *label)
{
    buf_append_str(b, "<td data-label=\"");
    buf_append_html(b, label);
    buf_append_str(b, "\">");
}

static void write_dates(struct buf *b, const struct store_application *a)
{
    view_date(b, a->block_start);
    buf_append_str(b, " to ");
    view_date(b, a->block_end);
}

/* "Accept by …" / "Pay by …" while an offer or a hold runs; once booked, the
 * balance still due and its date, as the application's page says it. */
static void write_deadline(struct http_request *req, struct buf *b, const struct store_application *a)
{
    enum application_status status = application_status_of(a);
    struct money_view money;
    if (status == APPLICATION_OFFERED && a->offer_expires_at > 0) {
        buf_append_str(b, "Accept by ");
        web_write_instant(req, b, a->offer_expires_at);
    } else if (status == APPLICATION_HELD && a->hold_expires_at > 0) {
        buf_append_str(b, "Pay by ");
        web_write_instant(req, b, a->hold_expires_at);
    } else if ((status == APPLICATION_BOOKED || status == APPLICATION_CLEARED) &&
               money_view_of(req->db, &req->arena, a, &money) == DB_OK && money.has_terms &&
               money.balance_cents > 0 && money.balance_due_on != NULL) {
        buf_append_str(b, "Pay the balance (");
        view_money_amount(b, money.balance_cents);
        buf_append_str(b, ") by ");
        view_date(b, money.balance_due_on);
    } else {
        buf_append_str(b, "<span class=\"muted\">None</span>");
    }
}

static void application_link(struct buf *b, const struct store_application *a, const char *text)
{
    buf_append_str(b, "<a href=\"/applications/");
    buf_append_url(b, a->id);
    buf_append_str(b, "\">");
    buf_append_html(b, text);
    buf_append_str(b, "</a>");
}

static void render_mine(struct http_request *req, struct buf *b, const struct store_application *items, size_t count)
{
    buf_append_str(b, "<div class=\"table-wrap\"><table class=\"records\"><caption>Your applications, newest "
                      "first</caption><thead><tr><th scope=\"col\">Rotation</th><th scope=\"col\">Host</th>"
                      "<th scope=\"col\">Dates</th><th scope=\"col\">Status</th><th scope=\"col\">Next step</th>"
                      "<th scope=\"col\">Deadline</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < count; i++) {
        const struct store_application *a = &items[i];
        const char *next = application_next_step(a, true);
        buf_append_str(b, "<tr>");
        cell_begin(b, "Rotation");
        application_link(b, a, a->offering_title);
        buf_append_str(b, "</td>");
        cell_begin(b, "Host");
        buf_append_html(b, a->host_name);
        buf_append_str(b, "</td>");
        cell_begin(b, "Dates");
        write_dates(b, a);
        buf_append_str(b, "</td>");
        cell_begin(b, "Status");
        web_application_status(b, application_status_of(a));
        buf_append_str(b, "</td>");
        cell_begin(b, "Next step");
        buf_append_html(b, next != NULL ? next : "Nothing to do.");
        buf_append_str(b, "</td>");
        cell_begin(b, "Deadline");
        write_deadline(req, b, a);
        buf_append_str(b, "</td></tr>\n");
    }
    buf_append_str(b, "</tbody></table></div>\n");
}

static void render_review(const struct http_request *req, struct buf *b, const struct store_application *items,
                          size_t count, const char *caption)
{
    buf_append_str(b, "<div class=\"table-wrap\"><table class=\"records\"><caption>");
    buf_append_html(b, caption);
    buf_append_str(b, "</caption><thead><tr><th scope=\"col\">Student</th><th scope=\"col\">Rotation</th>"
                      "<th scope=\"col\">Dates</th><th scope=\"col\">Status</th><th scope=\"col\">Next step</th>"
                      "<th scope=\"col\">Received</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < count; i++) {
        const struct store_application *a = &items[i];
        const char *next = application_next_step(a, false);
        buf_append_str(b, "<tr>");
        cell_begin(b, "Student");
        application_link(b, a, a->student_name);
        buf_append_str(b, "</td>");
        cell_begin(b, "Rotation");
        buf_append_html(b, a->offering_title);
        buf_append_str(b, "<br><span class=\"muted\">");
        buf_append_html(b, a->host_name);
        buf_append_str(b, "</span></td>");
        cell_begin(b, "Dates");
        write_dates(b, a);
        buf_append_str(b, "</td>");
        cell_begin(b, "Status");
        web_application_status(b, application_status_of(a));
        buf_append_str(b, "</td>");
        cell_begin(b, "Next step");
        buf_append_html(b, next != NULL ? next : "Nothing to do.");
        buf_append_str(b, "</td>");
        cell_begin(b, "Received");
        web_write_instant(req, b, a->created_at);
        buf_append_str(b, "</td></tr>\n");
    }
    buf_append_str(b, "</tbody></table></div>\n");
}

static void render_pager(struct buf *b, const struct list_params *p, const struct store_application *items,
                         size_t count)
{
    if (count < (size_t)LIST_LIMIT && p->after == NULL)
        return;
    buf_append_str(b, "<nav class=\"pager\" aria-label=\"Pages of applications\">");
    if (p->after != NULL) {
        struct list_params first = *p;
        first.after = NULL;
        buf_append_str(b, "<a href=\"/applications");
        write_query(b, &first, NULL);
        buf_append_str(b, "\">First page</a>");
    }
    if (count == (size_t)LIST_LIMIT) {
        buf_append_str(b, "<a rel=\"next\" href=\"/applications");
        write_query(b, p, items[count - 1].id);
        buf_append_str(b, "\">Next page</a>");
    }
    buf_append_str(b, "</nav>\n");
}

static const char *param(struct http_kv_list *query, const char *name)
{
    const char *v = http_kv_get(query, name);
    return v != NULL && v[0] != '\0' ? v : NULL;
}

void web_page_applications(struct http_request *req)
{
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return;
    struct list_params p = {param(query, "status"), param(query, "offering"), param(query, "block"),
                            param(query, "after")};
    if (p.status != NULL && !status_filterable(application_status_parse(p.status))) {
        http_reply_error(req, ERR_INVALID_PARAMETER, "status", "There is no such application status");
        return;
    }
    struct view_page page;
    struct viewer v = {0};
    if (!web_page_setup(req, &page, "Applications", &v.user))
        return;
    load_viewer(req, &v);

    /* The one list that pages: everything for staff, else the review list, else the student's own. */
    struct store_application_filter review = {.organization_ids = v.organization_ids,
                                              .preceptor_user_id = v.user.id,
                                              .status = p.status,
                                              .offering_id = p.offering,
                                              .block_id = p.block,
                                              .limit = LIST_LIMIT};
    struct store_application_filter all = {.all = true, .status = p.status, .after_id = p.after, .limit = LIST_LIMIT};
    struct store_application_filter mine = {.student_id = v.user.id, .status = p.status, .limit = LIST_LIMIT};
    if (!v.staff && v.reviewer)
        review.after_id = p.after;
    else if (!v.staff)
        mine.after_id = p.after;

    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LONG_LIST);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<h1>Applications</h1>\n");
    if (!v.staff && !v.student && !v.reviewer) {
        buf_append_str(&b, "<p>Applications are for students, the hosts and preceptors they apply to, and Rounds "
                           "staff. Your account has none of these roles.</p>\n");
        if (page.school_coordinator)
            buf_append_str(&b, "<p>Your students' applications and placements are on <a href=\"/school\">your "
                               "school's page</a>.</p>\n");
        if (page.coach)
            buf_append_str(&b, "<p>Your students' rotations are on <a href=\"/coach\">My students</a>.</p>\n");
        view_page_end(&b);
        http_reply_html(req, 200, &b);
        return;
    }
    render_filters(req, &b, &v, &review, &p);

    struct store_application *items;
    size_t count = 0;
    if (v.staff) {
        if (store_applications_list(req->db, &req->arena, &all, &items, &count) != DB_OK) {
            http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
            return;
        }
        buf_append_str(&b, "<section aria-labelledby=\"all-heading\"><h2 id=\"all-heading\">All applications</h2>\n");
        if (count == 0)
            buf_append_str(&b, "<p>No application matches.</p>\n");
        else
            render_review(req, &b, items, count, "Every application on Rounds, newest first");
        render_pager(&b, &p, items, count);
        buf_append_str(&b, "</section>\n");
    }
    if (!v.staff && v.student) {
        if (store_applications_list(req->db, &req->arena, &mine, &items, &count) != DB_OK) {
            http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
            return;
        }
        buf_append_str(&b, "<section aria-labelledby=\"mine-heading\"><h2 id=\"mine-heading\">My applications</h2>\n");
        if (count == 0 && p.status == NULL && p.after == NULL)
            buf_append_str(&b, "<p>You have not applied for a rotation yet. <a href=\"/search\">Find a rotation</a> "
                               "and apply from its page.</p>\n");
        else if (count == 0)
            buf_append_str(&b, "<p>None of your applications matches.</p>\n");
        else
            render_mine(req, &b, items, count);
        if (!v.reviewer)
            render_pager(&b, &p, items, count);
        buf_append_str(&b, "</section>\n");
    }
    if (!v.staff && v.reviewer) {
        if (store_applications_list(req->db, &req->arena, &review, &items, &count) != DB_OK) {
            http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
            return;
        }
        buf_append_str(&b, "<section aria-labelledby=\"review-heading\"><h2 id=\"review-heading\">Applications to "
                           "review</h2>\n");
        if (count == 0)
            buf_append_str(&b, "<p>No application to your rotations matches.</p>\n");
        else
            render_review(req, &b, items, count, "Applications to your rotations, newest first");
        render_pager(&b, &p, items, count);
        buf_append_str(&b, "</section>\n");
    }
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, 200, &b);
}
