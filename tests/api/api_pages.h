/* api_pages.h — reading a whole list of the API as a client does: page
 * after page (100 to a page) by next_cursor. For the suites whose lists may
 * hold more than a page (staff's lists on a database that other suites share).
 * Include after api_client.h. */
#ifndef ROUNDS_TESTS_API_PAGES_H
#define ROUNDS_TESTS_API_PAGES_H

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "api_client.h"
#include "test.h"

enum { API_PAGES_MAX = 200 };

/* The item of the list at path (with or without a query) whose string member
 * key is value, read with headers (NULL-terminated, may be NULL) on the
 * current server: a new reference, or NULL when no page holds it (or a page
 * failed: a failed check). */
static inline json_t *api_list_find(const char *const *headers, const char *path, const char *key, const char *value)
{
    char url[1024], cursor[128] = "";
    json_t *found = NULL;
    for (int page = 0; page < API_PAGES_MAX && found == NULL; page++) {
        snprintf(url, sizeof(url), "%s%climit=100%s%s", path, strchr(path, '?') != NULL ? '&' : '?',
                 cursor[0] != '\0' ? "&cursor=" : "", cursor);
        struct api_response r;
        if (api_request(&r, "GET", url, headers, NULL) != 200) {
            TEST_FAILF("GET %s answered %ld: %.300s", url, r.status, r.body);
            api_free(&r);
            return NULL;
        }
        size_t i;
        json_t *item;
        json_array_foreach(json_object_get(r.json, "items"), i, item)
        {
            const char *v = api_json_str(item, key);
            if (found == NULL && v != NULL && strcmp(v, value) == 0)
                found = json_incref(item);
        }
        const char *next = api_json_str(r.json, "next_cursor");
        snprintf(cursor, sizeof(cursor), "%s", next != NULL ? next : "");
        api_free(&r);
        if (cursor[0] == '\0')
            break;
    }
    return found;
}

#endif
