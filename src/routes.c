/* routes.c — every path the server answers, in one table: method, pattern,
 * handler, what the pipeline checks first (flags), the body cap when it
 * differs from the 1 MiB default, the query parameters it takes (any other
 * is refused with 400 before the handler runs), the form fields that may hold
 * line breaks (every other text field of a form is one line), and a summary
 * for OpenAPI. The rows are in routes_api.inc (the JSON API) and
 * routes_web.inc (the pages), included here in that order. */
#include "routes.h"

#include "api/agreements_api.h"
#include "api/alerts_api.h"
#include "api/request_specs.h"
#include "api/api.h"
#include "api/applications_api.h"
#include "api/certificates_api.h"
#include "api/deletions_api.h"
#include "api/evaluations_api.h"
#include "api/documents_api.h"
#include "api/letters_api.h"
#include "api/match_rounds_api.h"
#include "api/schools_api.h"
#include "api/money_api.h"
#include "api/rotation_api.h"
#include "api/support_api.h"
#include "api/messages_api.h"
#include "domain/catalog_index.h"
#include "lib/limits.h"
#include "web/web.h"

#define KIB(n) ((size_t)(n) * 1024)
/* ROUTE(methods, pattern, handler, flags, .max_body = …, .query = …, .summary = …) */
#define ROUTE(m, p, h, f, ...) {.methods = (m), .pattern = (p), .handler = (h), .flags = (f), __VA_ARGS__}

/* The list endpoints' query parameters. */
static const char *const list_params[] = {"limit", "cursor", NULL}; /* a list of api_pager_… */
static const char *const catalog_list_params[] = {"organization_id", "limit", "cursor", NULL};
static const char *const organization_list_params[] = {"kind", "limit", "cursor", NULL};
static const char *const host_new_params[] = {"organization_id", NULL};
static const char *const host_edit_params[] = {"saved", NULL};

/* The multi-line fields (textareas) of the pages' forms. */
static const char *const offering_text_fields[] = {"description", "first_day", NULL};
static const char *const reason_field[] = {"reason", NULL};
static const char *const statement_field[] = {"statement", NULL};
static const char *const note_field[] = {"note", NULL};
static const char *const activities_field[] = {"activities", NULL};
static const char *const body_field[] = {"body", NULL};

const struct route rounds_routes[] = {
#include "routes_api.inc"
#include "routes_web.inc"
};

const size_t rounds_route_count = sizeof(rounds_routes) / sizeof(rounds_routes[0]);
