/* test_progress.c — unit tests for the readiness picture (src/views/progress.c):
 * accessible name and description, states in words, bar widths, escaping,
 * and nothing the CSP forbids (style attributes, <style>, scripts). */
#include <stdbool.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/buf.h"
#include "test.h"
#include "views/progress.h"

static struct arena arena;

static const char *render(const struct view_progress_row *rows, size_t n, const char *title)
{
    static struct buf b;
    arena_heap_init(&arena);
    buf_init(&b, &arena, 64 * 1024);
    view_progress(&b, "pic", title, rows, n);
    CHECK(buf_ok(&b));
    return b.data;
}

/* The opening tag of the n-th (0-based) element starting with prefix. */
static bool nth_has(const char *html, const char *prefix, int n, const char *needle)
{
    const char *p = html;
    for (int i = 0; p != NULL && i <= n; i++) {
        p = strstr(p, prefix);
        if (p != NULL && i < n)
            p += strlen(prefix);
    }
    if (p == NULL)
        return false;
    const char *end = strchr(p, '>');
    size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
    const char *hit = strstr(p, needle);
    return hit != NULL && (size_t)(hit - p) < len;
}

TEST(accessible_name_and_description)
{
    struct view_progress_row rows[] = {
        {"Letters of recommendation", "in_progress", "1 of 3", 1, 3},
        {"USMLE Step 1", "ok", NULL, 0, 0},
        {"English proficiency", "missing", NULL, 0, 0},
    };
    const char *html = render(rows, 3, "Match readiness: 1 of 3 items done");
    CHECK_CONTAINS(html, "role=\"img\"");
    CHECK_CONTAINS(html, "aria-labelledby=\"pic-title pic-desc\"");
    CHECK_CONTAINS(html, "<title id=\"pic-title\">Match readiness: 1 of 3 items done</title>");
    CHECK_CONTAINS(html, "<desc id=\"pic-desc\">Letters of recommendation: 1 of 3 · In progress; USMLE Step 1: "
                         "Done; English proficiency: Missing.</desc>");
    /* The states are written next to the bars, not only coloured. */
    CHECK_CONTAINS(html, ">1 of 3 · In progress</text>");
    CHECK_CONTAINS(html, ">Done</text>");
    CHECK_CONTAINS(html, ">Missing</text>");
    CHECK(strstr(html, "style") == NULL);
    CHECK(strstr(html, "<script") == NULL);
    arena_heap_free(&arena);
}

TEST(bar_widths_follow_the_state)
{
    struct view_progress_row rows[] = {
        {"Letters", "in_progress", "1 of 4", 1, 4},   /* a quarter: 250 of 1000 */
        {"USCE", "ok", "12 of 12 weeks", 12, 12},      /* full */
        {"Step 1", "missing", NULL, 0, 0},             /* no bar */
        {"ECFMG", "in_progress", NULL, 0, 0},          /* yes/no in progress: half */
        {"USCE again", "in_progress", "0 of 12", 0, 12}, /* started with nothing counted: a stub */
        {"Over", "in_progress", "9 of 3", 9, 3},       /* clamped */
    };
    const char *html = render(rows, 6, "t");
    CHECK(nth_has(html, "<rect class=\"progress-bar\"", 0, "width=\"24.8%\""));
    CHECK(nth_has(html, "<rect class=\"progress-bar\"", 0, "fill=\"url(#pic-hatch)\""));
    CHECK(nth_has(html, "<rect class=\"progress-bar\"", 1, "width=\"99.8%\""));
    CHECK(!nth_has(html, "<rect class=\"progress-bar\"", 1, "fill="));
    CHECK(nth_has(html, "<rect class=\"progress-bar\"", 2, "width=\"49.8%\""));
    CHECK(nth_has(html, "<rect class=\"progress-bar\"", 3, "width=\"3.3%\""));
    CHECK(nth_has(html, "<rect class=\"progress-bar\"", 4, "width=\"99.8%\""));
    /* Six tracks, five bars: the missing row has none. */
    int tracks = 0, bars = 0;
    for (const char *p = html; (p = strstr(p, "class=\"progress-track\"")) != NULL; p++)
        tracks++;
    for (const char *p = html; (p = strstr(p, "class=\"progress-bar\"")) != NULL; p++)
        bars++;
    CHECK_INT(tracks, 6);
    CHECK_INT(bars, 5);
    CHECK_CONTAINS(html, "class=\"progress-row progress-missing\"");
    /* No viewBox: text keeps its size on a phone; six rows of 60 px. */
    CHECK(strstr(html, "viewBox") == NULL);
    CHECK_CONTAINS(html, "width=\"100%\" height=\"364\"");
    arena_heap_free(&arena);
}

TEST(text_is_escaped)
{
    struct view_progress_row rows[] = {{"<b>&\"x\"", "ok", "1 < 2", 1, 2}};
    const char *html = render(rows, 1, "a <title> & \"quote\"");
    CHECK(strstr(html, "<b>") == NULL);
    CHECK_CONTAINS(html, "&lt;b&gt;&amp;&quot;x&quot;");
    CHECK_CONTAINS(html, "1 &lt; 2 · Done");
    CHECK_CONTAINS(html, "a &lt;title&gt; &amp; &quot;quote&quot;</title>");
    arena_heap_free(&arena);
}

TEST(state_words)
{
    CHECK_STR(view_progress_state_words("ok"), "Done");
    CHECK_STR(view_progress_state_words("in_progress"), "In progress");
    CHECK_STR(view_progress_state_words("missing"), "Missing");
    CHECK_STR(view_progress_state_words(NULL), "Missing");
}

int main(void)
{
    RUN(accessible_name_and_description);
    RUN(bar_widths_follow_the_state);
    RUN(text_is_escaped);
    RUN(state_words);
    return test_summary("progress");
}
