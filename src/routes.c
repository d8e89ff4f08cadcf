/* routes.c — every path the server answers, in one table: method, pattern,
 * handler, what the pipeline checks first, and the body cap when it differs
 * from the 1 MiB default. */
#include "routes.h"

#include "api/api.h"
#include "web/web.h"

#define KIB(n) ((size_t)(n) * 1024)

const struct route rounds_routes[] = {
    /* health */
    {HTTP_GET, "/healthz", api_healthz, ROUTE_JSON, 0, "The process is up"},
    {HTTP_GET, "/readyz", api_readyz, ROUTE_JSON, 0, "The database answers"},
    /* API: accounts */
    {HTTP_GET, "/api/v1/openapi.json", api_openapi, ROUTE_JSON, 0, "This document"},
    {HTTP_POST, "/api/v1/auth/register", api_auth_register, ROUTE_JSON, KIB(16), "Create a student account and sign in"},
    {HTTP_POST, "/api/v1/auth/login", api_auth_login, ROUTE_JSON, KIB(16), "Sign in"},
    {HTTP_POST, "/api/v1/auth/logout", api_auth_logout, ROUTE_JSON | ROUTE_AUTH, KIB(1), "End the session"},
    {HTTP_GET, "/api/v1/me", api_me_get, ROUTE_JSON | ROUTE_AUTH, 0, "The signed-in user"},
    {HTTP_PATCH, "/api/v1/me", api_me_patch, ROUTE_JSON | ROUTE_AUTH, KIB(16), "Update the student profile"},
    {HTTP_POST, "/api/v1/users", api_users_post, ROUTE_JSON | ROUTE_AUTH, KIB(16), "Create a user of any role (staff)"},
    /* pages */
    {HTTP_GET, "/", web_page_home, ROUTE_HTML, 0, NULL},
    {HTTP_GET, "/assets/site.css", web_asset_css, ROUTE_HTML, 0, NULL},
    {HTTP_GET, "/register", web_page_register, ROUTE_HTML, 0, NULL},
    {HTTP_POST, "/register", web_page_register_post, ROUTE_HTML, KIB(16), NULL},
    {HTTP_GET, "/login", web_page_login, ROUTE_HTML, 0, NULL},
    {HTTP_POST, "/login", web_page_login_post, ROUTE_HTML, KIB(16), NULL},
    {HTTP_GET, "/account", web_page_account, ROUTE_HTML | ROUTE_AUTH, 0, NULL},
    {HTTP_POST, "/account", web_page_account_post, ROUTE_HTML | ROUTE_AUTH, KIB(16), NULL},
    {HTTP_POST, "/logout", web_page_logout_post, ROUTE_HTML | ROUTE_AUTH, KIB(4), NULL},
};

const size_t rounds_route_count = sizeof(rounds_routes) / sizeof(rounds_routes[0]);
