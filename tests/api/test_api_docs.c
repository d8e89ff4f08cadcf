/* test_api_docs.c — docs/API.md, the HTTP reference in the repository, is
 * checked against what the server says about itself: every operation of the
 * served OpenAPI document (GET /api/v1/openapi.json) has a "### `METHOD
 * /path`" heading in docs/API.md and every API heading there is in the
 * document; the same for the pages against the route table. So the two
 * cannot drift: a new route fails here until it is described. Also checks
 * that the README links only to files inside the repository. */
#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "api_client.h"
#include "api_suite.h"
#include "routes.h"
#include "test.h"

static struct api_server server;

/* The headings "### `METHOD /path`" of a markdown text, as "METHOD /path". */
struct headings {
    char **items;
    size_t count;
};

static void headings_free(struct headings *h)
{
    for (size_t i = 0; i < h->count; i++)
        free(h->items[i]);
    free(h->items);
    memset(h, 0, sizeof(*h));
}

static bool headings_has(const struct headings *h, const char *op)
{
    for (size_t i = 0; i < h->count; i++)
        if (strcmp(h->items[i], op) == 0)
            return true;
    return false;
}

static int headings_read(const char *text, struct headings *out)
{
    memset(out, 0, sizeof(*out));
    for (const char *line = text; line != NULL && *line != '\0';) {
        const char *nl = strchr(line, '\n');
        size_t len = nl != NULL ? (size_t)(nl - line) : strlen(line);
        if (len > 6 && strncmp(line, "### `", 5) == 0 && line[len - 1] == '`') {
            char **grown = realloc(out->items, (out->count + 1) * sizeof(*grown));
            if (grown == NULL)
                return -1;
            out->items = grown;
            out->items[out->count] = strndup(line + 5, len - 6);
            if (out->items[out->count] == NULL)
                return -1;
            out->count++;
        }
        line = nl != NULL ? nl + 1 : NULL;
    }
    return 0;
}

static const struct {
    unsigned method;
    const char *name, *key;
} methods[] = {{HTTP_GET, "GET", "get"},
               {HTTP_POST, "POST", "post"},
               {HTTP_PUT, "PUT", "put"},
               {HTTP_PATCH, "PATCH", "patch"},
               {HTTP_DELETE, "DELETE", "delete"}};

TEST(every_api_operation_is_in_docs_api_md_and_back)
{
    char *text = api_read_file("docs/API.md", NULL);
    CHECK(text != NULL);
    if (text == NULL)
        return;
    struct headings docs;
    CHECK_INT(headings_read(text, &docs), 0);
    struct api_response r;
    api_request(&r, "GET", "/api/v1/openapi.json", NULL, NULL);
    CHECK_INT(r.status, 200);
    json_t *paths = json_object_get(r.json, "paths");
    CHECK(json_is_object(paths));
    const char *path;
    json_t *item;
    size_t operations = 0;
    json_object_foreach(paths, path, item) {
        for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]); m++) {
            if (json_object_get(item, methods[m].key) == NULL)
                continue;
            operations++;
            char op[300];
            snprintf(op, sizeof(op), "%s %s", methods[m].name, path);
            if (!headings_has(&docs, op))
                TEST_FAILF("the OpenAPI document has %s, which docs/API.md does not describe", op);
        }
    }
    CHECK(operations > 50);
    /* Back: every heading is an operation of the document or a page of the route table. */
    for (size_t i = 0; i < docs.count; i++) {
        char method[16] = "", route[256] = "";
        const char *space = strchr(docs.items[i], ' ');
        if (space == NULL || (size_t)(space - docs.items[i]) >= sizeof(method)) {
            TEST_FAILF("docs/API.md heading \"%s\" is not METHOD /path", docs.items[i]);
            continue;
        }
        memcpy(method, docs.items[i], (size_t)(space - docs.items[i]));
        snprintf(route, sizeof(route), "%s", space + 1);
        char key[16];
        size_t k = 0;
        for (; method[k] != '\0' && k + 1 < sizeof(key); k++)
            key[k] = (char)tolower((unsigned char)method[k]);
        key[k] = '\0';
        bool in_openapi = json_object_get(json_object_get(paths, route), key) != NULL;
        bool is_page = false;
        for (size_t j = 0; j < rounds_route_count; j++)
            for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]); m++)
                if ((rounds_routes[j].flags & ROUTE_HTML) && (rounds_routes[j].methods & methods[m].method) &&
                    strcmp(methods[m].name, method) == 0 && strcmp(rounds_routes[j].pattern, route) == 0)
                    is_page = true;
        if (!in_openapi && !is_page)
            TEST_FAILF("docs/API.md describes %s, which the server does not answer", docs.items[i]);
    }
    api_free(&r);
    headings_free(&docs);
    free(text);
}

TEST(every_page_is_in_docs_api_md)
{
    char *text = api_read_file("docs/API.md", NULL);
    CHECK(text != NULL);
    if (text == NULL)
        return;
    struct headings docs;
    CHECK_INT(headings_read(text, &docs), 0);
    size_t pages = 0;
    for (size_t j = 0; j < rounds_route_count; j++) {
        const struct route *route = &rounds_routes[j];
        if (!(route->flags & ROUTE_HTML))
            continue;
        for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]); m++) {
            if (!(route->methods & methods[m].method))
                continue;
            pages++;
            char op[300];
            snprintf(op, sizeof(op), "%s %s", methods[m].name, route->pattern);
            if (!headings_has(&docs, op))
                TEST_FAILF("the page %s is not described in docs/API.md", op);
        }
    }
    CHECK(pages > 30);
    headings_free(&docs);
    free(text);
}

/* Every markdown link target of README.md that is not a URL names a file or
 * folder of the repository (no ../shared, nothing outside). */
TEST(readme_links_stay_inside_the_repository)
{
    char *text = api_read_file("README.md", NULL);
    CHECK(text != NULL);
    if (text == NULL)
        return;
    size_t links = 0;
    for (const char *p = strstr(text, "]("); p != NULL; p = strstr(p + 2, "](")) {
        const char *start = p + 2, *end = strchr(start, ')');
        if (end == NULL || end - start > 250)
            continue;
        char target[256];
        snprintf(target, sizeof(target), "%.*s", (int)(end - start), start);
        char *hash = strchr(target, '#');
        if (hash != NULL)
            *hash = '\0';
        if (strncmp(target, "http://", 7) == 0 || strncmp(target, "https://", 8) == 0 || target[0] == '\0')
            continue;
        links++;
        if (target[0] == '/' || strstr(target, "..") != NULL)
            TEST_FAILF("README.md links outside the repository: %s", target);
        else if (access(target, F_OK) != 0)
            TEST_FAILF("README.md links to %s, which is not in the repository", target);
    }
    CHECK(links >= 2);
    free(text);
}

static void run_tests(void)
{
    API_RUN(every_api_operation_is_in_docs_api_md_and_back);
    API_RUN(every_page_is_in_docs_api_md);
    API_RUN(readme_links_stay_inside_the_repository);
}

int main(void)
{
    if (access("docs/API.md", R_OK) != 0) {
        printf("run from the repository's root (docs/API.md not found)\n");
        return 1;
    }
    /* With test hooks: the document then lists the /api/v1/test/ routes too
     * (tests/openapi checks they are absent without them). */
    static const char *const flags[] = {"--test-hooks", "1", NULL};
    static const struct api_suite suite = {
        .name = "api-docs", .server = &server, .flags = flags, .run = run_tests};
    return api_suite_main(&suite);
}
