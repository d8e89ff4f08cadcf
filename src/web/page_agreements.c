/* page_agreements.c — affiliation agreements for hosts' and schools'
 * coordinators (domain/agreements.h):
 *
 *   GET  /agreements                 their agreements (newest first, a page at a time:
 *                                    ?cursor= from "Older agreements"), the form to propose one
 *   POST /agreements                 proposes {host_id, school_id, start_date, end_date}
 *   GET  /agreements/{id}            one agreement: its parties, dates, state, the signed
 *                                    PDF, and the forms to activate (the other side,
 *                                    with the PDF) and to terminate (with a reason)
 *   POST /agreements/{id}/activate   multipart: file
 *   POST /agreements/{id}/terminate  {reason}
 *
 * A form that comes back with errors keeps what was typed and opens at its
 * error summary, linked to the fields. Anybody but the two sides and staff
 * gets 404. */
#include <stdio.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/agreements.h"
#include "lib/limits.h"
#include "views/forms.h"
#include "views/money.h"
#include "web/web.h"

const char *const web_agreements_params[] = {"done", "cursor", NULL};

enum { AGREEMENT_CHOICES_MAX = 500 };

/* What a refused form shows: the message and the field it names. */
struct agreement_failure {
    const char *field, *message;
};

static const char *error_for(const struct agreement_failure *f, const char *field)
{
    return f != NULL && f->field != NULL && strcmp(f->field, field) == 0 ? f->message : NULL;
}

static void render_summary(struct buf *b, const struct agreement_failure *f)
{
    if (f == NULL)
        return;
    char field_id[48] = "";
    if (f->field != NULL)
        snprintf(field_id, sizeof(field_id), "f-%s", f->field);
    struct view_field_error e = {f->field != NULL ? field_id : NULL, f->message};
    view_error_summary(b, NULL, &e, 1);
}

static const char *status_class(enum agreement_status s)
{
    return s == AGREEMENT_ACTIVE ? "good" : s == AGREEMENT_PROPOSED ? "waiting" : "closed";
}

static void render_status(struct buf *b, const struct store_agreement *a)
{
    enum agreement_status s = agreement_status_of(a);
    buf_append_str(b, "<span class=\"status status-");
    buf_append_str(b, status_class(s));
    buf_append_str(b, "\">");
    buf_append_html(b, agreement_status_label(s));
    buf_append_str(b, "</span>");
}

static void render_dates(struct buf *b, const struct store_agreement *a)
{
    view_date(b, a->start_date);
    buf_append_str(b, " to ");
    view_date(b, a->end_date);
}

/* ---- the list and the proposal form ---- */

struct proposal_form {
    const char *host_id, *school_id, *start_date, *end_date;
};

/* The choices of one party: the user's own organisations of that role, or every organisation of the kind. */
static void party_select(struct http_request *req, struct buf *b, const struct store_user *user, enum role role,
                         bool own, const char *label, const char *name, const char *selected, const char *error)
{
    size_t capacity = user->membership_count + 1, n = 0;
    struct store_organization *all = NULL;
    size_t all_count = 0;
    if (!own) {
        const char *kind = role == ROLE_HOST_COORDINATOR ? "host" : "school";
        if (store_organizations_list(req->db, &req->arena, kind, NULL, AGREEMENT_CHOICES_MAX, &all, &all_count) !=
            DB_OK)
            all_count = 0;
        capacity = all_count + 1;
    }
    const char **values = arena_calloc(&req->arena, capacity, sizeof(char *));
    const char **labels = arena_calloc(&req->arena, capacity, sizeof(char *));
    if (values == NULL || labels == NULL)
        return;
    for (size_t i = 0; own && i < user->membership_count; i++) {
        if (role_parse(user->memberships[i].role) != role)
            continue;
        values[n] = user->memberships[i].organization_id;
        labels[n++] = user->memberships[i].organization_name;
    }
    for (size_t i = 0; !own && i < all_count; i++) {
        values[n] = all[i].id;
        labels[n++] = all[i].name;
    }
    /* One's own side is chosen already (a coordinator of one organisation has nothing to pick). */
    if (own && (selected == NULL || selected[0] == '\0') && n > 0)
        selected = values[0];
    view_select(b, label, name, values, labels, selected, error);
}

static void render_propose_form(struct http_request *req, struct buf *b, const struct store_user *user,
                                const char *csrf, const struct proposal_form *form, const struct agreement_failure *f)
{
    bool host_side = false, school_side = false;
    for (size_t i = 0; i < user->membership_count; i++) {
        enum role role = role_parse(user->memberships[i].role);
        host_side = host_side || role == ROLE_HOST_COORDINATOR;
        school_side = school_side || role == ROLE_SCHOOL_COORDINATOR;
    }
    if (!host_side && !school_side)
        return;
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"propose-heading\"><h2 id=\"propose-heading\">Propose "
                      "an agreement</h2>\n<p>The other side signs it: it becomes active once they upload the signed "
                      "PDF.</p>\n");
    view_form_begin(b, "/agreements", csrf);
    party_select(req, b, user, ROLE_HOST_COORDINATOR, host_side, "Host", "host_id", form->host_id,
                 error_for(f, "host_id"));
    party_select(req, b, user, ROLE_SCHOOL_COORDINATOR, !host_side, "School", "school_id", form->school_id,
                 error_for(f, "school_id"));
    view_input(b, "First day covered", "date", "start_date", form->start_date, NULL, true, NULL,
               error_for(f, "start_date"));
    view_input(b, "Last day covered", "date", "end_date", form->end_date, NULL, true, NULL, error_for(f, "end_date"));
    view_form_end(b, "Propose the agreement");
    buf_append_str(b, "</section>\n");
}

static void render_item(struct buf *b, const struct store_agreement *a)
{
    buf_append_str(b, "<li class=\"card\"><h2><a href=\"/agreements/");
    buf_append_url(b, a->id);
    buf_append_str(b, "\">");
    buf_append_html(b, a->host_name);
    buf_append_str(b, " and ");
    buf_append_html(b, a->school_name);
    buf_append_str(b, "</a></h2><p>");
    render_status(b, a);
    buf_append_str(b, " ");
    render_dates(b, a);
    buf_append_str(b, "</p></li>\n");
}

static void render_list(struct http_request *req, int status, const char *done, const struct proposal_form *form,
                        const struct agreement_failure *f)
{
    struct view_page page;
    struct store_user user;
    struct web_cursor at;
    if (web_cursor_read(req, "cursor", &at) != 0 || !web_page_setup(req, &page, "Affiliation agreements", &user))
        return;
    struct store_agreement *items = NULL;
    size_t count = 0;
    struct error err = {0};
    struct agreement_page want = {.after_created_at = at.key, .after_id = at.set ? at.id : NULL,
                                  .limit = AGREEMENTS_SHOWN_MAX + 1};
    if (agreement_list(req->db, &req->arena, &user, &want, &items, &count, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    bool more = count > AGREEMENTS_SHOWN_MAX;
    count = more ? AGREEMENTS_SHOWN_MAX : count;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_PAGE);
    view_page_begin(&b, &page);
    render_summary(&b, f);
    buf_append_str(&b, "<h1>Affiliation agreements</h1>\n");
    if (done != NULL && strcmp(done, "terminated") == 0)
        view_notice(&b, "The agreement is terminated.");
    if (count == 0)
        buf_append_str(&b, at.set ? "<p>No older agreements.</p>\n" : "<p>No agreement yet.</p>\n");
    buf_append_str(&b, "<ul class=\"plain-list\">\n");
    for (size_t i = 0; i < count; i++)
        render_item(&b, &items[i]);
    buf_append_str(&b, "</ul>\n");
    const struct store_agreement *last = count > 0 ? &items[count - 1] : NULL;
    web_pager_nav(&b, &(struct web_pager){.label = "Pages of the agreements", .what = "agreements",
                                          .path = "/agreements", .name = "cursor", .at = &at, .more = more,
                                          .last_key = last != NULL ? last->created_at : 0,
                                          .last_id = last != NULL ? last->id : NULL});
    struct proposal_form empty = {0};
    render_propose_form(req, &b, &user, page.csrf_token, form != NULL ? form : &empty, f);
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, status, &b);
}

void web_page_agreements(struct http_request *req)
{
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return;
    render_list(req, 200, http_kv_get(query, "done"), NULL, NULL);
}

/* A refusal the page can show next to a field (or above the form); anything else is a problem reply. */
static bool shown_on_form(const struct error *err)
{
    return err->code != ERR_INTERNAL && err->code != ERR_NONE && err->code != ERR_UNAVAILABLE &&
           err->code != ERR_NOT_FOUND;
}

void web_page_agreements_post(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    struct proposal_form form = {http_form(req, "host_id"), http_form(req, "school_id"), http_form(req, "start_date"),
                                 http_form(req, "end_date")};
    struct agreement_proposal p = {form.host_id, form.school_id, form.start_date, form.end_date};
    struct store_agreement a;
    struct error err = {0};
    if (agreement_propose(req->db, &req->arena, &user, &p, &a, &err) != 0) {
        if (!shown_on_form(&err) && err.code != ERR_NOT_FOUND) {
            http_reply_problem(req, &err);
            return;
        }
        struct agreement_failure f = {err.field, err.detail != NULL ? err.detail : error_title(err.code)};
        if (err.code == ERR_NOT_FOUND)
            f.field = "host_id";
        /* The domain's words are for the API ("there is no school with this id"): a person chose from a list. */
        if (err.code == ERR_UNPROCESSABLE && f.field != NULL && strcmp(f.field, "school_id") == 0)
            f.message = "Choose the school from the list.";
        else if (err.code == ERR_UNPROCESSABLE && f.field != NULL && strcmp(f.field, "host_id") == 0)
            f.message = "Choose the host from the list.";
        render_list(req, error_status(err.code), NULL, &form, &f);
        return;
    }
    struct buf to;
    buf_init(&to, &req->arena, BUF_CAP_LINE);
    buf_appendf(&to, "/agreements/%s?done=proposed", a.id);
    http_redirect(req, buf_ok(&to) ? to.data : "/agreements");
}
