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
#include "lib/limits.h"
#include "web/web.h"

void web_certificate_panel(struct http_request *req, struct buf *b, const struct store_application *a,
                           const char *csrf_token)
{
    if (application_status_of(a) != APPLICATION_COMPLETED)
        return;
    struct store_certificate cert;
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
    } else if (rc == DB_DONE) {
        buf_append_str(b, "<p>The rotation is completed: Rounds can issue a signed certificate that residency "
                          "programs can check.</p>\n<form method=\"post\" action=\"/applications/");
        buf_append_url(b, a->id);
        buf_append_str(b, "/certificate\"><input type=\"hidden\" name=\"csrf_token\" value=\"");
        buf_append_html(b, csrf_token);
        buf_append_str(b, "\"><button type=\"submit\">Issue the certificate</button></form>\n");
    } else {
        view_alert(b, "The certificate could not be loaded. Reload the page in a moment.");
    }
    buf_append_str(b, "</section>\n");
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
