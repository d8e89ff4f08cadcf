/* page_staff_payments.c — staff and the money that moves by hand:
 *
 *   GET  /staff/payments                   record a bank transfer; the transfers students were asked
 *                                          for; refunds to send; payments that differ from what was asked
 *   POST /staff/payments/transfers         a transfer that arrived (reference, amount, date, note)
 *   POST /staff/refunds/{id}/sent          a refund sent by hand
 *
 * Staff only; anyone else gets 404. */
#include <stdio.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/catalog_index.h"
#include "domain/money.h"
#include "lib/clock.h"
#include "lib/json_spec.h"
#include "lib/limits.h"
#include "lib/utf8.h"
#include "views/forms.h"
#include "views/money.h"
#include "lib/cents.h"
#include "web/web.h"

const char *const web_staff_payments_params[] = {"done", NULL};

enum { STAFF_LIST_MAX = 100 };

/* What was typed into the transfer form, and what went wrong. */
struct transfer_form {
    const char *reference, *amount, *received_on, *note;
    const char *error, *error_field;
};

static bool staff_only(struct http_request *req, const struct store_user *user)
{
    if (account_has_role(user, ROLE_STAFF))
        return true;
    http_reply_error(req, ERR_NOT_FOUND, NULL, "There is nothing at this address");
    return false;
}

static void transfer_form(struct buf *b, const char *csrf, const struct transfer_form *f)
{
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"transfer-heading\"><h2 id=\"transfer-heading\">"
                      "Record a bank transfer</h2>\n");
    if (f->error != NULL) {
        buf_append_str(b, "<div class=\"notice error\" role=\"alert\" id=\"error-summary\"><p>Not recorded: "
                          "<a href=\"#f-");
        buf_append_str(b, f->error_field != NULL ? f->error_field : "reference");
        buf_append_str(b, "\">");
        buf_append_html(b, f->error);
        buf_append_str(b, "</a></p></div>\n");
    }
    view_form_begin(b, "/staff/payments/transfers", csrf);
    bool on_ref = f->error_field != NULL && strcmp(f->error_field, "reference") == 0;
    bool on_amount = f->error_field != NULL && strcmp(f->error_field, "amount") == 0;
    bool on_date = f->error_field != NULL && strcmp(f->error_field, "received_on") == 0;
    view_input(b, "Reference", "text", "reference", f->reference, "off", true,
               "As the student quoted it, e.g. RND-ABCD-EFGH.", on_ref ? f->error : NULL);
    view_input(b, "Amount received (USD)", "text", "amount", f->amount, "off", true,
               "What arrived: less counts as part-payment, more is owed back.", on_amount ? f->error : NULL);
    view_input(b, "Received on", "date", "received_on", f->received_on, NULL, true, NULL, on_date ? f->error : NULL);
    view_textarea(b, "Note (optional)", "note", f->note, 2, REASON_MAX_CHARS, NULL, NULL);
    view_form_end(b, "Record the transfer");
    buf_append_str(b, "</section>\n");
}

static void open_transfers(struct http_request *req, struct buf *b)
{
    struct store_open_checkout *open;
    size_t n = 0;
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"waiting-heading\"><h2 id=\"waiting-heading\">"
                      "Transfers students were asked for</h2>\n");
    if (store_checkouts_open(req->db, &req->arena, "bank_transfer", STAFF_LIST_MAX, &open, &n) != DB_OK || n == 0) {
        buf_append_str(b, "<p class=\"muted\">None waiting.</p></section>\n");
        return;
    }
    buf_append_str(b, "<div class=\"table-wrap\"><table class=\"records\"><caption>Open bank transfer checkouts, "
                      "newest first</caption><thead><tr><th scope=\"col\">Reference</th><th scope=\"col\">Student"
                      "</th><th scope=\"col\">Rotation</th><th scope=\"col\">Amount</th><th scope=\"col\">Asked"
                      "</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < n; i++) {
        buf_append_str(b, "<tr><td data-label=\"Reference\"><code>");
        buf_append_html(b, open[i].checkout.reference);
        buf_append_str(b, "</code></td><td data-label=\"Student\">");
        buf_append_html(b, open[i].student_name);
        buf_append_str(b, "</td><td data-label=\"Rotation\"><a href=\"/applications/");
        buf_append_url(b, open[i].checkout.application_id);
        buf_append_str(b, "\">");
        buf_append_html(b, open[i].offering_title);
        buf_append_str(b, "</a></td><td data-label=\"Amount\">");
        view_money_amount(b, open[i].checkout.amount_cents);
        buf_append_str(b, "</td><td data-label=\"Asked\">");
        web_write_date(req, b, open[i].checkout.created_at);
        buf_append_str(b, "</td></tr>\n");
    }
    buf_append_str(b, "</tbody></table></div></section>\n");
}

static void refunds_owed(struct http_request *req, struct buf *b, const char *csrf)
{
    struct store_refund *owed;
    size_t n = 0;
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"owed-heading\"><h2 id=\"owed-heading\">"
                      "Refunds to send</h2>\n");
    if (store_refunds_owed(req->db, &req->arena, NULL, INT64_MAX, STAFF_LIST_MAX, &owed, &n) != DB_OK || n == 0) {
        buf_append_str(b, "<p class=\"muted\">Nothing owed.</p></section>\n");
        return;
    }
    buf_append_str(b, "<div class=\"table-wrap\"><table class=\"records\"><caption>Refunds owed, oldest first"
                      "</caption><thead><tr><th scope=\"col\">Student</th><th scope=\"col\">Amount</th>"
                      "<th scope=\"col\">Why</th><th scope=\"col\">How</th><th scope=\"col\">Action</th></tr>"
                      "</thead><tbody>\n");
    for (size_t i = 0; i < n; i++) {
        const struct store_refund *r = &owed[i];
        buf_append_str(b, "<tr><td data-label=\"Student\"><a href=\"/applications/");
        buf_append_url(b, r->application_id);
        buf_append_str(b, "\">");
        buf_append_html(b, r->student_name);
        buf_append_str(b, "</a> <span class=\"muted\">");
        buf_append_html(b, r->student_email);
        buf_append_str(b, "</span></td><td data-label=\"Amount\">");
        view_money_amount(b, r->amount_cents);
        buf_append_str(b, "</td><td data-label=\"Why\">");
        buf_append_html(b, r->reason);
        if (r->note != NULL && r->note[0] != '\0') {
            buf_append_str(b, ": ");
            buf_append_html(b, r->note);
        }
        buf_append_str(b, "</td><td data-label=\"How\">");
        buf_append_html(b, r->provider);
        buf_append_str(b, "</td><td data-label=\"Action\">");
        if (strcmp(r->provider, "bank_transfer") == 0 || strcmp(r->provider, "manual") == 0) {
            char action[160];
            snprintf(action, sizeof(action), "/staff/refunds/%s/sent", r->id);
            view_form_begin(b, action, csrf);
            view_form_end(b, "Mark sent");
        } else {
            buf_append_str(b, "Sent by Stripe automatically");
            if (r->last_error != NULL) {
                buf_append_str(b, "; last try: ");
                buf_append_html(b, r->last_error);
            }
        }
        buf_append_str(b, "</td></tr>\n");
    }
    buf_append_str(b, "</tbody></table></div></section>\n");
}

static void differing(struct http_request *req, struct buf *b)
{
    struct store_payment *p;
    size_t n = 0;
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"differ-heading\"><h2 id=\"differ-heading\">"
                      "Payments that differ from what was asked</h2>\n");
    if (store_payments_differing(req->db, &req->arena, STAFF_LIST_MAX, &p, &n) != DB_OK || n == 0) {
        buf_append_str(b, "<p class=\"muted\">None.</p></section>\n");
        return;
    }
    buf_append_str(b, "<div class=\"table-wrap\"><table class=\"records\"><caption>Newest first</caption><thead><tr>"
                      "<th scope=\"col\">Received</th><th scope=\"col\">Student</th><th scope=\"col\">Asked</th>"
                      "<th scope=\"col\">Received</th><th scope=\"col\">Difference</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < n; i++) {
        buf_append_str(b, "<tr><td data-label=\"Received\">");
        view_date(b, p[i].received_on);
        buf_append_str(b, " <span class=\"muted\">");
        buf_append_html(b, p[i].provider);
        buf_append_str(b, "</span></td><td data-label=\"Student\"><a href=\"/applications/");
        buf_append_url(b, p[i].application_id);
        buf_append_str(b, "\">");
        buf_append_html(b, p[i].student_name);
        buf_append_str(b, "</a></td><td data-label=\"Asked\">");
        view_money_amount(b, p[i].expected_cents);
        buf_append_str(b, "</td><td data-label=\"Received\">");
        view_money_amount(b, p[i].amount_cents);
        buf_append_str(b, "</td><td data-label=\"Difference\"><strong>");
        view_money_amount(b, p[i].amount_cents - p[i].expected_cents);
        buf_append_str(b, "</strong></td></tr>\n");
    }
    buf_append_str(b, "</tbody></table></div></section>\n");
}

static void render(struct http_request *req, int status, const char *notice, const struct transfer_form *form)
{
    struct view_page page;
    struct store_user user = {0};
    if (!web_page_setup(req, &page, "Payments (staff)", &user) || !staff_only(req, &user))
        return;
    char today[11];
    clock_today(today);
    struct transfer_form empty = {.received_on = today};
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<h1>Payments</h1>\n");
    if (notice != NULL)
        view_notice(&b, notice);
    transfer_form(&b, page.csrf_token, form != NULL ? form : &empty);
    open_transfers(req, &b);
    refunds_owed(req, &b, page.csrf_token);
    differing(req, &b);
    view_page_end(&b);
    http_reply_html(req, status, &b);
}

void web_page_staff_payments(struct http_request *req)
{
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return;
    const char *done = http_kv_get(query, "done");
    const char *notice = done == NULL                     ? NULL
                         : strcmp(done, "recorded") == 0 ? "The transfer is recorded against its booking."
                         : strcmp(done, "sent") == 0     ? "The refund is marked sent."
                                                         : NULL;
    render(req, 200, notice, NULL);
}

void web_page_staff_transfer_post(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user) || !staff_only(req, &user))
        return;
    struct transfer_form f = {http_form(req, "reference"), http_form(req, "amount"), http_form(req, "received_on"),
                              http_form(req, "note"), NULL, NULL};
    int64_t cents = cents_parse_dollars(f.amount != NULL ? f.amount : "");
    const char *note = f.note != NULL ? f.note : "";
    struct error err = {0};
    if (f.reference == NULL || f.reference[0] == '\0' || strlen(f.reference) > BANK_REFERENCE_MAX_BYTES)
        error_set(&err, ERR_VALIDATION_FAILED, "reference", "Type the reference the student quoted.");
    else if (cents <= 0)
        error_set(&err, ERR_VALIDATION_FAILED, "amount", "The amount must be in dollars, such as 899 or 899.50.");
    else if (f.received_on == NULL || !json_date_valid(f.received_on))
        error_set(&err, ERR_VALIDATION_FAILED, "received_on", "Give the date the transfer arrived.");
    else if (!utf8_valid(note, strlen(note)) || utf8_count(note, strlen(note)) > REASON_MAX_CHARS)
        error_set(&err, ERR_VALIDATION_FAILED, "note", "The note is too long.");
    else {
        struct store_payment p;
        money_record_transfer(req->db, &req->arena, &user, f.reference, cents, f.received_on, note, &p, &err);
    }
    if (err.code == ERR_NONE) {
        catalog_index_sync(req->db);
        http_redirect(req, "/staff/payments?done=recorded");
        return;
    }
    if (err.code == ERR_UNAVAILABLE) {
        http_reply_problem(req, &err);
        return;
    }
    f.error = err.detail != NULL ? err.detail : error_title(err.code);
    f.error_field = err.field != NULL && strcmp(err.field, "amount_cents") == 0 ? "amount" : err.field;
    render(req, error_status(err.code), NULL, &f);
}

void web_page_staff_refund_sent(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user) || !staff_only(req, &user))
        return;
    struct error err = {0};
    if (money_refund_mark_sent(req->db, &req->arena, &user, http_param(req, "id"), &err) != 0) {
        if (err.code == ERR_CONFLICT) {
            render(req, 409, err.detail, NULL);
            return;
        }
        http_reply_problem(req, &err);
        return;
    }
    http_redirect(req, "/staff/payments?done=sent");
}
