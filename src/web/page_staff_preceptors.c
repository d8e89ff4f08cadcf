/* page_staff_preceptors.c — staff verify preceptors:
 *
 *   GET  /staff/preceptors                     every preceptor with NPI, licence (state, number,
 *                                              expiry, in words when it is past or near) and badge
 *   POST /staff/preceptors/{id}/verify         the licence's expiry date (required, in the future)
 *   POST /staff/preceptors/{id}/unverify       removes the badge
 *
 * The rules are catalog_preceptor_verify's; the jobs thread removes the badge
 * when a licence expires. Staff only: anyone else gets a 404. */
#include <stdio.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/catalog.h"
#include "domain/catalog_index.h"
#include "lib/clock.h"
#include "views/forms.h"
#include "views/money.h"
#include "web/web.h"

enum { PRECEPTORS_SHOWN = 500, LICENCE_SOON_DAYS = 30 };

const char *const web_staff_preceptors_params[] = {"done", NULL};

/* A refused verification: which preceptor, the date typed and why. */
struct verify_failure {
    const char *id, *expires, *message;
};

static void write_licence(struct buf *b, const struct store_preceptor *p)
{
    buf_append_html(b, p->license_state != NULL ? p->license_state : "");
    buf_append_char(b, ' ');
    buf_append_html(b, p->license_number != NULL ? p->license_number : "");
    buf_append_str(b, "<br>");
    if (p->license_expires == NULL || p->license_expires[0] == '\0') {
        buf_append_str(b, "<span class=\"muted\">Expiry not known</span>");
        return;
    }
    int32_t left = clock_days_from_date(p->license_expires) - clock_today_days();
    buf_append_str(b, left <= 0 ? "<strong class=\"bad\">Expired " : "Expires ");
    view_date(b, p->license_expires);
    if (left <= 0)
        buf_append_str(b, "</strong>");
    else if (left <= LICENCE_SOON_DAYS)
        buf_appendf(b, " <strong>(in %d %s)</strong>", (int)left, left == 1 ? "day" : "days");
}

static void write_row(struct buf *b, const struct store_preceptor *p, const char *csrf,
                      const struct verify_failure *failed)
{
    bool this_failed = failed != NULL && strcmp(failed->id, p->id) == 0;
    buf_append_str(b, "<tr><td data-label=\"Preceptor\"><strong>");
    buf_append_html(b, p->name);
    buf_append_str(b, "</strong><br><span class=\"muted\">");
    buf_append_html(b, p->email != NULL ? p->email : "");
    buf_append_str(b, "</span></td><td data-label=\"NPI\">");
    buf_append_html(b, p->npi);
    buf_append_str(b, "</td><td data-label=\"Licence\">");
    write_licence(b, p);
    buf_append_str(b, "</td><td data-label=\"Badge\">");
    buf_append_str(b, p->verified ? "<span class=\"badge verified\">Verified</span>"
                                  : "<span class=\"badge unverified\">Not verified</span>");
    buf_append_str(b, "</td><td data-label=\"Action\"><form class=\"stack\" method=\"post\" action=\"/staff/preceptors/");
    buf_append_url(b, p->id);
    buf_append_str(b, p->verified ? "/unverify\">" : "/verify\">");
    buf_append_str(b, "<input type=\"hidden\" name=\"csrf_token\" value=\"");
    buf_append_html(b, csrf);
    buf_append_str(b, "\">");
    if (p->verified) {
        buf_append_str(b, "<button type=\"submit\" class=\"secondary\">Remove the badge<span class=\"visually-hidden\"> of ");
        buf_append_html(b, p->name);
        buf_append_str(b, "</span></button></form></td></tr>\n");
        return;
    }
    char id[96];
    snprintf(id, sizeof(id), "expires-%s", p->id);
    view_input_id(b, id, "Licence expires on", "date", "license_expires",
                  this_failed ? failed->expires : p->license_expires, true,
                  "Checked against the state board.", this_failed ? failed->message : NULL);
    buf_append_str(b, "<button type=\"submit\">Verify NPI and licence<span class=\"visually-hidden\"> of ");
    buf_append_html(b, p->name);
    buf_append_str(b, "</span></button></form></td></tr>\n");
}

static void render(struct http_request *req, int status, const char *notice, const struct verify_failure *failed)
{
    struct view_page page;
    struct store_user user = {0};
    if (!web_page_setup(req, &page, "Verify preceptors", &user))
        return;
    if (!page.staff) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "There is no such page");
        return;
    }
    struct store_preceptor *items = NULL;
    size_t count = 0;
    if (store_preceptors_list(req->db, &req->arena, NULL, NULL, PRECEPTORS_SHOWN, &items, &count) != DB_OK) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, 2 * 1024 * 1024);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<h1>Verify preceptors</h1>\n");
    if (failed != NULL) {
        char field[96];
        snprintf(field, sizeof(field), "expires-%s", failed->id);
        struct view_field_error e = {field, failed->message};
        view_error_summary(&b, "The preceptor was not verified.", &e, 1);
    }
    if (notice != NULL)
        view_notice(&b, notice);
    buf_append_str(&b, "<p class=\"lead\">Check each physician's NPI in the NPPES registry and the licence with "
                       "the state board, then record the licence's expiry date. Students see the badge on every "
                       "rotation of the preceptor; it goes by itself when the licence expires.</p>\n");
    if (count == 0) {
        buf_append_str(&b, "<p>No preceptors yet.</p>\n");
    } else {
        buf_append_str(&b, "<div class=\"table-wrap\"><table class=\"records\"><caption>Preceptors, those without "
                           "the badge first</caption>"
                           "<thead><tr><th scope=\"col\">Preceptor</th><th scope=\"col\">NPI</th>"
                           "<th scope=\"col\">Licence</th><th scope=\"col\">Badge</th><th scope=\"col\">Action</th>"
                           "</tr></thead><tbody>\n");
        /* Those waiting for a check first, then the verified ones. */
        for (int pass = 0; pass < 2; pass++)
            for (size_t i = 0; i < count; i++)
                if (items[i].verified == (pass == 1))
                    write_row(&b, &items[i], page.csrf_token, failed);
        buf_append_str(&b, "</tbody></table></div>\n");
    }
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    http_reply_html(req, status, &b);
}

void web_page_staff_preceptors(struct http_request *req)
{
    struct http_kv_list *query;
    if (http_query(req, &query) != 0)
        return;
    const char *done = http_kv_get(query, "done");
    const char *notice = done == NULL                       ? NULL
                         : strcmp(done, "verified") == 0   ? "The preceptor is verified: the badge shows on their rotations."
                         : strcmp(done, "unverified") == 0 ? "The badge is removed from the preceptor's rotations."
                                                           : NULL;
    render(req, 200, notice, NULL);
}

void web_page_staff_preceptor_action(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    const char *action = http_param(req, "action");
    bool verify = strcmp(action, "verify") == 0;
    if (!account_has_role(&user, ROLE_STAFF) || (!verify && strcmp(action, "unverify") != 0)) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "There is no such page");
        return;
    }
    const char *id = http_param(req, "id");
    const char *expires = verify ? http_form(req, "license_expires") : NULL;
    struct error err = {0};
    if (verify && (expires == NULL || expires[0] == '\0')) {
        struct verify_failure f = {id, "", "Enter the date the licence expires."};
        render(req, 400, NULL, &f);
        return;
    }
    if (catalog_preceptor_verify(req->db, id, verify, expires, &err) != 0) {
        if (err.code == ERR_NOT_FOUND) {
            http_reply_error(req, ERR_NOT_FOUND, NULL, "There is no such preceptor");
            return;
        }
        if (error_status(err.code) >= 500) {
            http_reply_error(req, err.code, NULL, NULL);
            return;
        }
        struct buf m;
        buf_init(&m, &req->arena, 256);
        buf_append_str(&m, "Licence expiry: ");
        buf_append_str(&m, err.detail != NULL ? err.detail : error_title(err.code));
        buf_append_char(&m, '.');
        struct verify_failure f = {id, expires, buf_ok(&m) ? m.data : "The date is not valid."};
        render(req, error_status(err.code), NULL, &f);
        return;
    }
    catalog_index_sync(req->db); /* the badge shows in search at once */
    http_redirect(req, verify ? "/staff/preceptors?done=verified" : "/staff/preceptors?done=unverified");
}
