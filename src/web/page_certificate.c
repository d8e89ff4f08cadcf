/* page_certificate.c — the certificate of completion on the application
 * page: a panel (web_certificate_panel) that offers to issue it once the
 * rotation is completed and then links its PDF and its public page;
 * POST /applications/{id}/certificate issues it (its student, the host side,
 * staff) and comes back; GET /certificates/{number}/pdf downloads it (its
 * holder, the host side of its rotation, staff; 404 for anyone else). */
#include <stdio.h>
#include <string.h>

#include "domain/applications.h"
#include "domain/certificates.h"
#include "domain/visa_letters.h"
#include "lib/limits.h"
#include "web/web.h"

void web_certificate_panel(struct http_request *req, struct buf *b, const struct store_application *a,
                           const struct store_user *user, const char *csrf_token)
{
    enum application_status status = application_status_of(a);
    if ((status == APPLICATION_BOOKED || status == APPLICATION_CLEARED || status == APPLICATION_IN_PROGRESS) &&
        visa_letter_visible_to(a, user)) {
        buf_append_str(b, "<section class=\"card\" aria-labelledby=\"visa-h\"><h2 id=\"visa-h\">Visa</h2>\n"
                          "<p><a href=\"/applications/");
        buf_append_url(b, a->id);
        buf_append_str(b, "/visa-letter\">B-1 visa invitation letter</a>: a signed letter for the U.S. "
                          "consulate.</p></section>\n");
    }
    if (status != APPLICATION_COMPLETED)
        return;
    struct store_certificate cert;
    int64_t minutes = 0;
    int rc = certificate_of_application(req->db, &req->arena, a->id, &cert);
    buf_append_str(b, "<section class=\"card certificate\" aria-labelledby=\"certificate-h\">"
                      "<h2 id=\"certificate-h\">Certificate of completion</h2>\n");
    if (rc == DB_ROW) {
        buf_append_str(b, "<p>Number <strong class=\"certificate-number\">");
        buf_append_html(b, cert.number);
        buf_append_str(b, "</strong>");
        if (cert.revoked_at != 0)
            buf_append_str(b, " <span class=\"badge unverified\">Revoked</span>");
        buf_append_str(b, "</p>\n<p><a href=\"/certificates/");
        buf_append_url(b, cert.number);
        buf_append_str(b, "/pdf\">Download the certificate (PDF)</a></p>\n<p><a href=\"/verify/");
        buf_append_url(b, cert.number);
        buf_append_str(b, "\">Its public page</a>: anyone with the number can check it there.</p>\n");
    } else if (rc == DB_DONE && (certificate_confirmed_minutes(req->db, &req->arena, a->id, &minutes) != 0 ||
                                 minutes <= 0)) {
        buf_append_str(b, "<p>The certificate states the confirmed hours: it can be issued once the preceptor has "
                          "confirmed hours in the <a href=\"/rotations/");
        buf_append_url(b, a->id);
        buf_append_str(b, "/hours\">hours log</a>.</p>\n");
    } else if (rc == DB_DONE) {
        char hours[32];
        buf_append_str(b, "<p>The rotation is completed with ");
        buf_append_html(b, certificate_hours_text(minutes, hours, sizeof(hours)));
        buf_append_str(b, " confirmed hours.</p>\n");
        buf_append_str(b, "<p>Rounds can issue a signed certificate that residency "
                          "programs can check.</p>\n<form method=\"post\" action=\"/applications/");
        buf_append_url(b, a->id);
        buf_append_str(b, "/certificate\"><input type=\"hidden\" name=\"csrf_token\" value=\"");
        buf_append_html(b, csrf_token);
        buf_append_str(b, "\"><button type=\"submit\">Issue the certificate</button></form>\n");
    } else {
        view_alert(b, "The certificate could not be loaded. Reload the page in a moment.");
    }
    buf_append_str(b, "</section>\n");
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"after-h\"><h2 id=\"after-h\">Evaluation and "
                      "review</h2>\n<ul><li><a href=\"/applications/");
    buf_append_url(b, a->id);
    buf_append_str(b, "/evaluation\">The preceptor's evaluation</a></li>\n");
    if (req->auth.user_id != NULL && strcmp(a->student_id, req->auth.user_id) == 0) {
        buf_append_str(b, "<li><a href=\"/applications/");
        buf_append_url(b, a->id);
        buf_append_str(b, "/rotation-review\">Review the rotation, and evaluate it in confidence</a></li>\n");
    }
    buf_append_str(b, "</ul></section>\n");
}

void web_page_certificate_issue(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    const char *id = http_param(req, "id");
    struct store_certificate cert;
    bool created = false;
    struct error err = {0};
    if (certificate_issue_completion(req->db, &req->arena, id, &user, &cert, &created, &err) != 0) {
        if (err.code == ERR_NOT_FOUND)
            err.detail = "This application does not exist, or it is not yours to see";
        else if (err.code == ERR_ROTATION_NOT_COMPLETED)
            err.detail = "A certificate is issued once the rotation is completed";
        else if (err.code == ERR_HOURS_NOT_CONFIRMED)
            err.detail = "A certificate is issued once the preceptor has confirmed hours in the hours log";
        http_reply_problem(req, &err);
        return;
    }
    web_redirect_done(req, "/applications/", id, "certificate");
}

void web_page_certificate_pdf(struct http_request *req)
{
    struct store_user user;
    if (!web_current_user(req, &user))
        return;
    struct store_certificate cert;
    struct error err = {0};
    if (certificate_get_for(req->db, &req->arena, http_param(req, "number"), &user, &cert, &err) != 0) {
        if (err.code == ERR_NOT_FOUND)
            err.detail = "There is no such certificate, or it is not yours to see";
        http_reply_problem(req, &err);
        return;
    }
    unsigned char *pdf = NULL;
    size_t len = 0;
    if (certificate_pdf(&req->arena, &cert, &pdf, &len) != 0) {
        http_reply_error(req, ERR_INTERNAL, NULL, "The PDF could not be drawn");
        return;
    }
    char name[64];
    snprintf(name, sizeof(name), "%s.pdf", cert.number);
    http_reply_file(req, "application/pdf", name, false, (const char *)pdf, len);
}
