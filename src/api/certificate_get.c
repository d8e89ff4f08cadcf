/* certificate_get.c — a person's signed documents: GET /api/v1/certificates
 * (the caller's own), GET /api/v1/certificates/{number} and its PDF at
 * …/{number}/pdf (its holder, the host side of its rotation, staff; 404 for
 * anyone else and for a number that is not one). */
#include <stdio.h>

#include "api/certificates_api.h"

#include "lib/limits.h"

void api_certificates_list(struct http_request *req)
{
    struct store_user user;
    struct api_pager pager;
    if (api_current_user(req, &user) != 0 || api_pager_start(req, &pager, "certificates", "Ns") != 0)
        return;
    struct store_certificate *items;
    size_t count = 0;
    struct error err = {0};
    /* a page and one more, after the cursor's certificate, as the store orders them */
    if (certificate_list_for(req->db, &req->arena, &user, pager.cursor.parts[0].n,
                             pager.has_cursor ? pager.cursor.id : NULL, pager.page.limit + 1, &items, &count,
                             &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    api_pager_paged_in_store(&pager);
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_LIST);
    buf_append_str(&b, "{\"items\":[");
    for (size_t i = 0; i < count; i++) {
        if (!api_pager_take_keyed(&pager, &b, items[i].number, API_KEY({.n = items[i].issued_at})))
            continue;
        api_write_certificate(&b, &req->arena, &items[i]);
    }
    if (api_pager_finish(req, &pager, &b) != 0)
        return;
    http_reply_json(req, 200, &b);
}

static int load(struct http_request *req, struct store_certificate *cert)
{
    struct store_user user;
    if (api_current_user(req, &user) != 0)
        return -1;
    struct error err = {0};
    if (certificate_get_for(req->db, &req->arena, http_param(req, "number"), &user, cert, &err) != 0) {
        http_reply_problem(req, &err);
        return -1;
    }
    return 0;
}

void api_certificate_get(struct http_request *req)
{
    struct store_certificate cert;
    if (load(req, &cert) != 0)
        return;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    api_write_certificate(&b, &req->arena, &cert);
    http_reply_json(req, 200, &b);
}

void api_certificate_pdf(struct http_request *req)
{
    struct store_certificate cert;
    if (load(req, &cert) != 0)
        return;
    unsigned char *pdf = NULL;
    size_t len = 0;
    if (certificate_pdf(&req->arena, &cert, &pdf, &len) != 0) {
        http_reply_error(req, ERR_INTERNAL, NULL, "the PDF could not be drawn");
        return;
    }
    char name[64];
    snprintf(name, sizeof(name), "%s.pdf", cert.number);
    http_reply_file(req, "application/pdf", name, false, (const char *)pdf, len);
}
