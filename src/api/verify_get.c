/* verify_get.c — the public side of signed documents, no account needed:
 * GET /api/v1/verify/{number} → 200 {"number","status":"genuine"|"revoked",
 * "kind","issued_at","revoked_at","facts"} or 404 problem+json ("not genuine")
 * for a number that is not one, is unknown, or whose signature does not hold
 * (a 200 is kept like the page: strong ETag, dropped when revoked);
 * GET /.well-known/rounds-signing-key → the Ed25519 public key as PEM. */
#include <string.h>

#include "api/certificates_api.h"

#include "lib/certificate_number.h"
#include "lib/limits.h"
#include "lib/signed_document.h"

void api_verify_get(struct http_request *req)
{
    const char *typed = http_param(req, "number");
    char number[CERTIFICATE_NUMBER_SIZE] = "";
    bool parsed = typed != NULL && certificate_number_parse(typed, strlen(typed), number);
    if ((parsed && http_cache_reply(req, HTTP_CACHE_VERIFY_JSON, number)) || http_needs_db(req))
        return;
    uint64_t generation = http_cache_generation();
    struct certificate_check check;
    struct error err = {0};
    if (certificate_check_number(req->db, &req->arena, typed, &check, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_OBJECT);
    if (check.verdict == CERTIFICATE_NOT_GENUINE) {
        http_reply_error(req, ERR_NOT_FOUND, NULL, "not genuine: no Rounds document has this number");
        return;
    }
    const struct store_certificate *c = &check.cert;
    struct certificate_fact *facts;
    size_t count = 0;
    buf_append_str(&b, "{\"number\":");
    buf_append_json_string(&b, c->number);
    buf_append_str(&b, ",\"status\":");
    buf_append_json_string(&b, check.verdict == CERTIFICATE_REVOKED ? "revoked" : "genuine");
    buf_append_str(&b, ",\"kind\":");
    buf_append_json_string(&b, c->kind);
    api_write_instant(&b, "issued_at", c->issued_at);
    api_write_instant(&b, "revoked_at", c->revoked_at);
    buf_append_str(&b, ",\"facts\":{");
    if (certificate_facts_shown(&req->arena, c->facts, &facts, &count) == 0)
        for (size_t i = 0; i < count; i++) {
            if (i > 0)
                buf_append_char(&b, ',');
            buf_append_json_string(&b, facts[i].name);
            buf_append_char(&b, ':');
            buf_append_json_string(&b, facts[i].value);
        }
    buf_append_str(&b, "}}");
    /* The same for everyone who asks: kept until the number is revoked. */
    if (parsed)
        http_cache_reply_and_keep(req, HTTP_CACHE_VERIFY_JSON, number, generation, "application/json; charset=utf-8",
                                  &b);
    else
        http_reply_json(req, 200, &b);
}

void api_signing_key(struct http_request *req)
{
    if (!signing_ready()) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, "no signing key is loaded");
        return;
    }
    unsigned char key[SIGNING_PUBLIC_KEY_BYTES];
    char pem[SIGNING_PEM_SIZE];
    signing_public_key(key);
    signing_public_pem(key, pem);
    http_reply(req, 200, "application/x-pem-file", pem, strlen(pem));
}
