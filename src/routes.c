/* routes.c — every path the server answers, in one table: method, pattern,
 * handler, what the pipeline checks first (flags), the body cap when it
 * differs from the 1 MiB default, the query parameters it takes (any other
 * is refused with 400 before the handler runs), the form fields that may hold
 * line breaks (every other text field of a form is one line), and a summary
 * for OpenAPI. */
#include "routes.h"

#include "api/api.h"
#include "api/applications_api.h"
#include "api/documents_api.h"
#include "api/letters_api.h"
#include "domain/catalog_index.h"
#include "web/web.h"

#define KIB(n) ((size_t)(n) * 1024)
/* ROUTE(methods, pattern, handler, flags, .max_body = …, .query = …, .summary = …) */
#define ROUTE(m, p, h, f, ...) {.methods = (m), .pattern = (p), .handler = (h), .flags = (f), __VA_ARGS__}

/* The list endpoints' query parameters. */
static const char *const catalog_list_params[] = {"organization_id", "limit", "cursor", NULL};
static const char *const organization_list_params[] = {"kind", "limit", "cursor", NULL};
static const char *const host_new_params[] = {"organization_id", NULL};
static const char *const host_edit_params[] = {"saved", NULL};

/* The multi-line fields (textareas) of the pages' forms. */
static const char *const offering_text_fields[] = {"description", "first_day", "cancellation_policy", NULL};
static const char *const reason_field[] = {"reason", NULL};
static const char *const statement_field[] = {"statement", NULL};
static const char *const note_field[] = {"note", NULL};

const struct route rounds_routes[] = {
    /* health */
    ROUTE(HTTP_GET, "/healthz", api_healthz, ROUTE_JSON | ROUTE_MEMORY, .summary = "The process is up"),
    ROUTE(HTTP_GET, "/readyz", api_readyz, ROUTE_JSON, .summary = "The database answers"),
    ROUTE(HTTP_GET, "/api/v1/openapi.json", api_openapi, ROUTE_JSON | ROUTE_MEMORY, .summary = "This document"),
    /* accounts */
    ROUTE(HTTP_POST, "/api/v1/auth/register", api_auth_register, ROUTE_JSON, .max_body = KIB(16), .summary = "Create a student account and sign in"),
    ROUTE(HTTP_POST, "/api/v1/auth/login", api_auth_login, ROUTE_JSON, .max_body = KIB(16), .summary = "Sign in"),
    ROUTE(HTTP_POST, "/api/v1/auth/password-reset", api_auth_password_reset, ROUTE_JSON, .max_body = KIB(4),
          .summary = "Email a single-use link to choose a new password (the same answer for any address)"),
    ROUTE(HTTP_POST, "/api/v1/auth/password-reset/confirm", api_auth_password_reset_confirm, ROUTE_JSON,
          .max_body = KIB(4), .summary = "Set a new password with the emailed token; every session ends"),
    ROUTE(HTTP_POST, "/api/v1/auth/logout", api_auth_logout, ROUTE_JSON | ROUTE_AUTH, .max_body = KIB(1), .summary = "End the session"),
    ROUTE(HTTP_GET, "/api/v1/me", api_me_get, ROUTE_JSON | ROUTE_AUTH, .summary = "The signed-in user"),
    ROUTE(HTTP_PATCH, "/api/v1/me", api_me_patch, ROUTE_JSON | ROUTE_AUTH, .max_body = KIB(16), .summary = "Update the student profile"),
    ROUTE(HTTP_POST, "/api/v1/users", api_users_post, ROUTE_JSON | ROUTE_AUTH, .max_body = KIB(16), .summary = "Create a user of any role (staff)"),
    /* catalog */
    ROUTE(HTTP_GET, "/api/v1/offerings", api_offerings_search, ROUTE_JSON | ROUTE_MEMORY, .query = catalog_query_params,
          .summary = "Search offerings with filters, facets and a cursor"),
    ROUTE(HTTP_GET, "/api/v1/offerings/{id}", api_offering_get, ROUTE_JSON | ROUTE_MEMORY, .summary = "One offering with its blocks"),
    ROUTE(HTTP_POST, "/api/v1/offerings", api_offerings_post, ROUTE_JSON | ROUTE_AUTH, .max_body = KIB(64),
          .summary = "Create an offering (host coordinator of its host, or staff)"),
    ROUTE(HTTP_PATCH, "/api/v1/offerings/{id}", api_offering_patch, ROUTE_JSON | ROUTE_AUTH, .max_body = KIB(64),
          .summary = "Change the fields sent of an offering"),
    ROUTE(HTTP_POST, "/api/v1/offerings/{id}/blocks", api_blocks_post, ROUTE_JSON | ROUTE_AUTH, .max_body = KIB(16),
          .summary = "Add a block (start, end, seats) to an offering"),
    ROUTE(HTTP_PATCH, "/api/v1/blocks/{id}", api_block_patch, ROUTE_JSON | ROUTE_AUTH, .max_body = KIB(16),
          .summary = "Change a block's dates or seats"),
    ROUTE(HTTP_GET, "/api/v1/specialties", api_specialties_get, ROUTE_JSON | ROUTE_MEMORY, .summary = "The reference list of specialties"),
    ROUTE(HTTP_GET, "/api/v1/organizations", api_organizations_get, ROUTE_JSON | ROUTE_AUTH, .query = organization_list_params,
          .summary = "Organisations: all (staff) or the caller's own"),
    ROUTE(HTTP_POST, "/api/v1/organizations", api_organizations_post, ROUTE_JSON | ROUTE_AUTH, .max_body = KIB(16),
          .summary = "Create a host or school organisation (staff)"),
    ROUTE(HTTP_GET, "/api/v1/sites", api_sites_get, ROUTE_JSON | ROUTE_AUTH, .query = catalog_list_params,
          .summary = "Sites of the organisations the caller manages"),
    ROUTE(HTTP_POST, "/api/v1/sites", api_sites_post, ROUTE_JSON | ROUTE_AUTH, .max_body = KIB(16),
          .summary = "Create a site of a host"),
    ROUTE(HTTP_GET, "/api/v1/sites/{id}", api_site_get, ROUTE_JSON | ROUTE_AUTH, .summary = "One site"),
    ROUTE(HTTP_PATCH, "/api/v1/sites/{id}", api_site_patch, ROUTE_JSON | ROUTE_AUTH, .max_body = KIB(16),
          .summary = "Change the fields sent of a site"),
    ROUTE(HTTP_GET, "/api/v1/preceptors", api_preceptors_get, ROUTE_JSON | ROUTE_AUTH, .query = catalog_list_params,
          .summary = "Preceptors of the organisations the caller manages"),
    ROUTE(HTTP_POST, "/api/v1/preceptors", api_preceptors_post, ROUTE_JSON | ROUTE_AUTH, .max_body = KIB(16),
          .summary = "Register a preceptor of a host (NPI checked)"),
    ROUTE(HTTP_GET, "/api/v1/preceptors/{id}", api_preceptor_get, ROUTE_JSON | ROUTE_AUTH, .summary = "One preceptor"),
    ROUTE(HTTP_POST, "/api/v1/preceptors/{id}/verify", api_preceptor_verify, ROUTE_JSON | ROUTE_AUTH, .max_body = KIB(16),
          .summary = "Mark a preceptor verified (staff)"),
    ROUTE(HTTP_POST, "/api/v1/preceptors/{id}/invitations", api_preceptor_invitations_post, ROUTE_JSON | ROUTE_AUTH,
          .max_body = KIB(1), .summary = "Mail the preceptor a link to link their own account to the record"),
    ROUTE(HTTP_POST, "/api/v1/preceptor-invitations/accept", api_preceptor_invitation_accept, ROUTE_JSON | ROUTE_AUTH,
          .max_body = KIB(1), .summary = "Link the signed-in account to the preceptor record of an invitation {token}"),
    /* applications and bookings */
    ROUTE(HTTP_POST, "/api/v1/applications", api_applications_post, ROUTE_JSON | ROUTE_AUTH, .max_body = KIB(16),
          .summary = "Apply for a block (Idempotency-Key)"),
    ROUTE(HTTP_GET, "/api/v1/applications", api_applications_list, ROUTE_JSON | ROUTE_AUTH,
          .query = api_applications_list_params, .summary = "Applications the caller may see"),
    ROUTE(HTTP_GET, "/api/v1/applications/{id}", api_application_get, ROUTE_JSON | ROUTE_AUTH,
          .summary = "One application with its history"),
    /* documents and compliance (before the application actions: /documents is not an action) */
    ROUTE(HTTP_GET, "/api/v1/applications/{id}/compliance", api_application_compliance, ROUTE_JSON | ROUTE_AUTH,
          .summary = "Each onboarding requirement of an application with its state and the document meeting it"),
    ROUTE(HTTP_POST, "/api/v1/applications/{id}/documents", api_application_documents_post, ROUTE_JSON | ROUTE_AUTH,
          .max_body = KIB(16), .summary = "Attach wallet documents to an application (its student)"),
    ROUTE(HTTP_POST, "/api/v1/documents", api_documents_post, ROUTE_JSON | ROUTE_AUTH | ROUTE_UPLOAD,
          .summary = "Upload a document to the wallet (multipart: file, kind, issued_on, expires_on, replaces)"),
    ROUTE(HTTP_GET, "/api/v1/documents", api_documents_list, ROUTE_JSON | ROUTE_AUTH, .query = api_documents_list_params,
          .summary = "The caller's wallet; for staff, documents by state or student (the verification queue)"),
    ROUTE(HTTP_GET, "/api/v1/documents/{id}", api_document_get, ROUTE_JSON | ROUTE_AUTH,
          .summary = "One document with its older versions"),
    ROUTE(HTTP_DELETE, "/api/v1/documents/{id}", api_document_delete, ROUTE_JSON | ROUTE_AUTH,
          .summary = "Delete a document and its history (its student)"),
    ROUTE(HTTP_GET, "/api/v1/documents/{id}/file", api_document_file, ROUTE_JSON | ROUTE_AUTH,
          .query = api_document_file_params, .summary = "The document's file (audited)"),
    ROUTE(HTTP_POST, "/api/v1/documents/{id}/verify", api_document_verify, ROUTE_JSON | ROUTE_AUTH, .max_body = KIB(4),
          .summary = "Mark a document verified (staff)"),
    ROUTE(HTTP_POST, "/api/v1/documents/{id}/reject", api_document_reject, ROUTE_JSON | ROUTE_AUTH, .max_body = KIB(4),
          .summary = "Reject a document with a reason (staff)"),
    ROUTE(HTTP_GET, "/api/v1/requirements", api_requirements_list, ROUTE_JSON | ROUTE_AUTH,
          .query = api_requirements_list_params, .summary = "Requirements of a host or an offering"),
    ROUTE(HTTP_POST, "/api/v1/requirements", api_requirements_post, ROUTE_JSON | ROUTE_AUTH, .max_body = KIB(4),
          .summary = "Require a document kind for a host or one offering (host coordinator or staff)"),
    ROUTE(HTTP_DELETE, "/api/v1/requirements/{id}", api_requirement_delete, ROUTE_JSON | ROUTE_AUTH,
          .summary = "Remove a requirement"),
    ROUTE(HTTP_POST, "/api/v1/applications/{id}/{action}", api_application_action, ROUTE_JSON | ROUTE_AUTH,
          .max_body = KIB(4), .summary = "Take an action on an application (Idempotency-Key)"),
    /* letters of recommendation and readiness */
    ROUTE(HTTP_POST, "/api/v1/letters", api_letters_post, ROUTE_JSON | ROUTE_AUTH, .max_body = KIB(8),
          .summary = "Request a letter of recommendation (the author gets an invitation link)"),
    ROUTE(HTTP_GET, "/api/v1/letters", api_letters_list, ROUTE_JSON | ROUTE_AUTH, .query = api_letters_list_params,
          .summary = "The student's requests, the letters asked of an author, or (staff) all or overdue ones"),
    ROUTE(HTTP_GET, "/api/v1/letters/{id}", api_letter_get, ROUTE_JSON,
          .summary = "One letter request (its student, its author by account or X-Invitation-Token, staff)"),
    ROUTE(HTTP_PATCH, "/api/v1/letters/{id}", api_letter_patch, ROUTE_JSON | ROUTE_AUTH, .max_body = KIB(4),
          .summary = "The student adds the ERAS Letter ID or waives the right to see the letter"),
    ROUTE(HTTP_POST, "/api/v1/letters/{id}/upload", api_letter_upload, ROUTE_JSON | ROUTE_UPLOAD,
          .max_body = LETTER_MAX_BYTES + UPLOAD_OVERHEAD,
          .summary = "Upload the letter (the author; multipart PDF of at most 1 MB)"),
    ROUTE(HTTP_GET, "/api/v1/letters/{id}/file", api_letter_file, ROUTE_JSON,
          .summary = "The letter's file: the author and staff; its student only when not waived"),
    ROUTE(HTTP_POST, "/api/v1/letters/{id}/author", api_letter_author, ROUTE_JSON | ROUTE_AUTH, .max_body = KIB(1),
          .summary = "Staff confirm the verified preceptor (by NPI) who wrote a letter asked by name and email"),
    ROUTE(HTTP_POST, "/api/v1/letters/{id}/{action}", api_letter_action, ROUTE_JSON, .max_body = KIB(4),
          .summary = "accept or decline (the author), delivered {eras_letter_id}"),
    ROUTE(HTTP_GET, "/api/v1/me/readiness", api_me_readiness, ROUTE_JSON | ROUTE_AUTH,
          .summary = "What the student has and still needs for the Match"),
    ROUTE(HTTP_PUT, "/api/v1/readiness/targets", api_readiness_targets_put, ROUTE_JSON | ROUTE_AUTH, .max_body = KIB(4),
          .summary = "Set the readiness targets (staff)"),
    ROUTE(HTTP_GET, "/api/v1/notifications", api_notifications_list, ROUTE_JSON | ROUTE_AUTH,
          .summary = "The caller's notifications and unread count"),
    ROUTE(HTTP_POST, "/api/v1/notifications/{id}/read", api_notification_read, ROUTE_JSON | ROUTE_AUTH,
          .max_body = KIB(1), .summary = "Mark a notification read"),
    ROUTE(HTTP_GET, "/api/v1/audit", api_audit_list, ROUTE_JSON | ROUTE_AUTH, .query = api_audit_params,
          .summary = "The audit trail (staff)"),
    ROUTE(HTTP_POST, "/api/v1/test/clock", api_test_clock, ROUTE_JSON | ROUTE_TEST_HOOK, .max_body = KIB(1),
          .summary = "Move the server's clock (only with --test-hooks 1)"),
    ROUTE(HTTP_POST, "/api/v1/test/jobs", api_test_jobs, ROUTE_JSON | ROUTE_TEST_HOOK, .max_body = KIB(1),
          .summary = "Run the background jobs now (only with --test-hooks 1)"),
    /* pages */
    ROUTE(HTTP_GET, "/", web_page_home, ROUTE_HTML | ROUTE_MEMORY),
    ROUTE(HTTP_GET, "/assets/site.css", web_asset_css, ROUTE_HTML | ROUTE_MEMORY),
    ROUTE(HTTP_GET, "/register", web_page_register, ROUTE_HTML),
    ROUTE(HTTP_POST, "/register", web_page_register_post, ROUTE_HTML, .max_body = KIB(16)),
    ROUTE(HTTP_GET, "/login", web_page_login, ROUTE_HTML, .query = web_login_params),
    ROUTE(HTTP_POST, "/login", web_page_login_post, ROUTE_HTML, .max_body = KIB(16)),
    ROUTE(HTTP_GET, "/password-reset", web_page_password_forgot, ROUTE_HTML),
    ROUTE(HTTP_POST, "/password-reset", web_page_password_forgot_post, ROUTE_HTML, .max_body = KIB(4)),
    ROUTE(HTTP_GET, "/password-reset/{token}", web_page_password_reset, ROUTE_HTML),
    ROUTE(HTTP_POST, "/password-reset/{token}", web_page_password_reset_post, ROUTE_HTML, .max_body = KIB(4)),
    ROUTE(HTTP_GET, "/account", web_page_account, ROUTE_HTML | ROUTE_AUTH),
    ROUTE(HTTP_POST, "/account", web_page_account_post, ROUTE_HTML | ROUTE_AUTH, .max_body = KIB(16)),
    ROUTE(HTTP_POST, "/logout", web_page_logout_post, ROUTE_HTML | ROUTE_AUTH, .max_body = KIB(4)),
    /* host coordinators' pages */
    ROUTE(HTTP_GET, "/host", web_page_host, ROUTE_HTML | ROUTE_AUTH),
    ROUTE(HTTP_GET, "/host/offerings/new", web_page_host_offering_new, ROUTE_HTML | ROUTE_AUTH, .query = host_new_params),
    ROUTE(HTTP_POST, "/host/offerings/new", web_page_host_offering_create, ROUTE_HTML | ROUTE_AUTH, .max_body = KIB(64),
          .multiline = offering_text_fields),
    ROUTE(HTTP_GET, "/host/offerings/{id}/edit", web_page_host_offering_edit, ROUTE_HTML | ROUTE_AUTH, .query = host_edit_params),
    ROUTE(HTTP_POST, "/host/offerings/{id}/edit", web_page_host_offering_save, ROUTE_HTML | ROUTE_AUTH,
          .max_body = KIB(64), .multiline = offering_text_fields),
    ROUTE(HTTP_POST, "/host/offerings/{id}/blocks", web_page_host_block_create, ROUTE_HTML | ROUTE_AUTH, .max_body = KIB(16)),
    ROUTE(HTTP_POST, "/host/blocks/{id}", web_page_host_block_save, ROUTE_HTML | ROUTE_AUTH, .max_body = KIB(16)),
    ROUTE(HTTP_GET, "/search", web_page_search, ROUTE_HTML | ROUTE_MEMORY, .query = catalog_query_params),
    ROUTE(HTTP_GET, "/offerings/{id}", web_page_offering, ROUTE_HTML | ROUTE_MEMORY),
    /* applications, notifications and the audit trail as pages */
    ROUTE(HTTP_POST, "/offerings/{id}/apply", web_page_apply_post, ROUTE_HTML | ROUTE_AUTH, .max_body = KIB(32),
          .multiline = statement_field),
    ROUTE(HTTP_GET, "/applications", web_page_applications, ROUTE_HTML | ROUTE_AUTH, .query = web_applications_params),
    ROUTE(HTTP_GET, "/applications/{id}", web_page_application, ROUTE_HTML | ROUTE_AUTH, .query = web_application_params),
    /* before the actions: "documents" is not an action */
    ROUTE(HTTP_POST, "/applications/{id}/documents", web_page_compliance_attach, ROUTE_HTML | ROUTE_AUTH,
          .max_body = KIB(16)),
    ROUTE(HTTP_POST, "/applications/{id}/{action}", web_page_application_action, ROUTE_HTML | ROUTE_AUTH,
          .max_body = KIB(16), .multiline = note_field),
    ROUTE(HTTP_GET, "/notifications", web_page_notifications, ROUTE_HTML | ROUTE_AUTH),
    ROUTE(HTTP_POST, "/notifications/{id}/read", web_page_notification_read, ROUTE_HTML | ROUTE_AUTH, .max_body = KIB(4)),
    ROUTE(HTTP_GET, "/staff/audit", web_page_audit, ROUTE_HTML | ROUTE_AUTH, .query = web_audit_params),
    /* the document wallet, compliance, verification, host requirements */
    ROUTE(HTTP_GET, "/wallet", web_page_wallet, ROUTE_HTML | ROUTE_AUTH, .query = web_wallet_params),
    ROUTE(HTTP_POST, "/wallet", web_page_wallet_upload, ROUTE_HTML | ROUTE_AUTH | ROUTE_UPLOAD),
    ROUTE(HTTP_GET, "/wallet/{id}", web_page_wallet_document, ROUTE_HTML | ROUTE_AUTH,
          .query = web_wallet_document_params),
    ROUTE(HTTP_POST, "/wallet/{id}/replace", web_page_wallet_replace, ROUTE_HTML | ROUTE_AUTH | ROUTE_UPLOAD),
    ROUTE(HTTP_POST, "/wallet/{id}/delete", web_page_wallet_delete, ROUTE_HTML | ROUTE_AUTH, .max_body = KIB(4)),
    ROUTE(HTTP_GET, "/documents/{id}/file", web_page_document_file, ROUTE_HTML | ROUTE_AUTH),
    ROUTE(HTTP_GET, "/applications/{id}/compliance", web_page_compliance, ROUTE_HTML | ROUTE_AUTH,
          .query = web_compliance_params),
    ROUTE(HTTP_GET, "/staff/documents", web_page_staff_documents, ROUTE_HTML | ROUTE_AUTH,
          .query = web_staff_documents_params),
    ROUTE(HTTP_GET, "/staff/documents/{id}", web_page_staff_document, ROUTE_HTML | ROUTE_AUTH),
    ROUTE(HTTP_POST, "/staff/documents/{id}/{action}", web_page_staff_document_review, ROUTE_HTML | ROUTE_AUTH,
          .max_body = KIB(8), .multiline = reason_field),
    ROUTE(HTTP_GET, "/host/requirements", web_page_host_requirements, ROUTE_HTML | ROUTE_AUTH,
          .query = web_host_requirements_params),
    ROUTE(HTTP_POST, "/host/requirements", web_page_host_requirement_add, ROUTE_HTML | ROUTE_AUTH, .max_body = KIB(4)),
    ROUTE(HTTP_POST, "/host/requirements/{id}/delete", web_page_host_requirement_delete, ROUTE_HTML | ROUTE_AUTH,
          .max_body = KIB(4)),
    /* letters and readiness */
    ROUTE(HTTP_GET, "/letters", web_page_letters, ROUTE_HTML | ROUTE_AUTH),
    ROUTE(HTTP_POST, "/letters", web_page_letters_request, ROUTE_HTML | ROUTE_AUTH, .max_body = KIB(8)),
    ROUTE(HTTP_GET, "/letters/{id}", web_page_letter, ROUTE_HTML | ROUTE_AUTH, .query = web_letter_done_params),
    ROUTE(HTTP_POST, "/letters/{id}/upload", web_page_letter_upload, ROUTE_HTML | ROUTE_AUTH | ROUTE_UPLOAD,
          .max_body = LETTER_MAX_BYTES + UPLOAD_OVERHEAD),
    ROUTE(HTTP_GET, "/letters/{id}/file", web_page_letter_file, ROUTE_HTML | ROUTE_AUTH),
    ROUTE(HTTP_POST, "/letters/{id}/{action}", web_page_letter_action, ROUTE_HTML | ROUTE_AUTH, .max_body = KIB(8),
          .multiline = reason_field),
    ROUTE(HTTP_GET, "/invitations/letters/{token}", web_page_letter_invite, ROUTE_HTML,
          .query = web_letter_done_params),
    ROUTE(HTTP_POST, "/invitations/letters/{token}/upload", web_page_letter_invite_upload, ROUTE_HTML | ROUTE_UPLOAD,
          .max_body = LETTER_MAX_BYTES + UPLOAD_OVERHEAD),
    ROUTE(HTTP_POST, "/invitations/letters/{token}/{action}", web_page_letter_invite_action, ROUTE_HTML,
          .max_body = KIB(8), .multiline = reason_field),
    ROUTE(HTTP_GET, "/staff/letters", web_page_staff_letters, ROUTE_HTML | ROUTE_AUTH),
    ROUTE(HTTP_GET, "/staff/preceptors", web_page_staff_preceptors, ROUTE_HTML | ROUTE_AUTH,
          .query = web_staff_preceptors_params),
    ROUTE(HTTP_POST, "/staff/preceptors/{id}/{action}", web_page_staff_preceptor_action, ROUTE_HTML | ROUTE_AUTH,
          .max_body = KIB(4)),
    ROUTE(HTTP_POST, "/staff/letters/{id}/author", web_page_letter_author, ROUTE_HTML | ROUTE_AUTH, .max_body = KIB(4)),
    /* a preceptor links their own account to their record */
    ROUTE(HTTP_GET, "/invitations/preceptors/{token}", web_page_preceptor_invite, ROUTE_HTML),
    ROUTE(HTTP_POST, "/invitations/preceptors/{token}/accept", web_page_preceptor_invite_accept,
          ROUTE_HTML | ROUTE_AUTH, .max_body = KIB(4)),
    ROUTE(HTTP_GET, "/readiness", web_page_readiness, ROUTE_HTML | ROUTE_AUTH, .query = web_letter_done_params),
    ROUTE(HTTP_POST, "/staff/readiness", web_page_readiness_targets, ROUTE_HTML | ROUTE_AUTH, .max_body = KIB(4)),
};

const size_t rounds_route_count = sizeof(rounds_routes) / sizeof(rounds_routes[0]);
