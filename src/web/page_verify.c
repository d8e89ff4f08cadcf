/* page_verify.c — the public check of a signed document, no account needed:
 * GET /verify/{number} says whether the document is genuine (200), revoked
 * (200, said first) or not genuine (404: no such number, a number mistyped,
 * or a signature that does not hold), with its signed facts and nothing else
 * about the person; GET /verify shows a form to type a number and, given
 * ?number=, goes to that number's page. The page of a genuine or revoked
 * number for visitors not signed in is kept (http_cache_*): a strong ETag,
 * 304 to If-None-Match, dropped on every instance when staff revoke it. */
#include <stdio.h>
#include <string.h>

#include "domain/certificates.h"
#include "lib/certificate_number.h"
#include "lib/clock.h"
#include "lib/limits.h"
#include "http/parse.h"
#include "web/web.h"

const char *const web_verify_params[] = {"number", NULL};

static void number_form(struct buf *b, const char *typed)
{
    buf_append_str(b, "<form method=\"get\" action=\"/verify\" class=\"card stack\">\n"
                      "<div class=\"field\"><label for=\"number\">Certificate number</label>"
                      "<input id=\"number\" name=\"number\" autocomplete=\"off\" spellcheck=\"false\" "
                      "placeholder=\"RC-XXXX-XXXX-XXXX-XXXX\" value=\"");
    buf_append_html(b, typed != NULL ? typed : "");
    buf_append_str(b, "\"></div>\n<button type=\"submit\">Check</button></form>\n");
}

static void write_verdict(const struct http_request *req, struct buf *b, const struct certificate_check *check)
{
    const struct store_certificate *c = &check->cert;
    if (check->verdict == CERTIFICATE_REVOKED) {
        buf_append_str(b, "<div class=\"notice error\" role=\"status\" id=\"verdict\"><p><strong>Revoked.</strong> "
                          "Rounds issued this document and revoked it on ");
        web_write_date(req, b, c->revoked_at);
        buf_append_str(b, ". It no longer certifies what it states.</p></div>\n");
        return;
    }
    buf_append_str(b, "<div class=\"notice\" role=\"status\" id=\"verdict\"><p><strong>Genuine.</strong> "
                      "Rounds issued this document on ");
    web_write_date(req, b, c->issued_at);
    buf_append_str(b, " and its signed facts are below, unchanged.</p></div>\n");
}

static void render_found(struct http_request *req, struct buf *b, const struct certificate_check *check)
{
    const struct store_certificate *c = &check->cert;
    struct certificate_fact *facts;
    size_t count = 0;
    buf_append_str(b, "<h1>");
    buf_append_html(b, certificate_heading(c->kind));
    buf_append_str(b, "</h1>\n<p class=\"lead\">Number <strong>");
    buf_append_html(b, c->number);
    buf_append_str(b, "</strong></p>\n");
    write_verdict(req, b, check);
    buf_append_str(b, "<section class=\"card\" aria-labelledby=\"facts-h\"><h2 id=\"facts-h\">What it states</h2>\n"
                      "<dl class=\"facts\">\n");
    if (certificate_facts_shown(&req->arena, c->facts, &facts, &count) == 0)
        for (size_t i = 0; i < count; i++) {
            buf_append_str(b, "<dt>");
            buf_append_html(b, facts[i].label);
            buf_append_str(b, "</dt><dd>");
            /* A date as the rest of the page writes it ("Nov 2, 2026"); the signed text is the same day. */
            char words[CLOCK_DATE_WORDS_SIZE];
            buf_append_html(b, clock_date_words(facts[i].value, words));
            buf_append_str(b, "</dd>\n");
        }
    buf_append_str(b, "</dl></section>\n<p class=\"muted\">A PDF of this document carries the same facts, signed. "
                      "Anyone can check one offline with <code>rounds certificate verify FILE.pdf --key KEY</code> "
                      "and the public key at <a href=\"/.well-known/rounds-signing-key\">"
                      "/.well-known/rounds-signing-key</a>.</p>\n");
}

static void render_not_genuine(struct buf *b, const char *typed)
{
    buf_append_str(b, "<h1>Not genuine</h1>\n<div class=\"notice error\" role=\"alert\" id=\"verdict\"><p>"
                      "<strong>Not genuine.</strong> No document issued by Rounds has the number <strong>");
    buf_append_html(b, typed);
    buf_append_str(b, "</strong>. Check the number as printed under the QR code; a document that shows it "
                      "is not one Rounds issued.</p></div>\n");
    number_form(b, typed);
}

void web_page_verify(struct http_request *req)
{
    const char *typed = http_param(req, "number");
    /* Visitors not signed in all see the same page of a number (however it
     * was typed): kept until the number is revoked (the change feed). */
    char number[CERTIFICATE_NUMBER_SIZE] = "";
    bool shared = !req->auth.authenticated && typed != NULL &&
                  certificate_number_parse(typed, strlen(typed), number);
    if ((shared && http_cache_reply(req, HTTP_CACHE_VERIFY_PAGE, number)) || http_needs_db(req))
        return;
    uint64_t generation = http_cache_generation();
    struct view_page page;
    if (!web_page_setup(req, &page, "Check a document", NULL))
        return;
    struct certificate_check check;
    struct error err = {0};
    if (certificate_check_number(req->db, &req->arena, typed, &check, &err) != 0) {
        http_reply_problem(req, &err);
        return;
    }
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    view_page_begin(&b, &page);
    if (check.verdict == CERTIFICATE_NOT_GENUINE)
        render_not_genuine(&b, typed != NULL ? typed : "");
    else
        render_found(req, &b, &check);
    view_page_end(&b);
    if (!buf_ok(&b)) {
        http_reply_error(req, ERR_INTERNAL, NULL, NULL);
        return;
    }
    if (shared && check.verdict != CERTIFICATE_NOT_GENUINE)
        http_cache_reply_and_keep(req, HTTP_CACHE_VERIFY_PAGE, number, generation, "text/html; charset=utf-8", &b);
    else
        http_reply_html(req, check.verdict == CERTIFICATE_NOT_GENUINE ? 404 : 200, &b);
}

void web_page_verify_form(struct http_request *req)
{
    struct http_kv_list *query = NULL;
    if (http_query(req, &query) != 0)
        return;
    const char *typed = http_kv_get(query, "number");
    size_t typed_len = typed != NULL ? strlen(typed) : 0;
    if (typed_len > 0) {
        char number[CERTIFICATE_NUMBER_SIZE], location[64];
        /* A number that is not one still goes to its page, which says so (404). */
        if (certificate_number_parse(typed, typed_len, number)) {
            snprintf(location, sizeof(location), "/verify/%s", number);
            http_redirect(req, location);
            return;
        }
    }
    struct view_page page;
    if (!web_page_setup(req, &page, "Check a document", NULL))
        return;
    struct buf b;
    buf_init(&b, &req->arena, BUF_CAP_FORM);
    view_page_begin(&b, &page);
    buf_append_str(&b, "<h1>Check a Rounds document</h1>\n<p class=\"lead\">Type the number printed on a "
                       "certificate or letter (or scan its QR code) to see whether Rounds issued it.</p>\n");
    if (typed_len > 0)
        view_alert(&b, "That is not a Rounds certificate number: it reads RC- and then four groups of four "
                       "letters and digits.");
    number_form(&b, NULL);
    view_page_end(&b);
    http_reply_html(req, typed_len > 0 ? 400 : 200, &b);
}
