/* page_apply.c — POST /offerings/{id}/apply: the offering page's "Apply" form
 * (a start date and a statement). A signed-in student gets the new
 * application's page; a refusal (not eligible, already applied, full,
 * started) shows the offering page again with the reason in plain words and
 * what they typed, with every problem of the fields at once, each next to
 * its field. Anonymous visitors are sent to /login by the route. */
#include <ctype.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/applications.h"
#include "lib/limits.h"
#include "web/web.h"

enum { APPLY_DOCUMENTS_MAX = 50 };

/* "this block is full" → "This block is full." */
static const char *sentence(struct arena *arena, const char *detail)
{
    size_t n = strlen(detail);
    char *s = arena_alloc(arena, n + 2);
    if (s == NULL)
        return detail;
    memcpy(s, detail, n);
    if (n > 0)
        s[0] = (char)toupper((unsigned char)s[0]);
    s[n] = n > 0 && s[n - 1] == '.' ? '\0' : '.';
    s[n + 1] = '\0';
    return s;
}

/* The refusal of application_submit in the words a student reads: about
 * the start date chosen, or (eligibility, documents) the whole form. */
static void explain(struct arena *arena, const struct error *err, struct web_apply_form *form)
{
    if (err->field != NULL && strcmp(err->field, "eligibility") == 0) {
        form->error = "Your profile does not meet this rotation's rules: its student or graduate status, USMLE "
                      "Step 1, visa, years since graduation or English proficiency. Check \"Who can apply\" below and "
                      "update your profile if it is out of date.";
        form->profile_link = true;
        return;
    }
    if (err->field != NULL && strcmp(err->field, "document_ids") == 0) {
        form->error = "One of the documents you ticked is no longer in your wallet. Reload the page and try again.";
        return;
    }
    const char *why;
    switch (err->code) {
    case ERR_BLOCK_NO_SEAT:
        why = "This start date is full: no seat is left. Choose another date.";
        break;
    case ERR_BLOCK_STARTED:
        why = "This start date has passed: the rotation has already begun. Choose a later date.";
        break;
    case ERR_ALREADY_APPLIED:
        why = "You have already applied for this start date. Your application is listed above.";
        break;
    case ERR_AFFILIATION_REQUIRED:
        why = "This rotation is only open to students of schools with an active affiliation agreement with its "
              "host covering the whole rotation, and your school has none for this start date. Ask your school's "
              "coordinator, or choose another rotation.";
        break;
    case ERR_BOOKING_OVERLAP:
        why = "You already have a rotation booked at the same time. Choose a date that does not overlap.";
        break;
    default:
        why = err->detail != NULL ? sentence(arena, err->detail) : error_title(err->code);
        break;
    }
    web_form_error_add(&form->fields, "block_id", why);
}

/* Every problem of the fields sent (application_form_problems, and a start
 * date of another rotation), each in words next to its field; false after
 * replying when the database fails. */
static bool check_fields(struct http_request *req, const char *offering_id, struct web_apply_form *form)
{
    struct error problems[APPLICATION_FORM_FIELDS];
    size_t count = application_form_problems(form->block_id, form->statement, problems, APPLICATION_FORM_FIELDS);
    bool block_missing = false;
    for (size_t i = 0; i < count; i++) {
        if (strcmp(problems[i].field, "block_id") == 0) {
            block_missing = true;
            web_form_error_add(&form->fields, "block_id", "Choose a start date.");
        } else {
            web_form_error_add(&form->fields, "statement",
                               "Shorten your statement to at most " LIMIT_TEXT(STATEMENT_MAX_CHARS)
                               " characters of plain text.");
        }
    }
    if (block_missing)
        return true;
    /* The block must be one of this offering's: the form names both. */
    struct store_block block;
    int rc = store_block_get(req->db, &req->arena, form->block_id, &block);
    if (rc != DB_ROW && rc != DB_DONE) {
        http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
        return false;
    }
    if (rc == DB_DONE || strcmp(block.offering_id, offering_id) != 0) {
        web_form_error_add(&form->fields, "block_id",
                           "This start date is not one of this rotation's. Choose one of the dates below.");
        form->block_id = NULL;
    }
    return true;
}

void web_page_apply_post(struct http_request *req)
{
    const char *offering_id = http_param(req, "id");
    struct store_user user;
    if (!web_signed_in_user(req, &user))
        return;
    if (!account_has_role(&user, ROLE_STUDENT)) {
        http_reply_error(req, ERR_FORBIDDEN, NULL,
                         "Only student accounts apply for rotations, and the account you are signed in with is "
                         "not a student account");
        return;
    }
    struct web_apply_form form = {.block_id = http_form(req, "block_id"), .statement = http_form(req, "statement")};
    if (!check_fields(req, offering_id, &form))
        return;
    if (form.fields.count > 0) {
        web_offering_render(req, 422, offering_id, &form);
        return;
    }
    /* The wallet documents ticked (a repeated field). */
    const char *document_ids[APPLY_DOCUMENTS_MAX];
    size_t document_count = 0;
    for (size_t i = 0; i < req->form.count; i++) {
        if (strcmp(req->form.items[i].name, "document_ids") != 0 || req->form.items[i].value[0] == '\0')
            continue;
        if (document_count == APPLY_DOCUMENTS_MAX) {
            http_reply_error(req, ERR_VALIDATION_FAILED, "document_ids", "share at most 50 documents");
            return;
        }
        document_ids[document_count++] = req->form.items[i].value;
    }
    struct store_application a = {0};
    struct error err = {0};
    if (application_submit(req->db, &req->arena, &user, form.block_id, form.statement != NULL ? form.statement : "",
                           document_ids, document_count, &a, &err) != 0) {
        if (err.code == ERR_EMAIL_UNCONFIRMED) {
            form.error = "Confirm your email address before you apply: open the link we emailed you, or ask for "
                         "a new one below.";
            web_offering_render(req, 403, offering_id, &form);
            return;
        }
        if (!error_is(err.code, ERR_UNPROCESSABLE) && err.code != ERR_AFFILIATION_REQUIRED) {
            http_reply_problem(req, &err);
            return;
        }
        explain(&req->arena, &err, &form);
        web_offering_render(req, 422, offering_id, &form);
        return;
    }
    web_redirect_done(req, "/applications/", a.id, "submit");
}
