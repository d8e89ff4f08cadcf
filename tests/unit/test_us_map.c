/* test_us_map.c — unit tests for the U.S. map view (src/views/us_map.c) and
 * its generated shapes (src/views/us_map_data.c). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "test.h"
#include "views/us_map.h"

static struct arena arena;

/* The href callback under test: a query string with characters that must be
 * escaped in an attribute, and a count of calls through ctx. */
struct href_ctx {
    char url[128];
    int calls;
};

static const char *test_href(void *ctx, const char *state_code)
{
    struct href_ctx *h = ctx;
    h->calls++;
    snprintf(h->url, sizeof(h->url), "/search?q=a\"b<c>&state=%s", state_code);
    return h->url;
}

/* No link for Texas, a link for every other state. */
static const char *href_except_texas(void *ctx, const char *state_code)
{
    return strcmp(state_code, "TX") == 0 ? NULL : test_href(ctx, state_code);
}

/* Renders into a fresh arena-backed buffer; the caller frees the arena. */
static const char *render(const int64_t *counts, const char *const *codes, size_t n,
                          const char *(*href)(void *, const char *), struct href_ctx *ctx,
                          const char *selected)
{
    static struct buf b;
    arena_heap_init(&arena);
    buf_init(&b, &arena, 512 * 1024);
    view_us_map(&b, counts, codes, n, href, ctx, selected);
    CHECK(buf_ok(&b));
    return b.data;
}

/* The opening tag of a state's link as the renderer writes it (up to '>'). */
static void link_open_tag(char *out, size_t size, const char *code, const char *classes, bool current)
{
    snprintf(out, size, "<a href=\"/search?q=a&quot;b&lt;c&gt;&amp;state=%s\" class=\"%s\"%s>", code, classes,
             current ? " aria-current=\"true\"" : "");
}

TEST(data_has_51_states_with_unique_codes_and_paths)
{
    CHECK_INT(us_map_state_count, 51);
    CHECK_STR(us_map_viewbox, "0 0 975 610");
    for (size_t i = 0; i < us_map_state_count; i++) {
        const struct us_map_state *s = &us_map_states[i];
        CHECK(s->code != NULL && strlen(s->code) == 2);
        CHECK(s->code[0] >= 'A' && s->code[0] <= 'Z' && s->code[1] >= 'A' && s->code[1] <= 'Z');
        CHECK(s->name != NULL && s->name[0] != '\0');
        CHECK(s->path != NULL && s->path[0] == 'M' && strlen(s->path) > 10);
        CHECK(strchr(s->path, '"') == NULL && strchr(s->path, '<') == NULL && strchr(s->path, '&') == NULL);
        for (size_t j = 0; j < i; j++) {
            if (strcmp(us_map_states[j].code, s->code) == 0)
                TEST_FAILF("duplicate code %s", s->code);
        }
        if (i > 0 && strcmp(us_map_states[i - 1].name, s->name) >= 0)
            TEST_FAILF("not sorted by name: %s before %s", us_map_states[i - 1].name, s->name);
    }
    CHECK(us_map_state_find("DC") != NULL);
    CHECK_STR(us_map_state_find("DC")->name, "District of Columbia");
    CHECK_STR(us_map_state_find("TX")->name, "Texas");
    CHECK_STR(us_map_state_find("AK")->name, "Alaska");
    CHECK_STR(us_map_state_find("HI")->name, "Hawaii");
    CHECK(us_map_state_find("PR") == NULL);
    CHECK(us_map_state_find("tx") == NULL);
    CHECK(us_map_state_find("") == NULL);
    CHECK(us_map_state_find(NULL) == NULL);
}

TEST(class_quantizes_relative_to_max)
{
    CHECK_INT(us_map_class(0, 0), 0);
    CHECK_INT(us_map_class(0, 100), 0);
    CHECK_INT(us_map_class(-3, 100), 0);
    CHECK_INT(us_map_class(1, 100), 1);
    CHECK_INT(us_map_class(25, 100), 1);
    CHECK_INT(us_map_class(26, 100), 2);
    CHECK_INT(us_map_class(50, 100), 2);
    CHECK_INT(us_map_class(51, 100), 3);
    CHECK_INT(us_map_class(75, 100), 3);
    CHECK_INT(us_map_class(76, 100), 4);
    CHECK_INT(us_map_class(100, 100), 4);
    CHECK_INT(us_map_class(1, 1), 4);
    CHECK_INT(us_map_class(1, 2), 2);
    CHECK_INT(us_map_class(2, 2), 4);
    CHECK_INT(us_map_class(1, 3), 2);
    CHECK_INT(us_map_class(INT64_MAX, INT64_MAX), 4);
    CHECK_INT(us_map_class(1, INT64_MAX), 1);
    CHECK_INT(us_map_class(INT64_MAX / 2, INT64_MAX), 2);
}

TEST(every_state_is_a_link_with_its_count_and_class)
{
    static const char *const codes[] = {"TX", "CA", "NY", "ZZ", "TX", NULL, "DC"};
    static const int64_t counts[] = {10, 40, 0, 99, 2, 7, 1};
    struct href_ctx ctx = {.calls = 0};
    const char *html = render(counts, codes, 7, test_href, &ctx, NULL);
    char want[256];

    CHECK_INT(ctx.calls, 51);
    CHECK(strncmp(html, "<nav class=\"usmap\" aria-label=\"Map of offerings by state\">", 58) == 0);
    CHECK_CONTAINS(html, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 975 610\">");
    CHECK_CONTAINS(html, "<title>Open offerings by state</title>");
    for (size_t i = 0; i < us_map_state_count; i++) {
        snprintf(want, sizeof(want), "<a href=\"/search?q=a&quot;b&lt;c&gt;&amp;state=%s\" class=\"map-",
                 us_map_states[i].code);
        CHECK_CONTAINS(html, want);
        snprintf(want, sizeof(want), "<title>%s: ", us_map_states[i].name);
        CHECK_CONTAINS(html, want);
        const char *d = strstr(html, us_map_states[i].path);
        CHECK(d != NULL && d - html >= 3 && strncmp(d - 3, "d=\"", 3) == 0 && d[strlen(us_map_states[i].path)] == '"');
    }
    /* The raw href never reaches the page unescaped. */
    CHECK(strstr(html, "a\"b") == NULL);
    CHECK(strstr(html, "<c>") == NULL);

    /* Max is California's 40; Texas sums its two rows to 12; ZZ and the NULL code are ignored. */
    link_open_tag(want, sizeof(want), "CA", "map-4", false);
    CHECK_CONTAINS(html, want);
    CHECK_CONTAINS(html, "<title>California: 40 open offerings</title><path d=\"M");
    link_open_tag(want, sizeof(want), "TX", "map-2", false);
    CHECK_CONTAINS(html, want);
    CHECK_CONTAINS(html, "<title>Texas: 12 open offerings</title>");
    link_open_tag(want, sizeof(want), "DC", "map-1", false);
    CHECK_CONTAINS(html, want);
    CHECK_CONTAINS(html, "<title>District of Columbia: 1 open offering</title>");
    link_open_tag(want, sizeof(want), "NY", "map-0", false);
    CHECK_CONTAINS(html, want);
    CHECK_CONTAINS(html, "<title>New York: 0 open offerings</title>");
    link_open_tag(want, sizeof(want), "AK", "map-0", false);
    CHECK_CONTAINS(html, want);

    /* Nothing selected; no inline styles (CSP). */
    CHECK(strstr(html, "map-selected") == NULL);
    CHECK(strstr(html, "aria-current") == NULL);
    CHECK(strstr(html, "<use") == NULL);
    CHECK(strstr(html, "style") == NULL);

    /* Legend: the ranges of 1…40 in four classes. */
    CHECK_CONTAINS(html, "<span class=\"map-swatch map-0\" aria-hidden=\"true\"></span>None</li>");
    CHECK_CONTAINS(html, "<span class=\"map-swatch map-1\" aria-hidden=\"true\"></span>1–10</li>");
    CHECK_CONTAINS(html, "<span class=\"map-swatch map-2\" aria-hidden=\"true\"></span>11–20</li>");
    CHECK_CONTAINS(html, "<span class=\"map-swatch map-3\" aria-hidden=\"true\"></span>21–30</li>");
    CHECK_CONTAINS(html, "<span class=\"map-swatch map-4\" aria-hidden=\"true\"></span>31–40</li>");
    CHECK(strstr(html, "</svg>\n<div class=\"map-legend\">") != NULL);
    CHECK(strcmp(html + strlen(html) - 7, "</nav>\n") == 0);
    arena_heap_free(&arena);
}

TEST(selected_state_is_marked_and_outlined)
{
    static const char *const codes[] = {"TX", "CA"};
    static const int64_t counts[] = {12, 40};
    struct href_ctx ctx = {.calls = 0};
    const char *html = render(counts, codes, 2, test_href, &ctx, "TX");
    char want[256];

    link_open_tag(want, sizeof(want), "TX", "map-2 map-selected", true);
    CHECK_CONTAINS(html, want);
    CHECK_CONTAINS(html, "<title>Texas: 12 open offerings</title><path id=\"usmap-selected\" d=\"M");
    link_open_tag(want, sizeof(want), "CA", "map-4", false);
    CHECK_CONTAINS(html, want);
    /* Exactly one selected state, and its outline comes after every state. */
    const char *first = strstr(html, " map-selected\"");
    CHECK(first != NULL && strstr(first + 1, " map-selected\"") == NULL);
    const char *use = strstr(html, "<use href=\"#usmap-selected\" class=\"map-selected-halo\" aria-hidden=\"true\"/>"
                                   "<use href=\"#usmap-selected\" class=\"map-selected-outline\" aria-hidden=\"true\"/>");
    CHECK(use != NULL && strstr(use, "<path") == NULL && strstr(use, "</svg>") != NULL);
    CHECK_CONTAINS(html, "map-selected-swatch\" aria-hidden=\"true\"></span>Selected: Texas</li>");
    arena_heap_free(&arena);

    /* An unknown selected code marks nothing. */
    html = render(counts, codes, 2, test_href, &ctx, "ZZ\"");
    CHECK(strstr(html, "map-selected") == NULL);
    CHECK(strstr(html, "usmap-selected") == NULL);
    arena_heap_free(&arena);
}

TEST(no_counts_and_states_without_links)
{
    struct href_ctx ctx = {.calls = 0};
    const char *html = render(NULL, NULL, 0, href_except_texas, &ctx, "TX");

    CHECK_INT(ctx.calls, 50);
    CHECK_CONTAINS(html, "<g class=\"map-0 map-selected\"><title>Texas: 0 open offerings</title><path id=\"usmap-selected\"");
    CHECK(strstr(html, "state=TX") == NULL);
    CHECK(strstr(html, "aria-current") == NULL);
    CHECK(strstr(html, "map-1") == NULL && strstr(html, "map-4") == NULL);
    CHECK_CONTAINS(html, "<ul aria-labelledby=\"usmap-legend\"><li><span class=\"map-swatch map-0\" "
                         "aria-hidden=\"true\"></span>None</li><li>");
    arena_heap_free(&arena);

    /* A small maximum leaves some classes empty; the legend skips them. */
    static const char *const codes[] = {"OH", "UT"};
    static const int64_t counts[] = {1, 2};
    html = render(counts, codes, 2, NULL, NULL, NULL);
    CHECK(strstr(html, "<a ") == NULL);
    CHECK_CONTAINS(html, "<g class=\"map-2\"><title>Ohio: 1 open offering</title>");
    CHECK_CONTAINS(html, "<g class=\"map-4\"><title>Utah: 2 open offerings</title>");
    CHECK_CONTAINS(html, "map-2\" aria-hidden=\"true\"></span>1</li>");
    CHECK_CONTAINS(html, "map-4\" aria-hidden=\"true\"></span>2</li>");
    CHECK(strstr(html, "swatch map-1") == NULL && strstr(html, "swatch map-3") == NULL);
    arena_heap_free(&arena);
}

TEST(overflowing_buffer_is_reported)
{
    struct buf b;
    struct href_ctx ctx = {.calls = 0};
    arena_heap_init(&arena);
    buf_init(&b, &arena, 4096);
    view_us_map(&b, NULL, NULL, 0, test_href, &ctx, NULL);
    CHECK(!buf_ok(&b));
    arena_heap_free(&arena);
}

int main(void)
{
    RUN(data_has_51_states_with_unique_codes_and_paths);
    RUN(class_quantizes_relative_to_max);
    RUN(every_state_is_a_link_with_its_count_and_class);
    RUN(selected_state_is_marked_and_outlined);
    RUN(no_counts_and_states_without_links);
    RUN(overflowing_buffer_is_reported);
    return test_summary("unit-us-map");
}
