/* page_letter_author.c — staff confirm who wrote a letter asked by name and
 * email (letter_confirm_author):
 *
 *   POST /staff/letters/{id}/author {npi}   staff only; back to the letter's page, which then shows
 *                                           "U.S. physician, verified"
 *
 * The form lives on the letter's page (web_letter_author_form); when the NPI
 * is refused it comes back here with what was typed and the error linked to
 * the field. */
#include <string.h>

#include "domain/accounts.h"
#include "domain/letters.h"
#include "lib/limits.h"
#include "web/web.h"

void web_letter_author_form(struct buf *b, const struct store_letter *l, const char *csrf, const char *npi,
                            const char *error)
{
    buf_append_str(b, "<h3>Confirm the author</h3><p>This letter was asked by name and email, so it does not count "
                      "as from a U.S. physician until staff confirm who wrote it. Check the letterhead and the "
                      "signature against the NPI registry, then give the NPI of the verified preceptor who wrote "
                      "it.</p>\n");
    if (error != NULL)
        view_alert(b, error);
    buf_append_str(b, "<form class=\"stack\" method=\"post\" action=\"/staff/letters/");
    buf_append_url(b, l->id);
    buf_append_str(b, "/author\">\n<input type=\"hidden\" name=\"csrf_token\" value=\"");
    buf_append_html(b, csrf);
    buf_append_str(b, "\">\n");
    view_input(b, "NPI of the author", "text", "npi", npi, "off", true, "10 digits.", error);
    buf_append_str(b, "<button type=\"submit\">Confirm the author</button></form>\n");
}

/* The form again, alone, with what was typed and why it was refused. */
static void render_refused(struct http_request *req, int status, const struct store_letter *l, const char *npi,
                           const char *error)
{
    struct view_page page;
    if (!web_page_setup(req, &page, "Confirm the author", NULL))
        return;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<p class=\"back\"><a href=\"/letters/");
    buf_append_url(&b, l->id);
    buf_append_str(&b, "\">Back to the letter</a></p>\n<section class=\"card narrow\"><h1>Letter from ");
    buf_append_html(&b, l->author_name);
    buf_append_str(&b, "</h1>\n<p>Asked of ");
    buf_append_html(&b, l->author_email);
    buf_append_str(&b, " by ");
    buf_append_html(&b, l->student_name);
    buf_append_str(&b, ".</p>\n");
    web_letter_author_form(&b, l, page.csrf_token, npi, error);
    buf_append_str(&b, "</section>\n");
    view_page_end(&b);
    http_reply_html(req, status, &b);
}

void web_page_letter_author(struct http_request *req)
{
    const char *id = http_param(req, "id");
    const char *npi = http_form(req, "npi");
    struct store_user user = {0};
    struct view_page page;
    if (!web_page_setup(req, &page, "Confirm the author", &user))
        return;
    struct store_letter l;
    struct error err = {0};
    if (letter_confirm_author(req->db, &req->arena, id, &user, npi != NULL ? npi : "", &l, &err) == 0) {
        web_redirect_done(req, "/letters/", l.id, "author-confirmed");
        return;
    }
    if (err.code == ERR_NOT_FOUND || error_status(err.code) >= 500) {
        http_reply_error(req, err.code == ERR_NOT_FOUND ? ERR_NOT_FOUND : ERR_UNAVAILABLE, NULL, NULL);
        return;
    }
    if (letter_get_visible(req->db, &req->arena, id, &user, &l, &err) != 0) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, NULL);
        return;
    }
    const char *message = err.code == ERR_CONFLICT ? "This letter was asked of one of the student's preceptors: "
                                                     "its author is known already."
                          : err.code == ERR_UNPROCESSABLE ? "No verified preceptor has this NPI. Verify the "
                                                            "preceptor first, or check the number."
                                                          : "An NPI has 10 digits and a valid check digit.";
    render_refused(req, error_status(err.code), &l, npi, message);
}
