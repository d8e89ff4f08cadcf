/* routes.c — every path the server answers, in one table: method, pattern,
 * handler, what the pipeline checks first (flags), the body cap when it
 * differs from the 1 MiB default, the query parameters it takes (any other
 * is refused with 400 before the handler runs), and a summary for OpenAPI. */
#include "routes.h"

#include "api/api.h"
#include "domain/catalog_index.h"
#include "web/web.h"

#define KIB(n) ((size_t)(n) * 1024)
/* ROUTE(methods, pattern, handler, flags, .max_body = …, .query = …, .summary = …) */
#define ROUTE(m, p, h, f, ...) {.methods = (m), .pattern = (p), .handler = (h), .flags = (f), __VA_ARGS__}

const struct route rounds_routes[] = {
    /* health */
    ROUTE(HTTP_GET, "/healthz", api_healthz, ROUTE_JSON, .summary = "The process is up"),
    ROUTE(HTTP_GET, "/readyz", api_readyz, ROUTE_JSON, .summary = "The database answers"),
    ROUTE(HTTP_GET, "/api/v1/openapi.json", api_openapi, ROUTE_JSON, .summary = "This document"),
    /* accounts */
    ROUTE(HTTP_POST, "/api/v1/auth/register", api_auth_register, ROUTE_JSON, .max_body = KIB(16), .summary = "Create a student account and sign in"),
    ROUTE(HTTP_POST, "/api/v1/auth/login", api_auth_login, ROUTE_JSON, .max_body = KIB(16), .summary = "Sign in"),
    ROUTE(HTTP_POST, "/api/v1/auth/logout", api_auth_logout, ROUTE_JSON | ROUTE_AUTH, .max_body = KIB(1), .summary = "End the session"),
    ROUTE(HTTP_GET, "/api/v1/me", api_me_get, ROUTE_JSON | ROUTE_AUTH, .summary = "The signed-in user"),
    ROUTE(HTTP_PATCH, "/api/v1/me", api_me_patch, ROUTE_JSON | ROUTE_AUTH, .max_body = KIB(16), .summary = "Update the student profile"),
    ROUTE(HTTP_POST, "/api/v1/users", api_users_post, ROUTE_JSON | ROUTE_AUTH, .max_body = KIB(16), .summary = "Create a user of any role (staff)"),
    /* catalog */
    ROUTE(HTTP_GET, "/api/v1/offerings", api_offerings_search, ROUTE_JSON, .query = catalog_query_params,
          .summary = "Search offerings with filters, facets and a cursor"),
    ROUTE(HTTP_GET, "/api/v1/offerings/{id}", api_offering_get, ROUTE_JSON, .summary = "One offering with its blocks"),
    /* pages */
    ROUTE(HTTP_GET, "/", web_page_home, ROUTE_HTML),
    ROUTE(HTTP_GET, "/assets/site.css", web_asset_css, ROUTE_HTML),
    ROUTE(HTTP_GET, "/register", web_page_register, ROUTE_HTML),
    ROUTE(HTTP_POST, "/register", web_page_register_post, ROUTE_HTML, .max_body = KIB(16)),
    ROUTE(HTTP_GET, "/login", web_page_login, ROUTE_HTML),
    ROUTE(HTTP_POST, "/login", web_page_login_post, ROUTE_HTML, .max_body = KIB(16)),
    ROUTE(HTTP_GET, "/account", web_page_account, ROUTE_HTML | ROUTE_AUTH),
    ROUTE(HTTP_POST, "/account", web_page_account_post, ROUTE_HTML | ROUTE_AUTH, .max_body = KIB(16)),
    ROUTE(HTTP_POST, "/logout", web_page_logout_post, ROUTE_HTML | ROUTE_AUTH, .max_body = KIB(4)),
};

const size_t rounds_route_count = sizeof(rounds_routes) / sizeof(rounds_routes[0]);
